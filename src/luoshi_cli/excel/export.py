"""The ledger as a workbook offices can open, print and mail (pure: no I/O).

Sheets: 任务台账 (the task sheet an office prints: one row per task, sorted by id,
编号 … 亮灯; red and yellow rows coloured by conditional formatting on the 亮灯 column,
so the colour follows an edit of the light), 任务明细 (the rest of each task: category,
standard, every milestone, the last monthly report, closing, targets), 汇总 (roll-ups
by category and by lead unit), when the ledger keeps the supervision loop (SPEC §12)
约谈登记 and 整改台账 (its interviews and rectifications, each field as written, and a
rectification's state at `as_of`), and, when the ledger has a scheme and records, one
得分 sheet per period.  The task sheets use exactly the headers the importer recognises and
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

import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..core.codes import L
from ..core.errors import LuoshiError
from ..core.labels import LEVELS_SHOWN, period_text
from ..core.model import Ledger, Target, Task
from ..core.numbers import int_text
from ..core.periods import bounds, is_annual, is_month, quarter_of, quarter_records
from ..core.safetext import ooxml_escape, printable, xlsx_text
from ..core.targets import latest_actual
from .columns import (
    DETAILS_SHEETS,
    INTERVIEWS_SHEETS,
    LIGHT_LABELS,
    RECTIFICATIONS_SHEETS,
    STATUS_LABELS,
    SUMMARY_SHEETS,
    header,
)
from .rows import RowSheet, cell_number, put_row

RED_FILL = "FFC7CE"
YELLOW_FILL = "FFEB9C"
HEADER_FILL = "D9D9D9"
BORDER_COLOR = "999999"
DATE_FORMAT = "yyyy-mm-dd"
#: the widest a column of the summary and score sheets gets
NARROW_CAP = 24


@dataclass
class Export:
    """The workbook (XlsxWriter's, written by `to_bytes`), its sheet names, and what
    could not go into it (for stderr)."""

    workbook: Any
    notes: list[L] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)


def sheet_title(kind: str, lang: str, period: str = "") -> str:
    zh = {"tasks": "任务台账", "details": DETAILS_SHEETS[0], "summary": SUMMARY_SHEETS[0],
          "interviews": INTERVIEWS_SHEETS[0], "rectifications": RECTIFICATIONS_SHEETS[0],
          "scores": f"得分 {period}"}[kind]
    en = {"tasks": "Tasks", "details": DETAILS_SHEETS[1], "summary": SUMMARY_SHEETS[1],
          "interviews": INTERVIEWS_SHEETS[1], "rectifications": RECTIFICATIONS_SHEETS[1],
          "scores": f"Scores {period}"}[kind]
    return (en if lang == "en" else zh)[:31]


def _names(entries: dict[str, Any]) -> Callable[[str], str]:
    """id → name, or the id itself where the name is shared (so import maps it back)."""
    counts = Counter(e.name for e in entries.values())

    def name(ident: str) -> str:
        e = entries.get(ident)
        return e.name if e is not None and counts[e.name] == 1 else ident

    return name


#: characters a column shows at double width (CJK and the full-width forms)
_DOUBLE = re.compile("[\u2e81-\U0010ffff]")


def _width(value: Any) -> int:
    """Characters a value needs on one line (its longest line), CJK counted twice."""
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 10
    text = (value if isinstance(value, str) else int_text(value) if isinstance(value, int)
            else str(value))  # int_text: str() refuses an int past 4,300 digits
    if text.isascii():
        return max(map(len, text.splitlines()), default=0) if "\n" in text else len(text)
    return max((len(line) + len(_DOUBLE.findall(line)) for line in text.splitlines()),
               default=0)


def build(ledger: Ledger, as_of: date, lang: str, *, partial: bool = False,
          bulk: bool = True) -> Export:
    """The workbook, written by XlsxWriter (the cells are written once, in order, with
    formats shared by every cell that looks alike: openpyxl's per-cell objects and
    style look-ups made a 20,000-task export take tens of seconds).  Files are read
    with openpyxl, and the tests read every written file back with it.  The rows of
    the task and score sheets are written in bulk (`rows.RowSheet`); `bulk=False`
    writes them cell by cell and scores the periods here, the same bytes (the tests'
    reference)."""
    from ..fast.background import in_background
    from ..ops.progress import status_report
    from ..ops.supervision import has_supervision

    _refuse_too_many_milestones(ledger)
    book = _Book(as_of, printable(ledger.config.title), bulk=bulk)
    out = Export(book.wb)
    # every task judged once: the task sheets' lights and the summary's roll-ups
    periods = _periods(ledger, partial) if ledger.scheme is not None else []

    def scores() -> list[_Scored | L]:
        return [_scored(ledger, period, lang, partial) for period in periods]

    # the units' scores need nothing from the task sheets: worked out on the other core
    # meanwhile (rows of plain values come back), when there are enough to be worth it
    work = len(ledger.units) * len(periods)
    scored = in_background(scores, fork=bulk and work >= BACKGROUND_WORK) if periods \
        else scores
    rep = status_report(ledger, as_of)
    _tasks_sheet(book, ledger, as_of, lang, {id(t): state for t, state in rep.tasks})
    _summary_sheet(book, ledger, as_of, lang, rep)
    if has_supervision(ledger):
        _interviews_sheet(book, ledger, lang)
        _rectifications_sheet(book, ledger, as_of, lang)
    tentative = _tentative(ledger, periods, partial)
    for period, sc in zip(periods, scored(), strict=True):
        if isinstance(sc, _Scored):
            _scores_sheet(book, sc, lang)
        elif period not in tentative:
            out.notes.append(sc)
    out.sheets = [ws.name for ws in book.wb.worksheets()]
    if book.cut:
        out.notes.append(cut_note(book.cut))
    left_out = not_exported(ledger)
    if left_out is not None:
        out.notes.append(left_out)
    return out


def _earlier_reports(t: Task) -> bool:
    """Whether the task has a monthly report the workbook does not show: 最新进展 and
    存在问题 are the last report's (`_latest_note`), 进度 is the task's own — a report
    of a progress alone (碑林's `{month: "2024-03", progress: 50}`) is not shown either:
    its month is in no cell."""
    return len(t.updates) > (1 if _latest_note(t, "zh") is not None else 0)


#: what a task may hold that the workbook has no column for (zh, en, whether the task
#: holds it), in this order: `import tasks` of the workbook gives the tasks without it
_NOT_EXPORTED: tuple[tuple[str, str, Callable[[Task], object]], ...] = (
    ("红旗/黄牌", "flags", lambda t: t.flags),
    ("最新进展未列出的月报", "monthly reports the sheet does not show", _earlier_reports),
    ("锁定标记", "locked", lambda t: t.locked),
    ("节点调整记录", "milestone adjustments", lambda t: t.adjustments),
    ("节点目标值", "milestone targets",
     lambda t: any(m.target is not None for m in t.milestones)))


def not_exported(ledger: Ledger) -> L | None:
    """The note naming what tasks hold that the workbook has no column for (flags, the
    monthly reports 最新进展 does not show, `locked`, milestone adjustments and targets),
    with the number of tasks holding each; None when no task holds any.  The workbook
    is today's state: `import tasks` of it gives the tasks without them (`--force` over
    the tasks' own file keeps the file's), which went unsaid at export.  (Owners, unit
    leaders and tags have columns on 任务明细, read back.)"""
    counts = [(zh, en, sum(1 for t in ledger.tasks if holds(t)))
              for zh, en, holds in _NOT_EXPORTED]
    held = [(zh, en, n) for zh, en, n in counts if n]
    if not held:
        return None
    return L("未导出（工作簿中没有这些列，import tasks 不会读回；--force 覆盖导入原文件时保留文件中的）："
             + "、".join(f"{zh}（{n} 个任务）" for zh, _, n in held),
             "not exported (the workbook has no column for them, so import tasks does not "
             "read them back; a --force re-import over the tasks' own file keeps the "
             "file's): " + ", ".join(f"{en} ({n} task{'s' if n > 1 else ''})"
                                     for _, en, n in held))


#: the columns of an Excel row (A to XFD)
SHEET_COLUMNS = 16_384


def _refuse_too_many_milestones(ledger: Ledger) -> None:
    """任务明细 is a row per task — the importers join it to 任务台账 by 编号 — with three
    columns (时限, 标准, 完成) per milestone: a task with more milestones than the
    16,384 columns of a row hold (5,4xx, less the sheet's other columns) cannot be
    written (XlsxWriter refused the row: an internal error).  The export is refused,
    naming the task and the limit, rather than leaving milestones out: a sheet that
    reads back with fewer milestones would lose them on `import tasks`."""
    columns = detail_columns(ledger)
    if len(columns) <= SHEET_COLUMNS:
        return
    others = sum(1 for c in columns if not c.startswith("ms"))
    per = len(milestone_parts(ledger))
    fits = (SHEET_COLUMNS - others) // per
    over = sorted((t for t in ledger.tasks if len(t.milestones) > fits),
                  key=lambda t: id_key(t.id))
    first, more = over[0], len(over) - 1
    tid, n = printable(first.id), len(first.milestones)
    raise LuoshiError(L(
        f"无法导出：任务 {tid} 有 {n} 个节点，“任务明细”表每个节点占 {per} 列，Excel 一行最多 "
        f"{SHEET_COLUMNS} 列，本台账每个任务最多 {fits} 个节点"
        + (f"（另有 {more} 个任务也超出）" if more else ""),
        f"cannot export: task {tid} has {n:,} milestones; the Task details sheet gives each "
        f"milestone {per} columns and an Excel row holds {SHEET_COLUMNS:,}, so a task of this "
        f"ledger can have at most {fits:,}"
        + (f" ({more:,} more task{'s' if more > 1 else ''} over it)" if more else "")))


def cut_note(cells: list[str]) -> L:
    """The note naming the cells whose text was cut to what a cell holds (`export`
    and `export --per-unit`).  The ledger keeps the text whole, and an import of the
    workbook as sent keeps it so (`sent.returned`)."""
    shown = "、".join(cells[:10]) + (f" 等 {len(cells)} 处" if len(cells) > 10 else "")
    shown_en = ", ".join(cells[:10]) + (
        f" and {len(cells) - 10} more" if len(cells) > 10 else "")
    return L(f"单元格最多容纳 32767 个字符，以下单元格的文字被截断（台账中的原文不变，原样交回的表导入时也不改动它）："
             f"{shown}",
             "a cell holds at most 32,767 characters; the text of these cells was cut (the "
             "ledger keeps it whole, and importing the workbook as sent leaves it so): "
             f"{shown_en}")


#: units × periods above which the scores are worked out on the other core (forking a
#: large process costs tens of milliseconds; 10,000 units take a second per period)
BACKGROUND_WORK = 2000


def _periods(ledger: Ledger, partial: bool = False) -> list[str]:
    """The periods with a record, and the quarters of a scheme scored only monthly
    that `score --quarter` ranks (`QuarterRecords.rankable`: all three months in, or
    with `partial` any of them), and the years of those records: a year is scored
    from its quarters (and months) with no record of its own when the scheme has no
    annual component — `score --annual` scores it once they are all in, with
    `partial` from those present (in June there is none of the year itself), as the
    Parquet export does.  A year without a record of its own that cannot be scored
    yet is left out without a note (`_tentative`): without --partial, that is every
    year until its last quarter is in."""
    def key(p: str) -> tuple[date, int, str]:
        # by the day a period ends, a month before the quarter and the year it ends:
        # (year, last digit) gave 2022-01, 2022-11 and 2022-Q1 one place, and the
        # set's order (a string's hash, another each run) decided theirs
        return (bounds(p)[1], 2 if is_annual(p) else 1 if "-Q" in p else 0, p)

    periods = {r.period for r in ledger.records}
    scheme = ledger.scheme
    cadences = {c.cadence for c in scheme.leaves()} if scheme is not None else set()
    # a scheme scored only monthly never has a quarter's record: its quarter is the
    # mean of its months (SPEC §10), ranked as `score` ranks it.  A quarter that reads
    # its own record (quarterly leaves) is rankable only with that record, so is here
    # already; a scheme without monthly leaves reads no month, so adds none
    periods |= {q for q in {quarter_of(int(m[:4]), (int(m[5:7]) + 2) // 3)
                            for m in periods if is_month(m)}
                if quarter_records(cadences, periods, q).rankable(partial)}
    periods |= {p[:4] for p in periods}
    return sorted(periods, key=key)


def _tentative(ledger: Ledger, periods: Sequence[str], partial: bool) -> set[str]:
    """The years `_periods` tries without a record of their own: one that cannot be
    scored yet (a quarter not in) is no sheet and no note — in June no one expects
    the year's — unless `partial` asked for it."""
    if partial:
        return set()
    written = {r.period for r in ledger.records}
    return {p for p in periods if is_annual(p) and p not in written}


# ---- shared styling ------------------------------------------------------------------


class _Book:
    """An XlsxWriter workbook in memory, and one format per look (XlsxWriter writes a
    format object once, however many cells use it)."""

    def __init__(self, as_of: date, title: str, *, bulk: bool = True) -> None:
        import xlsxwriter

        self.raw = io.BytesIO()
        # every string is written with write_string: never read as a formula, number or URL
        self.wb = xlsxwriter.Workbook(self.raw, {"in_memory": True, "strings_to_numbers": False,
                                                 "strings_to_formulas": False,
                                                 "strings_to_urls": False})
        stamp = datetime(as_of.year, as_of.month, as_of.day)
        self.wb.set_properties({"author": "luoshi", "title": title, "created": stamp})
        self._formats: dict[tuple[tuple[str, Any], ...], Any] = {}
        self._widths: dict[str, int] = {}
        #: cells whose text is longer than a cell holds (32,767 characters): written
        #: cut, and named on stderr — never cut silently
        self.cut: list[str] = []
        #: the worksheets of the large sheets (None: XlsxWriter's own)
        self.bulk = RowSheet if bulk else None

    def sheet(self, name: str, *, bulk: bool = False) -> Any:
        """A new worksheet; `bulk`: one whose rows `_row` writes in bulk."""
        return self.wb.add_worksheet(name, worksheet_class=self.bulk if bulk else None)

    def width(self, value: Any) -> int:
        """`_width`, worked out once per distinct text (names and words repeat)."""
        if value.__class__ is not str:
            return 0 if value is None else _width(value)
        found = self._widths.get(value)
        if found is None:
            found = self._widths[value] = _width(value)
        return found

    def fmt(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.wb.add_format(props)
        return found

    def cell(self, border: bool = True, **props: Any) -> Any:
        """A data cell's format: thin grey border, then `props`."""
        if border:
            props.update(border=1, border_color="#" + BORDER_COLOR)
        return self.fmt(**props)

    def head(self) -> Any:
        return self.cell(bold=True, bg_color="#" + HEADER_FILL, pattern=1, align="center",
                         valign="vcenter", text_wrap=True)


def _put(book: _Book, ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Write one cell (0-based).  Text is ledger text: `xlsx_text` escapes the control
    characters a workbook cannot hold and puts one leading quote before text a
    spreadsheet would run as a formula (=HYPERLINK(…), @SUM(…), -1+…; `unquote` takes
    it off on import), and it is written as a string, never as a formula.  Numbers
    and dates are written as they are."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        if ws.write_string(row, col, xlsx_text(value), fmt) == -2:  # cut to 32,767
            from xlsxwriter.utility import xl_rowcol_to_cell

            book.cut.append(f"{ws.get_name()}!{xl_rowcol_to_cell(row, col)}")
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (date, datetime)):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(number := cell_number(value), str):  # no double holds it
        ws.write_string(row, col, xlsx_text(number), fmt)
    else:
        ws.write_number(row, col, number, fmt)


def _row(book: _Book, ws: Any, row: int, values: Sequence[Any], fmts: Sequence[Any],
         height: float | None = None) -> None:
    """Write a row of cells (0-based) as `_put` writes each, in one call (`put_row`),
    `height` points high (None: the default)."""
    for col in put_row(ws, row, values, fmts, height):  # cut to 32,767
        from xlsxwriter.utility import xl_rowcol_to_cell

        book.cut.append(f"{ws.get_name()}!{xl_rowcol_to_cell(row, col)}")


def _cell(ws: Any, row: int, col: int, value: Any, cut: list[str] | None = None) -> Any:
    """Write one cell of an openpyxl sheet (the per-unit workbooks), with the guard of
    `_put`: text escaped, quoted when formula-like, and typed as a string so openpyxl
    never stores it as a formula.  A text longer than a cell holds is cut as XlsxWriter
    cuts it (`sent.utf16_cut`: openpyxl cut it by characters, silently, and a text of
    characters above U+FFFF stayed over Excel's limit) and its cell added to `cut`; a
    CR is written `_x000D_`, as XlsxWriter writes it (openpyxl wrote it raw, which an
    XML reader takes for a line feed: the untouched sheet came back changed)."""
    if not isinstance(value, str):
        return ws.cell(row, col, value)
    from .sent import utf16_cut

    cell = ws.cell(row, col)
    text = xlsx_text(value)
    shorter = utf16_cut(text)
    if shorter is not None:
        text = shorter
        if cut is not None:
            cut.append(f"{ws.title}!{cell.coordinate}")
    # (openpyxl writes `_xHHHH_` raw, which Excel decodes: escaped as XlsxWriter does;
    # set past openpyxl's setter, which would cut the escaped text by characters)
    cell._value, cell.data_type = ooxml_escape(text).replace("\r", "_x000D_"), "s"
    return cell


def _title_row(book: _Book, ws: Any, text: str, ncols: int, row: int = 0) -> None:
    fmt = book.fmt(bold=True, font_size=14)
    if ncols > 1:  # (strings_to_formulas is off: written as a string)
        ws.merge_range(row, 0, row, ncols - 1, xlsx_text(text), fmt)
    else:
        ws.write_string(row, 0, xlsx_text(text), fmt)
    ws.set_row(row, 24)


def _header_row(book: _Book, ws: Any, row: int, names: Sequence[str]) -> None:
    fmt = book.head()
    for c, name in enumerate(names):
        ws.write_string(row, c, xlsx_text(name), fmt)


def _set_widths(ws: Any, best: dict[int, int]) -> None:
    """Summary and score sheets: each column as wide as its widest value (8–24)."""
    for c, w in best.items():
        ws.set_column(c, c, max(8, min(w + 2, NARROW_CAP)))


def target_text(target: Target) -> str:
    """目标值 as 任务明细 shows it ("80 家"): what `import updates` compares a returned
    full sheet's cell with."""
    return f"{_number(target.value)}{f' {target.unit}' if target.unit else ''}"


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
        "parent": 14, "category": 16, "tags": 16, "cooperating": 16, "owners": 14,
        "unit_leaders": 14, "start": 12, "standard": 30,
        "target_value": 12, "actual": 10, "achieved": 10, "note": 30, "problems": 24,
        "task_note": 30,
        "closed_date": 12, "closed_by": 12, "closed_evidence": 24, "sent": 14}
#: columns whose text wraps (their rows get the height the lines need)
WRAP = frozenset({"title", "lead", "units", "leaders", "category", "tags", "cooperating",
                  "owners", "unit_leaders", "standard", "note", "problems", "task_note",
                  "closed_evidence"})
DETAIL_TITLE_CAP = 24


def detail_columns(ledger: Ledger) -> list[str]:
    """The 任务明细 sheet: the id and title again (to read a printed page by), then
    every field the printed sheet leaves out."""
    most = max((len(t.milestones) for t in ledger.tasks), default=1)
    ms = [f"ms{n}_{part}" for n in range(1, most + 1) for part in milestone_parts(ledger)]
    closing = ["closed_date", "closed_by", "closed_evidence"] if any(
        t.closed is not None for t in ledger.tasks) else []
    # tasks v2 (SPEC §11): the parent, and target / actual / achieved, when any task has them
    parent = ["parent"] if any(t.parent for t in ledger.tasks) else []
    target = (["target_value", "actual", "achieved"]
              if any(t.target is not None for t in ledger.tasks) else [])
    # 标签, 责任人, 单位领导 (SPEC §11), each when a task has it: `import tasks` reads them back
    tags = ["tags"] if any(t.tags for t in ledger.tasks) else []
    people = [key for key in ("owners", "unit_leaders")
              if any(getattr(t, key) for t in ledger.tasks)]
    # the task's own note (情况说明), when a task has one: `import tasks` reads it back
    task_note = ["task_note"] if any(t.note for t in ledger.tasks) else []
    # the last monthly report's 存在问题, beside its 进展 (最新进展), when one has them
    problems = ["problems"] if any(t.updates and t.updates[-1].problems
                                   for t in ledger.tasks) else []
    return ["id", "title", *parent, "category", *tags, "cooperating", *people, "start",
            "standard", *ms,
            *target, "note", *problems, *task_note, *closing, "sent"]


def milestone_parts(ledger: Ledger) -> tuple[str, ...]:
    """The columns of each milestone on 任务明细: 时限, 标准, 完成, and 备注 when a
    milestone of the ledger has a `note` (`import tasks` reads each back)."""
    if any(m.note for t in ledger.tasks for m in t.milestones):
        return ("due", "standard", "done", "note")
    return ("due", "standard", "done")


def state_mark(t: Task) -> str:
    """A mark of what a task's reports say — status, progress, every monthly update,
    the milestones' done dates — written hidden on 任务明细 (`sent`).  The full sheet
    carries no seal: an office export imported after a unit's sheet changed the task
    would set the unit's report back; `import updates` compares this mark with the
    task's as it is to tell a sheet made before the change.  (5.8 µs a task, `repr`
    being faster than the JSON the per-unit marks use: 0.12 s of a 20,000-task
    export.)"""
    seen = (t.status, str(t.progress),
            [(u.month, str(u.progress), u.note, u.problems, str(u.actual)) for u in t.updates],
            [str(m.done) for m in t.milestones])
    return hashlib.sha256(repr(seen).encode("utf-8", "surrogatepass")).hexdigest()[:12]


def task_columns(ledger: Ledger) -> list[str]:
    """Every column of the two task sheets together (the printed one's first)."""
    return [*PRINT_COLUMNS, *(c for c in detail_columns(ledger) if c not in PRINT_COLUMNS)]


def _cap(key: str) -> int:
    if key.startswith("ms"):
        return 24 if key.endswith(("_standard", "_note")) else 12
    return CAPS[key]


#: the columns of the task sheets that hold text an office may edit (the Text format)
TEXT_KEYS = frozenset({"id", "title", "lead", "units", "cooperating", "leaders", "category",
                       "tags", "owners", "unit_leaders",
                       "standard", "status", "note", "problems", "task_note", "closed_by",
                       "closed_evidence", "parent", "target_value"})


def _is_text(key: str) -> bool:
    return key in TEXT_KEYS or (key.startswith("ms") and key.endswith(("_standard", "_note")))


def _wraps(key: str) -> bool:
    return key in WRAP or (key.startswith("ms") and key.endswith(("_standard", "_note")))


def _latest_note(t: Task, lang: str) -> str | None:
    """The last monthly report as "2024-05：…" ("2024-05: …" in English), read back as
    that month's update (the importers take either colon).  A report with 存在问题 but
    no 进展 is its month alone ("2024-05："): the 存在问题 beside it is that month's."""
    if t.updates and (t.updates[-1].note or t.updates[-1].problems):
        u = t.updates[-1]
        note = u.note or ""
        return f"{u.month}: {note}".rstrip() if lang == "en" else f"{u.month}：{note}"
    return None


def _task_values(t: Task, ledger: Ledger, state: Any, as_of: date, lang: str,
                 unit: Callable[[str], str], leader: Callable[[str], str],
                 category: Callable[[str], str], tag: Callable[[str], str]) -> dict[str, Any]:
    sep = "、" if lang == "zh" else ", "
    v: dict[str, Any] = {
        "id": t.id, "category": category(t.category), "title": t.title, "lead": unit(t.lead),
        "units": sep.join(unit(u) for u in t.units) or None,
        "cooperating": sep.join(unit(u) for u in t.cooperating) or None,
        "leaders": sep.join(leader(p) for p in t.leaders), "start": t.start,
        "tags": sep.join(tag(g) for g in t.tags) or None,
        "owners": sep.join(t.owners) or None,
        "unit_leaders": sep.join(t.unit_leaders) or None,
        "standard": t.standard,
        # the final deadline, as printed; the milestones themselves are on 任务明细
        "due": max((m.due for m in t.milestones), default=None),
        "status": getattr(STATUS_LABELS[t.status], lang) if t.status in STATUS_LABELS
        else t.status,
        "progress": _number(t.progress),
        "expected": state.expected,
        "light": getattr(LIGHT_LABELS[state.light], lang) if state.light else None,
        "note": _latest_note(t, lang),
        "problems": t.updates[-1].problems if t.updates else None,
        "task_note": t.note,
        "parent": t.parent,
    }
    if t.target is not None:
        last = latest_actual(t, as_of)
        v["target_value"] = target_text(t.target)
        v["actual"] = _number(last.actual) if last is not None else None
        v["achieved"] = state.achieved
    for n, m in enumerate(t.milestones, start=1):
        v[f"ms{n}_due"], v[f"ms{n}_standard"], v[f"ms{n}_done"] = m.due, m.standard, m.done
        v[f"ms{n}_note"] = m.note
    v["sent"] = state_mark(t)
    if t.closed is not None:
        v["closed_date"] = t.closed.date
        v["closed_by"] = leader(t.closed.approved_by) if t.closed.approved_by else None
        v["closed_evidence"] = t.closed.evidence
    return v


def id_key(ident: str) -> tuple[tuple[int, str, int, str], ...]:
    """Ids in the order people number them: WN-2 before WN-10 (digits compare as
    numbers), so the printed 台账 reads in task order whatever file order the ledger has.
    A run of digits compares by its length without leading zeros, then its digits: the
    order of the numbers, without int() (which refuses 4,300 digits and more)."""
    return tuple((0, "", len(p.lstrip("0")), p.lstrip("0")) if p.isdigit() else (1, p, 0, "")
                 for p in re.split(r"(\d+)", ident) if p)


def _tasks_sheet(book: _Book, ledger: Ledger, as_of: date, lang: str,
                 states: dict[int, Any]) -> None:
    """任务台账 (the printed sheet) and 任务明细 (the rest of each task), rows in the
    same order, both keyed by 编号: the importers join them back by id.  `states`:
    each task's `TaskState` at as-of, by the task object's id()."""
    unit, leader = _names(ledger.units), _names(ledger.leaders)
    tag = _names({g.id: g for g in ledger.config.tags})
    cat_names = Counter(c.name for c in ledger.config.categories)

    def category(cid: str) -> str:
        c = ledger.category(cid)
        return c.name if c is not None and cat_names[c.name] == 1 else cid

    rows: list[dict[str, Any]] = []
    depth = _depths(ledger)
    indents: list[int] = []
    for t in sorted(ledger.tasks, key=lambda t: id_key(t.id)):
        state = states[id(t)]
        rows.append(_task_values(t, ledger, state, as_of, lang, unit, leader, category, tag))
        indents.append(depth.get(t.id, 0))
    stamp = as_of.isoformat()
    zh = lang == "zh"
    title = (f"{ledger.config.title}（截至 {stamp}）" if zh
             else f"{ledger.config.title} (as of {stamp})")
    _grid_sheet(book, sheet_title("tasks", lang), title, list(PRINT_COLUMNS), rows, indents,
                lang, lights=True)
    details = (f"{ledger.config.title} 任务明细（截至 {stamp}；编号、任务名称以“任务台账”表为准）" if zh
               else f"{ledger.config.title}: task details (as of {stamp}; the ID and title "
               "are read from the Tasks sheet)")
    _grid_sheet(book, sheet_title("details", lang), details, detail_columns(ledger), rows,
                indents, lang, lights=False)


def _grid_sheet(book: _Book, name: str, title: str, cols: list[str],
                rows: list[dict[str, Any]], indents: list[int], lang: str, *,
                lights: bool) -> None:
    """One task sheet: title row, header row, a row per task; widths from the values
    (capped per column), row heights from the wrapped lines, print set up.  The widths
    and heights are worked out first: a row is written once, with its height."""
    from xlsxwriter.utility import xl_col_to_name

    ws = book.sheet(name, bulk=True)
    heads = [header(c, lang) for c in cols]
    caps = [(DETAIL_TITLE_CAP if key == "title" and not lights else _cap(key)) for key in cols]
    wraps = [_wraps(key) for key in cols]
    days = [key in ("start", "due", "closed_date") or key.endswith(("_due", "_done"))
            for key in cols]
    # the cells of each row, and (transposed, in C) of each column
    grid = [list(map(v.get, cols)) for v in rows]
    columns = list(zip(*grid, strict=True)) if grid else [() for _ in cols]
    widths = _fit_widths(book, heads, columns, caps, days)
    for c, width in enumerate(widths):
        # luoshi's own mark (`state_mark`) is hidden, as the per-unit sheets' are
        ws.set_column(c, c, width, None, {"hidden": True} if cols[c] == "sent" else None)
    _title_row(book, ws, title, len(cols))
    _header_row(book, ws, 1, heads)
    # the columns that wrap, and the characters a line of each holds
    wrap_cols = [(c, max(1, int(widths[c]) - 1)) for c in range(len(cols)) if wraps[c]]
    # one format per look: the formats of a cell that wraps / holds a date / a rate /
    # an indented title
    # a text column is Text (`@`): Excel keeps what an office types there as text (in a
    # General cell "1/2" became a date and "50%" the number 0.5)
    text: list[dict[str, Any]] = [{"num_format": "@"} if _is_text(key) else {} for key in cols]
    plain = [book.cell(valign="top", text_wrap=True, **text[c]) if wraps[c]
             else book.cell(valign="top", **text[c]) for c in range(len(cols))]
    day_fmt = [book.cell(valign="top", text_wrap=True, num_format=DATE_FORMAT) if wraps[c]
               else book.cell(valign="top", num_format=DATE_FORMAT) for c in range(len(cols))]
    rate = book.cell(valign="top", num_format="0.00")
    rates = {c for c, key in enumerate(cols) if key in ("expected", "achieved")}
    title_col = cols.index("title") if "title" in cols else -1
    base = [rate if c in rates else plain[c] for c in range(len(cols))]
    day_cols = [c for c in range(len(cols)) if days[c]]
    for r, (cells, depth) in enumerate(zip(grid, indents, strict=True), start=2):
        height = _row_height(book, cells, wrap_cols)
        fmts = base.copy()
        for c in day_cols:  # (the other columns hold text and numbers: no date)
            if isinstance(cells[c], date):
                fmts[c] = day_fmt[c]
        if depth and title_col >= 0 and not isinstance(cells[title_col], date):
            # a child task's title is indented under its parent's (tasks v2, SPEC §11)
            fmts[title_col] = book.cell(valign="top", text_wrap=True,
                                        indent=2 * min(depth, LEVELS_SHOWN),
                                        **text[title_col])
        _row(book, ws, r, cells, fmts, height)
    last_row = len(rows) + 1
    last = xl_col_to_name(len(cols) - 1)
    ws.freeze_panes(2, 2)
    ws.autofilter(1, 0, max(last_row, 2), len(cols) - 1)
    if lights and rows:
        _light_rules(book, ws, f"A3:{last}{last_row + 1}",
                     xl_col_to_name(cols.index("light")), lang)
    _print_wide(ws, widths)


def _fit_widths(book: _Book, heads: Sequence[str], columns: Sequence[Sequence[Any]],
                caps: Sequence[int], days: Sequence[bool]) -> list[float]:
    """Each column's width: its header's or its widest value's, 2 more, between 8 and
    its cap; a date column 12.  (The task sheets and the registers.)"""
    widths: list[float] = []
    for c, cap in enumerate(caps):
        if days[c]:
            widths.append(12)
            continue
        best = _width(heads[c])
        for w in map(book.width, columns[c]):
            if w > best:
                best = w
                if best + 2 >= cap:  # capped: the rest cannot widen it
                    break
        widths.append(max(8, min(best + 2, cap)))
    return widths


def _print_wide(ws: Any, widths: Sequence[float]) -> None:
    """`_print_setup` with the title and header rows on every page; a sheet too wide
    to print legibly on one page (many milestones) is printed at full size across
    pages instead, its first two columns (编号 and 任务名称, a register's two) repeated
    on each, a row's pages side by side."""
    _print_setup(ws, 0, 1)
    if print_scale([w + 5 / 7 for w in widths]) < MIN_SCALE:
        ws.fit_to_pages(0, 0)
        ws.fit_page = False
        ws.print_across()
        ws.repeat_columns(0, 1)


def _row_height(book: _Book, cells: Sequence[Any], wrap_cols: Sequence[tuple[int, int]]
                ) -> float | None:
    """The height (points) a row needs for the lines of its wrapped text (None: one
    line, the default); `wrap_cols`: the columns that wrap, and the characters a line
    of each holds."""
    lines = 1
    for c, per_line in wrap_cols:
        value = cells[c]
        if isinstance(value, str):
            if 2 * len(value) <= per_line and "\n" not in value:
                continue  # one line, even if every character is double width
            if "\n" in value:
                n = sum(max(1, -(-book.width(part) // per_line))
                        for part in value.split("\n"))
            else:
                n = max(1, -(-book.width(value) // per_line))
            lines = max(lines, n)
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT) if lines > 1 else None


#: A4 landscape is 297 mm wide; the margins (`_print_setup`) are 0.4 inch each side
A4_LANDSCAPE_POINTS = 297 / 25.4 * 72
MARGIN_INCHES = 0.4
#: below this fit-to-width scale printed text gets too small to read (11 pt → < 7.7 pt)
MIN_SCALE = 0.7


def print_scale(widths: Sequence[float]) -> float:
    """The scale Excel prints a sheet at to fit its columns one A4 landscape page wide
    (1.0 when they fit at full size).  `widths` as stored in the file (what openpyxl
    reads): a stored width `w` is 7·w pixels of Calibri 11 at 96 dpi, ¾ of a point
    each (a column shown `n` characters wide is stored as n + 5/7: 5 pixels of padding)."""
    usable = A4_LANDSCAPE_POINTS - 2 * MARGIN_INCHES * 72
    wide = sum(round(7 * w) for w in widths) * 0.75
    return min(1.0, usable / wide) if wide else 1.0


def _depths(ledger: Ledger) -> dict[str, int]:
    """How deep each task sits under parents (0: top level), counted up to one level
    past `LEVELS_SHOWN` (all a title's indent reads: a walk to the top of a 20,000-task
    `parent:` chain from every task was 17 s); a cycle stops counting."""
    parent = {t.id: t.parent for t in ledger.tasks if t.parent}
    out: dict[str, int] = {}
    for ident in parent:
        n, seen, p = 0, {ident}, parent.get(ident)
        while p is not None and p not in seen and n <= LEVELS_SHOWN:
            # the parent reached is seen before moving on (it marked the next one,
            # which then counted as a cycle: every grandchild was at depth 1)
            seen.add(p)
            n, p = n + 1, parent.get(p)
        out[ident] = n
    return out


def _light_rules(book: _Book, ws: Any, cells: str, light_col: str, lang: str) -> None:
    """Red and yellow rows by conditional formatting on the light column (not static
    fills): an office that edits 亮灯 sees the row's colour follow."""
    first = cells.split(":")[0][1:]
    for light, rgb in (("red", RED_FILL), ("yellow", YELLOW_FILL)):
        label = getattr(LIGHT_LABELS[light], lang).replace('"', '""')
        # a differential fill is drawn from its background colour (Excel, WPS, LibreOffice)
        fill = book.wb.add_format({"bg_color": "#" + rgb})
        ws.conditional_format(cells, {"type": "formula",
                                      "criteria": f'=${light_col}{first}="{label}"',
                                      "format": fill, "stop_if_true": True})


def _print_setup(ws: Any, first: int, last: int) -> None:
    """A4 landscape, one page wide (as many pages long as it takes), the header rows
    `first`–`last` (0-based) on every page; openpyxl's default top/bottom margins."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(first, last)
    ws.center_horizontally()
    ws.set_margins(left=MARGIN_INCHES, right=MARGIN_INCHES, top=1, bottom=1)
    ws.set_header("", {"margin": 0.5})
    ws.set_footer("", {"margin": 0.5})


#: points per printed line of 11-point text
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409  # Excel's limit


# ---- 汇总 -----------------------------------------------------------------------------


def _summary_sheet(book: _Book, ledger: Ledger, as_of: date, lang: str, rep: Any) -> None:
    ws = book.sheet(sheet_title("summary", lang), bulk=True)
    zh = lang == "zh"
    statuses = list(STATUS_LABELS)
    heads = [("类别" if zh else "Category"), ("编号" if zh else "ID"),
             ("任务数" if zh else "Tasks"),
             *[getattr(STATUS_LABELS[s], lang) for s in statuses],
             *[("红灯" if zh else "Red"), ("黄灯" if zh else "Yellow"), ("绿灯" if zh else "Green")],
             ("完成率%" if zh else "Completion %"), ("按时完成率%" if zh else "On-time %")]
    title = (f"{ledger.config.title} 汇总（截至 {as_of.isoformat()}）" if zh
             else f"{ledger.config.title}: summary (as of {as_of.isoformat()})")
    _title_row(book, ws, title, len(heads))
    row = 0
    cat_order = [c.id for c in ledger.config.categories]
    unit_order = list(ledger.units)
    sections = [(L("按类别", "By category"), L("类别", "Category"),
                 _ordered(rep.by_category, cat_order)),
                (L("按牵头单位", "By lead unit"), L("牵头单位", "Lead unit"),
                 _ordered(rep.by_lead, unit_order))]
    best: dict[int, int] = {}

    def seen(c: int, value: Any) -> None:
        best[c] = max(best.get(c, 0), book.width(value))

    bold = book.fmt(bold=True)
    looks = {(total, rate): book.fmt(border=1, border_color="#" + BORDER_COLOR,
                                     **({"bold": True} if total else {}),
                                     **({"num_format": "0.00"} if rate else {}))
             for total in (False, True) for rate in (False, True)}
    fmts = {total: [looks[(total, c >= len(heads) - 2)] for c in range(len(heads))]
            for total in (False, True)}
    data: list[list[Any]] = []
    for label, first, rollups in sections:
        row += 2
        _put(book, ws, row, 0, getattr(label, lang), bold)
        seen(0, getattr(label, lang))
        row += 1
        names = [getattr(first, lang), *heads[1:]]
        _header_row(book, ws, row, names)
        for c, name in enumerate(names):
            seen(c, name)
        for r in (*rollups, rep.totals):
            row += 1
            is_total = r is rep.totals
            values = [("合计" if zh else "Total") if is_total else r.name,
                      None if is_total else r.id, r.tasks,
                      *[r.by_status.get(s, 0) for s in statuses], r.red, r.yellow, r.green,
                      r.completion_rate, r.on_time_rate]
            _row(book, ws, row, values, fmts[is_total])
            data.append(values)
    # (every column is in `best` already, from the first header row: same order)
    for c, column in enumerate(zip(*data, strict=True)):
        best[c] = max(best.get(c, 0), *map(book.width, column))
    ws.freeze_panes(1, 0)
    _print_setup(ws, 0, 0)
    _set_widths(ws, best)


def _ordered(rollups: Sequence[Any], order: list[str]) -> list[Any]:
    """Roll-ups in the ledger's own order (luoshi.yaml, units.yaml), as offices read them."""
    pos = {k: i for i, k in enumerate(order)}
    return sorted(rollups, key=lambda r: (pos.get(r.id, len(pos)), r.id))


# ---- 约谈登记, 整改台账 ---------------------------------------------------------------


@dataclass(frozen=True)
class _Col:
    """A column of a register sheet: its header (zh, en), the widest it gets, and how
    its cells look — "text" (Text format, as the task sheets' text columns), "wrap"
    (prose: wrapped, the row as high as its lines), "date", or "number"."""

    head: L
    cap: int
    look: str = "text"


#: 约谈登记 (SPEC §12 `interviews:`), in file order: every field as written
INTERVIEW_COLUMNS = (
    _Col(L("序号", "No."), 8, "number"), _Col(L("单位", "Unit"), 16, "wrap"),
    _Col(L("单位代码", "Unit ID"), 14), _Col(L("日期", "Date"), 12, "date"),
    _Col(L("方式", "Kind"), 12), _Col(L("约谈人", "Held by"), 14, "wrap"),
    _Col(L("事由", "Reason"), 30, "wrap"), _Col(L("所依排名", "Ranking"), 10),
    _Col(L("涉及任务", "Tasks"), 16, "wrap"), _Col(L("备注", "Note"), 30, "wrap"),
    _Col(L("文件", "File"), 24, "wrap"))
#: 整改台账 (SPEC §12 `rectifications:`), in file order; 报告说明 (the written report's
#: `note:`) only when a rectification has one, as 任务明细 adds a column only when used
RECTIFICATION_COLUMNS = (
    _Col(L("编号", "ID"), 14), _Col(L("单位", "Unit"), 16, "wrap"),
    _Col(L("单位代码", "Unit ID"), 14), _Col(L("来源", "Source"), 10),
    _Col(L("涉及任务", "Tasks"), 16, "wrap"), _Col(L("立项日期", "Opened"), 12, "date"),
    _Col(L("整改期限", "Due"), 12, "date"), _Col(L("书面报告日期", "Report date"), 12, "date"),
    _Col(L("报告说明", "Report note"), 24, "wrap"),
    _Col(L("销号日期", "Closed"), 12, "date"), _Col(L("批准领导", "Approved by"), 12, "wrap"),
    _Col(L("佐证", "Evidence"), 24, "wrap"), _Col(L("状态", "Status"), 10),
    _Col(L("原因", "Reason"), 30, "wrap"), _Col(L("备注", "Note"), 30, "wrap"))
#: the column of the written report's note, left out when no rectification has one
REPORT_NOTE_COLUMN = 8
#: a supervision file's own `note:` (what the file holds, who keeps it), beside each
#: entry the file lists: only when some file has one — the Parquet export's
#: `supervision_files` table keeps it too, and no value written may go missing
FILE_NOTE_COLUMN = _Col(L("文件备注", "File note"), 30, "wrap")


def _file_notes(ledger: Ledger) -> dict[str, str]:
    """Each supervision file's `note:` by its path (files without one left out)."""
    return {f.src.file: f.note for f in ledger.supervision_files if f.note}


def _interviews_sheet(book: _Book, ledger: Ledger, lang: str) -> None:
    """约谈登记: one row per interview, in the order the supervision files list them
    (the Parquet export's `interviews.seq`); the unit's name beside its id."""
    unit = _names(ledger.units)
    sep = "、" if lang == "zh" else ", "
    rows = [[n, unit(iv.unit), iv.unit, iv.date, iv.kind, iv.by, iv.reason, iv.period,
             sep.join(iv.tasks) or None, iv.note, iv.src.file]
            for n, iv in enumerate(ledger.interviews, start=1)]
    cols = list(INTERVIEW_COLUMNS)
    files = _file_notes(ledger)
    if files:
        cols.append(FILE_NOTE_COLUMN)
        for row, iv in zip(rows, ledger.interviews, strict=True):
            row.append(files.get(iv.src.file))
    title = (f"{ledger.config.title} 约谈登记" if lang == "zh"
             else f"{ledger.config.title}: interviews")
    _register_sheet(book, sheet_title("interviews", lang), title, cols, rows, lang)


def _rectifications_sheet(book: _Book, ledger: Ledger, as_of: date, lang: str) -> None:
    """整改台账: one row per rectification, in the order the supervision files list
    them, every field as written and its state at `as_of` (`rectification_state`: the
    status report's and scoring's rules) — blank before it was opened."""
    from ..core.labels import RECTIFICATION_SOURCE, RECTIFICATION_STATE
    from ..ops.supervision import rectification_state

    unit, leader = _names(ledger.units), _names(ledger.leaders)
    sep = "、" if lang == "zh" else ", "
    cols = list(RECTIFICATION_COLUMNS)
    notes = any(r.report_note for r in ledger.rectifications)
    files = _file_notes(ledger)
    rows = []
    for r in ledger.rectifications:
        c = r.closed
        source = RECTIFICATION_SOURCE.get(r.source or "")
        state = rectification_state(r, as_of)
        row = [r.id, unit(r.unit), r.unit,
               getattr(source, lang) if source is not None else r.source,
               sep.join(r.tasks) or None, r.opened, r.due, r.report, r.report_note,
               c.date if c else None,
               leader(c.approved_by) if c and c.approved_by else None,
               c.evidence if c else None,
               getattr(RECTIFICATION_STATE[state], lang) if state else None, r.reason, r.note]
        if not notes:
            del row[REPORT_NOTE_COLUMN]
        if files:
            row.append(files.get(r.src.file))
        rows.append(row)
    if not notes:
        del cols[REPORT_NOTE_COLUMN]
    if files:
        cols.append(FILE_NOTE_COLUMN)
    stamp = as_of.isoformat()
    title = (f"{ledger.config.title} 整改台账（截至 {stamp}）" if lang == "zh"
             else f"{ledger.config.title}: rectifications (as of {stamp})")
    _register_sheet(book, sheet_title("rectifications", lang), title, cols, rows, lang)


def _register_sheet(book: _Book, name: str, title: str, cols: list[_Col],
                    rows: list[list[Any]], lang: str) -> None:
    """A register sheet laid out as the task sheets are (`_grid_sheet`): title row,
    header row, a row per entry; widths from the values (capped per column), dates 12
    wide, prose wrapped with the row as high as its lines, the Text format on text
    columns; 2 rows and 2 columns frozen, a filter on the header, printed A4 landscape
    one page wide (or at full size across pages when that would be too small)."""

    ws = book.sheet(name, bulk=True)
    heads = [getattr(c.head, lang) for c in cols]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in cols]
    widths = _fit_widths(book, heads, columns, [c.cap for c in cols],
                         [c.look == "date" for c in cols])
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    _title_row(book, ws, title, len(cols))
    _header_row(book, ws, 1, heads)
    looks = {"text": book.cell(valign="top", num_format="@"),
             "wrap": book.cell(valign="top", text_wrap=True, num_format="@"),
             "date": book.cell(valign="top", num_format=DATE_FORMAT),
             "number": book.cell(valign="top")}
    fmts = [looks[c.look] for c in cols]
    wrap_cols = [(c, max(1, int(widths[c]) - 1)) for c, col in enumerate(cols)
                 if col.look == "wrap"]
    for r, cells in enumerate(rows, start=2):
        _row(book, ws, r, cells, fmts, _row_height(book, cells, wrap_cols))
    ws.freeze_panes(2, 2)
    ws.autofilter(1, 0, max(len(rows) + 1, 2), len(cols) - 1)
    _print_wide(ws, widths)


# ---- 得分 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scored:
    """What a 得分 sheet shows, in plain values (small to send from another process)."""

    period: str
    title: str
    heads: list[str]
    #: the columns of scores (the total, each component's), and their number format
    score_cols: frozenset[int]
    fmt: str
    grouped: bool
    rows: list[list[Any]]


def _scored(ledger: Ledger, period: str, lang: str, partial: bool) -> _Scored | L:
    """The 得分 sheet of `period`, or the note saying why it cannot be scored."""
    from ..ops.scoring import ScoringError, score_period
    from ..report.scores import component_columns, missing_names, rule_names, unscored_components

    assert ledger.scheme is not None
    try:
        result = score_period(ledger, period, partial=partial)
    except ScoringError as exc:
        return L(f"{period} 无法计分，未生成得分表：{exc.label.zh}",
                 f"{period} cannot be scored; no scores sheet: {exc.label.en}")
    zh = lang == "zh"
    places = ledger.scheme.places
    fmt = "0." + "0" * places if places else "0"
    # SPEC §10 (scheme v2): 分组, 加分 and 不适用 columns when the scheme has them
    sch = ledger.scheme
    grouped = bool(sch.ranking_groups)
    bonus = bool(sch.bonus_categories)
    na = any(u.not_applicable for u in result.units)
    # a score missing from the record (LS407) counts 0 in the total: its cell is left
    # empty (a 0 read as a score of 0) and 缺项 names every gap, as `score` does
    gaps = any(u.missing for u in result.units)
    # a grade a quota or a rule changed: the grade before it in a column of its own, so
    # that 等次 stays one of the scheme's grades (a filter or pivot on it still works)
    moved = any(u.base_grade != u.grade for u in result.units)
    comp_name = {c.id: c.name for c in sch.all_components()}
    cols = [*(["group"] if grouped else []), "rank", "name", "unit", "score", "grade",
            *(["base_grade"] if moved else []), "deductions", *(["bonus"] if bonus else []), "interview", "rules",
            *(["na"] if na else []), *(["missing"] if gaps else [])]
    names = {"group": ("分组", "Group"), "rank": ("排名", "Rank"), "name": ("单位", "Unit"),
             "unit": ("编号", "ID"), "score": ("得分", "Score"), "grade": ("等次", "Grade"),
             "base_grade": ("调整前等次", "Grade before rules"),
             "deductions": ("扣分", "Deductions"), "bonus": ("加分", "Bonuses"),
             "interview": ("约谈", "Interview"), "rules": ("适用规则", "Rules applied"),
             "na": ("不适用", "Not applicable"), "missing": ("缺项", "Missing")}
    heads = [names[k][0 if zh else 1] for k in cols]
    # each component's score, as `score --format csv` gives them (every level, in the
    # scheme's order, rounded as published): the figures the total is made of — the
    # sheet held the total alone; a name two components share is told by its id
    comps = component_columns(result)
    named = [comp_name.get(c, c) for c in comps]
    shared = Counter(named)
    heads += [n if shared[n] == 1 else f"{n}（{c}）" if zh else f"{n} ({c})"
              for c, n in zip(comps, named, strict=True)]
    title = f"{ledger.scheme.title} {period} 得分" if zh else scores_title_en(
        ledger.scheme.title, period)
    # the records it was scored without (--partial): quarters, months, and the year's own
    # when its annual components were left out — what the Parquet's missing_periods holds
    missing = [*result.missing_quarters, *([period] if result.missing_annual_record else [])]
    if missing:
        gone = "、".join(missing) if zh else ", ".join(period_text(p, "en") for p in missing)
        title += (f"（缺 {gone}，按已有记录计算）" if zh
                  else f" (without {gone}: from the records present)")
    sep = "、" if zh else ", "
    rows: list[list[Any]] = []
    # the grade and the rules as `luoshi score` says them (SPEC §10): 良好 with 优秀
    # before it (score: 良好（优秀→良好）), each rule by its note (`rule_names`)
    for u in result.units:
        v = {"group": u.group_name or u.group or None, "rank": u.rank, "name": u.name,
             "unit": u.unit, "score": u.score, "grade": u.grade,
             "base_grade": u.base_grade if u.base_grade != u.grade else None,
             "deductions": _number(u.deductions),
             "bonus": _number(u.bonus_capped) if u.bonuses else None,
             "interview": ("是" if zh else "yes") if u.interview else None,
             "rules": sep.join(rule_names(u)) or None,
             "na": sep.join(comp_name.get(c, c) for c in u.not_applicable) or None,
             "missing": sep.join(missing_names(u, lang, sch)) or None}
        unscored = unscored_components(u)
        rows.append([*(v[key] for key in cols),
                     *(None if c in unscored else u.components.get(c) for c in comps)])
    score_cols = frozenset((cols.index("score"), *range(len(cols), len(cols) + len(comps))))
    return _Scored(period, title, heads, score_cols, fmt, grouped, rows)


def scores_title_en(scheme_title: str, period: str) -> str:
    """The English title row of a scores sheet: the period where the scheme's title
    names its year ("Assessment of key tasks Q2 2026: scores", not "… 2026 2026-Q2
    scores"), else after the title.  (The sheet's name keeps the id: `Scores 2026-Q2`.)"""
    label = period_text(period, "en")
    found = re.search(rf"(?<!\d){period[:4]}(?![\d年])", scheme_title)
    if found is None:
        return f"{scheme_title}, {label}: scores" if scheme_title else f"{label}: scores"
    return f"{scheme_title[:found.start()]}{label}{scheme_title[found.end():]}: scores"


def _scores_sheet(book: _Book, sc: _Scored, lang: str) -> None:
    ws = book.sheet(sheet_title("scores", lang, sc.period), bulk=True)
    heads = sc.heads
    _title_row(book, ws, sc.title, len(heads))
    _header_row(book, ws, 1, heads)
    best = {c: _width(h) for c, h in enumerate(heads)}
    row = 1
    plain, score = book.cell(), book.cell(num_format=sc.fmt)
    fmts = [score if c in sc.score_cols else plain for c in range(len(heads))]
    for cells in sc.rows:
        row += 1
        _row(book, ws, row, cells, fmts)
        for c, value in enumerate(cells):
            w = book.width(value)
            if w > best[c]:
                best[c] = w
    ws.freeze_panes(2, 3 if sc.grouped else 2)
    ws.autofilter(1, 0, max(row, 2), len(heads) - 1)
    _print_setup(ws, 0, 1)
    _set_widths(ws, best)


# ---- bytes ------------------------------------------------------------------------------

_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def to_bytes(wb: Any, as_of: date) -> bytes:
    """The .xlsx bytes of an XlsxWriter workbook from `build` or an openpyxl one (the
    per-unit workbooks): same ledger, same as-of, same bytes.  XlsxWriter stamps the
    file with `build`'s created date (as-of) and its zip entries with 1980-01-01;
    openpyxl stamps "now" into docProps/core.xml and every zip entry, so its files are
    zipped again with every timestamp pinned to as-of."""
    if not hasattr(wb, "save"):  # XlsxWriter: written to its in-memory file on close
        wb.close()
        return bytes(wb.filename.getvalue())
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
