"""The library face of luoshi: what the commands call, and what a Python user imports.

    from datetime import date
    from luoshi_cli import api

    v = api.checked("examples/weinan-2021", date(2021, 6, 30), today=date.today())
    report = api.status(v.loaded.ledger, date(2021, 6, 30))      # a StatusReport
    result = api.score(v.loaded.ledger, "2021-Q2")                # a ScoreResult
    text = api.bulletin(v.loaded.ledger, api.bulletin_request("quarter", "2021-Q2"))

Every function takes plain arguments — the as-of date (and the gate's "today") is
the caller's, never read from a clock here — returns a typed result, and raises
only `core.errors.LuoshiError`s: `cli.errors` turns those into a message and an
exit code, a Python caller catches them.  Calls may come from several threads; they
run under luoshi's own decimal context, keep the host's SIGTERM handling (unless it
is the default) and environment, and write only the content cache (`cache=False`
writes none).  A ledger template's output and CPU time are bounded in any thread.  The
reference's "Using luoshi from Python" says all this in full.

Imports happen inside the functions: `luoshi --help` imports every command module,
and a command pays only for what it runs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from .core.codes import L
from .core.collector import paused
from .core.errors import EXIT_FINDINGS, LedgerRejected, LuoshiError, ScoringError, UsageError
from .core.finding import Finding

if TYPE_CHECKING:
    from .core.model import Config, Ledger
    from .excel.export import Export
    from .load.assemble import FileSource, Loaded
    from .ops.history import LedgerDiff
    from .ops.progress import Light, Rollup, StatusReport, StatusRow, StatusSummary
    from .ops.scoring import ScoreResult
    from .ops.scoring.engine import Scored
    from .ops.validate import Validation
    from .report.bulletin import Request

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _own_decimals(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """`fn` under luoshi's decimal context (`core.numbers.fixed_context`), not the
    caller's: the same ledger gives the same figures whatever precision, rounding or
    traps the calling program set for its own sums."""
    @wraps(fn)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        from decimal import localcontext

        from .core.numbers import fixed_context

        with localcontext(fixed_context()):
            return fn(*args, **kwargs)

    return run


@_own_decimals
def validate(root: Path | str | None, as_of: date | None, *, rev: str | None = None,
             base: str | None = None, cache: bool | None = None,
             keep_tasks: bool = True, today: date | None = None,
             staged: bool = False,
             codes: Callable[[Config], Callable[[str], bool]] | None = None) -> Validation:
    """Every finding of the ledger at `root` (as committed at `rev`, when given), sorted.

    `as_of=None`: judged at `default_day` of the ledger read (the one at `rev`; with
    `base`, the later side), with dates in the future only after `today`.
    `staged`: the ledger as the git index holds it (what `git commit` would record),
    not the working tree.

    `base`: change control against that revision too (SPEC §6: a locked task changes
    only with a recorded approval).  `cache=False` parses every file again (neither
    reads nor writes .luoshi-cache/); None leaves it to the environment.
    `keep_tasks=False` is the CI gate's way: the same findings, task files checked one
    at a time, and a ledger without tasks (change control needs them: kept then).
    `codes`: which finding codes to report, given the ledger's config (the others
    are left out, before they are placed on their lines; change control's too)."""
    from .ops.validate import validate as run

    if as_of is None and today is None:  # before any file is read
        raise UsageError(L(
            "validate：as_of 为 None（台账年度的默认日期）时须给出 today，如 "
            "today=date.today()（luoshi 不读系统时钟），或给出 as_of",
            "validate: as_of=None (the ledger year's default day) needs today, e.g. "
            "today=date.today() (luoshi never reads the clock), or give as_of"))
    where = Path(root) if root is not None else None
    files: FileSource | None = None
    if rev is not None or staged:  # git is imported only for a ledger read from git
        from .load.gitsrc import git_source, open_index

        files = git_source(where, rev) if rev is not None else None
        if staged:
            if rev is not None:
                raise UsageError(L("--staged 与 --rev 不能同时使用", "--staged and --rev "
                                   "exclude each other"))
            files = open_index(where)
    if files is None and cache is False:
        from .fast.source import default_source
        from .load.assemble import find_root

        files = default_source(find_root(where), cache=False)
    result = run(where, as_of, files, keep_tasks=keep_tasks or base is not None, today=today,
                 codes=codes)
    if base is not None:
        from .core.finding import sort_findings
        from .load.gitsrc import STAGED, load_at
        from .ops.changes import against_base

        # a directory moved since the base is looked for between the base and the side
        # validated: the revision, the index, or the working tree
        before = load_at(result.loaded.ledger.root, base, STAGED if staged else rev)
        # read as LS504 reads it: the as-of given, else the later of the default and today
        latest = as_of
        if latest is None and result.as_of is not None:
            latest = max(result.as_of, today) if today is not None else result.as_of
        changes = against_base(result.loaded, before, base, latest)
        if codes is not None:
            keep = codes(result.loaded.ledger.config)
            changes = [f for f in changes if keep(f.code)]
        result.findings = sort_findings([*result.findings, *changes])
    return result


