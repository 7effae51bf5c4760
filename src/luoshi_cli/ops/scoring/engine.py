"""The assessment scheme applied to a period (SPEC §4): scores, grades, ranks.

A published score decides bonuses and who is called in for a warning talk (约谈),
so every step here is exact and explainable: all arithmetic is `Decimal` (never a
binary float), intermediate values keep their precision, and only the published
figures are rounded, half-up (四舍五入).  Each unit's result keeps the whole tree
it was built from (weights, renormalised shares, component scores, contributions,
checklist lines, task lines, deductions, rules), so `luoshi score --explain` can
show a unit that disputes its rank exactly why.

Choices where SPEC is silent (all documented in docs/readme/scoring.md):
- a leaf score missing from a record counts 0 and is listed in the unit's `missing`
  (as SPEC does for checklist items and task quality); a leaf that does not apply —
  a `source: tasks` leaf for a unit without such tasks — is left out instead;
- an event belongs to a period by its date; an undated flag to its record's period;
- sanctions: every `max_grade` cap first (the strictest wins), then the downgrades
  add up — so the order rules are written in never matters;
- suspended tasks are left out of `source: tasks` leaves, as from the on-time rate.

Pure: takes the `Ledger` and plain arguments, never prints, never reads a clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from datetime import date as _Date
from decimal import Decimal, localcontext
from typing import Protocol

from ...core.assessment import (
    Credited,
    applies,
    credited_units,
    scored_units,
    tasks_by_lead,
)
from ...core.codes import L
from ...core.errors import ScoringError as ScoringError
from ...core.finding import Finding
from ...core.labels import json_number, plain
from ...core.model import (
    Component,
    Item,
    Ledger,
    Record,
    RecordFlag,
    Scheme,
    TaskKey,
    positional_maker,
    slot_replacer,
)
from ...core.numbers import PRECISION, fixed_context, publish
from ...core.periods import PERIOD_RE, bounds, inside, is_month, months_of, quarter_records
from ..supervision import overdue_rectifications, rectifications_closed_late
from .bonuses import BonusLine, capped, final_score
from .grades import QuotaNote, apply_quotas, group_of, rank
from .rules import Facts, RuleStep, apply_rules

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


# ---- result records ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Incident:
    """One deduction applied to a unit (负面清单扣分)."""

    unit: str
    category: str
    category_name: str
    date: date | None
    points: Decimal  # as recorded, within the category's range
    media: bool  # exposed by mainstream media (媒体曝光)
    multiplier: Decimal  # media_multiplier when media, else 1
    multiplied: Decimal  # points × multiplier: what is subtracted
    reason: str | None
    period: str  # the record it is written in
    file: str
    #: SPEC §10 预扣分; `restored`: the date it was given back (已返还) on or before
    #: the period's end — then it counts nothing, in points or in rules
    provisional: bool = False
    restored: _Date | None = None


@dataclass(frozen=True, slots=True)
class ItemLine:
    """A checklist line and the points the unit earned on it."""

    id: str
    name: str
    points: Decimal
    earned: Decimal
    missing: bool = False  # a leaf item with no earned points: counted 0
    items: tuple[ItemLine, ...] = ()


@dataclass(frozen=True, slots=True)
class TaskLine:
    """A task behind a `source: tasks` leaf: timeliness (时效) and quality (质量)."""

    task: str
    title: str
    due: int  # milestones due in the period
    on_time: int  # of those, done on or before their due date
    timeliness: Decimal
    quality: Decimal
    quality_missing: bool
    score: Decimal
    #: SPEC §10 late_per_day: milestones done late inside the period, and the share
    #: of timeliness credit (in milestones) they earned
    late: int = 0
    late_credit: Decimal = _ZERO
    #: how the unit is credited with the task: "lead" | "responsible" | "cooperating"
    role: str = "lead"
    #: with late_per_day: milestones due in the period but done after its end — they
    #: earn no late credit (the office scores the period as it closed), which
    #: `--explain` says so that a clerk does not look for the missing credit
    after_end: int = 0


#: `TaskLine(...)` without its frozen `__init__`: one is made per task and unit
_task_line = positional_maker(TaskLine)


@dataclass(frozen=True, slots=True)
class Part:
    """One component of a unit's tree.

    `score` is exact; None when the component is left out of this period (another
    cadence, no tasks, no record).  `share` is the weight after renormalising over
    the siblings that are scored (they sum to 100), `contribution` the points this
    component adds to its parent's score (share × score / 100).
    """

    id: str
    name: str
    weight: Decimal
    cadence: str
    score: Decimal | None
    share: Decimal = _ZERO
    contribution: Decimal = _ZERO
    children: tuple[Part, ...] = ()
    #: how a leaf got its score: "score" (a record's scores:), "items" (checklist),
    #: "tasks" (source: tasks), "mean" (annual mean of quarters); "" for parents
    basis: str = ""
    missing: bool = False  # a leaf with no score in its record: counted 0
    items: tuple[ItemLine, ...] = ()
    tasks: tuple[TaskLine, ...] = ()
    #: for "mean": each quarter's (month's) score (None: no score that quarter, e.g.
    #: n/a); `untasked`: those where a `source: tasks` leaf had no task due
    quarters: tuple[tuple[str, Decimal | None], ...] = ()
    untasked: tuple[str, ...] = ()
    #: for source: tasks leaves, the leaf's timeliness and quality weights
    timeliness: Decimal | None = None
    quality: Decimal | None = None
    #: SPEC §10: not assessed for this unit (`applies_to`, or `n/a`/不适用 in the
    #: record): left out, the siblings renormalised; shown as 不适用
    not_applicable: bool = False

    def walk(self) -> Iterable[Part]:
        yield self
        for c in self.children:
            yield from c.walk()


#: `replace(part, share=…, contribution=…)`: once per component and unit
_shared = slot_replacer(Part, "share", "contribution")


@dataclass(frozen=True, slots=True)
class UnitScore:
    unit: str
    name: str
    exact: Decimal  # unrounded final score (after deductions and floor)
    score: Decimal  # published: exact rounded half-up to `places`
    grade: str  # after rules
    base_grade: str  # from the published score, before rules
    rank: int
    interview: bool
    components: dict[str, Decimal]  # every scored component id → rounded score
    deductions: Decimal  # total after media multiplier, rounded
    incidents: list[Incident]
    rules_applied: list[str]
    missing: list[str]
    # the explanation
    raw: Decimal = _ZERO  # exact tree score before deductions
    deductions_exact: Decimal = _ZERO
    floored: bool = False
    parts: tuple[Part, ...] = ()
    rule_steps: tuple[RuleStep, ...] = ()
    flags: tuple[str, ...] = ()  # kinds of the flags that count in the period
    #: SPEC §10: the components not assessed for this unit (applies_to, n/a), by id
    not_applicable: tuple[str, ...] = ()
    #: SPEC §10 ranking group (id, name; "" without groups): `rank` is in the group
    group: str = ""
    group_name: str = ""
    #: the grade before a quota (优秀比例) moved it down; "" when no quota moved it
    quota_from: str = ""
    #: SPEC §10 加分: the bonuses of the period, their sum as written and after the cap
    bonuses: tuple[BonusLine, ...] = ()
    bonus_total: Decimal = _ZERO
    bonus_capped: Decimal = _ZERO
    ceiled: bool = False  # the scheme's ceiling capped the final score
    #: a rule with `interview: true` held (marked whatever the rank)
    rule_interview: bool = False
    #: marked by its rank: in the bottom `interview_bottom` of its group (with ties);
    #: `interview` is this or `rule_interview` (a bulletin words the two apart)
    rank_interview: bool = False
    #: milestones of tasks it leads overdue at the period's end (rules' overdue_tasks)
    overdue: int = 0
    #: milestones of tasks it leads due in the period and not done on time (rules'
    #: late_milestones); 0 when no rule asks
    late_milestones: int = 0
    #: its rectifications closed within the period after their due date (rules'
    #: rectifications_closed_late); 0 when no rule asks
    rectifications_closed_late: int = 0
    #: the ids of its rectifications open after their deadline at the period's end
    #: (rules' rectifications_overdue, which counts them); () when no rule asks
    overdue_rectifications: tuple[str, ...] = ()
    #: provisional deductions given back (已返还) by the period's end: not counted
    restored: tuple[Incident, ...] = ()


#: `replace(unit_score, rank=…, …)` as `_result` ranks each unit
_ranked = slot_replacer(UnitScore, "rank", "interview", "rank_interview", "group",
                        "group_name", "grade", "quota_from")


@dataclass(frozen=True, slots=True)
class ScoreResult:
    scheme: str
    scheme_title: str
    period: str
    places: int
    units: list[UnitScore]  # in ranking order
    missing_quarters: tuple[str, ...]
    warnings: list[Finding]
    #: the YYYY record is absent (annual with --partial): annual leaves left out
    missing_annual_record: bool = False
    #: assessed units with nothing to score in the period (every leaf left out)
    unscored: tuple[str, ...] = ()
    interview_bottom: int = 0
    #: SPEC §10: the ranking groups (id, name, interview_bottom) in scheme order
    groups: tuple[tuple[str, str, int], ...] = ()
    #: the grade quotas applied, per group
    quotas: tuple[QuotaNote, ...] = ()
    #: every component id of the scheme, in its walk (tree) order
    components: tuple[str, ...] = ()

    @property
    def annual(self) -> bool:
        return self.period.isdigit()

    @property
    def monthly(self) -> bool:
        return is_month(self.period)

    def unit(self, unit_id: str) -> UnitScore | None:
        for u in self.units:
            if u.unit == unit_id:
                return u
        return None


# ---- small arithmetic ---------------------------------------------------------------------


def weighted(parts: Sequence[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """Σ weight × score / Σ weight over the scored parts (score not None).

    This is "roll up by weight, renormalising the remaining siblings to 100" in one
    division, so scaling every weight by the same factor gives the same result.
    None when nothing is scored (or the scored weights are all 0).
    """
    num = _ZERO
    den = _ZERO
    for w, s in parts:
        if s is not None:
            num += w * s
            den += w
    if den == 0:
        return None
    return num / den


def grade_of(score: Decimal, scheme: Scheme) -> str:
    """The first band (best first) whose lower bound the published score reaches."""
    for g in scheme.grades:
        if score >= g.min:
            return g.name
    return scheme.grades[-1].name if scheme.grades else ""


# ---- which tasks and units ----------------------------------------------------------------


Dated = tuple[date, date | None]
"""A milestone as scoring reads it: its due date and its done date (`Task.dates`,
`view.ScoreTask.dates`): a plain pair, so the task scoring makes in the parse worker
crosses to this process as it was pickled, with no object per milestone made here."""


class Scored(Credited, Protocol):
    """A task as scoring reads it: a `Task`, or the `view.ScoreTask` that `score`
    makes in the parse worker instead (only these fields cross between processes):
    what crediting reads (`core.assessment.Credited`), its title and its milestones'
    (due, done) dates."""

    @property
    def title(self) -> str: ...

    @property
    def dates(self) -> Sequence[Dated]: ...


TaskIndex = dict[str, list[Scored]]
CREDITS = ("lead", "responsible", "all")


def tasks_by_credit(tasks: Iterable[Scored], credit: str) -> TaskIndex:
    """Each unit's credited tasks in id order (SPEC §10 `credit`), suspended ones left
    out: "lead" the tasks it leads (v1); "responsible" also those listing it in
    `units` (责任单位); "all" also those listing it in `cooperating`.  A unit named
    twice on one task is credited once."""
    if credit == "lead":
        return tasks_by_lead(tasks)
    out: TaskIndex = {}
    for t in sorted(tasks, key=lambda t: t.id):
        if t.status == "suspended":
            continue
        names = [t.lead, *t.units, *(t.cooperating if credit == "all" else ())]
        for u in dict.fromkeys(names):
            out.setdefault(u, []).append(t)
    return out


def role_of(task: Scored, unit: str) -> str:
    if task.lead == unit:
        return "lead"
    return "responsible" if unit in task.units else "cooperating"


class TaskIndexes:
    """The task indexes of one scoring run, one per `credit` mode, built when first
    asked (ledgers hold tens of thousands of tasks)."""

    def __init__(self, tasks: Sequence[Scored]) -> None:
        self._tasks = tasks
        self._by: dict[str, TaskIndex] = {}

    def get(self, credit: str) -> TaskIndex:
        if credit not in self._by:
            self._by[credit] = tasks_by_credit(self._tasks, credit)
        return self._by[credit]


# ---- leaves -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Leaf:
    score: Decimal | None
    basis: str
    missing: bool = False
    items: tuple[ItemLine, ...] = ()
    tasks: tuple[TaskLine, ...] = ()
    quarters: tuple[tuple[str, Decimal | None], ...] = ()
    untasked: tuple[str, ...] = ()
    #: what counted 0 by default: leaf ids, "leaf/item", "leaf/task"
    gaps: tuple[str, ...] = ()


LeafFn = Callable[[Component], Leaf | None]


def _item_lines(items: tuple[Item, ...], earned: dict[str, Decimal]
                ) -> tuple[tuple[ItemLine, ...], list[str]]:
    lines = []
    gaps: list[str] = []
    for it in items:
        if it.items:
            sub, sub_gaps = _item_lines(it.items, earned)
            gaps += sub_gaps
            lines.append(ItemLine(it.id, it.name, it.points,
                                  sum((x.earned for x in sub), _ZERO), False, sub))
        elif it.id in earned:
            lines.append(ItemLine(it.id, it.name, it.points, earned[it.id]))
        else:
            gaps.append(it.id)
            lines.append(ItemLine(it.id, it.name, it.points, _ZERO, True))
    return tuple(lines), gaps


def record_leaf(c: Component, unit: str, period: str, rec: Record | None,
                ledger: Ledger, index: TaskIndex | TaskIndexes | None = None) -> Leaf:
    """A leaf's score for one unit from the record of its own period.

    A missing score counts 0 (`missing`), never silently: the gap is named in the
    unit's `missing` and in a warning.  Only a `source: tasks` leaf for a unit with no
    such task has no score at all (None): it is left out and its siblings renormalised;
    and so is a leaf the record writes `n/a` (不适用) for the unit (basis "n/a").
    """
    if rec is not None and c.id in rec.not_applicable.get(unit, ()):
        return Leaf(None, "n/a")
    if c.source == "tasks":
        return tasks_leaf(c, unit, period, rec, ledger, index)
    if c.items:
        earned = rec.items.get(unit, {}).get(c.id) if rec is not None else None
        if earned is None:
            lines, _ = _item_lines(c.items, {})
            return Leaf(_ZERO, "items", True, lines, gaps=(c.id,))
        lines, gaps = _item_lines(c.items, earned)
        total = sum((x.earned for x in lines), _ZERO)
        return Leaf(total, "items", False, lines, gaps=tuple(f"{c.id}/{g}" for g in gaps))
    value = rec.scores.get(unit, {}).get(c.id) if rec is not None else None
    if value is None:
        return Leaf(_ZERO, "score", True, gaps=(c.id,))
    return Leaf(value, "score")


def task_quality(rec: Record | None, task: str, unit: str) -> Decimal | None:
    """A task's quality for `unit`: its own entry when the record gives one per unit
    (`T-001: {zjj: 85}`), else the task's one number (SPEC §10); None when missing."""
    if rec is None:
        return None
    per_unit = rec.quality_by_unit.get(task)
    if per_unit is not None:
        return per_unit.get(unit)
    return rec.quality.get(task)


