"""English mode says counts and terms as English does (audit of `--lang en`).

Counts agree with their nouns ("1 task", "1 unit was assessed", "1 workbook that
differs"; never "1 tasks" or "problem(s)"); one term for a missing progress report
(未按时报送进展: "Progress reports missing", "Latest report") in status, bulletin and
supervision notice; periods as "Q2 2024"; the notice's own dates in one style and its
reasons joined by "; "; a veto rule named by its kind not said twice, nor in brackets
in brackets (in Chinese too).  Exact text, on a ledger of one unit and one task."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run

Writer = Callable[..., Path]

LEDGER = {
    "luoshi.yaml": """title: Key tasks 2024
issuer: Test office
year: 2024
language: en
categories:
  - {id: c1, name: Key tasks}
""",
    "units.yaml": """units:
  - {id: ua, name: Unit A}
leaders:
  - {id: ld, name: Wang}
""",
    # yellow for two reasons at 2024-06-30 (due in 5 days, far behind); its May report
    # is missing
    "tasks/t.yaml": """- id: T-1
  title: Build a road
  category: c1
  lead: ua
  leaders: [ld]
  start: 2024-01-01
  standard: done
  milestones:
    - {due: 2024-07-05, standard: road open}
  status: in_progress
  progress: 10
  updates:
    - {month: 2024-03, progress: 10, note: started}
""",
    "scheme.yaml": """id: s1
title: Assessment 2024
components:
  - {id: a, name: Work, weight: 100}
bonuses:
  cap: 1
  categories:
    - {id: award, name: Award, min: 1, max: 3}
grades:
  - {name: excellent, min: 90}
  - {name: good, min: 80}
  - {name: fair, min: 0}
rules:
  - {id: veto, when: {flag: veto}, downgrade: 1}
""",
    "records/2024-Q2.yaml": """period: 2024-Q2
scores:
  ua: {a: 95}
bonuses:
  - {unit: ua, category: award, date: 2024-05-01, points: 2, reason: prize}
flags:
  - {unit: ua, kind: veto, reason: an accident on a site}
""",
}
AS_OF = ("--as-of", "2024-06-30")


def test_bulletin_counts_agree(write: Writer, cli: Callable[..., Run]) -> None:
    """Was "the ledger lists 1 tasks", "the unit leads or shares 1 tasks", "1 units were
    assessed", "Monthly reports missing" and "Last report"."""
    root = write(LEDGER)
    md = cli("bulletin", root, "--quarter", "Q2", *AS_OF)
    assert md.exit_code == 0, md.stderr
    assert ("\nAs of 30 June 2024 the ledger lists 1 task: 1 in progress. Completion rate 0%. "
            "Lights: 0 red, 1 yellow, 0 green.\n") in md.stdout
    assert "\n1 unit was assessed for Q2 2024 under “Assessment 2024”.\n" in md.stdout
    assert ("\n### (3) Progress reports missing\n\n"
            "| No. | Task | Lead unit | Report due for | Latest report |\n"
            "|---:|---|---|---|---|\n"
            "| 1 | T-1 Build a road | Unit A | May 2024 | March 2024 |\n") in md.stdout
    unit = cli("bulletin", root, "--quarter", "Q2", "--unit", "ua", *AS_OF)
    assert "\nAs of 30 June 2024 the unit leads or shares 1 task: 1 in progress." in unit.stdout
    html = cli("bulletin", root, "--quarter", "Q2", "-f", "html", *AS_OF)
    assert ("<p>As of 30 June 2024 the ledger lists 1 task: 1 in progress. Completion rate "
            "0%. Lights: 0 red, 1 yellow, 0 green.</p>") in html.stdout
    assert "<p>1 unit was assessed for Q2 2024 under “Assessment 2024”.</p>" in html.stdout
    assert "<h3>(3) Progress reports missing</h3>" in html.stdout
    assert "<th>Report due for</th><th>Latest report</th>" in html.stdout


