"""Periods: `YYYY-Qn` quarters and `YYYY` years, `YYYY-MM` months, and the dates they
span.  The one place their written forms are parsed."""

from __future__ import annotations

import calendar
import re
from datetime import date

#: the years a period can name: four digits, as periods are written (YYYY, YYYY-Qn)
MIN_YEAR, MAX_YEAR = 1000, 9999

#: a period as a ledger writes it (whole text): a quarter 2021-Q2 or a year 2021 — of
#: the years MIN_YEAR–MAX_YEAR (`0000-Q2` has no dates: its bounds crashed validate)
PERIOD_RE = re.compile(r"([1-9]\d{3})(?:-Q([1-4]))?")
#: a month as a ledger writes it (whole text): 2024-05
MONTH_RE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def default_as_of(year: int | None, today: date) -> date:
    """The as-of every command uses when none is given: the earlier of today and the
    ledger year's end (issue 16: a 2024 ledger read in 2026 is judged at 2024-12-31,
    not with every task red and every report two years late)."""
    return min(today, date(year, 12, 31)) if year else today


def bounds(period: str) -> tuple[date, date]:
    """First and last day of a period (inclusive): a quarter, a year or a month."""
    if MONTH_RE.fullmatch(period):
        return date(int(period[:4]), int(period[5:7]), 1), month_end(period)
    m = PERIOD_RE.fullmatch(period)
    if not m:
        raise ValueError(f"not a period: {period}")
    year = int(m.group(1))
    if m.group(2) is None:
        return date(year, 1, 1), date(year, 12, 31)
    q = int(m.group(2))
    first_month = 3 * q - 2
    last_month = 3 * q
    return date(year, first_month, 1), date(year, last_month,
                                             calendar.monthrange(year, last_month)[1])


def inside(period: str, first: date, last: date) -> bool:
    """Whether the record period `period` (a month, a quarter, a year) lies within
    the days `first`–`last`: a month's record in its quarter, any record in its year.
    Scoring (an undated flag) and the bulletin (which records it lists) both ask it,
    and must agree.  A text that is no period lies nowhere."""
    try:
        start, end = bounds(period)
    except ValueError:
        return False
    return first <= start and end <= last


def quarter_of(year: int, quarter: str | int) -> str:
    q = str(quarter).upper().lstrip("Q")
    return f"{year}-Q{q}"


def is_annual(period: str) -> bool:
    return "-Q" not in period and not MONTH_RE.fullmatch(period)


def is_month(period: str) -> bool:
    """A monthly record's period (SPEC §10 `cadence: monthly`): 2024-05."""
    return MONTH_RE.fullmatch(period) is not None


def cadence_of(period: str) -> str:
    """The cadence of the leaves a record of `period` scores."""
    return "monthly" if is_month(period) else "annual" if is_annual(period) else "quarterly"


def months_of(period: str) -> list[str]:
    """The months of a quarter or a year, in order."""
    start, end = bounds(period)
    first = f"{start.year:04d}-{start.month:02d}"
    return [add_months(first, i) for i in range((end.year - start.year) * 12
                                                 + end.month - start.month + 1)]


def month_end(month: str) -> date:
    y, m = int(month[:4]), int(month[5:7])
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:7])
    total = y * 12 + (m - 1) + n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"
