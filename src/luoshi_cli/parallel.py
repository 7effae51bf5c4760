"""Parsing on every core: forked workers take files from the front of the list while
the calling process takes them from the back (see `share_out`)."""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Iterator
from typing import Any

from .cache import Payload, dumps

Work = Callable[[int], tuple[Payload, "bytes | None"]]


def can_fork() -> bool:
    """Workers are forked: they start in milliseconds with the files already in memory.
    Where fork is not the safe default (Windows, macOS) files are parsed in one process."""
    import multiprocessing

    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def share_out(todo: list[int], sizes: list[int], workers: int, one: Work,
               advance: Callable[[int], None] | None) -> Iterator[tuple[int, Payload]]:
    """Parse `todo` with forked workers taking files from the front and this process
    from the back, until they meet: no file is handed over or waited for.  Workers send
    each result as they finish it; a thread here drains the pipes (a full pipe would
    stall them) and this process unpickles between its own files.  A worker that fails
    leaves its files to this process."""
    import multiprocessing
    import threading
    from collections import deque

    ctx = multiprocessing.get_context("fork")
    lock = ctx.Lock()
    front, back = ctx.RawValue("i", 0), ctx.RawValue("i", len(todo) - 1)
    inbox: deque[bytes] = deque()
    procs, pipes, drains = [], [], []
    try:
        for _ in range(workers):
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker, args=(send, lock, front, back, one), daemon=True)
            proc.start()
            send.close()
            procs.append(proc)
            pipes.append(receive)
        for receive in pipes:  # threads only after every fork
            drain = threading.Thread(target=_drain, args=(receive, inbox), daemon=True)
            drain.start()
            drains.append(drain)
        seen: set[int] = set()
        shown = 0

        def received() -> Iterator[tuple[int, Payload]]:
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


def _drain(receive: Any, inbox: Any) -> None:
    try:
        while True:
            blob = receive.recv_bytes()
            if not blob:
                return
            inbox.append(blob)
    except (EOFError, OSError):  # the worker died; its files are parsed again
        return


def _worker(send: Any, lock: Any, front: Any, back: Any, one: Work) -> None:
    """In a forked worker: take files from the front, send each result."""
    try:
        while True:
            with lock:
                k = front.value
                if k > back.value:
                    break
                front.value = k + 1
            payload, body = one(k)
            send.send_bytes(k.to_bytes(4, "little") + (body or dumps(payload)))
        send.send_bytes(b"")
    except BaseException:
        pass  # the parent parses what is missing, and meets the same error itself
    finally:
        os._exit(0)  # no atexit handlers, no flushing of buffers inherited from the parent
