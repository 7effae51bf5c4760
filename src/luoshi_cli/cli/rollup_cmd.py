"""`luoshi rollup`: the status roll-up of several ledgers (SPEC §13), and the Parquet
export it reads (`luoshi export --format parquet`, called from export_cmd).

pyarrow and DuckDB are the optional extra `rollup` (`pip install '.[rollup]'` in the
clone: `analytics.require_extra`): imported here, inside the commands, never at start-up.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..core.codes import L
from ..fsio import path_is
from .errors import speaks, spoken
from .options import AsOfOpt, LangOpt, as_of_or_fail, checked_ledger
from .ui import CommandError, fail, lang_of

if TYPE_CHECKING:
    from ..core.model import Files
    from ..ops.validate import Validation


class RollupBy(StrEnum):
    ledger = "ledger"
    category = "category"
    group = "group"
    lead = "lead"


class RollupFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _require(lang: str, *modules: str) -> None:
    from ..analytics import require_extra

    try:
        require_extra(*modules)
    except CommandError as exc:
        fail(exc.label, lang)


def _name_of(root: Path, name: str | None, lang: str, *, in_rollup: bool = False) -> str:
    """The ledger's name in the `ledger` column: --name, else its directory's name.

    A folder's name is data, kept as the clerk typed it; only a name
    `analytics.refused_name` refuses (blank, or holding a control character: the rule
    `rollup --from-parquet` applies to an export's names) is refused; `in_rollup`: the
    name is the directory's (rollup has no --name), and the advice says what works.
    A name that is not valid UTF-8 (a folder named in GBK, unpacked from a Windows zip:
    Python holds its bytes as surrogates) cannot be written to Parquet, whose text is
    UTF-8: refused alike, its bytes past ASCII shown escaped (`\\xb1\\xae`) — there is no
    way to know which characters they were meant to be."""
    from ..analytics import refused_name
    from ..core.safetext import printable

    value = name if name is not None else root.resolve().name
    if any("\ud800" <= c <= "\udfff" for c in value):
        # every byte past ASCII escaped: a run of GBK bytes may happen to be UTF-8 (a
        # combining mark), which would then print as part of a character
        shown = printable(value.encode("utf-8", "surrogateescape").decode("ascii",
                                                                           "backslashreplace"))
        if in_rollup:
            fail(L(f"台账名称 {shown}（取自其目录名）不是有效的 UTF-8（目录名用了其他编码，如 Windows "
                   "压缩包中的 GBK）：请重命名该目录，或用 luoshi export --format parquet --name "
                   "名称 导出后用 luoshi rollup --from-parquet 汇总",
                   f"the ledger name {shown} (its directory's name) is not valid UTF-8 (the "
                   "folder is named in another encoding, such as GBK from a Windows zip): "
                   "rename the directory, or export it with luoshi export --format parquet "
                   "--name NAME and roll the exports up with luoshi rollup --from-parquet"),
                 lang)
        fail(L(f"台账名称 {shown} 不是有效的 UTF-8（目录名用了其他编码，如 Windows 压缩包中的 GBK）："
               "请重命名该目录，或用 --name 给出一个名称",
               f"the ledger name {shown} is not valid UTF-8 (the folder is named in another "
               "encoding, such as GBK from a Windows zip): rename the directory, or give a "
               "name with --name"), lang)
    refused = refused_name(value)
    if refused is not None:
        if in_rollup:
            fail(L(f"台账名称 {refused}（取自其目录名）含控制字符或为空：请重命名该目录，或用 "
                   "luoshi export --format parquet --name 名称 导出后用 luoshi rollup "
                   "--from-parquet 汇总",
                   f"the ledger name {refused} (its directory's name) is blank or holds a "
                   "control character: rename the directory, or export it with luoshi "
                   "export --format parquet --name NAME and roll the exports up with luoshi "
                   "rollup --from-parquet"), lang)
        fail(L(f"台账名称 {refused} 含控制字符或为空：请用 --name 给出一个名称",
               f"the ledger name {refused} is blank or holds a control character: give one "
               "with --name"), lang)
    return value


def _read_by_ledger(root: Path, files: Files, output: Path) -> str | None:
    """The ledger's file pattern (`files:` of luoshi.yaml, or luoshi.yaml itself) that
    would read the export directory `output` or a table file in it, or None: an export
    written where the ledger reads breaks the ledger (a directory `tasks/export.yaml`
    is an unreadable task file), and SPEC §9 forbids changing ledger files unasked."""
    import dataclasses
    import os

    from ..analytics.tables import TABLES
    from ..core.globs import covers

    try:
        rel = Path(os.path.relpath(output.resolve(), root.resolve()))
    except ValueError:  # another drive
        return None
    if rel.parts[:1] == ("..",):
        return None
    paths = [rel.as_posix(), *(f"{rel.as_posix()}/{t}.parquet" for t in TABLES)]
    patterns = [*(getattr(files, f.name) for f in dataclasses.fields(files)), "luoshi.yaml"]
    return next((p for p in patterns if any(covers(p, q) for q in paths)), None)


def _ledger_reading(output: Path) -> tuple[Path, str] | None:
    """The ledger (any, not only the one exported) whose files the export directory
    `output` would be read as, and the pattern that reads it, or None: every directory
    from `output`'s nearest existing one upwards that holds a luoshi.yaml file is a
    ledger root, read with its own `files:` (luoshi.yaml alone, as `schema` reads it:
    the defaults where it says nothing or does not load) as `_read_by_ledger` reads
    the exported one's.  `-o other/tasks/evil.yaml` made the other ledger's task
    pattern match a directory (LS006 "it is a directory"): SPEC §9, luoshi does not
    change ledger files unasked."""
    from ..load.assemble import CONFIG_NAME
    from .schema_cmd import ledger_files

    here = output  # (as given: a folder that cannot be opened is named as the user did)
    while not path_is(here, writing=True) and here != here.parent:
        here = here.parent
    # one that can be listed but not opened (`chmod 600 out`) too, not its luoshi.yaml
    path_is(here / CONFIG_NAME, writing=True, named=here)
    here = here.resolve()
    for root in (here, *here.parents):
        if path_is(root / CONFIG_NAME, "file"):
            read = _read_by_ledger(root, ledger_files(root), output)
            if read is not None:
                return root, read
    return None


def write_parquet(ledger: Path | None, output: Path, day: date | None, lang: str | None,
                  rev: str | None, name: str | None, partial: bool = False,
                  checked: Validation | None = None,
                  in_rollup: bool = False) -> tuple[str, Path, date]:
    """Validate (errors refuse, exit 1; `checked`: done already), build the tables and
    write them into `output` atomically.  `day` None: the ledger's default day (the
    earlier of today and its year's end, as every command).  Returns the ledger's
    name, the directory written and the day judged at.

    The `findings` table is what `luoshi validate --as-of DAY` reports — judged at
    the export's own day, with the ledger's `lint:` — not at the day the command
    runs: an export made again later for the same day holds the same rows."""
    from ..analytics.tables import build_tables, replaceable, write_tables
    from .validate_cmd import code_filter

    v = checked if checked is not None else checked_ledger(ledger, day, lang, rev)
    led = v.loaded.ledger
    if day is None:
        day = v.as_of if v.as_of is not None else date.today()
    language = lang_of(lang) if lang else led.language
    if not in_rollup:  # a roll-up speaks the ledgers' common language, not the last one's
        speaks(language)
    wanted = code_filter(None, None, language, led.config)
    findings = [f for f in v.findings if wanted(f.code)]
    label = _name_of(led.root, name, language, in_rollup=in_rollup)
    read = _read_by_ledger(led.root, led.config.files, output)
    if read is not None:
        fail(L(f"{output} 位于台账之内，会被 luoshi.yaml 的 files 模式 {read} 读入：请把导出"
               "写到台账目录之外",
               f"{output} is inside the ledger, where the files: pattern {read} of "
               "luoshi.yaml would read it: write the export outside the ledger directory"),
             language)
    # luoshi's own temporary directory (`rollup LEDGER...`) is no other ledger's
    other = None if in_rollup else _ledger_reading(output)
    if other is not None:
        root, read = other
        fail(L(f"{output} 位于台账 {root} 之内，会被其 luoshi.yaml 的 files 模式 {read} 读入：请把导出"
               "写到该台账目录之外",
               f"{output} is inside the ledger {root}, where the files: pattern {read} of its "
               "luoshi.yaml would read it: write the export outside that ledger's directory"),
             language)
    if output.is_symlink():  # what `replaceable` refuses first: said for what it is
        import os

        try:
            target = os.readlink(output)
        except OSError:
            target = "?"
        fail(L(f"{output} 是指向 {target} 的符号链接：导出不经由链接写入，也不替换链接："
               "请用 -o 给出目录本身的路径",
               f"{output} is a symbolic link to {target}: an export is neither written "
               "through a link nor replaces one: give the directory's own path with -o"),
             language)
    if not replaceable(output):
        fail(L(f"{output} 已存在且不是 luoshi 导出的 Parquet 目录（只含 ledger.parquet 等 luoshi "
               "自己的表文件）：不覆盖，请换一个目录",
               f"{output} exists and is not a luoshi Parquet export (only luoshi's own table "
               "files, ledger.parquet and the rest): not overwriting it; choose another "
               "directory"), language)
    try:
        tables = build_tables(led, label, day, findings, language, partial=partial)
    except CommandError as exc:  # a figure the Parquet decimal cannot hold
        fail(exc.label, language)
    try:
        write_tables(tables, output)
    except OSError as exc:
        from .ui import cannot_write

        fail(cannot_write(output, exc), language)
    return label, output, day


def export_parquet(ledger: Path | None, output: Path | None, as_of: str | None,
                   rev: str | None, lang: str | None, name: str | None,
                   partial: bool = False) -> None:
    """`luoshi export --format parquet -o DIR` (`output` None: no -o)."""
    _require(lang_of(lang), "pyarrow")
    if output is None:
        fail(L("请用 -o DIR 指定输出目录", "give the output directory with -o DIR"),
             lang_of(lang))
    if output == Path():  # `-o .`: the current directory, as `-o "$PWD"` names it
        output = Path.cwd()
    from ..analytics.tables import output_problem

    problem = output_problem(output)
    if problem is not None:
        fail(problem, lang_of(lang))
    given = as_of_or_fail(as_of, lang) if as_of is not None else None
    label, out, day = write_parquet(ledger, output, given, lang, rev, name, partial)
    from ..core.safetext import terminal

    # the name is a folder's (or --name's): printable, but `##[` may be in it
    language, where, label = spoken() or lang_of(lang), terminal(str(out)), terminal(label)
    sys.stderr.write(f"wrote {where} (ledger {label}, as of {day})\n" if language == "en"
                     else f"已写入 {where}（台账 {label}，截至 {day}）\n")


def _all_checked(ledgers: list[Path], day: date | None, lang: str | None,
                 language: str) -> list[Validation]:
    """Every ledger validated, as `checked_ledger` does one — the errors of each on
    stderr, its files named by its path — before any is refused: the first rejected
    ledger stopped the roll-up, so a city fixed one district's errors per run.  One
    ledger with errors: its own refusal; several: one line counting each (exit 1)."""
    from ..core.errors import LedgerRejected
    from ..core.safetext import shell_path, terminal

    checked, rejected = [], []
    for led in ledgers:
        try:
            checked.append(checked_ledger(led, day, lang, None, named=True))
        except LedgerRejected as exc:
            rejected.append((led, exc))
    if len(rejected) == 1:
        raise rejected[0][1]
    if rejected:
        from ..core.errors import EXIT_FINDINGS
        from ..core.labels import counted

        n = len(rejected)
        zh = "、".join(f"{terminal(str(led))} {len(exc.errors)} 个" for led, exc in rejected)
        en = ", ".join(f"{terminal(str(led))}: {counted(len(exc.errors), 'error')}"
                       for led, exc in rejected)
        # (a bare `luoshi validate` from the city folder finds no luoshi.yaml: each named)
        first = f"luoshi validate {shell_path(str(rejected[0][0]))}"
        fail(L(f"{n} 个台账有错误（{zh}），请先修正（逐个运行 luoshi validate 台账目录 查看，"
               f"如 {first}）",
               f"{n} ledgers have errors ({en}); fix them first (see luoshi validate LEDGER "
               f"for each, e.g. {first})"),
             language, EXIT_FINDINGS)
    return checked


def _one_default_day(ledgers: list[Path], checked: list[Validation], today: date,
                     language: str) -> date:
    """The day every ledger is judged at without --as-of: their common default (the
    earlier of today and the year's end), which is each one's own `luoshi status`
    day.  Ledgers of different years have different defaults: refused (exit 2), as
    `--from-parquet` refuses exports of different dates, rather than judging an
    earlier year's ledger years after its end — each year said with its ledgers (up
    to `core.labels.FEW` of them; the year most share counted when more)."""
    days = sorted({v.as_of or today for v in checked})
    if len(days) > 1:
        from ..core.labels import FEW, few_named
        from ..core.safetext import terminal

        by: dict[int, list[str]] = {}
        for led, v in zip(ledgers, checked, strict=True):
            by.setdefault(v.loaded.ledger.config.year, []).append(terminal(str(led)))
        common = max(by, key=lambda y: (len(by[y]), y))
        zh, en = [], []
        for year in sorted(by):
            names, n = by[year], len(by[year])
            if year == common and n > FEW:
                zh.append(f"{year}：其余 {n} 个台账")
                en.append(f"{year}: the other {n} ledgers")
                continue
            some = few_named(names, "个台账")
            zh.append(f"{year}：{some.zh}")
            en.append(f"{year}: {some.en}")
        shown = [d.isoformat() for d in days]
        fail(L(f"各台账的年度不同（{'；'.join(zh)}），默认截至日期也不同（{'、'.join(shown)}）："
               "请用 --as-of 给出同一个日期",
               f"the ledgers are of different years ({'; '.join(en)}), so their default "
               f"as-of dates differ ({', '.join(shown)}): give one date with --as-of"),
             language)
    return days[0] if days else today


@contextmanager
def _cleaned_on_sigterm() -> Iterator[None]:
    """While the temporary exports exist: SIGTERM (a CI job's timeout, `kill`) exits
    143 through the cleanup of the temporary directory, as Ctrl-C does, instead of
    killing luoshi where it stands and leaving every district's task data in
    $TMPDIR/luoshi-rollup-*.  As `fast.parallel` does for its workers: only where
    SIGTERM would kill anyway (SIG_DFL, the main thread); restored after."""
    import signal

    from ..fast.parallel import terminate_on_sigterm

    before = terminate_on_sigterm()
    try:
        yield
    finally:
        if before is not None:
            signal.signal(signal.SIGTERM, before)


def distinct_names(roots: list[Path]) -> list[str]:
    """Each ledger's name in a roll-up: its directory's name, or — for ledgers whose
    directories share one (`beilin-repo/ledger`, `yanta-repo/ledger`: one repository
    per district) — the shortest trailing part of its path that tells it apart.  Two
    equal paths keep one name (the caller refuses a ledger given twice first)."""
    parts = [r.resolve().relative_to(r.resolve().anchor).parts or (r.resolve().anchor,)
             for r in roots]
    depth = [1] * len(roots)

    def names() -> list[str]:
        return ["/".join(p[-d:]) for p, d in zip(parts, depth, strict=True)]

    while True:
        now = names()
        grow = [i for i, n in enumerate(now)
                if now.count(n) > 1 and depth[i] < len(parts[i])]
        if not grow:
            return now
        for i in grow:
            depth[i] += 1


def rollup(
    ledgers: Annotated[list[Path], typer.Argument(
        help="Ledger roots, or with --from-parquet directories written by "
        "luoshi export --format parquet.", show_default=False, metavar="LEDGER...")],
    from_parquet: Annotated[bool, typer.Option(
        "--from-parquet", help="The arguments are Parquet exports, not ledgers "
        "(the scalable path: export each ledger where it lives, roll up the files).")
    ] = False,
    as_of: AsOfOpt = None,
    by: Annotated[Optional[RollupBy], typer.Option(  # noqa: UP045 - typer needs Optional
        "--by", help="Only this roll-up: ledger, category, group or lead (CSV: default "
        "ledger).", show_default=False, case_sensitive=False)] = None,
    format: Annotated[RollupFormat, typer.Option(
        "--format", "-f", help="table (default), json or csv.", case_sensitive=False)
    ] = RollupFormat.table,
    lang: LangOpt = None,
) -> None:
    """Status roll-up of several ledgers (多台账汇总): totals, by ledger, category,
    group and lead unit, and the red list — computed by DuckDB over Parquet.

    Each ledger's figures equal its own `luoshi status`: without --as-of each is
    judged at its own default day, so ledgers of different years need --as-of.
    Exit 0 with the report, 1 when a ledger has errors, 2 for bad arguments or a
    missing extra.
    """
    language = lang_of(lang)
    _require(language)
    from ..analytics.rollup import render_csv, render_json, render_table
    from ..analytics.rollup import rollup as run_rollup

    # the CSV is one roll-up table, no red list: not fetched (it is what grows in Python)
    red = format is not RollupFormat.csv
    # the one roll-up printed, if only one: --by, else the CSV's by ledger
    shown = by.value if by else "ledger" if format is RollupFormat.csv else None
    # no --as-of: the exports' own date, or the ledgers' default (one for all)
    day = as_of_or_fail(as_of, lang) if as_of is not None else None
    try:
        if from_parquet:
            for d in ledgers:
                if not path_is(d, "dir"):
                    fail(L(f"{d} 不是目录", f"{d} is not a directory"), language)
                if not path_is(d / "ledger.parquet") and (d / "luoshi.yaml").is_file():
                    fail(L(f"{d} 是台账目录（含 luoshi.yaml），不是 Parquet 导出：汇总台账请去掉 "
                           "--from-parquet",
                           f"{d} is a ledger (it holds luoshi.yaml), not a Parquet export: "
                           "leave out --from-parquet to roll up ledgers"), language)
            # one export given twice (`G G`, `G ./G/`) holds one ledger name twice: said
            # as for ledgers, not as two ledgers to be named apart with --name
            resolved = [d.resolve() for d in ledgers]
            twice = next((d for i, d in enumerate(resolved) if d in resolved[:i]), None)
            if twice is not None:
                fail(L(f"导出 {twice} 给出了不止一次：每个导出只需给出一次",
                       f"the export {twice} is given more than once: give each export once"),
                     language)
            report = run_rollup(ledgers, day, date.today(), red=red, by=shown)
        else:
            import tempfile

            today = date.today()
            for d in ledgers:
                if path_is(d / "ledger.parquet", "file") and not (d / "luoshi.yaml").exists():
                    fail(L(f"{d} 是 Parquet 导出（含 ledger.parquet），不是台账目录：汇总导出请加 "
                           "--from-parquet",
                           f"{d} is a Parquet export (it holds ledger.parquet), not a "
                           "ledger: add --from-parquet to roll up exports"), language)
            checked = _all_checked(ledgers, day, lang, language)
            if day is None:
                day = _one_default_day(ledgers, checked, today, language)
            roots = [v.loaded.ledger.root.resolve() for v in checked]
            twice = next((r for i, r in enumerate(roots) if r in roots[:i]), None)
            if twice is not None:
                fail(L(f"台账 {twice} 给出了不止一次：每个台账只需给出一次",
                       f"the ledger {twice} is given more than once: give each ledger once"),
                     language)
            names = distinct_names(roots)
            with _cleaned_on_sigterm(), \
                    tempfile.TemporaryDirectory(prefix="luoshi-rollup-") as tmp:
                dirs = []
                for i, (led, v, label) in enumerate(zip(ledgers, checked, names, strict=True)):
                    _, out, _ = write_parquet(led, Path(tmp) / str(i), day, lang, None, label,
                                              checked=v, in_rollup=True)
                    dirs.append(out)
                report = run_rollup(dirs, day, today, red=red, by=shown)
    except CommandError as exc:
        fail(exc.label, language, exc.code)
    from ..core.safetext import terminal

    for note in report.notes:  # one line each, before the document (stdout unchanged)
        sys.stderr.write(f"luoshi: {terminal(note.en if language == 'en' else note.zh)}\n")
    dim = by.value if by else None
    # as status: --lang, else the ledgers' own language (when they share one)
    table_lang = language if lang or report.language is None else report.language
    if format is RollupFormat.json:
        render_json(report, sys.stdout, by=dim)
    elif format is RollupFormat.csv:
        render_csv(report, sys.stdout, by=dim, lang=table_lang)
    else:
        render_table(report, sys.stdout, table_lang, by=dim)


def register(app: typer.Typer) -> None:
    app.command("rollup")(rollup)
