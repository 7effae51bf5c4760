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

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from ..core.assessment import inapplicable
from ..core.codes import L
from ..core.labels import as_written, cadence_words, quoted
from ..core.model import Component, Item, Ledger
from ..core.numbers import typed_decimal, typed_percent
from ..core.periods import bounds, cadence_of, is_annual
from ..core.safetext import printable
from ..core.slips import number_fix
from ..load.schema import NA, is_na
from ..load.yaml_fast import deeper_than
from .columns import HEADER_MAX, norm
from .import_tasks import Notes, Problem, unit_matcher
from .inplace import (
    CannotPatch,
    Reader,
    apply_edits,
    exact_load,
    flowed,
    patch_map,
    unshared,
    with_reader,
)
from .match import MatchProblem
from .sheet import (
    ABOVE_HEADER,
    COMMENT,
    HEADER_SCAN,
    HIDDEN_ROWS,
    Grid,
    above_header,
    clipped,
    is_blank,
    is_title,
    is_total,
    shown_id,
)
from .yamlout import FlowMap, dump

UNIT_HEADERS = frozenset(norm(x) for x in (
    "单位", "单位名称", "被考核单位", "考核单位", "考核对象", "部门", "部门名称", "责任单位",
    "unit", "units", "unit id", "unit name", "name"))
COMPUTED = frozenset(norm(x) for x in (
    "序号", "排名", "名次", "合计", "总分", "总得分", "综合得分", "得分", "等次", "等级",
    "扣分", "加分", "约谈", "no", "no.", "#", "rank", "total", "score", "grade", "deductions"))
#: a remarks column: words beside the marks, no computed figure — not imported either,
#: and named as what it is when a unit's row holds something in it
REMARKS = frozenset(norm(x) for x in ("备注", "说明", "remark", "remarks", "note", "notes"))


@dataclass
class ScoreImport:
    record: dict[str, Any]
    rows: dict[str, int]
    problems: list[Problem]
    notes: Notes
    units: int = 0
    columns: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    #: SPEC §10 加分 columns (header `加分:<category>`): column → bonus category id
    bonus_columns: dict[int, str] = field(default_factory=dict)
    #: the column of unit names, and each unit's row by the name a finding gives it
    #: (LS407 names a unit without a score by name): findings point at the unit's cell
    unit_col: int | None = None
    by_name: dict[str, int] = field(default_factory=dict)
    header_row: int = 1


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
    of a two-row header, the lower row) — never a data row (`_data_row`): a task
    sheet's row whose title is a component's name (重点项目常态化集中开工) was taken
    for the header, and its id, units and dates reported as unknown columns."""
    if ledger.scheme is None:
        return None
    sch = _Scheme(ledger)
    best, best_row = 0, None
    data: frozenset[str] | None = None  # built when a row names a component
    for r in range(1, min(grid.max_row, HEADER_SCAN) + 1):
        n = sum(1 for c in range(1, grid.max_col + 1)
                if sch.component(grid.get(r, c)) is not None or sch.item(grid.get(r, c)))
        if n and n >= best:  # on a tie the lower row: the leaves under merged parents
            if data is None:
                data = _data_words(ledger)
            if not _data_row(grid, r, sch, data):
                best, best_row = n, r
    return best_row


def _data_words(ledger: Ledger) -> frozenset[str]:
    """The units' ids and names (short names too) and the tasks' ids, normalised —
    less the words a score header is written with (单位, 合计, 备注)."""
    words = {norm(w) for u in ledger.units.values() for w in (u.id, u.name, u.short) if w}
    words.update(norm(t.id) for t in ledger.tasks if isinstance(t.id, str))
    return frozenset(words - UNIT_HEADERS - COMPUTED - REMARKS - {""})


def _data_row(grid: Grid, r: int, sch: _Scheme, data: frozenset[str]) -> bool:
    """Whether row `r` is clearly a row of data, never a score header: a cell names a
    unit (units are a score sheet's rows, never its columns) or a task of the ledger —
    a cell naming a component aside.  A date alone does not make data: a header with
    a date typed in it is named at that cell (a task row has its id and units)."""
    for c in range(1, grid.max_col + 1):
        v = grid.get(r, c)
        if v is None or isinstance(v, bool):
            continue
        if (isinstance(v, str) and len(v) <= HEADER_MAX and norm(v) in data
                and sch.component(v) is None and sch.item(v) is None):
            return True
    return False


#: the header of the 得分 sheets `luoshi export` writes (zh, en): computed results —
#: rank, unit, score, grade — and no component's column
_EXPORT_SCORES = (frozenset(norm(x) for x in ("排名", "单位", "编号", "得分", "等次")),
                  frozenset(norm(x) for x in ("Rank", "Unit", "ID", "Score", "Grade")))
_EXPORT_SCORES_ANYWHERE = tuple(
    head | frozenset(norm(x) for x in more) for head, more in zip(
        _EXPORT_SCORES, (("扣分", "约谈", "适用规则"), ("Deductions", "Interview", "Rules applied")),
        strict=True))


def is_export_scores(grid: Grid) -> bool:
    """Whether `grid` is a 得分 sheet of luoshi's own export (named 得分 2021-Q2 or
    Scores 2021-Q2, its header 排名 单位 编号 得分 等次 … under the title row): it holds
    results luoshi computed, not the components' scores `import scores` reads."""
    named = grid.name.startswith(("得分 ", "Scores "))
    for r in range(1, min(grid.max_row, 3) + 1):
        words = {norm(v) for v in grid.row(r) if isinstance(v, str)}
        # under another name (a sheet renamed or copied into another workbook): told by
        # the columns only luoshi writes together (编号, 约谈, 适用规则 beside the rank)
        if any(head <= words for head in (_EXPORT_SCORES if named else _EXPORT_SCORES_ANYWHERE)):
            return True
    return False


