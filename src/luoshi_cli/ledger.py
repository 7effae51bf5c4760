"""Find a ledger root, read every file it names, and assemble a `Ledger`.

`open_ledger()` never raises for bad content: it returns the ledger it could build
together with every finding made on the way.  Only a missing root (nothing to
check at all) is an exception, `LedgerError`, which the CLI turns into exit 2.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .finding import Finding, finding
from .load import Source, load_file, too_deep
from .model import Config, Leader, Ledger, Record, Scheme, Task, TaskKey, Unit
from .parse import parse_config, parse_record, parse_scheme, parse_tasks, parse_units

if TYPE_CHECKING:
    from .positions import Memo

CONFIG_NAME = "luoshi.yaml"


class LedgerError(Exception):
    """The command cannot run at all (exit 2): no ledger root, unreadable config."""


def find_root(start: Path | None) -> Path:
    """The given directory, or the nearest parent holding luoshi.yaml (like git)."""
    if start is not None:
        start = Path(start)
        if start.is_file() and start.name == CONFIG_NAME:
            return start.parent
        if not start.exists():
            raise LedgerError(f"no such directory: {start} / 目录不存在：{start}")
        if not (start / CONFIG_NAME).is_file():
            raise LedgerError(
                f"{start} is not a ledger root: it has no {CONFIG_NAME} "
                f"(run 'luoshi init {start}' to start one) / {start} 不是台账目录：缺少 {CONFIG_NAME}"
            )
        return start
    here = Path.cwd()
    for d in (here, *here.parents):
        if (d / CONFIG_NAME).is_file():
            return d
    raise LedgerError(
        f"no {CONFIG_NAME} here or in any parent directory: pass the ledger directory, "
        f"or run 'luoshi init DIR' / 当前目录及上级目录中都没有 {CONFIG_NAME}"
    )


@dataclass
class Loaded:
    """A ledger and what was found while reading it."""

    ledger: Ledger
    findings: list[Finding]
    sources: dict[str, Source] = field(default_factory=dict)
    #: set when the task files were checked file by file (`open_ledger(check_files=True)`):
    #: then `ledger.tasks` is empty, the findings hold the single-task rules' findings
    #: (placed), and these keys are every task, for the checks across files
    keys: list[TaskKey] | None = None
    #: where positions found in these files are kept between runs (the cache), if anywhere
    positions: Memo | None = None

    def text_of(self, rel: str) -> str | None:
        src = self.sources.get(rel)
        return src.text if src else None


class FileSource(Protocol):
    """Where ledger files come from: the working tree, or a git revision (`--rev`).

    `open_ledger` only ever talks to this, so reading a ledger "as it was at the tag
    that closed Q2", caching parsed files, or parsing on both cores are each one
    implementation of it, not a change to the assembly below.
    """

    root: Path

    def glob(self, pattern: str) -> list[str]:
        """Relative posix paths matching `pattern`, in path order."""
        ...

    def exists(self, rel: str) -> bool: ...

    def load_many(self, rels: Sequence[str], max_mb: float) -> list[Source]:
        """Read, decode and parse each file (in the given order)."""
        ...


class DirSource:
    """Files of a directory on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def glob(self, pattern: str) -> list[str]:
        return _glob(self.root, pattern)

    def exists(self, rel: str) -> bool:
        p = self.root / rel
        return p.exists() or p.is_symlink()

    def load_many(self, rels: Sequence[str], max_mb: float) -> list[Source]:
        return [load_file(self.root / rel, rel, max_mb) for rel in rels]


P = TypeVar("P")
W = TypeVar("W")


def load_worked(fs: FileSource, rels: Sequence[str], max_mb: float,
                work: Callable[[Source], W], name: str,
                salt: bytes = b"") -> list[tuple[Source, W]]:
    """Load each file and apply `work` to its source (loaded or not).

    `work` is a pure function of one file (and of `salt`), so a source that offers
    `load_worked` itself may answer from a cache or work on several cores."""
    own = getattr(fs, "load_worked", None)
    if own is not None:
        out: list[tuple[Source, W]] = own(rels, max_mb, work, name, salt)
        return out
    return [(s, work(s)) for s in fs.load_many(rels, max_mb)]


def load_parsed(fs: FileSource, rels: Sequence[str], max_mb: float,
                parse: Callable[[str, Any], P]) -> list[tuple[Source, P | None]]:
    """Load each file, and `parse(rel, data)` those that loaded ok (else None).

    `parse` is a pure function of one file, so a source that offers `load_parsed`
    itself may answer from a cache or parse on several cores (`fastsource`)."""
    own = getattr(fs, "load_parsed", None)
    if own is not None:
        out: list[tuple[Source, P | None]] = own(rels, max_mb, parse)
        return out
    return [(s, parse(s.rel, s.data) if s.ok else None) for s in fs.load_many(rels, max_mb)]


