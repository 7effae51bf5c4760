"""A 台账 sheet → tasks in ledger format v1 (pure: a grid and a ledger in, data out).

The conversion collects every problem with its cell reference instead of stopping at
the first, so that the clerk fixes the sheet in one pass; the command writes nothing
while any problem is left.  What the sheet does not say (a start date, a category,
a milestone's own standard, a status) is filled from options or from defaults, and
every default used is returned as a note, because an import that silently invents
data cannot be checked by the person who has to sign the ledger off.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.codes import L
from ..core.model import FINISHED, Ledger, Task
from ..core.numbers import typed_percent
from ..core.safetext import printable
from ..load.schema import TASK_ID
from .columns import describe, norm, status_of, strip_remarks
from .dates import DateProblem, Due, Every, cell_due, cell_dues, segments
from .match import Matcher, free_names
from .memo import TextMemo
from .sheet import (
    ABOVE_HEADER,
    COMMENT,
    HIDDEN_ROWS,
    HYPERLINK,
    Grid,
    Header,
    above_header,
    clipped,
    col_letter,
    find_header,
    is_blank,
    is_title,
    is_total,
)
from .shown import BELOW_ONE, CONVERTED, boolean, typed_text
from .yamlout import Flow, FlowMap, Quoted

_TASK_ID = re.compile(TASK_ID + r"\Z")
_SECTION_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|"
                           r"\d{1,2}[、.．]|第[一二三四五六七八九十\d]+(?:部分|类|项)[、：:]?)\s*")
_FILLER = frozenset({"", "完成", "完成任务", "办结", "到位", "完工", "前完成", "全部完成", "实现"})
#: fields whose columns may appear more than once (their names are joined)
_MULTI = frozenset({"units", "cooperating", "leaders", "owners", "unit_leaders", "tags", "note",
                    "remark", "expected", "light"})
#: a progress note that names its month ("2024-05：…", as export writes it)
_MONTH_NOTE = re.compile(r"^\s*(\d{4})\s*(?:-|年|\.|/)\s*(\d{1,2})\s*月?\s*[：:]\s*(.*)\Z", re.S)
#: a later line of a progress cell naming its own month ("\n2024-06：…")
_LINE_MONTH = re.compile(r"(?m)^\s*(\d{4})\s*(?:-|年|\.|/)\s*(\d{1,2})\s*月?\s*[：:]")
DEFAULT_NODE_STANDARD = L("按序时推进", "on schedule")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the sheet that stops the import, at an Excel reference."""

    ref: str
    label: L


@dataclass
class Notes:
    """Defaults and loose matches, each with the cells it applied to."""

    items: dict[L, list[str]] = field(default_factory=dict)
    _seen: set[tuple[L, str]] = field(default_factory=set)

    def add(self, label: L, ref: str = "") -> None:
        refs = self.items.setdefault(label, [])
        if ref and (label, ref) not in self._seen:
            self._seen.add((label, ref))
            refs.append(ref)

    def drop(self, label: L, ref: str) -> None:
        """Take back a note at `ref` (a default that did not apply after all); the
        note goes when it named cells and none is left."""
        refs = self.items.get(label)
        if not ref or refs is None or ref not in refs:
            return
        refs.remove(ref)
        self._seen.discard((label, ref))
        if not refs:
            del self.items[label]


@dataclass
class Result:
    tasks: list[dict[str, Any]]
    #: sheet row of each task, for mapping later findings back to the sheet
    rows: list[int]
    grid: Grid
    header: Header
    problems: list[Problem]
    notes: Notes


def unit_matcher(ledger: Ledger) -> Matcher:
    """Units by name, and by the `short:` name units.yaml gives (发改委)."""
    return Matcher({u.id: (u.name, u.short) if u.short else (u.name,)
                    for u in ledger.units.values()}, L("单位", "unit"))


def leader_matcher(ledger: Ledger) -> Matcher:
    return Matcher({p.id: (p.name,) for p in ledger.leaders.values()}, L("领导", "leader"))


#: a 标签 column in a ledger that declares no lists (luoshi.yaml `tags`)
_NO_TAGS = L("标签列未导入：luoshi.yaml 没有声明任何标签（tags）；需要时先在 luoshi.yaml 的 tags 中"
             "声明 {id, name}，再导入",
             "the tags column was not imported: luoshi.yaml declares no tags; declare them "
             "under tags as {id, name} first, then import")


def tag_matcher(ledger: Ledger) -> Matcher:
    """Tags (SPEC §11) by id or by name, as luoshi.yaml declares them under `tags:`; a
    name that is none of them is refused naming the declared ones."""
    declared = ledger.config.tags
    shown = "、".join(f"{g.name}（{g.id}）" for g in declared[:8]) + ("…" if len(declared) > 8 else "")
    shown_en = ", ".join(f"{g.name} ({g.id})" for g in declared[:8]) + (
        "…" if len(declared) > 8 else "")

    def missing(token: str) -> L:
        if not declared:
            return L(f"标签“{token}”：luoshi.yaml 没有声明任何标签（tags）：请先在 luoshi.yaml 的 tags 中"
                     "声明 {id, name}",
                     f"tag '{token}': luoshi.yaml declares no tags: declare it under tags as "
                     "{id, name} first")
        return L(f"标签“{token}”未在 luoshi.yaml 的 tags 中声明（已声明：{shown}）：请写其中的名称或编号，"
                 "或先在 luoshi.yaml 中声明",
                 f"tag '{token}' is not declared under tags in luoshi.yaml (declared: "
                 f"{shown_en}): write one of their names or ids, or declare it first")

    return Matcher({g.id: (g.name,) for g in declared}, L("标签", "tag"), missing)


def category_of(text: str, ledger: Ledger) -> str | None:
    """A category id from its id, its name, or an unambiguous part of its name."""
    cats = ledger.config.categories
    key = norm(text)
    for c in cats:
        if c.id == text.strip() or norm(c.name) == key:
            return c.id
    for c in cats:
        if norm(c.id) == key:
            return c.id
    hits = [c.id for c in cats if len(key) >= 2 and (key in norm(c.name) or norm(c.name) in key)]
    return hits[0] if len(hits) == 1 else None


@dataclass
class Options:
    category: str | None = None
    start: date | None = None
    prefix: str = "IMP"
    #: field -> header texts, from --map
    explicit: dict[str, list[str]] = field(default_factory=dict)
    header_row: int | None = None
    #: the month the sheet reports (--month): 进度/进展情况 become that month's update
    month: str | None = None
    #: task ids already in the ledger (outside the file being written)
    taken: dict[str, str] = field(default_factory=dict)
    #: the tasks of the file the import replaces (`--force`), by id: what the sheet
    #: does not say is kept from them (`_Converter._keep_existing`)
    existing: dict[str, Task] = field(default_factory=dict)
    #: the year of a date written without one when luoshi.yaml names none: this year,
    #: read by cli/ (nothing below cli/ reads the clock)
    this_year: int = field(kw_only=True)


def locate_header(grid: Grid, opts: Options) -> Header | None:
    return find_header(grid, "title", opts.explicit, opts.header_row)


def convert(grid: Grid, header: Header, ledger: Ledger, opts: Options) -> Result:
    conv = _Converter(grid, header, ledger, opts)
    conv.run()
    return Result(conv.tasks, conv.rows, grid, header, conv.problems, conv.notes)


