"""YAML syntax errors (LS010) in the clerk's words, where the mistake is (load/syntax.py).

Each case is a one-task file with one slip an office makes; the finding must sit on
the slip's own line and column (PyYAML gives up a line or many lines later) and say
the fix in Chinese and English.  Found by an audit of SPEC §6: the findings used to
be the parser's English ("while scanning a simple key, could not find expected ':'")
on the next line, or 13 lines below an unclosed quote."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

CONFIG = "title: 测试台账\nyear: 2024\ncategories:\n  - {id: econ, name: 经济发展}\n"
UNITS = "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: li, name: 李某, title: 副区长}\n"
TASK = """- id: T-001
  title: 推进项目
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {due: 2024-03-31, standard: 前期, done: 2024-03-28}
    - {due: 2024-12-31, standard: 全部}
  status: in_progress
  progress: 45
  updates:
    - {month: "2024-04", progress: 40, note: "已开工"}
"""

CASES = {
    # lead:fgw on line 4 (PyYAML: line 5, "while scanning a simple key")
    "colon-without-space": (
        ("  lead: fgw", "  lead:fgw"), "4:3",
        "冒号后面缺少空格：YAML 的“键: 值”在冒号后必须有一个空格，请写成“lead: fgw”",
        'no space after the colon: YAML needs a space after the colon of "key: value"; '
        'write "lead: fgw"'),
    # leaders: [li on line 5 (PyYAML: line 6)
    "bracket-never-closed": (
        ("leaders: [li]", "leaders: [li"), "5:12",
        "方括号“[”没有配对的“]”，或者列表的两项之间缺少逗号：请检查这一行的方括号",
        'the bracket "[" is never closed, or two items lack a comma between them: check '
        "the brackets of this line"),
    # a milestone {… on line 10 without its }
    "brace-never-closed": (
        ("standard: 全部}", "standard: 全部"), "10:7",
        "花括号“{”没有配对的“}”，或者两项之间缺少逗号：请检查这一行的花括号",
        'the brace "{" is never closed, or two entries lack a comma between them: check '
        "the braces of this line"),
    # title: "推进项目 on line 2 (PyYAML: line 14, at the note's quote)
    "quote-never-closed": (
        ("title: 推进项目", 'title: "推进项目'), "2:10",
        "引号没有闭合：这一行的值以引号开头，却没有在行内结束；请补上结尾的引号，或者去掉开头的引号",
        "a quote is never closed: the value on this line starts with a quote that does not "
        "end on the line; add the closing quote, or remove the opening one"),
    # category one space to the left on line 3
    "key-out-of-line": (
        ("  category: econ", " category: econ"), "3:2",
        "缩进不对：这一行既没有与上面同一层的键对齐，也不是以“- ”开头的列表项；请用空格把它与同一层"
        "的键或列表项对齐（短横线后要有空格）",
        "wrong indentation: this line is neither aligned with the keys of its level above "
        'nor a list item starting with "- "; align it with spaces (a dash needs a space '
        "after it)"),
    # a colon and a space inside a plain value on line 7
    "colon-in-a-value": (
        ("standard: 完成\n", "standard: 目标: 完成\n"), "7:15",
        "值里有“: ”（冒号加空格），YAML 会把它读成新的键：请给整个值加引号，如 title: \"…\"",
        'the value holds ": " (a colon and a space), which YAML reads as a new key: quote '
        'the whole value, e.g. title: "…"'),
}


@pytest.mark.parametrize("name", list(CASES))
def test_syntax_slip_is_explained_where_it_is(name: str, write: Callable[..., Path],
                                              cli: Callable[..., Run]) -> None:
    (old, new), place, zh, en = CASES[name]
    assert old in TASK
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": TASK.replace(old, new, 1)})
    for lang, words, head in (("zh", zh, "YAML 语法错误："), ("en", en, "YAML syntax error: ")):
        r = cli("validate", root, "--as-of", "2024-05-31", "--lang", lang)
        assert r.exit_code == 1
        assert r.stdout.splitlines() == [f"tasks/a.yaml:{place}: error LS010 {head}{words}"]


def test_an_unrecognised_slip_keeps_the_parsers_words_with_the_advice(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """An anchor name cut off (`&` alone) is no shape luoshi knows: the parser's words
    stay (in Chinese, phrase by phrase), followed by what to check."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": TASK.replace("  title: 推进项目", "  title: & 推进项目", 1)})
    r = cli("validate", root, "--as-of", "2024-05-31", "--lang", "zh")
    assert r.exit_code == 1
    [line] = r.stdout.splitlines()
    assert line.startswith("tasks/a.yaml:2:")
    assert "error LS010 YAML 语法错误：读取锚点（&名称）时，没有找到应有的字母或数字：" in line
    assert line.endswith("：请检查这一行及上一行的缩进、冒号（后面要有空格）和引号")


def test_a_quote_over_two_lines_is_not_blamed_for_a_slip_elsewhere(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """A quoted value may go on over two lines (valid YAML); the slip below it — a
    bracket never closed — is the one named, not the quote."""
    task = TASK.replace('note: "已开工"}', 'note: "已开工\n      一半"}').replace(
        "leaders: [li]", "leaders: [li")
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": task})
    r = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert r.stdout.splitlines() == [
        'tasks/a.yaml:5:12: error LS010 YAML syntax error: the bracket "[" is never closed, '
        "or two items lack a comma between them: check the brackets of this line"]
