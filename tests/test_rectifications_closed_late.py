"""Rules' `rectifications_closed_late` condition (an extension of SPEC §10's conditions,
beside `rectifications_overdue`): seed 002 扣减 a unit whose 整改 is "超期完成" — closed, but
after its deadline.  `rectifications_overdue` sees a rectification still open after its
deadline at the period's end; this counts the unit's rectifications closed within the
period after their due date, each once, in the period of its closing.

Each test writes a small ledger and compares with the hand computation in its
docstring: the engine, the scheme's validation, `--explain`, the bulletin and JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from conftest import Run
from luoshi_cli.ops.scoring import ScoreResult, score_period
from luoshi_cli.ops.supervision import rectifications_closed_late
from test_late_milestones import CONFIG, UNITS, _record, load

Writer = Callable[..., Path]
Cli = Callable[..., Run]

TASKS = """- id: T-1
  title: 任务T-1
  category: cat
  lead: a
  leaders: [wang]
  start: 2021-01-01
  standard: 完成
  milestones:
    - {due: 2021-12-31, standard: 完成}
  status: in_progress
  progress: 50
"""
#: 甲县: ZG-1 due 05-15 closed 05-20 (late, in Q2); ZG-2 due 06-30 closed 07-02 (late,
#: closed in Q3); ZG-3 due 03-31 closed 04-05 (late, closed in Q2: opened in Q1, counted
#: where it was closed).  乙局: ZG-4 due 05-31 closed 05-31 (on its due day: on time);
#: ZG-5 due 05-01 never closed (overdue, not closed late).  丙局: ZG-6 due 06-10 closed
#: 06-11 (late, in Q2).
SUPERVISION = """rectifications:
  - {id: ZG-1, unit: a, opened: 2021-04-01, due: 2021-05-15, closed: {date: 2021-05-20, approved_by: wang}}
  - {id: ZG-2, unit: a, opened: 2021-04-01, due: 2021-06-30, closed: {date: 2021-07-02, approved_by: wang}}
  - {id: ZG-3, unit: a, opened: 2021-03-01, due: 2021-03-31, closed: {date: 2021-04-05, approved_by: wang}}
  - {id: ZG-4, unit: b, opened: 2021-04-01, due: 2021-05-31, closed: {date: 2021-05-31, approved_by: wang}}
  - {id: ZG-5, unit: b, opened: 2021-04-01, due: 2021-05-01}
  - {id: ZG-6, unit: c, opened: 2021-04-01, due: 2021-06-10, closed: {date: 2021-06-11, approved_by: wang}}
"""
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
  - {id: late, when: {rectifications_closed_late: {min: 1}}, interview: true}
  - {id: late2, when: {rectifications_closed_late: {min: 2}}, max_grade: 良好, note: 整改两项以上超期完成不得评为优秀}
"""


def ledger(write: Writer, scheme: str = SCHEME) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/t.yaml": TASKS,
                  "scheme.yaml": scheme, "supervision/2021.yaml": SUPERVISION,
                  **{f"records/2021-Q{q}.yaml": _record(f"2021-Q{q}") for q in range(1, 5)}})


def facts(r: ScoreResult) -> dict[str, tuple[int, list[str], str, bool]]:
    return {u.unit: (u.rectifications_closed_late, u.rules_applied, u.grade, u.interview)
            for u in r.units}


def test_closed_late_by_hand(write: Writer) -> None:
    """Q2 (04-01..06-30): 甲县 ZG-1 (05-20 > 05-15) + ZG-3 (closed 04-05 > 03-31, in Q2)
    = 2 — ZG-2 is closed in Q3 — → late (interview) and late2 (95 优秀 → cap 良好);
    乙局 0 (ZG-4 closed on its due day; ZG-5 is open: rectifications_overdue's) → 92
    优秀; 丙局 ZG-6 = 1 → late only, 91 优秀.  Q1: nothing closed → 0.  Q3: 甲县 ZG-2
    (07-02 > 06-30) = 1.  The year: 甲县 3, 乙局 0, 丙局 1."""
    led = load(ledger(write))
    assert facts(score_period(led, "2021-Q2")) == {
        "a": (2, ["late", "late2"], "良好", True),
        "b": (0, [], "优秀", False),
        "c": (1, ["late"], "优秀", True)}
    assert [u.rectifications_closed_late for u in score_period(led, "2021-Q1").units] == \
        [0, 0, 0]
    assert facts(score_period(led, "2021-Q3"))["a"] == (1, ["late"], "优秀", True)
    assert {u.unit: u.rectifications_closed_late
            for u in score_period(led, "2021").units} == {"a": 3, "b": 0, "c": 1}
    # the count itself, both ends of the period included: ZG-6 closed on 06-11
    assert rectifications_closed_late(led, "c", date(2021, 6, 11), date(2021, 6, 11)) == 1
    assert rectifications_closed_late(led, "c", date(2021, 6, 12), date(2021, 6, 30)) == 0


