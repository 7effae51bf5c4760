"""Characters the PDF prints as boxes are named on stderr (`report.bulletin.glyphs`).

An audit printed a unit named with CJK Extension B characters (𠀀 U+20000) and emoji:
`fonts-noto-cjk` has none of them, the PDF showed empty boxes, `pdftotext` still
extracted the characters, and nothing told the clerk.  Now each character outside the
ranges every `fonts-noto-cjk` has drawn is looked up with fontconfig (the fonts
Chromium falls back to); those no installed font has are named, with the packages
that have them.  U+F0000 (private use) is in no font; U+20000 is in fonts-hanazono,
which CI installs.  The audit of printed outputs found the same boxes, unnamed, for
characters inside the BMP: 鿰 (U+9FF0, an ideograph of Unicode 13) and ꀀ (U+A000, Yi)
in a unit's name."""

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


def test_bmp_characters_outside_the_cjk_fonts_are_looked_up_too() -> None:
    """Ideographs Unicode added to the BMP's blocks after 3.0 (鿰 U+9FF0; U+4DB6 at
    Extension A's end), Yi (ꀀ U+A000) and private use (U+E000) are looked up; the
    text a bulletin is made of — ASCII, CJK (U+4E00–U+9FA5, Extension A's U+3400), its
    punctuation, full-width forms, ① → ★ ×, the ideographic space — is not, nor a
    zero-width space (drawn as nothing).  Before, only 𠀀 was looked up here."""
    text = ("崇业路鿰街道ꀀ —“区”（一）、①→★×㐀龥 a-Z 𠀀\u3000\u200b\ue000 "
            "\u4db6鿰")
    assert rare(text) == ["鿰", "ꀀ", "𠀀", "\ue000", "\u4db6"]


@pytest.mark.skipif(FC_LIST is None, reason="fontconfig (fc-list) is not installed")
def test_the_note_names_bmp_characters_no_font_has() -> None:
    if _has_font("鿰") or _has_font("ꀀ"):
        pytest.skip("a font here has U+9FF0 or U+A000")
    note = boxes_note("<td>崇业路鿰街道ꀀ</td>")
    assert note is not None
    assert note.en == (
        "no installed font has these characters, so the PDF prints them as boxes: "
        "鿰 (U+9FF0), ꀀ (U+A000); install fonts that have them and make the PDF again; "
        "neither fonts-hanazono nor fonts-noto-color-emoji has them: a font for their "
        "script is needed")


@pytest.mark.skipif(FC_LIST is None, reason="fontconfig (fc-list) is not installed")
def test_the_note_names_what_no_font_has() -> None:
    if not _has_font("𠀀"):
        pytest.skip("no font with U+20000 here (Debian: apt-get install fonts-hanazono)")
    note = boxes_note(f"<td>区教育局𠀀{PRIVATE}</td>")
    assert note is not None
    assert note.zh == (
        f"PDF 中这些字本机没有字体，会印成方框：{PRIVATE}（U+F0000）；请安装含这些字的字体后"
        "重新生成；这些字不在 fonts-hanazono、fonts-noto-color-emoji 中，需另装含其文字的字体")
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
        f"{PRIVATE} (U+F0000); install fonts that have them and make the PDF again; "
        "neither fonts-hanazono nor fonts-noto-color-emoji has them: a font for their "
        "script is needed")
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.skipif(FC_LIST is None or not (shutil.which("chromium")
                                            or shutil.which("chromium-browser")),
                    reason="needs Chromium and fontconfig; CI installs them")
def test_bulletin_pdf_names_bmp_boxes(cli: Callable[..., Run], example: Path,
                                      tmp_path: Path) -> None:
    """The audit's ledger: a unit named 崇业路鿰街道ꀀ printed two boxes with no word
    on stderr."""
    if _has_font("鿰") or _has_font("ꀀ"):
        pytest.skip("a font here has U+9FF0 or U+A000")
    units = example / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace("name: 崇业路街道", "name: 崇业路鿰街道ꀀ", 1),
                     encoding="utf-8")
    out = tmp_path / "b.pdf"
    r = cli("bulletin", example, "--quarter", "Q2", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (
        "luoshi: PDF 中这些字本机没有字体，会印成方框：鿰（U+9FF0）、ꀀ（U+A000）；"
        "请安装含这些字的字体后重新生成；这些字不在 fonts-hanazono、fonts-noto-color-emoji "
        "中，需另装含其文字的字体")
    assert out.read_bytes().startswith(b"%PDF-")


def _missing_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """No installed font has any character looked up (the hint alone is tested)."""
    from luoshi_cli.report.bulletin import glyphs

    monkeypatch.setattr(glyphs, "uncovered", lambda chars: list(chars))


def test_the_hint_names_only_packages_that_have_the_characters(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit's unit named in Mongolian and Tibetan script: the note told to
    install fonts-hanazono and fonts-noto-color-emoji, which have neither.  Now each
    package is named only for what it draws (Extension B → hanazono, an emoji →
    noto-color-emoji), and what neither has is said to need another font."""
    _missing_all(monkeypatch)
    note = boxes_note("<td>崇业路街道ᠮᠣᠩᠭᠣᠯ</td>")
    assert note is not None
    assert note.zh == (
        "PDF 中这些字本机没有字体，会印成方框：ᠮ（U+182E）、ᠣ（U+1823）、ᠩ（U+1829）、ᠭ（U+182D）、"
        "ᠯ（U+182F）；请安装含这些字的字体后重新生成；这些字不在 fonts-hanazono、"
        "fonts-noto-color-emoji 中，需另装含其文字的字体")
    assert "apt-get" not in note.zh and "apt-get" not in note.en
    note = boxes_note("<td>区教育局𠀀</td>")
    assert note is not None
    assert note.en == (
        "no installed font has these characters, so the PDF prints them as boxes: "
        "𠀀 (U+20000); install fonts that have them and make the PDF again "
        "(Debian/Ubuntu: apt-get install fonts-hanazono)")
    note = boxes_note("<td>😀</td>")
    assert note is not None and note.zh.endswith(
        "（Debian/Ubuntu：apt-get install fonts-noto-color-emoji）")
    note = boxes_note("<td>𠀀བ\uffff😀</td>")
    assert note is not None
    assert note.zh == (
        "PDF 中这些字本机没有字体，会印成方框：𠀀（U+20000）、བ（U+0F56）、\uffff（U+FFFF）、"
        "😀（U+1F600）；请安装含这些字的字体后重新生成（Debian/Ubuntu：apt-get install "
        "fonts-hanazono fonts-noto-color-emoji）；བ（U+0F56）、\uffff（U+FFFF）不在 "
        "fonts-hanazono、fonts-noto-color-emoji 中，需另装含其文字的字体")
    assert note.en.endswith(
        "(Debian/Ubuntu: apt-get install fonts-hanazono fonts-noto-color-emoji); neither "
        "fonts-hanazono nor fonts-noto-color-emoji has བ (U+0F56), \uffff (U+FFFF): a font "
        "for their script is needed")
