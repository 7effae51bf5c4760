"""Hidden rows (the import audit): a hidden sheet is not read — "what nobody reading the
workbook sees is not the unit's report" — but a hidden row was imported without a word,
by `import tasks`, `import scores` and `import updates` alike.  Now a hidden row (Excel's
隐藏, or one a filter hides), in an .xlsx or an .xls, is not read either: `import tasks`
and `import scores` name it in a note (as they name a hidden sheet), `import updates`
refuses a hidden row that reports something at the row (as it refuses a hidden sheet)
and passes over one returned as it came."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from conftest import BEILIN
from test_excel_import import ledger  # noqa: F401  (fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "excel"
AS_OF = "2024-06-30"
NOTE = ("说明：这些行是隐藏的（或被筛选隐藏），未导入：看不到的内容不作为台账读取；需要时请取消隐藏后再导入")


def test_import_tasks_passes_over_a_hidden_row_and_names_it(cli: Any, ledger: Path,  # noqa: F811
                                                            tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务表"
    ws.append(["任务名称", "牵头单位", "包抓领导", "完成时限"])
    ws.append(["看得见的任务", "区发改委", "张某某", "2024-12-31"])
    ws.append(["隐藏的任务", "区发改委", "张某某", "2024-12-31"])
    ws.row_dimensions[3].hidden = True
    book = tmp_path / "台账.xlsx"
    wb.save(book)
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert f"{NOTE} [任务表!3:3 隐藏的任务]" in r.stderr.splitlines()
    tasks = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [t["title"] for t in tasks] == ["看得见的任务"]


def test_an_xls_hidden_row_is_passed_over_too(cli: Any, ledger: Path,  # noqa: F811
                                              tmp_path: Path) -> None:
    """xls-cells.xls with the ROW record of 推进A (0-based row 3) marked hidden (its
    fDyZero bit, 0x20 of the byte at 12 of the record body): python-calamine does not
    say, the file's own record does (`biff.read_facts`)."""
    data = bytearray((FIXTURES / "xls-cells.xls").read_bytes())
    at = data.find(b"\x08\x02\x10\x00" + struct.pack("<H", 3))
    assert at > 0
    data[at + 4 + 12] |= 0x20
    book = tmp_path / "hidden.xls"
    book.write_bytes(bytes(data))
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert f"{NOTE} [任务表!4:4 推进A]" in r.stderr.splitlines()
    tasks = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [t["title"] for t in tasks] == ["推进B", "推进C"]


def test_import_scores_passes_over_a_hidden_unit_row(cli: Any, example: Path,
                                                     tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["单位", "hotline"])
    ws.append(["崇业路街道", 88])
    ws.append(["龙背街道", 77])
    ws.row_dimensions[3].hidden = True
    book = tmp_path / "scores.xlsx"
    wb.save(book)
    (example / "records" / "2021-Q2.yaml").unlink()
    r = cli("import", "scores", book, example, "--period", "2021-Q2")
    assert r.exit_code == 0, r.stderr
    assert f"{NOTE} [得分!3:3 龙背街道]" in r.stderr.splitlines()
    record = yaml.safe_load((example / "records" / "2021-Q2.yaml").read_text(encoding="utf-8"))
    assert record["scores"] == {"chongyelu": {"hotline": 88}}


