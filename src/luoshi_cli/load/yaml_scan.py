"""The PyYAML slow path: what is wrong with a YAML file, and where.

PyYAML reads a file only when the fast reader (`yaml_fast`) refused it or something
in its text asks for a closer look: it explains syntax errors in its familiar
wording, lists every duplicate key with both lines, counts documents, measures
alias replay and nesting depth (LS012, LS018), and finds tags outside the core
schema.  `positions` walks the same events to place a finding on its line; `Lines`
and `for_pyyaml` keep both readers' lines and columns the ones git and editors show.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.codes import L
from ..core.finding import Finding, finding
from .source import MAX_FINDINGS_PER_FILE, Source, out_of_memory
from .yaml_values import as_value, py_loader

if TYPE_CHECKING:  # imported when first needed: a clean ledger never asks PyYAML
    import yaml

ALIAS_LIMIT = 1_000_000
#: characters that aliases may repeat in one file, at the least (`replay_limit`)
REPLAY_CHARS = 16_000_000
MAX_DEPTH = 200

_LINE_COL = re.compile(r"line (\d+), column (\d+)")


def replay_limit(size: int) -> int:
    """How many characters the aliases of a file of `size` characters may repeat: the
    larger of REPLAY_CHARS and ten times the file.

    Why characters: an alias replays its anchor's text wherever it stands, and every
    reader downstream (yaml_rs makes a new str per replay, `status` prints each title)
    pays for each copy: one anchored title of 200,000 characters aliased by 4,000
    tasks is a 1 MB file that made `status --format json` write 800 MB with 3.2 GB of
    memory, while the node count (ALIAS_LIMIT) saw 4,000 nodes.  Why this limit: a
    ledger that shares a milestone list of 1,200 characters among 10,000 tasks repeats
    12 million; with ten times the file (itself at most `max_file_mb`), what aliases
    add stays within a constant factor of what the file could hold written out."""
    return max(REPLAY_CHARS, 10 * size)


def too_many_chars(rel: str, line: int, col: int, chars: int, limit: int) -> Finding:
    """LS012 for aliases that would repeat more than `limit` characters."""
    return finding("LS012", rel, line=line, col=col, limit=L(
        f"{limit:,} 个字符，至少重复 {chars:,} 个",
        f"{limit:,} characters, repeating at least {chars:,}"))


# PyYAML (YAML 1.1) also ends lines at NEL, LS and PS; yaml_rs (YAML 1.2), git, grep
# and GitHub do not.  PyYAML reads a copy where each is a non-breaking space of the
# same length (a different one each, so keys stay distinct): both parsers then agree
# on the structure, and columns stay where they are.
NOT_BREAKS = str.maketrans({"\x85": "\u00a0", "\u2028": "\u2007", "\u2029": "\u202f"})
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_LONE_CR = re.compile("\r(?!\n)")


def for_pyyaml(text: str) -> str:
    """The text PyYAML is given (see NOT_BREAKS)."""
    return text.translate(NOT_BREAKS) if _ODD_BREAK.search(text) else text


# What yaml_rs reads and PyYAML refuses, for the readers that only place findings
# (`positions`, `written`): a C0 or C1 control character (ReaderError: `\x0b`, Word's
# manual line break, pasted into a title) or a noncharacter U+FFFE/U+FFFF (the
# replacement U+FFFD/U+FFFC for it), and an anchor or alias named with other
# than ASCII letters, digits, `_` and `-` (`&重点`: ScannerError).  Either made every
# finding of the file fall back to 1:1.  PyYAML reads a copy where each control is a
# printable character of its own (U+2400… control pictures, U+2460… for C1), and each
# such name is spelt in ASCII letters of the same length: lines, columns and the
# structure stay those yaml_rs read.  (The slow path, which explains a file yaml_rs
# refused, keeps PyYAML's own words about the control character: `for_pyyaml`.)
READABLE = str.maketrans({
    **{chr(c): chr(0x2400 + c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))},
    "\x7f": "\u2421",
    **{chr(c): chr(0x2460 + c - 0x80) for c in range(0x80, 0xA0) if c != 0x85},
    "\x85": "\u00a0", "\u2028": "\u2007", "\u2029": "\u202f",
    "\ufffe": "\ufffd", "\uffff": "\ufffc"})
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
#: an anchor or alias (at a node's start) whose name PyYAML does not accept
_ODD_NAME = re.compile(r"(?:^|(?<=[\s\[{,]))[&*](?=[^\s\[\]{},]*[^0-9A-Za-z_\-\s\[\]{},])"
                       r"[^\s\[\]{},]+", re.MULTILINE)
_ASCII_NAME = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _ascii_name(m: re.Match[str]) -> str:
    name = m.group()
    return name[0] + "".join(c if c.isascii() and (c.isalnum() or c in "_-")
                             else _ASCII_NAME[ord(c) % 62] for c in name[1:])


def for_positions(text: str) -> str:
    """The text PyYAML is given to place findings: `for_pyyaml`, and the controls
    and anchor names it refuses made readable (see READABLE)."""
    if _UNREADABLE.search(text):
        text = text.translate(READABLE)
    if ("&" in text or "*" in text) and _ODD_NAME.search(text):
        text = _ODD_NAME.sub(_ascii_name, text)
    return text


class Lines:
    """Line and column as luoshi reports them: lines end at "\\n" (CRLF included), as
    git, grep and GitHub count them.  PyYAML and yaml_rs also end a line at a lone
    "\\r" (old Mac files); only then are their positions recounted."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = (
            [0, *(m.end() for m in re.finditer("\n", text))] if _LONE_CR.search(text) else None)

    @property
    def as_yaml_counts(self) -> bool:
        """Lines end where PyYAML ends them too (no lone "\\r"): a mark's own line and
        column are the ones reported."""
        return self._starts is None

    def at(self, mark: Any) -> tuple[int, int]:
        """1-based line and column of a PyYAML mark."""
        if mark is None:
            return 1, 1
        if self._starts is None:
            return mark.line + 1, mark.column + 1
        return self._of_index(mark.index)

    def of_yaml(self, line: int, col: int) -> tuple[int, int]:
        """A 1-based position counted in YAML lines (lone CR ends one), recounted."""
        if self._starts is None:
            return line, col
        starts = [0, *(m.end() for m in re.finditer("\r\n|\r|\n", self._text))]
        if not 1 <= line <= len(starts):
            return line, col
        return self._of_index(starts[line - 1] + col - 1)

    def _of_index(self, index: int) -> tuple[int, int]:
        assert self._starts is not None
        i = bisect.bisect_right(self._starts, index) - 1
        return i + 1, index - self._starts[i] + 1


