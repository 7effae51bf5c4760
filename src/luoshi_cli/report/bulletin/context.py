"""The bulletin's template context, built from the ledger (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...core.assessment import not_assessed
from ...core.codes import L
from ...core.errors import UsageError
from ...core.labels import (
    AS_OF_DAY,
    LEVELS_SHOWN,
    PUBLIC_NOTE,
    RANKING_TALK,
    RECTIFICATION_SOURCE,
    cn_quotes,
    gap_text,
    late_by,
    overdue_by,
    quoted,
    scheme_names,
    unit_suffix,
)
from ...core.model import (
    FINISHED,
    STATUSES,
    Interview,
    Ledger,
    RecordFlag,
    Rectification,
    Rule,
    Scheme,
    Task,
)
from ...core.periods import bounds, inside, is_month, month_end
from ...core.safetext import printable
from ...core.targets import achieved, latest_actual
from ...core.yearend import after_its_ranking, followed_rankings, ranking_talks
from ...load.parse import doc_no_slip
from ...ops.progress import (
    Rollup,
    StatusReport,
    TaskRow,
    TaskState,
    YellowReason,
    involves,
    rollup,
    tag_name,
    task_state,
)
from ...ops.supervision import has_supervision, open_rectifications, rectification_state
from ..charts import ProgressBar, ScoreBar, progress_chart, ranking_chart
from ..rulewords import rule_causes as _causes
from .words import (
    LIGHT_LABELS,
    STATUS_LABELS,
    _dec,
    bulletin_title,
    cn_number,
    fmt_date,
    fmt_num,
    fmt_places,
    fmt_written,
    period_label,
)

if TYPE_CHECKING:
    from ...ops.scoring import QuotaNote, ScoreResult, UnitScore

@dataclass(frozen=True, slots=True)
class Request:
    """What to render: `kind` is "month" (period "2024-05"), "quarter" ("2021-Q2"),
    "half" ("2024-H1") or "year" ("2024").

    `unit`: one unit's notice (一单位一通报) instead of the whole bulletin.  `doc_no`,
    `issue` and `signed` are the document's 文号, 期 and 成文日期 (default: the
    scheme in luoshi.yaml, none, the data cut-off).  `allow_missing`: rank although
    scores are missing (the document then says so)."""

    kind: str
    period: str
    as_of: date
    lang: str = "zh"
    edition: str = "internal"
    unit: str | None = None
    doc_no: str | None = None
    issue: int | None = None
    signed: date | None = None
    allow_missing: bool = False

    def span(self) -> tuple[date, date]:
        return period_span(self.kind, self.period)


def period_span(kind: str, period: str) -> tuple[date, date]:
    """First and last day of a month, quarter, half year (2024-H1) or year."""
    if kind == "month":
        first = date(int(period[:4]), int(period[5:7]), 1)
        return first, month_end(period)
    if kind == "half":
        year = int(period[:4])
        return ((date(year, 1, 1), date(year, 6, 30)) if period.endswith("H1")
                else (date(year, 7, 1), date(year, 12, 31)))
    return bounds(period)


def previous_period(kind: str, period: str) -> str | None:
    """The period a bulletin compares with (较上月/较上季度/较上半年), inside the same
    year: a ledger is one year (January and Q1 have nothing before them)."""
    year = int(period[:4])
    if kind == "month":
        m = int(period[5:7])
        return f"{year}-{m - 1:02d}" if m > 1 else None
    if kind == "quarter":
        q = int(period[-1])
        return f"{year}-Q{q - 1}" if q > 1 else None
    if kind == "half":
        return f"{year}-H1" if period.endswith("H2") else None
    return None


def default_as_of(kind: str, period: str) -> date:
    """A bulletin speaks of its period's end: the month's, quarter's, half's or year's."""
    return period_span(kind, period)[1]


def doc_number(scheme: str | None, given: str | None, year: int, issue: int | None
               ) -> str | None:
    """The 文号: `--doc-no` as given, else luoshi.yaml's `doc_no` with `{year}` and
    `{n}` (the issue) filled in.  `year` is the year of issue (the 成文日期's year, not
    the ledger's: the 2024 ledger's annual bulletin issued in January 2025 is 〔2025〕).
    A scheme that numbers issues but no `--issue`: no 文号 rather than one every issue
    would share.  A 文号 to be printed with a brace luoshi does not fill in (LS120:
    `{N}`, `{yaer}`, a lone `{`), from doc_no or from --doc-no, is refused (exit 2)
    rather than printed as written."""
    if given:
        _refuse_slip(given, L("--doc-no", "--doc-no"))
        return given
    if not scheme:
        return None
    if "{n}" in scheme and issue is None:
        return None
    _refuse_slip(scheme, L("luoshi.yaml 的 doc_no", "luoshi.yaml's doc_no"))
    return scheme.replace("{year}", str(year)).replace("{n}", str(issue or ""))


def _refuse_slip(doc_no: str, where: L) -> None:
    slip = doc_no_slip(doc_no)
    if slip is None:
        return
    text, bad = printable(doc_no), printable(slip)
    raise UsageError(L(
        f"文号 {text} 中的 {bad} 不是 luoshi 认识的占位符，会原样印在通报上：请改正 {where.zh}"
        "（只有 {year} 和 {n} 会被替换，须用半角花括号、小写）",
        f"{bad} in the document number {text} is no placeholder luoshi knows and would be "
        f"printed as written: correct {where.en} (only {{year}} and {{n}} are filled in, "
        "with ASCII braces, in lower case)"))


def _names(ids: Iterable[str], table: Mapping[str, Any]) -> list[str]:
    return [table[i].name if i in table else i for i in ids]


def _join(items: Sequence[str], lang: str) -> str:
    return (", " if lang == "en" else "、").join(items)


@dataclass(frozen=True)
class BulletinStatus:
    """What a bulletin reads of a status report — every task's state, the totals
    and the roll-ups by category and by list (tags) — and nothing else: the
    roll-ups by lead unit, leader, group and involved unit a `StatusReport` also
    makes are a third of its time and no bulletin prints them.  Each field is what
    `status_report` gives for it (a test holds them equal)."""

    tasks: tuple[TaskRow, ...]
    totals: Rollup
    by_category: tuple[Rollup, ...]
    by_tag: tuple[Rollup, ...]


def bulletin_status(ledger: Ledger, as_of: date, unit: str | None = None) -> BulletinStatus:
    """The tasks (sorted by id; with `unit`, those it leads or shares) judged at
    `as_of`, their totals and their roll-ups by category and by list, in the
    office's order — as `ops.progress.status_report` makes them."""
    config = ledger.config
    tasks = sorted(ledger.tasks, key=lambda t: t.id)
    if unit is not None:
        tasks = [t for t in tasks if involves(t, unit)]
    rows = tuple((t, task_state(t, as_of, config)) for t in tasks)
    names = {c.id: c.name for c in config.categories}
    by_category = _grouped(rows, lambda t: (t.category,), lambda c: names.get(c, c),
                           list(names))
    by_tag = (_grouped(rows, lambda t: t.tags, tag_name(ledger), [g.id for g in config.tags])
              if config.tags else ())
    return BulletinStatus(rows, rollup("", config.title, rows), by_category, by_tag)


def _grouped(rows: Sequence[TaskRow], keys: Callable[[Task], Sequence[str]],
             name: Callable[[str], str], order: Sequence[str]) -> tuple[Rollup, ...]:
    """Roll-ups of `rows` by each of their keys (a key once per task), in `order`,
    keys not in it after, by id: `status_report`'s grouping."""
    groups: dict[str, list[TaskRow]] = {}
    for row in rows:
        for key in dict.fromkeys(keys(row[0])):
            groups.setdefault(key, []).append(row)
    rank = {k: i for i, k in enumerate(dict.fromkeys(order))}
    ordered = sorted(groups, key=lambda k: (rank.get(k, len(rank)), k))
    return tuple(rollup(k, name(k), groups[k]) for k in ordered)


