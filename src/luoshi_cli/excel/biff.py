"""What python-calamine does not say about a legacy .xls: each number's format, the
formulas without a saved value, the error values (#N/A …) and the hidden rows.

python-calamine (the `xls` extra) reads an .xls into values and drops the rest: a
0.35 formatted `0%` — which the sheet shows, and an .xlsx is read, as 35 — came in as
0.35; a formula a program wrote without computing it, and an error value, came in as
an empty cell.  This module reads just those facts from the file itself: the OLE
compound file's `Workbook` stream (BIFF8, Excel 97–2003), its FORMAT and XF records,
and each sheet's number, formula and error records.  It only reads: a file it cannot
follow (BIFF5, encrypted, damaged) gives None, and the caller keeps what
python-calamine read — which has then already vetted the file.
"""

from __future__ import annotations

import contextlib
import struct
from dataclasses import dataclass, field

from . import openpyxl_ready

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: sector numbers with a meaning of their own (end of a chain, free, FAT, DIFAT)
_LAST = 0xFFFFFFFA
#: what a BIFF error code shows (MS-XLS 2.5.97.2 BErr)
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
          0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
#: record types read (MS-XLS 2.3)
_BOF, _EOF, _FILEPASS, _FORMAT, _XF, _SHEET = 0x0809, 0x000A, 0x002F, 0x041E, 0x00E0, 0x0085
_NUMBER, _RK, _MULRK, _FORMULA, _STRING, _BOOLERR = 0x0203, 0x027E, 0x00BD, 0x0006, 0x0207, 0x0205
_ROW, _COLINFO = 0x0208, 0x007D
#: columns a sheet may use (`guard.MAX_COLS`): a hidden column beyond holds no cell
_MAX_COLS = 200
#: the records of a cell python-calamine keeps (row, column at the start of each; a
#: MULRK's last column at its end): LABELSST, LABEL, RSTRING beside those above.  A
#: BLANK or MULBLANK (a formatted empty cell) it drops, and a sheet's DIMENSIONS it
#: does not size its grid by
_LABELSST, _LABEL, _RSTRING = 0x00FD, 0x0204, 0x00D6
#: a sheet's declared used range (MS-XLS 2.4.90): python-calamine reserves room for
#: rows × columns cells by it; beyond what BIFF8 holds (65,536 × 256) no Excel wrote it
_DIMENSIONS, _BIFF8_ROWS, _BIFF8_COLS = 0x0200, 65536, 256
_CELLS = frozenset({_NUMBER, _RK, _FORMULA, _BOOLERR, _LABELSST, _LABEL, _RSTRING})
#: what may come between a formula and the STRING record of its text result
_SHARED = frozenset({0x04BC, 0x0221, 0x0236})  # SHRFMLA, ARRAY, TABLE


class _Damaged(Exception):
    """The file is not a compound file or BIFF8 stream this module can follow."""


@dataclass
class SheetFacts:
    """One sheet's cells (0-based row, column) as the .xls holds them."""

    #: number format of each number cell (and formula with a number result)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    #: error value of each error cell (and formula with an error result)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    #: formulas without a saved value (an empty or blank text result), in file order
    uncached: list[tuple[int, int]] = field(default_factory=list)
    #: rows hidden (0-based; a ROW record's fDyZero)
    hidden_rows: set[int] = field(default_factory=set)
    #: columns hidden (0-based, within `_MAX_COLS`; a COLINFO's fHidden)
    hidden_cols: set[int] = field(default_factory=set)


def read_facts(data: bytes) -> dict[str, SheetFacts] | None:
    """Sheet name → its facts, or None when the file is no BIFF8 workbook.  Reads each
    byte of the file a bounded number of times, whatever its tables say: chains are
    followed once, tables cut to the sectors the file has, substreams read once."""
    try:
        return _sheets(_workbook_stream(data))
    except (_Damaged, struct.error, IndexError, ValueError, UnicodeDecodeError):
        return None


@dataclass
class Extent:
    """How far the cells of an .xls reach, over all its sheets (0-based)."""

    last_row: int = -1
    last_col: int = -1
    #: cell records (a MULRK's numbers one by one)
    cells: int = 0


def read_extent(data: bytes) -> Extent:
    """The farthest row and column any sheet's cell records name, and how many cells
    they hold -- read from the records before python-calamine is given the file.
    python-calamine makes each sheet one dense grid from its first cell to its last: a
    cell moved to IV65536 (legal BIFF8) took 4.5 s and 1.1 GB, one at column 65535 (a
    damaged file) asked for 92 GB and the process died by SIGABRT, no word said.
    What a damaged file lets this read is counted (a far cell before the damage
    too); a file it cannot follow at all (not a compound file, encrypted) gives an
    empty extent, and python-calamine judges it."""
    out = Extent()
    with contextlib.suppress(_Damaged, struct.error, IndexError, ValueError):
        _extent(_workbook_stream(data, ("Workbook", "Book")), out)
    return out


