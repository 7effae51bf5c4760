"""A unified diff of two versions of a ledger file in linear-ish time.

`difflib.unified_diff` is quadratic on a task file where many tasks changed (every
update line looks like every other): `import updates --dry-run` spent 22 s diffing one
2,000-task file and did not finish one of 8,000.  Here lines found exactly once in
each version anchor the match (patience diff: a task's `- id:` and title lines are
such anchors), the longest increasing run of anchors is kept, and only the short
stretches between them are left to difflib.  The output is a correct unified diff in
difflib's format (same headers, hunks and context), not necessarily the same hunks.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator, Sequence

Opcode = tuple[str, int, int, int, int]


def unified_diff(a: Sequence[str], b: Sequence[str], fromfile: str, tofile: str,
                 n: int = 3) -> Iterator[str]:
    """Like `difflib.unified_diff(a, b, fromfile, tofile, n=n)` (lines keep their ends)."""
    started = False
    for group in _grouped(_opcodes(a, b), n):
        if not started:
            started = True
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        yield (f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in a[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    """difflib's `_format_range_unified`."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def _grouped(codes: list[Opcode], n: int) -> Iterator[list[Opcode]]:
    """`SequenceMatcher.get_grouped_opcodes` over these opcodes."""
    if not codes:
        codes = [("equal", 0, 1, 0, 1)]
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)
    nn = n + n
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > nn:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    out: list[Opcode] = []
    _diff(a, b, 0, len(a), 0, len(b), out, 0)
    merged: list[Opcode] = []
    for op in out:  # adjacent runs of one kind as one (difflib never splits them)
        if merged and merged[-1][0] == op[0] == "equal":
            t, i1, _, j1, _ = merged[-1]
            merged[-1] = (t, i1, op[2], j1, op[4])
        elif merged and merged[-1][0] != "equal" and op[0] != "equal":
            _, i1, _, j1, _ = merged[-1]
            i2, j2 = op[2], op[4]
            tag = "replace" if i2 > i1 and j2 > j1 else "delete" if i2 > i1 else "insert"
            merged[-1] = (tag, i1, i2, j1, j2)
        else:
            merged.append(op)
    return merged


def _diff(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int,
          out: list[Opcode], depth: int) -> None:
    """Opcodes of a[alo:ahi] against b[blo:bhi], appended to `out` in order.  Anchors
    within a stretch are sought again inside it, at most `_DEPTH` times over (a file
    built to nest them deeper gets the plain treatment below that)."""
    # the common head and tail first: most of a file an import left alone
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        out.append(("equal", alo, alo + 1, blo, blo + 1))
        alo, blo = alo + 1, blo + 1
    tail: list[Opcode] = []
    while ahi > alo and bhi > blo and a[ahi - 1] == b[bhi - 1]:
        tail.append(("equal", ahi - 1, ahi, bhi - 1, bhi))
        ahi, bhi = ahi - 1, bhi - 1
    anchors = _anchors(a, b, alo, ahi, blo, bhi) if depth < _DEPTH else []
    if not anchors:
        if (ahi - alo) * (bhi - blo) <= 250_000:
            sm = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            out.extend((t, i1 + alo, i2 + alo, j1 + blo, j2 + blo)
                       for t, i1, i2, j1, j2 in sm.get_opcodes())
        elif ahi > alo or bhi > blo:  # no anchor in a long stretch: all of it changed
            tag = "replace" if ahi > alo and bhi > blo else "delete" if ahi > alo else "insert"
            out.append((tag, alo, ahi, blo, bhi))
    else:
        i, j = alo, blo
        for ai, bj in anchors:
            _diff(a, b, i, ai, j, bj, out, depth + 1)
            out.append(("equal", ai, ai + 1, bj, bj + 1))
            i, j = ai + 1, bj + 1
        _diff(a, b, i, ahi, j, bhi, out, depth + 1)
    out.extend(reversed(tail))


_DEPTH = 40


def _anchors(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int,
             bhi: int) -> list[tuple[int, int]]:
    """Lines found exactly once in each stretch, the longest run in the same order."""
    count: dict[str, list[int]] = {}
    for i in range(alo, ahi):
        count.setdefault(a[i], [0, -1, 0, -1])
        c = count[a[i]]
        c[0] += 1
        c[1] = i
    for j in range(blo, bhi):
        got = count.get(b[j])
        if got is not None:
            got[2] += 1
            got[3] = j
    pairs = sorted((c[1], c[3]) for c in count.values() if c[0] == 1 and c[2] == 1)
    # the longest increasing run of b positions (patience sorting)
    tops: list[int] = []
    top_at: list[int] = []
    back: list[int] = []
    for k, (_, bj) in enumerate(pairs):
        p = bisect.bisect_left(tops, bj)
        if p == len(tops):
            tops.append(bj)
            top_at.append(k)
        else:
            tops[p], top_at[p] = bj, k
        back.append(top_at[p - 1] if p else -1)
    run: list[tuple[int, int]] = []
    k = top_at[-1] if top_at else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]
