"""One ledger as Arrow tables, written as Parquet (`luoshi export --format parquet`).

The tables are built column-wise from luoshi's typed model (`Ledger`, `Task`, ...)
and from luoshi's own judgement of each task (`progress.task_state`): the
`task_status` table is what `luoshi status --as-of` computes, row for row (with the
keys it is rolled up by: category, group, lead unit — one scan per roll-up), so a
roll-up that sums it gives exactly the figures `status` gives — the engine only
counts, it never re-implements a light or an expected progress.  That is why the
export takes an as-of date and records it (`ledger.as_of`, `task_status.as_of`).

Types are chosen so that any Parquet reader agrees on them:
- dates are `date32` (days since 1970-01-01);
- every figure luoshi keeps as a `Decimal` (progress, expected progress, points,
  scores) is `decimal128(18, 6)`: exact, summable, and read as DECIMAL(18,6) by
  DuckDB, Spark and Trino.  A figure written with more than 6 decimals is rounded
  half-up to 6 (progress is a percentage; scores have `places` ≤ 6 in practice);
- counts are `int32`; identifiers and text are UTF-8 strings; several ids are
  `list<string>`.

Column names are English snake_case and stable: a change is a new
`SCHEMA_VERSION`.  The README part "Analytics" documents every column.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from luoshi_cli import __version__

from ..core.codes import L
from ..core.errors import CommandError
from ..core.finding import Finding
from ..core.model import Ledger
from ..core.numbers import publish
from ..core.periods import is_month, quarter_of, quarter_records
from ..fsio import fsync_path
from ..ops.progress import task_state
from ..ops.scoring import ScoringError, score_period
from ..ops.supervision import has_supervision

#: bumped when a column is renamed, retyped, removed or added (`rollup` reads only
#: exports of its own version; adding a table is not a change).  2: the tasks v2
#: columns of `tasks` (parent, target, tags, owners, unit leaders) and `updates.actual`;
#: 3: `unit_scores` names the ranking group its rank is in, the bonus points, the grade
#: before rules and quotas, the grade a quota moved it from and the rules that held;
#: 4: what the ledger holds and the tables lacked — `ledger` the bulletin's 抄送/印发, the
#: reporting rhythm and whether it keeps the supervision loop, `categories.planned`,
#: `tasks` note and closing evidence, `milestones` target and note, `updates.problems`
#: (and the new tables `tags`, `task_flags`, `adjustments`, `interviews`, `rectifications`);
#: 5: the notes and reasons of the supervision loop — `interviews.note`,
#: `rectifications` reason, note and report_note (and the new table `supervision_files`
#: with each file's note), and the descriptions and short names the configuration
#: writes — `ledger.description`, `categories.description`, `tags.description`,
#: `units.short_name`; 6: what a score was computed without — `unit_scores` the
#: components missing from a record (counted as 0), the components not assessed for the
#: unit, and the records a partial period (`--partial`) was scored without; 7: the
#: ranking an interview follows — `interviews.period`
SCHEMA_VERSION = 7

DECIMAL = pa.decimal128(18, 6)
_SCALE = Decimal("0.000001")
#: DECIMAL(18,6) holds 12 whole digits: a figure at or beyond this does not fit
#: (load/schema.py bounds the amounts the ledger may hold below it)
DECIMAL_LIMIT = Decimal(10) ** 12
_STR = pa.string()
_I32 = pa.int32()
_DATE = pa.date32()
_BOOL = pa.bool_()
_IDS = pa.list_(pa.string())


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in fields])


#: every table, its columns and their types, in the order they are written
SCHEMAS: dict[str, pa.Schema] = {
    "ledger": _schema(
        ("ledger", _STR), ("title", _STR), ("year", _I32), ("issuer", _STR),
        ("doc_no", _STR), ("language", _STR), ("warn_days", _I32),
        ("progress_tolerance", DECIMAL), ("as_of", _DATE), ("luoshi_version", _STR),
        ("schema_version", _I32), ("cc", _STR), ("printed_by", _STR),
        ("reporting_cadence", _STR), ("reporting_day", _I32), ("supervised", _BOOL),
        ("description", _STR)),
    "categories": _schema(
        ("ledger", _STR), ("category_id", _STR), ("name", _STR), ("group_name", _STR),
        ("position", _I32), ("planned", _I32), ("description", _STR)),
    "units": _schema(
        ("ledger", _STR), ("unit_id", _STR), ("name", _STR), ("kind", _STR),
        ("assessed", _BOOL), ("position", _I32), ("short_name", _STR)),
    "leaders": _schema(
        ("ledger", _STR), ("leader_id", _STR), ("name", _STR), ("title", _STR),
        ("position", _I32)),
    "tasks": _schema(
        ("ledger", _STR), ("task_id", _STR), ("title", _STR), ("category_id", _STR),
        ("lead_unit_id", _STR), ("leader_ids", _IDS), ("unit_ids", _IDS),
        ("cooperating_unit_ids", _IDS), ("start", _DATE), ("last_due", _DATE),
        ("standard", _STR), ("status", _STR), ("progress", DECIMAL),
        ("closed_date", _DATE), ("closed_approved_by", _STR), ("locked", _BOOL),
        ("file", _STR), ("parent_task_id", _STR), ("target_value", DECIMAL),
        ("target_unit", _STR), ("tags", _IDS), ("owners", _IDS), ("unit_leaders", _IDS),
        ("note", _STR), ("closed_evidence", _STR)),
    "milestones": _schema(
        ("ledger", _STR), ("task_id", _STR), ("seq", _I32), ("due", _DATE),
        ("done", _DATE), ("standard", _STR), ("target_value", DECIMAL), ("note", _STR)),
    "updates": _schema(
        ("ledger", _STR), ("task_id", _STR), ("month", _STR), ("progress", DECIMAL),
        ("note", _STR), ("actual", DECIMAL), ("problems", _STR)),
    "task_status": _schema(
        ("ledger", _STR), ("as_of", _DATE), ("task_id", _STR), ("category_id", _STR),
        ("group_name", _STR), ("lead_unit_id", _STR), ("status", _STR),
        ("light", _STR), ("expected", DECIMAL), ("progress", DECIMAL),
        ("milestones_due", _I32), ("milestones_on_time", _I32),
        ("overdue_milestones", _I32), ("first_overdue_due", _DATE),
        ("max_days_overdue", _I32), ("due_soon_milestones", _I32),
        ("behind_points", DECIMAL), ("stale_month", _STR)),
    "scores": _schema(
        ("ledger", _STR), ("period", _STR), ("unit_id", _STR), ("component_id", _STR),
        ("component_name", _STR), ("score", DECIMAL)),
    "unit_scores": _schema(
        ("ledger", _STR), ("period", _STR), ("unit_id", _STR), ("unit_name", _STR),
        ("score", DECIMAL), ("grade", _STR), ("rank", _I32), ("deductions", DECIMAL),
        ("interview", _BOOL), ("group_id", _STR), ("group_name", _STR),
        ("bonuses", DECIMAL), ("base_grade", _STR), ("quota_from", _STR),
        ("rules_applied", _IDS), ("missing", _IDS), ("not_applicable", _IDS),
        ("missing_periods", _IDS)),
    "findings": _schema(
        ("ledger", _STR), ("code", _STR), ("severity", _STR), ("file", _STR),
        ("line", _I32), ("col", _I32), ("message", _STR)),
    # ---- schema 4: the rest of what the ledger holds (no `date` or `by` column: both
    # are SQL words; each is named for what it dates or who acted)
    "tags": _schema(
        ("ledger", _STR), ("tag_id", _STR), ("name", _STR), ("position", _I32),
        ("description", _STR)),
    "task_flags": _schema(
        ("ledger", _STR), ("task_id", _STR), ("seq", _I32), ("kind", _STR),
        ("flag_date", _DATE), ("awarded_by", _STR), ("note", _STR)),
    "adjustments": _schema(
        ("ledger", _STR), ("task_id", _STR), ("seq", _I32), ("adjustment_date", _DATE),
        ("field", _STR), ("approved_by", _STR), ("reason", _STR)),
    "interviews": _schema(
        ("ledger", _STR), ("seq", _I32), ("unit_id", _STR), ("interview_date", _DATE),
        ("kind", _STR), ("held_by", _STR), ("reason", _STR), ("task_ids", _IDS),
        ("file", _STR), ("note", _STR),
        # ---- schema 7
        ("period", _STR)),
    "rectifications": _schema(
        ("ledger", _STR), ("rectification_id", _STR), ("unit_id", _STR),
        ("task_ids", _IDS), ("source", _STR), ("opened", _DATE), ("due", _DATE),
        ("report_date", _DATE), ("closed_date", _DATE), ("closed_approved_by", _STR),
        ("closed_evidence", _STR), ("file", _STR), ("reason", _STR), ("note", _STR),
        ("report_note", _STR)),
    # ---- schema 5
    "supervision_files": _schema(
        ("ledger", _STR), ("file", _STR), ("note", _STR), ("position", _I32)),
    # ---- the scoring records (records/*.yaml) entry by entry: new tables, no new
    # version (an export of an earlier luoshi lacks their files)
    "records": _schema(
        ("ledger", _STR), ("period", _STR), ("file", _STR), ("note", _STR)),
    "deductions": _schema(
        ("ledger", _STR), ("period", _STR), ("seq", _I32), ("unit_id", _STR),
        ("deduction_category_id", _STR), ("deduction_category_name", _STR),
        ("deduction_date", _DATE),
        ("points", DECIMAL), ("media", _BOOL), ("deducted", DECIMAL), ("reason", _STR),
        ("provisional", _BOOL), ("restored_date", _DATE), ("restored_approved_by", _STR),
        ("restored_reason", _STR)),
    "bonuses": _schema(
        ("ledger", _STR), ("period", _STR), ("seq", _I32), ("unit_id", _STR),
        ("bonus_category_id", _STR), ("bonus_category_name", _STR), ("bonus_date", _DATE),
        ("points", DECIMAL), ("reason", _STR)),
    "record_flags": _schema(
        ("ledger", _STR), ("period", _STR), ("seq", _I32), ("unit_id", _STR),
        ("kind", _STR), ("flag_date", _DATE), ("reason", _STR)),
    "task_quality": _schema(
        ("ledger", _STR), ("period", _STR), ("task_id", _STR), ("unit_id", _STR),
        ("quality", DECIMAL)),
    "item_points": _schema(
        ("ledger", _STR), ("period", _STR), ("unit_id", _STR), ("component_id", _STR),
        ("item_id", _STR), ("item_name", _STR), ("points", DECIMAL)),
    "not_applicable": _schema(
        ("ledger", _STR), ("period", _STR), ("unit_id", _STR), ("component_id", _STR)),
}

#: the columns that name one row of each table (unique within an export): luoshi
#: writes no two rows with the same key, and `rollup` refuses an export that has them
#: in a table it reads (`rollup._check_rows`)
KEYS: dict[str, tuple[str, ...]] = {
    "ledger": ("ledger",),
    "categories": ("category_id",),
    "units": ("unit_id",),
    "leaders": ("leader_id",),
    "tasks": ("task_id",),
    "milestones": ("task_id", "seq"),
    "updates": ("task_id", "month"),
    "task_status": ("task_id",),
    "scores": ("period", "unit_id", "component_id"),
    "unit_scores": ("period", "unit_id"),
    "findings": (),
    "tags": ("tag_id",),
    "task_flags": ("task_id", "seq"),
    "adjustments": ("task_id", "seq"),
    "interviews": ("seq",),
    "rectifications": ("rectification_id",),
    "supervision_files": ("file",),
    "records": ("period",),
    "deductions": ("period", "seq"),
    "bonuses": ("period", "seq"),
    "record_flags": ("period", "seq"),
    "task_quality": ("period", "task_id", "unit_id"),
    "item_points": ("period", "unit_id", "component_id", "item_id"),
    "not_applicable": ("period", "unit_id", "component_id"),
}

TABLES = tuple(SCHEMAS)


def dec(value: Decimal | None) -> Decimal | None:
    """A figure at the column's fixed scale (6 places, half-up); None stays None."""
    return None if value is None else value.quantize(_SCALE, rounding=ROUND_HALF_UP)


