"""Optional accelerators: the content cache, parallel workers, task files one at a time.

Each sits behind a declared capability (`load.assemble.Accelerator`, a source's
`accelerator`) and never changes a result.  What is shown while they work is not
theirs to decide: the CLI installs a progress display (`use_progress`) on a terminal;
a library caller gets none.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], Callable[[int], None]]
"""progress(files, total_bytes) -> advance(bytes), advance(-1) at the end: shown while
files are parsed."""

_display: list[Progress | None] = [None]


def use_progress(progress: Progress | None) -> None:
    """Show `progress` while files are parsed (the CLI's choice: a terminal, not CI)."""
    _display[0] = progress


def progress_display() -> Progress | None:
    """The progress display installed by the caller, if any."""
    return _display[0]