@_own_decimals
def open_ledger(root: Path | str | None, *, cache: bool | None = None) -> Loaded:
    """The ledger at `root` (or the nearest parent holding luoshi.yaml) and every
    finding made loading it, read through the cache and on every core.  `cache=False`
    neither reads nor writes .luoshi-cache/ (None: as the environment says,
    LUOSHI_NO_CACHE, CI)."""
    from .fast.source import default_source
    from .load.assemble import find_root
    from .load.assemble import open_ledger as assemble

    return assemble(None, default_source(find_root(Path(root) if root is not None else None),
                                         cache=cache))


def _files(root: Path | str | None, cache: bool | None) -> FileSource | None:
    """The directory's files read as `cache` says (None: the default source)."""
    if cache is None:
        return None
    from .fast.source import default_source
    from .load.assemble import find_root

    return default_source(find_root(Path(root) if root is not None else None), cache=cache)


@_own_decimals
def checked(root: Path | str | None, as_of: date | None, *, today: date,
            rev: str | None = None, cache: bool | None = None) -> Validation:
    """The gate of every published document: the validated ledger, or `LedgerRejected`
    (exit 1) carrying its errors.

    Recorded dates are judged against the later of `as_of` and `today`: an as-of in
    the past shows the past (a milestone done after it counts as not yet done), but a
    completion dated after today is still an error.  The findings are those at `as_of`
    (None: `default_day`, `Validation.as_of`): the warnings that depend on the date
    (LS601, a monthly report due) are `luoshi validate --as-of`'s, so the Parquet
    export's findings are the same whatever day it is made.  `cache`: as `validate`'s."""
    v = validate(root, as_of, rev=rev, today=today, cache=cache)
    if v.errors:
        raise LedgerRejected([f for f in v.findings if f.severity == "error"], v.language,
                             v.loaded.ledger.root)
    return v


@_own_decimals
def checked_for_scoring(root: Path | str | None, as_of: date, *, today: date,
                        rev: str | None = None, files: FileSource | None = None,
                        cache: bool | None = None) -> Validation:
    """`checked` for `score`: the same gate and findings from one pass over the task
    files, which also makes each complete task's scoring view (`ops.scoring.view`:
    id, title, lead and units, status, milestone dates; in the parse worker, cached
    per file) instead of keeping the task: `loaded.rows` holds them (`ScoreTask`s),
    the ledger no tasks — pass them to `score(..., tasks=)`.  With `rev` (files read from git),
    `checked` itself: the ledger holds its tasks and `loaded.rows` is empty.
    `files`: where the files come from (default: the directory, through the cache as
    `cache` says — `validate`'s)."""
    if rev is not None:
        return checked(root, as_of, today=today, rev=rev)
    if files is None:
        files = _files(root, cache)
    from .fast.taskfiles import TaskFileRows
    from .ops.scoring import remember_keys
    from .ops.scoring.view import score_tasks, score_view
    from .ops.validate import validate as run

    def work(look_up: Ledger) -> TaskFileRows:
        return TaskFileRows(look_up, rows=score_view, rows_salt=b"score-view", kind="score")

    v = run(Path(root) if root is not None else None, max(as_of, today), files,
            check_files=work)
    if v.errors:
        raise LedgerRejected([f for f in v.findings if f.severity == "error"], v.language,
                             v.loaded.ledger.root)
    if v.loaded.keys is not None:  # score's record warnings take these, as after `checked`
        remember_keys(v.loaded.ledger, [k for k in v.loaded.keys if k.complete])
    v.loaded.rows = score_tasks(v.loaded.rows)
    return v


