"""Unit and leader names in a cell → ids in units.yaml.

Offices write names the way they say them: 发改委 for 区发改委, 张某某（常务副区长）
for a leader, several units in one cell separated by 、 or line breaks, 各街道 for
every subdistrict.  Matching goes from strict to loose and stops at the first rule
that gives exactly one answer: the exact name (or `short` name), the id, the name
without a parenthesised remark, then a partial match (one name inside the other).
A partial match that fits several units is an error naming them — picking one
would silently give a task to the wrong office.

Names in English hold spaces (East Gate Subdistrict, Wang Ming): a space between two
Latin words is part of a name, a space next to a Chinese character separates names
(发改委 住建局), as offices write them.  luoshi's own export joins several names with
、 (Chinese) or ", " (English), which are separators here, so an exported cell reads
back as the names it was written from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ..core.codes import L
from .columns import strip_remarks
from .memo import OBJECT_CHARS, TextMemo

_SEP = re.compile(r"[、，,;；/／\n\r|]+")


def _outside_brackets(text: str) -> list[tuple[int, int]]:
    """Where the parts of `text` are, split at the separators outside brackets:
    张某某(区委常委、常务副区长) is one name with its titles, not two names (the text is
    NFKC: （） are already ())."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([【":
            depth += 1
        elif ch in ")]】" and depth:
            depth -= 1
        elif depth == 0 and _SEP.fullmatch(ch):
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


_SPACE = re.compile(r"\s+")
#: a character shown double width (CJK and the full-width forms): a space next to one
#: separates names; a space between Latin words is inside a name
_CJK = "[\u2e81-\U0010ffff]"
#: (a run of blanks is tried from its start only: `\s+(?=CJK)` tried at every blank
#: of a run followed by no Chinese character, 31 s on a cell of 32,000 blanks; inside
#: a run the blank before is no CJK character either, as NFKC made U+3000 a space)
_NAME_BREAK = re.compile(rf"(?<!\s)\s+(?={_CJK})|(?<={_CJK})\s+")
#: the most separators a name may hold ("Office of Housing, Land and Planning"): a run
#: of parts longer than this is never tried as one name (a cell of 100 names would
#: otherwise try 5,000 runs)
_MAX_JOINED = 4
_EACH = re.compile(r"^(?:各|所有|全部|全体)(.{2,})$")


def _norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).strip()


def free_names(text: str) -> list[str]:
    """The names of a cell of free-text names (责任人, 单位领导: nobody in units.yaml),
    split at 、 , ; / and line breaks outside brackets (a name with a remark in
    brackets, 张三（科长、主任）, is one) — not at spaces, as a cell of units is: with no
    list of names to tell them apart, 王　五 (a two-character name padded with a
    full-width space, as offices write it) or Li Si is one name, and export → import
    must give it back as written — each kept as written, once, in order."""
    folded = _FULL_BRACKETS.sub(_half, text)
    out: list[str] = []
    for start, end in _outside_brackets(folded):
        _add(out, text[start:end])
    return out


def _add(names: list[str], name: str) -> None:
    name = name.strip()
    if name and name not in names:
        names.append(name)


#: the full-width brackets `_outside_brackets` reads as their NFKC forms (one character
#: each: the spans found in the folded text are the written text's)
_FULL_BRACKETS = re.compile("[（）]")


def _half(m: re.Match[str]) -> str:
    return "(" if m.group() == "（" else ")"


def _weigh_many(answer: tuple[tuple[str, ...], tuple[L, ...], tuple[L, ...]]) -> int:
    """What `Matcher.many`'s answer weighs in its memo (characters)."""
    ids, notes, problems = answer
    return (OBJECT_CHARS * (len(ids) + len(notes) + len(problems))
            + sum(len(label.zh) + len(label.en) for label in (*notes, *problems)))


@dataclass(frozen=True, slots=True)
class Match:
    ids: tuple[str, ...]
    #: how a loose rule resolved the name, for the report (None when exact)
    how: L | None = None


class MatchProblem(ValueError):
    def __init__(self, label: L) -> None:
        super().__init__(label.en)
        self.label = label


