"""Issue 17, after loading: the bulletin's and the score's cheap paths give exactly what
the plain computations give — the previous period's totals without a second full
status report, the sandbox's attribute lookups on plain values, Markdown escaping
once per distinct text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import BEILIN, EXAMPLE
from luoshi_cli import api
from luoshi_cli.report.bulletin.markdown import md_escape
from luoshi_cli.report.bulletin.templates import _environment, _md_finalize, _md_finalizer

KIDS = Path(__file__).parent / "cases" / "valid" / "tasks-v2" / "ledger"


@pytest.mark.parametrize(("root", "day"), [(EXAMPLE, date(2021, 5, 31)),
                                           (EXAMPLE, date(2021, 3, 31)),
                                           (BEILIN, date(2024, 4, 30)),
                                           (KIDS, date(2024, 5, 31))])
def test_previous_totals_are_the_full_reports_totals(root: Path, day: date) -> None:
    led = api.open_ledger(root).ledger
    assert led.tasks
    assert api._totals_at(led, day, None) == api.status(led, day).totals
    for unit in list(led.units)[:8]:
        assert api._totals_at(led, day, unit) == api.status(led, day, unit=unit).totals


_TEMPLATE = (
    "{% for r in rows %}{{ loop.index }}/{{ loop.length }}{{ loop.first }}{{ loop.last }}"
    "{{ loop.revindex }}:{{ r.title }}|{{ r.n }}|{{ r.items is defined }}|"
    "{{ r.get('title') }}|{{ r['title'] }}|{{ r.missing is defined }}|"
    "{{ r.nested.x }}|{{ r.keys is defined }}|{{ r.__class__ is defined }}\n{% endfor %}"
    "{{ ns.x }}{{ obj.real }}{{ obj.__class__ is defined }}"
)


def _render(env: jinja2.Environment, source: str, **ctx: Any) -> str:
    return env.from_string(source).render(**ctx)


@pytest.mark.parametrize("strict", [True, False])
def test_the_environment_answers_as_the_plain_sandbox(strict: bool) -> None:
    """A dict's key (or a dict method's name, or nothing), a loop's properties, other
    objects: the same text as `ImmutableSandboxedEnvironment` renders."""
    undefined = jinja2.StrictUndefined if strict else jinja2.Undefined
    rows = [{"title": "甲", "n": 1, "items": "a key named like a method", "nested": {"x": 2}},
            {"title": "乙", "n": 2, "nested": {"x": 3}, "keys": None}]
    ctx: dict[str, Any] = {"rows": rows, "ns": {"x": "y"}, "obj": 3}
    plain = ImmutableSandboxedEnvironment(undefined=undefined)
    fast = _environment()(undefined=undefined)
    assert _render(fast, _TEMPLATE, **ctx) == _render(plain, _TEMPLATE, **ctx)
    for source in ("{{ rows[0].missing }}", "{{ rows[0].nested.missing.deeper }}",
                   "{{ rows[0].items.x }}", "{{ rows[0].pop('n') }}"):
        outcomes = []
        for env in (plain, fast):
            try:
                outcomes.append(("ok", _render(env, source, **ctx)))
            except Exception as exc:  # the same failure, or the same text
                outcomes.append((type(exc).__name__, str(exc)))
        assert outcomes[0] == outcomes[1], source


_TEXTS = st.one_of(st.text(max_size=12), st.sampled_from(["a|b", "#1", "@bob", "x\ny", "绿灯"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_TEXTS, st.integers(), st.booleans(), st.none(),
                          st.floats(allow_nan=False)), max_size=20))
def test_escaping_once_per_text_is_md_escape(values: list[object]) -> None:
    finalize = _md_finalizer()
    for v in [*values, *values]:  # the second time from what it remembered
        assert finalize(v) == _md_finalize(v) == md_escape(v)


def test_markup_keeps_its_own_rule() -> None:
    from markupsafe import Markup

    finalize = _md_finalizer()
    assert finalize("a|b") == "a\\|b"
    assert finalize(Markup("a|b")) == "a|b"  # not the text remembered for "a|b"


@pytest.mark.parametrize(("root", "day"), [(EXAMPLE, date(2021, 6, 30)),
                                           (BEILIN, date(2024, 5, 31)),
                                           (KIDS, date(2024, 5, 31))])
def test_the_bulletins_status_is_the_full_reports(root: Path, day: date) -> None:
    """Tasks, totals and the roll-ups by category and list: what `status_report`
    gives, for the whole ledger and for each unit's notice."""
    from luoshi_cli.report.bulletin.context import bulletin_status

    led = api.open_ledger(root).ledger
    for unit in [None, *list(led.units)[:8]]:
        full = api.status(led, day, unit=unit)
        mine = bulletin_status(led, day, unit)
        assert mine.tasks == full.tasks
        assert mine.totals == full.totals
        assert mine.by_category == full.by_category
        assert mine.by_tag == full.by_tag
    assert api.status(led, day).by_tag or root != KIDS  # the lists are compared too