def build_context(ledger: Ledger, req: Request, status: StatusReport | BulletinStatus,
                  scores: ScoreResult | None = None) -> dict[str, Any]:
    """Everything a bulletin template may print, as plain values.

    `ledger` should already be `as_of_view(...)`; `status` is the typed status report
    (`ops.progress.status_report`) for `req.as_of` (and `req.unit`): lights, overdue
    days and yellow reasons are read from it, never re-derived; `scores` the period's `ScoreResult`
    (its published figures, as computed: nothing is parsed back), or None when the
    ledger has no scheme or no record for it.  Keys are always present (None or empty when the ledger
    lacks the data), so templates test `{% if scores %}` rather than guess.
    """
    lang = req.lang
    cfg = ledger.config
    label = period_label(req.kind, req.period, lang)
    public = req.edition == "public"
    states = {t.id: st for t, st in status.tasks}
    # one unit's notice: the status report holds its tasks, and only those are rows
    rows = _task_rows(ledger, states, req, only_reported=req.unit is not None)
    categories = _categories(ledger, status, rows, lang)
    if req.unit is not None:
        # a unit's notice (一单位一通报) is about its tasks: a category it has none in
        # would be a row of zeros and dashes
        categories = [c for c in categories if c["tasks"]]
    red, yellow = _lights(ledger, rows, req)
    ctx: dict[str, Any] = {
        "lang": lang,
        "edition": req.edition,
        "public": public,
        "kind": req.kind,
        "period": req.period,
        "period_label": label,
        "as_of": fmt_date(req.as_of, lang),
        "as_of_iso": req.as_of.isoformat(),
        "issuer": cfg.issuer,
        # numbered in the year it is issued (the 成文日期 below), not the ledger's year
        "doc_no": doc_number(cfg.doc_no, req.doc_no, (req.signed or req.as_of).year,
                             req.issue),
        "issue": req.issue,
        "issue_label": (None if req.issue is None else
                        f"第{req.issue}期" if lang == "zh" else f"No. {req.issue}"),
        "signed": fmt_date(req.signed or req.as_of, lang),
        # the 附注 under the date of the public edition: （此件公开发布）
        "public_note": (PUBLIC_NOTE.zh if lang == "zh" else PUBLIC_NOTE.en) if public else None,
        "cc": cfg.cc,
        "printed_by": cfg.printed_by,
        "ledger_title": cfg.title,
        "title": (bulletin_title(cfg.title, cfg.year, label, lang) if req.unit is None
                  else unit_title(_unit_name(ledger, req.unit), label, lang)),
        "unit": None if req.unit is None else {"id": req.unit,
                                               "name": _unit_name(ledger, req.unit)},
        "year": cfg.year,
        "overview": {**_overview(status.totals, lang),
                     # 0 tasks and still an overview saying so: a unit's notice of a
                     # unit without tasks, a ledger of neither tasks nor scheme (LS020)
                     # — a scoring ledger without tasks leaves it out (SPEC §7)
                     "zero": not status.totals.tasks and (
                         (req.unit is not None and bool(ledger.tasks))
                         or ledger.scheme is None)},
        "categories": categories,
        "red": red,
        "yellow": yellow,
        "stale": _stale(rows, req),
        "flags": _flags(ledger, rows, req),
        "scores": _scores(ledger, scores, req) if scores is not None else None,
        "deductions": _deductions(ledger, req),
        "bonuses": _bonuses(ledger, req, scores),
        "missing_scores": _missing(ledger, scores, req) if scores is not None else [],
        "problems": _problems(ledger, rows, req),
        "comparison": None,
    }
    ctx["supervision"] = _supervision(ledger, req)
    ctx["tags"] = _tags(ledger, status, req)
    ctx["todo"] = [] if req.unit is None else _todo(ledger, rows, ctx, req)
    if req.unit is not None:
        _only_unit(ctx, req.unit)
    ctx["charts"] = _charts(ctx, lang)
    return ctx


def _unit_name(ledger: Ledger, unit: str) -> str:
    return ledger.units[unit].name if unit in ledger.units else unit


def unit_title(name: str, label: str, lang: str) -> str:
    """关于区财政局2021年第二季度重点任务落实情况的通报 (一单位一通报)."""
    if lang == "en":
        return f"Notice to {name}: key tasks, {label}"
    return f"关于{cn_quotes(name)}{label}重点任务落实情况的通报"


def _supervision(ledger: Ledger, req: Request) -> dict[str, Any] | None:
    """督办情况 (SPEC §12): the interviews held in the period counted by kind, the
    talks held after it that follow its ranking (`followups`), and the
    rectifications open at its end or closed in it, and those opened after it over its
    ranking (`core.yearend.followed_rankings`: after a talk of the unit held after the
    period naming its ranking, or the year's `source: ranking` ones) by the as-of,
    each with its state on the as-of (the document's date).  None when the ledger
    keeps no supervision file (the bulletin leaves the part out)."""
    if not has_supervision(ledger):
        return None
    zh = req.lang == "zh"
    first, end = req.span()
    last = min(end, req.as_of)
    unit = req.unit

    held = [i for i in ledger.interviews if first <= i.date <= last
            and (unit is None or i.unit == unit)]
    # the talks after the period that follow its ranking (`period:`, a luoshi
    # extension of SPEC §12): the Q4's and the year's talks are held in January, so
    # the bulletin of the period they follow says so, once its as-of reaches them.
    # Dated after the period's end, never counted in `held` as well; a `period`
    # inside the bulletin's (a year's bulletin takes its quarters' and months' talks
    # too: "this period's rankings"; a month's bulletin not its quarter's)
    # A talk after the ledger's year counts only in the three months the year's
    # rankings are followed up in (`core.yearend`, as LS706 judges it): one of April was
    # counted while LS706 called it a slip
    year = ledger.config.year
    after = [i for i in ledger.interviews
             if i.period is not None and end < i.date <= req.as_of
             and inside(i.period, first, end) and (unit is None or i.unit == unit)
             and (not year or i.date.year <= year or after_its_ranking(i, year))]
    label = period_label(req.kind, req.period, req.lang)
    by_kind, units = _talks(held, ledger, req.lang)
    if zh:
        sentence = (f"{label}共约谈{len(held)}次"
                    + (f"（{by_kind}）" if by_kind else "") + (f"，涉及{units}" if units else "")
                    + "。")
    else:
        sentence = (f"{len(held)} interview{'s' if len(held) != 1 else ''} held in {label}"
                    + (f" ({by_kind})" if by_kind else "") + (f": {units}" if units else "")
                    + ".")
    followup = ""
    if after:
        by_kind, units = _talks(after, ledger, req.lang)
        if zh:
            followup = f"针对本期考核排名，此后约谈{len(after)}次（{by_kind}），涉及{units}。"
        else:
            # a year's talks may follow two rankings (Q4's and the year's)
            rankings = "rankings" if len({i.period for i in after}) > 1 else "ranking"
            followup = (f"{len(after)} interview{'s' if len(after) != 1 else ''} held after "
                        f"{label}, following its {rankings} ({by_kind}): {units}.")
    titles = {t.id: t.title for t in ledger.tasks}
    talks = ranking_talks(ledger.interviews, year) if year else {}
    rows = []
    for rc in sorted(ledger.rectifications, key=lambda r: (r.due, r.id)):
        if unit is not None and rc.unit != unit:
            continue
        # the period's rows: open at its end (by the as-of, when that comes first) or
        # closed in it; and those ordered after the period over its ranking, once the
        # as-of reaches them: opened after a talk of its unit held after the period
        # that names its ranking — the talks the follow-up sentence counts (a Q2
        # bulletin counted 住建局's July talk over Q2's ranking and left out the
        # rectification it ordered) — or the year's (`core.yearend`).  Listed once,
        # whichever way it comes in
        if rectification_state(rc, last) is None and not (
                end < rc.opened <= req.as_of
                and any(inside(p, first, end)
                        for p in followed_rankings(rc, talks, year, after=end))):
            continue
        # each judged on the as-of, by the rules of the status report, `supervise`
        # and the export's 整改台账, as the rest of the document is: a Q1 bulletin made
        # with --as-of 2024-06-15 said 整改中 of a rectification its own 需落实事项
        # called 15 days overdue (judged at the period's end), and beside it a row
        # ordered after the period said how it stood in June
        day = req.as_of
        judged = rectification_state(rc, day)
        if judged is None:  # (opened by `last`, which is not after the as-of)
            continue
        if judged in ("closed", "closed_late"):
            assert rc.closed is not None and rc.closed.date is not None  # (closed)
            closed = rc.closed.date
            if closed < first:
                continue
            state = (f"已于{fmt_date(closed, req.lang)}销号" if zh
                     else f"closed {fmt_date(closed, req.lang)}")
            if judged == "closed_late":  # what `rectifications_closed_late` counts
                late = late_by((closed - rc.due).days, req.lang)
                state += f"（{late}）" if zh else f" ({late})"
        elif judged == "overdue":
            state = overdue_by((day - rc.due).days, req.lang)
        else:
            state = "整改中" if zh else "open"
        what = rectified_what(rc, titles, req.lang)
        rows.append({"unit": _unit_name(ledger, rc.unit), "what": what or "—",
                     "opened": fmt_date(rc.opened, req.lang),
                     "due": fmt_date(rc.due, req.lang), "state": state,
                     # as written, for a ledger's own template (the built-in ones
                     # print the table the office's bulletin has)
                     "id": rc.id, "reason": rc.reason or "", "note": rc.note or ""})
    return {"interviews": len(held), "sentence": sentence,
            "followups": len(after), "followup_sentence": followup, "rectifications": rows}


