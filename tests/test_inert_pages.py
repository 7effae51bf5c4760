"""A ledger's own HTML template can make the reader's browser reach nothing.

The page luoshi writes carries a Content-Security-Policy (`default-src 'none'`), but
a policy does not govern everything a page can do.  The audit of printed outputs
found: `<link rel="preconnect" href="http://127.0.0.1:8765">` (and `dns-prefetch`)
in a ledger's `templates/bulletin.html.j2` connected to the address, or looked the
host name up, as soon as the HTML was opened; a `<form action=http://…>` submitted
when its button was pressed (`form-action` is not covered by `default-src`); a
`<base href>` moved where the page's relative addresses lead (`base-uri`, neither);
and the template's `javascript:` and `file:///` links became clickable link
annotations in the PDF.  Each is checked here in real Chromium, as a reader opens the
file, and in the PDF's link annotations (`pdfinfo -url`).
"""

from __future__ import annotations

import html as html_lib
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Run, edit
from luoshi_cli.report.bulletin.templates import CSP, locked_page

Cli = Callable[..., Run]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFINFO = shutil.which("pdfinfo")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install "
                             "chromium fonts-noto-cjk poppler-utils); CI installs it")
#: as tests/test_bulletin_browser.py opens a page: a reader's browser, no proxy
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


# ---- the rewriting, exactly --------------------------------------------------------------


@pytest.mark.parametrize(("page", "locked"), [
    # link types no policy governs: renamed however spelled
    ('<link rel="preconnect" href="http://127.0.0.1:8765">',
     '<link data-inert-rel="preconnect" href="http://127.0.0.1:8765">'),
    ("<link REL = 'DNS-Prefetch' href=//x.example>",
     "<link data-inert-REL = 'DNS-Prefetch' data-inert-href=//x.example>"),
    ('<link rel=&#x70;reconnect href="https://x.example">',
     '<link data-inert-rel=&#x70;reconnect href="https://x.example">'),
    ('<link rel="stylesheet preconnect" href="https://x.example">',
     '<link data-inert-rel="stylesheet preconnect" href="https://x.example">'),
    ('<link/rel="prefetch"><link rel=prerender><link rel=modulepreload><link rel="preload">',
     '<link/data-inert-rel="prefetch"><link data-inert-rel=prerender>'
     '<link data-inert-rel=modulepreload><link data-inert-rel="preload">'),
    # link types that only describe a link, or load under the policy: kept
    ('<link rel=" stylesheet\tICON " href="#x"><a rel="noopener noreferrer" href="#y">',
     '<link rel=" stylesheet\tICON " href="#x"><a rel="noopener noreferrer" href="#y">'),
    # links: http, https, mailto and a place in the page kept; every other scheme, and
    # an address relative to the file (a file beside it; `//host/x` a Windows share)
    # made inert — a control character or tab inside the scheme as a URL parser drops it
    ('<a href="http://a.example/x">1</a><a HREF=" HTTPS://b.example">2</a>'
     '<a href=mailto:office@x.gov.cn>3</a><a href="#sec">4</a>',
     '<a href="http://a.example/x">1</a><a HREF=" HTTPS://b.example">2</a>'
     '<a href=mailto:office@x.gov.cn>3</a><a href="#sec">4</a>'),
    ('<a href="javascript:alert(1)">1</a><a href="java&#x9;script:alert(1)">2</a>'
     '<a href="\x01JavaScript:x">3</a><a href=\'file:///etc/passwd\'>4</a>',
     '<a data-inert-href="javascript:alert(1)">1</a>'
     '<a data-inert-href="java&#x9;script:alert(1)">2</a>'
     '<a data-inert-href="\x01JavaScript:x">3</a><a data-inert-href=\'file:///etc/passwd\'>4</a>'),
    ('<a href="x.html">1</a><a href="//evil.example/s">2</a><a href="">3</a>'
     '<a href="data:text/html,x">4</a><svg><a xlink:href="javascript:x"><use href="#m"/></a>',
     '<a data-inert-href="x.html">1</a><a data-inert-href="//evil.example/s">2</a>'
     '<a data-inert-href="">3</a><a data-inert-href="data:text/html,x">4</a>'
     '<svg><a xlink:data-inert-href="javascript:x"><use href="#m"/></a>'),
    # a link longer than 8 KiB is made inert unread; a quote never closed too
    (f'<a href="http://x.example/{"a" * 8200}">', f'<a data-inert-href="http://x.example/{"a" * 8200}">'),
    ('<a href="http://x.example', '<a data-inert-href="http://x.example'),
    # a frame's document in an attribute (names may be character references there),
    # and where a form would send itself: renamed whatever the value
    ('<iframe srcdoc="<link &#114;el=preconnect href=http://x>"></iframe>',
     '<iframe data-inert-srcdoc="<link &#114;el=preconnect href=http://x>"></iframe>'),
    ('<form action="https://x.example/"><button formaction=http://y>go</button></form>',
     '<form data-inert-action="https://x.example/">'
     '<button data-inert-formaction=http://y>go</button></form>'),
    # the name alone, or in a name of its own, is nothing to rename
    ("<p>rel href srcdoc action</p><x data-rel=preconnect>",
     "<p>rel href srcdoc action</p><x data-data-inert-rel=preconnect>"),
])
def test_locked_page_makes_every_reaching_attribute_inert(page: str, locked: str) -> None:
    """Each attribute is read as a browser reads it — its value's character
    references decoded, any case, from each occurrence of the name on — and renamed
    `data-inert-…` unless harmless; idempotent."""
    assert locked_page(page) == CSP + locked
    assert locked_page(locked_page(page)) == CSP + locked


