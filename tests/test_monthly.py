"""The office's monthly cycle (issue 14): a workbook per unit out, the units' cells back
in, written into the task files in place — history, flags, locks and adjustments kept."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import BEILIN, EXAMPLE
from luoshi_cli.load.assemble import open_ledger

AS_OF = "2024-06-30"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    return root


def _export(cli: Any, ledger: Path, out: Path) -> None:
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-06")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == f"已写入 31 个单位 2024-06 的填报表到 {out}\n"


def test_per_unit_month_outside_the_ledger_year_is_refused(cli: Any, ledger: Path,
                                                            tmp_path: Path) -> None:
    """`--per-unit --month 2023-05` on the 2024 ledger wrote a workbook per unit for a
    month whose filled sheets `import updates` then refuses: refused first, as bulletin
    refuses it (exit 2), nothing written."""
    out = tmp_path / "out"
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2023-05")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == "luoshi: 2023-05 不在台账年度 2024 内（台账只记一年）：请指定 2024 年的期间\n"
    assert not out.exists()
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", "2025-01-10")
    assert r.exit_code == 0, r.stderr  # a January run over last year's ledger: as it was


def test_per_unit_as_of_after_the_ledger_year_takes_its_last_month(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """`--per-unit --as-of 2025-01-15` (no --month) on the 2024 ledger wrote workbooks
    for 2025-01 that `import updates` refused (LS208): the January office collects
    December's report, and says so; an as-of before the year is refused as --month is."""
    out = tmp_path / "out"
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", "2025-01-15")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == (f"已写入 31 个单位 2024-12 的填报表到 {out}"
                        "（截至日期 2025-01-15 已过台账年度：取该年度最后一个月）\n")
    book = openpyxl.load_workbook(sorted(out.glob("*.xlsx"))[0])
    assert book.worksheets[0]["A1"].value == "luoshi-month:2024-12"
    r = cli("import", "updates", *sorted(out.glob("*.xlsx")), "--ledger", ledger, "--dry-run")
    assert r.exit_code == 0, r.stderr
    r = cli("--lang", "en", "export", ledger, "--per-unit", "-o", tmp_path / "en",
            "--as-of", "2025-01-15")
    assert r.stderr == (f"wrote 31 workbooks for 2024-12 to {tmp_path / 'en'} (the as-of "
                        "2025-01-15 is after the ledger's year: its last month)\n")
    r = cli("export", ledger, "--per-unit", "-o", tmp_path / "early", "--as-of", "2023-12-15")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: 2023-12 不在台账年度 2024 内（台账只记一年）：请指定 2024 年的期间\n")
    assert not (tmp_path / "early").exists()


def _row(ws: Any, task: str) -> int:
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == task)


def _col(ws: Any, header: str) -> int:
    return next(c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value == header)


def _fill(book: Path, task: str, cells: dict[str, Any], extra: dict[str, Any] | None = None
          ) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    r = _row(ws, task)
    for header, value in cells.items():
        ws.cell(r, _col(ws, header)).value = value  # None clears the cell
    for header, value in (extra or {}).items():  # a column the unit added
        c = ws.max_column + 1
        ws.cell(2, c, header)
        ws.cell(r, c, value)
    wb.save(book)


def test_per_unit_workbook_shape(cli: Any, ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _export(cli, ledger, out)
    wb = openpyxl.load_workbook(out / "区发改委.xlsx")
    assert wb.sheetnames == ["本月填报", "填报说明"]
    ws = wb["本月填报"]
    assert ws.protection.sheet is True and not ws.protection.password
    assert [ws.cell(2, c).value for c in range(4, 18)] == [
        "编号", "任务名称", "牵头单位", "完成标准", "本期节点时限", "本期节点标准", "上月进度 (%)",
        "本月进度 (%)", "本月进展", "存在问题", "节点完成日期", "本月状态", "目标值", "实际完成值"]
    assert all(ws.column_dimensions[c].hidden for c in "ABC")
    ids = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)]
    assert ids == sorted(ids) and "BRK5-01" in ids  # lead or responsible, by id
    r = _row(ws, "BRK5-01")
    locked = {ws.cell(2, c).value: ws.cell(r, c).protection.locked for c in range(4, 18)}
    assert [h for h, lk in locked.items() if not lk] == [
        "本月进度 (%)", "本月进展", "存在问题", "节点完成日期", "本月状态"]  # no target: no 实际完成值
    assert ws.cell(r, _col(ws, "本期节点标准")).value == "新开工项目15个，完成投资45%"
    assert ws.cell(r, _col(ws, "上月进度 (%)")).value == 42
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    kinds = sorted(dv.type for dv in ws.data_validations.dataValidation)
    assert kinds == ["date", "decimal", "list"]


def test_per_unit_workbooks_are_made_one_at_a_time(ledger: Path) -> None:
    """`per_unit` yields each workbook as it is made, so export keeps only the bytes
    of those already saved (all 9,928 workbooks of a province built first: 1.28 GB)."""
    import inspect

    from luoshi_cli.excel.monthly import per_unit

    led = open_ledger(ledger).ledger
    books = per_unit(led, "2024-06", date(2024, 6, 30))
    assert inspect.isgenerator(books)
    name, wb = next(books)
    assert name.endswith(".xlsx") and wb.sheetnames[0] == "本月填报"


def test_per_unit_set_on_two_cores_is_the_same_bytes(ledger: Path) -> None:
    """The set made in two halves (a forked child makes the first) equals the set made
    in one process: the same files, in units.yaml's order, the same bytes."""
    from luoshi_cli.excel.monthly import per_unit_bytes

    led = open_ledger(ledger).ledger
    day = date(2024, 6, 30)
    one = per_unit_bytes(led, "2024-06", day, parallel_min_rows=10**9)
    two = per_unit_bytes(led, "2024-06", day, parallel_min_rows=0)
    assert len(one) > 3
    assert list(two) == list(one)
    assert two == one