def _talks(talks: Sequence[Interview], ledger: Ledger, lang: str) -> tuple[str, str]:
    """The talks counted by kind (约谈提醒2次、警示约谈1次 / 约谈提醒: 2, …; a talk
    without `kind` is 约谈) and the units talked to, named by the date of their first
    talk (units.yaml's order within a day), not by where the lines stand in the files:
    one reading for the talks held in the period and for those held after it."""
    zh = lang == "zh"
    kinds: dict[str, int] = {}
    for i in talks:
        k = i.kind or ("约谈" if zh else "interview")
        kinds[k] = kinds.get(k, 0) + 1
    by_kind = _join([f"{k}{n}次" if zh else f"{k}: {n}" for k, n in sorted(kinds.items())],
                    lang)
    rank = {u: n for n, u in enumerate(ledger.units)}
    talked = sorted(talks, key=lambda i: (i.date, rank.get(i.unit, len(rank)), i.unit))
    units = _join(list(dict.fromkeys(_unit_name(ledger, i.unit) for i in talked)), lang)
    return by_kind, units


def rectified_what(rc: Rectification, titles: Mapping[str, str], lang: str) -> str:
    """What a rectification is about, in words: the titles of the tasks it names, else
    its source (red_light → 红灯任务), else "" — a missing `source:` leaves the tasks
    named all the same.  The bulletin's 督办情况, a unit's notice and the 督办单
    (`report.supervise`) name a rectification by it."""
    if rc.tasks:  # a task named twice (LS708) printed once
        return _join([quoted(titles.get(i, i)) for i in dict.fromkeys(rc.tasks)], lang)
    # a rectification naming no task: its source in words (SPEC §12)
    source = RECTIFICATION_SOURCE.get(rc.source or "")
    if source is not None:
        return source.zh if lang == "zh" else source.en
    return ""


def _todo(ledger: Ledger, rows: list[Row], ctx: Mapping[str, Any],
          req: Request) -> list[str]:
    """A unit's notice (一单位一通报): what it must do, one sentence each — its red and
    yellow tasks with the next milestone due, its rectifications open on the as-of
    date with their deadlines (SPEC §12), and its missing monthly reports.  Names,
    never ids: the sentences are read by the unit, not by the ledger's keeper."""
    zh = req.lang == "zh"
    day = req.as_of
    tasks = {r["id"]: t for t, r in rows}
    out: list[str] = []
    for light, items in (("red", ctx["red"]), ("yellow", ctx["yellow"])):
        for it in items:
            t: Task = tasks[it["id"]]
            pending = sorted((m for m in t.milestones if m.done is None or m.done > day),
                             key=lambda m: m.due)
            word = LIGHT_LABELS[req.lang][light]
            if not pending:
                out.append(f"{quoted(t.title)}（{word}）：加快推进，确保按期完成。" if zh
                           else f"{quoted(t.title)} ({word}): speed it up to finish on time.")
                continue
            m = pending[0]
            late = (day - m.due).days
            if zh:
                when = (f"{overdue_by(late, 'zh')}，须立即完成" if late > 0
                        else f"须于{fmt_date(m.due, 'zh')}前完成")
                out.append(f"{quoted(t.title)}（{word}）：节点{quoted(m.standard)}{when}。")
            else:
                when = (f"{overdue_by(late, 'en')}: finish it now" if late > 0
                        else f"due {fmt_date(m.due, 'en')}")
                out.append(f"{quoted(t.title)} ({word}): milestone {quoted(m.standard)} {when}.")
    titles = {t.id: t.title for t in ledger.tasks}
    for rc in open_rectifications(ledger, day, req.unit or ""):
        what = rectified_what(rc, titles, req.lang)
        late = (day - rc.due).days
        if zh:
            when = (f"{overdue_by(late, 'zh')}，须立即" if late > 0
                    else f"须于{fmt_date(rc.due, 'zh')}前")
            out.append(f"整改事项（{what}）：{when}整改到位并书面报告。" if what
                       else f"整改事项：{when}整改到位并书面报告。")
        else:
            when = overdue_by(late, "en") if late > 0 else f"due {fmt_date(rc.due, 'en')}"
            out.append(f"Rectification ({what}): {when}; report in writing." if what
                       else f"Rectification: {when}; report in writing.")
    for s in ctx["stale"]:
        out.append(f"{quoted(s['title'])}：{s['expected_month']}月报未报送，请及时补报。" if zh
                   else f"{quoted(s['title'])}: the report for {s['expected_month']} is missing; "
                        "send it now.")
    return out


def _only_unit(ctx: dict[str, Any], unit: str) -> None:
    """A unit's notice shows its own score, rank and deductions, not the others'."""
    scores = ctx["scores"]
    if scores is not None:
        if scores["ranking"] is not None:
            scores["ranking"] = [r for r in scores["ranking"] if r["unit"] == unit]
        scores["_bars"] = [b for b in scores["_bars"]
                           if any(r["name"] == b.label for r in scores["ranking"] or [])]
        mine = [n for n, u in zip(scores["unranked"], scores["_unranked_ids"], strict=True)
                if u == unit]
        scores["unranked"] = mine
        scores["unranked_sentence"] = unranked_sentence(mine, ctx["period_label"], ctx["lang"],
                                                        own=True)
    # its deductions: `_deductions` read the unit's alone (count and total too)
    if scores is not None:
        for blk in scores["blocks"]:
            if blk["ranking"] is not None:
                blk["ranking"] = [r for r in blk["ranking"] if r["unit"] == unit]
        scores["blocks"] = [b for b in scores["blocks"] if b["ranking"] or not b["name"]]


def _missing(ledger: Ledger, scores: ScoreResult, req: Request) -> list[str]:
    """The gaps a ranking rests on (the document says so when ranked anyway)."""
    scheme = ledger.scheme
    names = scheme_names(scheme) if scheme else {}
    out = []
    for u in sorted(scores.units, key=lambda u: u.unit):
        if u.missing:
            gaps = _join([gap_text(m, names, req.lang) for m in u.missing], req.lang)
            out.append(f"{u.name or u.unit}（{gaps}）" if req.lang == "zh"
                       else f"{u.name or u.unit} ({gaps})")
    return out


def _problems(ledger: Ledger, rows: list[Row], req: Request
              ) -> list[dict[str, Any]]:
    """存在问题: what the units reported as problems in their updates up to the
    as-of month, the latest report of each task."""
    month = f"{req.as_of.year:04d}-{req.as_of.month:02d}"
    out = []
    for t, r in rows:
        latest = [u for u in t.updates if u.month <= month]
        if not latest:
            continue
        found = latest[-1].problems  # 存在问题: one text, as the unit reported it
        if not found:
            continue
        out.append({"id": t.id, "title": t.title, "lead": r["lead"],
                    "month": period_label("month", latest[-1].month, req.lang),
                    "problems": [found]})
    return [p for p in out if p["problems"]]


def _overview(totals: Rollup, lang: str) -> dict[str, Any]:
    by_status = totals.by_status
    return {
        "tasks": totals.tasks,
        "by_status": [{"key": s, "label": STATUS_LABELS[lang][s],
                       "count": int(by_status.get(s, 0))} for s in STATUSES],
        "finished": sum(int(by_status.get(s, 0)) for s in FINISHED),
        "completion_rate": fmt_num(totals.completion_rate),
        "on_time_rate": fmt_num(totals.on_time_rate),
        "red": totals.red,
        "yellow": totals.yellow,
        "green": totals.green,
    }