class _Columns:
    """Column lists for one table, filled row by row, turned into one Arrow table."""

    def __init__(self, name: str) -> None:
        self.schema = SCHEMAS[name]
        self.cols: dict[str, list[Any]] = {f.name: [] for f in self.schema}
        self.decimals = [i for i, f in enumerate(self.schema) if pa.types.is_decimal(f.type)]

    def add(self, *values: Any) -> None:
        for i in self.decimals:
            value = values[i]
            if value is not None and not -DECIMAL_LIMIT < value < DECIMAL_LIMIT:
                raise _too_large(self.schema, i, values)
        for col, value in zip(self.cols.values(), values, strict=True):
            col.append(value)

    def table(self) -> pa.Table:
        return pa.table(list(self.cols.values()), schema=self.schema)


def _too_large(schema: pa.Schema, i: int, values: tuple[Any, ...]) -> CommandError:
    """The one-line refusal of a figure that DECIMAL(18,6) cannot hold, naming the row
    (its task, or its unit and period) and the column — pyarrow's own ArrowInvalid
    would be an internal error naming neither."""
    row = dict(zip(schema.names, values, strict=True))
    what_zh, what_en = [], []
    if row.get("task_id") is not None:
        what_zh.append(f"任务 {row['task_id']}")
        what_en.append(f"task {row['task_id']}")
    if row.get("unit_id") is not None:
        what_zh.append(f"单位 {row['unit_id']}")
        what_en.append(f"unit {row['unit_id']}")
    if row.get("period") is not None:
        what_zh.append(f"{row['period']} 期")
        what_en.append(f"period {row['period']}")
    zh, en = " ".join(what_zh) or "台账", ", ".join(what_en) or "the ledger"
    column, value = schema.names[i], values[i]
    fix = (L("请改用更大的单位书写（如万元、亿元）", "write it in a larger unit (万元, 亿元)")
           if column in ("target_value", "actual")
           else L("请检查算出它的数值", "check the figures it is computed from"))
    return CommandError(L(
        f"无法导出 Parquet：{zh} 的 {column} 为 {value}，超出 DECIMAL(18,6) 的范围（绝对值须小于 "
        f"10^12）：{fix.zh}",
        f"cannot export to Parquet: {en}: {column} {value} does not fit DECIMAL(18,6) "
        f"(it holds less than 10^12): {fix.en}"))


