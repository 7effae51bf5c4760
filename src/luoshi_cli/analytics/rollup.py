"""The status roll-up of several ledgers, computed by DuckDB over their Parquet export.

Each export holds `task_status`: luoshi's own judgement of every task at the
export's as-of date (status at as-of, light, milestones due and on time).  The
roll-up only counts those rows — SQL never re-derives a light — and the rates are
computed from the counts by `progress.rate`, the function `luoshi status` uses.
So the figures of one ledger in a roll-up are exactly its `luoshi status` totals
(tests/test_analytics.py proves it for several dates).

`task_status` carries the keys the roll-ups group by (category, group, lead unit), so
each roll-up is one scan of one table; names come from joining the small
`categories` / `units` / `ledger` tables to the grouped rows.  The SQL is plain
(WITH, CASE, SUM, JOIN, GROUP BY): docs/REFERENCE.md shows the same query for Spark and
Trino, which read the same files.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..core.codes import L
from ..core.errors import CommandError
from ..core.labels import FEW, STATUS, counted, few_named
from ..core.model import STATUSES
from ..core.safetext import csv_text, json_text, shell_path, terminal
from ..ops.progress import Rollup, rate
from . import refused_name
from .tables import KEYS, SCHEMA_VERSION, SCHEMAS

#: where the roll-up's SQL is documented, for Spark, Trino or DuckDB itself (the
#: section "The SQL — DuckDB here, Spark or Trino at scale"; the README has none)
SQL_DOC = "docs/REFERENCE.md#the-sql--duckdb-here-spark-or-trino-at-scale"
#: the tables a roll-up reads
ROLLUP_TABLES = ("ledger", "categories", "units", "tasks", "task_status")
#: the roll-up lists, in the order they are reported
DIMENSIONS = ("ledger", "category", "group", "lead")

#: the counts of one roll-up row; every figure of the report is derived from these
MEASURE_NAMES = ("tasks", *STATUSES, "green", "yellow", "red", "finished", "milestones_due",
                 "milestones_on_time")
MEASURES = ",\n  ".join([
    "COUNT(*) AS tasks",
    *(f"SUM(CASE WHEN s.status = '{s}' THEN 1 ELSE 0 END) AS {s}" for s in STATUSES),
    *(f"SUM(CASE WHEN s.light = '{x}' THEN 1 ELSE 0 END) AS {x}"
      for x in ("green", "yellow", "red")),
    "SUM(CASE WHEN s.status IN ('done', 'closing', 'closed') THEN 1 ELSE 0 END) AS finished",
    "SUM(CASE WHEN s.status <> 'suspended' THEN s.milestones_due ELSE 0 END)"
    " AS milestones_due",
    "SUM(CASE WHEN s.status <> 'suspended' THEN s.milestones_on_time ELSE 0 END)"
    " AS milestones_on_time",
])

QUERIES: dict[str, str] = {
    "totals": f"SELECT\n  {MEASURES}\nFROM task_status s",
    # the tasks the roll-up by group leaves out (their category names no group): the
    # CSV by group counts them in a row of their own (`RollupReport.ungrouped`)
    "ungrouped": f"SELECT\n  {MEASURES}\nFROM task_status s\nWHERE s.group_name IS NULL",
    "ledger": f"""WITH r AS (
  SELECT s.ledger AS id,
  {MEASURES}
  FROM task_status s
  GROUP BY s.ledger)
SELECT l.ledger, l.ledger AS id, l.title AS name,
  {", ".join(f"COALESCE(r.{m}, 0) AS {m}" for m in MEASURE_NAMES)}
FROM ledger l LEFT JOIN r ON r.id = l.ledger
ORDER BY l.ledger""",
    "category": f"""WITH r AS (
  SELECT s.category_id AS id,
  {MEASURES}
  FROM task_status s
  GROUP BY s.category_id),
f AS (
  SELECT category_id, MIN(ledger) AS first_ledger
  FROM categories
  GROUP BY category_id),
c AS (
  SELECT k.category_id, k.name, f.first_ledger, k.position
  FROM categories k
  JOIN f ON f.category_id = k.category_id AND f.first_ledger = k.ledger)
SELECT NULL AS ledger, c.name, r.*
FROM r LEFT JOIN c ON c.category_id = r.id
ORDER BY c.first_ledger NULLS LAST, c.position NULLS LAST, r.id""",
    "group": f"""WITH r AS (
  SELECT s.group_name AS id,
  {MEASURES}
  FROM task_status s
  WHERE s.group_name IS NOT NULL
  GROUP BY s.group_name),
f AS (
  SELECT group_name, MIN(ledger) AS first_ledger
  FROM categories
  GROUP BY group_name),
g AS (
  SELECT k.group_name, f.first_ledger, MIN(k.position) AS position
  FROM categories k
  JOIN f ON f.group_name = k.group_name AND f.first_ledger = k.ledger
  GROUP BY k.group_name, f.first_ledger)
SELECT NULL AS ledger, r.id AS name, r.*
FROM r LEFT JOIN g ON g.group_name = r.id
ORDER BY g.first_ledger NULLS LAST, g.position NULLS LAST, r.id""",
    "lead": f"""WITH r AS (
  SELECT s.ledger, s.lead_unit_id AS id,
  {MEASURES}
  FROM task_status s
  GROUP BY s.ledger, s.lead_unit_id)
SELECT u.name, r.*
FROM r LEFT JOIN units u ON u.ledger = r.ledger AND u.unit_id = r.id
ORDER BY r.ledger, u.position NULLS LAST, r.id""",
    "red": """WITH red AS (
  SELECT ledger, task_id, lead_unit_id, overdue_milestones, first_overdue_due,
         max_days_overdue
  FROM task_status
  WHERE light = 'red')