#: a task and its row: the row is what templates see (no `Task` in it), the task is
#: what the sections built from rows read (milestones, flags, updates)
Row = tuple[Task, dict[str, Any]]


def _task_rows(ledger: Ledger, states: Mapping[str, TaskState], req: Request, *,
               only_reported: bool = False) -> list[Row]:
    """Every task's row, in ledger order (with `only_reported`, only the tasks the
    status report holds).  Made once per task and shared by every section that
    shows it; the figures repeat (progress, expected, leaders), so each distinct one
    is formatted once."""
    lang = req.lang
    month = f"{req.as_of.year:04d}-{req.as_of.month:02d}"
    statuses = STATUS_LABELS[lang]
    lights = LIGHT_LABELS[lang]
    units = ledger.units
    numbers: dict[tuple[bool, type, Any], tuple[str, Decimal | None]] = {}
    leaders: dict[tuple[str, ...], str] = {}

    def number(value: Any, written: bool = False) -> tuple[str, Decimal | None]:
        # keyed by type and value: equal numbers of one type print alike (publish
        # quantizes, `plain` trims), and True (no number) stays apart from 1; a
        # reported progress is printed as written, the computed 序时进度 rounded
        key = (written, type(value), value)
        known = numbers.get(key)
        if known is None:
            text = fmt_written(value) if written else fmt_num(value)
            known = numbers[key] = (text, _dec(value))
        return known

    out: list[Row] = []
    for t in ledger.tasks:
        st = states.get(t.id)
        if st is None and only_reported:
            continue
        light = st.light if st is not None else None
        status = st.status if st is not None else t.status
        progress, progress_value = number(st.progress if st is not None else t.progress,
                                          written=True)
        expected, expected_value = number(st.expected if st is not None else None)
        note = ""
        for u in t.updates:
            if u.month <= month and u.note:
                note = u.note
        names = leaders.get(t.leaders)
        if names is None:
            names = leaders[t.leaders] = _join(_names(t.leaders, ledger.leaders), lang)
        out.append((t, {
            "id": t.id,
            "title": t.title,
            "category": t.category,
            "lead": units[t.lead].name if t.lead in units else t.lead,
            "leaders": names,
            "status": statuses.get(status, status),
            "status_key": status,
            "progress": progress,
            "progress_value": progress_value,
            "expected": expected,
            "expected_value": expected_value,
            "light": light,
            "light_label": lights.get(light, "—"),
            "note": note,
            "overdue": list(st.overdue) if st is not None else [],
            "reasons": list(st.yellow_reasons) if st is not None else [],
            "stale": st.stale if st is not None else None,
            "target": _target_text(t, req),
            "child": t.parent is not None,
            # the mark before its id in a category's table: set by `_family_order`
            "depth": 0,
            "branch": "",
        }))
    return out


def _target_text(t: Task, req: Request) -> str:
    """完成值/目标值 (SPEC §11) beside the progress: "完成值190个/目标值300个（63.33%）";
    "" for a task without a numeric target."""
    if t.target is None:
        return ""
    u = latest_actual(t, req.as_of)
    unit = unit_suffix(t.target.unit)
    # the figures written as written (0.0456亿元, not 0.05), the achieved rate rounded
    done = fmt_written(u.actual) + unit if u is not None and u.actual is not None else "—"
    pct = achieved(t, req.as_of)
    share = "" if pct is None else (f"（{fmt_num(pct)}%）" if req.lang == "zh"
                                    else f" ({fmt_num(pct)}%)")
    if req.lang == "zh":
        return f"完成值{done}/目标值{fmt_written(t.target.value)}{unit}{share}"
    return f"{done} of {fmt_written(t.target.value)}{unit}{share}"


#: one level of a child's mark (`branch`) beyond the first: an ideographic space,
#: which neither Markdown nor HTML collapses or trims
BRANCH_INDENT = "\u3000"


def branch(depth: int) -> str:
    """The mark before a task's id in a category's table: "" at the top, "└ " for a
    child, one `BRANCH_INDENT` more per level below (a grandchild "　└ "), so a
    grandchild no longer looks like a child; a task deeper than `LEVELS_SHOWN` is
    marked as one at that level (its `depth` stays the true one)."""
    return "" if depth <= 0 else BRANCH_INDENT * (min(depth, LEVELS_SHOWN) - 1) + "└ "


def _family_order(rows: list[Row]) -> list[Row]:
    """Children (分解, SPEC §11) right under their parent when both are in the list,
    by id; the others keep their order.  Each row's `depth` is its level under the
    top row of its family in this list, `branch` its mark: a child whose parent is
    not in the list (another category's, another unit's) stands at the top, unmarked."""
    ids = {r["id"] for _, r in rows}
    kids: dict[str, list[Row]] = {}
    for row in rows:
        parent = row[0].parent
        if parent is not None and parent in ids:
            kids.setdefault(parent, []).append(row)
    if not kids:  # no decomposed task in the list (the common case): as it is
        return rows
    out: list[Row] = []

    def put(top: Row) -> None:
        stack = [(top, 0)]  # depth first without recursion: a `parent:` chain may be deep
        while stack:
            row, depth = stack.pop()
            out.append(row if not depth else
                       (row[0], {**row[1], "depth": depth, "branch": branch(depth)}))
            stack.extend((k, depth + 1) for k in sorted(
                kids.get(row[1]["id"], []), key=lambda k: k[1]["id"], reverse=True))

    for row in rows:
        if row[0].parent not in ids:
            put(row)
    return out


def _tags(ledger: Ledger, report: StatusReport | BulletinStatus, req: Request) -> list[dict[str, Any]]:
    """任务榜/亮点牌 (SPEC §11 `tags`): each list's counts and tasks, from the typed
    status report (a task counts on each of its lists).  Empty without lists."""
    if not ledger.config.tags:
        return []
    titles = {t.id: t.title for t in ledger.tasks}
    listed: dict[str, list[str]] = {}  # one pass over the tasks, not one per list
    for t, _ in report.tasks:
        if t.id in titles:
            for tag in dict.fromkeys(t.tags):
                listed.setdefault(tag, []).append(titles[t.id])
    out = []
    for g in report.by_tag:
        if not g.tasks:
            continue
        out.append({"name": g.name, "tasks": g.tasks, "finished": g.finished,
                    "completion_rate": fmt_num(g.completion_rate),
                    "red": g.red, "yellow": g.yellow, "green": g.green,
                    "titles": _join(listed.get(g.id, []), req.lang)})
    return out


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _categories(ledger: Ledger, status: StatusReport | BulletinStatus, all_rows: list[Row],
                lang: str) -> list[dict[str, Any]]:
    rollup = {c.id: c for c in status.by_category}
    by_category: dict[str, list[Row]] = {}
    for row in all_rows:  # one pass, each category's rows in ledger order
        by_category.setdefault(row[1]["category"], []).append(row)
    out = []
    for c in ledger.config.categories:
        mine_rows = _family_order(by_category.get(c.id, []))
        mine = [r for _, r in mine_rows]
        j = rollup.get(c.id)
        by_status = j.by_status if j is not None else {}
        active = [r for r in mine if r["status_key"] != "suspended"]
        progress = _mean([r["progress_value"] for r in active if r["progress_value"] is not None])
        expected = _mean([r["expected_value"] for r in active if r["expected_value"] is not None])
        out.append({
            "id": c.id,
            "name": c.name,
            "group": c.group,
            "tasks": len(mine),
            "finished": (sum(int(by_status.get(s, 0)) for s in FINISHED) if by_status
                         else sum(1 for r in mine if r["status_key"] in FINISHED)),
            "completion_rate": fmt_num(j.completion_rate if j is not None else None),
            "on_time_rate": fmt_num(j.on_time_rate if j is not None else None),
            "red": sum(1 for r in mine if r["light"] == "red"),
            "yellow": sum(1 for r in mine if r["light"] == "yellow"),
            "green": sum(1 for r in mine if r["light"] == "green"),
            "mean_progress": fmt_num(progress, 1),
            "mean_progress_value": progress,
            "mean_expected_value": expected,
            "rows": mine,
        })
    return out


