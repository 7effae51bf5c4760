"""`import scores` reads one sheet; a second sheet with a header of components (another
scoring body's columns in the same workbook) was dropped without a word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

from conftest import Run


def test_other_score_sheets_are_named_and_import_with_sheet(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    book = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "hotline", "service"])
    wb.active.append(["崇业路街道", 88, 77])
    second = wb.create_sheet("Sheet2")
    second.append(["单位", "hotline", "service"])
    second.append(["龙背街道", 11, 22])
    wb.create_sheet("说明").append(["填表说明"])  # no header: not named
    wb.save(book)
    r = cli("import", "scores", book, example, "--period", "2021-Q3", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (
        "note: these sheets have a header of components too but were not imported (one "
        "sheet per import: import each with --sheet; the scores merge into the same "
        "record) [Sheet2]")
    r = cli("import", "scores", book, example, "--period", "2021-Q3", "--sheet", "Sheet2")
    assert r.exit_code == 0, r.stderr
    record = (example / "records/2021-Q3.yaml").read_text(encoding="utf-8")
    assert "hotline: 88" in record and "hotline: 11" in record
