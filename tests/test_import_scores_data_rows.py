"""`import scores` never takes a row of data for the score header.

luoshi's own export of the 渭南 example was imported as a score sheet: with no
--sheet, 任务台账 was picked and its data row 4 read as the header, because one cell
of it — the task title 重点项目常态化集中开工 — is a checklist item's name; 42
problems followed (`任务台账!A4: 列“WN-002”不是考核办法…`).  A row naming a unit (units
are a score sheet's rows, never its columns) or a task of the ledger is a data row
(a date is not enough: a date in a header is named at its cell).  The export's 得分
sheets hold computed results (排名 单位 编号 得分 等次, and each component's computed
score): the workbook is refused in one line that says so, and so is such a sheet named
with --sheet or renamed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import Run

AS_OF = "2021-12-31"
SHEETS = "任务台账、任务明细、汇总、得分 2021-Q1、得分 2021-Q2、得分 2021-Q3、得分 2021-Q4、得分 2021"
SHEETS_EN = ("Tasks, Task details, Summary, Scores 2021-Q1, Scores 2021-Q2, Scores 2021-Q3, "
             "Scores 2021-Q4, Scores 2021")


def _export(cli: Callable[..., Run], ledger: Path, tmp_path: Path, lang: str = "zh") -> Path:
    book = tmp_path / "台账.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", AS_OF, "--lang", lang)
    assert r.exit_code == 0, r.stderr
    return book


def _records(ledger: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ledger / "records").iterdir())}


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", f"luoshi: {{book}} 的工作表（{SHEETS}）中都找不到可识别的表头：表头应写 scheme.yaml "
           "中末级指标的名称或编号；luoshi export 导出的得分表（得分 2021-Q1 等）是计算结果（排名、得分、"
           "等次，各指标按考核办法算出并舍入后的得分），不是 import scores 读取的打分单位的得分表"),
    ("en", f"luoshi: no sheet of {{book}} ({SHEETS_EN}) has a header luoshi recognises: head "
           "the columns with names or ids of scheme.yaml's leaf components; the score sheets "
           "luoshi export writes (Scores 2021-Q1, …) hold computed results (rank, score, "
           "grade, each component's score as computed and rounded), not a scoring body's "
           "sheet import scores reads"),
])
def test_the_export_is_refused_in_one_line(cli: Callable[..., Run], example: Path,
                                           tmp_path: Path, lang: str, line: str) -> None:
    """It printed 42 problems at 任务台账!A4 … (the task row read as a header)."""
    book = _export(cli, example, tmp_path, lang)
    before = _records(example)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--dry-run",
            "--lang", lang)
    assert (r.exit_code, r.stdout, r.stderr.splitlines()) == (2, "", [line.format(book=book)])
    assert _records(example) == before


@pytest.mark.parametrize(("lang", "sheet", "line"), [
    ("zh", "得分 2021-Q2",
     "luoshi: 工作表 得分 2021-Q2 是 luoshi export 导出的得分表，其中是计算结果（排名、得分、等次，"
     "各指标按考核办法算出并舍入后的得分），不能作为考核记录导入：请导入打分单位报来的得分表"
     "（每个末级指标一列，表头写 scheme.yaml 中的名称或编号）"),
    ("en", "Scores 2021-Q2",
     "luoshi: sheet Scores 2021-Q2 is a score sheet luoshi export writes: it holds computed "
     "results (rank, score, grade, each component's score as computed and rounded) and "
     "cannot be imported as a record: import the sheet a scoring body sent (a column per "
     "leaf component, headed with its name or id in scheme.yaml)"),
    ("zh", "任务台账", "luoshi: 工作表 任务台账 的表头中没有考核指标（scheme.yaml 中的名称或编号）"),
])
def test_a_sheet_of_the_export_named_with_sheet(cli: Callable[..., Run], example: Path,
                                                tmp_path: Path, lang: str, sheet: str,
                                                line: str) -> None:
    """--sheet 任务台账 printed the 42 problems too; --sheet 得分 2021-Q2 said only that
    its header names no component, not that it is the export's results."""
    book = _export(cli, example, tmp_path, lang)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--dry-run",
            "--sheet", sheet, "--lang", lang)
    assert (r.exit_code, r.stdout, r.stderr.splitlines()) == (2, "", [line])


