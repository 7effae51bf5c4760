"""The PDF bulletin: the HTML bulletin printed by headless Chromium.

Why Chromium and not a PDF library: the HTML is what the office already checks in a
browser, with its CJK font stacks and charts; printing it gives the same layout on
paper.  Chromium is an optional system package: without it, a one-line error names it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
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
#: signature block kept with what comes before it (never alone on a page:
#: `keep_signature`), no single lines left at a page's end or start.  Appended to
#: the HTML's own styles.
PRINT_CSS = """
<style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-center { content: "— " counter(page) " —"; font-family: "Noto Serif CJK SC", serif;
                   font-size: 14pt; } }
p { orphans: 2; widows: 2; }
.signature { break-inside: avoid; page-break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
.luoshi-end, li:has(> .signature) { break-inside: avoid; page-break-inside: avoid; }
tr.luoshi-end > td { border: 0; padding: 0; background: none; }
tr.luoshi-end .signature, li > .signature { font-size: 1rem; line-height: 1.65; }
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


#: the environment variable naming the Chromium to print with
CHROMIUM_ENV = "LUOSHI_CHROMIUM"
#: the environment variable giving the seconds Chromium may take to print
TIMEOUT_ENV = "LUOSHI_PDF_TIMEOUT"
#: without it, Chromium may take BASE_TIMEOUT seconds and SECONDS_PER_MB more for each
#: megabyte of the page.  Measured on 2 shared cores: the 20,000-task × 10,000-unit
#: bench's monthly bulletin (10.8 MB of HTML) took 246 s in Chromium alone, past the
#: fixed 180 s it had (now 828 s); a page of an ordinary bulletin (50–500 KB) prints
#: in a few seconds.  A month's note of 16,000 lines in one cell (3.5 MB) took 801 s:
#: one table cell across a hundred pages is laid out slowly, and such a ledger needs
#: LUOSHI_PDF_TIMEOUT, which the timeout's message names.
BASE_TIMEOUT = 180.0
SECONDS_PER_MB = 60.0


def chromium() -> str | None:
    """The Chromium to print with: $LUOSHI_CHROMIUM (as given, there or not:
    `html_to_pdf` says which), else chromium on PATH."""
    given = os.environ.get(CHROMIUM_ENV)
    if given:
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_timeout(size: int) -> float:
    """The seconds Chromium may take to print a page of `size` bytes: $LUOSHI_PDF_TIMEOUT
    (a positive number of seconds), else `BASE_TIMEOUT` and `SECONDS_PER_MB` per
    megabyte.  A fixed 180 s failed a valid ledger's large bulletins (a monthly
    bulletin of 20,000 tasks; a month's note of 16,000 lines), with no way to
    allow more."""
    given = os.environ.get(TIMEOUT_ENV, "").strip()
    if given:
        try:
            seconds = float(given)
        except ValueError:
            seconds = 0.0
        if not 0 < seconds < float("inf"):
            raise LuoshiError(L(
                f"环境变量 {TIMEOUT_ENV}={given} 无效：请写 Chromium 打印 PDF 可用的秒数"
                "（正数，如 1200）",
                f"{TIMEOUT_ENV}={given} is not valid: give the seconds Chromium may take "
                "to print the PDF (a positive number, e.g. 1200)"))
        return seconds
    return BASE_TIMEOUT + SECONDS_PER_MB * size / 1_000_000


def _no_chromium(exe: str | None) -> LuoshiError:
    """Why there is no Chromium to run: none installed, or $LUOSHI_CHROMIUM naming
    nothing (it said to install Chromium, which may well be installed) or no program."""
    given = os.environ.get(CHROMIUM_ENV)
    if exe is None or not given:
        return NoChromium(L(
            "生成 PDF 需要 Chromium：请安装（Debian/Ubuntu：apt-get install chromium "
            "fonts-noto-cjk），或用 --format html / docx",
            "PDF needs Chromium: install it (Debian/Ubuntu: apt-get install chromium "
            "fonts-noto-cjk), or use --format html / docx"))
    from ...fsio import file_kind

    try:
        what = file_kind(os.stat(given).st_mode)
    except OSError:
        what = L("那里没有文件", "there is no file there")
    else:
        what = L(f"那是{what.zh}", f"that is {what.en}")
    return NoChromium(L(
        f"环境变量 {CHROMIUM_ENV} 指向 {given}，但{what.zh}：请改为 Chromium 程序的路径，"
        f"或取消 {CHROMIUM_ENV} 以使用 PATH 中的 chromium",
        f"{CHROMIUM_ENV} names {given}, but {what.en}: set it to the Chromium program, "
        f"or unset it to use chromium on PATH"))


#: what Chromium logs when it cannot open the page luoshi wrote: a Chromium confined
#: to a private /tmp (the Ubuntu snap) does not see the temporary directory
_NOT_FOUND = "ERR_FILE_NOT_FOUND"


def html_to_pdf(html: str, *, timeout: float | None = None,
                dated: date | None = None) -> bytes:
    """Print `html` to PDF with headless Chromium (a fresh profile, no network jobs).

    `timeout`: the seconds Chromium may take (None: `print_timeout` of the page);
    past it Chromium and every process it started are stopped.
    `dated`: the document's date, written as its creation and modification dates —
    Chromium writes the clock's, and a bulletin is the same bytes on every run
    (SPEC §7).  None: as Chromium wrote them."""
    exe = chromium()
    if exe is None or not Path(exe).is_file():
        raise _no_chromium(exe)
    marker = "</head>"
    page = html.replace(marker, PRINT_CSS + marker, 1) if marker in html else PRINT_CSS + html
    page = keep_signature(page)
    page = locked_page(page)
    if timeout is None:
        timeout = print_timeout(len(page.encode("utf-8")))
    with tempfile.TemporaryDirectory(prefix="luoshi-pdf-") as tmp:
        src = Path(tmp) / "bulletin.html"
        out = Path(tmp) / "bulletin.pdf"
        src.write_text(page, encoding="utf-8")
        cmd = [exe, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
               f"--print-to-pdf={out}", src.as_uri()]
        returncode, log = _run(cmd, exe, timeout)
        if returncode != 0 or not out.is_file():
            tail = " ".join(log.split()[-30:])
            hint = L("", "")
            if _NOT_FOUND in log:
                hint = L("。Chromium 读不到 luoshi 写在临时目录中的页面：它可能只能看到自己的 "
                         "/tmp（如 snap 版）；请把环境变量 TMPDIR 设为 Chromium 能读取的目录"
                         "（如 TMPDIR=$HOME/tmp）后重试",
                         ". Chromium cannot read the page luoshi wrote in a temporary "
                         "directory: it may see only its own /tmp (the snap does); set "
                         "TMPDIR to a directory Chromium can read (e.g. TMPDIR=$HOME/tmp) "
                         "and try again")
            # what happened: a failure (its exit code), or an exit 0 with no file —
            # and Chromium's last words, or that it said nothing
            what = (L(f"Chromium 无法生成 PDF（退出码 {returncode}）",
                      f"Chromium could not print the PDF (exit {returncode})")
                    if returncode != 0 else
                    L("Chromium 退出但没有生成 PDF 文件",
                      "Chromium exited without writing a PDF file"))
            said = L(tail, tail) if tail else L("Chromium 未输出任何信息",
                                                "Chromium printed no message")
            raise LuoshiError(L(f"{what.zh}：{said.zh}{hint.zh}",
                                f"{what.en}: {said.en}{hint.en}"))
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


#: the signature block (落款) of the bulletin templates: a div of paragraphs
_SIGNATURE = '<div class="signature">'
_ROW = re.compile(r"<tr[\s>]")
_CELL = re.compile(r"<t[dh](?=[\s>])([^>]*)>")
_COLSPAN = re.compile(r"""\bcolspan\s*=\s*["']?(\d+)""")


def keep_signature(page: str) -> str:
    """`page` with its signature block (落款, `<div class="signature">`) put together
    with the last piece of text before it, in one block that is not broken across
    pages (PRINT_CSS: `.luoshi-end`): GB/T 9704 never prints the signature alone on
    its page.  `break-before: avoid` on the signature did not do it: Chromium
    ignores it after a table that runs over pages (the 260-row table of a 300-task
    ledger's bulletin left 市委督查室 and the date alone on page 56), and after
    paragraphs too, where it even broke the signature in two.

    - a table (`…</tbody></table>`): its last row moves to a row group of its own,
      with the signature in a row after it, spanning the table, without borders —
      the group is kept whole, and on a new page the header row is repeated above it;
    - a list (`…</li></ol>`): the signature goes into the last item, kept whole;
    - a paragraph (`…</p>`): it and the signature are wrapped in one kept block.

    Anything else before the signature (a ledger's own template may end any way)
    is left as it is."""
    start = page.rfind(_SIGNATURE)
    if start < 0:
        return page
    end = page.find("</div>", start)
    if end < 0 or "<div" in page[start + len(_SIGNATURE):end]:
        return page
    end += len("</div>")
    signature = page[start:end]
    head = page[:start]
    cut = len(head)  # back over what may stand between the text and the signature
    while True:
        while cut and head[cut - 1].isspace():
            cut -= 1
        if not head.endswith("</section>", 0, cut):
            break
        cut -= len("</section>")
    before, between, after = head[:cut], head[cut:], page[end:]
    if before.endswith("</table>") and before[:-8].rstrip().endswith("</tbody>"):
        body_end = before[:-8].rstrip().rfind("</tbody>")
        row_at = body_end
        while (row_at := before.rfind("<tr", 0, row_at)) >= 0 \
                and not _ROW.match(before, row_at):
            pass
        row = before[row_at:body_end]
        if row_at < 0 or "<table" in row or "</table" in row or "<tbody" in row:
            return page
        columns = sum(int(c.group(1)) if (c := _COLSPAN.search(attrs)) else 1
                      for attrs in _CELL.findall(row))
        kept = (f'</tbody><tbody class="luoshi-end">{row}<tr class="luoshi-end">'
                f'<td colspan="{max(columns, 1)}">{signature}</td></tr>')
        return before[:row_at] + kept + before[body_end:] + between + after
    if before.endswith(("</ol>", "</ul>")):
        item_end = before.rfind("</li>")
        item = before.rfind("<li", 0, item_end)
        if item < 0 or before[item_end + 5:-5].strip():
            return page
        inner = before[item:item_end]
        if "<li" in inner[3:] or "<ol" in inner or "<ul" in inner:
            return page
        return before[:item_end] + signature + before[item_end:] + between + after
    if before.endswith("</p>"):
        para = max(before.rfind("<p>"), before.rfind("<p "))
        if para < 0 or "</p>" in before[para:-4]:
            return page
        return (before[:para] + '<div class="luoshi-end">' + before[para:] + signature
                + "</div>" + between + after)
    return page


def _run(cmd: list[str], exe: str, timeout: float) -> tuple[int, str]:
    """Chromium's exit code and log (stderr), run in a process group of its own: past
    `timeout` the whole group is stopped — a wrapper script's Chromium and the
    renderers too, which `subprocess.run` would wait for, holding the pipes — and
    the error says so in one line, with what to do (it printed Chromium's whole
    command line)."""
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, errors="replace", start_new_session=posix)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise LuoshiError(L(f"无法运行 Chromium（{exe}）：{why}",
                            f"cannot run Chromium ({exe}): {why}")) from None
    try:
        _, log = proc.communicate(timeout=timeout)
    except BaseException as exc:  # the timeout, or ^C: nothing of it is left running
        if posix:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.kill()
        proc.communicate()
        if not isinstance(exc, subprocess.TimeoutExpired):
            raise
        took, more = f"{round(timeout, 1):g}", max(round(timeout * 2), 60)
        raise LuoshiError(L(
            f"Chromium 未能在 {took} 秒内打印完 PDF，已停止，未写入文件：请设置环境变量 "
            f"{TIMEOUT_ENV} 放宽时限（如 {TIMEOUT_ENV}={more}），或改用 --format html / docx",
            f"Chromium did not finish printing the PDF within {took} s and was stopped; "
            f"nothing was written: allow it more time with {TIMEOUT_ENV} (e.g. "
            f"{TIMEOUT_ENV}={more}), or use --format html / docx")) from None
    return proc.returncode, log


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
