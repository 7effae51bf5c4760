"""Importing an unedited export changes nothing (README), also where a cell could not
hold the ledger's text as it is: a text longer than a cell holds (32,767 characters)
is cut, control characters and U+FFFE are escaped visibly, a CR went out raw and came
back a line feed.  The import audit found each of these written back over the ledger
by an import of the untouched workbook: "更新任务 1 个", the note cut to 32,767
characters, `\\x07` written into it as text."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import BEILIN

AS_OF = "2024-06-30"
#: the most UTF-16 units a cell holds
STR_MAX = 32767
BRK1 = "tasks/brk-1.yaml"
#: 40,001 characters: 40,000 of 长 and a tail the cut drops
LONG = "长" * 40000 + "尾"
#: BEL, ESC, CR and U+FFFE: the YAML escapes of what a cell cannot hold as it is
CONTROL = "a\x07b\x1bc\rd\ufffee"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """Beilin with BRK1-01's June report: the long note, and the control characters in
    its 存在问题."""
    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    p = root / BRK1
    text = p.read_text(encoding="utf-8")
    old = '    - {month: "2024-05", progress: 38, note: 重点企业产值、营收监测正常}\n'
    assert old in text
    june = ('    - {month: "2024-06", progress: 38, note: "' + LONG + '", problems: '
            '"a\\x07b\\ec\\rd\\ufffee"}\n')
    p.write_text(text.replace(old, old + june, 1), encoding="utf-8")
    return root


def _june(ledger: Path) -> dict[str, Any]:
    tasks = yaml.safe_load((ledger / BRK1).read_text(encoding="utf-8"))
    return next(u for u in tasks[0]["updates"] if u["month"] == "2024-06")  # type: ignore[no-any-return]


def test_the_forms_a_sent_cell_comes_back_in() -> None:
    """The hand computation: `xlsx_text` escapes BEL as `\\x07`, ESC as `\\x1b` and
    U+FFFE as `\\ufffe` and keeps the CR; a per-unit sheet of before gave the CR back
    as a line feed.  A 40,001-character text is cut to 32,767 UTF-16 units; formula-
    like text gets a quote, taken off again on import."""
    from luoshi_cli.excel.sent import returned, sent_forms

    assert returned("a\\x07b\\x1bc\rd\\ufffee", CONTROL)
    assert returned("a\\x07b\\x1bc\nd\\ufffee", CONTROL)
    assert not returned("a\\x07b\\x1bc\nd\\ufffe", CONTROL)
    assert returned("长" * STR_MAX, LONG)
    assert not returned("长" * (STR_MAX - 1), LONG)
    assert returned("=1+1", "=1+1") and "'=1+1" in sent_forms("=1+1")
    # after the month a full sheet's 最新进展 starts with: the cut counts it
    assert returned("长" * (STR_MAX - len("2024-06：")), LONG, "2024-06：")
    # a character above U+FFFF is two UTF-16 units: 16,383 of them fill a cell
    assert returned("𠀀" * 16383, "𠀀" * 20000)


def test_an_untouched_per_unit_sheet_changes_nothing(cli: Any, ledger: Path,
                                                     tmp_path: Path) -> None:
    """The per-unit workbooks of the lead (区发改委) and the responsible unit (区统计局)
    go out with the June report, cut and escaped; the export names the cut cells
    (it cut them without a word).  Imported back untouched, nothing is written."""
    before = (ledger / BRK1).read_text(encoding="utf-8")
    out = tmp_path / "out"
    r = cli("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF, "--month", "2024-06")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "luoshi: 单元格最多容纳 32767 个字符，以下单元格的文字被截断（台账中的原文不变，原样交回的表导入时也不改动它）："
        "区发改委.xlsx 本月填报!L3、区统计局.xlsx 本月填报!L4",
        f"已写入 31 个单位 2024-06 的填报表到 {out}"]
    ws = openpyxl.load_workbook(out / "区发改委.xlsx")["本月填报"]
    assert len(ws["L3"].value) == STR_MAX and ws["L3"].value == "长" * STR_MAX
    # the CR is written as Excel writes it (`_x000D_`: openpyxl leaves an inline
    # string's escapes as written; Excel and luoshi read a CR)
    assert ws["M3"].value == "a\\x07b\\x1bc_x000D_d\\ufffee"
    r = cli("import", "updates", out / "区发改委.xlsx", out / "区统计局.xlsx", "--ledger", ledger,
            "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1] == "单位 2 个，更新任务 0 个，未变 5 个，拒绝单元格 0 个"
    assert (ledger / BRK1).read_text(encoding="utf-8") == before
    assert _june(ledger) == {"month": "2024-06", "progress": 38, "note": LONG,
                             "problems": CONTROL}


def test_a_per_unit_sheet_of_before_gives_the_cr_back_as_a_line_feed(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    """A sheet sent before the CR was escaped held it raw, and came back as a line
    feed: still the ledger's text as sent, nothing written."""
    before = (ledger / BRK1).read_text(encoding="utf-8")
    out = tmp_path / "out"
    assert cli("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF).exit_code == 0
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    ws["M3"].value = "a\\x07b\\x1bc\nd\\ufffee"
    wb.properties.creator = "luoshi"
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1] == "单位 1 个，更新任务 0 个，未变 3 个，拒绝单元格 0 个"
    assert (ledger / BRK1).read_text(encoding="utf-8") == before


