"""LS010 in Chinese says what the parser found in Chinese (audit J item 15): the
phrases of libyaml (PyYAML's C loader) and yaml_rs that reach a clerk when no rule of
`load/syntax.py` recognises the mistake are translated phrase by phrase; English keeps
the parser's words.  One test per phrase family, through `luoshi validate`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from luoshi_cli.load.syntax import parser_words

LEDGER = Path(__file__).parent / "cases" / "valid" / "task-ledger" / "ledger"
CHECK = "：请检查这一行及上一行的缩进、冒号（后面要有空格）和引号"
CHECK_EN = (": check the indentation, the colons (a space after each) and the quotes of this "
            "line and the one above")


@pytest.mark.parametrize(("body", "zh", "en"), [
    # the audit's: a flow collection left open at the end of the file (with a
    # full-width colon above, whose hint is given instead of the generic advice)
    ("title: a：b\n  x: [",
     "tasks/x.yaml:4:1: error LS010 YAML 语法错误：读取方括号或花括号里的内容时，没有找到应有的内容"
     + CHECK,
     "tasks/x.yaml:4:1: error LS010 YAML syntax error: while parsing a flow node, did not "
     "find expected node content" + CHECK_EN),
    # a character no value can start with
    ("title: @x",
     "tasks/x.yaml:2:10: error LS010 YAML 语法错误：读取下一项内容时，发现不能出现在这里的字符"
     "（如 @、` 或 %；以它开头的值要加引号）" + CHECK,
     "tasks/x.yaml:2:10: error LS010 YAML syntax error: while scanning for the next token, "
     "found character that cannot start any token" + CHECK_EN),
    # a backslash in double quotes
    ('title: "a\\q"',
     "tasks/x.yaml:2:12: error LS010 YAML 语法错误：读取带引号的文字时，未知的转义字符（双引号里的"
     "“\\”后只能跟规定的字符；要写“\\”本身请写成“\\\\”，或改用单引号）" + CHECK,
     "tasks/x.yaml:2:12: error LS010 YAML syntax error: while parsing a quoted scalar, found "
     "unknown escape character" + CHECK_EN),
    # a block scalar's indentation indicator
    ("title: |0\n   x",
     "tasks/x.yaml:2:11: error LS010 YAML 语法错误：读取多行文字（| 或 >）时，多行文字的缩进数字"
     "不能是 0" + CHECK,
     "tasks/x.yaml:2:11: error LS010 YAML syntax error: while scanning a block scalar, found "
     "an indentation indicator equal to 0" + CHECK_EN),
    # "- " where a value belongs
    ("title: - b",
     "tasks/x.yaml:2:10: error LS010 YAML 语法错误：这里不能出现以“- ”开头的列表项" + CHECK,
     "tasks/x.yaml:2:10: error LS010 YAML syntax error: block sequence entries are not "
     "allowed in this context" + CHECK_EN),
    # a verbatim tag left open
    ("title: !<x y",
     "tasks/x.yaml:2:13: error LS010 YAML 语法错误：读取标签（以 ! 开头）时，没有找到应有的“>”"
     + CHECK,
     "tasks/x.yaml:2:13: error LS010 YAML syntax error: while scanning a tag, did not find "
     "the expected '>'" + CHECK_EN),
    # yaml_rs refuses what PyYAML reads (YAML 1.2): its words, translated too
    ("title: 'x\n   y'",
     "tasks/x.yaml:3:4: error LS010 YAML 语法错误：跨行的带引号文字，续行的缩进不够",
     "tasks/x.yaml:3:4: error LS010 YAML syntax error: invalid indentation in multiline "
     "quoted scalar"),
    ('title: "x\n\ty"',
     "tasks/x.yaml:3:1: error LS010 YAML 语法错误：发现制表符（Tab）：YAML 的缩进只能用空格",
     "tasks/x.yaml:3:1: error LS010 YAML syntax error: tab cannot be used as indentation"),
])
def test_parser_words_in_chinese(cli: Callable[..., Run], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch,
                                 body: str, zh: str, en: str) -> None:
    shutil.copytree(LEDGER, tmp_path / "ledger")
    monkeypatch.chdir(tmp_path / "ledger")
    (tmp_path / "ledger" / "tasks" / "x.yaml").write_text(f"- id: T-009\n  {body}\n",
                                                          encoding="utf-8")
    for lang, want in (("zh", zh), ("en", en)):
        run = cli("validate", ".", "--as-of", "2024-05-31", "--lang", lang)
        assert [ln for ln in run.stdout.splitlines() if "LS010" in ln] == [want]


def test_words_of_the_pure_python_loader_and_unknown_ones() -> None:
    """PyYAML without libyaml words some problems as "expected X, but found Y"; a
    phrase in no table keeps the parser's English in Chinese too (never half a
    translation)."""
    assert parser_words("while parsing a flow sequence, expected ',' or ']', but got "
                        "'<scalar>'") == (
        "读取方括号“[…]”时，这里应为 ',' 或 ']'，却是 '<scalar>'",
        "while parsing a flow sequence, expected ',' or ']', but got '<scalar>'")
    assert parser_words("unclosed bracket '{'") == ("括号“{”没有闭合", "unclosed bracket '{'")
    odd = "while parsing a flow node, something no parser says yet"
    assert parser_words(odd) == (odd, odd)
