"""`luoshi bulletin`: what the office sends out, checked as a reader sees it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import BEILIN, EXAMPLE, Run
from luoshi_cli.report.bulletin import (
    Request,
    build_context,
    builtin_templates,
    bulletin_title,
    cn_number,
    fmt_date,
    fmt_num,
    fmt_places,
    md_escape,
    period_label,
)
from luoshi_cli.report.bulletin.templates import CSP

Cli = Callable[..., Run]


def _one_line_error(r: Run) -> str:
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1, r.stderr
    return r.stderr.strip()


# ---- formats -------------------------------------------------------------------------


def test_chinese_numerals_for_section_numbers() -> None:
    assert [cn_number(n) for n in (1, 2, 9, 10, 11, 14, 20, 21, 99)] == [
        "一", "二", "九", "十", "十一", "十四", "二十", "二十一", "九十九"]


def test_dates_in_the_official_style() -> None:
    assert fmt_date(date(2024, 5, 31), "zh") == "2024年5月31日"
    assert fmt_date(date(2024, 5, 31), "en") == "31 May 2024"
    assert fmt_date("2021-06-08", "zh") == "2021年6月8日"
    assert fmt_date(None, "zh") == "—"


def test_scores_print_with_exactly_the_schemes_places() -> None:
    assert fmt_places(95.2, 2) == "95.20"
    assert fmt_places(Decimal("89.995"), 2) == "90.00"  # half-up, never banker's
    assert fmt_places(87, 1) == "87.0"
    assert fmt_places(Decimal("60.96"), 0) == "61"
    assert fmt_places(None, 2) == "—"


def test_rates_print_without_trailing_zeros() -> None:
    assert [fmt_num(x) for x in (25.0, 71.43, 12.5, 0, None)] == ["25", "71.43", "12.5", "0",
                                                                  "—"]
    assert fmt_num(Decimal("60.666"), 1) == "60.7"


def test_period_labels() -> None:
    assert period_label("quarter", "2021-Q2", "zh") == "2021年第二季度"
    assert period_label("quarter", "2021-Q2", "en") == "Q2 2021"
    assert period_label("month", "2024-05", "zh") == "2024年5月"
    assert period_label("month", "2024-05", "en") == "May 2024"


def test_title_puts_the_period_where_the_year_was() -> None:
    assert (bulletin_title("渭南高新区2021年度重点任务抓落实台账", 2021, "2021年第二季度", "zh")
            == "关于渭南高新区2021年第二季度重点任务抓落实情况的通报")
    assert (bulletin_title('2024年全区"八个新突破""六个碑林"抓落实台账', 2024, "2024年5月", "zh")
            == "关于2024年5月全区“八个新突破”“六个碑林”抓落实情况的通报")  # Chinese quotes
    assert bulletin_title("重点工作台账", 2024, "2024年5月", "zh") == "关于2024年5月重点工作情况的通报"
    assert bulletin_title("Key tasks", 2024, "May 2024", "en") == "Bulletin: Key tasks, May 2024"
    # a year's bulletin of a ledger whose title names the year says the year once
    assert bulletin_title("Key tasks ledger 2024", 2024, "2024", "en") == (
        "Annual bulletin: Key tasks ledger 2024")
    assert bulletin_title("Key tasks", 2024, "2024", "en") == "Bulletin: Key tasks, 2024"
    # audit: "Bulletin: Key tasks ledger 2024, Q2 2024" (`luoshi init --lang en`'s title):
    # the period goes where the year was, as in Chinese; a Chinese title keeps its 年
    assert bulletin_title("Key tasks ledger 2024", 2024, "Q2 2024", "en") == (
        "Bulletin: Key tasks ledger Q2 2024")
    assert bulletin_title("2024 key tasks", 2024, "May 2024", "en") == (
        "Bulletin: May 2024 key tasks")
    assert bulletin_title("渭南高新区2021年度重点任务抓落实台账", 2021, "Q2 2021", "en") == (
        "Bulletin: 渭南高新区2021年度重点任务抓落实台账, Q2 2021")
    assert bulletin_title("Plan 20245", 2024, "Q2 2024", "en") == "Bulletin: Plan 20245, Q2 2024"


def test_markdown_escape_keeps_cells_and_html_inert() -> None:
    assert md_escape("<script>alert(1)</script>") == r"\<script\>alert(1)\</script\>"
    assert md_escape("a | b\nc") == r"a \| b c"
    assert md_escape("**x** [y](z)") == r"\*\*x\*\* \[y\](z)"


def test_markdown_escape_joins_lines_in_linear_time() -> None:
    r"""A run of blanks with a line break in it becomes one space, any other run stays;
    `\s*[\r\n]+\s*` tried the run of 40,000 spaces before `x` again from each space
    (21 s for one title: 20 such titles made the bulletin overrun the template's 60 s)."""
    import random
    import re
    import time

    began = time.process_time()  # CPU seconds: a busy machine does not fail it
    assert md_escape("重点" + " " * 40_000 + "x\n项目") == "重点" + " " * 40_000 + "x 项目"
    assert md_escape("a" + " \t" * 40_000 + "\r\n  b") == "a b"
    assert time.process_time() - began < 5  # 0.3 s here; 18 s before
    before = re.compile(r"\s*[\r\n]+\s*")  # the rule as it was: the same text out
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice(" \t\r\nab\u3000\x0b中") for _ in range(rng.randint(1, 30)))
        if "\n" in text or "\r" in text:
            assert md_escape(text) == md_escape(before.sub(" ", text)), repr(text)


