"""The Word bulletin says everything the Markdown bulletin says (SPEC §7).

The .docx is built by code (report/bulletin/docx.py), not by the templates, and it
once left out what the default templates print: the 约谈 marks, the flags, leaders and
due dates of the red list, the 绿灯 and 按期完成率 columns, the per-category task
tables, the missing monthly reports, the 内部资料 mark.  Here both editions of the same
bulletin are read back — the Markdown as `luoshi bulletin` prints it, the .docx with
python-docx — into one list of blocks (headings by level, paragraphs, tables as rows
of cells) and compared whole: every section, sentence, column header and cell, in
the same order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import BEILIN, EXAMPLE, REPO, Run

docx = pytest.importorskip("docx")

KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"
Block = tuple[str, Any]


def _md_cells(line: str) -> list[str]:
    """A Markdown table row's cells, md_escape undone: `\\|` is text, not a border."""
    cells: list[str] = []
    cur: list[str] = []
    chars = iter(line.strip()[1:])
    for ch in chars:
        if ch == "\\":
            cur.append(next(chars, ""))
        elif ch == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    return cells


def _md_text(line: str) -> str:
    text = line.replace("\u200b", "")
    out, chars = [], iter(text)
    for ch in chars:
        out.append(next(chars, "") if ch == "\\" else ch)
    return "".join(out)


def md_blocks(text: str) -> list[Block]:
    """The Markdown bulletin as blocks: ("h1".."h4", text), ("p", text) — each line of
    text its own block (a numbered item is a line) — and ("table", rows).  The
    Markdown-only marks go: `> ` of the 内部资料 line, `**` of bold, the `---` rule."""
    blocks: list[Block] = []
    table: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("|"):
            if table is None:
                table = []
                blocks.append(("table", table))
            if not line.startswith("|---"):
                table.append(_md_cells(line))
            continue
        table = None
        if not line.strip() or line.strip() == "---":
            continue
        if line.startswith("#"):
            level, _, head = line.partition(" ")
            blocks.append((f"h{len(level)}", _md_text(head)))
            continue
        line = line.removeprefix("> ")
        if line.startswith("**") and line.endswith("**"):
            line = line[2:-2]
        blocks.append(("p", _md_text(line)))
    return blocks


HEADINGS = {"通报标题": "h1", "Heading 1": "h2", "Heading 2": "h3", "Heading 3": "h4"}


def docx_blocks(path: Path) -> list[Block]:
    """The Word bulletin as the same blocks: its headings by style, every non-empty
    paragraph, every table's rows of cell texts."""
    from docx.table import Table

    blocks: list[Block] = []
    for item in docx.Document(str(path)).iter_inner_content():
        if isinstance(item, Table):
            blocks.append(("table", [[c.text for c in row.cells] for row in item.rows]))
        elif item.text:
            blocks.append((HEADINGS.get(item.style.name, "p"), item.text))
    return blocks


def both(cli: Callable[..., Run], root: Path, tmp_path: Path, *args: str
         ) -> tuple[list[Block], list[Block]]:
    md = cli("bulletin", root, *args)
    assert md.exit_code == 0, md.stderr
    out = tmp_path / "b.docx"
    r = cli("bulletin", root, *args, "-o", out)
    assert r.exit_code == 0, r.stderr
    return md_blocks(md.stdout), docx_blocks(out)