# Tags: yaml_rs refuses some (`!!python/object:…`, `!!timestamp`) without a position
# and reads others (`!foo bar`, `!!binary aGk=`) as plain text, where PyYAML's
# safe_load and other tools refuse them or build something else.  A ledger is plain
# data: a tag outside YAML 1.2's core schema is an error at the tag itself.  Only
# text with a `!` where a tag can start pays for the event scan.
TAG_HINT = re.compile(r"(?:^|[\s\[{,])!")
_CORE_TAGS = frozenset(["!", *(f"tag:yaml.org,2002:{t}" for t in
                              ("str", "int", "float", "bool", "null", "map", "seq"))])
_ANCHOR_FIRST = re.compile(r"&[^\s,\[\]{}]*[ \t]+")
_TAG_TEXT = re.compile(r"![^\s,\[\]{}]*")


def unknown_tags(src: Source) -> bool:
    """LS010 at every tag outside the core schema (up to MAX_FINDINGS_PER_FILE);
    whether there was one.  A file PyYAML cannot read is left to the other checks."""
    import yaml

    text = src.text or ""
    lines = Lines(text)
    found = 0
    try:
        for ev in yaml.parse(for_pyyaml(text), Loader=py_loader()):
            if type(ev) is yaml.DocumentEndEvent:
                break  # later documents are reported (LS015), not read
            tag = getattr(ev, "tag", None)
            if tag is None or tag in _CORE_TAGS:
                continue
            if found == MAX_FINDINGS_PER_FILE:
                src.findings.append(finding("LS019", src.rel, line=1, col=1,
                                            limit=f"{MAX_FINDINGS_PER_FILE:,}"))
                break
            found += 1
            line, col, written = _tag_at(text, lines, ev.start_mark, tag)
            src.findings.append(finding("LS010", src.rel, line=line, col=col, hint="", problem=L(
                f"未知的 YAML 标签 {written}：台账只写普通数据，请删去标签",
                f"unknown YAML tag {written}: a ledger holds plain data, remove the tag")))
    except (yaml.YAMLError, RecursionError):
        pass
    return found > 0


def _tag_at(text: str, lines: Lines, mark: Any, tag: str) -> tuple[int, int, str]:
    """Line, column and text of the tag of the node starting at `mark` (the node's
    properties may put an anchor first: `&a !foo x`)."""
    line, col = lines.at(mark)
    i = mark.index
    m = _ANCHOR_FIRST.match(text, i)
    if m is not None:
        i = m.end()
    t = _TAG_TEXT.match(text, i)
    if t is None:  # not where it was expected: the node's start, the tag as resolved
        return line, col, tag
    return line, col + (i - mark.index), t.group()


def first_document(src: Source, fallback: str | None = None) -> FirstDocument | None:
    """PyYAML events: precise syntax errors, every duplicate key, document count.

    The text of the first document, for the fast reader to read (duplicate keys
    reported, the last one winning as in PyYAML), or None when the findings on `src`
    say all there is to say (`src.ok` set when the file holds no document at all).

    A stream of parse events, not a composed node tree: composing costs about 100
    bytes of memory per byte of YAML (1.6 GB for a 20 MB file with one duplicate
    key, measured), the events a few MB whatever the size.
    """
    import yaml

    text = src.text or ""
    try:
        try:
            scan = _scan(text, src.rel)
        except yaml.reader.ReaderError as exc:
            # a character PyYAML refuses (U+FFFE, a control): said at its own place,
            # then the text scanned with it made readable, for the mistake yaml_rs met
            src.findings.append(_unreadable(src.rel, text, exc))
            scan = _scan(text.translate(READABLE), src.rel)
    except MemoryError:
        src.findings.append(out_of_memory(src.rel, len(text)))
        return None
    except yaml.MarkedYAMLError as exc:
        src.findings.append(_syntax_finding(src.rel, text, exc))
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        src.findings.append(finding("LS010", src.rel, line=1, col=1, problem=str(exc), hint=""))
        return None
    if scan.second is not None:
        src.findings.append(finding("LS015", src.rel, line=scan.second[0], col=1))
    if scan.problem is not None:  # alias bomb, nesting, undefined alias
        src.findings.append(scan.problem)
        return None
    if fallback is not None and not scan.docs:
        src.findings.append(rs_finding(src.rel, fallback, text))
        return None
    if not scan.docs:
        src.data = None
        src.ok = True
        return None
    src.findings.extend(scan.dups)
    if scan.more:
        src.findings.append(finding("LS019", src.rel, line=1, col=1,
                                    limit=f"{MAX_FINDINGS_PER_FILE:,}"))
    if fallback is not None and not scan.dups and scan.second is None:
        # PyYAML accepted what yaml_rs refused (YAML 1.1 vs 1.2 corner): report yaml_rs.
        src.findings.append(rs_finding(src.rel, fallback, text))
        return None
    # the first document, for the fast reader to re-read (last key winning, like PyYAML)
    first_doc = _document_text(text, scan.second)
    if "!" in first_doc and TAG_HINT.search(first_doc) and unknown_tags(src):
        return None
    return FirstDocument(first_doc, scan.second is not None and not scan.root_is_sequence)


