"""`luoshi status` rendered: a rich table for people, JSON (SPEC §5) and CSV for tools.

Renderers take a finished `StatusReport` (JSON and the table also a `StatusSummary` of
status rows, `ops.progress.summarize`) and write to an injected stream, so tests
compare exact output and the same report can feed the bulletin or an export.
Nothing here computes a light or a rate: that is `progress.py`'s job.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from ..core import labels
from ..core.codes import L
from ..core.labels import DUE_ON_AS_OF, NO_GROUP, period_text, plain, say, unit_suffix
from ..core.model import STATUSES, Ledger, Task
from ..core.rhythm import last_update_month
from ..core.safetext import csv_text, json_bytes, json_text, terminal
from ..core.targets import latest_actual
from ..ops.progress import (
    Overdue,
    Rollup,
    StatusReport,
    StatusRow,
    StatusSummary,
    TaskRow,
    TaskState,
    YellowReason,
    rollup,
    rollup_briefs,
    status_row,
    task_state,
    ungrouped_rollup,
)
from ..ops.supervision import Supervision, has_supervision, in_unit_order, supervision
from .plaintable import fit_layout, fold, pick, plain_table

if TYPE_CHECKING:
    from ..ops.interviews import DueInterview, InterviewsDue

STATUS_LABELS = labels.STATUS
LIGHT_LABELS = labels.LIGHT
#: column heads of the roll-up tables: short, so that 14 columns fit 120 characters
STATUS_HEADS = labels.STATUS_HEAD
LIGHT_HEADS = labels.LIGHT_HEAD
DIMENSION_LABELS: dict[str, L] = {
    "category": L("按类别", "By category"),
    "lead": L("按牵头单位", "By lead unit"),
    "leader": L("按包抓领导", "By leader"),
    "group": L("按专项推进组", "By group"),
    "unit": L("按单位（牵头、责任、配合）", "By unit (lead, responsible, cooperating)"),
    "tag": L("按清单", "By tag"),  # any ledger's lists, not 清新's 任务榜 alone
}
DEFAULT_DIMENSIONS = ("category", "lead", "leader", "group")


_t = labels.say


# ---- numbers ------------------------------------------------------------------------


def fixed(d: Decimal | None) -> str:
    """A rate or expected progress with its 2 places, or "—" when there is none."""
    return "—" if d is None else f"{d:.2f}"


_json_num = labels.json_number


def _json_rate(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


# ---- words --------------------------------------------------------------------------


def milestone_standard(task: Task, due: object) -> str:
    for m in task.milestones:
        if m.due == due:
            return m.standard
    return ""


def overdue_text(task: Task, o: Overdue, lang: str) -> str:
    std = milestone_standard(task, o.due)
    if lang == "en":
        return f"{o.due} {std} ({o.days} day{'s' if o.days != 1 else ''} overdue)"
    return f"{o.due} {std}（逾期 {o.days} 天）"


def reason_text(task: Task, state: TaskState, r: YellowReason, lang: str,
                day: Callable[[date], str] = date.isoformat) -> str:
    """One yellow reason in words: which milestone in how many days, or how far behind.
    `day`: how the milestone's date is written (ISO, as status writes every date; the
    supervision notice writes "2026年6月30日" / "30 June 2026")."""
    if r.kind == "due_soon":
        std = milestone_standard(task, r.due)
        if lang == "en":
            when = (DUE_ON_AS_OF.en if r.days == 0
                    else f"due in {r.days} day{'s' if r.days != 1 else ''}")
            return f"milestone {day(r.due) if r.due else '—'} {std}: {when}"
        when = DUE_ON_AS_OF.zh if r.days == 0 else f"{r.days} 天后到期"
        return f"节点 {day(r.due) if r.due else '—'} {std}：{when}"
    points = fixed(r.points)
    if lang == "en":
        return (f"{points} points behind "
                f"(expected {fixed(state.expected)}%, reported {plain(state.progress)}%)")
    return (f"落后序时进度 {points} 个百分点"
            f"（序时 {fixed(state.expected)}%，实际 {plain(state.progress)}%）")


def leaders_text(report: StatusReport, task: Task, lang: str) -> str:
    return ("、" if lang != "en" else ", ").join(report.leader_name(p) for p in task.leaders)


# ---- JSON ---------------------------------------------------------------------------


def rollup_json(r: Rollup) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "tasks": r.tasks,
        "by_status": {s: r.by_status.get(s, 0) for s in STATUSES},
        "green": r.green,
        "yellow": r.yellow,
        "red": r.red,
        "completion_rate": _json_rate(r.completion_rate),
        "on_time_rate": _json_rate(r.on_time_rate),
        "milestones_due": r.milestones_due,
        "milestones_on_time": r.milestones_on_time,
    }


def totals_json(r: Rollup) -> dict[str, Any]:
    return {
        "tasks": r.tasks,
        "green": r.green,
        "yellow": r.yellow,
        "red": r.red,
        "completion_rate": _json_rate(r.completion_rate),
        "on_time_rate": _json_rate(r.on_time_rate),
        "by_status": {s: r.by_status.get(s, 0) for s in STATUSES},
        "milestones_due": r.milestones_due,
        "milestones_on_time": r.milestones_on_time,
    }


def reason_json(r: YellowReason) -> dict[str, Any]:
    if r.kind == "due_soon":
        return {"kind": "due_soon", "due": str(r.due), "days": r.days}
    return {"kind": "behind", "points": _json_num(r.points or Decimal(0))}


def task_json(report: StatusReport, row: TaskRow) -> dict[str, Any]:
    return _task_json(row, report.as_of, report.children(row[0].id))


def _task_json(row: TaskRow, as_of: date, kids: Sequence[TaskRow] | None) -> dict[str, Any]:
    """A task's JSON object; `kids` None leaves a placeholder where its children go
    (`json_rows`: they are known only once every file is read)."""
    task, st = row
    return {
        "id": task.id,
        "title": task.title,
        "category": task.category,
        "lead": task.lead,
        "leaders": list(task.leaders),
        "status": st.status,
        "light": st.light,
        "expected": float(st.expected),
        "progress": _json_num(st.progress),
        "overdue": [{"due": str(o.due), "days": o.days} for o in st.overdue],
        "yellow_reasons": [reason_json(r) for r in st.yellow_reasons],
        "stale": st.stale,
        "latest_update": update_json(task, as_of),
        **_v2_json(row, as_of, kids),
    }


def update_json(task: Task, as_of: date) -> dict[str, Any] | None:
    """The latest monthly report known at `as_of` (month, progress, note, 存在问题), so a
    tool reading the status sees what the unit said and what holds it up; null without one."""
    month = last_update_month(task, as_of)
    u = next((u for u in task.updates if u.month == month), None) if month else None
    if u is None:
        return None
    return {"month": u.month, "progress": _json_num(u.progress) if u.progress is not None
            else None, "note": u.note, "problems": u.problems}


def tasks_v2_json(report: StatusReport, row: TaskRow) -> dict[str, Any]:
    """The SPEC §11 keys of a task, only where the ledger uses them (a v1 ledger's
    JSON stays byte-identical): target and achieved, parent, and for a parent its
    children (by id) rolled up."""
    return _v2_json(row, report.as_of, report.children(row[0].id))


def _v2_json(row: TaskRow, as_of: date, kids: Sequence[TaskRow] | None) -> dict[str, Any]:
    task, st = row
    out: dict[str, Any] = {}
    if task.target is not None:
        u = latest_actual(task, as_of)
        out["target"] = {"value": _json_num(task.target.value), "unit": task.target.unit}
        out["actual"] = _json_num(u.actual) if u is not None and u.actual is not None else None
        out["achieved"] = None if st.achieved is None else float(st.achieved)
    if task.parent is not None:
        out["parent"] = task.parent
    if kids is None:
        out[_CHILDREN] = None
    elif kids:
        out["children"] = [k.id for k, _ in kids]
        out["children_rollup"] = totals_json(rollup(task.id, task.title, kids))
    for key in ("owners", "unit_leaders", "tags"):
        if getattr(task, key):
            out[key] = list(getattr(task, key))
    return out


#: where a task's children go in its JSON text made before the children are known
#: (`json_rows`): a key no ledger value can spell (json escapes the NUL)
_CHILDREN = "\0children"
#: a task's JSON text as one item of the document's `tasks` list (`report_json`)
_TASK_INDENT = "\n    "
_KEY_INDENT = _TASK_INDENT + "  "


def json_rows(ledger: Ledger, tasks: Sequence[Task], as_of: date) -> list[StatusRow]:
    """The status row of each task at `as_of` with its JSON text — as `render_json`
    writes it, in two parts around the place of its children — made per task file
    while the file is at hand (`fast.taskfiles.TaskFileRows`, in the parse worker) and
    cached with it: a warm `status --format json` then reads rows back and writes
    text, and builds no task at all (`render_rows_json`).  The text is kept as UTF-8
    (read back from the cache without decoding, written as it is), or as text when
    it does not encode (a lone surrogate: then writing it fails as the plain path's
    does)."""
    def text(task: Task, st: TaskState) -> Any:
        head, tail = task_text(task, st, as_of)
        try:
            return head.encode(), tail.encode()
        except UnicodeEncodeError:
            return head, tail

    return _status_rows(ledger, tasks, as_of, text)


_ITEM_INDENT = _KEY_INDENT + "  "  # an item of a task's list
_FIELD_INDENT = _ITEM_INDENT + "  "  # a key of an object in a task's list


def task_text(task: Task, st: TaskState, as_of: date) -> tuple[str, str]:
    """A task's JSON text as `json_rows` keeps it — the text `indented_json` makes of
    `_task_json(..., kids=None)` at `_TASK_INDENT`, in two parts around its children's
    place — written directly: no dict walked, no text split (the generic walk over
    100,000 small dicts was most of the 100,000-task `status --format json`'s extra
    CPU).  The fixed keys and plain values are written here; nested objects and
    values of an unusual type by the generic walker.  A test holds it equal to the
    generic text on every case ledger and on generated tasks."""
    esc = _ESCAPE
    k = _KEY_INDENT
    i = _ITEM_INDENT
    leaders = task.leaders
    light = st.light
    text = (f'{{{k}"id": {esc(task.id)},{k}"title": {esc(task.title)},{k}"category": '
            f'{esc(task.category)},{k}"lead": {esc(task.lead)},{k}"leaders": '
            + (f'[{i}' + f",{i}".join(map(esc, leaders)) + f'{k}]' if leaders else "[]")
            + f',{k}"status": {esc(st.status)},{k}"light": '
            f'{"null" if light is None else esc(light)},{k}"expected": '
            f'{_scalar(float(st.expected))},{k}"progress": {_scalar(_json_num(st.progress))}'
            f',{k}"overdue": ')
    if not st.overdue:
        text += "[]"
    else:
        f = _FIELD_INDENT
        text += (f"[{i}" + f",{i}".join(
            f'{{{f}"due": "{o.due}",{f}"days": {int.__repr__(o.days)}{i}}}'
            if type(o.days) is int and type(o.due) is date
            else indented_json({"due": str(o.due), "days": o.days}, i)
            for o in st.overdue) + f"{k}]")
    text += (f',{k}"yellow_reasons": '
             + (indented_json([reason_json(r) for r in st.yellow_reasons], k)
                if st.yellow_reasons else "[]")
             + f',{k}"stale": '
             + ("null" if st.stale is None else indented_json(st.stale, k))
             + f',{k}"latest_update": ')
    month = last_update_month(task, as_of)
    u = next((u for u in task.updates if u.month == month), None) if month else None
    if u is None:
        text += "null"
    else:
        text += (f'{{{i}"month": {_plain(u.month, i)},{i}"progress": '
                 f'{"null" if u.progress is None else _scalar(_json_num(u.progress))},{i}'
                 f'"note": {_plain(u.note, i)},{i}"problems": {_plain(u.problems, i)}{k}}}')
    if (task.target is None and task.parent is None and not task.owners
            and not task.unit_leaders and not task.tags):  # a v1 task
        return text, _TASK_INDENT + "}"
    parts = [text]
    tail: list[str] = []
    into = parts  # the SPEC §11 keys before the children's place, then after it
    for key, value in _v2_json((task, st), as_of, None).items():
        if key == _CHILDREN:
            into = tail
        else:
            into += [",", k, esc(key), ": ", indented_json(value, k)]
    tail += [_TASK_INDENT, "}"]
    return "".join(parts), "".join(tail)


def _plain(v: Any, ind: str) -> str:
    """A text or null as the generic walker writes it (anything else: by it)."""
    if type(v) is str:
        return _ESCAPE(v)  # type: ignore[no-any-return]
    return "null" if v is None else indented_json(v, ind)


def _scalar(v: Any) -> str:
    """A number, null or a truth value as the generic walker writes it."""
    t = type(v)
    if t is int:
        return int.__repr__(v)
    if t is float and -_INF < v < _INF:
        return float.__repr__(v)
    if t is Decimal:
        return labels.json_decimal(v)
    return indented_json(v, "")


def _status_rows(ledger: Ledger, tasks: Sequence[Task], as_of: date,
                 made: Callable[[Task, TaskState], Any]) -> list[StatusRow]:
    """Each task judged at `as_of` as a status row holding what `made` makes of it."""
    config = ledger.config
    out: list[StatusRow] = []
    seen: dict[Any, Any] = {}
    same = _same(seen)

    def same_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
        known = seen.get(keys)
        if known is None:
            known = seen[keys] = tuple(same(k) for k in keys)
        return known

    for task in tasks:
        st = task_state(task, as_of, config)
        r = status_row(task, st, made(task, st))
        # one object per value within the file: pickled once, read back once, and its
        # hash computed once when 100,000 rows are counted (`progress.summarize`)
        out.append((r[0], r[1], same(r[2]), same(r[3]), same_keys(r[4]), same_keys(r[5]),
                    same_keys(r[6]), same(r[7]), r[8]))
    return out


def _same(seen: dict[Any, Any]) -> Callable[[Any], Any]:
    def same(value: Any) -> Any:
        return seen.setdefault(value, value)

    return same


def _row_text(summary: StatusSummary, row: StatusRow, binary: bool) -> Any:
    """A task's JSON text with its children, as UTF-8 (`binary`) or as text."""
    head, tail = row[8]
    if not binary and type(head) is bytes:
        head, tail = head.decode(), tail.decode()
    kids = summary.children(row[0])
    if not kids:
        return head + tail
    ids = indented_json([k[0] for k in kids], _KEY_INDENT)
    totals = indented_json(totals_json(rollup_briefs(row[0], "", [k[7] for k in kids])),
                           _KEY_INDENT)
    middle = f',{_KEY_INDENT}"children": {ids},{_KEY_INDENT}"children_rollup": {totals}'
    return head + (middle.encode() if binary else middle) + tail


