"""The Word bulletin (.docx): built from the same context as the templates.

Why Word: offices finish a document in WPS/Word before issuing it.  So the file uses
named styles an office can edit once for the whole document — 正文 (Normal),
通报标题, 红头, 文号, 一级标题 (Heading 1), 落款 and the table style — rather than
direct formatting, and the GB/T 9704 fonts: 小标宋 title, 黑体 headings, 仿宋 body.
Same context, same bytes: the core properties carry no clock.

Fonts.  Word and WPS have no font stacks like CSS: a run names one font per script
slot.  Every style sets all of them explicitly — `w:ascii`/`w:hAnsi` (Latin, digits)
Times New Roman, `w:eastAsia` (Chinese) the GB/T 9704 font by the name Windows and
WPS install it under (仿宋, 黑体, 方正小标宋简体), with `w:hint="eastAsia"` so that
shared punctuation is set in the Chinese font.  The fallback goes where Word keeps
it, in the font table (word/fontTable.xml): each Chinese font gets one `w:altName`,
the other name offices install it under (仿宋_GB2312 for 仿宋, 方正小标宋_GBK for
方正小标宋简体, SimHei for 黑体), and the GB2312 charset (86), family, pitch and
PANOSE numbers that Word's substitution matches when neither name is installed —
so a machine without 小标宋 shows a Song (宋体) face, not Calibri.  LibreOffice and
WPS on Linux fall back through fontconfig to Noto CJK.

The 版记 (抄送, 印发) closes the document between horizontal rules, GB/T 9704 §7.4/7.5:
the first and the last thick (0.35 mm), the ones between thin (0.25 mm) — paragraph
borders of the 版记 style, which Word and WPS keep when the text is edited.

python-docx is the optional extra `luoshi[docx]`; without it, a one-line error.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...core.codes import L
from ...core.errors import LuoshiError
from ...core.safetext import escaped_copy, printable

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

#: GB/T 9704 fonts (Windows / WPS names); the font table says how to fall back
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"
#: font table entries: the other installed name (w:altName), and what Word's
#: substitution matches when neither is there (PANOSE, family, pitch; charset 86 =
#: GB2312)
FONT_TABLE = {
    BODY_FONT: ("仿宋_GB2312", "02010609060101010101", "modern", "fixed"),
    HEADING_FONT: ("SimHei", "02010609060101010101", "modern", "fixed"),
    TITLE_FONT: ("方正小标宋_GBK", "02010600030101010101", "roman", "variable"),
}
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
    add("表格文字", BODY_FONT, 10.5, WD_ALIGN_PARAGRAPH.LEFT)
    add("版记", BODY_FONT, 14, WD_ALIGN_PARAGRAPH.LEFT)  # 4号仿宋 (GB/T 9704 §7.4)
    doc.styles["落款"].paragraph_format.keep_with_next = True
    doc.styles["表格文字"].paragraph_format.line_spacing = Pt(14)
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


def _table(doc: Document, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        cell.paragraphs[0].style = doc.styles["表格文字"]
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
            cell.paragraphs[0].style = doc.styles["表格文字"]


#: what XML 1.0 has no character for and `printable()` leaves alone (lxml refuses it)
_NOT_XML = re.compile("[\ufffe\uffff]")


def _word_text(text: str) -> str:
    """Ledger text as a reader should see it in Word: it is written into the
    document by python-docx, not through a template's escaping, so a control
    character (ESC, BEL: not XML, python-docx raises on them) or a bidi override
    (U+202E reverses what the reader sees) is escaped visibly here, as the Markdown
    and HTML bulletins show it."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(text))


