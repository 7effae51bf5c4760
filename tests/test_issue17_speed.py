"""Issue 17's speed fixes give exactly what the plain computations give: the cheap
search that rules work out, the children index of the status report."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi_cli import api
from luoshi_cli.load.written import LONG_NUMBER, has_long_number
from luoshi_cli.ops.validate import validate

KIDS = Path(__file__).parent / "cases" / "valid" / "tasks-v2" / "ledger"

# digits (ASCII, and full-width and Arabic-Indic ones, which no YAML reader reads as a
# number), runs of them, separators,
# signs, word characters (Chinese too: the look-behind refuses them) and spaces
_PIECES = ["7", "１", "٣", "12345", "1234567890", ".", "_", "-", "+", " ", "a", "题", ":", "\n",
           "\ud800", "é", "😀", "12345678901234", "１２３４５６７８"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_has_long_number_is_long_number_search(text: str) -> None:
    assert has_long_number(text) == (LONG_NUMBER.search(text) is not None)


def test_has_long_number_edges() -> None:
    assert has_long_number("score: 89.994999999999999\n")
    assert has_long_number("a: 1_2_3_4_5_6_7_8_9_0_1_2_3_4_5_6")
    # fullwidth digits are text to a YAML reader, never a float to give its text back
    assert not has_long_number("a: １２３４５６７８９０１２３４５６")
    assert not has_long_number("a: 1_2_3_4_5_6_7_8_9_0_1_2_3_4_5")  # 15 digits
    assert not has_long_number("题1234567890123456")  # after a word character
    assert not has_long_number("due: 2024-03-15\nscore: 89.5\n")
    assert has_long_number("题：0.1234567890123456\n")  # Chinese around: the byte search
    assert not has_long_number("题：0.12345678901234\n")  # 15 digits
    assert has_long_number("题\ud800 1234567890123456")  # a lone surrogate: still read
    assert not has_long_number("１2345678901234567")  # a fullwidth digit: text, not a number


def test_children_are_the_rows_naming_the_parent_in_task_order() -> None:
    day = date(2024, 5, 31)
    rep = api.status(validate(KIDS, day).loaded.ledger, day)
    ids = [t.id for t, _ in rep.tasks]
    assert any(rep.children(i) for i in ids)  # the case decomposes a task
    for tid in [*ids, "no-such-task"]:
        assert rep.children(tid) == tuple(r for r in rep.tasks if r[0].parent == tid)
    # --light narrows the lists, not a parent's children (test_status_audit)
    narrowed = rep.with_light("red")
    for tid in ids:
        assert narrowed.children(tid) == rep.children(tid)


def test_children_of_every_task_is_not_a_scan_per_task() -> None:
    """The status JSON asks for the children of every task: a scan of all rows per
    task took minutes at 20,000 tasks (about 10 s here on the starting code)."""
    day = date(2024, 5, 31)
    rep = api.status(validate(KIDS, day).loaded.ledger, day)
    big = replace(rep, tasks=rep.tasks * (12_000 // len(rep.tasks) + 1))
    start = time.perf_counter()
    found = sum(len(big.children(t.id)) for t, _ in big.tasks)
    assert time.perf_counter() - start < 1.0
    assert found == sum(1 for t, _ in big.tasks if t.parent is not None) * (
        len(big.tasks) // len(rep.tasks))
