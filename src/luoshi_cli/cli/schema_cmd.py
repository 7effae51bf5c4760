"""`luoshi schema`: JSON Schemas (draft-07) of the ledger file kinds, for editors.

VS Code's YAML extension (yaml-language-server) reads a `# yaml-language-server:
$schema=…` line at the top of a file and then completes keys and underlines typos
while the clerk types.  The schemas come from the same specs as the validator
(`schema.json_schema`), so the editor and `luoshi validate` agree.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..core.codes import L
from .options import lang_option
from .ui import cannot_write, env_lang, fail

#: where `luoshi init` puts the schemas inside a ledger, and the default of `-o`
SCHEMA_DIR = ".luoshi/schema"


class Kind(StrEnum):
    config = "config"
    units = "units"
    tasks = "tasks"
    scheme = "scheme"
    record = "record"


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_text(kind: str) -> str:
    """One schema as a stable, readable JSON document (byte-identical across runs)."""
    from ..load.schema import json_schema

    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"


def write_schemas(directory: Path, kinds: list[str] | None = None) -> list[Path]:
    """Write `<kind>.schema.json` for each kind into `directory`."""
    from .ui import write_atomic

    out = []
    for kind in kinds or [k.value for k in Kind]:
        path = directory / schema_file(kind)
        write_atomic(path, schema_text(kind))
        out.append(path)
    return out


_KIND_OF = (("luoshi.yaml", "config"), ("units.yaml", "units"), ("scheme.yaml", "scheme"),
            ("tasks/", "tasks"), ("records/", "record"))


def with_modeline(rel: str, data: bytes) -> bytes:
    """`data` of ledger file `rel` (default layout) with a first line telling
    yaml-language-server which schema to use; other files are returned unchanged."""
    kind = next((k for prefix, k in _KIND_OF
                 if rel == prefix or (prefix.endswith("/") and rel.startswith(prefix))), None)
    if kind is None or not rel.endswith((".yaml", ".yml")) or b"yaml-language-server" in data:
        return data
    up = "../" * rel.count("/")
    line = f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{schema_file(kind)}\n".encode()
    bom = b"\xef\xbb\xbf"
    if data.startswith(bom):
        return bom + line + data[len(bom):]
    return line + data


def schema(
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
        "--output", "-o", help="Directory to write <kind>.schema.json files into "
        f"(default: {SCHEMA_DIR} of the ledger, as luoshi init lays it out).",
        show_default=False)] = None,
    kind: Annotated[Optional[Kind], typer.Option(  # noqa: UP045
        "--kind", "-k", help="Only this file kind; without -o it is printed to stdout.",
        show_default=False)] = None,
    ledger: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--ledger", help="Ledger root for the default output directory.",
        show_default=False)] = None,
    lang: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--lang", help="zh or en.", show_default=False, callback=lang_option)] = None,
) -> None:
    """Write JSON Schemas (draft-07) of the ledger files, for editor completion.

    Point an editor at them with a first line like
    `# yaml-language-server: $schema=../.luoshi/schema/tasks.schema.json`
    (luoshi init writes these lines and files).
    """
    language = env_lang(lang)
    if output is None and kind is not None:
        sys.stdout.write(schema_text(kind.value))
        return
    if output is None:
        from ..load.assemble import LedgerError, find_root

        try:
            output = find_root(ledger) / SCHEMA_DIR
        except LedgerError:
            fail(L("这里不是台账目录：请用 -o DIR 指定输出目录，或用 --kind 输出到屏幕",
                   "not inside a ledger: give -o DIR to write the schemas, "
                   "or --kind KIND to print one"), language)
    if output.exists() and not output.is_dir():
        fail(L(f"{output} 不是目录", f"{output} is not a directory"), language)
    try:
        written = write_schemas(output, [kind.value] if kind else None)
    except OSError as exc:
        fail(cannot_write(output, exc), language)
    for path in written:
        sys.stderr.write(f"{path}\n")


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
