"""Finished documents kept for the next identical run: `score` and `bulletin` warm.

An office runs the same `luoshi bulletin --month 2024-03` again and again while the
ledger does not change (a second copy, another format of the same month, a CI job
per push).  Loading 100,000 tasks back from the parse cache, judging them and
rendering a 4 MB document takes seconds; reading every input file and comparing
hashes takes a fraction of one.  So the finished output — stdout's bytes and
stderr's text — is kept in `.luoshi-cache/` under a key made of everything it was
made from:

- the SHA-256 of every file the ledger loader reads (luoshi.yaml, the units file,
  every task file, the scheme, every record and supervision file: the same globs,
  `DirSource.glob`, over the same tree), each with its path, and which of them
  exist — a file added, removed, renamed or changed by one byte is another key;
- for a bulletin, every file of the template directories it may read (the built-in
  ones and the ledger's `templates/`);
- the request: the command's options as given, the environment it reads (language,
  colour, width), the as-of date and today's date (the gate judges dates by the
  later of the two);
- luoshi's code fingerprint (`cache.code_fingerprint`: its sources, Python, the YAML
  readers) and the versions of the libraries that render (Jinja, MarkupSafe, rich).

Entries are `cache.Store` entries (HMAC-signed with the machine key, named by the
key's hash, one per request: a newer run of the same request replaces the older),
so everything `fast.cache` guarantees holds here too (the document is kept
compressed: a bulletin of 100,000 tasks is 22 MB of Markdown, 4 MB kept): entries committed to a
repository or copied between names are never believed, links are never followed.

Only what can be keyed plainly is kept: a ledger where any file the loader would
read is a link out of the root, not a regular file, or over the size limit is
never looked up (its run reports that file anyway); only a run that succeeded is
stored; and a run is stored only when every input hashed after it as it did
before it (an edit during the run makes no entry).  `LUOSHI_NO_CACHE=1` (and CI
without `LUOSHI_CACHE=1`) turns this off with the parse cache.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..fsio import walk
from ..load.assemble import CONFIG_NAME, DirSource
from .cache import Store, code_fingerprint, dumps, machine_key
from .source import CACHE_DIR, _read, default_source

#: kept documents are read back whole: a larger one is made again each time
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

Kept = tuple[bytes, str, str]
"""stdout's bytes, stderr's text, and what else the command needs to finish (the
language it speaks)"""


def ledger_digest(root: Path) -> tuple[bytes, int, float] | None:
    """The digest of every file the loader reads from the ledger at `root`, with
    their paths and the files that are absent, how many bytes they hold, and the
    ledger's size limit of one file (max_file_mb, in bytes); None
    when the ledger cannot be keyed plainly (a file that is a link out of the root,
    not a regular file, over the size limit, or a luoshi.yaml that does not parse:
    the loader reports those, and nothing is kept)."""
    from ..load.parse import parse_config
    from ..load.read import load_file

    src = DirSource(root)
    if src.refused(CONFIG_NAME) is not None:
        return None
    cfg_src = load_file(root / CONFIG_NAME, CONFIG_NAME, 64)
    if not cfg_src.ok:
        return None
    config, _ = parse_config(CONFIG_NAME, cfg_src.data)
    if config is None:
        return None
    limit = config.max_file_mb * 1024 * 1024
    files = config.files
    h = hashlib.sha256()
    total = 0
    groups: list[tuple[str, list[str]]] = [("config", [CONFIG_NAME])]
    for what, name in (("units", files.units), ("scheme", files.scheme)):
        groups.append((what, [name] if src.exists(name) else []))
    groups += [("tasks", src.glob(files.tasks)), ("records", src.glob(files.records)),
               ("supervision", src.glob(files.supervision))]
    if not groups[3][1]:  # no task file: the loader looks at directories (LS009)
        return None
    for what, rels in groups:
        h.update(f"\0{what}\0{len(rels)}".encode())
        for rel in rels:
            if src.refused(rel) is not None:
                return None
            raw = _read(root / rel, limit)  # what the parse cache would read, or None
            if raw is None:
                return None
            total += len(raw)
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0"
                     + hashlib.sha256(raw).digest())
    return h.digest(), total, limit


def tree_digest(directory: Path, limit: float) -> bytes | None:
    """The digest of every file under `directory` (paths and bytes; nothing there is
    a digest too); None when it holds a link or anything but files and directories
    (a ledger's templates/ linking out is refused by the bulletin anyway), or a file
    over `limit` bytes (the ledger's max_file_mb: a 2 GiB junk file under templates/
    is no template, and is not read to key a kept bulletin).  Files are hashed a
    chunk at a time."""
    h = hashlib.sha256()
    if not os.path.lexists(directory):
        return h.digest()
    try:
        if not stat.S_ISDIR(os.lstat(directory).st_mode):
            return None
        for top, dirs, names in walk(directory):  # no recursion, however deep
            dirs.sort()
            for name in [*dirs, *sorted(names)]:
                path = Path(top) / name
                mode = os.lstat(path).st_mode
                rel = path.relative_to(directory).as_posix()
                if stat.S_ISDIR(mode):
                    h.update(b"d\0" + rel.encode("utf-8", "surrogateescape") + b"\0")
                elif stat.S_ISREG(mode):
                    digest = _file_digest(path, limit)
                    if digest is None:
                        return None
                    h.update(b"f\0" + rel.encode("utf-8", "surrogateescape") + b"\0"
                             + digest)
                else:
                    return None
    except OSError:
        return None
    return h.digest()


def _file_digest(path: Path, limit: float) -> bytes | None:
    """sha256 of a file's bytes, read in chunks; None past `limit` bytes."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            size += len(chunk)
            if size > limit:
                return None
            h.update(chunk)
    return h.digest()


#: the libraries documents are rendered with: their code is part of the key
RENDERERS = ("jinja2", "markupsafe", "rich")


def _library_code() -> bytes:
    """A digest of the rendering libraries' Python sources, found without importing
    them (an upgrade of Jinja or rich is another key; reading their metadata would
    cost more than hashing the sources)."""
    from importlib.util import find_spec

    h = hashlib.sha256()
    for name in RENDERERS:
        spec = find_spec(name)
        h.update(f"\0{name}\0".encode())
        if spec is None or spec.origin is None:
            continue
        top = Path(spec.origin).parent
        for path in sorted(top.rglob("*.py")):
            try:
                h.update(path.relative_to(top).as_posix().encode() + b"\0"
                         + hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                h.update(b"?")
    return h.digest()


class ResultMemo:
    """One request's kept document: `get` it, or compute it and `put` it."""

    def __init__(self, root: Path, store: Store, request: str, material: bytes,
                 trees: Sequence[Path]) -> None:
        self.root = root
        self.store = store
        self.request = request
        self.material = material
        self.trees = tuple(trees)

    def get(self) -> Kept | None:
        """What the same request printed on the same inputs, if it was kept."""
        payload = self.store.get(self.request, self.material)
        if payload is None:
            return None
        found = payload[4]
        if (isinstance(found, tuple) and len(found) == 3 and isinstance(found[0], bytes)
                and isinstance(found[1], str) and isinstance(found[2], str)):
            try:
                return zlib.decompress(found[0]), found[1], found[2]
            except zlib.error:
                return None
        return None

    def put(self, stdout: bytes, stderr: str, meta: str = "") -> bool:
        """Keep a successful run's output — only when every input still hashes as it
        did before the run (a file edited meanwhile: nothing kept).  True if kept."""
        if len(stdout) > MAX_DOCUMENT_BYTES or not self.store.writable:
            return False
        again = _material(self.root, self.request, self.trees)
        if again is None or again[0] != self.material:
            return False
        self.store.put(self.store.job(self.request, self.material),
                       dumps((self.request, [], True, True,
                              (zlib.compress(stdout, 1), stderr, meta))))
        self.store.prune()
        return True


def _material(root: Path, request: str, trees: Sequence[Path],
              min_bytes: int = 0) -> tuple[bytes, int] | None:
    """The key of a kept document, and the ledger's size; None when nothing is kept,
    as for a ledger under `min_bytes` (its templates are then not read at all)."""
    ledger = ledger_digest(root)
    if ledger is None or ledger[1] < min_bytes:
        return None
    h = hashlib.sha256(b"luoshi results 1\0" + code_fingerprint().encode() + b"\0"
                       + _library_code() + b"\0" + request.encode() + b"\0" + ledger[0])
    for tree in trees:
        digest = tree_digest(tree, ledger[2])
        if digest is None:
            return None
        h.update(os.fsencode(tree) + b"\0" + digest)
    return h.digest(), ledger[1]


def result_memo(root: Path, command: str, request: Mapping[str, object], *,
                trees: Sequence[Path] = (), min_bytes: int | None = None,
                key: bytes | None = None) -> ResultMemo | None:
    """The kept document of `command` with `request` (every option and setting the
    output depends on, as text) on the ledger at `root`, reading template files
    from `trees`; None when results are not kept: the cache is off (as for the
    parse cache), the ledger is smaller than `min_bytes` (computing is cheap), or
    it cannot be keyed plainly.  `min_bytes` defaults to the parse cache's threshold
    as it is when called (read here, not bound when this module was imported)."""
    if min_bytes is None:
        from . import source

        min_bytes = source.CACHE_MIN_BYTES
    if not default_source(root).cache:
        return None
    secret = key if key is not None else machine_key()
    if secret is None:
        return None
    text = "\0".join(f"{k}={request[k]!r}" for k in sorted(request))
    material = _material(root, text, trees, min_bytes)
    if material is None:
        return None
    return ResultMemo(root, Store(root / CACHE_DIR, secret, f"results.{command}"), text,
                      material[0], trees)