class _Converter:
    def __init__(self, grid: Grid, header: Header, ledger: Ledger, opts: Options) -> None:
        self.g, self.h, self.ledger, self.opts = grid, header, ledger, opts
        self.year = ledger.config.year or opts.this_year
        self.units = unit_matcher(ledger)
        self.leaders = leader_matcher(ledger)
        self.tags = tag_matcher(ledger)
        self.problems: list[Problem] = []
        self.notes = Notes()
        self.tasks: list[dict[str, Any]] = []
        self.rows: list[int] = []
        #: each task's fields the sheet left empty (`_keep_existing`)
        self.blanks: list[set[str]] = []
        self.seqs: list[Any] = []
        self.explicit_ids: list[str | None] = []
        self._notes_only: dict[int, str] = {}
        self._task_rows: list[int] = []
        #: the first of `_task_rows` holding each 编号 (its cell's value): a later row
        #: of it is a repeat (`_refused_bare`), told in one look-up, not a scan
        self._first_row_of: dict[Any, int] = {}
        #: row → field → the column of a cell holding as much text as a cell can: cut by
        #: an export, perhaps (`_note_at_limit`)
        self._at_limit: dict[int, dict[str, int]] = {}
        #: (row, field) whose text was the export's cut or escaped form of the replaced
        #: file's, and was kept as the file has it (`_restore_sent`)
        self._restored: set[tuple[int, str]] = set()
        #: id of a milestone read from 节点N columns → its N (`_beside_nodes`)
        self._ms_number: dict[int, int] = {}
        self.cols: dict[str, list[int]] = {}
        for c, f in sorted(header.fields.items()):
            self.cols.setdefault(f, []).append(c)

    # ---- helpers -------------------------------------------------------------------
    def problem(self, row: int, col: int | None, label: L) -> None:
        """A problem at a cell; one that concerns the whole row points at its title."""
        self.problems.append(Problem(self.g.ref(row, col or self.col("title")), label))

    def _empty(self, row: int, fld: str) -> bool:
        """Whether the row leaves the field's cells empty (or the sheet has none)."""
        return all(self.g.get(row, c) is None for c in self.cols.get(fld, []))

    def col(self, fld: str) -> int | None:
        cs = self.cols.get(fld)
        return cs[0] if cs else None

    def text(self, row: int, fld: str) -> tuple[str, int | None]:
        """The cell(s) of a field as text (several columns of a multi field joined).

        Spaces and blank lines around a cell's text are dropped — in a free-text
        field (a title, a standard, a note) with a note naming the cell, so that no
        character the sheet held goes without a word (names and codes are matched
        and never kept as written anyway)."""
        parts: list[str] = []
        first: int | None = None
        for c in self.cols.get(fld, []):
            v = self.g.get(row, c)
            first = first or c
            if v is None:
                continue
            bad = _not_text(v)
            if bad is not None:
                self.problem(row, c, bad)
                continue
            if isinstance(v, str):
                s = _as_text(v)
            else:
                # a date or number Excel made of what was typed (1/2, 50%): the text the
                # cell shows, and the cell named when that is not its plain value
                s, converted = typed_text(v, self.g.fmt(row, c))
                if converted:
                    self.notes.add(CONVERTED, f"{self.g.ref(row, c)} {_short(s)}")
            written = self.g.values.get((row, c))  # `get` gives cell text stripped
            if isinstance(written, str) and _free_text(fld) and s != _lines(written):
                self.notes.add(_TRIMMED, self.g.ref(row, c))
            if isinstance(written, str) and _at_limit(written):
                self._at_limit.setdefault(row, {})[fld] = c
            if s and s not in parts:
                parts.append(s)
        return "\n".join(parts), first

    # ---- the whole sheet -----------------------------------------------------------
    def run(self) -> None:
        if not self._columns_ok():
            return
        section: str | None = None
        title_col = self.col("title")
        assert title_col is not None
        header_title = norm(self.g.get(self.h.first_row, title_col) or "")
        for r in range(self.h.last_row + 1, self.g.max_row + 1):
            values = self.g.row(r)
            if is_blank(values):
                continue
            if r in self.g.hidden_rows:
                # what nobody reading the sheet sees is not read, as a hidden sheet is
                # not: named with its first cell (it was imported without a word)
                first = next(v for v in values if v is not None)
                self.notes.add(HIDDEN_ROWS, f"{self.g.ref(r)} {_short(first)}")
                continue
            if is_total(values):
                # named with what it holds: a row skipped is never silent
                what, what_en = self._cells(r, values)
                self.notes.add(L(f"跳过了合计行（不是任务）：{what}",
                                 f"skipped a total row (not a task): {what_en}"), self.g.ref(r))
                continue
            title = self.g.get(r, title_col)
            if title is not None and norm(title) == header_title:
                continue  # the header repeated (a sheet printed page by page)
            sec = self._section(r, values)
            if sec is not None:
                cat = category_of(_SECTION_ENUM.sub("", sec), self.ledger)
                first = next(c for c, v in enumerate(values, start=1) if v is not None)
                if cat is not None:
                    section = cat
                    self._remark(r, first, _SECTION_ENUM.sub("", sec), cat, shown=sec)
                else:
                    self.notes.add(L("跳过了分组标题行（或表内的说明行）",
                                     "skipped section heading rows (or lines of remarks)"),
                                   f"{self.g.ref(r, first)} {_short(sec)}")
                continue
            if title is None:
                self._untitled(r, values)
                continue
            self._add_task_row(r)
            self._task(r, section)
        self._unread_columns()
        self._unread_words()
        self._note_doubles()
        self._assign_ids()
        if self.opts.existing and not self.problems:
            self._keep_existing()
        self._note_at_limit()

    def _note_doubles(self) -> None:
        """Rows of the same title, lead and due dates become tasks of their own (one task
        over several rows is told by its repeated 序号 or merged cells): a row copied
        twice became IMP-001…IMP-003 without a word.  Named, each with the first such
        row; rows whose own 编号 differ are meant apart (luoshi's export has such pairs)."""
        first: dict[tuple[Any, ...], int] = {}
        for i, task in enumerate(self.tasks):
            key = (task["title"], task["lead"], tuple(m["due"] for m in task["milestones"]))
            j = first.setdefault(key, i)
            if j == i:
                continue
            mine, theirs = self.explicit_ids[i], self.explicit_ids[j]
            if mine is not None and theirs is not None and mine != theirs:
                continue
            self.notes.add(_DOUBLED, f"{self.g.ref(self.rows[i], self.col('title'))} = "
                           f"{self.g.ref(self.rows[j], self.col('title'))} {_short(task['title'])}")

    def _note_at_limit(self) -> None:
        """A cell holding as much text as a cell can (32,767 characters) may be a text an
        export cut (the ledger keeps it whole): named, unless it was the replaced file's
        text as sent and the file's was kept (`_restore_sent`)."""
        for r, fields in sorted(self._at_limit.items()):
            for fld, c in fields.items():
                if (r, fld) not in self._restored:
                    self.notes.add(_AT_LIMIT, self.g.ref(r, c))

    def _cells(self, r: int, values: list[Any]) -> tuple[str, str]:
        """What a row holds, cell by cell (`B7 “合计”；F7 “15”`), in zh and en."""
        held = [(c, v) for c, v in enumerate(values, start=1) if v is not None]
        more = "…" if len(held) > 8 else ""
        zh = "；".join(f"{col_letter(c)}{r} “{_short(v)}”" for c, v in held[:8]) + more
        en = "; ".join(f"{col_letter(c)}{r} '{_short(v)}'" for c, v in held[:8]) + more
        return zh, en

    def _untitled(self, r: int, values: list[Any]) -> None:
        """A row with no task title that is neither a section heading nor a total: a
        continuation row (the task above's 序号 repeated: its milestone joins the task),
        a numbered row left empty (only its 序号), or cells that belong to no task —
        each refused at its cell, never skipped without a word."""
        seq_col = self.col("seq")
        filled = [c for c, v in enumerate(values, start=1) if v is not None]
        if filled == [seq_col]:
            self.notes.add(L("跳过了只有序号的空行", "skipped rows holding only a sequence number (序号/No.)"),
                           self.g.ref(r, seq_col))
            return
        seq = self.g.get(r, seq_col) if seq_col is not None else None
        if (seq is not None and self.seqs and self.seqs[-1] is not None
                and _as_text(seq) == _as_text(self.seqs[-1])):
            self._add_task_row(r)
            prev = self.tasks[-1]
            before = len(self.problems)
            has_due = any(self.g.get(r, c) is not None for f, cs in self.cols.items()
                          if f in ("due", "node") or (f.startswith("ms") and f.endswith("_due"))
                          for c in cs)
            milestones = (self._milestones(r, prev["start"], prev["standard"]) if has_due
                          else [])
            if len(self.problems) == before:
                self._join(r, milestones)
            return
        for c in filled:
            if c == seq_col:
                continue
            shown = _short(values[c - 1])
            self.problem(r, c, L(
                f"这一行没有任务名称，也不是上一任务的续行（续行要重复上一任务的序号，或与它合并任务名称"
                f"单元格），此格的“{shown}”无法导入：请写进所属任务的行",
                f"this row has no task title and does not continue the task above (a "
                f"continuation row repeats its sequence number (序号/No.) or shares its merged title "
                f"cell), so "
                f"'{shown}' here cannot be imported: write it into its task's row"))

    def _unread_columns(self) -> None:
        """Every filled cell of a task row lands in the YAML or is named here.

        Columns the import has no field for (联系人), 备注, and luoshi's own tasks v2
        columns (上级任务, 目标值, 实际完成值): named in a note with the header cell, when
        a task row holds something in them — what the office wrote there does not
        reach the ledger, and it must not go without a word.  序时进度, 亮灯 and
        目标完成率% are luoshi's to compute: a number (or a light) there is read past, any
        other text is named at its cell.  A cell in a column without a header is named
        at its cell, with what it holds."""
        rows = self._task_rows
        for c, text in sorted(self.h.texts.items()):
            fld = self.h.fields.get(c, "remark")
            if fld in _UNREAD_FIELDS:
                if any(self.g.get(r, c) is not None for r in rows):
                    self.notes.add(_UNREAD if fld == "remark" else _V2_UNREAD,
                                   f"{self.g.ref(self.h.first_row, c)} {text}")
                elif c not in self.h.fields:
                    # words in the header row that head no column (填表人：张三 right of
                    # the table): named, as `import updates` names them
                    at = next((r for r in range(self.h.first_row, self.h.last_row + 1)
                               if self.g.get(r, c) is not None), self.h.first_row)
                    self.notes.add(_HEAD_ONLY, f"{self.g.ref(at, c)} {_short(text)}")
            elif fld in _COMPUTED:
                for r in rows:
                    v = self.g.get(r, c)
                    if v is not None and not _computed_value(fld, v):
                        self.notes.add(_COMPUTED_TEXT, f"{self.g.ref(r, c)} {_short(v)}")
        for r in rows:
            for c in range(1, self.g.max_col + 1):
                if c not in self.h.texts:
                    v = self.g.get(r, c)
                    if v is not None:
                        self.notes.add(_NO_HEADER, f"{self.g.ref(r, c)} {_short(v)}")

    def _unread_words(self) -> None:
        """What is written above the header (填报人：王某 beside the title) and the cells'
        comments (批注) are no task's: named in a note with what they hold, as `import
        updates` names them — they were dropped without a word.  The sheet's title (a
        row's first cell, or one merged across the table) is no content: not named."""
        for r, c, v in above_header(self.g, self.h.first_row,
                                    lambda r, c, _: is_title(self.g, r, c)):
            self.notes.add(_ABOVE, f"{self.g.ref(r, c)} {_short(v)}")
        for ref, text in self.g.comments:
            self.notes.add(_COMMENTS, f"{ref} {_short(text)}")
        for ref, target in self.g.links:
            self.notes.add(_LINKS, f"{ref} {_address(target)}")
        for ref, value, theirs, their_value in self.g.shadowed:
            if theirs is None:
                self.notes.add(_NO_HEADER, f"{ref} {_short(value)}")
            else:
                shown = _short(their_value) if their_value is not None else "—"
                self.notes.add(_SHADOWED, f"{ref} {_short(value)} ≠ {theirs} {shown}")

    def _letters(self, row: int, cols: list[int]) -> list[str]:
        """The columns' letters on their own sheet: a column joined from 任务明细
        (`join_details`) is 任务明细's column G, not the joined grid's column O; named
        with its sheet when the columns are on different sheets."""
        refs = [self.g.ref(row, c).rpartition("!") for c in cols]
        one_sheet = len({sheet for sheet, _, _ in refs}) == 1
        return [("" if one_sheet else f"{sheet}!") + cell.rstrip("0123456789")
                for sheet, _, cell in refs]

    def _columns_ok(self) -> bool:
        ok = True
        hr = self.h.first_row
        for fld, cs in self.cols.items():
            if len(cs) > 1 and fld not in _MULTI:
                letters = self._letters(hr, cs)
                self.problem(hr, cs[1], L(
                    f"有 {len(cs)} 列都像是“{describe(fld).zh}”（{'、'.join(letters)} 列）："
                    "请用 --map 指定用哪一列",
                    f"{len(cs)} columns look like '{describe(fld).en}' ({', '.join(letters)}): "
                    "name the one to use with --map"))
                ok = False
        needs: list[tuple[str, ...]] = [("lead",), ("leaders",)]
        if not any(f.startswith("ms") and f.endswith("_due") for f in self.cols):
            needs.append(("due", "node"))
        for alts in needs:
            if not any(a in self.cols for a in alts):
                names = " / ".join(describe(a).zh for a in alts)
                names_en = " / ".join(describe(a).en for a in alts)
                self.problems.append(Problem(self.g.ref(hr), L(
                    f"表头（第 {hr} 行）中没有“{names}”列：请添加该列，或用 --map 指定表头",
                    f"the header (row {hr}) has no '{names_en}' column: add it, "
                    "or name its header with --map")))
                ok = False
        if "category" not in self.cols and self.opts.category is None:
            cats = self.ledger.config.categories
            if len(cats) == 1:
                self.notes.add(L(f"表中没有类别列：全部任务归入唯一的类别 {cats[0].id}",
                                 f"no category column: every task goes to the only "
                                 f"category, {cats[0].id}"))
        return ok

    def _section(self, r: int, values: list[Any]) -> str | None:
        """The text of a section heading row (一、经济发展新突破), or None: one text,
        written in the first cells (序号 up to 任务名称) or merged across the row from
        there.  A lone cell further right (a 进展情况 or a 进度 on a row of its own)
        is no heading: it is refused at its cell (`_untitled`)."""
        filled = [(c, v) for c, v in enumerate(values, start=1) if v is not None]
        distinct = {_as_text(v) for _, v in filled}
        if len(distinct) != 1 or not all(isinstance(v, str) for _, v in filled):
            return None
        title_col = self.col("title")
        assert title_col is not None
        if filled[0][0] > title_col or any(c > title_col and (r, c) not in self.g.wide
                                           for c, _ in filled):
            return None
        merged = any((r, c) in self.g.wide for c, _ in filled)
        only_in_title = len(filled) == 1 and filled[0][0] == title_col
        if merged or not only_in_title:
            return distinct.pop()
        return None

    # ---- one row -------------------------------------------------------------------
    def _task(self, r: int, section: str | None) -> None:
        before = len(self.problems)
        title_col = self.col("title")
        title, _ = self.text(r, "title")
        if not title:
            return  # the title cell was refused (an error value): reported at it
        task: dict[str, Any] = {"id": "", "title": title}
        task["category"] = self._category(r, section)
        lead, extra = self._lead(r)
        task["lead"] = lead
        units = self._names(r, "units", self.units)
        task["units"] = Flow([*extra, *[u for u in units if u not in extra]])
        coop = self._names(r, "cooperating", self.units)
        if coop:
            task["cooperating"] = Flow(coop)
        leaders = self._names(r, "leaders", self.leaders)
        if not leaders and "leaders" in self.cols and not self.text(r, "leaders")[0]:
            self.problem(r, self.col("leaders"), L("包抓领导为空：每个任务需要 1–2 名领导",
                                                   "no leader: every task needs 1 or 2 leaders"))
        task["leaders"] = Flow(leaders)
        start = self._start(r)
        task["start"] = start
        standard, std_col = self.text(r, "standard")
        no_standard = not standard
        if not standard:
            standard = title
            # a standard cell refused at its cell (an error value) is no blank to fill
            if all(self.g.get(r, c) is None for c in self.cols.get("standard", [])):
                self.notes.add(_NO_STANDARD, self.g.ref(r, std_col or title_col))
        task["standard"] = standard
        # what the sheet leaves to a default: a re-import over the file keeps the file's
        blank = {f for f, empty in (
            ("units", not units), ("cooperating", not coop),
            ("start", self._empty(r, "start")), ("standard", no_standard)) if empty}
        progress = self._progress(r)
        if progress is None:
            blank.add("progress")
            if self._empty(r, "status"):
                blank.add("status")
        status = self._status(r, progress)
        if progress is None:
            progress = Decimal(100) if status in FINISHED else Decimal(0)
            if "progress" not in self.cols:
                self.notes.add(L("表中没有进度列：已完成的任务记 100，其余记 0",
                                 "no progress column: 100 for finished tasks, 0 otherwise"))
            elif self.g.get(r, self.col("progress") or 0) is None:
                # (a progress refused at its cell is not empty: no default is announced)
                self.notes.add(_EMPTY_PROGRESS, self.g.ref(r, self.col("progress")))
        task["milestones"] = self._milestones(r, start, standard)
        task["status"] = status
        task["progress"] = progress
        update = self._update(r, progress)
        if update is not None:
            task["updates"] = [update]
        if r in self._notes_only:
            task["note"] = self._notes_only.pop(r)
        closed = self._closed(r)
        if closed:
            task["closed"] = closed
        # tasks v2 (SPEC §11): free-text names, and tags declared in luoshi.yaml
        for key in ("owners", "unit_leaders"):
            names = free_names(self.text(r, key)[0])
            if names:
                task[key] = Flow(names)
            else:
                blank.add(key)
        if not self.ledger.config.tags:
            # a ledger without lists (tags): the column is named, as it was before
            # tags were read, and imports nothing — not a refusal of the whole sheet
            text, c = self.text(r, "tags")
            if text:
                self.notes.add(_NO_TAGS, f"{self.g.ref(r, c)} {_short(text)}")
            tags = []
        else:
            tags = self._names(r, "tags", self.tags)
        if tags:
            task["tags"] = Flow(tags)
        elif self._empty(r, "tags"):
            blank.add("tags")
        if len(self.problems) > before:
            return
        seq_col = self.col("seq")
        seq = self.g.get(r, seq_col) if seq_col else None
        if self._continues(r, task, seq):
            return
        self.tasks.append(task)
        self.blanks.append(blank)
        self.rows.append(r)
        self.seqs.append(seq)
        ident, _ = self.text(r, "id")
        self.explicit_ids.append(ident or None)

    def _continues(self, r: int, task: dict[str, Any], seq: Any) -> bool:
        """One task over several rows, one row per milestone: the same 序号 as the task
        above, or (no 序号) the same title and lead in the row right below it (task cells
        merged vertically read as repeated) unless both rows name different 编号.  Its
        milestones join that task's."""
        if not self.tasks:
            return False
        prev, prev_seq = self.tasks[-1], self.seqs[-1]
        if seq is not None or prev_seq is not None:
            same = seq is not None and _as_text(seq) == _as_text(prev_seq)
        else:
            # two rows that each carry their own 编号, and not the same one, are two tasks
            # with the same title and lead (luoshi's own export has such pairs)
            ident, prev_ident = self.text(r, "id")[0], self.explicit_ids[-1]
            same = (self.rows[-1] == r - 1 and prev["title"] == task["title"]
                    and prev["lead"] == task["lead"]
                    and not (ident and prev_ident and ident != prev_ident))
        if not same:
            return False
        self._join(r, task["milestones"])
        return True

    def _join(self, r: int, milestones: list[FlowMap]) -> None:
        """Row `r` continues the last task: every cell but its milestone's repeats the
        task's first row or is blank (else refused at the cell); its milestones join
        the task's."""
        prev = self.tasks[-1]
        first = self.rows[-1]
        differs = False
        for c, fld in sorted(self.h.fields.items()):
            if fld == "seq" or fld in _MILESTONE_FIELDS or fld.startswith("ms"):
                continue
            v, top = self.g.get(r, c), self.g.get(first, c)
            if v is None or _as_text(v) == (_as_text(top) if top is not None else None):
                continue
            differs = True
            self.problem(r, c, L(
                f"这一行与 {self.g.ref(first, c)} 属于同一个任务（相同序号或合并单元格），"
                f"但此格的内容不同：一个任务占多行时，除时限/节点列外的单元格应与第一行相同或留空；"
                "若是另一个任务，请给它自己的序号",
                f"this row continues the task of {self.g.ref(first, c)} (same sequence number or "
                "merged cells) but this cell differs: when a task runs over several rows, every cell "
                "but the due/milestone columns must repeat the first row's or be blank; if it "
                "is another task, give it a sequence number of its own"))
        by_due = {m["due"]: m for m in prev["milestones"]}
        for m in milestones:
            old = by_due.get(m["due"])
            if old is not None and old != m:
                differs = True
                due_col = self.col("due") or self.col("node")
                self.problem(r, due_col, L(
                    f"这一行的节点时限 {m['due']} 与同一任务的节点相同，但标准或完成日期不同："
                    "请合并到一行，或改时限",
                    f"this row's milestone due {m['due']} is one the task already has, with "
                    "another standard or done date: merge them into one row, or change the due "
                    "date"))
        if differs:
            return
        prev["milestones"] = sorted(
            [*prev["milestones"], *(m for m in milestones if m["due"] not in by_due)],
            key=lambda m: m["due"])
        self.notes.add(L("一个任务占多行（相同序号或合并单元格）：合并为一个任务的多个节点",
                         "one task over several rows (same sequence number or merged cells): one task "
                         "with their milestones"), self.g.ref(r))

    def _update(self, r: int, progress: Decimal) -> FlowMap | None:
        """The monthly report the row carries: a note starting with its month
        ("2024-05：…"), or any 进度/进展情况 when --month names the month.  A 进展情况
        without a month, and the 情况说明 cell (export's task note), are the task's
        `note` (`_notes_only`)."""
        note, _ = self.text(r, "note")
        own, _ = self.text(r, "task_note")
        problems, problems_col = self.text(r, "problems")
        m = _MONTH_NOTE.match(note) if note else None
        month: str | None = None
        named = m is not None and 1 <= int(m.group(2)) <= 12  # the note names its month
        if m and named:
            month, note = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}", m.group(3).strip()
            self._months_named(r, month, note)
        elif self.opts.month is not None:
            month = self.opts.month
        if month is None:
            # no month to file it under: kept as the task's note
            note, own = "", "\n".join(p for p in (note, own) if p)
        if own:
            self._notes_only[r] = own
        if month is None:
            if problems:
                # a monthly report's words with no month to file them under: named
                self.notes.add(_NO_MONTH_PROBLEMS, f"{self.g.ref(r, problems_col)} "
                                                   f"{_short(problems)}")
            return None
        has_progress = self.col("progress") is not None and \
            self.g.get(r, self.col("progress") or 0) is not None
        if not named and not note and not problems and not has_progress:
            return None  # --month, and the row reports nothing
        out = FlowMap(month=Quoted(month), progress=progress)
        if note:
            out["note"] = note
        if problems:
            out["problems"] = problems
        return out

    def _months_named(self, r: int, month: str, rest: str) -> None:
        """A 进展情况 naming its month is filed under that month — named at the cell when
        that is not --month's, and when a later line names another month (two months'
        reports in one cell are one report of the first month: the text is kept, and
        the clerk told)."""
        ref = self.g.ref(r, self.col("note"))
        if self.opts.month is not None and month != self.opts.month:
            self.notes.add(L(f"进展情况写明的月份不是 --month {self.opts.month}：按单元格写明的月份导入",
                             f"the progress report names another month than --month "
                             f"{self.opts.month}: imported as the month the cell names"),
                           f"{ref} {month}")
        others = sorted({f"{int(y):04d}-{int(mo):02d}"
                         for y, mo in _LINE_MONTH.findall(rest) if 1 <= int(mo) <= 12} - {month})
        if others:
            self.notes.add(L("一个单元格里写了几个月的进展：导入为第一行所写月份的一条月报，其余月份的文字留在其中；"
                             "要分月记录，请在台账中拆开",
                             "one cell holds several months' reports: imported as one report of "
                             "the month its first line names, the other months' words kept in it; "
                             "to record them month by month, split them in the ledger"),
                           f"{ref} {month} + {'、'.join(others)}")

    def _category(self, r: int, section: str | None) -> str:
        text, c = self.text(r, "category")
        if text:
            cat = category_of(text, self.ledger)
            if cat is None:
                cats = self.ledger.config.categories
                known = "、".join(f"{x.name}（{x.id}）" for x in cats)
                known_en = ", ".join(f"{x.name} ({x.id})" for x in cats)
                self.problem(r, c, L(f"类别“{text}”不在 luoshi.yaml 中（有：{known}）",
                                     f"category '{text}' is not in luoshi.yaml (known: "
                                     f"{known_en})"))
                return ""
            self._remark(r, c, text, cat)
            return cat
        if section is not None:
            return section
        if self.opts.category is not None:
            return self.opts.category
        cats = self.ledger.config.categories
        if len(cats) == 1:
            return cats[0].id
        if self._refused_bare(r):
            return ""  # its 编号 says why it has no category (任务明细 has no row of it)
        column = describe("category")  # a header the importer recognises: 类别, Category
        self.problem(r, c, L(f"不知道这个任务属于哪个类别：请加一列“{column.zh}”，或用 --category 指定",
                             f"no category for this task: add a '{column.en}' column, "
                             "or pass --category"))
        return ""

    def _refused_bare(self, r: int) -> bool:
        """A row no 任务明细 row joins (`Grid.bare`) that is refused at its 编号: it has
        none of 任务明细's columns, and asking for a 类别 column the sheet has misleads
        (the copy of a row was named only as lacking a category, its repeated 编号
        only once a category was given).  Refused by `join_details`, or the second row
        of an 编号 (`_assign_ids` names it)."""
        if r in self.g.no_details:
            return True
        c = self.col("id")
        if c is None or r not in self.g.bare:
            return False
        ident = self.g.get(r, c)
        return ident is not None and self._first_row_of.get(ident, r) < r

    def _add_task_row(self, r: int) -> None:
        """Row `r` holds a task (or goes on with the one above): kept in `_task_rows`,
        and its 编号 in `_first_row_of` when it is the first row of it."""
        self._task_rows.append(r)
        c = self.col("id")
        ident = self.g.get(r, c) if c is not None else None
        if ident is not None:
            self._first_row_of.setdefault(ident, r)

    def _remark(self, r: int, c: int | None, text: str, category: str | None = None,
                shown: str | None = None) -> None:
        """A status or category read without its remark in brackets (推进中（滞后）is
        in_progress, 重点任务（说明）the category 重点任务): the remark is in no field, so
        the cell is named with what it holds — it was dropped without a word.  A
        category whose own name has the brackets (重点任务（一）) drops nothing."""
        bare = strip_remarks(text).strip()
        if not bare or bare == text.strip():
            return
        if category is not None:
            names = {_norm_plain(x.name) for x in self.ledger.config.categories
                     if x.id == category} | {_norm_plain(category)}
            if _norm_plain(text) in names:
                return
        self.notes.add(_REMARK, f"{self.g.ref(r, c)} {_short(shown or text)}")

    def _lead(self, r: int) -> tuple[str, list[str]]:
        text, c = self.text(r, "lead")
        if not text:
            if "lead" in self.cols:
                self.problem(r, c, L("牵头单位为空", "no lead unit"))
            return "", []
        ids = self._match(r, c, text, self.units)
        if len(ids) > 1:
            self.notes.add(L("牵头单位有多个：第一个作牵头单位，其余列为责任单位",
                             "several lead units: the first leads, the others become "
                             "responsible units"), self.g.ref(r, c))
        return (ids[0] if ids else ""), ids[1:]

    def _names(self, r: int, fld: str, matcher: Matcher) -> list[str]:
        text, c = self.text(r, fld)
        return self._match(r, c, text, matcher) if text else []

    def _match(self, r: int, c: int | None, text: str, matcher: Matcher) -> list[str]:
        ids, notes, problems = matcher.many(text)
        for n in notes:
            self.notes.add(n, self.g.ref(r, c))
        for p in problems:
            self.problem(r, c, p)
        return ids

    def _date(self, r: int, fld: str) -> date | None:
        c = self.col(fld)
        if c is None:
            return None
        try:
            due = cell_due(self.g.get(r, c), self.year, self.g.fmt(r, c))
        except DateProblem as exc:
            self.problem(r, c, exc.label)
            return None
        if due is None:
            return None
        if due.rule is not None:
            # every rule that turned a phrase into a date is listed (年底 → 12-31)
            self.notes.add(L(f"“{due.phrase}”：{due.rule.zh}", f"'{due.phrase}': {due.rule.en}"),
                           self.g.ref(r, c))
        assert isinstance(due.when, date)
        return due.when

    def _start(self, r: int) -> date:
        start = self._date(r, "start")
        if start is not None:
            return start
        if self.opts.start is not None:
            return self.opts.start
        default = date(self.year, 1, 1)
        self.notes.add(_start_default(default),
                       self.g.ref(r, self.col("start")) if "start" in self.cols else "")
        return default

    def _progress(self, r: int) -> Decimal | None:
        c = self.col("progress")
        if c is None:
            return None
        v = self.g.get(r, c)
        if v is None:
            return None
        percent = False  # written as a percentage: 45%, or a %-formatted cell
        try:
            if isinstance(v, bool):
                raise InvalidOperation
            if isinstance(v, (int, float)):
                d = Decimal(str(v))
                if "%" in self.g.fmt(r, c):
                    d *= 100
                    percent = True
            else:
                # full-width forms too (８０．５％): the importers' one reading of a number
                d, percent = typed_percent(_as_text(v))
            if not d.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.problem(r, c, L(f"进度“{_short(v)}”不是数字（写 45 或 45%）",
                                 f"progress '{_short(v)}' is not a number (write 45 or 45%)"))
            return None
        d = d.normalize()
        if not 0 <= d <= 100:
            # as the sheet shows it: 3500, not Decimal's 3.5E+3
            shown = (_short(v) if isinstance(v, str)
                     else _plain(d) + ("%" if percent else ""))
            self.problem(r, c, L(f"进度 {shown} 不在 0–100 之间",
                                 f"progress {shown} is not within 0..100"))
            return None
        if 0 < d < 1 and not percent:
            # 0.35 typed into a General cell is 0.35 %: most likely 35 % was meant
            self.notes.add(BELOW_ONE, f"{self.g.ref(r, c)} {_plain(d)}")
        return d.quantize(Decimal(1)) if d == d.to_integral_value() else d

    def _status(self, r: int, progress: Decimal | None) -> str:
        text, c = self.text(r, "status")
        if text:
            st = status_of(text)
            if st is None:
                self.problem(r, c, L(f"状态“{text}”无法识别（可写：未启动、推进中、已完成、待销号、已销号、暂缓）",
                                     f"status '{text}' is not known (use planned, in progress, "
                                     "done, closing, closed, suspended)"))
                return "in_progress"
            self._remark(r, c, text)
            return st
        p = progress if progress is not None else Decimal(0)
        st = "planned" if p == 0 else "done" if p == 100 else "in_progress"
        self.notes.add(_STATUS_FROM_PROGRESS, self.g.ref(r, c) if c else "")
        return st

    def _milestones(self, r: int, start: date, standard: str) -> list[FlowMap]:
        explicit = sorted({int(f[2:].split("_")[0]) for f in self.cols
                           if f.startswith("ms") and f.endswith("_due")})
        self._no_due_column(r, explicit)
        if explicit:
            filled = any(self.g.get(r, c) is not None for f, cs in self.cols.items()
                         if f.startswith("ms") and int(f[2:].split("_")[0]) in explicit
                         for c in cs)
            plain = any(self.g.get(r, c) is not None for f in _MILESTONE_FIELDS
                        for c in self.cols.get(f, []))
            if filled or not plain:
                listed = self._explicit_milestones(r, explicit, standard)
                if listed:
                    self._beside_nodes(r, listed, start)
                return listed
            # a row that fills no 节点N column but its 完成时限 / 序时节点: read as a sheet
            # without 节点N columns reads it
        found: list[tuple[date, str, str]] = []  # (due, text, kind)
        done = self._date(r, "done")
        unreadable = False
        for fld, kind in (("node", "node"), ("due", "final")):
            for c in self.cols.get(fld, []):
                try:
                    dues = cell_dues(self.g.get(r, c), self.year, self.g.fmt(r, c))
                except DateProblem as exc:
                    self.problem(r, c, exc.label)
                    unreadable = True
                    continue
                for d in dues:
                    found.extend((when, _standard_text(d), kind)
                                 for when in self._expand(d, start, r, c))
        if not found:
            if unreadable:
                return []
            self.problem(r, self.col("due") or self.col("node"), L("完成时限为空：每个任务至少需要一个序时节点",
                                 "no due date: every task needs at least one milestone"))
            return []
        found.sort(key=lambda x: x[0])
        merged: list[list[Any]] = []
        for when, text, kind in found:
            if merged and merged[-1][0] == when:
                if text and text not in merged[-1][1]:
                    merged[-1][1] = "；".join(p for p in (merged[-1][1], text) if p)
                merged[-1][2] = "final" if "final" in (kind, merged[-1][2]) else kind
            else:
                merged.append([when, text, kind])
        self._pair_standards(r, merged, standard)
        out: list[FlowMap] = []
        for when, text, _ in merged:
            m = FlowMap(due=when, standard=text)
            if done is not None:
                m["done"] = done
            out.append(m)
        return out

    def _expand(self, d: Due, start: date, r: int, c: int) -> list[date]:
        if d.rule is not None:
            self.notes.add(L(f"“{d.phrase}”：{d.rule.zh}", f"'{d.phrase}': {d.rule.en}"),
                           self.g.ref(r, c))
        if isinstance(d.when, Every):
            return d.when.expand(start, self.year)
        return [d.when]

    def _pair_standards(self, r: int, merged: list[list[Any]], standard: str) -> None:
        """Milestones without words of their own get them from the standard cells."""
        missing = [m for m in merged if not m[1]]
        if not missing:
            return
        node_texts: list[str] = []
        for c in self.cols.get("node_standard", []):
            v = self.g.get(r, c)
            node_texts.extend(segments(_as_text(v)) if v is not None else [])
        nodes = [m for m in merged if m[2] == "node"]
        if node_texts and len(node_texts) == len(nodes):
            for m, t in zip(nodes, node_texts, strict=True):
                m[1] = m[1] or t
        std_parts = segments(standard)
        if len(merged) > 1 and len(std_parts) == len(merged):
            for m, t in zip(merged, std_parts, strict=True):
                m[1] = m[1] or t
        if not merged[-1][1]:
            merged[-1][1] = standard
        for m in merged[:-1]:
            if not m[1]:
                m[1] = written = (DEFAULT_NODE_STANDARD.en if self.ledger.language == "en"
                                  else DEFAULT_NODE_STANDARD.zh)
                self.notes.add(L(f"序时节点没有写标准：记为“{written}”",
                                 f"milestones without a standard of their own: '{written}'"),
                               self.g.ref(r, self.col("node") or self.col("due")))

    def _no_due_column(self, r: int, numbers: list[int]) -> None:
        """节点N标准 / 节点N完成 / 节点N备注 with no 节点N时限 column to give the milestone a
        date: each filled cell refused at the cell (it was dropped without a word)."""
        for c, f in sorted(self.h.fields.items()):
            if not f.startswith("ms") or f.endswith("_due"):
                continue
            n = int(f[2:].split("_")[0])
            v = self.g.get(r, c)
            if n not in numbers and v is not None:
                part, due = describe(f), describe(f"ms{n}_due")
                self.problem(r, c, L(
                    f"“{part.zh}”列有内容（“{_short(v)}”），但表中没有“{due.zh}”列，这个节点没有时限，"
                    f"无法导入：请加上“{due.zh}”列并填写时限",
                    f"the '{part.en}' column holds '{_short(v)}' but the sheet has no "
                    f"'{due.en}' column, so this milestone has no due date and cannot be "
                    f"imported: add a '{due.en}' column and fill in the date"))

    def _beside_nodes(self, r: int, out: list[FlowMap], start: date) -> None:
        """完成时限, 序时节点, 节点标准 and 实际完成时间 beside 节点N columns (export's
        任务台账 has 完成时限 = the last milestone's due, its 任务明细 the 节点N columns):
        what agrees with the milestones is quiet; a 完成时限 of an earlier milestone (a
        later one added on 任务明细) is named; 实际完成时间 fills the last milestone's
        empty 完成; anything else is refused at its cell — which of the two places holds
        the date meant cannot be told, and one was read past without a word."""
        last = max(out, key=lambda m: m["due"])
        dues = {m["due"]: m for m in out}
        last_ref = self._ms_ref(r, last, "due")
        for c in self.cols.get("due", []):
            got = self._cell_dates(r, c, start)
            if got is None:
                continue
            shown = _short(self.g.get(r, c))
            if got and all(d in dues for d, _ in got):
                if max(d for d, _ in got) != last["due"]:
                    # an earlier milestone's date: a later one added on 任务明细 (the
                    # milestones are read), named as 完成时限 is left behind
                    self.notes.add(_DUE_NOT_LAST, f"{self.g.ref(r, c)} {shown} ≠ {last_ref} "
                                                  f"{last['due']}")
                continue
            self.problem(r, c, L(
                f"完成时限“{shown}”与最后一个节点的时限 {last['due']}（{last_ref}）不一致："
                "完成时限就是最后一个节点的时限，两处请改成同一天（或清空此格，以节点时限为准）；"
                "要加一个节点，请填在新的“节点N时限”列",
                f"the due date '{shown}' differs from the last milestone's, {last['due']} "
                f"({last_ref}): the due date is the last milestone's, so make both the same "
                "day (or clear this cell to keep the milestone's); to add a milestone, fill "
                "in a new 'Milestone N due' column"))
        for c in self.cols.get("node", []):
            got = self._cell_dates(r, c, start)
            if got is None or all(d in dues and (not t or t == dues[d]["standard"])
                                  for d, t in got):
                continue
            shown = _short(self.g.get(r, c))
            self.problem(r, c, L(
                f"序时节点“{shown}”与“节点N时限/节点N标准”列不一致，表中有节点N列时以它们为准："
                "请把这个节点写进节点N时限/节点N标准列，或清空此格",
                f"the milestones '{shown}' do not agree with the 'Milestone N due / standard' "
                "columns, which the import reads when the sheet has them: write this milestone "
                "into those columns, or clear this cell"))
        standards = {m["standard"] for m in out}
        for c in self.cols.get("node_standard", []):
            v = self.g.get(r, c)
            if v is None or all(t in standards for t in segments(_as_text(v))):
                continue
            self.problem(r, c, L(
                f"节点标准“{_short(v)}”与“节点N标准”列不一致，表中有节点N列时以它们为准："
                "请写进节点N标准列，或清空此格",
                f"the milestone standard '{_short(v)}' does not agree with the 'Milestone N "
                "standard' columns, which the import reads when the sheet has them: write it "
                "there, or clear this cell"))
        for c in self.cols.get("done", []):
            got = self._cell_dates(r, c, start)
            if not got:
                continue
            done = got[-1][0]
            if len(got) == 1 and last.get("done") in (None, done):
                last["done"] = done
                continue
            had = last.get("done")
            self.problem(r, c, L(
                f"实际完成时间“{_short(self.g.get(r, c))}”与最后一个节点的完成日期 {had or '（空）'}"
                f"（{self._ms_ref(r, last, 'done')}）不一致：请改成同一天，或清空其中一处",
                f"the completion date '{_short(self.g.get(r, c))}' differs from the last "
                f"milestone's done date, {had or '(none)'} ({self._ms_ref(r, last, 'done')}): make "
                "them the same day, or clear one of them"))

    def _cell_dates(self, r: int, c: int, start: date) -> list[tuple[date, str]] | None:
        """The dates of a cell (with each one's words), or None when it is empty or
        refused at the cell."""
        v = self.g.get(r, c)
        if v is None:
            return None
        try:
            dues = cell_dues(v, self.year, self.g.fmt(r, c))
        except DateProblem as exc:
            self.problem(r, c, exc.label)
            return None
        return [(when, _standard_text(d)) for d in dues for when in self._expand(d, start, r, c)]

    def _ms_ref(self, r: int, m: FlowMap, part: str) -> str:
        """The cell of milestone `m`'s 节点N时限 (or 完成) in row `r`."""
        n = self._ms_number.get(id(m))
        c = self.col(f"ms{n}_{part}") or self.col(f"ms{n}_due")
        return self.g.ref(r, c)

    def _explicit_milestones(self, r: int, numbers: list[int], standard: str) -> list[FlowMap]:
        """The exporter's layout: 节点1时限 / 节点1标准 / 节点1完成, 节点2…"""
        out: list[FlowMap] = []
        last = numbers[-1]
        for n in numbers:
            due = self._date(r, f"ms{n}_due")
            std, _ = self.text(r, f"ms{n}_standard")
            done = self._date(r, f"ms{n}_done")
            note, _ = self.text(r, f"ms{n}_note")
            if due is None:
                if std or done or note:
                    self.problem(r, self.col(f"ms{n}_due"),
                                 L(f"节点{n}有标准、完成日期或备注，但没有时限",
                                   f"milestone {n} has a standard, done date or note but no "
                                   "due date"))
                continue
            m = FlowMap(due=due, standard=std or (standard if n == last else ""))
            if not m["standard"]:
                m["standard"] = standard
                self.notes.add(L("序时节点没有写标准：用任务的完成标准",
                                 "milestones without a standard: the task's standard is used"),
                               self.g.ref(r, self.col(f"ms{n}_standard")))
            if done is not None:
                m["done"] = done
            if note:
                m["note"] = note
            out.append(m)
            self._ms_number[id(m)] = n
        if not out:
            self.problem(r, self.col(f"ms{numbers[0]}_due"),
                         L("没有任何序时节点时限", "no milestone has a due date"))
        return out

    def _closed(self, r: int) -> dict[str, Any] | None:
        when = self._date(r, "closed_date")
        by_text, by_col = self.text(r, "closed_by")
        evidence, _ = self.text(r, "closed_evidence")
        if when is None and not by_text and not evidence:
            return None
        out: dict[str, Any] = {}
        if when is not None:
            out["date"] = when
        if by_text:
            ids = self._match(r, by_col, by_text, self.leaders)
            if ids:
                out["approved_by"] = ids[0]
        if evidence:
            out["evidence"] = evidence
        return out

    # ---- --force: what the file holds and the sheet does not say -----------------------
    def _keep_existing(self) -> None:
        """Re-importing over the import's own file (`--force`): the sheet's values
        replace the task's, but nothing the file holds is dropped without a word.

        Kept from the file: what a 台账 sheet never carries (monthly updates of other
        months, flags, `locked`, adjustments, the parent and target, a milestone's note
        and target); what the row leaves empty (responsible and cooperating units, start,
        standard, note, closed block, progress and status, owners, unit leaders and
        tags); and the history — a done
        date of a milestone the sheet has too, the closed block, a month already
        reported, and, once the task has monthly reports, its progress and status
        (the units' reports set them; a sheet reporting a later month sets them
        again).  A sheet value the file's history overrides is named in a note.

        Refused at its cell: a done milestone the sheet no longer has (it would be
        deleted), and a generated id (from 序号 or the row order) now naming another
        task (another title) whose history would be laid on the wrong task; such a
        task without history is simply replaced, nothing of it kept."""
        title_col = self.col("title")
        for i, task in enumerate(self.tasks):
            old = self.opts.existing.get(task["id"])
            if old is None:
                continue
            r = self.rows[i]
            self._restore_sent(r, task, old)
            history = _history(old)
            if self.explicit_ids[i] is None and old.title != task["title"]:
                # a generated id on another title: not the same task (a row inserted
                # above renumbered the rest), so nothing of the file's is laid under it
                if not history:
                    continue
                self.problem(r, title_col, L(
                    f"编号 {old.id} 是生成的（按序号或行顺序），但文件 {old.src.file} 中的 {old.id} 是另一个"
                    f"任务（“{_short(old.title)}”），它的{'、'.join(h.zh for h in history)}不能移到这一行："
                    "请在表中加“编号”列写明各任务的编号，或用 -o 写到另一个文件",
                    f"id {old.id} is generated (from the sequence numbers or the row order), but "
                    f"{old.id} in {old.src.file} is another task ('{_short(old.title)}'): its "
                    f"{', '.join(h.en for h in history)} cannot move to this row; give the "
                    "tasks their ids in an ID (编号) column, or write to another file with -o"))
                continue
            self._keep_task(i, task, old)
            self.tasks[i] = {k: task[k] for k in _KEY_ORDER if k in task}

    def _restore_sent(self, r: int, task: dict[str, Any], old: Task) -> None:
        """The file's text where the sheet holds it as an export wrote it — escaped
        (`\x07`, `\ufffe`) or cut to what a cell holds (`sent.returned`): importing an
        unedited export changes nothing (a 33,001-character note was cut to 32,767 and
        written over the file's, without a word)."""
        from .sent import returned

        def kept(now: Any, had: str | None, prefix: str = "") -> bool:
            return (isinstance(now, str) and had is not None and now != had
                    and returned(now, had, prefix))

        for key, fields in (("title", ("title",)), ("standard", ("standard",)),
                            ("note", ("note", "task_note"))):
            had = getattr(old, key)
            if kept(task.get(key), had):
                task[key] = had
                self._restored.update((r, f) for f in fields)
        by_due = {m.due: m for m in old.milestones}
        for m in task["milestones"]:
            was = by_due.get(m["due"])
            if was is not None and kept(m.get("standard"), was.standard):
                m["standard"] = was.standard
                self._restored.update((r, f) for f in self.cols
                                      if f == "node_standard" or f.endswith("_standard"))
        closed = task.get("closed")
        if closed is not None and old.closed is not None and kept(closed.get("evidence"),
                                                                  old.closed.evidence):
            closed["evidence"] = old.closed.evidence
            self._restored.add((r, "closed_evidence"))
        months = {u.month: u for u in old.updates}
        for u in task.get("updates") or []:
            was_u = months.get(str(u["month"]))
            if was_u is not None and any(kept(u.get("note"), was_u.note, f"{was_u.month}{colon}")
                                         for colon in ("：", ": ")):
                u["note"] = was_u.note
                self._restored.add((r, "note"))
            if was_u is not None and kept(u.get("problems"), was_u.problems):
                u["problems"] = was_u.problems
                self._restored.add((r, "problems"))

    def _kept(self, r: int, col: int | None, ident: str, kind: L, detail: str = "") -> None:
        self.notes.add(L(f"--force 覆盖导入：保留了文件中的{kind.zh}（表中没有）",
                         f"--force re-import: kept the file's {kind.en} (the sheet has none)"),
                       f"{self.g.ref(r, col or self.col('title'))} {ident}"
                       + (f" {detail}" if detail else ""))

    def _not_taken(self, r: int, col: int | None, ident: str, what: L, why: L,
                   detail: str = "") -> None:
        self.notes.add(L(f"--force 覆盖导入：表中的{what.zh}未采用（{why.zh}），文件中的记录不被改写",
                         f"--force re-import: the sheet's {what.en} not taken ({why.en}); the "
                         "file's record is not rewritten"),
                       f"{self.g.ref(r, col or self.col('title'))} {ident}"
                       + (f" {detail}" if detail else ""))

    def _keep_task(self, i: int, task: dict[str, Any], old: Task) -> None:
        """Lay the file's task `old` under the sheet's `task` (see `_keep_existing`);
        each value kept, and each sheet value the file's history overrode, is noted."""
        blank, r, ident = self.blanks[i], self.rows[i], old.id
        for key, kind in (("units", L("责任单位", "responsible units")),
                          ("cooperating", L("配合单位", "cooperating units"))):
            had = getattr(old, key)
            if key in blank and had:
                now = list(task.get(key, []))
                task[key] = Flow([*now, *(u for u in had if u not in now and u != task["lead"])])
                self._kept(r, self.col(key), ident, kind)
        if "start" in blank and task["start"] != old.start:
            self.notes.drop(_start_default(task["start"]), self.g.ref(r, self.col("start"))
                            if "start" in self.cols else "")
            task["start"] = old.start
            self._kept(r, self.col("start"), ident, L("开始日期", "start"), str(old.start))
        if "standard" in blank and old.standard != task["standard"]:
            self.notes.drop(_NO_STANDARD, self.g.ref(r, self.col("standard") or self.col("title")))
            task["standard"] = old.standard
            self._kept(r, self.col("standard"), ident, L("完成标准", "standard"))
        if "note" not in task and old.note:
            task["note"] = old.note
            self._kept(r, self.col("note"), ident, L("情况说明", "note"))
        self._keep_milestones(r, task, old)
        # monthly updates: every month the file holds; the sheet's month added (for a
        # month the file has, the file's report stands)
        updates = {u.month: _update_map(u) for u in old.updates}
        latest = max(updates, default=None)
        sheet_update = (task.get("updates") or [None])[0]
        reported_later = False
        if sheet_update is not None:
            month = str(sheet_update["month"])
            if month not in updates:
                updates[month] = sheet_update
                reported_later = latest is None or month > latest
            elif _update_key(updates[month], "problems" in self.cols) != \
                    _update_key(sheet_update, "problems" in self.cols):
                self._not_taken(r, self.col("note") or self.col("progress"), ident,
                                L("月报", "monthly report"),
                                L("文件中已有该月的报送", "the file holds that month's report"),
                                month)
        # the months the file holds and the sheet does not carry (the sheet's own month
        # was named as kept "from the file (表中没有)" on every re-import of it)
        sheet_month = str(sheet_update["month"]) if sheet_update is not None else None
        kept = [u.month for u in old.updates if u.month != sheet_month]
        if kept:
            self._kept(r, self.col("note"), ident, L("月度进展", "monthly updates"),
                       ", ".join(kept))
        if updates:
            task["updates"] = [updates[m] for m in sorted(updates)]
        # progress and status: the units' reports own them once there are any, and a
        # closing record (销号) does for good — a closed task set back to 推进中 beside
        # its kept `closed:` block was a record that contradicts itself (review)
        signed_off = old.closed is not None
        owned = (bool(old.updates) and not reported_later) or signed_off
        why = (L("任务已销号", "the task is closed") if signed_off
               else L("任务已有月度报送", "the task has monthly reports"))
        for key, kind in (("progress", L("进度", "progress")), ("status", L("状态", "status"))):
            was = getattr(old, key)
            if task[key] == was or not (owned or key in blank):
                continue
            if key in blank:
                col = self.col(key)
                self.notes.drop(_EMPTY_PROGRESS if key == "progress" else _STATUS_FROM_PROGRESS,
                                self.g.ref(r, col) if col else "")
                self._kept(r, col, ident, kind, str(was))
            else:
                self._not_taken(r, self.col(key), ident, kind, why,
                                f"{task[key]} → {was}")
            task[key] = was
        if old.closed is not None:
            closed = _closed_map(old.closed)
            if "closed" not in task:
                self._kept(r, self.col("closed_date"), ident, L("销号记录", "closing record"))
            elif dict(task["closed"]) != closed:
                self._not_taken(r, self.col("closed_date"), ident,
                                L("销号记录", "closing record"),
                                L("文件中已有销号记录", "the file holds one"))
            task["closed"] = closed
        # what a 台账 sheet never carries
        for kind, key, value in (
                (L("红旗/黄牌", "flags"), "flags", [
                    _drop_none(FlowMap(kind=f.kind, date=f.date, by=f.by, note=f.note))
                    for f in old.flags]),
                (L("锁定（locked）", "lock (locked)"), "locked", True if old.locked else None),
                (L("调整记录", "adjustments"), "adjustments", [
                    _drop_none(FlowMap(date=a.date, field=a.field, approved_by=a.approved_by,
                                       reason=a.reason)) for a in old.adjustments]),
                (L("目标值", "target"), "target", None if old.target is None else _drop_none(
                    FlowMap(value=old.target.value, unit=old.target.unit))),
                (L("上级任务", "parent"), "parent", old.parent)):
            if value:
                task[key] = value
                self._kept(r, None, ident, kind)
        # what the sheet may carry in a column of its own (责任人, 单位领导, 标签): the
        # row's names replace the file's; a row that leaves them empty keeps the file's
        for kind, key, had in ((L("责任人", "owners"), "owners", old.owners),
                               (L("单位领导", "unit leaders"), "unit_leaders", old.unit_leaders),
                               (L("标签", "tags"), "tags", old.tags)):
            if key in blank and had:
                task[key] = Flow(had)
                self._kept(r, self.col(key), ident, kind)

    def _keep_milestones(self, r: int, task: dict[str, Any], old: Task) -> None:
        """A done date (history), a milestone's note and target (no column) of the file's
        milestones the sheet has too; a done milestone the sheet dropped is refused."""
        ident = old.id
        by_due = {m["due"]: m for m in task["milestones"]}
        due_col = self.col("due") or self.col("node")
        for m in old.milestones:
            new = by_due.get(m.due)
            if new is None:
                if m.done is not None:
                    self.problem(r, due_col, L(
                        f"任务 {ident} 的节点 {m.due}（“{_short(m.standard)}”）已于 {m.done} 完成，"
                        "但表中没有这个节点：覆盖会删除这条完成记录；请在表中保留该节点，或先从文件中删去它",
                        f"task {ident}'s milestone due {m.due} ('{_short(m.standard)}') was "
                        f"done on {m.done}, but the sheet has no such milestone: replacing the "
                        "file would delete that record; keep the milestone in the sheet, or "
                        "delete it from the file first"))
                continue
            if m.done is not None:
                if "done" not in new:
                    self._kept(r, self.col("done") or due_col, ident,
                               L("节点完成日期", "milestone done dates"), f"{m.due}: {m.done}")
                elif new["done"] != m.done:
                    self._not_taken(r, self.col("done") or due_col, ident,
                                    L("节点完成日期", "milestone done date"),
                                    L("文件中该节点已记完成", "the file records it done"),
                                    f"{m.due}: {new['done']} → {m.done}")
                new["done"] = m.done
            for key, kind in (("target", L("节点目标值", "milestone targets")),
                              ("note", L("节点备注", "milestone notes"))):
                value = getattr(m, key)
                if value is not None and key not in new:
                    new[key] = value
                    self._kept(r, due_col, ident, kind, str(m.due))

    # ---- ids -----------------------------------------------------------------------
    def _assign_ids(self) -> None:
        taken = set(self.opts.taken)
        where = self.opts.taken
        first: dict[str, int] = {}
        id_col = self.col("id")
        ok = True
        for i, ident in enumerate(self.explicit_ids):
            if ident is None:
                continue
            r = self.rows[i]
            if not _TASK_ID.match(ident):
                self.problem(r, id_col, L(f"编号“{ident}”格式不对：只能用字母、数字和 . _ -，且以字母或数字开头",
                                          f"id '{ident}' is not valid: letters, digits, '.', '_' "
                                          "and '-', starting with a letter or digit"))
                ok = False
            elif ident in first:
                self.problem(r, id_col, L(f"编号 {ident} 重复（第一次在 {self.g.ref(first[ident], id_col)}）",
                                          f"id {ident} is repeated (first at "
                                          f"{self.g.ref(first[ident], id_col)})"))
                ok = False
            elif ident in taken:
                self.problem(r, id_col, L(f"编号 {ident} 已在台账中使用（{where[ident]}）：请换一个编号，"
                                          "或从表中删去该列让 luoshi 生成",
                                          f"id {ident} is already used in the ledger "
                                          f"({where[ident]}): change it, or drop the column and "
                                          "let luoshi number the tasks"))
                ok = False
            else:
                first[ident] = r
        if not ok:
            return
        taken |= set(first)
        todo = [i for i, ident in enumerate(self.explicit_ids) if ident is None]
        if not todo:
            self._set_ids([(i, self.explicit_ids[i] or "") for i in range(len(self.tasks))])
            return
        prefix = self.opts.prefix
        seq = [_seq_number(self.seqs[i]) for i in todo]
        from_seq = [f"{prefix}-{n:03d}" if n is not None else None for n in seq]
        usable = (all(x is not None for x in from_seq) and len(set(from_seq)) == len(from_seq)
                  and not any(x in taken for x in from_seq))
        if usable:
            chosen = [x or "" for x in from_seq]
            # the column named as the sheet heads it (序号, No., #)
            head = _short(self.h.texts.get(self.col("seq") or 0) or "序号")
            self.notes.add(L(f"任务编号按序号生成：{chosen[0]} …", f"task ids from the {head} "
                             f"column: {chosen[0]} …"))
        else:
            chosen = []
            n = 0
            for _ in todo:
                n += 1
                while f"{prefix}-{n:03d}" in taken:
                    n += 1
                chosen.append(f"{prefix}-{n:03d}")
            self.notes.add(L(f"任务编号按行顺序生成：{chosen[0]} …（可用 --prefix 改前缀）",
                             f"task ids numbered in row order: {chosen[0]} … "
                             "(--prefix changes the prefix)"))
        ids = {i: self.explicit_ids[i] or "" for i in range(len(self.tasks))}
        ids.update(dict(zip(todo, chosen, strict=True)))
        self._set_ids(sorted(ids.items()))

    def _set_ids(self, pairs: Iterable[tuple[int, str]]) -> None:
        for i, ident in pairs:
            self.tasks[i]["id"] = ident


