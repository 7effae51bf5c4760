"""Placing findings on their lines (`load.positions`) without reading more than needed.

A task file's findings sit in a few entries of its top-level list; those entries
alone are read (`_by_entries`), and the answer must be exactly the one reading the
whole file gives — on ordinary files, and on every shape where cutting the file
into entries could mislead: a flow collection or a quoted text going on at column 0
with "- " (the cut finds more entries than the reader did), an alias naming another
entry, a second document, a BOM, a lone CR; there the whole file is read.  Where
PyYAML refuses one entry (a DEL character, which the YAML 1.2 reader takes), the
other entries are still placed exactly, and no path's place depends on which other
paths were asked for (the cache keeps places between runs).  Files with findings
are placed on several cores (`FastSource.spread`) with the same result.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from luoshi_cli.core.finding import KeyPath
from luoshi_cli.fast.source import FastSource
from luoshi_cli.load import positions
from luoshi_cli.load.assemble import DirSource
from luoshi_cli.load.source import Source
from luoshi_cli.load.yaml_fast import parse
from luoshi_cli.load.yaml_scan import NOT_BREAKS
from luoshi_cli.ops.validate import validate

ENTRY = """- id: T{n}
  title: 推进重点项目{n}
  milestones:
    - {{due: 2024-06-30, done: 2024-06-01}}
    - due: 2024-12-31
      standard: 全年完成
  updates:
    - month: "2024-05"
      progress: 40
"""


def entries(text: str) -> int | None:
    """How many entries luoshi's reader (YAML 1.2, `yaml_fast.parse`) finds in the
    text's list (None: it does not read a list)."""
    src = parse(Source(Path("tasks/t.yaml"), "tasks/t.yaml", text))
    return len(src.data) if src.ok and isinstance(src.data, list) else None


def whole(text: str, paths: list[KeyPath]) -> dict[KeyPath, Any]:
    """The places reading the whole file gives (the reference)."""
    return positions._locate(text, paths, None)


def located(text: str, paths: list[KeyPath], count: int | None = -1
            ) -> tuple[dict[KeyPath, Any], bool]:
    """`_locate`'s answer when the reader found `count` entries (default: as many as
    it does), and whether every path was placed entry by entry."""
    left: list[object] = []
    real = positions._by_entries

    def spy(*a: Any) -> Any:
        left.append(real(*a))
        return left[-1]

    with mock.patch.object(positions, "_by_entries", spy):
        found = positions._locate(text, paths, entries(text) if count == -1 else count)
    return found, left == [None]


def at(found: dict[KeyPath, Any], path: KeyPath) -> tuple[int, int]:
    node = found[path].node
    return node.line, node.col


PATHS: list[KeyPath] = [(1, "id"), (1, "updates"), (3, "milestones", 0, "done"),
                        (3, "milestones", 1, "standard"), (4,), (4, "title")]


def test_a_task_file_is_read_entry_by_entry() -> None:
    """Five entries of 9 lines after a comment line: entry n starts on line 2 + 9n.
    Entry 3 (line 29) has its first milestone on line 32, and `done`'s value at
    column 31 (`    - {due: 2024-06-30, done: ` is 30 characters); entry 4's
    mapping starts on line 38 at column 3, its title's value at column 10 of line
    39; entry 1's `updates` key is its 7th line, 17."""
    text = "# 任务清单\n" + "".join(ENTRY.format(n=n) for n in range(5))
    found, by_entries = located(text, PATHS)
    assert by_entries
    assert found == whole(text, PATHS)
    assert at(found, (3, "milestones", 0, "done")) == (32, 31)
    assert at(found, (4, "title")) == (39, 10)
    assert at(found, (4,)) == (38, 3)
    assert found[(1, "updates")].key.line == 17  # the key, for a finding on_key


