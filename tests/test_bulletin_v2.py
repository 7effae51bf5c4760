"""The bulletin with tasks v2 (SPEC §11, issue 15): 完成值/目标值 beside the progress,
children right under their parent, and the 任务榜/亮点牌 section — on the hand-built
ledger of test_tasks_v2 (190 of 300 个 is 63.33%), exact text in md and html, zh and en."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run
from test_tasks_v2 import _ledger

ZH = """| 1 | P 任务P | 区发改委 | 李某某 | 60%/41.37%；完成值190个/目标值300个（63.33%） | 推进中 | 绿灯 |  |
| 2 | └ P.1 任务P.1 | 区发改委 | 李某某 | 60%/41.37%；完成值120个/目标值200个（60%） | 推进中 | 绿灯 |  |
| 3 | └ P.2 任务P.2 | 张家村街道 | 李某某 | 70%/41.37%；完成值70个/目标值100个（70%） | 推进中 | 绿灯 |  |
| 4 | Q 任务Q | 区发改委 | 李某某 | 10%/41.37%；完成值30亿元/目标值60亿元（50%） | 推进中 | 黄灯 |  |

## 三、任务清单情况

| 清单 | 任务数 | 已完成 | 完成率 | 红灯 | 黄灯 | 绿灯 | 任务 |
|---|---:|---:|---:|---:|---:|---:|---|
| 任务榜 | 2 | 0 | 0% | 0 | 0 | 2 | 任务P、任务P.1 |
| 亮点牌 | 1 | 0 | 0% | 0 | 0 | 1 | 任务P |

## 四、亮灯预警情况
"""

EN = """| 1 | P 任务P | 区发改委 | 李某某 | 60%/41.37%; 190个 of 300个 (63.33%) | in progress | green |  |
| 2 | └ P.1 任务P.1 | 区发改委 | 李某某 | 60%/41.37%; 120个 of 200个 (60%) | in progress | green |  |
| 3 | └ P.2 任务P.2 | 张家村街道 | 李某某 | 70%/41.37%; 70个 of 100个 (70%) | in progress | green |  |
| 4 | Q 任务Q | 区发改委 | 李某某 | 10%/41.37%; 30亿元 of 60亿元 (50%) | in progress | yellow |  |

## 3. Task lists

| List | Tasks | Finished | Completion | Red | Yellow | Green | Tasks on it |
|---|---:|---:|---:|---:|---:|---:|---|
| 任务榜 | 2 | 0 | 0% | 0 | 0 | 2 | 任务P, 任务P.1 |
| 亮点牌 | 1 | 0 | 0% | 0 | 0 | 1 | 任务P |

## 4. Red and yellow lights
"""


def test_bulletin_targets_children_and_tag_lists(write: Callable[..., Path],
                                                 cli: Callable[..., Run]) -> None:
    root = _ledger(write)
    zh = cli("bulletin", root, "--month", "2024-05")
    assert zh.exit_code == 0, zh.stderr
    assert ZH in zh.stdout
    en = cli("bulletin", root, "--month", "2024-05", "--lang", "en")
    assert en.exit_code == 0, en.stderr
    assert EN in en.stdout
    html = cli("bulletin", root, "--month", "2024-05", "--format", "html")
    assert html.exit_code == 0, html.stderr
    assert ('<tr><td class="c">2</td><td>└ P.1 任务P.1</td><td>区发改委</td><td>李某某</td>'
            '<td class="num">60%<br>41.37%<br>完成值120个/目标值200个（60%）</td>') in html.stdout
    assert ("<h2>三、任务清单情况</h2>" in html.stdout
            and '<tr><td>任务榜</td><td class="num">2</td><td class="num">0</td>'
                '<td class="num">0%</td><td class="num">0</td><td class="num">0</td>'
                '<td class="num">2</td><td>任务P、任务P.1</td></tr>' in html.stdout)
    enh = cli("bulletin", root, "--month", "2024-05", "--lang", "en", "--format", "html")
    assert enh.exit_code == 0, enh.stderr
    assert "<h2>3. Task lists</h2>" in enh.stdout
    assert "<br>190个 of 300个 (63.33%)</td>" in enh.stdout


WRITTEN = """- id: T-01
  title: 招商引资到位资金
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 全年到位资金0.125亿元
  milestones:
    - {due: 2024-12-31, standard: 到位0.125亿元}
  status: in_progress
  progress: 36
  target: {value: 0.125, unit: 亿元}
  updates:
    - {month: "2024-05", progress: 36, actual: 0.0456}