def alias_replay_ok(text: str) -> bool:
    """Whether what the aliases of `text` replay stays within ALIAS_LIMIT nodes and
    `replay_limit` characters (and within MAX_DEPTH) — asked by the fast path before
    yaml_rs reads a file that uses aliases, because yaml_rs makes every replayed
    scalar a str of its own: the memory is spent in the parse itself, and its own
    limit counts nodes, not characters.  False also when PyYAML cannot read the file
    (or memory runs out): the slow path then says why, and a file whose replay cannot
    be measured is not replayed.  Files without aliases never come here."""
    import yaml

    try:
        return _scan(text, "").problem is None
    except (yaml.YAMLError, MemoryError, RecursionError):
        return False


@dataclass(frozen=True, slots=True)
class FirstDocument:
    """The first document of a file the slow path explained, to be read."""

    text: str
    #: the file has more documents and the first is not a sequence: a one-item list
    #: read from it stands for its one item
    unwrap: bool


def _document_text(text: str, second: tuple[int, int, int] | None) -> str:
    """The text of the first document (`second`: line, col, index of the second)."""
    if second is None:
        return text
    end = second[2]
    # cut before the '---' that opens the second document
    cut = text.rfind("\n---", 0, end + 1)
    return text[: cut + 1] if cut >= 0 else text[:end]


@dataclass(slots=True)
class _Scan:
    """What one pass over the parse events of a file found."""

    docs: int = 0
    #: line, column and offset of the second document's first node, if any
    second: tuple[int, int, int] | None = None
    root_is_sequence: bool = False
    dups: list[Finding] = field(default_factory=list)
    #: duplicates beyond MAX_FINDINGS_PER_FILE were not listed
    more: bool = False
    problem: Finding | None = None


@dataclass(slots=True)
class _Frame:
    """An open mapping or sequence while scanning."""

    anchor: str | None
    mapping: bool
    size: int = 1  # events, as an alias would replay them
    chars: int = 0  # characters of its scalars, as an alias would replay them
    height: int = 1  # levels of nesting below and including this node
    expect_key: bool = True
    keys: dict[str, int] | None = None  # key -> line of its first occurrence


def _scan(text: str, rel: str) -> _Scan:
    """Document count, duplicate keys (second occurrence, naming the first line),
    alias replay size and nesting depth of the first document, in one pass.

    Raises `yaml.MarkedYAMLError` for a syntax error in the first document; the
    scan stops at the second document, which is reported, not read.

    libyaml 0.2.6 (bundled with PyYAML 6.0.4) refuses a 1000th open flow collection
    while its scanner looks ahead for a simple key (up to 1024 characters of one
    line), before the parser has given the event where this scan stops at MAX_DEPTH:
    `[` * 10_000 failed at column 1001 instead of giving LS018 at column 201.  Then
    the text is scanned again up to the bracket libyaml refused.  Exact: every node up
    to the one that is too deep lies before it, and what follows cannot change them —
    a simple key is decided on its own line within 1024 characters, and a `:` that
    could make a mapping of a node at most 200 levels deep would have to come after
    the 800-odd brackets that close the levels opened since.  Should that cut scan
    not find the problem, PyYAML's pure-Python parser (no nesting limit, no
    recursion) scans the whole text: exact too, but slow (0.4 MB/s).
    """
    import yaml

    loader = py_loader()
    try:
        return _scan_with(text, rel, loader)
    except yaml.MarkedYAMLError as exc:
        if loader is yaml.SafeLoader or not _nesting_limit(exc):
            raise
        mark = exc.problem_mark
        cut = _index_of(text, mark.line, mark.column) if mark is not None else len(text)
    try:
        out = _scan_with(text[:cut], rel, loader)
        if out.problem is not None:
            return out
    except yaml.YAMLError:
        pass
    return _scan_with(text, rel, yaml.SafeLoader)  # pragma: no cover - see above


def _nesting_limit(exc: yaml.MarkedYAMLError) -> bool:
    """The error is libyaml's own nesting limit, not a YAML syntax error."""
    return "maximum nesting depth" in f"{exc.context} {exc.problem}"


_YAML_BREAK = re.compile("\r\n|\r|\n")


