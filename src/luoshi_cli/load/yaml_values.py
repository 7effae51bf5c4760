"""A value as YAML reads it back: PyYAML's loader, and a value written after `key: `
in a slip's fix (`as_value`).  Its own module so that the schema layer, which words
such fixes too, need not import the slow path that uses it."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any


@cache
def py_loader() -> Any:
    """PyYAML's safe loader: the C one when PyYAML was built with libyaml.

    PyYAML is imported here, when a file first needs it (a finding to place, a file
    the fast reader refused, a long number): 10 ms of every run's start-up that a
    clean ledger never uses."""
    import yaml

    try:
        return yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on the PyYAML build
        return yaml.SafeLoader


#: a value that cannot stand plain after `key: `: it starts with an indicator (an
#: alias, anchor, list, mapping, quote, tag, block …) or holds a `: ` or ` #`
_NOT_PLAIN = re.compile(r"""^(?:[-?:](?:[ \t]|$)|[,\[\]{}#&*!|>'"%@`])|:(?:[ \t]|$)|[ \t]#""")


@lru_cache(maxsize=4096)
def as_value(value: str, collection: bool = True) -> str:
    """`value` as it can be written after `key: ` and read back as what the clerk
    meant: plain when it can be, else single-quoted (double-quoted, JSON's escapes,
    when it holds a single quote).  The fix a hint shows must itself be right (review:
    `title：*a` was told to write `title: *a`, an undefined alias; `title：重点 #3号`
    lost `#3号`).

    A value that is one whole YAML node by itself stays as written: a quoted text
    (`'重点项目开复工'`, `"2024-03"`: quoting it again kept the quote marks in the
    text) and, where the key takes one (`collection`), a list or a mapping in
    brackets (`[nanyuanmen, baishulin]`: quoted, it was text where a list belongs).
    What goes on after its closing quote or bracket (`[重点]背街小巷整治`) is quoted
    whole, and so is a plain word YAML 1.1 reads as no text (`no`, `1:30`)."""
    import json

    if not value:
        return value
    if _NOT_PLAIN.search(value) is None:
        if not _yaml11_other(value):
            return value
    elif _whole_node(value, collection):
        return value
    return f"'{value}'" if "'" not in value else json.dumps(value, ensure_ascii=False)


def _whole_node(value: str, collection: bool) -> bool:
    """Whether `key: value` reads as one key whose value is `value` whole: a quoted
    text, or (`collection`) a list or mapping in brackets — ending where `value`
    ends, with nothing after it."""
    import yaml

    if value[0] not in "'\"[{" or (value[0] in "[{" and not collection):
        return False
    text = f"k: {value}"
    try:
        root = yaml.compose(text, Loader=py_loader())
        yaml.load(text, Loader=py_loader())  # constructs: a tag or alias it refuses
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return False
    if not isinstance(root, yaml.MappingNode) or len(root.value) != 1:
        return False
    node = root.value[0][1]
    whole = (node.style in ("'", '"') if isinstance(node, yaml.ScalarNode)
             else bool(node.flow_style))
    return whole and node.end_mark.index == len(text)


#: what YAML 1.1 may read as a boolean or a number: the words, or digits and signs
_MAYBE_NOT_TEXT = re.compile(r"(?i:y|n|yes|no|on|off|true|false)|[-+.0-9][0-9A-Za-z_:.+-]*")


def _yaml11_other(value: str) -> bool:
    """A plain `value` that YAML 1.2 (yaml_rs, luoshi's reader) reads as text and YAML
    1.1 (PyYAML, most converters) as a boolean or a number: `no`, `on`, `1:30` (a
    trap, LS016)."""
    import yaml
    import yaml_rs

    if len(value) > 32 or _MAYBE_NOT_TEXT.fullmatch(value) is None:
        return False  # (not worth two parses: a slip may repeat on 100,000 lines)
    text = f"k: {value}"
    try:
        rs, py = yaml_rs.loads(text), yaml.load(text, Loader=py_loader())
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return False
    return (isinstance(rs, dict) and isinstance(rs.get("k"), str)
            and isinstance(py, dict) and isinstance(py.get("k"), (bool, int, float)))
