"""Rules of the period records (SPEC §6 "Records"): every number in range, every id
known, every assessed unit scored — or a warning naming the gap.

"Assessed units" are the units that appear in any record's scores or items: a
department that only does the scoring (党群工作部) is in units.yaml but is not
itself assessed, and must not be nagged about missing scores.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping, Sequence
from decimal import Decimal

from ..core.assessment import (
    READ_BY,
    SCORINGS,
    assessed_units,
    credited_units,
    excluded_by,
    inapplicable,
    not_assessed,
    ranks_credited,
    scored_units,
    tasks_by_lead,
)
from ..core.codes import L
from ..core.finding import Finding, KeyPath, finding
from ..core.labels import STATUS, cadence_words
from ..core.labels import as_written as _num
from ..core.model import FLAG_KINDS, Component, DeductionCategory, Ledger, Record, TaskKey
from ..core.periods import bounds, cadence_of
from ..core.slips import reference_slip
from .refs import UNIT, Hint, Hints, MeantUnits, unit_names
from .registry import Context, check, near, unit_name
from .scheme import sound_categories


@check
def unassessed_units(ctx: Context) -> Iterator[Finding]:
    """A unit no record scores is silently left out of the ranking — unless the office
    says so with `assessed: false` (e.g. the 考核办 that does the scoring)."""
    led = ctx.ledger
    if led.scheme is None or not led.records or "units" in led.broken:
        return
    # the units scoring ranks: in an all-`source: tasks` scheme every unit a leaf
    # credits with a task (the lead, and the units its `credit` names) too
    assessed = set(scored_units(led, leads=_credited(led, ctx.keys)))
    leaves = led.scheme.leaves()
    all_tasks = bool(leaves) and all(c.source == "tasks" for c in leaves)
    roles: dict[str, tuple[list[str], list[str]]] | None = None
    for u in led.units.values():
        if u.assessed is None and u.id not in assessed:
            if not all_tasks:
                yield finding("LS412", u.src.file, path=u.src.at("id"), unit=u.id, name=u.name)
                continue
            if roles is None:
                roles = _roles(ctx.keys)
            why, fix = _tasks_only_advice(u.id, leaves, roles.get(u.id, ([], [])))
            yield finding("LS412", u.src.file, path=u.src.at("id"), unit=u.id, name=u.name,
                          why=why, fix=fix)


def _roles(keys: Sequence[TaskKey]) -> dict[str, tuple[list[str], list[str]]]:
    """Each unit's complete tasks as 责任单位 and as 配合单位, in file order: made once
    for every unit LS412 advises (a list scan per unit took minutes on a ledger of
    100,000 tasks and thousands of units)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for k in keys:
        if not k.complete:
            continue
        for u in k.units:
            out.setdefault(u, ([], []))[0].append(k.id)
        for u in k.cooperating:
            out.setdefault(u, ([], []))[1].append(k.id)
    return out


def _tasks_only_advice(unit: str, leaves: Sequence[Component],
                       roles: tuple[list[str], list[str]]) -> tuple[L, L]:
    """LS412's why and fix when every leaf is `source: tasks`: no record scores a unit
    then (a score written there is LS410), a leaf credits it with tasks.  A unit that
    is a task's 责任单位 is ranked under `credit: responsible`, a 配合单位 under
    `credit: all`; one no task names needs a task it leads; and any may be
    `assessed: false`.  `roles`: the unit's tasks as 责任单位 and as 配合单位 (`_roles`)."""
    named_zh = "、".join(dict.fromkeys(c.id for c in leaves))
    named = ", ".join(dict.fromkeys(c.id for c in leaves))
    off = L("，或在 units.yaml 中写明 assessed: false（不参加考核）",
            ", or mark it assessed: false in units.yaml")
    for ids, credit, zh_role, en_role, credited in (
            (roles[0], "responsible", "责任单位",
             "responsible", L("只计牵头单位", "credit lead units only")),
            (roles[1], "all", "配合单位",
             "cooperating", L("不计配合单位", "do not credit cooperating units"))):
        if not ids:
            continue
        ids = list(dict.fromkeys(ids))
        zh_ids = "、".join(ids[:3]) + (f"等{len(ids)}项" if len(ids) > 3 else "")
        en_ids = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        also = L("（连配合单位也考核则写 credit: all）",
                 " (credit: all ranks cooperating units too)") if credit == "responsible" \
            else L("", "")
        gap = "" if len(ids) > 3 else " "  # "T-1 的", "T-1、T-2、T-3等4项的"
        return (L(f"只是任务 {zh_ids}{gap}的{zh_role}，而考核办法的指标都按任务计分（source: tasks）"
                  f"且{credited.zh}",
                  f"is credited with no task (only a {en_role} unit of {en_ids}; the "
                  f"scheme's leaves, all source: tasks, {credited.en})"),
                L(f"要考核{zh_role}，请在指标 {named_zh} 上写 credit: {credit}{also.zh}{off.zh}",
                  f"to rank {en_role} units write credit: {credit} on {named}{also.en}"
                  f"{off.en}"))
    return (L("不牵头任何任务，而考核办法的指标都按任务计分（source: tasks）",
              "leads no task (every leaf of the scheme is scored from tasks: source: tasks)"),
            L("请为它安排一项由它牵头的任务（任务的 lead），记录中不能为它打分" + off.zh,
              "give it a task it leads (a task's lead): a record cannot score it" + off.en))


