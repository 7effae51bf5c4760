"""`scoring.score_period` (SPEC §4): numbers computed by hand on the 渭南 example, the
half-up edge that binary floats get wrong, rules, ranking, interview marks,
`source: tasks` leaves, partial years, missing scores.

The hand computations are in each test's docstring: the checklist sums come from
the records' `items:` (附件2—5 points earned), the rest is the scheme's weights.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from luoshi_cli.core.model import Ledger
from luoshi_cli.ops.scoring import (
    ScoreResult,
    ScoringError,
    UnitScore,
    publish,
    rank,
    result_json,
    score_period,
)
from luoshi_cli.ops.validate import validate

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "weinan-2021"
FIXTURES = REPO / "tests" / "fixtures" / "scoring"

D = Decimal


def load(root: Path) -> Ledger:
    v = validate(root, date(2030, 1, 1))
    assert v.errors == 0, [f.message("en") for f in v.findings if f.severity == "error"]
    return v.loaded.ledger


@pytest.fixture(scope="module")
def weinan() -> Ledger:
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def q2(weinan: Ledger) -> ScoreResult:
    return score_period(weinan, "2021-Q2")


@pytest.fixture(scope="module")
def year(weinan: Ledger) -> ScoreResult:
    return score_period(weinan, "2021")


def unit(result: ScoreResult, uid: str) -> UnitScore:
    u = result.unit(uid)
    assert u is not None
    return u


# ---- the 渭南 example, by hand ---------------------------------------------------------------


def test_q2_jinchengshequ_by_hand(q2: ScoreResult) -> None:
    """金城社区 2021-Q2.

    training  t01..t21 = 4.5+3.5+4.5+4+4.5+4+4+4.5+4+4.5+4.5+4.5+3.5+4+4.5+3.5+3.5+4.5+4.5
                         +4.5+4 = 87.5
    exercise  17+19+17+18.5+19 = 90.5
    oversight 18+18+19+16.5+18 = 89.5
    push      (7+6+6+6.5+5.5) + (3.5×5+2.5+3+3+3+2.5) + (7+3.5+3.5+4+2.5+3.5+2.5)
              = 31 + 31.5 + 26.5 = 89
    activities = (87.5+90.5+89.5+89)×25/100 = 356.5/4 = 89.125
    special    = 70%×89.125 + 15%×94 (hotline) + 15%×93.5 (service)
               = 62.3875 + 14.1 + 14.025 = 90.5125
    democratic is annual: left out, special's 80 renormalised to 100 → 90.5125
    deduction  formalism 6, no media → 90.5125 − 6 = 84.5125 → published 84.51 → 良好
    style-cap  (a formalism deduction) caps at 一般 → 一般; rank 6 of 13, no interview.
    """
    u = unit(q2, "jinchengshequ")
    assert u.exact == D("84.5125")
    assert u.score == D("84.51")
    assert u.raw == D("90.5125")
    assert (u.base_grade, u.grade) == ("良好", "一般")
    assert u.rules_applied == ["style-cap"]
    assert u.deductions == D("6.00")
    assert (u.rank, u.interview) == (6, False)
    assert u.components == {
        "special": D("90.51"), "activities": D("89.13"), "training": D("87.50"),
        "exercise": D("90.50"), "oversight": D("89.50"), "push": D("89.00"),
        "hotline": D("94.00"), "service": D("93.50")}
    assert u.missing == []
    [inc] = u.incidents
    assert (inc.category, inc.date, inc.points, inc.media, inc.multiplied) == (
        "formalism", date(2021, 4, 20), D(6), False, D(6))


def test_q2_guanweihui_and_jingfaju_tie_by_hand(q2: ScoreResult) -> None:
    """党工委管委会办公室 and 经济发展局 2021-Q2: the example's tie.

    guanweihui: training 84 (4+3.5+4.5+3+4+4+4.5+4+4+4+4.5+4+3.5+4+4+3.5+3.5+4.5+4.5+4.5+4),
      exercise 18+18.5+18.5+18+18.5 = 91.5, oversight 17+16+16.5+17+16.5 = 83,
      push 30.5 + 31 + 26 = 87.5 → activities (84+91.5+83+87.5)/4 = 86.5
      special = 70%×86.5 + 15%×86 + 15%×91 = 60.55 + 12.9 + 13.65 = 87.1
    jingfaju: the same checklist sums (84, 91.5, 83, 87.5), hotline 91 and service 86:
      60.55 + 13.65 + 12.9 = 87.1
    No deductions: both publish 87.10 (良好) and share rank 3; the next unit is 5th.
    """
    g, j = unit(q2, "guanweihui"), unit(q2, "jingfaju")
    assert g.exact == j.exact == D("87.1")
    assert g.score == j.score == D("87.10")
    assert g.grade == j.grade == "良好"
    assert g.rank == j.rank == 3
    assert [u.unit for u in q2.units][2:5] == ["guanweihui", "jingfaju", "chongyelu"]
    assert unit(q2, "chongyelu").rank == 5


def test_q2_media_doubling_and_veto(q2: ScoreResult) -> None:
    """东区管委会: checklist sums 76.5, 75, 77, 73 → activities 301.5/4 = 75.375;
    special = 52.7625 + 15%×75 + 15%×73 = 52.7625 + 11.25 + 10.95 = 74.9625;
    formalism 7 exposed by media ×2 = 14 → 60.9625 → 60.96 较差; style-cap held (the
    grade is already below the cap) → still listed.

    规划建设局: sums 78, 77, 76, 77 → activities 77; special = 53.9 + 11.325 + 11.325
    = 76.55 → 一般; the veto flag downgrades one band → 较差.
    """
    d = unit(q2, "dongqu")
    assert (d.exact, d.score, d.deductions) == (D("60.9625"), D("60.96"), D("14.00"))
    assert (d.base_grade, d.grade, d.rules_applied) == ("较差", "较差", ["style-cap"])
    [inc] = d.incidents
    assert (inc.points, inc.media, inc.multiplier, inc.multiplied) == (D(7), True, D(2), D(14))
    g = unit(q2, "guijianju")
    assert (g.exact, g.score) == (D("76.55"), D("76.55"))
    assert (g.base_grade, g.grade, g.rules_applied) == ("一般", "较差", ["veto"])


def test_q2_ranking_and_interview(q2: ScoreResult) -> None:
    """13 units, interview_bottom 3: ranks 11, 12, 13 are marked for 约谈."""
    assert [(u.unit, u.rank, str(u.score)) for u in q2.units] == [
        ("dangqunbu", 1, "94.64"), ("xzspj", 2, "93.30"), ("guanweihui", 3, "87.10"),
        ("jingfaju", 3, "87.10"), ("chongyelu", 5, "86.88"), ("jinchengshequ", 6, "84.51"),
        ("zhaoshangju", 7, "83.29"), ("shehuiju", 8, "78.39"), ("longbei", 9, "76.95"),
        ("guijianju", 10, "76.55"), ("weinangs", 11, "69.48"), ("chenggaiban", 12, "67.35"),
        ("dongqu", 13, "60.96")]
    assert [u.unit for u in q2.units if u.interview] == ["weinangs", "chenggaiban", "dongqu"]
    assert "kaoheban" not in [u.unit for u in q2.units]  # the assessor is not assessed
    assert q2.warnings == []
    assert q2.missing_quarters == ()


def test_annual_longbei_by_hand(year: ScoreResult) -> None:
    """龙背街道 2021 (annual).

    Quarterly leaves, the mean of Q1..Q4 (checklist sums from each record):
      training  (65.5+82.5+82+83)/4   = 78.25
      exercise  (74.5+81.5+81.5+84)/4 = 80.375
      oversight (76.5+80+81+87.5)/4   = 81.25
      push      (80.5+82+82.5+85)/4   = 82.5
      hotline   (80.5+79.5+81+86.5)/4 = 81.875
      service   (83+86.5+86+87.5)/4   = 85.75
    activities = (78.25+80.375+81.25+82.5)/4 = 80.59375
    special    = 70%×80.59375 + 15%×81.875 + 15%×85.75 = 56.415625+12.28125+12.8625
               = 81.559375
    democratic = (83.9 + 78.7)/2 = 81.3 (the 2021 record)
    total      = 80%×81.559375 + 20%×81.3 = 65.2475 + 16.26 = 81.5075
    the year's deductions: apathy 5 (Q2) → 76.5075 → 76.51 → 一般
    the 2021 record's veto flag → one band down → 较差.
    """
    u = unit(year, "longbei")
    assert u.raw == D("81.5075")
    assert u.exact == D("76.5075")
    assert u.score == D("76.51")
    assert (u.base_grade, u.grade, u.rules_applied) == ("一般", "较差", ["veto"])
    assert u.components["training"] == D("78.25")
    assert u.components["exercise"] == D("80.38")  # 80.375 half-up
    assert u.components["hotline"] == D("81.88")  # 81.875 half-up
    assert u.components["activities"] == D("80.59")
    assert u.components["special"] == D("81.56")
    assert u.components["democratic"] == D("81.30")
    assert u.components["leadership"] == D("83.90")


def test_annual_counts_every_deduction_of_the_year_once(year: ScoreResult) -> None:
    """威楠公司 2021: special = mean-based 70.603125 (checklist means 70, 72.375, 70.25,
    69.75 → activities 70.59375; hotline 70.875, service 70.375), democratic
    (69.3+69.1)/2 = 69.2; total = 56.4825 + 13.84 = 70.3225.  Deductions of the
    year: laxity 4 (Q1) + apathy 4 × 2 media (Q4) = 12 → 58.3225 → 58.32 较差.
    (Not the mean of the quarterly published scores: deductions count in full.)
    """
    u = unit(year, "weinangs")
    assert u.raw == D("70.3225")
    assert u.deductions == D("12.00")
    assert u.exact == D("58.3225")
    assert [(i.period, i.category, i.multiplied) for i in u.incidents] == [
        ("2021-Q1", "laxity", D(4)), ("2021-Q4", "apathy", D(8))]
    assert [(x.unit, x.rank) for x in year.units if x.interview] == [
        ("dongqu", 11), ("weinangs", 12), ("chenggaiban", 13)]
    # the Q2 veto (a quarterly record's flag) counts in the year too
    assert unit(year, "guijianju").rules_applied == ["veto"]


def test_quarter_ignores_the_annual_records_flag(q2: ScoreResult) -> None:
    """longbei's veto is in the 2021 record (undated): it belongs to the year, not Q2.
    Q2: 76.95 一般, apathy 5 (no rule) → no rule applies."""
    u = unit(q2, "longbei")
    assert (u.score, u.grade, u.rules_applied) == (D("76.95"), "一般", [])


def test_result_json_matches_spec_shape(q2: ScoreResult) -> None:
    doc = result_json(q2)
    assert list(doc)[:3] == ["scheme", "period", "units"]
    assert (doc["scheme"], doc["period"]) == ("weinan-zuofeng-2021", "2021-Q2")
    units = doc["units"]
    assert isinstance(units, list)
    first = units[0]
    assert list(first)[:10] == ["unit", "name", "score", "grade", "rank", "interview",
                                "components", "deductions", "rules_applied", "missing"]
    assert first["score"] == 94.64 and first["deductions"] == 0
    assert first["components"]["exercise"] == 95 and type(first["components"]["exercise"]) is int


# ---- half-up on the exact value --------------------------------------------------------------


def test_exact_89_995_publishes_90_and_excellent() -> None:
    """70% × 91.75 + 30% × 85.9 = 64.225 + 25.77 = 89.995 exactly → 90.00 → 优秀.

    Binary floats get 0.7*91.75 + 0.3*85.9 = 89.99499999999999 → 89.99 → 良好; so
    does Python's round() on the exact value (half-even: 89.99 would need …5 → even).
    """
    assert 0.7 * 91.75 + 0.3 * 85.9 < 89.995  # the trap is real
    result = score_period(load(FIXTURES / "half-up"), "2021-Q1")
    edge = unit(result, "edge")
    assert edge.exact == D("89.995")
    assert edge.score == D("90.00")
    assert edge.grade == "优秀"
    other = unit(result, "other")  # 70%×89.99 + 30%×90 = 89.993 → 89.99 → 良好
    assert (other.exact, other.score, other.grade) == (D("89.993"), D("89.99"), "良好")


def test_publish_is_half_up() -> None:
    assert publish(D("84.505"), 2) == D("84.51")
    assert publish(D("84.515"), 2) == D("84.52")
    assert publish(D("22.625"), 2) == D("22.63")
    assert publish(D("89.994999999"), 2) == D("89.99")
    assert publish(D("0.5"), 0) == D("1")


# ---- small ledgers -----------------------------------------------------------------------------

CONFIG = """title: 测试台账
year: 2021
categories:
  - {id: cat, name: 测试}
