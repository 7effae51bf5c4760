"""Shared plumbing for commands: language, dates, exit codes, the gate that keeps
ledgers with errors from being published, and atomic file writes."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
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


class UnsafeTarget(OSError):
    """A file luoshi was asked to write that it must not replace: a FIFO, device,
    socket or directory, or a symbolic link that leads out of the ledger."""

    def __init__(self, label: L) -> None:
        super().__init__(errno.EINVAL, label.en)
        self.label = label


def cannot_write(path: Path, exc: OSError) -> L:
    """The one-line message for a failed write."""
    if isinstance(exc, UnsafeTarget):
        return exc.label
    why = exc.strerror or str(exc)
    return L(f"无法写入 {path}：{why}", f"cannot write {path}: {why}")


_KINDS = ((stat.S_ISFIFO, L("命名管道（FIFO）", "a FIFO")),
          (stat.S_ISCHR, L("字符设备", "a character device")),
          (stat.S_ISBLK, L("块设备", "a block device")), (stat.S_ISSOCK, L("套接字", "a socket")))


def _target(path: Path, inside: Path | None, follow: bool) -> Path:
    """The name to rename the written file onto when writing `path`.

    `follow` (an `-o FILE` the user typed): a symbolic link is written through — its
    final target is replaced and the link stays a link.  Otherwise (a file luoshi
    names on its own) a link in the last place is replaced, as any file would be:
    nothing is ever written at the other end of it.  `inside` (the ledger, or the
    directory luoshi fills): a directory above the name, or a followed link, that
    leads out of it is refused.  Whatever the name holds must be a regular file, a
    link being replaced, or nothing yet: the rename that makes the write atomic would
    replace a FIFO, a device such as /dev/null or a socket with a regular file (as
    root that breaks the system), and cannot replace a directory."""
    through = follow and os.path.islink(path)
    real = Path(os.path.realpath(path if through else path.parent))
    where = real if through else real / path.name
    if inside is not None and not where.is_relative_to(os.path.realpath(inside)):
        raise UnsafeTarget(L(f"{path} 经符号链接指向 {inside} 之外（{where}）：luoshi 不会写入",
                             f"{path} leads out of {inside} through a symbolic link "
                             f"(to {where}): luoshi does not write there"))
    target = real if through else path
    try:
        mode = os.stat(target).st_mode if through else os.lstat(target).st_mode
    except OSError:
        return target  # not there yet (or unreadable: mkstemp and rename will say so)
    if stat.S_ISDIR(mode):
        raise UnsafeTarget(L(f"{path} 是目录：请给出文件名", f"{path} is a directory: give a "
                             "file name"))
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        kind = next((k for test, k in _KINDS if test(mode)), L("特殊文件", "a special file"))
        raise UnsafeTarget(L(
            f"{path} 是{kind.zh}，不是普通文件：luoshi 以“临时文件 + 重命名”方式写文件，"
            f"会替换掉它；要写到那里，请去掉 -o 并重定向标准输出（> {path}）",
            f"{path} is {kind.en}, not a regular file: luoshi writes files atomically "
            f"(a temporary file renamed over it), which would replace it; to send the "
            f"output there, leave out -o and redirect stdout (> {path})"))
    return target


def check_target(path: Path, *, inside: Path | None = None, follow: bool = False) -> None:
    """Refuse early (`UnsafeTarget`) what `write_atomic` would refuse, before the
    work whose result it is meant to hold."""
    _target(Path(path), inside, follow)


def write_atomic(path: Path, data: str | bytes, *, inside: Path | None = None,
                 follow: bool = False) -> None:
    """Temp file in the same directory, then rename: an interrupted run leaves the
    old file (or none) — never half a file.  `follow`: `path` is what the user typed
    (`-o`), and a symbolic link there is written through (its target replaced, the
    link kept); `inside`: the directory a file must stay in (see `_target`).  Raises
    `UnsafeTarget` for what must not be replaced, OSError when the write fails."""
    path = Path(path)
    target = _target(path, inside, follow)  # before mkdir: no directory made through a link
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, mode)  # mkstemp makes 0600; the result must look like any other file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