def test_markdown_escape_leaves_no_block_and_no_inline_markup() -> None:
    """Audit: a value at a line's start rendered as a list item, a rule or a heading's
    underline; `~~` struck through, `&lt;` showed `<`, `$…$` was math on GitHub.  A
    marker that starts a block is escaped at the value's start (any value may start
    a line), `~ & $` wherever they stand; ordinary text is as it was."""
    assert md_escape("1986. 碑督通") == r"1986\. 碑督通"
    assert md_escape("3) 督查") == r"3\) 督查"
    assert md_escape("- 督查室") == r"\- 督查室"
    assert md_escape("+ 督查室") == r"\+ 督查室"
    assert md_escape("  - x") == r"  \- x"
    assert [md_escape(v) for v in ("===", "---", "-", "= =")] == [
        r"\===", r"\---", r"\-", r"\= ="]
    assert md_escape("~~删~~ &lt;b&gt; $x$") == r"\~\~删\~\~ \&lt;b\&gt; \$x\$"
    for plain in ("-2.00", "94.64", "+1+2", "2024-05-31", "=SUM(1)", "100%", "12345678901. x",
                  "1.5万", "渭高考办发〔2021〕10号"):
        assert md_escape(plain) == plain


def test_ledger_values_at_a_line_start_stay_text(cli: Cli, example: Path) -> None:
    """The document number, the issuer (at the top and in the signature) and the
    printer's line of the quarterly bulletin, each a value that starts a line."""
    from conftest import edit

    edit(example / "luoshi.yaml", "issuer: 渭南高新区目标任务考核领导小组办公室",
         'issuer: "- 督查室"')
    edit(example / "luoshi.yaml", "doc_no: 渭高考办通〔{year}〕{n}号", 'doc_no: "1986. 碑督通"')
    with (example / "luoshi.yaml").open("a", encoding="utf-8") as f:
        f.write('printed_by: "==="\n')
    r = cli("bulletin", example, "--quarter", "Q2")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert (lines[2], lines[4]) == (r"**\- 督查室**", r"1986\. 碑督通")
    assert lines[-5:] == [r"\- 督查室", "", "2021年6月30日", "", r"\===　　2021年6月30日印发"]


# ---- the quarterly bulletin of the example ledger ------------------------------------


