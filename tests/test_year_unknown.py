"""One fault, one finding: a luoshi.yaml whose year cannot be read (a YAML syntax error,
`year: twenty`, an unreadable file) is its own error, and the rules that judge what was
due by the as-of — which falls back to today without the year — do not fire besides it
(LS601 asked a 2021 ledger for 2026-11's report; LS702 called a rectification overdue)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import BEILIN, Run, edit


def test_year_twenty_is_one_error(cli: Callable[..., Run], example: Path) -> None:
    edit(example / "luoshi.yaml", "year: 2021", "year: twenty")
    r = cli("validate", str(example))
    assert r.exit_code == 1
    assert r.stdout == ("luoshi.yaml:17:7: error LS103 year 应为整数，实际是文本"
                        "“twenty”：请改正\n")
    assert r.stderr == "1 个错误，0 个警告\n"


def test_a_yaml_syntax_error_is_one_error(cli: Callable[..., Run], example: Path) -> None:
    (example / "luoshi.yaml").write_text("title: x\nyear: [\n", encoding="utf-8")
    r = cli("validate", str(example))
    assert r.exit_code == 1
    assert [line.split(" ")[2] for line in r.stdout.splitlines()] == ["LS010"]
    assert r.stderr == "1 个错误，0 个警告\n"


def test_no_overdue_rectification_without_the_year(cli: Callable[..., Run],
                                                    tmp_path: Path) -> None:
    led = tmp_path / "b"
    shutil.copytree(BEILIN, led)
    edit(led / "luoshi.yaml", "year: 2024", "year: twenty")
    r = cli("validate", str(led), "--as-of", "2026-12-07")
    assert [line.split(" ")[2] for line in r.stdout.splitlines()] == ["LS103"]
    assert r.stderr == "1 个错误，0 个警告\n"


def test_no_overdue_rectification_dated_today(write: Callable[..., Path],
                                              cli: Callable[..., Run]) -> None:
    from test_supervision import SUPERVISION, UNITS, task

    root = write({"luoshi.yaml": "title: 督办台账\nyear: twenty\ncategories:\n"
                                 "  - {id: econ, name: 经济}\n",
                  "units.yaml": UNITS, "tasks/a.yaml": task("BL-007", "zjj", "2024-06-15"),
                  "supervision/2024.yaml": SUPERVISION})
    r = cli("validate", root)
    assert r.stdout == "luoshi.yaml:2:7: error LS103 year 应为整数，实际是文本“twenty”：请改正\n"
    assert r.stderr == "1 个错误，0 个警告\n"