def utf8_buffer(out: TextIO) -> Any:
    """`out`'s byte buffer when UTF-8 bytes written to it are what `out.write` would
    write (a UTF-8 stream, and no line-break translation: not Windows), else None."""
    import codecs
    import os

    buffer: Any = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if (buffer is None or os.linesep != "\n" or not isinstance(encoding, str)
            or codecs.lookup(encoding).name != "utf-8"):
        return None
    return buffer


def render_rows_json(summary: StatusSummary, out: TextIO, *, by: str | None = None) -> None:
    """`render_json` of the same report, from status rows (`json_rows`): the same
    text, byte for byte (tests/test_warm.py).  Not for a ledger that keeps the
    supervision loop (its section needs the tasks: the caller renders the report).

    To a UTF-8 stream with a byte buffer (stdout) the tasks' UTF-8 text is written
    as it is — what `out.write` would have encoded — unless a line break would be
    translated (Windows)."""
    rows = summary.rows
    buffer = utf8_buffer(out)
    binary = buffer is not None and all(type(r[8][0]) is bytes for r in rows)
    head = indented_json(_doc_head(summary, by), "\n")[:-2]  # without its closing brace
    pieces: list[str] = [head, ',\n  "tasks": ']
    if not rows:
        pieces.append("[]\n}\n")
    else:
        pieces.append("[" + _TASK_INDENT)
    # the pieces are json's escapes of ledger text: C1 controls and bidi marks are
    # escaped on the way out, a chunk at a time (core.safetext.json_text)
    if binary:
        out.flush()

        def write(data: Any) -> None:
            buffer.write(json_bytes(data))

        write("".join(pieces).encode())
    else:
        def write(data: Any) -> None:
            out.write(json_text(data))

        write("".join(pieces))
    if rows:
        sep: Any = "," + _TASK_INDENT
        if binary:
            sep = sep.encode()
        for i in range(0, len(rows), 2000):
            chunk = sep.join([_row_text(summary, r, binary) for r in rows[i:i + 2000]])
            if i:
                write(sep)
            write(chunk)
        end = "\n  ]\n}\n"
        write(end.encode() if binary else end)
    if binary:
        buffer.flush()


