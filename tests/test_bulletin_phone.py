"""Issue 16: the HTML bulletin at phone width, laid out by a real headless Chromium.

At 375 CSS px (an iPhone's width) numbers must not overlap one another and the
English edition's table headers must not break inside a word.  The layout is read
from the browser itself.  Headless Chromium will not make a window narrower than
500 px, so the page — unchanged, its Content-Security-Policy (no script) intact — is
shown in a 375 px iframe (`srcdoc`: the frame's viewport is 375 px, its media queries
apply) of a wrapper page that only the test writes; the wrapper's script measures,
with DOM Ranges, every word of every table header and every number in the tables,
and writes what it found into the wrapper; `--dump-dom` prints it.

Skipped cleanly without Chromium (Debian: apt-get install chromium fonts-noto-cjk).
"""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install "
    "chromium fonts-noto-cjk); CI installs it")

PHONE = 375
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1",
         "--virtual-time-budget=5000")

#: measures the page: each header word must be one box (not broken across lines);
#: each number in a table one box, and no two numbers' boxes may overlap
PROBE = r"""
<script>
addEventListener('load', () => {
  const doc = document.getElementById('phone').contentDocument;
  const words = [], numbers = [];
  const boxes = (node, start, end) => {
    const r = doc.createRange(); r.setStart(node, start); r.setEnd(node, end);
    return Array.from(r.getClientRects()).filter(b => b.width > 0 && b.height > 0)
      .map(b => [b.left, b.top, b.right, b.bottom]);
  };
  const texts = root => {
    const out = [], w = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (w.nextNode()) out.push(w.currentNode);
    return out;
  };
  for (const th of doc.querySelectorAll('th')) {
    for (const t of texts(th)) {
      for (const m of t.data.matchAll(/[A-Za-z][A-Za-z'’-]*/g)) {
        words.push({text: m[0], header: th.textContent.trim(),
                    boxes: boxes(t, m.index, m.index + m[0].length)});
      }
    }
  }
  for (const td of doc.querySelectorAll('td')) {
    for (const t of texts(td)) {
      for (const m of t.data.matchAll(/[-+]?\d+(?:\.\d+)?%?(?:\/\d+(?:\.\d+)?%?)?/g)) {
        numbers.push({text: m[0], boxes: boxes(t, m.index, m.index + m[0].length)});
      }
    }
  }
  const pre = document.createElement('pre');
  pre.id = 'luoshi-probe';
  pre.textContent = JSON.stringify({width: doc.documentElement.clientWidth,
                                    scroll: doc.documentElement.scrollWidth, words, numbers});
  document.body.appendChild(pre);
});
</script>
"""


def _wrapper(page: str) -> str:
    """The test's own page: the bulletin, as it is, in a phone-wide frame, and the probe."""
    return ('<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">'
            f'<iframe id="phone" style="width:{PHONE}px;height:4000px;border:0" '
            f'srcdoc="{htmllib.escape(page, quote=True)}"></iframe>{PROBE}</body></html>')


def _layout(tmp: Path, lang: str) -> dict[str, Any]:
    from typer.testing import CliRunner

    from luoshi_cli.cli.app import app

    page = tmp / f"bulletin.{lang}.html"
    r = CliRunner().invoke(app, ["bulletin", str(EXAMPLE), "--quarter", "Q2", "--lang", lang,
                                 "--format", "html", "-o", str(page)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    text = page.read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in text and "<script" not in text
    probe = tmp / f"probe.{lang}.html"
    probe.write_text(_wrapper(text), encoding="utf-8")
    assert CHROMIUM is not None
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}",
                           "--window-size=800,900", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<pre id="luoshi-probe">(.*?)</pre>', proc.stdout, re.S)
    assert m is not None, "the probe did not run"
    return json.loads(htmllib.unescape(m.group(1)))  # type: ignore[no-any-return]


def _overlap(a: list[float], b: list[float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_width_layout(tmp_path: Path, lang: str) -> None:
    got = _layout(tmp_path, lang)
    assert got["width"] <= PHONE
    assert got["scroll"] <= PHONE  # nothing runs off the side of the phone
    if lang == "en":
        assert got["words"], "the English tables have headers"
    broken = [(w["header"], w["text"]) for w in got["words"] if len(w["boxes"]) != 1]
    assert broken == []
    assert len(got["numbers"]) > 20
    split = [n["text"] for n in got["numbers"] if len(n["boxes"]) != 1]
    assert split == []
    boxes = [(n["text"], n["boxes"][0]) for n in got["numbers"]]
    clashes = [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:]
               if _overlap(ba, bb)]
    assert clashes == []