def _credited(led: Ledger, keys: Sequence[TaskKey]) -> Iterator[str]:
    """The units a `source: tasks` leaf credits with a complete task, the way scoring
    counts them (`credited_units`): made only when `scored_units` asks (an
    all-tasks scheme), not for every ledger."""
    yield from credited_units(led, [k for k in keys if k.complete])


def leaves_for(period: str, ledger: Ledger) -> list[Component]:
    """The leaves a record of this period must score: its own cadence only."""
    if ledger.scheme is None:
        return []
    cadence = cadence_of(period)
    return [c for c in ledger.scheme.leaves() if c.cadence == cadence]


@check
def record_periods(ctx: Context) -> Iterator[Finding]:
    first: dict[str, Record] = {}
    year = 0 if "config" in ctx.ledger.broken else ctx.ledger.config.year
    for r in ctx.ledger.records:
        if r.period in first:
            yield finding("LS402", r.src.file, path=("period",), period=r.period,
                          first=first[r.period].src.file)
        else:
            first[r.period] = r
        if year and r.year != year:
            yield finding("LS411", r.src.file, path=("period",), period=r.period, year=year)


@check
def record_scores(ctx: Context) -> Iterator[Finding]:
    led = ctx.ledger
    if led.scheme is None:
        return
    comps = {c.id: c for c in led.scheme.all_components()}
    skips = _Inapplicable(led)
    comp_hint = Hints(lambda: {c.id: c.name or "" for c in comps.values()}, _COMPONENT)
    units_read = "units" not in led.broken  # else units.yaml's own LS004/LS010 says why
    unit_hint = Hints(lambda: unit_names(led), UNIT)  # 崇业路街道 → 请写 chongyelu
    for r in led.records:
        f = r.src.file
        cadence = cadence_of(r.period)
        for unit, leaves in r.scores.items():
            if units_read and unit not in led.units:
                yield finding("LS110", f, path=("scores", unit), on_key=True,
                              what=L(f"{r.period} 得分", f"a {r.period} score"), id=unit,
                              **unit_hint(unit))
            for leaf, value in leaves.items():
                path = ("scores", unit, leaf)
                what = L(f"{unit} 的 {leaf} ", f"{unit} / {leaf}")
                c = comps.get(leaf)
                if c is None:
                    yield finding("LS113", f, path=path, on_key=True, what=what, id=leaf,
                                  **comp_hint(leaf))
                    continue
                problem = _misplaced_score(c, cadence)
                if problem is not None:
                    yield finding("LS410", f, path=path, on_key=True, what=what, problem=problem)
                if not 0 <= value <= 100:
                    yield finding("LS403", f, path=path, what=what, value=_num(value))
                if problem is None and not_assessed(led, unit):
                    yield finding("LS419", f, path=path, period=r.period,
                                  unit=unit_name(ctx, unit))
                elif problem is None and leaf in skips(unit):
                    yield skips.ls417(f, path, unit, (c,), on_key=True, period=r.period,
                                      named=unit_name(ctx, unit))


def _ranges(deductions: Sequence[DeductionCategory], bonuses: Sequence[DeductionCategory]
            ) -> set[tuple[str, str]]:
    """The categories ("deduction" or "bonus", id) whose range a record's points can
    be judged by: defined once, with min not above max."""
    return {(side, c.id) for side, cats in (("deduction", deductions), ("bonus", bonuses))
            for c in sound_categories(cats)}


#: a scheme component, as a reference's hint names it (`Hints`)
_COMPONENT = L("指标", "component")


class _Inapplicable:
    """`skips(unit)`: the components `applies_to` does not assess `unit` on (none for
    a unit not in units.yaml: that is LS110's).  A score written for one of them is
    left out of the score (SPEC §10) -- data the user wrote, dropped: LS417 says so."""

    def __init__(self, led: Ledger) -> None:
        self._led = led
        self._known: dict[str, dict[str, Component]] = {}

    def __call__(self, unit: str) -> Mapping[str, Component]:
        """Each component left out for `unit`, with the one whose applies_to does it."""
        known = self._known.get(unit)
        if known is None:
            u = self._led.units.get(unit)
            comps = self._led.scheme.components if self._led.scheme is not None else ()
            known = self._known[unit] = (excluded_by(comps, unit, u.kind)
                                         if u is not None else {})
        return known

    def ls417(self, file: str, path: KeyPath, who: str, leaves: Sequence[Component], *,
              period: str, named: str, on_key: bool = False) -> Finding:
        """LS417 for a value written for `leaves`, left out for unit `who` (`named`,
        as the message names it) in `period`: it names
        the applies_to to edit -- the leaf's own, or the parent's that holds it --
        at its line in scheme.yaml."""
        holders = list(dict.fromkeys(self(who)[c.id] for c in leaves))
        # each holder as what it is: a leaf holding its own applies_to, or a parent
        own = {c.id for c in leaves}
        words = []
        for mine, zh, en in ((True, "指标", "component"), (False, "上级指标", "the parent component")):
            if group := [h for h in holders if (h.id in own) == mine]:
                names = _leaf_names(group)
                words.append(L(f"{zh} {names.zh}", f"{en} {names.en}"))
        holder = L("、".join(w.zh for w in words) + " ", " and ".join(w.en for w in words))
        scheme = self._led.scheme
        where = scheme.src.file if scheme is not None else "scheme.yaml"
        # several places: one line cannot name them all, the file does
        related = (where, holders[0].src.at("applies_to")) if len(holders) == 1 else None
        return finding("LS417", file, path=path, on_key=on_key, related=related,
                       period=period, leaf=_leaf_names(leaves), unit=named, holder=holder,
                       first=where)


