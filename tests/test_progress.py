"""progress.py: lights, expected progress (序时进度) and roll-ups, SPEC §5.

The hand-built ledger tests/fixtures/status/lights holds one task per light case;
every figure below is worked out by hand in the test's docstring, as of
2024-05-31 unless a test says otherwise (2024 is a leap year: 366 days).
Tasks starting 2024-01-01 with the last milestone due 2024-12-31 have
expected = 100 × 151 / 365 = 41.369… → 41.37 (the SPEC's own example), and with
the default tolerance 10 they turn yellow below 31.37.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from luoshi_cli.core.model import Ledger, Task
from luoshi_cli.load.assemble import open_ledger
from luoshi_cli.ops.progress import (
    Overdue,
    TaskState,
    YellowReason,
    expected_progress,
    progress_at,
    status_at,
    status_report,
    task_state,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "status"
AS_OF = date(2024, 5, 31)
D = Decimal


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    loaded = open_ledger(FIXTURES / "lights")
    assert [f for f in loaded.findings if f.severity == "error"] == []
    return loaded.ledger


def task(ledger: Ledger, tid: str) -> Task:
    return next(t for t in ledger.tasks if t.id == tid)


def state(ledger: Ledger, tid: str, as_of: date = AS_OF) -> TaskState:
    return task_state(task(ledger, tid), as_of, ledger.config)


def test_spec_example_expected_progress(ledger: Ledger) -> None:
    """SPEC §5: 2024-01-01 → 2024-05-31 is 151 days, → 2024-12-31 is 365: 41.37."""
    assert expected_progress(task(ledger, "T-01"), AS_OF) == D("41.37")


def test_overdue_is_red(ledger: Ledger) -> None:
    """T-01: the 2024-04-30 milestone is not done; 2024-05-31 − 2024-04-30 = 31 days.
    The 2024-03-31 milestone was done on 03-28: 2 milestones due before as-of, 1 on time."""
    s = state(ledger, "T-01")
    assert s.light == "red"
    assert s.overdue == (Overdue(date(2024, 4, 30), 31),)
    assert s.yellow_reasons == ()  # 45 ≥ 41.37 − 10
    assert (s.expected, s.progress) == (D("41.37"), D(45))
    assert (s.milestones_due, s.milestones_on_time) == (2, 1)
    assert s.stale is None


def test_due_within_warn_days_boundary(ledger: Ledger) -> None:
    """warn_days 7: T-02 is due 2024-06-07 (7 days: yellow), T-03 2024-06-08 (8: green);
    T-16 is due on the as-of date itself (0 days: yellow, not yet overdue)."""
    assert state(ledger, "T-02").light == "yellow"
    assert state(ledger, "T-02").yellow_reasons == (
        YellowReason("due_soon", due=date(2024, 6, 7), days=7),)
    assert state(ledger, "T-03").light == "green"
    assert state(ledger, "T-03").yellow_reasons == ()
    s16 = state(ledger, "T-16")
    assert (s16.light, s16.overdue) == ("yellow", ())
    assert s16.yellow_reasons == (YellowReason("due_soon", due=date(2024, 5, 31), days=0),)
    assert s16.milestones_due == 0  # due *before* as-of only


def test_behind_expected_progress_boundary(ledger: Ledger) -> None:
    """Yellow when progress < expected − tolerance = 41.37 − 10 = 31.37:
    T-04 reports exactly 31.37 (green), T-05 31.36 (yellow, 41.37 − 31.36 = 10.01 behind)."""
    s4, s5 = state(ledger, "T-04"), state(ledger, "T-05")
    assert (s4.light, s4.progress) == ("green", D("31.37"))
    assert s5.light == "yellow"
    assert s5.yellow_reasons == (YellowReason("behind", points=D("10.01")),)


def test_done_late_is_not_red_but_not_on_time(ledger: Ledger) -> None:
    """T-06: due 2024-03-31, done 2024-04-02 — done, so no light from it, but late:
    1 milestone due before as-of, 0 on time."""
    s = state(ledger, "T-06")
    assert (s.light, s.overdue) == ("green", ())
    assert (s.milestones_due, s.milestones_on_time) == (1, 0)


def test_closed_and_suspended_have_no_light(ledger: Ledger) -> None:
    """T-07 closed 2024-05-20: no light; expected = 100 × 151/135 (last due 05-15) → clamped
    100.00; its two milestones (leap day 2024-02-29 done that day, 05-15 done that day) are
    both on time.  T-08 suspended: no light and no overdue list, though 04-30 is past due."""
    s7 = state(ledger, "T-07")
    assert (s7.status, s7.light, s7.expected) == ("closed", None, D("100.00"))
    assert (s7.milestones_due, s7.milestones_on_time) == (2, 2)
    s8 = state(ledger, "T-08")
    assert (s8.status, s8.light, s8.overdue, s8.yellow_reasons) == ("suspended", None, (), ())
    assert s8.expected == D("41.37")


def test_leap_day_start(ledger: Ledger) -> None:
    """T-09 starts 2024-02-29 (day 60 of 2024), last due 2024-12-31 (day 366):
    span 306 days; to 2024-05-31 (day 152) 92 days; 100 × 92 / 306 = 30.065… → 30.07.
    Progress 20 < 30.07 − 10 = 20.07: yellow, 10.07 behind.  Its 2024-02-29 milestone
    was done 2024-02-29: on time."""
    s = state(ledger, "T-09")
    assert s.expected == D("30.07")
    assert s.light == "yellow"
    assert s.yellow_reasons == (YellowReason("behind", points=D("10.07")),)
    assert (s.milestones_due, s.milestones_on_time) == (1, 1)


def test_all_milestones_in_future(ledger: Ledger) -> None:
    """T-10: milestones 2024-09-30 and 2024-12-31: none due, expected 41.37, 45 reported."""
    s = state(ledger, "T-10")
    assert (s.light, s.expected, s.milestones_due, s.overdue) == ("green", D("41.37"), 0, ())


def test_single_milestone(ledger: Ledger) -> None:
    """T-11: start 2024-03-01, one milestone 2024-06-30: span 121 days, 91 elapsed:
    100 × 91 / 121 = 75.206… → 75.21; 60 < 65.21: yellow, 15.21 behind."""
    s = state(ledger, "T-11")
    assert s.expected == D("75.21")
    assert s.yellow_reasons == (YellowReason("behind", points=D("15.21")),)


def test_task_starting_after_as_of(ledger: Ledger) -> None:
    """T-12 starts 2024-07-01: elapsed −31 days clamps to expected 0.00; green; not stale
    (no report was due for a month before its start)."""
    s = state(ledger, "T-12")
    assert (s.status, s.light, s.expected, s.progress, s.stale) == (
        "planned", "green", D("0.00"), D(0), None)


def test_done_after_as_of_shows_the_past(ledger: Ledger) -> None:
    """T-13 is `done` today, but its last milestone was done 2024-06-15: at 05-31 it was in
    progress, with the May update's 80 (not today's 100).  Expected: span 2024-01-01 →
    06-20 = 171 days, 151 elapsed: 88.304… → 88.30; 80 ≥ 78.30 and 06-20 is 20 days away:
    green.  Only 03-31 (done 03-30) was due before as-of: 1/1 on time."""
    s = state(ledger, "T-13")
    assert (s.status, s.light, s.progress, s.expected) == ("in_progress", "green", D(80),
                                                           D("88.30"))
    assert (s.milestones_due, s.milestones_on_time) == (1, 1)
    later = state(ledger, "T-13", date(2024, 6, 30))
    assert (later.status, later.progress, later.light) == ("done", D(100), "green")


def test_closed_after_as_of_is_closing(ledger: Ledger) -> None:
    """T-14 was closed 2024-06-10, its only milestone done 05-14: at 05-31 it was finished
    and awaiting sign-off (closing), judged like any open task: expected 100.00 (last due
    05-15 is past), progress 100: green.  On 06-10 it is closed."""
    s = state(ledger, "T-14")
    assert (s.status, s.light) == ("closing", "green")
    assert state(ledger, "T-14", date(2024, 6, 10)).status == "closed"
    assert status_at(task(ledger, "T-07"), date(2024, 5, 19)) == "closing"


def test_progress_at_uses_updates_up_to_as_of_month(ledger: Ledger) -> None:
    """T-15 reports 2024-02: 20 and 2024-03: 35 (progress 35).  Before February nothing
    was reported (0); in February 20; from March on the latest report, 35."""
    t = task(ledger, "T-15")
    assert progress_at(t, date(2024, 1, 31)) == D(0)
    assert progress_at(t, date(2024, 2, 1)) == D(20)
    assert progress_at(t, date(2024, 3, 31)) == D(35)
    assert progress_at(t, AS_OF) == D(35)


def test_stale(ledger: Ledger) -> None:
    """Reports are due by the 5th for the month before.  T-15's latest update is 2024-03.
    On 2024-05-05 the April report is still in time (the March one is due, and there);
    from 2024-05-06 April's is missing: stale 2024-04, and still on 2024-05-31."""
    assert state(ledger, "T-15", date(2024, 5, 5)).stale is None
    assert state(ledger, "T-15", date(2024, 5, 6)).stale == "2024-04"
    assert state(ledger, "T-15").stale == "2024-04"
    assert state(ledger, "T-01").stale is None
    # a suspended or closed task owes no report
    assert state(ledger, "T-08").stale is None
    assert state(ledger, "T-07").stale is None


