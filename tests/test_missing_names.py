"""Missing scores are named as users read them (节点任务完成（HLD-01）), never as the
engine's path (`delivery/HLD-01`): in the score table, `--explain`, the bulletin's
remarks and sentence, and the refusal without `--allow-missing`; zh and en.  The
CSV and JSON keep the path (data for tools)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run
from luoshi_cli.core import labels

Writer = Callable[..., Path]
Cli = Callable[..., Run]

NAMES = {"delivery": "节点任务完成", "ducha": "督查评价", "list": "清单",
         "list/x1": "第一项"}


def test_gap_text() -> None:
    """A component by name; the task, item or period that tells two gaps apart in
    brackets (an item by its name when it has one); an unknown id as it is."""
    cases = {
        "delivery/HLD-01": ("节点任务完成（HLD-01）", "节点任务完成 (HLD-01)"),
        "ducha": ("督查评价", "督查评价"),
        "2021-Q1/delivery/T-1": ("节点任务完成（2021-Q1，T-1）", "节点任务完成 (2021-Q1, T-1)"),
        "2024-05/ducha": ("督查评价（2024-05）", "督查评价 (2024-05)"),
        "list/x1": ("清单（第一项）", "清单 (第一项)"),
        "list/x9": ("清单（x9）", "清单 (x9)"),
        "other/T-1": ("other（T-1）", "other (T-1)"),
    }
    assert {g: (labels.gap_text(g, NAMES, "zh"), labels.gap_text(g, NAMES, "en")) for g in cases} == cases


CONFIG = """title: 测试台账
year: 2021
categories:
  - {id: cat, name: 测试}
"""
UNITS = """units:
  - {id: fgw, name: 市发展改革委}
  - {id: swj, name: 市商务局}
leaders:
  - {id: wang, name: 王某}
"""
SCHEME = """id: t
title: 测试考核
components:
  - {id: delivery, name: 节点任务完成, weight: 60, source: tasks, timeliness: 50, quality: 50}
  - {id: ducha, name: 督查评价, weight: 40}
grades:
  - {name: 优秀, min: 90}
  - {name: 较差, min: 0}
"""


def _task(tid: str, lead: str) -> str:
    return (f"- id: {tid}\n  title: 任务{tid}\n  category: cat\n  lead: {lead}\n"
            "  leaders: [wang]\n  start: 2021-01-01\n  standard: 完成\n  milestones:\n"
            "    - {due: 2021-05-31, standard: 节点, done: 2021-05-31}\n"
            "  status: done\n  progress: 100\n\n")


def ledger(write: Writer) -> Path:
    """By hand: fgw's HLD-01 has no quality score (counted 0): delivery (100×50 + 0)/100
    = 50; ducha 85 → 50×0.6 + 85×0.4 = 64.  swj: HLD-02 (100 + 90)/2 = 95, ducha 90 →
    93.  The one gap is `delivery/HLD-01`."""
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "scheme.yaml": SCHEME,
                  "tasks/t.yaml": _task("HLD-01", "fgw") + _task("HLD-02", "swj"),
                  "records/2021-Q2.yaml": "period: 2021-Q2\nscores:\n  fgw: {ducha: 85}\n"
                                          "  swj: {ducha: 90}\nquality:\n  HLD-02: 90\n"})


ASOF = ("--as-of", "2021-06-30")


def test_score_table_and_explain(write: Writer, cli: Cli) -> None:
    root = ledger(write)
    zh = cli("score", root, "-q", "Q2", *ASOF)
    assert zh.exit_code == 0, zh.stderr
    assert zh.stdout.splitlines()[5].split() == [
        "2", "市发展改革委", "fgw", "64.00", "较差", "节点任务完成（HLD-01）"]
    en = cli("score", root, "-q", "Q2", "--lang", "en", *ASOF)
    assert en.stdout.splitlines()[5].split()[-2:] == ["节点任务完成", "(HLD-01)"]
    ex = cli("score", root, "-q", "Q2", "--explain", "fgw", *ASOF)
    assert ex.stdout.splitlines()[-1] == "缺失的得分（按 0 分计算）：节点任务完成（HLD-01）"
    ex = cli("score", root, "-q", "Q2", "--explain", "fgw", "--lang", "en", *ASOF)
    assert ex.stdout.splitlines()[-1] == "Missing scores (counted 0): 节点任务完成 (HLD-01)"
    # data for tools keeps the path
    js = cli("score", root, "-q", "Q2", "--format", "json", *ASOF)
    assert json.loads(js.stdout)["units"][1]["missing"] == ["delivery/HLD-01"]


def test_bulletin_and_its_refusal(write: Writer, cli: Cli) -> None:
    root = ledger(write)
    r = cli("bulletin", root, "--quarter", "Q2", *ASOF)
    assert r.exit_code == 1
    assert r.stderr == ("luoshi: 1 个单位缺少评分，排名不可靠：市发展改革委缺节点任务完成（HLD-01）。"
                        "请补齐评分，或加 --allow-missing（通报将注明）\n")
    r = cli("bulletin", root, "--quarter", "Q2", "--lang", "en", *ASOF)
    assert r.stderr == ("luoshi: 1 unit has missing scores, so the ranking is not reliable: "
                        "市发展改革委 lacks 节点任务完成 (HLD-01). Record the scores, or add "
                        "--allow-missing (the bulletin says so)\n")
    zh = cli("bulletin", root, "--quarter", "Q2", "--allow-missing", *ASOF)
    assert zh.exit_code == 0, zh.stderr
    assert ("**以下单位缺少评分（按0分计），排名据现有分数作出：市发展改革委（节点任务完成（HLD-01））。**"
            in zh.stdout)
    assert ("| 2 | 市发展改革委 | 50.00 | 85.00 | 0.00 | 64.00 | 较差 | "
            "缺少评分：节点任务完成（HLD-01） |") in zh.stdout
    en = cli("bulletin", root, "--quarter", "Q2", "--allow-missing", "--lang", "en", *ASOF)
    assert "not scored: 节点任务完成 (HLD-01) |" in en.stdout
    assert "delivery" not in zh.stdout + en.stdout
