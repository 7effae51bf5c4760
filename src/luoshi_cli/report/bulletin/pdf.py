"""The PDF bulletin: the HTML bulletin printed by headless Chromium.

Why Chromium and not a PDF library: the HTML is what the office already checks in a
browser, with its CJK font stacks and charts; printing it gives the same layout on
paper.  Chromium is an optional system package: without it, a one-line error names it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from ...core.codes import L
from ...core.errors import LuoshiError
from ...core.safetext import printable
from .templates import CSP as CSP
from .templates import locked_page

#: GB/T 9704 as far as a browser prints it: page numbers at the foot (— 1 —), the
#: signature block kept with the paragraph before it (never alone on a page), no
#: single lines left at a page's end or start.  Appended to the HTML's own styles.
PRINT_CSS = """
<style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-center { content: "— " counter(page) " —"; font-family: "Noto Serif CJK SC", serif;
                   font-size: 14pt; } }
p { orphans: 2; widows: 2; }
.signature { break-before: avoid; break-inside: avoid; page-break-before: avoid; }
h1, h2, h3 { break-after: avoid; }
</style>
"""

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer",
         # no network at all: every request goes to a proxy that is not there (IP
         # literals and loopback included), and no host name resolves
         "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--host-resolver-rules=MAP * ~NOTFOUND")

#: the page loads nothing: a ledger's own template is text from whoever can commit, and
#: an <iframe src="file:///…">, <img src="http://…"> or script in it would put a file
#: from outside the ledger into the PDF or call out.  Inline styles only.
class NoChromium(LuoshiError):
    """PDF needs Chromium, which is not installed (exit 2)."""


def chromium() -> str | None:
    """The Chromium to print with: $LUOSHI_CHROMIUM, else chromium on PATH."""
    given = os.environ.get("LUOSHI_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def html_to_pdf(html: str, *, timeout: float = 180, dated: date | None = None) -> bytes:
    """Print `html` to PDF with headless Chromium (a fresh profile, no network jobs).

    `dated`: the document's date, written as its creation and modification dates —
    Chromium writes the clock's, and a bulletin is the same bytes on every run
    (SPEC §7).  None: as Chromium wrote them."""
    exe = chromium()
    if exe is None:
        raise NoChromium(L(
            "生成 PDF 需要 Chromium：请安装（Debian/Ubuntu：apt-get install chromium "
            "fonts-noto-cjk），或用 --format html / docx",
            "PDF needs Chromium: install it (Debian/Ubuntu: apt-get install chromium "
            "fonts-noto-cjk), or use --format html / docx"))
    marker = "</head>"
    page = html.replace(marker, PRINT_CSS + marker, 1) if marker in html else PRINT_CSS + html
    page = locked_page(page)
    with tempfile.TemporaryDirectory(prefix="luoshi-pdf-") as tmp:
        src = Path(tmp) / "bulletin.html"
        out = Path(tmp) / "bulletin.pdf"
        src.write_text(page, encoding="utf-8")
        cmd = [exe, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
               f"--print-to-pdf={out}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise LuoshiError(L(f"Chromium 无法生成 PDF：{exc}",
                                f"Chromium could not print the PDF: {exc}")) from None
        if proc.returncode != 0 or not out.is_file():
            tail = " ".join(proc.stderr.split()[-30:])
            raise LuoshiError(L(f"Chromium 无法生成 PDF（退出码 {proc.returncode}）：{tail}",
                                f"Chromium could not print the PDF (exit "
                                f"{proc.returncode}): {tail}"))
        data = out.read_bytes()
    if not data.startswith(b"%PDF-"):
        # a $LUOSHI_CHROMIUM that exits 0 having written something else (an error
        # page, nothing at all): never saved as the bulletin, the old file kept
        head = printable(data[:16].decode("latin-1"))
        raise LuoshiError(L(f"Chromium 写出的文件不是 PDF（开头是“{head}”）：未写入任何文件",
                            f"what Chromium wrote is no PDF (it starts “{head}”): nothing "
                            "was written"))
    data = stable_ids(data)
    return data if dated is None else fixed_dates(data, dated)


#: the id Chromium gives a tagged PDF's structure element: its DOM node's number
_NODE_ID = re.compile(rb"\(node(\d{8})\)")


def stable_ids(pdf: bytes) -> bytes:
    """`pdf` with its structure elements' ids (`(node00000028)`, in each element and in
    the id tree) numbered 1, 2, 3 … in their order.  Chromium numbers them after its
    DOM nodes, and a busy machine printed one bulletin once with every id one lower:
    the same document, other bytes (SPEC §7 wants the same bytes).  The renumbering
    keeps their order (the id tree stays sorted) and their length (the cross-reference
    offsets hold)."""
    found = sorted({int(n) for n in _NODE_ID.findall(pdf)})
    if not found:
        return pdf
    new = {n: b"(node%08d)" % (i + 1) for i, n in enumerate(found)}
    return _NODE_ID.sub(lambda m: new[int(m.group(1))], pdf)


#: a PDF date as Chromium writes it in the document information dictionary:
#: (D:YYYYMMDDHHmmSS+HH'mm')
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([+\-]\d\d'\d\d'|Z)?\)")


def fixed_dates(pdf: bytes, when: date) -> bytes:
    """`pdf` with its creation and modification dates set to `when` at midnight UTC.
    Each replacement has exactly the length of what it replaces: the cross-reference
    table gives every object's byte offset, and they stay true."""
    stamp = when.strftime("%Y%m%d").encode() + b"000000"

    def put(m: re.Match[bytes]) -> bytes:
        zone = m.group(3) or b""
        if len(zone) == 7:
            zone = b"+00'00'"
        return b"/" + m.group(1) + b" (D:" + stamp + zone + b")"

    return _PDF_DATE.sub(put, pdf)