SELECT red.*, t.title, u.name AS lead_unit_name
FROM red
JOIN tasks t ON t.ledger = red.ledger AND t.task_id = red.task_id
LEFT JOIN units u ON u.ledger = red.ledger AND u.unit_id = red.lead_unit_id
ORDER BY red.ledger, red.task_id""",
}


@dataclass(frozen=True, slots=True)
class RedTask:
    ledger: str
    id: str
    title: str
    lead: str
    lead_name: str
    overdue_milestones: int
    first_overdue_due: date
    days_overdue: int


@dataclass(frozen=True)
class RollupReport:
    """Totals of all ledgers, then by ledger, category (across ledgers, by id), group
    (by name) and lead unit (within its ledger), and the red list."""

    as_of: date
    totals: Rollup
    #: (ledger name or None for the lists across ledgers, roll-up)
    by: dict[str, tuple[tuple[str | None, Rollup], ...]]
    #: the red tasks, by ledger and id (empty when the roll-up was made without them)
    red: tuple[RedTask, ...]
    #: the ledgers' language when they all share one (the table's default), else None
    language: str | None = None
    #: what the office should know about the figures, one line each (stderr): a ledger
    #: given twice under two names (`SAME_LEDGER`), a category named differently in two
    #: ledgers (`RENAMED_CATEGORIES`)
    notes: tuple[L, ...] = ()
    #: the tasks in no group as one roll-up (`QUERIES["ungrouped"]`), made for the
    #: roll-up by group alone (`rollup(by="group")`; None otherwise or when none is)
    ungrouped: Rollup | None = None


def _rollup(row: dict[str, Any]) -> Rollup:
    """Counts from SQL; the rates by luoshi's own rounding (`progress.rate`)."""
    tasks = int(row["tasks"])
    finished = int(row["finished"] or 0)
    due = int(row["milestones_due"] or 0)
    on_time = int(row["milestones_on_time"] or 0)
    return Rollup(
        id=str(row.get("id") or ""), name=str(row.get("name") or ""), tasks=tasks,
        by_status={s: int(row[s] or 0) for s in STATUSES},
        green=int(row["green"] or 0), yellow=int(row["yellow"] or 0),
        red=int(row["red"] or 0), finished=finished, milestones_due=due,
        milestones_on_time=on_time, completion_rate=rate(finished, tasks),
        on_time_rate=rate(on_time, due))


#: the columns of each table a roll-up reads (`QUERIES`, `rollup`, `_check_rows`):
#: nothing else is read — a task's standard, a note or a list of ids costs nothing
COLUMNS: dict[str, tuple[str, ...]] = {
    "ledger": ("ledger", "title", "year", "language", "as_of", "schema_version"),
    "categories": ("ledger", "category_id", "name", "group_name", "position"),
    "units": ("ledger", "unit_id", "name", "position"),
    "tasks": ("ledger", "task_id", "title"),
    "task_status": ("ledger", "as_of", "task_id", "category_id", "group_name",
                    "lead_unit_id", "status", "light", "milestones_due",
                    "milestones_on_time", "overdue_milestones", "first_overdue_due",
                    "max_days_overdue", "due_soon_milestones"),
}

#: the most memory the columns a roll-up reads may take, as Arrow holds them: luoshi's
#: exports take about 250 bytes a task (id, title, status row), so 1 GiB is about four
#: million tasks — four times the 10 × 100,000 tasks the roll-up is measured on.  What
#: a file would take is known before it is decoded (`_Budget`): a 28 KB file of 5,000
#: rows naming one dictionary-encoded 1 MB title would take 5 GB
MEMORY_LIMIT = 1 << 30
#: what the red list costs beyond the Arrow columns it is read from, counted against
#: `MEMORY_LIMIT` before a row of it is fetched (`_Budget.red_list`): per red task, its
#: `RedTask`, its place in the list, its task id, title, first overdue date and days
#: overdue as Python objects, and DuckDB's joined and sorted rows it is fetched from.
#: Measured (peak RSS, `rollup --from-parquet` of 1,000,000 red tasks whose five texts
#: take 47 bytes): 1,018 MB with `-f json`, 1,075 MB with `-f table`, 550 MB with `-f
#: csv`, which fetches no red list — some 500 bytes a red task with its texts
RED_ROW_BYTES = 512
#: ... and per byte of its texts (UTF-8): DuckDB's copies (joined, then sorted) and the
#: Python string (2 bytes a Chinese character, 3 bytes in UTF-8).  Measured: 500 red
#: tasks with a 1 MB title each took 1,300 MB more than the CSV of them (2.6 a byte)
RED_TEXT_FACTOR = 3


