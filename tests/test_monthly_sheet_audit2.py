"""The monthly cycle's third audit, continued (units filling the per-unit sheets): a
title row or a 序号 column inserted, a cleared first row."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN
from test_monthly import AS_OF, _export, _fill

BRK1 = "tasks/brk-1.yaml"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


def _import(cli: Any, ledger: Path, *books: Path, extra: tuple[str, ...] = ()) -> Any:
    return cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF, *extra)


def _title(ws: Any) -> None:
    ws.insert_rows(1)
    ws["A1"] = "区发改委2024年6月重点任务进展表"


def _blank(ws: Any) -> None:
    ws.insert_rows(1)


def _seq(ws: Any) -> None:
    ws.insert_cols(1)
    ws["A2"] = "序号"
    for c in range(1, 5):  # (openpyxl leaves the hidden flags where they were; Excel does not)
        ws.column_dimensions["ABCD"[c - 1]].hidden = str(ws.cell(2, c).value).startswith("luoshi:")


@pytest.mark.parametrize(("edit", "said"), [
    (_title, ["区发改委.xlsx 本月填报!A1: 表头上方的内容不导入：“区发改委2024年6月重点任务进展表”；"
              "要报送的内容请写进任务所在的行"]),
    (_blank, []),
    (_seq, ["未导入的列（不是填报表的列）：区发改委.xlsx 本月填报!A2 序号"]),
])
def test_a_row_or_column_inserted_before_the_marks_is_read(cli: Any, ledger: Path,
                                                           tmp_path: Path, edit: Any,
                                                           said: list[str]) -> None:
    """A title row inserted above the header (or a 序号 column at A) moves luoshi's
    month and unit marks off A1 and B1: the import said "没有写明月份：请用 --month
    YYYY-MM 指定", exit 2, and with --month refused every row as "hidden cells edited",
    填报单位 ? (audit M4).  The marks are found where they moved; the sheet imports."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60, "本月进展": "x"})
    wb = openpyxl.load_workbook(book)
    edit(wb["本月填报"])
    wb.save(book)
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        *said,
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        f"单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 {int(edit is _title)} 个"]
    assert '    - {month: "2024-06", progress: 60, note: x}\n' in (
        ledger / BRK1).read_text(encoding="utf-8")


