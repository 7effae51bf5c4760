"""What changed between two versions of a ledger, in the office's terms (`luoshi diff`).

A reviewer of a ledger pull request does not want a YAML diff: they want to know
which tasks were added, removed or closed, which lights turned red, whose progress
moved, which milestones were moved (and whether an approved adjustment covers it),
which units changed in units.yaml, which categories and tags in luoshi.yaml, and — for
every period with records — how each unit's score, grade and rank (in its ranking group)
move, and why (`ops.reasons`:
which score, checklist item, task quality, deduction, bonus or flag changed).

Pure: two ledgers and an `as_of` date in, a `LedgerDiff` out.  Both sides are
judged at the same `as_of`, so the diff shows what changed in the data, not what
changed because time passed.  Scores are computed by `scoring.score_period`, lights
by `progress.task_state`: the same functions as `score` and `status`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, Literal, Protocol, TypeVar

from ..core.codes import L
from ..core.labels import as_written
from ..core.model import (
    Adjustment,
    Category,
    Closed,
    Component,
    DeductionCategory,
    Flag,
    Interview,
    Item,
    Ledger,
    Milestone,
    Rectification,
    Rule,
    Scheme,
    Tag,
    Task,
    Update,
)
from ..core.periods import is_annual
from .changes import approved_fields, unapproved_fields
from .progress import task_state
from .reasons import Reasons
from .scoring import group_of
from .supervision import has_supervision

MilestoneKind = Literal["moved", "added", "removed", "reworded", "retargeted", "done",
                        "undone", "renoted"]


@dataclass(frozen=True, slots=True)
class TaskRef:
    id: str
    title: str
    lead: str
    status: str | None = None
    light: str | None = None
    date: date | None = None  # closing date, for closed tasks
    #: the lead unit as people read it (units.yaml's name; the id when unknown)
    lead_name: str = ""
    #: a removed task that was locked at the base: deleted without approval (LS502)
    locked: bool = False


@dataclass(frozen=True, slots=True)
class MilestoneChange:
    kind: MilestoneKind
    standard: str
    before: date | None  # due before (done date for done/undone)
    after: date | None  # due after (done date for done)
    #: moved/added/removed/reworded/retargeted on a locked task
    approved: bool | None = None
    #: the milestone's `target` before and after (retargeted)
    target_before: Decimal | None = None
    target_after: Decimal | None = None
    #: the milestone's `note` before and after (renoted; None: not written)
    note_before: str | None = None
    note_after: str | None = None


#: a value as people read it, worded by the renderer in the reader's language: text
#: as it is ("—" for nothing), a yes/no (`locked`: 是/否), a list (units by name, tags:
#: joined by 、 in Chinese, ", " in English; empty: "—"), or words of luoshi's own
Shown = str | bool | tuple[str | L, ...] | L


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A one-value field before and after (title, lead, category, standard, start,
    target, parent; tags, owners and unit leaders as one list): a reviewer reads whom
    a task moved from and to, not only that its lead changed.  `before`/`after` as
    written (ids stay ids; None: not written; a list as "a, b"; `locked` "true" or
    "false"); `*_shown` as people read them (`Shown`: a lead unit's name, the units'
    names as a list, `locked` a bool)."""
    field: str
    before: str | None
    after: str | None
    before_shown: Shown
    after_shown: Shown


EntryKind = Literal["added", "removed"]


@dataclass(frozen=True, slots=True)
class UpdateChange:
    """A monthly update (月度进展) added, removed or rewritten: the one of each side
    for its month (None: not there)."""
    month: str
    before: Update | None
    after: Update | None


@dataclass(frozen=True, slots=True)
class TaskChange:
    id: str
    title: str
    lead: str
    status: tuple[str, str] | None = None
    light: tuple[str | None, str | None] | None = None
    progress: tuple[Decimal, Decimal] | None = None
    milestones: tuple[MilestoneChange, ...] = ()
    fields: tuple[str, ...] = ()
    #: the lead unit as people read it (units.yaml's name; the id when unknown)
    lead_name: str = ""
    #: controlled fields changed on a task locked at the base without a new adjustment
    unapproved: tuple[str, ...] = ()
    #: the one-value fields among `fields`, before and after
    values: tuple[FieldChange, ...] = ()
    #: the closing record (销号: date, approver, evidence) before and after, when it changed
    closing: tuple[Closed | None, Closed | None] | None = None
    #: red flags and yellow cards (红旗/黄牌) given or taken back
    flags: tuple[tuple[EntryKind, Flag], ...] = ()
    #: monthly updates added, removed or rewritten (progress, actual, note, problems)
    updates: tuple[UpdateChange, ...] = ()
    #: `adjustments` entries (审批记录) added, and removed or edited (LS503)
    adjustments: tuple[tuple[EntryKind, Adjustment], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.status or self.light or self.progress or self.milestones
                    or self.fields or self.closing or self.flags or self.updates
                    or self.adjustments)


@dataclass(frozen=True, slots=True)
class Standing:
    score: Decimal
    grade: str
    rank: int
    #: SPEC §10 ranking group (id, name; "" without groups): `rank` is in the group
    group: str = ""
    group_name: str = ""


@dataclass(frozen=True, slots=True)
class UnitMove:
    unit: str
    name: str
    before: Standing | None
    after: Standing | None
    reasons: tuple[L, ...] = ()

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class PeriodMove:
    period: str
    units: tuple[UnitMove, ...] = ()
    #: why this period could not be compared (no scheme, errors, scoring refused)
    note: L | None = None
    places: int = 2


SupervisionKind = Literal["interview", "rectification"]


@dataclass(frozen=True, slots=True)
class ValueChange:
    """A field of an interview or a rectification before and after, as written (None:
    not written) and as people read it (`Shown`: a unit's name, "—" for nothing, the
    tasks as a list, a deduction's `media` and `provisional` as yes/no)."""
    field: str
    before: str | None
    after: str | None
    before_shown: Shown
    after_shown: Shown


@dataclass(frozen=True, slots=True)
class SupervisionEntry:
    """An interview (约谈) or a rectification (整改) added, removed or changed: its id
    (a rectification's; "" for an interview), unit, date (an interview's date, a
    rectification's `opened`) and, when changed, its fields before and after."""
    kind: SupervisionKind
    id: str
    unit: str
    unit_name: str
    date: date
    #: an interview's kind (提醒谈话), a rectification's due date, as written
    detail: str = ""
    values: tuple[ValueChange, ...] = ()


class _Kinded(Protocol):
    @property
    def kind(self) -> str: ...


E = TypeVar("E", bound=_Kinded)


