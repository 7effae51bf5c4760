"""Files → Python data, with every guard a district office needs.

Why two YAML readers: `yaml_rs` (Rust, YAML 1.2) builds Python objects about ten
times faster than PyYAML's CSafeLoader, rejects duplicate keys and bounds alias
replay, so it is the fast path for every file.  PyYAML is used only when something
is wrong with a file (to explain a syntax error, list every duplicate key with both
lines, split multi-document files) and by `positions` to find the line of a finding.
Clean files are never parsed twice.

YAML 1.2 reads `no`, `on`, `1:30` as text, as a ledger means them; the schema layer
still warns where a YAML 1.1 tool (PyYAML, most converters) would read them otherwise.
"""

from __future__ import annotations

import bisect
import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml
import yaml_rs

from ..core.codes import L
from ..core.finding import Finding, finding

DEFAULT_MAX_FILE_MB = 64
ALIAS_LIMIT = 1_000_000
MAX_DEPTH = 200
#: findings kept per file: beyond it one LS019 says the rest were not listed, so that
#: a file repeating one mistake a million times cannot exhaust the memory
MAX_FINDINGS_PER_FILE = 200_000

_ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=ALIAS_LIMIT)
_LINE_COL = re.compile(r"line (\d+), column (\d+)")
_DOC_MARKER = re.compile(r"\n(?:---|\.\.\.)(?=\s|$)")
_FIRST_ALIAS = re.compile(r"(?<![\w&*])\*[^\s,\[\]{}]+")

try:  # the C parser when PyYAML was built with libyaml
    _PyLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _PyLoader = yaml.SafeLoader

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


class Lines:
    """Line and column as luoshi reports them: lines end at "\\n" (CRLF included), as
    git, grep and GitHub count them.  PyYAML and yaml_rs also end a line at a lone
    "\\r" (old Mac files); only then are their positions recounted."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = (
            [0, *(m.end() for m in re.finditer("\n", text))] if _LONE_CR.search(text) else None)

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


@dataclass(slots=True)
class Source:
    """One ledger file: its text (once decoded) and its data (once parsed)."""

    path: Path
    rel: str
    text: str | None = None
    data: Any = None
    ok: bool = False
    findings: list[Finding] = field(default_factory=list)


def read_text(path: Path, rel: str, max_mb: float = DEFAULT_MAX_FILE_MB) -> Source:
    """Read and decode one file; problems become findings, never exceptions."""
    src = Source(path=path, rel=rel)
    limit = int(max_mb * 1024 * 1024)
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            src.findings.append(finding("LS006", rel, line=1, col=1, reason=_is_dir_reason()))
            return src
        if not stat.S_ISREG(st.st_mode):
            # a FIFO would block the run forever, /dev/zero would fill the memory
            src.findings.append(finding("LS006", rel, line=1, col=1, reason=_special_reason()))
            return src
        if st.st_size > limit:
            src.findings.append(_too_large(rel, st.st_size, max_mb))
            return src
        with open(path, "rb") as fh:
            raw = _read_bounded(fh, st.st_size, limit)
        if len(raw) > limit:
            src.findings.append(_too_large(rel, len(raw), max_mb))
            return src
    except OSError as exc:
        src.findings.append(finding("LS006", rel, line=1, col=1, reason=_os_reason(exc)))
        return src
    try:
        text, problem = decode(raw, rel)
    except MemoryError:
        problem = _out_of_memory(rel, len(raw))
    if problem is not None:
        src.findings.append(problem)
        return src
    src.text = text
    return src


def _out_of_memory(rel: str, size: int) -> Finding:
    """A file within max_file_mb that this machine cannot hold while reading it."""
    return finding("LS006", rel, line=1, col=1,
                   reason=f"not enough memory to read {size / 1048576:.3g} MB: lower "
                   f"max_file_mb and split the file / 内存不足，无法读取：请拆分文件")


def _read_bounded(fh: BinaryIO, size: int, limit: int) -> bytes:
    """At most `limit` + 1 bytes.  One read of the size `stat` gave, as a rule; a file
    that grows while it is read, or a /proc file that says size 0, is read on in
    chunks (never one buffer of `limit` bytes: that alone can exhaust the memory)."""
    want = min(size, limit) + 1
    raw = fh.read(want)
    if len(raw) < want:
        return raw
    parts, total = [raw], len(raw)
    while total <= limit:
        chunk = fh.read(min(1 << 24, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _is_dir_reason() -> str:
    return "it is a directory / 这是一个目录"


def _special_reason() -> str:
    return ("it is not a regular file (a FIFO, device or socket) / "
            "不是普通文件（管道、设备或套接字）")


def _too_large(rel: str, size: int, max_mb: float) -> Finding:
    return finding("LS003", rel, line=1, col=1, size=f"{size / 1048576:.3g}",
                   limit=_num(max_mb))


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop / 符号链接循环"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied / 没有读取权限"
    if exc.errno == errno.ENOENT:
        return "no such file / 文件不存在（可能是失效的符号链接）"
    return exc.strerror or str(exc)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def decode(raw: bytes, rel: str) -> tuple[str | None, Finding | None]:
    """Strict cascade: BOM → UTF-8 → (diagnose GB18030 / UTF-16 / binary).

    NOTES.md: a strict cascade identified every GBK sample where statistical
    detectors called short files Big5, so no detector library is used.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "UTF-16LE" if raw.startswith(b"\xff\xfe") else "UTF-16BE"
        return None, _not_utf8(rel, enc, "UTF-16")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in raw:
            return None, _binary_or_utf16(raw, rel)
        if _mostly_utf8(raw):  # a UTF-8 file with a few bad bytes: say where they are
            return None, _bad_byte(raw, rel, exc.start, "is not valid UTF-8 / 不是有效的 UTF-8")
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, _bad_byte(raw, rel, exc.start, "is neither UTF-8 nor GB18030 / "
                                   "既不是 UTF-8 也不是 GB18030")
        return None, _not_utf8(rel, "GB18030 (GBK)", "GB18030")
    if "\x00" in text:
        return None, _binary_or_utf16(raw, rel)
    return text, None


