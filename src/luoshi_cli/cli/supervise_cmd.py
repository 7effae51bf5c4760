"""`luoshi supervise --unit ID`: the 督办单 for one unit (SPEC §12)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..core.codes import L
from .errors import speaks
from .options import AsOfOpt, LangOpt, LedgerArg, RevOpt, as_of_or_fail, checked_ledger, unit_id
from .ui import check_output, fail, lang_of, output_format, stdout_or_file


class NoticeFormat(StrEnum):
    md = "md"
    html = "html"


def supervise(
    ledger: LedgerArg = None,
    unit: Annotated[str, typer.Option(
        "--unit", metavar="UNIT",
        help="The unit (id or name) the notice goes to.", show_default=False)] = "",
    as_of: AsOfOpt = None,
    format: Annotated[Optional[NoticeFormat], typer.Option(  # noqa: UP045
        "--format", "-f", help="md (default) or html (one self-contained, printable file); "
        "default: what -o's extension says.", show_default=False, case_sensitive=False)] = None,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
        "--output", "-o", metavar="PATH", help="Write to FILE (atomically) instead of stdout "
        "(-o -: stdout).",
        show_default=False)] = None,
    lang: LangOpt = None,
    rev: RevOpt = None,
) -> None:
    """Print the 督办单 for one unit: its red and yellow tasks, missing reports, open
    rectifications (整改) with their deadlines, and what falls due next.

    Exit 0 with the notice, 1 when the ledger has errors, 2 for bad arguments.
    """
    msg_lang = lang_of(lang)
    if not unit:
        # --unit takes a name as well as an id (cli.options.resolve_id): say so
        fail(L("请用 --unit 指定督办单发给哪个单位（单位代码或名称均可）",
               "name the unit the notice goes to with --unit (its id or its name)"), msg_lang)
    from .. import api

    # the format from -o's extension (s.html is html), as bulletin: never Markdown in
    # a file named .html, and a .docx this command cannot write is refused
    fmt = output_format("supervise", format.value if format is not None else None, output,
                        tuple(f.value for f in NoticeFormat), msg_lang) or "md"
    output = stdout_or_file(output, fmt, msg_lang)  # -o -: stdout
    if output is not None:
        check_output(output, ledger, msg_lang, fmt)
    day = as_of_or_fail(as_of, lang)
    led = checked_ledger(ledger, day, lang, rev).loaded.ledger
    if as_of is None:  # the earlier of today and the ledger year's end, as status
        day = api.default_day(led, day)
    language = speaks(lang_of(lang) if lang else (
        led.language if led.language in ("zh", "en") else "zh"))
    unit = unit_id(led, unit, "--unit", language) or unit
    from ..fsio import path_is
    from ..report.bulletin.templates import refuse_links_out
    from ..report.supervise import render_notice

    own = led.root / "templates"  # (a folder above without search permission: one line)
    search = [own] if rev is None and path_is(own, "dir") else []
    if search:  # as for a bulletin: nothing linked out of templates/ is rendered
        refuse_links_out(led.root)
    text = render_notice(led, unit, day, language, fmt, search)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .ui import cannot_write, write_atomic

    try:
        write_atomic(output, text, follow=True)
    except OSError as exc:
        fail(cannot_write(output, exc), language)
    sys.stderr.write(f"wrote {output}\n" if language == "en" else f"已写入 {output}\n")


def register(app: typer.Typer) -> None:
    app.command("supervise")(supervise)
