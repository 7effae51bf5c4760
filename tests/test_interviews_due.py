"""应约谈: the units the latest ranking marked for 约谈 with no interview recorded since
(SPEC §4 `interview_bottom`, §12 the supervision loop).  Seed 000 (碑林): 及时约谈提醒排名
靠后的单位; the ranking marks them, the supervision file records the talks, and until
now nothing joined the two.

The ledger: three units scored 95 / 92 / 91 in every quarter, `interview_bottom: 1`
(丙局, the lowest, is marked) and a rule marking 甲县 in Q2 (a rectification closed
late).  Each test says by hand which talks count.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from conftest import Run, edit
from luoshi_cli.ops.interviews import interviews_due, ranked_periods
from test_late_milestones import CONFIG, UNITS, _record, load
from test_rectifications_closed_late import TASKS

Writer = Callable[..., Path]
Cli = Callable[..., Run]

SCHEME = """id: t
title: 测试考核
components:
  - {id: work, name: 日常工作, weight: 100}
grades:
  - {name: 优秀, min: 90}
  - {name: 较差, min: 0}
interview_bottom: 1
rules:
  - {id: late, when: {rectifications_closed_late: {min: 1}}, interview: true, note: 整改超期完成}
"""
#: 丙局 was talked to on 03-20 (a red light's talk: before Q1 ended, not the ranking's)
#: and on 04-15 (after Q1's ranking); 甲县's rectification ZG-1 was closed late in Q2.
SUPERVISION = """interviews:
  - {unit: c, date: 2021-03-20, kind: 提醒谈话}
  - {unit: c, date: 2021-04-15, kind: 提醒谈话}
rectifications:
  - {id: ZG-1, unit: a, opened: 2021-04-01, due: 2021-05-15, closed: {date: 2021-05-20, approved_by: wang}}
"""


def ledger(write: Writer, *, supervision: str = SUPERVISION, quarters: int = 4,
           scheme: str = SCHEME) -> Path:
    files = {"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/t.yaml": TASKS,
             "scheme.yaml": scheme,
             **{f"records/2021-Q{q}.yaml": _record(f"2021-Q{q}") for q in range(1, quarters + 1)}}
    if supervision:
        files["supervision/2021.yaml"] = supervision
    return write(files)


def test_latest_ranking_less_the_talks_after_it(write: Writer) -> None:
    """On 04-10 the latest ranking is Q1 (ended 03-31): 丙局 (91, last) is marked; its
    03-20 talk was before the ranking → due, 10 days after 03-31.  On 04-20 the 04-15
    talk counts → nobody.  On 07-10 the latest is Q2: 丙局 marked by rank (its 04-15
    talk is before 06-30 → due again), 甲县 by the rule (ZG-1 closed 05-20 after its
    05-15 deadline) → both due, in ranking order (甲县 95 first, 丙局 91 third)."""
    led = load(ledger(write))
    april = interviews_due(led, date(2021, 4, 10))
    assert april is not None
    assert april.periods == ("2021-Q1",)
    assert [(d.unit, d.period, d.since, d.rank, d.by_rank, d.by_rule) for d in april.due] == [
        ("c", "2021-Q1", date(2021, 3, 31), 3, True, False)]
    later = interviews_due(led, date(2021, 4, 20))
    assert later is not None and later.due == ()
    july = interviews_due(led, date(2021, 7, 10))
    assert july is not None and july.periods == ("2021-Q2",)
    assert [(d.unit, d.rank, d.by_rank, d.by_rule) for d in july.due] == [
        ("a", 1, False, True), ("c", 3, True, False)]
    # one unit asked about: that unit only
    only = interviews_due(led, date(2021, 7, 10), "a")
    assert only is not None and [d.unit for d in only.due] == ["a"]


def test_a_period_ending_on_the_day_is_not_ranked_yet(write: Writer) -> None:
    """Q1 ends 03-31: on 03-31 nothing is ranked (no ranked period: an empty list with
    no periods); on 04-01 Q1 is.  Without Q3's and Q4's records, on 12-31 the latest
    ranking is Q2's."""
    led = load(ledger(write, quarters=2))
    assert ranked_periods(led, date(2021, 3, 31)) == ()
    assert ranked_periods(led, date(2021, 4, 1)) == ("2021-Q1",)
    assert ranked_periods(led, date(2021, 12, 31)) == ("2021-Q2",)