def test_totals(ledger: Ledger) -> None:
    """16 tasks.  Status at as-of: planned T-12; closing T-14 (closed 06-10); closed T-07;
    suspended T-08; T-13 in progress (done 06-15); the other 11 in progress: 12.
    Lights: red T-01; yellow T-02, T-05, T-09, T-11, T-16 (5); no light T-07, T-08;
    green the other 8.  Completion: closing + closed = 2 / 16 = 12.50.
    On time (T-08 suspended left out): due T-01 2, T-06 1, T-07 2, T-09 1, T-13 1, T-14 1
    = 8; on time 1 + 0 + 2 + 1 + 1 + 1 = 6; 6 / 8 = 75.00."""
    r = status_report(ledger, AS_OF)
    t = r.totals
    assert t.tasks == 16
    assert t.by_status == {"planned": 1, "in_progress": 12, "done": 0, "closing": 1,
                           "closed": 1, "suspended": 1}
    assert (t.red, t.yellow, t.green) == (1, 5, 8)
    assert (t.completion_rate, t.on_time_rate) == (D("12.50"), D("75.00"))
    assert (t.milestones_due, t.milestones_on_time) == (8, 6)
    assert [row[0].id for row in r.red] == ["T-01"]
    assert [row[0].id for row in r.yellow] == ["T-02", "T-05", "T-09", "T-11", "T-16"]
    assert [row[0].id for row in r.stale] == ["T-15"]
    assert [row[0].id for row in r.tasks] == [f"T-{i:02d}" for i in range(1, 17)]


