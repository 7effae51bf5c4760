"""The office's monthly cycle: a workbook per unit out, the units' updates back in (pure
but for reading workbooks and the ledger's files).

`per_unit` builds one workbook per lead/responsible unit: its tasks, the month's
columns to fill (本月进度, 本月进展, 存在问题, 节点完成日期, 本月状态, 实际完成值)
unlocked, everything else locked by sheet protection without a password.  Hidden
columns carry the task id, the milestone the row reports on and a hash of what the
office sent, so the returned sheet is matched back by id, not by row position.  An
English ledger (or --lang en) gets the sheet in English (`EN`: its sheet names,
headers, status words, prompts and instructions); the importer reads either, so a
unit that kept last month's sheet of the other language still reports.

`plan_updates` reads the returned workbooks and edits the task files *in place*
(the score import's YAML patching: comments and every other byte kept, the edited
text read back and compared): that month's update, a milestone's `done`, the task's
progress and status.  It never deletes or rewrites history, flags, locks or
adjustments; a changed cell that is not the unit's to change is refused at its cell.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..core.codes import L
from ..core.labels import STATUS, few_named
from ..core.model import Ledger, Task
from ..core.numbers import half_width, typed_percent
from ..core.safetext import printable, xlsx_shown
from ..core.slips import number_fix
from ..core.targets import is_percent
from . import openpyxl_ready
from .columns import (
    DETAILS_SHEETS,
    INTERVIEWS_SHEETS,
    RECTIFICATIONS_SHEETS,
    SUMMARY_SHEETS,
    norm,
)
from .dates import DateProblem, cell_date, names_period
from .inplace import (
    CannotPatch,
    Reader,
    TextForm,
    after_last_line,
    apply_edits,
    child,
    dash_column,
    patch_map,
    show,
    unshared,
    with_reader,
)
from .sent import returned
from .sheet import (
    ABOVE_HEADER,
    COMMENT,
    CONTROLS,
    HIDDEN_COLS,
    HYPERLINK,
    HYPERLINK_TO_IMPORT,
    Grid,
    SheetError,
    above_header,
    clipped,
    col_letter,
    find_header,
    is_title,
    open_workbook,
    quote_sheet,
    read_grid,
    sheet_names,
    shown_id,
    unjoined_problems,
)
from .shown import BELOW_ONE, CONVERTED, boolean, typed_text
from .yamlout import FlowMap, Quoted

if TYPE_CHECKING:
    from ..core.finding import Finding
    from ..load.positions import Spread

SHEET, SHEET_EN = "本月填报", "Monthly report"
GUIDE, GUIDE_EN = "填报说明", "Instructions"
MONTH_MARK = "luoshi-month:"
UNIT_MARK = "luoshi-unit:"
#: hidden columns (A–C): how a returned row is matched back
H_ID, H_HASH, H_NODE = "luoshi:id", "luoshi:hash", "luoshi:node"
#: the columns a unit fills (unlocked) and the ones it only reads (locked)
C_CODE, C_TITLE, C_LEAD, C_STD = "编号", "任务名称", "牵头单位", "完成标准"
C_DUE, C_NODE_STD, C_LAST = "本期节点时限", "本期节点标准", "上月进度 (%)"
C_PROGRESS, C_NOTE, C_PROBLEMS = "本月进度 (%)", "本月进展", "存在问题"
C_DONE, C_STATUS, C_TARGET, C_ACTUAL = "节点完成日期", "本月状态", "目标值", "实际完成值"
COLUMNS = (H_ID, H_HASH, H_NODE, C_CODE, C_TITLE, C_LEAD, C_STD, C_DUE, C_NODE_STD, C_LAST,
           C_PROGRESS, C_NOTE, C_PROBLEMS, C_DONE, C_STATUS, C_TARGET, C_ACTUAL)
#: each column's English header: written for an English ledger, read back as the
#: Chinese one (the Chinese names are the columns' keys inside luoshi)
EN = {C_CODE: "ID", C_TITLE: "Title", C_LEAD: "Lead unit", C_STD: "Standard",
      C_DUE: "Milestone due", C_NODE_STD: "Milestone standard", C_LAST: "Last month (%)",
      C_PROGRESS: "Progress this month (%)", C_NOTE: "Update this month",
      C_PROBLEMS: "Problems", C_DONE: "Milestone done on", C_STATUS: "Status this month",
      C_TARGET: "Target value", C_ACTUAL: "Actual value"}
#: a header as a returned sheet has it (Chinese or English) → the column's key
HEADS = {**{h: h for h in COLUMNS}, **{en: h for h, en in EN.items()}}
def _wide(text: str) -> str:
    """A header compared as a reader sees it: full-width forms (（）％) as half-width
    ones (NFKC), no spaces and no invisible format characters (a zero-width space
    pasted in: `本月进度 (%)\u200b` dropped the column's figures), any case."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text)
                   if not ch.isspace() and unicodedata.category(ch) != "Cf").casefold()


#: `HEADS` compared after `_wide`: 本月进度（%） and 本月进度(%) are 本月进度 (%)
_HEADS_WIDE = {_wide(h): key for h, key in HEADS.items()}
#: a header as `columns.norm` reads it (remarks in brackets and signs left out) → the
#: sheet's header it looks like (本月进度 → 本月进度 (%))
_HEADS_LIKE = {norm(h): h for h in HEADS}


def head_key(h: Any) -> str | None:
    """The column (its Chinese name inside luoshi) a returned sheet's header names:
    the Chinese or the English header, in any width or spacing; None: no column."""
    if not isinstance(h, str):
        return None
    return HEADS.get(h) or _HEADS_WIDE.get(_wide(h))


def _looks_like(h: Any) -> str | None:
    """The sheet's header that `h`, not one of them, looks like (本月进度 for 本月进度
    (%)): None when it looks like none."""
    return _HEADS_LIKE.get(norm(h)) if isinstance(h, str) and h.strip() else None


UNIT_COLUMNS = (C_PROGRESS, C_NOTE, C_PROBLEMS, C_DONE, C_STATUS, C_ACTUAL)
#: the columns a unit types text into: the Text format (`@`) keeps it text
TEXT_COLUMNS = (C_NOTE, C_PROBLEMS)
LOCKED_COLUMNS = (C_CODE, C_TITLE, C_LEAD, C_STD, C_DUE, C_NODE_STD)
#: 本月状态 drop-down: what a unit may say of its task this month
STATUS_CHOICES = ("in_progress", "done", "suspended")
#: the visible columns add up to a sheet that prints one A4 landscape page wide at ≥ 70%
#: (`export.print_scale`); prose wraps, and each row gets the height its lines need
WIDTHS = {C_CODE: 9, C_TITLE: 22, C_LEAD: 12, C_STD: 22, C_DUE: 11, C_NODE_STD: 18,
          C_LAST: 8, C_PROGRESS: 8, C_NOTE: 28, C_PROBLEMS: 22, C_DONE: 11, C_STATUS: 8,
          C_TARGET: 8, C_ACTUAL: 8}
GUIDE_TEXT = (
    "填报说明",
    "1. 本表由督查室按单位生成，只列本单位牵头或负责的任务，每个任务一行。",
    "2. 只填写白色可编辑列：本月进度 (%)（0–100 的数字）、本月进展、存在问题、节点完成日期"
    "（本期节点完成时填写，日期格式）、本月状态（下拉选择；任务全部完成选“"
    + STATUS["done"].zh + "”）、"
    "实际完成值（有量化目标的任务填写）。",
    "   本月状态只由任务的牵头单位填报：本单位不是牵头单位的任务，本月状态为灰色、已锁定，"
    "修改不会被导入。",
    "   " + STATUS["closed"].zh + "的任务只列出供参考，整行为灰色、已锁定，不再填报；填了也不会被导入。",
    "3. 灰色列（编号、任务名称、牵头单位、完成标准、本期节点）已锁定，不得修改；"
    "如需调整，请按变更程序报批。对这些列的修改不会被导入，并会被逐格列出。",
    "4. 请勿删除、插入或调整行和列的顺序，不要修改工作表名称；新增的列不会被导入。",
    "5. 填好后保存为 .xlsx 报送督查室，由督查室用 luoshi import updates 导入。",
)
GUIDE_TEXT_EN = (
    "Instructions",
    "1. The supervision office makes this sheet for each unit: it lists the tasks the unit "
    "leads or is responsible for, one row per task.",
    "2. Fill in only the white columns: " + EN[C_PROGRESS] + " (a number from 0 to 100), "
    + EN[C_NOTE] + ", " + EN[C_PROBLEMS] + ", " + EN[C_DONE] + " (when the current milestone "
    "is done: a date), " + EN[C_STATUS] + " (pick from the list; '" + STATUS["done"].en
    + "' when the whole task is done), " + EN[C_ACTUAL] + " (tasks with a numeric target).",
    "   " + EN[C_STATUS] + " is reported by the task's lead unit only: on a task another unit "
    "leads it is grey and locked, and a change to it is not imported.",
    "   A " + STATUS["closed"].en + " task is listed for reference only: its whole row is "
    "grey and locked, and nothing typed into it is imported.",
    "3. The grey columns (" + ", ".join(EN[h] for h in (C_CODE, C_TITLE, C_LEAD, C_STD))
    + ", the current milestone) are locked: do not change them; a change goes through the "
    "change procedure for approval. Changes to them are not imported, and each is listed.",
    "4. Do not delete, insert or reorder rows or columns, and do not rename the sheet; "
    "columns you add are not imported.",
    "5. Save the filled-in sheet as .xlsx and send it to the supervision office, which "
    "imports it with luoshi import updates.",
)


def head(h: str, lang: str) -> str:
    """The header a sheet in `lang` has for the column `h` (the hidden ones: as is)."""
    return EN.get(h, h) if lang == "en" else h


def _en(h: str, full: bool = False) -> str:
    """A column named in an English message: the per-unit sheet's English header, or
    (`full`) the full task sheet's — never the Chinese name inside an English line."""
    if full:
        from .columns import header

        fld = next((f for f, key in _FULL.items() if key == h), None)
        if fld is not None:
            return header(fld, "en")
        if h.startswith("ms"):
            return header(h, "en")
    return EN.get(h, h)


def _content_hash(t: Task, node: int | None) -> str:
    """What the office sent in the locked columns: a row whose task changed in the
    ledger since (a new milestone, an approved adjustment) is told apart."""
    # (`node` comes back from the unit's workbook: any number, checked against this hash)
    m = t.milestones[node] if node is not None and 0 <= node < len(t.milestones) else None
    data = [t.id, t.title, t.lead, t.standard,
            [str(m.due), m.standard] if m is not None else None]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:12]


def _update_mark(t: Task, month: str) -> str:
    """The month's update as the sheet was sent with it ("-": none yet).  An update
    written after the sheet went out (another unit's sheet, imported on another day)
    is told apart from the one the unit saw and corrects."""
    this = next((u for u in t.updates if u.month == month), None)
    if this is None:
        return "-"
    return _mark_of(this.progress, this.note, this.problems, this.actual)


def _mark_of(progress: Any, note: Any, problems: Any, actual: Any) -> str:
    """`_update_mark` of these values (a row's cells are compared with it too)."""
    data = [str(progress), note, problems, str(actual)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:8]


def _seal(month: str, unit: str, task: str, node: int | None, content: str, sent: str,
          status: str | None = None) -> str:
    """Binds the hidden cells together: the month (A1), the unit (B1), the row's task
    id, milestone and what was sent (with the task's status, from seal 2 on).
    Editing, clearing or copying any of them breaks the seal, so a unit's sheet cannot
    report another unit's task (B1 edited), skip the staleness check (hash cleared)
    or move a done date to another milestone (node edited).  Unkeyed: it catches slips
    and edits, not a forger who reads this code (the sheet protection has no password
    either)."""
    data: list[Any] = (["luoshi-seal-1", month, unit, task, node, content, sent]
                       if status is None
                       else ["luoshi-seal-2", month, unit, task, node, content, sent, status])
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:12]


def _hidden(month: str, unit: str, t: Task, node: int | None) -> str:
    """The hash cell: content hash, update mark, seal and the task's status as sent,
    dot-separated.  The status sent tells a 本月状态 the unit left as it came (the
    cell is filled in with it) from one it set: without it, the lead's 暂缓 and a
    responsible unit's untouched 推进中 for the same task undid each other on every
    import of the same workbooks."""
    content, sent = _content_hash(t, node), _update_mark(t, month)
    seal = _seal(month, unit, t.id, node, content, sent, t.status)
    return f"{content}.{sent}.{seal}.{t.status}"


def _node(t: Task) -> int | None:
    """The milestone the month's row reports on: the first one not done."""
    return next((i for i, m in enumerate(t.milestones) if m.done is None),
                len(t.milestones) - 1 if t.milestones else None)


def _target(t: Task) -> int | Decimal | None:
    """A task with a numeric target (SPEC §11) gets an 实际完成值 cell to fill."""
    return t.target.value if t.target is not None else None


def _last_progress(t: Task, month: str) -> Decimal | None:
    """上月进度 as a sheet for `month` shows it: the progress of the task's last update
    before that month (None: no such update, or one that reported no progress — a
    note or an actual alone).  What the sheet showed, the grey cell's check and the
    backwards-progress warning all read it here."""
    before = [u for u in t.updates if u.month < month]
    return before[-1].progress if before else None


def units_of(ledger: Ledger) -> dict[str, list[Task]]:
    """Unit id → its tasks (lead or responsible), in units.yaml's order, tasks by id."""
    carried: dict[str, dict[int, Task]] = {}  # one pass over the tasks, not one per unit
    for t in ledger.tasks:
        if not t.missing:
            for uid in (t.lead, *t.units):
                carried.setdefault(uid, {})[id(t)] = t
    out: dict[str, list[Task]] = {}
    for u in ledger.units.values():
        mine = carried.get(u.id)
        if mine:
            out[u.id] = sorted(mine.values(), key=lambda t: t.id)
    return out


def reported_after(ledger: Ledger, month: str) -> list[str]:
    """The ids of the tasks the units' sheets for `month` carry that already hold a
    report for a later month: a sheet's entry for such a task is refused on import
    (earlier months are not rewritten), so `export --per-unit` says so when it writes
    them."""
    return sorted({t.id for tasks in units_of(ledger).values() for t in tasks
                   if any(u.month > month for u in t.updates)})


def reported_after_note(ids: list[str], month: str) -> L:
    """`export --per-unit --month`'s one-line warning for `reported_after`."""
    shown = few_named(ids, "个任务")
    return L(f"这些任务已有 {month} 之后月份的月报，填报表中对它们填写的内容导入时会被拒绝（不改写之前月份的记录）：{shown.zh}",
             f"these tasks already have reports for months after {month}, so what the sheets "
             f"report for them will be refused on import (earlier months are not rewritten): "
             f"{shown.en}")


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]|^[.\s=+\-@]+')


#: names Windows keeps for devices, whatever the extension (`CON.xlsx` is the console)
_RESERVED = re.compile(r"(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(?:\..*)?", re.IGNORECASE)


#: bytes a file name may have (NAME_MAX of Linux and macOS file systems is 255) less
#: the temporary name it is first written under (`.NAME.XXXXXXXX.tmp`, fsio) and
#: ".xlsx": 79 Chinese characters (3 bytes each) were "File name too long"
NAME_BYTES = 255 - len("..XXXXXXXX.tmp") - len(".xlsx")


def file_name(name: str, ident: str, suffix: str = "") -> str:
    """A unit's name as a file name: no path separator, reserved character, control
    character or leading formula sign, no Windows device name; the id when nothing is
    left; `suffix` (told apart from another unit's name) kept whole, the name cut to
    80 characters and to what fits `NAME_BYTES` in UTF-8 with it."""
    cleaned = _UNSAFE.sub("_", printable(name)).strip(" ._")[:80]
    room = max(NAME_BYTES - len(suffix.encode()), 0)
    if len(cleaned.encode()) > room:
        cleaned = cleaned.encode()[:room].decode("utf-8", "ignore").rstrip(" .")
    if _RESERVED.fullmatch(cleaned):
        cleaned = "_" + cleaned
    return (cleaned or ident) + suffix + ".xlsx"


#: from this many tasks (rows over all the workbooks) the per-unit set is made on two
#: cores (`per_unit_bytes`): a fork costs a few milliseconds, a workbook about 12
PARALLEL_MIN_ROWS = 2000


def per_unit_bytes(ledger: Ledger, month: str, as_of: date, lang: str = "zh", *,
                   parallel_min_rows: int = PARALLEL_MIN_ROWS,
                   cut: list[str] | None = None) -> dict[str, bytes]:
    """File name → the .xlsx bytes of each unit's workbook, in units.yaml's order.

    openpyxl writes a workbook in about 12 ms: a province's 10,000 units took two
    minutes on one core.  From `parallel_min_rows` rows the units are cut in two
    halves of about as many rows: a forked child (`fast.background.in_background`)
    makes the first half's bytes while this process makes the second's.  The bytes
    are the same either way (tests/test_monthly.py), and a child that fails leaves
    its half to this process.  `cut`: gets the cells ("区发改委.xlsx 本月填报!L3") whose
    text was longer than a cell holds and was cut (they were cut without a word)."""
    from ..fast.background import in_background
    from .export import to_bytes

    sizes = [len(tasks) for tasks in units_of(ledger).values()]

    def part(only: range) -> list[tuple[str, bytes, list[str]]]:
        return [(name, to_bytes(wb, as_of), wb._luoshi_cut)
                for name, wb in per_unit(ledger, month, as_of, lang, only=only)]

    def books(made: list[tuple[str, bytes, list[str]]]) -> dict[str, bytes]:
        if cut is not None:
            cut.extend(f"{name} {ref}" for name, _data, refs in made for ref in refs)
        return {name: data for name, data, _refs in made}

    if len(sizes) < 2 or sum(sizes) < parallel_min_rows:
        return books(part(range(len(sizes))))
    half, rows = 0, 0
    while half < len(sizes) - 1 and 2 * (rows + sizes[half]) <= sum(sizes):
        rows += sizes[half]
        half += 1
    half = max(half, 1)
    first = in_background(lambda: part(range(half)))
    rest = part(range(half, len(sizes)))
    return books([*first(), *rest])


