"""LS601, the monthly reporting rhythm (碑林/葫芦岛: progress is reported by the 5th
of each month for the month before): a task whose latest update is older than the
report that was due by the as-of date is *stale* (the arithmetic: `core.rhythm`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.codes import L
from ..core.finding import Finding, finding
from ..core.rhythm import due_by, last_month, stale_since
from ..load.schema import out_of_range
from .registry import Context, check, unit_name


@check
def monthly_reports(ctx: Context) -> Iterator[Finding]:
    """LS601 over task keys: it depends on the as-of date, so it is not among the
    per-file findings that are cached whatever the date.  Not when the ledger's
    year could not be read (`Context.year_known`): the as-of falls back to today, and
    every task of an older ledger would owe this month's report."""
    if not ctx.year_known:
        return
    due = due_by(ctx.as_of, ctx.ledger.config.year, ctx.ledger.config.reporting)
    if due is None:
        return
    for k in ctx.keys:
        if not k.complete:
            continue  # an incomplete task has no status to judge yet
        expected = stale_since(k.status, k.start, k.months, due)
        if expected is not None:
            last = last_month(k.months, ctx.as_of)
            where = k.at("updates") if k.months else k.at("id")
            yield finding("LS601", k.file, path=where, on_key=bool(k.months), task=k.id,
                          latest=_latest(last), as_of=ctx.as_of, expected=expected,
                          lead=unit_name(ctx, k.lead))


def _latest(month: str | None) -> L:
    """The task's latest report, or that it has never reported ("the latest update is
    —" read as a typo to a clerk)."""
    if month is None:
        return _NEVER
    return L(f"最近一次月度进展是 {month}", f"the latest monthly update is {month}")


_NEVER = L("尚未报送过月度进展", "has not reported a monthly update yet")


@check
def weekly_report_day(ctx: Context) -> Iterator[Finding]:
    """LS109: a weekly rhythm's `day` is a weekday, 1 (Monday) to 7 (Sunday).  The
    key takes 1–31 for a monthly rhythm, so `weekly, day: 8` passed the schema and
    the status table then looked up an eighth weekday (an internal error)."""
    if "config" in ctx.ledger.broken:
        return
    r = ctx.ledger.config.reporting
    if r.cadence == "weekly" and r.day is not None and not 1 <= r.day <= 7:
        yield finding("LS109", "luoshi.yaml", path=("reporting", "day"), key="day",
                      value=r.day, outside=out_of_range(1, 7))