def _index_of(text: str, line: int, column: int) -> int:
    """The offset of a 0-based YAML line and column (lone CR ends a line, as in
    PyYAML's marks; counting characters, whatever the reader counted bytes in)."""
    pos = 0
    for _ in range(line):
        m = _YAML_BREAK.search(text, pos)
        if m is None:
            return len(text)
        pos = m.end()
    return min(pos + column, len(text))


def _scan_with(text: str, rel: str, loader: Any) -> _Scan:
    """`_scan` with one PyYAML loader (the C one or the pure-Python one)."""
    import yaml

    out = _Scan()
    stack: list[_Frame] = []
    # anchor -> (replay size in events, height, characters): an alias inside an
    # anchored node adds its own anchor's figures, so nested anchors multiply
    sizes: dict[str, tuple[int, int, int]] = {}
    keys_of: dict[str, str] = {}  # scalar anchor -> its text (an alias used as a key)
    replayed = 0
    replayed_chars = 0
    char_limit = replay_limit(len(text))
    first_alias: tuple[int, int] | None = None

    lines = Lines(text)

    def at(ev: Any) -> tuple[int, int]:
        return lines.at(ev.start_mark)

    def done(size: int, height: int, key: str | None, ev: Any, chars: int) -> None:
        """A complete node of `size` events and `chars` characters: add it to its
        parent."""
        if not stack:
            return
        parent = stack[-1]
        parent.size += size
        parent.chars += chars
        parent.height = max(parent.height, height + 1)
        if parent.mapping:
            if parent.expect_key and key is not None:
                keys = parent.keys if parent.keys is not None else {}
                parent.keys = keys
                line, col = at(ev)
                if key not in keys:
                    keys[key] = line
                elif len(out.dups) < MAX_FINDINGS_PER_FILE:
                    out.dups.append(finding("LS011", rel, line=line, col=col, key=key,
                                            first=keys[key]))
                else:
                    out.more = True
            parent.expect_key = not parent.expect_key

    events: Iterator[Any] = yaml.parse(for_pyyaml(text), Loader=loader)
    for ev in events:
        kind = type(ev)
        if kind is yaml.DocumentStartEvent:
            out.docs += 1
            continue
        opens = kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent
        if kind is yaml.ScalarEvent or opens:  # a node starts: in a second document?
            if out.docs > 1:
                out.second = (*at(ev), ev.start_mark.index if ev.start_mark else 0)
                return out
            if len(stack) >= MAX_DEPTH:
                out.problem = finding("LS018", rel, line=at(ev)[0], col=at(ev)[1],
                                      limit=MAX_DEPTH)
                return out
        if kind is yaml.ScalarEvent:
            if ev.anchor is not None:
                sizes[ev.anchor] = (1, 1, len(ev.value))
                keys_of[ev.anchor] = ev.value
            done(1, 1, ev.value, ev, len(ev.value))
        elif opens:
            if not stack:
                out.root_is_sequence = kind is yaml.SequenceStartEvent
            stack.append(_Frame(ev.anchor, kind is yaml.MappingStartEvent))
        elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            frame = stack.pop()
            frame.size += 1
            if frame.anchor is not None:
                sizes[frame.anchor] = (frame.size, frame.height, frame.chars)
                keys_of.pop(frame.anchor, None)
            done(frame.size, frame.height, None, ev, frame.chars)
        elif kind is yaml.AliasEvent:
            if out.docs > 1:
                out.second = (*at(ev), ev.start_mark.index if ev.start_mark else 0)
                return out
            line, col = at(ev)
            if ev.anchor not in sizes:
                # `lead: *fgw`: a * at the start of a value refers to an anchor
                a = ev.anchor
                out.problem = finding(
                    "LS010", rel, line=line, col=col,
                    problem=L(f"*{a} 引用了未定义的锚点 &{a}", f"found undefined alias *{a}"),
                    hint=L(f"（值开头的 * 表示引用锚点；* 是文字的一部分时，请给整个值加引号，"
                           f"如 \"*{a}\"）",
                           f" (a * at the start of a value refers to an anchor; if the * is "
                           f"part of the text, quote the whole value: \"*{a}\")"))
                return out
            size, height, chars = sizes[ev.anchor]
            first_alias = first_alias or (line, col)
            replayed += size
            replayed_chars += chars
            if replayed > ALIAS_LIMIT:
                out.problem = finding("LS012", rel, line=first_alias[0], col=first_alias[1],
                                      limit=L(f"{ALIAS_LIMIT:,} 个节点", f"{ALIAS_LIMIT:,} nodes"))
                return out
            if replayed_chars > char_limit:
                out.problem = too_many_chars(rel, *first_alias, replayed_chars, char_limit)
                return out
            if len(stack) + height > MAX_DEPTH:
                out.problem = finding("LS018", rel, line=line, col=col, limit=MAX_DEPTH)
                return out
            done(size, height, keys_of.get(ev.anchor), ev, chars)
    return out


def deep_at(text: str) -> tuple[int, int]:
    """Where the nesting first goes deeper than MAX_DEPTH (1:1 if the scan cannot tell)."""
    import yaml

    try:
        problem = _scan(text, "").problem
    except yaml.YAMLError:
        problem = None
    if problem is not None and problem.code == "LS018":
        return problem.line, problem.col
    return 1, 1


