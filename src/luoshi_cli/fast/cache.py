"""The content-hash cache of parsed ledger files (`.luoshi-cache/`), see `fastsource`.

An entry holds what luoshi built from one file — its load findings, whether it parsed,
and the `parse_*` result (model records and findings) — pickled, signed with an HMAC
whose key lives outside the ledger (`machine_key`), and named by the SHA-256 of the
file's bytes.  Entries of one code version share a directory named by
`code_fingerprint()`; other versions are removed.  A damaged, foreign or unsigned entry
is a miss; an entry is data only (`_Unpickler`), never code.

The cache lives inside the ledger, and a ledger is other people's input (a unit's
branch, a pull request): it may commit `.luoshi-cache` itself, as a link to `..` or
`/home`, or entries copied from one name to another.  So a link is never followed —
neither the cache directory, nor a version directory, nor an entry (`_real_dir`,
`_read_entry`); only what luoshi names exactly (`_ENTRY`, `_VERSION`) is ever removed,
one file at a time, and a directory only by `rmdir` once empty; and an entry's
signature covers its name — which file, which bytes, which salt (`sign`) — so a signed
entry moved to another name is a miss.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import hashlib
import hmac
import io
import os
import pickle
import re
import stat
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.finding import Finding

CACHE_FORMAT = 1

_MAGIC = b"LSC1"
_MAC_SIZE = 32

#: the names luoshi gives entries and version directories: nothing else is ever removed
_ENTRY = re.compile(r"[0-9a-f]{20}-[0-9a-f]{64}\.pickle\Z")
_VERSION = re.compile(r"v[0-9]+-[0-9a-f]{16}\Z")
#: the temporary file `fsio.write_atomic` writes an entry (or the cache directory's
#: .gitignore and CACHEDIR.TAG) to before renaming it: a run killed mid-write (a
#: cancelled CI job, a worker ended with its parent) leaves it behind
_TEMP = re.compile(r"\.(?:[0-9a-f]{20}-[0-9a-f]{64}\.pickle|\.gitignore|CACHEDIR\.TAG)"
                   r"\.[a-z0-9_]{8}\.tmp\Z")
#: a temporary file older than this belongs to no live writer: an entry is written in
#: milliseconds, so a younger one may be another luoshi's write under way (two runs on
#: one ledger at once), and is left to it
STALE_TEMP_SECONDS = 10 * 60
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

Payload = tuple[str, list[Finding], bool, bool, Any]
"""(rel, load findings, ok, decoded to text, what the work made of the file)"""


class Store:
    """One directory of entries for one kind of work, under one code version.

    `salt` is what else the work depends on besides the file (the units a check looks
    up): it goes into the entry's name with the file's hash, so an
    entry made under other units is never found, and is pruned like an old version
    of the file."""

    def __init__(self, top: Path, key: bytes, work_name: str, salt: bytes = b"",
                 digests: dict[str, tuple[bytes, Any]] | None = None) -> None:
        self.top = top
        self.key = key
        self.work_name = work_name
        self.salt = salt
        self.dir = top / f"v{CACHE_FORMAT}-{code_fingerprint()[:16]}"
        self.used: set[str] = set()
        self.names: dict[str, tuple[bytes, str, str]] = {}  # rel → (bytes, file key, name)
        #: rel → (bytes, their SHA-256 so far), shared by the stores of one source: a
        #: file's bytes are hashed once however many kinds of entry it is looked up in
        self.digests: dict[str, tuple[bytes, Any]] = {} if digests is None else digests
        self.present: set[str] = set()
        #: temporary files of writes that never finished, seen in the same listing
        self.temps: list[str] = []
        # a link or a file where the cache should be: no cache at all, and nothing
        # written, read or removed through it
        self.writable = _real_dir(top) is not False and _real_dir(self.dir) is not False
        if self.writable and _real_dir(self.dir):
            entries, self.temps = _listing(self.dir)
            self.present = set(entries)

    def _name(self, rel: str, raw: bytes) -> tuple[str, str]:
        known = self.names.get(rel)
        if known is not None and known[0] is raw:
            return known[1], known[2]
        file_key = hashlib.sha256(f"{self.work_name}\0{rel}".encode()).hexdigest()[:20]
        hashed = self.digests.get(rel)
        if hashed is None or hashed[0] is not raw:
            hashed = self.digests[rel] = (raw, hashlib.sha256(raw))
        content = hashed[1].copy()
        if self.salt:
            content.update(b"\0" + self.salt)
        name = f"{file_key}-{content.hexdigest()}.pickle"
        self.names[rel] = (raw, file_key, name)
        return file_key, name

    def job(self, rel: str, raw: bytes) -> Path:
        """Where the entry for these bytes of `rel` goes."""
        _, name = self._name(rel, raw)
        self.used.add(name)
        return self.dir / name

    def get(self, rel: str, raw: bytes) -> Payload | None:
        _, name = self._name(rel, raw)
        self.used.add(name)
        if name not in self.present:
            return None
        path = self.dir / name
        blob = _read_entry(path)
        if blob is None:
            return None
        payload = open_entry(blob, self.key, name)
        if payload is None or payload[0] != rel:
            with contextlib.suppress(OSError):
                path.unlink()
            self.used.discard(name)
            return None
        return payload

    def put(self, path: Path, body: bytes) -> None:
        """Write an entry (a pickled payload), signed; give up quietly where we cannot."""
        from ..fsio import write_atomic

        if not self.writable:
            return
        try:
            if not _make_cache_dir(path.parent):
                self.writable = False  # a link where a directory should be: no cache
                return
            # not flushed to disk: an entry cut short by a power cut fails its
            # signature and is made again (one fsync per task file made the first
            # run on 3,000 task files take 30 s of waiting for 5 s of work)
            write_atomic(path, _MAGIC + sign(self.key, path.name, body) + body,
                         durable=False)
        except OSError:
            self.writable = False  # a read-only checkout: carry on without writing

    def prune(self) -> None:
        """Drop entries of older versions of the files just read, other code versions,
        and the temporary files of writes an earlier run never finished (`_TEMP`,
        older than `STALE_TEMP_SECONDS`).

        Only names luoshi makes, one file at a time (an entry that is a link is
        unlinked itself, never what it points to); a directory of another code version
        only by `rmdir` once it holds nothing else — never a tree."""
        if not self.writable or _real_dir(self.top) is not True:
            return
        files = {name.split("-", 1)[0] for name in self.used}
        for name in self.present - self.used:
            if name.split("-", 1)[0] in files:
                with contextlib.suppress(OSError):
                    os.unlink(self.dir / name)
        _drop_stale(self.dir, self.temps)
        self.temps = []
        try:
            with os.scandir(self.top) as it:
                listed = [(e.name, e.is_dir(follow_symlinks=False)) for e in it]
        except OSError:
            return
        others = [name for name, is_dir in listed
                  if is_dir and _VERSION.match(name) and name != self.dir.name]
        _drop_stale(self.top, [name for name, is_dir in listed
                               if not is_dir and _TEMP.match(name)])
        for name in others:
            old = self.top / name
            if _real_dir(old) is not True:
                continue
            entries, temps = _listing(old)
            for entry in entries:
                with contextlib.suppress(OSError):
                    os.unlink(old / entry)
            _drop_stale(old, temps)
            with contextlib.suppress(OSError):
                os.rmdir(old)


def _real_dir(path: Path) -> bool | None:
    """True for a directory that is not a link, None when nothing is there, False for
    anything else (a link — wherever it points —, a file): not a place for the cache."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode)


