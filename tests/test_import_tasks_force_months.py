"""`import tasks --force` of the same sheet said "--force 覆盖导入：保留了文件中的月度进展
（表中没有） [台账!G3 IMP-001 2024-05, 台账!G4 IMP-002 2024-06, …]" on every re-import, though
the sheet's 进展情况 carries exactly those reports (audit "monthly", repro 6).  Only the
months the file holds and the sheet does not carry are named."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

from conftest import BEILIN


def _sheet(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["2024年重点任务台账"])
    ws.append(["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "进度", "进展情况"])
    ws.append([1, "推进项目甲", "区发改委", "张某某", datetime(2024, 6, 30), 0.45, "2024-05：已开工"])
    ws.append([2, "推进项目乙", "区商务局", "张某某", "2024年9月", 0.3, "洽谈中"])
    ws.append([3, "推进项目丙", "区发改委", "张某某", "年底", 80, "完成80%"])
    wb.save(path)
    return path


def _import(cli: Any, root: Path, book: Path, month: str, *more: str) -> Any:
    return cli("import", "tasks", book, root, "--category", "brk-1", "--as-of", "2024-07-31",
               "--month", month, *more)


def test_a_forced_reimport_names_only_months_the_sheet_does_not_carry(
        cli: Any, tmp_path: Path) -> None:
    root = tmp_path / "L"
    shutil.copytree(BEILIN, root)
    book = _sheet(tmp_path / "s.xlsx")
    assert _import(cli, root, book, "2024-06").exit_code == 0
    out = root / "tasks" / "imported.yaml"
    first = out.read_text(encoding="utf-8")
    r = _import(cli, root, book, "2024-06", "--force")
    assert r.exit_code == 0, r.stderr
    assert "月度进展" not in r.stderr, r.stderr
    assert out.read_text(encoding="utf-8") == first
    # July's sheet: rows 2 and 3 report July; the file's June reports are kept and named,
    # row 1's May report (its text says 2024-05) is the sheet's own: not named
    r = _import(cli, root, book, "2024-07", "--force")
    assert r.exit_code == 0, r.stderr
    assert ("说明：--force 覆盖导入：保留了文件中的月度进展（表中没有） "
            "[台账!G4 IMP-002 2024-06, 台账!G5 IMP-003 2024-06]") in r.stderr.splitlines(), r.stderr
    r = _import(cli, root, book, "2024-07", "--force", "--lang", "en")
    assert ("note: --force re-import: kept the file's monthly updates (the sheet has none) "
            "[台账!G4 IMP-002 2024-06, 台账!G5 IMP-003 2024-06]") in r.stderr.splitlines(), r.stderr
