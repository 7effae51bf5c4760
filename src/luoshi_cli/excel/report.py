"""Printing what an import found: problems with cell references, then notes.

Problems and notes quote the workbook's cells and sheet names: every line passes
`terminal()`, so a cell's control characters, line breaks or workflow commands
never reach the terminal or a CI log raw."""

from __future__ import annotations

from typing import TextIO

from ..core.codes import L
from ..core.labels import say
from ..core.safetext import terminal


def print_problems(problems: list[tuple[str, L]], out: TextIO, lang: str) -> None:
    for ref, label in problems:
        out.write(f"{terminal(ref)}: {terminal(say(label, lang))}\n")


def print_notes(items: dict[L, list[str]], out: TextIO, lang: str, limit: int = 8) -> None:
    """One line per kind of default or loose match, with (some of) the cells."""
    head = "note" if lang == "en" else "说明"
    for label, refs in items.items():
        where = ""
        if refs:
            shown = ", ".join(refs[:limit])
            more = len(refs) - limit
            extra = (f" (+{more} more)" if lang == "en" else f"（另有 {more} 处）") if more > 0 else ""
            where = f" [{shown}{extra}]"
        out.write(f"{head}: {terminal(say(label, lang) + where)}\n")
