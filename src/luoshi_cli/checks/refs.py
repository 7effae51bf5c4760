"""References between files: every id a task names must exist, ids must be unique."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TypedDict

from ..core.codes import L
from ..core.finding import Finding, finding
from ..core.model import Ledger, Task, TaskKey
from ..core.slips import meant_id, reference_slip
from .registry import Context, TaskContext, check, closest, near, task_check


def _what(task: Task) -> L:
    return L(f"任务 {task.id} ", f"task {task.id}")


class Hint(TypedDict, total=False):
    hint: L
    fix: L


#: what to write where a reference is empty (`unit: ""`), by the kind's English word
_EMPTY_FIX = {
    "unit": L("请填写单位代码（units.yaml 中的 id）", "write the unit's id (from units.yaml)"),
    "leader": L("请填写领导代码（units.yaml 的 leaders 中的 id）",
                "write the leader's id (from leaders in units.yaml)"),
    "category": L("请填写类别代码（luoshi.yaml 的 categories 中的 id）",
                  "write the category's id (from categories in luoshi.yaml)"),
}


def reference_hint(value: str, names: dict[str, str], kind: L,
                   by_name: dict[str, str] | None = None) -> Hint:
    """The hint of an unknown reference (the `hint` parameter, and `fix` when the
    code's usual one is wrong): a clerk often writes the name where the id belongs
    (`lead: 区住建局`), so an exact name gives the id to write — and only that: "add it
    to units.yaml" would make a second unit of the same name; otherwise the closest
    id, or the closest name with its id ("did you mean").  An empty value says it is
    empty (not "add it to units.yaml").  `by_name`: name → id, when the caller keeps
    it (built here otherwise).  Every file naming units and leaders (tasks,
    supervision) words it so."""
    if not value.strip():
        return {"hint": L(f"（{kind.zh}代码为空）", f"(the {kind.en} is empty)"),
                "fix": _EMPTY_FIX.get(kind.en, L(f"请填写{kind.zh}代码", f"write the {kind.en}'s id"))}
    slip = reference_slip(value, names)  # `chongyelu　`: an input method's full-width space
    if slip is not None:
        return {"hint": L("", ""), "fix": slip}
    if by_name is None:
        by_name = _by_name(names)
    joined = _joined(value, names, by_name)  # `[longbei，jinchengshequ]`: one item
    if joined is not None:
        return joined
    exact = by_name.get(value.strip())
    if exact is not None:
        if isinstance(names, UnitNames) and names.get(exact, "").strip() != value.strip():
            return {"hint": L(f"（{value} 是{kind.zh} {exact} 的简称）",
                              f" ({value} is the short name of {kind.en} {exact})"),
                    "fix": L(f"请写 {exact}", f"write {exact}")}
        return {"hint": L(f"（{value} 是{kind.zh} {exact} 的名称）",
                          f" ({value} is the name of {kind.en} {exact})"),
                "fix": L(f"请写 {exact}", f"write {exact}")}
    by_id = near(value, names)
    if by_id.en:
        return {"hint": by_id}
    name = closest(value, by_name)  # the closest name, worded with its id
    if name is not None:
        uid = by_name[name]
        return {"hint": L(f"（是不是 {uid}（{name}）？）", f" (did you mean {uid} ({name})?)")}
    return {"hint": L("", "")}


_PARTS = re.compile(r"[,，、;；\s]+")
#: what joins two ids into one list item: a comma or a semicolon of a Chinese input
#: method, or 、 (a YAML list splits at the ASCII comma only)
_JOINS = re.compile(r"\s*[，、；]\s*")


def _joined(value: str, names: dict[str, str], by_name: dict[str, str]) -> Hint | None:
    """The hint of an item that is two or more ids (or names) joined by a full-width
    comma or 、 (`units: [longbei，jinchengshequ]`: YAML splits at `,` alone): the
    list to write, or None."""
    parts = [p for p in _JOINS.split(value.strip()) if p]
    if len(parts) < 2:
        return None
    ids = [p if p in names else by_name.get(p) for p in parts]
    if any(i is None for i in ids):
        return None
    shown = ", ".join(i for i in ids if i is not None)
    return {"hint": L(f"（这是用全角逗号或顿号连在一起的 {len(ids)} 项）",
                      f" ({len(ids)} ids joined by a full-width comma or 、)"),
            "fix": L(f"列表中请用半角逗号分隔，写 {shown}",
                     f"separate list items by an ASCII comma: write {shown}")}


def list_hints(findings: Sequence[Finding], ledger: Ledger) -> Sequence[Finding]:
    """`findings` with what to write on each LS103 about text where a list of unit or
    leader ids belongs (`leaders: 甲某某`, `units: 区住建局、区发改委`; the loader kept the
    text, `load.schema.List.refs`): the list of ids, names turned into their ids as
    `reference_hint` does for one (`lead: 区住建局` → 请写 zjj) — 甲某某 是领导 fsz-a 的名称：
    请写 [fsz-a].  Text naming no known unit or leader keeps the usual message."""
    if not any(f.code == "LS103" for f in findings):
        return findings
    return [_list_hint(f, ledger) if f.code == "LS103" else f for f in findings]


def _list_hint(f: Finding, ledger: Ledger) -> Finding:
    params = dict(f.params)
    given, refs = params.get("given"), params.get("refs")
    if not isinstance(given, str) or refs not in ("unit", "leader") or "fix" in params:
        return f
    kind = UNIT if refs == "unit" else LEADER
    names = unit_names(ledger) if refs == "unit" else leader_names(ledger)
    by_name = _by_name(names)
    ids: list[str] = []
    said: list[tuple[str, str]] = []  # (name written, its id)
    for part in (p for p in _PARTS.split(given) if p):
        if part in names:
            ids.append(part)
        elif part in by_name:
            ids.append(by_name[part])
            said.append((part, by_name[part]))
        else:
            return f  # an unknown id or name: LS111 words it once the list is written
    if not ids:
        return f
    shown = ", ".join(ids)
    hint = _names_hint(said, kind, names)
    return Finding(f.code, f.file, f.line, f.col,
                   (*f.params, ("hint", hint),
                    ("fix", L(f"请写 [{shown}]", f"write [{shown}]"))),
                   f.severity, f.path, f.on_key, f.related)


def _names_hint(said: list[tuple[str, str]], kind: L, names: dict[str, str]) -> L:
    """The names a list was written with, and their ids, in one parenthesis — as
    `reference_hint` words one name, the kind said once: （龙背街道 是单位 longbei 的名称，
    金城社区 是 jinchengshequ 的名称）, " (龙背街道 is the name of unit longbei, 金城社区 of
    jinchengshequ)"; a unit's short name (`UnitNames`) as such: 发改委 是单位 fgw 的简称."""
    if not said:
        return L("", "")

    def short(name: str, uid: str) -> bool:
        return isinstance(names, UnitNames) and names.get(uid, "").strip() != name.strip()

    (name, uid), rest = said[0], said[1:]
    zh = (f"{name} 是{kind.zh} {uid} 的{'简称' if short(name, uid) else '名称'}"
          + "".join(f"，{n} 是 {i} 的{'简称' if short(n, i) else '名称'}" for n, i in rest))
    en = (f"{name} is the {'short ' if short(name, uid) else ''}name of {kind.en} {uid}"
          + "".join(f", {n} {'short for' if short(n, i) else 'of'} {i}" for n, i in rest))
    return L(f"（{zh}）", f" ({en})")


