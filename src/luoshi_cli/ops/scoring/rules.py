"""Grade rules (SPEC §4, §10 rules v2): conditions, then actions in a fixed order.

Conditions are a small registry: each is one function that reads its own part of
a `Rule` and the unit's period facts (`Facts`) and says whether it held (with the
words `--explain` prints), or None when the rule does not use it.  A rule holds
when every condition it uses holds.  One more condition (as the supervision loop's
`rectifications_overdue` was) is one more function in `CONDITIONS` and one more
field on `Rule` / `Facts`.

Actions, whatever order rules are written in: rewards first — every `min_grade`
(the best wins), then `upgrade`s add up — then every `max_grade` cap (the strictest
wins), then `downgrade`s add up, never past the last band: a sanction always has the
last word.  `interview: true` marks the unit for 约谈 whatever its rank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...core.model import Rule, Scheme


@dataclass(frozen=True, slots=True)
class Facts:
    """What a unit's rules are evaluated on, for the period: its counted deductions
    (category per incident; restored ones are not here), flags, bonus categories,
    and milestones overdue at the period's end."""

    deductions: Sequence[str] = ()
    flags: Sequence[str] = ()
    bonuses: Sequence[str] = ()
    overdue: int = 0
    #: milestones of tasks it leads due within the period, done after their due date
    #: or not done by the period's end (rules' late_milestones)
    late: int = 0
    #: its rectifications still open after their due date at the period's end
    rectifications_overdue: int = 0
    #: its rectifications closed within the period after their due date
    rectifications_closed_late: int = 0
    #: deduction points per category (for a future condition on points)
    points: Sequence[tuple[str, Decimal]] = ()


@dataclass(frozen=True, slots=True)
class RuleStep:
    """A rule whose condition held, and what it did to the grade."""

    rule: str
    action: str  # "min_grade" | "upgrade" | "max_grade" | "downgrade" | "interview" | ""
    before: str
    after: str
    why: str  # the condition that held, e.g. "deductions_in: formalism" or "flag: veto"
    note: str | None = None  # the rule's `note`: what user-facing text prints


Condition = Callable[[Rule, Facts], "tuple[bool, str] | None"]


def _deductions_in(r: Rule, f: Facts) -> tuple[bool, str] | None:
    if not r.deductions_in:
        return None
    hit = sorted(set(f.deductions) & set(r.deductions_in))
    return bool(hit), f"deductions_in: {', '.join(hit)}"


def _flag(r: Rule, f: Facts) -> tuple[bool, str] | None:
    if r.flag is None:
        return None
    return r.flag in f.flags, f"flag: {r.flag}"


def _deductions_count(r: Rule, f: Facts) -> tuple[bool, str] | None:
    if r.deductions_count_min is None:
        return None
    wanted = set(r.deductions_count_in)
    n = sum(1 for c in f.deductions if not wanted or c in wanted)
    return n >= r.deductions_count_min, f"deductions_count: {n} ≥ {r.deductions_count_min}"


def _overdue_tasks(r: Rule, f: Facts) -> tuple[bool, str] | None:
    if r.overdue_tasks_min is None:
        return None
    return f.overdue >= r.overdue_tasks_min, f"overdue_tasks: {f.overdue} ≥ {r.overdue_tasks_min}"


def _late_milestones(r: Rule, f: Facts) -> tuple[bool, str] | None:
    if r.late_milestones_min is None:
        return None
    return f.late >= r.late_milestones_min, f"late_milestones: {f.late} ≥ {r.late_milestones_min}"


def _rectifications_overdue(r: Rule, f: Facts) -> tuple[bool, str] | None:
    if r.rectifications_overdue_min is None:
        return None
    return (f.rectifications_overdue >= r.rectifications_overdue_min,
            f"rectifications_overdue: {f.rectifications_overdue} ≥ "
            f"{r.rectifications_overdue_min}")


def _rectifications_closed_late(r: Rule, f: Facts) -> tuple[bool, str] | None:
    if r.rectifications_closed_late_min is None:
        return None
    return (f.rectifications_closed_late >= r.rectifications_closed_late_min,
            f"rectifications_closed_late: {f.rectifications_closed_late} ≥ "
            f"{r.rectifications_closed_late_min}")


def _bonuses_in(r: Rule, f: Facts) -> tuple[bool, str] | None:
    if not r.bonuses_in:
        return None
    hit = sorted(set(f.bonuses) & set(r.bonuses_in))
    return bool(hit), f"bonuses_in: {', '.join(hit)}"


#: every condition a rule's `when` may use, in the order `--explain` lists them
CONDITIONS: dict[str, Condition] = {
    "deductions_in": _deductions_in,
    "flag": _flag,
    "deductions_count": _deductions_count,
    "overdue_tasks": _overdue_tasks,
    "bonuses_in": _bonuses_in,
    "rectifications_overdue": _rectifications_overdue,
    "late_milestones": _late_milestones,
    "rectifications_closed_late": _rectifications_closed_late,
}


def held(r: Rule, facts: Facts) -> str | None:
    """The words for the conditions that held, when every condition the rule uses
    held; None when one did not (or the rule uses none)."""
    whys = []
    for cond in CONDITIONS.values():
        got = cond(r, facts)
        if got is None:
            continue
        ok, why = got
        if not ok:
            return None
        whys.append(why)
    return "; ".join(whys) if whys else None


def apply_rules(scheme: Scheme, base: str, facts: Facts
                ) -> tuple[str, list[str], tuple[RuleStep, ...], bool]:
    """The grade after every rule that held: rewards (min_grade, then upgrades), caps,
    downgrades.  Returns the grade, the ids of the rules that held (scheme order),
    the steps for --explain, and whether a rule marks the unit for interview."""
    names = [g.name for g in scheme.grades]
    hits = [(r, why) for r in scheme.rules if (why := held(r, facts)) is not None]
    interview = any(r.interview for r, _ in hits)
    ids = [r.id for r, _ in hits]
    if base not in names:
        return base, ids, tuple(RuleStep(r.id, "", base, base, why, r.note)
                                for r, why in hits), interview
    idx = names.index(base)
    steps: list[RuleStep] = []
    acted: set[str] = set()

    def step(r: Rule, why: str, action: str, new: int) -> None:
        nonlocal idx
        before, idx = idx, new
        acted.add(r.id)
        steps.append(RuleStep(r.id, action, names[before], names[idx], why, r.note))

    for r, why in hits:
        if r.min_grade is not None and r.min_grade in names:
            step(r, why, "min_grade", min(idx, names.index(r.min_grade)))
    for r, why in hits:
        if r.upgrade:
            step(r, why, "upgrade", max(idx - r.upgrade, 0))
    for r, why in hits:
        if r.max_grade is not None and r.max_grade in names:
            step(r, why, "max_grade", max(idx, names.index(r.max_grade)))
    for r, why in hits:
        if r.downgrade:
            step(r, why, "downgrade", min(idx + r.downgrade, len(names) - 1))
    for r, why in hits:
        if r.interview:
            acted.add(r.id)
            steps.append(RuleStep(r.id, "interview", names[idx], names[idx], why, r.note))
        elif r.id not in acted:
            steps.append(RuleStep(r.id, "", names[idx], names[idx], why, r.note))
    return names[idx], ids, tuple(steps), interview
