"""Change control (SPEC §6): a locked task changes only with a recorded approval.

碑林's rule: once the month's list is approved (`locked: true`), its milestones,
completion standard and responsibilities change only through an approved adjustment.
In git terms: compared with the base revision of a pull request, a locked task whose
controlled field changed must carry a *new* `adjustments` entry naming that field,
and a locked task may not disappear.

Only what the approval covers is compared.  For milestones that is each milestone's
`due`, `standard` and `target` (SPEC §11): recording a `done` date is the monthly
report the list asks for, not a change to the list.  A task's own `target` is
controlled too (field `target`): lowering "开工10个" to 3 is lowering the standard.  An
entry naming `target` also approves milestones whose targets alone changed.  `units`
and `leaders` are compared as sets: listing the same units in another order changes
nobody's responsibility.

Pure: two ledgers in, findings out (with key paths; positions come later).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from ..core.codes import L
from ..core.finding import Finding, KeyPath, finding
from ..core.globs import glob_matcher
from ..core.model import Adjustment, Ledger, Milestone, Task
from ..load.assemble import CONFIG_NAME, Loaded
from ..load.positions import resolve

CONTROLLED = ("milestones", "standard", "lead", "units", "leaders", "target")


def _milestone_key(m: Milestone) -> tuple[object, str, object]:
    return (m.due, m.standard, m.target)


def _schedule(task: Task) -> list[tuple[object, str]]:
    """A task's milestones without their targets."""
    return [(m.due, m.standard) for m in task.milestones]


def changed_fields(before: Task, after: Task) -> list[str]:
    """The controlled fields of a task that differ between two versions."""
    out = []
    if [_milestone_key(m) for m in before.milestones] != [_milestone_key(m)
                                                          for m in after.milestones]:
        out.append("milestones")
    if before.standard != after.standard:
        out.append("standard")
    if before.lead != after.lead:
        out.append("lead")
    if set(before.units) != set(after.units):
        out.append("units")
    if set(before.leaders) != set(after.leaders):
        out.append("leaders")
    if before.target != after.target:
        out.append("target")
    return out


def unapproved_fields(before: Task, after: Task, latest: date | None = None) -> list[str]:
    """The controlled fields changed without a new approval naming them (`changed_fields`
    less `approved_fields`); milestones whose targets alone changed are approved by an
    entry naming `target` as well (an office approving "the target" means both)."""
    ok = approved_fields(before, after, latest)
    return [f for f in changed_fields(before, after) if f not in ok
            and not (f == "milestones" and "target" in ok
                     and _schedule(before) == _schedule(after))]


def _adj_key(a: Adjustment) -> tuple[object, ...]:
    return (a.date, a.field, a.approved_by, a.reason)


def new_adjustments(before: Task | None, after: Task,
                    latest: date | None = None) -> list[Adjustment]:
    """Entries present now that no entry at the base equals, approved, and dated no
    later than `latest` (the last day a recorded date may hold; an entry dated after it
    is LS504 and approves nothing).  A second copy
    of an entry that was there already is no new approval (copying an old line is the
    easiest way to "approve" a change nobody approved), however many copies there are.
    None while an entry of the base is missing (edited or removed: LS503): an entry
    rewritten in place is no approval anybody gave, and which of the "new" entries is
    the rewrite cannot be told."""
    base = Counter(_adj_key(a) for a in (before.adjustments if before else ()))
    if base - Counter(_adj_key(a) for a in after.adjustments):
        return []
    old = set(base)
    return [a for a in after.adjustments if a.approved_by and _adj_key(a) not in old
            and not (latest is not None and a.date is not None and a.date > latest)]


def approved_fields(before: Task | None, after: Task, latest: date | None = None) -> set[str]:
    return {a.field for a in new_adjustments(before, after, latest)}


def _first_by_id(tasks: Iterable[Task]) -> dict[str, Task]:
    out: dict[str, Task] = {}
    for t in tasks:
        out.setdefault(t.id, t)
    return out


def _changed_path(before: Task, after: Task, field: str) -> tuple[KeyPath, bool]:
    """Where to point: the first milestone that differs, else the field's key."""
    if field == "milestones":
        old = [_milestone_key(m) for m in before.milestones]
        new = [_milestone_key(m) for m in after.milestones]
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            if a != b:
                return after.src.at("milestones", i), False
        if len(new) > len(old):
            return after.src.at("milestones", len(old)), False
    return after.src.at(field), True


