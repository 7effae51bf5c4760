"""A ledger's template cannot take the machine's memory (audit, medium).

Jinja's sandbox bounded `range()` only, and luoshi `*` and `**`: `'x'.ljust(10**10)`,
`'x'|center(10**10)`, `'{:>10000000000}'.format(1)` and `'%10000000000s' % 'x'` each
asked for 10 GB at once (MemoryError, or the OOM killer on a 7 GB CI runner), and a
macro's loop filled its buffer faster than the CPU budget stopped it.  Each way is
refused before it builds (`report.bulletin.sandbox`): one line naming the template and
its line, exit 2, at once.

The vectors run in a child process whose address space is capped at 2 GiB: a
regression fails there with a MemoryError in the message, instead of taking the
machine running the tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS: Linux")

BLOCK = "the output of a macro or a {% set %} or {% filter %} block"

#: (template, what the refusal names)
VECTORS = [
    ("{{ 'x'.ljust(10**10) }}", "ljust"),
    # bytes, which `'x'.encode()` makes, were not looked at (review: 1.5 GB built)
    ("{{ ('x'.encode() * 1500000000)|length }}", "*"),
    ("{{ 'x'.encode().zfill(1500000000)|length }}", "zfill"),
    ("{{ 'x'.encode().ljust(10**10)|length }}", "ljust"),
    ("{{ ('x'.encode() * 1000).replace('x'.encode(), ('y' * 1000000).encode())|length }}",
     "replace"),
    ("{{ 'x'.rjust(10**10) }}", "rjust"),
    ("{{ 'x'.center(10**10) }}", "center"),
    ("{{ '1'.zfill(10**10) }}", "zfill"),
    ("{{ '\\t\\t'.expandtabs(2**31 - 1) }}", "expandtabs"),
    ("{{ ('x' * 1000).replace('x', 'y' * 1000000) }}", "replace"),
    ("{{ ('y' * 1000000).join(range(100000)|map('string')) }}", "join"),
    ("{{ ('a' * 1000).translate({97: 'b' * 1000000}) }}", "translate"),
    ("{{ '{:>10000000000}'.format(1) }}", "format"),
    ("{{ '{:.10000000000f}'.format(1.0) }}", "format"),
    ("{{ '{:{}}'.format('x', 10**10) }}", "format"),
    ("{{ '{0}{0}{0}{0}'.format('x' * 30000000) }}", "format"),
    ("{{ '{a:>10000000000}'.format_map({'a': 1}) }}", "format"),
    ("{{ '%10000000000s' % 'x' }}", "%"),
    ("{{ '%*s' % (10**10, 'x') }}", "%"),
    ("{{ '%(a)s%(a)s%(a)s' % {'a': 'x' * 30000000} }}", "%"),
    ("{{ 'x'|center(10**10) }}", "center"),
    ("{{ 'x'|indent(10**10, true) }}", "indent"),
    ("{{ ('x ' * 1000)|wordwrap(1, wrapstring='y' * 1000000) }}", "wordwrap"),
    ("{{ '%10000000000s'|format('x') }}", "format"),
    ("{{ range(100000)|join('x' * 1000000) }}", "join"),
    ("{{ ('x' * 1000)|replace('x', 'y' * 1000000) }}", "replace"),
    ("{{ [1]|slice(10**8)|list|length }}", "slice"),
    ("{{ [1]|batch(10**10, 0)|list|length }}", "batch"),
    ("{{ ([[0] * 10000000] * 10)|sum(start=[])|length }}", "sum"),
    ("{{ ('x ' * 1000)|urlize(target='y' * 1000000) }}", "urlize"),
    ("{{ (('&' * 20000000)|forceescape)|length }}", "forceescape"),
    ("{{ (('%' * 10000000)|urlencode)|length }}", "urlencode"),
    ("{{ lipsum(10**6) }}", "lipsum"),
    ("{% set s = 'x' * 40000000 %}{{ s ~ s }}", "~"),
    ("{% set s = 'x' * 40000000 %}{{ s + s }}", "+"),
    ("{{ [0] * 10**10 }}", "*"),
    ("{{ (9 ** 1000) ** 1000 }}", "**"),
    ("{{ (9 ** 1000) ** 300 * (9 ** 1000) ** 300 }}", "*"),
    ("{% macro m() %}{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}"
     "{% endfor %}{% endmacro %}{{ m() }}", BLOCK),
    ("{% set s = 'x' * 40000000 %}{% set b %}{{ s }}{{ s }}{% endset %}{{ b|length }}", BLOCK),
    ("{% set s = 'x' * 40000000 %}{% filter upper %}{{ s }}{{ s }}{% endfilter %}", BLOCK),
]

_CHILD = """
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from typer.testing import CliRunner
from luoshi_cli.cli.app import app
ledger, bodies = json.load(sys.stdin)
tpl = Path(ledger, "templates", "bulletin.en.md.j2")
out = []
for body in bodies:
    tpl.write_text(body + "\\n", encoding="utf-8")
    start = time.monotonic()
    r = CliRunner().invoke(app, ["bulletin", ledger, "-q", "Q2", "--lang", "en"])
    out.append([r.exit_code, r.stdout, r.stderr, time.monotonic() - start])
