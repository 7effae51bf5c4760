"""Shared fixtures: the example ledgers, a CLI runner, and a ledger builder."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

# luoshi's excel package makes openpyxl parse with expat, not lxml (python-docx brings
# lxml; see luoshi_cli/excel/__init__.py).  Tests import openpyxl themselves to build
# workbooks, before luoshi does: the same setting here, so in-process runs match a user's.
os.environ.setdefault("OPENPYXL_LXML", "False")

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "weinan-2021"
BEILIN = REPO / "ledgers" / "beilin-2024"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True, scope="session")
def _private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The parse cache signs entries with a key under $XDG_CACHE_HOME: tests must not
    write into the real home directory."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))


def _caches_in_the_repository() -> list[Path]:
    return sorted(p for top in ("examples", "ledgers", "tests")
                  for p in (REPO / top).rglob(".luoshi-cache"))


@pytest.fixture(autouse=True, scope="session")
def _no_cache_left_in_the_repository() -> Iterator[None]:
    """Tests work on copies: a `.luoshi-cache/` left in the repository's own ledgers
    means some test wrote one (a leaked setting once made every later run keep its
    documents there), and a later test that copies the ledger then starts warm."""
    before = _caches_in_the_repository()
    yield
    after = [p for p in _caches_in_the_repository() if p not in before]
    assert not after, f"tests left caches in the repository: {after}"


@pytest.fixture
def cli() -> Callable[..., Run]:
    """Run `luoshi ARGS...` in-process; stdout and stderr are kept apart."""
    from luoshi_cli.cli.app import app

    def run(*args: str, env: dict[str, str] | None = None) -> Run:
        runner = CliRunner(env=env)
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the 渭南 2021 example ledger, safe to modify."""
    dst = tmp_path / "weinan-2021"
    shutil.copytree(EXAMPLE, dst)
    return dst


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write({"luoshi.yaml": "...", "tasks/a.yaml": "..."}) -> ledger root."""

    def _write(files: dict[str, str | bytes], root: Path | None = None) -> Path:
        base = root or (tmp_path / "ledger")
        for rel, content in files.items():
            p = base / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")
        return base

    return _write


# --- real git repositories (tests of --rev, --base and diff) -----------------------------

def git(cwd: Path, *args: str) -> str:
    """Run git with a fixed identity and no signing: the developer's setup takes no part."""
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false",
         *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def commit(root: Path, msg: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", msg)


@pytest.fixture
def kaohe_repo(tmp_path: Path) -> Path:
    """The 碑林 考核 ledger (ledgers/beilin-2024-kaohe) committed as v1 in a git
    repository of its own (the tests of `diff`'s scores and scheme)."""
    root = tmp_path / "k"
    shutil.copytree(REPO / "ledgers" / "beilin-2024-kaohe", root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(autouse=True)
def _quiet_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the developer's git config nor their hooks take part (every test: luoshi
    runs git for --rev and --base)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def on_pty_bytes(args: list[str], columns: int, env: dict[str, str] | None = None) -> bytes:
    """`luoshi ARGS` with its stdout on a pseudo-terminal `columns` wide (TERM
    xterm-256color; COLUMNS, LINES, NO_COLOR, FORCE_COLOR and CI taken out of the
    environment, then `env` added): what it wrote, as bytes.  Fails unless it exits 0."""
    import fcntl
    import pty
    import struct
    import sys
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    full = {k: v for k, v in os.environ.items()
            if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "CI")}
    full.update(env or {}, TERM="xterm-256color")
    proc = subprocess.Popen([sys.executable, "-m", "luoshi_cli", *args], stdout=slave,
                            stderr=subprocess.PIPE, env=full)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    return b"".join(chunks)
