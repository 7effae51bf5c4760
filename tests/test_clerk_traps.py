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
