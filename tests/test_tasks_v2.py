"""Tasks v2 (SPEC §11) by hand-built ledgers with figures worked out by hand: targets
and `achieved`, decomposition balance (a child in another unit, a target in another
measurement unit), lists, and the parent roll-up in `luoshi status`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run, edit

CONFIG = """title: 目标台账
year: 2024
categories:
  - {id: econ, name: 经济发展, planned: 4}
tags:
  - {id: board, name: 任务榜}
  - {id: highlight, name: 亮点牌}
"""
UNITS = """units:
  - {id: fgw, name: 区发改委}
  - {id: zjc, name: 张家村街道}
leaders:
  - {id: li, name: 李某某}
"""


def task(tid: str, extra: str, *, lead: str = "fgw", progress: int = 60,
         updates: str = "") -> str:
    return f"""- id: {tid}
  title: 任务{tid}
  category: econ
  lead: {lead}
  leaders: [li]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {{due: 2024-12-31, standard: 完成}}
  status: in_progress
  progress: {progress}
  updates:
{updates or f'    - {{month: "2024-05", progress: {progress}}}'}
{extra}"""


# 突破300个: 190 done in May → 63.33%; decomposed 200 (fgw) + 100 (zjc, another unit)
PARENT = task("P", "  target: {value: 300, unit: 个}\n  tags: [board, highlight]\n"
              "  owners: [张三]\n  unit_leaders: [王五]\n",
              updates='    - {month: "2024-04", progress: 40, actual: 150}\n'
                      '    - {month: "2024-05", progress: 60, actual: 190}')
KID_1 = task("P.1", "  parent: P\n  target: {value: 200, unit: 个}\n  tags: [board]\n",
             updates='    - {month: "2024-05", progress: 60, actual: 120}')
KID_2 = task("P.2", "  parent: P\n  target: {value: 100, unit: 个}\n", lead="zjc", progress=70,
             updates='    - {month: "2024-05", progress: 70, actual: 70}')
OTHER = task("Q", "  target: {value: 60, unit: 亿元}\n", progress=10,
             updates='    - {month: "2024-05", progress: 10, actual: 30}')


def _ledger(write: Callable[..., Path], kids: str = KID_1 + KID_2, other: str = OTHER) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": PARENT + other, "tasks/b.yaml": kids})


def test_balanced_ledger_validates(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    run = cli("validate", _ledger(write), "--as-of", "2024-05-31", "--lang", "en")
    # Q: 30 of 60 亿元 is 50.00%, reported 10%: 40 points apart (tolerance 10)
    assert run.stdout == (
        "tasks/a.yaml:31:48: warning LS214 task Q: reported progress is 10% but 30 of the "
        "target 60 is 50.00%, more than 10 points apart: check the progress or the actual\n")
    assert run.exit_code == 0


def test_balance_names_the_difference(write: Callable[..., Path],
                                      cli: Callable[..., Run]) -> None:
    kids = KID_1 + KID_2.replace("value: 100", "value: 90")
    run = cli("validate", _ledger(write, kids, ""), "--as-of", "2024-05-31", "--lang", "en")
    assert run.stdout == (
        "luoshi.yaml:4:37: warning LS220 category 经济发展: tasks planned 4 (planned), in the "
        "ledger 3: add the missing tasks or correct planned\n"
        "tasks/a.yaml:15:19: error LS216 task P: the children's targets sum to 290个 but the "
        "target is 300个, a difference of -10个: make the decomposed targets add up\n")
    assert run.exit_code == 1


def test_child_in_another_measurement_unit_is_not_comparable(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    kids = KID_1 + KID_2.replace("unit: 个}", "unit: 万元}")
    run = cli("validate", _ledger(write, kids), "--as-of", "2024-05-31", "--lang", "zh")
    assert run.stdout.splitlines()[0] == (
        "tasks/a.yaml:31:48: warning LS214 任务 Q：报送进度 10%，但完成值 30/目标值 60 折合 50.00%，"
        "相差超过 10 个百分点：请核对进度或完成值")
    assert run.stdout.splitlines()[1:] == [
        "tasks/b.yaml:31:30: warning LS217 任务 P.2：目标计量单位为 万元，上级任务 P 为 个："
        "无法核对分解平衡，请统一计量单位"]


def test_status_json_achieved_and_children(write: Callable[..., Path],
                                           cli: Callable[..., Run]) -> None:
    run = cli("status", _ledger(write), "--as-of", "2024-05-31", "--format", "json")
    doc = json.loads(run.stdout)
    p = next(t for t in doc["tasks"] if t["id"] == "P")
    assert {k: p[k] for k in ("progress", "target", "actual", "achieved", "children",
                              "owners", "unit_leaders", "tags")} == {
        "progress": 60, "target": {"value": 300, "unit": "个"}, "actual": 190,
        "achieved": 63.33, "children": ["P.1", "P.2"], "owners": ["张三"],
        "unit_leaders": ["王五"], "tags": ["board", "highlight"]}
    assert p["children_rollup"] == {
        "tasks": 2, "green": 2, "yellow": 0, "red": 0, "completion_rate": 0.0,
        "on_time_rate": None,
        "by_status": {"planned": 0, "in_progress": 2, "done": 0, "closing": 0, "closed": 0,
                      "suspended": 0},
        "milestones_due": 0, "milestones_on_time": 0}
    kid2 = next(t for t in doc["tasks"] if t["id"] == "P.2")
    assert (kid2["parent"], kid2["achieved"], kid2["lead"]) == ("P", 70.0, "zjc")
    assert [(r["id"], r["name"], r["tasks"]) for r in doc["by_tag"]] == [
        ("board", "任务榜", 2), ("highlight", "亮点牌", 1)]
    # a past as-of takes the actual known then: April's 150 of 300
    past = json.loads(cli("status", _ledger(write), "--as-of", "2024-04-30",
                          "--format", "json").stdout)
    assert next(t for t in past["tasks"] if t["id"] == "P")["achieved"] == 50.0


def test_status_table_targets_section(write: Callable[..., Path],
                                      cli: Callable[..., Run]) -> None:
    run = cli("status", _ledger(write), "--as-of", "2024-05-31", "--lang", "en")
    start = run.stdout.index("Targets (actual/target)")
    assert run.stdout[start:run.stdout.index("Progress reports missing")] == (
        "Targets (actual/target)\n"
        "Task            Actual/target   Achieved %   Progress %\n"
        "───────────────────────────────────────────────────────\n"
        "P 任务P         190/300个            63.33           60\n"
        "  P.1 任务P.1   120/200个            60.00           60\n"
        "  P.2 任务P.2   70/100个             70.00           70\n"
        "Q 任务Q         30/60亿元            50.00           10\n"
        "\n")


def test_status_by_tag_table(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    run = cli("status", _ledger(write), "--as-of", "2024-05-31", "--lang", "en", "--by", "tag")
    start = run.stdout.index("By tag")
    assert run.stdout[start:run.stdout.index("Red:")].splitlines()[3:] == [
        "board       任务榜       2      0      2      0      0      0      0     0     0     2"
        "     0.00          —",
        "highlight   亮点牌       1      0      1      0      0      0      0     0     0     1"
        "     0.00          —",
        ""]


def test_closed_parent_with_open_child(write: Callable[..., Path],
                                       cli: Callable[..., Run]) -> None:
    parent = PARENT.replace("status: in_progress", "status: closed").replace(
        "progress: 60\n", "progress: 100\n  closed: {date: 2024-05-30, approved_by: li}\n", 1
    ).replace("standard: 完成}", "standard: 完成, done: 2024-05-30}")
    root = write({"luoshi.yaml": CONFIG.replace(", planned: 4", ""), "units.yaml": UNITS,
                  "tasks/a.yaml": parent, "tasks/b.yaml": KID_1 + KID_2})
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert "error LS218 task P is closed but its child P.1 is in_progress" in run.stdout
    assert "error LS218 task P is closed but its child P.2 is in_progress" in run.stdout
    assert run.exit_code == 1


def test_a_parent_chain_1500_deep_prints(write: Callable[..., Path],
                                         cli: Callable[..., Run]) -> None:
    """A chain of `parent:` links 1,500 deep, each with a target: the status table's
    target section and the bulletin's task order recursed once per level, and the table
    stopped with an internal error (RecursionError) from about 1,000 levels.  Now
    both print, the tasks in chain order in the bulletin."""
    depth = 1500
    tasks = "".join(task(f"C{i:04d}", ("" if i == 0 else f"  parent: C{i - 1:04d}\n")
                         + "  target: {value: 1, unit: 个}\n",
                         updates='    - {month: "2024-05", progress: 60, actual: 1}')
                    for i in range(depth))
    config = CONFIG.replace(", planned: 4", "")
    root = write({"luoshi.yaml": config, "units.yaml": UNITS, "tasks/a.yaml": tasks})
    table = cli("status", root, "--as-of", "2024-05-31", "--lang", "en")
    assert table.exit_code == 0, table.stderr
    assert "C1499" in table.stdout and "Progress reports missing" in table.stdout
    # indentation stops at TARGET_INDENT_MAX = 8 levels (16 spaces): the row of the
    # 1,500th task is 16 spaces, "(level 1500) " and its cells.  Its 2,998 spaces made
    # the table 159 columns wide, and folding that column then dropped them anyway
    assert max(map(len, table.stdout.splitlines())) < 120
    assert "\n                (level 1500) C1499 " in table.stdout
    md = cli("bulletin", root, "--month", "2024-05", "--lang", "en")
    assert md.exit_code == 0, md.stderr
    found = [md.stdout.index(f"C{i:04d} ") for i in (0, 1, 749, 1499)]
    assert found == sorted(found)


def test_a_deep_chain_says_its_level_below_eight(write: Callable[..., Path],
                                                 cli: Callable[..., Run]) -> None:
    """A chain of 11 tasks in the targets table: C00 to C08 indented two spaces a level
    under the top, C09 and C10 (9 and 10 below the top) at C08's 16 spaces with their
    level, counted from 1 at the top, before the id — a chain 16,000 deep drew 16,000
    levels of spaces (65 s, 665 MB)."""
    tasks = "".join(task(f"C{i:02d}", ("" if i == 0 else f"  parent: C{i - 1:02d}\n")
                         + "  target: {value: 1, unit: 个}\n",
                         updates='    - {month: "2024-05", progress: 60, actual: 1}')
                    for i in range(11))
    root = write({"luoshi.yaml": CONFIG.replace(", planned: 4", ""), "units.yaml": UNITS,
                  "tasks/a.yaml": tasks})
    for lang, head, levels in (("en", "Targets (actual/target)", ("(level 10) ", "(level 11) ")),
                               ("zh", "目标完成情况（完成值/目标值）", ("（第10层）", "（第11层）"))):
        out = cli("status", root, "--as-of", "2024-05-31", "--lang", lang).stdout
        lines = out[out.index(head):].splitlines()[3:14]
        firsts = [line.split(" 任务C")[0] for line in lines]
        assert firsts == [*("  " * i + f"C{i:02d}" for i in range(9)),
                          " " * 16 + levels[0] + "C09", " " * 16 + levels[1] + "C10"], lang


def test_the_by_tag_heading_names_no_other_ledgers_lists(write: Callable[..., Path],
                                                         cli: Callable[..., Run]) -> None:
    """七里河's lists are 省市重大决策部署 and the like: the roll-up's heading is 按清单,
    not 清新's 按清单（任务榜、亮点牌等）."""
    root = _ledger(write)
    edit(root / "luoshi.yaml", "{id: board, name: 任务榜}", "{id: board, name: 省市重大决策部署}")
    edit(root / "luoshi.yaml", "{id: highlight, name: 亮点牌}",
         "{id: highlight, name: 区委重点工作任务}")
    run = cli("status", root, "--as-of", "2024-05-31", "--by", "tag")
    assert run.exit_code == 0, run.stderr
    assert "按清单\n" in run.stdout
    assert "任务榜" not in run.stdout and "亮点牌" not in run.stdout


