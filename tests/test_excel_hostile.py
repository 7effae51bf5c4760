"""Hostile workbooks: `luoshi import` reads sheets units mail in, so a workbook is
untrusted.  Each test builds a real .xlsx (openpyxl, then the XML rewritten with
zipfile where openpyxl cannot write the hostile shape) and expects a one-line
refusal with exit 2, quickly and before openpyxl loads anything."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

SHEET = "xl/worksheets/sheet1.xml"


def base(path: Path) -> Path:
    """A good score sheet: one unit, one component."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["单位", "hotline"])
    ws.append(["崇业路街道", 88])
    wb.save(path)
    return path


def rewrite(src: Path, dst: Path, parts: dict[str, Callable[[str], str]],
            extra: dict[str, bytes] | None = None) -> Path:
    """A copy of `src` with some parts' XML text changed and `extra` entries added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in parts:
                data = parts[info.filename](data.decode("utf-8")).encode("utf-8")
            zout.writestr(info.filename, data)
        for name, blob in (extra or {}).items():
            zout.writestr(name, blob)
    return dst


def run(*args: Any, limit_mb: int = 1024) -> tuple[int, str, float]:
    """luoshi in a child process with its address space capped and a 10 s timeout:
    a refusal must come quickly and in bounded memory (the starting code hangs on
    these files, which the timeout turns into a failure)."""
    def cap() -> None:
        size = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "luoshi_cli", *map(str, args)],
                          capture_output=True, text=True, timeout=10, preexec_fn=cap,
                          check=False)
    return proc.returncode, proc.stderr, time.monotonic() - t0


def scores(book: Path, ledger: Path, tmp_path: Path, *more: str, limit_mb: int = 1024
           ) -> tuple[int, str]:
    code, err, took = run("import", "scores", book, ledger, "--period", "2021-Q2", "-o",
                          tmp_path / "out.yaml", *more, limit_mb=limit_mb)
    assert took < 10
    assert not (tmp_path / "out.yaml").exists()
    return code, err


# ---- limits ------------------------------------------------------------------------


def test_a_declared_dimension_is_not_trusted(example: Path, tmp_path: Path) -> None:
    """A small sheet declaring `<dimension ref="A1:XFD1048576"/>` (as some programs write
    it) was refused, although it holds two rows: the sheet is streamed and only its real
    cells are read, so the declared range is neither trusted nor needed (audit item 19)."""
    book = rewrite(base(tmp_path / "a.xlsx"), tmp_path / "dim.xlsx", {
        SHEET: lambda x: x.replace('<dimension ref="A1:B2" />',
                                   '<dimension ref="A1:XFD1048576"/>')})
    (example / "records" / "2021-Q2.yaml").unlink()
    code, err, took = run("import", "scores", book, example, "--period", "2021-Q2", "-o",
                          tmp_path / "out.yaml", "--lang", "en", limit_mb=1024)
    assert (code, took < 10) == (0, True), err
    assert "hotline: 88" in (tmp_path / "out.yaml").read_text(encoding="utf-8")


def test_one_far_cell_is_read_in_bounded_memory(example: Path, tmp_path: Path) -> None:
    """One extra cell at GR100000 — within the limits — made the grid walk 100,000 rows
    × 200 columns, a cell object for each: a 5 KB file exhausted the memory (and with a
    cell at T100000, 8 s and 477 MB).  Only the cells the sheet holds are read now."""
    book = rewrite(base(tmp_path / "a.xlsx"), tmp_path / "corner.xlsx", {
        SHEET: lambda x: x.replace('<dimension ref="A1:B2" />', "").replace(
            "</sheetData>", '<row r="100000"><c r="GR100000" t="inlineStr"><is><t>x</t></is>'
            "</c></row></sheetData>")})
    assert book.stat().st_size < 6000
    (example / "records" / "2021-Q2.yaml").unlink()
    code, err, took = run("import", "scores", book, example, "--period", "2021-Q2", "-o",
                          tmp_path / "out.yaml", "--lang", "en", limit_mb=600)
    assert (code, took < 10) == (0, True), err
    assert "hotline: 88" in (tmp_path / "out.yaml").read_text(encoding="utf-8")


def test_out_of_memory_in_an_import_speaks_of_the_workbook() -> None:
    """The last word when memory runs out advised splitting ledger files or lowering
    max_file_mb — for a workbook being imported, which neither would help."""
    code = ("import sys\nimport luoshi_cli.cli.app as app\n"
            "def boom(argv):\n    raise MemoryError\n"
            "app.main_command = boom\n"
            "sys.argv = ['luoshi', 'import', 'tasks', 'a.xlsx']\n"
            "from luoshi_cli.__main__ import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert (proc.returncode, proc.stderr) == (2, (
        "luoshi: out of memory reading the workbook; split it and import the parts / "
        "内存不足：工作簿过大，请拆分后分别导入\n"))


def _loaded_grid(path: Path, name: str) -> dict[str, Any]:
    """The grid as `read_grid` built it before it streamed sheets: the workbook loaded
    whole, every position of the bounding box walked (the oracle of the test below)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[name]
    values, formats = {}, {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            values[(cell.row, cell.column)] = cell.value
            formats[(cell.row, cell.column)] = cell.number_format
    wide = set()
    for rng in ws.merged_cells.ranges:
        top = (rng.min_row, rng.min_col)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if rng.max_col > rng.min_col:
                    wide.add((r, c))
                if top in values:
                    values[(r, c)], formats[(r, c)] = values[top], formats[top]
    return {"values": values, "formats": formats, "wide": wide}


def test_a_streamed_sheet_reads_as_a_loaded_one(tmp_path: Path) -> None:
    """The grid of a streamed sheet is the grid of the sheet loaded whole: values,
    dates, number formats, formulas' saved values, merged ranges (a value under a merged
    range that is not its first cell dropped, as openpyxl drops it), booleans, errors."""
    import datetime

    from luoshi_cli.excel.sheet import open_workbook, read_grid

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"] = "2024年台账"
    ws.merge_cells("A1:E1")
    ws.append(["序号", "任务", "完成时限", "进度", "备注"])
    ws.append([1, "甲", datetime.date(2024, 3, 5), 0.35, True])
    ws.append([2, "乙", datetime.datetime(2024, 5, 6, 14, 30), 40, "  "])
    ws["C3"].number_format = "yyyy-mm-dd"
    ws["D3"].number_format = "0%"
    ws["D4"].number_format = '0.0"分"'
    ws["B5"] = "丙"
    ws.merge_cells("B5:B7")
    ws["E6"] = "=1+1"
    ws["A8"] = "#N/A"
    src = tmp_path / "s.xlsx"
    wb.save(src)
    covered = '<c r="{}" t="inlineStr"><is><t>covered</t></is></c>'

    def change(x: str) -> str:
        # a formula with the value Excel saved, values under merged ranges (not their
        # first cells), and an escape Excel decodes
        x = re.sub(r'<c r="E6"><f>1\+1</f><v\s*/>|<c r="E6"><f>1\+1</f><v></v>',
                   covered.format("B6") + '<c r="E6"><f>1+1</f><v>2</v>', x)
        x = x.replace('</c></row><row r="2">', '</c>' + covered.format("C1") + '</row><row r="2">')
        return x.replace('</row><row r="6">', '<c r="E5" t="inlineStr"><is><t>a_x005F_x003D_b'
                         '</t></is></c></row><row r="6">')

    book = rewrite(src, tmp_path / "t.xlsx", {SHEET: change})
    with zipfile.ZipFile(book) as zf:
        assert zf.read(SHEET).count(b"covered") == 2 and b"<v>2</v>" in zf.read(SHEET)
    grid = read_grid(open_workbook(book), "表")
    want = _loaded_grid(book, "表")
    assert want["values"].pop((5, 5)) == "a_x005F_x003D_b"
    assert grid.values.pop((5, 5)) == "a_x003D_b"  # as Excel shows it
    assert grid.values == want["values"] and grid.formats == want["formats"]
    assert grid.wide == want["wide"] and (grid.max_row, grid.max_col) == (8, 5)
    assert (grid.get(6, 5), grid.fmt(3, 4), grid.get(6, 2), grid.get(1, 3)) == (
        2, "0%", "丙", "2024年台账")
    assert grid.get(3, 3) == datetime.datetime(2024, 3, 5) and grid.get(8, 1) == "#N/A"


def test_a_real_cell_at_the_last_cell_of_excel(example: Path, tmp_path: Path) -> None:
    book = rewrite(base(tmp_path / "a.xlsx"), tmp_path / "far.xlsx", {
        SHEET: lambda x: x.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
            "</sheetData>").replace('<dimension ref="A1:B2" />', "")})
    assert book.stat().st_size < 6000
    assert scores(book, example, tmp_path, "--lang", "en") == (2, (
        f"luoshi: {book} is too large to import: sheet '得分' has a cell at XFD1048576 "
        "(limit 100000 rows × 200 columns)\n"))


