"""Characters the PDF would print as empty boxes (豆腐块).

People's and places' names hold rare characters — CJK Extension B and beyond
(𠀀 U+20000, 𪚥 U+2A6A5), the ideographs Unicode added to the BMP's blocks since
(鿰 U+9FF0; Extension A's U+4DB6–U+4DBF), Yi (ꀀ U+A000) — and sometimes emoji.
`fonts-noto-cjk` covers none of them: Chromium prints a box, `pdftotext` still
extracts the character, and nothing tells the clerk that the printed page is wrong
(audit).  Before printing, each such character — every one outside the ranges
`fonts-noto-cjk` has had in every release (`_COVERED`) — is looked up with
fontconfig's `fc-list :charset=HEX` — the fonts Chromium itself falls back to on
Linux — and the ones no installed font has are named in a note on stderr, with the
package that has them.  Without fontconfig nothing can be said, and nothing is.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

from ...core.codes import L

#: at most this many distinct characters are looked up (one fc-list call each)
LOOKUPS = 64
#: combining marks, format characters (ZWJ, tags of flag emoji), blanks: drawn with
#: their neighbours or as space, never boxes of their own
_NOT_GLYPHS = frozenset({"Mn", "Me", "Cf", "Cc", "Cs", "Zs", "Zl", "Zp"})

#: what every `fonts-noto-cjk` release has drawn (a subset of Noto Sans CJK SC's
#: character set, as `fc-query --format '%{charset}'` lists it): ASCII and Latin-1,
#: Greek and Cyrillic letters, the punctuation, symbols, numbers and shapes Chinese
#: text uses (— “” … ※ ℃ № Ⅻ → ① ■ ▲ ◆ ○ ★ ∶ ≤), radicals and strokes, CJK
#: punctuation, kana, bopomofo, Hangul, the enclosed and compatibility blocks,
#: Extension A and the unified ideographs as Unicode 1.1 and 3.0 had them
#: (U+3400–U+4DB5, U+4E00–U+9FA5 — the later additions, U+9FA6 on and U+4DB6 on, are
#: in newer releases only, and looked up), the compatibility ideographs, full-width
#: forms.  Only the rest is looked up: the text of a bulletin is nearly all of this
_COVERED = (
    "\t\n\r\x20-\x7e\xa0-\u0103\u0391-\u03a1\u03a3-\u03a9\u03b1-\u03c9\u0401"
    "\u0410-\u044f\u0451\u2010-\u2016\u2018-\u201a\u201c-\u201e\u2020-\u2022"
    "\u2025-\u2027\u2030\u2032\u2033\u2035\u2039-\u203c\u2103\u2116\u2121\u2122"
    "\u2160-\u216b\u2170-\u217b\u2190-\u2199\u2211\u221a\u221d-\u2220\u2234-\u2237"
    "\u2248\u2260-\u2262\u2264-\u2267\u2460-\u25ab\u25b1-\u25b3\u25b6\u25b7\u25bc"
    "\u25bd\u25c0\u25c1\u25c6\u25c7\u25c9-\u25cc\u25ce-\u25d3\u25e2-\u25e6\u25ef"
    "\u2605\u2606\u2e80-\u2e99\u2e9b-\u2ef3\u2f00-\u2fd5\u2ff0-\u2ffb\u3000-\u303f"
    "\u3041-\u3096\u3099-\u30ff\u3105-\u312f\u3131-\u318e\u3190-\u31bb\u31c0-\u31e3"
    "\u31f0-\u321e\u3220-\u332b\u332d-\u4db5\u4e00-\u9fa5\uac00-\ud7a3\uf900-\ufa6d"
    "\ufe10-\ufe19\ufe30-\ufe52\ufe54-\ufe66\ufe68-\ufe6b\uff01-\uffbe\uffc2-\uffc7"
    "\uffca-\uffcf\uffd2-\uffd7\uffda-\uffdc\uffe0-\uffe6\uffe8-\uffee")
_UNCOVERED = re.compile(f"[^{_COVERED}]")


#: the packages that draw what fonts-noto-cjk does not, and what each has (fc-query of
#: fonts-hanazono 20170904's HanaMinA/B and of fonts-noto-color-emoji): the unified
#: ideographs to Unicode 10 (U+4E00–U+9FEA, Extensions B–F), the compatibility
#: ideographs; the emoji blocks.  Anything else (the ideographs added since, 鿰 U+9FF0,
#: Extension G; Yi, Mongolian, Tibetan; private use) neither has
_PACKAGES = (
    ("fonts-hanazono", ((0x4E00, 0x9FEA), (0xF900, 0xFAD9), (0x20000, 0x2A6D6),
                        (0x2A700, 0x2EBE0), (0x2F800, 0x2FA1D))),
    ("fonts-noto-color-emoji", ((0x1F1E6, 0x1F1FF), (0x1F300, 0x1F64F), (0x1F680, 0x1F6FF),
                                (0x1F900, 0x1F9FF), (0x1FA70, 0x1FAFF))),
)


def package(char: str) -> str | None:
    """The Debian package whose font draws `char`, of those luoshi names (None: neither)."""
    code = ord(char)
    for name, spans in _PACKAGES:
        if any(lo <= code <= hi for lo, hi in spans):
            return name
    return None


def rare(text: str) -> list[str]:
    """The distinct characters outside `_COVERED` that are drawn, in order of first
    use (found by the regex engine: a bulletin of 100,000 tasks is tens of MB of
    HTML, nearly all of it covered)."""
    # each distinct character kept once as it is found: `findall` listed every one,
    # and 12 M characters of Uyghur text made a list of 900 MB
    seen = dict.fromkeys(m.group() for m in _UNCOVERED.finditer(text))
    return [c for c in seen if unicodedata.category(c) not in _NOT_GLYPHS]


def uncovered(chars: list[str]) -> list[str] | None:
    """Those of `chars` no installed font has (None: fontconfig is not there to ask)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    out = []
    for c in chars[:LOOKUPS]:
        try:
            found = subprocess.run([exe, f":charset={ord(c):x}", "family"],
                                   capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        if found.returncode != 0:
            return None
        if not found.stdout.strip():
            out.append(c)
    return out


def boxes_note(html: str) -> L | None:
    """The note naming the characters the PDF of `html` would print as boxes, or None."""
    missing = uncovered(rare(html))
    if not missing:
        return None
    shown, shown_en = _listed(missing)
    packages = [name for name, _ in _PACKAGES if any(package(c) == name for c in missing)]
    others = [c for c in missing if package(c) is None]
    zh = (f"PDF 中这些字本机没有字体，会印成方框：{shown}；请安装含这些字的字体后重新生成")
    en = (f"no installed font has these characters, so the PDF prints them as boxes: "
          f"{shown_en}; install fonts that have them and make the PDF again")
    if packages:
        zh += f"（Debian/Ubuntu：apt-get install {' '.join(packages)}）"
        en += f" (Debian/Ubuntu: apt-get install {' '.join(packages)})"
    if others:
        none_zh, none_en = _listed(others) if packages else ("这些字", "them")
        zh += (f"；{none_zh}不在 fonts-hanazono、fonts-noto-color-emoji 中，"
               "需另装含其文字的字体")
        en += (f"; neither fonts-hanazono nor fonts-noto-color-emoji has {none_en}: "
               "a font for their script is needed")
    return L(zh, en)


def _listed(chars: list[str]) -> tuple[str, str]:
    """`chars` as the note names them, in Chinese and English: at most ten, and how
    many more."""
    shown = "、".join(f"{c}（U+{ord(c):04X}）" for c in chars[:10])
    shown_en = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:10])
    more = len(chars) - 10
    if more > 0:
        shown += f" 等 {len(chars)} 个"
        shown_en += f" and {more} more"
    return shown, shown_en
