"""Options and steps shared by commands."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..core.codes import L
from ..core.periods import MAX_YEAR, MIN_YEAR
from .ui import (
    EXIT_USAGE,
    LANG_CHOICE,
    CommandError,
    bad_lang,
    fail,
    lang_of,
    lang_value,
    parse_date,
    use_color,
)

if TYPE_CHECKING:
    from ..core.errors import LedgerRejected
    from ..core.finding import Finding
    from ..core.model import Ledger
    from ..ops.validate import Validation

LedgerArg = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional at runtime
    # metavar: `luoshi status [LEDGER]` as every page of the docs writes it (typer's
    # default is the parameter's name in lower case, `[ledger]`)
    typer.Argument(help="Ledger root (default: the nearest directory with luoshi.yaml).",
                   show_default=False, metavar="LEDGER"),
]
AsOfOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--as-of", metavar="YYYY-MM-DD",
                 help="The date to judge by, YYYY-MM-DD (default: the earlier "
                 "of today and the end of the ledger's year).",
                 show_default=False),
]


def lang_option(value: str | None) -> str | None:
    """--lang: zh or en in any case (`EN` is en); anything else is refused at once,
    exit 2, rather than read silently as Chinese.  Not given: the `--lang` given
    before the command (`luoshi --lang en status`), if any."""
    if value is None:
        return LANG_CHOICE[-1] if LANG_CHOICE else None
    lang = lang_value(value)
    if lang is None:
        sys.stderr.write(bad_lang(value))
        raise typer.Exit(EXIT_USAGE)
    return lang


def lang_before_command(value: str | None) -> str | None:
    """`luoshi --lang en …`: checked as any `--lang`, and kept for the command that
    follows (`LANG_CHOICE`).  Called on every run, so a run without it forgets the
    last one's (tests run many in one process)."""
    LANG_CHOICE.clear()
    return lang_of_group(value)


def lang_of_group(value: str | None) -> str | None:
    """`luoshi import --lang en updates …`: the same for the commands of a group (after
    `luoshi`'s own, which it replaces when given)."""
    if value is None:
        return None
    lang = lang_option(value)
    LANG_CHOICE[:] = [lang] if lang is not None else []
    return lang


LangBeforeOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--lang", metavar="zh|en",
                 help="zh or en for the command that follows (its own --lang "
                 "wins).", show_default=False, callback=lang_before_command),
]
LangOfGroupOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--lang", metavar="zh|en",
                 help="zh or en for the command that follows (its own --lang "
                 "wins).", show_default=False, callback=lang_of_group),
]


LangOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--lang", metavar="zh|en",
                 help="zh or en (default: the ledger's language, zh when it has none).",
                 show_default=False, callback=lang_option),
]
RevOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--rev", metavar="REV", help="Read the ledger as it was at this git revision "
                 "(a tag, branch or commit).", show_default=False),
]
def year_option(value: int | None) -> int | None:
    """--year: a four-digit year.  Periods are written YYYY and YYYY-Qn (SPEC §3), and
    dates end at 9999: `--year 10000`, `-5` or `0` are refused here, exit 2, instead of
    failing deep inside as "not a period".  A usage error, so that it is told in one
    language, as the command's other refused options are (`--lang`, else the ledger's
    `language:`: `zh._usage_lang`); `zh._ERRORS` has its Chinese."""
    if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
        raise typer.BadParameter(
            f"{value} is not a four-digit year ({MIN_YEAR}-{MAX_YEAR})")
    return value


YearOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--year", metavar="YYYY",
                 help="The year (default: the ledger's year).", show_default=False,
                 callback=year_option),
]


def as_of_or_fail(text: str | None, lang: str | None) -> date:
    try:
        return parse_date(text)
    except CommandError as exc:
        fail(exc.label, lang_of(lang))


def checked_ledger(root: Path | None, as_of: date | None, lang: str | None,
                   rev: str | None = None, *, scoring: bool = False,
                   named: bool = False) -> Validation:
    """Load and validate; refuse (exit 1, findings on stderr) when there are errors.

    Scores and bulletins are published documents: they are never computed from a
    ledger that validate rejects.  The gate judges dates against the later of `as_of`
    and today: `--as-of` in the past shows the past (a milestone done after it counts
    as not yet done), but a completion dated after today is still an error.  `as_of`
    None: the ledger's default day (`api.checked`).
    `scoring`: a ledger for `score` alone (`api.checked_for_scoring`).  `named`: the
    errors name their files by the ledger's full path when it is not inside the
    current directory (`rollup`: several ledgers).
    """
    from .. import api
    from ..core.errors import LedgerRejected

    try:
        today = date.today()
        if scoring:
            return api.checked_for_scoring(root, as_of or today, today=today, rev=rev)
        return api.checked(root, as_of, today=today, rev=rev)
    except LedgerRejected as exc:
        _show_rejected(exc, lang, named, root, rev)
        raise


def checked_status(root: Path | None, as_of: date | None, lang: str | None, *,
                   table: bool = False) -> tuple[Validation, date]:
    """`checked_ledger` for `status`: the gate, each task's status row at `as_of`
    (None: the earlier of today and the ledger year's end), and that day
    (`api.checked_status`); with `table`, rows for the table in the language the
    command speaks (`--lang`, else the ledger's)."""
    from .. import api
    from ..core.errors import LedgerRejected

    try:
        return api.checked_status(
            root, as_of, today=date.today(),
            table=(lambda led: lang_of(lang) if lang else led.language) if table else None)
    except LedgerRejected as exc:
        _show_rejected(exc, lang, False, root, None)
        raise


