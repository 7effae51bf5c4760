"""`luoshi bulletin`: the 通报 the office sends out each month and quarter (SPEC §7)."""

from __future__ import annotations

import os
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..core.codes import L
from ..core.periods import MAX_YEAR, MIN_YEAR, MONTH_RE
from .options import LangOpt, LedgerArg, RevOpt, YearOpt, as_of_or_fail, checked_ledger
from .ui import env_lang, fail

if TYPE_CHECKING:
    from ..core.model import Ledger


class BulletinFormat(StrEnum):
    md = "md"
    html = "html"


class Edition(StrEnum):
    internal = "internal"
    public = "public"


_QUARTER = re.compile(r"[Qq]?([1-4])\Z")


def bulletin(
    ledger: LedgerArg = None,
    quarter: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--quarter", "-q", help="The quarterly bulletin: Q1..Q4 (with --year).",
        show_default=False)] = None,
    year: YearOpt = None,
    month: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--month", "-m", help="The monthly bulletin: YYYY-MM.", show_default=False)] = None,
    as_of: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--as-of", help="The date to judge progress by, YYYY-MM-DD (default: the end of "
        "the month or quarter).", show_default=False)] = None,
    format: Annotated[Optional[BulletinFormat], typer.Option(  # noqa: UP045
        "--format", "-f", help="md (default) or html (one self-contained, printable file).",
        show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output", "-o", help="Write to FILE (atomically) instead of stdout.",
        show_default=False)] = None,
    template: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--template", help="Render with this Jinja template file instead of the default.",
        show_default=False)] = None,
    edition: Annotated[Edition, typer.Option(
        "--edition", help="internal (everything) or public (no full ranking, "
        "no deduction details).")] = Edition.internal,
    dump_template: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--dump-template", help="Write the default templates into DIR to start from, "
        "and stop.", show_default=False)] = None,
    lang: LangOpt = None,
    rev: RevOpt = None,
) -> None:
    """Render the bulletin (通报): progress, red/yellow lists, ranking, flags, deductions.

    --month YYYY-MM: progress as of the month's end; --quarter Qn: as of the
    quarter's end, with the quarter's scores when the ledger has a scheme and a
    record.  --as-of overrides the date.  Same inputs, same bytes.  A ledger's
    templates/ directory overrides the built-in templates by file name.
    """
    if dump_template is not None:
        _dump(dump_template, env_lang(lang))
        return
    msg_lang = env_lang(lang)
    if (quarter is None) == (month is None):
        fail(L("请指定 --quarter Qn（季度通报）或 --month YYYY-MM（月度通报）之一",
               "give exactly one of --quarter Qn (quarterly) or --month YYYY-MM (monthly)"),
             msg_lang)
    if quarter is not None and not _QUARTER.match(quarter.strip()):
        fail(L(f"--quarter {quarter} 无效：请写 Q1、Q2、Q3 或 Q4",
               f"--quarter {quarter} is not valid: write Q1, Q2, Q3 or Q4"), msg_lang)
    if month is not None:
        m = MONTH_RE.fullmatch(month.strip())
        if not m or not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
            fail(L(f"--month {month} 无效：请写成 YYYY-MM，例如 2024-05",
                   f"--month {month} is not valid: write YYYY-MM, e.g. 2024-05"), msg_lang)
        if year is not None and int(m.group(1)) != year:
            fail(L(f"--year {year} 与 --month {month} 的年份不一致",
                   f"--year {year} does not match --month {month}"), msg_lang)
    if template is not None and not template.is_file():
        fail(L(f"模板文件 {template} 不存在", f"template file {template} does not exist"),
             msg_lang)
    if output is not None:
        _check_output(output, msg_lang)
    fmt = _format(format, template)

    from ..report.bulletin import Request, default_as_of

    # the gate judges dates against the later of as-of and today (checked_ledger);
    # the default as-of is only known once the ledger has told us its year, so the
    # gate runs with today then, which is the same gate
    day = as_of_or_fail(as_of, lang)
    led = checked_ledger(ledger, day, lang, rev).loaded.ledger
    language = env_lang(lang) if lang else (led.language if led.language in ("zh", "en")
                                            else "zh")
    if month is not None:
        kind, period = "month", month.strip()
    else:
        assert quarter is not None
        y = year if year is not None else led.config.year
        if not y:
            fail(L("台账没有 year：请用 --year 指定年份", "the ledger has no year: give --year"),
                 language)
        kind, period = "quarter", f"{y}-Q{_QUARTER.match(quarter.strip()).group(1)}"  # type: ignore[union-attr]
    when = day if as_of else default_as_of(kind, period)
    req = Request(kind=kind, period=period, as_of=when, lang=language, edition=edition.value)
    text = _render(led, req, fmt, template, language, rev)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .ui import cannot_write, write_atomic

    if output.is_dir():
        fail(L(f"{output} 是目录", f"{output} is a directory"), language)
    try:
        write_atomic(output, text, follow=True)
    except OSError as exc:
        fail(cannot_write(output, exc), language)
    sys.stderr.write(f"wrote {output}\n" if language == "en" else f"已写入 {output}\n")


def _check_output(output: Path, lang: str) -> None:
    from .ui import UnsafeTarget, check_target

    try:
        check_target(output, follow=True)
    except UnsafeTarget as exc:
        fail(exc.label, lang)


