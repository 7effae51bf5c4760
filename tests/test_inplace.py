"""In-place YAML edits (`excel.inplace`): the one-pass splice equals the old one edit at
a time, and libyaml's node tree and values are the pure-Python reader's, so the
faster reader changes no edit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi_cli.excel import inplace
from luoshi_cli.excel.monthly import _Want, patch_tasks
from luoshi_cli.load.assemble import open_ledger

ROOT = Path(__file__).parent.parent
LEDGER_FILES = sorted(p for d in ("examples", "ledgers", "tests/cases/valid", "tests/fixtures")
                      for p in (ROOT / d).rglob("*.yaml") if ".luoshi-cache" not in p.parts)


@st.composite
def _edits(draw: Any) -> tuple[str, list[tuple[int, int, str]]]:
    """A text and edits that do not overlap (as the patchers make them): replacements
    of disjoint spans and inserts, several inserts at one place among them."""
    text = draw(st.text(alphabet="ab\n中😀", max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(cuts):
        start = cuts[i]
        if draw(st.booleans()) and i + 1 < len(cuts):  # a replacement [start, next cut)
            edits.append((start, cuts[i + 1], draw(st.text(alphabet="XY", max_size=3))))
            i += 2
        else:
            edits.append((start, start, draw(st.text(alphabet="PQ", min_size=1, max_size=3))))
            i += 1
    order = draw(st.permutations(range(len(edits))))
    return text, [edits[k] for k in order]


@given(_edits())
@settings(max_examples=400, deadline=None)
def test_one_pass_splice_equals_one_edit_at_a_time(case: tuple[str, list[Any]]) -> None:
    text, edits = case
    assert inplace.apply_edits(text, edits) == inplace._one_by_one(text, edits)


def test_overlapping_edits_keep_the_old_order() -> None:
    """A replacement and an insert at its start, in that order: the old splice's result
    (the insert lands inside the replaced text's place) — never silently reordered."""
    edits = [(2, 4, "XX"), (2, 2, "P")]
    assert inplace.apply_edits("abcdef", edits) == inplace._one_by_one("abcdef", edits)
    assert inplace.apply_edits("abcdef", [(1, 1, "P"), (1, 1, "Q"), (3, 5, "R")]) == "aPQbcRf"


def _marks(node: Any) -> list[Any]:
    """Every node with its place.  An empty scalar (a null: `k:`, `{a: , b: 1}`) has
    no text of its own, and the two readers put it at different ends of the gap
    before the next token (libyaml after the spaces); an edit there is read back and
    compared like every edit, so only its value is compared here."""
    out = []
    stack = [node]
    while stack:
        n = stack.pop()
        empty = isinstance(n, yaml.ScalarNode) and n.end_mark.index == n.start_mark.index
        out.append((type(n).__name__, n.tag,
                    None if empty else (n.start_mark.index, n.end_mark.index,
                                        n.start_mark.line, n.start_mark.column),
                    getattr(n, "style", None) or None,  # plain: libyaml "", PyYAML None
                    bool(getattr(n, "flow_style", None)),  # indentless: libyaml False
                    n.value if isinstance(n, yaml.ScalarNode) else None))
        if isinstance(n, yaml.MappingNode):
            for k, v in reversed(n.value):
                stack += [v, k]
        elif isinstance(n, yaml.SequenceNode):
            stack += reversed(n.value)
    return out


TEXTS = [
    "a: \"😀😀x\"\nb: [1, 2]\nc: 中文\r\nd: 3\n",
    "- id: T-1\n  title: 𠀀𠀁 提升\n  milestones:\n    - {due: 2024-03-31, what: 完成}\n",
    "# 注释\nperiod: 2024-Q1\nscores:\n  u1: {a: 89.994999999999999, b: 1_000.5}\n",
]


@pytest.mark.skipif(len(inplace._READERS) < 2, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", [*TEXTS, *LEDGER_FILES],
                         ids=lambda p: p.name if isinstance(p, Path) else repr(p[:12]))
def test_libyaml_reads_what_the_python_reader_reads(path: Any) -> None:
    """Every ledger file in the repository (and Chinese, astral and CRLF text): the same
    nodes at the same character positions, the same exact values (Decimal)."""
    text = path if isinstance(path, str) else path.read_text(encoding="utf-8")
    _same_reading(text)
    if isinstance(path, str) and "scores" in text:
        assert inplace.exact_load(text)["scores"]["u1"] == {
            "a": Decimal("89.994999999999999"), "b": Decimal("1000.5")}


def _same_reading(text: str) -> None:
    """The readers `inplace` would use on `text` agree (with each other, and with the
    Python reader on every node and value)."""
    plain = inplace.Reader(*inplace._READERS[-1])
    try:
        want_nodes, want_values = plain.compose(text), plain.load(text)
    except (yaml.YAMLError, RecursionError):
        return
    for reader in inplace.readers(text):
        try:
            nodes = reader.compose(text)
        except yaml.YAMLError:
            continue  # refused: the next reader edits
        assert (nodes is None) == (want_nodes is None)
        if nodes is not None:
            assert _marks(nodes) == _marks(want_nodes)
        assert reader.load(text) == want_values
        assert reader.construct(nodes) == want_values  # from the tree: not read again


_YAMLISH = st.lists(st.sampled_from([
    "a", "中", "😀", " ", "  ", "\n", "\r\n", "\r", "\t", "- ", ": ", "k: ", "{", "}", "[", "]",
    ", ", "'", '"', "#", "|", ">", "\x85", "\u2028", "\ufeff", "\u00a0", "1.5", "0.1", "&x ",
    "*x", "? ", "!!str ", "---", "...", "%"]), max_size=30).map("".join)


@given(_YAMLISH)
@settings(max_examples=1500, deadline=None)
def test_libyaml_places_generated_text_where_the_python_reader_does(text: str) -> None:
    _same_reading(text)


def test_a_byte_order_mark_is_read_by_the_python_reader() -> None:
    """libyaml does not count a leading BOM: its positions would be one short."""
    text = "\ufeffa: 1\n"
    assert len(inplace._READERS) == 1 or [r._nodes for r in inplace.readers(text)] == [
        yaml.SafeLoader]
    plain = inplace.Reader(*inplace._READERS[-1])
    assert plain.compose(text).value[0][1].start_mark.index == 4  # type: ignore[union-attr]


def test_libyaml_refusing_a_text_hands_the_edit_to_the_python_reader(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A text the fast reader refuses is edited by the pure-Python reader, with the
    result it gives on its own (here the fast reader refuses everything)."""
    root = ROOT / "examples" / "weinan-2021"
    ledger = open_ledger(root).ledger
    tasks = [t for t in ledger.tasks if t.src.file == ledger.tasks[0].src.file][:2]
    text = (root / tasks[0].src.file).read_text(encoding="utf-8")
    edits = [(t, _Want(update={"progress": Decimal(55), "note": "推进中"})) for t in tasks]
    with pytest.MonkeyPatch.context() as m:
        m.setattr(inplace, "_READERS", [inplace._READERS[-1]])
        want = patch_tasks(text, edits, "2021-07")

    class Refusing(yaml.SafeLoader):
        def get_single_node(self) -> Any:
            raise yaml.YAMLError("refused")

        def get_single_data(self) -> Any:
            raise yaml.YAMLError("refused")

    monkeypatch.setattr(inplace, "_READERS", [(Refusing, Refusing), inplace._READERS[-1]])
    assert want is not None and "2021-07" in want
    assert patch_tasks(text, edits, "2021-07") == want
    monkeypatch.setattr(inplace, "_READERS", [inplace._READERS[0]] * 2)
    assert patch_tasks(text, edits, "2021-07") is None  # both refuse: not edited