def test_cells_without_references_are_counted(example: Path, tmp_path: Path) -> None:
    """A row of cells with no `r` attribute: each takes the next column."""
    cells = "<c><v>1</v></c>" * 201
    book = rewrite(base(tmp_path / "a.xlsx"), tmp_path / "wide.xlsx", {
        SHEET: lambda x: x.replace("</sheetData>", f'<row r="3">{cells}</row></sheetData>')
        .replace('<dimension ref="A1:B2" />', "")})
    assert scores(book, example, tmp_path, "--lang", "en") == (2, (
        f"luoshi: {book} is too large to import: sheet '得分' has a cell at R3C201 "
        "(limit 100000 rows × 200 columns)\n"))


def test_a_giant_merged_range(example: Path, tmp_path: Path) -> None:
    book = rewrite(base(tmp_path / "a.xlsx"), tmp_path / "merge.xlsx", {
        SHEET: lambda x: x.replace('<dimension ref="A1:B2" />', "").replace(
            "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/>'
            "</mergeCells>")})
    assert scores(book, example, tmp_path, "--lang", "en") == (2, (
        f"luoshi: {book} is too large to import: sheet '得分' merges A1:XFD1048576 "
        "(limit 100000 rows × 200 columns)\n"))
    # within the sheet limits, but the ranges together cover too many cells
    many = "".join(f'<mergeCell ref="A{r}:GR{r + 999}"/>' for r in range(3, 30_000, 1000))
    book = rewrite(base(tmp_path / "a.xlsx"), tmp_path / "merges.xlsx", {
        SHEET: lambda x: x.replace("</sheetData>", f"</sheetData><mergeCells>{many}</mergeCells>")})
    assert scores(book, example, tmp_path, "--lang", "en") == (2, (
        f"luoshi: {book} is too large to import: sheet '得分' has merged ranges covering "
        "1200000 cells (limit 1000000)\n"))


