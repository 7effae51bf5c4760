"""The Word bulletin (.docx): built from the same context as the templates.

Contents: what the default Markdown template prints, section by section, sentence by
sentence and column by column (`_Writer`), so a reader of the Word edition misses
nothing the Markdown and HTML editions say; tests/test_bulletin_docx_contents.py
compares the two whole.

Why Word: offices finish a document in WPS/Word before issuing it.  So the file uses
named styles an office can edit once for the whole document — 正文 (Normal), 密级,
通报标题, 红头, 文号, 主送, 一级标题 (Heading 1), （一） headings (Heading 2), a ranking
group's name (Heading 3), 落款, 表格文字, 表格数字 and the table style — rather than
direct formatting, and the GB/T 9704 fonts: 小标宋 title, 黑体 headings, 楷体 second
level headings, 仿宋 body.  Same context, same bytes: the core properties carry no clock.

Fonts.  Word and WPS have no font stacks like CSS: a run names one font per script
slot.  Every style sets all of them explicitly — `w:ascii`/`w:hAnsi` (Latin, digits)
Times New Roman, `w:eastAsia` (Chinese) the GB/T 9704 font by the name Windows and
WPS install it under (仿宋, 黑体, 楷体, 方正小标宋简体), with `w:hint="eastAsia"` so that
shared punctuation is set in the Chinese font.  The fallback goes where Word keeps
it, in the font table (word/fontTable.xml): each Chinese font gets one `w:altName`,
the other name offices install it under (仿宋_GB2312 for 仿宋, 方正小标宋_GBK for
方正小标宋简体, SimHei for 黑体, 楷体_GB2312 for 楷体), and the GB2312 charset (86),
family, pitch and PANOSE numbers that Word's substitution matches when neither name is installed —
so a machine without 小标宋 shows a Song (宋体) face, not Calibri.  LibreOffice and
WPS on Linux fall back through fontconfig to Noto CJK.

The 版记 (抄送, 印发) closes the document between horizontal rules, GB/T 9704 §7.4/7.5:
the first and the last thick (0.35 mm), the ones between thin (0.25 mm) — paragraph
borders of the 版记 style, which Word and WPS keep when the text is edited.

python-docx is the optional extra `docx` (`pip install '.[docx]'`); without it, a one-line error
that says how to install it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from operator import add, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from ...core.codes import L
from ...core.errors import LuoshiError
from ...core.labels import STATUS, counted, install_hint, quoted
from ...core.safetext import document_lines, escaped_copy, printable
from .words import pct

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

#: GB/T 9704 fonts (Windows / WPS names); the font table says how to fall back
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUB_FONT = "楷体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"
#: font table entries: the other installed name (w:altName), and what Word's
#: substitution matches when neither is there (PANOSE, family, pitch; charset 86 =
#: GB2312)
FONT_TABLE = {
    BODY_FONT: ("仿宋_GB2312", "02010609060101010101", "modern", "fixed"),
    HEADING_FONT: ("SimHei", "02010609060101010101", "modern", "fixed"),
    SUB_FONT: ("楷体_GB2312", "02010609060101010101", "modern", "fixed"),
    TITLE_FONT: ("方正小标宋_GBK", "02010600030101010101", "roman", "variable"),
}
#: 已完成, the templates' head of the finished-tasks column: the status word, kept in
#: core/labels.py with the others
DONE = STATUS["done"].zh
#: 版记 rules in eighths of a point: 0.35 mm ≈ 1 pt, 0.25 mm ≈ 0.75 pt
THICK, THIN = "8", "6"
RED = (0xC0, 0x00, 0x00)


class NoPythonDocx(LuoshiError):
    """docx needs python-docx, which is not installed (exit 2)."""


def _set_font(style_or_run: Any, east_asia: str, size: float | None = None,
              bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)  # a theme font wins over a named one
    for slot in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{slot}"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _styles(doc: Document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    _set_font(normal, BODY_FONT, 16)  # 三号仿宋
    pf = normal.paragraph_format
    pf.first_line_indent = Pt(32)
    pf.line_spacing = Pt(28)
    pf.space_after = Pt(0)
    h1 = doc.styles["Heading 1"]
    _set_font(h1, HEADING_FONT, 16, bold=False)
    h1.font.color.rgb = RGBColor(0, 0, 0)
    h1.paragraph_format.first_line_indent = Pt(32)
    h1.paragraph_format.space_before = Pt(0)
    h1.paragraph_format.space_after = Pt(0)
    h1.paragraph_format.keep_with_next = True
    # （一） headings in 楷体, a ranking group's name in bold 仿宋 (GB/T 9704 §7.3.3's
    # second and third levels)
    for name, font, bold in (("Heading 2", SUB_FONT, False), ("Heading 3", BODY_FONT, True)):
        h = doc.styles[name]
        _set_font(h, font, 16, bold=bold)
        h.font.italic = False
        h.font.color.rgb = RGBColor(0, 0, 0)
        h.paragraph_format.first_line_indent = Pt(32)
        h.paragraph_format.space_before = Pt(0)
        h.paragraph_format.space_after = Pt(0)
        h.paragraph_format.keep_with_next = True

    def add(name: str, font: str, size: float, align: Any, red: bool = False) -> None:
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        _set_font(st, font, size)
        st.paragraph_format.alignment = align
        st.paragraph_format.first_line_indent = Pt(0)
        if red:
            st.font.color.rgb = RGBColor(*RED)

    add("红头", TITLE_FONT, 26, WD_ALIGN_PARAGRAPH.CENTER, red=True)
    add("文号", BODY_FONT, 16, WD_ALIGN_PARAGRAPH.CENTER)
    add("通报标题", TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER)
    add("落款", BODY_FONT, 16, WD_ALIGN_PARAGRAPH.RIGHT)
    add("密级", HEADING_FONT, 16, WD_ALIGN_PARAGRAPH.LEFT)  # 内部资料 注意保存, top left
    add("主送", BODY_FONT, 16, WD_ALIGN_PARAGRAPH.LEFT)  # 各有关单位：, flush left
    add("表格文字", BODY_FONT, 10.5, WD_ALIGN_PARAGRAPH.LEFT)
    add("表格数字", BODY_FONT, 10.5, WD_ALIGN_PARAGRAPH.RIGHT)  # figures, as md aligns them
    add("版记", BODY_FONT, 14, WD_ALIGN_PARAGRAPH.LEFT)  # 4号仿宋 (GB/T 9704 §7.4)
    doc.styles["落款"].paragraph_format.keep_with_next = True
    doc.styles["表格文字"].paragraph_format.line_spacing = Pt(14)
    doc.styles["表格数字"].paragraph_format.line_spacing = Pt(14)
    doc.styles["版记"].paragraph_format.left_indent = Pt(14)
    doc.styles["版记"].paragraph_format.right_indent = Pt(14)


def _rules(p: Paragraph, top: str | None, bottom: str | None) -> None:
    """Horizontal rules above and below a 版记 line (w:sz in eighths of a point)."""
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    for side, size in (("top", top), ("bottom", bottom)):
        if size is not None:
            borders.append(borders.makeelement(qn(f"w:{side}"), {
                qn("w:val"): "single", qn("w:sz"): size, qn("w:space"): "1",
                qn("w:color"): "000000"}))
    ppr.append(borders)


def _red_rule(p: Paragraph) -> None:
    """The red line under the 文号 (版头分隔线)."""
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "12",
                                                  qn("w:space"): "4", qn("w:color"): "C00000"})
    borders.append(bottom)
    ppr.append(borders)


def _page_numbers(doc: Document) -> None:
    """— 1 — at the foot of every page (a PAGE field Word and WPS update)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = 0
    p.add_run("— ")
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = p.add_run()
        if kind is not None:
            fld = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            fld = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            fld.text = text
        run._r.append(fld)
    p.add_run(" —")


