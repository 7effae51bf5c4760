"""`import updates` of `luoshi export`'s own workbook: 任务明细's 存在问题 (the last
report's problems, beside 最新进展) and 节点N备注 (each milestone's note).

Both columns were named "未导入的列（不是填报表的列）" on every import of an unedited
export, and a 存在问题 the clerk wrote was dropped with that line alone.  存在问题 is
now read as the problems of the report 最新进展 names (as `import tasks` reads it):
unchanged it is nothing, edited it is written into that month's update, beside
another month's 最新进展 it is refused at its cell, and emptied it removes nothing
and says so (as an emptied cell of a unit's sheet does).  A milestone's note is the
task's, not a month's report: read past when it is the ledger's, refused at its cell
when edited (`import tasks` imports it)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN

AS_OF = "2024-06-30"
BL1 = "tasks/bl-1.yaml"
MAY = '    - {month: "2024-05", progress: 40, note: 新增32家}\n'
MAY_PROBLEMS = '    - {month: "2024-05", progress: 40, note: 新增32家, problems: 入库审核慢}\n'
MS2 = "    - {due: 2024-06-30, standard: 新增40家}\n"
MS2_NOTE = "    - {due: 2024-06-30, standard: 新增40家, note: 含补报}\n"
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """Beilin with BL1-01's May report holding 存在问题 and its second milestone a
    note; bl-1.yaml saved by Notepad (BOM, CRLF) with a comment on the edited line's
    neighbour, so that what an edit keeps is seen byte for byte."""
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    p = root / BL1
    text = p.read_text(encoding="utf-8")
    assert MAY in text and MS2 in text
    text = text.replace(MAY, MAY_PROBLEMS + "    # 六月待报\n", 1).replace(MS2, MS2_NOTE, 1)
    p.write_bytes(BOM + text.replace("\n", "\r\n").encode("utf-8"))
    return root


def _export(cli: Any, ledger: Path, tmp_path: Path, lang: str = "zh") -> Path:
    book = tmp_path / "full.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", AS_OF, "--lang", lang)
    assert r.exit_code == 0, r.stderr
    return book


def _set(book: Path, task: str, cells: dict[str, Any], sheet: str = "任务明细") -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    heads = {ws.cell(2, c).value: c for c in range(1, ws.max_column + 1)}
    r = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == task)
    for head, value in cells.items():
        ws.cell(r, heads[head]).value = value
    wb.save(book)


def _import(cli: Any, ledger: Path, book: Path, month: str, lang: str = "zh") -> Any:
    return cli("import", "updates", book, "--ledger", ledger, "--month", month,
               "--as-of", AS_OF, "--lang", lang)


def _crlf(text: str) -> bytes:
    return BOM + text.replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize(("lang", "sheet"), [("zh", "任务台账全表"), ("en", "the full Tasks sheet")])
def test_an_unedited_export_imports_without_a_word(cli: Any, ledger: Path, tmp_path: Path,
                                                   lang: str, sheet: str) -> None:
    """The export has 存在问题 and 节点1备注 … 节点4备注 on 任务明细 (the ledger has
    both); imported back untouched, nothing is written and no column is named (it
    printed "未导入的列（不是填报表的列）：full.xlsx 任务明细!J2 节点1备注; … 任务明细!X2 存在问题")."""
    book = _export(cli, ledger, tmp_path, lang)
    heads = [c.value for c in openpyxl.load_workbook(book)[
        "任务明细" if lang == "zh" else "Task details"][2]]
    assert ("存在问题" if lang == "zh" else "Problems") in heads
    assert ("节点2备注" if lang == "zh" else "Milestone 2 note") in heads
    before = (ledger / BL1).read_bytes()
    r = _import(cli, ledger, book, "2024-05", lang)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == (
        ["  full.xlsx（2024-05）：任务台账全表，更新任务 0 个", "单位 0 个，更新任务 0 个，未变 35 个，拒绝单元格 0 个"]
        if lang == "zh" else
        [f"  full.xlsx (2024-05): {sheet}; updated 0", "units 0, tasks updated 0, unchanged 35, "
         "refused cells 0"])
    assert (ledger / BL1).read_bytes() == before


def test_an_edited_problems_cell_goes_into_the_month_its_update_names(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """The round trip: 存在问题 of BL1-01 rewritten beside its 最新进展 “2024-05：新增32家”
    goes into the May update's `problems`, the file's BOM, CRLF and comment kept."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"存在问题": "入库审核慢，已协调统计局"})
    text = (ledger / BL1).read_bytes().removeprefix(BOM).decode("utf-8").replace("\r\n", "\n")
    r = _import(cli, ledger, book, "2024-05")
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [
        "  full.xlsx（2024-05）：任务台账全表，更新任务 1 个", "单位 1 个，更新任务 1 个，未变 34 个，拒绝单元格 0 个"]
    assert (ledger / BL1).read_bytes() == _crlf(text.replace(
        MAY_PROBLEMS, '    - {month: "2024-05", progress: 40, note: 新增32家, problems: '
        "入库审核慢，已协调统计局}\n", 1))


