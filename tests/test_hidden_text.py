"""Text YAML reads without a word though it is not what the clerk wrote or sees
(load/hidden.py): LS025 an invisible or control character, LS026 text after ' #' read
as a comment, LS027 an anchor at a text value's start, LS222 a progress between 0 and
1 — each at its own line and column, in both languages, and the quick filters that
keep the scans cheap giving the exact answer of the full scans."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Run
from fuzzing import fuzz
from luoshi_cli.load import hidden
from luoshi_cli.load.source import Source
from luoshi_cli.load.yaml_fast import parse

CASE = Path(__file__).parent / "cases" / "invalid" / "hidden-text" / "ledger"


def _lines(run: Run, codes: str) -> list[str]:
    return [line for line in run.stdout.splitlines() if re.search(f" (?:{codes}) ", line)]


EN = [
    "tasks/econ.yaml:2:14: warning LS025 an invisible character U+200B (zero-width space) "
    "here: it is carried as it is into bulletins, status and exported sheets, where text "
    "that looks the same does not match (searches, comparisons, look-ups by name fail); "
    "delete it (most editors do not show it, VS Code marks it with a box or a highlight; "
    "or delete the words around it and type them again)",
    "tasks/econ.yaml:8:17: warning LS026 standard: YAML reads ' #' as the start of a "
    "comment, so the value is only '见文件' and '#3号' is dropped: if the '#' is part of "
    "the text, quote the whole value: standard: \"见文件 #3号\"",
    "tasks/econ.yaml:11:37: warning LS025 an invisible character U+000B (vertical tab, "
    "Word's manual line break) here: it is carried as it is into bulletins, status and "
    "exported sheets, where text that looks the same does not match (searches, "
    "comparisons, look-ups by name fail); delete it (most editors do not show it, VS Code "
    "marks it with a box or a highlight; or delete the words around it and type them again)",
    "tasks/econ.yaml:14:13: warning LS222 task T-001: progress is 0.5, below 1, which reads "
    "as 0.5%: if 50% is meant (an Excel percent cell holds the fraction 0.5), write 50",
    "tasks/econ.yaml:16:49: warning LS025 an invisible character U+FEFF (zero-width "
    "no-break space, a stray BOM) here: it is carried as it is into bulletins, status and "
    "exported sheets, where text that looks the same does not match (searches, "
    "comparisons, look-ups by name fail); delete it (most editors do not show it, VS Code "
    "marks it with a box or a highlight; or delete the words around it and type them again)",
    "tasks/econ.yaml:18:17: warning LS222 task T-001: the 2024-05 update's progress is 0.5, "
    "below 1, which reads as 0.5%: if 50% is meant (an Excel percent cell holds the "
    "fraction 0.5), write 50",
    "tasks/econ.yaml:21:10: warning LS027 title: the value starts with &重点, which YAML "
    "reads as an anchor (for *重点 to refer to), not as text, so the value read is "
    "'背街小巷综合整治'; if the '&' is part of the text, quote the whole value: "
    "title: \"&重点 背街小巷综合整治\"",
    "tasks/econ.yaml:32:10: warning LS027 title: the value starts with &背街小巷, which YAML "
    "reads as an anchor (for *背街小巷 to refer to), not as text, so the value read is "
    "empty; if the '&' is part of the text, quote the whole value: title: \"&背街小巷\"",
    "tasks/econ.yaml:32:10: error LS103 title should be text, not an empty value: correct it",
]
_ZH_SEEN = ("：它会原样带进通报、状态表和导出的表格，文字看起来相同却对不上（查找、比对、按名称匹配"
            "都会落空）；请删除它（多数编辑器不显示它，VS Code 会把它标成方框或高亮；也可以删掉它"
            "前后的几个字再重新输入）")
ZH = [
    "tasks/econ.yaml:2:14: warning LS025 此处有看不见的字符 U+200B（零宽空格）" + _ZH_SEEN,
    "tasks/econ.yaml:8:17: warning LS026 standard 的值中“ #”之后的文字被 YAML 当作注释丢掉了，"
    "只读到“见文件”，没有读到“#3号”：如果“#”是内容的一部分，请给整个值加引号："
    "standard: \"见文件 #3号\"",
    "tasks/econ.yaml:11:37: warning LS025 此处有看不见的字符 U+000B（垂直制表符，Word 的手动换行）"
    + _ZH_SEEN,
    "tasks/econ.yaml:14:13: warning LS222 任务 T-001：进度（progress）为 0.5，小于 1，按百分数读作 "
    "0.5%：如果是指 50%（Excel 的百分比单元格存的是小数 0.5），请写 50",
    "tasks/econ.yaml:16:49: warning LS025 此处有看不见的字符 U+FEFF（零宽不换行空格，即混进文字中的 "
    "BOM）" + _ZH_SEEN,
    "tasks/econ.yaml:18:17: warning LS222 任务 T-001：2024-05 月报的进度（progress）为 0.5，小于 1，"
    "按百分数读作 0.5%：如果是指 50%（Excel 的百分比单元格存的是小数 0.5），请写 50",
    "tasks/econ.yaml:21:10: warning LS027 title 的值以 &重点 开头：YAML 把它读成锚点（供别处用 *重点 "
    "引用），不是文字，读到的值是“背街小巷综合整治”；如果“&”是内容的一部分，请给整个值加引号："
    "title: \"&重点 背街小巷综合整治\"",
    "tasks/econ.yaml:32:10: warning LS027 title 的值以 &背街小巷 开头：YAML 把它读成锚点（供别处用 "
    "*背街小巷 引用），不是文字，读到的值为空；如果“&”是内容的一部分，请给整个值加引号："
    "title: \"&背街小巷\"",
    "tasks/econ.yaml:32:10: error LS103 title 应为文本，实际是空值：请改正",
]


@pytest.mark.parametrize("lang,expected", [("en", EN), ("zh", ZH)])
def test_hidden_text_is_named_at_its_line_and_column(
        lang: str, expected: list[str], cli: Callable[..., Run], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A zero-width space in a title, Word's manual line break (U+000B) in a milestone
    standard, a stray BOM in a note (LS025); `standard: 见文件 #3号`, read as 见文件
    (LS026) — while `note: 已完成  # 待核实`, two blanks then a comment, is one meant and
    not named; `title: &重点 背街小巷综合整治` and `title: &背街小巷`, anchors (LS027), the
    second leaving the title empty: LS103 at its own line (PyYAML refused `&背街小巷`
    and the control character, so every finding of the file was placed at 1:1);
    progress 0.5 on the task and on an update (LS222).  All were read silently."""
    shutil.copytree(CASE, tmp_path / "ledger")
    monkeypatch.chdir(tmp_path / "ledger")
    run = cli("validate", ".", "--as-of", "2024-05-31", "--lang", lang)
    assert _lines(run, "LS025|LS026|LS027|LS222|LS103") == expected
    assert "待核实" not in run.stdout
    assert run.exit_code == 1


