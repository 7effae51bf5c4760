"""Entry point.  `luoshi --version` answers before typer is even imported (start-up
cost is paid on every CI run); every other command goes through `cli.app`.
No traceback reaches a user: unexpected errors become one line and exit 2
(set LUOSHI_DEBUG=1 to see the traceback)."""

from __future__ import annotations

import os
import sys

_OUT_OF_MEMORY = ("luoshi: out of memory; split large ledger files or lower max_file_mb / "
                  "内存不足：请拆分过大的台账文件\n").encode()


def main() -> None:
    argv = sys.argv[1:]
    if argv in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"luoshi {__version__}\n")
        return
    try:
        from .cli import app

        app(prog_name="luoshi")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted / 已中断\n")
        sys.exit(130)
    except SystemExit:
        raise
    except BrokenPipeError:
        sys.exit(0)
    except MemoryError:  # no memory left even to format a message: a prepared one
        os.write(2, _OUT_OF_MEMORY)
        os._exit(2)
    except Exception as exc:  # the last line of defence against tracebacks
        if os.environ.get("LUOSHI_DEBUG"):
            raise
        sys.stderr.write(
            f"luoshi: internal error ({type(exc).__name__}: {exc}); "
            f"please report it with LUOSHI_DEBUG=1 output / 内部错误，请附 LUOSHI_DEBUG=1 的输出报告\n"
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
