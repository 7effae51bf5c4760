"""Parsing on every core: forked workers take files from the front of the list while
the calling process takes them from the back (see `share_out`)."""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from .cache import dumps

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

P = TypeVar("P")


def can_fork() -> bool:
    """Workers are forked: they start in milliseconds with the files already in memory.
    Where fork is not the safe default (Windows, macOS) files are parsed in one process,
    and so they are while another Python thread runs here (a program calling
    `luoshi_cli.api` from a threaded server): a forked worker inherits every lock as it
    was, with only the forking thread, so a lock that thread held (the import lock, a
    library's) would stay held in the worker, which might wait for it forever, and this
    process for the worker.  Threads a C library keeps for itself (pyarrow starts one on
    import) run no Python code and hold no lock a worker takes: they do not count, or
    importing pyarrow would end work on every core; nor does the thread that imported
    yaml_rs when a thread made the first call (`load.yaml_fast.KEEPER`: it only waits)."""
    import multiprocessing
    import threading

    from ..load import yaml_fast

    idle = 1 if yaml_fast.KEEPER is not None else 0
    return (sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() - idle == 1)


def share_out(todo: list[int], sizes: list[int], workers: int,
              one: Callable[[int], tuple[P, bytes | None]],
              advance: Callable[[int], None] | None,
              meanwhile: Callable[[], None] | None = None) -> Iterator[tuple[int, P]]:
    """Parse `todo` with forked workers taking files from the front and this process
    from the back, until they meet: no file is handed over or waited for.  Workers send
    each result as they finish it; a thread here drains the pipes (a full pipe would
    stall them) and this process unpickles between its own files.  A worker that fails
    leaves its files to this process.  `meanwhile` runs here first, once the workers
    have started: other work of this process (the files meet later, wherever)."""
    import multiprocessing
    import threading
    from collections import deque

    ctx = multiprocessing.get_context("fork")
    lock = ctx.Lock()
    front, back = ctx.RawValue("i", 0), ctx.RawValue("i", len(todo) - 1)
    inbox: deque[bytes] = deque()
    procs, pipes, drains = [], [], []
    parent = os.getpid()
    on_term = terminate_on_sigterm()
    try:
        for _ in range(workers):
            receive, send = ctx.Pipe(duplex=False)
            widen(send.fileno())
            proc = ctx.Process(target=_worker, args=(send, lock, front, back, one, parent),
                               daemon=True)
            proc.start()
            send.close()
            procs.append(proc)
            pipes.append(receive)
        for receive in pipes:  # threads only after every fork
            drain = threading.Thread(target=_drain, args=(receive, inbox), daemon=True)
            drain.start()
            drains.append(drain)
        if meanwhile is not None:
            meanwhile()
        seen: set[int] = set()
        shown = 0

        def received() -> Iterator[tuple[int, P]]:
            while inbox:
                blob = inbox.popleft()
                k = int.from_bytes(blob[:4], "little")
                seen.add(k)
                yield todo[k], pickle.loads(memoryview(blob)[4:])

        while True:
            with lock:
                k = back.value
                if k < front.value:
                    break
                back.value = k - 1
            seen.add(k)
            yield todo[k], one(k)[0]
            yield from received()
            if advance:
                taken = sum(sizes[:front.value]) + sum(sizes[back.value + 1:])
                advance(taken - shown)
                shown = taken
        for drain in drains:
            drain.join()
        yield from received()
        for k in range(len(todo)):  # what a failed worker left
            if k not in seen:
                yield todo[k], one(k)[0]
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
        if on_term is not None:
            signal.signal(signal.SIGTERM, on_term)


#: the pipe size asked for (Linux's default limit for a user, /proc/sys/fs/pipe-max-size)
PIPE_BYTES = 1024 * 1024


def widen(fd: int) -> int:
    """Make the pipe at `fd` hold `PIPE_BYTES` instead of Linux's 64 KB; its size after.

    A worker's results (a status row per task: 35 MB from one worker on 100,000 tasks)
    cross a pipe whose reader is a thread of this process; each read returns at most
    the pipe's size and the thread then waits for the interpreter lock, which this
    process's own parsing holds for up to the switch interval (5 ms).  With 64 KB a
    worker stalled on a full pipe about a third of its time; 1 MB makes sixteen times
    fewer hand-offs (`score --quarter Q1`, 100,000 tasks: 9.16 s → 8.59 s, median of
    five runs each, interleaved).  A system that refuses (a user over
    pipe-user-pages-soft) keeps the smaller pipe: slower, never wrong."""
    try:
        import fcntl
    except ImportError:  # Windows: never forks (`can_fork`), nothing to widen
        return 0
    try:
        return fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (OSError, AttributeError):  # refused, or no F_SETPIPE_SZ (not Linux)
        try:
            return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
        except (OSError, AttributeError):
            return 0


def terminate_on_sigterm() -> Any:
    """While workers run, SIGTERM (a CI job cancelled, `kill`, systemd) unwinds this
    process through `share_out`'s cleanup, which ends the workers, instead of killing
    it where it stands.  Only where SIGTERM would kill it anyway (SIG_DFL, the
    command line's case): a program calling the library that handles SIGTERM itself
    or ignores it keeps its handling, and the workers are ended by `share_out`'s
    cleanup when its handler raises, or die with this process (PR_SET_PDEATHSIG).
    Returns the handler to restore (None: nothing was set — another handler, or not
    the main thread, where Python cannot set one).  Also `rollup`'s, while its
    temporary exports exist (`cli.rollup_cmd`)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return None
    return signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _die_with(parent: int) -> None:
    """In a worker just forked: die when `parent` does.  Workers share the parent's
    stdout; one left behind by a killed run keeps parsing the rest of the ledger and
    holds the pipe open, so whatever reads luoshi's output (a CI step, `| head`) waits
    for it.  Linux sends SIGKILL on the parent's death once asked (PR_SET_PDEATHSIG);
    a parent that died before the request was made shows as a changed parent pid."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # `terminate()` ends a worker at once
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the pid check below still holds
        pass
    if os.getppid() != parent:
        os._exit(0)


def _drain(receive: Any, inbox: Any) -> None:
    try:
        while True:
            blob = receive.recv_bytes()
            if not blob:
                return
            inbox.append(blob)
    except (EOFError, OSError):  # the worker died; its files are parsed again
        return


def _worker(send: Any, lock: Any, front: Any, back: Any,
            one: Callable[[int], tuple[Any, bytes | None]], parent: int) -> None:
    """In a forked worker: take files from the front, send each result."""
    try:
        _die_with(parent)
        while True:
            with lock:
                k = front.value
                if k > back.value or os.getppid() != parent:
                    break
                front.value = k + 1
            payload, body = one(k)
            send.send_bytes(k.to_bytes(4, "little") + (body or dumps(payload)))
        send.send_bytes(b"")
    except BaseException:
        pass  # the parent parses what is missing, and meets the same error itself
    finally:
        os._exit(0)  # no atexit handlers, no flushing of buffers inherited from the parent