def test_a_renamed_scores_sheet_of_the_export_is_refused(cli: Callable[..., Run],
                                                         example: Path, tmp_path: Path) -> None:
    """The export's 得分 sheets now carry each component's computed score, whose headers
    name components: renamed (二季度) and alone in its workbook, such a sheet would be
    read as a scoring body's sheet and its rounded results written into the record.
    Told by the columns only luoshi writes together, it is refused as under its name."""
    book = _export(cli, example, tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["得分 2021-Q2"].title = "二季度"
    for name in wb.sheetnames:
        if name != "二季度":
            del wb[name]
    wb.save(book)
    before = _records(example)
    r = cli("import", "scores", book, example, "--period", "2021-Q2")
    assert (r.exit_code, r.stderr.splitlines()) == (2, [
        f"luoshi: {book} 的工作表（二季度）中都找不到可识别的表头：表头应写 scheme.yaml 中末级指标的"
        "名称或编号；luoshi export 导出的得分表（二季度）是计算结果（排名、得分、等次，各指标按考核办法"
        "算出并舍入后的得分），不是 import scores 读取的打分单位的得分表"])
    assert _records(example) == before


@pytest.mark.parametrize("cells", [
    {"C4": "经济发展局、龙背街道", "F4": None},  # the task's id alone says it is data
    {"A4": None, "F4": None},  # its lead unit alone
])
def test_a_task_row_is_no_score_header(cli: Callable[..., Run], example: Path,
                                       tmp_path: Path, cells: dict[str, object]) -> None:
    """Row 4 of 任务台账 (WN-002 重点项目常态化集中开工 经济发展局 … 2021-12-31) names a
    checklist item; either its id or its lead unit makes it data."""
    book = _export(cli, example, tmp_path)
    wb = openpyxl.load_workbook(book)
    for ref, value in cells.items():
        wb["任务台账"][ref].value = value
    wb.save(book)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--dry-run",
            "--sheet", "任务台账")
    assert (r.exit_code, r.stderr.splitlines()) == (
        2, ["luoshi: 工作表 任务台账 的表头中没有考核指标（scheme.yaml 中的名称或编号）"])


def test_a_remark_naming_a_component_is_no_header(cli: Callable[..., Run], example: Path,
                                                  tmp_path: Path) -> None:
    """A score sheet of one component whose 备注 names it on a unit's row: that row
    named as many components as the header, and the lower row won the tie (龙背街道
    was reported as an unknown column, 79 as another)."""
    book = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "政务服务"
    ws.append(["单位", "政务服务开展情况", "备注"])
    ws.append(["崇业路街道", 91, None])
    ws.append(["龙背街道", 79, "政务服务开展情况"])
    wb.save(book)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    record = (example / "records/2021-Q2.yaml").read_text(encoding="utf-8")
    assert "chongyelu:     {hotline: 87.5, service: 91}" in record
    assert "longbei:       {hotline: 79.5, service: 79}" in record
    assert r.stderr.splitlines()[0] == (
        "note: remarks columns are not imported (they are no score): what they hold is not "
        "written to the record [政务服务!C1 备注]")


def _not_leaf(ref: str, text: str) -> str:
    return f"{ref}: 列“{text}”不是考核办法（scheme.yaml）中的末级指标或评分细项：请改为指标名称或编号"


def test_a_date_alone_makes_no_data_row(cli: Callable[..., Run], example: Path,
                                        tmp_path: Path) -> None:
    """Row 4 of 任务台账 without its id and with its lead unit made a list: nothing in it
    names a unit or a task, and its deadline does not make it data (a date in a score
    header is a mistyped header, to be named at its cell): the row is read as the
    header, and each cell that names no component is named, as before."""
    book = _export(cli, example, tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["任务台账"]["A4"], wb["任务台账"]["C4"] = None, "经济发展局、龙背街道"
    wb.save(book)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--dry-run",
            "--sheet", "任务台账")
    lines = r.stderr.splitlines()
    assert (r.exit_code, lines[:8], lines[-1]) == (1, [
        _not_leaf("任务台账!C4", "经济发展局、龙背街道"),
        _not_leaf("任务台账!D4", "规划建设局、崇业路街道、龙背街道"),
        _not_leaf("任务台账!E4", "李某某、刘某某"),
        _not_leaf("任务台账!F4", "2021-12-31"),
        _not_leaf("任务台账!G4", "推进中"),
        _not_leaf("任务台账!H4", "52"),
        _not_leaf("任务台账!I4", "100.00"),  # its format 0.00, as Excel shows it
        _not_leaf("任务台账!J4", "红"),
    ], "luoshi: 26 个问题，未写入任何文件")


def test_a_date_in_a_score_header_is_named_at_its_cell(cli: Callable[..., Run], example: Path,
                                                       tmp_path: Path) -> None:
    """A score sheet whose header holds a date (the day it was scored, typed beside the
    components): the whole sheet was refused as having no header luoshi recognises;
    the cell is named again, as it was before a date made a row data, as Excel shows
    it (not 2021-06-30 00:00:00); a long header is shortened, and printable."""
    book = tmp_path / "评分.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分"
    ws.append(["2021年二季度考核评分表"])
    ws.append(["单位", "政务服务开展情况", datetime(2021, 6, 30), "指标\u202e" + "W" * 3000])
    ws.append(["崇业路街道", 91, None])
    ws.append(["龙背街道", 79, None])
    wb.save(book)
    before = _records(example)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--dry-run")
    assert (r.exit_code, r.stdout, r.stderr.splitlines()) == (1, "", [
        # as Excel shows it, printable, shortened
        _not_leaf("评分!C2", "2021-06-30"),
        _not_leaf("评分!D2", "指标\\u202e" + "W" * 22 + "…"),
        "luoshi: 2 个问题，未写入任何文件",
    ])
    assert _records(example) == before
