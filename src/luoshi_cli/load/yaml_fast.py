"""The fast path: YAML text → Python data with `yaml_rs`.

Why two YAML readers: `yaml_rs` (Rust, YAML 1.2) builds Python objects about ten
times faster than PyYAML's CSafeLoader, rejects duplicate keys and bounds alias
replay, so it is the fast path for every file.  PyYAML is used only when something
is wrong with a file (to explain a syntax error, list every duplicate key with both
lines, split multi-document files) and by `positions` to find the line of a finding.
Clean files are never parsed twice.

YAML 1.2 reads `no`, `on`, `1:30` as text, as a ledger means them; the schema layer
still warns where a YAML 1.1 tool (PyYAML, most converters) would read them otherwise.

PyYAML's explanations live in `yaml_scan`; this module asks for them when `yaml_rs`
refuses a file, when the text has more than one document, or shows a tag.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

from ..core.codes import L
from ..core.finding import Finding, finding
from .hidden import hidden_text
from .source import Source, out_of_memory
from .written import has_long_number, written_numbers
from .yaml_scan import (
    ALIAS_LIMIT,
    MAX_DEPTH,
    TAG_HINT,
    alias_replay_ok,
    deep_at,
    first_document,
    rs_finding,
    rs_problem,
    unknown_tags,
)

# yaml_rs is imported once, under this lock, by a thread that outlives every later
# use (`ready`): the main thread, else a thread of its own (`KEEPER`) that waits for
# the process to end.  yaml_rs 0.1.6 ends the process (SIGSEGV) when the thread that
# imported it has exited and a thread other than the main one then reads with it: a
# program calling `luoshi_cli.api` first from a thread pool did that (a lock alone
# does not help: the pool's importing thread still exits).  Not at module import
# either: this module is itself imported lazily, by whichever thread loads first.
_IMPORT = threading.Lock()
_ALIAS_LIMITS: Any = None  # yaml_rs.AliasLimits, once yaml_rs is imported
#: the thread that imported yaml_rs when its first use was not in the main thread: it
#: only waits on an event of its own, holding no lock (`fast.parallel.can_fork`
#: does not count it)
KEEPER: threading.Thread | None = None


def ready() -> Any:
    """The yaml_rs module, imported the first time (see `_IMPORT`).  Every use in
    luoshi takes it from here (`parse`, the cache's fingerprint)."""
    if _ALIAS_LIMITS is None:
        _first_import()
    return sys.modules["yaml_rs"]


def _first_import() -> None:
    global _ALIAS_LIMITS, KEEPER
    with _IMPORT:
        if _ALIAS_LIMITS is not None:
            return
        if "yaml_rs" in sys.modules or threading.current_thread() is threading.main_thread():
            import yaml_rs  # the host's own import, or the main thread's: either stays

            _ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=ALIAS_LIMIT)
            return
        started = threading.Event()
        failed: list[BaseException] = []

        def keep() -> None:
            try:
                import yaml_rs  # noqa: F401
            except BaseException as exc:  # an ImportError: raised in the caller
                failed.append(exc)
                started.set()
                return
            started.set()
            threading.Event().wait()  # until the process ends (a daemon thread)

        keeper = threading.Thread(target=keep, name="luoshi-yaml-rs", daemon=True)
        keeper.start()
        started.wait()
        if failed:
            raise failed[0]
        KEEPER = keeper
        import yaml_rs  # imported by the keeper: a look-up

        _ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=ALIAS_LIMIT)


_DOC_MARKER = re.compile(r"\n(?:---|\.\.\.)(?=\s|$)")
_FIRST_ALIAS = re.compile(r"(?<![\w&*])\*[^\s,\[\]{}]+")


