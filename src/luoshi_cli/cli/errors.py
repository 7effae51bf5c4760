"""The one map from the exception tree (`core.errors`) to a message and an exit code.

Every command is wrapped here when the app is built: a `LuoshiError` raised anywhere
below a command — the library, or the command itself through `ui.fail` — becomes
`luoshi: <message>` on stderr in the user's language and the error's exit code, and
nothing else does.  (What no one foresaw is `__main__`'s last line of defence.)
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, NoReturn, TypeVar

import typer

from ..core.codes import L
from ..core.errors import LuoshiError, TemplateProblem
from ..core.safetext import document_text, printable

F = TypeVar("F", bound=Callable[..., Any])

#: how an error is introduced, where its own text does not say what kind it is
PREFIX: dict[type[LuoshiError], L] = {
    TemplateProblem: L("模板错误：", "template error: "),
}


def message(exc: LuoshiError, lang: str) -> str:
    prefix = next((p for cls, p in PREFIX.items() if isinstance(exc, cls)), L("", ""))
    if lang == "en":
        return prefix.en + exc.label.en
    return prefix.zh + exc.label.zh


def exit_with(exc: LuoshiError, lang: str) -> NoReturn:
    # a message may quote a ledger's or a workbook's text, a file name or an option's
    # value: no control character, line break or bidi override of theirs reaches the
    # terminal (`printable()`: the message is one line, which starts "luoshi: ", so no
    # `::` of it starts a line), nor a workflow command that runs from anywhere on a
    # line of a CI log, stderr too (`##[stop-commands]`: `document_text()` escapes it).
    # Not `terminal()`, which escapes every `::` — Chromium's `net::ERR_FILE_NOT_FOUND`
    # in its refusal became `net\x3a:ERR_…` for nothing
    sys.stderr.write(f"luoshi: {document_text(printable(message(exc, lang)))}\n")
    raise SystemExit(exc.code)


#: the language the running command speaks, once it has read the ledger (`speaks`)
_SPOKEN: ContextVar[str | None] = ContextVar("luoshi_spoken", default=None)


def speaks(lang: str) -> str:
    """Record `lang` as the command's language (the ledger's, or --lang), and give it
    back: an error raised later that does not know its own language — a template
    error, a bulletin refused for missing scores, Chromium failing — is told in it,
    not in LUOSHI_LANG's (an English ledger's bulletin refused in Chinese)."""
    _SPOKEN.set(lang)
    return lang


def spoken() -> str | None:
    """The command's language once recorded (`speaks`), else None."""
    return _SPOKEN.get()


def mapped(fn: F) -> F:
    """`fn` with every `LuoshiError` turned into its message and exit code: in the
    error's own language, else the command's (`speaks`), else `ui.lang_of`'s (--lang,
    the ledger's `language:`, LUOSHI_LANG).  A command with a LEDGER (`ledger`, an
    argument or `--ledger`) has it recorded for `ui.lang_of` while it runs."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        from .ui import COMMAND_LEDGER, lang_of

        token = _SPOKEN.set(None)
        ledger = COMMAND_LEDGER.set((kwargs["ledger"],) if "ledger" in kwargs else None)
        try:
            return fn(*args, **kwargs)
        except LuoshiError as exc:
            exit_with(exc, exc.lang or _SPOKEN.get() or lang_of(kwargs.get("lang")))
        finally:
            COMMAND_LEDGER.reset(ledger)
            _SPOKEN.reset(token)

    return run  # type: ignore[return-value]


def install(app: typer.Typer) -> None:
    """Wrap every command of `app` and of its sub-apps (`luoshi import tasks`)."""
    for info in app.registered_commands:
        if info.callback is not None:
            info.callback = mapped(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            install(group.typer_instance)
