"""应约谈 (SPEC §4 and §12): the units the latest ranking marked for 约谈 — the bottom
`interview_bottom` of a group, or a rule's `interview: true` — that no interview in the
supervision files has followed since the ranked period ended (an interview naming
its ranking, `period:`, follows that ranking only).  Seed 000 (碑林):
及时约谈提醒排名靠后的单位.  The ranking is what `score` computes; the talks are
`ledger.interviews`.  Its own module because it scores: scoring reads
`ops.supervision` (the rules' rectification conditions), so the loop's plain views
cannot import scoring back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.codes import L
from ..core.errors import ScoringError
from ..core.model import Ledger
from ..core.periods import bounds, quarter_records, ranked_kinds
from .scoring import score_period
from .supervision import has_supervision


@dataclass(frozen=True)
class DueInterview:
    """A unit a ranking marked for 约谈 — in the bottom `interview_bottom` of its group
    (`by_rank`) or by a rule's `interview: true` (`by_rule`) — with no interview of it
    that names no ranking or names this one (`period:`) recorded after the ranked
    period's last day (`since`) up to the as-of date."""

    unit: str
    period: str
    since: date
    rank: int
    group_name: str
    by_rank: bool
    by_rule: bool
    #: the rules with `interview: true` that held, each its `note` (what the office
    #: wrote the rule for) or, without one, its id
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class InterviewsDue:
    """The rankings the 应约谈 list was read from (the latest quarter, and the latest
    month when the scheme ranks months, that ended before the as-of date and have
    their records), the units still to be interviewed, in ranking order per period,
    and the rankings that could not be read, with why (a missing record or score:
    nothing is guessed)."""

    periods: tuple[str, ...]
    due: tuple[DueInterview, ...]
    unjudged: tuple[tuple[str, L], ...]


def marks_interviews(ledger: Ledger) -> bool:
    """Can the scheme mark a unit for 约谈: a bottom count for some period or group,
    or a rule with `interview: true`?"""
    scheme = ledger.scheme
    if scheme is None:
        return False
    return bool(scheme.interview_bottom or scheme.month_interview_bottom
                or scheme.quarter_interview_bottom
                or any(g.interview_bottom for g in scheme.ranking_groups)
                or any(r.interview for r in scheme.rules))


def ranked_periods(ledger: Ledger, day: date) -> tuple[str, ...]:
    """The latest quarter that ended before `day` with the records to rank it (its own
    when the scheme assesses quarterly, its three months' when it assesses monthly),
    the latest month that ended before `day` with its record when the scheme ranks
    months, and the year once it is over (with a record of it): the rankings an office
    can have published by `day` (a period is ranked
    after its last day, so a period ending on `day` is not yet; a quarter whose June
    record is still missing is not ranked yet, and the one before it is the latest)."""
    scheme = ledger.scheme
    if scheme is None:
        return ()
    year = ledger.config.year or day.year
    held = {r.period for r in ledger.records}
    cadences = {c.cadence for c in scheme.leaves()}
    kinds = ranked_kinds(cadences)
    out: list[str] = []
    for q in (4, 3, 2, 1) if "quarter" in kinds else ():
        period = f"{year}-Q{q}"
        # ranked as `score` ranks it without --partial: every record it reads is in
        if bounds(period)[1] < day and quarter_records(cadences, held, period).rankable():
            out.append(period)
            break
    if "month" in kinds:
        for m in range(12, 0, -1):
            period = f"{year}-{m:02d}"
            if bounds(period)[1] < day and period in held:
                out.append(period)
                break
    # the year's ranking, once the year is over and any record of it is in: a scheme
    # may call units to 约谈 after the year's ranking only (葫芦岛, seed 001:
    # `quarter_interview_bottom: 0`); scoring says what it still lacks (`unjudged`)
    if date(year, 12, 31) < day and any(p[:4] == str(year) for p in held):
        out.append(str(year))
    return tuple(out)


#: the units missing a score named in an unread ranking's reason
_NAMED = 10


def interviews_due(ledger: Ledger, day: date, unit: str | None = None
                   ) -> InterviewsDue | None:
    """应约谈 on `day` (SPEC §4 and §12: the ranking marks the bottom for 约谈; the
    supervision files record the talks held): the units the latest rankings
    (`ranked_periods`) marked, with no interview of the unit dated after the ranked
    period's last day and on or before `day`.  An interview before the period ended
    (a red light's talk in March) is not the ranking's.  An interview naming the
    ranking it follows (`period:`) counts for that ranking only — a talk after Q4's
    ranking does not clear the year's, and a talk about something else, written with
    its period, clears no ranking — and, like any, only dated after that period's end
    (one dated earlier is LS712's slip, not the talk).  `unit`: that unit only.
    None when the ledger keeps no supervision loop or its scheme marks nobody: there
    is no list to keep then.  A ranking resting on missing scores is not read (the
    bulletin would not publish it either): it is in `unjudged`, with why."""
    scheme = ledger.scheme
    if scheme is None or not has_supervision(ledger) or not marks_interviews(ledger):
        return None
    # a talk naming its ranking (`period:`) is that ranking's only; one naming none
    # is any ranking's that ended before it (the reading before `period:` existed)
    held: dict[str, list[date]] = {}
    linked: dict[tuple[str, str], list[date]] = {}
    for iv in ledger.interviews:
        if iv.period is None:
            held.setdefault(iv.unit, []).append(iv.date)
        else:
            linked.setdefault((iv.unit, iv.period), []).append(iv.date)
    periods = ranked_periods(ledger, day)
    due: list[DueInterview] = []
    unjudged: list[tuple[str, L]] = []
    for period in periods:
        try:
            result = score_period(ledger, period, partial_option=None)
        except ScoringError as exc:
            unjudged.append((period, exc.label))
            continue
        gaps = [u.name or u.unit for u in result.units if u.missing]
        if gaps:
            # named up to ten (a record being filled in for 10,000 units is one line)
            more = len(gaps) - _NAMED
            zh = "、".join(gaps[:_NAMED]) + (f" 等 {len(gaps)} 个" if more > 0 else "")
            en = ", ".join(gaps[:_NAMED]) + (f" and {more} more" if more > 0 else "")
            unjudged.append((period, L(f"缺少评分的单位：{zh}，排名不完整",
                                       f"scores missing for {en}: the ranking is "
                                       "incomplete")))
            continue
        since = bounds(period)[1]
        talk_rules = {r.id: r.note or r.id for r in scheme.rules if r.interview}
        due.extend(DueInterview(u.unit, period, since, u.rank, u.group_name,
                                u.rank_interview, u.rule_interview,
                                tuple(talk_rules[r] for r in u.rules_applied
                                      if r in talk_rules))
                   for u in result.units
                   if u.interview and (unit is None or u.unit == unit)
                   and not any(since < d <= day for d in (*held.get(u.unit, ()),
                                                           *linked.get((u.unit, period), ()))))
    return InterviewsDue(periods, tuple(due), tuple(unjudged))
