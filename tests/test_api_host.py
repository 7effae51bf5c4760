"""`luoshi_cli.api` inside a host program: threads, signals, the caller's settings
(decimal context, environment) and arguments checked before any work — what a
server or a nightly job calling the library meets, and the command line never does."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

import luoshi_cli
from conftest import EXAMPLE
from luoshi_cli import api
from luoshi_cli.core.errors import ScoringError, UsageError
from luoshi_cli.report.bulletin import Request

#: the luoshi the tests import (this checkout, or another on PYTHONPATH)
SRC = Path(luoshi_cli.__file__).resolve().parent.parent


def _python(code: str, *, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter (first imports, signals and threads are the
    process's own) with the luoshi under test and no content cache."""
    full = {**os.environ, "PYTHONPATH": str(SRC), "LUOSHI_NO_CACHE": "1",
            "PYTHONFAULTHANDLER": "1", **(env or {})}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=timeout)


# --- threads: yaml_rs is imported by a thread that stays --------------------------------

def test_a_first_call_from_a_thread_that_exits_does_not_crash_later_threads(
        example: Path) -> None:
    """yaml_rs 0.1.6 ends the process (SIGSEGV) when the thread that imported it has
    exited and another thread (not the main one) then parses with it: the first call of
    a thread pool's thread, then any other.  Without the fix this dies on the second
    call nearly every run (it is a use after the importing thread's exit, not a race)."""
    out = _python(f"""
        import threading
        from luoshi_cli import api

        def once():
            api.open_ledger({str(example)!r})

        for _ in range(6):  # one thread at a time: each exits before the next starts
            t = threading.Thread(target=once)
            t.start()
            t.join()
        print("ok")
        """, cwd=example.parent)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "ok"


def test_yaml_rs_is_imported_under_a_lock_by_a_thread_that_stays(example: Path) -> None:
    """The mechanism: the first import is made once (under `yaml_fast._IMPORT`), by
    the main thread when it makes the first call, else by a daemon thread of luoshi's
    that outlives every use; that thread does not switch off the parse on every core
    (`can_fork`).  Importing `yaml_fast` imports no yaml_rs."""
    out = _python(f"""
        import sys, threading
        from concurrent.futures import ThreadPoolExecutor
        from luoshi_cli import api
        from luoshi_cli.fast.parallel import can_fork
        from luoshi_cli.load import yaml_fast

        assert "yaml_rs" not in sys.modules
        assert isinstance(yaml_fast._IMPORT, type(threading.Lock()))
        with ThreadPoolExecutor(4) as ex:
            list(ex.map(api.open_ledger, [{str(example)!r}] * 8))
        keeper = yaml_fast.KEEPER
        assert keeper is not None and keeper.is_alive() and keeper.daemon
        assert keeper is not threading.current_thread()
        assert [t.name for t in threading.enumerate()].count("luoshi-yaml-rs") == 1
        assert can_fork() == (sys.platform == "linux")
        print("ok")
        """, cwd=example.parent)
    assert out.returncode == 0, out.stderr[-3000:]
    out = _python(f"""
        from luoshi_cli import api
        from luoshi_cli.load import yaml_fast

        api.open_ledger({str(example)!r})
        assert yaml_fast.KEEPER is None  # the main thread imported it: it stays
        print("ok")
        """, cwd=example.parent)
    assert out.returncode == 0, out.stderr[-3000:]


# --- signals: the host's SIGTERM and SIGCHLD handling -----------------------------------

_SHARE_OUT = """
    import multiprocessing, os, signal, time
    from luoshi_cli.fast.parallel import share_out

    got = []
    if MODE == "handler":
        signal.signal(signal.SIGTERM, lambda s, f: got.append(s))
    elif MODE == "ignore":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    before = signal.getsignal(signal.SIGTERM)
    parent = os.getpid()
    sent = []

    def one(k):
        if os.getpid() == parent and not sent:  # this process's first file
            sent.append(k)
            os.kill(parent, signal.SIGTERM)
        time.sleep(0.005)
        return k * 2, None

    try:
        done = dict(share_out(list(range(60)), [1] * 60, 1, one, None))
        print("done", sorted(done) == list(range(60)), got)
    except SystemExit as exc:
        print("exit", exc.code)
    print("workers", multiprocessing.active_children())
    print("restored", signal.getsignal(signal.SIGTERM) == before)
    """