def per_unit(ledger: Ledger, month: str, as_of: date, lang: str = "zh", *,
             only: range | None = None) -> Iterator[tuple[str, Any]]:
    """(file name, workbook), one per unit with tasks, made one at a time, in `lang`
    (zh or en: sheet names, headers, status words, prompts, instructions): the caller
    keeps what it writes (the bytes), not 10,000 workbooks of cell objects (918 MB
    for a province's units, when they were all made first).  `only`: the workbooks of
    these units (by their place in units.yaml's order among the units with tasks);
    every unit's file name is worked out all the same, so a name never depends on
    which units were asked for."""
    openpyxl_ready()
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    from .export import _DOUBLE, _cell  # the formula-injection guard of the main export

    names = {u.id: u.name for u in ledger.units.values()}
    en = lang == "en"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor="EDEDED")
    fill = PatternFill("solid", fgColor="D9D9D9")
    wrap = Alignment(vertical="top", wrap_text=True)
    taken: set[str] = set()
    for k, (uid, tasks) in enumerate(units_of(ledger).items()):
        name, suffix = file_name(names[uid], uid), ""
        # Windows and macOS file systems ignore case: 'Abc' and 'abc' are one file
        while name.casefold() in taken:
            suffix += "_" + uid
            name = file_name(names[uid], uid, suffix)
        taken.add(name.casefold())
        if only is not None and k not in only:
            continue
        wb = Workbook()
        #: the cells whose text was cut to what a cell holds (`per_unit_bytes`)
        cut: list[str] = []
        wb._luoshi_cut = cut
        ws = wb.active
        ws.title = SHEET_EN if en else SHEET
        ncol = len(COLUMNS)
        ws.cell(1, 1, MONTH_MARK + month)
        ws.cell(1, 2, UNIT_MARK + uid)
        _cell(ws, 1, 4, f"{ledger.config.title}: progress report for {month} ({names[uid]})"
              if en else f"{ledger.config.title} {month} 月度进展填报（{names[uid]}）", cut)
        ws.cell(1, 4).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=4, end_row=1, end_column=ncol)
        for c, h in enumerate(COLUMNS, 1):
            cell = ws.cell(2, c, head(h, lang))
            cell.font, cell.fill, cell.border = Font(bold=True), fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        # "本月进度 (%)" on two lines, "Progress this month (%)" on three
        ws.row_dimensions[2].height = 45 if en else 30
        status_dv = DataValidation(type="list", allow_blank=True, formula1='"'
                                   + ",".join(getattr(STATUS[s], lang)
                                              for s in STATUS_CHOICES) + '"')
        pct_dv = DataValidation(type="decimal", operator="between", formula1="0",
                                formula2="100", allow_blank=True, showErrorMessage=True,
                                errorTitle=EN[C_PROGRESS] if en else "本月进度",
                                error="Type a number from 0 to 100" if en
                                else "请填写 0–100 之间的数字")
        date_dv = DataValidation(type="date", operator="between", formula1="36526",
                                 formula2="73051", allow_blank=True, showErrorMessage=True,
                                 errorTitle=head(C_DONE, lang),
                                 error="Type a date, e.g. 2024-06-20" if en
                                 else "请填写日期，如 2024-06-20")
        for dv in (status_dv, pct_dv, date_dv):
            ws.add_data_validation(dv)
        col = {h: i for i, h in enumerate(COLUMNS, 1)}
        for r, t in enumerate(tasks, 3):
            node = _node(t)
            m = t.milestones[node] if node is not None else None
            this = next((u for u in t.updates if u.month == month), None)
            last = _last_progress(t, month)
            target = _target(t)
            values: dict[str, Any] = {
                H_ID: t.id, H_HASH: _hidden(month, uid, t, node), H_NODE: node,
                C_CODE: t.id, C_TITLE: t.title, C_LEAD: names.get(t.lead, t.lead),
                C_STD: t.standard, C_DUE: m.due if m else None,
                C_NODE_STD: m.standard if m else None, C_LAST: last,
                C_PROGRESS: this.progress if this else None,
                C_NOTE: this.note if this else None,
                C_PROBLEMS: this.problems if this else None,
                C_DONE: m.done if m else None,
                C_STATUS: getattr(STATUS[t.status], lang) if t.status in STATUS_CHOICES
                else None,
                C_TARGET: target, C_ACTUAL: getattr(this, "actual", None) if this else None,
            }
            for h, v in values.items():
                cell = _cell(ws, r, col[h], v, cut)
                cell.border, cell.alignment = border, wrap
                # 本月状态 is the lead's to report: locked on a responsible unit's row;
                # a closed task's row is listed for reference, every cell locked (the
                # guide's "one row per task"; a report on it is refused at import)
                mine = (h in UNIT_COLUMNS and (h != C_ACTUAL or target is not None)
                        and (h != C_STATUS or uid == t.lead) and t.status != "closed")
                cell.protection = Protection(locked=not mine)
                if not mine:
                    cell.fill = grey
                if isinstance(v, date):
                    cell.number_format = "yyyy-mm-dd"
                elif h in TEXT_COLUMNS:
                    # Text (`@`): Excel keeps what the unit types as text — in a General
                    # cell "1/2" became a date and "50%" the number 0.5
                    cell.number_format = "@"
            # the lines the longest text needs, CJK counted double width (English text
            # got twice the lines it needs when every character was counted double)
            longest = max((len(text) + len(_DOUBLE.findall(text))) / max(WIDTHS[h], 2)
                          for h in (C_TITLE, C_STD, C_NOTE, C_PROBLEMS, C_NODE_STD)
                          for text in (str(values[h] or ""),))
            ws.row_dimensions[r].height = max(30, 15 * (int(longest) + 1))
        last_row = max(3, len(tasks) + 2)
        status_dv.add(f"O3:O{last_row}")
        pct_dv.add(f"K3:K{last_row}")
        date_dv.add(f"N3:N{last_row}")
        for c in (1, 2, 3):
            ws.column_dimensions[chr(64 + c)].hidden = True
        for h, w in WIDTHS.items():
            ws.column_dimensions[chr(64 + col[h])].width = w
        ws.freeze_panes = "E3"
        ws.protection.sheet = True  # no password: a guard against slips, not a secret
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "2:2"
        ws.page_margins.left = ws.page_margins.right = 0.4
        g = wb.create_sheet(GUIDE_EN if en else GUIDE)
        for r, line in enumerate(GUIDE_TEXT_EN if en else GUIDE_TEXT, 1):
            g.cell(r, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
        g.cell(1, 1).font = Font(bold=True, size=14)
        g.column_dimensions["A"].width = 100
        g.page_setup.paperSize = g.PAPERSIZE_A4
        g.page_setup.orientation = "landscape"
        g.page_setup.fitToWidth, g.page_setup.fitToHeight = 1, 0
        g.sheet_properties.pageSetUpPr.fitToPage = True
        stamp = datetime(as_of.year, as_of.month, as_of.day)
        wb.properties.creator = "luoshi"
        wb.properties.created = wb.properties.modified = stamp
        yield name, wb


# ---- import ---------------------------------------------------------------------------


@dataclass
class Row:
    """One returned row: the cells a unit may fill, and where they are."""

    grid: Grid
    row: int
    task: str
    node: int | None
    hash: str
    cells: dict[str, Any]
    cols: dict[str, int]
    file: str = ""
    #: a row of `export`'s full 任务台账 sheet: every milestone's cells, by number
    full: bool = False
    ms: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: the unit the per-unit sheet was made for (its B1 mark), "" when the mark is gone
    unit: str = ""
    #: the month the per-unit sheet was made for (its A1 mark), "" when the mark is gone
    sent_month: str = ""
    #: the row is hidden in the sheet (`Grid.hidden_rows`)
    hidden: bool = False
    #: a full-sheet row's cells of the task's own fields and luoshi's figures (责任单位,
    #: 类别, 亮灯 …, `_FULL_TASK`, and 任务明细's 任务名称 as "details_title"): field →
    #: (its sheet, row, column, value), read past when they are the ledger's
    #: (`_full_task_cells`; the cell's name is made only for a cell refused)
    extra: dict[str, tuple[Grid, int, int, Any]] = field(default_factory=dict)
    #: a full-sheet row that no 任务明细 row joins, refused at its 编号
    #: (`Grid.no_details`): that problem as the plan holds it.  Nothing of the row is
    #: read; for a task the ledger does not have, "the ledger has no task" replaces it
    #: (`import updates` adds no task: a details row is no help)
    no_details: tuple[str, L] | None = None
    #: where a per-unit sheet's sealed cells are, as a message names them: its hidden
    #: columns (A–C as exported), its month mark (A1) and its unit mark (B1) — moved by
    #: a row or a column inserted above or before them
    seal_cells: tuple[str, str, str] = ("A–C", "A1", "B1")

    @property
    def content(self) -> str:
        """The content hash part of the hash cell ("" for the full sheet)."""
        return self.hash.split(".")[0]

    @property
    def sent(self) -> str:
        """The update mark part of the hash cell: the month's update the sheet showed."""
        parts = self.hash.split(".")
        return parts[1] if len(parts) in (3, 4) else "-"

    @property
    def sent_status(self) -> str | None:
        """The task's status when the sheet was made (None: a sheet made before the
        hash cell held it, or the full sheet)."""
        parts = self.hash.split(".")
        return parts[3] if len(parts) == 4 and parts[3] in STATUS else None

    def sealed(self) -> bool:
        """Whether the hidden cells are as luoshi wrote them (see `_seal`): seal 1
        (three parts) or seal 2 (four, the status sent among them)."""
        parts = self.hash.split(".")
        if len(parts) not in (3, 4):
            return False
        return parts[2] == _seal(self.sent_month, self.unit, self.task, self.node, parts[0],
                                 parts[1], parts[3] if len(parts) == 4 else None)

    def fmt(self, header: str) -> str:
        """The number format of the row's cell under `header`."""
        return self.grid.fmt(self.row, self.cols[header]) if header in self.cols else "General"

    def ref(self, header: str) -> str:
        """区发改委.xlsx 本月填报!H5: several units' files are read in one run.  A
        column the sheet no longer has (a unit deleted a grey column) names the row:
        its absence raised KeyError, an internal error (audit)."""
        if header not in self.cols:
            return f"{self.file} {self.grid.ref(self.row)}"
        return f"{self.file} {self.grid.ref(self.row, self.cols[header])}"


#: what a warning of `import updates` ends with: the cell was imported (`UpdatePlan.checked`
#: says TO_IMPORT instead when nothing is written)
IMPORTED = L("（已导入）", " (imported)")
TO_IMPORT = L("（拟导入）", " (to be imported)")


@dataclass
class UpdatePlan:
    """What `import updates` would write (rel → new text), and what it refused."""

    texts: dict[str, str] = field(default_factory=dict)
    units: set[str] = field(default_factory=set)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, L]] = field(default_factory=list)
    problems: list[tuple[str, L]] = field(default_factory=list)
    #: imported, but worth a look (a progress below the last report's)
    warnings: list[tuple[str, L]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    #: what the import did to a cell on its own (control characters dropped) → the cells
    notes: dict[L, list[str]] = field(default_factory=dict)
    month: str | None = None
    #: each workbook read (its file name) → the units its sheets speak for (their B1
    #: mark, "" when it is gone; None for export's full 任务台账 sheet, which is no
    #: unit's) and the tasks
    #: updated from it.  The seal is unkeyed (see `_seal`): the summary names who
    #: each file spoke as, so a sheet sent back as another unit is seen by the clerk.
    senders: dict[str, tuple[list[str | None], list[str]]] = field(default_factory=dict)
    #: each workbook read → the names of its full task sheets imported (任务台账, Tasks):
    #: the summary names the sheet as the workbook has it
    full_sheets: dict[str, list[str]] = field(default_factory=dict)
    #: (task file, task index in it; None: the file holds one task mapping) → the
    #: row the task's edits came from
    origin: dict[tuple[str, int | None], Row] = field(default_factory=dict)

    def checked(self, written: bool) -> list[tuple[str, L]]:
        """The warnings as they are said: "（已导入）" when the import writes, "（拟导入）"
        with --dry-run or when a problem stops it (nothing is written)."""
        if written:
            return self.warnings
        return [(ref, L(label.zh.replace(IMPORTED.zh, TO_IMPORT.zh),
                        label.en.replace(IMPORTED.en, TO_IMPORT.en)))
                for ref, label in self.warnings]

    def said_notes(self, written: bool) -> dict[L, list[str]]:
        """The notes as they are said: the hyperlink note's "（单元格的文字已导入）" is
        "（单元格的文字拟导入）" when nothing is written, as the warnings' (`checked`)."""
        if written or _LINKS not in self.notes:
            return self.notes
        return {(_LINKS_TO_IMPORT if label == _LINKS else label): refs
                for label, refs in self.notes.items()}

    def where(self, file: str, path: tuple[Any, ...] | None) -> str:
        """The sheet cell a validation finding in an edited task file comes from (the
        task file when no row made that task's edits)."""
        path = path or ()
        listed = bool(path) and isinstance(path[0], int)
        row = self.origin.get((file, path[0] if listed else None))
        if row is None:
            return file
        rest = path[1:] if listed else path
        key = rest[0] if rest else None
        if key == "updates" and len(rest) > 2:
            key = rest[2]
        header: str | None = {"progress": C_PROGRESS, "status": C_STATUS, "note": C_NOTE,
                              "problems": C_PROBLEMS, "actual": C_ACTUAL}.get(str(key))
        if key == "milestones":
            n = rest[1] if len(rest) > 1 and isinstance(rest[1], int) else None
            header = f"ms{n + 1}_done" if row.full and n is not None else C_DONE
        if header is not None and header in row.cols:
            return row.ref(header)
        return f"{row.file} {row.grid.ref(row.row)}"


def read_rows(path: Path, plan: UpdatePlan) -> tuple[list[Row], str | None]:
    """The rows of every per-unit sheet in the workbook, and the month it is for."""
    wb = open_workbook(path)
    rows: list[Row] = []
    month: str | None = None
    found = False
    speaks = plan.senders.setdefault(path.name, ([], []))[0]
    # export's full sheets, decided at the end, each with what reading it named (said
    # only when the sheet is imported: a sheet refused whole is named once)
    fulls: list[tuple[Grid, list[Row], UpdatePlan]] = []
    others: list[Grid] = []  # sheets that are neither: named in a unit's workbook
    unit_sheet = False
    names = sheet_names(wb)
    # luoshi's own export (it has a 任务明细 sheet): its 汇总 holds counts, never tasks --
    # the English Summary's header (Lead unit, ID, Tasks, … in progress) reads like a
    # task sheet's and was taken for a second full sheet
    counts = SUMMARY_SHEETS if any(d in names for d in DETAILS_SHEETS) else ()
    grids = [read_grid(wb, name) for name in names if name not in counts]
    heads = {grid.name: _id_header(grid) for grid in grids}
    copies = _copies(grids, heads)
    for grid in grids:
        header = heads[grid.name]
        if header is None:
            said = UpdatePlan()
            full = _full_rows(grid, path, said)
            if full is not None:
                found = True
                fulls.append((grid, full, said))
            elif grid.values or grid.comments:
                others.append(grid)
            continue
        found = unit_sheet = True
        # luoshi's marks (A1, B1 as exported) move with a row or column inserted above
        # or before them (a title row, a 序号 column): read at fixed cells, the sheet
        # asked for --month and then refused every row as edited (audit)
        marks = _marks(grid, header)
        sent_month = ""
        if MONTH_MARK in marks:
            month = sent_month = marks[MONTH_MARK][2]
        owner = ""
        if UNIT_MARK in marks:
            owner = marks[UNIT_MARK][2]
            plan.units.add(owner)
        if owner not in speaks:
            speaks.append(owner)
        if grid.hidden:
            plan.refused.append((f"{path.name} {quote_sheet(grid.name)}", _HIDDEN))
            continue
        if grid.name in copies:
            # a copy of the unit's sheet (本月填报（修改）, Sheet2) was read as well,
            # without a word: one sheet is read, the copy named (audit)
            why, stops = copies[grid.name]
            (plan.problems if stops else plan.refused).append(
                (f"{path.name} {quote_sheet(grid.name)}", why))
            continue
        gone_marks = [m for m in (MONTH_MARK, UNIT_MARK) if m not in marks]
        heads_read = {head_key(grid.get(header, c)) for c in range(1, grid.max_col + 1)}
        if gone_marks and {H_HASH, H_NODE} <= heads_read:
            # (a hidden column deleted took B1 with it: that is said below)
            # every row is sealed with both: said once, with the fix that works
            # (--month cannot restore a seal)
            plan.problems.append((f"{path.name} {quote_sheet(grid.name)}", _marks_gone(gone_marks)))
            continue
        _note_controls(plan, path, grid)
        _above_header(grid, header, path, plan, marks)
        cols: dict[str, int] = {}
        # the sheet's own columns, wherever they stand: a look-alike header beside its
        # column (存在问题（补充） beside 存在问题) is a column the unit added, not a
        # retyped one — named as not imported, never a stop of the whole run
        # the Chinese or the English header (a unit may send back an older sheet),
        # retyped in another width or spacing (本月进度（%）) too
        keys = {c: head_key(grid.get(header, c)) for c in range(1, grid.max_col + 1)}
        present = set(keys.values())
        for c in range(1, grid.max_col + 1):
            h = grid.get(header, c)
            key = keys[c]
            if key is not None and key not in cols:
                cols[key] = c
                continue
            held = any(grid.get(r, c) is not None for r in range(header + 1, grid.max_row + 1))
            like = _looks_like(h) if key is None else None
            if like is not None and HEADS[like] in present:
                like = None
            if like is not None and held:
                # 本月进度 for 本月进度 (%): its figures were dropped with the column
                # named "not imported", exit 0, 更新任务 0 个 (audit)
                shown = printable(str(h))
                plan.problems.append((f"{path.name} {grid.ref(header, c)}", L(
                    f"列标题“{shown}”不是填报表的“{like}”：这一列填的内容未导入；"
                    f"请把列标题改回“{like}”后再导入（或重新导出本单位填报表）",
                    f"the header '{shown}' is not the sheet's '{like}': what the column "
                    f"holds is not imported; change the header back to '{like}' and import "
                    "again (or export the unit's sheet again)")))
            elif h is not None or held:
                plan.ignored.append(f"{path.name} {grid.ref(header, c)} "
                                    f"{printable(str(h or ''))}".strip())
        gone = [h for h in (H_HASH, H_NODE) if h not in cols]
        if gone:
            # luoshi's hidden columns are what a row is matched back by: without one no
            # row can be read (every row was named "hidden cells edited"), said once.
            # A grey column deleted is harmless: the import does not read it
            plan.problems.append((f"{path.name} {quote_sheet(grid.name)}", L(
                f"填报表缺少隐藏的“{gone[0]}”列（A–C 列被删除）：本表不能导入；请重新导出本单位填报表",
                f"the sheet has lost the hidden {gone[0]} column (columns A–C deleted): it "
                "cannot be imported; export the unit's sheet again")))
            continue
        tall = _tall_merges(grid, header, [cols[h] for h in UNIT_COLUMNS if h in cols])
        for rng in dict.fromkeys(tall.values()):
            plan.refused.append((f"{path.name} {quote_sheet(grid.name)}!{rng}", _MERGED_ROWS))
        seal_cells = _seal_cells(cols, marks)
        for r in range(header + 1, grid.max_row + 1):
            ident = grid.get(r, cols[H_ID])
            if ident is None:
                _added_row(grid, r, path, plan)
                continue
            node = grid.get(r, cols[H_NODE]) if H_NODE in cols else None
            if isinstance(node, str) and node.strip().isdecimal():
                # a sheet saved as CSV: every cell is text, the milestone's number too
                # (read as none, the seal failed: "隐藏单元格…被修改")
                node = int(node.strip())
            if _one_merged_text(grid, r, cols):
                plan.notes.setdefault(_MERGED_TEXT, []).append(
                    f"{path.name} {grid.ref(r, cols[C_NOTE])}")
            # a cell of a merge over several rows is none of them: left out of the row
            here = cols if not tall else {h: c for h, c in cols.items() if (r, c) not in tall}
            rows.append(Row(grid, r, str(ident), int(node) if isinstance(node, (int, float))
                            else None, str(grid.get(r, cols.get(H_HASH, 0)) or ""),
                            {h: grid.get(r, c) for h, c in here.items()}, here, path.name,
                            unit=owner, sent_month=sent_month, hidden=r in grid.hidden_rows,
                            seal_cells=seal_cells))
    for grid, full, said in fulls:
        if grid.hidden:
            plan.refused.append((f"{path.name} {quote_sheet(grid.name)}", _HIDDEN))
        elif speaks:
            # the full sheet is no unit's and carries no seal: inside a unit's returned
            # workbook it would report any task, the other units' included (a reference
            # copy is harmless: the unit's own sheet is imported, this one named)
            plan.refused.append((f"{path.name} {quote_sheet(grid.name)}", L(
                "本文件是单位填报表，却含有任务台账全表：该表不导入（全表只能由督查室单独导入），"
                "本单位的填报表照常导入",
                "this file is a unit's returned sheet, yet it holds the full task sheet: that "
                "sheet is not imported (the office imports the full sheet on its own); the "
                "unit's own sheet is")))
        else:
            if None not in speaks:
                speaks.append(None)
            plan.full_sheets.setdefault(path.name, []).append(grid.name)
            plan.ignored.extend(said.ignored)
            plan.refused.extend(said.refused)
            plan.problems.extend(said.problems)
            _note_controls(plan, path, grid)
            rows.extend(full)
            plan.problems.extend((f"{path.name} {ref}", label)
                                 for ref, label in unjoined_problems(grid))
            details = next((d for d in DETAILS_SHEETS if d in names), None)
            if details is not None and grid.name not in DETAILS_SHEETS:
                _full_details(read_grid(wb, details, join=False), full, path, plan)
            _full_shadowed(grid, full, path, plan)
    if unit_sheet:
        # a unit's workbook: a sheet it added (补充说明) was read past without a word
        plan.refused.extend((f"{path.name} {quote_sheet(grid.name)}", _OTHER_SHEET)
                            for grid in others if grid.name not in (GUIDE, GUIDE_EN))
    elif fulls:
        # luoshi's own export: a sheet added to it (补充说明) was read past without a
        # word; the export's other sheets (任务明细, 得分 …) are its own
        plan.refused.extend((f"{path.name} {quote_sheet(grid.name)}", _OTHER_FULL_SHEET)
                            for grid in others if not _export_sheet(grid.name))
    if not found:
        raise SheetError(L(f"{path} 不是 luoshi export --per-unit 生成的填报表（没有 {H_ID} 列），"
                           "也不是 luoshi export 的任务台账（编号、任务名称、牵头单位、进度列）",
                           f"{path} is not a sheet written by luoshi export --per-unit "
                           f"(no {H_ID} column) nor luoshi export's task sheet (ID, Title, "
                           "Lead unit, Progress)"))
    return rows, month


@dataclass
class SheetRead:
    """One returned workbook read on its own — its rows, its month, and what reading
    it adds to the plan (`part`: who it speaks for, added rows, ignored columns) — or
    why it cannot be read (`refused`: a `SheetError`'s label, code and language).
    The 200 workbooks of a province are read on both cores this way (openpyxl is
    most of an import's time), and `into` merges each into the plan in the order the
    files were given: the same plan, problems, refused sheets and first refusal as
    reading them one after another (`read_rows` adds to `senders`, `units`,
    `ignored`, `refused`, `problems`, `notes` and `full_sheets`, and to nothing
    else)."""

    rows: list[Row] = field(default_factory=list)
    month: str | None = None
    part: UpdatePlan = field(default_factory=UpdatePlan)
    refused: tuple[L, int, str | None] | None = None

    def into(self, plan: UpdatePlan, path: Path) -> tuple[list[Row], str | None]:
        """Merge what reading added into `plan`; the rows and the month (or the
        `SheetError` reading met)."""
        if self.refused is not None:
            label, code, lang = self.refused
            raise SheetError(label, code, lang=lang)
        speaks = plan.senders.setdefault(path.name, ([], []))[0]
        for who in self.part.senders.get(path.name, ([], []))[0]:
            if who not in speaks:
                speaks.append(who)
        plan.units |= self.part.units
        for file, names in self.part.full_sheets.items():
            plan.full_sheets.setdefault(file, []).extend(names)
        plan.ignored.extend(self.part.ignored)
        plan.refused.extend(self.part.refused)
        plan.problems.extend(self.part.problems)
        for label, refs in self.part.notes.items():
            plan.notes.setdefault(label, []).extend(refs)
        return self.rows, self.month


def read_one(path: Path) -> SheetRead:
    """`read_rows` into a plan of its own, a refusal kept as a value (so that it can
    come back from another core and be raised in its turn)."""
    read = SheetRead()
    try:
        read.rows, read.month = read_rows(path, read.part)
    except SheetError as exc:
        read.rows, read.part = [], UpdatePlan()
        read.refused = (exc.label, exc.code, exc.lang)
    return read


def read_all(paths: list[Path], spread: Spread | None) -> list[SheetRead]:
    """Every workbook read (`read_one`), on every core `spread` uses (by file size),
    in the order given."""
    if spread is None or len(paths) < 2:
        return [read_one(path) for path in paths]
    sizes = []
    for path in paths:
        try:
            sizes.append(max(1, path.stat().st_size))
        except OSError:
            sizes.append(1)  # read_one says why
    done = dict(spread(lambda k: read_one(paths[k]), sizes))
    return [done[k] for k in range(len(paths))]


def _note_controls(plan: UpdatePlan, path: Path, grid: Grid) -> None:
    """Name the cells of a sheet read whose control characters were dropped, the
    formulas read as the values they showed, the hidden columns and the comments (批注),
    which are not imported (they were all taken or dropped without a word)."""
    if grid.controls:
        plan.notes.setdefault(CONTROLS, []).extend(f"{path.name} {ref}" for ref in grid.controls)
    if grid.formulas:
        plan.notes.setdefault(FORMULAS, []).extend(f"{path.name} {ref}" for ref in grid.formulas)
    if grid.hidden_cols:
        plan.notes.setdefault(HIDDEN_COLS, []).extend(
            f"{path.name} {ref}" for ref in grid.hidden_cols)
    for ref, target in grid.links:
        # the address a cell links to (见附件 → http://…/附件.pdf) was dropped without
        # a word, while `import tasks` names it: named, with the address
        address = printable(target)
        address = address if len(address) <= 200 else address[:200] + "…"
        plan.notes.setdefault(_LINKS, []).append(f"{path.name} {ref} {address}")
    for ref, text in grid.comments:
        shown = _short(text)
        plan.refused.append((f"{path.name} {ref}", L(
            f"{COMMENT.zh}：“{shown}”；要报送的内容请写进本月进展或存在问题",
            f"{COMMENT.en}: '{shown}'; write what is to be reported into "
            f"{EN[C_NOTE]} or {EN[C_PROBLEMS]}")))


#: a cell's hyperlink: its text is read, its address is not (`UpdatePlan.said_notes`
#: says "拟导入" when nothing is written)
_LINKS = L(f"{HYPERLINK.zh}：要报送的地址请写进单元格的文字",
           f"{HYPERLINK.en}: write an address that is to be reported into the cell's text")
_LINKS_TO_IMPORT = L(_LINKS.zh.replace(HYPERLINK.zh, HYPERLINK_TO_IMPORT.zh),
                     _LINKS.en.replace(HYPERLINK.en, HYPERLINK_TO_IMPORT.en))


#: a formula cell is read as the value Excel saved for it (a link's text, a sum)
FORMULAS = L("公式只导入其显示值（请直接填写内容，不用公式）",
             "a formula is imported as the value it shows (type the content, not a formula)")


def _id_header(grid: Grid) -> int | None:
    """The row of a per-unit sheet's header (the one holding `H_ID`), None: no unit's
    sheet."""
    return next((r for r in range(1, min(grid.max_row, 30) + 1)
                 if H_ID in [grid.get(r, c) for c in range(1, grid.max_col + 1)]), None)


def _filled(grid: Grid, header: int) -> dict[tuple[Any, Any], tuple[Any, ...]]:
    """What a per-unit sheet reports: (hidden id, milestone) → its cells under the
    columns a unit fills (`UNIT_COLUMNS`), to tell a copy holding the same from one
    holding more."""
    cols = sorted((key, c) for c in range(1, grid.max_col + 1)
                  if (key := head_key(grid.get(header, c))) is not None)
    at = {key: c for key, c in cols}
    unit = [at[h] for h in UNIT_COLUMNS if h in at]
    if H_ID not in at:
        return {}
    return {(grid.get(r, at[H_ID]), grid.get(r, at.get(H_NODE, 0))):
            tuple(grid.get(r, c) for c in unit)
            for r in range(header + 1, grid.max_row + 1)}


def _copies(grids: list[Grid], heads: dict[str, int | None]) -> dict[str, tuple[L, bool]]:
    """The visible per-unit sheets of a workbook that copy another (the same month and
    unit marks) → why each is not read.  The one read is 本月填报 (Monthly report),
    else the first; a copy holding the same is named, one that reports otherwise stops
    the import (what it holds would be lost)."""
    groups: dict[tuple[str, str], list[Grid]] = {}
    for grid in grids:
        header = heads[grid.name]
        if header is None or grid.hidden:
            continue
        marks = _marks(grid, header)
        if MONTH_MARK in marks and UNIT_MARK in marks:
            key = (marks[MONTH_MARK][2], marks[UNIT_MARK][2])
            groups.setdefault(key, []).append(grid)
    why: dict[str, tuple[L, bool]] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        main = next((g for g in group if g.name in (SHEET, SHEET_EN)), group[0])
        filled = _filled(main, heads[main.name] or 0)
        shown = printable(main.name)
        for grid in group:
            if grid is main:
                continue
            if _filled(grid, heads[grid.name] or 0) == filled:
                why[grid.name] = (L(
                    f"这张工作表是“{shown}”表的副本：不导入（导入的是“{shown}”表）",
                    f"this sheet is a copy of '{shown}': it is not imported ('{shown}' is)"),
                    False)
            else:
                why[grid.name] = (L(
                    f"这张工作表是“{shown}”表的副本，填的内容却与它不同：未导入；"
                    f"请把要报送的内容写进“{shown}”表、删去这张工作表后再导入",
                    f"this sheet is a copy of '{shown}' holding other entries: not "
                    f"imported; write what is to be reported into '{shown}', delete this "
                    "sheet and import again"), True)
    return why


def _named_for_another(path: Path, named: set[str], names: dict[str, str],
                       plan: UpdatePlan) -> tuple[str, L] | None:
    """A file named for one unit (招商服务局.xlsx) holding another's sheet (经济发展局's,
    its B1 mark) was imported as that other unit's without a word: the wrong file sent,
    or sent back under the wrong name (audit).  Imported as its sheet says, and named
    (when a task is updated from it)."""
    speaks, ids = plan.senders.get(path.name, ([], []))
    owners = [u for u in speaks if u]
    if not named or not owners or not ids or any(u in named for u in owners):
        return None
    def who(units: list[str], sep: str, en: bool) -> str:
        return printable(sep.join(u if u not in names else f"{u} ({names[u]})" if en
                                  else f"{u}（{names[u]}）" for u in units))

    file_for = sorted(named)
    return (path.name, L(
        f"文件名是单位 {who(file_for, '、', False)}的，表中却是 {who(owners, '、', False)}的填报表，"
        f"按表中的单位导入：请核对是否交错了文件{IMPORTED.zh}",
        f"the file is named for {who(file_for, ', ', True)}, yet it holds the sheet of "
        f"{who(owners, ', ', True)}, read as the sheet's unit: check that the right file "
        f"was sent{IMPORTED.en}"))


#: what a browser (经济发展局(1).xlsx, 经济发展局 (1).xlsx), Windows (经济发展局 - 副本.xlsx,
#: 经济发展局 - Copy (2).xlsx) or a clerk (经济发展局副本.xlsx) adds to a file's name when
#: the file is saved or copied again: stripped before the name is matched with a unit
_COPY_SUFFIX = re.compile(r"(?:\s*[(（]\d+[)）]|\s*-\s*(?:副本|Copy)|副本)$")


def _named_units(stem: str, by_stem: dict[str, set[str]]) -> set[str]:
    """The units a file's name (its stem) is a unit's file name for: the name itself,
    else the name without the copy suffixes a download or a copy added (`_COPY_SUFFIX`,
    only those)."""
    if stem in by_stem:
        return by_stem[stem]
    bare = stem
    while (shorter := _COPY_SUFFIX.sub("", bare)) != bare:
        bare = shorter
    return by_stem.get(bare, set())


def _seal_cells(cols: dict[str, int], marks: dict[str, tuple[int, int, str]]
                ) -> tuple[str, str, str]:
    """Where a per-unit sheet's sealed cells are (`Row.seal_cells`): its hidden columns'
    letters (A–C, or B–D after a column inserted before them, or A、B、D with one
    inserted between) and its month and unit marks' cells (A1 and B1, or A2 and B2
    after a row inserted above) — a message naming A1 sent the clerk to a cell that
    holds the title."""
    at = sorted(cols[h] for h in (H_ID, H_HASH, H_NODE) if h in cols)
    if at and at == list(range(at[0], at[0] + len(at))) and len(at) > 1:
        hidden = f"{col_letter(at[0])}–{col_letter(at[-1])}"
    else:
        hidden = "、".join(col_letter(c) for c in at) or "A–C"

    def cell(mark: str, default: str) -> str:
        r, c, _v = marks.get(mark, (0, 0, ""))
        return f"{col_letter(c)}{r}" if r else default

    return hidden, cell(MONTH_MARK, "A1"), cell(UNIT_MARK, "B1")


def _marks(grid: Grid, header: int) -> dict[str, tuple[int, int, str]]:
    """luoshi's month and unit marks of a per-unit sheet (`MONTH_MARK`, `UNIT_MARK`)
    → (row, column, what follows the mark): written in A1 and B1, found wherever a
    row or a column inserted moved them above the header (the first of each)."""
    found: dict[str, tuple[int, int, str]] = {}
    for r in range(1, header):
        for c in range(1, grid.max_col + 1):
            v = grid.get(r, c)
            for mark in (MONTH_MARK, UNIT_MARK):
                if isinstance(v, str) and v.startswith(mark) and mark not in found:
                    found[mark] = (r, c, v[len(mark):])
    return found


def _marks_gone(gone: list[str]) -> L:
    """A per-unit sheet's month or unit mark cleared or deleted (row 1 cleared or
    deleted): no row's seal can match, and --month cannot mend it."""
    zh = "、".join({MONTH_MARK: "月份（A1）", UNIT_MARK: "单位（B1）"}[m] for m in gone)
    en = " and ".join({MONTH_MARK: "month (A1)", UNIT_MARK: "unit (B1)"}[m] for m in gone)
    return L(f"填报表第 1 行隐藏的{zh}标记被清空或删除：本表不能导入；请撤销对第 1 行的修改，"
             "或重新导出本单位填报表",
             f"the sheet's hidden {en} mark in row 1 was cleared or deleted: it cannot be "
             "imported; undo the change to row 1, or export the "
             "unit's sheet again")


def _above_header(grid: Grid, header: int, path: Path, plan: UpdatePlan,
                  marks: dict[str, tuple[int, int, str]]) -> None:
    """What a unit typed above a per-unit sheet's header (a 填报人 line beside the
    title) is no row's report: named, not dropped without a word.  luoshi's own cells
    there are the month (A1), the unit (B1) and the title (D1, merged to the end),
    where an inserted row or column moved them (`marks`)."""
    at = {(r, c) for r, c, _ in marks.values()}
    tr, tc = (marks[MONTH_MARK][0], marks[MONTH_MARK][1] + 3) if MONTH_MARK in marks else (1, 4)
    title = grid.get(tr, tc)

    def own(r: int, c: int, v: Any) -> bool:
        return (r, c) in at or (r == tr and v == title and (c == tc or (r, c) in grid.wide))

    for r, c, v in above_header(grid, header, own):
        plan.refused.append((f"{path.name} {grid.ref(r, c)}", L(
            f"{ABOVE_HEADER.zh}：“{_short(v)}”；要报送的内容请写进任务所在的行",
            f"{ABOVE_HEADER.en}: '{_short(v)}'; write what is "
            "to be reported into the task's row")))


#: the grey 上月进度 and 目标值 cells of a unit's sheet: shown for reference, not read
_REFERENCE_ONLY = L("上月进度、目标值只供参考，不导入；这些单元格与台账现有的值不同（表中“…”≠台账）",
                    f"{EN[C_LAST]} and {EN[C_TARGET]} are shown for reference and not "
                    "imported; these cells differ from the ledger's values (sheet '…' ≠ "
                    "ledger)")


#: a sheet of a unit's returned workbook that is neither its sheet nor the guide
_OTHER_SHEET = L("这张工作表不是填报表：其中的内容不导入；要报送的内容请写进“本月填报”表任务所在的行",
                 "this sheet is not the monthly sheet: what it holds is not imported; write "
                 f"what is to be reported into the task's row of {SHEET_EN}")


#: a sheet added to `export`'s workbook: neither a task sheet nor one luoshi writes
_OTHER_FULL_SHEET = L(
    "这张工作表不是 luoshi 导出的表：其中的内容不导入；要报送的内容请写进“任务台账”表任务所在的行",
    "this sheet is not one luoshi exported: what it holds is not imported; write what is "
    "to be reported into the task's row of the Tasks sheet")


def _export_sheet(name: str) -> bool:
    """Whether `export` writes a sheet of this name (besides the task sheet and 汇总)."""
    return (name in (*DETAILS_SHEETS, *INTERVIEWS_SHEETS, *RECTIFICATIONS_SHEETS)
            or _SCORE_SHEET.fullmatch(name) is not None)


#: the export's score sheets: 得分 2024-Q2, Scores 2024, 得分 2024-05 (a sheet 得分 补充
#: added by a clerk is no export's)
_SCORE_SHEET = re.compile(r"(得分|Scores) [1-9]\d{3}(-Q[1-4]|-H[12]|-(0[1-9]|1[0-2]))?")


def _full_details(grid: Grid, rows: list[Row], path: Path, plan: UpdatePlan) -> None:
    """What of export's 任务明细 the joined task sheet does not carry (`join_details`
    joins the columns with a header, and 编号 and 任务名称 from the task sheet): its
    任务名称 cells, given to their rows to compare with the ledger; text above its
    header and values in a column with no header, named (all were read past without
    a word)."""
    head = find_header(grid, "id")
    if head is None:
        return
    _full_above(grid, head.first_row, path, plan)
    held = _held_below(grid, head.last_row)
    for c in range(1, grid.max_col + 1):
        if c not in head.texts and c in held:
            plan.ignored.append(f"{path.name} {grid.ref(head.first_row, c)}")
    id_col, title_col = head.col("id"), head.col("title")
    if id_col is None or title_col is None:
        return
    by_id: dict[str, Row] = {}
    for one in rows:
        by_id.setdefault(one.task, one)
    taken: set[str] = set()
    for r in range(head.last_row + 1, grid.max_row + 1):
        ident = grid.get(r, id_col)
        row = by_id.get(str(ident)) if ident is not None else None
        if row is not None and row.task not in taken:  # a second row is refused whole
            taken.add(row.task)
            row.extra["details_title"] = (grid, r, title_col, grid.get(r, title_col))


#: a hidden sheet holding rows to import: nobody reading the workbook sees them
_HIDDEN = L("这是隐藏的工作表（或隐藏了其“任务明细”表）：其中的内容不导入（请取消隐藏并核对后再报送）",
            "this sheet (or its Task details sheet) is hidden: what it holds is not imported "
            "(unhide it and check it, then send it again)")


#: a hidden row holding a report: nobody reading the workbook sees it
_HIDDEN_ROW = L("这一行是隐藏的（或被筛选隐藏）：其中填报的内容不导入（请取消隐藏并核对后再报送）",
                "this row is hidden (or filtered out): what it reports is not imported (unhide "
                "it and check it, then send it again)")


def _added_row(grid: Grid, r: int, path: Path, plan: UpdatePlan) -> None:
    """A row the unit added (a continuation line, a new item) has no task id: what it
    holds is named as a problem, never dropped without a word."""
    held = [(c, grid.get(r, c)) for c in range(1, grid.max_col + 1)
            if grid.get(r, c) is not None]
    if not held:
        return  # an empty row inserted: nothing lost
    what = "；".join(f"{col_letter(c)}{r} “{_short(v)}”" for c, v in held[:6]) + \
        ("…" if len(held) > 6 else "")
    what_en = "; ".join(f"{col_letter(c)}{r} '{_short(v)}'" for c, v in held[:6]) + \
        ("…" if len(held) > 6 else "")
    plan.problems.append((f"{path.name} {grid.ref(r)}", L(
        f"新增的行（没有 luoshi 的隐藏任务编号）不能导入：{what}；请把内容写进任务所在的行，"
        "新任务请报督查室立项",
        f"an added row (no hidden luoshi task id) cannot be imported: {what_en}; write it "
        "into the task's own row, and send new tasks to the office")))


def _one_merged_text(grid: Grid, r: int, cols: dict[str, int]) -> bool:
    """Whether the row's 本月进展 and 存在问题 are one merged cell: its text is read
    into both (what a reader sees under each header), which is named (`_MERGED_TEXT`)
    — the same words in the ledger's note and problems went without a word."""
    if C_NOTE not in cols or C_PROBLEMS not in cols:
        return False
    a, b = (r, cols[C_NOTE]), (r, cols[C_PROBLEMS])
    return grid.merged_from.get(a, a) == grid.merged_from.get(b, b)


def _tall_merges(grid: Grid, header: int, read: list[int]) -> dict[tuple[int, int], str]:
    """The cells below the header, in the columns read, of a merged range spanning
    several rows → its range (K3:K5).  Its value is the first cell's, copied into each
    row (what a reader sees): one 60 merged down over three tasks became each task's
    report without a word (audit); `import scores` names such a merge too."""
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell, top in grid.merged_from.items():
        if top[1] in read or cell[1] in read:
            groups.setdefault(top, [top]).append(cell)
    out: dict[tuple[int, int], str] = {}
    for cells in groups.values():
        rows = [r for r, _c in cells]
        if min(rows) == max(rows) or max(rows) <= header:
            continue
        cols = [c for _r, c in cells]
        rng = f"{col_letter(min(cols))}{min(rows)}:{col_letter(max(cols))}{max(rows)}"
        out.update({cell: rng for cell in cells if cell[0] > header})
    return out


#: a value merged down over several tasks' rows (`_tall_merges`)
_MERGED_ROWS = L("合并单元格跨过几个任务的行：其中的内容不导入（一个值不能算作几个任务的填报）；"
                 "请取消合并，在每个任务的行分别填写",
                 "a merged cell spans several tasks' rows: what it holds is not imported (one "
                 "value is no report for several tasks); unmerge the cells and fill in each "
                 "task's row")


#: a row whose 本月进展 and 存在问题 are one merged cell (`_one_merged_text`)
_MERGED_TEXT = L("本月进展和存在问题是同一个合并单元格：其中的文字同时记为本月进展和存在问题；"
                 "如不是这样，请取消合并，分别填写",
                 f"{EN[C_NOTE]} and {EN[C_PROBLEMS]} are one merged cell: its text is "
                 "recorded as both; if that is not meant, unmerge the cells and fill each")


def _short(v: Any) -> str:
    return clipped(str(_text(v)))


#: the full sheet's hidden mark of each task's reports as it showed them
#: (`export.state_mark`, 任务明细's last column)
C_SENT = "luoshi:sent"
#: 存在问题 is the problems of the report 最新进展 names (`export` writes the last
#: report's beside it): read as that month's, as `import tasks` reads it
_FULL = {"id": C_CODE, "title": C_TITLE, "lead": C_LEAD, "standard": C_STD,
         "progress": C_PROGRESS, "note": C_NOTE, "problems": C_PROBLEMS, "status": C_STATUS,
         "sent": C_SENT, "actual": C_ACTUAL, "target_value": C_TARGET}
#: columns of `export`'s task sheet that are read past without a word (luoshi's own)
_FULL_QUIET = frozenset({"category", "units", "cooperating", "leaders", "start", "due",
                         "tags", "owners", "unit_leaders",
                         "expected", "light", "closed_date", "closed_by", "closed_evidence", "seq",
                         "task_note", "achieved"})
_NOTE_MONTH = re.compile(r"(\d{4})-(\d{2})[：:]\s*(.*)", re.S)
#: what `export._latest_note` writes after the month (Chinese, English)
_NOTE_COLONS = ("：", ": ")


def _full_rows(grid: Grid, path: Path, plan: UpdatePlan) -> list[Row] | None:
    """The rows of `luoshi export`'s 任务台账 sheet (编号 … 进度, 最新进展 “2024-05：…”,
    节点N完成), or None when the sheet is not one."""
    from .columns import field_of

    for r in range(1, min(grid.max_row, 30) + 1):
        fields = {c: field_of(grid.get(r, c)) for c in range(1, grid.max_col + 1)}
        if not {"id", "title", "lead", "progress"} <= set(fields.values()):
            continue
        cols: dict[str, int] = {}
        extra: dict[str, int] = {}  # the task's own fields and luoshi's figures
        held = _held_below(grid, r)
        for c, f in fields.items():
            if f in _FULL and _FULL[f] not in cols:
                cols[_FULL[f]] = c
            elif f is not None and re.fullmatch(r"ms\d+_(due|standard|done|note)", f):
                cols[f] = c
            elif f in _FULL_QUIET and f not in extra:
                extra[f] = c
            elif (f is None or f not in _FULL_QUIET) and grid.get(r, c) is not None:
                plan.ignored.append(f"{path.name} {grid.ref(r, c)} "
                                    f"{printable(str(grid.get(r, c)))}")
            elif grid.get(r, c) is None and c in held:
                # values in a column with no header (任务台账!M3) were read past
                # without a word: the column is named, as a unit's sheet names it
                plan.ignored.append(f"{path.name} {grid.ref(r, c)}")
        _full_above(grid, r, path, plan)
        # a value merged down over several tasks' rows (进度 60 over H3:H5) became each
        # task's report without a word: refused at its range, as on a unit's sheet
        # (or over several rows of 任务明细: 最新进展 over 任务明细!S3:S5)
        read = [c for h, c in cols.items() if h in UNIT_COLUMNS or h.startswith("ms")]
        tall = {cell: f"{quote_sheet(grid.name)}!{rng}"
                for cell, rng in _tall_merges(grid, r, read).items()}
        tall.update({cell: rng for cell, rng in grid.tall_joined.items() if cell[1] in read})
        for rng in dict.fromkeys(tall.values()):
            plan.refused.append((f"{path.name} {rng}", _MERGED_ROWS))
        rows = []
        firsts: dict[str, int] = {}
        for rr in range(r + 1, grid.max_row + 1):
            ident = grid.get(rr, cols[C_CODE])
            if ident is None:
                _full_added_row(grid, rr, path, plan)
                continue
            first = firsts.setdefault(str(ident), rr)
            if first != rr and rr in grid.bare:
                _full_doubled(grid, rr, first, cols[C_CODE], str(ident), path, plan)
                continue
            # a row that no 任务明细 row joins (`join_details` refuses it) has no
            # cell in the joined columns: nothing there was emptied, and nothing is
            # named there (each was refused as emptied, at a task sheet cell that
            # holds nothing)
            here = cols if rr not in grid.bare else {
                h: c for h, c in cols.items() if c not in grid.joined}
            if tall:  # a cell of a merge over several rows is none of them
                here = {h: c for h, c in here.items() if (rr, c) not in tall}
            cells = {h: grid.get(rr, c) for h, c in here.items() if not h.startswith("ms")}
            ms: dict[int, dict[str, Any]] = {}
            for h, c in here.items():
                if h.startswith("ms"):
                    n, part = h[2:].split("_")
                    ms.setdefault(int(n) - 1, {})[part] = grid.get(rr, c)
            refusal = grid.no_details.get(rr)
            rows.append(Row(grid, rr, str(ident), None, "", cells, here, path.name, True, ms,
                            hidden=rr in grid.hidden_rows,
                            no_details=None if refusal is None else (
                                f"{path.name} {refusal[0]}", refusal[1]),
                            extra={f: (grid, rr, c, grid.get(rr, c))
                                   for f, c in extra.items()
                                   if rr not in grid.bare or c not in grid.joined}))
        return rows
    return None


def _full_shadowed(grid: Grid, rows: list[Row], path: Path, plan: UpdatePlan) -> None:
    """任务明细's cells in a column of a field 任务台账 has too (a 进度 or 责任单位 added
    there) that say something else than 任务台账's: refused at the cell, 任务台账 being
    the one read (`join_details` keeps them in `Grid.shadowed`; they were dropped
    without a word, while `import tasks` named them).  Its 任务名称 is `_full_details`'
    to compare, its columns without a header `_full_details`' to name."""
    if not grid.shadowed or not rows:
        return
    title = rows[0].cols.get(C_TITLE)
    skip = col_letter(title) if title is not None else None
    for ref, value, theirs, their_value in grid.shadowed:
        if theirs is None or theirs.rsplit("!", 1)[-1].rstrip("0123456789") == skip:
            continue
        shown = _short(value)  # (printable: `_short` makes it so)
        was = "—" if their_value is None else _short(their_value)
        plan.refused.append((f"{path.name} {ref}", L(
            f"未导入“{shown}”：任务明细中这一列与任务台账重复，以任务台账为准（{theirs} 为“{was}”）；"
            "要报送的内容请写进任务台账",
            f"not imported '{shown}': this column of Task details repeats one of Tasks, and "
            f"Tasks is read ({theirs} holds '{was}'); write what is to be reported into Tasks")))


def _held_below(grid: Grid, header: int) -> set[int]:
    """The columns holding a value below the header row (one pass over the cells: a
    sheet with one far cell has mostly empty rows and columns)."""
    return {c for (r, c) in grid.values if r > header and grid.get(r, c) is not None}


def _full_above(grid: Grid, header: int, path: Path, plan: UpdatePlan) -> None:
    """What was typed above a full task sheet's header (beside its title) is no task's
    report: named, as above a unit's sheet (it was read past without a word)."""
    for r, c, v in above_header(grid, header, lambda r, c, _v: is_title(grid, r, c)):
        plan.refused.append((f"{path.name} {grid.ref(r, c)}", L(
            f"{ABOVE_HEADER.zh}：“{_short(v)}”；要报送的内容请写进任务所在的行",
            f"{ABOVE_HEADER.en}: '{_short(v)}'; write what is "
            "to be reported into the task's row")))


def _full_added_row(grid: Grid, r: int, path: Path, plan: UpdatePlan) -> None:
    """A full task sheet's row with no 编号 (a continuation line, a new task typed in)
    is no task's: what it holds is named as a problem, as a unit's added row is (it was
    read past without a word)."""
    held = [(c, grid.get(r, c)) for c in range(1, grid.max_col + 1)
            if grid.get(r, c) is not None]
    if not held:
        return
    what = "；".join(f"{grid.ref(r, c).rsplit('!', 1)[-1]} “{_short(v)}”"
                    for c, v in held[:6]) + ("…" if len(held) > 6 else "")
    what_en = "; ".join(f"{grid.ref(r, c).rsplit('!', 1)[-1]} '{_short(v)}'"
                        for c, v in held[:6]) + ("…" if len(held) > 6 else "")
    plan.problems.append((f"{path.name} {grid.ref(r)}", L(
        f"没有编号的行不能导入：{what}；请把内容写进任务所在的行，新任务请用 import tasks 导入",
        f"a row with no ID cannot be imported: {what_en}; write it into the task's own row, "
        "and add new tasks with import tasks")))


def _full_doubled(grid: Grid, r: int, first: int, id_col: int, ident: str, path: Path,
                  plan: UpdatePlan) -> None:
    """A second row of an 编号 on `export`'s 任务台账 (a row copied): 任务明细's row of
    the 编号 joins the first (`join_details`), so this one has none — no 最新进展, no
    存在问题, no mark of what the sheet showed (`luoshi:sent`).  A problem at its 编号,
    as a doubled 任务明细 row is: its joined columns were read as emptied and refused
    at 任务台账 cells that hold nothing, and its 进度 was taken without the mark that
    tells a stale row."""
    plan.problems.append((f"{path.name} {grid.ref(r, id_col)}", L(
        f"编号 {_short(ident)} 在任务台账中重复（第一次在 {grid.ref(first, id_col)}）：任务明细只对应"
        "第一行，本行不能导入；请合并为一行，删去另一行",
        f"ID {_short(ident)} is on the task sheet twice (first at {grid.ref(first, id_col)}): "
        "the task details sheet joins the first row only, so this row cannot be imported; "
        "merge them into one row and delete the other")))


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, float) and v == int(v):
        v = int(v)
    s = str(v).strip()
    return s or None