def test_no_rule_asks_no_count(write: Writer) -> None:
    scheme = SCHEME.split("rules:")[0] + "rules: []\n"
    r = score_period(load(ledger(write, scheme)), "2021-Q2")
    assert [u.rectifications_closed_late for u in r.units] == [0, 0, 0]


def test_the_scheme_is_checked_like_the_other_conditions(write: Writer, cli: Cli) -> None:
    """LS109 (min outside 1–100000), LS101 (unknown key), LS103 (not a mapping), as
    `rectifications_overdue` gets them; the JSON Schema of scheme.yaml knows the key."""
    scheme = SCHEME.split("rules:")[0] + """rules:
  - {id: r1, when: {rectifications_closed_late: {min: 0}}, interview: true}
  - {id: r2, when: {rectifications_closed_late: {max: 1}}, interview: true}
  - {id: r3, when: {rectifications_closed_late: 3}, interview: true}
"""
    r = cli("validate", ledger(write, scheme), "--as-of", "2021-06-30")
    assert r.exit_code == 1
    assert [x for x in r.stdout.splitlines() if "scheme.yaml" in x] == [
        "scheme.yaml:11:55: error LS109 min 的值 0 超出范围 1–100000：请改正",
        "scheme.yaml:12:50: error LS101 整改超期完成条件中有未知的键 max：请检查拼写，或删除它",
        "scheme.yaml:13:49: error LS103 rectifications_closed_late 应为映射（键: 值），实际是数字 3："
        "请改正"]
    doc = json.loads(cli("schema", "-k", "scheme").stdout)
    assert doc["definitions"]["when"]["properties"]["rectifications_closed_late"][
        "$ref"] == "#/definitions/rectifications_closed_late"
    assert doc["definitions"]["rectifications_closed_late"]["properties"]["min"][
        "minimum"] == 1


def test_explain_and_bulletin_word_the_condition(write: Writer, cli: Cli) -> None:
    """`--explain` and the ranking's remarks say 整改超期完成N项, the count included."""
    root = ledger(write)
    zh = cli("score", root, "-q", "Q2", "--explain", "a", "--as-of", "2021-12-31")
    assert zh.exit_code == 0, zh.stderr
    assert [x for x in zh.stdout.splitlines() if x.startswith("规则")] == [
        "规则“整改两项以上超期完成不得评为优秀”（整改超期完成2项）等次封顶（良好）：优秀 → 良好",
        "规则 late（整改超期完成2项）列入约谈：良好（等次不变）"]
    en = cli("score", root, "-q", "Q2", "--explain", "c", "--as-of", "2021-12-31",
             "--lang", "en")
    assert [x for x in en.stdout.splitlines() if x.startswith("rule")] == [
        "rule late (1 rectification closed after the deadline) marks for interview: 优秀 "
        "(no change)"]
    md = cli("bulletin", root, "--quarter", "Q2", "--as-of", "2021-12-31").stdout
    assert ("| 1 | 甲县 | 0.00 | 95.00 | 良好 | 约谈；整改两项以上超期完成不得评为优秀；"
            "整改超期完成2项，予以约谈；等次由优秀调整为良好 |") in md
    r = cli("score", root, "-q", "Q2", "--format", "json", "--as-of", "2021-12-31")
    got = {u["unit"]: (u["rules_applied"], u["interview"], u["grade"])
           for u in json.loads(r.stdout)["units"]}
    assert got == {"a": (["late", "late2"], True, "良好"), "b": ([], False, "优秀"),
                   "c": (["late"], True, "优秀")}
