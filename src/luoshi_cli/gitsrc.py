"""Reading a ledger as it was at a git revision (placeholder until issue 6 lands)."""

from __future__ import annotations

from pathlib import Path

from .ledger import FileSource, LedgerError


def git_source(root: Path | None, rev: str) -> FileSource:
    raise LedgerError(f"--rev {rev}: reading from git is not available yet")
