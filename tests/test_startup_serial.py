"""What a run pays before its work starts (issue 17: the serial part of a cold
`luoshi validate`, which the parse worker cannot share).

A clean ledger is checked without importing PyYAML (it explains broken files and
places findings), the scoring engine or the git reader; and typer builds only the
command that runs.  Each of these was a few to twenty milliseconds of every run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

CASES = Path(__file__).resolve().parent / "cases" / "valid"
NOT_NEEDED = ("yaml", "luoshi_cli.ops.scoring", "luoshi_cli.ops.scoring.engine",
              "luoshi_cli.ops.progress", "luoshi_cli.load.gitsrc")


def _run_and_list_imports(*argv: str) -> tuple[str, list[str]]:
    """Run `luoshi ARGV`; the last line printed (at exit) lists what of NOT_NEEDED it
    imported, and its exit code."""
    code = ("import atexit, sys\n"
            f"sys.argv = ['luoshi', *{list(argv)!r}]\n"
            "atexit.register(lambda: print('imported', sorted(m for m in "
            f"{NOT_NEEDED!r} if m in sys.modules)))\n"
            "from luoshi_cli.__main__ import main\n"
            "main()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    *printed, last = out.stdout.splitlines()
    return f"{last} exit {out.returncode}", printed


@pytest.mark.parametrize("case", ["scheme-and-record", "tasks-v2", "supervision"])
def test_a_clean_validate_imports_neither_pyyaml_nor_scoring(case: str) -> None:
    """`luoshi validate --no-cache` of a ledger without findings (the CI gate on most
    days): no PyYAML, no scoring engine (and its progress rules), no git reader."""
    last, printed = _run_and_list_imports(
        "validate", str(CASES / case / "ledger"), "--as-of", "2024-05-31", "--no-cache")
    assert last == "imported [] exit 0"
    assert printed == []


def test_a_finding_still_imports_pyyaml_to_place_it(tmp_path: Path) -> None:
    """The lazily imported PyYAML is there when needed: a finding in a task file
    (LS203 over the task keys) is placed on its line."""
    import shutil

    led = tmp_path / "led"
    shutil.copytree(CASES / "task-ledger" / "ledger", led)
    last, printed = _run_and_list_imports(
        "validate", str(led), "--as-of", "2024-01-02", "--no-cache", "--lang", "en")
    assert last.startswith("imported ['yaml'] exit 1"), last
    assert printed and all(line.startswith(f"{led}/tasks/econ.yaml:") or
                           line.startswith("tasks/econ.yaml:") for line in printed), printed


def _commands(command: typer.core.TyperGroup) -> list[str]:
    return sorted(command.commands)


def test_only_the_invoked_command_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """typer reads the signature of every command it builds: `luoshi validate …`
    builds validate alone; help, a mistyped command and no command build them all."""
    from luoshi_cli.cli.app import app, main_command

    monkeypatch.setenv("LUOSHI_LANG", "en")  # the Chinese help would patch Click here

    every = sorted(c.name for c in app.registered_commands if c.name) + sorted(
        g.name for g in app.registered_groups if g.name)
    assert _commands(main_command(["validate", "x"])) == ["validate"]
    assert _commands(main_command(["import", "tasks", "x.xlsx"])) == ["import"]
    for argv in ([], ["--help"], ["validat", "x"], ["--color", "never", "validate"]):
        assert _commands(main_command(argv)) == sorted(every), argv


_COMPARE = """
import contextlib, io, sys
import typer
from luoshi_cli.cli import zh
from luoshi_cli.cli.app import app, main_command

whole = typer.main.get_command(app)
if zh.help_lang([]) == "zh":
    zh.localize(whole)

