"""Line and column for findings, paid for only by files that have findings.

The fast reader gives data without positions.  A finding made during checking
carries the key path of the offending value; here each file with such findings is
composed once with PyYAML (nodes carry marks) and every path is followed to its node.
This also settles the YAML 1.1 trap candidates (LS016/LS017): a value like `no` is a
trap only when it was written plain, not quoted, which only the node knows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import yaml

from .codes import L
from .finding import Finding, KeyPath
from .load import _PyLoader

Reader = Callable[[str], str | None]

_TRAP_CODES = ("LS016", "LS017")


def resolve(findings: Iterable[Finding], read: Reader) -> list[Finding]:
    """Fill line/col of findings that only have a path; drop refuted trap candidates."""
    out: list[Finding] = []
    pending: dict[str, list[Finding]] = defaultdict(list)
    roots: dict[str, yaml.Node | None] = {}

    def root_of(rel: str) -> yaml.Node | None:
        if rel not in roots:
            roots[rel] = _compose(read(rel))
        return roots[rel]

    def place(rel: str, path: KeyPath, on_key: bool) -> tuple[int, int]:
        node, key_node, _ = _follow(root_of(rel), path)
        target = key_node if (on_key and key_node is not None) else node
        if target is None:
            return 1, 1
        return target.start_mark.line + 1, target.start_mark.column + 1

    resolved_related: list[Finding] = []
    for f in findings:
        if f.related is not None:
            rel, rpath = f.related
            line, _ = place(rel, rpath, False)
            f = replace(f, related=None, params=_with(f.params, "first", f"{rel}:{line}"))
        resolved_related.append(f)
    for f in resolved_related:
        if f.line == 0 and f.path is not None:
            pending[f.file].append(f)
        elif f.line == 0:
            out.append(f.with_position(1, 1))
        else:
            out.append(f)
    for rel, group in pending.items():
        root = root_of(rel)
        for f in group:
            node, key_node, exact = _follow(root, f.path or ())
            target = key_node if (f.on_key and key_node is not None) else node
            if f.code in _TRAP_CODES:
                settled = _settle_trap(f, target if exact else None)
                if settled is None:
                    continue
                f = settled
            if target is None:
                out.append(f.with_position(1, 1))
            else:
                out.append(f.with_position(target.start_mark.line + 1,
                                           target.start_mark.column + 1))
    return out


Params = tuple[tuple[str, str | L], ...]


def _with_raw(params: Params, raw: str) -> Params:
    return _with(params, "value", raw)


def _settle_trap(f: Finding, node: yaml.Node | None) -> Finding | None:
    """Keep a YAML-trap finding only when it is one; give it the text as written.

    A *candidate* (the fast reader kept text, e.g. `no`) is a trap only if it was
    written plain and a YAML 1.1 reader would turn it into something else.  A
    definite one (the fast reader itself produced a number) always stays.
    """
    params = dict(f.params)
    candidate = params.get("candidate") == "1"
    clean = tuple((k, v) for k, v in f.params if k != "candidate")
    if not isinstance(node, yaml.ScalarNode):
        return None if candidate else replace(f, params=clean)
    if candidate and node.style not in (None, ""):
        return None  # quoted: the author meant text
    kind = yaml11_kind(node.value)
    if kind is None:
        if candidate:
            return None
        old = params.get("kind")
        kind = old if isinstance(old, L) else L(str(old), str(old))
    return replace(f, params=_with(_with_raw(clean, node.value), "kind", kind))


def yaml11_kind(raw: str) -> L | None:
    """How a YAML 1.1 reader (PyYAML, most converters) reads a plain scalar: the
    number a clerk would actually get, e.g. 0571 → 377 (octal), 1:30 → 90."""
    try:
        value = yaml.safe_load(raw)
    except (yaml.YAMLError, ValueError):
        value = None
    if isinstance(value, bool):
        word = str(value).lower()
        return L(f"布尔值 {word}", f"the boolean {word}")
    if isinstance(value, int):
        if raw.lstrip("+-").startswith("0") and raw.lstrip("+-") not in ("0",) and "x" not in raw:
            return L(f"八进制数字 {value}", f"the octal number {value}")
        return L(f"数字 {value}", f"the number {value}")
    if isinstance(value, float):
        return L(f"数字 {value}", f"the number {value}")
    if hasattr(value, "isoformat"):
        return L(f"日期 {value.isoformat()}", f"the date {value.isoformat()}")
    return None


def _with(params: Params, key: str, value: str | L) -> Params:
    return tuple((k, value if k == key else v) for k, v in params)


def _compose(text: str | None) -> yaml.Node | None:
    if text is None:
        return None
    try:
        return yaml.compose(text, Loader=_PyLoader)
    except (yaml.YAMLError, RecursionError):
        try:  # several documents: positions refer to the first
            for doc in yaml.compose_all(text, Loader=_PyLoader):
                return doc
        except (yaml.YAMLError, RecursionError):
            return None
    return None


def _follow(
    root: yaml.Node | None, path: KeyPath
) -> tuple[yaml.Node | None, yaml.Node | None, bool]:
    """The node at `path` (or the deepest existing ancestor), its key node, and
    whether the whole path was found."""
    node: Any = root
    key_node: yaml.Node | None = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = None
            for k, v in node.value:  # the last duplicate wins, as in the data
                if isinstance(k, yaml.ScalarNode) and _same_key(k, step):
                    found = (k, v)
            if found is None:
                return node, key_node, False
            key_node, node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                return node, key_node, False
            key_node, node = None, node.value[step]
        else:
            return node, key_node, False
    return node, key_node, node is not None


def _same_key(k: yaml.ScalarNode, step: str | int) -> bool:
    if k.value == str(step):
        return True
    if isinstance(step, int) and not isinstance(step, bool):
        try:
            return int(k.value, 0) == step
        except ValueError:
            return False
    return False
