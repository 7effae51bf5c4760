"""The reporting rhythm of SPEC §11 (`reporting: {cadence, day}`): which report is
due by an as-of date, across month ends and the 2024 leap day, and LS601 following it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import Run
from luoshi_cli.core.model import Reporting
from luoshi_cli.core.rhythm import expected_month, expected_period

DEKAD = Reporting("dekad")
WEEKLY = Reporting("weekly", 1)
FRIDAY = Reporting("weekly", 5)
BY_10TH = Reporting("monthly", 10)


@pytest.mark.parametrize("as_of,rhythm,period", [
    # monthly by the 5th (the v1 default): late from the 6th
    ("2024-05-05", Reporting(), "2024-03-31"),
    ("2024-05-06", Reporting(), "2024-04-30"),
    # monthly by the 10th (碑林: reports to the 组长 by the 10th)
    ("2024-03-10", BY_10TH, "2024-01-31"),
    ("2024-03-11", BY_10TH, "2024-02-29"),
    # 旬: the 旬 ending on the leap day is due on 1 March, late from 2 March
    ("2024-03-01", DEKAD, "2024-02-20"),
    ("2024-03-02", DEKAD, "2024-02-29"),
    ("2024-03-11", DEKAD, "2024-02-29"),
    ("2024-03-12", DEKAD, "2024-03-10"),
    ("2024-03-22", DEKAD, "2024-03-20"),
    ("2024-05-01", DEKAD, "2024-04-20"),
    ("2024-05-02", DEKAD, "2024-04-30"),
    # weekly, due on Monday: the week of 26 Feb – 3 Mar 2024 straddles the leap day
    ("2024-03-04", WEEKLY, "2024-02-25"),
    ("2024-03-05", WEEKLY, "2024-03-03"),
    ("2024-03-01", WEEKLY, "2024-02-25"),
    # weekly, due on Friday
    ("2024-03-08", FRIDAY, "2024-02-25"),
    ("2024-03-09", FRIDAY, "2024-03-03"),
])
def test_period_due(as_of: str, rhythm: Reporting, period: str) -> None:
    assert expected_period(date.fromisoformat(as_of), 2024, rhythm) == date.fromisoformat(period)
    assert expected_month(date.fromisoformat(as_of), 2024, rhythm) == period[:7]


def test_outside_the_year_no_rhythm() -> None:
    assert expected_period(date(2025, 2, 1), 2024, DEKAD) is None
    assert expected_period(date(2025, 1, 3), 2024, DEKAD) == date(2024, 12, 31)


TASK = """- id: T-001
  title: 任务
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {due: 2024-12-31, standard: 完成}
  status: in_progress
  progress: 20
  updates:
    - {month: "2024-02", progress: 20}
"""


def _ledger(write: Callable[..., Path], reporting: str) -> Path:
    return write({
        "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n" + reporting,
        "units.yaml": "units:\n  - {id: fgw, name: 发改委}\nleaders:\n  - {id: li, name: 李}\n",
        "tasks/a.yaml": TASK})


def test_ls601_follows_dekad(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    root = _ledger(write, "reporting: {cadence: dekad}\n")
    # the last 旬 of February is due on 1 March: a February update is enough
    assert cli("validate", root, "--as-of", "2024-03-11", "--lang", "en").stdout == ""
    run = cli("validate", root, "--as-of", "2024-03-12", "--lang", "en")
    assert run.stdout == (
        "tasks/a.yaml:12:3: warning LS601 task T-001: the latest monthly update is 2024-02; "
        "by 2024-03-12 the 2024-03 report was due: remind 发改委 to report\n")
    # monthly (v1): March's report is not due before 6 April
    assert cli("validate", _ledger(write, ""), "--as-of", "2024-04-05",
               "--lang", "en").stdout == ""


@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "tasks/a.yaml:1:7: warning LS601 任务 T-001：尚未报送过月度进展，2024-04-10 时应已报送 "
           "2024-03 的进展：请督促 发改委 报送\n"),
    ("en", "tasks/a.yaml:1:7: warning LS601 task T-001: has not reported a monthly update "
           "yet; by 2024-04-10 the 2024-03 report was due: remind 发改委 to report\n"),
])
def test_ls601_says_a_task_that_never_reported_has_not_reported(
        write: Callable[..., Path], cli: Callable[..., Run], lang: str, text: str) -> None:
    """No update at all: not "the latest monthly update is —", which a clerk reads
    as a month someone forgot to fill in."""
    root = _ledger(write, "")
    (root / "tasks" / "a.yaml").write_text(
        TASK.replace('  updates:\n    - {month: "2024-02", progress: 20}\n', ""),
        encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-04-10", "--lang", lang)
    assert run.stdout == text


@pytest.mark.parametrize(("day", "zh", "en"), [
    (1, "未按周报送进展（每周一前报上周）", "Progress reports missing (due by Monday for the week before)"),
    (5, "未按周报送进展（每周五前报上周）", "Progress reports missing (due by Friday for the week before)"),
])
def test_weekly_list_title_says_the_same_in_both_languages(
        write: Callable[..., Path], cli: Callable[..., Run], day: int, zh: str, en: str) -> None:
    """The Chinese said 每周一前报上周 and the English "due on weekday 1"."""
    root = _ledger(write, f"reporting: {{cadence: weekly, day: {day}}}\n")
    run = cli("status", root, "--as-of", "2024-03-20")
    assert run.exit_code == 0 and zh in run.stdout
    run = cli("status", root, "--as-of", "2024-03-20", "--lang", "en")
    assert run.exit_code == 0 and en in " ".join(run.stdout.split())  # a title may wrap


# A 2024 ledger in January 2025 (audit statroll D2).  The weekly report is due on Monday
# (day 1) or Friday (day 5) of the next week and late from the day after; 2024-12-31 is a
# Tuesday, so the week 30 Dec 2024 – 5 Jan 2025 ends in January 2025 and its report, an
# update of 2025-01, cannot be in a 2024 ledger (LS208).  The latest period of the year is
# the week 23–29 Dec (due Mon 30 Dec / Fri 3 Jan, late before any of these dates).  The 旬
# 1–10 Jan is due on 11 Jan, late from the 12th; the year's last 旬 ends on 31 December.
@pytest.mark.parametrize("as_of,rhythm,period", [
    ("2025-01-01", WEEKLY, "2024-12-29"),   # was right: the week ending 29 Dec
    ("2025-01-06", WEEKLY, "2024-12-29"),   # the January week is due today, not late
    ("2025-01-07", WEEKLY, "2024-12-29"),   # was 2025-01-05 (the January week)
    ("2025-01-20", WEEKLY, "2024-12-29"),   # was 2025-01-12
    ("2025-01-31", WEEKLY, "2024-12-29"),   # was 2025-01-26
    ("2025-01-10", FRIDAY, "2024-12-29"),
    ("2025-01-11", FRIDAY, "2024-12-29"),   # was 2025-01-05
    ("2025-01-11", DEKAD, "2024-12-31"),    # was right: 旬 21–31 Dec
    ("2025-01-12", DEKAD, "2024-12-31"),    # was 2025-01-10
    ("2025-01-22", DEKAD, "2024-12-31"),    # was 2025-01-20
    ("2025-01-31", DEKAD, "2024-12-31"),    # was 2025-01-20
    ("2025-01-07", Reporting(), "2024-12-31"),  # monthly: December's, as before
])
def test_january_owes_at_most_december(as_of: str, rhythm: Reporting, period: str) -> None:
    """No report of a month outside the ledger's year is owed: at most December's."""
    assert expected_period(date.fromisoformat(as_of), 2024, rhythm) == date.fromisoformat(period)
    assert expected_month(date.fromisoformat(as_of), 2024, rhythm) == "2024-12"


DECEMBER = TASK.replace("""  progress: 20
  updates:
    - {month: "2024-02", progress: 20}
