"""Where every task stands at a date (SPEC §5): lights, expected progress (序时进度)
and the office's roll-ups.

Everything here is a pure function of the ledger and an `as_of` date — never
"today" — so `luoshi status --as-of 2024-05-31` gives the same bytes on every
machine and every day, and the bulletin, the Excel export and `luoshi diff` can
all call the same functions and agree.

The ledger holds the *current* state of each task; an as-of date in the past is
answered from the dates the ledger records, so that the past shows the past:
a milestone whose `done` date is after as-of was not done then, a task closed
after as-of was not closed then, and progress comes from the monthly update of
as-of's month or earlier (see `progress_at`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cached_property, lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from ..core.model import (
    FINISHED,
    STATUSES,
    Config,
    Ledger,
    Milestone,
    Task,
    positional_maker,
)
from ..core.numbers import fixed_context
from ..core.rhythm import month_of
from ..core.rhythm import stale as stale_month
from ..core.targets import achieved as achieved_pct

Light = Literal["green", "yellow", "red"]
#: worst first: the order lists and counts are shown in
LIGHTS: tuple[Light, ...] = ("red", "yellow", "green")
#: statuses that carry no light (SPEC §5) and are left out of the on-time rate (suspended)
UNLIT = ("closed", "suspended")
#: the roll-up dimensions, in the order they are reported
DIMENSIONS = ("category", "lead", "leader", "group", "unit", "tag")

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


class Overdue(NamedTuple):
    """A milestone past due and not done at as-of (红灯): its due date and by how much."""

    due: date
    days: int


@dataclass(frozen=True, slots=True)
class YellowReason:
    """Why a task is at risk (黄灯/预警).

    `due_soon`: the milestone due `due` is not done and falls due in `days` days
    (0 = due on the as-of date).  `behind`: progress is `points` below expected.
    """

    kind: Literal["due_soon", "behind"]
    due: date | None = None
    days: int | None = None
    points: Decimal | None = None


@dataclass(frozen=True, slots=True)
class TaskState:
    """One task judged at one date."""

    #: the status at as-of (differs from the ledger's only for a past as-of: `status_at`)
    status: str
    #: None for closed and suspended tasks: they are not judged
    light: Light | None
    #: 序时进度, percent, 2 places
    expected: Decimal
    #: reported progress at as-of
    progress: Decimal
    overdue: tuple[Overdue, ...]
    yellow_reasons: tuple[YellowReason, ...]
    #: the month whose report is missing (monthly rhythm, LS601), or None
    stale: str | None
    #: milestones due before as-of, and how many of them were done by their due date
    milestones_due: int
    milestones_on_time: int
    #: 完成值/目标值 in percent (SPEC §11), when the task has a target and an actual
    achieved: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Rollup:
    """Counts and rates over a set of tasks (one category, one unit, ... or all)."""

    id: str
    name: str
    tasks: int
    by_status: dict[str, int]
    green: int
    yellow: int
    red: int
    #: done + closing + closed
    finished: int
    milestones_due: int
    milestones_on_time: int
    #: percent, 2 places; None when there is nothing to divide by
    completion_rate: Decimal | None
    on_time_rate: Decimal | None


TaskRow = tuple[Task, TaskState]


@dataclass(frozen=True)
class StatusReport:
    """The monthly view: totals, roll-ups, and every task with its state.

    `tasks` is sorted by task id; `red`, `yellow` and `stale` are views of it.
    `with_light()` narrows the task lists without touching the figures.
    """

    as_of: date
    ledger: Ledger
    unit: str | None
    totals: Rollup
    by_category: tuple[Rollup, ...]
    by_lead: tuple[Rollup, ...]
    by_leader: tuple[Rollup, ...]
    by_group: tuple[Rollup, ...]
    by_unit: tuple[Rollup, ...]
    tasks: tuple[TaskRow, ...]
    #: the --light filter applied to the task lists, if any
    light: Light | None = None
    #: roll-up by the lists of luoshi.yaml `tags` (a task counts on each of its lists)
    by_tag: tuple[Rollup, ...] = ()
    #: the task rows before `with_light` narrowed them (None: not narrowed): a
    #: parent's children and the 应督办 list are about every task of the view, not
    #: only those of the light asked for (audit: `--light green` showed a green
    #: parent with no children and 应督办 "无" beside a red task)
    unlit: tuple[TaskRow, ...] | None = None
    #: with `unit`: the rows of every task of the ledger that has a parent, by id —
    #: a parent's decomposition is the same in a unit's view (audit: `--unit fgw`
    #: showed T-1, which fgw leads, with no children, as its towns lead them)
    family: tuple[TaskRow, ...] | None = None

    def children(self, task_id: str) -> tuple[TaskRow, ...]:
        """The rows of the tasks decomposed from `task_id` (分解), by id: the status
        of a parent never depends on the order its children are written in, nor on
        the light or the unit the view is narrowed to."""
        return self._children.get(task_id, ())

    @cached_property
    def _children(self) -> dict[str | None, tuple[TaskRow, ...]]:
        """Every row under its parent's id, in `tasks` order, made once per report:
        the status JSON asks for the children of every task, and a scan of all tasks
        per task took minutes at 20,000 tasks."""
        index: dict[str | None, list[TaskRow]] = {}
        rows = (self.family if self.family is not None
                else self.tasks if self.unlit is None else self.unlit)
        for r in rows:
            index.setdefault(r[0].parent, []).append(r)
        return {parent: tuple(rows) for parent, rows in index.items()}

    @property
    def red(self) -> tuple[TaskRow, ...]:
        return tuple(r for r in self.tasks if r[1].light == "red")

    @property
    def red_unlit(self) -> tuple[TaskRow, ...]:
        """The red rows of the view whatever `--light` narrowed the lists to."""
        return tuple(r for r in (self.tasks if self.unlit is None else self.unlit)
                     if r[1].light == "red")

    @property
    def yellow(self) -> tuple[TaskRow, ...]:
        return tuple(r for r in self.tasks if r[1].light == "yellow")

    @property
    def green(self) -> tuple[TaskRow, ...]:
        return tuple(r for r in self.tasks if r[1].light == "green")

    @property
    def stale(self) -> tuple[TaskRow, ...]:
        return tuple(r for r in self.tasks if r[1].stale is not None)

    def rollups(self, dimension: str) -> tuple[Rollup, ...]:
        """The roll-up list of one of `DIMENSIONS`."""
        if dimension not in DIMENSIONS:
            raise ValueError(f"unknown roll-up dimension: {dimension}")
        result: tuple[Rollup, ...] = getattr(self, f"by_{dimension}")
        return result

    def with_light(self, light: Light | None) -> StatusReport:
        """Only the tasks of one light in the task lists; figures stay whole."""
        if light is None:
            return self
        return replace(self, tasks=tuple(r for r in self.tasks if r[1].light == light),
                       light=light, unlit=self.tasks if self.unlit is None else self.unlit)

    def unit_name(self, unit: str) -> str:
        return self.ledger.unit_name(unit)

    def leader_name(self, leader: str) -> str:
        return self.ledger.leader_name(leader)

    def category_name(self, category: str) -> str:
        c = self.ledger.category(category)
        return c.name if c else category


# ---- one task -----------------------------------------------------------------------


def done_by(m: Milestone, as_of: date) -> bool:
    """Done at as-of: a `done` date after as-of is a completion that had not happened."""
    return m.done is not None and m.done <= as_of


def status_at(task: Task, as_of: date) -> str:
    """The task's status at as-of, as far as the ledger's dates tell.

    The ledger records only the current status; a finished status is taken back
    when the ledger's own dates show it was not yet true at as-of:
    - closed with a `closed.date` after as-of: it was not signed off yet — `closing`
      (finished, awaiting sign-off) when all its milestones were done by as-of;
    - done/closing/closed with a milestone done after as-of: the work was not
      finished — `in_progress` (`planned` when the task had not started).
    `suspended`, `planned` and `in_progress` carry no dates and stand as written.
    """
    s = task.status
    if s == "closed":
        when = task.closed.date if task.closed is not None else None
        if when is None or when <= as_of:
            return s
    if s in FINISHED:
        if any(m.done is not None and m.done > as_of for m in task.milestones):
            return "planned" if task.start > as_of else "in_progress"
        if s == "closed":
            return "closing"
    return s


def progress_at(task: Task, as_of: date, status: str | None = None) -> Decimal:
    """Reported progress at as-of.

    `progress` is the latest report; it stands when as-of's month is at or after the
    last monthly update (or there are none), and when the task was finished at as-of
    (`status`, as `status_at` gives it: done, closing or closed by then — a
    milestone done in March makes the task done in March, whatever its April report
    says; the audit saw a task done on 28 March listed yellow "behind, 60 %" on the
    31st from its February report).  For an earlier as-of the latest update of
    as-of's month or before is what had been reported then; before the first update
    nothing had been reported: 0.
    """
    month = month_of(as_of)
    if not task.updates or max(u.month for u in task.updates) <= month:
        return task.progress
    if (status if status is not None else status_at(task, as_of)) in FINISHED:
        return task.progress
    known = [u for u in task.updates if u.month <= month and u.progress is not None]
    if not known:
        return Decimal(0)
    latest = max(known, key=lambda u: u.month).progress
    return latest if latest is not None else Decimal(0)


def expected_progress(task: Task, as_of: date) -> Decimal:
    """序时进度 = 100 × days(as-of − start) / days(last due − start), clamped, 2 places.

    A task whose last milestone is due on (or, against LS212, before) its start
    has no span to spread over: 0 before that date and 100 from it on.
    """
    return _expected(task.start, task.last_due, as_of)


@lru_cache(maxsize=4096)
def _expected(start: date, last_due: date, as_of: date) -> Decimal:
    """`expected_progress` of a task by its dates alone: 100,000 tasks judged at one
    as-of share a few hundred (start, last due) pairs, so the Decimal division and
    rounding run once per pair (the values are immutable: sharing them is safe) — under
    luoshi's own decimal context, so a kept value never depends on its first caller's."""
    span = (last_due - start).days
    with localcontext(fixed_context()):
        if span <= 0:
            return (_HUNDRED if as_of >= last_due else Decimal(0)).quantize(_CENT)
        value = _HUNDRED * (as_of - start).days / span
        value = min(max(value, Decimal(0)), _HUNDRED)
        return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def task_state(task: Task, as_of: date, config: Config) -> TaskState:
    """Light, expected progress and reasons of one task at as-of (SPEC §5).

    red: a milestone not done at as-of is past its due date.  yellow: a milestone
    not done falls due within `warn_days` (0 ≤ due − as-of ≤ warn_days), or
    progress < expected − `progress_tolerance` (the published, rounded expected).
    Yellow reasons are listed for red tasks too: a red task can also be behind.
    Closed and suspended tasks get no light, no overdue list and no reasons.

    Asked for every task of the ledger (status, bulletin, export judge 100,000 at a
    time, a bulletin twice): one pass over the milestones counts the due and on-time
    ones and finds the overdue and due-soon ones, in milestone order.
    """
    status = status_at(task, as_of)
    milestones = task.milestones
    expected = _expected(task.start, milestones[-1].due, as_of)
    progress = progress_at(task, as_of, status)
    due = on_time = 0
    overdue: list[Overdue] = []
    soon: list[YellowReason] = []
    warn = config.warn_days
    for m in milestones:
        when = m.due
        done = m.done
        if when < as_of:
            due += 1
            if done is None:
                overdue.append(_new_overdue(Overdue, (when, (as_of - when).days)))
            elif done <= when:
                on_time += 1
            elif done > as_of:
                overdue.append(_new_overdue(Overdue, (when, (as_of - when).days)))
        elif done is None or done > as_of:
            days = (when - as_of).days
            if days <= warn:
                soon.append(YellowReason("due_soon", due=when, days=days))
    stale = stale_month(task, as_of, config.year, status=status, rhythm=config.reporting)
    done_pct = achieved_pct(task, as_of) if task.target is not None else None
    if status in UNLIT:
        return _task_state(status, None, expected, progress, (), (), stale, due, on_time,
                           done_pct)
    if progress < expected - config.progress_tolerance:
        soon.append(YellowReason("behind", points=(expected - progress).quantize(
            _CENT, rounding=ROUND_HALF_UP)))
    light: Light = "red" if overdue else "yellow" if soon else "green"
    return _task_state(status, light, expected, progress, tuple(overdue), tuple(soon), stale,
                       due, on_time, done_pct)


_new_overdue = tuple.__new__
_task_state = positional_maker(TaskState)


# ---- roll-ups -----------------------------------------------------------------------


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage, 2 places half-up; None when there is nothing to divide by."""
    if whole == 0:
        return None
    return (_HUNDRED * part / whole).quantize(_CENT, rounding=ROUND_HALF_UP)


