"""Round 4 of the audit of `luoshi export --format parquet` and `luoshi rollup` (SPEC §13,
ROLLUP_AUDIT_3): real ledgers, real Parquet, real DuckDB.  Each test failed on the code
before its fix, except the two whose docstrings say "not a fix" (guards: of the JSON
writer's rewrite, and of the names a roll-up keeps)."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import EXAMPLE, Run

Cli = Callable[..., Run]


def export(cli: Cli, ledger: Path, out: Path, as_of: str = "2021-06-30", *extra: str) -> Path:
    r = cli("export", ledger, "-f", "parquet", "-o", out, "--as-of", as_of, *extra)
    assert r.exit_code == 0, r.stderr
    return out


def rewrite(path: Path, table: pa.Table) -> None:
    """`table` written as `path`, with luoshi's own schema in the footer (as the export
    writes it), so the file passes the roll-up's schema check."""
    from luoshi_cli.analytics.tables import SCHEMAS

    name = path.name.removesuffix(".parquet")
    meta = {"ARROW:schema": base64.b64encode(SCHEMAS[name].serialize()).decode()}
    pq.write_table(table.cast(SCHEMAS[name]).replace_schema_metadata(meta), path,
                   compression="zstd", store_schema=False)


# ---- item 1: the red list counts against the memory bound ------------------------------

def one_mb_titles(good: Path, out: Path) -> Path:
    """The weinan export at 2021-06-30 with every task's title 1,000,000 × "x"
    (dictionary-encoded: written once, 20 MB read)."""
    shutil.copytree(good, out)
    t = pq.read_table(out / "tasks.parquet")
    title = pc.binary_repeat(pa.array(["x"]), 1_000_000)
    values = pa.DictionaryArray.from_arrays(pa.array([0] * t.num_rows, pa.int32()), title)
    i = t.schema.get_field_index("title")
    t = t.set_column(i, pa.field("title", values.type), values)
    from luoshi_cli.analytics.tables import SCHEMAS

    meta = {"ARROW:schema": base64.b64encode(SCHEMAS["tasks"].serialize()).decode()}
    pq.write_table(t.replace_schema_metadata(meta), out / "tasks.parquet",
                   compression="zstd", store_schema=False)
    return out