def report_json(report: StatusReport, *, by: str | None = None) -> dict[str, Any]:
    """SPEC §5 JSON, extended with `unit`, `by_unit`, milestone counts and, per task,
    title, lead, leaders, status at as-of, yellow reasons and the stale month.

    With `by`, only that roll-up list is kept (as `--by` asks); rates with nothing
    to divide by are null.
    """
    doc = _doc_head(report, by)
    doc["tasks"] = [task_json(report, row) for row in report.tasks]
    if has_supervision(report.ledger):
        from ..ops.interviews import interviews_due

        doc["supervision"] = supervision_json(
            supervision(report), interviews_due(report.ledger, report.as_of, report.unit))
    return doc


def _doc_head(report: StatusReport | StatusSummary, by: str | None) -> dict[str, Any]:
    """The document's date, unit, totals and roll-ups: everything before the tasks."""
    doc: dict[str, Any] = {
        "as_of": report.as_of.isoformat(),
        "unit": report.unit,
        "totals": totals_json(report.totals),
    }
    for dim in ("category", "lead", "leader", "group", "unit", "tag"):
        if dim == "tag" and not report.ledger.config.tags and by != "tag":
            continue  # lists are a v2 key: a v1 ledger's document is unchanged
        if by is None or by == dim:
            doc[f"by_{dim}"] = [rollup_json(r) for r in report.rollups(dim)]
            if dim == "group":
                doc["ungrouped"] = ungrouped(report)
    return doc


def ungrouped(report: StatusReport | StatusSummary) -> int:
    """How many tasks of the report are in no group (their category names no `group`):
    `by_group` leaves them out, and said nothing of them — its figures summed to 15
    of the 20 tasks (audit).  A task has one category and a category one group at
    most, so they are the tasks the groups do not count."""
    return report.totals.tasks - sum(g.tasks for g in report.by_group)


def ungrouped_line(n: int, lang: str) -> str:
    """The line under a group table naming the `n` tasks it leaves out (`status`, and
    `luoshi rollup` across ledgers)."""
    if lang == "en":
        return ("1 more task is in a category that names no group" if n == 1
                else f"{n} more tasks are in categories that name no group")
    return f"另有 {n} 项任务的类别未指定专项推进组（group）"


