"""Characters the PDF would print as empty boxes (豆腐块).

People's and places' names hold rare characters — CJK Extension B and beyond
(𠀀 U+20000, 𪚥 U+2A6A5) — and sometimes emoji.  `fonts-noto-cjk` covers none of
them: Chromium prints a box, `pdftotext` still extracts the character, and nothing
tells the clerk that the printed page is wrong (audit).  Before printing, each such
character (outside the Basic Multilingual Plane) is looked up with fontconfig's
`fc-list :charset=HEX` — the fonts Chromium itself falls back to on Linux — and the
ones no installed font has are named in a note on stderr, with the package that
has them.  Without fontconfig nothing can be said, and nothing is.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

from ...core.codes import L

#: at most this many distinct characters are looked up (one fc-list call each)
LOOKUPS = 64
#: combining marks, format characters (ZWJ, tags of flag emoji): drawn with their
#: neighbours, never boxes of their own
_NOT_GLYPHS = frozenset({"Mn", "Me", "Cf", "Cc", "Cs"})


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def rare(text: str) -> list[str]:
    """The distinct characters outside the BMP that are drawn, in order of first use
    (found by the regex engine: a bulletin of 100,000 tasks is tens of MB of HTML)."""
    seen = dict.fromkeys(_ASTRAL.findall(text))
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
    shown = "、".join(f"{c}（U+{ord(c):04X}）" for c in missing[:10])
    shown_en = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:10])
    more = len(missing) - 10
    if more > 0:
        shown += f" 等 {len(missing)} 个"
        shown_en += f" and {more} more"
    return L(f"PDF 中这些字本机没有字体，会印成方框：{shown}；请安装含这些字的字体后重新生成"
             "（Debian/Ubuntu：apt-get install fonts-hanazono fonts-noto-color-emoji）",
             f"no installed font has these characters, so the PDF prints them as boxes: "
             f"{shown_en}; install fonts that have them and make the PDF again "
             "(Debian/Ubuntu: apt-get install fonts-hanazono fonts-noto-color-emoji)")
