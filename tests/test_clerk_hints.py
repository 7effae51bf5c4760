"""Clerk slips whose findings pointed the wrong way, on the 碑林 example: each now
names the real cause at the line to edit, with the line as it should be written.

- a full-width colon `title：…`, or a full-width space right after the colon
  `title:\u3000…`: the line is text with no key (LS010 said "not key: value" or
  blamed the next line);
- a value starting with a quote or a bracket that closes before the value ends
  (`title: "十四五"规划重点项目`): LS010 said 缩进不对;
- LS027's quoted value kept ` #…` out, though YAML cut it as a comment too;
- LS106 of a date and time, LS107: the task and the field named, as other task
  findings name them;
- a key written as its Chinese name (`进度: 50`): LS101 offers the field;
- U+FFFE / U+FFFF: LS025 named none, and every finding of the file fell back to 1:1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

TITLE = "  title: 重点项目开复工\n"


@pytest.fixture
def beilin(tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the 碑林 example, the current directory (paths print as tasks/…)."""
    root = tmp_path / "beilin"
    assert cli("init", root, "--example", "beilin").exit_code == 0
    monkeypatch.chdir(root)
    return root


def _edit(root: Path, old: str, new: str, rel: str = "tasks/key.yaml") -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def _found(cli: Callable[..., Run], root: Path, lang: str = "zh",
           select: tuple[str, ...] = ("LS0", "LS1")) -> list[str]:
    """The findings of the task file, `file:line:col: severity code message`."""
    args: list[str] = []
    for s in select:
        args += ["--select", s]
    run = cli("validate", ".", "--as-of", "2024-12-31", "--lang", lang, *args)
    return [line for line in run.stdout.splitlines() if line.startswith("tasks/")]


# ---- 1. a full-width colon, a full-width space after the colon ----------------------------

@pytest.mark.parametrize(("line", "lang", "expected"), [
    ("  title：重点项目开复工\n", "zh",
     "tasks/key.yaml:3:8: error LS010 YAML 语法错误：这里用了全角冒号“：”：YAML 只认半角冒号加"
     "空格“: ”，这一行就成了一段没有键的文字；请改为 title: 重点项目开复工"),
    ("  title：重点项目开复工\n", "en",
     "tasks/key.yaml:3:8: error LS010 YAML syntax error: a full-width colon '：' here: YAML "
     "knows only the ASCII colon and a space ': ', so the line is text with no key; write "
     "title: 重点项目开复工"),
    ("  title:\u3000重点项目开复工\n", "zh",
     "tasks/key.yaml:3:9: error LS010 YAML 语法错误：冒号后面是全角空格（U+3000）：YAML 只认"
     "冒号后的半角空格，这一行就成了一段没有键的文字；请改为 title: 重点项目开复工"),
    ("  title:\u3000重点项目开复工\n", "en",
     "tasks/key.yaml:3:9: error LS010 YAML syntax error: the colon is followed by a "
     "full-width space (U+3000): YAML knows only an ASCII space after the colon, so the "
     "line is text with no key; write title: 重点项目开复工"),
    ("  title：\u3000重点项目开复工\n", "zh",
     "tasks/key.yaml:3:8: error LS010 YAML 语法错误：这里用了全角冒号“：”：YAML 只认半角冒号加"
     "空格“: ”，这一行就成了一段没有键的文字；请改为 title: 重点项目开复工"),
], ids=["colon-zh", "colon-en", "space-zh", "space-en", "both"])
def test_a_full_width_colon_or_space_is_named_at_its_line_with_the_line_corrected(
        cli: Callable[..., Run], beilin: Path, line: str, lang: str, expected: str) -> None:
    """Before: the full-width colon was reported on the next line (4:3, 读取键时，没有找到
    应有的冒号“:”（第 3 行用了全角冒号…）), the space after the colon as 这一行不是“键: 值”
    的形式 … 请补上冒号 — there is a colon."""
    _edit(beilin, TITLE, line)
    assert _found(cli, beilin, lang) == [expected]


def test_a_full_width_colon_inside_braces_is_told_in_the_unknown_key(
        cli: Callable[..., Run], beilin: Path) -> None:
    """In `{…}` a colon with no blank after it stays in the text: `standard：开工5个` is
    one key, unknown; the hint says why and what to write."""
    _edit(beilin, "standard: 开工5个,", "standard：开工5个,")
    assert _found(cli, beilin) == [
        "tasks/key.yaml:11:7: error LS102 序时节点缺少必需的键 standard：请补上",
        "tasks/key.yaml:11:25: error LS101 序时节点中有未知的键 standard：开工5个（用了全角冒号"
        "“：”，YAML 把整段读成了一个键：请写成 standard: 开工5个）：请检查拼写，或删除它",
    ]


# ---- 2. a value that starts with a quote or a bracket and goes on -------------------------

