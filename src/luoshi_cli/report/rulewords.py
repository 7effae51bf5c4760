"""A rule's conditions in words (SPEC §10): one vocabulary for every output.

The bulletin words why a rule applied (存在“形式主义”问题、扣分2次) and `score
--explain` says the same, in the same words, in Chinese and in English: a
condition's key (`deductions_count: 2 ≥ 2`) or a category's id (`slack`) is the
scheme's notation, not something a unit reads.  Each condition of `rules.CONDITIONS`
has its words here, in the order `--explain` lists them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..core.labels import FLAG_KIND, quoted
from ..core.model import RecordFlag, Rule, Scheme

if TYPE_CHECKING:
    from ..ops.scoring import UnitScore


def rule_causes(scheme: Scheme, u: UnitScore, rule: Rule, flags: Sequence[RecordFlag],
                lang: str, *, ids: bool = False, inside: str | None = None) -> list[str]:
    """Each condition of a rule that held for the unit, in words, in the order
    `--explain` lists them (`rules.CONDITIONS`).  `flags`: the unit's record flags that
    count in the period (`period_flags`), for the reason a veto quotes.  Each says what
    the unit had (a count), never the rule's threshold; with `ids` (`--explain`, read by
    the office) the overdue rectifications are named by id as well.  `inside`: the causes
    go in brackets after the rule named so (`--explain`'s "rule veto (…) downgrades"):
    a flag's reason follows a colon, not brackets in brackets, and the flag's kind is
    left out where it is the rule's name ("rule veto (veto (…))" said it twice)."""
    zh = lang == "zh"
    cats = {c.id: c.name for c in scheme.deduction_categories}
    out = []
    if rule.deductions_in:
        hit = [c for c in rule.deductions_in if c in {i.category for i in u.incidents}]
        names = [cats.get(c, c) for c in (hit or rule.deductions_in)]
        out.append("存在" + "、".join(quoted(n) for n in names) + "问题" if zh
                   else "deductions for " + ", ".join(quoted(n) for n in names))
    if rule.flag:
        reasons = [f.reason for f in flags if f.kind == rule.flag and f.reason]
        kind = FLAG_KIND.get(rule.flag)
        name = (kind.zh if zh else kind.en) if kind is not None else rule.flag
        if inside is None:
            out.append(name + (f"（{reasons[0]}）" if zh and reasons
                               else f" ({reasons[0]})" if reasons else ""))
        elif name.casefold() == inside.casefold():
            out.extend(reasons[:1])  # (no reason: the rule's name says it all)
        else:
            out.append(name + (f"：{reasons[0]}" if zh and reasons
                               else f": {reasons[0]}" if reasons else ""))
    if rule.deductions_count_min is not None:
        wanted = rule.deductions_count_in
        n = sum(1 for i in u.incidents if not wanted or i.category in wanted)
        names = [cats.get(c, c) for c in wanted]
        if zh:
            out.append(("、".join(quoted(x) for x in names) + "问题" if names else "")
                       + f"扣分{n}次")
        else:
            out.append(f"{n} deduction{'s' if n != 1 else ''}"
                       + (" for " + ", ".join(quoted(x) for x in names) if names else ""))
    if rule.overdue_tasks_min is not None:
        n = u.overdue
        out.append(f"牵头任务逾期节点{n}个" if zh else
                   f"{n} overdue milestone{'s' if n != 1 else ''} on tasks it leads")
    if rule.bonuses_in:
        bcats = {c.id: c.name for c in scheme.bonus_categories}
        hit = [c for c in rule.bonuses_in if c in {b.category for b in u.bonuses}]
        names = [bcats.get(c, c) for c in (hit or rule.bonuses_in)]
        out.append("获得" + "、".join(quoted(x) for x in names) + "加分" if zh
                   else "a bonus for " + ", ".join(quoted(x) for x in names))
    if rule.rectifications_overdue_min is not None:
        late = u.overdue_rectifications
        n = len(late)
        named = ("：" + "、".join(late) if zh else ": " + ", ".join(late)) if ids and late else ""
        out.append(f"逾期未完成整改{n}项{named}" if zh else
                   f"{n} rectification{'s' if n != 1 else ''} overdue{named}")
    if rule.late_milestones_min is not None:
        n = u.late_milestones
        out.append(f"牵头任务本期节点未按时完成{n}个" if zh else
                   f"{n} milestone{'s' if n != 1 else ''} of tasks it leads "
                   "not done on time in the period")
    if rule.rectifications_closed_late_min is not None:
        n = u.rectifications_closed_late
        out.append(f"整改超期完成{n}项" if zh else
                   f"{n} rectification{'s' if n != 1 else ''} closed after the deadline")
    return out
