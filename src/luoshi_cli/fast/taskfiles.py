"""Checking task files one at a time: how `luoshi validate` stays fast on 100,000 tasks.

Every rule about a single task (`checks.task_check`) needs only that task and the
small files — luoshi.yaml, units.yaml — read before the task files.  So `validate`
parses each task file, checks its tasks, and places the findings on their lines while
the file's text is at hand; of the file it keeps only those findings and a `TaskKey`
per task, for the few checks across files (duplicate ids, records naming tasks).

What one file yields depends on its bytes and on `TaskFileCheck.salt` alone, so it
can run in a worker process (little to send back) and be cached by the file's
content: re-validating after editing one file checks that file and no other.

`TaskFileModel` does the same and also keeps the file's tasks: what `status`, `score`,
`bulletin` and `export` need.  Its cache entry holds the tasks with the findings, so a
warm run of those commands reads the model back and runs no single-task rule at all.

Every other work here is *derived* from the model (`derive`): what it gives for a
file is `derive(TaskFileModel(...)(file))`, by construction.  So the model is each
work's `standby` (`load.assemble.Standby`): a command whose own entry for a file is
missing — the first `status` after a `validate`, or a status as of another day —
makes its answer from the model kept by an earlier command instead of parsing, and
a command that parses keeps the model for the next one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..checks import TaskContext, check_tasks
from ..core.finding import Finding
from ..core.model import Ledger, Task, TaskKey
from ..load.assemble import Standby
from ..load.parse import parse_tasks
from ..load.positions import resolve
from ..load.read import Source

Checked = tuple[list[Finding], list[TaskKey], list[Any]]
"""A task file's findings (loading, schema, single-task rules), placed; its tasks' keys;
its tasks themselves when they are kept (`TaskFileModel`), or a row per task
(`TaskFileRows`), else nothing."""


@dataclass(frozen=True)
class TaskFileCheck:
    """`check(source)`: the findings and task keys of one task file.

    `ledger` holds what the rules look up (config, units, leaders, which of them
    are broken) and no tasks.  No as-of date: single-task rules do not depend on it
    (`checks.TaskContext`), so the entries stay good from one day to the next."""

    ledger: Ledger

    #: the kind of work, as the cache names it: entries of one kind never answer the other
    name = "taskfiles"
    keeps_tasks = False

    def __call__(self, src: Source) -> Checked:
        return self.derive(self.model(src))

    def model(self, src: Source) -> Checked:
        """The file's parsed model: its placed findings, task keys and tasks."""
        tasks, found = parse_tasks(src.rel, src.data) if src.ok else ([], [])
        # an entry whose id did not read is no task to check or key (`Ledger.unnamed`)
        named = [t for t in tasks if "id" not in t.missing]
        raw = [*src.findings, *found, *check_tasks(self._context, named)]
        text = src.text if raw else None
        count = len(src.data) if src.ok and isinstance(src.data, list) else None
        placed = resolve(raw, lambda _rel: text, entries=lambda _rel: count) if raw else []
        return placed, [t.key() for t in named], tasks

    def derive(self, model: Checked) -> Checked:
        """This work's answer from the file's model (`model`): findings and keys."""
        placed, keys, _tasks = model
        return placed, keys, []

    @cached_property
    def standby(self) -> Standby | None:
        """The file's model, kept under `TaskFileModel`'s name and salt (which are
        those of this ledger's config, units and leaders: what the model depends on)."""
        model = TaskFileModel(self.ledger)
        return Standby(model.name, model.salt, model.model, self.derive)

    @cached_property
    def _context(self) -> TaskContext:
        return TaskContext(self.ledger)

    @cached_property
    def salt(self) -> bytes:
        """Everything besides the file that a result depends on (records and the
        scheme are not looked at by single-task rules)."""
        led = self.ledger
        seen = (led.config, led.units, led.leaders, sorted(led.broken))
        return hashlib.sha256(repr(seen).encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True)
class TaskFileModel(TaskFileCheck):
    """`TaskFileCheck` that keeps the tasks too (the parsed model of the file): the
    commands that need every task get them with their findings from one cache entry."""

    name = "taskfiles+model"
    keeps_tasks = True

    def derive(self, model: Checked) -> Checked:
        return model

    @cached_property
    def standby(self) -> Standby | None:
        return None  # the model itself


@dataclass(frozen=True)
class TaskFileRows(TaskFileCheck):
    """`TaskFileCheck` that also makes a row per complete task with `rows` — say its
    status at an as-of date and the text a report prints of it — while the file is at
    hand (in the parse worker), and keeps those rows in the file's cache entry instead
    of the tasks: a warm `status --format json` reads back rows, not 100,000 `Task`
    records (`report.status.json_rows`).

    `rows(ledger, tasks)` must be a pure function of the tasks, of `ledger`'s config,
    units and leaders (the salt of every check) and of what `rows_salt` names: which
    rows, and the as-of date they are judged at.  So an entry is never served for
    another date, another kind of row, a changed file or a changed units.yaml.
    Rows hold plain values only (tuples, text, numbers, dates): what the cache
    reads back."""

    rows: Callable[[Ledger, Sequence[Task]], list[Any]]
    rows_salt: bytes
    #: which rows (`name` in the cache): each kind keeps its own entry per file, so
    #: status as JSON and as a table do not replace each other's
    kind: str = "rows"

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"taskfiles+{self.kind}"

    def derive(self, model: Checked) -> Checked:
        placed, keys, tasks = model
        return placed, keys, self.rows(self.ledger, [t for t in tasks if not t.missing])

    @cached_property
    def salt(self) -> bytes:
        return hashlib.sha256(super().salt + b"\0" + self.rows_salt).digest()
