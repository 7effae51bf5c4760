"""Workbooks read as the office sees them, whatever the format: a legacy .xls gives the
same grid as the .xlsx it would be saved as (places, merged ranges, percentages, formulas'
empty text results, error values).

The .xls fixtures were written by xlwt (python-calamine, which reads them, cannot write
them): a title merged over B2:G2, the header 任务名称 … 进度 on row 3 from column B, three
tasks on rows 4–6 (推进A 0.35 formatted `0%`, 推进B 0.5 formatted `0.0%` under 区财政局
merged over C5:C6, 推进C 40 unformatted); xls-formula.xls has `=10*5` in G5 with no
saved value (xlwt never computes one), xls-error.xls the error value #N/A in F5;
xls-controls.xls is `CONTROLS_HEAD` and `CONTROLS_ROW` on a sheet 任务表 from A1."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from test_excel_import import ledger  # noqa: F401  (fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "excel"


def imported(ledger: Path) -> list[dict[str, Any]]:  # noqa: F811
    return list(yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8")))


def test_an_xls_reads_as_its_xlsx_would(cli: Any, ledger: Path) -> None:  # noqa: F811
    """python-calamine dropped number formats (0.35 shown as 35% became progress 0.35;
    the .xlsx gives 35), moved every cell to start at A1 when the sheet's first row or
    column is empty (the problems named the wrong cells), and dropped merged ranges (the
    second task under a merged 牵头单位 had none)."""
    r = cli("import", "tasks", FIXTURES / "xls-cells.xls", ledger, "--category", "econ",
            "--as-of", "2024-05-31", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert [(t["title"], t["lead"], t["progress"]) for t in imported(ledger)] == [
        ("推进A", "fgw", 35), ("推进B", "czj", 50), ("推进C", "czj", 40)]
    assert ("note: luoshi validate will warn LS601 (monthly report overdue) after the "
            "import [任务表!B4, 任务表!B5, 任务表!B6]") in r.stderr.splitlines()


def test_an_xls_formula_whose_saved_text_is_empty_reads_as_the_empty_cell(
        cli: Any, ledger: Path) -> None:  # noqa: F811
    """A formula's empty text result (BIFF result type 3) is what Excel saves for
    `=IF(F2>=100,"完成","")`, shown as an empty cell: it is read as one, with the
    usual note of an empty 进度 — refusing it ("open and save the file in Excel")
    refused files Excel had just saved (review).  xlwt writes `=10*5` so, uncomputed:
    the two cannot be told apart in the file, and Excel's is the file offices send."""
    book = FIXTURES / "xls-formula.xls"
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert "G5" in r.stderr and "formula without a saved value" not in r.stderr
    assert [t["title"] for t in imported(ledger)] == ["推进A", "推进B", "推进C"]


def test_an_xls_merge_is_bounded_as_an_xlsx_one(cli: Any, ledger: Path) -> None:  # noqa: F811
    """xls-bigmerge.xls (5.6 KB, from the review) merges F3:GR65536: 13 million cells
    filled one by one took 65 s and 2.9 GB before running out of memory.  Refused in
    one line, as an .xlsx with such a merge is."""
    book = FIXTURES / "xls-bigmerge.xls"
    assert book.stat().st_size < 10_000
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {book} is too large to import (limit 100000 rows × 200 columns)\n"))


def test_an_xls_error_value_is_refused_at_its_cell(cli: Any, ledger: Path) -> None:  # noqa: F811
    """python-calamine reads #N/A as an empty cell: the 完成标准 became the title."""
    r = cli("import", "tasks", FIXTURES / "xls-error.xls", ledger, "--category", "econ",
            "--as-of", "2024-05-31", "--lang", "en")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "任务表!F5: '#N/A' is an Excel error value, not text: type the text (no formula)")


@pytest.mark.parametrize("damage", [b"", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
                                    b"junk" * 200])
def test_biff_facts_of_a_file_it_cannot_follow_are_none(damage: bytes) -> None:
    """The .xls side reader only reads: what it cannot follow gives None (python-calamine
    has read, and vetted, the file before it), never an exception."""
    from luoshi_cli.excel.biff import read_facts

    assert read_facts(damage) is None
    good = (FIXTURES / "xls-cells.xls").read_bytes()
    for cut in (600, 2000, len(good) // 2, len(good) - 100):
        read_facts(good[:cut])  # a truncated file: None or what could be read, no error
    facts = read_facts(good)
    assert facts is not None
    assert {k: v for k, v in facts["任务表"].formats.items() if v != "General"} == {
        (3, 6): "0%", (4, 6): "0.0%"}


CONTROLS_HEAD = ["任务名称", "牵头单位", "包抓领导", "完成时限"]
CONTROLS_ROW = ["养\x00老\x1b[31m服务\x07", "区发改委", "张某某", "2024-06-30"]


def controls_book(tmp_path: Path, kind: str) -> Path:
    """`CONTROLS_ROW` under `CONTROLS_HEAD` as an .xlsx (the controls written as Excel
    writes them, `_x001B_`), a .csv (raw) or the .xls fixture (raw, as BIFF holds them)."""
    if kind == "xls":
        return FIXTURES / "xls-controls.xls"
    path = tmp_path / f"任务表.{kind}"
    if kind == "csv":
        path.write_text("\n".join(",".join(row) for row in (CONTROLS_HEAD, CONTROLS_ROW)),
                        encoding="utf-8")
        return path
    wb = openpyxl.Workbook()
    wb.active.title = "任务表"
    wb.active.append(CONTROLS_HEAD)
    wb.active.append(["TITLE", *CONTROLS_ROW[1:]])
    wb.save(tmp_path / "src.xlsx")
    with zipfile.ZipFile(tmp_path / "src.xlsx") as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b">TITLE<", ">养_x0000_老_x001B_[31m服务_x0007_<".encode())
            zout.writestr(info, data)
    return path