def _misplaced_score(c: Component, cadence: str) -> L | None:
    if not c.is_leaf:
        return L(f"{c.id} 有下级指标，得分由下级汇总，不能直接打分",
                 f"{c.id} has children; its score rolls up from them and cannot be given")
    if c.items:
        return L(f"{c.id} 按评分细项计分：请在 items: 下给出各细项得分",
                 f"{c.id} is scored by its checklist: give item points under items:")
    if c.source == "tasks":
        return L(f"{c.id} 由任务台账计算（source: tasks），不能直接打分；请在 quality: 下给出任务质量分",
                 f"{c.id} is computed from tasks (source: tasks); give task quality under quality:")
    if c.cadence != cadence:
        every = cadence_words(c.cadence)
        return L(f"{c.id} {every.zh}考核，不应出现在这个期间的记录中",
                 f"{c.id} is assessed {every.en}, not in this record's period")
    return None


@check
def record_items(ctx: Context) -> Iterator[Finding]:
    led = ctx.ledger
    if led.scheme is None:
        return
    comps = {c.id: c for c in led.scheme.all_components()}
    skips = _Inapplicable(led)
    comp_hint = Hints(lambda: {c.id: c.name or "" for c in comps.values()}, _COMPONENT)
    units_read = "units" not in led.broken  # else units.yaml's own LS004/LS010 says why
    unit_hint = Hints(lambda: unit_names(led), UNIT)  # 崇业路街道 → 请写 chongyelu
    for r in led.records:
        f = r.src.file
        for unit, leaves in r.items.items():
            if units_read and unit not in led.units:
                yield finding("LS110", f, path=("items", unit), on_key=True,
                              what=L(f"{r.period} 细项得分", f"a {r.period} item score"), id=unit,
                              **unit_hint(unit))
            for leaf, earned in leaves.items():
                c = comps.get(leaf)
                what = L(f"{unit} 的 {leaf} ", f"{unit} / {leaf}")
                if c is None:
                    yield finding("LS113", f, path=("items", unit, leaf), on_key=True, what=what,
                                  id=leaf, **comp_hint(leaf))
                    continue
                if not c.items:
                    yield finding("LS410", f, path=("items", unit, leaf), on_key=True, what=what,
                                  problem=L(f"{leaf} 没有评分细项：请在 scores: 下直接打分",
                                            f"{leaf} has no checklist: give its score under "
                                            f"scores:"))
                    continue
                if not_assessed(led, unit):
                    yield finding("LS419", f, path=("items", unit, leaf), period=r.period,
                                  unit=unit_name(ctx, unit))
                elif leaf in skips(unit):
                    yield skips.ls417(f, ("items", unit, leaf), unit, (c,), on_key=True,
                                      period=r.period, named=unit_name(ctx, unit))
                elif leaf in r.not_applicable.get(unit, ()):  # n/a wins: points dropped
                    yield finding("LS418", f, path=("items", unit, leaf), on_key=True,
                                  period=r.period, leaf=c.name or c.id,
                                  unit=unit_name(ctx, unit))
                points = {it.id: it.points for it in c.leaf_items()}
                for item, value in earned.items():
                    path = ("items", unit, leaf, item)
                    if item not in points:
                        yield finding("LS114", f, path=path, on_key=True, what=what, leaf=leaf,
                                      id=item, hint=near(item, points, earned))
                    elif not 0 <= value <= points[item]:
                        yield finding("LS404", f, path=path, unit=unit_name(ctx, unit), item=item,
                                      value=_num(value), points=_num(points[item]))


def _all_known_in_range(quality: Mapping[str, Decimal], task_ids: frozenset[str]) -> bool:
    """Whether a record's quality scores name known tasks only, each 0–100: then
    they make no finding, and the loop over them (a record may score all 100,000
    tasks) is left out — these tests run in C."""
    if not quality:
        return True
    values = quality.values()
    return quality.keys() <= task_ids and min(values) >= 0 and max(values) <= 100


