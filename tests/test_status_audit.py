"""Status at a past as-of, `--light` views and the published "behind" points, from an
audit that recomputed SPEC §5 by hand.  Each test failed on the code before it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run

Writer = Callable[..., Path]
Cli = Callable[..., Run]

CONFIG = """title: 测试台账
issuer: 测试办
year: 2024
warn_days: 7
progress_tolerance: 10
categories:
  - {id: a, name: 甲类}
  - {id: b, name: 乙类}
"""
UNITS = """units:
  - {id: u1, name: 单位一, kind: department}
  - {id: u2, name: 单位二, kind: department}
  - {id: u3, name: 单位三, kind: subdistrict}
leaders:
  - {id: l1, name: 领导甲, title: 副区长}
"""


def task(tid: str, milestones: str, *, status: str = "in_progress", progress: str = "40",
         extra: str = "", lead: str = "u1") -> str:
    return (f"- id: {tid}\n  title: 任务{tid}\n  category: a\n  lead: {lead}\n"
            f"  leaders: [l1]\n  start: 2024-01-01\n  standard: s\n"
            f"  milestones:\n{milestones}  status: {status}\n  progress: {progress}\n{extra}")


def ledger(write: Writer, tasks: str, **more: str) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/t.yaml": tasks, **more})


def test_a_task_done_by_the_as_of_is_not_behind_on_an_earlier_report(write: Writer,
                                                                    cli: Cli) -> None:
    """D1's only milestone (due 03-31) was done 03-28: at 03-31 the task is done, so its
    progress is the written 100, not the February report's 60 — the old code listed it
    yellow, "behind 40 points (expected 100.00 %, reported 60 %)"."""
    root = ledger(write, task(
        "D1", "    - {due: 2024-03-31, standard: 全部完成, done: 2024-03-28}\n",
        status="done", progress="100",
        extra=('  updates:\n    - {month: "2024-01", progress: 30}\n'
               '    - {month: "2024-02", progress: 60}\n'
               '    - {month: "2024-04", progress: 100}\n')))
    r = cli("status", root, "--as-of", "2024-03-31", "-f", "json")
    assert r.exit_code == 0, r.stderr
    [d1] = json.loads(r.stdout)["tasks"]
    assert (d1["status"], d1["light"], d1["progress"], d1["yellow_reasons"]) == (
        "done", "green", 100.0, [])
    # before it was done, the reports stand: at 02-29 the February report, 60
    r = cli("status", root, "--as-of", "2024-02-29", "-f", "json")
    [d1] = json.loads(r.stdout)["tasks"]
    assert (d1["status"], d1["progress"]) == ("in_progress", 60.0)


def test_a_task_closed_before_its_only_report_shows_its_progress(write: Writer,
                                                                 cli: Cli) -> None:
    """T5 was closed on 03-15 (progress 100); its only update is May's.  The April
    bulletin printed it at 0 % (no report by April) beside 已销号."""
    root = ledger(write, task(
        "T5", "    - {due: 2024-03-10, standard: m, done: 2024-03-10}\n", status="closed",
        progress="100",
        extra=("  closed: {date: 2024-03-15, approved_by: l1, evidence: 验收报告}\n"
               '  updates:\n    - {month: "2024-05", progress: 100}\n')))
    r = cli("bulletin", root, "--month", "2024-04", "--as-of", "2024-04-30")
    assert r.exit_code == 0, r.stderr
    assert "| T5 任务T5 | 单位一 | 领导甲 | 100%/100% | 已销号 |" in r.stdout


def test_behind_points_are_rounded_half_up(write: Writer, cli: Cli) -> None:
    """Expected at 04-10 over 01-01..06-09: 100 × 100/160 = 62.50; reported 40.135;
    behind 62.50 − 40.135 = 22.365 → 22.37 half-up (it was 22.36, half-even)."""
    root = ledger(write, task("E04", "    - {due: 2024-06-09, standard: m0}\n",
                              progress="40.135"))
    r = cli("status", root, "--as-of", "2024-04-10", "-f", "csv")
    assert r.exit_code == 0, r.stderr
    [row] = [x for x in r.stdout.splitlines() if x.startswith("E04,")]
    assert ",yellow,62.50,40.135,,behind:22.37," in row


PARENT = (task("P", "    - {due: 2024-12-31, standard: 全部}\n", progress="40")
          + task("C1", "    - {due: 2024-04-30, standard: 一半}\n"
                 "    - {due: 2024-12-31, standard: 全部}\n", progress="30",
                 extra="  parent: P\n", lead="u2")
          + task("C2", "    - {due: 2024-12-31, standard: 全部}\n", status="suspended",
                 progress="10", extra="  parent: P\n", lead="u3"))


def test_light_narrows_the_lists_not_a_parents_children(write: Writer, cli: Cli) -> None:
    """P is green, its child C1 red (04-30 missed), C2 suspended.  With `--light green`
    P is listed alone, and still carries both children and their roll-up (it showed
    a green parent with nothing under it)."""
    root = ledger(write, PARENT)
    whole = {t["id"]: t for t in json.loads(
        cli("status", root, "--as-of", "2024-05-31", "-f", "json").stdout)["tasks"]}
    r = cli("status", root, "--as-of", "2024-05-31", "-f", "json", "--light", "green")
    assert r.exit_code == 0, r.stderr
    [p] = json.loads(r.stdout)["tasks"]
    assert p["id"] == "P" and p["children"] == ["C1", "C2"]
    assert p["children_rollup"] == whole["P"]["children_rollup"]
    assert p["children_rollup"]["red"] == 1


SUPERVISION = """rectifications:
  - id: ZG-01
    unit: u2
    tasks: [T2]
    source: red_light
    opened: 2024-05-12
    due: 2024-05-20
    closed: {date: 2024-05-25, approved_by: l1, evidence: 报告}