class Hints:
    """`reference_hint` for each unknown value a check across files names (a record's
    units and components): the id → name table (`names()`) and its reverse made on
    the first, each value's hint once (a record may name hundreds of unknown ids)."""

    def __init__(self, names: Callable[[], dict[str, str]], kind: L) -> None:
        self._names, self._kind = names, kind
        self._tables: tuple[dict[str, str], dict[str, str]] | None = None
        self._got: dict[str, Hint] = {}

    def __call__(self, value: str) -> Hint:
        got = self._got.get(value)
        if got is None:
            if self._tables is None:
                table = self._names()
                self._tables = (table, _by_name(table))
            got = self._got[value] = reference_hint(value, self._tables[0], self._kind,
                                                    self._tables[1])
        return got


def _by_name(names: dict[str, str]) -> dict[str, str]:
    """Name (stripped) → id, the first id of a name as `names` lists them; for units
    (`UnitNames`) each unit's short name too, after every full name."""
    out: dict[str, str] = {}
    for i, name in names.items():
        out.setdefault(name.strip(), i)
    if isinstance(names, UnitNames):
        for short, i in names.short.items():
            out.setdefault(short, i)
    return out


def _known(ctx: TaskContext, value: str, names: Callable[[Ledger], dict[str, str]],
           kind: L) -> Hint:
    """`_hint`, once per kind and value in this context (see `TaskContext.hints`)."""
    key = (kind.en, value)
    got: Hint | None = ctx.hints.get(key)
    if got is None:
        held = ctx.names.get(kind.en)
        if held is None:
            table = names(ctx.ledger)
            held = ctx.names[kind.en] = (table, _by_name(table))
        got = ctx.hints[key] = reference_hint(value, held[0], kind, held[1])
    return got


def tag_hint(ctx: TaskContext, value: str) -> Hint:
    """The hint of an unknown tag (LS118), as of a unit: 任务榜 是标签 board 的名称：请写 board."""
    return _known(ctx, value, _tag_names, _TAG)


def _tag_names(led: Ledger) -> dict[str, str]:
    return {g.id: g.name for g in led.config.tags}


def _category_names(led: Ledger) -> dict[str, str]:
    return {c.id: c.name for c in led.config.categories}


class MeantUnits:
    """`meant(value)`: the unit a reference stands for — the unit itself when known,
    else the id LS110's fix tells to write (`reference_hint`: `fgw　` → fgw, the
    name 区发改委 → fgw), or None when its fix names no one unit.  What depends on
    a broken reference is judged as if the fix were made, never against the slip:
    one fault, one finding."""

    def __init__(self, led: Ledger) -> None:
        self._led = led
        self._by_name: dict[str, str] | None = None

    def __call__(self, value: str) -> str | None:
        units = self._led.units
        if value in units:
            return value
        slip = meant_id(value)
        if slip is not None and slip in units:
            return slip
        if self._by_name is None:
            self._by_name = _by_name(unit_names(self._led))
        return self._by_name.get(value.strip())