def test_a_word_unit_stands_apart_from_its_number(write: Callable[..., Path],
                                                   cli: Callable[..., Run]) -> None:
    """Chinese glues a unit to its number (300个); an English word does not (300 stalls:
    "300stalls" read as one word)."""
    kids = (KID_1 + KID_2.replace("value: 100", "value: 90")).replace("unit: 个}", "unit: stalls}")
    parent = PARENT.replace("unit: 个}", "unit: stalls}")
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": parent,
                  "tasks/b.yaml": kids})
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert ("error LS216 task P: the children's targets sum to 290 stalls but the target is "
            "300 stalls, a difference of -10 stalls: make the decomposed targets add up"
            in run.stdout), run.stdout
    (root / "tasks" / "b.yaml").write_text((KID_1 + KID_2).replace("unit: 个}", "unit: stalls}"),
                                          encoding="utf-8")
    status = cli("status", root, "--as-of", "2024-05-31", "--lang", "en")
    assert status.exit_code == 0, status.stderr
    assert "/300 stalls" in status.stdout, status.stdout


def _rate_ledger(write: Callable[..., Path], unit: str, parent: int, kids: tuple[int, int]
                 ) -> Path:
    """P held to `parent` `unit`, split across two towns P.1 and P.2."""
    t = f'  target: {{value: {{v}}, unit: "{unit}"}}\n'
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("P", t.replace("{v}", str(parent))),
                  "tasks/b.yaml": task("P.1", "  parent: P\n" + t.replace("{v}", str(kids[0])))
                  + task("P.2", "  parent: P\n" + t.replace("{v}", str(kids[1])), lead="zjc")})


