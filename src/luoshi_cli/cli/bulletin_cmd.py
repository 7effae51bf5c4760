"""`luoshi bulletin`: the 通报 the office sends out each month and quarter (SPEC §7)."""

from __future__ import annotations

import io
import os
import re
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..core.codes import L
from ..fsio import path_is
from .errors import speaks
from .options import (
    LangOpt,
    LedgerArg,
    RevOpt,
    YearOpt,
    as_of_or_fail,
    checked_ledger,
    from_cwd,
    prefixed,
    unit_id,
)
from .ui import (
    CommandError,
    check_output,
    fail,
    lang_of,
    month_or_fail,
    output_format,
    parse_date,
    stdout_or_file,
    use_color,
    year_agrees,
)

if TYPE_CHECKING:
    from ..fast.results import ResultMemo


class BulletinFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    pdf = "pdf"


class Edition(StrEnum):
    internal = "internal"
    public = "public"


_QUARTER = re.compile(r"[Qq]?([1-4])\Z")
_HALF = re.compile(r"[Hh]([12])\Z")


def bulletin(
    ledger: LedgerArg = None,
    quarter: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--quarter", "-q", metavar="Qn", help="The quarterly bulletin: Q1..Q4 (with --year).",
        show_default=False)] = None,
    year: YearOpt = None,
    month: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--month", "-m", metavar="YYYY-MM",
        help="The monthly bulletin: YYYY-MM.", show_default=False)] = None,
    half: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--half", metavar="H1|H2", help="The half-year bulletin: H1 or H2 (with --year).",
        show_default=False)] = None,
    annual: Annotated[bool, typer.Option(
        "--annual", help="The annual bulletin: the year's ranking, grades, vetoes and "
        "deductions.")] = False,
    unit: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--unit", metavar="UNIT",
        help="One unit's notice (一单位一通报) for the period: its tasks, lights, "
        "score and rank (unit id or name).", show_default=False)] = None,
    as_of: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--as-of", metavar="YYYY-MM-DD",
        help="The date to judge progress by, YYYY-MM-DD (default: the end of "
        "the period).", show_default=False)] = None,
    format: Annotated[Optional[BulletinFormat], typer.Option(  # noqa: UP045
        "--format", "-f", help="md (default), html (one printable file), docx (Word; "
        "needs python-docx: pip install '.[docx]' in luoshi's source directory) or pdf "
        "(needs Chromium); default: what -o's extension says.",
        show_default=False, case_sensitive=False)] = None,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout "
        "(-o -: stdout).",
        show_default=False)] = None,
    template: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--template", metavar="FILE",
        help="Render with this Jinja template file instead of the default.",
        show_default=False)] = None,
    edition: Annotated[Edition, typer.Option(
        "--edition", help="internal (everything) or public (no full ranking, "
        "no deduction details).", case_sensitive=False)] = Edition.internal,
    doc_no: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--doc-no", metavar="TEXT",
        help="The document number (文号), e.g. 碑督通〔2024〕5号 (default: "
        "luoshi.yaml's doc_no with {year} = the year of --date and {n} = --issue).",
        show_default=False)] = None,
    issue: Annotated[Optional[int], typer.Option(  # noqa: UP045
        "--issue", help="The issue number N (第N期; {n} in luoshi.yaml's doc_no).",
        show_default=False, min=1, metavar="N")] = None,
    signed: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--date", metavar="YYYY-MM-DD",
        help="The document's date (成文日期), YYYY-MM-DD (default: the data "
        "cut-off).", show_default=False)] = None,
    allow_other_year: Annotated[bool, typer.Option(
        "--allow-other-year", help="Allow a period outside the ledger's year.")] = False,
    allow_missing: Annotated[bool, typer.Option(
        "--allow-missing", help="Rank although some scores are missing (the bulletin "
        "says so).")] = False,
    dump_template: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--dump-template", metavar="DIR",
        help="Write the default templates into DIR to start from, "
        "and stop.", show_default=False)] = None,
    lang: LangOpt = None,
    rev: RevOpt = None,
) -> None:
    """Render the bulletin (通报): progress, red/yellow lists, ranking, flags, deductions.

    --month YYYY-MM, --quarter Qn, --half H1|H2 or --annual: progress as of the
    period's end, with the quarter's (or year's, or — for a scheme with monthly
    components — the month's) scores when the ledger has a scheme and records.  --as-of overrides the date.  Same inputs, same bytes.  A ledger's
    templates/ directory overrides the built-in templates by file name.
    """
    if dump_template is not None:
        _dump(dump_template, lang_of(lang))
        return
    msg_lang = lang_of(lang)
    given = [o for o, v in (("--month", month), ("--quarter", quarter), ("--half", half),
                            ("--annual", annual or None)) if v is not None]
    if len(given) != 1:
        fail(L("请指定 --month YYYY-MM、--quarter Qn、--half H1|H2 或 --annual 之一",
               "give exactly one of --month YYYY-MM, --quarter Qn, --half H1|H2 or --annual"),
             msg_lang)
    if quarter is not None and not _QUARTER.match(quarter.strip()):
        fail(L(f"--quarter {quarter} 无效：请写 Q1、Q2、Q3 或 Q4",
               f"--quarter {quarter} is not valid: write Q1, Q2, Q3 or Q4"), msg_lang)
    if half is not None and not _HALF.match(half.strip()):
        fail(L(f"--half {half} 无效：请写 H1（上半年）或 H2（下半年）",
               f"--half {half} is not valid: write H1 or H2"), msg_lang)
    typed_month, month = month, month_or_fail(month, msg_lang)  # 2024-5 is 2024-05
    if month is not None:
        year_agrees(year, month, typed_month, msg_lang)
    if template is not None and not path_is(template, "file"):
        fail(_not_a_template(template), msg_lang)
    fmt = _format(format, template, output, msg_lang)
    if template is not None and fmt == "docx":
        # the Word edition is built from the context by code: a template would be ignored
        fail(L(f"--template {template}：Word 文档（docx）不由模板生成，模板不起作用；"
               "请去掉 --template，或改为 md、html 或 pdf 输出",
               f"--template {template}: Word output (docx) is not built from templates, "
               "so the template would be ignored; leave out --template, or write md, "
               "html or pdf"), msg_lang)
    output = stdout_or_file(output, fmt, msg_lang)  # -o -: stdout
    if output is not None:
        check_output(output, ledger, msg_lang, fmt)
    if output is None and fmt in ("docx", "pdf"):
        fail(L(f"{fmt} 是二进制文件：请用 -o 指定输出文件",
               f"{fmt} is a binary file: give -o FILE"), msg_lang)
    when = as_of_or_fail(as_of, lang) if as_of is not None else None
    signed_on = parse_date_or_fail(signed, "--date", msg_lang)

    memo = None
    # kept: what luoshi's own code and templates make — not a PDF (Chromium and the
    # fonts installed make it); a Word file names the python-docx that wrote it
    if rev is None and template is None and fmt in ("md", "html", "docx"):
        from ..report.bulletin import builtin_templates
        from .kept import lookup

        request: dict[str, object] = {
            "quarter": quarter, "year": year, "month": month, "half": half, "annual": annual,
            "unit": unit, "as_of": when.isoformat() if when else None, "format": fmt,
            "edition": edition.value, "doc_no": doc_no, "issue": issue,
            "signed": signed_on.isoformat() if signed_on else None,
            "allow_other_year": allow_other_year, "allow_missing": allow_missing,
            "lang": lang}
        if fmt == "docx":
            request["python-docx"] = _docx_version()
        memo = lookup(ledger, "bulletin", request, trees=[builtin_templates()],
                      templates=True, terminal_matters=False)
        kept = memo.get() if memo is not None else None
        if kept is not None:  # the same request on the same files and templates
            sys.stderr.write(kept[1])
            _deliver(kept[0], output, kept[2])
            return
    data, language = _make(ledger, lang, rev, when, year, month, quarter, half, unit,
                           edition, doc_no, issue, signed_on, allow_missing,
                           allow_other_year, fmt, template, memo)
    _deliver(data, output, language)


