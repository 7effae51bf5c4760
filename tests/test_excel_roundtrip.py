"""Export a ledger, import its 任务台账 sheet back: the same tasks come out."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import BEILIN, EXAMPLE, edit
from luoshi_cli.excel.export import id_key
from luoshi_cli.load.assemble import open_ledger

FIELDS = ("id", "title", "category", "lead", "units", "cooperating", "leaders", "start",
          "standard", "milestones", "status", "progress", "closed", "note")


@pytest.mark.parametrize(("source", "as_of", "lang"), [
    (EXAMPLE, "2021-06-30", "zh"),
    (BEILIN, "2024-05-31", "zh"),
    (BEILIN, "2024-05-31", "en"),
])
def test_round_trip(cli: Any, tmp_path: Path, source: Path, as_of: str, lang: str) -> None:
    book = tmp_path / "ledger.xlsx"
    r = cli("export", source, "-o", book, "--as-of", as_of, "--lang", lang)
    assert r.exit_code == 0, r.stderr
    copy = tmp_path / "copy"
    shutil.copytree(source, copy)
    for f in (copy / "tasks").glob("*.yaml"):
        f.unlink()
    out = copy / "tasks" / "all.yaml"
    r = cli("import", "tasks", book, copy, "-o", out, "--as-of", as_of)
    assert r.exit_code == 0, r.stderr
    # the sheet lists tasks by id (file order is not part of a ledger's meaning)
    before = sorted(open_ledger(source).ledger.tasks, key=lambda t: id_key(t.id))
    after = open_ledger(copy).ledger.tasks
    assert [t.id for t in after] == [t.id for t in before]
    for a, b in zip(before, after, strict=True):
        for name in FIELDS:
            assert getattr(b, name) == getattr(a, name), (a.id, name)
        # the last monthly report comes back as that month's update
        if a.updates and a.updates[-1].note:
            assert b.updates[-1].month == a.updates[-1].month
            assert b.updates[-1].note == a.updates[-1].note
    v = cli("validate", copy, "--as-of", as_of)
    assert v.exit_code == 0, v.stdout
    assert v.stdout == ""


def test_round_trip_formula_like_text(cli: Any, tmp_path: Path) -> None:
    """Text a spreadsheet would run as a formula is exported with one leading quote
    (inert in Excel), and import takes exactly that quote off again."""
    import openpyxl

    source = tmp_path / "source"
    shutil.copytree(EXAMPLE, source)
    projects = source / "tasks" / "projects.yaml"
    text = projects.read_text(encoding="utf-8")
    for old, new in [
        ("title: 市级重点项目前期手续集中办结", "title: '=HYPERLINK(\"http://x\",\"点我\")'"),
        ("title: 重点项目常态化集中开工", "title: \"@SUM(1)\""),
        ("standard: 列入市级重点项目的前期手续3月底前全部办结", "standard: \"-1+2 办结\""),
        ("standard: 梳理形成重点项目手续清单", "standard: \"+清单\""),
        ("standard: 累计开工6个", "standard: \"'=已有引号\""),
        ("standard: 累计开工12个", "standard: \"''两个引号\""),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    projects.write_text(text, encoding="utf-8")
    as_of = "2021-06-30"
    book = tmp_path / "ledger.xlsx"
    r = cli("export", source, "-o", book, "--as-of", as_of)
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(book)
    # titles on the printed sheet, standards on 任务明细
    cells = {c.value: c.data_type for ws in (wb["任务台账"], wb["任务明细"])
             for row in ws.iter_rows(min_row=3) for c in row if isinstance(c.value, str)}
    for shown in ("'=HYPERLINK(\"http://x\",\"点我\")", "'@SUM(1)", "'-1+2 办结", "'+清单",
                  "''=已有引号", "'''两个引号"):
        assert cells[shown] == "s", shown
    copy = tmp_path / "copy"
    shutil.copytree(source, copy)
    for f in (copy / "tasks").glob("*.yaml"):
        f.unlink()
    out = copy / "tasks" / "all.yaml"
    r = cli("import", "tasks", book, copy, "-o", out, "--as-of", as_of)
    assert r.exit_code == 0, r.stderr
    # the sheet lists tasks by id (file order is not part of a ledger's meaning)
    before = sorted(open_ledger(source).ledger.tasks, key=lambda t: id_key(t.id))
    after = open_ledger(copy).ledger.tasks
    for a, b in zip(before, after, strict=True):
        for name in FIELDS:
            assert getattr(b, name) == getattr(a, name), (a.id, name)
    titles = {t.title for t in after}
    assert {'=HYPERLINK("http://x","点我")', "@SUM(1)"} <= titles
    standards = {m.standard for t in after for m in t.milestones}
    assert {"+清单", "'=已有引号", "''两个引号"} <= standards


@pytest.mark.parametrize(("lang", "other"), [("zh", "民生实事"), ("en", "More tasks")])
def test_own_export_names_no_detail_or_summary_sheet_as_not_imported(
        cli: Any, tmp_path: Path, lang: str, other: str) -> None:
    """任务明细 is read onto the 任务台账 rows and 汇总 holds counts: the note on sheets
    left out names neither (the clerk would import them again), only a sheet the
    office added with a task header of its own."""
    import openpyxl

    book = tmp_path / "ledger.xlsx"
    r = cli("export", EXAMPLE, "-o", book, "--as-of", "2021-12-31", "--lang", lang)
    assert r.exit_code == 0, r.stderr
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLE, copy)
    for f in (copy / "tasks").glob("*.yaml"):
        f.unlink()
    r = cli("--lang", lang, "import", "tasks", book, copy, "--as-of", "2021-12-31")
    assert r.exit_code == 0, r.stderr
    assert "task header" not in r.stderr and "任务表头" not in r.stderr
    wb = openpyxl.load_workbook(book)
    ws = wb.create_sheet(other)
    ws.append(["序号", "任务名称", "牵头单位"])
    ws.append([1, "推进A", "区发改委"])
    wb.save(book)
    (copy / "tasks" / "imported.yaml").unlink()
    r = cli("--lang", lang, "import", "tasks", book, copy, "--as-of", "2021-12-31")
    assert r.exit_code == 0, r.stderr
    note = {"zh": "说明：这些工作表也有任务表头，但未导入（每次导入一个工作表：可用 --sheet 逐个导入"
                  "到不同的 -o 文件） [民生实事]",
            "en": "note: these sheets have a task header too but were not imported (one sheet "
                  "per import: import each with --sheet into its own -o file) [More tasks]"}
    assert note[lang] in r.stderr.splitlines()


def test_a_task_note_comes_back(cli: Any, write: Any, tmp_path: Path) -> None:
    """A 进展情况 without a month is the task's `note`; `export` did not write it, so the
    office's text vanished from the workbook and from the ledger imported back.  It is
    任务明细's 情况说明, read back as the note; `import updates` reads an unedited full
    sheet as before: nothing changes, no column is named as ignored."""
    import openpyxl

    from test_excel_import import CONFIG, UNITS

    ledger = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务表"
    for row in (["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "进度", "进展情况"],
                [1, "推进A", "区发改委", "张某某", "6月底", 35, "已开工3个\n另有2个完成立项"],
                [2, "推进B", "区财政局", "李某某", "年底", 20, "2024-05：完成选址"]):
        ws.append(row)
    wb.save(tmp_path / "台账.xlsx")
    r = cli("import", "tasks", tmp_path / "台账.xlsx", ledger, "--category", "econ",
            "--start", "2024-01-01", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    book = tmp_path / "ledger.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    details = openpyxl.load_workbook(book)["任务明细"]
    heads = [c.value for c in details[2]]
    assert heads[-3:] == ["最新进展", "情况说明", "luoshi:sent"]
    assert [c.value for c in details[3]][-2] == "已开工3个\n另有2个完成立项"
    copy = tmp_path / "copy"
    shutil.copytree(ledger, copy)
    (copy / "tasks" / "imported.yaml").unlink()
    r = cli("import", "tasks", book, copy, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    before = {t.id: t for t in open_ledger(ledger).ledger.tasks}
    after = {t.id: t for t in open_ledger(copy).ledger.tasks}
    assert [(t.note, t.updates) for t in after.values()] == \
        [(t.note, t.updates) for t in before.values()]
    assert after["IMP-001"].note == "已开工3个\n另有2个完成立项"
    assert after["IMP-002"].note is None
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-05",
            "--as-of", "2024-05-31")
    assert (r.exit_code, r.stderr) == (
        0, "  ledger.xlsx（2024-05）：任务台账全表，更新任务 0 个\n"
           "单位 0 个，更新任务 0 个，未变 2 个，拒绝单元格 0 个\n")


def test_english_names_with_spaces_round_trip(cli: Any, tmp_path: Path) -> None:
    """An English ledger re-imports its own workbook.  `import tasks` split a name cell
    at every space: "East Gate Subdistrict, District Civil Affairs Bureau" became the
    words East, Gate, … ('District' ambiguous between four units) and "Wang Ming, Li
    Hua" the leaders Ming and Hua by partial match — exit 1, nothing written.  Export
    joins several English names with ", "; a space between Latin words is now part of
    a name, and a name holding the separator itself (a unit named "Office of Housing,
    Land and Planning") comes back whole."""
    ledger = tmp_path / "enr"
    r = cli("init", ledger, "--lang", "en", "--year", "2024")
    assert r.exit_code == 0, r.stderr
    edit(ledger / "units.yaml", "  - {id: office,",
         "  - {id: ohlp, name: 'Office of Housing, Land and Planning', kind: department}\n"
         "  - {id: office,")
    econ = ledger / "tasks" / "econ.yaml"
    edit(econ, "units: [east-gate]", "units: [east-gate, civil]")
    edit(econ, "leaders: [wang]", "leaders: [wang, li]")
    edit(econ, "  units: []", "  units: [ohlp, drc]\n  cooperating: [ohlp]")
    book = tmp_path / "enr.xlsx"
    as_of = "2024-12-15"
    r = cli("export", ledger, "-o", book, "--as-of", as_of)
    assert r.exit_code == 0, r.stderr
    copy = tmp_path / "copy"
    shutil.copytree(ledger, copy)
    for f in (copy / "tasks").glob("*.yaml"):
        f.unlink()
    r = cli("import", "tasks", book, copy, "--as-of", as_of)
    assert (r.exit_code, r.stderr) == (
        0, f"imported 4 tasks from sheet Tasks into {copy / 'tasks' / 'imported.yaml'}\n")
    before = {t.id: t for t in open_ledger(ledger).ledger.tasks}
    after = {t.id: t for t in open_ledger(copy).ledger.tasks}
    assert sorted(after) == sorted(before) == ["CT-01", "EC-01", "EC-02", "PS-01"]
    for ident, a in before.items():
        for name in FIELDS:
            assert getattr(after[ident], name) == getattr(a, name), (ident, name)
    assert (after["EC-01"].units, after["EC-01"].leaders) == (("east-gate", "civil"),
                                                              ("wang", "li"))
    assert (after["EC-02"].units, after["EC-02"].cooperating) == (("ohlp", "drc"), ("ohlp",))


_PROBLEM_TASKS = """\
- id: T-1
  title: 推进A
  category: econ
  lead: fgw
  leaders: [zhang]
  start: 2024-01-01
  standard: 年底建成
  milestones:
    - {due: 2024-06-30, standard: 完成选址, note: 节点备注}
    - {due: 2024-12-31, standard: 年底建成}
  status: in_progress
  progress: 50
  updates:
    - {month: "2024-05", progress: 50, note: 五月进展, problems: 五月问题}
- id: T-2
  title: 推进B
  category: econ
  lead: czj
  leaders: [li]
  start: 2024-01-01
  standard: 年底完成
  milestones:
    - {due: 2024-12-31, standard: 年底完成}
  status: in_progress
  progress: 20
  updates:
    - {month: "2024-05", progress: 20, problems: 只有问题}
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problems_and_milestone_notes_come_back(cli: Any, write: Any, tmp_path: Path,
                                                lang: str) -> None:
    """The last monthly report's 存在问题 and each milestone's note are the user's words:
    `export` left both out of the workbook, so `import tasks` of it gave back the
    report without its problems and the milestones without their notes (audit).
    任务明细 now has 存在问题 beside 最新进展 (a report with problems but no 进展 is
    written as its month alone, "2024-05：") and 节点N备注 after each 节点N完成, and
    `import tasks` reads them back."""
    import openpyxl

    from test_excel_import import CONFIG, UNITS

    ledger = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                    "tasks/t.yaml": _PROBLEM_TASKS})
    book = tmp_path / "r.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", "2024-05-31", "--lang", lang)
    assert r.exit_code == 0, r.stderr
    details = openpyxl.load_workbook(book)[
        "任务明细" if lang == "zh" else "Task details"]
    heads = [c.value for c in details[2]]
    rows = [[c.value for c in row] for row in details.iter_rows(min_row=3)]
    got = [dict(zip(heads, row, strict=True)) for row in rows]
    if lang == "zh":
        assert heads[6:] == ["节点1时限", "节点1标准", "节点1完成", "节点1备注",
                             "节点2时限", "节点2标准", "节点2完成", "节点2备注",
                             "最新进展", "存在问题", "luoshi:sent"]
        assert [(g["节点1备注"], g["节点2备注"], g["最新进展"], g["存在问题"]) for g in got] == [
            ("节点备注", None, "2024-05：五月进展", "五月问题"),
            (None, None, "2024-05：", "只有问题")]
    else:
        assert heads[6:] == ["Milestone 1 due", "Milestone 1 standard", "Milestone 1 done",
                             "Milestone 1 note", "Milestone 2 due", "Milestone 2 standard",
                             "Milestone 2 done", "Milestone 2 note", "Latest update",
                             "Problems", "luoshi:sent"]
        assert [(g["Milestone 1 note"], g["Latest update"], g["Problems"]) for g in got] == [
            ("节点备注", "2024-05: 五月进展", "五月问题"), (None, "2024-05:", "只有问题")]
    copy = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS}, tmp_path / "copy")
    r = cli("import", "tasks", book, copy, "--as-of", "2024-05-31", "--month", "2024-05")
    assert r.exit_code == 0, r.stderr
    after = {t.id: t for t in open_ledger(copy).ledger.tasks}
    assert [(u.month, u.progress, u.note, u.problems) for u in after["T-1"].updates] == [
        ("2024-05", 50, "五月进展", "五月问题")]
    assert [(u.month, u.progress, u.note, u.problems) for u in after["T-2"].updates] == [
        ("2024-05", 20, None, "只有问题")]
    assert [(str(m.due), m.note) for m in after["T-1"].milestones] == [
        ("2024-06-30", "节点备注"), ("2024-12-31", None)]


def test_export_names_the_fields_it_has_no_column_for(cli: Any, write: Any,
                                                      tmp_path: Path) -> None:
    """Flags have no column in the workbook, so `import tasks` of it gives the tasks
    without them; `export` wrote the workbook without a word.  One line on stderr names
    each such field, with the number of tasks holding it.  Owners and tags (named there
    too) now have columns on 任务明细, which `import tasks` reads back."""
    from test_excel_import import CONFIG, UNITS

    tasks = _PROBLEM_TASKS.replace(
        "  status: in_progress\n  progress: 50\n",
        "  status: in_progress\n  progress: 50\n  tags: [key]\n  owners: [王某]\n"
        "  flags:\n    - {kind: red_flag, date: 2024-05-10}\n", 1).replace(
        "  status: in_progress\n  progress: 20\n",
        "  status: in_progress\n  progress: 20\n  tags: [people]\n", 1)
    config = CONFIG + "tags:\n  - {id: key, name: 重点}\n  - {id: people, name: 民生}\n"
    ledger = write({"luoshi.yaml": config, "units.yaml": UNITS, "tasks/t.yaml": tasks})
    book = tmp_path / "r.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", "2024-05-31")
    assert (r.exit_code, r.stderr) == (0, (
        "luoshi: 未导出（工作簿中没有这些列，import tasks 不会读回；--force 覆盖导入原文件时保留文件中的）："
        "红旗/黄牌（1 个任务）\n"
        f"已写入 {book}（任务台账, 任务明细, 汇总）\n"))
    r = cli("export", ledger, "-o", book, "--as-of", "2024-05-31", "--lang", "en")
    assert r.stderr.splitlines()[0] == (
        "luoshi: not exported (the workbook has no column for them, so import tasks does not "
        "read them back; a --force re-import over the tasks' own file keeps the file's): "
        "flags (1 task)")


_V2_TASKS = _PROBLEM_TASKS.replace(
    "  status: in_progress\n  progress: 50\n",
    "  status: in_progress\n  progress: 50\n  owners: [王某, Wang Ming]\n"
    "  unit_leaders: [赵某（主任）]\n  tags: [key, people]\n", 1).replace(
    "  status: in_progress\n  progress: 20\n",
    "  status: in_progress\n  progress: 20\n  tags: [people]\n", 1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_owners_unit_leaders_and_tags_come_back(cli: Any, write: Any, tmp_path: Path,
                                                lang: str) -> None:
    """任务明细 has 标签, 责任人 and 单位领导 columns when a task has them (a tag by its
    name, names joined as units are), and `import tasks` of the workbook gives them back:
    they were named as not exported, and the import gave the tasks without them."""
    import openpyxl

    from test_excel_import import CONFIG, UNITS

    config = CONFIG + "tags:\n  - {id: key, name: 重点}\n  - {id: people, name: 民生}\n"
    ledger = write({"luoshi.yaml": config, "units.yaml": UNITS, "tasks/t.yaml": _V2_TASKS})
    book = tmp_path / "r.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", "2024-05-31", "--lang", lang)
    assert r.exit_code == 0, r.stderr
    assert "not exported" not in r.stderr and "未导出" not in r.stderr
    ws = openpyxl.load_workbook(book)["任务明细" if lang == "zh" else "Task details"]
    heads = [c.value for c in ws[2]]
    cols = [heads.index(h) + 1 for h in (("标签", "责任人", "单位领导") if lang == "zh"
                                         else ("Tags", "Owners", "Unit leaders"))]
    sep = "、" if lang == "zh" else ", "
    assert [[ws.cell(r, c).value for c in cols] for r in (3, 4)] == [
        [f"重点{sep}民生", f"王某{sep}Wang Ming", "赵某（主任）"], ["民生", None, None]]
    copy = tmp_path / "copy"
    write({"luoshi.yaml": config, "units.yaml": UNITS}, copy)
    r = cli("import", "tasks", book, copy, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    after = {t.id: t for t in open_ledger(copy).ledger.tasks}
    assert [(t.owners, t.unit_leaders, t.tags) for t in (after["T-1"], after["T-2"])] == [
        (("王某", "Wang Ming"), ("赵某（主任）",), ("key", "people")), ((), (), ("people",))]


def test_import_updates_refuses_an_edited_owner_on_the_full_sheet(cli: Any, write: Any,
                                                                   tmp_path: Path) -> None:
    """责任人 and 标签 on the full sheet are the task's own fields, as 责任单位 is: read
    past as exported, refused at the cell when edited (import updates imports reports)."""
    import openpyxl

    from test_excel_import import CONFIG, UNITS

    config = CONFIG + "tags:\n  - {id: key, name: 重点}\n  - {id: people, name: 民生}\n"
    ledger = write({"luoshi.yaml": config, "units.yaml": UNITS, "tasks/t.yaml": _V2_TASKS})
    book = tmp_path / "r.xlsx"
    assert cli("export", ledger, "-o", book, "--as-of", "2024-05-31").exit_code == 0
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-05",
            "--as-of", "2024-05-31", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "未导入" not in r.stdout + r.stderr
    wb = openpyxl.load_workbook(book)
    ws = wb["任务明细"]
    assert [c.value for c in ws[2]][3:8] == ["标签", "配合单位", "责任人", "单位领导", "开始日期"]
    ws["F3"], ws["D4"] = "王某", None
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-05",
            "--as-of", "2024-05-31", "--dry-run")
    assert r.stderr.splitlines()[:2] == [
        "r.xlsx 任务明细!F3: 未导入“王某”（台账中为“王某、Wang Ming”）：import updates 只导入月度填报，"
        "不导入任务的责任人；请用 import tasks 导入，或在台账中修改",
        "r.xlsx 任务明细!D4: 未导入：清空标签不会删除“民生”：import updates 只导入月度填报，"
        "不导入任务的标签；请用 import tasks 导入，或在台账中修改"]


def test_problems_on_a_row_without_a_month_are_named(cli: Any, write: Any,
                                                     tmp_path: Path) -> None:
    """An office's sheet with a 存在问题 column: read into the row's monthly report when
    the row has a month (最新进展 "2024-05：…" or --month); on a row without one the
    problems have no report to go in, and are named at their cell, not dropped."""
    import openpyxl

    from test_excel_import import CONFIG, UNITS

    ledger = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务表"
    for row in (["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "进度", "进展情况", "存在问题"],
                [1, "推进A", "区发改委", "张某某", "6月底", 35, "已开工3个", "资金未到位"],
                [2, "推进B", "区财政局", "李某某", "年底", 20, "2024-05：完成选址", "用地待批"]):
        ws.append(row)
    wb.save(tmp_path / "台账.xlsx")
    r = cli("import", "tasks", tmp_path / "台账.xlsx", ledger, "--category", "econ",
            "--start", "2024-01-01", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert ("说明：存在问题未导入：它属于某月的月报，但这一行没有月份（最新进展未以“2024-05：”开头，也没有 --month）："
            "请用 --month 指定月份 [任务表!H2 资金未到位]") in r.stderr.splitlines()
    tasks = {t.id: t for t in open_ledger(ledger).ledger.tasks}
    assert (tasks["IMP-001"].note, tasks["IMP-001"].updates) == ("已开工3个", ())
    assert [(u.month, u.note, u.problems) for u in tasks["IMP-002"].updates] == [
        ("2024-05", "完成选址", "用地待批")]
