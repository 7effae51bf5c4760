"""`export -o FILE.xlsx` with the supervision loop (SPEC §12): the 约谈登记 and 整改台账
sheets after 汇总 — every interview and rectification as written, a rectification's
state at the as-of by the status report's rules — and nothing when the ledger keeps
no supervision file."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import EXAMPLE
from luoshi_cli import api
from luoshi_cli.excel.export import build, to_bytes

CASE = Path(__file__).parent / "cases" / "valid" / "supervision" / "ledger"
AS_OF = date(2024, 5, 31)
#: the v1 example's title (luoshi.yaml)
TITLE = "渭南高新区2021年度重点任务抓落实台账"

#: the case ledger's units (区发改委 fgw, 张家村街道 zhangjiacun, 区教育局 jiaoyuju) and
#: leaders (李某某 li-fuqu, 王某某 wang-fuqu); one of each kind of rectification state
SUPERVISION = """\
interviews:
  - {unit: fgw, date: 2024-04-12, kind: 提醒谈话, by: 区委督查室, reason: 节点逾期, tasks: [T-001]}
  - {unit: jiaoyuju, date: 2024-01-15, by: 李某某, reason: 一季度排名末位, period: 2023-Q4,
     note: 已当场表态}
rectifications:
  - id: ZG-01
    unit: fgw
    tasks: [T-001]
    source: interview
    opened: 2024-04-12
    due: 2024-05-31
    report: {date: 2024-05-20, note: 已报送书面报告}
  - id: ZG-02
    unit: zhangjiacun
    source: red_light
    opened: 2024-03-01
    due: 2024-03-31
    closed: {date: 2024-04-05, approved_by: li-fuqu, evidence: 整改报告}
  - id: ZG-03
    unit: jiaoyuju
    source: inspection
    opened: 2024-04-01
    due: 2024-04-30
    reason: 督查发现台账不全
  - id: ZG-04
    unit: fgw
    source: ranking
    opened: 2024-04-01
    due: 2024-04-30
    closed: {date: 2024-04-28, approved_by: wang-fuqu, evidence: 验收意见}
    note: 按期完成
  - id: ZG-05
    unit: fgw
    source: other
    opened: 2024-06-05
    due: 2024-06-30
  - id: ZG-06
    unit: zhangjiacun
    tasks: [T-001, T-002]
    opened: 2024-05-01
    due: 2024-05-15
    closed: {date: 2024-06-10, approved_by: li-fuqu}
"""


#: a second task, for a rectification naming two
TASK_2 = """\
- id: T-002
  title: 改造老旧小区
  category: city
  lead: jiaoyuju
  leaders: [wang-fuqu]
  start: 2024-01-01
  standard: 改造小区20个
  milestones:
    - {due: 2024-12-31, standard: 完成改造}
  status: in_progress
  progress: 20
