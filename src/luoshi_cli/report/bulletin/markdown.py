"""Text placed into Markdown: escaped once, by the rules every Markdown output shares."""

from __future__ import annotations

import re
from typing import Any

from ...core.safetext import terminal

#: a markup character — `~` strikes through (GFM), `&` starts an entity (`&lt;` shows
#: `<`), `$` math (GitHub) —, or an @ that would mention someone (GitHub, GitLab:
#: `@name`, `@org/team`, GitLab's `@all`) — after start, space or punctuation, before
#: a letter
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&$])|(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])")
#: a run of blanks with a line break in it, found from the run's start only: without
#: the look-behind a run of 40,000 spaces (no break) was scanned again from each of its
#: spaces, 21 s a value
_LINE_BREAKS = re.compile(r"(?<!\s)\s*[\r\n]+\s*")
#: what makes a line a block when a value starts it (a document number, the issuer
#: in the signature, a unit's name on a notice): a list item (`- `, `+ `, `1986. `,
#: `3) `), a rule or a heading's underline (`---`, `===`).  (`#`, `>`, `*` and the
#: rest are escaped wherever they stand.)  Matches up to the character to escape.
_BLOCK_START = re.compile(r"[ \t]*(?:(?=[-+](?:[ \t]|$))|\d{1,9}(?=[.)](?:[ \t]|$))"
                          r"|(?=[-=][-= \t]*$))")
_BLOCK_FIRST = frozenset(" \t-+=0123456789")


def md_escape(value: Any) -> str:
    """Text placed into Markdown: markup characters escaped, one line (table cells), no
    block at its start (`1986. 碑督通` is text, not a list item), and inert on a
    terminal or in a CI log (the bulletin may go to stdout): control characters, bidi
    overrides and workflow commands escaped by `terminal()`.

    Called for every value a bulletin prints (a million on a 100,000-task ledger):
    the common case — one line, no markup character — returns the text as it is."""
    text = "" if value is None else str(value)
    if not text.isprintable():  # a line break or a tab is a space (as HTML shows a tab)
        if "\n" in text or "\r" in text:
            text = _LINE_BREAKS.sub(" ", text)
        text = text.replace("\t", " ")
    text = _MD_SPECIAL.sub(_backslashed, terminal(text))
    if text[:1] in _BLOCK_FIRST:  # (any value may start a line of the template)
        m = _BLOCK_START.match(text)
        if m is not None:
            return text[:m.end()] + "\\" + text[m.end():]
    return text


def _backslashed(m: re.Match[str]) -> str:
    # a function: a template string is parsed again per call.  A backslash does not
    # stop a mention (mentions are found in the rendered text, where `\@` is `@`
    # again): a zero-width space after the @ does, and prints as nothing
    char = m.group(1)
    return "@\u200b" if char is None else "\\" + char

