"""The content-hash cache and parallel parsing (`fastsource`): never a different answer.

Every case ledger, example and live ledger validates to exactly the same findings —
file, line, column, code, message in both languages — and the same model, whether
read plainly, through an empty or a full cache, or on two worker processes.  Then
the cache's promises one by one: a hit when nothing changed, a re-parse (and the new
finding) when a file changed, corrupt or forged entries ignored, the directory
deletable, `--no-cache` and LUOSHI_NO_CACHE=1 honoured.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import BEILIN, EXAMPLE, Run
from luoshi_cli.fast import cache
from luoshi_cli.fast import source as fastsource
from luoshi_cli.fast.source import CACHE_DIR, FastSource
from luoshi_cli.load import schema
from luoshi_cli.load.assemble import DirSource, FileSource, open_ledger
from luoshi_cli.load.parse import parse_tasks
from luoshi_cli.ops.validate import validate

CASES = Path(__file__).parent / "cases"
LEDGERS = [
    *((p / "ledger", date.fromisoformat(str(yaml.safe_load(
        (p / "case.yaml").read_text(encoding="utf-8"))["as_of"])))
      for p in sorted(CASES.glob("*/*")) if (p / "case.yaml").is_file()),
    (EXAMPLE, date(2021, 6, 30)),
    (BEILIN, date(2024, 5, 31)),
]
LEDGER_IDS = [p.parent.name if p.name == "ledger" else p.name for p, _ in LEDGERS]
KEY = b"k" * 32

TASK = """- id: T-{n:03d}
  title: 推进重点项目开工建设
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 全年开复工项目不少于350个
  milestones:
    - {{due: 2024-12-31, standard: 开复工350个}}
  status: in_progress
  progress: {progress}
  updates:
    - {{month: "2024-04", progress: 45}}
"""


def _ledger(write: Callable[..., Path]) -> Path:
    return write({
        "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
        "units.yaml": "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: li, name: 李某某}\n",
        **{f"tasks/t{n}.yaml": TASK.format(n=n, progress=45) for n in range(1, 6)},
    })


def cached(root: Path, **kw: object) -> FastSource:
    """A source that caches even tiny ledgers, signed with a test key."""
    opts: dict[str, object] = {"key": KEY, "cache_min_bytes": 0, "jobs": 1, **kw}
    return FastSource(root, **opts)  # type: ignore[arg-type]


def outcome(root: Path, as_of: date, files: FileSource) -> tuple[object, ...]:
    """Everything a user can see: findings in both languages, and the model (a plain
    directory is read the plain way: every task parsed, then every rule over them)."""
    v = validate(root, as_of, files, by_file=isinstance(files, FastSource))
    findings = [(f.file, f.line, f.col, f.severity, f.code, f.message("zh"), f.message("en"))
                for f in v.findings]
    led = v.loaded.ledger
    return (findings, led.config, led.units, led.leaders, led.tasks, led.scheme, led.records,
            sorted(v.loaded.sources), {r: s.ok for r, s in v.loaded.sources.items()})


@pytest.fixture
def copies(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    def copy(src: Path) -> Path:
        dst = tmp_path / f"l{len(list(tmp_path.iterdir()))}"
        shutil.copytree(src, dst, symlinks=True)
        return dst

    yield copy


@pytest.mark.parametrize(("ledger", "as_of"), LEDGERS, ids=LEDGER_IDS)
def test_same_answer_from_every_source(ledger: Path, as_of: date,
                                       copies: Callable[[Path], Path]) -> None:
    root = copies(ledger)
    plain = outcome(root, as_of, DirSource(root))
    schema.FAST = False  # the schema reader's fast path changes nothing either
    try:
        assert outcome(root, as_of, DirSource(root)) == plain
    finally:
        schema.FAST = True
    first = cached(root)
    assert outcome(root, as_of, first) == plain  # empty cache: parsed, entries written
    again = cached(root)
    assert outcome(root, as_of, again) == plain  # every entry read back
    assert again.stats["parsed"] == 0
    both_cores = FastSource(root, cache=False, jobs=2, parallel_min_bytes=0)
    assert outcome(root, as_of, both_cores) == plain


def test_cache_hit_when_nothing_changed(write: Callable[..., Path]) -> None:
    root = _ledger(write)
    src = cached(root)
    open_ledger(root, src)
    assert src.stats == {"hits": 0, "parsed": 5, "workers": 0, "derived": 0}
    src = cached(root)
    open_ledger(root, src)
    assert src.stats == {"hits": 5, "parsed": 0, "workers": 0, "derived": 0}
    assert (root / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (root / CACHE_DIR / "CACHEDIR.TAG").is_file()


def test_entries_are_not_flushed_to_disk_one_by_one(write: Callable[..., Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry is a signed copy luoshi can make again: it is renamed into place
    without an fsync (one per task file made the first run on 3,000 task files wait
    for the disk 3,000 times).  What a power cut could leave — an empty or short entry
    — is a miss (`test_corrupt_or_forged_entry_is_ignored`).  Only the cache's own
    files that are not entries (its key, .gitignore, CACHEDIR.TAG) are flushed."""
    root = _ledger(write)
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    open_ledger(root, cached(root))  # the directory and its two marker files: 2 flushes
    assert (len(_entries(root)), len(synced)) == (5, 2)
    (root / "tasks/t3.yaml").write_text(TASK.format(n=3, progress=50), encoding="utf-8")
    open_ledger(root, cached(root))  # one entry made again: no flush at all
    assert (len(_entries(root)), len(synced)) == (5, 2)


