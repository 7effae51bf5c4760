"""Find a ledger root, read every file it names, and assemble a `Ledger`.

`open_ledger()` never raises for bad content: it returns the ledger it could build
together with every finding made on the way.  Only a missing root (nothing to
check at all) is an exception, `LedgerError`, which the CLI turns into exit 2.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from ..core.codes import L
from ..core.errors import LedgerError as LedgerError
from ..core.finding import Finding, finding
from ..core.labels import counted
from ..core.model import (
    Config,
    Interview,
    Leader,
    Ledger,
    Record,
    Rectification,
    Scheme,
    SupervisionFile,
    Task,
    TaskKey,
    Unit,
    unread_entry,
)
from ..core.safetext import printable, shell_path
from ..fsio import file_kind, path_is
from .parse import (
    NOT_LEDGER,
    NOT_LEDGER_RULE,
    holds_no_tasks,
    not_ledger_part,
    parse_config,
    parse_record,
    parse_scheme,
    parse_supervision,
    parse_tasks,
    parse_units,
    unread_ids,
    unread_task_ids,
    written_task_ids,
)
from .read import load_file
from .source import Source
from .yaml_fast import too_deep

if TYPE_CHECKING:
    from .positions import Memo, Spread

CONFIG_NAME = "luoshi.yaml"


def find_root(start: Path | None) -> Path:
    """The given directory, or the nearest parent holding luoshi.yaml (like git).

    The messages are the first a newcomer meets (a command run outside a ledger): each
    in one language, the user's (Chinese by default), with the same advice in both."""
    if start is not None:
        start = Path(start)
        if path_is(start, "file") and start.name == CONFIG_NAME:
            return start.parent
        if not path_is(start):
            raise LedgerError(L(f"目录不存在：{start}", f"no such directory: {start}"))
        if not path_is(start / CONFIG_NAME, "file"):
            raise LedgerError(_not_a_root(start))
        return start
    here = Path.cwd()
    for d in (here, *here.parents):
        if path_is(d / CONFIG_NAME, "file"):
            return d
    why = _config_not_a_file(here / CONFIG_NAME, Path(CONFIG_NAME))
    if why is not None:
        raise LedgerError(why)
    raise LedgerError(L(
        f"当前目录及上级目录中都没有 {CONFIG_NAME}：请指定台账目录，或运行 luoshi init DIR 新建台账",
        f"no {CONFIG_NAME} here or in any parent directory: pass the ledger directory, "
        f"or run 'luoshi init DIR'"))


def _not_a_root(start: Path) -> L:
    """Why `start`, which exists, is not a ledger root, and what to pass instead: a
    file or a folder inside a ledger names that ledger (advising `luoshi init` on a
    task file was wrong), a directory called luoshi.yaml is one."""
    why = _config_not_a_file(start) if start.name == CONFIG_NAME else None
    why = why or _config_not_a_file(start / CONFIG_NAME)
    if why is not None:
        return why
    root = ledger_above(start)
    if path_is(start, "file"):
        if root is None:
            return L(f"{start} 是一个文件，不是台账目录，它的上级目录中也没有 {CONFIG_NAME}："
                     f"请指定台账目录（含有 {CONFIG_NAME} 的目录）",
                     f"{start} is a file, not a ledger root, and no directory above it has "
                     f"a {CONFIG_NAME}: pass the ledger directory (the one with {CONFIG_NAME})")
        return L(f"{start} 是一个文件，不是台账目录；它所在的台账是 {root}：请改为指定台账目录 "
                 f"{root}（例如 luoshi validate {shell_path(root)}）",
                 f"{start} is a file, not a ledger root; it is in the ledger at {root}: pass "
                 f"the ledger directory instead (e.g. luoshi validate {shell_path(root)})")
    if root is not None:
        return L(f"{start} 不是台账目录，而是台账 {root} 中的子目录：请改为指定台账目录 {root}"
                 f"（例如 luoshi validate {shell_path(root)}）",
                 f"{start} is not a ledger root but a folder inside the ledger at {root}: "
                 f"pass the ledger directory instead (e.g. luoshi validate {shell_path(root)})")
    # the command as a shell word (`luoshi init 'empty dir'`): it runs as pasted
    return L(f"{start} 不是台账目录：缺少 {CONFIG_NAME}（新建台账请运行 luoshi init "
             f"{shell_path(start)}）",
             f"{start} is not a ledger root: it has no {CONFIG_NAME} (to start one, run: "
             f"luoshi init {shell_path(start)})")