def _syntax_finding(rel: str, text: str, exc: yaml.MarkedYAMLError) -> Finding:
    from .syntax import syntax_finding

    lines = Lines(text)
    line, _ = lines.at(exc.problem_mark or exc.context_mark)
    hint = _hint(text, line)
    for no in (line, line - 1):
        ideo = _ideographic_indent(text, no)
        if ideo is not None:
            return finding("LS014", rel, line=no, col=1, key=ideo,
                           fix=indent_words(text, no, True))
    for no in (line, line - 1):
        slip = colon_slip(text, no, line)
        if slip is not None:
            return finding("LS010", rel, line=no, col=slip[0], problem=slip[1], hint="")
    for no in (line, line - 1, line - 2):
        slip = dash_slip(text, no, line)
        if slip is not None:
            return finding("LS010", rel, line=no, col=slip[0], problem=slip[1], hint="")
    flow = flow_slip(text, exc) if lines.as_yaml_counts else None
    if flow is not None:
        return finding("LS010", rel, line=flow[0], col=flow[1], problem=flow[2], hint="")
    if hint is None and "\t" in text:
        tab_line = _first_tab_indent(text)
        if tab_line is not None and tab_line <= line:
            return finding("LS013", rel, line=tab_line, col=1,
                           fix=indent_words(text, tab_line, False))
    return syntax_finding(rel, text, exc, lines, hint)


def _unreadable(rel: str, text: str, exc: yaml.reader.ReaderError) -> Finding:
    """LS010 at the character PyYAML refused, naming it.  Found again in the text
    (`exc.position` is libyaml's count, in bytes or characters as it read them):
    the first one PyYAML's reader refuses, in `for_pyyaml(text)` (which keeps every
    character's place)."""
    import yaml

    from .hidden import char_name

    m = yaml.reader.Reader.NON_PRINTABLE.search(for_pyyaml(text))
    at = m.start() if m is not None else min(max(exc.position, 0), len(text))
    c = text[at] if at < len(text) else ""
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    name = char_name(c) if c else L("不可读取的字符", "an unreadable character")
    return finding("LS010", rel, line=line, col=col, hint="", problem=L(
        f"此处有 YAML 不允许的字符 {name.zh}：它看不见，请删除它（也可以删掉它前后的几个字再"
        f"重新输入）",
        f"a character YAML does not allow here, {name.en}: it is invisible; delete it (or "
        f"delete the words around it and type them again)"))


def _hint(text: str, line: int) -> L | None:
    lines = text.split("\n")
    for no in (line - 1, line - 2):
        if 0 <= no < len(lines) and "：" in lines[no] and ":" not in lines[no]:
            return L(f"（第 {no + 1} 行用了全角冒号“：”，YAML 需要半角冒号加空格“: ”）",
                     f" (line {no + 1} uses a full-width colon '：'; YAML needs ': ')")
    return None


#: `key：value` (a full-width colon) or `key:\u3000value` (an ideographic space after the
#: colon): a line YAML reads as text with no key, the key alone as luoshi's keys are
#: written (no blank inside it), after the line's indentation and list dashes
_COLON_SLIP = re.compile(r"(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[^\s:：#'\"\[\]{},&*!|>%@`][^\s:：#]*?)"
                         r"(?:(?P<full>：)[ \u3000]*|:(?P<ideo>\u3000)[ \u3000]*)(?P<value>.*)")


def colon_slip(text: str, line: int, error_line: int) -> tuple[int, L] | None:
    """The column of the full-width colon on `line` (1-based) of `text`, or of the
    ideographic space right after its colon, and what to say with the line
    corrected — None when the line is neither, or when the line corrected does not
    take the parser past `error_line`, where it stopped (a `说明：…` inside a block
    of text is text, not the mistake)."""
    rows = text.split("\n")
    if not 1 <= line <= len(rows):
        return None
    m = _COLON_SLIP.fullmatch(rows[line - 1].rstrip("\r"))
    if m is None:
        return None
    value = as_value(m["value"].strip(" \u3000\t"), takes_collection(m["key"]))
    rows[line - 1] = f"{m['lead']}{m['key']}: {value}" if value else f"{m['lead']}{m['key']}:"
    if not _parses_past("\n".join(rows), error_line):
        return None
    return (m.start("full") if m["full"] else m.start("ideo")) + 1, slip_words(
        m["full"] is not None, m["lead"].lstrip(), m["key"], m["value"])


#: the longest line a slip's fix quotes whole (`syntax._GLUED_MAX`)
_SLIP_MAX = 2_000
#: `-id: K-01`, `－ id: K-01`: a list item's dash with no space after it, or a
#: full-width dash — after the line's indentation and the list dashes before it
_DASH_SLIP = re.compile(r"(?P<indent>[ ]*)(?P<lead>(?:-[ ]+)*)"
                        r"(?:(?P<half>-)(?=[^\s\-])|(?P<full>－)[ \u3000]*)(?P<rest>\S.*)")


