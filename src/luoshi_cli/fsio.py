"""Files written whole or not at all: the atomic write every output of luoshi goes
through (ledger files, workbooks, bulletins, the cache), and the check that refuses to
replace what must not be replaced.

Its own stage, below everything that writes: the cache (fast/) and the commands
(cli/) both write files, and neither may import the other's level.  Not in core/
(core does no I/O) and not in load/ (load reads ledgers; this writes outputs): it
depends on core's bilingual `L` only.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .core.codes import L


def _mode_for(path: Path) -> int:
    """The existing file's permissions, or what the umask gives a new file — never an
    executable bit (nor setuid, setgid, sticky): luoshi writes data, and a file it
    replaced kept its 0755 (`import tasks -o .git/hooks/pre-commit --force` wrote a hook
    git ran on the next commit)."""
    try:
        return stat.S_IMODE(path.stat().st_mode) & 0o666
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


_KINDS = ((stat.S_ISFIFO, L("命名管道（FIFO）", "a FIFO")),
          (stat.S_ISCHR, L("字符设备", "a character device")),
          (stat.S_ISBLK, L("块设备", "a block device")), (stat.S_ISSOCK, L("套接字", "a socket")))


def file_kind(mode: int) -> L:
    """What a file that is no regular file is, in words (its `st_mode`): a directory,
    a FIFO, a device, a socket."""
    if stat.S_ISDIR(mode):
        return L("目录", "a directory")
    return next((k for test, k in _KINDS if test(mode)), L("特殊文件", "a special file"))


def _target(path: Path, inside: Path | None, follow: bool, named: bool = False) -> Path:
    """The name to rename the written file onto when writing `path`.

    `follow` (an `-o FILE` the user typed): a symbolic link is written through — its
    final target is replaced and the link stays a link.  Otherwise (a file luoshi
    names on its own) a link in the last place is replaced, as any file would be:
    nothing is ever written at the other end of it.  `inside` (the ledger, or the
    directory luoshi fills): a directory above the name, or a followed link, that
    leads out of it is refused.  Whatever the name holds must be a regular file, a
    link being replaced, or nothing yet: the rename that makes the write atomic would
    replace a FIFO, a device such as /dev/null or a socket with a regular file (as
    root that breaks the system), and cannot replace a directory.  The advice for
    such a node: redirect stdout instead of -o, or (`named`, or not `follow`: a file
    luoshi names itself, no -o given) remove it."""
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
        kind = file_kind(mode)
        if named or not follow:
            raise UnsafeTarget(L(
                f"{path} 是{kind.zh}，不是普通文件：luoshi 要在这里写入它自己的文件"
                "（临时文件 + 重命名），会替换掉它；请删除它或改名后再运行",
                f"{path} is {kind.en}, not a regular file: luoshi writes a file of its own "
                "there (a temporary file renamed over it), which would replace it; remove "
                "or rename it, then run again"))
        raise UnsafeTarget(L(
            f"{path} 是{kind.zh}，不是普通文件：luoshi 以“临时文件 + 重命名”方式写文件，"
            f"会替换掉它；要写到那里，请去掉 -o 并重定向标准输出（> {path}）",
            f"{path} is {kind.en}, not a regular file: luoshi writes files atomically "
            f"(a temporary file renamed over it), which would replace it; to send the "
            f"output there, leave out -o and redirect stdout (> {path})"))
    return target


def check_target(path: Path, *, inside: Path | None = None, follow: bool = False,
                 named: bool = False) -> None:
    """Refuse early (`UnsafeTarget`) what `write_atomic` would refuse, before the
    work whose result it is meant to hold (`named`: a file luoshi names itself,
    checked following a link)."""
    _target(Path(path), inside, follow, named)


#: what an output (`-o`) never lands on inside a ledger: YAML (a ledger file, or one
#: the next run would read or name as LS023) and the folders luoshi or git own
_LEDGER_OWNED = frozenset({".git", ".luoshi-cache", "templates"})


#: folders no output is written into, anywhere: git's own (a hook there runs on the
#: next commit, `.git/config` holds a CI job's token) and luoshi's cache
_NEVER_INTO = frozenset({".git", ".luoshi-cache"})


def not_git_or_cache(path: Path, root: Path | None = None) -> None:
    """Refuse (`UnsafeTarget`) an `-o` in a `.git` or `.luoshi-cache` folder (or named
    so), as typed or where links lead, and one in the ledger's own folders (`root`:
    templates/ as well) — the places `not_ledger_data` keeps `export -o` out of, for
    an output that is itself a YAML file the ledger reads (`import tasks -o`, `import
    scores -o`): `-o L/.git/config --force` replaced git's configuration and
    `-o L/.git/hooks/pre-commit --force` wrote a hook, executable bit and all."""
    typed = Path(os.path.abspath(path))
    real = Path(os.path.realpath(path))
    owned = next((part for p in (typed, real) for part in p.parts
                  if part.lower() in _NEVER_INTO), None)
    if owned is None and root is not None:
        rel = _in_ledger(real, root)
        owned = rel.parts[0] if rel is not None and rel.parts[0] in _LEDGER_OWNED else None
    if owned is not None:
        raise UnsafeTarget(L(
            f"{path} 在 {owned} 目录中（{real}）：luoshi 不把输出写进 git 的 .git、luoshi 的缓存 "
            ".luoshi-cache 或台账的 templates（git 钩子会在下次提交时运行，.git/config 中可能有凭据）；"
            "请换一个文件名或目录",
            f"{path} is in {owned} (at {real}): luoshi writes no output into git's .git, "
            "its own cache .luoshi-cache or the ledger's templates (a git hook runs on the "
            "next commit, .git/config may hold credentials); choose another name or "
            "directory"))


def _in_ledger(real: Path, root: Path) -> Path | None:
    """`real` (a resolved path) relative to the ledger's resolved `root`; None when it
    is outside, or the root itself."""
    real_root = Path(os.path.realpath(root))
    if not real.is_relative_to(real_root) or real == real_root:
        return None
    return real.relative_to(real_root)


def not_ledger_data(path: Path, root: Path) -> None:
    """Refuse (`UnsafeTarget`) an `-o` that would replace or add a file the ledger at
    `root` is made of: `supervise -o supervision/2024.yaml` replaced the supervision
    file with the Markdown notice, exit 0 (audit).  A YAML name anywhere in the
    ledger, and anything under templates/, .git/ or .luoshi-cache/, are refused
    wherever a link leads from; a bulletin or workbook beside the ledger's files
    (`bulletins/2024-05.md`) is fine."""
    rel = _in_ledger(Path(os.path.realpath(path)), root)  # where a link `-o` leads
    if rel is None:
        return
    if rel.suffix.lower() in (".yaml", ".yml") or rel.parts[0] in _LEDGER_OWNED:
        raise UnsafeTarget(L(
            f"{path} 是台账 {root} 的数据文件或台账使用的位置：输出不会写到那里，以免替换台账；"
            "请换一个文件名或目录",
            f"{path} is a data file of the ledger {root}, or a place the ledger uses: "
            "luoshi does not write output there, which would replace ledger data; choose "
            "another name or directory"))


def write_atomic(path: Path, data: str | bytes, *, inside: Path | None = None,
                 follow: bool = False, durable: bool = True) -> None:
    """Temp file in the same directory, then rename: an interrupted run leaves the
    old file (or none) — never half a file.  `follow`: `path` is what the user typed
    (`-o`), and a symbolic link there is written through (its target replaced, the
    link kept); `inside`: the directory a file must stay in (see `_target`).
    `durable=False` skips flushing the file to disk before the rename: only for what
    luoshi can tell is damaged and can make again (the parse cache's signed entries,
    `fast.cache`) — after a power cut such a file may be empty or short, which its
    signature check turns into a miss.  Raises `UnsafeTarget` for what must not be
    replaced, OSError when the write fails."""
    path = Path(path)
    target = _target(path, inside, follow)  # before mkdir: no directory made through a link
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _staged(target, data, durable)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _staged(target: Path, data: str | bytes, durable: bool = True) -> str:
    """`data` in a temporary file beside `target`, flushed to disk (unless not
    `durable`), with the mode `target` has (or would get): what a rename then puts in
    its place.  Removed again when writing it fails."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, _mode_for(target))  # mkstemp makes 0600: look like any other file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def fsync_path(path: Path | str) -> None:
    """Flush a file, or a directory's entries, to disk: what `_staged` does for the
    file it writes, for files written by another library (pyarrow's Parquet) and for
    the directory a rename changed.  A file system that cannot sync a directory
    (EINVAL, some network mounts; Windows, where a directory cannot be opened) is
    left as it is."""
    is_dir = os.path.isdir(path)
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if is_dir else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if is_dir:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