def convert_scores(grid: Grid, ledger: Ledger, period: str, header_row: int) -> ScoreImport:
    sch = _Scheme(ledger)
    tree = ledger.scheme.components if ledger.scheme is not None else ()
    problems: list[Problem] = []
    notes = Notes()
    cadence = cadence_of(period)
    columns: dict[int, tuple[str, str | None]] = {}
    targets: dict[int, _Target] = {}
    bonus_cols: dict[int, str] = {}
    unit_col: int | None = None
    remarks: dict[int, str] = {}  # column → its header
    top = max(1, header_row - 3)
    for c in range(1, grid.max_col + 1):
        text = grid.get(header_row, c)
        above = [grid.get(r, c) for r in range(top, header_row)]
        if text is None:
            continue
        if norm(text) in UNIT_HEADERS and unit_col is None:
            unit_col = c
            continue
        bonus = BONUS_HEADER.fullmatch(str(text).strip())
        if bonus is not None:
            cat = _bonus_category(ledger, bonus.group(1))
            if cat is None:
                known = ", ".join(b.id for b in ledger.scheme.bonus_categories
                                  ) if ledger.scheme else ""
                problems.append(Problem(grid.ref(header_row, c), L(
                    f"“{text}”：考核办法中没有加分类别“{bonus.group(1)}”（有：{known or '无'}）",
                    f"'{text}': scheme.yaml has no bonus category '{bonus.group(1)}' "
                    f"(known: {known or 'none'})")))
            else:
                bonus_cols[c] = cat
            continue
        parent = next((sch.component(a) for a in reversed(above)
                       if sch.component(a) is not None and a != text), None)
        target = _target(sch, text, parent)
        if target is None:
            if norm(text) in REMARKS or any(norm(a) in REMARKS for a in above if a):
                remarks[c] = str(text)
                continue
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
            # as Excel shows it (2021-06-30, not 2021-06-30 00:00:00), printable, shortened
            shown = shown_id(text, grid.fmt(header_row, c))
            problems.append(Problem(grid.ref(header_row, c), L(
                f"列“{shown}”不是考核办法（scheme.yaml）中的末级指标或评分细项：请改为指标名称或编号",
                f"column '{shown}' is not a leaf component or checklist item of scheme.yaml: "
                "use the component's name or id")))
            continue
        why = _misplaced(target, cadence)
        if why is not None:
            problems.append(Problem(grid.ref(header_row, c), why))
            continue
        key = (target.leaf.id, target.item.id if target.item else None)
        first = next((d for d, k in columns.items() if k == key), None)
        if first is not None:  # else the later column's marks silently replaced these
            shown = ".".join(k for k in key if k)
            problems.append(Problem(grid.ref(header_row, c), L(
                f"列“{text}”与 {grid.ref(header_row, first)} 是同一指标（{shown}）：请只保留一列",
                f"column '{text}' scores the same component as {grid.ref(header_row, first)} "
                f"({shown}): keep one of them")))
            continue
        targets[c] = target
        columns[c] = key
    if unit_col is None:
        unit_col = next((c for c in range(1, grid.max_col + 1)
                         if c not in targets and c not in bonus_cols and c not in remarks
                         and grid.get(header_row, c) is not None
                         and norm(grid.get(header_row, c)) not in COMPUTED), None)
    if unit_col is None:
        problems.append(Problem(grid.ref(header_row), L(
            "找不到单位列：请把单位所在列的表头写成“单位”",
            "no unit column: head the column of unit names Unit (or 单位)")))
        return ScoreImport({}, {}, problems, notes)
    matcher = unit_matcher(ledger)
    scores: dict[str, dict[str, Decimal | str]] = {}
    bonuses: list[FlowMap] = []  # str: the n/a token
    items: dict[str, dict[str, dict[str, Decimal]]] = {}
    rows: dict[str, int] = {}
    by_name: dict[str, int] = {}
    counted = 0
    _unread_words(grid, header_row, sch, notes)
    # a column headed in the header row, or above it (a two-row header), title aside
    headed = {c for c in range(1, grid.max_col + 1)
              if any(grid.get(r, c) is not None and (r == header_row or not is_title(grid, r, c))
                     for r in range(top, header_row + 1))}
    for r in range(header_row + 1, grid.max_row + 1):
        values = grid.row(r)
        if is_blank(values) or is_total(values):
            continue
        if r in grid.hidden_rows:
            # what nobody reading the sheet sees is not read, as a hidden sheet is not:
            # named (a hidden unit's scores were imported without a word)
            first = next(v for v in values if v is not None)
            notes.add(HIDDEN_ROWS, f"{grid.ref(r)} {printable(str(first))[:30]}")
            continue
        for c, v in enumerate(values, start=1):
            # a cell under no header (E3 无表头的数据) is no score: named, as import
            # tasks and updates name it (it was dropped without a word)
            if v is not None and c not in headed:
                notes.add(NO_HEADER, f"{grid.ref(r, c)} {_short(v)}")
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
        by_name[ledger.units[unit].name or unit] = r
        if all(grid.get(r, c) is None for c in (*targets, *bonus_cols)):
            # a unit row with no mark at all: not a unit imported (the count says so)
            notes.add(_EMPTY_ROW, grid.ref(r, unit_col))
            continue
        counted += 1
        # the components `applies_to` leaves out for this unit: a blank there is right
        off = inapplicable(tree, unit, ledger.units[unit].kind)
        for c in (*targets, *bonus_cols):
            origin = grid.merged_from.get((r, c))
            if origin is not None and origin[0] != r and grid.get(r, c) is not None:
                # one mark merged down over several units' rows is each unit's mark, as
                # a reader of the printed sheet sees it (import tasks reads a merged
                # 牵头单位 so) — but a mark copied to a unit is named, never silent
                notes.add(_MERGED, f"{grid.ref(r, c)} = {grid.ref(*origin)} {_short(grid.get(r, c))}")
        for c, cat in bonus_cols.items():
            raw = grid.get(r, c)
            points = _number(raw)
            if points is None:
                if raw is not None:
                    problems.append(Problem(grid.ref(r, c), L(
                        f"“{raw}”不是数字", f"'{raw}' is not a number")))
                continue
            # dated the period's last day: the sheet says for which period, not when
            bonuses.append(FlowMap({"unit": unit, "category": cat,
                                    "date": bounds(period)[1], "points": points}))
        for c, t in targets.items():
            raw = grid.get(r, c)
            if is_na(raw):
                # SPEC §10: this leaf does not apply to this unit this period (siblings
                # renormalise); a checklist item has no such token
                if t.item is None:
                    scores.setdefault(unit, FlowMap())[t.leaf.id] = NA
                else:
                    problems.append(Problem(grid.ref(r, c), L(
                        f"“{raw}”只能写在指标的得分列，不能写在评分细项列",
                        f"'{raw}' is for a component's score, not a checklist item")))
                continue
            if raw is None:
                # the same word whether a record exists or not: a new record lacks the
                # value (LS407), a merge keeps the one the record holds — unless the
                # component does not apply to the unit (政务服务评价 of a department):
                # then the blank is what the sheet should hold, and no LS407 follows
                if t.leaf.id not in off:
                    notes.add(_BLANK_CELL, grid.ref(r, c))
                continue
            value = _number(raw)
            if value is not None and isinstance(raw, (int, float)) and "%" in grid.fmt(r, c):
                # a cell shown as 95.5% holds 0.955: the sheet means 95.5 (as import
                # tasks/updates read a %-formatted progress)
                value = _number(value * 100)
                notes.add(_PERCENT, f"{grid.ref(r, c)} {value}% → {value}")
            elif value is None and t.item is None and isinstance(raw, str) and \
                    _percent(raw) is not None:
                # "93%" typed as text (import updates reads its progress so): a score of
                # 93 on the 0–100 scale.  Not for a checklist item: 80% of 5 points is
                # no reading to guess.
                value = _percent(raw)
                notes.add(_PERCENT_TEXT, f"{grid.ref(r, c)} {_short(raw)} → {value}")
            if value is None:
                if grid.get(r, c) is not None:
                    problems.append(Problem(grid.ref(r, c), _not_a_score(grid.get(r, c), t)))
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
    for c, text in remarks.items():
        if any(grid.get(r, c) is not None for r in rows.values()):
            notes.add(_REMARKS, f"{grid.ref(header_row, c)} {_short(text)}")
    record: dict[str, Any] = {"period": int(period) if is_annual(period) else period}
    if scores:
        record["scores"] = scores
    if items:
        record["items"] = items
    if bonuses:
        record["bonuses"] = bonuses
    return ScoreImport(record, rows, problems, notes, counted, columns, bonus_cols, unit_col,
                       by_name, header_row)


