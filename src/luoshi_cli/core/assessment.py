"""Who is assessed: the question both the record checks (LS407–LS409, LS412) and
scoring ask, answered once, from the model alone.

"Assessed units" are the units that appear in any record's scores or items: a
department that only does the scoring (党群工作部) is in units.yaml but is not
itself assessed, and must not be nagged about missing scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from .model import Ledger, Task, TaskKey

T = TypeVar("T", Task, TaskKey)


def tasks_by_lead(tasks: Iterable[T]) -> dict[str, list[T]]:
    """Each lead unit's tasks in id order, suspended ones (暂缓) left out: a task the
    office has put on hold does not count against its lead unit (as in SPEC §5's
    on-time rate).  Built once per scoring run: ledgers hold tens of thousands of tasks.
    (Also over `TaskKey`s: the task-quality check of `validate` asks the same question.)"""
    out: dict[str, list[T]] = {}
    for t in sorted(tasks, key=lambda t: t.id):
        if t.status != "suspended":
            out.setdefault(t.lead, []).append(t)
    return out


def assessed_units(ledger: Ledger) -> list[str]:
    """Units a record scores, plus those marked `assessed: true`, less `assessed: false`."""
    seen: dict[str, None] = {u.id: None for u in ledger.units.values() if u.assessed}
    for r in ledger.records:
        for u in (*r.scores, *r.items):
            unit = ledger.units.get(u)
            if unit is not None and unit.assessed is not False:
                seen[u] = None
    return sorted(seen)


def scored_units(ledger: Ledger, leads: Iterable[str] | None = None) -> list[str]:
    """The assessed units: every unit named under a record's `scores:` or `items:`.

    A scheme whose leaves are all `source: tasks` has nothing under scores:, so then
    the units leading a task are assessed (`leads`: of the complete tasks, when the
    ledger does not hold them; see `checks.run_checks`).
    """
    units = assessed_units(ledger)
    scheme = ledger.scheme
    if scheme is not None and scheme.leaves() and all(
            c.source == "tasks" for c in scheme.leaves()):
        if leads is None:
            leads = (t.lead for t in ledger.tasks)
        units = sorted({*units, *(u for u in leads if u in ledger.units)})
    return units
