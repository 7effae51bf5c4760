"""`luoshi validate`: the CI gate."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ..ui import EXIT_FINDINGS, EXIT_OK, env_lang, fail
from .common import AsOfOpt, LangOpt, LedgerArg, as_of_or_fail


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
) -> None:
    """Check the ledger: YAML, schema, references, tasks, scheme, records.

    Exit 0 when there are no errors, 1 when there are (or warnings with --strict),
    2 when the command cannot run (no ledger root, bad arguments).
    """
    from ..ledger import LedgerError
    from ..report.findings import RENDERERS
    from ..validate import validate as run

    day = as_of_or_fail(as_of, lang)
    try:
        result = run(ledger, day)
    except LedgerError as exc:
        fail(str(exc), env_lang(lang))
    language = lang or result.language
    color = format is FindingFormat.text and sys.stdout.isatty()
    RENDERERS[format.value](result.findings, sys.stdout, language, color)
    if format is FindingFormat.text:
        summary = (f"{result.errors} errors, {result.warnings} warnings" if language == "en"
                   else f"{result.errors} 个错误，{result.warnings} 个警告")
        sys.stderr.write(summary + "\n")
    failed = result.errors > 0 or (strict and result.warnings > 0)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)