def render_docx(ctx: Mapping[str, Any]) -> bytes:
    """The bulletin as a .docx file's bytes."""
    try:
        import docx
        from docx.shared import Mm
    except ImportError:
        raise NoPythonDocx(L("生成 Word 文档需要 python-docx：pip install 'luoshi[docx]'",
                             "Word output needs python-docx: pip install 'luoshi[docx]'")
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
    if ctx["issuer"]:
        doc.add_paragraph(ctx["issuer"], style="红头")
    if ctx.get("issue_label"):
        doc.add_paragraph(ctx["issue_label"], style="文号")
    number = doc.add_paragraph(ctx["doc_no"] or "", style="文号")
    _red_rule(number)
    doc.add_paragraph(ctx["title"], style="通报标题")
    n = 0

    def heading(zh_text: str, en_text: str) -> None:
        nonlocal n
        n += 1
        from .words import cn_number

        doc.add_heading(f"{cn_number(n)}、{zh_text}" if zh else f"{n}. {en_text}", level=1)

    ov = ctx["overview"]
    heading("总体情况", "Overview")
    by = "、".join(f"{s['label']}{s['count']}项" for s in ov["by_status"] if s["count"])
    doc.add_paragraph(
        f"截至{ctx['as_of']}，台账共列任务{ov['tasks']}项{'，其中' + by if by else ''}。"
        f"任务完成率{_pct(ov['completion_rate'])}，序时节点按期完成率"
        f"{_pct(ov['on_time_rate'])}。亮红灯{ov['red']}项、黄灯预警{ov['yellow']}项、"
        f"绿灯{ov['green']}项。" if zh else
        f"As of {ctx['as_of']} the ledger lists {ov['tasks']} tasks; completion rate "
        f"{_pct(ov['completion_rate'])}, on-time rate {_pct(ov['on_time_rate'])}; "
        f"{ov['red']} red, {ov['yellow']} yellow, {ov['green']} green.")
    if ctx.get("comparison"):
        doc.add_paragraph(ctx["comparison"]["sentence"])
    cats = [c for c in ctx["categories"] if c["tasks"]]
    if cats:
        _table(doc, ["类别", "任务数", "完成数", "完成率", "红灯", "黄灯"] if zh else
               ["Category", "Tasks", "Finished", "Completion", "Red", "Yellow"],
               [[c["name"], str(c["tasks"]), str(c["finished"]), _pct(c["completion_rate"]),
                 str(c["red"]), str(c["yellow"])] for c in cats])
    if ctx["red"]:
        heading("红灯任务", "Red tasks")
        _table(doc, ["任务", "牵头单位", "逾期节点", "逾期天数"] if zh else
               ["Task", "Lead unit", "Overdue milestone", "Days overdue"],
               [[r["title"], r["lead"], "；".join(m["standard"] for m in r["milestones"]),
                 str(r["days"])] for r in ctx["red"]])
    if ctx["yellow"]:
        heading("黄灯预警", "Yellow warnings")
        _table(doc, ["任务", "牵头单位", "原因"] if zh else ["Task", "Lead unit", "Reason"],
               [[r["title"], r["lead"], r["reason"]] for r in ctx["yellow"]])
    scores = ctx["scores"]
    if scores is not None:
        heading("考核结果", "Assessment")
        grades = "；".join(f"{g['name']}{g['count']}个" if zh else f"{g['name']}: {g['count']}"
                          for g in scores["grades"])
        doc.add_paragraph(grades)
        if ctx["missing_scores"]:
            doc.add_paragraph(("以下单位缺少评分，排名据现有分数作出：" if zh else
                               "Ranked although scores are missing: ")
                              + ("、" if zh else ", ").join(ctx["missing_scores"]))
        for blk in scores["blocks"] if scores["ranking"] else []:
            if blk["name"]:  # SPEC §10 ranking groups: one table per group, rank in it
                doc.add_heading(blk["name"], level=2)
            _table(doc, ["组内名次" if blk["name"] else "名次", "单位", "得分", "等次", "说明"]
                   if zh else ["Rank in group" if blk["name"] else "Rank", "Unit", "Score",
                               "Grade", "Notes"],
                   [[str(r["rank"] or "—"), r["name"], r["score"], r["grade"] or "—",
                     ("；" if zh else "; ").join(r["notes"])] for r in blk["ranking"] or []])
            if blk["quota"]:
                doc.add_paragraph(("" if zh else " ").join(blk["quota"]))
    ded = ctx["deductions"]
    if ded and ded["count"]:
        heading("扣分情况", "Deductions")
        if ded["entries"]:
            _table(doc, ["单位", "类别", "日期", "扣分", "事由"] if zh else
                   ["Unit", "Category", "Date", "Points", "Reason"],
                   [[e["unit"], e["category"], e["date"], e["points"], e["reason"]]
                    for e in ded["entries"]])
    if ctx["tags"]:  # 任务榜/亮点牌 (SPEC §11)
        heading("任务清单情况", "Task lists")
        _table(doc, ["清单", "任务数", "完成数", "红灯", "黄灯", "任务"] if zh else
               ["List", "Tasks", "Finished", "Red", "Yellow", "Tasks on it"],
               [[g["name"], str(g["tasks"]), str(g["finished"]), str(g["red"]),
                 str(g["yellow"]), g["titles"]] for g in ctx["tags"]])
    sup = ctx["supervision"]
    if sup is not None:  # 督办情况 (SPEC §12)
        heading("督办情况", "Supervision")
        doc.add_paragraph(sup["sentence"])
        if sup["rectifications"]:
            _table(doc, ["单位", "整改事项", "下达日期", "整改期限", "状态"] if zh else
                   ["Unit", "Rectification", "Opened", "Due", "State"],
                   [[r["unit"], r["what"], r["opened"], r["due"], r["state"]]
                    for r in sup["rectifications"]])
    if ctx["todo"]:  # a unit's notice: what it must do (一单位一通报)
        heading("需落实事项", f"What {ctx['unit']['name']} must do")
        for item in ctx["todo"]:
            doc.add_paragraph(item)
    if ctx["problems"]:
        heading("存在问题", "Problems reported")
        for p in ctx["problems"]:
            doc.add_paragraph(f"{p['title']}（{p['lead']}）：" + "；".join(p["problems"]) if zh
                              else f"{p['title']} ({p['lead']}): " + "; ".join(p["problems"]))
    last = doc.paragraphs[-1]
    last.paragraph_format.keep_with_next = True  # the signature never stands alone
    doc.add_paragraph("", style="落款")
    if ctx["issuer"]:
        doc.add_paragraph(ctx["issuer"], style="落款")
    doc.add_paragraph(ctx["signed"], style="落款").paragraph_format.keep_with_next = False
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
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01: python-docx stamps the clock."""
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


def _pct(text: str) -> str:
    return text if text == "—" else f"{text}%"