Brief = tuple[str, "Light | None", int, int]
"""What a roll-up counts of one task judged at as-of: its status, light, milestones due
and milestones done on time (`brief`)."""


def brief(st: TaskState) -> Brief:
    return st.status, st.light, st.milestones_due, st.milestones_on_time


def rollup(id: str, name: str, rows: Sequence[TaskRow]) -> Rollup:
    """Counts by status and light, completion rate and on-time rate of `rows`.

    Completion: done+closing+closed over all tasks (suspended included).  On time:
    milestones due before as-of done by their due date, over those due before
    as-of, suspended tasks left out and closed ones counted.
    """
    return rollup_briefs(id, name, [brief(st) for _, st in rows])


def rollup_briefs(id: str, name: str, briefs: Sequence[Brief]) -> Rollup:
    """`rollup` of tasks given by their `Brief`s (the status rows of `summarize`)."""
    return _rollup_counts(id, name, Counter(briefs))


def _rollup_counts(id: str, name: str, counts: dict[Brief, int]) -> Rollup:
    """`rollup` of tasks counted by `Brief`: a few hundred distinct briefs stand for
    100,000 tasks, so a roll-up costs a dict update per task and little else."""
    by_status = dict.fromkeys(STATUSES, 0)
    lights = dict.fromkeys(LIGHTS, 0)
    finished = due = on_time = tasks = 0
    for (status, light, ms_due, ms_on_time), n in counts.items():
        tasks += n
        by_status[status] = by_status.get(status, 0) + n
        if light is not None:
            lights[light] += n
        if status in FINISHED:
            finished += n
        if status != "suspended":
            due += ms_due * n
            on_time += ms_on_time * n
    return Rollup(id=id, name=name, tasks=tasks, by_status=by_status,
                  green=lights["green"], yellow=lights["yellow"], red=lights["red"],
                  finished=finished, milestones_due=due, milestones_on_time=on_time,
                  completion_rate=rate(finished, tasks), on_time_rate=rate(on_time, due))


