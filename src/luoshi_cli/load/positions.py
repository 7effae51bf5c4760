"""Line and column for findings, paid for only by files that have findings.

The fast reader gives data without positions.  A finding made during checking
carries the key path of the offending value; here each file with such findings is
composed once with PyYAML (nodes carry marks) and every path is followed to its node.
This also settles the YAML 1.1 trap candidates (LS016/LS017): a value like `no` is a
trap only when it was written plain, not quoted, which only the node knows; the node's
text and style go to `traps.settle`, which decides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..core.codes import L
from ..core.collector import paused
from ..core.finding import Finding, KeyPath, PathKey
from .traps import MARK, Written, settle
from .yaml_scan import READABLE, Lines, for_positions
from .yaml_values import py_loader

if TYPE_CHECKING:  # bound by `_import_pyyaml`, when a file first has findings to place
    import yaml

Reader = Callable[[str], str | None]

TRAP_CODES = ("LS016", "LS017")


class Memo(Protocol):
    """Positions found earlier in a file with the same bytes (the parse cache keeps
    them): `luoshi validate` places its dated findings (LS203, LS601) afresh on every
    run, and on the 6th of a month every active task may be late with its report."""

    def get(self, rel: str) -> dict[KeyPath, Stored] | None: ...

    def put(self, rel: str, found: dict[KeyPath, Stored]) -> None: ...

    def close(self) -> None:
        """The run is over: drop what older versions of the files left behind."""


class Spread(Protocol):
    """Runs `work(k)` for each `k < len(sizes)`, in any order, perhaps on several
    cores (`fast.source.FastSource.spread`); `sizes` say what each costs, in bytes."""

    def __call__(self, work: Callable[[int], T], sizes: Sequence[int]
                 ) -> Iterator[tuple[int, T]]: ...


T = TypeVar("T")

Entries = Callable[[str], "int | None"]
"""How many entries a file's top-level list has, as the YAML 1.2 reader read it, or at
least (None: not known)."""

Stored = tuple[tuple[int, int, bool, str, "str | None"] | None,
               tuple[int, int, bool, str, "str | None"] | None, bool]
"""A `_Hit` as plain data: (node, key node, exact), each node (line, col, scalar,
value, style)."""


def resolve(findings: Iterable[Finding], read: Reader, memo: Memo | None = None,
            spread: Spread | None = None, entries: Entries | None = None) -> list[Finding]:
    """Fill line/col of findings that only have a path; drop refuted trap candidates.

    Each file is re-read once, as a stream of parser events, for all the paths its
    findings (and the places they name) need — only the entries of its top-level
    list that hold them, where that is safe (`_by_entries`: `entries` says how many
    entries the YAML 1.2 reader found) — unless `memo` knows them already; with
    `spread`, files are read on several cores.  Composing the node tree instead
    costs about 100 bytes of memory per byte of YAML: 2.6 GB and 45 s for a 25 MB
    file with 100,000 findings, where the stream needs a few MB and a few seconds.
    """
    with paused():  # many small objects, no cycles: the collector would only cost time
        return _resolve(list(findings), read, memo, spread, entries)


def _resolve(items: list[Finding], read: Reader, memo: Memo | None,
             spread: Spread | None, entries: Entries | None) -> list[Finding]:
    wanted: dict[str, set[KeyPath]] = defaultdict(set)
    for f in items:
        if f.related is not None:
            wanted[f.related[0]].add(f.related[1])
        if f.line == 0 and f.path is not None:
            wanted[f.file].add(f.path)
    hits = _all_hits(wanted, read, memo, spread, entries)

    out: list[Finding] = []
    pending: dict[str, list[Finding]] = defaultdict(list)
    for f in items:
        if f.related is not None:
            rel, rpath = f.related
            rnode = hits[rel].get(rpath, _NOWHERE).node
            line = rnode.line if rnode is not None else 1
            f = replace(f, related=None, params=_with(f.params, "first", f"{rel}:{line}"))
        if f.line == 0 and f.path is not None:
            pending[f.file].append(f)
        elif f.line == 0:
            out.append(f.with_position(1, 1))
        else:
            out.append(f)
    for rel, group in pending.items():
        found = hits[rel]
        for f in group:
            hit = found.get(f.path or (), _NOWHERE)
            target = hit.key if (f.on_key and hit.key is not None) else hit.node
            if f.code in TRAP_CODES:
                settled = _settle_trap(f, target if hit.exact else None)
                if settled is None:
                    continue
                f = settled
            if target is None:
                out.append(f.with_position(1, 1))
            else:
                out.append(f.with_position(target.line, target.col))
    return out


def _all_hits(wanted: dict[str, set[KeyPath]], read: Reader, memo: Memo | None,
              spread: Spread | None, entries: Entries | None
              ) -> dict[str, dict[KeyPath, _Hit]]:
    """The node at each wanted path of each file: from `memo` where it knows the
    file's positions, else located (on several cores with `spread`) and kept there."""
    known: dict[str, dict[KeyPath, Stored]] = {}
    todo: list[tuple[str, list[KeyPath], int | None]] = []
    for rel, paths in wanted.items():
        known[rel] = dict(memo.get(rel) or {}) if memo is not None else {}
        missing = [p for p in paths if p not in known[rel]]
        if missing:
            todo.append((rel, missing, entries(rel) if entries is not None else None))

    def locate(k: int) -> dict[KeyPath, Stored]:
        rel, paths, count = todo[k]
        return {p: _store(h) for p, h in _locate(read(rel), paths, count).items()}

    if todo:
        _import_pyyaml()  # once here, not in every worker
    sizes = [len(read(rel) or "") for rel, _, _ in todo] if spread is not None else []
    found = (spread(locate, sizes) if spread is not None and len(todo) > 1
             else ((k, locate(k)) for k in range(len(todo))))
    for k, more in found:
        rel = todo[k][0]
        known[rel].update(more)
        if memo is not None:
            memo.put(rel, known[rel])
    return {rel: {p: _load(known[rel][p]) for p in paths if p in known[rel]}
            for rel, paths in wanted.items()}


