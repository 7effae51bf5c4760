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
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from conftest import BEILIN, EXAMPLE, REPO, on_pty_bytes

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



# ---- narrow terminals: no figure is ever cut (audit G, item 1) ---------------------------

LONG_NAMES = REPO / "tests" / "fixtures" / "status" / "long-names"
LONG_UNIT = "西安市碑林区住房和城乡建设局城市更新工作专班"  # 22 characters, 44 cells


def _narrow_ledgers(tmp: Path) -> list[tuple[Path, str]]:
    """The stock 碑林 ledger; the same with one realistic long unit name; a ledger of
    very long, emoji, full-width and markup names."""
    import shutil

    stock = tmp / "beilin"
    shutil.copytree(BEILIN, stock)
    longname = tmp / "longname"
    shutil.copytree(BEILIN, longname)
    units = longname / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert "name: 区住房和城乡建设局," in text
    units.write_text(text.replace("name: 区住房和城乡建设局,", f"name: {LONG_UNIT},"),
                     encoding="utf-8")
    stress = tmp / "stress"
    shutil.copytree(LONG_NAMES, stress)
    return [(stock, "2024-06-20"), (longname, "2024-07-20"), (stress, "2024-06-20")]


def _piped(args: list[str], columns: int) -> str:
    env = {**os.environ, "COLUMNS": str(columns)}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "luoshi_cli", *args], capture_output=True,
                          text=True, check=True, env=env).stdout


def _section(text: str, title: str) -> list[str]:
    """The lines of the table titled `title`, from its header to the blank line after."""
    lines = text.splitlines()
    start = next(k for k, x in enumerate(lines) if x.startswith(title))
    end = next((k for k in range(start, len(lines)) if not lines[k].strip()), len(lines))
    return lines[start + 1:end]


def _rows(section: list[str], ids: list[str]) -> dict[str, list[str]]:
    """Each task's row (its first line starts with its id) as the words of all its lines."""
    out: dict[str, list[str]] = {}
    current: str | None = None
    for line in section:
        first = line.split()[0] if line.split() else ""
        if first in ids:
            current = first
            out[current] = []
        if current is not None:
            out[current] += line.split()
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("columns", [60, 80, 100, 160])
def test_narrow_tables_keep_every_figure(tmp_path: Path, columns: int, lang: str) -> None:
    """At 60, 80, 100 and 160 columns every day count, due date, reporting month and
    roll-up figure the JSON has appears whole in the table, and no line is wider than
    the terminal.  At 80 columns the red list of the stock ledger used to print its
    逾期天数 column with an empty header and empty cells; one long unit name cut every
    due date to `2024-0`; very long names turned the roll-ups' counts into `…` and took
    the task column out of the list of missing reports."""
    lang_args = ["--lang", lang]
    red_title = "Red: milestones overdue" if lang == "en" else "红灯任务"
    yellow_title = "Yellow: at risk" if lang == "en" else "黄灯任务"
    stale_title = "Progress reports missing" if lang == "en" else "未按月报送进展"
    rollup_titles = {"by_category": "By category" if lang == "en" else "按类别",
                     "by_lead": "By lead unit" if lang == "en" else "按牵头单位",
                     "by_leader": "By leader" if lang == "en" else "按包抓领导",
                     "by_group": "By group" if lang == "en" else "按专项推进组"}
    for root, as_of in _narrow_ledgers(tmp_path):
        args = ["status", str(root), "--as-of", as_of, *lang_args]
        text = _piped(args, columns)
        fits(text, columns)
        doc = json_of(args)
        ids = [t["id"] for t in doc["tasks"]]
        red = _rows(_section(text, red_title), ids)
        yellow = _rows(_section(text, yellow_title), ids)
        stale = _rows(_section(text, stale_title), ids)
        for t in doc["tasks"]:
            if t["light"] == "red":
                assert t["id"] in red, (root.name, t["id"])
                for o in t["overdue"]:
                    assert o["due"] in red[t["id"]], (root.name, t["id"], red[t["id"]])
                    assert str(o["days"]) in red[t["id"]], (root.name, t["id"], red[t["id"]])
            if t["light"] == "yellow":
                words = " ".join(yellow[t["id"]])
                for r in t["yellow_reasons"]:
                    if r["kind"] == "due_soon":
                        assert re.search(rf"(^| ){r['due']}( |$)", words), (t["id"], words)
                        if r["days"]:  # "…：5 天后到期" / "due in 5 days"
                            assert re.search(rf"(?<![0-9.-]){r['days']} ", words + " "), (
                                t["id"], words)
                    else:
                        assert re.search(rf"(^| ){r['points']:.2f}( |$)", words), words
            if t["stale"] is not None:
                assert t["stale"] in stale[t["id"]], (root.name, t["id"], stale[t["id"]])
                month = (t["latest_update"] or {}).get("month", "—")
                assert month in stale[t["id"]], (root.name, t["id"], stale[t["id"]])
        for dim, title in rollup_titles.items():
            # a row's figures are on its first line: the lines with the completion rate
            lines = [x.split() for x in _section(text, title)[2:]]
            figures = [x for x in lines if len(x) >= 5 and re.fullmatch(r"[0-9.—]+", x[-1])
                       and all(re.fullmatch(r"[0-9.—]+", w) for w in x[-5:])]
            assert len(figures) == len(doc[dim]), (root.name, dim, lines)
            for r, words in zip(doc[dim], figures, strict=True):
                rate = "—" if r["completion_rate"] is None else f"{r['completion_rate']:.2f}"
                want = [str(r["tasks"]), str(r["red"]), str(r["yellow"]), str(r["green"]), rate]
                tail = words[-len(words) + 1:]
                assert all(w in tail for w in want), (root.name, dim, r, words)
                assert "…" not in " ".join(words)


def test_narrow_red_list_on_a_terminal(tmp_path: Path) -> None:
    """On a real 80-column terminal the stock red list shows 逾期天数 with its days, and
    every due date whole (the audit's first reproduction)."""
    root, as_of = _narrow_ledgers(tmp_path)[0]
    text = on_pty(["status", str(root), "--as-of", as_of, "--light", "red"], 80)
    fits(text, 80)
    section = _section(text, "红灯任务")
    assert section[0].split() == ["任务", "牵头单位", "逾期节点", "逾期天数"]
    rows = _rows(section, ["BL4-03", "BRK3-02", "BRK6-02"])
    assert ["2024-06-05" in rows["BL4-03"], "2024-04-30" in rows["BRK3-02"],
            "2024-05-20" in rows["BRK6-02"]] == [True, True, True]
    assert ["15" in rows["BL4-03"], "51" in rows["BRK3-02"], "31" in rows["BRK6-02"]] == [
        True, True, True]
    assert "完成选址和设计" in rows["BL4-03"]
