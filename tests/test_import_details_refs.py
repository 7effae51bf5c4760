"""`luoshi export`'s workbook read back when a 任务台账 row joins no 任务明细 row.

The importers lay 任务明细's columns after 任务台账's, each value on the row of its
编号 (`sheet.join_details`), and name a joined cell by its own sheet and cell.  A task
row that no details row joins — its details row's 编号 mistyped, the details row
deleted, or the second row of an 编号 copied on 任务台账 — had no such cell, and its
messages named 任务台账's cell of the joined column (`任务台账!K5` for 类别, `任务台账!N5`
for 完成标准): a column beyond the printed sheet, holding nothing.  `import updates` read
each joined column there as emptied and refused twelve cells of nothing.  Now a message
about such a row names the row (`任务台账!5:5`), the row itself is refused at its 编号 —
what the office wrote on the details sheet is read by nobody otherwise — and nothing of
the joined columns is taken as emptied."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import EXAMPLE

AS_OF = "2021-06-30"

#: WN-003's rows: row 5 on both sheets of the export
WN3_NO_DETAILS = ("任务台账!A5: “任务台账”中的编号 WN-003 在“任务明细”表中没有对应行：此任务的类别、"
                  "完成标准、节点等各列无从读取；请在任务明细中补上编号为 WN-003 的行，或改正写错的编号")
WN999 = ("任务明细!A5: “任务明细”中的编号 WN-999 在“任务台账”表中没有对应行，此行不会被读取："
         "请在任务台账中补上这一行，或删去此行")
NO_CATEGORY = "不知道这个任务属于哪个类别：请加一列“类别”，或用 --category 指定"
START_NOTE = "说明：开始日期取默认值 2021-01-01（台账年度的 1 月 1 日；可用 --start 指定）"
STANDARD_NOTE = "说明：完成标准为空：用任务名称代替"
STATUS_NOTE = ("说明：状态按进度推定：0 为未启动（planned），100 为已完成（done），其余为推进中"
               "（in_progress）")


def _export(cli: Any, tmp_path: Path, lang: str = "zh") -> Path:
    book = tmp_path / "full.xlsx"
    r = cli("export", EXAMPLE, "-o", book, "--as-of", AS_OF, "--lang", lang)
    assert r.exit_code == 0, r.stderr
    return book


def _edit(book: Path, change: Callable[[Any], None]) -> None:
    wb = openpyxl.load_workbook(book)
    change(wb)
    wb.save(book)


def _empty_ledger(tmp_path: Path) -> Path:
    """The example without its tasks: `import tasks` of the whole workbook into it."""
    root = tmp_path / "empty"
    shutil.copytree(EXAMPLE, root)
    for f in (root / "tasks").glob("*.yaml"):
        f.unlink()
    return root


def _ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    return root


def _tasks(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "tasks").glob("*"))}


def _mistyped(wb: Any) -> None:
    """WN-003's details row given another 编号, and its 类别 edited: the value the
    clerk typed is at 任务明细!C5."""
    wb["任务明细"]["A5"] = "WN-999"
    wb["任务明细"]["C5"] = "民生工程"


def test_import_tasks_names_the_row_whose_details_row_is_missing(
        cli: Any, tmp_path: Path) -> None:
    """The 类别, 开始日期 and 完成标准 of WN-003's row were named at 任务台账!K5, M5 and
    N5 — cells of nothing (任务台账 ends at J): the 类别 typed is at 任务明细!C5, on a
    row that joins no task.  Now: the details row is refused at its 编号, the task row
    at its own, and what is missing is named at the task's row."""
    book = _export(cli, tmp_path)
    _edit(book, _mistyped)
    root = _empty_ledger(tmp_path)
    r = cli("import", "tasks", book, root, "-o", root / "tasks" / "all.yaml", "--as-of", AS_OF)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        WN999,
        WN3_NO_DETAILS,
        f"{START_NOTE} [任务台账!5:5]",
        f"{STANDARD_NOTE} [任务台账!5:5]",
        "luoshi: 2 个问题，未写入任何文件",
    ]
    assert not (root / "tasks" / "all.yaml").exists()