def run(command, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            command.main(args=argv, prog_name="luoshi")
            code = 0
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()

checked = 0
for name in sorted(whole.commands):
    for tail in (["--help"], ["--no-such-option"]):
        argv = [name, *tail]
        alone = run(main_command(argv), argv)
        if alone != run(whole, argv) or alone[0] not in (0, 2) or not (alone[1] or alone[2]):
            print("differs", argv, alone)
        checked += 1
print("checked", checked)
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_command_built_alone_prints_what_the_whole_app_prints(lang: str) -> None:
    """Help and usage errors of each command are the same whether typer built it
    alone or with every other command (in a process of its own: the Chinese help
    patches Click's formatter for the whole process)."""
    from luoshi_cli.cli.app import app

    count = len(app.registered_commands) + len(app.registered_groups)
    env = {**os.environ, "LUOSHI_LANG": lang, "COLUMNS": "100"}
    out = subprocess.run([sys.executable, "-c", _COMPARE], capture_output=True, text=True,
                         env=env, check=True)
    assert out.stdout == f"checked {2 * count}\n", out.stdout


def _luoshi_watched(args: list[str]) -> subprocess.CompletedProcess[str]:
    """`luoshi ARGS` in a process that also holds an object whose finalizer writes "torn
    down" to stderr, and an atexit handler that prints "atexit ran"."""
    code = ("import atexit, sys\n"
            f"sys.argv = {['luoshi', *args]!r}\n"
            "class Freed:\n"
            "    def __del__(self):\n"
            "        sys.stderr.write('torn down\\n')\n"
            "kept = Freed()\n"
            "atexit.register(lambda: print('atexit ran'))\n"
            "from luoshi_cli.__main__ import main\n"
            "main()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_validate_exits_without_freeing_the_ledger(tmp_path: Path) -> None:
    """`luoshi validate` leaves without tearing the interpreter down (freeing 100,000
    task keys one by one took 50 ms after the work was done), yet exits as an exit
    should: every finding printed, the summary, the exit code, the atexit handlers
    run and what they print flushed.  An object's finalizer is not run any more."""
    import shutil

    led = tmp_path / "led"
    shutil.copytree(CASES / "task-ledger" / "ledger", led)
    out = _luoshi_watched(["validate", str(led), "--as-of", "2024-01-02", "--lang", "en"])
    assert out.returncode == 1
    assert out.stdout.endswith("atexit ran\n")
    findings = out.stdout.splitlines()[:-1]
    assert findings and all(" error LS203 " in line for line in findings), findings
    n = len(findings)
    assert out.stderr == f"{n} error{'' if n == 1 else 's'}, 0 warnings\n"


@pytest.mark.parametrize("args", [["status", "--format", "json"], ["score", "-q", "Q2"],
                                  ["bulletin", "-q", "Q2"]], ids=["status", "score", "bulletin"])
def test_the_reports_exit_without_freeing_the_ledger(args: list[str]) -> None:
    """`status`, `score` and `bulletin` leave as `validate` does: a bulletin's
    100,000 tasks and their context took 0.2 s to free after the work was done.
    The report is whole (the very bytes a normal exit prints), the atexit handlers
    run, the exit code stands; an object's finalizer is not run any more."""
    example = Path(__file__).resolve().parent.parent / "examples" / "weinan-2021"
    argv = [args[0], str(example), *args[1:], "--as-of", "2021-06-30"]
    fast = _luoshi_watched(argv)
    plain = subprocess.run([sys.executable, "-m", "luoshi_cli", *argv], capture_output=True,
                           text=True)
    assert (fast.returncode, plain.returncode) == (0, 0)
    assert fast.stdout == plain.stdout + "atexit ran\n" and len(plain.stdout) > 500
    assert "torn down" not in fast.stderr


def test_a_kind_s_readers_are_made_with_every_reader_they_call() -> None:
    """The fast readers are generated per kind when first needed (luoshi.yaml's
    before the parse worker starts): each kind's set holds every reader its code
    calls, at any depth, and reads the same as the readers made all at once."""
    import re

    from luoshi_cli.load import schema

    every = schema._generate_readers()
    for kind in schema.SPECS:
        alone = schema._generate_readers(kind)
        assert set(alone) == set(schema._nested_kinds(kind))
        for k in alone:
            called = set(re.findall(r"read_(\w+)", schema._reader_source(k, {}) or ""))
            assert called <= set(alone) | {k}, (kind, k, called - set(alone))
            assert (alone[k] is schema._bail) == (every[k] is schema._bail), k
    import yaml_rs

    text = (CASES / "task-ledger" / "ledger" / "tasks" / "econ.yaml").read_text("utf-8")
    data = yaml_rs.loads(text)
    tasks = data if isinstance(data, list) else data["tasks"]
    for task in tasks:
        assert schema._generate_readers("task")["task"](task) == every["task"](task)


@pytest.mark.parametrize(("quality", "expected"), [
    ("{T-001: 0}", []),
    ("{T-001: 100}", []),
    ("{T-001: 100.5}", [("LS403", 10)]),
    ("{T-001: -1}", [("LS403", 10)]),
    ("{T-001: 90, T-002: 80}", [("LS116", 10)]),
    ("{T-002: 101, T-001: 90}", [("LS116", 10), ("LS403", 10)]),
])
def test_record_quality_checked_in_c_finds_what_the_loop_finds(
        tmp_path: Path, quality: str, expected: list[tuple[str, int]]) -> None:
    """A record's quality scores are tested as a whole (every id known, every score
    0–100: no finding) before they are walked one by one: the bounds are inclusive,
    an unknown id or a score out of range still gives its finding, in order."""
    import shutil
    from datetime import date

    from luoshi_cli import api

    led = tmp_path / "led"
    shutil.copytree(CASES / "scheme-and-record" / "ledger", led)
    record = led / "records" / "2024-Q1.yaml"
    record.write_text(record.read_text(encoding="utf-8") + f"quality: {quality}\n",
                      encoding="utf-8")
    result = api.validate(led, date(2024, 5, 31), cache=False, keep_tasks=False,
                          today=date(2024, 5, 31))
    # the case's scheme has no `source: tasks` leaf: the section is read by no
    # scoring (LS422, a warning, first), and its values are still checked
    assert [(f.code, f.line) for f in result.findings] == [("LS422", 10), *expected]
    assert all(f.file == "records/2024-Q1.yaml" for f in result.findings)
