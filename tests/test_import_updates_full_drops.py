"""`import updates` of `luoshi export`'s own workbook: what a clerk typed where the full
sheet holds no monthly report reaches the ledger or is named at its cell.

The audit: on the full-export path the task's own fields (责任单位, 包抓领导, 完成时限,
配合单位, 类别, 开始日期), luoshi's figures (亮灯, 序时进度), an added 销号日期 column,
任务明细's 任务名称, a changed done date of a milestone already done, and cells outside
the table (a column with no header, text above the header, a row with no 编号, a sheet
added to the workbook) were all dropped, the import ending "拒绝单元格 0 个", exit 0.
Unchanged, those cells are read past without a word
(tests/test_import_updates_full_problems.py::test_an_unedited_export_imports_without_a_word)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN
from test_import_updates_full_problems import _export  # the same export, as of AS_OF

AS_OF = "2024-06-30"
BL1 = "tasks/bl-1.yaml"
SUMMARY = ["  full.xlsx（2024-06）：任务台账全表，更新任务 0 个", "单位 0 个，更新任务 0 个，未变 35 个，拒绝单元格 1 个"]
SUMMARY_EN = ["  full.xlsx (2024-06): the full Tasks sheet; updated 0",
              "units 0, tasks updated 0, unchanged 35, refused cells 1"]
TASK_FIELD = "：import updates 只导入月度填报，不导入任务的{}；请用 import tasks 导入，或在台账中修改"
FIGURE = "：{}由 luoshi 按台账计算，不导入；要报送的内容请写进最新进展或存在问题"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _set(book: Path, task: str, cells: dict[str, Any], sheet: str = "任务台账") -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    heads = {ws.cell(2, c).value: c for c in range(1, ws.max_column + 1)}
    r = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == task)
    for head, value in cells.items():
        ws.cell(r, heads[head]).value = value
    wb.save(book)


def _cell(book: Path, sheet: str, ref: str, value: Any) -> None:
    wb = openpyxl.load_workbook(book)
    wb[sheet][ref] = value
    wb.save(book)


def _import(cli: Any, ledger: Path, book: Path, lang: str = "zh") -> Any:
    return cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06",
               "--as-of", AS_OF, "--lang", lang)


@pytest.mark.parametrize(("sheet", "head", "value", "line"), [
    ("任务台账", "责任单位", "区教育局",
     "full.xlsx 任务台账!D3: 未导入“区教育局”（台账中为“南院门街道、柏树林街道、长乐坊街道、东关南街街道、太乙路街道…”）" + TASK_FIELD.format("责任单位")),
    ("任务台账", "包抓领导", "李某某",
     "full.xlsx 任务台账!E3: 未导入“李某某”（台账中为“张某某”）" + TASK_FIELD.format("包抓领导")),
    ("任务台账", "包抓领导", None,
     "full.xlsx 任务台账!E3: 未导入：清空包抓领导不会删除“张某某”" + TASK_FIELD.format("包抓领导")),
    ("任务台账", "完成时限", datetime(2024, 11, 30),
     "full.xlsx 任务台账!F3: 未导入“2024-11-30”（台账中为“2024-12-31”）" + TASK_FIELD.format("完成时限")),
    ("任务明细", "配合单位", "区教育局",
     "full.xlsx 任务明细!D3: 未导入“区教育局”（台账中为“区商务局、区工业和信息化局”）" + TASK_FIELD.format("配合单位")),
    ("任务明细", "类别", "开放碑林",
     "full.xlsx 任务明细!C3: 未导入“开放碑林”（台账中为“实力碑林”）" + TASK_FIELD.format("类别")),
    ("任务明细", "开始日期", datetime(2024, 2, 2),
     "full.xlsx 任务明细!E3: 未导入“2024-02-02”（台账中为“2024-01-01”）" + TASK_FIELD.format("开始日期")),
    ("任务台账", "亮灯", "黄（已协调）", "full.xlsx 任务台账!J3: 未导入“黄（已协调）”" + FIGURE.format("亮灯")),
    ("任务台账", "序时进度", "约一半", "full.xlsx 任务台账!I3: 未导入“约一半”" + FIGURE.format("序时进度")),
    ("任务明细", "任务名称", "“四上”企业培育",
     "full.xlsx 任务明细!B3: 未导入““四上”企业培育”：任务名称以“任务台账”表为准，任务明细中的修改不导入；"
     "修改任务名称请用 import tasks 导入，或在台账中修改"),
], ids=["units", "leaders", "leaders-emptied", "due", "cooperating", "category", "start",
        "light", "expected", "details-title"])
def test_an_edited_task_field_is_refused_at_its_cell(
        cli: Any, ledger: Path, tmp_path: Path, sheet: str, head: str, value: Any,
        line: str) -> None:
    """A task's own field is set in the ledger (or by import tasks), a figure is
    luoshi's: edited on the full sheet, each is refused at its cell and the ledger
    keeps its bytes (each edit was dropped, "拒绝单元格 0 个")."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {head: value}, sheet)
    before = _files(ledger)
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [line, *SUMMARY]
    assert _files(ledger) == before


