"""Defects of the hostile-ledger audit H (2026-12-05), each pinned on real files.

A ledger (its templates/ too) is untrusted: nothing in it reaches a terminal, a CI
log, a spreadsheet or a web page as active content, and luoshi reads back exactly
what it wrote.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.dom import minidom

import pytest

from conftest import Run, edit

Cli = Callable[..., Run]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# ---- item 3: a template's meta refresh, however it is spelled ------------------------

REFRESHES = [
    '<meta http-equiv="&#x72;efresh" content="0;url={url}">',
    '<meta http-equiv="&#114;efresh" content="0;url={url}">',
    "<meta http-equiv=&#X52;EFRESH content=0;url={url}>",
    '<meta http-equiv = "Refresh" content="0;url={url}">',
    '<meta content="0;url={url}" HTTP-EQUIV="re&#x66;resh">',
    '<title><meta a="</title><meta http-equiv=refresh content=0;url={url}>',
]


def _page(head: str) -> str:
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">" + head
            + "<title>x</title></head>\n<body><p>HELLO-TEMPLATE</p></body></html>\n")


@pytest.mark.parametrize("meta", REFRESHES)
def test_template_meta_refresh_is_inert_however_spelled(cli: Cli, example: Path,
                                                        tmp_path: Path, meta: str) -> None:
    """`http-equiv="&#x72;efresh"` got past the neutraliser (it matched the raw text):
    the HTML bulletin navigated to file:///… when opened.  Every http-equiv whose
    value, character references decoded, is not a harmless keyword is renamed."""
    (example / "templates").mkdir()
    (example / "templates/bulletin.html.j2").write_text(
        _page(meta.format(url="file:///etc/passwd")), encoding="utf-8")
    out = tmp_path / "b.html"
    r = cli("bulletin", example, "--quarter", "Q2", "-f", "html", "-o", out)
    assert r.exit_code == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert "data-inert-http-equiv" in html.lower()
    # the only http-equiv left is luoshi's own policy
    left = html.lower().replace("data-inert-http-equiv", "").count("http-equiv")
    assert left == 1, html


def test_template_keeps_harmless_http_equiv(cli: Cli, example: Path, tmp_path: Path) -> None:
    (example / "templates").mkdir()
    meta = '<meta http-equiv="&#99;ontent-type" content="text/html; charset=utf-8">'
    (example / "templates/bulletin.html.j2").write_text(_page(meta), encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2", "-f", "html")
    assert r.exit_code == 0, r.stderr
    assert meta in r.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_refresh_template_does_not_navigate_in_a_browser(cli: Cli, example: Path,
                                                         tmp_path: Path) -> None:
    """The audit's own check: Chromium opening the written bulletin stays on it."""
    secret = tmp_path / "outside" / "secret.html"
    secret.parent.mkdir()
    secret.write_text("<html><body><h1>OUTSIDE-SECRET-HTML</h1></body></html>",
                      encoding="utf-8")
    (example / "templates").mkdir()
    (example / "templates/bulletin.html.j2").write_text(
        _page(REFRESHES[0].format(url=secret.as_uri())), encoding="utf-8")
    out = tmp_path / "b.html"
    assert cli("bulletin", example, "--quarter", "Q2", "-f", "html", "-o", out).exit_code == 0
    dom = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000",
         "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "HELLO-TEMPLATE" in dom
    assert "OUTSIDE-SECRET-HTML" not in dom
    pdf = tmp_path / "b.pdf"  # it failed: Chromium printed nothing, having navigated
    r = cli("bulletin", example, "--quarter", "Q2", "-f", "pdf", "-o", pdf)
    assert r.exit_code == 0, r.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_supervise_html_template_refresh_is_inert(cli: Cli, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates/supervise.html.j2").write_text(
        _page(REFRESHES[0].format(url="http://127.0.0.1:9/x")), encoding="utf-8")
    r = cli("supervise", example, "--as-of", "2021-06-30", "--unit", "chongyelu", "-f", "html")
    assert r.exit_code == 0, r.stderr
    assert '<meta data-inert-http-equiv="&#x72;efresh" content="0;url=http://127.0.0.1:9/x">' \
        in r.stdout


