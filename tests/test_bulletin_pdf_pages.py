"""The PDF bulletin's pages as real Chromium prints them: a long word wraps inside the
margins (the page keeps its scale), and the signature (落款) never stands alone on the
last page.  Needs Chromium and poppler-utils (pdftotext, pdfinfo); skipped without."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, Run, edit
from luoshi_cli.report.bulletin.pdf import html_to_pdf
from test_supervision import CONFIG, UNITS, task

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser"))
    or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="needs Chromium and poppler-utils (Debian: apt-get install chromium "
           "fonts-noto-cjk poppler-utils); CI installs them")

URL = ("https://www.weinan.gov.cn/gk/zfxxgk/fdzdgknr/zdxm/xmjz/202106/"
       "t20210630_1234567_wnkfq_zhongdianxiangmu_jizhongkaigong_hongqirenwu_tongbao.html")
#: the right edge of the text: A4 less PRINT_CSS's 26 mm right margin, in points
RIGHT = 595.28 - 26 / 25.4 * 72


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert found is not None, info
    return int(found.group(1))


def _bbox(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def _addressee_height(bbox: str) -> float:
    """The height of 各有关单位： on page 1: the scale the page is printed at."""
    found = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">各有关单位：<', bbox)
    assert found is not None
    return float(found.group(2)) - float(found.group(1))


def _text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 渭南 Q2 bulletin as printed, the example as it is."""
    out = tmp_path_factory.mktemp("plain") / "plain.pdf"
    run = subprocess.run([sys.executable, "-m", "luoshi_cli", "bulletin", str(EXAMPLE),
                          "--quarter", "Q2", "-o", str(out)], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stderr
    return out


def test_a_long_url_wraps_at_the_margin(cli: Callable[..., Run], example: Path,
                                        tmp_path: Path, plain: Path) -> None:
    """A red-flag note citing a 150-character URL: the PDF printed every page shrunk
    to 2/3 (7 pages became 4) and still cut the URL at the page's edge.  Now the page
    keeps its scale and the URL wraps inside the margin, all of it in the text."""
    edit(example / "tasks" / "projects.yaml", "note: 上半年重点项目集中开工红旗任务}",
         f"note: 上半年重点项目集中开工红旗任务，详见{URL}}}")
    out = tmp_path / "u.pdf"
    r = cli("bulletin", example, "--quarter", "Q2", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert abs(_pages(out) - _pages(plain)) <= 1, (_pages(out), _pages(plain))
    bbox = _bbox(out)
    assert _addressee_height(bbox) == pytest.approx(_addressee_height(_bbox(plain)),
                                                    abs=0.2)
    assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)) <= RIGHT + 2
    assert URL in re.sub(r"\s+", "", _text(out))


def test_a_long_unit_name_wraps_at_the_margin(cli: Callable[..., Run], example: Path,
                                              tmp_path: Path, plain: Path) -> None:
    """A unit named with 300 letters, in the 等次情况 list and the 约谈单位 sentence:
    the page keeps its scale and no word runs past the right margin."""
    name = "威楠公司" + "W" * 300
    edit(example / "units.yaml", "name: 威楠公司,", f"name: {name},")
    out = tmp_path / "n.pdf"
    r = cli("bulletin", example, "--quarter", "Q2", "-o", out)
    assert r.exit_code == 0, r.stderr
    bbox = _bbox(out)
    assert _addressee_height(bbox) == pytest.approx(_addressee_height(_bbox(plain)),
                                                    abs=0.2)
    assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)) <= RIGHT + 2
    flat = re.sub(r"\s+", "", re.sub(r"— \d+ —", "", _text(out)))  # page numbers out
    assert f"对排名后3位的{name}、城改办、东区管委会进行约谈提醒" in flat


def _last_page(pdf: Path) -> list[str]:
    n = _pages(pdf)
    return [line.strip() for line in _text(pdf, "-layout", "-f", str(n), "-l", str(n))
            .splitlines() if line.strip()]


