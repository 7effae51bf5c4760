"""Text YAML reads without a word, though it is not what the clerk wrote or sees:
LS025, LS026, LS027 — decided on a file's text, in `yaml_fast.parse`, so every path
(the whole ledger, file by file, the cache, a git revision) reports the same.

- LS025: a control or invisible character pasted from WeChat or Word (U+200B, U+FEFF
  inside the text, Word's manual line break U+000B, a backspace …).  YAML 1.2 as
  yaml_rs reads it keeps every one of them in the value; they draw nothing, and
  carry on into bulletins, status and exports.  One finding per line, at the first.
  The characters: C0 controls but tab, line feed and CR; DEL and the C1 controls
  (NEL included); U+2028/9; the noncharacters U+FFFE/U+FFFF (which PyYAML refuses);
  every default-ignorable code point (`safetext`'s
  invisible characters and bidi controls) — except where `safetext` keeps one as
  part of what is seen (a joiner inside an emoji or between Arabic letters, a
  variation selector after its character, a subdivision flag's tags); and but U+2800
  and a lone U+FE00–FE0E (`LEFT_OUT`: printable, and each a search more).
- LS026: ` #` ends a plain scalar; what follows is a comment, dropped.
  `standard: 见文件 #3号` reads 见文件.  Only values of free-text keys (`TEXT_KEYS`),
  written plain on one line as `key: value #…`, and only where the comment follows
  the value after a single space (`见文件 #3号`).  `value  # note` — two or more blanks
  or a tab before the `#` — is a comment the author meant, whatever it says, and left
  alone (the user guide tells clerks to write comments so).
  The value as read must be the text before the ` #` (a block scalar's line that
  only looks like `key: value #…` is not one).
- LS027: `&name` at the start of a free-text value is an anchor, not text:
  `title: &重点 背街小巷综合整治` reads 背街小巷综合整治, `title: &背街小巷` reads nothing.
  Left alone where the file refers to the anchor (`*name`): then it is meant.

Each scan starts with one pass in C that rules out a clean file: `str.isprintable()`
and a few memchr searches (LS025, `_may_hide`), a search for `#` or `&` (LS026, LS027,
then one step per `#` or `&`: `_lines_at`).  81 MB of task files (100,000 tasks)
cost about 0.3 CPU-s in all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..core.codes import L
from ..core.finding import Finding, finding
from ..core.safetext import BIDI_CHARS, INVISIBLE_CHARS, invisible_at, maybe_seen

#: the keys whose values are free text a clerk types (titles, standards, notes …),
#: where a `#` or `&` is likely content; ids, references, dates, patterns are not
#: (`unit`, `approved_by` and a flag's `kind` are ids: `unit: zhangjiacun  # 张家村` is a
#: comment meant, and quoting it as LS026 advised made an unknown unit — review)
TEXT_KEYS = ("title", "name", "standard", "note", "problems", "reason", "description",
             "evidence", "issuer", "doc_no", "cc", "printed_by", "short", "by",
             "scored_by", "group")

# ---- LS025 -----------------------------------------------------------------------
_HIDDEN_CHAR = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff{BIDI_CHARS}{INVISIBLE_CHARS}]")
#: the characters of `_HIDDEN_CHAR` LS025 leaves alone: printable to `str.isprintable()`
#: (the first filter, `_may_hide`), and each a search of its own over every file —
#: U+2800 costs a slow one (its low byte is 0: no memchr), the 15 selectors 15.  A
#: Braille blank or a lone U+FE00–FE0E is still escaped in every output (`safetext`),
#: and LS119 still tells two unit names apart by it.
LEFT_OUT = frozenset("\u2800" + "".join(map(chr, range(0xFE00, 0xFE0F))))
#: the UTF-8 lead bytes of the other printable ones, rare in Chinese text (one
#: memchr each): \xcd U+034F; \xe1 U+115F, U+1160, U+17B4/5, U+180B–D and U+180F;
#: \xf3 the selectors U+E0100–E01EF
_PRINTABLE_LEADS = (b"\xcd", b"\xe1", b"\xf3")
#: … and the printable ones searched for as characters: the Hangul fillers (a
#: "blank" WeChat name) and U+FE0F, the emoji selector an emoji deleted leaves behind
#: (low bytes 0x64, 0xa0, 0x0f: a memchr each, in text stored two bytes a character)
_PRINTABLE_CHARS = ("\u3164", "\uffa0", "\ufe0f")

_NAMES: dict[str, tuple[str, str]] = {
    "\u200b": ("零宽空格", "zero-width space"),
    "\u200c": ("零宽不连字", "zero-width non-joiner"),
    "\u200d": ("零宽连字", "zero-width joiner"),
    "\u2060": ("零宽词连接符", "word joiner"),
    "\ufeff": ("零宽不换行空格，即混进文字中的 BOM", "zero-width no-break space, a stray BOM"),
    "\u00ad": ("软连字符", "soft hyphen"),
    "\x0b": ("垂直制表符，Word 的手动换行", "vertical tab, Word's manual line break"),
    "\x0c": ("换页符", "form feed"),
    "\x08": ("退格符", "backspace"),
    "\x1b": ("ESC 控制符", "escape"),
    "\x7f": ("删除符 DEL", "delete"),
    "\x85": ("下一行符 NEL", "next line"),
    "\u2028": ("行分隔符", "line separator"),
    "\u2029": ("段分隔符", "paragraph separator"),
    "\u3164": ("韩文填充符", "Hangul filler"),
    "\uffa0": ("半角韩文填充符", "halfwidth Hangul filler"),
    "\ufe0f": ("单独的变体选择符", "a variation selector standing alone"),
    # noncharacters: a broken conversion (UTF-16 read the wrong way round) or a copy
    # from a PDF leaves them; PyYAML refuses the file (ReaderError), yaml_rs keeps them
    "\ufffe": ("非字符，通常是编码转换出错留下的", "a noncharacter, usually left by a broken "
               "conversion"),
    "\uffff": ("非字符，通常是编码转换出错留下的", "a noncharacter, usually left by a broken "
               "conversion"),
}


def char_name(c: str) -> L:
    """`c` by its code point and what it is, for a finding (U+200B（零宽空格）)."""
    o = ord(c)
    code = f"U+{o:04X}"
    if c in _NAMES:
        zh, en = _NAMES[c]
    elif o < 0x20 or 0x7F <= o <= 0x9F:
        zh, en = "控制字符", "a control character"
    elif c in "\u200e\u200f\u061c" or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069":
        zh, en = "双向文字控制符，会改变文字的显示顺序", "a bidi control, which reorders the text shown"
    else:
        zh, en = "不可见字符", "an invisible character"
    return L(f"{code}（{zh}）", f"{code} ({en})")


def _may_hide(text: str, raw: bytes) -> bool:
    """False only when `text` (`raw` as UTF-8) holds no character `_hidden` reports:
    every one but those below is one `str.isprintable()` refuses (Cc, Cf, Zl, Zp, and
    the unassigned tags) — line breaks and tabs aside.  One pass in C: a regex class
    over 81 MB of task files cost 1–1.7 CPU-s, this 0.2.  A file it passes with a
    U+3000 or U+00A0 (Zs, not printable either) takes the exact scan: a few."""
    if "\r" in text:
        text = text.replace("\r", " ")
    if "\t" in text:
        text = text.replace("\t", " ")
    return (not text.replace("\n", " ").isprintable()
            or any(b in raw for b in _PRINTABLE_LEADS)
            or any(c in text for c in _PRINTABLE_CHARS))


def _hidden(rel: str, text: str) -> list[Finding]:
    out: list[Finding] = []
    line = 1
    line_start = 0
    pos = 0  # text[:pos] has been counted for line breaks
    first: tuple[int, int, str] | None = None
    more = 0

    def flush() -> None:
        if first is not None:
            ln, col, c = first
            out.append(finding("LS025", rel, line=ln, col=col, char=char_name(c), more=L(
                f"，此行还有 {more} 个" if more else "",
                f", and {more} more on this line" if more else "")))

    for m in _HIDDEN_CHAR.finditer(text):
        at = m.start()
        c = m.group()
        if c in LEFT_OUT or (maybe_seen(c) and invisible_at(text, at)):
            continue
        breaks = text.count("\n", pos, at)
        if breaks:
            flush()
            first, more = None, 0
            line += breaks
            line_start = text.rfind("\n", pos, at) + 1
        pos = at
        if first is None:
            first = (line, at - line_start + 1, c)
        else:
            more += 1
    flush()
    return out


# ---- LS026, LS027 -------------------------------------------------------------------
_KEY = "(?P<key>" + "|".join(TEXT_KEYS) + ")"
_LEAD = r"^(?P<lead>[ \t]*(?:-[ \t]+)*)" + _KEY + r"[ \t]*:[ \t]+"
#: words of a plain value up to a comment: runs of non-blanks, each run of blanks
#: inside followed by no `#` (after a blank, one starts a comment).  Possessive: a
#: lazy `[^\r\n]*?` tried the comment at every blank of a long run again (quadratic:
#: 30,000 blanks in a title took 6.5 s a line; linear now)
_WORDS = r"[^ \t\r\n]*+(?:[ \t]++[^ \t\r\n#][^ \t\r\n]*+)*+"
#: `key: value #comment` with a plain value on one line (no quote, block, flow,
#: anchor, alias, tag or reserved indicator first)
_CUT = re.compile(_LEAD + r"(?P<value>[^\s\"'|>&*!\[{#%@`]" + _WORDS + r")(?P<gap>[ \t]+)#"
                  r"(?P<comment>[^\r\n]*)", re.MULTILINE)
#: `key: value #…` is matched one line at a time (`_lines_at`): `^` meets the start
#: of the line, `$` its end
#: an alias, `*name` (the name as `_ANCHOR` reads an anchor's)
_ALIAS = re.compile(r"\*([^\s\[\]{},]+)")
#: `key: &anchor rest #comment`: `rest` holds a `#` that follows no blank (content to
#: YAML), the comment starts at a `#` after one, `gap` the whole run of blanks before
#: it (two blanks: a comment meant; a lazy `rest` left `gap` its last blank only)
_ANCHOR = re.compile(_LEAD + r"&(?P<anchor>[^\s\[\]{},]+)"
                     r"(?:[ \t]++(?P<rest>[^ \t\r\n#]" + _WORDS + r"))?"
                     r"(?:(?P<gap>[ \t]+)#(?P<comment>[^\r\n]*)|[ \t]*)\r?$",
                     re.MULTILINE)  # \r: a CRLF file


def _read_pairs(data: Any) -> set[tuple[str, str | None]]:
    """(key, value) of every free-text key whose value is text or empty, anywhere in
    `data` (walked without recursion; only for a file with a candidate)."""
    pairs: set[tuple[str, str | None]] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    stack.append(v)
                elif k in TEXT_KEYS and (v is None or isinstance(v, str)):
                    pairs.add((k, v))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return pairs


def _quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON's string is one)."""
    return json.dumps(text, ensure_ascii=False)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _after_blank(mark: str) -> re.Pattern[str]:
    """`mark` right after a space or a tab, but not where only blanks (up to 16) lead
    to it from the line's start: a comment line `  # 注释` is passed over in C."""
    return re.compile(re.escape(mark) + f"(?<=[ \t]{re.escape(mark)})" + "".join(
        f"(?<!\n[ \t]{{{n}}}{re.escape(mark)})" for n in range(1, 17)))