def test_a_sheet_that_unpacks_to_gigabytes(example: Path, tmp_path: Path) -> None:
    """A few hundred KB on disk, 300 MB of XML inside: refused from the zip directory."""
    src = base(tmp_path / "a.xlsx")
    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != SHEET:
                zout.writestr(info.filename, zin.read(info))
                continue
            text = zin.read(info).decode("utf-8")
            head, _, tail = text.partition("</sheetData>")
            with zout.open(SHEET, "w", force_zip64=True) as fh:
                fh.write(head.encode())
                blank = b" " * (1 << 20)
                for _ in range(300):
                    fh.write(blank)
                fh.write(b"</sheetData>" + tail.encode())
    assert book.stat().st_size < 2_000_000
    assert scores(book, example, tmp_path, "--lang", "en", limit_mb=512) == (2, (
        f"luoshi: {book} is too large to import: {SHEET} unpacks to 300 MB (limit 256 MB)\n"))


def test_too_many_entries(example: Path, tmp_path: Path) -> None:
    book = rewrite(base(tmp_path / "a.xlsx"), tmp_path / "many.xlsx", {},
                   {f"xl/media/x{i}.bin": b"" for i in range(10_001)})
    assert scores(book, example, tmp_path, "--lang", "en") == (2, (
        f"luoshi: {book} is too large to import: the archive holds 10010 entries "
        "(limit 10000)\n"))


def test_lying_sizes_are_caught(example: Path, tmp_path: Path) -> None:
    """An entry whose headers declare fewer bytes than it holds is read only up to
    what it declares, and its checksum then fails."""
    book = base(tmp_path / "lie.xlsx")
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as zf:
        info = zf.getinfo(SHEET)
    real = info.file_size.to_bytes(4, "little")
    fake = (10).to_bytes(4, "little")
    name = SHEET.encode()
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while True:
            at = data.index(sig, at)
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                assert data[at + size_at:at + size_at + 4] == real
                data[at + size_at:at + size_at + 4] = fake
                break
            at += 4
    book.write_bytes(bytes(data))
    code, err = scores(book, example, tmp_path, "--lang", "en")
    assert (code, err) == (2, f"luoshi: cannot read {book}: not a valid .xlsx file "
                              f"(BadZipFile: Bad CRC-32 for file '{SHEET}')\n")


