"""`core.memo.ByObject`: a value is kept for the very object asked about, with the
same stamp — never for an equal object, a changed stamp, or after the slots fill."""

from __future__ import annotations

from luoshi_cli.core.memo import ByObject


def test_kept_per_object_and_stamp() -> None:
    made: list[int] = []

    def make(n: int) -> int:
        made.append(n)
        return n

    memo: ByObject[int] = ByObject(2)
    a, b, c = {"x"}, {"x"}, {"y"}
    assert memo.get(a, lambda: make(1), 1) == 1
    assert memo.get(a, lambda: make(2), 1) == 1  # the same object, the same stamp: kept
    assert memo.get(b, lambda: make(3), 1) == 3  # an equal object is another object
    assert memo.get(a, lambda: make(4), 2) == 4  # a new stamp (the set grew): made again
    assert memo.get(c, lambda: make(5)) == 5  # a third object: the two slots were full
    assert memo.get(b, lambda: make(6), 1) == 6  # … so they were cleared
    memo.clear()
    assert memo.get(c, lambda: make(7)) == 7
    assert made == [1, 3, 4, 5, 6, 7]
