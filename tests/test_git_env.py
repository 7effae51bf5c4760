"""luoshi's git commands under the environment git gives a hook, and in linked
worktrees (audit of the git-facing code, item 1).

Git exports GIT_DIR to a hook run in a linked worktree (`git worktree add`), and
GIT_WORK_TREE=. to one run by `git --git-dir=… --work-tree=… commit`.  luoshi runs its
git commands from the ledger's folder, where git then took the folder for the top of
the work tree: the ledger's luoshi.yaml "was not staged", the hook skipped the ledger
and the broken commit went through (exit 0)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run, commit, edit, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")

BAD = ("lead: chongyelu\n", "lead: no-such-unit\n")  # city.yaml's first task: LS110
LUOSHI = Path(sys.executable).parent / "luoshi"


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the example ledger at ledgers/w (tag v1), a pre-commit hook
    running `luoshi hook` as the shipped hook does (no files), and a linked worktree
    `wt` on branch feature."""
    top = tmp_path / "repo"
    shutil.copytree(EXAMPLE, top / "ledgers/w", ignore=shutil.ignore_patterns(".luoshi-cache"))
    git(top, "init", "-q", "-b", "main")
    commit(top, "a ledger")
    git(top, "tag", "v1")
    hook = top / ".git/hooks/pre-commit"
    hook.write_text(f"#!/bin/sh\nexec '{LUOSHI}' hook --lang en\n", encoding="utf-8")
    hook.chmod(0o755)
    git(top, "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "feature")
    return top


def _commit(cwd: Path, *args: str, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                          cwd=cwd, env=env or _clean_env(), capture_output=True, text=True)


@pytest.mark.parametrize("where", ["repo", "wt"])
@pytest.mark.parametrize("sub", ["", "ledgers/w"])
def test_the_hook_stops_a_broken_commit_in_a_linked_worktree(repo: Path, where: str,
                                                             sub: str) -> None:
    top = repo.parent / where
    edit(top / "ledgers/w/tasks/city.yaml", *BAD)
    git(top, "add", "-A")
    before = git(top, "rev-parse", "HEAD")
    run = _commit(top / sub if sub else top, "commit", "-q", "-m", "broken")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "ledgers/w/tasks/city.yaml:5:9: error LS110" in run.stderr
    assert "skipped" not in run.stderr
    assert git(top, "rev-parse", "HEAD") == before


def test_the_hook_reads_the_temporary_index_of_git_commit_path_in_a_linked_worktree(
        repo: Path) -> None:
    """`git commit PATH` hands the hook a temporary index (GIT_INDEX_FILE) holding the
    working-tree file: the broken file is refused though nothing was staged, and a
    broken staged file fixed in the working tree is committed."""
    wt = repo.parent / "wt"
    task = wt / "ledgers/w/tasks/city.yaml"
    edit(task, *BAD)
    before = git(wt, "rev-parse", "HEAD")
    run = _commit(wt, "commit", "-q", "-m", "broken", "ledgers/w/tasks/city.yaml")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "ledgers/w/tasks/city.yaml:5:9: error LS110" in run.stderr
    assert git(wt, "rev-parse", "HEAD") == before
    git(wt, "add", str(task))
    edit(task, BAD[1], BAD[0] + "# fixed\n")
    run = _commit(wt, "commit", "-q", "-m", "fixed", "ledgers/w/tasks/city.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fixed" in git(wt, "show", "HEAD:ledgers/w/tasks/city.yaml")


def test_the_hook_under_git_dir_and_work_tree_given_to_git(repo: Path) -> None:
    """`git --git-dir=… --work-tree=… commit` run from elsewhere: git hands the hook
    GIT_DIR and GIT_WORK_TREE=. (relative to the top, where the hook runs)."""
    edit(repo / "ledgers/w/tasks/city.yaml", *BAD)
    git(repo, "add", "-A")
    before = git(repo, "rev-parse", "HEAD")
    env = {**_clean_env(), "GIT_DIR": str(repo / ".git"), "GIT_WORK_TREE": str(repo)}
    run = _commit(repo.parent, "commit", "-q", "-m", "broken", env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "ledgers/w/tasks/city.yaml:5:9: error LS110" in run.stderr
    assert git(repo, "rev-parse", "HEAD") == before


def test_git_dir_as_a_hook_gets_it(cli: Callable[..., Run], repo: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """GIT_DIR as git exports it to a hook in a linked worktree, luoshi started at the
    work tree's top: the file-list form, `--staged` and `--base` find the ledger (and
    change control compares it: the locked task's standard changed since v1)."""
    wt = repo.parent / "wt"
    edit(wt / "ledgers/w/tasks/city.yaml", *BAD)
    edit(wt / "ledgers/w/tasks/projects.yaml", "其中亿元以上项目10个", "其中亿元以上项目12个")
    git(wt, "add", "-A")
    monkeypatch.chdir(wt)
    monkeypatch.setenv("GIT_DIR", str(repo / ".git/worktrees/wt"))
    for args in (("hook",), ("hook", "ledgers/w/tasks/city.yaml"),
                 ("validate", "ledgers/w", "--staged"),
                 ("hook", "--base", "v1"),
                 ("validate", "ledgers/w", "--base", "HEAD"),
                 ("validate", "ledgers/w", "--staged", "--base", "HEAD")):
        r = cli(*args, "--lang", "en")
        assert r.exit_code == 1, (args, r.stdout, r.stderr)
        assert "tasks/city.yaml:5:9: error LS110" in r.stdout, args
        assert "skipped" not in r.stderr
        assert (" error LS50" in r.stdout) == ("--base" in args), (args, r.stdout)


def test_a_ledger_outside_the_work_tree_git_dir_names_is_refused(
        cli: Callable[..., Run], repo: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With GIT_DIR and GIT_WORK_TREE set, git answers for their repository from any
    folder (its top, the prefix ""): a ledger outside that work tree would have been
    read as the repository's top.  One line, exit 2."""
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other, ignore=shutil.ignore_patterns(".luoshi-cache"))
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(repo))
    r = cli("validate", other, "--rev", "HEAD", "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert "is not inside the work tree" in r.stderr and r.stderr.count("\n") == 1