def test_a_rate_split_across_towns_is_not_summed(write: Callable[..., Path],
                                                 cli: Callable[..., Run]) -> None:
    """标准化率达95%: each town held to 95% is not 190% against 95% (no LS216), whatever
    the rate's unit is written as; status, which refuses a ledger with errors, runs."""
    planned = ("luoshi.yaml:4:37: warning LS220 category 经济发展: tasks planned 4 (planned), "
               "in the ledger 3: add the missing tasks or correct planned\n")
    for unit in ("%", "％", "‰", "个百分点", "百分点", "percent", "Percentage Points", "达标率",
                 "% (占比)", "比例", "比重"):
        root = _rate_ledger(write, unit, 95, (95, 95))
        run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
        assert (run.stdout, run.exit_code) == (planned, 0), unit
    root = _rate_ledger(write, "%", 95, (90, 98))
    assert cli("validate", root, "--as-of", "2024-05-31").exit_code == 0
    status = cli("status", root, "--as-of", "2024-05-31", "--lang", "en")
    assert status.exit_code == 0, status.stderr
    assert "P.1" in status.stdout and "/95%" in status.stdout, status.stdout


def test_amounts_still_balance(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """个 and 万元 are amounts: the split must add up (LS216), zh and en."""
    root = _rate_ledger(write, "万元", 95, (95, 95))
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "zh")
    assert run.stdout.splitlines()[1:] == [
        "tasks/a.yaml:14:19: error LS216 任务 P：分解后下级任务目标值合计 190万元，上级目标值为 "
        "95万元，相差 +95万元：请使分解的目标值之和等于上级目标值"]
    assert run.exit_code == 1
    root = _rate_ledger(write, "个", 95, (50, 40))
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert run.stdout.splitlines()[1:] == [
        "tasks/a.yaml:14:19: error LS216 task P: the children's targets sum to 90个 but the "
        "target is 95个, a difference of -5个: make the decomposed targets add up"]


