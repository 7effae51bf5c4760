"""The ledger as a workbook offices can open, print and mail (pure: no I/O).

Sheets: 任务台账 (the task sheet an office prints: one row per task, sorted by id,
编号 … 亮灯; red and yellow rows coloured by conditional formatting on the 亮灯 column,
so the colour follows an edit of the light), 任务明细 (the rest of each task: category,
standard, every milestone, the last monthly report, closing, targets), 汇总 (roll-ups
by category and by lead unit) and, when the ledger has a scheme and records, one 得分
sheet per period.  The task sheets use exactly the headers the importer recognises and
write names that map back to one id each; the importer joins 任务明细 onto 任务台账 by
编号 (`sheet.join_details`), so exporting and importing gives back the same tasks
(`luoshi import tasks`).

Data columns hold the ledger as it is (so it can be read back); 序时进度 and the
light are judged at `as_of`.  Content depends only on the ledger and `as_of`;
`to_bytes` also pins the timestamps inside the file, so the same inputs give the
same bytes.

Every sheet prints: A4 landscape, its header rows repeated on every page, prose
wrapped with row heights set to the lines it needs; one page wide when that is
legible (`print_scale` ≥ `MIN_SCALE`; always for 任务台账), else at full size across
pages with 编号 and 任务名称 repeated.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..core.codes import L
from ..core.model import Ledger, Task
from ..core.periods import is_annual
from ..core.safetext import printable, xlsx_text
from ..core.targets import latest_actual
from .columns import DETAILS_SHEETS, LIGHT_LABELS, STATUS_LABELS, header

RED_FILL = "FFC7CE"
YELLOW_FILL = "FFEB9C"
HEADER_FILL = "D9D9D9"
DATE_FORMAT = "yyyy-mm-dd"
#: columns that hold prose: wrapped, and capped at this width
WIDE = 40
NARROW_CAP = 24


@dataclass
class Export:
    """The workbook and what could not go into it (for stderr)."""

    workbook: Any
    notes: list[L] = field(default_factory=list)


def sheet_title(kind: str, lang: str, period: str = "") -> str:
    zh = {"tasks": "任务台账", "details": DETAILS_SHEETS[0], "summary": "汇总",
          "scores": f"得分 {period}"}[kind]
    en = {"tasks": "Tasks", "details": DETAILS_SHEETS[1], "summary": "Summary",
          "scores": f"Scores {period}"}[kind]
    return (en if lang == "en" else zh)[:31]


def _names(entries: dict[str, Any]) -> Callable[[str], str]:
    """id → name, or the id itself where the name is shared (so import maps it back)."""
    counts = Counter(e.name for e in entries.values())

    def name(ident: str) -> str:
        e = entries.get(ident)
        return e.name if e is not None and counts[e.name] == 1 else ident

    return name


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 10
    text = str(value)
    longest = max((len(line) + sum(1 for ch in line if ord(ch) > 0x2E80)
                   for line in text.splitlines()), default=0)
    return longest


def build(ledger: Ledger, as_of: date, lang: str, *, partial: bool = False) -> Export:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    out = Export(wb)
    _tasks_sheet(wb, ledger, as_of, lang)
    _summary_sheet(wb, ledger, as_of, lang)
    if ledger.scheme is not None:
        for period in _periods(ledger):
            _scores_sheet(wb, ledger, period, lang, out, partial)
    wb.properties.creator = "luoshi"
    wb.properties.title = printable(ledger.config.title)
    stamp = datetime(as_of.year, as_of.month, as_of.day)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return out


def _periods(ledger: Ledger) -> list[str]:
    def key(p: str) -> tuple[int, int]:
        return (int(p[:4]), 5 if is_annual(p) else int(p[-1]))

    return sorted({r.period for r in ledger.records}, key=key)


# ---- shared styling ------------------------------------------------------------------


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="999999")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.head_font = Font(bold=True)
        self.title_font = Font(bold=True, size=14)
        self.head_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = Alignment(vertical="top", wrap_text=True)
        self.top = Alignment(vertical="top")


def _cell(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write one cell.  Text is ledger text: the control characters openpyxl refuses
    (IllegalCharacterError) are escaped visibly, text a spreadsheet would run as a
    formula (=HYPERLINK(…), @SUM(…), -1+…) gets one leading quote (`unquote` takes it
    off on import), and the cell is typed as a string so openpyxl never stores it
    as a formula.  Numbers and dates are written as they are."""
    if not isinstance(value, str):
        return ws.cell(row, col, value)
    cell = ws.cell(row, col)
    cell.value = xlsx_text(value)
    cell.data_type = "s"
    return cell