""", """  progress: 90
  updates:
    - {month: "2024-11", progress: 80}
    - {month: "2024-12", progress: 90}
""")


@pytest.mark.parametrize(("reporting", "as_of"), [
    ("reporting: {cadence: weekly}\n", "2025-01-07"),
    ("reporting: {cadence: weekly}\n", "2025-01-31"),
    ("reporting: {cadence: weekly, day: 5}\n", "2025-01-11"),
    ("reporting: {cadence: dekad}\n", "2025-01-12"),
    ("reporting: {cadence: dekad}\n", "2025-01-25"),
])
def test_january_does_not_ask_for_next_years_month(
        write: Callable[..., Path], cli: Callable[..., Run], reporting: str, as_of: str) -> None:
    """A task that reported December owes nothing in January (status, LS601, the December
    bulletin, the Parquet task_status); one whose December report is missing owes
    2024-12 — it was told 2025-01, which writing is LS208."""
    import pyarrow.parquet as pq
    root = _ledger(write, reporting)
    (root / "tasks" / "a.yaml").write_text(DECEMBER, encoding="utf-8")
    doc = json.loads(cli("status", root, "--as-of", as_of, "-f", "json").stdout)
    assert doc["tasks"][0]["stale"] is None
    assert cli("validate", root, "--as-of", as_of, "--lang", "en").stdout == ""
    md = cli("bulletin", root, "--month", "2024-12", "--as-of", as_of, "-f", "md").stdout
    assert "未按时报送进展" not in md and "应报月份" not in md
    out = root.parent / "pq"
    assert cli("export", root, "-f", "parquet", "-o", out, "--as-of", as_of).exit_code == 0
    assert pq.read_table(out / "task_status.parquet").column("stale_month").to_pylist() == [None]

    (root / "tasks" / "a.yaml").write_text(
        DECEMBER.replace('    - {month: "2024-12", progress: 90}\n', "")
        .replace("progress: 90", "progress: 80"), encoding="utf-8")
    doc = json.loads(cli("status", root, "--as-of", as_of, "-f", "json").stdout)
    assert doc["tasks"][0]["stale"] == "2024-12"
    assert cli("validate", root, "--as-of", as_of, "--lang", "en").stdout == (
        "tasks/a.yaml:12:3: warning LS601 task T-001: the latest monthly update is 2024-11; "
        f"by {as_of} the 2024-12 report was due: remind 发改委 to report\n")
    assert cli("validate", root, "--as-of", as_of).stdout.startswith(
        "tasks/a.yaml:12:3: warning LS601 任务 T-001：最近一次月度进展是 2024-11，"
        f"{as_of} 时应已报送 2024-12 的进展：请督促 发改委 报送\n")
    md = cli("bulletin", root, "--month", "2024-12", "--as-of", as_of, "-f", "md").stdout
    assert ("### （三）未按时报送进展的任务\n\n| 序号 | 任务 | 牵头单位 | 应报月份 | 最近报送 |\n"
            "|---:|---|---|---|---|\n| 1 | T-001 任务 | 发改委 | 2024年12月 | 2024年11月 |\n") in md
    shutil.rmtree(out)
    assert cli("export", root, "-f", "parquet", "-o", out, "--as-of", as_of).exit_code == 0
    assert pq.read_table(out / "task_status.parquet").column("stale_month").to_pylist() == [
        "2024-12"]
