"""`import updates` listed only the first problem of a row (audit "monthly", repro 4): a
row with 节点完成日期 “2024年6月” (a month, not a day) and 本月状态 “已销号” said only O3
("1 个问题"); once O3 was put right the next run said N3 — one round trip to the unit
per problem.  Every problem of the row is listed, as `import tasks` lists them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN
from test_monthly import AS_OF, _export, _fill, _import, _row


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


def test_a_rows_done_date_and_status_are_both_named(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 45, "节点完成日期": "2024年6月", "本月状态": "已销号"})
    r = openpyxl.load_workbook(book)["本月填报"]
    at = _row(r, "BRK1-01")
    before = (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    lines = run.stderr.splitlines()
    assert lines[:2] == [
        f"区发改委.xlsx 本月填报!O{at}: 本月状态“已销号”不由填报单位填写（可选：推进中、已完成、暂缓；"
        "销号由督查室按程序办理）",
        f"区发改委.xlsx 本月填报!N{at}: 节点完成日期“2024年6月”只写到月份（或旬、季度），不是具体日期："
        "请写完成的具体日期，如 2024-06-15"]
    assert lines[-1] == "luoshi: 2 个问题，未写入任何文件"
    assert (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8") == before
    en = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF, "--lang", "en")
    assert en.stderr.splitlines()[-1] == "luoshi: 2 problems; nothing was written"


def test_progress_actual_and_an_excel_error_in_one_row_are_all_named(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """本月进度 “约五成”, 实际完成值 on a task without a target, 存在问题 #N/A: three problems,
    each at its cell."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": "约五成", "实际完成值": 8, "存在问题": "#N/A"})
    at = _row(openpyxl.load_workbook(book)["本月填报"], "BRK1-01")
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    refs = [line.split(": ")[0] for line in run.stderr.splitlines() if line.startswith("区发改委")]
    ws = openpyxl.load_workbook(book)["本月填报"]
    col = {ws.cell(2, c).value: ws.cell(2, c).column_letter for c in range(1, ws.max_column + 1)}
    assert refs == [f"区发改委.xlsx 本月填报!{col[h]}{at}" for h in ("存在问题", "本月进度 (%)", "实际完成值")]
    assert run.stderr.splitlines()[-1] == "luoshi: 3 个问题，未写入任何文件"
