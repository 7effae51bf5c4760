"""One glob (`core.globs`): a `files:` pattern names the same paths whether the ledger
is read from disk (`DirSource`, the standard library's glob), from a git commit
(`GitSource`), checked for change control, or written by an import."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import fuzz
from luoshi_cli.core.globs import covers, glob_matcher, glob_prefix_matcher
from luoshi_cli.excel.imports import glob_covers
from luoshi_cli.load.assemble import DirSource

FILES = ["tasks/a.yaml", "tasks/.hidden.yaml", "tasks/sub/b.yaml", "tasks/sub/.x/c.yaml",
         "tasks/.d/e.yaml", "tasks/[x].yaml", "tasks/x.yml", "records/2021-Q2.yaml",
         "tasks/sub/deeper/f.yaml", "g.yaml"]
PATTERNS = ["tasks/*.yaml", "tasks/**/*.yaml", "tasks/**", "**/*.yaml", "tasks/?.yaml",
            "tasks/[a-b].yaml", "tasks/.*.yaml", "tasks/*.y*ml", "records/*-Q[1-4].yaml",
            "*.yaml", "tasks/sub/*/*.yaml"]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("globs")
    for rel in FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x: 1\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("pattern", PATTERNS)
def test_disk_and_the_one_glob_agree(tree: Path, pattern: str) -> None:
    on_disk = [p for p in DirSource(tree).glob(pattern) if (tree / p).is_file()]
    assert sorted(on_disk) == sorted(f for f in FILES if covers(pattern, f))


def test_an_import_is_warned_about_a_file_luoshi_will_not_read() -> None:
    """`*` does not cross a directory and skips hidden names (fnmatch did both, so an
    import into tasks/sub/ or a hidden file passed without the warning)."""
    assert glob_covers("tasks/*.yaml", "tasks/a.yaml")
    assert not glob_covers("tasks/*.yaml", "tasks/sub/a.yaml")
    assert not glob_covers("tasks/**/*.yaml", "tasks/.draft.yaml")
    assert glob_covers("tasks/**/*.yaml", "tasks/sub/a.yaml")


def test_git_and_the_cache_are_never_ledger_files(tmp_path: Path, cli: Any) -> None:
    """A pattern with a hidden wildcard segment (`.*/*`) matched `.luoshi-cache/CACHEDIR.TAG`
    once the cache existed: the plain run and the first cached run passed, the second read
    the tag as a task file and refused the ledger (LS101/LS102).  `.git` and
    `.luoshi-cache` are never ledger files, on disk or in a commit (`--rev`), nor behind
    a link to them (`tasks/c -> ../.luoshi-cache`)."""
    import shutil
    import subprocess

    from conftest import BEILIN

    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    (root / "tasks").rename(root / ".tasks")
    with (root / "luoshi.yaml").open("a", encoding="utf-8") as f:
        f.write('\nfiles:\n  tasks: ".*/*"\n')
    (root / ".luoshi-cache").mkdir()
    (root / ".luoshi-cache" / "CACHEDIR.TAG").write_text("Signature: x\n", encoding="utf-8")
    tasks = sorted(p.relative_to(root).as_posix() for p in (root / ".tasks").iterdir())
    assert DirSource(root).glob(".*/*") == tasks
    # nor under another name: a link inside the ledger to the cache is not walked into
    (root / ".tasks" / "c").symlink_to("../.luoshi-cache")
    assert DirSource(root).glob(".*/*") == tasks
    assert DirSource(root).glob(".*/*/*") == []
    for env in ({"LUOSHI_NO_CACHE": "1"}, {}):
        r = cli("validate", root, "--as-of", "2024-06-15", env=env)
        assert (r.exit_code, r.stdout) == (0, ""), r.stdout
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@x"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A", "-f"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    r = cli("validate", root, "--rev", "HEAD", "--as-of", "2024-06-15")
    assert (r.exit_code, r.stdout) == (0, ""), r.stdout


# ---- the matcher as it was: recursive backtracking (the reference for its semantics) --

def _old_segment_regex(seg: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(seg):
        c = seg[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            # a bracket as fnmatch reads it: hand-translated, `[z-a]` and `[!]…]` made
            # no regex, and the old matcher raised (test_a_bracket_is_what_fnmatch_says)
            j = i + 1
            if j < len(seg) and seg[j] == "!":
                j += 1
            if j < len(seg) and seg[j] == "]":
                j += 1
            j = seg.find("]", j)
            if j == -1:
                out.append(re.escape(c))
            else:
                out.append(fnmatch.translate(seg[i:j + 1])[:-2])
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    rx = "".join(out)
    if not seg.startswith("."):
        rx = r"(?!\.)" + rx
    return re.compile(rx + r"\Z")


def _old_match(rx: list[re.Pattern[str] | None], parts: list[str]) -> bool:
    if not rx:
        return not parts
    head = rx[0]
    if head is None:
        if _old_match(rx[1:], parts):
            return True
        return bool(parts) and not parts[0].startswith(".") and _old_match(rx, parts[1:])
    return bool(parts) and head.match(parts[0]) is not None and _old_match(rx[1:], parts[1:])


def _old_leads_to(rx: list[re.Pattern[str] | None], parts: list[str]) -> bool:
    if not parts:
        return bool(rx)
    if not rx:
        return False
    head = rx[0]
    if head is None:
        if _old_leads_to(rx[1:], parts):
            return True
        return not parts[0].startswith(".") and _old_leads_to(rx, parts[1:])
    return head.match(parts[0]) is not None and _old_leads_to(rx[1:], parts[1:])


def _old(pattern: str, prefix: bool) -> Callable[[str], bool]:
    segs = [s for s in pattern.split("/") if s not in ("", ".")]
    if not segs or pattern.startswith("/") or ".." in segs:
        return lambda rel: False
    rx = [None if s == "**" else _old_segment_regex(s) for s in segs]
    if prefix:
        return lambda rel: _old_leads_to(rx, rel.split("/"))
    return lambda rel: _old_match(rx, rel.split("/"))


def _outcome(make: Callable[[], Callable[[str], bool]], paths: list[str]) -> object:
    """What a matcher says of each path, or the error it raises (a bracket such as
    `[z-a]` is no regex, before as now)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # `[[`: "possible nested set"
            pred = make()
            return [pred(p) for p in paths]
    except re.error as exc:
        return ("re.error", str(exc))


