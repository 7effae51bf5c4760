"""Rules' `late_milestones` condition (an extension of SPEC §10's conditions): 葫芦岛's
"节点任务未达标亮红灯的…警示约谈" — a node that went red during the period counts even
when it was done (late) before the period's end, which `overdue_tasks` (the settled
reading: not done by the period's end) does not see.

Each test writes a small ledger and compares with the hand computation in its
docstring: the engine, the scheme's validation, `--explain`, the bulletin and JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from conftest import Run
from luoshi_cli.core.model import Ledger
from luoshi_cli.ops.scoring import ScoreResult, score_period
from luoshi_cli.ops.validate import validate

Writer = Callable[..., Path]
Cli = Callable[..., Run]

CONFIG = """title: 测试台账
year: 2021
categories:
  - {id: cat, name: 测试}
"""
UNITS = """units:
  - {id: a, name: 甲县}
  - {id: b, name: 乙局}
  - {id: c, name: 丙局}
leaders:
  - {id: wang, name: 王某}
"""


def _task(tid: str, lead: str, milestones: list[tuple[str, str | None]], *,
          units: str = "[]", status: str = "in_progress") -> str:
    ms = "".join(f"    - {{due: {due}, standard: 节点{i}"
                 + (f", done: {done}}}\n" if done else "}\n")
                 for i, (due, done) in enumerate(milestones, 1))
    return (f"- id: {tid}\n  title: 任务{tid}\n  category: cat\n  lead: {lead}\n"
            f"  units: {units}\n  leaders: [wang]\n  start: 2021-01-01\n  standard: 完成\n"
            f"  milestones:\n{ms}  status: {status}\n  progress: 50\n\n")


#: 甲县 leads T-1 (05-15 done 05-20: late, red for 5 days; 06-30 done 07-02: due on
#: Q2's last day, done after it), T-2 (04-10 on time), T-3 (03-31 done 04-05: due in
#: Q1), T-4 (suspended: 05-01 never done), and is only a responsible unit of T-5
#: (乙局 leads it: 05-01 done 05-10).  丙局 leads T-6 (06-30 done 06-30: on time).
TASKS = (_task("T-1", "a", [("2021-05-15", "2021-05-20"), ("2021-06-30", "2021-07-02")])
         + _task("T-2", "a", [("2021-04-10", "2021-04-10")])
         + _task("T-3", "a", [("2021-03-31", "2021-04-05")])
         + _task("T-4", "a", [("2021-05-01", None)], status="suspended")
         + _task("T-5", "b", [("2021-05-01", "2021-05-10")], units="[a]")
         + _task("T-6", "c", [("2021-06-30", "2021-06-30")]))

SCHEME = """id: t
title: 测试考核
components:
  - {id: work, name: 日常工作, weight: 100}
grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 70}
  - {name: 较差, min: 0}
rules:
  - {id: red, when: {late_milestones: {min: 1}}, interview: true}
  - {id: red2, when: {late_milestones: {min: 2}}, max_grade: 良好, note: 节点两次以上未按时完成不得评为优秀}
  - {id: od, when: {overdue_tasks: {min: 1}}, downgrade: 1}
