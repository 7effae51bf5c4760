"""A score sheet (units down, components across) → a period record (pure).

Scoring departments send their marks as a table: one row per assessed unit, one
column per leaf component of the scheme (by name or id), often under a title row
and a merged parent header.  Columns of computed figures (合计, 排名, 等次) are
skipped; a column luoshi cannot place, a unit it cannot find or a mark out of range
is a problem with its cell reference, and no record is written.  A leaf scored by a
checklist takes its points per item: a column named `leaf.item` (大推进.p1) or
headed by the item's name or id under the leaf's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..codes import L
from ..model import Component, Item, Ledger
from ..periods import is_annual
from .columns import norm
from .import_tasks import Notes, Problem, unit_matcher
from .match import MatchProblem
from .sheet import HEADER_SCAN, Grid, is_blank, is_total
from .yamlout import FlowMap

UNIT_HEADERS = frozenset(norm(x) for x in (
    "单位", "单位名称", "被考核单位", "考核单位", "考核对象", "部门", "部门名称", "责任单位",
    "unit", "units", "unit id", "unit name", "name"))
COMPUTED = frozenset(norm(x) for x in (
    "序号", "排名", "名次", "合计", "总分", "总得分", "综合得分", "得分", "等次", "等级", "备注",
    "扣分", "加分", "约谈", "no", "no.", "#", "rank", "total", "score", "grade", "remark",
    "remarks", "deductions"))


@dataclass
class ScoreImport:
    record: dict[str, Any]
    rows: dict[str, int]
    problems: list[Problem]
    notes: Notes
    units: int = 0
    columns: dict[int, tuple[str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Target:
    leaf: Component
    item: Item | None = None


class _Scheme:
    def __init__(self, ledger: Ledger) -> None:
        assert ledger.scheme is not None
        self.comps = ledger.scheme.all_components()
        self.by_key: dict[str, Component] = {}
        for c in self.comps:
            self.by_key.setdefault(norm(c.id), c)
            self.by_key.setdefault(norm(c.name), c)

    def component(self, text: Any) -> Component | None:
        return self.by_key.get(norm(text)) if text is not None else None

    def item(self, text: Any, within: Component | None = None) -> _Target | None:
        if text is None:
            return None
        key = norm(text)
        if "." in str(text) and within is None:
            leaf_key, _, item_key = str(text).partition(".")
            leaf = self.component(leaf_key)
            return self.item(item_key, leaf) if leaf is not None else None
        hits = []
        for c in ([within] if within is not None else self.comps):
            for it in c.leaf_items():
                if norm(it.id) == key or norm(it.name) == key:
                    hits.append(_Target(c, it))
        return hits[0] if len(hits) == 1 else None


def find_score_header(grid: Grid, ledger: Ledger) -> int | None:
    """The row naming the most components or items (title rows above skipped;
    of a two-row header, the lower row)."""
    if ledger.scheme is None:
        return None
    sch = _Scheme(ledger)
    best, best_row = 0, None
    for r in range(1, min(grid.max_row, HEADER_SCAN) + 1):
        n = sum(1 for c in range(1, grid.max_col + 1)
                if sch.component(grid.get(r, c)) is not None or sch.item(grid.get(r, c)))
        if n and n >= best:  # on a tie the lower row: the leaves under merged parents
            best, best_row = n, r
    return best_row


def convert_scores(grid: Grid, ledger: Ledger, period: str, header_row: int) -> ScoreImport:
    sch = _Scheme(ledger)
    problems: list[Problem] = []
    notes = Notes()
    cadence = "annual" if is_annual(period) else "quarterly"
    columns: dict[int, tuple[str, str | None]] = {}
    targets: dict[int, _Target] = {}
    unit_col: int | None = None
    top = max(1, header_row - 3)
    for c in range(1, grid.max_col + 1):
        text = grid.get(header_row, c)
        above = [grid.get(r, c) for r in range(top, header_row)]
        if text is None:
            continue
        if norm(text) in UNIT_HEADERS and unit_col is None:
            unit_col = c
            continue
        parent = next((sch.component(a) for a in reversed(above)
                       if sch.component(a) is not None and a != text), None)
        target = _target(sch, text, parent)
        if target is None:
            if norm(text) in COMPUTED or any(norm(a) in COMPUTED for a in above if a):
                notes.add(L("跳过计算列（合计、排名、等次等）", "skipped computed columns "
                            "(totals, rank, grade)"), grid.ref(header_row, c))
                continue
            comp = sch.component(text)
            if comp is not None and not comp.is_leaf:
                notes.add(L(f"跳过汇总列“{text}”（由下级指标计算）",
                            f"skipped the roll-up column '{text}' (computed from its children)"),
                          grid.ref(header_row, c))
                continue
            problems.append(Problem(grid.ref(header_row, c), L(
                f"列“{text}”不是考核办法（scheme.yaml）中的末级指标或评分细项：请改为指标名称或编号",
                f"column '{text}' is not a leaf component or checklist item of scheme.yaml: "
                "use the component's name or id")))
            continue
        why = _misplaced(target, cadence)
        if why is not None:
            problems.append(Problem(grid.ref(header_row, c), why))
            continue
        targets[c] = target
        columns[c] = (target.leaf.id, target.item.id if target.item else None)
    if unit_col is None:
        unit_col = next((c for c in range(1, grid.max_col + 1)
                         if c not in targets and grid.get(header_row, c) is not None
                         and norm(grid.get(header_row, c)) not in COMPUTED), None)
    if unit_col is None:
        problems.append(Problem(grid.ref(header_row), L(
            "找不到单位列：请把单位所在列的表头写成“单位”",
            "no unit column: head the column of unit names 单位 (unit)")))
        return ScoreImport({}, {}, problems, notes)
    matcher = unit_matcher(ledger)
    scores: dict[str, dict[str, Decimal]] = {}
    items: dict[str, dict[str, dict[str, Decimal]]] = {}
    rows: dict[str, int] = {}
    for r in range(header_row + 1, grid.max_row + 1):
        values = grid.row(r)
        if is_blank(values) or is_total(values):
            continue
        name = grid.get(r, unit_col)
        if name is None:
            if any(grid.get(r, c) is not None for c in targets):
                problems.append(Problem(grid.ref(r, unit_col), L("这一行有分数但没有单位",
                                                                 "the row has scores but no unit")))
            continue
        try:
            m = matcher.one(str(name))
        except MatchProblem as exc:
            problems.append(Problem(grid.ref(r, unit_col), exc.label))
            continue
        if m.how is not None:
            notes.add(m.how, grid.ref(r, unit_col))
        if len(m.ids) != 1:
            problems.append(Problem(grid.ref(r, unit_col), L(
                f"“{name}”是多个单位：每行只能写一个单位", f"'{name}' names several units: "
                "one unit per row")))
            continue
        unit = m.ids[0]
        if unit in rows:
            problems.append(Problem(grid.ref(r, unit_col), L(
                f"单位 {unit} 重复（第一次在 {grid.ref(rows[unit], unit_col)}）",
                f"unit {unit} is repeated (first at {grid.ref(rows[unit], unit_col)})")))
            continue
        rows[unit] = r
        for c, t in targets.items():
            value = _number(grid.get(r, c))
            if value is None:
                if grid.get(r, c) is not None:
                    problems.append(Problem(grid.ref(r, c), L(
                        f"“{grid.get(r, c)}”不是数字", f"'{grid.get(r, c)}' is not a number")))
                continue
            high = t.item.points if t.item is not None else Decimal(100)
            if not 0 <= value <= high:
                problems.append(Problem(grid.ref(r, c), L(
                    f"分数 {value} 不在 0–{high} 之间", f"score {value} is not within 0..{high}")))
                continue
            if t.item is None:
                scores.setdefault(unit, FlowMap())[t.leaf.id] = value
            else:
                items.setdefault(unit, {}).setdefault(t.leaf.id, FlowMap())[t.item.id] = value
    record: dict[str, Any] = {"period": int(period) if is_annual(period) else period}
    if scores:
        record["scores"] = scores
    if items:
        record["items"] = items
    return ScoreImport(record, rows, problems, notes, len(rows), columns)


def _target(sch: _Scheme, text: Any, parent: Component | None) -> _Target | None:
    if parent is not None and parent.items:
        t = sch.item(text, parent)
        if t is not None:
            return t
    comp = sch.component(text)
    if comp is not None and comp.is_leaf:
        return _Target(comp)
    return sch.item(text)


def _misplaced(t: _Target, cadence: str) -> L | None:
    c = t.leaf
    if t.item is None and c.items:
        return L(f"{c.name}（{c.id}）按评分细项计分：请给出各细项得分（列名写 {c.id}.细项编号）",
                 f"{c.name} ({c.id}) is scored by its checklist: give item points "
                 f"(columns named {c.id}.ITEM)")
    if c.source == "tasks":
        return L(f"{c.name}（{c.id}）由任务台账计算，不能直接打分",
                 f"{c.name} ({c.id}) is computed from the tasks and cannot be given")
    if c.cadence != cadence:
        return L(f"{c.name}（{c.id}）的考核周期是 {c.cadence}，不属于这个期间",
                 f"{c.name} ({c.id}) is assessed {c.cadence}, not in this period")
    return None


def _number(v: Any) -> Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        d = Decimal(str(v).strip())
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    d = d.normalize()
    if d == d.to_integral_value() and abs(d) < 10**15:
        return d.quantize(Decimal(1))  # 90, not 9E+1
    return d