def parse(src: Source) -> Source:
    """Parse `src.text` into `src.data`; sets `src.ok` when the data can be used."""
    text = src.text
    if text is None:
        return src
    if _DOC_MARKER.search(text) or _deep_blocks(text):
        # deep block nesting is explained by the slow path's event scan (LS018) before
        # yaml_rs sees it: yaml_rs recurses on block collections in native code and
        # ends the process (SIGSEGV) somewhere past 10,000 levels of `- - - …`
        return _parse_slow(src)
    if "*" in text and _ALIAS_USE.search(text) is not None and not alias_replay_ok(text):
        return _parse_slow(src)  # explains it: the same scan, with its finding
    yaml_rs = ready()

    try:
        src.data = yaml_rs.loads(
            text,
            alias_limits=_ALIAS_LIMITS,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except yaml_rs.YAMLDecodeError as exc:
        return _diagnose(src, str(exc))
    except MemoryError:
        src.data = None
        src.findings.append(out_of_memory(src.rel, len(text)))
        return src
    except (RecursionError, OverflowError, ValueError, TypeError) as exc:
        # TypeError: yaml_rs cannot hash a mapping used inside a mapping key
        # (`? {a: {b: 1}}`); the slow path explains the file
        return _diagnose(src, str(exc))
    if "!" in text and TAG_HINT.search(text) and unknown_tags(src):
        src.data = None
        return src
    raw = text.encode("utf-8", "surrogatepass")  # both byte searches below read it
    walked = _deep_hint(text, raw)
    src.ok = _depth_ok(src) if walked else True
    if src.ok and _MERGE_KEY.search(text) and (walked or _depth_ok(src)):
        src.data = merge_keys(src.data)  # recursive: only over data known to be shallow
    if src.ok and has_long_number(text, raw):
        src.data = written_numbers(text, src.data)
    if src.ok:
        src.findings += hidden_text(src.rel, text, raw, src.data)
    return src


# `<<: *base` merge keys (YAML 1.1, what PyYAML users write to share task fields):
# yaml_rs, a YAML 1.2 reader, keeps "<<" as a plain key, so luoshi applies them.
_MERGE_KEY = re.compile(r"<<\s*:")


def merge_keys(node: Any) -> Any:
    """Apply merge keys: the mapping's own keys win, then earlier merged maps over later
    ones (YAML 1.1 merge semantics).  A `<<` whose value is not a mapping (or a list of
    them) stays, to be reported as an unknown key."""
    if isinstance(node, list):
        return [merge_keys(v) for v in node]
    if not isinstance(node, dict):
        return node
    base = node.get("<<")
    sources = base if isinstance(base, list) else [base]
    if "<<" not in node or not all(isinstance(m, dict) for m in sources):
        return {k: merge_keys(v) for k, v in node.items()}
    out: dict[Any, Any] = {}
    for m in reversed(sources):
        out.update(merge_keys(m))
    for k, v in node.items():
        if k != "<<":
            out[k] = merge_keys(v)
    return out


# Deep nesting shows in the text: each block level adds a column of indentation or a
# block indicator (`- - -`, `? ?`) at the start of a line, each flow level a bracket
# pair around the one inside, and an alias replays its anchor where it stands
# (anchors can nest data deeper than the text looks).  Only text showing one of them
# pays for the exact depth walk below (1 s per 100,000 tasks if every file paid):
# block prefixes under 150 columns and bracket pairs nested under 50 keep data
# within MAX_DEPTH.  Cheap by design — it runs on every file: literals first, so the
# regex engine skips to line breaks, and the brackets are paired off in a string of
# the brackets alone (0.7 ms per 270 KB file of tasks).
#
# Brackets inside quoted scalars or comments are counted too: unbalanced ones send
# the file to the exact walk, but a hostile file can pair them with real brackets and
# hide flow nesting — up to yaml_rs's own limit (about 255 levels).  That is a
# reporting gap, not a hazard: task data is only ever walked along its fixed shape,
# merge keys are applied after an exact walk, and the scheme, whose components nest,
# is always walked exactly (`too_deep`, called by `ledger.open_ledger`).
_DEEP_START = re.compile(r"[ \t?:\-]{150}")
_DEEP_LINE = re.compile(r"\n[ \t?:\-]{150}")
_DEEP_LINE_CR = re.compile(r"\r[ \t?:\-]{150}")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_FLOW_LEVELS = 50
_ALIAS_USE = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]")


def _deep_blocks(text: str) -> bool:
    """Whether a line starts with 150 columns of indentation or block indicators: the
    only way block collections nest deep (each level is one more column or one more
    indicator; anchors and tags before a nested indicator are a syntax error), and
    flow collections stop at yaml_rs's own limit (about 255 levels)."""
    return bool(_DEEP_START.match(text) or _DEEP_LINE.search(text)
                or ("\r" in text and _DEEP_LINE_CR.search(text)))


def _deep_hint(text: str, raw: bytes | None = None) -> bool:
    """`raw`: `text` as UTF-8 when the caller has it (the brackets are searched in
    bytes).  Block nesting has sent the file to the slow path already
    (`_deep_blocks`); flow nesting and aliases are walked here."""
    if raw is None:
        raw = text.encode("utf-8", "surrogatepass")
    if _flow_deeper(raw.translate(None, _NOT_BRACKETS)):
        return True
    return "*" in text and _ALIAS_USE.search(text) is not None


def _flow_deeper(brackets: bytes) -> bool:
    """Whether the brackets nest `_FLOW_LEVELS` deep or more, or do not pair off:
    each round removes the innermost pairs, so a round per level."""
    for _ in range(_FLOW_LEVELS):
        if not brackets:
            return False
        fewer = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(fewer) == len(brackets):
            return True  # unpaired: brackets in text, or broken YAML — walk the data
        brackets = fewer
    return bool(brackets)


def too_deep(src: Source) -> Finding | None:
    """The exact depth walk, for data that code walks recursively whatever the text
    looked like (a scheme's nested components): LS018 when too deep (the data is
    dropped and `src.ok` cleared), else None."""
    if not src.ok or _depth_ok(src):
        return None
    src.ok = False
    return src.findings[-1]


