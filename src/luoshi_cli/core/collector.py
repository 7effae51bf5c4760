"""Python's cyclic garbage collector, paused while luoshi builds many small objects.

Scoring, a bulletin's context, the positions of findings and the node trees of an
in-place edit make hundreds of thousands of short-lived dicts, tuples and nodes
without cycles.  Each full collection walks all of them again, so the time grows
faster than the input: laying 10,000 units' scores over a record took 4.1 s with the
collector on and 1.2 s without, and collections were a third of a bulletin's time at
20,000 tasks.  Reference counting frees them all the same; a cycle
made meanwhile (a YAML alias that holds itself) is collected once it runs again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block (as it was after it)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