def test_a_negative_target_or_actual_is_not_told_to_use_a_larger_unit(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """`value: -100` was told "write it in a larger unit (万元、亿元)", which does not
    make it positive; a value too large still is."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": task(
        "N", "  target: {value: -100, unit: 吨}\n",
        updates='    - {month: "2024-05", progress: 60, actual: -10}')
        + task("B", "  target: {value: 1e20, unit: 元}\n")})
    run = cli("validate", root, "--as-of", "2024-05-31", "--select", "LS109", "--lang", "zh")
    assert run.stdout == (
        "tasks/a.yaml:13:48: error LS109 actual 的值 -10 超出范围 0–999999999999.999999："
        "目标值和完成值不能为负数，请写正数（减少、下降的量按其大小写正数，并在完成标准中写明“减少”）\n"
        "tasks/a.yaml:14:19: error LS109 value 的值 -100 超出范围 0–999999999999.999999："
        "目标值和完成值不能为负数，请写正数（减少、下降的量按其大小写正数，并在完成标准中写明“减少”）\n"
        "tasks/a.yaml:28:19: error LS109 value 的值 1e+20 超出范围 0–999999999999.999999："
        "请改用更大的单位书写（如万元、亿元，并相应修改任务 target 的 unit）；导出的表"
        "（Parquet DECIMAL(18,6)）只容纳小于 10^12 的数\n")
    run = cli("validate", root, "--as-of", "2024-05-31", "--select", "LS109", "--lang", "en")
    assert run.stdout.splitlines()[1] == (
        "tasks/a.yaml:14:19: error LS109 value: -100 is outside 0–999999999999.999999: a target "
        "or an actual must not be negative; write a positive number (a decrease as its size, "
        "with the standard saying it is a reduction)")


def test_a_tag_listed_twice_is_named(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """`tags: [board, highlight, board]` kept board twice (JSON, export 任务榜、任务榜) but
    counted it once in by_tag, without a word: LS223 at the repeat; an undeclared tag
    written twice is LS118 once and LS223 at the repeat."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": task(
        "G", "  tags: [board, highlight, board]\n")
        + task("H", "  tags:\n    - nosuch\n    - nosuch\n")})
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "zh")
    assert run.stdout.splitlines()[1:] == [
        "tasks/a.yaml:14:28: warning LS223 任务 G 的 tags 中标签 board 重复列出：请删去重复的一项",
        "tasks/a.yaml:29:7: error LS118 任务 H 引用了未在 luoshi.yaml 的 tags 中声明的标签 nosuch："
        "请先声明 {id, name} 或改正标签",
        "tasks/a.yaml:30:7: warning LS223 任务 H 的 tags 中标签 nosuch 重复列出：请删去重复的一项"]
    run = cli("validate", root, "--as-of", "2024-05-31", "--select", "LS223", "--lang", "en")
    assert run.stdout == (
        "tasks/a.yaml:14:28: warning LS223 task G lists tag board twice under tags: remove the "
        "repeat\n"
        "tasks/a.yaml:30:7: warning LS223 task H lists tag nosuch twice under tags: remove the "
        "repeat\n")


