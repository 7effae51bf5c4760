"""Ranking, interview marks, ranking groups and grade quotas (SPEC §4, §10).

Pure functions over (unit, published score, grade) rows, so the same code ranks a
v1 ledger (one group holding every unit) and a v2 one (分类考核: 市直单位 and 地区
ranked apart), and can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...core.model import Ledger, RankingGroup, Scheme


def rank(scores: Sequence[tuple[str, Decimal]], interview_bottom: int
         ) -> list[tuple[str, int, bool]]:
    """Competition ranking (1, 2, 2, 4) by published score; ties listed by unit id.

    Interview (约谈) marks the bottom `interview_bottom` positions with ties (SPEC §4
    v1.1): a unit is marked when the last position of its tie block lies in the
    bottom N — rank + (units sharing its score) − 1 > units − N — so a tie that
    straddles the boundary is marked whole, and the bulletin never names one unit of
    two that published the same score.
    """
    ordered = sorted(scores, key=lambda x: (-x[1], x[0]))
    n = len(ordered)
    sizes: dict[Decimal, int] = {}
    for _, s in ordered:
        sizes[s] = sizes.get(s, 0) + 1
    out = []
    r = 0
    previous: Decimal | None = None
    for i, (unit, s) in enumerate(ordered, start=1):
        if s != previous:
            r, previous = i, s
        last = r + sizes[s] - 1
        out.append((unit, r, interview_bottom > 0 and last > n - interview_bottom))
    return out


def group_of(scheme: Scheme, ledger: Ledger, unit: str) -> RankingGroup | None:
    """The first ranking group holding `unit` (validate makes it the only one: LS312);
    None when the scheme has groups and none holds it (LS311)."""
    kind = ledger.units[unit].kind if unit in ledger.units else None
    for g in scheme.ranking_groups:
        if g.holds(unit, kind):
            return g
    return None


@dataclass(frozen=True, slots=True)
class QuotaNote:
    """A grade quota (优秀比例) applied in one group: "优秀名额 3 个，第 4 名顺延为良好".

    `allowed` = floor(units × share / 100); `kept` the units holding the grade after
    the quota (more than `allowed` only through a tie block that starts within it:
    `exceeded`); `moved` the units it sent one grade down, with their rank."""

    group: str
    grade: str
    next_grade: str
    share: Decimal
    units: int
    allowed: int
    kept: tuple[str, ...]
    moved: tuple[tuple[str, int], ...]

    @property
    def exceeded(self) -> bool:
        return len(self.kept) > self.allowed


def apply_quotas(scheme: Scheme, group: str,
                 rows: Sequence[tuple[str, int, Decimal, str]]
                 ) -> tuple[dict[str, str], list[QuotaNote]]:
    """Grade quotas in one group, after rules (SPEC §10 and its settled readings).

    `rows`: (unit, rank in group, published score, grade after rules), every scored
    unit of the group.  For each grade with `max_share`, best first: n = the group's
    scored units, k = floor(n × share / 100); the units holding the grade, by rank,
    keep it in the first k places, and so does every member of a tie block any of
    whose members is within the first k places (the quota is then exceeded); the
    others drop one grade — where they may meet the next grade's quota (cascade).
    A unit a rule put below the grade takes no place in its quota.  Returns each
    unit's grade and the notes for every grade with a quota that holders met.
    """
    names = [g.name for g in scheme.grades]
    grades = {u: g for u, _, _, g in rows}
    order = sorted(rows, key=lambda x: (x[1], x[0]))
    n = len(rows)
    notes: list[QuotaNote] = []
    for i, g in enumerate(scheme.grades):
        if g.max_share is None or i == len(scheme.grades) - 1:
            continue
        allowed = int(n * g.max_share // 100)
        holders = [(u, r, s) for u, r, s, _ in order if grades[u] == g.name]
        if not holders:
            continue
        kept_scores = {s for _, _, s in holders[:allowed]}
        kept = tuple(u for u, _, s in holders if s in kept_scores)
        moved = tuple((u, r) for u, r, s in holders if s not in kept_scores)
        for u, _ in moved:
            grades[u] = names[i + 1]
        notes.append(QuotaNote(group, g.name, names[i + 1], g.max_share, n, allowed, kept,
                               moved))
    return grades, notes
