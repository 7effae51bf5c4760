"""An Excel sheet as a plain grid, merged cells filled in, and its header found.

Offices merge cells freely: a title across the top, 完成时限 over two sub-headers,
one 牵头单位 cell spanning the three tasks it leads.  The grid copies a merged
range's value into every cell it covers, which is what a reader of the printed
sheet sees; it also remembers which cells were merged across columns, so that a
row like "一、经济发展新突破" spanning the table is recognised as a section heading.
"""

from __future__ import annotations

import contextlib
import faulthandler
import functools
import io
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.codes import L
from ..core.errors import SheetError as SheetError
from ..core.labels import install_hint
from ..core.safetext import ooxml_unescape, printable, unquote
from ..fsio import cannot_reach, path_is
from . import openpyxl_ready
from .columns import DETAILS_SHEETS, field_of, is_header_word, norm, sub_field
from .guard import (
    MAX_CELLS,
    MAX_COLS,
    MAX_FILE_BYTES,
    MAX_MERGED_CELLS,
    MAX_ROWS,
    WorkbookRefused,
    check_workbook,
    is_web_page,
    parse_ref,
    read_workbook_bytes,
    web_page,
)
from .memo import TextMemo
from .sent import STR_MAX
from .shown import typed_text

#: how a zip archive (an .xlsx) starts
_ZIP = b"PK\x03\x04"
#: rows searched for the header (title rows and notes above it included)
HEADER_SCAN = 30
#: the note naming the cells whose control characters were dropped (`Grid.controls`)
CONTROLS = L("这些单元格含有控制字符（不可见的 NUL、BEL、ESC 等），已删去",
             "these cells held control characters (invisible NUL, BEL, ESC …), which were "
             "dropped")


#: the note naming the hidden rows an import did not read (`import tasks`, `import scores`)
HIDDEN_ROWS = L("这些行是隐藏的（或被筛选隐藏），未导入：看不到的内容不作为台账读取；需要时请取消隐藏后再导入",
                "these rows are hidden (or filtered out) and were not imported: what a reader "
                "cannot see is not read; unhide them and import again if they belong in")


#: the note naming the hidden columns whose cells an import did not read
HIDDEN_COLS = L("这些列是隐藏的，未导入：看不到的内容不作为台账读取；需要时请取消隐藏后再导入",
                "these columns are hidden and were not imported: what a reader cannot see is "
                "not read; unhide them and import again if they belong in")
#: how the columns luoshi hides in the sheets it writes (the per-unit sheets' task id,
#: seal and milestone: `monthly.H_ID` …) are headed: read, never named
OWN_HIDDEN = "luoshi:"


#: the words every import names what it reads past on a sheet with: what is written
#: above its header (`above_header`), and a cell's comment (`Grid.comments`) — words
#: someone wrote on the sheet that no import takes (`import updates` refuses them at
#: their cells, `import tasks` and `import scores` name them in a note)
ABOVE_HEADER = L("表头上方的内容不导入", "what is above the header is not imported")
COMMENT = L("批注不导入", "a comment is not imported")
#: a cell's hyperlink (.xlsx): its text is the cell's value and is read; the address
#: it points to is not (a ledger holds no link, and an import never follows one)
HYPERLINK = L("超链接的地址不导入（单元格的文字已导入）",
              "a hyperlink's address is not imported (the cell's text is)")
#: `HYPERLINK` as said when nothing is written (`import updates --dry-run`, or a
#: problem stops the import): the cell's text is to be imported, not imported
HYPERLINK_TO_IMPORT = L("超链接的地址不导入（单元格的文字拟导入）",
                        "a hyperlink's address is not imported (the cell's text is to be)")


def col_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def quote_sheet(name: str) -> str:
    """A sheet name as Excel writes it in a reference ('My sheet'!A1)."""
    simple = name.replace("_", "").isalnum() and not name[:1].isdigit()
    return name if simple else "'" + name.replace("'", "''") + "'"


@dataclass
class Grid:
    """Cell values (1-based rows and columns) of one sheet, merged ranges filled."""

    name: str
    values: dict[tuple[int, int], Any]
    formats: dict[tuple[int, int], str]
    max_row: int
    max_col: int
    #: cells inside a merged range that spans more than one column
    wide: set[tuple[int, int]] = field(default_factory=set)
    #: cells joined in from another sheet (`join_details`): where they really are
    moved: dict[tuple[int, int], str] = field(default_factory=dict)
    #: rows of the joined 任务明细 sheet that join no row of this sheet (an 编号 on
    #: no row here, an 编号 twice there, no 编号): (cell of the 编号, the problem) —
    #: the importers refuse them, never drop them
    unjoined: list[tuple[str, L]] = field(default_factory=list)
    #: the sheet is hidden in the workbook (Excel's 隐藏): what a reader does not see
    #: is not taken as a report
    hidden: bool = False
    #: cells whose control characters (NUL, BEL, ESC …: what a cell's XML cannot hold,
    #: line breaks and tabs aside) were dropped — `CONTROLS` names them in a note
    controls: list[str] = field(default_factory=list)
    #: cells holding a formula (.xlsx): read as the value it showed
    formulas: list[str] = field(default_factory=list)
    #: cells with a comment (批注, .xlsx): (the cell, its text) -- no value of the
    #: cell, but words a unit wrote on the sheet
    comments: list[tuple[str, str]] = field(default_factory=list)
    #: cells with a hyperlink (.xlsx): (the cell, the address it points to) -- the
    #: cell's text is its value; the address is no value of the ledger (`HYPERLINK`)
    links: list[tuple[str, str]] = field(default_factory=list)
    #: rows hidden in the sheet (Excel's 隐藏 or a filter's, .xlsx and .xls): what a
    #: reader does not see is not taken as a report, as a hidden sheet is not
    hidden_rows: set[int] = field(default_factory=set)
    #: hidden columns that held something (.xlsx and .xls): "任务表!F:F 进度" -- their
    #: cells are not in the grid (`HIDDEN_COLS` names them), as a hidden row's are
    #: not read; luoshi's own hidden columns (`OWN_HIDDEN`) are read
    hidden_cols: list[str] = field(default_factory=list)
    #: each cell a merged range covers, but its first (top-left) one, when the range
    #: holds a value → that first cell: the value is the first cell's, copied here
    #: (what a reader of the printed sheet sees), and an import that must not read
    #: one value twice (a score for two units) tells the copies by this
    merged_from: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    #: cells of the joined 任务明细 that no column takes (`join_details`): (its cell,
    #: its value, the task sheet's cell of the same field and that cell's value) —
    #: a column without a header has no task sheet cell (None); a column the task
    #: sheet has too (任务台账 wins) is listed where the two differ.  `import tasks`
    #: names them
    shadowed: list[tuple[str, Any, str | None, Any]] = field(default_factory=list)
    #: rows of this sheet that hold something but join no row of the joined 任务明细
    #: (`join_details`): their joined columns have no cell, and a message about one
    #: names the row (`任务台账!5:5`), not a column of this sheet that holds nothing
    bare: set[int] = field(default_factory=set)
    #: the task rows of `bare` refused at their 编号 (`join_details`): row → that
    #: refusal, which `unjoined` holds too — `import updates` reads nothing of such a
    #: row, and says only that the ledger has no such task when it has none
    no_details: dict[int, tuple[str, L]] = field(default_factory=dict)
    #: the columns joined in from 任务明细 (`join_details`)
    joined: set[int] = field(default_factory=set)
    #: joined cells (`join_details`) of a merged range of 任务明细 spanning several rows
    #: there → that range with its sheet (任务明细!S3:S5): `merged_from` holds this
    #: sheet's own merges only, and a joined range has no range on this sheet
    tall_joined: dict[tuple[int, int], str] = field(default_factory=dict)
    _filled: set[int] | None = field(default=None, init=False, repr=False, compare=False)

    def get(self, row: int, col: int) -> Any:
        v = self.values.get((row, col))
        if isinstance(v, str):
            v = v.strip()
            return v or None
        return v

    def fmt(self, row: int, col: int) -> str:
        return self.formats.get((row, col), "General")

    def ref(self, row: int, col: int | None = None) -> str:
        """Excel-style reference: 任务表!D7 (or 任务表!7:7 for a whole row)."""
        if col is not None and (row, col) in self.moved:
            return self.moved[(row, col)]
        where = f"{col_letter(col)}{row}" if col else f"{row}:{row}"
        return f"{quote_sheet(self.name)}!{where}"

    def row(self, r: int) -> list[Any]:
        if r not in self.filled_rows():
            # a sheet with one far cell (GR100000) is mostly empty rows: 20 M lookups
            return [None] * self.max_col
        return [self.get(r, c) for c in range(1, self.max_col + 1)]

    def filled_rows(self) -> set[int]:
        """The rows that hold a value (computed once: the grid is never changed)."""
        if self._filled is None:
            self._filled = {r for r, _ in self.values}
        return self._filled


