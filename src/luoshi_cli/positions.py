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
            if f.code in _TRAP_CODES and exact and isinstance(target, yaml.ScalarNode):
                if target.style not in (None, ""):
                    continue  # quoted: the author meant text, no trap
                f = replace(f, params=_with_raw(f.params, target.value))
            if target is None:
                out.append(f.with_position(1, 1))
            else:
                out.append(f.with_position(target.start_mark.line + 1,
                                           target.start_mark.column + 1))
    return out


Params = tuple[tuple[str, str | L], ...]


def _with_raw(params: Params, raw: str) -> Params:
    return _with(params, "value", raw)


def _with(params: Params, key: str, value: str) -> Params:
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
