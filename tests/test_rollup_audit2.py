"""Round 3 of the audit of `luoshi export --format parquet` and `luoshi rollup` (SPEC §13):
real ledgers, real Parquet, real DuckDB.  Each test failed on the code before its fix."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import EXAMPLE, REPO, Run
from luoshi_cli.analytics.tables import TABLES

Cli = Callable[..., Run]


def export(cli: Cli, ledger: Path, out: Path, as_of: str = "2021-06-30", *extra: str) -> Path:
    r = cli("export", ledger, "-f", "parquet", "-o", out, "--as-of", as_of, *extra)
    assert r.exit_code == 0, r.stderr
    return out


# ---- item 1: a small file that would take gigabytes -------------------------------------

def repeated(text: str, times: int) -> pa.Array:
    """`text * times` as a one-value Arrow array, made in Arrow (no Python copy)."""
    import pyarrow.compute as pc

    return pc.binary_repeat(pa.array([text]), times)


def dictionary_bomb(path: Path, column: str, value: pa.Array, rows: int | None = None,
                    groups: int = 1) -> None:
    """Rewrite `path` (a table of an export) as `groups` row groups of its rows (or of
    `rows` copies of its first row) whose `column` is `value` (one string) written
    once, in the column's dictionary: a few KB on disk, rows × groups × its length in
    bytes read as strings (never decoded here).  The Arrow schema in the footer is
    luoshi's own, so the file passes the schema check."""
    from luoshi_cli.analytics.tables import SCHEMAS

    table = path.name.removesuffix(".parquet")
    t = pq.read_table(path)
    if rows is not None:
        t = pa.concat_tables([t.slice(0, 1)] * rows)
    i = t.schema.get_field_index(column)
    values = pa.DictionaryArray.from_arrays(pa.array([0] * t.num_rows, pa.int32()), value)
    t = t.set_column(i, pa.field(column, values.type), values)
    # luoshi's schema in the footer as the writer's key-value metadata: written with
    # the schema (ParquetWriter.add_key_value_metadata is pyarrow 18's; 16.1 is pinned)
    meta = {"ARROW:schema": base64.b64encode(SCHEMAS[table].serialize()).decode()}
    with pq.ParquetWriter(path, t.schema.with_metadata(meta), compression="zstd",
                          store_schema=False, dictionary_pagesize_limit=1 << 28) as w:
        for _ in range(groups):
            w.write_table(t.replace_schema_metadata(meta))


#: `luoshi ARGS...` as the console script runs it, with the address space limited to what
#: the process holds once pyarrow and DuckDB are loaded and their threads started, plus
#: 1 GiB: a roll-up that decodes a bomb runs out of memory instead of taking the machine's
_LIMITED = ("import resource, sys\n"
            "import duckdb, pyarrow.parquet as pq\n"
            "duckdb.connect().execute('SELECT 1').fetchall()\n"
            "pq.read_table(sys.argv[1] + '/task_status.parquet')\n"
            "size = next(int(x.split()[1]) for x in open('/proc/self/status')\n"
            "            if x.startswith('VmSize:'))\n"
            "limit = size * 1024 + 2**30\n"
            "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
            "sys.argv = ['luoshi', *sys.argv[2:]]\n"
            "from luoshi_cli.__main__ import main\n"
            "main()\n")


