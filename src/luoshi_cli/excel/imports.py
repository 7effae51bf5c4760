"""The import steps around the pure converters: open the workbook, pick the sheet,
convert, lay the result over the ledger and validate it, and map every finding
back to a cell.  Returns a `Plan` — text to write or problems to show — so the
command only prints and writes.
"""

from __future__ import annotations

import bisect
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..core.codes import L
from ..core.finding import Finding
from ..core.globs import covers
from ..core.model import Ledger
from ..fsio import cannot_reach
from ..load.read import load_file
from .columns import (
    DETAILS_SHEETS,
    FIELDS,
    IGNORED,
    INTERVIEWS_SHEETS,
    RECTIFICATIONS_SHEETS,
    SUMMARY_SHEETS,
)
from .guard import MAX_ROWS
from .overlay import findings_for
from .sheet import Grid, SheetError, open_workbook, read_grid, sheet_names


@dataclass
class Plan:
    """What an import would write, or why it will not."""

    text: str = ""
    count: int = 0
    sheet: str = ""
    rel: str = ""
    problems: list[tuple[str, L]] = field(default_factory=list)
    notes: dict[L, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: one line per cell the import sets (shown by --dry-run)
    changes: list[str] = field(default_factory=list)
    #: the output file already holds exactly this: nothing to write
    unchanged: bool = False


def rel_in(root: Path, out: Path) -> str | None:
    """`out` relative to the ledger root (posix), or None when it lies outside."""
    try:
        return out.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


_MAX_MAP_BYTES = 1024 * 1024


def read_map(path: Path) -> tuple[dict[str, list[str]], int | None]:
    """--map FILE: `field: header text` (or a list of texts); `header_row: N`.  Read
    as a ledger file is (`load_file`): a file that does not parse, or nests absurdly
    deep, is its first finding on one line (file:line:col, the clerk's words)."""
    try:
        st = path.stat()
    except OSError as exc:
        raise SheetError(cannot_reach(path, exc)) from None
    # a FIFO or /dev/zero would block or fill the memory; a column map is a few lines
    if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_MAP_BYTES:
        raise SheetError(L(f"{path} 不是普通的小文件：--map 应是几行 YAML 的列对照文件",
                           f"{path} is not a small regular file: --map takes a few "
                           "lines of YAML mapping fields to column headers"))
    src = load_file(path, str(path), _MAX_MAP_BYTES / (1024 * 1024))
    bad = next((f for f in src.findings if f.severity == "error"), None)
    if bad is not None:
        at = f"{path}:{bad.line or 1}:{bad.col or 1}: "
        raise SheetError(L(at + bad.message("zh"), at + bad.message("en")))
    data = src.data
    if not isinstance(data, dict):
        raise SheetError(L(f"{path} 应是“字段: 表头文字”的映射",
                           f"{path} must be a mapping of field: header text"))
    # fields the import reads (a map naming one it reads past would do nothing)
    known = [f for f in FIELDS if f == "seq" or f not in (*IGNORED, "sent")]
    out: dict[str, list[str]] = {}
    header_row: int | None = None
    for k, v in data.items():
        if k == "header_row":
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= MAX_ROWS:
                # (a row past any a workbook may have gave a problem per missing column)
                raise SheetError(L(f"{path}：header_row 应是行号（1、2、3…，至多 {MAX_ROWS}）",
                                   f"{path}: header_row must be a row number (1, 2, 3, …, "
                                   f"at most {MAX_ROWS})"))
            header_row = v
            continue
        if k not in known and not (isinstance(k, str) and k.startswith("ms")):
            raise SheetError(L(f"{path}：未知字段 {k}（可用：{', '.join(known)}、header_row）",
                               f"{path}: unknown field {k} (known: {', '.join(known)}, "
                               "header_row)"))
        texts = v if isinstance(v, list) else [v]
        if not texts or not all(isinstance(t, (str, int)) for t in texts):
            raise SheetError(L(f"{path}：{k} 的值应是表头文字", f"{path}: {k} must be header text"))
        out[str(k)] = [str(t) for t in texts]
    return out, header_row


def pick_grid(path: Path, sheet: str | None, has_header: Any,
              hint: L | Callable[[], L]) -> Grid:
    """The named sheet, or the first visible one whose header `has_header` recognises:
    a hidden sheet (Excel's 隐藏 or 'very hidden', or a task sheet whose 任务明细 is hidden)
    is never picked without --sheet — an old copy kept hidden before the real sheet was
    read instead of it (`note_hidden_sheets` names it).  `hint` (or what it returns,
    asked only then) ends the refusal when no sheet has such a header."""
    wb = open_workbook(path)
    if sheet is not None:
        return read_grid(wb, sheet)
    for name in sheet_names(wb):
        grid = read_grid(wb, name)
        if not grid.hidden and has_header(grid):
            return grid
    hidden = hidden_header_sheets(path, has_header)
    if hidden:
        raise SheetError(L(
            f"{path} 中有表头可识别的工作表都是隐藏的（{'、'.join(hidden)}）：隐藏的内容看不到，"
            f"不作为台账读取；请核对后取消隐藏，或用 --sheet 指定",
            f"every sheet of {path} with a header luoshi recognises is hidden "
            f"({', '.join(hidden)}): what a reader cannot see is not read; check it and "
            "unhide it, or name it with --sheet"))
    if callable(hint):
        hint = hint()
    raise SheetError(L(f"{path} 的工作表（{'、'.join(sheet_names(wb))}）中都找不到可识别的表头：{hint.zh}",
                       f"no sheet of {path} ({', '.join(sheet_names(wb))}) has a header luoshi "
                       f"recognises: {hint.en}"))


def hidden_header_sheets(path: Path, has_header: Any) -> list[str]:
    """The hidden sheets whose header `has_header` recognises (`pick_grid` skips them)."""
    wb = open_workbook(path)
    return [n for n in sheet_names(wb) if (g := read_grid(wb, n)).hidden and has_header(g)]


#: the note naming the hidden sheets an import did not read
HIDDEN_SHEETS = L("这些工作表是隐藏的（或隐藏了其“任务明细”表），虽有可识别的表头，未导入：隐藏的内容看不到，"
                  "不作为台账读取（核对后取消隐藏，或用 --sheet 指定）",
                  "these sheets are hidden (or their task details sheet is) and were not imported "
                  "although luoshi recognises their header: what a reader cannot see is not "
                  "read (check and unhide them, or name one with --sheet)")


def note_hidden_sheets(plan: Plan, path: Path, has_header: Any) -> None:
    """Name in `plan`'s notes the hidden sheets with a header that were not read."""
    hidden = hidden_header_sheets(path, has_header)
    if hidden:
        plan.notes.setdefault(HIDDEN_SHEETS, []).extend(hidden)


def note_other_sheets(plan: Plan, path: Path, picked: str, has_header: Any,
                      label: L) -> None:
    """Name in `plan`'s notes, under `label`, the sheets `other_header_sheets` finds:
    an import reads one sheet, and never drops the others without a word; and the
    hidden sheets with a header (`note_hidden_sheets`)."""
    others = other_header_sheets(path, picked, has_header)
    if others:
        plan.notes.setdefault(label, []).extend(others)
    note_hidden_sheets(plan, path, has_header)


def other_header_sheets(path: Path, picked: str, has_header: Any) -> list[str]:
    """The visible sheets after `picked` that `has_header` recognises too: `pick_grid`
    reads one sheet, and a second sheet with the same header (民生实事 beside 重点项目)
    would otherwise be dropped without a word — the caller names them in a note.

    In luoshi's own export (it has a 任务明细 sheet) the 任务明细 columns were read onto
    the picked sheet's rows (`sheet.join_details`), 汇总 holds counts, not tasks, and
    约谈登记 / 整改台账 hold the supervision loop (their English "Tasks" column reads
    like a task title): none is named, or the clerk would import again what was
    already read, or try to import registers as tasks."""
    wb = open_workbook(path)
    names = sheet_names(wb)
    if picked not in names:
        return []
    own = picked not in DETAILS_SHEETS and any(d in names for d in DETAILS_SHEETS)
    read = ((*DETAILS_SHEETS, *SUMMARY_SHEETS, *INTERVIEWS_SHEETS, *RECTIFICATIONS_SHEETS)
            if own else ())
    return [n for n in names[names.index(picked) + 1:]
            if n not in read and not (g := read_grid(wb, n)).hidden and has_header(g)]


def unheaded_sheets(path: Path, picked: str, has_header: Any) -> list[str]:
    """The sheets besides `picked` that hold something (a value, a comment) and no
    header `has_header` recognises — a 说明 sheet beside the 台账 — hidden or not: an
    import reads one sheet, and the caller names these in a note (they were dropped
    without a word, while a second sheet with a header was named).  In luoshi's own
    export its other sheets (任务明细, 汇总, the registers, 得分) are luoshi's: not named."""
    wb = open_workbook(path)
    names = sheet_names(wb)
    own = any(d in names for d in DETAILS_SHEETS)
    read = (*DETAILS_SHEETS, *SUMMARY_SHEETS, *INTERVIEWS_SHEETS, *RECTIFICATIONS_SHEETS)
    return [n for n in names
            if n != picked and not (own and (n in read or n.startswith(("得分 ", "Scores "))))
            and ((g := read_grid(wb, n)).values or g.comments) and not has_header(g)]


def starts_of(text: str) -> list[int]:
    """Line numbers (1-based) where each top-level list entry begins."""
    return [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith("- ")]


def locate(f: Finding, starts: list[int], rows: list[int], grid: Grid,
           col_for: Any) -> str:
    """The sheet cell a finding in the generated file comes from: by its key path
    (task index, then field), or by its line when it has no path."""
    path = f.path or ()
    if path and isinstance(path[0], int):
        i, rest = path[0], path[1:]
    else:
        i = bisect.bisect_right(starts, f.line) - 1 if starts and f.line else -1
        rest = path
    if not 0 <= i < len(rows):
        return grid.ref(rows[0], col_for(())) if rows else grid.name
    return grid.ref(rows[i], col_for(rest))


def validate_overlay(root: Path, rel: str, text: str, pattern: str, as_of: date, *,
                     today: date | None = None) -> tuple[list[Finding], list[Finding]]:
    fs = findings_for(root, rel, text, pattern, as_of, today=today)
    errors = [f for f in fs if f.severity == "error"]
    warnings = [f for f in fs if f.severity == "warning"]
    return errors, warnings


def glob_covers(pattern: str, rel: str) -> bool:
    """Whether luoshi will read `rel` as one of `files.tasks`/`files.records`: the same
    glob as the ledger's loaders (`core.globs`), not `fnmatch`, whose `*` crosses `/`
    and matches hidden names."""
    return covers(pattern, rel)


def read_as_other(ledger: Ledger, rel: str | None, own: str, shown: object) -> L | None:
    """Why luoshi would read the ledger file `rel` (`-o shown`) as something other than
    `own` (a `files:` key: "tasks" or "records"), or None.  `import tasks -o records/x.yaml`
    warned only that files.tasks does not list it and wrote it: `validate` then read
    it as a record (LS002).  luoshi.yaml, the units and scheme files, and any file a
    `files:` pattern of another kind reads are refused before anything is read."""
    if rel is None:
        return None
    from ..load.assemble import CONFIG_NAME

    files = ledger.config.files
    singles = {CONFIG_NAME: L("台账配置文件", "the ledger's configuration"),
               files.units: L("单位和领导文件（files.units）", "the units file (files.units)"),
               files.scheme: L("考核办法文件（files.scheme）", "the scheme file (files.scheme)")}
    kinds = {"tasks": L("任务", "task"), "records": L("考核记录", "record"),
             "supervision": L("督办记录", "supervision")}
    what: L | None = singles.get(rel)
    if what is None:
        for kind, label in kinds.items():
            pattern = getattr(files, kind)
            if kind != own and covers(pattern, rel):
                what = L(f"{label.zh}文件（files.{kind}：{pattern}）",
                         f"a {label.en} file (files.{kind}: {pattern})")
                break
    if what is None:
        return None
    mine = getattr(files, own)
    return L(f"-o {shown} 是台账的{what.zh}：luoshi 会按它读取该文件，导入的{kinds[own].zh}不能写在那里；"
             f"请写到 files.{own}（{mine}）匹配的文件",
             f"-o {shown} is {what.en} of the ledger: luoshi reads that file as such, so the "
             f"imported {kinds[own].en}s cannot go there; write them to a file files.{own} "
             f"({mine}) matches")


def taken_ids(ledger: Ledger, rel: str | None) -> dict[str, str]:
    """Task ids of the ledger → their file, except those of the file being replaced."""
    return {t.id: t.src.file for t in ledger.tasks if t.src.file != rel}


def dropped_tasks(ledger: Ledger, rel: str | None, kept: set[str]) -> list[tuple[str, L]]:
    """One problem per task of the file `--force` would replace that the import does not
    write again (a hand-kept 碑林 file, or a task deleted from the sheet): replacing the
    file would delete it and its updates without a word, so the import is refused and the
    clerk removes those tasks (or picks another -o file) on purpose."""
    if rel is None:
        return []
    out: list[tuple[str, L]] = []
    for t in ledger.tasks:
        if t.src.file == rel and t.id not in kept:
            out.append((rel, L(
                f"任务 {t.id} 不在导入的表中：覆盖该文件会删除它（及其进展记录）。"
                "请用 -o 写到另一个文件，或先从该文件中删去这个任务",
                f"task {t.id} is not in the imported sheet: replacing the file would "
                "delete it (and its updates). Write to another file with -o, or delete the "
                "task from that file first")))
    return out
