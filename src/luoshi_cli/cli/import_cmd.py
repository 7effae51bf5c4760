"""`luoshi import tasks|scores`: Excel sheets offices already keep → ledger YAML.

All or nothing: every problem is listed with its cell (任务表!D7) and no file is
written until the sheet converts cleanly *and* the ledger with the new file passes
`luoshi validate`.  Defaults the sheet did not supply are listed on stderr.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..core.codes import L
from ..core.periods import PERIOD_RE
from ..fsio import path_is
from .errors import speaks
from .options import AsOfOpt, LangOfGroupOpt, LangOpt, LedgerArg, as_of_or_fail, resolve_id
from .ui import EXIT_FINDINGS, fail, lang_of, say

if TYPE_CHECKING:
    from ..core.model import Ledger
    from ..excel.imports import Plan
    from ..load.assemble import Loaded

SheetArg = Annotated[Path, typer.Argument(help="The .xlsx workbook to read.", show_default=False,
                                          metavar="WORKBOOK")]
SheetOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
    "--sheet", metavar="SHEET",
    help="The worksheet (default: the first one with a recognisable header).",
    show_default=False)]
OutOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--output", "-o", metavar="PATH", help="The YAML file to write.", show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")]


def _named(given: Path | None, led: Ledger) -> Path:
    """The ledger's root as the user named it (`ledger/tasks/imported.yaml` in the
    messages, not an absolute path): the ledger's own root is absolute."""
    from ..load.assemble import find_root

    return find_root(given) if given is not None else led.root


def _ledger(root: Path | None, lang: str | None) -> tuple[Loaded, str]:
    from ..api import open_ledger
    from ..load.assemble import LedgerError

    try:
        loaded = open_ledger(root)
    except LedgerError as exc:
        fail(exc.label, lang_of(lang))
    language = speaks(lang or loaded.ledger.language)
    broken = loaded.ledger.broken & {"config", "units"}
    if broken:
        fail(L("luoshi.yaml 或 units.yaml 有错误，无法匹配单位和类别：请先运行 luoshi validate 修正",
               "luoshi.yaml or units.yaml has errors, so units and categories cannot be "
               "matched: fix them first (luoshi validate)"), language)
    return loaded, language


def _default_day(led: Ledger, day: date, given: str | None) -> tuple[date, date | None]:
    """The as-of the new file is validated at, as `luoshi validate` would judge it:
    --as-of, or the earlier of today (`day`) and the target ledger year's end — then
    with dates in the future only after today (a December report returned on 3
    January may record a milestone done on 2 January)."""
    if given is not None:
        return day, None
    from ..core.periods import default_as_of

    return default_as_of(led.config.year, day), day


def _output(root: Path, output: Path | None, default: str, force: bool, lang: str) -> Path:
    """Where the import writes: `-o` as typed, else `default` in the ledger — which
    must stay in it.  A ledger is untrusted: a committed `records/` or `tasks/` that
    links out of the ledger, or a record file that does, would have the import read
    (merge) and replace a file elsewhere; `validate` never reads such a file (LS008),
    and neither does `import` — nor one linked into the ledger's .git or cache."""
    out = output if output is not None else root / default
    if output is not None:
        from ..fsio import UnsafeTarget, not_git_or_cache

        try:
            not_git_or_cache(output, root)
        except UnsafeTarget as exc:
            fail(exc.label, lang)
    if output is None:
        from ..fsio import UnsafeTarget, check_target

        try:
            check_target(out, inside=root)
        except UnsafeTarget as exc:
            fail(exc.label, lang)
        # a tasks/ or records/ that cannot be opened: one line naming the file, not
        # is_symlink()'s PermissionError (an internal error)
        path_is(out, writing=True)
        real = Path(os.path.realpath(out))
        real_root = os.path.realpath(root)
        if out.is_symlink() and not real.is_relative_to(real_root):
            fail(L(f"{out} 是指向台账之外的符号链接（{real}）：luoshi 既不读取也不写入它",
                   f"{out} is a symbolic link out of the ledger (to {real}): luoshi neither "
                   "reads nor writes it"), lang)
        from ..load.parse import not_ledger_part

        owned = (not_ledger_part(real.relative_to(real_root).parts)
                 if real.is_relative_to(real_root) else None)
        if owned is not None:  # `records/2021-Q3.yaml -> ../.git/config`: as `validate`
            fail(L(f"{out} 经符号链接指向台账的 {owned} 目录（{real}）：luoshi 既不读取也不写入它",
                   f"{out} leads into the ledger's {owned} through a symbolic link (to "
                   f"{real}): luoshi neither reads nor writes it"), lang)
    if path_is(out, "dir", writing=True):  # said first: --force would not help (it once said 加 --force)
        example = out / Path(default).name
        fail(L(f"{out} 是目录：-o 需要一个文件路径（如 {example}）",
               f"{out} is a directory: -o takes a file path (e.g. {example})"), lang)
    if out.exists() and not force:
        fail(L(f"{out} 已存在：不会覆盖，除非加 --force", f"{out} exists: it is not overwritten "
               "without --force"), lang)
    return out


