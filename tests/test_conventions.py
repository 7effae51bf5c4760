"""The conventions CI users and terminal users expect of a linter (issue 18): colour
switches, broken pipes and full disks, --select/--ignore, paths that open from where
one stands, SARIF, and a step summary GitHub does not drop."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, Run, git
from luoshi_cli.core.finding import Finding

LIGHTS = REPO / "tests" / "fixtures" / "status" / "lights"
AS_OF = ("--as-of", "2024-05-31")
ESC = "\x1b["
BEILIN = REPO / "ledgers" / "beilin-2024"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "GITHUB_WORKSPACE", "COLUMNS", "TERM")}
    env.update({"TERM": "xterm", **extra})
    return env


def _under_pty(args: list[str], **extra: str) -> str:
    """Run `luoshi ARGS` with stdout on a real pseudo-terminal; what it printed."""
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "luoshi_cli", *args], stdout=child,
                            stderr=subprocess.DEVNULL, env=_env(**extra), cwd=REPO)
    os.close(child)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.wait(30)
    os.close(main)
    return out.decode()


def _piped(args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "luoshi_cli", *args], capture_output=True,
                          text=True, env=_env(**extra), cwd=REPO, timeout=60)


VALIDATE = ["validate", str(LIGHTS), *AS_OF, "--lang", "en"]


def test_colour_on_a_terminal_by_default_and_off_with_no_color() -> None:
    assert ESC in _under_pty(VALIDATE)
    assert ESC not in _under_pty(VALIDATE, NO_COLOR="1")
    assert ESC not in _under_pty(["--color", "never", *VALIDATE])
    assert ESC not in _under_pty(VALIDATE, TERM="dumb")


def test_force_color_and_color_always_colour_a_pipe() -> None:
    assert ESC not in _piped(VALIDATE).stdout
    forced = _piped(VALIDATE, FORCE_COLOR="1").stdout
    assert forced.startswith("\x1b[1mtests/fixtures/status/lights/tasks/c.yaml:38:45\x1b[0m: "
                             "\x1b[31merror\x1b[0m LS203 ")
    assert ESC not in _piped(VALIDATE, FORCE_COLOR="0").stdout
    assert ESC in _piped(["--color", "always", *VALIDATE]).stdout
    # the explicit switch beats the environment
    assert ESC not in _piped(["--color", "never", *VALIDATE], FORCE_COLOR="1").stdout
    # NO_COLOR is the user's standing wish: it wins over FORCE_COLOR
    assert ESC not in _piped(VALIDATE, FORCE_COLOR="1", NO_COLOR="1").stdout


def test_color_status_table_follows_the_switch() -> None:
    args = ["status", str(LIGHTS), *AS_OF]
    assert ESC in _piped(["--color", "always", *args]).stdout
    assert ESC not in _under_pty(["--color", "never", *args])


def test_bad_color_value_is_exit_2() -> None:
    run = _piped(["--color", "sometimes", *VALIDATE])
    assert run.returncode == 2
    assert run.stderr == ("luoshi: --color sometimes 无效：请写 auto、always 或 never / "
                          "--color sometimes is not valid: write auto, always or never\n")


def test_broken_pipe_is_exit_0_and_quiet() -> None:
    """`luoshi status | head -1`: the reader leaving early is not an error."""
    proc = subprocess.Popen([sys.executable, "-m", "luoshi_cli", "status", str(BEILIN),
                             "--format", "csv"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_env(), cwd=REPO)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(60) == 0
    assert err == b""


@pytest.fixture
def broken_ledger(tmp_path: Path) -> Path:
    """The 碑林 ledger with its units gone: an error on every task (LS110)."""
    import shutil

    root = tmp_path / "broken"
    shutil.copytree(BEILIN, root, ignore=shutil.ignore_patterns(".luoshi-cache"))
    text = (root / "units.yaml").read_text(encoding="utf-8")
    (root / "units.yaml").write_text(text.replace("id: fgw,", "id: fgw-gone,"),
                                     encoding="utf-8")
    return root


@pytest.mark.parametrize("command", [["validate"], ["validate", "--format", "github"],
                                     ["hook"]])
def test_a_gate_keeps_its_verdict_when_the_reader_leaves(broken_ledger: Path,
                                                         command: list[str]) -> None:
    """`luoshi validate | head -20` under pipefail: the reader left, and the gate
    still fails a ledger with errors (it exited 0, as if the ledger were clean)."""
    args = [*command, str(broken_ledger / "luoshi.yaml")] if command == ["hook"] else [
        *command, str(broken_ledger), "--as-of", "2024-06-30"]
    if command == ["hook"]:
        git(broken_ledger, "init", "-q")
        git(broken_ledger, "add", "-A")
    proc = subprocess.Popen([sys.executable, "-m", "luoshi_cli", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
                            cwd=broken_ledger)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 1, err
    assert "Traceback" not in err and "internal error" not in err


def test_closed_stdout_is_not_an_internal_error(broken_ledger: Path) -> None:
    """`luoshi status >&-` was "internal error (… 'NoneType' … isatty)"; now the
    output goes nowhere and the exit code is the command's."""
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "luoshi_cli", *args], stdin=None,
                              stdout=None, stderr=subprocess.PIPE, text=True, env=_env(),
                              cwd=REPO, timeout=60, preexec_fn=lambda: os.close(1))
    ok = run("status", str(BEILIN), "--as-of", "2024-06-30")
    assert (ok.returncode, ok.stderr) == (0, "")
    bad = run("validate", str(broken_ledger), "--as-of", "2024-06-30")
    assert bad.returncode == 1 and "internal error" not in bad.stderr


def test_version_to_a_full_disk_is_one_line() -> None:
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "luoshi_cli", "--version"], stdout=full,
                             stderr=subprocess.PIPE, text=True, env=_env(), timeout=60)
    assert run.returncode == 2
    assert run.stderr == "luoshi: I/O error: No space left on device / 输入输出错误\n"