@pytest.mark.parametrize(("old", "new", "lang", "expected"), [
    (TITLE, '  title: "十四五"规划重点项目\n', "zh",
     "tasks/key.yaml:3:10: error LS010 YAML 语法错误：值以引号开头：YAML 把 \"十四五\" 读成一段"
     "带引号的文字，到下一个引号就结束了，后面的“规划重点项目”无处安放；引号是文字的一部分时，"
     "请用另一种引号把整个值括起来：title: '\"十四五\"规划重点项目'"),
    (TITLE, '  title: "十四五"规划重点项目\n', "en",
     "tasks/key.yaml:3:10: error LS010 YAML syntax error: the value starts with a quote: "
     "YAML reads \"十四五\" as a quoted text that ends at the next quote, and '规划重点项目' "
     "after it has no place; if the quotes are part of the text, quote the whole value "
     "with the other kind of quote: title: '\"十四五\"规划重点项目'"),
    (TITLE, "  title: '十四五'规划重点项目\n", "zh",
     "tasks/key.yaml:3:10: error LS010 YAML 语法错误：值以引号开头：YAML 把 '十四五' 读成一段"
     "带引号的文字，到下一个引号就结束了，后面的“规划重点项目”无处安放；引号是文字的一部分时，"
     "请用另一种引号把整个值括起来：title: \"'十四五'规划重点项目\""),
    (TITLE, "  title: [重点]背街小巷整治\n", "zh",
     "tasks/key.yaml:3:10: error LS010 YAML 语法错误：值以括号“[”开头：YAML 把 [重点] 读成"
     "列表，后面的“背街小巷整治”无处安放；括号是文字的一部分时，请给整个值加引号："
     "title: \"[重点]背街小巷整治\""),
    (TITLE, "  title: {重点}背街小巷整治  # 注释\n", "en",
     "tasks/key.yaml:3:10: error LS010 YAML syntax error: the value starts with a bracket "
     "'{': YAML reads {重点} as a mapping (key: value), and '背街小巷整治' after it has no "
     "place; if the bracket is part of the text, quote the whole value: "
     "title: \"{重点}背街小巷整治\""),
    ("standard: 开工5个,", 'standard: "开工"5个,', "zh",
     "tasks/key.yaml:11:35: error LS010 YAML 语法错误：值以引号开头：YAML 把 \"开工\" 读成一段"
     "带引号的文字，到下一个引号就结束了，后面的“5个”无处安放；引号是文字的一部分时，请用另一种"
     "引号把整个值括起来：standard: '\"开工\"5个'"),
    (TITLE, '  title: "a\\"b"c\'d\n', "zh",
     "tasks/key.yaml:3:10: error LS010 YAML 语法错误：值以引号开头：YAML 把 \"a\\\"b\" 读成一段"
     "带引号的文字，到下一个引号就结束了，后面的“c'd”无处安放；引号是文字的一部分时，请用另一种"
     "引号把整个值括起来：title: \"\\\"a\\\\\\\"b\\\"c'd\""),
], ids=["double-zh", "double-en", "single", "list", "mapping-comment", "flow", "both-quotes"])
def test_a_value_starting_with_a_quote_or_bracket_says_so_and_shows_it_quoted(
        cli: Callable[..., Run], beilin: Path, old: str, new: str, lang: str,
        expected: str) -> None:
    """Before: 缩进不对：这一行既没有与上面同一层的键对齐… at the text after the quote."""
    _edit(beilin, old, new)
    assert _found(cli, beilin, lang) == [expected]


@pytest.mark.parametrize("value", [
    "【重点】背街小巷整治", "'\"十四五\"规划重点项目'", "\"'十四五'规划重点项目\"",
    "\"[重点]背街小巷整治\"", "\"十四五规划重点项目\"  # 注释", "\"十四五规划\" # 注释",
    "重点[一]项目", "“十四五”规划重点项目",
])
def test_legal_values_with_quotes_and_brackets_are_left_alone(
        cli: Callable[..., Run], beilin: Path, value: str) -> None:
    _edit(beilin, TITLE, f"  title: {value}\n")
    assert _found(cli, beilin) == []


# ---- 3. LS027 keeps what was written after a single blank and '#' --------------------------

@pytest.mark.parametrize(("value", "col", "read", "quoted"), [
    ("&重点 背街 #3号", 10, "读到的值是“背街”", '"&重点 背街 #3号"'),
    ("&重点 背街#3号", 10, "读到的值是“背街#3号”", '"&重点 背街#3号"'),
    ("&重点 背街  # 注释", 10, "读到的值是“背街”", '"&重点 背街"'),
    ("&重点 背街\t# 注释", 10, "读到的值是“背街”", '"&重点 背街"'),
])
def test_an_anchor_s_quoted_value_keeps_the_text_yaml_cut(
        cli: Callable[..., Run], beilin: Path, value: str, col: int, read: str,
        quoted: str) -> None:
    """Before: `&重点 背街 #3号` was told to write "&重点 背街" (the 3号 lost for good), and
    `&重点 背街#3号` (no blank before '#': text to YAML) got no LS027 at all.  A comment
    after two blanks or a tab is one meant (LS026's rule) and stays out."""
    _edit(beilin, TITLE, f"  title: {value}\n")
    assert _found(cli, beilin) == [
        f"tasks/key.yaml:3:{col}: warning LS027 title 的值以 &重点 开头：YAML 把它读成锚点（供别处"
        f"用 *重点 引用），不是文字，{read}；如果“&”是内容的一部分，请给整个值加引号："
        f"title: {quoted}"]