@_own_decimals
def checked_status(root: Path | str | None, as_of: date | None, *, today: date,
                   files: FileSource | None = None,
                   table: Callable[[Ledger], str] | None = None,
                   cache: bool | None = None) -> tuple[Validation, date]:
    """`checked` for a status report at `as_of` (None: `default_day`), and that day.

    The same gate, from the same pass over the task files, which also makes each
    task's status row at that day (`report.status.json_rows`, in the parse worker,
    cached per file with the date in the entry's name) instead of keeping the task:
    `loaded.rows` holds them, the ledger no tasks.  `status_summary` rolls them up.
    `files`: where the files come from (default: the directory, through the cache as
    `cache` says — `validate`'s).  `table`: rows for the table instead
    (`report.status.table_rows`), in the language it names for the ledger."""
    from functools import partial

    from .fast.taskfiles import TaskFileRows
    from .ops.validate import validate as run
    from .report.status import json_rows, table_rows

    days: list[date] = []

    def work(look_up: Ledger) -> TaskFileRows:
        day = as_of if as_of is not None else default_day(look_up, today)
        days.append(day)
        if table is None:
            return TaskFileRows(look_up, rows=partial(json_rows, as_of=day),
                                rows_salt=f"status-json\0{day.isoformat()}".encode(),
                                kind="status-json")
        lang = table(look_up)
        return TaskFileRows(look_up, rows=partial(table_rows, as_of=day, lang=lang),
                            rows_salt=f"status-table\0{lang}\0{day.isoformat()}".encode(),
                            kind="status-table")

    gate = max(as_of, today) if as_of is not None else today
    if files is None:
        files = _files(root, cache)
    v = run(Path(root) if root is not None else None, gate, files, check_files=work)
    if v.errors:
        raise LedgerRejected([f for f in v.findings if f.severity == "error"], v.language,
                             v.loaded.ledger.root)
    return v, days[0] if days else (as_of or default_day(v.loaded.ledger, today))


@_own_decimals
def status_summary(ledger: Ledger, as_of: date, rows: list[StatusRow], *,
                   unit: str | None = None, light: Light | None = None) -> StatusSummary:
    """`status` from the status rows of `checked_status` (made at `as_of`): the same
    figures and task list, without the tasks."""
    from .ops.progress import summarize

    _check_light(light)
    if unit is not None and unit not in ledger.units:
        raise UsageError(L(f"--unit {unit}：台账中没有这个单位（见 units.yaml）",
                           f"--unit {unit}: no such unit in the ledger (see units.yaml)"))
    return summarize(ledger, as_of, rows, unit=unit, light=light)


@_own_decimals
def status(ledger: Ledger, as_of: date, *, unit: str | None = None,
           light: Light | None = None) -> StatusReport:
    """Where every task stands at `as_of` (SPEC §5), optionally one unit's tasks and
    one light's lists."""
    from .ops.progress import status_report

    _check_light(light)
    if unit is not None and unit not in ledger.units:
        raise UsageError(L(f"--unit {unit}：台账中没有这个单位（见 units.yaml）",
                           f"--unit {unit}: no such unit in the ledger (see units.yaml)"))
    return status_report(ledger, as_of, unit=unit).with_light(light)


LIGHTS = ("green", "yellow", "red")


def _check_light(light: str | None) -> None:
    if light is not None and light not in LIGHTS:
        raise UsageError(L(f"light={light!r} 无效：请写 green、yellow 或 red（或 None：全部任务）",
                           f"light={light!r} is not valid: give green, yellow or red "
                           "(or None: every task)"))


@_own_decimals
def score(ledger: Ledger, period: str, *, partial: bool = False,
          tasks: Sequence[Scored] | None = None) -> ScoreResult:
    """Scores, grades and ranks of a period ("2021-Q2", "2024-05", or "2021" for the
    year).  `tasks`: the tasks as scoring reads them when the ledger does not hold
    them (`checked_for_scoring`'s `loaded.rows`).  `UsageError` (exit 2) for a period
    not so written (`2021-Q5`, `2021-13`, `2021-H1`), as `bulletin_request` and the
    command say."""
    from .core.periods import MONTH_RE, PERIOD_RE
    from .ops.scoring import score_period
    from .ops.scoring.engine import bad_period

    if not isinstance(period, str) or not (PERIOD_RE.fullmatch(period)
                                           or MONTH_RE.fullmatch(period)):
        raise UsageError(bad_period(str(period)))
    if ledger.scheme is None:
        raise ScoringError(L(
            "台账没有考核办法（scheme.yaml），无法计分：score 只用于有考核办法的台账",
            "the ledger has no assessment scheme (scheme.yaml): there is nothing to score"))
    with paused():
        return score_period(ledger, period, partial=partial, tasks=tasks)


