"""The monthly cycle's second audit: stale sheets, swapped full-sheet rows, single-task
files, re-runs after the office corrected a report, the lead's 本月状态, unit input
that was dropped without a word, and progress going backwards."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN
from test_monthly import AS_OF, _col, _export, _fill, _row

BRK1 = "tasks/brk-1.yaml"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


def _edit(ledger: Path, rel: str, old: str, new: str) -> str:
    p = ledger / rel
    text = p.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    p.write_text(text, encoding="utf-8")
    return text


def _import(cli: Any, ledger: Path, *books: Path, extra: tuple[str, ...] = ()) -> Any:
    return cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF, *extra)


@pytest.mark.parametrize(("status", "extra", "label", "cells"), [
    ("closed", "  closed: {date: 2024-06-20, approved_by: wang-shuji, evidence: 验收}\n",
     "已销号", {"本月进度 (%)": 60, "本月进展": "x"}),
    ("done", "", "已完成", {"本月进度 (%)": 50, "本月进展": "资金未到位，暂缓", "本月状态": "暂缓"}),
    ("suspended", "", "暂缓", {"本月进度 (%)": 50}),
])
def test_a_stale_sheet_does_not_report_on_a_task_whose_status_moved(
        cli: Any, ledger: Path, tmp_path: Path, status: str, extra: str, label: str,
        cells: dict[str, Any]) -> None:
    """The sheet goes out with BRK1-01 推进中 at 38; the office then closes it (or it is
    done, or suspended).  The unit's stale row set the closed task's progress to 60,
    exit 0, without a word (audit F1).  Its status is in the seal: the row is refused
    at its 本月状态 cell and nothing of it is written."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", cells)
    text = _edit(ledger, BRK1, "  status: in_progress\n  progress: 38\n",
                 f"  status: {status}\n  progress: {100 if status != 'suspended' else 38}\n"
                 + extra)
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"区发改委.xlsx 本月填报!O3: 任务 BRK1-01 在填报表发出后状态已改为“{label}”（发出时为“推进中”）："
        "本行未导入；请与督查室核对，需要时重新导出本单位填报表",
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 0 个",
        "单位 1 个，更新任务 0 个，未变 2 个，拒绝单元格 1 个"]
    assert (ledger / BRK1).read_text(encoding="utf-8") == text
    en = _import(cli, ledger, book, extra=("--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        f"区发改委.xlsx 本月填报!O3: task BRK1-01's status changed to "
        f"'{status}' after "
        "the sheet was sent (it was 'in progress'): this row is not imported; check with the "
        "office, and export the unit's sheet again if need be")


def test_an_untouched_stale_row_of_a_closed_task_is_no_refusal(cli: Any, ledger: Path,
                                                                tmp_path: Path) -> None:
    """A row returned as it came reports nothing: the status moving since is not named."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _edit(ledger, BRK1, "  status: in_progress\n", "  status: suspended\n")
    r = _import(cli, ledger, out / "区发改委.xlsx")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1] == "单位 1 个，更新任务 0 个，未变 3 个，拒绝单元格 0 个"


def _full(cli: Any, ledger: Path, tmp_path: Path) -> Path:
    book = tmp_path / "full.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    return book


def _full_cells(book: Path, sheet: str, task: str, cells: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    heads = {ws.cell(2, c).value: c for c in range(1, ws.max_column + 1)}
    r = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == task)
    for head, value in cells.items():
        ws.cell(r, heads[head], value)
    wb.save(book)


def test_swapped_ids_on_the_full_sheet_refuse_both_rows(cli: Any, ledger: Path,
                                                        tmp_path: Path) -> None:
    """The clerk swaps the 编号 of BL1-01 and BL1-02 on 任务台账 and types 55 on the first:
    each row's progress went to the other task, only its title and lead refused at their
    cells (audit F2).  A row whose title is another task's is refused whole."""
    book = _full(cli, ledger, tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["任务台账"]
    one, two = (next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == x)
                for x in ("BL1-01", "BL1-02"))
    ws.cell(one, 1).value, ws.cell(two, 1).value = "BL1-02", "BL1-01"
    ws.cell(one, 8).value = 55
    assert ws.cell(2, 8).value == "进度"
    wb.save(book)
    before = (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")
    r = _import(cli, ledger, book, extra=("--month", "2024-06"))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "full.xlsx 任务台账!A3: 编号 BL1-02 与本行的任务名称、牵头单位不符（像是任务 BL1-01 的行）："
        "本行未导入；请核对编号",
        "full.xlsx 任务台账!A4: 编号 BL1-01 与本行的任务名称、牵头单位不符（像是任务 BL1-02 的行）："
        "本行未导入；请核对编号",
        "  full.xlsx（2024-06）：任务台账全表，更新任务 0 个",
        "单位 0 个，更新任务 0 个，未变 33 个，拒绝单元格 2 个"]
    assert (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8") == before
    en = _import(cli, ledger, book, extra=("--month", "2024-06", "--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        "full.xlsx 任务台账!A3: ID BL1-02 does not match the row's Title and Lead unit (it "
        "looks like task BL1-01's row): the row is not imported; check the ID")


def test_a_title_and_lead_both_edited_refuse_the_row(cli: Any, ledger: Path,
                                                     tmp_path: Path) -> None:
    book = _full(cli, ledger, tmp_path)
    _full_cells(book, "任务台账", "BL1-01", {"任务名称": "某某", "牵头单位": "区商务局", "进度": 55})
    r = _import(cli, ledger, book, extra=("--month", "2024-06"))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (
        "full.xlsx 任务台账!A3: 编号 BL1-01 与本行的任务名称、牵头单位不符：本行未导入；请核对编号")
    assert r.stderr.splitlines()[-1] == "单位 0 个，更新任务 0 个，未变 34 个，拒绝单元格 1 个"


def test_a_title_edited_alone_is_refused_at_its_cell(cli: Any, ledger: Path,
                                                     tmp_path: Path) -> None:
    """Only the title changed (a typo fixed): refused at its cell, the rest imported."""
    book = _full(cli, ledger, tmp_path)
    _full_cells(book, "任务台账", "BL1-01", {"任务名称": "“四上”企业培育入库（更正）", "进度": 55})
    r = _import(cli, ledger, book, extra=("--month", "2024-06"))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "full.xlsx 任务台账!B3: 未导入““四上”企业培育入库（更正）”：任务 BL1-01 的“任务名称”不由填报单位修改",
        "  full.xlsx（2024-06）：任务台账全表，更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 34 个，拒绝单元格 1 个"]
    assert '    - {month: "2024-06", progress: 55}\n' in (
        ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")


def _single(ledger: Path) -> str:
    """BRK1-01 moved into a file of its own, written as one task mapping (SPEC §3),
    with a comment; the rest of brk-1.yaml stays a list."""
    text = (ledger / BRK1).read_text(encoding="utf-8")
    head, rest = text.split("- id: BRK1-01\n", 1)
    mine, others = rest.split("\n- id: BRK1-02\n", 1)
    single = "# 单个任务写成一个映射\nid: BRK1-01\n" + "".join(
        line[2:] + "\n" for line in mine.rstrip("\n").split("\n"))
    (ledger / BRK1).write_text(head + "- id: BRK1-02\n" + others, encoding="utf-8")
    (ledger / "tasks" / "brk-1a.yaml").write_text(single, encoding="utf-8")
    return single


def test_a_task_file_of_one_mapping_takes_the_months_report(cli: Any, ledger: Path,
                                                            tmp_path: Path) -> None:
    """A file holding one task mapping blocked the whole import as if it used aliases
    (audit F3): it is edited in place like a list's item, every other byte kept."""
    single = _single(ledger)
    assert cli("validate", ledger, "--as-of", AS_OF).exit_code == 0
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK1-01", {"本月进度 (%)": 60, "本月进展": "六月进展",
                                         "节点完成日期": "2024-06-28"})
    r = _import(cli, ledger, out / "区发改委.xlsx")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1] == "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"
    want = single.replace("  - {due: 2024-07-25, standard: 上半年增速不低于5.8%}\n",
                          "  - {due: 2024-07-25, standard: 上半年增速不低于5.8%, done: 2024-06-28}\n")
    want = want.replace("progress: 38\n", "progress: 60\n")
    want += '  - {month: "2024-06", progress: 60, note: 六月进展}\n'
    assert (ledger / "tasks" / "brk-1a.yaml").read_text(encoding="utf-8") == want
    assert single.startswith("# 单个任务写成一个映射\nid: BRK1-01\ntitle: 地区生产总值增长目标\n")
    assert cli("validate", ledger, "--as-of", AS_OF).exit_code == 0


