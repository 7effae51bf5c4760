"""`fsio.walk`: `os.walk` without recursion (Python 3.11's recurses once per level)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _tree(root: Path) -> None:
    for rel in ("a/b/c", "a/d", "e", ".hidden/x"):
        (root / rel).mkdir(parents=True)
    for rel in ("f.txt", "a/g.txt", "a/b/c/h.txt", ".hidden/x/i"):
        (root / rel).write_text("x", encoding="utf-8")
    (root / "a/link-dir").symlink_to(root / "e")
    (root / "a/link-file").symlink_to(root / "f.txt")
    (root / "dangling").symlink_to(root / "nowhere")


def _sorted(walked: object) -> list[tuple[str, list[str], list[str]]]:
    return sorted((top, sorted(dirs), sorted(names))
                  for top, dirs, names in walked)  # type: ignore[attr-defined]


def test_the_walk_is_os_walks(tmp_path: Path) -> None:
    """The same directories, each with the same subdirectories (links to directories
    among them, not entered) and files, as `os.walk(top)`."""
    from luoshi_cli.fsio import walk

    _tree(tmp_path)
    assert _sorted(walk(tmp_path)) == _sorted(os.walk(tmp_path))
    assert _sorted(walk(tmp_path / "missing")) == []


def test_pruning_in_place_is_honoured(tmp_path: Path) -> None:
    from luoshi_cli.fsio import walk

    _tree(tmp_path)
    seen = []
    for top, dirs, _names in walk(tmp_path):
        seen.append(Path(top).relative_to(tmp_path).as_posix())
        dirs[:] = sorted(d for d in dirs if d != "b" and not d.startswith("."))
    assert seen == [".", "a", "a/d", "e"]  # top-down, in the order the caller left


@pytest.fixture
def deep(tmp_path: Path) -> Iterator[Path]:
    """1,500 nested folders (os.makedirs recurses too: made one at a time)."""
    root = tmp_path / "deep"
    os.mkdir(root)
    here = str(root)
    for _ in range(1500):
        here = os.path.join(here, "d")
        os.mkdir(here)
    with open(os.path.join(here, "x.txt"), "w", encoding="utf-8") as f:
        f.write("x")
    yield root
    subprocess.run(["rm", "-rf", str(root)], check=True)  # rmtree recurses as well


def test_a_folder_1500_deep_is_walked(deep: Path) -> None:
    """A templates/ folder this deep made `bulletin` fail with a RecursionError (the
    kept document's digest of templates/), and so did `luoshi hook` searching a
    repository for ledgers."""
    from luoshi_cli.cli.hook_cmd import discover
    from luoshi_cli.fast.results import tree_digest
    from luoshi_cli.fsio import walk

    walked = list(walk(deep))
    assert len(walked) == 1501 and walked[-1][2] == ["x.txt"]
    assert tree_digest(deep, 1024) is not None
    assert discover(deep) == []
