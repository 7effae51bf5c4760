"""The "reported differently in two sheets" problem quoted luoshi's derived values, not
the cells (audit "monthly", repro 3): a lead's 已完成 with 本月进度 left empty was quoted
"100", a responsible unit's locked 推进中 "空", and cells one sheet never filled were
listed as conflicts.  It quotes what each cell holds, and lists only the cells both
sheets report — or, when no cell is filled in both, the cells that differ."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import BEILIN
from test_monthly import AS_OF, _export, _fill, _import


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


def _books(out: Path) -> tuple[Path, Path]:
    """区统计局 leads BL1-01, 南院门街道 is responsible for it (both on row 3)."""
    return out / "区统计局.xlsx", out / "南院门街道.xlsx"


def test_the_conflict_quotes_the_cells_both_sheets_filled(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """The lead: 已完成, done 2024-06-20, 本月进展 提前完成, progress empty; the street:
    progress 60, 本月进展 新增5家, its status cell locked at 推进中.  Only 本月进展 is
    filled in both: it was "本月进度 (%)“100”与“60”；…；本月状态“已完成”与“空”；
    节点完成日期“2024-06-20”与“空”"."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    lead, street = _books(out)
    _fill(lead, "BL1-01", {"本月状态": "已完成", "节点完成日期": datetime(2024, 6, 20),
                           "本月进展": "提前完成"})
    _fill(street, "BL1-01", {"本月进度 (%)": 60, "本月进展": "新增5家"})
    before = (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")
    r = _import(cli, ledger, lead, street)
    assert r.exit_code == 1
    assert (
        "南院门街道.xlsx 本月填报!3:3: 任务 BL1-01 在两个填报表中报送的内容不同（区统计局.xlsx 本月填报!3:3 "
        "与本行：本月进展“提前完成”与“新增5家”）：请只保留一份") in r.stderr.splitlines(), r.stderr
    r = cli("import", "updates", lead, street, "--ledger", ledger, "--as-of", AS_OF,
            "--lang", "en")
    assert (
        "南院门街道.xlsx 本月填报!3:3: task BL1-01 is reported differently in two sheets "
        "(区统计局.xlsx 本月填报!3:3 and this row: Update this month '提前完成' and '新增5家'): "
        "keep one") in r.stderr.splitlines(), r.stderr
    assert (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8") == before


def test_cells_filled_in_one_sheet_each_are_quoted_as_shown(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """The lead sets 已完成 alone, the street fills 60 alone: a conflict (done means 100)
    of cells no sheet shares — quoted as the sheets show them: the lead's progress
    empty (not "100"), the street's status 推进中 (not "空")."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    lead, street = _books(out)
    _fill(lead, "BL1-01", {"本月状态": "已完成"})
    _fill(street, "BL1-01", {"本月进度 (%)": 60})
    r = _import(cli, ledger, lead, street)
    assert r.exit_code == 1
    assert (
        "南院门街道.xlsx 本月填报!3:3: 任务 BL1-01 在两个填报表中报送的内容不同（区统计局.xlsx 本月填报!3:3 "
        "与本行：本月进度 (%)“空”与“60”；本月状态“已完成”与“推进中”）：请只保留一份"
    ) in r.stderr.splitlines(), r.stderr


def test_a_target_tasks_conflict_names_the_actual_alone(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """BL1-01 with a target of 80 家: the lead fills 本月进度 50 and 实际完成值 41, the street
    实际完成值 8 alone.  It was "本月进度 (%)“50”与“空”；实际完成值“41”与“8”": only the
    actual is filled in both."""
    path = ledger / "tasks" / "bl-1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  standard: 全年新增“四上”企业80家\n",
                                 "  standard: 全年新增“四上”企业80家\n  target: {value: 80, unit: 家}\n",
                                 1), encoding="utf-8")
    out = tmp_path / "out"
    _export(cli, ledger, out)
    lead, street = _books(out)
    _fill(lead, "BL1-01", {"本月进度 (%)": 50, "实际完成值": 41})
    _fill(street, "BL1-01", {"实际完成值": 8})
    r = _import(cli, ledger, lead, street)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "南院门街道.xlsx 本月填报!3:3: 任务 BL1-01 在两个填报表中报送的内容不同（区统计局.xlsx 本月填报!3:3 "
        "与本行：实际完成值“41”与“8”）：请只保留一份")