def tasks_leaf(c: Component, unit: str, period: str, rec: Record | None,
               ledger: Ledger, index: TaskIndex | TaskIndexes | None = None) -> Leaf:
    """七里河's 成效 = 时效 : 质量 (e.g. 3 : 7) over the tasks the unit is credited with.

    Per task: timeliness = 100 × milestones due in the period done on or before their
    due date / milestones due in the period; quality from the record (0 when missing).
    With `late_per_day: p` a milestone done d days late (inside the period) earns
    max(0, 100 − p × d) % of one milestone's credit instead of 0 (SPEC §10).
    The leaf is the mean of the task scores; None when the unit has no such task.
    """
    start, end = bounds(period)
    t_weight = c.timeliness if c.timeliness is not None else _ZERO
    q_weight = c.quality if c.quality is not None else _ZERO
    if isinstance(index, TaskIndexes):
        credited: TaskIndex | None = index.get(c.credit)
    elif c.credit != "lead":
        credited = tasks_by_credit(ledger.tasks, c.credit)
    else:
        credited = index
    lines = []
    gaps = []
    weigh_quality = q_weight > 0
    per_day = c.late_per_day
    # timeliness without late credit depends only on (on time, due), and the task's
    # score only on that and its quality: the same few Decimals for tens of
    # thousands of tasks, computed once each
    plain: dict[tuple[int, int], Decimal] = {}
    scored: dict[tuple[Decimal, Decimal], Decimal] = {}
    line = _task_line
    # one pass per task over its (due, done) pairs: this loop runs once per task and
    # credited unit (every task of a 100,000-task ledger at least once), in one
    # process, after the parse
    total = _ZERO
    led = credited if credited is not None else tasks_by_lead(ledger.tasks)
    for task in led.get(unit, ()):
        dates = task.dates
        n = on_time = 0
        for due_on, done in dates:
            if start <= due_on <= end:
                n += 1
                if done is not None and done <= due_on:
                    on_time += 1
        if not n:
            continue
        late = 0
        late_credit = _ZERO
        after_end = 0
        if per_day is not None:
            for due_on, done in dates:
                if start <= due_on <= end and done is not None and due_on < done:
                    if done > end:
                        after_end += 1
                        continue
                    late += 1
                    days = (done - due_on).days
                    late_credit += max(_ZERO, _HUNDRED - per_day * days) / _HUNDRED
            timeliness = _HUNDRED * (on_time + late_credit) / n
        else:
            known = plain.get((on_time, n))
            if known is None:
                known = plain[on_time, n] = _HUNDRED * (on_time + late_credit) / n
            timeliness = known
        tid = task.id
        q = task_quality(rec, tid, unit)
        if q is None and weigh_quality:  # quality weight 0: nothing missing (no LS409)
            gaps.append(f"{c.id}/{tid}")
        quality = q if q is not None else _ZERO
        if per_day is None:
            score = scored.get((timeliness, quality))
            if score is None:
                score = scored[timeliness, quality] = (
                    (timeliness * t_weight + quality * q_weight) / _HUNDRED)
        else:
            score = (timeliness * t_weight + quality * q_weight) / _HUNDRED
        total += score  # in the lines' order: the sum of their scores, exactly
        lines.append(line(tid, task.title, n, on_time, timeliness, quality,
                          q is None and weigh_quality, score, late, late_credit,
                          role_of(task, unit), after_end))
    if not lines:
        return Leaf(None, "tasks")
    mean = total / len(lines)
    return Leaf(mean, "tasks", False, tasks=tuple(lines), gaps=tuple(gaps))