def _store(h: _Hit) -> Stored:
    def node(n: _Node | None) -> tuple[int, int, bool, str, str | None] | None:
        return None if n is None else (n.line, n.col, n.scalar, n.value, n.style)

    return node(h.node), node(h.key), h.exact


def _load(s: Stored) -> _Hit:
    node, key, exact = s
    return _Hit(_Node(*node) if node else None, _Node(*key) if key else None, exact)


@dataclass(frozen=True, slots=True)
class _Node:
    """What positions need of a YAML node: where it starts (1-based) and, for a
    scalar, its text as written and its quoting style."""

    line: int
    col: int
    scalar: bool = False
    value: str = ""
    style: str | None = None


@dataclass(frozen=True, slots=True)
class _Hit:
    """The node at a key path (or its deepest existing ancestor), the key node that
    leads to it, and whether the whole path was found."""

    node: _Node | None
    key: _Node | None
    exact: bool


_NOWHERE = _Hit(None, None, False)
_DEFER = _Hit(None, None, False)  # the path runs through an alias: compose the file


class _Trie:
    """The wanted key paths of one file, merged by common prefix."""

    __slots__ = ("children", "has_value", "step", "terminal")

    def __init__(self, step: PathKey = "") -> None:
        self.children: dict[tuple[str, object], _Trie] = {}
        self.step = step  # the path step leading here, as the finding wrote it
        self.terminal = False
        #: some child step is a number, boolean or null: a mapping key written as any
        #: text YAML 1.2 reads as that value (`0571`, `1.10`) matches it
        self.has_value = False


def _step_key(step: PathKey) -> tuple[str, object]:
    if isinstance(step, bool):
        return ("b", step)
    if isinstance(step, int):
        return ("i", step)
    if isinstance(step, str):
        return ("s", step.translate(READABLE))  # as PyYAML reads the key (for_positions)
    if isinstance(step, float):
        return ("f", step)
    if step is None:
        return ("n", None)
    return ("s", str(step))  # a date key: matched by its text, if at all


_CORE_INT = re.compile(r"[-+]?[0-9]+\Z")
_BASE_INT = re.compile(r"[-+]?0(?:[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)\Z")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")