class UnitNames(dict[str, str]):
    """Each unit's id → its name (`unit_names`), and `short`: each short name
    units.yaml gives (`short: 发改委`) → the unit's id, where no other unit has it.
    The name tables of the hints (`_by_name`) take both: a clerk writes 发改委 where
    the id belongs as often as 区发改委, and LS110's usual "add it to units.yaml"
    would make a second unit of it."""

    def __init__(self, names: dict[str, str], short: dict[str, str]) -> None:
        super().__init__(names)
        self.short = short


def unit_names(led: Ledger) -> UnitNames:
    """Built only for a finding's hint: building it for every task cost about 40 ms
    per 1,000 tasks with 200 units (most of `task_references`)."""
    shorts: dict[str, str | None] = {}
    for i, u in led.units.items():
        short = u.short.strip() if isinstance(u.short, str) else ""
        if short:
            shorts[short] = i if shorts.get(short, i) == i else None  # two units: none
    return UnitNames({i: u.name for i, u in led.units.items()},
                     {s: i for s, i in shorts.items() if i is not None})


def leader_names(led: Ledger) -> dict[str, str]:
    return {i: p.name for i, p in led.leaders.items()}


UNIT, LEADER, _CATEGORY = L("单位", "unit"), L("领导", "leader"), L("类别", "category")
_TAG = L("标签", "tag")


def approver_hint(led: Ledger, value: str, hint: Hint) -> Hint:
    """`hint`, the LS111 hint of an unknown approver (`approved_by`), unless it tells
    nothing better than "add it under leaders" and `value` is a unit's id or name
    (`approved_by: 区委督查室`, the office that checked, not the leader who
    approved): then that it is a unit, and that a leader's id belongs there."""
    if "fix" in hint or hint.get("hint", L("", "")).en:
        return hint
    unit = MeantUnits(led)(value)
    if unit is None:
        return hint
    said = L("单位", "a unit") if unit == value else L(f"单位 {unit}", f"unit {unit}")
    return {"hint": L(f"（{value} 是{said.zh}，不是领导）", f" ({value} is {said.en}, not a leader)"),
            "fix": L("approved_by 请写批准的领导的标识（units.yaml 中 leaders 的 id）",
                     "approved_by names the approving leader: write their id from leaders "
                     "in units.yaml")}


@check
def duplicate_task_ids(ctx: Context) -> Iterator[Finding]:
    """Task ids are unique in the ledger; the later occurrence (path order) is reported."""
    ids = [k.id for k in ctx.keys]
    if len(set(ids)) == len(ids):  # the usual case, settled in C
        return
    first: dict[str, TaskKey] = {}
    for t in ctx.keys:  # in file path order, then file order
        if t.id in first:
            f0 = first[t.id]
            yield finding("LS108", t.file, path=t.at("id"), kind=L("任务", "task"),
                          id=t.id, first="", related=(f0.file, f0.at("id")))
        else:
            first[t.id] = t


@task_check
def task_references(ctx: TaskContext, t: Task) -> Iterator[Finding]:
    led = ctx.ledger
    units, leaders = led.units, led.leaders
    if "config" not in led.broken and "category" not in t.missing:
        cats = ctx.category_ids
        if t.category not in cats:
            yield finding("LS112", t.src.file, path=t.src.at("category"), what=_what(t),
                          id=t.category, **_known(ctx, t.category, _category_names, _CATEGORY))
    if "units" in led.broken:
        return
    if "lead" not in t.missing and t.lead not in units:
        yield finding("LS110", t.src.file, path=t.src.at("lead"), what=_what(t), id=t.lead,
                      **_known(ctx, t.lead, unit_names, UNIT))
    for key, ids in (("units", t.units), ("cooperating", t.cooperating)):
        for i, u in enumerate(ids):
            if u not in units:
                yield finding("LS110", t.src.file, path=t.at_entry(key, i), what=_what(t), id=u,
                              **_known(ctx, u, unit_names, UNIT))
    for i, p in enumerate(t.leaders):
        if p not in leaders:
            yield finding("LS111", t.src.file, path=t.at_entry("leaders", i), what=_what(t), id=p,
                          **_known(ctx, p, leader_names, LEADER))
    if t.closed is not None and t.closed.approved_by and t.closed.approved_by not in leaders:
        yield finding("LS111", t.src.file, path=t.src.at("closed", "approved_by"), what=_what(t),
                      id=t.closed.approved_by, **approver_hint(
                          led, t.closed.approved_by,
                          _known(ctx, t.closed.approved_by, leader_names, LEADER)))
    for i, a in enumerate(t.adjustments):
        if a.approved_by and a.approved_by not in leaders:
            yield finding("LS111", t.src.file, path=t.src.at("adjustments", i, "approved_by"),
                          what=_what(t), id=a.approved_by, **approver_hint(
                              led, a.approved_by,
                              _known(ctx, a.approved_by, leader_names, LEADER)))