# ---- the tree -----------------------------------------------------------------------------


def build_tree(components: Sequence[Component], leaf: LeafFn,
               applicable: Callable[[Component], bool] | None = None,
               cadences: frozenset[str] | None = None) -> tuple[Part, ...]:
    """Roll the scheme tree up by weight for one unit.

    `leaf(c)` gives a leaf's score, or None when the leaf is not assessed in this
    period (another cadence).  A subtree with no scored leaf is left out, and the
    remaining siblings' weights are renormalised to 100 at each level (SPEC §4.1).
    A component `applicable` says does not apply to the unit (`applies_to`) is left
    out the same way, with its whole subtree, and marked `not_applicable` (SPEC §10) —
    when the period assesses it: `cadences` are those the period assesses (None: all).
    An annual component that does not apply is not assessed in a month either, and says
    so (本期不考核), not 不适用.
    """
    raw: list[tuple[Component, Part]] = []
    for c in components:
        if (applicable is not None and not applicable(c)
                and (cadences is None or any(x.cadence in cadences for x in _leaves(c)))):
            part = Part(c.id, c.name, c.weight, c.cadence, None, not_applicable=True)
        elif c.is_leaf:
            got = leaf(c)
            weights = (c.timeliness, c.quality) if c.source == "tasks" else (None, None)
            if got is None:
                part = Part(c.id, c.name, c.weight, c.cadence, None)
            else:
                part = Part(c.id, c.name, c.weight, c.cadence, got.score, basis=got.basis,
                            missing=got.missing, items=got.items, tasks=got.tasks,
                            quarters=got.quarters, untasked=got.untasked,
                            timeliness=weights[0], quality=weights[1],
                            not_applicable=got.basis == "n/a")
        else:
            kids = build_tree(c.children, leaf, applicable, cadences)
            score = weighted([(k.weight, k.score) for k in kids])
            part = Part(c.id, c.name, c.weight, c.cadence, score, children=kids)
        raw.append((c, part))
    den = sum((p.weight for _, p in raw if p.score is not None), _ZERO)
    out = []
    for _, p in raw:
        if p.score is None or den == 0:
            out.append(p)
            continue
        out.append(_shared(p, p.weight * _HUNDRED / den, p.weight * p.score / den))
    return tuple(out)


