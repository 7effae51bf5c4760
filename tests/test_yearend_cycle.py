"""The year-end cycle: an office working in January on last year's ledger — the
annual bulletin it issues then, the talks it holds over Q4's and the year's
rankings and the rectifications they open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import Run, edit

Cli = Callable[..., Run]


# ---- the 文号 is numbered in the year of issue ----------------------------------------


@pytest.mark.parametrize(("args", "doc_no"), [
    # issued in January 2022 over the 2021 ledger: 〔2022〕, not the ledger's year
    (("--as-of", "2022-01-15", "--date", "2022-01-20"), "渭高考办发〔2022〕3号"),
    # no --date: the 成文日期 is the as-of date, and so is the year of issue
    (("--as-of", "2022-01-15"), "渭高考办发〔2022〕3号"),
    (("--date", "2022-01-05"), "渭高考办发〔2022〕3号"),
    # the default as-of of a past year's ledger is its 31 December
    ((), "渭高考办发〔2021〕3号"),
])
def test_doc_no_year_is_the_year_of_issue(cli: Cli, example: Path,
                                          args: tuple[str, ...], doc_no: str) -> None:
    edit(example / "luoshi.yaml", "doc_no: 渭高考办通〔{year}〕{n}号",
         "doc_no: 渭高考办发〔{year}〕{n}号")
    r = cli("bulletin", example, "--annual", "--issue", "3", *args)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert (lines[4], lines[6]) == ("第3期", doc_no)


# ---- an interview naming a ranking the scheme does not make (LS713) --------------------


def test_a_talk_over_a_month_the_scheme_does_not_rank(write: Callable[..., Path],
                                                      cli: Cli) -> None:
    """tests/test_interviews_due.py's ledger (a quarterly scheme: it ranks quarters and
    the year): 丙局's January talk names `"2021-12"`, a month's ranking the scheme never
    makes — LS713 at `period`, naming what it ranks and the periods to write; 应约谈
    counts the talk for no ranking and lists 丙局 for Q4 and the year still.  Line 3,
    the same talk naming Q4, is no finding."""
    from luoshi_cli.ops.interviews import interviews_due
    from test_interview_period import _talks
    from test_interviews_due import ledger
    from test_late_milestones import load

    root = ledger(write, supervision=_talks('unit: c, date: 2022-01-10, period: "2021-12"',
                                            "unit: b, date: 2022-01-10, period: 2021-Q4"))
    run = cli("validate", root, "--as-of", "2022-01-31", "--lang", "en")
    assert [x for x in run.stdout.splitlines() if x.startswith("supervision/")] == [
        "supervision/2021.yaml:2:41: warning LS713 interview (丙局) follows the ranking of "
        "2021-12, a month, but the scheme makes no monthly ranking (it ranks quarters and "
        "the year): status's To interview list counts this talk for no ranking; set period "
        "to the ranking it follows, e.g. 2021-Q4 or 2021"]
    run = cli("validate", root, "--as-of", "2022-01-31")
    assert [x for x in run.stdout.splitlines() if x.startswith("supervision/")] == [
        "supervision/2021.yaml:2:41: warning LS713 约谈（丙局）所依的 period 2021-12 是月度排名，"
        "但考核办法不作月度排名（只作季度、年度排名）：应约谈不会把这次约谈算作任何排名的约谈，"
        "请把 period 改为它所依的排名，如 2021-Q4 或 2021"]
    due = interviews_due(load(root), date(2022, 1, 31))
    assert due is not None
    assert [(d.unit, d.period) for d in due.due if d.unit == "c"] == [
        ("c", "2021-Q4"), ("c", "2021")]


def test_a_talk_over_a_quarter_when_the_scheme_ranks_the_year_only(
        write: Callable[..., Path], cli: Cli) -> None:
    """Every leaf assessed annually: the scheme ranks the year only, and a talk naming
    Q4 is LS713 (the period to write: the year); one naming the year is no finding."""
    from test_interview_period import _talks
    from test_interviews_due import SCHEME, ledger

    annual = SCHEME.replace("{id: work, name: 日常工作, weight: 100}",
                            "{id: work, name: 日常工作, weight: 100, cadence: annual}")
    root = ledger(write, scheme=annual, quarters=0,
                  supervision=_talks("unit: c, date: 2022-01-10, period: 2021-Q4",
                                     "unit: b, date: 2022-01-10, period: 2021"))
    run = cli("validate", root, "--as-of", "2022-01-31", "--lang", "en")
    assert [x for x in run.stdout.splitlines() if x.startswith("supervision/")] == [
        "supervision/2021.yaml:2:41: warning LS713 interview (丙局) follows the ranking of "
        "2021-Q4, a quarter, but the scheme makes no quarterly ranking (it ranks the year): "
        "status's To interview list counts this talk for no ranking; set period to the "
        "ranking it follows, e.g. 2021"]


def test_the_periods_ls713_offers_were_ranked_before_the_talk(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """LS713's advice is followed literally: it offered the month's quarter and the
    year whatever the date — `2021-Q2 or 2021` for a talk of 12 June naming May, both
    LS712 once written (neither was ranked by then).  Now only rankings the scheme
    makes that were made before the talk: the month's quarter if it had ended, else
    the latest quarter that had (Q1 on 06-12), the year only once it has ended; none
    at all in February (no quarter ended yet: the date or the period is wrong).  The
    quarter it gives is no LS712 when written."""
    from test_interview_period import _talks
    from test_interviews_due import ledger

    root = ledger(write, supervision=_talks(
        'unit: c, date: 2021-06-12, period: "2021-05"',
        'unit: b, date: 2021-04-10, period: "2021-03"',
        'unit: a, date: 2021-12-01, period: "2021-05"',
        'unit: a, date: 2021-02-10, period: "2021-01"'))
    run = cli("validate", root, "--as-of", "2021-12-31", "--lang", "en")
    head = ("follows the ranking of {}, a month, but the scheme makes no monthly ranking (it "
            "ranks quarters and the year): status's To interview list counts this talk for "
            "no ranking; ")
    assert [x for x in run.stdout.splitlines() if x.startswith("supervision/")] == [
        "supervision/2021.yaml:2:41: warning LS713 interview (丙局) " + head.format("2021-05")
        + "set period to the ranking it follows, e.g. 2021-Q1",
        "supervision/2021.yaml:3:41: warning LS713 interview (乙局) " + head.format("2021-03")
        + "set period to the ranking it follows, e.g. 2021-Q1",
        "supervision/2021.yaml:4:41: warning LS713 interview (甲县) " + head.format("2021-05")
        + "set period to the ranking it follows, e.g. 2021-Q2",
        "supervision/2021.yaml:5:41: warning LS713 interview (甲县) " + head.format("2021-01")
        + "yet the scheme had made no ranking of 2021 by 2021-02-10: check the date, or "
        "remove period if the talk follows no ranking"]
    run = cli("validate", root, "--as-of", "2021-12-31")
    assert [x for x in run.stdout.splitlines() if x.startswith("supervision/2021.yaml:5:")] == [
        "supervision/2021.yaml:5:41: warning LS713 约谈（甲县）所依的 period 2021-01 是月度排名，"
        "但考核办法不作月度排名（只作季度、年度排名）：应约谈不会把这次约谈算作任何排名的约谈，"
        "而到 2021-02-10 为止考核办法在 2021 年还没有作出过排名：请核对日期；约谈不依排名则删去 period"]
    # the advice, followed: no LS712, no LS713
    written = _talks('unit: c, date: 2021-06-12, period: 2021-Q1',
                     'unit: b, date: 2021-04-10, period: 2021-Q1',
                     'unit: a, date: 2021-12-01, period: 2021-Q2')
    (root / "supervision" / "2021.yaml").write_text(written, encoding="utf-8")
    run = cli("validate", root, "--as-of", "2021-12-31")
    assert [x for x in run.stdout.splitlines() if " LS71" in x] == []


# ---- a rectification ordered in January over the year's rankings ------------------------

#: tests/test_interviews_due.py's ledger (2021; 甲县 a, 乙局 b, 丙局 c): 丙局's talk over
#: the year's ranking on 2022-01-10 and 甲县's over Q4's on 01-20 are the year's talks
#: (not LS706); the rectifications opened after the year:
#:   line 6  ZG-2 丙局 interview  2022-01-12  after 丙局's talk of the year's ranking
#:   line 7  ZG-3 乙局 ranking    2022-02-01  over the year's rankings
#:   line 8  ZG-4 甲县 interview  2022-01-25  after 甲县's talk of Q4's ranking (01-20)
#:   line 9  ZG-5 乙局 interview  2022-01-15  乙局 has no talk after the year: LS706
#:   line 10 ZG-6 甲县 interview  2022-01-15  甲县's talk is later (01-20): LS706
#:   line 11 ZG-7 丙局 ranking    2022-04-01  after the three months: LS706
#:   line 12 ZG-8 丙局 red_light  2022-01-05  not the year's ranking's: LS706
YEAR_END = """interviews:
  - {unit: c, date: 2022-01-10, kind: 约谈提醒, period: 2021}
  - {unit: a, date: 2022-01-20, kind: 约谈提醒, period: 2021-Q4}
