"""Damaged and oversized workbooks the sheets audit found (REFERENCE "Untrusted
workbooks": one line, exit 2, in seconds):

- an .xls cut short (a mail attachment) or with a few bytes changed made
  python-calamine panic: pyo3's PanicException is a BaseException, so neither the
  reader's nor the last catch-all caught it — Rust's panic message, a stack of 80
  frames with RUST_BACKTRACE=1, a Python traceback, exit 1;
- an .xls with one cell record moved to column 65535: python-calamine asked for
  92 GB for the sheet's dense grid and the process died by SIGABRT (exit 134, not a
  word); at IV65536 (legal BIFF8) the refusal came after 4.5 s and 1.1 GB;
- an .xlsx of 4,000,000 `<row r="N" ht="15" customHeight="1"/>` elements took 70 s
  and 2 GB before it was accepted: only cells were held to `MAX_ROWS`;
- an .xlsx whose deflate stream is damaged: "internal error … please report it"."""

from __future__ import annotations

import os
import shutil
import struct
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from test_excel_hostile import rewrite, run
from test_excel_import import ledger  # noqa: F401  (fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "excel"
#: xlwt's, with a title, a header and three tasks (`test_import_limits`)
CELLS = FIXTURES / "xls-cells.xls"


def one_line(code: int, err: str, line: str) -> None:
    assert (code, err) == (2, f"luoshi: {line}\n")


def args(command: str, book: Path, tasks: Path, example: Path) -> list[Any]:
    """`luoshi import COMMAND` of the book, as each command takes it (scores: into
    the example ledger, which has a scheme)."""
    if command == "updates":
        return ["import", "updates", book, "--ledger", tasks, "--lang", "en"]
    if command == "scores":
        return ["import", "scores", book, example, "--period", "2021-Q2", "--lang", "en"]
    return ["import", command, book, tasks, "--lang", "en"]