def no_group_row(report: StatusReport | StatusSummary, lang: str) -> Rollup | None:
    """The CSV's row for the tasks the roll-up by group leaves out (None: there are
    none): its figures as a group's, its id empty — a group's id is its name, never
    empty (`group: ""` is no group), so the row is told apart from a group however
    that is named, even `（未指定专项推进组）` — and its name `labels.NO_GROUP`."""
    return ungrouped_rollup(report.ledger, report.by_category, "", say(NO_GROUP, lang))


def _no_group(report: StatusReport | StatusSummary, lang: str) -> str:
    """What the text says of the tasks `by_group` leaves out: after the table, or why
    it is empty ("" when nothing is left out)."""
    n = ungrouped(report)
    if not n:
        return ""
    if report.by_group:
        return ungrouped_line(n, lang)
    if not any(c.group for c in report.ledger.config.categories):
        return (" (no category in luoshi.yaml names a group)" if lang == "en"
                else "（luoshi.yaml 的类别都没有填写 group，即牵头的专项推进组）")
    if lang == "en":
        return (" (that task is not in a category that names a group)" if n == 1 else
                f" (none of these {n} tasks is in a category that names a group)")
    return f"（这 {n} 项任务的类别都没有填写 group，即牵头的专项推进组）"


def supervision_json(sup: Supervision, due: InterviewsDue | None = None) -> dict[str, Any]:
    """SPEC §12 in `status --format json`: open and overdue rectifications and the
    red-light tasks to be supervised (应督办), each an object with ids and dates (and a
    rectification's `reason` and `note` as written, null when not)."""
    def rect(r: Any) -> dict[str, Any]:
        return {"id": r.id, "unit": r.unit, "tasks": list(r.tasks), "source": r.source,
                "opened": r.opened.isoformat(), "due": r.due.isoformat(),
                "report": _iso_or_none(r.report_at(sup.as_of)),
                "days_overdue": max(0, (sup.as_of - r.due).days),
                "reason": r.reason, "note": r.note}
    doc: dict[str, Any] = {
        "open": [rect(r) for r in sup.open],
        "overdue": [rect(r) for r in sup.overdue],
        "to_supervise": [{"task": t.id, "lead": t.lead,
                          "overdue": [{"due": o.due.isoformat(), "days": o.days}
                                      for o in st.overdue]}
                         for t, st in sup.to_supervise],
    }
    if due is not None:  # only when the scheme marks units for 约谈 (应约谈)
        doc["to_interview"] = {
            "periods": list(due.periods),
            "units": [{"unit": d.unit, "period": d.period, "rank": d.rank,
                       "group": d.group_name or None,
                       "by": [w for w, on in (("rank", d.by_rank), ("rule", d.by_rule)) if on],
                       "rules": list(d.rules),
                       "since": d.since.isoformat(), "days": (sup.as_of - d.since).days}
                      for d in due.due],
            "unjudged": [p for p, _ in due.unjudged],
        }
    return doc