@check
def record_quality_and_deductions(ctx: Context) -> Iterator[Finding]:
    led = ctx.ledger
    task_ids = ctx.task_ids  # an incomplete task exists: its own finding says why
    cats = {d.id: d for d in led.scheme.deduction_categories} if led.scheme else {}
    units_read = "units" not in led.broken  # else units.yaml's own LS004/LS010 says why
    unit_hint = Hints(lambda: unit_names(led), UNIT)  # 崇业路街道 → 请写 chongyelu
    # 推进不力、敷衍应付 → 请写 slack: a category's name written for its id
    cat_hint = Hints(lambda: {i: c.name or "" for i, c in cats.items()}, _DEDUCTION)
    bonus_cats = {b.id: b for b in led.scheme.bonus_categories} if led.scheme else {}
    # a range the scheme gives wrong -- reversed (LS306) or written twice (LS108) -- is
    # the scheme's error, said there once: no record's points can be judged by it
    judged = _ranges(led.scheme.deduction_categories, led.scheme.bonus_categories) \
        if led.scheme else set()
    bonus_hint = Hints(lambda: {i: c.name or "" for i, c in bonus_cats.items()}, _BONUS)
    # the flag kinds the scheme's rules read (`when: {flag: veto}`), in their order
    read_flags = list(dict.fromkeys(
        rule.flag for rule in (led.scheme.rules if led.scheme else ()) if rule.flag))
    for r in led.records:
        f = r.src.file
        start, end = bounds(r.period)
        for task, value in () if _all_known_in_range(r.quality, task_ids) else r.quality.items():
            if task not in task_ids:
                yield finding("LS116", f, path=("quality", task), on_key=True,
                              what=L(f"{r.period} 质量评分", f"a {r.period} quality score"), id=task,
                              **_task_hint(task, ctx, r.quality))
            if not 0 <= value <= 100:
                yield finding("LS403", f, path=("quality", task),
                              what=L(f"任务 {task} ", f"task {task}"), value=_num(value))
        for task, per_unit in r.quality_by_unit.items():
            if task not in task_ids:
                yield finding("LS116", f, path=("quality", task), on_key=True,
                              what=L(f"{r.period} 质量评分", f"a {r.period} quality score"), id=task,
                              **_task_hint(task, ctx, r.quality_by_unit))
            for unit, value in per_unit.items():
                if units_read and unit not in led.units:
                    yield finding("LS110", f, path=("quality", task, unit), on_key=True,
                                  what=L(f"任务 {task} 的质量评分", f"a quality score of task {task}"),
                                  id=unit, **unit_hint(unit))
                if not 0 <= value <= 100:
                    yield finding("LS403", f, path=("quality", task, unit),
                                  what=L(f"任务 {task} ", f"task {task}"), value=_num(value))
        for d in r.deductions:
            if units_read and d.unit not in led.units:
                yield finding("LS110", f, path=d.src.at("unit"),
                              what=L("扣分记录", "a deduction"), id=d.unit,
                              **unit_hint(d.unit))
            cat = cats.get(d.category)
            if led.scheme is not None and cat is None:
                yield finding("LS115", f, path=d.src.at("category"),
                              what=L("扣分记录", "a deduction"), id=d.category,
                              **cat_hint(d.category))
            elif cat is not None and ("deduction", cat.id) in judged and not cat.min <= d.points <= cat.max:
                yield finding("LS405", f, path=d.src.at("points"), unit=unit_name(ctx, d.unit),
                              value=_num(d.points), category=cat.name or cat.id, min=_num(cat.min),
                              max=_num(cat.max))
            if not_assessed(led, d.unit):
                yield finding("LS424", f, path=d.src.at("unit"), period=r.period,
                              what=L("扣分", "deduction"), unit=unit_name(ctx, d.unit))
            if d.date is not None and not start <= d.date <= end:
                yield finding("LS406", f, path=d.src.at("date"), what=L("扣分", "deduction"),
                              date=d.date, period=r.period)
            if d.restored is not None:
                if d.date is not None and d.restored.date <= d.date:
                    yield finding("LS414", f, path=d.src.at("restored", "date"),
                                  unit=unit_name(ctx, d.unit),
                                  date=d.date, restored=d.restored.date)
                if not d.provisional and "provisional" not in d.missing:
                    yield finding("LS415", f, path=d.src.at("restored"), on_key=True,
                                  unit=unit_name(ctx, d.unit), date=d.date)
                if d.restored.date > ctx.latest:  # a return not yet made counts as made
                    yield finding("LS704", f, path=d.src.at("restored", "date"),
                                  what=L(f"{unit_name(ctx, d.unit)} 的预扣分返还日期",
                                         f"the return of {unit_name(ctx, d.unit)}'s provisional "
                                         "deduction"),
                                  when=d.restored.date, as_of=ctx.latest)
        for b in r.bonuses:
            if units_read and b.unit not in led.units:
                yield finding("LS110", f, path=b.src.at("unit"), what=L("加分记录", "a bonus"),
                              id=b.unit, **unit_hint(b.unit))
            bcat = bonus_cats.get(b.category)
            if led.scheme is not None and bcat is None:
                yield finding("LS416", f, path=b.src.at("category"),
                              what=L("加分记录", "a bonus"), id=b.category,
                              **bonus_hint(b.category))
            elif (bcat is not None and ("bonus", bcat.id) in judged
                  and not bcat.min <= b.points <= bcat.max):
                yield finding("LS413", f, path=b.src.at("points"), unit=unit_name(ctx, b.unit),
                              value=_num(b.points), category=bcat.name or bcat.id,
                              min=_num(bcat.min),
                              max=_num(bcat.max))
            if not_assessed(led, b.unit):
                yield finding("LS424", f, path=b.src.at("unit"), period=r.period,
                              what=L("加分", "bonus"), unit=unit_name(ctx, b.unit))
            if b.date is not None and not start <= b.date <= end:
                yield finding("LS406", f, path=b.src.at("date"), what=L("加分", "bonus"),
                              date=b.date, period=r.period)
        for fl in r.flags:
            if units_read and fl.unit not in led.units:
                yield finding("LS110", f, path=fl.src.at("unit"), what=L("标记", "a flag"),
                              id=fl.unit, **unit_hint(fl.unit))
            if led.scheme is not None and fl.kind not in FLAG_KINDS and \
                    fl.kind not in read_flags:
                # a misspelt `veto` passed --strict and cancelled the rule's downgrade
                # without a word: the flag reaches no score, bulletin or export
                yield finding("LS423", f, path=fl.src.at("kind"), period=r.period,
                              unit=unit_name(ctx, fl.unit),
                              kind=fl.kind, rules=_flag_rules(read_flags),
                              hint=near(fl.kind, [*read_flags, *FLAG_KINDS]))
            if fl.date is not None and not start <= fl.date <= end:
                yield finding("LS406", f, path=fl.src.at("date"), what=L("标记", "flag"),
                              date=fl.date, period=r.period)


