"""`status` and `score` tables on a real terminal of 80 and 120 columns (issue 18).

A table wider than the terminal used to fold every column: at 80 columns a
category's name came out one character per line and numbers were split.  Now the
secondary columns go first and names and figures stay whole.  These run the real
command under a pseudo-terminal of the given size, so rich measures the terminal
itself, exactly as in an office's shell.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from rich.cells import cell_len

from conftest import EXAMPLE, on_pty_bytes

AS_OF = ("--as-of", "2021-06-30")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_pty(args: list[str], columns: int) -> str:
    """`luoshi ARGS` with its stdout on a pseudo-terminal `columns` wide, colour codes
    taken out."""
    return ANSI.sub("", on_pty_bytes(args, columns).decode()).replace("\r\n", "\n")


def json_of(args: list[str]) -> Any:
    out = subprocess.run([sys.executable, "-m", "luoshi_cli", *args, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def whole(text: str, value: str) -> bool:
    """`value` appears whole on one line, not run into its neighbour."""
    return any(re.search(rf"(^|\s){re.escape(value)}(\s|$)", line)
               for line in text.splitlines())


def fits(text: str, columns: int) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= columns, line


@pytest.mark.parametrize("columns", [80, 120])
def test_status_names_and_figures_whole(columns: int) -> None:
    args = ["status", str(EXAMPLE), *AS_OF]
    text = on_pty(args, columns)
    fits(text, columns)
    doc = json_of(args)
    for dim in ("by_category", "by_lead", "by_leader", "by_group"):
        for r in doc[dim]:
            assert whole(text, r["name"]), (dim, r["name"])
    for r in doc["by_lead"]:
        assert whole(text, f"{r['completion_rate']:.2f}"), r
        assert whole(text, str(r["tasks"])), r
    # the old layout broke 重点项目建设 into one character per line
    assert not any(line.strip() == "设" for line in text.splitlines())


@pytest.mark.parametrize("columns", [80, 120])
def test_score_names_and_scores_whole(columns: int) -> None:
    args = ["score", str(EXAMPLE), *AS_OF, "--quarter", "Q2"]
    text = on_pty(args, columns)
    fits(text, columns)
    for u in json_of(args)["units"]:
        line = next((x for x in text.splitlines() if re.search(
            rf"(^|\s){re.escape(u['name'])}\s", x)), None)
        assert line is not None, u["name"]
        assert f"{u['score']:.2f}" in line.split(), (u, line)


def test_status_what_goes_first() -> None:
    """What goes first: at 120 columns the category roll-up shows every status
    count; at 80 the ids and the rarer status counts go, the lights stay."""
    wide = on_pty(["status", str(EXAMPLE), *AS_OF], 120)
    narrow = on_pty(["status", str(EXAMPLE), *AS_OF], 80)
    head = re.compile(r"^名称\s+任务")
    wide_heads = [x.split() for x in wide.splitlines() if head.match(x)]
    narrow_heads = [x.split() for x in narrow.splitlines() if head.match(x)]
    assert wide_heads[0] == ["名称", "任务", "未启动", "推进中", "已完成", "待销号", "已销号",
                             "暂缓", "红灯", "黄灯", "绿灯", "完成率%", "按时率%"]
    assert narrow_heads[0] == ["名称", "任务", "推进中", "红灯", "黄灯", "绿灯", "完成率%",
                               "按时率%"]


def test_piped_output_follows_columns() -> None:
    """Piped output takes COLUMNS: the same choice of columns as on a terminal."""
    env = {**os.environ, "COLUMNS": "80"}
    out = subprocess.run([sys.executable, "-m", "luoshi_cli", "status", str(EXAMPLE), *AS_OF],
                         capture_output=True, text=True, check=True, env=env).stdout
    fits(out, 80)
    assert "城市提质与文明创建" in out