def limited(good: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LUOSHI_LANG": "en"}
    return subprocess.run([sys.executable, "-c", _LIMITED, str(good), *map(str, args)],
                          env=env, capture_output=True, text=True, timeout=300, check=False)


linux = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")


@linux
def test_a_dictionary_bomb_is_refused_before_it_is_decoded(cli: Cli, tmp_path: Path) -> None:
    """tasks.parquet of 2 × 2,000 rows naming one 1 MB title (13 KB on disk) read as
    2 × 2,000 × 1,000,000 bytes = 4,000,000,000 B = 3,815 MB of strings (rounded up, the
    strings alone: the figure also holds 5 bytes a row for offsets and validity, 20,000 B,
    and 4 for the offsets' end, 8 B: 4,000,020,008 B = 3,815 MB): refused from the
    dictionary's lengths, never decoded — it was "out of memory; split large ledger
    files", advice about YAML, after trying to allocate it all."""
    good = export(cli, EXAMPLE, tmp_path / "good")
    bomb = tmp_path / "bomb"
    shutil.copytree(good, bomb)
    dictionary_bomb(bomb / "tasks.parquet", "title", repeated("x", 1_000_000), rows=2000,
                    groups=2)
    assert (bomb / "tasks.parquet").stat().st_size < 30_000
    r = limited(good, "rollup", "--from-parquet", bomb)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (
        f"luoshi: cannot roll up: with {bomb}/tasks.parquet the columns a roll-up reads "
        "would take 3815 MB of memory, more than its 1024 MB (luoshi's exports take about "
        "250 bytes a task): export it again with luoshi export --format parquet; for a "
        "roll-up this large, query the files with DuckDB or Spark directly (the SQL: "
        "docs/REFERENCE.md#the-sql--duckdb-here-spark-or-trino-at-scale)\n")


@linux
def test_a_column_the_roll_up_does_not_use_is_not_read(cli: Cli, tmp_path: Path) -> None:
    """tasks.standard of 20 rows naming one 60 MB text is 1,200 MB read as strings: the
    roll-up never reads it (nor any column but ledger, task_id and title of `tasks`), and
    rolls the export up as before — it ran out of memory."""
    good = export(cli, EXAMPLE, tmp_path / "good")
    odd = tmp_path / "odd"
    shutil.copytree(good, odd)
    dictionary_bomb(odd / "tasks.parquet", "standard", repeated("标", 20_000_000))
    assert pq.read_table(odd / "tasks.parquet", columns=["task_id"]).equals(
        pq.read_table(good / "tasks.parquet", columns=["task_id"]))
    r = limited(good, "rollup", "--from-parquet", odd, "-f", "csv")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == limited(good, "rollup", "--from-parquet", good, "-f", "csv").stdout


def test_the_footers_are_checked_before_any_table_is_read(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the files would take is known from their footers — the columns' uncompressed
    size and their rows (a run-length-encoded column of a billion zeros is a few bytes on
    disk) — before anything is read.  With a limit of 5,000 bytes: the weinan export's
    footers say 4,849 B through `tasks` (pyarrow 26: the chunks' uncompressed bytes, and
    8 bytes a row and column; `ledger.year` is read since ROLLUP_AUDIT_3 item 5), and
    `task_status` 4,023 B more (1,783 B of chunks, 20 rows × 14 columns × 8 B = 2,240
    B): 8,872 B, refused at task_status.parquet (shown
    in whole MB, rounded up: 1 MB, more than 0 MB), and no table is read."""
    from luoshi_cli.analytics import rollup

    good = export(cli, EXAMPLE, tmp_path / "good")
    monkeypatch.setattr(rollup, "MEMORY_LIMIT", 5_000)

    def never(*args: Any) -> None:
        raise AssertionError("a table was read")

    monkeypatch.setattr(rollup, "_read_table", never)
    r = cli("rollup", "--from-parquet", good, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.startswith(f"luoshi: cannot roll up: with {good}/task_status.parquet the "
                               "columns a roll-up reads would take 1 MB of memory, more than "
                               "its 0 MB (")


def test_out_of_memory_in_a_roll_up_of_exports_says_so(cli: Cli, tmp_path: Path) -> None:
    """Out of memory reading exports, the advice was about YAML ("split large ledger
    files or lower max_file_mb"); `luoshi --lang en rollup LEDGER` keeps it (the ledgers
    are YAML)."""
    code = ("import sys\n"
            "import luoshi_cli.analytics.rollup as r\n"
            "def full(*a, **k):\n"
            "    raise MemoryError\n"
            "r.connect = full\n"
            "sys.argv = ['luoshi', *sys.argv[1:]]\n"
            "from luoshi_cli.__main__ import main\n"
            "main()\n")
    good = export(cli, EXAMPLE, tmp_path / "good")
    for args, said in (
            (["--lang", "en", "rollup", "--from-parquet", str(good)],
             "luoshi: out of memory reading the Parquet exports; roll up fewer at a time, or "
             "query them with DuckDB or Spark directly / 内存不足：Parquet 导出过大，请分批汇总，"
             "或直接用 DuckDB、Spark 查询\n"),
            (["--lang", "en", "rollup", str(EXAMPLE), "--as-of", "2021-06-30"],
             "luoshi: out of memory; split large ledger files or lower max_file_mb / "
             "内存不足：请拆分过大的台账文件\n")):
        r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                           text=True, timeout=120, check=False)
        assert (r.returncode, r.stdout, r.stderr) == (2, "", said)


# ---- items 5 and 6: dates out of range, impossible figures, another schema version ------

def _days(t: pa.Table, col: str, fn: Callable[[dict[str, Any], int | None], int | None]
          ) -> pa.Table:
    """`col` (a date32 column) as days since 1970-01-01, each row's from `fn(row,
    days)`: dates Python's `date` cannot hold are written too."""
    days = t.column(col).cast(pa.int32()).to_pylist()
    values = [fn(r, d) for r, d in zip(t.to_pylist(), days, strict=True)]
    i = t.schema.get_field_index(col)
    return t.set_column(i, t.schema.field(i), pa.array(values, pa.int32()).cast(pa.date32()))


def _set(t: pa.Table, col: str, fn: Callable[[dict[str, Any]], Any]) -> pa.Table:
    i = t.schema.get_field_index(col)
    return t.set_column(i, t.schema.field(i), pa.array([fn(r) for r in t.to_pylist()],
                                                       type=t.schema.field(i).type))


def _red(fn: Callable[[dict[str, Any]], Any], col: str) -> Callable[[dict[str, Any]], Any]:
    """`fn` on red rows, the value kept on the others."""
    return lambda r: fn(r) if r["light"] == "red" else r[col]


FAR = 3_000_000  # days after 1970-01-01: the year 10183
BEFORE_YEAR_1 = -800_000  # the year -221

#: table edited → the reason given; weinan at 2021-06-30 has 20 tasks, 13 of them red
IMPOSSIBLE: dict[str, tuple[dict[str, Callable[[pa.Table], pa.Table]], str]] = {
    # was an internal error (OverflowError: date value out of range)
    "as-of-year-10183": ({
        "ledger": lambda t: _days(t, "as_of", lambda r, d: FAR),
        "task_status": lambda t: _days(t, "as_of", lambda r, d: FAR)},
        "ledger.parquet has an as-of date outside the years 1 to 9999"),
    # was an internal error (AttributeError: 'str' object has no attribute 'isoformat')
    "red-date-year-10183": ({"task_status": lambda t: _days(
        t, "first_overdue_due", lambda r, d: FAR if r["light"] == "red" else d)},
        "task_status.parquet has a red row whose days overdue are not the days from its "
        "first overdue date to the as-of date"),
    # its days overdue made to agree: only the year tells
    "red-date-before-year-1": ({"task_status": lambda t: _days(
        _set(t, "max_days_overdue", _red(lambda r: 18_808 - BEFORE_YEAR_1,
                                         "max_days_overdue")),
        "first_overdue_due", lambda r, d: BEFORE_YEAR_1 if r["light"] == "red" else d)},
        "task_status.parquet has a red row whose days overdue are not the days from its "
        "first overdue date to the as-of date"),
    # the rest rolled up (exit 0) to figures that cannot be
    "negative-count": ({"task_status": lambda t: _set(t, "milestones_due", lambda r: -5)},
                       "task_status.parquet has a negative count of milestones"),
    # on_time_rate 90476.19
    "on-time-beyond-due": ({"task_status": lambda t: _set(
        t, "milestones_on_time", lambda r: 1000)},
        "task_status.parquet counts more milestones on time and overdue than due"),
    "closed-but-lit": ({"task_status": lambda t: _set(t, "status", lambda r: "closed")},
                       "task_status.parquet has a light on a closed or suspended task, or "
                       "none on another"),
    "red-without-overdue": ({"task_status": lambda t: _set(
        t, "overdue_milestones", _red(lambda r: 0, "overdue_milestones"))},
        "task_status.parquet has a red row without overdue milestones, or overdue "
        "milestones on a row not red"),
    "days-not-from-date": ({"task_status": lambda t: _set(
        t, "max_days_overdue", _red(lambda r: r["max_days_overdue"] + 1, "max_days_overdue"))},
        "task_status.parquet has a red row whose days overdue are not the days from its "
        "first overdue date to the as-of date"),
}


@pytest.mark.parametrize("case", sorted(IMPOSSIBLE))
def test_impossible_figures_and_dates_are_an_inconsistent_export(cli: Cli, tmp_path: Path,
                                                                 case: str) -> None:
    """Figures `task_state` never writes — a count below 0, more milestones on time than
    due, a light on a closed task, red without an overdue milestone, days overdue that
    are not as-of − first overdue date (2021-06-30 is day 18,808) — and dates Python
    cannot hold are refused as an inconsistent export, exit 2, one line."""
    edits, why = IMPOSSIBLE[case]
    out = export(cli, EXAMPLE, tmp_path / "x")
    for table, edit in edits.items():
        pq.write_table(edit(pq.read_table(out / f"{table}.parquet")), out / f"{table}.parquet")
    r = cli("rollup", "--from-parquet", out, "--lang", "en", "-f", "json")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: {out} is not a consistent luoshi export: {why} (export it "
                        "again with luoshi export --format parquet)\n")


def test_an_export_of_another_schema_version_is_refused(cli: Cli, tmp_path: Path) -> None:
    """Only the columns were compared: an export saying schema_version 99 rolled up."""
    from luoshi_cli.analytics.tables import SCHEMA_VERSION

    out = export(cli, EXAMPLE, tmp_path / "x")
    t = pq.read_table(out / "ledger.parquet")
    pq.write_table(_set(t, "schema_version", lambda r: 99), out / "ledger.parquet")
    r = cli("rollup", "--from-parquet", out, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: {out}/ledger.parquet is of schema version 99, not this "
                        f"luoshi's {SCHEMA_VERSION}: export it again with this version\n")


# ---- item 8: one export given twice ----------------------------------------------------

def test_one_export_given_twice_is_said_as_for_ledgers(cli: Cli, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`rollup --from-parquet G G` (or `G ./G/`) said "more than one ledger is named
    weinan-2021 … give one with --name": advice for two exports of one name, not for one
    export given twice — what `rollup LEDGER LEDGER` says."""
    export(cli, EXAMPLE, tmp_path / "G")
    monkeypatch.chdir(tmp_path)
    for args in (("G", "G"), ("G", "./G/"), ("G", str(tmp_path / "G"))):
        r = cli("rollup", "--from-parquet", *args, "--lang", "en")
        assert (r.exit_code, r.stdout) == (2, "")
        assert r.stderr == (f"luoshi: the export {tmp_path / 'G'} is given more than once: "
                            "give each export once\n")
    r = cli("rollup", "--from-parquet", "G", "G")
    assert r.stderr == f"luoshi: 导出 {tmp_path / 'G'} 给出了不止一次：每个导出只需给出一次\n"
    # as for ledgers
    r = cli("rollup", EXAMPLE, EXAMPLE, "--lang", "en")
    assert r.stderr == (f"luoshi: the ledger {EXAMPLE} is given more than once: give each "
                        "ledger once\n")


# ---- item 4: every legal local name is a local path -----------------------------------

@pytest.mark.parametrize("output", [
    "D:/exports/x",  # was an internal error (ArrowInvalid: Unrecognized filesystem type)
    "backup:2024-06/x",  # the same
    "s3:bucket/x",  # internal error (ArrowInvalid: Missing bucket name in S3 URI)
    "hdfs:h/x",  # "cannot write hdfs:h/x: None"
    "file:{tmp}/elsewhere/y",  # written to {tmp}/elsewhere/.y.*.tmp, not here
    os.fsdecode(b"out-\xff"),  # internal error (UnicodeEncodeError: surrogates not allowed)
])
def test_an_output_with_a_colon_or_any_byte_is_a_local_directory(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str) -> None:
    """pyarrow took `-o` as a URI when it had a colon (and wanted UTF-8): the tables are
    written through open files, so `-o` is the local directory it names, relative to the
    current one, and a roll-up reads it back (reading took `backup:2024-06/x/ledger.parquet`
    for a URI too): 20 tasks."""
    here = tmp_path / "here"
    (tmp_path / "elsewhere").mkdir()
    here.mkdir()
    monkeypatch.chdir(here)
    output = output.format(tmp=tmp_path)
    r = cli("export", EXAMPLE, "-f", "parquet", "-o", output, "--as-of", "2021-06-30",
            "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in (here / output).iterdir()) == sorted(
        f"{t}.parquet" for t in TABLES)
    assert list((tmp_path / "elsewhere").iterdir()) == []
    r = cli("rollup", "--from-parquet", output, "-f", "csv", "--lang", "en")
    assert (r.exit_code, r.stderr) == (0, "")
    assert r.stdout.splitlines()[1].startswith("weinan-2021,weinan-2021,渭南高新区2021年度重点任务"
                                               "抓落实台账,20,")


# ---- item 3: a folder name that is not UTF-8 -------------------------------------------

#: 碑林台账 in GBK, as a Windows zip names the folder
GBK = b"\xb1\xae\xc1\xd6\xcc\xa8\xd5\xcb"


def test_a_folder_name_that_is_not_utf8_is_refused_with_advice(cli: Cli,
                                                               tmp_path: Path) -> None:
    """`export -f parquet` and `rollup` of a ledger whose folder name is GBK bytes were
    internal errors (UnicodeEncodeError: surrogates not allowed: Parquet's text is
    UTF-8) while `status` worked: refused in one line like a name with a control
    character, its bytes escaped (\\xcc\\xa8 happens to be UTF-8, a combining mark: it
    is escaped too), with advice that works — `--name` for export, which writes it."""
    ledger = tmp_path / os.fsdecode(b"gbk-" + GBK)
    shutil.copytree(EXAMPLE, ledger)
    shown = "gbk-\\xb1\\xae\\xc1\\xd6\\xcc\\xa8\\xd5\\xcb"
    assert cli("status", ledger, "--as-of", "2021-06-30").exit_code == 0
    r = cli("export", ledger, "-f", "parquet", "-o", tmp_path / "out", "--as-of",
            "2021-06-30", "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: the ledger name {shown} is not valid UTF-8 (the folder is "
                        "named in another encoding, such as GBK from a Windows zip): rename "
                        "the directory, or give a name with --name\n")
    assert not (tmp_path / "out").exists()
    r = cli("rollup", ledger, "--as-of", "2021-06-30")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: 台账名称 {shown}（取自其目录名）不是有效的 UTF-8（目录名用了其他编码，"
                        "如 Windows 压缩包中的 GBK）：请重命名该目录，或用 luoshi export --format "
                        "parquet --name 名称 导出后用 luoshi rollup --from-parquet 汇总\n")
    r = cli("rollup", ledger, "--as-of", "2021-06-30", "--lang", "en")
    assert r.stderr == (f"luoshi: the ledger name {shown} (its directory's name) is not valid "
                        "UTF-8 (the folder is named in another encoding, such as GBK from a "
                        "Windows zip): rename the directory, or export it with luoshi export "
                        "--format parquet --name NAME and roll the exports up with luoshi "
                        "rollup --from-parquet\n")
    # the advice works
    out = export(cli, ledger, tmp_path / "out", "2021-06-30", "--name", "碑林台账")
    r = cli("rollup", "--from-parquet", out, "-f", "csv")
    assert r.stdout.splitlines()[1].startswith("碑林台账,碑林台账,")


# ---- item 7: a name longer than the file system takes ----------------------------------

def test_a_path_component_too_long_is_a_one_line_io_error(cli: Cli, tmp_path: Path) -> None:
    """A component of 300 bytes (file systems take 255) as `-o` or as a ledger's or an
    export's path was `internal error (OSError: [Errno 36] File name too long)`: it is
    an I/O error of the path, one line naming it, exit 2 — as a full disk is."""
    long = tmp_path / ("a" * 300)

    def luoshi(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "luoshi_cli", *map(str, args)],
                              capture_output=True, text=True, timeout=120, check=False,
                              env={**os.environ, "LUOSHI_LANG": "en"})

    for args, path in (
            (("export", EXAMPLE, "-f", "parquet", "-o", long, "--as-of", "2021-06-30"), long),
            (("export", EXAMPLE, "-o", f"{long}.xlsx", "--as-of", "2021-06-30"),
             f"{long}.xlsx"),
            (("status", long), long),
            (("rollup", long), long / "ledger.parquet"),
            (("rollup", "--from-parquet", long), long)):
        r = luoshi(*args)
        assert (r.returncode, r.stdout) == (2, ""), args
        assert r.stderr == (f"luoshi: I/O error: File name too long: {path} / "
                            "输入输出错误（文件名过长）\n"), args


# ---- item 2: what a score was computed without (schema 6) -------------------------------

KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"

#: one quarter's record: `push` applies to zhangjiacun and jiaoyuju only (fgw: not
#: assessed), jiaoyuju's is written n/a, zhangjiacun
#: has no `hotline` score (LS407: counted as 0); `democratic` is annual, and there is no
#: 2024 record
NA_LEDGER = {
    "luoshi.yaml": "title: 测试台账\nyear: 2024\ncategories:\n  - {id: econ, name: 经济发展}\n",
    "units.yaml": ("units:\n  - {id: fgw, name: 区发改委, kind: department}\n"
                   "  - {id: zhangjiacun, name: 张家村街道, kind: subdistrict}\n"
                   "  - {id: jiaoyuju, name: 区教育局, kind: department}\n"
                   "leaders:\n  - {id: li, name: 李某某, title: 副区长}\n"),
    "tasks/econ.yaml": ("- id: T-001\n  title: 推进重点项目开工建设\n  category: econ\n"
                        "  lead: fgw\n  units: [zhangjiacun]\n  leaders: [li]\n"
                        "  start: 2024-01-01\n  standard: 开复工350个\n  milestones:\n"
                        "    - {due: 2024-03-31, standard: 完成前期手续, done: 2024-03-28}\n"
                        "  status: done\n  progress: 100\n"),
    "scheme.yaml": """id: s
title: 测试考核办法
cadence: quarterly
rounding: {places: 2}
components:
  - id: special
    name: 专项任务考核
    weight: 80
    children:
      - id: push
        name: 大推进
        applies_to: {units: [zhangjiacun, jiaoyuju]}
        weight: 60
        items:
          - {id: p1, name: 办实事, points: 50}
          - {id: other, name: 其他, points: 50}
      - {id: hotline, name: 12345办理, weight: 40}
  - id: democratic
    name: 民主测评
    weight: 20
    cadence: annual
    children:
      - {id: leadership, name: 班子测评, weight: 100}
deductions:
  categories:
    - {id: slack, name: 混日子, min: 2, max: 4}
grades:
  - {name: 优秀, min: 90}
  - {name: 较差, min: 0}
""",
    "records/2024-Q1.yaml": """period: 2024-Q1
scores:
  fgw: {hotline: 95}
  zhangjiacun: {}
  jiaoyuju: {hotline: 80, push: n/a}
items:
  zhangjiacun: {push: {p1: 45, other: 45}}
""",
}


def test_unit_scores_say_what_a_score_was_computed_without(
        cli: Cli, write: Callable[..., Path], tmp_path: Path) -> None:
    """`export --partial` wrote the year scored from Q1 alone, zhangjiacun's missing
    hotline as a plain score 0, and nothing of the components not assessed: as `score
    -f json` says them (`missing`, `not_applicable`, `missing_quarters` and
    `missing_annual_record`), `unit_scores` has `missing`, `not_applicable` and
    `missing_periods`.  By hand: zhangjiacun's push 45 + 45 = 90 points of 100, hotline
    none (0): special 0.6 × 90 + 0.4 × 0 = 54, democratic (annual) has no 2024 record and
    a quarter has none: 54; fgw's push is not assessed (applies_to), so special is its
    hotline, 95; jiaoyuju's push is written n/a: 80.  The year (--partial) is Q1 and says
    it lacks Q2–Q4 and the year's own record."""
    ledger = write(NA_LEDGER)
    out = export(cli, ledger, tmp_path / "p", "2024-12-31", "--partial")
    cols = ["period", "unit_id", "score", "missing", "not_applicable", "missing_periods"]
    rows = sorted(tuple(r.values()) for r in
                  pq.read_table(out / "unit_scores.parquet", columns=cols).to_pylist())
    gone = ["2024-Q2", "2024-Q3", "2024-Q4", "2024"]
    d = Decimal
    assert rows == [
        ("2024", "fgw", d("95"), [], ["push"], gone),
        ("2024", "jiaoyuju", d("80"), [], ["push"], gone),
        ("2024", "zhangjiacun", d("54"), ["2024-Q1/hotline"], [], gone),
        ("2024-Q1", "fgw", d("95"), [], ["push"], []),
        ("2024-Q1", "jiaoyuju", d("80"), [], ["push"], []),
        ("2024-Q1", "zhangjiacun", d("54"), ["hotline"], [], []),
    ]
    # as `score -f json` says them
    for period, args in (("2024-Q1", ("--quarter", "Q1")), ("2024", ("--annual", "--partial"))):
        r = cli("score", ledger, *args, "--as-of", "2024-12-31", "-f", "json")
        assert r.exit_code == 0, r.stderr
        doc = json.loads(r.stdout)
        said = [*doc["missing_quarters"], *([period] if doc.get("missing_annual_record")
                                            else [])]
        assert sorted((period, u["unit"], d(str(u["score"])), u["missing"],
                       u["not_applicable"], said) for u in doc["units"]) == [
            row for row in rows if row[0] == period]
    # the score 0 in `scores` is the one `missing` names
    zero = [r for r in pq.read_table(out / "scores.parquet").to_pylist() if r["score"] == 0]
    assert sorted((r["period"], r["unit_id"], r["component_id"]) for r in zero) == [
        ("2024", "zhangjiacun", "hotline"), ("2024-Q1", "zhangjiacun", "hotline")]


#: the kaohe ledger's tasks each hold a report of a progress alone, which the workbook
#: shows in no cell (its month)
NOT_SHOWN = ("luoshi: not exported (the workbook has no column for them, so import tasks "
             "does not read them back; a --force re-import over the tasks' own file keeps "
             "the file's): monthly reports the sheet does not show (6 tasks)\n")


def test_export_partial_writes_the_years_sheet_the_reference_promises(
        cli: Cli, tmp_path: Path, write: Callable[..., Path]) -> None:
    """REFERENCE: `--partial` scores a year from the quarters present.  The workbook
    wrote only the periods with a record: 碑林's Q1 and Q2 at 2024-12-31 gave no 2024
    sheet with --partial (the Parquet export scored the year).  Now it has one, with the
    figures of `score --annual --partial` (区行政审批服务局 94.20) and a title naming the
    records it was scored without — the year's own too, when the annual components were
    left out; without --partial, no year."""
    import openpyxl

    kaohe = tmp_path / "kaohe"
    shutil.copytree(KAOHE, kaohe)
    book = tmp_path / "k.xlsx"
    r = cli("export", kaohe, "-o", book, "--partial", "--as-of", "2024-12-31", "--lang", "en")
    assert (r.exit_code, r.stderr) == (0, (
        NOT_SHOWN + f"wrote {book} (Tasks, Task details, Summary, Scores 2024-Q1, Scores 2024-Q2, "
        "Scores 2024)\n"))
    ws = openpyxl.load_workbook(book)["Scores 2024"]
    assert ws["A1"].value == ("2024年碑林区抓落实工作考核办法（示例）, 2024 (annual): scores "
                              "(without Q3 2024, Q4 2024: from the records present)")
    assert [c.value for c in ws[3]][:5] == ["区级部门", 1, "区行政审批服务局", "xzspj", 94.2]
    r = cli("export", kaohe, "-o", book, "--as-of", "2024-12-31", "--lang", "en")
    assert r.stderr == (NOT_SHOWN + f"wrote {book} (Tasks, Task details, Summary, Scores 2024-Q1, "
                        "Scores 2024-Q2)\n")
    na = write(NA_LEDGER)
    r = cli("export", na, "-o", book, "--partial", "--as-of", "2024-12-31")
    assert r.exit_code == 0, r.stderr
    assert openpyxl.load_workbook(book)["得分 2024"]["A1"].value == (
        "测试考核办法 2024 得分（缺 2024-Q2、2024-Q3、2024-Q4、2024，按已有记录计算）")


# ---- item 9: the docs and help ---------------------------------------------------------

def _documented() -> dict[tuple[str, str], str]:
    """(table, column) → its meaning in the README's tables."""
    import re

    text = (REPO / "docs" / "readme" / "75-analytics.md").read_text(encoding="utf-8")
    text = text[text.index("### The tables"):text.index("### The roll-up report")]
    meaning, table = {}, None
    for line in text.splitlines():
        if m := re.match(r"\*\*(\w+)\*\* —", line):
            table = m.group(1)
        elif (m := re.match(r"\| (\w+) \| [^|]+ \| (.*) \|$", line)) and table:
            meaning[(table, m.group(1))] = m.group(2)
    return meaning


def test_every_column_null_in_an_export_says_when(cli: Cli, write: Callable[..., Path],
                                                   tmp_path: Path) -> None:
    """A column that holds nulls in real exports says when in the README: ledger.doc_no
    (no 文号), tasks.closed_approved_by (a task not closed), updates.note (a month's
    progress without a note), rectifications.closed_approved_by and closed_evidence (an
    open rectification) did not."""
    from test_rollup_audit import EVERY_FIELD

    every = dict(EVERY_FIELD)
    every["supervision/2024.yaml"] = every["supervision/2024.yaml"].replace(
        "    closed: {date: 2024-06-05, approved_by: ld, evidence: 整改报告-RCEVIDENCE}\n", "")
    meaning = _documented()
    nulls = set()
    for ledger, day in ((EXAMPLE, "2021-06-30"), (KAOHE, "2024-06-30"),
                        (write(every), "2024-06-30")):
        out = export(cli, ledger, tmp_path / "out" / ledger.name, day)
        for f in out.iterdir():
            t = pq.read_table(f)
            nulls |= {(f.stem, c) for c in t.column_names if t.column(c).null_count}
    assert {("ledger", "doc_no"), ("tasks", "closed_approved_by"), ("updates", "note"),
            ("rectifications", "closed_approved_by"), ("rectifications", "closed_evidence")
            } <= nulls
    assert sorted(c for c in nulls if "null" not in meaning[c]) == []


def test_the_help_names_no_luoshi_extra() -> None:
    """REFERENCE: an install hint never says `luoshi[…]` (a package index's "luoshi" is
    someone else's); `export --help` said "needs luoshi[rollup]" (and 需安装
    luoshi[rollup])."""
    env = {k: v for k, v in os.environ.items() if k != "LUOSHI_LANG"}
    for lang, said in (("en", "pip install '.[rollup]' in luoshi's source directory"),
                       ("zh", "在 luoshi 的源码目录中运行 pip install '.[rollup]'")):
        for command in ("export", "rollup"):
            r = subprocess.run([sys.executable, "-m", "luoshi_cli", "--lang", lang, command,
                                "--help"], capture_output=True, text=True, timeout=60,
                               env=env, check=False)
            assert r.returncode == 0, r.stderr
            assert "luoshi[" not in r.stdout, (command, lang)
            if command == "export":  # (wrapped: compared without white space)
                assert "".join(said.split()) in "".join(r.stdout.split())