"""
GRADES = """grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 70}
  - {name: 较差, min: 0}
"""
DEDUCTIONS = """deductions:
  media_multiplier: 2
  floor: 0
  categories:
    - {id: values,    name: 价值观偏差, min: 8, max: 10}
    - {id: formalism, name: 形式主义,   min: 6, max: 8}
    - {id: slack,     name: 混日子,     min: 2, max: 4}
"""
RULES = """rules:
  - {id: style-cap, when: {deductions_in: [values, formalism]}, max_grade: 一般}
  - {id: veto, when: {flag: veto}, downgrade: 1}
  - {id: severe, when: {flag: severe}, downgrade: 5}
"""


def one_leaf_scheme(interview_bottom: int = 0) -> str:
    return ("id: t\ntitle: 测试考核\ncadence: quarterly\nrounding: {places: 2}\n"
            "components:\n  - {id: work, name: 工作, weight: 100}\n"
            + DEDUCTIONS + GRADES + RULES + f"interview_bottom: {interview_bottom}\n")


def units_yaml(ids: list[str]) -> str:
    return "units:\n" + "".join(f"  - {{id: {u}, name: 单位{u}}}\n" for u in ids)


Writer = Callable[..., Path]


def small(write: Writer, scores: dict[str, str], record_tail: str = "",
          interview_bottom: int = 0) -> Ledger:
    record = ("period: 2021-Q2\nscores:\n"
              + "".join(f"  {u}: {{work: {s}}}\n" for u, s in scores.items()) + record_tail)
    root = write({"luoshi.yaml": CONFIG, "units.yaml": units_yaml(list(scores)),
                  "scheme.yaml": one_leaf_scheme(interview_bottom),
                  "records/2021-Q2.yaml": record})
    return load(root)


def test_rules_cap_downgrade_and_never_past_the_last_band(write: Writer) -> None:
    """capped:  95 − formalism 6 = 89 → 良好 → style-cap → 一般
    lowcap:  72 − values 8 = 64 → 较差; style-cap held, nothing to cap (still listed)
    veto:    95 → 优秀 → veto → 良好
    bottom:  60 → 较差 → veto → 较差 (never past the last band)
    both:    95 − formalism 6 = 89 → 良好 → cap 一般 → veto → 较差 (caps first)
    severe:  95 → 优秀 → downgrade 5 → 较差 (clamped)
    """
    tail = """deductions:
  - {unit: capped, category: formalism, date: 2021-05-01, points: 6, reason: 陪同过多}
  - {unit: lowcap, category: values, date: 2021-05-02, points: 8, reason: 整改不到位}
  - {unit: both, category: formalism, date: 2021-05-03, points: 6, reason: 文山会海}