def test_import_updates_refuses_the_row_and_names_no_empty_cell(
        cli: Any, tmp_path: Path) -> None:
    """`import updates` read WN-003's joined columns as emptied and refused each at a
    cell of nothing (`任务台账!K5: 未导入：清空类别不会删除“重点项目建设”…`, twelve of
    them); the 类别 typed at 任务明细!C5 was named only through the row's 编号.  Now
    the two rows are refused at their 编号 cells and nothing is written."""
    book = _export(cli, tmp_path)
    _edit(book, _mistyped)
    root = _ledger(tmp_path)
    before = _tasks(root)
    r = cli("import", "updates", book, "--ledger", root, "--month", "2021-06",
            "--as-of", AS_OF)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"full.xlsx {WN999}",
        f"full.xlsx {WN3_NO_DETAILS}",
        "  full.xlsx（2021-06）：任务台账全表，拟更新任务 0 个",
        "单位 0 个，拟更新任务 0 个，未变 19 个，拒绝单元格 0 个",
        "luoshi: 2 个问题，未写入任何文件",
    ]
    assert _tasks(root) == before


def test_in_english_the_messages_name_the_row_too(cli: Any, tmp_path: Path) -> None:
    """The English workbook (Tasks, Task details) and `--lang en`: the same places."""
    book = _export(cli, tmp_path, "en")

    def mistyped(wb: Any) -> None:
        wb["Task details"]["A5"] = "WN-999"
        wb["Task details"]["C5"] = "Livelihood"

    _edit(book, mistyped)
    root = _empty_ledger(tmp_path)
    r = cli("--lang", "en", "import", "tasks", book, root, "-o", root / "tasks" / "all.yaml",
            "--as-of", AS_OF)
    wn999 = ("'Task details'!A5: ID WN-999 on the task details sheet has no row on the task "
             "sheet, so this row would not be read: add the task's row to the task sheet, or "
             "delete this row")
    wn3 = ("Tasks!A5: ID WN-003 on the task sheet has no row on the task details sheet, so "
           "the task's category, standard, milestones and the other details cannot be read: "
           "add a row with ID WN-003 to the task details sheet, or correct a mistyped ID")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        wn999,
        wn3,
        "note: start date defaults to 2021-01-01 (1 January of the ledger year; set it with "
        "--start) [Tasks!5:5]",
        "note: no standard: the title is used [Tasks!5:5]",
        "luoshi: 2 problems; nothing was written",
    ]
    assert not (root / "tasks" / "all.yaml").exists()
    ledger = _ledger(tmp_path)
    before = _tasks(ledger)
    up = cli("--lang", "en", "import", "updates", book, "--ledger", ledger, "--month", "2021-06",
             "--as-of", AS_OF)
    assert up.exit_code == 1
    assert up.stderr.splitlines() == [
        f"full.xlsx {wn999}",
        f"full.xlsx {wn3}",
        "  full.xlsx (2021-06): the full Tasks sheet; to update 0",
        "units 0, tasks to update 0, unchanged 19, refused cells 0",
        "luoshi: 2 problems; nothing was written",
    ]
    assert _tasks(ledger) == before