def build_tables(ledger: Ledger, name: str, as_of: date, findings: Iterable[Finding],
                 lang: str, *, partial: bool = False) -> dict[str, pa.Table]:
    """Every table of one ledger, `ledger` column = `name`, judged at `as_of`.

    Scores: every month with a record (a scheme with monthly components), every
    quarter with a record or with months of one, and the year, when each can be
    scored — with `partial`, the year and a quarter of monthly components from the
    records present, as `luoshi score --annual/--quarter --partial` (a period that
    cannot be scored has no rows; `luoshi score` says why).
    """
    cfg = ledger.config
    out: dict[str, _Columns] = {t: _Columns(t) for t in TABLES}
    out["ledger"].add(name, cfg.title, cfg.year, cfg.issuer, cfg.doc_no, cfg.language,
                      cfg.warn_days, dec(Decimal(cfg.progress_tolerance)), as_of, __version__,
                      SCHEMA_VERSION, cfg.cc, cfg.printed_by, cfg.reporting.cadence,
                      cfg.reporting.day, has_supervision(ledger), cfg.description)
    # a category's group as `status` takes it (`if c.group`): `group: ""` is no group
    groups = {c.id: c.group or None for c in cfg.categories}
    for i, c in enumerate(cfg.categories):
        out["categories"].add(name, c.id, c.name, groups[c.id], i, c.planned, c.description)
    for i, tag in enumerate(cfg.tags):
        out["tags"].add(name, tag.id, tag.name, i, tag.description)
    for i, unit in enumerate(ledger.units.values()):
        out["units"].add(name, unit.id, unit.name, unit.kind, unit.assessed, i, unit.short)
    for i, p in enumerate(ledger.leaders.values()):
        out["leaders"].add(name, p.id, p.name, p.title, i)

    tasks, ms, ups, st = out["tasks"], out["milestones"], out["updates"], out["task_status"]
    flags, adjustments = out["task_flags"], out["adjustments"]
    for t in sorted(ledger.tasks, key=lambda t: t.id):
        closed, target = t.closed, t.target
        tasks.add(name, t.id, t.title, t.category, t.lead, list(t.leaders), list(t.units),
                  list(t.cooperating), t.start, t.last_due, t.standard, t.status,
                  dec(t.progress), closed.date if closed else None,
                  closed.approved_by if closed else None, t.locked, t.src.file, t.parent,
                  dec(target.value) if target else None, target.unit if target else None,
                  list(t.tags), list(t.owners), list(t.unit_leaders), t.note,
                  closed.evidence if closed else None)
        for i, m in enumerate(t.milestones, start=1):
            ms.add(name, t.id, i, m.due, m.done, m.standard, dec(m.target), m.note)
        for u in t.updates:
            ups.add(name, t.id, u.month, dec(u.progress), u.note, dec(u.actual), u.problems)
        for i, flag in enumerate(t.flags, start=1):
            flags.add(name, t.id, i, flag.kind, flag.date, flag.by, flag.note)
        for i, a in enumerate(t.adjustments, start=1):
            adjustments.add(name, t.id, i, a.date, a.field, a.approved_by, a.reason)
        s = task_state(t, as_of, cfg)
        behind = next((r.points for r in s.yellow_reasons if r.kind == "behind"), None)
        st.add(name, as_of, t.id, t.category, groups.get(t.category), t.lead, s.status, s.light, dec(s.expected), dec(s.progress),
               s.milestones_due, s.milestones_on_time, len(s.overdue),
               min((o.due for o in s.overdue), default=None),
               max((o.days for o in s.overdue), default=None),
               sum(1 for r in s.yellow_reasons if r.kind == "due_soon"), dec(behind), s.stale)

    for i, iv in enumerate(ledger.interviews, start=1):
        out["interviews"].add(name, i, iv.unit, iv.date, iv.kind, iv.by, iv.reason,
                              list(iv.tasks), iv.src.file, iv.note, iv.period)
    for r in ledger.rectifications:
        rc = r.closed
        out["rectifications"].add(
            name, r.id, r.unit, list(r.tasks), r.source, r.opened, r.due, r.report,
            rc.date if rc else None, rc.approved_by if rc else None,
            rc.evidence if rc else None, r.src.file, r.reason, r.note, r.report_note)
    for i, sf in enumerate(ledger.supervision_files):
        out["supervision_files"].add(name, sf.src.file, sf.note, i)
    _records(ledger, name, out)
    _scores(ledger, name, out["scores"], out["unit_scores"], partial)
    for f in findings:
        out["findings"].add(name, f.code, f.severity, f.file, f.line, f.col, f.message(lang))
    return {t: cols.table() for t, cols in out.items()}


