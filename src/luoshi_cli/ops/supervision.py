"""The supervision loop at a date (督办闭环, SPEC §12): which rectifications are open
and overdue, per unit, which red-light tasks nobody is rectifying yet (应督办), and
which units the latest ranking marked for 约谈 that no interview has followed (应约谈).

Pure functions of the ledger and a day, like `progress`: a rectification closed after
the day was open on it, so `--as-of` in the past shows the past.  Scoring rules may
count `rectifications_overdue` (a condition `rectifications_overdue: {min: 1}`) and
`rectifications_closed_late` (closed after the deadline within the period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.codes import L
from ..core.errors import ScoringError
from ..core.memo import ByObject
from ..core.model import Ledger, Rectification
from ..core.periods import bounds, months_of
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
class DueInterview:
    """A unit a ranking marked for 约谈 — in the bottom `interview_bottom` of its group
    (`by_rank`) or by a rule's `interview: true` (`by_rule`) — with no interview of it
    recorded after the ranked period's last day (`since`) up to the as-of date."""

    unit: str
    period: str
    since: date
    rank: int
    group_name: str
    by_rank: bool
    by_rule: bool
    #: the rules with `interview: true` that held, each its `note` (what the office
    #: wrote the rule for) or, without one, its id
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class InterviewsDue:
    """The rankings the 应约谈 list was read from (the latest quarter, and the latest
    month when the scheme ranks months, that ended before the as-of date and have
    their records), the units still to be interviewed, in ranking order per period,
    and the rankings that could not be read, with why (a missing record or score:
    nothing is guessed)."""

    periods: tuple[str, ...]
    due: tuple[DueInterview, ...]
    unjudged: tuple[tuple[str, L], ...]


@dataclass(frozen=True)
class Supervision:
    """The 督办 view at a date: open and overdue rectifications, the red-light
    tasks whose lead unit has no open rectification naming them (应督办), and the
    units marked for 约谈 not yet interviewed (应约谈; None when the scheme marks
    nobody for an interview)."""

    as_of: date
    open: tuple[Rectification, ...]
    overdue: tuple[Rectification, ...]
    to_supervise: tuple[TaskRow, ...]
    to_interview: InterviewsDue | None = None

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
    return Supervision(day, opened, overdue, to_supervise,
                       interviews_due(led, day, report.unit))


def marks_interviews(ledger: Ledger) -> bool:
    """Can the scheme mark a unit for 约谈: a bottom count for some period or group,
    or a rule with `interview: true`?"""
    scheme = ledger.scheme
    if scheme is None:
        return False
    return bool(scheme.interview_bottom or scheme.month_interview_bottom
                or scheme.quarter_interview_bottom
                or any(g.interview_bottom for g in scheme.ranking_groups)
                or any(r.interview for r in scheme.rules))


def ranked_periods(ledger: Ledger, day: date) -> tuple[str, ...]:
    """The latest quarter that ended before `day` with the records to rank it (its own
    when the scheme assesses quarterly, its three months' when it assesses monthly),
    and the latest month that ended before `day` with its record when the scheme ranks
    months: the rankings an office can have published by `day` (a period is ranked
    after its last day, so a period ending on `day` is not yet; a quarter whose June
    record is still missing is not ranked yet, and the one before it is the latest)."""
    scheme = ledger.scheme
    if scheme is None:
        return ()
    year = ledger.config.year or day.year
    held = {r.period for r in ledger.records}
    cadences = {c.cadence for c in scheme.leaves()}
    monthly = "monthly" in cadences
    out: list[str] = []
    for q in (4, 3, 2, 1):
        period = f"{year}-Q{q}"
        if (cadences & {"quarterly", "monthly"} and bounds(period)[1] < day
                and ("quarterly" not in cadences or period in held)
                and (not monthly or all(m in held for m in months_of(period)))):
            out.append(period)
            break
    if monthly:
        for m in range(12, 0, -1):
            period = f"{year}-{m:02d}"
            if bounds(period)[1] < day and period in held:
                out.append(period)
                break
    return tuple(out)


def interviews_due(ledger: Ledger, day: date, unit: str | None = None
                   ) -> InterviewsDue | None:
    """应约谈 on `day` (SPEC §4 and §12: the ranking marks the bottom for 约谈; the
    supervision files record the talks held): the units the latest rankings
    (`ranked_periods`) marked, with no interview of the unit dated after the ranked
    period's last day and on or before `day`.  An interview before the period ended
    (a red light's talk in March) is not the ranking's.  `unit`: that unit only.
    None when the ledger keeps no supervision loop or its scheme marks nobody: there
    is no list to keep then.  A ranking resting on missing scores is not read (the
    bulletin would not publish it either): it is in `unjudged`, with why."""
    from .scoring import score_period

    scheme = ledger.scheme
    if scheme is None or not has_supervision(ledger) or not marks_interviews(ledger):
        return None
    held: dict[str, list[date]] = {}
    for iv in ledger.interviews:
        held.setdefault(iv.unit, []).append(iv.date)
    periods = ranked_periods(ledger, day)
    due: list[DueInterview] = []
    unjudged: list[tuple[str, L]] = []
    for period in periods:
        try:
            result = score_period(ledger, period, partial_option=None)
        except ScoringError as exc:
            unjudged.append((period, exc.label))
            continue
        gaps = [u.name or u.unit for u in result.units if u.missing]
        if gaps:
            unjudged.append((period, L(f"缺少评分的单位：{'、'.join(gaps)}，排名不完整",
                                       f"scores missing for {', '.join(gaps)}: the "
                                       "ranking is incomplete")))
            continue
        since = bounds(period)[1]
        talk_rules = {r.id: r.note or r.id for r in scheme.rules if r.interview}
        due.extend(DueInterview(u.unit, period, since, u.rank, u.group_name,
                                u.rank_interview, u.rule_interview,
                                tuple(talk_rules[r] for r in u.rules_applied
                                      if r in talk_rules))
                   for u in result.units
                   if u.interview and (unit is None or u.unit == unit)
                   and not any(since < d <= day for d in held.get(u.unit, ())))
    return InterviewsDue(periods, tuple(due), tuple(unjudged))


def has_supervision(ledger: Ledger) -> bool:
    """Does the ledger keep the supervision loop: a supervision file read (even one
    whose lists are still empty), or any interview or rectification?"""
    return ledger.supervised or bool(ledger.interviews or ledger.rectifications)