def test_a_deleted_details_row_is_named_at_its_task_row(cli: Any, tmp_path: Path) -> None:
    """任务明细's row of WN-003 deleted (the rows below move up): nothing there is typed,
    and nothing was said but the twelve refusals at cells of nothing in `import
    updates` and the notes at 任务台账!M5 and N5 in `import tasks` — the task would be
    imported without its category, standard and milestones."""
    book = _export(cli, tmp_path)
    _edit(book, lambda wb: wb["任务明细"].delete_rows(5))
    root = _empty_ledger(tmp_path)
    r = cli("import", "tasks", book, root, "-o", root / "tasks" / "all.yaml", "--as-of", AS_OF,
            "--category", "重点项目建设")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        WN3_NO_DETAILS,
        f"{START_NOTE} [任务台账!5:5]",
        f"{STANDARD_NOTE} [任务台账!5:5]",
        "luoshi: 1 个问题，未写入任何文件",
    ]
    assert not (root / "tasks" / "all.yaml").exists()
    ledger = _ledger(tmp_path)
    before = _tasks(ledger)
    up = cli("import", "updates", book, "--ledger", ledger, "--month", "2021-06",
             "--as-of", AS_OF)
    assert up.exit_code == 1
    assert up.stderr.splitlines() == [
        f"full.xlsx {WN3_NO_DETAILS}",
        "  full.xlsx（2021-06）：任务台账全表，拟更新任务 0 个",
        "单位 0 个，拟更新任务 0 个，未变 19 个，拒绝单元格 0 个",
        "luoshi: 1 个问题，未写入任何文件",
    ]
    assert _tasks(ledger) == before


def test_a_task_row_copied_on_the_task_sheet(cli: Any, tmp_path: Path) -> None:
    """WN-003's 任务台账 row copied below the table, its 进度 changed (任务明细 has one row
    of WN-003, which joins the first): `import tasks` names the repeated 编号, and what
    the copy lacks at the copy's row (it was 任务台账!M23, N23).  `import updates` took
    the copy's joined columns as emptied and refused them at 任务台账!K23 … Y23, and its
    进度 without the mark (`luoshi:sent`) that tells a stale row: the copy is now a
    problem at its 编号, as a doubled 任务明细 row is, and nothing is written."""
    book = _export(cli, tmp_path)

    def copied(wb: Any) -> None:
        ws = wb["任务台账"]
        for c in range(1, ws.max_column + 1):
            ws.cell(23, c).value = ws.cell(5, c).value
        ws["H23"] = 35

    _edit(book, copied)
    root = _empty_ledger(tmp_path)
    r = cli("import", "tasks", book, root, "-o", root / "tasks" / "all.yaml", "--as-of", AS_OF,
            "--category", "重点项目建设")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "任务台账!A23: 编号 WN-003 重复（第一次在 任务台账!A5）",
        f"{START_NOTE} [任务台账!23:23]",
        f"{STANDARD_NOTE} [任务台账!23:23]",
        "luoshi: 1 个问题，未写入任何文件",
    ]
    ledger = _ledger(tmp_path)
    before = _tasks(ledger)
    for lang, lines in (("zh", [
            "full.xlsx 任务台账!A23: 编号 WN-003 在任务台账中重复（第一次在 任务台账!A5）：任务明细只对应"
            "第一行，本行不能导入；请合并为一行，删去另一行",
            "  full.xlsx（2021-07）：任务台账全表，拟更新任务 0 个",
            "单位 0 个，拟更新任务 0 个，未变 20 个，拒绝单元格 0 个",
            "luoshi: 1 个问题，未写入任何文件"]), ("en", [
            "full.xlsx 任务台账!A23: ID WN-003 is on the task sheet twice (first at 任务台账!A5): "
            "the task details sheet joins the first row only, so this row cannot be imported; "
            "merge them into one row and delete the other",
            "  full.xlsx (2021-07): the full 任务台账 sheet; to update 0",
            "units 0, tasks to update 0, unchanged 20, refused cells 0",
            "luoshi: 1 problem; nothing was written"])):
        up = cli("--lang", lang, "import", "updates", book, "--ledger", ledger,
                 "--month", "2021-07", "--as-of", "2021-07-31")
        assert up.exit_code == 1
        assert up.stderr.splitlines() == lines
    assert _tasks(ledger) == before