def _pct(v: Any, number_format: str = "General") -> Decimal | None:
    """A progress cell: 45, "45%", "45％", "４５", "８０．５％", or 0.45 in a %-formatted cell (a unit
    typed 45% into a General cell: Excel stores 0.45 and formats it `0%`)."""
    if v is None or isinstance(v, bool):
        return None
    try:
        # full-width forms too (８０．５％): the importers' one reading of a typed number
        d, _percent = typed_percent(str(v))
    except InvalidOperation:
        return None
    if isinstance(v, (int, float)) and "%" in number_format:
        d *= 100
    return d if d.is_finite() else None


def _num(d: Decimal) -> int | Decimal:
    return int(d) if d == d.to_integral_value() else d.normalize()


def _day(v: Any, year: int, number_format: str = "General") -> date | None:
    """A done date, read as `import tasks` reads one (`dates.cell_date`: 2024-06-28,
    2024年6月28日, 6月28日 in the month's year, an Excel serial number); full-width
    digits too.  None: not one date."""
    if isinstance(v, str):
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", v.strip())
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    try:
        return cell_date(v, year, number_format)
    except DateProblem:
        return None


#: what a number format shows besides its date tokens: "literal text", [colour or
#: locale], an escaped character
_FORMAT_LITERAL = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _month_only(v: Any, number_format: str) -> str | None:
    """The month a date cell shows when its number format shows a year and no day
    (`yyyy"年"m"月"`, `yyyy-mm`: what Excel makes of 2021年6月 typed into a cell, storing
    the 1st): "2021-06"; None for any other cell."""
    if isinstance(v, bool) or not isinstance(v, (date, int, float)):
        return None
    shows = _FORMAT_LITERAL.sub("", number_format or "").lower()
    if "y" not in shows or "d" in shows:
        return None
    if isinstance(v, date):
        return f"{v.year:04d}-{v.month:02d}"
    try:
        day = cell_date(v, 2000, number_format)
    except DateProblem:
        return None
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


