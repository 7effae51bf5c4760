"""The ledger as immutable records.  Numbers that feed scores are `Decimal`.

Every record remembers where it came from (`Src`: file and key path), so a check
that finds a problem in a task can point at the exact line of the exact key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from sys import intern
from typing import Any, NamedTuple, TypeVar

from .finding import KeyPath


@dataclass(frozen=True, slots=True)
class Src:
    file: str
    path: KeyPath = ()

    def at(self, *steps: str | int) -> KeyPath:
        return self.path + steps


STATUSES = ("planned", "in_progress", "done", "closing", "closed", "suspended")
FINISHED = ("done", "closing", "closed")
FLAG_KINDS = ("red_flag", "yellow_card")


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    group: str | None
    src: Src
    #: how many tasks the plan lists in this category (葫芦岛's 13/6/9/67/29/13), if given
    planned: int | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Tag:
    """A list a task can be on (任务榜, 亮点牌, a campaign): SPEC §11."""

    id: str
    name: str
    src: Src
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Reporting:
    """The report rhythm (SPEC §11): monthly by `day`, dekad (旬) or weekly on a weekday."""

    cadence: str = "monthly"
    day: int | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """A numeric target (突破60亿元, 不低于300个): a value and its measurement unit."""

    value: Decimal
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    kind: str | None
    src: Src
    #: assessed by the scheme?  None: when some record scores it; False: never (the
    #: office that does the scoring); True: always, so a missing score counts as 0
    assessed: bool | None = None
    #: the name offices write for short (发改委 for 区发展和改革委员会), if given
    short: str | None = None


@dataclass(frozen=True, slots=True)
class Leader:
    id: str
    name: str
    title: str | None
    src: Src


@dataclass(frozen=True, slots=True)
class Milestone:
    due: date
    standard: str
    done: date | None = None
    target: Decimal | None = None
    #: free text (kept so that `import tasks --force` keeps it; not compared)
    note: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Update:
    month: str  # YYYY-MM
    progress: Decimal | None
    note: str | None = None
    #: 存在问题: what holds the task up, as the unit reported it that month
    problems: str | None = None
    actual: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Closed:
    date: date | None
    approved_by: str | None
    evidence: str | None


@dataclass(frozen=True, slots=True)
class Flag:
    kind: str
    date: date | None
    by: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Adjustment:
    date: date | None
    field: str
    approved_by: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    title: str
    category: str
    lead: str
    leaders: tuple[str, ...]
    start: date
    standard: str
    milestones: tuple[Milestone, ...]
    status: str
    progress: Decimal
    src: Src
    units: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()
    closed: Closed | None = None
    flags: tuple[Flag, ...] = ()
    locked: bool = False
    adjustments: tuple[Adjustment, ...] = ()
    target: Target | None = None
    parent: str | None = None
    owners: tuple[str, ...] = ()
    unit_leaders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    #: free text about the task (a 进展情况 imported without a month, kept as written)
    note: str | None = None
    #: required fields that did not convert (already reported): such a task is only
    #: checked for what it has (references, duplicates) and never reaches status/scores
    missing: frozenset[str] = frozenset()
    #: the lists (leaders, units, cooperating, tags, updates) that dropped entries not
    #: read (already reported), each with the written index of every entry kept; and
    #: ("target", ()) for a target written that did not read; not compared: it only
    #: places and words findings (`at_entry`, `target_unread`)
    kept: tuple[tuple[str, tuple[int, ...]], ...] = field(default=(), compare=False)

    @property
    def last_due(self) -> date:
        return self.milestones[-1].due

    def at_entry(self, key: str, i: int, *rest: str) -> KeyPath:
        """The path of the i-th entry of list `key` as read (and `rest` inside it), at
        its written place: in `tags: [2024, nosuch]` the number is dropped (and
        reported), and `nosuch`, the first tag read, is the second written."""
        for k, written in self.kept:
            if k == key:
                return self.src.at(key, written[i], *rest)
        return self.src.at(key, i, *rest)

    @property
    def target_unread(self) -> bool:
        """A target was written that did not read (its finding says why)."""
        return ("target", ()) in self.kept

    @property
    def dates(self) -> tuple[tuple[date, date | None], ...]:
        """Each milestone's (due, done): what scoring reads of them (`ops.scoring`'s
        `Scored`, which the parse worker's `ScoreTask` also is)."""
        return tuple([(m.due, m.done) for m in self.milestones])

    def key(self) -> TaskKey:
        # interned: the keys of a file are pickled together, and a string pickled
        # once is only referred to after that (a few units, statuses and months)
        return TaskKey(
            self.id, self.src.file, self.src.path, not self.missing, intern(self.lead),
            intern(self.status),
            tuple([m.due.toordinal() for m in self.milestones]),
            tuple([(i, m.done.toordinal()) for i, m in enumerate(self.milestones)
                   if m.done is not None]),
            # a task without a status is not judged on its closing (closing_rules)
            self.closed.date.toordinal()
            if self.closed is not None and self.closed.date and "status" not in self.missing
            else None,
            self.start.toordinal(), tuple([intern(u.month) for u in self.updates]),
            self.parent, self.target, self.category, self.tags,
            tuple([intern(u) for u in self.units]),
            tuple([intern(u) for u in self.cooperating]),
            tuple([(i, a.date.toordinal()) for i, a in enumerate(self.adjustments)
                   if a.date is not None]),
            self.title or "")