def test_a_deleted_current_directory_is_one_line(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    run = subprocess.run([sys.executable, "-m", "luoshi_cli", "validate", str(BEILIN)],
                         capture_output=True, text=True, env=_env(), cwd=gone, timeout=60,
                         preexec_fn=lambda: os.rmdir(gone))
    assert run.returncode == 2
    assert run.stderr.startswith("luoshi: the current directory no longer exists")


def test_full_disk_is_a_one_line_io_error_exit_2() -> None:
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "luoshi_cli", "status", str(BEILIN)],
                             stdout=full, stderr=subprocess.PIPE, text=True, env=_env(),
                             cwd=REPO, timeout=60)
    assert run.returncode == 2
    assert run.stderr == ("luoshi: I/O error: No space left on device / "
                          "输入输出错误（磁盘已满）\n")


def test_select_and_ignore_in_ruffs_style(cli: Callable[..., Run]) -> None:
    only = cli("validate", LIGHTS, *AS_OF, "--lang", "en", "--select", "LS6")
    assert [line.split(": ")[1].split(" ")[:2] for line in only.stdout.splitlines()] == [
        ["warning", "LS601"]]
    assert only.exit_code == 0  # the errors were not selected
    assert only.stderr == "0 errors, 1 warning\n"
    rest = cli("validate", LIGHTS, *AS_OF, "--lang", "en", "--ignore", "LS203")
    assert [line.split(" ")[2] for line in rest.stdout.splitlines()] == ["LS601"]
    both = cli("validate", LIGHTS, *AS_OF, "--select", "LS2,LS6", "--ignore", "ls601",
               "--strict")
    assert [line.split(" ")[2] for line in both.stdout.splitlines()] == ["LS203", "LS203"]
    assert both.exit_code == 1
    everything = cli("validate", LIGHTS, *AS_OF, "--select", "ALL", "--ignore", "LS2")
    assert [line.split(" ")[2] for line in everything.stdout.splitlines()] == ["LS601"]


def test_select_prefix_matching_no_code_is_refused(cli: Callable[..., Run]) -> None:
    """On the command line a code that matches nothing is exit 2, the value quoted
    escaped: `##[` anywhere on a CI log line is a workflow command (GitHub reads stderr
    too), so its first `#` is written `\\x23` — as every ledger value in a log."""
    run = cli("validate", LIGHTS, *AS_OF, "--lang", "en", "--ignore", "LS6O1")
    assert run.exit_code == 2
    assert run.stderr == ("luoshi: --ignore LS6O1: no finding code "
                          "starts with it (did you mean LS601?)\n")
    forged = cli("validate", LIGHTS, *AS_OF, "--ignore", "LS6,##[stop-commands]tok")
    assert forged.exit_code == 2
    assert forged.stderr == ("luoshi: --ignore \\x23#[STOP-COMMANDS]TOK：没有以此开头的检查代码"
                             "（代码形如 LS105，见 docs/REFERENCE.md 的代码表）\n")