def why_unranked(ledger: Ledger, result: ScoreResult, unit: str) -> L | None:
    """Why `unit` is not ranked in `result` (a `score` of this ledger), in both
    languages; None when it is ranked."""
    from .ops.scoring import why_unranked as why

    return why(ledger, result, unit)


def unread_values(findings: Sequence[Finding], period: str) -> list[Finding]:
    """The warnings among `findings` (a `Validation`'s, in its order) about values
    written in the records a score of `period` reads that no score counts — LS417–LS424
    (`core.codes.UNREAD_VALUES`): a score for a unit `assessed: false`, a task quality
    the leaf's `credit` does not count, one of a task with no milestone due in the
    period, a `quality:` no leaf reads, ...  The records are those of `period` and of
    the months, quarters and year inside it (`core.periods.inside`: a quarter's
    months, every record of the year).  `validate` gives them; `score` and `bulletin`
    say them too, so the clerk who scores a quarter does not believe that every figure
    typed counted."""
    from .core.codes import UNREAD_VALUES
    from .core.periods import bounds, inside

    first, last = bounds(period)
    return [f for f in findings if f.code in UNREAD_VALUES
            and inside(str(dict(f.params).get("period", "")), first, last)]


def default_day(ledger: Ledger, today: date) -> date:
    """The as-of a command uses when none is given: the earlier of today and the
    ledger year's end (a 2024 ledger read in 2026 is judged at 2024-12-31, not with
    every task red)."""
    from .core.periods import default_as_of

    return default_as_of(ledger.config.year, today)


def bulletin_request(kind: str, period: str, *, as_of: date | None = None, lang: str = "zh",
                     edition: str = "internal", unit: str | None = None,
                     doc_no: str | None = None, issue: int | None = None,
                     signed: date | None = None, allow_missing: bool = False) -> Request:
    """What a bulletin is about: a month ("2024-05"), a quarter ("2021-Q2"), a half
    year ("2024-H1") or a year ("2024"), as of the period's end unless `as_of` says
    otherwise.  `lang`: "zh" or "en"; `edition`: "internal" or "public".  `UsageError`
    (exit 2) for anything else, or a period not written as its kind's."""
    from .report.bulletin import Request, default_as_of
    from .report.bulletin.context import period_span
    from .report.bulletin.words import period_label

    check_request(kind, period, lang, edition)
    when = as_of if as_of is not None else default_as_of(kind, period)
    first = period_span(kind, period)[0]
    if when < first:
        # a bulletin of a period not yet begun: "2024年第三季度共约谈0次" over a table of
        # June's states, "较上季度持平"
        label = period_label(kind, period, lang)
        raise UsageError(L(
            f"--as-of {when} 早于{label}的第一天（{first}）：这一期还没有开始，无可通报；"
            "请写这一期之内或之后的日期，或不写 --as-of（即这一期的最后一天）",
            f"--as-of {when} is before the first day of {label} ({first}): the period has "
            "not begun, there is nothing to report; give a date in or after it, or leave "
            "--as-of out (the period's last day)"))
    return Request(kind=kind, period=period, as_of=when, lang=lang, edition=edition,
                   unit=unit, doc_no=doc_no, issue=issue, signed=signed,
                   allow_missing=allow_missing)


#: a bulletin's kinds of period, each as it is written (whole text), and an example
PERIOD_FORMS = {
    "month": (re.compile(r"[1-9]\d{3}-(?:0[1-9]|1[0-2])"), "2024-05"),
    "quarter": (re.compile(r"[1-9]\d{3}-Q[1-4]"), "2021-Q2"),
    "half": (re.compile(r"[1-9]\d{3}-H[12]"), "2024-H1"),
    "year": (re.compile(r"[1-9]\d{3}"), "2024"),
}
#: a bulletin's languages and editions
LANGS = ("zh", "en")
EDITIONS = ("internal", "public")


