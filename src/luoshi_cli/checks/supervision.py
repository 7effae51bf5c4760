"""The supervision loop (督办闭环, SPEC §12): interviews (约谈) and rectifications
(限期整改) name units, leaders and tasks that exist; their dates are in order and not
in the future; a rectification still open after its deadline is a warning (an error
with `--strict`, as every warning).  Supervision files are few and small: checked
whole on every run, over the ledger and the task keys."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..core.codes import L
from ..core.finding import Finding, finding
from ..core.model import Rectification, Src
from .registry import Context, check, near, unit_name


@check
def supervision_references(ctx: Context) -> Iterator[Finding]:
    led = ctx.ledger
    if not led.interviews and not led.rectifications:
        return
    task_ids = {k.id for k in ctx.keys}
    units = led.units
    check_units = "units" not in led.broken
    for iv in led.interviews:
        who = unit_name(ctx, iv.unit)
        what = L(f"约谈（{who}，{iv.date}）", f"interview ({who}, {iv.date})")
        yield from _refs(iv.src, what, iv.unit, iv.tasks, units if check_units else None,
                         task_ids)
        if iv.date > ctx.latest:
            yield finding("LS704", iv.src.file, path=iv.src.at("date"), what=what,
                          when=iv.date, as_of=ctx.latest)
    first: dict[str, Rectification] = {}
    for rc in led.rectifications:
        what = L(f"整改 {rc.id}", f"rectification {rc.id}")
        if rc.id in first:
            f0 = first[rc.id]
            yield finding("LS108", rc.src.file, path=rc.src.at("id"), kind=L("整改", "rectification"),
                          id=rc.id, first="", related=(f0.src.file, f0.src.at("id")))
        else:
            first[rc.id] = rc
        yield from _refs(rc.src, what, rc.unit, rc.tasks, units if check_units else None,
                         task_ids)
        yield from _dates(ctx, rc)
        if rc.closed is not None:
            if not rc.closed.approved_by:
                yield finding("LS703", rc.src.file, path=rc.src.at("closed"), id=rc.id)
            elif "units" not in led.broken and rc.closed.approved_by not in led.leaders:
                yield finding("LS111", rc.src.file, path=rc.src.at("closed", "approved_by"),
                              what=L(f"整改 {rc.id} ", f"rectification {rc.id}"),
                              id=rc.closed.approved_by,
                              hint=near(rc.closed.approved_by, led.leaders))


def _refs(src: Src, what: L, unit: str, tasks: tuple[str, ...], units: object,
          task_ids: set[str]) -> Iterator[Finding]:
    if isinstance(units, dict) and unit not in units:
        yield finding("LS110", src.file, path=src.at("unit"), what=L(what.zh + " ", what.en),
                      id=unit, hint=near(unit, units))
    for i, t in enumerate(tasks):
        if t not in task_ids:
            yield finding("LS116", src.file, path=src.at("tasks", i), what=L(what.zh, what.en),
                          id=t, hint=near(t, task_ids))


def _dates(ctx: Context, rc: Rectification) -> Iterator[Finding]:
    steps: list[tuple[L, date | None, tuple[str, ...]]] = [
        (L("整改期限", "the due date"), rc.due, ("due",)),
        (L("书面报告日期", "the report date"), rc.report, ("report", "date")),
        (L("销号日期", "the closing date"),
         rc.closed.date if rc.closed is not None else None, ("closed", "date")),
    ]
    for what, when, path in steps:
        if when is None:
            continue
        if when < rc.opened:
            yield finding("LS701", rc.src.file, path=rc.src.at(*path), id=rc.id, what=what,
                          when=when, opened=rc.opened)
        elif path != ("due",) and when > ctx.latest:
            yield finding("LS704", rc.src.file, path=rc.src.at(*path),
                          what=L(f"整改 {rc.id} 的{what.zh}", f"rectification {rc.id}: {what.en}"),
                          when=when, as_of=ctx.latest)
    if rc.opened > ctx.latest:
        yield finding("LS704", rc.src.file, path=rc.src.at("opened"),
                      what=L(f"整改 {rc.id} 的立项日期", f"rectification {rc.id}: opened"),
                      when=rc.opened, as_of=ctx.latest)
    if rc.overdue_at(ctx.as_of):
        yield finding("LS702", rc.src.file, path=rc.src.at("due"), id=rc.id,
                      unit=unit_name(ctx, rc.unit),
                      due=rc.due, days=(ctx.as_of - rc.due).days)
