"""Files → text, with every guard a district office needs: directories, FIFOs and
devices refused, a size limit, a file growing while it is read, and a strict
encoding cascade that names GBK and UTF-16 files instead of misreading them.

The text is parsed by `yaml_fast` (`parse`, with `yaml_scan` explaining what is
wrong); `load_file` does both.  `Source` and `parse` are re-exported here for the
modules that import them from this module (fast/source, fast/taskfiles, excel/overlay).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..core.codes import L
from ..core.finding import Finding, finding
from .source import IS_A_DIRECTORY, LINK_LOOP, out_of_memory
from .source import Source as Source
from .yaml_fast import parse as parse

DEFAULT_MAX_FILE_MB = 64


def read_text(path: Path, rel: str, max_mb: float = DEFAULT_MAX_FILE_MB) -> Source:
    """Read and decode one file; problems become findings, never exceptions."""
    src = Source(path=path, rel=rel)
    limit = int(max_mb * 1024 * 1024)
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            src.findings.append(finding("LS006", rel, line=1, col=1, reason=IS_A_DIRECTORY))
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
        problem = out_of_memory(rel, len(raw))
    if problem is not None:
        src.findings.append(problem)
        return src
    src.text = text
    return src


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


def _special_reason() -> L:
    return L("不是普通文件（管道、设备或套接字）",
             "it is not a regular file (a FIFO, device or socket)")


def _too_large(rel: str, size: int, max_mb: float) -> Finding:
    return finding("LS003", rel, line=1, col=1, size=f"{size / 1048576:.3g}",
                   limit=_num(max_mb))


def _os_reason(exc: OSError) -> L | str:
    """Why a file could not be read, in the reader's language (the system's own
    wording, which is English, only for the rare errors without one here)."""
    if exc.errno == errno.ELOOP:
        return LINK_LOOP
    if exc.errno in (errno.EACCES, errno.EPERM):
        return L("没有读取权限", "permission denied")
    if exc.errno == errno.ENOENT:
        return L("文件不存在（可能是失效的符号链接）", "no such file (perhaps a broken symbolic link)")
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
            return None, _bad_byte(raw, rel, exc.start, L("不是有效的 UTF-8", "is not valid UTF-8"))
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, _bad_byte(raw, rel, exc.start,
                                   L("既不是 UTF-8 也不是 GB18030", "is neither UTF-8 nor GB18030"))
        return None, _not_utf8(rel, "GB18030 (GBK)", "GB18030")
    if b"\x00" in raw:  # in UTF-8 only U+0000 has a zero byte: memchr, not a text scan
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


def _bad_byte(raw: bytes, rel: str, offset: int, what: L) -> Finding:
    line, col = _byte_position(raw, offset)
    byte = f"0x{raw[offset]:02x}"
    return finding("LS005", rel, line=line, col=col,
                   reason=L(f"第 {line} 行第 {col} 列的字节 {byte} {what.zh}",
                            f"byte {byte} at line {line}, column {col} {what.en}"))


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
                   reason=L(f"偏移 {offset} 处含有 NUL 字节", f"NUL byte at offset {offset}"))


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


def load_file(path: Path, rel: str, max_mb: float = DEFAULT_MAX_FILE_MB) -> Source:
    """Read, decode and parse one file."""
    return parse(read_text(path, rel, max_mb))


def rel_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(path, root).replace(os.sep, "/")

