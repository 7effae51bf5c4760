"""The monthly cycle's third audit (units filling the per-unit sheets): a grey column
deleted, a closed task's row, a retyped header, merged cells over several tasks, a
month for a completion date, and last month's sheet filled in again."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN
from test_monthly import AS_OF, _col, _export, _fill, _row, _with_target

BL1 = "tasks/bl-1.yaml"
BRK1 = "tasks/brk-1.yaml"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


def _import(cli: Any, ledger: Path, *books: Path, extra: tuple[str, ...] = ()) -> Any:
    return cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF, *extra)


def _delete(book: Path, header: str) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ws.delete_cols(_col(ws, header))
    for c in range(1, 4):  # (openpyxl leaves the hidden flags where they were)
        ws.column_dimensions["ABC"[c - 1]].hidden = str(ws.cell(2, c).value).startswith("luoshi:")
    wb.save(book)


@pytest.mark.parametrize("header", ["上月进度 (%)", "目标值"])
def test_a_deleted_grey_column_is_harmless(cli: Any, ledger: Path, tmp_path: Path,
                                           header: str) -> None:
    """A unit deletes the grey 上月进度 column (or 目标值 of a task with a target): the
    import crashed with `internal error (KeyError: '上月进度 (%)')`, exit 2 (audit H2).
    The import reads neither: the sheet imports as it would with the column."""
    _with_target(ledger)
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区统计局.xlsx"
    _fill(book, "BL1-01", {"本月进度 (%)": 52, "实际完成值": 42})
    _delete(book, header)
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "  区统计局.xlsx（2024-06）：填报单位 tongjiju（区统计局），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"]
    assert '    - {month: "2024-06", progress: 52, actual: 42}\n' in (
        ledger / BL1).read_text(encoding="utf-8")


def test_a_deleted_hidden_column_refuses_the_sheet_in_one_line(cli: Any, ledger: Path,
                                                               tmp_path: Path) -> None:
    """luoshi's hidden columns are what the rows are matched back by: the sheet is
    refused once, naming the column (each row was named "hidden cells edited")."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60})
    _delete(book, "luoshi:hash")
    before = (ledger / BRK1).read_text(encoding="utf-8")
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    # (the title, moved to C1 by openpyxl's delete_cols, is named above the header)
    assert r.stderr.splitlines()[1] == (
        "区发改委.xlsx 本月填报: 填报表缺少隐藏的“luoshi:hash”列（A–C 列被删除）：本表不能导入；"
        "请重新导出本单位填报表")
    assert (ledger / BRK1).read_text(encoding="utf-8") == before


def _edit(ledger: Path, rel: str, old: str, new: str) -> str:
    p = ledger / rel
    text = p.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    p.write_text(text, encoding="utf-8")
    return text


def _close_brk1(ledger: Path) -> str:
    return _edit(ledger, BRK1, "  status: in_progress\n  progress: 38\n",
                 "  status: closed\n  progress: 100\n"
                 "  closed: {date: 2024-05-20, approved_by: wang-shuji, evidence: 验收}\n")


