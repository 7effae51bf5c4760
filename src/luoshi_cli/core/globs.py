"""The one glob of luoshi: which ledger paths a `files:` pattern of luoshi.yaml names.

A pattern is matched the way Python's `glob.glob(pattern, root_dir=root,
recursive=True)` lists a directory (what `DirSource` uses on disk): `*` and `?` stay
within one path segment and skip hidden names unless the segment itself starts with a
dot, `**` spans zero or more non-hidden directories.  The same predicate lists a git
commit's tree (`GitSource`), decides which changed files are task files (change
control) and tells an import whether luoshi will read the file it writes, so a path is
in the ledger or not whatever reads it.  Pure string matching: no file system.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def glob_matcher(pattern: str) -> Callable[[str], bool]:
    """A predicate on relative posix paths with `glob`'s recursive semantics."""
    segs = [s for s in pattern.split("/") if s not in ("", ".")]
    if not segs or pattern.startswith("/") or ".." in segs:
        return lambda rel: False
    rx = [None if s == "**" else _segment_regex(s) for s in segs]
    return lambda rel: _match(rx, rel.split("/"))



def glob_prefix_matcher(pattern: str) -> Callable[[str], bool]:
    """A predicate on relative posix paths of directories: may a path below this one
    match `pattern`?  (`load.assemble` walks only into those.)"""
    segs = [s for s in pattern.split("/") if s not in ("", ".")]
    if not segs or pattern.startswith("/") or ".." in segs:
        return lambda rel: False
    rx = [None if s == "**" else _segment_regex(s) for s in segs]
    return lambda rel: _leads_to(rx, rel.split("/"))


def _leads_to(rx: list[re.Pattern[str] | None], parts: list[str]) -> bool:
    if not parts:
        return bool(rx)
    if not rx:
        return False
    head = rx[0]
    if head is None:
        if _leads_to(rx[1:], parts):
            return True
        return not parts[0].startswith(".") and _leads_to(rx, parts[1:])
    return head.match(parts[0]) is not None and _leads_to(rx[1:], parts[1:])

def _segment_regex(seg: str) -> re.Pattern[str]:
    """One path segment of a glob, as `glob` treats it (no hidden-name matches
    unless the pattern itself starts with a dot)."""
    out = []
    i = 0
    while i < len(seg):
        c = seg[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = seg.find("]", i + 2 if i + 1 < len(seg) and seg[i + 1] in "!]" else i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = seg[i + 1:j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    rx = "".join(out)
    if not seg.startswith("."):
        rx = r"(?!\.)" + rx
    return re.compile(rx + r"\Z")


def _match(rx: list[re.Pattern[str] | None], parts: list[str]) -> bool:
    if not rx:
        return not parts
    head = rx[0]
    if head is None:  # `**`: zero or more non-hidden directories (or the final name)
        if _match(rx[1:], parts):
            return True
        return bool(parts) and not parts[0].startswith(".") and _match(rx, parts[1:])
    return bool(parts) and head.match(parts[0]) is not None and _match(rx[1:], parts[1:])


def covers(pattern: str, rel: str) -> bool:
    """Whether the `files:` pattern names the ledger path `rel`."""
    return glob_matcher(pattern)(rel)
