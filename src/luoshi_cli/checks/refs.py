"""References between files: every id a task names must exist, ids must be unique."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.codes import L
from ..core.finding import Finding, finding
from ..core.model import Task, TaskKey
from .registry import Context, TaskContext, check, near, task_check


def _what(task: Task) -> L:
    return L(f"任务 {task.id} ", f"task {task.id}")


@check
def duplicate_task_ids(ctx: Context) -> Iterator[Finding]:
    """Task ids are unique in the ledger; the later occurrence (path order) is reported."""
    first: dict[str, TaskKey] = {}
    for t in ctx.keys:  # in file path order, then file order
        if t.id in first:
            f0 = first[t.id]
            yield finding("LS108", t.file, path=t.at("id"), kind=L("任务", "task"),
                          id=t.id, first="", related=(f0.file, f0.at("id")))
        else:
            first[t.id] = t


@task_check
def task_references(ctx: TaskContext, t: Task) -> Iterator[Finding]:
    led = ctx.ledger
    units, leaders = led.units, led.leaders
    if "config" not in led.broken and "category" not in t.missing:
        cats = ctx.category_ids
        if t.category not in cats:
            yield finding("LS112", t.src.file, path=t.src.at("category"), what=_what(t),
                          id=t.category, hint=near(t.category, cats))
    if "units" in led.broken:
        return
    if "lead" not in t.missing and t.lead not in units:
        yield finding("LS110", t.src.file, path=t.src.at("lead"), what=_what(t), id=t.lead,
                      hint=near(t.lead, units))
    for key, ids in (("units", t.units), ("cooperating", t.cooperating)):
        for i, u in enumerate(ids):
            if u not in units:
                yield finding("LS110", t.src.file, path=t.src.at(key, i), what=_what(t), id=u,
                              hint=near(u, units))
    for i, p in enumerate(t.leaders):
        if p not in leaders:
            yield finding("LS111", t.src.file, path=t.src.at("leaders", i), what=_what(t), id=p,
                          hint=near(p, leaders))
    if t.closed is not None and t.closed.approved_by and t.closed.approved_by not in leaders:
        yield finding("LS111", t.src.file, path=t.src.at("closed", "approved_by"), what=_what(t),
                      id=t.closed.approved_by, hint=near(t.closed.approved_by, leaders))
    for i, a in enumerate(t.adjustments):
        if a.approved_by and a.approved_by not in leaders:
            yield finding("LS111", t.src.file, path=t.src.at("adjustments", i, "approved_by"),
                          what=_what(t), id=a.approved_by, hint=near(a.approved_by, leaders))

