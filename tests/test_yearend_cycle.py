"""The year-end cycle: an office working in January on last year's ledger — the
annual bulletin it issues then, the talks it holds over Q4's and the year's
rankings and the rectifications they open."""

from __future__ import annotations

from collections.abc import Callable
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
