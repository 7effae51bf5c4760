"""`report.status.task_text` writes a task's JSON text for the status rows directly
(no dict walked): it must be, character for character, what the generic writer makes
of the task's JSON object (`_task_json` through `indented_json`, split at the
children's place) — for any text (escapes, control and bidi characters, lone
surrogates), any figures, and every optional SPEC §11 key.  The byte-for-byte test
of whole documents on the case ledgers is `test_warm.py`'s."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi_cli.core.model import Milestone, Src, Target, Task, Update
from luoshi_cli.ops.progress import Overdue, TaskState, YellowReason
from luoshi_cli.report import status as status_report

AS_OF = date(2024, 4, 10)
texts = st.text(max_size=8)
ids = st.lists(texts, max_size=3).map(tuple)
numbers = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)
days = st.integers(min_value=-400, max_value=400).map(lambda n: AS_OF + timedelta(days=n))


@st.composite
def tasks(draw: st.DrawFn) -> tuple[Task, TaskState]:
    months = draw(st.lists(st.sampled_from(["2024-01", "2024-02", "2024-03", "2024-05"]),
                           max_size=3, unique=True))
    updates = tuple(Update(m, draw(st.none() | numbers), draw(st.none() | texts),
                           draw(st.none() | texts), draw(st.none() | numbers))
                    for m in sorted(months))
    due = draw(days)
    task = Task(
        draw(texts), draw(texts), draw(texts), draw(texts), draw(ids), date(2024, 1, 1),
        draw(texts), (Milestone(due, draw(texts), draw(st.none() | days)),), "in_progress",
        draw(numbers), Src("tasks/a.yaml"), updates=updates,
        target=draw(st.none() | st.builds(Target, numbers, st.none() | texts)),
        parent=draw(st.none() | texts), owners=draw(ids), unit_leaders=draw(ids),
        tags=draw(ids))
    overdue = tuple(Overdue(d, n) for d, n in draw(st.lists(
        st.tuples(days, st.integers(min_value=0, max_value=400)), max_size=2)))
    reasons = tuple(draw(st.lists(
        st.builds(YellowReason, st.just("due_soon"), days, st.integers(0, 30))
        | st.builds(YellowReason, st.just("behind"), st.none(), st.none(), numbers),
        max_size=2)))
    state = TaskState(draw(st.sampled_from(["planned", "in_progress", "done", "closed"])),
                      draw(st.sampled_from([None, "red", "yellow", "green"])),
                      draw(numbers), draw(numbers), overdue, reasons,
                      draw(st.none() | st.sampled_from(["2024-03", "2024-02"])),
                      0, 0, draw(st.none() | numbers))
    return task, state


def generic(task: Task, state: TaskState) -> tuple[str, str]:
    split = ("," + status_report._KEY_INDENT + status_report._ESCAPE(status_report._CHILDREN)
             + ": null")
    head, tail = status_report.indented_json(
        status_report._task_json((task, state), AS_OF, None),
        status_report._TASK_INDENT).split(split, 1)
    return head, tail


@settings(max_examples=200, deadline=None)
@given(tasks())
def test_task_text_is_the_generic_text(row: tuple[Task, TaskState]) -> None:
    task, state = row
    assert status_report.task_text(task, state, AS_OF) == generic(task, state)


def test_a_v1_task_and_a_v2_task() -> None:
    """The two shapes, written out: a v1 task's text ends at the children's place;
    a v2 task's target and parent come before it, its tags after."""
    m = Milestone(date(2024, 3, 31), "完成", None)
    v1 = Task("T-1", "标题\u202e", "c", "u", ("l",), date(2024, 1, 1), "s", (m,),
              "in_progress", Decimal(40), Src("tasks/a.yaml"),
              updates=(Update("2024-03", Decimal("40.5"), "进展", None),))
    state = TaskState("in_progress", "red", Decimal("75.25"), Decimal(40),
                      (Overdue(date(2024, 3, 31), 10),), (), None, 1, 0)
    head, tail = status_report.task_text(v1, state, AS_OF)
    assert (head, tail) == generic(v1, state)
    assert tail == "\n    }" and '"overdue": [\n        {\n          "due": "2024-03-31"' in head
    v2 = Task("T-2", "t", "c", "u", (), date(2024, 1, 1), "s", (m,), "in_progress",
              Decimal(0), Src("tasks/a.yaml"), target=Target(Decimal(60), "亿元"),
              parent="T-1", tags=("榜",))
    head, tail = status_report.task_text(v2, state, AS_OF)
    assert (head, tail) == generic(v2, state)
    assert head.endswith('"parent": "T-1"') and tail.startswith(',\n      "tags": [')


@settings(max_examples=200, deadline=None)
@given(days, days, days)
def test_expected_progress_shared_by_dates_is_the_formula(start: date, last: date,
                                                          as_of: date) -> None:
    """`expected_progress` runs its Decimal division once per (start, last due, as-of)
    (`progress._expected`, cached): what it gives is the formula's, every time."""
    from luoshi_cli.ops import progress

    m = Milestone(last, "s")
    task = Task("T", "t", "c", "u", (), start, "s", (m,), "in_progress", Decimal(0),
                Src("tasks/a.yaml"))
    span = (last - start).days
    if span <= 0:
        want = Decimal(100 if as_of >= last else 0).quantize(Decimal("0.01"))
    else:
        value = min(max(Decimal(100) * (as_of - start).days / span, Decimal(0)), Decimal(100))
        want = value.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert progress.expected_progress(task, as_of) == want
    assert str(progress.expected_progress(task, as_of)) == str(want)  # the same digits