# segments built from what a glob segment may hold: wildcards, brackets (well formed
# or not: `[!]`, `[]]`, `[`), hidden names, empty and `.` segments, runs of `**`
_SEGMENT = st.lists(st.sampled_from(
    ["a", "b", "ab", ".", "*", "*", "?", "[ab]", "[!a]", "[a-b]", "[]a]", "[", "]", "!",
     "^", "-", "\\", "[!]", "[^a]"]), max_size=5).map("".join)
_PATTERN = st.one_of(
    st.lists(st.one_of(_SEGMENT, st.just("**"), st.just("")), min_size=1, max_size=6)
    .map("/".join),
    st.lists(st.sampled_from(["**", "a", "*"]), min_size=1, max_size=8).map("/".join))
_PART = st.text(alphabet="ab.[]!^-\\", max_size=6)
_PATH = st.lists(_PART, min_size=1, max_size=6).map("/".join)


@fuzz(600)
@given(_PATTERN, st.lists(_PATH, min_size=1, max_size=6))
def test_the_matcher_says_what_the_recursive_one_said(pattern: str, paths: list[str]) -> None:
    """The automaton (and the backtracking-free segment regex) keeps the old matcher's
    answer on every pattern and path, for files and for directories worth entering."""
    for prefix, new in ((False, glob_matcher), (True, glob_prefix_matcher)):
        made = _outcome(lambda new=new: new(pattern), paths)
        was = _outcome(lambda prefix=prefix: _old(pattern, prefix), paths)
        assert made == was, (pattern, paths, prefix)


@fuzz(300)
@given(st.lists(st.sampled_from(["a", "b", "*", "*", "?", "[ab]", "[!b]", "."]),
                max_size=10).map("".join), st.text(alphabet="ab.", max_size=14))