flags:
  - {unit: veto, kind: veto, reason: 安全事故}
  - {unit: bottom, kind: veto, reason: 安全事故}
  - {unit: both, kind: veto, reason: 违纪}
  - {unit: severe, kind: severe, reason: 严重问题}
"""
    led = small(write, {"capped": "95", "lowcap": "72", "veto": "95", "bottom": "60",
                        "both": "95", "severe": "95"}, tail)
    r = score_period(led, "2021-Q2")
    got = {u.unit: (str(u.score), u.base_grade, u.grade, u.rules_applied) for u in r.units}
    assert got == {
        "capped": ("89.00", "良好", "一般", ["style-cap"]),
        "lowcap": ("64.00", "较差", "较差", ["style-cap"]),
        "veto": ("95.00", "优秀", "良好", ["veto"]),
        "bottom": ("60.00", "较差", "较差", ["veto"]),
        "both": ("89.00", "良好", "较差", ["style-cap", "veto"]),
        "severe": ("95.00", "优秀", "较差", ["severe"]),
    }
    steps = unit(r, "both").rule_steps
    assert [(s.rule, s.action, s.before, s.after) for s in steps] == [
        ("style-cap", "max_grade", "良好", "一般"), ("veto", "downgrade", "一般", "较差")]


def test_deductions_add_up_with_media_and_floor(write: Writer) -> None:
    """cumul: 90 − (slack 3 + slack 2 × 2 media = 7) = 83 → 良好
    floored: 5 − values 10 × 2 (media) = −15 → floor 0 → 0.00 较差."""
    tail = """deductions:
  - {unit: cumul, category: slack, date: 2021-04-01, points: 3}
  - {unit: cumul, category: slack, date: 2021-06-30, points: 2, media: true}
  - {unit: floored, category: values, date: 2021-05-05, points: 10, media: true}