def test_many_unquoted_names_take_linear_time() -> None:
    """A ledger's template printing `rel=` 100,000 times: each unquoted value was read
    to the next blank — the whole rest of the page — before its length was checked
    against the limit, so the scan was quadratic (160 KB: 10.8 s; 400 KB: about a
    minute; the 64 MB output cap: hours).  Read no further than the limit: a fraction
    of a second here, and every `rel` made inert (no value to read is no value kept).
    The bound is a hang guard, not a timing."""
    page = "<p>" + "rel=" * 100_000 + "</p>"
    started = time.monotonic()
    locked = locked_page(page)
    assert time.monotonic() - started < 10
    assert locked.count("data-inert-rel=") == 100_000


def test_the_policy_covers_forms_and_base() -> None:
    """`default-src` governs what loads, not where a form sends itself or what a
    `<base href>` makes of relative addresses: both are named."""
    assert CSP == ('<meta http-equiv="Content-Security-Policy" content="default-src '
                   "'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
                   "form-action 'none'; base-uri 'none'\">")


# ---- in Chromium, as a reader opens the file --------------------------------------------


class Listener:
    """A TCP port on 127.0.0.1 that records every connection and what it was sent."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(2)
            try:
                self.received.append(conn.recv(4096))
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\nREACHED")
            except OSError:
                self.received.append(b"")
            finally:
                conn.close()

    def close(self) -> list[bytes]:
        time.sleep(0.5)  # a connection Chromium opened as it quit
        self._stop.set()
        self._thread.join()
        self.sock.close()
        return self.received


@pytest.fixture
def listener() -> Iterator[Listener]:
    one = Listener()
    yield one
    one.close()


def _open(page: Path, tmp: Path, *extra: str) -> str:
    """The DOM Chromium built from `page` after three seconds of its time."""
    assert CHROMIUM is not None
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}",
                           "--virtual-time-budget=3000", *extra, "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


HINTS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{{{ title }}}}</title>
<link rel="preconnect" href="http://127.0.0.1:{port}">
<link rel="dns-prefetch" href="http://dns-prefetch.luoshi-canary.example">
<link rel=&#x70;reconnect href="http://preconnect.luoshi-canary.example">
<link rel="prefetch" href="http://prefetch.luoshi-canary.example/x">
<link rel="prerender" href="http://prerender.luoshi-canary.example/x">
<link rel="modulepreload" href="http://modulepreload.luoshi-canary.example/x.js">
<iframe srcdoc="<link &#114;el=preconnect href=http://srcdoc.luoshi-canary.example>"></iframe>
</head><body><p>HELLO-TEMPLATE</p></body></html>
"""


@needs_chromium
@pytest.mark.parametrize("command", ["bulletin", "supervise"])
def test_a_template_makes_no_connection_when_the_page_is_opened(
        cli: Cli, example: Path, tmp_path: Path, listener: Listener, command: str) -> None:
    """Opened in Chromium, the HTML a ledger's template wrote connects nowhere and
    looks no host name up: before, Chromium connected to 127.0.0.1:PORT, and its
    network log held `dns-prefetch.…`, `preconnect.…` and `srcdoc.…` (a connection
    or a look-up each).  The network log (`--log-net-log`) is read for the host
    names, the listener for the address."""
    name = "bulletin.html.j2" if command == "bulletin" else "supervise.html.j2"
    (example / "templates").mkdir()
    (example / "templates" / name).write_text(
        HINTS.format(port=listener.port).replace("{{ title }}", "x" if command == "supervise"
                                                 else "{{ title }}"), encoding="utf-8")
    out = tmp_path / "page.html"
    args = (("--quarter", "Q2") if command == "bulletin"
            else ("--as-of", "2021-06-30", "--unit", "chongyelu"))
    r = cli(command, example, *args, "-f", "html", "-o", out)
    assert r.exit_code == 0, r.stderr
    netlog = tmp_path / "net.json"
    dom = _open(out, tmp_path, f"--log-net-log={netlog}")
    assert "HELLO-TEMPLATE" in dom
    assert listener.close() == []
    log = netlog.read_text(encoding="utf-8")
    json.loads(log)  # (a whole log: Chromium finished writing it)
    assert "luoshi-canary" not in log


