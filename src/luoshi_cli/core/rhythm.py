"""The reporting rhythm (SPEC §11 `reporting: {cadence, day}`).  A task whose latest
update is older than the report that was due by the as-of date is *stale*.

- monthly (the default, 碑林/葫芦岛): the report for a month is due by `day` (default
  the 5th) of the next month;
- dekad (旬, 碑林's 以旬保月): a report per 旬 (1st–10th, 11th–20th, 21st–month end),
  due the day after the 旬 ends;
- weekly: a report per week (Monday–Sunday), due on weekday `day` (1 = Monday … 7 =
  Sunday, default 1) of the following week.

Updates are kept per month (`month: YYYY-MM`), so a report "of" a period is an update
of the month the period ends in: a 旬 or week report due by the as-of date is missing
when no update of that month is written.  A report is late from the day after it is
due (monthly by the 5th: late on the 6th).

Date arithmetic only, shared by the LS601 check (`checks.rhythm`), the lights of
`ops.progress` and the status tables of `report.status`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from .model import Reporting, Task
from .periods import add_months, month_end

REPORT_DAY = 5
WEEKLY_DAY = 1
ACTIVE = ("planned", "in_progress")
MONTHLY = Reporting()


@lru_cache(maxsize=64)  # one answer per run, asked once per task
def expected_month(as_of: date, year: int, rhythm: Reporting = MONTHLY) -> str | None:
    """The month of the latest report due by `as_of`, within the ledger year."""
    period = expected_period(as_of, year, rhythm)
    return None if period is None else month_of(period)


@lru_cache(maxsize=64)
def expected_period(as_of: date, year: int, rhythm: Reporting = MONTHLY) -> date | None:
    """The last day of the latest period (month, 旬 or week) whose report was due
    before `as_of`, within the ledger year; None outside it — also early in January,
    when that period is last December's: its report cannot be in this year's ledger
    (LS208), so a task carried over from last year owes nothing yet (audit: LS601
    asked for 2023-12 on 10 January 2024, and writing it was an error).  Likewise late
    in that January a 旬 or week ending in January is next year's report: the latest
    period owed is then the year's last (audit: a weekly ledger was asked for 2025-01
    on 7 January 2025)."""
    if year and not (as_of.year == year or (as_of.year == year + 1 and as_of.month == 1)):
        return None  # outside the ledger's year the rhythm no longer applies
    end = _period_end(as_of, rhythm)
    if year and end.year > year:
        return _last_period_end(year, rhythm)
    return None if year and end.year < year else end


def _last_period_end(year: int, rhythm: Reporting) -> date:
    """The last day of the year's last period: 31 December, or for a weekly rhythm the
    Sunday on or before it (the week across the new year is next year's, by its end)."""
    last = date(year, 12, 31)
    if rhythm.cadence == "weekly":
        return last - timedelta(days=last.isoweekday() % 7)
    return last


def _period_end(as_of: date, rhythm: Reporting) -> date:
    """The last day of the latest period whose report was due before `as_of`."""
    if rhythm.cadence == "dekad":
        end = _dekad_end(as_of - timedelta(days=2))
        return end
    if rhythm.cadence == "weekly":
        day = rhythm.day or WEEKLY_DAY
        # the week's report is due on `day` after its Sunday: late from the next day
        last = as_of - timedelta(days=day + 1)
        return last - timedelta(days=(last.isoweekday() % 7))
    day = rhythm.day or REPORT_DAY
    month = f"{as_of.year:04d}-{as_of.month:02d}"
    back = -1 if as_of.day > min(day, month_end(month).day) else -2
    return month_end(add_months(month, back))


def _dekad_end(day: date) -> date:
    """The last day of the latest 旬 ending on or before `day`."""
    if day.day >= 20:
        return day.replace(day=20) if day.day < month_end(month_of(day)).day else day
    if day.day >= 10:
        return day.replace(day=10)
    return day.replace(day=1) - timedelta(days=1)


def stale(task: Task, as_of: date, year: int, *, status: str | None = None,
          rhythm: Reporting = MONTHLY) -> str | None:
    """The month a report was expected for, when the task is stale; else None.

    Only updates of months up to the as-of month count: a report for a later month
    did not exist yet at `as_of`, so `luoshi status --as-of` in the past shows the
    task as it was then.  `status` is the task's status at `as_of` when the caller
    knows better than the ledger's current one (see `progress.status_at`).
    """
    return stale_since(status or task.status, task.start.toordinal(),
                  [u.month for u in task.updates], due_by(as_of, year, rhythm))


class Due(NamedTuple):
    """The report due by an as-of date: its month, the last day of its period (a task
    started after it owes nothing yet), and the as-of month."""

    month: str
    end: int
    now: str


@lru_cache(maxsize=64)
def due_by(as_of: date, year: int, rhythm: Reporting = MONTHLY) -> Due | None:
    end = expected_period(as_of, year, rhythm)
    if end is None:
        return None
    return Due(month_of(end), end.toordinal(), month_of(as_of))


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