class TaskKey(NamedTuple):
    """What the rules across files and the rules that depend on the as-of date need
    of a task: its id and where it is written; its lead, responsible and cooperating
    units, status and due dates (task quality, LS409; who is ranked, LS412); its done and closing dates (no completion after as-of,
    LS203); its start and update months (the monthly report, LS601).

    `luoshi validate` checks each task file on its own (in parallel, cached by
    content whatever the date) and keeps only these keys, not 100,000 `Task`
    records.  Dates are day ordinals: a key is small to pickle and quick to compare."""

    id: str
    file: str
    path: KeyPath
    complete: bool
    lead: str
    status: str
    dues: tuple[int, ...]
    #: (milestone index, done) for each milestone with a done date
    done: tuple[tuple[int, int], ...]
    closed_on: int | None
    start: int
    months: tuple[str, ...]
    #: tasks v2 (SPEC §11), for the rules across tasks: decomposition, planned counts
    parent: str | None = None
    target: Target | None = None
    category: str = ""
    tags: tuple[str, ...] = ()
    #: its 责任单位 and cooperating units: whom a `source: tasks` leaf credits (SPEC §10
    #: `credit`), for the task-quality warning (LS409) and who is ranked (LS412)
    units: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    #: (entry index, date) for each `adjustments` entry with a date: an approval dated
    #: after the as-of (LS504) approves nothing
    approvals: tuple[tuple[int, int], ...] = ()
    #: its title: a record's quality score keyed by the title instead of the id is
    #: told the id to write (LS116)
    title: str = ""

    def at(self, *steps: str | int) -> KeyPath:
        return self.path + steps


@dataclass(frozen=True, slots=True)
class Files:
    units: str = "units.yaml"
    tasks: str = "tasks/*.yaml"
    scheme: str = "scheme.yaml"
    records: str = "records/*.yaml"
    supervision: str = "supervision/*.yaml"


