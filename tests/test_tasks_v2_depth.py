"""A grandchild is drawn a level below a child (audit tasks v2, F5): the bulletin's └
is indented one ideographic space per level below the first (it was one mark for every
level), a child whose parent is not in the table stands unmarked at the top (it was
marked under nothing), and the export indents a title two characters per level (every
level below the top had 2: the depth count stopped at 1), at most 7 levels (14, under
Excel's 15)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from test_tasks_v2_unit_view import CONFIG, TASKS, UNITS, task

# P (fgw) → P.1 (zjc) → P.1.1 (cun), P → P.2 (zjc)


@pytest.fixture
def root(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": TASKS})


def _rows(text: str) -> list[str]:
    """The task cell of each row of the category tables."""
    return [line.split(" | ")[1] for line in text.splitlines()
            if line.startswith("| ") and " 任务P" in line and "%/" in line]


def test_the_bulletin_marks_each_level(root: Path, cli: Callable[..., Run]) -> None:
    run = cli("bulletin", root, "--month", "2024-05")
    assert run.exit_code == 0, run.stderr
    assert _rows(run.stdout) == ["P 任务P", "└ P.1 任务P.1", "\u3000└ P.1.1 任务P.1.1",
                                 "└ P.2 任务P.2"]
    html = cli("bulletin", root, "--month", "2024-05", "--format", "html", "--lang", "en")
    assert '<td class="c">3</td><td>\u3000└ P.1.1 任务P.1.1</td>' in html.stdout


def test_a_child_without_its_parent_in_the_table_is_not_marked(
        root: Path, cli: Callable[..., Run]) -> None:
    """zjc's notice lists P.1 and P.2, not P (fgw's): no └ under nothing."""
    run = cli("bulletin", root, "--month", "2024-05", "--unit", "zjc")
    assert run.exit_code == 0, run.stderr
    assert _rows(run.stdout) == ["P.1 任务P.1", "P.2 任务P.2"]


def test_the_docx_bulletin_marks_each_level(root: Path, cli: Callable[..., Run],
                                            tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    out = tmp_path / "b.docx"
    run = cli("bulletin", root, "--month", "2024-05", "--format", "docx", "-o", out)
    assert run.exit_code == 0, run.stderr
    cells = [row.cells[1].text for table in docx.Document(str(out)).tables
             if table.rows[0].cells[4].text == "进度/序时"  # the category tables
             for row in table.rows[1:]]
    assert cells == ["P 任务P", "└ P.1 任务P.1", "\u3000└ P.1.1 任务P.1.1", "└ P.2 任务P.2"]


def test_the_export_indents_each_level(write: Callable[..., Path], cli: Callable[..., Run],
                                       tmp_path: Path) -> None:
    import openpyxl

    chain = "".join(task(f"C{i}", "fgw", 10, 5, 50, f"C{i - 1}" if i else None)
                    for i in range(10))
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": TASKS + chain})
    out = tmp_path / "w.xlsx"
    r = cli("export", root, "-o", out, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    book = openpyxl.load_workbook(out)
    for sheet in ("任务台账", "任务明细"):
        ws = book[sheet]
        indents = {ws.cell(r, 1).value: ws.cell(r, 2).alignment.indent
                   for r in range(3, ws.max_row + 1)}
        assert indents == {
            "C0": 0, "C1": 2, "C2": 4, "C3": 6, "C4": 8, "C5": 10, "C6": 12, "C7": 14,
            "C8": 14, "C9": 14, "P": 0, "P.1": 2, "P.1.1": 4, "P.2": 2}, sheet