def test_no_list_without_the_loop_or_the_marks(write: Writer) -> None:
    """No supervision file: the office keeps no talks in the ledger → None (not every
    bottom unit listed as owed a talk).  A scheme that marks nobody → None."""
    assert interviews_due(load(ledger(write, supervision="")), date(2021, 7, 10)) is None
    quiet = SCHEME.replace("interview_bottom: 1\n", "").replace(", interview: true",
                                                                ", max_grade: 较差")
    assert interviews_due(load(ledger(write, scheme=quiet)), date(2021, 7, 10)) is None


def test_a_ranking_with_a_missing_score_is_not_read(write: Writer) -> None:
    """Q2's record scores 甲县 and 乙局 only: 丙局 lacks a score, the ranking would
    not be published (the bulletin refuses it) → Q2 is unjudged, nobody is listed."""
    root = ledger(write, quarters=1)
    (root / "records" / "2021-Q2.yaml").write_text(
        "period: 2021-Q2\nscores:\n  a: {work: 95}\n  b: {work: 92}\n", encoding="utf-8")
    led = load(root)
    due = interviews_due(led, date(2021, 7, 10))
    assert due is not None and due.periods == ("2021-Q2",) and due.due == ()
    assert [(p, why.en) for p, why in due.unjudged] == [
        ("2021-Q2", "scores missing for 丙局: the ranking is incomplete")]


def test_an_unread_ranking_names_ten_units_at_most(write: Writer) -> None:
    """A record being filled in for many units: the reason names the first ten
    missing and counts the rest (12 units, Q2 scores only 甲县: 11 missing, 10 named
    in units.yaml's order, "and 1 more")."""
    names = [f"单位{i:02d}" for i in range(1, 12)]
    units = UNITS.replace("leaders:", "".join(
        f"  - {{id: u{i:02d}, name: {n}}}\n" for i, n in enumerate(names, 1)) + "leaders:")
    root = ledger(write, quarters=1)
    (root / "units.yaml").write_text(units, encoding="utf-8")
    (root / "records" / "2021-Q2.yaml").write_text(
        "period: 2021-Q2\nscores:\n  a: {work: 95}\n"
        + "".join(f"  u{i:02d}: {{}}\n" for i in range(1, 12)), encoding="utf-8")
    due = interviews_due(load(root), date(2021, 7, 10))
    assert due is not None
    [(period, why)] = due.unjudged
    assert (period, why.en) == ("2021-Q2", "scores missing for 乙局, 丙局, "
                                + ", ".join(names[:8]) + " and 3 more: the ranking is "
                                "incomplete")
    assert why.zh == ("缺少评分的单位：乙局、丙局、" + "、".join(names[:8])
                      + " 等 13 个，排名不完整")


def test_status_says_which_ranking_it_could_not_read(write: Writer, cli: Cli) -> None:
    """The same ledger in `status`: the title without 无 (nothing was read to say
    "nobody"), then the line saying why; in JSON `unjudged`."""
    root = ledger(write, quarters=1)
    (root / "records" / "2021-Q2.yaml").write_text(
        "period: 2021-Q2\nscores:\n  a: {work: 95}\n  b: {work: 92}\n", encoding="utf-8")
    text = cli("status", root, "--as-of", "2021-07-10").stdout
    assert text[text.index("应约谈"):text.index("未按月报送")] == (
        "应约谈（2021年第二季度排名）\n"
        "2021年第二季度排名无法读取，未列应约谈：缺少评分的单位：丙局，排名不完整\n\n")
    doc = json.loads(cli("status", root, "--as-of", "2021-07-10", "-f", "json").stdout)
    assert doc["supervision"]["to_interview"] == {
        "periods": ["2021-Q2"], "units": [], "unjudged": ["2021-Q2"]}


