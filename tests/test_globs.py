"""One glob (`core.globs`): a `files:` pattern names the same paths whether the ledger
is read from disk (`DirSource`, the standard library's glob), from a git commit
(`GitSource`), checked for change control, or written by an import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from luoshi_cli.core.globs import covers
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