def _nothing_written(problems: int) -> L:
    """What a refused import says last: "1 problem; nothing was written"."""
    from ..core.labels import counted

    return L(f"{problems} 个问题，未写入任何文件", f"{counted(problems, 'problem')}; nothing was "
             "written")


def _finish(plan: Plan, out: Path, lang: str, what: L, dry_run: bool = False, *,
            inside: Path | None = None) -> None:
    """Report the plan, and write it unless it has problems or `dry_run`; `inside`:
    the ledger the default output must stay in (see `_output`)."""
    from ..core.safetext import terminal
    from ..excel.report import print_notes, print_problems
    from .ui import cannot_write, write_atomic

    err = sys.stderr
    if plan.problems:
        print_problems(plan.problems, err, lang)
        print_notes(plan.notes, err, lang)
        fail(_nothing_written(len(plan.problems)), lang, EXIT_FINDINGS)
    print_notes(plan.notes, err, lang)
    for w in plan.warnings:
        err.write(w + "\n")
    for line in plan.changes if dry_run else []:
        err.write(line + "\n")
    if dry_run:
        err.write(say(L(f"--dry-run：未写入 {out}", f"--dry-run: nothing was written to {out}"),
                        lang) + "\n")
        return
    if plan.unchanged:
        err.write(say(L(f"{out} 中已是这些得分，未作修改",
                          f"{out} already holds these scores: nothing changed"), lang) + "\n")
        return
    try:
        write_atomic(out, plan.text, inside=inside)
    except OSError as exc:
        fail(cannot_write(out, exc), lang)
    sheet = terminal(plan.sheet)  # a workbook's sheet name may hold a line break or bidi
    err.write(f"imported {plan.count} {what.en} from sheet {sheet} into {out}\n"
               if lang == "en"
               else f"已从工作表 {sheet} 导入 {plan.count} 个{what.zh}到 {out}\n")


def tasks(
    workbook: SheetArg,
    ledger: LedgerArg = None,
    sheet: SheetOpt = None,
    map_file: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--map", metavar="FILE",
        help="YAML naming the header of each field (title: 重点工作, …; "
        "header_row: 3).", show_default=False)] = None,
    output: OutOpt = None,
    category: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--category", metavar="CATEGORY",
        help="Category id (or name) for tasks the sheet does not classify.",
        show_default=False)] = None,
    start: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--start", metavar="YYYY-MM-DD",
        help="Start date for tasks without one (default: 1 January of the "
        "ledger year).", show_default=False)] = None,
    prefix: Annotated[str, typer.Option("--prefix", metavar="PREFIX",
                                        help="Prefix of generated task ids.")
                      ] = "IMP",
    month: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--month", metavar="YYYY-MM",
        help="The month the sheet reports, YYYY-MM: each row's 进度 and 进展情况 "
        "become that month's update.", show_default=False)] = None,
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
) -> None:
    """Read a 台账 sheet into tasks/imported.yaml (ledger format v1).

    Headers are recognised by their usual names (序号, 任务名称, 牵头单位, 责任单位,
    包抓领导, 完成时限 over 序时节点/最终时限, 完成标准, 进展情况 …); unit and
    leader names are matched to units.yaml.  Nothing is written while any cell
    cannot be converted.  Exit 1 when the sheet has problems, 2 on bad arguments.
    """
    from ..excel.import_tasks import Options, category_of
    from ..excel.imports import read_as_other, read_map, rel_in, taken_ids
    from ..excel.plan import plan_tasks, valid_prefix
    from ..excel.sheet import SheetError
    from .ui import CommandError, parse_date

    day = as_of_or_fail(as_of, lang)
    loaded, language = _ledger(ledger, lang)
    led = loaded.ledger
    root = _named(ledger, led)
    day, today = _default_day(led, day, as_of)
    out = _output(root, output, "tasks/imported.yaml", force, language)
    rel = rel_in(root, out)
    other = read_as_other(led, rel, "tasks", out)
    if other is not None:
        fail(other, language)
    opts = Options(prefix=prefix, this_year=date.today().year)
    if category is not None:
        # an unambiguous part of a name is enough here (category_of); else the
        # resolver every option shares refuses it with the closest ids and names
        opts.category = category_of(category, led) or resolve_id(led, "category", category,
                                                                  "--category", language)
    if start is not None:
        try:
            opts.start = parse_date(start, "--start")
        except CommandError as exc:
            fail(exc.label, language)
    if month is not None:
        from .ui import month_or_fail

        opts.month = month_or_fail(month, language)
    if not valid_prefix(prefix):
        fail(L(f"--prefix {prefix} 不能用作编号前缀", f"--prefix {prefix} cannot start a task id"),
             language)
    opts.taken = taken_ids(led, rel)
    # --force over the import's own file: what the sheet does not say is kept from it
    opts.existing = {t.id: t for t in led.tasks if rel is not None and t.src.file == rel}
    try:
        if map_file is not None:
            opts.explicit, opts.header_row = read_map(map_file)
        plan = plan_tasks(workbook, sheet, led, opts, rel, out, day, language, today=today,
                          root=root)
    except SheetError as exc:
        fail(exc.label, language)
    _finish(plan, out, language, L("任务", "tasks"),
            inside=root if output is None else None)


