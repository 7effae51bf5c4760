"""`luoshi export`: the workbook an office opens — checked cell by cell with openpyxl."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN, EXAMPLE, edit


@pytest.fixture(scope="module")
def weinan_book(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The 渭南 example exported once for the read-only checks below."""
    from typer.testing import CliRunner

    from luoshi_cli.cli.app import app

    out = tmp_path_factory.mktemp("export") / "weinan.xlsx"
    r = CliRunner().invoke(app, ["export", str(EXAMPLE), "-o", str(out),
                                 "--as-of", "2021-06-30"], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert r.stderr == (
        "luoshi: 未导出（工作簿中没有这些列，import tasks 不会读回；--force 覆盖导入原文件时保留文件中的）："
        "红旗/黄牌（2 个任务）、最新进展未列出的月报（19 个任务）、锁定标记（1 个任务）、节点调整记录（1 个任务）\n"
        f"已写入 {out}（任务台账, 任务明细, 汇总, 得分 2021-Q1, 得分 2021-Q2, 得分 2021-Q3, "
        "得分 2021-Q4, 得分 2021）\n")
    return openpyxl.load_workbook(out)


def test_sheets_and_layout(weinan_book: Any) -> None:
    """The printed 任务台账 holds the columns an office reads; 任务明细 the rest."""
    wb = weinan_book
    assert wb.sheetnames == ["任务台账", "任务明细", "汇总", "得分 2021-Q1", "得分 2021-Q2",
                             "得分 2021-Q3", "得分 2021-Q4", "得分 2021"]
    ws = wb["任务台账"]
    assert ws["A1"].value == "渭南高新区2021年度重点任务抓落实台账（截至 2021-06-30）"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:J1"}
    assert [c.value for c in ws[2]] == [
        "编号", "任务名称", "牵头单位", "责任单位", "包抓领导", "完成时限", "状态", "进度",
        "序时进度", "亮灯"]
    assert ws.freeze_panes == "C3"
    assert ws.auto_filter.ref == "A2:J22"
    assert ws.max_row == 22
    # widths as Excel stores them: n characters shown is n + 5/7 (5 pixels of padding)
    assert ws.column_dimensions["A"].width == 8.7109375  # "WN-011" padded
    assert ws.column_dimensions["B"].width == 40.7109375  # prose: capped
    assert ws["B3"].alignment.wrap_text
    assert ws.column_dimensions["F"].width == 12.7109375
    d = wb["任务明细"]
    assert d["A1"].value == ("渭南高新区2021年度重点任务抓落实台账 任务明细（截至 2021-06-30；"
                             "编号、任务名称以“任务台账”表为准）")
    assert [c.value for c in d[2]] == [
        "编号", "任务名称", "类别", "配合单位", "开始日期", "完成标准", "节点1时限", "节点1标准",
        "节点1完成", "节点2时限", "节点2标准", "节点2完成", "节点3时限", "节点3标准", "节点3完成",
        "节点4时限", "节点4标准", "节点4完成", "最新进展", "销号日期", "销号批准", "销号依据",
        "luoshi:sent"]
    # the last: luoshi's mark of each task's reports as the sheet shows them, hidden
    assert d.column_dimensions["W"].hidden and not d.column_dimensions["V"].hidden
    assert (d.freeze_panes, d.auto_filter.ref, d.max_row) == ("C3", "A2:W22", 22)
    assert d.column_dimensions["F"].width == 30.7109375 and d["F3"].alignment.wrap_text
    # the same tasks in the same order on both sheets
    assert [d.cell(r, 1).value for r in range(3, 23)] == [ws.cell(r, 1).value
                                                         for r in range(3, 23)]


def test_task_row_values(weinan_book: Any) -> None:
    from luoshi_cli.excel.export import state_mark
    from luoshi_cli.load.assemble import open_ledger

    ws, d = weinan_book["任务台账"], weinan_book["任务明细"]
    t11 = next(t for t in open_ledger(EXAMPLE).ledger.tasks if t.id == "WN-011")
    # tasks in id order; WN-011 is red at 2021-06-30: its 2021-05-31 milestone is overdue;
    # 完成时限 is its last milestone's
    assert [c.value for c in ws[13]] == [
        "WN-011", "城中村改造入户签约", "城改办", "崇业路街道", "李某某", datetime(2021, 10, 31),
        "推进中", 35, 59.41, "红"]
    assert [c.value for c in d[13]] == [
        "WN-011", "城中村改造入户签约", "城市提质与文明创建", None, datetime(2021, 1, 1),
        "年度改造村入户签约率100%，10月底前完成拆除",
        datetime(2021, 3, 31), "完成入户调查", datetime(2021, 3, 31),
        datetime(2021, 5, 31), "签约率达到80%", None,
        datetime(2021, 10, 31), "签约率100%并完成拆除", None, None, None, None,
        "2021-06：签约率66%，部分户对补偿标准有异议", None, None, None, state_mark(t11)]
    # the closed task carries its sign-off, and no light
    assert [c.value for c in ws[3]][6:] == ["已销号", 100, 100, None]
    assert [c.value for c in d[3]][18:22] == [
        "2021-04：4月12日全部办结", datetime(2021, 4, 30), "李某某",
        "市级重点项目前期手续办结清单及审批文件"]


def test_dates_are_real_dates(weinan_book: Any) -> None:
    ws, d = weinan_book["任务台账"], weinan_book["任务明细"]
    for sheet, ref in ((ws, "F13"), (d, "E13"), (d, "G13"), (d, "I13"), (d, "J13"), (d, "T3")):
        assert sheet[ref].is_date, ref
        assert sheet[ref].number_format == "yyyy-mm-dd"
    assert ws["I13"].number_format == "0.00"


def test_red_and_yellow_rows_are_filled(weinan_book: Any) -> None:
    """The colours are conditional formatting on the 亮灯 column (J), not static fills:
    an office that edits a light sees its row's colour follow."""
    ws = weinan_book["任务台账"]
    assert {c.fill.fill_type for r in range(3, ws.max_row + 1) for c in ws[r]} == {None}
    rules = [(str(rng.sqref), rule.formula, rule.dxf.fill.bgColor.rgb)
             for rng in ws.conditional_formatting for rule in rng.rules]
    assert rules == [("A3:J22", ['$J3="红"'], "FFFFC7CE"),
                     ("A3:J22", ['$J3="黄"'], "FFFFEB9C")]
    lights = {ws.cell(r, 1).value: ws.cell(r, 10).value for r in range(3, ws.max_row + 1)}
    assert (lights["WN-010"], lights["WN-009"], lights["WN-014"]) == ("黄", "绿", None)
    assert [k for k, v in lights.items() if v == "红"] == ["WN-003", "WN-008", "WN-011"]


def test_summary_sheet(weinan_book: Any) -> None:
    ws = weinan_book["汇总"]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=3)]
    assert rows[0][0] == "按类别"
    assert rows[1] == ("类别", "编号", "任务数", "未启动", "推进中", "已完成", "待销号", "已销号",
                       "暂缓", "红灯", "黄灯", "绿灯", "完成率%", "按时完成率%")
    # in luoshi.yaml's order
    assert [r[1] for r in rows[2:9]] == ["proj", "invest", "industry", "city", "bizenv",
                                        "party", "style"]
    assert rows[2] == ("重点项目建设", "proj", 3, 0, 2, 0, 0, 1, 0, 1, 0, 1, 33.33, 40)
    assert rows[9] == ("合计", None, 20, 1, 16, 1, 0, 1, 1, 3, 3, 12, 10, 61.9)
    lead = rows.index(("按牵头单位",) + (None,) * 13)
    assert rows[lead + 2] == ("崇业路街道", "chongyelu", 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 100)
    assert ws.freeze_panes == "A2"