# ---- 4. LS106 / LS107 name the task ---------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "lang", "expected"), [
    ("start: 2024-01-01", "start: 2024-01-01 10:00:00", "zh",
     "tasks/key.yaml:8:10: error LS106 任务 K-01：start 的值 2024-01-01T10:00:00 不是 "
     "YYYY-MM-DD 形式的日期：请写成如 2024-05-31"),
    ('{month: "2024-03", progress: 50}', "{month: 2024-3, progress: 50}", "zh",
     "tasks/key.yaml:16:15: error LS107 任务 K-01：月度进展 month 的值 2024-3 不是 YYYY-MM "
     "形式的月份：请写 \"2024-03\""),
    ('{month: "2024-03", progress: 50}', "{month: 2024-3, progress: 50}", "en",
     "tasks/key.yaml:16:15: error LS107 task K-01: update month: 2024-3 is not a YYYY-MM "
     "month: write \"2024-03\""),
], ids=["datetime", "month-zh", "month-en"])
def test_date_and_month_findings_name_the_task(
        cli: Callable[..., Run], beilin: Path, old: str, new: str, lang: str,
        expected: str) -> None:
    _edit(beilin, old, new)
    assert _found(cli, beilin, lang) == [expected]


# ---- 5. a key written as its Chinese name ---------------------------------------------------

@pytest.mark.parametrize(("old", "new", "lang", "expected"), [
    ('{month: "2024-03", progress: 50}', '{month: "2024-03", 进度: 50}', "zh",
     ["tasks/key.yaml:16:26: error LS101 月度进展中有未知的键 进度（是不是 progress？键名要用"
      "英文写）：请检查拼写，或删除它"]),
    ('{month: "2024-03", progress: 50}', '{month: "2024-03", 进度: 50}', "en",
     ["tasks/key.yaml:16:26: error LS101 unknown key 进度 in a monthly update (did you "
      "mean progress? keys are written in English): check the spelling or remove it"]),
    (TITLE, "  标题: 重点项目开复工\n", "zh",
     ["tasks/key.yaml:2:3: error LS102 任务 K-01 缺少必需的键 title：请补上",
      "tasks/key.yaml:3:3: error LS101 任务 K-01 中有未知的键 标题（是不是 title？键名要用英文"
      "写）：请检查拼写，或删除它"]),
    ("  lead: fgw\n", "  牵头单位: fgw\n", "zh",
     ["tasks/key.yaml:2:3: error LS102 任务 K-01 缺少必需的键 lead：请补上",
      "tasks/key.yaml:5:3: error LS101 任务 K-01 中有未知的键 牵头单位（是不是 lead？键名要用"
      "英文写）：请检查拼写，或删除它"]),
    ("{due: 2024-02-29,", "{完成时限: 2024-02-29,", "zh",
     ["tasks/key.yaml:11:7: error LS102 序时节点缺少必需的键 due：请补上",
      "tasks/key.yaml:11:8: error LS101 序时节点中有未知的键 完成时限（是不是 due？键名要用"
      "英文写）：请检查拼写，或删除它"]),
    # a task has no `due` (its last milestone's is the deadline): no field offered
    ("  lead: fgw\n", "  lead: fgw\n  完成时限: 2024-12-31\n", "zh",
     ["tasks/key.yaml:6:3: error LS101 任务 K-01 中有未知的键 完成时限：请检查拼写，或删除它"]),
    ("  lead: fgw\n", "  lead: fgw\n  某某: 1\n", "zh",
     ["tasks/key.yaml:6:3: error LS101 任务 K-01 中有未知的键 某某：请检查拼写，或删除它"]),
    # `title:` is written beside it: offering title would make a duplicate key (review)
    ("  lead: fgw\n", "  lead: fgw\n  标题: 又一个\n", "zh",
     ["tasks/key.yaml:6:3: error LS101 任务 K-01 中有未知的键 标题：请检查拼写，或删除它"]),
], ids=["update-zh", "update-en", "title", "lead", "milestone-due", "task-due", "unknown",
        "beside-its-key"])
def test_a_key_written_in_chinese_is_offered_its_field(
        cli: Callable[..., Run], beilin: Path, old: str, new: str, lang: str,
        expected: list[str]) -> None:
    """Before: 未知的键 进度：请检查拼写 — no spelling of 进度 is progress."""
    _edit(beilin, old, new)
    assert _found(cli, beilin, lang) == expected


# ---- 6. U+FFFE / U+FFFF ----------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_a_noncharacter_is_named_at_its_place_and_the_file_keeps_its_positions(
        cli: Callable[..., Run], beilin: Path, char: str) -> None:
    """Before: no LS025, and PyYAML's refusal put every finding of the file at 1:1
    (the LS601 of K-01 at 1:1, not at its updates)."""
    _edit(beilin, TITLE, f"  title: 重点{char}项目开复工\n")
    code = f"U+{ord(char):04X}"
    found = _found(cli, beilin, select=("LS0", "LS1", "LS601"))
    assert found[0] == (
        f"tasks/key.yaml:3:12: warning LS025 此处有看不见的字符 {code}（非字符，通常是编码转换出错"
        "留下的）：它会原样带进通报、状态表和导出的表格，文字看起来相同却对不上（查找、比对、按名称"
        "匹配都会落空）；请删除它（多数编辑器不显示它，VS Code 会把它标成方框或高亮；也可以删掉它"
        "前后的几个字再重新输入）")
    assert found[1].startswith("tasks/key.yaml:15:3: warning LS601 任务 K-01：")
    assert _found(cli, beilin, "en", select=("LS025",)) == [
        f"tasks/key.yaml:3:12: warning LS025 an invisible character {code} (a noncharacter, "
        "usually left by a broken conversion) here: it is carried as it is into bulletins, "
        "status and exported sheets, where text that looks the same does not match "
        "(searches, comparisons, look-ups by name fail); delete it (most editors do not "
        "show it, VS Code marks it with a box or a highlight; or delete the words around it "
        "and type them again)"]