def check_changes(base: Ledger, now: Ledger, base_label: str,
                  present_ids: Iterable[str] = (),
                  unreadable: Iterable[str] = (),
                  latest: date | None = None) -> list[Finding]:
    """LS501/LS502/LS503 for every locked task of `base` (the ledger at `base_label`).
    `latest`: an entry dated after it approves nothing (LS504 says why).

    `present_ids`: task ids written in the current files even where the task did
    not parse, and `unreadable`: current files that could not be parsed at all, or
    hold a task whose id did not read (`Ledger.unnamed`: it may be the one looked for).
    Their tasks are not "deleted": their own findings say what is wrong.  A task of
    the base whose id did not read there (`Ledger.unnamed`) pairs with nothing: LS507
    when it was locked, or `locked` did not read either.
    """
    now_tasks = _first_by_id(now.tasks)
    written = set(present_ids)
    broken = set(unreadable)
    out: list[Finding] = []
    for old in (*_first_by_id(base.checkable_tasks()).values(), *base.unnamed):
        # an id that did not read (`id: 41`, `Ledger.unnamed`) pairs with nothing now
        unread = old.missing & {"id", "locked", *CONTROLLED}
        if old.missing and (old.locked or "locked" in unread) and unread:
            # a task that did not read whole at the base (`progress: abc` beside it) is
            # no complete task there, but it was written: what of it is locked, or
            # locked at all, could not be read — never taken as "not locked" or "not
            # changed"; the fields that did read are still compared below
            out.append(finding("LS507", old.src.file, line=1, col=1,
                               task=old.id, base=base_label,
                               fields=", ".join(sorted(unread))))
            if "locked" in unread or "id" in unread:
                continue
        if not old.locked:
            continue
        new = now_tasks.get(old.id)
        if new is None:
            if old.id in written or old.src.file in broken:
                continue
            # reported at line 1 of the file that held it, whether or not that file is
            # still there: that is where a reviewer looks for it
            if broken:  # it may be in a file that could not be read: not "deleted"
                out.append(finding("LS506", old.src.file, line=1, col=1, task=old.id,
                                   name=old.title, base=base_label,
                                   files=_few(sorted(broken))))
                continue
            out.append(finding("LS502", old.src.file, line=1, col=1, task=old.id,
                               name=old.title, base=base_label))
            continue
        out.extend(_rewritten_approvals(old, new, base_label))
        for field in unapproved_fields(old, new, latest):
            if field in old.missing:
                continue  # not read at the base: LS507 above says so
            path, on_key = _changed_path(old, new, field)
            out.append(finding("LS501", new.src.file, path=path, on_key=on_key,
                               task=old.id, field=field, base=base_label))
    return out


def _few(files: list[str]) -> str:
    """File names for a message: the first three and how many more."""
    more = len(files) - 3
    return ", ".join(files[:3]) + (f" (+{more})" if more > 0 else "")


def _rewritten_approvals(before: Task, after: Task, base_label: str) -> list[Finding]:
    """LS503 for each `adjustments` entry of the locked task at the base that is no
    longer there as it was: the record of approvals only grows.  An entry edited in
    place (a full stop added to its reason, another date) is "new" to
    `new_adjustments` and would approve whatever changed with it."""
    now = Counter(_adj_key(a) for a in after.adjustments)
    out = []
    for i, a in enumerate(before.adjustments):
        k = _adj_key(a)
        if now[k] > 0:
            now[k] -= 1
            continue
        where = (after.src.at("adjustments", i) if i < len(after.adjustments)
                 else after.src.at("adjustments"))
        out.append(finding("LS503", after.src.file, path=where, on_key=i >= len(
            after.adjustments), task=after.id, n=str(i + 1),
            date=a.date.isoformat() if a.date else "—", base=base_label))
    return out


def written_task_ids(data_by_file: Iterable[object]) -> set[str]:
    """Ids of every task mapping in raw task-file data (parsed or not)."""
    ids: set[str] = set()
    for data in data_by_file:
        items = [data] if isinstance(data, dict) else data if isinstance(data, list) else []
        for t in items:
            if isinstance(t, dict) and isinstance(t.get("id"), str):
                ids.add(t["id"])
    return ids


def unread_at_base(base: Loaded, base_label: str) -> list[Finding]:
    """LS505 for each file of the ledger at the base that change control needs and
    could not read: a task file (its locked tasks are not in `base.ledger`) or the
    luoshi.yaml that says where the task files are.

    Passing over them would let "could not be read" mean "nothing was locked": a pull
    request lowering `max_file_mb` in its own luoshi.yaml below the size of a base task
    file (a revision is never read past the working tree's limit) made every locked
    task of that file unchecked, and so did a base file that is binary, not UTF-8, a
    directory or a name that is not UTF-8.  Why it could not be read is the file's
    own first error, in its words."""
    is_task_file = glob_matcher(base.ledger.config.files.tasks)
    out = []
    for rel, src in sorted(base.sources.items()):
        if src.ok or not (rel == CONFIG_NAME or is_task_file(rel)):
            continue
        first = next((f for f in src.findings if f.severity == "error"), None)
        why = (L(f"{first.code} {first.message('zh')}", f"{first.code} {first.message('en')}")
               if first is not None else L("原因不明", "no reason given"))
        if rel == CONFIG_NAME:
            out.append(finding("LS505", rel, line=1, col=1, base=base_label, why=why,
                               what=L("它所指定的任务文件中锁定的任务",
                                      "the locked tasks of the task files it names")))
        else:
            out.append(finding("LS505", rel, line=1, col=1, base=base_label, why=why))
    return out


def against_base(now: Loaded, base: Loaded | None, base_label: str,
                 latest: date | None = None) -> list[Finding]:
    """Change-control findings of `now` against the ledger at the base revision,
    placed on lines of the current files.  No ledger at the base: nothing was locked.
    `latest`: the last day an approval may be dated (see `check_changes`)."""
    if base is None:
        return []
    unread = unread_at_base(base, base_label)
    return unread + _against(now, base, base_label, latest)


def _against(now: Loaded, base: Loaded, base_label: str,
             latest: date | None) -> list[Finding]:
    found = check_changes(base.ledger, now.ledger, base_label, latest=latest)
    if any(f.code == "LS502" for f in found):
        # only now look at raw data (a cached source would re-parse for it): a locked
        # task that is written but did not parse is not deleted
        is_task_file = glob_matcher(now.ledger.config.files.tasks)
        task_sources = [s for rel, s in now.sources.items() if is_task_file(rel)]
        found = check_changes(
            base.ledger, now.ledger, base_label,
            present_ids=written_task_ids(s.data for s in task_sources if s.ok),
            # a file holding a task whose id did not read (`id: [L-001]`) may hold it
            unreadable=[*(s.rel for s in task_sources if not s.ok),
                        *(t.src.file for t in now.ledger.unnamed)],
            latest=latest,
        )
    return resolve(found, now.text_of)
