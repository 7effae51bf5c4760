"""Reading a large ledger fast: parsed files cached by content, parsing on every core.

A province keeps hundreds of thousands of tasks in hundreds of files, and CI
validates the ledger on every commit — usually after a change to one file.  This
`FileSource` keeps what luoshi made of each file in `<root>/.luoshi-cache/`, and
works on the files it has not seen on every core.  Two kinds of work are cached:
what `parse_tasks`/`parse_record` built (model records and findings: status, score,
bulletin) and what `taskfiles.TaskFileCheck` found (a task file's placed findings
and task keys: `luoshi validate`).  Nothing here changes a result: `open_ledger`
gets the same sources, records and findings, in the same order, as from a plain
`DirSource`.

Why the cache can be trusted:
- an entry is named by the SHA-256 of the file's bytes, read in this run, and of
  what else the work depends on (the work's `salt`: for checks, the units, leaders,
  categories and year they judge by — never the as-of date, see `checks.TaskContext`):
  a file that changed by one byte, or a unit renamed in units.yaml, means the work
  is done again;
- entries live in a directory named by luoshi's version, the cache format and a
  fingerprint of luoshi's own code, so new parse rules never meet old entries;
- every entry carries an HMAC made with a key kept outside the ledger (in the user's
  cache directory), so entries committed to the repository — by mistake or to slip a
  broken ledger past the CI gate — are never believed, and never unpickled;
- the signature covers the entry's name too (the work, the file, its bytes, the
  salt): a signed entry copied onto another name is a miss;
- a `.luoshi-cache` that is a link (a hostile ledger's `.luoshi-cache -> ..`), a link
  in it, or a file where a directory should be is never followed: no cache then, and
  only exactly-named entries are ever removed (`cache.Store.prune`);
- entries are written atomically; one that does not check out is a miss and is
  removed.  The directory can be deleted at any time.

Small ledgers skip all of it: below `CACHE_MIN_BYTES` hashing and bookkeeping cost
more than parsing, and below `PARALLEL_MIN_BYTES` starting processes does.
`LUOSHI_NO_CACHE=1` (or `validate --no-cache`) turns the cache off — in CI it is off
unless `LUOSHI_CACHE=1` — and `LUOSHI_JOBS=1` parsing in parallel.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..load.assemble import DirSource, Standby
from ..load.read import Source, decode, load_file, parse
from . import Progress, progress_display

if TYPE_CHECKING:  # the cache and the workers are imported only by ledgers that use them
    from ..core.finding import KeyPath
    from ..load.positions import Memo, Stored
    from .cache import Payload, Store

P = TypeVar("P")
T = TypeVar("T")
W = TypeVar("W")
Work = Callable[[Source], Any]

CACHE_DIR = ".luoshi-cache"

#: below this many bytes of ledger files, parsing is cheaper than the cache's bookkeeping
CACHE_MIN_BYTES = 512 * 1024
#: below this many bytes still to parse, starting worker processes costs more than it saves
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
#: a run that parses at least this much shows a progress bar (on a terminal, outside CI)
PROGRESS_MIN_BYTES = 8 * 1024 * 1024


def default_source(root: Path, *, cache: bool | None = None) -> FastSource:
    """The source `open_ledger` uses: cache and parallel parsing as the environment says.

    In CI (env CI set) the cache is off unless LUOSHI_CACHE=1: a fresh checkout would
    only pay for writing entries that no later run reads."""
    if cache is None:
        if os.environ.get("LUOSHI_NO_CACHE", "").strip() not in ("", "0"):
            cache = False
        elif os.environ.get("CI"):
            cache = os.environ.get("LUOSHI_CACHE", "").strip() not in ("", "0")
        else:
            cache = True
    jobs_env = os.environ.get("LUOSHI_JOBS", "").strip()
    jobs = int(jobs_env) if jobs_env.isdigit() and int(jobs_env) > 0 else None
    return FastSource(root, cache=cache, jobs=jobs, progress=progress_display())


class FastSource(DirSource):
    """A directory on disk, read through the cache and parsed on every core: its own
    `accelerator` (`load.assemble.Accelerator`)."""

    def __init__(self, root: Path, *, cache: bool = True, jobs: int | None = None,
                 progress: Progress | None = None, key: bytes | None = None,
                 cache_min_bytes: int | None = None,
                 parallel_min_bytes: int | None = None) -> None:
        super().__init__(root)
        self.accelerator = self
        self.cache = cache
        self.jobs = jobs
        self.progress = progress
        self._key = key
        self.cache_min_bytes = CACHE_MIN_BYTES if cache_min_bytes is None else cache_min_bytes
        self.parallel_min_bytes = (PARALLEL_MIN_BYTES if parallel_min_bytes is None
                                   else parallel_min_bytes)
        #: files read from the cache, files parsed, worker processes used, files whose
        #: answer was made from their kept model (`Standby`) — for tests; a parse
        #: worker's files count as parsed, however it answered them
        self.stats = {"hits": 0, "parsed": 0, "workers": 0, "derived": 0}
        self._digests: dict[str, tuple[bytes, Any]] = {}  # shared by this source's stores
        self._bytes = 0
        self._cached = False  # some files of this ledger were read through the cache
        self._aside = False  # a load runs beside parse workers (`_beside`)

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    def load_parsed(self, rels: Sequence[str], max_mb: float,
                    parse: Callable[[str, Any], P]) -> list[tuple[Source, P | None]]:
        """Sources and `parse(rel, data)` of each file, from the cache where it holds them."""
        from ..load.assemble import load_parsed

        return load_parsed(self, rels, max_mb, parse)

    def load_worked(self, rels: Sequence[str], max_mb: float, work: Callable[[Source], W],
                    name: str, salt: bytes = b"",
                    meanwhile: Callable[[], None] | None = None,
                    standby: Standby | None = None) -> list[tuple[Source, W]]:
        """Sources and `work(source)` of each file, from the cache where it holds them.

        `work` must be a pure function of the file's bytes and of `salt` (what else
        it depends on, e.g. the units a check looks up); `name` says what it makes.
        With `standby`, a file missing from this work's entries is answered from the
        standby's entry when there is one, and a file parsed here leaves both."""
        gc_was_on = gc.isenabled()
        gc.disable()  # ledger data has no cycles; collecting while building is half the time
        try:
            return self._load_worked(rels, max_mb, work, name, salt, meanwhile, standby)
        finally:
            if self._bytes >= self.cache_min_bytes:
                gc.freeze()  # the records live until exit: later collections skip them
            if gc_was_on:
                gc.enable()

    def _load_worked(self, rels: Sequence[str], max_mb: float, work: Callable[[Source], W],
                     name: str, salt: bytes, meanwhile: Callable[[], None] | None,
                     standby: Standby | None) -> list[tuple[Source, W]]:
        limit = max_mb * 1024 * 1024
        refused = [self.refused(rel) for rel in rels]  # links out of the root: never read
        raws = [None if bad else _read(self.root / rel, limit)
                for rel, bad in zip(rels, refused, strict=True)]
        total = self._bytes = sum(len(r) for r in raws if r is not None)
        store = (self._store(name, salt) if self.cache and total >= self.cache_min_bytes
                 else None)
        self._cached = self._cached or store is not None
        out: list[tuple[Source, Any] | None] = [None] * len(rels)
        todo: list[int] = []
        for i, (rel, raw) in enumerate(zip(rels, raws, strict=True)):
            path = self.root / rel
            if raw is None:  # a directory, too big or unreadable: load.py says which
                src = refused[i] or load_file(path, rel, max_mb)
                out[i] = (src, work(src))
                continue
            hit = store.get(rel, raw) if store is not None else None
            if hit is not None:
                out[i] = _restore(path, raw, hit)
                self.stats["hits"] += 1
            else:
                todo.append(i)
        kept: _Kept | None = None  # the standby's entries: opened only for files `store` lacks
        if todo:
            if store is not None and standby is not None:
                spare = self._store(standby.name, standby.salt)
                kept = _Kept(spare, standby) if spare is not None else None
            for i, payload in self._parse(rels, raws, todo, work, store, max_mb, meanwhile,
                                          kept):
                out[i] = _restore(self.root / rels[i], raws[i] or b"", payload)
            derived = kept.derived if kept is not None else 0
            self.stats["parsed"] += len(todo) - derived
            self.stats["derived"] += derived
        if store is not None:
            store.prune()
        if kept is not None:
            kept.spare.prune()
        return [x for x in out if x is not None]

    def spread(self, work: Callable[[int], T], sizes: Sequence[int]) -> Iterator[tuple[int, T]]:
        """`work(k)` for each `k < len(sizes)`, in any order: beside forked workers on
        the other cores when the work (`sizes`, in bytes) is enough to pay for them,
        as the parse does (`parallel.share_out`).  `work` must be pure and its answer
        picklable; a worker that fails leaves its part to this process."""
        from .parallel import can_fork, share_out

        jobs = min(self.jobs or _cpus(), len(sizes))
        if (jobs > 1 and sum(sizes) >= self.parallel_min_bytes and not self._aside
                and can_fork()):
            self.stats["workers"] = max(self.stats["workers"], jobs)
            yield from share_out(list(range(len(sizes))), list(sizes), jobs - 1,
                                 lambda k: (work(k), None), None)
            return
        for k in range(len(sizes)):
            yield k, work(k)

    def position_memo(self, sources: Mapping[str, Source]) -> Memo | None:
        """Positions found in a file, kept in the cache by the file's bytes (see
        `positions.Memo`); None where this source keeps no cache."""
        if not self._cached:  # a small ledger: no cache at all
            return None
        store = self._store("positions", b"")
        return None if store is None else _PositionMemo(store, sources)

    def _store(self, name: str, salt: bytes) -> Store | None:
        from .cache import Store, machine_key

        key = self._key if self._key is not None else machine_key()
        if key is None:
            return None
        return Store(self.cache_dir, key, name, salt, self._digests)

    def _parse(self, rels: Sequence[str], raws: list[bytes | None], todo: list[int],
               work: Work, store: Store | None, max_mb: float,
               meanwhile: Callable[[], None] | None = None, kept: _Kept | None = None
               ) -> Iterator[tuple[int, Payload]]:
        """Parse the files not in the cache: on every core when that pays (and then
        call `meanwhile` here while the workers start on theirs).  With `kept`, a
        file whose model is kept is not parsed: the answer is made from the model."""
        sizes = [len(raws[i] or b"") for i in todo]
        size = sum(sizes)
        # inside `meanwhile` another load is running: no bar of its own, no fork
        progress = self.progress if size >= PROGRESS_MIN_BYTES and not self._aside else None
        bar: list[Callable[[int], None]] = []

        def advance(n: int) -> None:
            if progress is not None and not bar:  # started late: never fork under its thread
                bar.append(progress(len(todo), size))
            if bar:
                bar[0](n)

        jobs = min(self.jobs or _cpus(), len(todo))
        parallel = jobs > 1 and size >= self.parallel_min_bytes and not self._aside
        if parallel:
            from .parallel import can_fork, share_out

            parallel = can_fork()
        entries = [store.job(rels[i], raws[i] or b"") if store else None for i in todo]
        models = [kept.spare.job(rels[i], raws[i] or b"") for i in todo] if kept else []

        def one(k: int) -> tuple[Payload, bytes | None]:
            """Parse one file and write its entry; the pickled payload when it was made."""
            i = todo[k]
            path = self.root / rels[i]
            try:
                payload = (kept.answer(rels[i], path, raws[i] or b"", models[k])
                           if kept is not None else _parse_one(rels[i], path, raws[i] or b"",
                                                               work))
            except _Unusual:
                src = load_file(path, rels[i], max_mb)
                return (rels[i], src.findings, src.ok, src.text is not None, work(src)), None
            entry = entries[k]
            if store is None or entry is None or not store.writable:
                return payload, None
            from .cache import dumps

            body = dumps(payload)
            store.put(entry, body)
            return payload, body

        try:
            if parallel:
                self.stats["workers"] = max(self.stats["workers"], jobs)
                yield from share_out(todo, sizes, jobs - 1, one,
                                      advance if progress is not None else None,
                                      self._beside(meanwhile) if meanwhile else None)
            else:
                for k, i in enumerate(todo):
                    yield i, one(k)[0]
                    advance(sizes[k])
        finally:
            if bar:
                bar[0](-1)  # done: remove the bar


    def _beside(self, meanwhile: Callable[[], None]) -> Callable[[], None]:
        """`meanwhile` as `share_out` calls it, beside the workers: what it loads is
        loaded here, in this process (no fork while the pipes' threads run, no
        second progress bar), and this load's byte count stays its own."""
        def run() -> None:
            size, self._aside = self._bytes, True
            try:
                meanwhile()
            finally:
                self._bytes, self._aside = size, False
        return run


