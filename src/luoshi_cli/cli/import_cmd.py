"""`luoshi import tasks|scores`: Excel sheets offices already keep → ledger YAML.

All or nothing: every problem is listed with its cell (任务表!D7) and no file is
written until the sheet converts cleanly *and* the ledger with the new file passes
`luoshi validate`.  Defaults the sheet did not supply are listed on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..core.codes import L
from .options import AsOfOpt, LangOpt, LedgerArg, as_of_or_fail
from .ui import EXIT_FINDINGS, env_lang, fail

if TYPE_CHECKING:
    from ..core.finding import Finding
    from ..excel.import_scores import ScoreImport
    from ..excel.imports import Plan
    from ..excel.sheet import Grid, Header
    from ..load.assemble import Loaded

SheetArg = Annotated[Path, typer.Argument(help="The .xlsx workbook to read.", show_default=False)]
SheetOpt = Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
    "--sheet", help="The worksheet (default: the first one with a recognisable header).",
    show_default=False)]
OutOpt = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--output", "-o", help="The YAML file to write.", show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")]


def _ledger(root: Path | None, lang: str | None) -> tuple[Loaded, str]:
    from ..api import open_ledger
    from ..load.assemble import LedgerError

    try:
        loaded = open_ledger(root)
    except LedgerError as exc:
        fail(str(exc), env_lang(lang))
    language = lang or loaded.ledger.language
    broken = loaded.ledger.broken & {"config", "units"}
    if broken:
        fail(L("luoshi.yaml 或 units.yaml 有错误，无法匹配单位和类别：请先运行 luoshi validate 修正",
               "luoshi.yaml or units.yaml has errors, so units and categories cannot be "
               "matched: fix them first (luoshi validate)"), language)
    return loaded, language


def _output(root: Path, output: Path | None, default: str, force: bool, lang: str) -> Path:
    out = output if output is not None else root / default
    if out.exists() and not force:
        fail(L(f"{out} 已存在：不会覆盖，除非加 --force", f"{out} exists: it is not overwritten "
               "without --force"), lang)
    if out.exists() and out.is_dir():
        fail(L(f"{out} 是目录", f"{out} is a directory"), lang)
    return out


def _finish(plan: Plan, out: Path, lang: str, what: L, dry_run: bool = False) -> None:
    from ..core.safetext import printable
    from ..excel.report import print_notes, print_problems
    from .ui import cannot_write, write_atomic

    err = sys.stderr
    if plan.problems:
        print_problems(plan.problems, err, lang)
        print_notes(plan.notes, err, lang)
        fail(L(f"{len(plan.problems)} 个问题，未写入任何文件", f"{len(plan.problems)} problem(s); "
               "nothing was written"), lang, EXIT_FINDINGS)
    print_notes(plan.notes, err, lang)
    for w in plan.warnings:
        err.write(w + "\n")
    for line in plan.changes if dry_run else []:
        err.write(line + "\n")
    if dry_run:
        err.write(say_l(L(f"--dry-run：未写入 {out}", f"--dry-run: nothing was written to {out}"),
                        lang) + "\n")
        return
    if plan.unchanged:
        err.write(say_l(L(f"{out} 中已是这些得分，未作修改",
                          f"{out} already holds these scores: nothing changed"), lang) + "\n")
        return
    try:
        write_atomic(out, plan.text)
    except OSError as exc:
        fail(cannot_write(out, exc), lang)
    sheet = printable(plan.sheet)  # a workbook's sheet name may hold a line break or bidi
    err.write(f"imported {plan.count} {what.en} from sheet {sheet} into {out}\n"
               if lang == "en"
               else f"已从工作表 {sheet} 导入 {plan.count} 个{what.zh}到 {out}\n")


def tasks(
    workbook: SheetArg,
    ledger: LedgerArg = None,
    sheet: SheetOpt = None,
    map_file: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--map", help="YAML naming the header of each field (title: 重点工作, …; "
        "header_row: 3).", show_default=False)] = None,
    output: OutOpt = None,
    category: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--category", help="Category id (or name) for tasks the sheet does not classify.",
        show_default=False)] = None,
    start: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--start", help="Start date for tasks without one (default: 1 January of the "
        "ledger year).", show_default=False)] = None,
    prefix: Annotated[str, typer.Option("--prefix", help="Prefix of generated task ids.")
                      ] = "IMP",
    month: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--month", help="The month the sheet reports, YYYY-MM: each row's 进度 and 进展情况 "
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
    from ..excel.imports import read_map, rel_in, taken_ids
    from ..excel.sheet import SheetError
    from .ui import CommandError, parse_date

    day = as_of_or_fail(as_of, lang)
    loaded, language = _ledger(ledger, lang)
    led = loaded.ledger
    out = _output(led.root, output, "tasks/imported.yaml", force, language)
    rel = rel_in(led.root, out)
    opts = Options(prefix=prefix)
    if category is not None:
        cat = category_of(category, led)
        if cat is None:
            known = ", ".join(c.id for c in led.config.categories)
            fail(L(f"--category {category} 不在 luoshi.yaml 中（有：{known}）",
                   f"--category {category} is not in luoshi.yaml (known: {known})"), language)
        opts.category = cat
    if start is not None:
        try:
            opts.start = parse_date(start, "--start")
        except CommandError as exc:
            fail(exc.label, language)
    if month is not None:
        import re

        m = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            fail(L(f"--month {month} 不是 YYYY-MM 月份", f"--month {month} is not a YYYY-MM month"),
                 language)
        opts.month = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    if not _valid_prefix(prefix):
        fail(L(f"--prefix {prefix} 不能用作编号前缀", f"--prefix {prefix} cannot start a task id"),
             language)
    opts.taken = taken_ids(led, rel)
    try:
        if map_file is not None:
            opts.explicit, opts.header_row = read_map(map_file)
        plan = _plan_tasks(workbook, sheet, led, opts, rel, out, day, language)
    except SheetError as exc:
        fail(exc.label, language)
    _finish(plan, out, language, L("任务", "tasks"))


def _valid_prefix(prefix: str) -> bool:
    import re

    from ..load.schema import TASK_ID

    return re.fullmatch(TASK_ID, f"{prefix}-001") is not None


def _plan_tasks(workbook: Path, sheet: str | None, led: Any, opts: Any, rel: str | None,
                out: Path, day: Any, lang: str) -> Plan:
    from ..excel.import_tasks import convert, locate_header
    from ..excel.imports import (
        Plan,
        glob_covers,
        locate,
        pick_grid,
        starts_of,
        validate_overlay,
    )
    from ..excel.sheet import SheetError
    from ..excel.yamlout import dump_tasks

    grid = pick_grid(workbook, sheet, lambda g: locate_header(g, opts) is not None,
                     L("请用 --sheet 指定工作表，用 --map 说明表头",
                       "choose one with --sheet and name the headers with --map"))
    header = locate_header(grid, opts)
    if header is None:
        raise SheetError(L(f"工作表 {grid.name} 中找不到表头（需要“任务名称”等列）：请用 --map 指定",
                           f"sheet {grid.name} has no header luoshi recognises (it needs a "
                           "task title column such as 任务名称): name the headers with --map"))
    missing = [f for f in opts.explicit if f not in header.fields.values()]
    if missing:
        raise SheetError(L(f"--map 中的表头在第 {header.first_row} 行找不到：{', '.join(missing)}",
                           f"headers named in --map are not in row {header.first_row}: "
                           f"{', '.join(missing)}"))
    result = convert(grid, header, led, opts)
    plan = Plan(sheet=grid.name, notes=result.notes.items)
    plan.problems = [(p.ref, p.label) for p in result.problems]
    if plan.problems:
        return plan
    if not result.tasks:
        plan.problems = [(grid.ref(header.last_row + 1),
                          L("表头下面没有任务行", "no task rows below the header"))]
        return plan
    source = f"luoshi import tasks {workbook.name} (sheet {grid.name})"
    text = dump_tasks(result.tasks, f"{source}\n{grid.name}: {len(result.tasks)} tasks")
    pattern = led.config.files.tasks
    check_rel = rel if rel is not None else f"tasks/{out.name}"
    if rel is None:
        plan.warnings.append(say_l(L(f"说明：{out} 不在台账目录中，luoshi 不会读取它",
                                     f"note: {out} is outside the ledger; luoshi will not read it"),
                                   lang))
    elif not glob_covers(pattern, rel):
        plan.warnings.append(say_l(L(f"说明：{rel} 不匹配 luoshi.yaml 的 files.tasks（{pattern}），"
                                     "luoshi 不会读取它",
                                     f"note: {rel} does not match files.tasks ({pattern}) in "
                                     "luoshi.yaml; luoshi will not read it"), lang))
    errors, warnings = validate_overlay(led.root, check_rel, text, pattern, day)
    starts = starts_of(text)

    def col_for(path: tuple[Any, ...]) -> int | None:
        return _column_for(path, header)

    for f in errors:
        plan.problems.append((locate(f, starts, result.rows, grid, col_for),
                              L(f.message("zh"), f.message("en"))))
    for f in warnings:
        ref = locate(f, starts, result.rows, grid, col_for)
        plan.notes.setdefault(_warning_label(f.code), []).append(ref)
    plan.text, plan.count = text, len(result.tasks)
    return plan


def _column_for(path: tuple[Any, ...], header: Header) -> int | None:
    """The sheet column a key path of a generated task came from."""
    if not path:
        return header.col("title")
    key = path[0]
    if key == "milestones":
        idx = path[1] if len(path) > 1 and isinstance(path[1], int) else 0
        part = path[2] if len(path) > 2 else "due"
        for fld in (f"ms{idx + 1}_{part}", f"ms{idx + 1}_due", "done" if part == "done" else "",
                    "due", "node"):
            col = header.col(fld) if fld else None
            if col is not None:
                return col
        return header.col("title")
    fld = {"closed": "closed_date", "updates": "note"}.get(str(key), str(key))
    return header.col(fld) or header.col("title")


def _warning_label(code: str) -> L:
    """Validation warnings grouped by code: the cells are listed, the full text is
    what `luoshi validate` prints after the import."""
    from ..core.codes import CODES

    title = CODES[code].title
    return L(f"导入后 luoshi validate 会给出警告 {code}（{title}）",
             f"luoshi validate will warn {code} ({title}) after the import")


def say_l(label: L, lang: str) -> str:
    return label.en if lang == "en" else label.zh


def scores(
    workbook: SheetArg,
    ledger: LedgerArg = None,
    period: Annotated[str, typer.Option("--period", help="The period: YYYY-Qn or YYYY.",
                                        show_default=False)] = "",
    sheet: SheetOpt = None,
    output: OutOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Import into the output file if it exists: only the units × "
        "columns the sheet covers change; everything else in the record is kept.")] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace the whole existing record by the sheet's scores; "
        "everything it drops is listed.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List what would change; write nothing.")] = False,
    lang: LangOpt = None,
) -> None:
    """Read a score sheet (units × components) into records/PERIOD.yaml.

    Rows are units (name or id), columns are leaf components of scheme.yaml (name
    or id; checklist items as LEAF.ITEM).  Into an existing record (--force) only
    the cells the sheet covers are set: checklist items, deductions, flags, other
    units and other components stay as they are.  Nothing is written while any
    cell cannot be placed.  Exit 1 when the sheet has problems, 2 on bad arguments.
    """
    import re
    from datetime import date

    from ..excel.import_scores import RecordError
    from ..excel.sheet import SheetError

    loaded, language = _ledger(ledger, lang)
    led = loaded.ledger
    period = period.strip()
    if not re.fullmatch(r"\d{4}(-Q[1-4])?", period):
        fail(L("请用 --period 指定期间，如 2021-Q2 或 2021", "give the period with --period, "
               "like 2021-Q2 or 2021"), language)
    if led.scheme is None:
        fail(L("台账没有考核办法（scheme.yaml），无法导入得分", "the ledger has no scheme "
               "(scheme.yaml), so there is nothing to score"), language)
    out = _output(led.root, output, f"records/{period}.yaml", force or replace or dry_run,
                  language)
    try:
        plan = _plan_scores(workbook, sheet, led, period, out, date.today(), language, replace)
    except (SheetError, RecordError) as exc:
        fail(exc.label, language)
    _finish(plan, out, language, L("单位的得分", "units' scores"), dry_run)


def _plan_scores(workbook: Path, sheet: str | None, led: Any, period: str, out: Path,
                 day: Any, lang: str, replace: bool = False) -> Plan:
    from ..excel.import_scores import convert_scores, find_score_header
    from ..excel.imports import Plan, pick_grid, rel_in, validate_overlay
    from ..excel.sheet import SheetError
    from ..excel.yamlout import dump

    grid = pick_grid(workbook, sheet, lambda g: find_score_header(g, led) is not None,
                     L("表头应写 scheme.yaml 中末级指标的名称或编号",
                       "head the columns with names or ids of scheme.yaml's leaf components"))
    row = find_score_header(grid, led)
    if row is None:
        raise SheetError(L(f"工作表 {grid.name} 的表头中没有考核指标（scheme.yaml 中的名称或编号）",
                           f"sheet {grid.name} has no header naming components of scheme.yaml"))
    result = convert_scores(grid, led, period, row)
    plan = Plan(sheet=grid.name, notes=result.notes.items)
    plan.problems = [(p.ref, p.label) for p in result.problems]
    rel = rel_in(led.root, out)
    other = led.record(period)
    if other is not None and other.src.file != rel:
        plan.problems.append((grid.ref(1, 1), L(
            f"台账中已有 {period} 的考核记录（{other.src.file}）：请直接修改它，或用 -o 指向它并加 --force",
            f"the ledger already has a {period} record ({other.src.file}): edit it, or point "
            "-o at it and add --force")))
    if plan.problems:
        return plan
    if not result.rows:
        plan.problems = [(grid.ref(row + 1), L("表头下面没有单位行", "no unit rows below the header"))]
        return plan
    text = (f"# luoshi import scores {workbook.name} (sheet {grid.name})\n"
            + dump(result.record))
    if out.exists():
        text = _over_existing(plan, out, period, result.record, text, replace, lang)
        if plan.unchanged:
            plan.count = result.units
            return plan
    else:
        plan.changes = _change_lines(
            [(p, None, v) for p, v in _sheet_cells(result.record)], lang)
    check_rel = rel if rel is not None else f"records/{out.name}"
    errors, warnings = validate_overlay(led.root, check_rel, text, led.config.files.records,
                                        day)
    for f in errors:
        plan.problems.append((_score_ref(f, result, grid), L(f.message("zh"), f.message("en"))))
    for f in warnings:
        plan.notes.setdefault(_warning_label(f.code), []).append(_score_ref(f, result, grid))
    plan.text, plan.count = text, result.units
    return plan


def _sheet_cells(record: dict[str, Any]) -> list[tuple[tuple[Any, ...], Any]]:
    from ..excel.import_scores import cells, covered

    return cells(covered(record))


def _over_existing(plan: Plan, out: Path, period: str, record: dict[str, Any], text: str,
                   replace: bool, lang: str) -> str:
    """The text of `out` with the sheet laid over it (or, with --replace, the sheet's
    record, with every dropped value listed on stderr)."""
    from ..excel.import_scores import (
        RecordError,
        dotted,
        merge_record,
        read_record,
        replace_record,
        show,
    )

    try:
        existing = out.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise RecordError(L(f"无法读取 {out}：{why}", f"cannot read {out}: {why}")) from None
    old = read_record(existing, str(out))
    had = old.get("period")
    if had is not None and str(had) != period:
        raise RecordError(L(f"{out} 是 {had} 的考核记录，不是 {period} 的：未作修改",
                            f"{out} is the record of {had}, not {period}: nothing was changed"))
    if replace:
        merged = replace_record(old, text, record)
        for path, value in merged.dropped:
            plan.warnings.append(say_l(L(f"--replace 删除 {dotted(path)}：{show(value)}",
                                         f"--replace drops {dotted(path)}: {show(value)}"), lang))
    else:
        merged = merge_record(existing, old, record)
        if merged.rewritten:
            plan.warnings.append(say_l(L(
                f"说明：无法在原处修改 {out}，已按其数值重新写出；文件头以外的注释未能保留",
                f"note: {out} could not be edited in place, so it was written anew from its "
                "values; comments below its header are gone"), lang))
    plan.changes = _change_lines(merged.changes, lang)
    plan.unchanged = merged.text == existing
    return merged.text


def _change_lines(changes: list[tuple[tuple[Any, ...], Any, Any]], lang: str) -> list[str]:
    from ..excel.import_scores import dotted, show

    return [say_l(L(f"修改 {dotted(p)}：{'（无）' if a is None else show(a)} → {show(b)}",
                    f"change {dotted(p)}: {'(none)' if a is None else show(a)} → {show(b)}"),
                  lang) for p, a, b in changes]


def _score_ref(f: Finding, result: ScoreImport, grid: Grid) -> str:
    path: tuple[Any, ...] = f.path or ()
    if len(path) >= 2 and path[1] in result.rows:
        r = result.rows[path[1]]
        leaf = path[2] if len(path) > 2 else None
        item = path[3] if len(path) > 3 else None
        for c, (lf, it) in result.columns.items():
            if lf == leaf and it == item:
                return str(grid.ref(r, c))
        return str(grid.ref(r))
    return str(grid.ref(1))


def register(app: typer.Typer) -> None:
    sub = typer.Typer(name="import", help="Import Excel sheets: tasks (台账) or scores (得分).",
                      no_args_is_help=True, rich_markup_mode=None, add_completion=False)
    sub.command("tasks")(tasks)
    sub.command("scores")(scores)
    app.add_typer(sub, name="import")
