"""The hand-written SVG charts: exact geometry, escaped text, byte-stable."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from conftest import REPO
from luoshi_cli.report.charts import ProgressBar, ScoreBar, fit, progress_chart, ranking_chart

KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"  # two ranking groups


def test_fit_shortens_long_labels_by_width() -> None:
    assert fit("重点项目建设", 168) == "重点项目建设"          # 6 × 12 px
    assert fit("党建“留心护根”工程与作风建设提升年活动", 96) == "党建“留心护根…"  # 7 em + …
    assert fit("abcdefghijklmnopqrstuvwxyz", 60) == "abcdef…"


def test_progress_chart_geometry() -> None:
    svg = progress_chart(
        [ProgressBar("重点项目建设", Decimal("60.666"), Decimal("49.415"), "60.7%"),
         ProgressBar("未开展", None, None, "—")],
        title="图", legend_progress="平均进度", legend_expected="序时进度")
    lines = svg.splitlines()
    assert lines[0] == ('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
                        'viewBox="0 0 680 100" width="680" height="100" font-size="12">')
    # 100 % is 400 px from x=180: 60.666 % → 242.7 px; the expected tick at 49.415 % → 377.7
    assert '<rect x="180" y="33" width="242.7" height="14" fill="#2f6fb3"/>' in lines
    assert ('<line x1="377.7" y1="30" x2="377.7" y2="50" stroke="#222222" stroke-width="2"/>'
            in lines)
    assert '<rect x="180" y="57" width="0.0" height="14" fill="#2f6fb3"/>' in lines
    assert lines[-1] == "</svg>"


def test_ranking_chart_escapes_names_and_marks_interviews() -> None:
    bars = [ScoreBar("党群工作部", Decimal("94.64"), "94.64", "优秀", 0, False),
            ScoreBar("<b>&东区", Decimal("60.96"), "60.96", "较差", 3, True)]
    svg = ranking_chart(bars, title="排名", grades=["优秀", "良好", "一般", "较差"],
                        interview_label="约谈")
    assert "<b>" not in svg and "&lt;b&gt;&amp;东区" in svg
    assert '<rect x="180" y="57" width="243.8" height="14" fill="#c62828"/>' in svg
    assert ('60.96 较差 <tspan fill="#c62828" font-weight="bold">约谈</tspan></text>' in svg)
    assert ranking_chart(bars, title="排名", grades=["优秀", "良好", "一般", "较差"],
                         interview_label="约谈") == svg


def test_the_ranking_chart_follows_the_groups_as_the_tables_do(cli: Any) -> None:
    """碑林 (kaohe) Q1 ranks 区级部门 and 街道 apart.  The chart sorted the bars by the
    rank within the group alone, mixing the groups (南院门街道 1, 区行政审批服务局 1,
    柏树林街道 2, 区商务局 2, …); it now reads as the ranking tables print: 区级部门
    (行政审批 1, 商务局 2, 住建局 3, 发改委 4, 教育局 5), then 街道 (南院门 1, 柏树林 2,
    长乐坊 3, 张家村 4)."""
    r = cli("bulletin", KAOHE, "--quarter", "Q1", "--format", "html")
    assert r.exit_code == 0, r.stderr
    start = r.stdout.index("考核得分排名")
    svg = r.stdout[start:r.stdout.index("</svg>", start)]
    bars = re.findall(r'text-anchor="end">([^<]*)</text>', svg)
    assert bars == ["区行政审批服务局", "区商务局", "区住房和城乡建设局", "区发改委", "区教育局",
                    "南院门街道", "柏树林街道", "长乐坊街道", "张家村街道"]
    tables = r.stdout[r.stdout.index("考核排名情况"):]
    rows = re.findall(r'<tr[^>]*><td class="c">\d+</td><td>([^<]*)</td>',
                      tables[:tables.index("等次情况")])
    assert rows == bars