def test_a_closed_task_is_locked_on_the_sheet(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """A closed (已销号) task is listed for reference, its whole row grey and locked."""
    _close_brk1(ledger)
    out = tmp_path / "out"
    _export(cli, ledger, out)
    wb = openpyxl.load_workbook(out / "区发改委.xlsx")
    ws = wb["本月填报"]
    for task, unlocked in (("BRK1-01", []), ("BRK5-01", [
            "本月进度 (%)", "本月进展", "存在问题", "节点完成日期", "本月状态"])):
        r = _row(ws, task)
        assert [ws.cell(2, c).value for c in range(4, 18)
                if not ws.cell(r, c).protection.locked] == unlocked
    r = _row(ws, "BRK1-01")
    assert ws.cell(r, _col(ws, "本月进度 (%)")).fill.fgColor.rgb == "00EDEDED"
    assert wb["填报说明"]["A5"].value == (
        "   已销号的任务只列出供参考，整行为灰色、已锁定，不再填报；填了也不会被导入。")


def test_a_report_on_a_closed_task_is_refused(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """The unit types 90 and a note on a task closed before the sheet went out: its
    progress went 100 → 90 and an update was added to the closed task, with only the
    warning "本月进度 90 低于上月 100" (audit H1).  Refused at each cell, nothing of it
    written; the rest of the sheet imports."""
    closed = _close_brk1(ledger)
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 90, "本月进展": "无新进展", "本月状态": "推进中"})
    _fill(book, "BRK5-01", {"本月进度 (%)": 50})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    refused = "：任务 BRK1-01 已于 2024-05-20 销号（已销号），月度填报不能改变它"
    assert r.stderr.splitlines() == [
        f"区发改委.xlsx 本月填报!K3: 未导入“90”{refused}",
        f"区发改委.xlsx 本月填报!L3: 未导入“无新进展”{refused}",
        f"区发改委.xlsx 本月填报!O3: 未导入“推进中”{refused}",
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 1 个，拒绝单元格 3 个"]
    assert (ledger / BRK1).read_text(encoding="utf-8") == closed
    assert '    - {month: "2024-06", progress: 50}\n' in (
        ledger / "tasks/brk-5.yaml").read_text(encoding="utf-8")
    en = _import(cli, ledger, book, extra=("--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        "区发改委.xlsx 本月填报!K3: not imported '90': task BRK1-01 was closed on 2024-05-20: "
        "a monthly report cannot change a closed task")


def _header(book: Path, old: str, new: str) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ws.cell(2, _col(ws, old)).value = new
    wb.save(book)


@pytest.mark.parametrize("header", ["本月进度（%）", "本月进度(％)", "本月进度 （ % ）", "本月进度\u3000(%)"])
def test_a_retyped_header_in_another_width_is_read(cli: Any, ledger: Path, tmp_path: Path,
                                                   header: str) -> None:
    """A unit retypes 本月进度 (%) with full-width brackets: the column was listed as
    "未导入的列" and its figures dropped, exit 0, 更新任务 0 个 (audit M5)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60, "本月进展": "x"})
    _header(book, "本月进度 (%)", header)
    _header(book, "本月进展", " 本月 进展 ")
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"]
    assert '    - {month: "2024-06", progress: 60, note: x}\n' in (
        ledger / BRK1).read_text(encoding="utf-8")


def test_a_header_that_only_looks_like_one_stops_the_import(cli: Any, ledger: Path,
                                                            tmp_path: Path) -> None:
    """本月进度 for 本月进度 (%): its figures are not dropped without a word — a problem
    at the header, nothing written.  Empty, such a column loses nothing: listed as
    before."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60})
    _header(book, "本月进度 (%)", "本月进度")
    _header(book, "存在问题", "存在问题（如有）")
    before = (ledger / BRK1).read_text(encoding="utf-8")
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[:2] == [
        "未导入的列（不是填报表的列）：区发改委.xlsx 本月填报!M2 存在问题（如有）",
        "区发改委.xlsx 本月填报!K2: 列标题“本月进度”不是填报表的“本月进度 (%)”：这一列填的内容未导入；"
        "请把列标题改回“本月进度 (%)”后再导入（或重新导出本单位填报表）"]
    assert (ledger / BRK1).read_text(encoding="utf-8") == before


def test_a_look_alike_column_beside_its_own_is_an_added_column(cli: Any, ledger: Path,
                                                              tmp_path: Path) -> None:
    """存在问题（补充） added beside 存在问题: the look-alike check stopped the whole run
    ("请把列标题改回“存在问题”", which would then be a second 存在问题, named as not
    imported).  With the sheet's own column there, it is a column the unit added:
    named as not imported, the rest imports (review of the change)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60}, extra={"存在问题（补充）": "另有问题"})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (
        "未导入的列（不是填报表的列）：区发改委.xlsx 本月填报!R2 存在问题（补充）")


def test_a_header_with_a_zero_width_space_is_read(cli: Any, ledger: Path,
                                                  tmp_path: Path) -> None:
    """本月进度 (%) with a zero-width space pasted in: its figures were dropped (the
    column "not imported", exit 0)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60})
    _header(book, "本月进度 (%)", "本月进度 (%)\u200b")
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert '    - {month: "2024-06", progress: 60}\n' in (ledger / BRK1).read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ['yyyy"年"m"月"', "yyyy-mm"])
def test_a_date_cell_shown_without_its_day_is_no_completion_date(
        cli: Any, ledger: Path, tmp_path: Path, fmt: str) -> None:
    """2024年6月 typed into 节点完成日期: Excel stores the 1st of June and shows
    `yyyy"年"m"月"` — the text check never saw it, and 2024-06-01 was recorded."""
    from datetime import datetime

    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    cell = ws.cell(_row(ws, "BRK1-01"), _col(ws, "节点完成日期"))
    cell.value = datetime(2024, 6, 1)
    cell.number_format = fmt
    wb.save(book)
    before = (ledger / BRK1).read_text(encoding="utf-8")
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "区发改委.xlsx 本月填报!N3: 节点完成日期“2024-06”只写到月份（或旬、季度），不是具体日期："
        "请写完成的具体日期，如 2024-06-15")
    assert (ledger / BRK1).read_text(encoding="utf-8") == before


