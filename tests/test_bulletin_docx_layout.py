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


# ---- column widths and the components of a wide scheme ------------------------------------

#: the page's text width in twips: A4 less the 28 and 26 mm margins, 156 mm
TEXT = round(156 / 25.4 * 1440)


def _widths(table: Any) -> list[int]:
    """A Word table's column widths (twips): its grid, which every cell repeats."""
    grid = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
    for row in table.rows:
        assert [int(tc.tcPr.find(f"{W}tcW").get(f"{W}w")) for tc in row._tr.tc_lst] == grid
    return grid


def test_column_widths_follow_the_content() -> None:
    """Hand-computed (an em is 210 twips, 10.5 pt; a cell adds 236 twips: 2 × 108 of
    margins and 20 for the rules; a digit is half an em):
    序号 (figure): header 2 em, "1" 0.5 em → least and natural 2 em = 656;
    任务: 60 Chinese characters, natural capped at 40 em = 8636, least 4 em = 1076;
    得分 (figure): "94.50" 2.5 em = 761, least too.  Natural 10,053 > 8,844: each
    column its least (2,493 in all) and the text column the rest, 1,076 + 6,351 =
    7,427.  Everything fitting (状态 "任务数" 3 em = 866, 合计 2 em = 656): widened in
    proportion to fill the page, 866 × 8844 / 1522 = 5032.1 and 656 × 8844 / 1522 =
    3811.8, whole twips 5,032 and 3,811, the one left to the widest."""
    from luoshi_cli.report.bulletin.docx import TEXT_WIDTH, column_widths

    assert TEXT_WIDTH == TEXT == 8844
    assert column_widths(["序号", "任务", "得分"], [["1", "一二三四五六七八九十" * 6, "94.50"]],
                         (0, 2)) == [656, 7427, 761]
    assert column_widths(["状态", "合计"], [["任务数", "12"]], (1,)) == [5033, 3811]


def test_the_task_tables_columns_are_as_wide_as_their_content(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """渭南 Q2: python-docx split the page evenly (序号, 任务 and 最新进展 19.5 mm
    each of eight columns, 1,105 twips); now 序号 takes two characters (656 twips,
    11.6 mm) and the text columns what is left, every table the page's width, laid
    out fixed (Word, WPS and LibreOffice keep the widths)."""
    doc = _bulletin(cli, EXAMPLE, tmp_path / "b.docx")
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in doc.tables}
    tasks = _widths(tables[("序号", "任务", "牵头单位", "包抓领导", "进度/序时", "状态", "亮灯",
                            "最新进展")])
    assert tasks[0] == 656
    assert tasks[1] > 1400 and tasks[7] > 1400  # 任务 and 最新进展: over 24.7 mm
    assert tasks[6] == 656  # 亮灯: 红灯/黄灯/绿灯, two characters
    for t in doc.tables:
        assert sum(_widths(t)) == TEXT
        assert t._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
        assert t._tbl.tblPr.find(f"{W}tblW").get(f"{W}w") == str(TEXT)


def _wide(root: Path) -> Path:
    """A scheme of ten first-level components (audit: one 16-column ranking table,
    9.8 mm a column, where '94.50' needs 9.3 mm and the cell margins 3.8 mm more)."""
    shutil.copytree(EXAMPLE, root)
    names = [f"第{i}项考核指标名称较长的内容" for i in range(10)]
    (root / "scheme.yaml").write_text(
        "id: s\ntitle: 测试考核办法\ncadence: quarterly\nrounding: {places: 2}\ncomponents:\n"
        + "".join(f"  - {{id: c{i}, name: {n}, weight: 10}}\n" for i, n in enumerate(names))
        + "grades:\n  - {name: 优秀, min: 90}\n  - {name: 良好, min: 80}\n"
          "  - {name: 一般, min: 0}\ninterview_bottom: 1\n", encoding="utf-8")
    for rec in (root / "records").iterdir():
        rec.unlink()
    (root / "records" / "2021-Q2.yaml").write_text(
        "period: 2021-Q2\nscores:\n"
        "  guijianju: {" + ", ".join(f"c{i}: {90 + i}" for i in range(10)) + "}\n"
        "  jingfaju: {" + ", ".join(f"c{i}: 80" for i in range(10)) + "}\n",
        encoding="utf-8")
    return root


def test_a_wide_schemes_components_follow_the_ranking_in_tables_of_five(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """As the HTML and PDF: more than four first-level components, and the ranking
    table has none of them (名次 单位 扣分 得分 等次 备注); two tables of five follow it,
    单位 and the components' scores.  规划建设局 (90…99: 94.50) first, 经济发展局
    (80 each) second; '94.50' (2.5 em, 761 twips with the cell's margins) fits its
    column in every table."""
    root = _wide(tmp_path / "wide")
    doc = _bulletin(cli, root, tmp_path / "wide.docx")
    cells = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    i = next(k for k, t in enumerate(cells) if t[0][0] == "名次")
    first, second = "规划建设局", "经济发展局"
    assert cells[i] == [["名次", "单位", "扣分", "得分", "等次", "备注"],
                        ["1", first, "0.00", "94.50", "优秀", ""],
                        ["2", second, "0.00", "80.00", "良好", "约谈"]]
    assert cells[i + 1] == [["单位", *(f"第{k}项考核指标名称较长的内容" for k in range(5))],
                            [first, "90.00", "91.00", "92.00", "93.00", "94.00"],
                            [second, "80.00", "80.00", "80.00", "80.00", "80.00"]]
    assert cells[i + 2] == [["单位", *(f"第{k}项考核指标名称较长的内容" for k in range(5, 10))],
                            [first, "95.00", "96.00", "97.00", "98.00", "99.00"],
                            [second, "80.00", "80.00", "80.00", "80.00", "80.00"]]
    for t in doc.tables[i:i + 3]:
        widths = _widths(t)
        assert sum(widths) == TEXT
        assert min(widths) >= 656
    assert _widths(doc.tables[i])[3] >= 761  # 得分
    assert all(w >= 761 for w in _widths(doc.tables[i + 1])[1:])


def _keeps(row: Any) -> list[bool]:
    """Whether each paragraph of a table row is kept with the next (`w:keepNext`)."""
    return [p._p.pPr is not None and p._p.pPr.find(f"{W}keepNext") is not None
            for cell in row.cells for p in cell.paragraphs]


def test_the_last_table_row_is_kept_with_the_signature(cli: Callable[..., Run],
                                                       tmp_path: Path) -> None:
    """The 渭南 bulletin ends in the 负面清单 table: keep-with-next was set on the last
    paragraph before that table, so Word could leave the 落款 alone on the last page.
    Every paragraph of the table's last row is kept with the next (`w:keepNext`), the
    rows before it are not, and the signature follows the table."""
    doc = _bulletin(cli, EXAMPLE, tmp_path / "b.docx")
    body = list(doc.element.body)
    table = doc.tables[-1]
    after = body[body.index(table._tbl) + 1:]
    assert [el.tag for el in after][:3] == [f"{W}p"] * 3
    assert "".join(t.text or "" for t in after[1].iter(f"{W}t")) == \
        "渭南高新区目标任务考核领导小组办公室"
    assert table.rows[-1].cells[1].text == "龙背街道"
    assert _keeps(table.rows[-1]) == [True] * 6
    assert not any(k for row in table.rows[:-1] for k in _keeps(row))
    for other in doc.tables[:-1]:
        assert not any(k for row in other.rows for k in _keeps(row))
