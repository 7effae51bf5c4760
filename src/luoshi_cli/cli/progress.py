"""The progress bar shown while a large ledger is parsed (the display is the CLI's;
`fast` only reports files and bytes through `fast.use_progress`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from ..fast import Progress


def terminal_progress() -> Progress | None:
    """A rich bar on stderr when stderr is a terminal outside CI, else None: piped
    output and logs stay clean."""
    try:
        show = sys.stderr.isatty() and not os.environ.get("CI")
    except (AttributeError, ValueError):  # replaced or closed stderr
        show = False
    return rich_bar if show else None


def rich_bar(files: int, size: int) -> Callable[[int], None]:
    """A rich bar on stderr; `advance(-1)` removes it."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn(f"解析 parsing {files} files"), BarColumn(), DownloadColumn(),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("parse", total=size)
    bar.start()

    def advance(n: int) -> None:
        if n < 0:
            bar.stop()
        else:
            bar.advance(task, n)

    return advance
