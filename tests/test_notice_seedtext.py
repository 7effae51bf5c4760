"""The 督办单 (`luoshi supervise`) read beside the seed offices' documents and the
bulletin (audit "seedtext"): what it asks of a unit, how it names the unit and its
rectifications, its quotes, its 落款; and the English of the bulletin's 约谈 sentence.
Real example ledgers copied to a temporary folder, run through the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import BEILIN, EXAMPLE, Run

#: the Weinan example plus one rectification naming task WN-003 and one naming no
#: task (`source: ranking`): the audit's repro/3 ledger
WEINAN_SUPERVISION = """interviews:
  - {unit: dongqu, date: 2021-06-20, kind: 警示约谈, by: 考核办, reason: 节点任务亮红灯, tasks: [WN-003]}
rectifications:
  - id: ZG-2021-01
    unit: dongqu
    tasks: [WN-003]
    source: red_light
    opened: 2021-06-20
    due: 2021-06-28
  - id: ZG-2021-02
    unit: dongqu
    source: ranking
    opened: 2021-06-10
    due: 2021-07-25
"""


def _weinan(tmp_path: Path, supervision: bool = False) -> Path:
    root = tmp_path / "weinan-2021"
    shutil.copytree(EXAMPLE, root)
    if supervision:
        (root / "supervision").mkdir()
        (root / "supervision" / "2021.yaml").write_text(WEINAN_SUPERVISION, encoding="utf-8")
    return root


def _ok(run: Run) -> str:
    assert run.exit_code == 0, run.stderr
    return run.stdout


def test_notice_with_nothing_wrong_orders_no_rectification(cli: Callable[..., Run],
                                                           tmp_path: Path) -> None:
    """党群工作部 on 30 June 2021: no red or yellow light, no missing report, no open
    整改 (every section 无; only a milestone of 25 July is due next).  The notice
    ended "请于收到本督办单后抓紧整改，并按期书面报告整改情况。" all the same; the
    seeds order 限期整改 and a 书面报告 only where something went wrong (seed
    001:113).  It now asks the unit to keep on, in md, html and English."""
    root = _weinan(tmp_path)
    args = ("supervise", root, "--unit", "dangqunbu", "--as-of", "2021-06-30")
    md = _ok(cli(*args))
    assert md.count("\n无\n") == 4
    assert "抓紧整改" not in md and "书面报告" not in md
    assert "\n请继续按期推进、按时报送进展。\n" in md
    html = _ok(cli(*args, "--format", "html"))
    assert "<p>请继续按期推进、按时报送进展。</p>" in html and "抓紧整改" not in html
    en = _ok(cli(*args, "--lang", "en"))
    assert "\nPlease keep to the milestones and report progress on time.\n" in en
    assert "rectify" not in en


def test_notice_with_a_yellow_light_only_asks_to_speed_up(cli: Callable[..., Run],
                                                          tmp_path: Path) -> None:
    """金城社区 on 30 June 2021: a yellow light (预警) and nothing else — a risk, not yet
    something to rectify: the notice asks it to speed the task up."""
    root = _weinan(tmp_path)
    md = _ok(cli("supervise", root, "--unit", "jinchengshequ", "--as-of", "2021-06-30"))
    assert "## 黄灯任务（预警）\n\n| 任务 | 原因 |" in md
    assert "\n请加快推进黄灯预警任务，确保按期完成。\n" in md and "抓紧整改" not in md
    en = _ok(cli("supervise", root, "--unit", "jinchengshequ", "--as-of", "2021-06-30",
                 "--lang", "en", "--format", "html"))
    assert "<p>Please speed up the yellow-light tasks to finish them on time.</p>" in en


def test_notice_with_something_wrong_still_orders_rectification(cli: Callable[..., Run],
                                                                tmp_path: Path) -> None:
    """东区管委会 with two open rectifications (repro/3 ledger): the order stays."""
    root = _weinan(tmp_path, supervision=True)
    md = _ok(cli("supervise", root, "--unit", "dongqu", "--as-of", "2021-06-30"))
    assert "\n请于收到本督办单后抓紧整改，并按期书面报告整改情况。\n" in md


def test_notice_names_the_unit_and_its_rectifications(cli: Callable[..., Run],
                                                      tmp_path: Path) -> None:
    """The notice greeted `致：东区管委会（dongqu）` and listed ZG-2021-01 by the bare
    task id `WN-003` and ZG-2021-02 (no task, `source: ranking`) by an empty cell,
    where the bulletin's 督办情况 names them “东区道路及管网配套工程” and 考核排名."""
    root = _weinan(tmp_path, supervision=True)
    md = _ok(cli("supervise", root, "--unit", "dongqu", "--as-of", "2021-06-30"))
    assert "\n致：东区管委会\n" in md and "dongqu" not in md
    assert ("| ZG-2021-01 | “东区道路及管网配套工程” | 2021年6月28日 | — | 已逾期 2 天 |\n"
            "| ZG-2021-02 | 考核排名 | 2021年7月25日 | — | 剩余 25 天 |\n") in md
    bulletin = _ok(cli("bulletin", root, "--quarter", "Q2"))
    assert "| 东区管委会 | “东区道路及管网配套工程” |" in bulletin
    assert "| 东区管委会 | 考核排名 |" in bulletin
    en = _ok(cli("supervise", root, "--unit", "dongqu", "--as-of", "2021-06-30",
                 "--lang", "en", "--format", "html"))
    assert "<p>To: 东区管委会</p>" in en
    assert "<td>ZG-2021-02</td><td>ranking</td>" in en