def involves(task: Task, unit: str) -> bool:
    """The unit leads the task or shares it as a responsible or cooperating unit."""
    return task.lead == unit or unit in task.units or unit in task.cooperating


Counts = dict[str, dict[Brief, int]]
"""Tasks counted by `Brief`, per roll-up key (a category, a unit, ...)."""


def _count(by_brief: dict[Brief, list[Any]], keys: Callable[[Any], Any],
           many: bool) -> Counts:
    """Tasks counted by `Brief` per key: for each brief (a dozen stand for 100,000
    tasks) its rows' keys are counted in C (`Counter`) — one key per row, or with
    `many` each of the row's keys (given once per row)."""
    groups: Counts = {}
    for b, rows in by_brief.items():
        found = Counter(chain.from_iterable(map(keys, rows)) if many else map(keys, rows))
        for key, n in found.items():
            group = groups.get(key)
            if group is None:
                groups[key] = {b: n}
            else:
                group[b] = n
    return groups


def _ordered(groups: Counts, name: Callable[[str], str],
             order: Sequence[str]) -> tuple[Rollup, ...]:
    """Roll-ups in the office's own order (as luoshi.yaml / units.yaml list them, the
    order official documents use); anything not listed follows, by id."""
    rank = {k: i for i, k in enumerate(dict.fromkeys(order))}
    ordered = sorted(groups, key=lambda k: (rank.get(k, len(rank)), k))
    return tuple(_rollup_counts(k, name(k), groups[k]) for k in ordered)


