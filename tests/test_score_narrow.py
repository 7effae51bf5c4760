"""`luoshi score` on a narrow terminal keeps every figure and every essential column.

The table once dropped the 等次 column without a trace at 50 columns, and at 45 and 40
cut the scores to `94.…` and `94…` (rich, left to itself, squeezed every column).  Now
the unit's name and the grade fold, down to four Chinese characters and the longest
grade word; below that the lines run past the edge and no figure is split or cut.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLE, on_pty_bytes

ARGS = ["score", str(EXAMPLE), "--as-of", "2021-06-30", "-q", "Q2"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def piped(columns: int, *more: str) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "LUOSHI_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "luoshi_cli", *more, *ARGS],
                          capture_output=True, text=True, check=True, env=env).stdout


def units() -> list[dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "luoshi_cli", *ARGS, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    got: list[dict[str, object]] = json.loads(out)["units"]
    return got


AT_50 = """\
渭南高新区2021年度作风建设专项考核办法 —
2021年第二季度

排名   单位        得分   等次         扣分   约谈
──────────────────────────────────────────────────
   1   党群工作   94.64   优秀
       部
   2   行政审批   93.30   优秀
       服务局
   3   党工委管   87.10   良好
       委会办公
       室
   3   经济发展   87.10   良好
       局
   5   崇业路街   86.88   良好
       道
   6   金城社区   84.51   一般（良     6.00
                          好→一般）
   7   招商服务   83.29   良好
       局
   8   社会事业   78.39   一般
       局
   9   龙背街道   76.95   一般         5.00
  10   规划建设   76.55   较差（一
       局                 般→较差）
  11   威楠公司   69.48   较差                约谈
  12   城改办     67.35   较差                约谈
  13   东区管委   60.96   较差        14.00   约谈
       会
"""

AT_40 = """\
渭南高新区2021年度作风建设专项考核办法 —
2021年第二季度

排名   单位        得分   等次    扣分   约谈
─────────────────────────────────────────────
   1   党群工作   94.64   优秀
       部
   2   行政审批   93.30   优秀
       服务局
   3   党工委管   87.10   良好
       委会办公
       室
   3   经济发展   87.10   良好
       局
   5   崇业路街   86.88   良好
       道
   6   金城社区   84.51   一般    6.00
                          （良
                          好→
                          一般
                          ）
   7   招商服务   83.29   良好
       局
   8   社会事业   78.39   一般
       局
   9   龙背街道   76.95   一般    5.00
  10   规划建设   76.55   较差
       局                 （一
                          般→
                          较差
                          ）
  11   威楠公司   69.48   较差           约谈
  12   城改办     67.35   较差           约谈
  13   东区管委   60.96   较差   14.00   约谈
       会
"""


def test_score_at_50_columns_keeps_the_grade_and_folds_names() -> None:
    assert piped(50) == AT_50


def test_score_at_40_columns_runs_past_the_edge_with_figures_whole() -> None:
    """Too narrow even for the folded layout (45 cells): the table keeps it and its
    lines run past the edge; 45 columns is exactly that layout."""
    assert piped(40) == AT_40
    assert piped(45) == AT_40


@pytest.mark.parametrize("columns", [30, 40, 45, 50, 55, 60, 70])
def test_score_figures_and_grades_whole_at_every_width(columns: int) -> None:
    for text in (piped(columns), piped(columns, "--lang", "en")):
        assert "…" not in text
        head = next(x for x in text.splitlines() if x.startswith(("排名", "Rank")))
        assert head.split()[:4] in (["排名", "单位", "得分", "等次"],
                                    ["Rank", "Unit", "Score", "Grade"]), head
        for u in units():
            line = next((x for x in text.splitlines()
                         if x.split()[:1] == [str(u["rank"])]
                         and f"{u['score']:.2f}" in x.split()), None)
            assert line is not None, (columns, u)
            grade = str(u["grade"])
            assert line.split()[3].startswith(grade[:2]), (columns, line)


@pytest.mark.parametrize("columns", [45, 50])
def test_score_on_a_real_terminal_keeps_figures(columns: int) -> None:
    text = ANSI.sub("", on_pty_bytes(ARGS, columns).decode()).replace("\r\n", "\n")
    assert "…" not in text
    assert [x.split() for x in text.splitlines() if x.startswith("排名")] == [
        ["排名", "单位", "得分", "等次", "扣分", "约谈"]]
    for u in units():
        assert f"{u['score']:.2f}" in text.split(), u


def explain(columns: int, unit: str) -> list[str]:
    env = {**os.environ, "COLUMNS": str(columns), "LUOSHI_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "luoshi_cli", *ARGS, "--explain", unit],
                          capture_output=True, text=True, check=True, env=env
                          ).stdout.splitlines()


EXPLAIN_40 = """\
指标                 权重   折算权重    得分    贡献   说明
─────────────────────────────────────────────────────────────────
专项任务考核           80     100.00   93.30   93.30
  作风建设提升年活     70      70.00   93.00   65.10
  动开展情况
    大培训             25      25.00   94.50   23.63   评分细项得
                                                       分之和
      黄河流域生态     /5                4.5
      保护和高质量
      发展专题培训
      班"""

DEDUCTIONS_40 = """\
二、负面清单扣分
日期         类别         分值   媒体曝光倍数   扣分   原因
─────────────────────────────────────────────────────────────────
2021-05-12   形式主义、      7             ×2     14   对辖区企业
             官僚主义                                  重复检查、
                                                       表格材料过
                                                       多，被市级
                                                       主流媒体曝
                                                       光"""


@pytest.mark.parametrize("columns", [40, 45])
def test_explain_on_a_narrow_terminal_keeps_numbers_whole(columns: int) -> None:
    """`--explain` at 40 columns split 23.63 into `23.6` and `3`, 100.00 into `100.`
    and `00`, and indented names lost their indentation on the next line."""
    lines = explain(columns, "xzspj")
    at = lines.index(next(x for x in lines if x.startswith("指标")))
    assert "\n".join(lines[at:at + 11]) == EXPLAIN_40
    lines = explain(columns, "dongqu")
    at = lines.index("二、负面清单扣分")
    assert "\n".join(lines[at:at + 9]) == DEDUCTIONS_40


def test_explain_at_80_columns_indents_folded_names() -> None:
    lines = explain(80, "xzspj")
    at = lines.index(next(x for x in lines if x.startswith("专项任务考核")))
    assert lines[at:at + 6] == [
        "专项任务考核              80     100.00   93.30   93.30",
        "  作风建设提升年活动      70      70.00   93.00   65.10",
        "  开展情况",
        "    大培训                25      25.00   94.50   23.63   评分细项得分之和",
        "      黄河流域生态保      /5                4.5",
        "      护和高质量发展"]