#: what a total row's label cell says, whole (after `norm`: spaces, a colon and a
#: remark in brackets dropped — 合 计, 小计：, 总计（万元）): a task titled
#: 平均办理时限压缩至3天 or 总计划投资完成50亿元 only starts with such a word
#: the keys of a written task, in the order of the examples (a key kept from the file
#: the import replaces takes its place among them)
_KEY_ORDER = ("id", "title", "category", "lead", "units", "cooperating", "leaders", "start",
              "standard", "milestones", "status", "progress", "updates", "note", "closed",
              "flags", "locked", "adjustments", "target", "parent", "owners", "unit_leaders",
              "tags")


def _history(t: Task) -> list[L]:
    """What a task of the replaced file holds that a sheet row does not make."""
    out = []
    for what, has in ((L("月度进展", "monthly updates"), t.updates),
                      (L("完成日期", "done dates"), any(m.done for m in t.milestones)),
                      (L("销号记录", "closing record"), t.closed),
                      (L("红旗/黄牌", "flags"), t.flags),
                      (L("锁定", "lock"), t.locked),
                      (L("调整记录", "adjustments"), t.adjustments),
                      (L("情况说明", "note"), t.note),
                      (L("目标值、上级任务等", "target, parent and the like"),
                       t.target or t.parent or t.owners or t.unit_leaders or t.tags)):
        if has:
            out.append(what)
    return out