def _config_not_a_file(path: Path, shown: Path | None = None) -> L | None:
    """Why the luoshi.yaml at `path` (`shown` as the user knows it), which is there,
    is no ledger's: a directory, a FIFO, a device, a socket, a link to nothing; None
    when it is a file or not there.  Only looked at (lstat/stat): a FIFO is never
    opened.  ("has no luoshi.yaml, run luoshi init" was wrong for those: init then
    refused the directory, which is not empty.)"""
    shown = path if shown is None else shown
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(path).st_mode
        except OSError:
            try:
                target = printable(os.readlink(path))
            except OSError:
                target = "?"
            return _config_is(shown, L(f"指向不存在的文件（{target}）的符号链接",
                                       f"a symbolic link to a missing file ({target})"))
    if stat.S_ISDIR(mode):
        return _config_is_a_directory(shown)
    if stat.S_ISREG(mode):
        return None
    return _config_is(shown, file_kind(mode))


def _config_is(path: Path, kind: L) -> L:
    return L(f"{path} 是{kind.zh}，不是普通文件：台账的 {CONFIG_NAME} 必须是普通文件；请把它删除或改名，"
             f"再写入 {CONFIG_NAME}（luoshi init 可生成示例）",
             f"{path} is {kind.en}, not a regular file: a ledger's {CONFIG_NAME} must be a "
             f"regular file; remove or rename it, then write {CONFIG_NAME} "
             f"(luoshi init writes an example)")


def _config_is_a_directory(path: Path) -> L:
    return L(f"{path} 是一个目录，不是文件：台账的 {CONFIG_NAME} 必须是文件；请把这个目录改名或移走，"
             f"再写入 {CONFIG_NAME}（luoshi init 可生成示例）",
             f"{path} is a directory, not a file: a ledger's {CONFIG_NAME} must be a file; "
             f"rename or move the directory, then write {CONFIG_NAME} "
             f"(luoshi init writes an example)")


def ledger_above(start: Path, *, itself: bool = False) -> str | None:
    """The nearest directory above `start` (from `start` itself with `itself`) with a
    luoshi.yaml file, written as the user would type it (relative to the current
    directory when `start` is); None when there is none.  A directory on the way that
    cannot be looked at (no search permission) is a one-line `LedgerError` naming the
    path tried (`fsio.path_is`), not an internal error."""
    here = start.absolute()
    for d in (here, *here.parents) if itself else here.parents:
        if path_is(d / CONFIG_NAME, "file"):
            return str(d) if start.is_absolute() else os.path.relpath(d)
    return None


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
    #: what a task file work that does not keep the tasks made of each task instead (a
    #: status row each, `fast.taskfiles.TaskFileRows`), in file order; else empty
    rows: list[Any] = field(default_factory=list)
    #: how work over these files may be spread over several cores (the source's
    #: accelerator), if at all: placing thousands of findings is such work
    spread: Spread | None = None

    def text_of(self, rel: str) -> str | None:
        src = self.sources.get(rel)
        return src.text if src else None


W = TypeVar("W")


@dataclass(frozen=True)
class Standby:
    """Another work whose answer for a file this work's answer can be made from —
    `derive(other(source)) == work(source)` for every file — so a source that keeps
    answers (`fast.source.FastSource`) may make this work's from the other's kept one
    instead of parsing the file again, and keeps the other's when it parses.

    Why: the commands an office runs one after another each keep their own answer
    per task file (`validate` the task keys, `status` its rows, `score` its views);
    the file's parsed model (`fast.taskfiles.TaskFileModel`) stands behind all of
    them, so the first command after the files changed parses them and the others
    read the model."""

    name: str
    salt: bytes
    work: Callable[[Source], Any]
    derive: Callable[[Any], Any]


