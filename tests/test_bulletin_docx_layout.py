"""Issue 16: the Word bulletin's fonts (every script slot set, a fallback in the font
table) and its 版记 between horizontal rules (GB/T 9704 §7.4/7.5: first and last thick,
between thin), read back from the .docx with python-docx and zipfile."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE, Run

docx = pytest.importorskip("docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _bulletin(cli: Callable[..., Run], root: Path, out: Path, *extra: str) -> Any:
    r = cli("bulletin", root, "--quarter", "Q2", "--date", "2021-07-05", "-o", out, *extra)
    assert r.exit_code == 0, r.stderr
    return docx.Document(str(out))


def test_styles_set_every_font_slot(cli: Callable[..., Run], tmp_path: Path) -> None:
    doc = _bulletin(cli, EXAMPLE, tmp_path / "b.docx")

    def slots(style: str) -> dict[str, str]:
        fonts = doc.styles[style].element.rPr.find(f"{W}rFonts")
        return {k.removeprefix(W): v for k, v in fonts.attrib.items()}

    latin = {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "cs": "Times New Roman",
             "hint": "eastAsia"}
    assert slots("Normal") == {**latin, "eastAsia": "仿宋"}
    assert slots("通报标题") == {**latin, "eastAsia": "方正小标宋简体"}
    assert slots("红头") == {**latin, "eastAsia": "方正小标宋简体"}
    assert slots("Heading 1") == {**latin, "eastAsia": "黑体"}
    assert slots("版记") == {**latin, "eastAsia": "仿宋"}


def test_font_table_names_the_fallbacks(cli: Callable[..., Run], tmp_path: Path) -> None:
    from lxml import etree

    out = tmp_path / "b.docx"
    _bulletin(cli, EXAMPLE, out)
    with zipfile.ZipFile(out) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
    fonts = {f.get(f"{W}name"): {c.tag.removeprefix(W): c.get(f"{W}val") for c in f}
             for f in table.iter(f"{W}font")}
    assert fonts["仿宋"] == {"altName": "仿宋_GB2312", "panose1": "02010609060101010101",
                            "charset": "86", "family": "modern", "pitch": "fixed"}
    assert fonts["黑体"]["altName"] == "SimHei"
    assert fonts["方正小标宋简体"] == {"altName": "方正小标宋_GBK",
                                 "panose1": "02010600030101010101", "charset": "86",
                                 "family": "roman", "pitch": "variable"}
    assert "Times New Roman" in fonts  # the template's own entries are kept


def _rules(p: Any) -> dict[str, str]:
    ppr = p._p.pPr
    bdr = None if ppr is None else ppr.find(f"{W}pBdr")
    if bdr is None:
        return {}
    return {b.tag.removeprefix(W): b.get(f"{W}sz") for b in bdr}


def test_banji_lines_sit_between_thick_and_thin_rules(cli: Callable[..., Run],
                                                      tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    cfg = root / "luoshi.yaml"
    base = cfg.read_text(encoding="utf-8")
    cfg.write_text(base + "cc: 区委办公室，区政府办公室\nprinted_by: 渭南高新区考核办\n",
                   encoding="utf-8")
    doc = _bulletin(cli, root, tmp_path / "both.docx")
    last = doc.paragraphs[-2:]
    assert [(p.style.name, p.text) for p in last] == [
        ("版记", "抄送：区委办公室，区政府办公室。"), ("版记", "渭南高新区考核办　　2021年7月5日印发")]
    assert [_rules(p) for p in last] == [{"top": "8", "bottom": "6"}, {"bottom": "8"}]
    for p in last:
        for b in p._p.pPr.find(f"{W}pBdr"):
            assert b.get(f"{W}val") == "single"
    # one line only: thick above and below
    cfg.write_text(base + "printed_by: 渭南高新区考核办\n", encoding="utf-8")
    one = _bulletin(cli, root, tmp_path / "one.docx")
    assert one.paragraphs[-1].text == "渭南高新区考核办　　2021年7月5日印发"
    assert _rules(one.paragraphs[-1]) == {"top": "8", "bottom": "8"}
    # none configured: no rules at all, the signature ends the document
    plain = _bulletin(cli, EXAMPLE, tmp_path / "plain.docx")
    assert plain.paragraphs[-1].style.name == "落款"
    assert all(_rules(p) == {} for p in plain.paragraphs[-3:])


def test_table_rows_written_in_batches_and_as_zip64(cli: Callable[..., Run],
                                                    tmp_path: Path) -> None:
    """The body rows of a table are made into the compressed document.xml a batch at a
    time (`_Rows.xml`); a document.xml past 2 GiB is written again as zip64.  Both ways
    give the very rows, in order, across batch boundaries: 2,500 rows in batches of
    1,000 (and the text's XML escaped), and the zip64 copy reads back the same."""
    import io

    from luoshi_cli.report.bulletin.docx import _fixed_zip, _Rows

    out = tmp_path / "b.docx"
    _bulletin(cli, EXAMPLE, out)
    data = out.read_bytes()
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml")
    marker = b"</w:body>"  # a table's marker placed at the end of the body
    with zipfile.ZipFile(io.BytesIO(data)) as z, zipfile.ZipFile(
            buf := io.BytesIO(), "w") as w:
        for info in z.infolist():
            body = z.read(info.filename)
            if info.filename == "word/document.xml":
                body = body.replace(marker, b"<!--luoshi-rows-0-->" + marker)
            w.writestr(info, body)
    rows = [[str(i), f"<{i}&>"] for i in range(2500)]
    table = _Rows(["<w:p><w:r><w:t>", "</w:t><w:t>", "</w:t></w:r></w:p>"], rows)
    assert len(list(table.xml())) == 3
    for zip64 in (False, True):
        fixed = _fixed_zip(buf.getvalue(), [table], zip64=zip64)
        with zipfile.ZipFile(io.BytesIO(fixed)) as z:
            got = z.read("word/document.xml")
        added = got.removeprefix(xml.split(marker)[0]).removesuffix(
            marker + xml.split(marker)[1])
        assert added == "".join(f"<w:p><w:r><w:t>{i}</w:t><w:t>&lt;{i}&amp;&gt;</w:t></w:r>"
                                "</w:p>" for i in range(2500)).encode()
        doc = docx.Document(io.BytesIO(fixed))
        assert doc.paragraphs[-1].text == "2499<2499&>"