"""
    r = score_period(small(write, {"cumul": "90", "floored": "5"}, tail), "2021-Q2")
    c, f = unit(r, "cumul"), unit(r, "floored")
    assert (c.exact, c.deductions, c.grade) == (D(83), D("7.00"), "良好")
    assert [i.multiplied for i in c.incidents] == [D(3), D(4)]
    assert (f.exact, f.score, f.deductions, f.floored) == (D(0), D("0.00"), D("20.00"), True)


def test_ties_at_the_interview_boundary(write: Writer) -> None:
    """Six units, interview_bottom 2 (SPEC's own example): 95, 90, 85, 80, 70.004,
    69.996 — the last two both publish 70.00, so ranks are 1 2 3 4 5 5 and both units
    of the tie at rank 5 are marked (5 > 6 − 2); ties are listed by unit id."""
    led = small(write, {"a": "95", "b": "90", "c": "85", "d": "80", "z": "70.004",
                        "y": "69.996"}, interview_bottom=2)
    r = score_period(led, "2021-Q2")
    assert [(u.unit, u.rank, u.interview) for u in r.units] == [
        ("a", 1, False), ("b", 2, False), ("c", 3, False), ("d", 4, False),
        ("y", 5, True), ("z", 5, True)]


def test_tie_across_the_boundary_is_marked_whole() -> None:
    """1 2 3 4 4 6 with interview_bottom 2 (SPEC §4 v1.1, marks with ties): the tie
    block at rank 4 holds positions 4–5; its last position 5 > 6 − 2, so both d and e
    are marked with f — the bulletin never names one of two equal scores."""
    got = rank([("a", D(95)), ("b", D(90)), ("c", D(85)), ("e", D(80)), ("d", D(80)),
                ("f", D(70))], 2)
    assert got == [("a", 1, False), ("b", 2, False), ("c", 3, False), ("d", 4, True),
                   ("e", 4, True), ("f", 6, True)]


def test_tie_above_the_boundary_is_not_marked() -> None:
    """1 2 2 4 5 6 with interview_bottom 2: the tie at rank 2 ends at position 3,
    3 ≤ 6 − 2: not marked; only positions 5 and 6 are."""
    got = rank([("a", D(95)), ("b", D(90)), ("c", D(90)), ("d", D(85)), ("e", D(80)),
                ("f", D(70))], 2)
    assert [x[2] for x in got] == [False, False, False, False, True, True]
    assert rank([("a", D(1))], 0) == [("a", 1, False)]


def test_missing_leaf_score_counts_zero_and_is_listed(write: Writer) -> None:
    """A unit named in a record without a score for the leaf: 0, listed in `missing`,
    and the same LS407 warning validate gives."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": units_yaml(["full", "gap"]),
                  "scheme.yaml": one_leaf_scheme(),
                  "records/2021-Q2.yaml": "period: 2021-Q2\nscores:\n  full: {work: 80}\n"
                                          "  gap: {}\n"})
    led = load(root)
    r = score_period(led, "2021-Q2")
    g = unit(r, "gap")
    assert (g.score, g.missing, g.grade) == (D("0.00"), ["work"], "较差")
    [w] = r.warnings
    assert (w.code, w.file, w.path) == ("LS407", "records/2021-Q2.yaml", ("scores", "gap"))
    assert w.message("en") == ("period 2021-Q2: 单位gap has no score for 工作: scoring counts it "
                               "as 0 and lists it as missing; add it")
    v = validate(root, date(2021, 6, 30))
    assert [(f.code, f.params) for f in v.findings] == [(w.code, w.params)]