def _findings(text: str) -> list[str]:
    src = Source(Path("t.yaml"), "t.yaml")
    src.text = text
    parse(src)
    return [f"{f.line}:{f.col} {f.code} {f.message('en')}" for f in src.findings]


def test_more_than_one_hidden_character_on_a_line_is_one_finding() -> None:
    """One finding a line, at its first invisible character, counting the others."""
    got = _findings("- title: 推进\u200b重点\u200b项目\u2060\n  note: 好\x08\n")
    assert [g.split(" here")[0] for g in got] == [
        "1:12 LS025 an invisible character U+200B (zero-width space)",
        "2:10 LS025 an invisible character U+0008 (backspace)"]
    assert ", and 2 more on this line:" in got[0]


@pytest.mark.parametrize("text", [
    "- title: 背街小巷 # 整治\n",  # one blank, ASCII: a comment meant? one blank is a slip
    "- title: 背街小巷 #3号\n",    # one blank, a digit after the '#'
])
def test_a_cut_value_is_named(text: str) -> None:
    """LS026 where the comment follows the value after one blank."""
    assert [g.split(" LS026 ")[0] for g in _findings(text) if " LS026 " in g] == [
        f"1:{text.index('#') + 1}"]


@pytest.mark.parametrize("text", [
    "- title: 背街小巷  # 待核实\n",       # two blanks and a space: a comment meant
    # two blanks, whatever follows: a comment meant, as the user guide tells clerks
    # to write one (the review: `note: 已完成  #待核实` was warned)
    "- title: 背街小巷  #3号\n",
    "- note: 已完成  #待核实\n",
    "- title: 背街小巷\t#备注\n",
    # ids, not text: quoting them as LS026 advised made an unknown unit (review)
    "- {date: 2024-05-01}\n- unit: zhangjiacun # 张家村\n",
    "- kind: veto #否决\n",
    "- approved_by: wang #王书记\n",
    "# 说明  # 注释\n- title: 背街小巷\n",  # comment lines
    "- title: '见文件 #3号'\n",             # quoted
    "- title: |\n    见文件 #3号\n",        # a block scalar's line
    "- title: &a 背街小巷\n- name: *a\n",   # an anchor the file refers to
    "- id: &x T-1 #3\n",                    # not a free-text key
])
def test_what_is_meant_is_not_named(text: str) -> None:
    """Comments and anchors meant as such, quoted and block text: no finding."""
    assert _findings(text) == []