def open_ledger(start: Path | None, files: FileSource | None = None, *,
                check_files: bool = False) -> Loaded:
    """Assemble the ledger at `start` (or from `files`, whose root it is).

    With `check_files` the task files are checked one at a time instead of kept (see
    `taskfiles`): what `luoshi validate` needs, and all it needs."""
    if files is None:
        from .fastsource import default_source

        files = default_source(find_root(start))
    fs: FileSource = files
    root = fs.root
    findings: list[Finding] = []
    sources: dict[str, Source] = {}

    def load(rels: Sequence[str], max_mb: float) -> list[Source]:
        out = fs.load_many(rels, max_mb)
        for src in out:
            sources[src.rel] = src
            findings.extend(src.findings)
        return out

    def printable(rels: Sequence[str]) -> list[str]:
        bad = [r for r in rels if _unprintable(r)]
        # a finding names its file: that name must print, in every output format
        findings.extend(finding("LS006", _printable(r), line=1, col=1, reason=_NAME_REASON)
                        for r in bad)
        return [r for r in rels if not _unprintable(r)]

    def parsed(rels: Sequence[str], parse: Callable[[str, Any], P]) -> list[P]:
        out = []
        for src, p in load_parsed(fs, printable(rels), max_mb, parse):
            sources[src.rel] = src
            findings.extend(src.findings)
            if p is not None:
                out.append(p)
        return out

    config: Config | None = None
    broken: set[str] = set()
    if not fs.exists(CONFIG_NAME):
        raise LedgerError(f"{root} has no {CONFIG_NAME} / {root} 中没有 {CONFIG_NAME}")
    (cfg_src,) = load([CONFIG_NAME], 64)
    if cfg_src.ok:
        config, fs_ = parse_config(CONFIG_NAME, cfg_src.data)
        findings.extend(fs_)
    if config is None or not cfg_src.ok:
        broken.add("config")
    if config is None:
        config = Config(title="", year=0)
    max_mb = config.max_file_mb

    units: dict[str, Unit] = {}
    leaders: dict[str, Leader] = {}
    if not fs.exists(config.files.units):
        broken.add("units")
        findings.append(finding("LS001", config.files.units, line=1, col=1,
                                name=config.files.units))
    else:
        (src,) = load([config.files.units], max_mb)
        if src.ok:
            units, leaders, fs_ = parse_units(src.rel, src.data)
            findings.extend(fs_)
        if not src.ok or not units:
            broken.add("units")

    tasks: list[Task] = []
    keys: list[TaskKey] | None = None
    if not check_files:
        for ts, fs_ in parsed(fs.glob(config.files.tasks), parse_tasks):
            tasks.extend(ts)
            findings.extend(fs_)  # after all files' load findings: the order is sorted later
    else:
        from .taskfiles import TaskFileCheck

        keys = []
        look_up = Ledger(root=root, config=config, units=units, leaders=leaders, tasks=(),
                         broken=frozenset(broken))
        check = TaskFileCheck(look_up)
        for src, (placed, ks) in load_worked(fs, printable(fs.glob(config.files.tasks)),
                                             max_mb, check, "taskfiles", check.salt):
            sources[src.rel] = src
            findings.extend(placed)  # the file's load findings are among them, placed
            keys.extend(ks)

    scheme: Scheme | None = None
    if fs.exists(config.files.scheme):
        (src,) = load([config.files.scheme], max_mb)
        deep = too_deep(src)  # components nest: walked exactly, however the text looks
        if deep is not None:
            findings.append(deep)
        if src.ok:
            scheme, fs_ = parse_scheme(src.rel, src.data)
            findings.extend(fs_)
        if scheme is None:
            broken.add("scheme")

    records: list[Record] = []
    for rec, fs_ in parsed(fs.glob(config.files.records), parse_record):
        findings.extend(fs_)
        if rec is not None:
            records.append(rec)

    ledger = Ledger(root=root, config=config, units=units, leaders=leaders,
                    tasks=tuple(t for t in tasks if not t.missing),
                    incomplete=tuple(t for t in tasks if t.missing),
                    scheme=scheme, records=tuple(records),
                    broken=frozenset(broken))
    memo = getattr(fs, "position_memo", None)
    return Loaded(ledger=ledger, findings=findings, sources=sources, keys=keys,
                  positions=memo(sources) if memo is not None else None)


_NAME_REASON = ("the file name is not valid UTF-8 or holds control characters: rename it / "
                "文件名不是有效的 UTF-8 或含有控制字符：请重命名")


def _unprintable(rel: str) -> bool:
    """Undecodable bytes (kept as surrogates by Python) or control characters such
    as a line break, which would forge a line of `file:line:col` output."""
    return any(c < " " or c == "\x7f" or "\ud800" <= c <= "\udfff" for c in rel)


def _printable(rel: str) -> str:
    raw = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c >= " " and c != "\x7f" else c.encode("unicode_escape").decode()
                   for c in raw)


def _glob(root: Path, pattern: str) -> list[str]:
    """Files matching a glob under root, in path order (duplicates: later file loses).
    A directory named like a YAML file is kept so that reading it reports LS006."""
    hits = glob.glob(pattern, root_dir=root, recursive=True)
    return [Path(h).as_posix() for h in sorted(hits, key=_path_order)
            if not (root / h).is_dir() or h.endswith((".yaml", ".yml"))]


def _path_order(p: str) -> tuple[str, ...]:
    return tuple(Path(p).parts)


def all_findings(*groups: Iterable[Finding]) -> list[Finding]:
    return [f for g in groups for f in g]