_DEDUCTION, _BONUS = L("扣分类别", "deduction category"), L("加分类别", "bonus category")


def _task_hint(task: str, ctx: Context, beside: Container[str]) -> Hint:
    """The hint of an unknown task a record scores: what to delete where the id is
    known but for a blank around it (`K-02　`: "did you mean K-02?" looked the same),
    the id to write where it is one task's title (a clerk keys the score by 老旧小区改造,
    the name the office knows the task by), else the closest id."""
    task_ids = ctx.task_ids
    slip = reference_slip(task, task_ids)
    if slip is not None:
        return {"hint": L("", ""), "fix": slip}
    meant = ctx.title_ids.get(task.strip())
    if meant is not None:
        title = task.strip()
        return {"hint": L("", ""),
                "fix": L(f"是不是任务 {meant}（{title}）？请写任务编号 {meant}",
                         f"did you mean task {meant} ({title})? Write its id {meant}")}
    return {"hint": near(task, task_ids, beside)}


def _flag_rules(kinds: Sequence[str]) -> L:
    """The flag kinds the scheme's rules read, for LS423: none said when there are none."""
    if not kinds:
        return L("", "")
    return L(f"（规则读的种类：{'、'.join(kinds)}）", f" (the rules read: {', '.join(kinds)})")


def _first_records(led: Ledger) -> Iterator[Record]:
    """Each period's first record, in the ledger's order: a second record of a period
    is reported as LS402 alone, and the checks over a period's values read the first."""
    seen: set[str] = set()
    for r in led.records:
        if r.period not in seen:
            seen.add(r.period)
            yield r


@check
def record_completeness(ctx: Context) -> Iterator[Finding]:
    """Every assessed unit scored on every leaf of the record's cadence, or a warning."""
    led = ctx.ledger
    if led.scheme is None:
        return
    units = assessed_units(led)
    for r in _first_records(led):
        leaves = leaves_for(r.period, led)
        for unit in units:
            missing = []
            kind = led.units[unit].kind if unit in led.units else None
            # not assessed for this unit (SPEC §10): applies_to, or n/a in the record
            skip = inapplicable(led.scheme.components, unit, kind) | set(
                r.not_applicable.get(unit, ()))
            for c in leaves:
                if c.source == "tasks" or c.id in skip:
                    continue
                if c.items:
                    earned = r.items.get(unit, {}).get(c.id)
                    if earned is None:
                        missing.append(c.name or c.id)
                        continue
                    gaps = [it.id for it in c.leaf_items() if it.id not in earned]
                    if gaps:
                        yield finding("LS408", r.src.file, path=("items", unit, c.id),
                                      on_key=True, period=r.period, unit=unit_name(ctx, unit),
                                      leaf=c.name or c.id,
                                      items=gaps)
                elif c.id not in r.scores.get(unit, {}):
                    missing.append(c.name or c.id)
            if missing:
                where = ("scores", unit) if unit in r.scores else ("period",)
                yield finding("LS407", r.src.file, path=where, on_key=True, period=r.period,
                              unit=unit_name(ctx, unit), leaves=missing)


def _weighs_quality(c: Component) -> bool:
    """A `source: tasks` leaf whose quality weight counts: with `quality: 0` (all
    timeliness) a missing quality score changes nothing, so it is no warning."""
    return c.source == "tasks" and c.quality is not None and c.quality > 0