@dataclass(frozen=True, slots=True)
class Config:
    title: str
    year: int
    issuer: str | None = None
    doc_no: str | None = None
    language: str = "zh"
    warn_days: int = 7
    progress_tolerance: Decimal = Decimal(10)
    categories: tuple[Category, ...] = ()
    files: Files = field(default_factory=Files)
    max_file_mb: float = 64
    #: the bulletin's 版记: 抄送 (copied to) and 印发 (the office that prints it)
    cc: str | None = None
    printed_by: str | None = None
    tags: tuple[Tag, ...] = ()
    reporting: Reporting = field(default_factory=Reporting)
    #: `lint: {select, ignore}`: the finding codes (prefixes) `luoshi validate` reports
    lint_select: tuple[str, ...] = ()
    lint_ignore: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A checklist line (附件 table row) worth `points`; may hold sub-items."""

    id: str
    name: str
    points: Decimal
    items: tuple[Item, ...] = ()

    def leaves(self) -> tuple[Item, ...]:
        if not self.items:
            return (self,)
        return tuple(leaf for it in self.items for leaf in it.leaves())


@dataclass(frozen=True, slots=True)
class Component:
    id: str
    name: str
    weight: Decimal
    cadence: str  # resolved: inherited from the parent when not written
    src: Src
    children: tuple[Component, ...] = ()
    items: tuple[Item, ...] = ()
    source: str | None = None  # "tasks" for leaves computed from the ledger
    timeliness: Decimal | None = None
    quality: Decimal | None = None
    scored_by: str | None = None
    #: SPEC §10: whose tasks a `source: tasks` leaf scores: "lead" (牵头单位),
    #: "responsible" (also the 责任单位 in `units`), "all" (also `cooperating`)
    credit: str = "lead"
    #: SPEC §10: a milestone done d days late earns max(0, 100 − late_per_day × d) % of
    #: its timeliness credit; None: late earns nothing (v1)
    late_per_day: Decimal | None = None
    #: SPEC §10 `applies_to`: the unit kinds and unit ids assessed on this component
    #: (their union); None: every unit
    applies_kinds: tuple[str, ...] | None = None
    applies_units: tuple[str, ...] | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> tuple[Component, ...]:
        return (self, *(d for c in self.children for d in c.walk()))

    def leaf_items(self) -> tuple[Item, ...]:
        return tuple(leaf for it in self.items for leaf in it.leaves())


@dataclass(frozen=True, slots=True)
class DeductionCategory:
    id: str
    name: str
    min: Decimal
    max: Decimal


@dataclass(frozen=True, slots=True)
class Grade:
    name: str
    min: Decimal
    #: SPEC §10 优秀比例: at most floor(n × max_share / 100) units of a group keep it
    max_share: Decimal | None = None


@dataclass(frozen=True, slots=True)
class RankingGroup:
    """A ranking group (分类考核, e.g. 葫芦岛's 市直单位 and 地区): the units of its
    `kinds` and its `units` (their union)."""

    id: str
    name: str
    kinds: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    interview_bottom: int | None = None  # None: the scheme's
    index: int = 0  # position under ranking_groups (for findings)

    def holds(self, unit: str, kind: str | None) -> bool:
        return unit in self.units or (kind is not None and kind in self.kinds)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    deductions_in: tuple[str, ...] = ()
    flag: str | None = None
    max_grade: str | None = None
    downgrade: int = 0
    # ---- SPEC §10 rules v2: conditions ----
    #: 频发: at least `deductions_count_min` incidents (not points), in the listed
    #: categories (empty: any category); None: not a condition
    deductions_count_min: int | None = None
    deductions_count_in: tuple[str, ...] = ()
    #: milestones of tasks the unit leads overdue at the period's end; None: not one
    overdue_tasks_min: int | None = None
    #: milestones of tasks the unit leads due within the period and not done by their
    #: due date (done late, or not done at all); None: not one of the conditions
    late_milestones_min: int | None = None
    #: the unit's rectifications (整改) still open after their due date at the period's
    #: end (supervision/*.yaml, SPEC §12); None: not one of the conditions
    rectifications_overdue_min: int | None = None
    #: the unit's rectifications closed within the period after their due date
    #: (整改超期完成); None: not one of the conditions
    rectifications_closed_late_min: int | None = None
    bonuses_in: tuple[str, ...] = ()
    # ---- actions ----
    min_grade: str | None = None
    upgrade: int = 0
    interview: bool = False
    #: what bulletins and --explain print for the rule (its id never appears there)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Scheme:
    id: str
    title: str
    components: tuple[Component, ...]
    src: Src
    doc_no: str | None = None
    cadence: str = "quarterly"
    places: int = 2
    media_multiplier: Decimal = Decimal(1)  # SPEC §4 v1.1: 1 when omitted
    floor: Decimal = Decimal(0)
    deduction_categories: tuple[DeductionCategory, ...] = ()
    grades: tuple[Grade, ...] = ()
    rules: tuple[Rule, ...] = ()
    interview_bottom: int = 0
    #: the bottom N of a *month's* ranking marked for 约谈, every group alike (an
    #: extension of SPEC §10's monthly periods); None: `interview_bottom` as for any period.
    #: 碑林 ranks monthly to 核查、总结 but calls units to 约谈 after the quarter: 0.
    month_interview_bottom: int | None = None
    #: the same for a *quarter's* ranking: 葫芦岛 (seed 001) ranks every quarter but
    #: calls the bottom units to 诫勉谈话 after the year's ranking only: 0.
    quarter_interview_bottom: int | None = None
    #: SPEC §10 分类考核: ranks, interview marks and quotas inside each group
    ranking_groups: tuple[RankingGroup, ...] = ()
    #: SPEC §10 加分: categories, the cap on a unit's bonuses in a period, and the
    #: ceiling on a final score (None: no cap / no ceiling)
    bonus_categories: tuple[DeductionCategory, ...] = ()
    bonus_cap: Decimal | None = None
    ceiling: Decimal | None = None

    def all_components(self) -> tuple[Component, ...]:
        return tuple(d for c in self.components for d in c.walk())

    def leaves(self) -> tuple[Component, ...]:
        return tuple(c for c in self.all_components() if c.is_leaf)


@dataclass(frozen=True, slots=True)
class Deduction:
    unit: str
    category: str
    date: date | None
    points: Decimal
    media: bool
    reason: str | None
    src: Src
    #: SPEC §10 预扣分: counts unless `restored` is dated on or before the period's end
    provisional: bool = False
    restored: Restored | None = None
    #: optional fields written in a form that did not read (already reported):
    #: "provisional" — the rules that read them stay quiet (no "add provisional: true")
    missing: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Restored:
    """A provisional deduction given back (已返还) after the unit rectified."""

    date: date
    approved_by: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class Bonus:
    """A bonus (加分) in a record: within its category's [min, max]."""

    unit: str
    category: str
    date: date | None
    points: Decimal
    reason: str | None
    src: Src


@dataclass(frozen=True, slots=True)
class RecordFlag:
    unit: str
    kind: str
    reason: str | None
    date: date | None
    src: Src


@dataclass(frozen=True, slots=True)
class Record:
    """What happened in one period (`YYYY-Qn` or `YYYY`)."""

    period: str
    src: Src
    scores: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    items: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)
    quality: dict[str, Decimal] = field(default_factory=dict)
    deductions: tuple[Deduction, ...] = ()
    flags: tuple[RecordFlag, ...] = ()
    #: SPEC §10: per-unit task quality (`T-001: {zjj: 85, wenyi: 90}`)
    quality_by_unit: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    #: SPEC §10: unit → the leaves written `n/a` / `不适用` this period
    not_applicable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bonuses: tuple[Bonus, ...] = ()
    #: the record's own `note:` (备注), free text
    note: str | None = None

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def quarter(self) -> int | None:
        return int(self.period[-1]) if "-Q" in self.period else None