def check_request(kind: str, period: str, lang: str = "zh", edition: str = "internal"
                  ) -> None:
    """`UsageError` (exit 2) unless `kind` is a bulletin's kind and `period` is written
    as one ("2024-05", "2021-Q2", "2024-H1", "2024"), `lang` zh or en and `edition`
    internal or public: what `bulletin_request` takes, checked again where a `Request`
    made elsewhere comes in (`check_bulletin_year`, `bulletin_context`)."""
    if kind not in PERIOD_FORMS:
        raise UsageError(L(
            f"kind={kind!r} 无效：请写 month、quarter、half 或 year",
            f"kind={kind!r} is not valid: give month, quarter, half or year"))
    form, example = PERIOD_FORMS[kind]
    if not isinstance(period, str) or not form.fullmatch(period):
        names = {"month": ("月份", "a month"), "quarter": ("季度", "a quarter"),
                 "half": ("半年", "a half year"), "year": ("年度", "a year")}[kind]
        raise UsageError(L(
            f"期间 {period!r} 不是{names[0]}：请写成 {example} 的形式",
            f"period {period!r} is not {names[1]}: write it like {example}"))
    if lang not in LANGS:
        raise UsageError(L(f"lang={lang!r} 无效：请写 zh 或 en",
                           f"lang={lang!r} is not valid: give zh or en"))
    if edition not in EDITIONS:
        raise UsageError(L(f"edition={edition!r} 无效：请写 internal（内部版）或 public（公开版）",
                           f"edition={edition!r} is not valid: give internal or public"))


def check_bulletin_year(ledger: Ledger, req: Request) -> None:
    """`UsageError` (exit 2) when the period is outside the ledger's year: a workflow's
    `--month "$(date +%Y-%m)"` on last year's ledger would print every task red."""
    check_request(req.kind, req.period, req.lang, req.edition)
    year = ledger.config.year
    if year and int(req.period[:4]) != year:
        raise UsageError(L(
            f"{req.period} 不在台账年度 {year} 内（台账只记一年）：请指定 {year} 年的期间，"
            "或加 --allow-other-year",
            f"{req.period} is outside the ledger's year {year} (a ledger is one year): "
            f"give a period of {year}, or add --allow-other-year"))


def _recorded(ledger: Ledger, period: str) -> bool:
    """Whether the ledger holds any record a ranking of `period` (a month or a
    quarter) reads: the period's own, or — a quarter of a scheme with monthly
    components (SPEC §10) — one of its months'.  A bulletin of a period with none has
    no ranking and says nothing (SPEC §7: the data is not there yet); one with some is
    ranked as `score` ranks it, or says why not.  A scheme scored only monthly never
    has a 2024-Q2 record: its quarter is the mean of its months, and the quarterly
    bulletin left the ranking out without a word."""
    if ledger.record(period) is not None:
        return True
    from .core.periods import is_month, quarter_records

    scheme = ledger.scheme
    if is_month(period) or scheme is None:
        return False
    held = {r.period for r in ledger.records}
    # any record the quarter's ranking reads — not all: the ranking then says which is missing
    return bool(quarter_records({c.cadence for c in scheme.leaves()}, held, period).present)


def bulletin_ranks(ledger: Ledger, req: Request) -> bool:
    """Whether the bulletin `req` scores its period (and then ranks it, or says in its
    notes why it cannot): the ledger has a scheme, the period is a quarter, a month
    the scheme assesses monthly, or the year, and a record the ranking reads is there."""
    if ledger.scheme is None or req.kind not in ("quarter", "year", "month"):
        return False
    year = req.period[:4]
    if req.kind in ("quarter", "month") and not _recorded(ledger, req.period):
        return False
    if req.kind == "month" and not any(c.cadence == "monthly"
                                       for c in ledger.scheme.leaves()):
        return False  # a month the scheme does not rank: the bulletin as ever
    return req.kind != "year" or any(r.period.startswith(year) for r in ledger.records)


def _bulletin_scores(ledger: Ledger, req: Request, notes: list[L] | None) -> ScoreResult | None:
    """The ranking a bulletin prints: the quarter's, the year's for an annual one, or
    the month's when the scheme assesses monthly (SPEC §10 cadence: monthly — what
    `score --month` ranks); None (and why in `notes`) when it cannot be scored.
    `ScoringError` (exit 1) when the ranking would rest on missing scores, unless
    `req.allow_missing`."""
    if ledger.scheme is None or not bulletin_ranks(ledger, req):
        return None
    from .ops.scoring import score_period

    try:
        # a missing record's advice names the bulletin's own option, `--allow-missing`
        # (as `score --partial`): a year's missing quarters, a quarter's missing months
        ranked = req.kind in ("year", "quarter")
        scores = score_period(ledger, req.period, partial=ranked and req.allow_missing,
                              partial_option="--allow-missing" if ranked else None)
    except ScoringError as exc:
        if notes is not None:
            notes.append(exc.label)
        return None
    gaps = [u for u in scores.units if u.missing]
    if gaps and not req.allow_missing:
        from .core.labels import counted, gap_text, scheme_names

        names = scheme_names(ledger.scheme)
        zh = "；".join(f"{u.name or u.unit}缺{'、'.join(gap_text(m, names, 'zh') for m in u.missing)}"
                      for u in gaps)
        en = "; ".join(f"{u.name or u.unit} lacks "
                       f"{', '.join(gap_text(m, names, 'en') for m in u.missing)}" for u in gaps)
        raise ScoringError(L(
            f"{len(gaps)} 个单位缺少评分，排名不可靠：{zh}。请补齐评分，或加 --allow-missing"
            "（通报将注明）",
            f"{counted(len(gaps), 'unit')} {'has' if len(gaps) == 1 else 'have'} missing "
            f"scores, so the ranking is not reliable: {en}. "
            "Record the scores, or add --allow-missing (the bulletin says so)"))
    return scores