def test_quarter_defaults_to_the_quarter_end_and_ranks(cli: Cli) -> None:
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    lines = out.splitlines()
    assert lines[2] == "**渭南高新区目标任务考核领导小组办公室**"
    # the example's 文号 is numbered per issue (渭高考办通〔{year}〕{n}号): none without --issue
    assert lines[4] == "# 关于渭南高新区2021年第二季度重点任务抓落实情况的通报"
    assert "截至2021年6月30日，台账共列任务20项" in out
    heads = [ln for ln in lines if ln.startswith("## ")]
    assert heads == ["## 一、总体情况", "## 二、分类推进情况", "## 三、亮灯预警情况",
                     "## 四、考核排名情况", "## 五、红旗与黄牌", "## 六、负面清单扣分情况"]
    # the red list: task, lead unit, leader, overdue milestone, days overdue; worst first
    assert ("| 1 | WN-011 城中村改造入户签约 | 城改办 | 李某某 | 签约率达到80%（2021年5月31日） "
            "| 30 |") in lines
    # scores with exactly two decimals (93.30, not 93.3), ties share a rank
    assert ("| 2 | 行政审批服务局 | 93.00 | 96.50 | 91.50 | 0.00 | 93.30 | 优秀 |  |") in lines
    assert [ln.split(" | ")[0] for ln in lines if "| 87.10 |" in ln] == ["| 3", "| 3"]
    # sanctions explained; the bottom three for interview (约谈)
    assert ("| 10 | 规划建设局 | 77.00 | 75.50 | 75.50 | 0.00 | 76.55 | 较差 | "
            "一票否决（监管的在建工地发生安全生产责任事故），降一档；等次由一般调整为较差 |") in lines
    assert "按照考核办法，对排名后3位的威楠公司、城改办、东区管委会进行约谈提醒，限期整改。" in lines
    # flags and deductions with reasons; media exposure doubled
    assert ("1. WN-002 重点项目常态化集中开工（经济发展局）：上半年重点项目集中开工红旗任务。"
            "（目标任务考核领导小组办公室，2021年6月30日）") in lines
    assert ("| 2 | 东区管委会 | 形式主义、官僚主义 | 2021年5月12日 | 14.00（媒体曝光，7×2） | "
            "对辖区企业重复检查、表格材料过多，被市级主流媒体曝光 |") in lines
    assert lines[-1] == "2021年6月30日"


def test_as_of_overrides_the_period_end(cli: Cli) -> None:
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--as-of", "2021-06-15")
    assert r.exit_code == 0, r.stderr
    assert "截至2021年6月15日" in r.stdout
    assert "WN-003 东区道路及管网配套工程 | 东区管委会 | 刘某某 | 主管网铺设完成50%" not in r.stdout
    assert r.stdout.splitlines()[-1] == "2021年6月15日"


