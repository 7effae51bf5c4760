"""Entry point.  `luoshi --version` answers before typer is even imported (start-up
cost is paid on every CI run); every other command goes through `cli.app`.
No traceback reaches a user: unexpected errors become one line and exit 2
(set LUOSHI_DEBUG=1 to see the traceback)."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import NoReturn

_OUT_OF_MEMORY = ("luoshi: out of memory; split large ledger files or lower max_file_mb / "
                  "内存不足：请拆分过大的台账文件\n").encode()
#: what an import runs out of memory on is the workbook, not the ledger
_OUT_OF_MEMORY_IMPORT = ("luoshi: out of memory reading the workbook; split it and import the "
                         "parts / 内存不足：工作簿过大，请拆分后分别导入\n").encode()
#: ... and what `rollup --from-parquet` runs out of memory on is the exports, not YAML
_OUT_OF_MEMORY_ROLLUP = ("luoshi: out of memory reading the Parquet exports; roll up fewer at a "
                         "time, or query them with DuckDB or Spark directly / 内存不足：Parquet "
                         "导出过大，请分批汇总，或直接用 DuckDB、Spark 查询\n").encode()


def main() -> None:
    argv = sys.argv[1:]
    _closed_streams_to_devnull()
    if _only_version(argv):
        from . import __version__

        try:
            sys.stdout.write(f"luoshi {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_stdout()
        except OSError as exc:
            _quiet_stdout()
            sys.stderr.write(f"luoshi: I/O error: {exc.strerror or exc} / 输入输出错误\n")
            sys.exit(2)
        return
    try:
        os.getcwd()
    except OSError:
        sys.stderr.write("luoshi: the current directory no longer exists (it was deleted or "
                         "moved): cd to an existing directory / 当前目录已不存在（已被删除或移动）："
                         "请先 cd 到存在的目录\n")
        sys.exit(2)
    _streams_that_write_chinese()
    code: int | str | None = 0
    finished: SystemExit | None = None
    at_once = bool(argv) and argv[0] in _LEAVE_AT_ONCE
    try:
        from .cli.app import main_command

        try:
            main_command(argv)(prog_name="luoshi")
        except SystemExit as exc:
            code = exc.code
            if at_once:  # its traceback keeps the command's frames and so its
                finished = exc  # result, for `_exit_without_teardown`
            if _click_saw_a_broken_pipe():
                _quiet_stdout()
                code = 0
        sys.stdout.flush()  # inside the guard: a full disk shows here, at the last write
    except KeyboardInterrupt:
        sys.stderr.write("interrupted / 已中断\n")
        _exit(130)
    except BrokenPipeError:
        _quiet_stdout()
        _exit(code)
    except MemoryError:  # no memory left even to format a message: a prepared one
        os.write(2, _out_of_memory(argv))
        os._exit(2)
    except OSError as exc:
        if exc.errno not in _IO_ERRORS:
            _internal(exc)
        _quiet_stdout()
        sys.stderr.write(f"luoshi: I/O error: {exc.strerror or exc}{_named(exc)} / 输入输出错误（"
                         f"{_IO_ERRORS[exc.errno]}）\n")
        _exit(2)
    except Exception as exc:  # the last line of defence against tracebacks
        _internal(exc)
    if at_once and (code is None or isinstance(code, int)):
        _exit_without_teardown(code or 0)
    del finished
    _exit(code)


#: the native engines `luoshi rollup` and `luoshi export --format parquet` load (no
#: other command imports them): pyarrow's threads can abort the interpreter's teardown
#: (apache/arrow#34314: "terminate called without an active exception", SIGABRT, exit
#: 134 — seen on about 1 run in 100 of a rollup refusing an export, under load)
_ENGINES = ("pyarrow", "duckdb")


def _exit(code: int | str | None) -> NoReturn:
    """Exit with `code`; after a command that loaded an engine (`_ENGINES`: rollup,
    export --format parquet — on success and on every refusal alike), without the
    interpreter's teardown, where their threads may abort it."""
    if (code is None or isinstance(code, int)) and any(m in sys.modules for m in _ENGINES):
        _exit_without_teardown(code or 0)
    sys.exit(code)


#: `luoshi`'s own options that take a value, and may come before --version
_GLOBAL_VALUED = ("--lang", "--color")