_NO_STANDARD = L("完成标准为空：用任务名称代替", "no standard: the title is used")
_EMPTY_PROGRESS = L("进度为空：已完成的任务记 100，其余记 0",
                    "empty progress: 100 for finished tasks, 0 otherwise")
_STATUS_FROM_PROGRESS = L(
    "状态按进度推定：0 为未启动（planned），100 为已完成（done），其余为推进中（in_progress）",
    "status from progress: 0 planned, 100 done, otherwise in_progress")


def _start_default(day: date) -> L:
    return L(f"开始日期取默认值 {day}（台账年度的 1 月 1 日；可用 --start 指定）",
             f"start date defaults to {day} (1 January of the ledger year; set it with --start)")


def _drop_none(m: FlowMap) -> FlowMap:
    return FlowMap((k, v) for k, v in m.items() if v is not None)


def _update_map(u: Any) -> FlowMap:
    """A monthly update of the model, as the import writes one."""
    return _drop_none(FlowMap(month=Quoted(u.month), progress=u.progress, note=u.note,
                              problems=u.problems, actual=u.actual))


def _update_key(m: FlowMap, problems: bool) -> tuple[Any, ...]:
    """What a sheet row says of a month's report (its 存在问题 when the sheet has them)."""
    return (m.get("progress"), m.get("note") or None, (m.get("problems") or None) if problems
            else None)


