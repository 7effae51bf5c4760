"""One computation on the other core while this process goes on: a bulletin judges
every task twice — at its as-of date and at the previous period's end (the
comparison 较上月) — and the second needs nothing from the first.

`in_background(fn)` forks (where `parallel.can_fork` says fork is safe), the child
computes `fn()` and sends its pickled result through a pipe, and the returned
`join()` gives that result — or, if the child failed in any way (killed, out of
memory, an exception, a result that does not unpickle), `fn()` computed here: the
answer is always `fn()`'s, only where it is computed differs.  The child inherits
the data already in memory (copy-on-write), so nothing is sent to it."""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def in_background(fn: Callable[[], T], *, fork: bool = True) -> Callable[[], T]:
    """Start `fn()` in a forked child; `join()` returns its result (computed here
    instead when forking is off, unsafe or fails).  `fn` must be pure: it may run
    twice."""
    from .parallel import can_fork

    if not fork or not can_fork():  # can_fork: not beside another thread, either
        return fn
    try:
        read, write = os.pipe()
    except OSError:
        return fn
    sys.stdout.flush()  # nothing buffered is written twice (the child never flushes)
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return fn
    if pid == 0:  # the child: compute, send, leave without running any exit code
        code = 1
        try:
            os.close(read)
            _die_with_parent()
            data = pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)

    def join() -> T:
        try:
            with os.fdopen(read, "rb") as inp:
                data = inp.read()
        except OSError:
            data = b""
        try:
            _, status = os.waitpid(pid, 0)
            done = os.waitstatus_to_exitcode(status) == 0
        except ChildProcessError:
            # a host that set SIGCHLD to SIG_IGN: the kernel reaped the child, whose
            # exit code is gone; a result that unpickles is whole (a cut pickle lacks
            # its STOP opcode and does not load), anything else is computed here
            done = True
        except OSError:
            done = False
        if done and data:
            try:
                result: T = pickle.loads(data)  # from our own child, never from a file
                return result
            except Exception:  # a result that does not unpickle: computed here instead
                pass
        return fn()

    return join


def _die_with_parent() -> None:
    """The child ends when this process does (Ctrl-C, kill): never an orphan — even
    when the host program handles or ignores SIGTERM (the child inherits that)."""
    import contextlib
    import signal

    with contextlib.suppress(ValueError):  # the fork's only thread is its main one
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.prctl(1, 15)  # PR_SET_PDEATHSIG, SIGTERM
    except (OSError, AttributeError):
        pass