"""


def _record(period: str) -> str:
    return f"period: {period}\nscores:\n  a: {{work: 95}}\n  b: {{work: 92}}\n  c: {{work: 91}}\n"


def ledger(write: Writer, scheme: str = SCHEME) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/t.yaml": TASKS,
                  "scheme.yaml": scheme,
                  **{f"records/2021-Q{q}.yaml": _record(f"2021-Q{q}") for q in range(1, 5)}})


def load(root: Path) -> Ledger:
    v = validate(root, date(2030, 1, 1))
    assert v.errors == 0, [f.message("en") for f in v.findings if f.severity == "error"]
    return v.loaded.ledger


def facts(r: ScoreResult) -> dict[str, tuple[int, int, list[str], str, bool]]:
    return {u.unit: (u.late_milestones, u.overdue, u.rules_applied, u.grade, u.interview)
            for u in r.units}


def test_late_milestones_by_hand(write: Writer) -> None:
    """Q2 (04-01..06-30):
      甲县: T-1 05-15 done 05-20 (late) + T-1 06-30 done 07-02 (due on the last day, not
            done by it) = 2; T-2 on time; T-3 due in Q1; T-4 suspended (left out, as
            `overdue_tasks` leaves it); T-5 it does not lead.  → red (interview) and red2
            (95 优秀 → cap 良好).  overdue_tasks: due before 06-30 and not done by it:
            none (05-15 was done by 06-30; 06-30 is not before the last day) → od no.
      乙局: T-5 05-01 done 05-10 = 1 → red only (interview), 92 优秀 stays.
      丙局: T-6 done on its due date = 0 → nothing (91 优秀), and it is not in the
            bottom (interview_bottom is 0).
    Q1: T-3 03-31 done 04-05 counts in Q1 (甲县 1 → red); Q3: nothing is due → 0:
    a milestone counts once, in the period of its due date.
    The year: 甲县 3 (T-3, T-1 ×2), 乙局 1, 丙局 0."""
    led = load(ledger(write))
    assert facts(score_period(led, "2021-Q2")) == {
        "a": (2, 0, ["red", "red2"], "良好", True),
        "b": (1, 0, ["red"], "优秀", True),
        "c": (0, 0, [], "优秀", False)}
    assert facts(score_period(led, "2021-Q1")) == {
        "a": (1, 0, ["red"], "优秀", True),
        "b": (0, 0, [], "优秀", False),
        "c": (0, 0, [], "优秀", False)}
    assert [u.late_milestones for u in score_period(led, "2021-Q3").units] == [0, 0, 0]
    assert {u.unit: u.late_milestones for u in score_period(led, "2021").units} == {
        "a": 3, "b": 1, "c": 0}


def test_a_milestone_not_done_at_all_is_late_and_overdue(write: Writer) -> None:
    """乙局's T-5 never done (05-01): late (not done by the period's end) and also
    overdue (due before 06-30, not done by it): red and od both hold — 92 优秀,
    od 降一档 → 良好, red marks it."""
    root = ledger(write)
    tasks = root / "tasks" / "t.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(
        "{due: 2021-05-01, standard: 节点1, done: 2021-05-10}",
        "{due: 2021-05-01, standard: 节点1}"), encoding="utf-8")
    r = score_period(load(root), "2021-Q2")
    assert facts(r)["b"] == (1, 1, ["red", "od"], "良好", True)


def test_no_rule_asks_no_count(write: Writer) -> None:
    """The count is made only for a scheme with the condition (a ledger of tens of
    thousands of tasks pays for nothing it does not use)."""
    scheme = SCHEME.split("rules:")[0] + "rules:\n  - {id: od, when: {overdue_tasks: {min: 1}}, downgrade: 1}\n"
    r = score_period(load(ledger(write, scheme)), "2021-Q2")
    assert [u.late_milestones for u in r.units] == [0, 0, 0]


def test_the_scheme_is_checked_like_the_other_conditions(write: Writer, cli: Cli) -> None:
    """An ill-typed or unknown value under `late_milestones` gets the findings
    `overdue_tasks` gets (LS109 range, LS101 unknown key, LS103 not a mapping), at
    the value's line and column."""
    scheme = SCHEME.split("rules:")[0] + """rules:
  - {id: r1, when: {late_milestones: {min: 0}}, interview: true}
  - {id: r2, when: {late_milestones: {max: 1}}, interview: true}
  - {id: r3, when: {late_milestones: 3}, interview: true}
  - {id: r4, when: {overdue_tasks: 3}, interview: true}
"""
    root = ledger(write, scheme)
    r = cli("validate", root, "--as-of", "2021-06-30")
    assert r.exit_code == 1
    assert [x for x in r.stdout.splitlines() if "scheme.yaml" in x] == [
        "scheme.yaml:11:44: error LS109 min 的值 0 超出范围 1–100000：请改正",
        "scheme.yaml:12:39: error LS101 节点延期条件中有未知的键 max：请检查拼写，或删除它",
        "scheme.yaml:13:38: error LS103 late_milestones 应为映射（键: 值），实际是数字 3：请改正",
        "scheme.yaml:14:36: error LS103 overdue_tasks 应为映射（键: 值），实际是数字 3：请改正"]
    r = cli("validate", root, "--as-of", "2021-06-30", "--lang", "en")
    assert [x for x in r.stdout.splitlines() if "scheme.yaml" in x][1] == (
        "scheme.yaml:12:39: error LS101 unknown key max in late_milestones: "
        "check the spelling or remove it")


def test_explain_words_the_condition(write: Writer, cli: Cli) -> None:
    """`--explain` says why in the bulletin's words, the count included."""
    root = ledger(write)
    zh = cli("score", root, "-q", "Q2", "--explain", "a", "--as-of", "2021-12-31")
    assert zh.exit_code == 0, zh.stderr
    assert [x for x in zh.stdout.splitlines() if x.startswith("规则")] == [
        "规则“节点两次以上未按时完成不得评为优秀”（牵头任务本期节点未按时完成2个）等次封顶（良好）：优秀 → 良好",
        "规则 red（牵头任务本期节点未按时完成2个）列入约谈：良好（等次不变）"]
    en = cli("score", root, "-q", "Q2", "--explain", "b", "--as-of", "2021-12-31",
             "--lang", "en")
    assert [x for x in en.stdout.splitlines() if x.startswith("rule")] == [
        "rule red (1 milestone of tasks it leads not done on time in the period) "
        "marks for interview: 优秀 (no change)"]


def test_bulletin_words_the_condition(write: Writer, cli: Cli) -> None:
    """The ranking's remarks word a rule without a note from its condition and
    action; a rule with a note prints the note."""
    root = ledger(write)
    zh = cli("bulletin", root, "--quarter", "Q2", "--as-of", "2021-12-31")
    assert zh.exit_code == 0, zh.stderr
    assert ("| 1 | 甲县 | 0.00 | 95.00 | 良好 | 约谈；节点两次以上未按时完成不得评为优秀；"
            "牵头任务本期节点未按时完成2个，予以约谈；等次由优秀调整为良好 |") in zh.stdout
    assert "| 2 | 乙局 | 0.00 | 92.00 | 优秀 | 约谈；牵头任务本期节点未按时完成1个，予以约谈 |" in zh.stdout
    en = cli("bulletin", root, "--quarter", "Q2", "--as-of", "2021-12-31", "--lang", "en")
    assert ("| 2 | 乙局 | 0.00 | 92.00 | 优秀 | interview; 1 milestone of tasks it leads not done "
            "on time in the period: called for interview |") in en.stdout


def test_json_names_the_rules_and_the_interview(write: Writer, cli: Cli) -> None:
    root = ledger(write)
    r = cli("score", root, "-q", "Q2", "--format", "json", "--as-of", "2021-12-31")
    assert r.exit_code == 0, r.stderr
    got = {u["unit"]: (u["rules_applied"], u["interview"], u["grade"])
           for u in json.loads(r.stdout)["units"]}
    assert got == {"a": (["red", "red2"], True, "良好"), "b": (["red"], True, "优秀"),
                   "c": ([], False, "优秀")}
