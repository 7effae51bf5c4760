"""Tasks v2 (SPEC §11): targets, decomposition (分解) and lists.

Decomposition is a ledger that must balance: where a parent and all its children
have targets in one measurement unit, the children's values sum to the parent's —
unless that unit is a rate (%, 达标率), which is held by each child, not shared out.
The rules across tasks run over `TaskKey`s (parent, target, category, tags), so
`validate`'s per-file cache stays valid; the rules of one task are `@task_check`s.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from ..core.codes import L
from ..core.finding import Finding, finding
from ..core.labels import unit_suffix
from ..core.model import FINISHED, Task, TaskKey
from ..core.targets import achieved, is_rate, latest_actual
from .registry import Context, TaskContext, check, near, task_check


@task_check
def target_rules(ctx: TaskContext, t: Task) -> Iterator[Finding]:
    """LS214: reported progress and 完成值/目标值 more than `progress_tolerance` apart;
    LS224: an `actual` on a task without a target, which nothing counts (`import
    updates` refuses one; written by hand it was ignored without a word)."""
    if t.target is None:
        if t.target_unread:  # written, refused (LS103/LS109): not "the task has none"
            return
        for i, each in enumerate(t.updates):
            if each.actual is not None:
                yield finding("LS224", t.src.file, path=t.at_entry("updates", i, "actual"),
                              task=t.id, month=each.month, actual=each.actual)
        return
    if "progress" in t.missing:
        return
    pct = achieved(t)
    u = latest_actual(t)
    if pct is None or u is None:
        return
    tol = ctx.ledger.config.progress_tolerance
    if abs(pct - t.progress) > tol:
        i = t.updates.index(u)
        yield finding("LS214", t.src.file, path=t.src.at("updates", i, "actual"), task=t.id,
                      progress=t.progress, actual=u.actual, target=t.target.value,
                      achieved=pct, tolerance=tol)


@task_check
def tag_references(ctx: TaskContext, t: Task) -> Iterator[Finding]:
    """LS118: a task's tags name lists declared in luoshi.yaml; LS223: a tag listed
    twice (kept twice in JSON and export, counted once in `by_tag`)."""
    if not t.tags:
        return
    known = None if "config" in ctx.ledger.broken else ctx.tag_ids
    seen: set[str] = set()
    for i, g in enumerate(t.tags):
        if g in seen:
            yield finding("LS223", t.src.file, path=t.at_entry("tags", i), task=t.id, id=g)
            continue
        seen.add(g)
        if known is not None and g not in known:
            # imported here: refs registers its checks after this module's (their order)
            from .refs import tag_hint  # a tag's name written for its id: 请写 board

            yield finding("LS118", t.src.file, path=t.at_entry("tags", i),
                          what=L(f"任务 {t.id} ", f"task {t.id}"), id=g, **tag_hint(ctx, g))


def _first_by_id(keys: Iterator[TaskKey] | list[TaskKey]) -> dict[str, TaskKey]:
    first: dict[str, TaskKey] = {}
    for k in keys:
        first.setdefault(k.id, k)
    return first


@check
def decomposition(ctx: Context) -> Iterator[Finding]:
    """Unknown parents (LS116), cycles (LS215), balance (LS216, LS217), a closed parent
    with open children (LS218), a child due after its parent (LS219)."""
    keys = list(ctx.keys)
    if not any(k.parent for k in keys):
        return
    by_id = _first_by_id(keys)
    children: dict[str, list[TaskKey]] = {}
    for k in keys:
        if k.parent is None or by_id.get(k.id) is not k:
            continue
        if k.parent not in by_id:
            yield finding("LS116", k.file, path=k.at("parent"),
                          what=L(f"任务 {k.id} 的上级任务（parent）", f"task {k.id}: parent"),
                          id=k.parent, hint=near(k.parent, by_id))
            continue
        children.setdefault(k.parent, []).append(k)
    yield from _cycles(keys, by_id)
    for pid, kids in children.items():
        p = by_id[pid]
        yield from _balance(p, kids)
        if p.complete and p.status == "closed":
            for c in kids:
                if c.complete and c.status not in FINISHED and c.status != "suspended":
                    yield finding("LS218", p.file, path=p.at("status"), task=p.id,
                                  child=c.id, status=c.status)
        if p.dues:
            for c in kids:
                if c.dues and c.dues[-1] > p.dues[-1]:
                    yield finding("LS219", c.file, path=c.at("milestones"), task=c.id,
                                  due=date.fromordinal(c.dues[-1]), parent=p.id,
                                  parent_due=date.fromordinal(p.dues[-1]))


def _cycles(keys: list[TaskKey], by_id: dict[str, TaskKey]) -> Iterator[Finding]:
    """LS215 once per cycle of `parent:` links, at the member that comes first in the
    ledger, the cycle written from it.  Each task is walked once (a chain 4,000 deep
    took 109 s when every task walked its whole ancestry through a list)."""
    order = {id(k): i for i, k in enumerate(keys)}
    done: set[str] = set()
    found: list[tuple[int, list[str]]] = []
    for k in keys:
        if k.id in done or by_id.get(k.id) is not k:
            continue
        path: list[str] = []
        at: dict[str, int] = {}
        cur: TaskKey | None = k
        while cur is not None and cur.id not in done and cur.id not in at:
            at[cur.id] = len(path)
            path.append(cur.id)
            nxt = cur.parent
            cur = by_id.get(nxt) if nxt is not None else None
        if cur is not None and cur.id in at:  # back on this walk: a cycle
            ring = path[at[cur.id]:]
            first = min(range(len(ring)), key=lambda j: order[id(by_id[ring[j]])])
            found.append((order[id(by_id[ring[first]])], ring[first:] + ring[:first]))
        done.update(path)
    for _, ring in sorted(found):
        head = by_id[ring[0]]
        yield finding("LS215", head.file, path=head.at("parent"), task=head.id,
                      cycle=" → ".join([*ring, head.id]))


def _balance(p: TaskKey, kids: list[TaskKey]) -> Iterator[Finding]:
    """LS216 where the children's targets do not sum to the parent's, LS217 for a child
    in another measurement unit.  A rate (95%, 达标率: `is_rate`) is not an amount: each
    child is held to a rate of its own, nothing adds up, so neither is checked."""
    if p.target is None or is_rate(p.target.unit):
        return
    comparable = True
    total = Decimal(0)
    for c in kids:
        if c.target is None:
            comparable = False
            continue
        if c.target.unit != p.target.unit:
            comparable = False
            yield finding("LS217", c.file, path=c.at("target", "unit"), task=c.id,
                          unit=c.target.unit or "—", parent=p.id,
                          parent_unit=p.target.unit or "—")
            continue
        total += c.target.value
    if comparable and total != p.target.value:
        unit = unit_suffix(p.target.unit)
        yield finding("LS216", p.file, path=p.at("target", "value"), task=p.id,
                      sum=total, target=p.target.value, unit=unit,
                      diff=f"{total - p.target.value:+}{unit}")


@check
def planned_counts(ctx: Context) -> Iterator[Finding]:
    """LS220: a category's `planned` count against the tasks the ledger holds."""
    if "config" in ctx.ledger.broken:
        return
    cats = [c for c in ctx.ledger.config.categories if c.planned is not None]
    if not cats:
        return
    counts: dict[str, int] = {}
    for k in ctx.keys:
        counts[k.category] = counts.get(k.category, 0) + 1
    for c in cats:
        n = counts.get(c.id, 0)
        if n != c.planned:
            yield finding("LS220", c.src.file, path=c.src.at("planned"),
                          category=c.name or c.id,
                          planned=c.planned, count=n)