def test_a_whole_month(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """Export per unit → three units fill their cells (one also edits a locked milestone,
    one adds a column) → import → validate passes, history intact, refusals reported."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    before = {t.id: t for t in open_ledger(ledger).ledger.tasks}
    brk5 = (ledger / "tasks" / "brk-5.yaml").read_text(encoding="utf-8")
    # 区发改委: BRK5-01 (locked) — progress, problems, and a changed milestone date
    _fill(out / "区发改委.xlsx", "BRK5-01", {
        "本月进度 (%)": 50, "本月进展": "新开工项目15个", "存在问题": "两个项目用地手续滞后",
        "本期节点时限": "2024-07-31"})
    # 区投资合作局: BRK5-02 — the node done, and a 备注 column of its own
    _fill(out / "区投资合作局.xlsx", "BRK5-02", {
        "本月进度 (%)": 52, "本月进展": "落地项目25个", "节点完成日期": "2024-06-28"},
        extra={"备注": "已报分管领导"})
    # 区商务局: BRK1-02 — progress and a note, no problems
    _fill(out / "区商务局.xlsx", "BRK1-02", {"本月进度 (%)": 50, "本月进展": "促消费活动6场"})
    books = [out / "区发改委.xlsx", out / "区投资合作局.xlsx", out / "区商务局.xlsx"]

    dry = cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "+    - {month: \"2024-06\", progress: 50, note: 新开工项目15个, problems: 两个项目用地手续滞后}" \
        in dry.stdout
    assert (ledger / "tasks" / "brk-5.yaml").read_text(encoding="utf-8") == brk5

    r = cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "未导入的列（不是填报表的列）：区投资合作局.xlsx 本月填报!R2 备注",
        "区发改委.xlsx 本月填报!H5: 未导入“2024-07-31”：任务 BRK5-01 已锁定：修改需经批准（变更程序）",
        # who each returned file spoke as (the seal is unkeyed: the clerk checks this)
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "  区投资合作局.xlsx（2024-06）：填报单位 touziju（区投资合作局），更新任务 1 个",
        "  区商务局.xlsx（2024-06）：填报单位 shangwuju（区商务局），更新任务 1 个",
        "单位 3 个，更新任务 3 个，未变 6 个，拒绝单元格 1 个",
    ]
    v = cli("validate", ledger, "--as-of", AS_OF)
    assert v.exit_code == 0, v.stdout
    after = {t.id: t for t in open_ledger(ledger).ledger.tasks}
    t = after["BRK5-01"]
    assert t.updates[:-1] == before["BRK5-01"].updates  # history intact
    assert (t.updates[-1].month, t.updates[-1].progress, t.updates[-1].problems) == (
        "2024-06", Decimal(50), "两个项目用地手续滞后")
    assert t.milestones == before["BRK5-01"].milestones  # the locked milestone kept
    assert (t.locked, t.adjustments) == (True, before["BRK5-01"].adjustments)
    assert t.progress == 50
    t2 = after["BRK5-02"]
    assert t2.milestones[1].done is not None and str(t2.milestones[1].done) == "2024-06-28"
    assert t2.flags == before["BRK5-02"].flags
    # every other byte of the file is kept: only added lines and the progress values
    new = (ledger / "tasks" / "brk-5.yaml").read_text(encoding="utf-8")
    assert new.startswith("# 项目投资新突破 —— 第五专项推进组")
    assert new.replace("progress: 50\n", "progress: 42\n", 1).count("\n") == brk5.count("\n") + 2
    # the month's status shows the new progress and problems
    s = cli("status", ledger, "--as-of", AS_OF, "--format", "json")
    doc = {x["id"]: x for x in json.loads(s.stdout)["tasks"]}
    assert doc["BRK5-01"]["progress"] == 50
    assert doc["BRK5-01"]["latest_update"] == {
        "month": "2024-06", "progress": 50, "note": "新开工项目15个",
        "problems": "两个项目用地手续滞后"}
    # … and so does the month's bulletin: the new progress, and the problem in 存在问题
    b = cli("bulletin", ledger, "--month", AS_OF[:7], "--as-of", AS_OF)
    assert b.exit_code == 0, b.stderr
    lines = b.stdout.splitlines()
    assert ("| 1 | BRK5-01 市区重点项目建设 | 区发改委 | 张某某 | 50%/49.59% | 推进中 | 黄灯 | "
            "新开工项目15个 |") in lines
    assert lines[lines.index("## 四、存在问题") + 2] == (
        "1. 市区重点项目建设（区发改委，2024年6月）：两个项目用地手续滞后。")
    # re-importing the same files changes nothing
    snapshot = {f.name: f.read_bytes() for f in (ledger / "tasks").glob("*.yaml")}
    again = cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF)
    assert again.exit_code == 0, again.stderr
    assert again.stderr.splitlines()[-1] == "单位 3 个，更新任务 0 个，未变 9 个，拒绝单元格 1 个"
    assert {f.name: f.read_bytes() for f in (ledger / "tasks").glob("*.yaml")} == snapshot


def test_an_untouched_status_cell_never_undoes_the_leads(cli: Any, ledger: Path,
                                                         tmp_path: Path) -> None:
    """The lead's sheet sets 暂缓; a responsible unit returns its sheet as it came, its
    本月状态 filled in with 推进中 (the status when the sheets were made).  Importing the
    same workbooks again flipped the task between 暂缓 and 推进中 on every run; the
    status each row was sent with is now in its sealed hidden cell, and a cell left as
    it came is no report (found by the monthly-cycle audit)."""
    before = open_ledger(ledger).ledger
    names = {u.id: u.name for u in before.units.values()}
    t = next(t for t in before.tasks if t.status == "in_progress" and t.units
             and not t.locked)
    out = tmp_path / "out"
    _export(cli, ledger, out)
    lead = out / f"{names[t.lead]}.xlsx"
    other = out / f"{names[t.units[0]]}.xlsx"
    wb = openpyxl.load_workbook(other)
    ws = wb["本月填报"]
    assert ws.cell(_row(ws, t.id), _col(ws, "本月状态")).value == "推进中"
    _fill(lead, t.id, {"本月状态": "暂缓"})
    for _ in range(3):
        r = cli("import", "updates", lead, other, "--ledger", ledger, "--as-of", AS_OF)
        assert r.exit_code == 0, r.stderr
        after = {x.id: x for x in open_ledger(ledger).ledger.tasks}
        assert after[t.id].status == "suspended"
    assert r.stderr.splitlines()[-1].startswith("单位 2 个，更新任务 0 个")


def test_an_untouched_sheet_beside_the_leads_report_imports_again_cleanly(
        cli: Any, tmp_path: Path) -> None:
    """渭南's WN-009 has its June report when the sheets go out; the lead (崇业路街道)
    rewrites it and sets 暂缓, the two responsible units return their sheets as they
    came (filled in with the June report as it was).  The first import writes the
    lead's report; importing the same files again was refused as the untouched sheets
    overwriting it.  Now it changes nothing, as often as it is run."""
    root = tmp_path / "l"
    shutil.copytree(EXAMPLE, root)
    out = tmp_path / "out"
    r = cli("export", root, "--per-unit", "-o", out, "--as-of", "2021-06-30", "--month",
            "2021-06")
    assert r.exit_code == 0, r.stderr
    t = next(x for x in open_ledger(root).ledger.tasks if x.id == "WN-009")
    assert any(u.month == "2021-06" for u in t.updates) and t.units
    _fill(out / "崇业路街道.xlsx", "WN-009", {"本月状态": "暂缓", "本月进展": "资金未到位，暂缓实施"})
    books = sorted(out.glob("*.xlsx"))
    runs = [cli("import", "updates", *books, "--ledger", root, "--as-of", "2021-06-30")
            for _ in range(3)]
    assert [x.exit_code for x in runs] == [0, 0, 0], runs[1].stderr
    assert runs[0].stderr.splitlines()[-1].startswith("单位 13 个，更新任务 1 个")
    assert runs[1].stderr.splitlines()[-1].startswith("单位 13 个，更新任务 0 个")
    t = next(x for x in open_ledger(root).ledger.tasks if x.id == "WN-009")
    assert (t.status, t.updates[-1].note) == ("suspended", "资金未到位，暂缓实施")


def test_a_sheet_made_for_a_past_month_comes_back_unchanged(cli: Any,
                                                              tmp_path: Path) -> None:
    """渭南's 党群工作部 sheet for May 2021, made after one of its tasks was done in
    June: the row shows May's progress (80) beside today's 已完成.  Returned as it came,
    it was refused (本月状态为“已完成”，本月进度应为 100，不是 80, CLI audit); a
    status the sheet came with is no report.  The unit setting 已完成 beside 80 itself
    is still refused."""
    root = tmp_path / "l"
    shutil.copytree(EXAMPLE, root)
    out = tmp_path / "out"
    r = cli("export", root, "--per-unit", "-o", out, "--as-of", "2021-06-30", "--month",
            "2021-05")
    assert r.exit_code == 0, r.stderr
    book = out / "党群工作部.xlsx"
    r = cli("import", "updates", book, "--ledger", root, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1] == "单位 1 个，更新任务 0 个，未变 5 个，拒绝单元格 0 个"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    row = next(r for r in range(3, ws.max_row + 1)
               if ws.cell(r, _col(ws, "本月状态")).value == "推进中"
               and ws.cell(r, _col(ws, "本月进度 (%)")).value not in (None, 100))
    task = ws.cell(row, 1).value
    _fill(book, task, {"本月状态": "已完成"})
    r = cli("import", "updates", book, "--ledger", root, "--as-of", "2021-06-30")
    assert r.exit_code == 1
    assert "本月状态为“已完成”，本月进度应为 100（或留空）" in r.stderr


def test_a_sheet_sealed_before_the_status_was_kept_still_imports(cli: Any, ledger: Path,
                                                                tmp_path: Path) -> None:
    """A workbook made by the previous luoshi (hidden cell `content.sent.seal-1`, no
    status) is read as before: its report lands."""
    from luoshi_cli.excel.monthly import _seal

    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    r = _row(ws, "BRK1-02")
    content, sent, _seal2, status = ws.cell(r, 2).value.split(".")
    assert status == "in_progress"
    month, unit = ws.cell(1, 1).value.split(":", 1)[1], ws.cell(1, 2).value.split(":", 1)[1]
    node = ws.cell(r, 3).value
    ws.cell(r, 2).value = f"{content}.{sent}.{_seal(month, unit, 'BRK1-02', node, content, sent)}"
    wb.save(book)
    _fill(book, "BRK1-02", {"本月进度 (%)": 50, "本月进展": "促消费活动6场"})
    res = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert res.exit_code == 0, res.stderr
    t = next(x for x in open_ledger(ledger).ledger.tasks if x.id == "BRK1-02")
    assert (t.updates[-1].month, t.updates[-1].note) == ("2024-06", "促消费活动6场")


def test_emptying_a_reported_cell_is_named_not_dropped(cli: Any, ledger: Path,
                                                       tmp_path: Path) -> None:
    """The month's report is in; the sheet exported again comes filled in with it; the
    unit empties 存在问题 (solved) and rewrites 本月进展.  The import wrote the new note
    and silently kept the problem; it still keeps it (an import removes nothing), and
    now says so at the emptied cell."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 50, "本月进展": "促消费活动6场",
                            "存在问题": "资金未到位"})
    assert _import(cli, ledger, book).exit_code == 0
    again = tmp_path / "again"
    _export(cli, ledger, again)
    book = again / "区商务局.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    r = _row(ws, "BRK1-02")
    assert ws.cell(r, _col(ws, "存在问题")).value == "资金未到位"
    _fill(book, "BRK1-02", {"存在问题": None, "本月进展": "促消费活动8场（资金已到位）"})
    run = _import(cli, ledger, book)
    assert run.exit_code == 0, run.stderr
    assert (f"区商务局.xlsx 本月填报!M{r}: 未导入：清空“存在问题”不会删除任务 BRK1-02 本月已报的"
            "“资金未到位”；如需删除，请在台账中修改") in run.stderr.splitlines()
    u = next(x for x in open_ledger(ledger).ledger.tasks if x.id == "BRK1-02").updates[-1]
    assert (u.month, u.note, u.problems) == ("2024-06", "促消费活动8场（资金已到位）", "资金未到位")


