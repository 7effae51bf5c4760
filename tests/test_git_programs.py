"""A lazy fetch in a partial clone starts no program the repository's own config
names (audit of the git-facing code, item 2).

`--filter=blob:none` leaves blobs out; reading one makes git fetch it from the
promisor remote, and that fetch ran `core.sshCommand` (an ssh remote),
`core.gitProxy` (git://), or on a 401 the credential helper and `core.askPass`
(http) — whatever the repository's `.git/config` names.  The user's own config
(global) still applies, and a fetch from a server that never answers gives up."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run, commit, git
from luoshi_cli.load import gitsrc

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


@pytest.fixture
def partial(tmp_path: Path) -> Path:
    """A partial clone (no blobs) of a repository holding the example ledger at led/."""
    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src / "led", ignore=shutil.ignore_patterns(".luoshi-cache"))
    git(src, "init", "-q", "-b", "main")
    commit(src, "a ledger")
    git(src, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "-c", "protocol.file.allow=always", "clone", "-q", "--filter=blob:none",
        "--no-checkout", f"file://{src}", str(clone))
    return clone


def _logger(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A program that notes it ran (in `name`.log) and fails, and that log."""
    log = tmp_path / f"{name}.log"
    prog = tmp_path / f"{name}.sh"
    prog.write_text(f'#!/bin/sh\necho "$0 $*" >> {log}\necho username=u\necho password=p\n'
                    "exit 1\n", encoding="utf-8")
    prog.chmod(0o755)
    return prog, log


@pytest.fixture
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's config: an empty file (the developer's own takes no part)."""
    user = tmp_path / "user.gitconfig"
    user.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(user))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS",
                "GIT_PROXY_COMMAND"):
        monkeypatch.delenv(var, raising=False)
    return user


def _one_line_error(r: Run) -> None:
    assert (r.exit_code, r.stdout) == (2, ""), r.stderr
    assert r.stderr.count("\n") == 1, r.stderr


def test_an_ssh_remote_runs_ssh_not_the_repositorys_ssh_command(
        cli: Callable[..., Run], partial: Path, tmp_path: Path, no_user_config: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    evil, evil_log = _logger(tmp_path, "evil")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    ssh, ssh_log = _logger(tmp_path, "ssh")
    shutil.move(ssh, bindir / "ssh")
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    git(partial, "config", "remote.origin.url", "ssh://git.example.invalid/l.git")
    git(partial, "config", "core.sshCommand", str(evil))
    _one_line_error(cli("validate", partial / "led", "--rev", "HEAD", "--lang", "en"))
    assert not evil_log.exists()
    assert "git.example.invalid" in ssh_log.read_text(encoding="utf-8")  # plain ssh ran
    # the user's own core.sshCommand is the one run
    mine, my_log = _logger(tmp_path, "mine")
    git(tmp_path, "config", "--file", str(no_user_config), "core.sshCommand", str(mine))
    gitsrc._guard.cache_clear()  # read once per process: a config does not change under it
    _one_line_error(cli("validate", partial / "led", "--rev", "HEAD", "--lang", "en"))
    assert not evil_log.exists() and my_log.exists()


def test_a_git_remote_runs_no_git_proxy_of_the_repository(
        cli: Callable[..., Run], partial: Path, tmp_path: Path, no_user_config: Path) -> None:
    evil, evil_log = _logger(tmp_path, "evil")
    git(partial, "config", "remote.origin.url", "git://127.0.0.1:9/l.git")
    git(partial, "config", "core.gitProxy", str(evil))
    _one_line_error(cli("validate", partial / "led", "--rev", "HEAD", "--lang", "en"))
    assert not evil_log.exists()


@pytest.fixture
def server() -> Iterator[int]:
    """An http server answering 401 (asking for a password) to every request."""

    class Refuse(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="x"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse) as srv:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        yield srv.server_address[1]
        srv.shutdown()


def test_an_http_401_asks_no_credential_helper_of_the_repository(
        cli: Callable[..., Run], partial: Path, tmp_path: Path, no_user_config: Path,
        server: int) -> None:
    evil, evil_log = _logger(tmp_path, "evil")
    git(partial, "config", "remote.origin.url", f"http://127.0.0.1:{server}/l.git")
    git(partial, "config", "credential.helper", f"!{evil} helper")
    git(partial, "config", f"credential.http://127.0.0.1:{server}.helper", f"!{evil} url")
    git(partial, "config", "core.askPass", str(evil))
    _one_line_error(cli("validate", partial / "led", "--rev", "HEAD", "--lang", "en"))
    assert not evil_log.exists()
    # the user's own credential helper is still asked
    mine, my_log = _logger(tmp_path, "mine")
    git(tmp_path, "config", "--file", str(no_user_config), "credential.helper", f"!{mine}")
    gitsrc._guard.cache_clear()
    _one_line_error(cli("validate", partial / "led", "--rev", "HEAD", "--lang", "en"))
    assert not evil_log.exists()
    assert "get" in my_log.read_text(encoding="utf-8")


def test_a_server_that_never_answers_is_given_up(partial: Path, tmp_path: Path) -> None:
    """A promisor remote that accepts the connection and never answers: git waited
    for ever.  luoshi gives http(s) transfers a low-speed limit (60 s below 1 byte/s;
    3 s here), then one line, exit 2."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        git(partial, "config", "remote.origin.url",
            f"http://127.0.0.1:{sock.getsockname()[1]}/l.git")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_HTTP_LOW_SPEED")}
        code = ("import sys; import luoshi_cli.load.gitsrc as g; g._HTTP_STALL_SECONDS = 3; "
                "from luoshi_cli.__main__ import main; main()")
        began = time.monotonic()
        try:
            run = subprocess.run([sys.executable, "-c", code, "validate", str(partial / "led"),
                                  "--rev", "HEAD", "--lang", "en"], env=env,
                                 capture_output=True, text=True, timeout=40)
        except subprocess.TimeoutExpired:
            pytest.fail("luoshi waited for a server that never answers")
        assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
        assert time.monotonic() - began < 30
