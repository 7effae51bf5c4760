"""Property tests (hypothesis) of the scoring arithmetic, on ledgers built in memory.

- a score stays within [floor, 100];
- adding a deduction never raises a score or a grade;
- the order of files, units, tasks and entries in the ledger never changes results;
- scaling sibling weights consistently (all × k) gives the same scores.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fuzzing import fuzz
from luoshi_cli.core.model import (
    Component,
    Config,
    Deduction,
    DeductionCategory,
    Grade,
    Item,
    Ledger,
    Milestone,
    Record,
    RecordFlag,
    Rule,
    Scheme,
    Src,
    Task,
    Unit,
)
from luoshi_cli.ops.scoring import build_tree, publish, result_json, score_period, tree_score

D = Decimal
SRC = Src("scheme.yaml")
Q2_START = date(2021, 4, 1)
UNITS = ["u1", "u2", "u3", "u4", "u5"]
CATS = {"values": (D(8), D(10)), "formalism": (D(6), D(8)), "slack": (D(2), D(4))}
GRADES = (Grade("优秀", D(90)), Grade("良好", D(80)), Grade("一般", D(70)), Grade("较差", D(0)))
GRADE_INDEX = {g.name: i for i, g in enumerate(GRADES)}
PROPS = fuzz(60)


def leaf(cid: str, weight: str, **kw: Any) -> Component:
    return Component(cid, cid, D(weight), kw.pop("cadence", "quarterly"), SRC, **kw)


ZERO = D(0)


def make_scheme(floor: Decimal = ZERO) -> Scheme:
    """A (60) {a1 50, a2 50}, B (25) checklist {x 60, y 40 {y1 25, y2 15}},
    T (15) source: tasks 30 : 70, and S (20, annual)."""
    comps = (
        Component("A", "A", D(60), "quarterly", SRC, children=(
            leaf("a1", "50"), leaf("a2", "50"))),
        leaf("B", "25", items=(
            Item("x", "x", D(60)),
            Item("y", "y", D(40), (Item("y1", "y1", D(25)), Item("y2", "y2", D(15)))))),
        leaf("T", "15", source="tasks", timeliness=D(30), quality=D(70)),
        leaf("S", "20", cadence="annual"),
    )
    return Scheme(
        id="p", title="props", components=comps, src=SRC, floor=floor,
        deduction_categories=tuple(DeductionCategory(c, c, lo, hi)
                                   for c, (lo, hi) in CATS.items()),
        grades=GRADES,
        rules=(Rule("cap", deductions_in=("values", "formalism"), max_grade="一般"),
               Rule("veto", flag="veto", downgrade=1)),
        interview_bottom=2)


score = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False,
                    allow_infinity=False)


@st.composite
def deductions(draw: st.DrawFn, src: str = "records/2021-Q2.yaml") -> Deduction:
    cat = draw(st.sampled_from(sorted(CATS)))
    lo, hi = CATS[cat]
    points = draw(st.decimals(min_value=lo, max_value=hi, places=1))
    day = Q2_START + timedelta(days=draw(st.integers(0, 90)))
    return Deduction(draw(st.sampled_from(UNITS)), cat, day, points, draw(st.booleans()),
                     draw(st.sampled_from(["甲", "乙", None])), Src(src, ("deductions", 0)))


@st.composite
def tasks(draw: st.DrawFn) -> list[Task]:
    out = []
    for i in range(draw(st.integers(0, 4))):
        ms = []
        due = Q2_START + timedelta(days=draw(st.integers(0, 20)))
        for _ in range(draw(st.integers(1, 3))):
            done = draw(st.one_of(st.none(), st.integers(-5, 5)))
            ms.append(Milestone(due, "s", None if done is None else due + timedelta(days=done)))
            due += timedelta(days=draw(st.integers(1, 30)))
        out.append(Task(f"T-{i}", "t", "c", draw(st.sampled_from(UNITS)), ("l",),
                        date(2021, 1, 1), "s", tuple(ms), "in_progress", D(0),
                        Src("tasks/t.yaml", (i,))))
    return out


@st.composite
def ledgers(draw: st.DrawFn, floor: Decimal = ZERO) -> Ledger:
    units = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=5, unique=True))
    scores: dict[str, dict[str, Decimal]] = {}
    items: dict[str, dict[str, dict[str, Decimal]]] = {}
    for u in units:
        # a leaf may be missing (counted 0); keep at least the key so u is assessed
        scores[u] = {leaf_id: draw(score) for leaf_id in ("a1", "a2")
                     if draw(st.integers(0, 9)) > 0}
        if draw(st.booleans()):
            items[u] = {"B": {"x": draw(st.decimals(0, 60, places=1)),
                              "y1": draw(st.decimals(0, 25, places=1)),
                              "y2": draw(st.decimals(0, 15, places=1))}}
    ts = draw(tasks())
    quality = {t.id: draw(score) for t in ts if draw(st.booleans())}
    deds = tuple(d for d in draw(st.lists(deductions(), max_size=4)) if d.unit in units)
    flags = tuple(RecordFlag(u, "veto", None, None, Src("records/2021-Q2.yaml", ("flags", 0)))
                  for u in units if draw(st.integers(0, 4)) == 0)
    rec = Record("2021-Q2", Src("records/2021-Q2.yaml"), scores, items, quality, deds, flags)
    return Ledger(root=Path("."), config=Config(title="t", year=2021),
                  units={u: Unit(u, f"单位{u}", None, Src("units.yaml")) for u in UNITS},
                  leaders={}, tasks=tuple(ts), scheme=make_scheme(floor), records=(rec,))


@PROPS
@given(ledgers(), st.decimals(min_value=0, max_value=40, places=1))
def test_score_stays_within_floor_and_100(led: Ledger, floor: Decimal) -> None:
    assert led.scheme is not None
    led = replace(led, scheme=replace(led.scheme, floor=floor))
    for u in score_period(led, "2021-Q2").units:
        assert floor <= u.exact <= 100
        assert floor <= u.score <= 100
        for value in u.components.values():
            assert 0 <= value <= 100


@PROPS
@given(ledgers(), deductions(), st.booleans())
def test_adding_a_deduction_never_raises_a_score_or_grade(led: Ledger, extra: Deduction,
                                                          other_file: bool) -> None:
    """Also when the deduction sits in another record (the annual one) dated in Q2."""
    before = score_period(led, "2021-Q2")
    rec = led.records[0]
    if other_file:
        more = Record("2021", Src("records/2021.yaml"), deductions=(extra,))
        after_led = replace(led, records=(rec, more))
    else:
        after_led = replace(led, records=(replace(rec, deductions=(*rec.deductions, extra)),))
    after = score_period(after_led, "2021-Q2")
    assert len(after.units) == len(before.units)
    for b in before.units:
        a = after.unit(b.unit)
        assert a is not None
        assert a.exact <= b.exact and a.score <= b.score
        assert GRADE_INDEX[a.grade] >= GRADE_INDEX[b.grade]
        if b.unit == extra.unit:
            assert a.deductions > b.deductions


def _shuffled(led: Ledger, rnd: random.Random) -> Ledger:
    def shuffle_map(m: dict[str, Any]) -> dict[str, Any]:
        keys = list(m)
        rnd.shuffle(keys)
        return {k: shuffle_map(m[k]) if isinstance(m[k], dict) else m[k] for k in keys}

    def seq(xs: tuple[Any, ...]) -> tuple[Any, ...]:
        out = list(xs)
        rnd.shuffle(out)
        return tuple(out)

    records = tuple(replace(r, scores=shuffle_map(r.scores), items=shuffle_map(r.items),
                            quality=shuffle_map(r.quality), deductions=seq(r.deductions),
                            flags=seq(r.flags)) for r in led.records)
    return replace(led, units=shuffle_map(led.units), tasks=seq(led.tasks),
                   records=seq(records))


@PROPS
@given(ledgers(), st.randoms(use_true_random=False), deductions("records/2021.yaml"))
def test_order_of_files_and_units_never_changes_results(led: Ledger, rnd: random.Random,
                                                        extra: Deduction) -> None:
    # a second record file (the year's, scored annually) so that file order matters too
    year = Record("2021", Src("records/2021.yaml"),
                  scores={u: {"S": D(77)} for u in led.records[0].scores}, deductions=(extra,))
    led = replace(led, records=(*led.records, year))
    quarter, annual = score_period(led, "2021-Q2"), score_period(led, "2021", partial=True)
    other = _shuffled(led, rnd)
    assert result_json(score_period(other, "2021-Q2")) == result_json(quarter)
    again = score_period(other, "2021", partial=True)
    assert result_json(again) == result_json(annual)
    assert [u.exact for u in again.units] == [u.exact for u in annual.units]


# ---- scaled weights: the pure arithmetic ---------------------------------------------------

weights = st.decimals(min_value=D("0.5"), max_value=100, places=1)
factors = st.sampled_from([D(2), D(3), D(7), D("0.5"), D("1.5"), D("0.01"), D(1000)])


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> tuple[Component, ...]:
    n = draw(st.integers(1, 4))
    out = []
    for i in range(n):
        cid = f"c{depth}{i}{draw(st.integers(0, 10**6))}"
        if depth < 2 and draw(st.booleans()):
            out.append(Component(cid, cid, draw(weights), "quarterly", SRC,
                                 children=draw(trees(depth + 1))))
        else:
            cad = "annual" if draw(st.integers(0, 4)) == 0 else "quarterly"
            out.append(Component(cid, cid, draw(weights), cad, SRC))
    return tuple(out)


def _scale(comps: tuple[Component, ...], k: Decimal) -> tuple[Component, ...]:
    return tuple(replace(c, weight=c.weight * k, children=_scale(c.children, k))
                 for c in comps)


@PROPS
@given(trees(), factors, st.data())
def test_scaled_weights_give_the_same_scores(comps: tuple[Component, ...], k: Decimal,
                                             data: st.DataObject) -> None:
    """All sibling weights × k (validate would then complain that they do not sum to
    100 — so this is the arithmetic alone): the same tree score and the same
    component scores.  Annual leaves are left out (renormalisation) on both sides."""
    leaves = [c for top in comps for c in top.walk() if c.is_leaf]
    given_scores = {c.id: data.draw(score) for c in leaves}

    def leaf_score(c: Component) -> Any:
        from luoshi_cli.ops.scoring import Leaf

        return None if c.cadence == "annual" else Leaf(given_scores[c.id], "score")

    a = build_tree(comps, leaf_score)
    b = build_tree(_scale(comps, k), leaf_score)
    sa, sb = tree_score(a), tree_score(b)
    assert (sa is None) == (sb is None)
    if sa is None or sb is None:
        return
    assert publish(sa, 2) == publish(sb, 2)
    assert abs(sa - sb) < D("1e-20")
    for pa, pb in zip((p for t in a for p in t.walk()), (p for t in b for p in t.walk()),
                      strict=True):
        assert (pa.score is None) == (pb.score is None)
        if pa.score is not None and pb.score is not None:
            assert publish(pa.score, 2) == publish(pb.score, 2)
            assert publish(pa.share, 6) == publish(pb.share, 6)


@PROPS
@given(ledgers(), factors)
def test_scaled_scheme_weights_give_the_same_published_scores(led: Ledger, k: Decimal) -> None:
    assert led.scheme is not None
    scaled = replace(led, scheme=replace(led.scheme,
                                         components=_scale(led.scheme.components, k)))
    a, b = score_period(led, "2021-Q2"), score_period(scaled, "2021-Q2")
    ja, jb = result_json(a), result_json(b)
    for doc in (ja, jb):
        for u in doc["units"]:  # type: ignore[attr-defined]
            del u["exact"]
    assert ja == jb
    for ua, ub in zip(a.units, b.units, strict=True):
        assert abs(ua.exact - ub.exact) < D("1e-30")


def _publish_as_before(x: Decimal, places: int) -> Decimal:
    """`publish` as it was written before it passed its context to each operation:
    under a fresh `localcontext` of luoshi's own, entered per call."""
    from decimal import ROUND_HALF_UP, localcontext

    from luoshi_cli.core.numbers import PRECISION, SETTLED_DIGITS, fixed_context

    with localcontext(fixed_context()) as ctx:
        ctx.prec = max(PRECISION, x.adjusted() + places + 2)
        settled = x.quantize(Decimal(1).scaleb(x.adjusted() - SETTLED_DIGITS + 1)) \
            if x.is_finite() and x else x
        return settled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _quotient(a: int, b: int) -> Decimal:
    """a / b to scoring's 50 digits (the renormalised shares and means it publishes)."""
    from decimal import localcontext

    with localcontext() as ctx:
        ctx.prec = 50
        return Decimal(a) / Decimal(b)