def test_a_stopped_import_counts_the_tasks_it_would_update(cli: Any, ledger: Path,
                                                          tmp_path: Path) -> None:
    """Two good rows and a %-formatted 本月进度 holding 53 (Excel shows 5300%): the
    import stops, the count names the two tasks it would have updated (it said 0
    under per-file lines naming them), and the message says what was read and why."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 50})
    _fill(book, "BRK3-01", {"本月进度 (%)": 40})
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    target = next(ws.cell(r, 1).value for r in range(3, ws.max_row + 1)
                  if ws.cell(r, 1).value not in ("BRK1-02", "BRK3-01"))
    cell = ws.cell(_row(ws, target), _col(ws, "本月进度 (%)"), 53)
    cell.number_format = "0%"
    wb.save(book)
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    lines = run.stderr.splitlines()
    assert (f"区商务局.xlsx 本月填报!K{_row(ws, target)}: 本月进度应是 0–100 的数字，不是“5300%”"
            "（单元格为百分比格式：53 显示为 5300%；请填 53%，或把单元格改为常规格式）") in lines
    assert lines[-2].startswith("单位 1 个，拟更新任务 2 个，")
    assert lines[-1] == "luoshi: 1 个问题，未写入任何文件"


def test_task_files_patched_on_two_cores_are_the_same(cli: Any, ledger: Path,
                                                      tmp_path: Path) -> None:
    """`plan_updates` with the source's `spread` forced onto two cores (a forked worker
    patches files from the front) writes the very texts it writes on one."""
    from luoshi_cli.excel.monthly import plan_updates
    from luoshi_cli.fast.source import FastSource

    out = tmp_path / "out"
    _export(cli, ledger, out)
    books = sorted(out.glob("*.xlsx"))
    for book in books:
        wb = openpyxl.load_workbook(book)
        ws = wb["本月填报"]
        for r in range(3, ws.max_row + 1):
            ws.cell(r, _col(ws, "本月进展"), f"{ws.cell(r, 1).value} 本月推进")
        wb.save(book)
    led = open_ledger(ledger).ledger
    plain = plan_updates(books, led, None)
    fast = FastSource(ledger, cache=False, jobs=2, parallel_min_bytes=0)
    both = plan_updates(books, led, None, fast.spread)
    assert len(plain.texts) > 3 and not plain.problems
    assert both.texts == plain.texts and fast.stats["workers"] == 2


def test_problems_parse_and_status_json(cli: Any, ledger: Path) -> None:
    f = ledger / "tasks" / "brk-5.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("    - {month: \"2024-05\", progress: 42, note: 完成投资40%}",
                              "    - {month: \"2024-05\", progress: 42, note: 完成投资40%, "
                              "problems: 资金到位慢}"), encoding="utf-8")
    v = cli("validate", ledger, "--as-of", "2024-05-31")
    assert v.exit_code == 0, v.stdout
    s = cli("status", ledger, "--as-of", "2024-05-31", "--format", "json")
    doc = {x["id"]: x for x in json.loads(s.stdout)["tasks"]}
    assert doc["BRK5-01"]["latest_update"] == {
        "month": "2024-05", "progress": 42, "note": "完成投资40%", "problems": "资金到位慢"}


def test_bad_progress_is_a_cell_problem(cli: Any, ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区商务局.xlsx", "BRK1-02", {"本月进度 (%)": 150})
    before = (ledger / "tasks" / "brk-1.yaml").read_bytes()
    r = cli("import", "updates", out / "区商务局.xlsx", "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 1
    assert "区商务局.xlsx 本月填报!K3: 本月进度应是 0–100 的数字，不是“150”" in r.stderr.splitlines()
    assert (ledger / "tasks" / "brk-1.yaml").read_bytes() == before


def test_not_a_monthly_sheet(cli: Any, ledger: Path, tmp_path: Path) -> None:
    book = tmp_path / "x.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["编号", "任务名称"])
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 2
    assert r.stderr.strip().endswith(
        f"{book} 不是 luoshi export --per-unit 生成的填报表（没有 luoshi:id 列），"
        "也不是 luoshi export 的任务台账（编号、任务名称、牵头单位、进度列）")


def test_the_full_task_sheet_comes_back(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """`export`'s own 任务台账 sheet, edited and imported as the month's report: it used
    to be refused for every row (the ids exist).  What equals the ledger is no report,
    an older month's 最新进展 is history, a note without a month is --month's, and a
    changed milestone date is refused at its cell."""
    book = tmp_path / "ledger.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    same = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06",
               "--as-of", AS_OF)
    assert (same.exit_code, same.stderr) == (
        0, "  ledger.xlsx（2024-06）：任务台账全表，更新任务 0 个\n"
           "单位 0 个，更新任务 0 个，未变 35 个，拒绝单元格 0 个\n")
    wb = openpyxl.load_workbook(book)
    # 进度 is on the printed 任务台账 sheet, 最新进展 and the milestones on 任务明细
    for ws, edits in ((wb["任务台账"], {"进度": 55}),
                      (wb["任务明细"], {"最新进展": "新开工项目16个", "节点2时限": "2024-07-31"})):
        heads = {ws.cell(2, c).value: c for c in range(1, ws.max_column + 1)}
        r5 = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "BRK5-01")
        for head, value in edits.items():
            ws.cell(r5, heads[head], value)
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0].startswith("ledger.xlsx 任务明细!")
    assert "未导入“2024-07-31”：任务 BRK5-01 的节点2不由填报单位修改（已锁定的任务需经批准）" in r.stderr
    assert r.stderr.splitlines()[-1] == "单位 1 个，更新任务 1 个，未变 34 个，拒绝单元格 1 个"
    t = {t.id: t for t in open_ledger(ledger).ledger.tasks}["BRK5-01"]
    assert (t.updates[-1].month, t.updates[-1].progress, t.updates[-1].note) == (
        "2024-06", Decimal(55), "新开工项目16个")
    assert str(t.milestones[1].due) == "2024-06-30"
    assert cli("validate", ledger, "--as-of", AS_OF).exit_code == 0


def test_file_names_are_inert() -> None:
    """A unit's name becomes a file name: no path, no reserved character, no leading
    formula sign; the id when nothing is left."""
    from luoshi_cli.excel.monthly import file_name

    assert file_name("区发改委", "fgw") == "区发改委.xlsx"
    assert file_name("../区/发改委", "fgw") == "区_发改委.xlsx"
    assert file_name("=HYPERLINK(1)", "x") == "HYPERLINK(1).xlsx"
    assert file_name("a\nb:c", "x") == "a_nb_c.xlsx"  # the line break shown, then made safe
    assert file_name("..", "fgw") == "fgw.xlsx"


@pytest.mark.parametrize(("name", "want"), [
    ("CON", "_CON.xlsx"), ("nul", "_nul.xlsx"), ("Com1", "_Com1.xlsx"),
    ("LPT9.txt", "_LPT9.txt.xlsx"), ("CONSOLE", "CONSOLE.xlsx"), ("aux ", "_aux.xlsx"),
])
def test_file_names_are_no_windows_device(name: str, want: str) -> None:
    """`CON.xlsx` opens the console on Windows, whatever the extension."""
    from luoshi_cli.excel.monthly import file_name

    assert file_name(name, "x") == want


def test_file_names_differing_in_case_do_not_overwrite(write: Any, cli: Any,
                                                       tmp_path: Path) -> None:
    """Two units named 'Abc' and 'abc' are one file on Windows and macOS."""
    root = write({
        "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
        "units.yaml": "units:\n  - {id: a1, name: Abc}\n  - {id: b2, name: abc}\n"
                      "leaders:\n  - {id: li, name: 李某某}\n",
        "tasks/a.yaml": "- id: T-001\n  title: 项目\n  category: econ\n  lead: a1\n"
                        "  units: [b2]\n  leaders: [li]\n  start: 2024-01-01\n"
                        "  standard: 全年\n  milestones:\n    - {due: 2024-12-31, standard: 完成}\n"
                        "  status: in_progress\n  progress: 45\n",
    })
    out = tmp_path / "out"
    run = cli("export", root, "--per-unit", "-o", out, "--month", "2024-04",
              "--as-of", "2024-05-31")
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["Abc.xlsx", "abc_b2.xlsx"]


def test_a_row_naming_another_units_task_is_refused(cli: Any, ledger: Path,
                                                      tmp_path: Path) -> None:
    """The hidden id and its hash are the sender's to write (the seal is over ledger
    text anyone can read): 区发改委's sheet cannot report 区商务局's BRK1-02, even with
    the hidden cells resealed as luoshi would."""
    from luoshi_cli.excel.monthly import _hidden, _node

    out = tmp_path / "out"
    _export(cli, ledger, out)
    other = next(t for t in open_ledger(ledger).ledger.tasks if t.id == "BRK1-02")
    assert other.lead == "shangwuju"
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    r = _row(ws, "BRK5-01")
    ws.cell(r, 1, "BRK1-02")
    ws.cell(r, 2, _hidden("2024-06", "fgw", other, _node(other)))
    ws.cell(r, 3, _node(other))
    for header, value in {"任务名称": other.title, "牵头单位": "区商务局",
                          "完成标准": other.standard, "本月进度 (%)": 99,
                          "本月进展": "伪造"}.items():
        ws.cell(r, _col(ws, header), value)
    wb.save(book)
    before = (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")
    run = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert run.exit_code == 1
    assert (f"区发改委.xlsx 本月填报!{r}:{r}: 任务 BRK1-02 不是本填报表单位（fgw）牵头或负责的任务"
            "（导出后改了牵头或责任单位？）：这一行不能导入，本次未写入任何文件；请删去这一行后再导入，"
            "或重新导出本单位填报表" in run.stderr.splitlines())
    assert (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8") == before


def test_import_updates_never_writes_through_a_link_out(cli: Any, ledger: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The task directory swapped for a link out of the ledger between reading and
    writing (a checkout running alongside): the write is refused, nothing outside
    changes."""
    import luoshi_cli.excel.overlay as overlay

    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区商务局.xlsx", "BRK1-02", {"本月进度 (%)": 50, "本月进展": "促消费活动6场"})
    elsewhere = tmp_path / "elsewhere"
    real = overlay.findings_for_many

    def then_swap(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        (ledger / "tasks").rename(elsewhere)
        (ledger / "tasks").symlink_to(elsewhere)
        return found

    monkeypatch.setattr(overlay, "findings_for_many", then_swap)
    before = (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")
    run = cli("import", "updates", out / "区商务局.xlsx", "--ledger", ledger, "--as-of", AS_OF)
    assert run.exit_code == 2
    assert "luoshi 不会写入" in run.stderr
    assert (elsewhere / "brk-1.yaml").read_text(encoding="utf-8") == before


def _import(cli: Any, ledger: Path, *books: Path) -> Any:
    return cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF)


def test_another_units_update_is_never_overwritten_on_another_day(cli: Any, ledger: Path,
                                                                  tmp_path: Path) -> None:
    """The lead's report imported on Monday, a responsible unit's on Tuesday: the
    responsible unit's sheet never saw the lead's report, so it does not replace it (it
    used to: progress 52 → 45, the lead's note gone, the problems mixed): its row is
    refused at its cell."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    lead, street = out / "区统计局.xlsx", out / "太乙路街道.xlsx"
    _fill(lead, "BL1-01", {"本月进度 (%)": 52, "本月进展": "新增42家", "存在问题": "资料不全"})
    _fill(street, "BL1-01", {"本月进度 (%)": 45, "本月进展": "辖区新增3家"})
    assert _import(cli, ledger, lead).exit_code == 0
    after_lead = (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")
    assert '    - {month: "2024-06", progress: 52, note: 新增42家, problems: 资料不全}\n' in after_lead
    run = _import(cli, ledger, street)
    # refused at its cell, not a problem stopping the other sheets (the ledger does not
    # say who wrote the update: another unit's sheet, or the office by hand)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.splitlines() == [
        "太乙路街道.xlsx 本月填报!K3: 任务 BL1-01 的 2024-06 月报在此表发出后已被写入或修改"
        "（台账现为：本月进度 (%)“52”，本月进展“新增42家”，存在问题“资料不全”）：台账现有内容保留，"
        "本行未导入；如需以此表为准，请在台账中修改",
        "  太乙路街道.xlsx（2024-06）：填报单位 taiyilu（太乙路街道），更新任务 0 个",
        "单位 1 个，更新任务 0 个，未变 12 个，拒绝单元格 1 个",
    ]
    assert (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8") == after_lead
    # the same sheet again changes nothing; a sheet exported after the import corrects it
    assert _import(cli, ledger, lead).exit_code == 0
    again = tmp_path / "again"
    assert cli("export", ledger, "--per-unit", "-o", again, "--as-of", AS_OF,
               "--month", "2024-06").exit_code == 0
    _fill(again / "太乙路街道.xlsx", "BL1-01", {"本月进度 (%)": 53})
    fixed = _import(cli, ledger, again / "太乙路街道.xlsx")
    assert fixed.exit_code == 0, fixed.stderr
    assert '    - {month: "2024-06", progress: 53, note: 新增42家, problems: 资料不全}\n' in (
        ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("cell", "value"), [
    ("B1", "luoshi-unit:shangwuju"),  # another unit's mark: its tasks would pass
    ("B3", None),  # the hash cleared: the staleness check would be skipped
    ("C3", 3),  # another milestone: the done date would land on December's
    ("A1", "luoshi-month:2024-07"),
])
def test_edited_hidden_cells_are_refused(cli: Any, ledger: Path, tmp_path: Path, cell: str,
                                         value: Any) -> None:
    """The hidden cells are sealed together with the month and the unit: editing any
    of them is refused at the row (they used to be trusted)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区统计局.xlsx"
    _fill(book, "BL1-01", {"本月进度 (%)": 52, "节点完成日期": "2024-06-20"})
    wb = openpyxl.load_workbook(book)
    wb["本月填报"][cell] = value
    wb.save(book)
    before = (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    unit = "shangwuju" if cell == "B1" else "tongjiju"
    assert run.stderr.splitlines()[0] == (
        f"区统计局.xlsx 本月填报!B3: 任务 BL1-01 这一行的隐藏单元格（A–C 列，或 A1 月份、B1 单位 {unit}）"
        "在导出后被修改或清空：未导入；请重新导出本单位填报表")
    assert (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(("value", "number_format", "want"), [
    (0.5, "0%", "50"), (0.525, "0.0%", "52.5"), ("80%", "General", "80"),
    ("80％", "General", "80"), ("４５", "General", "45"), (60, "General", "60"),
])
def test_a_percent_formatted_progress_is_read_as_percent(cli: Any, ledger: Path, tmp_path: Path,
                                                         value: Any, number_format: str,
                                                         want: str) -> None:
    """A unit types 50% into 本月进度: Excel stores 0.5 formatted `0%` — that is 50, not
    0.5 (it was imported as progress 0.5)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    cell = ws.cell(_row(ws, "BRK1-02"), _col(ws, "本月进度 (%)"), value)
    cell.number_format = number_format
    wb.save(book)
    run = _import(cli, ledger, book)
    assert run.exit_code == 0, run.stderr
    assert f'    - {{month: "2024-06", progress: {want}}}\n' in (
        ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")


def _with_target(ledger: Path) -> None:
    f = ledger / "tasks" / "bl-1.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace(
        "  standard: 全年新增“四上”企业80家\n",
        "  standard: 全年新增“四上”企业80家\n  target: {value: 80, unit: 家}\n", 1), encoding="utf-8")


@pytest.mark.parametrize(("value", "line"), [
    ("42家", "区统计局.xlsx 本月填报!Q3: 实际完成值应是数字（单位见目标值，不要写进单元格），不是“42家”"),
    ("约42", "区统计局.xlsx 本月填报!Q3: 实际完成值应是数字（单位见目标值，不要写进单元格），不是“约42”"),
    ("42%", "区统计局.xlsx 本月填报!Q3: 实际完成值应是数字（单位见目标值，不要写进单元格），不是“42%”"),
])
def test_an_unreadable_actual_is_refused_at_its_cell(cli: Any, ledger: Path, tmp_path: Path,
                                                     value: str, line: str) -> None:
    """实际完成值 written with its unit was dropped without a word (exit 0)."""
    _with_target(ledger)
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区统计局.xlsx"
    _fill(book, "BL1-01", {"本月进度 (%)": 52, "实际完成值": value})
    before = (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == line
    assert (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8") == before
    _fill(book, "BL1-01", {"实际完成值": 42})
    assert _import(cli, ledger, book).exit_code == 0
    assert '    - {month: "2024-06", progress: 52, actual: 42}\n' in (
        ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")


def test_an_actual_for_a_task_without_target_is_refused(cli: Any, ledger: Path,
                                                        tmp_path: Path) -> None:
    """A number in the locked 实际完成值 cell of a task without a target was imported."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"实际完成值": 12})
    before = (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "区商务局.xlsx 本月填报!Q3: 任务 BRK1-02 没有量化目标（目标值）：实际完成值“12”不能导入")
    assert (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8") == before


def _percent_cell(book: Path, task: str, value: float, number_format: str) -> None:
    """A unit types 96% into 实际完成值: Excel stores 0.96, formatted `0%`."""
    _fill(book, task, {"本月进度 (%)": 60})
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    cell = ws.cell(_row(ws, task), _col(ws, "实际完成值"), value)
    cell.number_format = number_format
    wb.save(book)


@pytest.mark.parametrize(("value", "number_format", "unit", "want"), [
    (0.96, "0%", '"%"', "96"), (0.965, "0.0%", "％", "96.5"), (96, "General", '"%"', "96"),
])
def test_a_percent_formatted_actual_of_a_percent_target_is_its_percentage(
        cli: Any, ledger: Path, tmp_path: Path, value: float, number_format: str, unit: str,
        want: str) -> None:
    """96% typed into 实际完成值 of a task held to 95%: Excel stores 0.96 formatted `0%`,
    which was imported as actual 0.96 without a word; it is 96."""
    f = ledger / "tasks" / "bl-1.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace(
        "  standard: 全年新增“四上”企业80家\n",
        f"  standard: 全年新增“四上”企业80家\n  target: {{value: 95, unit: {unit}}}\n", 1),
        encoding="utf-8")
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区统计局.xlsx"
    _percent_cell(book, "BL1-01", value, number_format)
    run = _import(cli, ledger, book)
    assert run.exit_code == 0, run.stderr
    assert f'    - {{month: "2024-06", progress: 60, actual: {want}}}\n' in f.read_text(
        encoding="utf-8")


def test_a_percent_formatted_actual_of_another_unit_is_refused(cli: Any, ledger: Path,
                                                               tmp_path: Path) -> None:
    """0.42 shown as 42% in 实际完成值 of a target in 家 is neither 0.42 nor 42 家 for
    sure: refused at its cell, naming the target's unit, zh and en; nothing written."""
    _with_target(ledger)
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区统计局.xlsx"
    _percent_cell(book, "BL1-01", 0.42, "0%")
    f = ledger / "tasks" / "bl-1.yaml"
    before = f.read_text(encoding="utf-8")
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "区统计局.xlsx 本月填报!Q3: 实际完成值单元格为百分比格式（显示为 42%），但任务 BL1-01 的"
        "目标值单位是“家”，不是 %：请按“家”填写数字，并把单元格改为常规格式")
    run = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF, "--lang", "en")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "区统计局.xlsx 本月填报!Q3: Actual value is formatted as a percentage (it shows "
        "42%) but task BL1-01's target is in '家', not %: type the figure in '家' and format "
        "the cell as General")
    assert f.read_text(encoding="utf-8") == before