#: what XML 1.0 has no character for and `printable()` leaves alone (lxml refuses it)
_NOT_XML = re.compile("[\ufffe\uffff]")


def _word_text(text: str) -> str:
    """Ledger text as a reader should see it in Word: it is written into the
    document by python-docx, not through a template's escaping, so a control
    character (ESC, BEL: not XML, python-docx raises on them) or a bidi override
    (U+202E reverses what the reader sees) is escaped visibly here, as the Markdown
    and HTML bulletins show it.  A line break stays one (`document_lines`): python-docx
    writes it as a Word line break, and so does `_xml_text` in a table's cells."""
    lines = document_lines(text)
    shown = printable(text) if lines is None else "\n".join(map(printable, lines))
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", shown)


#: where a cell's text goes in the XML of a table's model row (a private-use
#: character; ledger text holding it is harmless: it is put in after the split)
_CELL = "\ue000"
#: the namespace declarations lxml writes on an element serialized alone; the
#: document's root declares them
_NSDECL = re.compile(r' xmlns:\w+="[^"]*"')
_ROWS = re.compile(rb"<!--luoshi-rows-(\d+)-->")
#: a cell paragraph's style, where its `w:keepNext` goes (next in `w:pPr`'s order)
_KEEP_NEXT = re.compile(r"(<w:pStyle [^>]*/>)")