RECTIFICATION_SOURCES = ("red_light", "interview", "inspection", "ranking", "other")


@dataclass(frozen=True, slots=True)
class Interview:
    """A warning talk (约谈, SPEC §12) held with a unit."""

    unit: str
    date: date
    src: Src
    kind: str | None = None
    by: str | None = None
    reason: str | None = None
    tasks: tuple[str, ...] = ()
    #: `note:` (备注), free text
    note: str | None = None
    #: `period:` the ranking the talk follows (2024-Q4, 2024-05, 2024), as `score`
    #: writes periods: the talk after the fourth quarter's or the year's ranking is
    #: held in January and recorded in the ranked year's ledger (a luoshi extension
    #: of SPEC §12, which links no talk to a ranking)
    period: str | None = None


@dataclass(frozen=True, slots=True)
class Rectification:
    """A deadline to rectify (限期整改, SPEC §12): opened, due, the written report
    (书面报告) and the sign-off that closes it."""

    id: str
    unit: str
    opened: date
    due: date
    src: Src
    tasks: tuple[str, ...] = ()
    source: str | None = None
    report: date | None = None
    closed: Closed | None = None
    #: `reason:` (整改原因: why it was ordered) and `note:` (备注), free text
    reason: str | None = None
    note: str | None = None
    #: the written report's `note:` (`report: {date: …, note: …}`)
    report_note: str | None = None
    #: fields written in a form that did not convert (already reported, LS103):
    #: `closed: 2024-04-30` is a closing written, not one missing (no LS702 beside it)
    missing: frozenset[str] = frozenset()

    def open_at(self, day: date) -> bool:
        """Not yet closed on `day` (a closing dated after `day` had not happened)."""
        return self.closed is None or self.closed.date is None or self.closed.date > day

    def overdue_at(self, day: date) -> bool:
        """Open after its due date."""
        return self.open_at(day) and self.due < day

    def report_at(self, day: date) -> date | None:
        """The written report's date if it had come in by `day` (a report dated after
        `day` had not, as a closing dated after it had not happened)."""
        return self.report if self.report is not None and self.report <= day else None


