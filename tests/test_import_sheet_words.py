"""Words on a sheet that no import takes (the sheetsin audit): "No command silently
drops data the user wrote."  `import updates` named text above the header, cell
comments (批注), columns without a header and added sheets; `import scores` and
`import tasks` dropped them without a word.  Now both name each in a note, with the
words of `import updates` (`sheet.ABOVE_HEADER`, `sheet.COMMENT`, the one scan
`sheet.above_header`), the sheet's title aside.  Also: a 备注 column of a score sheet
is named as remarks (it was called a computed column), a vertically merged score cell
copied to the next unit is named, and a merged 本月进展+存在问题 cell read into both
fields is named.  The workbooks are real .xlsx files written by openpyxl, with real
comments (`openpyxl.comments.Comment`)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.comments import Comment

from conftest import BEILIN, REPO
from test_monthly import AS_OF, _col, _export, _row


@pytest.fixture
def beilin(tmp_path: Path) -> Path:
    """The ledger `luoshi init b --example beilin` writes (with a scheme)."""
    root = tmp_path / "b"
    shutil.copytree(REPO / "ledgers" / "beilin-2024-kaohe", root)
    return root


@pytest.fixture
def monthly(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


def _score_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["2024年三季度得分表", None, "注：张家村街道另行评定为79分"])
    ws.append(["单位", "督导检查评议", "政务服务评价"])
    ws.append(["区发改委", 88, None, None, "无表头的数据"])
    ws.append(["南院门街道", 93, 95])
    ws["B3"].comment = Comment("扣了2分，理由见附件", "督查室")
    wb.save(path)
    return path


def test_import_scores_names_text_above_the_header_unheaded_cells_and_comments(
        cli: Any, beilin: Path, tmp_path: Path) -> None:
    """The audit's sheet: C1 beside the title, E3 under no header and the comment on B3
    were dropped with only the 3 score changes printed, exit 0.  Each is now named in a
    note with what it holds; the title A1 is not (it is no content)."""
    book = _score_book(tmp_path / "s.xlsx")
    r = cli("import", "scores", book, beilin, "--period", "2024-Q3", "--dry-run")
    assert r.exit_code == 0, r.stderr
    err = r.stderr.splitlines()
    assert err[:3] == [
        "说明：表头上方的内容不导入：要导入的得分请写进单位所在的行 [得分!C1 注：张家村街道另行评定为79分]",
        "说明：批注不导入：要导入的得分请写进单位所在的行 [得分!B3 扣了2分，理由见附件]",
        "说明：这些单元格所在的列没有表头，其中的内容未导入：需要时请加上表头（指标名称或编号） "
        "[得分!E3 无表头的数据]"]
    assert not any("2024年三季度得分表" in line for line in err)
    assert [line for line in err if line.startswith("修改")] == [
        "修改 scores.fgw.inspection：（无） → 88",
        "修改 scores.nanyuanmen.inspection：（无） → 93",
        "修改 scores.nanyuanmen.service：（无） → 95"]


def test_import_scores_in_english_uses_the_words_of_import_updates(
        cli: Any, beilin: Path, tmp_path: Path) -> None:
    """The English notes begin with import updates' words for the same situation."""
    book = _score_book(tmp_path / "s.xlsx")
    r = cli("--lang", "en", "import", "scores", book, beilin, "--period", "2024-Q3",
            "--dry-run")
    assert r.exit_code == 0, r.stderr
    err = r.stderr.splitlines()
    assert ("note: what is above the header is not imported: write a score into its unit's "
            "row [得分!C1 注：张家村街道另行评定为79分]") in err
    assert ("note: a comment is not imported: write a score into its unit's row "
            "[得分!B3 扣了2分，理由见附件]") in err