def _leaves(c: Component) -> Iterator[Component]:
    """The leaves of `c`'s subtree (`c` itself when it is one)."""
    if c.is_leaf:
        yield c
    else:
        for k in c.children:
            yield from _leaves(k)


def tree_score(parts: Sequence[Part]) -> Decimal | None:
    return weighted([(p.weight, p.score) for p in parts])


# ---- events: deductions and flags -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Events:
    incidents: dict[str, list[Incident]] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    bonuses: dict[str, list[BonusLine]] = field(default_factory=dict)
    #: provisional deductions restored by the period's end (shown, never counted)
    restored: dict[str, list[Incident]] = field(default_factory=dict)


def period_events(ledger: Ledger, period: str, annual: bool) -> Events:
    """The deductions and flags that count in `period`, per unit.

    A quarter takes every event dated inside it (whichever record holds it); an
    undated event counts in its record's period and in the periods holding it (a
    monthly record's in its quarter too).  A year takes every event of every record
    of that year (the months, the four quarters and the YYYY record): each counts once.
    """
    scheme = ledger.scheme
    assert scheme is not None
    start, end = bounds(period)
    cats = {d.id: d for d in scheme.deduction_categories}
    bonus_cats = {b.id: b for b in scheme.bonus_categories}
    out = Events()
    for rec in sorted(ledger.records, key=lambda r: (r.period, r.src.file)):
        def counts(when: date | None, rec: Record = rec) -> bool:
            return counts_in(rec, when, period, annual, start, end)
        for d in rec.deductions:
            if not counts(d.date):
                continue
            mult = scheme.media_multiplier if d.media else Decimal(1)
            cat = cats.get(d.category)
            back = d.restored.date if (d.provisional and d.restored is not None
                                       and d.restored.date <= end) else None
            (out.restored if back is not None else out.incidents).setdefault(
                d.unit, []).append(Incident(
                    d.unit, d.category, cat.name if cat else d.category, d.date, d.points,
                    d.media, mult, d.points * mult, d.reason, rec.period, rec.src.file,
                    d.provisional, back))
        for b in rec.bonuses:
            if counts(b.date):
                bcat = bonus_cats.get(b.category)
                out.bonuses.setdefault(b.unit, []).append(BonusLine(
                    b.unit, b.category, bcat.name if bcat else b.category, b.date, b.points,
                    b.reason, rec.period, rec.src.file))
        for fl in rec.flags:
            if counts(fl.date):
                out.flags.setdefault(fl.unit, []).append(fl.kind)
    for bl in out.bonuses.values():
        bl.sort(key=lambda b: (b.date or date.min, b.category, b.points, b.reason or "",
                               b.period, b.file))
    for incs in (*out.incidents.values(), *out.restored.values()):
        incs.sort(key=lambda i: (i.date or date.min, i.category, i.points, i.media,
                                  i.reason or "", i.period, i.file))
    return out


def counts_in(rec: Record, when: date | None, period: str, annual: bool, start: date,
               end: date) -> bool:
    """Whether an event of `rec` dated `when` counts in `period` (`period_events`).

    A dated event counts in the periods its date lies in.  An undated one counts in
    every period that holds its record's period: a year takes every record of the
    year, a quarter its own record and those of its months, a month its own record.
    Each record is read once, so each flag the user wrote counts once."""
    if when is not None:
        return start <= when <= end
    if annual:
        return rec.year == int(period[:4])
    return rec.period == period or inside(rec.period, start, end)


