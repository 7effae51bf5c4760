"""The city roll-up audit (fix-cityfix): refusals that name the export or ledger at
fault, SIGTERM during `rollup LEDGER...`, options parquet does not use, `-o` messages,
an older export's version, a damaged file, several errored ledgers, the memory
refusal's pointer, and a ledger of another year than --as-of.  Real ledgers, real
Parquet, real DuckDB.  Each test failed on the code before its fix."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BEILIN, EXAMPLE, REPO, Run

Cli = Callable[..., Run]
KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"


def export(cli: Cli, ledger: Path, out: Path, as_of: str, *extra: str) -> Path:
    r = cli("export", ledger, "-f", "parquet", "-o", out, "--as-of", as_of, *extra)
    assert r.exit_code == 0, r.stderr
    return out


# ---- item 1: a refused roll-up names the exports / ledgers at fault ---------------------

def test_exports_of_different_dates_are_named(cli: Cli, tmp_path: Path) -> None:
    """`导出的截至日期不一致（2024-04-30、2024-05-31）` said neither which export nor any
    date between the first and last: now every date, with the exports made at it."""
    a = export(cli, EXAMPLE, tmp_path / "wn", "2021-06-30")
    b = export(cli, BEILIN, tmp_path / "bl", "2024-05-31")
    c = export(cli, KAOHE, tmp_path / "kh", "2024-04-30")
    r = cli("rollup", "--from-parquet", a, b, c)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: 导出的截至日期不一致（2021-06-30：{a}；2024-04-30：{c}；"
                        f"2024-05-31：{b}）：请用同一个 --as-of 重新导出\n")
    r = cli("rollup", "--from-parquet", a, b, c, "--lang", "en")
    assert r.stderr == (f"luoshi: the exports are as of different dates (2021-06-30: {a}; "
                        f"2024-04-30: {c}; 2024-05-31: {b}): export them again with the "
                        "same --as-of\n")
    r = cli("rollup", "--from-parquet", a, b, c, "--as-of", "2024-05-31")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: 导出 {a} 截至 2021-06-30，导出 {c} 截至 "
                                          "2024-04-30，不是 --as-of 2024-05-31：请用 --as-of "
                                          "2024-05-31 重新导出\n")
    r = cli("rollup", "--from-parquet", a, b, "--as-of", "2024-05-31", "--lang", "en")
    assert r.stderr == (f"luoshi: the export {a} is as of 2021-06-30, not --as-of "
                        "2024-05-31: export again with --as-of 2024-05-31\n")


def test_many_exports_of_different_dates_name_the_few(cli: Cli, tmp_path: Path) -> None:
    """With many districts, the date most share is counted, the others named (at most
    five a date, then counted)."""
    good = export(cli, BEILIN, tmp_path / "b0", "2024-05-31")
    old = export(cli, KAOHE, tmp_path / "k0", "2024-04-30")
    dirs = [good]
    for i in range(1, 7):  # each its own ledger name
        dirs.append(export(cli, BEILIN, tmp_path / f"b{i}", "2024-05-31", "--name", f"b{i}"))
    r = cli("rollup", "--from-parquet", *dirs, old)
    assert (r.exit_code, r.stderr) == (2, f"luoshi: 导出的截至日期不一致（2024-04-30：{old}；"
                                          "2024-05-31：其余 7 个导出）：请用同一个 --as-of 重新导出\n")
    olds = [export(cli, KAOHE, tmp_path / f"k{i}", "2024-04-30", "--name", f"k{i}")
            for i in range(1, 7)]
    r = cli("rollup", "--from-parquet", good, old, *olds, "--as-of", "2024-05-31",
            "--lang", "en")
    shown = ", ".join(str(d) for d in [old, *olds][:5])
    assert r.stderr == (f"luoshi: the exports {shown} and 2 more are as of 2024-04-30, not "
                        "--as-of 2024-05-31: export again with --as-of 2024-05-31\n")


def test_ledgers_of_different_years_are_named(cli: Cli, tmp_path: Path) -> None:
    wn = shutil.copytree(EXAMPLE, tmp_path / "wn")
    bl = shutil.copytree(BEILIN, tmp_path / "bl")
    kh = shutil.copytree(KAOHE, tmp_path / "kh")
    r = cli("rollup", wn, bl, kh)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: 各台账的年度不同（2021：{wn}；2024：{bl}、{kh}），默认截至日期也不同"
                        "（2021-12-31、2024-12-31）：请用 --as-of 给出同一个日期\n")


# ---- item 2: SIGTERM during `rollup LEDGER...` cleans the temporary exports -------------

def test_sigterm_during_rollup_of_ledgers_removes_the_temporary_exports(tmp_path: Path) -> None:
    """A real `luoshi rollup LEDGER...` process, held after its first ledger's export
    is written into $TMPDIR/luoshi-rollup-*/ (a pause added to `write_parquet`), is sent
    SIGTERM: it exits 143 and leaves nothing in $TMPDIR.  Before, SIGTERM's default
    action killed it with the district's Parquet files left behind."""
    import os
    import signal
    import subprocess
    import sys

    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    wn = shutil.copytree(EXAMPLE, tmp_path / "wn")
    bl = shutil.copytree(BEILIN, tmp_path / "bl")
    held = ("import sys, time\n"
            "import luoshi_cli.cli.rollup_cmd as m\n"
            "real = m.write_parquet\n"
            "def write(*a, **k):\n"
            "    r = real(*a, **k)\n"
            "    print('written', flush=True)\n"
            "    time.sleep(60)\n"
            "    return r\n"
            "m.write_parquet = write\n"
            "from luoshi_cli.__main__ import main\n"
            "sys.argv = ['luoshi', 'rollup', sys.argv[1], sys.argv[2], '--as-of', "
            "'2024-05-31']\n"
            "main()\n")
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    proc = subprocess.Popen([sys.executable, "-c", held, str(wn), str(bl)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "written\n", proc.stderr.read() if proc.stderr else ""
        left = [p for p in tmpdir.rglob("*.parquet")]
        assert left, "the first ledger's export is in $TMPDIR"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 143
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert list(tmpdir.iterdir()) == []


# ---- item 3: options parquet does not use are refused ----------------------------------

def test_parquet_export_refuses_the_per_unit_options(cli: Cli, tmp_path: Path) -> None:
    """`export -f parquet --per-unit --month 2024-05 --force` wrote the Parquet tables
    and ignored all three (exit 0): refused in one line, exit 2, nothing written."""
    out = tmp_path / "pu"
    r = cli("export", BEILIN, "-f", "parquet", "-o", out, "--per-unit", "--month", "2024-05",
            "--force")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: --format parquet 不用 --per-unit、--month、--force（只用于 Excel 的 "
                        "--per-unit 填报表）：请去掉\n")
    assert not out.exists()
    r = cli("export", BEILIN, "-f", "parquet", "-o", out, "--force", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, "luoshi: --format parquet does not take --force (options "
                                          "of the --per-unit workbooks): leave it out\n")
    assert not out.exists()


# ---- item 4: `-o .`, `-o LINK`, and the system's reason in Chinese ---------------------

def test_dot_as_output_is_the_current_directory(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o .` was taken for "no -o" (pathlib: Path(".") == Path()) and told `请用 -o DIR
    指定输出目录`; it is the current directory, as `-o "$PWD"` names it."""
    here = tmp_path / "here"
    here.mkdir()
    (here / "notes.txt").write_text("x")
    monkeypatch.chdir(here)
    r = cli("export", BEILIN, "-f", "parquet", "-o", ".", "--as-of", "2024-05-31")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {here} 已存在且不是 luoshi 导出的 Parquet 目录"
                                          "（只含 ledger.parquet 等 luoshi 自己的表文件）：不覆盖，请换一个目录\n")
    r = cli("export", BEILIN, "--per-unit", "-o", ".", "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "已写入 31 个单位 2024-05 的填报表到 .\n"
    assert (here / "区发改委.xlsx").is_file()
    # without -o, still asked for
    r = cli("export", BEILIN, "-f", "parquet")
    assert (r.exit_code, r.stderr) == (2, "luoshi: 请用 -o DIR 指定输出目录\n")
    r = cli("export", BEILIN, "--per-unit")
    assert (r.exit_code, r.stderr) == (2, "luoshi: 请用 -o DIR 指定输出目录\n")


def test_a_link_as_output_is_said_to_be_one(cli: Cli, tmp_path: Path) -> None:
    """`-o lnk` (a link to a genuine export) said `已存在且不是 luoshi 导出的 Parquet 目录`."""
    real = export(cli, BEILIN, tmp_path / "real", "2024-05-31")
    link = tmp_path / "lnk"
    link.symlink_to(real)
    r = cli("export", BEILIN, "-f", "parquet", "-o", link, "--as-of", "2024-05-31")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {link} 是指向 {real} 的符号链接：导出不经由链接"
                                          "写入，也不替换链接：请用 -o 给出目录本身的路径\n")
    r = cli("export", BEILIN, "-f", "parquet", "-o", link, "--lang", "en")
    assert r.stderr == (f"luoshi: {link} is a symbolic link to {real}: an export is neither "
                        "written through a link nor replaces one: give the directory's own "
                        "path with -o\n")
    assert link.is_symlink()


def test_the_system_reason_is_said_in_chinese(cli: Cli, tmp_path: Path) -> None:
    """`-o /proc/x`: `无法写入 /proc/x：No such file or directory` (the OS's English in a
    Chinese line); the English line keeps the system's words."""
    r = cli("export", BEILIN, "-f", "parquet", "-o", "/proc/luoshi-x", "--as-of", "2024-05-31")
    assert (r.exit_code, r.stderr) == (2, "luoshi: 无法写入 /proc/luoshi-x：文件或目录不存在\n")
    r = cli("export", BEILIN, "-f", "parquet", "-o", "/proc/luoshi-x", "--as-of", "2024-05-31",
            "--lang", "en")
    assert r.stderr == "luoshi: cannot write /proc/luoshi-x: No such file or directory\n"


# ---- item 5: an older luoshi's export is told by its version ---------------------------

def test_an_older_export_is_refused_by_its_schema_version(cli: Cli, tmp_path: Path) -> None:
    """An export of schema 4 (no `description` in ledger, categories; no `short_name`
    in units) was refused as `…的列与本版 luoshi 的表结构（版本 7）不同`; the documented
    refusal names its version."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from luoshi_cli.analytics.tables import SCHEMA_VERSION

    old = export(cli, KAOHE, tmp_path / "old", "2024-05-31")
    t = pq.read_table(old / "ledger.parquet")
    i = t.column_names.index("schema_version")
    t = t.set_column(i, t.schema.field(i), pa.array([4], pa.int32())).drop(["description"])
    pq.write_table(t, old / "ledger.parquet")
    for table, col in (("categories", "description"), ("units", "short_name")):
        pq.write_table(pq.read_table(old / f"{table}.parquet").drop([col]),
                       old / f"{table}.parquet")
    r = cli("rollup", "--from-parquet", old, "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {old}/ledger.parquet is of schema version 4, "
                                          f"not this luoshi's {SCHEMA_VERSION}: export it again "
                                          "with this version\n")
    # the columns differ, the version is this one's: said as columns
    t = pq.read_table(old / "ledger.parquet")
    t = t.set_column(i, t.schema.field(i), pa.array([SCHEMA_VERSION], pa.int32()))
    pq.write_table(t, old / "ledger.parquet")
    r = cli("rollup", "--from-parquet", old, "--lang", "en")
    assert r.stderr == (f"luoshi: {old}/ledger.parquet does not have the columns of this "
                        f"luoshi's schema (version {SCHEMA_VERSION}): export it again with "
                        "this version\n")


# ---- item 6: a damaged file is said to be one, in the line's language -------------------

def test_a_damaged_table_file_is_said_to_be_no_readable_parquet(
        cli: Cli, tmp_path: Path) -> None:
    """A truncated `task_status.parquet` gave `无法读取 …：Parquet magic bytes not found in
    footer…` (pyarrow's English as the whole reason in a Chinese line)."""
    good = export(cli, KAOHE, tmp_path / "good", "2024-05-31")
    trunc = shutil.copytree(good, tmp_path / "trunc")
    data = (trunc / "task_status.parquet").read_bytes()
    (trunc / "task_status.parquet").write_bytes(data[:len(data) // 2])
    r = cli("rollup", "--from-parquet", trunc)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: 无法读取 {trunc}/task_status.parquet：不是可读的 Parquet 文件，可能已"
                        "损坏或不完整（Parquet magic bytes not found in footer. Either the file "
                        "is corrupted or this is not a parquet file.）：请用 luoshi export "
                        f"台账目录 --format parquet -o {trunc} 重新导出\n")
    zero = shutil.copytree(good, tmp_path / "zero")
    (zero / "tasks.parquet").write_bytes(b"")
    r = cli("rollup", "--from-parquet", zero, "--lang", "en")
    assert r.stderr == (f"luoshi: cannot read {zero}/tasks.parquet: not a readable Parquet "
                        "file, perhaps damaged or truncated (Parquet file size is 0 bytes): "
                        f"export it again with luoshi export LEDGER --format parquet -o {zero}\n")


# ---- item 7: every ledger's errors are reported ----------------------------------------

def test_every_errored_ledger_is_reported(cli: Cli, tmp_path: Path) -> None:
    """`rollup A B` with errors in both reported A's only (the first rejection ended the
    list comprehension): now each ledger's errors, named by its path, then one line
    counting each, exit 1."""
    a = shutil.copytree(EXAMPLE, tmp_path / "a")
    b = shutil.copytree(BEILIN, tmp_path / "b")
    good = shutil.copytree(KAOHE, tmp_path / "good")
    for led in (a, b):
        with (led / "luoshi.yaml").open("a", encoding="utf-8") as fh:
            fh.write("\nbroken: [\n")
    r = cli("rollup", a, good, b, "--as-of", "2024-05-31")
    assert (r.exit_code, r.stdout) == (1, "")
    lines = r.stderr.splitlines()
    assert [x.split(":")[0] for x in lines[:-1]] == [f"{a}/luoshi.yaml", f"{b}/luoshi.yaml"]
    assert all(" error LS010 " in x for x in lines[:-1])
    # each named: a bare `luoshi validate` from the city folder finds no luoshi.yaml
    assert lines[-1] == (f"luoshi: 2 个台账有错误（{a} 1 个、{b} 1 个），请先修正（逐个运行 "
                         f"luoshi validate 台账目录 查看，如 luoshi validate {a}）")
    r = cli("rollup", a, b, "--lang", "en")
    assert r.stderr.splitlines()[-1] == (f"luoshi: 2 ledgers have errors ({a}: 1 error, {b}: 1 "
                                         "error); fix them first (see luoshi validate LEDGER "
                                         f"for each, e.g. luoshi validate {a})")
    spaced = shutil.copytree(a, tmp_path / "my a")  # quoted for the shell
    r = cli("rollup", spaced, b, "--lang", "en")
    assert r.stderr.splitlines()[-1].endswith(f"e.g. luoshi validate '{spaced}')")
    # one: its own refusal, as before
    r = cli("rollup", a, good, "--as-of", "2024-05-31")
    assert (r.exit_code, r.stderr.splitlines()[-1]) == (
        1, f"luoshi: 台账有 1 个错误，请先修正（luoshi validate {a} 查看全部）")


# ---- item 8: the SQL the refusals point to, and the glob's dates ------------------------

def test_the_memory_refusal_points_to_the_sql_section() -> None:
    """The memory refusals said `(SQL 见 README)`; the README has no SQL: they name the
    REFERENCE section, whose heading must make that anchor (GitHub's rule: lower case,
    punctuation dropped, spaces to hyphens)."""
    import re

    from luoshi_cli.analytics.rollup import SQL_DOC

    doc, anchor = SQL_DOC.split("#")
    headings = [line.lstrip("#").strip() for line in (REPO / doc).read_text("utf-8").splitlines()
                if line.startswith("#")]
    made = [re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings]
    assert anchor in made


def test_the_duckdb_glob_snippet_keeps_one_date(cli: Cli, tmp_path: Path) -> None:
    """The REFERENCE's DuckDB snippet (`read_parquet('exports/*/task_status.parquet')`)
    silently mixed exports of different dates; run as documented over two exports of
    2024-05-31 and one of 2024-04-30, its check shows two dates and its views keep only
    2024-05-31's rows."""
    import duckdb

    text = (REPO / "docs" / "REFERENCE.md").read_text("utf-8")
    block = text.split("-- DuckDB (duckdb CLI or Python): a glob over every district's "
                       "export\n")[1].split("```")[0]
    exports = tmp_path / "exports"
    export(cli, BEILIN, exports / "bl", "2024-05-31")
    export(cli, EXAMPLE, exports / "wn", "2024-05-31")
    export(cli, KAOHE, exports / "kh", "2024-04-30")
    sql = block.replace("'exports/", f"'{exports}/")
    check, views = sql.split("-- 2.")
    con = duckdb.connect()
    rows = con.execute(check.split("\n", 1)[1]).fetchall()
    assert [(str(d), n) for d, n, _ in rows] == [("2024-04-30", 1), ("2024-05-31", 2)]
    for statement in views.split(";")[:-1]:
        con.execute(statement.split("\n", 1)[1])
    assert con.execute("SELECT DISTINCT ledger FROM task_status ORDER BY 1").fetchall() == [
        ("beilin-2024",), ("weinan-2021",)]
    assert con.execute("SELECT DISTINCT ledger FROM categories ORDER BY 1").fetchall() == [
        ("beilin-2024",), ("weinan-2021",)]


# ---- item 9: a ledger of another year than --as-of is noted ----------------------------

def test_a_ledger_of_another_year_than_as_of_is_noted(cli: Cli, tmp_path: Path) -> None:
    """weinan (2021) rolled up with beilin (2024) at --as-of 2024-05-31 — 17 of its 20
    tasks red, over 1,000 days overdue — without a word: a note names it (stderr, not a
    refusal); ledgers of the as-of's year get none."""
    wn = shutil.copytree(EXAMPLE, tmp_path / "weinan")
    bl = shutil.copytree(BEILIN, tmp_path / "beilin")
    r = cli("rollup", bl, wn, "--as-of", "2024-05-31", "--by", "ledger")
    assert r.exit_code == 0
    assert r.stderr == ("luoshi: 注意：台账 weinan（2021）的年度不是截至日期 2024-05-31 所在的 2024 年："
                        "其任务也按该日期评判（其他年度的节点可能已逾期多年，或尚未到期）\n")
    r = cli("rollup", bl, wn, "--as-of", "2024-05-31", "-f", "json", "--lang", "en")
    assert r.stderr == ("luoshi: note: the ledger weinan (2021) is not of 2024, the year of "
                        "the as-of date 2024-05-31: its tasks are judged at that date too "
                        "(another year's milestones may be years overdue, or not yet due)\n")
    r = cli("rollup", bl, "--as-of", "2024-05-31", "--by", "ledger")
    assert (r.exit_code, r.stderr) == (0, "")
    # the January office's as-of, in the 2024 ledger's grace (core.yearend): not noted
    r = cli("rollup", bl, wn, "--as-of", "2025-01-10", "--by", "ledger")
    assert (r.exit_code, r.stderr) == (
        0, "luoshi: 注意：台账 weinan（2021）的年度不是截至日期 2025-01-10 所在的 2025 年："
           "其任务也按该日期评判（其他年度的节点可能已逾期多年，或尚未到期）\n")
    r = cli("rollup", bl, "--as-of", "2025-04-01", "--by", "ledger")
    assert r.stderr.startswith("luoshi: 注意：台账 beilin（2024）的年度不是截至日期 2025-04-01")