def test_a_total_row_or_a_heading_is_no_task_without_details(cli: Any, tmp_path: Path) -> None:
    """A 合计 row and a section heading typed below the task sheet have no 任务明细 row
    and are no task's: `import tasks` skips them as before (named in a note), and
    they are not refused as tasks whose details row is missing."""
    book = _export(cli, tmp_path)

    def added(wb: Any) -> None:
        ws = wb["任务台账"]
        ws["A23"], ws["H23"] = "合计", 55
        ws["A24"] = "一、补充任务"
        ws.merge_cells("A24:J24")

    _edit(book, added)
    root = _empty_ledger(tmp_path)
    r = cli("import", "tasks", book, root, "-o", root / "tasks" / "all.yaml", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "说明：跳过了合计行（不是任务）：A23 “合计”；H23 “55” [任务台账!23:23]",
        "说明：跳过了分组标题行（或表内的说明行） [任务台账!A24 一、补充任务]",
        f"已从工作表 任务台账 导入 20 个任务到 {root / 'tasks' / 'all.yaml'}",
    ]


def test_import_updates_reads_nothing_of_a_row_without_details(cli: Any, tmp_path: Path) -> None:
    """WN-003's details row deleted and its 进度 edited: besides the refusal at its 编号,
    the row was read without the joined mark of what the sheet showed (`luoshi:sent`)
    and refused as a row the month's reports had overtaken since the export — which
    nothing had.  Now nothing of the row is read: the refusal at its 编号 says why."""
    book = _export(cli, tmp_path)

    def edited(wb: Any) -> None:
        wb["任务明细"].delete_rows(5)
        wb["任务台账"]["H5"] = 90

    _edit(book, edited)
    ledger = _ledger(tmp_path)
    before = _tasks(ledger)
    up = cli("import", "updates", book, "--ledger", ledger, "--month", "2021-06",
             "--as-of", AS_OF, "--dry-run")
    assert up.exit_code == 1
    assert up.stderr.splitlines() == [
        f"full.xlsx {WN3_NO_DETAILS}",
        "  full.xlsx（2021-06）：任务台账全表，拟更新任务 0 个",
        "单位 0 个，拟更新任务 0 个，未变 19 个，拒绝单元格 0 个",
        "luoshi: 1 个问题，未写入任何文件",
    ]
    assert _tasks(ledger) == before


@pytest.mark.parametrize(("cells", "ident"), [
    ({"A23": "WN-021", "B23": "新增任务", "C23": "东区管委会", "H23": 10}, "WN-021"),
    ({"A23": "WN-0033", "B23": "东区道路及管网配套工程", "C23": "东区管委会", "H23": 10},
     "WN-0033"),
    ({"A23": "一", "B23": "重点项目建设"}, "一"),
    # as Excel shows the 编号 (not False, 2021-01-02 00:00:00), at most 30 characters
    ({"A23": False, "B23": "新增任务", "C23": "东区管委会", "H23": 10}, "FALSE"),
    ({"A23": datetime(2021, 1, 2), "B23": "新增任务", "C23": "东区管委会", "H23": 10},
     "2021-01-02"),
    ({"A23": "W" * 3000, "B23": "新增任务", "C23": "东区管委会", "H23": 10}, "W" * 30 + "…"),
])
def test_import_updates_asks_no_details_row_for_a_task_it_does_not_know(
        cli: Any, tmp_path: Path, cells: dict[str, Any], ident: str) -> None:
    """A row below the task sheet whose 编号 is no task of the ledger (a new task, a
    mistyped 编号, a heading): `import updates` adds no task, yet it asked for a
    任务明细 row of that 编号 besides saying the ledger has no such task."""
    book = _export(cli, tmp_path)

    def added(wb: Any) -> None:
        for ref, value in cells.items():
            wb["任务台账"][ref] = value

    _edit(book, added)
    ledger = _ledger(tmp_path)
    up = cli("import", "updates", book, "--ledger", ledger, "--month", "2021-06",
             "--as-of", AS_OF, "--dry-run")
    assert up.exit_code == 1
    assert up.stderr.splitlines() == [
        f"full.xlsx 任务台账!23:23: 台账中没有任务 {ident}",
        "  full.xlsx（2021-06）：任务台账全表，拟更新任务 0 个",
        "单位 0 个，拟更新任务 0 个，未变 20 个，拒绝单元格 0 个",
        "luoshi: 1 个问题，未写入任何文件",
    ]