# ---- malformed workbooks -----------------------------------------------------------


def bad(tmp_path: Path, name: str, parts: dict[str, Callable[[str], str]]) -> Path:
    return rewrite(base(tmp_path / "a.xlsx"), tmp_path / name, parts)


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10))
          + "]>")
DTD = ("{book} is refused: xl/worksheets/sheet1.xml contains a DTD (<!DOCTYPE or <!ENTITY), "
       "which Excel never writes")


@pytest.mark.parametrize(("name", "parts", "en"), [
    ("laughs.xlsx", {SHEET: lambda x: LAUGHS + x.replace("<t>单位</t>", "<t>&lol9;</t>")}, DTD),
    ("entity.xlsx", {SHEET: lambda x: '<!DOCTYPE w [<!ENTITY u "崇业路街道">]>'
                     + x.replace("<t>崇业路街道</t>", "<t>&u;</t>")}, DTD),
    ("external.xlsx", {SHEET: lambda x: '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM '
                       '"file:///etc/passwd">]>' + x.replace("<t>单位</t>", "<t>&e;</t>")}, DTD),
    ("control.xlsx", {SHEET: lambda x: x.replace("<t>单位</t>", "<t>单&#1;位</t>")},
     "cannot read {book}: xl/worksheets/sheet1.xml is not well-formed XML (reference to "
     "invalid character number: line 1, column "),
    ("broken.xlsx", {SHEET: lambda x: x.replace("</sheetData>", "")},
     "cannot read {book}: xl/worksheets/sheet1.xml is not well-formed XML (mismatched tag: "),
    ("rels.xlsx", {"xl/_rels/workbook.xml.rels": lambda x: x[:-20]},
     "cannot read {book}: xl/_rels/workbook.xml.rels is not well-formed XML (unclosed token: "),
])
def test_malformed_xml(example: Path, tmp_path: Path, name: str,
                       parts: dict[str, Callable[[str], str]], en: str) -> None:
    book = bad(tmp_path, name, parts)
    code, err = scores(book, example, tmp_path, "--lang", "en")
    assert code == 2
    assert err.startswith("luoshi: " + en.format(book=book)), err
    assert err.count("\n") == 1 and "Traceback" not in err