def test_word_bulletin_counts_agree(write: Writer, cli: Callable[..., Run],
                                   tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    root = write(LEDGER)
    out = tmp_path / "b.docx"
    r = cli("bulletin", root, "--quarter", "Q2", "-o", out, *AS_OF)
    assert r.exit_code == 0, r.stderr
    paras = [p.text for p in docx.Document(str(out)).paragraphs]
    assert ("As of 30 June 2024 the ledger lists 1 task: 1 in progress. Completion rate 0%. "
            "Lights: 0 red, 1 yellow, 0 green.") in paras
    assert "1 unit was assessed for Q2 2024 under “Assessment 2024”." in paras
    assert any(p.endswith("Progress reports missing") for p in paras)


def test_supervision_notice_in_english(write: Writer, cli: Callable[..., Run]) -> None:
    """Was "— As of" (status: "— as of"), the reasons joined by a full-width "；", the
    milestone and the months in ISO beside "30 June 2024", "Id" for the id column."""
    root = write(LEDGER)
    r = cli("supervise", root, "--unit", "ua", *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == """**Test office**

# Supervision notice

To: Unit A

Key tasks 2024 — as of 30 June 2024

## Red-light tasks (milestones overdue)

none

## Yellow-light tasks (at risk)

| Task | Reason |
|---|---|
| T-1 Build a road | milestone 5 July 2024 road open: due in 5 days; 87.31 points behind (expected 97.31%, reported 10%) |

## Progress reports missing

| Task | Latest report | Report due for |
|---|---|---|
| T-1 Build a road | March 2024 | May 2024 |

## Open rectifications

none

## Due next

| Due | Task | Milestone |
|---|---|---|
| 5 July 2024 | T-1 Build a road | road open |

Please rectify promptly and report in writing by the deadlines.

Test office

30 June 2024
"""
    zh = cli("supervise", root, "--unit", "ua", "--lang", "zh", *AS_OF)
    # the Chinese notice writes its dates and months as its heading does (2024年6月30日):
    # it wrote 2024-07-05 in a yellow reason and 2024-03 for a month
    assert ("| T-1 Build a road | 节点 2024年7月5日 road open：5 天后到期；落后序时进度 87.31 个百分点"
            "（序时 97.31%，实际 10%） |\n") in zh.stdout
    assert "| T-1 Build a road | 2024年3月 | 2024年5月 |\n" in zh.stdout


def test_supervision_notice_names_the_id_column_id(write: Writer,
                                                  cli: Callable[..., Run]) -> None:
    root = write(LEDGER | {"supervision/2024.yaml": """rectifications:
  - {id: R-1, unit: ua, tasks: [T-1], source: other, opened: 2024-06-01, due: 2024-07-31}
"""})
    r = cli("supervise", root, "--unit", "ua", *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert ("| ID | Tasks | Deadline | Written report | State |\n|---|---|---|---|---|\n"
            "| R-1 | “Build a road” | 31 July 2024 | — | 31 days left |\n") in r.stdout


def test_status_says_progress_reports_missing(write: Writer, cli: Callable[..., Run]) -> None:
    """Was "Monthly report missing (due by the 5th)" over a "Latest update" column."""
    root = write(LEDGER)
    r = cli("status", root, *AS_OF)
    text = r.stdout[r.stdout.index("Progress reports missing"):]
    assert text.splitlines()[:2] == [
        "Progress reports missing (due by the 5th)",
        "Task               Lead unit   Latest report   Report due for"]


def test_explain_names_a_veto_once(write: Writer, cli: Callable[..., Run]) -> None:
    """Was "rule veto (veto (an accident on a site)) downgrades" and "规则 veto（一票否决
    （an accident on a site））降档"; and "Bonuses in total 2, over the cap" beside
    "Deductions in total: …"."""
    root = write(LEDGER)
    en = cli("score", root, "--quarter", "Q2", "--explain", "ua", *AS_OF).stdout.splitlines()
    assert "rule veto (an accident on a site) downgrades: excellent → good" in en
    assert "Bonuses in total: 2, over the cap: 1 counted" in en
    zh = cli("score", root, "--quarter", "Q2", "--explain", "ua", "--lang", "zh",
             *AS_OF).stdout.splitlines()
    assert "规则 veto（一票否决：an accident on a site）降档：excellent → good" in zh


def test_explain_names_a_flag_kind_that_is_not_the_rules_name(
        write: Writer, cli: Callable[..., Run]) -> None:
    root = write(LEDGER | {"scheme.yaml": LEDGER["scheme.yaml"].replace("id: veto,", "id: v,")})
    en = cli("score", root, "--quarter", "Q2", "--explain", "ua", *AS_OF).stdout.splitlines()
    assert "rule v (veto: an accident on a site) downgrades: excellent → good" in en


def test_score_says_one_unit_has_missing_scores(write: Writer,
                                                cli: Callable[..., Run]) -> None:
    scheme = LEDGER["scheme.yaml"].replace(
        "  - {id: a, name: Work, weight: 100}\n",
        "  - {id: a, name: Work, weight: 50}\n  - {id: b, name: Service, weight: 50}\n")
    root = write(LEDGER | {"scheme.yaml": scheme})
    r = cli("score", root, "--quarter", "Q2", *AS_OF)
    assert ("1 unit has missing scores, counted as 0 (see the Missing column and the "
            "warnings).") in r.stdout.splitlines()
    r = cli("bulletin", root, "--quarter", "Q2", *AS_OF)
    assert r.stderr.splitlines()[-1] == (
        "luoshi: 1 unit has missing scores, so the ranking is not reliable: Unit A lacks "
        "Service. Record the scores, or add --allow-missing (the bulletin says so)")


def test_export_counts_workbooks_and_titles_the_period_once(
        write: Writer, cli: Callable[..., Run], tmp_path: Path) -> None:
    """Was "wrote 1 workbook(s)", "already holds 1 workbook(s) that differ", and a scores
    sheet titled "Assessment 2024 2024-Q2 scores"; the sheet's name keeps the id."""
    import openpyxl

    root = write(LEDGER)
    out = tmp_path / "out"
    r = cli("export", root, "--per-unit", "-o", out, *AS_OF)
    assert r.stderr == f"wrote 1 workbook for 2024-06 to {out}\n"
    with (out / "Unit A.xlsx").open("ab") as f:
        f.write(b"x")
    r = cli("export", root, "--per-unit", "-o", out, *AS_OF)
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {out} already holds 1 workbook that differs from this export (Unit A.xlsx), "
        "perhaps a unit's returned sheet not yet imported: not overwritten; import it first, "
        "use another directory, or add --force\n"))
    book = tmp_path / "b.xlsx"
    r = cli("export", root, "-o", book, *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert openpyxl.load_workbook(book)["Scores 2024-Q2"]["A1"].value == (
        "Assessment Q2 2024: scores")


@pytest.mark.parametrize(("n", "line", "none"), [
    (1, "1 more task is in a category that names no group",
     " (that task is not in a category that names a group)"),
    (5, "5 more tasks are in categories that name no group",
     " (none of these 5 tasks is in a category that names a group)"),
])
def test_tasks_in_no_group_are_counted(write: Writer, cli: Callable[..., Run], n: int,
                                       line: str, none: str) -> None:
    """Was "1 more task(s) are in categories…" and "none of these 1 task(s) is…"."""
    tasks = "".join(LEDGER["tasks/t.yaml"].replace("T-1", f"T-{i}") for i in range(1, n + 1))
    grouped = LEDGER["tasks/t.yaml"].replace("T-1", "G-1").replace("category: c1", "category: c2")
    config = LEDGER["luoshi.yaml"] + "  - {id: c2, name: Other, group: Team}\n"
    root = write(LEDGER | {"luoshi.yaml": config, "tasks/t.yaml": grouped + tasks})
    r = cli("status", root, "--by", "group", *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert f"\n{line}\n" in r.stdout
    config = LEDGER["luoshi.yaml"] + "  - {id: c2, name: Other, group: Team}\n"
    root = write(LEDGER | {"luoshi.yaml": config, "tasks/t.yaml": tasks},
                 root=Path(str(root) + "-2"))
    r = cli("status", root, "--by", "group", *AS_OF)
    assert f"By group: none{none}\n" in r.stdout


def test_a_quota_move_is_said_in_one_tense(cli: Callable[..., Run]) -> None:
    """score said "rank 2 moved to 良好" and --explain "quota is full: moved to 良好"
    where the bulletin says "rank 2 moves to 良好"."""
    kaohe = REPO / "ledgers" / "beilin-2024-kaohe"
    r = cli("score", kaohe, "--quarter", "Q1", "--lang", "en")
    assert "区级部门: 优秀: 1 place; rank 2 moves to 良好" in r.stdout.splitlines()
    r = cli("score", kaohe, "--quarter", "Q1", "--lang", "en", "--explain", "shangwuju")
    assert "the 优秀 quota is full: moves to 良好" in r.stdout.splitlines()