class _Budget:
    """The memory a roll-up's reads take, checked against `MEMORY_LIMIT` twice: from
    each file's footer before anything is read (`plan`: the uncompressed size of the
    column chunks read, and their rows — a run-length-encoded column of a billion
    zeros is a few bytes on disk), then, once a table is read with its strings still
    dictionary-encoded (their size on disk), the exact size of the strings decoded
    (`decoded`) — what a dictionary of one long value repeated on every row would
    expand to — before they are."""

    def __init__(self) -> None:
        self.planned = 0
        self.used = 0

    def plan(self, path: Path, meta: pq.FileMetaData, columns: tuple[str, ...]) -> None:
        wanted = set(columns)
        size = 0
        for g in range(meta.num_row_groups):
            group = meta.row_group(g)
            for i in range(group.num_columns):
                chunk = group.column(i)
                if chunk.path_in_schema in wanted:
                    size += chunk.total_uncompressed_size
        # 8 bytes a value: a count, a date, a dictionary index or a string's offset
        self.planned += size + 8 * meta.num_rows * len(columns)
        self._within(self.planned, path)

    def decoded(self, path: Path, table: pa.Table) -> None:
        import pyarrow.compute as pc

        for column in table.columns:
            for chunk in column.chunks:
                if pa.types.is_dictionary(chunk.type):
                    lengths = pc.take(pc.binary_length(chunk.dictionary), chunk.indices)
                    self.used += (pc.sum(lengths).as_py() or 0) + 5 * len(chunk) + 4
                else:
                    self.used += chunk.nbytes
        self._within(self.used, path)

    def red_list(self, rows: int, text: int) -> None:
        """The red list's cost, added before it is fetched: `rows` red tasks at
        `RED_ROW_BYTES` each, and `text` bytes of their five texts (UTF-8: ledger,
        task id, title, lead unit id and name) at `RED_TEXT_FACTOR`.  Arrow's columns
        are already counted; these are DuckDB's joined rows and the Python objects the
        list is made of — a few short strings a task, a title of 1 MB each time a red
        task names it (a dictionary-encoded column names it once)."""
        size = self.used + rows * RED_ROW_BYTES + text * RED_TEXT_FACTOR
        if size <= MEMORY_LIMIT:
            return
        mb, limit = -(-size // (1 << 20)), MEMORY_LIMIT >> 20
        raise CommandError(L(
            f"无法汇总：{rows} 项红灯任务的清单连同汇总所读的列将占用 {mb} MB 内存，超过上限 "
            f"{limit} MB（每项红灯任务约 {RED_ROW_BYTES} 字节另加其文字）：不列红灯清单的 "
            "--format csv 可以汇总；或分批汇总，或直接用 DuckDB 或 Spark 查询这些文件（SQL 见 "
            f"{SQL_DOC}）",
            f"cannot roll up: the red list of {rows} tasks would take, with the columns a "
            f"roll-up reads, {mb} MB of memory, more than its {limit} MB (about "
            f"{RED_ROW_BYTES} bytes a red task, and its texts): --format csv, which prints "
            "no red list, can roll them up; or roll up fewer at a time, or query the files "
            f"with DuckDB or Spark directly (the SQL: {SQL_DOC})"))

    @staticmethod
    def _within(size: int, path: Path) -> None:
        if size <= MEMORY_LIMIT:
            return
        mb, limit = -(-size // (1 << 20)), MEMORY_LIMIT >> 20
        raise CommandError(L(
            f"无法汇总：读到 {path} 时，汇总所读的列将占用 {mb} MB 内存，超过上限 {limit} MB"
            f"（luoshi 导出的表每项任务约 250 字节）：请用 luoshi export --format parquet 重新导出；"
            "这么大的汇总请直接用 DuckDB 或 Spark 查询这些文件（SQL 见 "
            f"{SQL_DOC}）",
            f"cannot roll up: with {path} the columns a roll-up reads would take {mb} MB of "
            f"memory, more than its {limit} MB (luoshi's exports take about 250 bytes a "
            "task): export it again with luoshi export --format parquet; for a roll-up this "
            f"large, query the files with DuckDB or Spark directly (the SQL: {SQL_DOC})"))


def _cannot_read(path: Path, exc: Exception) -> CommandError:
    """A table's file that cannot be read, one line: the system's reason (Chinese words
    for the common ones, `fsio.os_reason`), or — what pyarrow says of a file it
    cannot decode, in English — that it is no readable Parquet file, with the library's
    text after it in parentheses."""
    from ..fsio import os_reason

    if isinstance(exc, OSError) and not isinstance(exc, pa.ArrowException) and exc.errno:
        why = os_reason(exc)
        return CommandError(L(f"无法读取 {path}：{why.zh}", f"cannot read {path}: {why.en}"))
    said = (str(exc).strip() or type(exc).__name__).splitlines()[0]
    again = shell_path(path.parent)
    return CommandError(L(
        f"无法读取 {path}：不是可读的 Parquet 文件，可能已损坏或不完整（{said}）：请用 luoshi "
        f"export 台账目录 --format parquet -o {again} 重新导出",
        f"cannot read {path}: not a readable Parquet file, perhaps damaged or truncated "
        f"({said}): export it again with luoshi export LEDGER --format parquet -o {again}"))


def _parquet_file(fh: Any, table: str | None = None) -> pq.ParquetFile:
    """A table's file, read from the open file: a path handed to DuckDB's
    `read_parquet` is a pattern (an export directory named `d[1]` or `f*` would read
    other directories' files), and a path handed to pyarrow as a string is a URI when
    it has a colon (`backup:2024`).  With `table`, its string columns are read
    dictionary-encoded (`_Budget`)."""
    if table is None:
        return pq.ParquetFile(fh)
    strings = [c for c in COLUMNS[table] if SCHEMAS[table].field(c).type == pa.string()]
    return pq.ParquetFile(fh, read_dictionary=strings)


#: what a table's path is when it is no regular file (`_open_table`)
_KINDS = (
    (stat.S_ISDIR, L("目录", "a directory")),
    (stat.S_ISFIFO, L("命名管道（FIFO）", "a named pipe (FIFO)")),
    (stat.S_ISCHR, L("字符设备", "a character device")),
    (stat.S_ISBLK, L("块设备", "a block device")),
    (stat.S_ISSOCK, L("套接字", "a socket")),
)


def _not_a_file(path: Path, mode: int) -> CommandError:
    kind = next((k for test, k in _KINDS if test(mode)), L("特殊文件", "a special file"))
    return CommandError(L(
        f"{path} 是{kind.zh}，不是文件：汇总只读 luoshi export 写出的表文件（请用 luoshi export "
        f"台账目录 --format parquet -o {shell_path(path.parent)} 重新导出）",
        f"{path} is {kind.en}, not a file: a roll-up reads only the table files luoshi "
        f"export writes (export it again with luoshi export LEDGER --format parquet -o "
        f"{shell_path(path.parent)})"))


def _open_table(path: Path) -> BinaryIO:
    """A table's file, open for reading — only a regular file, never through a link:
    `tasks.parquet -> /etc/passwd` would read a file outside the export (the export
    writer refuses links in a directory it replaces for the same reason), and opening
    a FIFO would wait forever.  Checked with `lstat` before it is opened, then opened
    without following a link and without waiting (`O_NOFOLLOW | O_NONBLOCK`) and
    checked again on the open file: what is read is what was checked, whatever is
    swapped in between.  FileNotFoundError for a missing file (the caller says so)."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise _a_link(path)
    if not stat.S_ISREG(st.st_mode):
        raise _not_a_file(path, st.st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_a_file(path, mode)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _a_link(path: Path) -> CommandError:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return CommandError(L(
        f"{path} 是指向 {target} 的符号链接，不是导出的文件：汇总只读 luoshi export 写出的表文件，"
        f"不跟随链接（请用 luoshi export 台账目录 --format parquet -o {shell_path(path.parent)} "
        "重新导出）",
        f"{path} is a symbolic link to {target}, not a file of the export: a roll-up reads "
        "only the table files luoshi export writes and follows no link (export it again "
        f"with luoshi export LEDGER --format parquet -o {shell_path(path.parent)})"))


def _check_export(directory: Path, budget: _Budget) -> None:
    """A directory `rollup --from-parquet` can read: the tables it needs (regular
    files, no link: `_open_table`), with the columns and types of this luoshi's schema,
    and what reading them would take within the budget (from the footers alone)."""
    for table in ROLLUP_TABLES:
        path = directory / f"{table}.parquet"
        try:
            fh = _open_table(path)
        except FileNotFoundError:
            raise CommandError(L(f"{directory} 不是 luoshi 导出的 Parquet 目录：缺少 {path.name}"
                                 f"（用 luoshi export 台账目录 --format parquet -o "
                                 f"{shell_path(directory)} 导出）",
                                 f"{directory} is not a luoshi Parquet export: {path.name} "
                                 f"is missing (write one with luoshi export LEDGER "
                                 "--format parquet "
                                 f"-o {shell_path(directory)})")) from None
        except OSError as exc:
            raise _cannot_read(path, exc) from None
        try:
            with fh:
                pf = _parquet_file(fh)
                schema, meta = pf.schema_arrow, pf.metadata
        except (OSError, ValueError) as exc:
            raise _cannot_read(path, exc) from None
        if not schema.remove_metadata().equals(SCHEMAS[table]):
            # an older (or newer) luoshi's export: said by its version, as documented,
            # not as columns that differ (which they do, being another version's)
            version = _schema_version(directory)
            if version is not None and version != SCHEMA_VERSION:
                raise _other_version(directory / "ledger.parquet", version)
            raise CommandError(L(
                f"{path} 的列与本版 luoshi 的表结构（版本 {SCHEMA_VERSION}）不同：请用本版重新导出",
                f"{path} does not have the columns of this luoshi's schema (version "
                f"{SCHEMA_VERSION}): export it again with this version"))
        budget.plan(path, meta, COLUMNS[table])


def _schema_version(directory: Path) -> int | None:
    """`ledger.schema_version` of an export whose columns are not this luoshi's, or
    None when it cannot be read so (no such column, not one small row of integers, a
    file that does not read): read from its one row, a few bytes."""
    try:
        with _open_table(directory / "ledger.parquet") as fh:
            pf = _parquet_file(fh)
            names = pf.schema_arrow.names
            if "schema_version" not in names or pf.metadata.num_rows != 1 \
                    or not pa.types.is_integer(
                        pf.schema_arrow.field("schema_version").type):
                return None
            value = pf.read(columns=["schema_version"]).column(0)[0].as_py()
    except (CommandError, OSError, ValueError, pa.ArrowException):
        return None
    return value if isinstance(value, int) else None


def _other_version(path: Path, version: object) -> CommandError:
    return CommandError(L(
        f"{path} 的表结构版本为 {version}，不是本版 luoshi 的 {SCHEMA_VERSION}：请用本版重新导出",
        f"{path} is of schema version {version}, not this luoshi's {SCHEMA_VERSION}: "
        "export it again with this version"))


def _read_table(path: Path, table: str, budget: _Budget) -> pa.Table:
    """The columns a roll-up reads of one export's table (`COLUMNS`), strings decoded
    once the budget says they fit."""
    try:
        with _open_table(path) as fh:
            read = _parquet_file(fh, table).read(columns=list(COLUMNS[table]))
    except (OSError, ValueError) as exc:  # changed or broken after its schema was read
        raise _cannot_read(path, exc) from None
    budget.decoded(path, read)
    schema = pa.schema([SCHEMAS[table].field(c) for c in COLUMNS[table]])
    try:
        return read.replace_schema_metadata(None).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:  # changed since
        raise _cannot_read(path, exc) from None


#: columns every row of an export has (luoshi never writes a null there): a null one
#: is a hand-edited file, which SQL would count as nothing or Python fail on
_REQUIRED = {
    "categories": ("category_id",),
    "units": ("unit_id",),
    "tasks": ("task_id", "title"),
    "task_status": ("as_of", "task_id", "category_id", "lead_unit_id", "status",
                    "milestones_due", "milestones_on_time", "overdue_milestones",
                    "due_soon_milestones"),
}
_LIGHTS = ("green", "yellow", "red")


#: days from 1970-01-01 to 0001-01-01 and to 9999-12-31: the dates Python (and luoshi) holds
_FIRST_DAY, _LAST_DAY = -719_162, 2_932_896

#: figures `task_status` rows cannot have as `progress.task_state` writes them, counted
#: in one scan (SQL, over the export's table registered as `checked`): a count below 0;
#: more milestones on time and overdue than due (the two are milestones due by as-of,
#: disjoint); a light on a closed or suspended task or none on another; red without an
#: overdue milestone or an overdue milestone not red; a red row whose days overdue are
#: not the days from its first overdue date to as-of, or whose date Python cannot hold
_IMPOSSIBLE = """SELECT
  COUNT(*) FILTER (WHERE milestones_due < 0 OR milestones_on_time < 0
                   OR overdue_milestones < 0 OR due_soon_milestones < 0),
  COUNT(*) FILTER (WHERE CAST(milestones_on_time AS BIGINT) + overdue_milestones
                   > milestones_due),
  COUNT(*) FILTER (WHERE (light IS NULL) <> (status IN ('closed', 'suspended'))),
  COUNT(*) FILTER (WHERE COALESCE(light = 'red', FALSE) <> (overdue_milestones > 0)),
  COUNT(*) FILTER (WHERE light = 'red' AND NOT (first_overdue_due >= DATE '0001-01-01'
                   AND max_days_overdue >= 1
                   AND max_days_overdue = as_of - first_overdue_due))
FROM checked"""
_IMPOSSIBLE_SAID = (
    ("有小于 0 的节点数", "has a negative count of milestones"),
    ("的按时完成与逾期节点数之和多于应完成节点数",
     "counts more milestones on time and overdue than due"),
    (f"有{STATUS['closed'].zh}或{STATUS['suspended'].zh}的任务亮了灯，或其他任务没有灯色",
     f"has a light on a {STATUS['closed'].en} or {STATUS['suspended'].en} task, or none "
     "on another"),
    ("有红灯行没有逾期节点，或非红灯行有逾期节点",
     "has a red row without overdue milestones, or overdue milestones on a row not red"),
    ("有红灯行的逾期天数不是其最早逾期节点到截至日期的天数",
     "has a red row whose days overdue are not the days from its first overdue date to "
     "the as-of date"),
)


def _check_rows(directory: Path, tables: dict[str, pa.Table],
                con: duckdb.DuckDBPyConnection) -> None:
    """The rows of one export hold together as luoshi writes them: one `ledger` row
    with a name and a date, every other row of that ledger and date, no null where
    luoshi writes a value, known statuses and lights, a red row's overdue figures,
    figures that can be (`_IMPOSSIBLE`: no count below 0, no more milestones on time
    than due, no light on a closed task …), one `task_status` row per task, no two rows
    of a table with the same key (`KEYS`: a unit or category listed twice would count
    its tasks twice in `by_lead` and `by_category`), and this luoshi's schema version.
    An export edited by hand (or by another tool)
    that breaks this is refused in one line (exit 2) rather than crashing the report
    or adding up to figures that contradict each other."""
    import pyarrow.compute as pc

    def bad(zh: str, en: str) -> CommandError:
        return CommandError(L(
            f"{directory} 不是完整一致的 luoshi 导出：{zh}（请用 luoshi export --format parquet "
            "重新导出）",
            f"{directory} is not a consistent luoshi export: {en} (export it again with "
            "luoshi export --format parquet)"))

    led = tables["ledger"]
    if led.num_rows != 1:
        raise bad(f"ledger.parquet 应恰有 1 行，实有 {led.num_rows} 行",
                  f"ledger.parquet has {led.num_rows} rows, not 1")
    version = led.column("schema_version")[0].as_py()
    if version != SCHEMA_VERSION:  # the columns are this version's, the value is not
        raise _other_version(directory / "ledger.parquet", version)
    # a date Python cannot hold (year 0, 10000 …) fails the line below: luoshi never
    # writes one (its dates are Python's)
    days = pc.cast(led.column("as_of"), pa.int32())[0].as_py()
    if days is not None and not _FIRST_DAY <= days <= _LAST_DAY:
        raise bad("ledger.parquet 的截至日期（as_of）超出公元 1–9999 年",
                  "ledger.parquet has an as-of date outside the years 1 to 9999")
    [row] = led.select(["ledger", "as_of"]).to_pylist()
    name, day = row["ledger"], row["as_of"]
    if not name:
        raise bad("ledger.parquet 没有台账名称（ledger 列为空）",
                  "ledger.parquet has no ledger name (the ledger column is empty)")
    shown = refused_name(name)
    if shown is not None:  # what `export` refuses as --name or a folder's name
        raise CommandError(L(
            f"{directory} 不是完整一致的 luoshi 导出：台账名称 {shown} 含控制字符或为空"
            "（请用 luoshi export --format parquet --name 名称 重新导出）",
            f"{directory} is not a consistent luoshi export: the ledger name {shown} is "
            "blank or holds a control character (export it again with luoshi export "
            "--format parquet --name NAME)"))
    if day is None:
        raise bad("ledger.parquet 没有截至日期（as_of 列为空）",
                  "ledger.parquet has no as-of date (the as_of column is empty)")
    for table in ("categories", "units", "tasks", "task_status"):
        t = tables[table]
        for col in ("ledger", *_REQUIRED[table]):
            if t.column(col).null_count:
                raise bad(f"{table}.parquet 的 {col} 列有空值",
                          f"{table}.parquet has empty values in column {col}")
        if t.num_rows and not pc.all(pc.equal(t.column("ledger"), name)).as_py():
            raise bad(f"{table}.parquet 有 ledger 列不是 {name} 的行",
                      f"{table}.parquet has rows whose ledger is not {name}")
    st = tables["task_status"]
    if st.num_rows:
        if not pc.all(pc.equal(st.column("as_of"), pa.scalar(day, pa.date32()))).as_py():
            raise bad(f"task_status.parquet 有截至日期不是 {day} 的行",
                      f"task_status.parquet has rows as of another date than {day}")
        if not pc.all(pc.is_in(st.column("status"), pa.array(STATUSES))).as_py():
            raise bad("task_status.parquet 的 status 列有未知的状态",
                      "task_status.parquet has an unknown status")
        light = st.column("light")
        if not pc.all(pc.or_kleene(pc.is_null(light), pc.is_in(light, pa.array(_LIGHTS)))
                      ).as_py():
            raise bad("task_status.parquet 的 light 列有未知的灯色",
                      "task_status.parquet has an unknown light")
        red = st.filter(pc.equal(light, "red"))
        for col in ("first_overdue_due", "max_days_overdue"):
            if red.column(col).null_count:
                raise bad(f"task_status.parquet 的红灯行缺少 {col}",
                          f"task_status.parquet has a red row without {col}")
        con.register("checked", st)
        try:
            [counts] = con.execute(_IMPOSSIBLE).fetchall()
        finally:
            con.unregister("checked")
        for (zh, en), n in zip(_IMPOSSIBLE_SAID, counts, strict=True):
            if n:
                raise bad(f"task_status.parquet {zh}", f"task_status.parquet {en}")
    ids, listed = st.column("task_id"), tables["tasks"].column("task_id")
    same = len(listed) == st.num_rows == pc.count_distinct(ids).as_py() == (
        pc.count_distinct(listed).as_py())
    if not same or (st.num_rows and not pc.all(pc.is_in(ids, listed)).as_py()):
        raise bad("task_status.parquet 与 tasks.parquet 的任务不一一对应",
                  "task_status.parquet and tasks.parquet do not hold the same tasks, "
                  "one row each")
    for table in ROLLUP_TABLES:
        if table in ("tasks", "task_status"):  # one row per task: checked just above
            continue
        t, key = tables[table], list(KEYS[table])
        if key and t.select(key).group_by(key).aggregate([]).num_rows != t.num_rows:
            zh, en = "、".join(key), ", ".join(key)
            raise bad(f"{table}.parquet 有两行的 {zh} 相同，同一实体列了两次",
                      f"{table}.parquet has two rows with the same {en} (one entity listed "
                      "twice)")


def connect(dirs: list[Path], budget: _Budget | None = None,
            dated: list[tuple[Path, date]] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one table per name, registered from the exact files of
    every export (never a path DuckDB would expand as a glob), each export's rows
    checked to hold together (`_check_rows`); what they take counted in `budget`;
    each export's directory and as-of date appended to `dated` (to name them)."""
    budget = budget if budget is not None else _Budget()
    for d in dirs:
        _check_export(d, budget)
    read = [{t: _read_table(d / f"{t}.parquet", t, budget) for t in ROLLUP_TABLES}
            for d in dirs]
    con = duckdb.connect(":memory:")
    try:
        for d, tables in zip(dirs, read, strict=True):
            _check_rows(d, tables, con)
    except BaseException:
        con.close()
        raise
    if dated is not None:
        dated.extend((d, tables["ledger"].column("as_of")[0].as_py())
                     for d, tables in zip(dirs, read, strict=True))
    for table in ROLLUP_TABLES:
        parts = [tables[table] for tables in read]
        con.register(table, pa.concat_tables(parts) if parts else SCHEMAS[table].empty_table())
    return con


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


#: the texts of each red task, in UTF-8 bytes, and how many red tasks: what the red list
#: will cost (`_Budget.red_list`), asked of DuckDB before a row of it is fetched
RED_SIZE = """SELECT COUNT(*),
  COALESCE(SUM(strlen(s.ledger) + strlen(s.task_id) + strlen(s.lead_unit_id)
               + strlen(t.title) + COALESCE(strlen(u.name), 0)), 0)
FROM task_status s
JOIN tasks t ON t.ledger = s.ledger AND t.task_id = s.task_id
LEFT JOIN units u ON u.ledger = s.ledger AND u.unit_id = s.lead_unit_id
WHERE s.light = 'red'"""

#: red rows fetched at a time: a batch of DuckDB's tuples is all that is held besides
#: the list itself
_RED_BATCH = 2048


def _red_list(con: duckdb.DuckDBPyConnection, budget: _Budget) -> tuple[RedTask, ...]:
    """The red list, once the budget says it fits, built from DuckDB's rows a batch at
    a time.  The names a row repeats (ledger, lead unit and its name) are kept once
    each, not once a row."""
    [(rows, text)] = con.execute(RED_SIZE).fetchall()
    budget.red_list(int(rows), int(text))
    cur = con.execute(QUERIES["red"])
    at = {d[0]: i for i, d in enumerate(cur.description)}
    fields = [at[c] for c in ("ledger", "task_id", "title", "lead_unit_id", "lead_unit_name",
                              "overdue_milestones", "first_overdue_due", "max_days_overdue")]
    once: dict[str, str] = {}
    red: list[RedTask] = []
    while batch := cur.fetchmany(_RED_BATCH):
        for row in batch:
            ledger, task, title, lead, name, overdue, first, days = (row[i] for i in fields)
            lead = once.setdefault(lead, lead)
            red.append(RedTask(once.setdefault(ledger, ledger), task, title, lead,
                               once.setdefault(name, name) if name else lead,
                               int(overdue), first, int(days)))
    return tuple(red)


#: two ledgers that look like one ledger given twice — an export sent again under a new
#: --name, a copied directory — whose tasks the totals count twice: the same title and
#: year of luoshi.yaml and the same tasks, at least one: every task id of one is a task
#: id of the other (as many of them, ids unique in each) with the same task title.  Not
#: the ids alone: a city's template may give its districts one ledger title and the same
#: ids (bench/gen.py's ten ledgers do), their task titles tell them apart.  Not refused:
#: two districts could in theory keep the same tasks
#: (`SAME_TITLE` first: pairs with the same title, year and number of tasks — the
#: tasks are compared only when there is one)
SAME_TITLE = """WITH n AS (
  SELECT ledger, COUNT(*) AS tasks FROM tasks GROUP BY ledger),
k AS (
  SELECT l.ledger, l.title, l.year, n.tasks
  FROM ledger l JOIN n ON n.ledger = l.ledger)
SELECT COUNT(*)
FROM k a JOIN k b ON a.ledger < b.ledger AND a.title = b.title AND a.year = b.year
  AND a.tasks = b.tasks"""
SAME_LEDGER = """WITH n AS (
  SELECT ledger, COUNT(*) AS tasks FROM tasks GROUP BY ledger),
k AS (
  SELECT l.ledger, l.title, l.year, n.tasks
  FROM ledger l JOIN n ON n.ledger = l.ledger),
p AS (
  SELECT a.ledger AS a, b.ledger AS b, a.title, a.year, a.tasks
  FROM k a JOIN k b ON a.ledger < b.ledger AND a.title = b.title AND a.year = b.year
    AND a.tasks = b.tasks)
SELECT p.a, p.b, p.title, p.year, p.tasks
FROM p
JOIN tasks x ON x.ledger = p.a
JOIN tasks y ON y.ledger = p.b AND y.task_id = x.task_id AND y.title = x.title
GROUP BY p.a, p.b, p.title, p.year, p.tasks
HAVING COUNT(*) = p.tasks
ORDER BY p.a, p.b"""

#: each category id that ledgers name differently, with each name and the ledgers that
#: give it, in the order of the name's first ledger: the roll-up by category counts the
#: id once, under the name of its first ledger (`QUERIES["category"]`)
RENAMED_CATEGORIES = """SELECT category_id, COALESCE(name, '') AS name,
  list(ledger ORDER BY ledger) AS ledgers
FROM categories
WHERE category_id IN (SELECT category_id FROM categories
                      GROUP BY category_id HAVING COUNT(DISTINCT COALESCE(name, '')) > 1)
GROUP BY category_id, COALESCE(name, '')
ORDER BY category_id, MIN(ledger)"""


def _other_years(con: duckdb.DuckDBPyConnection, day: date) -> tuple[L, ...]:
    """A note naming the ledgers whose year is not the as-of date's (at most `FEW`,
    then counted: `core.labels.few_named`): a 2021 ledger judged at 2024-05-31 beside 2024's has its
    milestones years overdue — allowed (the city asked for that date), never silent.
    A ledger in its year's grace (a 2024 ledger at 2025-01-10: the January office's
    year-end use, `core.yearend`) is not named."""
    from ..core.yearend import in_grace

    rows = [(name, year) for name, year in con.execute(
        "SELECT ledger, year FROM ledger WHERE year <> ? ORDER BY ledger",
        [day.year]).fetchall() if not in_grace(day, year)]
    if not rows:
        return ()
    n = len(rows)
    shown = few_named([f"{_inert(name)}（{year}）" for name, year in rows], "个台账",
                      [f"{_inert(name)} ({year})" for name, year in rows])
    return (L(
        f"注意：台账 {shown.zh}的年度不是截至日期 {day} 所在的 {day.year} 年："
        "其任务也按该日期评判（其他年度的节点可能已逾期多年，或尚未到期）",
        f"note: the {'ledger' if n == 1 else 'ledgers'} {shown.en} "
        f"{'is' if n == 1 else 'are'} not of {day.year}, the year of the as-of date {day}: "
        f"{'its' if n == 1 else 'their'} tasks are judged at that date too (another "
        "year's milestones may be years overdue, or not yet due)"),)


def _notes(con: duckdb.DuckDBPyConnection, by: str | None) -> tuple[L, ...]:
    """`RollupReport.notes`: each pair of ledgers that look like one given twice
    (`SAME_LEDGER`: the totals count both); then, when the roll-up by category is
    printed (`by` None or "category"), each category id named differently in two
    ledgers, with its names (`RENAMED_CATEGORIES`).  Texts are the ledgers' own:
    made inert."""
    notes = []
    [(candidates,)] = con.execute(SAME_TITLE).fetchall()
    for a, b, title, year, tasks in con.execute(SAME_LEDGER).fetchall() if candidates else ():
        a, b, title = _inert(a), _inert(b), _inert(title)
        notes.append(L(
            f"注意：台账 {a} 与 {b} 的标题（{title}）、年度（{year}）和 {tasks} 项任务（编号与名称）都相同，"
            "可能是同一台账给出了两次：合计把两者的任务都计入了",
            f"warning: the ledgers {a} and {b} have the same title ({title}), year ({year}) "
            f"and {counted(tasks, 'task')} (ids and titles): the same ledger given twice? "
            "The totals count the tasks of both"))
    if by not in (None, "category"):
        return tuple(notes)
    named: dict[str, list[tuple[str, list[str]]]] = {}
    for cid, name, ledgers in con.execute(RENAMED_CATEGORIES).fetchall():
        named.setdefault(cid, []).append((_inert(name), [_inert(x) for x in ledgers]))
    for cid, names in named.items():
        first = names[0][0]
        said_zh = "，".join(f"在 {'、'.join(led)} 中名为 {n}" for n, led in names)
        said_en = "; ".join(f"{n} in {', '.join(led)}" for n, led in names)
        notes.append(L(
            f"注意：类别 {_inert(cid)} {said_zh}：按类别汇总时合为一项，名称取第一个台账的 {first}",
            f"note: the category {_inert(cid)} is named differently across ledgers ({said_en}): "
            f"the roll-up by category counts it once, named {first} (the first ledger's)"))
    return tuple(notes)


def _exports_by_date(dated: list[tuple[Path, date]], *, as_of: bool) -> tuple[str, str]:
    """The exports of each date, in date order, for a refusal (zh, en): up to `FEW`
    of a date named (`a、b 等 12 个导出`); with 100 districts the date most of them share
    (not with `as_of`: then every export listed is wrong) is counted, not named — the
    few made at another date are the ones to export again."""
    by: dict[date, list[str]] = {}
    for d, day in dated:
        by.setdefault(day, []).append(terminal(str(d)))
    common = max(by, key=lambda k: (len(by[k]), k)) if not as_of and len(by) > 1 else None
    zh, en = [], []
    for day in sorted(by):
        names = by[day]
        n = len(names)
        if day == common and n > FEW:
            zh.append(f"{day}：其余 {n} 个导出")
            en.append(f"{day}: the other {n} exports")
            continue
        shown = few_named(names, "个导出")
        shown_zh, shown_en = shown.zh, shown.en
        if as_of:
            zh.append(f"导出 {shown_zh} 截至 {day}")
            en.append(f"{'the export' if n == 1 else 'the exports'} {shown_en} "
                      f"{'is' if n == 1 else 'are'} as of {day}")
        else:
            zh.append(f"{day}：{shown_zh}")
            en.append(f"{day}: {shown_en}")
    return ("，" if as_of else "；").join(zh), "; ".join(en)


def rollup(dirs: list[Path], as_of: date | None, today: date, *,
           red: bool = True, by: str | None = None) -> RollupReport:
    """The roll-up of the exports in `dirs` (`today`: the date an empty roll-up is
    dated, decided by the caller like every date); `red`: with the red list (the CSV,
    which prints none, leaves it out: it is the one part of a roll-up that grows with
    the red tasks in Python); `by`: the one roll-up printed, if only one (`--by`, or
    the CSV's), which decides what the notes speak of (`_notes`).

    Every export must be of a different ledger and judged at the same date (`as_of`
    when given): a roll-up mixing dates would add up figures that mean different
    things.  Raises `CommandError` (one line, exit 2) otherwise, and when the red list
    would take memory past `MEMORY_LIMIT` with the columns read.
    """
    budget = _Budget()
    dated: list[tuple[Path, date]] = []
    con = connect(dirs, budget, dated)
    try:
        ledgers = _rows(con, "SELECT ledger, as_of, language FROM ledger ORDER BY ledger")
        languages = {r["language"] for r in ledgers}
        names = [r["ledger"] for r in ledgers]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise CommandError(L(
                f"有多个台账名为 {dup[0]}：每个台账的名称（ledger 列）必须不同，"
                "可用 luoshi export --format parquet --name 另取名称",
                f"more than one ledger is named {dup[0]}: each needs its own name (the ledger "
                "column); give one with luoshi export --format parquet --name"))
        days = sorted({r["as_of"] for r in ledgers})
        if as_of is not None and days and days != [as_of]:
            wrong = [(d, day) for d, day in dated if day != as_of]
            zh, en = _exports_by_date(wrong, as_of=True)
            raise CommandError(L(
                f"{zh}，不是 --as-of {as_of}：请用 --as-of {as_of} 重新导出",
                f"{en}, not --as-of {as_of}: export again with --as-of {as_of}"))
        if len(days) > 1:
            zh, en = _exports_by_date(dated, as_of=False)
            raise CommandError(L(
                f"导出的截至日期不一致（{zh}）：请用同一个 --as-of 重新导出",
                f"the exports are as of different dates ({en}): export them again with "
                "the same --as-of"))
        day = days[0] if days else as_of or today
        totals = _rollup(_rows(con, QUERIES["totals"])[0])
        lists = {dim: tuple((r["ledger"], _rollup(r)) for r in _rows(con, QUERIES[dim]))
                 for dim in DIMENSIONS}
        left = _rollup(_rows(con, QUERIES["ungrouped"])[0]) if by == "group" else None
        listed = _red_list(con, budget) if red else ()
        notes = (*_other_years(con, day), *_notes(con, by))
    except duckdb.Error as exc:  # a file changed or broken after its schema was read
        first = (str(exc).strip() or type(exc).__name__).splitlines()[0]
        raise CommandError(L(f"无法读取导出的 Parquet：{first}",
                             f"cannot read the Parquet exports: {first}")) from None
    finally:
        con.close()
    return RollupReport(day, totals, lists, listed,
                        languages.pop() if len(languages) == 1 else None, notes,
                        left if left is not None and left.tasks else None)


# ---- rendering ---------------------------------------------------------------------

#: every ledger value printed passes one of these (`safetext`): no control character,
#: bidi control or CI workflow command reaches a terminal, no formula a spreadsheet
_inert = terminal
#: ... and a CSV cell starting with = + - @ tab or CR gets a leading '
_cell = csv_text


def _rollup_json(ledger: str | None, r: Rollup, *, keep_ledger: bool) -> dict[str, Any]:
    from ..report.status import rollup_json

    doc = rollup_json(r)
    doc["id"], doc["name"] = _inert(doc["id"]), _inert(doc["name"])
    return {"ledger": _inert(ledger or ""), **doc} if keep_ledger else doc


def report_json(report: RollupReport, *, by: str | None = None) -> dict[str, Any]:
    """`{"as_of", "ledgers": N, "totals", "by_ledger", "by_category", "by_group",
    "by_lead", "red"}`: totals as `luoshi status` writes them; `by_ledger` entries
    are each ledger's `status` totals (id = ledger name, name = its title);
    `by_lead` entries carry their `ledger`.  With `by`, only that list is kept."""
    from ..report.status import totals_json

    doc: dict[str, Any] = {
        "as_of": report.as_of.isoformat(),
        "ledgers": len(report.by["ledger"]),
        "totals": totals_json(report.totals),
    }
    for dim in DIMENSIONS:
        if by is None or by == dim:
            doc[f"by_{dim}"] = [_rollup_json(led, r, keep_ledger=dim == "lead")
                                for led, r in report.by[dim]]
            if dim == "group":  # as `luoshi status`: the tasks no group holds, counted
                doc["ungrouped"] = _ungrouped(report)
    doc["red"] = [_red_json(t) for t in report.red]
    return doc


def _ungrouped(report: RollupReport) -> int:
    """The tasks whose category names no group: `by_group` leaves them out (it read
    `WHERE group_name IS NOT NULL` and said nothing), as `luoshi status` now says."""
    return report.totals.tasks - sum(r.tasks for _, r in report.by["group"])


def _red_json(t: RedTask) -> dict[str, str | int]:
    """A red task in the JSON report: texts made inert, the date as ISO text."""
    return {"ledger": _inert(t.ledger), "id": _inert(t.id), "title": _inert(t.title),
            "lead": _inert(t.lead), "lead_name": _inert(t.lead_name),
            "overdue_milestones": t.overdue_milestones,
            "first_overdue_due": t.first_overdue_due.isoformat(),
            "days_overdue": t.days_overdue}


def render_json(report: RollupReport, out: Any, *, by: str | None = None) -> None:
    """`report_json` as `json.dumps(…, ensure_ascii=False, indent=2)` writes it, byte
    for byte (tests/test_rollup_audit3.py), with the red list written a batch of tasks
    at a time, each task's entry (`_red_json`: texts and whole numbers) laid out as
    that encoder lays it out: json's indenting encoder, in Python, would hold the
    whole document as some 30 small strings a task, then join them — 3 GB for
    1,000,000 red tasks."""
    import json
    from json.encoder import encode_basestring as text  # what json.dumps quotes with

    doc = report_json(replace(report, red=()), by=by)
    head = json.dumps(doc, ensure_ascii=False, indent=2)
    if not report.red:
        out.write(json_text(head) + "\n")
        return
    end = "]\n}"
    assert head.endswith('"red": [' + end)
    out.write(json_text(head[:-len(end)]))
    for start in range(0, len(report.red), _RED_BATCH):
        chunk: list[str] = []
        for t in report.red[start:start + _RED_BATCH]:
            fields = ",\n".join([f"      {text(k)}: {text(v) if type(v) is str else v}"
                                  for k, v in _red_json(t).items()])
            chunk.append(f'{"," if chunk or start else ""}\n    {{\n{fields}\n    }}')
        out.write(json_text("".join(chunk)))
    out.write("\n  ]\n}\n")


CSV_COLUMNS = ("ledger", "id", "name", "tasks", *STATUSES, "green", "yellow", "red",
               "completion_rate", "on_time_rate", "milestones_due", "milestones_on_time")


def render_csv(report: RollupReport, out: Any, *, by: str | None = None,
               lang: str = "zh") -> None:
    """One roll-up as one table (`--by`, default: by ledger); `ledger` is empty in
    the lists across ledgers (category, group).  It starts with a UTF-8 byte-order
    mark, as `status` and `score` CSV do: a city office opens it in Excel, which reads
    a CSV without one in the local code page and garbles every Chinese name.  By
    group, a last row counts the tasks in no group, as `status --by group` does: its
    id empty (no group's is), its name `labels.NO_GROUP` in `lang` — the rows sum to
    the totals."""
    import csv

    from ..core.labels import NO_GROUP, say

    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    rows = list(report.by[by or "ledger"])
    if by == "group" and report.ungrouped is not None:
        rows.append((None, replace(report.ungrouped, id="", name=say(NO_GROUP, lang))))
    for led, r in rows:
        w.writerow([_cell(led or ""), _cell(r.id), _cell(r.name), r.tasks,
                    *(r.by_status.get(s, 0) for s in STATUSES), r.green, r.yellow, r.red,
                    _rate(r.completion_rate), _rate(r.on_time_rate), r.milestones_due,
                    r.milestones_on_time])


def _rate(d: Any) -> str:
    return "" if d is None else f"{d:.2f}"


_TITLES: dict[str, L] = {
    "ledger": L("按台账", "By ledger"),
    "category": L("按类别（各台账合计）", "By category (all ledgers)"),
    "group": L("按专项推进组（各台账合计）", "By group (all ledgers)"),
    "lead": L("按牵头单位", "By lead unit"),
}


def render_table(report: RollupReport, out: Any, lang: str, *, by: str | None = None) -> None:
    """Overall figures, the roll-ups and the red list, as plain aligned text (the
    same inputs give the same bytes; no colour, no wrapping)."""
    from ..report.status import LIGHT_HEADS, STATUS_HEADS, fixed, ungrouped_line

    en = lang == "en"

    def t(label: L) -> str:
        return label.en if en else label.zh

    def table(title: str, columns: list[tuple[str, bool]],
              rows: list[list[str]] | Callable[[], Iterable[list[str]]]) -> None:
        """`rows`, or a function making them anew at each call: the red list's
        (a million tasks) is measured, then written, never held as text."""
        make = rows if callable(rows) else partial(iter, rows)
        out.write("\n")
        if next(iter(make()), None) is None:
            out.write(title + (": none\n" if en else "：无\n"))
            return
        _layout(out, title, columns, make)

    tot = report.totals
    n = len(report.by["ledger"])
    out.write(f"Roll-up of {counted(n, 'ledger')} — as of {report.as_of}\n" if en
              else f"{n} 个台账汇总 — 截至 {report.as_of}\n")
    heads = [("tasks" if en else "任务", True),
             *((t(STATUS_HEADS[s]), True) for s in STATUSES),
             *((t(LIGHT_HEADS[x]), True) for x in ("red", "yellow", "green")),
             ("compl%" if en else "完成率%", True), ("on time%" if en else "按时率%", True)]

    def figures(r: Rollup) -> list[str]:
        return [str(r.tasks), *(str(r.by_status.get(s, 0)) for s in STATUSES), str(r.red),
                str(r.yellow), str(r.green), fixed(r.completion_rate), fixed(r.on_time_rate)]

    table("Overall" if en else "总体情况", heads, [figures(tot)])
    for dim in (by,) if by else DIMENSIONS:
        names: list[tuple[str, bool]] = [("ID", False), ("Name" if en else "名称", False)]
        if dim == "lead":
            names = [("Ledger" if en else "台账", False), *names]
        elif dim == "group":
            names = [("Name" if en else "名称", False)]
        rows = []
        for led, r in report.by[dim]:
            ident = [r.id, r.name] if dim != "group" else [r.name]
            if dim == "lead":
                ident = [led or "", *ident]
            rows.append([_inert(x) for x in ident] + figures(r))
        table(t(_TITLES[dim]), [*names, *heads], rows)
        if dim == "group" and (left := _ungrouped(report)):
            out.write(ungrouped_line(left, lang) + "\n")
    def red() -> Iterator[list[str]]:
        for x in report.red:
            yield [_inert(x.ledger), _inert(f"{x.id} {x.title}"), _inert(x.lead_name),
                   str(x.overdue_milestones), x.first_overdue_due.isoformat(),
                   str(x.days_overdue)]

    table("Red: milestones overdue" if en else "红灯任务（序时节点逾期未完成）",
          [("Ledger" if en else "台账", False), ("Task" if en else "任务", False),
           ("Lead unit" if en else "牵头单位", False),
           ("Overdue" if en else "逾期节点数", True),
           ("First due" if en else "最早逾期节点", False),
           ("Days" if en else "逾期天数", True)], red)


def _layout(out: Any, title: str, columns: list[tuple[str, bool]],
            rows: Callable[[], Iterable[list[str]]]) -> None:
    """A table as `luoshi status` draws one without a terminal: a title, the heads,
    a rule, one line per row, numbers right-aligned, no trailing spaces.  Cells are
    already inert (one line each).  The rows are made twice (`rows()`): once for the
    columns' widths, once to write them, a batch of lines at a time."""
    from rich.cells import cell_len

    widths = [cell_len(h) for h, _ in columns]
    for row in rows():
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], cell_len(cell))

    def line(cells: list[str]) -> str:
        parts = []
        for (_, numeric), w, cell in zip(columns, widths, cells, strict=True):
            gap = " " * (w - cell_len(cell))
            parts.append(gap + cell if numeric else cell + gap)
        return "  ".join(parts).rstrip() + "\n"

    total = sum(widths) + 2 * (len(widths) - 1)
    out.write(title + "\n" + line([h for h, _ in columns]) + "─" * total + "\n")
    lines: list[str] = []
    for r in rows():
        lines.append(line(r))
        if len(lines) == _RED_BATCH:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
