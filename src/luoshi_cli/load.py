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

import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from .finding import Finding, finding

DEFAULT_MAX_FILE_MB = 64
ALIAS_LIMIT = 1_000_000
MAX_DEPTH = 200

_ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=ALIAS_LIMIT)
_LINE_COL = re.compile(r"line (\d+), column (\d+)")
_DOC_MARKER = re.compile(r"\n(?:---|\.\.\.)(?=\s|$)")
_FIRST_ALIAS = re.compile(r"(?<![\w&*])\*[^\s,\[\]{}]+")

try:  # the C parser when PyYAML was built with libyaml
    _PyLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _PyLoader = yaml.SafeLoader


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
    try:
        st = path.stat()
        if path.is_dir():
            src.findings.append(finding("LS006", rel, line=1, col=1, reason=_is_dir_reason()))
            return src
        if st.st_size > max_mb * 1024 * 1024:
            src.findings.append(
                finding("LS003", rel, line=1, col=1,
                        size=f"{st.st_size / 1048576:.3g}", limit=_num(max_mb))
            )
            return src
        raw = path.read_bytes()
    except OSError as exc:
        src.findings.append(finding("LS006", rel, line=1, col=1, reason=_os_reason(exc)))
        return src
    text, problem = decode(raw, rel)
    if problem is not None:
        src.findings.append(problem)
        return src
    src.text = text
    return src


def _is_dir_reason() -> str:
    return "it is a directory / 这是一个目录"


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
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw.count(b"\n", 0, exc.start) + 1
            return None, finding(
                "LS005", rel, line=line, col=1,
                reason=f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is neither UTF-8 "
                f"nor GB18030 / 既不是 UTF-8 也不是 GB18030",
            )
        return None, _not_utf8(rel, "GB18030 (GBK)", "GB18030")
    if "\x00" in text:
        return None, _binary_or_utf16(raw, rel)
    return text, None


