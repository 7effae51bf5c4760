"""Ledger text made inert before it reaches a terminal, a CI log or a spreadsheet.

A ledger is YAML from other people's branches: a unit name, a task title or a note
can hold anything.  Three places would read such text as instructions:

- a terminal or CI log: ESC sequences recolour or rewrite the screen, bidi
  overrides (U+202E…) make text read backwards, and a line break followed by
  `::error …` or `::add-mask::` — or `##[error]`, `##vso[` anywhere on a line — is a
  workflow command to GitHub Actions or Azure Pipelines; and characters that draw
  nothing hide text from the reader (zero-width spaces and joiners, U+FEFF, and the
  tag characters U+E0000–U+E007F, which spell ASCII no one sees: "ASCII smuggling").
  `terminal()` escapes all of these visibly, the way Python writes them (`\\x1b`,
  `\\u202e`, `\\n`, `\\U000e0069`, and `\\x3a:` for the first colon of `::`), so the
  text stays readable and no value can start an output line or a command — but keeps
  the joiners and tags where they are part of what the reader sees (`_invisible`).
  A whole document a ledger's own template rendered goes through `document_text()`,
  which keeps its line breaks and tabs and escapes the rest the same way;
- a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab or a CR is a formula
  to Excel when it opens a CSV file (OWASP "CSV injection"); so, to a CJK input
  method's or a spreadsheet's auto-conversion, is the full-width `＝ ＋ － ＠`, and
  either kind after leading blanks (spaces, U+3000).  `formula_guard()` prefixes
  such text with one `'`, and `unquote()` takes that quote off again when luoshi
  reads its own workbook back, so export → import keeps the text;
- a workbook's XML, which cannot hold most C0 control characters (openpyxl refuses
  them: IllegalCharacterError), U+FFFE, U+FFFF or a lone surrogate (openpyxl writes
  those, and the sheet is then no XML at all): `xlsx_text()` escapes them like
  `terminal()` does.  Excel also decodes `_xHHHH_` in cell text (`_x003D_` shows
  as `=`): `ooxml_escape()` writes such text as XlsxWriter does (`_x005F_x003D_`)
  for the openpyxl writer, and `ooxml_unescape()` decodes it on reading.  Bidi
  marks and the invisible characters stay in a cell as written: it is data, never
  run, and export → import gives the text back (a CSV escapes them: `csv_text()`).

Only text goes through these: numbers luoshi writes (a score of -1.5, "-2.00" in a
CSV) are figures, not ledger text, and are left alone by the callers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

#: the characters that draw nothing and can hide text (besides the bidi controls):
#: the zero-width space, non-joiner and joiner (U+200B–D), the word joiner and the
#: other invisible format characters of General Punctuation (U+2060–4, U+206A–F),
#: U+FEFF (a zero-width no-break space, or a stray byte order mark), and the tag
#: characters U+E0000–U+E007F, each an ASCII character no one sees ("ASCII
#: smuggling": 28 of them in a task title reached `status` and the Markdown bulletin
#: raw).  `_invisible` keeps the ones that are part of what is seen.  (One class with
#: the rest: a class is one test per character, where an alternative `[tags]+`
#: made a search of clean text 3–5 times slower.)
_INVISIBLE = ("\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff\U000e0000-\U000e007f"
              "\ufe00-\ufe0f\U000e0100-\U000e01ef")
#: the variation selectors (U+FE00–FE0F, U+E0100–E01EF): one after a character picks
#: how it is drawn (❤️, an ideograph's variant); a run of them draws nothing and can
#: carry a byte each ("emoji smuggling": 32 of them after 重点项目 passed every
#: output).  Among `_INVISIBLE`; `_invisible` keeps one right after what it selects.
#: They are printable to `str.isprintable()` (category Mn): the fast paths ask this
_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
#: C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidi
#: marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–E, U+2066–9)
#: that reorder what a reader sees, and the invisible characters above
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    f"{_INVISIBLE}]")
#: a character drawn as an emoji (Unicode's Extended_Pictographic, generously): what a
#: zero-width joiner joins into one picture (👨‍👩‍👧, 🏳️‍🌈), with U+FE0F (emoji style)
#: after the one before it
_EMOJI = ("\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2"
          "\u25aa-\u25fe\u2600-\u27bf\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299"
          "\U0001f000-\U0001faff")
_EMOJI_BEFORE = re.compile(f"[{_EMOJI}\ufe0f]")
_EMOJI_AFTER = re.compile(f"[{_EMOJI}]")
#: the scripts whose letters a joiner or non-joiner shapes (Arabic, Syriac, Thaana,
#: N'Ko and the other scripts of U+0600–U+08FF; the Indic scripts; Tibetan, Myanmar,
#: Khmer, Mongolian; Arabic presentation forms): between two of their letters, a
#: U+200C or U+200D is spelling (Persian می‌خواهم, a Uyghur or Mongolian name)
_JOINING = re.compile("[\u0600-\u08ff\u0900-\u0dff\u0f00-\u0fff\u1000-\u109f"
                      "\u1780-\u18af\ufb50-\ufdff\ufe70-\ufefe]")
#: the emoji tag sequences that draw a subdivision's flag (🏴 + the tag letters of a
#: subdivision id + CANCEL TAG, UTS #51) that are recommended for general
#: interchange — England, Scotland, Wales — the one use of tag characters in text.
#: Only these: any other run of tag letters after 🏴 draws the black flag and hides
#: the letters (five 🏴 carried 26 hidden letters when any id-shaped run was kept)
_FLAG_TAGS = re.compile("(?:" + "|".join(
    "".join(chr(0xE0000 + ord(c)) for c in sub) for sub in ("gbeng", "gbsct", "gbwls"))
    + ")\U000e007f")
_FLAG_LONGEST = 8  # tags in a subdivision flag: a 7-character id and CANCEL TAG
_BLACK_FLAG = "\U0001f3f4"
_TAG_FIRST, _TAG_LAST = "\U000e0000", "\U000e007f"
_SELECTOR_FIRST = "\U000e0100"  # the supplementary variation selectors, past the tags
#: what a CI runner reads as a workflow command: `::` (GitHub, at a line's start
#: after blanks — and rich may wrap a cell so that any `::` starts a line), and
#: `##[` or `##vso[` anywhere on a line (GitHub's old syntax, Azure Pipelines)
#: (`vso` in any case, and only it: a pattern-wide IGNORECASE made every character
#: of a class holding the tag characters be case-folded before it was tested, and a
#: whole document's search twice as slow)
_COMMAND = re.compile(r":(?=:)|#(?=#(?:\[|(?i:vso)\[))")
_TERMINAL = re.compile(f"{_CONTROL.pattern}|{_COMMAND.pattern}")
#: what a cell's XML cannot hold: the C0 controls but tab, line feed and CR (openpyxl
#: refuses them), the non-characters U+FFFE/U+FFFF and lone surrogates (not XML 1.0
#: characters: openpyxl writes them, and the part is then no XML at all)
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: the escape OOXML reads in cell text (ST_Xstring): `_x` four hex digits `_`
_OOXML_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")
#: a cell starting with one of these is a formula to a spreadsheet (OWASP)
FORMULA_START = frozenset("=+-@\t\r")
#: text a spreadsheet may read as a formula: one of `FORMULA_START` or its full-width
#: form first, or a formula sign after leading blanks (space, U+3000)
_FORMULA = re.compile("[\t\r]|[ \u3000]*[=+\\-@\uff1d\uff0b\uff0d\uff20]")
QUOTE = "'"


def _maybe_seen(c: str) -> bool:
    """A joiner, a tag or a variation selector: a character `_invisible` may keep."""
    return c in "\u200c\u200d" or c >= _TAG_FIRST or "\ufe00" <= c <= "\ufe0f"


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    if c in ":#":
        return f"\\x{ord(c):02x}"
    if _maybe_seen(c) and _invisible(m.string, m.start()):
        return c
    return c.encode("unicode_escape").decode("ascii")


def _invisible(text: str, at: int) -> bool:
    """Whether the joiner or tag character at `text[at]` is part of what the reader
    sees, and kept: a U+200D between two emoji (after the first one's U+FE0F, if
    any) — one picture of a family, a rainbow flag; a U+200C or U+200D between two
    letters of a script that shapes with them; a tag of a subdivision flag, the
    sequence right after 🏴.  Anywhere else — in Chinese text, at a value's start or
    end, beside another invisible character, in any other run of tags — it only
    hides something, and is escaped.  Looks at most `_FLAG_LONGEST` characters
    back and ahead: a run of a million tags is escaped in linear time."""
    c = text[at]
    if "\ufe00" <= c <= "\ufe0f" or c >= _SELECTOR_FIRST:
        # a selector right after the character it selects: not at the start, not
        # after a blank, a control, an invisible character or another selector
        if at == 0:
            return False
        before = text[at - 1]
        return not before.isspace() and _CONTROL.match(before) is None
    if c >= _TAG_FIRST:
        first = at
        while first > 0 and at - first < _FLAG_LONGEST and \
                _TAG_FIRST <= text[first - 1] <= _TAG_LAST:
            first -= 1
        if first == 0 or text[first - 1] != _BLACK_FLAG:
            return False
        flag = _FLAG_TAGS.match(text, first)
        return flag is not None and at < flag.end()
    if at == 0 or at + 1 >= len(text):
        return False
    before, after = text[at - 1], text[at + 1]
    if c == "\u200d" and _EMOJI_BEFORE.match(before) and _EMOJI_AFTER.match(after):
        return True
    return _JOINING.match(before) is not None and _JOINING.match(after) is not None


def printable(text: str) -> str:
    """Control characters, line separators, bidi controls and the invisible
    characters that hide text escaped visibly (`\\x1b`, `\\n`, `\\u202e`, `\\u200b`,
    `\\U000e0041`): the text can neither start a line nor change what the rest of the
    line looks like, and shows everything it holds."""
    # isprintable() is false for every character escaped here (and for a few more,
    # such as U+3000, which the regex then leaves alone): a fast path for clean text
    if text.isprintable():
        if text.isascii() or _SELECTOR.search(text) is None:
            return text
    elif _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_escape, text)


def terminal(text: str) -> str:
    """`printable()`, and no workflow command either: the first `:` of every `::`
    and the first `#` of `##[` / `##vso[` written as `\\x3a` / `\\x23`.  Used for
    every ledger value on a terminal, in a CI log, or in a CSV on stdout."""
    if (text.isprintable() and "::" not in text and "##" not in text
            and (text.isascii() or _SELECTOR.search(text) is None)) \
            or _TERMINAL.search(text) is None:
        return text
    return _TERMINAL.sub(_escape, text)


#: a shell word that needs no quotes: shlex's safe characters, with any letter or
#: digit (`\\w` in Unicode: 台账 is one word as it stands, in every shell)
_SHELL_PLAIN = re.compile(r"[\w@%+=:,./-]+")
#: what a shell word cannot show as it is: a control, a bidi mark, a workflow
#: command (`terminal()`), or a byte a file name held that is no UTF-8 (a lone
#: surrogate, as Python's surrogateescape reads it)
_SHELL_ESCAPE = re.compile(f"{_TERMINAL.pattern}|[\\\\'\udc80-\udcff]")


def _shell_escape(m: re.Match[str]) -> str:
    c = m.group()
    if _maybe_seen(c) and _invisible(m.string, m.start()):
        return c
    o = ord(c)
    if c in "\\'":
        return "\\" + c
    if 0xDC80 <= o <= 0xDCFF:  # the byte itself
        return f"\\x{o - 0xDC00:02x}"
    if o < 0x80:  # as `terminal()` writes them (`\\n`, `\\x1b`, `\\x3a`)
        return _escape(m)
    # `\\x..` is a byte to the shell: a character above ASCII is `\\u....`
    return f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}"


def shell_word(text: str) -> str:
    """`text` as one word of a command line a message suggests (`luoshi validate
    'my ledger'`, LS004's `iconv … -o …`), so that the command runs as pasted:
    as it is when nothing in it is special to a shell, else in single quotes
    (`shlex.quote`), and — where it holds a line break or another character
    `terminal()` escapes — in ANSI-C quotes (`$'my\\nledger'`, bash and zsh), whose
    escapes are visible on the terminal and are the character again to the shell.
    A word that starts with `-` is not told apart from an option here: give paths
    through `shell_path`."""
    if text and _SHELL_PLAIN.fullmatch(text) and "::" not in text:
        return text
    if _SHELL_ESCAPE.search(text.replace("\\", "").replace("'", "")) is None:
        import shlex

        return shlex.quote(text)
    return "$'" + _SHELL_ESCAPE.sub(_shell_escape, text) + "'"


def shell_path(path: object) -> str:
    """A path as one word of a suggested command (`shell_word`); a relative one that
    starts with `-` as `./-x`, which no command reads as an option."""
    text = str(path)
    return shell_word(f"./{text}" if text.startswith("-") else text)


#: what a whole rendered document (a bulletin a ledger's own template wrote) may not
#: hold: the controls and invisible characters of `_CONTROL` but line feed and tab, a
#: `::` after a line's leading blanks (where GitHub reads a workflow command; .NET's
#: Trim() takes every Unicode blank), and `##[` / `##vso[` anywhere
_DOCUMENT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    f"\u2066-\u2069{_INVISIBLE}]|^[^\\S\n]*:(?=:)|#(?=#(?:\\[|(?i:vso)\\[))", re.MULTILINE)


def _escape_document(m: re.Match[str]) -> str:
    text = m.group()
    if len(text) > 1 or text == ":":  # blanks and the first colon of `::`
        return printable(text[:-1]) + "\\x3a"
    if text == "\u200b" and m.string[m.start() - 1:m.start()] == "@":
        # Markdown's own: what `md_escape` puts after an @ that would mention someone
        # (values are escaped before it is put there: this one is luoshi's)
        return text
    return _escape(m)


def document_text(text: str) -> str:
    """A rendered document (Markdown or HTML from a template) safe on a terminal and
    in a CI log, lines kept: every control character but line feed and tab, every
    bidi control and line separator escaped visibly as `printable()` does, and no
    line starting a workflow command (`\\x3a:` as `terminal()` writes it).  The
    values in it are escaped already; this is for the template's own text, which is
    part of the ledger.  Text without any of these is returned unchanged."""
    if _DOCUMENT.search(text) is None:
        return text
    return _DOCUMENT.sub(_escape_document, text)


#: what JSON leaves raw (json escapes only C0) that a terminal or a log viewer acts on:
#: DEL and the C1 controls (U+009B is a CSI on some terminals), the bidi marks,
#: embeddings, overrides and isolates, and the line/paragraph separators — and the
#: invisible characters of `_INVISIBLE`, every one of them: the escape changes no
#: data, so none needs keeping (a family emoji reads 👨\\u200d👩)
_JSON_ACTIVE = re.compile(
    "[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef]")
_JSON_ACTIVE_UTF8 = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8b-\x8f\xa8-\xae]"
    rb"|\xe2\x81[\xa0-\xa4\xa6-\xaf]")
#: U+FEFF, the variation selectors and the tag characters in UTF-8, replaced apart
#: where a quick search saw one: in the pattern above, the common lead byte \xef
#: (，（）：) made the search of 81 MB of status JSON 0.18 s slower.  Their quick
#: searches: \xef followed by \xbb\xbf or \xb8 (the regex engine's, 26–37 ms on 80 MB;
#: `bytes.find`'s, 55–70 ms) and the lead byte \xf3 of every character from U+C0000 to
#: U+FFFFF (memchr, 5 ms)
_JSON_RARE_UTF8 = re.compile(
    rb"\xef\xbb\xbf|\xef\xb8[\x80-\x8f]|\xf3\xa0[\x80\x81\x84-\x87][\x80-\xbf]")
#: U+FEFF and the variation selectors U+FE00–FE0F, the other characters of the rare
#: pattern led by \xef
_BOM_UTF8 = re.compile(b"\xef(?:\xbb\xbf|\xb8[\x80-\x8f])")


#: `##[` / `##vso[` (a workflow command anywhere on an Azure Pipelines line): its first
#: `#` is written \\u0023 — JSON has no `#` outside strings.  Searched only where the
#: text holds `##` at all (a 55 MB status JSON: 0.05 s; in the class above, 0.3 s more)
_JSON_COMMAND = re.compile(r"#(?=#(?:\[|vso\[))", re.IGNORECASE)
_JSON_COMMAND_UTF8 = re.compile(rb"#(?=#(?:\[|vso\[))", re.IGNORECASE)


def _json_u(o: int) -> str:
    """Code point `o` as JSON writes it: `\\uXXXX`, or the surrogate pair beyond the
    BMP (a tag character U+E0041 is `\\udb40\\udc41`)."""
    if o <= 0xFFFF:
        return f"\\u{o:04x}"
    o -= 0x10000
    return f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}"


def _json_escape(m: re.Match[str]) -> str:
    return _json_u(ord(m.group()))


def _json_escape_utf8(m: re.Match[bytes]) -> bytes:
    return _json_u(ord(m.group().decode())).encode()


def json_text(text: str) -> str:
    """JSON text (luoshi's own output, ensure_ascii=False) with the characters a
    terminal would act on, and the `#` that starts a workflow command, written as
    \\uXXXX escapes.  Outside strings JSON is ASCII without `#`, so this only
    rewrites inside strings: the data a parser reads back is the same.  Applied to
    whole chunks (a search per chunk, not per value)."""
    if _JSON_ACTIVE.search(text) is not None:
        text = _JSON_ACTIVE.sub(_json_escape, text)
    if "##" in text:
        text = _JSON_COMMAND.sub("\\\\u0023", text)
    return text


def json_bytes(data: bytes) -> bytes:
    """`json_text` of UTF-8 encoded JSON text, on its bytes."""
    if _JSON_ACTIVE_UTF8.search(data) is not None:
        data = _JSON_ACTIVE_UTF8.sub(_json_escape_utf8, data)
    if b"\xf3" in data or _BOM_UTF8.search(data) is not None:
        data = _JSON_RARE_UTF8.sub(_json_escape_utf8, data)
    if b"##" in data:
        data = _JSON_COMMAND_UTF8.sub(b"\\\\u0023", data)
    return data


def formula_guard(text: str) -> str:
    """Text a spreadsheet would run as a formula, quoted with one leading `'`.

    Text that already starts with a quote gets one more when stripping one quote
    would otherwise change it (`'=x`, `''x`), so `unquote()` is the exact inverse."""
    if _FORMULA.match(text) is not None or _quoted(text):
        return QUOTE + text
    return text


def _quoted(text: str) -> bool:
    """`text` is a quote that `unquote()` would take off: before a formula sign (or
    blanks and one) or before another quote."""
    return text[:1] == QUOTE and (text[1:2] == QUOTE or _FORMULA.match(text, 1) is not None)


def unquote(text: str) -> str:
    """The text `formula_guard()` was given: the one quote it added taken off."""
    return text[1:] if _quoted(text) else text


def csv_text(text: str) -> str:
    """A ledger value as a CSV cell: safe on a terminal (a CSV is often read
    there, or in a CI log) and inert in a spreadsheet."""
    return formula_guard(terminal(text))


def xlsx_text(text: str) -> str:
    """A ledger value as an .xlsx cell: `xlsx_shown()`, then quoted when a
    spreadsheet would read it as a formula."""
    return formula_guard(xlsx_shown(text))


def xlsx_shown(text: str) -> str:
    """A ledger value as an .xlsx cell shows it (and luoshi reads it back): the
    characters a workbook cannot hold escaped visibly (`\\x01`, `\\ufffe`; line
    breaks and tabs kept: notes span lines)."""
    if _XLSX_ILLEGAL.search(text) is not None:
        text = _XLSX_ILLEGAL.sub(_escape, text)
    return text


def ooxml_escape(text: str) -> str:
    """Text for a cell openpyxl writes: a literal `_xHHHH_` written `_x005F_xHHHH_`,
    as XlsxWriter and Excel write it, so Excel shows the text as it is (openpyxl
    writes it raw, and Excel decoded `_x003D_` to `=`)."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: "_x005F" + m.group(), text)


def _ooxml_char(m: re.Match[str]) -> str:
    code = int(m.group()[2:6], 16)
    # a lone surrogate is no character: kept as the escape it came as
    return m.group() if 0xD800 <= code <= 0xDFFF else chr(code)


def ooxml_unescape(text: str) -> str:
    """Cell text as Excel shows it: every `_xHHHH_` decoded (`_x005F_x003D_` is
    `_x003D_`, `_x000D_` is a CR), the inverse of `ooxml_escape()` (openpyxl leaves
    them encoded when it reads)."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(_ooxml_char, text)


T = TypeVar("T")


def terminal_copy(value: T) -> T:
    """A copy of a result (dataclasses, tuples, lists, dicts, `L` labels and
    other named tuples) with every
    string passed through `terminal()`: a renderer that interpolates the copy's text
    cannot put a ledger's control characters or workflow commands on a terminal,
    whatever it joins with line breaks of its own."""
    return escaped_copy(value, terminal)


def escaped_copy(value: T, escape: Callable[[str], str]) -> T:
    """`terminal_copy` with another escape for every string: what the output that
    receives the copy cannot hold (a Word document: `printable()` and XML's own
    gaps, `report.bulletin.docx`)."""
    return _copy(value, escape)  # type: ignore[no-any-return]


def _copy(value: Any, escape: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, tuple):  # an `L` or another named tuple keeps its type
        items = [_copy(v, escape) for v in value]
        return type(value)._make(items) if hasattr(value, "_make") else tuple(items)
    if isinstance(value, list):
        return [_copy(v, escape) for v in value]
    if isinstance(value, dict):
        return {_copy(k, escape): _copy(v, escape) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{
            f.name: _copy(getattr(value, f.name), escape) for f in dataclasses.fields(value)
            if f.init})
    return value
