"""One glob (`core.globs`): a `files:` pattern names the same paths whether the ledger
is read from disk (`DirSource`, the standard library's glob), from a git commit
(`GitSource`), checked for change control, or written by an import."""

from __future__ import annotations

from pathlib import Path

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
