"""Rules of a single task (SPEC §6 "Tasks"): dates, order, progress, closing, leaders."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from ..core.codes import L
from ..core.finding import Finding, finding
from ..core.model import FINISHED, Task
from .registry import Context, TaskContext, check, task_check


@task_check
def milestone_rules(ctx: TaskContext, t: Task) -> Iterator[Finding]:
    prev = None
    for i, m in enumerate(t.milestones):
        if prev is not None and m.due <= prev:
            yield finding("LS202", t.src.file, path=t.src.at("milestones", i, "due"),
                          task=t.id, due=m.due, prev=prev)
        prev = m.due
        if "start" not in t.missing and m.due < t.start:
            yield finding("LS212", t.src.file, path=t.src.at("milestones", i, "due"),
                          task=t.id, due=m.due, start=t.start)


@task_check
def progress_rules(ctx: TaskContext, t: Task) -> Iterator[Finding]:
    if "progress" in t.missing:
        pass  # already reported where it is written
    elif not 0 <= t.progress <= 100:
        yield finding("LS205", t.src.file, path=t.src.at("progress"), task=t.id,
                      value=t.progress)
    elif t.progress == 100 and t.status not in FINISHED and "status" not in t.missing:
        yield finding("LS206", t.src.file, path=t.src.at("progress"), task=t.id,
                      status=t.status)
    if "progress" not in t.missing and 0 < t.progress < 1:
        yield _below_one(t, t.progress, ("progress",), _TASK)
    for i, u in enumerate(t.updates):
        if u.progress is not None and not 0 <= u.progress <= 100:
            yield finding("LS205", t.src.file, path=t.src.at("updates", i, "progress"),
                          task=t.id, value=u.progress)
        elif u.progress is not None and 0 < u.progress < 1:
            yield _below_one(t, u.progress, ("updates", i, "progress"),
                             L(f"{u.month} 月报的", f"the {u.month} update's "))
    if (t.updates and "progress" not in t.missing and t.status not in FINISHED
            and 0 <= t.progress <= 100):  # out of range: LS205 says it, once
        # SPEC §3: `progress` is the latest reported.  A task's status and lights read
        # `progress`; the monthly sheets show the update: two figures that disagree
        # (75 beside June's 70) are one slip, and an untouched sheet set 75 back to 70.
        # A finished task's 100 may follow its last monthly report (done mid-month).
        last = next((u for u in reversed(t.updates) if u.progress is not None), None)
        if (last is not None and last.progress != t.progress
                and all(t.updates[i].month < t.updates[i + 1].month
                        for i in range(len(t.updates) - 1))):
            yield finding("LS221", t.src.file, path=t.src.at("progress"), task=t.id,
                          progress=t.progress, month=last.month, reported=last.progress)


_TASK = L("", "")


def _below_one(t: Task, value: Decimal, path: tuple[str | int, ...], what: L) -> Finding:
    """LS222: a progress strictly between 0 and 1 — what an Excel percent cell holds
    (50% is the number 0.5).  SPEC §3 reads progress as a percentage, so 0.5 is 0.5%,
    and it stays a warning: `import tasks` names the same cells (`excel.shown.BELOW_ONE`)."""
    pct = format((value * 100).normalize(), "f")
    return finding("LS222", t.src.file, path=t.src.at(*path), task=t.id, what=what,
                   value=format(value.normalize(), "f"), pct=pct)


@task_check
def update_rules(ctx: TaskContext, t: Task) -> Iterator[Finding]:
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
def closing_rules(ctx: TaskContext, t: Task) -> Iterator[Finding]:
    if "status" in t.missing:
        return
    if t.status == "closed" and t.closed is None:
        yield finding("LS209", t.src.file, path=t.src.at("status"), task=t.id)
    if t.closed is not None and not t.closed.approved_by:
        yield finding("LS210", t.src.file, path=t.src.at("closed"), task=t.id)
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
def leader_count(ctx: TaskContext, t: Task) -> Iterator[Finding]:
    if "leaders" not in t.missing and not 1 <= len(t.leaders) <= 2:
        yield finding("LS211", t.src.file, path=t.src.at("leaders"), task=t.id,
                      count=len(t.leaders))
    # `[li, li]` is one leader written twice, not the two SPEC allows
    first: dict[str, int] = {}
    for i, p in enumerate(t.leaders):
        if p in first:
            yield finding("LS108", t.src.file, path=t.at_entry("leaders", i),
                          kind=L(f"任务 {t.id} 的分管领导", f"task {t.id}: leader"), id=p,
                          first="", related=(t.src.file, t.at_entry("leaders", first[p])))
        else:
            first[p] = i


@check
def no_completion_after_as_of(ctx: Context) -> Iterator[Finding]:
    """LS203: a milestone done, or a task closed, after the as-of date.  Over task
    keys, not tasks: the one single-task rule that depends on the date, kept out of
    the per-file findings that are cached whatever the date."""
    latest = ctx.latest
    as_of = latest.toordinal()
    for k in ctx.keys:
        for i, done in k.done:
            if done > as_of:
                yield finding("LS203", k.file, path=k.at("milestones", i, "done"),
                              task=k.id, done=date.fromordinal(done), as_of=latest)
        if k.closed_on is not None and k.closed_on > as_of:
            yield finding("LS203", k.file, path=k.at("closed", "date"), task=k.id,
                          done=date.fromordinal(k.closed_on), as_of=latest)


@check
def no_approval_after_as_of(ctx: Context) -> Iterator[Finding]:
    """LS504: an `adjustments` entry dated after the as-of date, read as LS203 reads a
    completion (the as-of given, or today when the as-of is the default and today is
    later).  Change control does not count it as an approval (`ops.changes`): an
    approval recorded ahead of time is no approval anybody gave yet."""
    latest = ctx.latest
    as_of = latest.toordinal()
    for k in ctx.keys:
        for i, day in k.approvals:
            if day > as_of:
                yield finding("LS504", k.file, path=k.at("adjustments", i, "date"),
                              task=k.id, date=date.fromordinal(day), as_of=latest)