def _format(given: BulletinFormat | None, template: Path | None) -> str:
    """--format, else what --template's name says (x.html.j2 → html), else md."""
    if given is not None:
        return given.value
    if template is not None and ".htm" in template.name.lower():
        return "html"
    return "md"


def _render(led: Ledger, req: Any, fmt: str, template: Path | None, language: str,
            rev: str | None = None) -> str:
    """Render with --template, else the ledger's templates/ (as of --rev when given:
    a bulletin reproduced from the tag that closed a quarter uses that quarter's
    templates), else the built-in ones."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="luoshi-templates-") as tmp:
        own = led.root / "templates"
        if rev is None:
            _no_links_out(led.root, language)
        if rev is not None:
            own = Path(tmp)
            _templates_at(led.root, rev, own, language)
        return _render_with(led, req, fmt, template, language, own,
                            (own, f"@{rev}") if rev is not None else None)


def _no_links_out(root: Path, language: str) -> None:
    """A one-line error (exit 2) when the ledger's templates/ is, or holds, a link out
    of the ledger root: a template linked to /etc/passwd, included by another
    (`{% include %}`), would print that file into the bulletin — a pull request's CI
    job must not publish it.  Links that stay inside the root are fine."""
    from ..load.assemble import link_out, walk

    def under(rel: str) -> bool:
        return rel == "templates" or rel.startswith("templates/")

    for rel in sorted(walk(root, under, under)):
        out = link_out(root, rel)
        if out is not None:
            fail(L(f"{rel}: {out.message('zh')}", f"{rel}: {out.message('en')}"), language)


def _templates_at(root: Path, rev: str, dest: Path, language: str) -> None:
    """Write the ledger's templates/ as committed at `rev` into `dest`."""
    from ..load.assemble import LedgerError
    from ..load.gitsrc import open_git
    from .ui import write_atomic

    try:
        at = open_git(root, rev)
    except LedgerError as exc:  # checked_ledger opened it a moment ago: a race at most
        fail(str(exc), language)
    try:
        for rel in at.glob("templates/**/*"):
            data = at.read_bytes(rel)
            if data is not None:
                target = dest / rel.removeprefix("templates/")
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, data)
    finally:
        at.close()


def _render_with(led: Ledger, req: Any, fmt: str, template: Path | None, language: str,
                 own: Path, committed: tuple[Path, str] | None) -> str:
    from .. import api
    from ..report.bulletin import TemplateProblem, builtin_templates

    root = led.root.resolve()
    builtin = builtin_templates().resolve()

    def shown(path: str) -> str:
        p = Path(path).resolve()
        if committed is not None and p.is_relative_to(committed[0].resolve()):
            rel = p.relative_to(committed[0].resolve()).as_posix()
            return f"templates/{rel}{committed[1]}"  # as committed at --rev
        if p.is_relative_to(root):
            return p.relative_to(root).as_posix()
        if p.is_relative_to(builtin):
            return f"(built-in) {p.relative_to(builtin).as_posix()}"
        return str(path)

    # a quarter that cannot be scored has no ranking section: the bulletin says why
    notes: list[L] = []
    try:
        return api.bulletin(led, req, fmt, template=template, own=own, shown=shown,
                            notes=notes)
    except TemplateProblem as exc:
        fail(L(f"模板错误：{exc}", f"template error: {exc}"), language)
    finally:
        for note in notes:
            sys.stderr.write("luoshi: " + (note.en if language == "en" else note.zh)
                             + (" — no ranking section" if language == "en"
                                else "——通报不含考核排名部分") + "\n")


def _dump(directory: Path, lang: str) -> None:
    """Write the built-in templates to start from; never overwrite a file."""
    from ..report.bulletin import builtin_templates
    from .ui import cannot_write, write_atomic

    src = builtin_templates()
    files = sorted(p for p in src.rglob("*") if p.is_file() and p.suffix == ".j2")
    if not files:
        fail(L("找不到内置模板（安装不完整？）", "the built-in templates are missing "
               "(incomplete installation?)"), lang)
    if directory.exists() and not directory.is_dir():
        fail(L(f"{directory} 已存在且不是目录：--dump-template 需要一个目录，且不会覆盖文件",
               f"{directory} exists and is not a directory: --dump-template writes into a "
               "directory and never overwrites files"), lang)
    clash = [directory / p.relative_to(src) for p in files
             if os.path.lexists(directory / p.relative_to(src))]  # a dangling link too
    if clash:
        fail(L(f"{clash[0]} 已存在：--dump-template 不会覆盖文件，请换一个目录",
               f"{clash[0]} exists: --dump-template never overwrites files; choose another "
               f"directory"), lang)
    try:
        for p in files:  # luoshi's own file names: never written through a link out of DIR
            write_atomic(directory / p.relative_to(src), p.read_bytes(), inside=directory)
    except OSError as exc:
        fail(cannot_write(Path(exc.filename) if exc.filename else directory, exc), lang)
    names = ", ".join(p.relative_to(src).as_posix() for p in files)
    sys.stderr.write(f"wrote {len(files)} templates to {directory}: {names}\n" if lang == "en"
                     else f"已将 {len(files)} 个默认模板写入 {directory}：{names}\n")


def register(app: typer.Typer) -> None:
    app.command("bulletin")(bulletin)
