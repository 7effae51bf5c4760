"""YAML's type traps and tags, as `luoshi validate` reports them.

A value a YAML 1.1 reader turns into something else (`no`, `0571`, `2024-05-31`) is a
trap only when it is written plain: quoted, it is text, whatever the fast reader
(yaml_rs, which also makes a date of a quoted "2024-05-31") made of it.  A tag outside
YAML 1.2's core schema is an error at the tag itself, whether yaml_rs refuses it
(`!!python/object:…`) or silently reads it as text (`!foo`, `!!binary`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run

TASK = """- id: T-001
  title: 推进重点项目开工建设
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 全年开复工项目不少于350个
  milestones:
    - {due: 2024-12-31, standard: 开复工350个}
  status: in_progress
  progress: 45
  updates:
    - {month: "2024-04", progress: 45, note: 已开工}
"""
UNITS = "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: li, name: 李某某}\n"
BASE = {
    "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
    "units.yaml": UNITS,
    "tasks/a.yaml": TASK,
}


def _findings(write: Callable[..., Path], cli: Callable[..., Run],
              files: dict[str, str]) -> tuple[int, list[dict[str, Any]]]:
    root = write({**BASE, **files})
    run = cli("validate", root, "--format", "json", "--as-of", "2024-05-31", "--lang", "en")
    assert run.stderr == ""
    return run.exit_code, json.loads(run.stdout)


@pytest.mark.parametrize(("old", "new"), [
    ("id: T-001", 'id: "2021-01-01"'),
    ("title: 推进重点项目开工建设", "title: '2024-05-31'"),
    ("title: 推进重点项目开工建设", 'title: "2024-05-31 10:00:00"'),
    # yaml-rs reads a date and a time without seconds as a datetime too, quoted or not
    ("note: 已开工", "note: '2024-05-06 10:00'"),
    ("note: 已开工", 'note: "yes"'),
    ("note: 已开工", "note: '0571'"),
    ("note: 已开工", 'note: "1:30"'),
    # an alias stands for its anchored node: quoted there, text here
    ("title: 推进重点项目开工建设\n  category: econ\n  lead: fgw\n  leaders: [li]\n"
     "  start: 2024-01-01\n  standard: 全年开复工项目不少于350个",
     'title: &t "2024-05-31"\n  category: econ\n  lead: fgw\n  leaders: [li]\n'
     "  start: 2024-01-01\n  standard: *t"),
])
def test_quoted_date_like_text_is_no_trap(write: Callable[..., Path], cli: Callable[..., Run],
                                          old: str, new: str) -> None:
    assert _findings(write, cli, {"tasks/a.yaml": TASK.replace(old, new)}) == (0, [])


def test_quoted_unit_id_is_text(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    units = UNITS.replace("id: fgw", 'id: "0571"')
    task = TASK.replace("lead: fgw", 'lead: "0571"')
    assert _findings(write, cli, {"units.yaml": units, "tasks/a.yaml": task}) == (0, [])


def test_quoted_date_id_is_kept_as_the_task_id(write: Callable[..., Path],
                                               cli: Callable[..., Run]) -> None:
    """The text stays the task's id: a second task with it is a duplicate id."""
    task = TASK.replace("id: T-001", "id: '2021-01-01'")
    code, found = _findings(write, cli, {"tasks/a.yaml": task, "tasks/b.yaml": task})
    assert code == 1
    assert [(f["code"], f["file"], f["line"], f["column"]) for f in found] == [
        ("LS108", "tasks/b.yaml", 1, 7)]