def test_notice_keeps_the_id_of_a_unit_whose_name_another_shares(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """Two units named 东区管委会: the name alone would not say which one is meant."""
    root = _weinan(tmp_path)
    units = root / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace(
        "name: 城改办", "name: 东区管委会", 1), encoding="utf-8")
    md = _ok(cli("supervise", root, "--unit", "dongqu", "--as-of", "2021-06-30"))
    assert "\n致：东区管委会（dongqu）\n" in md


def test_notice_quotes_a_title_as_the_bulletin_does(cli: Callable[..., Run]) -> None:
    """beilin-2024's title `2024年全区"八个新突破""六个碑林"抓落实台账` printed with its
    straight quotes; the bulletin (`cn_quotes`) and seed 000:7 write “”."""
    md = _ok(cli("supervise", BEILIN, "--unit", "gongxinju", "--as-of", "2024-05-31"))
    assert md.splitlines()[6] == "2024年全区“八个新突破”“六个碑林”抓落实台账 — 截至 2024年5月31日"
    title = _ok(cli("bulletin", BEILIN, "--month", "2024-05")).split("\n# ")[1].split("\n")[0]
    assert title == "关于2024年5月全区“八个新突破”“六个碑林”抓落实情况的通报"


def test_notice_ends_with_issuer_and_date(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Every seed ends with the issuing office and the 成文日期 (000:13–19, 001:15–17,
    002:13–15), as the bulletin's unit notice does; the 督办单 ended at its closing
    sentence.  The date is the --as-of date, written as the bulletin writes it."""
    root = _weinan(tmp_path)
    args = ("supervise", root, "--unit", "dongqu", "--as-of", "2021-06-30")
    md = _ok(cli(*args))
    assert md.endswith("\n\n渭南高新区目标任务考核领导小组办公室\n\n2021年6月30日\n")
    unit = _ok(cli("bulletin", root, "--quarter", "Q2", "--unit", "dongqu"))
    assert unit.endswith("\n\n渭南高新区目标任务考核领导小组办公室\n\n2021年6月30日\n")
    html = _ok(cli(*args, "--format", "html"))
    assert ('<div class="signature"><p>渭南高新区目标任务考核领导小组办公室</p>'
            "<p>2021年6月30日</p></div>\n</body>") in html
    en = _ok(cli(*args, "--lang", "en"))
    assert en.endswith("\n\n渭南高新区目标任务考核领导小组办公室\n\n30 June 2021\n")


def test_english_bulletin_says_reminder_talk_for_yuetan_tixing(cli: Callable[..., Run]) -> None:
    """The Chinese says 约谈提醒 (a reminder talk, seed 000:117 及时约谈提醒排名靠后的单位);
    the English said "warning interview", which is 警示约谈/告诫约谈 (seed 001:113,
    003:45) — another, sterner kind of talk."""
    zh = _ok(cli("bulletin", EXAMPLE, "--quarter", "Q2"))
    assert "\n按照考核办法，对排名后3位的威楠公司、城改办、东区管委会进行约谈提醒，限期整改。\n" in zh
    en = _ok(cli("bulletin", EXAMPLE, "--quarter", "Q2", "--lang", "en"))
    assert ("\nUnder the scheme the bottom 3 are called for a reminder talk and must put "
            "things right within a set time: 威楠公司, 城改办, 东区管委会.\n") in en
    assert "warning interview" not in en


def test_public_edition_carries_the_publication_note(cli: Callable[..., Run],
                                                     tmp_path: Path) -> None:
    """The seeds' document released to the public prints (此件公开发布) under its date
    (seed 001:17–19; the 附注 of GB/T 9704, left with two characters' indent); the
    public edition ended at the date, in every format, and the Word edition (built by
    code) could not be made to carry it.  The internal edition has no such note."""
    import zipfile

    args = ("bulletin", EXAMPLE, "--quarter", "Q2", "--issue", "2")
    md = _ok(cli(*args, "--edition", "public"))
    assert md.endswith("\n渭南高新区目标任务考核领导小组办公室\n\n2021年6月30日\n\n（此件公开发布）\n")
    assert "此件公开发布" not in _ok(cli(*args))
    en = _ok(cli(*args, "--edition", "public", "--lang", "en"))
    assert en.endswith("\n\n30 June 2021\n\n(Released to the public)\n")
    html = _ok(cli(*args, "--edition", "public", "--format", "html"))
    assert ('<p>2021年6月30日</p>\n<p class="public-note">（此件公开发布）</p>\n</div>'
            in html)
    assert "此件公开发布" not in _ok(cli(*args, "--format", "html"))
    out = tmp_path / "pub.docx"
    assert cli(*args, "--edition", "public", "-o", out).exit_code == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert xml.index("2021年6月30日") < xml.index("（此件公开发布）")
    import docx  # the note is a body paragraph (Normal: 仿宋, indented two characters)

    paras = docx.Document(str(out)).paragraphs
    last = [(p.text, p.style.name if p.style else "") for p in paras if p.text][-2:]
    assert last == [("2021年6月30日", "落款"), ("（此件公开发布）", "Normal")]
    internal = tmp_path / "internal.docx"
    assert cli(*args, "-o", internal).exit_code == 0
    assert "此件公开发布" not in zipfile.ZipFile(internal).read("word/document.xml").decode()


def test_public_pdf_carries_the_publication_note(cli: Callable[..., Run],
                                                 tmp_path: Path) -> None:
    """The PDF is the HTML printed: the note follows the date on the last page."""
    import subprocess

    import pytest

    if not (shutil.which("chromium") or shutil.which("chromium-browser")) \
            or shutil.which("pdftotext") is None:
        pytest.skip("needs Chromium and poppler-utils")
    out = tmp_path / "pub.pdf"
    run = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--edition", "public", "-o", out)
    assert run.exit_code == 0, run.stderr
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    tail = [line.strip() for line in text.split("2021年6月30日")[-1].splitlines() if line.strip()]
    assert tail[0] == "（此件公开发布）"