def scores(
    workbook: SheetArg,
    ledger: LedgerArg = None,
    period: Annotated[str, typer.Option("--period", metavar="YYYY-Qn|YYYY|YYYY-MM",
                                        help="The period: YYYY-Qn, YYYY, or YYYY-MM (a "
                                        "month, for a scheme assessed monthly).",
                                        show_default=False)] = "",
    sheet: SheetOpt = None,
    output: OutOpt = None,
    merge: Annotated[bool, typer.Option(
        "--merge", help="Into an existing record (the default): only the units × columns "
        "the sheet covers change; everything else in the record is kept.",
        show_default=False)] = True,
    force: Annotated[bool, typer.Option(
        "--force", help="Same as --merge (kept for scripts written before it was the "
        "default).")] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace the whole existing record by the sheet's scores; "
        "everything it drops is listed.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List what would change; write nothing.")] = False,
    lang: LangOpt = None,
) -> None:
    """Read a score sheet (units × components) into records/PERIOD.yaml (a quarter, the
    year, or a month).

    Rows are units (name or id), columns are leaf components of scheme.yaml (name
    or id; checklist items as LEAF.ITEM).  Into an existing record (merged by default) only
    the cells the sheet covers are set: checklist items, deductions, flags, other
    units and other components stay as they are.  Nothing is written while any
    cell cannot be placed.  Exit 1 when the sheet has problems, 2 on bad arguments.
    """
    from ..excel.import_scores import RecordError
    from ..excel.plan import plan_scores
    from ..excel.sheet import SheetError

    if not period.strip():  # not given: it is required (it said "--period  is not a period")
        fail(L("请用 --period 指定得分表所属的考核期间，例如 --period 2021-Q2（季度）、"
               "--period 2021（年度）或 --period 2021-05（月度）", "--period is required: the "
               "period the sheet scores, e.g. --period 2021-Q2 (a quarter), --period 2021 (the "
               "year) or --period 2021-05 (a month)"), lang_of(lang))
    loaded, language = _ledger(ledger, lang)
    led = loaded.ledger
    root = _named(ledger, led)
    period = _score_period(period.strip(), led, language)
    if led.scheme is None:
        fail(L("台账没有考核办法（scheme.yaml），无法导入得分", "the ledger has no scheme "
               "(scheme.yaml), so there is nothing to score"), language)
    # merging is the default: several scoring bodies (活动专班, 12345 平台, 政务服务中心)
    # each fill their own columns of the same period's record, in any order
    existing = led.record(period)
    default = existing.src.file if existing is not None else f"records/{period}.yaml"
    out = _output(root, output, default, merge or force or replace or dry_run, language)
    from ..excel.imports import read_as_other, rel_in

    other = read_as_other(led, rel_in(root, out), "records", out)
    if other is not None:
        fail(other, language)
    try:
        day, today = _default_day(led, date.today(), None)
        plan = plan_scores(workbook, sheet, led, period, out, day, language, replace,
                           today=today)
    except (SheetError, RecordError) as exc:
        fail(exc.label, language)
    _finish(plan, out, language, L("单位的得分", "units' scores"), dry_run,
            inside=root if output is None else None)