SHAPES = {
    # each: (text, read entry by entry?)
    "crlf": ("".join(ENTRY.format(n=n) for n in range(5)).replace("\n", "\r\n"), True),
    "entry on its next line": (
        "".join(ENTRY.format(n=n).replace("- id:", "-\n  id:", 1) for n in range(5)), True),
    "header with --- and comments": (
        "# 2024\n---  # 文件头\n\n  # 注释\n" + "".join(
            ENTRY.format(n=n) for n in range(5)), True),
    "comments between entries": (
        "".join(f"# 第{n}项\n" + ENTRY.format(n=n) for n in range(5)), True),
    "NEL inside a title": (
        "".join(ENTRY.format(n=n).replace("项目", "项\x85目") for n in range(5)), True),
    "duplicate key: the last wins": (
        "".join(ENTRY.format(n=n) + "  title: 又一个\n" for n in range(5)), True),
    "no line break at the end": ("".join(ENTRY.format(n=n) for n in range(5))[:-1], True),
    "a flow mapping goes on at column 0 with '- '": (
        "".join(ENTRY.format(n=n) for n in range(3))
        + "- id: T3\n  milestones:\n    - {due: 2024-12-31, standard: 全年\n- 年底前}\n"
        + ENTRY.format(n=4), False),
    "a quoted text goes on after an escaped line break": (
        "".join(ENTRY.format(n=n) for n in range(3))
        + '- id: T3\n  title: "第一行\\\n- 续"\n' + ENTRY.format(n=4), False),
    "alias to another entry": (
        ENTRY.format(n=0).replace("milestones:", "milestones: &ms", 1).split("    - {")[0]
        + "    - {due: 2024-06-30}\n" + "".join(
            ENTRY.format(n=n) for n in range(1, 3))
        + "- id: T3\n  milestones: *ms\n" + ENTRY.format(n=4), False),
    "two documents": ("".join(ENTRY.format(n=n) for n in range(3)) + "---\n"
                      + "".join(ENTRY.format(n=n) for n in range(3, 5)), False),
    "two --- before the list": ("---\n---\n" + "".join(ENTRY.format(n=n) for n in range(5)),
                                False),
    "a BOM": ("\ufeff" + "".join(ENTRY.format(n=n) for n in range(5)), False),
    "a lone CR": ("".join(ENTRY.format(n=n) for n in range(5)).replace(
        "title: 推进重点项目2\n", "title: 推进重点项目2\r\n", 1).replace(
        "  milestones:\n", "\r  milestones:\n", 1), False),
    "a directive": ("%YAML 1.1\n---\n" + "".join(ENTRY.format(n=n) for n in range(5)), False),
    "a mapping, not a list": ("tasks:\n" + "".join(ENTRY.format(n=n) for n in range(5)),
                              False),
    "an indented list": ("".join("  " + line + "\n" for n in range(5)
                                 for line in ENTRY.format(n=n).splitlines()), False),
    "a tab after the dash": ("".join(ENTRY.format(n=n).replace("- id:", "-\tid:", 1)
                                     for n in range(5)), None),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_is_placed_as_the_whole_file_places_it(shape: str) -> None:
    text, by_entries_expected = SHAPES[shape]
    found, by_entries = located(text, PATHS)
    assert found == whole(text, PATHS)
    if by_entries_expected is not None:
        assert by_entries is by_entries_expected


def test_the_cut_must_find_the_entries_the_reader_found() -> None:
    """`- [a` going on as `- b]` at column 0: three lines start with "- ", the reader
    finds two entries.  Cut there, B's id would be placed on `b]` (2:3): it is on
    line 3, column 7, and a third entry does not exist.  An unknown count reads the
    whole file too; a count below the cut's ("at least": the tasks found) does not
    match either."""
    text = "- [a\n- b]\n- id: B\n"
    assert entries(text) == 2
    for count in (2, 1, None):
        found, by_entries = located(text, [(1, "id"), (2,)], count)
        assert not by_entries
        assert at(found, (1, "id")) == (3, 7) and not found[(2,)].exact
    ok = "- [a, b]\n- id: B\n"
    found, by_entries = located(ok, [(1, "id")], 2)
    assert by_entries and at(found, (1, "id")) == (2, 7)
    assert not located(ok, [(1, "id")], 1)[1]  # fewer tasks than entries: not certain


def test_an_entry_pyyaml_refuses_leaves_the_others_exact() -> None:
    """A noncharacter U+FFFF: the YAML 1.2 reader takes it, PyYAML stops there.
    `for_positions` gives PyYAML a readable copy (U+FFFC in its place, as a DEL gets
    U+2421): every finding of the file is placed, entry by entry or reading the
    whole file — the `t` holding it too (it fell back to 1:1, and B's id with it)."""
    text = "- id: A\n  t: a\uffffb\n- id: B\n"
    assert entries(text) == 2
    with pytest.raises(yaml.YAMLError):
        list(yaml.parse(text, Loader=yaml.CSafeLoader))
    alone, _ = located(text, [(1, "id")])
    both, _ = located(text, [(1, "id"), (0, "t")])
    assert at(alone, (1, "id")) == at(both, (1, "id")) == (3, 7)
    assert at(both, (0, "t")) == (2, 6)
    read = whole(text, [(1, "id"), (0, "t")])
    assert at(read, (1, "id")) == (3, 7) and at(read, (0, "t")) == (2, 6)


def test_a_path_that_names_no_entry_is_placed_from_the_whole_file() -> None:
    """The whole document, a key of the list, an index past its end: the whole file
    is read for those, and the other paths are still placed entry by entry — the
    same places whatever else is asked, even in a text PyYAML refuses (a U+FFFF in
    entry 0: entry 1 is 2:3 asked alone or with the whole document)."""
    text = "".join(ENTRY.format(n=n) for n in range(3))
    for paths in ([(7, "id")], [()], [("tasks", 0)], [(0, "id"), (9,)]):
        found, by_entries = located(text, paths)  # type: ignore[arg-type]
        assert not by_entries and found == whole(text, paths)  # type: ignore[arg-type]
    refused = "- a\uffff\n- b\n"
    alone, _ = located(refused, [(1,)])
    with_top, _ = located(refused, [(1,), (), (5,)])
    assert at(alone, (1,)) == at(with_top, (1,)) == (2, 3)


def test_a_text_continuing_at_column_0_never_reaches_placement(
        write: Callable[..., Path]) -> None:
    """Cut at "- " lines, a quoted title continuing at column 0 would read as two
    entries.  A plain continuation never gets there: the YAML 1.2 reader refuses it
    (PyYAML takes it), so the file has one LS010 on its line and no finding with a
    path.  (One after an escaped line break, or inside a flow collection, is taken:
    the count holds those, `test_the_cut_must_find_the_entries_the_reader_found`.)"""
    root = write({
        "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
        "units.yaml": "units:\n  - {id: fgw, name: 区发改委}\n",
        "tasks/a.yaml": '- id: T1\n  title: "第一行\n- id: 不是一项\n  续"\n',
    })
    found = [(f.file, f.line, f.col, f.code)
             for f in validate(root, date(2024, 7, 8), DirSource(root)).findings]
    assert found == [("tasks/a.yaml", 3, 1, "LS010")]


# --- generated files: any mix of the shapes above, any wanted paths -------------------

def pyyaml_reads(text: str) -> bool:
    try:
        for _ in yaml.parse(text.translate(NOT_BREAKS), Loader=yaml.CSafeLoader):
            pass
    except yaml.YAMLError:
        return False
    return True


PIECES = [
    "- id: T\n  title: 甲\n",
    "- {id: T, title: 乙}\n",
    "-\n  id: T\n  updates:\n    - {month: '2024-01', progress: 1}\n",
    "# 注释\n",
    "\n",
    "- id: T\n  note: |\n    多行\n    - 不是一项\n",
    '- id: T\n  title: "跨行\n- 续"\n',
    '- id: T\n  title: "转义换行\\\n- 续"\n',
    "- id: T\n  ms: [{due: 2024-01-31},\n- {due: 2024-02-29}]\n",
    "- id: T\n  title: 同名\n  title: 后者\n",
    "- &a {id: T}\n",
    "- *a\n",
    "- id: T\n  milestones: [{due: 2024-01-31}, {due: 2024-02-29, done: 2024-02-01}]\n",
    "- id: T\n  title: 'a\n\n  b'\n",
    "- id: T\n  1: 数字键\n",
    "- [1, 2,\n  3]\n",
    '- id: T\n  title: "a\n    - b"\n',
    "- id: T\n  t: a\x7fb\n",
]
STEPS: list[KeyPath] = [(), ("id",), ("title",), ("updates", 0, "month"), ("milestones", 1),
                        ("milestones", 1, "done"), ("note",), (1,), (2,), ("t",)]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=12), data=st.data(),
       crlf=st.booleans())