_HASH, _AMP = _after_blank("#"), _after_blank("&")


def _lines_at(text: str, marks: re.Pattern[str], pattern: re.Pattern[str],
              ) -> Iterator[re.Match[str]]:
    """`pattern` matched on each line where `marks` finds a mark after a blank —
    what `pattern.finditer(text)` finds, since its matches start a line and stay in
    it, for the cost of a search for the mark's character and a step per line found
    (a regex over the whole text cost 1.5–1.7 CPU-s per 81 MB, every line tried)."""
    done = 0  # the end of the last line matched
    for mark in marks.finditer(text):
        at = mark.start()
        if at < done:
            continue
        start = text.rfind("\n", 0, at) + 1
        done = text.find("\n", at)
        if done == -1:
            done = len(text)
        if text[start:at].isspace():
            continue  # a comment line indented deeper than `marks` looks
        m = pattern.match(text, start, done)
        if m is not None:
            yield m


def _cut(rel: str, text: str, data: Any) -> list[Finding]:
    out: list[Finding] = []
    pairs: set[tuple[str, str | None]] | None = None
    for m in _lines_at(text, _HASH, _CUT):
        comment = m["comment"]
        if len(m["gap"]) > 1 or "\t" in m["gap"]:
            continue  # after two blanks (or a tab): a comment meant, whatever it says
        if pairs is None:
            pairs = _read_pairs(data)
        value = m["value"]
        if (m["key"], value) not in pairs:
            continue
        whole = f"{value}{m['gap']}#{comment}".rstrip()
        line, col = _position(text, m.start("gap") + len(m["gap"]))
        out.append(finding("LS026", rel, line=line, col=col, key=m["key"], value=value,
                           comment="#" + comment.rstrip(), quoted=_quoted(whole)))
    return out


