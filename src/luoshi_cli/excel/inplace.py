"""In-place YAML edits (就地修改): set values in a ledger file without rewriting it.

`import scores` lays a sheet over a record and `import updates` writes a month's
reports into task files that people typed by hand, with comments, quoting and an
order of their own.  Each edit is a splice of the file's text at the positions
PyYAML's node tree gives (a value replaced, an entry appended to its mapping or
sequence); the caller reads the result back and compares it with the values the
edits should give, so anything the splices would have disturbed is caught and the
file is left alone (or rewritten from its values, where the caller says so).

Why libyaml: the edited files are whole task files and records — 270 KB and 333 tasks
in a province's ledger, 100,000 scores in one record.  PyYAML's pure-Python reader
takes 0.5–0.7 s per pass over such a file and an edit read it three times (the node
tree, the values before, the values after): a month's reports into 300 files took
minutes.  The C reader gives the same nodes, marks and values about four times
faster, and the values before are now built from the tree (`Reader.construct`).  Where
it refuses a text (a corner where libyaml and PyYAML's own scanner differ) the
pure-Python reader does the whole edit instead, so an edit is never refused that the
pure-Python reader would have made.  The marks count characters in both (tests/
test_inplace.py compares them on every ledger file here and on generated text), but
for a byte-order mark, which libyaml drops: a text with one is read by the
pure-Python reader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..core.collector import paused
from .yamlout import FlowMap, dump


@dataclass(frozen=True)
class TextForm:
    """What a ledger file holds besides its YAML: a byte-order mark (Windows Notepad
    saves one) and CRLF line ends (a checkout with `core.autocrlf`, an editor on
    Windows).  Edits in place are made on the plain text — no mark, LF — on which
    every reader and every splice position agree, and `restore` gives the result
    back in the file's own form: an import changes the lines it edits, not every
    line of the file (`git diff` showed the whole file rewritten).  A file mixing
    line ends, or ending lines with a lone CR, comes back with LF, as a reader with
    universal newlines reads it."""

    bom: bool = False
    crlf: bool = False

    @classmethod
    def of(cls, raw: str) -> tuple[str, TextForm]:
        """The plain text of `raw` (as read with `newline=""`) and its form."""
        bom = raw.startswith("\ufeff")
        if bom:
            raw = raw[1:]
        crlf = "\r\n" in raw and raw.count("\r\n") == raw.count("\n") == raw.count("\r")
        if "\r" in raw:
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        return raw, cls(bom, crlf)

    @classmethod
    def read(cls, path: Path) -> tuple[str, TextForm]:
        """A file's plain text and form (OSError, UnicodeDecodeError as `open`)."""
        with open(path, encoding="utf-8", newline="") as f:
            return cls.of(f.read())

    def restore(self, text: str) -> str:
        """Plain `text` in this form."""
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return "\ufeff" + text if self.bom else text


def plain_text(path: Path) -> str:
    """A file's text as the in-place edits see it (`TextForm`)."""
    return TextForm.read(path)[0]


class CannotPatch(Exception):
    """An edit that cannot be placed safely (a merge key, block text, an empty
    collection, a duplicate key)."""


class _ExactLoader(yaml.SafeLoader):
    """Numbers as written (Decimal, never a binary float), as the ledger reads them."""


def _exact_float(loader: Any, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        d = Decimal(text)
    except InvalidOperation:
        return loader.construct_yaml_float(node)
    return d if d.is_finite() else loader.construct_yaml_float(node)


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _exact_float)


class _KnownTags:
    """A loader's tag of each plain scalar, resolved once per text: PyYAML resolves
    every scalar with regular expressions in Python, a third of libyaml's read of a
    task file — most of them keys and dates that repeat hundreds of times."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)  # type: ignore[misc]
        known: dict[str, Any] = self.__dict__.setdefault("_known_tags", {})
        tag = known.get(value)
        if tag is None:
            tag = known[value] = super().resolve(kind, value, implicit)  # type: ignore[misc]
        return tag


#: (node tree loader, exact value loader) pairs, fastest first: one pair reads every
#: pass of one edit, so the values before and after come from the same reader
_READERS: list[tuple[Any, Any]] = []
if getattr(yaml, "__with_libyaml__", False):
    class _NodesCLoader(_KnownTags, yaml.CSafeLoader):
        """libyaml's node trees."""

    class _ExactCLoader(_KnownTags, yaml.CSafeLoader):
        """`_ExactLoader` on libyaml."""

    _ExactCLoader.add_constructor("tag:yaml.org,2002:float", _exact_float)
    _READERS.append((_NodesCLoader, _ExactCLoader))
