"""A path through a folder the user cannot open (`chmod 000 noperm`) is one line naming
it and exit 2, never an internal error (Python 3.11's is_file()/is_dir()/exists() raise
PermissionError there).  Run for real in a subprocess: as root, without the capabilities
that ignore file modes (setpriv); skipped where the permission cannot be denied."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE, git

NOCAP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
         "--inh-caps=-dac_override,-dac_read_search"]


def _prefix(locked: Path) -> list[str]:
    """What runs a command without the right to open `locked`, or skip."""
    prefix = [] if os.name == "posix" and os.geteuid() != 0 else NOCAP
    if prefix and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: the permission cannot be denied")
    probe = subprocess.run([*prefix, sys.executable, "-c",
                            f"import os; os.stat({str(locked / 'x')!r})"],
                           capture_output=True, text=True)
    if "PermissionError" not in probe.stderr:
        pytest.skip("the permission cannot be denied here")
    return prefix


@pytest.fixture
def denied(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    shutil.copytree(EXAMPLE, tmp_path / "w")
    shutil.copytree(EXAMPLE, tmp_path / "noperm" / "w")
    (tmp_path / "noperm").chmod(0)
    try:
        yield tmp_path, _prefix(tmp_path / "noperm")
    finally:
        (tmp_path / "noperm").chmod(stat.S_IRWXU)


def _luoshi(cwd: Path, prefix: list[str], *args: str,
            env_more: dict[str, str] | None = None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LUOSHI_LANG", "LUOSHI_DEBUG")}
    env.update(env_more or {})
    done = subprocess.run([*prefix, sys.executable, "-m", "luoshi_cli", *args], cwd=cwd,
                          capture_output=True, text=True, env=env)
    return done.returncode, done.stderr


@pytest.mark.parametrize(("args", "line"), [
    (["validate", "noperm/w"], "无法读取 noperm/w：没有权限"),
    (["status", "noperm/w"], "无法读取 noperm/w：没有权限"),
    (["score", "noperm/w", "--quarter", "Q2"], "无法读取 noperm/w：没有权限"),
    (["export", "noperm/w", "-o", "x.xlsx"], "无法读取 noperm/w：没有权限"),
    (["rollup", "noperm/w"], "无法读取 noperm/w/ledger.parquet：没有权限"),
    (["rollup", "--from-parquet", "noperm/w"], "无法读取 noperm/w：没有权限"),
    (["validate", "--rev", "HEAD", "noperm/w"], "无法读取 noperm/w：没有权限"),
    (["bulletin", "w", "-q", "Q2", "-o", "noperm/out.md"], "无法写入 noperm/out.md：没有权限"),
    (["export", "w", "-o", "noperm/out.xlsx"], "无法写入 noperm/out.xlsx：没有权限"),
    (["bulletin", "w", "-q", "Q2", "--template", "noperm/t.md.j2"],
     "无法读取 noperm/t.md.j2：没有权限"),
    (["init", "noperm/new"], "无法写入 noperm/new：没有权限"),
    (["diff", "HEAD", "noperm/w"], "无法读取 noperm/w：没有权限"),
    (["diff", "HEAD..main", "noperm/w"], "无法读取 noperm/w：没有权限"),
    (["--lang", "en", "validate", "noperm/w"], "cannot read noperm/w: Permission denied"),
    (["--lang", "en", "init", "noperm/new"], "cannot write noperm/new: Permission denied"),
    (["export", "w", "-f", "parquet", "-o", "noperm/p"], "无法写入 noperm/p：没有权限"),
    (["export", "w", "--per-unit", "-o", "noperm/pu"], "无法写入 noperm/pu：没有权限"),
    (["schema", "-o", "noperm/s"], "无法写入 noperm/s：没有权限"),
    (["import", "tasks", "noperm/a.xlsx", "w"], "无法读取 noperm/a.xlsx：没有权限"),
    (["import", "updates", "noperm/a.xlsx", "--ledger", "w"], "无法读取 noperm/a.xlsx：没有权限"),
    (["import", "scores", "noperm/a.xlsx", "w", "--period", "2021-Q2"],
     "无法读取 noperm/a.xlsx：没有权限"),
    (["import", "tasks", "w/a.xlsx", "w", "-o", "noperm/x.yaml"],
     "无法写入 noperm/x.yaml：没有权限"),
    (["bulletin", "w", "-q", "Q2", "--dump-template", "noperm/t"], "无法写入 noperm/t：没有权限"),
])
def test_a_folder_that_cannot_be_opened_is_one_line(
        denied: tuple[Path, list[str]], args: list[str], line: str) -> None:
    cwd, prefix = denied
    code, err = _luoshi(cwd, prefix, *args)
    assert (code, err) == (2, f"luoshi: {line}\n")


def test_hook_on_a_file_in_a_folder_that_cannot_be_opened(
        denied: tuple[Path, list[str]]) -> None:
    cwd, prefix = denied
    git(cwd, "init", "-q")
    (cwd / "np").mkdir()
    (cwd / "np").chmod(0)
    try:
        code, err = _luoshi(cwd, prefix, "hook", "np/x.yaml")
    finally:
        (cwd / "np").chmod(stat.S_IRWXU)
    assert (code, err) == (2, "luoshi: 无法读取 np/x.yaml：没有权限\n")


@pytest.mark.parametrize("args", [["hook", "tasks/city.yaml"], ["hook", "."],
                                  ["hook", "--lang", "en", "tasks"]])
@pytest.mark.parametrize("outside", ["across", "git_dir"])
def test_hook_outside_git_under_a_folder_that_cannot_be_opened(
        denied: tuple[Path, list[str]], args: list[str], outside: str) -> None:
    """Run inside a ledger below a folder without search permission (`sudo -u` from a
    private home), with git told the folder is in no repository — it looks no further
    than the file systems' edge (GIT_DISCOVERY_ACROSS_FILESYSTEM), or GIT_DIR names a
    repository elsewhere — the hook looked for the file's ledger by its absolute path
    with Python's own is_dir(): `internal error (PermissionError)`.  Now the one line
    other commands say for such a path (`fsio.path_is`), exit 2."""
    cwd, prefix = denied
    if outside == "across":
        env = {"GIT_DISCOVERY_ACROSS_FILESYSTEM": "1"}
    else:
        git(cwd, "init", "-q", "repo")
        env = {"GIT_DIR": str(cwd / "repo" / ".git"), "GIT_WORK_TREE": str(cwd / "repo")}
    code, err = _luoshi(cwd / "noperm" / "w", prefix, *args, env_more=env)
    shown = cwd / "noperm" / "w" / args[-1] if args[-1] != "." else cwd / "noperm" / "w"
    if "en" in args:
        assert (code, err) == (2, f"luoshi: cannot read {shown}: Permission denied\n")
    else:
        assert (code, err) == (2, f"luoshi: 无法读取 {shown}：没有权限\n")


def test_a_ledger_folder_that_cannot_be_read_is_told_in_chinese(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "noperm2" / "w")
    (tmp_path / "noperm2" / "w").chmod(0)
    try:
        prefix = _prefix(tmp_path / "noperm2" / "w")
        code, err = _luoshi(tmp_path, prefix, "status", "noperm2/w")
    finally:
        (tmp_path / "noperm2" / "w").chmod(stat.S_IRWXU)
    assert code == 2
    assert err.splitlines()[-1] == "错误：LEDGER 的值无效：noperm2/w 没有读取权限。"


@pytest.mark.parametrize(("args", "line"), [
    (["export", "w", "-o", "ro/x.xlsx"], "无法写入 ro/x.xlsx：没有权限"),
    (["bulletin", "w", "-q", "Q2", "-o", "ro/b.html"], "无法写入 ro/b.html：没有权限"),
    (["schema", "-o", "ro/s"], "无法写入 ro/s：没有权限"),
    (["export", "w", "-f", "parquet", "-o", "ro/p"], "无法写入 ro/p：没有权限"),
    (["--lang", "en", "export", "w", "-o", "ro/x.xlsx"], "cannot write ro/x.xlsx: Permission denied"),
])
def test_a_folder_that_cannot_be_written_is_told_one_way(
        denied: tuple[Path, list[str]], args: list[str], line: str) -> None:
    """A write refused in a read-only folder said `无法写入 …：Permission denied` (the
    OS's English) for every output but Parquet's (`…：没有权限`): now all alike, in
    Chinese words (`fsio.os_reason`), the system's text in English."""
    cwd, prefix = denied
    (cwd / "ro").mkdir()
    (cwd / "ro").chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, err = _luoshi(cwd, prefix, *args)
    finally:
        (cwd / "ro").chmod(stat.S_IRWXU)
    assert (code, err.splitlines()[-1]) == (2, f"luoshi: {line}")


@pytest.mark.parametrize(("args", "what"), [
    (["validate", ".", "-f", "github"], ".git"),  # the checkout, for the annotations' file=
    (["validate", ".", "-f", "sarif"], ".git"),
    (["supervise", ".", "--unit", "longbei"], "templates"),  # the ledger's own templates
    (["bulletin", ".", "-q", "Q2"], "templates"),
])
def test_a_ledger_below_a_folder_that_cannot_be_opened_is_one_line(
        denied: tuple[Path, list[str]], args: list[str], what: str) -> None:
    """A ledger given as `.` from inside it, below a folder without search permission,
    reads (relative paths work there); what then looked beside it by its absolute path
    with Python's own exists()/is_dir() — the git checkout above it for `-f github` /
    `-f sarif`, templates/ for `supervise` and `bulletin` — was an internal error.
    Now one line naming the path tried, exit 2."""
    cwd, prefix = denied
    code, err = _luoshi(cwd / "noperm" / "w", prefix, *args)
    assert (code, err) == (2, f"luoshi: 无法读取 {cwd / 'noperm' / 'w' / what}：没有权限\n")


@pytest.mark.parametrize(("args", "line"), [
    (["export", "w", "-f", "parquet", "-o", "ro"], "无法写入 ro：没有权限"),
    (["--lang", "en", "export", "w", "-f", "parquet", "-o", "ro"],
     "cannot write ro: Permission denied"),
    (["export", "w", "--per-unit", "-o", "ro"], "无法写入 ro：没有权限"),
    (["init", "ro"], "无法写入 ro：没有权限"),
    (["--lang", "en", "init", "ro"], "cannot write ro: Permission denied"),
])
def test_an_output_folder_that_can_be_listed_but_not_opened_is_one_line(
        denied: tuple[Path, list[str]], args: list[str], line: str) -> None:
    """An output folder with read but no search permission (`chmod 600 ro`: its names
    can be listed, nothing in it looked at): `export -f parquet -o ro` (looking for a
    ledger that would read the export) and `init ro` (looking for a file it would
    overwrite) were an internal error; `export --per-unit -o ro` said the folder
    already held 13 units' differing workbooks — it holds none.  Now one line, exit 2,
    naming the folder as given."""
    cwd, prefix = denied
    (cwd / "ro").mkdir()
    (cwd / "ro").chmod(stat.S_IRUSR | stat.S_IWUSR)
    try:
        code, err = _luoshi(cwd, prefix, *args)
    finally:
        (cwd / "ro").chmod(stat.S_IRWXU)
    assert (code, err) == (2, f"luoshi: {line}\n")


def test_import_into_a_tasks_folder_that_cannot_be_opened_is_one_line(
        denied: tuple[Path, list[str]]) -> None:
    """`import tasks BOOK LEDGER` writes tasks/imported.yaml by default; when tasks/
    cannot be opened, asking whether that file is a link was an internal error."""
    cwd, prefix = denied
    (cwd / "w" / "tasks").chmod(stat.S_IRUSR | stat.S_IWUSR)
    try:
        code, err = _luoshi(cwd, prefix, "import", "tasks", "a.xlsx", "w")
    finally:
        (cwd / "w" / "tasks").chmod(stat.S_IRWXU)
    assert (code, err) == (2, "luoshi: 无法写入 w/tasks/imported.yaml：没有权限\n")
