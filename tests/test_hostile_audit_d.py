"""Defects of the hostile-ledger audit D (2026-12-08), each pinned on real files.

A ledger is other people's input: no file it names makes luoshi read outside the
ledger (nor in its `.git`), and bad input is a finding or a one-line error in the
clerk's language, never an internal error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, commit, git
from test_hostile import GIB, assert_clean_exit, run_limited

Cli = Callable[..., Run]


# ---- D2: files: naming a path inside .git ------------------------------------------

@pytest.mark.parametrize("units,scheme", [
    (".git/config", "./.git/COMMIT_EDITMSG"),
    ("sub/../.git/config", ".luoshi-cache/x.yaml"),
    (".GIT/config", ".git./config"),
])
def test_files_inside_git_are_refused_unread(cli: Cli, example: Path, units: str,
                                             scheme: str) -> None:
    """`files: {units: .git/config}` (a plain path, no link) was opened and parsed: in CI
    .git/config holds the job's token.  Such a value is LS007 at the value (luoshi.yaml
    line:col), the default is read instead, and nothing under .git is opened (no finding
    names a file there).  `.GIT` and `.git.` are the same directory on Windows/macOS."""
    git(example, "init", "-q")
    commit(example, "v1")
    git(example, "config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic SECRET")
    cfg = example / "luoshi.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text + f"files:\n  units: {units}\n  scheme: {scheme}\n", encoding="utf-8")
    line = text.count("\n") + 2
    r = cli("validate", example, "--as-of", "2021-06-30")
    assert r.exit_code == 1
    owned_u = ".git" if ".git" in units.lower() else ".luoshi-cache"
    owned_s = ".git" if ".git" in scheme.lower() else ".luoshi-cache"
    assert (f"luoshi.yaml:{line}:10: error LS007 files.units 的值 {units} 位于台账的 {owned_u} "
            f"目录之内：git 自己的文件（.git）和 luoshi 的缓存（.luoshi-cache）不是台账文件，"
            f"一律不读取；已改用默认路径") in r.stdout
    assert f"luoshi.yaml:{line + 1}:11: error LS007 files.scheme 的值 {scheme} 位于台账的 " \
           f"{owned_s} 目录之内" in r.stdout
    assert ".git/config:" not in r.stdout and "COMMIT_EDITMSG:" not in r.stdout
    assert "LS013" not in r.stdout and "LS002" not in r.stdout
    en = cli("validate", example, "--as-of", "2021-06-30", "--lang", "en")
    assert (f"luoshi.yaml:{line}:10: error LS007 files.units: {units} is inside the "
            f"ledger's {owned_u}: git's own files (.git) and luoshi's cache (.luoshi-cache) "
            f"are no ledger files and are never read; the default is used") in en.stdout


def test_files_outside_root_keep_their_wording(cli: Cli, example: Path) -> None:
    cfg = example / "luoshi.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text + "files:\n  units: ../units.yaml\n", encoding="utf-8")
    r = cli("validate", example, "--as-of", "2021-06-30")
    assert ("error LS007 files.units 的值 ../units.yaml 不是台账目录内的文件路径：请写成相对路径"
            "（如 tasks/*.yaml），不要用“..”或绝对路径；已改用默认路径") in r.stdout


# ---- D6: the results cache's digest of templates/ ----------------------------------

@pytest.mark.skipif(sys.platform != "linux", reason="sparse file, ru_maxrss in KiB")
@pytest.mark.parametrize("padded", [False, True])
def test_bulletin_does_not_read_a_huge_file_under_templates(example: Path,
                                                            padded: bool) -> None:
    """A 2 GiB junk file under templates/ (no template, a few KB in git) was read whole
    into memory to key the results cache (2.1 GB RSS; `--rev` refuses it unread; with a
    2 GiB address space: "out of memory", exit 2).  The digest now reads in chunks, a
    file over max_file_mb (64 MB) keeps nothing (the bulletin is made fresh), and a
    ledger too small to keep results (< 512 KB; `padded`: a 600 KB comment makes it
    big enough) hashes no template: the bulletin runs in the memory it needs (< 400 MB)."""
    if padded:
        with open(example / "tasks/city.yaml", "a", encoding="utf-8") as fh:
            fh.write(("# " + "x" * 98 + "\n") * 6000)
    (example / "templates").mkdir()
    with open(example / "templates/junk.bin", "wb") as fh:
        fh.truncate(2 * GIB)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "LUOSHI_NO_CACHE")}
    r = run_limited(["bulletin", str(example), "--quarter", "Q2"], env=env, timeout=120)
    assert_clean_exit(r)
    assert r.code == 0, r.stderr
    assert "关于渭南高新区2021年第二季度重点任务抓落实情况的通报" in r.stdout
    assert r.max_rss_mb < 400, r.max_rss_mb


def test_tree_digest_streams_and_stops_at_the_limit(tmp_path: Path) -> None:
    """The digest of templates/ is of paths and bytes; a file over the limit is no
    digest (None: nothing kept), a file at the limit is one."""
    from luoshi_cli.fast.results import tree_digest

    (tmp_path / "t").mkdir()
    (tmp_path / "t/a.j2").write_bytes(b"x" * 1000)
    one = tree_digest(tmp_path / "t", 1000)
    assert one is not None and one == tree_digest(tmp_path / "t", 1000)
    (tmp_path / "t/a.j2").write_bytes(b"x" * 999 + b"y")
    assert tree_digest(tmp_path / "t", 1000) not in (None, one)
    (tmp_path / "t/a.j2").write_bytes(b"x" * 1001)
    assert tree_digest(tmp_path / "t", 1000) is None
