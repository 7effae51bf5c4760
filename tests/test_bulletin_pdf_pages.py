"""The PDF bulletin's pages as real Chromium prints them: a long word wraps inside the
margins (the page keeps its scale).  Needs Chromium and poppler-utils (pdftotext, pdfinfo); skipped without."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run, edit

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
    flat = re.sub(r"\s+", "", _text(out))
    assert f"对排名后3位的{name}、城改办、东区管委会进行约谈提醒" in flat
