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
    assert r.stderr == f"luoshi: no such directory: {tmp_path / 'nowhere'} / 目录不存在：{tmp_path / 'nowhere'}\n"
