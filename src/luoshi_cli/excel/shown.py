"""A number or date in a text column, as the cell shows it.

Excel converts what is typed into a General cell: "1/2" becomes the date 2 January, "50%"
the number 0.5 formatted `0%`, "1,234,567.89" a number formatted `#,##0.00`, TRUE a
boolean.  In a text column (a title, a standard, a unit's 本月进展) the importers took
Python's spelling of the value — '2024-01-02T00:00:00', '0.5', 'True' — and wrote it
into the ledger without a word.  What was typed cannot be known; what the cell shows
can, for the formats offices use: `typed_text` gives that text, and whether it differs
from the plain value (Excel converted it: the importers name the cell in a note).  A
boolean is no text at all: the importers refuse it at its cell (`BOOLEAN`).

luoshi's own sheets give their text columns the Text format (`@`), so Excel keeps what is
typed there as text.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..core.codes import L

#: the note naming the cells of a text column that held a date or a formatted number
CONVERTED = L("这些文字列的单元格在 Excel 中是日期或数字（Excel 转换了键入的内容：1/2 成了日期，50% 成了 0.5），"
              "按单元格显示的样子导入：请核对",
              "these cells of text columns were dates or numbers in Excel (it converts what is "
              "typed: 1/2 becomes a date, 50% the number 0.5), imported as the cell shows "
              "them: check them")

#: the note naming a progress below 1 typed as a plain number (0.35 in a General cell
#: is 0.35 %; 35 % was most likely meant): `import tasks` and `import updates` alike
BELOW_ONE = L("进度小于 1（如 0.35）按百分数导入（0.35%）：如果是指 35%，请写 35 或 35%",
              "progress below 1 (such as 0.35) is read as a percentage (0.35%): if 35% is "
              "meant, write 35 or 35%")

#: a format of plain digits: 0, 0.00, #,##0, #,##0.0, 0%, 0.00% (anything else: the value)
_PLAIN = re.compile(r"(?P<int>[#,0]*0|#)(?:\.(?P<dec>0+))?(?P<pct>%?)\Z")


def boolean(value: bool) -> L:
    """Why a TRUE/FALSE cell cannot be read as text (`import tasks`' words)."""
    return L(f"单元格是逻辑值 {str(value).upper()}，不是文字：请直接填写文字",
             f"the cell is the boolean {str(value).upper()}, not text: type the text")


def typed_text(value: Any, number_format: str = "General") -> tuple[str, bool]:
    """The text a non-text cell shows under `number_format`, and whether it is not the
    plain value (a date, a percentage, separators or rounding the format adds): the
    importers name such a cell.  A date is written as the ledger writes dates
    (2024-01-02), with its time when it has one.  (Booleans are the caller's: refused.)"""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat(), True
        return value.isoformat(sep=" ", timespec="seconds"), True
    if isinstance(value, (date, time)):
        return value.isoformat(), True
    if isinstance(value, timedelta):
        return str(value), True
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        plain = _plain(value)
        fmt = number_format.split(";")[0].strip()
        if fmt in ("", "General", "@"):
            return plain, False
        m = _PLAIN.match(fmt.replace("\\", ""))
        if m is None:
            return plain, True  # a currency, a fraction, an exponent: its value
        number = Decimal(str(value)) * (100 if m["pct"] else 1)
        places = len(m["dec"] or "")
        # Excel rounds half away from zero (2.5 → 3, 0.125 → 0.13); format() rounds
        # half to even (2.5 → 2)
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{number:{',' if ',' in m['int'] else ''}.{places}f}" + m["pct"]
        return text, text != plain
    return str(value), False


def _plain(value: int | float | Decimal) -> str:
    """A number as Excel's General format shows it: whole numbers without a point, at
    most 15 significant digits."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(value, ".15g") if isinstance(value, float) else format(value.normalize(), "f")
    return text