def _depth_ok(src: Source) -> bool:
    """Reject absurd nesting early: every later walk is recursive."""
    if not deeper_than(src.data):
        return True
    line, col = deep_at(src.text or "")
    src.findings.append(finding("LS018", src.rel, line=line, col=col, limit=MAX_DEPTH))
    src.data = None
    return False


def deeper_than(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether `data` nests collections more than `limit` levels deep (the top one
    is level 1), walked without recursion: the question is asked of what may be far
    deeper.  Also `import scores`' guard on a record it merges into."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            if depth > 6:  # ledger data is shallow; only walk deeper when it is not
                stack.extend((v, depth + 1) for v in node.values())
            else:
                stack.extend((v, depth + 1) for v in node.values() if isinstance(v, _NESTS))
            if not all(type(k) is str for k in node):  # `? ? x`: a collection as a key
                stack.extend((k, depth + 1) for k in node if isinstance(k, _NESTS))
        elif isinstance(node, frozenset):  # a mapping as a key: its (key, value) pairs
            stack.extend((x, depth + 1) for pair in node
                         for x in (pair if isinstance(pair, tuple) else (pair,)))
        elif isinstance(node, (list, tuple)):  # a tuple: a sequence as a key
            if depth > 6:
                stack.extend((v, depth + 1) for v in node)
            else:
                stack.extend((v, depth + 1) for v in node if isinstance(v, _NESTS))
    return False


#: what can nest: yaml_rs makes a collection used as a mapping key (`? - a`, `? ? x`)
#: a tuple, or a frozenset of (key, value) tuples — as deep as the text nests them
_NESTS = (dict, list, tuple, frozenset)


def _diagnose(src: Source, message: str) -> Source:
    """The fast parser refused the file: find out why, with positions."""
    text = src.text or ""
    if "alias replay limit" in message or ("alias" in message and "limit" in message):
        m = _FIRST_ALIAS.search(text)
        line, col = _line_col(text, m.start()) if m else (1, 1)
        src.findings.append(finding("LS012", src.rel, line=line, col=col,
                                    limit=L(f"{ALIAS_LIMIT:,} 个节点", f"{ALIAS_LIMIT:,} nodes")))
        return src
    if message.startswith("duplicate mapping key"):
        return _parse_slow(src)
    if "recursion" in message.lower() or "depth" in message.lower():
        line, col = deep_at(text)
        src.findings.append(finding("LS018", src.rel, line=line, col=col, limit=MAX_DEPTH))
        return src
    if message.startswith("Invalid tag") and unknown_tags(src):
        return src
    if message.startswith("unhashable type"):  # yaml_rs: a mapping inside a mapping key
        src.findings.append(_mapping_key(src.rel, text))
        return src
    # a syntax error: let PyYAML explain it (its wording is the familiar one)
    return _parse_slow(src, fallback=message)


_EXPLICIT_KEY = re.compile(r"(?m)^[ \t]*(?:-[ \t]+)*\?[ \t]")


def _mapping_key(rel: str, text: str) -> Finding:
    """LS010 for a mapping used as a mapping key, which yaml_rs cannot hash."""
    m = _EXPLICIT_KEY.search(text)
    line, col = _line_col(text, m.end() - 2) if m else (1, 1)
    return finding("LS010", rel, line=line, col=col, hint="", problem=L(
        "键本身是映射（如 ? {a: {b: 1}}）：台账的键只能是文字",
        "a key that is itself a mapping (like ? {a: {b: 1}}): ledger keys are text"))


def _parse_slow(src: Source, fallback: str | None = None) -> Source:
    """The slow path explains the file (`yaml_scan.first_document`); what it leaves
    to read, the fast reader reads, the last of duplicate keys winning like PyYAML."""
    first = first_document(src, fallback)
    if first is None:
        return src
    yaml_rs = ready()

    try:
        src.data = yaml_rs.loads(
            first.text,
            alias_limits=_ALIAS_LIMITS,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.LastWins,
        )
    except TypeError as exc:  # a mapping inside a mapping key, as in `parse`
        src.findings.append(_mapping_key(src.rel, first.text) if str(exc).startswith(
            "unhashable type") else finding("LS010", src.rel, line=1, col=1,
                                            problem=rs_problem(str(exc)), hint=""))
        return src
    except (yaml_rs.YAMLDecodeError, ValueError, RecursionError, MemoryError) as exc:
        src.findings.append(rs_finding(src.rel, str(exc), src.text or ""))
        return src
    if first.unwrap and isinstance(src.data, list) and len(src.data) == 1:
        src.data = src.data[0]
    src.ok = _depth_ok(src)
    if src.ok and _MERGE_KEY.search(first.text):
        src.data = merge_keys(src.data)
    if src.ok and has_long_number(first.text):
        src.data = written_numbers(first.text, src.data)
    if src.ok:
        src.findings += hidden_text(src.rel, first.text,
                                    first.text.encode("utf-8", "surrogatepass"), src.data)
    return src


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


