"""`luoshi schema`: JSON Schemas (draft-07) of the ledger file kinds, for editors.

VS Code's YAML extension (yaml-language-server) reads a `# yaml-language-server:
$schema=…` line at the top of a file and then completes keys and underlines typos
while the clerk types.  The schemas come from the same specs as the validator
(`schema.json_schema`), so the editor and `luoshi validate` agree.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..core.codes import L
from ..fsio import path_is, write_atomic_set
from ..load import editor
from .options import lang_option
from .ui import cannot_write, check_target, env_lang, fail, is_stdout, write_atomic

if TYPE_CHECKING:
    from ..core.model import Files

# the layout and the modeline live with the schemas (`load.editor`): `luoshi import`
# writes the same first line as `luoshi init`
SCHEMA_DIR = editor.SCHEMA_DIR
schema_file = editor.schema_file
with_modeline = editor.with_modeline


class Kind(StrEnum):
    config = "config"
    units = "units"
    tasks = "tasks"
    scheme = "scheme"
    record = "record"
    supervision = "supervision"


def schema_text(kind: str, lang: str = "zh", refs: editor.Refs | None = None) -> str:
    """One schema as a stable, readable JSON document (byte-identical across runs)."""
    return json.dumps(editor.editor_schema(kind, lang, refs), ensure_ascii=False,
                      indent=2) + "\n"


def write_schemas(directory: Path, kinds: list[str] | None = None, lang: str = "zh",
                  refs: editor.Refs | None = None, *, inside: Path | None = None) -> list[Path]:
    """Write `<kind>.schema.json` for each kind into `directory` (and `stamps.json`,
    their fingerprints: `editor.stale_schemas`); `inside`: the ledger
    the directory belongs to (its `.luoshi/schema`), which a committed link such as
    `.luoshi -> /elsewhere` must not lead the files out of (`UnsafeTarget`).  The
    files are written as a set (`write_atomic_set`): a FIFO where one goes is refused
    before any is written."""
    kinds = kinds or [k.value for k in Kind]
    files: list[tuple[Path, str | bytes]] = [
        (directory / schema_file(kind), schema_text(kind, lang, refs)) for kind in kinds]
    # and their fingerprints beside them, for `validate` to tell when they are out of
    # date without reading them (`editor.stale_schemas`); kinds not written keep theirs
    stamps_path = directory / editor.STAMPS
    stamps = _stamps_written(stamps_path)
    stamps.update(editor.schema_stamps(refs, kinds))
    files.append((stamps_path, json.dumps(dict(sorted(stamps.items())), indent=2) + "\n"))
    write_atomic_set(files, inside=inside)
    return [path for path, _ in files]


def _stamps_written(path: Path) -> dict[str, str]:
    """The stamps file as written (kinds not written now keep their stamp); {} when
    it is missing or not what luoshi writes."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 64 * 1024:
            return {}
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {k: v for k, v in loaded.items() if k in editor.KINDS and isinstance(v, str)}


def ledger_refs(root: Path) -> tuple[editor.Refs, str]:
    """The ids (with names) the ledger at `root` declares, and its language.  What
    does not load is left out: a ledger with a broken units.yaml still completes
    its categories."""
    from .. import api

    led = api.open_ledger(root).ledger
    return editor.refs_of(led), led.config.language


def schema_lang(explicit: str | None, ledger_lang: str | None) -> str:
    """--lang, then LUOSHI_LANG, then the ledger's `language`, then zh."""
    if explicit or os.environ.get("LUOSHI_LANG", "").strip() or ledger_lang is None:
        return env_lang(explicit)
    return ledger_lang


VSCODE_SETTINGS = ".vscode/settings.json"


def ledger_files(root: Path) -> Files:
    """Where the ledger at `root` keeps its files (`files:` of its luoshi.yaml, the
    defaults for what it does not say, or when it does not load): read from
    luoshi.yaml alone, as luoshi reads it — a luoshi.yaml linking out of the root is
    not opened, and a pattern LS007 refuses (absolute, `..` above the root) is the
    default, as it is for every command."""
    from ..core.model import Files
    from ..load.assemble import CONFIG_NAME, DirSource
    from ..load.parse import parse_config

    if not (root / CONFIG_NAME).exists():
        return Files()
    (src,) = DirSource(root).load_many([CONFIG_NAME], 64)
    config = parse_config(CONFIG_NAME, src.data)[0] if src.ok else None
    return config.files if config is not None else Files()