def _value_keys(text: str) -> list[tuple[str, object]]:
    """The trie keys a plain mapping key written as `text` can stand for, as the
    YAML 1.2 reader reads it (core schema): `0571` is 571, `1.10` is 1.1, `true` a
    boolean, `~` null; `int(text, 0)` also accepts `0x1F` and `0o17`."""
    out: list[tuple[str, object]] = []
    if _CORE_INT.match(text):
        out.append(("i", int(text, 10)))
    elif _BASE_INT.match(text):
        with suppress(ValueError):  # "0x_" passes the pattern, not int()
            out.append(("i", int(text, 0)))
    if _CORE_FLOAT.match(text):
        out.append(("f", float(text)))
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        out.append(("b", text[0] in "tT"))
    if text in ("~", "null", "Null", "NULL", ""):
        out.append(("n", None))
    return out


def _locate(text: str | None, paths: Iterable[KeyPath], entries: int | None = None
            ) -> dict[KeyPath, _Hit]:
    """Where each of `paths` is in `text` (its first YAML document).  `entries`: how
    many entries its top-level list has, as the YAML 1.2 reader read it (at least
    that many; None: not known) — known, the file may be read entry by entry."""
    hits: dict[KeyPath, _Hit] = {}
    if text is None:
        return hits
    _import_pyyaml()
    trie = _Trie()
    for path in paths:
        t = trie
        for step in path:
            k = _step_key(step)
            t.has_value = t.has_value or k[0] != "s"
            t = t.children.setdefault(k, _Trie(step))
        t.terminal = True
    lines = Lines(text)
    rest = _by_entries(text, trie, hits, lines, entries) if entries is not None else trie
    if rest is not None:
        _walk_whole(text, rest, hits, lines)
    deferred = [p for p, h in hits.items() if h is _DEFER]
    if deferred:
        root = _compose(text)
        for p in deferred:
            node, key_node, exact = _follow(root, p)
            hits[p] = _Hit(_info(lines, node), _info(lines, key_node), exact)
    return hits


def _walk_whole(text: str, trie: _Trie, hits: dict[KeyPath, _Hit], lines: Lines) -> None:
    """The paths of `trie`, found in one stream of events over the whole file."""
    walker = _Walker(yaml.parse(for_positions(text), Loader=py_loader()), hits, lines)
    try:
        for ev in walker.events:
            if isinstance(ev, yaml.DocumentStartEvent):
                walker.walk(next(walker.events), [(trie, ())], None, 0)
                break
    except (yaml.YAMLError, RecursionError, StopIteration, ValueError):
        pass  # positions found before the error stand; the others fall back to 1:1


# a top-level list entry starts at column 0 with "-" and a space or line break (found
# after a line break: a pattern anchored with re.M is seven times slower); the markers
# of another document or a directive end the first one (any line that starts like one
# only makes the caller read the whole file)
_ENTRY = re.compile(r"\n-(?=[ \t\r\n]|\Z)")
_NOT_ONE_DOCUMENT = re.compile(r"\n(?:---|\.\.\.|%)")
_COMMENT_LINE = re.compile(r"[ \t]*(?:#.*)?")
_START_LINE = re.compile(r"---(?:[ \t]+(?:#.*)?)?")


def _entry_starts(text: str) -> list[int] | None:
    """Where each line that may start an entry of the document's top-level list
    starts, when the document is one block list at column 0 with nothing but
    comments and one `---` before it; else None.  Every entry of such a list starts
    with "- " at column 0, but not every such line starts an entry: a flow
    collection or a quoted text (ended by an escaped line break) can go on at
    column 0 with "- " (`_by_entries` counts)."""
    starts = [m.start() + 1 for m in _ENTRY.finditer(text)]
    if text[:1] == "-" and text[1:2] in ("", " ", "\t", "\r", "\n"):
        starts.insert(0, 0)
    if not starts or _NOT_ONE_DOCUMENT.search(text, starts[0]):
        return None
    marks = 0
    for line in text[:starts[0]].split("\n")[:-1]:
        line = line.removesuffix("\r")
        if _START_LINE.fullmatch(line):
            marks += 1
        elif _COMMENT_LINE.fullmatch(line) is None:
            return None
    return starts if marks <= 1 else None


