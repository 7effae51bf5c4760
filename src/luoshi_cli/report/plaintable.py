"""The long task lists of `luoshi status`, laid out without rich when rich is not needed.

rich lays a table out cell by cell, about half a millisecond per row: the red list of
a 100,000-task ledger (17,000 rows) took 11 of the 16 seconds of `luoshi status`.
When nothing has to wrap — every column at its natural width fits the line — the
layout is simple arithmetic, and this module writes exactly the characters rich
would (tests/test_status_cli.py compares both on generated tables).  Anything
unusual — a table wider than the line, a title longer than the table, a tab, a
control or zero-width character, a cell line with spaces at either end — returns
None, and the caller lets rich do it.

The style is the one `report.status.render_table` uses for every table: rich's
SIMPLE_HEAD box without edges, one space of padding inside each column, a rule under
the header, no colour (this is only used when the output is not a terminal).
"""

from __future__ import annotations

from collections.abc import Sequence

Column = tuple[str, bool]
"""(header, numeric): numeric columns are right-justified."""


def plain_table(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]],
                width: int) -> str | None:
    """The table as rich prints it at this console width, or None when rich must lay
    it out itself.  Lines keep rich's trailing spaces (the caller strips them)."""
    from rich.cells import cell_len

    if not _plain(title) or "\n" in title:
        return None
    split_rows: list[list[list[str]]] = []
    widths = [cell_len(head) for head, _ in columns]
    for head, _ in columns:
        if not _plain(head) or "\n" in head:
            return None
    for row in rows:
        if len(row) != len(columns):
            return None
        cells: list[list[str]] = []
        for i, value in enumerate(row):
            lines = value.split("\n")
            for text in lines:
                if not _plain(text):
                    return None
                n = cell_len(text)
                if n > widths[i]:
                    widths[i] = n
            cells.append(lines)
        split_rows.append(cells)
    last = len(columns) - 1
    # padding: one space each side, none at the outer edges; a one-space divider
    total = sum(widths) + 2 * last + last
    if total > width or cell_len(title) > total or min(widths) == 0:
        return None  # too wide, a wrapped title, or an empty column: rich's own cases

    def line(texts: Sequence[str]) -> str:
        parts = []
        for i, text in enumerate(texts):
            gap = " " * (widths[i] - cell_len(text))
            body = gap + text if columns[i][1] else text + gap
            parts.append((" " if i else "") + body + (" " if i < last else ""))
        return " ".join(parts)

    out = [title + " " * (total - cell_len(title)),
           line([head for head, _ in columns]),
           "─" * total]
    for cells in split_rows:
        height = max(len(c) for c in cells)
        for k in range(height):
            out.append(line([c[k] if k < len(c) else "" for c in cells]))
    return "\n".join(out) + "\n"


def _plain(text: str) -> bool:
    """Text rich lays out as it is: printable, no surrounding spaces (rich may trim
    them at a line's end), no tabs (rich expands them)."""
    return text.isprintable() and text == text.strip(" ")