_CN_TENTHS = {c: (n + 1) * 10 for n, c in enumerate("一二三四五六七八九十")}


def _progress_fix(text: str) -> L | None:
    """What to write for a progress typed as text that reads as one number (八十, 60。5,
    ５５ — `slips.number_fix` — and 八成: 80); None where no number is certain (约80)."""
    core = text.strip()
    if len(core) == 2 and core[1] == "成" and core[0] in _CN_TENTHS:
        return L(f"请写数字 {_CN_TENTHS[core[0]]}", f"write the number {_CN_TENTHS[core[0]]}")
    return number_fix(text)


def _date_fix(text: str, year: int) -> L | None:
    """What to write for a done date typed as text that reads as one day of the
    sheet's year (or the year before or after): an Excel serial (44392: the cell was
    formatted as text), 7.15 (month.day, in the sheet's year), 21.7.15; None otherwise."""
    core = half_width(text.strip())
    day: date | None = None
    try:
        if re.fullmatch(r"[1-9]\d{4}", core):
            day = date.fromordinal(date(1899, 12, 30).toordinal() + int(core))
            said = L(f"这是 Excel 的日期序号（即 {day}，单元格为文本格式），请写 {day}",
                     f"that is Excel's number for {day} (the cell is formatted as text); "
                     f"write {day}")
        elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})", core):
            day = date(year, int(m[1]), int(m[2]))
            said = L(f"请写 {day}", f"write {day}")
        elif m := re.fullmatch(r"(\d{2})\.(\d{1,2})\.(\d{1,2})", core):
            day = date(2000 + int(m[1]), int(m[2]), int(m[3]))
            said = L(f"请写 {day}", f"write {day}")
    except (ValueError, OverflowError):
        return None
    if day is None or abs(day.year - year) > 1:
        return None
    return said


