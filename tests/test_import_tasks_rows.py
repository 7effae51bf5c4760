"""What `luoshi import tasks` makes of a sheet's rows and cells (audit of the rows):
no row is dropped and no cell left out without a word, and what a cell says is kept —
each case a real workbook, the exact message, note and YAML."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from test_excel_import import CONFIG, UNITS, load_tasks

HEAD = ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "完成标准", "进度", "进展情况"]


@pytest.fixture
def ledger(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS})


def _sheet(path: Path, rows: list[list[Any]], title: str = "清单",
           formats: dict[str, str] | None = None,
           merged: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    for rng in merged:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def _import(cli: Any, ledger: Path, sheet: Path, *more: str) -> Any:
    return cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", "2024-05-31",
               "--start", "2024-01-01", *more)


def _notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("说明", "note"))]


# ---- 3: a task whose title starts with 平均/总计 is a task ---------------------------------

def test_a_title_starting_with_a_total_word_is_a_task_and_total_rows_are_named(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "t.xlsx", [
        HEAD,
        [1, "推进重点项目开工建设", "区发改委", "张某某", "6月底", "开工10个", 35, None],
        [2, "平均办理时限压缩至3天", "区财政局", "张某某", "6月底", "压缩至3天", 35, None],
        [3, "总计划投资完成50亿元", "区商务局", "李某某", "年底", "完成50亿元", 10, None],
        ["合计", None, None, None, None, None, 80, None],
        [None, "小计：", None, None, None, None, 45, None],
        ["总计（万元）", None, None, None, None, None, None, None],
        ["平均分", None, None, None, None, None, 26.7, None]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    titles = [t["title"] for t in load_tasks(ledger / "tasks" / "imported.yaml")]
    assert titles == ["推进重点项目开工建设", "平均办理时限压缩至3天", "总计划投资完成50亿元"]
    notes = _notes(r.stderr)
    for line in ("说明：跳过了合计行（不是任务）：A5 “合计”；G5 “80” [清单!5:5]",
                 "说明：跳过了合计行（不是任务）：B6 “小计：”；G6 “45” [清单!6:6]",
                 "说明：跳过了合计行（不是任务）：A7 “总计（万元）” [清单!7:7]",
                 "说明：跳过了合计行（不是任务）：A8 “平均分”；G8 “26.7” [清单!8:8]"):
        assert line in notes, r.stderr
    r = cli("--lang", "en", "import", "tasks", sheet, ledger, "--category", "econ",
            "--as-of", "2024-05-31", "--start", "2024-01-01", "-o",
            ledger / "tasks" / "en.yaml")
    assert "note: skipped a total row (not a task): A5 '合计'; G5 '80' [清单!5:5]" in \
        _notes(r.stderr)


# ---- 6: a row with data but no title is no section heading --------------------------------

def test_a_row_holding_only_a_note_or_a_progress_is_refused_at_its_cells(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "n.xlsx", [
        HEAD,
        [1, "推进A", "区发改委", "张某某", "6月底", "开工10个", 35, "已开工3个"],
        [None, None, None, None, None, None, None, "另有2个项目已完成立项"],
        [2, "推进B", "区财政局", "张某某", "6月底", "改造5个", 35, "进行中"],
        [None, None, None, None, None, None, 50, None]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 1
    err = r.stderr.splitlines()
    why = ("这一行没有任务名称，也不是上一任务的续行（续行要重复上一任务的序号，或与它合并任务名称单元格），"
           "此格的“{}”无法导入：请写进所属任务的行")
    assert f"清单!H3: {why.format('另有2个项目已完成立项')}" in err
    assert f"清单!G5: {why.format('50')}" in err
    assert "luoshi: 2 个问题，未写入任何文件" in err
    assert "分组标题" not in r.stderr
    assert not (ledger / "tasks" / "imported.yaml").exists()


def test_a_continuation_row_repeating_the_seq_with_a_blank_title_joins_its_task(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """The docs' continuation row: the same 序号, the task's other cells blank — its
    milestone joins the task (it used to be refused as a row without a title); a cell
    that differs on it is refused at that cell, as on any continuation row."""
    rows: list[list[Any]] = [
        HEAD,
        [1, "推进A", "区发改委", "张某某", "6月底", "完成方案", 35, "已开工3个"],
        [1, None, None, None, "年底前全部开工", None, None, None],
        [2, "推进B", "区财政局", "张某某", "6月底", "改造5个", 35, None],
        [3, None, None, None, None, None, None, None]]
    sheet = _sheet(tmp_path / "c.xlsx", rows)
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    a, b = load_tasks(ledger / "tasks" / "imported.yaml")
    assert [(str(m["due"]), m["standard"]) for m in a["milestones"]] == [
        ("2024-06-30", "完成方案"), ("2024-12-31", "全部开工")]
    assert b["title"] == "推进B"
    notes = _notes(r.stderr)
    assert ("说明：一个任务占多行（相同序号或合并单元格）：合并为一个任务的多个节点 [清单!3:3]"
            in notes)
    assert "说明：跳过了只有序号的空行 [清单!A5]" in notes
    rows[2][7] = "另有说明"
    sheet = _sheet(tmp_path / "c2.xlsx", rows)
    r = _import(cli, ledger, sheet, "-o", ledger / "tasks" / "c2.yaml")
    assert r.exit_code == 1
    assert ("清单!H3: 这一行与 清单!H2 属于同一个任务（相同序号或合并单元格），但此格的内容不同："
            "一个任务占多行时，除时限/节点列外的单元格应与第一行相同或留空；若是另一个任务，"
            "请给它自己的序号") in r.stderr.splitlines()


def test_a_section_heading_is_text_in_the_first_cells(cli: Any, ledger: Path,
                                                      tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "s.xlsx", [
        HEAD,
        ["一、经济发展", None, None, None, None, None, None, None],
        [1, "推进A", "区发改委", "张某某", "6月底", "开工10个", 35, None],
        ["三、其他工作", None, None, None, None, None, None, None],
        [2, "推进B", "区财政局", "张某某", "6月底", "改造5个", 35, None],
        ["注：进度按百分比填写", None, None, None, None, None, None, None]],
        merged=("A4:H4",))
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    assert [t["category"] for t in load_tasks(ledger / "tasks" / "imported.yaml")] == \
        ["econ", "econ"]
    assert ("说明：跳过了分组标题行（或表内的说明行） [清单!A4 三、其他工作, 清单!A6 注：进度按百分比填写]"
            in _notes(r.stderr))


# ---- 7: every filled cell lands in the YAML or in a note ----------------------------------

def test_cells_without_a_header_and_text_in_computed_columns_are_named(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "h.xlsx", [
        [*HEAD, None, None, "序时进度", "亮灯"],
        [1, "推进A", "区发改委", "张某某", "6月底", "开工10个", 35, "已开工3个",
         "张三 13800000000", None, "自填的说明：已完成一半", "红"],
        [2, "推进B", "区财政局", "张某某", "6月底", "改造5个", 35, None,
         None, "另需协调市局", 40, "需关注"],
        [3, "推进C", "区商务局", "张某某", "6月底", "建成2个", 35, None,
         None, None, "45%", "绿"]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    notes = _notes(r.stderr)
    assert ("说明：这些单元格所在的列没有表头，其中的内容未导入台账：需要时请加上表头（或用 --map 指定字段） "
            "[清单!I2 张三 13800000000, 清单!J3 另需协调市局]") in notes
    assert ("说明：序时进度、亮灯和目标完成率由 luoshi 计算，不导入：这些单元格写的文字未导入台账 "
            "[清单!K2 自填的说明：已完成一半, 清单!L3 需关注]") in notes


def test_tasks_v2_columns_a_sheet_fills_are_named(cli: Any, ledger: Path,
                                                  tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "v.xlsx", [
        [*HEAD, "上级任务", "目标值"],
        [1, "推进A", "区发改委", "张某某", "6月底", "开工10个", 35, None, "T-1", "10 个"]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    assert ("说明：上级任务、目标值、实际完成值列（tasks v2）不导入，其中的内容不会写入台账：请在台账中填写"
            "（用 --force 覆盖导入原文件时，文件中的这些值保留） [清单!I1 上级任务, 清单!J1 目标值]"
            ) in _notes(r.stderr)


# ---- 10: steps separated by commas keep their words ---------------------------------------

def test_steps_separated_by_commas_keep_their_words(cli: Any, ledger: Path,
                                                    tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "d.xlsx", [
        HEAD,
        [1, "推进A", "区发改委", "张某某", "3月底前完成方案，6月底前开工，12月底前竣工", "全年竣工",
         35, None],
        [2, "推进B", "区财政局", "张某某", "编制清单，5月底前完成1,000户摸底, 9月底前完成签约",
         "完成签约", 35, None],
        [3, "推进C", "区商务局", "张某某", "6月底前完成方案，确保年底前开工", "开工", 35, None]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    a, b, c = load_tasks(ledger / "tasks" / "imported.yaml")
    assert [(str(m["due"]), m["standard"]) for m in a["milestones"]] == [
        ("2024-03-31", "完成方案"), ("2024-06-30", "开工"), ("2024-12-31", "竣工")]
    assert [(str(m["due"]), m["standard"]) for m in b["milestones"]] == [
        ("2024-05-31", "编制清单，完成1,000户摸底"), ("2024-09-30", "完成签约")]
    assert [(str(m["due"]), m["standard"]) for m in c["milestones"]] == [
        ("2024-06-30", "完成方案"), ("2024-12-31", "开工")]
    assert "序时节点没有写标准" not in r.stderr


# ---- 12: a phrase made into a start, done or closing date is listed ------------------------

def test_date_phrases_in_start_and_done_cells_are_listed(cli: Any, ledger: Path,
                                                         tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "p.xlsx", [
        [*HEAD, "实际完成时间", "开始日期"],
        [1, "推进A", "区发改委", "张某某", "2024-06-30", "全年竣工", 100, None, "上半年", "1月份"]])
    r = cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.stderr
    (task,) = load_tasks(ledger / "tasks" / "imported.yaml")
    assert (str(task["start"]), str(task["milestones"][0]["done"])) == \
        ("2024-01-31", "2024-06-30")
    notes = _notes(r.stderr)
    assert "说明：“上半年”：上半年：6月30日 [清单!I2]" in notes
    assert "说明：“1月份”：只写到月份：取该月最后一天 [清单!J2]" in notes


# ---- 13, 18: progress ----------------------------------------------------------------------

def test_a_progress_below_one_in_a_general_cell_is_noted(cli: Any, ledger: Path,
                                                         tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "g.xlsx", [
        HEAD,
        [1, "推进A", "区发改委", "张某某", "6月底", "开工10个", 0.35, None],
        [2, "推进B", "区财政局", "张某某", "6月底", "开工10个", 0.35, None],
        [3, "推进C", "区商务局", "张某某", "6月底", "开工10个", "0.5%", None]],
        formats={"G3": "0%"})
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    assert [t["progress"] for t in load_tasks(ledger / "tasks" / "imported.yaml")] == \
        [0.35, 35, 0.5]
    assert ("说明：进度小于 1（如 0.35）按百分数导入（0.35%）：如果是指 35%，请写 35 或 35% "
            "[清单!G2 0.35]") in _notes(r.stderr)


def test_a_progress_out_of_range_reads_as_written_without_an_empty_note(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "o.xlsx", [
        HEAD,
        [1, "推进A", "区发改委", "张某某", "6月底", "开工10个", 3500, None],
        [2, "推进B", "区财政局", "张某某", "6月底", "开工10个", 10000, None],
        [3, "推进C", "区商务局", "张某某", "6月底", "开工10个", 53, None],
        [4, "推进D", "区发改委", "张某某", "6月底", "开工10个", "过半", None]],
        formats={"G4": "0%"})
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 1
    err = r.stderr.splitlines()
    assert "清单!G2: 进度 3500 不在 0–100 之间" in err
    assert "清单!G3: 进度 10000 不在 0–100 之间" in err
    assert "清单!G4: 进度 5300% 不在 0–100 之间" in err
    assert "清单!G5: 进度“过半”不是数字（写 45 或 45%）" in err
    assert "进度为空" not in r.stderr


# ---- 14: a date and a time typed as text stays text ----------------------------------------

def test_a_date_and_time_in_a_text_cell_is_quoted_and_validates_clean(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "q.xlsx", [
        HEAD,
        [1, "推进A", "区发改委", "张某某", "6月底", "2024-05-06T10:00", 35, "2024-05-06 10:00"]])
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    text = (ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8")
    assert "  standard: '2024-05-06T10:00'\n" in text
    assert "  note: '2024-05-06 10:00'\n" in text
    v = cli("validate", ledger, "--as-of", "2024-05-31")
    assert "LS017" not in v.stdout, v.stdout


# ---- 16: a --map naming a header the sheet lacks is an error -------------------------------

def test_a_map_naming_a_missing_header_is_refused_even_when_the_field_is_found(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "m.xlsx", [
        HEAD, [1, "推进A", "区发改委", "张某某", "6月底", "开工10个", 35, None]])
    bad = tmp_path / "map.yaml"
    bad.write_text("lead: 不存在的列\ntitle: 任务名称\n", encoding="utf-8")
    r = _import(cli, ledger, sheet, "--map", str(bad))
    assert (r.exit_code, r.stderr) == (2, (
        "luoshi: --map 中的表头在工作表 清单 的表头（第 1 行）中找不到：lead: 不存在的列"
        "（表头有：序号、任务名称、牵头单位、包抓领导、完成时限、完成标准、进度、进展情况）\n"))
    r = cli("--lang", "en", "import", "tasks", sheet, ledger, "--category", "econ",
            "--map", str(bad))
    assert (r.exit_code, r.stderr) == (2, (
        "luoshi: --map names headers that are not in the header (row 1) of sheet 清单: "
        "lead: 不存在的列 (the headers are: 序号, 任务名称, 牵头单位, 包抓领导, 完成时限, 完成标准, "
        "进度, 进展情况)\n"))
    assert not (ledger / "tasks" / "imported.yaml").exists()
    # a field the import reads past is no field of a map (it would do nothing)
    past = tmp_path / "past.yaml"
    past.write_text("parent: 上级任务\n", encoding="utf-8")
    r = _import(cli, ledger, sheet, "--map", str(past))
    assert r.exit_code == 2 and r.stderr.startswith(f"luoshi: {past}：未知字段 parent（可用：")
    good = tmp_path / "good.yaml"
    good.write_text("lead: 牵头 单位\n", encoding="utf-8")  # matched as headers are
    assert _import(cli, ledger, sheet, "--map", str(good)).exit_code == 0


# ---- 11: -o never lands on a file luoshi reads as something else ---------------------------

@pytest.mark.parametrize(("target", "what"), [
    ("records/x.yaml", "考核记录文件（files.records：records/*.yaml）"),
    ("supervision/2024.yaml", "督办记录文件（files.supervision：supervision/*.yaml）"),
    ("luoshi.yaml", "台账配置文件"),
    ("units.yaml", "单位和领导文件（files.units）"),
])
def test_an_output_another_files_pattern_reads_is_refused(
        cli: Any, ledger: Path, tmp_path: Path, target: str, what: str) -> None:
    sheet = _sheet(tmp_path / "o.xlsx", [
        HEAD, [1, "推进A", "区发改委", "张某某", "6月底", "开工10个", 35, None]])
    out = ledger / target
    before = out.read_bytes() if out.exists() else None
    r = _import(cli, ledger, sheet, "-o", str(out), "--force")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: -o {out} 是台账的{what}：luoshi 会按它读取该文件，导入的任务不能写在那里；"
        "请写到 files.tasks（tasks/*.yaml）匹配的文件\n"))
    assert (out.read_bytes() if out.exists() else None) == before
    assert cli("validate", ledger, "--as-of", "2024-05-31").exit_code == 0


def test_import_scores_into_a_task_file_is_refused(cli: Any, example: Path,
                                                   tmp_path: Path) -> None:
    book = _sheet(tmp_path / "s.xlsx", [["单位", "hotline"], ["区发改委", 90]], title="得分")
    r = cli("--lang", "en", "import", "scores", book, example, "--period", "2021-Q3",
            "-o", example / "tasks" / "q3.yaml")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: -o {example / 'tasks' / 'q3.yaml'} is a task file (files.tasks: "
        "tasks/*.yaml) of the ledger: luoshi reads that file as such, so the imported "
        "records cannot go there; write them to a file files.records (records/*.yaml) "
        "matches\n"))
    assert not (example / "tasks" / "q3.yaml").exists()


# ---- 4: --force over the import's own file keeps what the sheet does not say ----------------

FORCE_ROWS: list[list[Any]] = [
    [*HEAD, "开始日期"],
    [1, "推进A", "区发改委", "张某某", "3月底前完成方案；6月底前开工", "开工10个", 35, None, None],
    [2, "推进B", "区财政局", "李某某", "6月底", "改造5个", 0, None, "2024-02-01"]]
#: what the clerk and the monthly cycle wrote into IMP-001 after the first import
HISTORY = """\
  note: 另有2个项目已完成立项
  updates:
    - {month: "2024-04", progress: 45, note: 开工5个}
    - {month: "2024-05", progress: 60, note: 开工6个, problems: 资金未到位}
  flags:
    - {kind: red_flag, date: 2024-05-31, by: 领导小组办公室, note: 红旗项目}
  locked: true
  adjustments:
    - {date: 2024-04-10, field: milestones, approved_by: zhang, reason: 规划调整}