def _records(ledger: Ledger, name: str, out: dict[str, _Columns]) -> None:
    """What each scoring record writes besides its leaf scores (those are in `scores`,
    as scored), entry by entry as written: records in the order scoring reads them (by
    period), entries in the record's order.  A category's and an item's name come
    from scheme.yaml, which the export does not hold otherwise."""
    scheme = ledger.scheme
    deduction_names = {c.id: c.name for c in scheme.deduction_categories} if scheme else {}
    bonus_names = {c.id: c.name for c in scheme.bonus_categories} if scheme else {}
    media = scheme.media_multiplier if scheme else Decimal(1)
    item_names = {(c.id, i.id): i.name for c in scheme.leaves() for top in c.items
                  for i in top.leaves()} if scheme else {}
    for rec in sorted(ledger.records, key=lambda r: (r.period, r.src.file)):
        period = rec.period
        out["records"].add(name, period, rec.src.file, rec.note)
        for i, d in enumerate(rec.deductions, start=1):
            back = d.restored
            out["deductions"].add(
                name, period, i, d.unit, d.category, deduction_names.get(d.category), d.date,
                dec(d.points), d.media, dec(d.points * media if d.media else d.points),
                d.reason, d.provisional, back.date if back else None,
                back.approved_by if back else None, back.reason if back else None)
        for i, b in enumerate(rec.bonuses, start=1):
            out["bonuses"].add(name, period, i, b.unit, b.category, bonus_names.get(b.category),
                               b.date, dec(b.points), b.reason)
        for i, f in enumerate(rec.flags, start=1):
            out["record_flags"].add(name, period, i, f.unit, f.kind, f.date, f.reason)
        # a task's one quality (every credited unit: no unit) and its quality per unit,
        # by task id (the record keeps the two forms apart)
        quality: list[tuple[str, str | None, Decimal]] = [
            (task, None, q) for task, q in rec.quality.items()]
        quality += [(task, unit, q) for task, per_unit in rec.quality_by_unit.items()
                    for unit, q in per_unit.items()]
        for task, unit, q in sorted(quality, key=lambda x: x[0]):
            out["task_quality"].add(name, period, task, unit, dec(q))
        for unit, leaves in rec.items.items():
            for leaf, points in leaves.items():
                for item, p in points.items():
                    out["item_points"].add(name, period, unit, leaf, item,
                                           item_names.get((leaf, item)), dec(p))
        for unit, leaves_na in rec.not_applicable.items():
            for leaf in leaves_na:
                out["not_applicable"].add(name, period, unit, leaf)


