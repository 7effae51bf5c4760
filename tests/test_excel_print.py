"""`luoshi export` prints: every sheet on A4 landscape, one page wide, header rows on
every page, wrapped prose in rows tall enough to show it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from conftest import EXAMPLE


def test_every_sheet_prints_on_a4_landscape(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    r = cli("export", EXAMPLE, "-o", out, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    setups = {ws.title: (ws.page_setup.paperSize, ws.page_setup.orientation,
                         ws.page_setup.fitToWidth, ws.page_setup.fitToHeight,
                         ws.sheet_properties.pageSetUpPr.fitToPage, ws.print_title_rows)
              for ws in wb.worksheets}
    assert setups == {
        "任务台账": (9, "landscape", 1, 0, True, "$1:$2"),
        "汇总": (9, "landscape", 1, 0, True, "$1:$1"),
        **{f"得分 {p}": (9, "landscape", 1, 0, True, "$1:$2")
           for p in ("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2021")}}
    ws = wb["任务台账"]
    # by id (the example's files list WN-009 … WN-015 first)
    assert [ws.cell(r, 1).value for r in range(3, 23)] == [f"WN-{n:03d}" for n in range(1, 21)]
    # WN-011 (row 13): its 完成标准 (I, 40 wide) wraps onto two lines
    assert ws["I13"].alignment.wrap_text
    assert ws.row_dimensions[13].height == 30
    # WN-004's prose fits one line: Excel's default height
    assert ws.row_dimensions[6].height is None
    assert [ws.row_dimensions[r].height for r in range(3, 23)].count(30) == 16