def test_lint_code_matching_no_code_is_a_finding_at_its_line(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """A code in luoshi.yaml's own `lint:` that matches nothing is the ledger's mistake:
    the error LS024 at the entry (`  select: [ALL, ` is 16 characters: LSX9 at column
    17, the quoted `"LS203,LS6OX"` at 23; `  ignore: [LS601, `: 18, so 19), reported with the other findings, its value escaped
    as every ledger value in a CI log (`##[` → `\\x23#[`).  It was exit 2 with no file
    or line, the value echoed raw into the log (a `##[stop-commands]` there stops
    GitHub reading the job's annotations).  The entry has no effect: LS601 is still
    left out, the unknown select entry selects nothing (so nothing is left out, and
    no LS021 for it).  An entry holding two codes (`LS203,LS6OX`) is read as two, as
    --ignore reads them.  Here the ledger has LS110 (lead: fgw2) besides."""
    lint = ("lint:\n  select: [ALL, LSX9, \"LS203,LS6OX\"]\n"
            "  ignore: [LS601, \"##[stop-commands]tok\"]\n")
    root = write({**BAD, "luoshi.yaml": BAD["luoshi.yaml"] + lint})
    run = cli("validate", root, "--as-of", "2024-07-08", "--lang", "en", "-f", "github",
              env={"GITHUB_WORKSPACE": str(root)})
    msg = ("lint's {} entry {} is no finding code and starts none{}: it has no effect; "
           "correct or remove it (codes look like LS105, prefixes like LS6, ALL is every "
           "code: see the table in docs/REFERENCE.md)")
    assert run.stdout.splitlines() == [
        "::error file=luoshi.yaml,line=6,col=17,title=LS024::luoshi.yaml:6:17: LS024 "
        + msg.format("select", "LSX9", " (did you mean LS709?)"),
        "::error file=luoshi.yaml,line=6,col=23,title=LS024::luoshi.yaml:6:23: LS024 "
        + msg.format("select", "LS6OX", " (did you mean LS706?)"),
        "::error file=luoshi.yaml,line=7,col=19,title=LS024::luoshi.yaml:7:19: LS024 "
        + msg.format("ignore", "\\x23#[stop-commands]tok", ""),
        "::error file=tasks/a.yaml,line=4,col=9,title=LS110::tasks/a.yaml:4:9: LS110 task "
        "T-001 names "
        "unknown unit fgw2 (did you mean fgw?): add it to units.yaml or correct the spelling",
    ]
    assert run.exit_code == 1
    # the command line's --ignore drops an error, LS024 too (the lint's own cannot)
    assert cli("validate", root, "--as-of", "2024-07-08", "--ignore", "LS024,LS110"
               ).exit_code == 0


def test_lint_select_and_ignore_in_luoshi_yaml(write: Callable[..., Path],
                                               cli: Callable[..., Run]) -> None:
    """luoshi.yaml's `lint:` is the default; --select replaces its select, --ignore adds.
    The lint leaves out warnings only: errors (here LS110 twice and LS204) are always
    reported unless the command line leaves them out, and a lint that names errors
    gets the warning LS021 (a pull request carries its own luoshi.yaml)."""
    twice = {**BAD, "tasks/b.yaml": BAD["tasks/a.yaml"].replace("T-001", "T-002")
             .replace("2024-12-31", "2024-02-30")}
    root = write({**twice, "luoshi.yaml": BAD["luoshi.yaml"] + "lint:\n  ignore: [LS110]\n"})
    run = cli("validate", root, "--as-of", "2024-05-31")
    assert [line.split(" ")[2] for line in run.stdout.splitlines()] == [
        "LS021", "LS110", "LS110", "LS204"]
    assert run.exit_code == 1
    assert [line.split(" ")[2] for line in cli(
        "validate", root, "--as-of", "2024-05-31", "--ignore", "LS2,LS110").stdout.splitlines()
            ] == ["LS021"]
    assert cli("validate", root, "--as-of", "2024-05-31", "--ignore", "LS2,LS110").exit_code == 0
    root2 = write({**twice, "luoshi.yaml": BAD["luoshi.yaml"] + "lint: {select: [LS110]}\n"},
                  root.parent / "other")
    assert [line.split(" ")[2] for line in
            cli("validate", root2, "--as-of", "2024-05-31").stdout.splitlines()
            ] == ["LS021", "LS110", "LS110", "LS204"]
    assert [line.split(" ")[2] for line in cli("validate", root2, "--as-of", "2024-05-31",
                                               "--select", "LS2").stdout.splitlines()
            ] == ["LS204"]
    # an entry of two codes is read as two, as --ignore reads it: LS110 among them
    # is an error the lint cannot leave out (LS021 was missed for such an entry)
    root3 = write({**twice, "luoshi.yaml": BAD["luoshi.yaml"]
                   + "lint: {ignore: [\"LS601, LS110\"]}\n"}, root.parent / "third")
    assert [line.split(" ")[:3] for line in
            cli("validate", root3, "--as-of", "2024-05-31").stdout.splitlines()][:2] == [
        ["luoshi.yaml:5:17:", "warning", "LS021"], ["tasks/a.yaml:4:9:", "error", "LS110"]]
    bad = write({**BAD, "luoshi.yaml": BAD["luoshi.yaml"] + "lint: {ignore: [LS99x]}\n"},
                root.parent / "bad")
    refused = cli("validate", bad, "--as-of", "2024-05-31", "--lang", "en")
    assert refused.exit_code == 1  # a finding of the ledger's (LS024), no longer exit 2
    assert [line.split(" ")[:3] for line in refused.stdout.splitlines()] == [
        ["luoshi.yaml:5:17:", "error", "LS024"], ["tasks/a.yaml:4:9:", "error", "LS110"]]


def test_ignored_codes_are_never_placed_on_their_lines(
        write: Callable[..., Path], cli: Callable[..., Run],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On the 6th of a month every running task may owe its report (LS601); an office
    that ignores LS601 (luoshi.yaml's lint or --ignore) does not pay for finding the
    line of each.  Two clean task files; on 2024-07-08 both owe June's report (due by
    the 5th of July), an LS601 on each `updates` key.  The files are read for
    positions only when LS601 is reported."""
    from luoshi_cli.load import positions

    task = BAD["tasks/a.yaml"].replace("lead: fgw2", "lead: fgw")
    files = {**BAD, "tasks/a.yaml": task, "tasks/b.yaml": task.replace("T-001", "T-002")}
    wanted: list[object] = []
    real = positions._locate
    monkeypatch.setattr(positions, "_locate",
                        lambda text, paths, count=None: wanted.append(sorted(paths))
                        or real(text, paths, count))
    day = ("--as-of", "2024-07-08", "--no-cache")
    root = write(files)
    run = cli("validate", root, *day)
    assert [line.split(" ")[:3] for line in run.stdout.splitlines()] == [
        ["tasks/a.yaml:12:3:", "warning", "LS601"], ["tasks/b.yaml:12:3:", "warning", "LS601"]]
    assert wanted == [[(0, "updates")], [(0, "updates")]]
    wanted.clear()
    assert cli("validate", root, *day, "--ignore", "LS601").stdout == ""
    assert wanted == []
    ignoring = write({**files, "luoshi.yaml": BAD["luoshi.yaml"] + "lint: {ignore: [LS6]}\n"},
                     root.parent / "ignoring")
    assert cli("validate", ignoring, *day).stdout == ""
    assert cli("validate", ignoring, *day, "--select", "LS1").stdout == ""
    assert wanted == []


BAD = {
    "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
    "units.yaml": "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: li, name: 李某某}\n",
    "tasks/a.yaml": "- id: T-001\n  title: 项目\n  category: econ\n  lead: fgw2\n"
                    "  leaders: [li]\n  start: 2024-01-01\n  standard: 全年\n"
                    "  milestones:\n    - {due: 2024-12-31, standard: 完成}\n"
                    "  status: in_progress\n  progress: 45\n"
                    "  updates:\n    - {month: \"2024-04\", progress: 45}\n",
}


def test_text_paths_open_from_the_repository_root(write: Callable[..., Path],
                                                  cli: Callable[..., Run], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A pre-commit hook runs at the repository root: the path it prints must open."""
    write(BAD, tmp_path / "ledgers" / "beilin-2024")
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "ledgers/beilin-2024", "--as-of", "2024-05-31")
    assert run.stdout.startswith("ledgers/beilin-2024/tasks/a.yaml:4:9: error LS110 ")
    assert (tmp_path / run.stdout.split(":")[0]).is_file()


def test_github_file_is_relative_to_the_git_top_level(write: Callable[..., Path],
                                                      cli: Callable[..., Run], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from inside the ledger (cwd = ledger), the annotation still needs the path
    from the checkout's root, where GitHub looks for the file."""
    root = write(BAD, tmp_path / "repo" / "ledgers" / "beilin-2024")
    git(tmp_path / "repo", "init", "-q")
    monkeypatch.chdir(root)
    run = cli("validate", "--format", "github", "--as-of", "2024-05-31", env={})
    assert run.stdout.startswith(
        "::error file=ledgers/beilin-2024/tasks/a.yaml,line=4,col=9,title=LS110::")
    # GITHUB_WORKSPACE, where set, is the root
    ws = cli("validate", "--format", "github", "--as-of", "2024-05-31",
             env={"GITHUB_WORKSPACE": str(tmp_path / "repo" / "ledgers")})
    assert ws.stdout.startswith("::error file=beilin-2024/tasks/a.yaml,line=4,col=9,")


def test_sarif_for_code_scanning(write: Callable[..., Path], cli: Callable[..., Run],
                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(BAD, tmp_path / "ledgers" / "x")
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path / "ledgers")
    run = cli("validate", "x", "--format", "sarif", "--as-of", "2024-05-31", "--lang", "en",
              env={})
    assert run.exit_code == 1
    doc = json.loads(run.stdout)
    assert doc["version"] == "2.1.0"
    (only,) = doc["runs"]
    assert only["tool"]["driver"]["name"] == "luoshi"
    assert only["columnKind"] == "unicodeCodePoints"
    assert only["tool"]["driver"]["rules"] == [{
        "id": "LS110", "shortDescription": {"text": "unknown unit"},
        "defaultConfiguration": {"level": "error"}}]
    assert only["results"] == [{
        "ruleId": "LS110", "ruleIndex": 0, "level": "error",
        "message": {"text": "task T-001 names unknown unit fgw2 (did you mean fgw?): add it "
                    "to units.yaml or correct the spelling"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "ledgers/x/tasks/a.yaml", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 4, "startColumn": 9}}}]}]


