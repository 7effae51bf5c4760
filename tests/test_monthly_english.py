"""The monthly cycle of an English ledger: the per-unit workbooks in English, read
back (and a unit's older Chinese sheet beside them), the messages in English only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from luoshi_cli.load.assemble import open_ledger

AS_OF = "2024-06-30"

CONFIG = """\
title: Key tasks ledger 2024
issuer: District Supervision Office
year: 2024
language: en
categories:
  - {id: key, name: Key tasks}
"""
UNITS = """\
units:
  - {id: approval, name: Approval Bureau}
  - {id: commerce, name: Commerce Bureau}
  - {id: east-gate, name: East Gate Subdistrict}
leaders:
  - {id: wang, name: Wang Ming, title: Deputy District Head}
"""
TASKS = """\
- id: K-01
  title: Hold consumer fairs
  category: key
  lead: commerce
  units: [east-gate]
  leaders: [wang]
  start: 2024-01-01
  standard: Six fairs in the year
  milestones:
    - {due: 2024-06-30, standard: Three fairs held}
    - {due: 2024-12-31, standard: Six fairs held}
  status: in_progress
  progress: 50
  updates:
    - {month: "2024-05", progress: 50, note: Two fairs held}

- id: K-02
  title: One-window service
  category: key
  lead: approval
  leaders: [wang]
  start: 2024-01-01
  standard: Twenty services in one window
  milestones:
    - {due: 2024-12-31, standard: Twenty services}
  status: in_progress
  progress: 40
  updates:
    - {month: "2024-05", progress: 40, note: Ten services}
"""


@pytest.fixture
def ledger(write: Any) -> Path:
    root: Path = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/key.yaml": TASKS})
    return root


def _export(cli: Any, ledger: Path, out: Path, *lang: str) -> None:
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-06",
            *lang)
    assert r.exit_code == 0, r.stderr


def _fill(book: Path, task: str, cells: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    heads = {ws.cell(2, c).value: c for c in range(1, ws.max_column + 1)}
    r = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == task)
    for header, value in cells.items():
        ws.cell(r, heads[header]).value = value
    wb.save(book)


def _cjk(text: str) -> bool:
    return any(ch >= "\u2e80" for ch in text)


def test_an_english_ledgers_unit_sheet_is_english(cli: Any, ledger: Path,
                                                   tmp_path: Path) -> None:
    """`language: en` gave a Chinese sheet: 本月填报 and 填报说明, headers 编号 … 实际完成值,
    the drop-down 推进中,已完成,暂缓, prompts 请填写 0–100 之间的数字, and the title
    "Key tasks ledger 2024 2024-06 月度进展填报（Commerce Bureau）".  Every word of it is
    English now; the hidden marks are the same in either language."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "Approval Bureau.xlsx", "Commerce Bureau.xlsx", "East Gate Subdistrict.xlsx"]
    wb = openpyxl.load_workbook(out / "Commerce Bureau.xlsx")
    assert wb.sheetnames == ["Monthly report", "Instructions"]
    ws = wb["Monthly report"]
    assert [ws.cell(1, c).value for c in (1, 2, 4)] == [
        "luoshi-month:2024-06", "luoshi-unit:commerce",
        "Key tasks ledger 2024: progress report for 2024-06 (Commerce Bureau)"]
    assert [ws.cell(2, c).value for c in range(1, 18)] == [
        "luoshi:id", "luoshi:hash", "luoshi:node", "ID", "Title", "Lead unit", "Standard",
        "Milestone due", "Milestone standard", "Last month (%)", "Progress this month (%)",
        "Update this month", "Problems", "Milestone done on", "Status this month",
        "Target value", "Actual value"]
    assert [ws.cell(3, c).value for c in range(4, 11)] == [
        "K-01", "Hold consumer fairs", "Commerce Bureau", "Six fairs in the year",
        ws.cell(3, 8).value, "Three fairs held", 50]
    assert ws.cell(3, 15).value == "in progress"  # the status, as the drop-down words it
    checks = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert checks["list"].formula1 == '"in progress,done,suspended"'
    assert (checks["decimal"].errorTitle, checks["decimal"].error) == (
        "Progress this month (%)", "Type a number from 0 to 100")
    assert (checks["date"].errorTitle, checks["date"].error) == (
        "Milestone done on", "Type a date, e.g. 2024-06-20")
    guide = [row[0] for row in wb["Instructions"].iter_rows(values_only=True)]
    assert guide[0] == "Instructions" and len(guide) == 8
    assert guide[2].startswith("2. Fill in only the white columns: Progress this month (%) "
                               "(a number from 0 to 100), Update this month, Problems,")
    texts = [str(c.value) for sheet in wb for row in sheet.iter_rows() for c in row
             if c.value is not None]
    assert [t for t in texts if _cjk(t)] == []
    # --lang zh gives the Chinese sheet of the same ledger, and --lang en an English
    # one of a Chinese ledger (the option beats luoshi.yaml)
    zh = tmp_path / "zh"
    _export(cli, ledger, zh, "--lang", "zh")
    wb = openpyxl.load_workbook(zh / "Commerce Bureau.xlsx")
    assert wb.sheetnames == ["本月填报", "填报说明"]
    assert wb["本月填报"].cell(2, 4).value == "编号"
    assert wb["本月填报"].cell(1, 4).value == "Key tasks ledger 2024 2024-06 月度进展填报（Commerce Bureau）"