class Accelerator(Protocol):
    """What a source may offer besides reading files one by one — answers from a
    cache, work on several cores (`fast.source.FastSource`) — declared by the source
    as its `accelerator`, never guessed from the methods it happens to have.  Nothing
    it does may change a result: tests hold it to the plain way."""

    def load_worked(self, rels: Sequence[str], max_mb: float, work: Callable[[Source], W],
                    name: str, salt: bytes = b"",
                    meanwhile: Callable[[], None] | None = None,
                    standby: Standby | None = None) -> list[tuple[Source, W]]:
        """Each file's source and `work(source)`, in the given order; `work` is a pure
        function of the file's bytes and of `salt`, and `name` says what it makes.
        `meanwhile`: work the caller does next whatever happens, which the source
        may call (at most once, in this process) while the files are worked on
        elsewhere — another core's idle time otherwise.  `standby`: the work that
        `work`'s answers can also be made from (`Standby`)."""
        ...

    def position_memo(self, sources: Mapping[str, Source]) -> Memo | None:
        """Where positions found in these files are kept between runs, if anywhere."""
        ...

    def spread(self, work: Callable[[int], W], sizes: Sequence[int]) -> Iterator[tuple[int, W]]:
        """`work(k)` for each `k < len(sizes)`, in any order, perhaps on several cores
        (`sizes`: what each costs, in bytes); `work` is pure."""
        ...


class FileSource(Protocol):
    """Where ledger files come from: the working tree, or a git revision (`--rev`).

    `open_ledger` only ever talks to this, so reading a ledger "as it was at the tag
    that closed Q2", caching parsed files, or parsing on both cores are each one
    implementation of it, not a change to the assembly below.  What goes beyond
    reading is declared: `accelerator` (None for a plain source).
    """

    root: Path

    @property
    def accelerator(self) -> Accelerator | None: ...

    def glob(self, pattern: str) -> list[str]:
        """Relative posix paths matching `pattern`, in path order."""
        ...

    def exists(self, rel: str) -> bool: ...

    def load_many(self, rels: Sequence[str], max_mb: float) -> list[Source]:
        """Read, decode and parse each file (in the given order)."""
        ...


class DirSource:
    """Files of a directory on disk."""

    accelerator: Accelerator | None = None

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root: str | None = None

    def glob(self, pattern: str) -> list[str]:
        return _glob(self.root, pattern)

    def exists(self, rel: str) -> bool:
        p = self.root / rel
        return p.exists() or p.is_symlink()

    def load_many(self, rels: Sequence[str], max_mb: float) -> list[Source]:
        return [self.refused(rel) or load_file(self.root / rel, rel, max_mb) for rel in rels]

    def refused(self, rel: str) -> Source | None:
        """A source holding only LS008 when `rel` is (or lies under) a link out of the
        root, else None: such a file is never opened."""
        if self._real_root is None:
            self._real_root = os.path.realpath(self.root)
        out = link_out(self.root, rel, self._real_root)
        return None if out is None else Source(path=self.root / rel, rel=rel, findings=[out])


P = TypeVar("P")


def load_worked(fs: FileSource, rels: Sequence[str], max_mb: float,
                work: Callable[[Source], W], name: str,
                salt: bytes = b"",
                meanwhile: Callable[[], None] | None = None,
                standby: Standby | None = None) -> list[tuple[Source, W]]:
    """Load each file and apply `work` to its source (loaded or not).

    `work` is a pure function of one file (and of `salt`), so a source with an
    `accelerator` may answer from a cache or work on several cores (and call
    `meanwhile` while they do: see `Accelerator.load_worked`), or make the answer
    from `standby`'s (`Standby`)."""
    fast = fs.accelerator
    if fast is not None:
        return fast.load_worked(rels, max_mb, work, name, salt, meanwhile, standby)
    return [(s, work(s)) for s in fs.load_many(rels, max_mb)]


def load_parsed(fs: FileSource, rels: Sequence[str], max_mb: float,
                parse: Callable[[str, Any], P]) -> list[tuple[Source, P | None]]:
    """Load each file, and `parse(rel, data)` those that loaded ok (else None).

    `parse` is a pure function of one file: `load_worked` under its qualified name."""
    def work(src: Source) -> P | None:
        return parse(src.rel, src.data) if src.ok else None

    return load_worked(fs, rels, max_mb, work, qualname(parse))


def qualname(fn: Callable[..., Any]) -> str:
    """The name a kind of work is cached under."""
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


class TaskFileWork(Protocol):
    """What checks one task file: its placed findings, task keys and — when
    `keeps_tasks` — its tasks (`fast.taskfiles`).  `salt` is everything besides the
    file that the answer depends on; `name` what the work is called in a cache."""

    @property
    def salt(self) -> bytes: ...

    @property
    def name(self) -> str: ...

    @property
    def keeps_tasks(self) -> bool: ...

    @property
    def standby(self) -> Standby | None:
        """The work this one's answers can be made from (the file's parsed model)."""
        ...

    def __call__(self, src: Source, /) -> tuple[list[Finding], list[TaskKey], list[Any]]:
        """Placed findings, task keys, and the tasks (`keeps_tasks`) or whatever else
        the work makes per task (rows: `Loaded.rows`)."""
        ...