def test_a_unit_that_edits_the_cut_note_reports_its_text(cli: Any, ledger: Path,
                                                         tmp_path: Path) -> None:
    """What a unit changed is its report, as before: only the cell as sent is kept."""
    out = tmp_path / "out"
    assert cli("export", ledger, "--per-unit", "-o", out, "--as-of", AS_OF).exit_code == 0
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["本月填报"]["L3"].value = "改写"
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", ledger, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1] == "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"
    assert _june(ledger)["note"] == "改写"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_untouched_full_export_changes_nothing(cli: Any, ledger: Path, tmp_path: Path,
                                                  lang: str) -> None:
    """`export` announced "台账中的原文不变", and `import updates full.xlsx --month 2024-06`
    of the untouched workbook cut the note to what the 最新进展 cell held
    ("2024-06：" and 32,759 characters)."""
    before = (ledger / BRK1).read_text(encoding="utf-8")
    book = tmp_path / "full.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", AS_OF, "--lang", lang)
    assert r.exit_code == 0, r.stderr
    r = cli("import", "updates", book, "--ledger", ledger, "--month", "2024-06",
            "--as-of", AS_OF, "--lang", "zh")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1].startswith("单位 0 个，更新任务 0 个")
    assert (ledger / BRK1).read_text(encoding="utf-8") == before


def test_import_tasks_over_its_file_keeps_the_text_an_export_cut(cli: Any, ledger: Path,
                                                                  tmp_path: Path) -> None:
    """`import tasks export.xlsx -o tasks/brk-1.yaml --force` of the unedited export:
    the task's note (情况说明) of 33,001 characters was cut to 32,767 and written over
    the file's.  The file's text is kept where the sheet holds it as sent; into a new
    file the cut text is imported and its cell named (the ledger's text is longer)."""
    for f in (ledger / "tasks").glob("*.yaml"):
        if f.name != "brk-1.yaml":
            f.unlink()
    note = "注" * 33000 + "尾"
    p = ledger / BRK1
    p.write_text(p.read_text(encoding="utf-8").replace(
        "  progress: 38\n", f"  progress: 38\n  note: {note}\n", 1), encoding="utf-8")
    book = tmp_path / "full.xlsx"
    r = cli("export", ledger, "-o", book, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(book)
    cut = sorted(c.coordinate for row in wb["任务明细"].iter_rows() for c in row
                 if isinstance(c.value, str) and len(c.value) >= STR_MAX - 8)
    assert len(cut) == 2  # the 情况说明 and the 最新进展 of BRK1-01
    r = cli("import", "tasks", book, ledger, "-o", p, "--force", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert "32767" not in r.stderr
    task = yaml.safe_load(p.read_text(encoding="utf-8"))[0]
    assert task["note"] == note
    assert next(u for u in task["updates"] if u["month"] == "2024-06")["note"] == LONG
    assert task["updates"][-1]["problems"] == CONTROL
    # into a new file: imported as the sheet has it, and said
    fresh = tmp_path / "fresh"
    shutil.copytree(ledger, fresh)
    (fresh / BRK1).unlink()
    r = cli("import", "tasks", book, fresh, "-o", fresh / "tasks" / "x.yaml", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert (f"说明：这些单元格的文字达到单元格的上限（32767 个字符），可能是导出时截断的（台账中的原文更长）："
            f"已按表中的文字导入，请与原文核对 [任务明细!{cut[0]}, 任务明细!{cut[1]}]"
            ) in r.stderr.splitlines()