def test_missing_checklist_item_counts_zero(example: Path) -> None:
    """Drop 金城社区's Q2 points for p3 (6 of 7 earned): push 89 → 83, activities
    89.125 → 87.625, special 90.5125 − 70% × 1.5 = 89.4625 → −6 = 83.4625 → 83.46."""
    rec = example / "records" / "2021-Q2.yaml"
    text = rec.read_text(encoding="utf-8")
    old = "push: {p1: 7, p2: 6, p3: 6, p4: 6.5, p5: 5.5"
    assert text.count(old) == 1
    rec.write_text(text.replace(old, "push: {p1: 7, p2: 6, p4: 6.5, p5: 5.5"), encoding="utf-8")
    r = score_period(load(example), "2021-Q2")
    u = unit(r, "jinchengshequ")
    assert u.components["push"] == D("83.00")
    assert u.exact == D("83.4625")
    assert u.missing == ["push/p3"]
    [w] = r.warnings
    assert (w.code, w.path) == ("LS408", ("items", "jinchengshequ", "push"))


# ---- source: tasks (七里河 30 : 70) ----------------------------------------------------------


@pytest.fixture(scope="module")
def qilihe() -> ScoreResult:
    return score_period(load(FIXTURES / "qilihe"), "2023-Q2")


def test_tasks_leaf_by_hand(qilihe: ScoreResult) -> None:
    """delivery = mean over the unit's tasks with a milestone due in Q2 of
    (timeliness × 30 + quality × 70)/100; routine from the record; weights 60 : 40.

    jianlan:  T-1 due 04-30 done 04-28 (on time), due 06-25 done 06-28 (late) → 50;
              quality 80 → (1500 + 5600)/100 = 71
              T-2 due 05-31 done 05-31 → 100; quality 90 → (3000 + 6300)/100 = 93
              delivery (71 + 93)/2 = 82; total 60%×82 + 40%×90 = 49.2 + 36 = 85.2 → 良好
    dunhuang: T-3 due 06-15 not done → 0; quality 60 → 42
              T-4 done on time → 100; no quality → 0 (warning) → 30
              T-5 is suspended: left out
              delivery 36; total 21.6 + 40%×88 = 21.6 + 35.2 = 56.8 → 较差
    xiyuan:   T-6 is due in Q3 only: no task, delivery left out, routine renormalised
              to 100 → 75 − slack 3 = 72 → 一般
    duchashi leads T-7 but is in no record's scores: not assessed.
    """
    r = qilihe
    assert [(u.unit, str(u.score), u.grade, u.rank, u.interview) for u in r.units] == [
        ("jianlan", "85.20", "良好", 1, False), ("xiyuan", "72.00", "一般", 2, False),
        ("dunhuang", "56.80", "较差", 3, True)]
    j = unit(r, "jianlan")
    delivery = j.parts[0]
    assert [(t.task, t.due, t.on_time, t.timeliness, t.quality, t.score)
            for t in delivery.tasks] == [
        ("T-1", 2, 1, D(50), D(80), D(71)), ("T-2", 1, 1, D(100), D(90), D(93))]
    assert j.components == {"delivery": D("82.00"), "routine": D("90.00")}
    d = unit(r, "dunhuang")
    assert d.components["delivery"] == D("36.00")
    assert d.missing == ["delivery/T-4"]
    x = unit(r, "xiyuan")
    assert x.components == {"routine": D("75.00")}
    assert x.parts[0].score is None and x.parts[1].share == D(100)
    assert [(w.code, w.params) for w in r.warnings] == [
        ("LS409", (("period", "2023-Q2"), ("task", "T-4"), ("whose", "")))]


