"""Why a unit's score moved between two versions of a ledger (`luoshi diff`).

A reviewer reads "区发改委 90.00 → 92.00" and asks why.  This module names the inputs
of that unit's score in that period that differ between the two sides, in the office's
words: a leaf score (or 不适用, SPEC §10), a checklist item, a task's quality (the one
number or the unit's own), a task now or no longer credited to the unit (`credit`), a
task's milestones in the period, a deduction added, removed or restored (预扣分返还), a
bonus (加分), a flag, the unit's entry in units.yaml (its kind, and with it its ranking
group and the components that apply to it; `assessed`), a scheme change.

It reads what scoring reads (SPEC §4, §10): a quarter's own record and, for monthly
leaves, the records of its months; a month's own record; a year's every record; the
events (deductions, bonuses, flags) that count in the period whichever record holds
them (`scoring.counts_in`); the tasks each `source: tasks` leaf credits the unit with.
A reason names the record it comes from by its period (`2024-05 督导检查评议 得分 90 → 60`
in the row of 2024-Q2).

Pure.  One `Reasons` per diff keeps what it works out once per ledger and period (the
events by unit, the tasks by credited unit): a diff asks for the reasons of every unit
that moved, in every period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar, cast

from ..core.assessment import applies
from ..core.codes import L
from ..core.labels import STATUS, as_written
from ..core.model import Component, Ledger, Record, Scheme, Task
from ..core.periods import bounds, cadence_of, is_annual, is_month, months_of
from .scoring import counts_in, group_of, task_quality, tasks_by_credit

#: a leaf written `n/a` / `不适用` for the unit (SPEC §10)
_NA = "n/a"


def records_for(ledger: Ledger, period: str) -> dict[str, Record]:
    """The records a period's score reads: a year every record of that year (its months,
    quarters and the annual one); a quarter its own and its months' (monthly leaves
    are the mean of the months, SPEC §10); a month its own."""
    if is_annual(period):
        year = int(period)
        return {r.period: r for r in ledger.records if r.year == year}
    out = {}
    for p in ([*months_of(period), period] if not is_month(period) else [period]):
        rec = ledger.record(p)
        if rec is not None:
            out[p] = rec
    return out


def _order(period: str) -> tuple[str, bool, str]:
    """Records in time order: a year's months and quarters, then the year itself."""
    return (period[:4], is_annual(period), period)


def _fmt(x: object) -> str:
    return as_written(x) if isinstance(x, Decimal) else str(x)


@dataclass(slots=True)
class _Written:
    """One unit's events of one record that count in the period being scored.

    Each is what scoring reads of it, then its reason: the words are no score input (a
    reworded entry is a change `records_changes` lists, not a reason a score moved)."""

    #: ((category, date, points, media), restored by the period's end (the date; None:
    #: it counts)), provisional, reason
    deductions: list[tuple[tuple[tuple[object, ...], date | None], bool, str]] = field(
        default_factory=list)
    #: (category, date, points), reason
    bonuses: list[tuple[tuple[object, ...], str]] = field(default_factory=list)
    #: kind, reason
    flags: list[tuple[str, str]] = field(default_factory=list)


_T = TypeVar("_T", bound=tuple[Any, ...])


def _unpaired(left: list[_T], right: list[_T]) -> tuple[list[_T], list[_T]]:
    """The entries of each side that pair with none of the other, by what scoring reads
    (an entry's first element) — the same words first, so that of two entries alike but
    for their reason the one left over is named by its own."""
    was, rest = list(left), []
    for y in right:
        if y in was:
            was.remove(y)
        else:
            rest.append(y)
    now = []
    for y in rest:
        same = next((x for x in was if x[0] == y[0]), None)
        if same is not None:
            was.remove(same)
        else:
            now.append(y)
    return was, now


#: unit → record period → its events counting in the period
_Events = dict[str, dict[str, _Written]]


