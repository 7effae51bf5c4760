"""Ledger text made inert before it reaches a terminal, a CI log or a spreadsheet.

A ledger is YAML from other people's branches: a unit name, a task title or a note
can hold anything.  Three places would read such text as instructions:

- a terminal or CI log: ESC sequences recolour or rewrite the screen, bidi
  overrides (U+202E…) make text read backwards, and a line break followed by
  `::error …` or `::add-mask::` — or `##[error]`, `##vso[` anywhere on a line — is a
  workflow command to GitHub Actions or Azure Pipelines; and characters that draw
  nothing hide text from the reader, or make two names look alike (zero-width spaces
  and joiners, U+FEFF, a soft hyphen, the Hangul fillers, the tag characters
  U+E0000–U+E007F, which spell ASCII no one sees: "ASCII smuggling" — every
  default-ignorable code point, `INVISIBLE_CHARS`).
  `terminal()` escapes all of these visibly, the way Python writes them (`\\x1b`,
  `\\u202e`, `\\n`, `\\U000e0069` — a soft hyphen as `\\u00ad` — and `\\x3a:` for the
  first colon of `::`), so the text stays readable and no value can start an output
  line or a command — but keeps the joiners, tags and selectors where they are part
  of what the reader sees (`invisible_at`).
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

#: Unicode's Default_Ignorable_Code_Point, from DerivedCoreProperties.txt (Unicode 14.0,
#: the version of Python 3.11's `unicodedata`, which has no property for it): the code points
#: a renderer that does not support them draws as nothing.  00AD soft hyphen; 034F
#: combining grapheme joiner; 061C Arabic letter mark; 115F..1160 Hangul choseong and
#: jungseong fillers; 17B4..17B5 Khmer inherent vowels; 180B..180D, 180F Mongolian free
#: variation selectors, 180E Mongolian vowel separator; 200B..200F zero-width space,
#: non-joiner, joiner, LRM, RLM; 202A..202E bidi embeddings and overrides; 2060..206F
#: word joiner, invisible operators, (2065 reserved), bidi isolates, deprecated format
#: characters; 3164 Hangul filler; FE00..FE0F variation selectors; FEFF zero-width
#: no-break space (a stray byte order mark); FFA0 halfwidth Hangul filler; FFF0..FFF8
#: reserved; E0000..E0FFF tag characters, supplementary variation selectors, reserved —
#: and, in `_IGNORABLE_FORMAT`, 1BCA0..1BCA3 shorthand format controls and
#: 1D173..1D17A musical formatting (begin/end beam, tie, slur, phrase)
_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U000e0000-\U000e0fff")
#: the default-ignorable format controls past the BMP, apart: `str.isprintable()`
#: refuses them (category Cf), so the fast paths' class (`_HIDDEN`) leaves them out —
#: each range past the BMP in a class is a test more for every CJK character searched
_IGNORABLE_FORMAT = "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
#: not default-ignorable, but drawn as nothing all the same: the Braille pattern blank
#: U+2800 (a blank cell, no space to `str.isspace()` or `strip()`: `区发改委⠀` reads as
#: `区发改委`) and the interlinear annotation characters U+FFF9–U+FFFB
_BLANK = "\u2800\ufff9-\ufffb"
#: the bidi marks, embeddings, overrides and isolates, which reorder what a reader sees
#: (U+061C, U+200E/F, U+202A–E, U+2066–9: default-ignorable too, named apart)
BIDI_CHARS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: the characters that draw nothing and can hide text, or make two different names
#: look the same: every default-ignorable code point (the zero-width space and
#: joiners, the word joiner, U+FEFF, a soft hyphen pasted from Word, the Hangul
#: fillers, the tag characters U+E0000–U+E007F — each an ASCII character no one sees,
#: "ASCII smuggling": 28 of them in a task title reached `status` and the Markdown
#: bulletin raw — the variation selectors …) and `_BLANK`.  `invisible_at` keeps the
#: ones that are part of what is seen.  (One class with the rest: a class is one test
#: per character, where an alternative `[tags]+` made a search of clean text 3–5
#: times slower.)  The one list: every escape, every fast path (`_HIDDEN`), the JSON
#: byte patterns (tests/test_active_content.py checks them against it code point by
#: code point), LS119's name key and the editor globs (`INVISIBLE`) read it.
INVISIBLE_CHARS = _IGNORABLE + _IGNORABLE_FORMAT + _BLANK
#: one of them
INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
#: one of them that `str.isprintable()` may pass: what the fast paths ask of text it
#: passes — many are printable to it (the variation selectors and U+034F are category
#: Mn, the Hangul fillers Lo, U+2800 So)
_HIDDEN = re.compile(f"[{_IGNORABLE}{_BLANK}]")
#: the variation selectors (U+FE00–FE0F, U+E0100–E01EF): one after a character picks
#: how it is drawn (❤️, an ideograph's variant); a run of them draws nothing and can
#: carry a byte each ("emoji smuggling": 32 of them after 重点项目 passed every
#: output).  Among `INVISIBLE_CHARS`; `invisible_at` keeps one right after what it selects
#: (and a Mongolian free variation selector, U+180B–D/U+180F, right after a Mongolian
#: letter, whose form it picks)
_SELECTOR_FIRST, _SELECTOR_LAST = "\U000e0100", "\U000e01ef"
#: C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidi
#: controls, and the invisible characters above
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CHARS}{INVISIBLE_CHARS}]")
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
#: the Mongolian letters (with the Todo, Sibe, Manchu and Ali Gali ones), whose form a
#: free variation selector after one picks, and between two of which the vowel
#: separator U+180E is spelling (ᠨᠣᠮ᠎ᠠ)
_MONGOLIAN = re.compile("[\u1820-\u1878\u1880-\u18aa]")
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
#: the underscore that starts an `_xHHHH_`, overlapping ones too: `_x0041_x0042_`
#: holds two, and escaping only the first (as XlsxWriter does) reads back `_x0041B`
_OOXML_ESCAPE_AT = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
#: a cell starting with one of these is a formula to a spreadsheet (OWASP)
FORMULA_START = frozenset("=+-@\t\r")
#: text a spreadsheet may read as a formula: one of `FORMULA_START` or its full-width
#: form first, or a formula sign after leading blanks (space, U+3000)
_FORMULA = re.compile("[\t\r]|[ \u3000]*[=+\\-@\uff1d\uff0b\uff0d\uff20]")
QUOTE = "'"


def maybe_seen(c: str) -> bool:
    """A joiner, a tag, a variation selector or a Mongolian free variation selector or
    vowel separator: a character `invisible_at` may keep."""
    return (c in "\u200c\u200d" or _TAG_FIRST <= c <= _SELECTOR_LAST
            or "\ufe00" <= c <= "\ufe0f" or "\u180b" <= c <= "\u180f")


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    if c in ":#":
        return f"\\x{ord(c):02x}"
    if maybe_seen(c) and invisible_at(m.string, m.start()):
        return c
    if c == "\u00ad":
        # a soft hyphen as JSON and a shell word write it: Python's `\\xad` would read
        # as a byte (luoshi shows a name's bytes that are no UTF-8 so) or a C1 control
        return "\\u00ad"
    return c.encode("unicode_escape").decode("ascii")


def invisible_at(text: str, at: int) -> bool:
    """Whether the joiner or tag character at `text[at]` is part of what the reader
    sees, and kept: a U+200D between two emoji (after the first one's U+FE0F, if
    any) — one picture of a family, a rainbow flag; a U+200C or U+200D between two
    letters of a script that shapes with them; a tag of a subdivision flag, the
    sequence right after 🏴; a variation selector right after what it selects; a
    Mongolian free variation selector right after a Mongolian letter, a Mongolian
    vowel separator between two.  Anywhere else — in Chinese text, at a value's start
    or end, beside another invisible character, in any other run of tags — it only
    hides something, and is escaped.  Looks at most `_FLAG_LONGEST` characters
    back and ahead: a run of a million tags is escaped in linear time."""
    c = text[at]
    if "\ufe00" <= c <= "\ufe0f" or _SELECTOR_FIRST <= c <= _SELECTOR_LAST:
        # a selector right after the character it selects: not at the start, not
        # after a blank, a control, an invisible character or another selector
        if at == 0:
            return False
        before = text[at - 1]
        return not before.isspace() and _CONTROL.match(before) is None
    if "\u180b" <= c <= "\u180f":
        if at == 0 or _MONGOLIAN.match(text[at - 1]) is None:
            return False
        return c != "\u180e" or _MONGOLIAN.match(text, at + 1) is not None
    if c >= _TAG_FIRST:
        if c > _TAG_LAST:  # reserved, between the tags and the selectors
            return False
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


#: a line break as a printed document (HTML, Word) takes it, with the blanks around it;
#: a tab there is a space
_DOC_BREAK = re.compile(r"[ \t]*(?:\r\n|[\r\n\u2028\u2029])[ \t]*")
_DOC_BLANKS = re.compile(r"[\t\r\n\u2028\u2029]")


def document_lines(text: str) -> list[str] | None:
    """The lines of a ledger value as a printed document shows them — the HTML
    bulletin and 督办单 with `<br>` between them, the Word bulletin with a line break —
    or None when it is one line without a tab (the common case, tested first by
    `isprintable`).  A note written over several lines (`note: |`) was printed as
    `第一行\\n第二行`: `printable()` escapes a line break visibly, which a terminal
    needs and a document does not.  Tabs become spaces; line breaks at the value's
    start and end are dropped (a block scalar ends with one).  Each line still goes
    through `printable()`/`terminal()` for what else it holds."""
    if text.isprintable() or _DOC_BLANKS.search(text) is None:
        return None
    return _DOC_BREAK.split(text.strip("\r\n\u2028\u2029 \t").replace("\t", " "))


def printable(text: str) -> str:
    """Control characters, line separators, bidi controls and the invisible
    characters that hide text escaped visibly (`\\x1b`, `\\n`, `\\u202e`, `\\u200b`,
    `\\U000e0041`): the text can neither start a line nor change what the rest of the
    line looks like, and shows everything it holds."""
    # isprintable() is false for every character escaped here but the invisible ones
    # it prints (`_HIDDEN`), and for a few more, such as U+3000, which the regex then
    # leaves alone: a fast path for clean text
    if text.isprintable():
        if text.isascii() or _HIDDEN.search(text) is None:
            return text
    elif _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_escape, text)


def terminal(text: str) -> str:
    """`printable()`, and no workflow command either: the first `:` of every `::`
    and the first `#` of `##[` / `##vso[` written as `\\x3a` / `\\x23`.  Used for
    every ledger value on a terminal, in a CI log, or in a CSV on stdout."""
    if (text.isprintable() and "::" not in text and "##" not in text
            and (text.isascii() or _HIDDEN.search(text) is None)) \
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
    if maybe_seen(c) and invisible_at(m.string, m.start()):
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
    if (text and _SHELL_PLAIN.fullmatch(text) and "::" not in text
            and (text.isascii() or _HIDDEN.search(text) is None)):  # a Hangul filler is \w
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
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{BIDI_CHARS}{INVISIBLE_CHARS}]"
    "|^[^\\S\n]*:(?=:)|#(?=#(?:\\[|(?i:vso)\\[))", re.MULTILINE)


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
    if _document_clean(text) or _DOCUMENT.search(text) is None:
        return text
    return _DOCUMENT.sub(_escape_document, text)


#: the bytes of UTF-8 text mapped so that each C0 control but tab and line feed is
#: \x00 (and \x00 stays itself): `0 in data.translate(_C0_TO_NUL)` asks for one
_C0_TO_NUL = bytes(0 if b < 0x20 and b not in (9, 10) else b for b in range(256))


def _document_clean(text: str) -> bool:
    """Whether `text` certainly holds nothing `_DOCUMENT` finds, asked of its UTF-8
    bytes: no `::` or `##` at all, no C0 control but tab and line feed (a byte
    translation and memchr), and none of the characters of `json_bytes`' patterns —
    which are `_DOCUMENT`'s class but for C0.  A whole 100,000-task HTML bulletin
    (26M characters) took 0.9–1.2 s in `_DOCUMENT`'s one search (a class and two
    line-start alternatives tried at every character), 0.5–0.6 s here.  False
    says nothing: the regex decides."""
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: the regex takes it
        return False
    return (b"::" not in data and b"##" not in data and 0 not in data.translate(_C0_TO_NUL)
            and _JSON_ACTIVE_UTF8.search(data) is None and not _rare_utf8(data))


#: what JSON leaves raw (json escapes only C0) that a terminal or a log viewer acts on:
#: DEL and the C1 controls (U+009B is a CSI on some terminals), the bidi marks,
#: embeddings, overrides and isolates, and the line/paragraph separators — and the
#: invisible characters of `INVISIBLE_CHARS`, every one of them: the escape changes no
#: data, so none needs keeping (a family emoji reads 👨\\u200d👩)
_JSON_ACTIVE = re.compile(f"[\x7f-\x9f\u2028\u2029{BIDI_CHARS}{INVISIBLE_CHARS}]")
#: the same characters in UTF-8, in two patterns by how often their lead byte starts
#: a character of Chinese text.  Here the rare lead bytes: DEL, \xc2 (C1, U+00AD),
#: \xcd (U+034F), \xd8 (U+061C), \xe1 (U+1000–U+1FFF: the Hangul jungseong and
#: choseong fillers, the Khmer inherent vowels, the Mongolian selectors and vowel
#: separator) and \xe2 (U+2000–U+2FFF: the zero-width and bidi characters, U+2028/9,
#: U+2060–U+206F, U+2800 — and “”—…, which Chinese text has, but fewer)
_JSON_ACTIVE_UTF8 = re.compile(
    rb"\x7f|\xc2[\x80-\x9f\xad]|\xcd\x8f|\xd8\x9c"
    rb"|\xe1(?:\x85[\x9f\xa0]|\x9e[\xb4\xb5]|\xa0[\x8b-\x8f])"
    rb"|\xe2(?:\x80[\x8b-\x8f\xa8-\xae]|\x81[\xa0-\xaf]|\xa0\x80)")
#: and those whose lead byte is common, replaced apart where a quick search saw one:
#: in the pattern above, the lead byte \xef (，（）：) made the search of 81 MB of
#: status JSON 0.18 s slower, and \xe3 (、。《》) is as common.  U+3164 (\xe3\x85\xa4);
#: U+FE00–FE0F, U+FEFF, U+FFA0, U+FFF0–FFFB (\xef: `_EF_UTF8`, the regex engine's
#: search, 26–37 ms on 80 MB where `bytes.find`'s took 55–70 ms); U+1BCA0–3 and
#: U+1D173–A (\xf0, the lead byte of every emoji and CJK extension B character:
#: memchr); U+E0000–U+E0FFF (the lead byte \xf3 of every character from U+C0000 to
#: U+FFFFF: memchr, 5 ms)
_JSON_RARE_UTF8 = re.compile(
    rb"\xe3\x85\xa4|\xef(?:\xb8[\x80-\x8f]|\xbb\xbf|\xbe\xa0|\xbf[\xb0-\xbb])"
    rb"|\xf0(?:\x9b\xb2[\xa0-\xa3]|\x9d\x85[\xb3-\xba])|\xf3\xa0[\x80-\xbf][\x80-\xbf]")
_EF_UTF8 = re.compile(rb"\xef(?:\xb8[\x80-\x8f]|\xbb\xbf|\xbe\xa0|\xbf[\xb0-\xbb])")
_HANGUL_FILLER_UTF8 = re.compile(b"\xe3\x85\xa4")


def _rare_utf8(data: bytes) -> bool:
    """Whether UTF-8 `data` may hold a character of `_JSON_RARE_UTF8`: four searches
    each the regex engine's or memchr's own (14–25 ms on 55 MB of status JSON), where
    one class of their lead bytes — or `bytes.find` of U+3164 — took 35–250 ms."""
    return (b"\xf3" in data or b"\xf0" in data or _EF_UTF8.search(data) is not None
            or _HANGUL_FILLER_UTF8.search(data) is not None)


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
    if _rare_utf8(data):
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
    return _OOXML_ESCAPE_AT.sub("_x005F_", text)


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