class Rollups(NamedTuple):
    totals: Rollup
    by_category: tuple[Rollup, ...]
    by_lead: tuple[Rollup, ...]
    by_leader: tuple[Rollup, ...]
    by_group: tuple[Rollup, ...]
    by_unit: tuple[Rollup, ...]
    by_tag: tuple[Rollup, ...]


class Keys(NamedTuple):
    """How a roll-up finds a row's category, lead, leaders, every unit involved (lead,
    responsible, cooperating, in that order) and tags, and its `Brief`."""

    category: Callable[[Any], str]
    lead: Callable[[Any], str]
    leaders: Callable[[Any], Sequence[str]]
    involved: Callable[[Any], Sequence[str]]
    tags: Callable[[Any], Sequence[str]]
    brief: Callable[[Any], Brief]


def _rollups(ledger: Ledger, rows: Sequence[Any], k: Keys) -> Rollups:
    """Totals and every roll-up of `rows` — `TaskRow`s (`status_report`) or status rows
    (`summarize`): one computation for both, so they cannot disagree.  Tasks are
    counted by `Brief` per key; a group's counts are its categories' counts."""
    config = ledger.config
    categories = {c.id: c for c in config.categories}

    def category_name(cid: str) -> str:
        c = categories.get(cid)
        return c.name if c else cid

    unit_name, leader_name = ledger.unit_name, ledger.leader_name

    by_brief: dict[Brief, list[Any]] = {}
    for r in rows:
        b = k.brief(r)
        same = by_brief.get(b)
        if same is None:
            by_brief[b] = [r]
        else:
            same.append(r)
    by_category = _count(by_brief, k.category, False)
    by_group: Counts = {}
    for cid, counts in by_category.items():
        c = categories.get(cid)
        if c is not None and c.group:
            group = by_group.setdefault(c.group, {})
            for b, n in counts.items():
                group[b] = group.get(b, 0) + n

    def many(keys: Callable[[Any], Sequence[str]]) -> Counts:
        return _count(by_brief, keys, True)

    return Rollups(
        totals=_rollup_counts("", config.title, {b: len(rs) for b, rs in by_brief.items()}),
        by_category=_ordered(by_category, category_name, list(categories)),
        by_lead=_ordered(_count(by_brief, k.lead, False), unit_name, list(ledger.units)),
        by_leader=_ordered(many(k.leaders), leader_name, list(ledger.leaders)),
        by_group=_ordered(by_group, lambda g: g,
                          [c.group for c in config.categories if c.group]),
        by_unit=_ordered(many(k.involved), unit_name, list(ledger.units)),
        by_tag=_ordered(many(k.tags), tag_name(ledger), [g.id for g in config.tags])
        if config.tags else (),
    )