def _not_a_template(template: Path) -> L:
    """Why `--template` names no template file: it is not there, or it is a directory,
    a FIFO, a device (/dev/zero) or a broken link — each said as what it is (all
    were "模板文件 … 不存在")."""
    from ..fsio import file_kind

    try:
        mode = os.stat(template).st_mode
    except OSError:
        if os.path.islink(template):
            return L(f"--template {template}：这是失效的符号链接（指向 {os.readlink(template)}），"
                     "不是模板文件",
                     f"--template {template}: this is a broken symbolic link (to "
                     f"{os.readlink(template)}), not a template file")
        return L(f"模板文件 {template} 不存在", f"template file {template} does not exist")
    kind = file_kind(mode)
    return L(f"--template {template}：这是{kind.zh}，不是模板文件",
             f"--template {template}: this is {kind.en}, not a template file")


def _make(ledger: Path | None, lang: str | None, rev: str | None, when: date | None,
          year: int | None, month: str | None, quarter: str | None, half: str | None,
          unit: str | None, edition: Edition, doc_no: str | None, issue: int | None,
          signed_on: date | None, allow_missing: bool, allow_other_year: bool, fmt: str,
          template: Path | None, memo: ResultMemo | None) -> tuple[bytes, str]:
    """The bulletin's bytes and the language the command speaks; kept in `memo` (the
    notes on stderr with it) when given."""
    from .. import api

    # the gate judges dates against the later of as-of and today (checked_ledger)
    validation = checked_ledger(ledger, when or date.today(), lang, rev)
    led = validation.loaded.ledger
    language = speaks(lang_of(lang) if lang else (
        led.language if led.language in ("zh", "en") else "zh"))
    unit = unit_id(led, unit, "--unit", language)
    y = year if year is not None else led.config.year
    if month is None and not y:
        fail(L("台账没有 year：请用 --year 指定年份", "the ledger has no year: give --year"),
             language)
    if month is not None:
        kind, period = "month", month
    elif quarter is not None:
        kind, period = "quarter", f"{y}-Q{_QUARTER.match(quarter.strip()).group(1)}"  # type: ignore[union-attr]
    elif half is not None:
        kind, period = "half", f"{y}-H{_HALF.match(half.strip()).group(1)}"  # type: ignore[union-attr]
    else:
        kind, period = "year", str(y)
    req = api.bulletin_request(kind, period, as_of=when, lang=language, edition=edition.value,
                               unit=unit, doc_no=doc_no, issue=issue, signed=signed_on,
                               allow_missing=allow_missing)
    if not allow_other_year:
        api.check_bulletin_year(led, req)
    # a quarter that cannot be scored has no ranking section: the bulletin says why
    notes: list[L] = []
    remarks: list[L] = []
    said: list[str] = []
    try:
        data = api.bulletin_document(led, req, fmt, template=template, rev=rev, notes=notes,
                                     remarks=remarks)
    finally:
        for note in notes:
            said.append("luoshi: " + (note.en if language == "en" else note.zh)
                        + (" — no ranking section" if language == "en"
                           else "——通报不含考核排名部分") + "\n")
            sys.stderr.write(said[-1])
        for remark in remarks:
            said.append(f"luoshi: {remark.en if language == 'en' else remark.zh}\n")
            sys.stderr.write(said[-1])
    if not notes and api.bulletin_ranks(led, req):
        # its ranking leaves out values the records give (LS417–LS424), as `score` says
        from ..report.findings import render_unread
        from .validate_cmd import not_ignored

        err = io.StringIO()
        render_unread(prefixed(not_ignored(api.unread_values(validation.findings, req.period), led),
                               from_cwd(led.root)), err, language, use_color(sys.stderr))
        said.append(err.getvalue())
        sys.stderr.write(said[-1])
    if memo is not None:
        memo.put(data, "".join(said), language)
    return data, language