def test_english_and_chinese_sheets_come_back(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """The English sheet is read back by its English headers and status words, beside
    a unit's Chinese sheet of the same month; a done date typed the way the English
    bulletin prints one (28 June 2024) is a date (it was refused: "节点完成日期 must be
    a date, not '28 June 2024'"), and the messages name the English columns (they said
    "本月进度 30 is below last month's 50")."""
    out, zh = tmp_path / "out", tmp_path / "zh"
    _export(cli, ledger, out)
    _export(cli, ledger, zh, "--lang", "zh")
    _fill(out / "Commerce Bureau.xlsx", "K-01", {
        "Progress this month (%)": 30, "Update this month": "Three fairs held",
        "Problems": "A venue fell through", "Milestone done on": "28 June 2024",
        "Status this month": "suspended"})
    # the approval bureau kept the Chinese sheet of the same month
    _fill(zh / "Approval Bureau.xlsx", "K-02", {"本月进度 (%)": 60, "本月进展": "Fifteen services",
                                                "本月状态": "推进中"})
    books = [out / "Commerce Bureau.xlsx", zh / "Approval Bureau.xlsx"]
    r = cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF)
    assert (r.exit_code, r.stderr.splitlines()) == (0, [
        "Commerce Bureau.xlsx 'Monthly report'!K3: Progress this month (%) 30 is below last "
        "month's 50: check it (imported)",
        "  Commerce Bureau.xlsx (2024-06): as commerce (Commerce Bureau); updated 1",
        "  Approval Bureau.xlsx (2024-06): as approval (Approval Bureau); updated 1",
        "units 2, tasks updated 2, unchanged 0, refused cells 0"])
    tasks = {t.id: t for t in open_ledger(ledger).ledger.tasks}
    k1, k2 = tasks["K-01"], tasks["K-02"]
    assert (k1.status, k1.progress, str(k1.milestones[0].done)) == ("suspended", 30,
                                                                    "2024-06-28")
    u = k1.updates[-1]
    assert (u.month, u.progress, u.note, u.problems) == (
        "2024-06", 30, "Three fairs held", "A venue fell through")
    assert (k2.status, k2.progress, k2.updates[-1].note) == ("in_progress", 60,
                                                             "Fifteen services")
    # the same files again: nothing changes
    again = cli("import", "updates", *books, "--ledger", ledger, "--as-of", AS_OF)
    assert again.stderr.splitlines()[-1] == "units 2, tasks updated 0, unchanged 2, refused cells 0"