def open_ledger(start: Path | None, files: FileSource | None = None, *,
                check_files: Callable[[Ledger], TaskFileWork] | None = None) -> Loaded:
    """Assemble the ledger at `start` (or from `files`, whose root it is; by default
    the plain directory — `api.open_ledger` and `ops.validate` pass the fast one).

    With `check_files` (`fast.taskfiles.TaskFileCheck`) the task files are checked one
    at a time instead of kept: what `luoshi validate` needs, and all it needs.  It is
    built from the ledger without tasks (config, units, leaders).  A work that
    `keeps_tasks` (`TaskFileModel`) gives the tasks too: the ledger then holds them,
    and `keys` still says that the single-task rules have run."""
    if files is None:
        files = DirSource(find_root(start))
    fs: FileSource = files
    root = fs.root
    # the ledger's root is absolute (not resolved: a symlink stays as named): a program
    # that chdirs after loading still finds the ledger's templates/ (`bulletin_document`)
    whole_root = root.absolute()
    findings: list[Finding] = []
    sources: dict[str, Source] = {}

    def readers(into: dict[str, Source], found: list[Finding]) -> _Readers:
        """Loading that keeps each file's source in `into` and its findings in `found`."""
        def load(rels: Sequence[str], max_mb: float) -> list[Source]:
            out = fs.load_many(rels, max_mb)
            for src in out:
                into[src.rel] = src
                found.extend(src.findings)
            return out

        def printable(rels: Sequence[str]) -> list[str]:
            for r in rels:
                if _unprintable(r):
                    # a finding names its file: that name must print, in every output
                    # format.  The file is a source that did not load, as any unreadable
                    # file is: its tasks are not there to compare (`api.unloadable`)
                    shown = _printable(r)
                    bad = finding("LS006", shown, line=1, col=1, reason=_NAME_REASON)
                    found.append(bad)
                    into[shown] = Source(path=root / r, rel=shown, findings=[bad])
            return [r for r in rels if not _unprintable(r)]

        def parsed(rels: Sequence[str], parse: Callable[[str, Any], P]) -> list[P]:
            out = []
            for src, p in load_parsed(fs, printable(rels), max_mb, parse):
                into[src.rel] = src
                found.extend(src.findings)
                if p is not None:
                    out.append(p)
            return out

        return _Readers(load, printable, parsed)

    load, printable, parsed = readers(sources, findings)
    # what the files after the task files (scheme, records, supervision) give, kept
    # apart: they may be read while the task files are (`load_rest`), and join the
    # ledger's findings and sources after the tasks', as if read after them
    rest_findings: list[Finding] = []
    rest_sources: dict[str, Source] = {}

    config: Config | None = None
    broken: set[str] = set()
    if not fs.exists(CONFIG_NAME):
        raise LedgerError(L(f"{root} 中没有 {CONFIG_NAME}", f"{root} has no {CONFIG_NAME}"))
    (cfg_src,) = load([CONFIG_NAME], 64)
    if cfg_src.ok:
        config, fs_ = parse_config(CONFIG_NAME, cfg_src.data)
        findings.extend(fs_)
        if config is not None:
            broken.update(unread_entry("category", i) for i in unread_ids(
                cfg_src.data, "categories", (c.id for c in config.categories)))
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
            for kind, section in (("unit", "units"), ("leader", "leaders")):
                broken.update(unread_entry(kind, i) for i in unread_ids(
                    src.data, section, [*units, *leaders]))
        if not src.ok or not units:
            broken.add("units")

    tasks: list[Task] = []
    rows: list[Any] = []
    keys: list[TaskKey] | None = None
    task_files = fs.glob(config.files.tasks)
    if not task_files:
        no_tasks = _no_tasks(fs, config, cfg_src.data)
        if no_tasks is not None:
            findings.append(no_tasks)
    rest: list[_Rest] = []

    def load_rest() -> None:
        """The scheme, the records and the supervision files, once: the task files
        need none of them, so a parallel load reads them while its worker parses
        task files (`Accelerator.load_worked`'s `meanwhile`)."""
        if not rest:
            rest.append(_load_rest(fs, config, max_mb, readers(rest_sources, rest_findings),
                                   rest_findings))

    if check_files is None:
        for ts, fs_ in parsed(task_files, parse_tasks):
            tasks.extend(ts)
            findings.extend(fs_)  # after all files' load findings: the order is sorted later
    else:
        keys = []
        look_up = Ledger(root=whole_root, config=config, units=units, leaders=leaders, tasks=(),
                         broken=frozenset(broken))
        check = check_files(look_up)
        for src, (placed, ks, ts) in load_worked(fs, printable(task_files),
                                                 max_mb, check, check.name, check.salt,
                                                 meanwhile=load_rest, standby=check.standby):
            sources[src.rel] = src
            findings.extend(placed)  # the file's load findings are among them, placed
            keys.extend(ks)
            (tasks if check.keeps_tasks else rows).extend(ts)

    broken.update(_unread_tasks(task_files, sources, findings))

    if task_files and not keys and all("id" in t.missing for t in tasks):
        empty = _no_task_in(task_files, findings, config, cfg_src.data)
        if empty is not None:
            findings.append(empty)
    load_rest()
    (done,) = rest
    sources.update(rest_sources)
    findings.extend(rest_findings)
    findings.extend(_unread(fs, config, {*task_files, *done.read, CONFIG_NAME,
                                         config.files.units, config.files.scheme}))
    broken |= done.broken
    scheme, records = done.scheme, done.records
    interviews, rectifications = done.interviews, done.rectifications

    ledger = Ledger(root=whole_root, config=config, units=units, leaders=leaders,
                    tasks=tuple(t for t in tasks if not t.missing),
                    incomplete=tuple(t for t in tasks if t.missing and "id" not in t.missing),
                    unnamed=tuple(t for t in tasks if "id" in t.missing),
                    scheme=scheme, records=tuple(records),
                    broken=frozenset(broken), interviews=tuple(interviews),
                    rectifications=tuple(rectifications), supervised=done.supervised,
                    supervision_files=tuple(done.supervision_files))
    fast = fs.accelerator
    return Loaded(ledger=ledger, findings=findings, sources=sources, keys=keys,
                  positions=fast.position_memo(sources) if fast is not None else None,
                  rows=rows, spread=fast.spread if fast is not None else None)