def test_scores_sheet(weinan_book: Any) -> None:
    from luoshi_cli.load.assemble import open_ledger
    from luoshi_cli.ops.scoring import score_period
    from luoshi_cli.report.scores import rule_names

    ws = weinan_book["得分 2021-Q2"]
    # then each component's score, every level in the scheme's order (as score's CSV)
    assert [c.value for c in ws[2]] == ["排名", "单位", "编号", "得分", "等次", "调整前等次", "扣分",
                                        "约谈", "适用规则", "专项任务考核", "作风建设提升年活动开展情况",
                                        "大培训", "大锻炼", "大督导", "大推进",
                                        "“12345”快速响应平台群众诉求办理情况", "政务服务开展情况"]
    assert ws.freeze_panes == "C3"
    expected = score_period(open_ledger(EXAMPLE).ledger, "2021-Q2")
    got = [tuple(c.value for c in row)[:6] for row in ws.iter_rows(min_row=3)]
    # the grade and the rules as `luoshi score` says them (score: 一般（良好→一般）): the
    # grade before a rule moved it in a column of its own, a rule by its note
    assert got == [(u.rank, u.name, u.unit, float(u.score), u.grade,
                    u.base_grade if u.base_grade != u.grade else None)
                   for u in expected.units]
    assert (ws["E8"].value, ws["F8"].value) == ("一般", "良好")
    rules = [row[8].value for row in ws.iter_rows(min_row=3)]
    assert rules == ["、".join(rule_names(u)) or None for u in expected.units]
    assert ws["D3"].number_format == "0.00"
    # 崇业路街道's figures as `luoshi score --quarter Q2 --explain chongyelu` gives them:
    # 专项任务考核 86.88, 作风建设提升年 87.25 (大培训 87.00, 大锻炼 88.50, 大督导 86.00,
    # 大推进 87.50), 12345 87.50, 政务服务 84.50 — the total 86.88 of the one top component
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[2] == "chongyelu")
    assert row[9:] == (86.88, 87.25, 87, 88.5, 86, 87.5, 87.5, 84.5)
    assert ws["Q3"].number_format == "0.00"
    interviews = [row[7].value for row in ws.iter_rows(min_row=3)]
    assert interviews.count("是") == sum(1 for u in expected.units if u.interview)