def _mostly_utf8(raw: bytes) -> bool:
    """Nearly every non-ASCII character decodes as UTF-8 (GBK text decoded as UTF-8
    fails at almost every character, a UTF-8 file with a stray byte at one)."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= 20 * bad


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters) of a byte offset in undecodable bytes."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", errors="replace")) + 1


def _bad_byte(raw: bytes, rel: str, offset: int, what: str) -> Finding:
    line, col = _byte_position(raw, offset)
    return finding("LS005", rel, line=line, col=col,
                   reason=f"byte 0x{raw[offset]:02x} at line {line}, column {col} {what}")


def _binary_or_utf16(raw: bytes, rel: str) -> Finding:
    sample = raw[:4096]
    even_nuls = sample[1::2].count(0)
    odd_nuls = sample[0::2].count(0)
    half = max(1, len(sample) // 2)
    # ASCII keys give UTF-16 a NUL in every other byte; Chinese text fewer of them
    if even_nuls > 0.2 * half and odd_nuls < 0.1 * half and _reads_as(sample, "utf-16-le"):
        return _not_utf8(rel, "UTF-16LE", "UTF-16LE")
    if odd_nuls > 0.2 * half and even_nuls < 0.1 * half and _reads_as(sample, "utf-16-be"):
        return _not_utf8(rel, "UTF-16BE", "UTF-16BE")
    offset = raw.find(b"\x00")
    line, col = _byte_position(raw, offset)
    return finding("LS005", rel, line=line, col=col,
                   reason=f"NUL byte at offset {offset} / 含有 NUL 字节")


def _reads_as(sample: bytes, encoding: str) -> bool:
    """The sample decodes as `encoding` into text, not control characters."""
    sample = sample[: len(sample) // 2 * 2]
    text = sample.decode(encoding, errors="replace")
    if not text:
        return False
    odd = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r") or ch == "\ufffd")
    return odd * 20 <= len(text)


def _not_utf8(rel: str, encoding: str, iconv: str) -> Finding:
    return finding("LS004", rel, line=1, col=1, encoding=encoding, iconv=iconv, name=rel)


def parse(src: Source) -> Source:
    """Parse `src.text` into `src.data`; sets `src.ok` when the data can be used."""
    text = src.text
    if text is None:
        return src
    if _DOC_MARKER.search(text):
        return _parse_slow(src)
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
        src.findings.append(_out_of_memory(src.rel, len(text)))
        return src
    except (RecursionError, OverflowError, ValueError, TypeError) as exc:
        # TypeError: yaml_rs cannot hash a mapping used inside a mapping key
        # (`? {a: {b: 1}}`); the slow path explains the file
        return _diagnose(src, str(exc))
    if "!" in text and _TAG_HINT.search(text) and _unknown_tags(src):
        src.data = None
        return src
    walked = _deep_hint(text)
    src.ok = _depth_ok(src) if walked else True
    if src.ok and _MERGE_KEY.search(text) and (walked or _depth_ok(src)):
        src.data = merge_keys(src.data)  # recursive: only over data known to be shallow
    if src.ok and _LONG_NUMBER.search(text):
        src.data = written_numbers(text, src.data)
    return src


class WrittenFloat(float):
    """A float that keeps the text it was written as: `89.994999999999999` has more
    digits than a binary float holds (it reads back as 89.995), and a score must be
    read as written (SPEC §4 v1.1).  `Num` takes `Decimal(text)`; every other use sees
    a plain float."""

    text: str

    def __new__(cls, value: float, text: str) -> WrittenFloat:
        self = super().__new__(cls, value)
        self.text = text
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # the parse cache pickles data
        return (WrittenFloat, (float(self), self.text))


# a number with more significant digits than a float's repr keeps (≥ 16): rare, so
# only such files pay for reading their numbers' text again
_LONG_NUMBER = re.compile(r"(?<![\w.])[-+]?(?=(?:\d[._]?){16})\d[\d_]*\.?[\d_]*")


def written_numbers(text: str, data: Any) -> Any:
    """Give every float of `data` whose written text holds more digits than the float
    its text, by walking PyYAML's node tree of the same text alongside.  Where the two
    readers disagree (a YAML 1.1/1.2 corner) the value is left as it is."""
    try:
        node = yaml.compose(for_pyyaml(text), Loader=_PyLoader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return data
    return _with_text(node, data) if node is not None else data


def _with_text(node: Any, data: Any) -> Any:
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


def _deep_hint(text: str) -> bool:
    if _DEEP_START.match(text) or _DEEP_LINE.search(text):
        return True
    if "\r" in text and _DEEP_LINE_CR.search(text):
        return True
    if _flow_deeper(text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)):
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
    stack: list[tuple[Any, int]] = [(src.data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            line, col = _deep_at(src.text or "")
            src.findings.append(finding("LS018", src.rel, line=line, col=col, limit=MAX_DEPTH))
            src.data = None
            return False
        if depth > 6:  # ledger data is shallow; only walk deeper when it is not
            if isinstance(node, dict):
                stack.extend((v, depth + 1) for v in node.values())
            elif isinstance(node, list):
                stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return True


def _diagnose(src: Source, message: str) -> Source:
    """The fast parser refused the file: find out why, with positions."""
    text = src.text or ""
    if "alias replay limit" in message or ("alias" in message and "limit" in message):
        m = _FIRST_ALIAS.search(text)
        line, col = _line_col(text, m.start()) if m else (1, 1)
        src.findings.append(finding("LS012", src.rel, line=line, col=col, limit=f"{ALIAS_LIMIT:,}"))
        return src
    if message.startswith("duplicate mapping key"):
        return _parse_slow(src)
    if "recursion" in message.lower() or "depth" in message.lower():
        line, col = _deep_at(text)
        src.findings.append(finding("LS018", src.rel, line=line, col=col, limit=MAX_DEPTH))
        return src
    if message.startswith("Invalid tag") and _unknown_tags(src):
        return src
    if message.startswith("unhashable type"):  # yaml_rs: a mapping inside a mapping key
        m = _EXPLICIT_KEY.search(text)
        line, col = _line_col(text, m.end() - 2) if m else (1, 1)
        src.findings.append(finding("LS010", src.rel, line=line, col=col, hint="", problem=L(
            "键本身是映射（如 ? {a: {b: 1}}）：台账的键只能是文字",
            "a key that is itself a mapping (like ? {a: {b: 1}}): ledger keys are text")))
        return src
    # a syntax error: let PyYAML explain it (its wording is the familiar one)
    return _parse_slow(src, fallback=message)


_EXPLICIT_KEY = re.compile(r"(?m)^[ \t]*(?:-[ \t]+)*\?[ \t]")

# Tags: yaml_rs refuses some (`!!python/object:…`, `!!timestamp`) without a position
# and reads others (`!foo bar`, `!!binary aGk=`) as plain text, where PyYAML's
# safe_load and other tools refuse them or build something else.  A ledger is plain
# data: a tag outside YAML 1.2's core schema is an error at the tag itself.  Only
# text with a `!` where a tag can start pays for the event scan.
_TAG_HINT = re.compile(r"(?:^|[\s\[{,])!")
_CORE_TAGS = frozenset(["!", *(f"tag:yaml.org,2002:{t}" for t in
                              ("str", "int", "float", "bool", "null", "map", "seq"))])
_ANCHOR_FIRST = re.compile(r"&[^\s,\[\]{}]*[ \t]+")
_TAG_TEXT = re.compile(r"![^\s,\[\]{}]*")


def _unknown_tags(src: Source) -> bool:
    """LS010 at every tag outside the core schema (up to MAX_FINDINGS_PER_FILE);
    whether there was one.  A file PyYAML cannot read is left to the other checks."""
    text = src.text or ""
    lines = Lines(text)
    found = 0
    try:
        for ev in yaml.parse(for_pyyaml(text), Loader=_PyLoader):
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


def _parse_slow(src: Source, fallback: str | None = None) -> Source:
    """PyYAML events: precise syntax errors, every duplicate key, document count.

    A stream of parse events, not a composed node tree: composing costs about 100
    bytes of memory per byte of YAML (1.6 GB for a 20 MB file with one duplicate
    key, measured), the events a few MB whatever the size.
    """
    text = src.text or ""
    try:
        scan = _scan(text, src.rel)
    except MemoryError:
        src.findings.append(_out_of_memory(src.rel, len(text)))
        return src
    except yaml.MarkedYAMLError as exc:
        src.findings.append(_syntax_finding(src.rel, text, exc))
        return src
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        src.findings.append(finding("LS010", src.rel, line=1, col=1, problem=str(exc), hint=""))
        return src
    if scan.second is not None:
        src.findings.append(finding("LS015", src.rel, line=scan.second[0], col=1))
    if scan.problem is not None:  # alias bomb, nesting, undefined alias
        src.findings.append(scan.problem)
        return src
    if fallback is not None and not scan.docs:
        line, col = _rs_position(fallback, text)
        src.findings.append(
            finding("LS010", src.rel, line=line, col=col, problem=_rs_problem(fallback), hint="")
        )
        return src
    if not scan.docs:
        src.data = None
        src.ok = True
        return src
    src.findings.extend(scan.dups)
    if scan.more:
        src.findings.append(finding("LS019", src.rel, line=1, col=1,
                                    limit=f"{MAX_FINDINGS_PER_FILE:,}"))
    if fallback is not None and not scan.dups and scan.second is None:
        # PyYAML accepted what yaml_rs refused (YAML 1.1 vs 1.2 corner): report yaml_rs.
        line, col = _rs_position(fallback, text)
        src.findings.append(
            finding("LS010", src.rel, line=line, col=col, problem=_rs_problem(fallback), hint="")
        )
        return src
    # re-read the first document with the fast reader, last key winning like PyYAML
    first_doc = _document_text(text, scan.second)
    if "!" in first_doc and _TAG_HINT.search(first_doc) and _unknown_tags(src):
        return src
    try:
        src.data = yaml_rs.loads(
            first_doc,
            alias_limits=_ALIAS_LIMITS,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.LastWins,
        )
    except (yaml_rs.YAMLDecodeError, ValueError, RecursionError, MemoryError) as exc:
        line, col = _rs_position(str(exc), text)
        src.findings.append(
            finding("LS010", src.rel, line=line, col=col, problem=_rs_problem(str(exc)), hint="")
        )
        return src
    if (isinstance(src.data, list) and scan.second is not None and len(src.data) == 1
            and not scan.root_is_sequence):
        src.data = src.data[0]
    src.ok = _depth_ok(src)
    if src.ok and _MERGE_KEY.search(first_doc):
        src.data = merge_keys(src.data)
    if src.ok and _LONG_NUMBER.search(first_doc):
        src.data = written_numbers(first_doc, src.data)
    return src


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
    try:
        return _scan_with(text, rel, _PyLoader)
    except yaml.MarkedYAMLError as exc:
        if _PyLoader is yaml.SafeLoader or not _nesting_limit(exc):
            raise
        mark = exc.problem_mark
        cut = _index_of(text, mark.line, mark.column) if mark is not None else len(text)
    try:
        out = _scan_with(text[:cut], rel, _PyLoader)
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
    out = _Scan()
    stack: list[_Frame] = []
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (replay size, height)
    keys_of: dict[str, str] = {}  # scalar anchor -> its text (an alias used as a key)
    replayed = 0
    first_alias: tuple[int, int] | None = None

    lines = Lines(text)

    def at(ev: Any) -> tuple[int, int]:
        return lines.at(ev.start_mark)

    def done(size: int, height: int, key: str | None, ev: Any) -> None:
        """A complete node of `size` events: add it to its parent."""
        if not stack:
            return
        parent = stack[-1]
        parent.size += size
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
                sizes[ev.anchor] = (1, 1)
                keys_of[ev.anchor] = ev.value
            done(1, 1, ev.value, ev)
        elif opens:
            if not stack:
                out.root_is_sequence = kind is yaml.SequenceStartEvent
            stack.append(_Frame(ev.anchor, kind is yaml.MappingStartEvent))
        elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            frame = stack.pop()
            frame.size += 1
            if frame.anchor is not None:
                sizes[frame.anchor] = (frame.size, frame.height)
                keys_of.pop(frame.anchor, None)
            done(frame.size, frame.height, None, ev)
        elif kind is yaml.AliasEvent:
            if out.docs > 1:
                out.second = (*at(ev), ev.start_mark.index if ev.start_mark else 0)
                return out
            line, col = at(ev)
            if ev.anchor not in sizes:
                out.problem = finding("LS010", rel, line=line, col=col, hint="",
                                      problem=f"found undefined alias *{ev.anchor}")
                return out
            size, height = sizes[ev.anchor]
            first_alias = first_alias or (line, col)
            replayed += size
            if replayed > ALIAS_LIMIT:
                out.problem = finding("LS012", rel, line=first_alias[0], col=first_alias[1],
                                      limit=f"{ALIAS_LIMIT:,}")
                return out
            if len(stack) + height > MAX_DEPTH:
                out.problem = finding("LS018", rel, line=line, col=col, limit=MAX_DEPTH)
                return out
            done(size, height, keys_of.get(ev.anchor), ev)
    return out


def _deep_at(text: str) -> tuple[int, int]:
    """Where the nesting first goes deeper than MAX_DEPTH (1:1 if the scan cannot tell)."""
    try:
        problem = _scan(text, "").problem
    except yaml.YAMLError:
        problem = None
    if problem is not None and problem.code == "LS018":
        return problem.line, problem.col
    return 1, 1


def _syntax_finding(rel: str, text: str, exc: yaml.MarkedYAMLError) -> Finding:
    line, col = Lines(text).at(exc.problem_mark or exc.context_mark)
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        problem = f"{exc.context}, {exc.problem}"
    hint = _hint(text, line)
    for no in (line, line - 1):
        ideo = _ideographic_indent(text, no)
        if ideo is not None:
            return finding("LS014", rel, line=no, col=1, key=ideo)
    if hint is None and "\t" in text:
        tab_line = _first_tab_indent(text)
        if tab_line is not None and tab_line <= line:
            return finding("LS013", rel, line=tab_line, col=1)
    return finding("LS010", rel, line=line, col=col, problem=problem, hint=hint or "")


def _hint(text: str, line: int) -> str | None:
    lines = text.split("\n")
    for no in (line - 1, line - 2):
        if 0 <= no < len(lines) and "：" in lines[no] and ":" not in lines[no]:
            return (f" (line {no + 1} uses a full-width colon '：'; YAML needs ': ' / "
                    f"第 {no + 1} 行用了全角冒号“：”，YAML 需要半角冒号加空格“: ”)")
    return None


def _ideographic_indent(text: str, line: int) -> str | None:
    """The key on `line` when that line is indented with U+3000 (全角空格)."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    m = re.match(r"[ ]*\u3000+\s*([^:\s]+)", lines[line - 1])
    return m.group(1) if m else None


def _first_tab_indent(text: str) -> int | None:
    m = re.search(r"(?m)^[ ]*\t", text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _rs_position(message: str, text: str = "") -> tuple[int, int]:
    m = _LINE_COL.search(message)
    if m is None:
        return 1, 1
    return Lines(text).of_yaml(int(m.group(1)), int(m.group(2)))


def _rs_problem(message: str) -> str:
    lines = [s for s in message.strip().splitlines() if s.strip()]
    return lines[-1].strip() if lines else message


def load_file(path: Path, rel: str, max_mb: float = DEFAULT_MAX_FILE_MB) -> Source:
    """Read, decode and parse one file."""
    return parse(read_text(path, rel, max_mb))


def rel_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(path, root).replace(os.sep, "/")