def _unread_tasks(task_files: Sequence[str], sources: Mapping[str, Source],
                  findings: Sequence[Finding]) -> set[str]:
    """The `Ledger.broken` marks of tasks that are written but were not read: for a
    task file that could not be parsed (LS010 …) or was read as no task at all (LS103
    on the whole file: `parse.holds_no_tasks`), each id its text writes
    (`parse.written_task_ids`), or "tasks" when there is no text to look in (LS004,
    LS006 …) or it writes no id (a file overwritten by one text): any task id may
    be in it; and
    `unread_entry("task", id)` for an entry left out for an id LS104 says how to write
    (`id: K-01　`).  A reference to such a task is no "unknown task" (LS116): the
    file's or the id's own finding is the root cause, reported once."""
    marks: set[str] = set()
    slipped = {f.file for f in findings if f.code == "LS104"}
    shapeless = {f.file for f in findings if holds_no_tasks(f)}
    for rel in task_files:
        src = sources.get(_printable(rel) if _unprintable(rel) else rel)
        if src is None or not src.ok or rel in shapeless:
            text = src.text if src is not None else None
            written = written_task_ids(text) if text is not None else None
            if not written:  # not decoded (LS004 …), or no id in it: any may be
                marks.add("tasks")
            else:  # the ids its text writes: any other is still unknown
                marks.update(unread_entry("task", i) for i in written)
        elif rel in slipped:
            marks.update(unread_entry("task", i) for i in unread_task_ids(src.data))
    return marks


class _Readers(NamedTuple):
    """`open_ledger`'s loading, bound to where sources and findings go."""

    load: Callable[[Sequence[str], float], list[Source]]
    printable: Callable[[Sequence[str]], list[str]]
    parsed: Callable[[Sequence[str], Callable[[str, Any], Any]], list[Any]]