@pytest.mark.parametrize(("cells", "message"), [
    ({"Progress this month (%)": 130},
     "Progress this month (%) must be a number 0–100, not '130'"),
    ({"Status this month": "closed"},
     "Status this month 'closed' is not the unit's to set (the choices: in progress, done, "
     "suspended; closing is the office's procedure)"),
    ({"Status this month": "stalled"},
     "Status this month 'stalled' is not one of the choices (in progress, done, suspended)"),
    ({"Status this month": "Done", "Progress this month (%)": 80},
     "Status this month 'done' needs Progress this month (%) 100 (or empty), not 80"),
    ({"Milestone done on": "end of June"},
     "Milestone done on must be a date, not 'end of June'"),
    ({"Actual value": 3}, "task K-01 has no numeric target (Target value): Actual value '3' "
                          "cannot be imported"),
])
def test_problems_on_an_english_sheet_are_said_in_english(cli: Any, ledger: Path,
                                                          tmp_path: Path, cells: dict[str, Any],
                                                          message: str) -> None:
    """Each problem of a returned English sheet names its column by the English header
    (they said 本月状态, 本月进度, 节点完成日期, 实际完成值 and 目标值 inside English lines,
    and called the status words by their Chinese names)."""
    out = tmp_path / "out"
    _export(cli, ledger, out)
    _fill(out / "Commerce Bureau.xlsx", "K-01", cells)
    r = cli("import", "updates", out / "Commerce Bureau.xlsx", "--ledger", ledger,
            "--as-of", AS_OF)
    assert r.exit_code == 1
    ref = {"Progress this month (%)": "K3", "Status this month": "O3",
           "Milestone done on": "N3", "Actual value": "Q3"}
    where = ref["Status this month" if "Status this month" in cells else next(iter(cells))]
    assert r.stderr.splitlines()[0] == f"Commerce Bureau.xlsx 'Monthly report'!{where}: {message}"
    assert not _cjk(r.stderr)


def test_the_full_english_sheet_is_named_as_it_is(cli: Any, ledger: Path,
                                                  tmp_path: Path) -> None:
    """`import updates` of an English full export named it "the full 任务台账 sheet";
    the summary names the sheet the workbook has (Tasks), and the English full sheet
    is read back by its English headers."""
    book = tmp_path / "full.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(book)
    ws = wb["Tasks"]
    heads = [c.value for c in ws[2]]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "K-02")
    ws.cell(row, heads.index("Progress") + 1).value = 55
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06",
            "--as-of", AS_OF)
    assert (r.exit_code, r.stderr.splitlines()) == (0, [
        "  full.xlsx (2024-06): the full Tasks sheet; updated 1",
        "units 1, tasks updated 1, unchanged 1, refused cells 0"])
    k2 = next(t for t in open_ledger(ledger).ledger.tasks if t.id == "K-02")
    assert (k2.progress, k2.updates[-1].month, k2.updates[-1].progress) == (55, "2024-06", 55)


def test_the_seal_guards_an_english_sheet(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """The English sheet carries the same hidden cells and seal: B1 edited to another
    unit is refused at the row's hash cell, and a formula-like title comes out inert."""
    (ledger / "tasks" / "key.yaml").write_text(
        TASKS.replace("title: Hold consumer fairs", "title: '=HYPERLINK(\"http://x\",\"go\")'"),
        encoding="utf-8")
    out = tmp_path / "out"
    _export(cli, ledger, out)
    book = out / "Commerce Bureau.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Monthly report"]
    assert (ws["E3"].value, ws["E3"].data_type) == ("'=HYPERLINK(\"http://x\",\"go\")", "s")
    ws["B1"] = "luoshi-unit:approval"
    ws["K3"] = 60
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "Commerce Bureau.xlsx 'Monthly report'!B3: task K-01: the row's hidden cells (columns "
        "A–C, or the month in A1 or the unit approval in B1) were edited or cleared after the "
        "export: not imported; export the unit's sheet again")
