"""Text typed into a cell Excel reads as something else (the import audit): "1/2" in a
General cell becomes the date 2 January, "50%" the number 0.5 formatted `0%`,
"1,234,567.89" a number formatted `#,##0.00`, TRUE a boolean.  A unit's 本月进展 came
in as '2024-01-02' or 'True', a 完成标准 as '2024-01-02T00:00:00', without a word.

luoshi's sheets now give their text columns the Text format (`@`), so Excel keeps what
is typed there; on import a date or number in a text column is taken as the cell shows
it and the cell named in a note, and TRUE/FALSE is refused at its cell in every import
(as `import tasks` refused it)."""

from __future__ import annotations

import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import BEILIN
from luoshi_cli.load.assemble import open_ledger
from test_excel_import import ledger  # noqa: F401  (fixture)

AS_OF = "2024-06-30"
BRK1 = "tasks/brk-1.yaml"
NOTE = ("说明：这些文字列的单元格在 Excel 中是日期或数字（Excel 转换了键入的内容：1/2 成了日期，50% 成了 0.5），"
        "按单元格显示的样子导入：请核对")


@pytest.fixture
def beilin(tmp_path: Path) -> Path:
    root = tmp_path / "beilin"
    shutil.copytree(BEILIN, root)
    return root


def _per_unit(cli: Any, root: Path, out: Path) -> Path:
    r = cli("export", root, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-06")
    assert r.exit_code == 0, r.stderr
    return out / "区发改委.xlsx"


def test_the_text_columns_of_luoshis_sheets_are_text(cli: Any, beilin: Path,
                                                    tmp_path: Path) -> None:
    """本月进展 and 存在问题 of a per-unit sheet, and the text columns of 任务台账/任务明细,
    are formatted `@`; the number and date columns are not (a date typed there stays a
    date, a progress a number)."""
    book = _per_unit(cli, beilin, tmp_path / "out")
    ws = openpyxl.load_workbook(book)["本月填报"]
    formats = {ws.cell(2, c).value: ws.cell(3, c).number_format for c in range(4, 18)}
    assert formats["本月进展"] == formats["存在问题"] == "@"
    assert formats["本月进度 (%)"] == formats["节点完成日期"] == "General"
    full = tmp_path / "full.xlsx"
    assert cli("export", beilin, "-o", full, "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(full)
    for name in ("任务台账", "任务明细"):
        sheet = wb[name]
        row = {sheet.cell(2, c).value: sheet.cell(3, c).number_format
               for c in range(1, sheet.max_column + 1)}
        assert row["任务名称"] == "@", name
        if name == "任务台账":
            assert (row["牵头单位"], row["进度"], row["完成时限"]) == ("@", "General", "yyyy-mm-dd")
        else:
            assert (row["完成标准"], row["节点1标准"], row["最新进展"], row["节点1时限"]) == (
                "@", "@", "@", "yyyy-mm-dd")


def test_a_date_or_number_in_a_units_text_cell_is_read_as_shown(cli: Any, beilin: Path,
                                                                 tmp_path: Path) -> None:
    """A sheet whose 本月进展 and 存在问题 were General (an older luoshi, or a copy): the
    unit typed 1/2 (Excel: the date 2024-01-02, shown m/d) and 50% (0.5, shown 0%) —
    imported as 2024-01-02 and 50% and both cells named; 12345 in a General cell is the
    12345 it shows, not named."""
    book = _per_unit(cli, beilin, tmp_path / "out")
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ws["L3"].value, ws["L3"].number_format = datetime(2024, 1, 2), "m/d"
    ws["M3"].value, ws["M3"].number_format = 0.5, "0%"
    ws["L4"].value, ws["L4"].number_format = 12345, "General"
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", beilin, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert f"{NOTE} [区发改委.xlsx 本月填报!L3 2024-01-02, 区发改委.xlsx 本月填报!M3 50%]" \
        in r.stderr.splitlines()
    june = {t.id: (u.note, u.problems) for t in open_ledger(beilin).ledger.tasks
            for u in t.updates if u.month == "2024-06"}
    assert june == {"BRK1-01": ("2024-01-02", "50%"), "BRK4-01": ("12345", None)}


def test_true_in_a_units_text_cell_is_refused(cli: Any, beilin: Path, tmp_path: Path) -> None:
    """TRUE typed into 本月进展 came in as the note 'True'; refused at its cell, in
    `import tasks`' words, and nothing written."""
    book = _per_unit(cli, beilin, tmp_path / "out")
    before = (beilin / BRK1).read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(book)
    wb["本月填报"]["L3"].value = True
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", beilin, "--as-of", AS_OF)
    assert r.exit_code == 1
    assert "区发改委.xlsx 本月填报!L3: 单元格是逻辑值 TRUE，不是文字：请直接填写文字" in r.stderr.splitlines()
    assert (beilin / BRK1).read_text(encoding="utf-8") == before


def test_import_tasks_reads_a_converted_text_cell_as_shown(cli: Any, ledger: Path,  # noqa: F811
                                                          tmp_path: Path) -> None:
    """完成标准 1/2 came in as '2024-01-02T00:00:00', a 进展情况 1,234,567.89 (a number
    formatted #,##0.00) as its float.  As the cells show them, and named; the 3 of a
    General 完成标准 is 3, not named."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务表"
    ws.append(["任务名称", "牵头单位", "包抓领导", "完成时限", "进展情况", "完成标准"])
    ws.append(["甲", "区发改委", "张某某", "2024-12-31", 0.5, datetime(2024, 1, 2)])
    ws.append(["乙", "区发改委", "张某某", "2024-12-31", 1234567.891, 3])
    ws["E2"].number_format, ws["F2"].number_format = "0%", "m/d"
    ws["E3"].number_format = "#,##0.00"
    book = tmp_path / "台账.xlsx"
    wb.save(book)
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert f"{NOTE} [任务表!F2 2024-01-02, 任务表!E2 50%, 任务表!E3 1,234,567.89]" \
        in r.stderr.splitlines()
    tasks = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [(t["standard"], t["note"]) for t in tasks] == [("2024-01-02", "50%"),
                                                           ("3", "1,234,567.89")]


def test_the_text_a_cell_shows() -> None:
    """The formats offices use, by hand: 0.5 at 0% is 50%; 0.125 at 0.0% is 12.5%;
    1234567.891 at #,##0.00 is 1,234,567.89; 42 at 0.00 is 42.00; at General a whole
    float has no point and 0.1 + 0.2 shows 0.3 (15 significant digits); a currency
    format gives the plain value; a date is ISO."""
    from luoshi_cli.excel.shown import typed_text

    assert typed_text(0.5, "0%") == ("50%", True)
    assert typed_text(0.125, "0.0%") == ("12.5%", True)
    assert typed_text(1234567.891, "#,##0.00") == ("1,234,567.89", True)
    assert typed_text(42, "0.00") == ("42.00", True)
    assert typed_text(42, "0") == ("42", False)
    assert typed_text(7.0, "General") == ("7", False)
    assert typed_text(0.1 + 0.2, "General") == ("0.3", False)
    assert typed_text(12.5, '"¥"#,##0.00') == ("12.5", True)
    assert typed_text(datetime(2024, 1, 2), "m/d") == ("2024-01-02", True)
    assert typed_text(datetime(2024, 1, 2, 9, 30), "h:mm") == ("2024-01-02 09:30:00", True)



def test_a_shown_number_is_rounded_as_excel_rounds() -> None:
    """Excel rounds a formatted number half away from zero; Python's format() rounds
    half to even, so the text read back was not what the cell showed: 2.5 at "0" is
    3 (was 2), 1234.5 at "#,##0" is 1,235 (was 1,234), 0.125 at "0.00" is 0.13 (was
    0.12), 0.005 at "0%" is 1% (0.5 % → 1, was 0%), -2.5 at "0" is -3."""
    from luoshi_cli.excel.shown import typed_text

    assert typed_text(2.5, "0") == ("3", True)
    assert typed_text(1234.5, "#,##0") == ("1,235", True)
    assert typed_text(0.125, "0.00") == ("0.13", True)
    assert typed_text(0.005, "0%") == ("1%", True)
    assert typed_text(-2.5, "0") == ("-3", True)


def test_one_reading_of_a_typed_number_in_every_import(cli: Any, example: Path,
                                                        ledger: Path,  # noqa: F811
                                                        tmp_path: Path) -> None:
    """The full-width decimal point a Chinese input method types: `import updates` read
    ８０．５％, `import scores` refused ８８．５ (only its ％ path folded full-width forms)
    and `import tasks` refused ８０．５ and ８０．５％ ("不是数字").  All three read them now,
    through one reading (`core.numbers.typed_decimal`)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "hotline"])
    ws.append(["崇业路街道", "８８．５"])
    ws.append(["龙背街道", "８７．５％"])
    scores = tmp_path / "scores.xlsx"
    wb.save(scores)
    (example / "records" / "2021-Q2.yaml").unlink()
    r = cli("import", "scores", scores, example, "--period", "2021-Q2")
    assert r.exit_code == 0, r.stderr
    record = yaml.safe_load((example / "records" / "2021-Q2.yaml").read_text(encoding="utf-8"))
    assert (record["scores"]["chongyelu"]["hotline"],
            record["scores"]["longbei"]["hotline"]) == (88.5, 87.5)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["任务名称", "牵头单位", "包抓领导", "完成时限", "进度"])
    ws.append(["甲", "区发改委", "张某某", "2024-12-31", "８０．５"])
    ws.append(["乙", "区发改委", "张某某", "2024-12-31", "８０．５％"])
    tasks = tmp_path / "tasks.xlsx"
    wb.save(tasks)
    r = cli("import", "tasks", tasks, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    got = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [t["progress"] for t in got] == [80.5, 80.5]
    from luoshi_cli.core.numbers import typed_decimal, typed_percent

    assert typed_decimal("８８．５") == typed_decimal("88.5")
    assert typed_percent("８０．５％") == (typed_decimal("80.5"), True)
    assert typed_percent(" －３ ") == (typed_decimal("-3"), False)
    with pytest.raises(ArithmeticError):
        typed_decimal("10²")  # a superscript is no digit (NFKC would read 102)


def test_a_progress_below_one_in_a_general_cell_is_named(cli: Any, beilin: Path,
                                                         tmp_path: Path) -> None:
    """0.3 typed into a General 本月进度 cell became progress 0.3 without a word (`import
    tasks` notes "a plain 0.35 is 0.35%"): imported as written and named the same way;
    30% typed (0.3 formatted 0%) is 30 and not named."""
    book = _per_unit(cli, beilin, tmp_path / "out")
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ws["K3"].value = 0.3
    ws["K5"].value, ws["K5"].number_format = 0.3, "0%"
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", beilin, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    lines = r.stderr.splitlines()
    assert ("说明：进度小于 1（如 0.35）按百分数导入（0.35%）：如果是指 35%，请写 35 或 35% "
            "[区发改委.xlsx 本月填报!K3 0.3]") in lines
    assert "区发改委.xlsx 本月填报!K3: 本月进度 0.3 低于上月 38，请核对（已导入）" in lines
    june = {t.id: u.progress for t in open_ledger(beilin).ledger.tasks
            for u in t.updates if u.month == "2024-06"}
    assert (june["BRK1-01"], june["BRK5-01"]) == (Decimal("0.3"), 30)