"""


def _first_import(cli: Any, ledger: Path, tmp_path: Path) -> tuple[Path, Path]:
    sheet = _sheet(tmp_path / "f.xlsx", FORCE_ROWS)
    r = _import(cli, ledger, sheet)
    assert r.exit_code == 0, r.stderr
    out = ledger / "tasks" / "imported.yaml"
    text = out.read_text(encoding="utf-8")
    text = text.replace("    - {due: 2024-03-31, standard: 完成方案}\n",
                        "    - {due: 2024-03-31, standard: 完成方案, done: 2024-03-28, note: 提前完成}\n")
    text = text.replace("  status: in_progress\n  progress: 35\n",
                        "  status: in_progress\n  progress: 60\n" + HISTORY, 1)
    text = text.replace("  start: 2024-01-01\n", "  start: 2024-01-15\n", 1)
    out.write_text(text, encoding="utf-8")
    assert cli("validate", ledger, "--as-of", "2024-05-31").exit_code == 0
    return sheet, out


def test_force_keeps_a_closed_tasks_status_and_progress(cli: Any, ledger: Path,
                                                       tmp_path: Path) -> None:
    """IMP-002, closed (销号) on 2024-05-20 with progress 100 and no monthly report:
    re-imported with --force from a sheet saying 0, it became in_progress 0 beside its
    kept `closed:` block, a record validate accepted (review).  The closing owns status
    and progress: both kept, and the sheet's values named as not taken."""
    sheet = _sheet(tmp_path / "f.xlsx", FORCE_ROWS)
    assert _import(cli, ledger, sheet).exit_code == 0
    out = ledger / "tasks" / "imported.yaml"
    text = out.read_text(encoding="utf-8")
    block = text[text.index("- id: IMP-002"):]
    closed = block.replace("    - {due: 2024-06-30, standard: 改造5个}\n",
                           "    - {due: 2024-06-30, standard: 改造5个, done: 2024-05-18}\n")
    closed = closed.replace("  status: planned\n  progress: 0\n",
                            "  status: closed\n  progress: 100\n  closed: {date: 2024-05-20, "
                            "approved_by: li, evidence: 验收报告}\n")
    assert "status: closed" in closed and "done: 2024-05-18" in closed
    out.write_text(text.replace(block, closed), encoding="utf-8")
    assert cli("validate", ledger, "--as-of", "2024-05-31").exit_code == 0
    r = _import(cli, ledger, sheet, "--force")
    assert r.exit_code == 0, r.stderr
    [task] = [t for t in load_tasks(out) if t["id"] == "IMP-002"]
    assert (task["status"], task["progress"], task["closed"]["date"]) == (
        "closed", 100, date(2024, 5, 20))
    assert any("任务已销号" in line and "IMP-002" in line for line in _notes(r.stderr)), r.stderr


