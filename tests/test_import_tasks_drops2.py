"""`luoshi import tasks` drops nothing a workbook says without a word (second audit): a
cell's hyperlink and a remark in brackets beside a status or a category are named at
their cell — each case a real workbook, the exact message and YAML."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import REPO
from test_excel_import import CONFIG, UNITS

AS_OF = "2024-06-30"
#: `luoshi init --example beilin`: one tasks file, tasks/key.yaml
KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"
HEAD = ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "完成标准", "进度"]


@pytest.fixture
def ledger(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS})


def _book(path: Path, head: list[str], rows: list[list[Any]],
          links: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "清单"
    ws.append(head)
    for row in rows:
        ws.append(row)
    for ref, target in (links or {}).items():
        ws[ref].hyperlink = target
    wb.save(path)
    return path


def _import(cli: Any, ledger: Path, sheet: Path, lang: str = "zh") -> Any:
    return cli("--lang", lang, "import", "tasks", sheet, ledger, "--category", "econ",
               "--as-of", AS_OF, "--start", "2024-01-01",
               "-o", ledger / "tasks" / f"imp-{lang}.yaml")


def _notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("说明", "note"))]


def _yaml(path: Path) -> str:
    """The tasks file without its two comment lines (they name the workbook)."""
    return "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[3:])


# ---- hyperlinks (M6) ----------------------------------------------------------------------

CLOSED = [*HEAD, "状态", "销号日期", "销号批准", "销号依据"]
CLOSED_ROW = [1, "任务甲", "区发改委", "张某某", "2024-06-30", "标准甲", 100, "已销号",
              "2024-06-20", "张某某", "验收报告"]


def test_a_hyperlink_is_named_at_its_cell_with_its_address(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    book = _book(tmp_path / "in.xlsx", CLOSED, [CLOSED_ROW],
                 {"K2": "https://example.gov.cn/files/2024/验收报告.pdf", "B2": "#清单!A1"})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert _notes(r.stderr) == [
        "说明：超链接的地址不导入（单元格的文字已导入）：要留存的地址请写进单元格的文字 "
        "[清单!B2 #清单!A1, 清单!K2 https://example.gov.cn/files/2024/验收报告.pdf]",
        "说明：任务编号按序号生成：IMP-001 …",
        "说明：导入后 luoshi validate 会给出警告 LS213 [清单!H2]"]
    assert "evidence: 验收报告" in _yaml(ledger / "tasks" / "imp-zh.yaml")
    r = _import(cli, ledger, book, "en")
    assert _notes(r.stderr)[0] == (
        "note: a hyperlink's address is not imported (the cell's text is): write an "
        "address that belongs in the ledger into the cell's text [清单!B2 #清单!A1, "
        "清单!K2 https://example.gov.cn/files/2024/验收报告.pdf]")


def test_a_hyperlinks_address_is_printed_inert(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    book = _book(tmp_path / "in.xlsx", HEAD,
                 [[1, "任务甲", "区发改委", "张某某", "2024-06-30", "标准甲", 50]],
                 {"B2": "https://x.example/\u202efdp.exe"})
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert "\u202e" not in r.stderr
    assert [n for n in _notes(r.stderr) if "超链接" in n] == [
        "说明：超链接的地址不导入（单元格的文字已导入）：要留存的地址请写进单元格的文字 "
        "[清单!B2 https://x.example/\\u202efdp.exe]"]


# ---- a remark in brackets beside a status or a category (M2) --------------------------------

REMARKS = [["序号", "任务名称", "类别", "牵头单位", "包抓领导", "完成时限", "完成标准", "进度", "状态"],
           [1, "任务甲", "经济发展（说明）", "区发改委", "张某某", "2024-06-30", "标准甲", 50,
            "推进中（滞后）"],
           ["二、城市更新(新增)"],
           [2, "任务乙", None, "区发改委", "张某某", "2024-06-30", "标准乙", 50, "推进中"]]


def test_a_remark_beside_a_status_or_a_category_is_named_at_its_cell(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    book = _book(tmp_path / "in.xlsx", REMARKS[0], REMARKS[1:])
    r = _import(cli, ledger, book)
    assert r.exit_code == 0, r.stderr
    assert _notes(r.stderr)[0] == (
        "说明：状态、类别按括号外的文字读取，括号里的说明未导入台账：要保留的说明请写进进展情况 "
        "[清单!C2 经济发展（说明）, 清单!I2 推进中（滞后）, 清单!A3 二、城市更新(新增)]")
    text = _yaml(ledger / "tasks" / "imp-zh.yaml")
    assert "  category: econ\n" in text and "  category: city\n" in text
    assert text.count("  status: in_progress\n") == 2
    r = _import(cli, ledger, book, "en")
    assert _notes(r.stderr)[0] == (
        "note: a status or category is read without its remark in brackets, and the remark "
        "is not imported: write a remark that belongs in the ledger into the progress report "
        "(进展情况) [清单!C2 经济发展（说明）, 清单!I2 推进中（滞后）, 清单!A3 二、城市更新(新增)]")


def test_a_category_named_with_brackets_drops_nothing(
        cli: Any, write: Callable[..., Path], tmp_path: Path) -> None:
    config = CONFIG.replace("{id: econ, name: 经济发展}", "{id: econ, name: 经济发展（一）}")
    ledger = write({"luoshi.yaml": config, "units.yaml": UNITS})
    rows = [[*REMARKS[1][:2], "经济发展(一)", *REMARKS[1][3:8], "推进中"]]
    r = _import(cli, ledger, _book(tmp_path / "in.xlsx", REMARKS[0], rows))
    assert r.exit_code == 0, r.stderr
    assert not [n for n in _notes(r.stderr) if "括号" in n]
    assert "  category: econ\n" in _yaml(ledger / "tasks" / "imp-zh.yaml")


# ---- a column added twice in 任务明细 is named by 任务明细's own letters (M5) -----------------

@pytest.fixture
def beilin(cli: Any, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the 碑林 ledger and its export (as of 2024-06-30)."""
    copy = tmp_path / "bl"
    shutil.copytree(KAOHE, copy)
    book = tmp_path / "bl.xlsx"
    r = cli("export", copy, "-o", book, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    return copy, book


def test_a_second_milestone_column_in_the_details_sheet_is_named_by_its_own_letters(
        cli: Any, beilin: tuple[Path, Path]) -> None:
    copy, book = beilin
    before = (copy / "tasks" / "key.yaml").read_bytes()
    wb = openpyxl.load_workbook(book)
    details = wb["任务明细"]
    assert details["G2"].value == "节点1时限" and details["O2"].value is None
    details["O2"] = "节点1时限"
    details["O3"] = datetime(2024, 1, 15)
    edited = book.with_name("edited.xlsx")
    wb.save(edited)
    r = cli("import", "tasks", edited, copy, "-o", copy / "tasks" / "key.yaml", "--force",
            "--as-of", AS_OF)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "任务明细!O2: 有 2 列都像是“节点1时限”（G、O 列）：请用 --map 指定用哪一列",
        "luoshi: 1 个问题，未写入任何文件"]
    assert (copy / "tasks" / "key.yaml").read_bytes() == before
    r = cli("--lang", "en", "import", "tasks", edited, copy, "-o", copy / "tasks" / "key.yaml",
            "--force", "--as-of", AS_OF)
    assert r.stderr.splitlines()[0] == (
        "任务明细!O2: 2 columns look like 'Milestone 1 due' (G, O): name the one to use with --map")


