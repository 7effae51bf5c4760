"""What editors get from a ledger: the JSON Schemas with words and this ledger's ids.

`load.schema.json_schema` is the format as the validator reads it.  A clerk typing
in VS Code (the redhat YAML extension, yaml-language-server) needs more: a
description on every key (hovered or shown beside the completion, in the ledger's
language) and, for the keys that name a unit, leader, category or tag, the ids this
ledger declares with their names (`lead:` completes to `zjj` shown as 区住建局).

`editor_schema` adds both to `json_schema`, so the editor and `luoshi validate`
still agree on the shape.  The modeline helpers say where the schemas sit in a
ledger (`SCHEMA_DIR`) and write the `# yaml-language-server: $schema=…` line that
points a file at its schema — `luoshi init`, `luoshi schema` and `luoshi import`
share them, so every file luoshi writes points at the same place.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.codes import L
from ..core.safetext import INVISIBLE, printable
from .key_labels import KEY_OVERRIDES, KEY_WORDS

if TYPE_CHECKING:
    from ..core.model import Files, Ledger

#: where `luoshi init` and `luoshi schema` put the schemas inside a ledger
SCHEMA_DIR = ".luoshi/schema"

#: ledger file kinds with a schema, in the order `luoshi schema` writes them
KINDS = ("config", "units", "tasks", "scheme", "record", "supervision")

#: the default layout: file (or folder/) → its kind
_KIND_OF = (("luoshi.yaml", "config"), ("units.yaml", "units"), ("scheme.yaml", "scheme"),
            ("tasks/", "tasks"), ("records/", "record"), ("supervision/", "supervision"))

#: the key of `files:` (luoshi.yaml) that places each kind; luoshi.yaml itself is fixed
_FILES_KEY = {"units": "units", "tasks": "tasks", "scheme": "scheme", "record": "records",
              "supervision": "supervision"}


def editor_globs(files: Files | None = None) -> dict[str, list[str]]:
    """The globs `.vscode/settings.json` maps to each schema: the ledger's own `files:`
    patterns (SPEC §3; the defaults when None), as editor globs relative to the
    workspace (`/tasks/*.yaml`).  A kind whose pattern names nothing (`a/../b/*.yaml`,
    which luoshi reads nothing by either) maps to no file.

    The same files as luoshi reads, not a fixed layout: `files: {units: org.yaml,
    tasks: 任务/*.yaml}` left every file of such a ledger without its schema.  And no
    more: the default `tasks/*.yaml` is not `tasks/**/*.yml`, which luoshi leaves
    unread (LS023), so the editor shows no task schema on a file validate skips."""
    from ..core.model import Files

    files = files or Files()
    out = {"config": ["/luoshi.yaml"]}
    for kind, key in _FILES_KEY.items():
        glob = _editor_glob(getattr(files, key))
        out[kind] = [glob] if glob is not None else []
    return {k: out[k] for k in KINDS}


#: the characters every glob dialect yaml-language-server has read `yaml.schemas` with
#: takes as themselves (picomatch with bash rules; before it, vscode-json-languageservice's
#: createRegex): ASCII letters and digits, `-`, `_`, `.` and the space; beyond ASCII,
#: letters, numbers, punctuation and symbols (`任务`, `（`)
_PLAIN = frozenset("-_. ")
#: at most this many `*` in a segment and `**` segments in a pattern (see `_editor_glob`)
_MOST_STARS = 2


def _editor_glob(pattern: str) -> str | None:
    """luoshi's glob (`core.globs`) as a workspace-relative editor glob, or None when it
    names nothing.  `*`, `**` and `?` mean in the editor what they mean to luoshi (`*`
    and `?` within one segment, neither matching a hidden name).  Everything else is
    ledger text going into an editor's settings, read by another glob dialect, so it
    is made inert there, only ever widening the match by a character: a bracket
    expression (`[0-9]`, `[!x]`, read differently by each dialect) and any character
    outside `_PLAIN` (`{a,b}`, `(x|y)`, `!`, `\\`, an invisible or control character)
    become `?`, one character.  Beyond two `*` in a segment or two `**` in the
    pattern, the middle is dropped (`a*b*c*d` → `a*d`, `x/**/y/**/z/**/t` → `x/**/t`):
    the editor's regex of a many-star glob backtracks, in time that grows with the
    power of the stars, on each file name it tries."""
    from ..core.globs import bracket_end, segments

    segs = segments(pattern)
    if segs is None:
        return None
    out: list[str] = []
    for seg in segs:
        if seg == "**":
            if not out or out[-1] != "**":
                out.append(seg)
            continue
        text = ""
        i = 0
        while i < len(seg):
            c = seg[i]
            if c == "[" and (j := bracket_end(seg, i)) != -1:
                text += "?"
                i = j
            elif c == "*":
                text += "" if text.endswith("*") else "*"
            else:
                text += c if c == "?" or _plain(c) else "?"
            i += 1
        if text.count("*") > _MOST_STARS:
            text = text[:text.index("*") + 1] + text[text.rindex("*") + 1:]
        out.append(text)
    if out.count("**") > _MOST_STARS:
        first = out.index("**")
        out = out[:first + 1] + ([] if out[-1] == "**" else [out[-1]])
    return "/" + "/".join(out)


def _plain(c: str) -> bool:
    if c.isascii():
        return c.isalnum() or c in _PLAIN
    # a Hangul filler is a letter (Lo), U+2800 a symbol: invisible all the same
    return unicodedata.category(c)[0] in "LNPS" and INVISIBLE.match(c) is None


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def kind_of_file(rel: str) -> str | None:
    """The schema kind of ledger file `rel` in the default layout, or None."""
    if not rel.endswith((".yaml", ".yml")):
        return None
    return next((k for prefix, k in _KIND_OF
                 if rel == prefix or (prefix.endswith("/") and rel.startswith(prefix))), None)


def modeline(rel: str, kind: str | None = None) -> str | None:
    """The first line that points ledger file `rel` (a path from the ledger root) at
    its schema, relative to the file; None for a file without a schema."""
    kind = kind or kind_of_file(rel)
    if kind is None:
        return None
    up = "../" * rel.count("/")
    return f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{schema_file(kind)}\n"


def with_modeline(rel: str, data: bytes, kind: str | None = None) -> bytes:
    """`data` of ledger file `rel` with the modeline as its first line (after a BOM);
    unchanged when it has one already or the file has no schema."""
    line = modeline(rel, kind)
    if line is None or b"yaml-language-server" in data:
        return data
    bom = b"\xef\xbb\xbf"
    if data.startswith(bom):
        return bom + line.encode() + data[len(bom):]
    return line.encode() + data


# ---- this ledger's ids -------------------------------------------------------------

@dataclass(frozen=True)
class Refs:
    """The ids a ledger declares, each with its name: what completes a reference."""

    units: tuple[tuple[str, str], ...] = ()
    leaders: tuple[tuple[str, str], ...] = ()
    categories: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    deduction_categories: tuple[tuple[str, str], ...] = ()
    bonus_categories: tuple[tuple[str, str], ...] = ()
    #: leader titles (副区长), shown beside their names
    titles: dict[str, str] = field(default_factory=dict)


def refs_of(ledger: Ledger) -> Refs:
    scheme = ledger.scheme
    return Refs(
        units=tuple((u.id, u.name) for u in ledger.units.values()),
        leaders=tuple((p.id, p.name) for p in ledger.leaders.values()),
        categories=tuple((c.id, c.name) for c in ledger.config.categories),
        tags=tuple((t.id, t.name) for t in ledger.config.tags),
        deduction_categories=tuple((c.id, c.name) for c in scheme.deduction_categories)
        if scheme is not None else (),
        bonus_categories=tuple((c.id, c.name) for c in scheme.bonus_categories)
        if scheme is not None else (),
        titles={p.id: p.title for p in ledger.leaders.values() if p.title},
    )


#: (definition, property) → which of `Refs` its value (or each list item) names
REFERENCES: dict[tuple[str, str], str] = {
    ("task", "lead"): "units",
    ("task", "units"): "units",
    ("task", "cooperating"): "units",
    ("task", "leaders"): "leaders",
    ("task", "category"): "categories",
    ("task", "tags"): "tags",
    ("closed", "approved_by"): "leaders",
    ("adjustment", "approved_by"): "leaders",
    ("ranking_group", "units"): "units",
    ("applies_to", "units"): "units",
    ("deduction", "unit"): "units",
    ("deduction", "category"): "deduction_categories",
    ("bonus", "unit"): "units",
    ("bonus", "category"): "bonus_categories",
    ("record_flag", "unit"): "units",
    ("interview", "unit"): "units",
    ("rectification", "unit"): "units",
    ("when", "deductions_in"): "deduction_categories",
    ("when", "bonuses_in"): "bonus_categories",
    ("deductions_count", "in"): "deduction_categories",
}


def editor_schema(kind: str, lang: str = "zh", refs: Refs | None = None) -> dict[str, Any]:
    """`json_schema(kind)` with a description on every property (in `lang`) and,
    given `refs`, enums of the ledger's ids (with their names as the enum
    descriptions VS Code shows) on the properties that reference them."""
    from .schema import SPECS, json_schema  # not at import: `luoshi --help` stays light

    doc = copy.deepcopy(json_schema(kind))
    for name, definition in doc["definitions"].items():
        spec = SPECS[name]
        definition["description"] = _say(spec.label, lang)
        for key, prop in definition["properties"].items():
            prop["description"] = _say(describe(name, key), lang)
            if _free_text(prop):
                prop["description"] += _say(QUOTE_HINT, lang)
            what = REFERENCES.get((name, key))
            if refs is not None and what is not None:
                _add_enum(prop, getattr(refs, what), refs.titles if what == "leaders" else {},
                          lang)
    return doc


#: the hint on a free-text key, which the schema lets take a number (validate warns,
#: LS017; JSON Schema has no warnings): the editor's hover says what validate will
QUOTE_HINT = L("（数字、true/false 等请加引号，否则 validate 警告 LS017）",
               " (quote a number or true/false: validate warns otherwise, LS017)")


def _free_text(prop: dict[str, Any]) -> bool:
    """The property is free text, or a list of it (`Text(strict=False)`)."""
    from .schema import FREE_TEXT_TYPES

    one = prop.get("items", prop) if prop.get("type") == "array" else prop
    return one.get("type") == list(FREE_TEXT_TYPES)


def _say(label: L, lang: str) -> str:
    return label.zh if lang == "zh" else label.en


def _add_enum(prop: dict[str, Any], ids: Iterable[tuple[str, str]],
              titles: dict[str, str], lang: str = "zh") -> None:
    pairs = list(ids)
    if not pairs:
        return  # nothing declared yet: an empty enum would reject every value
    target = prop["items"] if prop.get("type") == "array" else prop
    target["enum"] = [i for i, _ in pairs]
    # names are ledger text: VS Code shows them in the completion list, where a bidi
    # override would reverse what the user picks, and `schema -k` prints them to stdout
    paren = "{}（{}）" if lang == "zh" else "{} ({})"
    shown = [printable(paren.format(n, titles[i]) if i in titles else n) for i, n in pairs]
    target["enumDescriptions"] = shown
    target["markdownEnumDescriptions"] = [f"**{_md(s)}**" for s in shown]


def _md(text: str) -> str:
    """Ledger text as literal Markdown: a unit named `*A*_B` shows as written (the
    editor renders these as Markdown, and a name is not markup)."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in " ".join(text.split()))


