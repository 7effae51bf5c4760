"""Chinese output has no English words of Click's or of the OS in it: an integer
option given text (`--issue abc`: Click's "is not a valid int range"), `--year 0`
(told once, in the command's language, not in both), a --map file that is not there
(the OS's "No such file or directory")."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run


def luoshi(*args: object) -> tuple[int, str]:
    """A real process: Click's words are put into Chinese where `luoshi` starts."""
    env = {k: v for k, v in os.environ.items() if k != "LUOSHI_LANG"}
    done = subprocess.run([sys.executable, "-m", "luoshi_cli", *map(str, args)],
                          capture_output=True, text=True, env=env, check=False)
    return done.returncode, done.stderr


@pytest.mark.parametrize("value", ["abc", "1.5"])
def test_an_issue_that_is_not_a_number(value: str) -> None:
    code, err = luoshi("bulletin", EXAMPLE, "-q", "Q2", "--issue", value)
    assert code == 2
    assert err.splitlines()[-1] == f"错误：--issue 的值 {value} 不是整数。"


def test_year_zero_in_the_command_language() -> None:
    code, err = luoshi("--lang", "zh", "bulletin", EXAMPLE, "-q", "Q2", "--year", "0")
    assert code == 2
    assert err.splitlines()[-1] == "错误：--year 的值 0 无效：请写四位数年份（1000–9999）。"
    assert "four-digit" not in err
    code, err = luoshi("bulletin", EXAMPLE, "-q", "Q2", "--year", "0", "--lang", "en")
    assert code == 2
    assert err.splitlines()[-1] == (
        "Error: Invalid value for '--year': 0 is not a four-digit year (1000-9999)")
    assert "年份" not in err


def test_a_map_file_that_is_not_there(cli: Callable[..., Run], example: Path,
                                      tmp_path: Path) -> None:
    book = tmp_path / "w.xlsx"
    assert cli("export", example, "-o", book).exit_code == 0
    missing = tmp_path / "nosuch.yaml"
    r = cli("import", "tasks", book, example, "--map", missing)
    assert (r.exit_code, r.stderr) == (2, f"luoshi: 无法读取 {missing}：文件或目录不存在\n")
    r = cli("import", "tasks", book, example, "--map", tmp_path, "--lang", "en")
    assert r.exit_code == 2
    r = cli("import", "tasks", book, example, "--map", missing, "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: cannot read {missing}: No such file or "
                                          "directory\n")