def _check_done_days(row: Row, t: Task, month: str, plan: UpdatePlan) -> None:
    """The done-date cells of a row that has a problem already (`_row_edits` reads
    them after its other cells): each one that cannot be read said too, as it would
    be in a row without other problems."""
    for n, parts in row.ms.items():
        if n < len(t.milestones) and parts.get("done") is not None \
                and t.milestones[n].done is None:
            ref = f"{row.file} {row.grid.ref(row.row, row.cols[f'ms{n + 1}_done'])}"
            _done_day(parts["done"], t, month, row.fmt(f"ms{n + 1}_done"), ref, plan,
                      f"ms{n + 1}_done", full=True)
    done = row.cells.get(C_DONE)
    if done is not None and row.node is not None and 0 <= row.node < len(t.milestones):
        _done_day(done, t, month, row.fmt(C_DONE), row.ref(C_DONE), plan)


def _done_day(v: Any, t: Task, month: str, number_format: str, ref: str,
              plan: UpdatePlan, col: str = C_DONE, full: bool = False) -> date | None:
    """A milestone's done date from its cell (under the column `col`, of the full
    sheet when `full`), or None with the problem said: not a date, or a day before
    the task started (an Excel serial -1 is 1899-12-29; once imported, a done date is
    history no later sheet may change)."""
    shown_month = _month_only(v, number_format)
    if names_period(v, int(month[:4])) or shown_month is not None:
        # 2021年7月 was recorded as 2021-07-31, 7月上旬 as 07-10: a day made up (audit);
        # so was 2021年6月 typed into a cell Excel then made a date shown without its
        # day (yyyy"年"m"月": the 1st of the month stored)
        shown = shown_month or printable(str(v))
        plan.problems.append((ref, L(
            f"节点完成日期“{shown}”只写到月份（或旬、季度），不是具体日期：请写完成的具体日期，如 {month}-15",
            f"{_en(col, full)} '{shown}' names a month (or part of one), not a day: write "
            f"the day it was done, e.g. {month}-15")))
        return None
    day = _day(v, int(month[:4]), number_format)
    if day is None:
        fix = _date_fix(v, int(month[:4])) if isinstance(v, str) else None
        plan.problems.append((ref, L(f"节点完成日期应是日期，不是“{printable(str(v))}”"
                                     + (f"：{fix.zh}" if fix else ""),
                                     f"{_en(col, full)} must be a date, not "
                                     f"'{printable(str(v))}'" + (f": {fix.en}" if fix else ""))))
    elif "start" not in t.missing and day < t.start:
        plan.problems.append((ref, L(
            f"节点完成日期 {day} 早于任务 {t.id} 的开始日期 {t.start}：请核对",
            f"{_en(col, full)} {day} is before task {t.id} started ({t.start}): check it")))
        return None
    return day


def _locked_values(t: Task, node: int | None, names: dict[str, str]) -> dict[str, str | None]:
    """The ledger's values of the grey columns (compared with the cells as the sheet
    shows them: `_locked_same`)."""
    m = t.milestones[node] if node is not None and node < len(t.milestones) else None
    return {C_CODE: t.id, C_TITLE: t.title, C_LEAD: names.get(t.lead, t.lead),
            C_STD: t.standard, C_DUE: str(m.due) if m else None,
            C_NODE_STD: m.standard if m else None}


def _locked_same(cell: Any, value: str | None) -> bool:
    """Whether a grey cell holds the ledger's `value` as the sheet was sent with it —
    escaped (`xlsx_shown`: a U+FFFE in a title went out as `\ufffe`) or cut to what a
    cell holds (`sent.returned`) — compared as a cell reads (`_text` strips: a title
    written with a trailing space comes back without it, unchanged)."""
    text = _text(cell)
    if value is None or text is None:
        return text == _text(value)
    return returned(text, value)


def _shown(text: str | None) -> str | None:
    return None if text is None else xlsx_shown(text)


#: the values Excel shows for a formula that failed (openpyxl reads them as text)
_EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!",
                           "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"})


@dataclass
class _Want:
    """The edits of one task: its own keys, one update, one milestone's done."""

    top: dict[str, Any] = field(default_factory=dict)
    update: dict[str, Any] = field(default_factory=dict)
    #: milestones done: (index, date), by index (the full sheet has every milestone's)
    done: tuple[tuple[int, date], ...] = ()


