"""Shared plumbing for commands: language, dates, exit codes, the gate that keeps
ledgers with errors from being published, and atomic file writes."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import NoReturn

from .codes import L
from .safetext import printable

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A one-line error for the user; the CLI prints it and exits 2."""

    def __init__(self, message: L | str, code: int = EXIT_USAGE) -> None:
        super().__init__(str(message))
        self.label = message if isinstance(message, L) else L(message, message)
        self.code = code


def env_lang(explicit: str | None = None) -> str:
    """--lang, then LUOSHI_LANG (Windows rarely sets LANG), then zh."""
    lang = explicit or os.environ.get("LUOSHI_LANG") or "zh"
    return "en" if lang.lower().startswith("en") else "zh"


def say(label: L, lang: str) -> str:
    return label.en if lang == "en" else label.zh


def fail(message: L | str, lang: str, code: int = EXIT_USAGE) -> NoReturn:
    label = message if isinstance(message, L) else L(message, message)
    # a message may quote a ledger's or a workbook's text: no control character,
    # line break or bidi override of theirs reaches the terminal
    sys.stderr.write(f"luoshi: {printable(say(label, lang))}\n")
    raise SystemExit(code)


def parse_date(text: str | None, what: str = "--as-of") -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(L(f"{what} 的值 {text} 不是 YYYY-MM-DD 日期",
                             f"{what} {text} is not a YYYY-MM-DD date")) from None


def _mode_for(path: Path) -> int:
    """The existing file's permissions, or what the umask gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, data: str | bytes) -> None:
    """Temp file in the same directory, then rename: an interrupted run leaves the
    old file (or none) — never half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)  # mkstemp makes 0600; the result must look like any other file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