def test_generated_files_are_placed_as_the_whole_file_places_them(
        pieces: list[str], data: st.DataObject, crlf: bool) -> None:
    """Generated from pieces that include every shape above, kept when the YAML 1.2
    reader takes the text (only such a text has findings to place).  Where PyYAML
    reads the whole text the places are the whole file's; in any case each path's
    place is the one it gets when asked for alone."""
    text = "".join(pieces)
    if crlf:
        text = text.replace("\n", "\r\n")
    count = entries(text)
    assume(count is not None)
    lines = sum(piece.startswith("-") for piece in pieces)
    wanted = data.draw(st.lists(st.tuples(st.integers(0, max(0, lines - 1)),
                                          st.sampled_from(STEPS)), min_size=1, max_size=6))
    paths: list[KeyPath] = sorted({(i, *rest) for i, rest in wanted}, key=repr)
    found = located(text, paths)[0]
    if pyyaml_reads(text):
        assert found == whole(text, paths)
    for path in paths:
        assert located(text, [path])[0].get(path) == found.get(path)


# --- several files, several cores -----------------------------------------------------

def _late_ledger(write: Callable[..., Path], files: int) -> Path:
    """`files` task files of 3 tasks, each task without a report for June by the
    5th of July: an LS601 per task on 2024-07-08."""
    return write({
        "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
        "units.yaml": "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: li, name: 李某某}\n",
        **{f"tasks/t{f}.yaml": "".join(
            f"- id: T{f}-{n}\n  title: 任务\n  category: econ\n  lead: fgw\n  leaders: [li]\n"
            f"  start: 2024-01-01\n  standard: 完成\n  milestones:\n"
            f"    - {{due: 2024-12-31, standard: 完成}}\n  status: in_progress\n"
            f"  progress: 40\n  updates:\n    - {{month: \"2024-05\", progress: 40}}\n"
            for n in range(3)) for f in range(files)},
    })