@pytest.mark.parametrize("kind", ["xlsx", "csv", "xls"])
def test_control_characters_are_dropped_and_named_in_every_format(
        cli: Any, ledger: Path, tmp_path: Path, kind: str) -> None:  # noqa: F811
    """NUL, BEL and ESC were dropped silently from a .csv or .xls and reached the ledger
    from an .xlsx (audit item 17): the same in every format now — dropped (nothing a
    reader sees) and the cell named."""
    book = controls_book(tmp_path, kind)
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31",
            "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert [t["title"] for t in imported(ledger)] == ["养老[31m服务"]
    assert ("note: these cells held control characters (invisible NUL, BEL, ESC …), which "
            "were dropped [任务表!A2]") in r.stderr.splitlines()


def test_shared_strings_read_as_excel_shows_them(cli: Any, ledger: Path,  # noqa: F811
                                                 tmp_path: Path) -> None:
    """Excel and XlsxWriter write a CR in a shared string as `_x000D_` and a literal
    `_x000D_` as `_x005F_x000D_`; openpyxl only deleted `x005F_` wherever it stood.  A
    title "甲\r乙" (luoshi's own export of it, or a unit's pasted Windows text) came in
    as 甲_x000D_乙, and the text abx005F_cd as abcd.  Decoded as Excel shows them, the
    CR is a line break (as every importer reads one) and the other two stay as typed."""
    import xlsxwriter

    path = tmp_path / "shared.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("任务表")
    ws.write_row(0, 0, CONTROLS_HEAD)
    for i, title in enumerate(["甲\r乙", "字面_x000D_", "abx005F_cd"], start=1):
        ws.write_row(i, 0, [title, "区发改委", "张某某", "2024-06-30"])
    wb.close()
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/sharedStrings.xml").decode("utf-8")
    assert "甲_x000D_乙" in xml and "字面_x005F_x000D_" in xml  # as Excel writes them
    r = cli("import", "tasks", path, ledger, "--category", "econ", "--as-of", "2024-05-31",
            "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert [t["title"] for t in imported(ledger)] == ["甲\n乙", "字面_x000D_", "abx005F_cd"]


def test_an_offices_leading_quotes_are_kept(cli: Any, ledger: Path,  # noqa: F811
                                            tmp_path: Path) -> None:
    """`''放管服''改革` (two quotes standing for “”) lost its first quote: the quote luoshi's
    export puts before formula-like text was taken off every workbook's text.  It is taken
    off luoshi's own workbooks only (their creator is luoshi: tests/test_excel_roundtrip.py),
    and an office's text is read as the cell shows it."""
    wb = openpyxl.Workbook()
    wb.active.append(CONTROLS_HEAD)
    wb.active.append(["''放管服''改革", "区发改委", "张某某", "2024-06-30"])
    wb.active.append(["'=不是公式", "区发改委", "张某某", "2024-06-30"])
    wb.save(tmp_path / "q.xlsx")
    r = cli("import", "tasks", tmp_path / "q.xlsx", ledger, "--category", "econ",
            "--as-of", "2024-05-31", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert [t["title"] for t in imported(ledger)] == ["''放管服''改革", "'=不是公式"]


def test_import_updates_names_the_control_characters_it_drops(cli: Any, tmp_path: Path) -> None:
    """A unit's returned sheet: the same rule, named in the same note."""
    import shutil

    from conftest import EXAMPLE
    from luoshi_cli.excel.sheet import col_letter
    from luoshi_cli.load.assemble import open_ledger

    root = tmp_path / "l"
    shutil.copytree(EXAMPLE, root)
    out = tmp_path / "out"
    assert cli("export", root, "--per-unit", "-o", out, "--as-of", "2021-06-30", "--month",
               "2021-06").exit_code == 0
    book = out / "崇业路街道.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "WN-009")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value == "本月进展")
    ws.cell(row, col).value = "资金_x0007_未到位"  # a BEL, as Excel writes one
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", root, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    assert (f"说明：这些单元格含有控制字符（不可见的 NUL、BEL、ESC 等），已删去 "
            f"[崇业路街道.xlsx 本月填报!{col_letter(col)}{row}]") in r.stderr.splitlines()
    t = next(x for x in open_ledger(root).ledger.tasks if x.id == "WN-009")
    assert t.updates[-1].note == "资金未到位"


def test_a_total_row_says_so_whole() -> None:
    """One test of a total row for `import tasks` and `import scores`: the label whole
    (小计：, 总计（万元）, Total), never a name that starts with it — `import scores`
    still skipped a row whose unit or first cell began with 合计/平均 without a word."""
    from luoshi_cli.excel.sheet import is_total

    for row in (["合计", None, 80], [None, "小计：", 45], ["总计（万元）"], [1, "平均分", 26.7],
                ["Total", 3]):
        assert is_total(row), row
    for row in (["平均办理时限压缩至3天", "区财政局"], [2, "总计划投资完成50亿元"],
                ["合计镇", 90, 88], [1, 2, 3, "合计"]):
        assert not is_total(row), row