#: what a clerk writes in a score cell for "nothing": a dash, a slash, 无
_NOTHING = frozenset(("-", "—", "——", "－", "–", "/", "／", "无", "×", "x", "X"))


def _not_a_score(raw: Any, t: _Target) -> L:
    """The problem of a score cell that is no number, with what to write where one can
    be told: `90分` → 请去掉“分”，写 90 (the YAML checks' words: `core.slips`); a
    percentage in a checklist item's column (5 points: 90% of it is no reading to
    guess); a dash or a slash (不适用 is n/a, for a component's score only)."""
    text = _short(raw)
    head = L(f"“{text}”不是数字", f"'{text}' is not a number")
    if t.item is not None and isinstance(raw, str) and _percent(raw) is not None:
        pts = as_written(t.item.points)
        name = clipped(t.item.name or t.item.id)
        return L(f"{head.zh}：评分细项{quoted(name)}按分值打分（0–{pts} 分），"
                 "不是百分数：请写所得的分数",
                 f"{head.en}: checklist item '{name}' is scored in points "
                 f"(0–{pts}), not as a percentage: write the points earned")
    if isinstance(raw, str) and raw.strip() in _NOTHING:
        if t.item is None:
            return L(f"{head.zh}：该单位不适用这一指标请写“不适用”（或 n/a），还没有评分请留空",
                     f"{head.en}: write n/a (不适用) where the component does not apply to the "
                     "unit, or leave the cell blank while it is not scored yet")
        return L(f"{head.zh}：请写所得的分数（没有得分写 0）",
                 f"{head.en}: write the points earned (0 for none)")
    fix = number_fix(raw) if isinstance(raw, str) else None
    if fix is not None:
        return L(f"{head.zh}：{fix.zh}", f"{head.en}: {fix.en}")
    return head


