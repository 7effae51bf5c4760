"""The monthly reporting rhythm (碑林/葫芦岛: progress is reported by the 5th of each
month for the month before).  A task whose latest update is older than the report
that was due by the as-of date is *stale*.

Date arithmetic only, shared by the LS601 check (`checks.rhythm`), the lights of
`ops.progress` and the status tables of `report.status`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from .model import Task
from .periods import add_months, month_end

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
    return stale_since(status or task.status, task.start.toordinal(),
                  [u.month for u in task.updates], due_by(as_of, year))


class Due(NamedTuple):
    """The report due by an as-of date: its month, that month's last day (a task
    started after it owes nothing yet), and the as-of month."""

    month: str
    end: int
    now: str


@lru_cache(maxsize=64)
def due_by(as_of: date, year: int) -> Due | None:
    expected = expected_month(as_of, year)
    if expected is None:
        return None
    return Due(expected, month_end(expected).toordinal(), month_of(as_of))


def stale_since(status: str, start: int, months: Iterable[str], due: Due | None) -> str | None:
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
    return last_month((u.month for u in task.updates), as_of)


def last_month(months: Iterable[str], as_of: date) -> str | None:
    now = month_of(as_of)
    return max((m for m in months if m <= now), default=None)


@lru_cache(maxsize=64)
def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