@pytest.mark.parametrize(("cells", "which", "which_en"), [
    (("A1", "B1", "D1"), "月份（A1）、单位（B1）", "month (A1) and unit (B1)"),
    (("B1",), "单位（B1）", "unit (B1)"),
])
def test_cleared_marks_are_said_once_with_the_fix(cli: Any, ledger: Path, tmp_path: Path,
                                                  cells: tuple[str, ...], which: str,
                                                  which_en: str) -> None:
    """Row 1 cleared: "请用 --month 指定", and --month led to every row refused as
    edited.  Said once, with what mends it."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60})
    wb = openpyxl.load_workbook(book)
    for cell in cells:
        wb["本月填报"][cell] = None
    wb.save(book)
    before = (ledger / BRK1).read_text(encoding="utf-8")
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        f"区发改委.xlsx 本月填报: 填报表第 1 行隐藏的{which}标记被清空或删除：本表不能导入；"
        "请撤销对第 1 行的修改，或重新导出本单位填报表")
    assert r.stderr.splitlines()[-1] == "luoshi: 1 个问题，未写入任何文件"
    assert (ledger / BRK1).read_text(encoding="utf-8") == before
    en = _import(cli, ledger, book, extra=("--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        f"区发改委.xlsx 本月填报: the sheet's hidden {which_en} mark in row 1 was cleared or "
        "deleted: it cannot be imported; undo the change to row 1, or export the unit's sheet "
        "again")


def test_a_warning_says_imported_only_when_it_is(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """"本月进度 30 低于上月 38，请核对（已导入）" was said with --dry-run, and beside a
    problem that wrote nothing ("未写入任何文件"): "（拟导入）" there, as the summary's
    "拟更新任务"."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 30})
    before = (ledger / BRK1).read_text(encoding="utf-8")
    low = "区发改委.xlsx 本月填报!K3: 本月进度 30 低于上月 38，请核对"
    r = _import(cli, ledger, book, extra=("--dry-run",))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == low + "（拟导入）"
    en = _import(cli, ledger, book, extra=("--dry-run", "--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        "区发改委.xlsx 本月填报!K3: Progress this month (%) 30 is below last month's 38: check "
        "it (to be imported)")
    _fill(book, "BRK5-01", {"节点完成日期": "2024年6月"})  # a problem: nothing is written
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == low + "（拟导入）"
    assert r.stderr.splitlines()[-1] == "luoshi: 1 个问题，未写入任何文件"
    assert (ledger / BRK1).read_text(encoding="utf-8") == before
    _fill(book, "BRK5-01", {"节点完成日期": None})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == low + "（已导入）"


@pytest.mark.parametrize(("value", "said", "typed"), [
    (80, "80 显示为 8000%", "80%"), (60.5, "60.5 显示为 6050%", "60.5%"),
    (150, "150 显示为 15000%", "0%–100%"),
])
def test_a_percent_cell_is_explained_with_its_own_figure(cli: Any, ledger: Path, tmp_path: Path,
                                                         value: float, said: str,
                                                         typed: str) -> None:
    """80 in a %-formatted 本月进度 (Excel shows 8000%) was explained with a fixed
    example: "53 显示为 5300%；请填 53%" (audit L12).  The cell's own figure is used."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ws["K3"] = value
    ws["K3"].number_format = "0%"
    wb.save(book)
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    shown = said.split("显示为 ")[1]
    assert r.stderr.splitlines()[0] == (
        f"区发改委.xlsx 本月填报!K3: 本月进度应是 0–100 的数字，不是“{shown}”（单元格为百分比格式："
        f"{said}；请填 {typed}，或把单元格改为常规格式）")
    en = _import(cli, ledger, book, extra=("--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        f"区发改委.xlsx 本月填报!K3: Progress this month (%) must be a number 0–100, not '{shown}' "
        f"(the cell is formatted as a percentage, so {said.replace('显示为', 'shows as')}: type "
        f"{typed}, or format the cell as General)")


@pytest.mark.parametrize(("name", "copy_k3", "main_k3"), [
    ("本月填报（修改）", 60, 60), ("Sheet2", 65, 60), ("Sheet2", 65, None)])
def test_a_visible_copy_of_the_sheet_is_named(cli: Any, ledger: Path, tmp_path: Path,
                                              name: str, copy_k3: int, main_k3: int | None
                                              ) -> None:
    """A unit copies 本月填报 (本月填报（修改）, Sheet2): both sheets were read, the copy
    never named — and a figure typed only in the copy was imported from it (audit).
    本月填报 is read and the copy named; a copy holding other entries stops the import."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ws["K3"] = main_k3
    copy = wb.copy_worksheet(ws)
    copy.title = name
    copy["K3"] = copy_k3
    wb.save(book)
    before = (ledger / BRK1).read_text(encoding="utf-8")
    r = _import(cli, ledger, book)
    if copy_k3 == main_k3:
        assert r.exit_code == 0, r.stderr
        assert r.stderr.splitlines() == [
            f"区发改委.xlsx '{name}': 这张工作表是“本月填报”表的副本：不导入（导入的是“本月填报”表）",
            "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
            "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 1 个"]
        assert '    - {month: "2024-06", progress: 60}\n' in (
            ledger / BRK1).read_text(encoding="utf-8")
        return
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        f"区发改委.xlsx {name}: 这张工作表是“本月填报”表的副本，填的内容却与它不同：未导入；"
        "请把要报送的内容写进“本月填报”表、删去这张工作表后再导入")
    assert r.stderr.splitlines()[-1] == "luoshi: 1 个问题，未写入任何文件"
    assert (ledger / BRK1).read_text(encoding="utf-8") == before
    en = _import(cli, ledger, book, extra=("--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        f"区发改委.xlsx {name}: this sheet is a copy of '本月填报' holding other entries: not "
        "imported; write what is to be reported into '本月填报', delete this sheet and import "
        "again")


@pytest.mark.parametrize("stem", ["区统计局", "tongjiju"])
def test_a_file_named_for_another_unit_is_named(cli: Any, ledger: Path, tmp_path: Path,
                                                stem: str) -> None:
    """区统计局.xlsx holding 区发改委's sheet (the wrong file sent) was imported as
    `区统计局.xlsx：填报单位 fgw（区发改委）` without a word (audit).  Imported as its
    sheet says, and named — only for a file named as a unit of the ledger (its name or
    id): 区发改委-6月.xlsx is no unit's."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK1-01", {"本月进度 (%)": 60})
    book = tmp_path / f"{stem}.xlsx"
    shutil.copy(out / "区发改委.xlsx", book)
    r = _import(cli, ledger, book, extra=("--dry-run",))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"{stem}.xlsx: 文件名是单位 tongjiju（区统计局）的，表中却是 fgw（区发改委）的填报表，"
        "按表中的单位导入：请核对是否交错了文件（拟导入）",
        "BRK1-01: progress: 38 → 60",
        "BRK1-01: updates[2024-06].progress: 60",
        f"  {stem}.xlsx（2024-06）：填报单位 fgw（区发改委），拟更新任务 1 个",
        "单位 1 个，拟更新任务 1 个，未变 2 个，拒绝单元格 0 个",
        "--dry-run：未写入任何文件"]
    en = _import(cli, ledger, book, extra=("--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        f"{stem}.xlsx: the file is named for tongjiju (区统计局), yet it holds the sheet of fgw "
        "(区发改委), read as the sheet's unit: check that the right file was sent (imported)")
    other = tmp_path / "区发改委-6月.xlsx"
    shutil.copy(out / "区发改委.xlsx", other)
    assert _import(cli, ledger, other, extra=("--dry-run",)).stderr.splitlines()[0] == (
        "  区发改委-6月.xlsx（2024-06）：填报单位 fgw（区发改委），拟更新任务 0 个")


def test_done_beside_open_milestones_is_warned(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """已完成 with 100 while the later milestones have no done date was imported without
    a word; only `validate` said LS213 afterwards (audit M9).  Imported as before, and the
    open milestones named at the status cell; the one dated on the row is not."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 100, "本月状态": "已完成",
                            "节点完成日期": "2024-06-20"})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (
        "区发改委.xlsx 本月填报!O3: 本月状态为“已完成”，但任务 BRK1-01 还有节点没有完成日期"
        "（时限 2024-10-25、2024-12-31）：请补上节点完成日期，或核对状态（已导入）")
    assert "  status: done\n  progress: 100\n" in (ledger / BRK1).read_text(encoding="utf-8")