def open_workbook(path: Path) -> Any:
    """Load a workbook (values, not formulas), or a `SheetError` saying why not.

    An import opens its workbook more than once (the sheets named after categories,
    the sheet with a header, the other sheets with one): each time the guard scanned
    the file and openpyxl loaded it again — seconds and hundreds of MB for a large
    sheet.  The last workbook opened is kept, by the name given and the file's
    identity (device, inode), size and modification time: a file changed or replaced
    is loaded again.  The workbook is only read (`read_grid`), never changed."""
    if not path_is(path, "file"):
        if path.exists():  # a folder, a pipe, a device: there, but no workbook
            raise SheetError(L(f"{path} 不是文件（是文件夹或其他特殊文件）：请给出工作簿文件",
                               f"{path} is not a file (a folder or another special file): "
                               "give a workbook file"))
        raise SheetError(L(f"找不到文件 {path}", f"no such file: {path}"))
    st = path.stat()
    return _opened(path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=1)
def _opened(path: Path, dev: int, ino: int, size: int, mtime_ns: int) -> Any:
    """`open_workbook`'s load; the arguments after `path` only key the cache."""
    openpyxl_ready()

    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError:
        head = b""
    # by what the file is before its name: an .xlsx named .xls (or .csv) is a zip, and
    # was read as an old .xls ("not a valid .xls file")
    if head != _ZIP and path.suffix.lower() == ".csv":
        return _csv_workbook(path)
    if head != _ZIP and path.suffix.lower() == ".xls":
        return _xls_workbook(path)
    try:
        # the sheet came from outside: refuse bombs, DTDs and giant ranges before loading
        # -- the bytes read here, which openpyxl then loads (read again by the file's
        # name, a file replaced after the check would be loaded unchecked)
        data = read_workbook_bytes(path)
        checked = check_workbook(path, data)
    except WorkbookRefused as exc:
        raise SheetError(exc.label) from None
    except OSError as exc:
        raise SheetError(cannot_reach(path, exc)) from None
    if checked.uncached is not None:
        raise _uncached(path, *checked.uncached)
    try:
        # values only (the guard found formulas without values), and read-only: the
        # sheets are streamed by `read_grid`, which keeps the cells that hold something.
        # Loaded whole, openpyxl kept every cell (0.6 KB each) and `iter_rows` made one
        # for every position of the sheet's bounding box: one cell at GR100000 in a
        # 5 KB file was 20 million cells and exhausted the memory
        wb = _load_xlsx(data)
    except Exception as exc:  # untrusted input: any parser failure is one line
        raise _invalid(path, exc) from None
    wb._luoshi_path = path
    wb._luoshi_escaped = {name: set(cells) for name, cells in checked.escaped.items()}
    wb._luoshi_formulas = checked.formulas
    # luoshi's own workbook (export, the per-unit sheets): the quote it put before
    # formula-like text is taken off again (`read_grid`).  Excel keeps the creator when
    # it saves; a copy that lost it shows luoshi's quotes, and is read as it shows them
    wb._luoshi_own = getattr(wb.properties, "creator", None) == "luoshi"
    return wb


def _load_xlsx(data: bytes) -> Any:
    """`openpyxl.load_workbook(read_only=True, data_only=True)` of `data`, with the
    shared strings as Excel shows them: every `_xHHHH_` escape decoded
    (`ooxml_unescape`).  openpyxl only deletes `x005F_` wherever it stands, so a CR
    (`_x000D_`, as Excel and XlsxWriter write it) came in as the text `_x000D_` — an
    export's "甲\r乙" came back from `import tasks` as 甲_x000D_乙 — and a literal
    `_x000D_` the office typed (`_x005F_x000D_`) could not be told from it."""
    openpyxl_ready()
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class Reader(ExcelReader):  # type: ignore[misc]
        def read_strings(self) -> None:
            ct = self.package.find(SHARED_STRINGS)
            if ct is not None:
                with self.archive.open(ct.PartName[1:]) as src:
                    self.shared_strings = _string_table(src)

    reader = Reader(io.BytesIO(data), read_only=True, data_only=True)
    with openpyxl_quiet():
        reader.read()
    return reader.wb


@contextlib.contextmanager
def openpyxl_quiet() -> Iterator[None]:
    """openpyxl's own warnings silenced while it reads a workbook: a sheet with a part
    it does not support ("Data Validation extension is not supported and will be
    removed", from Excel's x14 list validation) printed Python's raw warning, an
    internal path and `warn(msg)`, to the clerk.  luoshi reads values only, and what
    it cannot read it says itself."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"openpyxl(\.|$)")
        yield


def _string_table(src: Any) -> list[str]:
    """openpyxl's `read_string_table`, each text decoded as Excel shows it."""
    openpyxl_ready()
    from openpyxl.cell.text import Text
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    tag = f"{{{SHEET_MAIN_NS}}}si"
    out: list[str] = []
    for _, node in iterparse(src):
        if node.tag == tag:
            out.append(ooxml_unescape(Text.from_tree(node).content))
            node.clear()
    return out