def moved(src: Path, dst: Path, part: str, change: Callable[[str], str] = lambda x: x,
          types: bool = True, extra: dict[str, bytes] | None = None) -> Path:
    """A copy of `src` whose sheet is stored as `part` (any name: openpyxl loads the part
    workbook.xml.rels names), its XML changed by `change`; `types`: [Content_Types].xml
    names the part too (else it declares nothing for it)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info).decode("utf-8") if info.filename != SHEET else ""
            if info.filename == SHEET:
                zout.writestr(part, change(zin.read(info).decode("utf-8")))
                continue
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace("/xl/worksheets/sheet1.xml", "/" + part).replace(
                    "worksheets/sheet1.xml", "/" + part)
            elif info.filename == "[Content_Types].xml":
                data = data.replace('<Override PartName="/xl/worksheets/sheet1.xml"',
                                    f'<Override PartName="/{part}"' if types else
                                    '<Override PartName="/xl/worksheets/gone.xml"')
            zout.writestr(info.filename, data)
        for name, blob in (extra or {}).items():
            zout.writestr(name, blob)
    return dst


FAR = ('<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>boom</t></is></c></row>'
       "</sheetData>")


@pytest.mark.parametrize(("part", "types"), [
    ("xl/worksheets/sheet1.bin", True),  # named in [Content_Types].xml as a worksheet
    ("xl/worksheets/sheet1", True),  # no extension at all
    ("xl/worksheets/sheet1.bin", False),  # and not named there: a .bin of no type
])
def test_a_sheet_stored_under_another_name_is_scanned(
        example: Path, tmp_path: Path, part: str, types: bool) -> None:
    """The guard read the parts named *.xml only: a sheet stored as sheet1.bin (5 KB,
    one cell at XFD1048576) went unread and hung the import at 8.6 GB (audit)."""
    book = moved(base(tmp_path / "a.xlsx"), tmp_path / "bin.xlsx", part,
                 lambda x: x.replace("</sheetData>", FAR).replace('<dimension ref="A1:B2" />', ""),
                 types)
    assert book.stat().st_size < 6000
    assert scores(book, example, tmp_path, "--lang", "en") == (2, (
        f"luoshi: {book} is too large to import: sheet '得分' has a cell at XFD1048576 "
        "(limit 100000 rows × 200 columns)\n"))


def test_a_dtd_in_a_sheet_stored_under_another_name(example: Path, tmp_path: Path) -> None:
    """Docs: a DTD in any part is refused; one in a part not named *.xml was expanded."""
    for part, types in (("xl/worksheets/s.bin", True), ("xl/worksheets/s.bin", False),
                        ("xl/worksheets/s", True)):
        book = moved(base(tmp_path / "a.xlsx"), tmp_path / "dtd.xlsx", part,
                     lambda x: '<!DOCTYPE w [<!ENTITY u "崇业路街道">]>'
                     + x.replace("<t>崇业路街道</t>", "<t>&u;</t>"), types)
        assert scores(book, example, tmp_path, "--lang", "en") == (2, (
            f"luoshi: {book} is refused: {part} contains a DTD (<!DOCTYPE or <!ENTITY), "
            "which Excel never writes\n"))


def test_a_renamed_workbook_part_is_followed(tmp_path: Path) -> None:
    """openpyxl finds the workbook part by its content type: the guard follows it there,
    and names a sheet beyond the limits by its name, read from that part."""
    from luoshi_cli.excel.guard import WorkbookRefused, check_workbook

    src = base(tmp_path / "a.xlsx")
    book = tmp_path / "wb.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(book, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info).decode("utf-8")
            name = info.filename
            if name == "xl/workbook.xml":
                name = "book/main.dat"
            elif name == "xl/_rels/workbook.xml.rels":
                name = "book/_rels/main.dat.rels"
                data = data.replace('Target="/xl/', 'Target="../xl/')
            elif name == "[Content_Types].xml":
                data = data.replace('PartName="/xl/workbook.xml"', 'PartName="/book/main.dat"')
            elif name == "_rels/.rels":
                data = data.replace("xl/workbook.xml", "book/main.dat")
            elif name == SHEET:
                data = data.replace("</sheetData>", FAR)
            zout.writestr(name, data)
    assert openpyxl.load_workbook(book, read_only=True).sheetnames == ["得分"]
    with pytest.raises(WorkbookRefused) as exc:
        check_workbook(book)
    assert exc.value.label.en == (f"{book} is too large to import: sheet '得分' has a cell at "
                                  "XFD1048576 (limit 100000 rows × 200 columns)")


def test_binary_parts_are_no_reason_to_refuse(example: Path, tmp_path: Path, cli: Any) -> None:
    """Images and printer settings are not XML: read, they end where expat fails, and
    the workbook imports (a DTD's bytes inside a picture are no DTD)."""
    book = rewrite(base(tmp_path / "a.xlsx"), tmp_path / "pic.xlsx", {
        "[Content_Types].xml": lambda x: x.replace(
            "<Default ", '<Default Extension="png" ContentType="image/png"/><Default '
            'Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.printerSettings"/><Default ', 1)}, {
        "xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        "xl/printerSettings/printerSettings1.bin": b"\x00\x01<!DOCTYPE x>" + bytes(2000),
        "xl/media/image2.jpeg": b"\xff\xd8\xff\xe0<!ENTITY" + bytes(100)})
    (example / "records" / "2021-Q2.yaml").unlink()
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "-o", tmp_path / "o.yaml")
    assert r.exit_code == 0, r.stderr


def test_a_dtd_is_refused_in_chinese(example: Path, tmp_path: Path) -> None:
    book = bad(tmp_path, "e.xlsx", {SHEET: lambda x: "<!DOCTYPE w>" + x})
    assert scores(book, example, tmp_path) == (2, (
        f"luoshi: 拒绝导入 {book}：xl/worksheets/sheet1.xml 含有 DTD（<!DOCTYPE 或 <!ENTITY），"
        "Excel 从不写这种内容\n"))