@fuzz(300)
@given(st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=60),
    st.builds(lambda a, b: _quotient(a, b), st.integers(-10**9, 10**9),
              st.integers(1, 10**4)),
    st.sampled_from([Decimal("89.995"), Decimal("89.9949999999999999999999999999999"),
                     Decimal("1E+308"), Decimal("-0.005"), Decimal("-0"), Decimal("NaN")])),
    st.integers(0, 6))
def test_publish_equals_the_rounding_under_an_entered_context(x: Decimal, places: int) -> None:
    """`publish` passes one prepared context to each operation instead of entering a
    new one per figure (a province's 10,000 units publish 70,000 figures): the same
    figure, digit for digit and exponent for exponent, for any value and places —
    including the 50-digit quotients scoring divides into and a 1e308 floor (a
    context of more digits then); and the caller's own context is left alone."""
    from decimal import getcontext, localcontext

    from luoshi_cli.core.numbers import publish as published

    with localcontext() as caller:
        caller.prec = 3  # a program's own context changes nothing
        got = published(x, places)
        assert getcontext().prec == 3
    want = _publish_as_before(x, places)
    assert str(got) == str(want)


def test_slot_replacer_copies_as_dataclasses_replace_does() -> None:
    """scoring's tree renormalises each component with `slot_replacer(Part, "share",
    "contribution")` instead of `dataclasses.replace` (58,000 copies for 10,000 units):
    the copy equals replace's, field for field, and the original is unchanged; a field
    the class does not have is refused when the replacer is made."""
    import pytest

    from luoshi_cli.core.model import slot_replacer
    from luoshi_cli.ops.scoring.engine import Part

    p = Part("a", "甲", Decimal(30), "quarterly", Decimal("88.5"), basis="score",
             children=(Part("b", "乙", Decimal(1), "quarterly", Decimal(1)),), missing=True)
    shared = slot_replacer(Part, "share", "contribution")
    got = shared(p, Decimal("37.5"), Decimal("33.1875"))
    assert got == replace(p, share=Decimal("37.5"), contribution=Decimal("33.1875"))
    assert got is not p and p.share == 0 and got.children is p.children
    with pytest.raises(TypeError, match="no field"):
        slot_replacer(Part, "shares")