def test_task_lines_are_computed_per_task(tmp_path: Path) -> None:
    """`source: tasks` timeliness is remembered per (on time, due): every task's line
    is exactly 100 × on time / due and its score exactly the weighted sum, digit for
    digit, as computed for that task alone."""
    import sys
    from decimal import Decimal, localcontext

    from luoshi_cli.core.numbers import PRECISION

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from gen import generate

    led = api.open_ledger(generate(tmp_path / "gen", 240, files=6)).ledger
    result = api.score(led, "2024-Q1")
    seen = 0
    for u in result.units:
        for top in u.parts:
            for part in top.walk():
                for line in part.tasks:
                    seen += 1
                    assert part.timeliness is not None and part.quality is not None
                    with localcontext() as ctx:  # the engine's precision
                        ctx.prec = PRECISION
                        timeliness = Decimal(100) * (line.on_time + Decimal(0)) / line.due
                        score = ((timeliness * part.timeliness + line.quality * part.quality)
                                 / 100)
                    assert line.timeliness.as_tuple() == timeliness.as_tuple()
                    assert line.score.as_tuple() == score.as_tuple()
    assert seen >= 200
    assert len({(x.on_time, x.due) for u in result.units for p in u.parts
                for q in p.walk() for x in q.tasks}) < seen  # the memo is used


def test_in_background_is_the_functions_result() -> None:
    import os

    from luoshi_cli.fast.background import in_background

    parent = os.getpid()
    join = in_background(lambda: (os.getpid() != parent, sum(range(10_000))))
    assert join() == (True, 49995000)  # computed in the child, sent back
    assert in_background(lambda: 7, fork=False)() == 7


def test_a_failing_child_leaves_the_work_to_this_process() -> None:
    import os

    from luoshi_cli.fast.background import in_background

    parent = os.getpid()

    def only_here() -> str:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return "computed here"

    def killed() -> str:
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)
        return "computed here"

    assert in_background(only_here)() == "computed here"
    assert in_background(killed)() == "computed here"
    with pytest.raises(ZeroDivisionError):  # an error of the work itself is raised here
        in_background(lambda: 1 // 0)()


@pytest.mark.parametrize(("root", "kind", "period"), [
    (EXAMPLE, "quarter", "2021-Q2"), (EXAMPLE, "month", "2021-05"),
    (BEILIN, "month", "2024-05"), (EXAMPLE, "half", "2021-H2")])
def test_the_previous_period_judged_in_the_background_is_the_same(
        root: Path, kind: str, period: str, monkeypatch: pytest.MonkeyPatch) -> None:
    led = api.open_ledger(root).ledger
    req = api.bulletin_request(kind, period)
    monkeypatch.setattr(api, "BACKGROUND_MIN_TASKS", 10**9)
    here = api.bulletin_context(led, req)
    monkeypatch.setattr(api, "BACKGROUND_MIN_TASKS", 0)  # forked even for a few tasks
    assert api.bulletin_context(led, req) == here
    assert here["comparison"] is not None


def test_no_fork_while_another_thread_runs() -> None:
    import os
    import threading

    from luoshi_cli.fast.background import in_background

    parent = os.getpid()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert in_background(lambda: os.getpid() == parent)() is True  # computed here
    finally:
        stop.set()
        other.join()
    assert in_background(lambda: os.getpid() == parent)() is False  # forked again