def _iso_or_none(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def render_json(report: StatusReport, out: TextIO, *, by: str | None = None) -> None:
    write_indented_json(report_json(report, by=by), out)
    out.write("\n")


_ESCAPE: Any = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring
_FLUSH_PARTS = 8192
_INF = float("inf")


def write_indented_json(doc: Any, out: TextIO) -> None:
    """Exactly `json.dumps(doc, ensure_ascii=False, indent=2)`, written to `out` in chunks.

    Python 3.11's encoder drops to pure Python, one generator per level, as soon as
    `indent` is given: 2.5 s of the 100,000-task `status --format json`.  This walks
    the document once, escapes strings with json's own C function and writes every
    few thousand pieces, so the text is never held whole (a test compares it with
    `json.dumps` on every case ledger and on generated documents)."""
    _write_indented(doc, "\n", lambda text: out.write(json_text(text)))


def indented_json(obj: Any, ind: str) -> str:
    """`obj` as `write_indented_json` writes it when it stands at indentation `ind`
    (a line break and the spaces of its level) inside a larger document."""
    parts: list[str] = []
    _write_indented(obj, ind, parts.append)
    return "".join(parts)


def _cut(o: Any, ind: str) -> None:
    """What `_write_indented`'s walker is replaced with once done (see there)."""


def _write_indented(doc: Any, start: str, write: Any) -> None:
    parts: list[str] = []
    append = parts.append
    escape = _ESCAPE

    def scalar(o: Any) -> str:
        return json.dumps(o, ensure_ascii=False)  # bool, None, numbers: json's own words

    def enc(o: Any, ind: str) -> None:
        t = type(o)
        if t is str:
            append(escape(o))
        elif t is dict:
            if not o:
                append("{}")
                return
            inner = ind + "  "
            sep = "{" + inner
            for k, v in o.items():
                if type(k) is not str:
                    k = json.loads(json.dumps({k: 0}))  # json's key conversion
                    k = next(iter(k))
                # the plain values written here, not by a call each: 400,000 calls
                # were most of the writer's time at 20,000 tasks
                tv = type(v)
                if tv is str:
                    append(sep + escape(k) + ": " + escape(v))
                elif tv is int:
                    append(sep + escape(k) + ": " + int.__repr__(v))
                elif v is None:
                    append(sep + escape(k) + ": null")
                else:
                    append(sep + escape(k) + ": ")
                    enc(v, inner)
                sep = "," + inner
            append(ind + "}")
        elif t is list or t is tuple:
            if not o:
                append("[]")
                return
            inner = ind + "  "
            sep = "[" + inner
            for v in o:
                tv = type(v)
                if tv is str:
                    append(sep + escape(v))
                else:
                    append(sep)
                    enc(v, inner)
                sep = "," + inner
            append(ind + "]")
            if len(parts) > _FLUSH_PARTS:
                write("".join(parts))
                parts.clear()
        elif t is int:
            append(int.__repr__(o))
        elif o is None:
            append("null")
        elif t is float and -_INF < o < _INF:  # finite: json writes float.__repr__
            append(float.__repr__(o))
        elif t is Decimal:  # a figure no float holds (`labels.json_number`): its digits
            append(labels.json_decimal(o))
        elif o is True:
            append("true")
        elif o is False:
            append("false")
        elif isinstance(o, (dict, list, tuple, str)):
            # subclasses: as json.dumps sees them, via the same walk on a plain copy
            enc(dict(o) if isinstance(o, dict) else str.__str__(o) if isinstance(o, str)
                else list(o), ind)
        else:
            append(scalar(o))

    try:
        enc(doc, start)
        write("".join(parts))
    finally:
        # `enc` calls itself through its closure: a cycle, which holds `parts` until a
        # collection — and the parse worker runs with the collector off, 100,000 times
        enc = _cut


# ---- CSV ----------------------------------------------------------------------------

TASK_COLUMNS = ("id", "title", "category", "lead", "lead_name", "leaders", "leader_names",
                "status", "light", "expected", "progress", "overdue", "yellow_reasons", "stale")
ROLLUP_COLUMNS = ("id", "name", "tasks", *STATUSES, "green", "yellow", "red",
                  "completion_rate", "on_time_rate", "milestones_due", "milestones_on_time")


def render_csv(report: StatusReport, out: TextIO, *, by: str | None = None,
               lang: str = "zh") -> None:
    """One table: the tasks (one row each), or with `by` that roll-up.  By group, a
    last row counts the tasks whose category names no group (`no_group_row`), so
    that a spreadsheet's sum of the rows is the total; `lang` names it.

    Names stand next to ids (lead_name, leader_names) and the text starts with a UTF-8
    byte-order mark, so the file opens readably in Excel.  Cells are data, not prose: overdue milestones as `due:days`, yellow reasons as
    `due_soon:due:days` / `behind:points`, several joined by `;`.  Ledger text goes
    through `csv_text` (no line break or escape sequence on a terminal, no formula
    in a spreadsheet); the figures luoshi computes are written as they are.
    """
    # a UTF-8 byte-order mark, as the score CSV: Excel opens the Chinese names correctly
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\n")
    if by is not None:
        w.writerow(ROLLUP_COLUMNS)
        rows = list(report.rollups(by))
        left = no_group_row(report, lang) if by == "group" else None
        for r in rows if left is None else [*rows, left]:
            w.writerow([csv_text(r.id), csv_text(r.name), r.tasks, *(r.by_status.get(s, 0) for s in STATUSES),
                        r.green, r.yellow, r.red, _csv_rate(r.completion_rate),
                        _csv_rate(r.on_time_rate), r.milestones_due, r.milestones_on_time])
        return
    w.writerow(TASK_COLUMNS)
    for task, st in report.tasks:
        reasons = [f"due_soon:{r.due}:{r.days}" if r.kind == "due_soon"
                   else f"behind:{fixed(r.points)}" for r in st.yellow_reasons]
        w.writerow([csv_text(task.id), csv_text(task.title), csv_text(task.category),
                    csv_text(task.lead), csv_text(report.unit_name(task.lead)),
                    csv_text(";".join(task.leaders)),
                    csv_text(";".join(report.leader_name(p) for p in task.leaders)),
                    st.status, st.light or "", fixed(st.expected), plain(st.progress),
                    ";".join(f"{o.due}:{o.days}" for o in st.overdue), ";".join(reasons),
                    st.stale or ""])


def _csv_rate(d: Decimal | None) -> str:
    return "" if d is None else f"{d:.2f}"


# ---- table --------------------------------------------------------------------------


def render_table(report: StatusReport | StatusSummary, out: TextIO, lang: str, *,
                 by: str | None = None,
                 color: bool = False, width: int | None = None) -> None:
    """The office's monthly view: overall figures, roll-ups, red/yellow/stale lists.

    `by` shows one roll-up instead of the default four; a `--light` filter on the
    report shows that light's list only.  Without colour (not a terminal) and with
    a fixed width the output is byte-stable.  Every ledger value passes `terminal()`
    before it is joined into a cell: no line break, escape sequence, bidi override or
    workflow command of a ledger reaches the screen or a CI log.
    """
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    sink = out if color else io.StringIO()
    console = Console(file=sink, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      markup=False, emoji=False, soft_wrap=False)
    en = lang == "en"

    def table(title: str, headers: Sequence[tuple[str, bool]],
              wrap: Sequence[int] = (), widths: Sequence[int] | None = None) -> Table:
        """Ids, dates and figures never wrap; the columns in `wrap` (free text, and
        names squeezed by `fit_layout`) fold.  With `widths` (from `fit_layout`) every
        column has exactly that width, so rich squeezes nothing itself."""
        t = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, header_style="bold")
        for i, (head, numeric) in enumerate(headers):
            folds = i in wrap
            t.add_column(Text(head), justify="right" if numeric else "left",
                         overflow="fold" if folds else "ellipsis", no_wrap=not folds,
                         width=widths[i] if widths is not None else None)
        return t

    def laid_out_by_rich(title: str, columns: list[tuple[str, bool]], rows: list[list[str]],
                         style: str | None, widths: list[int]) -> None:
        """The table at the widths `fit_layout` chose.  Below the narrowest layout (a
        terminal of some 40 columns) the table is wider than the console: it is printed
        at its own width, lines running past the edge, rather than cut."""
        needed = sum(widths) + 3 * (len(widths) - 1)
        folding = [i for i, (w, (head, _)) in enumerate(zip(widths, columns, strict=True))
                   if any(cell_len(x) > w for r in rows for x in r[i].split("\n"))
                   or cell_len(head) > w]
        t = table(title, columns, folding, widths)
        for row in rows:
            t.add_row(*cells(*row, style=style))
        wide = console if needed <= console.width else Console(
            file=sink, width=needed, force_terminal=color, no_color=not color,
            color_system="standard" if color else None, highlight=False, markup=False,
            emoji=False, soft_wrap=False)
        wide.print(t)

    def shaped(title: str, columns: list[tuple[str, bool]], rows: list[list[str]],
               style: str | None, widths: list[int]) -> None:
        """Print a table `fit_layout` measured: the cells of a squeezed column folded
        by `fold` (never inside a figure), then laid out without rich when it can,
        else by rich at the same widths."""
        for i, w in enumerate(widths):
            memo: dict[str, str] = {}
            for row in rows:
                value = row[i]
                got = memo.get(value)
                if got is None:
                    got = memo[value] = (fold(value, w) if any(
                        cell_len(x) > w for x in value.split("\n")) else value)
                row[i] = got
        if laid_out(title, columns, rows, style):
            return
        # what `plain_table` would have printed, had the text been plain: each column
        # at its natural width, when that fits (a header may still be wider than its
        # squeezed column: then it wraps)
        natural = [max([cell_len(head)] + [cell_len(x) for r in rows for x in r[i].split("\n")])
                   for i, (head, _) in enumerate(columns)]
        if sum(natural) + 3 * (len(natural) - 1) <= console.width:
            widths = natural
        laid_out_by_rich(title, columns, rows, style, widths)

    def cells(*values: str, style: str | None = None) -> list[Text]:
        return [Text(v, style=style or "") for v in values]

    def laid_out(title: str, columns: list[tuple[str, bool]], rows: list[list[str]],
                 style: str | None) -> bool:
        """Lay the table out without rich when nothing wraps — the same characters
        and, on a terminal, the same colour codes as rich (`plain_table`), 50 times
        faster: a province's roll-ups and lists have thousands of rows."""
        text = plain_table(title, columns, rows, console.width, color=color, style=style)
        if text is None:
            return False
        sink.write(text)
        return True

    def task_list(title: str, columns: list[tuple[str, bool]], rows: list[list[str]],
                  style: str | None, *, drop: Sequence[int] = (),
                  wrap: Sequence[int] = (), names: Sequence[int] = ()) -> None:
        """A red/yellow/stale list: thousands of rows on a city's ledger, laid out by
        `laid_out` when nothing wraps.  On a narrow console the free-text columns in
        `wrap` fold, the columns in `drop` go, and as a last resort the `names` fold
        too (`fit_layout`); figures and dates always stay whole."""
        kept, widths = fit_layout(columns, rows, console.width, drop=drop, wrap=wrap,
                                  names=names)
        columns, rows = pick(columns, rows, kept)
        shaped(title, columns, rows, style, widths)

    # heading and overall figures
    ledger = report.ledger
    heading = (f"{ledger.config.title} — as of {report.as_of}" if en
               else f"{ledger.config.title} — 截至 {report.as_of}")
    if report.unit is not None:
        name = report.unit_name(report.unit)
        heading += (f" — {name} ({report.unit}): tasks it leads or shares" if en
                    else f" — {name}（{report.unit}）牵头或参与的任务")
    console.print(Text(terminal(heading), style="bold"))
    tot = report.totals
    statuses = (", " if en else "，").join(
        f"{_t(STATUS_LABELS[s], lang)} {tot.by_status.get(s, 0)}" for s in STATUSES)
    lights = (", " if en else "，").join(
        f"{_t(LIGHT_LABELS[x], lang)} {getattr(tot, x)}" for x in ("red", "yellow", "green"))
    overall = table("Overall" if en else "总体情况", [("", False), ("", False)], wrap=[1])
    overall.show_header = False
    rows = [
        (("Tasks" if en else "任务总数"), str(tot.tasks)),
        (("By status" if en else "按状态"), statuses),
        (("Lights" if en else "亮灯"), lights),
        (("Completion rate" if en else "完成率"),
         _pct(tot.completion_rate) + (f" ({tot.finished}/{tot.tasks})" if tot.tasks else "")),
        (("On-time rate" if en else "按时完成率"),
         _pct(tot.on_time_rate) + (f" ({tot.milestones_on_time}/{tot.milestones_due}"
                                   + (" milestones)" if en else " 个节点)")
                                   if tot.milestones_due else "")),
    ]
    for k, v in rows:
        overall.add_row(*cells(k, v))
    console.print()
    console.print(overall)

    # roll-ups
    heads = [("tasks" if en else "任务", True),
             *((_t(STATUS_HEADS[s], lang), True) for s in STATUSES),
             *((_t(LIGHT_HEADS[x], lang), True) for x in ("red", "yellow", "green")),
             ("compl%" if en else "完成率%", True), ("on time%" if en else "按时率%", True)]
    for dim in (by,) if by is not None else DEFAULT_DIMENSIONS:
        rolls = report.rollups(dim)
        console.print()
        if not rolls:
            console.print(Text(_t(DIMENSION_LABELS[dim], lang) + _none(lang)
                               + (_no_group(report, lang) if dim == "group" else "")))
            continue
        # a group is known by its name alone; other roll-ups show id and name
        names = [("ID", False), ("Name" if en else "名称", False)] if dim != "group" else [
            ("Name" if en else "名称", False)]
        body = []
        for r in rolls:
            ident = [terminal(r.id), terminal(r.name)] if dim != "group" else [terminal(r.name)]
            body.append([*ident, str(r.tasks), *(str(r.by_status.get(s, 0)) for s in STATUSES),
                         str(r.red), str(r.yellow), str(r.green), fixed(r.completion_rate),
                         fixed(r.on_time_rate)])
        cols = [*names, *heads]
        # too narrow: the id goes first (the name is shown), then the status counts
        # (the lights and the completion rate summarise them), then the on-time rate
        n = len(names)
        first = n + 1
        status_at = {s: first + k for k, s in enumerate(STATUSES)}
        drop = ([0] if n == 2 else []) + [
            status_at[s] for s in ("closing", "suspended", "closed", "planned", "done",
                                   "in_progress") if s in status_at] + [len(cols) - 1]
        # still too narrow: the name folds; the figures always stay whole
        kept, widths = fit_layout(cols, body, console.width, drop=drop, names=[n - 1])
        cols, body = pick(cols, body, kept)
        shaped(_t(DIMENSION_LABELS[dim], lang), cols, body, None, widths)
        if dim == "group" and ungrouped(report):
            console.print(Text(_no_group(report, lang)))

    # task lists
    shown = (report.light,) if report.light is not None else ("red", "yellow")
    who = [("Task" if en else "任务", False), ("Lead unit" if en else "牵头单位", False),
           ("Leaders" if en else "包抓领导", False)]
    for light in shown:
        body = light_body(report, light, lang)
        title = {"red": L("红灯任务（序时节点逾期未完成）", "Red: milestones overdue"),
                 "yellow": L("黄灯任务（预警）", "Yellow: at risk"),
                 "green": L("绿灯任务", "Green")}[light]
        console.print()
        if not body:
            console.print(Text(_t(title, lang) + _none(lang)))
            continue
        style = {"red": "red", "yellow": "yellow", "green": "green"}[light]
        if light == "red":
            columns = [*who, ("Overdue milestone" if en else "逾期节点", False),
                       ("Days" if en else "逾期天数", True)]
        elif light == "yellow":
            columns = [*who, ("Reason" if en else "原因", False)]
        else:
            columns = [*who, ("Expected %" if en else "序时进度%", True),
                       ("Progress %" if en else "实际进度%", True)]
        # too narrow: the leaders go first; titles and reasons fold, names do not
        task_list(_t(title, lang), columns, body, style, drop=[2],
                  wrap=[0] if light == "green" else [0, 3], names=[1, 2])

    targets_section(report, lang, console, task_list)
    if isinstance(report, StatusReport):  # status rows: not for a supervision ledger
        supervision_section(report, lang, console, task_list)
    console.print()
    stale_title = rhythm_title(report)
    stale = stale_body(report)
    if not stale:
        console.print(Text(_t(stale_title, lang) + _none(lang)))
    else:
        task_list(_t(stale_title, lang),
                  [*who[:2], ("Latest report" if en else "最近报送", False),
                   ("Report due for" if en else "应报月份", False)],
                  stale, None, wrap=[0], names=[1])
    if isinstance(sink, io.StringIO):
        out.write(_stripped(sink.getvalue()))