_BLANK_CELL = L("得分单元格为空，未导入：新记录中该项缺失（luoshi validate 报 LS407），合并时保留记录中原有的值",
                "blank score cells, not imported: a new record lacks the value (luoshi "
                "validate warns LS407), a merge keeps the value the record holds")
_EMPTY_ROW = L("这些单位的行没有任何得分，未导入", "these units' rows hold no score and were not imported")
#: each cell named with what it showed and what it was read as (an example of
#: another number, 95.5% or 93%, stood in for every cell)
_PERCENT = L("百分比格式的单元格按百分数读取（显示的百分数记为得分）",
             "percent-formatted cells read as percentages (the percentage shown is the score)")
_PERCENT_TEXT = L("写成百分数的得分按 0–100 分读取",
                  "scores written as percentages read on the 0–100 scale")
_REMARKS = L("备注列不导入（不是得分），其中的内容不会写入考核记录",
             "remarks columns are not imported (they are no score): what they hold is not "
             "written to the record")
NO_HEADER = L("这些单元格所在的列没有表头，其中的内容未导入：需要时请加上表头（指标名称或编号）",
              "these cells are in columns without a header: what they hold is not imported; "
              "give the column a header (a component's name or id)")
_ABOVE = L(f"{ABOVE_HEADER.zh}：要导入的得分请写进单位所在的行",
           f"{ABOVE_HEADER.en}: write a score into its unit's row")