def test_force_keeps_the_history_the_sheet_does_not_hold(cli: Any, ledger: Path,
                                                         tmp_path: Path) -> None:
    """A re-import with --force deleted IMP-001's monthly updates, flag, lock,
    adjustment and done date without a word, exit 0, although the refusal of a task
    missing from the sheet promised not to delete "(及其进展记录)"."""
    sheet, out = _first_import(cli, ledger, tmp_path)
    r = _import(cli, ledger, sheet, "--force")
    assert r.exit_code == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    first = text[text.index("- id: IMP-001"):text.index("- id: IMP-002")]
    assert first == """\
- id: IMP-001
  title: 推进A
  category: econ
  lead: fgw
  units: []
  leaders: [zhang]
  start: 2024-01-15
  standard: 开工10个
  milestones:
    - {due: 2024-03-31, standard: 完成方案, done: 2024-03-28, note: 提前完成}
    - {due: 2024-06-30, standard: 开工}
  status: in_progress
  progress: 60
  updates:
    - {month: "2024-04", progress: 45, note: 开工5个}
    - {month: "2024-05", progress: 60, note: 开工6个, problems: 资金未到位}
  note: 另有2个项目已完成立项
  flags:
    - {kind: red_flag, date: 2024-05-31, by: 领导小组办公室, note: 红旗项目}
  locked: true
  adjustments:
    - {date: 2024-04-10, field: milestones, approved_by: zhang, reason: 规划调整}

"""
    notes = _notes(r.stderr)
    for line in (
            "说明：--force 覆盖导入：保留了文件中的开始日期（表中没有） [清单!I2 IMP-001 2024-01-15]",
            "说明：--force 覆盖导入：保留了文件中的情况说明（表中没有） [清单!H2 IMP-001]",
            "说明：--force 覆盖导入：保留了文件中的节点完成日期（表中没有） "
            "[清单!E2 IMP-001 2024-03-31: 2024-03-28]",
            "说明：--force 覆盖导入：保留了文件中的节点备注（表中没有） [清单!E2 IMP-001 2024-03-31]",
            "说明：--force 覆盖导入：保留了文件中的月度进展（表中没有） "
            "[清单!H2 IMP-001 2024-04, 2024-05]",
            "说明：--force 覆盖导入：表中的进度未采用（任务已有月度报送），文件中的记录不被改写 "
            "[清单!G2 IMP-001 35 → 60]",
            "说明：--force 覆盖导入：保留了文件中的红旗/黄牌（表中没有） [清单!B2 IMP-001]",
            "说明：--force 覆盖导入：保留了文件中的锁定（locked）（表中没有） [清单!B2 IMP-001]",
            "说明：--force 覆盖导入：保留了文件中的调整记录（表中没有） [清单!B2 IMP-001]"):
        assert line in notes, r.stderr
    # the default start is not announced for the task that kept its own
    assert "开始日期取默认值" not in r.stderr
    assert cli("validate", ledger, "--as-of", "2024-05-31").exit_code == 0
    # the same again changes nothing
    r = _import(cli, ledger, sheet, "--force")
    assert r.exit_code == 0, r.stderr
    assert out.read_text(encoding="utf-8") == text