_READERS.append((yaml.SafeLoader, _ExactLoader))


class Reader:
    """One YAML reader's two passes: the node tree (with marks) and the exact values."""

    def __init__(self, nodes: Any, values: Any) -> None:
        self._nodes = nodes
        self._values = values

    def compose(self, text: str) -> yaml.Node | None:
        return yaml.compose(text, Loader=self._nodes)

    def load(self, text: str) -> Any:
        return yaml.load(text, Loader=self._values)

    def construct(self, node: yaml.Node | None) -> Any:
        """The exact values of a node tree `compose` made: `load` of the same text
        without reading it a second time."""
        if node is None:
            return None
        loader = self._values("")
        try:
            return loader.construct_document(node)
        finally:
            loader.dispose()


def readers(text: str) -> Iterator[Reader]:
    """The readers to try on `text`, fastest first (see the module's docstring): the
    next one only after the previous one raised `yaml.YAMLError`.  A text with a
    byte-order mark (a file saved by Windows Notepad) is read by the Python reader
    only: libyaml drops the mark wherever it stands, so its positions would be one
    character short of the text's, and a mark inside the text is not a value."""
    pairs = _READERS[-1:] if "\ufeff" in text else _READERS
    for nodes, values in pairs:
        yield Reader(nodes, values)


def with_reader(text: str, edit: Callable[[Reader], Any]) -> Any:
    """`edit(reader)` with the fastest reader of `text` (`readers`): a
    `yaml.YAMLError` of libyaml means the edit is made again with the pure-Python
    reader; that reader's error is the caller's."""
    *fast, last = list(readers(text))
    with paused():  # node trees of whole files: the collector made it quadratic
        for reader in fast:
            try:
                return edit(reader)
            except yaml.YAMLError:
                continue
        return edit(last)