"""


def test_light_never_empties_the_to_supervise_list(write: Writer, cli: Cli) -> None:
    """T2 (lead u2) is red at 06-05 and u2's rectification was closed on 05-25: it is
    应督办.  `--light yellow` printed "应督办…：无" and `"to_supervise": []`."""
    root = ledger(write, task("T2", "    - {due: 2024-04-30, standard: m1}\n"
                                    "    - {due: 2024-12-31, standard: m2}\n", lead="u2")
                  + task("T3", "    - {due: 2024-06-10, standard: m1}\n"),
                  **{"supervision/2024.yaml": SUPERVISION})
    for light in ((), ("--light", "yellow")):
        r = cli("status", root, "--as-of", "2024-06-05", "-f", "json", *light)
        assert r.exit_code == 0, r.stderr
        doc = json.loads(r.stdout)
        assert [t["task"] for t in doc["supervision"]["to_supervise"]] == ["T2"], light
    r = cli("status", root, "--as-of", "2024-06-05", "--light", "yellow")
    text = r.stdout
    assert "T2" in text[text.index("应督办"):]


def test_a_task_carried_over_owes_no_report_of_last_year(write: Writer, cli: Cli) -> None:
    """C23 started 2023-11-01 and has no update.  On 10 January 2024 the report due
    (每月5日前报上月) is December 2023's — which the 2024 ledger cannot hold (LS208):
    nothing is owed yet (it was stale "2023-12", with LS601 asking for it).  On 10
    February January's report is owed."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/t.yaml": task(
        "C23", "    - {due: 2024-06-30, standard: m}\n").replace(
        "start: 2024-01-01", "start: 2023-11-01")})
    r = cli("status", root, "--as-of", "2024-01-10", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["tasks"][0]["stale"] is None
    assert "LS601" not in cli("validate", root, "--as-of", "2024-01-10").stdout
    r = cli("status", root, "--as-of", "2024-02-10", "-f", "json")
    assert json.loads(r.stdout)["tasks"][0]["stale"] == "2024-01"
    assert "LS601" in cli("validate", root, "--as-of", "2024-02-10").stdout