def _closed_map(c: Any) -> dict[str, Any]:
    return {k: v for k, v in (("date", c.date), ("approved_by", c.approved_by),
                              ("evidence", c.evidence)) if v is not None}


def _plain(d: Decimal) -> str:
    """A number as people write it (3500, not 3.5E+3); one too long for that keeps its
    exponent."""
    text = format(d, "f")
    return text if len(text) <= 24 else str(d)


def _norm_plain(text: str) -> str:
    """A name compared as written, width and spaces aside (brackets kept)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _address(text: str) -> str:
    """A hyperlink's address for a message: printable, at most 200 characters (an
    address cut at 30 would name no file)."""
    shown = printable(text)
    return shown if len(shown) <= 200 else shown[:200] + "…"


def _short(v: Any) -> str:
    """A cell's text for a message: printable, at most 30 characters."""
    return clipped(_as_text(v))


def _seq_number(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int) and v > 0:
        return v
    if isinstance(v, float) and v.is_integer() and v > 0:
        return int(v)
    if isinstance(v, str) and v.strip().isdecimal() and int(v.strip()) > 0:
        return int(v.strip())
    return None


#: columns whose cells never reach the ledger: named by their header when filled
_UNREAD_FIELDS = frozenset({"remark", "parent", "target_value", "actual"})
_V2_UNREAD = L("上级任务、目标值、实际完成值列（tasks v2）不导入，其中的内容不会写入台账：请在台账中填写"
               "（用 --force 覆盖导入原文件时，文件中的这些值保留）",
               "parent, target and actual columns (tasks v2) are not imported: what they hold "
               "is not written to the ledger; write it in the ledger (a --force re-import "
               "over the file keeps the file's values)")