def ungrouped_rollup(ledger: Ledger, by_category: Sequence[Rollup], id: str, name: str
                     ) -> Rollup | None:
    """The tasks the roll-up by group leaves out — those whose category names no
    `group` (`group: ""` is none) — as one roll-up named `id`/`name`, from the roll-up
    by category (a task has one category, a category one group at most): the group
    rows and this one sum to the totals.  None when every task is in a group."""
    grouped = {c.id for c in ledger.config.categories if c.group}
    rows = [r for r in by_category if r.id not in grouped]
    tasks = sum(r.tasks for r in rows)
    if not tasks:
        return None
    finished = sum(r.finished for r in rows)
    due = sum(r.milestones_due for r in rows)
    on_time = sum(r.milestones_on_time for r in rows)
    return Rollup(id=id, name=name, tasks=tasks,
                  by_status={s: sum(r.by_status.get(s, 0) for r in rows) for s in STATUSES},
                  green=sum(r.green for r in rows), yellow=sum(r.yellow for r in rows),
                  red=sum(r.red for r in rows), finished=finished, milestones_due=due,
                  milestones_on_time=on_time, completion_rate=rate(finished, tasks),
                  on_time_rate=rate(on_time, due))


_TASK_KEYS = Keys(
    category=lambda r: r[0].category,
    lead=lambda r: r[0].lead,
    leaders=lambda r: once(r[0].leaders),
    involved=lambda r: involved(r[0]),
    tags=lambda r: once(r[0].tags),
    brief=lambda r: brief(r[1]),
)