@check
def record_task_quality(ctx: Context) -> Iterator[Finding]:
    """LS409: a `source: tasks` leaf takes each task's quality from the period record;
    a task due in the period without one counts 0 — the warning `score` gives too.
    So does a unit a per-unit map (`T-1: {zjj: 85}`) leaves out that the leaf credits
    with the task (SPEC §10 `credit`): the lead, a 责任单位 under `credit: responsible`,
    a cooperating unit under `credit: all` — each named, on the task's line."""
    led = ctx.ledger
    if led.scheme is None or not any(_weighs_quality(c) for c in led.scheme.leaves()):
        return
    tasks: list[TaskKey] | None = None
    units: list[str] | None = None
    by_id: dict[str, TaskKey] | None = None
    for r in _first_records(led):
        weighing = [c for c in leaves_for(r.period, led) if _weighs_quality(c)]
        if not weighing:
            continue
        start, end = (d.toordinal() for d in bounds(r.period))
        # only the tasks without a quality score can be findings: a record usually
        # scores every task (100,000 of them), so the index is made of the few left,
        # found by set difference (in C); none left, nothing to report
        unscored = ctx.complete_ids.difference(r.quality, r.quality_by_unit)
        if not unscored and not r.quality_by_unit:
            continue
        if tasks is None:
            tasks = [k for k in ctx.keys if k.complete]
        if units is None:
            units = scored_units(led, leads=_credited(led, tasks))
        index = tasks_by_lead([k for k in tasks if k.id in unscored])
        assessed = set(units)
        # by lead unit, then a task whose lead is not assessed (the 督查室 that leads
        # and does not score itself) but whose credited 责任单位 is
        others = [t for lead, led_tasks in sorted(index.items()) if lead not in assessed
                  for t in led_tasks if assessed.intersection(_credited_by(t, weighing))]
        for task in [t for unit in units for t in index.get(unit, ())] + others:
            # due in the period: the tasks `scoring.tasks_leaf` scores this leaf on
            if any(start <= d <= end for d in task.dues):
                yield finding("LS409", r.src.file,
                              path=("quality",) if r.quality or r.quality_by_unit
                              else ("period",),
                              on_key=True, period=r.period, task=task.id, whose="")
        if not r.quality_by_unit:
            continue
        if by_id is None:
            by_id = {}
            for k in tasks:
                by_id.setdefault(k.id, k)
        for task_id, per_unit in r.quality_by_unit.items():
            key = by_id.get(task_id)
            if key is None or key.status == "suspended" or not any(
                    start <= d <= end for d in key.dues):
                continue
            for unit in _left_out(key, per_unit, weighing, assessed, r, led):
                yield finding("LS409", r.src.file, path=("quality", task_id), on_key=True,
                              period=r.period, task=task_id, whose=_whose(ctx, unit))


def _left_out(key: TaskKey, per_unit: Mapping[str, Decimal], leaves: list[Component],
              assessed: set[str], r: Record, led: Ledger) -> list[str]:
    """The assessed units a leaf of `leaves` credits with the task (its `credit`) that
    the task's per-unit quality map leaves out: each scores that task's quality 0
    (`scoring.task_quality`) — unless the leaf is not assessed for it (`applies_to`,
    or `n/a` in the record)."""
    out: dict[str, None] = {}
    for c in leaves:
        for unit in _credited_by(key, (c,)):
            if unit in out or unit in per_unit or unit not in assessed:
                continue
            kind = led.units[unit].kind if unit in led.units else None
            if c.id in r.not_applicable.get(unit, ()) or c.id in inapplicable(
                    led.scheme.components if led.scheme else (), unit, kind):
                continue
            out[unit] = None
    return list(out)


def _credited_by(key: TaskKey, leaves: Sequence[Component]) -> list[str]:
    """The units `leaves` credit with the task (SPEC §10 `credit`, as
    `scoring.tasks_by_credit`): its lead; its 责任单位 under `responsible` or `all`;
    its cooperating units under `all`."""
    credits = {c.credit for c in leaves}
    return [key.lead, *(key.units if credits & {"responsible", "all"} else ()),
            *(key.cooperating if "all" in credits else ())]


def _whose(ctx: Context, unit: str) -> L:
    """"丙单位（uc）的" / " for 丙单位 (uc)": the unit a per-unit quality map leaves out,
    by name and by the id the map is keyed by."""
    name = unit_name(ctx, unit)
    if name == unit:
        return L(f" {unit} 的", f" for {unit}")
    return L(f"{name}（{unit}）的", f" for {name} ({unit})")


_PERIOD_WORDS = {"monthly": L("月度", "monthly"), "quarterly": L("季度", "quarterly"),
                 "annual": L("年度", "annual")}