def test_an_actual_without_a_target_is_named(write: Callable[..., Path],
                                             cli: Callable[..., Run]) -> None:
    """`actual: 42` on a task without a target counted nowhere, without a word, where
    `import updates` refuses it: LS224 at each actual; one with a target is silent."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": task(
        "A", "", updates='    - {month: "2024-04", progress: 50, actual: 40}\n'
                         '    - {month: "2024-05", progress: 60, actual: 42.5}')
        + task("B", "  target: {value: 100, unit: 家}\n",
               updates='    - {month: "2024-05", progress: 60, actual: 60}')})
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "zh")
    assert run.stdout.splitlines()[1:] == [
        "tasks/a.yaml:13:48: warning LS224 任务 A：2024-04 月报写了完成值（actual）40，但任务没有"
        "量化目标（target）：完成值无从折算，不计入任何统计；请补上任务的目标值（target 的 value 和 "
        "unit），或删去 actual",
        "tasks/a.yaml:14:48: warning LS224 任务 A：2024-05 月报写了完成值（actual）42.5，但任务没有"
        "量化目标（target）：完成值无从折算，不计入任何统计；请补上任务的目标值（target 的 value 和 "
        "unit），或删去 actual"]
    assert run.exit_code == 0
    run = cli("validate", root, "--as-of", "2024-05-31", "--select", "LS224", "--lang", "en")
    assert run.stdout.splitlines()[1] == (
        "tasks/a.yaml:14:48: warning LS224 task A: the 2024-05 update has actual 42.5 but the "
        "task has no numeric target: the actual counts nowhere; add the task's target (value "
        "and unit) or remove actual")


def test_findings_on_tags_and_updates_point_past_a_dropped_entry(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """Review of the change: LS223 pointed at the first `board` of `[2024, board,
    board]` (the number is dropped and reported), and LS224 at the update before the
    one holding `actual` when an earlier update's month did not read — both point at
    the entry as written now; and a target written that did not read (`value: -5`,
    LS109) is no "the task has no target" (LS224 is left out)."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": task(
        "G", "  tags: [2024, board, board]\n")
        + task("A", "", updates='    - {month: "2024-13", progress: 5}\n'
                                '    - {month: "2024-04", progress: 50}\n'
                                '    - {month: "2024-05", progress: 60, actual: 42}')
        + task("N", "  target: {value: -5, unit: 家}\n",
               updates='    - {month: "2024-05", progress: 60, actual: 3}')})
    run = cli("validate", root, "--as-of", "2024-05-31", "--select", "LS223,LS224,LS109",
              "--lang", "en")
    lines = [line.split(" task ")[0] for line in run.stdout.splitlines()]
    assert [x for x in lines if "LS223" in x or "LS224" in x] == [
        "tasks/a.yaml:14:23: warning LS223",
        "tasks/a.yaml:29:48: warning LS224"]
    assert [x.split(": ")[0] for x in lines if "LS109" in x] == ["tasks/a.yaml:43:19"]


