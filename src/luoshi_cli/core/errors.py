"""The one exception tree: why a command cannot go on at all.

Bad content is never an exception — it is a finding (`core.finding`).  An exception
is for what stops a command before it can say anything about the ledger: no ledger
at that place, an unknown git revision, a period that cannot be scored, a broken
template or workbook, a bad option.  Each carries its message in both languages and
the exit code it ends with; `cli.errors` is the one place that prints it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .codes import L

if TYPE_CHECKING:  # start-up: every command imports this module
    from pathlib import Path

    from .finding import Finding

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class LuoshiError(Exception):
    """A one-line, bilingual reason; the CLI prints it and exits with `code`.

    `lang` is set where the language of the message is already known (a ledger's
    own `language:`); otherwise the CLI uses --lang / LUOSHI_LANG."""

    code: int = EXIT_USAGE

    def __init__(self, message: L | str, code: int | None = None, *,
                 lang: str | None = None) -> None:
        self.label = message if isinstance(message, L) else L(message, message)
        if code is not None:
            self.code = code
        self.lang = lang
        super().__init__(self._text(message))

    def _text(self, message: L | str) -> str:
        return str(message)


class UsageError(LuoshiError):
    """An option or argument that cannot be used (a date that is not a date)."""


CommandError = UsageError
"""The name the commands have always used."""


class LedgerError(LuoshiError):
    """The command cannot run at all (exit 2): no ledger root, unreadable config, git
    unusable."""


class NotInRepository(LedgerError):
    """A directory git was asked about is not inside a git repository (`where`): the
    command that asked may say so in its own terms (`luoshi hook`)."""

    def __init__(self, message: L | str, where: Path) -> None:
        super().__init__(message)
        self.where = where


class NoLedgerAtRev(LedgerError):
    """The revision exists but holds no ledger at that place (e.g. it was added later)."""


class ScoringError(LuoshiError, ValueError):
    """The period cannot be scored (no scheme, no record, a missing quarter): exit 1.

    `str()` gives both languages, for callers that only have room for one line."""

    code = EXIT_FINDINGS

    def _text(self, message: L | str) -> str:
        label = message if isinstance(message, L) else L(message, message)
        return f"{label.en} / {label.zh}"


class LedgerRejected(LuoshiError):
    """The ledger has errors, and a published document (status, scores, a bulletin) is
    never made from a ledger that validate rejects: exit 1, the errors attached."""

    code = EXIT_FINDINGS

    def __init__(self, errors: list[Finding], language: str, root: Path | None = None) -> None:
        super().__init__(self._advice(len(errors), "luoshi validate"))
        self.errors = errors
        self.language = language
        #: the ledger's root, so that the errors can name their files as `validate` does
        self.root = root

    @staticmethod
    def _advice(n: int, command: str) -> L:
        from .labels import counted  # (labels imports the model: not at start-up)

        return L(f"台账有 {n} 个错误，请先修正（{command} 查看全部）",
                 f"the ledger has {counted(n, 'error')}; fix "
                 f"{'it' if n == 1 else 'them'} first (see {command})")

    def name_ledger(self, ledger: str | None, rev: str | None) -> None:
        """Advise the `validate` that shows these errors: the ledger path as the command
        was given it (None: the current directory's ledger) and its `--rev`, each one
        word of a command line (`luoshi validate --rev HEAD~1 'my ledger'`)."""
        from .safetext import shell_path, shell_word

        command = "luoshi validate"
        if rev is not None:
            command += f" --rev {shell_word(rev)}"
        if ledger is not None:
            command += f" {shell_path(ledger)}"
        self.label = self._advice(len(self.errors), command)
        self.args = (str(self.label),)


class TemplateProblem(LuoshiError):
    """A template could not be read or rendered: one line, with file and line."""


class SheetError(LuoshiError):
    """The workbook or sheet cannot be used at all (exit 2)."""

    def _text(self, message: L | str) -> str:
        return message.en if isinstance(message, L) else message