def _binary_or_utf16(raw: bytes, rel: str) -> Finding:
    sample = raw[:4096]
    even_nuls = sample[1::2].count(0)
    odd_nuls = sample[0::2].count(0)
    half = max(1, len(sample) // 2)
    if even_nuls > 0.4 * half and odd_nuls < 0.1 * half:
        return _not_utf8(rel, "UTF-16LE", "UTF-16LE")
    if odd_nuls > 0.4 * half and even_nuls < 0.1 * half:
        return _not_utf8(rel, "UTF-16BE", "UTF-16BE")
    offset = raw.find(b"\x00")
    line = raw.count(b"\n", 0, offset) + 1
    return finding("LS005", rel, line=line, col=1,
                   reason=f"NUL byte at offset {offset} / 含有 NUL 字节")


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
    except (RecursionError, MemoryError, OverflowError, ValueError) as exc:
        return _diagnose(src, str(exc))
    src.ok = _depth_ok(src) if _deep_hint(text) else True
    return src


# Deep nesting needs deep indentation, long "- - -" chains or long runs of unclosed
# brackets.  Only text showing one of them pays for the exact depth walk below.
_DEEP_HINT = re.compile(r"(?m)^[ \t]{150,}|(?:-[ \t]+){50,}|(?:[\[{][^\[\]{}]*){50,}")
# the same test as three searches the regex engine can skip through (a literal or a
# class first, no backtracking): 2.6 ms instead of 16 ms per 200 KB of flow-style tasks
_DEEP_START = re.compile(r"[ \t]{150}")
_DEEP_HINTS = (re.compile(r"\n[ \t]{150}"), re.compile(r"-[ \t]+(?:-[ \t]+){49}"),
               re.compile(r"[\[{][^\[\]{}]*+(?:[\[{][^\[\]{}]*+){49}"))


def _deep_hint(text: str) -> bool:
    return bool(_DEEP_START.match(text)) or any(rx.search(text) for rx in _DEEP_HINTS)


def _depth_ok(src: Source) -> bool:
    """Reject absurd nesting early: every later walk is recursive."""
    stack: list[tuple[Any, int]] = [(src.data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            src.findings.append(finding("LS018", src.rel, line=1, col=1, limit=MAX_DEPTH))
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
        src.findings.append(finding("LS018", src.rel, line=1, col=1, limit=MAX_DEPTH))
        return src
    # a syntax error: let PyYAML explain it (its wording is the familiar one)
    return _parse_slow(src, fallback=message)


def _parse_slow(src: Source, fallback: str | None = None) -> Source:
    """PyYAML compose: precise syntax errors, every duplicate key, document count."""
    text = src.text or ""
    try:
        docs = list(yaml.compose_all(text, Loader=_PyLoader))
    except yaml.MarkedYAMLError as exc:
        src.findings.append(_syntax_finding(src.rel, text, exc))
        return src
    except RecursionError:
        src.findings.append(finding("LS018", src.rel, line=1, col=1, limit=MAX_DEPTH))
        return src
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        src.findings.append(finding("LS010", src.rel, line=1, col=1, problem=str(exc), hint=""))
        return src
    if fallback is not None and not docs:
        line, col = _rs_position(fallback)
        src.findings.append(
            finding("LS010", src.rel, line=line, col=col, problem=_rs_problem(fallback), hint="")
        )
        return src
    if len(docs) > 1:
        mark = docs[1].start_mark
        src.findings.append(finding("LS015", src.rel, line=mark.line + 1, col=1))
    if not docs:
        src.data = None
        src.ok = True
        return src
    root = docs[0]
    dups = list(_duplicates(root, src.rel))
    if _alias_count_exceeds(root):
        src.findings.append(finding("LS012", src.rel, line=1, col=1, limit=f"{ALIAS_LIMIT:,}"))
        return src
    src.findings.extend(dups)
    if fallback is not None and not dups and len(docs) == 1:
        # PyYAML accepted what yaml_rs refused (YAML 1.1 vs 1.2 corner): report yaml_rs.
        line, col = _rs_position(fallback)
        src.findings.append(
            finding("LS010", src.rel, line=line, col=col, problem=_rs_problem(fallback), hint="")
        )
        return src
    # re-read the first document with the fast reader, last key winning like PyYAML
    first_doc = _document_text(text, docs)
    try:
        src.data = yaml_rs.loads(
            first_doc,
            alias_limits=_ALIAS_LIMITS,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.LastWins,
        )
    except (yaml_rs.YAMLDecodeError, ValueError, RecursionError) as exc:
        line, col = _rs_position(str(exc))
        src.findings.append(
            finding("LS010", src.rel, line=line, col=col, problem=_rs_problem(str(exc)), hint="")
        )
        return src
    if isinstance(src.data, list) and len(docs) > 1 and _is_multi(src.data, docs):
        src.data = src.data[0]
    src.ok = _depth_ok(src)
    return src


def _is_multi(data: list[Any], docs: list[yaml.Node]) -> bool:
    return len(data) == 1 and not isinstance(docs[0], yaml.SequenceNode)


def _document_text(text: str, docs: list[yaml.Node]) -> str:
    if len(docs) < 2:
        return text
    end = docs[1].start_mark.index
    # cut before the '---' that opens the second document
    cut = text.rfind("\n---", 0, end + 1)
    return text[: cut + 1] if cut >= 0 else text[:end]


def _duplicates(root: yaml.Node, rel: str) -> list[Finding]:
    out: list[Finding] = []
    stack: list[yaml.Node] = [root]
    seen_ids: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_ids:
            continue
        seen_ids.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, yaml.Node] = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in first:
                        out.append(
                            finding("LS011", rel, line=k.start_mark.line + 1,
                                    col=k.start_mark.column + 1, key=k.value,
                                    first=first[k.value].start_mark.line + 1)
                        )
                    else:
                        first[k.value] = k
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return out


def _alias_count_exceeds(root: yaml.Node) -> bool:
    """Count nodes as a walk would replay them, with memoised subtree sizes."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int = 0) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            return 1
        total = 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                total += size(v, depth + 1)
        sizes[key] = total
        return total

    return size(root) > ALIAS_LIMIT


def _syntax_finding(rel: str, text: str, exc: yaml.MarkedYAMLError) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
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
    lines = text.splitlines()
    for no in (line - 1, line - 2):
        if 0 <= no < len(lines) and "：" in lines[no] and ":" not in lines[no]:
            return (f" (line {no + 1} uses a full-width colon '：'; YAML needs ': ' / "
                    f"第 {no + 1} 行用了全角冒号“：”，YAML 需要半角冒号加空格“: ”)")
    return None


def _ideographic_indent(text: str, line: int) -> str | None:
    """The key on `line` when that line is indented with U+3000 (全角空格)."""
    lines = text.splitlines()
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


def _rs_position(message: str) -> tuple[int, int]:
    m = _LINE_COL.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else (1, 1)


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