def rhythm_title(report: StatusReport | StatusSummary) -> L:
    """The stale list's title names the ledger's reporting rhythm (SPEC §11); in English
    it says "Progress reports missing" as the bulletin and the supervision notice do
    (未按时报送进展), the rhythm in brackets."""
    r = report.ledger.config.reporting
    if r.cadence == "dekad":
        return L("未按旬报送进展（每旬结束次日前报送）",
                 "Progress reports missing (due the day after each ten-day period)")
    if r.cadence == "weekly":
        d = r.day or 1
        day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
               "Sunday")[d - 1]  # what the Chinese says: 每周一前报上周
        return L(f"未按周报送进展（每周{'一二三四五六日'[d - 1]}前报上周）",
                 f"Progress reports missing (due by {day} for the week before)")
    d = r.day or 5
    nth = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(d, "th")
    return L(f"未按月报送进展（每月{d}日前报上月）",
             f"Progress reports missing (due by the {d}{nth})")


def target_rows(report: StatusReport | StatusSummary, lang: str) -> list[list[str]]:
    """Tasks with a numeric target: 完成值/目标值 and achieved next to the reported
    progress; a child is listed under its parent (indented), children by id."""
    rows: list[list[str]] = []
    Cells = tuple[str, str | None, list[str] | None]
    if isinstance(report, StatusSummary):
        summary = report
        listed = [(r[0], r[1], r[8][2]) for r in report.rows]

        def kids(tid: str) -> list[Cells]:
            return [(k[0], k[1], k[8][2]) for k in summary.children(tid)]
    else:
        full = report
        listed = [(t.id, t.parent, target_cells(t, st, report.as_of)) for t, st in report.tasks]

        def kids(tid: str) -> list[Cells]:
            return [(k.id, k.parent, target_cells(k, kst, full.as_of))
                    for k, kst in full.children(tid)]
    # a listed task's whole decomposition goes under it, whatever the light or the
    # unit narrowed the list to: a child not listed still shows its own children
    ids = {tid for tid, _, _ in listed}

    def add(top: tuple[str, str | None, list[str] | None]) -> None:
        # depth first, children in order; a stack, not recursion: a `parent:` chain a
        # thousand deep is a ledger luoshi validates, so it must print too
        stack = [(top, 0)]
        while stack:
            (tid, _, cells), depth = stack.pop()
            if cells is not None:
                rows.append([_indented(cells[0], depth, lang), *cells[1:]])
            stack.extend((kid, depth + 1) for kid in reversed(kids(tid)))

    for row in listed:
        if row[1] is None or row[1] not in ids:
            add(row)
    return rows


