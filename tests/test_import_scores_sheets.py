"""`import scores` reads one sheet; a second sheet with a header of components (another
scoring body's columns in the same workbook) was dropped without a word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from conftest import Run


def test_other_score_sheets_are_named_and_import_with_sheet(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    book = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "hotline", "service"])
    wb.active.append(["崇业路街道", 88, 77])
    second = wb.create_sheet("Sheet2")
    second.append(["单位", "hotline", "service"])
    second.append(["龙背街道", 11, 22])
    wb.create_sheet("说明").append(["填表说明"])  # no header: not named
    wb.save(book)
    r = cli("import", "scores", book, example, "--period", "2021-Q3", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (
        "note: these sheets have a header of components too but were not imported (one "
        "sheet per import: import each with --sheet; the scores merge into the same "
        "record) [Sheet2]")
    r = cli("import", "scores", book, example, "--period", "2021-Q3", "--sheet", "Sheet2")
    assert r.exit_code == 0, r.stderr
    record = (example / "records/2021-Q3.yaml").read_text(encoding="utf-8")
    assert "hotline: 88" in record and "hotline: 11" in record


def _hotline(book: Path, unit: str, score: object) -> None:
    """A score sheet of one unit's hotline score."""
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "hotline"])
    wb.active.append([unit, score])
    wb.save(book)


@pytest.mark.parametrize(("bom", "crlf"), [(True, False), (False, True), (True, True)])
def test_a_record_keeps_its_byte_order_mark_and_line_ends(
        cli: Callable[..., Run], example: Path, tmp_path: Path, bom: bool, crlf: bool) -> None:
    """A record saved by Windows Notepad (BOM) or checked out with CRLF: merging a
    sheet into it refused the BOM as an unknown key '\\ufeff# …' and rewrote every
    CRLF as LF (audit).  The file keeps its form; only the merged line is new."""
    rec = example / "records/2021-Q2.yaml"
    plain = rec.read_bytes()
    raw = plain.replace(b"\n", b"\r\n") if crlf else plain
    rec.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)
    book = tmp_path / "s.xlsx"
    _hotline(book, "崇业路街道", 66)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--force")
    assert r.exit_code == 0, r.stderr
    after = rec.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") == bom
    assert after.count(b"\r\n") == (after.count(b"\n") if crlf else 0)
    body = after.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    changed = [(a, b) for a, b in zip(plain.splitlines(), body.splitlines(), strict=True)
               if a != b]
    assert len(changed) == 1 and b"66" in changed[0][1], changed
    assert cli("validate", example, "--as-of", "2021-06-30").exit_code == 0


def test_a_units_scores_shared_through_an_alias_are_set_for_it_alone(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """`longbei: *s` shares chongyelu's scores (validate is clean).  A sheet giving
    龙背街道 hotline 99 changed 崇业路街道's too — in place and in the rewrite from
    values — and the change list named only longbei (audit).  The in-place edit
    cannot be made; the record is written anew from its values, said on stderr."""
    rec = example / "records/2021-Q2.yaml"
    text = rec.read_text(encoding="utf-8")
    text = text.replace("  chongyelu:     {hotline: 87.5, service: 84.5}",
                        "  chongyelu:     &s {hotline: 87.5, service: 84.5}")
    text = text.replace("  longbei:       {hotline: 79.5, service: 86.5}", "  longbei:       *s")
    rec.write_text(text, encoding="utf-8")
    assert cli("validate", example, "--as-of", "2021-06-30").exit_code == 0
    book = tmp_path / "s.xlsx"
    _hotline(book, "龙背街道", 99)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--force")
    assert r.exit_code == 0, r.stderr
    assert "已按其数值重新写出" in r.stderr
    import yaml

    scores = yaml.safe_load(rec.read_text(encoding="utf-8"))["scores"]
    assert scores["chongyelu"] == {"hotline": 87.5, "service": 84.5}
    assert scores["longbei"] == {"hotline": 99, "service": 84.5}


def test_a_score_with_digit_grouping_is_refused(cli: Callable[..., Run], example: Path,
                                                tmp_path: Path) -> None:
    """"8_8" is no score (Decimal would read 88)."""
    book = tmp_path / "s.xlsx"
    _hotline(book, "崇业路街道", "8_8")
    before = (example / "records/2021-Q2.yaml").read_bytes()
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--force")
    assert r.exit_code != 0 and "8_8" in r.stderr, r.stderr
    assert (example / "records/2021-Q2.yaml").read_bytes() == before


@pytest.mark.parametrize(("title", "name", "where", "named"), [
    ("2021年第二季度12345热线考核得分", "Sheet", "Sheet!A1", "2021年第二季度"),
    (None, "得分 2021-Q2", "得分 2021-Q2", "2021-Q2")])
def test_a_sheet_naming_another_quarter_is_refused(
        cli: Callable[..., Run], example: Path, tmp_path: Path, title: str | None,
        name: str, where: str, named: str) -> None:
    """A sheet titled for Q2 (its title row, or its name as luoshi's export names a
    score sheet) imported with --period 2021-Q3 went into Q3's record without a word.
    Refused at the cell (or the sheet) naming the quarter; nothing written.  With the
    quarter it names, or a sheet that names none, it imports as before."""
    book = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = name
    if title:
        ws.append([title])
    ws.append(["单位", "hotline"])
    ws.append(["崇业路街道", 88])
    wb.save(book)
    q3 = (example / "records/2021-Q3.yaml").read_bytes()
    r = cli("import", "scores", book, example, "--period", "2021-Q3")
    assert r.exit_code == 1
    assert f"{where}: 表中写明的期间是 2021-Q2（“{named}”），与 --period 2021-Q3 不符：" \
        "请核对 --period，或改正表中的期间" in r.stderr.splitlines()
    assert (example / "records/2021-Q3.yaml").read_bytes() == q3
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--force")
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize(("title", "period"), [
    ("2021年二季度得分（上季度：2021年第一季度）", "2021-Q2"),
    ("2021年第二季度至第三季度得分", "2021-Q3"),
    ("2021年各季度得分汇总（2021-Q1至2021-Q4）", "2021"),
    ("FAQ2 得分表", "2021-Q3")])
def test_a_sheet_naming_its_quarter_among_others_imports(
        cli: Callable[..., Run], example: Path, tmp_path: Path, title: str,
        period: str) -> None:
    """The review's titles, refused by the first reading of the check: a title naming
    the quarter without 第 beside the quarter before it, a range of quarters, a year's
    summary naming all four, letters that are no quarter.  A sheet naming the period
    anywhere is taken at its word; an annual import is refused only by a sheet naming
    one quarter alone."""
    book = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append([title])
    wb.active.append(["单位", "hotline"])
    wb.active.append(["崇业路街道", 88])
    wb.save(book)
    r = cli("import", "scores", book, example, "--period", period, "--force", "--dry-run")
    assert "表中写明的期间" not in r.stderr, r.stderr
