"""What an export cell reads back as: a returned workbook's cell that holds exactly
what luoshi wrote for a ledger value is that value, unchanged (README: importing an
unedited export changes nothing).

A cell is not always the ledger's text.  `export` and `export --per-unit` write
`xlsx_text(text)`: the characters a workbook cannot hold escaped visibly (`\\x07`,
`\\ufffe`), one leading quote before formula-like text; a text longer than a cell
holds (32,767 UTF-16 units) is cut.  Read back, the quote comes off again (luoshi's
own workbook), the cell is stripped, and a per-unit sheet written before its CRs were
escaped (`_x000D_`) gives them back as line feeds (XML reads a raw CR as one).  An
importer that took the cell for the unit's words wrote the cut or escaped text over
the ledger's — silent data loss on a round trip (audit).  `returned` tells such a
cell apart; the importers then keep the ledger's value.

Pure and cheap (no spreadsheet library): the importers call it for each cell whose
text differs from the ledger's.
"""

from __future__ import annotations

from ..core.safetext import unquote, xlsx_text

#: the most UTF-16 units a cell holds (Excel's limit; XlsxWriter cuts longer text)
STR_MAX = 32767


def utf16_cut(text: str) -> str | None:
    """`text` cut to `STR_MAX` UTF-16 units without splitting a character above U+FFFF
    (as XlsxWriter cuts it), or None when it fits."""
    if len(text) <= STR_MAX // 2 or len(text.encode("utf-16-le", "surrogatepass")) // 2 \
            <= STR_MAX:
        return None
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > STR_MAX:
            return text[:index]
    return text  # pragma: no cover - the length check above says it does not fit


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sent_forms(text: str, prefix: str = "") -> set[str]:
    """Every text a cell holding `prefix + text`, as an export wrote it, reads back as
    untouched (stripped, as the importers read cells), `prefix` taken off again: the
    text escaped and quoted (`xlsx_text`); cut to `STR_MAX` UTF-16 units (XlsxWriter,
    the per-unit sheets) or characters (openpyxl, per-unit sheets written before they
    were cut that way); its CRs read as line feeds; the quote taken off (luoshi's own
    workbook) or kept (a copy that lost its creator)."""
    written = xlsx_text(prefix + text)
    forms = {written, written[:STR_MAX]}
    cut = utf16_cut(written)
    if cut is not None:
        forms.add(cut)
    forms |= {_lines(f) for f in forms}
    out: set[str] = set()
    for f in forms:
        for g in (f, unquote(f)):
            if g.startswith(prefix):
                out.add(g[len(prefix):].strip())
    return out


def returned(cell: str | None, text: str | None, prefix: str = "") -> bool:
    """Whether `cell` (a returned cell's text, stripped) is what an export wrote for
    the ledger's `text` (after `prefix`, the month a full sheet's 最新进展 starts with):
    the text itself, or its escaped, quoted or cut form (`sent_forms`)."""
    if cell is None or text is None:
        return False
    if cell == text or cell == text.strip():
        return True
    return cell in sent_forms(text, prefix)
