"""`import scores --period YYYY-MM`: a scheme assessed monthly (SPEC §10 "Monthly
periods": records with `period: "2024-05"`, read by `score --month` and `bulletin
--month`) had its month's score sheet refused — "--period 2024-06 不是考核期间", and
`-o records/2024-06.yaml` as well — so every month was typed into YAML by hand (audit
"monthly", defect 1).  A month is taken where the scheme has monthly leaves and the
month is in the ledger's year, and written to records/YYYY-MM.yaml as a quarter is."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLE, REPO, Run

QINGXIN = REPO / "tests" / "fixtures" / "scoring" / "qingxin-monthly"

#: two monthly leaves, nothing computed from the tasks: the figures are the sheet's
SCHEME = """\
id: qx-month
title: 月度考核
cadence: quarterly
rounding: {places: 2}
components:
  - {id: monthly, name: 月通报综合评价指数, weight: 40, cadence: monthly}
  - {id: review, name: 督查评议, weight: 60, cadence: monthly}
grades:
  - {name: 红旗, min: 90}
  - {name: 达标, min: 75}
  - {name: 黄牌, min: 0}
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "qingxin"
    shutil.copytree(QINGXIN, root)
    (root / "scheme.yaml").write_text(SCHEME, encoding="utf-8")
    shutil.rmtree(root / "records")
    (root / "records").mkdir()
    return root


def _sheet(path: Path, month: int = 11) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"{month}月得分"
    ws.append([f"2022年{month}月考核得分表"])
    ws.append(["序号", "单位", "月通报综合评价指数", "督查评议"])
    ws.append([1, "太和镇", 75, 90])
    ws.append([2, "区交通运输局", "９２", "95"])
    wb.save(path)
    return path


def test_a_months_score_sheet_is_imported_and_scored(
        cli: Callable[..., Run], ledger: Path, tmp_path: Path) -> None:
    """太和镇 0.4 × 75 + 0.6 × 90 = 30 + 54 = 84.00 (达标, 75 ≤ 84 < 90);
    区交通运输局 0.4 × 92 + 0.6 × 95 = 36.8 + 57 = 93.80 (红旗, ≥ 90)."""
    book = _sheet(tmp_path / "s.xlsx")
    r = cli("import", "scores", book, ledger, "--period", "2022-11")
    assert r.exit_code == 0, r.stderr
    assert "已从工作表 11月得分 导入 2 个单位的得分到" in r.stderr
    record = (ledger / "records" / "2022-11.yaml").read_text(encoding="utf-8")
    assert record.endswith("period: 2022-11\nscores:\n  taihe: {monthly: 75, review: 90}\n"
                           "  jtj: {monthly: 92, review: 95}\n"), record
    r = cli("score", ledger, "--month", "2022-11", "--format", "json", "--as-of", "2022-11-30")
    assert r.exit_code == 0, r.stderr
    got = {u["unit"]: (u["exact"], u["grade"]) for u in json.loads(r.stdout)["units"]
           if u["unit"] in ("taihe", "jtj")}
    assert got == {"taihe": ("84", "达标"), "jtj": ("93.8", "红旗")}