def _title_row(ws: Any, text: str, ncols: int, st: _Styles, row: int = 1) -> None:
    _cell(ws, row, 1, text).font = st.title_font
    if ncols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = 24


def _header_row(ws: Any, row: int, names: Sequence[str], st: _Styles) -> None:
    for c, name in enumerate(names, start=1):
        cell = _cell(ws, row, c, name)
        cell.font, cell.fill, cell.alignment, cell.border = (st.head_font, st.head_fill,
                                                             st.center, st.border)


def _widths(ws: Any, first_row: int, wide_cols: Iterable[int]) -> None:
    from openpyxl.utils import get_column_letter

    wide = set(wide_cols)
    best: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            best[cell.column] = max(best.get(cell.column, 0), _width(cell.value))
    for c, w in best.items():
        cap = WIDE if c in wide else NARROW_CAP
        ws.column_dimensions[get_column_letter(c)].width = max(8, min(w + 2, cap))


def _number(x: Decimal | int | None) -> Decimal | int | None:
    if x is None:
        return None
    if isinstance(x, Decimal) and x == x.to_integral_value():
        return int(x)
    return x


# ---- 任务台账 -------------------------------------------------------------------------


#: the printed task sheet (任务台账): what an office reads on paper, in this order
PRINT_COLUMNS = ("id", "title", "lead", "units", "leaders", "due", "status", "progress",
                 "expected", "light")
#: the widest (characters) each column may get; prose wraps inside it.  The print
#: columns' caps add up to a sheet that fits A4 landscape at ≥ 90% (`print_scale`)
CAPS = {"id": 14, "title": 40, "lead": 16, "units": 24, "leaders": 14, "due": 12,
        "status": 10, "progress": 8, "expected": 10, "light": 8,
        # 任务明细
        "parent": 14, "category": 16, "cooperating": 16, "start": 12, "standard": 30,
        "target_value": 12, "actual": 10, "achieved": 10, "note": 30, "closed_date": 12,
        "closed_by": 12, "closed_evidence": 24}
#: columns whose text wraps (their rows get the height the lines need)
WRAP = frozenset({"title", "lead", "units", "leaders", "category", "cooperating", "standard",
                  "note", "closed_evidence"})
DETAIL_TITLE_CAP = 24


def detail_columns(ledger: Ledger) -> list[str]:
    """The 任务明细 sheet: the id and title again (to read a printed page by), then
    every field the printed sheet leaves out."""
    most = max((len(t.milestones) for t in ledger.tasks), default=1)
    ms = [f"ms{n}_{part}" for n in range(1, most + 1) for part in ("due", "standard", "done")]
    closing = ["closed_date", "closed_by", "closed_evidence"] if any(
        t.closed is not None for t in ledger.tasks) else []
    # tasks v2 (SPEC §11): the parent, and target / actual / achieved, when any task has them
    parent = ["parent"] if any(t.parent for t in ledger.tasks) else []
    target = (["target_value", "actual", "achieved"]
              if any(t.target is not None for t in ledger.tasks) else [])
    return ["id", "title", *parent, "category", "cooperating", "start", "standard", *ms,
            *target, "note", *closing]


def task_columns(ledger: Ledger) -> list[str]:
    """Every column of the two task sheets together (the printed one's first)."""
    return [*PRINT_COLUMNS, *(c for c in detail_columns(ledger) if c not in PRINT_COLUMNS)]


def _cap(key: str) -> int:
    if key.startswith("ms"):
        return 24 if key.endswith("_standard") else 12
    return CAPS[key]


def _wraps(key: str) -> bool:
    return key in WRAP or (key.startswith("ms") and key.endswith("_standard"))


def _latest_note(t: Task) -> str | None:
    """The last monthly report as "2024-05：…" (read back as that month's update)."""
    if t.updates and t.updates[-1].note:
        u = t.updates[-1]
        return f"{u.month}：{u.note}"
    return None


