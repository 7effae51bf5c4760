"""Refuse hostile workbooks before openpyxl sees them.

Units mail their sheets in, so an .xlsx is untrusted input.  The importers walk
a sheet's rows × columns up to its largest cell and fill every merged range, so a
5 KB file with one cell at XFD1048576, a merged range over the whole sheet or a
part that unpacks to gigabytes would hang the import or exhaust memory; without
defusedxml openpyxl's XML parser would also expand entities declared in a DTD.  This module reads the zip directory and streams every part
through expat (no tree is built, every byte counted) and refuses, with a one-line
reason, anything beyond limits no real office sheet comes near.  Only then is the
workbook loaded.

Every part, whatever its name: openpyxl loads a sheet from whatever part
workbook.xml.rels names (xl/worksheets/sheet1.bin, or a name without an extension)
and finds the workbook and shared strings by [Content_Types].xml, so a scan of the
parts named *.xml alone let a renamed sheet through unread.  A part the package
declares as XML (by its name or its content type) must be well-formed; any other
part (an image, printer settings) is fed to expat too, and what expat reads of it
before it fails — all of it, when it is XML under another name — is held to the
same rules, since openpyxl parses with the same expat and fails at the same byte.
"""

from __future__ import annotations

import functools
import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..core.codes import L

#: rows and columns a sheet may use (its real cells and merged ranges; the `<dimension>`
#: a sheet declares is not trusted, nor needed: the sheet is streamed, its real cells kept)
MAX_ROWS = 100_000
MAX_COLS = 200
#: cells all merged ranges of one sheet may cover together (the grid fills each one)
MAX_MERGED_CELLS = 1_000_000
#: cells (`<c>` elements, empty styled ones too) in all parts of a workbook together:
#: 100,000 rows × 20 cells (3.8 MB zipped) took 1.9 GB and 50 s when openpyxl loaded
#: the workbook whole, twice; a million — ten times the largest office sheet — takes
#: about 320 MB and 10 s of CPU, streamed once (`sheet.read_grid`)
MAX_CELLS = 1_000_000
#: size of the .xlsx file itself
MAX_FILE_BYTES = 100 * 1024 * 1024
#: entries in the zip archive
MAX_ENTRIES = 10_000
#: unpacked size of one part, and of all parts together
MAX_PART_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024

#: how much of a part is fed to expat at a time
_CHUNK = 1 << 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SHEET_NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
             "http://purl.oclc.org/ooxml/spreadsheetml/main")
_REL_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           "http://purl.oclc.org/ooxml/officeDocument/relationships")
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\Z")
#: names of parts that must be XML, whatever [Content_Types].xml says
_XML_PART = (".xml", ".rels", ".vml")
_CONTENT_TYPES = "[Content_Types].xml"
#: the workbook part's content types, in the order openpyxl looks for them
#: (`openpyxl.reader.excel._find_workbook_part`)
_WORKBOOK_TYPES = tuple(
    f"application/vnd.{t}.main+xml" for t in (
        "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet"))


class WorkbookRefused(Exception):
    """The workbook is refused before loading; `label` says why in one line."""

    def __init__(self, label: L) -> None:
        super().__init__(label.en)
        self.label = label


