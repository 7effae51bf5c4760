"""The bulletin's 督办情况 table judges every rectification on the as-of, the date the
rest of the document is judged at (截至…, 需落实事项, the red list), and `status`,
`supervise` and LS702 too.

It judged the period's rows at the period's end and the rows ordered after the period
on the as-of: a Q1 bulletin made with `--as-of 2024-06-15` said 整改中 of a
rectification due 31 May that its own 需落实事项 called 15 days overdue, and showed a
rectification closed on 10 April as 已逾期16天 (its state on 31 March); a Q4 bulletin
made in February said 整改中 of one 41 days overdue beside a row ordered in January
that showed its closing.  Which rows a period lists is unchanged: those open at its
end or closed in it, and those ordered after it over its ranking.

The ledger: 碑林 2024 (`luoshi init --example beilin`) with the rectifications below
(units: 区发改委 fgw, 区住房和城乡建设局 zhujianju, 区商务局 shangwuju, 区教育局 jiaoyuju)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

SUPERVISION = """\
interviews:
  - {unit: fgw, date: 2024-03-05, kind: 提醒谈话, by: 区委督查室, reason: 任务滞后, tasks: [K-01]}
  - {unit: zhujianju, date: 2025-01-10, kind: 约谈提醒, period: 2024-Q4}
rectifications:
  - {id: ZG-01, unit: fgw, tasks: [K-01], source: interview, opened: 2024-03-10, due: 2024-05-31}
  - {id: ZG-02, unit: zhujianju, tasks: [K-02], source: red_light, opened: 2024-02-01, due: 2024-03-15, report: {date: 2024-04-05}, closed: {date: 2024-04-10, approved_by: zhang-changwu, evidence: 整改报告}}
  - {id: ZG-03, unit: shangwuju, tasks: [K-03], source: red_light, opened: 2024-03-01, due: 2024-06-15}
  - {id: ZG-05, unit: jiaoyuju, source: ranking, opened: 2024-03-20, due: 2024-03-31, closed: {date: 2024-03-31, approved_by: zhang-changwu}}
  - {id: ZG-20, unit: fgw, tasks: [K-01], source: red_light, opened: 2024-12-10, due: 2024-12-31}
  - {id: ZG-21, unit: zhujianju, tasks: [K-02], source: red_light, opened: 2024-11-20, due: 2024-12-20, report: {date: 2025-01-05}, closed: {date: 2025-01-08, approved_by: zhang-changwu}}
  - {id: ZG-23, unit: zhujianju, source: interview, opened: 2025-01-11, due: 2025-01-31, closed: {date: 2025-01-30, approved_by: zhang-changwu}}
