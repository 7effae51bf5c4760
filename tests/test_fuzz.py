"""Property-based fuzzing of the loader and of `validate` (hypothesis).

Two sources of bad input: generated YAML-ish text (structure characters, CJK, the
ideographic space, NUL, surrogates encoded as bytes, random bytes, other encodings)
and the 渭南 example ledger with random edits (a line deleted, duplicated or swapped,
a number changed, a tab inserted, a character replaced, the file truncated).
Whatever comes in, no exception escapes and every finding carries a known code and a
valid position: the file is in the ledger, 1 ≤ line ≤ its lines + 1, column ≥ 1.

Runs are reproducible and bounded: derandomized, no example database, a fixed number
of examples (about 20 s in all).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLE
from fuzzing import fuzz
from luoshi_cli.core.codes import CODES
from luoshi_cli.core.finding import Finding
from luoshi_cli.load.read import decode
from luoshi_cli.load.source import Source
from luoshi_cli.load.yaml_fast import parse
from luoshi_cli.ops.validate import validate
from luoshi_cli.report.findings import render_json, render_text

AS_OF = date(2024, 5, 31)
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:error|warning) LS\d{3} ")

# --- generated YAML-ish input ----------------------------------------------------------

TOKENS = [
    "\n", "\n", "  ", "    ", "- ", ": ", ":", "[", "]", "{", "}", ", ", "&a ", "*a", "&b ",
    "*b", "---\n", "...\n", "? ", "| \n", "> \n", "# ", "'", '"', "\\", "\t", "\u3000",
    "\r\n", "!!str ", "!!binary ", "%YAML 1.2\n", "<<: ", "id", "title", "milestones",
    "due", "T-001", "fgw", "2024-02-30", "2024-05-31", "no", "on", "0571", "1:30", "1e999",
    ".nan", "-.inf", "~", "null", "\x00", "\ufeff", "\u2028", "\x1b[31m", "：", "标题",
    "推进重点项目", "\U0001f600", "\\ud800", "\\x00",
]
_CHARS = st.characters(codec="utf-8")
_TEXTISH = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(_CHARS, max_size=6)),
                    max_size=40).map("".join)


@st.composite
def yamlish_bytes(draw: st.DrawFn) -> bytes:
    """YAML-like text in UTF-8, sometimes spoiled: other encodings, surrogates encoded
    as bytes (invalid UTF-8), random bytes spliced in, or plain random bytes."""
    text = draw(_TEXTISH)
    how = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "bom", "gb18030", "utf-16",
                                "utf-16-le", "surrogate", "splice", "random"]))
    if how == "random":
        return draw(st.binary(max_size=200))
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if how in ("gb18030", "utf-16", "utf-16-le"):
        return text.encode(how, errors="replace")
    raw = text.encode()
    at = draw(st.integers(0, len(raw)))
    if how == "surrogate":  # U+D800..U+DFFF as UTF-8 would write them: never valid
        return raw[:at] + draw(st.sampled_from([b"\xed\xa0\x80", b"\xed\xbf\xbf"])) + raw[at:]
    if how == "splice":
        return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    return raw


def _lines(raw: bytes) -> int:
    return raw.count(b"\n") + 1


def check(findings: list[Finding], sizes: dict[str, int]) -> None:
    """`sizes`: line count of each ledger file (a finding may also point one line
    past the end: at end of file)."""
    for f in findings:
        assert f.code in CODES, f
        assert f.file in sizes, f
        assert 1 <= f.line <= sizes[f.file] + 1, (f, sizes[f.file])
        assert f.col >= 1, f


def check_outputs(findings: list[Finding]) -> None:
    """Text output: one line per finding, whatever the ledger's values hold; JSON
    output parses; both encode as strict UTF-8 (a terminal's or a pipe's)."""
    text = io.StringIO()
    render_text(findings, text, "en", False)
    lines = text.getvalue().encode("utf-8").decode("utf-8").splitlines()
    assert len(lines) == len(findings)
    for line, f in zip(lines, findings, strict=True):
        m = LINE.match(line)
        assert m and (m["file"], int(m["line"]), int(m["col"])) == (f.file, f.line, f.col)
    js = io.StringIO()
    render_json(findings, js, "zh", False)
    assert len(json.loads(js.getvalue().encode("utf-8"))) == len(findings)


@fuzz(2000)
@given(raw=yamlish_bytes())
def test_loader_never_raises(raw: bytes) -> None:
    text, problem = decode(raw, "t.yaml")
    src = Source(path=Path("t.yaml"), rel="t.yaml", text=text)
    if problem is not None:
        assert text is None
        src.findings.append(problem)
    else:
        parse(src)
    check(src.findings, {"t.yaml": _lines(raw)})
    assert src.ok or src.findings  # a file that cannot be used says why


BASE_LEDGER = {
    "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
    "units.yaml": "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: li, name: 李某某}\n",
    "tasks/a.yaml": "- id: T-001\n  title: 推进\n  category: econ\n  lead: fgw\n"
                    "  leaders: [li]\n  start: 2024-01-01\n  standard: s\n"
                    "  milestones:\n    - {due: 2024-12-31, standard: s}\n"
                    "  status: in_progress\n  progress: 45\n"
                    "  updates:\n    - {month: \"2024-04\", progress: 45}\n",
}


def _ledger_sizes(root: Path) -> dict[str, int]:
    out = {}
    for p in root.rglob("*"):
        if p.is_file() and ".luoshi-cache" not in p.parts:
            out[p.relative_to(root).as_posix()] = _lines(p.read_bytes())
    return out


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@fuzz(800)
@given(raw=yamlish_bytes(),
       target=st.sampled_from(["tasks/a.yaml", "tasks/a.yaml", "tasks/a.yaml", "units.yaml",
                               "luoshi.yaml", "scheme.yaml", "records/2024-Q1.yaml"]))
def test_validate_with_a_generated_file(fuzz_root: Path, raw: bytes, target: str) -> None:
    root = fuzz_root / "ledger"
    shutil.rmtree(root, ignore_errors=True)
    for rel, content in {**BASE_LEDGER, target: raw}.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = validate(root, AS_OF)
    check(result.findings, _ledger_sizes(root))
    check_outputs(result.findings)


# --- the example ledger, mutated -------------------------------------------------------

EXAMPLE_FILES = sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*.yaml"))
MUTATIONS = ["delete", "duplicate", "swap", "number", "tab", "replace", "truncate"]
REPLACEMENTS = [":", "-", " ", "\t", "\u3000", "'", '"', "[", "{", "}", "#", "&", "*", "x",
                "9", "\n", "\x00", "：", "中"]


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, list[tuple[str, int, int, str]]]:
    rel = draw(st.sampled_from(EXAMPLE_FILES))
    ops = draw(st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10**6),
                                  st.integers(0, 10**6), st.sampled_from(REPLACEMENTS)),
                        min_size=1, max_size=3))
    return rel, ops


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NEW_NUMBERS = ["-1", "0", "101", "100.5", "1e9", "99999999999999999999", "0.001", "08",
                "1_000", "0x10", ".5", "-0"]


def mutate(text: str, ops: list[tuple[str, int, int, str]]) -> str:
    for op, a, b, ch in ops:
        lines = text.splitlines(keepends=True) or [""]
        i, j = a % len(lines), b % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "tab":
            lines[i] = "\t" + lines[i].lstrip(" ")
        elif op == "number":
            hits = list(_NUMBER.finditer(text))
            if hits:
                m = hits[a % len(hits)]
                new = _NEW_NUMBERS[b % len(_NEW_NUMBERS)]
                text = text[: m.start()] + new + text[m.end():]
            continue
        elif op == "replace" and text:
            k = a % len(text)
            text = text[:k] + ch + text[k + 1:]
            continue
        elif op == "truncate":
            text = text[: a % (len(text) + 1)]
            continue
        text = "".join(lines)
    return text


@pytest.fixture(scope="module")
def example_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutated")


@fuzz(600)
@given(m=mutation())
def test_validate_mutated_example(example_root: Path, m: tuple[str, list[Any]]) -> None:
    rel, ops = m
    root = example_root / "weinan"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(EXAMPLE, root)
    original = (EXAMPLE / rel).read_text(encoding="utf-8")
    (root / rel).write_bytes(mutate(original, ops).encode("utf-8"))
    result = validate(root, date(2021, 6, 30))
    check(result.findings, _ledger_sizes(root))
    check_outputs(result.findings)
    # `luoshi validate` checks task files one at a time: the very same findings
    by_file = validate(root, date(2021, 6, 30), keep_tasks=False)
    assert [f.as_dict("en") for f in by_file.findings] == \
        [f.as_dict("en") for f in result.findings]


def test_mutations_do_mutate() -> None:
    """The mutation operators do what their names say (the fuzz relies on them)."""
    text = "a: 1\nb: 2\nc: 3\n"
    assert mutate(text, [("delete", 1, 0, "x")]) == "a: 1\nc: 3\n"
    assert mutate(text, [("duplicate", 0, 0, "x")]) == "a: 1\na: 1\nb: 2\nc: 3\n"
    assert mutate(text, [("swap", 0, 2, "x")]) == "c: 3\nb: 2\na: 1\n"
    assert mutate(text, [("tab", 1, 0, "x")]) == "a: 1\n\tb: 2\nc: 3\n"
    assert mutate(text, [("number", 1, 0, "x")]) == "a: 1\nb: -1\nc: 3\n"
    assert mutate(text, [("replace", 1, 0, "\u3000")]) == "a\u3000 1\nb: 2\nc: 3\n"
    assert mutate(text, [("truncate", 7, 0, "x")]) == "a: 1\nb:"


# --- nesting: the cheap text hints must never let data deeper than MAX_DEPTH through ---

def _exact_depth(data: Any) -> int:
    """The data's depth, keys included: `? ? ? x` nests mappings inside keys (yaml_rs
    makes each a frozenset of (key, value) pairs: one level, as a dict is)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
            stack.extend((k, depth + 1) for k in node if isinstance(k, (tuple, frozenset)))
        elif isinstance(node, frozenset):
            stack.extend((x, depth + 1) for pair in node for x in pair)
        elif isinstance(node, (list, tuple)):
            stack.extend((v, depth + 1) for v in node)
    return deepest