def test_rows_a_unit_adds_are_named_not_dropped(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """A continuation line under a task and a new item were ignored without a word
    (exit 0); an empty row inserted is still nothing."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 50})
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    last = ws.max_row
    ws.cell(last + 2, _col(ws, "本月进度 (%)"), 48)
    ws.cell(last + 2, _col(ws, "本月进展"), "（续）另有1场促消费活动因场地审批延期至7月")
    ws.cell(last + 3, _col(ws, "编号"), "BRK1-99")
    wb.save(book)
    before = (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    a, b = last + 2, last + 3
    assert run.stderr.splitlines()[:2] == [
        f"区商务局.xlsx 本月填报!{a}:{a}: 新增的行（没有 luoshi 的隐藏任务编号）不能导入：K{a} “48”；"
        f"L{a} “（续）另有1场促消费活动因场地审批延期至7月”；请把内容写进任务所在的行，新任务请报督查室立项",
        f"区商务局.xlsx 本月填报!{b}:{b}: 新增的行（没有 luoshi 的隐藏任务编号）不能导入：D{b} “BRK1-99”；"
        "请把内容写进任务所在的行，新任务请报督查室立项",
    ]
    assert (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8") == before


def test_export_again_never_overwrites_a_returned_workbook(cli: Any, ledger: Path,
                                                           tmp_path: Path) -> None:
    """The cycle imports the returned workbooks from the folder it exported to: exporting
    there again overwrote a unit's filled-in sheet (exit 0).  The same export again is
    fine; --force overwrites."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _export(cli, ledger, out)  # unchanged files: nothing to refuse
    book = out / "区统计局.xlsx"
    _fill(book, "BL1-01", {"本月进度 (%)": 55, "本月进展": "统计局填好的月报"})
    filled = book.read_bytes()
    args = ("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-06")
    run = cli(*args)
    assert (run.exit_code, run.stderr) == (2, (
        f"luoshi: {out} 中已有 1 个与本次导出不同的填报表（区统计局.xlsx），可能是单位交回、尚未导入的表：不覆盖；"
        "请先导入，或换一个目录，或加 --force 覆盖\n"))
    assert book.read_bytes() == filled
    forced = cli(*args, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert book.read_bytes() != filled
    ws = openpyxl.load_workbook(book)["本月填报"]
    assert ws.cell(_row(ws, "BL1-01"), _col(ws, "本月进度 (%)")).value is None


def test_done_status_and_progress_agree(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """已完成 with 本月进度 60 made the task done/100 and kept 60 in the update; now it
    is refused at the cell, and 已完成 with the progress left empty reports 100."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 60, "本月状态": "已完成"})
    before = (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "区商务局.xlsx 本月填报!O3: 本月状态为“已完成”，本月进度应为 100（或留空），不是 60")
    assert (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8") == before
    _fill(book, "BRK1-02", {"本月进度 (%)": None})
    run = _import(cli, ledger, book)
    assert run.exit_code == 0, run.stderr
    t = {t.id: t for t in open_ledger(ledger).ledger.tasks}["BRK1-02"]
    assert (t.status, t.progress, t.updates[-1].month, t.updates[-1].progress) == (
        "done", Decimal(100), "2024-06", Decimal(100))


def test_a_status_not_offered_lists_the_choices(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """A word the drop-down list does not offer named no word it does."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 60, "本月状态": "基本完成"})
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "区商务局.xlsx 本月填报!O3: 本月状态“基本完成”不是可选值（可选：推进中、已完成、暂缓）")


@pytest.mark.parametrize("label", ["已销号", "待销号", "未启动"])
def test_a_status_the_unit_cannot_set_is_refused(cli: Any, ledger: Path, tmp_path: Path,
                                                 label: str) -> None:
    """已销号 was accepted and silently not applied."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 60, "本月状态": label})
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        f"区商务局.xlsx 本月填报!O3: 本月状态“{label}”不由填报单位填写（可选：推进中、已完成、暂缓；销号由督查室按程序办理）")


def test_a_failed_write_leaves_no_task_file_written(cli: Any, ledger: Path,
                                                    tmp_path: Path) -> None:
    """One of three task files cannot be replaced (immutable): the two written before
    it used to stay written, and the error named the ledger directory, not the file."""
    import subprocess

    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区统计局.xlsx", "BL1-01", {"本月进度 (%)": 52})
    _fill(out / "区商务局.xlsx", "BRK1-02", {"本月进度 (%)": 50})
    _fill(out / "区商务局.xlsx", "BRK4-02", {"本月进度 (%)": 45})
    stuck = ledger / "tasks" / "brk-4.yaml"
    if subprocess.run(["chattr", "+i", stuck], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs root and a file system that supports it")
    before = {p.name: p.read_bytes() for p in (ledger / "tasks").iterdir()}
    try:
        run = _import(cli, ledger, out / "区统计局.xlsx", out / "区商务局.xlsx")
    finally:
        subprocess.run(["chattr", "-i", stuck], check=True)
    assert (run.exit_code, run.stderr) == (
        2, f"luoshi: 无法写入 {stuck}：没有权限；未写入任何文件\n")  # (as every write: os_reason)
    assert {p.name: p.read_bytes() for p in (ledger / "tasks").iterdir()} == before


@pytest.mark.parametrize(("header", "value", "cell"), [
    ("存在问题", "#N/A", "M3"), ("本月进展", "#REF!", "L3"), ("本月进度 (%)", "#VALUE!", "K3"),
    ("本月进展", "#DIV/0!", "L3"),
])
def test_an_excel_error_value_is_refused_at_its_cell(cli: Any, ledger: Path, tmp_path: Path,
                                                     header: str, value: str, cell: str) -> None:
    """A formula's cached #N/A was written into the ledger as the unit's problems."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 50, header: value})
    ws = openpyxl.load_workbook(book)["本月填报"]
    assert ws[cell].data_type == "e"  # an error cell, as Excel saves a failed formula's value
    before = (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        f"区商务局.xlsx 本月填报!{cell}: “{value}”是 Excel 的错误值，不是填报内容：请直接填写数值或文字（不用公式）")
    assert (ledger / "tasks" / "brk-1.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(("cells", "line"), [
    ({"本月进度 (%)": 100, "本月状态": "推进中"}, "区商务局.xlsx 本月填报!K3: LS206 任务 BRK1-02："
     "进度为 100，但状态是 in_progress：请把状态改为 done，或改正进度"),
    ({"本月进度 (%)": 60, "节点完成日期": "2024-07-05"}, "区商务局.xlsx 本月填报!N3: LS203 任务 BRK1-02："
     "完成日期 2024-07-05 晚于检查日期 2024-06-30：不能登记未来的完成，请改正日期"),
])
def test_validation_errors_the_sheet_caused_point_at_its_cell(cli: Any, ledger: Path,
                                                              tmp_path: Path, cells: dict[str, Any],
                                                              line: str) -> None:
    """They were reported at tasks/brk-1.yaml, which the unit never saw."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", cells)
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == line


@pytest.mark.parametrize(("value", "number_format"), [
    ("6月28日", "General"), (45471, "General"), ("2024年6月28日", "General"),
    ("２０２４年６月２８日", "General"),
])
def test_done_dates_are_read_as_import_tasks_reads_them(cli: Any, ledger: Path, tmp_path: Path,
                                                        value: Any, number_format: str) -> None:
    """“6月28日” and an Excel serial number were refused; `import tasks` takes them."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 60, "节点完成日期": value})
    run = _import(cli, ledger, book)
    assert run.exit_code == 0, run.stderr
    t = {t.id: t for t in open_ledger(ledger).ledger.tasks}["BRK1-02"]
    assert str(next(m.done for m in t.milestones if m.due.isoformat() == "2024-06-30")) == \
        "2024-06-28"


def test_a_sheet_from_an_older_luoshi_is_told_apart(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """A sheet exported before the seal (its hash cell the bare content hash) is refused
    as unsealed, not as edited."""
    from luoshi_cli.excel.monthly import _content_hash, _node

    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 50})
    t = next(t for t in open_ledger(ledger).ledger.tasks if t.id == "BRK1-02")
    wb = openpyxl.load_workbook(book)
    wb["本月填报"]["B3"] = _content_hash(t, _node(t))
    wb.save(book)
    run = _import(cli, ledger, book)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "区商务局.xlsx 本月填报!B3: 任务 BRK1-02：本表由旧版 luoshi 导出，隐藏单元格没有封记：未导入；请重新导出本单位填报表")