def _uncached(path: Path, sheet: str, cell: str) -> SheetError:
    """A formula written by a program (not Excel/WPS) has no saved value: read as an
    empty cell, an empty 进度 would silently become progress 0."""
    ref = f"{quote_sheet(sheet)}!{cell}"
    return SheetError(L(
        f"{path} {ref}：公式没有保存的值：请在 Excel/WPS 中打开并保存该文件后再导入",
        f"{path} {ref}: formula without a saved value: open and save the file "
        "in Excel/WPS, then import it"))


def _invalid(path: Path, exc: Exception) -> SheetError:
    return SheetError(L(f"无法读取 {path}：不是有效的 .xlsx 文件（{type(exc).__name__}）",
                        f"cannot read {path}: not a valid .xlsx file ({type(exc).__name__})"))


def _xls_workbook(path: Path) -> Any:
    """A legacy .xls workbook read by python-calamine (the `xls` extra) into an
    openpyxl workbook of values; without it, the conversion command is offered.

    python-calamine gives values only: each number's format, the formulas without a
    saved value and the error values are read from the file by `biff.read_facts`, so
    that a 0.35 shown as 35% reads as 35, an uncomputed formula stops the import and
    #N/A is refused at its cell, as in an .xlsx.  Every cell keeps its own place (the
    values python-calamine gives start at the first cell used) and merged ranges stay
    merged."""
    from .biff import read_extent

    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        hint = install_hint("xls", "python-calamine")
        raise SheetError(L(
            f"{path} 是旧版 .xls 格式：要读取它，{hint.zh}；或转换为 .xlsx："
            f"libreoffice --headless --convert-to xlsx {path}（或在 Excel/WPS 中“另存为” .xlsx）",
            f"{path} is an old .xls file: to read it, {hint.en}; or convert it: "
            f"libreoffice --headless --convert-to xlsx {path} (or save it as .xlsx in "
            "Excel/WPS)")) from None
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SheetError(L(f"{path} 太大，无法导入（上限 {MAX_FILE_BYTES // 2**20} MB）",
                               f"{path} is too large to import (limit "
                               f"{MAX_FILE_BYTES // 2**20} MB)"))
        data = path.read_bytes()
        if is_web_page(data):  # an OA system's table saved as .xls
            raise SheetError(web_page(path))
        # how far the cells reach and how many there are, from the records themselves,
        # before python-calamine makes each sheet a dense grid out to its last cell (one
        # cell at column 65535 of a damaged file: 92 GB asked for, the process killed
        # by SIGABRT without a word; at IV65536, 4.5 s and 1.1 GB before the refusal)
        extent = read_extent(data)
        if extent.last_row >= MAX_ROWS or extent.last_col >= MAX_COLS:
            raise _too_large(path)
        if extent.cells > MAX_CELLS:
            raise _too_many(path)
        with _rust_quiet():
            return _calamine_workbook(path, data, CalamineWorkbook)
    except SheetError:
        raise
    except Exception as exc:  # untrusted input: any parser failure is one line
        raise _invalid_xls(path, exc) from None
    except BaseException as exc:
        # a Rust panic inside python-calamine (a file cut short, a few damaged bytes):
        # pyo3's PanicException derives from BaseException, not Exception, and is
        # exposed by no module to import -- known by its name; nothing else is caught
        if type(exc).__name__ != "PanicException":
            raise
        raise _invalid_xls(path, exc) from None


def _invalid_xls(path: Path, exc: BaseException) -> SheetError:
    return SheetError(L(f"无法读取 {path}：不是有效的 .xls 文件（{type(exc).__name__}）",
                        f"cannot read {path}: not a valid .xls file ({type(exc).__name__})"))


@contextlib.contextmanager
def _rust_quiet() -> Iterator[None]:
    """Rust's panic hook writes a panic's message (and, with RUST_BACKTRACE set, a stack
    of 80 frames) straight to file descriptor 2 before Python sees the exception: while
    python-calamine runs, descriptor 2 goes to a temporary file, written back to the
    real one unless a panic was caught -- the refusal stays the one line it is for
    every other damaged file.  (A thread writing to stderr meanwhile is delayed, or
    silenced when the file panics; luoshi reads its workbooks on one thread.)"""
    try:
        tmp = tempfile.TemporaryFile()  # noqa: SIM115 - first: none, nothing is changed
    except OSError:
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no descriptor 2 to speak of: nothing to keep quiet
        tmp.close()
        yield
        return
    panicked = False
    # a damaged file python-calamine still aborts on (an allocation it cannot make
    # kills the process) would die without a word: Python's fault handler names it on
    # the real stderr
    fault = not faulthandler.is_enabled()
    if fault:
        faulthandler.enable(file=saved)
    with tmp:
        try:
            os.dup2(tmp.fileno(), 2)
            yield
        except BaseException as exc:
            panicked = type(exc).__name__ == "PanicException"
            raise
        finally:
            os.dup2(saved, 2)
            if fault:
                faulthandler.disable()
            os.close(saved)
            if not panicked:
                tmp.seek(0)
                kept = tmp.read()
                while kept:
                    kept = kept[os.write(2, kept):]


