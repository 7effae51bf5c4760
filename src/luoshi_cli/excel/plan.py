"""Planning an import: an Excel sheet → the YAML it would write, or every cell that
stops it (`luoshi import tasks|scores`).

All or nothing: a plan with problems writes nothing.  A plan is checked the way CI
will check the commit — the ledger with the new file must pass validation
(`imports.validate_overlay`) — and every finding is placed back on its cell.  The
command prints the plan and writes its text; nothing here prints or writes.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any

from ..core.codes import CODES, L
from ..core.finding import Finding
from ..core.labels import counted
from ..core.labels import say as say_l
from ..core.periods import is_month
from ..core.safetext import printable
from ..fsio import cannot_reach
from ..load.schema import TASK_ID
from .import_scores import ScoreImport
from .imports import Plan
from .sheet import CONTROLS, HIDDEN_COLS, Grid, Header, SheetError


def valid_prefix(prefix: str) -> bool:
    """Whether generated ids PREFIX-001 … are task ids the schema accepts."""
    return re.fullmatch(TASK_ID, f"{prefix}-001") is not None


def plan_tasks(workbook: Path, sheet: str | None, led: Any, opts: Any, rel: str | None,
               out: Path, day: Any, lang: str, *, today: Any = None,
               root: Path | None = None) -> Plan:
    """The task sheet's plan: `rel` is where `out` sits in the ledger (None: outside),
    `day` the as-of date the ledger with the new file is validated at (`today`: when
    `day` is the default, see `checks.Context.today`).  `root`: the ledger's root as
    the user named it, for the messages (default: the ledger's, absolute).

    Without --sheet, a workbook kept as one sheet per category (sheet names that are
    category ids or names, two or more of them with a task header) is imported whole:
    each such sheet's tasks default to its category, and every other sheet is named in
    a note (not silently dropped).  Otherwise the first sheet with a header is read."""
    from dataclasses import replace

    from ..load.editor import modeline
    from .import_tasks import convert, locate_header
    from .imports import (
        glob_covers,
        pick_grid,
        starts_of,
        validate_overlay,
    )
    from .sheet import unjoined_problems
    from .yamlout import dump_tasks

    found = None if sheet is not None else category_sheets(workbook, led, opts)
    parts: list[tuple[Grid, str | None]]
    plan = Plan()
    skipped: list[str] = []
    if found is None:
        from .import_scores import is_export_scores

        def task_sheet(g: Grid) -> bool:
            # luoshi's own 得分 sheets (编号 and a component named like a title) are
            # never a task sheet: named as one, --sheet 得分 2024-Q1 led nowhere
            return not is_export_scores(g) and locate_header(g, opts) is not None

        grid = pick_grid(workbook, sheet, task_sheet,
                         L("请用 --sheet 指定工作表，用 --map 说明表头",
                           "choose one with --sheet and name the headers with --map"))
        # a sheet picked by --sheet and named after a category classifies its tasks
        # (when --category does not)
        from .import_tasks import category_of
        parts = [(grid, opts.category or category_of(grid.name, led))]
        if sheet is None:
            from .imports import note_other_sheets
            note_other_sheets(plan, workbook, grid.name, task_sheet,
                              L("这些工作表也有任务表头，但未导入（每次导入一个工作表：可用 --sheet 逐个导入"
                                "到不同的 -o 文件）",
                                "these sheets have a task header too but were not "
                                "imported (one sheet per import: import each with "
                                "--sheet into its own -o file)"))
            from .import_tasks import NO_TASK_HEADER
            from .imports import unheaded_sheets
            bare = unheaded_sheets(workbook, grid.name,
                                   lambda g: locate_header(g, opts) is not None)
            if bare:
                plan.notes.setdefault(NO_TASK_HEADER, []).extend(bare)
    else:
        parts, skipped = list(found[0]), found[1]
        from .imports import HIDDEN_SHEETS
        if found[2]:
            plan.notes.setdefault(HIDDEN_SHEETS, []).extend(found[2])
    plan.sheet = ", ".join(g.name for g, _ in parts)
    tasks: list[dict[str, Any]] = []
    places: list[tuple[Grid, Header, int]] = []
    taken = dict(opts.taken)
    counts: list[str] = []
    for grid, category in parts:
        header = locate_header(grid, opts)
        if header is None:
            raise SheetError(L(f"工作表 {grid.name} 中找不到表头（需要“任务名称”等列）：请用 --map 指定",
                               f"sheet {grid.name} has no header luoshi recognises (it needs a "
                               "task title column such as 任务名称 or Title): name the headers with --map"))
        map_missing(grid, header, opts.explicit)
        # the sheets share one id space: a later sheet numbers on after the earlier ones
        result = convert(grid, header, led, replace(opts, category=category, taken=taken))
        for label, refs in result.notes.items.items():
            plan.notes.setdefault(label, []).extend(refs)
        plan.problems.extend((p.ref, p.label) for p in result.problems)
        plan.problems.extend(unjoined_problems(grid))
        if grid.controls:
            plan.notes.setdefault(CONTROLS, []).extend(grid.controls)
        if grid.hidden_cols:
            plan.notes.setdefault(HIDDEN_COLS, []).extend(grid.hidden_cols)
        if not result.tasks and not result.problems:
            plan.problems.append((grid.ref(header.last_row + 1),
                                  L("表头下面没有任务行", "no task rows below the header")))
        for t in result.tasks:
            if isinstance(t.get("id"), str):
                taken[t["id"]] = f"{workbook.name} ({grid.name})"
        tasks.extend(result.tasks)
        places.extend((grid, header, r) for r in result.rows)
        counts.append(f"{printable(grid.name)}: {counted(len(result.tasks), 'task')}")
    if skipped:
        plan.notes.setdefault(L("这些工作表的名称不是 luoshi.yaml 中的类别，未导入"
                                "（可用 --sheet 和 --category 单独导入）",
                                "these sheets are not named after a category of luoshi.yaml "
                                "and were not imported (import one with --sheet and "
                                "--category)"), []).extend(skipped)
    if not plan.problems:
        from .imports import dropped_tasks
        plan.problems.extend(dropped_tasks(led, rel, {t["id"] for t in tasks}))
    if plan.problems:
        return plan
    # (printable: a sheet's or file's name may hold a line break or a bidi override,
    # which a comment line must not carry raw)
    names = ", ".join(printable(g.name) for g, _ in parts)
    source = (f"luoshi import tasks {printable(workbook.name)} "
              f"({'sheets' if len(parts) > 1 else 'sheet'} {names})")
    # the first line points an editor at the task schema (as in files `luoshi init` writes)
    text = (modeline(rel, "tasks") or "" if rel is not None else "") + \
        dump_tasks(tasks, "\n".join([source, *counts]))
    pattern = led.config.files.tasks
    check_rel = rel if rel is not None else f"tasks/{out.name}"
    if rel is None:
        # -o is read from the current directory, as every command's -o is: name the
        # ledger, so `-o tasks/x.yaml` run from outside it is seen at once
        root = root if root is not None else led.root
        plan.warnings.append(say_l(L(f"说明：{out} 不在台账目录 {root} 中，luoshi 不会读取它"
                                     f"（-o 按当前目录解析：写入台账请用 -o {root / 'tasks' / out.name}）",
                                     f"note: {out} is outside the ledger {root}; luoshi will not "
                                     f"read it (-o is read from the current directory: use -o "
                                     f"{root / 'tasks' / out.name} to write into the ledger)"),
                                   lang))
    elif not glob_covers(pattern, rel):
        plan.warnings.append(say_l(L(f"说明：{rel} 不匹配 luoshi.yaml 的 files.tasks（{pattern}），"
                                     "luoshi 不会读取它",
                                     f"note: {rel} does not match files.tasks ({pattern}) in "
                                     "luoshi.yaml; luoshi will not read it"), lang))
    dropped = _dropped_comments(out, text)
    if dropped:
        # the file is written anew from the sheet: its comments go (import scores says
        # when it rewrites a record; this said nothing)
        plan.notes.setdefault(L("--force 覆盖导入：文件按表重写，其中的这些注释没有保留",
                                "--force re-import: the file is written anew from the sheet, "
                                "and these comments of it are not kept"), []).extend(
            f"{rel or out}:{n}" for n in dropped)
    errors, warnings = validate_overlay(led.root, check_rel, text, pattern, day, today=today)
    starts = starts_of(text)
    for f in errors:
        plan.problems.append((place_of(f, starts, places),
                              L(f.message("zh"), f.message("en"))))
    for f in warnings:
        plan.notes.setdefault(warning_label(f.code), []).append(place_of(f, starts, places))
    plan.text, plan.count = text, len(tasks)
    return plan


def _dropped_comments(out: Path, text: str) -> list[int]:
    """The lines of the file `out` (when there is one) holding a comment — a line of
    its own, or after a value — that `text`, which replaces it, does not have."""
    try:
        old = out.read_text(encoding="utf-8-sig", errors="replace") if out.is_file() else ""
    except OSError:
        return []
    kept = {c for c in map(_comment, text.splitlines()) if c}
    return [n for n, line in enumerate(old.splitlines(), 1)
            if (c := _comment(line)) and c not in kept]


def _comment(line: str) -> str:
    """The comment of a YAML line ("" for none): from a `#` that starts the line or
    follows a blank outside quotes, to the end."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"" and (i == 0 or line[i - 1] in " [{:,-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[i:].strip()
    return ""


def map_missing(grid: Grid, header: Header, explicit: dict[str, list[str]]) -> None:
    """Refuse (exit 2) a --map naming a header the sheet does not have: `lead: 主责部门`
    misspelt was ignored without a word when 牵头单位 was found by itself, and the
    clerk believed the map had been used.  Every header text the map names must be a
    header cell (or a two-row header's parent/child or both joined, as `find_header`
    matches them); the message lists the sheet's headers."""
    from .columns import norm

    present = {norm(t) for t in header.texts.values()}
    for r in range(header.first_row, header.last_row + 1):
        present.update(norm(v) for c in range(1, grid.max_col + 1)
                       if (v := grid.get(r, c)) is not None)
    missing = [f"{fld}: {text}" for fld, texts in explicit.items() for text in texts
               if norm(text) not in present]
    if not missing:
        return
    rows = (str(header.first_row) if header.last_row == header.first_row
            else f"{header.first_row}–{header.last_row}")
    heads = "、".join(header.texts.values())
    raise SheetError(L(
        f"--map 中的表头在工作表 {grid.name} 的表头（第 {rows} 行）中找不到：{'；'.join(missing)}"
        f"（表头有：{heads}）",
        f"--map names headers that are not in the header (row {rows}) of sheet {grid.name}: "
        f"{'; '.join(missing)} (the headers are: {', '.join(header.texts.values())})"))


def category_sheets(workbook: Path, led: Any, opts: Any
                    ) -> tuple[list[tuple[Grid, str]], list[str], list[str]] | None:
    """The workbook's visible sheets named after categories (id or name) that hold a
    task header, each with its category, the names of the other sheets, and those of the
    hidden sheets with a task header (never read without --sheet: `pick_grid`) — or
    None when fewer than two sheets are category sheets (then one sheet is imported, as
    before)."""
    from .import_tasks import category_of, locate_header
    from .sheet import open_workbook, read_grid, sheet_names

    wb = open_workbook(workbook)
    found: list[tuple[Grid, str]] = []
    others: list[str] = []
    hidden: list[str] = []
    for name in sheet_names(wb):
        grid = read_grid(wb, name)
        category = category_of(name, led)
        header = locate_header(grid, opts) is not None
        if grid.hidden and header:
            hidden.append(name)
        elif category is not None and header:
            found.append((grid, category))
        else:
            others.append(name)
    return (found, others, hidden) if len(found) >= 2 else None


def place_of(f: Finding, starts: list[int], places: list[tuple[Grid, Header, int]]) -> str:
    """The sheet!cell a finding in the generated file comes from: the task by its key
    path (or its line), then the column of the field, on that task's own sheet."""
    from .imports import locate

    path = f.path or ()
    if path and isinstance(path[0], int):
        i = path[0]
    else:
        i = bisect.bisect_right(starts, f.line) - 1 if starts and f.line else -1
    if not 0 <= i < len(places):
        i = 0
    grid, header, _ = places[i]
    rows = [r for _, _, r in places]  # locate reads only task i's row
    return locate(f, starts, rows, grid, lambda p: column_for(p, header))


def column_for(path: tuple[Any, ...], header: Header) -> int | None:
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


def warning_label(code: str) -> L:
    """Validation warnings grouped by code: the cells are listed, the full text is
    what `luoshi validate` prints after the import.  A code's short title exists in
    English only, so the Chinese note names the code alone (a Chinese line with an
    English phrase in it reads as a slip)."""
    title = CODES[code].title
    return L(f"导入后 luoshi validate 会给出警告 {code}",
             f"luoshi validate will warn {code} ({title}) after the import")




#: a quarter as a score sheet names it: luoshi's own (得分 2021-Q2, its title row) or an
#: office's (2021年第二季度, 2021年二季度, 第三季度 after a year named before it)
_QUARTER_NAMED = re.compile(
    r"(?<!\d)(?:(\d{4})(?:年度?)?)?(?:-?(?<![A-Za-z])Q([1-4])(?!\d)|第?([一二三四1-4])季度)")

_CN_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
#: a month as a score sheet names it: luoshi's (得分 2024-05) or an office's (2024年5月,
#: 5月, 五月); a date (5月31日, 2024-05-31) or a range's end (1-5月) names none
_MONTH_NAMED = re.compile(
    r"(?<!\d)(\d{4})-(1[0-2]|0?[1-9])(?![\d-])"
    r"|(?:(?<!\d)(\d{4})年)?(?:(?<![\d-])(1[0-2]|0?[1-9])"
    r"|(?<![一二三四五六七八九十])(十[一二]?|[一二三四五六七八九]))月"
    r"(?!\s*[\d一二三四五六七八九十]+\s*[日号])")


def _other_period(grid: Any, header: int, period: str) -> list[tuple[str, L]]:
    """The sheet's name or a cell above its header naming a quarter other than
    `period`, and none naming `period` itself: an export's 得分 2021-Q2 imported with
    --period 2021-Q3 went into Q3's record without a word.  Cautious: a sheet naming
    the quarter (in any form) anywhere is taken at its word (2021年二季度得分（上季度：
    2021年第一季度）, 第二季度至第三季度); an annual import is refused only by a sheet
    naming one quarter alone (a year's sheet may name them all).  A month's import is
    read by the months the sheet names (2024年5月, 5月, 2024-05, 五月: a sheet titled for
    May went into June's record without a word), else by its quarter; a quarter's
    import counts a month named as its quarter."""
    found: list[tuple[str, str, str | None, int]] = []  # (where, text, year, quarter)
    cells = [(f"{grid.name}", grid.name)] + [
        (grid.ref(r, c), str(v)) for r in range(1, header) for c in range(1, grid.max_col + 1)
        if isinstance((v := grid.get(r, c)), str)]
    months: list[tuple[str, str, str | None, int]] = []  # (where, text, year, month)
    for where, text in cells:
        for m in _QUARTER_NAMED.finditer(text[:1000]):
            digit = m.group(2) or m.group(3)
            q = "一二三四".index(digit) + 1 if digit in "一二三四" else int(digit)
            found.append((where, m.group(0), m.group(1), q))
        for m in _MONTH_NAMED.finditer(text[:1000]):
            cn = m.group(5)
            months.append((where, m.group(0), m.group(1) or m.group(3),
                           _CN_MONTHS.index(cn) + 1 if cn else int(m.group(2) or m.group(4))))
    year = period[:4]
    month = int(period[5:7]) if is_month(period) else None
    if month is not None and months:
        # a month's sheet is read by the months it names (二季度5月 is not June's)
        if any(n == month and y in (None, year) for _, _, y, n in months):
            return []
        where, text, y, n = months[0]
        return _period_mismatch(where, text, f"{y or year}-{n:02d}", period)
    if "-Q" in period:
        # a quarter's sheet naming one of its months is its own (二季度（4月至6月）)
        found += [(w, t, y, (n + 2) // 3) for w, t, y, n in months]
    if not found:
        return []
    # a month's sheet (SPEC §10 monthly periods) may name its quarter (二季度6月得分)
    if "-Q" in period or month is not None:
        want = int(period[-1]) if month is None else (month + 2) // 3
        if any(q == want and y in (None, year) for _, _, y, q in found):
            return []
    elif len({(y, q) for _, _, y, q in found}) > 1:
        return []
    where, text, y, q = found[0]
    return _period_mismatch(where, text, f"{y or year}-Q{q}", period)


def _period_mismatch(where: str, text: str, named: str, period: str) -> list[tuple[str, L]]:
    """The sheet at `where` names the period `named` (as `text`), not `period`."""
    if named == period:
        return []
    shown = printable(text)
    return [(where, L(f"表中写明的期间是 {named}（“{shown}”），与 --period {period} 不符：请核对 "
                      "--period，或改正表中的期间",
                      f"the sheet names the period {named} ('{shown}'), not --period {period}: "
                      "check --period, or correct the sheet"))]


def plan_scores(workbook: Path, sheet: str | None, led: Any, period: str, out: Path,
                day: Any, lang: str, replace: bool = False, *, today: Any = None) -> Plan:
    """The score sheet's plan: a record of `period`, to be written to `out` — laid over
    the record already there (only the units × columns the sheet covers change), or
    with `replace` the sheet's record in its place, every dropped value listed."""
    from ..load.editor import modeline
    from .import_scores import convert_scores, find_score_header, is_export_scores
    from .imports import Plan, pick_grid, rel_in, validate_overlay
    from .sheet import SheetError, open_workbook, read_grid, sheet_names
    from .yamlout import dump

    def hint() -> L:
        head = L("表头应写 scheme.yaml 中末级指标的名称或编号",
                 "head the columns with names or ids of scheme.yaml's leaf components")
        wb = open_workbook(workbook)
        own = [n for n in sheet_names(wb) if is_export_scores(read_grid(wb, n))]
        if not own:
            return head
        more = len(own) > 1
        return L(f"{head.zh}；luoshi export 导出的得分表（{own[0]}{' 等' if more else ''}）是计算结果"
                 f"（排名、得分、等次，各指标按考核办法算出并舍入后的得分），不是 import scores 读取的"
                 f"打分单位的得分表",
                 f"{head.en}; the score sheet{'s' if more else ''} luoshi export writes "
                 f"({own[0]}{', …' if more else ''}) hold{'' if more else 's'} computed "
                 "results (rank, score, grade, each component's score as computed and "
                 "rounded), not a scoring body's sheet import scores reads")

    def scores_sheet(g: Any) -> bool:
        # luoshi's own 得分 sheets name components too (each one's computed score): never
        # taken for a scoring body's sheet
        return not is_export_scores(g) and find_score_header(g, led) is not None

    grid = pick_grid(workbook, sheet, scores_sheet, hint)
    if is_export_scores(grid):  # named with --sheet
        raise SheetError(L(
            f"工作表 {grid.name} 是 luoshi export 导出的得分表，其中是计算结果（排名、得分、等次，"
            "各指标按考核办法算出并舍入后的得分），不能作为考核记录导入：请导入打分单位报来的得分表"
            "（每个末级指标一列，表头写 scheme.yaml 中的名称或编号）",
            f"sheet {grid.name} is a score sheet luoshi export writes: it holds computed "
            "results (rank, score, grade, each component's score as computed and rounded) "
            "and cannot be imported as a record: import the sheet a scoring body sent (a "
            "column per leaf component, headed with its name or id in scheme.yaml)"))
    row = find_score_header(grid, led)
    if row is None:
        raise SheetError(L(f"工作表 {grid.name} 的表头中没有考核指标（scheme.yaml 中的名称或编号）",
                           f"sheet {grid.name} has no header naming components of scheme.yaml"))
    result = convert_scores(grid, led, period, row)
    plan = Plan(sheet=grid.name, notes=result.notes.items)
    if grid.controls:
        plan.notes.setdefault(CONTROLS, []).extend(grid.controls)
    if grid.hidden_cols:
        plan.notes.setdefault(HIDDEN_COLS, []).extend(grid.hidden_cols)
    if sheet is None:  # never silently: scoring bodies fill sheets of one workbook
        from .imports import note_other_sheets

        note_other_sheets(plan, workbook, grid.name, scores_sheet, L(
                              "这些工作表也有考核指标表头，但未导入（每次导入一个工作表：可用 --sheet "
                              "逐个导入，得分合并到同一份考核记录）",
                              "these sheets have a header of components too but were not "
                              "imported (one sheet per import: import each with --sheet; the "
                              "scores merge into the same record)"))
    plan.problems = [(p.ref, p.label) for p in result.problems]
    plan.problems += _other_period(grid, row, period)
    rel = rel_in(led.root, out)
    other = led.record(period)
    if other is not None and other.src.file != rel:
        plan.problems.append((grid.ref(1, 1), L(
            f"台账中已有 {period} 的考核记录（{other.src.file}）：请直接修改它，或用 -o 指向它（合并导入）",
            f"the ledger already has a {period} record ({other.src.file}): edit it, or point "
            "-o at it (the sheet is merged into it)")))
    if plan.problems:
        return plan
    if not result.rows:
        plan.problems = [(grid.ref(row + 1), L("表头下面没有单位行", "no unit rows below the header"))]
        return plan
    if out.exists() and not replace and result.bonus_columns:
        # a merge sets cells; bonuses are a list of dated entries the record may already
        # hold some of — laying a sheet over them would double or drop entries
        plan.problems = [(grid.ref(row, c), L(
            "加分列只能导入新的考核记录，或与 --replace 一起使用（整份替换）",
            "a bonus column goes into a new record only, or with --replace (the sheet "
            "replaces the record)")) for c in result.bonus_columns]
        return plan
    text = ((modeline(rel, "record") or "" if rel is not None else "")
            + f"# luoshi import scores {workbook.name} (sheet {grid.name})\n"
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
                                        day, today=today)
    for f in errors:
        plan.problems.append((score_ref(f, result, grid), L(f.message("zh"), f.message("en"))))
    for f in warnings:
        plan.notes.setdefault(warning_label(f.code), []).append(score_ref(f, result, grid))
    plan.text, plan.count = text, result.units
    return plan


def _sheet_cells(record: dict[str, Any]) -> list[tuple[tuple[Any, ...], Any]]:
    from .import_scores import cells, covered

    return cells(covered(record))


def _over_existing(plan: Plan, out: Path, period: str, record: dict[str, Any], text: str,
                   replace: bool, lang: str) -> str:
    """The text of `out` with the sheet laid over it (or, with --replace, the sheet's
    record, with every dropped value listed on stderr)."""
    from .import_scores import (
        RecordError,
        dotted,
        merge_record,
        read_record,
        replace_record,
    )
    from .inplace import TextForm, show

    try:
        existing, form = TextForm.read(out)
    except OSError as exc:
        raise RecordError(cannot_reach(out, exc)) from None
    except UnicodeDecodeError:
        raise RecordError(L(f"无法读取 {out}：不是 UTF-8 编码",
                            f"cannot read {out}: not UTF-8")) from None
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
        gone = _dropped_comments(out, merged.text)
        if gone:
            # the record is written anew from the sheet: its comments go, and are named
            # (every dropped value is, and `import tasks --force` names its comments)
            plan.notes.setdefault(L("--replace：考核记录按表重写，其中的这些注释没有保留",
                                    "--replace: the record is written anew from the sheet, "
                                    "and these comments of it are not kept"), []).extend(
                f"{out}:{n}" for n in gone)
    else:
        merged = merge_record(existing, old, record)
        if merged.rewritten:
            plan.warnings.append(say_l(L(
                f"说明：无法在原处修改 {out}，已按其数值重新写出；文件头以外的注释未能保留",
                f"note: {out} could not be edited in place, so it was written anew from its "
                "values; comments below its header are gone"), lang))
    plan.changes = _change_lines(merged.changes, lang)
    plan.unchanged = merged.text == existing
    return form.restore(merged.text)


def _change_lines(changes: list[tuple[tuple[Any, ...], Any, Any]], lang: str) -> list[str]:
    from .import_scores import dotted
    from .inplace import show

    return [say_l(L(f"修改 {dotted(p)}：{'（无）' if a is None else show(a)} → {show(b)}",
                    f"change {dotted(p)}: {'(none)' if a is None else show(a)} → {show(b)}"),
                  lang) for p, a, b in changes]


def score_ref(f: Finding, result: ScoreImport, grid: Grid) -> str:
    path: tuple[Any, ...] = f.path or ()
    if len(path) >= 2 and path[1] in result.rows:
        r = result.rows[path[1]]
        leaf = path[2] if len(path) > 2 else None
        item = path[3] if len(path) > 3 else None
        for c, (lf, it) in result.columns.items():
            if lf == leaf and it == item:
                return str(grid.ref(r, c))
        return str(grid.ref(r, result.unit_col))
    # LS407 on a unit the record has no score for names the unit, not a key path
    named = dict(f.params).get("unit")
    if isinstance(named, str) and named in result.by_name:
        return str(grid.ref(result.by_name[named], result.unit_col))
    if isinstance(named, str):
        # a unit with no row on the sheet has no cell: its name (the unit column's
        # header, 得分!A2, named every such unit as if it were there)
        return named
    return str(grid.ref(1))


