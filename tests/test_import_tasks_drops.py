"""`luoshi import tasks` drops nothing a workbook says without a word: 完成时限, 实际完成时间
and 序时节点 beside 节点N columns, 节点N parts without a 节点N时限 column, a 任务明细 cell
that says something else than 任务台账, and words in the header row are read, or named
at their cell — each case a real workbook, the exact message and YAML."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import REPO
from test_excel_import import CONFIG, UNITS

AS_OF = "2024-06-30"
#: `luoshi init --example beilin`: one tasks file, tasks/key.yaml
KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"


@pytest.fixture
def ledger(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS})


@pytest.fixture
def beilin(cli: Any, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the 碑林 ledger and its export (as of 2024-06-30)."""
    copy = tmp_path / "bl"
    shutil.copytree(KAOHE, copy)
    book = tmp_path / "bl.xlsx"
    r = cli("export", copy, "-o", book, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    return copy, book


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "清单"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _edit(book: Path, cells: dict[str, Any]) -> Path:
    """The export with cells set ("任务台账!F4": value)."""
    wb = openpyxl.load_workbook(book)
    for ref, value in cells.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    out = book.with_name("edited.xlsx")
    wb.save(out)
    return out


def _import(cli: Any, ledger: Path, sheet: Path, *more: str) -> Any:
    return cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", AS_OF,
               "--start", "2024-01-01", *more)


def _over(cli: Any, copy: Path, book: Path, *more: str) -> Any:
    """`import tasks --force` of the export over the ledger's own tasks file."""
    return cli(*more, "import", "tasks", book, copy, "-o", copy / "tasks" / "key.yaml", "--force",
               "--as-of", AS_OF)


def _notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("说明", "note"))]


def _yaml(path: Path) -> str:
    """The tasks file without its two comment lines (they name the workbook)."""
    return "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[3:])


# ---- the export's 完成时限 (任务台账) beside its 节点N时限 (任务明细) -------------------------

DUE_DIFFERS = (
    "任务台账!F4: 完成时限“2024-04-30”与最后一个节点的时限 2024-03-15（任务明细!G4）不一致："
    "完成时限就是最后一个节点的时限，两处请改成同一天（或清空此格，以节点时限为准）；"
    "要加一个节点，请填在新的“节点N时限”列")


def test_an_export_with_its_due_date_edited_is_refused_at_the_cell(
        cli: Any, beilin: tuple[Path, Path]) -> None:
    copy, book = beilin
    before = (copy / "tasks" / "key.yaml").read_bytes()
    edited = _edit(book, {"任务台账!F4": datetime(2024, 4, 30)})
    r = _over(cli, copy, edited)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [DUE_DIFFERS, "luoshi: 1 个问题，未写入任何文件"]
    assert (copy / "tasks" / "key.yaml").read_bytes() == before
    r = _over(cli, copy, edited, "--lang", "en")
    assert r.stderr.splitlines()[0] == (
        "任务台账!F4: the due date '2024-04-30' differs from the last milestone's, 2024-03-15 "
        "(任务明细!G4): the due date is the last milestone's, so make both the same day (or "
        "clear this cell to keep the milestone's); to add a milestone, fill in a new "
        "'Milestone N due' column")


def test_an_export_with_its_last_milestone_moved_is_refused_at_the_due_date(
        cli: Any, beilin: tuple[Path, Path]) -> None:
    copy, book = beilin
    r = _over(cli, copy, _edit(book, {"任务明细!J3": datetime(2024, 4, 30)}))
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "任务台账!F3: 完成时限“2024-03-31”与最后一个节点的时限 2024-04-30（任务明细!J3）不一致："
        "完成时限就是最后一个节点的时限，两处请改成同一天（或清空此格，以节点时限为准）；"
        "要加一个节点，请填在新的“节点N时限”列")


def test_an_export_with_a_later_milestone_added_imports_it_and_names_the_due_date(
        cli: Any, beilin: tuple[Path, Path]) -> None:
    copy, book = beilin
    r = _over(cli, copy, _edit(book, {"任务明细!J4": datetime(2024, 9, 30),
                                      "任务明细!K4": "完成改造"}))
    assert r.exit_code == 0, r.stderr
    assert _notes(r.stderr)[0] == (
        "说明：完成时限是较早一个节点的时限，不是最后一个节点的（表中加了更晚的节点？）：节点按节点N时限列导入，"
        "这些完成时限不导入——请核对，并把完成时限改成最后一个节点的时限 "
        "[任务台账!F4 2024-03-15 ≠ 任务明细!J4 2024-09-30]")
    text = (copy / "tasks" / "key.yaml").read_text(encoding="utf-8")
    assert ("    - {due: 2024-03-15, standard: 完成设计, done: 2024-03-20}\n"
            "    - {due: 2024-09-30, standard: 完成改造}\n") in text