def _calamine_workbook(path: Path, data: bytes, calamine: Any) -> Any:
    """`_xls_workbook`'s reading, python-calamine's every call in it."""
    openpyxl_ready()
    from openpyxl import Workbook

    from .biff import read_facts

    # the bytes `read_extent` vetted, not the file again: a file replaced between the
    # two reads would be read unchecked
    book = calamine.from_filelike(io.BytesIO(data))
    # the limits of an .xlsx before anything else is read (the number formats of
    # `read_facts` took 4.6 s of a 17 MB .xls) or a cell made: the rows and columns
    # used, and the cells that hold something (`MAX_CELLS`: 6 million cells of an
    # .xls were all made into cells, 4.5 GB) -- row by row where python-calamine
    # can (`iter_rows`, which starts at the sheet's first row, not its first cell's:
    # the count is all it is used for)
    cells = 0
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        end = sheet.end
        if end is not None and (end[0] >= MAX_ROWS or end[1] >= MAX_COLS):
            raise _too_large(path)
        for row in sheet.iter_rows() if hasattr(sheet, "iter_rows") else sheet.to_python():
            cells += sum(1 for v in row if v != "" and v is not None)
            if cells > MAX_CELLS:
                raise _too_many(path)
    facts = read_facts(data) or {}
    wb = Workbook()
    wb.remove(wb.active)
    # a hidden sheet stays hidden (what nobody reading the workbook sees is no
    # report): python-calamine tells it in sheets_metadata
    hidden = {m.name for m in getattr(book, "sheets_metadata", ())
              if not str(getattr(m, "visible", "Visible")).endswith("Visible")}
    uncached: tuple[str, str] | None = None
    for name in book.sheet_names:
        ws = wb.create_sheet(quote_free(name))
        if name in hidden:
            ws.sheet_state = "hidden"
        sheet = book.get_sheet_by_name(name)
        top, left = sheet.start or (0, 0)
        for r, row in enumerate(sheet.to_python(), top + 1):
            for c, value in enumerate(row, left + 1):
                if value == "" or value is None:
                    continue
                cell = ws.cell(r, c)
                if isinstance(value, str):
                    # as written, control characters too: `read_grid` drops and names
                    # them, in every format alike (openpyxl's setter refuses them)
                    cell._value, cell.data_type = value, "s"
                else:
                    cell.value = value
        own = facts.get(name)
        if own is not None:
            for (r, c), text in own.errors.items():  # python-calamine: an empty cell
                ws.cell(r + 1, c + 1).value = text
            for (r, c), fmt in own.formats.items():
                if fmt != "General" and (r + 1, c + 1) in ws._cells:
                    ws._cells[(r + 1, c + 1)].number_format = fmt
            if own.uncached and uncached is None:
                r, c = own.uncached[0]
                uncached = (ws.title, f"{col_letter(c + 1)}{r + 1}")
            for r in own.hidden_rows:  # python-calamine does not say
                ws.row_dimensions[r + 1].hidden = True
            for c in sorted(own.hidden_cols):  # nor this
                ws.column_dimensions[col_letter(c + 1)].hidden = True
        merged = 0
        for (r1, c1), (r2, c2) in getattr(sheet, "merged_cell_ranges", None) or ():
            # bounded as an .xlsx's merges are (`guard._merge`): one range
            # F3:GR65536 in a 5.6 KB file filled 13 million cells (review)
            merged += (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
            if (max(r1, r2) >= MAX_ROWS or max(c1, c2) >= MAX_COLS
                    or merged > MAX_MERGED_CELLS):
                raise _too_large(path)
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1,
                           end_column=c2 + 1)
    if uncached is not None:
        raise _uncached(path, *uncached)
    wb._luoshi_path = path
    return wb


def _csv_workbook(path: Path) -> Any:
    """A .csv file as a one-sheet workbook (named after the file).  Offices save CSV
    from Excel as UTF-8 (with or without a BOM) or, on Chinese Windows, as GBK: each
    is tried in that order; every cell is text, read as the importer reads typed text."""
    import csv

    openpyxl_ready()
    from openpyxl import Workbook

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SheetError(L(f"{path} 太大，无法导入（上限 {MAX_FILE_BYTES // 2**20} MB）",
                               f"{path} is too large to import (limit "
                               f"{MAX_FILE_BYTES // 2**20} MB)"))
        raw = path.read_bytes()
    except OSError as exc:
        raise SheetError(cannot_reach(path, exc)) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise SheetError(L(f"{path} 不是 UTF-8 或 GBK 编码的 CSV", f"{path} is not a UTF-8 "
                           "or GBK CSV file"))
    wb = Workbook()
    ws = wb.active
    ws.title = quote_free(path.stem)
    try:
        # the rows and cells counted first, as they stream by, nothing kept: the limits
        # of an .xlsx (`MAX_ROWS`, `MAX_COLS`, `MAX_CELLS`) before a cell is made (6
        # million cells took 92 s and 4.5 GB before anything was said)
        cells = 0
        for r, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
            cells += len(row) - row.count("")
            if r > MAX_ROWS or len(row) > MAX_COLS:
                raise _too_large(path)
            if cells > MAX_CELLS:
                raise _too_many(path)
        for r, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
            for c, value in enumerate(row, 1):
                if value.strip():
                    # text, never a formula; as written, control characters too: `read_grid`
                    # drops and names them, in every format alike
                    cell = ws.cell(r, c)
                    cell._value, cell.data_type = value, "s"
    except csv.Error as exc:
        raise SheetError(L(f"无法读取 {path}：CSV 格式错误（{exc}）",
                           f"cannot read {path}: malformed CSV ({exc})")) from None
    wb._luoshi_path = path
    return wb


