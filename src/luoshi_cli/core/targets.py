"""Numeric targets (SPEC §11): 完成值/目标值 as a percentage next to reported progress.

Arithmetic only, shared by the LS214 check and the status roll-up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .model import Task, Update
from .numbers import publish


def latest_actual(task: Task, as_of: date | None = None) -> Update | None:
    """The latest update carrying `actual`, ignoring months after `as_of`'s month (a
    report of a later month did not exist yet at `as_of`)."""
    now = f"{as_of.year:04d}-{as_of.month:02d}" if as_of is not None else None
    best: Update | None = None
    for u in task.updates:
        if u.actual is None or (now is not None and u.month > now):
            continue
        if best is None or u.month > best.month:
            best = u
    return best


def achieved(task: Task, as_of: date | None = None) -> Decimal | None:
    """100 × latest actual / target, half-up to 2 places; None without a target (or a
    zero one) or without an actual."""
    if task.target is None or task.target.value == 0:
        return None
    u = latest_actual(task, as_of)
    if u is None or u.actual is None:
        return None
    return publish(Decimal(100) * u.actual / task.target.value, 2)