def exact_load(text: str) -> Any:
    """The values of `text`, numbers as written (Decimal)."""
    return with_reader(text, lambda r: r.load(text))


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, new) edit applied.  Of two inserts at one place
    the earlier one in `edits` comes first in the text, so an inner mapping's entry
    added before its enclosing mapping's ends up above it.  The one splice every
    in-place YAML edit goes through (scores, monthly updates).

    One pass over the edits in text order (a list of pieces joined once): applying
    them one by one from the end copied the whole text per edit, which is quadratic
    — 2,000 updates in one task file.  Edits that overlap (never made by luoshi's
    own patchers) are applied one by one from the end, as before."""
    order = sorted(range(len(edits)), key=lambda i: (edits[i][0], i))
    pieces: list[str] = []
    at = 0
    for i in order:
        start, end, new = edits[i]
        if start < at:
            return _one_by_one(text, edits)
        pieces += [text[at:start], new]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def _one_by_one(text: str, edits: list[tuple[int, int, str]]) -> str:
    out = text
    for _, (start, end, new) in sorted(enumerate(edits), key=lambda e: (e[1][0], e[0]),
                                       reverse=True):
        out = out[:start] + new + out[end:]
    return out


def last_line_node(node: yaml.Node) -> yaml.Node:
    """The node that ends on the last line of a block collection (its last value,
    followed down through nested block collections); `CannotPatch` for an empty
    collection."""
    last = node
    while isinstance(last, (yaml.MappingNode, yaml.SequenceNode)) and not last.flow_style:
        if not last.value:
            raise CannotPatch
        tail = last.value[-1]
        last = tail[1] if isinstance(tail, tuple) else tail
    return last


def after_last_line(text: str, node: yaml.Node) -> int:
    """Where a line appended after block collection `node` goes: the start of the
    line after the one its last value ends on (`len(text)` at the end of a text with
    no final line break: the caller adds one).  A block scalar (| or >) ends where
    its text does: its end mark lies beyond it, past the blank lines that follow
    (a `|+` scalar keeps those; the caller's read-back refuses such an edit)."""
    last = last_line_node(node)
    end = last.end_mark.index
    if isinstance(last, yaml.ScalarNode) and last.style in ("|", ">"):
        end = len(text[:end].rstrip())
    nl = text.find("\n", end)
    return len(text) if nl < 0 else nl + 1


def dash_column(text: str, seq: yaml.SequenceNode) -> int:
    """The column of the `-` of block sequence `seq`'s items: where its first dash
    stands, however the item follows it (`-   month: …`, or `-` alone on its line,
    or `- # a comment`; the first item's column less two was the wrong place)."""
    at = seq.start_mark.index
    if seq.flow_style or text[at:at + 1] != "-":
        raise CannotPatch
    return int(seq.start_mark.column)


def unshared(value: Any) -> Any:
    """A copy of plain YAML data in which no list or mapping appears twice.  A deep
    copy keeps what a YAML alias shares (`longbei: *s`): a value set through one name
    changed the other too, and the read-back, comparing with that copy, agreed."""
    if isinstance(value, dict):
        return {k: unshared(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unshared(v) for v in value]
    return value


def show(value: Any) -> str:
    """A value as the record would write it (87.5, {unit: x, points: 2})."""
    return entry("v", value)[len("v: "):]


def flowed(value: Any) -> Any:
    """`value` with every mapping in flow style."""
    if isinstance(value, dict):
        return FlowMap({str(k): flowed(v) for k, v in value.items()})
    if isinstance(value, list):
        return [flowed(v) for v in value]
    return value


def entry(key: str, value: Any) -> str:
    """`key: value` in flow style, quoted where a YAML reader could misread it."""
    text = dump(FlowMap({key: flowed(value)})).strip()
    return text[1:-1]


def child(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    """The value of `key` in mapping `node` (None: not there; `CannotPatch`: twice)."""
    hits = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    if len(hits) > 1:
        raise CannotPatch
    return hits[0] if hits else None


def _children(node: yaml.MappingNode) -> dict[str, yaml.Node | None]:
    """`child` for every key of `node` at once (None: the key is there twice): a
    record's `scores:` holds 10,000 units, and looking each unit of a sheet up by
    `child` scanned them all — quadratic."""
    out: dict[str, yaml.Node | None] = {}
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode):
            out[k.value] = None if k.value in out else v
    return out


def patch_map(text: str, node: yaml.MappingNode, want: dict[str, Any],
              edits: list[tuple[int, int, str]]) -> None:
    """Edits setting `want`'s values in mapping `node` (nested mappings followed
    down; keys it lacks appended at its end)."""
    if node.tag != "tag:yaml.org,2002:map" or any(k.tag == "tag:yaml.org,2002:merge"
                                                  for k, _ in node.value):
        raise CannotPatch
    missing: dict[str, Any] = {}
    children = _children(node) if len(want) > 1 else None
    for key, value in want.items():
        if children is None:
            found = child(node, key)
        elif key in children:
            found = children[key]
            if found is None:
                raise CannotPatch  # the key twice
        else:
            found = None
        if found is None:
            missing[key] = value
        elif isinstance(value, dict):
            if not isinstance(found, yaml.MappingNode):
                raise CannotPatch  # `scores:` with nothing under it, or not a mapping
            patch_map(text, found, value, edits)
        elif isinstance(found, yaml.ScalarNode):
            if found.style in ("|", ">"):
                raise CannotPatch
            edits.append((found.start_mark.index, found.end_mark.index, show(value)))
        else:
            raise CannotPatch
    if missing:
        edits.append(_insert(text, node, missing))


def _insert(text: str, node: yaml.MappingNode, entries: dict[str, Any]) -> tuple[int, int, str]:
    """An edit adding `entries` at the end of mapping `node`."""
    if node.flow_style:
        at = node.end_mark.index - 1
        if text[at:at + 1] != "}":
            raise CannotPatch
        body = ", ".join(entry(k, v) for k, v in entries.items())
        before = text[node.start_mark.index + 1:at].strip()
        return at, at, (", " + body if before else body)
    if not node.value:
        raise CannotPatch
    indent = node.value[0][0].start_mark.column
    at = after_last_line(text, node)
    lines = "".join(_block(k, v, indent) for k, v in entries.items())
    if at == len(text) and not text.endswith("\n"):
        return at, at, "\n" + lines
    return at, at, lines


def _block(key: str, value: Any, indent: int) -> str:
    """Lines of a block entry: nested mappings of mappings stay block, leaves flow."""
    pad = " " * indent
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        head = entry(key, 0).rsplit(" ", 1)[0]  # `key:`, quoted as needed
        return pad + head + "\n" + "".join(_block(k, v, indent + 2) for k, v in value.items())
    return pad + entry(key, value) + "\n"