#: columns luoshi computes (written by export): a value of the kind it writes is read past
_COMPUTED = frozenset({"expected", "light", "achieved"})
_LIGHT_WORDS = frozenset(norm(w) for w in ("红", "黄", "绿", "红灯", "黄灯", "绿灯", "red", "yellow",
                                           "green"))
_PERCENT = re.compile(r"[-+]?\d+(?:\.\d+)?\s*[%％]?\Z")
_COMPUTED_TEXT = L("序时进度、亮灯和目标完成率由 luoshi 计算，不导入：这些单元格写的文字未导入台账",
                   "expected progress, lights and achievement are computed by luoshi and not "
                   "imported: the text in these cells is not written to the ledger")
_NO_HEADER = L("这些单元格所在的列没有表头，其中的内容未导入台账：需要时请加上表头（或用 --map 指定字段）",
               "these cells are in columns without a header: what they hold is not written to "
               "the ledger; give the column a header (or name its field with --map)")


def _computed_value(fld: str, v: Any) -> bool:
    """Whether a 序时进度 / 亮灯 / 目标完成率% cell holds what luoshi would write there."""
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float, Decimal)):
        return fld != "light"
    text = _as_text(v)
    if fld == "light":
        return norm(text) in _LIGHT_WORDS
    return _PERCENT.match(unicodedata.normalize("NFKC", text).strip()) is not None