def test_validate_reports_task_quality_missing_too() -> None:
    v = validate(FIXTURES / "qilihe", date(2023, 6, 30))
    got = [(f.file, f.line, f.code, f.message("en")) for f in v.findings if f.code == "LS409"]
    assert got == [("records/2023-Q2.yaml", 6, "LS409",
                    "period 2023-Q2: task T-4 has no quality score; it counts as 0")]


# ---- partial years -------------------------------------------------------------------------


def test_missing_quarter_needs_partial(example: Path) -> None:
    (example / "records" / "2021-Q4.yaml").unlink()
    led = load(example)
    with pytest.raises(ScoringError) as err:
        score_period(led, "2021")
    assert "2021-Q4" in err.value.label.en and "--partial" in err.value.label.en
    r = score_period(led, "2021", partial=True)
    assert r.missing_quarters == ("2021-Q4",)
    w = unit(r, "weinangs")  # the Q4 media deduction went with the Q4 record
    assert [(i.period, i.multiplied) for i in w.incidents] == [("2021-Q1", D(4))]
    assert w.parts[0].children[1].quarters == (
        ("2021-Q1", D(66)), ("2021-Q2", D("67.5")), ("2021-Q3", D(75)))


def test_partial_year_by_hand(write: Writer) -> None:
    """work (quarterly, 80) and survey (annual, 20); records Q1 and Q2 only.
    work = mean(80, 90) = 85; total = 80%×85 + 20%×70 = 68 + 14 = 82; Q1 slack 2 → 80
    → 良好.  Without --partial: refused, naming Q3 and Q4."""
    scheme = ("id: t\ntitle: 测试考核\ncadence: quarterly\ncomponents:\n"
              "  - {id: work, name: 工作, weight: 80}\n"
              "  - {id: survey, name: 测评, weight: 20, cadence: annual}\n"
              + DEDUCTIONS + GRADES)
    root = write({
        "luoshi.yaml": CONFIG, "units.yaml": units_yaml(["a"]), "scheme.yaml": scheme,
        "records/2021-Q1.yaml": "period: 2021-Q1\nscores:\n  a: {work: 80}\ndeductions:\n"
                                "  - {unit: a, category: slack, date: 2021-02-01, points: 2}\n",
        "records/2021-Q2.yaml": "period: 2021-Q2\nscores:\n  a: {work: 90}\n",
        "records/2021.yaml": "period: 2021\nscores:\n  a: {survey: 70}\n"})
    led = load(root)
    with pytest.raises(ScoringError, match="2021-Q3, 2021-Q4"):
        score_period(led, "2021")
    r = score_period(led, "2021", partial=True)
    a = unit(r, "a")
    assert (a.raw, a.exact, a.score, a.grade) == (D(82), D(80), D("80.00"), "良好")
    assert r.missing_quarters == ("2021-Q3", "2021-Q4")
    assert result_json(r)["missing_quarters"] == ["2021-Q3", "2021-Q4"]


