"""A killed run leaves no worker behind.  Parallel parsing forks workers that share
luoshi's stdout; one that outlives its parent keeps parsing the rest of the ledger and
holds the pipe open, so whatever reads luoshi's output waits for it.  Real processes,
a real pipe, a ledger big enough to fork (see `fastsource.PARALLEL_MIN_BYTES`)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="fork workers and /proc: Linux")


def big_ledger(root: Path, files: int = 600, per_file: int = 60) -> Path:
    """~30 MB of task files: a worker left alone with them parses for seconds."""
    (root / "tasks").mkdir(parents=True)
    for name in ("luoshi.yaml", "units.yaml"):
        (root / name).write_bytes((EXAMPLE / name).read_bytes())
    text = (EXAMPLE / "tasks/city.yaml").read_text(encoding="utf-8")
    task = text.split("\n", 1)[1].split("\n\n")[0]
    n = 0
    for f in range(files):
        chunk = []
        for _ in range(per_file):
            n += 1
            chunk.append(task.replace("id: WN-009", f"id: WN-{n:06d}"))
        (root / "tasks" / f"t{f:04d}.yaml").write_text("\n\n".join(chunk) + "\n",
                                                      encoding="utf-8")
    return root


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces and parentheses
        fields = stat[stat.rindex(b")") + 2:].split()
        if int(fields[1]) == pid:
            out.append(int(entry))
    return out


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for whoever adopted it)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2:].split()[0] != b"Z"


def pipe_holders(ino: int) -> list[int]:
    """Processes other than this one with an fd on pipe `ino`."""
    want, out = f"pipe:[{ino}]", []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            fds = os.listdir(f"/proc/{entry}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{entry}/fd/{fd}") == want:
                    out.append(int(entry))
                    break
            except OSError:
                continue
    return out


def eof_within(fd: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if ready and not os.read(fd, 65536):
            return True
    return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_run_leaves_no_worker(tmp_path: Path, sig: signal.Signals) -> None:
    root = big_ledger(tmp_path / "big")
    env = {**os.environ, "LUOSHI_NO_CACHE": "1", "LUOSHI_JOBS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "luoshi_cli", "validate", str(root),
                             "--as-of", "2021-06-30"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not workers and proc.poll() is None and time.monotonic() < deadline:
            workers = children(proc.pid)
            time.sleep(0.005)
        assert workers, "no worker was forked"
        os.kill(proc.pid, sig)
        code = proc.wait(timeout=10)
        assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM)
        ino = os.fstat(proc.stdout.fileno()).st_ino
        assert eof_within(proc.stdout.fileno(), 3), f"pipe held by {pipe_holders(ino)}"
        assert pipe_holders(ino) == []
        deadline = time.monotonic() + 3
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [w for w in workers if alive(w)] == []
    finally:
        for w in workers:  # on the starting code: do not leave them running
            if alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
