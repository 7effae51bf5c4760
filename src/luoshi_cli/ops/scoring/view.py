"""What scoring reads of a task, made per task file in the parse worker.

`score` needs every task, but of each only its id, title, lead, 责任/配合 units,
status and its milestones' due and done dates (`tasks_leaf`, `tasks_by_credit`,
`overdue_milestones`).  A full `Task` — its updates, notes, standards, leaders —
is most of what the parse worker pickles and this process reads back (1.3 CPU-s
between them at 100,000 tasks) and holds (250 MB).  `score_view` makes the task
as scoring reads it while the file is at hand (`fast.taskfiles.TaskFileRows`,
kind "score"), as plain named tuples: only those cross between the processes and
stay in memory.  The engine reads tasks through the `Scored` protocol, which both
`Task` and `ScoreTask` satisfy; a test holds `score` on every case ledger equal,
byte for byte, to the plain path's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from ...core.model import Ledger, Task

_new = tuple.__new__


class ScoreTask(NamedTuple):
    """A task as scoring reads it (`engine.Scored`), made from a row of `score_view`
    by `score_tasks`."""

    id: str
    title: str
    lead: str
    status: str
    units: tuple[str, ...]
    cooperating: tuple[str, ...]
    #: each milestone's (due, done), as the row holds them: no object per milestone
    #: is made here (400,000 of them at 100,000 tasks: 0.4 s of this process's time)
    dates: tuple[tuple[date, date | None], ...]


Row = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...],
            tuple[tuple[date, date | None], ...]]


def score_view(ledger: Ledger, tasks: Sequence[Task]) -> list[Row]:
    """Each task as scoring reads it, as a plain tuple (what the cache holds and reads
    back; `score_tasks` names its fields); `ledger` is not looked at (the signature
    of a `TaskFileRows` row maker)."""
    seen: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per value: pickled once
    # one date object per day too: pickle writes an object once and refers to it after
    # that, and a file's milestones fall on a few hundred days — a date pickled anew
    # each time was most of the rows' pickling (0.48 → 0.17 CPU-s per 100,000 tasks,
    # 15 → 10 MB; read back in half the time)
    days: dict[date, date] = {}
    day = days.setdefault
    return [(t.id, t.title, t.lead, t.status, seen.setdefault(t.units, t.units),
             seen.setdefault(t.cooperating, t.cooperating),
             tuple([(day(m.due, m.due), None if m.done is None else day(m.done, m.done))
                    for m in t.milestones]))
            for t in tasks]


def score_tasks(rows: Sequence[Row]) -> list[ScoreTask]:
    """The rows of `score_view` as `ScoreTask`s (the row itself, named: no copy of
    its values)."""
    return [_new(ScoreTask, r) for r in rows]
