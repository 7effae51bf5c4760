"""`luoshi status`: exit codes, SPEC §5 JSON, CSV, the table, filters, and the two
ledgers of this repository checked against figures worked out by hand.

The numbers of tests/fixtures/status/lights are derived in tests/test_progress.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import BEILIN, EXAMPLE, Run

LIGHTS = Path(__file__).resolve().parent / "fixtures" / "status" / "lights"
EMPTY = LIGHTS.parent / "empty"
AS_OF = ("--as-of", "2024-05-31")

Cli = Callable[..., Run]


def status_json(cli: Cli, *args: str) -> dict[str, Any]:
    r = cli("status", *args, "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


def test_json_totals_and_one_task_exactly(cli: Cli) -> None:
    doc = status_json(cli, str(LIGHTS), *AS_OF)
    assert doc["as_of"] == "2024-05-31"
    assert doc["totals"] == {
        "tasks": 16, "green": 8, "yellow": 5, "red": 1,
        "completion_rate": 12.5, "on_time_rate": 75.0,
        "by_status": {"planned": 1, "in_progress": 12, "done": 0, "closing": 1, "closed": 1,
                      "suspended": 1},
        "milestones_due": 8, "milestones_on_time": 6,
    }
    assert doc["tasks"][0] == {
        "id": "T-01", "title": "逾期任务", "category": "cat-a", "lead": "u-a",
        "leaders": ["l-one"], "status": "in_progress", "light": "red", "expected": 41.37,
        "progress": 45, "overdue": [{"due": "2024-04-30", "days": 31}],
        "yellow_reasons": [], "stale": None,
        "latest_update": {"month": "2024-05", "progress": 45, "note": None, "problems": None},
    }
    assert doc["by_category"][0] == {
        "id": "cat-a", "name": "甲类任务", "tasks": 6,
        "by_status": {"planned": 0, "in_progress": 6, "done": 0, "closing": 0, "closed": 0,
                      "suspended": 0},
        "green": 2, "yellow": 3, "red": 1, "completion_rate": 0.0, "on_time_rate": 50.0,
        "milestones_due": 2, "milestones_on_time": 1,
    }
    assert list(doc) == ["as_of", "unit", "totals", "by_category", "by_lead", "by_leader",
                         "by_group", "ungrouped", "by_unit", "tasks"]
    by_id = {t["id"]: t for t in doc["tasks"]}
    assert by_id["T-05"]["yellow_reasons"] == [{"kind": "behind", "points": 10.01}]
    assert by_id["T-02"]["yellow_reasons"] == [{"kind": "due_soon", "due": "2024-06-07",
                                                "days": 7}]
    assert (by_id["T-07"]["light"], by_id["T-07"]["expected"]) == (None, 100.0)
    assert (by_id["T-04"]["progress"], by_id["T-12"]["expected"]) == (31.37, 0.0)
    assert by_id["T-15"]["stale"] == "2024-04"
    # the on-time rate of a roll-up with no milestone due yet is null
    assert {c["id"]: c["on_time_rate"] for c in doc["by_lead"]} == {
        "u-a": 75.0, "u-b": 66.67, "u-c": 100.0}


def test_output_is_byte_identical(cli: Cli) -> None:
    for fmt in ("table", "json", "csv"):
        a = cli("status", LIGHTS, *AS_OF, "--format", fmt)
        b = cli("status", LIGHTS, *AS_OF, "--format", fmt)
        assert a.exit_code == 0 and a.stdout == b.stdout and a.stdout


def test_table(cli: Cli) -> None:
    r = cli("status", LIGHTS, *AS_OF)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "状态测试台账 — 截至 2024-05-31"
    assert "完成率       12.50% (2/16)" in lines
    assert "按时完成率   75.00% (6/8 个节点)" in lines
    assert "亮灯         红灯 1，黄灯 5，绿灯 8" in lines
    assert "T-01 逾期任务   甲局       一某某     2024-04-30 四月节点         31" in lines
    assert any(line.startswith("T-05 落后序时进度") and line.endswith(
        "落后序时进度 10.01 个百分点（序时 41.37%，实际 31.36%）") for line in lines)
    assert any(line.startswith("T-16 今天到期") and "一某某、二某某" in line
               and line.endswith("节点 2024-05-31 五月底节点：截至当日到期") for line in lines)
    # due on the as-of date, which is not today: never 今天
    assert any(line.startswith("T-15 未按月报送") and line.endswith("2024-03    2024-04")
               for line in lines)
    for heading in ("按类别", "按牵头单位", "按包抓领导", "按专项推进组"):
        assert heading in lines
    assert "按单位（牵头、责任、配合）" not in lines
    assert all(line == line.rstrip() for line in lines)
    assert r.stderr == ""


def test_table_in_english(cli: Cli) -> None:
    r = cli("status", LIGHTS, *AS_OF, "--lang", "en")
    assert r.exit_code == 0
    assert "Completion rate   12.50% (2/16)" in r.stdout
    assert ("10.01 points behind (expected 41.37%, reported 31.36%)"
            in r.stdout)
    assert "milestone 2024-06-07 六月七日节点: due in 7 days" in r.stdout
    # due on the as-of date (2024-05-31), which is not today
    assert "milestone 2024-05-31 五月底节点: due on the as-of date" in r.stdout
    assert "today" not in r.stdout


def test_csv(cli: Cli) -> None:
    r = cli("status", LIGHTS, *AS_OF, "--format", "csv")
    lines = r.stdout.splitlines()
    # a UTF-8 BOM (Excel opens the Chinese correctly) and names next to ids (issue 14)
    assert lines[0] == ("\ufeffid,title,category,lead,lead_name,leaders,leader_names,status,"
                        "light,expected,progress,overdue,yellow_reasons,stale")
    assert lines[1] == ("T-01,逾期任务,cat-a,u-a,甲局,l-one,一某某,in_progress,red,41.37,45,"
                        "2024-04-30:31,,")
    assert lines[16] == ("T-16,今天到期,cat-a,u-a,甲局,l-one;l-two,一某某;二某某,in_progress,yellow,"
                         "41.37,45,,due_soon:2024-05-31:0,")
    assert len(lines) == 17
    r = cli("status", LIGHTS, *AS_OF, "--format", "csv", "--by", "leader")
    assert r.stdout.splitlines()[1] == "l-one,一某某,9,0,7,0,1,0,1,4,3,1,11.11,80.00,5,4"


def test_light_filter(cli: Cli) -> None:
    doc = status_json(cli, str(LIGHTS), *AS_OF, "--light", "yellow")
    assert [t["id"] for t in doc["tasks"]] == ["T-02", "T-05", "T-09", "T-11", "T-16"]
    assert doc["totals"]["tasks"] == 16  # the figures stay whole
    table = cli("status", LIGHTS, *AS_OF, "--light", "red").stdout
    assert "红灯任务（序时节点逾期未完成）" in table and "黄灯任务" not in table
    assert "未按月报送进展（每月5日前报上月）：无" in table  # T-15 is green, filtered out
    green = cli("status", LIGHTS, *AS_OF, "--light", "green").stdout
    assert "绿灯任务" in green and "T-13 六月才完成" in green and "T-01 逾期任务" not in green


def test_by_filter(cli: Cli) -> None:
    doc = status_json(cli, str(LIGHTS), *AS_OF, "--by", "unit")
    assert list(doc) == ["as_of", "unit", "totals", "by_unit", "tasks"]
    assert [(u["id"], u["tasks"]) for u in doc["by_unit"]] == [("u-a", 7), ("u-b", 6),
                                                              ("u-c", 6)]
    table = cli("status", LIGHTS, *AS_OF, "--by", "group").stdout.splitlines()
    assert "按专项推进组" in table and "按类别" not in table and "按包抓领导" not in table


def test_unit_filter(cli: Cli) -> None:
    doc = status_json(cli, str(LIGHTS), *AS_OF, "--unit", "u-c")
    assert doc["unit"] == "u-c"
    assert [t["id"] for t in doc["tasks"]] == ["T-01", "T-05", "T-09", "T-10", "T-11", "T-12"]
    assert (doc["totals"]["tasks"], doc["totals"]["red"], doc["totals"]["yellow"]) == (6, 1, 3)
    empty = status_json(cli, str(LIGHTS), *AS_OF, "--unit", "u-d")
    assert (empty["totals"]["tasks"], empty["tasks"], empty["totals"]["on_time_rate"]) == (
        0, [], None)
    r = cli("status", LIGHTS, *AS_OF, "--unit", "nobody")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == ("luoshi: --unit nobody：台账中没有这个单位（代码或名称，见 units.yaml）"
                        "；有：u-a（甲局）、u-b（乙街道）、u-c（丙办）、u-d（丁中心）\n")


def test_exit_codes(cli: Cli, write: Callable[..., Path], tmp_path: Path) -> None:
    assert cli("status", LIGHTS, "--as-of", "2024-02-30").exit_code == 2
    assert cli("status", LIGHTS, "--light", "blue").exit_code == 2
    assert cli("status", LIGHTS, "--by", "nothing").exit_code == 2
    assert cli("status", LIGHTS, "--format", "xml").exit_code == 2
    assert cli("status", tmp_path / "nowhere").exit_code == 2
    broken = write({
        "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: c, name: C}\n",
        "units.yaml": "units:\n  - {id: u, name: U}\nleaders:\n  - {id: p, name: P}\n",
        "tasks/t.yaml": ("- {id: T-1, title: x, category: c, lead: nobody, leaders: [p], "
                         "start: 2024-01-01, standard: s, status: in_progress, progress: 5, "
                         "milestones: [{due: 2024-12-31, standard: s}]}\n"),
    })
    r = cli("status", broken, *AS_OF, "--format", "json")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "LS110" in r.stderr


def test_past_as_of_is_not_refused(cli: Cli) -> None:
    """validate --as-of 2024-05-31 rejects T-13/T-14 (done/closed in June: LS203), but
    status judges the ledger as it stood then instead of refusing it."""
    assert cli("validate", LIGHTS, *AS_OF).exit_code == 1
    assert cli("status", LIGHTS, *AS_OF).exit_code == 0


def test_stale_is_a_validate_warning(cli: Cli) -> None:
    r = cli("validate", LIGHTS, *AS_OF, "--format", "json")
    stale = [f for f in json.loads(r.stdout) if f["code"] == "LS601"]
    assert [(f["file"], f["line"], f["severity"]) for f in stale] == [
        ("tasks/c.yaml", 69, "warning")]
    assert "2024-04" in stale[0]["message"] and "T-15" in stale[0]["message"]


def test_empty_ledger(cli: Cli) -> None:
    doc = status_json(cli, str(EMPTY), *AS_OF)
    assert doc["totals"]["tasks"] == 0
    assert (doc["totals"]["completion_rate"], doc["totals"]["on_time_rate"]) == (None, None)
    assert doc["tasks"] == [] and doc["by_category"] == []
    r = cli("status", EMPTY, *AS_OF)
    assert r.exit_code == 0
    assert "红灯任务（序时节点逾期未完成）：无" in r.stdout
    csv = cli("status", EMPTY, *AS_OF, "--format", "csv").stdout
    assert csv.count("\n") == 1


def test_weinan_example(cli: Cli) -> None:
    """渭南 2021 as of 2021-06-30, checked by hand against the YAML:
    - WN-003: start 02-01, last due 11-30 (302 days), 149 elapsed: 49.34; milestone 06-15
      not done: 15 days overdue; 03-31 done 04-20 (late): 0 of 2 on time.
    - WN-011: 05-31 (签约率达到80%) not done: 30 days overdue.
    - WN-013: 2021 has 365 days: 180/364 = 49.45 expected, 35 reported < 39.45: 14.45
      behind.  WN-010: 07-06 due in 6 days (05-31 done 06-10, late).
    - WN-001 closed, WN-014 suspended: no light; WN-020 done; WN-015 planned."""
    doc = status_json(cli, str(EXAMPLE), "--as-of", "2021-06-30")
    t = doc["totals"]
    assert (t["tasks"], t["red"], t["yellow"], t["green"]) == (20, 3, 3, 12)
    assert t["by_status"] == {"planned": 1, "in_progress": 16, "done": 1, "closing": 0,
                              "closed": 1, "suspended": 1}
    assert t["completion_rate"] == 10.0  # (1 done + 1 closed) / 20
    tasks = {x["id"]: x for x in doc["tasks"]}
    assert [i for i, x in tasks.items() if x["light"] == "red"] == ["WN-003", "WN-008",
                                                                    "WN-011"]
    assert tasks["WN-003"]["expected"] == 49.34
    assert tasks["WN-003"]["overdue"] == [{"due": "2021-06-15", "days": 15}]
    assert tasks["WN-011"]["overdue"] == [{"due": "2021-05-31", "days": 30}]
    assert tasks["WN-013"]["yellow_reasons"] == [{"kind": "behind", "points": 14.45}]
    assert tasks["WN-010"]["yellow_reasons"] == [{"kind": "due_soon", "due": "2021-07-06",
                                                  "days": 6}]
    assert tasks["WN-001"]["light"] is None and tasks["WN-014"]["light"] is None


def test_beilin_ledger(cli: Cli) -> None:
    """碑林 2024 as of 2024-05-31, checked by hand:
    - BRK3-02 出台扶持政策 due 04-30, not done: 31 days; BRK6-02 一号项目竣工验收 due 05-20: 11.
    - BL4-03: start 03-01, last due 11-15: 259 days, 91 elapsed: 35.14 expected, 25 < 25.14
      (10.14 behind), and 完成选址和设计 due 06-05: in 5 days.
    - BL1-02 (30 reported) and BL5-03 (28) against 41.37: 11.37 and 13.37 behind."""
    doc = status_json(cli, str(BEILIN), *AS_OF)
    assert (doc["totals"]["tasks"], doc["totals"]["red"], doc["totals"]["yellow"]) == (35, 2, 3)
    tasks = {x["id"]: x for x in doc["tasks"]}
    assert tasks["BRK3-02"]["overdue"] == [{"due": "2024-04-30", "days": 31}]
    assert tasks["BRK6-02"]["overdue"] == [{"due": "2024-05-20", "days": 11}]
    assert [i for i, x in tasks.items() if x["light"] == "yellow"] == ["BL1-02", "BL4-03",
                                                                       "BL5-03"]
    assert tasks["BL4-03"]["expected"] == 35.14
    assert tasks["BL4-03"]["yellow_reasons"] == [
        {"kind": "due_soon", "due": "2024-06-05", "days": 5}, {"kind": "behind", "points": 10.14}]
    assert tasks["BL1-02"]["yellow_reasons"] == [{"kind": "behind", "points": 11.37}]
    assert tasks["BL5-03"]["yellow_reasons"] == [{"kind": "behind", "points": 13.37}]
    # categories in luoshi.yaml order (the 8 breakthroughs first, then the 6 碑林)
    assert [c["id"] for c in doc["by_category"]][:2] == ["brk-1", "brk-2"]
    assert len(doc["by_category"]) == 14 and len(doc["by_group"]) == 14


def _group_section(text: str) -> list[str]:
    """The lines of the 按专项推进组 / By group section of a status table."""
    lines = text.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith(("按专项推进组", "By group")))
    end = lines.index("", at) if "" in lines[at:] else len(lines)
    return lines[at:end]


def test_tasks_in_no_group_are_counted_and_said(cli: Cli, tmp_path: Path) -> None:
    """The by-group roll-up leaves out the tasks whose category names no `group:`
    and said nothing: 渭南's by_group summed to 15 of 20 tasks, the table had no line
    for the other 5, and a ledger with no group at all printed a bare "按专项推进组：
    无" (audit).  The JSON by_group array keeps exactly its entries (external tests
    compare it); a new key `ungrouped` counts the rest, and the table says it under
    the groups, or why there is none — the same from the rows path (`--format json`
    and the table, cold and warm: tests/test_warm.py) as from the report."""
    doc = status_json(cli, str(EXAMPLE), "--as-of", "2021-06-30")
    assert [(g["id"], g["tasks"]) for g in doc["by_group"]] == [
        ("项目建设专项推进组", 3), ("招商引资专项推进组", 2), ("工业倍增专项推进组", 3),
        ("城市管理专项推进组", 3), ("营商环境专项推进组", 4)]
    assert (doc["ungrouped"], doc["totals"]["tasks"]) == (5, 20)
    assert status_json(cli, str(EXAMPLE), "--as-of", "2021-06-30", "--by", "group")[
        "ungrouped"] == 5
    assert "ungrouped" not in status_json(cli, str(EXAMPLE), "--as-of", "2021-06-30",
                                          "--by", "lead")
    r = cli("status", EXAMPLE, "--as-of", "2021-06-30")
    assert _group_section(r.stdout)[-1] == "另有 5 项任务的类别未指定专项推进组（group）"
    assert len(_group_section(r.stdout)) == 9  # heading, header, rule, 5 groups, the line
    r = cli("status", EXAMPLE, "--as-of", "2021-06-30", "--lang", "en", "--by", "group")
    assert _group_section(r.stdout)[-1] == "5 more tasks are in categories that name no group"
    # no category names a group: the empty roll-up says why
    assert cli("init", tmp_path / "b", "--example", "beilin").exit_code == 0
    r = cli("status", tmp_path / "b", "--as-of", "2024-06-30")
    assert _group_section(r.stdout) == [
        "按专项推进组：无（luoshi.yaml 的类别都没有填写 group，即牵头的专项推进组）"]
    r = cli("status", tmp_path / "b", "--as-of", "2024-06-30", "--lang", "en")
    assert _group_section(r.stdout) == [
        "By group: none (no category in luoshi.yaml names a group)"]
    assert status_json(cli, str(tmp_path / "b"), "--as-of", "2024-06-30")["ungrouped"] == 6
    # groups exist, but the one task of this unit is in none
    r = cli("status", EXAMPLE, "--as-of", "2021-06-30", "--unit", "kaoheban")
    assert _group_section(r.stdout) == [
        "按专项推进组：无（这 1 项任务的类别都没有填写 group，即牵头的专项推进组）"]
    r = cli("status", EXAMPLE, "--as-of", "2021-06-30", "--unit", "kaoheban", "--lang", "en")
    assert _group_section(r.stdout) == [
        "By group: none (that task is not in a category that names a group)"]
    r = cli("status", EMPTY, *AS_OF)
    assert _group_section(r.stdout) == ["按专项推进组：无"]  # no task at all: nothing left out


def _csv_rows(text: str) -> list[list[str]]:
    import csv
    import io

    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_by_group_counts_the_tasks_in_no_group(cli: Cli, write: Callable[..., Path]
                                                       ) -> None:
    """`status --format csv --by group` left out the tasks whose category names no
    group (the table and the JSON say how many): a spreadsheet summing its rows missed
    渭南's 5 of 20 tasks in silence.  A last row counts them as a group's row does —
    its id empty, which no group's is (a group's id is its name, and `group: ""` is
    no group), its name 未指定专项推进组 in brackets — so every column sums to the
    totals.  The by_group JSON array is unchanged (SPEC §5)."""
    r = cli("status", EXAMPLE, "--as-of", "2021-06-30", "--by", "group", "-f", "csv")
    rows = _csv_rows(r.stdout)
    assert rows[-2:] == [
        ["营商环境专项推进组", "营商环境专项推进组", "4", "1", "2", "0", "0", "0", "1", "2", "1", "0",
         "0.00", "100.00", "2", "2"],
        ["", "（未指定专项推进组）", "5", "0", "4", "1", "0", "0", "0", "5", "0", "0", "20.00",
         "80.00", "5", "4"]]
    assert len(rows) == 7  # the header, 5 groups, the tasks in no group
    doc = status_json(cli, str(EXAMPLE), "--as-of", "2021-06-30")
    totals = doc["totals"]
    for col in ("tasks", "green", "yellow", "red", "milestones_due", "milestones_on_time"):
        i = rows[0].index(col)
        assert sum(int(x[i]) for x in rows[1:]) == totals[col], col
    assert len(doc["by_group"]) == 5
    r = cli("status", EXAMPLE, "--as-of", "2021-06-30", "--by", "group", "-f", "csv",
            "--lang", "en")
    assert _csv_rows(r.stdout)[-1][:3] == ["", "(no group)", "5"]
    # a group named like the row, and a category with `group: ""`: still two rows,
    # told apart by the id
    led = write({
        "luoshi.yaml": "title: 测试\nyear: 2024\ncategories:\n"
                       "  - {id: a, name: 甲类, group: \"（未指定专项推进组）\"}\n"
                       "  - {id: b, name: 乙类, group: \"\"}\n  - {id: c, name: 丙类}\n",
        "units.yaml": "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: ld, name: 甲某}\n",
        "tasks/t.yaml": "".join(
            f"- {{id: T-{i}, title: 任务{i}, category: {c}, lead: fgw, leaders: [ld], "
            "start: 2024-01-01, standard: 完成, milestones: [{due: 2024-12-31, standard: 完成}], "
            "status: in_progress, progress: 50}\n" for i, c in ((1, "a"), (2, "b"), (3, "c")))})
    r = cli("status", led, "--as-of", "2024-06-30", "--by", "group", "-f", "csv")
    assert r.exit_code == 0, r.stderr
    assert [x[:3] for x in _csv_rows(r.stdout)] == [
        ["id", "name", "tasks"], ["（未指定专项推进组）", "（未指定专项推进组）", "1"],
        ["", "（未指定专项推进组）", "2"]]


def test_the_csv_by_group_of_a_ledger_all_in_groups_is_as_it_was(
        cli: Cli, write: Callable[..., Path]) -> None:
    """Every task in a group: no row is added, the CSV is the one it was."""
    led = write({
        "luoshi.yaml": "title: 测试\nyear: 2024\ncategories:\n  - {id: a, name: 甲类, group: 第一组}\n",
        "units.yaml": "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: ld, name: 甲某}\n",
        "tasks/t.yaml": "- {id: T-1, title: 任务1, category: a, lead: fgw, leaders: [ld], "
                        "start: 2024-01-01, standard: 完成, milestones: [{due: 2024-12-31, "
                        "standard: 完成}], status: in_progress, progress: 50}\n"})
    r = cli("status", led, "--as-of", "2024-06-30", "--by", "group", "-f", "csv")
    assert r.stdout == (
        "\ufeffid,name,tasks,planned,in_progress,done,closing,closed,suspended,green,yellow,"
        "red,completion_rate,on_time_rate,milestones_due,milestones_on_time\n"
        "第一组,第一组,1,0,1,0,0,0,0,1,0,0,0.00,,0,0\n")