def _extent(stream: bytes, out: Extent) -> None:
    # the offsets of the sheets' substreams (BIFF5 and BIFF8 alike: the first four
    # bytes of a SHEET record)
    offsets: list[int] = []
    budget = _Budget(2 * len(stream))
    for kind, body in _records(stream, 0, budget):
        if kind == _FILEPASS:
            return  # encrypted: the records after it are not plain
        if kind == _SHEET:
            offsets.append(struct.unpack_from("<I", body, 0)[0])
    for at in dict.fromkeys(offsets):
        # every record of the substream up to its EOF, a chart's inside it too: what
        # python-calamine reads of the sheet
        depth = 0
        while at + 4 <= len(stream):
            kind, size = struct.unpack_from("<HH", stream, at)
            body = stream[at + 4:at + 4 + size]
            at += 4 + size
            budget.take(4 + size)
            if kind == _BOF:
                depth += 1
            elif kind == _EOF:
                depth -= 1
                if depth <= 0:
                    break
            elif kind in _CELLS and len(body) >= 4:
                row, col = struct.unpack_from("<HH", body, 0)
                out.cells += 1
                out.last_row, out.last_col = max(out.last_row, row), max(out.last_col, col)
            elif kind == _MULRK and len(body) >= 6:
                row, first = struct.unpack_from("<HH", body, 0)
                last = struct.unpack_from("<H", body, len(body) - 2)[0]
                out.cells += max(0, (len(body) - 6) // 6)
                out.last_row = max(out.last_row, row)
                out.last_col = max(out.last_col, first, last)
            elif kind == _DIMENSIONS and len(body) >= 14:
                # a damaged range (rows 0 to 889,192,451: 284 GB reserved, SIGABRT) is
                # refused; a legal one (a formatted blank cell far out) is read: what
                # python-calamine reserves for it, it never touches
                # (a first row after the last one wraps around in its subtraction: as far)
                low, rows, left, cols = struct.unpack_from("<IIHH", body, 0)
                if low > rows:
                    rows = 1 << 32
                if left > cols:
                    cols = 1 << 16
                if rows > _BIFF8_ROWS or cols > _BIFF8_COLS:
                    out.last_row = max(out.last_row, rows - 1)
                    out.last_col = max(out.last_col, cols - 1)


# ---- the compound file (MS-CFB) -------------------------------------------------------


def _workbook_stream(data: bytes, names: tuple[str, ...] = ("Workbook",)) -> bytes:
    if data[:8] != _MAGIC or len(data) < 512:
        raise _Damaged
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise _Damaged
    size = 1 << shift
    count = (len(data) - size) // size  # sectors in the file after the header

    def sector(n: int) -> bytes:
        if n >= count:
            raise _Damaged
        return data[(n + 1) * size:(n + 2) * size]

    # the FAT's own sectors: 109 in the header, the rest in the DIFAT chain
    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    difat, seen = struct.unpack_from("<I", data, 0x44)[0], set()
    while difat < _LAST:
        if difat in seen:
            raise _Damaged
        seen.add(difat)
        listed = struct.unpack(f"<{size // 4}I", sector(difat))
        fat_sectors.extend(listed[:-1])
        difat = listed[-1]
        if len(fat_sectors) > count + size:  # more FAT sectors than the file has
            raise _Damaged
    fat: list[int] = []
    for n in dict.fromkeys(fat_sectors):  # a FAT sector named twice is read once
        if n < _LAST and len(fat) < count:
            fat.extend(struct.unpack(f"<{size // 4}I", sector(n)))
    del fat[count:]  # entries for sectors past the end of the file name nothing

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        seen: set[int] = set()
        while start < _LAST:
            if start >= len(table) or start in seen:
                raise _Damaged
            seen.add(start)
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(n) for n in chain(struct.unpack_from("<I", data, 0x30)[0], fat))
    entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise _Damaged
    cutoff = struct.unpack_from("<I", data, 0x38)[0]
    for entry in entries:
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[:max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
        if entry[66] != 2 or name not in names:  # a stream; "Book" is BIFF5
            continue
        start, stream_size = struct.unpack_from("<II", entry, 116)
        if stream_size >= cutoff:
            return b"".join(sector(n) for n in chain(start, fat))[:stream_size]
        # a small stream lives in the mini stream, in 64-byte sectors of its own FAT
        root = entries[0]
        mini = b"".join(sector(n) for n in chain(struct.unpack_from("<I", root, 116)[0], fat))
        mini_fat: list[int] = []
        for n in chain(struct.unpack_from("<I", data, 0x3C)[0], fat):
            mini_fat.extend(struct.unpack(f"<{size // 4}I", sector(n)))
        del mini_fat[len(mini) // 64:]
        return b"".join(mini[n * 64:(n + 1) * 64] for n in chain(start, mini_fat))[:stream_size]
    raise _Damaged


# ---- the BIFF8 records (MS-XLS) -------------------------------------------------------


class _Budget:
    """Bytes of records left to read: each sheet's substream is its own part of the
    stream, so all of them together are read once (a hostile file pointing every sheet
    at the same bytes, with no EOF, would be read once per sheet)."""

    def __init__(self, left: int) -> None:
        self.left = left

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise _Damaged


def _records(stream: bytes, at: int, budget: _Budget) -> list[tuple[int, bytes]]:
    """The records of the substream starting at `at` (a BOF) up to its EOF; the
    substreams inside it (a chart's) left out."""
    out: list[tuple[int, bytes]] = []
    depth = 0
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4:at + 4 + size]
        at += 4 + size
        budget.take(4 + size)
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                return out
        elif depth == 1:
            out.append((kind, body))
    return out


def _text(body: bytes, at: int, count: int) -> str:
    """An XLUnicodeString's characters (MS-XLS 2.5.294) from its flags byte at `at`."""
    if body[at] & 1:
        return body[at + 1:at + 1 + 2 * count].decode("utf-16-le", "replace")
    return body[at + 1:at + 1 + count].decode("latin-1")


def _sheets(stream: bytes) -> dict[str, SheetFacts]:
    openpyxl_ready()
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    kind = struct.unpack_from("<H", stream, 0)[0]
    if kind != _BOF or struct.unpack_from("<H", stream, 4)[0] != 0x0600:
        raise _Damaged  # not BIFF8
    formats: dict[int, str] = {}
    xfs: list[int] = []
    sheets: list[tuple[str, int]] = []
    budget = _Budget(2 * len(stream))
    for kind, body in _records(stream, 0, budget):
        if kind == _FILEPASS:
            raise _Damaged  # encrypted
        if kind == _FORMAT:
            ifmt, count = struct.unpack_from("<HH", body, 0)
            formats[ifmt] = _text(body, 4, count)
        elif kind == _XF:
            xfs.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == _SHEET:
            offset, count = struct.unpack_from("<I", body, 0)[0], body[6]
            sheets.append((_text(body, 7, count), offset))

    def fmt(xf: int) -> str:
        n = xfs[xf] if xf < len(xfs) else 0
        return formats.get(n) or BUILTIN_FORMATS.get(n, "General")

    out: dict[str, SheetFacts] = {}
    for name, offset in sheets:
        facts = out[name] = SheetFacts()
        pending: tuple[int, int] | None = None  # a formula whose text result follows
        for kind, body in _records(stream, offset, budget):
            if kind == _STRING and pending is not None:
                pending = None  # its text result, saved (empty text is a value too)
                continue
            if kind in _SHARED:
                continue
            if pending is not None:  # no STRING record: no text saved
                facts.uncached.append(pending)
            pending = None
            if kind == _ROW and len(body) >= 14:
                # MS-XLS 2.4.221: fDyZero (bit 5 of the byte at 12) — the row is hidden
                if body[12] & 0x20:
                    facts.hidden_rows.add(struct.unpack_from("<H", body, 0)[0])
            elif kind == _COLINFO and len(body) >= 10:
                # MS-XLS 2.4.53: colFirst, colLast, coldx, ixfe, then fHidden (bit 0)
                first, last, _, _, flags = struct.unpack_from("<HHHHH", body, 0)
                if flags & 1:
                    facts.hidden_cols.update(range(first, min(last, _MAX_COLS - 1) + 1))
            elif kind in (_NUMBER, _RK):
                row, col, xf = struct.unpack_from("<HHH", body, 0)
                facts.formats[(row, col)] = fmt(xf)
            elif kind == _MULRK:
                row, first = struct.unpack_from("<HH", body, 0)
                for i in range((len(body) - 6) // 6):
                    facts.formats[(row, first + i)] = fmt(
                        struct.unpack_from("<H", body, 4 + 6 * i)[0])
            elif kind == _BOOLERR:
                row, col, _, value, is_error = struct.unpack_from("<HHHBB", body, 0)
                if is_error:
                    facts.errors[(row, col)] = ERRORS.get(value, "#VALUE!")
            elif kind == _FORMULA:
                row, col, xf = struct.unpack_from("<HHH", body, 0)
                if body[12:14] != b"\xff\xff":  # a number
                    facts.formats[(row, col)] = fmt(xf)
                elif body[6] == 0:  # text, in the STRING record that follows
                    pending = (row, col)
                elif body[6] == 2:
                    facts.errors[(row, col)] = ERRORS.get(body[8], "#VALUE!")
                # body[6] == 3: an empty text result — what Excel saves for
                # `=IF(…,"完成","")`: a value, shown as an empty cell (review)
        if pending is not None:
            facts.uncached.append(pending)
    return out
