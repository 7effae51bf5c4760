"""The one glob of luoshi: which ledger paths a `files:` pattern of luoshi.yaml names.

A pattern is matched the way Python's `glob.glob(pattern, root_dir=root,
recursive=True)` lists a directory (what `DirSource` uses on disk): `*` and `?` stay
within one path segment and skip hidden names unless the segment itself starts with a
dot, `**` spans zero or more non-hidden directories.  The same predicate lists a git
commit's tree (`GitSource`), decides which changed files are task files (change
control) and tells an import whether luoshi will read the file it writes, so a path is
in the ledger or not whatever reads it.  Pure string matching: no file system.

A pull request controls luoshi.yaml, and so the pattern: matching is without
recursion and without backtracking, in time linear in the path's depth and the
pattern's length (`_Glob`, `_segment_regex`), however many `*` and `**` it holds.
"""

from __future__ import annotations

import fnmatch
import re
import warnings
from collections.abc import Callable
from functools import lru_cache


def glob_matcher(pattern: str) -> Callable[[str], bool]:
    """A predicate on relative posix paths with `glob`'s recursive semantics."""
    rx = _compile(pattern)
    if rx is None:
        return lambda rel: False
    return _Glob(rx).matches


def glob_prefix_matcher(pattern: str) -> Callable[[str], bool]:
    """A predicate on relative posix paths of directories: may a path below this one
    match `pattern`?  (`load.assemble` walks only into those.)"""
    rx = _compile(pattern)
    if rx is None:
        return lambda rel: False
    return _Glob(rx).leads_to


def segments(pattern: str) -> list[str] | None:
    """The pattern's path segments (`.` and empty ones dropped), or None when the
    pattern can name nothing: empty, absolute, or holding `..`.  (The editor's copy of
    a pattern, `load.editor.editor_globs`, starts from these too.)"""
    segs = [s for s in pattern.split("/") if s not in ("", ".")]
    if not segs or pattern.startswith("/") or ".." in segs:
        return None
    return segs


def _compile(pattern: str) -> list[re.Pattern[str] | None] | None:
    """The pattern's segments as regexes, None for `**` (a run of `**` is one: each
    spans zero or more directories); None when the pattern can name nothing."""
    segs = segments(pattern)
    if segs is None:
        return None
    rx: list[re.Pattern[str] | None] = []
    for s in segs:
        if s != "**":
            rx.append(_segment_regex(s))
        elif not rx or rx[-1] is not None:
            rx.append(None)
    return rx


class _Glob:
    """A pattern read as an automaton, one path segment at a time: the state is the
    set of pattern positions i such that the first i segments of the pattern match
    the path so far.  Linear in the path's depth, bounded by the pattern's length,
    however many `**` there are (a backtracking matcher took exponential time on
    `**/**/**/…` and recursed once per segment, which a path 1,500 directories deep
    turned into a RecursionError).  The states of the directories last asked about
    are kept: a walk asks about each entry of a directory, and about each directory
    below it, and so reads each segment once, not once per level beneath it."""

    _KEEP = 4096

    def __init__(self, rx: list[re.Pattern[str] | None]) -> None:
        self.rx = rx
        self.end = len(rx)
        # `**` may take no segment: standing on one is standing after it too
        self.start = self._skip({0})
        self.known: dict[str, frozenset[int]] = {}

    def matches(self, rel: str) -> bool:
        """The whole pattern matches the whole path."""
        return self.end in self.states(rel)

    def leads_to(self, rel: str) -> bool:
        """The path matches a proper beginning of the pattern (some segment is left
        for what lies below it)."""
        return any(i < self.end for i in self.states(rel))

    def states(self, rel: str) -> frozenset[int]:
        head, sep, name = rel.rpartition("/")
        if not sep:
            return self.step(self.start, name)
        at = self.known.get(head)
        if at is None:
            # from the nearest directory above whose states are known, down
            down = []
            top = head
            while at is None:
                top, sep, seg = top.rpartition("/")
                down.append(seg)
                at = self.known.get(top) if sep else self.start
            for seg in reversed(down):
                at = self.step(at, seg)
            if len(self.known) >= self._KEEP:
                self.known.clear()
            self.known[head] = at
        return self.step(at, name)

    def step(self, at: frozenset[int], part: str) -> frozenset[int]:
        if not at:
            return at
        hidden = part.startswith(".")
        nxt = set()
        for i in at:
            if i == self.end:
                continue
            seg = self.rx[i]
            if seg is None:  # `**` takes one more non-hidden segment
                if not hidden:
                    nxt.add(i)
            elif seg.match(part) is not None:
                nxt.add(i + 1)
        return self._skip(nxt)

    def _skip(self, at: set[int]) -> frozenset[int]:
        """`at` with the position after each `**` it stands on."""
        return frozenset(at | {i + 1 for i in at if i < self.end and self.rx[i] is None})


