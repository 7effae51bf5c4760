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
    edit(example / "luoshi.yaml", "doc_no: 渭高考办发〔2021〕10号",
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
        "2021-12, a month, but the scheme makes no month ranking (it ranks quarters and "
        "the year): 应约谈 counts this talk for no ranking; set period to the ranking it "
        "follows, e.g. 2021-Q4 or 2021"]
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
        "2021-Q4, a quarter, but the scheme makes no quarter ranking (it ranks the year): "
        "应约谈 counts this talk for no ranking; set period to the ranking it follows, "
        "e.g. 2021"]
