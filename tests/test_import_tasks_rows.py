"""What `luoshi import tasks` makes of a sheet's rows and cells (audit of the rows):
no row is dropped and no cell left out without a word, and what a cell says is kept —
each case a real workbook, the exact message, note and YAML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from test_excel_import import CONFIG, UNITS, load_tasks

HEAD = ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "完成标准", "进度", "进展情况"]


@pytest.fixture
def ledger(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS})


def _sheet(path: Path, rows: list[list[Any]], title: str = "清单",
           formats: dict[str, str] | None = None,
           merged: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    for rng in merged:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def _import(cli: Any, ledger: Path, sheet: Path, *more: str) -> Any:
    return cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", "2024-05-31",
               "--start", "2024-01-01", *more)


def _notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("说明", "note"))]


# ---- 10: steps separated by commas keep their words ---------------------------------------

def test_steps_separated_by_commas_keep_their_words(cli: Any, ledger: Path,
                                                    tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "d.xlsx", [
        HEAD,
        [1, "推进A", "区发改委", "张某某", "3月底前完成方案，6月底前开工，12月底前竣工", "全年竣工",
         35, None],
        [2, "推进B", "区财政局", "张某某", "编制清单，5月底前完成1,000户摸底, 9月底前完成签约",
         "完成签约", 35, None],
        [3, "推进C", "区商务局", "张某某", "6月底前完成方案，确保年底前开工", "开工", 35, None]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    a, b, c = load_tasks(ledger / "tasks" / "imported.yaml")
    assert [(str(m["due"]), m["standard"]) for m in a["milestones"]] == [
        ("2024-03-31", "完成方案"), ("2024-06-30", "开工"), ("2024-12-31", "竣工")]
    assert [(str(m["due"]), m["standard"]) for m in b["milestones"]] == [
        ("2024-05-31", "编制清单，完成1,000户摸底"), ("2024-09-30", "完成签约")]
    assert [(str(m["due"]), m["standard"]) for m in c["milestones"]] == [
        ("2024-06-30", "完成方案"), ("2024-12-31", "开工")]
    assert "序时节点没有写标准" not in r.stderr
