"""Hints a clerk can follow (fix-hints): a quality score keyed by the task's title, a
target with its unit glued on, supervision naming a unit by its name, the 得分 sheet's
missing components."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


@pytest.fixture
def beilin(tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Path:
    """`luoshi init --example beilin`, the current directory (paths print as records/…)."""
    root = tmp_path / "beilin"
    assert cli("init", root, "--example", "beilin").exit_code == 0
    monkeypatch.chdir(root)
    return root


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def _found(cli: Callable[..., Run], rel: str, lang: str = "zh", *codes: str) -> list[str]:
    """The errors (and findings of `codes`) about `rel`, `file:line:col: severity code message`."""
    run = cli("validate", ".", "--lang", lang)
    return [line for line in run.stdout.splitlines()
            if line.startswith(f"{rel}:") and (" error " in line or
                                               any(f" {c} " in line for c in codes))]


# ---- 1: a quality score keyed by the task's title ------------------------------------------

REC = "records/2024-Q1.yaml"


@pytest.mark.parametrize(("line", "written", "lang", "expected"), [
    ("  K-02: 80\n", "  老旧小区改造: 80\n", "zh",
     "records/2024-Q1.yaml:15:3: error LS116 2024-Q1 质量评分引用了不存在的任务 老旧小区改造："
     "是不是任务 K-02（老旧小区改造）？请写任务编号 K-02"),
    ("  K-02: 80\n", "  老旧小区改造: 80\n", "en",
     "records/2024-Q1.yaml:15:3: error LS116 a 2024-Q1 quality score names unknown task "
     "老旧小区改造: did you mean task K-02 (老旧小区改造)? Write its id K-02"),
    # the per-unit form, the title with a full-width blank after it (trimmed)
    ("  K-01: {fgw", '  "重点项目开复工\u3000": {fgw', "zh",
     "records/2024-Q1.yaml:14:3: error LS116 2024-Q1 质量评分引用了不存在的任务 重点项目开复工\u3000："
     "是不是任务 K-01（重点项目开复工）？请写任务编号 K-01"),
], ids=["zh", "en", "per-unit-blank"])
def test_a_quality_score_keyed_by_a_title_is_told_the_id(
        cli: Callable[..., Run], beilin: Path, line: str, written: str, lang: str,
        expected: str) -> None:
    """A clerk keying a quality score by the task's title got "correct the task id" and
    no hint; writing the id the finding names makes the line clean."""
    _edit(beilin, REC, line, written)
    assert _found(cli, REC, lang) == [expected]
    _edit(beilin, REC, written, line)
    assert _found(cli, REC) == []


def test_a_title_two_tasks_hold_names_no_task(cli: Callable[..., Run], beilin: Path) -> None:
    """A title held by two tasks says nothing of either: which one was meant is a guess."""
    _edit(beilin, "tasks/key.yaml", "title: 消费提振活动", "title: 老旧小区改造")
    _edit(beilin, REC, "  K-02: 80\n", "  老旧小区改造: 80\n")
    assert _found(cli, REC) == [
        "records/2024-Q1.yaml:15:3: error LS116 2024-Q1 质量评分引用了不存在的任务 老旧小区改造："
        "请改正任务编号"]


# ---- 2: a target with its unit glued on ------------------------------------------------------

TASKS = "tasks/key.yaml"
START = "  start: 2024-01-01\n"


@pytest.mark.parametrize(("written", "col", "wrote", "lang", "expected"), [
    ("10个", 11, "10个", "zh", "target 应为映射（键: 值），实际是文本：请把数字和单位分开写："
     "target: {value: 10, unit: 个}"),
    ("１０个", 11, "１０个", "zh", "target 应为映射（键: 值），实际是文本：请把数字和单位分开写："
     "target: {value: 10, unit: 个}"),
    ("10.5 万元", 11, "10.5 万元", "zh", "target 应为映射（键: 值），实际是文本：请把数字和单位分开写："
     "target: {value: 10.5, unit: 万元}"),
    ("{value: 10个}", 19, "10个", "zh", "value 应为数字，实际是文本“10个”：请把数字和单位分开写："
     "target: {value: 10, unit: 个}"),
    ("{value: １０个, unit: 个}", 19, "１０个", "zh", "value 应为数字，实际是文本“１０个”："
     "请把数字和单位分开写：target: {value: 10, unit: 个}"),
    ("10个", 11, "10个", "en", "target should be a mapping (key: value), not text: write the "
     "figure and its unit apart: target: {value: 10, unit: 个}"),
    ("10", 11, "10", "zh", "target 应为映射（键: 值），实际是数字 10：请写成 target: {value: 10}"
     "（可加单位，如 unit: 个）"),
], ids=["glued", "full-width", "decimal-blank", "value-glued", "value-full-width", "en", "bare"])
def test_a_target_with_its_unit_glued_on_is_told_the_v2_form(
        cli: Callable[..., Run], beilin: Path, written: str, col: int, wrote: str, lang: str,
        expected: str) -> None:
    """`target: 10个` was told 请改正 (and `{value: 10个}` 应为数字 alone): the form to
    write is `target: {value: 10, unit: 个}`. Writing it makes the file clean."""
    _edit(beilin, TASKS, START, START + f"  target: {written}\n")
    assert _found(cli, TASKS, lang) == [f"tasks/key.yaml:9:{col}: error LS103 {expected}"]
    told = expected[expected.index("target: {"):].split("（")[0]
    _edit(beilin, TASKS, f"  target: {written}\n", f"  {told}\n")
    assert _found(cli, TASKS) == []


def test_a_target_that_is_no_figure_and_unit_keeps_its_message(
        cli: Callable[..., Run], beilin: Path) -> None:
    """约10个 (about ten): no figure is guessed."""
    _edit(beilin, TASKS, START, START + "  target: 约10个\n")
    assert _found(cli, TASKS) == [
        "tasks/key.yaml:9:11: error LS103 target 应为映射（键: 值），实际是文本：请改正"]