def _lights(ledger: Ledger, rows: list[Row],
            req: Request) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    lang = req.lang
    red: list[dict[str, Any]] = []
    yellow: list[dict[str, Any]] = []
    for t, r in rows:
        if r["light"] not in ("red", "yellow"):
            continue
        base = {k: r[k] for k in ("id", "title", "lead", "leaders", "progress", "expected")}
        if r["light"] == "red":
            by_due = {m.due: m for m in t.milestones}
            overdue: list[dict[str, Any]] = []
            for o in sorted(r["overdue"], key=lambda o: o.due):
                m = by_due.get(o.due)
                overdue.append({"standard": m.standard if m else "",
                                "due": fmt_date(o.due, lang), "days": o.days})
            red.append({**base, "milestones": overdue,
                        "days": max((o["days"] for o in overdue), default=0)})
        elif r["light"] == "yellow":
            yellow.append({**base, "reason": _yellow_reason(ledger, t, r, req)})
    red.sort(key=lambda x: (-x["days"], x["id"]))
    yellow.sort(key=lambda x: x["id"])
    return red, yellow


def _yellow_reason(ledger: Ledger, t: Task, row: Mapping[str, Any], req: Request) -> str:
    """Why a task is yellow, in words (SPEC §5: a milestone due soon, or behind).

    The typed status report's `yellow_reasons` say which (ops.progress decides;
    nothing is re-derived here).
    """
    lang = req.lang
    reasons: list[YellowReason] = list(row["reasons"])
    by_due = {m.due: m.standard for m in t.milestones}
    out = []
    for r in reasons or [YellowReason("behind")]:
        if r.kind == "due_soon" and r.due is not None:
            due = r.due
            days = r.days or 0
            std = by_due.get(due, "")
            if lang == "en":
                when = (AS_OF_DAY.en if days == 0
                        else f"in {days} day{'s' if days != 1 else ''}")
                out.append(f"milestone {quoted(std)} due {fmt_date(due, lang)} ({when})")
            else:
                if days == 0:  # the as-of date, not necessarily today
                    out.append(f"序时节点{quoted(std)}于{fmt_date(due, lang)}到期"
                               f"（{AS_OF_DAY.zh}）")
                else:
                    out.append(f"序时节点{quoted(std)}将于{fmt_date(due, lang)}到期"
                               f"（剩余{days}天）")
        elif lang == "en":
            out.append(f"progress {row['progress']}% is behind the expected {row['expected']}%")
        else:
            out.append(f"进度{row['progress']}%，落后于序时进度{row['expected']}%")
    return ("; " if lang == "en" else "；").join(out)


def _stale(rows: list[Row], req: Request) -> list[dict[str, Any]]:
    """Tasks whose monthly report (月报) was due by the as-of date and is missing."""
    month = f"{req.as_of.year:04d}-{req.as_of.month:02d}"
    out = []
    for t, r in rows:
        if r["stale"]:
            known = [u.month for u in t.updates if u.month <= month]
            out.append({k: r[k] for k in ("id", "title", "lead", "leaders")}
                       | {"expected_month": period_label("month", r["stale"], req.lang),
                          "last_month": period_label("month", known[-1], req.lang) if known
                          else "—"})
    return out


def _flags(ledger: Ledger, rows: list[Row],
           req: Request) -> dict[str, list[dict[str, Any]]]:
    """Honour flags (红旗) and warning cards (黄牌) awarded in the period.

    Undated flags are standing awards: they appear in every bulletin.
    """
    first, last = req.span()
    last = min(last, req.as_of)
    out: dict[str, list[dict[str, Any]]] = {"red_flag": [], "yellow_card": []}
    for t, r in rows:
        for f in t.flags:
            if f.kind not in out or (f.date is not None and not first <= f.date <= last):
                continue
            out[f.kind].append({"id": t.id, "title": t.title, "lead": r["lead"],
                                "leaders": r["leaders"], "date": fmt_date(f.date, req.lang),
                                "date_iso": f.date.isoformat() if f.date else "",
                                "by": f.by or "", "note": f.note or ""})
    for flags in out.values():
        flags.sort(key=lambda f: (f["id"], f["date_iso"]))
    # a unit's own 红旗/黄牌, recorded in the period's records ({unit, kind: yellow_card,
    # reason}: 清新 对进度滞后的镇和部门亮黄牌): listed too, not only seen through a rule
    # dated in the bulletin's span (and not after its as-of), or undated in a record
    # that belongs to the period (`_record_in`, as for the deductions)
    units: dict[str, list[dict[str, Any]]] = {"red_flag": [], "yellow_card": []}
    for rec in ledger.records:
        inside = _record_in(rec.period, req)
        for fl in rec.flags:
            if fl.kind not in units or (req.unit is not None and fl.unit != req.unit):
                continue
            if not (first <= fl.date <= last if fl.date is not None else inside):
                continue
            units[fl.kind].append({"unit": ledger.unit_name(fl.unit), "unit_id": fl.unit,
                                   "reason": fl.reason or "",
                                   "date": fmt_date(fl.date, req.lang) if fl.date else "",
                                   "date_iso": fl.date.isoformat() if fl.date else ""})
    for flags in units.values():
        flags.sort(key=lambda f: (f["unit_id"], f["date_iso"]))
    return {"red": out["red_flag"], "yellow": out["yellow_card"],
            "units_red": units["red_flag"], "units_yellow": units["yellow_card"]}


def _record_in(record_period: str, req: Request) -> bool:
    """A scheme record (a month's, a quarter's or the year's) belongs to the bulletin's
    period: the same period, or a period inside it — a month inside the quarter or the
    half year, a quarter inside the half year, any record of the year (as scoring
    counts an undated flag, `ops.scoring.engine.counts_in`)."""
    return record_period == req.period or inside(record_period, *req.span())


def _listed(req: Request, record_period: str, unit: str, day: date | None,
            first: date, last: date) -> bool:
    """Whether a deduction or a bonus of a record of `record_period` is listed by the
    bulletin: the notice's unit's only, dated in `first`–`last` (the period up to the
    as-of date), or undated in a record of the period (`_record_in`)."""
    if req.unit is not None and unit != req.unit:
        return False
    if day is None:
        return _record_in(record_period, req)
    return first <= day <= last


def _deductions(ledger: Ledger, req: Request) -> dict[str, Any] | None:
    """Negative-list deductions (负面清单扣分) dated in the period, up to the as-of date:
    one unit's alone in its notice.  The incidents counted, by category, and their total
    leave out a provisional deduction restored by then (SPEC §10: ignored entirely; the
    table still shows it, 已返还, and `restored` counts it) and one of a unit
    `assessed: false`, which no score reads (LS424; the table shows it, 不计分, and
    `not_assessed` counts it)."""
    scheme = ledger.scheme
    if scheme is None:
        return None
    lang = req.lang
    first, last = req.span()
    last = min(last, req.as_of)
    cats = {c.id: c.name for c in scheme.deduction_categories}
    items: list[dict[str, Any]] = []
    for rec in ledger.records:
        for d in rec.deductions:
            if not _listed(req, rec.period, d.unit, d.date, first, last):
                continue
            restored = d.restored is not None and d.restored.date <= last
            points = (Decimal(0) if restored else
                      d.points * (scheme.media_multiplier if d.media else 1))
            outside = not_assessed(ledger, d.unit)
            how = (f"{fmt_num(d.points)}×{fmt_num(scheme.media_multiplier)}"
                   if d.media else "")
            items.append({
                "unit_id": d.unit,
                "unit": ledger.units[d.unit].name if d.unit in ledger.units else d.unit,
                "category": cats.get(d.category, d.category),
                "date": fmt_date(d.date, lang),
                "date_iso": d.date.isoformat() if d.date else "",
                "points": fmt_places(points, scheme.places),
                "points_value": points,
                "media": d.media,
                "media_note": how,
                "reason": (d.reason or "") + _provisional_note(d, restored, req.as_of, lang)
                + (_not_counted_note(lang) if outside and not restored else ""),
                "_restored": restored,
                "_outside": outside and not restored,
            })
    items.sort(key=lambda x: (x["date_iso"], x["unit_id"]))
    counted = [it for it in items if not (it["_restored"] or it["_outside"])]
    by_cat: dict[str, int] = {}
    for it in counted:
        by_cat[it["category"]] = by_cat.get(it["category"], 0) + 1
    summary = [{"category": c.name, "count": by_cat[c.name]}
               for c in scheme.deduction_categories if c.name in by_cat]
    total = sum((it["points_value"] for it in counted), Decimal(0))
    public = req.edition == "public"
    return {
        "count": len(counted),
        "restored": sum(1 for it in items if it["_restored"]),
        # of units `assessed: false` (LS424): listed, counted in no score
        "not_assessed": sum(1 for it in items if it["_outside"]),
        # the points are the units' own: not in the public edition (a sum over one
        # unit's notice is that unit's score)
        "total": None if public else fmt_places(total, scheme.places),
        "by_category": summary,
        "entries": None if public else [
            {k: v for k, v in it.items() if k not in ("points_value", "_restored", "_outside")}
            for it in items],
    }