TARGET_INDENT_MAX = 8
"""How many levels under its top task the targets table indents a task (two spaces a
level).  A task deeper still is indented as one this deep and says its level, counted
from 1 at the top task: `（第10层）` / `(level 10)` for a task 9 below its top.  A
`parent:` chain 16,000 deep drew 16,000 levels of spaces (4 MB of tasks, 65 s and
665 MB for `luoshi status`); the table now grows with its rows."""


def _indented(text: str, depth: int, lang: str) -> str:
    """A targets-table title at its level under its parent (see TARGET_INDENT_MAX)."""
    if depth <= TARGET_INDENT_MAX:
        return "  " * depth + text
    level = f"(level {depth + 1}) " if lang == "en" else f"（第{depth + 1}层）"
    return "  " * TARGET_INDENT_MAX + level + text


def targets_section(report: StatusReport | StatusSummary, lang: str, console: Any,
                    task_list: Any) -> None:
    """The SPEC §11 targets table; nothing at all when no task has a target."""
    if isinstance(report, StatusSummary):
        if not any(r[8][2] is not None for r in report.rows):
            return
    elif not any(t.target is not None for t, _ in report.tasks):
        return
    en = lang == "en"
    console.print()
    task_list(_t(L("目标完成情况（完成值/目标值）", "Targets (actual/target)"), lang),
              [("Task" if en else "任务", False), ("Actual/target" if en else "完成值/目标值", False),
               ("Achieved %" if en else "完成率%", True),
               ("Progress %" if en else "报送进度%", True)],
              target_rows(report, lang), None, wrap=[0])


# ---- a task's cells in the table's lists: made per task file for the status rows ----

def light_cells(task: Task, st: TaskState, lang: str, unit_name: Callable[[str], str],
                leader_name: Callable[[str], str]) -> list[str] | None:
    """The task's row in the list of its light (red: overdue milestones and days,
    yellow: reasons, green: expected and reported progress); None for no light."""
    if st.light is None:
        return None
    who = [terminal(f"{task.id} {task.title}"), terminal(unit_name(task.lead)),
           terminal(("、" if lang != "en" else ", ").join(leader_name(p) for p in task.leaders))]
    if st.light == "red":
        return [*who, "\n".join(terminal(f"{o.due} {milestone_standard(task, o.due)}")
                                 for o in st.overdue),
                "\n".join(str(o.days) for o in st.overdue)]
    if st.light == "yellow":
        return [*who, "\n".join(terminal(reason_text(task, st, r, lang))
                                 for r in st.yellow_reasons)]
    return [*who, fixed(st.expected), plain(st.progress)]


def stale_cells(task: Task, st: TaskState, as_of: date,
                unit_name: Callable[[str], str]) -> list[str] | None:
    """The task's row in the list of missing reports; None when none is missing."""
    if st.stale is None:
        return None
    return [terminal(f"{task.id} {task.title}"), terminal(unit_name(task.lead)),
            last_update_month(task, as_of) or "—", st.stale or ""]


