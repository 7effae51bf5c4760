"""Rules of a single task (SPEC §6 "Tasks"): dates, order, progress, closing, leaders."""

from __future__ import annotations

from collections.abc import Iterator

from ..codes import L
from ..finding import Finding, finding
from ..model import FINISHED, Task
from . import Context, task_check


@task_check
def milestone_rules(ctx: Context, t: Task) -> Iterator[Finding]:
    as_of = ctx.as_of
    prev = None
    for i, m in enumerate(t.milestones):
        if prev is not None and m.due <= prev:
            yield finding("LS202", t.src.file, path=t.src.at("milestones", i, "due"),
                          task=t.id, due=m.due, prev=prev)
        prev = m.due
        if m.done is not None and m.done > as_of:
            yield finding("LS203", t.src.file, path=t.src.at("milestones", i, "done"),
                          task=t.id, done=m.done, as_of=as_of)
        if "start" not in t.missing and m.due < t.start:
            yield finding("LS212", t.src.file, path=t.src.at("milestones", i, "due"),
                          task=t.id, due=m.due, start=t.start)


@task_check
def progress_rules(ctx: Context, t: Task) -> Iterator[Finding]:
    if "progress" in t.missing:
        pass  # already reported where it is written
    elif not 0 <= t.progress <= 100:
        yield finding("LS205", t.src.file, path=t.src.at("progress"), task=t.id,
                      value=t.progress)
    elif t.progress == 100 and t.status not in FINISHED and "status" not in t.missing:
        yield finding("LS206", t.src.file, path=t.src.at("progress"), task=t.id,
                      status=t.status)
    for i, u in enumerate(t.updates):
        if u.progress is not None and not 0 <= u.progress <= 100:
            yield finding("LS205", t.src.file, path=t.src.at("updates", i, "progress"),
                          task=t.id, value=u.progress)


@task_check
def update_rules(ctx: Context, t: Task) -> Iterator[Finding]:
    year = ctx.ledger.config.year
    prev = None
    for i, u in enumerate(t.updates):
        if prev is not None and u.month <= prev:
            yield finding("LS207", t.src.file, path=t.src.at("updates", i, "month"),
                          task=t.id, month=u.month, prev=prev)
        prev = u.month
        if year and int(u.month[:4]) != year:
            yield finding("LS208", t.src.file, path=t.src.at("updates", i, "month"),
                          task=t.id, month=u.month, year=year)


@task_check
def closing_rules(ctx: Context, t: Task) -> Iterator[Finding]:
    if "status" in t.missing:
        return
    if t.status == "closed" and t.closed is None:
        yield finding("LS209", t.src.file, path=t.src.at("status"), task=t.id)
    if t.closed is not None:
        if not t.closed.approved_by:
            yield finding("LS210", t.src.file, path=t.src.at("closed"), task=t.id)
        if t.closed.date is not None and t.closed.date > ctx.as_of:
            yield finding("LS203", t.src.file, path=t.src.at("closed", "date"), task=t.id,
                          done=t.closed.date, as_of=ctx.as_of)
    if t.status in FINISHED:
        open_ms = [m for m in t.milestones if m.done is None]
        if open_ms:
            yield finding("LS213", t.src.file, path=t.src.at("status"), task=t.id,
                          problem=_unfinished(t, str(open_ms[0].due)))


def _unfinished(t: Task, due: str) -> L:
    return L(f"状态为 {t.status}，但 {due} 的序时节点没有完成日期（done）：请补上完成日期或改正状态",
             f"status is {t.status} but the milestone due {due} has no done date: "
             f"add the done date or correct the status")


@task_check
def leader_count(ctx: Context, t: Task) -> Iterator[Finding]:
    if "leaders" not in t.missing and not 1 <= len(t.leaders) <= 2:
        yield finding("LS211", t.src.file, path=t.src.at("leaders"), task=t.id,
                      count=len(t.leaders))
