"""The schema reader's fast path (compiled per spec, for clean data) never changes an
answer: for any value, `Reader.read` with it and without it returns the same converted
data and the same findings.  Values are drawn from the specs themselves — mostly
well-formed, with wrong types, YAML 1.1 traps, unknown and missing keys, empty
mappings and nested records mixed in — so both the fast path and its bail-outs run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import fuzz
from luoshi_cli.load import schema
from luoshi_cli.load.parse import parse_record, parse_scheme, parse_tasks
from luoshi_cli.load.schema import (
    SPECS,
    TASK_ID,
    UNIT_ID,
    Bool,
    Date,
    Enum,
    Id,
    List,
    Map,
    Month,
    Num,
    Obj,
    Period,
    Reader,
    Text,
    Type,
)

TRAPS = ["no", "on", "Yes", "1:30", "12:30", "0571", "1_000", "0b101", "y", "-1:2"]
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000), st.sampled_from([float("nan"), float("inf"),
                                                                       1.5, -0.0, 86.5]),
    st.sampled_from(["", " ", "文本", "2024-02-30", " 2024-05 ", *TRAPS]),
    st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    st.just(datetime(2024, 1, 2, 3, 4)), st.just([]), st.just({}), st.just(["a", 1]),
)
EXTRA_KEYS = st.sampled_from(["titel", "\u3000title", "statsu", 1, True, None, "Note"])


def value_of(t: Type, depth: int, clean: bool = False) -> st.SearchStrategy[Any]:
    good: st.SearchStrategy[Any]
    if isinstance(t, Id):
        good = st.from_regex(UNIT_ID if t.pattern == UNIT_ID else TASK_ID, fullmatch=True)
    elif isinstance(t, Enum):
        good = st.sampled_from([*t.values, "other"])
    elif isinstance(t, Text):
        good = st.one_of(st.text(max_size=24), st.sampled_from(TRAPS))
    elif isinstance(t, Date):
        good = st.one_of(st.dates(date(2020, 1, 1), date(2026, 12, 31)),
                         st.sampled_from(["2024-01-05", "2024-02-30"]))
    elif isinstance(t, Month):
        good = st.sampled_from(["2024-01", "2024-12", "2024-13", " 2024-05 ", "2024-5"])
    elif isinstance(t, Num):
        good = st.one_of(st.integers(-10, 120), st.floats(-10, 120, allow_nan=False),
                         st.sampled_from([0.1, 99.95, 100, 1e20]))
    elif isinstance(t, Bool):
        good = st.booleans()
    elif isinstance(t, Period):
        good = st.one_of(st.integers(1890, 2210),
                         st.sampled_from(["2024-Q1", "2024", " 2024-Q4 ", "2024-Q5"]))
    elif isinstance(t, List):
        good = st.lists(value_of(t.item, depth + 1, clean), max_size=3)
    elif isinstance(t, Map):
        good = st.dictionaries(st.one_of(st.sampled_from(["fgw", "t01", "T-001"]), st.integers(0, 3)),
                               value_of(t.value, depth + 1, clean), max_size=3)
    elif isinstance(t, Obj):
        good = record(t.kind, depth + 1, clean) if depth < 3 else st.just({})
    else:  # pragma: no cover - a new Type: add it here
        raise AssertionError(f"no strategy for {t!r}")
    return good if clean else st.one_of(good, good, good, JUNK)


def record(kind: str, depth: int = 0, clean: bool = False) -> st.SearchStrategy[Any]:
    """A mapping of `kind`; `clean` ones have every required key and no junk values, so
    the fast path gets through them as often as it gives up on the others."""
    spec = SPECS[kind]

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        tidy = clean or draw(st.booleans())
        out: dict[Any, Any] = {}
        for k, t in spec.required.items():
            if tidy or draw(st.integers(0, 9)):  # usually present
                out[k] = draw(value_of(t, depth, tidy))
        for k, t in spec.optional.items():
            if not draw(st.integers(0, 2)):
                out[k] = draw(value_of(t, depth, tidy))
        if not tidy and not draw(st.integers(0, 5)):
            out[draw(EXTRA_KEYS)] = draw(JUNK)
        return out

    return build() if clean else st.one_of(build(), build(), build(), JUNK)


def both_paths(fn: Any, *args: Any) -> Iterator[Any]:
    for fast in (True, False):
        schema.FAST = fast
        try:
            yield fn(*args)
        finally:
            schema.FAST = True


@pytest.mark.parametrize("kind", sorted(SPECS))
@fuzz(40)
@given(data=st.data())
def test_reader_answers_the_same_with_and_without_the_fast_path(kind: str,
                                                                data: st.DataObject) -> None:
    value = data.draw(record(kind))

    def read() -> tuple[Any, list[Any]]:
        r = Reader("f.yaml")
        return r.read(kind, value, (), kind), r.findings

    fast, full = both_paths(read)
    assert fast == full


@fuzz(60)
@given(tasks=st.lists(record("task"), max_size=4), scheme=record("scheme"),
       rec=record("record"))
def test_parsed_files_are_the_same_with_and_without_the_fast_path(
        tasks: list[Any], scheme: Any, rec: Any) -> None:
    for fn, data in ((parse_tasks, tasks), (parse_scheme, scheme), (parse_record, rec)):
        fast, full = both_paths(fn, "f.yaml", data)
        assert fast == full


def test_clean_records_take_the_fast_path() -> None:
    task = {"id": "T-1", "title": "推进", "category": "econ", "lead": "fgw", "leaders": ["li"],
            "start": date(2024, 1, 1), "standard": "完成", "status": "in_progress",
            "progress": 45, "milestones": [{"due": date(2024, 12, 31), "standard": "完成"}],
            "updates": [{"month": "2024-04", "progress": 45.5}]}
    converted = schema._fast_read("task", task)
    assert converted["progress"] == 45 and str(converted["updates"][0]["progress"]) == "45.5"
    with pytest.raises(schema._Bail):  # a finding to make: the full path takes over
        schema._fast_read("task", {**task, "status": "no"})
    scheme = {"id": "s", "title": "t", "components": [], "rounding": {}}
    assert schema._fast_read("scheme", scheme) == {"id": "s", "title": "t", "components": []}


@fuzz(500)
@given(text=st.one_of(st.sampled_from(TRAPS), st.text(alphabet="yesnoYESNOtrufalTRUFAL0123456789_:.+-bx ",
                                                     max_size=8)))
def test_every_yaml11_trap_passes_the_fast_readers_pre_tests(text: str) -> None:
    """The generated reader calls the trap regex only for ASCII text that is one of
    the trap words or starts like a number: every trap passes those pre-tests."""
    from luoshi_cli.load.schema import _TRAP_NUMBER_START, _TRAP_WORDS, _YAML11_TRAP

    if _YAML11_TRAP.match(text):
        assert text.isascii()
        assert text in _TRAP_WORDS or text[:1] in _TRAP_NUMBER_START
    if text in _TRAP_WORDS:
        assert _YAML11_TRAP.match(text)


@fuzz(80)
@given(tasks=st.lists(record("task", clean=True), min_size=1, max_size=3))
def test_clean_tasks_are_built_as_the_full_path_builds_them(tasks: list[Any]) -> None:
    """The generated task builder (`schema.record_builder`) makes each clean task
    itself — no dict of converted values in between — and the records equal the full
    path's, field for field: defaults for what is not written, lists as tuples, a
    milestone's note tested and dropped.  Clean tasks with a value the builder does
    not take (an empty milestone list, a trap) are handed to the full path."""
    from luoshi_cli.load.parse import _task_builder

    fast, full = both_paths(parse_tasks, "f.yaml", tasks)
    assert fast == full
    built = _task_builder()(tasks[0], full[0][0].src if full[0] else None)
    if built is not None:
        assert built == full[0][0] and not full[1]
        assert [type(m) for m in built.milestones] == [type(m) for m in full[0][0].milestones]


def test_a_built_task_is_frozen_and_complete() -> None:
    """Built through slot descriptors, a task is still a frozen record with every
    field set (an unset slot would raise AttributeError far from here)."""
    import dataclasses

    from luoshi_cli.core.model import Src, Task
    from luoshi_cli.load.parse import _task_builder

    task = {"id": "T-1", "title": "推进", "category": "econ", "lead": "fgw", "leaders": ["li"],
            "start": date(2024, 1, 1), "standard": "完成", "status": "in_progress",
            "progress": 45, "milestones": [{"due": date(2024, 12, 31), "standard": "完成",
                                            "note": "不保留"}],
            "updates": [{"month": "2024-04", "progress": 45.5}]}
    built = _task_builder()(task, Src("tasks/a.yaml", (0,)))
    assert isinstance(built, Task)
    for f in dataclasses.fields(Task):
        getattr(built, f.name)  # an unset slot raises AttributeError
    assert built.units == () and built.closed is None and built.missing == frozenset()
    assert built.leaders == ("li",) and built.updates[0].note is None
    assert str(built.updates[0].progress) == "45.5" and built.src == Src("tasks/a.yaml", (0,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.title = "x"  # type: ignore[misc]
    assert _task_builder()({**task, "milestones": []}, Src("f", ())) is None  # LS201
    assert _task_builder()({**task, "leaders": "li"}, Src("f", ())) is None  # LS103


def test_built_tasks_share_the_names_they_repeat() -> None:
    """The builder interns ids, references, statuses and months: two tasks of one lead
    unit hold one string (so a pickle of 100,000 tasks writes it once); titles and a
    task's own id are kept as read."""
    from luoshi_cli.core.model import Src
    from luoshi_cli.load.parse import _task_builder

    def fresh(text: str) -> str:
        return "".join(list(text))  # a new string object, as a YAML reader makes

    def task(ident: str) -> dict[str, Any]:
        return {"id": ident, "title": "推进" + ident, "category": fresh("econ"),
                "lead": fresh("fgw"), "leaders": [fresh("li")],
                "start": date(2024, 1, 1), "standard": "完成", "status": fresh("in_progress"),
                "progress": 45, "milestones": [{"due": date(2024, 12, 31), "standard": "完成"}],
                "updates": [{"month": fresh("2024-04"), "progress": 45}]}

    a, b = (_task_builder()(task(i), Src("f", (n,))) for n, i in enumerate(("T-1", "T-2")))
    assert a is not None and b is not None
    assert a.lead is b.lead and a.leaders[0] is b.leaders[0] and a.status is b.status
    assert a.updates[0].month is b.updates[0].month and a.category is b.category
