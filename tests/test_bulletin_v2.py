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