def test_status_table_and_json(write: Writer, cli: Cli) -> None:
    """`status` on 07-10: the 应约谈 section names 甲县 (Q2 rank 1, by the rule) and 丙局
    (rank 3, bottom of the ranking), 10 days after 06-30; the JSON carries the same."""
    root = ledger(write)
    run = cli("status", root, "--as-of", "2021-07-10")
    assert run.exit_code == 0
    text = run.stdout
    assert text[text.index("应约谈"):text.index("未按月报送")] == (
        "应约谈（2021年第二季度排名）\n"
        "单位   考核期           排名   依据                     期末后天数\n"
        "──────────────────────────────────────────────────────────────────\n"
        "甲县   2021年第二季度      1   考核规则：整改超期完成           10\n"
        "丙局   2021年第二季度      3   排名靠后                         10\n\n")
    en = cli("status", root, "--as-of", "2021-07-10", "--lang", "en").stdout
    assert en[en.index("To interview"):en.index("Progress reports missing")] == (
        "To interview (Q2 2021 ranking)\n"
        "Unit   Period    Rank   Marked by               Days since\n"
        "──────────────────────────────────────────────────────────\n"
        "甲县   Q2 2021      1   rule: 整改超期完成              10\n"
        "丙局   Q2 2021      3   bottom of the ranking           10\n\n")
    doc = json.loads(cli("status", root, "--as-of", "2021-07-10", "--format", "json").stdout)
    assert doc["supervision"]["to_interview"] == {
        "periods": ["2021-Q2"],
        "units": [
            {"unit": "a", "period": "2021-Q2", "rank": 1, "group": None, "by": ["rule"],
             "rules": ["整改超期完成"], "since": "2021-06-30", "days": 10},
            {"unit": "c", "period": "2021-Q2", "rank": 3, "group": None, "by": ["rank"],
             "rules": [], "since": "2021-06-30", "days": 10}],
        "unjudged": []}


def test_status_after_the_talks(write: Writer, cli: Cli) -> None:
    """Both talked to on 07-05 (after Q2 ended): on 07-10 nobody is owed a talk — the
    section says 无; on 07-01, a past view, the talks had not happened."""
    root = ledger(write, supervision=SUPERVISION.replace(
        "rectifications:", "  - {unit: a, date: 2021-07-05}\n"
                           "  - {unit: c, date: 2021-07-05}\nrectifications:"))
    text = cli("status", root, "--as-of", "2021-07-10").stdout
    assert "\n应约谈（2021年第二季度排名）：无\n" in text
    past = cli("status", root, "--as-of", "2021-07-01").stdout
    assert "\n甲县   2021年第二季度      1   考核规则：整改超期完成            1\n" in past


def test_a_monthly_scheme_ranks_the_quarter_once_its_months_are_in(tmp_path: Path) -> None:
    """清新's scheme (monthly and quarterly components, records 2022-10..12 and 2022-Q4):
    on 2022-12-10 the latest ranking is November's (Q4 has not ended, Q3 has no
    record); on 2023-01-10 Q4, December and the year.  Without November's record Q4
    cannot be ranked (a monthly component is the mean of its three months): December
    and the year (which scoring then finds incomplete)."""
    import shutil

    root = tmp_path / "qingxin"
    shutil.copytree(Path(__file__).parent / "fixtures" / "scoring" / "qingxin-monthly", root)
    led = load(root)
    assert ranked_periods(led, date(2022, 12, 10)) == ("2022-11",)
    assert ranked_periods(led, date(2023, 1, 10)) == ("2022-Q4", "2022-12", "2022")
    (root / "records" / "2022-11.yaml").unlink()
    assert ranked_periods(load(root), date(2023, 1, 10)) == ("2022-12", "2022")