# ---- a progress cell naming its month (M8) ---------------------------------------------------


def test_a_cell_of_several_months_and_a_month_not_month_s_are_named(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """进展情况 “2024-05：A\\n2024-06：B” was one May report holding both lines, and a
    row naming May imported with --month 2024-06 went into May — both without a word.
    The report is still filed under the month the cell names (the text kept whole);
    each is now named at its cell."""
    sheet = _book(tmp_path / "m.xlsx", [*HEAD, "进展情况"], [
        [1, "重点项目开工", "区发改委", "张某某", "2024-12-31", "开工10个", 50,
         "2024-05：开工3个\n2024-06：开工5个"],
        [2, "老旧小区改造", "区财政局", "张某某", "2024-12-31", "改造8个", 30, "2024-06：改造2个"]])
    r = cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", AS_OF,
            "--start", "2024-01-01", "--month", "2024-06", "-o", ledger / "tasks" / "m.yaml")
    assert r.exit_code == 0, r.stderr
    notes = _notes(r.stderr)
    assert "说明：进展情况写明的月份不是 --month 2024-06：按单元格写明的月份导入 [清单!H2 2024-05]" in notes
    assert ("说明：一个单元格里写了几个月的进展：导入为第一行所写月份的一条月报，其余月份的文字留在其中；"
            "要分月记录，请在台账中拆开 [清单!H2 2024-05 + 2024-06]") in notes
    text = (ledger / "tasks" / "m.yaml").read_text(encoding="utf-8")
    assert '{month: "2024-05", progress: 50, note: "开工3个\\n2024-06：开工5个"}' in text
    assert '{month: "2024-06", progress: 30, note: 改造2个}' in text
