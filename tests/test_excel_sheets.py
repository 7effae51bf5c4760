"""`luoshi import tasks` on a workbook kept as one sheet per category: every sheet named
after a category is imported in one run, each problem on its own sheet!cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from test_excel_import import ledger  # noqa: F401  (fixture)

HEAD = ["任务名称", "牵头单位", "包抓领导", "完成时限"]
FIXTURES = Path(__file__).parent / "fixtures" / "excel"


def category_book(path: Path, city_lead: str = "区商务局", city_due: str = "2024-12-31"
                  ) -> Path:
    """A notes sheet, then 经济发展 (a category's name) and city (a category's id)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本表按类别分页"])
    ws = wb.create_sheet("经济发展")
    ws.append(HEAD)
    ws.append(["推进A", "区发改委", "张某某", "2024-06-30"])
    ws.append(["推进B", "区财政局", "李某某", "2024-09-30"])
    ws = wb.create_sheet("city")
    ws.append(HEAD)
    ws.append(["整治C", city_lead, "张某某", city_due])
    wb.save(path)
    return path


def test_every_category_sheet_is_imported_in_one_run(cli: Any, ledger: Path,  # noqa: F811
                                                     tmp_path: Path) -> None:
    book = category_book(tmp_path / "book.xlsx")
    r = cli("import", "tasks", book, ledger, "--as-of", "2024-05-31", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    tasks = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [(t["id"], t["title"], t["category"]) for t in tasks] == [
        ("IMP-001", "推进A", "econ"), ("IMP-002", "推进B", "econ"), ("IMP-003", "整治C", "city")]
    lines = r.stderr.splitlines()
    assert ("note: these sheets are not named after a category of luoshi.yaml and were not "
            "imported (import one with --sheet and --category) [说明]") in lines
    assert "note: no standard: the title is used [经济发展!A2, 经济发展!A3, city!A2]" in lines
    assert lines[-1] == (f"imported 3 tasks from sheet 经济发展, city into "
                         f"{ledger / 'tasks' / 'imported.yaml'}")
    text = (ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../.luoshi/schema/tasks.schema.json\n"
                           "# luoshi import tasks book.xlsx (sheets 经济发展, city)\n"
                           "# 经济发展: 2 tasks\n# city: 1 task\n")


def test_a_problem_keeps_its_sheet(cli: Any, ledger: Path, tmp_path: Path) -> None:  # noqa: F811
    book = category_book(tmp_path / "book.xlsx", city_lead="区水务局")
    r = cli("import", "tasks", book, ledger, "--as-of", "2024-05-31", "--lang", "en")
    assert r.exit_code == 1
    assert [line for line in r.stderr.splitlines() if line.startswith(("经济发展!", "city!"))
            ] == ["city!B2: unit '区水务局' is not in units.yaml: check the name, or add it "
                  "to units.yaml"]
    assert not (ledger / "tasks" / "imported.yaml").exists()


def test_sheet_picks_one_and_its_name_gives_the_category(cli: Any, ledger: Path,  # noqa: F811
                                                         tmp_path: Path) -> None:
    book = category_book(tmp_path / "book.xlsx")
    r = cli("import", "tasks", book, ledger, "--sheet", "city", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    tasks = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [(t["id"], t["category"]) for t in tasks] == [("IMP-001", "city")]


def test_a_validation_finding_keeps_its_sheet(cli: Any, ledger: Path,  # noqa: F811
                                              tmp_path: Path) -> None:
    """Findings of the ledger check (run on the generated file) go back to the task's own
    sheet, not the first one."""
    book = category_book(tmp_path / "book.xlsx", city_due="2024-03-31")
    r = cli("import", "tasks", book, ledger, "--as-of", "2024-05-31", "--start", "2024-04-01",
            "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert ("note: luoshi validate will warn LS212 (milestone before the task starts) after "
            "the import [city!D2]") in r.stderr.splitlines()


def test_output_luoshi_will_not_read_is_a_warning(cli: Any, ledger: Path,  # noqa: F811
                                                  tmp_path: Path) -> None:
    """-o outside files.tasks (or outside the ledger) still writes, with a warning that
    luoshi will not read the file."""
    book = category_book(tmp_path / "book.xlsx")
    r = cli("import", "tasks", book, ledger, "-o", ledger / "notes" / "x.yaml",
            "--as-of", "2024-05-31", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert ("note: notes/x.yaml does not match files.tasks (tasks/*.yaml) in luoshi.yaml; "
            "luoshi will not read it") in r.stderr.splitlines()
    assert (ledger / "notes" / "x.yaml").is_file()
    out = tmp_path / "out.yaml"
    r = cli("import", "tasks", book, ledger, "-o", out, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    # -o is read from the current directory: the note names the ledger and the -o that
    # writes into it (a clerk who typed `-o tasks/x.yaml` outside the ledger sees why)
    assert (f"说明：{out} 不在台账目录 {ledger} 中，luoshi 不会读取它（-o 按当前目录解析：写入台账"
            f"请用 -o {ledger / 'tasks' / 'out.yaml'}）") in r.stderr.splitlines()
    assert out.is_file()


def test_messages_name_the_ledger_as_typed(cli: Any, ledger: Path,  # noqa: F811
                                           tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The ledger's root is absolute once loaded (a library caller may chdir), but the
    import's messages still name the ledger as the user typed it: a relative path
    stays relative."""
    book = category_book(tmp_path / "book.xlsx")
    monkeypatch.chdir(ledger.parent)
    r = cli("import", "tasks", book, ledger.name, "-o", "out.yaml", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert (f"说明：out.yaml 不在台账目录 {ledger.name} 中，luoshi 不会读取它（-o 按当前目录解析："
            f"写入台账请用 -o {ledger.name}/tasks/out.yaml）") in r.stderr.splitlines()
    r = cli("import", "tasks", book, ledger.name, "--as-of", "2024-05-31", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert f"into {ledger.name}/tasks/imported.yaml" in r.stderr


HIDDEN_NOTE = ("note: these sheets are hidden (or their task details sheet is) and were not imported "
               "although luoshi recognises their header: what a reader cannot see is not "
               "read (check and unhide them, or name one with --sheet) [{}]")


def hidden_first(path: Path, state: str = "hidden") -> Path:
    """An old copy of the sheet kept hidden (or 'very hidden') before the real one."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "旧表"
    ws.append(HEAD)
    ws.append(["去年的任务", "区发改委", "张某某", "2023-12-31"])
    ws.sheet_state = state
    ws = wb.create_sheet("任务表")
    ws.append(HEAD)
    ws.append(["推进A", "区发改委", "张某某", "2024-06-30"])
    wb.active = 1
    wb.save(path)
    return path


@pytest.mark.parametrize("book", ["hidden.xlsx", "veryHidden.xlsx", "hidden-first.xls"])
def test_a_hidden_sheet_is_never_read_instead_of_the_visible_one(
        cli: Any, ledger: Path, tmp_path: Path, book: str) -> None:  # noqa: F811
    """The hidden 旧表 was imported and the visible 任务表 named as "not imported" (audit
    item 9), in .xlsx and .xls alike.  (hidden-first.xls was written by xlwt: 旧表 with
    visibility 1, then 任务表, the rows of `hidden_first`.)"""
    path = (FIXTURES / book if book.endswith(".xls")
            else hidden_first(tmp_path / book, book.split(".")[0]))
    r = cli("import", "tasks", path, ledger, "--category", "econ", "--as-of", "2024-05-31",
            "--lang", "en")
    assert r.exit_code == 0, r.stderr
    tasks = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [t["title"] for t in tasks] == ["推进A"]
    lines = r.stderr.splitlines()
    assert HIDDEN_NOTE.format("旧表") in lines
    assert not any("have a task header too" in line for line in lines)
    assert lines[-1].startswith("imported 1 tasks from sheet 任务表 into ")
    # named with --sheet, it is read: the clerk chose it
    r = cli("import", "tasks", path, ledger, "--sheet", "旧表", "-o", tmp_path / "old.yaml",
            "--category", "econ", "--as-of", "2024-05-31", "--lang", "en")
    assert "去年的任务" in (tmp_path / "old.yaml").read_text(encoding="utf-8"), r.stderr


def test_a_hidden_category_sheet_is_named_not_imported(cli: Any, ledger: Path,  # noqa: F811
                                                       tmp_path: Path) -> None:
    """A workbook kept as one sheet per category imported a hidden category sheet with
    no word (audit item 9): it is skipped and named."""
    path = category_book(tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("城市更新")
    ws.append(HEAD)
    ws.append(["隐藏的任务", "区发改委", "张某某", "2024-06-30"])
    ws.sheet_state = "hidden"
    wb.save(path)
    r = cli("import", "tasks", path, ledger, "--as-of", "2024-05-31", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    tasks = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [t["title"] for t in tasks] == ["推进A", "推进B", "整治C"]
    assert HIDDEN_NOTE.format("城市更新") in r.stderr.splitlines()


def test_only_hidden_sheets_have_a_header(cli: Any, ledger: Path,  # noqa: F811
                                         tmp_path: Path) -> None:
    path = hidden_first(tmp_path / "h.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb["任务表"]
    wb.create_sheet("说明").append(["本表说明"])
    wb.active = 1
    wb.save(path)
    r = cli("import", "tasks", path, ledger, "--as-of", "2024-05-31", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: every sheet of {path} with a header luoshi recognises is hidden (旧表): what "
        "a reader cannot see is not read; check it and unhide it, or name it with --sheet\n"))


def test_a_hidden_score_sheet_is_not_read(cli: Any, example: Path, tmp_path: Path) -> None:
    """`import scores` picks its sheet the same way."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "上季度"
    ws.append(["单位", "hotline"])
    ws.append(["崇业路街道", 60])
    ws.sheet_state = "hidden"
    ws = wb.create_sheet("本季度")
    ws.append(["单位", "hotline"])
    ws.append(["崇业路街道", 88])
    wb.active = 1
    wb.save(tmp_path / "s.xlsx")
    (example / "records" / "2021-Q2.yaml").unlink()
    out = tmp_path / "o.yaml"
    r = cli("import", "scores", tmp_path / "s.xlsx", example, "--period", "2021-Q2", "-o", out,
            "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert "hotline: 88" in out.read_text(encoding="utf-8")
    assert HIDDEN_NOTE.format("上季度") in r.stderr.splitlines()
