"""YAML syntax errors (LS010) in the clerk's words, at the line where the mistake is.

PyYAML says what its parser expected — "while scanning a simple key, could not find
expected ':'" — and where it gave up, which is often the line *after* the mistake
(`lead:fgw` is reported on the next key's line) or far below it (an unclosed quote
runs on until the next quote in the file).  Each common shape is recognised here
from the parser's context and problem, placed where the author has to look — the
key that lacks its ": ", the bracket or quote that is never closed, the list item
out of line — and explained with the fix, in Chinese and English.  What is not
recognised keeps the parser's words, with the generic advice: in English as the parser
wrote them, in Chinese phrase by phrase (`parser_words`), since a Chinese message with
"while parsing a flow node" in it tells a clerk nothing.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Protocol

from ..core.codes import L
from ..core.finding import Finding, finding

if TYPE_CHECKING:
    import yaml


class Places(Protocol):
    """Where a parser mark is, as luoshi counts lines (`yaml_scan.Lines`)."""

    def at(self, mark: yaml.Mark | None) -> tuple[int, int]: ...

#: a value that opens a quote: after "key: ", "- ", or a flow "[", "{", ","
_OPENS = re.compile(r"""(?:^\s*(?:-\s+)?(?:[^\s#'"][^#]*?:\s+)?|[\[{,]\s*)(?P<q>["'])""")
#: what the parser says further down when a quote opened above never closed
_QUOTE_SYMPTOMS = ("expected key", "expected ':'", "end of stream", "expected <block end>",
                   "mapping values are not allowed", "expected '-'", "expected ',' or")
#: "key:value" with no space after the colon (not a URL's "://", not a time "1:30")
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?(?P<key>[^\s:#'\"{}\[\],][^:#]*?):(?P<value>[^\s:/].*)$")


def syntax_finding(rel: str, text: str, exc: yaml.MarkedYAMLError, lines: Places,
                   hint: L | None) -> Finding:
    """LS010 for PyYAML's `exc` in `text` (`lines` places its marks).  `hint`: a
    full-width colon found near the error (it says more than any rule here)."""
    context = exc.context or ""
    problem = exc.problem or ""
    raw = f"{context}, {problem}" if context and problem else (problem or context
                                                                or "invalid YAML")
    at = exc.problem_mark or exc.context_mark
    line, col = lines.at(at)
    if hint is not None:
        return finding("LS010", rel, line=line, col=col, problem=parser_words(raw), hint=hint)
    where = exc.context_mark
    rows = text.split("\n")

    def row(mark: yaml.Mark | None) -> str:
        return rows[mark.line] if mark is not None and 0 <= mark.line < len(rows) else ""

    glued = _glued(row(at), at.column, "flow" in context) if at is not None else None
    quote = (_unclosed_quote(rows, at.line if at is not None else len(rows) - 1)
             if glued is None and any(s in problem for s in _QUOTE_SYMPTOMS) else None)
    said: L | None = None
    if glued is not None and at is not None:
        line, col = lines.at(at)
        col -= at.column - glued[0]
        said = glued[1]
    elif quote is not None:
        line, col = quote[0] + 1, quote[1] + 1
        said = L("引号没有闭合：这一行的值以引号开头，却没有在行内结束；请补上结尾的引号，"
                 "或者去掉开头的引号",
                 "a quote is never closed: the value on this line starts with a quote that "
                 "does not end on the line; add the closing quote, or remove the opening one")
    elif "simple key" in context and "expected ':'" in problem and where is not None:
        line, col = lines.at(where)
        m = _NO_SPACE.match(row(where))
        if m:
            key, value = m.group("key").strip(), m.group("value").strip()
            said = L(f"冒号后面缺少空格：YAML 的“键: 值”在冒号后必须有一个空格，请写成“{key}: "
                     f"{value}”",
                     f"no space after the colon: YAML needs a space after the colon of "
                     f"\"key: value\"; write \"{key}: {value}\"")
        else:
            said = L("这一行不是“键: 值”的形式：没有找到冒号加空格；请补上冒号，或检查这一行"
                     "是否应当接在上一行的值后面",
                     "this line is not \"key: value\": no colon followed by a space was found; "
                     "add the colon, or check whether the line belongs to the value above")
    elif "flow sequence" in context and where is not None:
        line, col = lines.at(where)
        said = L("方括号“[”没有配对的“]”，或者列表的两项之间缺少逗号：请检查这一行的方括号",
                 "the bracket \"[\" is never closed, or two items lack a comma between them: "
                 "check the brackets of this line")
    elif "flow mapping" in context and where is not None:
        line, col = lines.at(where)
        said = L("花括号“{”没有配对的“}”，或者两项之间缺少逗号：请检查这一行的花括号",
                 "the brace \"{\" is never closed, or two entries lack a comma between them: "
                 "check the braces of this line")
    elif "expected '-' indicator" in problem or "expected key" in problem \
            or "expected <block end>" in problem:
        said = L("缩进不对：这一行既没有与上面同一层的键对齐，也不是以“- ”开头的列表项；"
                 "请用空格把它与同一层的键或列表项对齐（短横线后要有空格）",
                 "wrong indentation: this line is neither aligned with the keys of its level "
                 "above nor a list item starting with \"- \"; align it with spaces (a dash "
                 "needs a space after it)")
    elif "mapping values are not allowed" in problem:
        said = L("值里有“: ”（冒号加空格），YAML 会把它读成新的键：请给整个值加引号，"
                 "如 title: \"…\"",
                 "the value holds \": \" (a colon and a space), which YAML reads as a new key: "
                 "quote the whole value, e.g. title: \"…\"")
    elif "undefined alias" in problem:
        said = L("引用了没有定义的锚点（*名称）：请先用 &名称 定义它，或去掉这个引用；"
                 "* 是文字的一部分时，请给整个值加引号",
                 "an alias (*name) refers to no anchor: define it first with &name, or "
                 "remove the alias; if the * is part of the text, quote the whole value")
    if said is None:
        return finding("LS010", rel, line=line, col=col, problem=parser_words(raw), hint=L(
            "：请检查这一行及上一行的缩进、冒号（后面要有空格）和引号",
            ": check the indentation, the colons (a space after each) and the quotes of "
            "this line and the one above"))
    return finding("LS010", rel, line=line, col=col, problem=said, hint="")


#: a quoted scalar, whole: "…" with its escapes, '…' with its doubled quotes
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")
#: what stands before a value's first character: a line's indentation and list dashes,
#: a key's ": ", a flow collection's "[", "{" or ","
_VALUE_START = re.compile(r"(?:^[ ]*(?:-[ ]+)*|:[ ]+|[\[{,][ ]*)\Z")
#: the key and ": " (or the "- ") written before the value, shown with the fix
_KEY_BEFORE = re.compile(r"(?:[^\s,\[\]{}][^,\[\]{}]*?:[ ]+|-[ ]+)\Z")
_CLOSERS = {"]": "[", "}": "{"}
#: what makes the rest of a line a key: `: ` or a colon at its end
_KEY_AFTER = re.compile(r":(?:[ \t]|$)")
#: the longest line `_glued` reads: its scans are bounded by the line's length squared
#: (a line of 100,000 characters took 70 s), and its hint quotes the line
_GLUED_MAX = 2_000


def _glued(row: str, col: int, flow: bool) -> tuple[int, L] | None:
    """A value that starts with a quote or a bracket that closes before the value
    ends (`title: "十四五"规划重点项目`, `title: [重点]背街小巷整治`): YAML reads the
    quoted part as the whole text (the bracketed one as a list or a mapping), and
    the parser stops at what follows it, at `col` (0-based, where it stopped on
    `row`).  The column of the value's first character and what to say, with the
    value quoted whole — or None when the parser did not stop right after a closing
    quote or bracket that starts a value."""
    if len(row) > _GLUED_MAX:
        return None  # a hint quotes the line: not one of 100,000 characters (review)
    if not 0 < col < len(row):
        # past the line as split at "\n": PyYAML also breaks lines at a lone CR (the
        # fuzz test's BOM, CR and a quote), so its column may be beyond this row
        return None
    j = col - 1
    while j >= 0 and row[j] in " \t":
        j -= 1
    if j < 0 or col >= len(row) or row[j] not in "\"']}":
        return None
    close = row[j]
    if close in _CLOSERS:
        depth, o = 0, j
        while o >= 0:
            if row[o] == close:
                depth += 1
            elif row[o] == _CLOSERS[close]:
                depth -= 1
                if depth == 0:
                    break
            o -= 1
        if o < 0:
            return None
    else:
        found = [m.start() for m in _QUOTED.finditer(row) if m.end() == j + 1]
        if not found:
            return None
        o = found[0]
    if _VALUE_START.search(row, 0, o) is None:
        return None
    if flow:  # up to the next "," or closing bracket of the collection
        end = next((k for k in range(col, len(row)) if row[k] in ",]}"), len(row))
    else:  # up to a comment meant as one (after two blanks or a tab), or the line's end
        m = re.search(r"(?:[ ]{2,}|\t)#", row[col:])
        end = col + m.start() if m else len(row)
    value = row[o:end].rstrip()
    tail = row[j + 1:end].strip()
    if not tail:
        return None
    if not flow and _KEY_AFTER.search(tail) and _KEY_BEFORE.search(row, 0, o) is None:
        return None  # `"title"x: 重点`: a key, not a value, starts with the quote
    quoted = (f"'{value}'" if '"' in value and "'" not in value
              else json.dumps(value, ensure_ascii=False))
    before = _KEY_BEFORE.search(row, 0, o)
    # the line as written before the value (its list dashes too: `- - "开工"5个`), the
    # key alone in a flow collection
    lead = row[:o].lstrip(" ") if not flow else (before.group() if before else "")
    shown = lead + quoted
    seg = row[o:j + 1]
    if close in "\"'":
        return o, L(
            f"值以引号开头：YAML 把 {seg} 读成一段带引号的文字，到下一个引号就结束了，后面的"
            f"“{tail}”无处安放；引号是文字的一部分时，请用另一种引号把整个值括起来：{shown}",
            f"the value starts with a quote: YAML reads {seg} as a quoted text that ends at "
            f"the next quote, and '{tail}' after it has no place; if the quotes are part of "
            f"the text, quote the whole value with the other kind of quote: {shown}")
    kind = L("列表", "a list") if close == "]" else L("映射（键: 值）", "a mapping (key: value)")
    return o, L(
        f"值以括号“{row[o]}”开头：YAML 把 {seg} 读成{kind.zh}，后面的“{tail}”无处安放；"
        f"括号是文字的一部分时，请给整个值加引号：{shown}",
        f"the value starts with a bracket '{row[o]}': YAML reads {seg} as {kind.en}, and "
        f"'{tail}' after it has no place; if the bracket is part of the text, quote the "
        f"whole value: {shown}")


def _unclosed_quote(rows: list[str], last: int) -> tuple[int, int] | None:
    """The first line up to `last` (0-based) whose value opens a quote it does not
    close on the line — the mistake behind a parse error far below it — as (line,
    column), 0-based; None when every quote closes where it opens."""
    for no in range(min(last, len(rows) - 1) + 1):
        m = _OPENS.match(rows[no])
        if m is None:
            continue
        q, start = m.group("q"), m.start("q")
        rest = rows[no][start + 1:]
        if q == '"':
            closed = re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None
        else:
            closed = "'" in rest.replace("''", "")
        if not closed:
            return no, start
    return None


#: where the parser was: libyaml's (PyYAML's C loader) and yaml_rs's contexts
_WHILE = {
    "scanning a simple key": "读取键时",
    "scanning a quoted scalar": "读取带引号的文字时",
    "parsing a quoted scalar": "读取带引号的文字时",
    "scanning a block scalar": "读取多行文字（| 或 >）时",
    "scanning a plain scalar": "读取不带引号的文字时",
    "scanning a directive": "读取以 % 开头的指令行时",
    "scanning a %YAML directive": "读取 %YAML 指令行时",
    "scanning a YAML directive": "读取 %YAML 指令行时",
    "scanning a %TAG directive": "读取 %TAG 指令行时",
    "scanning a tag directive": "读取 %TAG 指令行时",
    "parsing a %TAG directive": "读取 %TAG 指令行时",
    "parsing a tag directive": "读取 %TAG 指令行时",
    "scanning an anchor": "读取锚点（&名称）时",
    "parsing anchor": "读取锚点（&名称）时",
    "scanning an alias": "读取引用（*名称）时",
    "scanning a tag": "读取标签（以 ! 开头）时",
    "scanning a verbatim tag": "读取标签（以 ! 开头）时",
    "parsing a tag": "读取标签（以 ! 开头）时",
    "parsing a block mapping": "读取“键: 值”时",
    "parsing a block collection": "读取以“- ”开头的列表时",
    "parsing a block node": "读取一个值时",
    "parsing a flow node": "读取方括号或花括号里的内容时",
    "parsing a flow sequence": "读取方括号“[…]”时",
    "parsing a flow mapping": "读取花括号“{…}”时",
    "parsing a node": "读取一个值时",
    "parsing node": "读取一个值时",
    "scanning for the next token": "读取下一项内容时",
    "increasing block level": "读取更深一层缩进时",
    "increasing flow level": "读取更深一层括号时",
}

#: what the parser found wrong (libyaml's and yaml_rs's problems; PyYAML's pure-Python
#: loader, used without libyaml, words a few of them differently: the patterns)
_PROBLEMS = {
    "could not find expected ':'": "没有找到应有的冒号“:”",
    "simple key expect ':'": "没有找到应有的冒号“:”",
    "could not find expected directive name": "没有找到应有的指令名",
    "did not find expected key": "没有找到应有的键",
    "did not find expected node content": "没有找到应有的内容",
    "did not find expected ',' or ']'": "没有找到应有的逗号“,”或右方括号“]”",
    "did not find expected ',' or '}'": "没有找到应有的逗号“,”或右花括号“}”",
    "did not find expected '-' indicator": "没有找到应有的列表标记“- ”",
    "did not find expected <document start>": "没有找到应有的文档开始标记“---”",
    "did not find expected <stream-start>": "文件的开头无法读取",
    "did not find expected '!'": "没有找到应有的“!”",
    "did not find expected alphabetic or numeric character": "没有找到应有的字母或数字",
    "did not find expected comment or line break": "这里只能是注释（#）或换行",
    "did not find expected digit or '.' character": "没有找到应有的数字或“.”",
    "did not find expected hexdecimal number": "没有找到应有的十六进制数字",
    "did not find expected hexadecimal number": "没有找到应有的十六进制数字",
    "did not find expected hexadecimal number for low surrogate": "没有找到应有的十六进制数字",
    "did not find expected tag URI": "没有找到应有的标签 URI",
    "did not find expected version number": "没有找到应有的版本号",
    "did not find expected whitespace": "这里应有空格",
    "did not find expected whitespace or line break": "这里应有空格或换行",
    "did not find the expected '>'": "没有找到应有的“>”",
    "did not find URI escaped octet": "没有找到 URI 中应有的转义字节",
    "did not find expected next token": "没有找到应有的下一项内容",
    "found a tab character that violates indentation": "发现制表符（Tab）：YAML 的缩进只能用空格",
    "found a tab character where an indentation space is expected":
        "发现制表符（Tab）：YAML 的缩进只能用空格",
    "found a tab": "发现制表符（Tab）：YAML 的缩进只能用空格",
    "tab cannot be used as indentation": "发现制表符（Tab）：YAML 的缩进只能用空格",
    "found an indentation indicator equal to 0": "多行文字的缩进数字不能是 0",
    "found character that cannot start any token":
        "发现不能出现在这里的字符（如 @、` 或 %；以它开头的值要加引号）",
    "found duplicate %TAG directive": "%TAG 指令重复",
    "found duplicate %YAML directive": "%YAML 指令重复",
    "found extremely long version number": "版本号过长",
    "found incompatible YAML document": "不支持的 YAML 版本",
    "found invalid Unicode character escape code": "无效的 Unicode 转义",
    "found undefined tag handle": "标签的前缀没有定义",
    "found unexpected ':'": "这里不应有冒号“:”",
    "found unexpected document indicator": "这里不应有文档分隔符（--- 或 ...）",
    "found unexpected end of stream": "文件意外结束",
    "found unexpected non-alphabetical character": "这里不应有非字母的字符",
    "found unknown directive name": "未知的指令名",
    "found unknown escape character": "未知的转义字符（双引号里的“\\”后只能跟规定的字符；"
                                      "要写“\\”本身请写成“\\\\”，或改用单引号）",
    "found unknown anchor": "引用了没有定义的锚点（*名称）",
    "mapping values are not allowed in this context": "这里不能出现“键: 值”（冒号加空格）",
    "mapping values are not allowed here": "这里不能出现“键: 值”（冒号加空格）",
    "mapping keys are not allowed in this context": "这里不能出现键",
    "block sequence entries are not allowed in this context": "这里不能出现以“- ”开头的列表项",
    "block sequence entries are not allowed here": "这里不能出现以“- ”开头的列表项",
    "control characters are not allowed": "不允许出现控制字符",
    "invalid indentation in multiline quoted scalar": "跨行的带引号文字，续行的缩进不够",
    "invalid indentation in flow construct": "括号里跨行的内容缩进不够",
    "comment intercepting the multiline text": "注释（#）打断了跨行的文字",
    "invalid trailing content after double-quoted scalar": "引号结束后同一行还有内容",
    "invalid content after document end marker": "文档结束标记“...”之后还有内容",
    "unclosed quote": "引号没有闭合",
    "misplaced bracket": "括号的位置不对",
    "unexpected end of plain scalar": "不带引号的文字意外结束",
    "invalid YAML": "无效的 YAML",
}

_PATTERNS = [
    (re.compile(r"unclosed bracket '(.)'"), "括号“{0}”没有闭合"),
    (re.compile(r"mismatched bracket '(.)' closed by '(.)'"), "括号“{0}”却以“{1}”结束"),
    (re.compile(r"tabs disallowed within this context(?: \(.*\))?"),
     "发现制表符（Tab）：YAML 的缩进只能用空格"),
    (re.compile(r"found character (.+) that cannot start any token"),
     "发现不能出现在这里的字符 {0}（以它开头的值要加引号）"),
    (re.compile(r"found unknown escape character (.+)"),
     "未知的转义字符 {0}（双引号里的“\\”后只能跟规定的字符；要写“\\”本身请写成“\\\\”，"
     "或改用单引号）"),
    (re.compile(r"expected (.+?), but (?:found|got) (.+)"), "这里应为 {0}，却是 {1}"),
]


def parser_words(raw: str) -> L:
    """A parser's message ("while parsing a flow node, did not find expected node
    content", libyaml's or yaml_rs's) as L: in Chinese phrase by phrase, the English
    as written.  A message with any phrase not in the tables stays English in both:
    half a translation would misquote the parser."""
    parts = re.split(r", (?!but )", raw.strip())
    said = []
    for part in parts:
        words = _phrase(part.strip())
        if words is None:
            return L(raw, raw)
        said.append(words)
    return L("，".join(said), raw)


def _phrase(part: str) -> str | None:
    if part.startswith("while "):
        return _WHILE.get(part[len("while "):])
    hit = _PROBLEMS.get(part)
    if hit is not None:
        return hit
    for pattern, zh in _PATTERNS:
        m = pattern.fullmatch(part)
        if m is not None:
            return zh.format(*(g.replace(" or ", " 或 ") for g in m.groups()))
    return None