def test_a_validation_error_in_a_one_mapping_file_points_at_the_cell(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    _single(ledger)
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK1-01", {"本月进度 (%)": 100, "本月状态": "推进中"})
    r = _import(cli, ledger, out / "区发改委.xlsx")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "区发改委.xlsx 本月填报!K3: LS206 任务 BRK1-01：进度为 100，但状态是 in_progress："
        "请把状态改为 done，或改正进度")


def test_a_rerun_after_the_office_corrected_a_report_keeps_its_text(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """区发改委's sheet is imported, the office corrects the note by hand, a late unit's
    sheet arrives and the folder is imported again.  That stopped the whole run ("1 个
    问题，未写入任何文件", the late unit blocked too) and blamed another unit's sheet for
    the office's correction (audit F4).  The row is refused at its cell, the ledger's
    text stands, the late sheet imports."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    fgw, late = out / "区发改委.xlsx", out / "区统计局.xlsx"
    _fill(fgw, "BRK1-01", {"本月进度 (%)": 60, "本月进展": "上半年增速5.9%（初报）"})
    assert _import(cli, ledger, fgw).exit_code == 0
    again = _import(cli, ledger, fgw)  # the same file again: nothing changed, nothing refused
    assert again.stderr.splitlines()[-1] == "单位 1 个，更新任务 0 个，未变 3 个，拒绝单元格 0 个"
    fixed = _edit(ledger, BRK1, "上半年增速5.9%（初报）", "上半年增速5.9%（初报，已核）")
    _fill(late, "BL1-01", {"本月进度 (%)": 45, "本月进展": "新增35家"})
    for k in range(2):
        r = _import(cli, ledger, fgw, late)
        assert r.exit_code == 0, r.stderr
        assert r.stderr.splitlines() == [
            "区发改委.xlsx 本月填报!L3: 任务 BRK1-01 的 2024-06 月报在此表发出后已被写入或修改"
            "（台账现为：本月进度 (%)“60”，本月进展“上半年增速5.9%（初报，已核）”）：台账现有内容保留，"
            "本行未导入；如需以此表为准，请在台账中修改",
            "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 0 个",
            f"  区统计局.xlsx（2024-06）：填报单位 tongjiju（区统计局），更新任务 {1 - k} 个",
            f"单位 2 个，更新任务 {1 - k} 个，未变 {4 + k} 个，拒绝单元格 1 个"]
        assert (ledger / BRK1).read_text(encoding="utf-8") == fixed
        assert '    - {month: "2024-06", progress: 45, note: 新增35家}\n' in (
            ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")
    en = _import(cli, ledger, fgw, extra=("--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        "区发改委.xlsx 本月填报!L3: task BRK1-01's 2024-06 update was written or changed after "
        "this sheet was sent (the ledger now: progress '60', note '上半年增速5.9%（初报，已核）'): "
        "the ledger's text stands, this row is not imported; to take this sheet's, edit the "
        "ledger")


@pytest.mark.parametrize("label", ["暂缓", "已完成"])
def test_only_the_lead_reports_the_status(cli: Any, ledger: Path, tmp_path: Path,
                                          label: str) -> None:
    """区住房和城乡建设局 is responsible for BRK5-01, which 区发改委 leads: its 暂缓 (or
    已完成) was applied, exit 0 (audit F5).  Refused at the cell; the row's progress is
    still the unit's report."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区住房和城乡建设局.xlsx"
    _fill(book, "BRK5-01", {"本月状态": label, "本月进度 (%)": 45})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"区住房和城乡建设局.xlsx 本月填报!O3: 未导入“{label}”：任务 BRK5-01 的状态由牵头单位 区发改委 填报",
        "  区住房和城乡建设局.xlsx（2024-06）：填报单位 zhujianju（区住房和城乡建设局），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 3 个，拒绝单元格 1 个"]
    text = (ledger / "tasks" / "brk-5.yaml").read_text(encoding="utf-8")
    assert '    - {month: "2024-06", progress: 45}\n' in text
    assert text.split("- id: BRK5-02")[0].count("status: in_progress") == 1
    en = _import(cli, ledger, book, extra=("--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        f"区住房和城乡建设局.xlsx 本月填报!O3: not imported "
        f"'{ {'暂缓': 'suspended', '已完成': 'done'}[label]}': task BRK5-01's status is "
        "reported by its lead unit, 区发改委")


def test_the_status_cell_is_locked_where_the_unit_does_not_lead(cli: Any, ledger: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    _export(cli, ledger, out)
    wb = openpyxl.load_workbook(out / "区住房和城乡建设局.xlsx")
    ws = wb["本月填报"]
    c = _col(ws, "本月状态")
    cell = ws.cell(_row(ws, "BRK5-01"), c)  # led by 区发改委
    assert (cell.value, cell.protection.locked, cell.fill.fgColor.rgb) == (
        "推进中", True, "00EDEDED")
    lead = openpyxl.load_workbook(out / "区发改委.xlsx")["本月填报"]
    assert lead.cell(_row(lead, "BRK5-01"), c).protection.locked is False
    assert wb["填报说明"]["A4"].value == (
        "   本月状态只由任务的牵头单位填报：本单位不是牵头单位的任务，本月状态为灰色、已锁定，修改不会被导入。")


def test_a_sheet_a_unit_added_is_named(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """A 补充说明 sheet in a returned workbook was read past without a word (audit F6)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60})
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("补充说明")["A1"] = "BRK1-01 另需说明：资金缺口2000万"
    wb.create_sheet("空表")  # nothing in it: nothing lost
    wb.save(book)
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "区发改委.xlsx 补充说明: 这张工作表不是填报表：其中的内容不导入；要报送的内容请写进“本月填报”表任务所在的行",
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 1 个"]


def test_comments_and_text_above_the_header_are_named(cli: Any, ledger: Path,
                                                      tmp_path: Path) -> None:
    """A 批注 on a cell and a 填报人 line typed beside the title were dropped (audit F6)."""
    from openpyxl.comments import Comment

    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ws["K3"] = 60
    ws["K3"].comment = Comment("此为预估数，待统计局核定", "fgw")
    ws["S1"] = "填报人：张三 13800000000"
    wb.save(book)
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "区发改委.xlsx 本月填报!K3: 批注不导入：“此为预估数，待统计局核定”；要报送的内容请写进本月进展或存在问题",
        "区发改委.xlsx 本月填报!S1: 表头上方的内容不导入：“填报人：张三 13800000000”；要报送的内容请写进任务所在的行",
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 2 个"]


def test_edits_to_the_other_grey_columns_are_named(cli: Any, ledger: Path,
                                                   tmp_path: Path) -> None:
    """上月进度 and 目标值 edited were dropped without a word (audit F6).  They are
    shown for reference and never read: a figure there that is not the ledger's is
    named in a note, not counted as a refused cell — the sheet may be older than the
    ledger (May's 38 corrected to 40 after June's sheets went out), which the seal
    cannot tell from an edit (review: every such row was "refused")."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"上月进度 (%)": 35, "本月进度 (%)": 60})
    _fill(book, "BRK5-01", {"目标值": "300个"})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "说明：上月进度、目标值只供参考，不导入；这些单元格与台账现有的值不同（表中“…”≠台账） "
        "[区发改委.xlsx 本月填报!J3 “35”≠38, 区发改委.xlsx 本月填报!P5 “300个”≠—]",
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"]


def test_a_sheet_older_than_a_correction_of_last_month_is_no_refusal(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """June's sheet goes out showing May's 38; the office then corrects May to 40; the
    unit fills in June only.  Its 上月进度 cell (38) is the sheet's, not an edit: named
    in a note, and June's report imported."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _edit(ledger, BRK1, '    - {month: "2024-05", progress: 38,', '    - {month: "2024-05", progress: 40,')
    _edit(ledger, BRK1, "  progress: 38\n", "  progress: 40\n")
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert "拒绝单元格 0 个" in r.stderr.splitlines()[-1]
    assert '    - {month: "2024-06", progress: 60}\n' in (ledger / BRK1).read_text(encoding="utf-8")


def test_a_changed_note_of_an_earlier_month_on_the_full_sheet_is_named(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """最新进展 “2024-05：…” changed on the full sheet is history, left alone -- and now
    named (audit F6); unchanged, it is nothing."""
    book = _full(cli, ledger, tmp_path)
    _full_cells(book, "任务明细", "BL1-01", {"最新进展": "2024-05：新增33家（更正）"})
    before = (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")
    r = _import(cli, ledger, book, extra=("--month", "2024-06"))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "full.xlsx 任务明细!S3: 未导入“2024-05：新增33家（更正）”：最新进展写明的是 2024-05 的进展，"
        "不是本次导入的 2024-06；其他月份的记录不由导入改写，请在台账中修改",
        "  full.xlsx（2024-06）：任务台账全表，更新任务 0 个",
        "单位 0 个，更新任务 0 个，未变 35 个，拒绝单元格 1 个"]
    assert (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8") == before


def _cached_formula(book: Path, ref: str, formula: str, shown: str) -> None:
    """`formula` in cell `ref` of the first sheet, with the value Excel would save."""
    import re
    import zipfile

    tmp = book.with_suffix(".tmp")
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text, n = re.subn(rf'<c r="{ref}"([^>]*?)(?: t="\w+")?(?:/>|>.*?</c>)',
                                  rf'<c r="{ref}"\1 t="str"><f>{formula}</f><v>{shown}</v></c>',
                                  data.decode(), count=1, flags=re.S)
                assert n == 1
                data = text.encode()
            zout.writestr(item, data)
    tmp.replace(book)


def test_a_formula_is_imported_as_its_value_and_said(cli: Any, ledger: Path,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60, "本月进展": "x"})
    _cached_formula(book, "L3", 'HYPERLINK("http://example.org/a","见附件")', "见附件")
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "说明：公式只导入其显示值（请直接填写内容，不用公式） [区发改委.xlsx 本月填报!L3]",
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"]
    assert '    - {month: "2024-06", progress: 60, note: 见附件}\n' in (
        ledger / BRK1).read_text(encoding="utf-8")


@pytest.mark.parametrize(("value", "read"), [(20, "20"), (0.8, "0.8"), ("0.8", "0.8")])
def test_progress_below_last_months_is_imported_with_a_warning(
        cli: Any, ledger: Path, tmp_path: Path, value: Any, read: str) -> None:
    """20 for 38 (or 0.8 typed into a General cell for 80%) went in without a word
    (audit F7): it is imported (units correct their figures), and named — a number
    below 1 also as `import tasks` names it (import audit)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": value})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    below_one = ["说明：进度小于 1（如 0.35）按百分数导入（0.35%）：如果是指 35%，请写 35 或 35% "
                 "[区发改委.xlsx 本月填报!K3 0.8]"] if read == "0.8" else []
    assert r.stderr.splitlines() == [
        f"区发改委.xlsx 本月填报!K3: 本月进度 {read} 低于上月 38，请核对（已导入）",
        *below_one,
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"]
    assert f'    - {{month: "2024-06", progress: {read}}}\n' in (
        ledger / BRK1).read_text(encoding="utf-8")
    en = _import(cli, ledger, book, extra=("--lang", "en"))  # written: no report, no warning
    assert en.stderr.splitlines()[-1] == (
        "units 1, tasks updated 0, unchanged 3, refused cells 0")


@pytest.mark.parametrize(("value", "read"), [("８０．５％", "80.5"), ("８０．５", "80.5"),
                                             ("45.5%", "45.5")])
def test_a_full_width_decimal_point_is_read(cli: Any, ledger: Path, tmp_path: Path,
                                            value: str, read: str) -> None:
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": value})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert f'    - {{month: "2024-06", progress: {read}}}\n' in (
        ledger / BRK1).read_text(encoding="utf-8")


def test_progress_beside_a_different_latest_update_is_warned_and_an_untouched_sheet_keeps_it(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """BRK1-01 says `progress: 50` beside its June update's 45 (SPEC §3: progress is
    the latest reported).  `validate` names the slip at `progress:` (LS221, a warning);
    the June sheet comes filled in with June's 45 and, returned untouched, reports
    nothing — it set `progress:` back to 45 (newcomer audit).  A finished task's 100
    after a last report of 90 is no slip (done mid-month): no LS221."""
    _edit(ledger, BRK1, "  progress: 38\n", "  progress: 50\n")
    text = _edit(ledger, BRK1, "    - {month: \"2024-05\", progress: 38, note: 重点企业产值、营收监测正常}\n",
                 "    - {month: \"2024-05\", progress: 38, note: 重点企业产值、营收监测正常}\n"
                 "    - {month: \"2024-06\", progress: 45, note: 上半年运行平稳}\n")
    v = cli("validate", ledger, "--as-of", AS_OF)
    assert [x for x in v.stdout.splitlines() if "LS221" in x] == [
        "tasks/brk-1.yaml:17:13: warning LS221 任务 BRK1-01：进度（progress）为 50，但最新月报 2024-06 "
        "报送的进度为 45：progress 应是最新报送的进度，请核对后改为一致"]
    out = tmp_path / "out"
    _export(cli, ledger, out)
    r = _import(cli, ledger, out / "区发改委.xlsx")
    assert r.exit_code == 0, r.stderr
    assert (ledger / BRK1).read_text(encoding="utf-8") == text
    assert r.stderr.splitlines()[-1] == "单位 1 个，更新任务 0 个，未变 3 个，拒绝单元格 0 个"
    _edit(ledger, BRK1, "  status: in_progress\n  progress: 50\n",
          "  status: done\n  progress: 100\n")
    _edit(ledger, BRK1, "    - {due: 2024-12-31, standard: 全年增长6%左右}\n",
          "    - {due: 2024-12-31, standard: 全年增长6%左右, done: 2024-06-28}\n")
    done = cli("validate", ledger, "--as-of", AS_OF)
    assert "LS221" not in done.stdout


def test_the_full_sheets_actual_is_a_report_and_its_target_the_ledgers(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """BL1-01 with `target: {value: 80, unit: 家}` and May's actual 32.  The full export's
    任务明细 shows 目标值 “80 家”, 实际完成值 32, 目标完成率%: imported unedited it named
    the three as "not a column" (newcomer audit); now they are read past.  42 typed into
    实际完成值 is June's actual (it was never imported); 90 typed into 目标值 is refused
    at its cell."""
    from test_monthly import _with_target

    _with_target(ledger)
    _edit(ledger, "tasks/bl-1.yaml", '    - {month: "2024-05", progress: 40, note: 新增32家}\n',
          '    - {month: "2024-05", progress: 40, note: 新增32家, actual: 32}\n')
    book = _full(cli, ledger, tmp_path)
    plain = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06",
                "--as-of", AS_OF, "--dry-run")
    assert plain.exit_code == 0, plain.stderr
    assert "未导入的列" not in plain.stderr and "拟更新任务 0 个" in plain.stderr
    _full_cells(book, "任务明细", "BL1-01", {"实际完成值": 42, "目标值": "90 家"})
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06",
            "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert [x for x in r.stderr.splitlines() if "目标值" in x] == [
        "full.xlsx 任务明细!S3: 未导入“90 家”：任务 BL1-01 的目标值在台账中修改（如需调整，请按变更程序报批）"]
    text = (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")
    assert '    - {month: "2024-06", actual: 42}\n' in text
    assert "  target: {value: 80, unit: 家}\n" in text


def test_a_full_sheet_without_its_details_sheet_imports_a_task_with_a_target(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """The office returns only the printed 任务台账 (任务明细 deleted): no 目标值 column.
    A task with a target stopped the import with "internal error (KeyError: '目标值')"
    (review); a column not sent is no edit."""
    from test_monthly import _with_target

    _with_target(ledger)
    book = _full(cli, ledger, tmp_path)
    wb = openpyxl.load_workbook(book)
    del wb["任务明细"]
    wb.save(book)
    _full_cells(book, "任务台账", "BL1-01", {"进度": 50})
    r = _import(cli, ledger, book, extra=("--month", "2024-06"))
    assert r.exit_code == 0, r.stderr
    assert '    - {month: "2024-06", progress: 50}\n' in (
        ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")


def test_a_title_with_a_trailing_space_is_its_own_row(cli: Any, ledger: Path,
                                                      tmp_path: Path) -> None:
    """`title: "总部企业引进 "` (valid): a cell reads back without the space.  The
    untouched row was refused whole as "like task BL1-02's row" — its own (review) —
    and before that its title cell was refused; now the row's progress imports and
    nothing is refused."""
    _edit(ledger, "tasks/bl-1.yaml", "  title: 总部企业引进\n", '  title: "总部企业引进 "\n')
    book = _full(cli, ledger, tmp_path)
    _full_cells(book, "任务台账", "BL1-02", {"进度": 45})
    r = _import(cli, ledger, book, extra=("--month", "2024-06"))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1] == "单位 1 个，更新任务 1 个，未变 34 个，拒绝单元格 0 个"
    assert '    - {month: "2024-06", progress: 45}\n' in (
        ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")


def test_a_last_report_without_progress_is_no_crash(cli: Any, ledger: Path,
                                                    tmp_path: Path) -> None:
    """BL1-01's June update holds a note alone (valid); July's sheet shows an empty
    上月进度.  A July progress of 30 stopped the import with "internal error
    (TypeError: '<' not supported …)" in the backwards-progress check (final read):
    there is no last month's figure to be below, so no warning, and the report imports."""
    _edit(ledger, "tasks/bl-1.yaml", '    - {month: "2024-05", progress: 40, note: 新增32家}\n',
          '    - {month: "2024-05", progress: 40, note: 新增32家}\n'
          '    - {month: "2024-06", note: 新增35家}\n')
    out = tmp_path / "out"
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", "2024-07-31",
            "--month", "2024-07")
    assert r.exit_code == 0, r.stderr
    book = out / "区统计局.xlsx"
    _fill(book, "BL1-01", {"本月进度 (%)": 30})
    run = cli("import", "updates", book, "--ledger", ledger, "--as-of", "2024-07-31")
    assert run.exit_code == 0, run.stderr
    assert "低于上月" not in run.stderr and "说明" not in run.stderr
    assert '    - {month: "2024-07", progress: 30}\n' in (
        ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_hyperlinks_address_is_named_as_the_import_writes_or_not(
        cli: Any, ledger: Path, tmp_path: Path, dry_run: bool) -> None:
    """本月进展 "见附件" linking to http://example.org/a.pdf: the text was imported and the
    address dropped without a word (`import tasks` names it).  Named with its address —
    the cell's text "拟导入" under --dry-run, where nothing is written, as the warnings
    say it."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": 60, "本月进展": "见附件"})
    wb = openpyxl.load_workbook(book)
    wb["本月填报"]["L3"].hyperlink = "http://example.org/a.pdf"
    wb.save(book)
    extra = ("--dry-run",) if dry_run else ()
    r = _import(cli, ledger, book, extra=extra)
    assert r.exit_code == 0, r.stderr
    said = "拟导入" if dry_run else "已导入"
    assert r.stderr.splitlines()[0] == (
        f"说明：超链接的地址不导入（单元格的文字{said}）：要报送的地址请写进单元格的文字 "
        "[区发改委.xlsx 本月填报!L3 http://example.org/a.pdf]")
    assert ('    - {month: "2024-06", progress: 60, note: 见附件}\n' in (
        ledger / BRK1).read_text(encoding="utf-8")) is not dry_run
    en = _import(cli, ledger, book, extra=("--dry-run", "--lang", "en"))
    assert en.stderr.splitlines()[0] == (
        "note: a hyperlink's address is not imported (the cell's text is to be): write an "
        "address that is to be reported into the cell's text "
        "[区发改委.xlsx 本月填报!L3 http://example.org/a.pdf]")


def test_a_hyperlink_note_says_nothing_was_imported_when_a_problem_stops_the_import(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK1-01", {"本月进度 (%)": "八成", "本月进展": "见附件"})
    wb = openpyxl.load_workbook(book)
    wb["本月填报"]["L3"].hyperlink = "http://example.org/a.pdf"
    wb.save(book)
    r = _import(cli, ledger, book)
    assert r.exit_code == 1
    assert ("说明：超链接的地址不导入（单元格的文字拟导入）：要报送的地址请写进单元格的文字 "
            "[区发改委.xlsx 本月填报!L3 http://example.org/a.pdf]") in r.stderr.splitlines()