def test_a_deep_chain_keeps_the_bulletin_and_the_export_small(
        write: Callable[..., Path], cli: Callable[..., Run], tmp_path: Path) -> None:
    """Review of the change: the bulletin's mark grew a space per level (a 10,000-task
    `parent:` chain made a 153 MB bulletin) and the export walked every task to the top
    of its chain (17 s at 20,000): the mark stops at 7 levels, as the export's indent
    does, and the walk one level past it."""
    n = 400
    chain = "".join(task(f"C{i:04d}", f"  parent: C{i - 1:04d}\n" if i else "")
                    for i in range(n))
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": chain})
    run = cli("bulletin", root, "--month", "2024-05", "--as-of", "2024-05-31")
    assert run.exit_code == 0, run.stderr
    marks = [line.split("C0")[0].split("|")[-1] for line in run.stdout.splitlines()
             if "└ C0" in line]
    assert len(marks) == n - 1
    assert max(len(m) for m in marks) == len(" " + "\u3000" * 6 + "└ ")
    assert any("\u3000" * 6 + "└ C0399" in line for line in run.stdout.splitlines())
    from luoshi_cli.core.labels import LEVELS_SHOWN
    from luoshi_cli.excel.export import _depths
    from luoshi_cli.load.assemble import open_ledger

    depths = _depths(open_ledger(root).ledger)
    assert depths["C0001"] == 1 and depths["C0007"] == 7
    assert depths["C0399"] == LEVELS_SHOWN + 1  # counted no further: all the indent reads