_MD_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~")


# ---- the words -----------------------------------------------------------------------
# in `key_labels` (the schema's LS101 reads them too, and may not import this module)
_KEYS = KEY_WORDS
_OVERRIDES = KEY_OVERRIDES


def describe(definition: str, key: str) -> L:
    """The words for one property: an override for this definition, else the key's."""
    from .schema import SPECS

    found = _OVERRIDES.get((definition, key)) or _KEYS.get(key)
    if found is None:
        raise KeyError(f"no description for {definition}.{key}")  # a test keeps this complete
    if key in ("id", "name") and (definition, key) not in _OVERRIDES:
        label = SPECS[definition].label
        en = label.en.removeprefix("a ").removeprefix("an ").removeprefix("the ")
        return L(f"{label.zh}{'编号' if key == 'id' else '名称'}", f"{en} {key}")
    return found


#: what `luoshi schema` (and `init`) leaves beside the schemas: each kind's fingerprint
#: (`schema_stamps`), so that `stale_schemas` need not read them
STAMPS = "stamps.json"
#: schemas written without stamps (by a luoshi before them) are compared whole, up to
#: this many bytes each (a ledger of a few hundred units); larger ones are not judged
_LEGACY_READ_LIMIT = 1024 * 1024


def schema_stamps(refs: Refs | None, kinds: Iterable[str] = KINDS) -> dict[str, str]:
    """Each kind's fingerprint as `luoshi schema` writes it: the format it describes
    (`json_schema`) and, with `refs`, the ids, names and titles its keys list — what
    the editor checks by.  Not the language of the descriptions: schemas in either
    language are current.  Written with `refs` whose lists are empty it differs from
    `--generic` (None): the first unit added then makes it out of date."""
    import hashlib
    import json

    from .schema import json_schema

    digests: dict[str, bytes] = {}

    def listed(what: str) -> bytes:
        if what not in digests:
            assert refs is not None
            pairs = getattr(refs, what)
            titles = refs.titles if what == "leaders" else {}
            digests[what] = hashlib.sha256(json.dumps(
                [[i, n, titles.get(i)] for i, n in pairs], ensure_ascii=False).encode()
            ).digest()
        return digests[what]

    out = {}
    for kind in kinds:
        doc = json_schema(kind)
        h = hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode())
        if refs is None:
            h.update(b"generic")
        else:
            definitions = doc["definitions"]
            for (name, key), what in sorted(REFERENCES.items()):
                if key in definitions.get(name, {}).get("properties", {}):
                    h.update(f"{name}.{key}:".encode() + listed(what))
        out[kind] = h.hexdigest()
    return out