_COMMENTS = L(f"{COMMENT.zh}：要导入的得分请写进单位所在的行",
              f"{COMMENT.en}: write a score into its unit's row")
_MERGED = L("合并单元格跨过几个单位的行：其中的得分记给跨过的每个单位（如不是每个单位都得此分，请取消合并，分别填写）",
            "a merged cell spans several units' rows: its score is recorded for each of them "
            "(if not every unit has that score, unmerge the cells and fill each)")


def _unread_words(grid: Grid, header_row: int, sch: _Scheme, notes: Notes) -> None:
    """What is written above the header (注：… beside the title) and the cells' comments
    (批注) are no score: named in a note with what they hold, as `import updates` and
    `import tasks` name them (they were dropped without a word).  The title (a row's
    first cell, or one merged across the table) and the upper rows of a two-row header
    (a parent component, 合计, 单位) are not named."""
    def own(r: int, c: int, v: Any) -> bool:
        key = norm(v)
        return (is_title(grid, r, c) or sch.component(v) is not None
                or sch.item(v) is not None or key in COMPUTED or key in REMARKS
                or key in UNIT_HEADERS or BONUS_HEADER.fullmatch(str(v).strip()) is not None)

    for r, c, v in above_header(grid, header_row, own):
        notes.add(_ABOVE, f"{grid.ref(r, c)} {_short(v)}")
    for ref, text in grid.comments:
        notes.add(_COMMENTS, f"{ref} {_short(text)}")


def _short(v: Any) -> str:
    """A cell's text for a note: printable, at most 30 characters."""
    return clipped(str(v).strip())


#: a bonus column's header: 加分:<category id or name> (half- or full-width colon)
BONUS_HEADER = re.compile(r"加分\s*[:：]\s*(.+)")


def _bonus_category(ledger: Ledger, text: str) -> str | None:
    cats = ledger.scheme.bonus_categories if ledger.scheme is not None else ()
    key = norm(text)
    return next((b.id for b in cats if norm(b.id) == key or norm(b.name) == key), None)


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
        every = cadence_words(c.cadence)
        return L(f"{c.name}（{c.id}）{every.zh}考核，不属于这个期间",
                 f"{c.name} ({c.id}) is assessed {every.en}, not in this period")
    return None


def _number(v: Any) -> Decimal | None:
    """A score cell's number: full-width forms too (８８．５, the importers' one reading
    of a typed number, `typed_decimal`)."""
    if v is None or isinstance(v, bool):
        return None
    try:
        d = typed_decimal(str(v))
    except InvalidOperation:
        return None
    return _settled(d)


def _percent(text: str) -> Decimal | None:
    """"93%" (９３％, ８８．５％) typed as text: 93; None without the sign or a number."""
    try:
        d, percent = typed_percent(text)
    except InvalidOperation:
        return None
    return _settled(d) if percent else None


def _settled(d: Decimal) -> Decimal | None:
    if not d.is_finite():
        return None
    d = d.normalize()
    if d == d.to_integral_value() and abs(d) < 10**15:
        return d.quantize(Decimal(1))  # 90, not 9E+1
    return d


# ---- laying a sheet over an existing record ----------------------------------------
#
# A record holds more than any one score sheet: checklist items, task quality,
# deductions, flags, other units and other components, often typed by hand with
# comments.  Importing a sheet into it sets exactly the units × columns the sheet
# covers; everything else keeps its bytes.  The text is edited in place (a value
# replaced, an entry added to its mapping) and the result is checked by reading it
# back; when an edit cannot be placed safely the record is written anew from its
# values (same values, comments after the header lost, and the user is told).


class RecordError(Exception):
    """The existing output file is not a record luoshi can merge into."""

    def __init__(self, label: L) -> None:
        super().__init__(label.en)
        self.label = label


def read_record(text: str, where: str) -> dict[str, Any]:
    """The values of an existing record file (a mapping), or a `RecordError`."""
    too_deep = RecordError(L(f"{where} 嵌套过深，不是考核记录，无法合并：请先修正它（luoshi validate）",
                             f"{where} is nested far too deep to be a record, so nothing can "
                             "be merged into it: fix it first (luoshi validate)"))
    try:
        data = exact_load(text)
    except yaml.YAMLError as exc:
        from ..load.syntax import parser_words

        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RecordError(L(f"{where} 不是有效的 YAML（{parser_words(first).zh}），无法合并：请先修正它",
                            f"{where} is not valid YAML ({first}), so nothing can be merged "
                            "into it: fix it first")) from None
    except RecursionError:  # the Python reader recurses per level
        raise too_deep from None
    if deeper_than(data):
        # libyaml reads some such texts (how deep depends on its version); what is
        # done with a record after it walks it level by level
        raise too_deep
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RecordError(L(f"{where} 不是考核记录（应是“period: …”等键的映射），无法合并",
                            f"{where} is not a record (a mapping with period: …), so nothing "
                            "can be merged into it"))
    return data