#: what `_unread_words` names: the words `import updates` refuses them with
#: 完成时限 beside 节点N columns holding an earlier milestone's date, not the last one's
_DUE_NOT_LAST = L("完成时限是较早一个节点的时限，不是最后一个节点的（表中加了更晚的节点？）：节点按节点N时限列导入，"
                  "这些完成时限不导入——请核对，并把完成时限改成最后一个节点的时限",
                  "these due dates are an earlier milestone's, not the last one's (a later "
                  "milestone added?): the milestones are imported from the 'Milestone N due' "
                  "columns and these due dates are not — check them, and make the due date the "
                  "last milestone's")
#: a header cell over an empty column that is no column luoshi reads
_HEAD_ONLY = L("表头行中这些单元格不是 luoshi 认识的列名，下面也没有内容，未导入台账："
               "要导入的内容请写进任务所在的行",
               "these cells of the header row are no column luoshi knows and have nothing "
               "below them; they are not written to the ledger: write what is to be imported "
               "into the task's row")
#: a 任务明细 cell of a field 任务台账 has too, which says something else there
_SHADOWED = L("“任务明细”中这些单元格与“任务台账”同一任务的同一项不同：以任务台账为准（任务明细的标题即如此注明），"
              "这些单元格未导入——要改，请改任务台账中的单元格",
              "these cells of the task details sheet differ from the same field of the same "
              "task on the task sheet: the task sheet's is imported (as the details sheet's "
              "title says) and these are not — to change it, edit the task sheet's cell")