def _entries(directory: Path) -> list[str]:
    """The names in `directory` that luoshi gives entries, links and all (a link is
    listed so that pruning can unlink it; `_read_entry` never reads through one)."""
    return _listing(directory)[0]


def _listing(directory: Path) -> tuple[list[str], list[str]]:
    """The entries in `directory` (see `_entries`) and the temporary files of entries
    being written or left by a killed run (`_TEMP`), from one listing."""
    entries: list[str] = []
    temps: list[str] = []
    try:
        with os.scandir(directory) as it:
            for e in it:
                if _ENTRY.match(e.name):
                    if not e.is_dir(follow_symlinks=False):
                        entries.append(e.name)
                elif _TEMP.match(e.name) and not e.is_dir(follow_symlinks=False):
                    temps.append(e.name)
    except OSError:
        return [], []
    return entries, temps


def _drop_stale(directory: Path, temps: list[str]) -> None:
    """Remove the temporary files `temps` in `directory` that no live writer holds:
    those last written more than `STALE_TEMP_SECONDS` ago.  A younger one may be
    another luoshi's write under way (it renames it in a moment); were a writer's file
    removed all the same, its rename fails and that run carries on without writing
    (`Store.put`).  Unlinked itself, never followed (a link there is a name only)."""
    if not temps:
        return
    import time

    stale = time.time() - STALE_TEMP_SECONDS
    for name in temps:
        path = directory / name
        with contextlib.suppress(OSError):
            if os.lstat(path).st_mtime < stale:
                os.unlink(path)


