"""The two registries of checks, and the contexts a check receives.

Adding a rule is adding a function decorated with `@task_check` (a rule about one
task that does not depend on the date) or `@check` (a rule across files, or one that
depends on the as-of date), a test, and (for a new code) a line in `codes.py`.  A
check receives its context (`TaskContext` and the task, or `Context`) and yields
findings; it never raises for bad data.

Why two kinds: a task check needs only the task and the small files (luoshi.yaml,
units.yaml), so `luoshi validate` runs it file by file — on both cores, and cached
by the file's content (see `taskfiles`) — and a re-run after editing one file of a
100,000-task ledger checks that file alone, on any day.  `@check`s see every task
only through its `TaskKey` (`ctx.keys`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from ..core.codes import L
from ..core.finding import Finding
from ..core.memo import ByObject
from ..core.model import Ledger, Task, TaskKey


@dataclass(frozen=True)
class TaskContext:
    """What a rule about one task may look at: the small files, and not the as-of
    date — so a task file's findings can be cached whatever day it is checked on
    (rules that depend on the date are `@check`s over `TaskKey`s)."""

    ledger: Ledger

    @cached_property
    def category_ids(self) -> frozenset[str]:
        """Asked by every task: built once per context."""
        return frozenset(c.id for c in self.ledger.config.categories)

    @cached_property
    def tag_ids(self) -> frozenset[str]:
        """The declared tags (luoshi.yaml `tags`), asked by every task that has tags."""
        return frozenset(g.id for g in self.ledger.config.tags)

    @cached_property
    def hints(self) -> dict[tuple[str, str], Any]:
        """The hints given for unknown references, by kind and value: a unit renamed in
        units.yaml leaves thousands of tasks naming the old id, each asking the same
        "did you mean" (difflib over every unit and name: most of the run's time)."""
        return {}

    @cached_property
    def names(self) -> dict[str, Any]:
        """Per kind of reference, its id → name table and the reverse, made once: a new
        table per unknown value defeated `near`'s index (rebuilt over 10,000 units)."""
        return {}


@dataclass(frozen=True)
class Context:
    ledger: Ledger
    as_of: date
    #: every task (complete or not) in file order, as checks across files see it
    keys: Sequence[TaskKey] = ()
    #: the real date, when the as-of is a default that may lie before it (a 2024
    #: ledger judged at 2024-12-31 in 2026): a date is "in the future" only after it
    today: date | None = None

    @property
    def year_known(self) -> bool:
        """Whether the ledger's year was read (luoshi.yaml read, `year:` an integer).
        Without it the default as-of is today, not the year's last day: a rule that
        judges what was due by the as-of (LS601, LS702) would flood an older ledger
        with findings dated today, beside the one error that says what is wrong."""
        return "config" not in self.ledger.broken and self.ledger.config.year > 0

    @cached_property
    def complete_ids(self) -> frozenset[str]:
        """The ids of the complete tasks: asked by more than one rule over records,
        made once (100,000 keys)."""
        return frozenset(k.id for k in self.keys if k.complete)

    @cached_property
    def task_ids(self) -> frozenset[str]:
        """The ids of every task, complete or not: what exists (a reference to a task
        whose own fault left it incomplete is no "unknown task" — one fault, one
        finding)."""
        return frozenset(k.id for k in self.keys)

    @cached_property
    def title_ids(self) -> dict[str, str | None]:
        """A task's title (stripped) → its id, None for a title that more than one
        task holds: a record keying a quality score by the title is told the id to
        write (LS116).  Made on the first unknown task a record scores, a dict lookup
        for each after that (a scan of 100,000 titles per unknown key was not)."""
        out: dict[str, str | None] = {}
        for k in self.keys:
            title = k.title.strip()
            if title:
                out[title] = None if out.get(title, k.id) != k.id else k.id
        return out

    @property
    def latest(self) -> date:
        """The last day a recorded date may hold (LS203, LS704): the as-of, or today
        when the as-of is the default and today is later — a task closed late, in
        January, is not a completion in the future."""
        return max(self.as_of, self.today) if self.today is not None else self.as_of


def unit_name(ctx: Context, unit: str | None) -> str:
    """A unit as a message names it to a person: its name from units.yaml (the
    office reads 考核办, not kaoheban), the id when the ledger does not know it."""
    if unit is None:
        return "—"
    u = ctx.ledger.units.get(unit)
    return u.name if u is not None and u.name else unit


Check = Callable[[Context], Iterable[Finding]]
TaskCheck = Callable[[TaskContext, Task], Iterable[Finding]]
CHECKS: list[Check] = []
TASK_CHECKS: list[TaskCheck] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


def task_check(fn: TaskCheck) -> TaskCheck:
    TASK_CHECKS.append(fn)
    return fn


#: reference codes and the kind of entry they say is unknown
_REFERENCE_KINDS = {"LS110": "unit", "LS111": "leader", "LS112": "category",
                    "LS116": "task"}


def _not_unread(ledger: Ledger, found: Iterable[Finding]) -> Iterator[Finding]:
    """`found` without "unknown unit/leader/category/task" findings about an entry
    that is written but was left out (`Ledger.unread`): its own finding (a missing
    name, a bad id) is the root cause, reported once, not with every reference to it.
    No "unknown task" at all when a task file could not be read ("tasks" in
    `Ledger.broken`): the task may be in it."""
    if not any(":" in b or b == "tasks" for b in ledger.broken):
        yield from found
        return
    unread_file = "tasks" in ledger.broken
    for f in found:
        kind = _REFERENCE_KINDS.get(f.code)
        if kind is not None:
            if kind == "task" and unread_file:
                continue
            ident = dict(f.params).get("id")
            if isinstance(ident, str) and ledger.unread(kind, ident):
                continue
        yield f


def check_tasks(ctx: TaskContext, items: Iterable[Task]) -> Iterator[Finding]:
    """The rules of single tasks, over `items` (complete or not: each rule skips
    what a task is `missing`)."""
    yield from _not_unread(ctx.ledger, _check_tasks(ctx, items))


def _check_tasks(ctx: TaskContext, items: Iterable[Task]) -> Iterator[Finding]:
    for t in items:
        for fn in TASK_CHECKS:
            yield from fn(ctx, t)


def run_checks(ledger: Ledger, as_of: date,
               keys: Sequence[TaskKey] | None = None, *,
               today: date | None = None) -> Iterator[Finding]:
    """Every check.  With `keys` the ledger's tasks were checked file by file already
    (`ledger.tasks` is empty then): only the checks over keys run.  `today`: see
    `Context.today`."""
    if keys is None:
        every = ledger.checkable_tasks()
        keys = [t.key() for t in every]
        yield from check_tasks(TaskContext(ledger), every)
    ctx = Context(ledger, as_of, keys, today)
    try:
        for fn in CHECKS:
            yield from _not_unread(ledger, fn(ctx))
    finally:
        _last.clear()  # the hints' index of task ids (tens of MB at 100,000): not kept
        _zeros_by.clear()
        _memos.clear()


def near(name: str, known: Iterable[str], beside: Container[str] = ()) -> L:
    """A "did you mean" hint for an unknown id (`closest`)."""
    hit = closest(name, known, beside)
    return L(f"（是不是 {hit}？）", f" (did you mean {hit}?)") if hit else L("", "")


def closest(name: str, known: Iterable[str], beside: Container[str] = ()) -> str | None:
    """The known name closest to `name`, if any is close (difflib, cutoff 0.6).

    A known name equal to `name` but for the leading zeros of its numbers (`t1` and
    `t01`, `WN-9` and `WN-009`) is the one meant, however close others are: difflib
    rates `t21` as close to `t1` as `t01` is, and picked `t21` (the larger string)
    among equals.  `beside`: the names already written next to `name` (the other
    keys of its mapping, the other items of its list) -- writing one of them again
    would make a duplicate, so another close name is offered first.

    Among a few hundred names (units, leaders, categories) every one is compared.
    Among a ledger's task ids -- 100,000 of them -- that costs 15 µs per id per
    unknown id: a record naming 300 unknown tasks took 6 s on 4,000 tasks, and would
    take minutes on 100,000.  There only the ids one deletion away (on either side: a
    typo, a missing, extra or swapped character) are compared (`_Typos`).  The answer
    is kept per collection: a unit renamed in units.yaml leaves thousands of tasks
    asking the same."""
    memo = _memo(known) if not beside else None
    if memo is not None and name in memo:
        return memo[name]
    hits = close_matches(name, known, beside=beside)
    hit = hits[0] if hits else None
    if memo is not None:
        memo[name] = hit
    return hit


def close_matches(name: str, known: Iterable[str], n: int = 1,
                  beside: Container[str] = ()) -> list[str]:
    """The `n` known names closest to `name` (difflib, cutoff 0.6), bounded as
    `closest` says: every one is compared only among up to 1,000 names within
    `_SCAN_WORK`, otherwise the names about two edits away (`_Typos`); a name equal
    but for leading zeros first, names in `beside` last (`closest`).  Also the
    "did you mean" of an id typed on the command line (`cli.options.resolve_id`)."""
    if not isinstance(known, (set, frozenset, dict, list, tuple)):
        known = list(known)  # asked more than once below
    same = _same_but_zeros(name, known)
    if same:  # however far difflib rates them (`t1` and `t0001`: 0.57)
        return _first_not_beside(name, same, n, beside, cutoff=0.0)
    if isinstance(known, (set, frozenset, dict)):
        if len(known) > _FEW or not _scan(name, known):
            return _typos(known).close(name, n, beside)
        return _first_not_beside(name, list(known), n, beside)
    names = list(known)
    if _scan(name, names):
        return _first_not_beside(name, names, n, beside)
    # a list is asked once: the index holds only the names that may share a variant
    folded = name.casefold()
    return _Typos([k for k in names if _may_share(folded, k.casefold())]).close(
        name, n, beside)


def _first_not_beside(name: str, names: list[str], n: int, beside: Container[str],
                      cutoff: float = 0.6) -> list[str]:
    """difflib's `n` closest of `names`, those not in `beside` when any is close."""
    if beside:
        apart = [k for k in names if k not in beside]
        if len(apart) < len(names):
            hits = difflib.get_close_matches(name, apart, n=n, cutoff=cutoff)
            if hits:
                return hits
    return difflib.get_close_matches(name, names, n=n, cutoff=cutoff)


#: the leading zeros of a number (not a lone 0, not the zeros inside 100)
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")


def _unzero(name: str) -> str:
    """`name` without the leading zeros of its numbers: `WN-009` → `WN-9`, `t01` → `t1`."""
    return _LEADING_ZEROS.sub("", name)


def _same_but_zeros(name: str, known: Iterable[str]) -> list[str]:
    """The known names equal to `name` once the leading zeros of the numbers in both
    are dropped (`t1` for `t01`), in sorted order; none when `name` has no digit."""
    if not any("0" <= c <= "9" for c in name) or len(name) > _SCAN_LONGEST:
        return []
    key = _unzero(name)
    same = list(_zeros(known).get(key, ()))
    if key != name and key in known:  # `t01` written, `t1` known
        same = sorted([*same, key])
    return same


#: the known names whose numbers have leading zeros, by `_unzero`, per collection:
#: built once per run like `_last`
_zeros_by: ByObject[dict[str, list[str]]] = ByObject(8)


def _zeros(known: Iterable[str]) -> dict[str, list[str]]:
    def make() -> dict[str, list[str]]:
        names = sorted(k for k in known if len(k) <= _SCAN_LONGEST)
        # one substitution over all the names at once: 100,000 ids took 0.13 s with
        # the sort, 0.33 s one name at a time
        keys = _unzero("\n".join(names)).split("\n")
        if len(keys) != len(names):  # a name with a line break in it
            keys = [_unzero(k) for k in names]
        out: dict[str, list[str]] = {}
        for k, key in zip(names, keys, strict=True):
            if key != k:  # a name without leading zeros is its own key: asked directly
                out.setdefault(key, []).append(k)
        return out
    if not isinstance(known, (set, frozenset, dict)):
        return make()
    return _zeros_by.get(known, make, len(known))


def _may_share(a: str, b: str) -> bool:
    """Whether `a` and `b` (case folded) may share a one-deletion variant (`_variants`),
    by their lengths and their first and last two characters -- a check of a few
    operations, where computing the variants of each of 200,000 names took 2 s: a
    shared variant's first character is one of each string's first two, its last one
    of each string's last two."""
    if len(a) >= 64 or len(b) >= 64:
        return a == b
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) < 3 or len(b) < 3:
        return True
    return ((b[0] in a[:2] or b[1] in a[:2]) and (b[-1] in a[-2:] or b[-2] in a[-2:]))


