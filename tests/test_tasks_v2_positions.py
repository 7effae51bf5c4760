"""Findings on one entry of a task's id list (LS110 units/cooperating, LS111 and LS108
leaders, LS118 tags) point at that entry as written, also when an earlier entry did not
read (`2024`, a number, reported on its own) and was dropped from the list: they used
the index in the list as read, one entry too early (audit tasks v2, F3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

_K01 = """\
- id: K-01
  title: 重点项目开复工
  category: key
  lead: fgw
  units: [nanyuanmen, baishulin]
  leaders: [zhang-changwu]
"""


@pytest.fixture
def beilin(tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "beilin"
    assert cli("init", root, "--example", "beilin").exit_code == 0
    with (root / "luoshi.yaml").open("a", encoding="utf-8") as f:
        f.write("tags:\n  - {id: board, name: 任务榜}\n")
    monkeypatch.chdir(root)
    return root


def _write_k01(root: Path, lists: str) -> None:
    p = root / "tasks/key.yaml"
    text = p.read_text(encoding="utf-8")
    assert _K01 in text
    head = "\n".join(_K01.splitlines()[:4]) + "\n"
    p.write_text(text.replace(_K01, head + lists, 1), encoding="utf-8")


def _findings(cli: Callable[..., Run], *codes: str) -> list[str]:
    run = cli("validate", ".")
    return [line for line in run.stdout.splitlines()
            if line.startswith("tasks/key.yaml:") and any(f" {c} " in line for c in codes)]


_CODES = ("LS016", "LS108", "LS110", "LS111", "LS118")


def test_flow_lists_point_at_the_entry_after_a_dropped_one(
        cli: Callable[..., Run], beilin: Path) -> None:
    _write_k01(beilin, "  units: [2024, nanyuanmen, nosuch-unit]\n"
                       "  cooperating: [2024, nosuch-coop]\n"
                       "  leaders: [2024, zhang-changwu, nosuch-leader]\n"
                       "  tags: [2024, board, nosuch]\n")
    assert _findings(cli, *_CODES) == [
        'tasks/key.yaml:6:11: error LS016 units 的值 2024 会被 YAML 读成数字 2024，这里需要文本：'
        '请加引号写成 "2024"',
        "tasks/key.yaml:6:29: error LS110 任务 K-01 引用了不存在的单位 nosuch-unit：请在 units.yaml"
        " 中添加该单位，或改正拼写",
        'tasks/key.yaml:7:17: error LS016 cooperating 的值 2024 会被 YAML 读成数字 2024，这里需要文本：'
        '请加引号写成 "2024"',
        "tasks/key.yaml:7:23: error LS110 任务 K-01 引用了不存在的单位 nosuch-coop：请在 units.yaml"
        " 中添加该单位，或改正拼写",
        'tasks/key.yaml:8:13: error LS016 leaders 的值 2024 会被 YAML 读成数字 2024，这里需要文本：'
        '请加引号写成 "2024"',
        "tasks/key.yaml:8:34: error LS111 任务 K-01 引用了不存在的领导 nosuch-leader：请在 units.yaml"
        " 的 leaders 中添加，或改正拼写",
        'tasks/key.yaml:9:10: error LS016 tags 的值 2024 会被 YAML 读成数字 2024，这里需要文本：'
        '请加引号写成 "2024"',
        "tasks/key.yaml:9:23: error LS118 任务 K-01 引用了未在 luoshi.yaml 的 tags 中声明的标签 "
        "nosuch：请先声明 {id, name} 或改正标签",
    ]


def test_block_lists_point_at_the_entry_after_a_dropped_one(
        cli: Callable[..., Run], beilin: Path) -> None:
    _write_k01(beilin, "  units:\n    - 2024\n    - nanyuanmen\n    - nosuch-unit\n"
                       "  leaders:\n    - 2024\n    - zhang-changwu\n    - zhang-changwu\n"
                       "  tags:\n    - 2024\n    - board\n    - nosuch\n")
    assert _findings(cli, "LS108", "LS110", "LS111", "LS118") == [
        "tasks/key.yaml:9:7: error LS110 任务 K-01 引用了不存在的单位 nosuch-unit：请在 units.yaml"
        " 中添加该单位，或改正拼写",
        # the duplicate, and the first one it names, where each is written
        "tasks/key.yaml:13:7: error LS108 任务 K-01 的分管领导 zhang-changwu 重复（第一次定义于 "
        "tasks/key.yaml:12）：标识必须唯一，请改名或删除一个",
        "tasks/key.yaml:17:7: error LS118 任务 K-01 引用了未在 luoshi.yaml 的 tags 中声明的标签 "
        "nosuch：请先声明 {id, name} 或改正标签",
    ]
