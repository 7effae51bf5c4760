"""Ledger YAML as a person would write it, safe for every reader.

Text that a YAML reader could take for something else is quoted: PyYAML already
quotes what YAML 1.1 would misread (`no`, `0571`, `1:30`, `2024-05-31` as text),
and this dumper also quotes what YAML 1.2 readers (yaml-rs, luoshi's fast path)
would misread (`1e3`, `0o17`, `null`, `2024-05-06 10:00`).  Dates are real YAML dates.  Lists of ids
and milestones are written in flow style, as in the example ledgers, so that a
review diff shows one milestone per line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml

_YAML12_NON_STR = re.compile(
    r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|null|Null|NULL|~|true|True|TRUE|false|False|FALSE"
    # a date with a time: yaml-rs reads `2024-05-06 10:00` (no seconds, which YAML
    # 1.1 and so PyYAML require) as a datetime; any text that starts so is quoted
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt \t].*)\Z")


class Flow(list[Any]):
    """A list written inline: [a, b]."""


class FlowMap(dict[str, Any]):
    """A mapping written inline: {due: 2024-03-31, standard: …}."""


class Quoted(str):
    """Text always written in double quotes (months: "2024-05", as the examples do)."""

    __slots__ = ()


try:  # the C emitter: ten times faster on thousands of tasks
    _Base: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeDumper


class _Dumper(_Base):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        # a ledger file is read by people: never &id001 / *id001, even for shared values
        return True


#: characters YAML 1.1 (PyYAML, libyaml) reads as line breaks and YAML 1.2 (yaml-rs,
#: luoshi's reader) as text: in a single-quoted or plain scalar the emitter folds them
#: as line breaks with the next line's indentation, which a 1.2 reader keeps as
#: spaces ('第一行\u2028      第二行'); double-quoted, they are escapes both read alike
_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


#: bidi marks, overrides and isolates: written as escapes (`\u202e`), as the line and
#: paragraph separators are, so that a task file read in an editor, a diff or a review
#: shows the text in the order it is stored (a cell's U+202E reached the YAML raw, and
#: reversed what followed on screen); every reader reads the escape back as the mark
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "'" if _YAML12_NON_STR.match(data) else None
    if _BREAKS.search(data) or _BIDI.search(data):
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _quoted(dumper: yaml.SafeDumper, data: Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _flow(dumper: yaml.SafeDumper, data: Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _flowmap(dumper: yaml.SafeDumper, data: FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _decimal(dumper: yaml.SafeDumper, data: Decimal) -> yaml.ScalarNode:
    if data == data.to_integral_value():
        return dumper.represent_int(int(data))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(data.normalize(), "f"))


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Quoted, _quoted)
_Dumper.add_representer(Flow, _flow)
_Dumper.add_representer(FlowMap, _flowmap)
_Dumper.add_representer(Decimal, _decimal)


def dump(data: Any) -> str:
    """YAML text; nested block lists are indented under their key, as people write
    them.  The emitter writes a list that is a key's value at the key's own column
    ("indentless"); each such list is moved two columns right, with every line
    inside it (the keys of its items, and lists nested in those, which move again).
    Whole lines move, so a scalar folded over several lines keeps its meaning:
    a continuation line's leading spaces are not part of the text."""
    text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=100000)
    if _BIDI.search(text):
        # the emitter writes them raw (YAML counts them printable); each stands in a
        # double-quoted scalar (`_str`), where `\u202e` is the same character
        text = _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    out = []
    lists: list[int] = []  # the emitter's columns of the indentless lists we are inside
    key_at = -1  # the column of the previous line's key when it has no value after it
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        dash = stripped.startswith("- ")
        while lists and (indent < lists[-1] or (indent == lists[-1] and not dash)):
            lists.pop()
        if dash and indent and indent == key_at and (not lists or lists[-1] != indent):
            lists.append(indent)
        out.append(" " * (indent + 2 * len(lists)) + stripped)
        body = stripped
        column = indent
        while body.startswith("- "):
            body, column = body[2:], column + 2
        key_at = column if body.rstrip("\r\n").endswith(":") else -1
    return "".join(out)


def dump_tasks(tasks: list[dict[str, Any]], header: str = "") -> str:
    """A task file: a list of tasks, a blank line between tasks."""
    text = dump(tasks)
    body = text.replace("\n- ", "\n\n- ")
    head = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return head + body
