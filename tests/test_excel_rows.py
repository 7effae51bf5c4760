"""Issue 17, `export`: the task, summary and score sheets' rows are written in bulk
(`excel.rows.RowSheet`) — the very bytes XlsxWriter writes cell by cell, on every case
ledger, the examples, a generated ledger and hostile text."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import BEILIN, EXAMPLE
from luoshi_cli import api
from luoshi_cli.excel.export import BACKGROUND_WORK, build, to_bytes
from luoshi_cli.excel.rows import RowSheet

CASES = Path(__file__).parent / "cases" / "valid"
REPO = Path(__file__).resolve().parent.parent


def _both(root: Path, day: date, lang: str = "zh") -> tuple[bytes, bytes, list[str]]:
    """The workbook's bytes written in bulk and cell by cell, and the bulk one's notes."""
    led = api.open_ledger(root).ledger
    bulk = build(led, day, lang)
    assert any(isinstance(ws, RowSheet) for ws in bulk.workbook.worksheets())
    plain = build(led, day, lang, bulk=False)
    assert not any(isinstance(ws, RowSheet) for ws in plain.workbook.worksheets())
    assert bulk.notes == plain.notes and bulk.sheets == plain.sheets
    return to_bytes(bulk.workbook, day), to_bytes(plain.workbook, day), [n.en for n in bulk.notes]


@pytest.mark.parametrize(("root", "day"), [
    (EXAMPLE, date(2021, 6, 30)), (EXAMPLE, date(2021, 12, 31)), (BEILIN, date(2024, 4, 30)),
    (REPO / "ledgers" / "beilin-2024-kaohe", date(2024, 12, 31)),
    *((case / "ledger", date(2024, 5, 31)) for case in sorted(CASES.iterdir())
      if (case / "ledger").is_dir())])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bulk_rows_are_the_cell_by_cell_bytes(root: Path, day: date, lang: str) -> None:
    bulk, plain, _ = _both(root, day, lang)
    assert bulk == plain


def test_a_generated_ledger_and_hostile_text(tmp_path: Path) -> None:
    """Many rows (spans over blocks of 16 rows, wrapped rows with their heights, several
    units per task), text a spreadsheet would run, control characters, a text longer
    than a cell (cut, and named in the note) and a character above U+FFFF; the scores
    of as many units as the bulk build works out on the other core."""
    spec = importlib.util.spec_from_file_location("bench_gen", REPO / "bench" / "gen.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    root = gen.generate(tmp_path / "gen", 400, files=7, units_total=BACKGROUND_WORK + 100)
    # enough units that the bulk build scores them on the other core (forked)
    assert len(api.open_ledger(root).ledger.units) >= BACKGROUND_WORK
    bulk, plain, notes = _both(root, date(2024, 4, 10))
    assert bulk == plain

    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLE, copy)
    f = sorted((copy / "tasks").glob("*.yaml"))[0]
    text = f.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip().startswith("standard:")]
    for line, value in zip(lines, ['"=HYPERLINK(\\"http://x\\")"', '"a\\u0007b\\ttab"',
                                   "𝌆" + "长" * 40000], strict=False):
        indent = line[: len(line) - len(line.lstrip())]
        text = text.replace(line, f"{indent}standard: {value}", 1)
    f.write_text(text, encoding="utf-8")
    bulk, plain, notes = _both(copy, date(2021, 6, 30))
    assert bulk == plain
    # the cut cell, then what the workbook has no column for (the example's flags)
    assert len(notes) == 2 and "任务明细!" in notes[0]
    assert notes[1] == ("not exported (the workbook has no column for them, so import tasks "
                        "does not read them back; a --force re-import over the tasks' own "
                        "file keeps the file's): flags (2 tasks), monthly reports the sheet "
                        "does not show (19 tasks), locked (1 task), milestone adjustments "
                        "(1 task)")
    out = tmp_path / "book.xlsx"
    out.write_bytes(bulk)
    d = openpyxl.load_workbook(out)["任务明细"]
    values = [c.value for row in d.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://x\")" in values
    cut = [v for v in values if v.startswith("𝌆长")]
    assert [len(v.encode("utf-16-le")) // 2 for v in cut] == [32767]


def _sheet_bytes(bulk: bool, rows: list[tuple[int, list[object], list[str | None]]]) -> bytes:
    """A workbook of one sheet: a title row written the ordinary way, then `rows`
    (row, values, format names) through `put_row`, in bulk or cell by cell."""
    import io

    import xlsxwriter

    from luoshi_cli.excel.rows import put_row

    raw = io.BytesIO()
    wb = xlsxwriter.Workbook(raw, {"in_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": datetime(2024, 1, 1)})
    looks = {"a": wb.add_format({"bold": True}), "b": wb.add_format({"num_format": "0.00"}),
             "d": wb.add_format({"num_format": "yyyy-mm-dd"}), None: None}
    ws = wb.add_worksheet("s", worksheet_class=RowSheet if bulk else None)
    ws.write_string(0, 1, "title", looks["a"])
    cut: list[list[int]] = []
    for row, values, names in rows:
        cut.append(put_row(ws, row, values, [looks[n] for n in names],
                           {2: 15, 3: 30, 40: 409}.get(row)))
    ws.set_row(17, 20)  # a row's height set after its cells
    ws.write_string(50, 0, "after", looks["b"])
    wb.close()
    assert cut == [[], [], [], [], [1], []]
    return raw.getvalue()


def test_put_row_is_write_by_write() -> None:
    """Every kind of value `_put` writes — text (repeated, formula-like, with control
    characters, too long), numbers (int, float, Decimal; equal ones, and those a
    boolean equals), booleans, dates and times,
    blanks with and without a format (no cell) — in rows with gaps, row heights,
    rows of different lengths and ordinary rows around them: the same bytes."""
    from decimal import Decimal

    rows: list[tuple[int, list[object], list[str | None]]] = [
        (2, ["a", "=1+1", None, 3, 2.5, Decimal("1.50"), True, date(2024, 5, 1)],
         ["a", "a", None, "b", "b", "b", "a", "d"]),
        (3, [None, "a", "a\x07b", False, datetime(2024, 5, 1, 12, 30), None, Decimal(7)],
         ["a", None, "b", "a", "d", "b", "b"]),
        (17, ["a", 1, True, Decimal("1.0"), 0, False, 2, Decimal("2.00"), 2.0], ["b"] * 9),
        (18, [True, 1, False, 0.0, Decimal("0.5"), 0.5, 7, 7], ["b"] * 8),
        (40, ["x", "长" * 40000, None], ["a", "a", "a"]),
        (41, [None, None], [None, None]),
    ]
    assert _sheet_bytes(True, rows) == _sheet_bytes(False, rows)