def test_one_segment_as_before(seg: str, name: str) -> None:
    """Many stars in one segment (the atomic-group regex) on longer names."""
    pattern = f"t/{seg}"
    assert _outcome(lambda: glob_matcher(pattern), [f"t/{name}"]) == _outcome(
        lambda: _old(pattern, False), [f"t/{name}"]), (seg, name)


@fuzz(300)
@given(_SEGMENT, _PART)
def test_a_bracket_is_what_fnmatch_says(seg: str, name: str) -> None:
    """One segment matches a name as Python's glob does (`fnmatch` on names that are
    not hidden): `[z-a]` matches nothing, `[!]` is the three characters, `[^a]` is ^
    or a — and no pattern makes an invalid regex (a `files:` pattern with `[z-a]`
    or `**[!]` stopped every command with an internal error)."""
    if not seg or seg in (".", "**") or "/" in name or not name or name.startswith("."):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = glob_matcher(f"t/{seg}")(f"t/{name}")
    assert got == fnmatch.fnmatchcase(name, seg), (seg, name)


def test_an_odd_bracket_in_files_is_a_pattern_not_a_crash(write: Any, cli: Any) -> None:
    """`tasks/[z-a]*.yaml` names no file (LS009, exit 1); `tasks/[!]x.yaml` names the
    file called so.  Both were "internal error" before."""
    task = ("- id: T-1\n  title: t\n  category: c\n  lead: u\n  leaders: [l]\n"
            "  start: 2024-01-01\n  standard: s\n  milestones:\n"
            "    - {due: 2024-12-31, standard: s}\n  status: planned\n  progress: 0\n")
    base = {"units.yaml": "units:\n  - {id: u, name: 单位}\nleaders:\n  - {id: l, name: 领导}\n",
            "tasks/[!]x.yaml": task}
    config = "title: t\nyear: 2024\ncategories:\n  - {id: c, name: 类}\nfiles:\n  tasks: "
    empty = write({**base, "luoshi.yaml": config + '"tasks/[z-a]*.yaml"\n'})
    r = cli("validate", empty, "--as-of", "2024-01-02")
    assert r.exit_code == 1 and "LS009" in r.stdout, (r.stdout, r.stderr)
    named = write({**base, "luoshi.yaml": config + '"tasks/[!]x.yaml"\n'})
    r = cli("validate", named, "--as-of", "2024-01-02")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "0 个错误，0 个警告\n")


def test_many_double_stars_on_a_deep_path() -> None:
    """`tasks/**/**/**/**/**/**/**/*.yaml` against a path 60 directories deep took
    minutes (exponential backtracking: 4 `**` 0.3 s, 6 `**` 43 s)."""
    pattern = "tasks/" + "**/" * 7 + "*.yaml"
    deep = "tasks/" + "a/" * 60
    assert not covers(pattern, deep + "x.txt")
    assert covers(pattern, deep + "x.yaml")
    assert covers(pattern, "tasks/x.yaml")
    assert not covers(pattern, deep + ".h/x.yaml")
    assert glob_prefix_matcher(pattern)(deep.rstrip("/"))
    assert not glob_prefix_matcher(pattern)(deep + ".h")
    assert not covers("tasks/" + "**/" * 30 + "b/*.yaml", deep + "x.yaml")


def test_a_path_1500_directories_deep() -> None:
    """One recursion per segment: 1,500 nested directories were a RecursionError."""
    deep = "tasks/" + "a/" * 1500
    assert covers("tasks/**/*.yaml", deep + "x.yaml")
    assert not covers("tasks/**/*.yaml", deep + "x.txt")
    assert not covers("tasks/*/*.yaml", deep + "x.yaml")
    assert glob_prefix_matcher("tasks/**/*.yaml")(deep.rstrip("/"))
    assert not glob_prefix_matcher("tasks/*/*.yaml")(deep.rstrip("/"))


