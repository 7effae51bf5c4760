"""The rectification a talk after a period orders over its ranking, in that period's
督办情况 table — in every period, not only at the year's end.

The bulletin of Q2 made in July counted 住建局's talk of 15 July naming `2024-Q2`
(针对本期考核排名，此后约谈1次…涉及区住房和城乡建设局) and left out the rectification that
talk ordered the same day: the table listed rectifications opened after a period only
when they were opened in January–March of the next year (`core.yearend.in_grace`), so
Q4's and the year's bulletins listed such a row and Q1–Q3's, the months' and the first
half's did not.  Now one rule (`core.yearend.followed_rankings`): a `source: interview`
rectification opened after the period, by the as-of, and on or after a talk of its unit
held after the period that names its ranking (the talks the follow-up sentence counts),
is the period's row, once, as it stands on the as-of.

The ledger: 碑林 2024 (`luoshi init --example beilin`; K-02 老旧小区改造 is 住建局's) with

  talks   区教育局   2024-04-15 约谈提醒 period 2024-Q1
          区商务局   2024-05-08 提醒谈话 (no period)
          区发改委   2024-07-10 提醒谈话 (no period: a red light's talk)
          住建局     2024-07-15 约谈提醒 period 2024-Q2
          区商务局   2024-07-20 约谈提醒 period 2024-Q2
  ZG-04   住建局     interview 2024-07-15  after its Q2 talk (the same day): Q2's
  ZG-05   区商务局   interview 2024-07-12  before its Q2 talk (07-20): not Q2's
  ZG-06   区发改委   interview 2024-07-10  after a talk naming no ranking: not Q2's
  ZG-07   张家村街道 ranking   2024-07-05  names no ranking (as before): not Q2's
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

Cli = Callable[..., Run]

SUPERVISION = """\
interviews:
  - {unit: jiaoyuju, date: 2024-04-15, kind: 约谈提醒, reason: 一季度考核排名靠后, period: 2024-Q1}
  - {unit: shangwuju, date: 2024-05-08, kind: 提醒谈话, reason: 消费活动宣传不到位}
  - {unit: fgw, date: 2024-07-10, kind: 提醒谈话, reason: 两项任务亮红灯}
  - {unit: zhujianju, date: 2024-07-15, kind: 约谈提醒, reason: 二季度考核排名靠后, period: 2024-Q2}
  - {unit: shangwuju, date: 2024-07-20, kind: 约谈提醒, reason: 二季度考核排名靠后, period: 2024-Q2}
rectifications:
  - {id: ZG-04, unit: zhujianju, tasks: [K-02], source: interview, opened: 2024-07-15, due: 2024-08-31, report: {date: 2024-08-25}}
  - {id: ZG-05, unit: shangwuju, source: interview, opened: 2024-07-12, due: 2024-08-31}
  - {id: ZG-06, unit: fgw, source: interview, opened: 2024-07-10, due: 2024-08-31}
  - {id: ZG-07, unit: zhangjiacun, source: ranking, opened: 2024-07-05, due: 2024-08-31}
"""

ZG04_ZH = "| 1 | 区住房和城乡建设局 | “老旧小区改造” | 2024年7月15日 | 2024年8月31日 | 整改中 |"


@pytest.fixture
def ledger(tmp_path: Path, cli: Cli) -> Path:
    root = tmp_path / "beilin"
    run = cli("init", root, "--example", "beilin")
    assert run.exit_code == 0, run.stderr
    (root / "supervision").mkdir()
    (root / "supervision" / "2024.yaml").write_text(SUPERVISION, encoding="utf-8")
    return root


def _part(bulletin: str) -> str:
    part = bulletin[bulletin.index("督办情况" if "督办情况" in bulletin else "Supervision"):]
    return part[:part.index("\n## ")] if "\n## " in part else part


def _rows(bulletin: str) -> list[str]:
    """The rows of the bulletin's 督办情况 table of rectifications."""
    return [x for x in _part(bulletin).splitlines() if x.startswith("| ") and x[2].isdigit()]


def _bulletin(cli: Cli, root: Path, *args: str) -> str:
    run = cli("bulletin", root, *args)
    assert run.exit_code == 0, run.stderr
    return run.stdout


