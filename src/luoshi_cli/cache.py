"""The content-hash cache of parsed ledger files (`.luoshi-cache/`), see `fastsource`.

An entry holds what luoshi built from one file — its load findings, whether it parsed,
and the `parse_*` result (model records and findings) — pickled, signed with an HMAC
whose key lives outside the ledger (`machine_key`), and named by the SHA-256 of the
file's bytes.  Entries of one code version share a directory named by
`code_fingerprint()`; other versions are removed.  A damaged, foreign or unsigned entry
is a miss; an entry is data only (`_Unpickler`), never code.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import hashlib
import hmac
import io
import operator
import os
import pickle
import shutil
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import __version__
from .finding import Finding

CACHE_FORMAT = 1

_MAGIC = b"LSC1"
_MAC_SIZE = 32

Payload = tuple[str, list[Finding], bool, bool, Any]
"""(rel, load findings, ok, decoded to text, what the work made of the file)"""


class Store:
    """One directory of entries for one kind of work, under one code version.

    `salt` is what else the work depends on besides the file (the units a check looks
    up): it goes into the entry's name with the file's hash, so an
    entry made under other units is never found, and is pruned like an old version
    of the file."""

    def __init__(self, top: Path, key: bytes, work_name: str, salt: bytes = b"") -> None:
        self.top = top
        self.key = key
        self.work_name = work_name
        self.salt = salt
        self.dir = top / f"v{CACHE_FORMAT}-{code_fingerprint()[:16]}"
        self.writable = True
        self.used: set[str] = set()
        self.names: dict[str, tuple[bytes, str, str]] = {}  # rel → (bytes, file key, name)
        try:
            self.present = {e.name for e in os.scandir(self.dir)}
        except OSError:
            self.present = set()

    def _name(self, rel: str, raw: bytes) -> tuple[str, str]:
        known = self.names.get(rel)
        if known is not None and known[0] is raw:
            return known[1], known[2]
        file_key = hashlib.sha256(f"{self.work_name}\0{rel}".encode()).hexdigest()[:20]
        content = hashlib.sha256(raw)
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
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        payload = open_entry(blob, self.key)
        if payload is None or payload[0] != rel:
            with contextlib.suppress(OSError):
                path.unlink()
            self.used.discard(name)
            return None
        return payload

    def put(self, path: Path, body: bytes) -> None:
        """Write an entry (a pickled payload), signed; give up quietly where we cannot."""
        from .ui import write_atomic

        if not self.writable:
            return
        try:
            if not path.parent.is_dir():
                _make_cache_dir(path.parent)
            write_atomic(path, _MAGIC + hmac.digest(self.key, body, "sha256") + body)
        except OSError:
            self.writable = False  # a read-only checkout: carry on without writing

    def prune(self) -> None:
        """Drop entries of older versions of the files just read, and other code versions."""
        if not self.writable:
            return
        files = {name.split("-", 1)[0] for name in self.used}
        for name in self.present - self.used:
            if name.split("-", 1)[0] in files and name.endswith(".pickle"):
                with contextlib.suppress(OSError):
                    (self.dir / name).unlink()
        try:
            others = [e for e in os.scandir(self.top)
                      if e.is_dir() and e.name.startswith("v") and e.name != self.dir.name]
        except OSError:
            return
        for e in others:
            shutil.rmtree(e.path, ignore_errors=True)


def _make_cache_dir(version_dir: Path) -> None:
    from .ui import write_atomic

    top = version_dir.parent
    if not (top / ".gitignore").is_file():
        # never committed, never backed up (https://bford.info/cachedir/)
        write_atomic(top / ".gitignore", "# created by luoshi: safe to delete\n*\n")
        write_atomic(top / "CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                     "# This file is a cache directory tag created by luoshi.\n")
    version_dir.mkdir(exist_ok=True)


def open_entry(blob: bytes, key: bytes) -> Payload | None:
    head = len(_MAGIC) + _MAC_SIZE
    if len(blob) < head or not blob.startswith(_MAGIC):
        return None
    body = blob[head:]
    if not hmac.compare_digest(blob[len(_MAGIC):head], hmac.digest(key, body, "sha256")):
        return None
    try:
        payload = _Unpickler(io.BytesIO(body)).load()
    except Exception:  # a damaged entry is a miss, whatever pickle makes of it
        return None
    if not (isinstance(payload, tuple) and len(payload) == 5 and isinstance(payload[0], str)):
        return None
    return payload


_RECORD_MODULES = ("luoshi_cli.model", "luoshi_cli.finding", "luoshi_cli.codes")


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
        from . import finding, model

        table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
        for mod in (model, finding):
            for obj in vars(mod).values():
                if (isinstance(obj, type) and dataclasses.is_dataclass(obj)
                        and obj.__module__ == mod.__name__):
                    table[obj] = _reducer(obj)
        _TABLE.update(table)
    return _TABLE


def _reducer(cls: type) -> Callable[[Any], Any]:
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):  # pragma: no cover - no such record yet
        return lambda obj: obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    names = tuple(f.name for f in fields)
    get = operator.attrgetter(*names)
    single = len(names) == 1
    maybe = tuple(i for i, f in enumerate(fields)
                  if "date" in str(f.type) or "Decimal" in str(f.type))
    days: dict[date, date] = {}
    numbers: dict[str, Decimal] = {}

    def reduce(obj: Any) -> tuple[type, tuple[Any, ...]]:
        values: list[Any] = [get(obj)] if single else list(get(obj))
        for i in maybe:
            v = values[i]
            t = type(v)
            if t is date:
                values[i] = days.setdefault(v, v)
            elif t is Decimal:  # keyed by its text: Decimal("45.0") stays apart from 45
                values[i] = numbers.setdefault(str(v), v)
        return cls, tuple(values)

    return reduce


def code_fingerprint() -> str:
    """luoshi's version, the cache format, Python's version, the YAML readers' versions
    (entries hold findings placed and YAML 1.1 traps settled by PyYAML, data read by
    yaml_rs) and luoshi's own source: a development checkout with new parse rules, or
    a virtualenv with another PyYAML, never reads entries made by the other."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import yaml
        import yaml_rs

        readers = f"{yaml.__version__}\0{yaml.__with_libyaml__}\0{yaml_rs.__version__}"
        h = hashlib.sha256(f"{__version__}\0{CACHE_FORMAT}\0{sys.version}\0{readers}".encode())
        pkg = Path(__file__).resolve().parent
        for path in sorted(pkg.rglob("*.py")):
            with contextlib.suppress(OSError):
                h.update(path.relative_to(pkg).as_posix().encode() + b"\0" + path.read_bytes())
        _FINGERPRINT = h.hexdigest()
    return _FINGERPRINT


_FINGERPRINT: str | None = None


def machine_key() -> bytes | None:
    """The secret that signs cache entries: one per user and machine, outside any ledger."""
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
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
        from .ui import write_atomic

        # a directory only this user can enter: the key is never readable by others,
        # not even between the write and the chmod
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(path, os.urandom(32))
        os.chmod(path, 0o600)
        return path.read_bytes()
    except OSError:
        return None  # no private place for a key: no cache

