"""Who is assessed: the question both the record checks (LS407–LS409, LS412) and
scoring ask, answered once, from the model alone.

"Assessed units" are the units that appear in any record's scores or items: a
department that only does the scoring (党群工作部) is in units.yaml but is not
itself assessed, and must not be nagged about missing scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from .model import Component, Ledger


class Led(Protocol):
    """What a task index reads of a task (`Task`, `TaskKey`, scoring's view)."""

    @property
    def id(self) -> str: ...

    @property
    def lead(self) -> str: ...

    @property
    def status(self) -> str: ...


class Credited(Led, Protocol):
    @property
    def units(self) -> tuple[str, ...]: ...

    @property
    def cooperating(self) -> tuple[str, ...]: ...


T = TypeVar("T", bound=Led)


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


def not_assessed(ledger: Ledger, unit: str) -> bool:
    """Whether units.yaml marks `unit` `assessed: false`: no scoring reads what a record
    gives it — a score, checklist points, a task quality, a deduction or a bonus
    (LS419, LS424) — and the bulletin counts none of it."""
    u = ledger.units.get(unit)
    return u is not None and u.assessed is False


def credited_units(ledger: Ledger, tasks: Sequence[Credited] | None = None) -> list[str]:
    """Every unit a `source: tasks` leaf credits with some task (SPEC §10 `credit`):
    lead units, and the 责任单位 / cooperating units where a leaf says so.  `tasks`:
    the ledger's tasks when it does not hold them (scoring's view)."""
    scheme = ledger.scheme
    modes = {c.credit for c in scheme.leaves() if c.source == "tasks"} if scheme else set()
    out: dict[str, None] = {}
    for t in ledger.tasks if tasks is None else tasks:
        out[t.lead] = None
        if modes & {"responsible", "all"}:
            out.update(dict.fromkeys(t.units))
        if "all" in modes:
            out.update(dict.fromkeys(t.cooperating))
    return list(out)


def scored_units(ledger: Ledger, leads: Iterable[str] | None = None,
                 cadences: frozenset[str] | None = None) -> list[str]:
    """The assessed units: every unit named under a record's `scores:` or `items:`.

    A scheme whose leaves are all `source: tasks` has nothing under scores:, so then
    the units leading a task are assessed (`leads`: of the complete tasks, when the
    ledger does not hold them; see `checks.run_checks`).  `cadences`: only the leaves
    of those cadences count — a month (`{"monthly"}`) whose leaves are all `source:
    tasks` ranks the units its tasks credit, also when the quarterly leaves beside
    them score units in records not yet written (碑林's monthly ranking in January,
    before the first quarter's record).
    """
    units = assessed_units(ledger)
    if ranks_credited(ledger, cadences):
        if leads is None:
            leads = credited_units(ledger)
        # `assessed: false` holds in every scheme shape (SPEC §4 v1.1): the 督查室 that
        # leads tasks but does the assessing is never in its own ranking
        units = sorted({*units, *(u for u in leads
                                  if u in ledger.units and ledger.units[u].assessed is not False)})
    return units


#: the leaf cadences each scoring ranks its units on (`ops.scoring.engine`): a
#: month's, a quarter's and the year's (None: every leaf)
SCORINGS: tuple[frozenset[str] | None, ...] = (
    frozenset({"monthly"}), frozenset({"monthly", "quarterly"}), None)
#: the scorings that read a record of each cadence: a month's record is read by the
#: month, its quarter and the year; a quarter's by the quarter and the year; the
#: year's record by the year alone
READ_BY: dict[str, tuple[frozenset[str] | None, ...]] = {
    "monthly": SCORINGS, "quarterly": SCORINGS[1:], "annual": SCORINGS[2:]}


def ranks_credited(ledger: Ledger, cadences: frozenset[str] | None) -> bool:
    """Whether the scoring of `cadences` (None: every leaf) ranks the units tasks
    credit (`scored_units`): its leaves are all `source: tasks`."""
    scheme = ledger.scheme
    leaves = [c for c in scheme.leaves() if cadences is None or c.cadence in cadences] \
        if scheme is not None else []
    return bool(leaves) and all(c.source == "tasks" for c in leaves)


def ranked_units(ledger: Ledger, credited: Callable[[], Iterable[str]]) -> set[str]:
    """Every unit some scoring of the ledger ranks (`scored_units` of each of
    `SCORINGS`): those a record scores, and where a scoring's leaves are all `source:
    tasks` the units they credit -- `credited()`, asked only then (it walks every
    task), e.g. a 责任单位 that leads no task under `credit: responsible`."""
    leads: list[str] | None = None
    out: set[str] = set()
    for cadences in SCORINGS:
        if leads is None and ranks_credited(ledger, cadences):
            leads = list(credited())
        out.update(scored_units(ledger, leads=leads or (), cadences=cadences))
    return out


def applies(c: Component, unit: str, kind: str | None) -> bool:
    """SPEC §10 `applies_to`: the union of its kinds and units; absent: every unit."""
    if c.applies_kinds is None and c.applies_units is None:
        return True
    return unit in (c.applies_units or ()) or (kind is not None and kind in (
        c.applies_kinds or ()))


def inapplicable(components: Iterable[Component], unit: str, kind: str | None
                 ) -> set[str]:
    """The ids of every component not assessed for `unit` by `applies_to`: the
    component written so and its whole subtree."""
    return set(excluded_by(components, unit, kind))


def excluded_by(components: Iterable[Component], unit: str, kind: str | None
                ) -> dict[str, Component]:
    """`inapplicable`, each id with the component whose `applies_to` leaves `unit`
    out: the component itself, or the parent that holds the `applies_to` (the one
    to edit)."""
    out: dict[str, Component] = {}
    for c in components:
        if not applies(c, unit, kind):
            out.update((d.id, c) for d in c.walk())
        else:
            out.update(excluded_by(c.children, unit, kind))
    return out
