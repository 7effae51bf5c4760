"""Sections whose data the ledger lacks are left out (SPEC §7), and rates that are
undefined print as "—" without a percent sign."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import EXAMPLE, Run


def test_no_tasks_no_progress_sections(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    shutil.rmtree(root / "tasks")
    run = cli("bulletin", root, "--quarter", "Q2")
    assert run.exit_code == 0, run.stderr
    assert "总体情况" not in run.stdout and "亮灯预警" not in run.stdout
    assert "## 一、考核排名情况" in run.stdout
    assert "—%" not in run.stdout
    # one blank line before it, as before any section (there were two)
    assert "情况通报如下。\n\n## 一、考核排名情况\n" in run.stdout


def test_a_unit_without_tasks_is_told_it_has_none(cli: Callable[..., Run]) -> None:
    """A unit's notice of 社会事业局, which leads and shares no task of the 渭南 ledger:
    its 总体情况 says 0 tasks (it was left out, the notice starting at 考核排名情况 after
    two blank lines), and nothing else of the progress sections — in every format."""
    args = ("bulletin", EXAMPLE, "--quarter", "Q2", "--unit", "shehuiju")
    md = cli(*args)
    assert md.exit_code == 0, md.stderr
    assert ("现将2021年第二季度重点任务推进和考核情况通报如下。\n\n## 一、总体情况\n\n"
            "截至2021年6月30日，本单位牵头或参与的任务0项。\n\n## 二、考核排名情况\n") in md.stdout
    assert "分类推进情况" not in md.stdout and "亮灯预警" not in md.stdout
    en = cli(*args, "--lang", "en")
    assert ("## 1. Overview\n\nAs of 30 June 2021 the unit leads or shares 0 tasks.\n\n"
            "## 2. Assessment and ranking\n") in en.stdout
    html = cli(*args, "--format", "html")
    assert ("<h2>一、总体情况</h2>\n<p>截至2021年6月30日，本单位牵头或参与的任务0项。</p>"
            in html.stdout)
    html_en = cli(*args, "--format", "html", "--lang", "en")
    assert ("<h2>1. Overview</h2>\n<p>As of 30 June 2021 the unit leads or shares 0 tasks.</p>"
            in html_en.stdout)


def test_a_ledger_of_neither_tasks_nor_scheme_says_0_tasks(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    """No tasks/ and no scheme (valid with LS020, SPEC §3): the bulletin says the ledger
    lists 0 tasks, rather than being a title and a signature."""
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    shutil.rmtree(root / "tasks")
    (root / "scheme.yaml").unlink()
    shutil.rmtree(root / "records")
    run = cli("bulletin", root, "--quarter", "Q2")
    assert run.exit_code == 0, run.stderr
    assert ("现将2021年第二季度重点任务推进情况通报如下。\n\n## 一、总体情况\n\n"
            "截至2021年6月30日，台账共列任务0项。\n") in run.stdout


def test_undefined_on_time_rate_is_left_out(write: Callable[..., Path],
                                            cli: Callable[..., Run]) -> None:
    root = write({
        "luoshi.yaml": "title: 台账\nyear: 2024\ncategories:\n  - {id: c, name: 类}\n",
        "units.yaml": "units:\n  - {id: a, name: 甲}\nleaders:\n  - {id: l, name: 李}\n",
        "tasks/t.yaml": "- {id: T-1, title: 任务, category: c, lead: a, leaders: [l], "
                        "start: 2024-01-01, standard: s, milestones: [{due: 2024-02-02, "
                        "standard: m}], status: in_progress, progress: 10}\n",
    })
    run = cli("bulletin", root, "--month", "2024-01", "--as-of", "2024-01-02")
    assert run.exit_code == 0, run.stderr
    assert "台账共列任务1项，其中推进中1项。任务完成率0%。亮红灯0项" in run.stdout
    assert "按期完成率" in run.stdout  # the column header stays; its cell says —
    assert "—%" not in run.stdout