@_own_decimals
def bulletin_context(ledger: Ledger, req: Request, *, notes: list[L] | None = None
                     ) -> dict[str, object]:
    """The bulletin's template context (see `report.bulletin.build_context`), with the
    comparison with the previous period computed from the ledger itself as of that
    period's end."""
    check_request(req.kind, req.period, req.lang, req.edition)
    if req.unit is not None and req.unit not in ledger.units:
        raise UsageError(L(f"--unit {req.unit}：台账中没有这个单位（见 units.yaml）",
                           f"--unit {req.unit}: no such unit in the ledger (see units.yaml)"))
    with paused():
        return _bulletin_context(ledger, req, notes)


def _bulletin_context(ledger: Ledger, req: Request, notes: list[L] | None
                      ) -> dict[str, object]:
    from .report.bulletin import build_context
    from .report.bulletin.context import (
        bulletin_status,
        comparison,
        period_span,
        previous_period,
    )

    prev = previous_period(req.kind, req.period)
    totals_before = None
    if prev is not None:  # judged on the other core meanwhile, on a large ledger
        from .fast.background import in_background

        day = min(period_span(req.kind, prev)[1], req.as_of)
        totals_before = in_background(lambda: _totals_at(ledger, day, req.unit),
                                      fork=len(ledger.tasks) >= BACKGROUND_MIN_TASKS)
    try:
        doc = bulletin_status(ledger, req.as_of, req.unit)
        scores = _bulletin_scores(ledger, req, notes)
        context = build_context(ledger, req, doc, scores)
    finally:
        before = totals_before() if totals_before is not None else None
    if prev is not None and before is not None:
        prev_scores = None
        if scores is not None and req.kind in ("quarter", "month") and _recorded(ledger, prev):
            from .ops.scoring import score_period

            try:
                prev_scores = score_period(ledger, prev)
            except ScoringError:
                prev_scores = None
        context["comparison"] = comparison(req, doc, before, scores, prev_scores)
    return context


#: a bulletin of at least this many tasks judges the previous period's tasks on the
#: other core (`fast.background`): below, forking costs more than it saves
BACKGROUND_MIN_TASKS = 5000


def _totals_at(ledger: Ledger, as_of: date, unit: str | None) -> Rollup:
    """The totals of `status(ledger, as_of, unit=unit)` and nothing else: the
    comparison with the previous period reads only those, and the roll-ups by
    category, unit and leader of a second full report cost as much again as the
    tasks' states (a test holds the two equal)."""
    from .ops.progress import involves, rollup, task_state

    config = ledger.config
    tasks = ledger.tasks if unit is None else [t for t in ledger.tasks if involves(t, unit)]
    return rollup("", config.title, [(t, task_state(t, as_of, config)) for t in tasks])


@_own_decimals
def bulletin(ledger: Ledger, req: Request, fmt: str = "md", *, template: Path | None = None,
             own: Path | None = None, shown: Callable[[str], str] | None = None,
             notes: list[L] | None = None) -> str:
    """The bulletin's text (md or html).  Templates are looked up in `template`'s
    directory (and `template` is the one used), then `own` (a ledger's templates/),
    then the built-in ones.  A quarter that cannot be scored has no ranking section:
    why is appended to `notes`.  `TemplateProblem` when a template cannot be read or
    rendered, or passes its bounds: its output and its CPU time, in any thread
    (the ticks of `report.bulletin.templates._environment`)."""
    from .report.bulletin import builtin_templates, render, template_name

    context = bulletin_context(ledger, req, notes=notes)
    search: list[Path] = []
    if template is not None:
        search.append(template.resolve().parent)
        name = template.name
    else:
        name = template_name(fmt, req.lang)
    if own is not None and own.is_dir():
        search.append(own)
    search.append(builtin_templates())
    with paused():
        return render(context, fmt, search=search, name=name, shown=shown,
                      tasks=len(ledger.tasks))


