"""The monthly reporting rhythm (碑林/葫芦岛: progress is reported by the 5th of each
month for the month before).  A task whose latest update is older than the report
that was due by the as-of date is *stale*.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from ..core.finding import Finding, finding
from ..core.model import Task
from ..core.periods import add_months, month_end
from . import Context, check

REPORT_DAY = 5
ACTIVE = ("planned", "in_progress")


@lru_cache(maxsize=64)  # one answer per run, asked once per task
def expected_month(as_of: date, year: int) -> str | None:
    """The latest month whose report was due by `as_of`, within the ledger year."""
    if year and not (as_of.year == year or (as_of.year == year + 1 and as_of.month == 1)):
        return None  # outside the ledger's year the rhythm no longer applies
    anchor = as_of - timedelta(days=REPORT_DAY)
    month = add_months(f"{anchor.year:04d}-{anchor.month:02d}", -1)
    return month


def stale(task: Task, as_of: date, year: int, *, status: str | None = None) -> str | None:
    """The month a report was expected for, when the task is stale; else None.

    Only updates of months up to the as-of month count: a report for a later month
    did not exist yet at `as_of`, so `luoshi status --as-of` in the past shows the
    task as it was then.  `status` is the task's status at `as_of` when the caller
    knows better than the ledger's current one (see `progress.status_at`).
    """
    return _stale(status or task.status, task.start.toordinal(),
                  [u.month for u in task.updates], _due(as_of, year))


class _Due(NamedTuple):
    """The report due by an as-of date: its month, that month's last day (a task
    started after it owes nothing yet), and the as-of month."""

    month: str
    end: int
    now: str


@lru_cache(maxsize=64)
def _due(as_of: date, year: int) -> _Due | None:
    expected = expected_month(as_of, year)
    if expected is None:
        return None
    return _Due(expected, month_end(expected).toordinal(), _month_of(as_of))


def _stale(status: str, start: int, months: Iterable[str], due: _Due | None) -> str | None:
    """Stale unless some update known at as-of (month <= now) is of the month due or
    later — asked for every task of the ledger, so a loop, not max() of a filter."""
    if status not in ACTIVE or due is None or due.end < start:
        return None
    for m in months:
        if due.month <= m <= due.now:
            return None
    return due.month


def last_update_month(task: Task, as_of: date) -> str | None:
    """The latest update month known at `as_of` (months after its month are ignored)."""
    return _last_month((u.month for u in task.updates), as_of)


def _last_month(months: Iterable[str], as_of: date) -> str | None:
    now = _month_of(as_of)
    return max((m for m in months if m <= now), default=None)


@lru_cache(maxsize=64)
def _month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@check
def monthly_reports(ctx: Context) -> Iterator[Finding]:
    """LS601 over task keys: it depends on the as-of date, so it is not among the
    per-file findings that are cached whatever the date."""
    due = _due(ctx.as_of, ctx.ledger.config.year)
    if due is None:
        return
    for k in ctx.keys:
        if not k.complete:
            continue  # an incomplete task has no status to judge yet
        expected = _stale(k.status, k.start, k.months, due)
        if expected is not None:
            last = _last_month(k.months, ctx.as_of) or "—"
            where = k.at("updates") if k.months else k.at("id")
            yield finding("LS601", k.file, path=where, on_key=bool(k.months), task=k.id,
                          last=last, as_of=ctx.as_of, expected=expected, lead=k.lead)