class SetNotWritten(OSError):
    """`write_atomic_set` failed at `path`; `left` are the files it could not put
    back (normally none: the set is written whole or not at all)."""

    def __init__(self, path: Path, cause: OSError, left: list[Path]) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause))
        self.path, self.cause, self.left = path, cause, left


def write_atomic_set(files: list[tuple[Path, str | bytes]], *,
                     inside: Path | None = None, follow: bool = False) -> None:
    """Several files written as one set, as far as the file system allows: every
    temporary file first (a full disk or a read-only directory fails here, before any
    file is replaced), then the renames; a rename that fails (an immutable file) puts
    the files already replaced back as they were.  Raises `UnsafeTarget` before
    writing anything, or `SetNotWritten` naming the file that failed.  `follow`: a
    file that is a symbolic link is written through, its target replaced — refused
    when that leads out of `inside` (a ledger's task file linked within the ledger,
    `tasks/econ.yaml -> ../data/econ.yaml`, is the file the ledger reads: replacing
    the link with a regular file left the data file stale)."""
    staged: list[tuple[Path, Path, str]] = []  # (the name asked for, the target, temp)
    at = Path()
    try:
        for path, data in files:
            at = Path(path)
            target = _target(at, inside, follow)
            at.parent.mkdir(parents=True, exist_ok=True)
            staged.append((at, target, _staged(target, data)))
    except UnsafeTarget:
        _unlink([tmp for _, _, tmp in staged])
        raise
    except OSError as exc:
        _unlink([tmp for _, _, tmp in staged])
        raise SetNotWritten(at, exc, []) from exc
    old: list[bytes | None] = []
    for _, target, _ in staged:
        try:
            old.append(target.read_bytes())
        except FileNotFoundError:
            old.append(None)
        except OSError as exc:
            _unlink([tmp for _, _, tmp in staged])
            raise SetNotWritten(target, exc, []) from exc
    done = 0
    try:
        for _, target, tmp in staged:
            os.replace(tmp, target)
            done += 1
    except OSError as exc:
        _unlink([tmp for _, _, tmp in staged[done:]])
        left = []
        for (name, target, _), before in zip(staged[:done], old[:done], strict=True):
            try:
                if before is None:
                    os.unlink(target)
                else:
                    write_atomic(target, before)
            except OSError:
                left.append(name)
        raise SetNotWritten(staged[done][0], exc, left) from exc