def test_not_a_workbook_at_all(example: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_text("单位,hotline\n崇业路街道,88\n", encoding="utf-8")
    assert scores(junk, example, tmp_path, "--lang", "en") == (2, (
        f"luoshi: cannot read {junk}: not a valid .xlsx file (not a zip archive)\n"))
    # an encrypted workbook is an OLE compound file, as an old .xls is
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"EncryptionInfo")
    assert scores(locked, example, tmp_path, "--lang", "en") == (2, (
        f"luoshi: cannot read {locked}: it is a password-protected (encrypted) workbook or an "
        "old .xls file: remove the password and save it as .xlsx in Excel/WPS first\n"))
    assert scores(locked, example, tmp_path) == (2, (
        f"luoshi: 无法读取 {locked}：这是加密（设了打开密码）的工作簿或旧版 .xls 文件：请在 Excel/WPS 中"
        "去掉密码并“另存为” .xlsx 后再导入\n"))
    # a zip that is no workbook
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hello")
    code, err = scores(other, example, tmp_path, "--lang", "en")
    assert (code, err.startswith(f"luoshi: cannot read {other}: not a valid .xlsx file (")) == (
        2, True)
    assert err.count("\n") == 1


def test_a_good_workbook_still_imports(example: Path, tmp_path: Path, cli: Any) -> None:
    """The checks pass ordinary sheets, merged headers included."""
    from luoshi_cli.excel import guard

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "2021年第二季度得分"
    ws.merge_cells("A1:C1")
    ws.append(["单位", "hotline", "service"])
    ws.append(["崇业路街道", 88, 90])
    wb.save(tmp_path / "ok.xlsx")
    guard.check_workbook(tmp_path / "ok.xlsx")
    out = tmp_path / "ok.yaml"
    (example / "records" / "2021-Q2.yaml").unlink()
    r = cli("import", "scores", tmp_path / "ok.xlsx", example, "--period", "2021-Q2", "-o", out)
    assert r.exit_code == 0, r.stderr


def test_limits_are_generous_for_real_offices() -> None:
    from luoshi_cli.excel import guard

    assert (guard.MAX_ROWS, guard.MAX_COLS) == (100_000, 200)
    assert guard.MAX_TOTAL_BYTES >= 256 * 1024 * 1024
    assert guard.parse_range("A1:GR100000") == (1, 1, 100_000, 200)
    assert guard.parse_range("$B$2") == (2, 2, 2, 2)
    assert guard.parse_range("nonsense") is None


def test_import_tasks_is_guarded_too(cli: Any, example: Path, tmp_path: Path) -> None:
    book = rewrite(base(tmp_path / "a.xlsx"), tmp_path / "t.xlsx", {
        SHEET: lambda x: x.replace("</row></sheetData>", '<c r="GS2"><v>1</v></c></row>'
                                   "</sheetData>")})
    r = cli("import", "tasks", book, example, "-o", tmp_path / "t.yaml")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {book} 过大，拒绝导入：工作表“得分”在 GS2 有单元格（上限 100000 行 × 200 列）\n"))


def test_a_column_map_that_is_a_device_is_refused(example: Path, tmp_path: Path) -> None:
    """`--map /dev/zero` read the device until memory ran out; a FIFO blocked forever.
    A column map is a few lines of YAML: anything but a small regular file is refused
    before it is opened."""
    book = base(tmp_path / "a.xlsx")
    code, err, took = run("import", "tasks", book, example, "--map", "/dev/zero",
                          "-o", tmp_path / "t.yaml", "--lang", "en", limit_mb=512)
    assert (code, err) == (2, "luoshi: /dev/zero is not a small regular file: --map takes a "
                              "few lines of YAML mapping fields to column headers\n")
    assert took < 10 and not (tmp_path / "t.yaml").exists()


_TRICKY = st.sampled_from(list("a 甲\n\r\t\x85\u2028\u2029'\"#:-&*!|>%@`{}[],?\\\ufeff\x00\x1b"))


@settings(max_examples=400, deadline=None)
@given(st.text(_TRICKY | st.characters(codec="utf-8"), max_size=12))
def test_text_written_to_the_ledger_reads_back_alike_in_both_yaml_versions(text: str) -> None:
    """What the importers write (`yamlout.dump`, nested as an update's note is) reads
    back as the same text by PyYAML (YAML 1.1, the in-place check) and by yaml-rs
    (YAML 1.2, luoshi's reader).  A U+2028 typed into 本月进展 was written single-quoted
    and folded: '第一行\u2028      第二行' for yaml-rs, so status showed six spaces
    and the same sheet imported again was refused as another unit's report (audit)."""
    import yaml
    import yaml_rs

    from luoshi_cli.excel.yamlout import dump

    data = {"a": text, "tasks": [{"updates": [{"note": text, "list": [text, {"k": [text]}]}],
                                  "m": [[text, [text]]], text or "k": [{text or "k": [text]}]}]}
    out = dump(data)
    assert yaml_rs.loads(out) == data, out
    assert yaml.safe_load(out) == data, out