def _events(ledger: Ledger, period: str) -> _Events:
    annual = is_annual(period)
    start, end = bounds(period)
    out: _Events = {}

    def at(unit: str, p: str) -> _Written:
        return out.setdefault(unit, {}).setdefault(p, _Written())

    for rec in ledger.records:
        p = rec.period
        for d in rec.deductions:
            if counts_in(rec, d.date, period, annual, start, end):
                back = (d.restored.date if d.provisional and d.restored is not None
                        and d.restored.date <= end else None)
                at(d.unit, p).deductions.append(
                    (((d.category, d.date, d.points, d.media), back), d.provisional,
                     d.reason or ""))
        for b in rec.bonuses:
            if counts_in(rec, b.date, period, annual, start, end):
                at(b.unit, p).bonuses.append(((b.category, b.date, b.points), b.reason or ""))
        for f in rec.flags:
            if counts_in(rec, f.date, period, annual, start, end):
                at(f.unit, p).flags.append((f.kind, f.reason or ""))
    return out


def _leaf_counts_zero(ledger: Ledger, p: str, leaf: str, unit: str) -> bool:
    """Does a leaf score missing from the record of `p` count 0 for `unit` (SPEC §3,
    LS407)?  So for a leaf of the record's cadence, scored from `scores:` (not a
    checklist, not `source: tasks`), that applies to the unit (`applies_to`)."""
    scheme = ledger.scheme
    if scheme is None:
        return False
    c = next((c for c in scheme.leaves() if c.id == leaf), None)
    unit_kind = ledger.units[unit].kind if unit in ledger.units else None
    return (c is not None and c.source != "tasks" and not c.items
            and c.cadence == cadence_of(p) and _applies_all(scheme, c, unit, unit_kind))


def _applies_all(scheme: Scheme, leaf: Component, unit: str, kind: str | None) -> bool:
    """`applies_to` of the leaf and of every component above it."""
    def path(cs: Iterable[Component]) -> list[Component] | None:
        for c in cs:
            if c is leaf:
                return [c]
            below = path(c.children)
            if below is not None:
                return [c, *below]
        return None

    return all(applies(c, unit, kind) for c in path(scheme.components) or [leaf])


_ROLE = {"lead": L("牵头单位", "its lead unit"), "responsible": L("责任单位", "a responsible unit"),
         "cooperating": L("配合单位", "a cooperating unit")}


def _role(task: Task, unit: str) -> str:
    if task.lead == unit:
        return "lead"
    return "responsible" if unit in task.units else "cooperating"


