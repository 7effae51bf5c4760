"""Numbers read as written (SPEC §4 v1.1): no binary float between the YAML text and
the Decimal.

yaml_rs reads `89.994999999999999` as the float 89.995 — more digits than a float
holds — and a score must be read as written.  For the rare file with such a number,
PyYAML's node tree of the same text is walked alongside the data, and each such float
becomes a `WrittenFloat` that keeps its text (`load.schema`'s numbers take
`Decimal(text)`).
"""

from __future__ import annotations

import re
from typing import Any

from .yaml_scan import for_positions
from .yaml_values import py_loader


class WrittenFloat(float):
    """A float that keeps the text it was written as; every other use sees a plain
    float."""

    text: str

    def __new__(cls, value: float, text: str) -> WrittenFloat:
        self = super().__new__(cls, value)
        self.text = text
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # the parse cache pickles data
        return (WrittenFloat, (float(self), self.text))


# a number with more significant digits than a float's repr keeps (≥ 16): rare, so
# only such files pay for reading their numbers' text again.  ASCII digits only: a
# YAML reader reads nothing else as a number, so only they can make a float (a run
# of fullwidth digits is text, kept exactly as written).
LONG_NUMBER = re.compile(r"(?<![\w.])[-+]?(?=(?:[0-9][._]?){16})[0-9][0-9_]*\.?[0-9_]*")
#: [0-9._] → 1, any other byte → 0: sixteen 1s in a row are where a match may be
_RUN_TABLE = bytes(1 if b in b"0123456789._" else 0 for b in range(256))
_RUN = b"\x01" * 16


def has_long_number(text: str, raw: bytes | None = None) -> bool:
    """Whether `LONG_NUMBER` occurs in `text` (exactly: the cheap search only rules
    files out).  `raw`: the text as UTF-8, when the caller has it already.

    Every file is asked, and regular expressions walk a file character by character
    (2 ms per 270 KB file, 3 CPU-s per 100,000 tasks).  Bytes are faster: a match is
    16 bytes of [0-9._] in a row, found by one `bytes.translate` and a substring
    search."""
    if raw is None:
        raw = text.encode("utf-8", "surrogatepass")
    return _RUN in raw.translate(_RUN_TABLE) and LONG_NUMBER.search(text) is not None


def written_numbers(text: str, data: Any) -> Any:
    """Give every float of `data` whose written text holds more digits than the float
    its text, by walking PyYAML's node tree of the same text alongside.  Where the two
    readers disagree (a YAML 1.1/1.2 corner) the value is left as it is."""
    import yaml

    try:
        node = yaml.compose(for_positions(text), Loader=py_loader())
    except (yaml.YAMLError, RecursionError, ValueError):
        return data
    return _with_text(node, data) if node is not None else data


def _with_text(node: Any, data: Any) -> Any:
    import yaml  # imported already (`written_numbers`): a look-up

    if type(data) is float and isinstance(node, yaml.ScalarNode) and not node.style:
        written = node.value.replace("_", "")
        try:
            if float(written) == data:
                return WrittenFloat(data, written)
        except ValueError:
            pass
        return data
    if isinstance(data, dict) and isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value in data and k.value != "<<":
                data[k.value] = _with_text(v, data[k.value])
        return data
    if isinstance(data, list) and isinstance(node, yaml.SequenceNode) and len(
            node.value) == len(data):
        return [_with_text(n, d) for n, d in zip(node.value, data, strict=True)]
    return data