def test_a_month_with_o_and_a_short_month(
        cli: Callable[..., Run], ledger: Path, tmp_path: Path) -> None:
    """`-o records/2022-11.yaml` with `--period 2022-11` writes there; 2022-1 is read
    as 2022-01, as every --month reads it."""
    book = _sheet(tmp_path / "s.xlsx")
    out = ledger / "records" / "2022-11.yaml"
    r = cli("import", "scores", book, ledger, "--period", "2022-11", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert out.is_file()
    r = cli("import", "scores", _sheet(tmp_path / "jan.xlsx", 1), ledger, "--period", "2022-1")
    assert r.exit_code == 0, r.stderr
    assert (ledger / "records" / "2022-01.yaml").read_text(encoding="utf-8").count(
        "period: 2022-01\n") == 1


def test_a_month_outside_the_ledgers_year(
        cli: Callable[..., Run], ledger: Path, tmp_path: Path) -> None:
    book = _sheet(tmp_path / "s.xlsx")
    r = cli("import", "scores", book, ledger, "--period", "2021-11")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: 2021-11 不在台账年度 2022 内（台账只记一年）：请指定 2022 年的期间\n")
    assert not any((ledger / "records").iterdir())


def test_a_month_of_a_scheme_without_monthly_leaves(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """渭南's scheme is assessed quarterly and yearly: no month's score to import."""
    book = _sheet(tmp_path / "s.xlsx")
    root = tmp_path / "weinan"
    shutil.copytree(EXAMPLE, root)
    r = cli("import", "scores", book, root, "--period", "2021-05")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: --period 2021-05：考核办法中没有按月考核的指标（cadence: monthly），没有月度"
        "得分可导入：请按季度（2021-Q2）或年度（2021）导入\n")
    r = cli("import", "scores", book, root, "--period", "2021-05", "--lang", "en")
    assert r.stderr == (
        "luoshi: --period 2021-05: no component of the scheme is assessed monthly (cadence: "
        "monthly), so there is no month's score to import: import a quarter (2021-Q2) or the "
        "year (2021)\n")
    assert not (root / "records" / "2021-05.yaml").exists()


@pytest.mark.parametrize(("lang", "want"), [
    ("zh", "luoshi: --period 2022-13 不是考核期间：应写作 2021-Q2（季度）、2021（年度）或 "
           "2021-05（月度）\n"),
    ("en", "luoshi: --period 2022-13 is not a period: write it like 2021-Q2 (a quarter), "
           "2021 (the year) or 2021-05 (a month)\n")])
def test_not_a_period_names_the_month_form(
        cli: Callable[..., Run], ledger: Path, tmp_path: Path, lang: str, want: str) -> None:
    book = _sheet(tmp_path / "s.xlsx")
    r = cli("import", "scores", book, ledger, "--period", "2022-13", "--lang", lang)
    assert (r.exit_code, r.stderr) == (2, want)


def test_a_month_sheet_naming_another_quarter_is_refused(
        cli: Callable[..., Run], ledger: Path, tmp_path: Path) -> None:
    """A sheet titled for the third quarter is not November's (Q4); one titled for the
    fourth quarter is."""
    book = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["2022年第三季度得分"])
    wb.active.append(["单位", "月通报综合评价指数"])
    wb.active.append(["太和镇", 70])
    wb.save(book)
    r = cli("import", "scores", book, ledger, "--period", "2022-11")
    assert r.exit_code == 1
    assert "表中写明的期间是 2022-Q3（“2022年第三季度”），与 --period 2022-11 不符" in r.stderr
    r = cli("import", "scores", book, ledger, "--period", "2022-08")
    assert r.exit_code == 0, r.stderr


UNTASKED = REPO / "tests" / "fixtures" / "scheme2b" / "monthly-untasked"


@pytest.mark.parametrize(("title", "named", "month"), [
    ("2024年5月月度督查得分表", "2024年5月", "2024-05"),
    ("2024年2月月度督查得分表", "2024年2月", "2024-02"),
    ("5月月度督查得分表", "5月", "2024-05"),
    ("月度督查得分 2024-05", "2024-05", "2024-05"),
    ("2024年五月月度督查得分表", "2024年五月", "2024-05"),
    ("十一月月度督查得分表", "十一月", "2024-11")])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sheet_naming_another_month_is_refused(
        cli: Callable[..., Run], tmp_path: Path, title: str, named: str, month: str,
        lang: str) -> None:
    """Review 28 defect 2: a sheet titled 2024年5月… imported with --period 2024-06 went
    into June's record without a word (`修改 scores.a1.m1：（无） → 88`), while one titled
    for the third quarter was refused: the guard read quarters only.  A month named in
    the title (2024年5月, 5月, 2024-05, 五月) other than --period's is refused as a
    quarter is, in both languages; nothing written.  With its own month it imports."""
    root = tmp_path / "led"
    shutil.copytree(UNTASKED, root)
    book = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append([title])
    ws.append(["单位", "月度督查"])
    ws.append(["甲局", 88])
    wb.save(book)
    r = cli("import", "scores", book, root, "--period", "2024-06", "--lang", lang)
    assert r.exit_code == 1, r.stderr
    line = (f"得分!A1: 表中写明的期间是 {month}（“{named}”），与 --period 2024-06 不符：请核对 "
            "--period，或改正表中的期间" if lang == "zh" else
            f"得分!A1: the sheet names the period {month} ('{named}'), not --period 2024-06: "
            "check --period, or correct the sheet")
    assert line in r.stderr.splitlines(), r.stderr
    assert not (root / "records" / "2024-06.yaml").exists()
    r = cli("import", "scores", book, root, "--period", month, "--dry-run")
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize("title", [
    "2024年6月月度督查得分表（2024年5月31日制表）", "二季度6月得分", "月度督查得分表 2024-05-31",
    "2024年1-5月累计之后的6月得分"])
def test_a_month_sheet_naming_its_month_or_a_date_is_imported(
        cli: Callable[..., Run], tmp_path: Path, title: str) -> None:
    """Dates (5月31日, 2024-05-31) and ranges (1-5月) name no month; a sheet naming
    June anywhere is taken at its word."""
    root = tmp_path / "led"
    shutil.copytree(UNTASKED, root)
    book = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append([title])
    wb.active.append(["单位", "月度督查"])
    wb.active.append(["甲局", 88])
    wb.save(book)
    r = cli("import", "scores", book, root, "--period", "2024-06", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "表中写明的期间" not in r.stderr, r.stderr