def _row_edits(row: Row, t: Task, month: str, names: dict[str, str], plan: UpdatePlan,
               titles: dict[str, str] | None = None,
               as_shown: _Shown | None = None) -> _Want | None:
    """What the row changes in its task (None: a problem, reported, or the row
    refused).  `titles`: each task's title as the sheet shows it → the task's id;
    `as_shown`: the ledger's names, to compare the full sheet's task fields with
    (`_full_task_cells`)."""
    want = _Want()
    # a cell the row cannot be read with is a problem, and read as empty: the row's
    # other cells are still checked, so that every problem of the row is listed at once
    # (it stopped at the first: one round trip to the unit per problem, "1 个问题" for two)
    bad = False
    for h in UNIT_COLUMNS:
        v = row.cells.get(h)
        if isinstance(v, str) and v.strip().upper() in _EXCEL_ERRORS:
            # a formula's cached error (or the error typed in): not the unit's words
            plan.problems.append((row.ref(h), L(
                f"“{v.strip()}”是 Excel 的错误值，不是填报内容：请直接填写数值或文字（不用公式）",
                f"'{v.strip()}' is an Excel error value, not a report: type the number or "
                "text (no formula)")))
            bad, row.cells[h] = True, None
    for h in (C_NOTE, C_PROBLEMS):
        v = row.cells.get(h)
        if isinstance(v, bool):
            # TRUE/FALSE is no report (it read as 'True'): refused, as `import tasks` does
            plan.problems.append((row.ref(h), boolean(v)))
            bad, row.cells[h] = True, None
        elif v is not None and not isinstance(v, str):
            # a date or number Excel made of what the unit typed (1/2, 50%): the text the
            # cell shows, and the cell named when that is not its plain value
            text, converted = typed_text(v, row.fmt(h))
            if converted:
                plan.notes.setdefault(CONVERTED, []).append(f"{row.ref(h)} {printable(text)}")
            row.cells[h] = text
    lock = _locked_values(t, row.node, names)
    if row.full and _not_its_row(row, t, lock, titles or {}, plan):
        return None
    if row.full and as_shown is not None:
        _full_task_cells(row, t, as_shown, plan)
    for h in LOCKED_COLUMNS:
        # a unit's name several units share is exported as its id
        # compared as a cell reads (`_text` strips): a title written with a trailing
        # space comes back without it, unchanged
        if h in row.cells and not (_locked_same(row.cells[h], lock[h]) or (
                h == C_LEAD and _text(row.cells[h]) == t.lead) or (
                # a date as text (a sheet saved as CSV: 2024/7/25), the same day
                h == C_DUE and isinstance(row.cells[h], str) and lock[h] is not None
                and str(_day(row.cells[h], int(month[:4]))) == lock[h])):
            why = (L(f"任务 {t.id} 已锁定：修改需经批准（变更程序）", f"task {t.id} is locked: "
                     "changes need approval (change control)") if t.locked
                   else L(f"任务 {t.id} 的“{h}”不由填报单位修改", f"task {t.id}: "
                          f"{_en(h, row.full)} is not the unit's to change"))
            plan.refused.append((row.ref(h), L(
                f"未导入“{printable(_text(row.cells[h]) or '')}”：{why.zh}",
                f"not imported '{printable(_text(row.cells[h]) or '')}': {why.en}")))
    if not row.full:
        # the other grey cells, shown for reference: a figure there that is not the
        # ledger's was dropped without a word (audit).  Said in a note, not refused: the
        # sheet may simply be older than the ledger (May's report corrected after June's
        # sheets went out), which the seal cannot tell from a unit's edit
        for h, sent in ((C_LAST, _last_progress(t, month)), (C_TARGET, _target(t))):
            if h not in row.cols:
                continue  # the grey column deleted: nothing shown, nothing to compare
            v = row.cells.get(h)
            same = v is None if sent is None else (
                v is not None and _pct(v) == Decimal(str(sent)))
            if not same:
                now = "—" if sent is None else printable(str(_num(Decimal(str(sent)))))
                plan.notes.setdefault(_REFERENCE_ONLY, []).append(
                    f"{row.ref(h)} “{printable(_text(v) or '')}”≠{now}")
    if row.hash and row.content != _content_hash(t, row.node):
        plan.problems.append((row.ref(C_CODE), L(
            f"任务 {t.id} 在导出后已被修改：请重新导出本单位填报表", f"task {t.id} changed since "
            "the sheet was exported: export the unit's sheet again")))
        return None
    this = next((u for u in t.updates if u.month == month), None)
    later = [u.month for u in t.updates if u.month > month]
    # the full sheet carries no seal, but a hidden mark of each task's reports as it
    # showed them (`export.state_mark`): a sheet made before a unit's report changed
    # the task did not see it.  A sheet without the mark (exported before it existed,
    # or typed by hand) is judged by its 最新进展 ("2024-06：…")
    saw = not row.full or _full_saw(row, t, this, month)
    if row.full:
        _full_cells(row, t, month, plan)
    progress = row.cells.get(C_PROGRESS)
    pct = _pct(progress, row.fmt(C_PROGRESS))
    if progress is not None and (pct is None or not 0 <= pct <= 100):
        shown = printable(str(progress))
        if pct is not None and "%" in row.fmt(C_PROGRESS) and not isinstance(progress, str):
            # a %-formatted cell holding 53 shows 5300%: say what was read, and why
            # (the cell's own figure, not a fixed 53: 80 shows as 8000%, type 80%)
            shown = printable(f"{_num(pct)}%")
            held = printable(str(_num(pct / 100)))
            typed = f"{held}%" if 0 <= pct <= 10000 else "0%–100%"
            plan.problems.append((row.ref(C_PROGRESS), L(
                f"本月进度应是 0–100 的数字，不是“{shown}”（单元格为百分比格式：{held} 显示为 {shown}；"
                f"请填 {typed}，或把单元格改为常规格式）",
                f"{_en(C_PROGRESS, row.full)} must be a number 0–100, not '{shown}' (the "
                "cell is formatted as a "
                f"percentage, so {held} shows as {shown}: type {typed}, or format the cell as "
                "General)")))
        else:
            fix = _progress_fix(progress) if isinstance(progress, str) else None
            plan.problems.append((row.ref(C_PROGRESS), L(
                f"本月进度应是 0–100 的数字，不是“{shown}”" + (f"：{fix.zh}" if fix else ""),
                f"{_en(C_PROGRESS, row.full)} must be a number 0–100, not '{shown}'"
                + (f": {fix.en}" if fix else ""))))
        bad, pct = True, None
    if pct is not None and 0 < pct < 1 and "%" not in row.fmt(C_PROGRESS) and not (
            isinstance(progress, str) and progress.strip()[-1:] in "%％"):
        # 0.3 typed into a General cell is 0.3 %: most likely 30 % was meant.  Imported
        # as written and named, as `import tasks` names it (it went in without a word)
        plan.notes.setdefault(BELOW_ONE, []).append(f"{row.ref(C_PROGRESS)} {_num(pct)}")
    status = _text(row.cells.get(C_STATUS))
    # the Chinese or the English word (either sheet), or the status id
    new_status = _STATUS_CELL.get(status or "") or _STATUS_CELL.get((status or "").lower())
    status_en = _en(C_STATUS, row.full)
    # the words the sheet's drop-down list offers
    choices = "、".join(STATUS[s].zh for s in STATUS_CHOICES)
    choices_en = ", ".join(STATUS[s].en for s in STATUS_CHOICES)
    if status is not None and new_status is None:
        plan.problems.append((row.ref(C_STATUS), L(
            f"本月状态“{printable(status)}”不是可选值（可选：{choices}）",
            f"{status_en} '{printable(status)}' is not one of the choices ({choices_en})")))
        bad = True
    elif new_status is not None and new_status not in STATUS_CHOICES and new_status != t.status:
        # 待销号/已销号 go through the office's closing procedure (SPEC §6), 未启动 is no
        # report: they were accepted and then silently not applied
        plan.problems.append((row.ref(C_STATUS), L(
            f"本月状态“{STATUS[new_status].zh}”不由填报单位填写（可选：{choices}；销号由督查室按程序办理）",
            f"{status_en} '{STATUS[new_status].en}' is not the unit's to set (the choices: "
            f"{choices_en}; closing is the office's procedure)")))
        bad, new_status = True, None
    if (new_status is not None and not row.full and row.unit != t.lead
            and new_status != (row.sent_status or t.status)):
        # a task's status is its lead's to report: a responsible unit's 暂缓 or 已完成
        # on a task another unit leads was applied (audit).  The cell is locked in the
        # sheets made since; one made before is refused here, the rest of the row read
        lead = printable(names.get(t.lead, t.lead))
        plan.refused.append((row.ref(C_STATUS), L(
            f"未导入“{STATUS[new_status].zh}”：任务 {t.id} 的状态由牵头单位 {lead} 填报",
            f"not imported '{STATUS[new_status].en}': task {t.id}'s status is reported by "
            f"its lead unit, {lead}")))
        new_status = None
    if new_status == "done":
        # a 已完成 the sheet came with, beside the month's own progress, is no report: a
        # sheet made for May of a task done in June shows May's 80 and today's status
        # (audit: the unchanged sheet was refused)
        if pct is not None and pct != 100 and new_status != row.sent_status:
            plan.problems.append((row.ref(C_STATUS), L(
                f"本月状态为“{STATUS['done'].zh}”，本月进度应为 100（或留空），不是 {_num(pct)}",
                f"{status_en} '{STATUS['done'].en}' needs {_en(C_PROGRESS, row.full)} 100 "
                f"(or empty), not {_num(pct)}")))
            bad = True
        # the month's update says what the task's progress says -- unless the cell only
        # shows the status the task already had (the sheet comes filled in with it) and
        # the row reports nothing else: no unit made an April report on a task done in
        # March by leaving its row alone
        if pct is None and (t.status != "done" or any(
                row.cells.get(c) is not None for c in (C_NOTE, C_PROBLEMS, C_ACTUAL))):
            pct = Decimal(100)
    fields = {"progress": _num(pct) if pct is not None else None,
              "note": _text(row.cells.get(C_NOTE)),
              "problems": _text(row.cells.get(C_PROBLEMS))}
    raw = row.cells.get(C_ACTUAL)
    if raw is not None:
        # a value that cannot be read, or one for a task without a target (its cell is
        # locked), was dropped or imported without a word
        # a unit typing 96% makes Excel store 0.96 formatted `0%`: 96 of a % target
        # (read as 0.96 without a word, audit), no figure of a target in another unit
        pct_cell = "%" in row.fmt(C_ACTUAL) and isinstance(raw, (int, float)) \
            and not isinstance(raw, bool)
        actual = None if isinstance(raw, str) and raw.strip()[-1:] in "%％" else _pct(
            raw, row.fmt(C_ACTUAL) if pct_cell else "General")
        if t.target is None:
            plan.problems.append((row.ref(C_ACTUAL), L(
                f"任务 {t.id} 没有量化目标（目标值）：实际完成值“{printable(str(raw))}”不能导入",
                f"task {t.id} has no numeric target ({_en(C_TARGET, row.full)}): "
                f"{_en(C_ACTUAL, row.full)} '{printable(str(raw))}' cannot be imported")))
            bad = True
        elif pct_cell and actual is not None and not is_percent(t.target.unit):
            shown = printable(f"{_num(actual)}%")
            unit = printable(t.target.unit or "—")
            plan.problems.append((row.ref(C_ACTUAL), L(
                f"实际完成值单元格为百分比格式（显示为 {shown}），但任务 {t.id} 的目标值单位是"
                f"“{unit}”，不是 %：请按“{unit}”填写数字，并把单元格改为常规格式",
                f"{_en(C_ACTUAL, row.full)} is formatted as a percentage (it shows {shown}) "
                f"but task {t.id}'s target is in '{unit}', not %: type the figure in "
                f"'{unit}' and format the cell as General")))
            bad = True
        elif actual is None:
            plan.problems.append((row.ref(C_ACTUAL), L(
                f"实际完成值应是数字（单位见目标值，不要写进单元格），不是“{printable(str(raw))}”",
                f"{_en(C_ACTUAL, row.full)} must be a number (the unit is the target's; "
                f"leave it out of the cell), not '{printable(str(raw))}'")))
            bad = True
        else:
            fields["actual"] = _num(actual)
    if bad:  # the done dates checked too, then the row is not read further
        _check_done_days(row, t, month, plan)
        return None
    now = _update_mark(t, month)
    if (not row.full and row.sent_month == month and row.sent not in ("-", now)
            and _mark_of(fields["progress"], fields["note"], fields["problems"],
                         fields.get("actual")) == row.sent):
        # the row holds the month's report exactly as the sheet came filled in with it,
        # and another unit's sheet changed the report since: this row reports nothing
        # (re-importing the lead's and an untouched responsible unit's sheets together
        # was refused as an overwrite of the lead's report)
        fields, pct = {}, None
    if this is not None and not row.full and row.sent == now:
        # the sheet came filled in with this month's report: a cell emptied since is a
        # wish to remove what it held, which an import does not do -- said, not dropped
        for k, h in _UPDATE_COLUMN.items():
            old = getattr(this, k, None)
            if h in row.cols and row.cells.get(h) is None and old is not None:
                was = printable(show(old))
                plan.refused.append((row.ref(h), L(
                    f"未导入：清空“{h}”不会删除任务 {t.id} 本月已报的“{was}”；如需删除，请在台账中修改",
                    f"not imported: emptying {_en(h)} does not remove task {t.id}'s report for "
                    f"the month ('{was}'); to remove it, edit the ledger")))
    for k, v in fields.items():
        old = getattr(this, k, None) if this is not None else None
        # a note the sheet showed escaped (`\x01`, `\ufffe`) or cut to what a cell holds,
        # returned as shown, is unchanged: not the escape or the cut text to be written
        # over the note (`sent.returned`)
        if v is not None and old != v and not (isinstance(old, str) and isinstance(v, str)
                                               and returned(v, old)):
            want.update[k] = v
    if want.update and this is not None and not row.full and \
            (row.sent if row.sent_month == month else "-") != now:
        # the month's update was written after this sheet went out: another unit's
        # report (the lead's and a responsible unit's sheets, imported on different
        # days) or the office's correction by hand -- refused, the ledger's text stands
        _overwrite(row, t, this, _UPDATE_COLUMN[next(iter(want.update))], plan)
        return None
    if want.update and later:
        plan.problems.append((row.ref(C_PROGRESS), L(
            f"任务 {t.id} 已有 {later[0]} 的月报：不改写之前月份的记录；请把这一行改回导出时的内容后"
            f"再导入（或删去这一行），{month} 的记录如需更正请直接修改台账",
            f"task {t.id} already has an update for {later[0]}: earlier months are not "
            "rewritten; set the row back to what was exported (or delete it) and import "
            f"again, and correct {month}'s record in the ledger itself if it needs it")))
        return None
    if pct is not None and pct != t.progress and not later and (
            this is None or this.progress != pct):
        # the month's progress as the ledger already holds it is no report: an untouched
        # sheet set `progress:` 75 back to the June update's 70 (LS215 names the gap)
        want.top["progress"] = _num(pct)
    for n, parts in row.ms.items():
        if n >= len(t.milestones):
            _no_such_milestone(row, t, n, parts, plan)
            continue
        ms = t.milestones[n]
        for part, now in (("due", str(ms.due)), ("standard", ms.standard)):
            # a column the sheet no longer has (节点4时限 deleted) is nothing typed: its
            # absence read as an emptied cell raised KeyError (an internal error)
            if part in parts and _text(parts.get(part)) != now:
                ref = row.grid.ref(row.row, row.cols[f"ms{n + 1}_{part}"])
                plan.refused.append((f"{row.file} {ref}", L(
                    f"未导入“{printable(_text(parts.get(part)) or '')}”：任务 {t.id} 的节点"
                    f"{n + 1}不由填报单位修改（已锁定的任务需经批准）",
                    f"not imported '{printable(_text(parts.get(part)) or '')}': task {t.id}'s "
                    f"milestone {n + 1} is not the unit's to change (a locked task needs "
                    "approval)")))
        if "note" in parts and not _locked_same(parts["note"], ms.note):
            # a milestone's note is the task's text, not a month's report: read past
            # when it is the ledger's, named at its cell when edited (the column was
            # named "not imported" on every export, an edit in it dropped)
            ref = row.grid.ref(row.row, row.cols[f"ms{n + 1}_note"])
            if parts["note"] is not None:
                shown = _short(parts["note"])
                what = L(f"未导入“{shown}”", f"not imported '{shown}'")
            else:  # emptied: no text to quote (review: 未导入“”)
                what = L(f"未导入：清空节点{n + 1}备注不会删除“{_short(ms.note)}”",
                         f"not imported: emptying milestone {n + 1}'s note does not remove "
                         f"'{_short(ms.note)}'")
            plan.refused.append((f"{row.file} {ref}", L(
                f"{what.zh}：import updates 只导入月度填报，不导入节点备注；"
                "请用 import tasks 导入，或在台账中修改",
                f"{what.en}: import updates imports the monthly reports, not "
                "milestone notes; use import tasks, or edit the ledger")))
        if ms.done is not None and "done" in parts:
            _full_done_kept(row, t, n, ms.done, parts["done"], month, plan)
        if parts.get("done") is not None and ms.done is None:
            # every milestone the row marks done (only the first was taken), and a
            # date that cannot be read said (it was dropped without a word)
            ref = f"{row.file} {row.grid.ref(row.row, row.cols[f'ms{n + 1}_done'])}"
            day = _done_day(parts["done"], t, month, row.fmt(f"ms{n + 1}_done"), ref, plan,
                            f"ms{n + 1}_done", full=True)
            if day is None:
                return None
            want.done += ((n, day),)
    done = row.cells.get(C_DONE)
    if done is not None and row.node is not None and 0 <= row.node < len(t.milestones):
        day = _done_day(done, t, month, row.fmt(C_DONE), row.ref(C_DONE), plan)
        m = t.milestones[row.node]
        if day is None:
            return None
        if m.done is None:
            want.done = ((row.node, day),)
        elif m.done != day:
            plan.refused.append((row.ref(C_DONE), L(
                f"未导入：任务 {t.id} 的节点已于 {m.done} 完成，不改写", f"not imported: task "
                f"{t.id}'s milestone was done on {m.done}; history is not rewritten")))
    if new_status is not None and new_status == row.sent_status:
        pass  # 本月状态 as the sheet came: no status reported (the lead may have set one)
    elif new_status == "done" and t.status in ("planned", "in_progress"):
        want.top["status"] = "done"
        if want.top.get("progress", t.progress) != 100:
            want.top["progress"] = 100
        dated = {n for n, _day in want.done}
        still = [str(m.due) for n, m in enumerate(t.milestones)
                 if m.done is None and n not in dated]
        if still:
            # 已完成 beside milestones with no done date was taken without a word (only
            # `validate` said LS213 afterwards, audit): imported, and the open ones named
            due = "、".join(still)
            plan.warnings.append((row.ref(C_STATUS), L(
                f"本月状态为“{STATUS['done'].zh}”，但任务 {t.id} 还有节点没有完成日期（时限 {due}）："
                f"请补上节点完成日期，或核对状态{IMPORTED.zh}",
                f"{_en(C_STATUS, row.full)} '{STATUS['done'].en}', yet task {t.id} has "
                f"milestones with no done date (due {', '.join(still)}): add their done "
                f"dates, or check the status{IMPORTED.en}")))
    elif new_status in ("in_progress", "suspended") and new_status != t.status and \
            t.status in ("planned", "in_progress", "suspended"):
        want.top["status"] = new_status
    elif t.status == "planned" and pct and pct > 0 and new_status is None:
        want.top["status"] = "in_progress"
    if (want.update or want.top or want.done) and _status_moved(row, t):
        # the task was done, closed or suspended after the sheet went out: the row's
        # report was made of the task as it was then, and would lower a closed task's
        # progress or land a report on it (audit: exit 0, without a word)
        then, now_ = STATUS[row.sent_status or t.status], STATUS[t.status]
        plan.refused.append((row.ref(C_STATUS) if C_STATUS in row.cols
                             else f"{row.file} {row.grid.ref(row.row)}", L(
            f"任务 {t.id} 在填报表发出后状态已改为“{now_.zh}”（发出时为“{then.zh}”）：本行未导入；"
            "请与督查室核对，需要时重新导出本单位填报表",
            f"task {t.id}'s status changed to '{now_.en}' after the sheet was sent (it was "
            f"'{then.en}'): this row is not imported; check with the office, and export the "
            "unit's sheet again if need be")))
        return None
    if t.status == "closed" and (want.update or want.top or want.done or (
            new_status is not None and new_status not in (t.status, row.sent_status))):
        # a task closed (销号) is history: a report on it lowered its progress (100 →
        # 90) and added an update, with only the "below last month" warning (audit)
        _closed_row(row, t, want, new_status is not None, plan)
        return None
    if not saw and (want.update or want.top):
        # a full sheet made before the month's report was imported: what differs from
        # the ledger is what the sheet showed then, not a report (an old export imported
        # again set a unit's 暂缓 and its progress back)
        head = (C_STATUS if "status" in want.top else
                _UPDATE_COLUMN[next(iter(want.update))] if want.update else C_PROGRESS)
        _overwrite(row, t, this, head, plan)
        return None
    now_pct = want.update.get("progress")
    last = _last_progress(t, month)
    if now_pct is not None and last is not None and now_pct < last:
        # a unit may correct its figure: imported, and said (a 20 for 38, or 0.8 typed
        # into a General cell for 80%, went in without a word)
        plan.warnings.append((row.ref(C_PROGRESS), L(
            f"本月进度 {now_pct} 低于上月 {last}，请核对{IMPORTED.zh}",
            f"{_en(C_PROGRESS, row.full)} {now_pct} is below last month's {last}: check it"
            f"{IMPORTED.en}")))
    rewritten = [k for k in want.update
                 if this is not None and getattr(this, k, None) is not None]
    if rewritten and not row.full:
        # the month's report is replaced: a correction, or an earlier month's sheet
        # filled in with this month's figures (June's sheet reused in July rewrote
        # June's update without a word, audit) -- imported, and said with the month
        was = "；".join(f"{_UPDATE_COLUMN[k].replace(' (%)', '')}“{_short(getattr(this, k))}”"
                       f"→“{_short(want.update[k])}”" for k in rewritten)
        was_en = "; ".join(f"{_en(_UPDATE_COLUMN[k])} '{_short(getattr(this, k))}' → "
                           f"'{_short(want.update[k])}'" for k in rewritten)
        plan.warnings.append((row.ref(_UPDATE_COLUMN[rewritten[0]]), L(
            f"本表是 {month} 的填报表，改写了任务 {t.id} 已有的 {month} 月报（{was}）："
            f"请核对是否用了旧月份的填报表{IMPORTED.zh}",
            f"this is the sheet for {month}, and it rewrites task {t.id}'s existing {month} "
            f"update ({was_en}): check that no earlier month's sheet was used{IMPORTED.en}")))
    return want


def _closed_row(row: Row, t: Task, want: _Want, status: bool, plan: UpdatePlan) -> None:
    """A closed task's row that reports something: refused at each cell that would
    change it (its 本月状态 too, when set), nothing of it written."""
    heads = [_UPDATE_COLUMN[k] for k in want.update]
    heads += [{"progress": C_PROGRESS, "status": C_STATUS}[k] for k in want.top]
    heads += [f"ms{n + 1}_done" if row.full else C_DONE for n, _day in want.done]
    if status:
        heads.append(C_STATUS)
    since = t.closed.date if t.closed is not None and t.closed.date is not None else None
    on = (f"已于 {since} 销号", f"was closed on {since}") if since is not None else (
        STATUS["closed"].zh, "is closed")
    done = {f"ms{n + 1}_done": row.ms.get(n, {}).get("done") for n, _day in want.done}
    for h in sorted(dict.fromkeys(heads), key=lambda h: row.cols.get(h, 0)):
        shown = _short(done[h] if h in done else row.cells.get(h))
        plan.refused.append((row.ref(h), L(
            f"未导入“{shown}”：任务 {t.id} {on[0]}（{STATUS['closed'].zh}），月度填报不能改变它",
            f"not imported '{shown}': task {t.id} {on[1]}: a monthly report cannot change a "
            "closed task")))


def _full_done_kept(row: Row, t: Task, n: int, done: date, cell: Any, month: str,
                    plan: UpdatePlan) -> None:
    """A full-sheet row's 节点N完成 of a milestone already done: the ledger's date is
    history, as a unit's sheet keeps it ("已于…完成，不改写") — another date, or text,
    is refused at its cell; emptied, named (the sheet showing the ledger as it is: a
    sheet made before the milestone was done shows it empty)."""
    from .export import state_mark

    h = f"ms{n + 1}_done"
    if cell is None:
        if _text(row.cells.get(C_SENT)) == state_mark(t):
            plan.refused.append((row.ref(h), L(
                f"未导入：清空节点{n + 1}完成不会删除任务 {t.id} 节点{n + 1}的完成日期 {done}；"
                "如需修改，请在台账中修改",
                f"not imported: emptying {_en(h, True)} does not remove task {t.id}'s "
                f"milestone {n + 1} done date {done}; to change it, edit the ledger")))
        return
    if _day(cell, int(month[:4]), row.fmt(h)) == done:
        return
    shown = _short(cell)
    plan.refused.append((row.ref(h), L(
        f"未导入“{shown}”：任务 {t.id} 的节点{n + 1}已于 {done} 完成，不改写",
        f"not imported '{shown}': task {t.id}'s milestone {n + 1} was done on {done}; "
        "history is not rewritten")))


#: the full sheet's columns of the task's own fields: set in the ledger (or by import
#: tasks), never by a monthly report
_FULL_TASK = ("units", "cooperating", "leaders", "category", "start", "due", "task_note",
              "closed_date", "closed_by", "closed_evidence", "tags", "owners", "unit_leaders")
#: the full sheet's columns of luoshi's own figures, worked out from the ledger
_FULL_FIGURES = ("expected", "light", "achieved")
_FULL_DAYS = frozenset({"start", "due", "closed_date"})
#: the full sheet's columns of names, joined with 、 (Chinese) or ", " (English)
_FULL_LISTS = frozenset({"units", "cooperating", "leaders", "tags", "owners", "unit_leaders"})


@dataclass(frozen=True)
class _Shown:
    """The ledger's names as `export` writes them (a unit's or leader's name, its id
    where the name is shared; a category's name), made once per import."""

    unit: Callable[[str], str]
    leader: Callable[[str], str]
    categories: dict[str, str]
    tag: Callable[[str], str]

    @classmethod
    def of(cls, ledger: Ledger) -> _Shown:
        from .export import _names

        return cls(_names(ledger.units), _names(ledger.leaders),
                   {c.id: c.name for c in ledger.config.categories},
                   _names({g.id: g for g in ledger.config.tags}))


@functools.cache
def _light_words() -> frozenset[str]:
    """A light as the full sheet's 亮灯 may read: 红, 红灯, red (any case)."""
    from .columns import LIGHT_LABELS

    return frozenset(w.casefold() for label in LIGHT_LABELS.values()
                     for w in (label.zh, label.zh + "灯", label.en))