"""


def ledger_with(tmp_path: Path, text: str = SUPERVISION) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(CASE, root)
    (root / "supervision" / "2024.yaml").write_text(text, encoding="utf-8")
    (root / "tasks" / "city.yaml").write_text(TASK_2, encoding="utf-8")
    return root


def workbook(root: Path, day: date, lang: str, tmp_path: Path) -> Any:
    """The exported workbook read back, after checking the bulk rows are the
    cell-by-cell bytes (tests/test_excel_rows.py's rule) for this ledger too."""
    led = api.open_ledger(root).ledger
    bulk, plain = build(led, day, lang), build(led, day, lang, bulk=False)
    data = to_bytes(bulk.workbook, day)
    assert data == to_bytes(plain.workbook, day)
    out = tmp_path / f"book-{lang}.xlsx"
    out.write_bytes(data)
    return openpyxl.load_workbook(out)


def rows(ws: Any) -> list[tuple[Any, ...]]:
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def d(month: int, day: int) -> datetime:
    return datetime(2024, month, day)


#: at 2024-05-31: ZG-01 open, due that very day (not after it) → 在办; ZG-02 closed
#: 04-05 after its due 03-31 → 超期销号; ZG-03 open after its due 04-30 → 逾期; ZG-04
#: closed 04-28 by its due 04-30 → 已销号; ZG-05 opened 06-05, after the as-of → no
#: state; ZG-06 closed 06-10, after the as-of, so open on it and past its due 05-15 → 逾期
EXPECTED = {
    "zh": {
        "sheets": ["任务台账", "任务明细", "汇总", "约谈登记", "整改台账"],
        "interviews": [
            ("测试台账 约谈登记", *[None] * 10),
            ("序号", "单位", "单位代码", "日期", "方式", "约谈人", "事由", "所依排名", "涉及任务",
             "备注", "文件"),
            (1, "区发改委", "fgw", d(4, 12), "提醒谈话", "区委督查室", "节点逾期", None, "T-001",
             None, "supervision/2024.yaml"),
            (2, "区教育局", "jiaoyuju", d(1, 15), None, "李某某", "一季度排名末位", "2023-Q4",
             None, "已当场表态", "supervision/2024.yaml"),
        ],
        "rectifications": [
            ("测试台账 整改台账（截至 2024-05-31）", *[None] * 14),
            ("编号", "单位", "单位代码", "来源", "涉及任务", "立项日期", "整改期限", "书面报告日期",
             "报告说明", "销号日期", "批准领导", "佐证", "状态", "原因", "备注"),
            ("ZG-01", "区发改委", "fgw", "约谈", "T-001", d(4, 12), d(5, 31), d(5, 20),
             "已报送书面报告", None, None, None, "在办", None, None),
            ("ZG-02", "张家村街道", "zhangjiacun", "红灯任务", None, d(3, 1), d(3, 31), None,
             None, d(4, 5), "李某某", "整改报告", "超期销号", None, None),
            ("ZG-03", "区教育局", "jiaoyuju", "督查检查", None, d(4, 1), d(4, 30), None, None,
             None, None, None, "逾期", "督查发现台账不全", None),
            ("ZG-04", "区发改委", "fgw", "考核排名", None, d(4, 1), d(4, 30), None, None,
             d(4, 28), "王某某", "验收意见", "已销号", None, "按期完成"),
            ("ZG-05", "区发改委", "fgw", "其他", None, d(6, 5), d(6, 30), None, None, None,
             None, None, None, None, None),
            ("ZG-06", "张家村街道", "zhangjiacun", None, "T-001、T-002", d(5, 1), d(5, 15),
             None, None, d(6, 10), "李某某", None, "逾期", None, None),
        ],
    },
    "en": {
        "sheets": ["Tasks", "Task details", "Summary", "Interviews", "Rectifications"],
        "interviews": [
            ("测试台账: interviews", *[None] * 10),
            ("No.", "Unit", "Unit ID", "Date", "Kind", "Held by", "Reason", "Ranking", "Tasks",
             "Note", "File"),
            (1, "区发改委", "fgw", d(4, 12), "提醒谈话", "区委督查室", "节点逾期", None, "T-001",
             None, "supervision/2024.yaml"),
            (2, "区教育局", "jiaoyuju", d(1, 15), None, "李某某", "一季度排名末位", "2023-Q4",
             None, "已当场表态", "supervision/2024.yaml"),
        ],
        "rectifications": [
            ("测试台账: rectifications (as of 2024-05-31)", *[None] * 14),
            ("ID", "Unit", "Unit ID", "Source", "Tasks", "Opened", "Due", "Report date",
             "Report note", "Closed", "Approved by", "Evidence", "Status", "Reason", "Note"),
            ("ZG-01", "区发改委", "fgw", "interview", "T-001", d(4, 12), d(5, 31), d(5, 20),
             "已报送书面报告", None, None, None, "open", None, None),
            ("ZG-02", "张家村街道", "zhangjiacun", "red-light task", None, d(3, 1), d(3, 31),
             None, None, d(4, 5), "李某某", "整改报告", "closed late", None, None),
            ("ZG-03", "区教育局", "jiaoyuju", "inspection", None, d(4, 1), d(4, 30), None,
             None, None, None, None, "overdue", "督查发现台账不全", None),
            ("ZG-04", "区发改委", "fgw", "ranking", None, d(4, 1), d(4, 30), None, None,
             d(4, 28), "王某某", "验收意见", "closed", None, "按期完成"),
            ("ZG-05", "区发改委", "fgw", "other", None, d(6, 5), d(6, 30), None, None, None,
             None, None, None, None, None),
            ("ZG-06", "张家村街道", "zhangjiacun", None, "T-001, T-002", d(5, 1), d(5, 15),
             None, None, d(6, 10), "李某某", None, "overdue", None, None),
        ],
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_registers_cell_by_cell(tmp_path: Path, lang: str) -> None:
    """Every cell of both registers, hand-written (states: see `EXPECTED`); dates as
    dates in yyyy-mm-dd, the header styled as every sheet's, two rows and the first two
    columns frozen, the header filtered."""
    wb = workbook(ledger_with(tmp_path), AS_OF, lang, tmp_path)
    want = EXPECTED[lang]
    assert wb.sheetnames == want["sheets"]
    iv, rc = wb[want["sheets"][3]], wb[want["sheets"][4]]
    assert rows(iv) == want["interviews"]
    assert rows(rc) == want["rectifications"]
    summary_head = wb[want["sheets"][2]]["A4"]  # (汇总's header row, for the look)
    for ws, ref in ((iv, "A3:K4"), (rc, "A3:O8")):
        assert ws.freeze_panes == "C3"
        assert ws.auto_filter.ref == ref.replace("A3", "A2")
        assert ws.print_title_rows == "$1:$2"
        head = ws["A2"]
        assert head.font.b and head.fill.fgColor.rgb == summary_head.fill.fgColor.rgb
        assert ws["A1"].font.sz == 14
    assert iv["D3"].number_format == rc["F3"].number_format == "yyyy-mm-dd"
    # the prose columns wrap; the text columns are Text (as 任务台账's)
    assert iv["G3"].alignment.wrap_text and iv["G3"].number_format == "@"
    assert rc["A3"].number_format == "@" and not rc["A3"].alignment.wrap_text
    # widths (stored as n + 5/7): 单位 区发改委 / 区教育局 (4 CJK: 8) + 2 → 10; a date
    # column 12; 文件 supervision/2024.yaml (21) + 2 → 23
    assert iv.column_dimensions["B"].width == pytest.approx(10 + 5 / 7, abs=0.01)
    assert iv.column_dimensions["D"].width == pytest.approx(12 + 5 / 7, abs=0.01)
    assert iv.column_dimensions["K"].width == pytest.approx(23 + 5 / 7, abs=0.01)


def test_no_report_note_no_column(tmp_path: Path) -> None:
    """报告说明 is there only when a written report has a note (as 任务明细's optional
    columns): the case ledger's own file has none — 14 columns, 状态 the 12th."""
    wb = workbook(CASE, AS_OF, "zh", tmp_path)
    assert rows(wb["整改台账"])[1:] == [
        ("编号", "单位", "单位代码", "来源", "涉及任务", "立项日期", "整改期限", "书面报告日期",
         "销号日期", "批准领导", "佐证", "状态", "原因", "备注"),
        ("ZG-2024-01", "区发改委", "fgw", "约谈", "T-001", d(4, 12), d(5, 31), d(5, 20), None,
         None, None, "在办", None, None),
        ("ZG-2024-02", "张家村街道", "zhangjiacun", "红灯任务", None, d(3, 1), d(3, 31), None,
         d(4, 5), "李某某", "整改报告", "超期销号", None, None)]


def test_a_supervision_files_note_reaches_both_registers(tmp_path: Path) -> None:
    """A supervision file's own `note:` (what it holds, who keeps it) was read and
    dropped by the workbook (only the Parquet export's `supervision_files` had it).
    When some file has one, both registers end with 文件备注: the note of the file each
    entry comes from — here supervision/2024.yaml has one, a second file
    supervision/2024-h2.yaml (ZG-07, one interview) none, so its rows leave it blank.
    Formula text in a note gets its leading quote as every other cell."""
    root = ledger_with(tmp_path, "note: '=1+1 区委督查室维护'\n" + SUPERVISION)
    (root / "supervision" / "2024-h2.yaml").write_text(
        "interviews:\n  - {unit: fgw, date: 2024-05-06, reason: 二次提醒}\n"
        "rectifications:\n  - {id: ZG-07, unit: fgw, opened: 2024-05-06, due: 2024-06-30}\n",
        encoding="utf-8")
    for lang, head in (("zh", "文件备注"), ("en", "File note")):
        wb = workbook(root, AS_OF, lang, tmp_path)
        iv, rc = (rows(ws) for ws in wb.worksheets[3:5])
        note = "'=1+1 区委督查室维护"
        assert iv[1][-2:] == (("文件", head) if lang == "zh" else ("File", head))
        # files in path order: "2024-h2.yaml" before "2024.yaml" ("-" < ".")
        assert [r[-2:] for r in iv[2:]] == [("supervision/2024-h2.yaml", None)] + [
            ("supervision/2024.yaml", note)] * 2
        assert rc[1][-1] == head and len(rc[1]) == 16  # 15 columns (报告说明 used) + 1
        assert [(r[0], r[-1]) for r in rc[2:]] == [
            ("ZG-07", None), *((f"ZG-0{n}", note) for n in range(1, 7))]
    # a ledger whose files have no note keeps its 11 + 15 columns (the tests above)


def test_an_earlier_as_of_judges_the_earlier_day(tmp_path: Path) -> None:
    """The state is judged at the as-of, the fields stay as written: at 2024-04-03
    ZG-02 (closed 04-05, due 03-31) was still open after its due → 逾期; ZG-01 (opened
    04-12), ZG-05 and ZG-06 not yet opened → blank; ZG-03 and ZG-04 (due 04-30) open →
    在办."""
    wb = workbook(ledger_with(tmp_path), date(2024, 4, 3), "zh", tmp_path)
    got = [(r[0], r[12]) for r in rows(wb["整改台账"])[2:]]
    assert got == [("ZG-01", None), ("ZG-02", "逾期"), ("ZG-03", "在办"), ("ZG-04", "在办"),
                   ("ZG-05", None), ("ZG-06", None)]


def test_hostile_text_is_inert(tmp_path: Path) -> None:
    """Text a spreadsheet would run gets one leading quote and is stored as a string;
    a control character is written as its escape, as on every other sheet."""
    text = SUPERVISION.replace("reason: 节点逾期", 'reason: "=HYPERLINK(\\"http://x\\",\\"点我\\")"'
                               ).replace("note: 已当场表态", 'note: "a\\u0007b\\ttab"').replace(
        "reason: 督查发现台账不全", "reason: '@SUM(1)'").replace(
        "note: 按期完成", "note: '-1+2'")
    wb = workbook(ledger_with(tmp_path, text), AS_OF, "zh", tmp_path)
    iv, rc = wb["约谈登记"], wb["整改台账"]
    assert (iv["G3"].value, iv["J4"].value) == ("'=HYPERLINK(\"http://x\",\"点我\")",
                                              "a\\x07b\ttab")
    assert (rc["N5"].value, rc["O6"].value) == ("'@SUM(1)", "'-1+2")
    for cell in (iv["G3"], iv["J4"], rc["N5"], rc["O6"]):
        assert cell.data_type == "s"


def test_no_supervision_files_no_sheets(tmp_path: Path) -> None:
    """A ledger without supervision files (the v1 example) gets the sheets it always
    got; one with an empty supervision file keeps the loop, so gets both registers with
    their headers and no rows — before the score sheets."""
    led = api.open_ledger(EXAMPLE).ledger
    assert build(led, date(2021, 12, 31), "zh").sheets == [
        "任务台账", "任务明细", "汇总", "得分 2021-Q1", "得分 2021-Q2", "得分 2021-Q3",
        "得分 2021-Q4", "得分 2021"]
    copy = tmp_path / "example"
    shutil.copytree(EXAMPLE, copy)
    (copy / "supervision").mkdir()
    (copy / "supervision" / "2021.yaml").write_text("interviews: []\nrectifications: []\n",
                                                    encoding="utf-8")
    wb = workbook(copy, date(2021, 12, 31), "en", tmp_path)
    assert wb.sheetnames == ["Tasks", "Task details", "Summary", "Interviews",
                             "Rectifications", "Scores 2021-Q1", "Scores 2021-Q2",
                             "Scores 2021-Q3", "Scores 2021-Q4", "Scores 2021"]
    assert [r[0] for r in rows(wb["Interviews"])] == [f"{TITLE}: interviews", "No."]
    assert [r[0] for r in rows(wb["Rectifications"])] == [
        f"{TITLE}: rectifications (as of 2021-12-31)", "ID"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_tasks_reads_only_the_task_sheet(cli: Any, tmp_path: Path, lang: str) -> None:
    """`import tasks` on the exported workbook picks 任务台账 by its header, and does not
    name the registers as sheets left out (the English 整改台账 has a "Tasks" column,
    which reads like a task title)."""
    root = ledger_with(tmp_path)
    book = tmp_path / "ledger.xlsx"
    r = cli("export", root, "-o", book, "--as-of", "2024-05-31", "--lang", lang)
    assert r.exit_code == 0, r.stderr
    assert ("约谈登记, 整改台账" if lang == "zh" else "Interviews, Rectifications") in r.stderr
    for f in (root / "tasks").glob("*.yaml"):
        f.unlink()
    out = root / "tasks" / "all.yaml"
    r = cli("--lang", lang, "import", "tasks", book, root, "-o", out, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert "task header" not in r.stderr and "任务表头" not in r.stderr
    assert [t.id for t in api.open_ledger(root).ledger.tasks] == ["T-001", "T-002"]


def test_the_kept_workbook_follows_the_supervision_files(cli: Any, tmp_path: Path) -> None:
    """The kept-document key holds every supervision file: closing ZG-03 makes the
    workbook again (its state 逾期 → 超期销号), the same bytes as a run without cache."""
    on, off = {"LUOSHI_CACHE": "1", "LUOSHI_NO_CACHE": ""}, {"LUOSHI_NO_CACHE": "1"}
    root = ledger_with(tmp_path)
    kept, plain = tmp_path / "kept.xlsx", tmp_path / "plain.xlsx"
    args = ("--as-of", "2024-05-31")
    assert cli("export", root, "-o", kept, *args, env=on).exit_code == 0
    assert cli("export", root, "-o", kept, *args, env=on).exit_code == 0
    before = kept.read_bytes()
    f = root / "supervision" / "2024.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace(
        "    reason: 督查发现台账不全\n",
        "    reason: 督查发现台账不全\n    closed: {date: 2024-05-06, approved_by: li-fuqu}\n"),
        encoding="utf-8")
    assert cli("export", root, "-o", kept, *args, env=on).exit_code == 0
    assert cli("export", root, "-o", plain, *args, env=off).exit_code == 0
    assert kept.read_bytes() == plain.read_bytes() != before
    got = [(r[0], r[12]) for r in rows(openpyxl.load_workbook(kept)["整改台账"])[3:5]]
    assert got == [("ZG-02", "超期销号"), ("ZG-03", "超期销号")]
