"""The hand-written SVG charts: exact geometry, escaped text, byte-stable."""

from __future__ import annotations

from decimal import Decimal

from luoshi_cli.report.charts import ProgressBar, ScoreBar, fit, progress_chart, ranking_chart


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