@dataclass(frozen=True, slots=True)
class SupervisionFile:
    """One `supervision/*.yaml` file read, and its file-level `note:` (备注: what the
    file holds, who keeps it) — kept so that every value the file writes reaches the
    export (`supervision_files` table)."""

    src: Src
    note: str | None = None


def unread_entry(kind: str, ident: str) -> str:
    """The `Ledger.broken` mark of an entry left out with its id read."""
    return f"{kind}:{ident}"


@dataclass(frozen=True, slots=True)
class Ledger:
    root: Path
    config: Config
    units: dict[str, Unit]
    leaders: dict[str, Leader]
    tasks: tuple[Task, ...]
    scheme: Scheme | None = None
    records: tuple[Record, ...] = ()
    #: tasks with broken required fields, kept so that their other problems (unknown
    #: units, duplicate ids …) are reported in the same run
    incomplete: tuple[Task, ...] = ()
    #: task entries written whose id did not read (`id: 41`, `id: [L-001]`, a list
    #: item that is no mapping): `missing` holds "id", and `id` is only a label for
    #: messages.  Never checked or listed as tasks; kept so that a diff does not show
    #: the task as deleted and change control does not take it for "not locked"
    unnamed: tuple[Task, ...] = ()
    #: parts that could not be read ("config", "units", "scheme", and "tasks" when a
    #: task file could not be): checks that depend on them stay quiet instead of
    #: burying the one real finding under a cascade.  Also single entries whose id was
    #: read but that were left out for another fault (`unread_entry`: "unit:fgw" for a
    #: unit without a name, "task:K-01" for `id: K-01　`): references to them are not
    #: "unknown", the entry's own finding is the one to fix
    broken: frozenset[str] = frozenset()
    #: the supervision loop (督办闭环, SPEC §12): `supervision/*.yaml`
    interviews: tuple[Interview, ...] = ()
    rectifications: tuple[Rectification, ...] = ()
    #: a supervision file was read (its lists may be empty: `interviews: []` keeps the
    #: loop, with nothing in it yet)
    supervised: bool = False
    #: each supervision file read, in the order read, with its file-level `note:`
    supervision_files: tuple[SupervisionFile, ...] = ()

    @property
    def language(self) -> str:
        return self.config.language

    def checkable_tasks(self) -> tuple[Task, ...]:
        """Complete and incomplete tasks in file order (as `luoshi validate` meets
        them), for checks."""
        if not self.incomplete:
            return self.tasks
        return tuple(sorted((*self.tasks, *self.incomplete),
                            key=lambda t: (tuple(t.src.file.split("/")), t.src.path)))

    def unread(self, kind: str, ident: str) -> bool:
        """Whether an entry of `kind` ("unit", "leader", "category", "task") with id
        `ident` is written in the ledger but was left out for a fault reported at the
        entry."""
        return unread_entry(kind, ident) in self.broken

    def unit_name(self, uid: str) -> str:
        """Unit `uid` as an office reads it: its name from units.yaml, or the id when
        the ledger does not know it."""
        u = self.units.get(uid)
        return u.name if u else uid

    def leader_name(self, lid: str) -> str:
        """Leader `lid`'s name, or the id when the ledger does not know it."""
        p = self.leaders.get(lid)
        return p.name if p else lid

    def category(self, cid: str) -> Category | None:
        for c in self.config.categories:
            if c.id == cid:
                return c
        return None

    def record(self, period: str) -> Record | None:
        for r in self.records:
            if r.period == period:
                return r
        return None