@pytest.mark.parametrize(("header", "rng"), [("本月进度 (%)", "K3:K5"), ("本月进展", "L3:L5")])
def test_a_cell_merged_over_several_tasks_is_refused(cli: Any, ledger: Path, tmp_path: Path,
                                                    header: str, rng: str) -> None:
    """60 typed in K3 and merged down over K3:K5: all three tasks got 60, without a
    word (audit M6).  The merge is refused, naming its range, and none of its rows
    reads it; the rest of each row imports."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ids = [ws.cell(r, 1).value for r in range(3, 6)]
    c = _col(ws, header)
    ws.cell(3, c).value = 60 if header == "本月进度 (%)" else "集中开工"
    ws.merge_cells(f"{rng}")
    ws.cell(3, _col(ws, "存在问题")).value = "用地手续滞后"
    wb.save(book)
    texts = {rel: (ledger / rel).read_text(encoding="utf-8")
             for rel in (f"tasks/{p.name}" for p in (ledger / "tasks").iterdir())}
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"区发改委.xlsx 本月填报!{rng}: 合并单元格跨过几个任务的行：其中的内容不导入（一个值不能算作几个任务的"
        "填报）；请取消合并，在每个任务的行分别填写",
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 1 个"]
    changed = [rel for rel, text in texts.items()
               if (ledger / rel).read_text(encoding="utf-8") != text]
    assert changed == [BRK1] and ids[0] == "BRK1-01"
    assert '    - {month: "2024-06", problems: 用地手续滞后}\n' in (
        ledger / BRK1).read_text(encoding="utf-8")


@pytest.mark.parametrize("cell", ["2024年6月", "6月", "2024-06", "6月底", "6月上旬", "2024年"])
def test_a_month_is_no_completion_date(cli: Any, ledger: Path, tmp_path: Path,
                                       cell: str) -> None:
    """节点完成日期 2024年6月 was recorded as 2024-06-30, 6月上旬 as 06-10: a day made up
    (audit M7).  A deadline may name a period; the day something was done may not."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60, "节点完成日期": cell})
    before = (ledger / BRK1).read_text(encoding="utf-8")
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        f"区发改委.xlsx 本月填报!N3: 节点完成日期“{cell}”只写到月份（或旬、季度），不是具体日期："
        "请写完成的具体日期，如 2024-06-15")
    assert (ledger / BRK1).read_text(encoding="utf-8") == before
    _fill(book, "BRK1-01", {"节点完成日期": "6月28日"})  # a day, the year the month's
    assert _import(cli, ledger, book).exit_code == 0