def _by_entries(text: str, trie: _Trie, hits: dict[KeyPath, _Hit], lines: Lines,
                entries: int) -> _Trie | None:
    """Find the paths of a top-level list's entries by reading those entries alone;
    return what is left to read in the whole file (None: nothing).

    A task file with findings in a few of its 300 tasks was parsed whole (PyYAML's
    events cost about 25 ms per 300 KB): the dated findings of `validate` (LS203,
    LS601) can touch every file of a 100,000-task ledger.  Each run of wanted
    entries is cut out at its column-0 "-" and read as a list of its own, which
    gives the same events — an entry does not depend on its neighbours — with the
    lines shifted by where the run starts.

    Only where the cut is certain: the YAML 1.2 reader found `entries` entries (at
    least) and the text has that many lines that may start one (`_entry_starts`: a
    line that goes on inside an entry only adds lines), no anchors (an alias could
    name another entry's), lines counted as YAML counts them, one document.  Else
    the whole file is read.  An entry that PyYAML does not read (a run that fails is
    read entry by entry), and a path that names no entry, are placed by the whole
    file's reading; the others by their own entries, which is the whole file's too when PyYAML reads all of it — and each
    path's place never depends on which other paths were asked for (the positions
    are kept in the cache, asked for by other runs)."""
    steps = trie.children
    if "&" in text or not lines.as_yaml_counts or text.startswith("\ufeff"):
        return trie
    starts = _entry_starts(text)
    if starts is None or len(starts) != entries:
        return trie
    wanted = sorted(i for kind, i in steps
                    if kind == "i" and type(i) is int and 0 <= i < len(starts))
    if not wanted:
        return trie
    runs: list[list[int]] = []
    for i in wanted:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    counted = _LineCount(text)
    unread: list[int] = []
    for run in runs:
        if not _read_entries(text, starts, run, steps, hits, counted):
            for i in run:  # the same entries one at a time: which does PyYAML refuse?
                if len(run) == 1 or not _read_entries(text, starts, [i], steps, hits, counted):
                    unread.append(i)
    # the rest — entries PyYAML refuses, and paths that name no entry (the whole
    # document, a key of a list, an index past its end) — from the whole file
    placed = {("i", i) for i in wanted}.difference(("i", i) for i in unread)
    if not trie.terminal and len(placed) == len(steps):
        return None
    rest = _Trie()
    rest.terminal, rest.has_value = trie.terminal, trie.has_value
    rest.children = {k: t for k, t in steps.items() if k not in placed}
    return rest


