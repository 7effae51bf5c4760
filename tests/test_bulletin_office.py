"""The bulletin as an office document: the guards, the new kinds, docx and PDF.

The PDF tests print with the real headless Chromium and read the result back with
poppler's pdftotext; without them they are skipped with the reason (CI installs
both).  The docx tests open the file with python-docx (the `docx` extra)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, Run

Cli = Callable[..., Run]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
needs_pdf = pytest.mark.skipif(
    CHROMIUM is None or PDFTOTEXT is None,
    reason="headless Chromium and pdftotext are not installed (Debian: apt-get install "
           "chromium fonts-noto-cjk poppler-utils); CI installs them")


# ---- guards ------------------------------------------------------------------------


def test_output_extension_chooses_the_format(cli: Cli, tmp_path: Path) -> None:
    """`-o x.html` used to hold Markdown: the format follows the extension."""
    out = tmp_path / "b.html"
    r = cli("bulletin", EXAMPLE, "--month", "2021-05", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


def test_format_and_extension_must_agree(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    r = cli("bulletin", EXAMPLE, "--month", "2021-05", "--format", "md", "-o", out)
    assert r.exit_code == 2
    assert r.stderr == f"luoshi: --format md 与输出文件 {out} 的扩展名（html）不一致\n"
    assert not out.exists()


def test_period_outside_the_ledger_year_is_refused(cli: Cli) -> None:
    """A workflow's `--month "$(date +%Y-%m)"` on a 2021 ledger printed 2026 with every
    task red, exit 0."""
    r = cli("bulletin", EXAMPLE, "--month", "2026-12")
    assert r.exit_code == 2
    assert r.stderr == ("luoshi: 2026-12 不在台账年度 2021 内（台账只记一年）：请指定 2021 年的期间，"
                        "或加 --allow-other-year\n")
    assert r.stdout == ""
    ok = cli("bulletin", EXAMPLE, "--month", "2026-12", "--allow-other-year")
    assert ok.exit_code == 0, ok.stderr
    assert "2026年12月" in ok.stdout


def test_status_defaults_to_the_ledger_year_end(cli: Cli) -> None:
    """Read after its year, a ledger is judged at its year's end, not today."""
    assert date.today() > date(2021, 12, 31)
    r = cli("status", EXAMPLE, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["as_of"] == "2021-12-31"


def _missing_one_score(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    rec = root / "records" / "2021-Q2.yaml"
    text = rec.read_text(encoding="utf-8")
    before = "weinangs:      {hotline: 67.5, service: 69}"
    assert before in text
    rec.write_text(text.replace(before, "weinangs:      {hotline: 67.5}"), encoding="utf-8")
    return root


def test_ranking_on_missing_scores_is_refused(cli: Cli, tmp_path: Path) -> None:
    root = _missing_one_score(tmp_path)
    r = cli("bulletin", root, "--quarter", "Q2")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr.startswith("luoshi: 1 个单位缺少评分，排名不可靠：")
    assert "缺政务服务" in r.stderr and "--allow-missing" in r.stderr
    ok = cli("bulletin", root, "--quarter", "Q2", "--allow-missing")
    assert ok.exit_code == 0, ok.stderr
    assert "以下单位缺少评分（按0分计），排名据现有分数作出：" in ok.stdout


# ---- the new kinds -----------------------------------------------------------------


def test_half_year_and_annual_titles(cli: Cli) -> None:
    h = cli("bulletin", EXAMPLE, "--half", "H1")
    assert h.exit_code == 0, h.stderr
    assert "# 关于渭南高新区2021年上半年" in h.stdout
    assert "截至2021年6月30日" in h.stdout
    a = cli("bulletin", EXAMPLE, "--annual", "--lang", "en")
    assert a.exit_code == 0, a.stderr
    assert "As of 31 December 2021" in a.stdout or "31 December 2021" in a.stdout


def test_unit_notice_shows_only_that_unit(cli: Cli) -> None:
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--unit", "guijianju")
    assert r.exit_code == 0, r.stderr
    assert "# 关于规划建设局2021年第二季度重点任务落实情况的通报" in r.stdout
    assert "WN-008" in r.stdout and "WN-004" not in r.stdout
    bad = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--unit", "nosuch")
    assert bad.exit_code == 2
    assert bad.stderr == "luoshi: --unit nosuch：台账中没有这个单位（代码或名称，见 units.yaml）\n"


def _deduction_lines(text: str, head: str) -> str:
    """The summary sentence under the deductions heading ("" when there is none)."""
    if head not in text:
        return ""
    return text.split(head)[1].split("\n\n")[1]


def test_english_counts_are_plural_only_when_more_than_one(cli: Cli, tmp_path: Path) -> None:
    """Audit: "3 deduction(s)", "1 provisional deduction(s)", "2 task(s) have": the
    English bulletin counts as every other English output does (core.labels.counted),
    with the verb agreeing — in Markdown, HTML and Word alike.  东区管委会's Q2 notice:
    1 red task and 1 deduction; 规划建设局's: 2 red tasks."""
    docx = pytest.importorskip("docx")
    args = ("bulletin", EXAMPLE, "--quarter", "Q2", "--lang", "en", "--unit")
    one = cli(*args, "dongqu")
    assert "\n1 task has a milestone past due and not done:\n" in one.stdout
    assert "\nQ2 2021: 1 deduction (形式主义、官僚主义: 1), 14.00 points in all.\n" in one.stdout
    assert "<p>1 task has a milestone past due and not done:</p>" in cli(
        *args, "dongqu", "-f", "html").stdout
    assert "\n2 tasks have a milestone past due and not done:\n" in cli(*args, "guijianju").stdout
    out = tmp_path / "n.docx"
    assert cli(*args, "dongqu", "-o", out).exit_code == 0
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "1 task has a milestone past due and not done:" in texts
    assert "Q2 2021: 1 deduction (形式主义、官僚主义: 1), 14.00 points in all." in texts


def test_the_deduction_sentence_counts_what_counts_and_a_notice_the_units_own(
        cli: Cli, tmp_path: Path) -> None:
    """碑林 (kaohe) Q1: 张家村街道 2.00 (02-20) and 1.00 (03-12); 区教育局 3 provisional,
    restored 03-28 — ignored entirely (SPEC §10), shown 0.00 已返还.  So 2起, 3.00分 and
    the restored one said apart (it read 3起 beside a 3.00 total).  区教育局's notice:
    nothing counted, 1 restored (its row stays).  渭南 Q2: 3起 25.00分 in all; 东区管委会's
    notice counts its own 1起 14.00 (7×2), not the district's; 规划建设局 has none: no
    deductions section (it printed the district's 3起, 25.00分 above an empty table)."""
    kaohe = REPO / "ledgers" / "beilin-2024-kaohe"
    head, en_head = "负面清单扣分情况", "Deductions (negative list)"

    def said(root: Path, *args: str) -> str:
        r = cli("bulletin", root, *args)
        assert r.exit_code == 0, r.stderr
        return _deduction_lines(r.stdout, en_head if "en" in args else head)

    assert said(kaohe, "--quarter", "Q1") == (
        "2024年第一季度共有负面清单扣分2起（推进不力、敷衍应付2起），合计扣3.00分；"
        "另有预扣分1起已返还，不计分。")
    assert said(kaohe, "--quarter", "Q1", "--lang", "en") == (
        "Q1 2024: 2 deductions (推进不力、敷衍应付: 2), 3.00 points in all; "
        "1 provisional deduction restored, not counted.")  # audit: "deduction(s)"
    assert said(kaohe, "--quarter", "Q1", "--unit", "jiaoyuju") == (
        "2024年第一季度没有计分的负面清单扣分；预扣分1起已返还，不计分。")
    r = cli("bulletin", kaohe, "--quarter", "Q1", "--unit", "jiaoyuju")
    assert "| 1 | 区教育局 | 推进不力、敷衍应付 | 2024年3月5日 | 0.00 |" in r.stdout
    assert said(kaohe, "--quarter", "Q1", "--unit", "jiaoyuju", "--lang", "en") == (
        "Q1 2024: no deduction counted; 1 provisional deduction restored, not counted.")
    assert said(EXAMPLE, "--quarter", "Q2").startswith("2021年第二季度共有负面清单扣分3起")
    assert said(EXAMPLE, "--quarter", "Q2", "--unit", "dongqu") == (
        "2021年第二季度共有负面清单扣分1起（形式主义、官僚主义1起），合计扣14.00分。")
    assert said(EXAMPLE, "--quarter", "Q2", "--unit", "guijianju") == ""
    import docx

    out = tmp_path / "k.docx"
    w = cli("bulletin", kaohe, "--quarter", "Q1", "--unit", "jiaoyuju", "-o", out)
    assert w.exit_code == 0, w.stderr
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "2024年第一季度没有计分的负面清单扣分；预扣分1起已返还，不计分。" in texts


def test_comparison_with_the_previous_quarter() -> None:
    from luoshi_cli import api

    led = api.checked(EXAMPLE, date(2021, 6, 30), today=date(2021, 6, 30)).loaded.ledger
    ctx = api.bulletin_context(led, api.bulletin_request("quarter", "2021-Q2"))
    cmp = ctx["comparison"]
    assert isinstance(cmp, dict)
    assert cmp["label"] == "较上季度"
    q1 = api.bulletin_context(led, api.bulletin_request("quarter", "2021-Q1"))
    assert q1["comparison"] is None  # nothing before Q1 in a one-year ledger
    now = ctx["overview"]["red"]  # type: ignore[index]
    assert cmp["red"]["now"] == now
    assert cmp["red"]["change"] == now - q1["overview"]["red"]  # type: ignore[index]


def test_comparison_leaves_out_a_rate_with_nothing_to_compare(cli: Cli) -> None:
    """Weinan's first milestones fall due in April: at 2021-02-28 no milestone was
    due (on-time rate —), at 2021-03-31 one was (100%).  March's 较上月 sentence has
    no on-time change to state and leaves the rate out — it used to print
    "序时节点按期完成率—，" mid-sentence; April's states both changes: completion 0% →
    5% (1 of 20 tasks), on-time 100% → 81.82%."""
    march = cli("bulletin", EXAMPLE, "--month", "2021-03")
    assert march.exit_code == 0, march.stderr
    assert "\n较上月，任务完成率持平，红灯数量持平。\n" in march.stdout
    en = cli("bulletin", EXAMPLE, "--month", "2021-03", "--lang", "en")
    assert ("\nCompared with last month: completion rate unchanged, red lights unchanged.\n"
            in en.stdout)
    april = cli("bulletin", EXAMPLE, "--month", "2021-04")
    assert ("\n较上月，任务完成率上升5个百分点，序时节点按期完成率下降18.18个百分点，"
            "红灯数量持平。\n" in april.stdout)


def test_problems_section_reads_updates_problems() -> None:
    """存在问题 from the latest update's `problems` up to the as-of month, one entry per
    task that has some."""
    from dataclasses import replace

    from luoshi_cli import api
    from luoshi_cli.report.bulletin.context import _problems

    led = api.checked(EXAMPLE, date(2021, 6, 30), today=date(2021, 6, 30)).loaded.ledger
    task = next(t for t in led.tasks if t.updates)
    last = replace(task.updates[-1], problems="资金未到位，手续滞后")
    fake = replace(task, updates=(*task.updates[:-1], last))
    req = api.bulletin_request("quarter", "2021-Q2")
    rows = [(fake, {"lead": "某单位"})]
    out = _problems(led, rows, req)
    assert out == [{"id": task.id, "title": task.title, "lead": "某单位",
                    "month": out[0]["month"], "problems": ["资金未到位，手续滞后"]}]


# ---- docx --------------------------------------------------------------------------


def test_docx_ranks_scheme_v2_groups_under_their_headings(cli: Cli, tmp_path: Path) -> None:
    """SPEC §10 ranking groups: a Heading 3 per group (under the Heading 2 （一）得分及等次,
    as the template's ####), its table with the rank in the group, then the quota
    sentence; remarks are the rules' notes, never their ids."""
    docx = pytest.importorskip("docx")
    out = tmp_path / "k.docx"
    r = cli("bulletin", REPO / "ledgers" / "beilin-2024-kaohe", "--quarter", "Q1", "-o", out)
    assert r.exit_code == 0, r.stderr
    doc = docx.Document(str(out))
    texts = [(p.style.name, p.text) for p in doc.paragraphs]
    assert [t for s, t in texts if s == "Heading 3"] == ["区级部门", "街道"]
    assert ("Normal", "优秀名额1个，第2名顺延为良好。") in texts
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    ranking = [t for t in tables if t[0][0] == "组内名次"]
    assert [[row[0], row[1]] for row in ranking[1]] == [
        ["组内名次", "单位"], ["1", "南院门街道"], ["2", "柏树林街道"], ["3", "长乐坊街道"],
        ["4", "张家村街道"]]
    assert ranking[1][1][-1] == "获上级表扬的不低于良好；加分4.00分，按上限计3.00分"
    assert "praised" not in ranking[1][1][-1]


def test_docx_opens_with_title_doc_no_sections_tables_fonts(cli: Cli, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn

    out = tmp_path / "b.docx"
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--doc-no", "渭高考办发〔2021〕12号",
            "--issue", "3", "-o", out)
    assert r.exit_code == 0, r.stderr
    doc = docx.Document(str(out))
    texts = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("红头", "渭南高新区目标任务考核领导小组办公室") in texts
    assert ("文号", "渭高考办发〔2021〕12号") in texts
    assert ("文号", "第3期") in texts
    assert ("通报标题", "关于渭南高新区2021年第二季度重点任务抓落实情况的通报") in texts
    heads = [t for s, t in texts if s == "Heading 1"]
    assert heads == ["一、总体情况", "二、分类推进情况", "三、亮灯预警情况", "四、考核排名情况",
                     "五、红旗与黄牌", "六、负面清单扣分情况"]
    assert texts[-1] == ("落款", "2021年6月30日")
    assert texts[-2] == ("落款", "渭南高新区目标任务考核领导小组办公室")
    assert len(doc.tables) >= 4
    assert doc.tables[0].style.name == "Table Grid"

    def east_asia(style: str) -> str | None:
        fonts = doc.styles[style].element.rPr.find(qn("w:rFonts"))
        return None if fonts is None else fonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == "仿宋"
    assert east_asia("通报标题") == "方正小标宋简体"
    assert east_asia("Heading 1") == "黑体"
    again = tmp_path / "again.docx"
    assert cli("bulletin", EXAMPLE, "--quarter", "Q2", "--doc-no", "渭高考办发〔2021〕12号",
               "--issue", "3", "-o", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()  # same inputs, same bytes


def test_binary_formats_need_an_output_file(cli: Cli) -> None:
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--format", "docx")
    assert r.exit_code == 2
    assert r.stderr == "luoshi: docx 是二进制文件：请用 -o 指定输出文件\n"


# ---- pdf ---------------------------------------------------------------------------


def _pages(pdf: Path) -> list[str]:
    assert PDFTOTEXT is not None
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@needs_pdf
def test_pdf_printed_by_chromium(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", out, "--date", "2021-07-05")
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    pages = _pages(out)
    assert len(pages) >= 3
    joined = "".join(pages)
    squeezed = "".join(joined.split())
    assert "关于渭南高新区2021年第二季度重点任务抓落实情况的通报" in squeezed
    assert "—1—" in "".join(pages[0].split())  # the page number at the foot
    # the signature block shares its page with the paragraph before it
    last = "".join(pages[-1].split())
    assert "2021年7月5日" in last
    assert last.index("2021年7月5日") > 0
    body = [ln for ln in pages[-1].splitlines() if ln.strip()]
    sig = next(i for i, ln in enumerate(body) if "2021年7月5日" in ln)
    assert sig >= 3, "the signature block stands alone on its page"


def test_pdf_without_chromium_names_the_package(cli: Cli, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """No $LUOSHI_CHROMIUM and no chromium on PATH: install it."""
    monkeypatch.delenv("LUOSHI_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", tmp_path / "b.pdf")
    assert r.exit_code == 2
    assert r.stderr == ("luoshi: 生成 PDF 需要 Chromium：请安装（Debian/Ubuntu：apt-get install "
                        "chromium fonts-noto-cjk），或用 --format html / docx\n")


def test_luoshi_chromium_naming_nothing_says_so(cli: Cli, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit: LUOSHI_CHROMIUM=/nonexistent said to install Chromium (which may well be
    installed): the variable is what is wrong, and the message says so — and what
    it names instead, a directory."""
    missing = tmp_path / "no-chromium"
    monkeypatch.setenv("LUOSHI_CHROMIUM", str(missing))
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", tmp_path / "b.pdf")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: 环境变量 LUOSHI_CHROMIUM 指向 {missing}，但那里没有文件：请改为 Chromium "
        "程序的路径，或取消 LUOSHI_CHROMIUM 以使用 PATH 中的 chromium\n"))
    monkeypatch.setenv("LUOSHI_CHROMIUM", str(tmp_path))
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", tmp_path / "b.pdf", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: LUOSHI_CHROMIUM names {tmp_path}, but that is a directory: set it to the "
        "Chromium program, or unset it to use chromium on PATH\n"))
    assert not (tmp_path / "b.pdf").exists()


def _fake_chromium(tmp_path: Path, body: str) -> Path:
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    fake.chmod(0o755)
    return fake


def test_a_chromium_past_its_time_is_stopped_and_said_in_one_line(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit: past a fixed 180 s the error dumped Chromium's whole command line.  The
    time is $LUOSHI_PDF_TIMEOUT when set (1 s here), and the message one line in the
    user's language: what happened, what to do.  The fake Chromium is a script that
    does not exec (as a wrapper may): its child holds the pipes, and the whole
    process group is stopped — the run ends long before the child's 60 s."""
    import time

    monkeypatch.setenv("LUOSHI_CHROMIUM", str(_fake_chromium(tmp_path, "sleep 60 &\nwait\n")))
    monkeypatch.setenv("LUOSHI_PDF_TIMEOUT", "1")
    out = tmp_path / "b.pdf"
    out.write_bytes(b"%PDF-1.4 the old bulletin\n")
    start = time.monotonic()
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", out)
    assert time.monotonic() - start < 30
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", (
        "luoshi: Chromium 未能在 1 秒内打印完 PDF，已停止，未写入文件：请设置环境变量 "
        "LUOSHI_PDF_TIMEOUT 放宽时限（如 LUOSHI_PDF_TIMEOUT=60），或改用 --format html / docx\n"))
    assert out.read_bytes() == b"%PDF-1.4 the old bulletin\n"
    from luoshi_cli.core.errors import LuoshiError
    from luoshi_cli.report.bulletin.pdf import _run

    with pytest.raises(LuoshiError) as caught:  # a computed time: to a tenth of a second
        _run(["sleep", "5"], "sleep", 0.54)
    assert caught.value.label.en == (
        "Chromium did not finish printing the PDF within 0.5 s and was stopped; nothing "
        "was written: allow it more time with LUOSHI_PDF_TIMEOUT (e.g. "
        "LUOSHI_PDF_TIMEOUT=60), or use --format html / docx")


def test_the_print_timeout_grows_with_the_page_or_is_set(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """180 s and 60 s per megabyte of the page: 186 s for 100 KB, 828 s for the
    20,000-task bench's monthly bulletin (10.8 MB, 180 + 60 × 10.8).  LUOSHI_PDF_TIMEOUT
    (seconds) replaces it; anything but a positive number is refused in one line."""
    from luoshi_cli.report.bulletin.pdf import print_timeout

    monkeypatch.delenv("LUOSHI_PDF_TIMEOUT", raising=False)
    assert print_timeout(100_000) == 186.0
    assert print_timeout(10_800_000) == pytest.approx(828.0)
    monkeypatch.setenv("LUOSHI_PDF_TIMEOUT", " 1200 ")
    assert print_timeout(100_000) == 1200.0
    monkeypatch.setenv("LUOSHI_CHROMIUM", str(_fake_chromium(tmp_path, "exit 1\n")))
    for bad in ("abc", "0", "-5", "inf", "nan"):
        monkeypatch.setenv("LUOSHI_PDF_TIMEOUT", bad)
        r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", tmp_path / "b.pdf", "--lang", "en")
        assert (r.exit_code, r.stderr) == (2, (
            f"luoshi: LUOSHI_PDF_TIMEOUT={bad} is not valid: give the seconds Chromium may "
            "take to print the PDF (a positive number, e.g. 1200)\n")), bad


def test_a_chromium_that_cannot_read_the_page_is_told_to_use_tmpdir(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit: a Chromium confined to a private /tmp (the Ubuntu snap) cannot open the
    page luoshi wrote there, and its log ends in ERR_FILE_NOT_FOUND: the message adds
    what to do, set TMPDIR to a directory it can read."""
    log = ("[1:1:ERROR:headless_command_handler.cc:403] Page load failed: "
           "net::ERR_FILE_NOT_FOUND")
    monkeypatch.setenv("LUOSHI_CHROMIUM", str(_fake_chromium(tmp_path, f"echo '{log}' >&2\n")))
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", tmp_path / "b.pdf")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: Chromium 退出但没有生成 PDF 文件：{log}。Chromium 读不到 luoshi 写在临时目录中"
        "的页面：它可能只能看到自己的 /tmp（如 snap 版）；请把环境变量 TMPDIR 设为 Chromium 能"
        "读取的目录（如 TMPDIR=$HOME/tmp）后重试\n"))
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", tmp_path / "b.pdf", "--lang", "en")
    assert r.stderr.endswith(
        f"{log}. Chromium cannot read the page luoshi wrote in a temporary directory: it may "
        "see only its own /tmp (the snap does); set TMPDIR to a directory Chromium can read "
        "(e.g. TMPDIR=$HOME/tmp) and try again\n")


@pytest.mark.parametrize(("body", "zh", "en"), [
    ("exit 1\n", "Chromium 无法生成 PDF（退出码 1）：Chromium 未输出任何信息",
     "Chromium could not print the PDF (exit 1): Chromium printed no message"),
    ("exit 0\n", "Chromium 退出但没有生成 PDF 文件：Chromium 未输出任何信息",
     "Chromium exited without writing a PDF file: Chromium printed no message"),
    ("echo 'oops: no GPU' >&2\n", "Chromium 退出但没有生成 PDF 文件：oops: no GPU",
     "Chromium exited without writing a PDF file: oops: no GPU"),
], ids=["fails-silently", "exits-0-silently", "exits-0-saying-why"])
def test_a_chromium_that_writes_no_pdf_is_said_what_happened(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, zh: str,
        en: str) -> None:
    """Audit: `LUOSHI_CHROMIUM=/bin/false` ended in "（退出码 1）：" and nothing after
    the colon; a Chromium exiting 0 without a file was reported as "（退出码 0）"."""
    monkeypatch.setenv("LUOSHI_CHROMIUM", str(_fake_chromium(tmp_path, body)))
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", tmp_path / "b.pdf")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {zh}\n")
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", tmp_path / "b.pdf", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {en}\n")
    assert not (tmp_path / "b.pdf").exists()


def test_what_chromium_wrote_must_be_a_pdf(cli: Cli, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit: a $LUOSHI_CHROMIUM that exits 0 having written `notapdf` had that saved
    as the .pdf, exit 0.  What does not start `%PDF-` is refused in one line, exit 2,
    and the file already there is kept."""
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\nfor a; do case $a in --print-to-pdf=*) "
                    "printf notapdf > \"${a#--print-to-pdf=}\";; esac; done\nexit 0\n",
                    encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("LUOSHI_CHROMIUM", str(fake))
    out = tmp_path / "b.pdf"
    out.write_bytes(b"%PDF-1.4 the old bulletin\n")
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", out, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: what Chromium wrote is no PDF (it starts “notapdf”): "
                        "nothing was written\n")
    assert out.read_bytes() == b"%PDF-1.4 the old bulletin\n"
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", out)
    assert r.stderr == "luoshi: Chromium 写出的文件不是 PDF（开头是“notapdf”）：未写入任何文件\n"


@pytest.mark.parametrize(("fmt", "lang", "heading"), [
    ("md", "zh", "## 七、存在问题"), ("md", "en", "## 7. Problems reported"),
    ("html", "zh", "<h2>七、存在问题</h2>"), ("html", "en", "<h2>7. Problems reported</h2>")])
def test_problems_section_is_rendered(fmt: str, lang: str, heading: str) -> None:
    from luoshi_cli import api
    from luoshi_cli.report.bulletin import builtin_templates, render, template_name

    led = api.checked(EXAMPLE, date(2021, 6, 30), today=date(2021, 6, 30)).loaded.ledger
    ctx = api.bulletin_context(led, api.bulletin_request("quarter", "2021-Q2", lang=lang))
    ctx["problems"] = [{"id": "WN-003", "title": "东区道路", "lead": "东区管委会",
                        "month": "2021年6月", "problems": ["资金未到位", "手续滞后"]}]
    text = render(ctx, fmt, search=[builtin_templates()], name=template_name(fmt, lang))
    assert heading in text
    assert ("资金未到位；手续滞后" if lang == "zh" else "资金未到位; 手续滞后") in text


def test_html_headers_and_phone_width(cli: Cli) -> None:
    """English headers wrap between words only; at phone width tables scroll
    sideways (cells never wrap a number) instead of squeezing figures together."""
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--lang", "en", "--format", "html")
    assert r.exit_code == 0, r.stderr
    assert 'html[lang="en"] th { word-break: normal; overflow-wrap: normal; hyphens: manual; }' \
        in r.stdout
    assert ("@media screen and (max-width: 640px) {\n  .bulletin { padding: 4mm 3mm; }\n"
            "  table { display: block; overflow-x: auto; table-layout: auto; }\n"
            "  th, td { white-space: nowrap; }\n}") in r.stdout


def test_title_uses_chinese_quotation_marks() -> None:
    from luoshi_cli.report.bulletin import bulletin_title

    assert bulletin_title('党建"留心护根"工程2024年度台账', 2024, "2024年5月", "zh") == \
        "关于党建“留心护根”工程2024年5月情况的通报"


def test_cc_and_printed_by_lines(cli: Cli, tmp_path: Path) -> None:
    """抄送 and 印发 (版记) when luoshi.yaml configures them; none otherwise."""
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    cfg = root / "luoshi.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8")
                   + "cc: 区委办公室，区政府办公室\nprinted_by: 渭南高新区考核办\n",
                   encoding="utf-8")
    r = cli("bulletin", root, "--quarter", "Q2", "--date", "2021-07-05")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.endswith("2021年7月5日\n\n---\n\n抄送：区委办公室，区政府办公室。\n\n"
                             "渭南高新区考核办　　2021年7月5日印发\n")
    plain = cli("bulletin", EXAMPLE, "--quarter", "Q2")
    assert "抄送：" not in plain.stdout
    assert plain.stdout.endswith("渭南高新区目标任务考核领导小组办公室\n\n2021年6月30日\n")


@needs_pdf
def test_pdf_of_a_ledger_template_loads_nothing(cli: Cli, tmp_path: Path) -> None:
    """A ledger's own template is someone's commit: an iframe of a file outside the
    ledger, an image from the network or a refresh to a file must not reach the PDF
    (before, the file's text was printed into it)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("OUTSIDE-THE-LEDGER-42", encoding="utf-8")
    ledger = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, ledger)
    assert cli("bulletin", ledger, "--dump-template", ledger / "templates").exit_code == 0
    page = ledger / "templates" / "bulletin.html.j2"
    text = page.read_text(encoding="utf-8")
    assert "<body>" in text
    page.write_text(text.replace("<body>", f'<body><iframe src="{secret.as_uri()}" width="600" '
                                 'height="200"></iframe><img src="http://127.0.0.1:9/x.png">', 1),
                    encoding="utf-8")
    out = tmp_path / "b.pdf"
    r = cli("bulletin", ledger, "--quarter", "Q2", "-o", out, "--date", "2021-07-05")
    assert r.exit_code == 0, r.stderr
    squeezed = "".join("".join(_pages(out)).split())
    assert "关于渭南高新区2021年第二季度重点任务抓落实情况的通报" in squeezed
    assert "OUTSIDE-THE-LEDGER-42" not in squeezed


def test_pdf_page_policy_comes_first_and_refresh_is_inert() -> None:
    from luoshi_cli.report.bulletin.pdf import CSP, locked_page

    html = '<!DOCTYPE html>\n<html><meta http-equiv = "Refresh" content="0;url=file:///etc">'
    locked = ('<!DOCTYPE html>\n' + CSP + '\n<html><meta data-inert-http-equiv = "Refresh" '
              'content="0;url=file:///etc">')
    assert locked_page(html) == locked
    assert locked_page(locked) == locked  # once only: render locks, the PDF path again
    assert locked_page("<p>x</p>") == CSP + "<p>x</p>"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_issuer_after_the_problems_list_is_its_own_paragraph(cli: Cli, tmp_path: Path,
                                                             lang: str) -> None:
    """存在问题 is a numbered list; the issuer's line right after its last item, with no
    blank line between, was folded into that item by every Markdown reader."""
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    city = root / "tasks" / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace(
        'note: 完成整治21条}', 'note: 完成整治21条, problems: 资金未到位}', 1), encoding="utf-8")
    r = cli("bulletin", root, "--month", "2021-06", "--lang", lang)
    assert r.exit_code == 0, r.stderr
    item = ("1. 背街小巷综合整治（崇业路街道，2021年6月）：资金未到位。" if lang == "zh" else
            "1. 背街小巷综合整治 (崇业路街道, June 2021): 资金未到位.")
    assert f"\n{item}\n\n渭南高新区目标任务考核领导小组办公室\n" in r.stdout


def test_structure_ids_are_numbered_in_order_whatever_chromium_numbered() -> None:
    """Chromium names a tagged PDF's structure elements after its DOM nodes; on a busy
    machine one run numbered every one of them one lower (node00000027 for
    node00000028), and the same bulletin came out as other bytes.  The ids are
    renumbered 1, 2, … in their order: both runs give the same bytes, of the same
    length (the cross-reference offsets hold), the id tree still sorted."""
    from luoshi_cli.report.bulletin.pdf import stable_ids

    def doc(a: int, b: int) -> bytes:
        return (b"<</S /TH /ID (node%08d)>>\n<</S /TD /ID (node%08d)>>\n"
                b"<</Names [(node%08d) 1 0 R (node%08d) 2 0 R]>>\n(node123)" % (a, b, a, b))

    one, two = stable_ids(doc(28, 913)), stable_ids(doc(27, 912))
    assert one == two == doc(1, 2)[:-len(b"(node123)")] + b"(node123)"
    assert len(one) == len(doc(28, 913))
    assert stable_ids(b"%PDF-1.4 no tags") == b"%PDF-1.4 no tags"


@needs_pdf
def test_pdf_is_the_same_bytes_on_every_run(cli: Cli, tmp_path: Path) -> None:
    """SPEC §7: same inputs, same bytes.  Chromium writes the clock into the PDF's
    CreationDate and ModDate; luoshi writes the document's date there (its 成文日期:
    --date, else the as-of), same length, so the cross-reference offsets hold and the
    file still reads back."""
    import re

    one, two = tmp_path / "1.pdf", tmp_path / "2.pdf"
    for out in (one, two):
        r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "-o", out)
        assert r.exit_code == 0, r.stderr
    assert one.read_bytes() == two.read_bytes()
    dates = re.findall(rb"/(?:CreationDate|ModDate) \(D:(\d{14})", one.read_bytes())
    assert dates == [b"20210630000000", b"20210630000000"]
    text = subprocess.run([str(PDFTOTEXT), str(one), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "渭南高新区目标任务考核领导小组办公室" in text


def test_fixed_dates_keep_the_length() -> None:
    from luoshi_cli.report.bulletin.pdf import fixed_dates

    raw = b"<</CreationDate (D:20261205130503+08'00')\n/ModDate (D:20261205130503Z)>>"
    got = fixed_dates(raw, date(2024, 6, 30))
    assert got == b"<</CreationDate (D:20240630000000+00'00')\n/ModDate (D:20240630000000Z)>>"
    assert len(got) == len(raw)
