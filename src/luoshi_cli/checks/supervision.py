"""The supervision loop (督办闭环, SPEC §12): interviews (约谈) and rectifications
(限期整改) name units, leaders and tasks that exist; their dates are in order and not
in the future; a rectification still open after its deadline is a warning (an error
with `--strict`, as every warning).  Supervision files are few and small: checked
whole on every run, over the ledger and the task keys.

Warnings of what is likely a slip (LS705–LS713): a rectification closed before its
written report came in, an interview or a rectification opened outside the ledger's
year, an interview or a rectification naming a task its unit has no part in, a task
listed twice, one interview written twice, a rectification ordered after an interview
the ledger does not record, an interview following (`period:`) another year's ranking,
a ranking not yet made or a ranking the scheme does not make (LS713)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from ..core.codes import L
from ..core.finding import Finding, finding
from ..core.model import Interview, Ledger, Rectification, Src, TaskKey
from ..core.periods import bounds, ranked_kinds
from ..core.yearend import after_its_ranking, followed_rankings, ranking_talks
from .refs import (
    LEADER,
    UNIT,
    MeantUnits,
    approver_hint,
    leader_names,
    reference_hint,
    unit_names,
)
from .registry import Context, check, near, unit_name


@check
def supervision_references(ctx: Context) -> Iterator[Finding]:
    led = ctx.ledger
    if not led.interviews and not led.rectifications:
        return
    task_ids = {k.id for k in ctx.keys}
    check_units = "units" not in led.broken
    year = 0 if "config" in led.broken else led.config.year
    keys: dict[str, TaskKey] = {}
    for k in ctx.keys:
        keys.setdefault(k.id, k)
    held: dict[tuple[str, date, str | None], list[Interview]] = {}
    ranks = _ranks(led)
    for iv in led.interviews:
        who = unit_name(ctx, iv.unit)
        what = (L(f"约谈（{who}，{iv.date}）", f"interview ({who}, {iv.date})") if who.strip()
                else L(f"约谈（{iv.date}）", f"interview ({iv.date})"))
        yield from _refs(led, iv.src, what, iv.unit, iv.tasks, check_units, task_ids)
        if check_units and iv.unit in led.units:
            # the unit is named once, after its role: "约谈（2024-04-10，提醒谈话）：约谈单位 …"
            yield from _involved(ctx, iv.src, _talk("", iv), L("约谈单位", "the unit"), iv.unit,
                                 iv.tasks, keys)
        # LS709: one talk written twice (a pasted line, a file copied) counts twice in
        # the bulletin's 共约谈N次 and in the export: the unit, the day and the kind are
        # the talk, unless the entries name another interviewer, matter or tasks
        same_day = held.setdefault((iv.unit, iv.date, iv.kind), [])
        talk = next((t for t in same_day if _same_talk(t, iv)), None)
        same_day.append(iv)
        if talk is not None:
            yield finding("LS709", iv.src.file, path=iv.src.at("date"), what=_talk(who, iv),
                          first="", related=(talk.src.file, talk.src.at("date")))
        # LS704 and LS706 go on to say the date: it is said once (约谈（区教育局）的日期
        # 2025-01-20 晚于…), not after a `what` that names it too
        dated = (L(f"约谈（{who}）的日期", f"interview ({who}): the date") if who.strip()
                 else L("约谈的日期", "interview: the date"))
        if iv.date > ctx.latest:
            yield finding("LS704", iv.src.file, path=iv.src.at("date"), what=dated,
                          when=iv.date, as_of=ctx.latest)
        if year and iv.date.year != year and not after_its_ranking(iv, year):
            yield finding("LS706", iv.src.file, path=iv.src.at("date"), what=dated,
                          when=iv.date, year=year)
        if iv.period is not None:
            yield from _ranking(iv, who, year, ranks)
    first: dict[str, Rectification] = {}
    # each unit's earliest interview: one look-up each.  A talk whose unit is a broken
    # reference (LS110) counts for the unit LS110's fix names (`lead: 区住建局` → zjj):
    # registering it again would write it twice.  One naming no unit (`zhangjiacunX`)
    # counts for none: it cannot stand for every unit's talk (another unit's missing
    # interview is a fault of its own), and LS110 already names it
    meant = MeantUnits(led)
    first_talk: dict[str, date] = {}
    for iv in led.interviews:
        unit = meant(iv.unit) if check_units else iv.unit
        if unit is not None and (unit not in first_talk or iv.date < first_talk[unit]):
            first_talk[unit] = iv.date
    talks = ranking_talks(led.interviews, year, meant if check_units else None) if year else {}
    for rc in led.rectifications:
        what = L(f"整改 {rc.id}", f"rectification {rc.id}")
        if rc.id in first:
            f0 = first[rc.id]
            yield finding("LS108", rc.src.file, path=rc.src.at("id"), kind=L("整改", "rectification"),
                          id=rc.id, first="", related=(f0.src.file, f0.src.at("id")))
        else:
            first[rc.id] = rc
        yield from _refs(led, rc.src, what, rc.unit, rc.tasks, check_units, task_ids)
        yield from _dates(ctx, rc, year, talks, meant(rc.unit) if check_units else None)
        if check_units and rc.unit in led.units:
            yield from _involved(ctx, rc.src, what, L("整改单位", "the unit"), rc.unit,
                                 rc.tasks, keys)
            # LS710: ordered after an interview (source: interview) that the ledger
            # does not record: the interview is missing, or the source is wrong.  Not
            # in January: a December interview is last year's ledger's (LS706 here)
            earliest = first_talk.get(rc.unit)
            if (rc.source == "interview" and rc.opened.month != 1
                    and (earliest is None or earliest > rc.opened)):
                yield finding("LS710", rc.src.file, path=rc.src.at("source"), id=rc.id,
                              unit=unit_name(ctx, rc.unit), opened=rc.opened)
        if rc.closed is not None:
            if not rc.closed.approved_by:
                yield finding("LS703", rc.src.file, path=rc.src.at("closed"), id=rc.id)
            elif check_units and rc.closed.approved_by not in led.leaders:
                yield finding("LS111", rc.src.file, path=rc.src.at("closed", "approved_by"),
                              what=L(f"整改 {rc.id} ", f"rectification {rc.id}"),
                              id=rc.closed.approved_by,
                              **approver_hint(led, rc.closed.approved_by, reference_hint(
                                  rc.closed.approved_by, leader_names(led), LEADER)))


def _refs(led: Ledger, src: Src, what: L, unit: str, tasks: tuple[str, ...],
          check_units: bool, task_ids: set[str]) -> Iterator[Finding]:
    """The unit and the tasks an entry names exist; a unit's name written for its id
    gets the id to write, as in task files (`reference_hint`); a task listed twice is
    a warning (LS708)."""
    # "整改 ZG-4 引用了…", "整改 ZG-4 的 tasks 中…" keep a space after the id, as every
    # "任务 K-1 " does; "约谈（…）引用了…" needs none
    what = L(what.zh if what.zh.endswith("）") else what.zh + " ", what.en)
    if check_units and unit not in led.units:
        yield finding("LS110", src.file, path=src.at("unit"), what=what,
                      id=unit, **reference_hint(unit, unit_names(led), UNIT))
    seen: set[str] = set()
    for i, t in enumerate(tasks):
        if t in seen:
            yield finding("LS708", src.file, path=src.at("tasks", i), what=what, task=t)
            continue
        seen.add(t)
        if t not in task_ids:
            yield finding("LS116", src.file, path=src.at("tasks", i), what=what,
                          id=t, hint=near(t, task_ids, frozenset(tasks)))


#: the kinds of period a ranking is made for, as `_ranks` names them
_KIND = {"month": L("月度", "month"), "quarter": L("季度", "quarter"), "year": L("年度", "year")}
#: the same as the ranking it names ("no monthly ranking", not "no month ranking")
_EVERY = {"month": L("月度", "monthly"), "quarter": L("季度", "quarterly"),
          "year": L("年度", "annual")}


def _ranks(led: Ledger) -> frozenset[str] | None:
    """The kinds of period the scheme ranks (`core.periods.ranked_kinds`, the rule
    `ops.interviews.ranked_periods` follows).  None without a scheme: luoshi then
    ranks nothing and a talk may follow a ranking made elsewhere — nothing to judge
    it by."""
    if led.scheme is None:
        return None
    return ranked_kinds({c.cadence for c in led.scheme.leaves()})


def _en_list(kinds: Sequence[str]) -> str:
    """"quarters and the year", "months, quarters and the year", "the year"."""
    words = [f"{_KIND[k].en}s" for k in kinds if k != "year"] + ["the year"]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _period_kind(period: str) -> str:
    return "quarter" if "-Q" in period else "month" if "-" in period else "year"


def _ranking(iv: Interview, who: str, year: int, ranks: frozenset[str] | None
             ) -> Iterator[Finding]:
    """The ranking an interview follows (`period:`): one of the ledger's year (LS711:
    another year's ranking belongs to that year's ledger, where `status` reads it),
    one the scheme makes (LS713: a month's ranking when the scheme ranks quarters and
    the year only — 应约谈 then counts the talk for no ranking and keeps listing the
    unit), and one already made when the talk was held (LS712: a ranking is made after
    its period's last day, as `ops.interviews.ranked_periods` reads it, so a talk on or
    before that day cannot follow it — the date or the period is wrong)."""
    period = iv.period
    assert period is not None
    what = L(f"约谈（{who}）", f"interview ({who})") if who.strip() else L("约谈", "interview")
    if year and period[:4] != str(year):
        yield finding("LS711", iv.src.file, path=iv.src.at("period"), what=what,
                      period=period, year=year, period_year=period[:4])
    kind = _period_kind(period)
    if ranks is not None and kind not in ranks:
        made = [k for k in ("month", "quarter", "year") if k in ranks]
        yield finding("LS713", iv.src.file, path=iv.src.at("period"), what=what,
                      period=period, kind=_KIND[kind], every=_EVERY[kind],
                      ranks=L("、".join(_KIND[k].zh for k in made), _en_list(made)),
                      fix=_ranking_fix(period, kind, ranks, iv.date))
    end = bounds(period)[1]
    if iv.date <= end:
        yield finding("LS712", iv.src.file, path=iv.src.at("date"), what=what,
                      when=iv.date, period=period, end=end)


def _ranking_fix(period: str, kind: str, ranks: frozenset[str], held: date) -> L:
    """LS713's advice: the rankings the talk may have meant — ones the scheme makes
    that were made before it was held (their period ended before `held`; else the
    advice is LS712's next): the month's quarter, or the latest quarter of the
    year ended by then; and the year, when it had ended.  None of them: the date or
    the `period` is wrong, or the talk follows no ranking (no `period`)."""
    year = period[:4]
    fix: list[str] = []
    if kind == "month" and "quarter" in ranks:
        own = (int(period[5:7]) - 1) // 3 + 1
        ended = [q for q in range(own, 0, -1) if bounds(f"{year}-Q{q}")[1] < held]
        fix += [f"{year}-Q{ended[0]}"] if ended else []
    if bounds(year)[1] < held:
        fix.append(year)
    if fix:
        return L(f"请把 period 改为它所依的排名，如 {' 或 '.join(fix)}",
                 f"set period to the ranking it follows, e.g. {' or '.join(fix)}")
    return L(f"而到 {held} 为止考核办法在 {year} 年还没有作出过排名：请核对日期；约谈不依排名则删去 period",
             f"yet the scheme had made no ranking of {year} by {held}: check the date, or "
             f"remove period if the talk follows no ranking")


def _same_talk(a: Interview, b: Interview) -> bool:
    """Two entries of one unit, day and kind that may be one talk: no field either
    writes differs from the other's (a repeat written with less is still a repeat;
    another interviewer, matter, list of tasks or ranking followed (`period:`) is
    another talk: the fourth quarter's and the year's talks may fall on one day)."""
    return all(x == y or not x or not y for x, y in
               ((a.by, b.by), (a.reason, b.reason), (a.tasks, b.tasks),
                (a.period, b.period)))


def _talk(who: str, iv: Interview) -> L:
    """An interview as LS707 and LS709 name it: its unit (when `who` is given), date
    and kind."""
    parts = [p for p in (who.strip() and who, str(iv.date), iv.kind) if p]
    return L(f"约谈（{'，'.join(parts)}）", f"interview ({', '.join(parts)})")


def _involved(ctx: Context, src: Src, what: L, role: L, unit: str, tasks: tuple[str, ...],
              keys: dict[str, TaskKey]) -> Iterator[Finding]:
    """LS707: a rectification is ordered to, and an interview held with, a unit with a
    part in the tasks it names — their lead, responsible (units) or cooperating unit;
    another unit is likely the wrong unit or the wrong task id.  An unknown task is
    LS116's."""
    seen: set[str] = set()
    for i, t in enumerate(tasks):
        k = keys.get(t)
        if k is None or t in seen:
            continue
        seen.add(t)
        if unit != k.lead and unit not in k.units and unit not in k.cooperating:
            yield finding("LS707", src.file, path=src.at("tasks", i), what=what, role=role,
                          unit=unit_name(ctx, unit), task=t, lead=unit_name(ctx, k.lead))