@needs_chromium
def test_a_template_form_sends_nothing_and_base_moves_nothing(
        cli: Cli, example: Path, tmp_path: Path, listener: Listener) -> None:
    """The unchanged page in a `srcdoc` frame of a wrapper page whose script presses
    the form's button and reads the frame's base address (the page's own policy
    forbids script; headless Chromium cannot click).  Before: the form sent
    `GET /form?a=b` to the listener, and the page's base was the template's
    `https://base.luoshi-canary.example/`."""
    (example / "templates").mkdir()
    (example / "templates" / "bulletin.html.j2").write_text(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        '<base href="https://base.luoshi-canary.example/"><title>t</title></head><body>'
        f'<form action="http://127.0.0.1:{listener.port}/form"><input name=a value=b>'
        "<button id=go>SUBMIT</button></form></body></html>\n", encoding="utf-8")
    page = tmp_path / "page.html"
    r = cli("bulletin", example, "--quarter", "Q2", "-f", "html", "-o", page)
    assert r.exit_code == 0, r.stderr
    wrapper = tmp_path / "wrapper.html"
    wrapper.write_text(
        "<!DOCTYPE html><html><body><p id=base></p>"
        f'<iframe id=f srcdoc="{html_lib.escape(page.read_text(encoding="utf-8"))}"></iframe>'
        "<script>const f = document.getElementById('f');"
        "f.onload = () => { if (window.pressed) return; window.pressed = 1;"
        " document.getElementById('base').textContent = 'BASE=' + f.contentDocument.baseURI;"
        " f.contentDocument.getElementById('go').click(); };</script></body></html>",
        encoding="utf-8")
    dom = _open(wrapper, tmp_path)
    # (a srcdoc frame's own base is its parent's: the wrapper's address)
    assert f'<p id="base">BASE={wrapper.as_uri()}</p>' in dom
    assert listener.close() == []


# ---- the PDF's link annotations ---------------------------------------------------------


@needs_chromium
@pytest.mark.skipif(PDFINFO is None, reason="pdfinfo is not installed (Debian: poppler-utils)")
def test_the_pdf_keeps_only_web_and_mail_links(cli: Cli, example: Path, tmp_path: Path) -> None:
    """`bulletin -f pdf` with a template's links of every kind: the PDF's link
    annotations (`pdfinfo -url`) are exactly its http, https and mailto links.
    Before, `javascript:alert(1)`, `file:///etc/passwd`, the relative `x.html`
    (`file:///tmp/luoshi-pdf-…/x.html`, the printing's own folder) and
    `file://evil.example/share` (`//evil.example/share`) were clickable there too."""
    (example / "templates").mkdir()
    (example / "templates" / "bulletin.html.j2").write_text(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>t</title></head><body>'
        '<p><a href="javascript:alert(1)">JS</a> <a href="file:///etc/passwd">FILE</a> '
        '<a href="x.html">REL</a> <a href="//evil.example/share">UNC</a> '
        '<a href="https://www.gov.cn/">GOV</a> <a href="mailto:office@x.gov.cn">MAIL</a> '
        '<a href="http://example.org/a">WEB</a></p></body></html>\n', encoding="utf-8")
    pdf = tmp_path / "b.pdf"
    r = cli("bulletin", example, "--quarter", "Q2", "-f", "pdf", "-o", pdf)
    assert r.exit_code == 0, r.stderr
    assert PDFINFO is not None
    listed = subprocess.run([PDFINFO, "-url", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    assert listed[0].split() == ["Page", "Type", "URL"]
    assert sorted(line.split()[-1] for line in listed[1:]) == [
        "http://example.org/a", "https://www.gov.cn/", "mailto:office@x.gov.cn"]


def test_ledger_text_is_never_taken_for_an_attribute(cli: Cli, example: Path) -> None:
    """The attributes are renamed wherever they stand, so a value that reads like one
    would have been renamed too (`Corrective action = done` showing `Corrective
    data-inert-action = done`): a value's `=` is written `&#61;`, the same text to a
    reader, and the value reaches the page unchanged."""
    edit(example / "tasks" / "city.yaml", "  title: 城中村改造入户签约\n",
         '  title: "城中村改造 action = done; rel=preconnect href=x"\n')
    # in the charts' SVG text too (a category's name)
    edit(example / "luoshi.yaml", "name: 城市提质与文明创建", 'name: "城市提质 srcdoc=x"')
    r = cli("bulletin", example, "--quarter", "Q2", "-f", "html")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.count("城市提质 srcdoc&#61;x") >= 2  # a heading and a chart label
    assert ">城市提质 srcdoc&#61;x</text>" in r.stdout
    assert "城中村改造 action &#61; done; rel&#61;preconnect href&#61;x" in r.stdout
    assert "data-inert" not in r.stdout
    assert html_lib.unescape("城中村改造 action &#61; done; rel&#61;preconnect href&#61;x") == \
        "城中村改造 action = done; rel=preconnect href=x"
