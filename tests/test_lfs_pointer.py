"""A Git LFS pointer where a ledger file belongs (audit J item 7): a task file tracked
with `filter=lfs` is stored in git as a three-line pointer, which `--rev`, the hook
(the index) and `diff` read, and which a checkout without git-lfs holds.  Read as YAML
it was "tasks should be a task mapping…: correct it" (LS103) on a file that is fine;
it is LS022 at 1:1, wherever ledger files are read."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run, commit, git

POINTER = ("version https://git-lfs.github.com/spec/v1\n"
           "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
           "size 4321\n")

LS022 = {
    "zh": "error LS022 此文件是 Git LFS 指针，不是台账的 YAML 内容：在工作目录中请安装 git-lfs 并运行 "
          "git lfs pull（CI 中：actions/checkout 设 lfs: true）；--rev、diff 和提交钩子读取的是 "
          "git 中保存的内容，也就是这个指针，因此台账文件不要放进 Git LFS"
          "（删去 .gitattributes 中对它们的 filter=lfs）",
    "en": "error LS022 this file is a Git LFS pointer, not the ledger's YAML: in a checkout, "
          "install git-lfs and run `git lfs pull` (in CI: actions/checkout with lfs: true); "
          "--rev, diff and the hook read what git itself stores, which is the pointer, so keep "
          "ledger files out of Git LFS (drop their filter=lfs in .gitattributes)",
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The 渭南 example with tasks/city.yaml committed (and staged) as an LFS pointer,
    the real YAML in the working tree: what git-lfs leaves behind."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".luoshi-cache"))
    (root / ".gitattributes").write_text("tasks/*.yaml filter=lfs diff=lfs merge=lfs -text\n",
                                         encoding="utf-8")
    city = root / "tasks" / "city.yaml"
    real = city.read_bytes()
    city.write_text(POINTER, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "lfs")
    city.write_bytes(real)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rev_names_the_pointer(cli: Callable[..., Run], repo: Path, lang: str) -> None:
    run = cli("validate", ".", "--rev", "HEAD", "--as-of", "2021-06-30", "--lang", lang)
    assert run.exit_code == 1
    assert [ln for ln in run.stdout.splitlines() if " error " in ln] == [
        f"tasks/city.yaml:1:1: {LS022[lang]}"]
    # the working tree holds the real file: no finding there
    assert cli("validate", ".", "--as-of", "2021-06-30", "--select", "LS0,LS1").stdout == ""


def test_the_hook_names_the_pointer_in_the_index(cli: Callable[..., Run], repo: Path) -> None:
    """The index holds the pointer, as git-lfs leaves it."""
    run = cli("hook", "tasks/city.yaml", "--lang", "en")
    assert run.exit_code == 1
    assert [ln for ln in run.stdout.splitlines() if " error " in ln] == [
        f"tasks/city.yaml:1:1: {LS022['en']}"]


def test_a_checkout_without_git_lfs(cli: Callable[..., Run],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The working tree itself holds the pointer (git-lfs not installed when cloned);
    the English text is the case folder's expected.txt."""
    monkeypatch.chdir(Path(__file__).parent / "cases" / "invalid" / "lfs-pointer" / "ledger")
    run = cli("validate", ".", "--as-of", "2024-05-31")
    assert run.exit_code == 1
    assert run.stdout == f"tasks/lfs.yaml:1:1: {LS022['zh']}\n"