class _Kept:
    """A work's standby (`load.assemble.Standby`: the file's parsed model) and the
    store of its entries, for the files missing from the work's own entries."""

    def __init__(self, spare: Store, standby: Standby) -> None:
        self.spare = spare
        self.standby = standby
        self.derived = 0  # answers made from a kept model, in this process

    def answer(self, rel: str, path: Path, raw: bytes, entry: Path) -> Payload:
        """The work's payload for these bytes: made from the file's kept model when
        there is one; else the file is parsed into its model, which is kept too."""
        model = self.spare.get(rel, raw)
        if model is None:
            model = _parse_one(rel, path, raw, self.standby.work)
            if self.spare.writable:
                from .cache import dumps

                self.spare.put(entry, dumps(model))
        else:
            self.derived += 1
        rel, findings, ok, has_text, made = model
        return rel, findings, ok, has_text, self.standby.derive(made)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


# --- reading and parsing one file ---------------------------------------------------

def _read(path: Path, limit: float) -> bytes | None:
    """The bytes of a plain regular file within the size limit that did not change size
    while read — exactly what `load.read_text` would decode.  Anything else (directory,
    FIFO, device, too big, growing, empty, unreadable) is None: `load_file` handles it
    and says what is wrong, and it is never cached."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or not 0 < st.st_size <= limit:
            return None
        with open(path, "rb") as fh:
            raw = fh.read(st.st_size + 1)
    except OSError:
        return None
    return raw if len(raw) == st.st_size else None


class _Unusual(Exception):
    """A file `load_file` must read itself (it turns the trouble into a finding)."""


def _parse_one(rel: str, path: Path, raw: bytes, work: Work) -> Payload:
    """What `load_file` + `work` make of these bytes (no second read: no race)."""
    src = Source(path=path, rel=rel)
    try:
        text, problem = decode(raw, rel)
    except MemoryError:
        raise _Unusual from None
    if problem is not None:
        src.findings.append(problem)
    else:
        src.text = text
        parse(src)
    return rel, src.findings, src.ok, text is not None, work(src)


class CachedSource(Source):
    """A `Source` whose text and data are made from the file's bytes when asked for:
    positions need the text of the few files with findings, change control the data.
    They are kept in its own slots, behind properties of the same names (`Source`'s
    own two slots stay unused)."""

    __slots__ = ("_data_done", "_data_value", "_raw", "_text_done", "_text_value")

    _raw: bytes
    _text_done: bool
    _data_done: bool
    _text_value: str | None
    _data_value: Any

    def _get_text(self) -> str | None:
        if not self._text_done:
            self._text_done = True
            self._text_value = decode(self._raw, self.rel)[0]
        return self._text_value

    def _set_text(self, value: str | None) -> None:
        self._text_done = True
        self._text_value = value

    def _get_data(self) -> Any:
        if not self._data_done:
            self._data_done = True
            self._data_value = None
            if self.ok:
                fresh = parse(Source(path=self.path, rel=self.rel, text=self._get_text()))
                self._data_value = fresh.data
        return self._data_value

    def _set_data(self, value: Any) -> None:
        self._data_done = True
        self._data_value = value

    text = property(_get_text, _set_text)
    data = property(_get_data, _set_data)


def _restore(path: Path, raw: bytes, payload: Payload) -> tuple[Source, Any]:
    rel, findings, ok, has_text, result = payload
    src = CachedSource.__new__(CachedSource)
    src.path, src.rel, src.ok, src.findings = path, rel, ok, list(findings)
    src._raw = raw
    src._text_done = not has_text  # nothing to decode: text stays None
    src._data_done = not ok
    src._text_value = None
    src._data_value = None
    return src, result


class _PositionMemo:
    """`positions.Memo` over a cache store: an entry per file, named by its bytes as
    read in this run (only sources made from bytes, `CachedSource`, take part)."""

    def __init__(self, store: Store, sources: Mapping[str, Source]) -> None:
        self.store = store
        self.sources = sources

    def _raw(self, rel: str) -> bytes | None:
        src = self.sources.get(rel)
        return src._raw if isinstance(src, CachedSource) else None

    def get(self, rel: str) -> dict[KeyPath, Stored] | None:
        raw = self._raw(rel)
        payload = self.store.get(rel, raw) if raw is not None else None
        found = payload[4] if payload is not None else None
        return found if isinstance(found, dict) else None

    def put(self, rel: str, found: dict[KeyPath, Stored]) -> None:
        raw = self._raw(rel)
        if raw is None or not self.store.writable:
            return
        from .cache import dumps

        self.store.put(self.store.job(rel, raw), dumps((rel, [], True, True, found)))

    def close(self) -> None:
        self.store.prune()