def period_flags(ledger: Ledger, period: str) -> dict[str, list[RecordFlag]]:
    """The record flags that count in `period` ("2021-Q2", "2024-05" or "2021"), per
    unit, in the order `period_events` reads them: what a bulletin quotes the reason
    of (一票否决（…）), from whichever record of the period holds the flag."""
    start, end = bounds(period)
    annual = period.isdigit()
    out: dict[str, list[RecordFlag]] = {}
    for rec in sorted(ledger.records, key=lambda r: (r.period, r.src.file)):
        for fl in rec.flags:
            if counts_in(rec, fl.date, period, annual, start, end):
                out.setdefault(fl.unit, []).append(fl)
    return out


# ---- the period ---------------------------------------------------------------------------


def bad_period(period: str) -> L:
    """What is wrong with a period that is no year, quarter or month."""
    return L(f"期间 {period} 无效：季度写成 2021-Q2，年度写成 2021，月份写成 2024-05",
             f"period {period} is not valid: write a quarter as 2021-Q2, "
             f"a year as 2021 and a month as 2024-05")


def parse_period(period: str) -> tuple[int, int | None]:
    m = PERIOD_RE.fullmatch(str(period).strip())
    if not m:
        raise ScoringError(bad_period(period))
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def months_mean(c: Component, unit: str, months: Sequence[str],
                recs: dict[str, Record | None], ledger: Ledger,
                index: TaskIndex | TaskIndexes | None, gaps: list[str]) -> Leaf | None:
    """A monthly leaf over a quarter or a year (SPEC §10): the mean of its months'
    scores in the records present; `n/a` months are left out of the mean, and a leaf
    `n/a` in every month read is `n/a`."""
    seen: list[tuple[str, Decimal | None]] = []
    na: set[str] = set()
    for m in months:
        rec = recs.get(m)
        if rec is None:
            continue
        lf = record_leaf(c, unit, m, rec, ledger, index)
        gaps.extend(f"{m}/{g}" for g in lf.gaps)
        seen.append((m, lf.score))
        if lf.basis == "n/a":
            na.add(m)
    return _mean_leaf(c, seen, na)


def _mean_leaf(c: Component, seen: Sequence[tuple[str, Decimal | None]],
              na: set[str]) -> Leaf | None:
    """A leaf over a longer period from its shorter periods' scores (`seen`: each
    period read and its score; `na`: those written `n/a`): their mean, over the periods
    scored.  With none scored: `n/a` when every period read is; for a `source: tasks`
    leaf whose periods had no task due (the others `n/a`), "tasks" with no score — as
    a month with no task due is, so `--explain` gives that reason; else None (no
    record read)."""
    scores = [x for _, x in seen if x is not None]
    untasked = tuple(m for m, x in seen if x is None and m not in na and c.source == "tasks")
    if not scores:
        if seen and all(m in na for m, _ in seen):
            return Leaf(None, "n/a")
        if untasked and all(m in na or m in untasked for m, _ in seen):
            return Leaf(None, "tasks", quarters=tuple(seen), untasked=untasked)
        return None
    return Leaf(sum(scores, _ZERO) / len(scores), "mean", quarters=tuple(seen),
                untasked=untasked)


def _missing_months(ledger: Ledger, scheme: Scheme, months: Sequence[str]
                    ) -> tuple[dict[str, Record | None], tuple[str, ...]]:
    if not any(c.cadence == "monthly" for c in scheme.leaves()):
        return {}, ()
    recs = {m: ledger.record(m) for m in months}
    return recs, tuple(m for m in months if recs[m] is None)


def score_period(ledger: Ledger, period: str, *, partial: bool = False,
                 tasks: Sequence[Scored] | None = None,
                 partial_option: str | None = "--partial") -> ScoreResult:
    """Score every assessed unit for a quarter ("2021-Q2") or a year ("2021").

    `tasks`: the ledger's tasks as scoring reads them when the ledger does not hold
    them (`view.score_view`, made in the parse worker); default `ledger.tasks`.

    Raises `ScoringError` when the period cannot be scored: no scheme, no record
    for the quarter, a quarter (or the YYYY record) missing from a year without
    `partial`, or nothing in the scheme assessed in the period.  `partial_option`:
    the option a missing record's message advises (`score`'s `--partial`, the
    bulletin's `--allow-missing`; None: the command has none, only "add them").
    """
    scheme = ledger.scheme
    if scheme is None:
        raise ScoringError(L("台账没有考核办法（scheme.yaml），无法计分",
                             "the ledger has no assessment scheme (scheme.yaml): "
                             "there is nothing to score"))
    text = str(period).strip()
    if is_month(text):
        with localcontext(fixed_context()) as ctx:
            ctx.prec = PRECISION
            return _quarter(ledger, scheme, text, partial, tasks, partial_option)
    year, quarter = parse_period(period)
    period = f"{year}-Q{quarter}" if quarter else str(year)
    with localcontext(fixed_context()) as ctx:
        ctx.prec = PRECISION
        if quarter is not None:
            return _quarter(ledger, scheme, period, partial, tasks, partial_option)
        return _year(ledger, scheme, year, partial, tasks, partial_option)


#: the keys of the complete tasks of the ledger checked last (`remember_keys`), held
#: for that one ledger object: building them again cost 0.16 s per 20,000 tasks
_known_keys: list[tuple[Ledger, Sequence[TaskKey]]] = []


def remember_keys(ledger: Ledger, keys: Sequence[TaskKey]) -> None:
    """Keep `keys` — `t.key()` of every task of `ledger.tasks`, in order — for
    `record_warnings` on this ledger object (identity, never equality: a ledger made
    with other tasks is another object).  Only the last ledger is held."""
    _known_keys[:] = [(ledger, keys)]


def record_warnings(ledger: Ledger, periods: Sequence[str]) -> list[Finding]:
    """LS407 (leaf scores missing), LS408 (checklist lines), LS409 (task quality) for
    the records of `periods`: the warnings `validate` gives (`checks.records`), asked
    of the records a score reads, so the two never disagree."""
    from ...checks.records import record_completeness, record_task_quality
    from ...checks.registry import Context

    scheme = ledger.scheme
    tasks_leaf = scheme is not None and any(c.source == "tasks" for c in scheme.leaves())
    # the keys are only looked at for task quality (LS409): built only then, and taken
    # from the check that just made them when it is this very ledger's
    known = _known_keys[0] if _known_keys and _known_keys[0][0] is ledger else None
    keys = (known[1] if known else [t.key() for t in ledger.tasks]) if tasks_leaf else ()
    ctx = Context(ledger, date.min, keys)
    wanted = set(periods)
    return [f for check in (record_completeness, record_task_quality) for f in check(ctx)
            if dict(f.params).get("period") in wanted]