def test_a_copied_row_is_named_by_its_repeated_id_without_category(
        cli: Any, tmp_path: Path) -> None:
    """WN-003's 任务台账 row copied to row 23, no --category: the one problem was
    `不知道这个任务属于哪个类别：请加一列“类别”…` at 23:23 — the sheet has that column
    (on 任务明细), and the repeated 编号 was named only once a category was given."""
    book = _export(cli, tmp_path)

    def copied(wb: Any) -> None:
        ws = wb["任务台账"]
        for c in range(1, 11):
            ws.cell(23, c).value = ws.cell(5, c).value

    _edit(book, copied)
    root = _empty_ledger(tmp_path)
    r = cli("import", "tasks", book, root, "-o", root / "tasks" / "all.yaml", "--as-of", AS_OF)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "任务台账!A23: 编号 WN-003 重复（第一次在 任务台账!A5）",
        f"{START_NOTE} [任务台账!23:23]",
        f"{STANDARD_NOTE} [任务台账!23:23]",
        "luoshi: 1 个问题，未写入任何文件",
    ]
    assert not (root / "tasks" / "all.yaml").exists()


def test_a_new_row_without_an_id_still_asks_for_its_category(cli: Any, tmp_path: Path) -> None:
    """A task added on 任务台账 with no 编号 (luoshi numbers it) and no 任务明细 row:
    nothing else says why it has no category, so that problem stands."""
    book = _export(cli, tmp_path)

    def added(wb: Any) -> None:
        ws = wb["任务台账"]
        ws["B23"], ws["C23"], ws["E23"] = "新增任务", "东区管委会", "刘某某"
        ws["F23"] = datetime(2021, 12, 31)

    _edit(book, added)
    root = _empty_ledger(tmp_path)
    r = cli("import", "tasks", book, root, "-o", root / "tasks" / "all.yaml", "--as-of", AS_OF)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"任务台账!23:23: {NO_CATEGORY}",
        f"{START_NOTE} [任务台账!23:23]",
        f"{STANDARD_NOTE} [任务台账!23:23]",
        f"{STATUS_NOTE} [任务台账!G23]",
        "说明：进度为空：已完成的任务记 100，其余记 0 [任务台账!H23]",
        "luoshi: 1 个问题，未写入任何文件",
    ]


@pytest.mark.parametrize(("ident", "shown"), [
    (False, "FALSE"),
    (datetime(2021, 1, 2), "2021-01-02"),
    ("WN-" + "9" * 3000, "WN-" + "9" * 27 + "…"),
])
def test_the_id_of_a_row_without_details_is_shown_as_the_cell_shows_it(
        cli: Any, tmp_path: Path, ident: Any, shown: str) -> None:
    """The refusal printed `str()` of the 编号: False, 2021-01-02 00:00:00, and a
    3,000-character 编号 twice in full."""
    book = _export(cli, tmp_path)

    def added(wb: Any) -> None:
        ws = wb["任务台账"]
        ws["A23"], ws["B23"], ws["C23"], ws["H23"] = ident, "新增任务", "东区管委会", 10

    _edit(book, added)
    root = _empty_ledger(tmp_path)
    r = cli("import", "tasks", book, root, "-o", root / "tasks" / "all.yaml", "--as-of", AS_OF,
            "--category", "重点项目建设")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "任务台账!E23: 包抓领导为空：每个任务需要 1–2 名领导",
        "任务台账!23:23: 没有任何序时节点时限",
        f"任务台账!A23: “任务台账”中的编号 {shown} 在“任务明细”表中没有对应行：此任务的类别、完成标准、"
        f"节点等各列无从读取；请在任务明细中补上编号为 {shown} 的行，或改正写错的编号",
        f"{START_NOTE} [任务台账!23:23]",
        f"{STANDARD_NOTE} [任务台账!23:23]",
        f"{STATUS_NOTE} [任务台账!G23]",
        "luoshi: 3 个问题，未写入任何文件",
    ]