def test_plain_date_is_still_a_trap(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    task = (TASK.replace("id: T-001", "id: 2021-01-01")
            .replace("title: 推进重点项目开工建设", "title: 2024-05-31")
            .replace("note: 已开工", "note: yes"))
    assert _findings(write, cli, {"tasks/a.yaml": task}) == (1, [
        {"file": "tasks/a.yaml", "line": 1, "column": 7, "severity": "error", "code": "LS016",
         "message": "id: 2021-01-01 is read by YAML as the date 2021-01-01, but text is "
                    'expected here: quote it as "2021-01-01"'},
        {"file": "tasks/a.yaml", "line": 2, "column": 10, "severity": "warning",
         "code": "LS017",
         "message": "title: 2024-05-31 is read by YAML as the date 2024-05-31: to keep it "
                    'as written, quote it as "2024-05-31"'},
        {"file": "tasks/a.yaml", "line": 13, "column": 46, "severity": "warning",
         "code": "LS017",
         "message": 'note: yes is read by YAML as the boolean true: to keep it as written, '
                    'quote it as "yes"'},
    ])


def _tag(line: int, col: int, tag: str) -> dict[str, Any]:
    return {"file": "tasks/a.yaml", "line": line, "column": col, "severity": "error",
            "code": "LS010", "message": f"YAML syntax error: unknown YAML tag {tag}: a ledger "
                                        "holds plain data, remove the tag"}


@pytest.mark.parametrize(("new", "col", "tag"), [
    ("title: !!python/object:os.system x", 10, "!!python/object:os.system"),  # yaml_rs refuses
    ("title: !foo bar", 10, "!foo"),  # yaml_rs reads it as text
    ("title: !!binary aGVsbG8=", 10, "!!binary"),
    ("title: &a !!timestamp 2024-01-01", 13, "!!timestamp"),
    ("title: [!!set x]", 11, "!!set"),
])
def test_unknown_tag_at_the_tag(write: Callable[..., Path], cli: Callable[..., Run],
                                new: str, col: int, tag: str) -> None:
    task = TASK.replace("title: 推进重点项目开工建设", new)
    assert _findings(write, cli, {"tasks/a.yaml": task}) == (1, [_tag(2, col, tag)])


def test_every_unknown_tag_and_chinese_message(write: Callable[..., Path],
                                               cli: Callable[..., Run]) -> None:
    task = (TASK.replace("title: 推进重点项目开工建设", "title: !foo x")
            .replace("note: 已开工", "note: !bar y") + "---\n- !baz z\n")
    assert _findings(write, cli, {"tasks/a.yaml": task}) == (1, [
        _tag(2, 10, "!foo"), _tag(13, 46, "!bar"),
        {"file": "tasks/a.yaml", "line": 15, "column": 1, "severity": "error", "code": "LS015",
         "message": "the file holds several YAML documents ('---'): one per file; only the "
                    "first was read"}])
    run = cli("validate", write({**BASE, "tasks/a.yaml": TASK.replace(
        "title: 推进重点项目开工建设", "title: !foo x")}), "--as-of", "2024-05-31")
    assert run.stdout == ("tasks/a.yaml:2:10: error LS010 YAML 语法错误：未知的 YAML 标签 "
                          "!foo：台账只写普通数据，请删去标签\n")


def test_core_tags_and_exclamation_marks_in_text_are_fine(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    task = (TASK.replace("title: 推进重点项目开工建设", "title: !!str 好! 很好 !")
            .replace("progress: 45\n", "progress: !!int 45\n")
            .replace("standard: 全年开复工项目不少于350个", "standard: '!foo' # !bar"))
    assert _findings(write, cli, {"tasks/a.yaml": task}) == (0, [])


def test_settle_decides_from_how_the_value_was_written() -> None:
    """The trap decision is one function of the marker and the node as written
    (load/traps.py); positions applies the typed result."""
    from luoshi_cli.core.codes import L
    from luoshi_cli.load.traps import QUOTED_IS_TEXT, TEXT_CANDIDATE, Trap, Written, settle

    assert settle(TEXT_CANDIDATE, Written("no", None)) == Trap(
        "no", L("布尔值 false", "the boolean false"))
    assert settle(TEXT_CANDIDATE, Written("1:30", "")) == Trap("1:30", L("数字 90", "the number 90"))
    assert settle(TEXT_CANDIDATE, Written("no", '"')) is None  # quoted: text
    assert settle(TEXT_CANDIDATE, Written("1_a", None)) is None  # YAML 1.1 keeps it text
    assert settle(TEXT_CANDIDATE, None) is None  # no scalar there: nothing to warn about
    assert settle(QUOTED_IS_TEXT, Written("2021-01-01", "'")) is None
    assert settle(QUOTED_IS_TEXT, Written("2021-01-01", None)) == Trap(
        "2021-01-01", L("日期 2021-01-01", "the date 2021-01-01"))
    assert settle(None, None) == Trap()  # definite: stays as the schema made it
    assert settle(None, Written("x", '"')) == Trap("x", None)