def test_import_updates_refuses_a_hidden_row_that_reports(cli: Any, tmp_path: Path) -> None:
    """The unit hid BRK5-01's row after typing its progress (the audit's sheet): refused
    at the row, counted among the refused, the rest imported; BRK4-01's row hidden as it
    came reports nothing and is not named."""
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    out = tmp_path / "out"
    r = cli("export", root, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-06")
    assert r.exit_code == 0, r.stderr
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    assert [ws.cell(r, 4).value for r in (3, 4, 5)] == ["BRK1-01", "BRK4-01", "BRK5-01"]
    ws["K3"].value = 45
    ws["K5"].value = 70
    ws.row_dimensions[4].hidden = ws.row_dimensions[5].hidden = True
    wb.save(book)
    brk5 = (root / "tasks" / "brk-5.yaml").read_text(encoding="utf-8")
    r = cli("import", "updates", book, "--ledger", root, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "区发改委.xlsx 本月填报!5:5: 这一行是隐藏的（或被筛选隐藏）：其中填报的内容不导入（请取消隐藏并核对后再报送）",
        "  区发改委.xlsx（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
        "单位 1 个，更新任务 1 个，未变 1 个，拒绝单元格 1 个"]
    assert (root / "tasks" / "brk-5.yaml").read_text(encoding="utf-8") == brk5


# ---- hidden columns (the sheets audit) -----------------------------------------------
#: a hidden column's cells were imported without a word (a hidden 进度 column became
#: progress 77), while hidden rows and sheets were named and not read
COLS = "说明：这些列是隐藏的，未导入：看不到的内容不作为台账读取；需要时请取消隐藏后再导入"


def test_import_tasks_does_not_read_a_hidden_column_and_names_it(cli: Any, ledger: Path,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务表"
    ws.append(["任务名称", "牵头单位", "包抓领导", "完成时限", "进度"])
    ws.append(["推进A", "区发改委", "张某某", "2024-12-31", 77])
    ws.column_dimensions["E"].hidden = True
    book = tmp_path / "台账.xlsx"
    wb.save(book)
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert f"{COLS} [任务表!E:E 进度]" in r.stderr.splitlines()
    tasks = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [(t["title"], t["progress"]) for t in tasks] == [("推进A", 0)]


def test_an_xls_hidden_column_is_not_read_either(cli: Any, ledger: Path,  # noqa: F811
                                                 tmp_path: Path) -> None:
    """xls-hidden-col.xls (xlwt's): 进度 in column E, hidden by its COLINFO record's
    fHidden bit — python-calamine does not say, the file's own record does."""
    book = FIXTURES / "xls-hidden-col.xls"
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert f"{COLS} [任务表!E:E 进度]" in r.stderr.splitlines()
    tasks = yaml.safe_load((ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8"))
    assert [(t["title"], t["progress"]) for t in tasks] == [("推进A", 0)]


def test_import_scores_does_not_read_a_hidden_component_column(cli: Any, example: Path,
                                                               tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["单位", "hotline", "service"])
    ws.append(["崇业路街道", 88, 91])
    ws.column_dimensions["C"].hidden = True
    book = tmp_path / "scores.xlsx"
    wb.save(book)
    (example / "records" / "2021-Q2.yaml").unlink()
    r = cli("import", "scores", book, example, "--period", "2021-Q2")
    assert r.exit_code == 0, r.stderr
    assert f"{COLS} [得分!C:C service]" in r.stderr.splitlines()
    record = yaml.safe_load((example / "records" / "2021-Q2.yaml").read_text(encoding="utf-8"))
    assert record["scores"] == {"chongyelu": {"hotline": 88}}


def test_import_updates_reads_luoshis_hidden_columns_not_a_unit_hidden_one(
        cli: Any, tmp_path: Path) -> None:
    """The per-unit sheet hides its columns A–C itself (luoshi:id, luoshi:hash,
    luoshi:node): read as ever, never named.  A column the unit hid after typing into
    it (本月进展, L) is not read, and named."""
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    out = tmp_path / "out"
    r = cli("export", root, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-06")
    assert r.exit_code == 0, r.stderr
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    assert [ws.cell(2, c).value for c in (1, 11, 12)] == ["luoshi:id", "本月进度 (%)", "本月进展"]
    assert ws["D3"].value == "BRK1-01"
    ws["K3"].value = 63
    ws["L3"].value = "隐藏列中的进展"
    ws.column_dimensions["L"].hidden = True
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", root, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert f"{COLS} [区发改委.xlsx 本月填报!L:L 本月进展]" in r.stderr.splitlines()
    text = (root / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")
    assert '{month: "2024-06", progress: 63}' in text
    assert "隐藏列中的进展" not in "".join(
        p.read_text(encoding="utf-8") for p in (root / "tasks").glob("*.yaml"))
