"""`luoshi validate` as a function: load, check, place, sort."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .checks import run_checks
from .finding import Finding, sort_findings
from .ledger import FileSource, Loaded, open_ledger
from .positions import resolve


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


def validate(root: Path | None, as_of: date, files: FileSource | None = None) -> Validation:
    """Every finding of the ledger at `root` (or in `files`), sorted by file and line."""
    loaded = open_ledger(root, files)
    raw = [*loaded.findings, *run_checks(loaded.ledger, as_of)]
    placed = resolve(raw, loaded.text_of)
    return Validation(loaded, sort_findings(placed))