def _dates(ctx: Context, rc: Rectification, year: int,
           talks: dict[str, list[Interview]], unit: str | None) -> Iterator[Finding]:
    steps: list[tuple[L, date | None, tuple[str, ...]]] = [
        (L("整改期限", "the due date"), rc.due, ("due",)),
        (L("书面报告日期", "the report date"), rc.report, ("report", "date")),
        (L("销号日期", "the closing date"),
         rc.closed.date if rc.closed is not None else None, ("closed", "date")),
    ]
    for what, when, path in steps:
        if when is None:
            continue
        if when < rc.opened:
            yield finding("LS701", rc.src.file, path=rc.src.at(*path), id=rc.id, what=what,
                          when=when, opened=rc.opened)
        elif path != ("due",) and when > ctx.latest:
            yield finding("LS704", rc.src.file, path=rc.src.at(*path),
                          what=L(f"整改 {rc.id} 的{what.zh}", f"rectification {rc.id}: {what.en}"),
                          when=when, as_of=ctx.latest)
    if rc.opened > ctx.latest:
        yield finding("LS704", rc.src.file, path=rc.src.at("opened"),
                      what=L(f"整改 {rc.id} 的立项日期", f"rectification {rc.id}: opened"),
                      when=rc.opened, as_of=ctx.latest)
    # the year's rectifications are opened in the year; a deadline, a report and a
    # closing may fall in the next (opened in December, closed in January), and so
    # may the opening of one ordered over the year's rankings in the three months
    # after it (`source: ranking`, or `source: interview` after a talk recorded here
    # as the year's: `core.yearend.followed_rankings`)
    if year and rc.opened.year != year and not followed_rankings(rc, talks, year, unit):
        yield finding("LS706", rc.src.file, path=rc.src.at("opened"),
                      what=L(f"整改 {rc.id} 的立项日期", f"rectification {rc.id}: opened"),
                      when=rc.opened, year=year)
    closed = rc.closed.date if rc.closed is not None else None
    if (closed is not None and rc.report is not None and closed < rc.report
            and rc.report >= rc.opened):
        yield finding("LS705", rc.src.file, path=rc.src.at("closed", "date"), id=rc.id,
                      closed=closed, report=rc.report)
    # a to-do: follow it up and record `closed`.  A closing recorded, even one dated
    # after the as-of (closed in January, the year's ledger judged at 31 December),
    # leaves nothing to do: `status --as-of` still shows it open on that day.  A
    # closing written in a form that did not read (`closed: 2024-04-30`) has its own
    # error saying how to write it: "record closed" beside it would send the clerk
    # the wrong way (a closed block without a date still gets it: it closes nothing)
    # (not when the ledger's year is unknown: the as-of is then today, not its last day)
    if (ctx.year_known and rc.overdue_at(ctx.as_of) and closed is None
            and "closed" not in rc.missing):
        yield finding("LS702", rc.src.file, path=rc.src.at("due"), id=rc.id,
                      unit=unit_name(ctx, rc.unit),
                      due=rc.due, days=_days((ctx.as_of - rc.due).days))


def _days(n: int) -> L:
    """A number of days as LS702 words it: 6 (天), "1 day" / "6 days"."""
    return L(str(n), f"{n} day{'s' if n != 1 else ''}")