@pytest.mark.parametrize(("lang", "lines"), [
    ("zh", ["  区商务局.xlsx（2024-06）：填报单位 shangwuju（区商务局），拟更新任务 2 个",
            "单位 1 个，拟更新任务 2 个，未变 1 个，拒绝单元格 0 个",
            "luoshi: 1 个问题，未写入任何文件",
            "  区商务局.xlsx（2024-06）：填报单位 shangwuju（区商务局），拟更新任务 1 个",
            "单位 1 个，拟更新任务 1 个，未变 2 个，拒绝单元格 0 个",
            "--dry-run：未写入任何文件",
            "  区商务局.xlsx（2024-06）：填报单位 shangwuju（区商务局），更新任务 1 个",
            "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"]),
    ("en", ["  区商务局.xlsx (2024-06): as shangwuju (区商务局); to update 2",
            "units 1, tasks to update 2, unchanged 1, refused cells 0",
            "luoshi: 1 problem; nothing was written",
            "  区商务局.xlsx (2024-06): as shangwuju (区商务局); to update 1",
            "units 1, tasks to update 1, unchanged 2, refused cells 0",
            "--dry-run: nothing was written",
            "  区商务局.xlsx (2024-06): as shangwuju (区商务局); updated 1",
            "units 1, tasks updated 1, unchanged 2, refused cells 0"]),
])
def test_a_refused_import_does_not_say_tasks_were_updated(
        cli: Any, ledger: Path, tmp_path: Path, lang: str, lines: list[str]) -> None:
    """A good row and one that fails validation (a node done after the as-of date): the
    whole import is refused, so the counts name the tasks it would update, not tasks
    "updated" beside "nothing was written"; --dry-run likewise; a real import says
    updated."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进度 (%)": 50, "本月进展": "促消费活动6场"})
    good = book.read_bytes()
    _fill(book, "BRK3-01", {"节点完成日期": "2024-12-31"})
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF, "--lang", lang)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-3:] == lines[:3]
    book.write_bytes(good)
    dry = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF, "--lang", lang,
              "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert dry.stderr.splitlines()[-3:] == lines[3:6]
    done = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF, "--lang", lang)
    assert done.exit_code == 0, done.stderr
    assert done.stderr.splitlines() == lines[6:]


def test_the_summary_names_the_unit_each_returned_file_spoke_as(cli: Any, ledger: Path,
                                                                tmp_path: Path) -> None:
    """The hidden cells' seal is unkeyed: it catches edits, not a sheet passed on as
    another unit's.  So the summary says, per file, which unit its sheet reported as:
    区发改委's sheet sent back under 区商务局's file name shows `填报单位 fgw（区发改委）`
    beside the name 区商务局.xlsx, and the clerk sees the mismatch — named in a warning
    too, as the file is named for a unit of the ledger."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK5-01", {"本月进度 (%)": 50, "本月进展": "新开工项目15个"})
    _fill(out / "区统计局.xlsx", "BL1-01", {"本月进度 (%)": 52, "本月进展": "新增42家"})
    posing = tmp_path / "区商务局.xlsx"
    (out / "区发改委.xlsx").rename(posing)
    r = _import(cli, ledger, posing, out / "区统计局.xlsx")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "区商务局.xlsx: 文件名是单位 shangwuju（区商务局）的，表中却是 fgw（区发改委）的填报表，"
        "按表中的单位导入：请核对是否交错了文件（已导入）",
        "  区商务局.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "  区统计局.xlsx（2024-06）：填报单位 tongjiju（区统计局），更新任务 1 个",
        "单位 2 个，更新任务 2 个，未变 3 个，拒绝单元格 0 个"]