def quote_free(name: str) -> str:
    """A sheet title openpyxl accepts: no []:*?/\\, at most 31 characters."""
    import re

    return (re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_", name)[:31]) or "Sheet1"


def sheet_names(wb: Any) -> list[str]:
    return [ws.title for ws in wb.worksheets]


def read_grid(wb: Any, name: str, join: bool = True) -> Grid:
    """One worksheet as a `Grid`; `export`'s task sheet with its 任务明细 sheet joined
    in (`join_details`).  Read once per workbook (the importers read every sheet, some
    twice): the grid is never changed."""
    if name not in sheet_names(wb):
        raise SheetError(L(f"工作簿中没有名为“{name}”的工作表（有：{'、'.join(sheet_names(wb))}）",
                           f"the workbook has no sheet '{name}' "
                           f"(it has: {', '.join(sheet_names(wb))})"))
    grids: dict[tuple[str, bool], Grid] | None = getattr(wb, "_luoshi_grids", None)
    if grids is None:
        grids = wb._luoshi_grids = {}
    if (name, join) not in grids:
        grids[(name, join)] = _read_grid(wb, name, join)
    return grids[(name, join)]


def _read_grid(wb: Any, name: str, join: bool) -> Grid:
    openpyxl_ready()
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    ws = wb[name]
    values: dict[tuple[int, int], Any] = {}
    formats: dict[tuple[int, int], str] = {}
    controls: list[tuple[int, int]] = []
    max_row, max_col = 0, 0
    own = getattr(wb, "_luoshi_own", False)
    cells, merged, hidden_rows, hidden_cols = _cells(wb, ws)
    for row, col, value, fmt in cells:
        if isinstance(value, str) and len(value) > STR_MAX // 2 and _too_long(value):
            raise _overlong(wb, name, row, col, value)
        if isinstance(value, str) and _illegal(value, ILLEGAL_CHARACTERS_RE):
            # a NUL, BEL or ESC (an .xlsx's `_x001B_`, a .csv's or an .xls's byte) is
            # nothing a reader sees: dropped, in every format, and the cell named
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            controls.append((row, col))
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        key = (row, col)
        # the quote export puts before formula-like text (=…, +…, -…, @…) is
        # luoshi's: taken off, export → import keeps the text.  In anyone else's
        # workbook a leading quote is the office's own (''放管服''改革), kept
        values[key] = unquote(value) if own and isinstance(value, str) else value
        formats[key] = fmt or "General"
        max_row, max_col = max(max_row, row), max(max_col, col)
    wide: set[tuple[int, int]] = set()
    merged_from: dict[tuple[int, int], tuple[int, int]] = {}
    for min_row, min_col, last_row, last_col in merged:
        top = (min_row, min_col)
        value, fmt = values.get(top), formats.get(top, "General")
        for r in range(min_row, last_row + 1):
            for c in range(min_col, last_col + 1):
                if last_col > min_col:
                    wide.add((r, c))
                if value is not None:
                    values[(r, c)] = value
                    formats[(r, c)] = fmt
                    if (r, c) != top:
                        merged_from[(r, c)] = top
        if value is not None:
            max_row, max_col = max(max_row, last_row), max(max_col, last_col)
    grid = Grid(name, values, formats, max_row, max_col, wide,
                hidden=getattr(ws, "sheet_state", "visible") != "visible",
                hidden_rows=hidden_rows, merged_from=merged_from)
    if hidden_cols:
        _drop_hidden_cols(grid, hidden_cols, cells)
    grid.controls = [grid.ref(r, c) for r, c in sorted(controls)]
    grid.formulas = [grid.ref(r, c) for r, c in
                     sorted(getattr(wb, "_luoshi_formulas", {}).get(name, ()))]
    grid.comments = [(grid.ref(r, c), text) for r, c, text in _comments(wb, ws)]
    grid.links = [(grid.ref(r, c), target) for r, c, target in _hyperlinks(wb, ws)]
    if join and name not in DETAILS_SHEETS:
        for other in DETAILS_SHEETS:
            if other in sheet_names(wb):
                return join_details(grid, read_grid(wb, other, join=False))
    return grid


Cells = list[tuple[int, int, Any, str]]
Ranges = list[tuple[int, int, int, int]]


def _drop_hidden_cols(grid: Grid, hidden: set[int], cells: Cells) -> None:
    """Take a hidden column's cells out of the grid and name the column when a cell of
    it held something: a hidden 进度 column was imported without a word, while hidden
    rows and sheets were named and not read.  The columns luoshi hides itself (headed
    `OWN_HIDDEN`…, in the per-unit sheets) stay."""
    own = {c for (r, c), v in grid.values.items()
           if c in hidden and r <= HEADER_SCAN and isinstance(v, str)
           and v.startswith(OWN_HIDDEN)}
    gone = hidden - own
    first: dict[int, tuple[int, Any]] = {}
    for row, col, value, _ in cells:
        if col in gone and value is not None and (row, col) in grid.values \
                and (col not in first or row < first[col][0]):
            first[col] = (row, value)
    for key in [k for k in grid.values if k[1] in gone]:
        del grid.values[key]
        grid.formats.pop(key, None)
    grid.wide -= {k for k in grid.wide if k[1] in gone}
    grid.merged_from = {k: v for k, v in grid.merged_from.items()
                        if k[1] not in gone and v[1] not in gone}
    grid.hidden_cols = [f"{quote_sheet(grid.name)}!{col_letter(c)}:{col_letter(c)} "
                        f"{printable(str(first[c][1]).strip())[:30]}"
                        for c in sorted(first)]


def _cells(wb: Any, ws: Any) -> tuple[Cells, Ranges, set[int], set[int]]:
    """The cells of a sheet that exist — (row, column, value, number format) — its
    merged ranges (first row, first column, last row, last column), a cell covered by a
    range (not its first) without its value, as openpyxl loads a merged range, and its
    hidden rows and columns (columns up to `MAX_COLS`: no cell is beyond it)."""
    openpyxl_ready()
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if not isinstance(ws, ReadOnlyWorksheet):  # a .csv or .xls read into a workbook
        ranges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        hidden = {int(r) for r, dim in ws.row_dimensions.items() if dim.hidden}
        # one column each (`_xls_workbook` hides them one by one)
        cols = {parse_ref(f"{letter}1")[1]  # type: ignore[index]
                for letter, dim in ws.column_dimensions.items() if dim.hidden}
        return [(c.row, c.column, c.value, c.number_format)
                for c in ws._cells.values()], ranges, hidden, cols
    try:
        with openpyxl_quiet():
            return _stream(wb, ws)
    except Exception as exc:  # untrusted input: any parser failure is one line
        raise _invalid(wb._luoshi_path, exc) from None


def _stream(wb: Any, ws: Any) -> tuple[Cells, Ranges, set[int], set[int]]:
    """An .xlsx sheet streamed with openpyxl's own sheet parser (as its read-only rows
    are, without their padding): values, dates and number formats as a full load
    reads them, and only the cells the sheet holds."""
    openpyxl_ready()
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.worksheet.cell_range import CellRange

    escaped = wb._luoshi_escaped.get(ws.title, ())
    out: Cells = []
    styles: dict[int, str] = {}  # style id → number format, as a cell of that style has it
    with wb._archive.open(ws._worksheet_path) as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats,
                                 timedelta_formats=wb._timedelta_formats)
        for _, row in parser.parse():
            for cell in row:
                value = cell["value"]
                if value is None:
                    continue
                if (cell["row"], cell["column"]) in escaped and cell["data_type"] == "s" \
                        and isinstance(value, str):
                    # what Excel shows (`_x005F_x003D_` is `_x003D_`): openpyxl leaves an
                    # inline string's escapes as written
                    value = ooxml_unescape(value)
                style = cell["style_id"]
                if style not in styles:
                    styles[style] = ReadOnlyCell(ws, 1, 1, None, style_id=style).number_format
                out.append((cell["row"], cell["column"], value, styles[style]))
        merges = parser.merged_cells.mergeCell if parser.merged_cells else []
        hidden = {int(r) for r, attrs in parser.row_dimensions.items()
                  if str(attrs.get("hidden", "")).lower() in ("1", "true") and r.isdigit()}
        cols: set[int] = set()
        for attrs in parser.column_dimensions.values():
            low, high = attrs.get("min", ""), attrs.get("max", attrs.get("min", ""))
            if str(attrs.get("hidden", "")).lower() in ("1", "true") \
                    and low.isdigit() and high.isdigit():
                cols.update(range(int(low), min(int(high), MAX_COLS) + 1))
    ranges: Ranges = []
    covered: set[tuple[int, int]] = set()
    for merge in merges:
        min_col, min_row, max_col, max_row = CellRange(merge.ref).bounds
        ranges.append((min_row, min_col, max_row, max_col))
        covered.update((r, c) for r in range(min_row, max_row + 1)
                       for c in range(min_col, max_col + 1) if (r, c) != (min_row, min_col))
    if covered:
        out = [cell for cell in out if (cell[0], cell[1]) not in covered]
    return out, ranges, hidden, cols


def _comments(wb: Any, ws: Any) -> list[tuple[int, int, str]]:
    """The comments (批注) of an .xlsx sheet, as openpyxl's full load finds them (the
    sheet's relationships part names its comments part); read-only loading skips
    them.  The parts passed the guard's scan (no DTD, every limit)."""
    openpyxl_ready()
    from openpyxl.comments.comment_sheet import CommentSheet
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.constants import COMMENTS_NS
    from openpyxl.xml.functions import fromstring

    if not isinstance(ws, ReadOnlyWorksheet):
        return []
    try:
        archive = wb._archive
        rels_path = get_rels_path(ws._worksheet_path)
        if rels_path not in archive.namelist():
            return []
        out: list[tuple[int, int, str]] = []
        for rel in get_dependents(archive, rels_path).find(COMMENTS_NS):
            sheet = CommentSheet.from_tree(fromstring(archive.read(rel.target)))
            for ref, comment in sheet.comments:
                at = parse_ref(ref)
                text = (comment.text or "").strip()
                if at is not None and text:
                    out.append((at[0], at[1], text))
        return sorted(out)
    except Exception as exc:  # untrusted input: any parser failure is one line
        raise _invalid(wb._luoshi_path, exc) from None


