"""The monthly cycle's third audit (units filling the per-unit sheets): a grey column
deleted, a closed task's row, a retyped header, merged cells over several tasks, a
month for a completion date, and last month's sheet filled in again."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN
from test_monthly import AS_OF, _col, _export, _fill, _with_target

BL1 = "tasks/bl-1.yaml"
BRK1 = "tasks/brk-1.yaml"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


def _import(cli: Any, ledger: Path, *books: Path, extra: tuple[str, ...] = ()) -> Any:
    return cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF, *extra)


def _delete(book: Path, header: str) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ws.delete_cols(_col(ws, header))
    for c in range(1, 4):  # (openpyxl leaves the hidden flags where they were)
        ws.column_dimensions["ABC"[c - 1]].hidden = str(ws.cell(2, c).value).startswith("luoshi:")
    wb.save(book)


@pytest.mark.parametrize("header", ["上月进度 (%)", "目标值"])
def test_a_deleted_grey_column_is_harmless(cli: Any, ledger: Path, tmp_path: Path,
                                           header: str) -> None:
    """A unit deletes the grey 上月进度 column (or 目标值 of a task with a target): the
    import crashed with `internal error (KeyError: '上月进度 (%)')`, exit 2 (audit H2).
    The import reads neither: the sheet imports as it would with the column."""
    _with_target(ledger)
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区统计局.xlsx"
    _fill(book, "BL1-01", {"本月进度 (%)": 52, "实际完成值": 42})
    _delete(book, header)
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "  区统计局.xlsx：填报单位 tongjiju（区统计局），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"]
    assert '    - {month: "2024-06", progress: 52, actual: 42}\n' in (
        ledger / BL1).read_text(encoding="utf-8")


def test_a_deleted_hidden_column_refuses_the_sheet_in_one_line(cli: Any, ledger: Path,
                                                               tmp_path: Path) -> None:
    """luoshi's hidden columns are what the rows are matched back by: the sheet is
    refused once, naming the column (each row was named "hidden cells edited")."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60})
    _delete(book, "luoshi:hash")
    before = (ledger / BRK1).read_text(encoding="utf-8")
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    # (the title, moved to C1 by openpyxl's delete_cols, is named above the header)
    assert r.stderr.splitlines()[1] == (
        "区发改委.xlsx 本月填报: 填报表缺少隐藏的“luoshi:hash”列（A–C 列被删除）：本表不能导入；"
        "请重新导出本单位填报表")
    assert (ledger / BRK1).read_text(encoding="utf-8") == before