def test_an_unedited_sheet_reports_nothing_for_a_task_already_done(cli: Any,
                                                                    tmp_path: Path) -> None:
    """A task done in June comes out in July's sheet with 本月状态 filled in as 已完成.
    Sent back untouched, that cell is the status the task had, not a report: importing
    it used to append `{month: "2021-07", progress: 100}` -- a July report nobody made.
    A note typed on the same row is a report, and then the done status gives it
    progress 100."""
    ledger = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, ledger)
    out = tmp_path / "out"
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", "2021-07-31",
            "--month", "2021-07")
    assert r.exit_code == 0, r.stderr
    book = out / "党群工作部.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    header = [c.value for c in ws[2]]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "WN-020")
    assert ws.cell(row, header.index("本月状态") + 1).value == "已完成"
    before = (ledger / "tasks" / "style.yaml").read_text(encoding="utf-8")
    same = cli("import", "updates", book, "--ledger", ledger, "--as-of", "2021-07-31")
    assert same.exit_code == 0, same.stderr
    assert (ledger / "tasks" / "style.yaml").read_text(encoding="utf-8") == before
    assert same.stderr.splitlines()[-1].startswith("单位 1 个，更新任务 0 个，")
    ws.cell(row, header.index("本月进展") + 1).value = "挂职干部考核"
    wb.save(book)
    noted = cli("import", "updates", book, "--ledger", ledger, "--as-of", "2021-07-31")
    assert noted.exit_code == 0, noted.stderr
    assert '    - {month: "2021-07", progress: 100, note: 挂职干部考核}\n' in \
        (ledger / "tasks" / "style.yaml").read_text(encoding="utf-8")


