"""`luoshi score`: apply the assessment scheme to a quarter or a year (SPEC §4)."""

from __future__ import annotations

import io
import sys
from enum import StrEnum
from typing import Annotated, Optional

import typer

from ..core.codes import L
from .errors import speaks
from .options import (
    AsOfOpt,
    LangOpt,
    LedgerArg,
    RevOpt,
    YearOpt,
    as_of_or_fail,
    checked_ledger,
    from_cwd,
    prefixed,
    unit_id,
)
from .ui import (
    fail,
    in_ledger_year,
    lang_of,
    month_or_fail,
    pipe_width,
    use_color,
    year_agrees,
)

#: table width when stdout is not a terminal: a fixed width keeps the output byte-stable
PIPE_WIDTH = 160


class ScoreFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def score(
    ledger: LedgerArg = None,
    quarter: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--quarter", "-q", metavar="Qn", help="The quarter to score: Q1..Q4 (or 1..4).",
        show_default=False)] = None,
    month: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--month", metavar="YYYY-MM",
        help="The month to score (YYYY-MM), for a scheme with monthly "
        "components (cadence: monthly).", show_default=False)] = None,
    annual: Annotated[bool, typer.Option(
        "--annual", help="Score the year: quarterly components averaged over the four "
        "quarters, plus the annual ones; every deduction of the year.")] = False,
    partial: Annotated[bool, typer.Option(
        "--partial", help="With --annual (or --quarter, for a scheme with monthly "
        "components): score from the records present when a quarter, a month or the annual "
        "record is missing; the output says which are missing.")
    ] = False,
    year: YearOpt = None,
    format: Annotated[ScoreFormat, typer.Option(
        "--format", "-f", help="table (default), json (SPEC §4) or csv (UTF-8 with BOM, "
        "for Excel).", case_sensitive=False)] = ScoreFormat.table,
    explain: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--explain", metavar="UNIT",
        help="Show how this unit's score was built (unit id or name): weights, "
        "component scores, contributions, deductions, rules.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    rev: RevOpt = None,
) -> None:
    """Scores, grades and ranking of the assessed units (考核得分、等次、排名).

    Exit 0 with the result, 1 when the ledger has errors or cannot be scored (no
    scheme, --month for a scheme without monthly components, no record for the
    period, a quarter missing without --partial), 2 for bad arguments.
    """
    if [quarter is not None, annual, month is not None].count(True) != 1:
        fail(L("请用 --quarter Q1..Q4 指定季度、--month YYYY-MM 指定月份，或用 --annual 计算年度得分"
               "（三选一）",
               "give one of --quarter Q1..Q4, --month YYYY-MM or --annual"), lang_of(lang))
    typed_month, month = month, month_or_fail(month, lang_of(lang))  # 2024-5 is 2024-05
    if month is not None:  # --month 2021-05 --year 2020: refused, as bulletin does
        year_agrees(year, month, typed_month, lang_of(lang))
    q: int | None = None
    if quarter is not None:
        text = quarter.strip().upper().removeprefix("Q")
        if text not in ("1", "2", "3", "4"):
            fail(L(f"--quarter 的值 {quarter} 无效：应为 Q1、Q2、Q3 或 Q4",
                   f"--quarter {quarter} is not a quarter: use Q1, Q2, Q3 or Q4"),
                 lang_of(lang))
        q = int(text)
    if partial and month is not None:
        fail(L("--partial 只用于 --annual 或 --quarter", "--partial goes with --annual or "
               "--quarter"), lang_of(lang))
    if explain is not None and format is not ScoreFormat.table:
        # the explanation is text for a reader: a script asking for json got it, exit 0
        fail(L(f"--explain 输出供人阅读的文字说明，不能与 --format {format.value} 同用："
               f"--format {format.value} 已含每个单位各考核项的得分",
               f"--explain writes a text explanation for a reader and does not go with "
               f"--format {format.value}: --format {format.value} already holds every "
               "unit's component scores"), lang_of(lang))
    day = as_of_or_fail(as_of, lang)
    memo = None
    if rev is None and explain is None and not (format is ScoreFormat.table
                                                and use_color(sys.stdout)):
        from .kept import lookup

        memo = lookup(ledger, "score", {
            "quarter": quarter, "month": month, "annual": annual, "partial": partial,
            "year": year, "format": format.value, "as_of": day.isoformat(), "lang": lang})
        kept = memo.get() if memo is not None else None
        if kept is not None:  # the same request on the same files: what it printed
            sys.stderr.write(kept[1])
            sys.stderr.flush()
            _emit(kept[0].decode("utf-8"), format)
            return
    from .. import api
    from ..core.finding import sort_findings
    from ..load.positions import resolve
    from ..report.findings import render_text, render_unread
    from ..report.scores import render_csv, render_json, render_table
    from .validate_cmd import not_ignored

    validation = checked_ledger(ledger, day, lang, rev, scoring=True)
    loaded = validation.loaded
    led = loaded.ledger
    language = speaks(lang_of(lang) if lang else led.language)
    if partial and q is not None and not (led.scheme is not None and any(
            c.cadence == "monthly" for c in led.scheme.leaves())):
        fail(L("--partial 只用于 --annual，或有按月考核指标时的 --quarter",
               "--partial goes with --annual, or with --quarter when the scheme has monthly "
               "components"), language)
    y = year if year is not None else led.config.year
    period = (month if month is not None else f"{y}-Q{q}" if q is not None
              else str(y))
    in_ledger_year(period, led.config.year, language)  # as bulletin refuses it
    if led.scheme is not None:
        explain = unit_id(led, explain, "--explain", language)
    result = api.score(led, period, partial=partial,
                       tasks=loaded.rows if rev is None else None)
    err = io.StringIO()
    if result.warnings:
        render_text(sort_findings(resolve(result.warnings, loaded.text_of)), err,
                    language, use_color(sys.stderr))
    # values in the records read that no score counts (LS417–LS424): `validate` gave
    # them only, and the clerk believed every figure typed counted
    render_unread(prefixed(not_ignored(api.unread_values(validation.findings, result.period), led),
                           from_cwd(led.root)), err, language, use_color(sys.stderr))
    sys.stderr.write(err.getvalue())
    tty = sys.stdout.isatty()
    if explain is not None:
        from ..report.explain import render_explain

        unit = result.unit(explain)
        if unit is None:
            why = api.why_unranked(led, result, explain)
            assert why is not None  # (no score: there is a reason)
            known = led.units.get(explain)
            who = f"{known.name}（{explain}）" if known is not None else explain
            who_en = f"{known.name} ({explain})" if known is not None else explain
            fail(L(f"--explain {explain}：{who}在 {period} 没有参加考核排名：{why.zh}",
                   f"--explain {explain}: {who_en} is not ranked in {period}: {why.en}"),
                 language)
        from ..ops.scoring import period_flags

        flags = period_flags(led, period).get(unit.unit, []) if led.scheme else []
        render_explain(result, unit, sys.stdout, language, color=use_color(sys.stdout),
                       width=None if tty else pipe_width(PIPE_WIDTH), scheme=led.scheme,
                       flags=flags)
        return
    doc = io.StringIO()
    names = {uid: u.name for uid, u in led.units.items()}
    if format is not ScoreFormat.table:
        (render_json if format is ScoreFormat.json else render_csv)(result, doc)
    elif memo is None:
        render_table(result, sys.stdout, language, color=use_color(sys.stdout),
                     width=None if tty else pipe_width(PIPE_WIDTH), names=names,
                     scheme=led.scheme)
        return
    else:  # no colour, not a terminal: the table is made as text first anyway
        render_table(result, doc, language, color=False, width=pipe_width(PIPE_WIDTH),
                     names=names, scheme=led.scheme)
    text = doc.getvalue()
    _emit(text, format)
    if memo is not None:
        from .kept import text_bytes

        data = text_bytes(text)
        if data is not None:
            memo.put(data, err.getvalue())


def _emit(text: str, format: ScoreFormat) -> None:
    """The document on stdout: json and csv as UTF-8 bytes, the table as text."""
    if format is ScoreFormat.table:
        sys.stdout.write(text)
    else:
        _write_utf8(text)


def _write_utf8(text: str) -> None:
    """A document for tools is UTF-8 whatever the console's code page (a Windows
    console may be GBK): bytes go straight to the binary stream when there is one."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    stream.write(text.encode("utf-8"))
    stream.flush()


def register(app: typer.Typer) -> None:
    app.command("score")(score)
