"""`core.textdiff.unified_diff`: a correct unified diff (applying it to the old lines
gives the new ones, hunk headers count right), difflib's own output where the files
share no line found once in each, and linear-ish time on a task file where every task
changed (difflib took 22 s on 2,000 tasks and did not finish 8,000)."""

from __future__ import annotations

import difflib
import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi_cli.core.textdiff import unified_diff

HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n")


def _apply(a: list[str], diff: list[str]) -> list[str]:
    """The new lines from the old ones and a unified diff, checking every header."""
    if not diff:
        return list(a)
    assert diff[0].startswith("--- ") and diff[1].startswith("+++ ")
    out: list[str] = []
    i = 0
    k = 2
    while k < len(diff):
        m = HUNK.fullmatch(diff[k])
        assert m, diff[k]
        start, alen = int(m.group(1)), int(m.group(2) or 1)
        blen = int(m.group(4) or 1)
        start = start - 1 if alen else start
        out += a[i:start]
        i = start
        k += 1
        seen_a = seen_b = 0
        while k < len(diff) and not diff[k].startswith("@@"):
            line = diff[k]
            if line[0] == " ":
                assert a[i] == line[1:]
                out.append(a[i])
                i += 1
                seen_a += 1
                seen_b += 1
            elif line[0] == "-":
                assert a[i] == line[1:]
                i += 1
                seen_a += 1
            else:
                assert line[0] == "+"
                out.append(line[1:])
                seen_b += 1
            k += 1
        assert (seen_a, seen_b) == (alen, blen)
    return out + a[i:]


lines = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "- id: 1\n", "- id: 2\n", "x\n"]),
                 max_size=30)


@settings(max_examples=400, deadline=None)
@given(lines, lines)
def test_the_diff_turns_the_old_lines_into_the_new(a: list[str], b: list[str]) -> None:
    diff = list(unified_diff(a, b, "a/f", "b/f"))
    assert _apply(a, diff) == b
    assert (diff == []) == (a == b)


def test_without_anchors_it_is_difflibs() -> None:
    a = ["x\n", "y\n", "x\n", "y\n", "z\n"] * 3
    b = ["x\n", "y\n", "q\n", "y\n", "z\n"] * 3
    assert list(unified_diff(a, b, "a/f", "b/f")) == list(
        difflib.unified_diff(a, b, "a/f", "b/f"))


def test_every_task_of_a_big_file_changed() -> None:
    """8,000 tasks, each with a new update line: the diff has a hunk per task and is
    made in well under the time difflib needs (not a benchmark: a guard)."""
    a: list[str] = []
    b: list[str] = []
    for n in range(8000):
        task = [f"- id: T{n:05d}\n", f"  title: 任务{n}\n", "  updates:\n",
                '    - {month: "2024-05", progress: 50}\n']
        a += [*task, "\n"]
        b += [*task, '    - {month: "2024-06", progress: 60}\n', "\n"]
    start = time.process_time()
    diff = list(unified_diff(a, b, "a/f", "b/f"))
    assert time.process_time() - start < 5
    assert _apply(a, diff) == b
    assert sum(1 for line in diff if line.startswith("+    - {month")) == 8000