def test_sigterm_during_the_parse_on_every_core_keeps_the_hosts_handling(tmp_path: Path
                                                                         ) -> None:
    """A host that handles SIGTERM itself (or ignores it) keeps doing so while luoshi
    parses on both cores: its handler runs, the parse finishes, no worker is left and
    its handler is in place after.  Only with SIG_DFL (the command line) does luoshi
    turn SIGTERM into SystemExit(143), ending its workers first."""
    for mode, first in [("handler", "done True [15]"), ("ignore", "done True []"),
                        ("default", "exit 143")]:
        out = _python(f"MODE = {mode!r}\n" + textwrap.dedent(_SHARE_OUT), cwd=tmp_path)
        assert out.returncode == 0, out.stderr[-3000:]
        assert out.stdout.splitlines() == [first, "workers []", "restored True"], mode


def test_the_background_judgement_answers_with_sigchld_ignored(tmp_path: Path) -> None:
    """A daemon-style host that set SIGCHLD to SIG_IGN: the kernel reaps the forked
    child, waitpid() fails (ChildProcessError) — the bulletin of a ledger of 5,000
    tasks or more raised it.  The answer is still fn()'s (the child's, whole)."""
    out = _python("""
        import signal
        from luoshi_cli.fast.background import in_background

        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        print(in_background(lambda: sum(range(1000)))())
        """, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == [str(sum(range(1000)))]


def test_the_background_child_dies_with_a_host_that_ignores_sigterm(tmp_path: Path) -> None:
    """The forked child ends with its parent (PR_SET_PDEATHSIG sends SIGTERM): it does
    not inherit a host's SIG_IGN (or handler), or it would outlive a killed host."""
    out = _python("""
        import signal
        from luoshi_cli.fast.background import in_background

        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print(in_background(lambda: signal.getsignal(signal.SIGTERM).name)())
        print(signal.getsignal(signal.SIGTERM).name)
        """, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == ["SIG_DFL", "SIG_IGN"]


# --- arguments: only LuoshiErrors escape, checked before the work -----------------------

_BAD_REQUESTS = [
    (("quarter", "2021-Q5"), {}), (("quarter", "2021-Q0"), {}), (("month", "2021-13"), {}),
    (("month", "2021-00"), {}), (("quarter", "abc"), {}), (("quarter", ""), {}),
    (("half", "2021-H3"), {}), (("year", "20x1"), {}), (("year", "0000"), {}),
    (("weekly", "2021-W01"), {}), (("quarter", "2021-06"), {}), (("month", "2021-Q2"), {}),
    (("quarter", "2021-Q2"), {"lang": "fr"}), (("quarter", "2021-Q2"), {"edition": "xyz"}),
]


def test_a_bad_bulletin_request_is_a_usage_error() -> None:
    """A period not written as its kind's (2021-Q5, 2021-13, abc, "", 2021-H3 — which
    rendered a bulletin of the second half), an unknown kind, language or edition:
    `UsageError` (exit 2) naming what to write, never ValueError or KeyError — from
    `bulletin_request`, and from `check_bulletin_year`/`bulletin` given a `Request`
    made directly."""
    led = api.open_ledger(EXAMPLE).ledger
    for (kind, period), kw in _BAD_REQUESTS:
        with pytest.raises(UsageError) as err:
            api.bulletin_request(kind, period, **kw)
        assert err.value.code == 2
        req = Request(kind, period, date(2021, 6, 30), **kw)
        with pytest.raises(UsageError):
            api.check_bulletin_year(led, req)
        with pytest.raises(UsageError):
            api.bulletin(led, req)
    with pytest.raises(UsageError) as err:
        api.bulletin_request("quarter", "2021-Q5")
    assert err.value.label.en == "period '2021-Q5' is not a quarter: write it like 2021-Q2"
    assert err.value.label.zh == "期间 '2021-Q5' 不是季度：请写成 2021-Q2 的形式"
    for kind, period in [("month", "2021-06"), ("quarter", "2021-Q2"), ("half", "2021-H2"),
                         ("year", "2021")]:
        api.check_bulletin_year(led, api.bulletin_request(kind, period, lang="en",
                                                          edition="public"))


def test_a_score_period_not_so_written_is_a_usage_error() -> None:
    """`api.score` of 2021-Q5, 2021-13, 2021-H1 (no score period: scores are of a
    month, a quarter or the year), "" or " 2021": `UsageError`, exit code 2, as the
    reference says and as `bulletin_request` and `luoshi score` answer — it was a
    `ScoringError` (1), so a caller catching `UsageError` missed it (the reference
    audit).  A well-written period of a ledger without its records is still a
    `ScoringError`: the request was right, the ledger cannot answer it."""
    led = api.open_ledger(EXAMPLE).ledger
    for period in ("2021-Q5", "2021-13", "2021-H1", "", " 2021", "2021-q2"):
        with pytest.raises(UsageError) as err:
            api.score(led, period)
        assert err.value.code == 2
    assert err.value.label.en == ("period 2021-q2 is not valid: write a quarter as 2021-Q2, "
                                  "a year as 2021 and a month as 2024-05")
    assert err.value.label.zh == "期间 2021-q2 无效：季度写成 2021-Q2，年度写成 2021，月份写成 2024-05"
    with pytest.raises(ScoringError) as scoring:
        api.score(led, "2022-Q1")
    assert type(scoring.value) is ScoringError and scoring.value.code == 1
    assert api.score(led, "2021-Q2").period == "2021-Q2"


def test_a_bad_light_or_language_is_a_usage_error() -> None:
    led = api.open_ledger(EXAMPLE).ledger
    day = date(2021, 6, 30)
    with pytest.raises(UsageError) as err:
        api.status(led, day, light="purple")  # type: ignore[arg-type]
    assert err.value.label.en == ("light='purple' is not valid: give green, yellow or red "
                                  "(or None: every task)")
    with pytest.raises(UsageError):
        api.status_summary(led, day, [], light="purple")  # type: ignore[arg-type]
    with pytest.raises(UsageError) as err:
        api.export(led, day, "fr")
    assert err.value.label.en == "lang='fr' is not valid: give zh or en"
    assert api.status(led, day, light="red").light == "red"


def test_validate_without_as_of_or_today_says_so_before_reading(tmp_path: Path) -> None:
    """`validate(root, None)`: the as-of would be the ledger year's default day, which
    needs `today` (luoshi never reads the clock) — a UsageError before any file is
    read (a ledger that is not there: still this error), not a ValueError after."""
    for kw in ({}, {"base": "HEAD"}):
        with pytest.raises(UsageError) as err:
            api.validate(tmp_path / "not-a-ledger", None, **kw)  # type: ignore[arg-type]
        assert "today=date.today()" in err.value.label.en
        assert err.value.code == 2


# --- the ledger's root ------------------------------------------------------------------

def test_the_ledgers_root_is_absolute_so_a_chdir_does_not_change_the_templates(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger loaded by a relative path, then a chdir (a notebook's %cd, a server
    that changes directory per job): `bulletin_document` still uses that ledger's own
    templates/, not whatever `templates/` the new directory has."""
    (example / "templates").mkdir(exist_ok=True)
    (example / "templates" / "bulletin.md.j2").write_text("OUR OFFICE {{ 1 + 1 }}\n",
                                                           encoding="utf-8")
    monkeypatch.chdir(example.parent)
    led = api.checked(example.name, date(2021, 6, 30), today=date(2026, 1, 1)).loaded.ledger
    assert led.root.is_absolute() and led.root == example
    req = api.bulletin_request("quarter", "2021-Q2")
    assert api.bulletin_document(led, req, "md") == b"OUR OFFICE 2\n"
    elsewhere = example.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert api.bulletin_document(led, req, "md") == b"OUR OFFICE 2\n"


# --- the caller's decimal context -------------------------------------------------------

def test_results_do_not_depend_on_the_callers_decimal_context() -> None:
    """A program that set its own decimal context (3 digits, rounding down, Inexact
    trapped) gets the same figures: the status (序时进度, cached per dates), the
    scores, their JSON, the bulletin and the workbook — not InvalidOperation or
    Inexact, and no value cached under its context."""
    import decimal

    from luoshi_cli.ops import progress
    from luoshi_cli.ops.scoring import result_json
    from luoshi_cli.report.status import report_json

    led = api.checked(EXAMPLE, date(2021, 6, 30), today=date(2026, 1, 1)).loaded.ledger
    day = date(2021, 6, 30)

    def everything() -> tuple[object, ...]:
        report = api.status(led, day)
        scores = api.score(led, "2021-Q2")
        return (report, report_json(report), scores, result_json(scores),
                api.bulletin(led, api.bulletin_request("quarter", "2021-Q2")),
                api.export(led, day)[0])

    for odd in (decimal.Context(prec=3),
                decimal.Context(rounding=decimal.ROUND_DOWN, traps=[decimal.Inexact]),
                decimal.Context(prec=3, traps=[decimal.Inexact, decimal.Rounded])):
        progress._expected.cache_clear()
        with decimal.localcontext(odd):
            there = everything()
            cached = progress._expected(date(2021, 1, 1), date(2021, 12, 31), day)
        progress._expected.cache_clear()
        assert everything() == there
        assert progress._expected(date(2021, 1, 1), date(2021, 12, 31), day) == cached


# --- openpyxl: expat, without touching the host's environment ---------------------------

_READ_A_WORKBOOK = """
    import os, sys
    from datetime import date
    from pathlib import Path
    from luoshi_cli import api

    led = api.open_ledger({example!r}).ledger
    Path("book.xlsx").write_bytes(api.export(led, date(2021, 6, 30))[0])
    before = dict(os.environ)
    from luoshi_cli.excel.sheet import open_workbook, read_grid

    wb = open_workbook(Path("book.xlsx"))
    read_grid(wb, wb.sheetnames[0])
    import openpyxl.xml
    print("lxml", openpyxl.xml.LXML)
    print("env", {{k: v for k, v in os.environ.items() if before.get(k) != v}},
          os.environ.get("OPENPYXL_LXML"))
    """


def test_openpyxl_parses_with_expat_and_the_environment_is_left_alone(example: Path,
                                                                       tmp_path: Path
                                                                       ) -> None:
    """luoshi's first import of openpyxl parses with expat (as `excel.guard` scans),
    with OPENPYXL_LXML set around that import only: the host's environment (and its
    subprocesses') is as it was — unset, or the host's own value."""
    code = textwrap.dedent(_READ_A_WORKBOOK).format(example=str(example))
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    full = {**env, "PYTHONPATH": str(SRC), "LUOSHI_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=full,
                         capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.splitlines() == ["lxml False", "env {} None"]
    out = _python(code, cwd=tmp_path, env={"OPENPYXL_LXML": "True"})
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.splitlines() == ["lxml False", "env {} True"]


def test_every_import_of_openpyxl_is_made_ready_first() -> None:
    """Each function of luoshi that imports openpyxl calls `excel.openpyxl_ready()`
    before: a first import elsewhere would pick lxml where it is installed."""
    import ast

    def openpyxl_imports(node: ast.AST) -> list[int]:
        return [n.lineno for n in ast.walk(node)
                if (isinstance(n, ast.Import)
                    and any(a.name.split(".")[0] == "openpyxl" for a in n.names))
                or (isinstance(n, ast.ImportFrom) and not n.level
                    and (n.module or "").split(".")[0] == "openpyxl")]

    missing = []
    for path in sorted(SRC.joinpath("luoshi_cli").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        at_top = [stmt for stmt in tree.body
                  if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef,
                                           ast.ClassDef))]
        missing += [f"{path.name}:{line}" for stmt in at_top
                    for line in openpyxl_imports(stmt)]
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                    or node.name == "openpyxl_ready":
                continue
            ready = min((stmt.lineno for stmt in node.body
                         if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
                         and getattr(stmt.value.func, "id", None) == "openpyxl_ready"),
                        default=None)
            missing += [f"{path.name}:{line}" for line in openpyxl_imports(node)
                        if ready is None or line < ready]
    assert not missing


# --- export of a ledger that never went through the gate --------------------------------

def test_export_of_an_ungated_ledger_writes_a_number_no_cell_holds_as_text(
        tmp_path: Path) -> None:
    """A dashboard exports what `open_ledger` read, errors and all: a 5,000-digit
    progress (LS205 at the gate) raised ValueError (str() of an int past 4,300
    digits) and 1E+400 TypeError; the workbook now shows them as written."""
    import io
    from decimal import Decimal

    import openpyxl

    from hostile.corpus import CASES
    from luoshi_cli.excel.rows import cell_number

    case = next(c for c in CASES if c.name == "int-5000-digits-as-a-progress")
    led = api.open_ledger(case.build(tmp_path / case.name)).ledger
    data, _ = api.export(led, date(2024, 6, 30), partial=True)
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[0] == "T-001"]
    assert rows and rows[0][7] == "7" * 5000
    assert cell_number(Decimal("1E+400")) == "1E+400"
    assert cell_number(-(10 ** 400)) == "-1" + "0" * 400
    assert cell_number(Decimal("87.5")) == 87.5
    assert cell_number(12) == 12


# --- the content cache ------------------------------------------------------------------

def test_cache_false_writes_no_cache_in_the_ledger(example: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`cache=False` on every entry point that reads the directory: no .luoshi-cache/
    is written in the ledger (by default one is, for a ledger large enough)."""
    from luoshi_cli.fast import source

    monkeypatch.setattr(source, "CACHE_MIN_BYTES", 0)
    for name in ("CI", "LUOSHI_NO_CACHE", "LUOSHI_CACHE"):
        monkeypatch.delenv(name, raising=False)
    day, today = date(2021, 6, 30), date(2026, 1, 1)
    api.open_ledger(example, cache=False)
    api.checked(example, day, today=today, cache=False)
    api.checked_status(example, day, today=today, cache=False)
    api.checked_for_scoring(example, day, today=today, cache=False)
    api.validate(example, day, today=today, cache=False)
    assert not (example / ".luoshi-cache").exists()
    api.open_ledger(example)
    assert (example / ".luoshi-cache").is_dir()


# --- a ledger template's CPU budget, in any thread ---------------------------------------

_LOOPING = {
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                    "{% endfor %}",
    "a filtered loop": "{% for i in range(100000) %}{% for j in range(100000) if false %}"
                       "{% endfor %}{% endfor %}",
    "a macro calling itself twice": "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}"
                                    "{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "a recursive loop": "{% for x in [1, 2] recursive %}{% if loop.depth < 40 %}"
                        "{{ loop([1, 2]) }}{% endif %}{% endfor %}",
    # no loop at all: 200 top-level statements, each a filter chain over 100,000 items
    "top-level filter chains": "{{ range(100000)|map('string')|join|length }}\n" * 200,
}


@pytest.mark.parametrize("how", sorted(_LOOPING))
def test_a_looping_template_is_stopped_in_a_worker_thread(
        example: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server rendering a ledger's templates from its worker threads: the main
    thread's CPU timer cannot be set there, and a template looping without output
    (10**10 steps, or 2**40 macro calls) held the thread until it ended.  The
    template's compiled code counts its own steps and reads the thread's CPU clock,
    so it stops at its budget (0.5 s here) with the same `TemplateProblem` as in the
    main thread, and the thread is free again."""
    import threading

    from luoshi_cli.core.errors import TemplateProblem
    from luoshi_cli.report.bulletin import templates

    monkeypatch.setattr(templates, "MAX_SECONDS", 0.5)
    monkeypatch.setattr(templates, "SECONDS_PER_TASK", 0.0)
    own = example / "templates"
    own.mkdir(exist_ok=True)
    (own / "bulletin.md.j2").write_text(_LOOPING[how] + "\n", encoding="utf-8")
    led = api.open_ledger(example).ledger
    req = api.bulletin_request("quarter", "2021-Q2")
    out: list[BaseException | str] = []

    def run() -> None:
        try:
            out.append(api.bulletin(led, req, own=own))
        except BaseException as exc:  # reported below
            out.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "the template was not stopped"
    assert isinstance(out[0], TemplateProblem)
    assert out[0].label.en.endswith(": the template ran over 0.5 s "
                                    "(a loop that does not end?)")


def test_a_library_caller_is_told_why_a_unit_is_not_ranked() -> None:
    """`score --explain` of a unit with no score says why; a program calling the
    library asks the same (`api.why_unranked`), in both languages: 考核办 is marked
    `assessed: false` in the example's units.yaml, an unknown id is assessed by
    nothing, and a ranked unit has no reason."""
    led = api.open_ledger(EXAMPLE).ledger
    result = api.score(led, "2021-Q2")
    why = api.why_unranked(led, result, "kaoheban")
    assert why is not None
    assert (why.zh, why.en) == ("units.yaml 标明它不参加考核（assessed: false）",
                                "units.yaml marks it as not assessed (assessed: false)")
    nobody = api.why_unranked(led, result, "nobody")
    assert nobody is not None and nobody.en == ("it is not assessed: no record scores it "
                                                "and no task is credited to it")
    ranked = result.units[0].unit
    assert api.why_unranked(led, result, ranked) is None


def test_a_sum_of_lists_is_joined_not_added_up(example: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`|sum(start=[])` over 200,000 one-item lists: Python's sum() copies the growing
    list at every item — quadratic, inside one C call no timer or tick can stop (75 s
    of CPU past a 2 s budget).  The sandbox joins the lists once: the same list, at
    once, well within the budget."""
    from luoshi_cli.report.bulletin import templates

    monkeypatch.setattr(templates, "MAX_SECONDS", 2.0)
    monkeypatch.setattr(templates, "SECONDS_PER_TASK", 0.0)
    own = example / "templates"
    own.mkdir(exist_ok=True)
    (own / "bulletin.md.j2").write_text(
        "{% set a = range(100000)|batch(1)|list %}{% set b = a + a %}"
        "{{ (b|sum(start=[]))|length }} {{ ([[1], [2, 3]]|sum(start=[0])) }} "
        "{{ ([(1,), (2,)]|sum(start=())) }} {{ [1, 2]|sum }}\n", encoding="utf-8")
    led = api.open_ledger(example).ledger
    text = api.bulletin(led, api.bulletin_request("quarter", "2021-Q2"), own=own)
    assert text == "200000 \\[0, 1, 2, 3\\] (1, 2) 3\n"