print(json.dumps(out))
"""


def test_no_template_expression_takes_the_memory(tmp_path: Path) -> None:
    led = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, led)
    (led / "templates").mkdir()
    proc = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True,
                          input=json.dumps([str(led), [body for body, _ in VECTORS]]),
                          env={**os.environ, "LUOSHI_NO_CACHE": "1"}, timeout=900,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout)
    for (body, op), (code, stdout, stderr, seconds) in zip(VECTORS, results, strict=True):
        assert (code, stdout, stderr) == (
            2, "", f"luoshi: template error: templates/bulletin.en.md.j2:1: {op}: the result "
                   "would be too large\n"), body
        assert seconds < 20, (body, seconds)


def test_what_templates_do_with_these_is_unchanged(cli: Callable[..., Run],
                                                   example: Path) -> None:
    """Within the bounds, every operation checked gives what Jinja gives: macros,
    blocks and filter blocks render as before."""
    (example / "templates").mkdir()
    (example / "templates" / "bulletin.md.j2").write_text(
        "{{ 'ab'.ljust(4) }}|{{ 'ab'.rjust(4) }}|{{ 'x'.center(3) }}|{{ '7'.zfill(3) }}|"
        "{{ 'a\\tb'.expandtabs(4) }}|{{ 'aXb'.replace('X', '--') }}|{{ '-'.join(['a', 'b']) }}|"
        "{{ 'ab'.translate({97: 'AA'}) }}|{{ '{:>4}'.format(1) }}|{{ '{:.2f}'.format(1) }}|"
        "{{ '{a}{a}'.format_map({'a': 'z'}) }}|{{ '%3s' % 'x' }}|{{ '%(a)s-%(a)s' % {'a': 1} }}|"
        "{{ 'x'|center(3) }}|{{ 'a\\nb'|indent(2) }}|{{ 'x y'|wordwrap(1) }}|"
        "{{ '%s-%s'|format(1, 2) }}|{{ [1, 2]|join(',') }}|{{ 'aa'|replace('a', 'b') }}|"
        "{{ [1, 2, 3]|slice(2)|list }}|{{ [1, 2, 3]|batch(2, 0)|list }}|"
        "{{ [[1], [2]]|sum(start=[]) }}|{{ [{'n': 'a'}, {'n': 'b'}]|join('+', attribute='n') }}|"
        "{{ 'a<b'|forceescape }}|{{ 'a b'|urlencode }}|{{ 'a' ~ 1 ~ 'b' }}|{{ 'a' + 'b' }}|"
        "{{ [1] + [2] }}|{{ 3 ** 2 }}|{{ 7 % 3 }}|{{ lipsum(1, false, 3, 4)|wordcount }}\n"
        "{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(1) }}{% set b %}B{{ 2 }}{% endset %}{{ b }}"
        "{% filter upper %}u{{ 'v' }}{% endfilter %}\n", encoding="utf-8")
    run = cli("bulletin", example, "-q", "Q2")
    assert (run.exit_code, run.stderr) == (0, ""), run.stderr
    # (as Markdown: each value escaped, on one line)
    assert run.stdout == (
        "ab  |  ab| x |007|a   b|a--b|a-b|AAb|   1|1.00|zz|  x|1-1| x |a b|x y|1-2|1,2|bb|"
        "\\[\\[1, 2\\], \\[3\\]\\]|\\[\\[1, 2\\], \\[3, 0\\]\\]|\\[1, 2\\]|a+b|a&lt;b|"
        "a%20b|a1b|ab|\\[1, 2\\]|9|1|3\n\\[1\\]B2UV")