def test_force_with_a_later_month_reported_sets_progress(cli: Any, ledger: Path,
                                                         tmp_path: Path) -> None:
    sheet, out = _first_import(cli, ledger, tmp_path)
    rows = [list(row) for row in FORCE_ROWS]
    rows[1][6], rows[1][7] = 70, "开工8个"
    sheet = _sheet(tmp_path / "june.xlsx", rows)
    r = cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", "2024-06-30",
            "--month", "2024-06", "--force")
    assert r.exit_code == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert ("  progress: 70\n  updates:\n"
            "    - {month: \"2024-04\", progress: 45, note: 开工5个}\n"
            "    - {month: \"2024-05\", progress: 60, note: 开工6个, problems: 资金未到位}\n"
            "    - {month: \"2024-06\", progress: 70, note: 开工8个}\n") in text


def test_force_refuses_to_drop_a_done_milestone_or_move_history_to_another_task(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    _, out = _first_import(cli, ledger, tmp_path)
    before = out.read_text(encoding="utf-8")
    rows = [list(row) for row in FORCE_ROWS]
    rows[1][4] = "6月底前开工"
    r = _import(cli, ledger, _sheet(tmp_path / "drop.xlsx", rows), "--force")
    assert r.exit_code == 1
    assert ("清单!E2: 任务 IMP-001 的节点 2024-03-31（“完成方案”）已于 2024-03-28 完成，但表中没有这个节点："
            "覆盖会删除这条完成记录；请在表中保留该节点，或先从文件中删去它") in r.stderr.splitlines()
    # without 序号 the ids follow the rows: a row inserted on top takes IMP-001
    plain = [row[1:] for row in FORCE_ROWS]
    r = cli("import", "tasks", _sheet(tmp_path / "rows.xlsx", plain), ledger, "-o",
            ledger / "tasks" / "b.yaml", "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    (ledger / "tasks" / "b.yaml").unlink()
    plain.insert(1, ["推进C", "区商务局", "张某某", "年底", "建成2个", 0, None, None])
    r = _import(cli, ledger, _sheet(tmp_path / "shift.xlsx", plain), "--force")
    assert r.exit_code == 1
    assert ("清单!A2: 编号 IMP-001 是生成的（按序号或行顺序），但文件 tasks/imported.yaml 中的 IMP-001 "
            "是另一个任务（“推进A”），它的月度进展、完成日期、红旗/黄牌、锁定、调整记录、情况说明不能移到这一行："
            "请在表中加“编号”列写明各任务的编号，或用 -o 写到另一个文件") in r.stderr.splitlines()
    # IMP-002 was 推进B (no history): the row now numbered so is 推进A, and takes
    # nothing of 推进B's (its start)
    assert "IMP-002 2024-02-01" not in r.stderr
    assert out.read_text(encoding="utf-8") == before


def test_rows_of_the_same_task_are_imported_apart_and_named(cli: Any, ledger: Path,
                                                            tmp_path: Path) -> None:
    """Three rows of one title, lead and due date (numbered 1, 2, 3: three tasks, not one
    over several rows) became IMP-001…IMP-003 without a word (import audit): still three
    tasks — the sheet says so — and the copies are named beside the first row."""
    book = _sheet(tmp_path / "t.xlsx", [
        HEAD,
        [1, "推进重点项目", "区发改委", "张某某", "2024-12-31", "开工", 30, None],
        [2, "推进重点项目", "区发改委", "张某某", "2024-12-31", "开工", 40, None],
        [3, "推进重点项目 ", "区发改委", "张某某", "2024-12-31", "开工", 30, None],
        [4, "推进重点项目", "区发改委", "张某某", "2024-11-30", "开工", 30, None],
    ])
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert ("说明：这些行与前面一行的任务名称、牵头单位和完成时限都相同，各自导入为一个任务：如果是重复的行，请删去 "
            "[清单!B3 = 清单!B2 推进重点项目, 清单!B4 = 清单!B2 推进重点项目]") in r.stderr.splitlines()
    assert [t["id"] for t in load_tasks(ledger / "tasks" / "imported.yaml")] == [
        "IMP-001", "IMP-002", "IMP-003", "IMP-004"]