class _LineCount:
    """Line breaks before an offset of a text, counted once over the whole text."""

    __slots__ = ("at", "lines", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = self.lines = 0

    def before(self, offset: int) -> int:
        if offset < self.at:
            self.at = self.lines = 0
        self.lines += self.text.count("\n", self.at, offset)
        self.at = offset
        return self.lines


def _read_entries(text: str, starts: list[int], run: list[int],
                  steps: dict[tuple[str, object], _Trie], hits: dict[KeyPath, _Hit],
                  counted: _LineCount) -> bool:
    """Entries `run` (consecutive) read as a list of their own: their paths go to
    `hits` when PyYAML reads them as exactly those entries, else nothing does."""
    begin = starts[run[0]]
    end = starts[run[-1] + 1] if run[-1] + 1 < len(starts) else len(text)
    found: dict[KeyPath, _Hit] = {}
    events = yaml.parse(for_positions(text[begin:end]), Loader=py_loader())
    walker = _Walker(events, found, _Shifted(counted.before(begin)))
    try:
        if [type(next(events)) for _ in range(3)] != [
                yaml.StreamStartEvent, yaml.DocumentStartEvent, _SEQ_START]:
            return False
        for i in run:
            ev = next(events)
            if type(ev) is _SEQ_END:
                return False
            walker.walk(ev, [(steps["i", i], (i,))], None, 1)
        if [type(e) for e in events] != [_SEQ_END, yaml.DocumentEndEvent,
                                          yaml.StreamEndEvent]:
            return False
    except (yaml.YAMLError, RecursionError, StopIteration, ValueError):
        return False
    hits.update(found)
    return True


class _At(Protocol):
    """Where a PyYAML mark is, as luoshi reports it (`Lines`, `_Shifted`)."""

    def at(self, mark: Any) -> tuple[int, int]: ...


class _Shifted:
    """`Lines.at` for a piece of a file that starts at column 0 of line `line0 + 1`."""

    __slots__ = ("line0",)

    def __init__(self, line0: int) -> None:
        self.line0 = line0

    def at(self, mark: Any) -> tuple[int, int]:
        if mark is None:
            return 1, 1
        return mark.line + 1 + self.line0, mark.column + 1


_MAX_WALK = 400  # deeper than any path a finding carries (load.MAX_DEPTH is 200)
# PyYAML's event classes, which the walker's loops compare by identity (`_import_pyyaml`)
_SCALAR: Any = None
_ALIAS: Any = None
_MAP_START: Any = None
_MAP_END: Any = None
_SEQ_START: Any = None
_SEQ_END: Any = None


def _import_pyyaml() -> None:
    """PyYAML, bound in this module (`yaml` and the event classes above) when a file
    first has findings to place: a clean ledger — every file of the CI gate on most
    days — never pays for importing it (10 ms of start-up)."""
    global yaml, _SCALAR, _ALIAS, _MAP_START, _MAP_END, _SEQ_START, _SEQ_END
    import yaml

    _SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
    _MAP_START, _MAP_END = yaml.MappingStartEvent, yaml.MappingEndEvent
    _SEQ_START, _SEQ_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


class _Walker:
    """Follows many key paths through one stream of parse events at once.

    `_follow` semantics, event by event: a mapping's last matching key wins (as in
    the data), a path that leaves the document stops at its deepest existing node,
    an alias stands for its anchored node."""

    def __init__(self, events: Iterator[Any], hits: dict[KeyPath, _Hit], lines: _At) -> None:
        self.lines = lines
        self.events = events  # yaml events, typed Any: the hot loops test type(e) is ...
        self.hits = hits
        self.anchors: dict[str, tuple[_Node, bool]] = {}  # anchor -> (node, is a collection)

    def walk(self, ev: yaml.Event, targets: list[tuple[_Trie, KeyPath]],
             key: _Node | None, depth: int) -> None:
        if isinstance(ev, yaml.AliasEvent):
            node, collection = self.anchors.get(ev.anchor or "", (_pos(self.lines, ev), False))
            for trie, prefix in targets:
                if trie.terminal:
                    self.hits[prefix] = _Hit(node, key, True)
                for child in trie.children.values():
                    self._all(child, (*prefix, child.step), _DEFER if collection
                              else _Hit(node, key, False))
            return
        node = _info_of(self.lines, ev)
        if isinstance(ev, yaml.NodeEvent) and ev.anchor:
            self.anchors[ev.anchor] = (node, not node.scalar)
        for trie, prefix in targets:
            if trie.terminal:
                self.hits[prefix] = _Hit(node, key, True)
        matched: set[int] = set()
        if depth < _MAX_WALK and isinstance(ev, yaml.SequenceStartEvent):
            self._sequence(targets, matched, depth)
        elif depth < _MAX_WALK and isinstance(ev, yaml.MappingStartEvent):
            self._mapping(targets, matched, depth)
        else:
            self._skip(ev)
        partial = _Hit(node, key, False)
        for trie, prefix in targets:
            for child in trie.children.values():
                if id(child) not in matched:
                    self._all(child, (*prefix, child.step), partial)

    def _sequence(self, targets: list[tuple[_Trie, KeyPath]], matched: set[int],
                  depth: int) -> None:
        # in the document's top-level list nothing after the last wanted entry matters
        # (lists have no duplicate keys): stop reading there
        last = max((k[1] for trie, _ in targets for k in trie.children
                    if k[0] == "i" and isinstance(k[1], int)), default=-1) if depth == 0 else -2
        for index, ev in enumerate(self.events):
            if isinstance(ev, yaml.SequenceEndEvent):
                return
            if index > last > -2:
                return
            sub = [(child, (*prefix, index)) for trie, prefix in targets
                   if (child := trie.children.get(("i", index))) is not None]
            if sub:
                matched.update(id(c) for c, _ in sub)
                self.walk(ev, sub, None, depth + 1)
            else:
                self._skip(ev)

    def _mapping(self, targets: list[tuple[_Trie, KeyPath]], matched: set[int],
                 depth: int) -> None:
        for kev in self.events:
            kind = type(kev)
            if kind is _MAP_END:
                return
            key: _Node | None = None
            if kind is _SCALAR:
                if kev.anchor is not None:
                    self._skip(kev)
                sub = [(child, (*prefix, child.step)) for trie, prefix in targets
                       for child in _matching(trie, kev.value)]
                if sub:
                    key = _info_of(self.lines, kev)
            elif kind is _ALIAS:
                key = self.anchors.get(kev.anchor or "", (_pos(self.lines, kev), True))[0]
                key = key if key.scalar else None
                sub = [] if key is None else [
                    (child, (*prefix, child.step)) for trie, prefix in targets
                    for child in _matching(trie, key.value)]
            else:
                self._skip(kev)
                sub = []
            vev = next(self.events)
            if sub:
                matched.update(id(c) for c, _ in sub)
                self.walk(vev, sub, key, depth + 1)
            else:
                self._skip(vev)

    def _skip(self, ev: Any) -> None:
        """Consume the rest of the node `ev` starts, without recursion (this loop sees
        nearly every event of a large file: it compares types, not isinstance)."""
        kind = type(ev)
        if kind is _ALIAS:
            return
        if ev.anchor is not None:
            self.anchors[ev.anchor] = (_info_of(self.lines, ev), kind is not _SCALAR)
        if kind is _SCALAR:
            return
        depth = 1
        anchors = self.anchors
        for e in self.events:
            kind = type(e)
            if kind is _SCALAR:
                if e.anchor is not None:
                    anchors[e.anchor] = (_info_of(self.lines, e), False)
            elif kind is _MAP_START or kind is _SEQ_START:
                depth += 1
                if e.anchor is not None:
                    anchors[e.anchor] = (_pos(self.lines, e), True)
            elif kind is _MAP_END or kind is _SEQ_END:
                depth -= 1
                if depth == 0:
                    return

    def _all(self, trie: _Trie, prefix: KeyPath, hit: _Hit) -> None:
        """Every path at or below `trie` ends at `hit` (the walk stopped above them)."""
        stack = [(trie, prefix)]
        while stack:
            t, p = stack.pop()
            if t.terminal:
                self.hits[p] = hit
            stack.extend((c, (*p, c.step)) for c in t.children.values())


def _matching(trie: _Trie, text: str) -> list[_Trie]:
    """Children of `trie` whose step names the mapping key written as `text`
    (as `_same_key`: the text itself, or a number, boolean or null step as YAML 1.2 reads it)."""
    out: list[_Trie] = []
    child = trie.children.get(("s", text))
    if child is not None:
        out.append(child)
    if trie.has_value and len(text) < 64:
        for key in _value_keys(text):
            child = trie.children.get(key)
            if child is not None:
                out.append(child)
    return out


def _pos(lines: _At, ev: yaml.Event) -> _Node:
    return _Node(*lines.at(ev.start_mark))


def _info_of(lines: _At, ev: yaml.Event) -> _Node:
    if isinstance(ev, yaml.ScalarEvent):
        at = _pos(lines, ev)
        return _Node(at.line, at.col, True, ev.value, ev.style)
    return _pos(lines, ev)


def _info(lines: Lines, node: yaml.Node | None) -> _Node | None:
    if node is None:
        return None
    line, col = lines.at(node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        return _Node(line, col, True, node.value, node.style)
    return _Node(line, col)


Params = tuple[tuple[str, str | L], ...]


def _with_raw(params: Params, raw: str) -> Params:
    return _with(params, "value", raw)


def _settle_trap(f: Finding, node: _Node | None) -> Finding | None:
    """Keep a YAML-trap finding only when `traps.settle` says it is one; give it the
    text as written and what a YAML 1.1 reader makes of it."""
    params = dict(f.params)
    mark = params.get(MARK)
    written = Written(node.value, node.style) if node is not None and node.scalar else None
    trap = settle(mark if isinstance(mark, str) else None, written)
    if trap is None:
        return None
    clean = tuple((k, v) for k, v in f.params if k != MARK)
    if trap.written is None:
        return replace(f, params=clean)
    kind = trap.kind
    if kind is None:
        old = params.get("kind")
        kind = old if isinstance(old, L) else L(str(old), str(old))
    return replace(f, params=_with(_with_raw(clean, trap.written), "kind", kind))


def _with(params: Params, key: str, value: str | L) -> Params:
    return tuple((k, value if k == key else v) for k, v in params)


def _compose(text: str | None) -> yaml.Node | None:
    if text is None:
        return None
    text = for_positions(text)
    try:
        return yaml.compose(text, Loader=py_loader())
    except (yaml.YAMLError, RecursionError):
        try:  # several documents: positions refer to the first
            for doc in yaml.compose_all(text, Loader=py_loader()):
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
    if isinstance(step, str) or len(k.value) >= 64:
        return False
    return _step_key(step) in _value_keys(k.value)