def _bonuses(ledger: Ledger, req: Request, scores: ScoreResult | None = None
             ) -> dict[str, Any] | None:
    """Bonuses (加分) dated in the period, up to the as-of date, shown like the
    deductions (SPEC §10): each with its unit, category, date, points and reason — one
    unit's alone in its notice.  `capped`: the units whose score of this period
    (`scores`) took the scheme's `cap` instead of their bonuses, as the ranking's
    remarks say — read from the scoring, never summed here: the cap applies per scored
    period, so a half year (scored in its quarters) or a month a quarterly scheme
    does not rank caps nothing.  A bonus of a unit `assessed: false` is listed (不计分)
    but, as no score reads it (LS424), left out of `count`, the categories and the
    total: `not_assessed` counts it.  None without a scheme or without a bonus in the
    period (no section)."""
    scheme = ledger.scheme
    if scheme is None:
        return None
    lang = req.lang
    first, last = req.span()
    last = min(last, req.as_of)
    cats = {c.id: c.name for c in scheme.bonus_categories}
    items: list[dict[str, Any]] = []
    for rec in ledger.records:
        for b in rec.bonuses:
            if not _listed(req, rec.period, b.unit, b.date, first, last):
                continue
            outside = not_assessed(ledger, b.unit)
            items.append({
                "unit_id": b.unit,
                "unit": ledger.units[b.unit].name if b.unit in ledger.units else b.unit,
                "category": cats.get(b.category, b.category),
                "date": fmt_date(b.date, lang),
                "date_iso": b.date.isoformat() if b.date else "",
                "points": fmt_places(b.points, scheme.places),
                "points_value": b.points,
                "reason": (b.reason or "") + (_not_counted_note(lang) if outside else ""),
                "_outside": outside,
            })
    if not items:
        return None
    items.sort(key=lambda x: (x["date_iso"], x["unit_id"]))
    counted = [it for it in items if not it["_outside"]]
    by_cat: dict[str, int] = {}
    per_unit: dict[str, Decimal] = {}
    for it in counted:
        by_cat[it["category"]] = by_cat.get(it["category"], 0) + 1
        per_unit[it["unit_id"]] = per_unit.get(it["unit_id"], Decimal(0)) + it["points_value"]
    cap = scheme.bonus_cap
    listed = {it["unit_id"]: it["unit"] for it in items}
    capped = sorted((u.unit, listed[u.unit]) for u in (scores.units if scores else ())
                    if u.unit in listed and u.bonuses and u.bonus_capped < u.bonus_total)
    public = req.edition == "public"
    return {
        "count": len(counted),
        "not_assessed": len(items) - len(counted),
        "total": None if public else fmt_places(sum(per_unit.values(), Decimal(0)),
                                                scheme.places),
        "by_category": [{"category": c.name, "count": by_cat[c.name]}
                        for c in scheme.bonus_categories if c.name in by_cat],
        "cap": None if cap is None else fmt_places(cap, scheme.places),
        # the units named only where the entries are (not in the public edition)
        "capped": [] if public else [name for _, name in capped],
        "entries": None if public else [
            {k: v for k, v in it.items() if k not in ("points_value", "_outside")}
            for it in items],
    }


def _not_counted_note(lang: str) -> str:
    """A deduction's or bonus's note in the bulletin's table when its unit is
    `assessed: false`: no score reads it (LS424); the section's counts and total leave
    it out."""
    return "（该单位不参加考核，不计分）" if lang == "zh" else " (unit not assessed: not counted)"


def _provisional_note(d: Any, restored: bool, as_of: date, lang: str) -> str:
    """预扣/已返还 (SPEC §10): a provisional deduction says so; one given back by the
    bulletin's date counts nothing and says when; one given back after the period's
    end but by the bulletin's date still counts in the period (SPEC §10: restored on
    or before the end of the period scored) and says when it was given back.  "" for
    an ordinary deduction."""
    zh = lang == "zh"
    if restored:
        when = fmt_date(d.restored.date, lang)
        return f"（预扣，{when}已返还，不计分）" if zh else f" (provisional; restored {when}, not counted)"
    if d.provisional and d.restored is not None and d.restored.date <= as_of:
        when = fmt_date(d.restored.date, lang)
        return (f"（预扣，{when}已返还，晚于本期末，本期仍计分）" if zh
                else f" (provisional; restored {when}, after the period's end: counted in it)")
    if d.provisional:
        return "（预扣）" if zh else " (provisional)"
    return ""


def _score_columns(scheme: Scheme, units: Sequence[UnitScore]) -> list[dict[str, str]]:
    """The component columns of the ranking table: the first level of the assessed tree
    with more than one component (a Weinan quarter: 活动开展, 12345, 政务服务) — all of
    them, however many (the HTML prints more than four on a landscape page)."""
    assessed = {k for u in units for k in u.components}
    level = [c for c in scheme.components if c.id in assessed]
    while len(level) == 1 and level[0].children:
        level = [c for c in level[0].children if c.id in assessed]
    if len(level) < 2:
        return []
    return [{"id": c.id, "name": c.name} for c in level]


def _rule_notes(scheme: Scheme, u: UnitScore, rules: Sequence[str],
                flags: Mapping[str, Sequence[RecordFlag]], lang: str) -> list[str]:
    """The grade sanctions and rewards that applied, in words: cause and effect.  A
    rule's `note` is the scheme's own words (SPEC §10); without one, every condition
    it names (`_causes`) and every action it takes (`_effects`).  `flags`: the record
    flags that count in the period, per unit (`period_flags`), for their reasons."""
    zh = lang == "zh"
    notes = []
    for rid in rules:
        rule = next((r for r in scheme.rules if r.id == rid), None)
        if rule is None:
            notes.append(rid)
            continue
        if rule.note:  # the scheme's own words (SPEC §10): never the rule's id
            notes.append(rule.note)
            continue
        cause = ("、" if zh else " and ").join(
            _causes(scheme, u, rule, flags.get(u.unit, ()), lang))
        effect = ("，" if zh else ", ").join(_effects(rule, lang))
        if cause and effect:
            notes.append(f"{cause}，{effect}" if zh else f"{cause}: {effect}")
        else:
            notes.append(cause or effect)
    return notes


def _effects(rule: Rule, lang: str) -> list[str]:
    """Each action of a rule in words, in the order they apply (SPEC §10): rewards,
    the cap, the downgrade, the interview."""
    zh = lang == "zh"

    def grades(n: int, way: str) -> str:
        if zh:
            return f"{'升' if way == 'up' else '降'}{cn_number(n)}档"
        return f"{n} grade{'s' if n > 1 else ''} {way}"

    out = []
    if rule.min_grade:
        out.append(f"等次不低于{rule.min_grade}" if zh else f"grade at least {rule.min_grade}")
    if rule.upgrade:
        out.append(grades(rule.upgrade, "up"))
    if rule.max_grade:
        out.append(f"等次不高于{rule.max_grade}" if zh else f"grade at best {rule.max_grade}")
    if rule.downgrade:
        out.append(grades(rule.downgrade, "down"))
    if rule.interview:
        out.append("予以约谈" if zh else "called for interview")
    return out


def _v2_notes(u: UnitScore, comp_names: Mapping[str, str], places: int, lang: str
              ) -> list[str]:
    """Scheme v2 remarks on one unit (SPEC §10): its bonuses and their cap, and the
    components not assessed for it (不适用).  Empty for a v1 scheme's result."""
    zh = lang == "zh"
    out = []
    if u.bonuses:
        total, kept = fmt_places(u.bonus_total, places), fmt_places(u.bonus_capped, places)
        if u.bonus_capped < u.bonus_total:
            out.append(f"加分{total}分，按上限计{kept}分" if zh
                       else f"bonus {total}, capped at {kept}")
        else:
            out.append(f"加分{total}分" if zh else f"bonus {total}")
    na = [comp_names.get(c, c) for c in u.not_applicable]
    if na:
        out.append(_join(na, lang) + "不适用" if zh else "not applicable: " + _join(na, lang))
    return out