@dataclass(frozen=True)
class _Rest:
    """The files `open_ledger` reads after the task files, as records."""

    scheme: Scheme | None
    records: list[Record]
    interviews: list[Interview]
    rectifications: list[Rectification]
    broken: set[str]
    #: the records and supervision files matched by their patterns (`_unread`)
    read: frozenset[str]
    #: a supervision file was read, even one with empty lists
    supervised: bool = False
    #: the supervision files read, with their file-level notes
    supervision_files: list[SupervisionFile] = field(default_factory=list)


def _load_rest(fs: FileSource, config: Config, max_mb: float, read: _Readers,
               findings: list[Finding]) -> _Rest:
    """The scheme, records and supervision files: `read` keeps their sources and
    findings apart from the task files' — in `findings`, where the others made here
    go too, in the order they were found."""
    broken: set[str] = set()
    scheme: Scheme | None = None
    if fs.exists(config.files.scheme):
        (src,) = read.load([config.files.scheme], max_mb)
        deep = too_deep(src)  # components nest: walked exactly, however the text looks
        if deep is not None:
            findings.append(deep)
        if src.ok:
            scheme, fs_ = parse_scheme(src.rel, src.data)
            findings.extend(fs_)
        if scheme is None:
            broken.add("scheme")

    records: list[Record] = []
    record_files = fs.glob(config.files.records)
    for rec, fs_ in read.parsed(record_files, parse_record):
        findings.extend(fs_)
        if rec is not None:
            records.append(rec)

    interviews: list[Interview] = []
    rectifications: list[Rectification] = []
    supervision_files = fs.glob(config.files.supervision)
    files: list[SupervisionFile] = []
    supervised = False
    for sup, fs_ in read.parsed(supervision_files, parse_supervision):
        findings.extend(fs_)
        if sup is not None:
            supervised = True
            interviews.extend(sup[0])
            rectifications.extend(sup[1])
            files.append(sup[2])
    return _Rest(scheme, records, interviews, rectifications, broken,
                 frozenset([*record_files, *supervision_files]), supervised, files)


def _unread(fs: FileSource, config: Config, read: set[str]) -> list[Finding]:
    """LS023 for each YAML file in the directory of the task, record or supervision
    pattern (at any depth) that no pattern reads: `supervision/2024.yml`,
    `tasks/sub/a.yaml` under `tasks/*.yaml`.  Such a file was silently left out —
    its rectifications, its tasks' errors, the rules they trigger — while
    `validate` and the commit hook passed (audit).  A warning, not an error: a
    ledger may park old files there on purpose, and `lint` can leave it out.
    Hidden names (`.draft.yaml`) are not looked at, as the patterns skip them; a
    pattern starting at the ledger root is not walked (the root holds CI files).

    A name says YAML in any case, and as Windows Notepad saves it: `econ.YML`,
    `upper.Yaml`, `econ.yaml.txt` (`_SAYS_YAML`).  The walk looked for `*.y*ml` and
    kept names ending in lower-case `.yaml`/`.yml` only: such files were left out —
    18 tasks of a 3-file ledger — with no word while `validate` passed (audit).  Other
    names (a README.md, a spreadsheet kept beside the tasks) are not named: notes and
    attachments live there on purpose, and a spreadsheet comes in by `luoshi import`.
    Names only: no file is opened, so a 300-file directory costs one listing."""
    kinds = (("tasks", config.files.tasks), ("records", config.files.records),
             ("supervision", config.files.supervision))
    out: list[Finding] = []
    seen: set[str] = set()
    walked: set[str] = set()  # records and tasks may share a folder: listed once
    for kind, pattern in kinds:
        base = _base_dir(pattern)
        if base == "." or base in walked or not fs.exists(base):
            continue
        walked.add(base)
        for rel in fs.glob(f"{base}/**/*"):
            if rel in read or rel in seen or not _says_yaml(rel):
                continue
            seen.add(rel)
            out.append(finding("LS023", _printable(rel), line=1, col=1, base=base,
                               kind=kind, pattern=pattern))
    return out


#: the endings of a name that says it holds YAML, compared in lower case (`_unread`)
_SAYS_YAML = (".yaml", ".yml", ".yaml.txt", ".yml.txt")


def _says_yaml(rel: str) -> bool:
    """The file's name ends in a YAML extension, in any case, or in one with the
    `.txt` Windows Notepad adds (`econ.YML`, `econ.yaml.txt`)."""
    return rel.rpartition("/")[2].lower().endswith(_SAYS_YAML)


