"""The commands' side of kept documents (`fast.results`): what a request is made of,
and writing a kept one out exactly as the command writes a fresh one."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .ui import use_color

if TYPE_CHECKING:
    from ..fast.results import ResultMemo

#: the environment a command's output depends on (language, colour, table width)
_ENV = ("LUOSHI_LANG", "COLUMNS", "NO_COLOR", "FORCE_COLOR", "TERM")


def lookup(ledger: Path | None, command: str, options: Mapping[str, object], *,
           trees: Sequence[Path] = (), templates: bool = False,
           terminal_matters: bool = True) -> ResultMemo | None:
    """The kept-document slot for this run of `command`, or None (no cache, a ledger
    that is not found — the command says so itself —, or output to a terminal when
    the output depends on it: `terminal_matters`).

    The request is `options` as given on the command line, plus today (the gate
    judges dates by the later of --as-of and today), the ledger root, whether
    stdout and stderr take colour, and the environment variables output depends on.
    With `templates`, the ledger's templates/ is an input too (besides `trees`)."""
    if terminal_matters and sys.stdout.isatty():  # its width and colours: made fresh
        return None
    from ..core.errors import LedgerError
    from ..fast.results import result_memo
    from ..load.assemble import find_root

    try:
        root = find_root(ledger)
    except LedgerError:
        return None
    request: dict[str, object] = {f"option {k}": v for k, v in options.items()}
    request.update({f"env {k}": os.environ.get(k) for k in _ENV})
    request.update({"today": date.today().isoformat(), "root": os.fspath(root.resolve()),
                    "color stdout": use_color(sys.stdout),
                    "color stderr": use_color(sys.stderr)})
    if templates:
        trees = [*trees, root / "templates"]
    return result_memo(root, command, request, trees=trees)


def text_bytes(text: str) -> bytes | None:
    """A document written in text mode, as bytes to keep (None: not kept)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None