def _anchors(rel: str, text: str, data: Any) -> list[Finding]:
    out: list[Finding] = []
    pairs: set[tuple[str, str | None]] | None = None
    aliases: set[str] | None = None
    for m in _lines_at(text, _AMP, _ANCHOR):
        anchor = m["anchor"]
        if aliases is None:  # every alias of the file, once (not a search per line)
            aliases = set(_ALIAS.findall(text)) if "*" in text else set()
        if anchor in aliases:
            continue  # referred to: an anchor meant as one
        if pairs is None:
            pairs = _read_pairs(data)
        rest = m["rest"] or None
        if (m["key"], rest) not in pairs:
            continue
        whole = f"&{anchor} {rest}" if rest else f"&{anchor}"
        if m["gap"] == " ":
            # `&重点 背街 #3号`: after a single blank the `#` is most likely text, as
            # LS026 has it, and the quoted value keeps it (after two blanks or a tab it
            # is a comment meant, left out)
            whole = f"{whole} #{m['comment']}".rstrip()
        read = L(f"读到的值是“{rest}”", f"so the value read is '{rest}'") if rest else L(
            "读到的值为空", "so the value read is empty")
        line, col = _position(text, m.start("anchor") - 1)
        out.append(finding("LS027", rel, line=line, col=col, key=m["key"], anchor=anchor,
                           read=read, quoted=_quoted(whole)))
    return out


def hidden_text(rel: str, text: str, raw: bytes, data: Any) -> list[Finding]:
    """LS025, LS026 and LS027 of a file read as `data`; `raw` is `text` as UTF-8.
    Each starts with a search that passes a clean file in one pass in C."""
    out = _hidden(rel, text) if _may_hide(text, raw) else []
    if "#" in text:
        out += _cut(rel, text, data)
    if "&" in text:
        out += _anchors(rel, text, data)
    return out
