"""The supervision loop at a date (督办闭环, SPEC §12): which rectifications are open
and overdue, per unit, and which red-light tasks nobody is rectifying yet (应督办).
Which units the ranking marked for 约谈 no interview has followed (应约谈) is
`ops.interviews`' (it scores, and scoring reads this module).

Pure functions of the ledger and a day, like `progress`: a rectification closed after
the day was open on it, so `--as-of` in the past shows the past.  Scoring rules may
count `rectifications_overdue` (a condition `rectifications_overdue: {min: 1}`) and
`rectifications_closed_late` (closed after the deadline within the period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.memo import ByObject
from ..core.model import Ledger, Rectification
from .progress import StatusReport, TaskRow


def rectifications_overdue(ledger: Ledger, unit: str, day: date) -> int:
    """How many of `unit`'s rectifications were still open after their due date on
    `day` (the scoring condition `rectifications_overdue`)."""
    return len(overdue_rectifications(ledger, unit, day))


def overdue_rectifications(ledger: Ledger, unit: str, day: date) -> tuple[str, ...]:
    """The ids of `unit`'s rectifications still open after their due date on `day`, by
    due date then id: what `rectifications_overdue` counts, for `--explain` to name.
    Scoring asks it of every unit: the lists of every unit are made once per ledger
    and day (a scan of every rectification per unit was 10,000 × 8,000 steps)."""
    rects = ledger.rectifications

    def make() -> dict[str, tuple[str, ...]]:
        ids: dict[str, list[tuple[date, str]]] = {}
        for r in rects:
            if r.overdue_at(day):
                ids.setdefault(r.unit, []).append((r.due, r.id))
        return {u: tuple(i for _, i in sorted(v)) for u, v in ids.items()}

    return _overdue.get(rects, make, day).get(unit, ())


#: the overdue ids per unit of the last rectifications and day asked about
_overdue: ByObject[dict[str, tuple[str, ...]]] = ByObject(1)


def rectifications_closed_late(ledger: Ledger, unit: str, start: date, end: date) -> int:
    """How many of `unit`'s rectifications were closed within `start`..`end` (both
    included) after their due date: 整改超期完成 (the scoring condition
    `rectifications_closed_late`).  A closing counts once, in the period of its date;
    a rectification still open is `rectifications_overdue`'s, not this."""
    rects = ledger.rectifications

    def make() -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in rects:
            closed = r.closed.date if r.closed is not None else None
            if closed is not None and start <= closed <= end and closed > r.due:
                counts[r.unit] = counts.get(r.unit, 0) + 1
        return counts

    return _closed_late.get(rects, make, (start, end)).get(unit, 0)


#: the count per unit of the last rectifications and period asked about
_closed_late: ByObject[dict[str, int]] = ByObject(1)


def open_rectifications(ledger: Ledger, day: date, unit: str | None = None
                        ) -> tuple[Rectification, ...]:
    """Open on `day` (opened by then, not closed by then), by due date then id."""
    return tuple(sorted((r for r in ledger.rectifications
                         if r.opened <= day and r.open_at(day)
                         and (unit is None or r.unit == unit)),
                        key=lambda r: (r.due, r.id)))


def in_unit_order(ledger: Ledger, rects: tuple[Rectification, ...]) -> list[Rectification]:
    """Rectifications by unit in units.yaml's order (the office's order, as every
    other table of `status` lists units; a unit not listed follows, by id), then by
    due date and id."""
    rank = {u: i for i, u in enumerate(ledger.units)}
    return sorted(rects, key=lambda r: (rank.get(r.unit, len(rank)), r.unit, r.due, r.id))


@dataclass(frozen=True)
class Supervision:
    """The 督办 view at a date: open and overdue rectifications, and the red-light
    tasks whose lead unit has no open rectification naming them (应督办).  The units
    marked for 约谈 not yet interviewed (应约谈) are `ops.interviews`'."""

    as_of: date
    open: tuple[Rectification, ...]
    overdue: tuple[Rectification, ...]
    to_supervise: tuple[TaskRow, ...]

def supervision(report: StatusReport) -> Supervision:
    """The 督办 view of a status report (its unit filter applies to the rectifications
    listed — that unit's — and to the tasks the report holds).  Whether a red task is
    covered is asked of every open rectification: a task of the report that the unit
    only helps with is covered by its lead unit's rectification, whichever unit the
    report is filtered to."""
    led, day = report.ledger, report.as_of
    everyone = open_rectifications(led, day)
    opened = (everyone if report.unit is None
              else tuple(r for r in everyone if r.unit == report.unit))
    overdue = tuple(r for r in opened if r.due < day)
    covered = {(r.unit, t) for r in everyone for t in r.tasks}
    to_supervise = tuple((t, st) for t, st in report.red_unlit
                         if (t.lead, t.id) not in covered)
    return Supervision(day, opened, overdue, to_supervise)


def rectification_state(r: Rectification, day: date) -> str | None:
    """A rectification's state on `day` (a key of `labels.RECTIFICATION_STATE`), by
    the rules the status report and scoring judge it by: open (`open_at`, a closing
    dated after `day` not yet happened) and past its due date is overdue (`overdue_at`:
    what `rectifications_overdue` counts); closed after its due date is closed late
    (what `rectifications_closed_late` counts).  None: not yet opened on `day` (the
    status report lists no rectification before it is opened)."""
    if r.opened > day:
        return None
    if r.open_at(day):
        return "overdue" if r.overdue_at(day) else "open"
    assert r.closed is not None and r.closed.date is not None  # (open_at says so)
    return "closed_late" if r.closed.date > r.due else "closed"


def has_supervision(ledger: Ledger) -> bool:
    """Does the ledger keep the supervision loop: a supervision file read (even one
    whose lists are still empty), or any interview or rectification?"""
    return ledger.supervised or bool(ledger.interviews or ledger.rectifications)
