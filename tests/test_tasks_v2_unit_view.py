"""`status --unit` keeps a parent's decomposition (audit tasks v2, F4): the children
and their roll-up of a task the unit leads or shares are every child of the task,
as with `--light`, not only those the unit is also on; the targets table shows the
whole decomposition under a listed task.  Both paths: the status rows (the CLI's
JSON and table) and the report made from every task (`api.status`)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import Run
from luoshi_cli import api
from luoshi_cli.load.assemble import DirSource
from luoshi_cli.ops.validate import validate
from luoshi_cli.report import status as status_report

CONFIG = """title: 目标台账
year: 2024
categories:
  - {id: econ, name: 经济发展}
"""
UNITS = """units:
  - {id: fgw, name: 区发改委}
  - {id: zjc, name: 张家村街道}
  - {id: cun, name: 甲村}
leaders:
  - {id: li, name: 李某某}
"""


def task(tid: str, lead: str, target: int, actual: int, progress: int,
         parent: str | None = None) -> str:
    return f"""- id: {tid}
  title: 任务{tid}
  category: econ
  lead: {lead}
  leaders: [li]
  start: 2024-01-01
  standard: 完成
  target: {{value: {target}, unit: 个}}
{f"  parent: {parent}" + chr(10) if parent else ""}  milestones:
    - {{due: 2024-12-31, standard: 完成}}
  status: in_progress
  progress: {progress}
  updates:
    - {{month: "2024-05", progress: {progress}, actual: {actual}}}
"""


TASKS = (task("P", "fgw", 300, 190, 60) + task("P.1", "zjc", 200, 120, 60, "P")
         + task("P.1.1", "cun", 200, 120, 60, "P.1") + task("P.2", "zjc", 100, 10, 10, "P"))
AS_OF = date(2024, 5, 31)


@pytest.fixture
def root(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": TASKS})


def _plain_json(root: Path, **kw: str) -> str:
    led = validate(root, AS_OF, DirSource(root), by_file=False).loaded.ledger
    buf = io.StringIO()
    status_report.render_json(api.status(led, AS_OF, **kw), buf)  # type: ignore[arg-type]
    return buf.getvalue()


def _family(text: str) -> dict[str, tuple[object, object]]:
    return {t["id"]: (t.get("children"), t.get("children_rollup"))
            for t in json.loads(text)["tasks"]}


def _rollup(tasks: int, green: int, yellow: int, red: int) -> dict[str, object]:
    return {"tasks": tasks, "green": green, "yellow": yellow, "red": red,
            "completion_rate": 0.0, "on_time_rate": None,
            "by_status": {"planned": 0, "in_progress": tasks, "done": 0, "closing": 0,
                          "closed": 0, "suspended": 0},
            "milestones_due": 0, "milestones_on_time": 0}


@pytest.mark.parametrize(("unit", "expected"), [
    # fgw leads P alone: P keeps both children (P.2 is yellow: 10% of 41.37% expected)
    ("fgw", {"P": (["P.1", "P.2"], _rollup(2, 1, 1, 0))}),
    # zjc leads P.1 and P.2: P.1 keeps its village child
    ("zjc", {"P.1": (["P.1.1"], _rollup(1, 1, 0, 0)), "P.2": (None, None)}),
])
def test_a_unit_s_view_keeps_a_parent_s_children(root: Path, cli: Callable[..., Run],
                                                 unit: str, expected: object) -> None:
    run = cli("status", root, "--as-of", "2024-05-31", "--format", "json", "--unit", unit)
    assert run.exit_code == 0, run.stderr
    assert _family(run.stdout) == expected
    assert _plain_json(root, unit=unit) == run.stdout
    # as --light does: the light narrows the list, not a parent's children
    whole = _family(cli("status", root, "--as-of", "2024-05-31", "--format", "json").stdout)
    assert {k: whole[k] for k in expected} == expected


def _plain_table(root: Path, **kw: str) -> str:
    led = validate(root, AS_OF, DirSource(root), by_file=False).loaded.ledger
    buf = io.StringIO()
    status_report.render_table(api.status(led, AS_OF, **kw), buf, "en",  # type: ignore[arg-type]
                               color=False, width=100)
    return buf.getvalue()


_TARGETS = (
    "Targets (actual/target)\n"
    "Task                  Actual/target   Achieved %   Progress %\n"
    + "─" * 61 + "\n"
    "P 任务P               190/300个            63.33           60\n"
    "  P.1 任务P.1         120/200个            60.00           60\n"
    "    P.1.1 任务P.1.1   120/200个            60.00           60\n"
    "  P.2 任务P.2         10/100个             10.00           10\n"
    "\n")


def _targets(text: str) -> str:
    return text[text.index("Targets (actual/target)"):text.index("Progress reports missing")]


@pytest.mark.parametrize("narrow", [["--unit", "fgw"], ["--light", "green"]])
def test_the_targets_table_of_a_unit_shows_the_decomposition(
        root: Path, cli: Callable[..., Run], narrow: list[str]) -> None:
    """Under --unit fgw, P with both children and P.1's own child (P.1 is not fgw's);
    under --light green, P.2 (yellow) under P as before, and P.1.1 under P.1."""
    run = cli("status", root, "--as-of", "2024-05-31", "--lang", "en", *narrow)
    assert _targets(run.stdout) == _TARGETS
    kw = {narrow[0][2:]: narrow[1]}
    assert _targets(_plain_table(root, **kw)) == _TARGETS