def _score_period(text: str, led: Ledger, language: str) -> str:
    """`import scores --period`: a quarter or a year, or a month (SPEC §10 monthly
    periods, the records `score --month` reads) when the scheme assesses something
    monthly and the month is in the ledger's year; anything else exits 2."""
    from ..core.periods import is_month
    from ..core.safetext import printable
    from .ui import CommandError, in_ledger_year, parse_month

    if PERIOD_RE.fullmatch(text):
        return text
    try:
        month = parse_month(text, "--period")
    except CommandError:
        month = None
    if month is None or not is_month(month):
        shown = printable(text)
        fail(L(f"--period {shown} 不是考核期间：应写作 2021-Q2（季度）、2021（年度）或 "
               "2021-05（月度）",
               f"--period {shown} is not a period: write it like 2021-Q2 (a quarter), 2021 "
               "(the year) or 2021-05 (a month)"), language)
    if led.scheme is not None and "monthly" not in {c.cadence for c in led.scheme.leaves()}:
        fail(L(f"--period {month}：考核办法中没有按月考核的指标（cadence: monthly），没有月度得分"
               "可导入：请按季度（2021-Q2）或年度（2021）导入",
               f"--period {month}: no component of the scheme is assessed monthly (cadence: "
               "monthly), so there is no month's score to import: import a quarter (2021-Q2) "
               "or the year (2021)"), language)
    in_ledger_year(month, led.config.year, language)
    return month