# ---- item 5: a template's own text on stdout and in the CI log ------------------------

HOSTILE_MD = ("# T\n::error file=luoshi.yaml::forged by template\n"
              "\x1b[31mRED\x1b[0m \u202e reversed\n  \u3000::warning::x\n"
              "a ##[error]b ##vso[task.complete]\tok\n")
INERT_MD = ("# T\n\\x3a:error file=luoshi.yaml::forged by template\n"
            "\\x1b[31mRED\\x1b[0m \\u202e reversed\n  \u3000\\x3a:warning::x\n"
            "a \\x23#[error]b \\x23#vso[task.complete]\tok\n")


def test_markdown_template_text_is_inert_on_stdout_and_in_files(cli: Cli, example: Path,
                                                                tmp_path: Path) -> None:
    """Only the values were escaped: a ledger's template printed ESC, a bidi override
    and `::error` lines raw, which a CI job rendering the bulletin obeys."""
    (example / "templates").mkdir()
    (example / "templates/bulletin.md.j2").write_text(HOSTILE_MD, encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2")
    assert (r.exit_code, r.stdout) == (0, INERT_MD)
    out = tmp_path / "b.md"
    assert cli("bulletin", example, "--quarter", "Q2", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8") == INERT_MD


def test_supervise_template_text_is_inert(cli: Cli, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates/supervise.md.j2").write_text(HOSTILE_MD, encoding="utf-8")
    r = cli("supervise", example, "--as-of", "2021-06-30", "--unit", "chongyelu")
    assert (r.exit_code, r.stdout) == (0, INERT_MD)


def test_html_template_text_is_inert_on_stdout(cli: Cli, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates/bulletin.html.j2").write_text(
        _page("") + "\x1b]8;;http://x\x07link\n::error::x\n", encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2", "-f", "html")
    assert r.exit_code == 0
    assert r.stdout.endswith("\\x1b]8;;http://x\\x07link\n\\x3a:error::x\n")


# ---- item 11: github format, a bidi override in a file name ---------------------------

def test_github_format_escapes_bidi_in_the_file_property(cli: Cli, example: Path) -> None:
    (example / "tasks" / "b\u202eevil.yaml").write_text("- id: X-2\n  title: t\n",
                                                        encoding="utf-8")
    r = cli("validate", example, "--as-of", "2021-06-30", "-f", "github", "--lang", "en",
            "--select", "LS101,LS102,LS103,LS104,LS105")
    lines = [ln for ln in r.stdout.splitlines() if "evil" in ln]
    assert lines and all("\u202e" not in ln for ln in lines)
    assert lines[0].startswith("::error file=tasks/b\\u202eevil.yaml,line=1,col=3,")


# ---- item 13: full-width and blank-led formula signs in CSV ---------------------------

@pytest.mark.parametrize("title", ["－1+1", "＠SUM(1)", "＝HYPERLINK(\"http://x\")", "＋1",
                                   " =1+1", "\u3000=1+1", "\u3000＝1", "  -1"])
def test_csv_quotes_full_width_and_blank_led_formulas(cli: Cli, example: Path,
                                                      title: str) -> None:
    quoted = title.replace("\u3000", "\\u3000").replace('"', '\\"')
    edit(example / "tasks/city.yaml", "title: 背街小巷综合整治", f'title: "{quoted}"')
    r = cli("status", example, "--as-of", "2021-06-30", "-f", "csv")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert [c for row in rows for c in row if title in c] == ["'" + title], rows[:3]


def test_formula_guard_round_trips() -> None:
    from luoshi_cli.core.safetext import formula_guard, unquote

    for text in ["－1", " =1", "\u3000＠x", "' =1", "'＝", "a=1", " x", "'x", "", "''－"]:
        assert unquote(formula_guard(text)) == text
    assert formula_guard(" x") == " x"
    assert formula_guard("' =1") == "'' =1"


def test_per_unit_workbook_quotes_full_width_formula_and_reads_it_back(
        cli: Cli, example: Path, tmp_path: Path) -> None:
    edit(example / "tasks/city.yaml", "title: 背街小巷综合整治", "title: ＝HYPERLINK(1)")
    assert cli("export", example, "--per-unit", "-o", tmp_path / "pu",
               "--as-of", "2021-07-31").exit_code == 0
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "pu/崇业路街道.xlsx")["本月填报"]
    assert "'＝HYPERLINK(1)" in [c.value for row in ws.iter_rows() for c in row]
    r = cli("import", "updates", tmp_path / "pu/崇业路街道.xlsx", "--ledger", example,
            "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "拒绝单元格 0 个" in r.stderr


# ---- items 4 and 12: per-unit workbooks hold what XML and Excel can read --------------

TITLE = "a\ufffeb\uffff_x003D_HYPERLINK_x000D_ok"
NOTE = "note_x0041_\ufffe end"


def _sheet_xml(book: Path) -> str:
    with zipfile.ZipFile(book) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_per_unit_workbook_is_valid_xml_and_round_trips(cli: Cli, example: Path,
                                                        tmp_path: Path) -> None:
    """U+FFFE/U+FFFF made the sheet XML invalid (luoshi refused its own sheet), and a
    literal `_x003D_` was written raw, which Excel shows as `=`.  The non-characters
    are escaped visibly, `_xHHHH_` as XlsxWriter escapes it, and the untouched sheet
    imports with nothing changed and nothing refused."""
    edit(example / "tasks/city.yaml", "title: 背街小巷综合整治",
         'title: "a\\uFFFEb\\uFFFF_x003D_HYPERLINK_x000D_ok"')
    edit(example / "tasks/city.yaml",
         '{month: "2021-06", progress: 55, note: 完成整治21条}',
         '{month: "2021-06", progress: 55, note: 完成整治21条}\n'
         '    - {month: "2021-07", progress: 60, note: "note_x0041_\\uFFFE end"}')
    edit(example / "tasks/city.yaml", "  progress: 55\n", "  progress: 60\n")
    out = tmp_path / "pu"
    assert cli("export", example, "--per-unit", "-o", out, "--as-of", "2021-07-31"
               ).exit_code == 0
    xml = _sheet_xml(out / "崇业路街道.xlsx")
    minidom.parseString(xml)  # well-formed
    assert "<t>a\\ufffeb\\uffff_x005F_x003D_HYPERLINK_x005F_x000D_ok</t>" in xml
    assert "<t>note_x005F_x0041_\\ufffe end</t>" in xml
    before = (example / "tasks/city.yaml").read_bytes()
    r = cli("import", "updates", out / "崇业路街道.xlsx", "--ledger", example)
    assert r.exit_code == 0, r.stderr
    assert "拒绝单元格 0 个" in r.stderr
    assert "WN-009" not in r.stderr  # the title and the note read back as sent
    assert (example / "tasks/city.yaml").read_bytes() == before


def test_full_export_shared_strings_are_not_decoded_twice(cli: Cli, example: Path,
                                                          tmp_path: Path) -> None:
    """Shared strings (XlsxWriter's, and Excel's after a unit saves a sheet): openpyxl
    already reads `_x005F_x003D_` as `_x003D_`; only inline strings are decoded, so
    the title is not read back as `=HYPERLINK⏎ok` and refused as changed."""
    edit(example / "tasks/city.yaml", "title: 背街小巷综合整治",
         'title: "_x003D_HYPERLINK_x000D_ok"')
    book = tmp_path / "all.xlsx"
    assert cli("export", example, "-o", book, "--as-of", "2021-07-31").exit_code == 0
    with zipfile.ZipFile(book) as z:
        assert "_x005F_x003D_HYPERLINK_x005F_x000D_ok" in z.read(
            "xl/sharedStrings.xml").decode("utf-8")
    r = cli("import", "updates", book, "--ledger", example, "--month", "2021-07",
            "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "未变 20 个，拒绝单元格 0 个" in r.stderr


def test_ooxml_escapes_are_inverse() -> None:
    from luoshi_cli.core.safetext import ooxml_escape, ooxml_unescape, xlsx_text

    # overlapping escapes share an underscore (`_x0041_x0042_`): each is escaped
    # (review: only the first was, and the text read back `_x0041B`)
    for text in ["_x003D_", "a_x005F_b", "_x00_", "_xD800_", "plain", "_X0041_",
                 "_x0041_x0042_", "_x005F_x000D_", "题_x005F_x000D_"]:
        assert ooxml_unescape(ooxml_escape(text)) == text
    assert ooxml_unescape("_x000D__xD800_") == "\r_xD800_"
    assert xlsx_text("a\ud800\ufffe") == "a\\ud800\\ufffe"


# ---- item 7: a cell budget before openpyxl loads anything -----------------------------

def test_dense_workbook_over_the_cell_budget_is_refused(cli: Cli, example: Path,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """100,000 rows × 20 cells (3.8 MB) cost 1.9 GB and 50 s CPU: the guard counts
    the cells of every sheet while it streams the XML and refuses the workbook past
    `MAX_CELLS` with one line, before openpyxl loads it."""
    import openpyxl

    from luoshi_cli.excel import guard

    assert guard.MAX_CELLS == 1_000_000
    monkeypatch.setattr(guard, "MAX_CELLS", 300)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "得分"])
    for i in range(120):
        ws.append(["崇业路街道", i])
    ws2 = wb.create_sheet("Sheet2")
    for i in range(100):
        ws2.append([i])
    book = tmp_path / "big.xlsx"
    wb.save(book)
    r = cli("import", "scores", book, example, "--period", "2021-Q3", "--dry-run")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {book} 过大，拒绝导入：各工作表共有超过 300 个单元格（上限 300 个）：请拆分后分别导入\n"))
    r = cli("import", "tasks", book, example, "-o", tmp_path / "t.yaml", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {book} is too large to import: its sheets hold more than 300 cells "
        "(limit 300): split it and import the parts\n"))


# ---- item 8: long unit names, and the per-unit set all or nothing ---------------------

def _rename_unit(example: Path, name: str) -> None:
    edit(example / "units.yaml", "name: 崇业路街道", f"name: {name}")


def test_per_unit_file_names_fit_the_file_system(cli: Cli, example: Path,
                                                 tmp_path: Path) -> None:
    """A unit name of 79+ Chinese characters: "File name too long" after part of the
    set was written.  Names are cut by UTF-8 bytes, leaving room for the temporary
    name the file is first written under."""
    _rename_unit(example, "长" * 100)
    out = tmp_path / "pu"
    r = cli("export", example, "--per-unit", "-o", out, "--as-of", "2021-07-31")
    assert r.exit_code == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 13
    assert "长" * 78 + ".xlsx" in names
    assert max(len(n.encode()) for n in names) <= 255 - 14


def test_per_unit_set_is_written_whole_or_not_at_all(cli: Cli, example: Path,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "pu"
    (out / "龙背街道.xlsx").mkdir(parents=True)  # cannot be replaced by a file
    r = cli("export", example, "--per-unit", "-o", out, "--as-of", "2021-07-31", "--force")
    assert r.exit_code == 2
    assert r.stderr == f"luoshi: {out / '龙背街道.xlsx'} 是目录：请给出文件名\n"
    assert [p.name for p in out.iterdir()] == ["龙背街道.xlsx"]


def test_formula_without_value_is_found_by_the_guard_in_sheet_order(cli: Cli, example: Path,
                                                                    tmp_path: Path) -> None:
    """The workbook is loaded once (values only): the guard's scan names the first
    formula without a saved value, sheets in the workbook's order, as the second
    load with formulas did."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "首表"
    wb.active["A1"] = "单位"
    wb.active["B3"] = "=1+1"
    later = wb.create_sheet("次表")
    later["C2"] = "=2+2"
    wb.move_sheet("次表", offset=-1)  # 次表 first in the workbook
    book = tmp_path / "f.xlsx"
    wb.save(book)
    r = cli("import", "scores", book, example, "--period", "2021-Q3", "--dry-run")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {book} 次表!C2：公式没有保存的值：请在 Excel/WPS 中打开并保存该文件后再导入\n"))
