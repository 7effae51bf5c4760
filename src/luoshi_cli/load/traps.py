"""YAML 1.1 traps (LS016, LS017): whether a value is one, decided in one place.

A ledger is read as YAML 1.2 (`yaml_fast`), where `no`, `on` and `1:30` are text as
a clerk means them; PyYAML and most converters (YAML 1.1) read them as a boolean or
a number.  Whether such a value is a trap depends on how it was written — quoted it
is text for every reader — and the fast reader does not say.  So the schema layer
marks the finding as a candidate (the `MARK` parameter, one of the two markers
below), and `positions`, which finds the value's node anyway, asks `settle` with the
node's text and quoting style and applies the `Trap` it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.codes import L

#: the finding parameter that carries a marker (removed once settled)
MARK = "candidate"
#: the fast reader kept text that a YAML 1.1 reader may read otherwise (`no`, `1:30`):
#: a trap only if written plain and YAML 1.1 makes a non-text value of it
TEXT_CANDIDATE = "1"
#: the fast reader made a date of the value (yaml_rs does, quoted or not): a trap
#: unless the node was quoted
QUOTED_IS_TEXT = "quoted"


@dataclass(frozen=True, slots=True)
class Written:
    """A scalar as the file has it: its text and PyYAML's style (None or "" when
    plain, a quote character or block indicator otherwise)."""

    value: str
    style: str | None

    @property
    def plain(self) -> bool:
        return self.style in (None, "")


@dataclass(frozen=True, slots=True)
class Trap:
    """The finding stands.  `written`: the text as written, when the node was found
    (None: the finding keeps its parameters); `kind`: what a YAML 1.1 reader makes of
    it (None: the finding's own `kind` stays)."""

    written: str | None = None
    kind: L | None = None


def settle(mark: str | None, node: Written | None) -> Trap | None:
    """Whether a trap finding stands (a `Trap`) or is dropped (None).

    `mark` is the finding's marker (`TEXT_CANDIDATE`, `QUOTED_IS_TEXT`, or None for a
    definite one: the fast reader itself produced a number); `node` the scalar the
    finding's path leads to (None when there is none, or it is not a scalar).
    A candidate is a trap only if it was written plain and a YAML 1.1 reader would
    turn it into something else; a date is one unless it was quoted; a definite one
    always stays.
    """
    candidate = mark == TEXT_CANDIDATE
    if node is None:
        return None if candidate else Trap()
    if not node.plain and (candidate or mark == QUOTED_IS_TEXT):
        return None  # quoted: the author meant text
    kind = yaml11_kind(node.value)
    if kind is None and candidate:
        return None
    return Trap(node.value, kind)


def yaml11_kind(raw: str) -> L | None:
    """How a YAML 1.1 reader (PyYAML, most converters) reads a plain scalar: the
    number a clerk would actually get, e.g. 0571 → 377 (octal), 1:30 → 90."""
    import yaml  # here: only a file with a trap finding needs PyYAML

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
