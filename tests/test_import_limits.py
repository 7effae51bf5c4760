"""The limits of an untrusted workbook hold in every format and stop an import in
seconds (REFERENCE "Untrusted workbooks"), found by the import audit:

- 200 cells pointing to one 50 MB shared string (53 KB zipped, under the 256 MB part
  limit) kept `import tasks` busy for more than 300 s: every cell of the first 30 rows
  was normalised and searched for ~200 header words.  No cell longer than an Excel
  cell holds (32,767 characters) comes from Excel: refused at the cell, in every
  reader; and a cell longer than a header is never read as one.
- a .csv or .xls was held to the file size and the rows × columns only, never to the
  1,000,000 cells of an .xlsx: a 12 MB CSV of 6 million cells took 92 s and 4.5 GB."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from test_excel_hostile import run
from test_excel_import import ledger  # noqa: F401  (fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "excel"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def shared_string_book(path: Path, chars: int, rows: int, cols: int) -> Path:
    """A minimal .xlsx whose rows × cols cells all point to one shared string of
    `chars` characters (the audit's bigshared workbook, smaller)."""
    letters = [chr(65 + c) for c in range(cols)]
    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{x}{r}" t="s"><v>0</v></c>'
                                               for x in letters) + "</row>"
                    for r in range(1, rows + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType='
                   '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
                   '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
                   'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
                   'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+'
                   'xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="'
                   'application/vnd.openxmlformats-officedocument.spreadsheetml.'
                   'sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
                   '<sheet name="任务表" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
                   f'Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                   "</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml",
                   f'<worksheet xmlns="{NS}"><sheetData>{cells}</sheetData></worksheet>')
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{NS}" count="1" uniqueCount="1">'
                   f"<si><t>{'a' * chars}</t></si></sst>")
    return path


@pytest.mark.parametrize("command", [
    ("import", "tasks", "{book}", "{ledger}", "-o", "{ledger}/tasks/x.yaml"),
    ("import", "updates", "{book}", "--ledger", "{ledger}", "--month", "2021-06", "--dry-run"),
    ("import", "scores", "{book}", "{ledger}", "--period", "2021-Q3", "--dry-run"),
])
def test_a_cell_longer_than_a_cell_holds_is_refused_in_seconds(
        example: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    """200 cells of one 8 MB shared string (a few KB zipped): refused at the first
    cell, exit 2, in seconds and bounded memory (it hung: minutes per import)."""
    book = shared_string_book(tmp_path / "big.xlsx", 8 * 2**20, 10, 20)
    assert book.stat().st_size < 20_000
    code, err, took = run(*(a.format(book=book, ledger=example) for a in command),
                          "--lang", "en", limit_mb=1024)
    assert (code, err) == (2, f"luoshi: {book} 任务表!A1: the cell holds 8388608 characters, "
                              "more than an Excel cell can (32767): no workbook Excel or WPS "
                              "saved; refused\n")
    assert took < 10


def test_a_csv_cell_longer_than_a_cell_holds_is_refused(cli: Any, ledger: Path,  # noqa: F811
                                                        tmp_path: Path) -> None:
    """The same limit in a .csv (the .xls reader shares it: every format's cells pass
    `read_grid`)."""
    book = tmp_path / "台账.csv"
    book.write_text("任务名称,牵头单位,完成时限\n推进,区发改委,2024-12-31\n" + "x," * 2
                    + "y" * 32768 + "\n", encoding="utf-8")
    r = cli("import", "tasks", book, ledger, "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {book} 台账!C3: the cell holds 32768 "
                                          "characters, more than an Excel cell can (32767): "
                                          "no workbook Excel or WPS saved; refused\n")


def test_a_cell_as_long_as_a_cell_holds_is_read(cli: Any, ledger: Path,  # noqa: F811
                                                tmp_path: Path) -> None:
    """32,767 characters fit a cell: read, not refused (a standard that long is
    imported whole)."""
    book = tmp_path / "台账.csv"
    book.write_text("任务名称,牵头单位,包抓领导,完成时限,完成标准\n推进,区发改委,张某某,2024-12-31,"
                    + "标" * 32767 + "\n", encoding="utf-8")
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert ("标" * 32767) in (ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8")


def test_a_cell_longer_than_any_header_is_never_one() -> None:
    """A header is a few dozen characters: a task's text that contains 牵头单位 is no
    header (each long cell of the first 30 rows was searched for every header word)."""
    from luoshi_cli.excel.columns import HEADER_MAX, field_of, is_header_word

    assert field_of("牵头单位（" + "说明" * 20 + "）") == "lead"
    long = "牵头单位" + "。" * HEADER_MAX
    assert field_of(long) is None
    assert not is_header_word(long)


def test_a_csv_of_more_cells_than_an_xlsx_may_hold_is_refused(ledger: Path,  # noqa: F811
                                                              tmp_path: Path) -> None:
    """5,001 rows × 200 filled cells = 1,000,200 cells, one more row than the 1,000,000
    an .xlsx may hold: refused while the rows are counted, before a cell is made, in
    seconds and 600 MB (the audit's 6 million took 92 s and 4.5 GB)."""
    book = tmp_path / "dense.csv"
    book.write_text(("1," * 199 + "1\n") * 5001, encoding="utf-8")
    code, err, took = run("import", "tasks", book, ledger, "-o", tmp_path / "x.yaml",
                          "--lang", "en", limit_mb=600)
    assert (code, err) == (2, f"luoshi: {book} is too large to import: its sheets hold more "
                              "than 1000000 cells (limit 1000000): split it and import the "
                              "parts\n")
    assert took < 10


def test_an_xls_of_more_cells_than_the_limit_is_refused(cli: Any, ledger: Path,  # noqa: F811
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An .xls is held to the same count: xls-cells.xls holds 24 cells that hold
    something (a title, a header of 6, three rows of 6, 5 and 6 — 推进C's 牵头单位 is
    the merged cell above, empty in the file); with the limit at 23, refused before
    its number formats are read or a cell made; at 24, read."""
    import luoshi_cli.excel.sheet as sheet

    monkeypatch.setattr(sheet, "MAX_CELLS", 23)
    sheet._opened.cache_clear()
    book = FIXTURES / "xls-cells.xls"
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {book} is too large to import: its sheets "
                                          "hold more than 23 cells (limit 23): split it and "
                                          "import the parts\n")
    monkeypatch.setattr(sheet, "MAX_CELLS", 24)
    sheet._opened.cache_clear()
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