"""

HEAD = "| 序号 | 单位 | 整改事项 | 下达日期 | 整改期限 | 状态 |\n|---:|---|---|---|---|---|\n"


@pytest.fixture
def ledger(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    root = tmp_path / "beilin"
    run = cli("init", root, "--example", "beilin")
    assert run.exit_code == 0, run.stderr
    (root / "supervision").mkdir()
    (root / "supervision" / "2024.yaml").write_text(SUPERVISION, encoding="utf-8")
    return root


def _bulletin(cli: Callable[..., Run], root: Path, *args: str) -> str:
    run = cli("bulletin", root, *args)
    assert run.exit_code == 0, run.stderr
    return run.stdout


def test_a_quarter_made_after_its_end_is_judged_on_the_as_of(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """Q1 at 15 June: ZG-01 (due 31 May, open) is 15 days overdue — in the table as in
    需落实事项; ZG-02 (due 15 March, closed 10 April) closed 26 days late, not
    已逾期16天 (31 March − 15 March); ZG-03 falls due on the as-of itself: 整改中;
    ZG-05 closed in the quarter on its due date.  ZG-20/21/23 belong to Q4."""
    md = _bulletin(cli, ledger, "--quarter", "Q1", "--as-of", "2024-06-15")
    assert HEAD + (
        "| 1 | 区住房和城乡建设局 | “老旧小区改造” | 2024年2月1日 | 2024年3月15日 | 已于2024年4月10日销号（超期26天） |\n"
        "| 2 | 区教育局 | 考核排名 | 2024年3月20日 | 2024年3月31日 | 已于2024年3月31日销号 |\n"
        "| 3 | 区发改委 | “重点项目开复工” | 2024年3月10日 | 2024年5月31日 | 已逾期15天 |\n"
        "| 4 | 区商务局 | “消费提振活动” | 2024年3月1日 | 2024年6月15日 | 整改中 |\n\n") in md
    notice = _bulletin(cli, ledger, "--quarter", "Q1", "--as-of", "2024-06-15", "--unit", "fgw")
    assert "| 1 | 区发改委 | “重点项目开复工” | 2024年3月10日 | 2024年5月31日 | 已逾期15天 |\n" in notice
    assert "整改事项（“重点项目开复工”）：已逾期15天，须立即整改到位并书面报告。" in notice
    en = _bulletin(cli, ledger, "--quarter", "Q1", "--as-of", "2024-06-15", "--lang", "en")
    assert ("| 1 | 区住房和城乡建设局 | “老旧小区改造” | 1 February 2024 | 15 March 2024 | "
            "closed 10 April 2024 (26 days late) |\n") in en
    assert "| 3 | 区发改委 | “重点项目开复工” | 10 March 2024 | 31 May 2024 | 15 days overdue |\n" in en


def test_at_the_periods_end_nothing_changes(ledger: Path, cli: Callable[..., Run]) -> None:
    """At the default as-of (31 March) the rows are as they always were: ZG-02 16
    days overdue, ZG-01 and ZG-03 open."""
    md = _bulletin(cli, ledger, "--quarter", "Q1")
    assert HEAD + (
        "| 1 | 区住房和城乡建设局 | “老旧小区改造” | 2024年2月1日 | 2024年3月15日 | 已逾期16天 |\n"
        "| 2 | 区教育局 | 考核排名 | 2024年3月20日 | 2024年3月31日 | 已于2024年3月31日销号 |\n"
        "| 3 | 区发改委 | “重点项目开复工” | 2024年3月10日 | 2024年5月31日 | 整改中 |\n"
        "| 4 | 区商务局 | “消费提振活动” | 2024年3月1日 | 2024年6月15日 | 整改中 |\n\n") in md


def test_a_fourth_quarter_made_in_february_reads_one_date(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """Q4 at 10 February 2025: ZG-01 and ZG-03, still open, are 255 and 240 days
    overdue (they said 214 and 199, at 31 December); ZG-21 closed 8 January, 19 days
    after its due date (it said 已逾期11天); ZG-20 is 41 days overdue (it said 整改中);
    ZG-23, ordered in January after the talk naming 2024-Q4, closed 30 January — as it
    said already."""
    md = _bulletin(cli, ledger, "--quarter", "Q4", "--as-of", "2025-02-10")
    assert HEAD + (
        "| 1 | 区发改委 | “重点项目开复工” | 2024年3月10日 | 2024年5月31日 | 已逾期255天 |\n"
        "| 2 | 区商务局 | “消费提振活动” | 2024年3月1日 | 2024年6月15日 | 已逾期240天 |\n"
        "| 3 | 区住房和城乡建设局 | “老旧小区改造” | 2024年11月20日 | 2024年12月20日 | 已于2025年1月8日销号（超期19天） |\n"
        "| 4 | 区发改委 | “重点项目开复工” | 2024年12月10日 | 2024年12月31日 | 已逾期41天 |\n"
        "| 5 | 区住房和城乡建设局 | 约谈 | 2025年1月11日 | 2025年1月31日 | 已于2025年1月30日销号 |\n\n") in md


def test_a_task_named_twice_is_printed_once(ledger: Path, cli: Callable[..., Run]) -> None:
    """A rectification naming K-04 twice (LS708 says so) printed “一网通办事项扩容”、
    “一网通办事项扩容” as what it is about; now the title once."""
    path = ledger / "supervision" / "2024.yaml"
    path.write_text(path.read_text(encoding="utf-8") + (
        "  - {id: ZG-09, unit: xzspj, tasks: [K-04, K-04], source: inspection, "
        "opened: 2024-03-01, due: 2024-03-20, closed: {date: 2024-03-19, "
        "approved_by: zhang-changwu}}\n"), encoding="utf-8")
    md = _bulletin(cli, ledger, "--quarter", "Q1")
    assert ("| 区行政审批服务局 | “一网通办事项扩容” | 2024年3月1日 | 2024年3月20日 | "
            "已于2024年3月19日销号 |\n") in md