def _full_task_cells(row: Row, t: Task, shown: _Shown, plan: UpdatePlan) -> None:
    """A full-sheet row's task fields (责任单位, 包抓领导, 完成时限, 类别 …) read past when
    they are the ledger's as `export` writes them, refused at the cell when edited:
    `import updates` imports the monthly report, not the task (an edit was dropped
    without a word); luoshi's figures (亮灯, 序时进度) holding words no figure reads as,
    and 任务明细's 任务名称 edited, likewise."""
    from .columns import header

    unit, leader = shown.unit, shown.leader
    year = t.start.year if "start" not in t.missing else 2000

    def at(fld: str) -> tuple[str, Any]:
        grid, r, c, value = row.extra[fld]
        return f"{row.file} {grid.ref(r, c)}", value

    def joined(ids: list[str], name: Any) -> list[str | None]:
        return [sep.join(name(i) for i in ids) or None for sep in ("、", ", ")]

    closed = t.closed
    wants: dict[str, list[Any]] = {
        "units": joined(list(t.units), unit),
        "cooperating": joined(list(t.cooperating), unit),
        "leaders": joined(list(t.leaders), leader),
        "tags": joined(list(t.tags), shown.tag),
        "owners": joined(list(t.owners), str), "unit_leaders": joined(list(t.unit_leaders), str),
        "category": [shown.categories.get(t.category), t.category],
        "start": [t.start], "due": [max((m.due for m in t.milestones), default=None)],
        "task_note": [t.note],
        "closed_date": [closed.date if closed is not None else None],
        "closed_by": [leader(closed.approved_by) if closed and closed.approved_by else None],
        "closed_evidence": [closed.evidence if closed is not None else None]}
    for fld in _FULL_TASK:
        if fld not in row.extra:
            continue
        ref, cell = at(fld)
        if fld in _FULL_DAYS:
            day = _day(cell, year) if cell is not None else None
            same = (cell is None and wants[fld][0] is None) or (
                day is not None and day == wants[fld][0])
        else:
            same = any(_locked_same(cell, w) for w in wants[fld])
        if same:
            continue
        zh, en = header(fld, "zh"), header(fld, "en")
        was = next((w for w in wants[fld] if w is not None), None)
        # (a sheet exported before the ledger changed shows the old value: what the
        # ledger holds is said, so that nobody "restores" it with import tasks)
        now = "—" if was is None else _short(was)
        joined_en = wants[fld][1] if fld in _FULL_LISTS else None
        now_en = now if joined_en is None else _short(joined_en)
        what = (L(f"未导入“{_short(cell)}”（台账中为“{now}”）",
                  f"not imported '{_short(cell)}' (the ledger has '{now_en}')")
                if cell is not None else
                L(f"未导入：清空{zh}不会删除“{_short(was)}”",
                  f"not imported: emptying {en} does not remove '{_short(was)}'"))
        plan.refused.append((ref, L(
            f"{what.zh}：import updates 只导入月度填报，不导入任务的{zh}；"
            "请用 import tasks 导入，或在台账中修改",
            f"{what.en}: import updates imports the monthly reports, not the task's own "
            f"fields ({en}); use import tasks, or edit the ledger")))
    words = _light_words()
    for fld in _FULL_FIGURES:
        if fld not in row.extra:
            continue
        ref, cell = at(fld)
        if cell is None or (fld == "light" and str(_text(cell)).casefold() in words) or (
                fld != "light" and not isinstance(cell, bool) and _pct(cell) is not None):
            continue  # the figure as luoshi worked it out (on the export's day)
        zh, en = header(fld, "zh"), header(fld, "en")
        plan.refused.append((ref, L(
            f"未导入“{_short(cell)}”：{zh}由 luoshi 按台账计算，不导入；要报送的内容请写进最新进展或存在问题",
            f"not imported '{_short(cell)}': {en} is worked out by luoshi from the ledger, "
            "not imported; write what is to be reported into Latest update or Problems")))
    if "details_title" in row.extra:
        # (emptied, it loses nothing: the title is read from 任务台账)
        ref, cell = at("details_title")
        if cell is not None and not _locked_same(cell, _shown(t.title)) \
                and not _locked_same(cell, t.title):
            plan.refused.append((ref, L(
                f"未导入“{_short(cell)}”：任务名称以“任务台账”表为准，任务明细中的修改不导入；"
                "修改任务名称请用 import tasks 导入，或在台账中修改",
                f"not imported '{_short(cell)}': the title is read from the Tasks sheet, not "
                "Task details; change a title with import tasks, or edit the ledger")))


def _not_its_row(row: Row, t: Task, lock: dict[str, str | None], titles: dict[str, str],
                 plan: UpdatePlan) -> bool:
    """Whether a full-sheet row is refused whole: its 任务名称 is another task's, or
    its 任务名称 and 牵头单位 both differ from its 编号's task.  The full sheet has no
    seal: two 编号 cells swapped sent each row's progress to the other task, with
    only the title and lead refused at their cells (audit).  A title edited on its
    own is refused at its cell, as before, and the rest of the row imported."""
    title, lead = _text(row.cells.get(C_TITLE)), _text(row.cells.get(C_LEAD))
    title_off = C_TITLE in row.cells and not _locked_same(row.cells.get(C_TITLE), lock[C_TITLE])
    lead_off = C_LEAD in row.cells and not (_locked_same(row.cells.get(C_LEAD), lock[C_LEAD])
                                            or lead == t.lead)
    like = titles.get(title) if title_off and title is not None else None
    if like == t.id:  # its own title, as the sheet shows it: not another task's row
        like = None
    if like is None and not (title_off and lead_off):
        return False
    title_en, lead_en = _en(C_TITLE, True), _en(C_LEAD, True)
    what = (("任务名称、牵头单位", f"{title_en} and {lead_en}") if lead_off
            else ("任务名称", title_en))
    looks = (f"（像是任务 {printable(like)} 的行）", f" (it looks like task {printable(like)}'s row)"
             ) if like is not None else ("", "")
    plan.refused.append((row.ref(C_CODE), L(
        f"编号 {printable(row.task)} 与本行的{what[0]}不符{looks[0]}：本行未导入；请核对编号",
        f"{_en(C_CODE, True)} {printable(row.task)} does not match the row's {what[1]}"
        f"{looks[1]}: the row is not imported; check the {_en(C_CODE, True)}")))
    return True


def _status_moved(row: Row, t: Task) -> bool:
    """Whether the task's status is not the one the per-unit sheet was sent with (the
    seal holds it; a sheet made before it did cannot tell).  A planned task another
    sheet's progress set going (in_progress) is what this row's report would do too."""
    sent = row.sent_status
    return (not row.full and sent is not None and t.status != sent
            and (sent, t.status) != ("planned", "in_progress"))


def _full_saw(row: Row, t: Task, this: Any, month: str) -> bool:
    """Whether a full-sheet row was made after every report the ledger holds on
    its task: its hidden mark is the task's as it is now (or, with no mark, the
    month has no update yet or the row's 最新进展 is that month's)."""
    from .export import state_mark

    sent = _text(row.cells.get(C_SENT))
    if sent is not None:
        return sent == state_mark(t)
    return this is None or _shows_month(row, month)


def _shows_month(row: Row, month: str) -> bool:
    """Whether a full-sheet row's 最新进展 is `month`'s report ("2024-06：…"), or a
    note without a month the office typed for --month: the sheet was made (or
    filled) after that month's update."""
    note = _text(row.cells.get(C_NOTE))
    return note is not None and _note_month(note)[0] in (None, month)


def _no_such_milestone(row: Row, t: Task, n: int, parts: dict[str, Any],
                       plan: UpdatePlan) -> None:
    """What the row typed for milestone `n + 1` of a task that has fewer: refused at
    each filled cell (a row's 节点3时限 for a task of two milestones was passed over
    without a word).  A new milestone is the task's plan, not a month's report."""
    for part in ("due", "standard", "done", "note"):
        shown = _text(parts.get(part))
        if shown is None:
            continue
        ref = row.grid.ref(row.row, row.cols[f"ms{n + 1}_{part}"])
        text = _short(shown)
        plan.refused.append((f"{row.file} {ref}", L(
            f"未导入“{text}”：任务 {t.id} 只有 {len(t.milestones)} 个节点，没有节点{n + 1}；"
            "新增节点请用 import tasks 导入，或在台账中修改",
            f"not imported '{text}': task {t.id} has {len(t.milestones)} "
            f"milestone{'' if len(t.milestones) == 1 else 's'}, no milestone {n + 1}; add "
            "milestones with import tasks, or edit the ledger")))


def _note_month(note: str) -> tuple[str | None, str]:
    """The month a full sheet's 最新进展 names ("2024-06：…" → "2024-06", None when it
    names none) and its text without it."""
    m = _NOTE_MONTH.fullmatch(note)
    return (None, note) if m is None else (f"{m.group(1)}-{m.group(2)}", m.group(3))


_UPDATE_COLUMN = {"progress": C_PROGRESS, "note": C_NOTE, "problems": C_PROBLEMS,
                  "actual": C_ACTUAL}
#: a 本月状态 cell → the status: the Chinese word (a Chinese sheet), the English one
#: (an English sheet; any case) or the id
_STATUS_CELL = {**{label.zh: s for s, label in STATUS.items()},
                **{label.en.lower(): s for s, label in STATUS.items()},
                **{s: s for s in STATUS}}


def _overwrite(row: Row, t: Task, this: Any, head: str, plan: UpdatePlan) -> None:
    """A row that would overwrite a month's update it never saw, at its cell under
    `head`: a problem on the full sheet, a refused row on a unit's."""
    # `this`: the month's update (None: the full sheet's task changed otherwise)
    have = "，".join(f"{h}“{printable(show(getattr(this, k)))}”" for k, h in _UPDATE_COLUMN.items()
                    if this is not None and getattr(this, k) is not None)
    have_en = ", ".join(f"{k} '{printable(show(getattr(this, k)))}'" for k in _UPDATE_COLUMN
                        if this is not None and getattr(this, k) is not None)
    if row.full:
        state = STATUS.get(t.status)
        said = (f"{this.month} 月报{have}", f"{this.month} update {have_en}") if have else ("", "")
        now_zh = "；".join(x for x in (said[0], f"状态“{state.zh}”" if state else "") if x)
        now_en = "; ".join(x for x in (said[1], f"status '{state.en}'" if state else "") if x)
        plan.problems.append((row.ref(head) if head in row.cols else
                              f"{row.file} {row.grid.ref(row.row)}", L(
            f"任务 {t.id} 在本表导出后已由填报更新（现为：{now_zh}）：任务台账全表不覆盖，未导入；"
            "请重新导出全表，在新表上修改",
            f"task {t.id} was updated from a returned sheet after this sheet was exported "
            f"(now: {now_en}): the full task sheet does not overwrite it, not imported; "
            "export the full sheet again and make the change there")))
        return
    # a per-unit row: the month's report in the ledger was written or changed after the
    # sheet went out -- by another unit's sheet imported on an earlier day, or by the
    # office's hand (a typo corrected).  Which, the ledger does not say: the ledger's
    # text stands, the row is refused at its cell and the other sheets import (the
    # whole run stopped, blaming "another sheet" for the office's own correction)
    plan.refused.append((row.ref(head), L(
        f"任务 {t.id} 的 {this.month} 月报在此表发出后已被写入或修改（台账现为：{have}）：台账现有内容保留，"
        "本行未导入；如需以此表为准，请在台账中修改",
        f"task {t.id}'s {this.month} update was written or changed after this sheet was sent "
        f"(the ledger now: {have_en}): the ledger's text stands, this row is not imported; "
        "to take this sheet's, edit the ledger")))


def _full_cells(row: Row, t: Task, month: str, plan: UpdatePlan) -> None:
    """A row of the full task sheet holds today's state, not a month's report: what
    equals the ledger is not a report; 最新进展 counts for `month` only when it names
    that month (“2024-06：…”) or names none (then --month said which)."""
    if _pct(row.cells.get(C_PROGRESS), row.fmt(C_PROGRESS)) == t.progress:
        row.cells[C_PROGRESS] = None
    note = _text(row.cells.get(C_NOTE))
    # the month 最新进展 names and its text (“2024-06：…”), read once for the three
    named, text = (None, None) if note is None else _note_month(note)
    _full_emptied(row, t, month, named, text, plan)
    _full_problems(row, t, month, named, plan)
    if note is not None:
        if named not in (None, month):
            # another month's history is left alone -- and when it was changed, said
            # (it was dropped without a word)
            had = next((u.note for u in t.updates if u.month == named), None)
            if had is None or not any(returned(text, had, f"{named}{colon}")
                                      for colon in _NOTE_COLONS):
                shown = printable(_short(note))
                plan.refused.append((row.ref(C_NOTE), L(
                    f"未导入“{shown}”：最新进展写明的是 {named} 的进展，不是本次导入的 {month}；"
                    "其他月份的记录不由导入改写，请在台账中修改",
                    f"not imported '{shown}': {_en(C_NOTE, True)} names {named}, not {month}, "
                    "the month "
                    "imported; other months' records are not rewritten by an import, edit the "
                    "ledger")))
        note = text if named in (None, month) else None
        last = t.updates[-1] if t.updates else None
        # the last report as the sheet showed it (escaped, or cut to what a cell holds:
        # the ledger keeps it whole) is no report
        same = last is not None and last.note is not None and note is not None and (
            note == last.note or any(returned(note, last.note, f"{last.month}{colon}")
                                     for colon in _NOTE_COLONS if named == last.month))
        row.cells[C_NOTE] = None if same else note
    label = _text(row.cells.get(C_STATUS))
    if label is not None and label in (STATUS[t.status].zh, STATUS[t.status].en, t.status):
        row.cells[C_STATUS] = None
    # 实际完成值 shows the latest reported actual: the same figure is no report; another
    # is the month's, as a unit's sheet reports it (it was named "not a column" and
    # never imported).  目标值 is the task's, set in the ledger: read past when it is
    # the ledger's, refused at its cell when edited (it was named "not a column")
    from ..core.targets import latest_actual

    reported = latest_actual(t)
    raw = row.cells.get(C_ACTUAL)
    if raw is not None and reported is not None and _pct(raw) == reported.actual:
        row.cells[C_ACTUAL] = None
    target = row.cells.pop(C_TARGET, None)
    if C_TARGET in row.cols and (target is not None or t.target is not None):
        from .export import target_text

        sent = target_text(t.target) if t.target is not None else None
        if _text(target) != sent and not (
                t.target is not None and _pct(target) == t.target.value):
            shown = printable(_text(target) or "")
            plan.refused.append((row.ref(C_TARGET), L(
                f"未导入“{shown}”：任务 {t.id} 的目标值在台账中修改（如需调整，请按变更程序报批）",
                f"not imported '{shown}': task {t.id}'s target is changed in the ledger (a "
                "change needs approval)")))


def _full_problems(row: Row, t: Task, month: str, named: str | None,
                   plan: UpdatePlan) -> None:
    """A full-sheet row's 存在问题: the problems of the report its 最新进展 names
    (`export` writes the last report's beside it; `import tasks` reads them back so).
    The last report's problems as the sheet showed them (escaped, cut), or the named
    month's, are no report;
    other text is `month`'s problems when 最新进展 names `month` or no month (then
    --month said which), and is refused at its cell beside another month's 最新进展 —
    that month's record is not rewritten (the column was named "not imported" and an
    edit in it dropped)."""
    cell = _text(row.cells.get(C_PROBLEMS))
    # the last report's problems (what `export` wrote), or those of the month 最新进展
    # names (a sheet exported before a later report was imported)
    had = [u.problems for u in t.updates[-1:]] + [u.problems for u in t.updates
                                                 if named is not None and u.month == named]
    if cell is None or any(returned(cell, p) for p in had):
        row.cells[C_PROBLEMS] = None
        return
    if named not in (None, month):
        shown = _short(cell)
        plan.refused.append((row.ref(C_PROBLEMS), L(
            f"未导入“{shown}”：存在问题属于最新进展写明的 {named} 的月报，不是本次导入的 {month}；"
            f"本月的问题请与“{month}：…”开头的最新进展一同填写，其他月份的记录请在台账中修改",
            f"not imported '{shown}': {_en(C_PROBLEMS, True)} belongs to the report "
            f"{_en(C_NOTE, True)} names, {named}, not {month}, the month imported; write "
            f"this month's problems beside a {_en(C_NOTE, True)} starting '{month}: ', and "
            "edit other months' records in the ledger")))
        row.cells[C_PROBLEMS] = None
    else:
        row.cells[C_PROBLEMS] = cell


def _full_emptied(row: Row, t: Task, month: str, named: str | None, text: str | None,
                  plan: UpdatePlan) -> None:
    """A full-sheet row whose 最新进展 or 存在问题 was emptied, the sheet showing the
    ledger as it is (its hidden mark is the task's): an import writes no deletion,
    and says so at the cell, as it does for an emptied cell of a unit's sheet (the
    empty cell was read as no report without a word)."""
    from .export import state_mark

    last = t.updates[-1] if t.updates else None
    if last is None or _text(row.cells.get(C_SENT)) != state_mark(t):
        return
    # the report the row shows: the month 最新进展 names, --month's for a text without
    # one; a new month's report (“2024-06：…”) with no 存在问题 says it has none
    if (named or (month if _text(text) else last.month)) != last.month:
        return
    # "2024-05：" with its text deleted is 最新进展 emptied too
    cells = {"note": _text(text), "problems": _text(row.cells.get(C_PROBLEMS))}
    for k, cell in cells.items():
        h, old = _UPDATE_COLUMN[k], getattr(last, k)
        if h in row.cols and cell is None and old is not None:
            was = _short(old)
            plan.refused.append((row.ref(h), L(
                f"未导入：清空“{_FULL_ZH[k]}”不会删除任务 {t.id} {last.month} 月报的“{was}”；"
                "如需删除，请在台账中修改",
                f"not imported: emptying {_en(h, True)} does not remove task {t.id}'s "
                f"{last.month} report ('{was}'); to remove it, edit the ledger")))


#: the full sheet's Chinese headers of the update's text (`columns.FIELDS`' first names)
_FULL_ZH = {"note": "最新进展", "problems": "存在问题"}