def _task_values(t: Task, ledger: Ledger, state: Any, as_of: date, lang: str,
                 unit: Callable[[str], str], leader: Callable[[str], str],
                 category: Callable[[str], str]) -> dict[str, Any]:
    sep = "、" if lang == "zh" else ", "
    v: dict[str, Any] = {
        "id": t.id, "category": category(t.category), "title": t.title, "lead": unit(t.lead),
        "units": sep.join(unit(u) for u in t.units) or None,
        "cooperating": sep.join(unit(u) for u in t.cooperating) or None,
        "leaders": sep.join(leader(p) for p in t.leaders), "start": t.start,
        "standard": t.standard,
        # the final deadline, as printed; the milestones themselves are on 任务明细
        "due": max((m.due for m in t.milestones), default=None),
        "status": getattr(STATUS_LABELS[t.status], lang) if t.status in STATUS_LABELS
        else t.status,
        "progress": _number(t.progress),
        "expected": state.expected,
        "light": getattr(LIGHT_LABELS[state.light], lang) if state.light else None,
        "note": _latest_note(t),
        "parent": t.parent,
    }
    if t.target is not None:
        last = latest_actual(t, as_of)
        unit_text = f" {t.target.unit}" if t.target.unit else ""
        v["target_value"] = f"{_number(t.target.value)}{unit_text}"
        v["actual"] = _number(last.actual) if last is not None else None
        v["achieved"] = state.achieved
    for n, m in enumerate(t.milestones, start=1):
        v[f"ms{n}_due"], v[f"ms{n}_standard"], v[f"ms{n}_done"] = m.due, m.standard, m.done
    if t.closed is not None:
        v["closed_date"] = t.closed.date
        v["closed_by"] = leader(t.closed.approved_by) if t.closed.approved_by else None
        v["closed_evidence"] = t.closed.evidence
    return v


def id_key(ident: str) -> tuple[tuple[int, str, int], ...]:
    """Ids in the order people number them: WN-2 before WN-10 (digits compare as
    numbers), so the printed 台账 reads in task order whatever file order the ledger has."""
    return tuple((0, "", int(p)) if p.isdigit() else (1, p, 0)
                 for p in re.split(r"(\d+)", ident) if p)


def _tasks_sheet(wb: Any, ledger: Ledger, as_of: date, lang: str) -> None:
    """任务台账 (the printed sheet) and 任务明细 (the rest of each task), rows in the
    same order, both keyed by 编号: the importers join them back by id."""
    from ..ops.progress import task_state

    unit, leader = _names(ledger.units), _names(ledger.leaders)
    cat_names = Counter(c.name for c in ledger.config.categories)

    def category(cid: str) -> str:
        c = ledger.category(cid)
        return c.name if c is not None and cat_names[c.name] == 1 else cid

    rows: list[dict[str, Any]] = []
    depth = _depths(ledger)
    indents: list[int] = []
    for t in sorted(ledger.tasks, key=lambda t: id_key(t.id)):
        state = task_state(t, as_of, ledger.config)
        rows.append(_task_values(t, ledger, state, as_of, lang, unit, leader, category))
        indents.append(depth.get(t.id, 0))
    stamp = as_of.isoformat()
    zh = lang == "zh"
    title = (f"{ledger.config.title}（截至 {stamp}）" if zh
             else f"{ledger.config.title} (as of {stamp})")
    _grid_sheet(wb, sheet_title("tasks", lang), title, list(PRINT_COLUMNS), rows, indents,
                lang, lights=True)
    details = (f"{ledger.config.title} 任务明细（截至 {stamp}；编号、任务名称以“任务台账”表为准）" if zh
               else f"{ledger.config.title}: task details (as of {stamp}; the ID and title "
               "are read from the Tasks sheet)")
    _grid_sheet(wb, sheet_title("details", lang), details, detail_columns(ledger), rows,
                indents, lang, lights=False)