rectifications:
  - {id: ZG-1, unit: a, opened: 2021-04-01, due: 2021-05-15, closed: {date: 2021-05-20, approved_by: wang}}
  - {id: ZG-2, unit: c, source: interview, opened: 2022-01-12, due: 2022-01-31, closed: {date: 2022-02-05, approved_by: wang}}
  - {id: ZG-3, unit: b, source: ranking, opened: 2022-02-01, due: 2022-04-30}
  - {id: ZG-4, unit: a, source: interview, opened: 2022-01-25, due: 2022-04-30}
  - {id: ZG-5, unit: b, source: interview, opened: 2022-01-15, due: 2022-04-30}
  - {id: ZG-6, unit: a, source: interview, opened: 2022-01-15, due: 2022-04-30}
  - {id: ZG-7, unit: c, source: ranking, opened: 2022-04-01, due: 2022-04-30}
  - {id: ZG-8, unit: c, source: red_light, opened: 2022-01-05, due: 2022-04-30}
"""


def _rectified(bulletin: str) -> list[str]:
    """The rows of the bulletin's 督办情况 table of rectifications."""
    part = bulletin[bulletin.index("、督办情况"):]
    part = part[:part.index("\n## ")] if "\n## " in part else part
    return [x for x in part.splitlines() if x.startswith("| ") and x[2].isdigit()]