def test_a_new_months_problems_are_written_quoted(cli: Any, ledger: Path,
                                                   tmp_path: Path) -> None:
    """最新进展 rewritten as June's and 存在问题 beside it: June's update gets both;
    text that reads as YAML is quoted, the task's structure kept.  A row with no
    最新进展 and a 存在问题 typed into it reports the problems for --month."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"最新进展": "2024-06：新增40家", "存在问题": "a: b} # c\n- [x]"})
    _set(book, "BL1-02", {"最新进展": None, "存在问题": "- [x] 待定"})
    text = (ledger / BL1).read_bytes().removeprefix(BOM).decode("utf-8").replace("\r\n", "\n")
    r = _import(cli, ledger, book, "2024-06")
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    # BL1-02's 最新进展 “2024-05：1家完成注册” emptied: said, not removed
    assert r.stderr.splitlines() == [
        "full.xlsx 任务明细!W4: 未导入：清空“最新进展”不会删除任务 BL1-02 2024-05 月报的“1家完成注册”；"
        "如需删除，请在台账中修改",
        "  full.xlsx（2024-06）：任务台账全表，更新任务 2 个", "单位 2 个，更新任务 2 个，未变 33 个，拒绝单元格 1 个"]
    assert (ledger / BL1).read_bytes() == _crlf(text.replace(
        "    # 六月待报\n",
        '    - {month: "2024-06", note: 新增40家, problems: "a: b} # c\\n- [x]"}\n'
        "    # 六月待报\n", 1).replace(
        '    - {month: "2024-05", progress: 30, note: 1家完成注册}\n',
        '    - {month: "2024-05", progress: 30, note: 1家完成注册}\n'
        "    - {month: \"2024-06\", problems: '- [x] 待定'}\n", 1))
    r = cli("validate", ledger, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problems_beside_another_months_update_are_refused(cli: Any, ledger: Path,
                                                           tmp_path: Path, lang: str) -> None:
    """存在问题 rewritten beside 最新进展 “2024-05：…”, imported as June: the cell is
    May's problems (as `import tasks` reads it), and May's record is not rewritten by
    an import of June -- refused at its cell, not dropped."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"存在问题": "六月：审核仍慢"})
    before = (ledger / BL1).read_bytes()
    r = _import(cli, ledger, book, "2024-06", lang)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines()[0] == (
        "full.xlsx 任务明细!X3: 未导入“六月：审核仍慢”：存在问题属于最新进展写明的 2024-05 的月报，"
        "不是本次导入的 2024-06；本月的问题请与“2024-06：…”开头的最新进展一同填写，其他月份的记录请在台账中修改"
        if lang == "zh" else
        "full.xlsx 任务明细!X3: not imported '六月：审核仍慢': Problems belongs to the report "
        "Latest update names, 2024-05, not 2024-06, the month imported; write this month's "
        "problems beside a Latest update starting '2024-06: ', and edit other months' records "
        "in the ledger")
    assert r.stderr.splitlines()[-1] == (
        "单位 0 个，更新任务 0 个，未变 35 个，拒绝单元格 1 个" if lang == "zh" else
        "units 0, tasks updated 0, unchanged 35, refused cells 1")
    assert (ledger / BL1).read_bytes() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_emptied_problems_cell_removes_nothing_and_says_so(
        cli: Any, ledger: Path, tmp_path: Path, lang: str) -> None:
    """The rule of an emptied cell on a unit's sheet: the import writes no deletion,
    and names the cell (`import tasks` or the ledger removes it)."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"存在问题": None})
    before = (ledger / BL1).read_bytes()
    r = _import(cli, ledger, book, "2024-05", lang)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines()[0] == (
        "full.xlsx 任务明细!X3: 未导入：清空“存在问题”不会删除任务 BL1-01 2024-05 月报的“入库审核慢”；"
        "如需删除，请在台账中修改" if lang == "zh" else
        "full.xlsx 任务明细!X3: not imported: emptying Problems does not remove task BL1-01's "
        "2024-05 report ('入库审核慢'); to remove it, edit the ledger")
    assert (ledger / BL1).read_bytes() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_edited_milestone_note_is_named(cli: Any, ledger: Path, tmp_path: Path,
                                           lang: str) -> None:
    """节点2备注 rewritten (and 节点3备注 typed): a milestone's note is not a monthly
    report; each is refused at its cell, pointing at `import tasks`; the rest of the
    row imports."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"节点2备注": "含补报（已核）", "节点3备注": "新备注"})
    _set(book, "BL1-01", {"进度": 45}, "任务台账")
    r = _import(cli, ledger, book, "2024-06", lang)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    lines = r.stderr.splitlines()
    if lang == "zh":
        assert lines == [
            "full.xlsx 任务明细!N3: 未导入“含补报（已核）”：import updates 只导入月度填报，不导入节点备注；"
            "请用 import tasks 导入，或在台账中修改",
            "full.xlsx 任务明细!R3: 未导入“新备注”：import updates 只导入月度填报，不导入节点备注；"
            "请用 import tasks 导入，或在台账中修改",
            "  full.xlsx（2024-06）：任务台账全表，更新任务 1 个", "单位 1 个，更新任务 1 个，未变 34 个，拒绝单元格 2 个"]
    else:
        assert lines[0] == (
            "full.xlsx 任务明细!N3: not imported '含补报（已核）': import updates imports the "
            "monthly reports, not milestone notes; use import tasks, or edit the ledger")
    text = (ledger / BL1).read_bytes().removeprefix(BOM).decode("utf-8")
    assert MS2_NOTE.replace("\n", "\r\n") in text
    assert "  progress: 45\r\n" in text


