"""YAML syntax errors (LS010) in the clerk's words, at the line where the mistake is.

PyYAML says what its parser expected — "while scanning a simple key, could not find
expected ':'" — and where it gave up, which is often the line *after* the mistake
(`lead:fgw` is reported on the next key's line) or far below it (an unclosed quote
runs on until the next quote in the file).  Each common shape is recognised here
from the parser's context and problem, placed where the author has to look — the
key that lacks its ": ", the bracket or quote that is never closed, the list item
out of line — and explained with the fix, in Chinese and English.  What is not
recognised keeps the parser's words, with the generic advice.
"""

from __future__ import annotations

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
        return finding("LS010", rel, line=line, col=col, problem=raw, hint=hint)
    where = exc.context_mark
    rows = text.split("\n")

    def row(mark: yaml.Mark | None) -> str:
        return rows[mark.line] if mark is not None and 0 <= mark.line < len(rows) else ""

    quote = (_unclosed_quote(rows, at.line if at is not None else len(rows) - 1)
             if any(s in problem for s in _QUOTE_SYMPTOMS) else None)
    said: L | None = None
    if quote is not None:
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
        said = L("引用了没有定义的锚点（*名称）：请先用 &名称 定义它，或去掉这个引用",
                 "an alias (*name) refers to no anchor: define it first with &name, or "
                 "remove the alias")
    if said is None:
        return finding("LS010", rel, line=line, col=col, problem=raw, hint=L(
            "：请检查这一行及上一行的缩进、冒号（后面要有空格）和引号",
            ": check the indentation, the colons (a space after each) and the quotes of "
            "this line and the one above"))
    return finding("LS010", rel, line=line, col=col, problem=said, hint="")


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
