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
