"""LS215, cycles of `parent:` links: the same findings as the walk that followed each
task's whole ancestry through a list (kept here as the reference), on random parent
graphs; and a chain 4,000 deep checked in linear time (it took 109 s)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi_cli.checks.decompose import _cycles
from luoshi_cli.core.finding import Finding
from luoshi_cli.core.model import TaskKey


def _key(i: str, parent: str | None) -> TaskKey:
    return TaskKey(id=i, file=f"tasks/{i}.yaml", path=(0,), complete=True, lead="u",
                   status="in_progress", dues=(), done=(), closed_on=None, start=0,
                   months=(), parent=parent)


def _reference(keys: list[TaskKey], by_id: dict[str, TaskKey]) -> Iterator[Finding]:
    """The walk before: each task follows its parents until a repeat."""
    from luoshi_cli.core.finding import finding

    reported: set[str] = set()
    for k in keys:
        if k.id in reported or by_id.get(k.id) is not k:
            continue
        chain = [k.id]
        cur = k
        while cur.parent is not None and cur.parent in by_id and cur.parent not in chain:
            cur = by_id[cur.parent]
            chain.append(cur.id)
        if cur.parent == k.id:
            reported.update(chain)
            yield finding("LS215", k.file, path=k.at("parent"), task=k.id,
                          cycle=" → ".join([*chain, k.id]))


def _shown(found: Iterator[Finding]) -> list[tuple[str, str]]:
    return [(f.file, f.message("en")) for f in found]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 12)), min_size=1, max_size=12))
def test_the_cycles_are_the_reference_walks(parents: list[int | None]) -> None:
    keys = [_key(f"T{i}", None if p is None else f"T{p}") for i, p in enumerate(parents)]
    by_id = {k.id: k for k in keys}
    assert _shown(_cycles(keys, by_id)) == _shown(_reference(keys, by_id))


def test_a_chain_4000_deep_is_walked_once() -> None:
    """Not a benchmark: a guard against the O(N·D²) walk (109 s at this depth)."""
    keys = [_key(f"T{i}", f"T{i + 1}" if i < 3999 else "T0") for i in range(4000)]
    start = time.process_time()
    found = list(_cycles(keys, {k.id: k for k in keys}))
    assert time.process_time() - start < 2
    assert len(found) == 1 and found[0].message("en").count("→") == 4000