_ABOVE = L(f"{ABOVE_HEADER.zh}：要导入的内容请写进任务所在的行",
           f"{ABOVE_HEADER.en}: write what belongs in the ledger into the task's row")
_COMMENTS = L(f"{COMMENT.zh}：要导入的内容请写进任务所在的行",
              f"{COMMENT.en}: write what belongs in the ledger into the task's row")
_REMARK = L("状态、类别按括号外的文字读取，括号里的说明未导入台账：要保留的说明请写进进展情况",
            "a status or category is read without its remark in brackets, and the remark is "
            "not imported: write a remark that belongs in the ledger into the progress "
            "report (进展情况)")
_LINKS = L(f"{HYPERLINK.zh}：要留存的地址请写进单元格的文字",
           f"{HYPERLINK.en}: write an address that belongs in the ledger into the cell's text")
#: a non-empty sheet an import of a task sheet did not read (`imports.unheaded_sheets`)
NO_TASK_HEADER = L("这些工作表没有任务表头，其中的内容未导入",
                   "these sheets have no task header: what they hold was not imported")

_UNREAD = L("这些列未导入（luoshi 没有对应的字段），其中的内容不会写入台账；需要时可用 --map 指定字段",
            "these columns are not imported (luoshi has no field for them): what they hold "
            "is not written to the ledger; name a field for one with --map")

#: the header fields a continuation row (one row per milestone) may set apart from the
#: task's first row: its milestone's due date, words and done date
_MILESTONE_FIELDS = frozenset({"due", "node", "node_standard", "done"})
#: 存在问题 on a row whose report names no month (none in 最新进展, no --month)
_NO_MONTH_PROBLEMS = L(
    "存在问题未导入：它属于某月的月报，但这一行没有月份（最新进展未以“2024-05：”开头，也没有 --month）："
    "请用 --month 指定月份",
    "problems not imported: they belong to a monthly report, but this row names no month "
    "(its latest update does not start with '2024-05:' and there is no --month): name the "
    "month with --month")

#: the values Excel shows for a formula that failed (openpyxl reads them as text)
_EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!",
                           "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"})


def _not_text(v: Any) -> L | None:
    """Why a cell cannot be read as text: an Excel error value (a formula that failed)
    or a TRUE/FALSE cell — neither is what the office meant to write."""
    if isinstance(v, bool):
        return boolean(v)
    if isinstance(v, str):
        return _NOT_TEXT(v, v, lambda: _error_value(v))
    return None


def _error_value(v: str) -> L | None:
    """`_not_text` of a text cell, computed."""
    if v.strip().upper() in _EXCEL_ERRORS:
        return L(f"“{v.strip()}”是 Excel 的错误值，不是内容：请直接填写文字（不用公式）",
                 f"'{v.strip()}' is an Excel error value, not text: type the text (no "
                 "formula)")
    return None


def _as_text(v: Any) -> str:
    """A cell as text: typed text without the spaces around it; a number or date as a
    General cell shows it (2024-01-02, not 2024-01-02T00:00:00)."""
    if isinstance(v, str):
        return _AS_TEXT(v, v, lambda: _lines(v).strip())
    return _lines(typed_text(v)[0]).strip()


#: the per-text answers of `_not_text`, `_as_text` and `_at_limit` (`memo.TextMemo`):
#: thousands of cells may hold one long shared string, each read in full before
_NOT_TEXT: TextMemo[L | None] = TextMemo()
_AS_TEXT: TextMemo[str] = TextMemo()
_FILLS: TextMemo[bool] = TextMemo()


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_DOUBLED = L("这些行与前面一行的任务名称、牵头单位和完成时限都相同，各自导入为一个任务：如果是重复的行，请删去",
             "these rows have the title, lead unit and due dates of an earlier row and were "
             "each imported as a task of their own: if a row is a copy, delete it")
_AT_LIMIT = L("这些单元格的文字达到单元格的上限（32767 个字符），可能是导出时截断的（台账中的原文更长）："
              "已按表中的文字导入，请与原文核对",
              "these cells hold as much text as a cell can (32,767 characters), perhaps cut "
              "by an export (the ledger's text is longer): imported as the sheet has it; "
              "check it against the original")


def _at_limit(text: str) -> bool:
    """Whether a cell's text fills a cell (`sent.STR_MAX` UTF-16 units, less the quote
    luoshi's export put before formula-like text)."""
    from .sent import STR_MAX

    return len(text) >= STR_MAX // 2 and _FILLS(
        text, text, lambda: len(text.encode("utf-16-le", "surrogatepass")) // 2 >= STR_MAX - 1)


#: fields whose text is kept as the sheet wrote it (not matched against names or codes)
_FREE_TEXT = frozenset({"title", "standard", "note", "problems", "closed_evidence"})
_TRIMMED = L("去掉了单元格文字首尾的空格和空行", "spaces and blank lines around the cell text dropped")


def _free_text(fld: str) -> bool:
    return fld in _FREE_TEXT or (fld.startswith("ms") and fld.endswith(("_standard", "_note")))


def _standard_text(d: Due) -> str:
    t = d.text.strip()
    return "" if t in _FILLER else t