#: every character LS025 may name that `str.isprintable()` passes, but those left out
_PRINTABLE = [chr(c) for c in range(sys.maxunicode + 1)
              if chr(c).isprintable() and hidden._HIDDEN_CHAR.match(chr(c))]


def test_each_printable_hidden_character_is_caught_by_the_filter() -> None:
    """The filter's short lists (lead bytes, characters) are all the printable hidden
    characters but `LEFT_OUT`: each alone in Chinese text is named, and passes the
    filter; U+2800 and a lone U+FE00–FE0E are left out (documented), not named.  (At
    a value's start: a selector right after a character selects its form, and stays.)"""
    assert len(_PRINTABLE) == 268
    for c in _PRINTABLE:
        text = f"- title: {c}推进重点\n"
        named = hidden._hidden("t.yaml", text)
        if c in hidden.LEFT_OUT:
            assert named == [], f"U+{ord(c):04X}"
        else:
            assert len(named) == 1 and hidden._may_hide(text, text.encode()), f"U+{ord(c):04X}"


_SPECIAL = sorted({*_PRINTABLE, *"\x00\x08\x0b\x0c\x1b\x7f\x85\x9f\xa0\xad\u061c\u200b\u200d"
                   "\u200e\u202e\u2028\u2029\u2060\u2066\u3000\ufeff\ufff9\U0001bca0"
                   "\U000e0001\U000e0041\U000e007f\r\t\n 推进重点项目a1#&:-🏴👨\u0628"})


@fuzz(300)
@given(st.text(alphabet=st.one_of(st.sampled_from(_SPECIAL), st.characters()), max_size=40))
def test_the_filter_gives_the_answer_of_the_full_scan(text: str) -> None:
    """`_may_hide` (isprintable and a few searches) passes only text where the full
    per-character scan finds nothing: filtered and unfiltered answers are equal."""
    raw = text.encode("utf-8", "surrogatepass")
    full = hidden._hidden("t.yaml", text)
    filtered = hidden._hidden("t.yaml", text) if hidden._may_hide(text, raw) else []
    assert filtered == full


@fuzz(200)
@given(st.lists(st.sampled_from([
    "- title: 背街小巷 #3号", "  note: 已完成  # 待核实", "  # 注释", "    # 深缩进的注释",
    "  standard: &重点 整治", "  name: a & b", "  title: x\t#y", "#", "&", " #", "",
    "  - {title: a #b}", "  by: 张三 # 1", "  title: 'a #b'",
]), max_size=12))
def test_line_search_finds_what_the_whole_text_regex_finds(lines: list[str]) -> None:
    """`_lines_at` matches the line regex only on lines where a '#' or '&' follows a
    blank (not on comment lines): the same matches as the regex over every line."""
    text = "\n".join(lines)
    for marks, pattern in ((hidden._HASH, hidden._CUT), (hidden._AMP, hidden._ANCHOR)):
        assert [m.span() for m in hidden._lines_at(text, marks, pattern)] == [
            m.span() for m in pattern.finditer(text)]


def test_an_anchor_in_a_windows_file_is_named_and_an_alias_is_matched_whole() -> None:
    """LS027 never fired in a CRLF file (its pattern's `$` met the `\\r`: review), and an
    anchor counted as referred to when any longer text held `*` and its name
    (`*zdxm` for `&zd`)."""
    assert [g.split(" LS027 ")[0] for g in _findings(
        "- title: &重点 背街小巷综合整治\r\n  note: 好\r\n") if " LS027 " in g] == ["1:10"]
    assert [g.split(" LS027 ")[0] for g in _findings(
        "- title: &zd 背街小巷综合整治\n  note: '*zdxm'\n") if " LS027 " in g] == ["1:10"]
    assert _findings("- title: &zd 背街小巷综合整治\n- name: *zd\n") == []


def test_a_long_run_of_blanks_is_one_step_per_blank() -> None:
    """LS026's and LS027's line patterns took a plain value lazily and tried the
    comment at every blank of a run again: a title with 30,000 blanks inside took
    6.5 s (LS026) and 23 s (LS027) for its one line, 300,000 would take hours (review).
    Taken possessively, both lines here are read at once, with the same findings as a
    short run gives: the `#` after one blank is text, the one after two a comment."""
    import yaml

    from luoshi_cli.load.hidden import hidden_text

    gap = " " * 300_000
    text = (f"- title: &a x{gap}y #3号\n  note: 已完成{gap}b #待核实\n"
            f"  standard: 见文件{gap}c  # 注释\n")
    data = yaml.safe_load(text.replace(" #3号", "").replace(" #待核实", ""))
    found = hidden_text("t.yaml", text, text.encode(), data)
    assert [(f.code, f.line) for f in found] == [("LS026", 2), ("LS027", 1)]