def test_places_follow_the_scheme(cli: Cli, example: Path) -> None:
    scheme = example / "scheme.yaml"
    scheme.write_text(scheme.read_text(encoding="utf-8").replace(
        "rounding: {places: 2}", "rounding: {places: 1}"), encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2")
    assert r.exit_code == 0, r.stderr
    assert "| 2 | 行政审批服务局 | 93.0 | 96.5 | 91.5 | 0.0 | 93.3 | 优秀 |  |" in r.stdout


def test_monthly_bulletin_has_no_ranking(cli: Cli) -> None:
    r = cli("bulletin", EXAMPLE, "--month", "2021-05")
    assert r.exit_code == 0, r.stderr
    assert "截至2021年5月31日" in r.stdout
    assert "考核排名" not in r.stdout
    # May as it stood then: the milestone done on 28 June was still open
    assert "| 2 | WN-002 重点项目常态化集中开工 | 经济发展局 | 李某某、刘某某 | 42%/41.21% |" \
        in r.stdout
    # the flags of 30 June are not May's
    assert "红旗与黄牌" not in r.stdout


def test_task_ledger_without_scheme_leaves_out_scores(cli: Cli) -> None:
    r = cli("bulletin", BEILIN, "--month", "2024-05")
    assert r.exit_code == 0, r.stderr
    assert "考核排名" not in r.stdout and "负面清单" not in r.stdout
    assert "# 关于2024年5月全区“八个新突破”“六个碑林”抓落实情况的通报" in r.stdout
    # a flag awarded in April is April's news
    assert "BRK5-02" not in r.stdout.split("红旗与黄牌")[1]
    april = cli("bulletin", BEILIN, "--month", "2024-04")
    assert "一季度招商引资进度全区第一" in april.stdout.split("红旗与黄牌")[1]


def test_quarter_without_a_record_has_no_ranking(cli: Cli, example: Path) -> None:
    (example / "records" / "2021-Q2.yaml").unlink()
    r = cli("bulletin", example, "--quarter", "Q2")
    assert r.exit_code == 0, r.stderr
    assert "考核排名" not in r.stdout
    assert "## 四、红旗与黄牌" in r.stdout  # numbering closes up


def test_public_edition_leaves_out_ranking_and_deduction_details(cli: Cli) -> None:
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--edition", "public")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "内部资料" not in out
    assert "得分及等次" not in out and "93.30" not in out and "76.55" not in out
    assert "1. 优秀：2个（党群工作部、行政审批服务局）。" in out
    assert "2. 良好：4个。" in out
    assert "约谈提醒" in out
    assert ("2021年第二季度共有负面清单扣分3起（形式主义、官僚主义2起，"
            "服务群众态度恶劣、漠视群众利益1起）。") in out
    assert "调研搞层层陪同" not in out and "14.00" not in out
    html = cli("bulletin", EXAMPLE, "-q", "Q2", "--edition", "public", "-f", "html").stdout
    assert html.count("<svg ") == 1  # the ranking chart is the full ranking: left out


def test_english_bulletin(cli: Cli) -> None:
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert "As of 30 June 2021 the ledger lists 20 tasks" in r.stdout
    assert "## 4. Assessment and ranking" in r.stdout
    assert "| 13 | 东区管委会 | 75.38 | 75.00 | 73.00 | 14.00 | 60.96 | 较差 | interview; " in r.stdout


def test_without_doc_no_and_issuer_no_header(cli: Cli, example: Path) -> None:
    cfg = example / "luoshi.yaml"
    text = cfg.read_text(encoding="utf-8")
    text = text.replace("doc_no: 渭高考办通〔{year}〕{n}号\n", "").replace(
        "issuer: 渭南高新区目标任务考核领导小组办公室\n", "")
    cfg.write_text(text, encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("> 内部资料 注意保存\n\n# 关于")
    r = cli("bulletin", example, "--quarter", "Q2", "--issue", "2")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("> 内部资料 注意保存\n\n第2期\n\n# 关于")  # no 文号


# ---- HTML ----------------------------------------------------------------------------


def test_html_is_self_contained(cli: Cli) -> None:
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--format", "html")
    assert r.exit_code == 0, r.stderr
    html = r.stdout
    # the page policy first: nothing a template adds may run or load (report.bulletin)
    assert html.startswith(f"<!DOCTYPE html>\n{CSP}\n<html lang=\"zh-CN\">")
    assert "<script" not in html.lower()
    for ref in ("<link", " src=", "href=", "@import", "url("):
        assert ref not in html
    assert html.count("<svg ") == 2
    assert "<title>考核得分排名</title>" in html
    assert "@page { size: A4;" in html


def test_html_escapes_what_the_ledger_says(cli: Cli, example: Path) -> None:
    tasks = example / "tasks" / "projects.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(
        "title: 东区道路及管网配套工程", "title: \"<script>alert(1)</script>\""),
        encoding="utf-8")
    units = example / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace(
        "name: 东区管委会,", "name: \"东区<b>管委会\","), encoding="utf-8")
    html = cli("bulletin", example, "--quarter", "Q2", "--format", "html")
    assert html.exit_code == 0, html.stderr
    assert "<script" not in html.stdout and "<b>" not in html.stdout
    assert "WN-003 &lt;script&gt;alert(1)&lt;/script&gt;</td>" in html.stdout
    svg = html.stdout.split("<title>考核得分排名</title>")[1].split("</svg>")[0]
    assert "东区&lt;b&gt;管委会" in svg
    md = cli("bulletin", example, "--quarter", "Q2")
    assert r"WN-003 \<script\>alert(1)\</script\>" in md.stdout
    assert not re.search(r"(?<!\\)<", md.stdout)  # every < is escaped


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_title_is_one_line_the_heading_keeps_its_break(cli: Cli, example: Path,
                                                            lang: str) -> None:
    """luoshi.yaml's `title` over two lines: the page's <title> got the heading's `<br>`
    (a browser tab shows it as text); there it is one space, and the <h1> keeps the
    break.  Ledger text stays escaped in both."""
    cfg = example / "luoshi.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "title: 渭南高新区2021年度重点任务抓落实台账",
        'title: "渭南高新区2021年度\\n重点任务<b>台账"'), encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2", "--format", "html", "--lang", lang)
    assert r.exit_code == 0, r.stderr
    head = r.stdout.split("</head>")[0]
    title = re.findall(r"<title>(.*?)</title>", head, re.DOTALL)
    assert len(title) == 1 and "<br>" not in title[0] and "\n" not in title[0]
    assert re.search(r"\S 重点任务&lt;b&gt;", title[0]), title[0]
    assert "\\n" not in title[0]  # nor escaped visibly
    h1 = re.findall(r'<h1 class="title">(.*?)</h1>', r.stdout, re.DOTALL)
    assert len(h1) == 1 and "<br>重点任务&lt;b&gt;" in h1[0]
    assert "<b>" not in r.stdout


