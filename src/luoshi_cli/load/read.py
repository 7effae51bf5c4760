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
from ..fsio import os_reason
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


def _os_reason(exc: OSError) -> L:
    """Why a file could not be read, in the reader's language: a link loop and a file
    gone (listed a moment ago: a broken symbolic link) in a reader's words, the rest as
    every path is told (`fsio.os_reason`: Chinese words for the common errors)."""
    if exc.errno == errno.ELOOP:
        return LINK_LOOP
    if exc.errno == errno.ENOENT:
        return L("文件不存在（可能是失效的符号链接）", "no such file (perhaps a broken symbolic link)")
    return os_reason(exc)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def decode(raw: bytes, rel: str) -> tuple[str | None, Finding | None]:
    """Strict cascade: BOM → UTF-8 → (diagnose GB18030 / Big5 / UTF-16 / binary).

    NOTES.md: a strict cascade identified every GBK sample where statistical
    detectors called short files Big5, so no detector library is used.  A file
    whose non-ASCII text is mostly valid UTF-8 is a UTF-8 file with a few bad bytes
    (a phrase pasted from a GBK document): converting it as a whole would turn every
    correct character into mojibake, so the first bad spot is named instead.
    """
    if raw.startswith(_LFS_POINTER):
        return None, _lfs_pointer(rel)
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
            return None, _bad_spot(raw, rel, exc.start)
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, _bad_byte(raw, rel, exc.start,
                                   L("既不是 UTF-8 也不是 GB18030", "is neither UTF-8 nor GB18030"),
                                   _WRONG_FILE)
        return None, _gbk_or_big5(raw, rel)
    if b"\x00" in raw:  # in UTF-8 only U+0000 has a zero byte: memchr, not a text scan
        return None, _binary_or_utf16(raw, rel)
    return text, None


#: the first line of a Git LFS pointer (and of its pre-release "hawser" form): what git
#: stores for a file tracked with `filter=lfs`, and what a checkout without git-lfs holds
_LFS_POINTER = (b"version https://git-lfs.github.com/spec/", b"version https://hawser.github.com/spec/")


def _lfs_pointer(rel: str) -> Finding:
    """LS022 at 1:1: read as YAML the pointer is one line of text, and the finding
    (LS103 "tasks should be a task mapping…: correct it") sent the clerk to edit a
    file that is fine.  Here, in `decode`, because every ledger file passes through
    it: the working tree, `--rev`, the hook's index and `diff` alike."""
    return finding("LS022", rel, line=1, col=1)


_WRONG_FILE = L("台账文件必须是 UTF-8 文本的 YAML；请检查是否放错了文件",
                "ledger files must be UTF-8 YAML text; check that the right file is here")
_RETYPE = L("请在编辑器中删除该处的乱码字符并重新输入，再以 UTF-8 保存",
            "delete the garbled characters there in your editor, type them again and save "
            "as UTF-8")
_NO_BIG5 = L("", "")