def stale_schemas(root: Path, refs: Refs) -> tuple[str, ...]:
    """The kinds whose schema in `<root>/.luoshi/schema` is not what `luoshi schema`
    would write now: a unit, leader, category or tag added, renamed or removed since
    (the editor then underlines a valid new id), or a luoshi upgrade that changed the
    format.  Judged by the stamps written beside them (`schema_stamps`: a few
    milliseconds whatever the ledger's size — reading and comparing the schemas of
    10,000 units took 0.34 s); schemas written without stamps (an older luoshi) are
    compared whole while they are small.  Schemas written `--generic` list no ids and
    stay current.  Only regular files inside the ledger are read — a committed
    `.luoshi -> /elsewhere` is not followed — and a file that is missing, unreadable
    or not JSON is not judged: this is a hint, asked only of a ledger that validates.

    Why: the id lists are a snapshot of units.yaml and luoshi.yaml when the schemas
    were written; without this note, a clerk who adds a unit sees every task naming
    it underlined in red while `luoshi validate` says all is well."""
    import json

    directory = root / SCHEMA_DIR
    if not directory.is_dir():
        return ()
    stamps: Any = None
    raw = _read_inside(directory / STAMPS, root, 64 * 1024)
    if raw is not None:
        try:
            stamps = json.loads(raw)
        except (ValueError, RecursionError):
            stamps = None
    if not isinstance(stamps, dict):
        stamps = {}
    current = generic = None
    stale = []
    for kind in KINDS:
        stamp = stamps.get(kind)
        if isinstance(stamp, str):
            if not _regular_inside(directory / schema_file(kind), root):
                continue
            if current is None:
                current, generic = schema_stamps(refs), schema_stamps(None)
            assert generic is not None
            if stamp not in (current[kind], generic[kind]):
                stale.append(kind)
        elif _legacy_stale(directory / schema_file(kind), root, kind, refs):
            stale.append(kind)
    return tuple(stale)


