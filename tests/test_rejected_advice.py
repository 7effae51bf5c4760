"""A document refused for a ledger with errors names the `luoshi validate` that shows
them: the ledger path as given (quoted for the shell) and the --rev, not a bare
`luoshi validate`, which from elsewhere finds no ledger, or the working tree's."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run, commit, edit, git


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    led = tmp_path / "wbr"
    shutil.copytree(EXAMPLE, led)
    edit(led / "records" / "2021-Q2.yaml", "jinchengshequ: {hotline: 94,",
         "jinchengshequ: {hotline: 194,")
    monkeypatch.chdir(tmp_path)
    return led


def _last(r: Run) -> str:
    assert r.exit_code == 1
    return r.stderr.splitlines()[-1]


def test_a_ledger_given_by_path(cli: Callable[..., Run], broken: Path) -> None:
    assert _last(cli("status", "wbr")) == "luoshi: 台账有 1 个错误，请先修正（luoshi validate wbr 查看全部）"
    assert _last(cli("score", "wbr", "-q", "Q2", "--lang", "en")) == (
        "luoshi: the ledger has 1 error; fix it first (see luoshi validate wbr)")


def test_the_current_directory(cli: Callable[..., Run], broken: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(broken)
    assert _last(cli("status")) == "luoshi: 台账有 1 个错误，请先修正（luoshi validate 查看全部）"
    assert _last(cli("status", ".")) == "luoshi: 台账有 1 个错误，请先修正（luoshi validate 查看全部）"


def test_a_path_quoted_for_the_shell(cli: Callable[..., Run], broken: Path) -> None:
    broken.rename(broken.parent / "my -ledger")
    assert _last(cli("bulletin", "my -ledger", "-q", "Q2")) == (
        "luoshi: 台账有 1 个错误，请先修正（luoshi validate 'my -ledger' 查看全部）")


def test_a_revision(cli: Callable[..., Run], broken: Path) -> None:
    git(broken, "init", "-q")
    commit(broken, "broken")
    assert _last(cli("status", "--rev", "HEAD", "wbr")) == (
        "luoshi: 台账有 1 个错误，请先修正（luoshi validate --rev HEAD wbr 查看全部）")
    assert _last(cli("export", "wbr", "--rev", "HEAD~0", "-o", "x.xlsx")) == (
        "luoshi: 台账有 1 个错误，请先修正（luoshi validate --rev 'HEAD~0' wbr 查看全部）")