def _out_of_memory(argv: list[str]) -> bytes:
    """The prepared message for what the command ran out of memory on: a workbook
    (`import`), Parquet exports (`rollup --from-parquet`), else the ledger's YAML."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):  # luoshi's own options first
        i += 2 if argv[i] in _GLOBAL_VALUED else 1
    command = argv[i] if i < len(argv) else ""
    if command == "import":
        return _OUT_OF_MEMORY_IMPORT
    if command == "rollup" and "--from-parquet" in argv[i:]:
        return _OUT_OF_MEMORY_ROLLUP
    return _OUT_OF_MEMORY


def _only_version(argv: list[str]) -> bool:
    """`luoshi --version` (or -V), perhaps after `luoshi`'s own --lang and --color
    (`luoshi --lang en --version`, an alias with global options): answered before
    typer is imported, as it answers — --version is eager, so those options' values
    are never looked at.  Anything else (a command, another option, a value missing)
    goes the long way."""
    seen = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--version", "-V"):
            seen, i = True, i + 1
        elif arg in _GLOBAL_VALUED and i + 1 < len(argv):
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in _GLOBAL_VALUED)):
            i += 1
        else:
            return False
    return seen


#: the commands that hold a whole ledger when they end and leave no work behind them
#: (no child process, no file left open: what they write is written atomically before
#: they return): `_exit_without_teardown`
_LEAVE_AT_ONCE = frozenset(("validate", "status", "score", "bulletin"))


def _exit_without_teardown(code: int) -> None:
    """End `luoshi validate` (and the reports of `_LEAVE_AT_ONCE`) without tearing the
    interpreter down.  Python would free the checked ledger object by object on the
    way out — 100,000 task keys are a million small objects, 50 ms on one core after
    the work is done; a bulletin's 100,000 tasks and their context 0.2 s — only to
    exit.  (The command's result is a local of its frame, which the SystemExit's
    traceback keeps until here: `main` holds that exception as `finished`.)  Every
    command that loaded `_ENGINES` leaves this way too (`_exit`): their threads may
    abort the teardown.  What an exit must do is still done: the output was flushed
    above (where a full disk or a closed pipe is reported) and is flushed again, the
    atexit handlers run (the parse workers' cleanup, weakref finalizers) and what they
    write is flushed.  Not while another thread that Python would wait for is running
    (none is; then a normal exit)."""
    import atexit
    import contextlib
    import threading

    main = threading.main_thread()
    if any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate()):
        return
    for stream in (sys.stdout, sys.stderr):  # what the command wrote, before anything else
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):  # what a handler wrote, too
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


#: errors of the file system, not of a ledger's content — the output's (a full disk) or a
#: path's (a name longer than the file system takes, 255 bytes: `-o`, a ledger's root, an
#: export's directory): one line and exit 2, the Chinese words in brackets after
#: Python's English ones
_IO_ERRORS = {errno.ENOSPC: "磁盘已满", errno.EDQUOT: "超出磁盘配额", errno.EIO: "设备读写失败",
              errno.EFBIG: "文件过大", errno.ENAMETOOLONG: "文件名过长"}


def _named(exc: OSError) -> str:
    """": PATH" when the error is about the path's name (which of the paths given was
    too long), else nothing (a full disk is not about a name)."""
    if exc.errno != errno.ENAMETOOLONG or exc.filename is None:
        return ""
    from .core.safetext import printable

    return f": {printable(os.fsdecode(exc.filename))}"


def _closed_streams_to_devnull() -> None:
    """A closed stdout or stderr (`luoshi status >&-`) is None in Python, and every
    command's first `isatty()` was an internal error: write to /dev/null instead, so
    that the command runs and its exit code (the CI gate's) stands."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            with contextlib.suppress(OSError):
                setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def _click_saw_a_broken_pipe() -> bool:
    """Click turns EPIPE into exit 1 (the code for "the ledger has errors") and wraps
    the streams in its PacifyFlushWrapper: that wrapper is how we know (by name: typer
    vendors its own copy of click)."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def _quiet_stdout() -> None:
    """After stdout failed, point it at /dev/null (`fsio.stdout_to_devnull`; imported
    here, on the way out, not at start-up).  A broken pipe after the command decided
    keeps its exit code; one while it was still writing is exit 0: the reader took what
    it wanted (the gates, validate and hook, decide after their output: `ui.to_stdout`)."""
    from .fsio import stdout_to_devnull

    stdout_to_devnull()


def _internal(exc: Exception) -> NoReturn:
    if os.environ.get("LUOSHI_DEBUG"):
        raise exc
    sys.stderr.write(
        f"luoshi: internal error ({type(exc).__name__}: {exc}); "
        f"please report it with LUOSHI_DEBUG=1 output / 内部错误，请附 LUOSHI_DEBUG=1 的输出报告\n"
    )
    _exit(2)


def _streams_that_write_chinese() -> None:
    """stdout and stderr in UTF-8 when their encoding cannot write Chinese.

    That happens on Windows when output is redirected under a Western code page
    (cp1252: `luoshi status > out.txt`), or with PYTHONIOENCODING=ascii; every report
    then failed on its first Chinese name.  Of the ways out, UTF-8 loses nothing (the
    file holds the real names, which editors and Excel read), where `?` or `\\uXXXX`
    escapes would; a note on stderr says so.  A code page that can write Chinese
    (cp936/GBK on Chinese Windows) is left alone: that is what the user's tools read."""
    switched = []
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            "落实台账".encode(stream.encoding or "ascii")
            continue
        except (UnicodeEncodeError, LookupError):
            pass
        except AttributeError:  # replaced by something without an encoding
            continue
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError, OSError):
            continue
        switched.append(name)
    if "stdout" in switched:
        sys.stderr.write("luoshi: note: stdout's encoding cannot write Chinese; writing UTF-8 "
                         "(set PYTHONIOENCODING=utf-8 to choose it yourself) / "
                         "标准输出的编码无法写中文，已改用 UTF-8\n")


if __name__ == "__main__":
    main()