def _periods(ledger: Ledger) -> list[str]:
    """The months with a record (SPEC §10 `cadence: monthly`), the quarters with a
    record or a record their ranking reads (a monthly leaf's quarter is the mean of
    its months), then the years — each scored as `luoshi score` scores it, or left
    out.  A month's record in a scheme without monthly leaves brings no quarter: that
    quarter's ranking reads only its own record, which is not there, so `score` refuses
    it (it used to be scored here only to be left out)."""
    periods = {r.period for r in ledger.records}
    months = sorted(p for p in periods if is_month(p))
    cadences = {c.cadence for c in ledger.scheme.leaves()} if ledger.scheme else set()
    quarters = sorted({p for p in periods if "-Q" in p}
                      | {q for q in {quarter_of(int(m[:4]), (int(m[5:7]) + 2) // 3)
                                     for m in months}
                         if quarter_records(cadences, periods, q).present})
    years = sorted({p[:4] for p in periods})
    return [*months, *quarters, *years]


def _scores(ledger: Ledger, name: str, scores: _Columns, units: _Columns,
            partial: bool) -> None:
    if ledger.scheme is None:
        return
    names = {c.id: c.name for c in ledger.scheme.all_components()}
    # --partial as `score` takes it: for the year, and for a quarter of monthly leaves
    # (its months present); a month is whole or has no record
    monthly = any(c.cadence == "monthly" for c in ledger.scheme.leaves())
    for period in _periods(ledger):
        whole = is_month(period) or ("-Q" in period and not monthly)
        try:
            result = score_period(ledger, period, partial=partial and not whole)
        except ScoringError:
            continue
        # the records a partial period was scored without, as `score` names them when
        # it refuses one without --partial: quarters, months, and the year's own
        gone = [*result.missing_quarters, *([period] if result.missing_annual_record else [])]
        for u in result.units:
            units.add(name, period, u.unit, u.name, dec(u.score), u.grade, u.rank,
                      dec(u.deductions), u.interview, u.group or None, u.group_name or None,
                      dec(publish(u.bonus_capped, result.places)), u.base_grade,
                      u.quota_from or None, list(u.rules_applied), list(u.missing),
                      list(u.not_applicable), gone)
            for cid, value in u.components.items():
                scores.add(name, period, u.unit, cid, names.get(cid, cid), dec(value))


#: the longest file name most file systems take (ext4, XFS, APFS, NTFS: 255 bytes)
NAME_MAX = 255
#: what `tempfile.mkdtemp` puts between its prefix and suffix
_RANDOM = r"[a-z0-9_]{8}"


def temp_stem(name: str) -> str:
    """The output directory's name as its temporary siblings carry it
    (`.<stem>.<8 random>.tmp`): the name itself, or — when that would make the
    sibling's name longer than NAME_MAX bytes (a legal output name of 242 bytes or
    more) — a short digest of it, so that a long name is written like any other."""
    if len(os.fsencode(f".{name}.xxxxxxxx.tmp")) <= NAME_MAX:
        return name
    return "luoshi-" + hashlib.sha256(os.fsencode(name)).hexdigest()[:16]


def _temp_dir(out_dir: Path, suffix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{temp_stem(out_dir.name)}.", suffix=suffix,
                                 dir=out_dir.parent))