def dash_slip(text: str, line: int, error_line: int) -> tuple[int, L] | None:
    """The column of a list item's dash on `line` (1-based) of `text` that has no
    space after it (`-id: K-01`: YAML reads a key `-id`, and the parser stops a line
    or more below, at the next key) or is full-width (`－ id`), and what to say with
    the line corrected — None when the line is neither, or when the line corrected
    does not take the parser past `error_line`."""
    rows = text.split("\n")
    if not 1 <= line <= len(rows) or len(rows[line - 1]) > _SLIP_MAX:
        return None
    m = _DASH_SLIP.fullmatch(rows[line - 1].rstrip("\r"))
    if m is None:
        return None
    fixed = f"{m['lead']}- {m['rest'].rstrip()}"
    rows[line - 1] = m["indent"] + fixed
    if not _parses_past("\n".join(rows), error_line):
        return None
    if m["half"]:
        return m.start("half") + 1, L(
            f"短横线“-”后面缺少空格：YAML 的列表项以“- ”（短横线加空格）开头，这一行就成了一个"
            f"以“-”开头的键或文字；请写成 {fixed}",
            f"no space after the dash '-': a YAML list item starts with '- ' (a dash and a "
            f"space), so the line is a key or text starting with '-'; write {fixed}")
    return m.start("full") + 1, L(
        f"这里用了全角短横线“－”：YAML 的列表项只认半角短横线加空格“- ”，这一行就成了一个"
        f"以“－”开头的键或文字；请写成 {fixed}",
        f"a full-width dash '－' here: a YAML list item starts with the ASCII dash and a "
        f"space '- ', so the line is a key or text starting with '－'; write {fixed}")


#: a full-width comma between two entries of `{…}` (the next one's key after it)
_FULL_COMMA = re.compile(r"[ \u3000]*，[ \u3000]*(?=[A-Za-z_][A-Za-z0-9_-]*:(?:[ \u3000]|$))")
#: an entry's key and ": " in `{…}`: its value starts at the match's end
_FLOW_KEY = re.compile(r"(?:^|[{,])[ \u3000]*(?P<key>[^\s:,\[\]{}'\"][^:,\[\]{}]*?):[ ]+")


#: the next entry's key in `{…}` right after a value, with no comma before it: after
#: blanks, or after a full-width colon, enumeration comma or semicolon typed for ","
_NEXT_KEY = re.compile(r"(?P<sep>[ \u3000]*[：、；][ \u3000]*|[ \u3000]+)"
                       r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)\Z")


def is_key(name: str) -> bool:
    """Whether `name` is a key of some file of a ledger (`schema.SPECS`)."""
    from .schema import SPECS

    return any(name in spec.keys for spec in SPECS.values())


def _missing_comma(rows: list[str], no: int, row: str,
                   glued: re.Match[str]) -> tuple[int, int, L] | None:
    """`{id: weinangs：name: 威楠公司}`: the next entry's key (`glued`, on `row`, line
    `no` 0-based of `rows`) follows a value with no comma, as YAML reads it one text
    ending in ": " — the comma to write, when the line with it reads."""
    fixed = row[:glued.start()] + ", " + row[glued.start("key"):]
    rows = [*rows[:no], fixed + rows[no][len(row):], *rows[no + 1:]]
    if not _parses_past("\n".join(rows), no + 1):
        return None
    sep = glued["sep"].strip(" \u3000")
    col = glued.start() + (glued["sep"].index(sep) if sep else 0) + 1
    if sep:
        return no + 1, col, L(
            f"两项之间用了“{sep}”：花括号里的各项只能用半角逗号“,”隔开；请写成 {fixed.strip()}",
            f"'{sep}' between two entries: entries in braces are separated by the ASCII "
            f"comma ','; write {fixed.strip()}")
    return no + 1, col, L(
        f"两项之间缺少逗号：花括号里的各项要用半角逗号“,”隔开；请写成 {fixed.strip()}",
        f"two entries lack a comma between them: entries in braces are separated by the "
        f"ASCII comma ','; write {fixed.strip()}")


def flow_slip(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, L] | None:
    """Line, column and what to say when `{…}` stopped at a slip inside it rather
    than at a brace never closed: a full-width comma between two entries
    (`{due: 2024-02-29，standard: 开工}`) or none (`{id: weinangs：name: 威楠公司}`:
    the next key is one luoshi knows), or a value holding ": " or a bracket,
    which in braces start a new key or collection (`standard: 开工5个: 含续建`,
    `standard: 开工[5]个`).  None when the line corrected would not take the parser
    past the line where it stopped (the lines counted as YAML counts them)."""
    at = exc.problem_mark
    if (at is None or "flow mapping" not in (exc.context or "")
            or "expected ',' or '}'" not in (exc.problem or "")):
        return None
    rows = text.split("\n")
    if not 0 <= at.line < len(rows) or len(rows[at.line]) > _SLIP_MAX:
        return None
    row, p = rows[at.line].rstrip("\r"), at.column
    if not 0 <= p < len(row):
        return None
    commas = [m for m in _FULL_COMMA.finditer(row) if m.start() < p]
    if commas:
        fixed = _FULL_COMMA.sub(", ", row)
        said = L(f"两项之间用了全角逗号“，”：花括号里的各项只能用半角逗号“,”隔开；"
                 f"请写成 {fixed.strip()}",
                 f"a full-width comma '，' between two entries: entries in braces are "
                 f"separated by the ASCII comma ','; write {fixed.strip()}")
        col = commas[0].start() + commas[0].group().index("，")
    else:
        keys = [m for m in _FLOW_KEY.finditer(row, 0, p) if m.end() <= p]
        if not keys or row[p] not in ":[]{}":
            return None
        start = keys[-1].end()
        glued = _NEXT_KEY.search(row, start, p) if row[p] == ":" else None
        if glued is not None and glued.start() > start and is_key(glued["key"]):
            return _missing_comma(rows, at.line, row, glued)
        depth, end = 0, start
        while end < len(row) and not (depth == 0 and row[end] in ",}"):
            depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(row[end], 0)
            depth = max(depth, 0)
            end += 1
        value = row[start:end].rstrip(" \u3000")
        if not value or value[0] in "'\"[{" or value != value.lstrip(" \u3000"):
            return None
        quoted = f"'{value}'" if "'" not in value else json.dumps(value, ensure_ascii=False)
        fixed = row[:start] + quoted + row[start + len(value):]
        entry = f"{keys[-1]['key'].strip(' ' + chr(0x3000))}: {quoted}"
        if row[p] == ":":
            said = L(f"值里有“: ”（冒号加空格），花括号里会把它读成新的键：请给整个值加引号，"
                     f"写成 {entry}",
                     f"the value holds \": \" (a colon and a space), which inside braces "
                     f"starts a new key: quote the whole value, write {entry}")
        else:
            said = L(f"值里有括号“{row[p]}”：花括号里的括号会开始新的列表或映射；请给整个值"
                     f"加引号，写成 {entry}",
                     f"the value holds a bracket '{row[p]}': inside braces a bracket starts "
                     f"a new list or mapping; quote the whole value, write {entry}")
        col = start
    rows[at.line] = fixed + rows[at.line][len(row):]
    if not _parses_past("\n".join(rows), at.line + 1):
        return None
    return at.line + 1, col + 1, said