class Reasons:
    """The reasons of one diff: `unit(period, unit)` for each unit whose standing moved."""

    def __init__(self, before: Ledger, after: Ledger) -> None:
        self.before, self.after = before, after
        self._events: dict[tuple[int, str], _Events] = {}
        self._credited: dict[tuple[int, str], dict[str, list[Task]]] = {}
        self._ids: dict[int, dict[str, Task]] = {}
        #: the `credit` modes of the `source: tasks` leaves on either side
        self.modes = sorted({c.credit for s in (before.scheme, after.scheme) if s is not None
                             for c in s.leaves() if c.source == "tasks"})

    def unit(self, period: str, unit: str) -> list[L]:
        """Which inputs of `unit`'s score in `period` differ between the two ledgers."""
        before, after = self.before, self.after
        out: list[L] = []
        if before.scheme != after.scheme:
            out.append(L("考核办法（scheme.yaml）有修改", "the scheme (scheme.yaml) changed"))
        out += self.unit_entry(unit)
        old, new = records_for(before, period), records_for(after, period)
        ea = self.events(before, period).get(unit, {})
        eb = self.events(after, period).get(unit, {})
        for p in sorted(set(old) | set(new) | set(ea) | set(eb), key=_order):
            a, b = old.get(p), new.get(p)
            if (a is None) != (b is None):  # a record read on one side only
                out.append(L(f"{p} 考核记录{'新增' if a is None else '被删除'}",
                             f"the {p} record was {'added' if a is None else 'removed'}"))
                continue
            if a is not None and b is not None:
                out += self.record(a, b, unit)
            out += self.written(p, ea.get(p, _Written()), eb.get(p, _Written()))
        out += self.tasks(period, unit)
        return out

    # ---- units.yaml -----------------------------------------------------------------

    def unit_entry(self, unit: str) -> list[L]:
        """The unit's entry in units.yaml: added or removed, `assessed`, its kind — and
        what the kind moves: the ranking group and the components that apply to it."""
        a, b = self.before.units.get(unit), self.after.units.get(unit)
        if a is None and b is None:
            return []
        if a is None or b is None:
            return [L("units.yaml 中新增该单位", "the unit was added to units.yaml") if a is None
                    else L("该单位已从 units.yaml 删除", "the unit was removed from units.yaml")]
        out: list[L] = []
        if a.assessed != b.assessed:
            if b.assessed is False:
                out.append(L("units.yaml 中改为不参加考核（assessed: false）",
                             "no longer assessed (assessed: false in units.yaml)"))
            elif a.assessed is False:
                out.append(L("units.yaml 中恢复参加考核（不再是 assessed: false）",
                             "assessed again (no longer assessed: false in units.yaml)"))
            else:
                out.append(L(f"units.yaml 中 assessed {_said(a.assessed).zh} → "
                             f"{_said(b.assessed).zh}",
                             f"assessed {_said(a.assessed).en} → {_said(b.assessed).en} "
                             f"in units.yaml"))
        if a.kind != b.kind:
            out.append(L(f"units.yaml 中单位类型 {a.kind or '未写'} → {b.kind or '未写'}",
                         f"kind {a.kind or 'not written'} → {b.kind or 'not written'} "
                         f"in units.yaml"))
            out += self._kind_moves(unit, a.kind, b.kind)
        return out

    def _kind_moves(self, unit: str, was: str | None, now: str | None) -> list[L]:
        """What a changed kind moves under the scheme: the ranking group, the
        components that apply (`applies_to`).  Read with the later side's scheme."""
        scheme = self.after.scheme
        if scheme is None:
            return []
        out: list[L] = []
        if scheme.ranking_groups:
            ga = _group(scheme, self.before, unit)
            gb = _group(scheme, self.after, unit)
            if ga != gb:
                out.append(L(f"排名分组 {ga or '无'} → {gb or '无'}",
                             f"ranking group {ga or 'none'} → {gb or 'none'}"))
        for c in scheme.all_components():
            x, y = applies(c, unit, was), applies(c, unit, now)
            if x != y:
                name = c.name or c.id
                out.append(L(f"{name} 现适用于该单位（applies_to）", f"{name} now applies to "
                             "the unit (applies_to)") if y else
                           L(f"{name} 不再适用于该单位（applies_to）",
                             f"{name} no longer applies to the unit (applies_to)"))
        return out

    # ---- records --------------------------------------------------------------------

    def record(self, a: Record, b: Record, unit: str) -> list[L]:
        """Leaf scores (不适用 too), checklist points and task quality of one record:
        components and items by name (scheme.yaml), an id where the scheme has none."""
        p = b.period
        out: list[L] = []
        scheme = self.after.scheme or self.before.scheme
        comp = {c.id: c.name for c in scheme.all_components() if c.name} if scheme else {}
        items = {(c.id, it.id): it.name for c in scheme.leaves() for it in c.leaf_items()
                 if it.name} if scheme else {}

        def value(r: Record, leaf: str) -> Decimal | str | None:
            if leaf in r.not_applicable.get(unit, ()):
                return _NA
            return r.scores.get(unit, {}).get(leaf)

        def shown(x: Decimal | str | None, ledger: Ledger, leaf: str) -> L:
            if x == _NA:
                return L("不适用", "not applicable")
            if x is None:
                if _leaf_counts_zero(ledger, p, leaf, unit):
                    return L("无（未填写，按 0 分计）", "none (not written: counts 0)")
                return L("无", "none")
            return L(_fmt(x), _fmt(x))

        leaves = {*a.scores.get(unit, {}), *b.scores.get(unit, {}),
                  *a.not_applicable.get(unit, ()), *b.not_applicable.get(unit, ())}
        for leaf in sorted(leaves):
            x, y = value(a, leaf), value(b, leaf)
            if x != y:
                name = comp.get(leaf, leaf)
                sx, sy = shown(x, self.before, leaf), shown(y, self.after, leaf)
                out.append(L(f"{p} {name} 得分 {sx.zh} → {sy.zh}",
                             f"{p} {name} score {sx.en} → {sy.en}"))
        ia, ib = a.items.get(unit, {}), b.items.get(unit, {})
        for leaf in sorted(set(ia) | set(ib)):
            xa, xb = ia.get(leaf, {}), ib.get(leaf, {})
            for item in sorted(set(xa) | set(xb)):
                xi, yi = xa.get(item), xb.get(item)
                if xi != yi:
                    name = f"{comp.get(leaf, leaf)}/{items.get((leaf, item), item)}"
                    out.append(L(f"{p} {name} 细项得分 {_fmt(xi) if xi is not None else '无'} → "
                                 f"{_fmt(yi) if yi is not None else '无'}",
                                 f"{p} {name} points {_fmt(xi) if xi is not None else 'none'}"
                                 f" → {_fmt(yi) if yi is not None else 'none'}"))
        for tid in sorted(self.credited_ids(unit)):
            xq, yq = task_quality(a, tid, unit), task_quality(b, tid, unit)
            if xq != yq:
                out.append(L(f"{p} 任务 {tid} 质量评分 {_fmt(xq) if xq is not None else '无'} → "
                             f"{_fmt(yq) if yq is not None else '无'}",
                             f"{p} task {tid} quality {_fmt(xq) if xq is not None else 'none'}"
                             f" → {_fmt(yq) if yq is not None else 'none'}"))
        return out

    def events(self, ledger: Ledger, period: str) -> _Events:
        key = (id(ledger), period)
        got = self._events.get(key)
        if got is None:
            got = self._events[key] = _events(ledger, period)
        return got

    def written(self, p: str, a: _Written, b: _Written) -> list[L]:
        """Deductions, bonuses and flags of the record of `p` that count in the period:
        added, removed, restored (预扣分返还) or no longer restored."""
        out: list[L] = []
        scheme = self.after.scheme or self.before.scheme
        cats = {d.id: d.name for d in scheme.deduction_categories if d.name} if scheme else {}
        bcats = {d.id: d.name for d in scheme.bonus_categories if d.name} if scheme else {}
        da, rest = _unpaired(a.deductions, b.deductions)
        for ((key, back), provisional, reason) in rest:
            cat, _day, points, media = key
            name = cats.get(str(cat), str(cat))
            was = next((x for x in da if x[0][0] == key), None)
            if was is not None:  # the same deduction, restored or no longer
                da.remove(was)
                if back is not None:
                    out.append(L(f"{p} 扣分 {name} {_fmt(points)} 分已返还（{back}）：{reason}"
                                 .rstrip("："), f"{p} deduction {name} {_fmt(points)} "
                                 f"restored ({back}): {reason}".rstrip(": ")))
                else:
                    out.append(L(f"{p} 扣分 {name} {_fmt(points)} 分不再返还，照扣：{reason}"
                                 .rstrip("："), f"{p} deduction {name} {_fmt(points)} no "
                                 f"longer restored: counts: {reason}".rstrip(": ")))
                continue
            if back is not None:  # added already restored: it counts nothing
                continue
            tag = ("（媒体曝光）" if media else "") + ("（预扣）" if provisional else "")
            etag = (" (media)" if media else "") + (" (provisional)" if provisional else "")
            out.append(L(f"{p} 新增扣分 {name} {_fmt(points)} 分{tag}：{reason}".rstrip("："),
                         f"{p} new deduction {name} {_fmt(points)}{etag}: {reason}"
                         .rstrip(": ")))
        for ((key, back), _provisional, reason) in da:
            if back is not None:  # a restored one removed: it counted nothing
                continue
            cat, _day, points, _media = key
            name = cats.get(str(cat), str(cat))
            out.append(L(f"{p} 撤销扣分 {name} {_fmt(points)} 分：{reason}".rstrip("："),
                         f"{p} deduction removed {name} {_fmt(points)}: {reason}".rstrip(": ")))

        ba, gone = _unpaired(a.bonuses, b.bonuses)
        for words, entries in (((L("新增加分", "new bonus")), gone),
                               ((L("撤销加分", "bonus removed")), ba)):
            for (cat, _day, points), reason in entries:
                name = bcats.get(str(cat), str(cat))
                out.append(L(f"{p} {words.zh} {name} {_fmt(points)} 分：{reason}".rstrip("："),
                             f"{p} {words.en} {name} {_fmt(points)}: {reason}".rstrip(": ")))

        fa, fb = _unpaired(a.flags, b.flags)
        for f in fb:
            out.append(L(f"{p} 新增标记 {f[0]}：{f[1]}".rstrip("："),
                         f"{p} new flag {f[0]}: {f[1]}".rstrip(": ")))
        for f in fa:
            out.append(L(f"{p} 撤销标记 {f[0]}：{f[1]}".rstrip("："),
                         f"{p} flag removed {f[0]}: {f[1]}".rstrip(": ")))
        return out

    # ---- tasks ----------------------------------------------------------------------

    def credited(self, ledger: Ledger, mode: str) -> dict[str, list[Task]]:
        key = (id(ledger), mode)
        got = self._credited.get(key)
        if got is None:
            got = self._credited[key] = cast(dict[str, list[Task]],
                                             tasks_by_credit(ledger.tasks, mode))
        return got

    def by_id(self, ledger: Ledger) -> dict[str, Task]:
        got = self._ids.get(id(ledger))
        if got is None:
            got = self._ids[id(ledger)] = {}
            for t in ledger.tasks:
                got.setdefault(t.id, t)
        return got

    def _credited_to(self, ledger: Ledger, unit: str) -> dict[str, Task]:
        out: dict[str, Task] = {}
        for mode in self.modes:
            for t in self.credited(ledger, mode).get(unit, ()):
                out.setdefault(t.id, t)
        return out

    def credited_ids(self, unit: str) -> set[str]:
        """The tasks a `source: tasks` leaf credits `unit` with, on either side."""
        return {*self._credited_to(self.before, unit), *self._credited_to(self.after, unit)}

    def tasks(self, period: str, unit: str) -> list[L]:
        """For `source: tasks` leaves: the unit's credited tasks with milestones due in
        the period — credited now or no longer (added, removed, suspended, its lead or
        责任单位 changed), or with those milestones (due, done) changed."""
        if not self.modes:
            return []
        first, last = bounds(period)

        def inside(task: Task | None) -> list[tuple[date, date | None]]:
            if task is None:
                return []
            return [(m.due, m.done) for m in task.milestones if first <= m.due <= last]

        old = self._credited_to(self.before, unit)
        new = self._credited_to(self.after, unit)
        out: list[L] = []
        for tid in sorted(set(old) | set(new)):
            a, b = old.get(tid), new.get(tid)
            if a is not None and b is not None:
                if inside(a) != inside(b):
                    out.append(L(f"任务 {tid} 在 {period} 内的节点或完成日期有变化",
                                 f"task {tid}: milestones due in {period} changed"))
                continue
            if not inside(a if a is not None else b):
                continue  # not scored in the period on the side that credits it
            if b is None:
                assert a is not None
                out.append(self._no_longer(a, unit))
            else:
                out.append(self._now(b, unit))
        return out

    def _no_longer(self, a: Task, unit: str) -> L:
        now = self.by_id(self.after).get(a.id)
        if now is None:
            return L(f"任务 {a.id} 已删除，不再计分", f"task {a.id} removed: no longer scored")
        if now.status == "suspended":
            word = STATUS["suspended"]
            return L(f"任务 {a.id} {word.zh}，不再计分", f"task {a.id} {word.en}: no longer scored")
        role = _ROLE[_role(a, unit)]
        return L(f"任务 {a.id} 不再计入该单位（原为{role.zh}）",
                 f"task {a.id} no longer credited to the unit (it was {role.en})")

    def _now(self, b: Task, unit: str) -> L:
        was = self.by_id(self.before).get(b.id)
        role = _ROLE[_role(b, unit)]
        if was is None:
            return L(f"新增任务 {b.id}，计入该单位（{role.zh}）",
                     f"task {b.id} added, credited to the unit ({role.en})")
        if was.status == "suspended":
            word = STATUS["suspended"]
            return L(f"任务 {b.id} 不再{word.zh}，计入该单位（{role.zh}）",
                     f"task {b.id} no longer {word.en}: credited to the unit ({role.en})")
        return L(f"任务 {b.id} 现计入该单位（现为{role.zh}）",
                 f"task {b.id} now credited to the unit (now {role.en})")


def _said(x: bool | None) -> L:
    return L("未写", "not written") if x is None else L(str(x).lower(), str(x).lower())


def _group(scheme: Scheme, ledger: Ledger, unit: str) -> str:
    g = group_of(scheme, ledger, unit)
    return "" if g is None else g.name or g.id