def _read_entry(path: Path) -> bytes | None:
    """An entry's bytes: a regular file, opened without following a link, or None."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            return fh.read()
    except OSError:
        return None


def _make_cache_dir(version_dir: Path) -> bool:
    """Make the cache directory and this version's; False where either is a link or
    not a directory (a hostile ledger's `.luoshi-cache -> ..`): then no cache."""
    from ..fsio import write_atomic

    top = version_dir.parent
    if _real_dir(top) is None:
        with contextlib.suppress(FileExistsError):  # another worker made it first
            top.mkdir()
    if _real_dir(top) is not True:
        return False
    if not os.path.lexists(top / ".gitignore"):
        # never committed, never backed up (https://bford.info/cachedir/)
        write_atomic(top / ".gitignore", "# created by luoshi: safe to delete\n*\n")
        write_atomic(top / "CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                     "# This file is a cache directory tag created by luoshi.\n")
    if _real_dir(version_dir) is None:
        with contextlib.suppress(FileExistsError):  # another worker made it first
            version_dir.mkdir()
    return _real_dir(version_dir) is True


def sign(key: bytes, name: str, body: bytes) -> bytes:
    """The signature of an entry: of its body *and its name* — which kind of work on
    which file (ledger-relative path), which bytes of it and which salt.  A signed
    entry copied onto another entry's name (say, a good file's entry onto the name
    that the broken version of the file hashes to) does not check out."""
    return hmac.digest(key, name.encode() + b"\0" + body, "sha256")


def open_entry(blob: bytes, key: bytes, name: str) -> Payload | None:
    head = len(_MAGIC) + _MAC_SIZE
    if len(blob) < head or not blob.startswith(_MAGIC):
        return None
    body = blob[head:]
    if not hmac.compare_digest(blob[len(_MAGIC):head], sign(key, name, body)):
        return None
    try:
        payload = _Unpickler(io.BytesIO(body)).load()
    except Exception:  # a damaged entry is a miss, whatever pickle makes of it
        return None
    if not (isinstance(payload, tuple) and len(payload) == 5 and isinstance(payload[0], str)):
        return None
    return payload


_RECORD_MODULES = ("luoshi_cli.core.model", "luoshi_cli.core.finding", "luoshi_cli.core.codes")


class _Unpickler(pickle.Unpickler):
    """Only luoshi's record classes, dates and decimals: an entry is data, never code
    (a second line of defence behind the HMAC)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in (("datetime", "date"), ("decimal", "Decimal")):
            return super().find_class(module, name)
        if module in _RECORD_MODULES and "." not in name:
            obj = super().find_class(module, name)
            if isinstance(obj, type) and obj.__module__ == module:
                return obj
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def dumps(payload: Payload) -> bytes:
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    pickler.dump(payload)
    return buf.getvalue()


_TABLE: dict[type, Callable[[Any], Any]] = {}


def _dispatch_table() -> dict[type, Callable[[Any], Any]]:
    """Frozen dataclasses pickle through a Python `__setstate__` loop (3× slower to read
    back); as constructor calls, with repeated dates and numbers shared, they load fast."""
    if not _TABLE:
        from ..core import finding, model

        table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
        for mod in (model, finding):
            for obj in vars(mod).values():
                if (isinstance(obj, type) and dataclasses.is_dataclass(obj)
                        and obj.__module__ == mod.__name__):
                    table[obj] = _reducer(obj)
        _TABLE.update(table)
    return _TABLE


def _reducer(cls: type) -> Callable[[Any], Any]:
    """`cls`'s reduce function, generated: the fields as one tuple, each date and
    number shared (inline, None passed by: most optional fields are empty)."""
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):  # pragma: no cover - no such record yet
        return lambda obj: obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    days: dict[date, date] = {}
    numbers: dict[str, Decimal] = {}

    def share(v: Any) -> Any:
        t = type(v)
        if t is date:
            return days.setdefault(v, v)
        if t is Decimal:  # keyed by its text: Decimal("45.0") stays apart from 45
            return numbers.setdefault(str(v), v)
        if t is dict:  # a record's scores: 100,000 quality scores, a few hundred values
            return {k: share(x) for k, x in v.items()}
        return v

    values = []
    for f in fields:
        if "date" in str(f.type) or "Decimal" in str(f.type):
            values.append(f"(None if o.{f.name} is None else share(o.{f.name}))")
        else:
            values.append(f"o.{f.name}")
    ns: dict[str, Any] = {"cls": cls, "share": share}
    exec(f"def reduce(o):\n    return cls, ({', '.join(values)},)\n", ns)
    reduce: Callable[[Any], Any] = ns["reduce"]
    return reduce


def code_fingerprint() -> str:
    """luoshi's version, the cache format, Python's version, the YAML readers' versions
    (entries hold findings placed and YAML 1.1 traps settled by PyYAML, data read by
    yaml_rs) and luoshi's own source: a development checkout with new parse rules, or
    a virtualenv with another PyYAML, never reads entries made by the other."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import yaml

        from ..load.yaml_fast import ready

        yaml_rs = ready()  # imported once, by a thread that stays (see there)

        readers = f"{yaml.__version__}\0{yaml.__with_libyaml__}\0{yaml_rs.__version__}"
        h = hashlib.sha256(f"{__version__}\0{CACHE_FORMAT}\0{sys.version}\0{readers}".encode())
        pkg = Path(__file__).resolve().parent.parent
        for path in sorted(pkg.rglob("*.py")):
            with contextlib.suppress(OSError):
                h.update(path.relative_to(pkg).as_posix().encode() + b"\0" + path.read_bytes())
        _FINGERPRINT = h.hexdigest()
    return _FINGERPRINT


_FINGERPRINT: str | None = None


def machine_key() -> bytes | None:
    """The secret that signs cache entries: one per user and machine, outside any ledger.

    Under $XDG_CACHE_HOME, else %LOCALAPPDATA%, else ~/.cache.  A relative path in
    either is ignored, as the XDG spec says: read from the current directory, it would
    put the key in a different place for every directory luoshi runs in — inside the
    ledger itself when run at its root, where a commit could carry it."""
    base = next((v for v in (os.environ.get("XDG_CACHE_HOME"), os.environ.get("LOCALAPPDATA"))
                 if v and os.path.isabs(v)), None)
    try:
        home = Path(base) if base else Path.home() / ".cache"
    except RuntimeError:  # no home directory
        return None
    path = home / "luoshi" / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        from ..fsio import write_atomic

        # a directory only this user can enter: the key is never readable by others,
        # not even between the write and the chmod
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(path, os.urandom(32))
        os.chmod(path, 0o600)
        return path.read_bytes()
    except OSError:
        return None  # no private place for a key: no cache