def _hyperlinks(wb: Any, ws: Any) -> list[tuple[int, int, str]]:
    """The hyperlinks of an .xlsx sheet: (row, column, address) — the address of an
    external link from the sheet's relationships, `#Sheet!A1` for a link inside the
    workbook.  Read-only loading skips them; the sheet's XML is read again only when
    it holds the word "hyperlink" at all, so a sheet without links costs one search.
    The parts passed the guard's scan (no DTD, every limit); nothing is followed."""
    openpyxl_ready()
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.constants import REL_NS, SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    if not isinstance(ws, ReadOnlyWorksheet):
        return []
    try:
        archive = wb._archive
        data = archive.read(ws._worksheet_path)
        if b"hyperlink" not in data:
            return []
        rels_path = get_rels_path(ws._worksheet_path)
        targets: dict[str, str] = {}
        if rels_path in archive.namelist():
            deps = get_dependents(archive, rels_path)
            # openpyxl 3.1.2 (the lowest pin) iterates its list of relationships as
            # nothing: they are in `.Relationship` there (later versions iterate them)
            listed = getattr(deps, "Relationship", None)
            for rel in (listed if listed is not None else deps):
                if rel.Id and rel.Target:
                    targets[rel.Id] = rel.Target
        tag = f"{{{SHEET_MAIN_NS}}}hyperlink"
        rid = f"{{{REL_NS}}}id"
        out: list[tuple[int, int, str]] = []
        for _, el in iterparse(io.BytesIO(data)):
            if el.tag == tag:
                at = parse_ref((el.get("ref") or "").split(":")[0])
                target = targets.get(el.get(rid) or "", "")
                if el.get("location"):
                    target += "#" + (el.get("location") or "")
                if at is not None and target:
                    out.append((at[0], at[1], target))
            elif el.tag.endswith("}row"):
                el.clear()  # a long sheet's cells are not kept
        return sorted(out)
    except Exception as exc:  # untrusted input: any parser failure is one line
        raise _invalid(wb._luoshi_path, exc) from None


def unjoined_problems(grid: Grid) -> list[tuple[str, L]]:
    """One problem per 任务明细 row that joins no row of the task sheet (`join_details`):
    what the office wrote there would otherwise be read by nobody."""
    return list(grid.unjoined)


def _unjoined(ident: str) -> L:
    return L(f"“任务明细”中的编号 {printable(ident)} 在“任务台账”表中没有对应行，此行不会被读取："
             "请在任务台账中补上这一行，或删去此行",
             f"ID {printable(ident)} on the task details sheet has no row on the task "
             "sheet, so this row would not be read: add the task's row to the task "
             "sheet, or delete this row")


def _doubled(ident: str, first: str) -> L:
    return L(f"“任务明细”中的编号 {printable(ident)} 重复（第一次在 {first}）：只有一行会被读取；"
             "请合并为一行，删去另一行",
             f"ID {printable(ident)} is on the task details sheet twice (first at {first}): "
             "only one row would be read; merge them into one row and delete the other")


def _no_details(ident: Any, number_format: str = "General") -> L:
    shown = shown_id(ident, number_format)
    return L(f"“任务台账”中的编号 {shown} 在“任务明细”表中没有对应行：此任务的类别、完成标准、"
             f"节点等各列无从读取；请在任务明细中补上编号为 {shown} 的行，或改正写错的编号",
             f"ID {shown} on the task sheet has no row on the task details sheet, "
             "so the task's category, standard, milestones and the other details cannot be "
             f"read: add a row with ID {shown} to the task details sheet, or "
             "correct a mistyped ID")


def shown_id(value: Any, number_format: str = "General") -> str:
    """An 编号 cell (or a header) as the importers show a cell in a message: as Excel shows it
    (TRUE, 2021-01-02, not True or 2021-01-02 00:00:00), printable, at most 30
    characters."""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, str):
        text = value.strip()
    else:
        text = typed_text(value, number_format)[0]
    return clipped(text)


def clipped(text: str) -> str:
    """A cell's text as a message quotes it: printable, at most 30 characters (the
    importers' `_short`, each after its own reading of the cell)."""
    text = printable(text)
    return text if len(text) <= 30 else text[:30] + "…"


#: a 任务明细 row with values but no 编号
_NO_ID = L("“任务明细”中此行没有编号，不会被读取：请填上它在“任务台账”表中的编号，或删去此行",
           "this row of the task details sheet has no ID, so it would not be read: write "
           "the ID of its row on the task sheet, or delete this row")


