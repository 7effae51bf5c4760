"""The typer app: one thin function per command, each in a `*_cmd` module of `cli/`.

Commands parse options, call `api` and print; they never hold domain logic.  Heavy imports happen inside the commands so that start-up stays
fast (`luoshi --help` does not import Jinja or openpyxl).
"""

from __future__ import annotations

import typer

from .. import __version__
from . import errors, init_cmd, validate_cmd

app = typer.Typer(
    name="luoshi",
    help="落实 luoshi — task ledgers (台账) as YAML in git: validate, status, score, bulletin.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"luoshi {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """落实 luoshi — task ledgers (台账) as YAML in git."""
    from ..fast import use_progress
    from .progress import terminal_progress

    use_progress(terminal_progress())  # a bar while a large ledger is parsed, on a terminal


app.command("validate")(validate_cmd.validate)
app.command("init")(init_cmd.init)

# commands added by later modules register here, in the order shown in --help
for _name in ("status", "score", "bulletin", "diff", "schema", "export", "import",
              "rollup"):
    _mod = __import__(f"luoshi_cli.cli.{_name}_cmd", fromlist=["register"])
    _mod.register(app)

# the one place an exception becomes a message and an exit code
errors.install(app)