class Matcher:
    """Names → ids for one kind of entry (units or leaders)."""

    def __init__(self, entries: dict[str, tuple[str, ...]], kind: L,
                 missing: Callable[[str], L] | None = None) -> None:
        #: id -> (display name, other names); `missing`: why a name that is none of
        #: them is refused (default: not in units.yaml)
        self.kind = kind
        self._missing = missing
        self._ids = {k.lower(): k for k in entries}
        self._names: dict[str, list[str]] = {}
        self._display = {k: names[0] for k, names in entries.items()}
        #: `many`'s answers per cell text (a matcher serves one import)
        self._many: TextMemo[tuple[tuple[str, ...], tuple[L, ...], tuple[L, ...]]] = \
            TextMemo(weigh=_weigh_many)
        for ident, names in entries.items():
            for n in names:
                key = _norm(n)
                if key and ident not in self._names.setdefault(key, []):
                    self._names[key].append(ident)

    def name(self, ident: str) -> str:
        return self._display.get(ident, ident)

    def one(self, token: str) -> Match:
        """One name (no separators) → exactly one id, or `MatchProblem`."""
        key = _norm(token)
        if not key:
            raise MatchProblem(L("名称为空", "empty name"))
        hits = self._names.get(key, [])
        if len(hits) == 1:
            return Match((hits[0],))
        if key.lower() in self._ids:
            return Match((self._ids[key.lower()],))
        if len(hits) > 1:
            raise self._ambiguous(token, hits)
        bare = strip_remarks(key)
        if bare and bare != key:
            try:
                found = self.one(bare)
            except MatchProblem:
                pass
            else:
                return Match(found.ids, L(f"“{token}”按“{bare}”匹配", f"'{token}' read as '{bare}'"))
        each = _EACH.match(key)
        if each:
            suffix = each.group(1)
            group = sorted({i for n, ids in self._names.items() if n.endswith(suffix)
                            for i in ids}, key=list(self._display).index)
            if group:
                return Match(tuple(group), L(f"“{token}”= {len(group)} 个{self.kind.zh}：" +
                                             "、".join(self.name(i) for i in group),
                                             f"'{token}' = {len(group)} {self.kind.en}s: " +
                                             ", ".join(group)))
        partial = sorted({i for n, ids in self._names.items()
                          if len(n) >= 2 and len(key) >= 2 and (key in n or n in key)
                          for i in ids}, key=list(self._display).index)
        if len(partial) == 1:
            ident = partial[0]
            return Match((ident,), L(f"“{token}”→ {self.name(ident)}（{ident}）",
                                     f"'{token}' → {self.name(ident)} ({ident})"))
        if partial:
            raise self._ambiguous(token, partial)
        if self._missing is not None:
            raise MatchProblem(self._missing(token))
        raise MatchProblem(L(f"{self.kind.zh}“{token}”不在 units.yaml 中：请检查名称，"
                             "或在 units.yaml 中添加",
                             f"{self.kind.en} '{token}' is not in units.yaml: check the name, "
                             "or add it to units.yaml"))

    def _ambiguous(self, token: str, ids: list[str]) -> MatchProblem:
        shown = ids[:6]
        more = "…" if len(ids) > 6 else ""
        zh = "、".join(f"{self.name(i)}（{i}）" for i in shown) + more
        en = ", ".join(f"{self.name(i)} ({i})" for i in shown) + more
        return MatchProblem(L(f"{self.kind.zh}“{token}”不明确，可能是：{zh}；请写全称或编号",
                              f"{self.kind.en} '{token}' is ambiguous: {en}; "
                              "write the full name or the id"))

    def many(self, text: str) -> tuple[list[str], list[L], list[L]]:
        """A cell with any number of names → (ids in order, notes, problems).

        Kept per text (`memo.TextMemo`, a pure function of it): a shared string of
        32,000 characters in 5,000 rows was split and matched 5,000 times."""
        def compute() -> tuple[tuple[str, ...], tuple[L, ...], tuple[L, ...]]:
            ids, notes, problems = self._many_of(text)
            return tuple(ids), tuple(notes), tuple(problems)

        ids, notes, problems = self._many(text, text, compute)
        return list(ids), list(notes), list(problems)

    def _many_of(self, text: str) -> tuple[list[str], list[L], list[L]]:
        """`many` computed."""
        ids: list[str] = []
        notes: list[L] = []
        problems: list[L] = []
        whole = _norm(text)
        if not whole:
            return ids, notes, problems
        tokens = [whole] if self._exact(whole) else self._tokens(
            unicodedata.normalize("NFKC", text))
        for tok in tokens:
            try:
                found = [self.one(tok)]
            except MatchProblem as exc:
                # "drc housing": Latin words that are no name together may be one name
                # each (ids, or names written apart by spaces)
                found = self._words(tok)
                if not found:
                    problems.append(exc.label)
                    continue
            for m in found:
                if m.how is not None:
                    notes.append(m.how)
                for i in m.ids:
                    if i not in ids:
                        ids.append(i)
        return ids, notes, problems

    def _exact(self, text: str) -> bool:
        """Is `text` exactly one name (spaces aside)?"""
        return len(self._names.get(_norm(text), ())) == 1

    def _tokens(self, text: str) -> list[str]:
        """The names of a cell (NFKC): the parts between separators, a run of parts
        that is exactly one name kept whole ("Office of Housing, Land and Planning"),
        a part split at the spaces next to Chinese characters (a part with brackets is
        one name with its remark, kept whole)."""
        spans = _outside_brackets(text)
        tokens: list[str] = []
        i = 0
        while i < len(spans):
            start = spans[i][0]
            for j in range(min(len(spans), i + _MAX_JOINED + 1), i + 1, -1):
                joined = text[start:spans[j - 1][1]].strip()
                if self._exact(joined):
                    tokens.append(joined)
                    i = j
                    break
            else:
                part = text[start:spans[i][1]].strip()
                i += 1
                tokens.extend([part] if "(" in part else
                              (t for t in _NAME_BREAK.split(part) if t))
        return [t for t in tokens if t]

    def _words(self, token: str) -> list[Match]:
        """A token of several Latin words, each one name (or id) — or [] when any word
        is not (the token's own problem is then the one to report)."""
        words = _SPACE.split(token.strip())
        if len(words) < 2:
            return []
        found = []
        for w in words:
            try:
                found.append(self.one(w))
            except MatchProblem:
                return []
        return found