@_own_decimals
def bulletin_document(ledger: Ledger, req: Request, fmt: str = "md", *,
                      template: Path | None = None, rev: str | None = None,
                      notes: list[L] | None = None,
                      remarks: list[L] | None = None) -> bytes:
    """The bulletin as the bytes of a file: md, html, docx or pdf (the html printed by
    headless Chromium).  The ledger's templates/ are used as committed at `rev` when
    given (a bulletin reproduced from the tag that closed a quarter uses that
    quarter's templates); a templates/ linking out of the ledger is refused.
    `notes`: why the ranking section is left out; `remarks`: what else the user
    should know of the document (characters the PDF prints as boxes).  The templates'
    bounds are `bulletin`'s."""
    import tempfile

    from .report.bulletin.templates import (
        misnamed_templates,
        refuse_links_out,
        stage_templates,
        template_shower,
    )

    if fmt == "docx":
        from .report.bulletin.docx import render_docx

        return render_docx(bulletin_context(ledger, req, notes=notes))
    with tempfile.TemporaryDirectory(prefix="luoshi-templates-") as tmp:
        own = ledger.root / "templates"
        committed = None
        if rev is None:
            refuse_links_out(ledger.root)
        else:
            own = Path(tmp)
            stage_templates(ledger.root, rev, own)
            committed = (own, f"@{rev}")
        text = bulletin(ledger, req, "html" if fmt == "pdf" else fmt, template=template,
                        own=own, shown=template_shower(ledger.root, committed), notes=notes)
        if remarks is not None:  # a bulletin template under a name luoshi does not use
            remarks.extend(misnamed_templates(own, tail=f"@{rev}" if rev is not None else ""))
    if fmt == "pdf":
        from .report.bulletin.glyphs import boxes_note
        from .report.bulletin.pdf import html_to_pdf

        boxes = boxes_note(text)
        if boxes is not None and remarks is not None:
            remarks.append(boxes)
        return html_to_pdf(text, dated=req.signed or req.as_of)
    return text.encode("utf-8")


@_own_decimals
def export(ledger: Ledger, as_of: date, lang: str = "zh", *, partial: bool = False
           ) -> tuple[bytes, Export]:
    """The ledger as an Excel workbook (任务台账, 任务明细, 汇总, a 得分 sheet per scored
    period): the .xlsx bytes — same ledger and as-of, same bytes — and what was built
    (sheet names, `notes` on periods that could not be scored, on cut cells and on the
    task fields the workbook has no column for).
    `lang`: "zh" or "en" (`UsageError` otherwise)."""
    from .excel.export import build, to_bytes

    if lang not in LANGS:
        raise UsageError(L(f"lang={lang!r} 无效：请写 zh 或 en",
                           f"lang={lang!r} is not valid: give zh or en"))
    result = build(ledger, as_of, lang, partial=partial)
    return to_bytes(result.workbook, as_of), result


#: what the later side of a diff is called when it is the working tree
WORKTREE = L("工作区", "working tree")


@dataclass(frozen=True)
class Diff:
    """A `LedgerDiff` and where its sides came from (commits: None for the working
    tree or a revision without the ledger); `language` is the later ledger's."""

    diff: LedgerDiff
    before_commit: str | None
    after_commit: str | None
    language: str


def unloadable(v: Validation) -> list[str]:
    """Files of one side that did not load: files that could not be read or parsed
    (a name refused unread — not UTF-8, a control character — included), and files
    with a task whose required keys could not be read — its id among them (`id: 41`,
    `Ledger.unnamed`).  Their tasks are
    absent from that side's ledger, and a diff would show them as deleted (or, at the
    base, as added): a syntax error is not a decision to delete a file's tasks.
    So are the files holding a task id written twice (LS108): which copy a diff
    compares could not be told, and the other would never be mentioned."""
    led = v.loaded.ledger
    bad = {rel for rel, src in v.loaded.sources.items() if not src.ok}
    bad.update(t.src.file for t in (*led.incomplete, *led.unnamed))
    tasks = led.checkable_tasks()
    twice = {i for i, n in Counter(t.id for t in tasks).items() if n > 1}
    bad.update(t.src.file for t in tasks if t.id in twice)
    return sorted(bad)


