"""Bonuses (加分) and their cap (SPEC §10).

A unit's bonuses in a period add up and are capped at the scheme's `cap` once —
for a year, over the whole year's bonuses (settled reading) — then added after the
deductions and before the floor; the `ceiling` caps the final score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class BonusLine:
    """One bonus given to a unit (加分项)."""

    unit: str
    category: str
    category_name: str
    date: date | None
    points: Decimal
    reason: str | None
    period: str  # the record it is written in
    file: str


def capped(lines: Sequence[BonusLine], cap: Decimal | None) -> tuple[Decimal, Decimal]:
    """(the bonuses' sum as written, the sum after the cap)."""
    total = sum((b.points for b in lines), _ZERO)
    return total, (min(total, cap) if cap is not None else total)


def final_score(raw: Decimal, deductions: Decimal, bonus: Decimal, floor: Decimal,
                ceiling: Decimal | None) -> tuple[Decimal, bool, bool]:
    """min(max(raw − deductions + capped bonuses, floor), ceiling) (SPEC §10 settled);
    with whether the floor and the ceiling acted."""
    exact = raw - deductions + bonus
    floored = exact < floor
    if floored:
        exact = floor
    ceiled = ceiling is not None and exact > ceiling
    if ceiling is not None and ceiled:
        exact = ceiling
    return exact, floored, ceiled
