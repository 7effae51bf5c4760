"""Property: the status of a parent task (SPEC §11 decomposition) never depends on the
order its children are written in — neither the order of the files nor the order of
the tasks inside a file.  Derandomized (tests/fuzzing.py)."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fuzzing import fuzz
from luoshi_cli.api import open_ledger
from luoshi_cli.ops.progress import status_report
from luoshi_cli.report.status import report_json

PROPS = fuzz(40)
AS_OF = date(2024, 6, 30)

CONFIG = "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n"
UNITS = "units:\n  - {id: a, name: 甲}\n  - {id: b, name: 乙}\nleaders:\n  - {id: li, name: 李}\n"


def _task(tid: str, child: dict[str, Any] | None) -> str:
    c = child or {"lead": "a", "due": 300, "done": False, "target": 100, "actual": 40,
                  "status": "in_progress", "progress": 40}
    due = date.fromordinal(date(2024, 1, 1).toordinal() + c["due"])
    done = f", done: {due}" if c["done"] and due <= AS_OF else ""
    parent = "  parent: P\n" if child is not None else ""
    return (f"- id: {tid}\n  title: 任务{tid}\n  category: econ\n  lead: {c['lead']}\n"
            f"  leaders: [li]\n  start: 2024-01-01\n  standard: 完成\n  milestones:\n"
            f"    - {{due: {due}, standard: 节点{done}}}\n  status: {c['status']}\n"
            f"  progress: {c['progress']}\n  target: {{value: {c['target']}, unit: 个}}\n"
            f"  updates:\n    - {{month: \"2024-06\", progress: {c['progress']}, "
            f"actual: {c['actual']}}}\n{parent}")


children = st.lists(st.fixed_dictionaries({
    "lead": st.sampled_from(["a", "b"]), "due": st.integers(10, 360), "done": st.booleans(),
    "target": st.integers(0, 500), "actual": st.integers(0, 600),
    "status": st.sampled_from(["planned", "in_progress", "suspended"]),
    "progress": st.integers(0, 99)}), min_size=1, max_size=5)


def _parent_status(kids: list[dict[str, Any]], order: list[int], per_file: int) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "tasks").mkdir()
        (root / "luoshi.yaml").write_text(CONFIG, encoding="utf-8")
        (root / "units.yaml").write_text(UNITS, encoding="utf-8")
        (root / "tasks" / "p.yaml").write_text(_task("P", None), encoding="utf-8")
        for n, start in enumerate(range(0, len(order), per_file)):
            text = "".join(_task(f"P.{i}", kids[i]) for i in order[start:start + per_file])
            (root / "tasks" / f"k{n}.yaml").write_text(text, encoding="utf-8")
        ledger = open_ledger(root).ledger
        doc = report_json(status_report(ledger, AS_OF))
        parent = next(t for t in doc["tasks"] if t["id"] == "P")
        return json.dumps([parent, doc["totals"]], sort_keys=True)


@PROPS
@given(kids=children, data=st.data())
def test_parent_status_ignores_child_order(kids: list[dict[str, Any]], data: Any) -> None:
    order = data.draw(st.permutations(range(len(kids))))
    per_file = data.draw(st.integers(1, 3))
    base = _parent_status(kids, list(range(len(kids))), 1)
    assert _parent_status(kids, list(order), per_file) == base
    assert json.loads(base)[0]["children"] == [f"P.{i}" for i in sorted(range(len(kids)),
                                                                      key=lambda i: f"P.{i}")]