def test_a_two_row_score_header_is_not_named_as_text_above_it(
        cli: Any, beilin: Path, tmp_path: Path) -> None:
    """The upper row of a two-row header (a parent component merged over its leaves,
    单位 merged down) is the header's, not text above it: no note."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["单位", "督导检查评议", "政务服务评价", "合计"])
    ws.append([None, "督导检查评议", "政务服务评价", None])
    ws.merge_cells("A1:A2")
    ws.merge_cells("D1:D2")
    ws.append(["区发改委", 88, 90, 178])
    book = tmp_path / "h.xlsx"
    wb.save(book)
    r = cli("import", "scores", book, beilin, "--period", "2024-Q3", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert not any("表头上方" in line for line in r.stderr.splitlines()), r.stderr


def test_a_remarks_column_is_named_as_remarks_not_as_a_computed_column(
        cli: Any, beilin: Path, tmp_path: Path) -> None:
    """A 备注 column holding text was named "跳过计算列（合计、排名、等次等）": it is no
    computed figure but remarks, and is named as such, by its header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["单位", "督导检查评议", "备注"])
    ws.append(["区发改委", 88, "另行复核"])
    book = tmp_path / "r.xlsx"
    wb.save(book)
    r = cli("import", "scores", book, beilin, "--period", "2024-Q3", "--dry-run")
    assert r.exit_code == 0, r.stderr
    err = r.stderr.splitlines()
    assert "说明：备注列不导入（不是得分），其中的内容不会写入考核记录 [得分!C1 备注]" in err
    assert not any("计算列" in line for line in err)