def _no_tasks(fs: FileSource, config: Config, data: Any) -> Finding | None:
    """When no file matches files.tasks.

    SPEC §3 requires only luoshi.yaml and units.yaml: a ledger with no task directory
    at all (the default pattern) is valid — a scoring ledger (a scheme: §7 leaves out
    the sections it has no data for) says nothing, a ledger of neither tasks nor
    scheme warns LS020 (a branch that lost its tasks/ shows it, and `--strict`
    fails).  A task directory that exists and holds no task file (empty, misnamed
    files, unreadable) or a `files.tasks` pattern that matches nothing is LS009, an
    error: that is never what was meant, and must not pass the gate and publish
    "任务总数 0".  At the `files.tasks` line when luoshi.yaml gives it, else at the
    top of luoshi.yaml."""
    pattern = config.files.tasks
    files = data.get("files") if isinstance(data, dict) else None
    given = isinstance(files, dict) and files.get("tasks") == pattern
    if given:
        return finding("LS009", CONFIG_NAME, path=("files", "tasks"), pattern=pattern)
    if not fs.exists(_base_dir(pattern)):
        if fs.exists(config.files.scheme):
            return None
        return finding("LS020", CONFIG_NAME, line=1, col=1, pattern=pattern)
    return finding("LS009", CONFIG_NAME, line=1, col=1, pattern=pattern)


def _no_task_in(task_files: Sequence[str], findings: Sequence[Finding], config: Config,
                data: Any) -> Finding | None:
    """LS009 when the task files all read without an error and none holds a task
    (each is `[]`): the ledger would be a clean one of 0 tasks, which LS009 exists to
    prevent — its bulletin published with no 总体情况 at all (audit).  None when a
    file has an error: that error says what is wrong, and its tasks are not counted."""
    named = set(task_files)
    if any(f.severity == "error" and f.file in named for f in findings):
        return None
    n = len(task_files)
    shown = [_printable(rel) for rel in task_files[:3]]
    names = L("、".join(shown) + ("等" if n > 3 else ""),
              ", ".join(shown) + (", …" if n > 3 else ""))
    found = L(f"匹配的 {n} 个文件（{names.zh}）中没有任何任务",
              f"matches {counted(n, 'file')} ({names.en}) holding no task")
    fix = L("请在其中写入任务（每项以“- id:”开头）；只做考核计分的台账可删除任务目录",
            "write the tasks into them (each starting '- id:'); a ledger kept only for "
            "scoring may remove the task directory")
    pattern = config.files.tasks
    files = data.get("files") if isinstance(data, dict) else None
    if isinstance(files, dict) and files.get("tasks") == pattern:
        return finding("LS009", CONFIG_NAME, path=("files", "tasks"), pattern=pattern,
                       found=found, fix=fix)
    return finding("LS009", CONFIG_NAME, line=1, col=1, pattern=pattern, found=found, fix=fix)


def _base_dir(pattern: str) -> str:
    """The directory a glob starts from: its segments before the first wildcard."""
    base = []
    for seg in pattern.replace("\\", "/").split("/")[:-1]:
        if any(c in seg for c in "*?["):
            break
        if seg not in ("", "."):
            base.append(seg)
    return "/".join(base) or "."


_NAME_REASON = L("文件名不是有效的 UTF-8 或含有控制字符：请重命名",
                "the file name is not valid UTF-8 or holds control characters: rename it")


def _unprintable(rel: str) -> bool:
    """Undecodable bytes (kept as surrogates by Python) or control characters such
    as a line break, which would forge a line of `file:line:col` output."""
    return any(c < " " or c == "\x7f" or "\ud800" <= c <= "\udfff" for c in rel)


def _printable(rel: str) -> str:
    raw = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c >= " " and c != "\x7f" else c.encode("unicode_escape").decode()
                   for c in raw)


def _glob(root: Path, pattern: str) -> list[str]:
    """Files matching a glob under root, in path order (duplicates: later file loses),
    with `glob`'s recursive semantics (`core.globs`, shared with `--rev`).
    A directory named like a YAML file is kept so that reading it reports LS006.

    Walked by hand rather than by `glob.glob`, which follows every link: a ledger's
    `tasks/sub -> /usr` would have it list all of /usr, and `tasks/sub -> ..` loop.
    A link that leaves the root is never entered — it is returned itself when the
    pattern would read it or walk into it, and `link_out` refuses it (LS008) —, and
    each real directory is walked once (no loops, no fan-out through links)."""
    from ..core.globs import glob_matcher, glob_prefix_matcher

    match = glob_matcher(pattern)
    hits = walk(root, match, glob_prefix_matcher(pattern))
    return [h for h in sorted(set(hits), key=_path_order)
            if not hits[h] or h.endswith((".yaml", ".yml"))]