def target_cells(task: Task, st: TaskState, as_of: date) -> list[str] | None:
    """The task's row in the targets table (its first cell not yet indented); None
    without a target."""
    if task.target is None:
        return None
    u = latest_actual(task, as_of)
    actual = plain(u.actual) if u is not None and u.actual is not None else "—"
    unit = terminal(unit_suffix(task.target.unit))
    return [terminal(f"{task.id} {task.title}"),
            f"{actual}/{plain(task.target.value)}{unit}", fixed(st.achieved),
            plain(st.progress)]


def light_body(report: StatusReport | StatusSummary, light: str,
               lang: str) -> list[list[str]]:
    """The rows of one light's list, in task order."""
    if isinstance(report, StatusSummary):
        return [r[8][0] for r in report.rows if r[7][1] == light]
    rows = {"red": report.red, "yellow": report.yellow, "green": report.green}[light]
    return [c for task, st in rows
            if (c := light_cells(task, st, lang, report.unit_name, report.leader_name))]


def stale_body(report: StatusReport | StatusSummary) -> list[list[str]]:
    """The rows of the list of missing reports, in task order."""
    if isinstance(report, StatusSummary):
        return [r[8][1] for r in report.rows if r[8][1] is not None]
    return [c for task, st in report.stale
            if (c := stale_cells(task, st, report.as_of, report.unit_name))]


def table_rows(ledger: Ledger, tasks: Sequence[Task], as_of: date,
               lang: str) -> list[StatusRow]:
    """The status row of each task at `as_of` with its cells in the table's lists
    (its light's, the missing reports', the targets'), in `lang`: what
    `render_table` prints of a task, made per task file in the parse worker and
    cached with it, so that a warm `luoshi status` builds no task either."""
    unit_name, leader_name = ledger.unit_name, ledger.leader_name

    def cells(task: Task, st: TaskState) -> Any:
        return (light_cells(task, st, lang, unit_name, leader_name),
                stale_cells(task, st, as_of, unit_name), target_cells(task, st, as_of))

    return _status_rows(ledger, tasks, as_of, cells)


def supervision_section(report: StatusReport, lang: str, console: Any, task_list: Any) -> None:
    """督办 (SPEC §12): per unit its open and overdue rectifications, then the red-light
    tasks with no open rectification naming them (应督办).  Only for a ledger that
    keeps the supervision loop."""
    if not has_supervision(report.ledger):
        return
    from rich.text import Text

    en = lang == "en"
    sup = supervision(report)
    console.print()
    title = _t(L("督办情况（整改）", "Supervision: rectifications"), lang)
    if not sup.open:
        console.print(Text(title + _none(lang)))
    else:
        task_list(title,
                  [("Unit" if en else "单位", False), ("Rectification" if en else "整改", False),
                   ("Tasks" if en else "任务", False), ("Due" if en else "整改期限", False),
                   ("Days overdue" if en else "逾期天数", True)],
                  [[terminal(report.unit_name(r.unit)), terminal(r.id),
                    terminal("、".join(r.tasks) if not en else ", ".join(r.tasks)),
                    str(r.due), str((report.as_of - r.due).days) if r.due < report.as_of else ""]
                   for r in in_unit_order(report.ledger, sup.open)], None,
                  wrap=[2], names=[0])
    console.print()
    title = _t(L("应督办（红灯任务，牵头单位无在办整改）",
                 "To supervise: red-light tasks with no open rectification"), lang)
    if not sup.to_supervise:
        console.print(Text(title + _none(lang)))
    else:
        task_list(title,
                  [("Task" if en else "任务", False), ("Lead unit" if en else "牵头单位", False),
                   ("Overdue milestone" if en else "逾期节点", False)],
                  [[terminal(f"{t.id} {t.title}"), terminal(report.unit_name(t.lead)),
                    "\n".join(terminal(overdue_text(t, o, lang)) for o in st.overdue)]
                   for t, st in sup.to_supervise], "red", wrap=[0, 2], names=[1])
    from ..ops.interviews import interviews_due

    due = interviews_due(report.ledger, report.as_of, report.unit)
    if due is not None:
        console.print()
        interview_section(report, due, lang, console, task_list)


def interview_section(report: StatusReport, due: InterviewsDue, lang: str, console: Any,
                      task_list: Any) -> None:
    """应约谈: the units the latest rankings marked for 约谈 with no interview recorded
    since the ranked period ended, and the rankings that could not be read."""
    from rich.text import Text

    en = lang == "en"
    names = (", " if en else "、").join(period_text(p, lang) for p in due.periods)
    if not due.periods:
        title = _t(L("应约谈（尚无已结束的考核排名）",
                     "To interview (no ranked period has ended yet)"), lang)
    else:
        title = _t(L(f"应约谈（{names}排名）",
                     f"To interview ({names} ranking)"), lang)
    if not due.due:  # "none" only when a ranking was read and marked nobody untalked
        read = len(due.periods) > len(due.unjudged)
        console.print(Text(title + (_none(lang) if read else "")))
    else:
        def basis(d: DueInterview) -> str:
            rules = (", " if en else "；").join(d.rules)
            words = [w for w, on in ((L("排名靠后", "bottom of the ranking"), d.by_rank),
                                     (L(f"考核规则：{rules}", f"rule: {rules}"), d.by_rule)) if on]
            return terminal(("; " if en else "；").join(_t(w, lang) for w in words))

        grouped = any(d.group_name for d in due.due)  # a 分组 column as `score` has
        task_list(title,
                  [("Unit" if en else "单位", False), ("Period" if en else "考核期", False)]
                  + [("Group" if en else "分组", False)] * grouped
                  + [("Rank" if en else "排名", True), ("Marked by" if en else "依据", False),
                     ("Days since" if en else "期末后天数", True)],
                  [[terminal(report.unit_name(d.unit)), period_text(d.period, lang)]
                   + [terminal(d.group_name)] * grouped
                   + [str(d.rank), basis(d), str((report.as_of - d.since).days)]
                   for d in due.due], "red", wrap=[3 + grouped], names=[0])
    for period, why in due.unjudged:
        console.print(Text(terminal(_t(L(
            f"{period_text(period, 'zh')}排名无法读取，未列应约谈：{why.zh}",
            f"The {period_text(period, 'en')} ranking could not be read, so nobody is "
            f"listed from it: {why.en}"), lang))))


def _stripped(text: str) -> str:
    """Plain output without the padding rich leaves at line ends (stable diffs)."""
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def _none(lang: str) -> str:
    return ": none" if lang == "en" else "：无"


def _pct(d: Decimal | None) -> str:
    return "—" if d is None else f"{d:.2f}%"
