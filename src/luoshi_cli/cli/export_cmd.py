"""`luoshi export -o FILE.xlsx`: the ledger as a workbook for people who live in Excel;
`luoshi export --format parquet -o DIR`: the ledger as tables for analytics engines
(commands/rollup_cmd.py)."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..core.codes import L
from ..core.labels import counted
from ..core.safetext import terminal
from ..fsio import path_is
from .errors import speaks
from .options import AsOfOpt, LangOpt, LedgerArg, RevOpt, as_of_or_fail, checked_ledger
from .ui import fail, is_stdout, lang_of, stdout_or_file

ZIP_FIRST, ZIP_LAST = date(1980, 1, 1), date(2107, 12, 31)


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    parquet = "parquet"


def export(
    ledger: LedgerArg = None,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
        "--output", "-o", metavar="PATH",
        help="The .xlsx file to write (--format parquet: the directory).",
        show_default=False)] = None,
    as_of: AsOfOpt = None,
    rev: RevOpt = None,
    partial: Annotated[bool, typer.Option(
        "--partial", help="Score a year from the quarters present (as luoshi score).")
                       ] = False,
    lang: LangOpt = None,
    format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="xlsx (default) or parquet: one table per entity in the "
        "directory -o DIR, for DuckDB, Spark or a BI tool (needs pyarrow: pip install "
        "'.[rollup]' in luoshi's source directory).",
        case_sensitive=False)
    ] = ExportFormat.xlsx,
    name: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--name", metavar="NAME",
        help="Parquet: the ledger's name in the ledger column (default: the "
        "ledger directory's name).", show_default=False)] = None,
    per_unit: Annotated[bool, typer.Option(
        "--per-unit", help="One workbook per lead/responsible unit in the directory -o DIR: "
        "its tasks, the month's columns to fill (the rest locked), in English for an English "
        "ledger or --lang en; read back (either language) with luoshi import updates.")
    ] = False,
    month: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--month", metavar="YYYY-MM",
        help="--per-unit: the month to report, YYYY-MM (default: the as-of "
        "month; after the ledger's year, its last month).", show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="--per-unit: overwrite workbooks in -o DIR that differ from the "
        "ones being written (a unit's returned sheet, not yet imported).")] = False,
) -> None:
    """Write the ledger as an Excel workbook: Tasks / 任务台账 (printed: lights,
    expected progress, red and yellow rows highlighted), Task details / 任务明细
    (milestones, standards, latest progress and the other columns), Summary / 汇总
    (roll-ups), Interviews / 约谈登记 and Rectifications / 整改台账 when the ledger
    keeps supervision files, and a Scores / 得分 sheet per scored period — the English names and
    headers for an English ledger (language: en) or --lang en, the Chinese otherwise.

    The task sheet reads back with `luoshi import tasks`.  Same ledger and --as-of,
    same file.  A ledger with errors is refused (exit 1), as for every published
    document.
    """
    # -o -: a workbook (or Parquet tables) never goes to stdout — it was a file named -
    if is_stdout(output) and (per_unit or format is ExportFormat.parquet):
        fail(L("export 写入的是目录（--per-unit 的工作簿、parquet 的表），不能输出到标准输出"
               "（-o -）：请用 -o 指定目录", "export writes a directory (--per-unit's "
               "workbooks, parquet's tables), which cannot go to stdout (-o -): give -o DIR"),
             lang_of(lang))
    stdout_or_file(output, format.value, lang_of(lang))
    # None: no -o.  `-o .` is Path() too, but given: the current directory (pathlib
    # makes Path(".") == Path(), which read as "not given")
    if format is ExportFormat.parquet:
        from .rollup_cmd import export_parquet

        # options of the workbooks: refused, not silently ignored (exit 0 with none of
        # what they ask for), as their other misuses are
        unused = [o for o, given in (("--per-unit", per_unit), ("--month", month is not None),
                                     ("--force", force)) if given]
        if unused:
            zh, en = "、".join(unused), ", ".join(unused)
            fail(L(f"--format parquet 不用 {zh}（只用于 Excel 的 --per-unit 填报表）：请去掉",
                   f"--format parquet does not take {en} (options of the --per-unit "
                   f"workbooks): leave {'it' if len(unused) == 1 else 'them'} out"),
                 lang_of(lang))

        export_parquet(ledger, output, as_of, rev, lang, name, partial)
        return
    if per_unit:
        export_per_unit(ledger, output, as_of, month, rev, lang, force)
        return
    if force:
        fail(L("--force 只用于 --per-unit", "--force goes with --per-unit"), lang_of(lang))
    if month is not None:
        fail(L("--month 只用于 --per-unit", "--month goes with --per-unit"), lang_of(lang))
    if name is not None:
        fail(L("--name 只用于 --format parquet", "--name goes with --format parquet"),
             lang_of(lang))
    from .. import api
    from .ui import check_output, output_suffix

    if output is None:
        fail(L("请用 -o FILE.xlsx 指定输出文件", "give the output file with -o FILE.xlsx"),
             lang_of(lang))
    if output_suffix(output).lower() != ".xlsx":  # `-o .xlsx` too: only an extension
        fail(L(f"{output} 不是 .xlsx 文件名", f"{output} does not end in .xlsx"), lang_of(lang))
    if path_is(output, "dir", writing=True):
        fail(L(f"{output} 是目录", f"{output} is a directory"), lang_of(lang))
    check_output(output, ledger, lang_of(lang), "xlsx")
    day = as_of_or_fail(as_of, lang)
    if not ZIP_FIRST <= day <= ZIP_LAST:
        # the workbook's timestamps are the as-of date, and a zip file (an .xlsx is one)
        # records 1980-01-01 to 2107-12-31 only; Excel itself shows 1900 to 9999
        fail(L(f"--as-of {day} 超出 export 的范围：.xlsx 文件只能记录 {ZIP_FIRST} 至 {ZIP_LAST} "
               "之间的日期", f"--as-of {day} is out of range for export: an .xlsx file records "
               f"dates from {ZIP_FIRST} to {ZIP_LAST}"), lang_of(lang))
    memo = None
    if rev is None:
        from .kept import lookup

        # the workbook is a function of the ledger's files, the as-of date (given,
        # or today's default) and the options: a warm run writes the kept bytes
        memo = lookup(ledger, "export", {
            "as_of": None if as_of is None else day.isoformat(), "lang": lang,
            "partial": partial}, terminal_matters=False)
        kept = memo.get() if memo is not None else None
        if kept is not None:
            data, notes, meta = kept
            language, _, names = meta.partition("\n")
            sys.stderr.write(notes)
            _write(output, data, names, language)
            return
    v = checked_ledger(ledger, day, lang, rev)
    led = v.loaded.ledger
    if as_of is None:  # the earlier of today and the ledger year's end
        day = api.default_day(led, day)
    language = speaks(lang_of(lang) if lang else led.language)
    data, result = api.export(led, day, language, partial=partial)
    notes = "".join(f"luoshi: {terminal(note.en if language == 'en' else note.zh)}\n"
                    for note in result.notes)
    sys.stderr.write(notes)
    names = ", ".join(result.sheets)
    _write(output, data, names, language)
    if memo is not None:
        memo.put(data, notes, f"{language}\n{names}")


def _write(output: Path, data: bytes, names: str, language: str) -> None:
    """The workbook to `output` (atomically), and the line saying so."""
    from .ui import cannot_write, write_atomic

    try:
        write_atomic(output, data, follow=True)
    except OSError as exc:
        fail(cannot_write(output, exc), language)
    sys.stderr.write(f"wrote {output} ({names})\n" if language == "en"
                     else f"已写入 {output}（{names}）\n")


def month_option(month: str, lang: str | None) -> str:
    """--month YYYY-MM, normalised (2024-6 → 2024-06), or exit 2 (`ui.parse_month`)."""
    from .ui import month_or_fail

    return month_or_fail(month, lang_of(lang)) or month


def export_per_unit(ledger: Path | None, output: Path | None, as_of: str | None,
                    month: str | None,
                    rev: str | None, lang: str | None, force: bool = False) -> None:
    """`export --per-unit -o DIR`: the month's fill-in workbook of every unit.

    The documented cycle imports the returned workbooks from the same folder, under the
    same names: a workbook there that differs from the one being written (a unit's
    filled-in sheet not yet imported) is not overwritten without --force, as `import
    tasks` does with its output; one that is the same is left as it is."""
    from ..excel.monthly import per_unit_bytes
    from ..fsio import SetNotWritten, write_atomic_set
    from .ui import cannot_write, set_not_written

    if output is None:  # (`-o .` is the current directory)
        fail(L("请用 -o DIR 指定输出目录", "give the output directory with -o DIR"),
             lang_of(lang))
    if path_is(output, writing=True) and not output.is_dir():
        fail(L(f"{output} 不是目录", f"{output} is not a directory"), lang_of(lang))
    from .. import api

    day = as_of_or_fail(as_of, lang)
    the_month = month_option(month, lang) if month else None
    v = checked_ledger(ledger, day, lang, rev)
    led = v.loaded.ledger
    if as_of is None:  # the earlier of today and the ledger year's end, as every command
        day = api.default_day(led, day)
    language = speaks(lang_of(lang) if lang else led.language)
    if the_month is not None:  # --month 2020-05 on a 2021 ledger: as bulletin refuses it
        from .ui import in_ledger_year

        in_ledger_year(the_month, led.config.year, language)
    after = ""  # (the as-of after the ledger's year: said in the summary line)
    if the_month is None:  # the as-of date's month, within the ledger's year
        the_month = f"{day.year:04d}-{day.month:02d}"
        year = led.config.year
        if year and day.year > year:  # the January office collects December's report
            the_month, after = f"{year:04d}-12", day.isoformat()
        else:  # an as-of before the year's start: refused as --month is
            from .ui import in_ledger_year

            in_ledger_year(the_month, year, language)
    cut: list[str] = []
    data = per_unit_bytes(led, the_month, day, language, cut=cut)
    clash = []
    for file, blob in data.items():
        # a folder that can be listed but not opened (`chmod 600`): one line naming it —
        # each sheet in it was unreadable, "13 differing sheets" in a folder of none
        if not path_is(output / file, writing=True, named=output):
            continue
        try:
            if (output / file).read_bytes() != blob:
                clash.append(file)
        except FileNotFoundError:
            pass
        except OSError:
            clash.append(file)  # unreadable, a directory: not replaced without --force
    if clash and not force:
        one = len(clash) == 1
        whose = "a unit's returned sheet" if one else "units' returned sheets"
        shown = "、".join(clash[:5]) + ("等" if len(clash) > 5 else "")
        fail(L(f"{output} 中已有 {len(clash)} 个与本次导出不同的填报表（{shown}），可能是单位交回、"
               "尚未导入的表：不覆盖；请先导入，或换一个目录，或加 --force 覆盖",
               f"{output} already holds {counted(len(clash), 'workbook')} that "
               f"{'differs' if one else 'differ'} from this export "
               f"({', '.join(clash[:5])}{', …' if len(clash) > 5 else ''}), perhaps {whose} "
               f"not yet imported: not overwritten; import {'it' if one else 'them'} first, "
               "use another directory, or add --force"), language)
    # the set whole or not at all: every workbook staged first (a full disk, a name the
    # file system refuses), then the renames — never half the units' sheets sent
    todo: list[tuple[Path, str | bytes]] = [
        (output / file, blob) for file, blob in data.items()
        if file in clash or not (output / file).exists()]  # (others: these bytes already)
    try:
        output.mkdir(parents=True, exist_ok=True)
        write_atomic_set(todo)
    except SetNotWritten as exc:
        fail(set_not_written(exc, L("未写入任何填报表", "no workbook was written")), language)
    except OSError as exc:
        fail(cannot_write(output, exc), language)
    if cut:  # (cut without a word before)
        from ..excel.export import cut_note

        note = cut_note(cut)
        sys.stderr.write(f"luoshi: {terminal(note.en if language == 'en' else note.zh)}\n")
    from ..excel.monthly import reported_after, reported_after_note

    later = reported_after(led, the_month)
    if later:  # (sheets for an earlier month went out without a word, every entry refused)
        note = reported_after_note(later, the_month)
        sys.stderr.write(f"luoshi: {terminal(note.en if language == 'en' else note.zh)}\n")
    sys.stderr.write(f"wrote {counted(len(data), 'workbook')} for {the_month} to {output}"
                     + (f" (the as-of {after} is after the ledger's year: its last month)"
                        if after else "") + "\n"
                     if language == "en"
                     else f"已写入 {len(data)} 个单位 {the_month} 的填报表到 {output}"
                     + (f"（截至日期 {after} 已过台账年度：取该年度最后一个月）" if after else "")
                     + "\n")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