def test_rollups(ledger: Ledger) -> None:
    """cat-a T-01..05, T-16: 6 tasks, red 1, yellow 3 (T-02, T-05, T-16), green 2; on time
    only T-01's 1 of 2: 50.00; nothing finished: 0.00.
    cat-b T-06..10: completion 1 (T-07 closed) / 5 = 20.00; on time T-06 0/1, T-07 2/2,
    T-09 1/1 (T-08 suspended out): 3/4 = 75.00.
    cat-c T-11..15: closing T-14: 1/5 = 20.00; on time T-13 1/1, T-14 1/1: 100.00.
    Groups: cat-c has none, so only 第一组 (cat-a) and 第二组 (cat-b).
    Leaders: T-16 has two, so it counts for both: l-one 9, l-two 8 (17 = 16 + 1).
    Units (any role): u-a leads 7; u-b leads 5 and is responsible for T-01: 6; u-c leads 4,
    cooperates on T-01 and is responsible for T-05: 6; u-d has no task and is not listed."""
    r = status_report(ledger, AS_OF)
    cats = {c.id: c for c in r.by_category}
    assert [c.id for c in r.by_category] == ["cat-a", "cat-b", "cat-c"]
    a, b, c = cats["cat-a"], cats["cat-b"], cats["cat-c"]
    assert (a.name, a.tasks, a.red, a.yellow, a.green) == ("甲类任务", 6, 1, 3, 2)
    assert (a.completion_rate, a.on_time_rate) == (D("0.00"), D("50.00"))
    assert (b.tasks, b.completion_rate, b.on_time_rate) == (5, D("20.00"), D("75.00"))
    assert (b.by_status["closed"], b.by_status["suspended"]) == (1, 1)
    assert (c.tasks, c.completion_rate, c.on_time_rate) == (5, D("20.00"), D("100.00"))
    assert [(g.id, g.tasks) for g in r.by_group] == [("第一组", 6), ("第二组", 5)]
    assert [(p.id, p.name, p.tasks) for p in r.by_leader] == [("l-one", "一某某", 9),
                                                             ("l-two", "二某某", 8)]
    assert [(u.id, u.tasks) for u in r.by_lead] == [("u-a", 7), ("u-b", 5), ("u-c", 4)]
    assert [(u.id, u.tasks) for u in r.by_unit] == [("u-a", 7), ("u-b", 6), ("u-c", 6)]


def test_unit_filter(ledger: Ledger) -> None:
    """u-c leads T-09..T-12, cooperates on T-01, is responsible for T-05: 6 tasks,
    red T-01, yellow T-05, T-09, T-11, green T-10, T-12.  u-d has none: an empty report."""
    r = status_report(ledger, AS_OF, unit="u-c")
    assert [row[0].id for row in r.tasks] == ["T-01", "T-05", "T-09", "T-10", "T-11", "T-12"]
    assert (r.totals.red, r.totals.yellow, r.totals.green) == (1, 3, 2)
    empty = status_report(ledger, AS_OF, unit="u-d")
    assert (empty.totals.tasks, empty.totals.completion_rate, empty.by_category) == (0, None, ())
    with pytest.raises(ValueError):
        status_report(ledger, AS_OF, unit="nobody")