def _parses_past(text: str, error_line: int) -> bool:
    """Whether PyYAML reads `text` without an error on or before `error_line`
    (1-based).  Only ever asked for a file that has a syntax error."""
    import yaml

    try:
        for _ in yaml.parse(for_positions(text), Loader=py_loader()):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line + 1 > error_line
    except yaml.YAMLError:
        return False
    return True


def takes_collection(key: str) -> bool:
    """Whether `key` may hold a list or a mapping (`schema.takes_collection`)."""
    from .schema import takes_collection as takes

    return takes(key)


def slip_words(full: bool, lead: str, key: str, value: str) -> L:
    """What a full-width colon (`full`) or an ideographic space after a colon did to
    `key` and `value`, with the line to write instead (`lead`: its list dashes)."""
    value = as_value(value.strip(" \u3000\t"), takes_collection(key))
    fixed = f"{lead}{key}: {value}" if value else f"{lead}{key}:"
    if full:
        return L(f"这里用了全角冒号“：”：YAML 只认半角冒号加空格“: ”，这一行就成了一段没有键的"
                 f"文字；请改为 {fixed}",
                 f"a full-width colon '：' here: YAML knows only the ASCII colon and a space "
                 f"': ', so the line is text with no key; write {fixed}")
    return L(f"冒号后面是全角空格（U+3000）：YAML 只认冒号后的半角空格，这一行就成了一段没有键的"
             f"文字；请改为 {fixed}",
             f"the colon is followed by a full-width space (U+3000): YAML knows only an ASCII "
             f"space after the colon, so the line is text with no key; write {fixed}")


