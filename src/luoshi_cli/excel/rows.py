"""Worksheet rows written in bulk: the same XML XlsxWriter writes, at a fraction of the cost.

XlsxWriter spends most of a large export in two per-cell loops: `write_*` (argument
checks, the dimension bookkeeping, a named tuple per cell) and, on close, `_write_cell`
(a list of attributes and their escaping per cell).  A `RowSheet` keeps each bulk row as
one list of (column, kind, value, format) and renders it at close with the column
letters, format indexes and numbers cached: the shared strings are indexed in the same
order as `write_string` would (so the shared string table is the same), and the XML of
every row is the one `_write_rows` would write — the workbook's bytes are identical
(tests/test_excel_rows.py compares them with the per-cell writes on every case ledger).

Rows of a `RowSheet` are either bulk rows (`put_row`) or rows written the ordinary way
(titles, headers); a row is never both.  On any other worksheet `put_row` writes the
cells one by one through XlsxWriter's public API: that is the reference the tests
compare against.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from ..core.numbers import int_text
from ..core.safetext import xlsx_text
from .sent import STR_MAX, utf16_cut

# STR_MAX: the most UTF-16 units a cell holds (XlsxWriter cuts longer text and returns
# -2); `utf16_cut` cuts as XlsxWriter does, and `sent` knows the cut form on import

#: Excel has no date before 1900: a serial it cannot show (`start: 0001-01-01` was
#: written as -693594, an error cell), so such a date is written as its ISO text
EXCEL_FIRST_YEAR = 1900

_INF = float("inf")
_FLOAT_MAX = int(sys.float_info.max)


class RowSheet(Worksheet):  # type: ignore[misc]  # (XlsxWriter is untyped)
    """A worksheet whose bulk rows are kept compact and rendered in one pass on close."""

    def __init__(self) -> None:
        super().__init__()
        #: row → the format of each column and its cell's XML after the style (None:
        #: no cell), the first and the last column with a cell, and the row's height
        #: attributes
        self.bulk: dict[int, tuple[list[Any], list[str | None], int, int, str]] = {}
        #: a ledger text → the XML ending of its cell (its shared string's index is
        #: the same every time), once per distinct text; a date → its serial's
        self._ends: dict[Any, str] = {}

    def put(self, row: int, values: Sequence[Any], formats: Sequence[Any],
            height: float | None = None) -> list[int]:
        """Row `row` (0-based): `values[c]` in column c with `formats[c]`, as `_put`
        writes them one by one, `height` points high as `set_row` sets it; the
        columns whose text was cut to `STR_MAX`."""
        if row in self.table or row in self.bulk or row in self.row_info:
            raise ValueError(f"row {row} is written already")
        ends = self._ends
        # texts, blanks and dates seen before, in one pass in C; the rest one by one
        got: list[str | None] = list(map(ends.get, values))
        cut: list[int] = []
        if None in formats:
            for c, end in enumerate(got):
                if end is None or formats[c] is None:
                    got[c] = self._end(values[c], formats[c], c, cut)
        elif None in got:  # the first of each text, blank or date, and every number
            c = got.index(None)
            while True:
                got[c] = self._end(values[c], formats[c], c, cut)
                try:
                    c = got.index(None, c + 1)
                except ValueError:
                    break
        if len(got) != len(formats):
            raise ValueError("a value and a format per column")
        if None in got:  # a blank without a format: no cell
            present = [c for c, end in enumerate(got) if end is not None]
            if not present:
                return cut
            first, last = present[0], present[-1]
        elif got:
            first, last = 0, len(got) - 1
        else:
            return cut
        if self._check_dimensions(row, first) or self._check_dimensions(row, last):
            raise ValueError(f"row {row} is outside a worksheet")
        self.bulk[row] = (list(formats), got, first, last, self._height(height))
        return cut

    def _height(self, height: float | None) -> str:
        """The attributes `_write_row` gives a row of this height (set by `set_row`:
        whole pixels; none when it is the default)."""
        if height is None or height == 0:
            if height == 0:
                raise ValueError("a hidden row in bulk")
            pixels: float = self.default_row_height
        else:
            pixels = int(height * 4.0 / 3.0 + 0.5)
        attrs = ""
        if pixels != self.original_row_height or pixels != self.default_row_height:
            attrs = f' ht="{pixels * 0.75:.16g}" customHeight="1"'
        if self.excel_version == 2010:
            attrs += ' x14ac:dyDescent="0.25"'
        return attrs

    def _end(self, value: Any, fmt: Any, col: int, cut: list[int]) -> str | None:
        """The XML of a cell after its style (None: no cell), remembered for a text, a
        blank, a date and a number; a text cut to `STR_MAX` adds its column to `cut`."""
        cls = value.__class__
        if (cls is date or cls is datetime) and value.year < EXCEL_FIRST_YEAR:
            value, cls = value.isoformat(), str
        if value is None:
            if fmt is None:
                return None
            end = self._ends[None] = "/>"
            return end
        if cls is str or cls is date or cls is datetime:
            if cls is not str:
                # (a date without a format gets the workbook's date format: not here)
                if fmt is None:
                    raise ValueError("a date needs its format")
                end = self._ends[value] = (
                    f"><v>{self._convert_date_time(value):.16G}</v></c>")
                return end
            text = xlsx_text(value)
            shorter = utf16_cut(text) if len(text) > STR_MAX // 2 else None
            if shorter is not None:
                cut.append(col)
                text = shorter
            # every string cell is counted on close (`_write_rows`), this one too
            index = self.str_table._get_shared_string_index(text)
            self.str_table.count -= 1
            end = f' t="s"><v>{index}</v></c>'
            if shorter is None:
                self._ends[value] = end
            return end
        if isinstance(value, bool):
            return f' t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (str, date)):  # subclasses: as XlsxWriter takes them
            raise ValueError(f"a value of type {cls.__name__} in a bulk row")
        number = float(value) if isinstance(value, Decimal) else value
        if number != number or number in (_INF, -_INF) or (
                cls is int and not -_FLOAT_MAX <= value <= _FLOAT_MAX):
            return self._end(number_text(value), fmt, col, cut)  # no double holds it
        end = f"><v>{number:.16G}</v></c>"
        # equal numbers write the same: remembered too — but never 0 or 1, which a
        # boolean equals (True == 1) and would find
        if (cls is int or cls is Decimal or cls is float) and value != 0 and value != 1:
            self._ends[value] = end
        return end

    def _write_rows(self) -> None:
        """XlsxWriter's `_write_rows` (no comments, no constant memory), bulk rows
        rendered here: the same elements, attributes and numbers."""
        if not self.bulk:
            super()._write_rows()
            return
        table, bulk, info = self.table, self.bulk, self.row_info
        # the "spans" of each block of 16 rows: the first and last column with a cell
        lows: dict[int, int] = {}
        highs: dict[int, int] = {}
        for row_num, lo, hi in [*((r, min(t), max(t)) for r, t in table.items() if t),
                                *((r, b[2], b[3]) for r, b in bulk.items())]:
            block = row_num // 16
            if block not in lows or lo < lows[block]:
                lows[block] = lo
            if block not in highs or hi > highs[block]:
                highs[block] = hi
        spans = {b: f"{lows[b] + 1}:{highs[b] + 1}" for b in lows}
        self.row_spans = spans
        letters = [xl_col_to_name(c) for c in range(self.dim_colmax + 1)]
        styles = _Styles()
        write = self.fh.write
        strings = 0
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            found = bulk.get(row_num)
            span = spans.get(row_num // 16)
            if found is None:
                if row_num in info or table.get(row_num):
                    self._plain_row(row_num, span)
                continue
            if row_num in info:
                self._write_row(row_num, span, info[row_num])
                head = ""
            else:
                head = (f'<row r="{row_num + 1}" spans="{span}"{found[4]}>' if span
                        else f'<row r="{row_num + 1}"{found[4]}>')
            r = str(row_num + 1)
            fmts, ends = found[0], found[1]
            cells = zip(letters, fmts, ends, strict=False)  # (the sheet may be wider)
            if None not in ends:  # a cell in every column
                xml = "".join([f'<c r="{col}{r}"{styles[f]}{end}' for col, f, end in cells])
            else:
                xml = "".join([f'<c r="{col}{r}"{styles[f]}{end}' for col, f, end in cells
                               if end is not None])
            strings += xml.count(' t="s"><v>')
            write(head + xml + "</row>")
        # each string cell counts in the shared string table (`count`, written after
        # the sheets), as `write_string` counts it
        self.str_table.count += strings
    def _plain_row(self, row_num: int, span: str | None) -> None:
        """A row written the ordinary way, as `_write_rows` writes it."""
        row = self.table.get(row_num)
        if row:
            self._write_row(row_num, span, self.row_info.get(row_num))
            for col_num in range(self.dim_colmin, self.dim_colmax + 1):
                if col_num in row:
                    self._write_cell(row_num, col_num, row[col_num])
            self._xml_end_tag("row")
        else:
            self._write_empty_row(row_num, span, self.row_info[row_num])


class _Styles(dict[Any, str]):
    """A format → its cell's style attribute.  XlsxWriter numbers the formats as the
    sheets' cells first use them (`Format._get_xf_index`), so each is numbered here
    at its first cell too: the same numbers, the same styles.xml."""

    def __missing__(self, fmt: Any) -> str:
        style = self[fmt] = "" if fmt is None else f' s="{fmt._get_xf_index()}"'
        return style


def put_row(ws: Any, row: int, values: Sequence[Any], formats: Sequence[Any],
            height: float | None = None) -> list[int]:
    """Write a row of cells (0-based row; column c holds `values[c]` in `formats[c]`;
    `height`: the row's height in points, None for the default):
    in bulk on a `RowSheet`, else one cell at a time — the reference the bulk rows are
    compared with.  Text is ledger text (`xlsx_text`), written as a string, never as a
    formula; None is a blank cell with its format; numbers, booleans and dates as they
    are.  Returns the columns whose text was cut to the 32,767 characters a cell holds."""
    if isinstance(ws, RowSheet):
        return ws.put(row, values, formats, height)
    if height is not None:
        ws.set_row(row, height)
    cut: list[int] = []
    for col, value in enumerate(values):
        fmt = formats[col]
        if value is None:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            if ws.write_string(row, col, xlsx_text(value), fmt) == -2:
                cut.append(col)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, (date, datetime)) and value.year < EXCEL_FIRST_YEAR:
            ws.write_string(row, col, value.isoformat(), fmt)
        elif isinstance(value, (date, datetime)):
            ws.write_datetime(row, col, value, fmt)
        else:
            number = cell_number(value)
            if isinstance(number, str):
                ws.write_string(row, col, number, fmt)
            else:
                ws.write_number(row, col, number, fmt)
    return cut


def cell_number(value: Decimal | int | float) -> float | int | str:
    """A number as a cell holds it (a double), or its text where no double does: a
    ledger that never went through the gate can hold a 5,000-digit progress or 1E+400
    (LS205 refuses them), and its workbook shows them as written instead of failing."""
    number = float(value) if isinstance(value, Decimal) else value
    if number != number or number in (_INF, -_INF) or (
            isinstance(number, int) and not -_FLOAT_MAX <= number <= _FLOAT_MAX):
        return number_text(value)
    return number


def number_text(value: Decimal | int | float) -> str:
    """The text of a number no cell holds as one (`int_text`: str() refuses an int
    past 4,300 digits)."""
    return int_text(value) if isinstance(value, int) else str(value)