def test_a_quarter_lists_the_rectification_its_talk_ordered(ledger: Path, cli: Cli) -> None:
    """Q2 at 31 July: two talks after Q2 naming it (住建局 07-15, 区商务局 07-20), and
    the table lists ZG-04, the rectification 住建局's talk ordered that day, as it
    stands on the as-of — and not ZG-05 (opened before 区商务局's talk), ZG-06 (after
    a talk naming no ranking), ZG-07 (`source: ranking` names no ranking)."""
    zh = _bulletin(cli, ledger, "--quarter", "Q2", "--as-of", "2024-07-31")
    assert ("针对本期考核排名，此后约谈2次（约谈提醒2次），涉及区住房和城乡建设局、区商务局。\n"
            in _part(zh))
    assert _rows(zh) == [ZG04_ZH]
    en = _bulletin(cli, ledger, "--quarter", "Q2", "--as-of", "2024-07-31", "--lang", "en")
    assert _rows(en) == [
        "| 1 | 区住房和城乡建设局 | “老旧小区改造” | 15 July 2024 | 31 August 2024 | open |"]


def test_the_row_is_judged_on_the_as_of(ledger: Path, cli: Cli) -> None:
    """Q2 at 30 September: ZG-04 is 30 days past its deadline on that day (the written
    report of 25 August closes nothing), as every row of the table is judged."""
    zh = _bulletin(cli, ledger, "--quarter", "Q2", "--as-of", "2024-09-30")
    assert _rows(zh) == [
        "| 1 | 区住房和城乡建设局 | “老旧小区改造” | 2024年7月15日 | 2024年8月31日 | 已逾期30天 |"]


@pytest.mark.parametrize("as_of", ["2024-06-30", "2024-07-14"])
def test_not_before_it_is_opened(ledger: Path, cli: Cli, as_of: str) -> None:
    """At Q2's end (the default as-of) and on 14 July no talk after Q2 has ordered
    anything yet: the table lists none of them."""
    zh = _bulletin(cli, ledger, "--quarter", "Q2", "--as-of", as_of)
    assert not any("区住房和城乡建设局" in row for row in _rows(zh))


def test_listed_once_where_it_is_open_at_the_end(ledger: Path, cli: Cli) -> None:
    """Q3 and the year list ZG-04 because it is open at their end (opened in them):
    once each, with the others opened in July; Q1 does not (区教育局's Q1 talk
    ordered nothing of 住建局's)."""
    q3 = _rows(_bulletin(cli, ledger, "--quarter", "Q3", "--as-of", "2024-09-30"))
    assert [row.split(" | ")[1] for row in q3] == [
        "区住房和城乡建设局", "区商务局", "区发改委", "张家村街道"]
    year = _rows(_bulletin(cli, ledger, "--annual", "--as-of", "2024-12-31"))
    assert sum("区住房和城乡建设局" in row for row in year) == 1
    q1 = _rows(_bulletin(cli, ledger, "--quarter", "Q1", "--as-of", "2024-07-31"))
    assert not any("区住房和城乡建设局" in row for row in q1)


def test_a_month_of_a_scheme_that_ranks_months(tmp_path: Path, cli: Cli) -> None:
    """清新 (monthly and quarterly components: it ranks months): 太平镇's talk of
    5 December over November's ranking, and the rectification it ordered on
    6 December, are November's bulletin's at 31 December; 三坑镇's of 2 December,
    opened after a red light's talk and before its talk of 8 December, is not.  The follow-up sentence and the
    table agree."""
    root = tmp_path / "qx"
    shutil.copytree(Path(__file__).parent / "fixtures" / "scoring" / "qingxin-monthly", root)
    (root / "supervision").mkdir()
    (root / "supervision" / "2022.yaml").write_text("""\
interviews:
  - {unit: sankeng, date: 2022-12-01, kind: 提醒谈话, reason: 两项任务亮红灯}
  - {unit: taiping, date: 2022-12-05, kind: 约谈提醒, reason: 11月排名靠后, period: "2022-11"}
  - {unit: sankeng, date: 2022-12-08, kind: 约谈提醒, reason: 11月排名靠后, period: "2022-11"}
rectifications:
  - {id: ZG-1, unit: taiping, source: interview, opened: 2022-12-06, due: 2022-12-20, closed: {date: 2022-12-18, approved_by: qld-1}}
  - {id: ZG-2, unit: sankeng, source: interview, opened: 2022-12-02, due: 2022-12-20, closed: {date: 2022-12-19, approved_by: qld-1}}
""", encoding="utf-8")
    run = cli("validate", root, "--as-of", "2022-12-31")
    assert " LS7" not in run.stdout, run.stdout
    zh = _bulletin(cli, root, "--month", "2022-11", "--as-of", "2022-12-31")
    assert "针对本期考核排名，此后约谈2次（约谈提醒2次），涉及太平镇、三坑镇。" in _part(zh)
    assert _rows(zh) == [
        "| 1 | 太平镇 | 约谈 | 2022年12月6日 | 2022年12月20日 | 已于2022年12月18日销号 |"]
