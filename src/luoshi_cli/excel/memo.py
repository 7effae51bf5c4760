"""Answers of pure per-text functions, kept while the same texts come again.

A workbook may point thousands of cells at one shared string: a file of a few
kilobytes whose 5,000 rows each hold the same 32,000 characters.  Reading each cell
anew (normalising it, splitting it into unit names, looking for due dates in it) made
an import cost cells × length -- minutes of CPU (audit).  With the answers kept per
text, an import costs its distinct texts and their length.

A `TextMemo` holds at most `MEMO_CHARS` characters: of the texts it was asked about
and, for a memo given `weigh`, of its answers as weighed (the unit names of a
32,000-character cell may be thousands of problems quoting its parts; an answer too
heavy is never kept); when one more would pass the limit it is emptied and starts
again, so it never grows with what a process reads over time.  The answers it keeps
must be immutable (tuples, frozen records): a caller hands out copies of lists.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

#: the most characters (texts and weighed answers) one memo holds: 64 cells of
#: Excel's longest text, a few tens of MB at most
MEMO_CHARS = 1 << 21

#: what one object of an answer (a record, a label) weighs, in characters
OBJECT_CHARS = 16

#: texts shorter than this are computed every time, never kept: looking one up costs
#: about what computing it does, and a short text repeated costs little either way —
#: an ordinary workbook's cells (a name, a date, a figure) pass straight through
MIN_CHARS = 64


class TextMemo(Generic[T]):
    """`memo(text, key, compute)`: `compute()`'s answer for `key` (the text, or the
    text with the other arguments), computed once while the memo holds it."""

    def __init__(self, limit: int = MEMO_CHARS, weigh: Callable[[T], int] | None = None,
                 shortest: int = MIN_CHARS) -> None:
        self.limit = limit
        self.weigh = weigh
        self.shortest = shortest
        self._kept: dict[Hashable, T] = {}
        self._chars = 0

    def __call__(self, text: str, key: Hashable, compute: Callable[[], T]) -> T:
        if len(text) < self.shortest:
            return compute()
        try:
            return self._kept[key]
        except KeyError:
            pass
        answer = compute()
        size = len(text) + 1 + (self.weigh(answer) if self.weigh is not None else 0)
        if size <= self.limit:
            if self._chars + size > self.limit:
                self._kept.clear()
                self._chars = 0
            self._kept[key] = answer
            self._chars += size
        return answer

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        self._kept.clear()
        self._chars = 0
