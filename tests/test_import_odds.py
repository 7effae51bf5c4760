"""The small things of the import audit: each was harmless alone, and each said the wrong
thing or nothing — `import tasks --force` dropped the file's comments without a note; an
.xlsx named .xls was read as an old .xls; `--map header_row: 99999999999999999999` gave
three problems instead of one line; a bidi override from a cell reached the YAML raw
(U+2028 and NEL were escaped); a per-unit sheet saved as CSV was refused as "hidden cells
edited"."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl

from conftest import BEILIN
from test_excel_import import ledger  # noqa: F401  (fixture)


def _book(path: Path, title: str = "推进") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务表"
    ws.append(["编号", "任务名称", "牵头单位", "包抓领导", "完成时限"])
    ws.append(["T-1", title, "区发改委", "张某某", "2024-12-31"])
    wb.save(path)
    return path


def test_force_names_the_comments_it_does_not_keep(cli: Any, ledger: Path,  # noqa: F811
                                                   tmp_path: Path) -> None:
    """`--force` writes the file anew from the sheet: a comment line and a comment after
    a value are named by their lines (import scores says when it rewrites; this said
    nothing).  A `#` inside a quoted value is no comment."""
    book = _book(tmp_path / "t.xlsx")
    out = ledger / "tasks" / "t.yaml"
    r = cli("import", "tasks", book, ledger, "--category", "econ", "-o", out, "--as-of",
            "2024-05-31")
    assert r.exit_code == 0, r.stderr
    text = out.read_text(encoding="utf-8").replace(
        "- id: T-1\n", "# 由督查室维护\n- id: T-1  # 第一项\n", 1).replace(
        "  title: 推进\n", "  title: '推进 #1'\n", 1)
    out.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    first = lines.index("# 由督查室维护") + 1
    r = cli("import", "tasks", book, ledger, "--category", "econ", "-o", out, "--force",
            "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert (f"说明：--force 覆盖导入：文件按表重写，其中的这些注释没有保留 "
            f"[tasks/t.yaml:{first}, tasks/t.yaml:{first + 1}]") in r.stderr.splitlines()


def test_an_xlsx_named_xls_is_read_as_what_it_is(cli: Any, ledger: Path,  # noqa: F811
                                                 tmp_path: Path) -> None:
    """A zip is an .xlsx whatever its name: it was handed to the .xls reader ("not a
    valid .xls file")."""
    book = _book(tmp_path / "t.xlsx").rename(tmp_path / "t.xls")
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert "title: 推进" in (ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8")


def test_a_header_row_past_any_sheet_is_one_line(cli: Any, ledger: Path,  # noqa: F811
                                                 tmp_path: Path) -> None:
    book = _book(tmp_path / "t.xlsx")
    (tmp_path / "map.yaml").write_text("header_row: 99999999999999999999\n", encoding="utf-8")
    r = cli("import", "tasks", book, ledger, "--map", tmp_path / "map.yaml", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {tmp_path / 'map.yaml'}: header_row must be a row number (1, 2, 3, …, at "
        "most 100000)\n"))


def test_a_bidi_override_from_a_cell_is_escaped_in_the_yaml(cli: Any, ledger: Path,  # noqa: F811
                                                            tmp_path: Path) -> None:
    """As U+2028 and NEL are: the file shows the text in the order it is stored, and every
    reader reads the escape back as the character."""
    from luoshi_cli.load.assemble import open_ledger

    book = _book(tmp_path / "t.xlsx", "推进\u202eevil\u2066x")
    r = cli("import", "tasks", book, ledger, "--category", "econ", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    text = (ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8")
    assert '  title: "推进\\u202eevil\\u2066x"\n' in text
    assert "\u202e" not in text
    assert [t.title for t in open_ledger(ledger).ledger.tasks] == ["推进\u202eevil\u2066x"]


def test_a_per_unit_sheet_saved_as_csv_is_read(cli: Any, tmp_path: Path) -> None:
    """Excel's "save as CSV" keeps the hidden columns as text: the milestone's number
    ("1") read as none broke the seal (`隐藏单元格…被修改`), and a due date written
    2024/07/25 was a change to a locked cell.  Read as the sheet it was."""
    import csv

    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    out = tmp_path / "out"
    assert cli("export", root, "--per-unit", "-o", out, "--as-of", "2024-06-30", "--month",
               "2024-06").exit_code == 0
    ws = openpyxl.load_workbook(out / "区发改委.xlsx")["本月填报"]
    ws["K3"] = 45
    book = tmp_path / "区发改委.csv"
    with book.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        for row in ws.iter_rows(values_only=True):
            writer.writerow(["" if v is None else v.strftime("%Y/%m/%d")
                             if hasattr(v, "strftime") else v for v in row])
    r = cli("import", "updates", book, "--ledger", root, "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == ["  区发改委.csv（2024-06）：填报单位 fgw（区发改委），更新任务 1 个",
                                     "单位 1 个，更新任务 1 个，未变 2 个，拒绝单元格 0 个"]
    assert '    - {month: "2024-06", progress: 45}\n' in (
        root / "tasks" / "brk-1.yaml").read_text(encoding="utf-8")