def test_partial_without_annual_record_leaves_annual_part_out(example: Path) -> None:
    """With the 2021 record gone, --partial scores the year on the quarterly part alone
    (democratic left out, special renormalised to 100), and says so."""
    (example / "records" / "2021.yaml").unlink()
    led = load(example)
    with pytest.raises(ScoringError):
        score_period(led, "2021")
    r = score_period(led, "2021", partial=True)
    assert r.missing_annual_record and r.missing_quarters == ()
    u = unit(r, "longbei")
    assert u.raw == D("81.559375")  # special alone (see test_annual_longbei_by_hand)
    assert u.rules_applied == []  # the veto was in the 2021 record


def test_scoring_errors(weinan: Ledger, write: Writer) -> None:
    with pytest.raises(ScoringError, match="period 2021-Q5 is not valid"):
        score_period(weinan, "2021-Q5")
    with pytest.raises(ScoringError, match="no record of 2020"):
        score_period(weinan, "2020")
    root = write({"luoshi.yaml": CONFIG, "units.yaml": units_yaml(["a"])})
    v = validate(root, date(2030, 1, 1))  # no scheme and no tasks: LS020, nothing else
    assert [f.code for f in v.findings] == ["LS020"]
    with pytest.raises(ScoringError, match="no assessment scheme"):
        score_period(v.loaded.ledger, "2021-Q1")
    led = small(write, {"a": "80"})
    with pytest.raises(ScoringError, match="no record for 2021-Q3"):
        score_period(led, "2021-Q3")