def _conflict(t: Task, row: Row, a: _Want, b: _Want, current: Row | None = None) -> L:
    """Two sheets report one task differently (the lead's and a responsible unit's):
    the problem names the other sheet's row (`row`; `current` is the row at hand) and
    each cell the two disagree on, so the office can tell which report to keep."""
    heads = {"progress": C_PROGRESS, "note": C_NOTE, "problems": C_PROBLEMS,
             "actual": C_ACTUAL, "status": C_STATUS}
    diffs: dict[str, tuple[Any, Any]] = {}
    for one, two in ((a.update, b.update), (a.top, b.top)):
        for k in [*one, *(k for k in two if k not in one)]:
            if one.get(k) != two.get(k):
                diffs.setdefault(heads.get(k, k), (one.get(k), two.get(k)))
    if a.done != b.done:
        diffs[C_DONE] = ("、".join(str(d) for _n, d in a.done) or None,
                         "、".join(str(d) for _n, d in b.done) or None)
    # quoted as each sheet shows the cell, not as luoshi reads it (a lead's 已完成 with
    # 本月进度 left empty was quoted "100", a responsible unit's locked 推进中 "空"), and
    # only the cells both sheets report — when there are any (a lead's 已完成 beside a
    # unit's 60 is a conflict of cells each sheet filled alone)
    rows = (row, current if current is not None else row)
    both = {h: xy for h, xy in diffs.items() if all(_reported(r, t, h) for r in rows)}
    diffs = {h: tuple(_cell_shown(r, h, v) for r, v in zip(rows, xy, strict=True))
             for h, xy in (both or diffs).items()}

    def shown(v: Any, empty: str, lang: str) -> str:
        if isinstance(v, _CellText):
            return empty if v.text is None else printable(v.text)
        return empty if v is None else printable(getattr(STATUS[v], lang) if v in STATUS
                                                 else str(v))

    where = f"{row.file} {row.grid.ref(row.row)}"
    full = row.full and (current is None or current.full)
    zh = "；".join(f"{h}“{shown(x, '空', 'zh')}”与“{shown(y, '空', 'zh')}”"
                  for h, (x, y) in diffs.items())
    en = "; ".join(f"{_en(h, full)} '{shown(x, 'empty', 'en')}' and "
                   f"'{shown(y, 'empty', 'en')}'" for h, (x, y) in diffs.items())
    if current is not None and current.grid is row.grid:
        # a row copied within one sheet is not "two sheets"
        return L(f"任务 {t.id} 在同一张表中有两行，内容不同（{where} 与本行：{zh}）：请删去一行",
                 f"task {t.id} has two rows in the same sheet that differ ({where} and this "
                 f"row: {en}): delete one")
    return L(f"任务 {t.id} 在两个填报表中报送的内容不同（{where} 与本行：{zh}）：请只保留一份",
             f"task {t.id} is reported differently in two sheets ({where} and this row: {en}): "
             "keep one")


@dataclass(frozen=True)
class _CellText:
    """A cell's text as its sheet shows it (None: empty), for `_conflict`."""

    text: str | None


def _cell_value(row: Row, h: str) -> Any:
    """The value of the row's cell under `h` as the sheet holds it (the row's read
    values are reworked while it is read: a status the task has cleared, a note's
    month prefix taken off)."""
    return row.grid.get(row.row, row.cols[h]) if h in row.cols else None


def _cell_shown(row: Row, h: str, derived: Any) -> Any:
    """What `_conflict` quotes of the row under `h`: the cell's text as shown, or —
    for a value no single cell holds (a full sheet's milestone dates) — the value read."""
    if h not in row.cols:
        return derived
    v = _cell_value(row, h)
    if v is None or isinstance(v, str):
        return _CellText(v.strip() or None if isinstance(v, str) else None)
    return _CellText(typed_text(v, row.fmt(h))[0])


def _reported(row: Row, t: Task, h: str) -> bool:
    """Whether the row reports something under `h`: the cell is filled — a status other
    than the one the sheet came with (a responsible unit's locked 推进中 is no report)."""
    v = _text(_cell_value(row, h))
    if v is None:
        return h not in row.cols  # a value no single cell holds: taken as reported
    if h == C_STATUS:
        status = _STATUS_CELL.get(v) or _STATUS_CELL.get(v.lower())
        return status != (row.sent_status or t.status)
    return True


def _describe(t: Task, w: _Want, month: str) -> list[str]:
    out = [f"{t.id}: {k}: {show(getattr(t, k))} → {show(v)}" for k, v in w.top.items()]
    out += [f"{t.id}: updates[{month}].{k}: {show(v)}" for k, v in w.update.items()]
    out += [f"{t.id}: milestones[{n}].done: {day}" for n, day in w.done]
    return out


def plan_updates(paths: list[Path], ledger: Ledger, month: str | None,
                 spread: Spread | None = None, *,
                 unread: list[Finding] | None = None) -> UpdatePlan:
    """What importing these workbooks would write.  `spread`: the ledger source's way
    of sharing work over the cores (`load.assemble.Loaded.spread`): the task files
    are patched on all of them (a month's reports into a province's 300 files).
    `unread`: the task files the ledger did not read (LS008, a link out of it): a
    row whose task is not in the ledger names them, in LS008's words ("the ledger has
    no task JJ-01" sent the clerk looking for a deleted task)."""
    why_unread = ("；".join(f.message("zh") for f in unread or ()),
                  "; ".join(f.message("en") for f in unread or ()))
    plan = UpdatePlan()
    by_id = {t.id: t for t in ledger.tasks}
    names = {u.id: u.name for u in ledger.units.values()}
    wants: dict[str, tuple[Task, _Want]] = {}
    first: dict[str, Row] = {}  # the row each task's edits came from
    seen: set[str] = set()
    titles: dict[str, str] = {}  # a full-sheet row's title → the task it is (`_not_its_row`)
    shown_as = _Shown.of(ledger)
    for task in ledger.tasks:
        shown = _text(_shown(task.title))
        if shown is not None:
            titles.setdefault(shown, task.id)
    # a file named for a unit (its name, its id or export's file name for it) → the units
    by_stem: dict[str, set[str]] = {}
    for u in ledger.units.values():
        for stem in (u.id, u.name, file_name(u.name, u.id)[:-len(".xlsx")]):
            by_stem.setdefault(stem, set()).add(u.id)
    for path, read in zip(paths, read_all(paths, spread), strict=True):
        rows, sheet_month = read.into(plan, path)
        if month is not None and sheet_month is not None and month != sheet_month:
            # a sheet says its month (A1, sealed): filed under another one, April's
            # words became May's update without a word (audit)
            raise SheetError(L(
                f"{path} 是 {sheet_month} 的填报表，与 --month {month} 不符：请去掉 --month，"
                "或导入该月的填报表",
                f"{path} is the sheet for {sheet_month}, not --month {month}: leave out "
                "--month, or import that month's sheet"))
        m = month or sheet_month
        if m is None and not rows:
            # nothing to file under a month (a unit's sheet whose marks are gone is
            # named once): "give --month" led nowhere (audit)
            continue
        if m is None:
            raise SheetError(L(f"{path} 没有写明月份：请用 --month YYYY-MM 指定",
                               f"{path} does not say its month: give --month YYYY-MM"))
        if plan.month is not None and plan.month != m:
            raise SheetError(L(f"{path} 是 {m} 的填报表，其他文件是 {plan.month} 的：一次导入一个月",
                               f"{path} is for {m}, the other files for {plan.month}: import "
                               "one month at a time"))
        plan.month = m
        for row in rows:
            t = by_id.get(row.task)
            if t is None or t.missing:
                if row.no_details in plan.problems:
                    # "add a 任务明细 row for it" would not make it a task
                    plan.problems.remove(row.no_details)
                # the 编号 as Excel shows it (FALSE, 2021-01-02), printable, shortened
                col = row.cols[C_CODE if row.full else H_ID]
                ident = shown_id(row.grid.get(row.row, col), row.grid.fmt(row.row, col))
                plan.problems.append((f"{row.file} {row.grid.ref(row.row)}", L(
                    f"台账中没有任务 {ident}"
                    + (f"（未读取的任务文件：{why_unread[0]}）" if unread else ""),
                    f"the ledger has no task {ident}"
                    + (f" (a task file it does not read: {why_unread[1]})" if unread else ""))))
                continue
            if row.no_details is not None:
                # its refusal at its 编号 stands: nothing of the row is read (its 进度
                # was taken without the joined mark of what the sheet showed)
                continue
            if not row.full and not row.sealed():
                where = row.ref(H_HASH) if H_HASH in row.cols else \
                    f"{row.file} {row.grid.ref(row.row)}"
                who = printable(row.unit) or "?"
                if re.fullmatch(r"[0-9a-f]{12}", row.hash):
                    plan.problems.append((where, L(
                        f"任务 {t.id}：本表由旧版 luoshi 导出，隐藏单元格没有封记：未导入；请重新导出本单位填报表",
                        f"task {t.id}: the sheet was exported by an older luoshi and its hidden "
                        "cells are not sealed: not imported; export the unit's sheet again")))
                    continue
                hidden, month_at, unit_at = row.seal_cells
                plan.problems.append((where, L(
                    f"任务 {t.id} 这一行的隐藏单元格（{hidden} 列，或 {month_at} 月份、{unit_at} 单位 "
                    f"{who}）在导出后被修改或清空：未导入；请重新导出本单位填报表",
                    f"task {t.id}: the row's hidden cells (columns {hidden.replace('、', ', ')}, "
                    f"or the month in {month_at} or the unit {who} in {unit_at}) were edited or "
                    "cleared after the export: not imported; export the unit's sheet again")))
                continue
            if not row.full and row.unit != t.lead and row.unit not in t.units:
                # the hidden id and the (unkeyed) hash are the sender's to write: a unit's
                # sheet reports that unit's tasks only
                who = printable(row.unit) or "?"
                plan.problems.append((f"{row.file} {row.grid.ref(row.row)}", L(
                    f"任务 {t.id} 不是本填报表单位（{who}）牵头或负责的任务（导出后改了牵头或责任单位？）："
                    "这一行不能导入，本次未写入任何文件；请删去这一行后再导入，或重新导出本单位填报表",
                    f"task {t.id} is not led by or assigned to this sheet's unit ({who}) (its "
                    "lead or units changed after the export?): the row cannot be imported, and "
                    "nothing is written; delete the row and import again, or export the unit's "
                    "sheet again")))
                continue
            if row.hidden:
                # a hidden row is not read, as a hidden sheet is not: one that reports
                # something (a change, or a cell that would be refused) is refused at
                # the row; one as it came reports nothing and is nothing (a unit hides
                # the rows it has no report for)
                scratch = UpdatePlan()
                w = _row_edits(row, t, m, names, scratch, titles, shown_as)
                if (w is not None and (w.top or w.update or w.done)) or scratch.problems \
                        or scratch.refused:
                    plan.refused.append((f"{row.file} {row.grid.ref(row.row)}", _HIDDEN_ROW))
                else:
                    seen.add(t.id)
                continue
            w = _row_edits(row, t, m, names, plan, titles, shown_as)
            if w is None:
                continue
            seen.add(t.id)
            if not (w.top or w.update or w.done):
                continue
            if t.id in wants and wants[t.id][1] == w:
                continue  # the lead and a responsible unit reported the same
            if t.id in wants:
                plan.problems.append((f"{row.file} {row.grid.ref(row.row)}",
                                      _conflict(t, first[t.id], wants[t.id][1], w, row)))
                continue
            wants[t.id] = (t, w)
            first[t.id] = row
            plan.senders.setdefault(row.file, ([], []))[1].append(t.id)
            if t.src.path and isinstance(t.src.path[0], int):
                plan.origin[(t.src.file, t.src.path[0])] = row
            elif not t.src.path:  # a file holding one task mapping
                plan.origin[(t.src.file, None)] = row
            if row.full:  # the full sheet is no unit's: count the units that reported
                plan.units.add(t.lead)
    plan.unchanged = sorted(seen - set(wants))
    # the tasks it would update, also when a problem stops the import: the summary
    # counts them beside the per-file lines that name them
    plan.updated = sorted(wants)
    if plan.problems or plan.month is None:
        return plan
    files: dict[str, list[tuple[Task, _Want]]] = {}
    for t, w in sorted(wants.values(), key=lambda tw: tw[0].id):
        files.setdefault(t.src.file, []).append((t, w))
        plan.changes.extend(_describe(t, w, plan.month))
    rels = list(files)
    forms = [TextForm.read(ledger.root / rel) for rel in rels]
    texts = [text for text, _form in forms]
    month_ = plan.month

    def patch(k: int) -> str | None:
        return patch_tasks(texts[k], files[rels[k]], month_)

    sizes = [len(t) for t in texts]
    done = (dict(spread(patch, sizes)) if spread is not None
            else {k: patch(k) for k in range(len(rels))})
    for k, rel in enumerate(rels):
        new = done[k]
        if new is None:
            ids = [t.id for t, _w in files[rel]]
            shown = "、".join(ids[:5]) + (f" 等 {len(ids)} 个" if len(ids) > 5 else "")
            shown_en = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            plan.problems.append((rel, L(
                f"无法安全地就地修改 {rel}（要写入任务 {shown}；文件的写法使就地修改不安全，如 YAML "
                "别名（*）、合并键（<<）、重复的键）：未写入任何文件；请在台账中手工填写这些月报",
                f"{rel} cannot be edited in place safely (to write tasks {shown_en}; the "
                "file is written in a way that makes an edit in place unsafe, such as a YAML "
                "alias (*), a merge key (<<) or a duplicate key): nothing written; enter these "
                "reports in the ledger by hand")))
            continue
        plan.texts[rel] = forms[k][1].restore(new)
    # said first, of the files a task is updated from (a row refused, its B1 edited
    # to another unit, imports nothing to check)
    plan.warnings[:0] = [said for path in dict.fromkeys(paths)
                         if (said := _named_for_another(path, _named_units(path.stem, by_stem),
                                                        names, plan)) is not None]
    return plan


def patch_tasks(text: str, edits: list[tuple[Task, _Want]], month: str) -> str | None:
    """`text` (a task file) with each task's edits made in place, or None when an edit
    cannot be made safely.  The result is read back and compared with the values the
    edits should give: anything else (a comment, another task, a flag) is untouched.
    Read by libyaml where it reads the file (`inplace`: a 270 KB task file in 0.5 s,
    not 1.9 s)."""
    try:
        return with_reader(text, lambda reader: _patch_tasks(reader, text, edits, month))  # type: ignore[no-any-return]
    except (CannotPatch, yaml.YAMLError, RecursionError, IndexError, KeyError, TypeError):
        return None


def _patch_tasks(reader: Reader, text: str, edits: list[tuple[Task, _Want]],
                 month: str) -> str | None:
    root = reader.compose(text)
    data = reader.construct(root)
    # a file holds a list of tasks or one task mapping (SPEC §3): the one task is
    # edited as a list's item would be (it blocked the whole import, audit)
    single = isinstance(root, yaml.MappingNode) and isinstance(data, dict)
    if not single and not (isinstance(root, yaml.SequenceNode) and isinstance(data, list)):
        return None
    # no value shared between tasks in what the edits should give: a list two tasks
    # share through a YAML alias (`updates: *u`) took one unit's report into another
    # unit's task, and a copy that kept the sharing agreed with it (audit).  Unshared,
    # the read-back sees the other task changed, and the file is left alone.
    expect = unshared(data)
    nodes: list[Any] = [root] if single else root.value  # type: ignore[union-attr]
    wants: list[Any] = [expect] if single else expect
    out: list[tuple[int, int, str]] = []
    for t, w in edits:
        i = (0 if t.src.path == () else None) if single else \
            t.src.path[0] if t.src.path and isinstance(t.src.path[0], int) else None
        if i is None or i >= len(nodes) or not isinstance(nodes[i], yaml.MappingNode):
            return None
        node, want = nodes[i], wants[i]
        if w.top:
            patch_map(text, node, w.top, out)
            want.update(w.top)
        if w.done:
            ms = child(node, "milestones")
            if not isinstance(ms, yaml.SequenceNode):
                return None
            for n, day in w.done:
                mnode = ms.value[n]
                if not isinstance(mnode, yaml.MappingNode):
                    return None
                patch_map(text, mnode, {"done": day}, out)
                want["milestones"][n]["done"] = day
        if w.update:
            _patch_update(text, node, w.update, month, out)
            ups = want.setdefault("updates", [])
            hit = next((u for u in ups if isinstance(u, dict) and str(u.get("month"))
                        == month), None)
            if hit is None:
                ups.append({"month": month, **w.update})
            else:
                hit.update(w.update)
    new = apply_edits(text, out)
    return new if reader.load(new) == expect else None


def _patch_update(text: str, task: yaml.MappingNode, fields: dict[str, Any], month: str,
                  out: list[tuple[int, int, str]]) -> None:
    """Set `fields` in the month's update, appending the update when the month has none."""
    ups = child(task, "updates")
    entry = FlowMap({"month": Quoted(month), **fields})
    if ups is None:
        patch_map(text, task, {"updates": [dict(entry)]}, out)
        return
    if not isinstance(ups, yaml.SequenceNode):
        raise CannotPatch
    for u in ups.value:
        if isinstance(u, yaml.MappingNode):
            m = child(u, "month")
            if isinstance(m, yaml.ScalarNode) and m.value == month:
                patch_map(text, u, fields, out)
                return
    if ups.flow_style:
        at = ups.end_mark.index - 1
        if text[at:at + 1] != "]":
            raise CannotPatch
        out.append((at, at, (", " if ups.value else "") + show(entry)))
        return
    if not ups.value:
        raise CannotPatch
    at = after_last_line(text, ups)
    line = " " * dash_column(text, ups) + "- " + show(entry) + "\n"
    out.append((at, at, "\n" + line) if at == len(text) and not text.endswith("\n")
               else (at, at, line))