class SideDoesNotLoad(LuoshiError):
    """A side of a diff does not load (exit 1): a diff computed from it would report
    phantom deletions, or nothing.  `broken` holds, per side, its label, the files
    and their error findings, for the command to print."""

    code = EXIT_FINDINGS

    def __init__(self, broken: list[tuple[str, list[str], list[Finding]]],
                 language: str) -> None:
        from .load.gitsrc import capped

        parts = []
        for side, files, errors in broken:
            sep = "" if side == WORKTREE.zh else " "  # 工作区的台账, HEAD 的台账
            if errors and all(capped(f) for f in errors):
                # the revision is not at fault: the working tree's limit is (LS003 says so)
                parts.append(L(f"{side}{sep}的台账有文件超过工作区 luoshi.yaml 的 max_file_mb，"
                               f"未读取（{', '.join(files)}）",
                               f"the ledger at {side} has files over the working tree's "
                               f"max_file_mb, not read ({', '.join(files)})"))
                continue
            parts.append(L(f"{side}{sep}的台账无法完整读取（{', '.join(files)}）",
                           f"the ledger at {side} does not load ({', '.join(files)})"))
        super().__init__(L("；".join(b.zh for b in parts) + "：请先修正，否则其中的任务会显示为被删除",
                           "; ".join(b.en for b in parts) + ": fix that first, or its tasks "
                           "would show as deleted"))
        self.broken = broken
        self.language = language


@_own_decimals
def diff(root: Path | str | None, rev1: str, rev2: str | None = None, *, as_of: date | None,
         today: date, lang: str | None = None, shown1: str | None = None) -> Diff:
    """What changed between the ledger at git revision `rev1` and at `rev2` (default:
    the working tree), both judged at `as_of` (None: `default_day` of the later side's
    ledger, the working tree's by default).  A side whose ledger has errors (judged
    at the later of as-of and today, like the gate) is compared but not scored; a
    revision where the ledger did not exist yet compares as empty.  `shown1`: the name
    `rev1` is shown by (`A...B`: the merge base's full id is read, its 12 digits shown —
    read by the abbreviation, a tag named like it would be read instead)."""
    from .load.assemble import find_root
    from .load.gitsrc import open_followed, open_git
    from .ops.history import diff_ledgers
    from .ops.scoring import score_period
    from .ops.validate import validate as run

    gate_day = max(as_of, today) if as_of is not None else today
    # the last day an approval may be dated, as `validate` reads it (LS504)
    latest = as_of if as_of is not None else today
    where = Path(root) if root is not None else None
    validations: dict[int, Validation] = {}
    if rev2 is None:
        top = find_root(where)
        after = run(top, gate_day)
        after_commit = None
        label = WORKTREE.en if (lang or after.language) == "en" else WORKTREE.zh
    else:
        src2 = open_git(where, rev2)
        top = src2.root
        after = run(None, gate_day, src2)
        after_commit, label = src2.commit, rev2
    validations[id(after.loaded.ledger)] = after
    if as_of is None:
        as_of = default_day(after.loaded.ledger, today)
    before_ledger = None
    before_commit = None
    # a ledger directory moved between the sides is followed, as `validate --base` does
    src1 = open_followed(top, rev1, after_commit)
    if src1 is not None:
        before = run(None, gate_day, src1)
        validations[id(before.loaded.ledger)] = before
        before_ledger, before_commit = before.loaded.ledger, src1.commit

    name1 = shown1 or rev1
    sides = [(name1, before)] if before_ledger is not None else []
    broken = [(side, files, [f for f in v.findings
                             if f.file in files and f.severity == "error"])
              for side, v in [*sides, (label, after)] if (files := unloadable(v))]
    if broken:
        raise SideDoesNotLoad(broken, after.language)

    def refuse(ledger: Ledger) -> L | None:
        from .core.labels import counted

        v = validations.get(id(ledger))
        if v is not None and v.errors:
            return L(f"该版本的台账有 {v.errors} 个错误，未计分（luoshi validate 查看）",
                     f"not scored: that version of the ledger has {counted(v.errors, 'error')} "
                     f"(see luoshi validate)")
        return None

    result = diff_ledgers(before_ledger, after.loaded.ledger, as_of, before_label=name1,
                          after_label=label, scorer=score_period, refuse=refuse,
                          latest=latest)
    return Diff(result, before_commit, after_commit, after.language)