def test_the_years_ranking_once_the_year_is_over(example: Path) -> None:
    """葫芦岛's way (seed 001; REFERENCE: `quarter_interview_bottom: 0`): the quarters
    call nobody, the year's ranking calls its bottom three.  The 渭南 example so set,
    with an (empty) supervision file: on 2021-12-31 the latest ranking is Q3 (Q4 ends
    that day) and nobody is owed a talk; on 2022-03-01 the rankings are Q4 (nobody)
    and the year: 东区管委会 (11th, 60.82), 威楠公司 (12th, 58.32) and 城改办 (13th,
    57.67) — `score --annual` marks these three.  A talk with 威楠公司 on 2022-01-15
    (after the year ended) leaves the other two.  The review found the year was
    never read: the list said 无 where the year's sanctions are."""
    edit(example / "scheme.yaml", "interview_bottom: 3\n",
         "interview_bottom: 3\nquarter_interview_bottom: 0\n")
    (example / "supervision").mkdir()
    (example / "supervision" / "2021.yaml").write_text(
        "interviews: []\nrectifications: []\n", encoding="utf-8")
    led = load(example)
    december = interviews_due(led, date(2021, 12, 31))
    assert december is not None and december.periods == ("2021-Q3",) and december.due == ()
    march = interviews_due(led, date(2022, 3, 1))
    assert march is not None and march.periods == ("2021-Q4", "2021")
    assert [(d.unit, d.period, d.rank, d.since) for d in march.due] == [
        ("dongqu", "2021", 11, date(2021, 12, 31)),
        ("weinangs", "2021", 12, date(2021, 12, 31)),
        ("chenggaiban", "2021", 13, date(2021, 12, 31))]
    (example / "supervision" / "2021.yaml").write_text(
        "interviews:\n  - {unit: weinangs, date: 2022-01-15, kind: 提醒谈话}\n"
        "rectifications: []\n", encoding="utf-8")
    after = interviews_due(load(example), date(2022, 3, 1))
    assert after is not None and [d.unit for d in after.due] == ["dongqu", "chenggaiban"]


def test_the_rankings_made_are_the_ones_an_interview_may_follow(tmp_path: Path,
                                                                write: Writer) -> None:
    """应约谈 (`ranked_periods`) and LS713 (`checks.supervision._ranks`) read which
    kinds of period a scheme ranks from one rule (`core.periods.ranked_kinds`): each
    once worked it out for itself, and a drift would list a unit as owed a talk
    after a ranking that LS713 then says the scheme never makes.  By hand: a monthly
    leaf ranks months, quarters and the year; a quarterly one quarters and the year;
    annual leaves the year only.  On the 清新 ledger (monthly and quarterly) and the
    quarterly test ledger, every ranking `ranked_periods` reads on 2023-01-10 /
    2022-01-10 is of a kind `_ranks` allows."""
    import shutil

    from luoshi_cli.checks.supervision import _ranks
    from luoshi_cli.core.periods import ranked_kinds

    assert ranked_kinds({"monthly"}) == {"month", "quarter", "year"}
    assert ranked_kinds({"quarterly", "annual"}) == {"quarter", "year"}
    assert ranked_kinds({"annual"}) == {"year"}
    assert ranked_kinds(()) == {"year"}
    root = tmp_path / "qingxin"
    shutil.copytree(Path(__file__).parent / "fixtures" / "scoring" / "qingxin-monthly", root)
    kind = {"2022-Q4": "quarter", "2022-12": "month", "2022": "year"}
    for led, day in ((load(root), date(2023, 1, 10)), (load(ledger(write)), date(2022, 1, 10))):
        periods = ranked_periods(led, day)
        ranks = _ranks(led)
        assert periods and ranks is not None
        assert {kind.get(p, "quarter" if "-Q" in p else "year") for p in periods} <= ranks