@pytest.mark.parametrize(("char", "name"), [
    ("\ufffe", "U+FFFE（非字符，通常是编码转换出错留下的）"),
    ("\x0b", "U+000B（垂直制表符，Word 的手动换行）"),
])
def test_a_character_pyyaml_refuses_in_a_broken_file_is_placed_beside_the_real_error(
        cli: Callable[..., Run], beilin: Path, char: str, name: str) -> None:
    """A file yaml_rs refuses is explained by PyYAML, which stopped at the character:
    LS010 at 1:1 with "unacceptable character #xfffe … position 94", the real mistake
    unsaid.  Now: the character at its place, and the mistake below it."""
    _edit(beilin, TITLE, f"  title: 重点{char}项目开复工\n")
    _edit(beilin, "  title: 老旧小区改造\n", "  title: [老旧]小区改造\n")
    assert _found(cli, beilin) == [
        f"tasks/key.yaml:3:12: error LS010 YAML 语法错误：此处有 YAML 不允许的字符 {name}：它看不见，"
        "请删除它（也可以删掉它前后的几个字再重新输入）",
        "tasks/key.yaml:18:10: error LS010 YAML 语法错误：值以括号“[”开头：YAML 把 [老旧] 读成"
        "列表，后面的“小区改造”无处安放；括号是文字的一部分时，请给整个值加引号："
        "title: \"[老旧]小区改造\""]


def test_a_full_width_colon_inside_a_block_of_text_is_not_blamed(
        cli: Callable[..., Run], beilin: Path) -> None:
    """`情况：良好` in a `|` block is text: the mistake below it keeps its own finding
    (the line corrected would not take the parser any further)."""
    _edit(beilin, "  standard: 一季度开工10个\n", "  standard: |\n    情况：良好\n  x\n")
    assert _found(cli, beilin) == [
        "tasks/key.yaml:11:3: error LS010 YAML 语法错误：这一行不是“键: 值”的形式：没有找到冒号"
        "加空格；请补上冒号，或检查这一行是否应当接在上一行的值后面"]


def test_glued_keeps_every_dash_and_leaves_keys_and_long_lines_alone() -> None:
    """Review of the quote/bracket hint: `- - "开工"5个` showed the fix with one dash
    (a list item of the outer list); `"title"x: 重点` is a key that starts with a
    quote, not a value, and was told to quote the whole line (which does not parse);
    a line of 100,000 characters took 70 s and quoted itself twice in the message.
    The fixed line is the line as written before the value; a key is left to the
    generic message; a line over 2,000 characters gets no such hint."""
    from luoshi_cli.load.syntax import _glued

    said = _glued('  - - "开工"5个', 10, False)
    assert said is not None and said[1].zh.endswith("：- - '\"开工\"5个'")
    assert _glued('  "title"x: 重点', 9, False) is None
    long = '  title: "x"y "' + '\\"' * 50_000
    assert _glued(long, 12, False) is None
    said = _glued('  title: "十四五"规划重点项目', 14, False)
    assert said is not None and said[1].zh.endswith("：title: '\"十四五\"规划重点项目'")


@pytest.mark.parametrize(("written", "fixed"), [
    ("title：*a", "title: '*a'"),
    ("title：[重点]", "title: '[重点]'"),
    ("title：重点 #3号", "title: '重点 #3号'"),
    ("title：&a 重点", "title: '&a 重点'"),
    ("title：重点", "title: 重点"),
    ("title：它说'好': 行", "title: \"它说'好': 行\""),
])
def test_the_colon_fix_is_a_line_that_reads_back(written: str, fixed: str) -> None:
    """Review: the full-width colon's fix showed the value as written after `: `, and
    `title：*a` became `title: *a` (an undefined alias), `title：[重点]` a list,
    `title：重点 #3号` lost `#3号`.  The value is quoted where it cannot stand plain,
    and the fixed line reads back as the key and that text."""
    import yaml

    from luoshi_cli.load.yaml_scan import slip_words

    key, value = written.split("：", 1)
    said = slip_words(True, "", key, value)
    assert said.zh.endswith(f"请改为 {fixed}"), said.zh
    assert yaml.safe_load(fixed) == {key: value}


def test_a_lone_cr_before_the_quote_is_no_hint(cli: Callable[..., Run], beilin: Path) -> None:
    """The fuzz test (CI): a task file of a BOM, a CR and a quote — PyYAML breaks the
    line at the CR, so the column it stopped at was past the row `_glued` read split
    at line feeds: IndexError, a traceback.  No hint there; the unclosed quote is said."""
    from luoshi_cli.load.syntax import _glued

    assert _glued("\r'", 5, False) is None
    (beilin / "tasks" / "a.yaml").write_bytes(b"\xef\xbb\xbf\r'")
    r = cli("validate", beilin)
    assert r.exit_code == 1
    assert "tasks/a.yaml:" in r.stdout and "LS010" in r.stdout