def _ideographic_indent(text: str, line: int) -> str | None:
    """The key on `line` when that line is indented with U+3000 (全角空格)."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    m = re.match(r"[ ]*\u3000+\s*([^:\s]+)", lines[line - 1])
    return m.group(1) if m else None


#: what a line's indentation may be made of: spaces, tabs and U+3000 (全角空格)
_BLANKS = " \t\u3000"
#: where the key of a list item `- key: …` (or `- - key: …`) starts
_ITEM_KEY = re.compile(r"(?:-[ ]+)+(?=[^\s#-])")


def indent_words(text: str, line: int, ideographic: bool) -> L:
    """How to indent `line` (1-based), indented with a tab or U+3000 (`ideographic`):
    the line with as many ASCII spaces as puts it beside its siblings
    (`_sibling_indent`), or — when that cannot be told — the general advice."""
    rows = text.split("\n")
    spaces = _sibling_indent(rows, line - 1) if 1 <= line <= len(rows) else None
    if spaces is None:
        if ideographic:
            return L("请把全角空格换成半角空格", "indent with ASCII spaces")
        return L("请把 Tab 换成空格", "replace the tab with spaces")
    fixed = " " * spaces + rows[line - 1].lstrip(_BLANKS).rstrip("\r")
    if spaces == 0:
        return L(f"请去掉行首的空白，写成 {fixed}", f"remove the indentation, write {fixed}")
    return L(f"请改为 {spaces} 个半角空格：{fixed}", f"write {spaces} spaces: '{fixed}'")


def _sibling_indent(rows: list[str], at: int) -> int | None:
    """The number of spaces that puts row `at` where its siblings are.  The
    candidates: the indentation of the lines before it that it can follow (each
    one not deeper than all after it; a list item's key counts too), nearest first
    — or, right under a line that opens a block (`milestones:`), the next line's
    (or 2 more than the opener's); those that keep the next line's place (beside
    it, or its parent) first.  The first with which the file reads without an error
    up to the next line indented with a tab or U+3000; None if none does."""
    content = rows[at].lstrip(_BLANKS).rstrip("\r")
    if not content.strip() or len(rows) > 20_000:
        return None

    def spaced(no: int) -> tuple[int, str] | None:
        row = rows[no].rstrip("\r")
        body = row.lstrip(" ")
        if not body or body.startswith("#") or body[0] in "\t\u3000":
            return None
        return len(row) - len(body), body

    def inner(body: str) -> int:
        """Where the key of a list item `- key: …` starts (0: no such key)."""
        m = _ITEM_KEY.match(body)
        return m.end() if m is not None and body[m.end()] not in "{[" else 0

    def opens(body: str) -> bool:
        return body.split(" #")[0].rstrip().endswith(":")

    item = content.startswith("-")
    after = next((s for no in range(at + 1, min(at + 200, len(rows)))
                  if (s := spaced(no)) is not None), None)
    chain: list[tuple[int, str]] = []
    for no in range(at - 1, max(at - 2_000, -1), -1):
        s = spaced(no)
        if s is not None and (not chain or s[0] <= chain[-1][0]):
            chain.append(s)
            if s[0] == 0:
                break
    candidates: list[int] = []
    if chain and opens(chain[0][1]):
        top = chain[0][0]
        if after is not None and (after[0] > top or (item and after[0] == top
                                                      and after[1].startswith("-"))):
            candidates.append(after[0])
        else:
            candidates.append(top + 2)
    else:
        for n, body in chain:
            key = inner(body)
            candidates += [n, n + key] if item or not key else [n + key, n]

    def keeps_next(n: int) -> bool:
        if after is None:
            return True
        if opens(content):
            return after[0] > n or (after[0] == n and after[1].startswith("-"))
        key = inner(content)
        return after[0] == n + key if key else after[0] <= n

    bad = next((no for no in range(at + 1, len(rows))
                if rows[no][:len(rows[no]) - len(rows[no].lstrip(_BLANKS))].strip(" ")),
               len(rows))
    tried: set[int] = set()
    for n in sorted(candidates, key=lambda n: not keeps_next(n)):
        if n in tried or n > 40 or len(tried) >= 8:  # each try reads the file again
            continue
        tried.add(n)
        fixed = [*rows[:at], " " * n + content, *rows[at + 1:]]
        if _parses_past("\n".join(fixed), bad):
            return n
    return None


def _first_tab_indent(text: str) -> int | None:
    m = re.search(r"(?m)^[ ]*\t", text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def rs_position(message: str, text: str = "") -> tuple[int, int]:
    m = _LINE_COL.search(message)
    if m is None:
        return 1, 1
    return Lines(text).of_yaml(int(m.group(1)), int(m.group(2)))


def rs_finding(rel: str, message: str, text: str) -> Finding:
    """LS010 for a yaml_rs error `message` in `text`: at its place, in Chinese where
    its phrases are known (`rs_problem`), with the line to write where the slip is
    one a clerk makes (`_rs_slip`)."""
    line, col = rs_position(message, text)
    lines = [s for s in message.strip().splitlines() if s.strip()]
    rows = text.split("\n")
    slip = (_rs_slip(lines[-1].strip(), rows[line - 1].rstrip("\r"), col)
            if lines and 1 <= line <= len(rows) else None)
    if slip is not None:
        return finding("LS010", rel, line=line, col=slip[0], problem=slip[1], hint="")
    return finding("LS010", rel, line=line, col=col, problem=rs_problem(message), hint="")


#: the key before a value in a row: after the start, a dash or a flow opener or comma
_KEY_BEFORE = re.compile(r"(?:^|[-{\[,][ \t]*)(?P<key>[^\s:{}\[\],][^:{}\[\],]*?):[ \t]*$")


def _rs_slip(problem: str, row: str, col: int) -> tuple[int, L] | None:
    """Where yaml_rs's `problem` at `col` (1-based) of `row` is a slip PyYAML lets
    pass — a tab after the colon, a lone dash for a value inside `{…}` or `[…]` —
    the column to point at and what to write."""
    at = col - 1
    if problem == "':' must be followed by a valid YAML whitespace":
        colon = row.rfind(":", 0, at)
        if colon < 0 or row[colon + 1:at].strip(" \t") != "" or "\t" not in row[colon:at]:
            return None
        body = row.lstrip(" ")
        cut = colon - (len(row) - len(body))
        fixed = body[:cut] + ": " + body[cut + 1:].lstrip(" \t")
        return colon + 2, L(
            f"冒号后面是制表符（Tab）：YAML 只认冒号后的半角空格；请写成 {fixed}",
            f"the colon is followed by a tab: YAML wants an ASCII space after the colon; "
            f"write {fixed}")
    if problem == "plain scalar cannot start with '-' followed by ,[]{}":
        if not (0 <= at < len(row) and row[at] == "-"):
            return None
        m = _KEY_BEFORE.search(row[:at])
        fixed = f'{m["key"].strip()}: "-"' if m is not None else '"-"'
        return col, L(
            f"值只有一个短横线“-”：在花括号或方括号里，YAML 不能把它读成文字；请给它加引号，写成 "
            f"{fixed}",
            f"the value is a lone dash '-', which YAML cannot read as text inside braces or "
            f"brackets; quote it, write {fixed}")
    return None


def rs_problem(message: str) -> L:
    """The problem of a yaml_rs error (its last line), in Chinese where its phrases
    are known (`syntax.parser_words`)."""
    from .syntax import parser_words

    lines = [s for s in message.strip().splitlines() if s.strip()]
    return parser_words(lines[-1].strip() if lines else message)