def stale_temps(out_dir: Path) -> list[Path]:
    """Temporary directories an earlier export to `out_dir` left beside it when it was
    killed (`.<stem>.xxxxxxxx.tmp` being written, `.<stem>.xxxxxxxx.old` the export
    it was replacing): luoshi's exact pattern for this output's name, a real directory
    (not a link) holding nothing but luoshi's own table files — never anything else."""
    pattern = re.compile(rf"\.{re.escape(temp_stem(out_dir.name))}\.{_RANDOM}\.(?:tmp|old)")
    ours = {f"{t}.parquet" for t in TABLES}
    found = []
    try:
        entries = list(out_dir.parent.iterdir())
    except OSError:
        return []
    for p in entries:
        if not pattern.fullmatch(p.name) or p.is_symlink() or not p.is_dir():
            continue
        try:
            inside = list(p.iterdir())
        except OSError:
            continue
        if all(q.name in ours and q.is_file() and not q.is_symlink() for q in inside) \
                and not _in_use(p):
            found.append(p)
    return found


def _lock(directory: Path, *, wait: bool) -> int | None:
    """An exclusive lock on `directory` (flock on its descriptor): held by an export
    while it fills its temporary directory, so that another export to the same
    output does not take it for a killed one's.  None: taken by a running export, or
    locks unavailable (Windows)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _in_use(directory: Path) -> bool:
    """Whether a running export holds `directory` (`_lock`).  Without locks (Windows),
    a temporary directory changed within the last hour is taken to be in use."""
    try:
        import fcntl  # noqa: F401
    except ImportError:  # pragma: no cover - Windows
        import time

        try:
            return time.time() - directory.stat().st_mtime < 3600
        except OSError:
            return True
    fd = _lock(directory, wait=False)
    if fd is None:
        return True
    os.close(fd)
    return False


def output_problem(out_dir: Path) -> L | None:
    """Why `out_dir` cannot be an export directory, said before anything is created, or
    None: a path ending in `..` names no directory of its own (`x/..` is where `x`
    is: renaming onto it fails, "Device or resource busy", after `x` was created); a
    file on the way (`L/units.yaml/x`) cannot hold one ("File exists"); and a missing
    directory followed by `..` (`new/../x`) leads nowhere."""
    if out_dir.name == "..":
        return L(f"{out_dir} 以 .. 结尾，不是一个目录的名称：请用 -o 写出导出目录本身的名称",
                 f"{out_dir} ends in .., which names no directory of its own: give the "
                 "export directory's own name with -o")
    missing: list[Path] = []
    for above in out_dir.parents:
        if above == Path() or os.path.lexists(above):
            if above != Path() and not above.is_dir():
                return L(f"无法写入 {out_dir}：{above} 不是目录", f"cannot write {out_dir}: "
                         f"{above} is not a directory")
            break
        missing.append(above)
    back = next((m for m in reversed(missing) if m.name == ".."), None)  # nearest the root
    if back is not None:
        gone = back.parent
        return L(f"无法写入 {out_dir}：{gone} 不存在，其后的 .. 无从回到上级目录",
                 f"cannot write {out_dir}: {gone} does not exist, so the .. after it leads "
                 "nowhere")
    return None


def _make_parents(parent: Path) -> list[Path]:
    """Create `parent` and the directories above it that are missing; the ones created,
    deepest first (to be removed again if the export fails)."""
    made = [p for p in (parent, *parent.parents) if p != Path() and not os.path.lexists(p)]
    parent.mkdir(parents=True, exist_ok=True)
    return made


def write_tables(tables: dict[str, pa.Table], out_dir: Path) -> None:
    """Write `<table>.parquet` files into `out_dir`, all or nothing.

    The files are written into a fresh directory next to `out_dir`, flushed to disk
    (each file, then the directory), and renamed into place: a reader (or an
    interrupted run, or a power loss) sees the old export or the new one (or, between
    the two renames that swap them, none) — never half of one or a mix.  An existing
    `out_dir` is replaced only when it holds nothing but an earlier export's
    `*.parquet` files — anything else is refused, so a wrong `-o` never deletes a
    user's directory.  Temporary directories a killed export to the same `out_dir`
    left are removed first (`stale_temps`).
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent
    made = _make_parents(parent)
    for stale in stale_temps(out_dir):
        shutil.rmtree(stale, ignore_errors=True)
    try:
        tmp = _temp_dir(out_dir, ".tmp")
    except BaseException:
        _remove_empty(made)
        raise
    held = _lock(tmp, wait=True)
    try:
        for table_name, table in tables.items():
            target = tmp / f"{table_name}.parquet"
            # the table name is one of ours: nothing is ever written outside out_dir
            assert target.parent == tmp
            # through the open file: a path given to pyarrow as text is a URI when it
            # holds a colon (`D:/x`, `backup:2024-06/x`, `s3:b/x`, `file:/x` — written
            # elsewhere) and must be UTF-8 (a name with byte 0xff is legal here)
            with open(target, "wb") as fh:
                pq.write_table(table, fh, compression="zstd")
            fsync_path(target)
        os.chmod(tmp, 0o777 & ~_umask())
        fsync_path(tmp)
        if out_dir.exists():
            old = _temp_dir(out_dir, ".old")
            os.rmdir(old)
            os.replace(out_dir, old)
            os.replace(tmp, out_dir)
            fsync_path(parent)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out_dir)
            fsync_path(parent)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(tmp)
        _remove_empty(made)
        raise
    finally:
        if held is not None:
            os.close(held)


def _remove_empty(made: list[Path]) -> None:
    """Remove the directories a failed export created above its output (deepest first;
    only while empty: nothing anyone else put there)."""
    for directory in made:
        with contextlib.suppress(OSError):
            directory.rmdir()


def replaceable(out_dir: Path) -> bool:
    """`out_dir` does not exist, is empty, or is recognisably a previous export: its
    `ledger.parquet` and otherwise only luoshi's own table files (`tasks.parquet`, …),
    regular files, no link — the only directories an export may replace.  Any other
    `*.parquet` (a data lake's `sales_2024.parquet`) is someone else's: refused."""
    if not out_dir.exists():
        return True
    if not out_dir.is_dir() or out_dir.is_symlink():
        return False
    ours = {f"{t}.parquet" for t in TABLES}
    entries = list(out_dir.iterdir())
    if entries and not any(p.name == "ledger.parquet" for p in entries):
        return False
    return all(p.name in ours and p.is_file() and not p.is_symlink() for p in entries)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