# ---- 7. a slip's fix, written as printed, is right (audit of the printed fixes) -------------

#: what a finding says to write: after 请改为 / 请写成 / write, to the end or the ）
_FIX = re.compile(r"(?:请改为|请写成|写成|write) (.+?)(?:）|\)|$)")
#: the line an indentation finding says to write, its spaces and all
_INDENT_FIX = re.compile(r"(?:请改为 \d+ 个半角空格：(.+)|write \d+ spaces: '(.+)')$")


def _apply_fix(root: Path, line: int, written: str, finding_line: str) -> str:
    """`written` (a part of `line` of tasks/key.yaml) replaced with the fix the finding
    prints, literally; the fix."""
    m = _INDENT_FIX.search(finding_line) or _FIX.search(finding_line)
    assert m is not None, finding_line
    fix = next(g for g in m.groups() if g is not None)
    p = root / "tasks" / "key.yaml"
    rows = p.read_text(encoding="utf-8").split("\n")
    assert written in rows[line - 1], (written, rows[line - 1])
    rows[line - 1] = rows[line - 1].replace(written, fix, 1)
    p.write_text("\n".join(rows), encoding="utf-8")
    return fix


_SLIPS: list[tuple[str, str, str, int, str, str | list[str]]] = [
    # (old, new, lang, line, part the fix replaces, the findings on the line: the fix
    # is in the last)
    ("  units: [nanyuanmen, baishulin]\n", "  units：[nanyuanmen, baishulin]\n", "zh", 6,
     "units：[nanyuanmen, baishulin]",
     "tasks/key.yaml:6:8: error LS010 YAML 语法错误：这里用了全角冒号“：”：YAML 只认半角冒号加"
     "空格“: ”，这一行就成了一段没有键的文字；请改为 units: [nanyuanmen, baishulin]"),
    ("  standard: 一季度开工10个\n", "  target：{value: 10, unit: 个}\n", "en", 9,
     "target：{value: 10, unit: 个}",
     "tasks/key.yaml:9:9: error LS010 YAML syntax error: a full-width colon '：' here: YAML "
     "knows only the ASCII colon and a space ': ', so the line is text with no key; write "
     "target: {value: 10, unit: 个}"),
    (TITLE, "  title：'重点项目开复工'\n", "zh", 3, "title：'重点项目开复工'",
     "tasks/key.yaml:3:8: error LS010 YAML 语法错误：这里用了全角冒号“：”：YAML 只认半角冒号加"
     "空格“: ”，这一行就成了一段没有键的文字；请改为 title: '重点项目开复工'"),
    (TITLE, "  title：[重点]背街小巷整治\n", "zh", 3, "title：[重点]背街小巷整治",
     "tasks/key.yaml:3:8: error LS010 YAML 语法错误：这里用了全角冒号“：”：YAML 只认半角冒号加"
     "空格“: ”，这一行就成了一段没有键的文字；请改为 title: '[重点]背街小巷整治'"),
    ('    - {month: "2024-03", progress: 50}\n',
     '    - month："2024-03"\n      progress: 50\n', "zh", 16,
     'month："2024-03"',
     "tasks/key.yaml:16:12: error LS010 YAML 语法错误：这里用了全角冒号“：”：YAML 只认半角冒号"
     "加空格“: ”，这一行就成了一段没有键的文字；请改为 - month: \"2024-03\""),
    ('    - {month: "2024-03", progress: 50}\n',
     '    - {month："2024-03", progress: 50}\n', "zh", 16,
     'month："2024-03"',
     ["tasks/key.yaml:16:7: error LS102 月度进展缺少必需的键 month：请补上",
      "tasks/key.yaml:16:8: error LS101 月度进展中有未知的键 month：\"2024-03\"（用了全角冒号“：”，"
      "YAML 把整段读成了一个键：请写成 month: \"2024-03\"）：请检查拼写，或删除它"]),
    ('    - {month: "2024-03", progress: 50}\n',
     '    - month："2024-03"\n', "en", 16, 'month："2024-03"',
     "tasks/key.yaml:16:7: error LS103 updates should be a mapping (key: value), not text: "
     "a full-width colon '：': YAML reads it all as one text; write month: \"2024-03\""),
    ("- id: K-01\n", "-id: K-01\n", "zh", 2, "-id: K-01",
     "tasks/key.yaml:2:1: error LS010 YAML 语法错误：短横线“-”后面缺少空格：YAML 的列表项以"
     "“- ”（短横线加空格）开头，这一行就成了一个以“-”开头的键或文字；请写成 - id: K-01"),
    ("- id: K-01\n", "-id: K-01\n", "en", 2, "-id: K-01",
     "tasks/key.yaml:2:1: error LS010 YAML syntax error: no space after the dash '-': a "
     "YAML list item starts with '- ' (a dash and a space), so the line is a key or text "
     "starting with '-'; write - id: K-01"),
    ("- id: K-01\n", "－ id: K-01\n", "zh", 2, "－ id: K-01",
     "tasks/key.yaml:2:1: error LS010 YAML 语法错误：这里用了全角短横线“－”：YAML 的列表项只认"
     "半角短横线加空格“- ”，这一行就成了一个以“－”开头的键或文字；请写成 - id: K-01"),
    ("    - {due: 2024-02-29,", "    -{due: 2024-02-29,", "zh", 11,
     "-{due: 2024-02-29, standard: 开工5个, done: 2024-02-28}",
     "tasks/key.yaml:11:5: error LS010 YAML 语法错误：短横线“-”后面缺少空格：YAML 的列表项以"
     "“- ”（短横线加空格）开头，这一行就成了一个以“-”开头的键或文字；请写成 - {due: "
     "2024-02-29, standard: 开工5个, done: 2024-02-28}"),
    ("2024-02-29, standard: 开工5个", "2024-02-29，standard: 开工5个", "zh", 11,
     "- {due: 2024-02-29，standard: 开工5个, done: 2024-02-28}",
     "tasks/key.yaml:11:23: error LS010 YAML 语法错误：两项之间用了全角逗号“，”：花括号里的"
     "各项只能用半角逗号“,”隔开；请写成 - {due: 2024-02-29, standard: 开工5个, done: "
     "2024-02-28}"),
    ("2024-02-29, standard: 开工5个", "2024-02-29\u3000，standard: 开工5个", "en", 11,
     "- {due: 2024-02-29\u3000，standard: 开工5个, done: 2024-02-28}",
     "tasks/key.yaml:11:24: error LS010 YAML syntax error: a full-width comma '，' between "
     "two entries: entries in braces are separated by the ASCII comma ','; write - {due: "
     "2024-02-29, standard: 开工5个, done: 2024-02-28}"),
    ("2024-02-29, standard: 开工5个", "2024-02-29：standard: 开工5个", "zh", 11,
     "- {due: 2024-02-29：standard: 开工5个, done: 2024-02-28}",
     "tasks/key.yaml:11:23: error LS010 YAML 语法错误：两项之间用了“：”：花括号里的各项只能用"
     "半角逗号“,”隔开；请写成 - {due: 2024-02-29, standard: 开工5个, done: 2024-02-28}"),
    ("2024-02-29, standard: 开工5个", "2024-02-29\u3000standard: 开工5个", "en", 11,
     "- {due: 2024-02-29\u3000standard: 开工5个, done: 2024-02-28}",
     "tasks/key.yaml:11:23: error LS010 YAML syntax error: two entries lack a comma between "
     "them: entries in braces are separated by the ASCII comma ','; write - {due: "
     "2024-02-29, standard: 开工5个, done: 2024-02-28}"),
    ("standard: 开工5个,", "standard: 开工5个: 含续建,", "zh", 11, "standard: 开工5个: 含续建",
     "tasks/key.yaml:11:35: error LS010 YAML 语法错误：值里有“: ”（冒号加空格），花括号里会把"
     "它读成新的键：请给整个值加引号，写成 standard: '开工5个: 含续建'"),
    ("standard: 开工5个,", "standard: 开工[5]个,", "zh", 11, "standard: 开工[5]个",
     "tasks/key.yaml:11:35: error LS010 YAML 语法错误：值里有括号“[”：花括号里的括号会开始新的"
     "列表或映射；请给整个值加引号，写成 standard: '开工[5]个'"),
    ("standard: 开工5个,", "standard: 开工[5]个,", "en", 11, "standard: 开工[5]个",
     "tasks/key.yaml:11:35: error LS010 YAML syntax error: the value holds a bracket '[': "
     "inside braces a bracket starts a new list or mapping; quote the whole value, write "
     "standard: '开工[5]个'"),
]