def quota_sentence(q: QuotaNote, ranks: Mapping[str, int], lang: str) -> str:
    """优秀名额 3 个，第 4 名顺延为良好 (SPEC §10 grade quota)."""
    moved = sorted({r for _, r in q.moved})
    if lang == "en":
        text = f"{q.grade}: {q.allowed} place{'s' if q.allowed != 1 else ''}"
        if moved:
            text += (f"; rank{'s' if len(moved) > 1 else ''} "
                     + ", ".join(str(r) for r in moved) + f" move{'' if len(moved) > 1 else 's'}"
                     f" to {q.next_grade}")
        if q.exceeded:
            text += f" (a tie keeps {len(q.kept)})"
        return text + "."
    text = f"{q.grade}名额{q.allowed}个"
    if moved:
        text += "，" + "、".join(f"第{r}名" for r in moved) + f"顺延为{q.next_grade}"
    if q.exceeded:
        text += f"（因并列，{len(q.kept)}个单位保留{q.grade}）"
    return text + "。"


def _groups(scores: ScoreResult, ranking: list[dict[str, Any]], public: bool, lang: str
            ) -> list[dict[str, Any]]:
    """The ranking by group (SPEC §10 ranking_groups): each group's table with the rank
    in the group, its quota sentences and the units it calls for interview.  Empty
    when the scheme has no groups (one table, as before).  A group with no unit scored
    in the period (its units all `assessed: false`, or none with anything to score:
    those are named as 未参加排名) is left out, as `score` leaves it out — it printed
    a heading over a table with no row."""
    out = []
    ranks = {r["unit"]: r["rank"] for r in ranking}
    for gid, name, bottom in scores.groups:
        rows = [r for r in ranking if r["group"] == gid]
        if not rows:
            continue
        out.append({
            "id": gid, "name": name,
            "ranking": None if public else rows,
            # the quota sentences name ranks (第2名、第3名顺延为良好): the ranking's
            "quota": [] if public else [quota_sentence(q, ranks, lang)
                                        for q in scores.quotas if q.group == gid],
            "interview": [r["name"] for r in rows if r["interview"]],
            "interview_by_rank": [r["name"] for r in rows if r["rank_interview"]],
            "interview_bottom": bottom,
            # the places the sentence names (后N位): never more than the group ranks
            "interview_places": _places(bottom, rows),
        })
    return out


def _places(bottom: int, rows: Sequence[Mapping[str, Any]]) -> int:
    """The bottom N of a ranking as a sentence may name it: `interview_bottom`, at most
    the units ranked (a scheme's 后9位 over a group of 4 marks those 4: 后4位)."""
    return min(bottom, sum(1 for r in rows if r["rank"] is not None))


def unranked_sentence(names: Sequence[str], label: str, lang: str, own: bool = False) -> str:
    """未参加排名：the units a period assessed nothing of (`ScoreResult.unscored`),
    named — "" when every unit was ranked; `own`: a unit's notice, about itself."""
    if not names:
        return ""
    if own:
        return (f"Nothing of this unit's was assessed in {label}: it is not ranked." if lang == "en"
                else f"本单位{label}没有可计分的考核指标，未参加排名。")
    if lang == "en":
        return f"Not ranked (nothing of theirs was assessed in {label}): {', '.join(names)}."
    return f"以下单位{label}没有可计分的考核指标，未参加排名：{'、'.join(names)}。"


def _partial_note(scores: ScoreResult, lang: str) -> str:
    """A year ranked although records are missing (`bulletin --annual --allow-missing`,
    as `score --partial`): which, and that the year is scored from the rest; "" when
    none is missing."""
    gone = [period_label("month" if is_month(p) else "quarter", p, lang)
            for p in scores.missing_quarters]
    if scores.missing_annual_record:
        gone.append(period_label("year", scores.period, lang))
    if not gone:
        return ""
    whole = period_label("year" if scores.annual else "quarter", scores.period, lang)
    if lang == "zh":
        return f"缺少{_join(gone, lang)}的考核记录，{whole}得分按已有记录计算。"
    return (f"The records of {_join(gone, lang)} are missing: the {whole} scores are "
            "computed from the records present.")


def _interview_sentence(bottom: int, by_rank: Sequence[str], groups: Sequence[Mapping[str, Any]],
                        by_rule: Sequence[str], lang: str) -> str:
    """约谈单位 in one sentence: the units marked by rank as "排名后N位的…" (per group
    with ranking groups), those a rule's `interview: true` marked (SPEC §10: whatever
    their rank) in a clause of their own; "" when nobody is marked."""
    zh = lang == "zh"
    sep = "、" if zh else ", "
    ranked = [g for g in groups if g["interview_by_rank"]]
    rule = sep.join(by_rule)

    def tied(places: int, names: Sequence[str]) -> str:
        # more units than places: a tie reaches into the bottom N (SPEC §4), said so
        # that two names after 后1位 do not read as an error
        if len(names) <= places:
            return ""
        return "（并列）" if zh else " (tied)"

    if zh:
        if groups:
            rank = "，".join(f"{g['name']}排名后{g['interview_places']}位"
                            f"{tied(g['interview_places'], g['interview_by_rank'])}的"
                            f"{sep.join(g['interview_by_rank'])}" for g in ranked)
        else:
            rank = (f"排名后{bottom}位{tied(bottom, by_rank)}的{sep.join(by_rank)}"
                    if by_rank else "")
        talk = RANKING_TALK.zh
        if rank and rule:
            return (f"按照考核办法，对{rank}进行{talk}；另依据考核办法有关规定，对{rule}"
                    f"进行{talk}；以上单位限期整改。")
        if rank:
            return f"按照考核办法，对{rank}进行{talk}，限期整改。"
        return f"依据考核办法有关规定，对{rule}进行{talk}，限期整改。" if rule else ""
    talk = RANKING_TALK.en
    if groups:
        lead = f"Under the scheme these units are called for a {talk}"
        rank = "; ".join(f"{g['name']}: {sep.join(g['interview_by_rank'])}"
                         f"{tied(g['interview_places'], g['interview_by_rank'])}"
                         for g in ranked)
    else:
        lead = (f"Under the scheme the bottom {bottom}{tied(bottom, by_rank)} are called for "
                f"a {talk}")
        rank = sep.join(by_rank)
    if rank and rule:
        return (f"{lead}: {rank}; and under the rules of the scheme: {rule}. All must put things "
                "right within a set time.")
    if rank:
        return f"{lead} and must put things right within a set time: {rank}."
    return (f"Under the rules of the scheme these units are called for a {talk} and "
            f"must put things right within a set time: {rule}.") if rule else ""