def _docx_version() -> str | None:
    """The installed python-docx's version (None: not installed; the command says so)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("python-docx")
    except PackageNotFoundError:
        return None


def _deliver(data: bytes, output: Path | None, language: str) -> None:
    """The bulletin to stdout, or atomically to `output`."""
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    from .ui import cannot_write, write_atomic

    if path_is(output, "dir", writing=True):
        fail(L(f"{output} 是目录", f"{output} is a directory"), language)
    try:
        write_atomic(output, data, follow=True)
    except OSError as exc:
        fail(cannot_write(output, exc), language)
    sys.stderr.write(f"wrote {output}\n" if language == "en" else f"已写入 {output}\n")


def parse_date_or_fail(text: str | None, what: str, lang: str) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text, what)
    except CommandError as exc:
        fail(exc.label, lang)


def _format(given: BulletinFormat | None, template: Path | None, output: Path | None,
            lang: str) -> str:
    """--format, else what -o's extension says (x.html → html), else what --template's
    name says (x.html.j2 → html), else md.  An -o whose extension names another
    format than --format, or one a bulletin is never written in (`-o x.xlsx`), is
    refused: `-o x.html` must not hold Markdown (`ui.output_format`)."""
    by_name = output_format("bulletin", given.value if given is not None else None, output,
                            tuple(f.value for f in BulletinFormat), lang)
    if by_name is not None:
        return by_name
    if template is not None and ".htm" in template.name.lower():
        return "html"
    return "md"


def _dump(directory: Path, lang: str) -> None:
    """Write the built-in templates to start from; never overwrite a file."""
    from ..fsio import path_is
    from ..report.bulletin import builtin_templates
    from .ui import cannot_write, write_atomic

    src = builtin_templates()
    files = sorted(p for p in src.rglob("*") if p.is_file() and p.suffix == ".j2")
    if not files:
        fail(L("找不到内置模板（安装不完整？）", "the built-in templates are missing "
               "(incomplete installation?)"), lang)
    if path_is(directory, writing=True) and not directory.is_dir():
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