def join_details(grid: Grid, details: Grid) -> Grid:
    """`export` prints a task sheet of the columns an office reads (编号, 任务名称,
    牵头单位 … 亮灯) and keeps the rest of each task (类别, 完成标准, the milestones,
    最新进展 …) on a 任务明细 sheet.  Its columns are laid after the task sheet's, each
    value on the row of the task with its 编号, so the importers read one sheet as they
    did before the split; a joined cell is still named by its own sheet and cell.
    Columns the task sheet already has (编号, 任务名称) are read from the task sheet.
    A sheet that is no task sheet (no 编号, 任务名称 and 牵头单位 header: 汇总, 得分 …),
    or one that shares no 编号 with the details: the sheet as it is."""
    head = find_header(grid, "id")
    dhead = find_header(details, "id")
    if (head is None or dhead is None
            or not {"id", "title", "lead"} <= set(head.fields.values())):
        return grid
    id_col, did_col = head.col("id"), dhead.col("id")
    assert id_col is not None and did_col is not None
    rows: dict[str, int] = {}
    for r in range(head.last_row + 1, grid.max_row + 1):
        ident = grid.get(r, id_col)
        if ident is not None:
            rows.setdefault(str(ident), r)
    # each 任务明细 row joins the task row of its 编号 — the first row of an 编号 only;
    # a second row of it, or a row without one, joins nothing and is refused
    joins: dict[int, int] = {}
    firsts: dict[str, int] = {}
    unjoined: list[tuple[str, L]] = []
    for dr in range(dhead.last_row + 1, details.max_row + 1):
        ident = details.get(dr, did_col)
        if ident is None:
            if any((dr, dc) in details.values for dc in range(1, details.max_col + 1)):
                unjoined.append((details.ref(dr, did_col), _NO_ID))
        elif str(ident) in firsts:
            unjoined.append((details.ref(dr, did_col),
                             _doubled(str(ident), details.ref(firsts[str(ident)], did_col))))
        else:
            firsts[str(ident)] = dr
            if str(ident) in rows:
                joins[dr] = rows[str(ident)]
            else:
                unjoined.append((details.ref(dr, did_col), _unjoined(str(ident))))
    have = {f for f in head.fields.values()} | {norm(t) for t in head.texts.values()}
    values, formats = dict(grid.values), dict(grid.formats)
    moved = dict(grid.moved)
    col = grid.max_col
    shadowed: list[tuple[str, Any, str | None, Any]] = []
    dcols: dict[int, int] = {}  # a joined column of 任务明细 → its column here
    for dc in range(1, details.max_col + 1):
        text = dhead.texts.get(dc)
        if text is None or dhead.fields.get(dc) in have or norm(text) in have:
            # read from the task sheet (or from nowhere): a cell here that says
            # something else is named, never dropped without a word
            tc = None if text is None else next(
                (c for c, t in sorted(head.texts.items())
                 if head.fields.get(c, "") == dhead.fields.get(dc, None) or norm(t) == norm(text)),
                None)
            for dr, at in sorted(joins.items()):
                dv = details.get(dr, dc)
                if dv is None:
                    continue
                if tc is None:
                    shadowed.append((details.ref(dr, dc), dv, None, None))
                    continue
                tv = grid.get(at, tc)
                if not _same_value(dv, tv):
                    shadowed.append((details.ref(dr, dc), dv, grid.ref(at, tc), tv))
            continue
        col += 1
        dcols[dc] = col
        values[(head.first_row, col)] = text
        moved[(head.first_row, col)] = details.ref(dhead.first_row, dc)
        for dr, at in joins.items():
            moved[(at, col)] = details.ref(dr, dc)
            if (dr, dc) in details.values:
                values[(at, col)] = details.values[(dr, dc)]
                formats[(at, col)] = details.fmt(dr, dc)
    if not any(r != head.first_row for r, _ in moved):
        return grid  # not one task in common: not this sheet's details
    # 任务明细's merges over several rows below its header, in the joined columns: its
    # value was copied into each row's cell, which the task rows joined take
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell, top in details.merged_from.items():
        spans.setdefault(top, [top]).append(cell)
    tall_joined: dict[tuple[int, int], str] = {}
    for cells in spans.values():
        drows, dcs = [r for r, _c in cells], [c for _r, c in cells]
        if min(drows) == max(drows) or max(drows) <= dhead.last_row:
            continue
        rng = (f"{quote_sheet(details.name)}!{col_letter(min(dcs))}{min(drows)}:"
               f"{col_letter(max(dcs))}{max(drows)}")
        tall_joined.update({(joins[dr], dcols[dc]): rng for dr, dc in cells
                            if dr in joins and dc in dcols})
    # a task row that no 任务明细 row joins (its 编号 is not there, was mistyped there,
    # or is the second row of an 编号 here) has no cell in the joined columns: a
    # message about one names the row — it named this sheet's cell of the joined
    # column (任务台账!K5), which holds nothing.  A task's row (an 编号 and a title:
    # no 合计 row, section heading or repeated header, none hidden) that joins no
    # details row is refused at its 编号 (its second row is the importers' to name)
    joined = set(range(grid.max_col + 1, col + 1))
    bare = {r for r in grid.filled_rows() if r > head.last_row} - set(joins.values())
    title_col = head.col("title")
    assert title_col is not None
    no_details: dict[int, tuple[str, L]] = {}
    for r in sorted(bare):
        for c in joined:
            moved[(r, c)] = grid.ref(r)
        ident, title = grid.get(r, id_col), grid.get(r, title_col)
        if (ident is not None and rows.get(str(ident)) == r and title is not None
                and norm(title) not in (norm(ident), norm(head.texts.get(title_col, "")))
                and r not in grid.hidden_rows and not is_total(grid.row(r))):
            no_details[r] = (grid.ref(r, id_col), _no_details(ident, grid.fmt(r, id_col)))
            unjoined.append(no_details[r])
    # a hidden 任务明细 hides the cells joined from it (the milestones' done dates, the
    # latest report): the joined sheet counts as hidden
    # a task row whose 任务明细 row is hidden is hidden in part: counted as hidden
    hidden_rows = grid.hidden_rows | {at for dr, at in joins.items() if dr in details.hidden_rows}
    return Grid(grid.name, values, formats, max(grid.max_row, head.first_row), col,
                set(grid.wide), moved, unjoined, hidden=grid.hidden or details.hidden,
                controls=grid.controls + details.controls,
                formulas=grid.formulas + details.formulas,
                comments=grid.comments + details.comments, links=grid.links + details.links,
                hidden_rows=hidden_rows,
                hidden_cols=grid.hidden_cols + details.hidden_cols,
                merged_from=dict(grid.merged_from), shadowed=shadowed, bare=bare,
                no_details=no_details, joined=joined, tall_joined=tall_joined)


def _same_value(a: Any, b: Any) -> bool:
    """Whether two cells say the same (a date and its datetime, 3 and 3.0, text
    around spaces aside)."""
    if a == b:
        return True
    return b is not None and str(a).strip() == str(b).strip()


@dataclass
class Header:
    """Where the header is and what each column holds."""

    first_row: int
    last_row: int
    #: column -> field (only recognised columns)
    fields: dict[int, str]
    #: column -> the header text as written ("完成时限/序时节点")
    texts: dict[int, str]

    def col(self, fld: str) -> int | None:
        for c, f in self.fields.items():
            if f == fld:
                return c
        return None


def header_text(grid: Grid, col: int, first: int, last: int) -> str:
    parts: list[str] = []
    for r in range(first, last + 1):
        v = grid.get(r, col)
        if v is not None and str(v).strip() and str(v).strip() not in parts:
            parts.append(str(v).strip())
    return "/".join(parts)


def _score(grid: Grid, row: int, must: str) -> int:
    found = {field_of(grid.get(row, c)) for c in range(1, grid.max_col + 1)}
    found.discard(None)
    return len(found) if must in found else 0


def find_header(grid: Grid, must: str, explicit: dict[str, list[str]] | None = None,
                row: int | None = None) -> Header | None:
    """The header rows and the field of each column.

    The header is the row (among the first `HEADER_SCAN`) naming the most known
    fields, one of which must be `must`; the next row belongs to it when it holds
    only sub-headers (序时节点 / 最终时限) or repeats of vertically merged cells.
    `explicit` (from --map) names headers directly: field -> header texts.
    """
    explicit = explicit or {}
    wanted = {norm(t): f for f, texts in explicit.items() for t in texts}
    if row is None:
        best, best_row = 0, 0
        for r in range(1, min(grid.max_row, HEADER_SCAN) + 1):
            s = _score(grid, r, must)
            s += sum(1 for c in range(1, grid.max_col + 1)
                     if grid.get(r, c) is not None and norm(grid.get(r, c)) in wanted)
            if s > best:
                best, best_row = s, r
        if best < 2:
            return None
        row = best_row
    last = row
    nxt = row + 1
    if nxt <= grid.max_row:
        cells = [(c, grid.get(nxt, c)) for c in range(1, grid.max_col + 1)]
        filled = [(c, v) for c, v in cells if v is not None]
        repeats = [c for c, v in filled if v == grid.get(row, c)]
        subs = [c for c, v in filled if v != grid.get(row, c)
                and (is_header_word(v) or norm(v) in wanted)]
        if subs and len(repeats) + len(subs) == len(filled):
            last = nxt
    fields: dict[int, str] = {}
    texts: dict[int, str] = {}
    for c in range(1, grid.max_col + 1):
        text = header_text(grid, c, row, last)
        if not text:
            continue
        texts[c] = text
        parent = grid.get(row, c)
        child = grid.get(last, c) if last > row else None
        if parent is None and child is not None:
            # an unmerged parent: the nearest header to the left that has sub-headers
            for left in range(c - 1, 0, -1):
                if grid.get(row, left) is not None:
                    parent = grid.get(row, left) if grid.get(last, left) is not None else None
                    break
        if child == parent:
            child = None
        explicit_hit = next((wanted[k] for k in (norm(text), norm(child or ""), norm(parent or ""))
                             if k and k in wanted), None)
        fld = explicit_hit or (sub_field(parent, child) if child is not None
                               else field_of(parent))
        if fld is not None:
            fields[c] = fld
    return Header(row, last, fields, texts)


