"""An interview's `period:` — the ranking the talk follows (a luoshi extension of SPEC
§12, which links no talk to a ranking).  Seed 001 (葫芦岛) calls the bottom three of the
year's ranking to 约谈; seed 000 (碑林): 及时约谈提醒排名靠后的单位.  The talks after the
fourth quarter's and the year's rankings are held in January–February and recorded in
the ranked year's ledger: without the link they were LS706 (failing `validate --strict`),
and 应约谈 took any talk after the period's end, about anything, for the ranking's.

The ledger of tests/test_interviews_due.py: 甲县 a, 乙局 b, 丙局 c scored 95 / 92 / 91
in every quarter of 2021, `interview_bottom: 1` (丙局 marked by rank in every ranking),
the rule `late` (a rectification closed late, ZG-1 closed 2021-05-20 after its 05-15
deadline) marking 甲县 in Q2 and in the year.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from conftest import Run, edit
from luoshi_cli.ops.interviews import interviews_due
from test_interviews_due import ledger
from test_late_milestones import load

Writer = Callable[..., Path]
Cli = Callable[..., Run]

ZG_1 = ("rectifications:\n  - {id: ZG-1, unit: a, opened: 2021-04-01, due: 2021-05-15, "
        "closed: {date: 2021-05-20, approved_by: wang}}\n")


def _talks(*lines: str) -> str:
    return "interviews:\n" + "".join(f"  - {{{x}}}\n" for x in lines) + ZG_1


def _due(write: Writer, *talks: str, day: date = date(2022, 1, 31)
         ) -> list[tuple[str, str, int, bool, bool]]:
    due = interviews_due(load(ledger(write, supervision=_talks(*talks))), day)
    assert due is not None and due.periods == ("2021-Q4", "2021")
    return [(d.unit, d.period, d.rank, d.by_rank, d.by_rule) for d in due.due]


def test_a_talk_follows_the_ranking_it_names_only(write: Writer) -> None:
    """On 2022-01-31 the rankings read are Q4 (ended 2021-12-31) and the year.  Q4
    marks 丙局 (91, last) only: ZG-1 was closed late in Q2, not Q4.  The year marks 甲县
    (rank 1, by the rule: ZG-1 closed late in 2021) and 丙局 (rank 3).

    - No talk: 丙局 for Q4, 甲县 and 丙局 for the year.
    - 丙局 on 01-10 with `period: 2021-Q4`, 甲县 on 01-20 with `period: 2021`: Q4's talk
      clears 丙局 for Q4 only → 丙局 is still owed the year's talk; 甲县 is cleared.
    - The same talks without `period:`: any talk after 12-31 clears both rankings
      (today's reading kept) → nobody.
    - 丙局 on 01-10 with `period: 2021-Q3` (Q3's talk, held late): it follows Q3's
      ranking, not Q4's nor the year's → 丙局 owed both, as with no talk (the old
      reading took it for both)."""
    assert _due(write, "unit: b, date: 2021-04-15") == [
        ("c", "2021-Q4", 3, True, False), ("a", "2021", 1, False, True),
        ("c", "2021", 3, True, False)]
    assert _due(write, "unit: c, date: 2022-01-10, period: 2021-Q4",
                "unit: a, date: 2022-01-20, period: 2021") == [("c", "2021", 3, True, False)]
    assert _due(write, "unit: c, date: 2022-01-10", "unit: a, date: 2022-01-20") == []
    assert _due(write, "unit: c, date: 2022-01-10, period: 2021-Q3",
                "unit: a, date: 2022-01-20, period: 2021") == [
        ("c", "2021-Q4", 3, True, False), ("c", "2021", 3, True, False)]


def test_a_talk_with_its_period_counts_only_after_that_period(write: Writer) -> None:
    """A talk naming the year's ranking but dated 2021-12-31 (the year's last day: the
    ranking is not made yet — LS712) does not clear 丙局 for the year; one dated after
    the as-of (2022-02-05, judged on 01-31) had not happened.  A written year read as a
    YAML number (`period: 2021`) and one quoted (`"2021"`) are the same period."""
    assert ("c", "2021", 3, True, False) in _due(
        write, "unit: c, date: 2021-12-31, period: 2021")
    assert ("c", "2021", 3, True, False) in _due(
        write, "unit: c, date: 2022-02-05, period: 2021")
    assert ("c", "2021", 3, True, False) not in _due(
        write, 'unit: c, date: 2022-01-05, period: "2021"')


def test_the_years_talk_in_january_clears_the_unit(example: Path, cli: Cli) -> None:
    """葫芦岛's way on the 渭南 example (tests/test_interviews_due.py: the quarters call
    nobody, the year calls 东区管委会 11th, 威楠公司 12th and 城改办 13th).  威楠公司 talked
    to on 2022-01-15 with `period: 2021`, 东区管委会 on 2022-01-20 with `period: 2021-Q4`
    (a ranking that called nobody: it clears nothing).  `status --as-of 2022-01-31`:
    the year's list is 东区管委会 and 城改办, 31 days after 12-31.  `validate --strict`
    at that as-of passes (its units' missing December reports, LS601, set aside):
    neither January talk is LS706 (before `period:`, both were, and the run failed)."""
    edit(example / "scheme.yaml", "interview_bottom: 3\n",
         "interview_bottom: 3\nquarter_interview_bottom: 0\n")
    (example / "supervision").mkdir()
    (example / "supervision" / "2021.yaml").write_text(
        "interviews:\n"
        "  - {unit: weinangs, date: 2022-01-15, kind: 约谈提醒, period: 2021}\n"
        "  - {unit: dongqu, date: 2022-01-20, kind: 约谈提醒, period: 2021-Q4}\n"
        "rectifications: []\n", encoding="utf-8")
    doc = json.loads(cli("status", example, "--as-of", "2022-01-31", "-f", "json").stdout)
    due = doc["supervision"]["to_interview"]
    assert due["periods"] == ["2021-Q4", "2021"]
    assert [(u["unit"], u["period"], u["rank"], u["since"], u["days"]) for u in due["units"]
            ] == [("dongqu", "2021", 11, "2021-12-31", 31),
                  ("chenggaiban", "2021", 13, "2021-12-31", 31)]
    run = cli("validate", example, "--as-of", "2022-01-31", "--strict", "--ignore", "LS601")
    assert (run.exit_code, run.stdout) == (0, "")


def test_the_findings_in_english(write: Writer, cli: Cli) -> None:
    """validate --lang en (the Chinese words: tests/cases/invalid/interview-periods):
    line 2 a talk of 2022-01-10 for Q4 — no finding; line 3 April 2022 for the year —
    LS706 (three months after the year: not that ranking's talk); line 4 another
    year's ranking — LS711 at `period`; line 5 a talk on 2021-09-30 for Q3, its last
    day — LS712 at `date`; line 6 `2021-Q0` — LS401 at `period`."""
    root = ledger(write, supervision=_talks(
        "unit: c, date: 2022-01-10, period: 2021-Q4",
        "unit: c, date: 2022-04-01, period: 2021",
        "unit: a, date: 2021-02-01, period: 2020",
        "unit: b, date: 2021-09-30, period: 2021-Q3",
        "unit: b, date: 2021-10-08, period: 2021-Q0"))
    run = cli("validate", root, "--as-of", "2022-04-30", "--lang", "en")
    lines = [x for x in run.stdout.splitlines() if x.startswith("supervision/")]
    assert lines == [
        "supervision/2021.yaml:3:21: warning LS706 interview (丙局): the date 2022-04-01 "
        "is outside the ledger year 2021: correct the date, or record it in that year's "
        "ledger",
        "supervision/2021.yaml:4:41: warning LS711 interview (甲县) follows the ranking of "
        "2020, outside the ledger year 2021: an interview is recorded in its ranking's "
        "ledger; correct period, or record it in the 2020 ledger",
        "supervision/2021.yaml:5:21: warning LS712 interview (乙局) is dated 2021-09-30, "
        "not after 2021-09-30, the last day of the ranked period 2021-Q3: a ranking is "
        "made after its period ends, and its interview after that; check the date and "
        "period",
        "supervision/2021.yaml:6:41: error LS401 period 2021-Q0 is not valid: write a "
        "quarter as 2021-Q2, a year as 2021 and a month as \"2024-05\""]


def test_the_export_carries_the_period(write: Writer, cli: Cli,
                                       tmp_path: Path) -> None:
    """Parquet `interviews.period` (schema 7): the period as written, a YAML number as
    text, null without one."""
    root = ledger(write, supervision=_talks(
        "unit: c, date: 2022-01-10, period: 2021-Q4", "unit: a, date: 2022-01-20, period: 2021",
        "unit: b, date: 2021-04-15"))
    out = tmp_path / "x"
    assert cli("export", root, "--format", "parquet", "-o", out, "--as-of",
               "2022-01-31").exit_code == 0
    rows = pq.read_table(out / "interviews.parquet").to_pylist()
    assert [(r["seq"], r["unit_id"], r["period"]) for r in rows] == [
        (1, "c", "2021-Q4"), (2, "a", "2021"), (3, "b", None)]
    [head] = pq.read_table(out / "ledger.parquet").to_pylist()
    assert head["schema_version"] == 7


def test_the_editor_schema_knows_the_period(cli: Cli) -> None:
    """`luoshi schema --kind supervision`: an interview's `period` takes the forms a
    record's does, with words saying it is the ranking the talk follows."""
    doc = json.loads(cli("schema", "--kind", "supervision", "--lang", "en").stdout)
    prop = doc["definitions"]["interview"]["properties"]["period"]
    assert prop["description"] == ("the ranking the talk follows: YYYY-Qn (quarter), "
                                   "YYYY-MM (month) or YYYY (year)")
    assert prop["oneOf"][0]["pattern"] == r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"


def test_two_rankings_talks_on_one_day_are_not_a_repeat(write: Writer, cli: Cli) -> None:
    """丙局 was last in Q4 and in the year: on 2022-01-10 the office holds both
    rankings' talks (one entry each, `period: 2021-Q4` and `period: 2021`).  They are
    two talks, not LS709's one talk written twice; the same entry written twice is
    (line 4).  Both clear 丙局; 甲县, marked in the year by its rule, is still owed."""
    root = ledger(write, supervision=_talks(
        "unit: c, date: 2022-01-10, kind: 约谈提醒, period: 2021-Q4",
        "unit: c, date: 2022-01-10, kind: 约谈提醒, period: 2021",
        "unit: c, date: 2022-01-10, kind: 约谈提醒, period: 2021"))
    run = cli("validate", root, "--as-of", "2022-01-31", "--lang", "en")
    lines = [x[:48] for x in run.stdout.splitlines() if x.startswith("supervision/")]
    assert lines == ["supervision/2021.yaml:4:21: warning LS709 interv"]
    due = interviews_due(load(root), date(2022, 1, 31))
    assert due is not None  # 丙局 cleared for both; 甲县 still owes the year's (its rule)
    assert [(d.unit, d.period) for d in due.due] == [("a", "2021")]