def test_an_export_moved_in_both_places_imports_the_new_date(
        cli: Any, beilin: tuple[Path, Path]) -> None:
    copy, book = beilin
    r = _over(cli, copy, _edit(book, {"任务台账!F7": datetime(2024, 4, 30),
                                      "任务明细!G7": datetime(2024, 4, 30)}))
    assert r.exit_code == 0, r.stderr
    text = (copy / "tasks" / "key.yaml").read_text(encoding="utf-8")
    assert "    - {due: 2024-04-30, standard: 覆盖率100%}\n" in text
    assert "{due: 2024-03-31, standard: 覆盖率100%}" not in text


def test_an_unedited_export_imports_back_as_quietly_as_before(
        cli: Any, beilin: tuple[Path, Path], tmp_path: Path) -> None:
    copy, book = beilin
    r = _over(cli, copy, book)
    assert r.exit_code == 0, r.stderr
    assert [line.split(" [")[0] for line in _notes(r.stderr)] == [
        "说明：--force 覆盖导入：保留了文件中的月度进展（表中没有）",
        "说明：导入后 luoshi validate 会给出警告 LS601"]
    fresh = tmp_path / "fresh"
    shutil.copytree(KAOHE, fresh)
    (fresh / "tasks" / "key.yaml").unlink()
    r = cli("import", "tasks", book, fresh, "-o", fresh / "tasks" / "new.yaml", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "说明：导入后 luoshi validate 会给出警告 LS601 [任务台账!A3, 任务台账!A4, 任务台账!A5, "
        "任务台账!A6, 任务台账!A7, 任务台账!A8]",
        f"已从工作表 任务台账 导入 6 个任务到 {fresh / 'tasks' / 'new.yaml'}"]


# ---- a hand-made sheet: 完成时限, 实际完成时间, 序时节点 beside 节点N --------------------------

NODES = ["序号", "任务名称", "牵头单位", "包抓领导", "完成标准", "进度", "完成时限", "节点1时限",
         "节点1标准"]