def above_header(grid: Grid, header: int,
                 own: Callable[[int, int, Any], bool]) -> list[tuple[int, int, Any]]:
    """(row, column, value) of each filled cell above the header row `header` that
    `own` does not claim (a title, the upper rows of a two-row header, luoshi's own
    marks): words no import reads, which it names (`ABOVE_HEADER`)."""
    def header_cell(r: int, c: int) -> bool:  # merged down into the header row
        top = grid.merged_from.get((r, c), (r, c))
        return grid.merged_from.get((header, c)) == top

    # the upper row of a two-row header, when the header found is its lower row (the
    # cells merged down repeat into it, so it names more fields): a row with a cell
    # merged down into the header row.  Its cells over a filled header cell are parents
    # (完成时限 merged over 序时节点 / 最终时限, 评分项目 over the components): the
    # header's, not text above it (they were named as content not imported)
    upper = header - 1 if header > 1 and any(
        header_cell(header - 1, c) for c in range(1, grid.max_col + 1)) else 0

    def parent(r: int, c: int) -> bool:
        return r == upper and grid.get(header, c) is not None

    return [(r, c, v) for r in range(1, min(header, grid.max_row + 1))
            for c in range(1, grid.max_col + 1)
            if (v := grid.get(r, c)) is not None and not header_cell(r, c)
            and not parent(r, c) and not own(r, c, v)]


def is_title(grid: Grid, r: int, c: int) -> bool:
    """Whether the cell is a title above a header: the first filled cell of its row, or
    a cell of the range merged from it (a title spanning the table).  A sheet's title
    (2024年重点任务台账) is no content to import, and naming it would be noise; what
    else the row holds (填报人：王某 beside it) is named."""
    first = next((k for k in range(1, grid.max_col + 1) if grid.get(r, k) is not None), None)
    if first is None:
        return False
    top = grid.merged_from.get((r, c), (r, c))
    return top == grid.merged_from.get((r, first), (r, first))


def is_blank(values: list[Any]) -> bool:
    return all(v is None for v in values)


#: what a total row says, whole, once `norm`ed (小计： and 总计（万元） are 小计 and 总计)
TOTAL_LABELS = frozenset({"合计", "小计", "总计", "共计", "总合计", "累计", "平均", "平均分",
                          "平均值", "total", "subtotal", "grandtotal", "sum", "average"})


def is_total(values: list[Any]) -> bool:
    """A 合计/小计/总计/平均 row: one of its first three filled cells says so, whole.
    A cell merely starting with the word is a task or a unit (平均办理时限压缩至3天,
    总计划投资完成50亿元): matched by prefix, such rows were dropped without a word."""
    firsts = [v for v in values if v is not None][:3]
    return any(isinstance(v, str) and norm(v) in TOTAL_LABELS for v in firsts)


def _too_long(text: str) -> bool:
    """Whether a cell's text is longer than an Excel cell holds (`STR_MAX` UTF-16
    units; a text of more characters than that is, whatever they are)."""
    return len(text) > STR_MAX or _TOO_LONG(
        text, text, lambda: len(text.encode("utf-16-le", "surrogatepass")) // 2 > STR_MAX)


def _illegal(text: str, illegal: re.Pattern[str]) -> bool:
    """Whether a cell's text holds a control character no reader sees (`illegal`:
    openpyxl's ILLEGAL_CHARACTERS_RE, the same pattern every call)."""
    return _ILLEGAL(text, text, lambda: illegal.search(text) is not None)


#: `_too_long` and `_illegal` per text (`memo.TextMemo`): one shared string of 32,000
#: characters in thousands of cells was searched in each
_TOO_LONG: TextMemo[bool] = TextMemo()
_ILLEGAL: TextMemo[bool] = TextMemo()


def _overlong(wb: Any, sheet: str, row: int, col: int, text: str) -> SheetError:
    """A cell longer than Excel's limit: no spreadsheet saved it.  200 cells pointing to
    one 50 MB shared string (53 KB zipped) kept `import tasks` busy for minutes, every
    header word looked for in every cell; refused at the first such cell, before any
    cell is read as a header or a value."""
    # (a workbook not opened by `open_workbook`: a program's own, named by its sheet)
    path = getattr(wb, "_luoshi_path", None)
    ref = f"{quote_sheet(sheet)}!{col_letter(col)}{row}"
    if path is None:
        return SheetError(L(f"{ref}：单元格有 {len(text)} 个字符，超过 Excel 单元格的上限（{STR_MAX} 个）",
                            f"{ref}: the cell holds {len(text)} characters, more than an "
                            f"Excel cell can ({STR_MAX})"))
    return SheetError(L(
        f"{path} {ref}：单元格有 {len(text)} 个字符，超过 Excel 单元格的上限（{STR_MAX} 个）："
        "这不是 Excel/WPS 保存的工作簿，拒绝导入",
        f"{path} {ref}: the cell holds {len(text)} characters, more than an Excel cell can "
        f"({STR_MAX}): no workbook Excel or WPS saved; refused"))


def _too_many(path: Path) -> SheetError:
    """The refusal of a .xls or .csv with more cells than `excel.guard` lets an .xlsx
    have (its words)."""
    return SheetError(L(f"{path} 过大，拒绝导入：各工作表共有超过 {MAX_CELLS} 个单元格（上限 {MAX_CELLS} 个）"
                        "：请拆分后分别导入",
                        f"{path} is too large to import: its sheets hold more than {MAX_CELLS} "
                        f"cells (limit {MAX_CELLS}): split it and import the parts"))


def _too_large(path: Path) -> SheetError:
    """The refusal of a .xls or .csv with more rows or columns than `excel.guard` lets
    an .xlsx have."""
    return SheetError(L(f"{path} 太大，无法导入（上限 {MAX_ROWS} 行 × {MAX_COLS} 列）",
                        f"{path} is too large to import (limit {MAX_ROWS} rows × "
                        f"{MAX_COLS} columns)"))