CASES = {
    "weinan-Q2": (EXAMPLE, ("--quarter", "Q2")),
    "weinan-Q2-en": (EXAMPLE, ("--quarter", "Q2", "--lang", "en")),
    "weinan-Q2-public": (EXAMPLE, ("--quarter", "Q2", "--edition", "public")),
    "weinan-Q2-public-en": (EXAMPLE, ("--quarter", "Q2", "--edition", "public", "--lang", "en")),
    "weinan-05": (EXAMPLE, ("--month", "2021-05")),
    "weinan-annual": (EXAMPLE, ("--annual", "--doc-no", "渭高考办发〔2022〕1号", "--issue", "1")),
    "weinan-annual-en": (EXAMPLE, ("--annual", "--lang", "en")),
    "weinan-Q2-unit": (EXAMPLE, ("--quarter", "Q2", "--unit", "guijianju")),
    "weinan-Q2-unit-en": (EXAMPLE, ("--quarter", "Q2", "--unit", "guijianju", "--lang", "en")),
    # a unit without tasks: 总体情况 says 0
    "weinan-Q2-unit-none": (EXAMPLE, ("--quarter", "Q2", "--unit", "shehuiju")),
    "weinan-Q2-unit-none-en": (EXAMPLE, ("--quarter", "Q2", "--unit", "shehuiju", "--lang",
                                         "en")),
    "beilin-05": (BEILIN, ("--month", "2024-05")),
    "beilin-05-en": (BEILIN, ("--month", "2024-05", "--lang", "en")),
    "kaohe-Q1": (KAOHE, ("--quarter", "Q1")),
    "kaohe-Q1-en": (KAOHE, ("--quarter", "Q1", "--lang", "en")),
    "kaohe-Q1-public": (KAOHE, ("--quarter", "Q1", "--edition", "public")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_docx_has_every_block_of_the_markdown(name: str, cli: Callable[..., Run],
                                              tmp_path: Path) -> None:
    root, args = CASES[name]
    md, word = both(cli, root, tmp_path, *args)
    assert word == md


def _heads(blocks: list[Block]) -> list[str]:
    return [text for kind, text in blocks if kind in ("h2", "h3", "h4")]


def _tables(blocks: list[Block]) -> list[list[list[str]]]:
    return [rows for kind, rows in blocks if kind == "table"]


def test_weinan_quarter_in_word(cli: Callable[..., Run], tmp_path: Path) -> None:
    """What the audit found missing, spelled out: the 内部资料 mark, the per-category
    tables, 按期完成率 and 绿灯, leaders and due dates of the red list, the leader of
    the yellow list, 约谈 in the ranking and the interview sentence, the flags."""
    _, word = both(cli, EXAMPLE, tmp_path, "--quarter", "Q2", "--issue", "2")
    assert word[0] == ("p", "内部资料 注意保存")
    # the example's 文号 is numbered per issue: 渭高考办通〔{year}〕{n}号
    assert word[2:4] == [("p", "第2期"), ("p", "渭高考办通〔2021〕2号")]
    assert word[5:7] == [("p", "各有关单位："),
                         ("p", "现将2021年第二季度重点任务推进和考核情况通报如下。")]
    assert _heads(word) == [
        "一、总体情况", "二、分类推进情况", "（一）重点项目建设（项目建设专项推进组）",
        "（二）招商引资（招商引资专项推进组）", "（三）工业倍增计划（工业倍增专项推进组）",
        "（四）城市提质与文明创建（城市管理专项推进组）", "（五）优化营商环境（营商环境专项推进组）",
        "（六）党建“留心护根”工程", "（七）作风建设提升年", "三、亮灯预警情况", "（一）红灯任务",
        "（二）黄灯预警任务", "四、考核排名情况", "（一）得分及等次", "（二）等次情况", "（三）约谈单位",
        "五、红旗与黄牌", "（一）红旗任务", "（二）黄牌任务", "六、负面清单扣分情况"]
    tables = _tables(word)
    assert tables[1][0] == ["类别", "任务数", "已完成", "完成率", "按期完成率", "平均进度", "红灯",
                            "黄灯", "绿灯"]
    assert tables[1][1] == ["重点项目建设", "3", "1", "33.33%", "40%", "60.7%", "1", "0", "1"]
    assert tables[2] == [
        ["序号", "任务", "牵头单位", "包抓领导", "进度/序时", "状态", "亮灯", "最新进展"],
        ["1", "WN-001 市级重点项目前期手续集中办结", "行政审批服务局", "李某某", "100%/100%", "已销号",
         "—", "4月12日全部办结"],
        ["2", "WN-002 重点项目常态化集中开工", "经济发展局", "李某某、刘某某", "52%/49.45%", "推进中",
         "绿灯", "累计开工12个，另有1个提前开工"],
        ["3", "WN-003 东区道路及管网配套工程", "东区管委会", "刘某某", "30%/49.34%", "推进中", "红灯",
         "主管网铺设完成约35%"]]
    red = next(t for t in tables if t[0][-1] == "逾期天数")
    assert red[0] == ["序号", "任务", "牵头单位", "包抓领导", "逾期节点", "逾期天数"]
    assert red[1] == ["1", "WN-011 城中村改造入户签约", "城改办", "李某某",
                      "签约率达到80%（2021年5月31日）", "30"]
    yellow = next(t for t in tables if t[0][-1] == "预警原因")
    assert yellow[3] == ["3", "WN-013 重点项目手续集中办理周", "行政审批服务局", "赵某某",
                         "进度35%，落后于序时进度49.45%"]
    ranking = next(t for t in tables if t[0][0] == "名次")
    assert [row[-1] for row in ranking[-3:]] == ["约谈", "约谈",
                                                 "约谈；存在“形式主义、官僚主义”问题，等次不高于一般"]
    assert ("p", "按照考核办法，对排名后3位的威楠公司、城改办、东区管委会进行约谈提醒，限期整改。") in word
    assert ("p", "1. WN-002 重点项目常态化集中开工（经济发展局）：上半年重点项目集中开工红旗任务。"
                 "（目标任务考核领导小组办公室，2021年6月30日）") in word


def test_public_edition_leaves_out_what_the_template_leaves_out(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """--edition public: no 内部资料 mark, no ranking table, no deduction entries or
    total, only the best grade's units named."""
    _, word = both(cli, EXAMPLE, tmp_path, "--quarter", "Q2", "--edition", "public")
    texts = [text for kind, text in word if kind != "table"]
    assert "内部资料 注意保存" not in texts
    assert "（一）得分及等次" not in texts
    assert not [t for t in _tables(word) if t[0][0] in ("名次", "序号") and "扣分" in t[0]]
    assert "2021年第二季度共有负面清单扣分3起（形式主义、官僚主义2起，服务群众态度恶劣、漠视群众利益1起）。" \
        in texts
    assert "2. 良好：4个。" in texts
    assert "1. 优秀：2个（党群工作部、行政审批服务局）。" in texts


LEDGER = {
    "luoshi.yaml": """title: 督办台账
issuer: 某区考核办
year: 2024
categories:
  - {id: econ, name: 经济, group: 经济组}
  - {id: city, name: 城建}
  - {id: none, name: 空类别}
tags:
  - {id: ps, name: 任务榜}
cc: 区委办公室
printed_by: 区考核办
""",
    "units.yaml": """units:
  - {id: zjj, name: 区住建局}
  - {id: fgw, name: 区发改委}
leaders:
  - {id: zhao, name: 赵某某}
  - {id: qian, name: 钱某某}
""",
    "tasks/a.yaml": """- id: T-1
  title: 老旧小区改造
  category: econ
  lead: zjj
  leaders: [zhao, qian]
  start: 2024-01-01
  standard: 完成改造
  target: {value: 30, unit: 个}
  tags: [ps]
  milestones:
    - {due: 2024-04-30, standard: 开工10个}
    - {due: 2024-12-31, standard: 完成30个}
  status: in_progress
  progress: 20
  updates:
    - {month: "2024-04", progress: 20, actual: 6, note: 开工6个, problems: 资金未到位}
  flags:
    - {kind: red_flag, date: 2024-06-20, by: 区委督查室, note: 群众满意度高}
    - {kind: yellow_card, date: 2024-06-25, by: 区委督查室, note: 节点逾期}
- id: T-2
  title: "改造子项|二期 <A&B>"
  category: econ
  parent: T-1
  lead: fgw
  leaders: [qian]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {due: 2024-12-31, standard: 完成}
  status: in_progress
  progress: 40
  updates:
    - {month: "2024-05", progress: 35}
    - {month: "2024-06", progress: 40, note: "进展*顺利*"}
- id: T-3
  title: 道路提升
  category: city
  lead: fgw
  leaders: [zhao]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {due: 2024-07-05, standard: 完成设计}
    - {due: 2024-12-31, standard: 完成}
  status: in_progress
  progress: 45
  updates:
    - {month: "2024-06", progress: 45, note: 设计中}
""",
    "supervision/a.yaml": """interviews:
  - {unit: zjj, date: 2024-06-12, kind: 提醒谈话, by: 区委督查室, reason: 任务亮红灯, tasks: [T-1]}
rectifications:
  - id: ZG-01
    unit: zjj
    tasks: [T-1]
    source: red_light
    opened: 2024-06-12
    due: 2024-07-15
""",
}


@pytest.mark.parametrize("args", [(), ("--lang", "en"), ("--unit", "zjj"),
                                  ("--unit", "zjj", "--lang", "en"),
                                  ("--edition", "public")],
                         ids=["zh", "en", "unit", "unit-en", "public"])
def test_small_ledger_with_flags_stale_task_supervision_and_a_unit_notice(
        args: tuple[str, ...], cli: Callable[..., Run], write: Callable[..., Path],
        tmp_path: Path) -> None:
    root = write(LEDGER)
    md, word = both(cli, root, tmp_path, "--month", "2024-06", *args)
    assert word == md


def test_small_ledger_sections_in_word(cli: Callable[..., Run], write: Callable[..., Path],
                                       tmp_path: Path) -> None:
    """The sections the weinan example lacks: 任务清单, the missing monthly reports
    (未按时报送), 督办, the unit's 需落实事项, 存在问题; the 版记."""
    root = write(LEDGER)
    _, word = both(cli, root, tmp_path, "--month", "2024-06", "--unit", "zjj")
    assert word[:6] == [("p", "内部资料 注意保存"), ("p", "某区考核办"),
                        ("h1", "关于区住建局2024年6月重点任务落实情况的通报"),
                        ("p", "区住建局："), ("p", "现将2024年6月重点任务推进情况通报如下。"),
                        ("h2", "一、总体情况")]
    heads = _heads(word)
    assert [h for h in heads if "、" in h and not h.startswith("（")] == [
        "一、总体情况", "二、分类推进情况", "三、任务清单情况", "四、亮灯预警情况", "五、督办情况",
        "六、红旗与黄牌", "七、需落实事项", "八、存在问题"]
    tables = _tables(word)
    stale = next(t for t in tables if t[0][-1] == "最近报送")
    assert stale == [["序号", "任务", "牵头单位", "应报月份", "最近报送"],
                     ["1", "T-1 老旧小区改造", "区住建局", "2024年5月", "2024年4月"]]
    assert ["任务榜", "1", "0", "0%", "1", "0", "0", "老旧小区改造"] in next(
        t for t in tables if t[0][0] == "清单")
    assert ("p", "3. “老旧小区改造”：2024年5月月报未报送，请及时补报。") in word
    assert ("p", "1. 老旧小区改造（区住建局，2024年4月）：资金未到位。") in word
    assert word[-4:] == [("p", "某区考核办"), ("p", "2024年6月30日"), ("p", "抄送：区委办公室。"),
                         ("p", "区考核办　　2024年6月30日印发")]


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_new_pieces_use_named_styles(cli: Callable[..., Run], tmp_path: Path) -> None:
    """What the added sections are set in: （一） headings in Heading 2 (楷体, with
    楷体_GB2312 as its other name in the font table), a ranking group's name in
    Heading 3, 内部资料 in 密级 (黑体), the salutation in 主送 (flush left); in tables
    the header row repeats on every page, and figures are right-aligned (表格数字)."""
    import zipfile

    from lxml import etree

    out = tmp_path / "k.docx"
    r = cli("bulletin", KAOHE, "--quarter", "Q1", "-o", out)
    assert r.exit_code == 0, r.stderr
    doc = docx.Document(str(out))

    def east_asia(style: str) -> tuple[str, bool | None]:
        st = doc.styles[style]
        return st.element.rPr.find(f"{W}rFonts").get(f"{W}eastAsia"), st.font.bold

    assert east_asia("Heading 2") == ("楷体", False)
    assert east_asia("Heading 3") == ("仿宋", True)
    assert east_asia("密级") == ("黑体", None)
    assert doc.styles["主送"].paragraph_format.first_line_indent == 0
    assert doc.styles["表格数字"].paragraph_format.alignment == 2  # RIGHT
    texts = [(p.style.name, p.text) for p in doc.paragraphs]
    assert texts[:2] == [("密级", "内部资料 注意保存"), ("红头", "碑林区委督查室")]
    assert ("主送", "各有关单位：") in texts
    assert ("Heading 2", "（一）得分及等次") in texts
    assert [t for s, t in texts if s == "Heading 3"] == ["区级部门", "街道"]
    ranking = next(t for t in doc.tables if t.rows[0].cells[0].text == "组内名次")
    assert ranking.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert [c.paragraphs[0].style.name for c in ranking.rows[1].cells][:2] == ["表格数字",
                                                                               "表格文字"]
    assert ranking.rows[1].cells[-1].paragraphs[0].style.name == "表格文字"
    with zipfile.ZipFile(out) as z:
        fonts = etree.fromstring(z.read("word/fontTable.xml"))
    kai = next(f for f in fonts.iter(f"{W}font") if f.get(f"{W}name") == "楷体")
    assert kai.find(f"{W}altName").get(f"{W}val") == "楷体_GB2312"
    assert kai.find(f"{W}charset").get(f"{W}val") == "86"


def as_word(blocks: list[Block]) -> list[Block]:
    """The Markdown's blocks as the Word edition lays out a ranking table of more than
    four components (HTML's and PDF's way, report/bulletin/docx.py): the ranking
    without them, then 单位 and five components a table.  The Markdown keeps them in
    one table: it has no page to fit."""
    out: list[Block] = []
    pending: list[Block] = []
    for kind, value in blocks:
        if kind != "table" or value[0][0] not in ("名次", "组内名次", "Rank", "Rank in group") \
                or len(value[0]) - 6 <= 4:
            if kind == "table" or kind.startswith("h"):
                out.extend(pending)  # after the quota sentence, if any
                pending = []
            out.append((kind, value))
            continue
        out.extend(pending)
        n = len(value[0]) - 6
        out.append(("table", [[*row[:2], *row[2 + n:]] for row in value]))
        pending = [("table", [[row[1], *row[2 + k:2 + min(k + 5, n)]] for row in value])
                   for k in range(0, n, 5)]
    return out + pending


def test_a_wide_schemes_word_bulletin_says_what_the_markdown_says(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """Ten first-level components: every cell of the Markdown's ranking is in the
    Word bulletin, the ranking in one table and the components in two under it."""
    from test_bulletin_docx_layout import _wide

    root = _wide(tmp_path / "wide")
    md, word = both(cli, root, tmp_path, "--quarter", "Q2")
    assert word == as_word(md)
    assert word != md
