"""Periods: `YYYY-Qn` quarters and `YYYY` years, `YYYY-MM` months, and the dates they
span.  The one place their written forms are parsed."""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import cache

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


@cache
def bounds(period: str) -> tuple[date, date]:
    """First and last day of a period (inclusive): a quarter, a year or a month.
    Kept per period: scoring asks it once per unit (a province: 10,000 units)."""
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


def ranked_kinds(cadences: Collection[str]) -> frozenset[str]:
    """The kinds of period ("month", "quarter", "year") a scheme whose leaves have
    `cadences` ranks: the year always; a quarter when a leaf is assessed quarterly or
    monthly (a quarter's ranking reads its own record or its three months'); a month
    when a leaf is assessed monthly.  One rule for 应约谈 (`ops.interviews`, which
    rankings have been made) and for the supervision checks (LS713, which ranking an
    interview may follow): each once read the cadences for itself."""
    return frozenset({"year"}
                     | ({"quarter"} if {"quarterly", "monthly"} & set(cadences) else set())
                     | ({"month"} if "monthly" in cadences else set()))


@dataclass(frozen=True)
class QuarterRecords:
    """The records a quarter's ranking reads (SPEC §10), and which of them a ledger
    holds: the quarter's own when the scheme has quarterly leaves, its three months'
    when it has monthly ones (a monthly leaf's quarter is the mean of its months).
    Scoring, the bulletin, 应约谈 and the exports each ask whether a quarter can be
    ranked; each used to work the answer out for itself, and one that drifted ranked,
    or left out, a quarter the others did not.  Each now states its own rule over
    these facts in a line."""

    quarter: str
    #: whether the ranking reads the quarter's own record (the scheme has quarterly leaves)
    reads_own: bool
    #: the months whose records it reads, in order (empty without monthly leaves)
    months: tuple[str, ...]
    #: of the records it reads, those held
    present: frozenset[str]

    @property
    def reads(self) -> tuple[str, ...]:
        """Every record the ranking reads: the quarter's own first, then its months."""
        return ((self.quarter,) if self.reads_own else ()) + self.months

    @property
    def missing(self) -> tuple[str, ...]:
        """The records it reads that are not held, in the order of `reads`."""
        return tuple(p for p in self.reads if p not in self.present)

    def rankable(self, partial: bool = False) -> bool:
        """Whether `score` ranks the quarter (the rule `score_period` applies): the
        scheme assesses something in a quarter, the quarter's own record is held if it
        is read, and its months are all held — or, with `partial` (`score --partial`),
        at least one of them, as the mean of no month is no score."""
        if not self.reads or (self.reads_own and self.quarter not in self.present):
            return False
        held = sum(m in self.present for m in self.months)
        return held == len(self.months) or (partial and held > 0)


def quarter_records(cadences: Collection[str], held: Collection[str], quarter: str
                    ) -> QuarterRecords:
    """The records the ranking of `quarter` (2024-Q2) reads for a scheme whose leaves
    have `cadences` (`{c.cadence for c in scheme.leaves()}`), and which of them are
    among `held` (the periods the ledger has a record of).  Pure: the callers hold
    the ledger, and a set of periods is what they all have at hand."""
    m = PERIOD_RE.fullmatch(quarter)
    if m is None or m.group(2) is None:
        raise ValueError(f"not a quarter: {quarter}")
    reads_own = "quarterly" in cadences
    months = tuple(months_of(quarter)) if "monthly" in cadences else ()
    reads = ((quarter,) if reads_own else ()) + months
    return QuarterRecords(quarter, reads_own, months, frozenset(p for p in reads if p in held))