#: a key path in a record: ("scores", "chongyelu", "hotline"), ("deductions", 0)
KeyPath = tuple[Any, ...]


@dataclass
class Merge:
    """The record after laying the sheet over it."""

    text: str
    #: (key path, old value or None, new value) for every cell that changes
    changes: list[tuple[KeyPath, Any, Any]]
    #: (key path, value) of everything a --replace removes
    dropped: list[tuple[KeyPath, Any]] = field(default_factory=list)
    #: the text could not be edited in place: the record was written from its values
    rewritten: bool = False


def covered(record: dict[str, Any]) -> dict[str, Any]:
    """The part of a converted sheet's record that the sheet sets: scores and items."""
    return {k: record[k] for k in ("scores", "items") if k in record}


def cells(data: Any, path: KeyPath = ()) -> list[tuple[KeyPath, Any]]:
    """(key path, value) of every leaf; a list entry is one leaf (deductions, 0)."""
    if isinstance(data, dict):
        out: list[tuple[KeyPath, Any]] = []
        for k, v in data.items():
            out.extend(cells(v, (*path, k)))
        return out
    if isinstance(data, list):
        return [((*path, i), v) for i, v in enumerate(data)]
    return [(path, data)]


def dotted(path: KeyPath) -> str:
    """scores.chongyelu.hotline, deductions[0]."""
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def merge_record(existing: str, old: dict[str, Any], sheet: dict[str, Any]) -> Merge:
    """`existing` (text of the record, values `old`) with the sheet's cells set."""
    new = unshared(old)  # a unit's scores shared through an alias are set for it alone
    changes: list[tuple[KeyPath, Any, Any]] = []
    for path, value in cells(covered(sheet)):
        keys = path
        node = new
        for k in keys[:-1]:
            if not isinstance(node.get(k), dict):
                node[k] = {}
            node = node[k]
        before = node.get(keys[-1])
        if before is None or before != value:
            changes.append((path, before, value))
            node[keys[-1]] = value
    if "period" not in new:
        new = {"period": sheet["period"], **new}
    if not changes and new == old:
        return Merge(existing, [])
    want: dict[str, Any] = {} if "period" in old else {"period": sheet["period"]}
    for path, _, value in changes:
        *parents, last = path
        node = want
        for k in parents:
            node = node.setdefault(k, {})
        node[last] = value
    text = _patched(existing, want, new)
    if text is not None:
        return Merge(text, changes)
    return Merge(_header(existing) + dump(_plain(new)), changes, rewritten=True)


def replace_record(old: dict[str, Any], text: str, sheet: dict[str, Any]) -> Merge:
    """The record replaced by the sheet's: what it drops is listed."""
    kept = dict(cells(sheet))
    dropped = [(p, v) for p, v in cells(old) if p not in kept]
    was = dict(cells(old))
    changes = [(p, was.get(p), v) for p, v in cells(covered(sheet)) if was.get(p) != v]
    return Merge(text, changes, dropped)


def _plain(data: Any) -> Any:
    """Leaf mappings in flow style, as the example records write them."""
    if isinstance(data, dict):
        if data and all(not isinstance(v, (dict, list)) for v in data.values()):
            return FlowMap(data)
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [flowed(v) for v in data]
    return data


def _header(text: str) -> str:
    """The comment lines at the top of a file."""
    out = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        out.append(line if line.endswith("\n") else line + "\n")
    return "".join(out)



def _patched(text: str, want: dict[str, Any], expect: dict[str, Any]) -> str | None:
    """`text` with the values of `want` set in place, or None when the edit cannot be
    made safely (then the caller rewrites the record from its values)."""
    def edit(reader: Reader) -> str | None:
        root = reader.compose(text)
        if root is None or not isinstance(root, yaml.MappingNode):
            return None
        edits: list[tuple[int, int, str]] = []
        patch_map(text, root, want, edits)
        out = apply_edits(text, edits)
        return out if reader.load(out) == expect else None

    try:
        return with_reader(text, edit)  # type: ignore[no-any-return]
    except (CannotPatch, yaml.YAMLError, RecursionError):
        return None
