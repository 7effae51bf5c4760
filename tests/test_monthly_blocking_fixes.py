"""Problems that stop `import updates` (nothing written) said what was refused but not
what to do (audit "monthly", repro 5): (a) a row of a task the office reassigned after
the export read "…的任务：未导入", like a skipped row, though the whole run stops; (b) a
sheet for a month before a task's latest report: "已有 2024-03 的月报：不改写之前月份的
记录", and `export --per-unit --month 2024-02` on a ledger already holding March–May
reports wrote the 31 sheets without a word.  Each now says what to do, and the export
warns, in one line on stderr, which tasks' entries will be refused."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN
from test_monthly import AS_OF, _fill, _row


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


@pytest.mark.parametrize(("lang", "want"), [
    ("zh", "区发改委.xlsx 本月填报!{r}:{r}: 任务 BRK5-01 不是本填报表单位（fgw）牵头或负责的任务"
           "（导出后改了牵头或责任单位？）：这一行不能导入，本次未写入任何文件；请删去这一行后再导入，"
           "或重新导出本单位填报表"),
    ("en", "区发改委.xlsx 本月填报!{r}:{r}: task BRK5-01 is not led by or assigned to this "
           "sheet's unit (fgw) (its lead or units changed after the export?): the row cannot "
           "be imported, and nothing is written; delete the row and import again, or export "
           "the unit's sheet again")])
def test_a_reassigned_tasks_row_says_nothing_is_written_and_what_to_do(
        cli: Any, ledger: Path, tmp_path: Path, lang: str, want: str) -> None:
    out = tmp_path / "out"
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-06")
    assert r.exit_code == 0, r.stderr
    path = ledger / "tasks" / "brk-5.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  lead: fgw", "  lead: gaigeban",
                                                             1), encoding="utf-8")
    book = out / "区发改委.xlsx"
    _fill(book, "BRK5-01", {"本月进度 (%)": 77})
    row = _row(openpyxl.load_workbook(book)["本月填报"], "BRK5-01")
    before = path.read_text(encoding="utf-8")
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF, "--lang", lang)
    assert r.exit_code == 1
    assert want.format(r=row) in r.stderr.splitlines(), r.stderr
    assert path.read_text(encoding="utf-8") == before
    # deleting the row, as the message says, lets the rest import
    wb = openpyxl.load_workbook(book)
    wb["本月填报"].delete_rows(row)
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr


def test_an_earlier_months_sheet_is_warned_of_and_its_refusal_says_what_to_do(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """beilin-2024 holds reports for 2024-03 … 2024-05: 34 of the tasks in the units'
    sheets have a report after February (the five first ids shown)."""
    out = tmp_path / "out"
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-02")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "luoshi: 这些任务已有 2024-02 之后月份的月报，填报表中对它们填写的内容导入时会被拒绝（不改写之前月份的"
        "记录）：BL1-01、BL1-02、BL2-01、BL2-02、BL3-01 等 34 个任务",
        f"已写入 31 个单位 2024-02 的填报表到 {out}"]
    r = cli("export", ledger, "--per-unit", "-o", tmp_path / "en", "--as-of", AS_OF,
            "--month", "2024-02", "--lang", "en")
    assert r.stderr.splitlines()[0] == (
        "luoshi: these tasks already have reports for months after 2024-02, so what the "
        "sheets report for them will be refused on import (earlier months are not "
        "rewritten): BL1-01, BL1-02, BL2-01, BL2-02, BL3-01 and 29 more")
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 10})
    row = _row(openpyxl.load_workbook(book)["本月填报"], "BRK1-01")
    ref = f"K{row}"
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 1
    assert (f"区发改委.xlsx 本月填报!{ref}: 任务 BRK1-01 已有 2024-03 的月报：不改写之前月份的记录；"
            "请把这一行改回导出时的内容后再导入（或删去这一行），2024-02 的记录如需更正请直接修改台账"
            ) in r.stderr.splitlines(), r.stderr
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF, "--lang", "en")
    assert (f"区发改委.xlsx 本月填报!{ref}: task BRK1-01 already has an update for 2024-03: "
            "earlier months are not rewritten; set the row back to what was exported (or "
            "delete it) and import again, and correct 2024-02's record in the ledger itself "
            "if it needs it") in r.stderr.splitlines(), r.stderr


def test_the_current_months_sheets_carry_no_warning(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-05")
    assert (r.exit_code, r.stderr) == (0, f"已写入 31 个单位 2024-05 的填报表到 {out}\n")