def test_sarif_columns_are_code_points(write: Callable[..., Path], cli: Callable[..., Run],
                                       tmp_path: Path) -> None:
    """A column counts code points (the text format's, the YAML reader's): in
    `- {id: T-001, title: "经济😀发展", category: econ, lead: fgw2` the unit is the 53rd
    code point (52 before it: `- {id: T-001, title: ` 21, `"经济😀发展"` 7, `, category:
    econ, lead: ` 24), the 54th UTF-16 unit (😀 is two) — SARIF's default unit, so the
    run names its own: `columnKind: unicodeCodePoints` (it named none)."""
    task = ('- {id: T-001, title: "经济😀发展", category: econ, lead: fgw2, leaders: [li], '
            'start: 2024-01-01, standard: 全年, milestones: [{due: 2024-12-31, standard: 完成}], '
            'status: in_progress, progress: 45, updates: [{month: "2024-04", progress: 45}]}\n')
    root = write({**BAD, "tasks/a.yaml": task})
    text = cli("validate", root, "--as-of", "2024-05-31")
    assert text.stdout.startswith("tasks/a.yaml:1:53: error LS110 ")
    run = cli("validate", root, "--format", "sarif", "--as-of", "2024-05-31",
              env={"GITHUB_WORKSPACE": str(root)})
    (only,) = json.loads(run.stdout)["runs"]
    assert only["columnKind"] == "unicodeCodePoints"
    assert [r["locations"][0]["physicalLocation"]["region"] for r in only["results"]] == [
        {"startLine": 1, "startColumn": 53}]


@pytest.mark.parametrize(("name", "uri"), [
    ("a#1.yaml", "ledgers/x/tasks/a%231.yaml"),
    ("q?x=1.yaml", "ledgers/x/tasks/q%3Fx%3D1.yaml"),
    ("100%.yaml", "ledgers/x/tasks/100%25.yaml"),
    ("a%41.yaml", "ledgers/x/tasks/a%2541.yaml"),
    ("经济 发展.yaml", "ledgers/x/tasks/%E7%BB%8F%E6%B5%8E%20%E5%8F%91%E5%B1%95.yaml"),
])
def test_sarif_uri_is_percent_encoded(write: Callable[..., Path], cli: Callable[..., Run],
                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      name: str, uri: str) -> None:
    """Audit E item 5: SARIF's `uri` is a URI reference (§3.10): a raw `#`, `?`, `%`,
    space or CJK file name names a fragment, a query or another file."""
    write({**{k: v for k, v in BAD.items() if k != "tasks/a.yaml"},
           f"tasks/{name}": BAD["tasks/a.yaml"]}, tmp_path / "ledgers" / "x")
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path / "ledgers")
    run = cli("validate", "x", "--format", "sarif", "--as-of", "2024-05-31", env={})
    assert run.exit_code == 1
    [result] = json.loads(run.stdout)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": uri, "uriBaseId": "%SRCROOT%"}


def test_step_summary_stays_below_one_mebibyte() -> None:
    from luoshi_cli.report.findings import SUMMARY_LIMIT, markdown_table

    assert SUMMARY_LIMIT < 1024 * 1024
    many = [Finding("LS110", f"tasks/{i:05d}.yaml", 4, 9, (("task", "T"), ("unit", "x" * 80)))
            for i in range(20000)]
    table = markdown_table(many, "en", limit=SUMMARY_LIMIT)
    assert len(table.encode()) < SUMMARY_LIMIT
    rows = table.count("\n| tasks/")
    assert table.endswith(f"\n\n… and {20000 - rows} more (see the log)\n")
    assert markdown_table(many[:3], "en", limit=SUMMARY_LIMIT).count("\n") == 5


def test_step_summary_written_capped(write: Callable[..., Path], cli: Callable[..., Run],
                                     tmp_path: Path) -> None:
    root = write(BAD)
    summary = tmp_path / "summary.md"
    cli("validate", root, "--format", "github", "--as-of", "2024-05-31",
        env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert summary.read_text(encoding="utf-8").count("LS110") == 1


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "\n### Ledger check: examples/weinan-2021 (渭南高新区2021年度重点任务抓落实台账)\n\n"
           "luoshi: no findings\n"),
    ("zh", "\n### 台账检查：examples/weinan-2021（渭南高新区2021年度重点任务抓落实台账）\n\n"
           "luoshi：没有发现问题\n")])
