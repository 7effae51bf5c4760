"""Messages that pointed a clerk the wrong way, from an audit of Chinese-office traps
on the 渭南 2021 example: each finding names the real cause, with advice that does
not make things worse (a duplicate unit, a value left as it was)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    p.write_text(text.replace(old, new), encoding="utf-8")


def _findings(cli: Callable[..., Run], root: Path, lang: str = "zh",
              severity: str = "error") -> list[str]:
    """The findings of `severity` `luoshi validate` prints (the example's LS601
    warnings about monthly reports are left out)."""
    run = cli("validate", root, "--as-of", "2021-12-31", "--lang", lang)
    return [line.split(": ", 1)[0].removeprefix(f"{root}/") + ": " + line.split(": ", 1)[1]
            for line in run.stdout.splitlines() if f": {severity} LS" in line]


# ---- A. a broken units.yaml is the one finding, not 128 "unknown unit" ones ----------------

@pytest.mark.parametrize(("damage", "expected"), [
    (lambda t: t.replace("{id: weinangs, ", "{id: weinangs："),
     "units.yaml:16:5: error LS010 YAML 语法错误：花括号“{”没有配对的“}”，或者两项之间缺少逗号："
     "请检查这一行的花括号"),
    (None,
     "units.yaml:1:1: error LS004 文件不是 UTF-8 编码（看起来是 GB18030 (GBK)）：请转换为 UTF-8，"
     "例如 iconv -f GB18030 -t UTF-8 units.yaml -o units.yaml.utf8，打开 units.yaml.utf8 "
     "确认文字无误后再 mv units.yaml.utf8 units.yaml，或在编辑器中“另存为 UTF-8”"),
], ids=["syntax-error", "gbk"])
def test_a_broken_units_file_is_not_buried_under_unknown_units_in_records(
        cli: Callable[..., Run], example: Path,
        damage: Callable[[str], str] | None, expected: str) -> None:
    """units.yaml saved as GBK, or with a syntax error, could not be read: every unit a
    record scores was then reported "unknown" (LS110 … 请在 units.yaml 中添加该单位, 128
    lines before the one real finding) — advice to add units that are there.  Records
    now stay quiet about units as tasks do (checks/refs.py)."""
    p = example / "units.yaml"
    text = p.read_text(encoding="utf-8")
    if damage is None:
        p.write_bytes(text.encode("gbk"))
    else:
        p.write_text(damage(text), encoding="utf-8")
    assert _findings(cli, example) == [expected]


# ---- B. a record naming a unit or component by its name is told the id ------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", ["records/2021-Q2.yaml:8:3: error LS110 2021-Q2 得分引用了不存在的单位 崇业路街道"
            "（崇业路街道 是单位 chongyelu 的名称）：请写 chongyelu",
            "records/2021-Q2.yaml:8:11: error LS113 崇业路街道 的 “12345”快速响应平台群众诉求办理情况 "
            "引用了考核办法中不存在的指标 “12345”快速响应平台群众诉求办理情况（“12345”快速响应平台"
            "群众诉求办理情况 是指标 hotline 的名称）：请写 hotline"]),
    ("en", ["records/2021-Q2.yaml:8:3: error LS110 2021-Q2 scores names unknown unit 崇业路街道 "
            "(崇业路街道 is the name of unit chongyelu): write chongyelu",
            "records/2021-Q2.yaml:8:11: error LS113 崇业路街道 / “12345”快速响应平台群众诉求办理情况 "
            "names unknown scheme component “12345”快速响应平台群众诉求办理情况 (“12345”快速响应平台"
            "群众诉求办理情况 is the name of component hotline): write hotline"]),
])
def test_a_record_naming_a_unit_or_component_by_name_is_told_its_id(
        cli: Callable[..., Run], example: Path, lang: str, expected: list[str]) -> None:
    """`崇业路街道: {…}` in a record said 请在 units.yaml 中添加该单位 — advice that makes a
    second unit of the same name; a component's name said only 请对照 scheme.yaml 改正.
    Both now give the id to write, as a task's `lead: 崇业路街道` does."""
    _edit(example, "records/2021-Q2.yaml", "chongyelu:     {hotline: 87.5",
          "崇业路街道: {“12345”快速响应平台群众诉求办理情况: 87.5")
    assert _findings(cli, example, lang) == expected


# ---- C. a number written as text is shown, with the number it means ----------------------

@pytest.mark.parametrize(("written", "zh"), [
    ("５５", "文本“５５”：请改用半角数字，写 55"),
    ("55%", "文本“55%”：请去掉百分号，写 55"),
    ("８０％", "文本“８０％”：请去掉百分号，改用半角数字，写 80"),
    ("百分之五十五", "文本“百分之五十五”：请去掉“百分之”，改用阿拉伯数字，写 55"),
    ('"55"', "文本“55”：请去掉引号（加了引号就是文本），写 55"),
    ("55\u3000", "文本“55\u3000”：请删去末尾的全角空格，写 55"),
    ("55\u00a0", "文本“55\u00a0”：请删去末尾的不间断空格，写 55"),
    ("大约一半", "文本“大约一半”：请改正"),
])
def test_progress_written_as_text_is_shown_with_the_number_it_means(
        cli: Callable[..., Run], example: Path, written: str, zh: str) -> None:
    """`progress: ５５` (and 55%, 百分之五十五, "55", a trailing U+3000 from an input
    method) all said `progress 应为数字，实际是文本：请改正` — the clerk saw 55 on the line
    and nothing wrong.  The finding now quotes what was written (the quotes show a
    trailing blank) and, where the slip is recognisable, the number to write."""
    _edit(example, "tasks/city.yaml", "  progress: 55\n", f"  progress: {written}\n")
    assert _findings(cli, example) == [
        f"tasks/city.yaml:16:13: error LS103 progress 应为数字，实际是{zh}"]


@pytest.mark.parametrize(("written", "lang", "expected"), [
    ("８７.５", "zh", "hotline 应为数字，实际是文本“８７.５”：请改用半角数字，写 87.5"),
    ("87。5", "zh", "hotline 应为数字，实际是文本“87。5”：请把句号“。”改为小数点“.”，写 87.5"),
    ("８７.５", "en", 'hotline should be a number, not the text "８７.５": use half-width '
                     "(ASCII) digits; write 87.5"),
    ("87。5", "en", 'hotline should be a number, not the text "87。5": write the decimal '
                   "point as ., not 。; write 87.5"),
])
def test_a_score_written_as_text_is_shown_with_the_number_it_means(
        cli: Callable[..., Run], example: Path, written: str, lang: str, expected: str) -> None:
    """The same for a record's scores (`hotline: ８７.５`, a full stop for the point):
    they said `hotline 应为数字，实际是文本：请改正`."""
    _edit(example, "records/2021-Q2.yaml", "chongyelu:     {hotline: 87.5",
          f"chongyelu:     {{hotline: {written}")
    assert _findings(cli, example, lang) == [
        f"records/2021-Q2.yaml:8:28: error LS103 {expected}"]