#: the hints given, per collection of known names; dropped after each run of the checks
_memos: ByObject[dict[str, str | None]] = ByObject(16)


def _memo(known: Iterable[str]) -> dict[str, str | None] | None:
    """The hints already given for `known` -- a set or mapping (the ledger's units,
    leaders, task ids): a list may be a new one each call, and is short.  A
    collection that grew since is a new one (the checks pass collections they do not
    change; the size is the cheap guard that they did not)."""
    if not isinstance(known, (set, frozenset, dict)):
        return None
    return _memos.get(known, dict, len(known))


#: up to this many names, `near` compares every one (within `_SCAN_WORK`)
_FEW = 1000
#: the longest name compared with every known one; a longer one is looked up in the
#: one-deletion index only (`_Typos`, which holds a name of 64 characters or more
#: whole: such a name gets a hint only for a known one differing in case)
_SCAN_LONGEST = 64
#: the most pairs of characters one "did you mean" compares by difflib (the name's
#: length times the known names' total length; a comparison costs up to ~40 ns per
#: pair): above it only the index is asked, whose candidates are the names within
#: about two edits.  A ledger of a few hundred units, ids and names of a dozen
#: characters, stays well below it.  Without it each distinct unknown value was
#: compared with every unit: 400 unknown ids of 63 letters among 990 units took 72 s
#: to validate, 20 unknown names of 1,000 characters among 200 such units 17.5 s
#: (audit); a file's findings are cached, so the bound is per value, not per run
_SCAN_WORK = 100_000