def updates(
    workbooks: Annotated[list[Path], typer.Argument(
        help="The units' returned workbooks (luoshi export --per-unit).", show_default=False,
        metavar="WORKBOOK...")],
    ledger: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--ledger", metavar="DIR",
        help="The ledger directory (default: the one here).", show_default=False)
    ] = None,
    month: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--month", metavar="YYYY-MM",
        help="The month reported, YYYY-MM (default: the month the sheet was "
        "exported for).", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the changes it would write; write nothing.")] = False,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
) -> None:
    """Take the units' monthly sheets back: that month's update (progress, note,
    存在问题), milestone done dates and status, written into the task files in place.

    Rows are matched by the hidden task id.  History, flags, locks and adjustments are
    never touched; a changed cell that is not the unit's to change is listed and not
    imported; re-importing the same file changes nothing.  Exit 1 on problems.
    """
    from ..core.safetext import terminal
    from ..excel.monthly import plan_updates
    from ..excel.overlay import findings_for_many
    from ..excel.report import print_problems
    from ..excel.sheet import SheetError
    from ..fsio import SetNotWritten, write_atomic_set
    from .export_cmd import month_option
    from .ui import cannot_write, set_not_written

    day = as_of_or_fail(as_of, lang)
    loaded, language = _ledger(ledger, lang)
    led = loaded.ledger
    root = _named(ledger, led)
    day, today = _default_day(led, day, as_of)
    the_month = month_option(month, lang) if month else None
    # the task files the ledger does not read (LS008: a link out of the ledger or into
    # its .git): a sheet's task in one is named with the link, not as no task at all
    from ..excel.imports import glob_covers

    unread = [f for f in loaded.findings
              if f.code == "LS008" and glob_covers(led.config.files.tasks, f.file)]
    try:
        plan = plan_updates(list(workbooks), led, the_month, loaded.spread, unread=unread)
    except SheetError as exc:
        fail(exc.label, language)
    # validated before anything is said: a warning says whether its cell was imported
    # ("（已导入）" beside "未写入任何文件" told the clerk the opposite, audit)
    if not plan.problems and plan.texts:
        errors = [f for f in findings_for_many(led.root, plan.texts, led.config.files.tasks, day,
                                               today=today) if f.severity == "error"]
        for f in errors:
            plan.problems.append((plan.where(f.file, f.path), L(
                f"{f.code} {f.message('zh')}", f"{f.code} {f.message('en')}")))
    err = sys.stderr
    en = language == "en"
    if plan.ignored:
        err.write(("ignored columns (not the monthly sheet's): " if en
                   else "未导入的列（不是填报表的列）：") + terminal("; ".join(plan.ignored)) + "\n")
    if plan.refused:
        print_problems(plan.refused, err, language)
    if plan.warnings:
        print_problems(plan.checked(not plan.problems and not dry_run), err, language)
    if plan.notes:
        from ..excel.report import print_notes

        print_notes(plan.said_notes(not plan.problems and not dry_run), err, language)
    def summary(written: bool) -> str:
        """The counts; before a refusal or with --dry-run nothing is written, so the
        tasks are the ones it would update ("tasks updated 1" beside "nothing was
        written" told a clerk the opposite of what happened)."""
        updated = (("tasks updated" if written else "tasks to update") if en
                   else ("更新任务" if written else "拟更新任务"))
        return (f"units {len(plan.units)}, {updated} {len(plan.updated)}, unchanged "
                f"{len(plan.unchanged)}, refused cells {len(plan.refused)}" if en else
                f"单位 {len(plan.units)} 个，{updated} {len(plan.updated)} 个，未变 "
                f"{len(plan.unchanged)} 个，拒绝单元格 {len(plan.refused)} 个")

    def senders(written: bool) -> str:
        """One line per workbook: the unit its sheets speak for and the tasks updated
        from it.  The hidden cells' seal catches edits, not a forger (it is unkeyed),
        so the clerk sees which unit each returned file reported as."""
        names = {u.id: u.name for u in led.units.values()}
        lines = []
        for file, (units, ids) in plan.senders.items():
            # the full sheet by its name in the workbook (Tasks in an English one)
            full = ", ".join(plan.full_sheets.get(file, [])) or "task"
            who = ("; " if en else "；").join(
                (f"the full {full} sheet" if en else "任务台账全表") if u is None
                else ("as " if en else "填报单位 ") + (
                    "?" if not u else f"{u} ({names[u]})" if en and u in names
                    else f"{u}（{names[u]}）" if u in names else u) for u in units)
            n = len(ids)
            # the month the sheets are for: June's sheet filled in again in July shows
            month = "" if plan.month is None else (
                f" ({plan.month})" if en else f"（{plan.month}）")
            lines.append(f"  {file}{month}: {who or '?'}; "
                         f"{'updated' if written else 'to update'} {n}" if en else
                         f"  {file}{month}：{who or '?'}，{'更新' if written else '拟更新'}任务 {n} 个")
        return "".join(terminal(line) + "\n" for line in lines)

    if plan.problems:
        print_problems(plan.problems, err, language)
        err.write(senders(False) + summary(False) + "\n")
        fail(_nothing_written(len(plan.problems)), language, EXIT_FINDINGS)
    if dry_run:
        from ..core.textdiff import unified_diff
        from ..excel.inplace import TextForm, plain_text

        for rel, text in plan.texts.items():
            # the lines as a reader sees them: the file keeps its line ends (TextForm)
            old, new = plain_text(led.root / rel), TextForm.of(text)[0]
            sys.stdout.writelines(terminal(line.rstrip("\n")) + "\n" for line in
                                  unified_diff(old.splitlines(True), new.splitlines(True),
                                                       f"a/{rel}", f"b/{rel}"))
        for line in plan.changes:
            err.write(terminal(line) + "\n")
        err.write(senders(False) + summary(False) + "\n")
        err.write(say(L("--dry-run：未写入任何文件", "--dry-run: nothing was written"), language)
                  + "\n")
        return
    try:
        # a task file linked within the ledger is written through (its target is the
        # file the ledger reads); a link out of it is refused (`inside`)
        write_atomic_set([(root / rel, text) for rel, text in plan.texts.items()],
                         inside=root, follow=True)
    except SetNotWritten as exc:
        fail(set_not_written(exc, L("未写入任何文件", "nothing was written")), language)
    except OSError as exc:
        fail(cannot_write(root, exc), language)
    err.write(senders(True) + summary(True) + "\n")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(name="import", help="Import Excel sheets: tasks (台账), scores (得分) "
                      "or the units' monthly updates.",
                      no_args_is_help=True, rich_markup_mode=None, add_completion=False)

    @sub.callback()
    def _group(lang: LangOfGroupOpt = None) -> None:
        """Import Excel sheets: tasks (台账), scores (得分) or the units' monthly updates."""

    sub.command("tasks")(tasks)
    sub.command("scores")(scores)
    sub.command("updates")(updates)
    app.add_typer(sub, name="import")