@pytest.mark.parametrize("command", ["tasks", "updates", "scores"])
def test_an_xls_cut_short_is_refused_in_one_line(command: str, ledger: Path,  # noqa: F811
                                                 example: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The first 4,608 bytes of xls-cells.xls: python-calamine panics (index out of
    bounds).  With RUST_BACKTRACE=1, nothing of Rust's panic hook reaches stderr."""
    monkeypatch.setenv("RUST_BACKTRACE", "1")
    book = tmp_path / "cut.xls"
    book.write_bytes(CELLS.read_bytes()[:4608])
    code, err, _ = run(*args(command, book, ledger, example))
    one_line(code, err, f"cannot read {book}: not a valid .xls file (PanicException)")


def far_cell(src: Path, dst: Path, row: int, col: int) -> Path:
    """A copy of the .xls with its first LABELSST record (a text cell) moved."""
    data = bytearray(src.read_bytes())
    at = data.find(b"\xfd\x00\x0a\x00")  # LABELSST, 10 bytes: row, column, XF, string
    assert at > 0
    struct.pack_into("<HH", data, at + 4, row, col)
    dst.write_bytes(data)
    return dst


@pytest.mark.parametrize("command", ["tasks", "updates", "scores"])
@pytest.mark.parametrize(("row", "col"), [(65535, 65535), (65535, 255), (0, 200)])
def test_an_xls_cell_beyond_the_limits_is_refused_before_python_calamine_reads_it(
        command: str, row: int, col: int, ledger: Path, example: Path,  # noqa: F811
        tmp_path: Path) -> None:
    """One text cell moved to row and column 65535 (damaged), to IV65536 (legal BIFF8) or to
    column 201: refused from the cell records, before python-calamine makes its
    grid, in a child process capped at 1 GB (old: SIGABRT; 1.1 GB, 4.5 s; refused)."""
    book = far_cell(CELLS, tmp_path / "far.xls", row, col)
    code, err, _ = run(*args(command, book, ledger, example))
    one_line(code, err, f"{book} is too large to import (limit 100000 rows × 200 columns)")


def dimensions(src: Path, dst: Path, rows: int, cols: int, first: int = 0) -> Path:
    """A copy of the .xls whose sheet declares rows `first` to `rows` × columns used
    (DIMENSIONS)."""
    data = bytearray(src.read_bytes())
    at = data.find(b"\x00\x02\x0e\x00")  # DIMENSIONS, 14 bytes: rows (u32), columns (u16)
    assert at > 0
    struct.pack_into("<IIHH", data, at + 4, first, rows, 0, cols)
    dst.write_bytes(data)
    return dst


def test_an_xls_declaring_more_rows_than_biff8_holds_is_refused(ledger: Path,  # noqa: F811
                                                                tmp_path: Path) -> None:
    """The audit's fuzz f4_148.xls: DIMENSIONS says rows up to 889,192,451 — python-
    calamine reserved 284 GB by it and the process died by SIGABRT."""
    book = dimensions(CELLS, tmp_path / "dims.xls", 0x35000003, 8)
    code, err, _ = run(*args("tasks", book, ledger, ledger))
    one_line(code, err, f"{book} is too large to import (limit 100000 rows × 200 columns)")
    # fuzz f12_129.xls: the first row after the last (0xFF000000 to 255)
    book = dimensions(CELLS, tmp_path / "wrap.xls", 255, 8, first=0xFF000000)
    code, err, _ = run(*args("tasks", book, ledger, ledger))
    one_line(code, err, f"{book} is too large to import (limit 100000 rows × 200 columns)")


def test_an_xls_declaring_the_whole_biff8_sheet_is_read(cli: Any, ledger: Path,  # noqa: F811
                                                        tmp_path: Path) -> None:
    """A sheet whose declared range is all BIFF8 holds (65,536 × 256: a formatted blank
    cell far out) is no damaged file: DIMENSIONS is no cell."""
    book = dimensions(CELLS, tmp_path / "all.xls", 65536, 256)
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr


def test_an_xls_cell_inside_the_limits_is_read(cli: Any, ledger: Path,  # noqa: F811
                                               tmp_path: Path) -> None:
    """The check reads the records as python-calamine does: a cell moved to the last
    row an .xls has and the last column a sheet may use is read (and the import goes
    on to judge it)."""
    book = far_cell(CELLS, tmp_path / "near.xls", 65_535, 199)
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert "too large" not in r.stderr and "过大" not in r.stderr and "太大" not in r.stderr


def base(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["单位", "hotline"])
    ws.append(["崇业路街道", 88])
    wb.save(path)
    return path


def with_rows(tmp_path: Path, rows: str) -> Path:
    """The score sheet with `rows` (row elements without cells) after its two rows."""
    return rewrite(base(tmp_path / "base.xlsx"), tmp_path / "rows.xlsx", {
        "xl/worksheets/sheet1.xml": lambda x: x.replace("</sheetData>", rows + "</sheetData>")})


def test_a_row_element_beyond_the_rows_a_sheet_may_use_is_refused(
        cli: Any, example: Path, tmp_path: Path) -> None:
    """A row with a height and no cell at row 100,001 is refused by the guard's scan as
    a cell there is (openpyxl keeps every such row)."""
    book = with_rows(tmp_path, '<row r="100001" ht="15" customHeight="1"/>')
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: {book} is too large to import: sheet '得分' has row 100001 (limit "
           "100000 rows × 200 columns)\n")


def test_more_row_elements_than_rows_a_sheet_may_use_are_refused(
        cli: Any, example: Path, tmp_path: Path) -> None:
    """100,001 row elements, each naming row 3: more than a sheet of 100,000 rows
    holds, refused while the part streams by (the audit's 4,000,000 took 70 s and
    2 GB before the import went on)."""
    book = with_rows(tmp_path, '<row r="3" ht="15" customHeight="1"/>' * 100_001)
    r = cli("import", "scores", book, example, "--period", "2021-Q2")
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: {book} 过大，拒绝导入：工作表“得分”有超过 100000 行（上限 100000 行 × 200 列）\n")


def test_an_xlsx_with_a_damaged_deflate_stream_is_a_damaged_archive(
        cli: Any, example: Path, tmp_path: Path) -> None:
    """The sheet part's deflate stream starts with a reserved block type: zlib.error,
    read by the guard's scan, was an internal error."""
    book = shutil.copy(base(tmp_path / "base.xlsx"), tmp_path / "bad.xlsx")
    with zipfile.ZipFile(book) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(Path(book).read_bytes())
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    data[info.header_offset + 30 + name_len + extra_len] = 0xFF  # BFINAL 1, BTYPE 11
    Path(book).write_bytes(data)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: cannot read {book}: not a valid .xlsx file (error: Error -3 while "
           "decompressing data: invalid block type)\n")


def test_no_temporary_file_leaves_nothing_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Holding python-calamine's stderr back needs a temporary file; without one (a full
    or read-only temporary directory) the workbook is read as it is, and neither the
    fault handler nor a descriptor is left behind (review: it stayed on, one descriptor
    leaked, and the file was called "not a valid .xls")."""
    import faulthandler
    import tempfile

    from luoshi_cli.excel import sheet

    def no_tmp(*_a: object, **_k: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_tmp)
    was = faulthandler.is_enabled()
    fds = len(os.listdir("/proc/self/fd"))
    book = sheet._xls_workbook(FIXTURES / "xls-cells.xls")
    assert book.sheetnames
    assert (faulthandler.is_enabled(), len(os.listdir("/proc/self/fd"))) == (was, fds)


def test_python_calamine_reads_the_bytes_that_were_vetted(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The extent check reads the file's bytes; python-calamine then read the file
    again by its path, so a workbook replaced between the two reads (another
    process, a sync client) was read unchecked — a file cut short or with a cell at
    column 65535 aborts the process.  Now python-calamine is given the vetted bytes.
    Here the book (one sheet, 任务表) is swapped for a two-sheet one (旧表, 任务表)
    right after the check: the workbook read is still the one checked."""
    from luoshi_cli.excel import biff
    from luoshi_cli.excel.sheet import _xls_workbook

    book = tmp_path / "book.xls"
    shutil.copyfile(CELLS, book)
    real = biff.read_extent

    def check_then_swap(data: bytes) -> Any:
        extent = real(data)
        shutil.copyfile(FIXTURES / "hidden-first.xls", book)
        return extent

    monkeypatch.setattr(biff, "read_extent", check_then_swap)
    assert _xls_workbook(book).sheetnames == ["任务表"]


def test_openpyxl_loads_the_bytes_the_guard_checked(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    """The guard (`check_workbook`: zip bombs, DTDs, giant ranges) read the .xlsx by
    its name, and openpyxl then loaded it by its name again: a workbook replaced in
    between was loaded unchecked.  Now both read one copy of the bytes.  Here the
    book (sheet 甲) is replaced by another (sheet 乙) right after the check: the
    workbook loaded is the one checked."""
    from luoshi_cli.excel import sheet

    def book(path: Path, title: str) -> Path:
        wb = openpyxl.Workbook()
        wb.active.title = title
        wb.save(path)
        return path

    checked = book(tmp_path / "book.xlsx", "甲")
    other = book(tmp_path / "other.xlsx", "乙")
    real = sheet.check_workbook

    def check_then_swap(*args: Any) -> Any:
        result = real(*args)
        shutil.copyfile(other, checked)
        return result

    monkeypatch.setattr(sheet, "check_workbook", check_then_swap)
    sheet._opened.cache_clear()
    assert sheet.open_workbook(checked).sheetnames == ["甲"]