def test_a_final_due_date_later_than_the_milestones_is_refused_not_lost(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "t.xlsx", [
        NODES, [1, "任务甲", "区发改委", "张某某", "标准甲", 50, "2024-12-31", "2024-03-31", "一"]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "清单!G2: 完成时限“2024-12-31”与最后一个节点的时限 2024-03-31（清单!H2）不一致："
        "完成时限就是最后一个节点的时限，两处请改成同一天（或清空此格，以节点时限为准）；"
        "要加一个节点，请填在新的“节点N时限”列")
    assert not (ledger / "tasks" / "imported.yaml").exists()


def test_a_due_date_beside_milestone_columns_is_read_when_it_agrees_or_stands_alone(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "t.xlsx", [
        NODES,
        [1, "任务甲", "区发改委", "张某某", "标准甲", 50, "2024-03-31", "2024-03-31", "一"],
        # no milestone of its own: its 完成时限 is its one milestone (it was lost)
        [2, "任务乙", "区财政局", "李某某", "标准乙", 20, "2024-09-30", None, None]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    assert _yaml(ledger / "tasks" / "imported.yaml") == """\
- id: IMP-001
  title: 任务甲
  category: econ
  lead: fgw
  units: []
  leaders: [zhang]
  start: 2024-01-01
  standard: 标准甲
  milestones:
    - {due: 2024-03-31, standard: 一}
  status: in_progress
  progress: 50

- id: IMP-002
  title: 任务乙
  category: econ
  lead: czj
  units: []
  leaders: [li]
  start: 2024-01-01
  standard: 标准乙
  milestones:
    - {due: 2024-09-30, standard: 标准乙}
  status: in_progress
  progress: 20
"""


def test_a_completion_date_beside_milestone_columns_is_the_last_milestones_done(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    head = ["序号", "任务名称", "牵头单位", "包抓领导", "完成标准", "进度", "节点1时限", "节点1标准",
            "节点2时限", "节点2标准", "节点2完成", "实际完成时间"]
    sheet = _sheet(tmp_path / "t.xlsx", [
        head,
        [1, "任务甲", "区发改委", "张某某", "标准甲", 100, "2024-03-31", "一", "2024-05-31", "二",
         None, "2024-05-20"],
        [2, "任务乙", "区财政局", "李某某", "标准乙", 100, "2024-03-31", "一", "2024-05-31", "二",
         "2024-05-20", "2024-05-20"]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    text = (ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8")
    assert text.count("    - {due: 2024-05-31, standard: 二, done: 2024-05-20}\n") == 2
    assert text.count("    - {due: 2024-03-31, standard: 一}\n") == 2
    sheet = _sheet(tmp_path / "t2.xlsx", [
        head,
        [1, "任务甲", "区发改委", "张某某", "标准甲", 100, "2024-03-31", "一", "2024-05-31", "二",
         "2024-05-18", "2024-05-20"]])
    r = _import(cli, ledger, sheet, "-o", ledger / "tasks" / "t2.yaml")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "清单!L2: 实际完成时间“2024-05-20”与最后一个节点的完成日期 2024-05-18（清单!K2）不一致："
        "请改成同一天，或清空其中一处")


def test_milestones_beside_milestone_columns_are_refused_unless_they_agree(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    head = ["序号", "任务名称", "牵头单位", "包抓领导", "完成标准", "进度", "节点1时限", "节点1标准",
            "序时节点"]
    sheet = _sheet(tmp_path / "t.xlsx", [
        head,
        [1, "任务甲", "区发改委", "张某某", "标准甲", 50, "2024-03-31", "一", "5月底前完成二"],
        [2, "任务乙", "区财政局", "李某某", "标准乙", 50, "2024-03-31", "一", "3月底前一"]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 1
    assert [line for line in r.stderr.splitlines() if not line.startswith("说明")] == [
        "清单!I2: 序时节点“5月底前完成二”与“节点N时限/节点N标准”列不一致，表中有节点N列时以它们为准："
        "请把这个节点写进节点N时限/节点N标准列，或清空此格",
        "luoshi: 1 个问题，未写入任何文件"]


# ---- 节点N标准 / 完成 / 备注 without a 节点N时限 column ------------------------------------

def test_milestone_parts_without_a_due_column_are_refused_at_their_cells(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "t.xlsx", [
        ["序号", "任务名称", "牵头单位", "包抓领导", "完成标准", "进度", "节点1时限", "节点1标准",
         "节点2标准", "节点2备注"],
        [1, "任务甲", "区发改委", "张某某", "标准甲", 50, "2024-03-31", "一", "二", "备注二"],
        [2, "任务乙", "区财政局", "李某某", "标准乙", 50, "2024-03-31", "一", None, None]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 1
    assert [line for line in r.stderr.splitlines() if not line.startswith("说明")] == [
        "清单!I2: “节点2标准”列有内容（“二”），但表中没有“节点2时限”列，这个节点没有时限，无法导入："
        "请加上“节点2时限”列并填写时限",
        "清单!J2: “节点2备注”列有内容（“备注二”），但表中没有“节点2时限”列，这个节点没有时限，无法导入："
        "请加上“节点2时限”列并填写时限",
        "luoshi: 2 个问题，未写入任何文件"]
    # no 节点N时限 column at all: the sheet's 完成时限 is read, the 节点1完成 refused
    sheet = _sheet(tmp_path / "t2.xlsx", [
        ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "完成标准", "进度", "节点1完成"],
        [1, "任务甲", "区发改委", "张某某", "2024-12-31", "标准甲", 50, "2024-11-11"]])
    r = _import(cli, ledger, sheet, "--lang", "en")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "清单!H2: the 'Milestone 1 done' column holds '2024-11-11' but the sheet has no "
        "'Milestone 1 due' column, so this milestone has no due date and cannot be imported: "
        "add a 'Milestone 1 due' column and fill in the date")


# ---- 任务明细 cells that 任务台账 overrides, or no column reads ------------------------------

def test_details_cells_that_differ_from_the_task_sheet_are_named(
        cli: Any, beilin: tuple[Path, Path]) -> None:
    copy, book = beilin
    edited = _edit(book, {
        "任务明细!B5": "改过的名称",  # the details' copy of 任务名称, edited
        "任务明细!O2": "进度", "任务明细!O3": 77, "任务明细!O4": 30,  # K-02 as 任务台账 has it
        "任务明细!P2": "牵头单位", "任务明细!P3": "区发改委",  # the same as 任务台账
        "任务明细!R4": "无表头"})
    r = _over(cli, copy, edited)
    assert r.exit_code == 0, r.stderr
    notes = _notes(r.stderr)
    assert notes[:2] == [
        "说明：“任务明细”中这些单元格与“任务台账”同一任务的同一项不同：以任务台账为准（任务明细的标题即如此注明），"
        "这些单元格未导入——要改，请改任务台账中的单元格 "
        "[任务明细!B5 改过的名称 ≠ 任务台账!B5 消费提振活动, 任务明细!O3 77 ≠ 任务台账!H3 50]",
        "说明：这些单元格所在的列没有表头，其中的内容未导入台账：需要时请加上表头（或用 --map 指定字段） "
        "[任务明细!R4 无表头]"]
    text = (copy / "tasks" / "key.yaml").read_text(encoding="utf-8")
    assert "改过的名称" not in text and "  title: 消费提振活动\n" in text
    r = _over(cli, copy, edited, "--lang", "en")
    assert _notes(r.stderr)[0] == (
        "note: these cells of the task details sheet differ from the same field of the same "
        "task on the task sheet: the task sheet's is imported (as the details sheet's title "
        "says) and these are not — to change it, edit the task sheet's cell "
        "[任务明细!B5 改过的名称 ≠ 任务台账!B5 消费提振活动, 任务明细!O3 77 ≠ 任务台账!H3 50]")


# ---- words in the header row -------------------------------------------------------------

def test_words_in_the_header_row_over_no_column_are_named(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "t.xlsx", [
        ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "完成标准", "进度", "备注", None,
         None, "填表人：张三"],
        [1, "任务甲", "区发改委", "张某某", "2024-06-30", "标准甲", 50]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    assert ("说明：表头行中这些单元格不是 luoshi 认识的列名，下面也没有内容，未导入台账："
            "要导入的内容请写进任务所在的行 [清单!K1 填表人：张三]") in _notes(r.stderr)
    # an empty column under a header luoshi reads (备注) is nothing to name
    assert not any("清单!H1" in line for line in _notes(r.stderr)), r.stderr