def _xml_text(text: str) -> str:
    """A cell's text in the run's `<w:t>`; a line break (`_word_text` keeps them) ends
    the text, breaks the line and starts the text again, as python-docx writes it."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\n" in out:
        out = out.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    return out


class _Rows(NamedTuple):
    """A table's body rows (`_Writer.table`): the XML of its model row split where
    each cell's text goes, and the cells' text of every row."""

    parts: list[str]
    rows: Sequence[Sequence[str]]
    #: the last row's paragraphs kept with the next paragraph (`w:keepNext`): the
    #: table ends the text, and its last row goes over the page with the signature
    keep_last: bool = False

    def xml(self, batch: int = 1000) -> Iterator[bytes]:
        """The rows as XML, UTF-8, a batch of rows at a time."""
        first, rest = self.parts[0], self.parts[1:]
        out: list[str] = []
        final = len(self.rows) - 1 if self.keep_last else -1
        for n, row in enumerate(self.rows):
            if n == final:
                first, *rest = (_KEEP_NEXT.sub(r"\1<w:keepNext/>", p) for p in self.parts)
            out.append(first)
            for text, part in zip(row, rest, strict=True):
                out.append(_xml_text(text))
                out.append(part)
            if len(out) >= batch * len(self.parts) * 2:
                yield "".join(out).encode("utf-8")
                out.clear()
        if out:
            yield "".join(out).encode("utf-8")


def _s(value: Any) -> str:
    """A context value as the Markdown template prints it: None is nothing."""
    return "" if value is None else str(value)


#: the width of the tables: the A4 page less the GB/T 9704 margins (28 + 26 mm), in
#: twentieths of a point (twips), the unit of w:gridCol and w:tcW
TEXT_WIDTH = round((210 - 28 - 26) / 25.4 * 1440)
#: one em of the tables' 10.5 pt text (五号) in twips: a Chinese character's width; a
#: digit or Latin letter (Times New Roman) takes about half
EM = 210
#: what a cell adds around its text: the Table Grid style's left and right cell
#: margins (108 twips each) and a little for the rules between cells
CELL_PAD = 2 * 108 + 20
#: a column's text counted up to this many ems: a longer text wraps in any width
WIDE_EM = 40.0
#: a figure column (right-aligned) never narrower than its widest figure, up to this
#: (a progress cell may add a target in words, which wraps); a text column wraps down
#: to this, or its header's first two characters
FIGURE_EM, TEXT_EM, HEAD_EM = 8.0, 4.0, 2.0
#: a ranking table with more first-level components than this does not fit the page
#: with them: as the HTML and PDF (templates' `many`), the ranking is printed without
#: them, and the components follow in tables of `COMPONENTS_PER_TABLE`
MAX_COMPONENTS_INLINE = 4
COMPONENTS_PER_TABLE = 5


def _em(text: str) -> float:
    """`text`'s width in ems of the table font on one line, up to `WIDE_EM`: a
    character outside ASCII (Chinese, full-width punctuation: 3 bytes of UTF-8) one
    em, an ASCII one half — (characters + UTF-8 bytes) / 4."""
    return min(WIDE_EM, (len(text) + len(text.encode("utf-8"))) / 4)


def _widest(texts: Sequence[str]) -> float:
    """The largest `_em` of `texts`, counted by built-ins alone: a monthly bulletin of
    100,000 tasks measures 800,000 cells (0.2 s; 0.35 s through `_em` one by one)."""
    if not texts:
        return 0.0
    most: int = max(map(add, map(len, texts), map(len, map(str.encode, texts))))
    return min(WIDE_EM, most / 4)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]],
                  figures: Sequence[int] = (), total: int = TEXT_WIDTH) -> list[int]:
    """The columns' widths in twips, adding up to `total`, in proportion to what they
    hold — as a browser lays out the HTML bulletin's tables: a column of figures or
    short words (序号, 扣分, 等次) as wide as its widest cell on one line, a column of
    text (任务, 最新进展) taking what is left.

    python-docx gives every column the same share of the page (序号 as wide as 最新进展:
    19.5 mm each of eight), and Word keeps those widths.  Here each column has a
    natural width (its widest cell or header on one line, up to `WIDE_EM`) and a
    least width (a figure column its widest figure, up to `FIGURE_EM`; a text column
    `TEXT_EM`, or less if its text is shorter; never under the first two characters
    of its header); when the natural widths fit they are widened in proportion to
    fill the page, else each column gets its least width and the text columns the
    rest of the page in proportion to how much more each would take (a figure is
    whole at its least width: only its header would wrap less).  Past even the least
    widths (many columns), they are scaled down together."""
    count = len(header)
    natural, least = [], []
    for i in range(count):
        head = _em(header[i])
        body = _widest(list(map(itemgetter(i), rows)))
        nat = max(head, body)
        low = min(body, FIGURE_EM) if i in figures else min(nat, TEXT_EM)
        least.append(max(low, min(head, HEAD_EM)) * EM + CELL_PAD)
        natural.append(nat * EM + CELL_PAD)
    if sum(natural) <= total:
        widths = [n * total / sum(natural) for n in natural]
    elif sum(least) <= total:
        spare = total - sum(least)
        more = [0.0 if i in figures else n - lo
                for i, (n, lo) in enumerate(zip(natural, least, strict=True))]
        if not sum(more):  # figures alone would wrap: they share it
            more = [n - lo for n, lo in zip(natural, least, strict=True)]
        widths = [lo + spare * m / sum(more) for lo, m in zip(least, more, strict=True)]
    else:
        widths = [lo * total / sum(least) for lo in least]
    out = [int(w) for w in widths]
    out[out.index(max(out))] += total - sum(out)  # whole twips, adding up to the page
    return out


def _fixed_layout(tbl: Any, widths: Sequence[int]) -> None:
    """The table's grid set to `widths` (twips), the table as wide as their sum and
    laid out fixed: Word, WPS and LibreOffice then keep these widths rather than
    fitting the columns to the text again each in its own way."""
    from docx.oxml.ns import qn

    tblpr = tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = tblpr.makeelement(qn("w:tblW"), {})
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(sum(widths)))
    layout = tblpr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    look = tblpr.find(qn("w:tblLook"))  # CT_TblPr's order: tblW … tblLayout … tblLook
    if look is not None:
        look.addprevious(layout)
    else:
        tblpr.append(layout)
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))


def _cell_width(tc: Any, width: int) -> None:
    from docx.oxml.ns import qn

    tcw = tc.get_or_add_tcPr().get_or_add_tcW()
    tcw.set(qn("w:type"), "dxa")
    tcw.set(qn("w:w"), str(width))


class _Writer:
    """The body of the bulletin, section by section as the default Markdown template
    (`templates/bulletin.md.j2`, `bulletin.en.md.j2`) prints it: the same sections in
    the same order, the same sentences, the same tables with the same columns.  Only
    the markup differs: `##` is Heading 1, `###` Heading 2, `####` Heading 3, a table
    a Word table, a numbered item a paragraph of its own.  A ledger's own templates
    do not apply to Word (it is not a template's output); the test suite compares the
    two editions paragraph by paragraph and cell by cell
    (tests/test_bulletin_docx_contents.py), so a section added to the templates and
    not here fails there."""

    def __init__(self, doc: Document, ctx: Mapping[str, Any]) -> None:
        self.doc = doc
        self.ctx = ctx
        self.zh = ctx["lang"] == "zh"
        self.sec = 0
        self.sub = 0
        #: each table's body rows, written as XML in place by `_fixed_zip`
        self.rows: list[_Rows] = []

    # ---- the pieces -------------------------------------------------------------

    def para(self, text: str, style: str | None = None, bold: bool = False) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            if bold:
                run.bold = True
        return p

    def section(self, zh: str, en: str) -> None:
        from .words import cn_number

        self.sec += 1
        self.sub = 0
        self.doc.add_heading(f"{cn_number(self.sec)}、{zh}" if self.zh
                             else f"{self.sec}. {en}", level=1)

    def subsection(self, zh: str, en: str) -> None:
        from .words import cn_number

        self.sub += 1
        self.doc.add_heading(f"（{cn_number(self.sub)}）{zh}" if self.zh
                             else f"({self.sub}) {en}", level=2)

    def items(self, texts: Sequence[str]) -> None:
        """A numbered list: `1. …` each, as the Markdown prints it."""
        for i, text in enumerate(texts, 1):
            self.para(f"{i}. {text}")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]],
              right: Sequence[int] = ()) -> None:
        """A table in the table style, its header row bold and repeated on every page;
        the columns in `right` (figures) set in 表格数字, right-aligned, as the
        Markdown table aligns them.

        The body rows are not elements: a monthly bulletin has a row per task, and
        python-docx's add_row/cell.text take milliseconds a row (a minute at 20,000
        tasks) and the element tree about ten objects a cell (a gigabyte).  One row is
        built with python-docx, written out as XML with a marker where each cell's
        text goes, and every row is that text with the cells' text, escaped; the
        table holds a comment `luoshi-rows-N` that `_fixed_zip` replaces with them.
        The rows' XML is made only then, a batch at a time, into the compressed
        member: a monthly bulletin of 100,000 tasks never holds it (half a gigabyte
        as text, and its UTF-8 and the whole document.xml again) at once."""
        from docx.oxml.ns import qn
        from lxml import etree  # type: ignore[import-untyped]  # python-docx brings it

        doc = self.doc
        table = doc.add_table(rows=2, cols=len(header))
        table.style = doc.styles["Table Grid"]
        widths = column_widths(header, rows, right)
        _fixed_layout(table._tbl, widths)
        head, proto = table.rows
        for row in (head, proto):
            for cell, width in zip(row.cells, widths, strict=True):
                _cell_width(cell._tc, width)
        trpr = head._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
        for i, (cell, text) in enumerate(zip(head.cells, header, strict=True)):
            p = cell.paragraphs[0]
            p.style = doc.styles["表格数字" if i in right else "表格文字"]
            p.add_run(text).bold = True
        for i, cell in enumerate(proto.cells):
            p = cell.paragraphs[0]
            p.style = doc.styles["表格数字" if i in right else "表格文字"]
            t = p.add_run(_CELL)._r.t_lst[0]
            t.set(qn("xml:space"), "preserve")
        tr = proto._tr
        tbl = tr.getparent()
        xml = _NSDECL.sub("", etree.tostring(tr, encoding="unicode"))
        tbl.replace(tr, etree.Comment(f"luoshi-rows-{len(self.rows)}"))
        self.rows.append(_Rows(xml.split(_CELL), rows))

    # ---- the document -----------------------------------------------------------

    def body(self) -> None:
        ctx, zh = self.ctx, self.zh
        if not ctx["public"]:
            self.para("内部资料 注意保存" if zh else "Internal — not for publication",
                      style="密级")
        if ctx["issuer"]:
            self.para(ctx["issuer"], style="红头")
        if ctx.get("issue_label"):
            self.para(ctx["issue_label"], style="文号")
        _red_rule(self.para(ctx["doc_no"] or "", style="文号"))
        self.para(ctx["title"], style="通报标题")
        unit = ctx["unit"]
        if zh:
            self.para(f"{unit['name']}：" if unit else "各有关单位：", style="主送")
            self.para(f"现将{ctx['period_label']}重点任务推进"
                      f"{'和考核' if ctx['scores'] else ''}情况通报如下。")
        else:
            self.para(f"To {unit['name']}:" if unit else "To all units concerned:",
                      style="主送")
            self.para("This bulletin reports the progress of the key tasks"
                      f"{' and the assessment results' if ctx['scores'] else ''} for "
                      f"{ctx['period_label']}.")
        if ctx["overview"]["tasks"]:  # the progress sections need tasks
            self.overview()
            self.categories()
            self.tags()
            self.lights()
        elif ctx["overview"].get("zero"):  # as the templates: 0 tasks, said
            self.section("总体情况", "Overview")
            lead = ("本单位牵头或参与的任务" if ctx.get("unit") else "台账共列任务") if zh else \
                ("the unit leads or shares" if ctx.get("unit") else "the ledger lists")
            self.para(f"截至{ctx['as_of']}，{lead}0项。" if zh
                      else f"As of {ctx['as_of']} {lead} 0 tasks.")
        if ctx["scores"]:
            self.scores()
        self.supervision()
        self.flags()
        self.deductions()
        self.bonuses()
        self.todo()
        self.problems()

    def overview(self) -> None:
        ctx, zh = self.ctx, self.zh
        ov = ctx["overview"]
        self.section("总体情况", "Overview")
        counts = [s for s in ov["by_status"] if s["count"]]
        on_time = ov["on_time_rate"] != "—"
        if zh:
            self.para(
                f"截至{ctx['as_of']}，"
                + ("本单位牵头或参与的任务" if ctx.get("unit") else "台账共列任务")
                + f"{ov['tasks']}项，其中"
                + "、".join(f"{s['label']}{s['count']}项" for s in counts)
                + f"。任务完成率{pct(ov['completion_rate'])}"
                + (f"，序时节点按期完成率{pct(ov['on_time_rate'])}" if on_time else "")
                + f"。亮红灯{ov['red']}项、黄灯预警{ov['yellow']}项、绿灯{ov['green']}项。")
        else:
            self.para(
                f"As of {ctx['as_of']} "
                + ("the unit leads or shares" if ctx.get("unit") else "the ledger lists")
                + f" {counted(ov['tasks'], 'task')}: "
                + ", ".join(f"{s['count']} {s['label']}" for s in counts)
                + f". Completion rate {pct(ov['completion_rate'])}"
                + (f", milestones met on time {pct(ov['on_time_rate'])}" if on_time else "")
                + f". Lights: {ov['red']} red, {ov['yellow']} yellow, {ov['green']} green.")
        if ctx.get("comparison"):
            self.para(ctx["comparison"]["sentence"])
        statuses = ov["by_status"]
        self.table(["状态" if zh else "Status", *(s["label"] for s in statuses),
                    "合计" if zh else "Total"],
                   [["任务数" if zh else "Tasks", *(str(s["count"]) for s in statuses),
                     str(ov["tasks"])]],
                   right=range(1, len(statuses) + 2))

    def categories(self) -> None:
        ctx, zh = self.ctx, self.zh
        self.section("分类推进情况", "Progress by category")
        self.table(["类别", "任务数", DONE, "完成率", "按期完成率", "平均进度", "红灯", "黄灯",
                    "绿灯"] if zh else
                   ["Category", "Tasks", "Finished", "Completion", "On time", "Mean progress",
                    "Red", "Yellow", "Green"],
                   [[c["name"], str(c["tasks"]), str(c["finished"]), pct(c["completion_rate"]),
                     pct(c["on_time_rate"]), pct(c["mean_progress"]), str(c["red"]),
                     str(c["yellow"]), str(c["green"])] for c in ctx["categories"]],
                   right=range(1, 9))
        sep = "；" if zh else "; "
        for c in ctx["categories"]:
            if not c["tasks"]:
                continue
            group = c["group"]
            self.subsection(c["name"] + (f"（{group}）" if group else ""),
                            c["name"] + (f" ({group})" if group else ""))
            self.table(["序号", "任务", "牵头单位", "包抓领导", "进度/序时", "状态", "亮灯", "最新进展"]
                       if zh else ["No.", "Task", "Lead unit", "Leader", "Progress/expected",
                                   "Status", "Light", "Latest report"],
                       [[str(i), t["branch"] + f"{t['id']} {t['title']}",
                         _s(t["lead"]), _s(t["leaders"]),
                         f"{pct(t['progress'])}/{pct(t['expected'])}"
                         + (sep + t["target"] if t["target"] else ""),
                         _s(t["status"]), _s(t["light_label"]), _s(t["note"])]
                        for i, t in enumerate(c["rows"], 1)],
                       right=(0, 4))

    def tags(self) -> None:  # 任务榜/亮点牌 (SPEC §11)
        if not self.ctx["tags"]:
            return
        zh = self.zh
        self.section("任务清单情况", "Task lists")
        self.table(["清单", "任务数", DONE, "完成率", "红灯", "黄灯", "绿灯", "任务"] if zh else
                   ["List", "Tasks", "Finished", "Completion", "Red", "Yellow", "Green",
                    "Tasks on it"],
                   [[g["name"], str(g["tasks"]), str(g["finished"]), pct(g["completion_rate"]),
                     str(g["red"]), str(g["yellow"]), str(g["green"]), _s(g["titles"])]
                    for g in self.ctx["tags"]],
                   right=range(1, 7))

    def lights(self) -> None:
        ctx, zh = self.ctx, self.zh
        self.section("亮灯预警情况", "Red and yellow lights")
        self.subsection("红灯任务", "Red lights")
        red = ctx["red"]
        if red:
            self.para(f"以下{len(red)}项任务序时节点逾期未完成，亮红灯：" if zh else
                      f"{counted(len(red), 'task')} {'has' if len(red) == 1 else 'have'} "
                      "a milestone past due and not done:")
            self.table(["序号", "任务", "牵头单位", "包抓领导", "逾期节点", "逾期天数"] if zh else
                       ["No.", "Task", "Lead unit", "Leader", "Overdue milestone",
                        "Days overdue"],
                       [[str(i), f"{t['id']} {t['title']}", _s(t["lead"]), _s(t["leaders"]),
                         "；".join(f"{m['standard']}（{m['due']}）" for m in t["milestones"])
                         if zh else
                         "; ".join(f"{m['standard']} (due {m['due']})" for m in t["milestones"]),
                         str(t["days"])] for i, t in enumerate(red, 1)],
                       right=(0, 5))
        else:
            self.para("无亮红灯任务。" if zh else "No task has a red light.")
        self.subsection("黄灯预警任务", "Yellow lights (at risk)")
        if ctx["yellow"]:
            self.table(["序号", "任务", "牵头单位", "包抓领导", "预警原因"] if zh else
                       ["No.", "Task", "Lead unit", "Leader", "Reason"],
                       [[str(i), f"{t['id']} {t['title']}", _s(t["lead"]), _s(t["leaders"]),
                         _s(t["reason"])] for i, t in enumerate(ctx["yellow"], 1)],
                       right=(0,))
        else:
            self.para("无黄灯预警任务。" if zh else "No task has a yellow light.")
        if ctx["stale"]:  # 未按时报送: the month's report is missing
            self.subsection("未按时报送进展的任务", "Progress reports missing")
            self.table(["序号", "任务", "牵头单位", "应报月份", "最近报送"] if zh else
                       ["No.", "Task", "Lead unit", "Report due for", "Latest report"],
                       [[str(i), f"{t['id']} {t['title']}", _s(t["lead"]),
                         _s(t["expected_month"]), _s(t["last_month"])]
                        for i, t in enumerate(ctx["stale"], 1)],
                       right=(0,))

    def scores(self) -> None:
        ctx, zh = self.ctx, self.zh
        scores = ctx["scores"]
        label = ctx["period_label"]
        self.section("考核排名情况", "Assessment and ranking")
        doc_no = scores["scheme_doc_no"]
        if zh:
            self.para(f"依据《{scores['scheme_title']}》{f'（{doc_no}）' if doc_no else ''}，"
                      f"对{scores['units_count']}个单位{label}工作进行了考核。")
        else:
            n = scores["units_count"]
            self.para(f"{counted(n, 'unit')} {'was' if n == 1 else 'were'} assessed for {label} "
                      "under "
                      f"{quoted(scores['scheme_title'])}{f' ({doc_no})' if doc_no else ''}.")
        if ctx["missing_scores"]:
            self.para(f"以下单位缺少评分（按0分计），排名据现有分数作出："
                      f"{'、'.join(ctx['missing_scores'])}。" if zh else
                      "Ranked although scores are missing (counted 0): "
                      f"{', '.join(ctx['missing_scores'])}.", bold=True)
        if scores["partial_note"]:
            self.para(scores["partial_note"], bold=True)
        if scores["unranked_sentence"]:
            self.para(scores["unranked_sentence"])
        if scores["ranking"]:
            self.subsection("得分及等次", "Scores and grades")
            columns = [c["name"] for c in scores["columns"]]
            # more components than the page holds beside the ranking: as the HTML and
            # PDF print them, in tables of five under it (templates' `many`)
            many = len(columns) > MAX_COMPONENTS_INLINE
            shown = [] if many else columns
            n = len(shown)
            for blk in scores["blocks"]:
                if blk["name"]:  # SPEC §10 ranking groups: one table per group
                    self.doc.add_heading(blk["name"], level=3)
                rank = ("组内名次" if blk["name"] else "名次") if zh else \
                    ("Rank in group" if blk["name"] else "Rank")
                ranking = blk["ranking"] or []
                self.table([rank, "单位", *shown, "扣分", "得分", "等次", "备注"] if zh else
                           [rank, "Unit", *shown, "Deductions", "Score", "Grade",
                            "Remarks"],
                           [[_s(u["rank"]), _s(u["name"]),
                             *map(_s, u["components"][:n]), _s(u["deductions"]),
                             _s(u["score"]), _s(u["grade"]), self._remarks(u)]
                            for u in ranking],
                           right=(0, *range(2, n + 4)))
                if blk["quota"]:
                    self.para(("" if zh else " ").join(blk["quota"]))
                for first in range(0, len(columns) if many else 0, COMPONENTS_PER_TABLE):
                    last = first + COMPONENTS_PER_TABLE
                    part = columns[first:last]
                    self.table(["单位" if zh else "Unit", *part],
                               [[_s(u["name"]), *map(_s, u["components"][first:last])]
                                for u in ranking],
                               right=range(1, len(part) + 1))
        self.subsection("等次情况", "Grades")
        public = ctx["public"]
        lines = []
        for i, g in enumerate(scores["grades"]):
            named = g["count"] and (not public or i == 0)
            lines.append(f"{g['name']}：{g['count']}个"
                         + (f"（{'、'.join(g['units'])}）" if named else "") + "。" if zh else
                         f"{g['name']}: {g['count']}"
                         + (f" ({', '.join(g['units'])})" if named else "") + ".")
        self.items(lines)
        if scores["interview"]:
            self.subsection("约谈单位", "Units called for interview")
            # the sentence the templates print (context.py words it once: the bottom N
            # by rank, and apart from them the units a rule marks)
            self.para(scores["interview_sentence"])

    def _remarks(self, u: Mapping[str, Any]) -> str:
        """备注: 约谈 first when the unit is called for interview, then the notes."""
        sep = "；" if self.zh else "; "
        notes = sep.join(u["notes"])
        if u["interview"]:
            word = "约谈" if self.zh else "interview"
            return word + (sep if u["notes"] else "") + notes
        return notes

    def supervision(self) -> None:  # 督办情况 (SPEC §12)
        sup = self.ctx["supervision"]
        if not sup:
            return
        zh = self.zh
        self.section("督办情况", "Supervision")
        # the talks after the period that follow its ranking, in the same paragraph
        # as the built-in templates put them
        followup = sup["followup_sentence"]
        self.para(sup["sentence"] + ((("" if zh else " ") + followup) if followup else ""))
        if sup["rectifications"]:
            self.table(["序号", "单位", "整改事项", "下达日期", "整改期限", "状态"] if zh else
                       ["No.", "Unit", "Rectification", "Opened", "Due", "State"],
                       [[str(i), _s(r["unit"]), _s(r["what"]), _s(r["opened"]), _s(r["due"]),
                         _s(r["state"])] for i, r in enumerate(sup["rectifications"], 1)],
                       right=(0,))

    def flags(self) -> None:  # 红旗与黄牌
        flags = self.ctx["flags"]
        units_red, units_yellow = flags.get("units_red", []), flags.get("units_yellow", [])
        if not (flags["red"] or flags["yellow"] or units_red or units_yellow):
            return
        zh = self.zh
        self.section("红旗与黄牌", "Honour flags and warning cards")

        def line(f: Mapping[str, Any]) -> str:
            return (f"{f['id']} {f['title']}（{f['lead']}）：{f['note']}。（{f['by']}，{f['date']}）"
                    if zh else
                    f"{f['id']} {f['title']} ({f['lead']}): {f['note']} ({f['by']}, {f['date']})")

        if flags["red"]:
            self.subsection("红旗任务", "Honour flags")
            self.items([line(f) for f in flags["red"]])
        if flags["yellow"]:
            self.subsection("黄牌任务", "Warning cards")
            self.items([line(f) for f in flags["yellow"]])

        def unit_line(f: Mapping[str, Any]) -> str:
            reason = (f"：{f['reason']}" if zh else f": {f['reason']}") if f["reason"] else ""
            when = (f"（{f['date']}）" if zh else f" ({f['date']})") if f["date"] else ""
            return f"{f['unit']}{reason}。{when}" if zh else f"{f['unit']}{reason}{when}"

        if units_red:
            self.subsection("红旗单位", "Honour flags (units)")
            self.items([unit_line(f) for f in units_red])
        if units_yellow:
            self.subsection("黄牌单位", "Warning cards (units)")
            self.items([unit_line(f) for f in units_yellow])

    def deductions(self) -> None:  # 负面清单扣分
        ctx, zh = self.ctx, self.zh
        ded = ctx["deductions"]
        if not (ded and (ded["count"] or ded["restored"] or ded["not_assessed"])):
            return
        self.section("负面清单扣分情况", "Deductions (negative list)")
        cats = ded["by_category"]
        total = not ctx["public"]
        n, back, outside = ded["count"], ded["restored"], ded["not_assessed"]
        if zh:
            said = (f"共有负面清单扣分{n}起"
                    + ("（" + "，".join(f"{c['category']}{c['count']}起" for c in cats) + "）"
                       if cats else "")
                    + (f"，合计扣{ded['total']}分" if total else "")) if n else "没有计分的负面清单扣分"
            self.para(f"{ctx['period_label']}{said}"
                      + (f"；{'另有' if n else ''}预扣分{back}起已返还，不计分" if back else "")
                      + (f"；{'另有' if n or back else ''}不参加考核单位的扣分{outside}起，不计分"
                         if outside else "") + "。")
        else:
            said = (counted(n, "deduction")
                    + (" (" + "; ".join(f"{c['category']}: {c['count']}" for c in cats) + ")"
                       if cats else "")
                    + (f", {ded['total']} points in all" if total else "")
                    ) if n else "no deduction counted"
            self.para(f"{ctx['period_label']}: {said}"
                      + (f"; {counted(back, 'provisional deduction')} restored, not counted"
                         if back else "")
                      + (f"; {counted(outside, 'deduction')} of a unit not assessed, not counted"
                         if outside else "") + ".")
        if ded["entries"]:
            def points(d: Mapping[str, Any]) -> str:
                if not d["media"]:
                    return _s(d["points"])
                return (f"{d['points']}（媒体曝光，{d['media_note']}）" if zh
                        else f"{d['points']} (media exposure, {d['media_note']})")

            self.table(["序号", "单位", "类别", "日期", "扣分", "事由"] if zh else
                       ["No.", "Unit", "Category", "Date", "Points", "Reason"],
                       [[str(i), _s(d["unit"]), _s(d["category"]), _s(d["date"]), points(d),
                         _s(d["reason"])] for i, d in enumerate(ded["entries"], 1)],
                       right=(0, 4))

    def bonuses(self) -> None:  # 加分情况 (SPEC §10: shown like the deductions)
        ctx, zh = self.ctx, self.zh
        bon = ctx.get("bonuses")
        if not (bon and (bon["count"] or bon["not_assessed"])):
            return
        self.section("加分情况", "Bonuses")
        cats, n, outside = bon["by_category"], bon["count"], bon["not_assessed"]
        total = not ctx["public"]
        if zh:
            said = ((f"共有加分{n}起"
                     + ("（" + "，".join(f"{c['category']}{c['count']}起" for c in cats) + "）"
                        if cats else "")
                     + (f"，合计加{bon['total']}分" if total else "")) if n else "没有计分的加分")
            self.para(f"{ctx['period_label']}{said}"
                      + (f"；{'另有' if n else ''}不参加考核单位的加分{outside}起，不计分"
                         if outside else "")
                      + (f"；{'、'.join(bon['capped'])}加分超过上限，按{bon['cap']}分计入得分"
                         if bon["capped"] else "") + "。")
        else:
            said = ((f"{n} bonus{'' if n == 1 else 'es'}"
                     + (" (" + "; ".join(f"{c['category']}: {c['count']}" for c in cats) + ")"
                        if cats else "")
                     + (f", {bon['total']} points in all" if total else ""))
                    if n else "no bonus counted")
            self.para(f"{ctx['period_label']}: {said}"
                      + (f"; {outside} bonus{'' if outside == 1 else 'es'} of a unit not "
                         "assessed, not counted" if outside else "")
                      + (f"; capped at {bon['cap']} points in the score: "
                         + ", ".join(bon["capped"]) if bon["capped"] else "") + ".")
        if bon["entries"]:
            self.table(["序号", "单位", "类别", "日期", "加分", "事由"] if zh else
                       ["No.", "Unit", "Category", "Date", "Points", "Reason"],
                       [[str(i), _s(b["unit"]), _s(b["category"]), _s(b["date"]),
                         _s(b["points"]), _s(b["reason"])]
                        for i, b in enumerate(bon["entries"], 1)],
                       right=(0, 4))

    def todo(self) -> None:  # a unit's notice: what it must do (一单位一通报)
        if not self.ctx["todo"]:
            return
        unit = self.ctx["unit"]
        self.section("需落实事项", f"What {unit['name'] if unit else ''} must do")
        self.items(self.ctx["todo"])

    def problems(self) -> None:
        problems = self.ctx["problems"]
        if not problems:
            return
        zh = self.zh
        self.section("存在问题", "Problems reported")
        self.items([f"{p['title']}（{p['lead']}，{p['month']}）：{'；'.join(p['problems'])}。"
                    if zh else
                    f"{p['title']} ({p['lead']}, {p['month']}): {'; '.join(p['problems'])}."
                    for p in problems])


def render_docx(ctx: Mapping[str, Any]) -> bytes:
    """The bulletin as a .docx file's bytes."""
    try:
        import docx
        from docx.shared import Mm
    except ImportError:
        hint = install_hint("docx", "python-docx")
        raise NoPythonDocx(L(f"生成 Word 文档需要 python-docx：{hint.zh}",
                             f"Word output needs python-docx: {hint.en}")
                           ) from None
    ctx = escaped_copy(ctx, _word_text)  # once python-docx is there to take it
    zh = ctx["lang"] == "zh"
    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    _styles(doc)
    props = doc.core_properties
    # the core properties hold at most 255 characters each (python-docx raises past
    # that): a longer title or issuer is cut there; the document shows it whole
    props.title = ctx["title"][:255]
    props.author = (ctx["issuer"] or "luoshi")[:255]
    props.created = props.modified = datetime(2000, 1, 1)  # no clock: same input, same bytes
    props.last_modified_by = "luoshi"
    props.revision = 1
    writer = _Writer(doc, ctx)
    writer.body()
    last = doc.paragraphs[-1]
    last.paragraph_format.keep_with_next = True  # the signature never stands alone
    _keep_last_table(doc, writer.rows)
    doc.add_paragraph("", style="落款")
    if ctx["issuer"]:
        doc.add_paragraph(ctx["issuer"], style="落款")
    # the 附注 of the public edition (（此件公开发布）) under the date, kept with it: a
    # body paragraph, flush left two characters in (GB/T 9704)
    note = ctx.get("public_note")
    doc.add_paragraph(ctx["signed"], style="落款").paragraph_format.keep_with_next = bool(note)
    if note:
        doc.add_paragraph(note)
    lines = []
    if ctx.get("cc"):
        lines.append(("抄送：" + ctx["cc"] + "。") if zh else f"Copied to: {ctx['cc']}.")
    if ctx.get("printed_by"):
        lines.append(f"{ctx['printed_by']}　　{ctx['signed']}印发" if zh
                     else f"Issued by {ctx['printed_by']}, {ctx['signed']}")
    for i, text in enumerate(lines):  # 版记: thick rule first and last, thin between
        _rules(doc.add_paragraph(text, style="版记"), THICK if i == 0 else None,
               THICK if i == len(lines) - 1 else THIN)
    _page_numbers(doc)
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue(), writer.rows)