def _quarter(ledger: Ledger, scheme: Scheme, period: str, partial: bool = False,
             tasks: Sequence[Scored] | None = None, option: str | None = "--partial"
             ) -> ScoreResult:
    """A quarter, or a month (SPEC §10 monthly cadence): a quarter scores its
    quarterly leaves from its record and its monthly leaves as the mean of its
    months; a month scores its monthly leaves alone."""
    month = is_month(period)
    cadences = {c.cadence for c in scheme.leaves()}
    rec = ledger.record(period)
    # what the scheme cannot score at all is said first: a record for the month would
    # not help (it said "no record for 2021-05", then, once one was added, this)
    if month and "monthly" not in cadences:
        raise ScoringError(L("考核办法中没有按月考核的指标（cadence: monthly）：请按季度或年度计分",
                             "no component of the scheme is assessed monthly (cadence: "
                             "monthly): score a quarter or the year"))
    if rec is None and (month or "quarterly" in cadences):
        raise ScoringError(L(f"没有 {period} 的考核记录：请在 records/ 下添加 period: {period} 的记录",
                             f"there is no record for {period}: add one with period: {period} "
                             f"under records/"))
    if not month and not cadences & {"quarterly", "monthly"}:
        raise ScoringError(L("考核办法中没有按季度考核的指标：请用 --annual 计算年度得分",
                             "no component of the scheme is assessed quarterly: "
                             "use --annual for the year"))
    month_recs: dict[str, Record | None] = {}
    missing_m: tuple[str, ...] = ()
    if not month:
        # the one rule of which records a quarter's ranking needs (the bulletin, 应约谈
        # and the exports ask it too): its own record is in by now, if it is read
        reads = quarter_records(cadences, {r.period for r in ledger.records}, period)
        month_recs = {m: ledger.record(m) for m in reads.months}
        missing_m = tuple(m for m in reads.missing if m != period)
        if not reads.rankable(partial):
            zh, en = (f"，或加 {option} 按已有月份计算",
                      f", or pass {option} to score from the months present") if option and len(
                missing_m) < 3 else ("", "")
            raise ScoringError(L(
                f"{period} 缺少 {'、'.join(missing_m)} 的月度考核记录：补齐后再计分{zh}",
                f"the monthly records of {', '.join(missing_m)} are missing for {period}: "
                f"add them{en}"))
    events = period_events(ledger, period, annual=False)
    index = TaskIndexes(ledger.tasks if tasks is None else tasks)
    assessed = frozenset({"monthly"} if month else {"monthly", "quarterly"})
    rows = []
    unscored = []
    for unit in scored_units(ledger, None if tasks is None else credited_units(ledger, tasks),
                             assessed):
        got: list[tuple[Component, Leaf]] = []

        more: list[str] = []

        def leaf(c: Component, unit: str = unit, got: list[tuple[Component, Leaf]] = got,
                 more: list[str] = more) -> Leaf | None:
            if c.cadence == "monthly" and not month:
                return months_mean(c, unit, months_of(period), month_recs, ledger, index,
                                   more)
            if c.cadence != ("monthly" if month else "quarterly"):
                return None
            lf = record_leaf(c, unit, period, rec, ledger, index)
            got.append((c, lf))
            return lf

        parts = build_tree(scheme.components, leaf, _applicable(ledger, unit), assessed)
        gaps = [g for _, lf in got for g in lf.gaps] + more
        row = _finish(ledger, scheme, unit, parts, gaps, events, bounds(period), index)
        if row is None:
            unscored.append(unit)
        else:
            rows.append(row)
    read = [period] if rec is not None else []
    read += [m for m, r in month_recs.items() if r is not None]
    return _result(ledger, scheme, period, rows, missing_m, record_warnings(ledger, read),
                   False, tuple(unscored))


def _year(ledger: Ledger, scheme: Scheme, year: int, partial: bool,
          tasks: Sequence[Scored] | None = None, option: str | None = "--partial"
          ) -> ScoreResult:
    period = str(year)
    leaves = scheme.leaves()
    quarters = [f"{year}-Q{q}" for q in range(1, 5)]
    recs = {q: ledger.record(q) for q in quarters}
    has_quarterly = any(c.cadence == "quarterly" for c in leaves)
    has_annual = any(c.cadence == "annual" for c in leaves)
    missing_q = tuple(q for q in quarters if recs[q] is None) if has_quarterly else ()
    annual_rec = ledger.record(period)
    missing_annual = has_annual and annual_rec is None
    month_recs, missing_m = _missing_months(ledger, scheme, months_of(period))
    has_monthly = bool(month_recs)
    if ((not has_quarterly or len(missing_q) == 4) and (not has_annual or missing_annual)
            and (not has_monthly or len(missing_m) == 12)):
        raise ScoringError(L(f"{year} 年没有任何考核记录，无法计算年度得分",
                             f"there is no record of {year} at all: nothing to score"))
    if not partial and (missing_q or missing_annual or missing_m):
        gone = [*missing_q, *missing_m, *([period] if missing_annual else [])]
        zh, en = ((f"，或加 {option} 按已有记录计算",
                   f", or pass {option} to score the year from the records present")
                  if option else ("", ""))
        raise ScoringError(L(
            f"{year} 年缺少 {'、'.join(gone)} 的考核记录：补齐后再计算年度得分{zh}",
            f"the records of {', '.join(gone)} are missing for {year}: add them{en}"))
    events = period_events(ledger, period, annual=True)
    index = TaskIndexes(ledger.tasks if tasks is None else tasks)
    rows = []
    unscored = []
    for unit in scored_units(ledger, None if tasks is None else credited_units(ledger, tasks)):
        gaps: list[str] = []

        def leaf(c: Component, unit: str = unit, gaps: list[str] = gaps) -> Leaf | None:
            if c.cadence == "monthly":  # SPEC §10: the mean of the year's months
                return months_mean(c, unit, months_of(period), month_recs, ledger, index,
                                   gaps)
            if c.cadence == "annual":
                if annual_rec is None:
                    return None
                lf = record_leaf(c, unit, period, annual_rec, ledger, index)
                gaps.extend(lf.gaps)
                return lf
            seen: list[tuple[str, Decimal | None]] = []
            na: set[str] = set()
            for q in quarters:
                rec = recs[q]
                if rec is None:
                    continue
                lf = record_leaf(c, unit, q, rec, ledger, index)
                gaps.extend(f"{q}/{g}" for g in lf.gaps)
                seen.append((q, lf.score))
                if lf.basis == "n/a":
                    na.add(q)
            # SPEC §10 settled: n/a in some quarters → the mean of the others; n/a in
            # every quarter read: not applicable for the year either
            return _mean_leaf(c, seen, na)

        parts = build_tree(scheme.components, leaf, _applicable(ledger, unit))
        row = _finish(ledger, scheme, unit, parts, gaps, events, bounds(period), index)
        if row is None:
            unscored.append(unit)
        else:
            rows.append(row)
    read = [q for q in quarters if recs[q] is not None] + ([period] if annual_rec else [])
    read += [m for m, r in month_recs.items() if r is not None]
    return _result(ledger, scheme, period, rows, (*missing_q, *missing_m),
                   record_warnings(ledger, read),
                   missing_annual, tuple(unscored))


