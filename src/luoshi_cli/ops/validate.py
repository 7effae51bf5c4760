"""`luoshi validate` as a function: load, check, place, sort."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..checks import run_checks
from ..core.finding import Finding, sort_findings
from ..fast.source import default_source
from ..fast.taskfiles import TaskFileCheck
from ..load.assemble import FileSource, Loaded, find_root, open_ledger
from ..load.positions import resolve


@dataclass
class Validation:
    loaded: Loaded
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def language(self) -> str:
        return self.loaded.ledger.language


def validate(root: Path | None, as_of: date, files: FileSource | None = None, *,
             keep_tasks: bool = True) -> Validation:
    """Every finding of the ledger at `root` (or in `files`), sorted by file and line.

    `keep_tasks=False` is the CI gate's way (`luoshi validate`): the same findings, but
    task files are checked one at a time — in parallel, cached by content — and the
    ledger that comes back holds no tasks (`loaded.keys` lists them)."""
    if files is None:
        files = default_source(find_root(root))
    loaded = open_ledger(root, files, check_files=None if keep_tasks else TaskFileCheck)
    raw = [*loaded.findings, *run_checks(loaded.ledger, as_of, loaded.keys)]
    placed = resolve(raw, loaded.text_of, loaded.positions)
    if loaded.positions is not None:
        loaded.positions.close()
    return Validation(loaded, sort_findings(placed))