def test_figures_as_luoshi_writes_them_are_read_past(cli: Any, ledger: Path,
                                                     tmp_path: Path) -> None:
    """亮灯 and 序时进度 are worked out on the export's day: another light word or
    another figure (an export of another day) is no edit to name."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"亮灯": "红", "序时进度": 50})
    _set(book, "BL1-02", {"亮灯": None, "序时进度": None})
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [SUMMARY[0], SUMMARY[1].replace("拒绝单元格 1 个", "拒绝单元格 0 个")]


def test_in_english_the_field_is_named_in_english(cli: Any, ledger: Path,
                                                  tmp_path: Path) -> None:
    book = _export(cli, ledger, tmp_path, "en")
    _set(book, "BL1-01", {"Responsible units": "区教育局", "Light": "amber?"}, "Tasks")
    before = _files(ledger)
    r = _import(cli, ledger, book, "en")
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [
        "full.xlsx Tasks!D3: not imported '区教育局' (the ledger has '南院门街道, 柏树林街道, "
        "长乐坊街道, 东关南街街道, 太…'): import updates imports the monthly "
        "reports, not the task's own fields (Responsible units); use import tasks, or edit "
        "the ledger",
        "full.xlsx Tasks!J3: not imported 'amber?': Light is worked out by luoshi from the "
        "ledger, not imported; write what is to be reported into Latest update or Problems",
        SUMMARY_EN[0], SUMMARY_EN[1].replace("refused cells 1", "refused cells 2")]
    assert _files(ledger) == before


def test_the_rest_of_the_row_imports(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """责任单位 edited beside a new 进度: the cell is refused, the progress written."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"责任单位": "区教育局", "进度": 45})
    text = (ledger / BL1).read_text(encoding="utf-8")
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [
        "full.xlsx 任务台账!D3: 未导入“区教育局”（台账中为“南院门街道、柏树林街道、长乐坊街道、东关南街街道、太乙路街道…”）" + TASK_FIELD.format("责任单位"),
        "  full.xlsx（2024-06）：任务台账全表，更新任务 1 个", "单位 1 个，更新任务 1 个，未变 34 个，拒绝单元格 1 个"]
    after = (ledger / BL1).read_text(encoding="utf-8").splitlines()
    gone = [x for x in text.splitlines() if x not in after]
    assert (gone, [x for x in after if x not in text.splitlines()]) == (
        ["  progress: 40"], ["  progress: 45", '    - {month: "2024-06", progress: 45}'])