def _field(low: int, high: int) -> Any:
    """A date's or a time's field: a value in range, zero-padded or not, or any digits."""
    return st.one_of(st.integers(low, high).map(lambda n: f"{n:02d}"),
                     st.integers(low, high).map(str), st.text("0123456789", min_size=1,
                                                              max_size=3))


@st.composite
def _date_times(draw: Any) -> str:
    """Text that reads like a date and a time (2024-05-06 10:00, 2024-5-6T9:00:00.5Z…)."""
    text = (f"{draw(st.integers(1000, 2999))}-{draw(_field(1, 12))}-{draw(_field(1, 28))}"
            f"{draw(st.sampled_from(['T', 't', ' ', '  ', chr(9), '', '_']))}"
            f"{draw(_field(0, 23))}:{draw(_field(0, 59))}")
    if draw(st.booleans()):
        text += f":{draw(_field(0, 59))}" + draw(st.sampled_from(["", ".", ".5", ".123456"]))
    return text + draw(st.sampled_from(["", "Z", "z", " Z", "+08", "+08:00", " +8", "-05:30",
                                        " 会议", "开会"]))


@settings(max_examples=400, deadline=None)
@given(_date_times())
def test_date_and_time_text_is_written_so_that_yaml_rs_keeps_it_text(text: str) -> None:
    """yaml-rs (YAML 1.2, luoshi's reader) reads a plain `2024-05-06 10:00` as a datetime,
    where PyYAML (YAML 1.1) needs the seconds: a cell holding it was written plain and
    `validate` gave LS017 right after the import (audit).  Whatever `dump` writes plain,
    yaml-rs reads as the same text; a quoted one is text for luoshi's reader too (the
    trap is settled by its quotes, tests/test_traps.py) and PyYAML reads it back."""
    import yaml
    import yaml_rs

    from luoshi_cli.excel.yamlout import dump

    out = dump({"a": text})
    assert yaml.safe_load(out) == {"a": text}, out
    if out[3] not in "'\"":
        assert yaml_rs.loads(out) == {"a": text}, out


def test_a_date_and_time_typed_in_a_cell_is_quoted() -> None:
    from luoshi_cli.excel.yamlout import dump

    assert dump([{"note": "2024-05-06 10:00", "standard": "2024-05-06T10:00+08:00"}]) == \
        "- note: '2024-05-06 10:00'\n  standard: '2024-05-06T10:00+08:00'\n"


def test_a_line_separator_in_a_note_is_written_as_an_escape() -> None:
    from luoshi_cli.excel.yamlout import dump

    assert dump([{"updates": [{"note": "第一行\u2028第二行"}]}]) == \
        '- updates:\n    - note: "第一行\\L第二行"\n'


@pytest.mark.parametrize(("cells", "named"), [
    ({"A1": "x", "B1": "=1+1", "A2": "y"}, "B1"),  # the last cell of its row
    ({"A1": "x", "B2": "=1+1"}, "B2"),  # the last cell of the sheet
    ({"C3": "=1+1", "D3": 1, "A4": "=2"}, "C3"),  # the first such cell is named
])
def test_a_formula_without_a_saved_value_is_named_at_its_cell(
        tmp_path: Path, cells: dict[str, Any], named: str) -> None:
    """The guard names the cell as its row and column are read (it is not rebuilt
    for every cell): a formula in the last cell of a row, followed by the next row."""
    from luoshi_cli.excel.guard import check_workbook

    path = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    for ref, value in cells.items():
        wb.active[ref] = value
    wb.save(path)
    assert check_workbook(path).uncached == ("表", named)


def test_a_hidden_sheet_of_an_old_xls_stays_hidden() -> None:
    """python-calamine reads an .xls into an openpyxl workbook of values: the sheet's
    visibility was dropped, so a hidden sheet of a returned .xls was read as a report.
    (The fixture was written by xlwt: 本月填报 visible, 隐藏 hidden.)"""
    from luoshi_cli.excel.sheet import open_workbook, read_grid

    wb = open_workbook(Path(__file__).parent / "fixtures/excel/hidden-sheet.xls")
    assert [(ws.title, ws.sheet_state) for ws in wb.worksheets] == [
        ("本月填报", "visible"), ("隐藏", "hidden")]
    assert read_grid(wb, "隐藏").hidden and not read_grid(wb, "本月填报").hidden
