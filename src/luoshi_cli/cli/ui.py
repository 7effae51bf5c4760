"""Shared plumbing for commands: language, dates, exit codes, the gate that keeps
ledgers with errors from being published, and atomic file writes (`write_atomic`,
`check_target` and `UnsafeTarget` live in `luoshi_cli.fsio`, re-exported here for the
commands)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NoReturn

from ..core.codes import L
from ..core.errors import EXIT_FINDINGS as EXIT_FINDINGS
from ..core.errors import EXIT_OK as EXIT_OK
from ..core.errors import EXIT_USAGE as EXIT_USAGE
from ..core.errors import CommandError as CommandError
from ..core.errors import UsageError
from ..core.labels import say as say
from ..fsio import SetNotWritten
from ..fsio import UnsafeTarget as UnsafeTarget
from ..fsio import check_target as check_target
from ..fsio import write_atomic as write_atomic

LANGS = ("zh", "en")
_warned: set[str] = set()


def lang_value(text: str) -> str | None:
    """`zh` or `en`, in any case and with spaces around; anything else is None."""
    value = text.strip().lower()
    return value if value in LANGS else None


def bad_lang(text: str) -> str:
    """The one-line refusal of a --lang value (both languages: which one was meant
    is what is unknown)."""
    return (f"luoshi: --lang {text} 无效：请写 zh（中文）或 en（英文） / "
            f"--lang {text} is not valid: write zh (Chinese) or en (English)\n")


def env_lang(explicit: str | None = None) -> str:
    """--lang (checked by the option itself: `commands.common.lang_option`), then
    LUOSHI_LANG (Windows rarely sets LANG), then zh.

    LUOSHI_LANG is often copied from a locale (`en_US.UTF-8`): its language part
    counts.  Any other value is warned about once on stderr and Chinese is used: an
    environment variable set long ago should not stop every command."""
    if explicit:
        return lang_value(explicit) or "zh"
    env = os.environ.get("LUOSHI_LANG", "")
    if not env.strip():
        return "zh"
    value = lang_value(env.replace("-", "_").split("_")[0].split(".")[0])
    if value is not None:
        return value
    if env not in _warned:
        _warned.add(env)
        sys.stderr.write(f"luoshi: LUOSHI_LANG={env} 无效（应为 zh 或 en），按 zh 处理 / "
                         f"LUOSHI_LANG={env} is not zh or en; using zh\n")
    return "zh"




#: `--color` as given on the command line (`luoshi --color never status`); None is auto
COLOR_CHOICE: list[str] = []
#: `--lang` given before the command (`luoshi --lang en status`, `luoshi import --lang en
#: updates …`): what every command's own `--lang` is when it is not given itself
LANG_CHOICE: list[str] = []


def use_color(stream: object) -> bool:
    """Whether to write ANSI colours to `stream`.

    `--color always|never` decides; otherwise (auto) a non-empty NO_COLOR turns colour
    off (no-color.org: the user's standing wish wins over a tool's guess), a non-empty
    FORCE_COLOR other than `0`/`false` turns it on even into a pipe (CI logs render
    ANSI), and else a terminal that is not TERM=dumb gets colour."""
    choice = COLOR_CHOICE[-1] if COLOR_CHOICE else "auto"
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR", ""):
        return False
    force = os.environ.get("FORCE_COLOR", "")
    if force and force.strip().lower() not in ("0", "false"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False


def pipe_width(default: int) -> int:
    """The table width when stdout is not a terminal: COLUMNS when it is set to a
    sensible number (a CI log, `COLUMNS=80 luoshi status | less`), else `default`
    (a fixed width keeps piped output byte-stable)."""
    text = os.environ.get("COLUMNS", "").strip()
    if text.isdigit() and 20 <= int(text) <= 1000:
        return int(text)
    return default


def fail(message: L | str, lang: str, code: int = EXIT_USAGE) -> NoReturn:
    """Stop the command: `cli.errors` prints the message in `lang` and exits `code`."""
    raise UsageError(message, code, lang=lang)


def parse_date(text: str | None, what: str = "--as-of") -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):  # the form, not a day: 06-31
            raise CommandError(L(f"{what} 的值 {text} 不是存在的日期（该月没有这一天）",
                                 f"{what} {text}: there is no such day")) from None
        raise CommandError(L(f"{what} 的值 {text} 不是 YYYY-MM-DD 日期",
                             f"{what} {text} is not a YYYY-MM-DD date")) from None


def set_not_written(exc: SetNotWritten, nothing: L) -> L:
    """The one-line message for a set of files that could not be written
    (`fsio.write_atomic_set`): the file that failed, and either `nothing` (no file of
    the set was written) or the files already in place that could not be put back."""
    why = exc.strerror or str(exc)
    if exc.left:
        return L(f"无法写入 {exc.path}：{why}；以下文件已写入且未能还原：{'、'.join(map(str, exc.left))}",
                 f"cannot write {exc.path}: {why}; these files were written and could not "
                 f"be put back: {', '.join(map(str, exc.left))}")
    return L(f"无法写入 {exc.path}：{why}；{nothing.zh}", f"cannot write {exc.path}: {why}; "
             f"{nothing.en}")


def to_stdout(render: Callable[[], None]) -> None:
    """Run `render`, which writes the command's findings to stdout, and flush them.
    A reader that goes away (`luoshi validate | head -20`) ends the output, not the
    command: the exit code decided afterwards stands — a gate whose log is trimmed
    still fails on a ledger with errors (it was exit 0: click's broken-pipe exit was
    taken for a reader that had what it wanted)."""
    try:
        render()
        sys.stdout.flush()
    except BrokenPipeError:
        try:  # the rest goes nowhere; Python's own flush at exit must not fail again
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass


def check_output(output: Path, ledger: Path | None, lang: str) -> None:
    """Refuse, before any work, an `-o FILE` that `write_atomic` would refuse or that
    lies on the ledger's own data (`fsio.not_ledger_data`); exit 2."""
    from ..core.errors import LedgerError
    from ..fsio import not_ledger_data
    from ..load.assemble import find_root

    try:
        check_target(output, follow=True)
        try:
            root = find_root(ledger)
        except LedgerError:  # the command itself says so, in its own words
            return
        not_ledger_data(output, root)
    except UnsafeTarget as exc:
        fail(exc.label, lang)


def cannot_write(path: Path, exc: OSError) -> L:
    """The one-line message for a failed write."""
    if isinstance(exc, UnsafeTarget):
        return exc.label
    why = exc.strerror or str(exc)
    return L(f"无法写入 {path}：{why}", f"cannot write {path}: {why}")
