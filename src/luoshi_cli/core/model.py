"""The ledger as immutable records.  Numbers that feed scores are `Decimal`.

Every record remembers where it came from (`Src`: file and key path), so a check
that finds a problem in a task can point at the exact line of the exact key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from sys import intern
from typing import NamedTuple

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


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    kind: str | None
    src: Src
    #: assessed by the scheme?  None: when some record scores it; False: never (the
    #: office that does the scoring); True: always, so a missing score counts as 0
    assessed: bool | None = None


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


@dataclass(frozen=True, slots=True)
class Update:
    month: str  # YYYY-MM
    progress: Decimal | None
    note: str | None = None


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
    #: required fields that did not convert (already reported): such a task is only
    #: checked for what it has (references, duplicates) and never reaches status/scores
    missing: frozenset[str] = frozenset()

    @property
    def last_due(self) -> date:
        return self.milestones[-1].due

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
            self.start.toordinal(), tuple([intern(u.month) for u in self.updates]))


class TaskKey(NamedTuple):
    """What the rules across files and the rules that depend on the as-of date need
    of a task: its id and where it is written; its lead unit, status and due dates
    (task quality, LS409); its done and closing dates (no completion after as-of,
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

    def at(self, *steps: str | int) -> KeyPath:
        return self.path + steps


@dataclass(frozen=True, slots=True)
class Files:
    units: str = "units.yaml"
    tasks: str = "tasks/*.yaml"
    scheme: str = "scheme.yaml"
    records: str = "records/*.yaml"


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
    #: `lint: {select, ignore}`: the finding codes (prefixes) `luoshi validate` reports
    lint_select: tuple[str, ...] = ()
    lint_ignore: tuple[str, ...] = ()


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


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    deductions_in: tuple[str, ...] = ()
    flag: str | None = None
    max_grade: str | None = None
    downgrade: int = 0


@dataclass(frozen=True, slots=True)
class Scheme:
    id: str
    title: str
    components: tuple[Component, ...]
    src: Src
    doc_no: str | None = None
    cadence: str = "quarterly"
    places: int = 2
    media_multiplier: Decimal = Decimal(2)
    floor: Decimal = Decimal(0)
    deduction_categories: tuple[DeductionCategory, ...] = ()
    grades: tuple[Grade, ...] = ()
    rules: tuple[Rule, ...] = ()
    interview_bottom: int = 0

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

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def quarter(self) -> int | None:
        return int(self.period[-1]) if "-Q" in self.period else None


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
    #: parts that could not be read ("config", "units", "scheme"): checks that depend
    #: on them stay quiet instead of burying the one real finding under a cascade
    broken: frozenset[str] = frozenset()

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
