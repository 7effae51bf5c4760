"""The "did you mean" hint (`checks.registry.near`) among a ledger's task ids: every id
one typo away is found without comparing all 100,000 (a record naming 300 unknown
tasks took 6 s on a 4,000-task ledger, and would take minutes at 100,000)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest

from luoshi_cli.checks.registry import near

IDS = {f"T{n:06d}" for n in range(1, 20001) if n % 10 != 7}  # T004987 is no id


def test_a_typo_among_many_ids_gets_the_hint_comparing_them_all_gives() -> None:
    """A swapped pair, a missing, an extra and a wrong character: the hint is the one
    difflib gives comparing every id (the plain way, too slow at 100,000), and a name no
    typo away from any id gets none."""
    import difflib

    for typo in ("T004987", "T0049781", "T0049O8", "T014978", "T004978X"):
        full = difflib.get_close_matches(typo, sorted(IDS), n=1, cutoff=0.6)
        assert full, typo
        assert near(typo, IDS).en == f" (did you mean {full[0]}?)", typo
    # a zero missing: the id equal but for leading zeros, where difflib took T014978
    assert near("T04978", IDS).en == " (did you mean T004978?)"
    assert near("T004987", IDS).zh == "（是不是 T010498？）"  # difflib's pick among equals
    assert near("区发改委", IDS).en == ""


def test_few_names_are_all_compared_as_before() -> None:
    """Units, leaders and categories: difflib over all of them (a hint further than one
    typo away is still found)."""
    units = {"fgw": 1, "zhangjiacun": 2, "jiaoyuju": 3}
    assert near("zhangjiacn", units).en == " (did you mean zhangjiacun?)"
    assert near("jiaoyu", units).en == " (did you mean jiaoyuju?)"


def test_300_unknown_ids_among_20000_take_well_under_a_second() -> None:
    """Not a benchmark (bench/ measures speed): a guard against the quadratic walk
    coming back, with room for a loaded machine (it took ~10 s)."""
    start = time.process_time()
    for n in range(300):
        near(f"X{n:06d}", IDS)
    assert time.process_time() - start < 3


def test_one_unknown_unit_named_by_many_tasks_is_looked_up_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit renamed in units.yaml leaves every task naming the old id: each finding
    asked difflib again (4,255 lookups over 245 units and their names were most of a
    4,000-task validate).  One lookup per distinct unknown value and kind now, and the
    findings are the same."""
    import difflib
    import shutil
    import tempfile
    from pathlib import Path

    from conftest import BEILIN
    from luoshi_cli.api import validate

    root = Path(tempfile.mkdtemp()) / "ledger"
    shutil.copytree(BEILIN, root)
    units = root / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("id: fgw,", "id: fgw2,"),
                     encoding="utf-8")
    calls: list[str] = []
    real = difflib.get_close_matches

    def counted(word: str, *a: Any, **k: Any) -> Any:
        calls.append(word)
        return real(word, *a, **k)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    found = [f for f in validate(root, date(2024, 6, 30), cache=False).findings
             if f.code == "LS110" and dict(f.params).get("id") == "fgw"]
    assert len(found) > 3
    assert all("unknown unit fgw (did you mean fgw2?)" in f.message("en") for f in found)
    assert calls.count("fgw") == 1


def test_a_collection_that_grew_is_asked_again() -> None:
    """The hints are kept per collection; one that grew since is not answered from
    what it held before."""
    known = {"fgw", "czj"}
    assert near("zhangjiacun", known).en == ""
    known.add("zhangjiacn")
    assert near("zhangjiacun", known).en == " (did you mean zhangjiacn?)"