def test_last_months_sheet_filled_in_again_is_named(cli: Any, ledger: Path,
                                                    tmp_path: Path) -> None:
    """May's sheet (filled in with May's report) reused in June with June's figures:
    May's update was rewritten and the task's progress set, without a word (audit H8).
    Imported — a unit may correct its month's report — but named with the month, and
    each file's line says which month its sheet is for."""
    out = tmp_path / "may"
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 45, "本月进展": "6月新增重点企业3家"})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "区发改委.xlsx 本月填报!K3: 本表是 2024-05 的填报表，改写了任务 BRK1-01 已有的 2024-05 月报"
        "（本月进度“38”→“45”；本月进展“重点企业产值、营收监测正常”→“6月新增重点企业3家”）："
        "请核对是否用了旧月份的填报表（已导入）",
        "  区发改委.xlsx（2024-05）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"]
    assert '    - {month: "2024-05", progress: 45, note: 6月新增重点企业3家}\n' in (
        ledger / BRK1).read_text(encoding="utf-8")
    en = _import(cli, ledger, book, extra=("--lang", "en", "--dry-run"))
    assert en.stderr.splitlines()[-3] == (
        "  区发改委.xlsx (2024-05): as fgw (区发改委); to update 0")


def test_a_cell_merged_over_several_tasks_of_the_full_sheet_is_refused(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """进度 55 typed in 任务台账!H3 and merged down over H3:H5: BL1-01, BL1-02 and BL2-01
    all got 55, without a word, where a unit's sheet refuses such a merge.  Refused the
    same way, naming its range; the other rows import."""
    book = tmp_path / "ledger.xlsx"
    assert cli("export", ledger, "-o", book, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["任务台账"]
    assert [ws.cell(2, 8).value, *(ws.cell(r, 1).value for r in range(3, 7))] == [
        "进度", "BL1-01", "BL1-02", "BL2-01", "BL2-02"]
    ws["H3"] = 55
    ws.merge_cells("H3:H5")
    ws["H6"] = 56
    wb.save(book)
    before = (ledger / "tasks/bl-1.yaml").read_text(encoding="utf-8")
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "ledger.xlsx 任务台账!H3:H5: 合并单元格跨过几个任务的行：其中的内容不导入（一个值不能算作几个任务的"
        "填报）；请取消合并，在每个任务的行分别填写",
        "  ledger.xlsx（2024-06）：任务台账全表，更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 34 个，拒绝单元格 1 个"]
    assert (ledger / "tasks/bl-1.yaml").read_text(encoding="utf-8") == before
    assert "  progress: 56\n" in (ledger / "tasks/bl-2.yaml").read_text(encoding="utf-8")
    en = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06", "--as-of",
             AS_OF, "--dry-run", "--lang", "en")
    assert en.stderr.splitlines()[0] == (
        "ledger.xlsx 任务台账!H3:H5: a merged cell spans several tasks' rows: what it holds is "
        "not imported (one value is no report for several tasks); unmerge the cells and fill "
        "in each task's row")


def test_a_cell_merged_over_several_tasks_of_the_details_sheet_is_refused(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """最新进展 typed in 任务明细!S3 and merged down over S3:S5 became the note of three
    tasks: refused at 任务明细's range, as a merge on 任务台账 is."""
    book = tmp_path / "ledger.xlsx"
    assert cli("export", ledger, "-o", book, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["任务明细"]
    assert [ws.cell(2, 19).value, *(ws.cell(r, 1).value for r in range(3, 6))] == [
        "最新进展", "BL1-01", "BL1-02", "BL2-01"]
    ws["S3"] = "集中开工"
    ws.merge_cells("S3:S5")
    wb.save(book)
    texts = {p.name: p.read_text(encoding="utf-8") for p in (ledger / "tasks").iterdir()}
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "ledger.xlsx 任务明细!S3:S5: 合并单元格跨过几个任务的行：其中的内容不导入（一个值不能算作几个任务的"
        "填报）；请取消合并，在每个任务的行分别填写",
        "  ledger.xlsx（2024-06）：任务台账全表，更新任务 0 个",
        "单位 0 个，更新任务 0 个，未变 35 个，拒绝单元格 1 个"]
    assert {p.name: p.read_text(encoding="utf-8") for p in (ledger / "tasks").iterdir()} == texts
