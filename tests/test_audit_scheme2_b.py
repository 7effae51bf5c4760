"""Audit "scheme2" (2026-12), items 4–7 and 9: what a record gives a unit `assessed:
false` beyond a score, `--explain` of a monthly tasks leaf in a quarter, the score
columns' order, the year in the xlsx export and a ranking group with no scored unit.
Each on a real ledger, through the CLI, asserting the text a user reads."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import edit

REPO = Path(__file__).resolve().parent.parent
KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"


def _duchashi_entries(tmp_path: Path) -> Path:
    """碑林 with a deduction (records line 21) and a bonus (line 28) for 区委督查室,
    which units.yaml marks `assessed: false` (the audit's repro/7)."""
    root = tmp_path / "bl"
    shutil.copytree(KAOHE, root)
    q1 = root / "records" / "2024-Q1.yaml"
    edit(q1, "  - {unit: zhangjiacun, category: slack, date: 2024-03-12",
         "  - {unit: duchashi, category: slack, date: 2024-02-21, points: 2, reason: 督查室自己}\n"
         "  - {unit: zhangjiacun, category: slack, date: 2024-03-12")
    edit(q1, "  - {unit: nanyuanmen, category: praise, date: 2024-03-25",
         "  - {unit: duchashi, category: praise, date: 2024-03-25, points: 2, reason: x}\n"
         "  - {unit: nanyuanmen, category: praise, date: 2024-03-25")
    return root


def test_a_deduction_or_bonus_of_a_unit_not_assessed_is_warned_of_at_the_entry(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """No score reads them (as LS419 says of a score): `validate` was silent.  Now
    LS424 at the entry's unit, in both languages, and `score` says it on stderr."""
    root = _duchashi_entries(tmp_path)
    zh = [x.split("records/", 1)[1] for x in
          cli("validate", root, "--as-of", "2024-06-30").stdout.splitlines() if " LS424 " in x]
    assert zh == [
        "2024-Q1.yaml:21:12: warning LS424 期间 2024-Q1：units.yaml 写明 区委督查室 不参加考核"
        "（assessed: false），这条扣分不计入得分，通报也不计入合计：请删去，或删去该单位的 "
        "assessed: false",
        "2024-Q1.yaml:28:12: warning LS424 期间 2024-Q1：units.yaml 写明 区委督查室 不参加考核"
        "（assessed: false），这条加分不计入得分，通报也不计入合计：请删去，或删去该单位的 "
        "assessed: false",
    ]
    en = [x.split("records/", 1)[1] for x in
          cli("validate", root, "--as-of", "2024-06-30", "--lang", "en").stdout.splitlines()
          if " LS424 " in x]
    assert en[1] == (
        "2024-Q1.yaml:28:12: warning LS424 period 2024-Q1: units.yaml marks 区委督查室 as not "
        "assessed (assessed: false), so this bonus is counted in no score nor in the "
        "bulletin's totals: remove it, or remove the unit's assessed: false")
    err = cli("score", root, "-q", "Q1", "--as-of", "2024-06-30").stderr.splitlines()
    assert err[0] == "luoshi: 注意：考核记录中有 2 个数值不计入得分（LS424）："


def test_the_bulletin_lists_them_but_leaves_them_out_of_its_totals(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """The bulletin counted them: "共有负面清单扣分3起…合计扣5.00分", "共有加分3起…合计加6.00分",
    though no score contains them.  By hand, the deductions counted are 张家村街道's
    2 + 1 = 3.00 in 2 incidents (教育局's provisional 2 was restored 03-28); the
    bonuses counted are 南院门街道's 2 + 2 = 4.00 in 2 (its score takes the cap, 3).
    The 督查室's two entries stay in the tables, marked 不计分, and the sentence says
    they are not counted — in Markdown, HTML and Word, Chinese and English."""
    root = _duchashi_entries(tmp_path)
    md = cli("bulletin", root, "-q", "Q1").stdout
    assert ("2024年第一季度共有负面清单扣分2起（推进不力、敷衍应付2起），合计扣3.00分；另有预扣分1起"
            "已返还，不计分；另有不参加考核单位的扣分1起，不计分。") in md
    assert "| 2 | 区委督查室 | 推进不力、敷衍应付 | 2024年2月21日 | 2.00 | 督查室自己（该单位不参加考核，不计分） |" in md
    assert ("2024年第一季度共有加分2起（获上级表扬或推广经验2起），合计加4.00分；另有不参加考核单位的"
            "加分1起，不计分；南院门街道加分超过上限，按3.00分计入得分。") in md
    assert "| 2 | 区委督查室 | 获上级表扬或推广经验 | 2024年3月25日 | 2.00 | x（该单位不参加考核，不计分） |" in md
    html = cli("bulletin", root, "-q", "Q1", "-f", "html").stdout
    assert "合计扣3.00分；另有预扣分1起已返还，不计分；另有不参加考核单位的扣分1起，不计分。" in html
    assert "合计加4.00分；另有不参加考核单位的加分1起，不计分；南院门街道" in html
    en = cli("bulletin", root, "-q", "Q1", "--lang", "en").stdout
    assert ("2 deductions (推进不力、敷衍应付: 2), 3.00 points in all; 1 provisional "
            "deduction restored, not counted; 1 deduction of a unit not assessed, not "
            "counted.") in en
    assert ("2 bonuses (获上级表扬或推广经验: 2), 4.00 points in all; 1 bonus "
            "of a unit not assessed, not counted; capped at 3.00 points") in en
    out = tmp_path / "b.docx"
    cli("bulletin", root, "-q", "Q1", "-f", "docx", "-o", out)
    import docx  # python-docx

    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "合计扣3.00分；另有预扣分1起已返还，不计分；另有不参加考核单位的扣分1起，不计分。" in text
    assert "合计加4.00分；另有不参加考核单位的加分1起，不计分；南院门街道" in text


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scheme2b"


def _row(out: str, name: str) -> str:
    """The explain table's row of component `name`, its blanks runs made one space."""
    line = next(x for x in out.splitlines() if x.startswith(name))
    return " ".join(line.split())


def test_explain_of_a_monthly_tasks_leaf_with_no_task_due_in_a_quarter_or_the_year(
        cli: Callable[..., Any]) -> None:
    """任务落实 is monthly and `source: tasks`; 丙局 (a3) has no task in any month.  The
    quarter and the year said "本期不考核（monthly）" (the leaf is assessed: the others
    get the mean of their months; and "monthly" was the raw key in Chinese text) and
    "各季度均无得分：不计入"; the reason is the month's: no task fell due."""
    root = FIXTURES / "monthly-untasked"
    q1 = cli("score", root, "-q", "Q1", "--explain", "a3").stdout
    assert _row(q1, "任务落实") == "任务落实 35 — — — 本期没有到期任务：不计入，其余权重按比例折算"
    year = cli("score", root, "--annual", "--partial", "--explain", "a3").stdout
    assert _row(year, "任务落实") == "任务落实 35 — — — 本期没有到期任务：不计入，其余权重按比例折算"
    en = cli("score", root, "-q", "Q1", "--explain", "a3", "--lang", "en").stdout
    assert _row(en, "任务落实") == ("任务落实 35 — — — no task due in the period: left out, "
                                 "the other weights renormalised")
    # the score itself is unchanged: (90 × 40 + 80 × 25) / 65 = 86.1538…, less the
    # deductions 6.00, plus the bonus 2.00 = 82.15
    assert "得分 82.15，" in q1


def test_explain_of_monthly_leaves_in_a_year_with_no_monthly_record(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """The year scored with --partial from its quarter's record alone: the monthly
    leaves have no record at all — said so, not "各季度均无得分" (they are monthly)."""
    root = tmp_path / "nm"
    shutil.copytree(FIXTURES / "monthly-untasked", root)
    for m in ("01", "02", "03"):
        (root / "records" / f"2024-{m}.yaml").unlink()
    zh = cli("score", root, "--annual", "--partial", "--explain", "a3").stdout
    assert _row(zh, "月度督查") == "月度督查 40 — — — 没有月度记录：不计入（--partial）"
    assert _row(zh, "任务落实") == "任务落实 35 — — — 没有月度记录：不计入（--partial）"
    en = cli("score", root, "--annual", "--partial", "--explain", "a3", "--lang", "en").stdout
    assert _row(en, "月度督查") == "月度督查 40 — — — no monthly record: left out (--partial)"


def test_score_columns_follow_the_scheme_not_the_first_ranked_unit(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """Scheme order: delivery (任务落实), insp (督查评议), svc (政务服务).  The first-ranked
    unit 丙局 has no task due and svc not applicable, so only insp is scored for it: the
    CSV header said insp,delivery,svc and the 得分 sheet 督查评议, 任务落实, 政务服务.
    (丙局 ranks first with its insp 91 alone, plus its bonus 5: 96.00.)"""
    import openpyxl

    root = FIXTURES / "column-order"
    head = cli("score", root, "-q", "Q1", "-f", "csv").stdout.lstrip("\ufeff").splitlines()
    assert head[0].endswith(",quota_from,delivery,insp,svc")
    assert head[1].startswith("1,a3,丙局,96.00,")
    out = tmp_path / "s.xlsx"
    cli("export", root, "-o", out)
    ws = openpyxl.load_workbook(out)["得分 2024-Q1"]
    header = next(ws.iter_rows(min_row=2, max_row=2, values_only=True))
    assert list(header[-3:]) == ["任务落实", "督查评议", "政务服务"]


def test_the_export_has_the_sheet_of_a_complete_year_score_annual_scores(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """All four quarters' records are in; the scheme has no annual component, so the
    year needs no record of its own and `score --annual` scores it without --partial.
    The xlsx export wrote no 得分 2024 sheet and said nothing (the Parquet export
    scores the year).  Now the sheet is there and agrees with `score --annual`; with
    the fourth quarter missing the year is still left out, without a note (no one
    expects it before the year is in), and --partial adds it."""
    import json

    import openpyxl

    root = tmp_path / "y"
    shutil.copytree(FIXTURES / "whole-year", root)
    out = tmp_path / "y.xlsx"
    r = cli("export", root, "-o", out)
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-5:] == ["得分 2024-Q1", "得分 2024-Q2", "得分 2024-Q3", "得分 2024-Q4",
                                  "得分 2024"]
    year = json.loads(cli("score", root, "--annual", "-f", "json").stdout)
    ws = wb["得分 2024"]
    head = next(ws.iter_rows(min_row=2, max_row=2, values_only=True))
    col = {h: i for i, h in enumerate(head)}
    got = {row[col["编号"]]: row[col["得分"]]
           for row in ws.iter_rows(min_row=3, values_only=True) if row[col["编号"]]}
    assert got == {u["unit"]: float(u["score"]) for u in year["units"]}
    (root / "records" / "2024-Q4.yaml").unlink()
    r = cli("export", root, "-o", out)
    assert r.exit_code == 0 and "2024 " not in r.stderr.replace("2024-Q", "")
    assert openpyxl.load_workbook(out).sheetnames[-1] == "得分 2024-Q3"
    cli("export", root, "-o", out, "--partial")
    assert openpyxl.load_workbook(out).sheetnames[-1] == "得分 2024"


def test_the_bulletin_leaves_out_a_ranking_group_with_no_scored_unit(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """A third group 机关 holds only 督查室, `assessed: false`.  `score` leaves the
    group out; the bulletin printed "#### 机关" over a table with a header and no row
    (and so in HTML and Word).  Now it leaves it out too, in every format — the other
    two groups' tables, each headed, are as they were."""
    import docx  # python-docx

    root = FIXTURES / "empty-group"
    md = cli("bulletin", root, "-q", "Q1").stdout
    assert "机关" not in md
    assert "#### 部门\n\n| 组内名次 |" in md and "#### 街道\n\n| 组内名次 |" in md
    html = cli("bulletin", root, "-q", "Q1", "-f", "html").stdout
    assert "机关" not in html and "<h4>部门</h4>" in html and "<h4>街道</h4>" in html
    en = cli("bulletin", root, "-q", "Q1", "--lang", "en").stdout
    assert "机关" not in en
    out = tmp_path / "b.docx"
    cli("bulletin", root, "-q", "Q1", "-f", "docx", "-o", out)
    doc = docx.Document(str(out))
    assert [p.text for p in doc.paragraphs if p.text in ("部门", "街道", "机关")] == ["部门", "街道"]
    assert not any(len(t.rows) == 1 for t in doc.tables)  # no table of a header alone


def test_score_columns_follow_the_scheme_when_a_parent_leaves_out_the_first_ranked_unit(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """Review 28 defect 1.  Scheme order: svc 政务服务 (children hall 大厅, web 网办;
    applies_to: subdistrict), then insp 督查评议.  甲局 (a1, a department) ranks first
    (insp 95 alone: 95.00) ahead of 一街道 (svc (90+70)/2 = 80 × 40 + insp 80 × 60, / 100
    = 80.00); its tree holds svc without children, so the merged walks put hall, web
    after insp: header …,svc,insp,hall,web and 得分 sheet 政务服务, 督查评议, 大厅, 网办.
    Columns now follow the scheme's own walk: svc, hall, web, insp."""
    import openpyxl

    root = FIXTURES / "parent-applies-to"
    head = cli("score", root, "-q", "Q1", "-f", "csv").stdout.lstrip("\ufeff").splitlines()
    assert head[0].endswith(",exact,not_applicable,svc,hall,web,insp"), head[0]
    assert head[1].startswith("1,a1,甲局,95.00,")
    assert head[2].startswith("2,s1,一街道,80.00,")
    out = tmp_path / "s.xlsx"
    cli("export", root, "-o", out)
    ws = openpyxl.load_workbook(out)["得分 2024-Q1"]
    header = next(ws.iter_rows(min_row=2, max_row=2, values_only=True))
    assert list(header[-4:]) == ["政务服务", "大厅", "网办", "督查评议"]
