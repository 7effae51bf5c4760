"""Printing what an import found: problems with cell references, then notes.

Problems and notes quote the workbook's cells and sheet names: every line passes
`terminal()`, so a cell's control characters, line breaks or workflow commands
never reach the terminal or a CI log raw."""

from __future__ import annotations

from typing import TextIO

from ..core.codes import L
from ..core.labels import say
from ..core.safetext import terminal

#: the most problems of one import listed: a workbook repeating one separator-rich
#: text in 5,000 rows gave 960,000 problems (audit), a listing nobody reads; the rest
#: are counted on one line, and the refusal and its exit code stay as they were
MAX_PROBLEMS_LISTED = 1_000


#: the longest problem printed whole (characters): a problem quotes the part of a cell
#: it is about, and one cell may hold 32,767 characters — 3,000 rows sharing one such
#: text printed 96 MB; a longer one keeps its start and end and says how long it was
MAX_PROBLEM_CHARS = 2_000


def print_problems(problems: list[tuple[str, L]], out: TextIO, lang: str,
                   limit: int = MAX_PROBLEMS_LISTED) -> None:
    for ref, label in problems[:limit]:
        out.write(f"{terminal(ref)}: {terminal(_clipped(say(label, lang), lang))}\n")
    rest = len(problems) - limit
    if rest > 0:
        out.write(say(L(f"……还有 {rest:,} 个问题未列出（共 {len(problems):,} 个，只列出前 {limit:,} 个）："
                        "往往是同一个错误重复出现，请先改正列出的问题，再重新导入",
                        f"… and {rest:,} more problems not listed ({len(problems):,} in all, "
                        f"the first {limit:,} listed): usually one mistake repeated; fix "
                        "those listed and import again"), lang) + "\n")


def _clipped(text: str, lang: str) -> str:
    """`text`, or its first and last characters around a mark saying how many were
    left out when it is longer than `MAX_PROBLEM_CHARS`."""
    if len(text) <= MAX_PROBLEM_CHARS:
        return text
    head, tail = MAX_PROBLEM_CHARS * 3 // 4, MAX_PROBLEM_CHARS // 4
    gone = len(text) - head - tail
    mark = (f" … [{gone:,} characters left out] … " if lang == "en"
            else f"……（此处略去 {gone:,} 字）……")
    return text[:head] + mark + text[-tail:]


def print_notes(items: dict[L, list[str]], out: TextIO, lang: str, limit: int = 8) -> None:
    """One line per kind of default or loose match, with (some of) the cells."""
    head = "note: " if lang == "en" else "说明："  # the full-width colon in Chinese text
    for label, refs in items.items():
        where = ""
        if refs:
            shown = ", ".join(refs[:limit])
            more = len(refs) - limit
            extra = (f" (+{more} more)" if lang == "en" else f"（另有 {more} 处）") if more > 0 else ""
            where = f" [{shown}{extra}]"
        out.write(f"{head}{terminal(say(label, lang) + where)}\n")