def _applicable(ledger: Ledger, unit: str) -> Callable[[Component], bool]:
    kind = ledger.units[unit].kind if unit in ledger.units else None
    return lambda c: applies(c, unit, kind)


def _not_applicable(parts: Sequence[Part]) -> list[str]:
    """The components shown as 不适用: each one marked, not its subtree."""
    out: list[str] = []
    for p in parts:
        if p.not_applicable:
            out.append(p.id)
        else:
            out.extend(_not_applicable(p.children))
    return out


def overdue_milestones(ledger: Ledger, unit: str, end: date,
                       index: TaskIndexes | None = None) -> int:
    """Rules' `overdue_tasks` (SPEC §10 settled): the milestones of the tasks `unit`
    leads (suspended ones left out) due before the period's last day and not done by
    it.  `index`: the run's tasks (default: the ledger's)."""
    led = index.get("lead") if index is not None else tasks_by_lead(ledger.tasks)
    return sum(1 for t in led.get(unit, ()) for due, done in t.dates
               if due < end and (done is None or done > end))


def late_milestones(ledger: Ledger, unit: str, start: date, end: date,
                    index: TaskIndexes | None = None) -> int:
    """Rules' `late_milestones` (an extension of SPEC §10's conditions): the milestones
    of the tasks `unit` leads (suspended ones left out, as for `overdue_tasks`) due
    within the period (`start`..`end`, both included) and not done by their due date:
    done after it (亮过红灯, 05-15 done 05-20), or not done by the period's end.  A
    milestone counts in the period of its due date and in no other, so one due on the
    last day and done the day after counts there; a done date after `end` counts as
    not done by it."""
    led = index.get("lead") if index is not None else tasks_by_lead(ledger.tasks)
    return sum(1 for t in led.get(unit, ()) for due, done in t.dates
               if start <= due <= end and (done is None or done > due))


def _finish(ledger: Ledger, scheme: Scheme, unit: str, parts: tuple[Part, ...],
            gaps: list[str], events: Events, period: tuple[date, date],
            index: TaskIndexes | None = None) -> UnitScore | None:
    """Deductions, floor, published score, grade and rules for one unit's tree."""
    raw = tree_score(parts)
    if raw is None:
        return None
    incidents = events.incidents.get(unit, [])
    flags = events.flags.get(unit, [])
    total = sum((i.multiplied for i in incidents), _ZERO)
    bonuses = events.bonuses.get(unit, [])
    bonus_total, bonus = capped(bonuses, scheme.bonus_cap)
    exact, floored, ceiled = final_score(raw, total, bonus, scheme.floor, scheme.ceiling)
    score = publish(exact, scheme.places)
    base = grade_of(score, scheme)
    period_end = period[1]
    late = late_milestones(ledger, unit, *period, index) if any(
        r.late_milestones_min is not None for r in scheme.rules) else 0
    overdue = overdue_milestones(ledger, unit, period_end, index) if any(
        r.overdue_tasks_min is not None for r in scheme.rules) else 0
    late_ids = overdue_rectifications(ledger, unit, period_end) if any(
        r.rectifications_overdue_min is not None for r in scheme.rules) else ()
    late_fixes = len(late_ids)
    fixed_late = rectifications_closed_late(ledger, unit, *period) if any(
        r.rectifications_closed_late_min is not None for r in scheme.rules) else 0
    facts = Facts(deductions=[i.category for i in incidents], flags=flags,
                  bonuses=[b.category for b in bonuses], overdue=overdue, late=late,
                  rectifications_overdue=late_fixes, rectifications_closed_late=fixed_late,
                  points=[(i.category, i.multiplied) for i in incidents])
    grade, applied, steps, rule_interview = apply_rules(scheme, base, facts)
    components = {p.id: publish(p.score, scheme.places)
                  for top in parts for p in top.walk() if p.score is not None}
    return UnitScore(
        unit=unit, name=ledger.units[unit].name if unit in ledger.units else unit,
        exact=exact, score=score, grade=grade, base_grade=base, rank=0, interview=False,
        components=components, deductions=publish(total, scheme.places),
        incidents=list(incidents), rules_applied=applied, missing=gaps, raw=raw,
        deductions_exact=total, floored=floored, parts=parts, rule_steps=steps,
        flags=tuple(flags), not_applicable=tuple(_not_applicable(parts)),
        bonuses=tuple(bonuses), bonus_total=bonus_total, bonus_capped=bonus, ceiled=ceiled,
        restored=tuple(events.restored.get(unit, ())), rule_interview=rule_interview,
        overdue=overdue, late_milestones=late, rectifications_closed_late=fixed_late,
        overdue_rectifications=late_ids)