def once(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Each key once, in order: a task counts once for a leader named twice."""
    return keys if len(keys) < 2 else tuple(dict.fromkeys(keys))


def involved(task: Task) -> tuple[str, ...]:
    """Every unit involved in the task — lead, responsible, cooperating — each once."""
    return once((task.lead, *task.units, *task.cooperating))


def status_report(ledger: Ledger, as_of: date, *, unit: str | None = None) -> StatusReport:
    """Every task judged at as-of, with totals and roll-ups by category, lead unit,
    leader (a task counts for each of its leaders), group (categories without a
    group are left out) and unit (every unit involved in a task, in any role).

    With `unit`, only the tasks that unit leads or shares.  An unknown unit is a
    `ValueError` (the CLI checks first and says so in one line).
    """
    if unit is not None and unit not in ledger.units:
        raise ValueError(f"unknown unit: {unit}")
    config = ledger.config
    tasks = sorted(ledger.tasks, key=lambda t: t.id)
    family: tuple[TaskRow, ...] | None = None
    if unit is not None:
        # every child whatever its units, so a parent shows its whole decomposition
        family = tuple((t, task_state(t, as_of, config)) for t in tasks
                       if t.parent is not None)
        states = {id(t): st for t, st in family}
        tasks = [t for t in tasks if involves(t, unit)]
        rows = tuple((t, st if (st := states.get(id(t))) is not None
                       else task_state(t, as_of, config)) for t in tasks)
    else:
        rows = tuple((t, task_state(t, as_of, config)) for t in tasks)
    r = _rollups(ledger, rows, _TASK_KEYS)
    return StatusReport(
        as_of=as_of,
        ledger=ledger,
        unit=unit,
        totals=r.totals,
        by_category=r.by_category,
        by_lead=r.by_lead,
        by_leader=r.by_leader,
        by_group=r.by_group,
        by_unit=r.by_unit,
        tasks=rows,
        by_tag=r.by_tag,
        family=family,
    )


def tag_name(ledger: Ledger) -> Callable[[str], str]:
    names = {g.id: g.name for g in ledger.config.tags}
    return lambda tid: names.get(tid, tid)


# ---- status rows: the report without the tasks -----------------------------------------

StatusRow = tuple[str, "str | None", str, str, tuple[str, ...], tuple[str, ...],
                  tuple[str, ...], Brief, Any]
"""One task as the roll-ups and a renderer need it, made per task file while the file
is at hand (`fast.taskfiles.TaskFileRows`) and cached with it: id, parent, category,
lead, leaders, every unit involved (lead, responsible, cooperating), tags, its `Brief`
at as-of, and what the renderer made of the task (`report.status.json_rows`).  Plain
tuples: small to pickle, quick to read back, and allowed in the cache."""


def status_row(task: Task, state: TaskState, rendered: Any) -> StatusRow:
    return (task.id, task.parent, task.category, task.lead, once(task.leaders),
            involved(task), once(task.tags), brief(state), rendered)


#: a status row's fields, read in C (`itemgetter`): 100,000 rows go through each
_ROW_KEYS = Keys(category=itemgetter(2), lead=itemgetter(3), leaders=itemgetter(4),
                 involved=itemgetter(5), tags=itemgetter(6), brief=itemgetter(7))


@dataclass(frozen=True)
class StatusSummary:
    """A `StatusReport` made from status rows instead of tasks: the same figures and
    roll-ups (`_rollups` computes both), and the rows — sorted by id, narrowed by
    unit and light exactly as the report's task list — with what a renderer made of
    each task at as-of.  A warm `status --format json` reads these rows back from the
    cache and never builds a `Task` (tests/test_warm.py holds its output to the
    report's, byte for byte)."""

    as_of: date
    ledger: Ledger
    unit: str | None
    totals: Rollup
    by_category: tuple[Rollup, ...]
    by_lead: tuple[Rollup, ...]
    by_leader: tuple[Rollup, ...]
    by_group: tuple[Rollup, ...]
    by_unit: tuple[Rollup, ...]
    by_tag: tuple[Rollup, ...]
    rows: tuple[StatusRow, ...]
    light: Light | None = None
    #: the rows before the light narrowed them (None: not narrowed), as
    #: `StatusReport.unlit`
    unlit: tuple[StatusRow, ...] | None = None
    #: with `unit`: the rows of every task with a parent, as `StatusReport.family`
    family: tuple[StatusRow, ...] | None = None

    def rollups(self, dimension: str) -> tuple[Rollup, ...]:
        if dimension not in DIMENSIONS:
            raise ValueError(f"unknown roll-up dimension: {dimension}")
        result: tuple[Rollup, ...] = getattr(self, f"by_{dimension}")
        return result

    def unit_name(self, unit: str) -> str:
        return self.ledger.unit_name(unit)

    def children(self, task_id: str) -> tuple[StatusRow, ...]:
        """As `StatusReport.children`: the rows under `task_id`, whatever the light
        and the unit."""
        return self._children.get(task_id, ())

    @cached_property
    def _children(self) -> dict[str | None, tuple[StatusRow, ...]]:
        index: dict[str | None, list[StatusRow]] = {}
        rows = (self.family if self.family is not None
                else self.rows if self.unlit is None else self.unlit)
        for r in rows:
            if r[1] is not None:
                index.setdefault(r[1], []).append(r)
        return {parent: tuple(rows) for parent, rows in index.items()}


def summarize(ledger: Ledger, as_of: date, rows: Sequence[StatusRow], *,
              unit: str | None = None, light: Light | None = None) -> StatusSummary:
    """`status_report(...).with_light(light)` from the status rows of the ledger's
    tasks (made at this `as_of`, with this ledger's config)."""
    if unit is not None and unit not in ledger.units:
        raise ValueError(f"unknown unit: {unit}")
    ordered = sorted(rows, key=_row_id)
    family: tuple[StatusRow, ...] | None = None
    if unit is not None:
        family = tuple([r for r in ordered if r[1] is not None])
        ordered = [r for r in ordered if unit in r[5]]
    r = _rollups(ledger, ordered, _ROW_KEYS)
    listed = tuple(ordered) if light is None else tuple(x for x in ordered if x[7][1] == light)
    return StatusSummary(as_of=as_of, ledger=ledger, unit=unit, totals=r.totals,
                         by_category=r.by_category, by_lead=r.by_lead,
                         by_leader=r.by_leader, by_group=r.by_group, by_unit=r.by_unit,
                         by_tag=r.by_tag, rows=listed, light=light,
                         unlit=None if light is None else tuple(ordered), family=family)


def _row_id(r: StatusRow) -> str:
    return r[0]
