"""The year's end in the supervision loop (SPEC §12, a luoshi reading): the talks after
the fourth quarter's and the year's rankings are held in the first months of the next
year, and so are the rectifications they order.  Both belong to the ledger of the
ranking they follow, where `status`, the bulletin and the export read them — recorded
in the next year's ledger they would follow a ranking it does not hold.

Three months: what an office takes to publish the year's ranking and hold its talks
(葫芦岛, seed 001, calls the year's bottom three to 约谈 in January); a later date is more
likely a slip (LS706) than that ranking's talk or rectification.  The checks
(LS706) and the bulletin (督办情况) ask the same questions here, and must agree.  The
bulletin asks them of every period, not only the year's end: a talk held in July over
Q2's ranking orders a rectification that Q2's bulletin lists, as Q4's lists January's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from .model import Interview, Rectification


def in_grace(day: date, year: int) -> bool:
    """Whether `day` is in the first three months after the ledger year `year`."""
    return day.year == year + 1 and day.month <= 3


def after_its_ranking(iv: Interview, year: int) -> bool:
    """A talk held in the three months after `year` that names (`period:`) a ranking of
    `year`: the talk after the fourth quarter's or the year's ranking, recorded in the
    ledger of the ranking it follows — not LS706."""
    return (iv.period is not None and iv.period[:4] == str(year)
            and in_grace(iv.date, year))


def ranking_talks(interviews: Iterable[Interview], year: int,
                  unit_of: Callable[[str], str | None] | None = None
                  ) -> dict[str, list[Interview]]:
    """Each unit's talks over a ranking of `year` (`period:` naming one of its
    rankings), held in the year or in the three months after it (`after_its_ranking`),
    for `followed_rankings` to look up: one pass over the interviews, not one per
    rectification.  `unit_of`: the unit a talk's `unit` stands for (the checks: the
    unit LS110's fix names, for a talk that names its unit by name — not also a
    "wrong year" for the rectification that follows it), None for none."""
    out: dict[str, list[Interview]] = {}
    for iv in interviews:
        if iv.period is not None and iv.period[:4] == str(year) and (
                iv.date.year == year or after_its_ranking(iv, year)):
            unit = iv.unit if unit_of is None else unit_of(iv.unit)
            if unit is not None:
                out.setdefault(unit, []).append(iv)
    return out


def followed_rankings(rc: Rectification, talks: Mapping[str, Sequence[Interview]],
                      year: int, unit: str | None = None,
                      after: date | None = None) -> tuple[str, ...]:
    """The rankings of `year` a rectification follows (`talks`: `ranking_talks`).

    Opened in the three months after the year — which makes it the year's, not LS706
    — with `source: ranking`: the year's rankings, the year (no key says which
    ranking, and the year holds its quarters' and months'); with `source: interview`:
    the rankings named (`period:`) by the talks of its unit held after the year and
    on or before the day it was opened.  Opened in the year, with `source: interview`:
    the rankings named by the talks of its unit held in the year on or before that day
    (the bulletin lists it in the period holding one, as it lists a January one; the
    checks do not ask: it is the year's by its date).  `after`: only the talks held
    after that day (the bulletin: its period's end, as the talks it counts after the
    period).  Empty for any other rectification: opened before the year or later than
    three months after it, from another source (`source: ranking` in the year names no
    ranking), or from a talk this ledger does not hold as the year's (the talk is
    LS706 too, or names no ranking).  `unit`: the unit the rectification's `unit`
    stands for, when it is not that (as `ranking_talks`' `unit_of`)."""
    if not year:
        return ()
    grace = in_grace(rc.opened, year)
    if not grace and rc.opened.year != year:
        return ()
    if rc.source == "ranking":
        return (str(year),) if grace else ()
    if rc.source == "interview":
        # one opened after the year follows the talks held after it (a rectification
        # of January after a talk of the year is LS706, as before)
        return tuple(sorted({iv.period for iv in talks.get(unit or rc.unit, ())
                             if iv.period is not None and iv.date <= rc.opened
                             and (not grace or iv.date.year > year)
                             and (after is None or iv.date > after)}))
    return ()