def _result(ledger: Ledger, scheme: Scheme, period: str, rows: list[UnitScore],
            missing_q: tuple[str, ...], warnings: list[Finding], missing_annual: bool,
            unscored: tuple[str, ...]) -> ScoreResult:
    """Rank inside each ranking group (one group of every unit without groups), mark
    interviews with ties per group, then apply the grade quotas per group."""
    groups: list[tuple[str, str, int]] = [
        (g.id, g.name, g.interview_bottom if g.interview_bottom is not None
         else scheme.interview_bottom) for g in scheme.ranking_groups] or [
        ("", "", scheme.interview_bottom)]
    bottom_all = scheme.interview_bottom
    own = (scheme.month_interview_bottom if is_month(period)
           else scheme.quarter_interview_bottom if "-Q" in period else None)
    if own is not None:
        # a month's (a quarter's) ranking: the scheme's own bottom for such periods,
        # every group alike
        bottom_all = own
        groups = [(g, n, bottom_all) for g, n, _ in groups]
    members: dict[str, list[UnitScore]] = {g: [] for g, _, _ in groups}
    for u in rows:
        if scheme.ranking_groups:
            g = group_of(scheme, ledger, u.unit)
            if g is None:
                raise ScoringError(L(
                    f"单位 {u.unit} 不属于任何排名分组（ranking_groups）：请把它加入一个分组",
                    f"unit {u.unit} is in no ranking group (ranking_groups): add it to one"))
            members[g.id].append(u)
        else:
            members[""].append(u)
    ranked: list[UnitScore] = []
    notes: list[QuotaNote] = []
    for gid, gname, bottom in groups:
        by_unit = {u.unit: u for u in members[gid]}
        order = rank([(u.unit, u.score) for u in members[gid]], bottom)
        final, quota_notes = apply_quotas(
            scheme, gid, [(unit, r, by_unit[unit].score, by_unit[unit].grade)
                          for unit, r, _ in order])
        notes += quota_notes
        for unit, r, interview in order:
            u = by_unit[unit]
            ranked.append(_ranked(
                u, r, interview or u.rule_interview, interview, gid, gname, final[unit],
                u.grade if final[unit] != u.grade else ""))
    return ScoreResult(scheme.id, scheme.title, period, scheme.places, ranked, missing_q,
                       warnings, missing_annual, unscored, bottom_all,
                       tuple(groups) if scheme.ranking_groups else (), tuple(notes),
                       tuple(c.id for c in scheme.all_components()))


# ---- JSON (SPEC §4) -----------------------------------------------------------------------


def result_json(result: ScoreResult) -> dict[str, object]:
    """Exactly SPEC §4's document, extended with keys tools find useful:
    per unit `exact` (a string: the unrounded score), `base_grade`, `incidents`;
    at the top `scheme_title`, `places`, `missing_quarters`, `unscored`."""
    units = []
    for u in result.units:
        units.append({
            "unit": u.unit,
            "name": u.name,
            "score": json_number(u.score),
            "grade": u.grade,
            "rank": u.rank,
            "interview": u.interview,
            "components": {k: json_number(v) for k, v in u.components.items()},
            "deductions": json_number(u.deductions),
            "rules_applied": list(u.rules_applied),
            **({"rule_notes": list(dict.fromkeys(s.note for s in u.rule_steps if s.note))}
               if any(s.note for s in u.rule_steps) else {}),
            "missing": list(u.missing),
            "not_applicable": list(u.not_applicable),
            **({"group": u.group, "group_name": u.group_name} if u.group else {}),
            **({"quota_from": u.quota_from} if u.quota_from else {}),
            "exact": plain(u.exact),
            "base_grade": u.base_grade,
            "incidents": [{
                "category": i.category,
                "date": i.date.isoformat() if i.date else None,
                "points": json_number(i.points),
                "media": i.media,
                "multiplier": json_number(i.multiplier),
                "deducted": json_number(i.multiplied),
                "reason": i.reason,
                "period": i.period,
                **({"provisional": True} if i.provisional else {}),
            } for i in u.incidents],
            **({"bonuses": json_number(publish(u.bonus_capped, result.places)),
                "bonus_total": json_number(publish(u.bonus_total, result.places)),
                "bonus_items": [{"category": b.category,
                                 "date": b.date.isoformat() if b.date else None,
                                 "points": json_number(b.points), "reason": b.reason,
                                 "period": b.period} for b in u.bonuses]}
               if u.bonuses else {}),
            **({"restored": [{"category": i.category,
                              "date": i.date.isoformat() if i.date else None,
                              "points": json_number(i.points),
                              "restored": i.restored.isoformat() if i.restored else None,
                              "reason": i.reason} for i in u.restored]}
               if u.restored else {}),
        })
    doc: dict[str, object] = {
        "scheme": result.scheme,
        "period": result.period,
        "units": units,
        "scheme_title": result.scheme_title,
        "places": result.places,
        "missing_quarters": list(result.missing_quarters),
    }
    if result.annual:
        doc["missing_annual_record"] = result.missing_annual_record
    doc["unscored"] = list(result.unscored)
    if result.groups:
        doc["groups"] = [{"id": g, "name": n, "interview_bottom": b}
                         for g, n, b in result.groups]
    if result.quotas:
        doc["quotas"] = [{"group": q.group, "grade": q.grade, "next_grade": q.next_grade,
                          "max_share": json_number(q.share), "units": q.units,
                          "allowed": q.allowed, "kept": list(q.kept),
                          "moved": [u for u, _ in q.moved], "exceeded": q.exceeded}
                         for q in result.quotas]
    return doc


def why_unranked(ledger: Ledger, result: ScoreResult, unit: str) -> L | None:
    """Why `unit` has no score in `result` (None when it has one): what `score
    --explain` says of a unit not ranked, for any caller — marked not assessed in
    units.yaml, nothing assessable of it in the period (`result.unscored`: no task
    due, no score recorded), or nothing in the ledger assesses it at all."""
    if result.unit(unit) is not None:
        return None
    known = ledger.units.get(unit)
    if known is not None and known.assessed is False:
        return L("units.yaml 标明它不参加考核（assessed: false）",
                 "units.yaml marks it as not assessed (assessed: false)")
    if unit in result.unscored:
        return L("本期没有可计分的指标（如没有到期的任务、没有记录为它打分）",
                 "nothing was assessed for it in the period (no task due, no score "
                 "recorded)")
    return L("它不是考核对象：没有任何考核记录为它打分，也没有任务计入它名下",
             "it is not assessed: no record scores it and no task is credited to it")