- id: T-02
  title: 滞后任务
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: s
  milestones:
    - {due: 2024-12-31, standard: 完成}
  status: in_progress
  progress: 31.365
  updates:
    - {month: "2024-05", progress: 31.365}
- id: T-03
  title: 小额资金
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: s
  milestones:
    - {due: 2024-12-31, standard: 完成}
  status: in_progress
  progress: 88
  target: {value: 0.004, unit: 亿元}
  updates:
    - {month: "2024-05", progress: 88, actual: 0.0035}
"""


def test_bulletin_prints_written_values_as_written(write: Callable[..., Path],
                                                   cli: Callable[..., Run]) -> None:
    """Targets, actuals and reported progress are printed as the ledger writes them
    (as `status` does); only computed rates are rounded half-up to 2 places (audit
    statroll D1: 完成值0.05亿元/目标值0.13亿元（36.48%）, whose printed values give 38.46%,
    and 进度31.37%, exactly 10 points behind 41.37%: green by the documented rule).

    By hand, as of 2024-05-31: expected = 100 × 151 / 365 = 41.3699 → 41.37;
    T-01 achieved = 100 × 0.0456 / 0.125 = 36.48; T-02 is 41.37 − 31.365 = 10.005 > 10
    points behind (yellow); T-03 achieved = 100 × 0.0035 / 0.004 = 87.5 (0.004 printed 0)."""
    root = write({
        "luoshi.yaml": "title: 测试台账\nissuer: 测试区委办公室\nyear: 2024\n"
                       "categories:\n  - {id: econ, name: 经济发展}\n",
        "units.yaml": "units:\n  - {id: fgw, name: 区发改委, kind: department}\n"
                      "leaders:\n  - {id: li, name: 李某某, title: 副区长}\n",
        "tasks/a.yaml": WRITTEN})
    status = cli("status", root, "--as-of", "2024-05-31")
    assert "0.0456/0.125亿元" in status.stdout and "实际 31.365%" in status.stdout
    zh = cli("bulletin", root, "--month", "2024-05", "-f", "md")
    assert zh.exit_code == 0, zh.stderr
    assert ("| 1 | T-01 招商引资到位资金 | 区发改委 | 李某某 | "
            "36%/41.37%；完成值0.0456亿元/目标值0.125亿元（36.48%） | 推进中 | 绿灯 |  |\n"
            "| 2 | T-02 滞后任务 | 区发改委 | 李某某 | 31.365%/41.37% | 推进中 | 黄灯 |  |\n"
            "| 3 | T-03 小额资金 | 区发改委 | 李某某 | "
            "88%/41.37%；完成值0.0035亿元/目标值0.004亿元（87.5%） | 推进中 | 绿灯 |  |\n"
            ) in zh.stdout
    assert "| 1 | T-02 滞后任务 | 区发改委 | 李某某 | 进度31.365%，落后于序时进度41.37% |" in zh.stdout
    en = cli("bulletin", root, "--month", "2024-05", "-f", "md", "--lang", "en")
    assert en.exit_code == 0, en.stderr
    assert ("| 1 | T-01 招商引资到位资金 | 区发改委 | 李某某 | "
            "36%/41.37%; 0.0456亿元 of 0.125亿元 (36.48%) | in progress | green |  |\n"
            "| 2 | T-02 滞后任务 | 区发改委 | 李某某 | 31.365%/41.37% | in progress | yellow |  |\n"
            "| 3 | T-03 小额资金 | 区发改委 | 李某某 | "
            "88%/41.37%; 0.0035亿元 of 0.004亿元 (87.5%) | in progress | green |  |\n"
            ) in en.stdout
    assert ("| 1 | T-02 滞后任务 | 区发改委 | 李某某 | "
            "progress 31.365% is behind the expected 41.37% |") in en.stdout
    html = cli("bulletin", root, "--month", "2024-05", "-f", "html")
    assert html.exit_code == 0, html.stderr
    assert ('<td class="num">36%<br>41.37%<br>完成值0.0456亿元/目标值0.125亿元（36.48%）</td>'
            in html.stdout)
    assert '<td class="num">31.365%<br>41.37%</td>' in html.stdout
    assert "<td>进度31.365%，落后于序时进度41.37%</td>" in html.stdout
    enh = cli("bulletin", root, "--month", "2024-05", "-f", "html", "--lang", "en")
    assert "<br>0.0456亿元 of 0.125亿元 (36.48%)</td>" in enh.stdout
    assert "<br>0.0035亿元 of 0.004亿元 (87.5%)</td>" in enh.stdout
    assert "<td>progress 31.365% is behind the expected 41.37%</td>" in enh.stdout