_R = TypeVar("_R")


def positional_maker(cls: type[_R]) -> Callable[..., _R]:
    """`cls(*fields)` for a frozen slotted dataclass, without its `__init__`.

    A frozen dataclass's `__init__` stores each field through `object.__setattr__`
    (the class refuses plain assignment); the maker stores it through the field's
    slot descriptor, as the fast record builders do (`load.schema.record_builder`):
    for the results made once per task of a 100,000-task ledger (`TaskState`) that
    is half of their cost.  Every field is positional and required; the object is
    the one `cls(...)` makes (the same fields, equal, hashed alike)."""
    from dataclasses import fields

    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    ns: dict[str, Any] = {"new": object.__new__, "cls": cls}
    body = []
    for i, name in enumerate(names):
        ns[f"set{i}"] = getattr(cls, name).__set__
        body.append(f"    set{i}(o, a{i})\n")
    args = ", ".join(f"a{i}" for i in range(len(names)))
    exec(f"def make({args}):\n    o = new(cls)\n{''.join(body)}    return o\n", ns)
    maker: Callable[..., _R] = ns["make"]
    return maker


def slot_replacer(cls: type[_R], *names: str) -> Callable[..., _R]:
    """`dataclasses.replace(o, **dict(zip(names, values)))` as `replacer(o, *values)`,
    for a frozen slotted dataclass without `__post_init__` or init-only fields: a copy
    of `o` with the fields `names` set to `values`, stored through the slot
    descriptors as `positional_maker` does.  `replace` rebuilds its keyword arguments
    and runs `__init__` for every copy: scoring's tree, renormalised once per
    component and unit, made 58,000 copies for a province's 10,000 units (1.4 s)."""
    from dataclasses import fields

    every = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    unknown = set(names) - set(every)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)}")
    ns: dict[str, Any] = {"new": object.__new__, "cls": cls}
    body = []
    for i, name in enumerate(every):
        slot = getattr(cls, name)
        ns[f"set{i}"] = slot.__set__
        if name in names:
            body.append(f"    set{i}(n, v{names.index(name)})\n")
        else:
            ns[f"get{i}"] = slot.__get__
            body.append(f"    set{i}(n, get{i}(o))\n")
    args = "".join(f", v{i}" for i in range(len(names)))
    exec(f"def replacer(o{args}):\n    n = new(cls)\n{''.join(body)}    return n\n", ns)
    replacer: Callable[..., _R] = ns["replacer"]
    return replacer