#: a line indented with a tab or U+3000 (全角空格): the whole line is rewritten
_INDENTS: list[tuple[str, str, str, int, str, str]] = [
    ("  lead: fgw\n", "\u3000lead: fgw\n", "zh", 5, "\u3000lead: fgw",
     "tasks/key.yaml:5:1: error LS014 键 lead 前面有全角空格（U+3000）：YAML 把它当成一个新键，"
     "原本想写的键反而为空；请改为 2 个半角空格：  lead: fgw"),
    ("  lead: fgw\n", "\tlead: fgw\n", "en", 5, "\tlead: fgw",
     "tasks/key.yaml:5:1: error LS013 the line is indented with a tab: YAML allows only "
     "spaces; write 2 spaces: '  lead: fgw'"),
    ("    - {due: 2024-02-29,", "\u3000\u3000- {due: 2024-02-29,", "zh", 11,
     "\u3000\u3000- {due: 2024-02-29, standard: 开工5个, done: 2024-02-28}",
     "tasks/key.yaml:11:1: error LS014 键 - 前面有全角空格（U+3000）：YAML 把它当成一个新键，"
     "原本想写的键反而为空；请改为 4 个半角空格：    - {due: 2024-02-29, standard: 开工5个, "
     "done: 2024-02-28}"),
    ('    - {month: "2024-03", progress: 50}\n', '\t- {month: "2024-03", progress: 50}\n',
     "zh", 16, '\t- {month: "2024-03", progress: 50}',
     "tasks/key.yaml:16:1: error LS013 行首用了制表符（Tab）缩进：YAML 只允许空格缩进，请改为 "
     "4 个半角空格：    - {month: \"2024-03\", progress: 50}"),
    ("- id: K-02\n", "\t- id: K-02\n", "zh", 17, "\t- id: K-02",
     "tasks/key.yaml:17:1: error LS013 行首用了制表符（Tab）缩进：YAML 只允许空格缩进，请去掉"
     "行首的空白，写成 - id: K-02"),
]
_SLIPS += _INDENTS
#: what PyYAML lets pass and yaml_rs refuses: said in its English, with no fix
_RS_SLIPS: list[tuple[str, str, str, int, str, str]] = [
    ("  lead: fgw\n", "  lead:\tfgw\n", "zh", 5, "lead:\tfgw",
     "tasks/key.yaml:5:8: error LS010 YAML 语法错误：冒号后面是制表符（Tab）：YAML 只认冒号后的"
     "半角空格；请写成 lead: fgw"),
    ("  lead: fgw\n", "  lead:\tfgw\n", "en", 5, "lead:\tfgw",
     "tasks/key.yaml:5:8: error LS010 YAML syntax error: the colon is followed by a tab: YAML "
     "wants an ASCII space after the colon; write lead: fgw"),
    ("standard: 开工5个,", "standard: -,", "zh", 11, "standard: -",
     "tasks/key.yaml:11:35: error LS010 YAML 语法错误：值只有一个短横线“-”：在花括号或方括号里，"
     "YAML 不能把它读成文字；请给它加引号，写成 standard: \"-\""),
    ("standard: 开工5个,", "standard: -,", "en", 11, "standard: -",
     "tasks/key.yaml:11:35: error LS010 YAML syntax error: the value is a lone dash '-', which "
     "YAML cannot read as text inside braces or brackets; quote it, write standard: \"-\""),
]
_SLIPS += _RS_SLIPS


