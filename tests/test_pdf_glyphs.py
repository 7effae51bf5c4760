"""Characters the PDF prints as boxes are named on stderr (`report.bulletin.glyphs`).

An audit printed a unit named with CJK Extension B characters (𠀀 U+20000) and emoji:
`fonts-noto-cjk` has none of them, the PDF showed empty boxes, `pdftotext` still
extracted the characters, and nothing told the clerk.  Now each character outside the
BMP is looked up with fontconfig (the fonts Chromium falls back to); those no
installed font has are named, with the packages that have them.  U+F0000 (private
use) is in no font; U+20000 is in fonts-hanazono, which CI installs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from luoshi_cli.report.bulletin.glyphs import boxes_note, rare

PRIVATE = "\U000F0000"  # Supplementary Private Use Area-A: no font has it
FC_LIST = shutil.which("fc-list")


def _has_font(c: str) -> bool:
    assert FC_LIST is not None
    out = subprocess.run([FC_LIST, f":charset={ord(c):x}", "family"], capture_output=True,
                         check=True)
    return bool(out.stdout.strip())


def test_only_drawn_characters_outside_the_bmp_are_looked_up() -> None:
    """BMP text (区, a) and the joiner and flag tags that draw nothing are left out;
    each character once, in order of first use."""
    family = "👨\u200d👩\u200d👧"
    tag_flag = "🏴\U000E0067\U000E0062\U000E007F"
    assert rare(f"区𠀀a{family}{PRIVATE}𠀀{tag_flag}") == ["𠀀", "👨", "👩", "👧", PRIVATE,
                                                           "🏴"]


@pytest.mark.skipif(FC_LIST is None, reason="fontconfig (fc-list) is not installed")
def test_the_note_names_what_no_font_has() -> None:
    if not _has_font("𠀀"):
        pytest.skip("no font with U+20000 here (Debian: apt-get install fonts-hanazono)")
    note = boxes_note(f"<td>区教育局𠀀{PRIVATE}</td>")
    assert note is not None
    assert note.zh == (
        f"PDF 中这些字本机没有字体，会印成方框：{PRIVATE}（U+F0000）；请安装含这些字的字体后"
        "重新生成（Debian/Ubuntu：apt-get install fonts-hanazono fonts-noto-color-emoji）")
    assert boxes_note("<td>区教育局𠀀</td>") is None
    assert boxes_note("<td>区教育局</td>") is None


@pytest.mark.skipif(FC_LIST is None or not (shutil.which("chromium")
                                            or shutil.which("chromium-browser")),
                    reason="needs Chromium and fontconfig; CI installs them")
def test_bulletin_pdf_says_so(cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    units = example / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert "name: 崇业路街道" in text
    units.write_text(text.replace("name: 崇业路街道", f"name: 崇业路街道{PRIVATE}", 1),
                     encoding="utf-8")
    out = tmp_path / "b.pdf"
    r = cli("bulletin", example, "--month", "2021-05", "--as-of", "2021-06-30", "-o", out,
            "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (
        "luoshi: no installed font has these characters, so the PDF prints them as boxes: "
        f"{PRIVATE} (U+F0000); install fonts that have them and make the PDF again "
        "(Debian/Ubuntu: apt-get install fonts-hanazono fonts-noto-color-emoji)")
    assert out.read_bytes().startswith(b"%PDF-")
