"""Ledger text made inert before it reaches a terminal, a CI log or a spreadsheet.

A ledger is YAML from other people's branches: a unit name, a task title or a note
can hold anything.  Three places would read such text as instructions:

- a terminal or CI log: ESC sequences recolour or rewrite the screen, bidi
  overrides (U+202E…) make text read backwards, and a line break followed by
  `::error …` or `::add-mask::` — or `##[error]`, `##vso[` anywhere on a line — is a
  workflow command to GitHub Actions or Azure Pipelines.  `terminal()` escapes all
  of these visibly, the way Python writes them (`\\x1b`, `\\u202e`, `\\n`, and
  `\\x3a:` for the first colon of `::`), so the text stays readable and no value can
  start an output line or a command.  A whole document a ledger's own template
  rendered goes through `document_text()`, which keeps its line breaks and tabs
  and escapes the rest the same way;
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
  for the openpyxl writer, and `ooxml_unescape()` decodes it on reading.

Only text goes through these: numbers luoshi writes (a score of -1.5, "-2.00" in a
CSV) are figures, not ledger text, and are left alone by the callers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

#: C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the
#: bidi marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–E,
#: U+2066–9) that reorder what a reader sees
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: what a CI runner reads as a workflow command: `::` (GitHub, at a line's start
#: after blanks — and rich may wrap a cell so that any `::` starts a line), and
#: `##[` or `##vso[` anywhere on a line (GitHub's old syntax, Azure Pipelines)
_COMMAND = re.compile(r":(?=:)|#(?=#(?:\[|vso\[))", re.IGNORECASE)
_TERMINAL = re.compile(f"{_CONTROL.pattern}|{_COMMAND.pattern}", re.IGNORECASE)
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


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    if c in ":#":
        return f"\\x{ord(c):02x}"
    return c.encode("unicode_escape").decode("ascii")


def printable(text: str) -> str:
    """Control characters, line separators and bidi controls escaped visibly
    (`\\x1b`, `\\n`, `\\u202e`): the text can neither start a line nor change
    what the rest of the line looks like."""
    # isprintable() is false for every character escaped here (and for a few more,
    # such as U+3000, which the regex then leaves alone): a fast path for clean text
    if text.isprintable() or _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_escape, text)


def terminal(text: str) -> str:
    """`printable()`, and no workflow command either: the first `:` of every `::`
    and the first `#` of `##[` / `##vso[` written as `\\x3a` / `\\x23`.  Used for
    every ledger value on a terminal, in a CI log, or in a CSV on stdout."""
    if (text.isprintable() and "::" not in text and "##" not in text) \
            or _TERMINAL.search(text) is None:
        return text
    return _TERMINAL.sub(_escape, text)


#: a shell word that needs no quotes: shlex's safe characters, with any letter or
#: digit (`\\w` in Unicode: 台账 is one word as it stands, in every shell)
_SHELL_PLAIN = re.compile(r"[\w@%+=:,./-]+")
#: what a shell word cannot show as it is: a control, a bidi mark, a workflow
#: command (`terminal()`), or a byte a file name held that is no UTF-8 (a lone
#: surrogate, as Python's surrogateescape reads it)
_SHELL_ESCAPE = re.compile(f"{_TERMINAL.pattern}|[\\\\'\udc80-\udcff]", re.IGNORECASE)


def _shell_escape(m: re.Match[str]) -> str:
    c = m.group()
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
#: hold: the controls of `_CONTROL` but line feed and tab, a `::` after a line's
#: leading blanks (where GitHub reads a workflow command; .NET's Trim() takes every
#: Unicode blank), and `##[` / `##vso[` anywhere
_DOCUMENT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069]|^[^\\S\n]*:(?=:)|#(?=#(?:\\[|vso\\[))", re.IGNORECASE | re.MULTILINE)


def _escape_document(m: re.Match[str]) -> str:
    text = m.group()
    if len(text) > 1 or text == ":":  # blanks and the first colon of `::`
        return printable(text[:-1]) + "\\x3a"
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
#: embeddings, overrides and isolates, and the line/paragraph separators
_JSON_ACTIVE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_JSON_ACTIVE_UTF8 = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


#: `##[` / `##vso[` (a workflow command anywhere on an Azure Pipelines line): its first
#: `#` is written \\u0023 — JSON has no `#` outside strings.  Searched only where the
#: text holds `##` at all (a 55 MB status JSON: 0.05 s; in the class above, 0.3 s more)
_JSON_COMMAND = re.compile(r"#(?=#(?:\[|vso\[))", re.IGNORECASE)
_JSON_COMMAND_UTF8 = re.compile(rb"#(?=#(?:\[|vso\[))", re.IGNORECASE)


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


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
        data = _JSON_ACTIVE_UTF8.sub(
            lambda m: f"\\u{ord(m.group().decode()):04x}".encode(), data)
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