def _legacy_stale(path: Path, root: Path, kind: str, refs: Refs) -> bool:
    """A schema written without a stamp, compared whole with what `luoshi schema` would
    write now in either language, without the descriptions (`_without_words`)."""
    import json

    text = _read_inside(path, root, _LEGACY_READ_LIMIT)
    if text is None:
        return False
    try:
        written = json.loads(text)
        if not isinstance(written, dict):
            return False
        ids = refs if _has_ids(written) else None
        written = _without_words(written)
    except (ValueError, RecursionError):  # not JSON, or nested past any schema
        return False
    return all(written != _without_words(editor_schema(kind, lang, ids))
               for lang in ("zh", "en"))


def _regular_inside(path: Path, root: Path) -> bool:
    import os
    import stat

    try:
        return (Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
                and stat.S_ISREG(os.lstat(path).st_mode))
    except (OSError, ValueError):
        return False


def _read_inside(path: Path, root: Path, limit: int) -> bytes | None:
    """`path`'s bytes when it is a regular file inside `root` reached through no
    link (checked on the open file), at most `limit` bytes; else None."""
    import os
    import stat

    try:
        if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
            return None
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        try:
            data = f.read(limit + 1)
        except OSError:
            return None
    return data if len(data) <= limit else None


def _has_ids(written: dict[str, Any]) -> bool:
    """Whether a written schema lists the ledger's ids anywhere (else it was written
    `--generic`): an `enum` on a property that names a unit, leader, category or tag
    (`REFERENCES`; a status's enum is the format's, not the ledger's)."""
    definitions = written.get("definitions")
    if not isinstance(definitions, dict):
        return False
    for (name, key) in REFERENCES:
        definition = definitions.get(name)
        props = definition.get("properties") if isinstance(definition, dict) else None
        prop = props.get(key) if isinstance(props, dict) else None
        if isinstance(prop, dict):
            items = prop.get("items")
            if "enum" in prop or (isinstance(items, dict) and "enum" in items):
                return True
    return False


#: what the whole comparison of `_legacy_stale` leaves out: the words, which depend on
#: the language the schemas were written in
_WORDS = frozenset({"description"})


def _without_words(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_words(v) for k, v in node.items() if k not in _WORDS}
    if isinstance(node, list):
        return [_without_words(v) for v in node]
    return node