@pytest.mark.parametrize(("cell", "typed", "said"), [
    ("本月进度 (%)", "八成", "本月进度应是 0–100 的数字，不是“八成”：请写数字 80"),
    ("本月进度 (%)", "八十", "本月进度应是 0–100 的数字，不是“八十”：请改用阿拉伯数字，写 80"),
    ("本月进度 (%)", "60。5",
     "本月进度应是 0–100 的数字，不是“60。5”：请把句号“。”改为小数点“.”，写 60.5"),
    ("本月进度 (%)", "约80", "本月进度应是 0–100 的数字，不是“约80”"),
    ("节点完成日期", "45463",
     "节点完成日期应是日期，不是“45463”：这是 Excel 的日期序号（即 2024-06-20，单元格为文本格式），"
     "请写 2024-06-20"),
    ("节点完成日期", "6.20", "节点完成日期应是日期，不是“6.20”：请写 2024-06-20"),
    ("节点完成日期", "24.6.20", "节点完成日期应是日期，不是“24.6.20”：请写 2024-06-20"),
    ("节点完成日期", "6.31", "节点完成日期应是日期，不是“6.31”"),
    ("节点完成日期", "12345", "节点完成日期应是日期，不是“12345”"),
])
def test_a_refusal_says_what_to_write_when_it_is_certain(cli: Any, ledger: Path,
                                                         tmp_path: Path, cell: str,
                                                         typed: str, said: str) -> None:
    """八成, 八十, 60。5 for 本月进度 and 45463, 6.20, 24.6.20 typed as text for a date
    were refused with no "请写 …" (audit L10).  Where one reading is certain it is
    said; 约80, 6.31 and a serial far from the sheet's year are not guessed at."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    col = {"本月进度 (%)": "K", "节点完成日期": "N"}[cell]
    ws[f"{col}3"] = typed
    ws[f"{col}3"].number_format = "@"
    wb.save(book)
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == f"区发改委.xlsx 本月填报!{col}3: {said}"


@pytest.mark.parametrize("stem", ["区统计局(1)", "区统计局 (1)", "区统计局（1）", "区统计局 - 副本",
                                  "区统计局 - Copy", "区统计局副本", "区统计局 - 副本 (2)",
                                  "tongjiju(1)"])
def test_a_copy_of_a_file_named_for_another_unit_is_named(cli: Any, ledger: Path,
                                                          tmp_path: Path, stem: str) -> None:
    """区统计局(1).xlsx (a browser's second download), 区统计局 - 副本.xlsx (Windows' copy)
    holding 区发改委's sheet was imported without a word: the name was matched with the
    units as it is.  The copy suffixes are stripped before matching, and named."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK1-01", {"本月进度 (%)": 60})
    book = tmp_path / f"{stem}.xlsx"
    shutil.copy(out / "区发改委.xlsx", book)
    r = _import(cli, ledger, book, extra=("--dry-run",))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (
        f"{stem}.xlsx: 文件名是单位 tongjiju（区统计局）的，表中却是 fgw（区发改委）的填报表，"
        "按表中的单位导入：请核对是否交错了文件（拟导入）")