def test_rectifications_over_the_years_ranking_are_the_years(write: Callable[..., Path],
                                                            cli: Cli) -> None:
    """validate at 2022-04-01: ZG-2, ZG-3 and ZG-4 follow the year's rankings and are
    the 2021 ledger's (no LS706, as their talks); ZG-5–ZG-8 are LS706 at `opened`.
    The bulletins list the three, as they stand on the as-of, where the ranking they
    follow is the period's: the year's all three (ZG-2 after the year's talk, closed
    late; ZG-3 over the year's rankings; ZG-4 after Q4's talk), Q4's ZG-4 alone (its
    talk names Q4; ZG-2's names the year, ZG-3 says no more than the year's
    rankings), December's none — as the talks after a period are counted."""
    from test_interviews_due import ledger

    root = ledger(write, supervision=YEAR_END)
    run = cli("validate", root, "--as-of", "2022-04-01", "--lang", "en")
    assert run.stdout.splitlines() == [
        f"supervision/2021.yaml:{line}:{col}: warning LS706 rectification {rc}: opened "
        f"{opened} is outside the ledger year 2021: correct the date, or record it in "
        "that year's ledger"
        for line, col, rc, opened in ((9, 52, "ZG-5", "2022-01-15"),
                                      (10, 52, "ZG-6", "2022-01-15"),
                                      (11, 50, "ZG-7", "2022-04-01"),
                                      (12, 52, "ZG-8", "2022-01-05"))]
    rows = {kind: _rectified(cli("bulletin", root, *kind, "--as-of", "2022-04-01").stdout)
            for kind in (("--annual",), ("--quarter", "Q4"), ("--month", "2021-12"))}
    assert rows == {
        ("--annual",): [
            "| 1 | 甲县 | — | 2021年4月1日 | 2021年5月15日 | 已于2021年5月20日销号（超期5天） |",
            "| 2 | 丙局 | 约谈 | 2022年1月12日 | 2022年1月31日 | 已于2022年2月5日销号（超期5天） |",
            "| 3 | 乙局 | 考核排名 | 2022年2月1日 | 2022年4月30日 | 整改中 |",
            "| 4 | 甲县 | 约谈 | 2022年1月25日 | 2022年4月30日 | 整改中 |"],
        ("--quarter", "Q4"): [
            "| 1 | 甲县 | 约谈 | 2022年1月25日 | 2022年4月30日 | 整改中 |"],
        ("--month", "2021-12"): []}
    # judged before they were opened, nothing lists them yet: the year's bulletin at
    # the ledger's default as-of (2021-12-31) has ZG-1 alone
    assert _rectified(cli("bulletin", root, "--annual").stdout) == [
        "| 1 | 甲县 | — | 2021年4月1日 | 2021年5月15日 | 已于2021年5月20日销号（超期5天） |"]