def _unlink(paths: list[str]) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            os.unlink(p)


def stdout_to_devnull() -> None:
    """After stdout failed (the reader of a pipe went away: `luoshi status | head -1`,
    or the disk is full), point it at /dev/null: Python's final flush at exit would
    otherwise fail again and print a traceback-like "Exception ignored" line."""
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def walk(top: Path | str) -> Iterator[tuple[str, list[str], list[str]]]:
    """`os.walk(top)` — top-down, the same order, links to directories listed among
    the directories but not entered, `dirs` pruned in place by the caller — on a
    stack of its own.  Python 3.11's `os.walk` recurses once per level: a folder
    1,500 levels deep in a ledger's templates/ (or below a repository the hook
    searches) was a RecursionError (3.12's walk is iterative too)."""
    stack = [os.fspath(top)]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except OSError:
            continue  # as os.walk: an unreadable directory is passed over
        dirs: list[str] = []
        names: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else names).append(entry.name)
        yield here, dirs, names
        for name in reversed(dirs):
            path = os.path.join(here, name)
            if not os.path.islink(path):
                stack.append(path)


def os_reason(exc: OSError) -> L:
    """Why a path could not be used, one line: in Chinese words for the common causes
    (no such file, no permission, a directory or a file where the other was needed, a
    full disk, a read-only file system) — the system says them in English, `No such
    file or directory` inside a Chinese line — and in English as the system says it."""
    said = (exc.strerror or str(exc).strip() or type(exc).__name__).splitlines()[0]
    return L(_OS_WORDS.get(exc.errno or 0, said), said)


#: the system's reasons a path cannot be used, in Chinese words
_OS_WORDS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "文件或目录不存在",
    errno.EISDIR: "是一个目录",
    errno.ENOTDIR: "路径中的某一级不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
}


def cannot_reach(path: Path | str, exc: OSError, *, writing: bool = False) -> L:
    """`无法读取 PATH：没有权限` (or `无法写入` for an output): the one line for a
    path that cannot even be looked at."""
    why = os_reason(exc)
    zh, en = why.zh, why.en
    if writing:
        return L(f"无法写入 {path}：{zh}", f"cannot write {path}: {en}")
    return L(f"无法读取 {path}：{zh}", f"cannot read {path}: {en}")


def path_is(path: Path, kind: str = "any", *, writing: bool = False,
            named: Path | None = None) -> bool:
    """`path.is_file()` (`kind="file"`), `.is_dir()` (`"dir"`) or `.exists()`
    (`"any"`) — except that a path the user cannot look at (it runs through a folder
    without search permission, which Python 3.11's tests raise for) is a one-line
    `LedgerError` naming `path` (or `named`: the folder the user gave, when `path` is
    a file luoshi looks for in it) (exit 2), not an internal error."""
    from .core.errors import LedgerError

    try:
        if kind == "file":
            return path.is_file()
        if kind == "dir":
            return path.is_dir()
        return path.exists()
    except PermissionError as exc:  # (others, a name too long: `__main__`'s I/O error)
        raise LedgerError(cannot_reach(path if named is None else named, exc,
                                       writing=writing)) from None