def _grid_sheet(wb: Any, name: str, title: str, cols: list[str], rows: list[dict[str, Any]],
                indents: list[int], lang: str, *, lights: bool) -> None:
    """One task sheet: title row, header row, a row per task; widths from the values
    (capped per column), row heights from the wrapped lines, print set up."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    st = _Styles()
    ws = wb.create_sheet(name)
    heads = [header(c, lang) for c in cols]
    _title_row(ws, title, len(cols), st)
    _header_row(ws, 2, heads, st)
    caps = [(DETAIL_TITLE_CAP if key == "title" and not lights else _cap(key)) for key in cols]
    wraps = [_wraps(key) for key in cols]
    best = [_width(h) for h in heads]
    row = 2
    # setting a style on a cell looks it up in the workbook's style lists by hashing
    # openpyxl's style objects (most of the time of a 20,000-task export); cells that
    # look alike share the style ids found for the first of them — the same workbook
    looks: dict[tuple[bool, bool, bool, int], Any] = {}
    texts: list[list[tuple[int, str]]] = []
    for values, depth in zip(rows, indents, strict=True):
        row += 1
        prose: list[tuple[int, str]] = []
        for c, key in enumerate(cols, start=1):
            value = values.get(key)
            cell = _cell(ws, row, c, value)
            w = _width(value)
            if w > best[c - 1]:
                best[c - 1] = w
            if wraps[c - 1] and isinstance(value, str):
                prose.append((c - 1, value))
            is_date = isinstance(value, date)
            # a child task's title is indented under its parent's (tasks v2, SPEC §11)
            indent = depth if key == "title" else 0
            look = (wraps[c - 1], is_date, key in ("expected", "achieved"), indent)
            known = looks.get(look)
            if known is not None:  # the style of an earlier cell that looked the same
                cell._style = copy(known)
                continue
            cell.border = st.border
            cell.alignment = st.wrap if wraps[c - 1] else st.top
            if indent:
                cell.alignment = Alignment(vertical="top", wrap_text=True, indent=2 * indent)
            if is_date:
                cell.number_format = DATE_FORMAT
            elif key in ("expected", "achieved"):
                cell.number_format = "0.00"
            looks[look] = copy(cell._style)
        texts.append(prose)
    last = get_column_letter(len(cols))
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{last}{max(row, 3)}"
    if lights and row > 2:
        _light_rules(ws, f"A3:{last}{row}", get_column_letter(cols.index("light") + 1), lang)
    widths = []
    for c, key in enumerate(cols, start=1):
        is_day = key in ("start", "due", "closed_date") or key.endswith(("_due", "_done"))
        w = 12 if is_day else max(8, min(best[c - 1] + 2, caps[c - 1]))
        ws.column_dimensions[get_column_letter(c)].width = w
        widths.append(w)
    _print_setup(ws, "1:2")
    if print_scale(widths) < MIN_SCALE:
        # too wide to print legibly on one page (many milestones): print at full size
        # across pages, 编号 and 任务名称 repeated on each, a task's pages side by side
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
        ws.page_setup.pageOrder = "overThenDown"
        ws.print_title_cols = "A:B"
    for r, prose in enumerate(texts, start=3):
        lines = _lines(prose, widths)
        if lines > 1:
            ws.row_dimensions[r].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT)


#: A4 landscape is 297 mm wide; the margins (`_print_setup`) are 0.4 inch each side
A4_LANDSCAPE_POINTS = 297 / 25.4 * 72
MARGIN_INCHES = 0.4
#: below this fit-to-width scale printed text gets too small to read (11 pt → < 7.7 pt)
MIN_SCALE = 0.7


def print_scale(widths: Sequence[float]) -> float:
    """The scale Excel prints a sheet at to fit its columns one A4 landscape page wide
    (1.0 when they fit at full size).  A column `w` characters wide is 7·w + 5 pixels of
    Calibri 11 at 96 dpi (Excel's rule), ¾ of a point each."""
    usable = A4_LANDSCAPE_POINTS - 2 * MARGIN_INCHES * 72
    wide = sum(int(7 * w + 5) for w in widths) * 0.75
    return min(1.0, usable / wide) if wide else 1.0


def _depths(ledger: Ledger) -> dict[str, int]:
    """How deep each task sits under parents (0: top level); a cycle stops counting."""
    parent = {t.id: t.parent for t in ledger.tasks if t.parent}
    out: dict[str, int] = {}
    for ident in parent:
        n, seen, p = 0, {ident}, parent.get(ident)
        while p is not None and p not in seen:
            n, p = n + 1, parent.get(p)
            seen.add(p or "")
        out[ident] = n
    return out


def _light_rules(ws: Any, cells: str, light_col: str, lang: str) -> None:
    """Red and yellow rows by conditional formatting on the light column (not static
    fills): an office that edits 亮灯 sees the row's colour follow."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    first = cells.split(":")[0][1:]
    for light, rgb in (("red", RED_FILL), ("yellow", YELLOW_FILL)):
        label = getattr(LIGHT_LABELS[light], lang).replace('"', '""')
        # a differential fill is drawn from its background colour (Excel, WPS, LibreOffice)
        fill = PatternFill("solid", fgColor=rgb, bgColor=rgb)
        ws.conditional_formatting.add(cells, FormulaRule(
            formula=[f'${light_col}{first}="{label}"'], fill=fill, stopIfTrue=True))


def _print_setup(ws: Any, title_rows: str) -> None:
    """A4 landscape, one page wide (as many pages long as it takes), the header rows
    on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


#: points per printed line of 11-point text
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409  # Excel's limit


def _lines(prose: Sequence[tuple[int, str]], widths: Sequence[float]) -> int:
    """How many printed lines a row needs: Excel does not grow rows written by a program,
    so without a height wrapped prose prints cut to one line."""
    lines = 1
    for c, value in prose:
        per_line = max(1, int(widths[c]) - 1)
        n = sum(max(1, -(-_width(part) // per_line)) for part in value.split("\n"))
        lines = max(lines, n)
    return lines


# ---- 汇总 -----------------------------------------------------------------------------


def _summary_sheet(wb: Any, ledger: Ledger, as_of: date, lang: str) -> None:
    from ..ops.progress import status_report

    st = _Styles()
    ws = wb.create_sheet(sheet_title("summary", lang))
    rep = status_report(ledger, as_of)
    zh = lang == "zh"
    statuses = list(STATUS_LABELS)
    heads = [("类别" if zh else "Category"), ("编号" if zh else "ID"),
             ("任务数" if zh else "Tasks"),
             *[getattr(STATUS_LABELS[s], lang) for s in statuses],
             *[("红灯" if zh else "Red"), ("黄灯" if zh else "Yellow"), ("绿灯" if zh else "Green")],
             ("完成率%" if zh else "Completion %"), ("按时完成率%" if zh else "On-time %")]
    title = (f"{ledger.config.title} 汇总（截至 {as_of.isoformat()}）" if zh
             else f"{ledger.config.title}: summary (as of {as_of.isoformat()})")
    _title_row(ws, title, len(heads), st)
    row = 1
    cat_order = [c.id for c in ledger.config.categories]
    unit_order = list(ledger.units)
    sections = [(L("按类别", "By category"), L("类别", "Category"),
                 _ordered(rep.by_category, cat_order)),
                (L("按牵头单位", "By lead unit"), L("牵头单位", "Lead unit"),
                 _ordered(rep.by_lead, unit_order))]
    for label, first, rollups in sections:
        row += 2
        _cell(ws, row, 1, getattr(label, lang)).font = st.head_font
        row += 1
        _header_row(ws, row, [getattr(first, lang), *heads[1:]], st)
        looks: dict[tuple[bool, bool], Any] = {}
        for r in (*rollups, rep.totals):
            row += 1
            is_total = r is rep.totals
            values = [("合计" if zh else "Total") if is_total else r.name,
                      None if is_total else r.id, r.tasks,
                      *[r.by_status.get(s, 0) for s in statuses], r.red, r.yellow, r.green,
                      r.completion_rate, r.on_time_rate]
            for c, value in enumerate(values, start=1):
                cell = _cell(ws, row, c, value)
                look = (is_total, c >= len(values) - 1)
                known = looks.get(look)
                if known is not None:  # as in the task sheet: the ids found before
                    cell._style = copy(known)
                    continue
                cell.border = st.border
                if is_total:
                    cell.font = st.head_font
                if c >= len(values) - 1:
                    cell.number_format = "0.00"
                looks[look] = copy(cell._style)
    ws.freeze_panes = "A2"
    _print_setup(ws, "1:1")
    _widths(ws, 2, ())


def _ordered(rollups: Sequence[Any], order: list[str]) -> list[Any]:
    """Roll-ups in the ledger's own order (luoshi.yaml, units.yaml), as offices read them."""
    pos = {k: i for i, k in enumerate(order)}
    return sorted(rollups, key=lambda r: (pos.get(r.id, len(pos)), r.id))


# ---- 得分 -----------------------------------------------------------------------------


def _scores_sheet(wb: Any, ledger: Ledger, period: str, lang: str, out: Export,
                  partial: bool) -> None:
    from ..ops.scoring import ScoringError, score_period

    assert ledger.scheme is not None
    try:
        result = score_period(ledger, period, partial=partial)
    except ScoringError as exc:
        out.notes.append(L(f"{period} 无法计分，未生成得分表：{exc.label.zh}",
                           f"{period} cannot be scored; no scores sheet: {exc.label.en}"))
        return
    st = _Styles()
    zh = lang == "zh"
    ws = wb.create_sheet(sheet_title("scores", lang, period))
    places = ledger.scheme.places
    fmt = "0." + "0" * places if places else "0"
    # SPEC §10 (scheme v2): 分组, 加分 and 不适用 columns when the scheme has them
    sch = ledger.scheme
    grouped = bool(sch.ranking_groups)
    bonus = bool(sch.bonus_categories)
    na = any(u.not_applicable for u in result.units)
    comp_name = {c.id: c.name for c in sch.all_components()}
    cols = [*(["group"] if grouped else []), "rank", "name", "unit", "score", "grade",
            "deductions", *(["bonus"] if bonus else []), "interview", "rules",
            *(["na"] if na else [])]
    names = {"group": ("分组", "Group"), "rank": ("排名", "Rank"), "name": ("单位", "Unit"),
             "unit": ("编号", "ID"), "score": ("得分", "Score"), "grade": ("等次", "Grade"),
             "deductions": ("扣分", "Deductions"), "bonus": ("加分", "Bonuses"),
             "interview": ("约谈", "Interview"), "rules": ("适用规则", "Rules applied"),
             "na": ("不适用", "Not applicable")}
    heads = [names[k][0 if zh else 1] for k in cols]
    title = f"{ledger.scheme.title} {period}" + (" 得分" if zh else " scores")
    if result.missing_quarters:
        gone = "、".join(result.missing_quarters) if zh else ", ".join(result.missing_quarters)
        title += (f"（缺 {gone}，按已有季度计算）" if zh
                  else f" (without {gone}: from the quarters present)")
    _title_row(ws, title, len(heads), st)
    _header_row(ws, 2, heads, st)
    row = 2
    sep = "、" if zh else ", "
    for u in result.units:
        row += 1
        v = {"group": u.group_name or u.group or None, "rank": u.rank, "name": u.name,
             "unit": u.unit, "score": u.score, "grade": u.grade,
             "deductions": _number(u.deductions),
             "bonus": _number(u.bonus_capped) if u.bonuses else None,
             "interview": ("是" if zh else "yes") if u.interview else None,
             "rules": "、".join(u.rules_applied) or None,
             "na": sep.join(comp_name.get(c, c) for c in u.not_applicable) or None}
        for c, key in enumerate(cols, start=1):
            cell = _cell(ws, row, c, v[key])
            cell.border = st.border
            if key == "score":
                cell.number_format = fmt
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "D3" if grouped else "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(cols))}{max(row, 3)}"
    _print_setup(ws, "1:2")
    _widths(ws, 2, ())


# ---- bytes ------------------------------------------------------------------------------

_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def to_bytes(wb: Any, as_of: date) -> bytes:
    """The .xlsx bytes, with every timestamp pinned to as-of (openpyxl stamps "now"
    into docProps/core.xml and every zip entry): same ledger, same as-of, same bytes."""
    raw = io.BytesIO()
    wb.save(raw)
    stamp = f"{as_of.isoformat()}T00:00:00Z".encode()
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>",
                                     data)
            pinned = zipfile.ZipInfo(info.filename, date_time=(as_of.year, as_of.month,
                                                               as_of.day, 0, 0, 0))
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            dst.writestr(pinned, data)
    return out.getvalue()