@pytest.mark.parametrize("stem", ["区统计局-6月", "区统计局1", "区统计局(一)", "区统计局 - 备份"])
def test_only_copy_suffixes_are_stripped_from_a_file_name(cli: Any, ledger: Path,
                                                          tmp_path: Path, stem: str) -> None:
    """Only what a download or a copy adds is stripped: 区统计局-6月.xlsx is no unit's."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK1-01", {"本月进度 (%)": 60})
    book = tmp_path / f"{stem}.xlsx"
    shutil.copy(out / "区发改委.xlsx", book)
    r = _import(cli, ledger, book, extra=("--dry-run",))
    assert r.exit_code == 0, r.stderr
    assert "文件名是单位" not in r.stderr


def _both(ws: Any) -> None:
    _seq(ws)
    _title(ws)


@pytest.mark.parametrize(("edit", "hash_cell", "hidden", "month", "unit"), [
    (None, "B3", "A–C", "A1", "B1"),
    (_title, "B4", "A–C", "A2", "B2"),
    (_seq, "C3", "B–D", "B1", "C1"),
    (_both, "C4", "B–D", "B2", "C2"),
])
def test_the_seal_message_names_the_cells_where_they_moved(
        cli: Any, ledger: Path, tmp_path: Path, edit: Any, hash_cell: str, hidden: str,
        month: str, unit: str) -> None:
    """After a title row (or a 序号 column) inserted above (before) the table, a row whose
    seal failed was said to have "A–C 列，或 A1 月份、B1 单位" edited: A1 holds the title
    then.  The message names the hidden columns and the marks where they are."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60})
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    if edit is not None:
        edit(ws)
    assert str(ws[hash_cell].value).startswith("3aef")
    ws[hash_cell] = "0" + str(ws[hash_cell].value)[1:]
    wb.save(book)
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    assert (f"区发改委.xlsx 本月填报!{hash_cell}: 任务 BRK1-01 这一行的隐藏单元格（{hidden} 列，"
            f"或 {month} 月份、{unit} 单位 fgw）在导出后被修改或清空：未导入；请重新导出本单位填报表"
            ) in r.stderr.splitlines()
    en = _import(cli, ledger, book, extra=("--lang", "en"))
    assert (f"区发改委.xlsx 本月填报!{hash_cell}: task BRK1-01: the row's hidden cells (columns "
            f"{hidden}, or the month in {month} or the unit fgw in {unit}) were edited or cleared "
            "after the export: not imported; export the unit's sheet again"
            ) in en.stderr.splitlines()