def test_english_workbook(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "en.xlsx"
    r = cli("export", EXAMPLE, "-o", out, "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:4] == ["Tasks", "Task details", "Summary", "Scores 2021-Q1"]
    ws = wb["Tasks"]
    assert [c.value for c in ws[2]] == ["ID", "Title", "Lead unit", "Responsible units",
                                        "Leaders", "Due", "Status", "Progress",
                                        "Expected progress", "Light"]
    assert ws["G5"].value == "in progress" and ws["J5"].value == "red"
    assert [c.value for c in wb["Task details"][2]][:7] == [
        "ID", "Title", "Category", "Cooperating units", "Start", "Standard", "Milestone 1 due"]
    assert r.stderr == (
        "luoshi: not exported (the workbook has no column for them, so import tasks does "
        "not read them back; a --force re-import over the tasks' own file keeps the "
        "file's): flags (2 tasks), monthly reports the sheet does not show (19 tasks), locked (1 task), "
        "milestone adjustments (1 task)\n"
        f"wrote {out} (Tasks, Task details, Summary, Scores 2021-Q1, Scores 2021-Q2, "
        "Scores 2021-Q3, Scores 2021-Q4, Scores 2021)\n")


def test_same_ledger_same_bytes(cli: Any, tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert cli("export", BEILIN, "-o", a, "--as-of", "2024-05-31").exit_code == 0
    assert cli("export", BEILIN, "-o", b, "--as-of", "2024-05-31").exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    wb = openpyxl.load_workbook(a)
    assert wb.sheetnames == ["任务台账", "任务明细", "汇总"]  # no scheme: no scores sheets
    assert wb.properties.modified == datetime(2024, 5, 31)


def test_refuses_bad_ledgers_and_arguments(cli: Any, example: Path, tmp_path: Path) -> None:
    r = cli("export", example)
    assert (r.exit_code, r.stderr) == (2, "luoshi: 请用 -o FILE.xlsx 指定输出文件\n")
    r = cli("export", example, "-o", tmp_path / "x.csv")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {tmp_path / 'x.csv'} 不是 .xlsx 文件名\n")
    city = example / "tasks" / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("lead: chongyelu", "lead: nobody"),
                    encoding="utf-8")
    r = cli("export", example, "-o", tmp_path / "x.xlsx", "--as-of", "2021-06-30")
    assert r.exit_code == 1
    assert "台账有 1 个错误" in r.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_a_year_that_cannot_be_scored(cli: Any, example: Path, tmp_path: Path) -> None:
    (example / "records" / "2021-Q3.yaml").unlink()
    out = tmp_path / "x.xlsx"
    r = cli("export", example, "-o", out, "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 0
    assert r.stderr.splitlines()[0] == (
        "luoshi: 2021 cannot be scored; no scores sheet: the records of 2021-Q3 are missing "
        "for 2021: add them, or pass --partial to score the year from the records present")
    assert openpyxl.load_workbook(out).sheetnames[-1] == "Scores 2021-Q4"
    r = cli("export", example, "-o", out, "--as-of", "2021-06-30", "--partial")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(out)["得分 2021"]
    assert ws["A1"].value == "渭南高新区2021年度作风建设专项考核办法 2021 得分（缺 2021-Q3，按已有记录计算）"


def test_english_workbook_words(cli: Any, example: Path, tmp_path: Path) -> None:
    """An English workbook joined a unit's rules with 、 on its Scores sheet and wrote
    Latest update as "2021-06：…" (a full-width colon); now ", " and "2021-06: …", which
    import reads back as that month's update as before.  jinchengshequ gets a veto flag
    in 2021-Q2 beside its style-cap deduction: two rules applied."""
    edit(example / "records" / "2021-Q2.yaml", "  - {unit: guijianju, kind: veto,",
         "  - {unit: jinchengshequ, kind: veto, reason: an accident}\n"
         "  - {unit: guijianju, kind: veto,")
    out = tmp_path / "en.xlsx"
    r = cli("export", example, "-o", out, "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb["Scores 2021-Q2"]
    rules = {row[2]: row[8] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert (rules["jinchengshequ"], rules["guijianju"]) == ("style-cap, veto", "veto")
    d = wb["Task details"]
    notes = {row[0]: row[18] for row in d.iter_rows(min_row=3, values_only=True)}
    assert notes["WN-011"] == "2021-06: 签约率66%，部分户对补偿标准有异议"
    zh = tmp_path / "zh.xlsx"
    assert cli("export", example, "-o", zh, "--as-of", "2021-06-30").exit_code == 0
    wb = openpyxl.load_workbook(zh)
    rules = {row[2]: row[8] for row in wb["得分 2021-Q2"].iter_rows(min_row=3, values_only=True)}
    assert rules["jinchengshequ"] == "style-cap、veto"
    notes = {row[0]: row[18] for row in wb["任务明细"].iter_rows(min_row=3, values_only=True)}
    assert notes["WN-011"] == "2021-06：签约率66%，部分户对补偿标准有异议"


def test_score_sheets_in_the_order_periods_end() -> None:
    """The 得分 sheets follow the day each period ends, a month before the quarter and
    the year ending with it.  The key was (year, last digit): 2022-11 came before
    2022-02, and 2022-01, 2022-11 and 2022-Q1 tied, their order left to a set's (a
    string's hash: another order each run)."""
    from types import SimpleNamespace

    from luoshi_cli.excel.export import _periods

    held = ["2022", "2022-Q4", "2022-11", "2022-Q1", "2022-03", "2022-02", "2022-01"]
    ledger = SimpleNamespace(records=[SimpleNamespace(period=p) for p in held], scheme=None)
    assert _periods(ledger) == [  # type: ignore[arg-type]
        "2022-01", "2022-02", "2022-03", "2022-Q1", "2022-11", "2022-Q4", "2022"]


def test_a_monthly_schemes_quarter_has_its_sheet(write: Callable[..., Path], cli: Callable[..., Any],
                                                 tmp_path: Path) -> None:
    """A scheme scored only monthly never has a 2024-Q2 record: the workbook had the six
    months' sheets and no quarter's, while `score --quarter` and the Parquet export rank
    the quarter as the mean of its months.  Q1 and Q2 are in whole: both quarters get
    their sheet after their last month's, with the ranking `score --quarter Q2` gives
    (丙局 94.33, 乙局 90.50, 甲局 83.17, 丁局 74.00 — worked out by hand in
    test_bulletin_monthly)."""
    from openpyxl import load_workbook

    from test_bulletin_monthly import _monthly_only

    root = _monthly_only(write)
    path = tmp_path / "x.xlsx"
    r = cli("export", root, "--as-of", "2024-07-10", "-o", path)
    assert r.exit_code == 0, r.stderr
    book = load_workbook(path, read_only=True)
    assert [s for s in book.sheetnames if s.startswith("得分")] == [
        "得分 2024-01", "得分 2024-02", "得分 2024-03", "得分 2024-Q1",
        "得分 2024-04", "得分 2024-05", "得分 2024-06", "得分 2024-Q2"]
    rows = [r for r in book["得分 2024-Q2"].iter_rows(values_only=True)
            if r and isinstance(r[0], int)]
    assert [(r[1], r[3]) for r in rows] == [("丙局", 94.33), ("乙局", 90.5), ("甲局", 83.17),
                                            ("丁局", 74.0)]


def _milestones_task(tid: str, n: int) -> str:
    from datetime import date, timedelta

    ms = ", ".join(f"{{due: {date(2021, 1, 1) + timedelta(days=i)}, standard: m{i}}}"
                   for i in range(n))
    return (f"- {{id: {tid}, title: 节点很多的任务, category: city, lead: chongyelu, "
            f"leaders: [zhang-fushuji], start: 2021-01-01, standard: s, status: in_progress, "
            f"progress: 10, milestones: [{ms}]}}\n")


def test_a_task_with_more_milestones_than_a_row_holds_is_refused(
        example: Path, cli: Callable[..., Any], tmp_path: Path) -> None:
    """任务明细 gives each milestone three columns of the task's one row.  The example's
    other columns are 11 (编号, 任务名称, 类别, 配合单位, 开始日期, 完成标准, 最新进展,
    销号日期/批准/依据, luoshi:sent), so (16,384 − 11) // 3 = 5,457 milestones fit
    (16,382 columns) and 5,458 do not (16,385).  That export stopped with an internal
    error (`ValueError: row 2 is outside a worksheet`); now it is refused in one line
    naming the first such task by id and the limit, exit 2, no file written — never a
    sheet without some milestones, which `import tasks` would read back short."""
    from openpyxl import load_workbook

    path = tmp_path / "x.xlsx"
    (example / "tasks" / "big.yaml").write_text(
        _milestones_task("WN-902", 5460) + _milestones_task("WN-901", 5458), encoding="utf-8")
    r = cli("export", example, "-o", path, "--as-of", "2021-06-30")
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", (
        "luoshi: 无法导出：任务 WN-901 有 5458 个节点，“任务明细”表每个节点占 3 列，Excel 一行最多 "
        "16384 列，本台账每个任务最多 5457 个节点（另有 1 个任务也超出）\n"))
    assert not path.exists()
    r = cli("export", example, "-o", path, "--as-of", "2021-06-30", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, (
        "luoshi: cannot export: task WN-901 has 5,458 milestones; the Task details sheet gives "
        "each milestone 3 columns and an Excel row holds 16,384, so a task of this ledger can "
        "have at most 5,457 (1 more task over it)\n"))
    (example / "tasks" / "big.yaml").write_text(_milestones_task("WN-901", 5457),
                                               encoding="utf-8")
    r = cli("export", example, "-o", path, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    sheet = load_workbook(path, read_only=True)["任务明细"]
    head = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert len(head) == 16_382 and head[6 + 3 * 5457 - 1] == "节点5457完成"