def test_an_added_closing_date_is_refused(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """No task is closed, so the export has no 销号日期 column; one added on 任务明细 with
    a date in BL1-01's row is the task's closing, not a report: refused at its cell."""
    book = _export(cli, ledger, tmp_path)
    _cell(book, "任务明细", "U2", "销号日期")
    _cell(book, "任务明细", "U3", datetime(2024, 6, 20))
    before = _files(ledger)
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [
        "full.xlsx 任务明细!U3: 未导入“2024-06-20”（台账中为“—”）" + TASK_FIELD.format("销号日期"), *SUMMARY]
    assert _files(ledger) == before


@pytest.mark.parametrize(("value", "line"), [
    (datetime(2024, 6, 15), "full.xlsx 任务明细!I3: 未导入“2024-06-15”：任务 BL1-01 的节点1已于 "
     "2024-03-31 完成，不改写"),
    ("已完成", "full.xlsx 任务明细!I3: 未导入“已完成”：任务 BL1-01 的节点1已于 2024-03-31 完成，不改写"),
    (None, "full.xlsx 任务明细!I3: 未导入：清空节点1完成不会删除任务 BL1-01 节点1的完成日期 2024-03-31；"
     "如需修改，请在台账中修改"),
], ids=["another-date", "text", "emptied"])
def test_a_done_milestones_date_is_not_rewritten(cli: Any, ledger: Path, tmp_path: Path,
                                                 value: Any, line: str) -> None:
    """BL1-01's 节点1 was done on 2024-03-31: another date (or text) in its 节点1完成 is
    refused, as a unit's sheet refuses it; emptied, named.  Both were dropped."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"节点1完成": value}, "任务明细")
    before = _files(ledger)
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [line, *SUMMARY]
    assert _files(ledger) == before


def test_a_done_date_typed_as_text_is_the_same_date(cli: Any, ledger: Path,
                                                    tmp_path: Path) -> None:
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"节点1完成": "2024-03-31"}, "任务明细")
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [SUMMARY[0], SUMMARY[1].replace("拒绝单元格 1 个", "拒绝单元格 0 个")]


def test_cells_outside_the_table_are_named(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """A value in a column with no header (任务台账!M3, 任务明细!W3), text above the
    header (任务台账!L1) and a sheet added to the workbook: each named, as a unit's
    sheet names them (all were read past without a word)."""
    book = _export(cli, ledger, tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["任务台账"]["M3"] = "已与区教育局对接"
    wb["任务台账"]["L1"] = "填报人：王某"
    wb["任务明细"]["W3"] = "另附说明"
    wb.create_sheet("补充说明")["A1"] = "BL1-01 六月新增5家"
    wb.create_sheet("得分 补充")["A1"] = "BL1-02 加分待定"  # no export's score sheet
    wb.save(book)
    before = _files(ledger)
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [
        "未导入的列（不是填报表的列）：full.xlsx 任务台账!M2; full.xlsx 任务明细!W2",
        "full.xlsx 任务台账!L1: 表头上方的内容不导入：“填报人：王某”；要报送的内容请写进任务所在的行",
        "full.xlsx 补充说明: 这张工作表不是 luoshi 导出的表：其中的内容不导入；要报送的内容请写进“任务台账”表"
        "任务所在的行",
        "full.xlsx '得分 补充': 这张工作表不是 luoshi 导出的表：其中的内容不导入；要报送的内容请写进“任务台账”表"
        "任务所在的行",
        SUMMARY[0], SUMMARY[1].replace("拒绝单元格 1 个", "拒绝单元格 3 个")]
    assert _files(ledger) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_row_with_no_id_is_a_problem(cli: Any, ledger: Path, tmp_path: Path,
                                       lang: str) -> None:
    """A row typed below the tasks with a title and a 进度 but no 编号 is no task's: a
    problem, nothing written (it was skipped without a word)."""
    book = _export(cli, ledger, tmp_path, lang)
    sheet = "任务台账" if lang == "zh" else "Tasks"
    _cell(book, sheet, "B40", "新增：夜间经济示范街区")
    _cell(book, sheet, "H40", 30)
    before = _files(ledger)
    r = _import(cli, ledger, book, lang)
    assert r.exit_code == 1, r.stderr
    assert r.stderr.splitlines()[0] == (
        "full.xlsx 任务台账!40:40: 没有编号的行不能导入：B40 “新增：夜间经济示范街区”；H40 “30”；"
        "请把内容写进任务所在的行，新任务请用 import tasks 导入" if lang == "zh" else
        "full.xlsx Tasks!40:40: a row with no ID cannot be imported: B40 '新增：夜间经济示范街区'; "
        "H40 '30'; write it into the task's own row, and add new tasks with import tasks")
    assert _files(ledger) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_edited_task_note_is_refused(cli: Any, ledger: Path, tmp_path: Path,
                                        lang: str) -> None:
    """情况说明 (the task's own note) is read past when it is the ledger's and was read
    past edited too: now refused at its cell, the note kept."""
    p = ledger / BL1
    p.write_text(p.read_text(encoding="utf-8").replace(
        "  progress: 40\n", "  progress: 40\n  note: 含统计口径说明\n", 1), encoding="utf-8")
    book = _export(cli, ledger, tmp_path, lang)
    sheet = "任务明细" if lang == "zh" else "Task details"
    _set(book, "BL1-01", {"情况说明" if lang == "zh" else "Task note": "口径已调整"}, sheet)
    before = _files(ledger)
    r = _import(cli, ledger, book, lang)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == ([
        "full.xlsx 任务明细!T3: 未导入“口径已调整”（台账中为“含统计口径说明”）" + TASK_FIELD.format("情况说明"), *SUMMARY]
        if lang == "zh" else [
        "full.xlsx 'Task details'!T3: not imported '口径已调整' (the ledger has '含统计口径说明'): "
        "import updates imports the "
        "monthly reports, not the task's own fields (Task note); use import tasks, or edit "
        "the ledger",
        *SUMMARY_EN])
    assert _files(ledger) == before


@pytest.mark.parametrize("head", ["节点2时限", "节点2标准"])
def test_a_milestone_column_deleted_from_the_details_sheet_is_no_edit(
        cli: Any, ledger: Path, tmp_path: Path, head: str) -> None:
    """A clerk deletes 任务明细's 节点2时限 (or 节点2标准) column: the import stopped with
    `internal error (KeyError: 'ms2_due')`, exit 2 (review) — a column the sheet no
    longer has was read as every row's emptied cell.  Now it is nothing typed: the
    unedited rest imports without a word."""
    book = _export(cli, ledger, tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["任务明细"]
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value == head)
    ws.delete_cols(col)
    wb.save(book)
    before = _files(ledger)
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [
        "  full.xlsx（2024-06）：任务台账全表，更新任务 0 个", "单位 0 个，更新任务 0 个，未变 35 个，拒绝单元格 0 个"]
    assert _files(ledger) == before


def test_a_details_column_repeating_a_task_sheet_field_is_refused(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """A 进度 and a 责任单位 column added to 任务明细 (the fields 任务台账 has): 任务台账's
    are read, and a cell that says something else was dropped without a word, while
    `import tasks` named it (review).  Refused at its cell with 任务台账's value; a
    cell repeating 任务台账's is quiet."""
    book = _export(cli, ledger, tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["任务明细"]
    end = ws.max_column
    ws.cell(2, end + 1).value = "进度"
    ws.cell(2, end + 2).value = "责任单位"
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    ws.cell(rows["BL1-01"], end + 1).value = 80
    ws.cell(rows["BL1-02"], end + 2).value = "区教育局"
    tasks = wb["任务台账"]
    at = {tasks.cell(r, 1).value: r for r in range(3, tasks.max_row + 1)}
    progress = tasks.cell(at["BL2-01"], 8).value
    ws.cell(rows["BL2-01"], end + 1).value = progress  # the same: quiet
    wb.save(book)
    letter = openpyxl.utils.get_column_letter
    before = _files(ledger)
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    p1 = tasks.cell(at["BL1-01"], 8).value
    lines = r.stderr.splitlines()
    assert (f"full.xlsx 任务明细!{letter(end + 1)}{rows['BL1-01']}: 未导入“80”：任务明细中这一列与任务台账重复，"
            f"以任务台账为准（任务台账!H{at['BL1-01']} 为“{p1}”）；要报送的内容请写进任务台账") in lines
    assert any(x.startswith(f"full.xlsx 任务明细!{letter(end + 2)}{rows['BL1-02']}: 未导入“区教育局”")
               for x in lines)
    assert not any(f"任务明细!{letter(end + 1)}{rows['BL2-01']}" in x for x in lines)
    assert _files(ledger) == before


@pytest.mark.parametrize("word", ["红灯", "RED", "绿"])
def test_a_light_word_is_no_edit(cli: Any, ledger: Path, tmp_path: Path, word: str) -> None:
    """亮灯 as a clerk writes a light (红灯 was refused while 红 and RED passed, review):
    a figure luoshi works out, read past without a word."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"亮灯": word})
    r = _import(cli, ledger, book)
    assert (r.exit_code, r.stderr.splitlines()) == (0, [
        "  full.xlsx（2024-06）：任务台账全表，更新任务 0 个", "单位 0 个，更新任务 0 个，未变 35 个，拒绝单元格 0 个"])