def test_changed_file_is_parsed_again_and_its_findings_reported(
        write: Callable[..., Path]) -> None:
    root = _ledger(write)
    assert validate(root, date(2024, 5, 31), cached(root)).findings == []
    (root / "tasks/t3.yaml").write_text(TASK.format(n=3, progress=120), encoding="utf-8")
    src = cached(root)
    v = validate(root, date(2024, 5, 31), src)
    assert src.stats["hits"] == 4 and src.stats["parsed"] == 1
    assert [(f.file, f.line, f.col, f.code) for f in v.findings] == [
        ("tasks/t3.yaml", 11, 13, "LS205")]
    assert outcome(root, date(2024, 5, 31), cached(root)) == outcome(
        root, date(2024, 5, 31), DirSource(root))
    # the old entry of t3 is gone: one entry per file — t3's finding is placed in its
    # entry, with its tasks (`taskfiles.TaskFileModel`): no entry for positions
    (entries,) = (root / CACHE_DIR).glob("v*")
    assert len(list(entries.iterdir())) == 5


def test_an_edit_that_keeps_the_size_is_still_seen(write: Callable[..., Path]) -> None:
    """Keyed by the bytes, not by size or time: same length, same mtime, new content."""
    root = _ledger(write)
    path = root / "tasks/t2.yaml"
    stat = path.stat()
    validate(root, date(2024, 5, 31), cached(root))
    path.write_text(TASK.format(n=2, progress=-5), encoding="utf-8")  # "45" → "-5"
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    v = validate(root, date(2024, 5, 31), cached(root))
    assert [(f.file, f.code) for f in v.findings] == [("tasks/t2.yaml", "LS205")]


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE_DIR).glob("v*/*.pickle"))


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage", "other-key"])
def test_corrupt_or_forged_entry_is_ignored(write: Callable[..., Path], damage: str) -> None:
    root = _ledger(write)
    (root / "tasks/t1.yaml").write_text(TASK.format(n=1, progress=120), encoding="utf-8")
    expected = outcome(root, date(2024, 5, 31), DirSource(root))
    open_ledger(root, cached(root))
    for entry in _entries(root):
        blob = entry.read_bytes()
        entry.write_bytes({
            "truncate": blob[: len(blob) // 2],
            "flip": blob[:-10] + bytes(b ^ 0xFF for b in blob[-10:]),
            "empty": b"",
            "garbage": b"\x00\xff" * 100,
        }.get(damage, b""))
        if damage == "other-key":  # a well-formed entry signed by someone else
            entry.write_bytes(blob)
    key = b"x" * 32 if damage == "other-key" else KEY
    src = cached(root, key=key)
    assert outcome(root, date(2024, 5, 31), src) == expected
    assert src.stats["hits"] == 0 and src.stats["parsed"] == 5


def test_entry_is_data_never_code(write: Callable[..., Path], tmp_path: Path) -> None:
    """Even correctly signed, an entry that names anything but luoshi's records is refused."""
    root = _ledger(write)
    open_ledger(root, cached(root))
    entry = _entries(root)[0]
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (Path.touch, (marker,))

    body = pickle.dumps(("tasks/t1.yaml", [], True, True, Evil()))
    entry.write_bytes(b"LSC1" + cache.sign(KEY, entry.name, body) + body)
    open_ledger(root, cached(root))
    assert not marker.exists()


def test_cache_directory_can_be_deleted_any_time(write: Callable[..., Path]) -> None:
    root = _ledger(write)
    expected = outcome(root, date(2024, 5, 31), DirSource(root))
    open_ledger(root, cached(root))
    shutil.rmtree(root / CACHE_DIR)
    src = cached(root)
    assert outcome(root, date(2024, 5, 31), src) == expected
    assert src.stats["parsed"] == 5 and len(_entries(root)) == 5


def test_other_code_versions_are_never_read_and_are_cleared(
        write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = _ledger(write)
    open_ledger(root, cached(root))
    (old,) = (root / CACHE_DIR).glob("v*")
    monkeypatch.setattr(cache, "_FINGERPRINT", "0" * 64)  # "luoshi was upgraded"
    src = cached(root)
    open_ledger(root, src)
    assert src.stats["parsed"] == 5
    assert [p.name for p in (root / CACHE_DIR).glob("v*")] == [f"v1-{'0' * 16}"]
    assert not old.exists()


def test_read_only_cache_is_used_without_writing(write: Callable[..., Path]) -> None:
    root = _ledger(write)
    open_ledger(root, cached(root))
    (root / "tasks/t4.yaml").write_text(TASK.format(n=4, progress=46), encoding="utf-8")
    cache = root / CACHE_DIR
    dirs = [cache, *cache.glob("v*")]
    for d in dirs:
        d.chmod(0o555)
    try:
        src = cached(root)
        tasks = open_ledger(root, src).ledger.tasks
        assert src.stats["hits"] == 4 and src.stats["parsed"] == 1
        assert [t.progress for t in tasks] == [45, 45, 45, 46, 45]
    finally:
        for d in dirs:
            d.chmod(0o755)


def test_sources_give_text_and_data_on_demand(write: Callable[..., Path]) -> None:
    """Positions need the text of files with findings, change control the raw data."""
    root = _ledger(write)
    (root / "tasks/t5.yaml").write_bytes(b"\xef\xbb\xbf" + TASK.format(n=5, progress=1).encode())
    plain = open_ledger(root, DirSource(root)).sources
    for _ in range(2):  # empty cache, then full
        lazy = open_ledger(root, cached(root)).sources
        for rel, src in plain.items():
            assert (lazy[rel].text, lazy[rel].data, lazy[rel].ok) == (src.text, src.data, src.ok)


def test_small_ledgers_skip_the_cache(example: Path) -> None:
    src = FastSource(example, key=KEY)
    open_ledger(example, src)
    assert not (example / CACHE_DIR).exists()
    assert src.stats["hits"] == 0 and src.stats["workers"] == 0


def test_no_cache_option_and_environment(write: Callable[..., Path], cli: Callable[..., Run],
                                         monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    monkeypatch.setattr(fastsource, "CACHE_MIN_BYTES", 0)
    monkeypatch.delenv("CI", raising=False)  # in CI the cache is off by default
    home = {"XDG_CACHE_HOME": str(tmp_path / "home-cache")}
    root = _ledger(write)
    run = cli("validate", root, "--no-cache", "--as-of", "2024-05-31", env=home)
    assert (run.exit_code, run.stdout) == (0, "")
    assert not (root / CACHE_DIR).exists()
    cli("validate", root, "--as-of", "2024-05-31", env={**home, "LUOSHI_NO_CACHE": "1"})
    assert not (root / CACHE_DIR).exists()
    cli("validate", root, "--as-of", "2024-05-31", env=home)
    assert len(_entries(root)) == 10  # per task file: its findings and keys, its model
    key = tmp_path / "home-cache" / "luoshi" / "cache-key"
    assert key.stat().st_size == 32
    assert (key.stat().st_mode & 0o777, key.parent.stat().st_mode & 0o777) == (0o600, 0o700)


@pytest.mark.parametrize("relative", ["relative/dir", "."])
def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              relative: str) -> None:
    """XDG: "a relative path … should be considered invalid and ignored".  Read from
    the current directory, the key landed wherever luoshi ran (`XDG_CACHE_HOME=.` at a
    ledger's root: the key inside the ledger, next to what it signs)."""
    home = tmp_path / "home"
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", relative)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    key = cache.machine_key()
    assert key is not None and len(key) == 32
    assert (home / ".cache" / "luoshi" / "cache-key").read_bytes() == key
    assert list(work.iterdir()) == []
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # an absolute one counts
    assert cache.machine_key() == (tmp_path / "xdg" / "luoshi" / "cache-key").read_bytes()


def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    from luoshi_cli.cli.progress import rich_bar, terminal_progress
    from luoshi_cli.fast import use_progress

    monkeypatch.setattr("sys.stderr", Tty())
    monkeypatch.delenv("CI", raising=False)
    assert terminal_progress() is rich_bar
    monkeypatch.setenv("CI", "true")
    assert terminal_progress() is None
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stderr", open(tmp_path / "log", "w"))  # noqa: SIM115
    assert terminal_progress() is None
    # fast/ shows what the CLI installed, and nothing when a library calls it
    assert fastsource.default_source(tmp_path).progress is None
    use_progress(rich_bar)
    try:
        assert fastsource.default_source(tmp_path).progress is rich_bar
    finally:
        use_progress(None)


def test_progress_is_reported_for_long_runs(write: Callable[..., Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = _ledger(write)
    seen: list[int] = []

    def progress(files: int, size: int) -> Callable[[int], None]:
        seen.append(files)
        return seen.append

    monkeypatch.setattr(fastsource, "PROGRESS_MIN_BYTES", 0)
    open_ledger(root, cached(root, progress=progress))
    assert seen[0] == 5 and seen[-1] == -1 and sum(seen[1:-1]) == sum(
        p.stat().st_size for p in (root / "tasks").glob("*.yaml"))


def test_parallel_workers_parse_and_fill_the_cache(write: Callable[..., Path]) -> None:
    root = _ledger(write)
    (root / "tasks/t2.yaml").write_text(TASK.format(n=2, progress=-5), encoding="utf-8")
    (root / "tasks/t4.yaml").write_text("- id: [broken\n", encoding="utf-8")
    expected = outcome(root, date(2024, 5, 31), DirSource(root))
    src = cached(root, jobs=2, parallel_min_bytes=0)
    assert outcome(root, date(2024, 5, 31), src) == expected
    assert src.stats == {"hits": 0, "parsed": 5, "workers": 2, "derived": 0}
    src = cached(root, jobs=2, parallel_min_bytes=0)  # entries written by the workers
    assert outcome(root, date(2024, 5, 31), src) == expected
    assert src.stats == {"hits": 5, "parsed": 0, "workers": 0, "derived": 0}


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_worker_results_larger_than_the_pipe_arrive_whole() -> None:
    """A worker's pipe is widened to 1 MB (`parallel.widen`: fewer hand-offs to the
    thread that drains it); results of several MB still arrive whole and in full,
    each file's from whichever process took it."""
    import fcntl

    from luoshi_cli.fast.parallel import PIPE_BYTES, share_out, widen

    read, write_end = os.pipe()
    try:
        assert widen(write_end) == PIPE_BYTES == fcntl.fcntl(read, fcntl.F_GETPIPE_SZ)
    finally:
        os.close(read)
        os.close(write_end)

    def one(k: int) -> tuple[bytes, None]:
        return bytes([k]) * (3 * PIPE_BYTES + k), None

    got = dict(share_out(list(range(6)), [1] * 6, 1, one, None))
    assert got == {k: bytes([k]) * (3 * PIPE_BYTES + k) for k in range(6)}


def _fragile(rel: str, data: object) -> object:
    """A parse function with a bug that shows on one file."""
    if rel == "tasks/t1.yaml":
        raise ZeroDivisionError("bug in a parse rule")
    return parse_tasks(rel, data)


def test_an_error_in_a_worker_surfaces_as_in_one_process(write: Callable[..., Path]) -> None:
    root = _ledger(write)
    for jobs in (1, 2):
        src = cached(root, cache=False, jobs=jobs, parallel_min_bytes=0)
        with pytest.raises(ZeroDivisionError, match="bug in a parse rule"):
            src.load_parsed(DirSource(root).glob("tasks/*.yaml"), 64, _fragile)


@pytest.mark.parametrize(("env", "enabled"), [
    ({}, True), ({"LUOSHI_NO_CACHE": "1"}, False), ({"LUOSHI_NO_CACHE": "0"}, True),
    ({"CI": "true"}, False), ({"CI": "true", "LUOSHI_CACHE": "1"}, True),
    ({"CI": "true", "LUOSHI_CACHE": "1", "LUOSHI_NO_CACHE": "1"}, False),
])
def test_cache_default_follows_the_environment(env: dict[str, str], enabled: bool,
                                               monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    for name in ("CI", "LUOSHI_CACHE", "LUOSHI_NO_CACHE", "LUOSHI_JOBS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert fastsource.default_source(tmp_path).cache is enabled
    monkeypatch.setenv("LUOSHI_JOBS", "1")
    assert fastsource.default_source(tmp_path).jobs == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_unusual_files_are_left_to_the_loader(write: Callable[..., Path]) -> None:
    """A FIFO would block, an empty file has nothing to hash: load.py reports them."""
    root = _ledger(write)
    os.mkfifo(root / "tasks/pipe.yaml")
    (root / "tasks/empty.yaml").write_bytes(b"")
    expected = outcome(root, date(2024, 5, 31), DirSource(root))
    assert {f[4] for f in expected[0]} >= {"LS006"}  # type: ignore[index]
    for jobs in (1, 2):
        src = cached(root, jobs=jobs, parallel_min_bytes=0)
        assert outcome(root, date(2024, 5, 31), src) == expected
    assert len(_entries(root)) == 5


# --- `luoshi validate`: task files checked one at a time, cached by content ----------

def by_file(root: Path, as_of: date, files: FileSource) -> list[tuple[object, ...]]:
    v = validate(root, as_of, files, keep_tasks=False)
    return [(f.file, f.line, f.col, f.severity, f.code, f.message("zh"), f.message("en"))
            for f in v.findings]


@pytest.mark.parametrize(("ledger", "as_of"), LEDGERS, ids=LEDGER_IDS)
def test_checked_files_same_from_every_source(ledger: Path, as_of: date,
                                              copies: Callable[[Path], Path]) -> None:
    root = copies(ledger)
    plain = by_file(root, as_of, DirSource(root))
    first = cached(root)
    assert by_file(root, as_of, first) == plain
    again = cached(root)
    assert by_file(root, as_of, again) == plain
    assert again.stats["parsed"] == 0  # every file's findings and keys read back
    assert by_file(root, as_of, FastSource(root, cache=False, jobs=2,
                                           parallel_min_bytes=0)) == plain


def test_only_the_edited_task_file_is_checked_again(write: Callable[..., Path]) -> None:
    root = _ledger(write)
    assert by_file(root, date(2024, 5, 31), cached(root)) == []
    (root / "tasks/t3.yaml").write_text(TASK.format(n=3, progress=120), encoding="utf-8")
    src = cached(root)
    assert [f[:5] for f in by_file(root, date(2024, 5, 31), src)] == [
        ("tasks/t3.yaml", 11, 13, "error", "LS205")]
    assert src.stats["hits"] == 4 and src.stats["parsed"] == 1


@pytest.mark.parametrize("change", ["units", "leaders", "categories", "year"])
def test_what_a_task_file_is_checked_against_is_part_of_the_key(
        write: Callable[..., Path], change: str) -> None:
    """Unchanged task files are checked again when the units, leaders, categories or
    year they are checked against change: a cached "no findings" must never hide a
    reference that no longer resolves."""
    root = _ledger(write)
    day = date(2024, 5, 31)
    assert by_file(root, day, cached(root)) == []
    expected = {"units": "LS110", "leaders": "LS111", "categories": "LS112",
                "year": "LS208"}[change]
    if change == "units":
        (root / "units.yaml").write_text(
            "units:\n  - {id: fgwx, name: 区发改委}\nleaders:\n  - {id: li, name: 李某某}\n",
            encoding="utf-8")
    elif change == "leaders":
        (root / "units.yaml").write_text(
            "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: wang, name: 王某某}\n",
            encoding="utf-8")
    elif change == "categories":
        (root / "luoshi.yaml").write_text(
            "title: t\nyear: 2024\ncategories:\n  - {id: city, name: 城建}\n", encoding="utf-8")
    else:
        (root / "luoshi.yaml").write_text(
            "title: t\nyear: 2025\ncategories:\n  - {id: econ, name: 经济}\n", encoding="utf-8")
    src = cached(root)
    codes = {f[4] for f in by_file(root, day, src)}
    assert expected in codes
    assert src.stats["hits"] == 0
    assert by_file(root, day, cached(root)) == by_file(root, day, DirSource(root))


def test_another_as_of_date_reuses_every_entry_and_still_judges_the_dates(
        write: Callable[..., Path]) -> None:
    """Single-task rules do not depend on the date (`checks.TaskContext`): a new day
    — validate's default as-of is today — reads every entry back, and the rules that
    do depend on it (LS203 done after as-of, LS601 monthly report) run over the keys."""
    root = _ledger(write)
    (root / "tasks/t1.yaml").write_text(TASK.format(n=1, progress=45).replace(
        "standard: 开复工350个}", "standard: 开复工350个, done: 2024-05-20}"), encoding="utf-8")
    assert by_file(root, date(2024, 5, 31), cached(root)) == []
    src = cached(root)
    found = by_file(root, date(2024, 5, 10), src)  # before the done date
    assert src.stats == {"hits": 5, "parsed": 0, "workers": 0, "derived": 0}
    assert [f[:5] for f in found] == [("tasks/t1.yaml", 9, 50, "error", "LS203")]
    src = cached(root)
    later = by_file(root, date(2024, 7, 8), src)  # no report for June by the 5th of July
    assert src.stats["hits"] == 5
    assert {(f[0], f[4]) for f in later} == {(f"tasks/t{n}.yaml", "LS601") for n in range(1, 6)}
    assert later == by_file(root, date(2024, 7, 8), DirSource(root))


def test_positions_of_dated_findings_come_from_the_cache(
        write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """On the 6th of a month every active task may owe its report (LS601): those
    findings are made afresh each run, and their lines come from the cache, not from
    reading every file again with PyYAML (a review found 9 s per run on 100,000)."""
    from luoshi_cli.load import positions

    root = _ledger(write)  # no record files: their (empty) load must not turn the cache off
    day = date(2024, 7, 8)
    expected = by_file(root, day, DirSource(root))
    assert {f[4] for f in expected} == {"LS601"} and len(expected) == 5
    assert by_file(root, day, cached(root, cache_min_bytes=1)) == expected  # finds positions, keeps them
    calls: list[str] = []
    real = positions._locate

    def counting(text: str | None, paths: object, count: int | None = None) -> object:
        calls.append("x")
        return real(text, paths, count)  # type: ignore[arg-type]

    monkeypatch.setattr(positions, "_locate", counting)
    assert by_file(root, day, cached(root, cache_min_bytes=1)) == expected
    assert calls == []
    # an edited file is read again for its positions; the others still are not
    (root / "tasks/t2.yaml").write_text("# 说明\n" + TASK.format(n=2, progress=45),
                                        encoding="utf-8")
    again = by_file(root, day, cached(root, cache_min_bytes=1))
    assert len(calls) == 1
    assert again == by_file(root, day, DirSource(root))
    assert [f[:3] for f in again if f[0] == "tasks/t2.yaml"] == [("tasks/t2.yaml", 13, 3)]


# --- a hostile ledger's cache ---------------------------------------------------------

def _victim(tmp_path: Path) -> Path:
    """A directory outside the ledger with what old versions of the cache would have
    taken for their own: a `v…` directory and entry-named files."""
    victim = tmp_path / "victim"
    (victim / "vault").mkdir(parents=True)
    (victim / "vault" / "data.txt").write_text("keep me", encoding="utf-8")
    (victim / f"v1-{'0' * 16}").mkdir()
    (victim / f"v1-{'0' * 16}" / f"{'a' * 20}-{'b' * 64}.pickle").write_bytes(b"mine")
    return victim


def _tree(d: Path) -> dict[str, bytes | None]:
    return {p.relative_to(d).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(d.rglob("*"))}


@pytest.mark.parametrize("where", ["parent", "elsewhere"])
def test_a_cache_directory_that_is_a_link_is_never_followed(
        write: Callable[..., Path], tmp_path: Path, where: str) -> None:
    """A ledger that commits `.luoshi-cache -> ..` (or an absolute path): luoshi carries
    on without a cache, and neither writes nor removes anything where the link points."""
    root = _ledger(write)
    victim = _victim(tmp_path)
    if where == "parent":  # the ledger's parent holds `victim`
        (root / CACHE_DIR).symlink_to("..")
    else:
        (root / CACHE_DIR).symlink_to(victim)
    before = _tree(victim)
    expected = outcome(root, date(2024, 5, 31), DirSource(root))
    for _ in range(2):
        src = cached(root)
        assert outcome(root, date(2024, 5, 31), src) == expected
        assert src.stats["hits"] == 0 and src.stats["parsed"] == 5
        assert by_file(root, date(2024, 5, 31), cached(root)) == []
    assert _tree(victim) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger", "victim"]
    assert (root / CACHE_DIR).is_symlink()


def test_a_version_directory_that_is_a_link_is_never_followed(
        write: Callable[..., Path], tmp_path: Path) -> None:
    root = _ledger(write)
    open_ledger(root, cached(root))
    (version,) = (root / CACHE_DIR).glob("v*")
    shutil.rmtree(version)
    victim = _victim(tmp_path)
    version.symlink_to(victim)
    before = _tree(victim)
    expected = outcome(root, date(2024, 5, 31), DirSource(root))
    src = cached(root)
    assert outcome(root, date(2024, 5, 31), src) == expected
    assert src.stats["hits"] == 0 and src.stats["parsed"] == 5
    assert _tree(victim) == before and version.is_symlink()


@pytest.mark.parametrize("kind", ["file", "dangling"])
def test_a_cache_that_is_not_a_directory_means_no_cache(
        write: Callable[..., Path], kind: str) -> None:
    root = _ledger(write)
    if kind == "file":
        (root / CACHE_DIR).write_text("not a directory", encoding="utf-8")
    else:
        (root / CACHE_DIR).symlink_to("nowhere")
    expected = outcome(root, date(2024, 5, 31), DirSource(root))
    src = cached(root)
    assert outcome(root, date(2024, 5, 31), src) == expected
    assert src.stats["parsed"] == 5
    assert (root / CACHE_DIR).is_symlink() == (kind == "dangling")
    assert not (root / "nowhere").exists()


def test_an_entry_that_is_a_link_is_neither_read_nor_written_through(
        write: Callable[..., Path], tmp_path: Path) -> None:
    """A well-signed entry elsewhere, linked in under its own name, is a miss; the
    fresh entry replaces the link, and the file it pointed to is untouched."""
    root = _ledger(write)
    open_ledger(root, cached(root))
    entry = sorted(_entries(root))[0]
    outside = tmp_path / "outside.pickle"
    blob = entry.read_bytes()
    outside.write_bytes(blob)
    entry.unlink()
    entry.symlink_to(outside)
    src = cached(root)
    open_ledger(root, src)
    assert src.stats["hits"] == 4 and src.stats["parsed"] == 1
    assert outside.read_bytes() == blob
    assert not entry.is_symlink() and entry.read_bytes() == blob


def test_pruning_removes_only_what_luoshi_names_exactly(
        write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Another code version's directory loses its entries, one by one, and is removed
    with `rmdir` only once empty; whatever else is in the cache stays, and a link in
    it is unlinked, never followed."""
    root = _ledger(write)
    open_ledger(root, cached(root))
    top = root / CACHE_DIR
    (old,) = top.glob("v*")
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "sub" / "f.txt").write_text("x", encoding="utf-8")
    (old / "notes.txt").write_text("mine", encoding="utf-8")
    (old / f"{'c' * 20}-{'d' * 64}.pickle").symlink_to(outside / "sub" / "f.txt")
    (top / "vault").mkdir()
    (top / "vault" / "data.txt").write_text("mine", encoding="utf-8")
    (top / f"v1-{'e' * 16}").symlink_to(outside)
    clean = top / f"v1-{'f' * 16}"
    clean.mkdir()
    (clean / f"{'a' * 20}-{'b' * 64}.pickle").write_bytes(b"old")
    monkeypatch.setattr(cache, "_FINGERPRINT", "0" * 64)
    open_ledger(root, cached(root))
    assert sorted(p.name for p in old.iterdir()) == ["notes.txt"]
    assert (top / "vault" / "data.txt").read_text(encoding="utf-8") == "mine"
    assert (top / f"v1-{'e' * 16}").is_symlink()
    assert (outside / "sub" / "f.txt").read_text(encoding="utf-8") == "x"
    assert not clean.exists()


def test_temporary_files_of_a_killed_run_are_removed_by_a_later_one(
        write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A run killed while it writes an entry (SIGTERM, a worker ended with its parent)
    leaves `write_atomic`'s `.<entry>.XXXXXXXX.tmp`; the next run removes those older
    than `STALE_TEMP_SECONDS` — a younger one may be another luoshi's write under way —
    in this code version's directory, an old version's (which can then go) and the
    cache directory itself.  Other names stay."""
    root = _ledger(write)
    open_ledger(root, cached(root))
    top = root / CACHE_DIR
    (here,) = top.glob("v*")
    entry = _entries(root)[0].name
    old_time = time.time() - 24 * 3600  # a day old
    stale = here / f".{entry}.k3j_9x0q.tmp"
    fresh = here / f".{entry}.a1b2c3d4.tmp"
    mine = here / ".notes.a1b2c3d4.tmp"
    tag = top / ".CACHEDIR.TAG.zz99yy88.tmp"
    older = top / f"v1-{'f' * 16}"
    older.mkdir()
    in_older = older / f".{'a' * 20}-{'b' * 64}.pickle.q1w2e3r4.tmp"
    for path in (stale, fresh, mine, tag, in_older):
        path.write_bytes(b"half an entry")
    for path in (stale, mine, tag, in_older):
        os.utime(path, (old_time, old_time))
    src = cached(root)
    open_ledger(root, src)
    assert src.stats["hits"] == 5
    assert not stale.exists() and not tag.exists() and not older.exists()
    assert fresh.exists() and mine.exists()
    assert len(_entries(root)) == 5


def test_a_signed_entry_moved_to_another_name_is_a_miss(write: Callable[..., Path]) -> None:
    """The signature covers the entry's name (work, file, bytes, salt): the good
    version's entry copied onto the name the broken version hashes to does not make
    the broken file pass."""
    root = _ledger(write)
    day = date(2024, 5, 31)
    assert by_file(root, day, cached(root)) == []
    good = {p.name: p.read_bytes() for p in _entries(root)}
    (root / "tasks/t3.yaml").write_text(TASK.format(n=3, progress=120), encoding="utf-8")
    broken = [f[:5] for f in by_file(root, day, cached(root))]
    assert broken == [("tasks/t3.yaml", 11, 13, "error", "LS205")]
    forged = 0
    for p in _entries(root):
        if p.name not in good:  # the broken version's entry: the good one in its place
            (old,) = [n for n in good if n.split("-")[0] == p.name.split("-")[0]]
            p.write_bytes(good[old])
            forged += 1
    assert forged >= 1
    src = cached(root)
    assert [f[:5] for f in by_file(root, day, src)] == broken
    assert src.stats["hits"] == 4 and src.stats["parsed"] == 1
    src = cached(root)
    assert [f[:5] for f in outcome(root, day, src)[0]] == broken  # type: ignore[index]


def test_accelerators_are_declared_not_guessed(write: Callable[..., Path]) -> None:
    """A source is accelerated only through the `accelerator` it declares: a plain
    source that happens to have methods of the same names is read plainly."""
    root = _ledger(write)

    class Lookalike(DirSource):
        def load_worked(self, *args: object) -> object:
            raise AssertionError("not declared: never called")

        def load_parsed(self, *args: object) -> object:
            raise AssertionError("not declared: never called")

        def position_memo(self, *args: object) -> object:
            raise AssertionError("not declared: never called")

    loaded = open_ledger(root, Lookalike(root))
    assert len(loaded.ledger.tasks) == 5 and loaded.positions is None
    fast = cached(root)
    assert fast.accelerator is fast and DirSource(root).accelerator is None
    assert open_ledger(root, fast).positions is not None


def test_scheme_and_records_are_read_beside_the_parse_worker(
        copies: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """While a worker parses task files, this process reads the scheme, records and
    supervision files (`load_rest`, the load's `meanwhile`): once, here, marked as a
    load beside the workers (no fork of its own, no second progress bar) — and the
    findings, in their order, and the ledger are the plain path's."""
    from luoshi_cli.load import assemble

    root = copies(EXAMPLE)
    (root / "records" / "2021-Q1.yaml").write_text(
        (EXAMPLE / "records" / "2021-Q1.yaml").read_text(encoding="utf-8")
        + "\nnotee: 多写了一个键\n", encoding="utf-8")
    day = date(2021, 6, 30)
    plain = validate(root, day, DirSource(root), keep_tasks=False)
    calls: list[bool] = []
    real = assemble._load_rest

    def spy(fs: FastSource, *args: object) -> object:
        calls.append(fs._aside)
        return real(fs, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(assemble, "_load_rest", spy)
    both = FastSource(root, cache=False, jobs=2, parallel_min_bytes=0)
    beside = validate(root, day, both, keep_tasks=False)
    assert calls == [True] and both.stats["workers"] == 2 and not both._aside
    assert [f.as_dict("en") for f in beside.findings] == [
        f.as_dict("en") for f in plain.findings]
    assert any(f.code == "LS101" and f.file == "records/2021-Q1.yaml" for f in beside.findings)
    assert beside.loaded.ledger == plain.loaded.ledger
    one = FastSource(root, cache=False, jobs=1)
    calls.clear()
    validate(root, day, one, keep_tasks=False)
    assert calls == [False]  # no worker: read after the task files, as always
