"""Options and steps shared by commands."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..core.codes import L
from ..core.periods import MAX_YEAR, MIN_YEAR
from .ui import (
    EXIT_USAGE,
    CommandError,
    bad_lang,
    env_lang,
    fail,
    lang_value,
    parse_date,
    use_color,
)

if TYPE_CHECKING:
    from ..core.model import Ledger
    from ..ops.validate import Validation

LedgerArg = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional at runtime
    typer.Argument(help="Ledger root (default: the nearest directory with luoshi.yaml).",
                   show_default=False),
]
AsOfOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--as-of", help="The date to judge by, YYYY-MM-DD (default: the earlier "
                 "of today and the end of the ledger's year).",
                 show_default=False),
]
#: --as-of of the commands that still judge by today when it is not given (validate,
#: score, diff, import, rollup): their help must not promise the ledger year's end
AsOfTodayOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--as-of", help="The date to judge by, YYYY-MM-DD (default: today).",
                 show_default=False),
]
def lang_option(value: str | None) -> str | None:
    """--lang: zh or en in any case (`EN` is en); anything else is refused at once,
    exit 2, rather than read silently as Chinese."""
    if value is None:
        return None
    lang = lang_value(value)
    if lang is None:
        sys.stderr.write(bad_lang(value))
        raise typer.Exit(EXIT_USAGE)
    return lang


LangOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--lang", help="zh or en (default: the ledger's language, or LUOSHI_LANG).",
                 show_default=False, callback=lang_option),
]
RevOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--rev", help="Read the ledger as it was at this git revision "
                 "(a tag, branch or commit).", show_default=False),
]
def year_option(value: int | None) -> int | None:
    """--year: a four-digit year.  Periods are written YYYY and YYYY-Qn (SPEC §3), and
    dates end at 9999: `--year 10000`, `-5` or `0` are refused here, exit 2, instead of
    failing deep inside as "not a period"."""
    if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
        sys.stderr.write(f"luoshi: --year {value} 无效：请写四位数年份（{MIN_YEAR}–{MAX_YEAR}） / "
                         f"--year {value} is not valid: write a four-digit year "
                         f"({MIN_YEAR}-{MAX_YEAR})\n")
        raise typer.Exit(EXIT_USAGE)
    return value


YearOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--year", help="The year (default: the ledger's year).", show_default=False,
                 callback=year_option),
]


def as_of_or_fail(text: str | None, lang: str | None) -> date:
    try:
        return parse_date(text)
    except CommandError as exc:
        fail(exc.label, env_lang(lang))


def checked_ledger(root: Path | None, as_of: date, lang: str | None,
                   rev: str | None = None) -> Validation:
    """Load and validate; refuse (exit 1, findings on stderr) when there are errors.

    Scores and bulletins are published documents: they are never computed from a
    ledger that validate rejects.  The gate judges dates against the later of `as_of`
    and today: `--as-of` in the past shows the past (a milestone done after it counts
    as not yet done), but a completion dated after today is still an error.
    """
    from .. import api
    from ..core.errors import LedgerRejected
    from ..report.findings import render_text

    try:
        return api.checked(root, as_of, today=date.today(), rev=rev)
    except LedgerRejected as exc:
        exc.lang = lang or exc.language
        render_text(exc.errors, sys.stderr, exc.lang, use_color(sys.stderr))
        raise


def checked_status(root: Path | None, as_of: date | None, lang: str | None, *,
                   table: bool = False) -> tuple[Validation, date]:
    """`checked_ledger` for `status`: the gate, each task's status row at `as_of`
    (None: the earlier of today and the ledger year's end), and that day
    (`api.checked_status`); with `table`, rows for the table in the language the
    command speaks (`--lang`, else the ledger's)."""
    from .. import api
    from ..core.errors import LedgerRejected
    from ..report.findings import render_text

    try:
        return api.checked_status(
            root, as_of, today=date.today(),
            table=(lambda led: env_lang(lang) if lang else led.language) if table else None)
    except LedgerRejected as exc:
        exc.lang = lang or exc.language
        render_text(exc.errors, sys.stderr, exc.lang, use_color(sys.stderr))
        raise


def unit_id(led: Ledger, text: str | None, option: str, lang: str) -> str | None:
    """The unit an option names, by id or by name (`--unit 经济发展局` is `jingfaju`).

    A clerk knows the names; ids are for files.  Anything else is refused (exit 2)
    with the closest ids and names (difflib), as the ledger checks do."""
    if text is None:
        return None
    value = text.strip()
    if value in led.units:
        return value
    by_name = {u.name.strip(): uid for uid, u in led.units.items()}
    if value in by_name:
        return by_name[value]
    import difflib

    near = difflib.get_close_matches(value, [*led.units, *by_name], n=3, cutoff=0.6)
    pairs = [(by_name[n], n) if n in by_name else (n, led.units[n].name) for n in near]
    zh = "、".join(f"{uid}（{name}）" for uid, name in pairs)
    en = ", ".join(f"{uid} ({name})" for uid, name in pairs)
    hint = L(f"；是否想写 {zh}？", f"; did you mean {en}?") if pairs else L("", "")
    fail(L(f"{option} {value}：台账中没有这个单位（代码或名称，见 units.yaml）{hint.zh}",
           f"{option} {value}: no unit with this id or name in the ledger "
           f"(see units.yaml){hint.en}"), lang)
