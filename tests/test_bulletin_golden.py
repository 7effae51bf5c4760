"""Golden files: the bulletins of the example ledgers, byte for byte.

A change to the templates, the figures or their formats shows up here as a diff a
reviewer can read.  After an intended change, regenerate and review by eye:

    LUOSHI_UPDATE_GOLDEN=1 python -m pytest tests/test_bulletin_golden.py -q -p no:cacheprovider
    git diff tests/golden/bulletin/
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BEILIN, EXAMPLE, REPO, Run

KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"  # scheme v2: groups, bonuses, quota, n/a
# a scheme with a monthly component (清新 月通报): the month is ranked, as `score --month`
QINGXIN = REPO / "tests" / "fixtures" / "scoring" / "qingxin-monthly"

GOLDEN = Path(__file__).resolve().parent / "golden" / "bulletin"
UPDATE = os.environ.get("LUOSHI_UPDATE_GOLDEN") == "1"

CASES: dict[str, tuple[Path, tuple[str, ...]]] = {
    # the quarterly bulletin: status as of 2021-06-30 and the Q2 ranking
    "weinan-2021-Q2.md": (EXAMPLE, ("--quarter", "Q2", "--year", "2021")),
    "weinan-2021-Q2.html": (EXAMPLE, ("--quarter", "Q2", "--year", "2021", "--format", "html")),
    "weinan-2021-Q2.public.md": (EXAMPLE, ("--quarter", "Q2", "--edition", "public")),
    "weinan-2021-Q2.en.md": (EXAMPLE, ("--quarter", "Q2", "--lang", "en")),
    # a monthly bulletin read from a ledger kept up to June: May as it stood then
    "weinan-2021-05.md": (EXAMPLE, ("--month", "2021-05")),
    "weinan-2021-05.html": (EXAMPLE, ("--month", "2021-05", "--format", "html")),
    # the half year, the year (its ranking, vetoes and the year's deductions), one unit
    "weinan-2021-H1.md": (EXAMPLE, ("--half", "H1")),
    "weinan-2021-H1.en.md": (EXAMPLE, ("--half", "H1", "--lang", "en")),
    "weinan-2021-annual.md": (EXAMPLE, ("--annual",)),
    "weinan-2021-annual.en.md": (EXAMPLE, ("--annual", "--lang", "en")),
    "weinan-2021-Q2-guijianju.md": (EXAMPLE, ("--quarter", "Q2", "--unit", "guijianju")),
    "weinan-2021-Q2-guijianju.en.md": (EXAMPLE, ("--quarter", "Q2", "--unit", "guijianju",
                                                 "--lang", "en")),
    # a task ledger without a scheme: no ranking, no deductions; its 文号 numbered per
    # issue (碑督通〔{year}〕{n}号 with --issue 5), as the docs' example issues it
    "beilin-2024-05.md": (BEILIN, ("--month", "2024-05", "--issue", "5")),
    "beilin-2024-05.html": (BEILIN, ("--month", "2024-05", "--issue", "5", "--format", "html")),
    # scheme v2 (SPEC §10): ranking per group with the rank in it, the quota sentence,
    # bonuses and their cap, 不适用, rules' notes, 预扣/已返还, interviews per group
    "beilin-kaohe-2024-Q1.md": (KAOHE, ("--quarter", "Q1")),
    "beilin-kaohe-2024-Q1.html": (KAOHE, ("--quarter", "Q1", "--format", "html")),
    "beilin-kaohe-2024-Q1.en.md": (KAOHE, ("--quarter", "Q1", "--lang", "en")),
    "beilin-kaohe-2024-Q1.en.html": (KAOHE, ("--quarter", "Q1", "--lang", "en",
                                             "--format", "html")),
    # a monthly bulletin of a scheme that ranks months: the month's ranking per group,
    # its 预扣 deduction, rank changes since last month, the bottom of each group 约谈
    "qingxin-2022-11.md": (QINGXIN, ("--month", "2022-11")),
    "qingxin-2022-11.html": (QINGXIN, ("--month", "2022-11", "--format", "html")),
    "qingxin-2022-11.en.md": (QINGXIN, ("--month", "2022-11", "--lang", "en")),
    "qingxin-2022-11.en.html": (QINGXIN, ("--month", "2022-11", "--lang", "en",
                                          "--format", "html")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, cli: Callable[..., Run]) -> None:
    root, args = CASES[name]
    r = cli("bulletin", root, *args)
    assert r.exit_code == 0, r.stderr
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(r.stdout.encode("utf-8"))
    assert path.is_file(), f"missing golden file {path}: run with LUOSHI_UPDATE_GOLDEN=1"
    expected = path.read_bytes().decode("utf-8")
    assert r.stdout == expected


def test_goldens_have_no_strays() -> None:
    """Every file in the golden folder is checked by a case (none left behind)."""
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(CASES)
