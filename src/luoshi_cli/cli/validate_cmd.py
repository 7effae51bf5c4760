"""`luoshi validate`: the CI gate."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .ui import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from ..core.finding import Finding

from .options import AsOfOpt, LangOpt, LedgerArg, RevOpt, as_of_or_fail


class FindingFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    ledger: LedgerArg = None,
    format: Annotated[FindingFormat, typer.Option("--format", "-f",
                      help="text (default), json, or github workflow commands.")
                      ] = FindingFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")
                      ] = False,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    rev: RevOpt = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="Change control: compare locked tasks with this git revision "
        "(e.g. origin/main); a change without a new adjustments entry is an error.",
        show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Parse every file again: neither read nor write .luoshi-cache/ "
        "(also LUOSHI_NO_CACHE=1).")] = False,
) -> None:
    """Check the ledger: YAML, schema, references, tasks, scheme, records.

    Exit 0 when there are no errors, 1 when there are (or warnings with --strict),
    2 when the command cannot run (no ledger root, bad arguments).
    """
    from .. import api
    from ..report.findings import RENDERERS

    day = as_of_or_fail(as_of, lang)
    # the CI gate: task files checked one at a time, no tasks kept (unless --base)
    result = api.validate(ledger, day, rev=rev, base=base, cache=False if no_cache else None,
                          keep_tasks=False)
    language = lang or result.language
    color = format is FindingFormat.text and sys.stdout.isatty()
    findings = result.findings
    if format is FindingFormat.github:
        findings = _from_workspace(findings, result.loaded.ledger.root)
    RENDERERS[format.value](findings, sys.stdout, language, color)
    if format is FindingFormat.text:
        summary = (f"{result.errors} errors, {result.warnings} warnings" if language == "en"
                   else f"{result.errors} 个错误，{result.warnings} 个警告")
        sys.stderr.write(summary + "\n")
    failed = result.errors > 0 or (strict and result.warnings > 0)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


def _from_workspace(findings: list[Finding], root: Path) -> list[Finding]:
    """GitHub attaches an annotation to `file=` relative to the checkout, so a ledger
    in a subdirectory (ledgers/beilin-2024) needs its path in front of each file."""
    try:
        prefix = root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return findings
    if prefix in ("", "."):
        return findings
    return [replace(f, file=f"{prefix}/{f.file}") for f in findings]
