"""`luoshi validate`: the CI gate."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.codes import L
from .ui import EXIT_FINDINGS, EXIT_OK, fail, lang_of, to_stdout, use_color

if TYPE_CHECKING:
    from ..core.finding import Finding
    from ..core.model import Config, Ledger

from .options import AsOfOpt, LangOpt, LedgerArg, RevOpt, as_of_or_fail, from_cwd, prefixed


class FindingFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


def validate(
    ledger: LedgerArg = None,
    format: Annotated[FindingFormat, typer.Option("--format", "-f",
                      help="text (default), json, github workflow commands, or sarif "
                      "(SARIF 2.1.0, for code scanning).", case_sensitive=False)
                      ] = FindingFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")
                      ] = False,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    rev: RevOpt = None,
    base: Annotated[str | None, typer.Option(
        "--base", metavar="REV",
        help="Change control: compare locked tasks with this git revision "
        "(e.g. origin/main); a change without a new adjustments entry is an error.",
        show_default=False)] = None,
    staged: Annotated[bool, typer.Option(
        "--staged", help="Check the ledger as staged in git (what a commit would record), "
        "not the working tree.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Parse every file again: neither read nor write .luoshi-cache/ "
        "(also LUOSHI_NO_CACHE=1).")] = False,
    select: Annotated[list[str] | None, typer.Option(
        "--select", metavar="CODES",
        help="Report only these finding codes or prefixes, comma-separated "
        "or repeated (LS1, LS105; ALL is every code).", show_default=False)] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", metavar="CODES",
        help="Leave out these finding codes or prefixes (LS6, LS105).",
        show_default=False)] = None,
) -> None:
    """Check the ledger: YAML, schema, references, tasks, scheme, records.

    Exit 0 when there are no errors, 1 when there are (or warnings with --strict),
    2 when the command cannot run (no ledger root, bad arguments).
    """
    from .. import api
    from ..report.findings import RENDERERS

    day = as_of_or_fail(as_of, lang)
    code_filter(select, ignore, lang)  # a typo is refused before the ledger is read
    # the CI gate: task files checked one at a time, no tasks kept (unless --base);
    # no --as-of: the earlier of today and the year's end of the ledger read

    def codes(config: Config) -> Callable[[str], bool]:
        """The ledger's `lint:` with the command line's codes over it."""
        return code_filter(select, ignore, lang or config.language, config)

    result = api.validate(ledger, day if as_of is not None else None, rev=rev, base=base,
                          cache=False if no_cache else None, keep_tasks=False, today=day,
                          staged=staged, codes=codes)
    language = lang or result.language
    color = format is FindingFormat.text and use_color(sys.stdout)
    findings = result.findings
    root = result.loaded.ledger.root
    if format is FindingFormat.text:
        findings = prefixed(findings, from_cwd(root))
    elif format in (FindingFormat.github, FindingFormat.sarif):  # json: ledger-relative
        findings = prefixed(findings, _from_workspace(root))
    to_stdout(lambda: RENDERERS[format.value](findings, sys.stdout, language, color))
    if format is FindingFormat.github:
        from ..report.findings import step_summary

        led = result.loaded.ledger
        note = step_summary(findings, language, _from_workspace(root), led.config.title)
        if note is not None:
            sys.stderr.write(f"luoshi: {note.en if language == 'en' else note.zh}\n")
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if format in (FindingFormat.text, FindingFormat.github):  # a person reads these
        from ..core.labels import counted

        summary = (f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
                   if language == "en"
                   else f"{errors} 个错误，{warnings} 个警告")
        sys.stderr.write(summary + "\n")
        if errors == 0 and rev is None and not staged:
            _stale_schemas_note(result.loaded.ledger, language)
    failed = errors > 0 or (strict and warnings > 0)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


def _stale_schemas_note(ledger: Ledger, language: str) -> None:
    """One line when the editor schemas in the working tree (`.luoshi/schema`, as
    `luoshi init` writes them) no longer match the ledger (`editor.stale_schemas`):
    a clerk who added a unit otherwise sees it underlined in the editor while
    validate passes."""
    from ..load import editor

    if ledger.root is None:
        return
    stale = editor.stale_schemas(ledger.root, editor.refs_of(ledger))
    if stale:
        names = [editor.schema_file(kind) for kind in stale]
        sys.stderr.write("luoshi: " + (
            f"the editor schemas in {editor.SCHEMA_DIR} are out of date "
            f"({', '.join(names)}): "
            "run `luoshi schema` to write them again"
            if language == "en" else
            f"{editor.SCHEMA_DIR} 中的编辑器提示已过时（{'、'.join(names)}）："
            "请运行 luoshi schema 重新生成")
            + "\n")


def code_filter(select: list[str] | None, ignore: list[str] | None,
                lang: str | None, config: Config | None = None) -> Callable[[str], bool]:
    """ruff's way with codes: `--select` keeps the codes that start with one of its
    prefixes (all when not given, or ALL), `--ignore` then leaves out those that start
    with one of its own.  luoshi.yaml's `lint: {select, ignore}` (`config`) is the
    default: a `--select` on the command line replaces its select, `--ignore` adds to
    its ignore.  But the ledger's lint leaves out warnings only: an error is dropped
    by the command line alone (LS021 says so at the lint) — a pull request carries its
    own luoshi.yaml, and must not switch off the check that judges it.  A prefix on the
    command line that matches no code is refused (exit 2): a typo there would silently
    let every finding through or hide none.  One in the ledger's lint is the ledger's
    mistake: the error LS024 at its line (`load.parse`), and the entry is passed over
    here.  The refusal quotes the typed value escaped (`terminal()`): it is a CI log
    line, where `##[…]` would be a workflow command."""
    from ..core.codes import CODES
    from ..core.safetext import terminal
    from ..load.parse import lint_known, lint_near, lint_parts

    chosen, dropped = lint_parts(select), lint_parts(ignore)
    own_select = [p for p in lint_parts(config.lint_select) if lint_known(p)] \
        if config is not None else []
    own_ignore = [p for p in lint_parts(config.lint_ignore) if lint_known(p)] \
        if config is not None else []
    for option, prefixes in (("--select", chosen), ("--ignore", dropped)):
        for prefix in prefixes:
            if not lint_known(prefix):
                near = lint_near(prefix)
                hint = L(f"（是否想写 {near}？）", f" (did you mean {near}?)") if near \
                    else L("（代码形如 LS105，见 docs/REFERENCE.md 的代码表）",
                           " (codes look like LS105: see the table in docs/REFERENCE.md)")
                shown = terminal(prefix)
                fail(L(f"{option} {shown}：没有以此开头的检查代码{hint.zh}",
                       f"{option} {shown}: no finding code starts with it{hint.en}"),
                     lang_of(lang))

    def left_out(code: str, keep: list[str], drop: list[str]) -> bool:
        if keep and "ALL" not in keep and not any(code.startswith(p) for p in keep):
            return True
        return "ALL" in drop or any(code.startswith(p) for p in drop)

    def wanted(code: str) -> bool:
        entry = CODES.get(code)
        if (entry is not None and entry.severity == "error") or code == "LS021":
            # LS021 says the lint tried to leave out errors: the lint cannot hide it
            return not left_out(code, chosen, dropped)
        return not left_out(code, chosen or own_select, [*own_ignore, *dropped])

    return wanted


def not_ignored(findings: list[Finding], led: Ledger) -> list[Finding]:
    """The warnings among `findings` the ledger's `lint:` does not leave out, as
    `validate` reports them (`code_filter`): `score` and `bulletin` name
    values the scores do not count, and a warning the office ignored stays unsaid
    there too (and "luoshi validate lists them all" stays true)."""
    keep = code_filter(None, None, None, led.config)
    return [f for f in findings if keep(f.code)]


def _from_workspace(root: Path) -> str:
    """GitHub attaches an annotation to `file=` relative to the checkout: that is
    GITHUB_WORKSPACE in a workflow, else the git top level above the ledger (found by
    walking up to `.git`, no git process), else the current directory.  A folder on
    the way without search permission (a ledger given as `.` below one) is one line
    naming the path tried (`fsio.path_is`), not an internal error."""
    from ..fsio import path_is

    real = root.resolve()
    base: Path | None = None
    workspace = os.environ.get("GITHUB_WORKSPACE", "").strip()
    if workspace:
        base = Path(workspace).resolve()
    else:
        base = next((d for d in (real, *real.parents) if path_is(d / ".git")), None)
    if base is None or not real.is_relative_to(base):
        base = Path.cwd().resolve()
    try:
        return real.relative_to(base).as_posix()
    except ValueError:
        return ""
