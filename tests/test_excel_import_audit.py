"""Audit F: what `luoshi import tasks|scores` and `score --explain` used to drop or
misread without a word — each case a real workbook, the exact message and cell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from test_excel_import import CONFIG, UNITS, load_tasks

CONTINUES = ("这一行与 {first} 属于同一个任务（相同序号或合并单元格），但此格的内容不同：一个任务占多行时，"
             "除时限/节点列外的单元格应与第一行相同或留空；若是另一个任务，请给它自己的序号")


@pytest.fixture
def ledger(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS})


def _sheet(path: Path, rows: list[list[Any]], title: str = "清单") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_different_task_repeating_a_seq_is_refused_at_its_cells(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "d.xlsx", [
        ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "进展情况"],
        [1, "推进A", "区发改委", "张某某", "6月底", None],
        [1, "推进B", "区财政局", "张某某", "6月底", "已完成10条"]])
    r = cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 1
    err = r.stderr.splitlines()
    assert f"清单!B3: {CONTINUES.format(first='清单!B2')}" in err
    assert f"清单!C3: {CONTINUES.format(first='清单!C2')}" in err
    assert f"清单!F3: {CONTINUES.format(first='清单!F2')}" in err
    assert ("清单!E3: 这一行的节点时限 2024-06-30 与同一任务的节点相同，但标准或完成日期不同："
            "请合并到一行，或改时限") in err
    assert "luoshi: 4 个问题，未写入任何文件" in err
    assert not (ledger / "tasks" / "imported.yaml").exists()


def test_a_continuation_row_under_merged_cells_keeps_no_value_silently(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "进展情况", "进度"],
        [1, "推进A", "区发改委", "张某某", "6月底", None, None],
        [None, None, None, None, "年底", "存在资金缺口", "45%"]]
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "清单"
    for row in rows:
        ws.append(row)
    for c in "ABCD":
        ws.merge_cells(f"{c}2:{c}3")
    wb.save(path)
    r = cli("import", "tasks", path, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 1
    err = r.stderr.splitlines()
    assert f"清单!F3: {CONTINUES.format(first='清单!F2')}" in err
    assert f"清单!G3: {CONTINUES.format(first='清单!G2')}" in err
    assert "luoshi: 2 个问题，未写入任何文件" in err
    # the same rows with the task's values repeated (or blank) still make one task
    ws["F2"], ws["G2"] = "存在资金缺口", "45%"
    wb.save(path)
    r = cli("import", "tasks", path, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    (task,) = load_tasks(ledger / "tasks" / "imported.yaml")
    assert [str(m["due"]) for m in task["milestones"]] == ["2024-06-30", "2024-12-31"]
    assert (task["progress"], task["note"]) == (45, "存在资金缺口")


def test_columns_not_imported_are_named(cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "c.xlsx", [
        ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "备注", "联系人", "空列"],
        [1, "推进A", "区发改委", "张某某", "6月底", "需协调用地", None, None],
        [2, "推进B", "区财政局", "张某某", "6月底", None, "王五 13800000000", None]])
    r = cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert ("说明：这些列未导入（luoshi 没有对应的字段），其中的内容不会写入台账；需要时可用 --map 指定字段 "
            "[清单!F1 备注, 清单!G1 联系人]") in r.stderr.splitlines()
    r = cli("--lang", "en", "import", "tasks", sheet, ledger, "--category", "econ",
            "--as-of", "2024-05-31", "-o", ledger / "tasks" / "b.yaml")
    assert ("note: these columns are not imported (luoshi has no field for them): what they "
            "hold is not written to the ledger; name a field for one with --map "
            "[清单!F1 备注, 清单!G1 联系人]") in r.stderr.splitlines()


def test_a_second_sheet_with_a_task_header_is_named(cli: Any, ledger: Path,
                                                    tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    for i, name in enumerate(("重点项目", "民生实事", "说明")):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        if name != "说明":
            ws.append(["序号", "任务名称", "牵头单位", "包抓领导", "完成时限"])
            ws.append([1, f"{name}A", "区发改委", "张某某", "6月底"])
        else:
            ws.append(["填表说明"])
    wb.save(tmp_path / "two.xlsx")
    r = cli("import", "tasks", tmp_path / "two.xlsx", ledger, "--category", "econ",
            "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert ("说明：这些工作表也有任务表头，但未导入（每次导入一个工作表：可用 --sheet 逐个导入到不同的 -o 文件） "
            "[民生实事]") in r.stderr.splitlines()
    assert [t["title"] for t in load_tasks(ledger / "tasks" / "imported.yaml")] == ["重点项目A"]


def test_error_values_and_booleans_in_text_columns_are_refused(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "e.xlsx", [
        ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "完成标准", "进展情况"],
        [1, "推进A", "区发改委", "张某某", "6月底", "#REF!", None],
        [2, "推进B", "区财政局", "张某某", "6月底", "完成", True]])
    r = cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 1
    err = r.stderr.splitlines()
    assert "清单!F2: “#REF!”是 Excel 的错误值，不是内容：请直接填写文字（不用公式）" in err
    assert "清单!G3: 单元格是逻辑值 TRUE，不是文字：请直接填写文字" in err
    assert not any("完成标准为空" in line for line in err)  # refused, not blank
    assert "luoshi: 2 个问题，未写入任何文件" in err
    assert not (ledger / "tasks" / "imported.yaml").exists()


HAND_KEPT = ("- id: KEEP-01\n  title: 手工任务\n  category: econ\n  lead: fgw\n"
             "  leaders: [zhang]\n  start: 2024-01-01\n  standard: 标准\n  milestones:\n"
             "    - {due: 2024-12-31, standard: 完成}\n  status: planned\n  progress: 0\n")


def test_force_does_not_delete_tasks_the_import_does_not_write(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    out = ledger / "tasks" / "mine.yaml"
    out.parent.mkdir()
    out.write_text(HAND_KEPT, encoding="utf-8")
    sheet = _sheet(tmp_path / "f.xlsx", [
        ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限"],
        [1, "推进A", "区发改委", "张某某", "6月底"]])
    r = cli("import", "tasks", sheet, ledger, "-o", out, "--force", "--category", "econ",
            "--as-of", "2024-05-31")
    assert r.exit_code == 1
    assert ("tasks/mine.yaml: 任务 KEEP-01 不在导入的表中：覆盖该文件会删除它（及其进展记录）。"
            "请用 -o 写到另一个文件，或先从该文件中删去这个任务") in r.stderr.splitlines()
    assert out.read_text(encoding="utf-8") == HAND_KEPT


def _scores(path: Path, rows: list[list[Any]], fmt: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["单位", "hotline", "service"])
    for row in rows:
        ws.append(row)
    for ref, f in (fmt or {}).items():
        ws[ref].number_format = f
    wb.save(path)
    return path


def test_a_percent_formatted_score_is_read_as_shown(cli: Any, example: Path,
                                                    tmp_path: Path) -> None:
    """Each cell is named with what it showed and what it was read as: the note gave
    the example "显示 95.5% 记为 95.5" whatever the cells held (sheetsin)."""
    (example / "records" / "2021-Q2.yaml").unlink()
    sheet = _scores(tmp_path / "p.xlsx", [["崇业路街道", 0.955, 0.9]],
                    {"B2": "0.0%", "C2": "0%"})
    r = cli("import", "scores", sheet, example, "--period", "2021-Q2")
    assert r.exit_code == 0, r.stderr
    out = example / "records" / "2021-Q2.yaml"
    assert "  chongyelu: {hotline: 95.5, service: 90}\n" in out.read_text(encoding="utf-8")
    assert ("说明：百分比格式的单元格按百分数读取（显示的百分数记为得分） "
            "[得分!B2 95.5% → 95.5, 得分!C2 90% → 90]" in r.stderr.splitlines())


def test_a_score_typed_as_a_percentage_is_read_on_the_0_100_scale(
        cli: Any, example: Path, tmp_path: Path) -> None:
    """"93%" typed as text was refused ("不是数字") while import updates reads its "30%"
    progress: a leaf score written so is 93, with a note naming the cell with what it
    held and was read as (the note said “93%”记为 93 whatever was typed).  Text that is
    no number with a % stays refused."""
    (example / "records" / "2021-Q2.yaml").unlink()
    sheet = _scores(tmp_path / "t.xlsx", [["崇业路街道", "93%", "８５．５％"],
                                          ["龙背街道", "九十%", 80]])
    r = cli("import", "scores", sheet, example, "--period", "2021-Q2")
    assert r.exit_code == 1
    # (with what to write, as the YAML checks say it)
    assert r.stderr.splitlines()[0] == "得分!B3: “九十%”不是数字：请去掉百分号，改用阿拉伯数字，写 90"
    sheet = _scores(tmp_path / "t.xlsx", [["崇业路街道", "93%", "８５．５％"]])
    r = cli("import", "scores", sheet, example, "--period", "2021-Q2")
    assert r.exit_code == 0, r.stderr
    out = example / "records" / "2021-Q2.yaml"
    assert "  chongyelu: {hotline: 93, service: 85.5}\n" in out.read_text(encoding="utf-8")
    assert ("说明：写成百分数的得分按 0–100 分读取 [得分!B2 93% → 93, 得分!C2 ８５．５％ → 85.5]"
            in r.stderr.splitlines())


BLANK = ("说明：得分单元格为空，未导入：新记录中该项缺失（luoshi validate 报 LS407），"
         "合并时保留记录中原有的值 [得分!C2]")


def test_a_blank_score_cell_is_named_in_a_new_record_and_in_a_merge(
        cli: Any, example: Path, tmp_path: Path) -> None:
    rec = example / "records" / "2021-Q2.yaml"
    sheet = _scores(tmp_path / "b.xlsx", [["崇业路街道", 88, None]])
    before = rec.read_text(encoding="utf-8")
    r = cli("import", "scores", sheet, example, "--period", "2021-Q2", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert BLANK in r.stderr.splitlines()
    assert rec.read_text(encoding="utf-8") == before
    rec.unlink()
    r = cli("import", "scores", sheet, example, "--period", "2021-Q2")
    assert r.exit_code == 0, r.stderr
    assert BLANK in r.stderr.splitlines()
    assert "  chongyelu: {hotline: 88}\n" in rec.read_text(encoding="utf-8")


def test_an_all_blank_row_is_not_counted_and_ls407_points_at_unit_cells(
        cli: Any, example: Path, tmp_path: Path) -> None:
    """LS407 names a unit with a row at its cell, and a unit with no row on the sheet
    by its name alone: it named the unit column's header (得分!A1 城改办) as if the
    unit were there (sheetsin)."""
    (example / "records" / "2021-Q2.yaml").unlink()
    sheet = _scores(tmp_path / "e.xlsx", [["崇业路街道", 88, 90], ["金城社区", None, None]])
    r = cli("import", "scores", sheet, example, "--period", "2021-Q2")
    assert r.exit_code == 0, r.stderr
    err = r.stderr.splitlines()
    assert "说明：这些单位的行没有任何得分，未导入 [得分!A3]" in err
    (ls407,) = [line for line in err if "LS407" in line]
    refs = ls407.split(" [", 1)[1].rstrip("]").split(", ")
    assert "得分!A3" in refs
    assert "得分!1:1" not in refs
    assert {ref for ref in refs if "!" in ref} <= {"得分!A2", "得分!A3"}
    absent = [ref for ref in refs if "!" not in ref]
    assert absent == ["城改办", "党群工作部", "东区管委会", "党工委管委会办公室", "规划建设局",
                      "经济发展局（另有 5 处）"]
    assert err[-1] == f"已从工作表 得分 导入 1 个单位的得分到 {example / 'records' / '2021-Q2.yaml'}"