def test_many_stars_in_one_segment() -> None:
    """`*a*a*a*a*b` against a long name of `a`s: the regex backtracked through every way
    of placing the stars (seconds at four stars, a name of 200)."""
    pattern = "tasks/" + "*a" * 20 + "*b.yaml"
    assert not covers(pattern, "tasks/" + "a" * 200 + ".yaml")
    assert covers(pattern, "tasks/" + "a" * 200 + "b.yaml")
    assert not covers(pattern, "tasks/" + "a" * 19 + "b.yaml")
    assert covers(pattern, "tasks/" + "a" * 20 + "b.yaml")


def _nest(top: Path, depth: int) -> Path:
    """`top/a/a/…` `depth` directories deep, made one by one (`os.makedirs` recurses)."""
    p = top
    for _ in range(depth):
        p = p / "a"
        p.mkdir()
    return p


@pytest.fixture
def deep_ledger(tmp_path: Path) -> Iterator[Path]:
    """The beilin example in a repository, removed with `rm -rf` (`shutil.rmtree`
    recurses too, and pytest's clean-up of old temporary directories with it)."""
    import shutil

    from conftest import BEILIN

    root = tmp_path / "repo" / "b"
    shutil.copytree(BEILIN, root)
    yield root
    subprocess.run(["rm", "-rf", str(tmp_path / "repo")], check=True)


def _commit_all(root: Path) -> None:
    from conftest import commit, git

    git(root.parent, "init", "-q", "-b", "main")
    commit(root.parent, "x")


def _validate_everywhere(cli: Any, root: Path) -> None:
    """`validate` on the working tree, the index and the commit: the normal result."""
    for extra in ([], ["--staged"], ["--rev", "HEAD"]):
        r = cli("validate", root, "--as-of", "2024-06-15", *extra)
        assert (r.exit_code, r.stdout) == (0, ""), (extra, r.stdout, r.stderr)
        assert r.stderr == "0 个错误，0 个警告\n", r.stderr


def test_validate_with_many_double_stars_and_a_deep_directory(deep_ledger: Path,
                                                              cli: Any) -> None:
    """A pull request's luoshi.yaml with seven `**` and a directory 60 deep holding a
    file that is no task stopped the CI gate for minutes; now the usual result."""
    root = deep_ledger
    pattern = "tasks/" + "**/" * 7 + "*.yaml"
    with (root / "luoshi.yaml").open("a", encoding="utf-8") as f:
        f.write(f'\nfiles:\n  tasks: "{pattern}"\n')
    (_nest(root / "tasks", 60) / "x.txt").write_text("x\n", encoding="utf-8")
    _commit_all(root)
    _validate_everywhere(cli, root)


def test_validate_a_task_file_1500_directories_deep(deep_ledger: Path, cli: Any) -> None:
    """1,500 nested directories under tasks/ (and a link, which has the commit's tree
    walked through links) were an internal error (RecursionError), on disk and at a
    revision; now the file down there is read like any other."""
    from luoshi_cli.load import gitsrc
    from luoshi_cli.load.assemble import DirSource

    root = deep_ledger
    with (root / "luoshi.yaml").open("a", encoding="utf-8") as f:
        f.write('\nfiles:\n  tasks: "tasks/**/*.yaml"\n')
    bottom = _nest(root / "tasks", 1500)
    (root / "tasks" / "bl-1.yaml").rename(bottom / "bl-1.yaml")
    # a link the pattern does not read (a YAML name would be LS023): the commit walk
    # still looks at every link
    (root / "tasks" / "alias.lnk").symlink_to("bl-2.yaml")
    deep = (bottom / "bl-1.yaml").relative_to(root).as_posix()
    _commit_all(root)
    assert deep in DirSource(root).glob("tasks/**/*.yaml")
    assert deep in gitsrc.git_source(root, "HEAD").glob("tasks/**/*.yaml")
    _validate_everywhere(cli, root)
    (bottom / "bl-1.yaml").write_text("- {}\n", encoding="utf-8")
    r = cli("validate", root, "--as-of", "2024-06-15")
    assert r.exit_code == 1 and "Traceback" not in r.stdout + r.stderr
    assert f"{deep}:1:3: error LS102" in r.stdout.replace("\\", "/"), r.stdout[-500:]
