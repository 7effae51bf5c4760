"""`luoshi validate` as a function: load, check, place, sort."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..checks import run_checks
from ..checks.refs import list_hints
from ..core.finding import Finding, sort_findings
from ..core.model import Config, Ledger
from ..core.periods import default_as_of
from ..fast.source import default_source
from ..fast.taskfiles import TaskFileCheck, TaskFileModel
from ..load.assemble import FileSource, Loaded, TaskFileWork, find_root, open_ledger
from ..load.positions import resolve


@dataclass
class Validation:
    loaded: Loaded
    findings: list[Finding]
    #: the date the ledger was judged at (the default's outcome when none was given)
    as_of: date | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def language(self) -> str:
        return self.loaded.ledger.language


def validate(root: Path | None, as_of: date | None, files: FileSource | None = None, *,
             keep_tasks: bool = True, by_file: bool = True, today: date | None = None,
             check_files: Callable[[Ledger], TaskFileWork] | None = None,
             codes: Callable[[Config], Callable[[str], bool]] | None = None) -> Validation:
    """Every finding of the ledger at `root` (or in `files`), sorted by file and line.

    Task files are checked one at a time — in parallel, cached by content — with the
    tasks kept (what status, score and bulletin need: a warm run reads tasks and
    findings back from one cache entry per file and runs no single-task rule), or,
    with `keep_tasks=False` (the CI gate, `luoshi validate`), only their keys: the
    ledger that comes back holds no tasks (`loaded.keys` lists them).
    `by_file=False` is the plain way — every task parsed, then every rule run over
    the whole ledger — which tests hold the other two to.  `check_files` checks the
    task files with another work (`fast.taskfiles.TaskFileRows`: keys and a row per
    task, the ledger without tasks).

    `as_of=None` is the default every command shares: the earlier of `today` and the
    end of the year of the ledger read here (the one at `rev`, not the working tree's);
    a completion is in the future only after `today` then (`checks.Context.today`).
    A given `as_of` with `today`: judged at `as_of`, a date in the future only after
    the later of the two (`api.checked`); without `today`, only after `as_of`.
    The as-of is applied after loading, so it is never part of a cache key.

    `codes`: which finding codes to report, given the ledger's config (its `lint:`
    and the command line, `cli.validate_cmd.code_filter`).  The others are dropped
    before they are placed on their lines: an office that ignores LS601 does not
    pay for placing one per running task each month."""
    if files is None:
        files = default_source(find_root(root))
    work: Callable[[Ledger], TaskFileWork] | None = (
        check_files if check_files is not None else None if not by_file
        else TaskFileModel if keep_tasks else TaskFileCheck)
    loaded = open_ledger(root, files, check_files=work)
    if work is TaskFileModel and loaded.keys is not None:
        # the tasks are kept and their keys were made from them: score's record
        # warnings take these instead of making 20,000 again (a test holds them equal);
        # imported here: the CI gate (`keep_tasks=False`) never loads the scoring engine
        from .scoring import remember_keys

        remember_keys(loaded.ledger, [k for k in loaded.keys if k.complete])
    # a given as-of is also the last day a recorded date may hold, unless `today` is
    # later (the gate of published documents: a past as-of shows the past)
    future = today
    if as_of is None:
        if today is None:
            raise ValueError("validate: as_of=None needs today")
        as_of, future = default_as_of(loaded.ledger.config.year, today), today
    # text where a list of ids belongs: the list to write, by units.yaml (`leaders: 甲某某`)
    raw = [*list_hints(loaded.findings, loaded.ledger),
           *run_checks(loaded.ledger, as_of, loaded.keys, today=future)]
    if codes is not None:
        keep = codes(loaded.ledger.config)
        raw = [f for f in raw if keep(f.code)]
    placed = resolve(raw, loaded.text_of, loaded.positions, loaded.spread,
                     _entries_at_least(loaded) if raw else None)  # none to place: no count
    if loaded.positions is not None:
        loaded.positions.close()
    return Validation(loaded, sort_findings(placed), as_of)


def _entries_at_least(loaded: Loaded) -> Callable[[str], int | None]:
    """How many entries each task file's list has at least: one past the last task's
    place in it (`positions` reads a file entry by entry only when its text has
    exactly that many lines that may start one)."""
    top: dict[str, int] = {}
    places = ([(k.file, k.path) for k in loaded.keys] if loaded.keys is not None else
              [(t.src.file, t.src.path) for t in (*loaded.ledger.tasks,
                                                  *loaded.ledger.incomplete)])
    for file, path in places:
        if path and type(path[0]) is int:
            top[file] = max(top.get(file, 0), path[0] + 1)
    return top.get