@dataclass(frozen=True, slots=True)
class EntryChanges(Generic[E]):
    """Entries of a ledger file added, removed and changed between two versions, each
    of a kind (an interview, a deduction …): the shape of `SupervisionDiff` and
    `RecordsDiff`."""
    added: tuple[E, ...] = ()
    removed: tuple[E, ...] = ()
    changed: tuple[E, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def count(self, kind: str) -> tuple[int, int, int]:
        """Added, removed and changed entries of one kind."""
        return (sum(e.kind == kind for e in self.added), sum(e.kind == kind for e in self.removed),
                sum(e.kind == kind for e in self.changed))


@dataclass(frozen=True, slots=True)
class SupervisionDiff(EntryChanges[SupervisionEntry]):
    """What changed in supervision/*.yaml (SPEC §12), in the office's terms."""


RecordKind = Literal["deduction", "bonus", "flag"]


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """A deduction (扣分), a bonus (加分) or a flag (如否决) of a record (records/*.yaml)
    added, removed or changed: its period, unit, category (a flag's kind) and date as
    written (the later side's when changed) and its fields — before and after when
    changed; as written on its one side when added or removed.  Reported whether or not the score moves: a reason or a flag no rule reads
    is still the office's record."""
    kind: RecordKind
    period: str
    unit: str
    unit_name: str
    category: str
    date: date | None
    values: tuple[ValueChange, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordNote:
    """A record's own `note:` (备注) before and after (None: not written)."""
    period: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class RecordsDiff(EntryChanges[RecordEntry]):
    """What changed in the records' deductions, bonuses and flags (records/*.yaml), and
    in a record's own note (a note edited alone was "no change")."""
    notes: tuple[RecordNote, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.notes)


UnitsKind = Literal["unit", "leader"]
#: what luoshi.yaml declares by id: categories (类别, with the 专项推进组 owning each) and tags
ConfigKind = Literal["category", "tag"]
#: what scheme.yaml declares: components (by id), grades (by name), ranking groups,
#: deduction and bonus categories and rules (by id), and the scheme's own settings
SchemeKind = Literal["component", "grade", "group", "deduction", "bonus", "rule", "settings"]
EntryKindName = UnitsKind | ConfigKind | SchemeKind


@dataclass(frozen=True, slots=True)
class EntryValue:
    """A field of a unit or a leader (units.yaml) before and after, as written (None:
    not written; `assessed` a bool; `group` the ranking group's id) and as people read
    it (a group by its name)."""
    field: str
    before: str | bool | int | None
    after: str | bool | int | None
    before_shown: L
    after_shown: L


@dataclass(frozen=True, slots=True)
class UnitEntry:
    """A unit or a leader added, removed or changed: its id, its name (the later
    side's), its kind or title as written ("" when none) and its fields — before and
    after when changed; as written on its one side when added or removed."""
    kind: EntryKindName
    id: str
    name: str
    detail: str = ""
    values: tuple[EntryValue, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitsDiff:
    """What changed in units.yaml: units (name, kind, `assessed`, and the ranking group
    the kind puts them in, SPEC §10) and leaders (name, title)."""
    added: tuple[UnitEntry, ...] = ()
    removed: tuple[UnitEntry, ...] = ()
    changed: tuple[UnitEntry, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def count(self, kind: EntryKindName) -> tuple[int, int, int]:
        """Added, removed and changed entries of one kind."""
        return (sum(e.kind == kind for e in self.added), sum(e.kind == kind for e in self.removed),
                sum(e.kind == kind for e in self.changed))


@dataclass(frozen=True, slots=True)
class ConfigDiff(UnitsDiff):
    """What changed in what luoshi.yaml declares: categories (name, the group that owns
    one, description, planned count) and tags (name, description), as `UnitsDiff`'s
    entries of kind "category" and "tag".  The rest of luoshi.yaml (title, year,
    files, lint …) is not compared here."""


@dataclass(frozen=True, slots=True)
class SchemeDiff(UnitsDiff):
    """What changed in scheme.yaml, as `UnitsDiff`'s entries of the `SchemeKind`s:
    a weight, a grade's line or quota, a ranking group, a category's bounds, a rule —
    changes that move no score went unsaid ("任务和得分都没有变化")."""


@dataclass(frozen=True)
class LedgerDiff:
    before_label: str
    after_label: str
    as_of: date
    added: tuple[TaskRef, ...] = ()
    removed: tuple[TaskRef, ...] = ()
    closed: tuple[TaskRef, ...] = ()
    changed: tuple[TaskChange, ...] = ()
    periods: tuple[PeriodMove, ...] = ()
    notes: tuple[L, ...] = field(default_factory=tuple)
    #: supervision changes; None when neither side keeps supervision files (the
    #: output of a ledger without them is what it was before they existed)
    supervision: SupervisionDiff | None = None
    #: units and leaders added, removed or changed in units.yaml
    units: UnitsDiff = field(default_factory=UnitsDiff)
    #: deductions, bonuses and flags of the records added, removed or changed
    records: RecordsDiff = field(default_factory=RecordsDiff)
    #: categories and tags added, removed or changed in luoshi.yaml
    config: ConfigDiff = field(default_factory=ConfigDiff)
    #: components, grades, ranking groups, categories, rules and settings of scheme.yaml
    scheme: SchemeDiff = field(default_factory=SchemeDiff)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.closed or self.changed
                    or (self.supervision is not None and not self.supervision.empty)
                    or not self.units.empty or not self.records.empty
                    or not self.config.empty or not self.scheme.empty
                    or any(u.changed for p in self.periods for u in p.units))


# ---- tasks ---------------------------------------------------------------------------


def _by_id(tasks: Iterable[Task]) -> dict[str, Task]:
    out: dict[str, Task] = {}
    for t in tasks:
        out.setdefault(t.id, t)
    return out


def milestone_changes(before: Task, after: Task,
                      latest: date | None = None) -> list[MilestoneChange]:
    """Pair milestones (same due and standard; same standard → moved; same due →
    reworded; the rest in order), then report what differs (its note too: "renoted").  `latest`: an approval
    dated after it approves nothing (LS504).  A milestone's `target` changed is
    "retargeted", approved by an entry naming `milestones` or `target`."""
    fields = approved_fields(before, after, latest)
    approved = "milestones" in fields
    locked = before.locked
    retarget_ok = (approved or "target" in fields) if locked else None
    left: list[Milestone | None] = list(before.milestones)
    right: list[Milestone | None] = list(after.milestones)
    pairs: list[tuple[Milestone, Milestone]] = []

    def pair_by(same: Callable[[Milestone, Milestone], bool]) -> None:
        for i, a in enumerate(left):
            if a is None:
                continue
            for j, b in enumerate(right):
                if b is not None and same(a, b):
                    pairs.append((a, b))
                    left[i] = right[j] = None
                    break

    pair_by(lambda a, b: a.due == b.due and a.standard == b.standard)
    pair_by(lambda a, b: a.standard == b.standard)
    pair_by(lambda a, b: a.due == b.due)
    ok = approved if locked else None
    out: list[MilestoneChange] = []
    for a, b in sorted(pairs, key=lambda p: p[1].due):
        if a.due != b.due:
            out.append(MilestoneChange("moved", b.standard, a.due, b.due, ok))
        elif a.standard != b.standard:
            out.append(MilestoneChange("reworded", b.standard, a.due, b.due, ok))
        if a.target != b.target:
            out.append(MilestoneChange("retargeted", b.standard, a.due, b.due, retarget_ok,
                                       a.target, b.target))
        if b.done is not None and a.done != b.done:
            out.append(MilestoneChange("done", b.standard, a.done, b.done))
        elif b.done is None and a.done is not None:
            out.append(MilestoneChange("undone", b.standard, a.done, None))
        if a.note != b.note:
            # (a milestone's note is no controlled field: no approval asked of it)
            out.append(MilestoneChange("renoted", b.standard, a.due, b.due,
                                       note_before=a.note, note_after=b.note))
    out.extend(MilestoneChange("removed", a.standard, a.due, None, ok)
               for a in left if a is not None)
    out.extend(MilestoneChange("added", b.standard, None, b.due, ok)
               for b in right if b is not None)
    return out


_OTHER_FIELDS = ("title", "category", "standard", "lead", "units", "cooperating", "leaders",
                 "start", "locked", "target", "parent", "tags", "owners", "unit_leaders",
                 "note")
#: compared as sets: another order changes nobody's responsibility
_SET_FIELDS = ("units", "cooperating", "leaders", "tags")


def _other_fields(a: Task, b: Task) -> list[str]:
    out = []
    for name in _OTHER_FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if name in _SET_FIELDS:
            x, y = set(x), set(y)
        if x != y:
            out.append(name)
    return out


_SCALAR_FIELDS = ("title", "lead", "category", "standard", "start", "target", "parent",
                  "tags", "owners", "unit_leaders", "note", "units", "cooperating", "leaders",
                  "locked")
#: the fields of unit ids and of leader ids: shown by their names, as `lead` is
_UNIT_LISTS = ("units", "cooperating")


def _written(task: Task, name: str) -> str | None:
    """A field's value as written, in one line (None: not written): a target as
    "10 个", a list as "a, b"."""
    value = getattr(task, name)
    if name == "target":
        if value is None:
            return None
        return f"{as_written(value.value)} {value.unit}" if value.unit else as_written(
            value.value)
    if isinstance(value, tuple):
        return ", ".join(value) if value else None
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def _values(a: Task, b: Task, before: Ledger, after: Ledger) -> tuple[FieldChange, ...]:
    out = []
    for name in _SCALAR_FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if x == y or (name in _SET_FIELDS and set(x) == set(y)):
            continue
        sx, sy = _written(a, name), _written(b, name)
        if name == "lead":
            nx, ny = _names_shown(before, (sx or "",), after, (sy or "",), _name)
            out.append(FieldChange(name, sx, sy, nx[0], ny[0]))
        elif name in _UNIT_LISTS or name == "leaders":
            # who shares a task, and which leaders: by name, as the lead (they were
            # named in "修改了：配合单位" without a value)
            look = _name if name in _UNIT_LISTS else _leader_name
            nx, ny = _names_shown(before, x, after, y, look)
            out.append(FieldChange(name, sx, sy, nx, ny))
        elif isinstance(x, bool | tuple):  # locked; tags, owners, unit leaders
            out.append(FieldChange(name, sx, sy, x, y))
        else:
            out.append(FieldChange(name, sx, sy, sx or "—", sy or "—"))
    return tuple(out)


def _entries(a: tuple[Any, ...], b: tuple[Any, ...]) -> list[tuple[EntryKind, Any]]:
    """Entries of `b` that `a` lacks ("added") and of `a` that `b` lacks ("removed"),
    as multisets: an entry edited in place is one removed and one added."""
    left = list(a)
    added = []
    for x in b:
        if x in left:
            left.remove(x)
        else:
            added.append(x)
    return [*(("removed", x) for x in left), *(("added", x) for x in added)]


def _update_changes(a: Task, b: Task) -> tuple[UpdateChange, ...]:
    """Monthly updates paired by month (the first of a month, as status reads them)."""
    old: dict[str, Update] = {}
    for u in a.updates:
        old.setdefault(u.month, u)
    new: dict[str, Update] = {}
    for u in b.updates:
        new.setdefault(u.month, u)
    return tuple(UpdateChange(m, old.get(m), new.get(m)) for m in sorted(set(old) | set(new))
                 if old.get(m) != new.get(m))


def task_changes(before: Ledger, after: Ledger, as_of: date, latest: date | None = None
                 ) -> tuple[list[TaskRef], list[TaskRef], list[TaskRef], list[TaskChange]]:
    """Added, removed, closed and otherwise changed tasks.  `latest`: the last day an
    approval may be dated (LS504)."""
    old, new = _by_id(before.tasks), _by_id(after.tasks)
    added, removed, closed, changed = [], [], [], []
    for tid, b in new.items():
        sb = task_state(b, as_of, after.config)
        if tid not in old:
            added.append(TaskRef(b.id, b.title, b.lead, sb.status, sb.light,
                                 lead_name=_name(after, b.lead)))
            continue
        a = old[tid]
        sa = task_state(a, as_of, before.config)
        if sb.status == "closed" and sa.status != "closed":
            closed.append(TaskRef(b.id, b.title, b.lead, sb.status, None,
                                  b.closed.date if b.closed else None,
                                  lead_name=_name(after, b.lead)))
        unapproved: tuple[str, ...] = ()
        if a.locked:
            unapproved = tuple(unapproved_fields(a, b, latest))
        change = TaskChange(
            id=b.id, title=b.title, lead=b.lead, lead_name=_name(after, b.lead),
            status=(sa.status, sb.status) if sa.status != sb.status else None,
            light=(sa.light, sb.light) if sa.light != sb.light else None,
            progress=(sa.progress, sb.progress) if sa.progress != sb.progress else None,
            milestones=tuple(milestone_changes(a, b, latest)),
            fields=tuple(_other_fields(a, b)),
            unapproved=unapproved,
            values=_values(a, b, before, after),
            closing=(a.closed, b.closed) if a.closed != b.closed else None,
            flags=tuple(_entries(a.flags, b.flags)),
            updates=_update_changes(a, b),
            adjustments=tuple(_entries(a.adjustments, b.adjustments)),
        )
        if not change.empty:
            changed.append(change)
    for tid, a in old.items():
        if tid not in new:
            removed.append(TaskRef(a.id, a.title, a.lead, lead_name=_name(before, a.lead),
                                   locked=a.locked))
    return added, removed, closed, changed


def _name(ledger: Ledger, unit: str) -> str:
    u = ledger.units.get(unit)
    return u.name if u is not None and u.name else unit


def _leader_name(ledger: Ledger, leader: str) -> str:
    p = ledger.leaders.get(leader)
    return p.name if p is not None and p.name else leader


def _names_shown(before: Ledger, was: tuple[str, ...], after: Ledger, now: tuple[str, ...],
                 look: Callable[[Ledger, str], str]
                 ) -> tuple[tuple[str | L, ...], tuple[str | L, ...]]:
    """Ids before and after by their names (`_name`, `_leader_name`): lists the
    renderer joins.  When the names read the same (an id renamed, its name kept), the
    ids that changed are shown beside them — `区教育局（jyj） → 区教育局（jyj-2）` —
    else the line would say a change and show none."""
    nx = tuple(look(before, i) for i in was)
    ny = tuple(look(after, i) for i in now)
    if sorted(nx) != sorted(ny):
        return nx, ny

    def told(names: tuple[str, ...], ids: tuple[str, ...], other: tuple[str, ...]
             ) -> tuple[str | L, ...]:
        return tuple(n if i in other or n == i else _with_id(n, i)
                     for n, i in zip(names, ids, strict=True))

    return told(nx, was, now), told(ny, now, was)


def _with_id(name: str, eid: str) -> L:
    """A unit's or a leader's name with its id: 区教育局（jyj）, 区教育局 (jyj)."""
    return L(f"{name}（{eid}）", f"{name} ({eid})")


# ---- supervision ---------------------------------------------------------------------

#: the fields compared, in the order they are reported
_INTERVIEW_FIELDS = ("kind", "by", "reason", "tasks", "note", "period")
_RECTIFICATION_FIELDS = ("unit", "tasks", "source", "opened", "due", "report", "closed",
                         "approved_by", "evidence", "reason", "note", "report_note")
#: the fields of a rectification the scoring rules read (`rectifications_overdue`,
#: `rectifications_closed_late`)
_SCORED_FIELDS = ("unit", "opened", "due", "closed")


def _interview_value(iv: Interview, name: str) -> str | None:
    if name == "tasks":
        return ", ".join(iv.tasks) if iv.tasks else None
    value: str | None = getattr(iv, name)
    return value


def _rectification_value(rc: Rectification, name: str) -> str | None:
    if name == "tasks":
        return ", ".join(rc.tasks) if rc.tasks else None
    if name in ("closed", "approved_by", "evidence"):
        if rc.closed is None:
            return None
        got = rc.closed.date if name == "closed" else getattr(rc.closed, name)
        return None if got is None else str(got)
    value = getattr(rc, name)
    return None if value is None else str(value)


def _value_changes(names: tuple[str, ...], a: object, b: object,
                   value: Callable[[Any, str], str | None], before: Ledger,
                   after: Ledger) -> tuple[ValueChange, ...]:
    out = []
    for name in names:
        x, y = value(a, name), value(b, name)
        if x == y:
            continue
        sx: Shown
        sy: Shown
        if name == "unit":
            (sx,), (sy,) = _names_shown(before, (x or "",), after, (y or "",), _name)
        else:
            sx, sy = _shown(a, name, x), _shown(b, name, y)
        out.append(ValueChange(name, x, y, sx, sy))
    return tuple(out)


def _shown(entry: Any, name: str, written: str | None) -> Shown:
    """A field of an interview, a rectification or a record's entry as people read it:
    the tasks a list, a deduction's `media` and `provisional` yes or no, a restoration
    its date, approver and reason in a phrase; else as written ("—" for nothing)."""
    if name == "tasks":
        return tuple(entry.tasks)
    if name in ("media", "provisional"):
        return bool(getattr(entry, name))
    if name == "restored" and entry.restored is not None:
        parts = [str(entry.restored.date), entry.restored.approved_by, entry.restored.reason]
        return L("，".join(p for p in parts if p), ", ".join(p for p in parts if p))
    return written or "—"


def supervision_changes(before: Ledger, after: Ledger) -> SupervisionDiff | None:
    """Interviews and rectifications added, removed and changed; None when neither
    ledger keeps supervision files.  Rectifications pair by id; interviews, which have
    none, by everything written (an unchanged one), then by unit and date (one whose
    kind, interviewer, reason, tasks, note or ranking `period` changed); the rest are
    added or removed.
    A rectification's reason, note and its report's note are compared too: an edited
    note is a change the office reviews like any other."""
    if not has_supervision(before) and not has_supervision(after):
        return None
    added: list[SupervisionEntry] = []
    removed: list[SupervisionEntry] = []
    changed: list[SupervisionEntry] = []

    def interview(iv: Interview, ledger: Ledger,
                  values: tuple[ValueChange, ...] = ()) -> SupervisionEntry:
        return SupervisionEntry("interview", "", iv.unit, _name(ledger, iv.unit), iv.date,
                                iv.kind or "", values)

    def same(iv: Interview) -> tuple[object, ...]:
        return (iv.unit, iv.date, iv.kind, iv.by, iv.reason, iv.tasks, iv.note, iv.period)

    # each pairing takes the first interview not yet taken, in the file's order, from
    # an index (a scan of the list per interview was quadratic: 10,000 interviews with
    # their reasons edited took `diff` from 10 s to 30 s, review)
    left = before.interviews
    taken = [False] * len(left)
    by_same: dict[tuple[object, ...], deque[int]] = {}
    by_day: dict[tuple[object, ...], deque[int]] = {}
    for i, x in enumerate(left):
        by_same.setdefault(same(x), deque()).append(i)
        by_day.setdefault((x.unit, x.date), deque()).append(i)

    def take(index: dict[tuple[object, ...], deque[int]], key: tuple[object, ...]
             ) -> int | None:
        waiting = index.get(key)
        while waiting:
            i = waiting.popleft()
            if not taken[i]:
                taken[i] = True
                return i
        return None

    right = [iv for iv in after.interviews if take(by_same, same(iv)) is None]
    for iv in right:
        match = take(by_day, (iv.unit, iv.date))
        if match is None:
            added.append(interview(iv, after))
            continue
        changed.append(interview(iv, after, _value_changes(
            _INTERVIEW_FIELDS, left[match], iv, _interview_value, before, after)))
    removed.extend(interview(iv, before) for i, iv in enumerate(left) if not taken[i])

    def rectification(rc: Rectification, ledger: Ledger,
                      values: tuple[ValueChange, ...] = ()) -> SupervisionEntry:
        return SupervisionEntry("rectification", rc.id, rc.unit, _name(ledger, rc.unit),
                                rc.opened, str(rc.due), values)

    old_r, new_r = _rectifications_by_id(before), _rectifications_by_id(after)
    for rid, rc in new_r.items():
        was = old_r.get(rid)
        if was is None:
            added.append(rectification(rc, after))
            continue
        values = _value_changes(_RECTIFICATION_FIELDS, was, rc, _rectification_value,
                                before, after)
        if values:
            changed.append(rectification(rc, after, values))
    removed.extend(rectification(rc, before) for rid, rc in old_r.items() if rid not in new_r)
    return SupervisionDiff(tuple(added), tuple(removed), tuple(changed))


def _rectifications_by_id(ledger: Ledger) -> dict[str, Rectification]:
    out: dict[str, Rectification] = {}
    for rc in ledger.rectifications:
        out.setdefault(rc.id, rc)
    return out


#: what a rectification's field is called in a reason
_FIELD_WORDS = {
    "unit": L("整改单位", "unit"), "opened": L("下达日期", "opened"),
    "due": L("整改期限", "due"), "closed": L("销号日期", "closed"),
}


def _reads_rectifications(scheme: Scheme | None) -> bool:
    return scheme is not None and any(r.rectifications_overdue_min is not None
                                      or r.rectifications_closed_late_min is not None
                                      for r in scheme.rules)


def supervision_reasons(before: Ledger, after: Ledger) -> dict[str, list[L]]:
    """For a scheme whose rules read rectifications: each unit's rectifications added,
    removed, or with a date the rules read (opened, due, closed) or the unit changed
    (a rectification moved to another unit is named for both).

    Every unit's at once, in one pass over both sides' rectifications: the diff asks
    for the reasons of every unit that moved, and scanning all rectifications per unit
    made a diff of 10,000 units and 8,000 rectifications spend 141 s here."""
    if not (_reads_rectifications(after.scheme) or _reads_rectifications(before.scheme)):
        return {}
    old, new = _rectifications_by_id(before), _rectifications_by_id(after)
    out: dict[str, list[L]] = {}
    for rid in sorted(set(old) | set(new)):
        a, b = old.get(rid), new.get(rid)
        lines: list[L] = []
        if a is None or b is None:
            lines.append(L(f"整改 {rid} {'新增' if a is None else '被删除'}",
                           f"rectification {rid} {'added' if a is None else 'removed'}"))
        else:
            for name in _SCORED_FIELDS:
                x, y = _rectification_value(a, name), _rectification_value(b, name)
                if x != y:
                    words = _FIELD_WORDS[name]
                    lines.append(L(f"整改 {rid} {words.zh} {x or '无'} → {y or '无'}",
                                   f"rectification {rid} {words.en} {x or 'none'} → "
                                   f"{y or 'none'}"))
        if lines:
            for unit in {r.unit for r in (a, b) if r is not None}:
                out.setdefault(unit, []).extend(lines)
    return out


# ---- records: deductions, bonuses, flags --------------------------------------------

#: the fields compared, in the order they are reported (unit and category are how
#: entries pair: one moved to another unit or category is removed and added)
_RECORD_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    "deduction": ("date", "points", "media", "provisional", "restored", "reason"),
    "bonus": ("date", "points", "reason"),
    "flag": ("date", "reason"),
}


def _record_value(x: Any, name: str) -> str | None:
    value = getattr(x, name)
    if name == "restored":
        if value is None:
            return None
        parts = [str(value.date), value.approved_by, value.reason]
        return ", ".join(p for p in parts if p)
    if name in ("media", "provisional"):
        return "true" if value else None
    if isinstance(value, Decimal):
        return as_written(value)
    return None if value is None else str(value)


def records_changes(before: Ledger, after: Ledger) -> RecordsDiff:
    """Each record's deductions, bonuses and flags added, removed and changed, period
    by period (records pair by period).  Entries pair by everything written (an
    unchanged one), then by unit, category (a flag's kind) and date, then by unit and
    category (one whose date, points, reason… changed); the rest are added or
    removed.  Every change is reported — `score_moves` names the ones that move a
    score, and a reason reworded or a flag no rule reads moved none and went unsaid."""
    added: list[RecordEntry] = []
    removed: list[RecordEntry] = []
    changed: list[RecordEntry] = []
    notes: list[RecordNote] = []
    old = {r.period: r for r in before.records}
    new = {r.period: r for r in after.records}
    for period in sorted(set(old) | set(new)):
        a, b = old.get(period), new.get(period)
        kinds: tuple[tuple[RecordKind, str], ...] = (
            ("deduction", "deductions"), ("bonus", "bonuses"), ("flag", "flags"))
        for kind, attr in kinds:
            _record_entries(kind, period, getattr(a, attr, ()), getattr(b, attr, ()),
                            before, after, (added, removed, changed))
        was, now = getattr(a, "note", None), getattr(b, "note", None)
        if was != now:
            notes.append(RecordNote(period, was, now))
    return RecordsDiff(tuple(added), tuple(removed), tuple(changed), tuple(notes))


def _record_entries(kind: RecordKind, period: str, left: tuple[Any, ...],
                    right: tuple[Any, ...], before: Ledger, after: Ledger,
                    out: tuple[list[RecordEntry], list[RecordEntry], list[RecordEntry]]
                    ) -> None:
    names = _RECORD_FIELDS[kind]

    def category(x: Any) -> str:
        return str(x.kind if kind == "flag" else x.category)

    def entry(x: Any, ledger: Ledger, values: tuple[ValueChange, ...] = ()) -> RecordEntry:
        return RecordEntry(kind, period, x.unit, _name(ledger, x.unit), category(x), x.date,
                           values)

    keys: tuple[Callable[[Any], tuple[object, ...]], ...] = (
        lambda x: (x.unit, category(x), *(_record_value(x, n) for n in names)),
        lambda x: (x.unit, category(x), x.date),
        lambda x: (x.unit, category(x)))
    taken = [False] * len(left)
    pairs: list[tuple[int, Any]] = []
    rest = list(right)
    for key in keys:
        index: dict[tuple[object, ...], deque[int]] = {}
        for i, x in enumerate(left):
            if not taken[i]:
                index.setdefault(key(x), deque()).append(i)
        waiting = []
        for y in rest:
            queue = index.get(key(y))
            if queue:
                i = queue.popleft()
                taken[i] = True
                pairs.append((i, y))
            else:
                waiting.append(y)
        rest = waiting
    for i, y in sorted(pairs, key=lambda p: p[0]):
        values = _value_changes(names, left[i], y, _record_value, before, after)
        if values:
            out[2].append(entry(y, after, values))
    out[0].extend(entry(y, after, _one_side(names, y, after=True)) for y in rest)
    out[1].extend(entry(x, before, _one_side(names, x, after=False))
                  for i, x in enumerate(left) if not taken[i])


def _one_side(names: tuple[str, ...], x: Any, *, after: bool) -> tuple[ValueChange, ...]:
    """An added (removed) entry's fields as written, on its one side (its date is the
    entry's own)."""
    out = []
    for name in names:
        if name == "date":
            continue
        v = _record_value(x, name)
        if v is not None:
            shown = _shown(x, name, v)
            out.append(ValueChange(name, None, v, "—", shown) if after
                       else ValueChange(name, v, None, shown, "—"))
    return tuple(out)


# ---- units.yaml ----------------------------------------------------------------------

#: a unit's or a leader's fields: as written, and as people read them
Fields = dict[str, tuple[str | bool | int | None, L]]


def _assessed_shown(x: str | bool | None) -> L:
    if x is None:
        return L("未写", "not written")
    return L("是（true）", "true") if x else L("否（false，不参加考核）", "false (not assessed)")


def _text_shown(x: str | bool | None) -> L:
    return L("未写", "not written") if x is None else L(str(x), str(x))


def _unit_fields(ledger: Ledger, uid: str) -> Fields:
    """A unit's fields as written and as read: name, kind, assessed and, when the
    scheme ranks in groups, the group its kind or id puts it in."""
    u = ledger.units[uid]
    out: Fields = {
        "name": (u.name, _text_shown(u.name)), "kind": (u.kind, _text_shown(u.kind)),
        "assessed": (u.assessed, _assessed_shown(u.assessed))}
    if u.short:  # written: a change of it is shown (an absent one is no field)
        out["short"] = (u.short, _text_shown(u.short))
    scheme = ledger.scheme
    if scheme is not None and scheme.ranking_groups:
        g = group_of(scheme, ledger, uid)
        out["group"] = (None, L("无", "none")) if g is None else (
            g.id, L(g.name or g.id, g.name or g.id))
    return out


def _leader_fields(ledger: Ledger, lid: str) -> Fields:
    x = ledger.leaders[lid]
    return {"name": (x.name, _text_shown(x.name)), "title": (x.title, _text_shown(x.title))}


def units_changes(before: Ledger, after: Ledger) -> UnitsDiff:
    """Units and leaders added, removed and changed (by id), in units.yaml's order."""
    out: tuple[list[UnitEntry], list[UnitEntry], list[UnitEntry]] = ([], [], [])
    _unit_entries(out, "unit", before, after, list(before.units), list(after.units), _unit_fields,
             "kind")
    _unit_entries(out, "leader", before, after, list(before.leaders), list(after.leaders),
             _leader_fields, "title")
    return UnitsDiff(tuple(out[0]), tuple(out[1]), tuple(out[2]))


def _category_fields(c: Category) -> Fields:
    """A category's fields as written (None: not written): name, the group owning it,
    its description and planned count."""
    planned = None if c.planned is None else str(c.planned)
    return {"name": (c.name, _text_shown(c.name)), "group": (c.group, _text_shown(c.group)),
            "description": (c.description, _text_shown(c.description)),
            "planned": (c.planned, _text_shown(planned))}


def _tag_fields(t: Tag) -> Fields:
    return {"name": (t.name, _text_shown(t.name)),
            "description": (t.description, _text_shown(t.description))}


def _first_of_each(items: Iterable[Any]) -> dict[str, Any]:
    """Items by id in the order written, the first of an id (a second is an error
    `validate` reports)."""
    out: dict[str, Any] = {}
    for x in items:
        out.setdefault(x.id, x)
    return out


def config_changes(before: Ledger, after: Ledger) -> ConfigDiff:
    """Categories and tags of luoshi.yaml added, removed and changed (by id), in its
    order: a category renamed, re-described or given to another group, a tag renamed
    — the words every bulletin and sheet prints — went unsaid by `diff`."""
    out: tuple[list[UnitEntry], list[UnitEntry], list[UnitEntry]] = ([], [], [])
    cats = {False: _first_of_each(before.config.categories),
            True: _first_of_each(after.config.categories)}
    tags = {False: _first_of_each(before.config.tags), True: _first_of_each(after.config.tags)}
    _unit_entries(out, "category", before, after, list(cats[False]), list(cats[True]),
                  lambda ledger, cid: _category_fields(cats[ledger is after][cid]), "group")
    _unit_entries(out, "tag", before, after, list(tags[False]), list(tags[True]),
                  lambda ledger, tid: _tag_fields(tags[ledger is after][tid]), "")
    return ConfigDiff(tuple(out[0]), tuple(out[1]), tuple(out[2]))


def _text(x: object) -> str | None:
    """A scheme value as written, in one line (None: not written)."""
    if x is None:
        return None
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, Decimal):
        return as_written(x)
    if isinstance(x, tuple):
        return ", ".join(str(i) for i in x) if x else None
    return str(x)


def _as_fields(values: dict[str, object]) -> Fields:
    """Fields of a scheme entry: each as written and as read ("未写" for nothing)."""
    out: Fields = {}
    for name, value in values.items():
        text = _text(value)
        out[name] = (text, _text_shown(text))
    return out


def _items_text(items: tuple[Item, ...]) -> str | None:
    """A checklist (细项) in one line: `a 会议组织 10; b 台账资料 5 (b1 … 3)`."""
    def one(it: Item) -> str:
        below = f" ({_items_text(it.items)})" if it.items else ""
        return f"{it.id} {it.name} {as_written(it.points)}{below}"

    return "; ".join(one(it) for it in items) if items else None


def _component_fields(c: Component, parent: str | None) -> Fields:
    applies = None
    if c.applies_kinds is not None or c.applies_units is not None:
        applies = "; ".join(f"{k}: {', '.join(v)}" for k, v in
                            (("kinds", c.applies_kinds), ("units", c.applies_units))
                            if v is not None)
    return _as_fields({"name": c.name, "parent": parent, "weight": c.weight,
                       "cadence": c.cadence, "source": c.source,
                       "credit": c.credit if c.source == "tasks" else None,
                       "timeliness": c.timeliness, "quality": c.quality,
                       "late_per_day": c.late_per_day, "scored_by": c.scored_by,
                       "applies_to": applies, "items": _items_text(c.items)})


def _rule_fields(r: Rule) -> Fields:
    count = None
    if r.deductions_count_min is not None:
        count = f"min {r.deductions_count_min}" + (
            f" in {', '.join(r.deductions_count_in)}" if r.deductions_count_in else "")
    return _as_fields({
        "deductions_in": r.deductions_in, "flag": r.flag, "deductions_count": count,
        "overdue_tasks": r.overdue_tasks_min, "late_milestones": r.late_milestones_min,
        "rectifications_overdue": r.rectifications_overdue_min,
        "rectifications_closed_late": r.rectifications_closed_late_min,
        "bonuses_in": r.bonuses_in, "max_grade": r.max_grade, "min_grade": r.min_grade,
        "downgrade": r.downgrade or None, "upgrade": r.upgrade or None,
        "interview": r.interview or None, "note": r.note})


def _settings_fields(s: Scheme) -> Fields:
    return _as_fields({
        "name": s.title, "doc_no": s.doc_no, "cadence": s.cadence, "places": s.places,
        "media_multiplier": s.media_multiplier, "floor": s.floor, "bonus_cap": s.bonus_cap,
        "ceiling": s.ceiling, "interview_bottom": s.interview_bottom,
        "month_interview_bottom": s.month_interview_bottom,
        "quarter_interview_bottom": s.quarter_interview_bottom})


def _scheme_parts(scheme: Scheme | None) -> dict[SchemeKind, dict[str, Fields]]:
    """Each kind's entries by id (a grade by its name), in the order written, as
    fields; the scheme's settings as the one entry of its id."""
    out: dict[SchemeKind, dict[str, Fields]] = {
        "component": {}, "grade": {}, "group": {}, "deduction": {}, "bonus": {}, "rule": {},
        "settings": {}}
    if scheme is None:
        return out

    def walk(cs: tuple[Component, ...], parent: str | None) -> None:
        for c in cs:
            out["component"].setdefault(c.id, _component_fields(c, parent))
            walk(c.children, c.id)

    walk(scheme.components, None)
    for g in scheme.grades:
        out["grade"].setdefault(g.name, _as_fields({"name": g.name, "min": g.min,
                                                    "max_share": g.max_share}))
    for rg in scheme.ranking_groups:
        out["group"].setdefault(rg.id, _as_fields({
            "name": rg.name, "kinds": rg.kinds, "units": rg.units,
            "interview_bottom": rg.interview_bottom}))
    cats: tuple[tuple[SchemeKind, tuple[DeductionCategory, ...]], ...] = (
        ("deduction", scheme.deduction_categories), ("bonus", scheme.bonus_categories))
    for kind, entries in cats:
        for d in entries:
            out[kind].setdefault(d.id, _as_fields({"name": d.name, "min": d.min,
                                                   "max": d.max}))
    for r in scheme.rules:
        out["rule"].setdefault(r.id, {"name": (r.id, _text_shown(r.id)), **_rule_fields(r)})
    out["settings"][scheme.id] = _settings_fields(scheme)
    return out


def scheme_changes(before: Ledger, after: Ledger) -> SchemeDiff:
    """scheme.yaml's components, grades, ranking groups, deduction and bonus
    categories, rules and settings added, removed and changed, in its order."""
    out: tuple[list[UnitEntry], list[UnitEntry], list[UnitEntry]] = ([], [], [])
    if before.scheme == after.scheme:
        return SchemeDiff()
    parts = {False: _scheme_parts(before.scheme), True: _scheme_parts(after.scheme)}
    kinds: tuple[SchemeKind, ...] = ("settings", "component", "grade", "group", "deduction",
                                     "bonus", "rule")
    for kind in kinds:
        def fields(ledger: Ledger, eid: str, kind: SchemeKind = kind) -> Fields:
            return parts[ledger is after][kind][eid]
        _unit_entries(out, kind, before, after, list(parts[False][kind]),
                      list(parts[True][kind]), fields, "")
    return SchemeDiff(tuple(out[0]), tuple(out[1]), tuple(out[2]))


def _unit_entries(out: tuple[list[UnitEntry], list[UnitEntry], list[UnitEntry]],
                  kind: EntryKindName, before: Ledger, after: Ledger, old: list[str],
                  new: list[str], fields: Callable[[Ledger, str], Fields], detail: str) -> None:
    """`detail`: the field shown beside an entry's name ("": none)."""
    added, removed, changed = out
    known = set(old)
    for eid in new:
        got = fields(after, eid)
        name, shown = str(got["name"][0]), str(got[detail][0] or "") if detail else ""
        if eid not in known:
            added.append(UnitEntry(kind, eid, name, shown, tuple(
                EntryValue(f, None, v, L("", ""), t) for f, (v, t) in got.items())))
            continue
        was = fields(before, eid)
        values = tuple(EntryValue(f, was[f][0] if f in was else None, v,
                                  was[f][1] if f in was else L("无", "none"), t)
                       for f, (v, t) in got.items() if f not in was or was[f][0] != v)
        values += tuple(EntryValue(f, x, None, t, L("无", "none"))
                        for f, (x, t) in was.items() if f not in got)
        if values:
            changed.append(UnitEntry(kind, eid, name, shown, values))
    now = set(new)
    for eid in old:
        if eid not in now:
            got = fields(before, eid)
            removed.append(UnitEntry(kind, eid, str(got["name"][0]),
                                     str(got[detail][0] or "") if detail else "",
                                     tuple(EntryValue(f, v, None, t, L("", ""))
                                           for f, (v, t) in got.items())))


# ---- scores --------------------------------------------------------------------------

Scorer = Callable[[Ledger, str], Any]


def _standings(result: Any) -> dict[str, tuple[str, Standing]]:
    return {u.unit: (u.name, Standing(Decimal(str(u.score)), str(u.grade), int(u.rank),
                                      str(getattr(u, "group", "")),
                                      str(getattr(u, "group_name", ""))))
            for u in result.units}


#: what moved a unit's grade besides its score: the rules that held, and the grade a
#: quota (优秀比例) moved it down from ("" when none did)
Grading = tuple[tuple[str, ...], str]


def _gradings(result: Any) -> dict[str, Grading]:
    return {u.unit: (tuple(getattr(u, "rules_applied", ())), str(getattr(u, "quota_from", "")))
            for u in result.units}


def _grade_reasons(a: Grading | None, b: Grading | None, scheme: Scheme | None) -> list[L]:
    """Why a grade moved with the score unchanged: the rules that began or stopped
    holding (by id, with their note), else a grade quota, else the rules in general."""
    if a is None or b is None:
        return []
    notes = {r.id: r.note for r in scheme.rules} if scheme is not None else {}

    def rule(rid: str, zh: str, en: str) -> L:
        note = notes.get(rid)
        return L(f"考核规则 {rid}" + (f"（{note}）" if note else "") + zh,
                 f"rule {rid}" + (f" ({note})" if note else "") + en)

    out = [rule(r, "现适用", " now applies") for r in b[0] if r not in a[0]]
    out += [rule(r, "不再适用", " no longer applies") for r in a[0] if r not in b[0]]
    if out:
        return [L("得分未变，等次因考核规则变化而变化", "score unchanged; the grade moved with the "
                  "scheme's rules"), *out]
    if a[1] != b[1]:
        return [L("得分未变，等次因等次名额（max_share）随其他单位得分变化而变化",
                  "score unchanged; the grade moved with the grade quota (max_share) and "
                  "other units' scores")]
    return [L("得分未变，等次因考核规则（扣分、督办等）变化而变化",
              "score unchanged; the grade moved with the scheme's rules (deductions, "
              "supervision …)")]


def unit_reasons(before: Ledger, after: Ledger, period: str, unit: str,
                 reasons: Reasons | None = None,
                 rectified: dict[str, list[L]] | None = None) -> list[L]:
    """Which inputs of `unit`'s score in `period` differ between the two ledgers
    (`ops.reasons`), and the unit's rectifications a rule reads.  `reasons` and
    `rectified` (`supervision_reasons`): the diff's own, worked out once for all
    units."""
    got = (reasons or Reasons(before, after)).unit(period, unit)
    if rectified is None:
        rectified = supervision_reasons(before, after)
    return got + rectified.get(unit, [])


def _explained(reasons: list[L], rectified: list[L]) -> bool:
    """Do the inputs found explain a grade moved at an unchanged score?  Any but a
    rectification's change (`rectified`: the unit's) do (a flag names what a rule acted
    on); a rectification's change is followed by the rules that began or stopped
    holding."""
    return bool(reasons) and not rectified


def _has_records(ledger: Ledger, period: str) -> bool:
    """Does the ledger hold a record of `period` (for a year: any record of the year)?"""
    if is_annual(period):
        return any(r.year == int(period) for r in ledger.records)
    return ledger.record(period) is not None


def _year_matters(scheme: Scheme | None) -> bool:
    """Can a year's standing move otherwise than its quarters' do?  With annual leaves,
    or with rules: they are held over the whole year's deductions, flags and
    rectifications (SPEC §4), so a grade of the year moves on its own."""
    return scheme is not None and (bool(scheme.rules)
                                   or any(c.cadence == "annual" for c in scheme.leaves()))


def _members(side: dict[str, tuple[str, Standing]]) -> dict[str, frozenset[str]]:
    """The units of each ranking group ("" without groups)."""
    out: dict[str, set[str]] = {}
    for uid, (_, s) in side.items():
        out.setdefault(s.group, set()).add(uid)
    return {g: frozenset(us) for g, us in out.items()}


def score_moves(before: Ledger, after: Ledger, scorer: Scorer,
                refuse: Callable[[Ledger], L | None]) -> list[PeriodMove]:
    """Every period with records on either side: each unit's standing before and after.

    Also each year with records but no `YYYY` record, when the scheme has annual leaves
    or rules (`_year_matters`) and both sides can score the year (`score --annual`
    would; a year still missing quarters is left out, without a note): closing a
    rectification late moves a grade of the year that no quarter shows."""
    written = {r.period for r in before.records} | {r.period for r in after.records}
    years: set[str] = set()
    if _year_matters(before.scheme) or _year_matters(after.scheme):
        years = {str(int(p[:4])) for p in written} - written
    periods = sorted(written | years, key=lambda p: (p[:4], is_annual(p), p))
    out: list[PeriodMove] = []
    if not periods:
        return out
    scheme = after.scheme or before.scheme
    places = scheme.places if scheme is not None else 2
    why = Reasons(before, after)
    rectified = supervision_reasons(before, after)
    for period in periods:
        sides: list[dict[str, tuple[str, Standing]] | None] = []
        gradings: list[dict[str, Grading]] = []
        note: L | None = None
        for ledger in (before, after):
            problem = refuse(ledger)
            if problem is None and ledger.scheme is None:
                problem = L("没有考核办法（scheme.yaml）", "there is no scheme (scheme.yaml)")
            if problem is None and not _has_records(ledger, period):
                sides.append({})
                gradings.append({})
                continue
            if problem is not None:
                note = note or problem
                sides.append(None)
                continue
            try:
                result = scorer(ledger, period)
                sides.append(_standings(result))
                gradings.append(_gradings(result))
            except ValueError as exc:  # ScoringError: e.g. a quarter missing for the year
                label = getattr(exc, "label", None)
                if not isinstance(label, L):
                    label = L(str(exc), str(exc))
                note = note or L(f"无法计分：{label.zh}", f"cannot score: {label.en}")
                sides.append(None)
        a, b = sides
        if a is None or b is None:
            if period not in years:
                out.append(PeriodMove(period, (), note, places))
            continue
        groups_a, groups_b = _members(a), _members(b)
        units: list[UnitMove] = []
        for uid in sorted(set(a) | set(b), key=lambda u: (b.get(u, a.get(u, ("", None)))[1]
                                                          is None, _rank_key(b, a, u))):
            name = (b.get(uid) or a.get(uid) or (uid, None))[0]
            sa, sb = a.get(uid, ("", None))[1], b.get(uid, ("", None))[1]
            reasons: list[L] = []
            if sa != sb:
                reasons = unit_reasons(before, after, period, uid, why, rectified)
                if sa is not None and sb is not None and sa.score == sb.score:
                    inputs = bool(reasons)
                    if sa.grade != sb.grade and not _explained(reasons,
                                                               rectified.get(uid, [])):
                        ga, gb = gradings if len(gradings) == 2 else ({}, {})
                        reasons += _grade_reasons(ga.get(uid), gb.get(uid), scheme)
                    if not inputs and sa.rank != sb.rank:
                        if sa.group == sb.group and (groups_a.get(sa.group)
                                                     != groups_b.get(sb.group)):
                            reasons.append(L("得分未变，名次因所在排名分组的单位增减而变化",
                                             "score unchanged; rank moved as units joined or "
                                             "left its ranking group"))
                        else:
                            reasons.append(L("得分未变，名次因其他单位得分变化而变化",
                                             "score unchanged; rank moved with other units' "
                                             "scores"))
            units.append(UnitMove(uid, name, sa, sb, tuple(reasons)))
        out.append(PeriodMove(period, tuple(units), None, places))
    return out


def _rank_key(b: dict[str, tuple[str, Standing]], a: dict[str, tuple[str, Standing]],
              uid: str) -> tuple[int, str]:
    s = (b.get(uid) or a.get(uid))
    return (s[1].rank if s else 10**9, uid)


# ---- the whole diff ------------------------------------------------------------------


def diff_ledgers(before: Ledger | None, after: Ledger, as_of: date, *,
                 before_label: str, after_label: str,
                 scorer: Scorer | None = None,
                 refuse: Callable[[Ledger], L | None] = lambda _ledger: None,
                 latest: date | None = None) -> LedgerDiff:
    """The diff of two ledgers.  `before` None: the ledger did not exist yet.
    `latest`: the last day an approval may be dated (LS504: a later one approves nothing).

    `scorer(ledger, period)` returns a result with `.units` (unit, name, score, grade,
    rank); `refuse(ledger)` says why a side must not be scored (errors), or None."""
    notes: list[L] = []
    if before is None:
        notes.append(L(f"{before_label} 时还没有这个台账", f"the ledger did not exist at "
                       f"{before_label}"))
        before = Ledger(root=after.root, config=after.config, units={}, leaders={}, tasks=())
    added, removed, closed, changed = task_changes(before, after, as_of, latest)
    periods = score_moves(before, after, scorer, refuse) if scorer is not None else []
    return LedgerDiff(before_label, after_label, as_of, tuple(added), tuple(removed),
                      tuple(closed), tuple(changed), tuple(periods), tuple(notes),
                      supervision_changes(before, after), units_changes(before, after),
                      records_changes(before, after), config_changes(before, after),
                      scheme_changes(before, after))