def _scores(ledger: Ledger, scores: ScoreResult, req: Request) -> dict[str, Any] | None:
    scheme = ledger.scheme
    if scheme is None:
        return None
    lang = req.lang
    places = scheme.places
    units = sorted(scores.units, key=lambda u: (u.rank or 10**9, u.unit))
    columns = _score_columns(scheme, units)
    comp_names = {c.id: c.name for c in scheme.all_components()}
    gap_names = scheme_names(scheme)
    grade_names = [g.name for g in scheme.grades]
    from ...ops.scoring import period_flags  # the scoring engine: only with a ranking

    flags = period_flags(ledger, scores.period) if scheme.rules else {}
    ranking: list[dict[str, Any]] = []
    for u in units:
        uid = u.unit
        comps = u.components
        acted = list(dict.fromkeys(s.rule for s in u.rule_steps)) or list(u.rules_applied)
        notes = _rule_notes(scheme, u, acted, flags, lang)
        notes += _v2_notes(u, comp_names, places, lang)
        base = u.base_grade
        if base and base != u.grade:
            notes.append(f"等次由{base}调整为{u.grade}" if lang == "zh"
                         else f"grade {base} → {u.grade}")
        missing = [gap_text(m, gap_names, lang) for m in u.missing]
        if missing:
            notes.append(("缺少评分：" if lang == "zh" else "not scored: ") + _join(missing, lang))
        ranking.append({
            "rank": u.rank,
            "unit": uid,
            "name": u.name or (ledger.units[uid].name if uid in ledger.units else uid),
            "score": fmt_places(u.score, places),
            "score_value": u.score,
            "grade": u.grade,
            "components": [fmt_places(comps.get(c["id"]), places) for c in columns],
            "deductions": fmt_places(u.deductions, places),
            "interview": u.interview,
            "rank_interview": u.rank_interview,
            "notes": notes,
            "group": u.group,
        })
    public = req.edition == "public"
    # the public edition names the units of the best grade only (表扬), not the rest
    grades = [{"name": g, "count": sum(1 for r in ranking if r["grade"] == g),
               "units": [r["name"] for r in ranking if r["grade"] == g]
               if not public or i == 0 else []} for i, g in enumerate(grade_names)]
    interview = [r["name"] for r in ranking if r["interview"]]
    by_rule = [r["name"] for r in ranking if r["interview"] and not r["rank_interview"]]
    groups = _groups(scores, ranking, public, lang)
    # the chart reads as the tables do: group by group in the groups' order, each by rank
    # (sorted stably: the ranking's own order within a group)
    order = {gid: i for i, (gid, _, _) in enumerate(scores.groups)}
    charted = sorted(ranking, key=lambda r: order.get(r["group"], len(order)))
    # the units the period assessed nothing of: not ranked, and the document says so
    # (as `score` does) rather than leave them out without a word
    unranked = [ledger.units[u].name if u in ledger.units else u for u in scores.unscored]
    return {
        "groups": groups,
        "blocks": groups if scores.groups else [{"name": "", "quota": [],
                                                 "ranking": None if public else ranking}],
        "interview_groups": [g for g in groups if g["interview"]],
        "scheme_title": scheme.title,
        "scheme_doc_no": scheme.doc_no,
        "places": places,
        "units_count": len(ranking),
        "columns": columns,
        "grades": grades,
        "top_grade": grades[0] if grades else None,
        "interview": interview,
        # SPEC §10: a rule's `interview: true` marks a unit whatever its rank — never
        # worded as one of the bottom N
        "interview_by_rank": [r["name"] for r in ranking if r["rank_interview"]],
        "interview_by_rule": by_rule,
        "interview_sentence": _interview_sentence(
            _places(scores.interview_bottom, ranking),
            [r["name"] for r in ranking if r["rank_interview"]],
            groups, by_rule, lang),
        "interview_bottom": scores.interview_bottom,
        "partial_note": _partial_note(scores, lang),
        "unranked": unranked,
        "_unranked_ids": list(scores.unscored),  # a unit's notice asks by id, not by name
        "unranked_sentence": unranked_sentence(
            unranked, period_label(req.kind, req.period, lang), lang),
        "ranking": None if public else [{k: v for k, v in r.items() if k != "score_value"}
                                        for r in ranking],
        "_bars": [] if public else [
            ScoreBar(label=r["name"], score=r["score_value"], score_text=r["score"],
                     grade=r["grade"],
                     grade_index=grade_names.index(r["grade"]) if r["grade"] in grade_names
                     else len(grade_names), interview=r["interview"])
            for r in charted],
    }


def _charts(ctx: dict[str, Any], lang: str) -> dict[str, Any]:
    zh = lang == "zh"
    cats = [c for c in ctx["categories"] if c["tasks"]]
    progress = progress_chart(
        [ProgressBar(label=c["name"], progress=c["mean_progress_value"],
                     expected=c["mean_expected_value"],
                     value_text=f"{c['mean_progress']}%") for c in cats],
        title="各类别平均进度与序时进度" if zh else "Mean progress and expected progress by category",
        legend_progress="平均进度" if zh else "mean progress",
        legend_expected="序时进度" if zh else "expected progress",
    ) if cats else None
    ranking = None
    scores = ctx["scores"]
    if scores is not None:
        bars = scores.pop("_bars")
        if bars:
            ranking = ranking_chart(
                bars, title="考核得分排名" if zh else "Scores by rank",
                grades=[g["name"] for g in scores["grades"]],
                interview_label="约谈" if zh else "interview")
    for c in ctx["categories"]:
        c.pop("mean_progress_value")
        c.pop("mean_expected_value")
    return {"progress": progress, "ranking": ranking}




_SINCE = {"month": ("较上月", "with last month"), "quarter": ("较上季度", "with last quarter"),
          "half": ("较上半年", "with the first half")}


#: a rate that cannot be compared (no milestone was due at one of the two dates): its
#: table cell shows the dash, and the comparison sentence leaves the rate out rather
#: than print "序时节点按期完成率—" mid-sentence
_NO_CHANGE = "—"


def _delta(now: Any, before: Any, lang: str, unit: str = "") -> dict[str, str]:
    a, b = _dec(now), _dec(before)
    if a is None or b is None:
        change = _NO_CHANGE
    elif a == b:
        change = "持平" if lang == "zh" else "unchanged"
    else:
        d = a - b
        text = fmt_num(abs(d))
        change = (("上升" if d > 0 else "下降") + text + unit if lang == "zh"
                  else ("up " if d > 0 else "down ") + text + unit)
    return {"now": fmt_num(now), "before": fmt_num(before), "change": change}


def comparison(req: Request, now: StatusReport | BulletinStatus, before: StatusReport | Rollup,
               scores: ScoreResult | None, prev_scores: ScoreResult | None
               ) -> dict[str, Any]:
    """较上月/较上季度: completion and on-time rates, red count and rank changes, from
    the typed status report at the as-of date and the totals at the previous period's
    end (its report, or only its totals: nothing else of it is read)."""
    lang = req.lang
    tn = now.totals
    tb = before if isinstance(before, Rollup) else before.totals
    zh, en = _SINCE.get(req.kind, ("较上期", "with the last period"))
    pp = "个百分点" if lang == "zh" else " points"
    ranks: list[dict[str, Any]] = []
    if scores is not None and prev_scores is not None:
        old = {u.unit: u.rank for u in prev_scores.units}
        for u in sorted(scores.units, key=lambda u: (u.rank or 10**9, u.unit)):
            was = old.get(u.unit)
            if u.rank is None or was is None or was == u.rank:
                continue
            ranks.append({"unit": u.unit, "name": u.name or u.unit, "rank": u.rank,
                          "before": was, "change": was - u.rank})
    red_now, red_before = tn.red, tb.red
    if req.edition == "public":
        ranks = []  # the public edition prints no ranking
    elif req.unit is not None:
        ranks = [r for r in ranks if r["unit"] == req.unit]  # a unit's notice: its own
    out = {
        "label": zh if lang == "zh" else en,
        "completion_rate": _delta(tn.completion_rate, tb.completion_rate, lang, pp),
        "on_time_rate": _delta(tn.on_time_rate, tb.on_time_rate, lang, pp),
        "red": {"now": red_now, "before": red_before, "change": red_now - red_before},
        "ranks": ranks,
    }
    out["sentence"] = _comparison_sentence(out, lang)
    return out


def _comparison_sentence(c: Mapping[str, Any], lang: str) -> str:
    """One paragraph in words: 较上季度，任务完成率上升5个百分点，…，红灯减少2项。"""
    red = c["red"]["change"]
    cr, ot = c["completion_rate"], c["on_time_rate"]
    if lang == "zh":
        red_text = ("红灯数量持平" if red == 0 else
                    f"红灯{'增加' if red > 0 else '减少'}{abs(red)}项")
        parts = [f"任务完成率{cr['change']}" if cr["change"] != _NO_CHANGE else "",
                 f"序时节点按期完成率{ot['change']}" if ot["change"] != _NO_CHANGE else "",
                 red_text]
        text = str(c["label"]) + "，" + "，".join(p for p in parts if p) + "。"
        if c["ranks"]:
            text += "名次变化：" + "、".join(
                f"{r['name']}由第{r['before']}名{'升' if r['change'] > 0 else '降'}至第{r['rank']}名"
                for r in c["ranks"]) + "。"
        return text
    red_text = ("red lights unchanged" if red == 0 else
                f"{abs(red)} {'more' if red > 0 else 'fewer'} red "
                f"light{'' if abs(red) == 1 else 's'}")
    parts = [f"completion rate {cr['change']}" if cr["change"] != _NO_CHANGE else "",
             f"on-time rate {ot['change']}" if ot["change"] != _NO_CHANGE else "", red_text]
    text = f"Compared {c['label']}: " + ", ".join(p for p in parts if p) + "."
    if c["ranks"]:
        text += " Rank changes: " + ", ".join(
            f"{r['name']} {r['before']} → {r['rank']}" for r in c["ranks"]) + "."
    return text