def test_the_red_list_counts_against_the_memory_bound(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The budget counted only the columns read; then every red row became a dict, a
    `RedTask` and a JSON dict, whatever they took (1,000,000 red rows of a 10 MB export:
    3.2 GB).  With a limit of 24 MiB (25,165,824 B): the columns of this export take
    20 tasks × 1,000,000 B of title = 20,000,000 B plus a few KB — within it; its 3 red
    tasks (WN-003, WN-008, WN-011) then cost 3 × 512 B and 3 × their texts' UTF-8 bytes:
    "weinan-2021" 11 + an id 6 + the title 1,000,000 + lead ids dongqu 6, weinangs 8,
    chenggaiban 11 + lead names 东区管委会 15, 威楠公司 12, 城改办 9, i.e. 3,000,000 + 3 × 17
    + 25 + 36 = 3,000,112 B, × 3 = 9,000,336 B: some 29,010,000 B in all = 27.7 MiB,
    said as 28 MB — refused in one line, exit 2, before a row of it is fetched.  JSON
    and table print the red list; the CSV, which does not, rolls the export up under
    the same limit."""
    from luoshi_cli.analytics import rollup

    good = export(cli, EXAMPLE, tmp_path / "good")
    big = one_mb_titles(good, tmp_path / "big")
    monkeypatch.setattr(rollup, "MEMORY_LIMIT", 24 << 20)
    for fmt in ("json", "table"):
        r = cli("rollup", "--from-parquet", big, "-f", fmt, "--lang", "en")
        assert (r.exit_code, r.stdout) == (2, "")
        assert r.stderr == (
            "luoshi: cannot roll up: the red list of 3 tasks would take, with the columns a "
            "roll-up reads, 28 MB of memory, more than its 24 MB (about 512 bytes a red "
            "task, and its texts): --format csv, which prints no red list, can roll them "
            "up; or roll up fewer at a time, or query the files with DuckDB or Spark "
            "directly (the SQL: docs/REFERENCE.md#the-sql--duckdb-here-spark-or-trino-at-scale)\n")
    r = cli("rollup", "--from-parquet", big, "-f", "json")
    assert r.stderr == ("luoshi: 无法汇总：3 项红灯任务的清单连同汇总所读的列将占用 28 MB 内存，超过上限 "
                        "24 MB（每项红灯任务约 512 字节另加其文字）：不列红灯清单的 --format csv 可以汇总；"
                        "或分批汇总，或直接用 DuckDB 或 Spark 查询这些文件（SQL 见 "
                        "docs/REFERENCE.md#the-sql--duckdb-here-spark-or-trino-at-scale）\n")
    r = cli("rollup", "--from-parquet", big, "-f", "csv")
    assert (r.exit_code, r.stderr) == (0, "")
    assert r.stdout == cli("rollup", "--from-parquet", good, "-f", "csv").stdout
    # with room for it, the list is the one of the original export
    monkeypatch.setattr(rollup, "MEMORY_LIMIT", 32 << 20)
    doc = json.loads(cli("rollup", "--from-parquet", big, "-f", "json").stdout)
    assert [(t["id"], len(t["title"])) for t in doc["red"]] == [
        ("WN-003", 1_000_000), ("WN-008", 1_000_000), ("WN-011", 1_000_000)]


def test_the_csv_never_asks_for_the_red_list(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-f csv` prints one roll-up table and no red list, but fetched the red list all
    the same (1,000,000 red rows: 1.7 GB for a CSV of 2 lines).  With the red query
    broken, the CSV (with or without --by) still rolls up; JSON and table, which print
    the list, fail on it."""
    from luoshi_cli.analytics import rollup

    good = export(cli, EXAMPLE, tmp_path / "good")
    expected = {by: cli("rollup", "--from-parquet", good, "-f", "csv", *by).stdout
                for by in ((), ("--by", "lead"))}
    monkeypatch.setitem(rollup.QUERIES, "red", "SELECT * FROM no_such_table")
    for by, out in expected.items():
        r = cli("rollup", "--from-parquet", good, "-f", "csv", *by)
        assert (r.exit_code, r.stderr, r.stdout) == (0, "", out)
    for fmt in ("json", "table"):
        r = cli("rollup", "--from-parquet", good, "-f", fmt, "--lang", "en")
        assert r.exit_code == 2
        assert r.stderr.startswith("luoshi: cannot read the Parquet exports: Catalog Error")


def test_the_json_red_list_is_written_as_json_dumps_writes_it() -> None:
    """A guard of the rewrite, not a fix (it passes on the code before): `render_json`
    writes the red list from a template, a batch at a time; its bytes are those of
    `json.dumps(report_json(…), ensure_ascii=False, indent=2)` made inert — for texts
    with quotes, backslashes, control characters, bidi marks, a workflow command,
    characters past U+FFFF, over more than two batches."""
    import io

    from luoshi_cli.analytics import rollup
    from luoshi_cli.analytics.rollup import RedTask, RollupReport, render_json, report_json
    from luoshi_cli.core.safetext import json_text
    from luoshi_cli.ops.progress import Rollup

    odd = ['"q"', "back\\slash", "ctl\x1b[31m", "bidi\u202e", "##[error]x", "::warning::",
           "𠀀字", "\u2028", "tab\tx", "简单"]
    red = tuple(RedTask(odd[i % 10], f"T-{i}", odd[(i + 3) % 10] * (i % 4),
                        odd[(i + 5) % 10], odd[(i + 7) % 10], i % 7 + 1,
                        date(2024, 1, 1 + i % 28), 1000 + i)
                for i in range(2 * getattr(rollup, "_RED_BATCH", 2048) + 5))
    zero = Rollup(id="", name="", tasks=0, by_status={}, green=0, yellow=0, red=0,
                  finished=0, milestones_due=0, milestones_on_time=0, completion_rate=None,
                  on_time_rate=None)
    by: dict[str, tuple[tuple[str | None, Rollup], ...]] = {
        "ledger": (("x", zero),), "category": (), "group": (), "lead": ()}
    for listed in (red, red[:1], ()):
        report = RollupReport(date(2024, 6, 30), zero, by, listed, "zh")
        for dim in (None, "lead"):
            out = io.StringIO()
            render_json(report, out, by=dim)
            assert out.getvalue() == json_text(json.dumps(
                report_json(report, by=dim), ensure_ascii=False, indent=2)) + "\n"


# ---- item 2: an export written where another ledger reads ------------------------------

def test_export_refuses_a_directory_another_ledger_would_read(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`export L/yt -o L/other/tasks/evil.yaml` exited 0 and broke the other ledger (its
    validate then said LS006 "it is a directory"): only the exported ledger's own
    patterns were checked.  Every ledger above DIR is now read with its own `files:`
    (here `tasks: work/*.yaml`): a directory one of its patterns reads is refused before
    anything is written, one none reads (`other/tasks/x`, `other/parquet`) is allowed."""
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other, ignore=shutil.ignore_patterns(".luoshi-cache"))
    (other / "tasks").rename(other / "work")
    config = other / "luoshi.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "files:\n  tasks: work/*.yaml\n", encoding="utf-8")
    assert cli("validate", other, "--as-of", "2021-06-30").exit_code == 0
    for out, pattern in ((other / "work/evil.yaml", "work/*.yaml"),
                         (other / "records/q.yaml", "records/*.yaml"),
                         (other / "luoshi.yaml", "luoshi.yaml")):
        r = cli("export", EXAMPLE, "-f", "parquet", "-o", out, "--as-of", "2021-06-30",
                "--lang", "en")
        assert (r.exit_code, r.stdout) == (2, ""), out
        assert r.stderr == (f"luoshi: {out} is inside the ledger {other}, where the files: "
                            f"pattern {pattern} of its luoshi.yaml would read it: write the "
                            "export outside that ledger's directory\n")
    monkeypatch.chdir(other / "work")
    r = cli("export", EXAMPLE, "-f", "parquet", "-o", "evil.yaml", "--as-of", "2021-06-30")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: evil.yaml 位于台账 {other} 之内，会被其 luoshi.yaml 的 files 模式 "
                        "work/*.yaml 读入：请把导出写到该台账目录之外\n")
    assert not (other / "work/evil.yaml").exists() and not (other / "records/q.yaml").exists()
    r = cli("validate", other, "--as-of", "2021-06-30", "-f", "json")
    assert (r.exit_code, json.loads(r.stdout)) == (0, [])
    export(cli, EXAMPLE, other / "tasks" / "x")
    export(cli, EXAMPLE, other / "parquet")
    assert cli("validate", other, "--as-of", "2021-06-30").exit_code == 0


# ---- item 3: a ledger name export refuses is refused in an export too -------------------

def renamed(good: Path, out: Path, name: str) -> Path:
    """A copy of the export `good` whose `ledger` column says `name` in every table."""
    shutil.copytree(good, out)
    for path in out.glob("*.parquet"):
        t = pq.read_table(path)
        i = t.schema.get_field_index("ledger")
        rewrite(path, t.set_column(i, "ledger", pa.array([name] * t.num_rows, pa.string())))
    return out


@pytest.mark.parametrize(("name", "shown"), [
    ("   ", "'   '"), ("a\nb", "'a\\nb'"), ("\u3000", "'\\u3000'"),
    ("x\u202ey", "'x\\u202ey'"), ("a\x1b[31m", "'a\\x1b[31m'")])
def test_rollup_refuses_a_ledger_name_export_refuses(cli: Cli, tmp_path: Path, name: str,
                                                     shown: str) -> None:
    """`_check_rows` tested only `if not name`: an export whose `ledger` column is blank
    (spaces, U+3000) or holds a line break, an escape or a bidi control — a name `export
    --name` refuses — rolled up under it (exit 0).  `analytics.refused_name` is now the
    one rule of both: refused, exit 2, the name shown as export shows it."""
    good = export(cli, EXAMPLE, tmp_path / "good")
    bad = renamed(good, tmp_path / "bad", name)
    r = cli("export", EXAMPLE, "-f", "parquet", "-o", tmp_path / "x", "--name", name,
            "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: the ledger name {shown} is blank or "
                                          "holds a control character: give one with --name\n")
    r = cli("rollup", "--from-parquet", bad, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: {bad} is not a consistent luoshi export: the ledger name "
                        f"{shown} is blank or holds a control "
                        "character (export it again with luoshi export --format parquet "
                        "--name NAME)\n")


def test_rollup_keeps_a_name_export_keeps(cli: Cli, tmp_path: Path) -> None:
    """Not a fix: the names export keeps (an ideographic space inside, spaces at either
    end: data, kept as written) still roll up, under that very name."""
    good = export(cli, EXAMPLE, tmp_path / "good")
    for name in ("碑林　台账", " yt "):
        out = renamed(good, tmp_path / f"ok-{len(name)}", name)
        r = cli("rollup", "--from-parquet", out, "-f", "json")
        assert r.exit_code == 0, r.stderr
        assert json.loads(r.stdout)["by_ledger"][0]["id"] == name


# ---- item 4: a table file that is a link or no regular file -----------------------------

def test_a_table_that_is_a_link_or_no_file_is_refused(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`tasks.parquet -> /etc/passwd` was followed (a file outside the export read: "cannot
    read …: Parquet magic bytes not found"), and a link to a good export's file rolled
    up as if it were this one's; a directory, a FIFO or a link to /dev/zero was "missing".
    Now each is refused for what it is, in one line, exit 2 — a link whatever it points
    to — and a FIFO is never opened (checked with lstat first; were one swapped in after
    that check, the open file is checked again: opened without waiting, refused)."""
    import os

    good = export(cli, EXAMPLE, tmp_path / "good")
    cases: dict[str, tuple[Callable[[Path], None], str]] = {
        "passwd": (lambda p: p.symlink_to("/etc/passwd"),
                   "is a symbolic link to /etc/passwd, not a file of the export: a roll-up "
                   "reads only the table files luoshi export writes and follows no link"),
        "other": (lambda p: p.symlink_to(good / "tasks.parquet"),
                  f"is a symbolic link to {good}/tasks.parquet, not a file of the export: a "
                  "roll-up reads only the table files luoshi export writes and follows no "
                  "link"),
        "zero": (lambda p: p.symlink_to("/dev/zero"),
                 "is a symbolic link to /dev/zero, not a file of the export: a roll-up reads "
                 "only the table files luoshi export writes and follows no link"),
        "dangling": (lambda p: p.symlink_to("nowhere.parquet"),
                     "is a symbolic link to nowhere.parquet, not a file of the export: a "
                     "roll-up reads only the table files luoshi export writes and follows no "
                     "link"),
        "dir": (lambda p: p.mkdir(),
                "is a directory, not a file: a roll-up reads only the table files luoshi "
                "export writes"),
        "fifo": (lambda p: os.mkfifo(p),
                 "is a named pipe (FIFO), not a file: a roll-up reads only the table files "
                 "luoshi export writes"),
    }
    for name, (make, said) in cases.items():
        d = tmp_path / name
        shutil.copytree(good, d)
        (d / "tasks.parquet").unlink()
        make(d / "tasks.parquet")
        r = cli("rollup", "--from-parquet", d, "--lang", "en")
        assert (r.exit_code, r.stdout) == (2, ""), name
        assert r.stderr == (f"luoshi: {d}/tasks.parquet {said} (export it again with luoshi "
                            f"export LEDGER --format parquet -o {d})\n"), name
    r = cli("rollup", "--from-parquet", tmp_path / "fifo")
    assert r.stderr == (f"luoshi: {tmp_path}/fifo/tasks.parquet 是命名管道（FIFO），不是文件：汇总只读 "
                        "luoshi export 写出的表文件（请用 luoshi export 台账目录 --format parquet -o "
                        f"{tmp_path}/fifo 重新导出）\n")
    # a FIFO swapped in after lstat said "a regular file": opened without waiting, refused
    real = os.lstat

    def regular(path: object, *args: object, **kwargs: object) -> os.stat_result:
        swapped = Path(str(path)) == tmp_path / "fifo" / "tasks.parquet"
        return real(good / "tasks.parquet" if swapped else path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "lstat", regular)
    r = cli("rollup", "--from-parquet", tmp_path / "fifo", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {tmp_path}/fifo/tasks.parquet {cases['fifo'][1]} "
                                          "(export it again with luoshi export LEDGER --format "
                                          f"parquet -o {tmp_path}/fifo)\n")


# ---- item 5: one ledger rolled up twice under two names --------------------------------

def test_one_ledger_under_two_names_is_said(cli: Cli, tmp_path: Path) -> None:
    """An export sent again under a new --name (or a copied ledger directory) rolled up
    silently, its 20 tasks counted twice (totals 40).  Now a warning on stderr names
    the two — same title, year and 20 tasks, ids and titles — and says the totals count
    both; stdout is what it was.  Not refused: two districts could keep the same tasks.
    The same ids and ledger title with other task titles (a city's template, or
    bench/gen.py's ledgers) are two ledgers: no warning."""
    a = export(cli, EXAMPLE, tmp_path / "a", "2021-06-30", "--name", "gaoxin")
    b = export(cli, EXAMPLE, tmp_path / "b", "2021-06-30", "--name", "gaoxin-again")
    said = ("luoshi: warning: the ledgers gaoxin and gaoxin-again have the same title "
            "(渭南高新区2021年度重点任务抓落实台账), year (2021) and 20 tasks (ids and titles): "
            "the same ledger given twice? The totals count the tasks of both\n")
    for fmt in ("json", "csv", "table"):
        r = cli("rollup", "--from-parquet", a, b, "-f", fmt, "--lang", "en")
        assert (r.exit_code, r.stderr) == (0, said), fmt
    doc = json.loads(cli("rollup", "--from-parquet", a, b, "-f", "json").stdout)
    assert doc["totals"]["tasks"] == 40
    r = cli("rollup", "--from-parquet", a, b)
    assert r.stderr == ("luoshi: 注意：台账 gaoxin 与 gaoxin-again 的标题（渭南高新区2021年度重点任务抓落实台账）"
                        "、年度（2021）和 20 项任务（编号与名称）都相同，可能是同一台账给出了两次："
                        "合计把两者的任务都计入了\n")
    # two directories holding one ledger, rolled up as ledgers
    for name in ("x", "y"):
        shutil.copytree(EXAMPLE, tmp_path / name / "wn",
                        ignore=shutil.ignore_patterns(".luoshi-cache"))
    r = cli("rollup", tmp_path / "x/wn", tmp_path / "y/wn", "--as-of", "2021-06-30",
            "-f", "csv", "--lang", "en")
    assert (r.exit_code, r.stderr) == (0, said.replace("gaoxin-again", "y/wn")
                                       .replace("gaoxin", "x/wn"))
    # one task title changed: two ledgers
    task = tmp_path / "y/wn/tasks"
    path = next(p for p in sorted(task.glob("*.yaml")) if "WN-001" in p.read_text("utf-8"))
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.strip().startswith("title:"))
    path.write_text(text.replace(line, line + "（二期）", 1), encoding="utf-8")
    r = cli("rollup", tmp_path / "x/wn", tmp_path / "y/wn", "--as-of", "2021-06-30",
            "-f", "csv")
    assert (r.exit_code, r.stderr) == (0, "")


# ---- item 6: a category id two ledgers name differently ---------------------------------

def test_a_category_named_differently_across_ledgers_is_said(cli: Cli, tmp_path: Path) -> None:
    """by_category merges a category id across ledgers under the first ledger's name
    (documented): `proj` named 重点项目建设 in gaoxin and 重点工程 in the copy was shown
    as 重点项目建设 alone, the other name unseen.  Now one line on stderr for each such
    id, naming the names and the ledgers, when the roll-up by category is printed
    (not with --by ledger, nor the CSV by ledger); stdout is what it was."""
    a = export(cli, EXAMPLE, tmp_path / "a", "2021-06-30", "--name", "gaoxin")
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other, ignore=shutil.ignore_patterns(".luoshi-cache"))
    config = other / "luoshi.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("title: 渭南高新区2021年度重点任务抓落实台账", "title: 另一台账", 1)
    text = text.replace("name: 重点项目建设,", "name: 重点工程,", 1)
    text = text.replace("name: 招商引资,", "name: 招商, ", 1)
    config.write_text(text, encoding="utf-8")
    b = export(cli, other, tmp_path / "b", "2021-06-30", "--name", "copy")
    c = export(cli, EXAMPLE, tmp_path / "c", "2021-06-30", "--name", "zz")
    expected = cli("rollup", "--from-parquet", a, b, c, "-f", "json").stdout
    r = cli("rollup", "--from-parquet", a, b, c, "-f", "json", "--lang", "en")
    assert r.exit_code == 0 and r.stdout == expected
    # (gaoxin and zz are one ledger twice: said first)
    assert r.stderr.splitlines()[1:] == [
        "luoshi: note: the category invest is named differently across ledgers (招商 in copy; "
        "招商引资 in gaoxin, zz): the roll-up by category counts it once, named 招商 (the first "
        "ledger's)",
        "luoshi: note: the category proj is named differently across ledgers (重点工程 in copy; "
        "重点项目建设 in gaoxin, zz): the roll-up by category counts it once, named 重点工程 "
        "(the first ledger's)"]
    names = {e["id"]: e["name"] for e in json.loads(expected)["by_category"]}
    assert (names["proj"], names["invest"]) == ("重点工程", "招商")
    r = cli("rollup", "--from-parquet", a, b, "-f", "table", "--by", "category")
    assert r.stderr.splitlines() == [
        "luoshi: 注意：类别 invest 在 copy 中名为 招商，在 gaoxin 中名为 招商引资：按类别汇总时合为一项，"
        "名称取第一个台账的 招商",
        "luoshi: 注意：类别 proj 在 copy 中名为 重点工程，在 gaoxin 中名为 重点项目建设：按类别汇总时合为一项，"
        "名称取第一个台账的 重点工程"]
    for args in (("-f", "csv"), ("-f", "json", "--by", "ledger"), ("--by", "lead")):
        r = cli("rollup", "--from-parquet", a, b, *args)
        assert (r.exit_code, r.stderr) == (0, ""), args
    r = cli("rollup", "--from-parquet", a, b, "-f", "csv", "--by", "category")
    assert len(r.stderr.splitlines()) == 2