@check
def record_quality_read(ctx: Context) -> Iterator[Finding]:
    """LS419–LS422 (and LS417): a task quality under `quality:` that no scoring reads
    is data the user wrote, dropped — each says why.  Scoring reads a record's
    quality of task T for unit U (`engine.tasks_leaf` and
    `task_quality`) only when a `source: tasks` leaf of the record's cadence credits U
    with T (`credit`, SPEC §10; a suspended task is credited to none,
    `tasks_by_credit`), U is ranked in a scoring that reads the record
    (`scored_units`; never a unit `assessed: false`), the leaf applies to U and is
    not `n/a` for it in the record, and a milestone of T falls due in the period
    (late credit and all: a milestone counts in the period of its due date).  A
    task's one number counts when it is read for some unit; each entry of a per-unit
    map only for its own unit."""
    led = ctx.ledger
    if led.scheme is None or not any(r.quality or r.quality_by_unit for r in led.records):
        return
    tasks_leaves = [c for c in led.scheme.leaves() if c.source == "tasks"]
    credited: list[str] | None = None
    skips = _Inapplicable(led)
    meant = MeantUnits(led)
    for r in _first_records(led):
        if not r.quality and not r.quality_by_unit:
            continue
        cadence = cadence_of(r.period)
        leaves = [c for c in tasks_leaves if c.cadence == cadence]
        if not leaves:
            yield finding("LS422", r.src.file, path=("quality",), on_key=True,
                          period=r.period, every=cadence_words(cadence),
                          fix=_elsewhere(tasks_leaves))
            continue
        if "units" in led.broken:  # units.yaml's own LS001/LS004/LS010 says why
            continue
        if credited is None and _needs_credited(led):
            credited = list(_credited(led, ctx.keys))
        assessed: set[str] = set()
        for cadences in READ_BY[cadence]:
            assessed.update(scored_units(led, leads=credited or (), cadences=cadences))
        # the units each leaf reads a task's quality for in this record
        reads = [(c, {u for u in assessed if c.id not in skips(u)
                      and c.id not in r.not_applicable.get(u, ())}) for c in leaves]
        start, end = (d.toordinal() for d in bounds(r.period))
        days = frozenset(range(start, end + 1))
        # a record usually gives the quality of every task (100,000 of them), read for
        # its lead: those are found in one pass over the keys, and only the rest -- a
        # few, the findings -- are looked at one by one (0.1 s at 100,000 tasks)
        leads = set().union(*(units for _, units in reads))
        off = days.isdisjoint
        read = {k.id for k in ctx.keys if k.complete and k.lead in leads
                and k.status != "suspended" and not off(k.dues)}
        wanted = (r.quality.keys() - read) | r.quality_by_unit.keys()
        if not wanted:
            continue
        by_id: dict[str, tuple[TaskKey, frozenset[str]]] = {}
        for k in ctx.keys:
            if k.complete and k.id in wanted and k.id not in by_id:
                by_id[k.id] = _as_meant(k, meant)
        f = r.src.file
        for task in [t for t in r.quality if t in wanted]:
            if task not in by_id:  # unknown (LS116) or incomplete (their own finding)
                continue
            key, unsure = by_id[task]
            if (key.status != "suspended" and not days.isdisjoint(key.dues)
                    and _unsure(unsure, [c for c, _ in reads])):
                continue  # who it counts for waits for LS110's fix
            why = _not_scored(ctx, key, days, reads)
            if why is not None:
                yield finding("LS421", f, path=("quality", task), period=r.period,
                              task=task, why=why, fix=_NO_DUE_FIX if why is _NO_DUE
                              else L("", ""))
        for task, per_unit in r.quality_by_unit.items():
            if task not in by_id:
                continue
            key, unsure = by_id[task]
            if key.status == "suspended" or days.isdisjoint(key.dues):
                why = _not_scored(ctx, key, days, [])
                yield finding("LS421", f, path=("quality", task), period=r.period,
                              task=task, why=why, fix=_NO_DUE_FIX if why is _NO_DUE
                              else L("", ""))
                continue
            for unit in per_unit:
                if unit not in led.units:  # LS110
                    continue
                path = ("quality", task, unit)
                if not_assessed(led, unit):
                    yield finding("LS419", f, path=path, period=r.period,
                                  unit=unit_name(ctx, unit))
                    continue
                if unit not in assessed:  # ranked nowhere: LS412 says so of the unit
                    continue
                crediting = [c for c in leaves if unit in _credited_by(key, (c,))]
                if not crediting:
                    if _unsure(unsure, leaves):
                        continue  # the reference LS110 names may be this unit
                    why, fix = _not_credited(ctx, key, unit, leaves)
                    yield finding("LS420", f, path=path, period=r.period, why=why, fix=fix)
                elif all(c.id in skips(unit) for c in crediting):
                    yield skips.ls417(f, path, unit, crediting, period=r.period,
                                      named=unit_name(ctx, unit))
                elif not any(unit in units for c, units in reads if c in crediting):
                    names = _leaf_names(crediting)
                    yield finding("LS420", f, path=path, period=r.period, why=L(
                        f"{_named(ctx, unit).zh} 的指标 {names.zh} 在本期记录中写为不适用（n/a）",
                        f"{names.en} is written n/a for {_named(ctx, unit).en} in this record"),
                        fix=L("，或删去 n/a", ", or remove the n/a"))


def _as_meant(key: TaskKey, meant: MeantUnits) -> tuple[TaskKey, frozenset[str]]:
    """Task `key` as its LS110 fixes would make it, and the roles ("lead", "units",
    "cooperating") holding a reference that names no one unit.  A reference that is
    the name of a unit (`lead: 区发改委`) or a known id but for a slip (`fgw　`) is read
    as that unit, so a quality score for the right unit is not called uncredited (and
    the clerk told to delete it); one naming no unit (`fgw1`) is left out, and what
    depends on its role -- who the task counts for -- is not judged until LS110 is
    fixed (`_unsure`).  Whether the task is suspended or has a milestone due does
    not depend on its units: those are judged as ever."""
    refs = (key.lead, *key.units, *key.cooperating)
    fixed = [meant(u) for u in refs]
    if fixed == list(refs):
        return key, frozenset()
    n = len(key.units)
    roles = ["lead", *["units"] * n, *["cooperating"] * len(key.cooperating)]
    unsure = frozenset(role for role, u in zip(roles, fixed, strict=True) if u is None)
    lead = fixed[0] if fixed[0] is not None else ""
    units = tuple(u for u in fixed[1:n + 1] if u is not None)
    cooperating = tuple(u for u in fixed[n + 1:] if u is not None)
    return key._replace(lead=lead, units=units, cooperating=cooperating), unsure


