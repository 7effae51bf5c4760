"""Numeric targets (SPEC §11): 完成值/目标值 as a percentage next to reported progress.

Arithmetic only, shared by the LS214 check and the status roll-up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .model import Task, Update
from .numbers import publish

#: Measurement units of a rate, not an amount: a percentage split across towns holds each
#: town to the same rate (标准化率达90%: every 镇街 at 90%), so children's rates are never
#: added up (no decomposition balance, LS216/LS217).  Matched case- and space-blind:
#: these exact units, or a unit holding one of `RATE_WORDS` (覆盖率, 占比 …).
RATE_UNITS = frozenset({"%", "％", "‰", "个百分点", "百分点", "percent", "percentage points"})
RATE_WORDS = ("率", "比例", "比重", "占比")
#: the units of a percentage itself: a %-formatted cell's 0.96 is 96 of these
PERCENT_UNITS = frozenset({"%", "％", "percent"})


def _unit_key(unit: str) -> str:
    """A measurement unit as the tables above hold it: blanks folded, lower case."""
    return " ".join(unit.split()).lower()


def is_rate(unit: str | None) -> bool:
    """Whether a target's measurement unit is a rate (%, ‰, 个百分点, 达标率 …), whose
    values do not add up across a decomposition."""
    if not unit:
        return False
    u = _unit_key(unit)
    return u in RATE_UNITS or u.replace(" ", "") in RATE_UNITS or any(w in u for w in RATE_WORDS)


def is_percent(unit: str | None) -> bool:
    """Whether a target is a percentage (95%), which a %-formatted cell's 0.95 states."""
    return bool(unit) and _unit_key(unit or "") in PERCENT_UNITS


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
