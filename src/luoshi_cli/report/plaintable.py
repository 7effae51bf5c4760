"""The long tables of `luoshi status` and `luoshi score`, laid out without rich when
rich is not needed.

rich lays a table out cell by cell, about half a millisecond per row: the red list of
a 100,000-task ledger (17,000 rows) took 11 of the 16 seconds of `luoshi status`.
When nothing has to wrap — every column at its natural width fits the line — the
layout is simple arithmetic, and this module writes exactly the characters rich
would (tests/test_plaintable.py compares both on generated tables).  Anything
unusual — a table wider than the line, a title longer than the table, a tab, a
control or zero-width character, a cell line with spaces at either end — returns
None, and the caller lets rich do it.

The style is the one `report.status.render_table` and `report.scores.render_table`
use for every table: rich's SIMPLE_HEAD box without edges, one space of padding
inside each column, a rule under the header; on a terminal, rich's standard colours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

Column = tuple[str, bool]
"""(header, numeric): numeric columns are right-justified."""


def plain_table(title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[str]],
                width: int, *, color: bool = False, style: str | None = None,
                styles: Sequence[str | None] | None = None) -> str | None:
    """The table as rich prints it at this console width, or None when rich must lay
    it out itself.  Without `color` lines keep rich's trailing spaces (the caller
    strips them).  With `color` (a terminal: rich's standard colours) the title and
    header are bold and the cells of every row in `style` (say "red"), or of each
    row in its own `styles[i]` (the score table: 约谈 red, a changed grade yellow),
    each piece wrapped in its own escape codes exactly as rich writes them.  A
    `title` of None: a table without one (its first line is the header)."""
    cell_len, known = _measure()

    if title is not None and (not _plain(title) or "\n" in title):
        return None
    if styles is not None and len(styles) != len(rows):
        return None
    split_rows: list[list[list[tuple[str, int]]]] = []
    widths = [cell_len(head) for head, _ in columns]
    for head, _ in columns:
        if not _plain(head) or "\n" in head or (color and not head):
            return None
    for r, row in enumerate(rows):
        if len(row) != len(columns):
            return None
        styled = bool(color and (styles[r] if styles is not None else style))
        cells: list[list[tuple[str, int]]] = []
        empty = False
        for i, value in enumerate(row):
            lines = []
            for text in (value.split("\n") if "\n" in value else (value,)):
                n = known(text)
                if n is None:
                    n = cell_len(text)
                if n < 0:
                    return None  # not plain text: rich's own
                empty = empty or not text
                if n > widths[i]:
                    widths[i] = n
                lines.append((text, n))
            cells.append(lines)
        if styled and empty and max(len(c) for c in cells) > 1:
            return None  # an empty styled line in a row of several lines: rich's own
        split_rows.append(cells)
    last = len(columns) - 1
    # padding: one space each side, none at the outer edges; a one-space divider
    total = sum(widths) + 2 * last + last
    if total > width or (title is not None and cell_len(title) > total) or min(widths) == 0:
        return None  # too wide, a wrapped title, or an empty column: rich's own cases
    bold = _codes("bold") if color else None
    paints: dict[str | None, tuple[str, str] | None] = {}

    def paint_of(name: str | None) -> tuple[str, str] | None:
        if name not in paints:
            paints[name] = _codes(name) if color and name else None
        return paints[name]

    right_aligned = [numeric for _, numeric in columns]

    def line(texts: Sequence[tuple[str, int]], head: bool = False,
             paint: tuple[str, str] | None = None, single: bool = False) -> str:
        parts = []
        for i, (text, n) in enumerate(texts):
            gap = " " * (widths[i] - n)
            body = gap + text if right_aligned[i] else text + gap
            left, right = (" " if i else ""), (" " if i < last else "")
            if head and bold is not None:  # the header's style covers its padding too
                on, off = bold
                parts.append("".join(on + x + off for x in (left, body, right) if x))
            elif paint is not None and (text or single):
                # a cell's style covers its text and the padding up to the column's
                # width, not the space around it; an empty cell of a one-line row
                # gets the styled padding too (a red 约谈 row's empty 扣分 cell)
                parts.append(left + paint[0] + body + paint[1] + right)
            else:
                parts.append(left + body + right)
        return " ".join(parts)

    out = []
    if title is not None:
        top = title + " " * (total - cell_len(title))
        out.append(top if bold is None else bold[0] + top + bold[1])
    out += [line([(head, cell_len(head)) for head, _ in columns], head=True), "─" * total]
    blank = ("", 0)
    for r, cells in enumerate(split_rows):
        paint = paint_of(styles[r] if styles is not None else style)
        height = max(len(c) for c in cells)
        if height == 1:
            out.append(line([c[0] for c in cells], paint=paint, single=True))
            continue
        for k in range(height):
            out.append(line([c[k] if k < len(c) else blank for c in cells], paint=paint))
    return "\n".join(out) + "\n"


def _measure() -> tuple[Callable[[str], int], Callable[[str], int | None]]:
    """Terminal cells of a text, -1 when it is not `_plain` — each distinct text
    measured once (a province's table repeats its unit names and numbers 100,000
    times), printable ASCII by its length (one cell a character, as rich counts)."""
    from rich.cells import cell_len

    memo: dict[str, int] = {}

    def measure(text: str) -> int:
        n = memo.get(text)
        if n is None:
            if not _plain(text):
                n = -1
            elif text.isascii():
                n = len(text)
            else:
                n = cell_len(text)
            memo[text] = n
        return n

    return measure, memo.get


def _codes(style: str) -> tuple[str, str]:
    """The escape codes rich writes before and after text in `style` (standard colours)."""
    from rich.color import ColorSystem
    from rich.style import Style

    on, off = Style.parse(style).render("\0", color_system=ColorSystem.STANDARD).split("\0")
    return on, off


def _plain(text: str) -> bool:
    """Text rich lays out as it is: printable, no surrounding spaces (rich may trim
    them at a line's end), no tabs (rich expands them)."""
    return text.isprintable() and text == text.strip(" ")


WRAP_MIN = 24
"""The narrowest a free-text column (a task's title, a reason) is squeezed to before
columns are dropped: narrower than this, a CJK title becomes a tower of characters."""


SQUEEZE_MIN = 10
"""The narrowest a free-text or name column is squeezed to when the table still does
not fit with every free-text column at `WRAP_MIN`: five CJK characters a line, and
wide enough for a date (2024-06-05) to stay whole."""

FIGURE_MAX = 16
"""The longest date, id or figure inside free text kept whole on its line; a longer
run of ASCII (a URL, markup) folds like any text."""

#: a run of printable ASCII: a figure when a digit is in it (a run found first, then
#: its digit: `[\x21-\x7e]*[0-9][\x21-\x7e]*` backtracked through a long run
#: without one from each of its characters, 19 s for 40,000 letters)
_ASCII_RUN = re.compile(r"[\x21-\x7e]+")
_DIGIT = re.compile(r"[0-9]")


def fit_layout(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int | None,
               *, drop: Sequence[int] = (), wrap: Sequence[int] = (),
               names: Sequence[int] = (),
               floors: Mapping[int, int] | None = None) -> tuple[list[int], list[int]]:
    """The columns to show at this console width and the width of each, in cells.

    A narrow terminal once emptied the 逾期天数 column, split due dates (`2024-06-`)
    and turned the counts of a roll-up into `…`: rich, left to itself, squeezes every
    column once the essential ones do not fit.  Here figures (numbers, dates, ids,
    months: the columns in neither `wrap` nor `names`) always keep their natural
    width.  In order, until the table fits:

    1. free-text columns (`wrap`: titles, milestones, reasons) fold, widest first,
       down to `WRAP_MIN` (or their natural width when narrower);
    2. the columns in `drop` go, in that order;
    3. free-text columns fold further, down to `SQUEEZE_MIN` — a name stays whole;
    4. if that is not enough, free-text and name columns (`names`: units, leaders,
       categories) fold together from step 2's widths, widest first, down to
       `SQUEEZE_MIN`.

    No free-text column goes below its longest run of printable ASCII with a digit in
    it (a date, a task id, a figure with its %), up to `FIGURE_MAX`, so those stay
    whole on their line.  `floors` sets another narrowest width than `SQUEEZE_MIN` for
    some columns (the score table's unit names and grades).  When even that does not
    fit (a terminal of some 40 columns), the widths are the narrowest ones and the
    table is wider than `width`: lines run past the edge rather than lose a figure.
    """
    from rich.cells import cell_len

    kept = list(range(len(columns)))
    measure, _ = _measure()

    def cells(text: str) -> int:
        n = measure(text)
        return n if n >= 0 else cell_len(text)

    def lines(value: str) -> Sequence[str]:
        return value.split("\n") if "\n" in value else (value,)

    natural = []
    for i, (head, _) in enumerate(columns):
        w = cells(head)
        for row in rows:
            for text in lines(row[i]):
                n = cells(text)
                if n > w:
                    w = n
        natural.append(w)
    if width is None:
        return kept, natural
    folding = set(wrap) | set(names)
    preferred = [min(w, max(cell_len(columns[i][0]), WRAP_MIN)) if i in wrap else w
                 for i, w in enumerate(natural)]

    def total(ws: Sequence[int]) -> int:
        return sum(ws[i] for i in kept) + 3 * (len(kept) - 1)

    def level(ws: list[int], which: Sequence[int], floor: Sequence[int]) -> None:
        """Fold the widest of `which` one cell at a time until the table fits."""
        excess = total(ws) - width
        while excess > 0:
            over = [i for i in which if i in kept and ws[i] > floor[i]]
            if not over:
                return
            widest = max(over, key=lambda i: ws[i])
            ws[widest] -= 1
            excess -= 1

    for i in drop:
        if total(preferred) <= width:
            break
        if i in kept and len(kept) > 1:
            kept.remove(i)
    widths = list(natural)
    level(widths, wrap, preferred)
    if total(widths) > width:
        floor = list(natural)
        for i in folding:
            hard = 0
            seen: set[str] = set()
            for row in rows if i in wrap else ():
                if row[i] in seen:
                    continue
                seen.add(row[i])
                for m in _ASCII_RUN.finditer(row[i]):
                    if _DIGIT.search(m.group()):
                        hard = max(hard, min(m.end() - m.start(), FIGURE_MAX))
            least = SQUEEZE_MIN if floors is None else floors.get(i, SQUEEZE_MIN)
            floor[i] = min(natural[i], max(least, hard))
        squeezed = list(widths)
        level(squeezed, wrap, floor)
        if total(squeezed) > width:
            squeezed = list(widths)
            level(squeezed, sorted(folding), floor)
        widths = squeezed
    return kept, [widths[i] for i in kept]


def fold(text: str, width: int) -> str:
    """`text` broken into lines at most `width` cells wide, for a column `fit_layout`
    squeezed.  Words (between spaces) move whole to the next line, as rich wraps; a
    word wider than the column breaks between two non-ASCII characters (CJK text has
    no spaces), never inside a run of ASCII — a date, an id, a figure such as 5.8% —
    unless that run alone is wider than the column.  rich's own fold cut
    `…不低于5.8%：5 天后到期` inside 5.8.  A zero-width character (a variation
    selector) stays with the character before it.

    Linear in the text: a line's width is carried along (`_Cells`) as words and pieces
    join it, never measured again from its start, and a run wider than the column is
    cut in one pass — a title of 500,000 letters took 24 s when each cut measured the
    rest of the run again and each piece was built a character at a time."""
    from rich.cells import cell_len

    out: list[str] = []

    def pieces(word: str) -> list[str]:
        units: list[list[str]] = []
        ascii_unit = False  # whether the last unit is a run of ASCII
        for ch in word:
            # ASCII joins an ASCII run; a zero-width mark joins its character
            joins = bool(units) and (ascii_unit if ch.isascii() else cell_len(ch) == 0)
            if joins:
                units[-1].append(ch)
            else:
                units.append([ch])
            ascii_unit = ch.isascii() and (not joins or ascii_unit)
        return ["".join(u) for u in units]

    def cut(unit: str) -> tuple[str, _Cells]:
        """Lines of at most `width` cells (at least a character each) off the front of
        `unit` while what is left is wider than that; what is left, and its cells."""
        start = 0
        if unit.isascii() and unit.isprintable():  # a cell a character
            step = max(1, width)
            while len(unit) - start > width:
                out.append(unit[start:start + step])
                start += step
            rest = unit[start:]
            return rest, _Cells().add(rest)
        cells = _Cells()
        for i, ch in enumerate(unit):
            cells.add(ch)
            if cells.total > width and i > start:
                out.append(unit[start:i])
                start = i
                cells = _Cells().add(ch)
        if cells.total > width:  # one character wider than the column: a line alone
            out.append(unit[start:])
            return "", _Cells()
        return unit[start:], cells

    for source in text.split("\n"):
        line: list[str] = []  # the line's words and pieces, none of them empty
        cells = _Cells()  # and its width
        for word in source.split(" "):
            if not word:
                continue
            joined = (cells.copy().add(" ") if line else _Cells()).add(word, width)
            if joined.total <= width:
                line += [" ", word] if line else [word]
                cells = joined
                continue
            if line:
                out.append("".join(line))
            line, cells = [], _Cells()
            alone = _Cells().add(word, width)
            if alone.total <= width:
                line, cells = [word], alone
                continue
            for unit in pieces(word):
                grown = cells.copy().add(unit, width)
                if grown.total <= width:
                    line.append(unit)
                    cells = grown
                    continue
                if line:
                    out.append("".join(line))
                rest, cells = cut(unit)
                line = [rest] if rest else []
        out.append("".join(line))
    return "\n".join(out)


class _Cells:
    """The width of a text as rich 15's `cell_len` measures it, taken one character at
    a time, so a growing line is never measured again from its start.  rich's measure
    is not a sum over characters: the character after a zero-width joiner (U+200D) is
    not counted, and U+FE0F (emoji style) widens the character measured before it when
    that one has a wide emoji form (`1️` is 2 cells).  tests/test_plaintable.py checks
    this against `cell_len` on random text."""

    __slots__ = ("last", "skip", "total")

    def __init__(self) -> None:
        self.total = 0
        self.last: str | None = None  # the last character that counted, until a U+FE0F
        self.skip = False  # after a U+200D: the next character is not counted

    def copy(self) -> _Cells:
        other = _Cells()
        other.total, other.last, other.skip = self.total, self.last, self.skip
        return other

    def add(self, text: str, limit: int | None = None) -> _Cells:
        """`text` appended; with a `limit`, the measuring may stop once the width is
        past it (it never shrinks), the rest of `text` then not measured."""
        if not self.skip and text.isascii() and text.isprintable():
            if text:  # printable ASCII: a cell a character
                self.total += len(text)
                self.last = text[-1]
            return self
        for ch in text:
            if self.skip:
                self.skip = False
            elif ch == "\u200d":
                self.skip = True
            elif ch == "\ufe0f":
                if self.last is not None:
                    self.total += _widened(self.last)
                    self.last = None
            else:
                n = _char_cells(ch)
                if n:
                    self.last = ch
                    self.total += n
                    if limit is not None and self.total > limit:
                        break
        return self


_CHAR_CELLS: dict[str, int] = {}
_WIDENED: dict[str, int] = {}


def _char_cells(ch: str) -> int:
    n = _CHAR_CELLS.get(ch)
    if n is None:
        from rich.cells import cell_len

        n = _CHAR_CELLS[ch] = cell_len(ch)
    return n


def _widened(ch: str) -> int:
    """1 when U+FE0F after `ch` makes it a cell wider (its emoji form), else 0."""
    n = _WIDENED.get(ch)
    if n is None:
        from rich.cells import cell_len

        n = _WIDENED[ch] = cell_len(ch + "\ufe0f") - cell_len(ch)
    return n


def pick(columns: Sequence[Column], rows: Sequence[Sequence[str]],
         kept: Sequence[int]) -> tuple[list[Column], list[list[str]]]:
    """The table with only the `kept` columns (see `fit_layout`)."""
    return [columns[i] for i in kept], [[row[i] for i in kept] for row in rows]
