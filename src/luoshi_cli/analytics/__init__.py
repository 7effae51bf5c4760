"""The ledger as analytics tables (Parquet) and the roll-up of many ledgers (SPEC §13).

A city keeps one ledger per district; a province about a hundred; the country tens
of thousands.  No single YAML pass serves that, and luoshi does not grow its own
distributed engine: `luoshi export --format parquet` writes each ledger as plain
tables, and `luoshi rollup` queries them with DuckDB, an embedded SQL engine — the
same SQL a cluster engine (Spark, Trino) runs on the same files.

pyarrow and DuckDB are an optional extra (`pip install '.[rollup]'`): they are
imported only inside these commands, so `luoshi --help` does not pay for them.
"""

from __future__ import annotations

from ..core.codes import L
from ..core.errors import CommandError
from ..core.labels import install_hint


def require_extra(*modules: str) -> None:
    """Fail in one line (exit 2) when a module of the extra is not installed (the
    export needs only pyarrow; the roll-up both): checked by importing, which also
    warms the import the command is about to make."""
    missing = []
    for module in modules or ("pyarrow", "duckdb"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        names = ", ".join(missing)
        hint = install_hint("rollup", "pyarrow duckdb")
        raise CommandError(L(f"需要 {names}：请先安装：{hint.zh}",
                             f"{names} not installed: {hint.en}"))


def refused_name(name: str) -> str | None:
    """How a ledger name that cannot be one is shown (its repr, made printable), or None
    for a name that can.  A name is data, kept as written — an ideographic space
    (U+3000), a space at either end — and only a blank one, or one holding a control
    character, a line separator, a bidi control or an invisible character (what
    `safetext.printable` escapes: text that would change how a report's line reads),
    is refused.  The one rule of `export` (--name, a folder's name) and of `rollup
    --from-parquet` (an export's `ledger` column, written by hand or another tool)."""
    from ..core.safetext import printable

    if name.strip() and printable(name) == name:
        return None
    return printable(repr(name))