def test_light_filter_keeps_figures(ledger: Ledger) -> None:
    r = status_report(ledger, AS_OF).with_light("yellow")
    assert [row[0].id for row in r.tasks] == ["T-02", "T-05", "T-09", "T-11", "T-16"]
    assert r.red == () and r.stale == ()
    assert r.totals.tasks == 16


def test_past_as_of(ledger: Ledger) -> None:
    """On 2024-02-29 (59 days after 01-01): T-01 expects 100 × 59/365 = 16.164… → 16.16;
    nothing is overdue yet (first due 03-31); it had no update yet (first is 2024-05):
    progress 0 < 6.16: yellow, 16.16 behind."""
    s = state(ledger, "T-01", date(2024, 2, 29))
    assert (s.expected, s.progress, s.light) == (D("16.16"), D(0), "yellow")
    assert s.yellow_reasons == (YellowReason("behind", points=D("16.16")),)


def test_zero_span_task(ledger: Ledger) -> None:
    """A task whose only milestone is due on its start day has no span: 0 before, 100 on
    and after that day (never a division by zero)."""
    from dataclasses import replace

    from luoshi_cli.core.model import Milestone

    t = replace(task(ledger, "T-11"), milestones=(Milestone(date(2024, 3, 1), "x"),))
    assert expected_progress(t, date(2024, 2, 28)) == D("0.00")
    assert expected_progress(t, date(2024, 3, 1)) == D("100.00")


def test_empty_ledger() -> None:
    """No tasks at all: zeros and no rates (null), not an error."""
    led = open_ledger(FIXTURES / "empty").ledger
    r = status_report(led, AS_OF)
    assert (r.totals.tasks, r.totals.completion_rate, r.totals.on_time_rate) == (0, None, None)
    assert r.tasks == () and r.by_category == () and r.by_group == ()


def _plain_state(task: Task, as_of: date, warn_days: int, tolerance: Decimal) -> TaskState:
    """SPEC §5 written plainly, one rule per line (what `task_state` computed before it
    became one pass over the milestones)."""
    from luoshi_cli.core.rhythm import stale as stale_month

    status = status_at(task, as_of)
    expected = expected_progress(task, as_of)
    progress = progress_at(task, as_of)
    due = [m for m in task.milestones if m.due < as_of]
    on_time = sum(1 for m in due if m.done is not None and m.done <= m.due)
    stale = stale_month(task, as_of, 2024, status=status)
    if status in ("closed", "suspended"):
        return TaskState(status, None, expected, progress, (), (), stale, len(due), on_time)
    open_ms = [m for m in task.milestones if m.done is None or m.done > as_of]
    overdue = tuple(Overdue(m.due, (as_of - m.due).days) for m in open_ms if m.due < as_of)
    reasons = [YellowReason("due_soon", due=m.due, days=(m.due - as_of).days)
               for m in open_ms if 0 <= (m.due - as_of).days <= warn_days]
    if progress < expected - tolerance:
        reasons.append(YellowReason("behind", points=(expected - progress).quantize(D("0.01"))))
    light = "red" if overdue else "yellow" if reasons else "green"
    return TaskState(status, light, expected, progress, overdue, tuple(reasons), stale,
                     len(due), on_time)


def test_one_pass_judge_is_spec_5_written_plainly(ledger: Ledger) -> None:
    """`task_state` judges each milestone once (due, on time, overdue, due soon); on
    random milestones around the as-of date — done early, on the day, late before
    and after as-of, not done — and every status, it gives exactly the state of
    SPEC §5's rules applied one by one."""
    from dataclasses import replace as with_

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from luoshi_cli.core.model import Milestone

    base = task(ledger, "T-01")
    config = ledger.config
    day = st.integers(min_value=-40, max_value=40)

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.tuples(day, st.one_of(st.none(), day)), min_size=1, max_size=6),
           st.sampled_from(["planned", "in_progress", "done", "closing", "closed",
                            "suspended"]),
           st.integers(min_value=0, max_value=100), st.integers(min_value=-30, max_value=30))
    def check(ms: list[tuple[int, int | None]], status: str, progress: int,
              shift: int) -> None:
        as_of = AS_OF + timedelta(days=shift)
        milestones = tuple(sorted(
            (Milestone(AS_OF + timedelta(days=d), f"节点{i}",
                       None if done is None else AS_OF + timedelta(days=d + done))
             for i, (d, done) in enumerate(ms)), key=lambda m: m.due))
        t = with_(base, milestones=milestones, status=status, progress=D(progress),
                  start=min(date(2024, 1, 1), milestones[0].due))
        assert task_state(t, as_of, config) == _plain_state(
            t, as_of, config.warn_days, config.progress_tolerance)

    check()