def test_step_summary_of_a_clean_ledger_is_one_line(cli: Callable[..., Run], tmp_path: Path,
                                                    lang: str, line: str) -> None:
    """Audit E item 10: no findings wrote a table of headers only, which reads as a
    broken summary: one line, under the heading naming the ledger."""
    summary = tmp_path / "summary.md"
    run = cli("validate", EXAMPLE, "--format", "github", "--as-of", "2021-06-30", "--lang",
              lang, env={"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(REPO)})
    assert (run.exit_code, run.stdout) == (0, "")
    assert summary.read_text(encoding="utf-8") == line


def test_two_ledgers_in_one_step_get_a_summary_each(write: Callable[..., Path],
                                                    cli: Callable[..., Run],
                                                    tmp_path: Path) -> None:
    """Two `validate -f github` runs in one step append to one $GITHUB_STEP_SUMMARY:
    the second table's rows ran on as rows of the first (no blank line, no heading).
    Each run now starts with a blank line and a heading naming the ledger — its path
    from the checkout, as `file=`, and its title, Markdown-escaped as the rows are (a
    title from someone's branch: no link, no image, no mention).  The second ledger is
    the first with its title changed and lead: fgw (no LS110), so its LS601 alone."""
    hostile = "t [a](http://e) ![x](http://e/p.png) @octo"
    one = write(BAD, tmp_path / "ledgers" / "one")
    two = write({**BAD, "luoshi.yaml": BAD["luoshi.yaml"].replace("title: t", f"title: {hostile}"),
                 "tasks/a.yaml": BAD["tasks/a.yaml"].replace("lead: fgw2", "lead: fgw")},
                tmp_path / "ledgers" / "two")
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(tmp_path)}
    for root in (one, two):
        cli("validate", root, "-f", "github", "--as-of", "2024-07-08", "--lang", "en", env=env)
    late = ("task T-001: the latest monthly update is 2024-04; by 2024-07-08 the 2024-06 "
            "report was due: remind {} to report")
    assert summary.read_text(encoding="utf-8") == (
        "\n### Ledger check: ledgers/one (t)\n\n"
        "| file | line | severity | code | message |\n|---|---|---|---|---|\n"
        "| ledgers/one/tasks/a.yaml | 4 | error | LS110 | task T-001 names unknown unit fgw2 "
        "(did you mean fgw?): add it to units.yaml or correct the spelling |\n"
        f"| ledgers/one/tasks/a.yaml | 12 | warning | LS601 | {late.format('fgw2')} |\n"
        "\n### Ledger check: ledgers/two (t \\[a\\](http://e) !\\[x\\](http://e/p.png) "
        "@\u200bocto)\n\n"
        "| file | line | severity | code | message |\n|---|---|---|---|---|\n"
        f"| ledgers/two/tasks/a.yaml | 12 | warning | LS601 | {late.format('区发改委')} |\n")


def test_a_second_summary_counts_what_the_step_wrote_before(
        write: Callable[..., Path], cli: Callable[..., Run], tmp_path: Path) -> None:
    """GitHub drops a step summary over 1 MiB whole, the step's file as a whole: a
    run's table stops where the file would pass SUMMARY_LIMIT (1,000,000 bytes), with
    what was written before counted.  With 999,600 bytes there already and the heading
    (36 bytes), 364 are left for the table, of which a row must leave 200 (its margin):
    the head (66 bytes) and the first row (152: 218 in all, over 164) do not fit, so the
    table is its head and "… and 2 more"; without the 999,600 bytes both rows fit."""
    from luoshi_cli.report.findings import SUMMARY_LIMIT

    root = write(BAD, tmp_path / "ledgers" / "one")
    summary = tmp_path / "summary.md"
    summary.write_text("x" * 999_599 + "\n", encoding="utf-8")
    cli("validate", root, "-f", "github", "--as-of", "2024-07-08", "--lang", "en",
        env={"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(tmp_path)})
    text = summary.read_text(encoding="utf-8")
    assert text[999_600:] == (
        "\n### Ledger check: ledgers/one (t)\n\n"
        "| file | line | severity | code | message |\n|---|---|---|---|---|\n"
        "\n… and 2 more (see the log)\n")
    assert len(text.encode()) < SUMMARY_LIMIT


def test_a_step_summary_that_cannot_be_written_is_noted(cli: Callable[..., Run],
                                                        tmp_path: Path) -> None:
    """An unwritable $GITHUB_STEP_SUMMARY (here a directory: root writes anywhere else)
    was skipped without a word: the check stands, and one line on stderr says so."""
    where = tmp_path / "summary.d"
    where.mkdir()
    run = cli("validate", EXAMPLE, "--format", "github", "--as-of", "2021-06-30",
              env={"GITHUB_STEP_SUMMARY": str(where)})
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == (f"luoshi: 注意：无法写入步骤摘要 GITHUB_STEP_SUMMARY（{where}）："
                          "Is a directory；各项问题见日志\n0 个错误，0 个警告\n")
    run = cli("validate", EXAMPLE, "--format", "github", "--as-of", "2021-06-30", "--lang",
              "en", env={"GITHUB_STEP_SUMMARY": str(where)})
    assert run.stderr == (f"luoshi: note: cannot write the step summary GITHUB_STEP_SUMMARY "
                          f"({where}): Is a directory; the findings are in the log\n"
                          "0 errors, 0 warnings\n")


@pytest.mark.parametrize(("shell", "start"), [
    ("bash", "_luoshi_completion() {"),
    ("zsh", "#compdef luoshi"),
    ("fish", "complete --command luoshi "),
])
def test_completion_scripts_for_bash_zsh_fish(shell: str, start: str) -> None:
    run = _piped(["--show-completion", shell], _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    assert run.returncode == 0
    assert run.stdout.startswith(start)
    assert "_LUOSHI_COMPLETE=complete_" + shell in run.stdout


def test_completion_answers_command_names() -> None:
    run = _piped([], _LUOSHI_COMPLETE="complete_bash", COMP_WORDS="luoshi sta", COMP_CWORD="1")
    assert run.returncode == 0
    assert run.stdout.split() == ["status"]


WEINAN = REPO / "examples" / "weinan-2021"


def test_units_by_name_on_the_command_line(cli: Callable[..., Run]) -> None:
    by_name = cli("status", WEINAN, "--unit", "经济发展局", "--as-of", "2021-06-30")
    by_id = cli("status", WEINAN, "--unit", "jingfaju", "--as-of", "2021-06-30")
    assert by_name.exit_code == 0 and by_name.stdout == by_id.stdout
    explained = cli("score", WEINAN, "-q", "2", "--explain", "金城社区", "--as-of", "2021-07-10")
    assert explained.exit_code == 0
    assert explained.stdout == cli("score", WEINAN, "-q", "2", "--explain", "jinchengshequ",
                                   "--as-of", "2021-07-10").stdout


def test_unknown_unit_gets_did_you_mean_for_ids_and_names(cli: Callable[..., Run]) -> None:
    name = cli("status", WEINAN, "--unit", "经济发展", "--as-of", "2021-06-30")
    assert name.exit_code == 2
    assert name.stderr == ("luoshi: --unit 经济发展：台账中没有这个单位（代码或名称，见 units.yaml）"
                           "；是否想写 jingfaju（经济发展局）？\n")
    ident = cli("score", WEINAN, "-q", "2", "--explain", "jinchengshequu", "--lang", "en",
                "--as-of", "2021-07-10")
    assert ident.exit_code == 2
    assert ident.stderr == ("luoshi: --explain jinchengshequu: no unit with this id or name in "
                            "the ledger (see units.yaml); did you mean jinchengshequ (金城社区)?\n")


def test_a_name_where_an_id_belongs_names_the_id(write: Callable[..., Path],
                                                 cli: Callable[..., Run]) -> None:
    """`lead: 区发改委` is the exact name of unit fgw: the finding says to write fgw, and
    only that ("add it to units.yaml" would make a second 区发改委)."""
    task = (BAD["tasks/a.yaml"].replace("lead: fgw2", "lead: 区发改委")
            .replace("leaders: [li]", "leaders: [李某某]").replace("category: econ", "category: 经济"))
    root = write({**BAD, "tasks/a.yaml": task})
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert run.stdout.splitlines() == [
        "tasks/a.yaml:3:13: error LS112 task T-001 names unknown category 经济 (经济 is the name "
        "of category econ): write econ",
        "tasks/a.yaml:4:9: error LS110 task T-001 names unknown unit 区发改委 (区发改委 is the "
        "name of unit fgw): write fgw",
        "tasks/a.yaml:5:13: error LS111 task T-001 names unknown leader 李某某 (李某某 is the name "
        "of leader li): write li"]
    zh = cli("validate", root, "--as-of", "2024-05-31")
    assert zh.stdout.splitlines() == [
        "tasks/a.yaml:3:13: error LS112 任务 T-001 引用了不存在的类别 经济（经济 是类别 econ 的名称）："
        "请写 econ",
        "tasks/a.yaml:4:9: error LS110 任务 T-001 引用了不存在的单位 区发改委（区发改委 是单位 fgw "
        "的名称）：请写 fgw",
        "tasks/a.yaml:5:13: error LS111 任务 T-001 引用了不存在的领导 李某某（李某某 是领导 li 的名称）："
        "请写 li"]
    near = write({**BAD, "tasks/a.yaml": BAD["tasks/a.yaml"].replace("lead: fgw2", "lead: 区发改")},
                 root.parent / "near")
    assert cli("validate", near, "--as-of", "2024-05-31", "--lang", "en").stdout.splitlines() == [
        "tasks/a.yaml:4:9: error LS110 task T-001 names unknown unit 区发改 (did you mean fgw "
        "(区发改委)?): add it to units.yaml or correct the spelling"]


def test_text_where_a_list_of_ids_belongs_names_the_list(write: Callable[..., Path],
                                                         cli: Callable[..., Run]) -> None:
    """`leaders: 李某某` (a leader's name, as text, where a list of ids belongs) is an
    LS103 that says 李某某 is leader li and to write [li], as `lead: 区发改委` says to
    write fgw; an id as text gets its list; names and ids in one text, the whole
    list; `units:` too.  Text naming no known one keeps the usual message.  The plain
    way (every task parsed, then the rules run) says the same."""
    from datetime import date

    from luoshi_cli.ops.validate import validate

    units = BAD["units.yaml"].replace("leaders:\n", "  - {id: zjj, name: 区住建局}\nleaders:\n"
                                      "  - {id: wang, name: 王某某}\n")

    def check(leaders: str, extra: str = "") -> list[str]:
        task = BAD["tasks/a.yaml"].replace("lead: fgw2", "lead: fgw").replace(
            "leaders: [li]", leaders) + extra
        root = write({**BAD, "units.yaml": units, "tasks/a.yaml": task})
        run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
        zh = cli("validate", root, "--as-of", "2024-05-31").stdout.splitlines()
        for by_file in (True, False):
            v = validate(root, date(2024, 5, 31), by_file=by_file)
            assert [f.message("en") for f in v.findings] == [
                line.split(" ", 3)[3] for line in run.stdout.splitlines()]
        return [*run.stdout.splitlines(), *zh]

    assert check("leaders: 李某某") == [
        "tasks/a.yaml:5:12: error LS103 leaders should be a list (like [a, b]), not text "
        "(李某某 is the name of leader li): write [li]",
        "tasks/a.yaml:5:12: error LS103 leaders 应为列表（如 [a, b]），实际是文本（李某某 是领导 li "
        "的名称）：请写 [li]"]
    assert check("leaders: li")[0].endswith("not text: write [li]")
    assert check("leaders: 李某某、wang")[0].endswith(
        "not text (李某某 is the name of leader li): write [li, wang]")
    assert check("leaders: [li]", "  units: 区住建局\n")[0] == (
        "tasks/a.yaml:14:10: error LS103 units should be a list (like [a, b]), not text "
        "(区住建局 is the name of unit zjj): write [zjj]")
    assert check("leaders: 张某某")[0].endswith("not text: correct it")


def test_a_chinese_status_word_gets_its_value(write: Callable[..., Path],
                                              cli: Callable[..., Run]) -> None:
    root = write({**BAD, "tasks/a.yaml": BAD["tasks/a.yaml"].replace("lead: fgw2", "lead: fgw")
                  .replace("status: in_progress", "status: 进行中")})
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert run.stdout == (
        "tasks/a.yaml:10:11: error LS105 status: 进行中 is not allowed; use one of planned | "
        "in_progress | done | closing | closed | suspended (进行中 → in_progress: write "
        "in_progress)\n")


def test_every_enum_value_gets_its_chinese_word_or_its_near_value(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """`source: 约谈` is told its value as `status: 进行中` is, by the labels of
    core.labels; a misspelt value (`inprogress`) gets the value it is nearest."""
    task = BAD["tasks/a.yaml"].replace("lead: fgw2", "lead: fgw")
    supervision = ("rectifications:\n  - {id: ZG-1, unit: fgw, source: 约谈, opened: 2024-04-01, "
                   "due: 2024-06-30}\n  - {id: ZG-2, unit: fgw, source: redlight, "
                   "opened: 2024-04-01, due: 2024-06-30}\n")
    root = write({**BAD, "tasks/a.yaml": task.replace("status: in_progress", "status: inprogress")
                  + "  flags:\n    - {kind: 红旗}\n"
                  + "  adjustments:\n    - {date: 2024-03-01, field: 牵头单位, approved_by: li}\n",
                  "supervision/2024.yaml": supervision,
                  "luoshi.yaml": BAD["luoshi.yaml"] + "reporting: {cadence: 按月}\n"})
    run = cli("validate", root, "--as-of", "2024-05-31")
    assert run.stdout.splitlines() == [
        "luoshi.yaml:5:22: error LS105 cadence 的值 按月 无效：可选值为 monthly | dekad | weekly"
        "（按月 → monthly：请写 monthly）",
        "supervision/2024.yaml:2:35: error LS105 source 的值 约谈 无效：可选值为 red_light | "
        "interview | inspection | ranking | other（约谈 → interview：请写 interview）",
        "supervision/2024.yaml:3:35: error LS105 source 的值 redlight 无效：可选值为 red_light | "
        "interview | inspection | ranking | other（是不是 red_light？）",
        "tasks/a.yaml:10:11: error LS105 status 的值 inprogress 无效：可选值为 planned | "
        "in_progress | done | closing | closed | suspended（是不是 in_progress？）",
        "tasks/a.yaml:15:14: error LS105 kind 的值 红旗 无效：可选值为 red_flag | yellow_card"
        "（红旗 → red_flag：请写 red_flag）",
        "tasks/a.yaml:17:33: error LS105 field 的值 牵头单位 无效：可选值为 milestones | standard | "
        "lead | units | leaders | cooperating | title | category | start | status | progress | "
        "target（牵头单位 → lead：请写 lead）"]
    en = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en").stdout.splitlines()
    assert en[1] == (
        "supervision/2024.yaml:2:35: error LS105 source: 约谈 is not allowed; use one of "
        "red_light | interview | inspection | ranking | other (约谈 → interview: write interview)")
    assert en[3] == (
        "tasks/a.yaml:10:11: error LS105 status: inprogress is not allowed; use one of planned | "
        "in_progress | done | closing | closed | suspended (did you mean in_progress?)")


def test_a_closed_task_is_told_that_approved_by_is_a_leaders_id(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """LS209's fix names what approved_by holds; following it with the office that
    checked (a unit) is told that it is a unit, with a leader's name the id to write."""
    task = BAD["tasks/a.yaml"].replace("lead: fgw2", "lead: fgw").replace(
        "status: in_progress\n  progress: 45", "status: closed\n  progress: 100").replace(
        "standard: 完成}", "standard: 完成, done: 2024-04-30}")
    root = write({**BAD, "tasks/a.yaml": task})
    args = ("validate", root, "--as-of", "2024-05-31", "--select", "LS1,LS2")
    assert cli(*args).stdout + cli(*args, "--lang", "en").stdout == (
        "tasks/a.yaml:10:11: error LS209 任务 T-001：状态为 closed（已销号），但缺少 closed "
        "销号记录：请补上 closed: {date, approved_by, evidence}（approved_by 写批准销号的领导的标识，"
        "即 units.yaml 中 leaders 的 id，不写单位）\n"
        "tasks/a.yaml:10:11: error LS209 task T-001: status is closed but there is no closed "
        "block: add closed: {date, approved_by, evidence} (approved_by: the id of the "
        "approving leader under leaders in units.yaml, not a unit)\n")

    def approved(by: str) -> list[str]:
        closed = f"  closed: {{date: 2024-05-01, approved_by: {by}, evidence: 验收}}\n"
        supervision = ("rectifications:\n  - {id: ZG-1, unit: fgw, opened: 2024-04-01, "
                       f"due: 2024-06-30, closed: {{date: 2024-05-01, approved_by: {by}}}}}\n")
        write({"tasks/a.yaml": task + closed, "supervision/2024.yaml": supervision}, root)
        return [*cli(*args).stdout.splitlines(),
                *cli(*args, "--lang", "en").stdout.splitlines()]

    assert approved("区发改委") == [
        "supervision/2024.yaml:2:104: error LS111 整改 ZG-1 引用了不存在的领导 区发改委（区发改委 是单位 "
        "fgw，不是领导）：approved_by 请写批准的领导的标识（units.yaml 中 leaders 的 id）",
        "tasks/a.yaml:14:43: error LS111 任务 T-001 引用了不存在的领导 区发改委（区发改委 是单位 fgw，"
        "不是领导）：approved_by 请写批准的领导的标识（units.yaml 中 leaders 的 id）",
        "supervision/2024.yaml:2:104: error LS111 rectification ZG-1 names unknown leader 区发改委 "
        "(区发改委 is unit fgw, not a leader): approved_by names the approving leader: write "
        "their id from leaders in units.yaml",
        "tasks/a.yaml:14:43: error LS111 task T-001 names unknown leader 区发改委 (区发改委 is "
        "unit fgw, not a leader): approved_by names the approving leader: write their id from "
        "leaders in units.yaml"]
    assert approved("fgw")[2:] == [
        "supervision/2024.yaml:2:104: error LS111 rectification ZG-1 names unknown leader fgw "
        "(fgw is a unit, not a leader): approved_by names the approving leader: write their id "
        "from leaders in units.yaml",
        "tasks/a.yaml:14:43: error LS111 task T-001 names unknown leader fgw (fgw is a unit, "
        "not a leader): approved_by names the approving leader: write their id from leaders in "
        "units.yaml"]
    assert approved("李某某")[3] == (
        "tasks/a.yaml:14:43: error LS111 task T-001 names unknown leader 李某某 (李某某 is the "
        "name of leader li): write li")
    assert approved("li") == []


def test_example_workflow_on_current_actions_with_one_pr_comment() -> None:
    import yaml

    text = (REPO / "examples" / "ci" / "github-workflow.yml").read_text(encoding="utf-8")
    steps = yaml.safe_load(text)["jobs"]["ledger"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses == ["actions/checkout@v5", "actions/setup-python@v6",
                    "actions/upload-artifact@v5"]
    assert steps[1]["with"]["cache"] == "pip"
    comment = next(s["run"] for s in steps if s.get("name") == "Post what changed")
    assert "<!-- luoshi-diff -->" in comment and "-X PATCH" in comment
    # its own comment is the bot's: anyone can post one that starts with the marker, and
    # the workflow would then rewrite (or leave stale) a comment someone else planted
    assert ("select((.body | startswith(\"<!-- luoshi-diff -->\")) and .user.login == "
            "\"github-actions[bot]\")") in comment


def _bulletin_step(tmp_path: Path, ledger: Path, month: str, real: bool = False
                   ) -> tuple[int, str]:
    """Run the example workflow's bulletin step with bash in `tmp_path`, `date` saying
    it is `month`; its exit status and the luoshi command it ran (`luoshi` a stand-in
    that prints its arguments, unless `real`)."""
    import shutil

    import yaml

    text = (REPO / "examples" / "ci" / "github-workflow.yml").read_text(encoding="utf-8")
    steps = yaml.safe_load(text)["jobs"]["ledger"]["steps"]
    script = next(s["run"] for s in steps if s.get("name") == "Render the bulletin")
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "date").write_text(f"#!/bin/sh\necho {month}\n", encoding="utf-8")
    (fake / "luoshi").write_text('#!/bin/sh\necho luoshi "$@"\n', encoding="utf-8")
    (fake / "date").chmod(0o755)
    (fake / "luoshi").chmod(0o755)
    venv = Path(sys.executable).parent  # python with PyYAML, and the real luoshi
    if real:
        (fake / "luoshi").unlink()
    env = {**os.environ, "LEDGER": str(ledger),
           "PATH": os.pathsep.join([str(fake), str(venv), os.environ["PATH"]])}
    assert shutil.which("python", path=env["PATH"]) is not None
    run = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    return run.returncode, run.stdout + run.stderr


def test_example_workflow_bulletin_step_works_for_any_ledger_year(tmp_path: Path) -> None:
    """The bulletin step rendered `--month "$(date -u +%Y-%m)"`: exit 2 for every
    ledger not of the current year (the shipped example is 2021), so a copied workflow
    failed on every push from the January after.  The month is now capped to the
    ledger's year (luoshi.yaml's `year:`): its December after it, its January before."""
    weinan, beilin = REPO / "examples" / "weinan-2021", BEILIN
    cmd = "luoshi bulletin {} --format html --month {} -o bulletin.html\n"
    assert _bulletin_step(tmp_path, weinan, "2026-12") == (0, cmd.format(weinan, "2021-12"))
    assert _bulletin_step(tmp_path, beilin, "2026-12") == (0, cmd.format(beilin, "2024-12"))
    assert _bulletin_step(tmp_path, beilin, "2024-05") == (0, cmd.format(beilin, "2024-05"))
    assert _bulletin_step(tmp_path, beilin, "2023-11") == (0, cmd.format(beilin, "2024-01"))
    # and the bulletin is rendered
    assert _bulletin_step(tmp_path, weinan, "2026-12", real=True) == (0, "已写入 bulletin.html\n")
    assert (tmp_path / "bulletin.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_step_summary_escapes_ledger_markdown(write: Callable[..., Path],
                                              cli: Callable[..., Run], tmp_path: Path) -> None:
    """A unit id from someone's branch lands in the step summary (rendered Markdown):
    no image fetched, no link, no @mention, no extra column."""
    hostile = "![x](http://evil.example/p.png) @octo/team [a](http://e) |b"
    files = dict(BAD)
    files["tasks/a.yaml"] = BAD["tasks/a.yaml"].replace("lead: fgw2", f"lead: '{hostile}'")
    root = write(files)
    summary = tmp_path / "summary.md"
    cli("validate", root, "--format", "github", "--as-of", "2024-05-31",
        env={"GITHUB_STEP_SUMMARY": str(summary)})
    head, _, row = summary.read_text(encoding="utf-8").splitlines()[3:6]
    assert head == "| 文件 | 行 | 级别 | 代码 | 说明 |"  # the reader's language, as the rows
    assert row == ("| tasks/a.yaml | 4 | 错误 | LS110 | 任务 T-001 引用了不存在的单位 "
                   "!\\[x\\](http://evil.example/p.png) @\u200bocto/team \\[a\\](http://e) \\|b"
                   "：请在 units.yaml 中添加该单位，或改正拼写 |")


def test_example_workflow_keeps_the_offices_day(tmp_path: Path) -> None:
    """The runner's clock is UTC: from 00:00 to 08:00 Beijing time `date -u` (and
    `date.today()` in luoshi, its default as-of) still said yesterday, so the workflow
    rendered last month's bulletin on the morning of the 1st.  The job now runs in
    the office's time zone (`TZ: Asia/Shanghai`), which both `date` and Python read:
    at 2024-05-31 20:00 UTC it is already June in Beijing."""
    import yaml

    text = (REPO / "examples" / "ci" / "github-workflow.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert workflow["env"]["TZ"] == "Asia/Shanghai"
    steps = workflow["jobs"]["ledger"]["steps"]
    script = next(s["run"] for s in steps if s.get("name") == "Render the bulletin")
    assert "date +%Y-%m" in script and "date -u" not in text
    # what the step's `date` and luoshi's today then say, at 20:00 UTC on 31 May
    # (16 hours ahead of the epoch second below: 2024-05-31T20:00:00Z)
    env = {**os.environ, "TZ": workflow["env"]["TZ"]}
    probe = ("import time, datetime; t = 1717185600; "
             "print(time.strftime('%Y-%m', time.localtime(t)), "
             "datetime.date.fromtimestamp(t))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    assert out == ["2024-06", "2024-06-01"]
    utc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env={**os.environ, "TZ": "UTC"}, check=True).stdout.split()
    assert utc == ["2024-05", "2024-05-31"]