# ---- determinism and output ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_identical_inputs_give_identical_bytes(cli: Cli, tmp_path: Path, fmt: str) -> None:
    a = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--format", fmt)
    b = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--format", fmt)
    assert a.exit_code == 0 and a.stdout == b.stdout
    out = tmp_path / "out" / f"bulletin.{fmt}"
    c = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--format", fmt, "-o", out)
    assert c.exit_code == 0 and c.stdout == ""
    assert out.read_bytes() == a.stdout.encode("utf-8")
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temp file left


def test_output_to_a_directory_is_refused(cli: Cli, tmp_path: Path) -> None:
    err = _one_line_error(cli("bulletin", EXAMPLE, "-q", "Q2", "-o", tmp_path))
    assert "是目录" in err


# ---- options -------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "says"), [
    ((), "--quarter"),
    (("--quarter", "Q2", "--month", "2021-05"), "--quarter"),
    (("--quarter", "Q5"), "Q5"),
    (("--month", "2021-13"), "2021-13"),
    (("--month", "2021-05", "--year", "2020"), "--year 2020"),
    (("--quarter", "Q2", "--as-of", "2021-02-30"), "2021-02-30"),
    (("--quarter", "Q2", "--template", "/no/such.j2"), "/no/such.j2"),
])
def test_bad_options_give_one_line(cli: Cli, args: tuple[str, ...], says: str) -> None:
    assert says in _one_line_error(cli("bulletin", EXAMPLE, *args))


def test_a_ledger_with_errors_is_not_published(cli: Cli, example: Path) -> None:
    units = example / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("id: dongqu,", "id: Dongqu,"),
                     encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2")
    assert r.exit_code == 1
    assert r.stdout == ""


# ---- templates -----------------------------------------------------------------------


