"""Ledger text made inert before it reaches a terminal, a CI log or a spreadsheet.

A ledger is YAML from other people's branches: a unit name, a task title or a note
can hold anything.  Three places would read such text as instructions:

- a terminal or CI log: ESC sequences recolour or rewrite the screen, bidi
  overrides (U+202E…) make text read backwards, and a line break followed by
  `::error …` or `::add-mask::` — or `##[error]`, `##vso[` anywhere on a line — is a
  workflow command to GitHub Actions or Azure Pipelines.  `terminal()` escapes all
  of these visibly, the way Python writes them (`\\x1b`, `\\u202e`, `\\n`, and
  `\\x3a:` for the first colon of `::`), so the text stays readable and no value can
  start an output line or a command;
- a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab or a CR is a formula
  to Excel when it opens a CSV file (OWASP "CSV injection").  `formula_guard()`
  prefixes such text with one `'`, and `unquote()` takes that quote off again
  when luoshi reads its own workbook back, so export → import keeps the text;
- openpyxl, which refuses most C0 control characters in a cell
  (IllegalCharacterError): `xlsx_text()` escapes them like `terminal()` does.

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
#: what openpyxl refuses in a cell (tab, line feed and CR are allowed)
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: a cell starting with one of these is a formula to a spreadsheet (OWASP)
FORMULA_START = frozenset("=+-@\t\r")
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


#: what JSON leaves raw (json escapes only C0) that a terminal or a log viewer acts on:
#: DEL and the C1 controls (U+009B is a CSI on some terminals), the bidi marks,
#: embeddings, overrides and isolates, and the line/paragraph separators
_JSON_ACTIVE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_JSON_ACTIVE_UTF8 = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def json_text(text: str) -> str:
    """JSON text (luoshi's own output, ensure_ascii=False) with the characters a
    terminal would act on written as \\uXXXX escapes.  Outside strings JSON is
    ASCII, so this only rewrites inside strings: the data a parser reads back is the
    same.  Applied to whole chunks (a search per chunk, not per value)."""
    if _JSON_ACTIVE.search(text) is None:
        return text
    return _JSON_ACTIVE.sub(_json_escape, text)


def json_bytes(data: bytes) -> bytes:
    """`json_text` of UTF-8 encoded JSON text, on its bytes."""
    if _JSON_ACTIVE_UTF8.search(data) is None:
        return data
    return _JSON_ACTIVE_UTF8.sub(
        lambda m: f"\\u{ord(m.group().decode()):04x}".encode(), data)


def formula_guard(text: str) -> str:
    """Text a spreadsheet would run as a formula, quoted with one leading `'`.

    Text that already starts with a quote gets one more when stripping one quote
    would otherwise change it (`'=x`, `''x`), so `unquote()` is the exact inverse."""
    first = text[:1]
    if first in FORMULA_START or (first == QUOTE and text[1:2] in _UNQUOTE_NEXT):
        return QUOTE + text
    return text


_UNQUOTE_NEXT = FORMULA_START | {QUOTE}


def unquote(text: str) -> str:
    """The text `formula_guard()` was given: the one quote it added taken off."""
    if text[:1] == QUOTE and text[1:2] in _UNQUOTE_NEXT:
        return text[1:]
    return text


def csv_text(text: str) -> str:
    """A ledger value as a CSV cell: safe on a terminal (a CSV is often read
    there, or in a CI log) and inert in a spreadsheet."""
    return formula_guard(terminal(text))


def xlsx_text(text: str) -> str:
    """A ledger value as an .xlsx cell: the control characters openpyxl refuses
    escaped visibly (line breaks and tabs kept: notes span lines), then quoted
    when a spreadsheet would read it as a formula."""
    if _XLSX_ILLEGAL.search(text) is not None:
        text = _XLSX_ILLEGAL.sub(_escape, text)
    return formula_guard(text)


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