def test_an_emptied_milestone_note_says_what_stays(cli: Any, ledger: Path,
                                                   tmp_path: Path) -> None:
    """节点2备注 emptied: refused at its cell — said with the note that stays, not as
    `未导入“”` (review) — and the ledger keeps it."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"节点2备注": None})
    r = _import(cli, ledger, book, "2024-06", "zh")
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines()[0] == (
        "full.xlsx 任务明细!N3: 未导入：清空节点2备注不会删除“含补报”：import updates 只导入月度填报，"
        "不导入节点备注；请用 import tasks 导入，或在台账中修改")
    text = (ledger / BL1).read_bytes().removeprefix(BOM).decode("utf-8")
    assert MS2_NOTE.replace("\n", "\r\n") in text


def test_a_new_months_report_without_problems_is_no_emptying(cli: Any, ledger: Path,
                                                             tmp_path: Path) -> None:
    """最新进展 rewritten as June's with 存在问题 emptied: June's report has no problems;
    May's are not the cell's any more, and nothing is said of them."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-01", {"最新进展": "2024-06：新增40家", "存在问题": None})
    text = (ledger / BL1).read_bytes().removeprefix(BOM).decode("utf-8").replace("\r\n", "\n")
    r = _import(cli, ledger, book, "2024-06")
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [
        "  full.xlsx（2024-06）：任务台账全表，更新任务 1 个", "单位 1 个，更新任务 1 个，未变 34 个，拒绝单元格 0 个"]
    assert (ledger / BL1).read_bytes() == _crlf(text.replace(
        "    # 六月待报\n", '    - {month: "2024-06", note: 新增40家}\n    # 六月待报\n', 1))