#: the largest .vscode/settings.json luoshi reads to merge into (a workspace's settings
#: are a few KB; a ledger is other people's input, and a 1 GiB one took 2-3 GB)
MAX_SETTINGS_BYTES = 1 << 20


def vscode_settings(root: Path) -> tuple[int, L | None]:
    """Map the schemas in `<root>/.vscode/settings.json` (`settings_merge`) and write
    the file.  Returns (files written, note)."""
    text, note = settings_merge(root)
    if text is None:
        return 0, note
    write_atomic(root / VSCODE_SETTINGS, text, inside=root)
    return 1, note


def settings_merge(root: Path) -> tuple[str | None, L | None]:
    """What `<root>/.vscode/settings.json` is to hold with the schemas mapped
    (`yaml.schemas`, read by the redhat YAML extension) for a workspace opened at
    the ledger root, onto the files the ledger's `files:` names
    (`editor.editor_globs`), and a note; nothing is written here, so a refusal
    (`UnsafeTarget`: a link out, a FIFO) comes before any file is.  An existing
    file is never replaced silently: its other settings and schema mappings are kept
    and ours merged in (with a note), and one luoshi cannot read as a JSON object
    (VS Code allows comments; nested too deep to parse; over `MAX_SETTINGS_BYTES`,
    not read) is left alone (None) with a note saying what to add."""
    path = root / VSCODE_SETTINGS
    # a ledger is other people's input: settings.json (or .vscode) linking out of it
    # is never read — merged into the ledger's file, its content would be committed
    check_target(path, inside=root, follow=True, named=True)
    mapping: dict[str, object] = {f"./{editor.SCHEMA_DIR}/{editor.schema_file(k)}": globs
                                  for k, globs in editor.editor_globs(ledger_files(root)).items()}
    settings: dict[str, object] = {}
    note = None
    if path.exists():
        add = json.dumps(mapping, ensure_ascii=False)
        with open(path, "rb") as fh:
            raw = fh.read(MAX_SETTINGS_BYTES + 1)
        if len(raw) > MAX_SETTINGS_BYTES:
            return None, L(f"{path} 大于 1 MB，luoshi 不读取，未修改：请在其中的 \"yaml.schemas\" "
                           f"加上 {add}",
                           f"{path} is over 1 MB, which luoshi does not read, and was left as "
                           f"it is: add {add} to its \"yaml.schemas\"")
        try:
            loaded = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            loaded = None
        if not isinstance(loaded, dict) or not isinstance(loaded.get("yaml.schemas", {}), dict):
            return None, L(f"{path} 无法按 JSON 读取，未修改：请在其中的 \"yaml.schemas\" 加上 "
                           f"{add}",
                           f"{path} is not plain JSON luoshi can merge into and was left as it "
                           f"is: add {add} to its \"yaml.schemas\"")
        settings = loaded
        mapping = {**loaded.get("yaml.schemas", {}), **mapping}
        note = L(f"已在 {path} 中合并 yaml.schemas（其余设置保留）",
                 f"merged yaml.schemas into {path} (its other settings are kept)")
    settings["yaml.schemas"] = mapping
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n", note