def _show_rejected(exc: LedgerRejected, lang: str | None, named: bool, root: Path | None,
                   rev: str | None) -> None:
    """A gate's errors on stderr, their files named as `luoshi validate` names them
    (from the current directory when the ledger is inside it); `named`: by the
    ledger's full path otherwise — `rollup` reads several ledgers, and each has its
    tasks/a.yaml.  The message advises the `luoshi validate` that shows them: with the
    ledger `root` given (unless it is the current directory) and `--rev`."""
    from ..report.findings import render_text

    exc.lang = lang or exc.language
    exc.name_ledger(_ledger_word(root), rev)
    errors = exc.errors
    if exc.root is not None:
        prefix = from_cwd(exc.root)
        errors = prefixed(errors, prefix or (exc.root.resolve().as_posix() if named else ""))
    render_text(errors, sys.stderr, exc.lang, use_color(sys.stderr))


def _ledger_word(root: Path | None) -> str | None:
    """The ledger as `luoshi validate` should be given it: as the command was (`wbr`),
    None for the current directory (or none given: validate finds it the same way)."""
    if root is None:
        return None
    try:
        if Path(root).resolve() == Path.cwd().resolve():
            return None
    except OSError:
        pass
    return str(root)


def prefixed(findings: list[Finding], prefix: str) -> list[Finding]:
    """`findings` with `prefix/` before their file names ("" or ".": as they are)."""
    from dataclasses import replace

    if prefix in ("", "."):
        return findings
    return [replace(f, file=f"{prefix}/{f.file}") for f in findings]


def from_cwd(root: Path) -> str:
    """Text findings name files from the current directory when the ledger is inside
    it, so that a hook run at the repository root prints
    `ledgers/beilin-2024/tasks/x.yaml:3:5`, which an editor or terminal opens as it
    stands.  A ledger elsewhere keeps ledger-relative names (`tasks/x.yaml`): a path
    of `../../` steps helps no one."""
    try:
        return root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return ""



#: what each kind of id is called and where it is defined, for resolve_id's messages
KINDS: dict[str, tuple[L, str]] = {
    "unit": (L("单位", "unit"), "units.yaml"),
    "leader": (L("领导", "leader"), "units.yaml"),
    "category": (L("类别", "category"), "luoshi.yaml"),
    "tag": (L("标签", "tag"), "luoshi.yaml"),
}


def named(led: Ledger, kind: str) -> dict[str, str]:
    """id → name of a ledger's units, leaders, categories or tags."""
    if kind == "unit":
        return {k: u.name for k, u in led.units.items()}
    if kind == "leader":
        return {k: p.name for k, p in led.leaders.items()}
    if kind == "category":
        return {c.id: c.name for c in led.config.categories}
    return {t.id: t.name for t in led.config.tags}


def resolve_id(led: Ledger, kind: str, text: str | None, option: str, lang: str) -> str | None:
    """The id an option names, by id or by name (`--unit 经济发展局` is `jingfaju`):
    the one way every option taking a unit, leader, category or tag reads its value.

    A clerk knows the names; ids are for files.  Anything else is refused (exit 2)
    with the closest ids and names (`checks.registry.close_matches`, bounded as the
    ledger checks' "did you mean"); a name that
    two entries share is refused with both ids."""
    if text is None:
        return None
    from ..core.safetext import terminal

    value = text.strip()
    ids = named(led, kind)
    if value in ids:
        return value
    owners = [i for i, name in ids.items() if name.strip() == value]
    if not owners:  # in another case (`--unit JINCHENGSHEQU`: ids are lowercase by spec)
        folded = value.casefold()
        owners = [i for i in ids if i.casefold() == folded] or [
            i for i, name in ids.items() if name.strip().casefold() == folded]
    what, where = KINDS[kind]
    if len(owners) == 1:
        return owners[0]
    if owners:
        zh = "、".join(terminal(o) for o in owners)
        fail(L(f"{option} {value}：有 {len(owners)} 个{what.zh}叫这个名称（{zh}）：请写代码",
               f"{option} {value}: {len(owners)} {what.en}s have this name "
               f"({', '.join(terminal(o) for o in owners)}): write the id"), lang)
    from ..checks.registry import close_matches

    by_name = {name.strip(): i for i, name in ids.items()}
    # bounded as the checks' hints are: every id and name is compared only among a
    # few hundred short ones (a --unit of 60 characters against 20,000 units named by
    # 60 characters took 4.1 CPU-s by difflib over all of them)
    near = close_matches(value, [*ids, *by_name], n=3)
    pairs = list(dict.fromkeys((by_name[n], n) if n in by_name and n not in ids
                               else (n, ids[n]) for n in near))
    zh = "、".join(f"{terminal(i)}（{terminal(name)}）" for i, name in pairs)
    en = ", ".join(f"{terminal(i)} ({terminal(name)})" for i, name in pairs)
    hint = L(f"；是否想写 {zh}？", f"; did you mean {en}?") if pairs else L("", "")
    if not pairs and 0 < len(ids) <= 12:  # nothing close: a short list is shown whole
        hint = L("；有：" + "、".join(f"{terminal(i)}（{terminal(n)}）" for i, n in ids.items()),
                 "; known: " + ", ".join(f"{terminal(i)} ({terminal(n)})" for i, n in ids.items()))
    fail(L(f"{option} {value}：台账中没有这个{what.zh}（代码或名称，见 {where}）{hint.zh}",
           f"{option} {value}: no {what.en} with this id or name in the ledger "
           f"(see {where}){hint.en}"), lang)


def unit_id(led: Ledger, text: str | None, option: str, lang: str) -> str | None:
    """The unit an option names, by id or by name (see `resolve_id`)."""
    return resolve_id(led, "unit", text, option, lang)
