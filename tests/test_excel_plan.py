"""`excel.plan`: an import planned from Python, without the command — the YAML it
would write, or the cells that stop it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import EXAMPLE
from luoshi_cli import api
from luoshi_cli.excel.plan import plan_scores, valid_prefix
from test_excel_import import score_sheet


def test_valid_prefix() -> None:
    assert valid_prefix("IMP")
    assert not valid_prefix("-IMP")


def test_a_score_plan_names_the_cell_that_stops_it(tmp_path: Path) -> None:
    led = api.open_ledger(EXAMPLE).ledger
    book = score_sheet(tmp_path / "s.xlsx", [["崇业路街道", "八十"]], ["单位", "hotline"])
    plan = plan_scores(book, None, led, "2021-Q2", tmp_path / "out.yaml", date(2021, 6, 30),
                       "en")
    assert plan.sheet == "二季度得分"
    assert [(ref, label.en) for ref, label in plan.problems] == [
        ("二季度得分!B3", "'八十' is not a number: digits, not words; write 80"),
        ("二季度得分!A1", "the ledger already has a 2021-Q2 record (records/2021-Q2.yaml): "
                        "edit it, or point -o at it (the sheet is merged into it)")]
    assert plan.text == ""  # nothing to write