@functools.lru_cache(maxsize=4096)
def _col_number(letters: str) -> int:
    """AA → 27 (once per distinct column: the guard reads every cell's reference)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _letters(col: int) -> str:
    """27 → AA (a cell written without its reference)."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_ref(ref: str) -> tuple[int, int] | None:
    """"XFD1048576" → (row 1048576, column 16384); None when it is not a cell reference."""
    m = _REF.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)), _col_number(m.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """"A1:C3" → (min_row, min_col, max_row, max_col); a single cell is a 1×1 range."""
    first, _, last = ref.strip().partition(":")
    a = parse_ref(first)
    b = parse_ref(last) if last else a
    if a is None or b is None:
        return None
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _too_large(path: Path, zh: str, en: str) -> WorkbookRefused:
    return WorkbookRefused(L(f"{path} 过大，拒绝导入：{zh}", f"{path} is too large to import: {en}"))


def _entry_count(data: bytes) -> int | None:
    """Entries the archive's end record declares, read before zipfile builds its
    directory (a million entries would take that long and that much memory)."""
    size = len(data)
    tail_len = min(size, 65536 + 22)
    tail = data[size - tail_len:]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    count = int(struct.unpack("<H", tail[at + 10:at + 12])[0])
    if count != 0xFFFF or at < 20 or tail[at - 20:at - 16] != b"PK\x06\x07":
        return count
    offset = int(struct.unpack("<Q", tail[at - 12:at - 4])[0])
    if offset + 56 > size:
        return None
    rec = data[offset:offset + 56]
    if rec[:4] != b"PK\x06\x06":
        return None
    return int(struct.unpack("<Q", rec[32:40])[0])


@dataclass
class _Sheet:
    """What the scan of one worksheet part has seen."""

    part: str
    row: int = 0
    col: int = 0
    #: `<row>` elements of the sheet's data (`MAX_ROWS`)
    rows: int = 0
    #: the row being read is beyond the limits: named at its end, unless one of its
    #: cells was (the cell says more)
    far_row: tuple[str, str, str] | None = None
    #: inside an external link's cached values (`<sheetDataSet>`): rows of another
    #: workbook, not this one's
    external: bool = False
    merged: int = 0
    #: the cell being read (at `row`, `col`): a formula in it, a saved value (`<v>` text)
    formula: bool = False
    value: bool = False
    in_value: bool = False
    #: the cell is an inline string (`t="inlineStr"`), and its text is being read
    inline: bool = False
    in_text: bool = False
    #: the cell holds a formula's text result (`t="str"`)
    text_result: bool = False


@dataclass
class _Scan:
    path: Path
    #: [Content_Types].xml: part name (no leading /) → content type; extension → type
    overrides: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    #: the workbook part and its relationships part (`_find_parts`)
    workbook: str = "xl/workbook.xml"
    workbook_rels: str = "xl/_rels/workbook.xml.rels"
    #: workbook.xml: relationship id → sheet name; workbook.xml.rels: id → part
    sheet_rids: dict[str, str] = field(default_factory=dict)
    rel_targets: dict[str, str] = field(default_factory=dict)
    #: cell/merge problems, raised once the sheet's name is known
    found: list[tuple[str, str, str]] = field(default_factory=list)
    #: cells seen so far in all sheets (`MAX_CELLS`)
    cells: int = 0
    #: part → the first cell with a formula and no saved value (`uncached_formula`)
    uncached: dict[str, str] = field(default_factory=dict)
    #: part → inline-string cells (row, column) whose text has an `_x` (`Checked.escaped`)
    escaped: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: part → cells (row, column) holding a formula with a saved value (`Checked.formulas`)
    formulas: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class Checked:
    """What the scan of a workbook that passed found for the loader."""

    #: the first cell (sheet name, reference; sheets in the workbook's order) holding a
    #: formula without a saved value: a program wrote it and no spreadsheet computed
    #: it, and loading the values would read it as an empty cell
    uncached: tuple[str, str] | None = None
    #: sheet name → inline-string cells that may hold `_xHHHH_` escapes: Excel decodes
    #: them, openpyxl leaves them as written, so the loader decodes these cells, and
    #: only these (the shared strings it decodes as it reads them: `sheet._load_xlsx`)
    escaped: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: sheet name → cells holding a formula with a saved value: the loader reads the
    #: value a formula showed, and the importers say so (a unit's =HYPERLINK(url,"…")
    #: comes in as its text)
    formulas: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def read_workbook_bytes(path: Path) -> bytes:
    """The bytes of the workbook at `path`, refused (`WorkbookRefused`) above
    MAX_FILE_BYTES: read once, whatever the file grows to meanwhile, so that what is
    checked is what is loaded."""
    with path.open("rb") as fp:
        size = os.fstat(fp.fileno()).st_size
        data = fp.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
    size = max(size, len(data))
    if size > MAX_FILE_BYTES:
        raise _too_large(path, f"文件有 {_size(size)}（上限 {_size(MAX_FILE_BYTES)}）",
                         f"the file is {_size(size)} (limit {_size(MAX_FILE_BYTES)})")
    return data


def check_workbook(path: Path, data: bytes | None = None) -> Checked:
    """Raise `WorkbookRefused` unless `path` is a zip of well-formed XML parts
    within every limit above; reads at most MAX_TOTAL_BYTES unpacked bytes.

    `data`: the file's bytes, when the caller has read them (`read_workbook_bytes`)
    to load the very bytes checked here — a file read again by its name after the
    check could have been replaced in between.

    Returns what the loader needs to know (`Checked`): seen here, while the XML
    streams by, the workbook need not be loaded a second time with its formulas."""
    if data is None:
        data = read_workbook_bytes(path)
    head = data[:8]
    if head == _OLE_MAGIC:
        raise WorkbookRefused(L(
            f"无法读取 {path}：这是加密（设了打开密码）的工作簿或旧版 .xls 文件：请在 Excel/WPS 中"
            "去掉密码并“另存为” .xlsx 后再导入",
            f"cannot read {path}: it is a password-protected (encrypted) workbook or an old "
            ".xls file: remove the password and save it as .xlsx in Excel/WPS first"))
    if not head.startswith(b"PK"):
        if is_web_page(data):
            raise WorkbookRefused(web_page(path))
        raise WorkbookRefused(L(f"无法读取 {path}：不是有效的 .xlsx 文件（不是 zip 压缩包）",
                                f"cannot read {path}: not a valid .xlsx file (not a zip archive)"))
    count = _entry_count(data)
    if count is not None and count > MAX_ENTRIES:
        raise _too_large(path, f"压缩包中有 {count} 个文件（上限 {MAX_ENTRIES}）",
                         f"the archive holds {count} entries (limit {MAX_ENTRIES})")
    scan = _Scan(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_archive(zf, scan)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError, ValueError, zlib.error) as exc:
        # RuntimeError: an entry encrypted with a zip password; NotImplementedError: an
        # unknown compression method; zlib.error: a damaged deflate stream (read by
        # `_scan_part`: it was an internal error); the others: a damaged archive or
        # CRC mismatch
        raise WorkbookRefused(L(f"无法读取 {path}：不是有效的 .xlsx 文件（{_why_zh(exc)}）：请重新"
                                "下载或导出该文件，或在 Excel/WPS 中打开后“另存为” .xlsx",
                                f"cannot read {path}: not a valid .xlsx file ({_why(exc)})")
                              ) from None
    parts = {_resolve(t, scan.workbook): rid for rid, t in scan.rel_targets.items()}
    checked = Checked(escaped={scan.sheet_rids[parts[p]]: refs for p, refs in scan.escaped.items()
                               if parts.get(p) in scan.sheet_rids},
                      formulas={scan.sheet_rids[parts[p]]: refs
                                for p, refs in scan.formulas.items()
                                if parts.get(p) in scan.sheet_rids})
    if scan.uncached:
        order = list(scan.sheet_rids)
        first = min(scan.uncached, key=lambda p: (
            order.index(parts[p]) if parts.get(p) in scan.sheet_rids else len(order), p))
        checked.uncached = (scan.sheet_rids.get(parts.get(first, ""), first),
                            scan.uncached[first])
    return checked


def _why_zh(exc: Exception) -> str:
    """Why zipfile refused the archive, in Chinese (`_why` names the exception: the
    clerk reads no `BadZipFile: File is not a zip file`)."""
    if isinstance(exc, RuntimeError):
        return "其中的内容加了密码"
    if isinstance(exc, NotImplementedError):
        return "用了不支持的压缩方式"
    if isinstance(exc, zipfile.LargeZipFile):
        return "压缩包过大"
    return "压缩包已损坏或不完整，可能在下载或复制时被截断"


#: byte order marks a web page saved by an OA system may start with
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def is_web_page(data: bytes) -> bool:
    """Whether `data` is a web page (HTML) or XML text rather than a workbook: OA
    systems export their tables so and name them .xls; Excel opens them (with a
    warning), no workbook reader does.  After a byte order mark and blanks, it starts
    with `<` (`<!DOCTYPE`, `<html`, `<table`, `<?xml`)."""
    head = data[:1024]
    for bom in _BOMS:
        if head.startswith(bom):
            enc = "utf-16-le" if bom == b"\xff\xfe" else "utf-16-be" if bom == b"\xfe\xff" \
                else "utf-8"
            text = head[len(bom):].decode(enc, "ignore")
            break
    else:
        text = head.decode("latin-1")
    return text.lstrip().startswith("<")


def web_page(path: Path) -> L:
    """The refusal of a web page saved as a workbook (`is_web_page`)."""
    ext = path.suffix or ".xls"
    return L(f"无法读取 {path}：这是保存成 {ext} 的网页（HTML）或 XML 文本，不是 Excel 工作簿"
             f"（OA 系统导出的表格常是这样）：请用 Excel/WPS 打开它，再“另存为” .xlsx 后导入",
             f"cannot read {path}: it is a web page (HTML) or XML text saved as {ext}, not an "
             f"Excel workbook (OA systems export tables so): open it in Excel/WPS, save it as "
             f".xlsx and import that")


def _why(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _check_archive(zf: zipfile.ZipFile, scan: _Scan) -> None:
    path = scan.path
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _too_large(path, f"压缩包中有 {len(infos)} 个文件（上限 {MAX_ENTRIES}）",
                         f"the archive holds {len(infos)} entries (limit {MAX_ENTRIES})")
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise _too_large(path, f"{info.filename} 解压后有 {_size(info.file_size)}"
                             f"（上限 {_size(MAX_PART_BYTES)}）",
                             f"{info.filename} unpacks to {_size(info.file_size)} "
                             f"(limit {_size(MAX_PART_BYTES)})")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _too_large(path, f"解压后共有 {_size(total)}（上限 {_size(MAX_TOTAL_BYTES)}）",
                         f"it unpacks to {_size(total)} in all (limit {_size(MAX_TOTAL_BYTES)})")
    # [Content_Types].xml first (it names the workbook part), then the workbook and its
    # relationships (they name the sheet parts), then every other entry, whatever its
    # name: a folder entry holds nothing to read
    by_name = {i.filename: i for i in infos}
    if _CONTENT_TYPES in by_name:
        _scan_part(zf, by_name[_CONTENT_TYPES], scan, strict=True)
        _find_parts(scan)
    first = (_CONTENT_TYPES, scan.workbook, scan.workbook_rels)
    order = [by_name[n] for n in first[1:] if n in by_name] + [
        i for i in infos if i.filename not in first and not i.filename.endswith("/")]
    for info in order:
        _scan_part(zf, info, scan, strict=_is_xml(info.filename, scan))
        if scan.found:
            names = {_resolve(t, scan.workbook): scan.sheet_rids[rid]
                     for rid, t in scan.rel_targets.items() if rid in scan.sheet_rids}
            part, zh, en = scan.found[0]
            name = names.get(part)
            where_zh = f"工作表“{name}”" if name else part
            where_en = f"sheet '{name}'" if name else part
            raise _too_large(path, where_zh + zh, f"{where_en} {en}")


def _find_parts(scan: _Scan) -> None:
    """The workbook part as openpyxl finds it: the first part [Content_Types].xml gives
    a workbook content type (xl/workbook.xml when none does), and its relationships."""
    for kind in _WORKBOOK_TYPES:
        part = next((p for p, t in scan.overrides.items() if t == kind), None)
        if part is not None:
            scan.workbook = part
            break
    folder, _, name = scan.workbook.rpartition("/")
    scan.workbook_rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _is_xml(name: str, scan: _Scan) -> bool:
    """Whether a part must be well-formed XML: its name says so, or its content type."""
    if name.lower().endswith(_XML_PART):
        return True
    base = name.rpartition("/")[2]
    kind = scan.overrides.get(name)
    if kind is None and "." in base:
        kind = scan.defaults.get(base.rpartition(".")[2].lower())
    return kind is not None and kind.split(";")[0].strip().lower().endswith("xml")


def _resolve(target: str, source: str) -> str:
    """A relationship target of the part `source` (xl/workbook.xml) as a part name
    (xl/worksheets/sheet1.xml)."""
    if target.startswith("/"):
        return target[1:]
    parts: list[str] = source.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _Scan, *,
               strict: bool) -> None:
    """Stream one part through expat: refuse a DTD, malformed XML and sheets beyond
    the limits; never more bytes than the entry declares.  A part that need not be XML
    (`strict` False: an image) ends where expat fails, without a word: openpyxl, which
    parses with the same expat, could not read it as XML either."""
    path = scan.path
    sheet = _Sheet(info.filename)
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse_dtd(*_: Any) -> Any:
        raise WorkbookRefused(L(
            f"拒绝导入 {path}：{info.filename} 含有 DTD（<!DOCTYPE 或 <!ENTITY），Excel 从不写这种内容",
            f"{path} is refused: {info.filename} contains a DTD (<!DOCTYPE or <!ENTITY), "
            "which Excel never writes"))

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.ExternalEntityRefHandler = refuse_dtd
    is_workbook = info.filename == scan.workbook
    is_rels = info.filename == scan.workbook_rels
    is_types = info.filename == _CONTENT_TYPES

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        sheet.in_value = sheet.in_text = False
        if ns in _SHEET_NS:
            if local == "c":
                _formula_done(sheet, scan)
                _cell(sheet, attrs.get("r"), scan)
                sheet.inline = attrs.get("t") == "inlineStr"
                sheet.text_result = attrs.get("t") == "str"
            elif local == "t":
                sheet.in_text = sheet.inline
            elif local == "f":
                sheet.formula = True
            elif local == "v":
                sheet.in_value = True
                # a formula's text result saved empty (`=IF(F2>=100,"完成","")`, as Excel
                # writes "") is a saved value: only a missing <v> is no value (review)
                if sheet.text_result:
                    sheet.value = True
            elif local == "row":
                _formula_done(sheet, scan)  # named while its row and column are current
                r = attrs.get("r")
                sheet.row = int(r) if r is not None and r.isdigit() else sheet.row + 1
                sheet.col = 0
                if not sheet.external:
                    _row(sheet, scan)
            elif local == "sheetDataSet":
                sheet.external = True
            elif local == "mergeCell":
                _merge(sheet, attrs.get("ref", ""), scan)
            elif local == "sheet" and is_workbook:
                rid = next((v for k, v in attrs.items()
                            if k.rpartition(" ")[0] in _REL_NS and k.endswith(" id")), None)
                if rid is not None and "name" in attrs:
                    scan.sheet_rids[rid] = attrs["name"]
        elif is_rels and local == "Relationship" and "Id" in attrs and "Target" in attrs:
            scan.rel_targets[attrs["Id"]] = attrs["Target"]
        elif is_types and ns == _CT_NS and "ContentType" in attrs:
            if local == "Override" and "PartName" in attrs:
                scan.overrides[attrs["PartName"].lstrip("/")] = attrs["ContentType"]
            elif local == "Default" and "Extension" in attrs:
                scan.defaults[attrs["Extension"].lower()] = attrs["ContentType"]

    def end(name: str) -> None:
        sheet.in_value = sheet.in_text = False
        if name.endswith(" sheetDataSet"):
            sheet.external = False
        elif sheet.far_row is not None and name.endswith(" row"):
            if not scan.found:
                scan.found.append(sheet.far_row)
            sheet.far_row = None

    def text(data: str) -> None:
        if sheet.in_value and data.strip():
            sheet.value = True
        elif sheet.in_text and "_x" in data:
            cells = scan.escaped.setdefault(sheet.part, [])
            if not cells or cells[-1] != (sheet.row, sheet.col):
                cells.append((sheet.row, sheet.col))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    # a cell's text (at most 32,767 characters) in one call: an `_x` is not cut in two
    parser.buffer_text = True
    parser.buffer_size = 1 << 17
    read = 0
    try:
        with zf.open(info) as fh:
            while True:
                # a picture fails expat in its first bytes: a small first read for a part
                # that need not be XML, not a megabyte unpacked per image
                chunk = fh.read(_CHUNK if strict or read else 1 << 14)
                read += len(chunk)
                if read > info.file_size or read > MAX_PART_BYTES:
                    raise _too_large(path, f"{info.filename} 解压后超过声明的大小",
                                     f"{info.filename} unpacks to more than it declares")
                if strict and (b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk):
                    refuse_dtd()
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
                if scan.found:
                    break
    except expat.ExpatError as exc:
        if not strict:
            return
        raise WorkbookRefused(L(
            f"无法读取 {path}：{info.filename} 不是格式正确的 XML（{exc}）",
            f"cannot read {path}: {info.filename} is not well-formed XML ({exc})")) from None
    _formula_done(sheet, scan)


def _formula_done(sheet: _Sheet, scan: _Scan) -> None:
    """The cell read last is over: remember it when it had a formula and no value."""
    if sheet.formula and not sheet.value and sheet.part not in scan.uncached:
        scan.uncached[sheet.part] = f"{_letters(sheet.col)}{sheet.row}"
    elif sheet.formula:
        scan.formulas.setdefault(sheet.part, []).append((sheet.row, sheet.col))
    sheet.formula = sheet.value = False


def _cell(sheet: _Sheet, ref: str | None, scan: _Scan) -> None:
    scan.cells += 1
    if scan.cells > MAX_CELLS:
        raise _too_large(scan.path, f"各工作表共有超过 {MAX_CELLS} 个单元格（上限 {MAX_CELLS} 个）"
                         "：请拆分后分别导入",
                         f"its sheets hold more than {MAX_CELLS} cells (limit {MAX_CELLS}): "
                         "split it and import the parts")
    where = parse_ref(ref) if ref is not None else None
    if where is not None:
        sheet.row, sheet.col = where
    else:
        sheet.col += 1
    if sheet.row > MAX_ROWS or sheet.col > MAX_COLS:
        cell = ref or f"R{sheet.row}C{sheet.col}"
        scan.found.append((sheet.part,
                           f"在 {cell} 有单元格（上限 {MAX_ROWS} 行 × {MAX_COLS} 列）",
                           f"has a cell at {cell} (limit {MAX_ROWS} rows × {MAX_COLS} columns)"))


def _row(sheet: _Sheet, scan: _Scan) -> None:
    """A `<row>` element: openpyxl keeps a row's height, style or hidden flag for every
    one of them, cells or none -- 4,000,000 `<row r="N" ht="15" customHeight="1"/>`
    (10 MB zipped, 215 MB unpacked) took 70 s and 2 GB before the import went on.  A
    row beyond `MAX_ROWS`, or more row elements than that, is refused as a cell there
    is (named at the row's end, unless a cell of it was; the scan stops at the end of the
    chunk)."""
    sheet.rows += 1
    if sheet.row > MAX_ROWS:
        sheet.far_row = (sheet.part, f"有第 {sheet.row} 行（上限 {MAX_ROWS} 行 × {MAX_COLS} 列）",
                         f"has row {sheet.row} (limit {MAX_ROWS} rows × {MAX_COLS} columns)")
    elif sheet.rows == MAX_ROWS + 1:
        sheet.far_row = (sheet.part, f"有超过 {MAX_ROWS} 行（上限 {MAX_ROWS} 行 × {MAX_COLS} 列）",
                         f"has more than {MAX_ROWS} rows (limit {MAX_ROWS} rows × "
                         f"{MAX_COLS} columns)")


def _merge(sheet: _Sheet, ref: str, scan: _Scan) -> None:
    rng = parse_range(ref)
    if rng is None:
        return
    cells = (rng[2] - rng[0] + 1) * (rng[3] - rng[1] + 1)
    sheet.merged += cells
    if rng[2] > MAX_ROWS or rng[3] > MAX_COLS:
        scan.found.append((sheet.part,
                           f"合并了 {ref}（上限 {MAX_ROWS} 行 × {MAX_COLS} 列）",
                           f"merges {ref} (limit {MAX_ROWS} rows × {MAX_COLS} columns)"))
    elif sheet.merged > MAX_MERGED_CELLS:
        scan.found.append((sheet.part,
                           f"的合并单元格共覆盖 {sheet.merged} 个单元格（上限 {MAX_MERGED_CELLS}）",
                           f"has merged ranges covering {sheet.merged} cells "
                           f"(limit {MAX_MERGED_CELLS})"))