def test_ledger_templates_override_by_name(cli: Cli, example: Path) -> None:
    own = example / "templates"
    own.mkdir()
    (own / "bulletin.md.j2").write_text("{{ title }}|{{ period_label }}|{{ as_of }}\n",
                                        encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2")
    assert r.stdout == "关于渭南高新区2021年第二季度重点任务抓落实情况的通报|2021年第二季度|2021年6月30日\n"
    # a partial overrides too: the built-in HTML template includes the ledger's CSS
    (own / "_bulletin.css.j2").write_text("body { color: #123456; }\n", encoding="utf-8")
    html = cli("bulletin", example, "--quarter", "Q2", "--format", "html").stdout
    assert "<style>\nbody { color: #123456; }\n</style>" in html


def test_template_option_infers_html_and_escapes(cli: Cli, example: Path,
                                                 tmp_path: Path) -> None:
    tpl = tmp_path / "mine.html.j2"
    tpl.write_text("<p>{{ categories[0].rows[0].title }}</p>{{ '<i>' }}\n", encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2", "--template", tpl)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == CSP + "<p>市级重点项目前期手续集中办结</p>&lt;i&gt;\n"


_HOW_ZH = "；要改格式，请用 luoshi bulletin --dump-template DIR 导出默认模板，直接修改导出的副本"
_HOW_EN = ("; to change the layout, write out the default templates with luoshi bulletin "
           "--dump-template DIR and edit the copy")


def test_text_a_child_template_would_lose_is_an_error(cli: Cli, example: Path,
                                                       tmp_path: Path) -> None:
    """`{% extends "bulletin.md.j2" %}` with a block the parent does not define, or
    with text outside every block, printed the default bulletin, exit 0, the user's
    text nowhere (audit: the built-in templates define no block).  Now one line,
    exit 2, naming the block or the line, in either language; found from the syntax
    trees, not by rendering."""
    tpl = tmp_path / "tpl.md.j2"
    tpl.write_text('{% extends "bulletin.md.j2" %}{% block nosuchblock %}我的段落{% endblock %}',
                   encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2", "--template", tpl))
    assert err == (f"luoshi: 模板错误：{tpl}:1：块 nosuchblock 在父模板 (built-in) bulletin.md.j2 "
                   "中没有定义（它没有定义任何块），其中的内容不会输出：继承时只能改写父模板已有的块"
                   + _HOW_ZH)
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2", "--template", tpl,
                              "--lang", "en"))
    assert err == (f"luoshi: template error: {tpl}:1: block nosuchblock is not defined in the "
                   "parent template (built-in) bulletin.md.j2 (it defines none), so its text "
                   "is never printed: a template that extends another can only replace the "
                   "parent's blocks" + _HOW_EN)
    tpl.write_text('{% extends "bulletin.md.j2" %}\n外面的文字\n', encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2", "--template", tpl))
    assert err == (f"luoshi: 模板错误：{tpl}:2：这段内容写在 {{% extends %}} 之后、所有 "
                   "{% block %} 之外，继承父模板 (built-in) bulletin.md.j2 时不会输出" + _HOW_ZH)
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2", "--template", tpl,
                              "--lang", "en"))
    assert err == (f"luoshi: template error: {tpl}:2: this text stands after {{% extends %}} "
                   "outside every {% block %}, and a template that extends another (here "
                   "(built-in) bulletin.md.j2) never prints it" + _HOW_EN)
    # the ledger's own templates/: a block missing two levels up, named with the
    # blocks the parents do define; what a child may do still renders
    own = example / "templates"
    own.mkdir()
    (own / "base.md.j2").write_text("{% block a %}A{% block inner %}I{% endblock %}"
                                    "{% endblock %}\n", encoding="utf-8")
    (own / "mid.md.j2").write_text('{% extends "base.md.j2" %}{% block a %}B'
                                   "{% block new %}N{% endblock %}{% endblock %}",
                                   encoding="utf-8")
    (own / "bulletin.md.j2").write_text(
        '前言\n{% extends "mid.md.j2" %}\n{% set x = "X" %}\n'
        "{% macro m() %}M{% endmacro %}\n{% if true %}{% block new %}{{ x }}{{ m() }}"
        "{% endblock %}{% endif %}\n", encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "前言\nBXM", "")
    (own / "bulletin.md.j2").write_text('{% extends "mid.md.j2" %}\n\n'
                                        "{% block gone %}x{% endblock %}\n", encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2"))
    assert err == ("luoshi: 模板错误：templates/bulletin.md.j2:3：块 gone 在父模板 "
                   "templates/mid.md.j2 中没有定义（它定义的块：a、inner、new），其中的内容不会输出："
                   "继承时只能改写父模板已有的块" + _HOW_ZH)
    (own / "bulletin.md.j2").write_text('{% extends "mid.md.j2" %}{% if true %}{{ title }}'
                                        "{% endif %}", encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2"))
    assert err.startswith("luoshi: 模板错误：templates/bulletin.md.j2:1：这段内容写在 ")


def test_a_misnamed_ledger_template_is_said(cli: Cli, example: Path) -> None:
    """A ledger's templates/bulletin.md (no .j2) or Bulletin.md.j2 was passed over for
    the built-in template with no word (audit): each file there named like a bulletin
    template but not as luoshi looks it up gets a note on stderr; the bulletin is
    still the built-in one, exit 0.  A partial of another name is not named."""
    default = cli("bulletin", example, "--quarter", "Q2").stdout
    own = example / "templates"
    own.mkdir()
    for name in ("bulletin.md", "Bulletin.md.j2", "bulletin.EN.html.jinja",
                 "_bulletin.css.j2.txt", "_table.j2", "bulletin-old.md.j2"):
        (own / name).write_text("x\n", encoding="utf-8")
    r = cli("bulletin", example, "--quarter", "Q2")
    assert (r.exit_code, r.stdout) == (0, default)
    assert r.stderr.splitlines() == [
        f"luoshi: templates/{name} 看起来是通报模板，但 luoshi 只使用名为 {meant} 的文件（区分大小写），"
        f"这个文件没有使用：要用它，请改名为 templates/{meant}"
        for name, meant in (("Bulletin.md.j2", "bulletin.md.j2"),
                            ("_bulletin.css.j2.txt", "_bulletin.css.j2"),
                            ("bulletin.EN.html.jinja", "bulletin.en.html.j2"),
                            ("bulletin.md", "bulletin.md.j2"))]
    r = cli("bulletin", example, "--quarter", "Q2", "--lang", "en")
    assert r.stderr.splitlines()[-1] == (
        "luoshi: templates/bulletin.md looks like a bulletin template, but luoshi only uses "
        "a file named bulletin.md.j2 (case matters), so this one was not used: to use it, "
        "rename it to templates/bulletin.md.j2")


def test_broken_template_names_file_and_line(cli: Cli, example: Path) -> None:
    own = example / "templates"
    own.mkdir()
    (own / "bulletin.md.j2").write_text("# {{ title }}\n\n{% if %}\n", encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2"))
    assert err.startswith("luoshi: 模板错误：templates/bulletin.md.j2:3: ")
    (own / "bulletin.md.j2").write_text("# {{ title }}\n{{ scores.nosuch }}\n", encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2"))
    assert err == "luoshi: 模板错误：templates/bulletin.md.j2:2: 'dict object' has no attribute 'nosuch'"
    (own / "bulletin.md.j2").write_text("x\n{% include 'gone.j2' %}\n", encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2", "--lang", "zh"))
    assert err == "luoshi: 模板错误：templates/bulletin.md.j2:2: 找不到模板：gone.j2"
    (own / "bulletin.en.md.j2").write_text("x\n{% include 'gone.j2' %}\n", encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2", "--lang", "en"))
    assert err == "luoshi: template error: templates/bulletin.en.md.j2:2: template not found: gone.j2"
    (own / "bulletin.en.md.j2").write_text("{{ 1 / 0 }}\n", encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2", "--lang", "en"))
    assert err == "luoshi: template error: templates/bulletin.en.md.j2:1: division by zero"


def test_dump_template_writes_the_defaults(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tpl"
    r = cli("bulletin", "--dump-template", out)
    assert r.exit_code == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["_bulletin.css.j2", "bulletin.en.html.j2", "bulletin.en.md.j2",
                     "bulletin.html.j2", "bulletin.md.j2", "supervise.html.j2",
                     "supervise.md.j2"]
    for n in names:
        assert (out / n).read_bytes() == (builtin_templates() / n).read_bytes()
    assert "不会覆盖" in _one_line_error(cli("bulletin", "--dump-template", out))


# ---- the context is built from the typed status report, never re-derived ------------


def test_context_from_the_typed_status_report() -> None:
    """Issue 12: lights, overdue days and yellow reasons come from the typed
    `StatusReport` as given (here edited by hand: 99 days overdue, a due-soon reason),
    not re-derived from the tasks; the old JSON-document input is gone (the README
    never promised it: it documents the context's output keys only)."""
    from dataclasses import replace

    from luoshi_cli.load.assemble import open_ledger
    from luoshi_cli.ops.progress import Overdue, YellowReason, status_report
    from luoshi_cli.report.bulletin import render, template_name

    led = open_ledger(BEILIN).ledger
    report = status_report(led, date(2024, 5, 31))
    red = next(t for t, st in report.tasks if st.light == "red")
    yellow = next(t for t, st in report.tasks if st.light == "yellow")
    due = yellow.milestones[0].due
    rows = tuple((t, replace(st, overdue=(Overdue(st.overdue[0].due, 99),)) if t is red
                  else replace(st, yellow_reasons=(YellowReason("due_soon", due, 3),))
                  if t is yellow else st) for t, st in report.tasks)
    req = Request("month", "2024-05", date(2024, 5, 31))
    ctx = build_context(led, req, replace(report, tasks=rows), None)
    assert ctx["scores"] is None and ctx["deductions"] is None
    mine = next(r for r in ctx["red"] if r["id"] == red.id)
    assert mine["days"] == 99 and mine["milestones"][0]["days"] == 99
    assert ctx["red"][0] is mine  # the longest overdue first
    std = yellow.milestones[0].standard
    assert next(y for y in ctx["yellow"] if y["id"] == yellow.id)["reason"] == (
        f"序时节点“{std}”将于{fmt_date(due, 'zh')}到期（剩余3天）")
    text = render(ctx, "md", search=[builtin_templates()], name=template_name("md", "zh"))
    assert "| 99 |" in text


def test_a_ledger_template_extending_its_own_name_is_said_to_loop(cli: Cli, example: Path
                                                                  ) -> None:
    """A ledger's templates/bulletin.md.j2 holding `{% extends "bulletin.md.j2" %}` —
    meant to extend the built-in one — extends itself (the ledger's is found first):
    Jinja recursed to "maximum recursion depth exceeded".  Now one line, exit 2,
    saying why and what to do instead."""
    own = example / "templates"
    own.mkdir()
    (own / "bulletin.md.j2").write_text(
        '{% extends "bulletin.md.j2" %}{% block x %}我的段落{% endblock %}', encoding="utf-8")
    err = _one_line_error(cli("bulletin", example, "--quarter", "Q2"))
    assert err == ('luoshi: 模板错误：templates/bulletin.md.j2：{% extends "bulletin.md.j2" %} '
                   "形成循环（模板继承了自己：台账 templates/ 中的同名模板会先于内置模板被找到，"
                   "无法继承内置的同名模板）" + _HOW_ZH)


@pytest.mark.parametrize(("args", "zh", "en"), [
    (("--quarter", "Q3", "--as-of", "2021-06-15"),
     "luoshi: --as-of 2021-06-15 早于2021年第三季度的第一天（2021-07-01）：这一期还没有开始，无可通报；"
     "请写这一期之内或之后的日期，或不写 --as-of（即这一期的最后一天）",
     "luoshi: --as-of 2021-06-15 is before the first day of Q3 2021 (2021-07-01): the "
     "period has not begun, there is nothing to report; give a date in or after it, or "
     "leave --as-of out (the period's last day)"),
    (("--month", "2021-07", "--as-of", "2021-06-30"),
     "luoshi: --as-of 2021-06-30 早于2021年7月的第一天（2021-07-01）：这一期还没有开始，无可通报；"
     "请写这一期之内或之后的日期，或不写 --as-of（即这一期的最后一天）", None)])
def test_a_period_not_begun_by_the_as_of_is_refused(
        cli: Callable[..., Run], args: tuple[str, ...], zh: str, en: str | None) -> None:
    """A bulletin of Q3 made as of 15 June printed "2021年第三季度共约谈0次" over June's
    states and "较上季度持平": refused, exit 2, nothing on stdout.  The period's first
    day is accepted (the month of July as of 1 July)."""
    r = cli("bulletin", EXAMPLE, *args)
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", zh + "\n")
    if en is not None:
        r = cli("bulletin", EXAMPLE, *args, "--lang", "en")
        assert (r.exit_code, r.stderr) == (2, en + "\n")
    assert cli("bulletin", EXAMPLE, "--month", "2021-07", "--as-of", "2021-07-01").exit_code == 0


@pytest.mark.parametrize("how", [("-o", "b.docx"), ("-f", "docx", "-o", "b.out")])
def test_template_with_word_output_is_refused(cli: Cli, tmp_path: Path,
                                              how: tuple[str, ...]) -> None:
    """Audit: `--template my.md.j2 -o x.docx` wrote the built-in Word document and
    never said the template went unused: Word output is built by code, not from a
    template (REFERENCE "Word and PDF")."""
    tpl = tmp_path / "my.md.j2"
    tpl.write_text("MINE {{ title }}\n", encoding="utf-8")
    args = [a if a not in ("b.docx", "b.out") else str(tmp_path / a) for a in how]
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--template", tpl, *args)
    assert _one_line_error(r) == (
        f"luoshi: --template {tpl}：Word 文档（docx）不由模板生成，模板不起作用；"
        "请去掉 --template，或改为 md、html 或 pdf 输出")
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--template", tpl, *args, "--lang", "en")
    assert _one_line_error(r) == (
        f"luoshi: --template {tpl}: Word output (docx) is not built from templates, so the "
        "template would be ignored; leave out --template, or write md, html or pdf")
    assert not (tmp_path / "b.docx").exists() and not (tmp_path / "b.out").exists()


@pytest.mark.parametrize("root", [EXAMPLE, BEILIN], ids=lambda p: p.name)
def test_shipped_ledgers_number_each_issue(cli: Cli, root: Path) -> None:
    """Audit: the shipped ledgers printed another document's 文号 on every bulletin
    (碑办字〔2024〕5号, the notice that issued the plan; 渭高考办发〔2021〕10号, the
    scheme's own).  Their `doc_no` is a pattern: each issue its own number, none
    without --issue, never the scheme's."""
    period = ("--quarter", "Q2") if root == EXAMPLE else ("--month", "2024-05")
    year = "2021" if root == EXAMPLE else "2024"

    def head(*more: str) -> str:
        r = cli("bulletin", root, *period, *more)
        assert r.exit_code == 0, r.stderr
        return r.stdout.split("\n# ")[0]

    first, second = head("--issue", "1"), head("--issue", "2")
    assert first != second
    assert f"〔{year}〕1号\n" in first and f"〔{year}〕2号\n" in second
    assert "号\n" not in head()
    assert "渭高考办发〔2021〕10号" not in first and "碑办字" not in first
