"""Workbooks read as the office sees them, whatever the format: a legacy .xls gives the
same grid as the .xlsx it would be saved as (places, merged ranges, percentages, formulas
without a saved value, error values).

The .xls fixtures were written by xlwt (python-calamine, which reads them, cannot write
them): a title merged over B2:G2, the header 任务名称 … 进度 on row 3 from column B, three
tasks on rows 4–6 (推进A 0.35 formatted `0%`, 推进B 0.5 formatted `0.0%` under 区财政局
merged over C5:C6, 推进C 40 unformatted); xls-formula.xls has `=10*5` in G5 with no
saved value (xlwt never computes one), xls-error.xls the error value #N/A in F5."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def test_an_xls_formula_without_a_saved_value_stops_the_import(cli: Any, ledger: Path,  # noqa: F811
                                                               ) -> None:
    """It became an empty 进度 (progress 0) without a word; an .xlsx stops at the cell."""
    book = FIXTURES / "xls-formula.xls"
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {book} 任务表!G5: formula without a saved value: open and save the file "
        "in Excel/WPS, then import it\n"))
    assert not (ledger / "tasks" / "imported.yaml").exists()


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