def _mostly_utf8(raw: bytes) -> bool:
    """At least as many non-ASCII characters decode as UTF-8 as fail to.  GBK text
    read as UTF-8 fails at nearly every character (a chance valid pair for at most
    one in three failures over every ledger in the repository), a UTF-8 file with a
    pasted phrase only there."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= bad


def _gbk_or_big5(raw: bytes, rel: str) -> Finding:
    """LS004 for a whole file in a Chinese double-byte encoding.  GBK and Big5 share
    their byte ranges, so both often decode; simplified text keeps nearly every
    character inside GB2312 (lead and trail byte 0xA1–0xFE: at least 92% over every
    ledger in the repository, 100% for a typical one), while Big5 puts about 40% of
    its trail bytes in 0x40–0x7E.  Where the bytes could be either, the fix says so."""
    try:
        raw.decode("big5")
    except UnicodeDecodeError:
        return _not_utf8(rel, "GB18030 (GBK)", "GB18030")
    sample = raw[:65536]  # a Python loop: the first 64 KB tell as well as 64 MB
    pairs = gb2312 = 0
    i, n = 0, len(sample)
    while i < n:
        if sample[i] < 0x80:
            i += 1
            continue
        if i + 1 < n:
            pairs += 1
            gb2312 += 0xA1 <= sample[i] <= 0xF7 and 0xA1 <= sample[i + 1] <= 0xFE
        i += 2
    if gb2312 < 0.9 * pairs:
        return _not_utf8(rel, L("Big5（繁体），也可能是 GB18030 (GBK)",
                                "Big5 (traditional Chinese), or possibly GB18030 (GBK)"), "BIG5",
                         L("（若转换后是乱码，请改用 -f GB18030）",
                           " (if the result reads as gibberish, use -f GB18030 instead)"))
    return _not_utf8(rel, L("GB18030 (GBK)，也可能是 Big5", "GB18030 (GBK), or possibly Big5"),
                     "GB18030", L("（若转换后是乱码，请改用 -f BIG5）",
                                  " (if the result reads as gibberish, use -f BIG5 instead)"))


def _bad_spot(raw: bytes, rel: str, offset: int) -> Finding:
    """LS005 for bad bytes inside a UTF-8 file; bytes that read as GBK Chinese are a
    phrase pasted from a GBK document and are quoted, so the clerk can retype it."""
    pasted = _pasted_gbk(raw, offset)
    if pasted is None:
        return _bad_byte(raw, rel, offset, L("不是有效的 UTF-8", "is not valid UTF-8"), _RETYPE)
    size, phrase = pasted
    line, col = _byte_position(raw, offset)
    return finding("LS005", rel, line=line, col=col, reason=L(
        f"第 {line} 行第 {col} 列起的 {size} 个字节不是有效的 UTF-8，"
        f"看起来是以 GBK 编码粘贴进来的文字“{phrase}”",
        f"the {size} bytes from line {line}, column {col} are not valid UTF-8; they look "
        f"like text pasted in the GBK encoding: \"{phrase}\""), advice=L(
        "文件其余部分是正确的 UTF-8，请不要转换整个文件；请在编辑器中删除该处的乱码字符，"
        "重新输入这段文字，再以 UTF-8 保存",
        "the rest of the file is correct UTF-8, so do not convert the whole file: delete "
        "the garbled characters there in your editor, type the text again and save as UTF-8"))


def _pasted_gbk(raw: bytes, offset: int) -> tuple[int, str] | None:
    """(bytes, text) of the GBK phrase that starts at `offset`: the shortest run of
    non-ASCII bytes there that decodes as GB18030 into Chinese characters and is
    followed by valid UTF-8 (or nothing) up to the next ASCII byte — so correct
    UTF-8 text typed right after the phrase is not read as more of it."""
    end = offset
    while end < len(raw) and raw[end] >= 0x80 and end - offset < 240:
        end += 1
    for cut in range(offset + 2, end + 1):
        try:
            phrase = raw[offset:cut].decode("gb18030")
            raw[cut:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        if all("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
               or "\uff00" <= ch <= "\uffef" for ch in phrase):
            return cut - offset, phrase
    return None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters) of a byte offset in undecodable bytes."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", errors="replace")) + 1


def _bad_byte(raw: bytes, rel: str, offset: int, what: L, advice: L) -> Finding:
    line, col = _byte_position(raw, offset)
    byte = f"0x{raw[offset]:02x}"
    return finding("LS005", rel, line=line, col=col,
                   reason=L(f"第 {line} 行第 {col} 列的字节 {byte} {what.zh}",
                            f"byte {byte} at line {line}, column {col} {what.en}"),
                   advice=advice)


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
                   reason=L(f"偏移 {offset} 处含有 NUL 字节", f"NUL byte at offset {offset}"),
                   advice=_WRONG_FILE)


def _reads_as(sample: bytes, encoding: str) -> bool:
    """The sample decodes as `encoding` into text, not control characters."""
    sample = sample[: len(sample) // 2 * 2]
    text = sample.decode(encoding, errors="replace")
    if not text:
        return False
    odd = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r") or ch == "\ufffd")
    return odd * 20 <= len(text)


def _not_utf8(rel: str, encoding: str | L, iconv: str, other: L = _NO_BIG5) -> Finding:
    # the iconv/mv command names the file by `{file}`: the finding's own file name as
    # printed (from the current directory in text output), so the command runs as pasted
    return finding("LS004", rel, line=1, col=1, encoding=encoding, iconv=iconv, other=other)


def load_file(path: Path, rel: str, max_mb: float = DEFAULT_MAX_FILE_MB) -> Source:
    """Read, decode and parse one file."""
    return parse(read_text(path, rel, max_mb))


def rel_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(path, root).replace(os.sep, "/")

