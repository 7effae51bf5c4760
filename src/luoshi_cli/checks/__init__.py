"""Checks over an assembled ledger: a registry of small functions.

Adding a rule is adding a function decorated with `@check`, a test, and (for a
new code) a line in `codes.py`.  Every check has the same signature: it receives
the `Context` and yields findings; it never raises for bad data.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..codes import L
from ..finding import Finding
from ..model import Ledger


@dataclass(frozen=True)
class Context:
    ledger: Ledger
    as_of: date


Check = Callable[[Context], Iterable[Finding]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


def run_checks(ledger: Ledger, as_of: date) -> Iterator[Finding]:
    ctx = Context(ledger, as_of)
    for fn in CHECKS:
        yield from fn(ctx)


def num_text(x: Decimal) -> str:
    """A number as an office writes it in a message: 35, 28.5 (no 35.00, no 3.5E+1)."""
    return format(x.normalize(), "f") if x == x.to_integral() else str(x)


def near(name: str, known: Iterable[str]) -> L:
    """A "did you mean" hint for an unknown id."""
    hits = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return L(f"（是不是 {hits[0]}？）", f" (did you mean {hits[0]}?)") if hits else L("", "")


# importing the modules registers their checks, in this order
from . import records, refs, rhythm, scheme, tasks  # noqa: E402,F401
