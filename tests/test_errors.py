"""One exception tree (`core.errors`), one map to a message and an exit code
(`cli.errors`): whatever stops a command ends as one line and its code."""

from __future__ import annotations

import pytest

from luoshi_cli.cli.errors import mapped
from luoshi_cli.core.codes import L
from luoshi_cli.core.errors import (
    LedgerError,
    LuoshiError,
    NoLedgerAtRev,
    ScoringError,
    SheetError,
    TemplateProblem,
    UsageError,
)


def test_every_error_of_luoshi_is_in_the_tree() -> None:
    from luoshi_cli.cli.ui import CommandError
    from luoshi_cli.excel import sheet
    from luoshi_cli.load import assemble, gitsrc
    from luoshi_cli.ops import scoring
    from luoshi_cli.report import bulletin

    raised_by = [assemble.LedgerError, gitsrc.NoLedgerAtRev, scoring.ScoringError,
                 bulletin.TemplateProblem, sheet.SheetError, CommandError]
    assert raised_by == [LedgerError, NoLedgerAtRev, ScoringError, TemplateProblem,
                         SheetError, UsageError]
    assert all(issubclass(cls, LuoshiError) for cls in raised_by)
    assert issubclass(ScoringError, ValueError)  # history catches it as one


@pytest.mark.parametrize(("exc", "lang", "line", "code"), [
    (LedgerError("no such directory: x / 目录不存在：x"), "en",
     "luoshi: no such directory: x / 目录不存在：x\n", 2),
    (ScoringError(L("没有记录", "no record")), "en", "luoshi: no record\n", 1),
    (ScoringError(L("没有记录", "no record")), "zh", "luoshi: 没有记录\n", 1),
    (TemplateProblem("a.j2:3: unexpected end"), "zh", "luoshi: 模板错误：a.j2:3: unexpected end\n",
     2),
    (UsageError(L("中", "en"), 1, lang="en"), "zh", "luoshi: en\n", 1),
])
def test_the_map(exc: LuoshiError, lang: str, line: str, code: int,
                 capsys: pytest.CaptureFixture[str]) -> None:
    def command(lang: str | None = None) -> None:
        raise exc

    with pytest.raises(SystemExit) as stop:
        mapped(command)(lang=lang)
    assert stop.value.code == code
    assert capsys.readouterr().err == line


def test_a_library_error_below_a_command_is_one_line(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = cli("status", tmp_path / "nowhere", "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == f"luoshi: no such directory: {tmp_path / 'nowhere'}\n"


def test_no_ledger_here_is_told_in_the_users_language(cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The first message a newcomer meets (a command run outside a ledger) is in one
    language, Chinese by default: it used to be English first, then a shorter Chinese
    half without the advice."""
    nowhere = tmp_path / "nowhere"
    r = cli("status", nowhere)
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", f"luoshi: 目录不存在：{nowhere}\n")
    r = cli("validate", tmp_path)
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: {tmp_path} 不是台账目录：缺少 luoshi.yaml（新建台账请运行 luoshi init {tmp_path}）\n")
    r = cli("validate", tmp_path, "--lang", "en")
    assert r.stderr == (f"luoshi: {tmp_path} is not a ledger root: it has no luoshi.yaml "
                        f"(to start one, run: luoshi init {tmp_path})\n")
    monkeypatch.chdir(tmp_path)
    r = cli("score", "--quarter", "Q2")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: 当前目录及上级目录中都没有 luoshi.yaml：请指定台账目录，"
           "或运行 luoshi init DIR 新建台账\n")
    r = cli("status", "--lang", "en")
    assert r.stderr == ("luoshi: no luoshi.yaml here or in any parent directory: pass the "
                        "ledger directory, or run 'luoshi init DIR'\n")
    r = cli("import", "tasks", tmp_path / "x.xlsx", nowhere, "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: no such directory: {nowhere}\n")


def test_a_source_without_luoshi_yaml_is_one_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """open_ledger on a file source that holds no luoshi.yaml (a caller of the library
    that skips find_root): the message in each language, not both joined by " / "."""
    from luoshi_cli.load.assemble import DirSource, open_ledger

    with pytest.raises(LedgerError) as raised:
        open_ledger(None, DirSource(tmp_path))
    assert raised.value.label == L(f"{tmp_path} 中没有 luoshi.yaml",
                                   f"{tmp_path} has no luoshi.yaml")
