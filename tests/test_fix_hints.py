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


def test_a_milestones_target_or_an_updates_actual_with_its_unit_is_told_the_figure(
        cli: Callable[..., Run], beilin: Path) -> None:
    """A milestone's `target: 5个` and an update's `actual: １０个` were 应为数字 alone.
    The task has no target yet: the figure, and the unit for the task's target — and
    writing both makes the file clean."""
    _edit(beilin, TASKS, "standard: 开工5个, done: 2024-02-28}",
          "standard: 开工5个, done: 2024-02-28, target: 5个}")
    _edit(beilin, TASKS, '{month: "2024-03", progress: 50}',
          '{month: "2024-03", progress: 50, actual: １０个}')
    assert _found(cli, TASKS) == [
        "tasks/key.yaml:11:67: error LS103 target 应为数字，实际是文本“5个”：请只写数字 5，"
        "单位写在任务的 target 中（target: {value: …, unit: 个}）",
        "tasks/key.yaml:16:48: error LS103 actual 应为数字，实际是文本“１０个”：请只写数字 10，"
        "单位写在任务的 target 中（target: {value: …, unit: 个}）"]
    assert _found(cli, TASKS, "en")[0].endswith(
        "write the figure alone, 5, and the unit in the task's target "
        "(target: {value: …, unit: 个})")
    _edit(beilin, TASKS, "target: 5个}", "target: 5}")
    _edit(beilin, TASKS, "actual: １０个}", "actual: 10}")
    _edit(beilin, TASKS, START, START + "  target: {value: 10, unit: 个}\n")
    assert _found(cli, TASKS) == []


@pytest.mark.parametrize(("target", "written", "expected"), [
    # the task's unit: the figure is right as it stands
    ("{value: 10, unit: 个}", "5个", "请只写数字 5（单位 个 见任务的 target）"),
    # another unit: 1.2亿元 under a target in 万元 is 12000, not 1.2 — no figure given
    ("{value: 30000, unit: 万元}", "1.2亿元", "请只写数字，以任务 target 的单位 万元 计"
     "（这里写的是 亿元）"),
    # a target without a unit: nothing says what 1.2 would mean
    ("{value: 30000}", "1.2亿元", "请只写数字，与任务 target 的值同一单位（这里写的是 亿元）"),
], ids=["same-unit", "other-unit", "no-unit"])
def test_a_milestones_figure_is_given_only_in_the_tasks_unit(
        cli: Callable[..., Run], beilin: Path, target: str, written: str,
        expected: str) -> None:
    """Review: the hint said `请只写数字 1.2` under a task target in 万元 — followed, the
    milestone read 1.2 万元, off by 10⁴, and validate was then clean.  A figure is
    given only in the unit of the task's target."""
    _edit(beilin, TASKS, START, START + f"  target: {target}\n")
    _edit(beilin, TASKS, "standard: 开工5个, done: 2024-02-28}",
          f"standard: 开工5个, done: 2024-02-28, target: {written}}}")
    assert _found(cli, TASKS) == [
        f"tasks/key.yaml:12:67: error LS103 target 应为数字，实际是文本“{written}”：{expected}"]


# ---- 4: the 得分 sheet's missing components ----------------------------------------------------

AS_OF = "2021-12-31"
GAP = ("  longbei:       {hotline: 80.5, service: 83}\n", "  longbei:       {hotline: 80.5}\n")


def _sheet(book: Path, name: str) -> tuple[list[object], dict[str, list[object]]]:
    """The header row and the rows by unit id of a 得分 sheet."""
    import openpyxl

    ws = openpyxl.load_workbook(book)[name]
    heads = [c.value for c in ws[2]]
    rows = {str(r[heads.index("编号" if "编号" in heads else "ID")]): list(r)
            for r in ws.iter_rows(min_row=3, values_only=True)}
    return heads, rows


def _exported(cli: Callable[..., Run], ledger: Path, tmp_path: Path, lang: str = "zh") -> Path:
    book = tmp_path / "台账.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", AS_OF, "--lang", lang)
    assert r.exit_code == 0, r.stderr
    return book


def test_a_missing_component_is_an_empty_cell_named_in_missing(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """longbei has no 政务服务 score in 2021-Q1 (LS407): the sheet showed 0, as if it had
    been scored 0.  Now the cell is empty and 缺项 names it; the total is unchanged
    (it counts the gap as 0); the year, a mean of quarters, keeps its figure and
    names the quarter."""
    _edit(example, "records/2021-Q1.yaml", *GAP)
    heads, rows = _sheet(_exported(cli, example, tmp_path), "得分 2021-Q1")
    assert heads[:10] == ["排名", "单位", "编号", "得分", "等次", "扣分", "约谈", "适用规则", "缺项",
                          "专项任务考核"]
    service = heads.index("政务服务开展情况")
    longbei, xzspj = rows["longbei"], rows["xzspj"]
    assert (longbei[3], longbei[8], longbei[service]) == (64.05, "政务服务开展情况", None)
    assert (xzspj[8], xzspj[service]) == (None, 88)
    heads, rows = _sheet(tmp_path / "台账.xlsx", "得分 2021")
    longbei = rows["longbei"]
    assert (longbei[3], longbei[heads.index("缺项")], longbei[heads.index("政务服务开展情况")]) == (
        74.02, "政务服务开展情况（2021-Q1）", 65)


def test_the_missing_column_in_english(cli: Callable[..., Run], example: Path,
                                       tmp_path: Path) -> None:
    _edit(example, "records/2021-Q1.yaml", *GAP)
    heads, rows = _sheet(_exported(cli, example, tmp_path, "en"), "Scores 2021-Q1")
    assert heads[8] == "Missing"
    assert rows["longbei"][8] == "政务服务开展情况"
    assert rows["longbei"][heads.index("政务服务开展情况")] is None


def test_no_missing_column_without_a_gap(cli: Callable[..., Run], example: Path,
                                         tmp_path: Path) -> None:
    heads, _ = _sheet(_exported(cli, example, tmp_path), "得分 2021-Q1")
    assert "缺项" not in heads


def test_the_sheet_with_missing_is_still_refused_by_import_scores(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """luoshi's own 得分 sheet, now with 缺项, is still no scoring body's sheet."""
    _edit(example, "records/2021-Q1.yaml", *GAP)
    book = _exported(cli, example, tmp_path)
    r = cli("import", "scores", book, example, "--period", "2021-Q1", "--dry-run",
            "--sheet", "得分 2021-Q1")
    assert r.exit_code == 2
    assert "luoshi export 导出的得分表" in r.stderr, r.stderr