def _unsure(unsure: frozenset[str], leaves: Sequence[Component]) -> bool:
    """Whether `leaves` credit a task through a role that holds a reference naming no
    unit (`_as_meant`): its lead always, its 责任单位 under `responsible` or `all`, its
    cooperating units under `all` (`_credited_by`)."""
    if not unsure:
        return False
    credits = {c.credit for c in leaves}
    return ("lead" in unsure or ("units" in unsure and bool(credits & {"responsible", "all"}))
            or ("cooperating" in unsure and "all" in credits))


_NO_DUE = L("没有在本期到期的节点（milestones 的 due）",
            "has no milestone due in the period (milestones' due)")
_NO_DUE_FIX = L("，或写到它的节点到期那一期的记录中",
                ", or give it in the record of the period a milestone of it falls due in")


def _not_scored(ctx: Context, key: TaskKey, days: frozenset[int],
                reads: Sequence[tuple[Component, set[str]]]) -> L | None:
    """LS421's why: why no scoring of the period reads task `key`'s quality (None:
    one does) -- suspended, no milestone due in it, or credited to no unit a leaf reads
    it for (`reads`: each leaf and the units it reads a task's quality for)."""
    if key.status == "suspended":
        said = STATUS["suspended"]  # the one spelling of a status (core.labels)
        return L(f"已{said.zh}（status: suspended）", f"is {said.en} (status: suspended)")
    if days.isdisjoint(key.dues):
        return _NO_DUE
    for c, units in reads:
        if not units.isdisjoint(_credited_by(key, (c,))):
            return None
    whom = list(dict.fromkeys(_credited_by(key, [c for c, _ in reads])))
    zh = "、".join(unit_name(ctx, u) for u in whom)
    en = ", ".join(unit_name(ctx, u) for u in whom)
    return L(f"计入的单位（{zh}）都不按该指标计分：不参加考核（assessed: false）、"
             f"不适用该指标（applies_to）或在本期记录中写为不适用（n/a）",
             f"counts for units ({en}) none of which is scored on the component: not "
             f"assessed (assessed: false), not assessed on it (applies_to) or written n/a "
             f"for it in this record")


def _needs_credited(led: Ledger) -> bool:
    """Whether `scored_units` ranks the units tasks credit for a record of some
    cadence: a scoring whose leaves are all `source: tasks`."""
    return any(ranks_credited(led, cadences) for cadences in SCORINGS)


def _elsewhere(tasks_leaves: Sequence[Component]) -> L:
    """LS422's fix: the records of the cadences a `source: tasks` leaf is assessed on,
    or a leaf scored from tasks when the scheme has none."""
    kinds = [_PERIOD_WORDS[c] for c in dict.fromkeys(c.cadence for c in tasks_leaves)
             if c in _PERIOD_WORDS]
    if not kinds:
        return L("，或在 scheme.yaml 中设按任务计分的指标（source: tasks）",
                 ", or give the scheme a component scored from tasks (source: tasks)")
    return L(f"，或写到{'、'.join(k.zh for k in kinds)}的记录中",
             f", or give them in the {' and '.join(k.en for k in kinds)} records")


def _leaf_names(leaves: Sequence[Component]) -> L:
    names = [c.name or c.id for c in leaves]
    return L("、".join(names), ", ".join(names))


def _named(ctx: Context, unit: str) -> L:
    """"区教育局（jiaoyuju）" / "区教育局 (jiaoyuju)": a unit by name and by the id
    the per-unit quality map is keyed by."""
    name = unit_name(ctx, unit)
    if name == unit:
        return L(unit, unit)
    return L(f"{name}（{unit}）", f"{name} ({unit})")


def _not_credited(ctx: Context, key: TaskKey, unit: str,
                  leaves: Sequence[Component]) -> tuple[L, L]:
    """LS420's why and fix for a unit the record's `source: tasks` leaves do not credit
    with the task (SPEC §10 `credit`): the units they do, and what would credit it."""
    modes = list(dict.fromkeys(c.credit for c in leaves))
    whom = list(dict.fromkeys(_credited_by(key, leaves)))
    zh_whom = "、".join(unit_name(ctx, u) for u in whom)
    en_whom = ", ".join(unit_name(ctx, u) for u in whom)
    mode = " / ".join(modes)
    names = _leaf_names(leaves)
    who = _named(ctx, unit)
    why = L(f"按指标 {names.zh} 的 credit: {mode}，任务 {key.id} 只计入 {zh_whom}，不计入 {who.zh}",
            f"by credit: {mode} of {names.en}, task {key.id} counts for {en_whom} only, "
            f"not for {who.en}")
    if unit in key.units:  # a 责任单位 under credit: lead
        fix = L("，或在指标上写 credit: responsible（计入责任单位）",
                ", or write credit: responsible on the component (credit responsible units)")
    elif unit in key.cooperating:
        fix = L("，或在指标上写 credit: all（也计入配合单位）",
                ", or write credit: all on the component (credit cooperating units too)")
    elif {"responsible", "all"}.intersection(modes):
        fix = L("，或在任务的 units 中列出它（责任单位）",
                ", or list it in the task's units (responsible units)")
    else:
        fix = L("", "")
    return why, fix
