"""`luoshi export --format parquet` and `luoshi rollup` (SPEC §13): real Parquet files,
real DuckDB.  The roll-up's figures of one ledger must be that ledger's own
`luoshi status` figures, at every as-of date."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import BEILIN, EXAMPLE, Run

Cli = Callable[..., Run]

#: dates before, inside and after each ledger's year: status at as-of changes with them
EXAMPLE_DATES = ("2021-03-31", "2021-06-30", "2021-12-31")
BEILIN_DATES = ("2024-01-15", "2024-05-31", "2024-09-30", "2025-01-06")


def export(cli: Cli, ledger: Path, out: Path, as_of: str, *extra: str) -> Path:
    r = cli("export", ledger, "--format", "parquet", "-o", out, "--as-of", as_of, *extra)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    return out


def status_doc(cli: Cli, ledger: Path, as_of: str) -> dict[str, Any]:
    r = cli("status", ledger, "--as-of", as_of, "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


def status_totals(cli: Cli, ledger: Path, as_of: str) -> dict[str, Any]:
    totals: dict[str, Any] = status_doc(cli, ledger, as_of)["totals"]
    return totals


def rollup_json(cli: Cli, *args: str | Path) -> dict[str, Any]:
    r = cli("rollup", *args, "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


def _totals_only(entry: dict[str, Any]) -> dict[str, Any]:
    """A by_ledger entry as `status` totals: the same keys, without id and name."""
    return {k: v for k, v in entry.items() if k not in ("id", "name")}


@pytest.mark.parametrize(("ledger", "dates"), [(EXAMPLE, EXAMPLE_DATES),
                                               (BEILIN, BEILIN_DATES)])
def test_per_ledger_totals_equal_status(cli: Cli, tmp_path: Path, ledger: Path,
                                        dates: tuple[str, ...]) -> None:
    for day in dates:
        status = status_doc(cli, ledger, day)
        expected = status["totals"]
        out = export(cli, ledger, tmp_path / day, day)
        doc = rollup_json(cli, "--from-parquet", out, "--as-of", day)
        assert doc["as_of"] == day
        assert doc["totals"] == expected, day
        # one ledger: its roll-ups are status's, entry for entry, in the same order
        assert doc["by_category"] == status["by_category"], day
        assert doc["by_group"] == status["by_group"], day
        assert [{k: v for k, v in e.items() if k != "ledger"} for e in doc["by_lead"]] == (
            status["by_lead"]), day
        assert {e["ledger"] for e in doc["by_lead"]} <= {ledger.name}
        red = [t for t in status["tasks"] if t["light"] == "red"]
        assert [(t["id"], len(t["overdue"]), t["overdue"][0]["due"], t["overdue"][0]["days"])
                for t in red] == [
            (t["id"], t["overdue_milestones"], t["first_overdue_due"], t["days_overdue"])
            for t in doc["red"]], day
        [entry] = doc["by_ledger"]
        assert entry["id"] == ledger.name
        assert _totals_only(entry) == {k: expected[k] for k in entry if k not in ("id", "name")}
        # straight from the ledger directory: the same figures
        assert rollup_json(cli, ledger, "--as-of", day)["totals"] == expected


def test_two_ledgers_add_up(cli: Cli, tmp_path: Path) -> None:
    """A city over two districts, judged at one date: totals are the sums, rates are
    recomputed from the summed counts, and each ledger keeps its own figures."""
    day = "2024-05-31"
    a = export(cli, EXAMPLE, tmp_path / "a", day)
    b = export(cli, BEILIN, tmp_path / "b", day)
    doc = rollup_json(cli, "--from-parquet", a, b)
    ta, tb = status_totals(cli, EXAMPLE, day), status_totals(cli, BEILIN, day)
    assert ta["tasks"] == 20 and tb["tasks"] == 35
    assert doc["ledgers"] == 2
    assert doc["totals"] == {
        "tasks": 55, "green": 31, "yellow": 3, "red": 19,
        "completion_rate": 3.64, "on_time_rate": 55.81,
        "by_status": {"planned": 2, "in_progress": 50, "done": 1, "closing": 0, "closed": 1,
                      "suspended": 1},
        "milestones_due": 86, "milestones_on_time": 48,
    }
    for key in ("tasks", "green", "yellow", "red", "milestones_due", "milestones_on_time"):
        assert doc["totals"][key] == ta[key] + tb[key], key
    assert [e["id"] for e in doc["by_ledger"]] == ["beilin-2024", "weinan-2021"]
    assert _totals_only(doc["by_ledger"][0]) == tb
    assert _totals_only(doc["by_ledger"][1]) == ta
    # the red list: every red task of both, by ledger then id
    red = [(t["ledger"], t["id"]) for t in doc["red"]]
    assert len(red) == 19 and red == sorted(red)
    assert doc["red"][0]["ledger"] == "beilin-2024"
    # by lead: each entry names its ledger; the lists add up to the totals
    assert sum(e["tasks"] for e in doc["by_lead"]) == 55
    assert sum(e["tasks"] for e in doc["by_category"]) == 55
    assert list(doc) == ["as_of", "ledgers", "totals", "by_ledger", "by_category", "by_group",
                         "ungrouped", "by_lead", "red"]


def test_rollup_of_directories_equals_rollup_of_exports(cli: Cli, tmp_path: Path) -> None:
    day = "2024-05-31"
    a = export(cli, EXAMPLE, tmp_path / "a", day)
    b = export(cli, BEILIN, tmp_path / "b", day)
    for fmt in ("json", "csv", "table"):
        direct = cli("rollup", EXAMPLE, BEILIN, "--as-of", day, "-f", fmt)
        files = cli("rollup", "--from-parquet", a, b, "-f", fmt)
        assert direct.exit_code == files.exit_code == 0
        assert direct.stdout == files.stdout, fmt


def test_csv_by_ledger(cli: Cli, tmp_path: Path) -> None:
    """With a byte-order mark, as status and score CSV: Excel shows the Chinese names."""
    r = cli("rollup", EXAMPLE, "--as-of", "2021-06-30", "-f", "csv")
    assert r.exit_code == 0
    assert r.stdout == (
        "\ufeffledger,id,name,tasks,planned,in_progress,done,closing,closed,suspended,green,yellow,"
        "red,completion_rate,on_time_rate,milestones_due,milestones_on_time\n"
        "weinan-2021,weinan-2021,渭南高新区2021年度重点任务抓落实台账,20,1,16,1,0,1,1,12,3,3,"
        "10.00,61.90,21,13\n")


def test_table_starts_with_overall_figures(cli: Cli) -> None:
    r = cli("rollup", EXAMPLE, "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[:5] == [
        "Roll-up of 1 ledger — as of 2021-06-30",
        "",
        "Overall",
        "tasks  plan  prog  done  clsg  clsd  susp  red  yel  grn  compl%  on time%",
        "─" * 74,
    ]
    assert lines[5] == "   20     1    16     1     0     1     1    3    3   12   10.00     61.90"
    assert "weinan-2021  WN-011 城中村改造入户签约" in r.stdout
    assert all(line == line.rstrip() for line in lines)
    # without --lang: the ledger's own language (zh), as status
    zh = cli("rollup", EXAMPLE, "--as-of", "2021-06-30", env={"LUOSHI_LANG": "en"}).stdout
    assert zh.splitlines()[0] == "1 个台账汇总 — 截至 2021-06-30"


def test_schema_exactly(cli: Cli, tmp_path: Path) -> None:
    """The column names and types are a public contract (README "Analytics")."""
    out = export(cli, EXAMPLE, tmp_path / "x", "2021-06-30")
    d = pa.decimal128(18, 6)
    s, i, day, b, ids = pa.string(), pa.int32(), pa.date32(), pa.bool_(), pa.list_(pa.string())
    expected = {
        "ledger": [("ledger", s), ("title", s), ("year", i), ("issuer", s), ("doc_no", s),
                   ("language", s), ("warn_days", i), ("progress_tolerance", d),
                   ("as_of", day), ("luoshi_version", s), ("schema_version", i),
                   ("cc", s), ("printed_by", s), ("reporting_cadence", s),
                   ("reporting_day", i), ("supervised", b), ("description", s)],
        "categories": [("ledger", s), ("category_id", s), ("name", s), ("group_name", s),
                       ("position", i), ("planned", i), ("description", s)],
        "units": [("ledger", s), ("unit_id", s), ("name", s), ("kind", s), ("assessed", b),
                  ("position", i), ("short_name", s)],
        "leaders": [("ledger", s), ("leader_id", s), ("name", s), ("title", s),
                    ("position", i)],
        "tasks": [("ledger", s), ("task_id", s), ("title", s), ("category_id", s),
                  ("lead_unit_id", s), ("leader_ids", ids), ("unit_ids", ids),
                  ("cooperating_unit_ids", ids), ("start", day), ("last_due", day),
                  ("standard", s), ("status", s), ("progress", d), ("closed_date", day),
                  ("closed_approved_by", s), ("locked", b), ("file", s),
                  ("parent_task_id", s), ("target_value", d), ("target_unit", s),
                  ("tags", ids), ("owners", ids), ("unit_leaders", ids), ("note", s),
                  ("closed_evidence", s)],
        "milestones": [("ledger", s), ("task_id", s), ("seq", i), ("due", day),
                       ("done", day), ("standard", s), ("target_value", d), ("note", s)],
        "updates": [("ledger", s), ("task_id", s), ("month", s), ("progress", d),
                    ("note", s), ("actual", d), ("problems", s)],
        "task_status": [("ledger", s), ("as_of", day), ("task_id", s), ("category_id", s),
                        ("group_name", s), ("lead_unit_id", s), ("status", s),
                        ("light", s), ("expected", d), ("progress", d),
                        ("milestones_due", i), ("milestones_on_time", i),
                        ("overdue_milestones", i), ("first_overdue_due", day),
                        ("max_days_overdue", i), ("due_soon_milestones", i),
                        ("behind_points", d), ("stale_month", s)],
        "scores": [("ledger", s), ("period", s), ("unit_id", s), ("component_id", s),
                   ("component_name", s), ("score", d)],
        "unit_scores": [("ledger", s), ("period", s), ("unit_id", s), ("unit_name", s),
                        ("score", d), ("grade", s), ("rank", i), ("deductions", d),
                        ("interview", b), ("group_id", s), ("group_name", s),
                        ("bonuses", d), ("base_grade", s), ("quota_from", s),
                        ("rules_applied", ids), ("missing", ids), ("not_applicable", ids),
                        ("missing_periods", ids)],
        "findings": [("ledger", s), ("code", s), ("severity", s), ("file", s), ("line", i),
                     ("col", i), ("message", s)],
        "tags": [("ledger", s), ("tag_id", s), ("name", s), ("position", i),
                 ("description", s)],
        "task_flags": [("ledger", s), ("task_id", s), ("seq", i), ("kind", s),
                       ("flag_date", day), ("awarded_by", s), ("note", s)],
        "adjustments": [("ledger", s), ("task_id", s), ("seq", i), ("adjustment_date", day),
                        ("field", s), ("approved_by", s), ("reason", s)],
        "interviews": [("ledger", s), ("seq", i), ("unit_id", s), ("interview_date", day),
                       ("kind", s), ("held_by", s), ("reason", s), ("task_ids", ids),
                       ("file", s), ("note", s), ("period", s)],
        "rectifications": [("ledger", s), ("rectification_id", s), ("unit_id", s),
                           ("task_ids", ids), ("source", s), ("opened", day), ("due", day),
                           ("report_date", day), ("closed_date", day),
                           ("closed_approved_by", s), ("closed_evidence", s), ("file", s),
                           ("reason", s), ("note", s), ("report_note", s)],
        "supervision_files": [("ledger", s), ("file", s), ("note", s), ("position", i)],
        # the scoring records, entry by entry (new files of schema 7)
        "records": [("ledger", s), ("period", s), ("file", s), ("note", s)],
        "deductions": [("ledger", s), ("period", s), ("seq", i), ("unit_id", s),
                       ("deduction_category_id", s), ("deduction_category_name", s),
                       ("deduction_date", day),
                       ("points", d), ("media", b), ("deducted", d), ("reason", s),
                       ("provisional", b), ("restored_date", day),
                       ("restored_approved_by", s), ("restored_reason", s)],
        "bonuses": [("ledger", s), ("period", s), ("seq", i), ("unit_id", s),
                    ("bonus_category_id", s), ("bonus_category_name", s), ("bonus_date", day),
                    ("points", d), ("reason", s)],
        "record_flags": [("ledger", s), ("period", s), ("seq", i), ("unit_id", s),
                         ("kind", s), ("flag_date", day), ("reason", s)],
        "task_quality": [("ledger", s), ("period", s), ("task_id", s), ("unit_id", s),
                         ("quality", d)],
        "item_points": [("ledger", s), ("period", s), ("unit_id", s), ("component_id", s),
                        ("item_id", s), ("item_name", s), ("points", d)],
        "not_applicable": [("ledger", s), ("period", s), ("unit_id", s),
                           ("component_id", s)],
    }
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in expected)
    for table, columns in expected.items():
        schema = pq.read_schema(out / f"{table}.parquet")
        assert [(f.name, f.type) for f in schema] == columns, table


def test_rows_hold_the_ledger(cli: Cli, tmp_path: Path) -> None:
    """One row per entity, read back by DuckDB with the ledger's own values."""
    out = export(cli, EXAMPLE, tmp_path / "x", "2021-06-30")
    con = duckdb.connect()

    def q(sql: str) -> list[tuple[Any, ...]]:
        return con.execute(sql.replace("@", str(out) + "/")).fetchall()

    assert q("SELECT count(*) FROM '@tasks.parquet'") == [(20,)]
    assert q("SELECT count(*) FROM '@task_status.parquet'") == [(20,)]
    assert q("SELECT ledger, title, year, as_of::VARCHAR, schema_version "
             "FROM '@ledger.parquet'") == [
        ("weinan-2021", "渭南高新区2021年度重点任务抓落实台账", 2021, "2021-06-30", 7)]
    [(light, expected, first, days)] = q(
        "SELECT light, expected, first_overdue_due::VARCHAR, max_days_overdue "
        "FROM '@task_status.parquet' WHERE task_id = 'WN-011'")
    assert (light, expected, first, days) == ("red", Decimal("59.41"), "2021-05-31", 30)
    # scores: four quarters and the year, every assessed unit, every component
    periods = q("SELECT DISTINCT period FROM '@unit_scores.parquet' ORDER BY 1")
    assert periods == [("2021",), ("2021-Q1",), ("2021-Q2",), ("2021-Q3",), ("2021-Q4",)]
    assert q("SELECT score, grade, rank FROM '@unit_scores.parquet' "
             "WHERE period = '2021' AND unit_id = 'dangqunbu'") == [
        (Decimal("94.230000"), "优秀", 1)]
    assert q("SELECT score FROM '@scores.parquet' WHERE period = '2021' "
             "AND unit_id = 'dangqunbu' AND component_id = 'special'") == [(Decimal("94.51"),)]
    from luoshi_cli.load.assemble import open_ledger

    led = open_ledger(EXAMPLE).ledger
    assert q("SELECT count(*) FROM '@milestones.parquet'") == [
        (sum(len(t.milestones) for t in led.tasks),)]
    assert q("SELECT count(*) FROM '@updates.parquet'") == [
        (sum(len(t.updates) for t in led.tasks),)]
    assert q("SELECT count(*) FROM '@findings.parquet'") == [(0,)]


