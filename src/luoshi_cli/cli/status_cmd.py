"""`luoshi status`: where every task stands at a date (SPEC §5)."""

from __future__ import annotations

import io
import os
import sys
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Optional, TextIO

import typer

from .errors import speaks
from .options import (
    AsOfOpt,
    LangOpt,
    LedgerArg,
    RevOpt,
    as_of_or_fail,
    checked_ledger,
    checked_status,
    unit_id,
)
from .ui import lang_of, pipe_width, use_color

if TYPE_CHECKING:
    from ..fast.results import ResultMemo

#: table width when stdout is not a terminal: a fixed width keeps the output byte-stable
PIPE_WIDTH = 160


class By(StrEnum):
    category = "category"
    lead = "lead"
    leader = "leader"
    group = "group"
    unit = "unit"
    tag = "tag"


class LightChoice(StrEnum):
    red = "red"
    yellow = "yellow"
    green = "green"


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def status(
    ledger: LedgerArg = None,
    as_of: AsOfOpt = None,
    by: Annotated[Optional[By], typer.Option(  # noqa: UP045 - typer needs Optional
        "--by", help="Show only this roll-up: category, lead, leader, group, unit or tag.",
        show_default=False, case_sensitive=False)] = None,
    light: Annotated[Optional[LightChoice], typer.Option(  # noqa: UP045
        "--light", help="Only tasks of this light in the task lists: red, yellow or green.",
        show_default=False, case_sensitive=False)] = None,
    unit: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--unit", metavar="UNIT", help="Only the tasks this unit (id or name) leads or shares.",
        show_default=False)] = None,
    format: Annotated[StatusFormat, typer.Option(
        "--format", "-f", help="table (default), json (SPEC §5) or csv.", case_sensitive=False)
    ] = StatusFormat.table,
    lang: LangOpt = None,
    rev: RevOpt = None,
) -> None:
    """Progress roll-up and red/yellow lights (序时进度, 红灯/黄灯) as of a date.

    Exit 0 with the report, 1 when the ledger has errors, 2 for bad arguments.
    """
    from .. import api
    from ..report.status import render_csv, render_json, render_table

    day = as_of_or_fail(as_of, lang)
    if format is not StatusFormat.csv and rev is None:
        table = format is StatusFormat.table
        memo = _kept(ledger, {"as_of": None if as_of is None else day.isoformat(),
                              "lang": lang, "by": by and by.value,
                              "light": light and light.value, "unit": unit,
                              "format": format.value})
        if memo is not None:
            kept = memo.get()
            if kept is not None:  # the same request on the same files: what it printed
                sys.stdout.flush()
                sys.stdout.buffer.write(kept[0])
                return
            buf = io.BytesIO()
            text = io.TextIOWrapper(buf, encoding="utf-8", newline="\n")
            done = _from_rows(ledger, day if as_of is not None else None, lang, by, light,
                              unit, table=table, out=text)
            text.flush()
            if done:
                data = buf.getvalue()
                sys.stdout.flush()
                sys.stdout.buffer.write(data)
                memo.put(data, "")
                return
        elif _from_rows(ledger, day if as_of is not None else None, lang, by, light, unit,
                        table=table):
            return
    # checked_ledger judges dates against the later of as-of and today, so a past
    # --as-of looks at the past instead of refusing "completions in the future"
    loaded = checked_ledger(ledger, day, lang, rev).loaded
    led = loaded.ledger
    if as_of is None:  # the earlier of today and the ledger year's end
        day = api.default_day(led, day)
    language = speaks(lang_of(lang) if lang else led.language)
    unit = unit_id(led, unit, "--unit", language)
    report = api.status(led, day, unit=unit, light=light.value if light else None)
    dim = by.value if by else None
    if format is StatusFormat.json:
        render_json(report, sys.stdout, by=dim)
    elif format is StatusFormat.csv:
        render_csv(report, sys.stdout, by=dim, lang=language)
    else:
        tty = sys.stdout.isatty()
        render_table(report, sys.stdout, language, by=dim, color=use_color(sys.stdout),
                     width=None if tty else pipe_width(PIPE_WIDTH))


def _kept(ledger: LedgerArg, options: dict[str, object]) -> ResultMemo | None:
    """The kept-document slot for `status` (`fast.results`, as `score`'s), or None for
    a stream that is not UTF-8 (the kept bytes are UTF-8, written as they are).  On a
    terminal the table is laid out to its size, so the size is part of the request
    (colour and TERM are, for every command)."""
    from ..report.status import utf8_buffer
    from .kept import lookup

    if utf8_buffer(sys.stdout) is None:
        return None

    if sys.stdout.isatty():
        try:
            size = os.get_terminal_size(sys.stdout.fileno())
        except (OSError, ValueError):
            return None
        options = {**options, "terminal": f"{size.columns}x{size.lines}"}
    return lookup(ledger, "status", options, terminal_matters=False)


def _from_rows(ledger: LedgerArg, as_of: date | None, lang: LangOpt, by: By | None,
               light: LightChoice | None, unit: str | None, *, table: bool,
               out: TextIO | None = None) -> bool:
    """`status` as JSON or as the table from status rows (`api.checked_status`): what
    the plain path prints, but made per task file in the parse worker and read back
    from the cache without building a task.  False — nothing printed — for a ledger
    that keeps the supervision loop (its section needs the tasks): the plain path
    prints it."""
    from .. import api
    from ..ops.supervision import has_supervision
    from ..report.status import render_rows_json, render_table

    v, day = checked_status(ledger, as_of, lang, table=table)
    led = v.loaded.ledger
    if has_supervision(led):
        return False
    language = speaks(lang_of(lang) if lang else led.language)
    unit = unit_id(led, unit, "--unit", language)
    summary = api.status_summary(led, day, v.loaded.rows, unit=unit,
                                 light=light.value if light else None)
    dim = by.value if by else None
    stream = sys.stdout if out is None else out
    if not table:
        render_rows_json(summary, stream, by=dim)
    else:
        tty = sys.stdout.isatty()
        render_table(summary, stream, language, by=dim, color=use_color(sys.stdout),
                     width=None if tty else pipe_width(PIPE_WIDTH))
    return True


def register(app: typer.Typer) -> None:
    app.command("status")(status)
