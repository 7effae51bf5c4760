"""`luoshi export` prints: every sheet on A4 landscape, one page wide, header rows on
every page, wrapped prose in rows tall enough to show it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from conftest import BEILIN, EXAMPLE


def test_every_sheet_prints_on_a4_landscape(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    r = cli("export", EXAMPLE, "-o", out, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    setups = {ws.title: _setup(ws) for ws in wb.worksheets}
    assert setups == {
        "任务台账": (9, "landscape", 1, 0, True, "$1:$2"),
        # four milestones are too wide for one legible page: 任务明细 prints at full size
        # across pages, 编号 and 任务名称 repeated on each (below)
        "任务明细": (9, "landscape", None, None, None, "$1:$2"),
        "汇总": (9, "landscape", 1, 0, True, "$1:$1"),
        **{f"得分 {p}": (9, "landscape", 1, 0, True, "$1:$2")
           for p in ("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2021")}}
    d = wb["任务明细"]
    assert (d.print_title_cols, d.page_setup.pageOrder) == ("$A:$B", "overThenDown")
    ws = wb["任务台账"]
    # by id (the example's files list WN-009 … WN-015 first), on both sheets
    ids = [f"WN-{n:03d}" for n in range(1, 21)]
    assert [ws.cell(r, 1).value for r in range(3, 23)] == ids
    assert [d.cell(r, 1).value for r in range(3, 23)] == ids
    # WN-002's 责任单位 (D, 24 wide) wraps onto two lines
    assert ws["D4"].alignment.wrap_text
    assert ws.row_dimensions[4].height == 30
    # WN-001's cells fit one line: Excel's default height
    assert ws.row_dimensions[3].height is None
    # 任务明细: WN-002's 完成标准 (F, 30 wide) takes three lines
    assert d["F4"].alignment.wrap_text and d.row_dimensions[4].height == 45
    assert [d.row_dimensions[r].height for r in range(3, 23)].count(30) == 17


def _setup(ws: Any) -> tuple[Any, ...]:
    """Paper, orientation, fit to width × height, fit to page, print title rows.  A
    fitToWidth left out of the file means 1 (ECMA-376 CT_PageSetup's default; XlsxWriter
    leaves it out): read as 1 when the sheet fits to page."""
    setup, fit = ws.page_setup, ws.sheet_properties.pageSetUpPr
    fit_page = fit.fitToPage if fit is not None else None
    width = 1 if fit_page and setup.fitToWidth is None else setup.fitToWidth
    return (setup.paperSize, setup.orientation, width, setup.fitToHeight, fit_page,
            ws.print_title_rows)


def _widths(ws: Any) -> list[float]:
    from openpyxl.utils import get_column_letter

    dims = [ws.column_dimensions[get_column_letter(c)] for c in range(1, ws.max_column + 1)]
    return [d.width for d in dims if not d.hidden]


def test_the_task_sheet_prints_legibly(cli: Any, tmp_path: Path) -> None:
    """Issue 14: fit to one A4 landscape page wide, the task sheet used to carry every
    column (29 in the example) and printed at about a third of its size.  Its columns
    now print at ≥ 70% whatever the ledger holds: the worst case (every column at its
    cap) and the example as written."""
    from luoshi_cli.excel.export import CAPS, MIN_SCALE, PRINT_COLUMNS, print_scale

    assert MIN_SCALE == 0.7
    # every column at its cap (n characters are stored as n + 5/7)
    worst = print_scale([CAPS[c] + 5 / 7 for c in PRINT_COLUMNS])
    assert 0.9 < worst < 0.92
    # Excel's rule on a known case: ten 8-wide columns are 560 px, 420 pt: no shrinking
    assert print_scale([8] * 10) == 1.0
    assert round(print_scale([100] * 3), 4) == round((297 / 25.4 * 72 - 57.6) / 1575, 4)
    out = tmp_path / "w.xlsx"
    r = cli("export", BEILIN, "-o", out, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    for name in ("任务台账", "任务明细", "汇总"):
        ws = openpyxl.load_workbook(out)[name]
        paper, orientation, width, height, fit, _ = _setup(ws)
        assert (paper, orientation) == (9, "landscape"), name
        assert ws.page_margins.left == ws.page_margins.right == 0.4
        if fit:
            assert (width, height) == (1, 0)
            assert print_scale(_widths(ws)) >= MIN_SCALE, name
        else:  # printed at full size across pages, its key columns on each
            assert ws.print_title_cols == "$A:$B"
    ws = openpyxl.load_workbook(out)["任务台账"]
    assert ws.print_title_rows == "$1:$2"
    assert print_scale(_widths(ws)) >= 0.9


def test_per_unit_sheets_print_legibly(cli: Any, tmp_path: Path) -> None:
    """The monthly per-unit sheets used to print at 62% (their visible columns were 242
    characters wide); the guide sheet was not fitted at all."""
    from luoshi_cli.excel.export import MIN_SCALE, print_scale

    out = tmp_path / "units"
    r = cli("export", EXAMPLE, "--per-unit", "-o", out, "--as-of", "2021-06-30",
            "--month", "2021-06")
    assert r.exit_code == 0, r.stderr
    books = sorted(out.glob("*.xlsx"))
    assert len(books) == 13
    for book in books:
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            assert _setup(ws)[:5] == (9, "landscape", 1, 0, True)
        ws = wb["本月填报"]
        assert ws.print_title_rows == "$2:$2"
        assert print_scale(_widths(ws)) > 0.72 > MIN_SCALE
        assert ws.row_dimensions[2].height == 30


def test_details_are_joined_by_id_not_row(cli: Any, tmp_path: Path) -> None:
    """The importers read 任务明细's columns onto the task with the same 编号: an office
    that sorts one sheet (by 类别, say) and not the other still imports the same tasks."""
    import shutil

    from luoshi_cli.excel.export import id_key
    from luoshi_cli.load.assemble import open_ledger

    book = tmp_path / "ledger.xlsx"
    assert cli("export", EXAMPLE, "-o", book, "--as-of", "2021-06-30").exit_code == 0
    wb = openpyxl.load_workbook(book)
    d = wb["任务明细"]
    rows = [[c.value for c in row] for row in d.iter_rows(min_row=3)]
    for r, values in enumerate(reversed(rows), start=3):
        for c, v in enumerate(values, start=1):
            d.cell(r, c).value = v
    wb.save(book)
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLE, copy)
    for f in (copy / "tasks").glob("*.yaml"):
        f.unlink()
    r = cli("import", "tasks", book, copy, "-o", copy / "tasks" / "all.yaml",
            "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    before = sorted(open_ledger(EXAMPLE).ledger.tasks, key=lambda t: id_key(t.id))
    after = open_ledger(copy).ledger.tasks
    assert [(t.id, t.category, t.standard, t.milestones) for t in after] == [
        (t.id, t.category, t.standard, t.milestones) for t in before]
    # only the task sheet is joined: 汇总 (编号 and 类别 columns, no task) is read as it is
    from luoshi_cli.excel.sheet import read_grid

    # (得分 2021-Q1: 8 columns and its 8 components' scores)
    assert [read_grid(wb, name).max_col for name in wb.sheetnames[:4]] == [31, 23, 14, 16]
    assert read_grid(wb, "任务台账").get(2, 19) == "节点2标准"
    assert read_grid(wb, "任务台账").ref(3, 19) == "任务明细!K22"  # WN-001, moved to the end


def test_a_details_row_without_its_task_row_is_refused(cli: Any, tmp_path: Path) -> None:
    """A 任务明细 row whose 编号 is on no row of 任务台账 (the office deleted the task's
    row on one sheet only, or typed a new task on the details sheet alone) would be
    read by nobody: both importers refuse it at the 编号 cell instead of dropping it."""
    import shutil

    book = tmp_path / "ledger.xlsx"
    assert cli("export", EXAMPLE, "-o", book, "--as-of", "2021-06-30").exit_code == 0
    wb = openpyxl.load_workbook(book)
    d = wb["任务明细"]
    last = d.max_row + 1
    d.cell(last, 1).value = "WN-099"
    d.cell(last, 2).value = "只写在明细表上的任务"
    wb.save(book)
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLE, copy)
    for f in (copy / "tasks").glob("*.yaml"):
        f.unlink()
    r = cli("import", "tasks", book, copy, "-o", copy / "tasks" / "all.yaml",
            "--as-of", "2021-06-30")
    assert r.exit_code == 1
    assert (f"任务明细!A{last}: “任务明细”中的编号 WN-099 在“任务台账”表中没有对应行，此行不会被读取："
            "请在任务台账中补上这一行，或删去此行") in r.stderr
    assert not (copy / "tasks" / "all.yaml").exists()
    up = cli("import", "updates", book, "--ledger", EXAMPLE, "--month", "2021-06",
             "--as-of", "2021-06-30", "--dry-run")
    assert up.exit_code == 1
    assert f"ledger.xlsx 任务明细!A{last}: “任务明细”中的编号 WN-099" in up.stderr


def test_a_doubled_or_numberless_details_row_is_refused(cli: Any, tmp_path: Path) -> None:
    """A 任务明细 row copied and edited (its 编号 now twice on the sheet), or filled in
    without an 编号, would be dropped without a word — the last copy silently winning,
    the row without 编号 read by nobody: both are refused at their 编号 cell."""
    import shutil

    book = tmp_path / "ledger.xlsx"
    assert cli("export", EXAMPLE, "-o", book, "--as-of", "2021-06-30").exit_code == 0
    wb = openpyxl.load_workbook(book)
    d = wb["任务明细"]
    last = d.max_row + 1
    for c in range(1, d.max_column + 1):
        d.cell(last, c).value = d.cell(3, c).value  # WN-001's row, copied …
    d.cell(last, 6).value = "改过的完成标准"  # … and edited
    d.cell(last + 1, 6).value = "没写编号的完成标准"
    wb.save(book)
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLE, copy)
    for f in (copy / "tasks").glob("*.yaml"):
        f.unlink()
    r = cli("import", "tasks", book, copy, "-o", copy / "tasks" / "all.yaml",
            "--as-of", "2021-06-30")
    assert r.exit_code == 1
    assert (f"任务明细!A{last}: “任务明细”中的编号 WN-001 重复（第一次在 任务明细!A3）："
            "只有一行会被读取；请合并为一行，删去另一行") in r.stderr
    assert (f"任务明细!A{last + 1}: “任务明细”中此行没有编号，不会被读取："
            "请填上它在“任务台账”表中的编号，或删去此行") in r.stderr
    assert not (copy / "tasks" / "all.yaml").exists()
    up = cli("import", "updates", book, "--ledger", EXAMPLE, "--month", "2021-06",
             "--as-of", "2021-06-30", "--dry-run")
    assert up.exit_code == 1
    assert f"ledger.xlsx 任务明细!A{last}: “任务明细”中的编号 WN-001 重复" in up.stderr
    assert f"ledger.xlsx 任务明细!A{last + 1}: “任务明细”中此行没有编号" in up.stderr


def test_text_longer_than_a_cell_is_cut_with_a_note(cli: Any, tmp_path: Path) -> None:
    """Excel's cell holds 32,767 characters; a longer 完成标准 is written cut (XlsxWriter
    cuts it) and the cut cell is named on stderr — the ledger keeps the whole text."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLE, copy)
    f = sorted((copy / "tasks").glob("*.yaml"))[0]
    text = f.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip().startswith("standard:"))
    indent = first[: len(first) - len(first.lstrip())]
    f.write_text(text.replace(first, f"{indent}standard: {'长' * 40000}", 1), encoding="utf-8")
    book = tmp_path / "ledger.xlsx"
    r = cli("export", copy, "-o", book, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(book)
    d = wb["任务明细"]
    cells = [c for row in d.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("长长长")]
    assert [len(c.value) for c in cells] == [32767]
    assert r.stderr.splitlines()[0] == (
        "luoshi: 单元格最多容纳 32767 个字符，以下单元格的文字被截断（台账中的原文不变，原样交回的表导入时也不改动它）："
        f"任务明细!{cells[0].coordinate}")
