"""Defects found by a sweep of every command over mutated ledgers (hostile input).

Each test is one defect the existing corpus (tests/hostile/, test_active_content.py,
test_excel_hostile.py) did not cover, pinned exactly: the exit code, the finding
(code, file, line, column) or the one-line error, and the text shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, edit

AS_OF = ("--as-of", "2021-06-30")
#: an Azure Pipelines logging command: obeyed wherever it stands on a log line
VSO = "##vso[task.setvariable variable=X]1"


def test_a_finding_never_carries_a_workflow_command(cli: Callable[..., Run],
                                                    example: Path) -> None:
    """A ledger value quoted in a finding's message (here an unknown unit code, and
    the same code named in the report-overdue warning) is a CI log line: `##vso[`
    is escaped there as in every other output, not only control characters."""
    edit(example / "tasks/city.yaml", "lead: chongyelu",
         f'lead: "chongyelu{VSO}"')
    r = cli("validate", example, *AS_OF, "--select", "LS110")
    assert r.exit_code == 1
    assert r.stdout == (
        "tasks/city.yaml:5:9: error LS110 任务 WN-009 引用了不存在的单位 "
        "chongyelu\\x23#vso[task.setvariable variable=X]1：请在 units.yaml 中添加该单位，"
        "或改正拼写\n")
    r = cli("validate", example, *AS_OF, "--select", "LS110", "-f", "github", "--lang", "en")
    assert r.stdout == (
        "::error file=tasks/city.yaml,line=5,col=9,title=LS110::tasks/city.yaml:5:9: LS110 "
        "task WN-009 names unknown "
        "unit chongyelu\\x23#vso[task.setvariable variable=X]1: add it to units.yaml or "
        "correct the spelling\n")


def _docx_text(path: Path, part: str = "word/document.xml") -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def test_docx_bulletin_with_control_characters_in_ledger_text(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """The Word bulletin writes ledger text through python-docx, not a template: an
    ESC or BEL in the issuer or a deduction reason crashed it ("internal error
    (ValueError: All strings must be XML compatible …)", exit 2), and a bidi
    override reached the document raw.  Both are escaped visibly, as in the
    Markdown and HTML bulletins; U+FFFF (no XML character either) too."""
    edit(example / "luoshi.yaml", "issuer: 渭南高新区目标任务考核领导小组办公室",
         'issuer: "渭南高新区\\e[31m考核办\\u202e\\a"')
    edit(example / "records/2021-Q2.yaml", "reason: 调研搞层层陪同、超人数陪同",
         'reason: "调研搞\\x07层层陪同\\uffff超人数陪同"')
    out = tmp_path / "b.docx"
    r = cli("bulletin", example, "-q", "Q2", "-f", "docx", "-o", out)
    assert (r.exit_code, r.stderr) == (0, f"已写入 {out}\n")
    body = _docx_text(out)
    assert ">渭南高新区\\x1b[31m考核办\\u202e\\x07</w:t>" in body
    assert ">调研搞\\x07层层陪同\\uffff超人数陪同</w:t>" in body
    assert "\u202e" not in body
    assert "<dc:creator>渭南高新区\\x1b[31m考核办\\u202e\\x07</dc:creator>" in _docx_text(
        out, "docProps/core.xml")


def test_html_bulletin_chart_labels_are_escaped(cli: Callable[..., Run],
                                                example: Path) -> None:
    """The charts are Markup built in report/charts.py, so the template's finalizer
    (which escapes every other ledger value) never saw their labels: a category or
    unit name with ESC, U+202E and a line break reached the HTML on stdout raw, and
    the text after the break began a line with `::error::x` — a workflow command in
    a CI log.  Labels are escaped as the rest of the page is."""
    edit(example / "luoshi.yaml", "name: 招商引资, ", 'name: "招商\\e[2J\\n::error::x", ')
    edit(example / "units.yaml", "name: 经济发展局, ", 'name: "经发\\u202e局\\n::warning::y", ')
    r = cli("bulletin", example, "-q", "Q2", "-f", "html")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert '<text x="172" y="68" text-anchor="end">招商\\x1b[2J\\n\\x3a:erro…</text>' in lines
    assert '<text x="172" y="116" text-anchor="end">经发\\u202e局\\n\\x3a:war…</text>' in lines
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    assert not [ln for ln in lines if ln.lstrip().startswith("::")]


def test_editor_schema_names_are_inert(cli: Callable[..., Run], example: Path) -> None:
    """`luoshi schema` lists the ledger's unit names as the enum descriptions VS Code
    shows when completing `lead:`: a U+202E there reversed the text in the
    completion list, and `schema -k tasks` printed it (and an ESC) raw to stdout."""
    import json

    edit(example / "units.yaml", "name: 经济发展局, ", 'name: "经发\\u202e局\\e[2J", ')
    r = cli("schema", "--ledger", example, "-k", "tasks")
    assert r.exit_code == 0, r.stderr
    assert "\u202e" not in r.stdout and "\x1b" not in r.stdout
    lead = json.loads(r.stdout)["definitions"]["task"]["properties"]["lead"]
    at = lead["enum"].index("jingfaju")
    assert lead["enumDescriptions"][at] == "经发\\u202e局\\x1b[2J"
    assert lead["markdownEnumDescriptions"][at] == "**经发\\\\u202e局\\\\x1b\\[2J**"


# ---- numbers too large to publish --------------------------------------------------------

V2 = Path(__file__).parent / "cases" / "valid" / "tasks-v2" / "ledger"
INTERNAL = "internal error"


def test_a_floor_or_multiplier_of_1e308_is_a_finding(cli: Callable[..., Run],
                                                     example: Path) -> None:
    """`floor: 1e308` (or `media_multiplier: 1e308`) validated clean, then score,
    bulletin, export and diff ended in "internal error (InvalidOperation)" when the
    figure was rounded.  Scheme figures have bounds now: LS109 at the value."""
    edit(example / "scheme.yaml", "floor: 0", "floor: 1e308")
    edit(example / "scheme.yaml", "media_multiplier: 2", "media_multiplier: 1e308")
    r = cli("validate", example, *AS_OF, "--select", "LS109", "--lang", "en")
    assert (r.exit_code, r.stdout) == (1, (
        "scheme.yaml:136:21: error LS109 media_multiplier: 1e+308 is outside 0–100: "
        "correct it\n"
        "scheme.yaml:137:10: error LS109 floor: 1e+308 is outside -1000–1000: correct it\n"))
    r = cli("score", example, "-q", "Q2", *AS_OF, "--lang", "en")
    assert r.exit_code == 1 and INTERNAL not in r.stderr
    assert r.stderr.splitlines()[-1] == (
        f"luoshi: the ledger has 2 errors; fix them first (see luoshi validate {example})")


def test_an_actual_of_1e300_is_a_finding(cli: Callable[..., Run], tmp_path: Path) -> None:
    """An `actual` of 1e300 against a target of 350 crashed validate itself (the
    achieved percentage could not be rounded): a target or an actual is below 10^12
    now (what the Parquet export's DECIMAL(18,6) holds), and the achieved figure is
    rounded at any size."""
    import shutil

    led = tmp_path / "led"
    shutil.copytree(V2, led)
    edit(led / "tasks/econ.yaml", '{month: "2024-05", progress: 45,',
         '{month: "2024-05", progress: 45, actual: 1e300,')
    r = cli("validate", led, "--as-of", "2024-06-30", "--select", "LS109", "--lang", "en")
    assert (r.exit_code, r.stdout) == (1, (
        "tasks/econ.yaml:21:48: error LS109 actual: 1e+300 is outside 0–999999999999.999999: "
        "write it in a larger unit (万元 or 亿元, changing the task's target unit to match): "
        "the exported tables (Parquet DECIMAL(18,6)) hold numbers below 10^12\n"))


def test_publish_rounds_a_figure_of_any_size() -> None:
    """The one rounding (also of 100 × actual / target) needed every integer digit
    within 50 significant ones: 1e308 raised InvalidOperation."""
    from decimal import Decimal

    from luoshi_cli.core.numbers import publish

    assert publish(Decimal("1e308"), 2) == Decimal(10) ** 308
    assert str(publish(Decimal("-1.5e60"), 2)) == "-15" + "0" * 59 + ".00"
    assert publish(Decimal("89.995"), 2) == Decimal("90.00")


def test_a_ten_thousand_digit_progress_in_status_json(cli: Callable[..., Run],
                                                      example: Path) -> None:
    """`progress: 999…9` (10,000 digits) is LS205; `status -f json` and the table drew
    the task's row first and crashed on it (int → str past 4300 digits)."""
    import re

    f = example / "tasks" / "city.yaml"
    f.write_text(re.sub(r"progress: \d+", "progress: " + "9" * 10000,
                        f.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    for fmt in ("json", "table", "csv"):
        r = cli("status", example, *AS_OF, "-f", fmt)
        assert (r.exit_code, r.stdout) == (1, ""), fmt
        assert INTERNAL not in r.stderr
        assert r.stderr.splitlines()[-1] == (
            f"luoshi: 台账有 1 个错误，请先修正（luoshi validate {example} 查看全部）")


def test_weekly_report_day_beyond_sunday(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`reporting: {cadence: weekly, day: 8}` validated clean (day takes 1–31 for a
    monthly rhythm); `luoshi status` then ended in "internal error (IndexError)"
    naming the eighth weekday.  A weekday is 1–7: LS109 at the value."""
    import shutil

    led = tmp_path / "led"
    shutil.copytree(V2, led)
    edit(led / "luoshi.yaml", "cadence: monthly, day: 10", "cadence: weekly, day: 8")
    r = cli("validate", led, "--as-of", "2024-06-30", "--select", "LS109")
    assert (r.exit_code, r.stdout) == (1, "luoshi.yaml:10:35: error LS109 day 的值 8 超出范围 1–7：请改正\n")
    r = cli("status", led, "--as-of", "2024-06-30")
    assert r.exit_code == 1 and INTERNAL not in r.stderr
    edit(led / "luoshi.yaml", "day: 8", "day: 7")
    assert cli("status", led, "--as-of", "2024-06-30").exit_code == 0


def test_a_date_before_1900_is_exported_as_text(cli: Callable[..., Run],
                                                tmp_path: Path) -> None:
    """`start: 0001-01-01` validates (a real date), and export wrote it as the serial
    -693594, which Excel, WPS and openpyxl show as an error cell: the date was lost in
    the workbook.  Excel has no date before 1900; such a date is written as its ISO
    text, which `luoshi import tasks` reads back as the date."""
    import shutil
    import warnings

    import openpyxl

    led = tmp_path / "led"
    shutil.copytree(V2, led)
    edit(led / "tasks/econ.yaml", "start: 2024-01-01", "start: 0001-01-01")
    out = tmp_path / "e.xlsx"
    r = cli("export", led, "-o", out, "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openpyxl warns of a date it cannot read
        ws = openpyxl.load_workbook(out)["任务明细"]
    col = next(c.column_letter for c in ws[2] if c.value == "开始日期")
    assert (ws["A3"].value, ws[f"{col}3"].value, ws[f"{col}3"].data_type) == (
        "T-001", "0001-01-01", "s")


def test_a_milestone_index_out_of_range_in_a_returned_workbook(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """The per-unit workbook's hidden `luoshi:node` column comes back from the unit:
    99999 there ended `import updates` in "internal error (IndexError)".  It is
    checked like any other locked cell: the row's seal no longer matches."""
    import openpyxl

    per = tmp_path / "per"
    assert cli("export", example, "--per-unit", "-o", per, *AS_OF).exit_code == 0
    book = per / "东区管委会.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    assert (ws["A2"].value, ws["C2"].value, ws["A3"].value) == (
        "luoshi:id", "luoshi:node", "WN-003")
    ws["C3"] = 99999
    wb.save(book)
    r = cli("import", "updates", book, "--ledger", example, "--dry-run",
            "--as-of", "2021-07-10")
    assert r.exit_code == 1 and INTERNAL not in r.stderr
    assert r.stderr.splitlines()[-4:] == [
        f"{book.name} 本月填报!B3: 任务 WN-003 这一行的隐藏单元格（A–C 列，或 A1 月份、B1 单位 dongqu）"
        "在导出后被修改或清空：未导入；请重新导出本单位填报表",
        f"  {book.name}（2021-06）：填报单位 dongqu（东区管委会），拟更新任务 0 个",
        "单位 1 个，拟更新任务 0 个，未变 2 个，拒绝单元格 0 个",
        "luoshi: 1 个问题，未写入任何文件"]


def test_a_record_of_year_0000(cli: Callable[..., Run], example: Path) -> None:
    """`period: 0000-Q2` matched the period pattern, and the first date computed from
    it ended validate itself in "internal error (ValueError: year 0 is out of range)";
    so did `import scores --period 0000-Q1`.  A period's year is 1000–9999: LS401."""
    edit(example / "records/2021-Q2.yaml", "period: 2021-Q2", "period: 0000-Q2")
    r = cli("validate", example, *AS_OF, "--select", "LS401", "--lang", "en")
    assert r.exit_code == 1 and INTERNAL not in r.stderr
    assert r.stdout == (
        "records/2021-Q2.yaml:4:9: error LS401 period 0000-Q2 is not valid: write a quarter "
        'as 2021-Q2, a year as 2021 and a month as "2024-05"\n')
    r = cli("import", "scores", example / "records/2021-Q2.yaml", example,
            "--period", "0000-Q1", "--dry-run")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: --period 0000-Q1 不是考核期间：应写作 2021-Q2（季度）、2021（年度）或 "
        "2021-05（月度）\n")
    r = cli("import", "scores", example / "records/2021-Q2.yaml", example,
            "--period", "2021-Q5", "--dry-run", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: --period 2021-Q5 is not a period: write it like 2021-Q2 (a quarter), "
        "2021 (the year) or 2021-05 (a month)\n")


def test_two_score_columns_for_one_component(cli: Callable[..., Run], example: Path,
                                             tmp_path: Path) -> None:
    """A score sheet with the same leaf under its name and its id (two departments'
    columns pasted side by side): the later column's marks silently replaced the
    earlier's — 90 was dropped without a word.  Both are named, nothing is written."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分"
    ws.append(["单位", "“12345”快速响应平台群众诉求办理情况", "hotline"])
    ws.append(["经济发展局", 90, 50])
    book = tmp_path / "scores.xlsx"
    wb.save(book)
    r = cli("import", "scores", book, example, "--period", "2021-Q2", "--dry-run",
            "--lang", "en")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == (
        "得分!C1: column 'hotline' scores the same component as 得分!B1 (hotline): keep one "
        "of them\nluoshi: 1 problem; nothing was written\n")


def test_a_long_label_is_fitted_in_one_pass() -> None:
    """A 40,000-character category name made every bulletin (md, html, docx: the
    charts are built for all) run for minutes: the label was shortened one character
    at a time and measured again each time.  Now one pass; the same label as before."""
    import time

    from luoshi_cli.report.charts import fit

    start = time.process_time()
    assert fit("长" * 8000, 168) == "长" * 13 + "…"
    assert fit("ab长" * 3000, 48) == "ab长a…"
    assert time.process_time() - start < 1.0  # quadratic: ~30 s for these


def test_docx_bulletin_with_a_title_over_255_characters(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """A Word file's core properties hold 255 characters: a longer ledger title ended
    the docx bulletin in "internal error (ValueError: exceeded 255 char limit for
    property)".  The property is cut; the document shows the whole title."""
    title = "渭南高新区2021年度重点任务抓落实台账"
    edit(example / "luoshi.yaml", f"title: {title}", f"title: {title}{'长' * 300}")
    out = tmp_path / "b.docx"
    r = cli("bulletin", example, "-q", "Q2", "-f", "docx", "-o", out)
    assert (r.exit_code, r.stderr) == (0, f"已写入 {out}\n")
    import re

    cut = re.findall("<dc:title>(.*)</dc:title>", _docx_text(out, "docProps/core.xml"))
    assert cut[0].startswith("关于渭南高新区2021年第二季度重点任务抓落实台账长")
    assert len(cut[0]) == 255
    body = _docx_text(out)
    assert re.findall(f">({re.escape(cut[0])}[^<]*)<", body) == [
        f"关于渭南高新区2021年第二季度重点任务抓落实台账{'长' * 300}情况的通报"]


def test_export_sorts_a_task_id_with_5000_digits(cli: Callable[..., Run],
                                                 tmp_path: Path) -> None:
    """Ids are sorted as people number them (WN-2 before WN-10) by their digit runs:
    a valid id `T111…1` with 5,000 digits ended export in "internal error
    (ValueError: Exceeds the limit (4300 digits) for integer string conversion)"."""
    import shutil

    import openpyxl

    led = tmp_path / "led"
    shutil.copytree(V2, led)
    long_id = "T" + "1" * 5000
    edit(led / "tasks/kids.yaml", "id: T-001.1", f"id: {long_id}")
    assert cli("validate", led, "--as-of", "2024-06-30").exit_code == 0
    out = tmp_path / "e.xlsx"
    r = cli("export", led, "-o", out, "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(out)["任务明细"]
    # ("T" sorts before "T-", as it did)
    assert [ws.cell(r, 1).value for r in (3, 4, 5)] == [long_id, "T-001", "T-001.2"]


# ---- a ledger's own templates: bounded ----------------------------------------------------


def test_a_template_expression_too_large_to_build(cli: Callable[..., Run],
                                                  example: Path) -> None:
    """A ledger's templates/ run sandboxed, but `{{ 'x' * 10**8 }}` built a 100 MB
    string (10**9: gigabytes) on the CI runner that renders the pull request's
    bulletin.  `*` and `**` whose result would be too large are refused: one line, 2.
    (Every other way: `test_template_memory.py`.)"""
    (example / "templates").mkdir()
    tpl = example / "templates" / "bulletin.md.j2"
    tpl.write_text("{{ 'x' * 100000000 }}\n", encoding="utf-8")
    r = cli("bulletin", example, "-q", "Q2")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == "luoshi: 模板错误：templates/bulletin.md.j2:1：*：结果会过大，拒绝计算\n"
    tpl.write_text("{{ 2 ** 10000000 }}\n", encoding="utf-8")
    r = cli("bulletin", example, "-q", "Q2")
    assert r.stderr == "luoshi: 模板错误：templates/bulletin.md.j2:1：**：结果会过大，拒绝计算\n"
    (example / "templates" / "bulletin.en.md.j2").write_text("{{ 2 ** 10000000 }}\n",
                                                            encoding="utf-8")
    r = cli("bulletin", example, "-q", "Q2", "--lang", "en")
    assert r.stderr == ("luoshi: template error: templates/bulletin.en.md.j2:1: **: the result "
                        "would be too large\n")
    tpl.write_text("{{ 'ab' * 3 }} {{ 3 * 'c' }} {{ 2 ** 10 }} {{ 6 * 7 }}\n", encoding="utf-8")
    assert cli("bulletin", example, "-q", "Q2").stdout == "ababab ccc 1024 42\n"


def test_a_template_whose_output_does_not_end(cli: Callable[..., Run], example: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Two nested loops of range(100000) wrote 10**10 characters: the memory of the
    machine filled (2.5 GB in 20 s) until it was killed.  The output is bounded
    (64 Mi characters and 4,096 per task; 1 Mi here, to be quick: 1,048,576 +
    20 tasks × 4,096 = 1,130,496).  The error names the ledger's template as every
    other template error does (it read "bulletin.md.j2", as if the built-in one)."""
    from luoshi_cli.report.bulletin import templates

    monkeypatch.setattr(templates, "MAX_OUTPUT", 1024 * 1024)
    (example / "templates").mkdir()
    (example / "templates" / "bulletin.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\n",
        encoding="utf-8")
    r = cli("bulletin", example, "-q", "Q2")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: 模板错误：templates/bulletin.md.j2：输出超过 1,130,496 个字符"
                        "（循环没有结束？）\n")


def test_a_blocks_output_is_bounded_as_the_bulletins(cli: Callable[..., Run], example: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A macro's or `{% set %}` block's output is held to the bulletin's output bound
    (here nothing but 2,000 characters per task: 40,000 for the example's 20 tasks),
    in characters and in entries (an eighth: 5,000) — a macro's loop filled its buffer
    faster than the CPU budget stopped it.  Under 1,000 per task, the same blocks are
    refused."""
    from luoshi_cli.report.bulletin import templates

    monkeypatch.setattr(templates, "MAX_OUTPUT", 0)
    monkeypatch.setattr(templates, "OUTPUT_PER_TASK", 2000)
    (example / "templates").mkdir()
    tpl = example / "templates" / "bulletin.md.j2"
    wide = "{% set b %}{% for i in range(100) %}{{ 'x' * 300 }}{% endfor %}{% endset %}"
    many = "{% set c %}{% for i in range(4000) %}{{ 'xxxxxxxx' }}{% endfor %}{% endset %}"
    tpl.write_text(wide + many + "{{ b|length }} {{ c|length }}\n", encoding="utf-8")
    assert cli("bulletin", example, "-q", "Q2").stdout == "30000 32000\n"
    monkeypatch.setattr(templates, "OUTPUT_PER_TASK", 1000)
    for body in (wide, many):
        tpl.write_text(body + "\n", encoding="utf-8")
        r = cli("bulletin", example, "-q", "Q2", "--lang", "zh")
        assert (r.exit_code, r.stdout) == (2, "")
        assert r.stderr == ("luoshi: 模板错误：templates/bulletin.md.j2:1：宏或 {% set %}、"
                            "{% filter %} 块的输出：结果会过大，拒绝计算\n")


def test_a_template_error_names_the_template_file(cli: Callable[..., Run], example: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit: a ledger's template that is not UTF-8, or a MemoryError while rendering,
    read `bulletin.md.j2: …` — as if the built-in template had failed.  Named as the
    other template errors are: the ledger's templates/bulletin.md.j2, or
    `(built-in) bulletin.md.j2`."""
    from luoshi_cli.report.bulletin import templates

    (example / "templates").mkdir()
    tpl = example / "templates" / "bulletin.md.j2"
    tpl.write_bytes(b"\xff{{ 1 }}\n")
    r = cli("bulletin", example, "-q", "Q2")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: 模板错误：templates/bulletin.md.j2: 'utf-8' codec can't decode "
                        "byte 0xff in position 0: invalid start byte\n")
    tpl.write_text("{% include 'part.j2' %}\n", encoding="utf-8")
    (example / "templates" / "part.j2").write_bytes(b"\xfe\n")
    r = cli("bulletin", example, "-q", "Q2")
    assert r.stderr == ("luoshi: 模板错误：templates/part.j2: 'utf-8' codec can't decode "
                        "byte 0xfe in position 0: invalid start byte\n")

    def out_of_memory(chunks: object, limit: int) -> str:
        raise MemoryError

    monkeypatch.setattr(templates, "_bounded", out_of_memory)
    tpl.write_text("x\n", encoding="utf-8")
    r = cli("bulletin", example, "-q", "Q2")
    assert r.stderr == "luoshi: 模板错误：templates/bulletin.md.j2: MemoryError\n"
    r = cli("bulletin", example, "-q", "Q2", "--lang", "en")
    assert r.stderr == "luoshi: template error: (built-in) bulletin.en.md.j2: MemoryError\n"


def test_a_template_that_is_no_file_is_refused(cli: Callable[..., Run],
                                               example: Path) -> None:
    """Audit: a templates/bulletin.md.j2 that is a directory or a FIFO was passed over
    for the built-in template, exit 0 — the office's own bulletin silently replaced.
    Refused in one line, exit 2; an included one too."""
    import os

    own = example / "templates"
    own.mkdir()
    (own / "bulletin.md.j2").mkdir()
    r = cli("bulletin", example, "-q", "Q2")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == "luoshi: 模板错误：templates/bulletin.md.j2：这是目录，不是模板文件\n"
    os.mkfifo(own / "bulletin.en.md.j2")
    r = cli("bulletin", example, "-q", "Q2", "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: template error: templates/bulletin.en.md.j2: this is a named "
                        "pipe (FIFO), not a template file\n")
    (own / "bulletin.md.j2").rmdir()
    (own / "bulletin.md.j2").write_text("{% include 'part.j2' %}\n", encoding="utf-8")
    (own / "part.j2").symlink_to("nowhere")
    r = cli("bulletin", example, "-q", "Q2")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: 模板错误：templates/bulletin.md.j2:1: templates/part.j2："
                        "这是失效的符号链接，不是模板文件\n")


def test_a_template_option_that_names_no_file_says_what_it_names(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """Audit: `--template` naming a directory, /dev/zero or a FIFO said "模板文件 …
    不存在" — it is there, and is no template.  Each is named for what it is, in one
    line, exit 2; a name that is not there keeps its message."""
    import os

    fifo = tmp_path / "fifo.j2"
    os.mkfifo(fifo)
    broken = tmp_path / "broken.j2"
    broken.symlink_to(tmp_path / "gone.j2")
    for given, zh, en in [
            (tmp_path, "目录", "a directory"), ("/dev/zero", "字符设备", "a character device"),
            (fifo, "命名管道（FIFO）", "a FIFO"),
            (broken, f"失效的符号链接（指向 {tmp_path / 'gone.j2'}）",
             f"a broken symbolic link (to {tmp_path / 'gone.j2'})")]:
        r = cli("bulletin", example, "-q", "Q2", "--template", given)
        assert (r.exit_code, r.stdout, r.stderr) == (
            2, "", f"luoshi: --template {given}：这是{zh}，不是模板文件\n")
        r = cli("bulletin", example, "-q", "Q2", "--template", given, "--lang", "en")
        assert r.stderr == f"luoshi: --template {given}: this is {en}, not a template file\n"
    r = cli("bulletin", example, "-q", "Q2", "--template", tmp_path / "none.j2")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: 模板文件 {tmp_path / 'none.j2'} 不存在\n")


def test_a_template_whose_loops_print_nothing(cli: Callable[..., Run], example: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Two nested loops of range(100000) that print nothing: no output to bound, and
    10**10 steps held the CI runner until its job's time limit.  The rendering has a
    CPU-time budget (60 s and 1 ms per task; 0.5 s here, to be quick) and stops at
    the loop's line: one line, exit 2."""
    from luoshi_cli.report.bulletin import templates

    monkeypatch.setattr(templates, "MAX_SECONDS", 0.5)
    monkeypatch.setattr(templates, "SECONDS_PER_TASK", 0.0)
    (example / "templates").mkdir()
    for name in ("bulletin.md.j2", "bulletin.en.md.j2"):
        (example / "templates" / name).write_text(
            "# 通报\n\n{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}"
            "\n{% endfor %}\n", encoding="utf-8")
    r = cli("bulletin", example, "-q", "Q2")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: 模板错误：templates/bulletin.md.j2:4：模板运行超过 0.5 秒"
                        "（循环没有结束？）\n")
    r = cli("bulletin", example, "-q", "Q2", "--lang", "en")
    assert r.stderr == ("luoshi: template error: templates/bulletin.en.md.j2:4: the template "
                        "ran over 0.5 s (a loop that does not end?)\n")
    # the timer is gone afterwards: a real bulletin renders as before
    monkeypatch.setattr(templates, "MAX_SECONDS", 60.0)
    for name in ("bulletin.md.j2", "bulletin.en.md.j2"):
        (example / "templates" / name).unlink()
    assert cli("bulletin", example, "-q", "Q2").exit_code == 0
    import signal
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGVTALRM) == signal.SIG_DFL


def test_the_output_bound_grows_with_the_ledger(cli: Callable[..., Run], example: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A province's bulletin is long because its ledger is: the bound is per task too.
    The example's built-in quarterly bulletin (20 tasks) is printed under a bound of
    nothing but 2,000 characters per task (40,000; it has about 6,000), and refused
    under 100 per task (2,000)."""
    from luoshi_cli.report.bulletin import templates

    monkeypatch.setattr(templates, "MAX_OUTPUT", 0)
    monkeypatch.setattr(templates, "OUTPUT_PER_TASK", 2000)
    full = cli("bulletin", example, "-q", "Q2")
    assert full.exit_code == 0 and 5_000 < len(full.stdout) < 40_000
    monkeypatch.setattr(templates, "OUTPUT_PER_TASK", 100)
    r = cli("bulletin", example, "-q", "Q2")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.endswith("输出超过 2,000 个字符（循环没有结束？）\n")
