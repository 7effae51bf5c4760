"""What was worked out from an object, kept while that very object is asked about.

Several questions are asked once per unit or per finding about one whole collection
of the ledger — the "did you mean" of an unknown id among 100,000 task ids, the tasks
of a ledger version by lead unit, the overdue rectifications per unit on a day — and
answering each from scratch made them quadratic.  `ByObject` keeps the answer per
object: keyed by `id()` and holding the object itself (so the id cannot be reused by
another object while the entry lives), with a `stamp` the caller checks cheaply (a
collection's size, a date) and a few slots, cleared when full.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ByObject(Generic[V]):
    """`make()`'s value per object (see the module's docstring)."""

    __slots__ = ("_held", "_slots")

    def __init__(self, slots: int) -> None:
        self._slots = slots
        self._held: dict[int, tuple[object, Hashable, V]] = {}

    def get(self, obj: object, make: Callable[[], V], stamp: Hashable = None) -> V:
        """The value kept for `obj` with this `stamp`, else `make()`'s, kept."""
        held = self._held.get(id(obj))
        if held is None or held[0] is not obj or held[1] != stamp:
            if len(self._held) >= self._slots:
                self._held.clear()
            held = self._held[id(obj)] = (obj, stamp, make())
        return held[2]

    def clear(self) -> None:
        """Forget every value (and let go of the objects held)."""
        self._held.clear()