def test_a_lone_dash_for_a_score_is_quoted(cli: Callable[..., Run], beilin: Path) -> None:
    """Audit: `service: -` in a record's score mapping gave yaml_rs's English."""
    _edit(beilin, "service: n/a}", "service: -}", "records/2024-Q1.yaml")
    run = cli("validate", ".", "--as-of", "2024-12-31", "--select", "LS0")
    assert [s for s in run.stdout.splitlines() if s.startswith("records/")] == [
        "records/2024-Q1.yaml:11:42: error LS010 YAML 语法错误：值只有一个短横线“-”：在花括号或方括号"
        "里，YAML 不能把它读成文字；请给它加引号，写成 service: \"-\""]


@pytest.mark.parametrize(("old", "new", "lang", "written", "expected"), [
    ("  fgw:         {inspection: 92}", "  fgw：         {inspection: 92}", "zh",
     "fgw：         {inspection: 92}",
     "records/2024-Q1.yaml:4:3: error LS101 scores 中有未知的键 fgw：         {inspection（用了全角"
     "冒号“：”，YAML 把整段读成了一个键：请写成 fgw: {inspection: 92}）：请检查拼写，或删除它"),
    ("  fgw:         {inspection: 92}", "  fgw:         {inspection：92}", "zh",
     "inspection：92",
     "records/2024-Q1.yaml:4:17: error LS101 fgw 中有未知的键 inspection：92（用了全角冒号“：”，"
     "YAML 把整段读成了一个键：请写成 inspection: 92）：请检查拼写，或删除它"),
    ("{inspection: 84, service: n/a}", "{inspection: 84, service：n/a}", "en",
     "service：n/a",
     "records/2024-Q1.yaml:11:33: error LS101 unknown key service：n/a in changlefang (a "
     "full-width colon '：': YAML reads it all as one key; write service: n/a): check the "
     "spelling or remove it"),
], ids=["unit", "component", "component-en"])
def test_a_full_width_colon_in_a_score_is_said_with_the_line_to_write(
        cli: Callable[..., Run], beilin: Path, old: str, new: str, lang: str, written: str,
        expected: str) -> None:
    """Audit: in a record's scores a full-width colon gave LS103 "fgw：… {inspection 应为
    映射" or "inspection：92 应为数字，实际是空值" (at the `}`), not the slip.  It is now
    said as in task files, with the key and value to write; written as printed, the
    record has no finding left."""
    rel = "records/2024-Q1.yaml"

    def found() -> list[str]:
        run = cli("validate", ".", "--as-of", "2024-12-31", "--lang", lang,
                  "--select", "LS0", "--select", "LS1")
        return [s for s in run.stdout.splitlines() if s.startswith("records/")]

    _edit(beilin, old, new, rel)
    assert found() == [expected]
    m = _FIX.search(expected)
    assert m is not None
    _edit(beilin, written, m.group(1), rel)
    assert found() == []


def test_a_lone_dash_in_a_list_is_quoted_alone(cli: Callable[..., Run], beilin: Path) -> None:
    """In `[…]` the dash has no key before it: the item to write is `"-"`."""
    _edit(beilin, "units: [nanyuanmen, baishulin]", "units: [nanyuanmen, -]")
    assert _found(cli, beilin) == [
        "tasks/key.yaml:6:23: error LS010 YAML 语法错误：值只有一个短横线“-”：在花括号或方括号里，"
        "YAML 不能把它读成文字；请给它加引号，写成 \"-\""]


@pytest.mark.parametrize(("old", "new", "lang", "line", "written", "expected"), _INDENTS,
                         ids=["u3000-key", "tab-key-en", "u3000-item", "tab-last-item",
                              "tab-task"])