def _segment_regex(seg: str) -> re.Pattern[str]:
    """One path segment of a glob, as `glob` treats it (no hidden-name matches
    unless the pattern itself starts with a dot).

    Each `*` but the last finds the leftmost place the text up to the next `*` fits,
    once (an atomic group), as `fnmatch` does: `*a*a*a*a*b` against a long name of
    `a`s backtracked through every way of placing the stars (seconds at five)."""
    items = _segment_items(seg)
    head = "" if seg.startswith(".") else r"(?!\.)"
    plain = head + "".join("[^/]*" if t is None else t for t in items) + r"\Z"
    if items.count(None) < 2 or not all(t is None or _one_char(t) for t in items):
        return re.compile(plain)
    # the fixed runs between the stars: a run matches as many characters as it has
    # items, so the leftmost fit of each leaves the most room for the rest
    runs: list[list[str]] = [[]]
    for t in items:
        if t is None:
            runs.append([])
        else:
            runs[-1].append(t)
    middle = "".join("(?>[^/]*?" + "".join(r) + ")" for r in runs[1:-1])
    return re.compile(head + "".join(runs[0]) + middle + "[^/]*" + "".join(runs[-1]) + r"\Z")


def _segment_items(seg: str) -> list[str | None]:
    """A segment as regex items, None for `*` (a run of `*` is one)."""
    out: list[str | None] = []
    i = 0
    while i < len(seg):
        c = seg[i]
        if c == "*":
            if not out or out[-1] is not None:
                out.append(None)
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = bracket_end(seg, i)
            if j == -1:
                out.append(re.escape(c))
            else:
                out.append(_bracket(seg[i:j + 1]))
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return out


def bracket_end(seg: str, i: int) -> int:
    """Where the bracket expression opened at `seg[i]` closes, or -1 (a lone `[` is
    the character itself), as `fnmatch` scans it: a `]` right after `[` or `[!` is a
    member, so `[!]` opens a set that `[!]]` closes."""
    j = i + 1
    if j < len(seg) and seg[j] == "!":
        j += 1
    if j < len(seg) and seg[j] == "]":
        j += 1
    return seg.find("]", j)


@lru_cache(maxsize=256)
def _bracket(text: str) -> str:
    """A bracket expression (`[a-c]`, `[!x]`) as the regex item `fnmatch` makes of it:
    Python's glob semantics, and always a regex — `[z-a]` (an empty range) matches
    nothing, `[^a]` is ^ or a, `[a&&b]` holds no set operation.  Translated by hand
    before, `[z-a]` and `[!]…]` made no regex, and a `files:` pattern holding one
    stopped every command with an internal error."""
    rx = fnmatch.translate(text)
    return rx[:-2] if rx.endswith("\\Z") else rx


def _one_char(item: str) -> bool:
    """The item is a regex of its own (it takes one character).  Not so `[^]`, from
    `[!]` or `[^]`, which opens a class that runs on into what follows (or never
    closes): a segment with one keeps the single regex it always had."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # `[[]`: "possible nested set", said once
            re.compile(item)
    except re.error:
        return False
    return True


def covers(pattern: str, rel: str) -> bool:
    """Whether the `files:` pattern names the ledger path `rel`."""
    return glob_matcher(pattern)(rel)