def _scan(name: str, known: Sequence[str] | set[str] | frozenset[str] | dict[str, Any]
          ) -> bool:
    """Whether `closest` compares `name` with every one of `known` (difflib)."""
    if len(name) > _SCAN_LONGEST:
        return False
    return len(name) * sum(len(k) for k in known) <= _SCAN_WORK


class _Typos:
    """Names by each of their one-deletion variants (and themselves), case folded: the
    candidates within about two edits of a name, found without comparing them all."""

    def __init__(self, names: Iterable[str]) -> None:
        self.by: dict[str, list[str]] = {}
        for n in sorted(names):
            for v in _variants(n.casefold()):
                self.by.setdefault(v, []).append(n)

    def close(self, name: str, n: int = 1, beside: Container[str] = ()) -> list[str]:
        """The `n` closest (difflib) of the names sharing a one-deletion variant with
        `name`: those under the name itself first, then under each of its deletions,
        position by position, each list in sorted order, and no more than
        `_NEIGHBOURS` names or `_SCAN_WORK` pairs of characters of them.  Without the
        bound every name under one variant was compared: 20,000 units "abcdefgh" and
        one CJK character each are all under "abcdefgh", and each distinct unknown
        "abcdefgh" and another character was compared with all of them (0.27 s each)."""
        seen: dict[str, None] = {}
        work = 0
        folded = name.casefold()
        for v in _ordered_variants(folded):
            for k in self.by.get(v, ()):
                if k in seen:
                    continue
                work += len(name) * len(k)
                if len(seen) == _NEIGHBOURS or work > _SCAN_WORK:
                    return _first_not_beside(name, list(seen), n, beside)
                seen[k] = None
        return _first_not_beside(name, list(seen), n, beside)


#: the most names one lookup in `_Typos` compares by difflib (an ordinary ledger's
#: lookups find a few dozen: among 100,000 ids T-00000 to T-99999, 46 at most)
_NEIGHBOURS = 256


def _variants(s: str) -> set[str]:
    return {s, *(s[:i] + s[i + 1:] for i in range(len(s)))} if len(s) < 64 else {s}


def _ordered_variants(s: str) -> Iterator[str]:
    """`_variants(s)`, `s` first and then its deletions by position (each once): the
    order `_Typos.close` takes its candidates in, the same in every run."""
    yield s
    if len(s) < 64:
        done = {s}
        for i in range(len(s)):
            v = s[:i] + s[i + 1:]
            if v not in done:
                done.add(v)
                yield v


#: the indexes built, per collection; a few at once: supervision's references ask of
#: units and of task ids in turn, and one slot rebuilt an index for each (0.1 s each
#: at 10,000 units)
_last: ByObject[_Typos] = ByObject(8)


def _typos(known: Iterable[str]) -> _Typos:
    """The index of `known`, built once per collection a check passes again and again."""
    size = len(known) if isinstance(known, (set, frozenset, dict)) else -1
    return _last.get(known, lambda: _Typos(known), size)