def test_two_sheets_reporting_one_task_differently_name_each_other(cli: Any, ledger: Path,
                                                                    tmp_path: Path) -> None:
    """The lead (区统计局) and a responsible unit (太乙路街道) report BL1-01 in the same run,
    differently: nothing is written, and the problem names the other sheet's row and each
    cell they disagree on (it said only "reported differently in two sheets", and the
    office could not tell which to keep)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    lead, street = out / "区统计局.xlsx", out / "太乙路街道.xlsx"
    _fill(lead, "BL1-01", {"本月进度 (%)": 52, "本月进展": "新增42家"})
    _fill(street, "BL1-01", {"本月进度 (%)": 45, "本月进展": "新增42家"})
    before = (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8")
    run = _import(cli, ledger, lead, street)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "太乙路街道.xlsx 本月填报!3:3: 任务 BL1-01 在两个填报表中报送的内容不同"
        "（区统计局.xlsx 本月填报!3:3 与本行：本月进度 (%)“52”与“45”）：请只保留一份")
    assert (ledger / "tasks" / "bl-1.yaml").read_text(encoding="utf-8") == before
    en = cli("import", "updates", lead, street, "--ledger", ledger, "--as-of", AS_OF,
             "--lang", "en")
    assert en.stderr.splitlines()[0] == (
        "太乙路街道.xlsx 本月填报!3:3: task BL1-01 is reported differently in two sheets "
        "(区统计局.xlsx 本月填报!3:3 and this row: Progress this month (%) '52' and '45'): "
        "keep one")  # the column by its English header: no Chinese word in an English line


def test_an_old_full_export_does_not_roll_back_a_units_report(cli: Any, ledger: Path,
                                                              tmp_path: Path) -> None:
    """The full 任务台账 sheet carries no seal: made before 区发改委's June sheet was
    imported (70, 开工8个, 暂缓) and imported afterwards, untouched, it set BRK5-01 back
    to the 42 and 推进中 it showed, exit 0 (audit).  任务明细's hidden mark of each
    task's reports (`export.state_mark`) tells: refused at the cell, naming what the
    ledger holds; nothing written.  On a full sheet exported after the report the
    office's change (resuming the task) goes through, as before."""
    full = tmp_path / "ledger.xlsx"
    assert cli("export", ledger, "-o", full, "--as-of", AS_OF).exit_code == 0
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK5-01",
          {"本月进度 (%)": 70, "本月进展": "开工8个", "本月状态": "暂缓"})
    r = cli("import", "updates", out / "区发改委.xlsx", "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    before = {p: p.read_bytes() for p in (ledger / "tasks").iterdir()}
    r = cli("import", "updates", full, "--ledger", ledger, "--month", "2024-06", "--as-of", AS_OF)
    assert r.exit_code == 1
    assert ("ledger.xlsx 任务台账!G" in r.stderr and "任务 BRK5-01 在本表导出后已由填报更新（现为："
            "2024-06 月报本月进度 (%)“70”，本月进展“开工8个”；状态“暂缓”）：任务台账全表不覆盖，未导入；"
            "请重新导出全表，在新表上修改" in r.stderr), r.stderr
    assert {p: p.read_bytes() for p in (ledger / "tasks").iterdir()} == before
    # exported again, after the report: the office resumes the task on it
    assert cli("export", ledger, "-o", full, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(full)
    ws = wb["任务台账"]
    ws.cell(_row(ws, "BRK5-01"), _col(ws, "状态"), "推进中")
    wb.save(full)
    r = cli("import", "updates", full, "--ledger", ledger, "--month", "2024-06", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    t = {t.id: t for t in open_ledger(ledger).ledger.tasks}["BRK5-01"]
    assert (t.status, t.progress, t.updates[-1].progress, t.updates[-1].note) == (
        "in_progress", 70, 70, "开工8个")


@pytest.mark.parametrize("hidden", [False, True])
def test_a_full_sheet_inside_a_units_workbook_is_not_imported(
        cli: Any, ledger: Path, tmp_path: Path, hidden: bool) -> None:
    """The full sheet is no unit's and has no seal: added to 区商务局's returned
    workbook (hidden or not) it reported 区发改委's BRK5-01, exit 0 (audit).  It is
    named and not imported; the unit's own sheet is (a reference copy of the full
    sheet in a unit's file must not stop its report)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区商务局.xlsx"
    _fill(book, "BRK1-02", {"本月进展": "招商推介会已办"})
    wb = openpyxl.load_workbook(book)
    ws = wb.create_sheet("台账")
    ws.append(["编号", "任务名称", "牵头单位", "进度", "最新进展"])
    ws.append(["BRK5-01", "x", "区发改委", 10, "项目全部停工"])
    if hidden:
        ws.sheet_state = "hidden"
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    why = ("这是隐藏的工作表（或隐藏了其“任务明细”表）：其中的内容不导入（请取消隐藏并核对后再报送）"
           if hidden else "本文件是单位填报表，却含有任务台账全表：该表不导入（全表只能由督查室单独导入），"
           "本单位的填报表照常导入")
    assert f"区商务局.xlsx 台账: {why}" in r.stderr, r.stderr
    assert r.stderr.splitlines()[-2:] == [
        "  区商务局.xlsx（2024-06）：填报单位 shangwuju（区商务局），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 1 个"]
    tasks = {t.id: t for t in open_ledger(ledger).ledger.tasks}
    assert tasks["BRK1-02"].updates[-1].note == "招商推介会已办"
    assert tasks["BRK5-01"].progress == 42 and tasks["BRK5-01"].status == "in_progress"


def test_a_hidden_unit_sheet_is_not_imported(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """What nobody reading the workbook sees is not taken as a report."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK5-01", {"本月进度 (%)": 70})
    wb = openpyxl.load_workbook(book)
    wb["本月填报"].sheet_state = "hidden"
    wb.active = 1
    wb.save(book)
    before = {p: p.read_bytes() for p in (ledger / "tasks").iterdir()}
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert "区发改委.xlsx 本月填报: 这是隐藏的工作表（或隐藏了其“任务明细”表）：其中的内容不导入" in r.stderr
    assert r.stderr.splitlines()[-1] == "单位 1 个，更新任务 0 个，未变 0 个，拒绝单元格 1 个"
    assert {p: p.read_bytes() for p in (ledger / "tasks").iterdir()} == before


def test_a_full_sheet_whose_details_are_hidden_is_not_imported(cli: Any, ledger: Path,
                                                               tmp_path: Path) -> None:
    """The 任务明细 sheet is joined into 任务台账 (done dates, the latest report): hidden,
    its cells were imported all the same (review)."""
    book = tmp_path / "ledger.xlsx"
    assert cli("export", ledger, "-o", book, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["任务明细"]
    ws.cell(_row(ws, "BRK5-01"), _col(ws, "最新进展"), "新开工项目16个")
    ws.sheet_state = "hidden"
    wb.save(book)
    before = {p: p.read_bytes() for p in (ledger / "tasks").iterdir()}
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert "ledger.xlsx 任务台账: 这是隐藏的工作表（或隐藏了其“任务明细”表）" in r.stderr, r.stderr
    assert {p: p.read_bytes() for p in (ledger / "tasks").iterdir()} == before


def test_workbooks_read_on_both_cores_make_the_same_plan(
        cli: Any, ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`plan_updates` reads the returned workbooks on every core the ledger's source
    uses (`read_all`: openpyxl is most of a province's import): the plan — texts,
    problems, refused and ignored cells, senders, counts — is the one reading them one
    after another makes, and each workbook is read once, by one of two processes."""
    import os

    from luoshi_cli.excel import monthly
    from luoshi_cli.fast.source import FastSource

    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK5-01", {"本月进度 (%)": 70, "本月进展": "开工8个"},
          extra={"备注": "自加列"})
    wb = openpyxl.load_workbook(out / "区商务局.xlsx")
    wb.create_sheet("参考").append(["编号", "任务名称", "牵头单位", "进度"])  # a refused sheet
    wb["参考"].append(["BRK1-02", "x", "区商务局", 10])
    wb.save(out / "区商务局.xlsx")
    books = sorted(out.glob("*.xlsx"))
    plain = monthly.plan_updates(books, open_ledger(ledger).ledger, None)
    assert plain.texts and plain.ignored and plain.refused and not plain.problems
    log = tmp_path / "pids"
    real = monthly.read_rows

    def logged(path: Path, plan: Any) -> Any:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return real(path, plan)

    monkeypatch.setattr(monthly, "read_rows", logged)
    loaded = open_ledger(None, FastSource(ledger, cache=False, jobs=2,  # type: ignore[arg-type]
                                          parallel_min_bytes=0))
    both = monthly.plan_updates(books, loaded.ledger, None, loaded.spread)

    def seen(p: Any) -> tuple[Any, ...]:
        return (p.texts, p.units, p.updated, p.unchanged, p.refused, p.problems, p.ignored,
                p.changes, p.month, p.senders)

    assert seen(both) == seen(plain)
    pids = log.read_text(encoding="utf-8").split()
    assert len(pids) == len(books) == 31 and len(set(pids)) == 2
    # a workbook with a problem, and one that cannot be read: the same problems, and
    # the first refusal in the order the files were given
    _fill(out / "区商务局.xlsx", "BRK1-02", {"本月进度 (%)": "七十"})
    monkeypatch.setattr(monthly, "read_rows", real)
    plain = monthly.plan_updates(books, open_ledger(ledger).ledger, None)
    assert plain.problems
    assert seen(monthly.plan_updates(books, loaded.ledger, None, loaded.spread)) == seen(plain)
    (out / "区教育局.xlsx").write_bytes(b"not a zip")
    (out / "区财政局.xlsx").write_bytes(b"")
    with pytest.raises(monthly.SheetError) as one:
        monthly.plan_updates(books, open_ledger(ledger).ledger, None)
    with pytest.raises(monthly.SheetError) as two:
        monthly.plan_updates(books, loaded.ledger, None, loaded.spread)
    assert (two.value.label, two.value.code) == (one.value.label, one.value.code)
    assert "区教育局.xlsx" in str(one.value)


@pytest.mark.parametrize(("bom", "crlf"), [(True, False), (False, True), (True, True)])
def test_a_task_file_keeps_its_byte_order_mark_and_line_ends(
        cli: Any, ledger: Path, tmp_path: Path, bom: bool, crlf: bool) -> None:
    """A task file saved by Notepad (BOM) validates clean but could not be imported
    into (LS010: yaml-rs refuses the mark); one checked out with CRLF had every line
    rewritten with LF, and --dry-run hid it (audit).  The file keeps its form; the
    dry run and the write change the same lines."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK5-01", {"本月进度 (%)": 70, "本月进展": "开工8个"})
    task_file = next(p for p in (ledger / "tasks").iterdir()
                     if b"id: BRK5-01" in p.read_bytes())
    plain = task_file.read_bytes()
    raw = plain.replace(b"\n", b"\r\n") if crlf else plain
    task_file.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)
    args = ("import", "updates", out / "区发改委.xlsx", "--ledger", ledger, "--as-of", AS_OF)
    dry = cli(*args, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    after = task_file.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") == bom
    assert after.count(b"\r\n") == (after.count(b"\n") if crlf else 0)
    body = after.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").decode()
    new = [line for line in body.splitlines() if line not in plain.decode().splitlines()]
    assert any("开工8个" in line for line in new) and len(new) <= 4, new
    shown = [line[1:] for line in dry.stdout.splitlines()
             if line.startswith("+") and not line.startswith("+++")]
    assert shown == new
    again = cli(*args)
    assert again.exit_code == 0 and task_file.read_bytes() == after


def _two_tasks(write: Any, updates_1: str, updates_2: str) -> Path:
    head = "  category: econ\n  units: []\n  leaders: [li]\n  start: 2024-01-01\n" \
           "  standard: 全年\n  milestones:\n    - {due: 2024-12-31, standard: 完成}\n" \
           "  status: in_progress\n  progress: 30\n"
    return write({  # type: ignore[no-any-return]
        "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
        "units.yaml": "units:\n  - {id: a1, name: 甲局}\n  - {id: b2, name: 乙局}\n"
                      "leaders:\n  - {id: li, name: 李某某}\n",
        "tasks/a.yaml": f"- id: T-001\n  title: 项目一\n  lead: a1\n{head}{updates_1}"
                        f"- id: T-002\n  title: 项目二\n  lead: b2\n{head}{updates_2}",
    })


def _report(cli: Any, root: Path, tmp_path: Path, unit: str, task: str) -> Any:
    out = tmp_path / "out"
    r = cli("export", root, "--per-unit", "-o", out, "--month", "2024-04", "--as-of", "2024-04-30")
    assert r.exit_code == 0, r.stderr
    _fill(out / f"{unit}.xlsx", task, {"本月进度 (%)": 40, "本月进展": "乙局四月进展"})
    return cli("import", "updates", out / f"{unit}.xlsx", "--ledger", root,
               "--as-of", "2024-04-30")


def test_a_report_never_lands_in_another_task_through_an_alias(
        write: Any, cli: Any, tmp_path: Path) -> None:
    """T-002 shares T-001's updates list through an alias (validate is clean): 乙局's
    April report was appended inside T-001's list, so 甲局's task showed 乙局's
    report, and the --dry-run change list named only T-002 (audit).  The file cannot
    be edited safely: refused, naming the task, nothing written."""
    root = _two_tasks(write, "  updates: &u\n    - {month: \"2024-03\", progress: 30}\n",
                      "  updates: *u\n")
    before = (root / "tasks/a.yaml").read_bytes()
    r = _report(cli, root, tmp_path, "乙局", "T-002")
    assert r.exit_code == 1
    assert "无法安全地就地修改 tasks/a.yaml（要写入任务 T-002；文件的写法使就地修改不安全，如 YAML 别名（*）" in r.stderr, r.stderr
    assert (root / "tasks/a.yaml").read_bytes() == before


@pytest.mark.parametrize("updates", [
    "  updates:\n    -   month: \"2024-03\"\n        progress: 30\n",  # spaces after the dash
    "  updates:\n    -\n      month: \"2024-03\"\n      progress: 30\n",  # the dash alone
    "  updates:\n    - # 三月\n      month: \"2024-03\"\n      progress: 30\n",  # a comment
    "  updates:\n    - month: \"2024-03\"\n      progress: 30\n      note: |\n"
    "        三月：完成选址\n        已开工\n\n",  # a block note last, a blank line after it
    "  updates:\n    - month: \"2024-03\"\n      progress: 30\n      note: >-\n        三月\n",
])
def test_hand_written_update_lists_take_the_months_report(
        write: Any, cli: Any, tmp_path: Path, updates: str) -> None:
    """Valid hand-written layouts refused every unit's import (audit): an update
    written `-   month:` (the dash's column was taken as the item's less two), and
    an earlier update whose last value is block text (| or >)."""
    root = _two_tasks(write, "", updates)
    r = _report(cli, root, tmp_path, "乙局", "T-002")
    assert r.exit_code == 0, r.stderr
    t = {t.id: t for t in open_ledger(root).ledger.tasks}["T-002"]
    assert [(u.month, u.progress) for u in t.updates] == [("2024-03", 30), ("2024-04", 40)]
    assert t.updates[-1].note == "乙局四月进展"
    lines = (root / "tasks/a.yaml").read_text(encoding="utf-8").splitlines(True)
    added = [line for line in lines if "2024-04" in line]
    assert added == ['    - {month: "2024-04", progress: 40, note: 乙局四月进展}\n']
    lines.remove(added[0])
    assert "".join(lines).endswith(updates)  # every other byte as written


def test_a_sheet_is_not_filed_under_another_month(cli: Any, ledger: Path,
                                                   tmp_path: Path) -> None:
    """A June sheet imported with --month 2024-07 filed June's words as July's
    update, exit 0 (audit): the sheet's sealed month and --month must agree."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK5-01", {"本月进度 (%)": 70})
    r = cli("import", "updates", out / "区发改委.xlsx", "--ledger", ledger, "--as-of", AS_OF,
            "--month", "2024-07")
    assert r.exit_code == 2
    assert r.stderr.strip().endswith(
        "区发改委.xlsx 是 2024-06 的填报表，与 --month 2024-07 不符：请去掉 --month，或导入该月的填报表")


@pytest.mark.parametrize(("cell", "why"), [
    (date(2023, 12, 1), "节点完成日期 2023-12-01 早于任务 T-002 的开始日期 2024-01-01：请核对"),
    (-1, "节点完成日期 1899-12-29 早于任务 T-002 的开始日期 2024-01-01：请核对"),
    ("上旬", "节点完成日期应是日期，不是“上旬”"),
])
def test_a_done_date_before_the_task_began_is_refused(
        write: Any, cli: Any, tmp_path: Path, cell: Any, why: str) -> None:
    """A done date cannot be corrected by a later sheet (history is not rewritten):
    one before the task's start — 2023-12-01, or a date-formatted -1, which Excel
    shows as 1899-12-29 — was accepted, exit 0 (audit)."""
    root = _two_tasks(write, "", "")
    out = tmp_path / "out"
    assert cli("export", root, "--per-unit", "-o", out, "--month", "2024-04",
               "--as-of", "2024-04-30").exit_code == 0
    book = out / "乙局.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    c = ws.cell(_row(ws, "T-002"), _col(ws, "节点完成日期"))
    c.value = cell
    if cell == -1:
        c.number_format = "yyyy-mm-dd"
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", root, "--as-of", "2024-04-30")
    assert r.exit_code == 1
    assert why in r.stderr, r.stderr


def test_the_full_sheet_marks_every_milestone_done(write: Any, cli: Any,
                                                    tmp_path: Path) -> None:
    """A row of the full task sheet marking two milestones done imported the first
    alone, and a done cell that was not a date was dropped without a word."""
    root = write({
        "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
        "units.yaml": "units:\n  - {id: a1, name: 甲局}\nleaders:\n  - {id: li, name: 李某某}\n",
        "tasks/a.yaml": "- id: T-001\n  title: 项目一\n  lead: a1\n  category: econ\n"
                        "  leaders: [li]\n  start: 2024-01-01\n  standard: 全年\n  milestones:\n"
                        "    - {due: 2024-03-31, standard: 一季度}\n"
                        "    - {due: 2024-06-30, standard: 二季度}\n"
                        "  status: in_progress\n  progress: 30\n",
    })
    book = tmp_path / "full.xlsx"
    assert cli("export", root, "-o", book, "--as-of", "2024-06-30").exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["任务明细"]
    ws.cell(3, _col(ws, "节点1完成"), date(2024, 3, 28))
    ws.cell(3, _col(ws, "节点2完成"), "六月底")
    wb.save(book)
    args = ("import", "updates", book, "--ledger", root, "--month", "2024-06",
            "--as-of", "2024-06-30")
    r = cli(*args)
    assert r.exit_code == 1 and "节点完成日期应是日期，不是“六月底”" in r.stderr, r.stderr
    ws.cell(3, _col(ws, "节点2完成"), date(2024, 6, 27))
    wb.save(book)
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    t = open_ledger(root).ledger.tasks[0]
    assert [m.done for m in t.milestones] == [date(2024, 3, 28), date(2024, 6, 27)]


def test_digit_grouping_is_no_number(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """Python's Decimal reads "4_5" as 45: typed into 本月进度 it was imported as 45."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK5-01", {"本月进度 (%)": "4_5"})
    r = cli("import", "updates", out / "区发改委.xlsx", "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 1
    assert "本月进度应是 0–100 的数字，不是“4_5”" in r.stderr, r.stderr


def test_a_row_copied_within_a_sheet_is_named_as_such(cli: Any, ledger: Path,
                                                       tmp_path: Path) -> None:
    """A row duplicated within one sheet with other values was reported as "reported
    differently in two sheets" (audit)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "区发改委.xlsx"
    _fill(book, "BRK5-01", {"本月进度 (%)": 70})
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    r5 = _row(ws, "BRK5-01")
    copy_at = ws.max_row + 1
    for c in range(1, ws.max_column + 1):
        ws.cell(copy_at, c).value = ws.cell(r5, c).value
    ws.cell(copy_at, _col(ws, "本月进度 (%)")).value = 75
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 1
    assert (f"任务 BRK5-01 在同一张表中有两行，内容不同（区发改委.xlsx 本月填报!{r5}:{r5} 与本行："
            "本月进度 (%)“70”与“75”）：请删去一行") in r.stderr, r.stderr
    d = cli("import", "updates", tmp_path, "--ledger", ledger, "--as-of", AS_OF)
    assert d.exit_code == 2
    assert d.stderr.strip().endswith(f"{tmp_path} 不是文件（是文件夹或其他特殊文件）：请给出工作簿文件")


def test_the_office_closes_a_reported_task_on_a_fresh_full_sheet(cli: Any, ledger: Path,
                                                                 tmp_path: Path) -> None:
    """A full sheet exported after 区发改委's June report shows it (最新进展 “2024-06：…”):
    已完成 typed there is the office's decision and goes through — the month's update
    then says 100 (a first fix refused it at the 进度 cell the clerk had not touched)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "区发改委.xlsx", "BRK5-01", {"本月进度 (%)": 70, "本月进展": "开工8个"})
    assert cli("import", "updates", out / "区发改委.xlsx", "--ledger", ledger,
               "--as-of", AS_OF).exit_code == 0
    full = tmp_path / "ledger.xlsx"
    assert cli("export", ledger, "-o", full, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(full)
    ws = wb["任务台账"]
    ws.cell(_row(ws, "BRK5-01"), _col(ws, "状态"), "已完成")
    wb.save(full)
    r = cli("import", "updates", full, "--ledger", ledger, "--month", "2024-06", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    t = {t.id: t for t in open_ledger(ledger).ledger.tasks}["BRK5-01"]
    assert (t.status, t.progress, t.updates[-1].progress, t.updates[-1].note) == (
        "done", 100, 100, "开工8个")


@pytest.mark.parametrize("marked", [True, False])
def test_an_old_full_export_of_a_month_already_reported_does_not_roll_back(
        cli: Any, tmp_path: Path, marked: bool) -> None:
    """渭南's WN-009 had its June report when the office exported the full sheet; the
    lead's sheet then set 暂缓 and a new note.  The old full sheet's 最新进展 names June
    too, so it could not tell (newcomer walk): the hidden mark does — refused.  A full
    sheet without the mark (exported before it existed) falls back on 最新进展, which
    cannot tell here: it is imported as the office's edit (the documented limit)."""
    ledger = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, ledger)
    full = tmp_path / "full.xlsx"
    assert cli("export", ledger, "-o", full, "--as-of", "2021-06-30").exit_code == 0
    if not marked:
        wb = openpyxl.load_workbook(full)
        d = wb["任务明细"]
        d.delete_cols(next(c for c in range(1, d.max_column + 1)
                           if d.cell(2, c).value == "luoshi:sent"))
        wb.save(full)
    out = tmp_path / "out"
    assert cli("export", ledger, "--per-unit", "-o", out, "--month", "2021-06",
               "--as-of", "2021-06-30").exit_code == 0
    book = out / "崇业路街道.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    r9 = _row(ws, "WN-009")
    ws.cell(r9, _col(ws, "本月状态")).value = "暂缓"
    ws.cell(r9, _col(ws, "本月进展")).value = "因规划调整暂缓"
    wb.save(book)
    assert cli("import", "updates", book, "--ledger", ledger,
               "--as-of", "2021-06-30").exit_code == 0
    r = cli("import", "updates", full, "--ledger", ledger, "--month", "2021-06",
            "--as-of", "2021-06-30")
    t = {t.id: t for t in open_ledger(ledger).ledger.tasks}["WN-009"]
    if marked:
        assert r.exit_code == 1
        assert "任务 WN-009 在本表导出后已由填报更新" in r.stderr, r.stderr
        assert (t.status, t.updates[-1].note) == ("suspended", "因规划调整暂缓")
    else:
        assert r.exit_code == 0, r.stderr
        assert t.status == "in_progress"