def test_findings_are_exported(example: Path, cli: Cli, tmp_path: Path) -> None:
    """Warnings travel with the data, so an analyst sees the ledger's quality."""
    units = example / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace(", assessed: false}", "}"),
                     encoding="utf-8")
    out = export(cli, example, tmp_path / "x", "2021-06-30", "--lang", "en", "--name", "wn")
    rows = pq.read_table(out / "findings.parquet").to_pylist()
    assert rows == [{
        "ledger": "wn", "code": "LS412", "severity": "warning", "file": "units.yaml",
        "line": 18, "col": 10,
        "message": "unit kaoheban (目标任务考核领导小组办公室) is scored in no record and is "
                   "left out of the ranking: score it, or mark it assessed: false in units.yaml",
    }]


def test_ledger_with_errors_is_refused(example: Path, cli: Cli, tmp_path: Path) -> None:
    tasks = example / "tasks" / "city.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("lead: ", "lead: nobody-", 1),
                     encoding="utf-8")
    r = cli("export", example, "--format", "parquet", "-o", tmp_path / "x",
            "--as-of", "2021-06-30")
    assert r.exit_code == 1 and not (tmp_path / "x").exists()
    assert cli("rollup", example, "--as-of", "2021-06-30").exit_code == 1


def test_rollup_names_the_ledger_whose_errors_refuse_it(cli: Cli, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """Every ledger has a tasks/city.yaml: the refusal names the broken one's files as
    `validate` does — from the current directory when the ledger is inside it
    (`b/tasks/city.yaml`), else by its full path — not as a bare `tasks/city.yaml`.
    The error: WN-009's lead (line 5, column 9) names no unit."""
    good, bad = tmp_path / "a", tmp_path / "b"
    shutil.copytree(EXAMPLE, good)
    shutil.copytree(EXAMPLE, bad)
    tasks = bad / "tasks" / "city.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("lead: ", "lead: nobody-", 1),
                     encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = cli("rollup", "a", "b", "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("b/tasks/city.yaml:5:9: error LS110 task WN-009 names "
                               "unknown unit nobody-chongyelu (did you mean chongyelu?)")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    r = cli("rollup", good, bad, "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 1
    assert r.stderr.startswith(f"{bad.resolve().as_posix()}/tasks/city.yaml:5:9: error LS110")
    # one ledger's own commands: as validate names them
    monkeypatch.chdir(tmp_path)
    for args in (["status"], ["bulletin", "--month", "2021-06"], ["score", "--quarter", "Q2"]):
        r = cli(*args, "b", "--as-of", "2021-06-30", "--lang", "en")
        assert r.exit_code == 1, args
        assert r.stderr.startswith("b/tasks/city.yaml:5:9: error LS110"), (args, r.stderr)
    v = cli("validate", "b", "--as-of", "2021-06-30", "--lang", "en")
    assert v.stdout.startswith("b/tasks/city.yaml:5:9: error LS110")


def test_export_replaces_an_export_atomically(cli: Cli, tmp_path: Path) -> None:
    out = export(cli, EXAMPLE, tmp_path / "x", "2021-06-30")
    export(cli, EXAMPLE, out, "2021-12-31")
    con = duckdb.connect()
    assert con.execute(f"SELECT as_of::VARCHAR FROM '{out}/ledger.parquet'").fetchall() == [
        ("2021-12-31",)]
    # nothing left behind: no temp or old directories next to it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]


def test_export_refuses_a_directory_that_is_not_an_export(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "docs"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    r = cli("export", EXAMPLE, "--format", "parquet", "-o", target, "--as-of", "2021-06-30",
            "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == (f"luoshi: {target} exists and is not a luoshi Parquet export (only "
                        "luoshi's own table files, ledger.parquet and the rest): not "
                        "overwriting it; choose another directory\n")
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    # a symlink to a directory elsewhere is not written through
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    r = cli("export", EXAMPLE, "--format", "parquet", "-o", link, "--as-of", "2021-06-30")
    assert r.exit_code == 2 and list(elsewhere.iterdir()) == []


def test_rollup_refuses_mixed_dates_and_twins(cli: Cli, tmp_path: Path) -> None:
    a = export(cli, EXAMPLE, tmp_path / "a", "2021-06-30")
    b = export(cli, BEILIN, tmp_path / "b", "2024-05-31")
    r = cli("rollup", "--from-parquet", a, b, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: the exports are as of different dates (2021-06-30: {a}; "
                        f"2024-05-31: {b}): export them again with the same --as-of\n")
    r = cli("rollup", "--from-parquet", a, "--as-of", "2021-12-31", "--lang", "en")
    assert r.stderr == (f"luoshi: the export {a} is as of 2021-06-30, not --as-of 2021-12-31: "
                        "export again with --as-of 2021-12-31\n")
    twin = export(cli, EXAMPLE, tmp_path / "c", "2021-06-30")
    r = cli("rollup", "--from-parquet", a, twin, "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.startswith("luoshi: more than one ledger is named weinan-2021:")
    # named apart, they roll up
    named = export(cli, EXAMPLE, tmp_path / "d", "2021-06-30", "--name", "weinan-copy")
    assert rollup_json(cli, "--from-parquet", a, named)["totals"]["tasks"] == 40


def test_rollup_refuses_what_is_not_an_export(cli: Cli, tmp_path: Path) -> None:
    r = cli("rollup", "--from-parquet", tmp_path, "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == (f"luoshi: {tmp_path} is not a luoshi Parquet export: ledger.parquet "
                        f"is missing (write one with luoshi export LEDGER --format parquet -o "
                        f"{tmp_path})\n")
    out = export(cli, EXAMPLE, tmp_path / "x", "2021-06-30")
    pq.write_table(pa.table({"ledger": ["x"]}), out / "tasks.parquet")
    r = cli("rollup", "--from-parquet", out, "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == (f"luoshi: {out}/tasks.parquet does not have the columns of this "
                        "luoshi's schema (version 7): export it again with this version\n")


def test_ledger_text_is_inert(example: Path, cli: Cli, tmp_path: Path) -> None:
    """A title with an escape sequence or a formula reaches no terminal or spreadsheet
    as one."""
    from luoshi_cli.analytics.rollup import _cell, _inert

    assert _inert("红\x1b[31m灯\u202e") == "红\\x1b[31m灯\\u202e"
    assert _inert("普通文字") == "普通文字"
    assert _cell("=1+1") == "'=1+1" and _cell("-x") == "'-x" and _cell("@a") == "'@a"
    assert _cell("a=b") == "a=b"
    cfg = example / "luoshi.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "title: 渭南高新区2021年度重点任务抓落实台账", 'title: "=HYPERLINK(1)\\u009b2J"'),
        encoding="utf-8")
    csv_out = cli("rollup", example, "--as-of", "2021-06-30", "-f", "csv").stdout
    assert ",'=HYPERLINK(1)\\x9b2J," in csv_out
    for fmt in ("table", "json"):
        out = cli("rollup", example, "--as-of", "2021-06-30", "-f", fmt).stdout
        assert "\x9b" not in out and "\\x9b2J" in out


def test_missing_extra_is_one_line(tmp_path: Path) -> None:
    """Without pyarrow/DuckDB: one line naming the extra, exit 2 — no traceback."""
    code = ("import sys; sys.modules['pyarrow'] = None; sys.modules['duckdb'] = None\n"
            "sys.argv = ['luoshi', *sys.argv[1:]]\n"
            "from luoshi_cli.__main__ import main; main()\n")
    for args, missing in (
            (["rollup", str(EXAMPLE), "--lang", "en"], "pyarrow, duckdb"),
            (["export", str(EXAMPLE), "--format", "parquet", "-o", str(tmp_path / "x"),
              "--lang", "en"], "pyarrow")):
        r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                           text=True, env={**os.environ, "LUOSHI_LANG": "en"})
        assert (r.returncode, r.stdout) == (2, ""), r.stderr
        # the clone's extra, never `pip install 'luoshi[...]'` (a package index's "luoshi"
        # is not this one)
        assert r.stderr == (f"luoshi: {missing} not installed: run pip install '.[rollup]' "
                            "in luoshi's source directory (or pip install pyarrow duckdb)\n")
    assert not (tmp_path / "x").exists()


def test_help_does_not_import_the_engines() -> None:
    code = ("import sys; sys.argv = ['luoshi', '--help']\n"
            "from luoshi_cli.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pyarrow', 'duckdb') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert "rollup" in out.stdout
    assert out.stdout.splitlines()[-1] == "[]"


def test_readme_sql_is_the_rollup_sql() -> None:
    """The README shows the query luoshi runs; a change to one must change the other."""
    from luoshi_cli.analytics.rollup import QUERIES

    readme = (Path(__file__).resolve().parent.parent / "docs" / "readme"
              / "75-analytics.md").read_text(encoding="utf-8")
    assert QUERIES["category"] in readme


def test_copy_of_example_keeps_its_name(tmp_path: Path, cli: Cli) -> None:
    """The ledger column defaults to the ledger directory's name."""
    dst = tmp_path / "碑林区"
    shutil.copytree(EXAMPLE, dst)
    doc = rollup_json(cli, dst, "--as-of", "2021-06-30")
    assert doc["by_ledger"][0]["id"] == "碑林区"


def test_a_ledger_without_tasks_still_counts(cli: Cli, tmp_path: Path) -> None:
    """An empty ledger is a row of the roll-up with status's own totals (rates null),
    not a ledger that silently disappears."""
    empty = Path(__file__).resolve().parent / "fixtures" / "status" / "empty"
    day = "2024-05-31"
    doc = rollup_json(cli, empty, EXAMPLE, "--as-of", day)
    assert doc["ledgers"] == 2
    [entry] = [e for e in doc["by_ledger"] if e["id"] == "empty"]
    assert _totals_only(entry) == status_totals(cli, empty, day)
    assert entry["completion_rate"] is None and entry["tasks"] == 0
    assert doc["totals"] == status_totals(cli, EXAMPLE, day)
    only = rollup_json(cli, empty, "--as-of", day)
    assert only["totals"] == status_totals(cli, empty, day)
    assert only["red"] == [] and only["by_category"] == []


def test_a_broken_parquet_file_is_one_line(cli: Cli, tmp_path: Path) -> None:
    out = export(cli, EXAMPLE, tmp_path / "x", "2021-06-30")
    (out / "task_status.parquet").write_bytes(b"PAR1 not really")
    r = cli("rollup", "--from-parquet", out, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.startswith(f"luoshi: cannot read {out}/task_status.parquet: ")
    assert r.stderr.count("\n") == 1


def test_same_ledger_same_date_same_bytes(cli: Cli, tmp_path: Path) -> None:
    """Exports are reproducible: a CI job can commit them or compare them."""
    a = export(cli, EXAMPLE, tmp_path / "a", "2021-06-30")
    b = export(cli, EXAMPLE, tmp_path / "b", "2021-06-30")
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_export_says_where_it_wrote_inertly(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "x\x1b[31my"
    r = cli("export", EXAMPLE, "--format", "parquet", "-o", out, "--as-of", "2021-06-30",
            "--lang", "en")
    assert (r.exit_code, r.stdout) == (0, "")
    assert r.stderr == (f"wrote {tmp_path}/x\\x1b[31my (ledger weinan-2021, "
                        "as of 2021-06-30)\n")
    assert (out / "tasks.parquet").is_file()


def test_categories_across_ledgers_in_each_ledgers_order(cli: Cli) -> None:
    """Two ledgers with their own categories: the first ledger's (by name) in its
    luoshi.yaml order, then the second's — not interleaved."""
    r = cli("rollup", EXAMPLE, BEILIN, "--as-of", "2024-05-31", "-f", "csv", "--by",
            "category")
    ids = [line.split(",")[1] for line in r.stdout.splitlines()[1:]]
    assert ids == ["brk-1", "brk-2", "brk-3", "brk-4", "brk-5", "brk-6", "brk-7", "brk-8",
                   "bl-1", "bl-2", "bl-3", "bl-4", "bl-5", "bl-6",
                   "proj", "invest", "industry", "city", "bizenv", "party", "style"]
    assert r.stdout.splitlines()[1].startswith(",brk-1,经济发展新突破,3,")


def test_partial_year_scores_only_with_partial(example: Path, cli: Cli, tmp_path: Path) -> None:
    """As `luoshi score --annual`: a year with quarters missing is scored only with
    --partial, from the records present."""
    for rel in ("records/2021-Q3.yaml", "records/2021-Q4.yaml"):
        (example / rel).unlink()
    con = duckdb.connect()

    def periods(out: Path) -> list[tuple[Any, ...]]:
        return con.execute(f"SELECT DISTINCT period FROM '{out}/unit_scores.parquet' "
                           "ORDER BY 1").fetchall()

    plain = export(cli, example, tmp_path / "a", "2021-06-30")
    assert periods(plain) == [("2021-Q1",), ("2021-Q2",)]
    part = export(cli, example, tmp_path / "b", "2021-06-30", "--partial")
    assert periods(part) == [("2021",), ("2021-Q1",), ("2021-Q2",)]
    assert con.execute(f"SELECT score FROM '{part}/unit_scores.parquet' WHERE period = '2021' "
                       "AND unit_id = 'dangqunbu'").fetchall() == [(Decimal("93.46"),)]


@pytest.mark.parametrize(("name", "other"), [("d[1]", "d1"), ("f*", "fx"), ("q?", "qx")])
def test_rollup_reads_the_exact_files_of_a_directory_named_like_a_glob(
        cli: Cli, tmp_path: Path, name: str, other: str) -> None:
    """Audit E item 4: DuckDB expands `[...]`, `*` and `?` in a path it is given; the
    roll-up of `exp/d[1]` is beilin-2024's own figures, never exp/d1's ledger nor both."""
    day = "2024-05-31"
    target = export(cli, BEILIN, tmp_path / name, day)
    export(cli, EXAMPLE, tmp_path / other, day)
    doc = rollup_json(cli, "--from-parquet", target)
    assert [e["id"] for e in doc["by_ledger"]] == ["beilin-2024"]
    assert doc["totals"] == status_totals(cli, BEILIN, day)


def test_export_keeps_a_directory_of_someone_elses_parquet_files(cli: Cli,
                                                                 tmp_path: Path) -> None:
    """Audit E item 6: a data lake's folder holding only `*.parquet` files is not an
    earlier export: refused, one line, exit 2, the file untouched."""
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    pq.write_table(pa.table({"amount": [1, 2, 3]}), warehouse / "sales_2024.parquet")
    before = (warehouse / "sales_2024.parquet").read_bytes()
    r = cli("export", EXAMPLE, "--format", "parquet", "-o", warehouse, "--as-of", "2021-06-30",
            "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: {warehouse} exists and is not a luoshi Parquet export (only "
                        "luoshi's own table files, ledger.parquet and the rest): not "
                        "overwriting it; choose another directory\n")
    assert [p.name for p in warehouse.iterdir()] == ["sales_2024.parquet"]
    assert (warehouse / "sales_2024.parquet").read_bytes() == before
    # luoshi's own table names without the ledger table are not an export either
    (warehouse / "sales_2024.parquet").rename(warehouse / "tasks.parquet")
    r = cli("export", EXAMPLE, "--format", "parquet", "-o", warehouse, "--as-of", "2021-06-30")
    assert r.exit_code == 2 and [p.name for p in warehouse.iterdir()] == ["tasks.parquet"]
    # an earlier export, and an empty directory, are replaced
    out = export(cli, EXAMPLE, tmp_path / "old", "2021-06-30")
    export(cli, EXAMPLE, out, "2021-12-31")
    (tmp_path / "empty").mkdir()
    export(cli, EXAMPLE, tmp_path / "empty", "2021-12-31")


def test_export_refuses_a_directory_the_ledger_would_read(cli: Cli, tmp_path: Path) -> None:
    """Audit E item 9: `-o wn/tasks/export.yaml` would be a directory the `tasks/*.yaml`
    pattern matches, and the ledger would no longer validate.  A directory inside the
    ledger that no pattern reads is fine."""
    wn = tmp_path / "wn"
    shutil.copytree(EXAMPLE, wn, ignore=shutil.ignore_patterns(".luoshi-cache"))
    for out, pattern in ((wn / "tasks/export.yaml", "tasks/*.yaml"),
                         (wn / "units.yaml", "units.yaml"),
                         (wn / "records/q.yaml", "records/*.yaml")):
        r = cli("export", wn, "--format", "parquet", "-o", out, "--as-of", "2021-06-30",
                "--lang", "en")
        assert (r.exit_code, r.stdout) == (2, ""), out
        assert r.stderr == (f"luoshi: {out} is inside the ledger, where the files: pattern "
                            f"{pattern} of luoshi.yaml would read it: write the export "
                            "outside the ledger directory\n")
    assert not (wn / "tasks/export.yaml").exists() and not (wn / "records/q.yaml").exists()
    assert cli("validate", wn, "--as-of", "2021-06-30").exit_code == 0
    export(cli, wn, wn / "parquet", "2021-06-30")
    assert cli("validate", wn, "--as-of", "2021-06-30").exit_code == 0


def _with_target(tmp_path: Path, value: str, actual: str | None = None) -> Path:
    """A copy of 碑林 whose first task has `target: {value: VALUE}` (and an update's
    `actual`)."""
    root = tmp_path / "big"
    shutil.copytree(BEILIN, root)
    path = root / "tasks" / "bl-1.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  progress: 40\n", f"  progress: 40\n  target: {{value: {value}, unit: 元}}\n", 1)
    if actual is not None:
        text = text.replace("progress: 32, note:", f"progress: 32, actual: {actual}, note:", 1)
    path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(("value", "actual"), [
    ("1200000000000", None), ("1", "2000000000000"), ("999999999999.9999995", None),
    ("1000000000000", None)])
def test_an_amount_the_parquet_decimal_cannot_hold_is_a_finding(
        cli: Cli, tmp_path: Path, value: str, actual: str | None) -> None:
    """DECIMAL(18,6) holds 12 whole digits: a target or an actual of 10^12 or more (or
    one that rounds half-up to it) is refused by validate, at its line, with the way out
    (a larger unit) — not accepted, then an internal error of export and rollup."""
    root = _with_target(tmp_path, value, actual)
    r = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en", "-f", "json")
    assert r.exit_code == 1, r.stdout
    [f] = json.loads(r.stdout)
    assert (f["code"], f["file"]) == ("LS109", "tasks/bl-1.yaml")
    assert f["line"] == (18 if actual is None else 21)
    assert "larger unit (万元 or 亿元" in f["message"]
    r = cli("export", root, "-f", "parquet", "-o", tmp_path / "out", "--as-of", "2024-05-31")
    assert r.exit_code == 1 and "internal error" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_the_largest_amount_is_exported_exactly(cli: Cli, tmp_path: Path) -> None:
    root = _with_target(tmp_path, "999999999999.999999", "999999999999.999999")
    out = export(cli, root, tmp_path / "out", "2024-05-31")
    tasks = pq.read_table(out / "tasks.parquet").to_pylist()
    assert Decimal("999999999999.999999") in {t["target_value"] for t in tasks}
    updates = pq.read_table(out / "updates.parquet").to_pylist()
    assert Decimal("999999999999.999999") in {u["actual"] for u in updates}


def test_a_figure_beyond_the_decimal_is_one_line_naming_its_task() -> None:
    """Defence in depth: a figure that reaches the export out of DECIMAL(18,6)'s range
    some other way is a one-line refusal naming the task and column, not pyarrow's
    ArrowInvalid as an internal error."""
    import dataclasses
    from datetime import date

    from luoshi_cli.analytics.tables import build_tables
    from luoshi_cli.api import open_ledger
    from luoshi_cli.core.errors import CommandError
    from luoshi_cli.core.model import Target

    led = open_ledger(BEILIN).ledger
    first, *rest = sorted(led.tasks, key=lambda t: t.id)
    big = dataclasses.replace(first, target=Target(Decimal("-1000000000000"), "元"))
    led = dataclasses.replace(led, tasks=(big, *rest))
    with pytest.raises(CommandError) as err:
        build_tables(led, "big", date(2024, 5, 31), [], "en")
    assert err.value.label.en == (
        f"cannot export to Parquet: task {first.id}: target_value -1000000000000.000000 does "
        "not fit DECIMAL(18,6) (it holds less than 10^12): write it in a larger unit (万元, 亿元)")


def test_unit_scores_hold_the_ranking_group_and_the_bonuses(cli: Cli, tmp_path: Path) -> None:
    """A rank is a rank in its ranking group (SPEC §10): the row names the group, so
    two units ranked 1 are told apart; the bonus points are there, so the score is
    rebuilt from its parts; the grade before rules and quotas, the grade a quota moved
    it from and the rules that held say why the grade is what it is — each as
    `luoshi score -f json` gives it."""
    kaohe = Path(__file__).resolve().parent.parent / "ledgers" / "beilin-2024-kaohe"
    out = export(cli, kaohe, tmp_path / "k", "2024-05-31")
    rows = {r["unit_id"]: r for r in pq.read_table(out / "unit_scores.parquet").to_pylist()
            if r["period"] == "2024-Q1"}
    r = cli("score", kaohe, "--quarter", "Q1", "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert len(rows) == len(doc["units"]) > 0
    for u in doc["units"]:
        row = rows[u["unit"]]
        assert (row["group_id"], row["group_name"]) == (u["group"], u["group_name"])
        assert row["bonuses"] == Decimal(str(u.get("bonuses") or 0))
        assert (row["base_grade"], row["quota_from"], row["rules_applied"]) == (
            u["base_grade"], u.get("quota_from"), u["rules_applied"])
    firsts = {(row["group_id"], row["rank"]) for row in rows.values() if row["rank"] == 1}
    assert len(firsts) == 2
    assert rows["nanyuanmen"]["bonuses"] == Decimal(3)
    assert rows["shangwuju"]["quota_from"] == "优秀"
    # without ranking groups the group columns are null
    plain = export(cli, EXAMPLE, tmp_path / "x", "2021-06-30")
    t = pq.read_table(plain / "unit_scores.parquet")
    assert t.column("group_id").null_count == t.num_rows > 0
    assert set(t.column("bonuses").to_pylist()) == {Decimal(0)}


MONTHLY = Path(__file__).resolve().parent / "fixtures" / "scoring" / "qingxin-monthly"


def test_monthly_periods_are_exported_as_score_scores_them(cli: Cli, tmp_path: Path) -> None:
    """A scheme with `cadence: monthly` components (SPEC §10): each month with a record
    is a period of `scores` / `unit_scores`, with the figures of `luoshi score --month`;
    the quarter of those months is there too, as `score --quarter` gives it."""
    out = export(cli, MONTHLY, tmp_path / "m", "2022-12-31")
    t = pq.read_table(out / "unit_scores.parquet").to_pylist()
    assert sorted({r["period"] for r in t}) == ["2022-10", "2022-11", "2022-12", "2022-Q4"]
    comps = pq.read_table(out / "scores.parquet").to_pylist()
    for period, args in (("2022-11", ("--month", "2022-11")), ("2022-Q4", ("--quarter", "Q4"))):
        r = cli("score", MONTHLY, *args, "-f", "json")
        assert r.exit_code == 0, r.stderr
        doc = json.loads(r.stdout)
        rows = {x["unit_id"]: x for x in t if x["period"] == period}
        assert len(rows) == len(doc["units"]) > 0
        for u in doc["units"]:
            row = rows[u["unit"]]
            assert (row["score"], row["grade"], row["rank"], row["group_id"]) == (
                Decimal(str(u["score"])), u["grade"], u["rank"], u["group"])
            assert {x["component_id"]: x["score"] for x in comps
                    if x["period"] == period and x["unit_id"] == u["unit"]} == {
                k: Decimal(str(v)) for k, v in u["components"].items()}


def test_a_quarter_of_months_missing_one_only_with_partial(cli: Cli, tmp_path: Path) -> None:
    """A quarter whose monthly records are not all there is scored, as `score --quarter
    --partial` scores it, only with `export --partial`; its months are exported either way."""
    led = tmp_path / "led"
    shutil.copytree(MONTHLY, led)
    (led / "records" / "2022-12.yaml").unlink()

    def periods(out: Path) -> list[str]:
        return sorted({r["period"] for r in
                       pq.read_table(out / "unit_scores.parquet").to_pylist()})

    assert periods(export(cli, led, tmp_path / "a", "2022-12-31")) == ["2022-10", "2022-11"]
    assert periods(export(cli, led, tmp_path / "b", "2022-12-31", "--partial")) == [
        "2022", "2022-10", "2022-11", "2022-Q4"]


def test_export_is_on_disk_before_it_is_renamed_into_place(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As `fsio.write_atomic`: every table file and the directory holding them are
    flushed to disk before the rename that publishes them, and the parent after it —
    else a power loss after the rename (and the old export's removal) can leave empty
    files where both exports were."""
    from luoshi_cli.analytics import tables

    events: list[tuple[str, str]] = []
    real_sync, real_replace = tables.fsync_path, os.replace

    def sync(path: Path | str) -> None:
        events.append(("fsync", Path(path).name))
        real_sync(path)

    def replace(src: Any, dst: Any) -> None:
        events.append(("rename", Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(tables, "fsync_path", sync)
    monkeypatch.setattr(tables.os, "replace", replace)
    export(cli, EXAMPLE, tmp_path / "x", "2021-06-30")
    published = events.index(("rename", "x"))
    synced = [name for kind, name in events[:published] if kind == "fsync"]
    assert set(synced) >= {f"{t}.parquet" for t in tables.TABLES}
    assert synced[-1].startswith(".x.") and synced[-1].endswith(".tmp")
    assert events[published + 1] == ("fsync", tmp_path.name)


def test_fsync_path_syncs_files_and_directories(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from luoshi_cli import fsio

    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(fsio.os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    f = tmp_path / "a.parquet"
    f.write_bytes(b"x")
    fsio.fsync_path(f)
    fsio.fsync_path(tmp_path)
    assert len(synced) == 2


def test_export_removes_what_a_killed_export_left_and_nothing_else(
        cli: Cli, tmp_path: Path) -> None:
    """A killed export leaves `.x.<8 random>.tmp` (or `.old`, killed between its two
    renames): the next export to `x` removes those — only luoshi's exact pattern for
    that name, holding only luoshi's table files, and not one a running export holds."""
    import fcntl

    export(cli, EXAMPLE, tmp_path / "x", "2021-06-30")

    def left(name: str, *files: str) -> Path:
        d = tmp_path / name
        d.mkdir()
        for f in files:
            (d / f).write_bytes(b"PAR1 half")
        return d

    left(".x.ab_cd123.tmp", "ledger.parquet", "tasks.parquet")
    left(".x.k9z0q1w2.old", *(f"{t}.parquet" for t in ("ledger", "units", "scores")))
    left(".x.empty000.tmp")
    kept = [left(".x.abc.tmp", "ledger.parquet"),  # not mkdtemp's 8 characters
            left(".y.abcdefgh.tmp", "ledger.parquet"),  # another output's
            left(".x.abcdefgh.tmp2", "ledger.parquet"),
            left("x.abcdefgh.tmp", "ledger.parquet"),
            left(".x.notours1.tmp", "ledger.parquet", "notes.txt"),  # someone's file
            left(".x.Abcdefgh.tmp", "ledger.parquet")]
    (tmp_path / ".x.linkdir1.tmp").symlink_to(kept[0])
    running = left(".x.running1.tmp", "ledger.parquet")
    fd = os.open(running, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        export(cli, EXAMPLE, tmp_path / "x", "2021-12-31")
    finally:
        os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["x", ".x.linkdir1.tmp", running.name, *(k.name for k in kept)])
    assert (kept[4] / "notes.txt").exists() and (kept[0] / "ledger.parquet").exists()


@pytest.mark.parametrize("name", ["a" * 255, "碑" * 80 + "x" * 14, "d" * 241])
def test_export_to_a_long_legal_name(cli: Cli, tmp_path: Path, name: str) -> None:
    """A folder name of up to 255 bytes is legal; the temporary sibling (`.NAME.` + 8 +
    `.tmp`, 14 bytes more) was not: "File name too long".  A long name's temporary
    siblings carry a digest of it instead, and are cleaned up like any other's."""
    from luoshi_cli.analytics.tables import temp_stem

    out = tmp_path / name
    export(cli, EXAMPLE, out, "2021-06-30")
    export(cli, EXAMPLE, out, "2021-12-31")  # replaced: the `.old` sibling fits too
    assert [p.name for p in tmp_path.iterdir()] == [name]
    stem = temp_stem(name)
    assert stem == name if len(name.encode()) <= 241 else stem.startswith("luoshi-")
    left = tmp_path / f".{stem}.abcdefgh.tmp"
    left.mkdir()
    (left / "ledger.parquet").write_bytes(b"PAR1 half")
    export(cli, EXAMPLE, out, "2021-06-30")
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_folder_name_with_an_ideographic_or_trailing_space_is_its_name(
        cli: Cli, tmp_path: Path) -> None:
    """A clerk's folder name is data: 碑林　台账 (U+3000, what a Chinese IME types) and a
    name ending in a space are rolled up under exactly that name, as `status` reads the
    ledgers — rollup has no --name to give another."""
    a, b = tmp_path / "碑林\u3000台账", tmp_path / "yanta "
    shutil.copytree(BEILIN, a)
    shutil.copytree(EXAMPLE, b)
    doc = rollup_json(cli, a, b, "--as-of", "2024-05-31")
    assert [e["id"] for e in doc["by_ledger"]] == ["yanta ", "碑林\u3000台账"]
    out = export(cli, a, tmp_path / "out", "2024-05-31")
    assert pq.read_table(out / "ledger.parquet").column("ledger").to_pylist() == [a.name]


def test_a_name_with_a_control_character_is_refused_with_advice_that_works(
        cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "a\tb"
    shutil.copytree(EXAMPLE, bad)
    r = cli("rollup", bad, EXAMPLE, "--as-of", "2021-06-30", "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        "luoshi: the ledger name 'a\\tb' (its directory's name) is blank or holds a control "
        "character: rename the directory, or export it with luoshi export --format parquet "
        "--name NAME and roll the exports up with luoshi rollup --from-parquet\n")
    r = cli("export", EXAMPLE, "-f", "parquet", "-o", tmp_path / "o", "--name", "x\x1b[31m",
            "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == ("luoshi: the ledger name 'x\\x1b[31m' is blank or holds a control "
                        "character: give one with --name\n")
    r = cli("export", EXAMPLE, "-f", "parquet", "-o", tmp_path / "o", "--name", "\u3000 ",
            "--lang", "en")
    assert r.exit_code == 2 and "is blank" in r.stderr


def _set(t: pa.Table, col: str, fn: Callable[[dict[str, Any]], Any]) -> pa.Table:
    i = t.schema.get_field_index(col)
    return t.set_column(i, t.schema.field(i), pa.array([fn(r) for r in t.to_pylist()],
                                                       type=t.schema.field(i).type))


CRAFTED: dict[str, tuple[str, Callable[[pa.Table], pa.Table], str]] = {
    "null-as-of": ("ledger", lambda t: _set(t, "as_of", lambda r: None),
                   "ledger.parquet has no as-of date (the as_of column is empty)"),
    "null-name": ("ledger", lambda t: _set(t, "ledger", lambda r: None),
                  "ledger.parquet has no ledger name (the ledger column is empty)"),
    "no-ledger-row": ("ledger", lambda t: t.slice(0, 0), "ledger.parquet has 0 rows, not 1"),
    "two-ledger-rows": ("ledger", lambda t: pa.concat_tables(
        [t, _set(t, "ledger", lambda r: "other")]), "ledger.parquet has 2 rows, not 1"),
    "other-name": ("task_status", lambda t: _set(t, "ledger", lambda r: "someone-else"),
                   "task_status.parquet has rows whose ledger is not weinan-2021"),
    "red-null-days": ("task_status", lambda t: _set(
        t, "max_days_overdue", lambda r: None if r["light"] == "red" else r["max_days_overdue"]),
        "task_status.parquet has a red row without max_days_overdue"),
    "red-null-due": ("task_status", lambda t: _set(
        t, "first_overdue_due", lambda r: None if r["light"] == "red"
        else r["first_overdue_due"]),
        "task_status.parquet has a red row without first_overdue_due"),
    "null-count": ("task_status", lambda t: _set(t, "milestones_due", lambda r: None),
                   "task_status.parquet has empty values in column milestones_due"),
    "null-status": ("task_status", lambda t: _set(t, "status", lambda r: None),
                    "task_status.parquet has empty values in column status"),
    "bad-status": ("task_status", lambda t: _set(t, "status", lambda r: "finished"),
                   "task_status.parquet has an unknown status"),
    "bad-light": ("task_status", lambda t: _set(t, "light", lambda r: "blue"),
                  "task_status.parquet has an unknown light"),
    "other-date": ("task_status", lambda t: _set(t, "as_of", lambda r: r["as_of"].replace(day=1)),
                   "task_status.parquet has rows as of another date than 2021-06-30"),
    "task-twice": ("task_status", lambda t: pa.concat_tables([t, t.slice(0, 1)]),
                   "task_status.parquet and tasks.parquet do not hold the same tasks, one "
                   "row each"),
    "task-missing": ("tasks", lambda t: t.slice(1),
                     "task_status.parquet and tasks.parquet do not hold the same tasks, one "
                     "row each"),
    "null-title": ("tasks", lambda t: _set(t, "title", lambda r: None),
                   "tasks.parquet has empty values in column title"),
    # a unit or category twice would count its tasks twice in by_lead / by_category
    "unit-twice": ("units", lambda t: pa.concat_tables([t, t.slice(2, 1)]),
                   "units.parquet has two rows with the same unit_id (one entity listed "
                   "twice)"),
    "category-twice": ("categories", lambda t: pa.concat_tables([t, t]),
                       "categories.parquet has two rows with the same category_id (one "
                       "entity listed twice)"),
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_a_hand_edited_export_is_refused_in_one_line(cli: Cli, tmp_path: Path,
                                                     case: str) -> None:
    """An export whose schema is intact but whose rows do not hold together as luoshi
    writes them (a null date, a red row without its overdue figures, no ledger row, rows
    of another ledger) is refused, exit 2, one line — not an internal error, and not a
    report whose totals contradict its own lists."""
    table, edit_table, why = CRAFTED[case]
    out = export(cli, EXAMPLE, tmp_path / "x", "2021-06-30")
    pq.write_table(edit_table(pq.read_table(out / f"{table}.parquet")),
                   out / f"{table}.parquet")
    r = cli("rollup", "--from-parquet", out, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: {out} is not a consistent luoshi export: {why} (export it "
                        "again with luoshi export --format parquet)\n")