def test_an_indentation_fix_written_as_printed_leaves_the_file_clean(
        cli: Callable[..., Run], beilin: Path, old: str, new: str, lang: str, line: int,
        written: str, expected: str) -> None:
    """Audit: LS013/LS014 said "replace with spaces" without how many; one space for
    each tab or U+3000 gave 缩进不对 on the line or the next.  The finding now says the
    line with the spaces that put it beside its siblings (the line before it, or under
    a `key:` the line after it, the file reading back without an error), and written
    so the file has no finding left at all — not on the next line either."""
    _edit(beilin, old, new)
    assert _found(cli, beilin, lang) == [expected]
    _apply_fix(beilin, line, written, expected)
    assert _found(cli, beilin, lang) == []


def test_an_indentation_that_cannot_be_told_keeps_the_advice() -> None:
    """No line before or after to go by: the general advice, no line to write."""
    from luoshi_cli.load.yaml_scan import indent_words

    said = indent_words("\tlead: fgw\n", 1, False)
    assert (said.zh, said.en) == ("请把 Tab 换成空格", "replace the tab with spaces")


def test_a_key_after_spaces_and_u3000_is_told_to_drop_the_u3000(
        cli: Callable[..., Run], beilin: Path) -> None:
    """`  \u3000lead: fgw` reads as the key `\u3000lead` beside its siblings: replacing
    the U+3000 with a space would indent it too far.  The finding says to delete it."""
    _edit(beilin, "  lead: fgw\n", "  \u3000lead: fgw\n")
    assert _found(cli, beilin, select=("LS014",)) == [
        "tasks/key.yaml:5:3: error LS014 键 lead 前面有全角空格（U+3000）：YAML 把它当成一个新键，"
        "原本想写的键反而为空；请删去键前的全角空格（不要换成半角空格）"]


@pytest.mark.parametrize(("old", "new", "lang", "line", "written", "expected"), _SLIPS,
                         ids=["units-list", "target-mapping", "quoted-title", "glued-title",
                              "block-month", "flow-month", "one-line-month", "dash", "dash-en",
                              "full-dash", "flow-dash", "full-comma", "u3000-comma-en",
                              "colon-for-comma", "u3000-for-comma-en",
                              "flow-colon", "flow-bracket", "flow-bracket-en",
                              "u3000-key", "tab-key-en", "u3000-item", "tab-last-item",
                              "tab-task", "tab-after-colon", "tab-after-colon-en",
                              "lone-dash", "lone-dash-en"])
def test_a_slip_s_fix_written_as_printed_leaves_no_error_on_its_line(
        cli: Callable[..., Run], beilin: Path, old: str, new: str, lang: str, line: int,
        written: str, expected: str | list[str]) -> None:
    """Audit: the printed fixes, followed literally, were wrong.  A full-width colon
    before a list, a mapping or a quoted text was told to quote it (`units: '[…]'`:
    LS103 units 应为列表; `title: "'重点项目开复工'"` kept the quote marks in the title);
    `-id: K-01` was blamed at 3:8 (值里有“: ”…请给整个值加引号, which changes nothing);
    a full-width comma (or colon, or U+3000) between two entries, a ": " or a bracket in
    a value inside `{…}` was 花括号“{”没有配对的“}”.  Each now says the slip at its place, and its fix, applied as printed, leaves
    the line without a finding."""
    said = [expected] if isinstance(expected, str) else expected
    _edit(beilin, old, new)
    found = _found(cli, beilin, lang)
    assert [f for f in found if f.startswith(f"tasks/key.yaml:{line}:")] == said, found
    _apply_fix(beilin, line, written, said[-1])
    assert [f for f in _found(cli, beilin, lang)
            if f.startswith(f"tasks/key.yaml:{line}:")] == []


@pytest.mark.parametrize(("written", "fixed", "meant"), [
    ("units：[nanyuanmen, baishulin]", "units: [nanyuanmen, baishulin]",
     ["nanyuanmen", "baishulin"]),
    ("target：{value: 10, unit: 个}", "target: {value: 10, unit: 个}", {"value": 10, "unit": "个"}),
    ("title：'重点项目开复工'", "title: '重点项目开复工'", "重点项目开复工"),
    ('month："2024-03"', 'month: "2024-03"', "2024-03"),
    ("title：[重点]", "title: '[重点]'", "[重点]"),
    ("units：[重点]背街", "units: '[重点]背街'", "[重点]背街"),
    ("title：'重点' #3", "title: \"'重点' #3\"", "'重点' #3"),
    ("title：no", "title: 'no'", "no"),
    ("title：1:30", "title: '1:30'", "1:30"),
    ("progress：50", "progress: 50", 50),
    ("units：[a, *b]", "units: '[a, *b]'", "[a, *b]"),
])
def test_the_colon_fix_reads_back_as_what_was_meant(written: str, fixed: str,
                                                     meant: object) -> None:
    """A value that is one whole YAML node stays as written: a list or a mapping where
    the key takes one, a quoted text; a list where only text belongs (`title`), what
    goes on after a closing bracket or quote, an undefined alias and a word YAML 1.1
    reads as a boolean or a number are quoted whole."""
    import yaml

    from luoshi_cli.load.yaml_scan import slip_words

    key, value = written.split("：", 1)
    said = slip_words(True, "", key, value)
    assert said.zh.endswith(f"请改为 {fixed}"), said.zh
    assert yaml.safe_load(fixed) == {key: meant}