def test_a_vertically_merged_score_cell_is_named_for_the_unit_it_is_copied_to(
        cli: Any, beilin: Path, tmp_path: Path) -> None:
    """B2:B3 merged with 88 gave 南院门街道 区发改委's 88 without a word.  The grid reads a
    merged range as every cell it covers shows it (as import tasks reads a 牵头单位 merged
    over several tasks), and the copy is named: the unit's cell and the range's first."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["单位", "督导检查评议"])
    ws.append(["区发改委", 88])
    ws.append(["南院门街道", None])
    ws.merge_cells("B2:B3")
    book = tmp_path / "m.xlsx"
    wb.save(book)
    r = cli("import", "scores", book, beilin, "--period", "2024-Q3", "--dry-run")
    assert r.exit_code == 0, r.stderr
    err = r.stderr.splitlines()
    assert ("说明：合并单元格跨过几个单位的行：其中的得分记给跨过的每个单位（如不是每个单位都得此分，"
            "请取消合并，分别填写） [得分!B3 = 得分!B2 88]") in err
    assert "修改 scores.nanyuanmen.inspection：（无） → 88" in err


def _task_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["2024年重点任务台账", None, None, None, None, "填报人：王某 电话123"])
    ws.append(["序号", "任务名称", "牵头单位", "责任单位", "包抓领导", "完成时限", "完成标准", "进展情况", "进度"])
    ws.append([1, "任务一", "区发改委", "南院门街道", "张某某", "2024-06-30", "标准一", "进展一", 50])
    ws["B3"].comment = Comment("任务一已报区政府同意延期", "督查室")
    wb.create_sheet("说明")["A1"] = "说明文字：任务二已调整"
    wb.create_sheet("空表")  # nothing in it: nothing lost
    wb.save(path)
    return path


def test_import_tasks_names_text_above_the_header_comments_and_sheets_without_a_header(
        cli: Any, beilin: Path, tmp_path: Path) -> None:
    """The audit's workbook: F1 beside the title, the comment on B3 and the 说明 sheet
    were dropped without a word (unheaded columns, hidden sheets and other task sheets
    were named).  Each is named now; the title A1 and the empty sheet are not."""
    book = _task_book(tmp_path / "t.xlsx")
    out = tmp_path / "x.yaml"
    r = cli("import", "tasks", book, beilin, "--category", "key", "-o", out,
            "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    err = r.stderr.splitlines()
    assert "说明：这些工作表没有任务表头，其中的内容未导入 [说明]" in err
    assert "说明：表头上方的内容不导入：要导入的内容请写进任务所在的行 [台账!F1 填报人：王某 电话123]" in err
    assert "说明：批注不导入：要导入的内容请写进任务所在的行 [台账!B3 任务一已报区政府同意延期]" in err
    assert not any("2024年重点任务台账" in line or "空表" in line for line in err)
    assert out.exists()


def test_a_title_merged_across_the_table_is_not_named(cli: Any, beilin: Path,
                                                      tmp_path: Path) -> None:
    """A title merged across the row above the header is the sheet's title: no note."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["附件1"])
    ws.append(["2024年重点任务台账"])
    ws.merge_cells("A2:F2")
    ws.append(["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "完成标准"])
    ws.append([1, "任务一", "区发改委", "张某某", "2024-06-30", "标准一"])
    book = tmp_path / "t.xlsx"
    wb.save(book)
    r = cli("import", "tasks", book, beilin, "--category", "key", "-o", tmp_path / "x.yaml",
            "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert not any("表头上方" in line for line in r.stderr.splitlines()), r.stderr


def test_import_updates_names_a_merged_note_and_problems_cell(cli: Any, monthly: Path,
                                                              tmp_path: Path) -> None:
    """本月进展 and 存在问题 merged into one cell: its text went into both the update's
    note and its problems without a word.  It still does (each header shows it), and
    the row is named in a note."""
    out = tmp_path / "out"
    _export(cli, monthly, out)
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    r, note, problems = _row(ws, "BRK1-01"), _col(ws, "本月进展"), _col(ws, "存在问题")
    assert problems == note + 1
    ws.cell(r, note).value = "开工8个，资金缺口待协调"
    ws.cell(r, problems).value = None
    ws.merge_cells(start_row=r, start_column=note, end_row=r, end_column=problems)
    wb.save(book)
    res = cli("import", "updates", book, "--ledger", monthly, "--as-of", AS_OF, "--dry-run")
    assert res.exit_code == 0, res.stderr
    cell = f"{openpyxl.utils.get_column_letter(note)}{r}"
    assert (f"说明：本月进展和存在问题是同一个合并单元格：其中的文字同时记为本月进展和存在问题；"
            f"如不是这样，请取消合并，分别填写 [区发改委.xlsx 本月填报!{cell}]"
            in res.stderr.splitlines()), res.stderr


def _two_row_tasks(path: Path, note: str | None = None) -> Path:
    """The office layout (audit "monthly", repro 1): a title merged across, 完成时限
    merged over 序时节点 / 最终时限, every other header merged down over both rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务表"
    ws["A1"] = "2024年重点任务抓落实台账"
    ws.merge_cells("A1:F1")
    for c, v in enumerate(["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", None, "进度"], 1):
        ws.cell(2, c, v)
    ws["E3"], ws["F3"] = "序时节点", "最终时限"
    for col in "ABCDG":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("E2:F2")
    if note is not None:  # beside the header, over no header cell: words, not the header
        ws["H2"] = note
    for c, v in enumerate([1, "推进A", "区发改委", "某某", "6月底", "年底", "40"], 1):
        ws.cell(4, c, v)
    wb.save(path)
    return path


def test_the_upper_row_of_a_two_row_task_header_is_not_named(
        cli: Any, beilin: Path, tmp_path: Path) -> None:
    """完成时限 merged over 序时节点 / 最终时限 was named "表头上方的内容不导入 [任务表!E2
    完成时限, 任务表!F2 完成时限]": the sub-header row names more fields (the merged-down
    headers repeat into it), so it was taken as the header and its upper row as text
    above it.  It is the header's: no note; the task is imported with both dates."""
    book = _two_row_tasks(tmp_path / "t.xlsx")
    out = tmp_path / "x.yaml"
    r = cli("import", "tasks", book, beilin, "--category", "key", "-o", out, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert not any("表头上方" in line for line in r.stderr.splitlines()), r.stderr
    assert "title: 推进A" in out.read_text(encoding="utf-8")


def test_words_beside_a_two_row_header_are_still_named(
        cli: Any, beilin: Path, tmp_path: Path) -> None:
    """A note in the upper header row over no header cell is no header: named."""
    book = _two_row_tasks(tmp_path / "t.xlsx", note="填报人：王某")
    r = cli("import", "tasks", book, beilin, "--category", "key", "-o", tmp_path / "x.yaml",
            "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert ("说明：表头上方的内容不导入：要导入的内容请写进任务所在的行 [任务表!H2 填报人：王某]"
            in r.stderr.splitlines()), r.stderr


def test_a_group_header_merged_over_score_columns_is_not_named(
        cli: Any, beilin: Path, tmp_path: Path) -> None:
    """评分项目 merged over the components (序号, 单位 merged down) was named
    "表头上方的内容不导入 [得分!C2 评分项目, 得分!D2 评分项目]"; it is the header's."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws["A1"] = "2024年二季度评分表"
    ws.merge_cells("A1:D1")
    ws["A2"], ws["B2"], ws["C2"] = "序号", "单位", "评分项目"
    ws["C3"], ws["D3"] = "督导检查评议", "政务服务评价"
    for rng in ("A2:A3", "B2:B3", "C2:D2"):
        ws.merge_cells(rng)
    ws.append([1, "区发改委", 93, 88])
    book = tmp_path / "s.xlsx"
    wb.save(book)
    r = cli("import", "scores", book, beilin, "--period", "2024-Q2", "--dry-run", "--force")
    assert r.exit_code == 0, r.stderr
    assert not any("表头上方" in line for line in r.stderr.splitlines()), r.stderr
