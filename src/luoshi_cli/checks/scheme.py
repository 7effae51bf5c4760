"""Rules of the assessment scheme (SPEC §6 "Scheme"): the arithmetic must close.

The seed's own 大推进 checklist lists sub-items that do not add up to their section
totals; these checks exist to catch exactly that kind of slip before it skews a score.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from ..core.assessment import credited_units, ranked_units
from ..core.codes import L
from ..core.finding import Finding, KeyPath, finding
from ..core.labels import as_written as _num
from ..core.model import Component, DeductionCategory, Item, Scheme
from .registry import Context, check, near


@check
def weights(ctx: Context) -> Iterator[Finding]:
    s = ctx.ledger.scheme
    if s is None:
        return
    yield from _sum_weights(s, s.components, ("components",), L("考核办法顶层", "the top level"))
    for c in s.all_components():
        if c.children:
            yield from _sum_weights(s, c.children, c.src.at("children"),
                                    L(f"指标 {c.id} ", f"component {c.id}"))


def _sum_weights(s: Scheme, comps: tuple[Component, ...], path: KeyPath, what: L
                 ) -> Iterator[Finding]:
    total = sum((c.weight for c in comps), Decimal(0))
    if total != 100:
        yield finding("LS301", s.src.file, path=path, on_key=True, what=what, total=_num(total))


@check
def component_shape(ctx: Context) -> Iterator[Finding]:
    s = ctx.ledger.scheme
    if s is None:
        return
    seen: dict[str, Component] = {}
    for c in s.all_components():
        if c.id in seen:
            yield finding("LS108", s.src.file, path=c.src.at("id"), kind=L("指标", "component"),
                          id=c.id, first="", related=(s.src.file, seen[c.id].src.at("id")))
        else:
            seen[c.id] = c
        if c.children and (c.items or c.source):
            yield finding("LS308", s.src.file, path=c.src.at("id"), id=c.id, problem=L(
                "有下级指标的指标不能再有 items 或 source：请把细项放到下级指标中",
                "a component with children cannot also have items or source"))
        if c.items and c.source:
            yield finding("LS308", s.src.file, path=c.src.at("source"), id=c.id, problem=L(
                "不能同时有评分细项（items）和 source: tasks：请只保留一种计分方式",
                "items and source: tasks exclude each other: keep one way of scoring"))
        if c.source == "tasks":
            if c.timeliness is None or c.quality is None:
                yield finding("LS102", s.src.file, path=c.src.at("source"),
                              what=L(f"指标 {c.id} ", f"component {c.id}"),
                              key="timeliness, quality")
            elif c.timeliness + c.quality != 100:
                yield finding("LS307", s.src.file, path=c.src.at("timeliness"), leaf=c.id,
                              t=_num(c.timeliness), q=_num(c.quality))


@check
def component_v2_keys(ctx: Context) -> Iterator[Finding]:
    """SPEC §10 keys of a component: `applies_to` names real units (LS110) and kinds
    some unit has (LS309); `credit` and `late_per_day` only act on `source: tasks`
    leaves (LS310: written elsewhere, they would silently do nothing)."""
    led = ctx.ledger
    s = led.scheme
    if s is None:
        return
    kinds = {u.kind for u in led.units.values() if u.kind}
    for c in s.all_components():
        for j, unit in enumerate(c.applies_units or ()):
            if "units" not in led.broken and unit not in led.units:
                yield finding("LS110", s.src.file, path=c.src.at("applies_to", "units", j),
                              what=L(f"指标 {c.id} 的 applies_to", f"component {c.id}'s applies_to"),
                              id=unit, hint=near(unit, led.units))
        for j, kind in enumerate(c.applies_kinds or ()):
            if "units" not in led.broken and kind not in kinds:
                yield finding("LS309", s.src.file, path=c.src.at("applies_to", "kinds", j),
                              what=L(f"指标 {c.id} 的 applies_to", f"component {c.id}'s applies_to"),
                              kind=kind, hint=near(kind, kinds))
        if c.source != "tasks":
            if c.credit != "lead":
                yield finding("LS310", s.src.file, path=c.src.at("credit"), id=c.id,
                              key="credit")
            if c.late_per_day is not None:
                yield finding("LS310", s.src.file, path=c.src.at("late_per_day"), id=c.id,
                              key="late_per_day")


@check
def ranking_groups(ctx: Context) -> Iterator[Finding]:
    """SPEC §10 分类考核: groups name real units (LS110) and kinds some unit has
    (LS309); every assessed unit falls in exactly one group (LS311, LS312)."""
    led = ctx.ledger
    s = led.scheme
    if s is None or not s.ranking_groups or "units" in led.broken:
        return
    f = s.src.file
    kinds = {u.kind for u in led.units.values() if u.kind}
    # one id, two groups: scoring keys its groups by id and ranked every unit in
    # both, under either group's interview_bottom
    yield from _repeated_ids(f, ("ranking_groups",), L("排名分组", "ranking group"),
                             [(g.index, g.id) for g in s.ranking_groups])
    for g in s.ranking_groups:
        what = L(f"排名分组 {g.id} ", f"ranking group {g.id}")
        for j, unit in enumerate(g.units):
            if unit not in led.units:
                yield finding("LS110", f, path=("ranking_groups", g.index, "units", j),
                              what=what, id=unit, hint=near(unit, led.units))
        for j, kind in enumerate(g.kinds):
            if kind not in kinds:
                yield finding("LS309", f, path=("ranking_groups", g.index, "kinds", j),
                              what=what, kind=kind, hint=near(kind, kinds))
    # every unit some scoring ranks (a month's, a quarter's, the year's), as scoring
    # counts them: also the 责任单位 / cooperating units a leaf's `credit` names
    assessed = ranked_units(led, lambda: credited_units(led, [k for k in ctx.keys
                                                              if k.complete]))
    for u in led.units.values():
        if u.assessed is False:
            continue
        holding = [g for g in s.ranking_groups if g.holds(u.id, u.kind)]
        if not holding and u.id in assessed:
            yield finding("LS311", u.src.file, path=u.src.at("id"), unit=u.id, name=u.name)
        if len(holding) > 1:
            yield finding("LS312", f, path=("ranking_groups", holding[1].index, "id"),
                          unit=u.name or u.id, first=holding[0].name or holding[0].id,
                          second=holding[1].name or holding[1].id)


@check
def checklist_points(ctx: Context) -> Iterator[Finding]:
    s = ctx.ledger.scheme
    if s is None:
        return
    for c in s.leaves():
        if not c.items:
            continue
        total = sum((it.points for it in c.items), Decimal(0))
        if total != 100:
            yield finding("LS303", s.src.file, path=c.src.at("items"), on_key=True, leaf=c.id,
                          total=_num(total))
        seen: dict[str, KeyPath] = {}
        yield from _items(s, c, c.items, c.src.at("items"), seen)


def _items(s: Scheme, c: Component, items: tuple[Item, ...], path: KeyPath,
           seen: dict[str, KeyPath]) -> Iterator[Finding]:
    for i, it in enumerate(items):
        here = (*path, i)
        if it.id in seen:
            yield finding("LS108", s.src.file, path=(*here, "id"),
                          kind=L(f"指标 {c.id} 的细项", f"item of {c.id}"), id=it.id, first="",
                          related=(s.src.file, seen[it.id]))
        else:
            seen[it.id] = (*here, "id")
        if it.items:
            total = sum((x.points for x in it.items), Decimal(0))
            if total != it.points:
                yield finding("LS302", s.src.file, path=(*here, "points"), item=it.id,
                              total=_num(total), points=_num(it.points))
            yield from _items(s, c, it.items, (*here, "items"), seen)


@check
def grades_and_deductions(ctx: Context) -> Iterator[Finding]:
    s = ctx.ledger.scheme
    if s is None:
        return
    f = s.src.file
    if not s.grades:
        yield finding("LS102", f, path=(), what=L("scheme.yaml ", "scheme.yaml"), key="grades")
    for i in range(1, len(s.grades)):
        g, prev = s.grades[i], s.grades[i - 1]
        if g.min >= prev.min:
            yield finding("LS304", f, path=("grades", i, "min"), grade=g.name, min=_num(g.min),
                          prev=prev.name, prev_min=_num(prev.min))
    names: dict[str, int] = {}
    for i, g in enumerate(s.grades):  # `max_grade: 良好` must name one band
        if g.name in names:
            yield finding("LS108", f, path=("grades", i, "name"), kind=L("等次", "grade"),
                          id=g.name, first="", related=(f, ("grades", names[g.name], "name")))
        else:
            names[g.name] = i
    if s.grades and s.grades[-1].min != 0:
        last = s.grades[-1]
        yield finding("LS305", f, path=("grades", len(s.grades) - 1, "min"), grade=last.name,
                      min=_num(last.min))
    if s.grades and s.grades[-1].max_share is not None:
        # `apply_quotas` moves a unit over a grade's quota to the next grade: the last
        # has none, so its max_share is never read
        bottom = len(s.grades) - 1
        yield finding("LS314", f, path=("grades", bottom, "max_share"), on_key=True,
                      grade=s.grades[bottom].name)
    seen = {d.id for d in s.deduction_categories}
    yield from _categories(f, s.deduction_categories, ("deductions", "categories"),
                           L("负面清单类别", "deduction category"), L("扣分", ""))
    yield from _categories(f, s.bonus_categories, ("bonuses", "categories"),
                           L("加分类别", "bonus category"), L("加分", ""))
    if s.ceiling is not None and s.ceiling < s.floor:
        yield finding("LS313", f, path=("bonuses", "ceiling"), ceiling=_num(s.ceiling),
                      floor=_num(s.floor))
    # `rules_applied` names a rule by its id
    yield from _repeated_ids(f, ("rules",), L("规则", "rule"),
                             list(enumerate(r.id for r in s.rules)))
    grade_names = [g.name for g in s.grades]
    # with no grades there is no list to offer: say so (the missing grades are LS102)
    allowed = " | ".join(dict.fromkeys(grade_names)) if grade_names else L(
        "无：scheme.yaml 中还没有定义任何等次，请先在 grades 中定义",
        "none: scheme.yaml defines no grades yet; define them under grades first")
    for i, r in enumerate(s.rules):
        what = L(f"规则 {r.id} ", f"rule {r.id}")
        if r.max_grade is not None and r.max_grade not in grade_names:
            yield finding("LS117", f, path=("rules", i, "max_grade"), what=what, id=r.max_grade,
                          allowed=allowed)
        for j, cat in enumerate(r.deductions_in):
            if cat not in seen:
                yield finding("LS115", f, path=("rules", i, "when", "deductions_in", j),
                              what=what, id=cat, hint=near(cat, seen))
        # SPEC §10 rules v2: every name a rule uses is defined in the scheme
        if r.min_grade is not None and r.min_grade not in grade_names:
            yield finding("LS117", f, path=("rules", i, "min_grade"), what=what, id=r.min_grade,
                          allowed=allowed)
        for j, cat in enumerate(r.deductions_count_in):
            if cat not in seen:
                yield finding("LS115", f, path=("rules", i, "when", "deductions_count", "in", j),
                              what=what, id=cat, hint=near(cat, seen))
        bonus_ids = {b.id for b in s.bonus_categories}
        for j, cat in enumerate(r.bonuses_in):
            if cat not in bonus_ids:
                yield finding("LS416", f, path=("rules", i, "when", "bonuses_in", j),
                              what=what, id=cat, hint=near(cat, bonus_ids))


def _repeated_ids(f: str, path: KeyPath, kind: L, ids: Sequence[tuple[int, str]]
                  ) -> Iterator[Finding]:
    """LS108 for each entry (index, id) under `path` whose id an earlier one has,
    related to the first."""
    for i, (id_, at) in repeats(ids).items():
        yield finding("LS108", f, path=(*path, i, "id"), kind=kind, id=id_, first="",
                      related=(f, (*path, at, "id")))


def repeats(ids: Sequence[tuple[int, str]]) -> dict[int, tuple[str, int]]:
    """Each index (of the pairs index, id) whose id an earlier pair has: the id and
    the first index it was written at."""
    first: dict[str, int] = {}
    out: dict[int, tuple[str, int]] = {}
    for i, id_ in ids:
        if id_ in first:
            out[i] = (id_, first[id_])
        else:
            first[id_] = i
    return out


def sound_categories(cats: Sequence[DeductionCategory]) -> list[DeductionCategory]:
    """The categories `_categories` finds nothing in: id written once (LS108 names
    the repeats) and min not above max (LS306)."""
    twice = {id_ for id_, _ in repeats(list(enumerate(c.id for c in cats))).values()}
    return [c for c in cats if c.id not in twice and c.min <= c.max]


def _categories(f: str, cats: tuple[DeductionCategory, ...], path: KeyPath, kind: L,
                points: L) -> Iterator[Finding]:
    """LS108 for a category id written twice (the later one silently replaced the
    first in every record's check), LS306 for a range whose min is above its max (no
    points could be recorded in it)."""
    yield from _repeated_ids(f, path, kind, list(enumerate(c.id for c in cats)))
    for i, c in enumerate(cats):
        if c.min > c.max:
            yield finding("LS306", f, path=(*path, i, "min"), kind=kind, range=points, id=c.id,
                          min=_num(c.min), max=_num(c.max))
