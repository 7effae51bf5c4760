"""Property tests (hypothesis, derandomized like tests/test_scoring_props.py) of scheme
v2 (SPEC §10), on the same in-memory ledgers with a v2 scheme on top: two ranking
groups, grade quotas, bonuses with a cap, rules v2 (a reward, a 频发 downgrade, an
overdue cap).

- adding a bonus never lowers the unit's score or grade;
- adding a deduction never raises the unit's score or grade (nor any other score);
- a quota never leaves more units with its grade than allowed, except through a tie
  block that starts within it;
- renaming units, or reordering files and entries, never changes results.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from luoshi_cli.core.model import (
    Bonus,
    DeductionCategory,
    Ledger,
    RankingGroup,
    Rule,
    Src,
    Task,
    Unit,
)
from luoshi_cli.ops.scoring import result_json, score_period
from test_scoring_props import (
    GRADE_INDEX,
    GRADES,
    PROPS,
    Q2_START,
    UNITS,
    _shuffled,
    deductions,
    ledgers,
)

D = Decimal
BONUS_CATS = (DeductionCategory("award", "表彰", D(1), D(3)),
              DeductionCategory("model", "推广", D(2), D(4)))


def v2(led: Ledger) -> Ledger:
    """The v1 property ledger with a v2 scheme: quotas 优秀 30 % and 良好 50 %, groups
    {u1, u2, u3} and {u4, u5}, bonuses capped at 5, three v2 rules."""
    assert led.scheme is not None
    grades = (replace(GRADES[0], max_share=D(30)), replace(GRADES[1], max_share=D(50)),
              *GRADES[2:])
    rules = (*led.scheme.rules,
             Rule("reward", bonuses_in=("award",), min_grade="良好", note="受表彰"),
             Rule("frequent", deductions_count_min=2, downgrade=1, note="频发"),
             Rule("late", overdue_tasks_min=1, max_grade="良好"))
    groups = (RankingGroup("g1", "一组", units=("u1", "u2", "u3"), index=0),
              RankingGroup("g2", "二组", units=("u4", "u5"), interview_bottom=1, index=1))
    scheme = replace(led.scheme, grades=grades, rules=rules, ranking_groups=groups,
                     bonus_categories=BONUS_CATS, bonus_cap=D(5))
    return replace(led, scheme=scheme)


@st.composite
def bonuses(draw: st.DrawFn, src: str = "records/2021-Q2.yaml") -> Bonus:
    cat = draw(st.sampled_from(BONUS_CATS))
    points = draw(st.decimals(min_value=cat.min, max_value=cat.max, places=1))
    day = Q2_START + timedelta(days=draw(st.integers(0, 90)))
    return Bonus(draw(st.sampled_from(UNITS)), cat.id, day, points, None, Src(src, ("bonuses", 0)))


@st.composite
def v2_ledgers(draw: st.DrawFn) -> Ledger:
    led = v2(draw(ledgers()))
    rec = led.records[0]
    units = set(rec.scores)
    bs = tuple(b for b in draw(st.lists(bonuses(), max_size=4)) if b.unit in units)
    return replace(led, records=(replace(rec, bonuses=bs),))


def _with(led: Ledger, **more: Any) -> Ledger:
    rec = led.records[0]
    extra = {k: (*getattr(rec, k), v) for k, v in more.items()}
    return replace(led, records=(replace(rec, **extra), *led.records[1:]))


@PROPS
@given(v2_ledgers(), bonuses())
def test_adding_a_bonus_never_lowers_a_score_or_grade(led: Ledger, extra: Bonus) -> None:
    before = score_period(led, "2021-Q2")
    after = score_period(_with(led, bonuses=extra), "2021-Q2")
    b, a = before.unit(extra.unit), after.unit(extra.unit)
    if b is None:
        return  # not assessed: nothing to compare
    assert a is not None
    assert a.exact >= b.exact and a.score >= b.score
    assert GRADE_INDEX[a.grade] <= GRADE_INDEX[b.grade]


@PROPS
@given(v2_ledgers(), deductions())
def test_adding_a_deduction_never_raises_a_score_or_grade(led: Ledger, extra: Any) -> None:
    before = score_period(led, "2021-Q2")
    after = score_period(_with(led, deductions=extra), "2021-Q2")
    for b in before.units:
        a = after.unit(b.unit)
        assert a is not None and a.exact <= b.exact
    b, a = before.unit(extra.unit), after.unit(extra.unit)
    if b is not None and a is not None:
        assert GRADE_INDEX[a.grade] >= GRADE_INDEX[b.grade]


@PROPS
@given(v2_ledgers())
def test_a_quota_is_exceeded_only_through_a_tie_at_its_boundary(led: Ledger) -> None:
    r = score_period(led, "2021-Q2")
    for q in r.quotas:
        assert q.allowed == int(q.units * q.share // 100)
        group = [u for u in r.units if u.group == q.group]
        assert len(group) == q.units
        holders = sorted((u for u in group if u.unit in q.kept or u.unit in
                          {m for m, _ in q.moved}), key=lambda u: (u.rank, u.unit))
        inside = {u.score for u in holders[:q.allowed]}
        for u in holders:
            assert (u.unit in q.kept) == (u.score in inside)
        if len(q.kept) > q.allowed:
            assert q.exceeded
        # after every quota: exactly the units it kept hold the grade
        assert {u.unit for u in group if u.grade == q.grade} == set(q.kept)


RENAME = {"u1": "zeta", "u2": "alpha", "u3": "mid", "u4": "b2", "u5": "a1"}


def _renamed(led: Ledger) -> Ledger:
    def m(u: str) -> str:
        return RENAME.get(u, u)

    assert led.scheme is not None
    groups = tuple(replace(g, units=tuple(m(u) for u in g.units))
                   for g in led.scheme.ranking_groups)
    recs = tuple(replace(
        r, scores={m(u): v for u, v in r.scores.items()},
        items={m(u): v for u, v in r.items.items()},
        deductions=tuple(replace(d, unit=m(d.unit)) for d in r.deductions),
        flags=tuple(replace(f, unit=m(f.unit)) for f in r.flags),
        bonuses=tuple(replace(b, unit=m(b.unit)) for b in r.bonuses)) for r in led.records)
    tasks: tuple[Task, ...] = tuple(replace(t, lead=m(t.lead)) for t in led.tasks)
    units = {m(u): Unit(m(u), x.name, x.kind, x.src) for u, x in led.units.items()}
    return replace(led, scheme=replace(led.scheme, ranking_groups=groups), records=recs,
                   tasks=tasks, units=units)


@PROPS
@given(v2_ledgers(), st.randoms(use_true_random=False))
def test_renaming_or_reordering_never_changes_results(led: Ledger, rnd: random.Random) -> None:
    base = score_period(led, "2021-Q2")
    again = score_period(_shuffled(led, rnd), "2021-Q2")
    assert result_json(again) == result_json(base)
    renamed = score_period(_renamed(led), "2021-Q2")
    got = {u.unit: (u.exact, u.grade, u.rank, u.interview, u.group) for u in renamed.units}
    assert got == {RENAME[u.unit]: (u.exact, u.grade, u.rank, u.interview, u.group)
                   for u in base.units}
