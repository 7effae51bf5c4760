"""The typer app: one thin function per command, each in a `*_cmd` module of `cli/`.

Commands parse options, call `api` and print; they never hold domain logic.  Heavy imports happen inside the commands so that start-up stays
fast (`luoshi --help` does not import Jinja or openpyxl).
"""

from __future__ import annotations

import copy
import os

import typer

from .. import __version__
from . import errors, init_cmd, ui, validate_cmd
from .options import LangBeforeOpt

app = typer.Typer(
    name="luoshi",
    help="落实 luoshi — task ledgers (台账) as YAML in git: validate, status, score, bulletin.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"luoshi {__version__}")
        raise typer.Exit()


def _color_option(value: str) -> str:
    """--color auto|always|never (any case); anything else is refused, exit 2."""
    choice = value.strip().lower()
    if choice not in ("auto", "always", "never"):
        typer.echo(f"luoshi: --color {value} 无效：请写 auto、always 或 never / "
                   f"--color {value} is not valid: write auto, always or never", err=True)
        raise typer.Exit(ui.EXIT_USAGE)
    ui.COLOR_CHOICE[:] = [choice]
    return choice


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    color: str = typer.Option("auto", "--color", metavar="auto|always|never",
                              callback=_color_option,
                              help="Colours: auto (a terminal, unless NO_COLOR is set; "
                              "FORCE_COLOR forces them), always or never."),
    lang: LangBeforeOpt = None,
) -> None:
    """落实 luoshi — task ledgers (台账) as YAML in git."""
    from ..fast import use_progress
    from .progress import terminal_progress

    use_progress(terminal_progress())  # a bar while a large ledger is parsed, on a terminal


app.command("validate")(validate_cmd.validate)
app.command("init")(init_cmd.init)

# commands added by later modules register here, in the order shown in --help
for _name in ("status", "score", "bulletin", "diff", "schema", "export", "import",
              "rollup", "supervise", "hook"):
    _mod = __import__(f"luoshi_cli.cli.{_name}_cmd", fromlist=["register"])
    _mod.register(app)

# the one place an exception becomes a message and an exit code
errors.install(app)


def main_command(argv: list[str]) -> typer.core.TyperGroup:
    """The Click command `luoshi` runs: help, headings and usage errors in Chinese
    unless `--lang en` or LUOSHI_LANG=en (`zh.help_lang`); a usage error of a command
    that reads a ledger is in that ledger's `language:` when no `--lang` is given
    (`zh._usage_lang`)."""
    from . import zh

    command = typer.main.get_command(_invoked(app, argv))
    if zh.help_lang(argv) == "zh":
        zh.localize(command)
    else:
        zh.english()
    return command  # type: ignore[return-value]


def _invoked(whole: typer.Typer, argv: list[str]) -> typer.Typer:
    """`whole` with only the command (or group) `argv` starts with, when it starts with
    one: Click dispatches to that command alone, and typer reads the signature of
    every command it builds (evaluating each annotation: 20 ms of every run for the
    twelve commands, spent before any work).  What the command prints, its help and
    its usage errors are the same.  `luoshi`, `luoshi --help`, an option first, a
    mistyped command or shell completion (which lists every command) get them all."""
    if not argv or any(k.startswith("_LUOSHI_COMPLETE") for k in os.environ):
        return whole
    name = argv[0]
    commands = [c for c in whole.registered_commands if c.name == name]
    groups = [g for g in whole.registered_groups if g.name == name]
    if not commands and not groups:
        return whole
    only = copy.copy(whole)  # the registered lists are replaced, never changed
    only.registered_commands, only.registered_groups = commands, groups
    return only
