"""Sections whose data the ledger lacks are left out (SPEC §7), and rates that are
undefined print as "—" without a percent sign."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import EXAMPLE, Run


def test_no_tasks_no_progress_sections(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    shutil.rmtree(root / "tasks")
    run = cli("bulletin", root, "--quarter", "Q2")
    assert run.exit_code == 0, run.stderr
    assert "总体情况" not in run.stdout and "亮灯预警" not in run.stdout
    assert "## 一、考核排名情况" in run.stdout
    assert "—%" not in run.stdout


def test_undefined_on_time_rate_is_left_out(write: Callable[..., Path],
                                            cli: Callable[..., Run]) -> None:
    root = write({
        "luoshi.yaml": "title: 台账\nyear: 2024\ncategories:\n  - {id: c, name: 类}\n",
        "units.yaml": "units:\n  - {id: a, name: 甲}\nleaders:\n  - {id: l, name: 李}\n",
        "tasks/t.yaml": "- {id: T-1, title: 任务, category: c, lead: a, leaders: [l], "
                        "start: 2024-01-01, standard: s, milestones: [{due: 2024-02-02, "
                        "standard: m}], status: in_progress, progress: 10}\n",
    })
    run = cli("bulletin", root, "--month", "2024-01", "--as-of", "2024-01-02")
    assert run.exit_code == 0, run.stderr
    assert "台账共列任务1项，其中推进中1项。任务完成率0%。亮红灯0项" in run.stdout
    assert "按期完成率" in run.stdout  # the column header stays; its cell says —
    assert "—%" not in run.stdout