def schema(
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
        "--output", "-o", metavar="PATH", help="Directory to write <kind>.schema.json files into "
        f"(default: {SCHEMA_DIR} of the ledger, as luoshi init lays it out); with --kind, "
        "- is stdout.",
        show_default=False)] = None,
    kind: Annotated[Optional[Kind], typer.Option(  # noqa: UP045
        "--kind", "-k", help="Only this file kind; without -o it is printed to stdout.",
        show_default=False, case_sensitive=False)] = None,
    ledger: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--ledger", metavar="DIR", help="Ledger root for the default output directory.",
        show_default=False)] = None,
    lang: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--lang", metavar="zh|en",
        help="zh or en: the language of the descriptions (default: LUOSHI_LANG, "
        "else the ledger's language, else zh).", show_default=False,
        callback=lang_option)] = None,
    generic: Annotated[bool, typer.Option(
        "--generic", help="Leave out this ledger's unit, leader, category and tag ids "
        "(the schemas any ledger can use).")] = False,
    vscode: Annotated[bool, typer.Option(
        "--vscode", help="Also map the schemas in the ledger's .vscode/settings.json "
        "(yaml.schemas), as luoshi init does; an existing file is merged into, never "
        "replaced.")] = False,
) -> None:
    """Write JSON Schemas (draft-07) of the ledger files, for editor completion.

    Point an editor at them with a first line like
    `# yaml-language-server: $schema=../.luoshi/schema/tasks.schema.json`
    (luoshi init writes these lines and files).  Every key has a description; run
    inside a ledger, the keys that name a unit, leader, category or tag list this
    ledger's ids with their names, so `lead:` completes to a unit shown by name.
    """
    from ..core.errors import LuoshiError
    from ..load.assemble import LedgerError, find_root

    language = env_lang(lang)
    try:
        root: Path | None = find_root(ledger)
    except LedgerError as exc:
        if ledger is not None:
            # an --ledger given is meant: not a ledger (no such directory, no
            # luoshi.yaml) is one line, exit 2 — never the generic schema in silence
            exc.lang = exc.lang or language
            raise
        root = None  # run outside a ledger: the generic schemas
    refs, ledger_lang = None, None
    if root is not None and not generic:
        # a ledger that does not load: the plain schemas, as outside one
        with contextlib.suppress(LuoshiError):
            refs, ledger_lang = ledger_refs(root)
    language = schema_lang(lang, ledger_lang)
    if is_stdout(output):  # -o -: stdout, as everywhere; one schema only
        if kind is None:
            fail(L("-o - 只能与 --kind 一起使用：不带 --kind 时写入每种文件的 schema（多个文件），"
                   "请用 -o DIR 指定目录",
                   "-o - goes with --kind: without it a schema is written for every file "
                   "kind (several files); give -o DIR"), language)
        if not vscode:
            output = None
    if output is None and kind is not None and not vscode:
        sys.stdout.write(schema_text(kind.value, language, refs))
        return
    inside = None
    if output is None:
        if root is None:
            fail(L("这里不是台账目录：请用 -o DIR 指定输出目录，或用 --kind 输出到屏幕",
                   "not inside a ledger: give -o DIR to write the schemas, "
                   "or --kind KIND to print one"), language)
        output = root / SCHEMA_DIR
        inside = root
    if vscode and (root is None or output.resolve() != (root / SCHEMA_DIR).resolve()):
        fail(L(f"--vscode 只用于台账内的默认输出目录（{SCHEMA_DIR}）：settings.json 中的路径"
               "相对于台账目录",
               f"--vscode goes with the ledger's own schema folder ({SCHEMA_DIR}), not -o: "
               "the paths in settings.json are relative to the ledger root"), language)
    if path_is(output, writing=True) and not output.is_dir():
        fail(L(f"{output} 不是目录", f"{output} is not a directory"), language)
    settings: tuple[str | None, L | None] = (None, None)
    if vscode and root is not None:  # (root is known: checked above)
        try:  # read (or refused) before any schema is written
            settings = settings_merge(root)
        except OSError as exc:
            fail(cannot_write(root / VSCODE_SETTINGS, exc), language)
    try:
        written = write_schemas(output, [kind.value] if kind else None, language, refs,
                                inside=inside)
    except OSError as exc:
        fail(cannot_write(output, exc), language)
    for path in written:
        sys.stderr.write(f"{path}\n")
    text, note = settings
    if text is not None and root is not None:
        try:
            write_atomic(root / VSCODE_SETTINGS, text, inside=root)
        except OSError as exc:
            fail(cannot_write(root / VSCODE_SETTINGS, exc), language)
        sys.stderr.write(f"{root / VSCODE_SETTINGS}\n")
    if note is not None:
        sys.stderr.write(f"luoshi: {note.zh if language == 'zh' else note.en}\n")


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