def test_the_signature_is_not_alone_after_a_long_table(tmp_path: Path) -> None:
    """bench/gen.py's 300-task ledger: its Q2 bulletin ends in a 260-row table of
    tasks not reported, and the last page held only 市委督查室, the date and — 56 —.
    Now the table's last row is on that page with the signature."""
    gen = subprocess.run([sys.executable, str(REPO / "bench" / "gen.py"), "--tasks", "300",
                          "--out", str(tmp_path / "g")], capture_output=True, text=True,
                         check=False)
    assert gen.returncode == 0, gen.stderr
    out = tmp_path / "g.pdf"
    run = subprocess.run([sys.executable, "-m", "luoshi_cli", "bulletin",
                          str(tmp_path / "g" / "ledger-300"), "--quarter", "Q2", "-o",
                          str(out)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    last = _last_page(out)
    assert last[-3:-1] == ["市委督查室", "2024年6月30日"], last
    assert any(line.startswith("260 T000288 提升政务服务一网通办") for line in last), last


def test_the_signature_stays_with_the_last_table_row(plain: Path) -> None:
    """The 渭南 example ends in the 负面清单 table: its last row and the signature are
    on the last page together, the signature right after it."""
    last = _last_page(plain)
    assert last[-3:-1] == ["渭南高新区目标任务考核领导小组办公室", "2021年6月30日"], last
    assert any(line.startswith("3 龙背街道") for line in last), last


@pytest.mark.parametrize("kind", ["p", "li"])
def test_the_signature_is_kept_with_the_last_paragraph(tmp_path: Path, kind: str) -> None:
    """The 渭南 bulletin ending in a section of paragraphs or list items (large ones,
    to cross a page in a few steps), one more each time: where the signature would
    go over the page, Chromium printed it alone on the next page or broke it in two
    despite `break-before: avoid`.  The last page always holds the last paragraph
    with the whole signature."""
    from luoshi_cli.report.bulletin.pdf import html_to_pdf

    html = tmp_path / "b.html"
    run = subprocess.run([sys.executable, "-m", "luoshi_cli", "bulletin", str(EXAMPLE),
                          "--quarter", "Q2", "-o", str(html)], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stderr
    page = html.read_text(encoding="utf-8").replace(
        "</head>", "<style>.big { font-size: 40pt; }</style></head>", 1)
    sig = '<div class="signature">'
    assert page.count(sig) == 1
    seen = set()
    for n in range(1, 25):
        body = ('<ol class="big">' + "".join(f"<li>第{i}项。</li>" for i in range(n))
                + "</ol>" if kind == "li"
                else "".join(f'<p class="big">第{i}段。</p>' for i in range(n)))
        pdf = tmp_path / f"{kind}{n}.pdf"
        pdf.write_bytes(html_to_pdf(page.replace(sig, f"<section><h2>九、存在问题</h2>"
                                                      f"{body}</section>\n{sig}")))
        seen.add(_pages(pdf))
        last = _last_page(pdf)
        assert last[-3:-1] == ["渭南高新区目标任务考核领导小组办公室", "2021年6月30日"], (n, last)
        assert any(f"第{n - 1}" in line for line in last), (n, last)
        if len(seen) > 1:
            break
    assert len(seen) == 2, seen  # the signature was on the edge of a page once


def test_short_headers_and_names_do_not_break_mid_word(tmp_path: Path, plain: Path) -> None:
    """The tables' columns were sized for the HTML's 178 mm line, and the PDF's GB/T
    9704 margins leave 156 mm: 组内名次 printed a character a line, 区行政审批服/务局,
    and in 渭南 Q2 序/号, 包抓领/导, 推进/中, 已销/号.  Each is on one line now."""
    out = tmp_path / "bk.pdf"
    run = subprocess.run([sys.executable, "-m", "luoshi_cli", "bulletin",
                          str(REPO / "ledgers" / "beilin-2024-kaohe"), "--quarter", "Q2",
                          "-o", str(out)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    lines = _text(out, "-layout").splitlines()
    assert any("组内名次" in line for line in lines)
    assert any("区行政审批服务局" in line and "90.25" in line for line in lines)
    lines = _text(plain, "-layout").splitlines()
    heads = [line.split() for line in lines if line.split()[:1] == ["序号"]]
    assert len(heads) >= 9, heads
    assert ["序号", "任务", "牵头单位", "包抓领导", "进度/序时", "状态", "亮灯", "最新进展"] in heads
    assert ["序号", "任务", "牵头单位", "包抓领导", "逾期节点", "逾期天数"] in heads
    words = {w for line in lines for w in line.split()}
    assert {"已销号", "推进中"} <= words
    assert not words & {"序", "号", "导", "中", "包抓领", "已销", "推进"}, words & {
        "序", "号", "导", "中", "包抓领", "已销", "推进"}


def test_a_supervision_notice_keeps_a_long_title_inside_the_page(
        write: Callable[..., Path], cli: Callable[..., Run], tmp_path: Path) -> None:
    """督办单 (`supervise --format html`) printed from a browser: a task title of one
    300-letter word ran past the right edge (its table had no overflow-wrap) and was
    printed cut off after 62 letters.  Now the title wraps inside the 18 mm margins."""
    title = "W" * 300
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("BL-007", "zjj", "2024-06-15")
                  .replace("title: 任务BL-007", f"title: 任务{title}")})
    page = tmp_path / "notice.html"
    r = cli("supervise", root, "--unit", "zjj", "--as-of", "2024-06-30", "-o", page)
    assert r.exit_code == 0, r.stderr
    out = tmp_path / "notice.pdf"
    out.write_bytes(html_to_pdf(page.read_text(encoding="utf-8")))
    right = 595.28 - 18 / 25.4 * 72
    assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', _bbox(out))) <= right + 2
    text = _text(out)
    assert text.count("W") == 300, text  # all of it, wrapped: none cut at the edge
    assert "节点" in text and "到期日" in text  # the headers are not broken a character a line