def test_an_unedited_export_made_before_a_later_report_is_quiet(cli: Any, ledger: Path,
                                                                tmp_path: Path) -> None:
    """The export shows May's report and its 存在问题; June's report (other problems)
    is imported after it.  The untouched sheet imported as June: its 存在问题 is May's
    as the ledger holds them, no report and nothing said (as its 最新进展 is)."""
    book = _export(cli, ledger, tmp_path)
    p = ledger / BL1
    p.write_bytes(p.read_bytes().replace(
        "    # 六月待报\r\n".encode(),
        '    - {month: "2024-06", progress: 45, note: 新增40家, problems: 审核仍慢}\r\n'.encode()))
    before = p.read_bytes()
    r = _import(cli, ledger, book, "2024-06")
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert r.stderr.splitlines() == [
        "  full.xlsx（2024-06）：任务台账全表，更新任务 0 个", "单位 0 个，更新任务 0 个，未变 35 个，拒绝单元格 0 个"]
    assert p.read_bytes() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_milestone_the_task_does_not_have_is_refused_at_each_cell(
        cli: Any, ledger: Path, tmp_path: Path, lang: str) -> None:
    """BL1-02 has two milestones; its row's 节点3 and 节点4 cells are the export's empty
    ones.  Typed into (a new milestone's due date, standard and done date, a note for
    the fourth), each cell is refused where it stands — the row was read past without
    a word — and the row's progress still imports."""
    book = _export(cli, ledger, tmp_path)
    _set(book, "BL1-02", {"节点3时限": "2025-03-31", "节点3标准": "新增99家",
                          "节点3完成": "2024-06-20", "节点4备注": "追加说明"})
    _set(book, "BL1-02", {"进度": 35}, "任务台账")
    before = (ledger / BL1).read_bytes()
    r = _import(cli, ledger, book, "2024-06", lang)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    lines = r.stderr.splitlines()
    if lang == "zh":
        tail = "：任务 BL1-02 只有 2 个节点，没有节点{}；新增节点请用 import tasks 导入，或在台账中修改"
        assert lines == [
            "full.xlsx 任务明细!O4: 未导入“2025-03-31”" + tail.format(3),
            "full.xlsx 任务明细!P4: 未导入“新增99家”" + tail.format(3),
            "full.xlsx 任务明细!Q4: 未导入“2024-06-20”" + tail.format(3),
            "full.xlsx 任务明细!V4: 未导入“追加说明”" + tail.format(4),
            "  full.xlsx（2024-06）：任务台账全表，更新任务 1 个", "单位 1 个，更新任务 1 个，未变 34 个，拒绝单元格 4 个"]
    else:
        assert lines[0] == (
            "full.xlsx 任务明细!O4: not imported '2025-03-31': task BL1-02 has 2 milestones, "
            "no milestone 3; add milestones with import tasks, or edit the ledger")
        assert len(lines) == 6
    after = (ledger / BL1).read_bytes().decode("utf-8").splitlines()
    gone = [x for x in before.decode("utf-8").splitlines() if x not in after]
    assert (gone, [x for x in after if x not in before.decode("utf-8").splitlines()]) == (
        ["  progress: 30"], ["  progress: 35", '    - {month: "2024-06", progress: 35}'])