def _keep_last_table(doc: Document, rows: list[_Rows]) -> None:
    """When a table ends the text, its last row is kept with the signature that
    follows (`w:keepNext` in each of its paragraphs, as Word's "keep with next" on a
    row): the last paragraph before the table (`doc.paragraphs[-1]`) could not keep
    it, and a long table left the signature alone on the last page."""
    from docx.oxml.ns import qn

    body = doc.element.body
    last = next((el for el in reversed(body) if el.tag != qn("w:sectPr")), None)
    if last is None or last.tag != qn("w:tbl"):
        return
    for el in last:
        found = _ROWS.fullmatch(f"<!--{el.text}-->".encode()) if callable(el.tag) else None
        if found:
            n = int(found.group(1))
            rows[n] = rows[n]._replace(keep_last=True)


def _fixed_zip(data: bytes, rows: Sequence[_Rows] = (), zip64: bool = False) -> bytes:
    """The same zip with every member dated 1980-01-01 (python-docx stamps the clock),
    and each table's body rows in place of its marker (`_Writer.table`), written into
    the compressed member as they are made.  Zip64 only for a document.xml past
    what a plain member holds (2 GiB: zipfile refuses it at the end, and then the
    zip is written again as zip64)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            body = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                body = _font_table(body)
            elif info.filename == "word/document.xml" and rows:
                try:
                    with dst.open(fixed, "w", force_zip64=zip64) as member:
                        pieces = _ROWS.split(body)  # text, table number, text, ...
                        for k, piece in enumerate(pieces):
                            if k % 2 == 0:
                                member.write(piece)
                            else:
                                for chunk in rows[int(piece)].xml():
                                    member.write(chunk)
                except RuntimeError:  # "File size too large, try using force_zip64"
                    if zip64:
                        raise
                    return _fixed_zip(data, rows, zip64=True)
                continue
            dst.writestr(fixed, body)
    return out.getvalue()


def _font_table(xml: bytes) -> bytes:
    """The template's font table with an entry for each Chinese font (see the module
    docstring): where Word looks for a fallback when a font is not installed."""
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/>'
        "</w:font>"
        for name, (alt, panose, family, pitch) in FONT_TABLE.items())
    return xml.replace(b"</w:fonts>", entries.encode("utf-8") + b"</w:fonts>", 1)