def walk(root: Path, match: Callable[[str], bool],
         enter: Callable[[str], bool]) -> dict[str, bool]:
    """The relative paths under `root` that `match` (→ whether each is a directory),
    walking into the directories that `enter` says may hold more.  Links inside the
    root are followed; a link out of it is listed when matched or worth entering,
    never entered; each real directory is listed once."""
    real_root = os.path.realpath(root)
    seen = {real_root}
    found: dict[str, bool] = {}
    # depth first, in name order, by hand: a ledger may nest directories thousands
    # deep (a pull request's tree), deeper than Python recurses.  The real path of a
    # directory that is no link is its parent's and its name (`realpath` of each
    # would look up every directory above it again: minutes, 1,500 deep)
    stack = [("", real_root, iter(_listing(str(root))))]
    while stack:
        rel, at, entries = stack[-1]
        e = next(entries, None)
        if e is None:
            stack.pop()
            continue
        if e.name in NOT_LEDGER:
            continue
        r = f"{rel}/{e.name}" if rel else e.name
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        deeper = is_dir and enter(r)
        real = None
        if e.is_symlink():
            real = os.path.realpath(e.path)
            if not _within(real, real_root):
                if match(r) or deeper:
                    found[r] = False  # read as a file: refused as a link out
                continue
            if not NOT_LEDGER.isdisjoint(Path(os.path.relpath(real, real_root)).parts):
                # `tasks/c -> ../.luoshi-cache`: never walked into.  A link read as a
                # file (`tasks/x.yaml -> ../.git/config`) is listed: `link_out` refuses it
                if match(r) and (not is_dir or r.endswith((".yaml", ".yml"))):
                    found[r] = False
                continue
        if match(r):
            found[r] = is_dir
        if deeper:
            real = real or os.path.join(at, e.name)
            if real not in seen:
                seen.add(real)
                stack.append((r, real, iter(_listing(e.path))))
    return found


def _listing(path: str) -> list[os.DirEntry[str]]:
    """A directory's entries in name order; none when it cannot be read (LS009 says
    so for tasks)."""
    try:
        with os.scandir(path) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def _within(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def link_out(root: Path, rel: str, real_root: str | None = None) -> Finding | None:
    """LS008 when reading `rel` would leave the ledger root through a symbolic link
    (the file itself or a directory on its way): a ledger is other people's input,
    and `tasks/x.yaml -> /etc/passwd` must not be read, nor its lines quoted back.
    So is a link into the ledger's `.git` or `.luoshi-cache` (`NOT_LEDGER`), inside
    the root but never ledger data: `units.yaml -> .git/config` read the repository's
    configuration — in CI, where actions/checkout keeps the job's token there — and
    quoted its lines in findings.  (`real_root`: the root's real path, when the
    caller knows it.)"""
    real_root = real_root or os.path.realpath(root)
    path = str(root)
    parts = rel.split("/")
    for i, part in enumerate(parts):
        path = os.path.join(path, part)
        if not os.path.islink(path):
            continue
        real = os.path.realpath(path)
        owned = None
        if _within(real, real_root):
            owned = not_ledger_part(os.path.relpath(real, real_root).split(os.sep))
            if owned is None:
                continue  # a link inside the ledger: followed
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return link_refused(rel, "/".join(parts[:i + 1]), target, owned)
    return None


def link_refused(rel: str, link: str, target: str, owned: str | None = None) -> Finding:
    """LS008 for `rel`: `link` (`rel` itself or a directory on its way) leads to
    `target` — out of the ledger root, or (`owned`) into its `.git` or
    `.luoshi-cache`."""
    if owned is None:
        return finding("LS008", rel, line=1, col=1, link=link, target=target)
    return finding("LS008", rel, line=1, col=1, link=link, target=target,
                   where=L(f"台账的 {owned} 目录之内", f"inside the ledger's {owned}"),
                   rule=NOT_LEDGER_RULE)


def _path_order(p: str) -> tuple[str, ...]:
    return tuple(Path(p).parts)


def all_findings(*groups: Iterable[Finding]) -> list[Finding]:
    return [f for g in groups for f in g]