@fuzz(300)
@given(block=st.integers(0, 260), compact=st.integers(0, 130), keys=st.integers(0, 130),
       flow=st.integers(0, 255), step=st.sampled_from([1, 2]),
       opener=st.sampled_from(["[", "{a: ", "[[], ", "[{}, ", "{a: [], b: "]))
def test_mixed_nesting_deeper_than_the_limit_is_always_reported(
        block: int, compact: int, keys: int, flow: int, step: int, opener: str) -> None:
    """Indented mappings, then `- - -` and `? ? ?` chains, then brackets (in runs, or
    with empty collections between them): the loader guesses from the text whether
    to walk the data for its depth (`_deep_hint`), so every mix must end with LS018
    exactly when the data is deeper than MAX_DEPTH.  (Brackets hidden in quoted text
    are the hint's known blind spot: see test_hostile.py.)"""
    import yaml_rs

    from luoshi_cli.load.yaml_scan import MAX_DEPTH

    lines = [" " * (i * step) + "k:" for i in range(block)]
    closer = "}" if opener.startswith("{") else "]"
    inner = opener * flow + "x" + closer * flow
    lines.append(" " * (block * step) + "- " * compact + "? " * keys + inner)
    text = "\n".join(lines) + "\n"
    try:
        expected = _exact_depth(yaml_rs.loads(text))
    except Exception:
        expected = None  # not YAML yaml_rs reads: the loader must say so, whatever it is
    src = Source(path=Path("t.yaml"), rel="t.yaml")
    src.text = text
    parse(src)
    deep = [f for f in src.findings if f.code == "LS018"]
    if expected is None:
        assert not src.ok and src.findings
    elif expected > MAX_DEPTH:
        assert deep and not src.ok, (expected, block, compact, keys, flow)
    else:
        assert not deep and src.ok, (expected, block, compact, keys, flow)