def test_files_are_placed_on_several_cores_with_the_same_answer(
        write: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file's places are found by the process that took it (its pid written to
    a log: the workers are forked, a list here would not see their calls); each
    takes 50 ms, so the worker surely takes some while this process takes others."""
    root = _late_ledger(write, 8)
    day = date(2024, 7, 8)

    def by(files: Any) -> list[tuple[object, ...]]:
        return [(f.file, f.line, f.col, f.code, f.message("zh"))
                for f in validate(root, day, files, keep_tasks=False).findings]

    plain = by(DirSource(root))
    assert len(plain) == 24 and {f[3] for f in plain} == {"LS601"}
    assert plain[:2] == [
        ("tasks/t0.yaml", 12, 3, "LS601", plain[0][4]), ("tasks/t0.yaml", 25, 3, "LS601",
                                                         plain[1][4])]
    log = tmp_path / "pids"
    real = positions._locate

    def slow(text: str | None, paths: Any, count: int | None = None) -> Any:
        import time

        time.sleep(0.05)
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real(text, paths, count)

    monkeypatch.setattr(positions, "_locate", slow)
    spread = FastSource(root, cache=False, jobs=2, parallel_min_bytes=0)
    assert by(spread) == plain
    pids = log.read_text(encoding="utf-8").split()
    assert len(pids) == 8 and len(set(pids)) == 2 and str(os.getpid()) in pids


def test_a_flow_mapping_going_on_at_column_0_does_not_shift_later_tasks(
        write: Callable[..., Path]) -> None:
    """A milestone written `{due: …, standard: 全年\n- 年底前}`: the YAML 1.2 reader
    takes it (one task), a cut at "- " lines would see two.  The first task reported
    for June; the other two did not, and each one's LS601 is on its own `updates:`
    key (found here by its text), on every source.  (Cut at "- " lines, the second
    task's was put on the `- 年底前}` line and the third's on the second's.)"""
    root = _late_ledger(write, 1)
    path = root / "tasks/t0.yaml"
    first, rest = path.read_text(encoding="utf-8").split("- id: T0-1\n")
    milestones = "  milestones:\n    - {due: 2024-12-31, standard: 完成}\n"
    first = (first.replace(milestones, "").replace('"2024-05"', '"2024-06"')
             + milestones.replace("完成}", "完成\n- 年底前}"))  # the task's last key
    text = first + "- id: T0-1\n" + rest
    path.write_text(text, encoding="utf-8")
    updates = [n + 1 for n, line in enumerate(text.splitlines()) if line == "  updates:"][1:]
    assert len(updates) == 2
    for files in (DirSource(root), FastSource(root, cache=False, jobs=1)):
        found = [(f.file, f.line, f.col, f.code)
                 for f in validate(root, date(2024, 7, 8), files, keep_tasks=False).findings]
        assert found == [("tasks/t0.yaml", line, 3, "LS601") for line in updates]


@pytest.fixture
def placers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pid of the process that reads each file for positions (this process's
    list: forked workers' calls are not seen here)."""
    pids: list[int] = []
    real = positions._locate

    def locate(text: str | None, paths: Any, count: int | None = None) -> Any:
        pids.append(os.getpid())
        return real(text, paths, count)

    monkeypatch.setattr(positions, "_locate", locate)
    return pids


def test_no_fork_beside_another_thread(write: Callable[..., Path], placers: list[int]) -> None:
    """A forked child gets one thread, and a lock another thread held stays held in
    it forever: with a second thread running, the files are placed here."""
    import threading

    root = _late_ledger(write, 8)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        two = FastSource(root, cache=False, jobs=2, parallel_min_bytes=0)
        assert len(validate(root, date(2024, 7, 8), two, keep_tasks=False).findings) == 24
    finally:
        stop.set()
        other.join()
    assert placers == [os.getpid()] * 8


def test_one_core_places_files_here(write: Callable[..., Path], placers: list[int]) -> None:
    root = _late_ledger(write, 8)
    one = FastSource(root, cache=False, jobs=1, parallel_min_bytes=0)
    assert len(validate(root, date(2024, 7, 8), one, keep_tasks=False).findings) == 24
    assert placers == [os.getpid()] * 8


def test_a_c_librarys_own_thread_does_not_stop_the_workers(
        write: Callable[..., Path]) -> None:
    """pyarrow (the Parquet export, `luoshi rollup`) starts a thread of its own on
    import; it runs no Python code and holds no lock a worker takes, so parsing and
    placing still use every core (counting the process's OS threads stopped them
    for the rest of the CI's test process)."""
    pytest.importorskip("pyarrow")
    root = _late_ledger(write, 8)
    two = FastSource(root, cache=False, jobs=2, parallel_min_bytes=0)
    assert len(validate(root, date(2024, 7, 8), two, keep_tasks=False).findings) == 24
    assert two.stats["workers"] == 2
