"""`luoshi diff REV1 [REV2] [LEDGER]`: what changed between two revisions, in the
office's terms; `--format md` is a comment ready to post on a pull request.

The comparison is `api.diff`, the renderers are `report.diff`."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..core.codes import L
from ..fsio import path_is
from .errors import speaks
from .options import AsOfOpt, LangOpt, as_of_or_fail
from .ui import COMMAND_LEDGER, fail, lang_of, use_color


class DiffFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


def _split(args: list[str]) -> tuple[str, str | None, Path | None]:
    """REV1 [REV2] [LEDGER], or REV1..REV2 [LEDGER], or REV1...REV2 [LEDGER] (returned
    as REV1 "REV1...REV2": the caller compares REV2 with where it forked from REV1).
    With two arguments the second is the ledger when it is an existing path (a branch
    named like a directory loses)."""
    if args and "..." in args[0] and not path_is(Path(args[0])):
        a, _, b = args[0].partition("...")
        a, b = a or "HEAD", b or "HEAD"
        if len(args) > 2:
            raise ValueError(len(args))
        return f"{a}...{b}", b, Path(args[1]) if len(args) == 2 else None
    if args and ".." in args[0] and not path_is(Path(args[0])):
        a, _, b = args[0].partition("..")
        args = [a or "HEAD", b or "HEAD", *args[1:]]
    if not 1 <= len(args) <= 3:
        raise ValueError(len(args))
    if len(args) == 3:
        return args[0], args[1], Path(args[2])
    if len(args) == 2:
        if path_is(Path(args[1])):
            return args[0], None, Path(args[1])
        return args[0], args[1], None
    return args[0], None, None


def diff(
    revs: Annotated[list[str], typer.Argument(
        metavar="REV1 [REV2] [LEDGER]",
        help="Compare the ledger at git revision REV1 with REV2 (default: the working "
        "tree). REV1..REV2 works too; REV1...REV2 compares REV2 with its merge base with "
        "REV1 (as git diff and a GitHub compare do). LEDGER: the ledger root.", show_default=False)],
    format: Annotated[DiffFormat, typer.Option(
        "--format", "-f", help="text (default), md (a pull-request comment), or json.",
        case_sensitive=False)
    ] = DiffFormat.text,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
) -> None:
    """What changed between two revisions, in the office's terms: tasks added, removed
    and closed; status, light and progress moves; milestones moved (approved or not);
    interviews and rectifications added, removed and changed; units and leaders added,
    removed and changed in units.yaml; categories and tags added, removed and changed in
    luoshi.yaml; components, grades, ranking groups, deduction and bonus categories and
    rules added, removed and changed in scheme.yaml, and its settings changed;
    deductions, bonuses and flags added, removed and changed in the records
    (records/*.yaml); each unit's score, grade and rank (in its ranking
    group) before and after, with the reason."""
    from .. import api
    from ..core.safetext import terminal_copy
    from ..report.diff import diff_json, render_md, render_text

    try:
        rev1, rev2, ledger = _split(revs)
        COMMAND_LEDGER.set((ledger,))  # for `lang_of`: LEDGER is among the revisions
    except ValueError:
        fail(L("用法：luoshi diff REV1 [REV2] [LEDGER]", "usage: luoshi diff REV1 [REV2] [LEDGER]"),
             lang_of(lang))
    if "..." in rev1:  # git's A...B: B against the merge base of A and B
        from ..load.gitsrc import merge_base

        a, _, b = rev1.partition("...")
        rev1 = merge_base(ledger, a, b)  # read by its full id, shown by 12 digits
        shown1: str | None = rev1[:12]
    else:
        shown1 = None
    day = as_of_or_fail(as_of, lang) if as_of is not None else None
    try:  # no --as-of: the earlier of today and the year's end of the later side's ledger
        d = api.diff(ledger, rev1, rev2, as_of=day, today=date.today(), lang=lang,
                     shown1=shown1)
    except api.SideDoesNotLoad as exc:
        from ..report.findings import render_text as render_findings

        shown = lang_of(lang) if lang else exc.language
        for side, _, errors in exc.broken:
            sys.stderr.write(f"{side}:\n")
            render_findings(errors, sys.stderr, shown, use_color(sys.stderr))
        exc.lang = shown
        raise
    language = speaks(lang_of(lang) if lang else d.language)
    if format is DiffFormat.json:
        from ..core.labels import exact_dumps
        from ..core.safetext import json_text

        # a target or actual no float holds keeps its digits (`labels.json_number`)
        sys.stdout.write(json_text(exact_dumps(
            diff_json(d.diff, language, d.before_commit, d.after_commit))) + "\n")
    elif format is DiffFormat.md:
        sys.stdout.write(render_md(d.diff, language))
    else:
        sys.stdout.write(render_text(terminal_copy(d.diff), language))


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)
