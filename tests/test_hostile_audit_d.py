"""Defects of the hostile-ledger audit D (2026-12-08), each pinned on real files.

A ledger is other people's input: no file it names makes luoshi read outside the
ledger (nor in its `.git`), and bad input is a finding or a one-line error in the
clerk's language, never an internal error.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, commit, git

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
