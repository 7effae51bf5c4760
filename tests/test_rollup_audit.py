"""Audit J on `luoshi rollup` and `luoshi export --format parquet` (SPEC §13): real
ledgers, real Parquet, real DuckDB.  Each test failed on the code before its fix."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import BEILIN, EXAMPLE, REPO, Run

Cli = Callable[..., Run]
KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"

after_2024 = pytest.mark.skipif(date.today() <= date(2025, 1, 10),
                                reason="the clock must be after the 2024 ledger's year")


def copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".luoshi-cache"))
    return dst


def json_of(r: Run) -> Any:
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def validate_rows(cli: Cli, ledger: Path, *args: str) -> list[dict[str, Any]]:
    """`luoshi validate -f json` as rows of the Parquet `findings` table."""
    r = cli("validate", ledger, "-f", "json", "--lang", "en", *args)
    return [{"ledger": "k", "code": f["code"], "severity": f["severity"], "file": f["file"],
             "line": f["line"], "col": f["column"], "message": f["message"]}
            for f in json.loads(r.stdout)]


# ---- item 4: ledgers of different years, no --as-of ---------------------------------

def test_rollup_of_different_years_without_as_of_is_refused(cli: Cli, tmp_path: Path) -> None:
    """Judging the 2021 ledger at 2024-12-31 would give figures its own `status` never
    shows (red 17 instead of 13): refused, as exports of different dates are."""
    wn, bl = copy(EXAMPLE, tmp_path / "wn"), copy(BEILIN, tmp_path / "beilin")
    r = cli("rollup", wn, bl, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: the ledgers are of different years (2021: {wn}; 2024: {bl}), "
                        "so their default as-of dates differ (2021-12-31, 2024-12-31): give "
                        "one date with --as-of\n")
    r = cli("rollup", wn, bl)
    assert (r.exit_code, r.stderr) == (2, f"luoshi: 各台账的年度不同（2021：{wn}；2024：{bl}），"
                                          "默认截至日期也不同"
                                          "（2021-12-31、2024-12-31）：请用 --as-of 给出同一个日期\n")
    # with one date given, they roll up
    assert json_of(cli("rollup", wn, bl, "--as-of", "2024-06-30", "-f", "json"))["ledgers"] == 2


def test_rollup_of_one_year_without_as_of_is_each_ledgers_status(cli: Cli,
                                                                 tmp_path: Path) -> None:
    """Ledgers of one year share the default day: each one's entry is its `status`."""
    a, b = copy(EXAMPLE, tmp_path / "a"), copy(EXAMPLE, tmp_path / "b")
    tasks = b / "tasks" / "city.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("status: in_progress",
                                                               "status: suspended", 1),
                     encoding="utf-8")
    doc = json_of(cli("rollup", a, b, "-f", "json"))
    assert doc["as_of"] == "2021-12-31"
    for entry, ledger in zip(doc["by_ledger"], (a, b), strict=True):
        status = json_of(cli("status", ledger, "-f", "json"))["totals"]
        assert {k: v for k, v in entry.items() if k not in ("id", "name")} == status


# ---- item 5: the findings table is judged at --as-of -------------------------------

def test_parquet_findings_are_validate_at_the_as_of(cli: Cli, tmp_path: Path) -> None:
    """At 2024-06-30 six tasks of 考核 owe their May report (LS601): the table holds
    them, whatever day the export is made — exactly `validate --as-of`'s rows."""
    for day, expected in (("2024-06-30", 6), ("2024-04-30", 0), ("2024-09-30", 6)):
        out = tmp_path / day
        r = cli("export", KAOHE, "--format", "parquet", "-o", out, "--as-of", day,
                "--name", "k", "--lang", "en")
        assert r.exit_code == 0, r.stderr
        rows = pq.read_table(out / "findings.parquet").to_pylist()
        assert rows == validate_rows(cli, KAOHE, "--as-of", day), day
        assert len(rows) == expected, day
    assert rows[0]["message"] == ("task K-01: the latest monthly update is 2024-03; by "
                                  "2024-09-30 the 2024-08 report was due: remind 区发改委 "
                                  "to report")


def test_parquet_findings_at_a_past_as_of_keep_the_gate(cli: Cli, tmp_path: Path) -> None:
    """Before 碑林's completions were recorded, `validate --as-of` calls each a date in
    the future (LS203; LS704 for 考核's return of a deduction).  The export — a past
    as-of shows the past, as in status — is not refused, and holds validate's other
    findings at that day: the monthly reports then due (LS601)."""
    day = "2024-02-29"
    for ledger, left in ((BEILIN, 25), (KAOHE, 6)):
        assert cli("validate", ledger, "--as-of", day).exit_code == 1
        out = tmp_path / ledger.name
        r = cli("export", ledger, "--format", "parquet", "-o", out, "--as-of", day,
                "--name", "k", "--lang", "en")
        assert r.exit_code == 0, r.stderr
        rows = pq.read_table(out / "findings.parquet").to_pylist()
        assert rows == [f for f in validate_rows(cli, ledger, "--as-of", day)
                        if f["code"] not in ("LS203", "LS504", "LS704")]
        assert len(rows) == left and {f["code"] for f in rows} == {"LS601"}


def test_parquet_findings_follow_the_ledgers_lint(cli: Cli, tmp_path: Path) -> None:
    """`lint: {ignore: [LS601]}` leaves the warning out of validate: out of the table too."""
    k = copy(KAOHE, tmp_path / "k")
    cfg = k / "luoshi.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "lint: {ignore: [LS601]}\n",
                   encoding="utf-8")
    r = cli("export", k, "--format", "parquet", "-o", tmp_path / "x", "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.stderr
    assert pq.read_table(tmp_path / "x" / "findings.parquet").num_rows == 0
    assert validate_rows(cli, k, "--as-of", "2024-06-30") == []


@after_2024
def test_parquet_export_without_as_of_is_the_ledgers_default_day(cli: Cli,
                                                                 tmp_path: Path) -> None:
    """As every command: the earlier of today and the year's end (2024-12-31), not
    today — and the findings are `validate`'s of that day."""
    out = tmp_path / "x"
    r = cli("export", KAOHE, "--format", "parquet", "-o", out, "--name", "k", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == f"wrote {out} (ledger k, as of 2024-12-31)\n"
    assert pq.read_table(out / "ledger.parquet").column("as_of").to_pylist() == [
        date(2024, 12, 31)]
    assert set(pq.read_table(out / "task_status.parquet").column("as_of").to_pylist()) == {
        date(2024, 12, 31)}
    rows = pq.read_table(out / "findings.parquet").to_pylist()
    assert rows == validate_rows(cli, KAOHE) and rows


# ---- item 9: categories and groups in the first ledger's order ----------------------

def test_categories_and_groups_in_the_first_ledgers_order_and_names(cli: Cli,
                                                                   tmp_path: Path) -> None:
    """Ledger a lists 渭南's categories backwards and renames one; b keeps them.  The
    roll-up follows a (first by name): its order and its names."""
    a, b = copy(EXAMPLE, tmp_path / "a"), copy(EXAMPLE, tmp_path / "b")
    cfg = a / "luoshi.yaml"
    text = cfg.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines(keepends=True) if ln.startswith("  - {id: ")]
    assert len(lines) == 7
    kept = [ln for ln in text.splitlines(keepends=True) if ln not in lines]
    at = text.splitlines(keepends=True).index(lines[0])
    backwards = "".join(reversed(lines)).replace("作风建设提升年", "作风建设（甲）")
    cfg.write_text("".join(kept[:at]) + backwards + "".join(kept[at:]), encoding="utf-8")
    doc = json_of(cli("rollup", a, b, "--as-of", "2021-06-30", "-f", "json"))
    assert [(e["id"], e["name"]) for e in doc["by_category"]] == [
        ("style", "作风建设（甲）"), ("party", "党建“留心护根”工程"), ("bizenv", "优化营商环境"),
        ("city", "城市提质与文明创建"), ("industry", "工业倍增计划"), ("invest", "招商引资"),
        ("proj", "重点项目建设")]
    assert [e["id"] for e in doc["by_group"]] == [
        "营商环境专项推进组", "城市管理专项推进组", "工业倍增专项推进组", "招商引资专项推进组",
        "项目建设专项推进组"]
    # one ledger alone: status's own order
    status = json_of(cli("status", a, "--as-of", "2021-06-30", "-f", "json"))
    one = json_of(cli("rollup", a, "--as-of", "2021-06-30", "-f", "json"))
    assert one["by_category"] == status["by_category"]
    assert one["by_group"] == status["by_group"]


def test_the_tasks_in_no_group_are_counted_as_status_counts_them(cli: Cli,
                                                               tmp_path: Path) -> None:
    """渭南's party and style categories name no group: 5 of its 20 tasks are in no
    `by_group` entry.  `luoshi status` now counts them (`ungrouped`, and a line under
    its group table); the roll-up's by-group query (`WHERE group_name IS NOT NULL`)
    left them out in silence.  Two copies: 40 tasks, groups summing to 30, 10
    ungrouped — one copy alone: status's own figure."""
    a, b = copy(EXAMPLE, tmp_path / "a"), copy(EXAMPLE, tmp_path / "b")
    doc = json_of(cli("rollup", a, b, "--as-of", "2021-06-30", "-f", "json"))
    assert (doc["totals"]["tasks"], sum(g["tasks"] for g in doc["by_group"]),
            doc["ungrouped"]) == (40, 30, 10)
    assert list(doc)[list(doc).index("by_group") + 1] == "ungrouped"
    status = json_of(cli("status", a, "--as-of", "2021-06-30", "-f", "json"))
    one = json_of(cli("rollup", a, "--as-of", "2021-06-30", "-f", "json"))
    assert one["ungrouped"] == status["ungrouped"] == 5
    text = cli("rollup", a, b, "--as-of", "2021-06-30").stdout
    assert "\n另有 10 项任务的类别未指定专项推进组（group）\n" in text
    text = cli("rollup", a, b, "--as-of", "2021-06-30", "--lang", "en", "--by", "group").stdout
    assert "\n10 more tasks are in categories that name no group\n" in text


def test_the_csv_by_group_counts_the_tasks_in_no_group(cli: Cli, tmp_path: Path) -> None:
    """As `status --by group -f csv`: the CSV by group ends with a row for the tasks
    in no group (id empty, no group's is), so that its rows sum to the totals — two
    渭南 copies: 30 tasks in groups and 10 in none; that row is what `status` gives of
    one copy, doubled.  The CSV by ledger (the default) is unchanged."""
    a, b = copy(EXAMPLE, tmp_path / "a"), copy(EXAMPLE, tmp_path / "b")
    r = cli("rollup", a, b, "--as-of", "2021-06-30", "--by", "group", "-f", "csv")
    assert r.exit_code == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout.removeprefix("\ufeff"))))
    assert rows[-1] == ["", "", "（未指定专项推进组）", "10", "0", "8", "2", "0", "0", "0", "10",
                        "0", "0", "20.00", "80.00", "10", "8"]
    assert sum(int(x[3]) for x in rows[1:]) == 40 and len(rows) == 7
    r = cli("rollup", a, "--as-of", "2021-06-30", "--by", "group", "-f", "csv", "--lang", "en")
    assert r.stdout.endswith("\n,,(no group),5,0,4,1,0,0,0,5,0,0,20.00,80.00,5,4\n")
    r = cli("rollup", a, b, "--as-of", "2021-06-30", "-f", "csv")
    assert [x[0] for x in csv.reader(io.StringIO(r.stdout.removeprefix("\ufeff")))] == [
        "ledger", "a", "b"]


# ---- item 11: ledgers whose directories share a name ---------------------------------

def test_ledgers_sharing_a_directory_name_are_named_by_their_paths(cli: Cli,
                                                                   tmp_path: Path) -> None:
    """One repository per district, each ledger in `ledger/`: named by the shortest
    trailing path that tells them apart; a ledger alone in its name keeps it."""
    bl = copy(BEILIN, tmp_path / "beilin-repo" / "ledger")
    yt = copy(BEILIN, tmp_path / "yanta-repo" / "ledger")
    xc = copy(BEILIN, tmp_path / "xincheng")
    doc = json_of(cli("rollup", bl, yt, xc, "--as-of", "2024-05-31", "-f", "json"))
    assert [e["id"] for e in doc["by_ledger"]] == ["beilin-repo/ledger", "xincheng",
                                                   "yanta-repo/ledger"]
    assert {e["ledger"] for e in doc["by_lead"]} == {"beilin-repo/ledger", "xincheng",
                                                     "yanta-repo/ledger"}
    r = cli("rollup", bl, tmp_path / "beilin-repo" / ".." / "beilin-repo" / "ledger",
            "--as-of", "2024-05-31", "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: the ledger {bl.resolve()} is given more than once: give "
                        "each ledger once\n")


def test_distinct_names_grow_only_where_they_clash() -> None:
    from luoshi_cli.cli.rollup_cmd import distinct_names

    assert distinct_names([Path("/r/a/x/ledger"), Path("/r/b/x/ledger"), Path("/r/c/ledger"),
                           Path("/r/d")]) == ["a/x/ledger", "b/x/ledger", "c/ledger", "d"]
    assert distinct_names([Path("/r/one")]) == ["one"]


# ---- item 12: --from-parquet given a ledger -----------------------------------------

def test_from_parquet_given_a_ledger_says_so(cli: Cli, tmp_path: Path) -> None:
    wn = copy(EXAMPLE, tmp_path / "wn")
    r = cli("rollup", "--from-parquet", wn, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"luoshi: {wn} is a ledger (it holds luoshi.yaml), not a Parquet "
                        "export: leave out --from-parquet to roll up ledgers\n")
    r = cli("rollup", "--from-parquet", wn)
    assert r.stderr == (f"luoshi: {wn} 是台账目录（含 luoshi.yaml），不是 Parquet 导出：汇总台账请去掉 "
                        "--from-parquet\n")
    # and the other way round: an export given as a ledger (even one inside a ledger,
    # where the search for luoshi.yaml upwards would find the ledger around it)
    for out in (tmp_path / "x", wn / "parquet"):
        r = cli("export", wn, "--format", "parquet", "-o", out, "--as-of", "2021-06-30")
        assert r.exit_code == 0, r.stderr
        r = cli("rollup", out, "--lang", "en")
        assert (r.exit_code, r.stdout) == (2, "")
        assert r.stderr == (f"luoshi: {out} is a Parquet export (it holds ledger.parquet), "
                            "not a ledger: add --from-parquet to roll up exports\n")
    r = cli("rollup", out)
    assert r.stderr == (f"luoshi: {out} 是 Parquet 导出（含 ledger.parquet），不是台账目录：汇总导出请加 "
                        "--from-parquet\n")


# ---- item 14: the tasks v2 columns ---------------------------------------------------

def test_tasks_table_has_the_tasks_v2_columns(cli: Cli, tmp_path: Path) -> None:
    """Parent and children, targets, tags, owners and unit leaders, and the actual value
    of an update: an analyst tells a parent from its children.  A v1 ledger has nulls
    and empty lists there."""
    v2 = copy(REPO / "tests" / "cases" / "valid" / "tasks-v2" / "ledger", tmp_path / "v2")
    econ = v2 / "tasks" / "econ.yaml"
    econ.write_text(econ.read_text(encoding="utf-8").replace(
        '{month: "2024-05", progress: 45, note: 已开工190个}',
        '{month: "2024-05", progress: 45, note: 已开工190个, actual: 190}'), encoding="utf-8")
    out = tmp_path / "x"
    r = cli("export", v2, "--format", "parquet", "-o", out, "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.stderr
    cols = ["task_id", "parent_task_id", "target_value", "target_unit", "tags", "owners",
            "unit_leaders"]
    rows = {t["task_id"]: t for t in pq.read_table(out / "tasks.parquet",
                                                   columns=cols).to_pylist()}
    assert rows["T-001"] == {"task_id": "T-001", "parent_task_id": None,
                             "target_value": Decimal("350.000000"), "target_unit": "个",
                             "tags": ["board", "highlight"], "owners": ["张三"],
                             "unit_leaders": ["李四"]}
    assert rows["T-001.1"] == {"task_id": "T-001.1", "parent_task_id": "T-001",
                               "target_value": Decimal("250.000000"), "target_unit": "个",
                               "tags": ["board"], "owners": [], "unit_leaders": []}
    updates = pq.read_table(out / "updates.parquet").to_pylist()
    assert [(u["task_id"], u["month"], u["actual"]) for u in updates
            if u["task_id"] == "T-001"] == [("T-001", "2024-04", None),
                                           ("T-001", "2024-05", Decimal("190.000000"))]
    # a v1 ledger: nulls and empty lists
    out1 = tmp_path / "v1"
    assert cli("export", EXAMPLE, "--format", "parquet", "-o", out1,
               "--as-of", "2021-06-30").exit_code == 0
    v1 = pq.read_table(out1 / "tasks.parquet", columns=cols[1:]).to_pylist()
    assert v1 and all(t == {"parent_task_id": None, "target_value": None, "target_unit": None,
                            "tags": [], "owners": [], "unit_leaders": []} for t in v1)
    # the roll-up reads this version's exports, and refuses one of version 1
    assert json_of(cli("rollup", "--from-parquet", out, "-f", "json"))["totals"]["tasks"] == (
        len(rows))
    old = pq.read_table(out1 / "tasks.parquet")
    pq.write_table(old.drop_columns(cols[1:]), out1 / "tasks.parquet")
    r = cli("rollup", "--from-parquet", out1, "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {out1}/tasks.parquet does not have the "
                                          "columns of this luoshi's schema (version 7): "
                                          "export it again with this version\n")


# ---- audit of the export's completeness and the roll-up's exits ---------------------

EMPTY_GROUP = {
    "luoshi.yaml": "title: 空组台账\nyear: 2024\ncategories:\n"
                   "  - {id: a, name: 甲类, group: \"\"}\n"
                   "  - {id: b, name: 乙类, group: 第一组}\n",
    "units.yaml": "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: ld, name: 甲某}\n",
    "tasks/t.yaml": "".join(
        f"- {{id: T-{i}, title: 任务{i}, category: {c}, lead: fgw, leaders: [ld], "
        "start: 2024-01-01, standard: 完成, milestones: [{due: 2024-12-31, standard: 完成}], "
        "status: in_progress, progress: 50}\n" for i, c in ((1, "a"), (2, "b"))),
}


def test_an_empty_group_is_no_group_as_in_status(cli: Cli, write: Callable[..., Path],
                                                 tmp_path: Path) -> None:
    """`group: ""` is no group for `status` (`if c.group`): the export writes null
    there, so the roll-up has no nameless group that `status` lacks."""
    led = write(EMPTY_GROUP)
    status = json_of(cli("status", led, "--as-of", "2024-06-30", "-f", "json"))
    assert [(g["id"], g["tasks"]) for g in status["by_group"]] == [("第一组", 1)]
    doc = json_of(cli("rollup", led, "--as-of", "2024-06-30", "-f", "json"))
    assert doc["by_group"] == status["by_group"]
    out = tmp_path / "x"
    assert cli("export", led, "-f", "parquet", "-o", out, "--as-of", "2024-06-30").exit_code == 0
    assert pq.read_table(out / "categories.parquet").column("group_name").to_pylist() == [
        None, "第一组"]
    assert pq.read_table(out / "task_status.parquet").column("group_name").to_pylist() == [
        None, "第一组"]
    assert json_of(cli("rollup", "--from-parquet", out, "-f", "json"))["by_group"] == (
        status["by_group"])


#: a ledger that writes every field luoshi's model holds of it (the test below checks
#: that it does), with values that tell the fields apart
EVERY_FIELD = {
    "luoshi.yaml": """\
title: 全字段台账-TITLE
issuer: 发文机关-ISSUER
doc_no: 碑办发〔2024〕7号
year: 2024
language: en
warn_days: 9
progress_tolerance: 12
cc: 抄送-CC
printed_by: 印发-PRINTED
description: 台账说明-LEDGERDESC
categories:
  - {id: econ, name: 经济-CATNAME, group: 推进组-GROUP, planned: 2, description: 类别说明-CATDESC}
tags:
  - {id: board, name: 任务榜-TAGNAME, description: 清单说明-TAGDESC}
reporting: {cadence: weekly, day: 3}
""",
    "units.yaml": """\
units:
  - {id: fgw, name: 发改委-UNITNAME, short: 发改-SHORT, kind: 部门-KIND, assessed: true}
  - {id: zjj, name: 住建局-UNIT2}
  - {id: wly, name: 文旅局-UNIT3}
leaders:
  - {id: ld, name: 甲某-LEADER, title: 副区长-LTITLE}
  - {id: ld2, name: 乙某-LEADER2}
""",
    "tasks/a.yaml": """\
- id: T-1
  title: 开工项目-T1
  category: econ
  lead: fgw
  units: [zjj]
  cooperating: [wly]
  leaders: [ld, ld2]
  start: 2024-01-02
  standard: 全年开工300个-STD
  note: 任务说明-TASKNOTE
  target: {value: 300, unit: 个}
  owners: [张三-OWNER]
  unit_leaders: [李四-UNITLEADER]
  tags: [board]
  milestones:
    - {due: 2024-03-31, standard: 开工60个-MSSTD, done: 2024-03-29, target: 61, note: 节点说明-MSNOTE}
    - {due: 2024-12-31, standard: 开工300个-MSSTD2, target: 300}
  status: in_progress
  progress: 37
  updates:
    - {month: "2024-03", progress: 21, note: 开工60个-UPNOTE, problems: 资金不足-PROBLEMS, actual: 62}
  flags:
    - {kind: red_flag, date: 2024-04-30, by: 领导小组办公室-FLAGBY, note: 红旗-FLAGNOTE}
  locked: true
  adjustments:
    - {date: 2024-04-10, field: milestones, approved_by: ld, reason: 规划调整-ADJ}
- id: T-1.1
  title: 子任务-T11
  category: econ
  lead: zjj
  leaders: [ld]
  parent: T-1
  start: 2024-01-03
  standard: 子标准-STD11
  milestones:
    - {due: 2024-02-29, standard: 子节点-MS11, done: 2024-02-27}
  status: closed
  progress: 100
  closed: {date: 2024-03-05, approved_by: ld2, evidence: 验收报告-EVIDENCE}
""",
    "supervision/2024.yaml": """\
note: 2024年督办台账-FILENOTE
interviews:
  - {unit: fgw, date: 2024-04-12, kind: 提醒谈话-IVKIND, by: 区委督查室-IVBY, reason: 节点逾期-IVREASON, tasks: [T-1], note: 约谈备注-IVNOTE, period: 2024-Q1}
rectifications:
  - id: ZG-2024-01
    unit: fgw
    tasks: [T-1]
    source: interview
    reason: 约谈后限期整改-RCREASON
    note: 整改备注-RCNOTE
    opened: 2024-04-13
    due: 2024-05-31
    report: {date: 2024-05-20, note: 报告备注-REPORTNOTE}
    closed: {date: 2024-06-05, approved_by: ld, evidence: 整改报告-RCEVIDENCE}
""",
    # (the scheme is exported as the scores it gives, and the names of the categories
    # and items the records name; the record entry by entry)
    "scheme.yaml": """\
id: kaohe-SCHEME
title: 考核办法-SCHEMETITLE
components:
  - id: work
    name: 日常工作-WORK
    weight: 40
    items:
      - {id: p1, name: 细项一-ITEM1, points: 60}
      - {id: p2, name: 细项二-ITEM2, points: 40}
  - {id: delivery, name: 重点任务-DELIVERY, weight: 40, source: tasks, credit: responsible, timeliness: 50, quality: 50}
  - {id: service, name: 政务服务-SERVICE, weight: 20}
deductions:
  media_multiplier: 2
  categories:
    - {id: slack, name: 推进不力-DEDCAT, min: 1, max: 5}
bonuses:
  cap: 3
  categories:
    - {id: praise, name: 获表扬-BONUSCAT, min: 1, max: 3}
grades:
  - {name: 好, min: 80}
  - {name: 差, min: 0}
rules:
  - {id: veto-cap, when: {flag: veto}, max_grade: 差}
""",
    "records/2024-Q1.yaml": """\
period: 2024-Q1
note: 一季度考核记录-RECNOTE
scores:
  fgw: {service: 91}
  zjj: {service: n/a}
  wly: {service: 77}
items:
  fgw: {work: {p1: 55, p2: 35}}
  zjj: {work: {p1: 50, p2: 30.5}}
  wly: {work: {p1: 45, p2: 25}}
quality:
  T-1: {fgw: 93, zjj: 86}
  T-1.1: 81
deductions:
  - {unit: zjj, category: slack, date: 2024-02-20, points: 2, media: true, reason: 推进迟缓-DEDREASON,
     provisional: true, restored: {date: 2024-03-28, approved_by: 区考核办-RESTOREDBY, reason: 已整改-RESTOREDREASON}}
  - {unit: wly, category: slack, date: 2024-03-01, points: 3, reason: 敷衍应付-DEDREASON2}
bonuses:
  - {unit: fgw, category: praise, date: 2024-03-18, points: 2.5, reason: 经验推广-BONUSREASON}
flags:
  - {unit: wly, kind: veto, date: 2024-03-20, reason: 一票否决-FLAGREASON}
""",
}

#: model fields that are not ledger data: where a record was read, what failed to read,
#: and how luoshi reads the ledger (`files:`, `lint:`, `max_file_mb:`)
NOT_DATA = {"src", "missing", "root", "incomplete", "unnamed", "broken", "files", "max_file_mb",
            "lint_select", "lint_ignore",
            # where a task's list entries were written (`Task.kept`): places findings only
            "kept",
            # exported as computed: the `scores` and `unit_scores` tables (and the names
            # of the deduction and bonus categories and of the items the records name)
            "scheme"}


def _unwritten(objects: list[Any]) -> list[str]:
    """The fields of the dataclass `objects` that none of them writes (None, empty, or
    the default), recursing into the records they hold."""
    from dataclasses import MISSING, fields, is_dataclass

    missing = []
    cls = type(objects[0])
    for f in fields(cls):
        if f.name in NOT_DATA:
            continue
        default = (f.default if f.default is not MISSING else f.default_factory()
                   if f.default_factory is not MISSING else MISSING)
        values = [getattr(o, f.name) for o in objects]
        written = [v for v in values if v not in (None, (), "", frozenset(), {})
                   and (default is MISSING or v != default)]
        if not written:
            missing.append(f"{cls.__name__}.{f.name}")
            continue
        inner = [x for v in written for x in (v if isinstance(v, tuple) else
                                              v.values() if isinstance(v, dict) else (v,))]
        if inner and all(is_dataclass(x) for x in inner):
            missing += _unwritten(inner)
    return missing


def _leaves(doc: Any) -> list[Any]:
    """Every scalar a YAML document writes (not its keys), but `files:` and `lint:`."""
    if isinstance(doc, dict):
        return [x for k, v in doc.items() if k not in ("files", "lint", "max_file_mb")
                for x in _leaves(v)]
    if isinstance(doc, list):
        return [x for v in doc for x in _leaves(v)]
    return [doc]


def test_the_export_holds_everything_the_ledger_writes(cli: Cli, write: Callable[..., Path],
                                                       tmp_path: Path) -> None:
    """SPEC §13: "the raw entities are exported too, for any other question" — every
    value of a ledger that writes every field luoshi reads of it (task note, milestone
    target and note, problems, closing evidence, flags, adjustments, tag names, the
    supervision loop …) is in some table of the export."""
    import yaml

    from luoshi_cli.load.assemble import open_ledger

    led = write(EVERY_FIELD)
    ledger = open_ledger(led).ledger
    assert _unwritten([ledger]) == []  # the ledger writes every field of the model
    out = tmp_path / "x"
    r = cli("export", led, "-f", "parquet", "-o", out, "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.stderr
    exported: set[Any] = set()
    for f in out.iterdir():
        for column in pq.read_table(f).to_pydict().values():
            for v in column:
                exported.update(v if isinstance(v, list) else [v])
    # (a leaf written `n/a` is a row of `not_applicable`, not the token)
    written = [v for rel in EVERY_FIELD if rel != "scheme.yaml"
               for v in _leaves(yaml.safe_load(EVERY_FIELD[rel])) if v != "n/a"]
    assert [v for v in written if v not in exported] == []

    def rows(table: str) -> list[dict[str, Any]]:
        return [{k: v for k, v in row.items() if k != "ledger"}
                for row in pq.read_table(out / f"{table}.parquet").to_pylist()]

    d = date
    assert rows("tags") == [{"tag_id": "board", "name": "任务榜-TAGNAME", "position": 0,
                             "description": "清单说明-TAGDESC"}]
    assert rows("task_flags") == [{"task_id": "T-1", "seq": 1, "kind": "red_flag",
                                   "flag_date": d(2024, 4, 30), "awarded_by": "领导小组办公室-FLAGBY",
                                   "note": "红旗-FLAGNOTE"}]
    assert rows("adjustments") == [{"task_id": "T-1", "seq": 1,
                                    "adjustment_date": d(2024, 4, 10), "field": "milestones",
                                    "approved_by": "ld", "reason": "规划调整-ADJ"}]
    assert rows("interviews") == [{"seq": 1, "unit_id": "fgw", "interview_date": d(2024, 4, 12),
                                   "kind": "提醒谈话-IVKIND", "held_by": "区委督查室-IVBY",
                                   "reason": "节点逾期-IVREASON", "task_ids": ["T-1"],
                                   "file": "supervision/2024.yaml", "note": "约谈备注-IVNOTE",
                                   "period": "2024-Q1"}]
    assert rows("rectifications") == [{
        "rectification_id": "ZG-2024-01", "unit_id": "fgw", "task_ids": ["T-1"],
        "source": "interview", "opened": d(2024, 4, 13), "due": d(2024, 5, 31),
        "report_date": d(2024, 5, 20), "closed_date": d(2024, 6, 5),
        "closed_approved_by": "ld", "closed_evidence": "整改报告-RCEVIDENCE",
        "file": "supervision/2024.yaml", "reason": "约谈后限期整改-RCREASON",
        "note": "整改备注-RCNOTE", "report_note": "报告备注-REPORTNOTE"}]
    assert rows("supervision_files") == [{"file": "supervision/2024.yaml",
                                          "note": "2024年督办台账-FILENOTE", "position": 0}]
    tasks = {t["task_id"]: t for t in rows("tasks")}
    assert (tasks["T-1"]["note"], tasks["T-1"]["closed_evidence"]) == ("任务说明-TASKNOTE", None)
    assert (tasks["T-1.1"]["closed_approved_by"], tasks["T-1.1"]["closed_evidence"]) == (
        "ld2", "验收报告-EVIDENCE")
    assert [(m["task_id"], m["seq"], m["target_value"], m["note"]) for m in rows("milestones")
            ] == [("T-1", 1, Decimal(61), "节点说明-MSNOTE"), ("T-1", 2, Decimal(300), None),
                  ("T-1.1", 1, None, None)]
    assert [u["problems"] for u in rows("updates")] == ["资金不足-PROBLEMS"]
    assert rows("categories")[0]["planned"] == 2
    # the record: a provisional deduction exposed by the media (2 points × 2) and
    # restored, told from a final one; the bonus, the flag, quality per unit and per
    # task, the checklist's points, the `n/a` and the note
    q1 = "2024-Q1"
    assert rows("records") == [{"period": q1, "file": "records/2024-Q1.yaml",
                                "note": "一季度考核记录-RECNOTE"}]
    assert rows("deductions") == [
        {"period": q1, "seq": 1, "unit_id": "zjj", "deduction_category_id": "slack",
         "deduction_category_name": "推进不力-DEDCAT", "deduction_date": d(2024, 2, 20),
         "points": Decimal(2), "media": True, "deducted": Decimal(4),
         "reason": "推进迟缓-DEDREASON", "provisional": True, "restored_date": d(2024, 3, 28),
         "restored_approved_by": "区考核办-RESTOREDBY", "restored_reason": "已整改-RESTOREDREASON"},
        {"period": q1, "seq": 2, "unit_id": "wly", "deduction_category_id": "slack",
         "deduction_category_name": "推进不力-DEDCAT", "deduction_date": d(2024, 3, 1),
         "points": Decimal(3), "media": False, "deducted": Decimal(3),
         "reason": "敷衍应付-DEDREASON2", "provisional": False, "restored_date": None,
         "restored_approved_by": None, "restored_reason": None}]
    assert rows("bonuses") == [{"period": q1, "seq": 1, "unit_id": "fgw", "bonus_category_id": "praise",
                                "bonus_category_name": "获表扬-BONUSCAT", "bonus_date": d(2024, 3, 18),
                                "points": Decimal("2.5"), "reason": "经验推广-BONUSREASON"}]
    assert rows("record_flags") == [{"period": q1, "seq": 1, "unit_id": "wly", "kind": "veto",
                                     "flag_date": d(2024, 3, 20), "reason": "一票否决-FLAGREASON"}]
    assert rows("task_quality") == [
        {"period": q1, "task_id": "T-1", "unit_id": "fgw", "quality": Decimal(93)},
        {"period": q1, "task_id": "T-1", "unit_id": "zjj", "quality": Decimal(86)},
        {"period": q1, "task_id": "T-1.1", "unit_id": None, "quality": Decimal(81)}]
    assert [(r["unit_id"], r["component_id"], r["item_id"], r["item_name"], r["points"])
            for r in rows("item_points")] == [
        ("fgw", "work", "p1", "细项一-ITEM1", Decimal(55)),
        ("fgw", "work", "p2", "细项二-ITEM2", Decimal(35)),
        ("zjj", "work", "p1", "细项一-ITEM1", Decimal(50)),
        ("zjj", "work", "p2", "细项二-ITEM2", Decimal("30.5")),
        ("wly", "work", "p1", "细项一-ITEM1", Decimal(45)),
        ("wly", "work", "p2", "细项二-ITEM2", Decimal(25))]
    assert rows("not_applicable") == [{"period": q1, "unit_id": "zjj", "component_id": "service"}]
    [head] = rows("ledger")
    assert {k: head[k] for k in ("cc", "printed_by", "reporting_cadence", "reporting_day",
                                 "supervised")} == {
        "cc": "抄送-CC", "printed_by": "印发-PRINTED", "reporting_cadence": "weekly",
        "reporting_day": 3, "supervised": True}
    # a ledger without these: nulls, and tables without rows
    plain = tmp_path / "plain"
    assert cli("export", EXAMPLE, "-f", "parquet", "-o", plain, "--as-of", "2021-06-30"
               ).exit_code == 0
    for table in ("tags", "interviews", "rectifications", "bonuses", "task_quality",
                  "not_applicable"):
        assert pq.read_table(plain / f"{table}.parquet").num_rows == 0, table
    [head] = pq.read_table(plain / "ledger.parquet").to_pylist()
    assert (head["cc"], head["reporting_cadence"], head["reporting_day"], head["supervised"]
            ) == (None, "monthly", None, False)


def test_the_readme_documents_every_table_and_column() -> None:
    """docs/readme/75-analytics.md lists every table with its columns and types, in the
    order they are written (`SCHEMAS`)."""
    import re

    from luoshi_cli.analytics.tables import SCHEMAS

    text = (REPO / "docs" / "readme" / "75-analytics.md").read_text(encoding="utf-8")
    text = text[text.index("### The tables"):text.index("### The roll-up report")]
    names = {"string": "string", "int32": "int32", "bool": "bool", "date32": "date32[day]",
             "decimal(18,6)": "decimal128(18, 6)", "list<string>": "list<item: string>"}
    doc: dict[str, list[tuple[str, str]]] = {}
    table = None
    for line in text.splitlines():
        if m := re.match(r"\*\*(\w+)\*\* —", line):
            table = m.group(1)
            doc[table] = []
        elif (m := re.match(r"\| (\w+) \| ([^|]+) \|", line)) and table and m.group(1) != "column":
            doc[table].append((m.group(1), names[m.group(2).strip().replace("\\", "")]))
    assert doc == {t: [(f.name, str(f.type)) for f in s] for t, s in SCHEMAS.items()}


#: `luoshi ARGS...` as the console script runs it, saying whether it left through
#: `os._exit` (`__main__._exit_without_teardown`) and with which code
_SPY = ("import os, sys\n"
        "real = os._exit\n"
        "def spy(code):\n"
        "    sys.stderr.write(f'[os._exit({code})]\\n')\n"
        "    sys.stderr.flush()\n"
        "    real(code)\n"
        "os._exit = spy\n"
        "from luoshi_cli.__main__ import main\n"
        "main()\n")


def test_the_engines_commands_exit_without_the_teardown_pyarrow_may_abort(
        cli: Cli, tmp_path: Path) -> None:
    """pyarrow's threads can abort the interpreter's teardown (apache/arrow#34314): about
    1 run in 100 of a rollup refusing an export died of SIGABRT (exit 134) after its
    one-line refusal, more often on a loaded machine, never in an idle loop of 300 — a
    race no loop of runs catches reliably.  So what is tested is the way out: `rollup`
    and `export --format parquet` leave through `os._exit` (no teardown, the C++ threads
    never joined), on success and on refusal, with their exit codes and every line
    they wrote."""
    import os
    import subprocess
    import sys

    def luoshi(*args: str | Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LUOSHI_LANG": "en"}
        return subprocess.run([sys.executable, "-c", _SPY, *map(str, args)], env=env,
                              capture_output=True, text=True, timeout=120, check=False)

    out = tmp_path / "x"
    r = luoshi("export", EXAMPLE, "-f", "parquet", "-o", out, "--as-of", "2021-06-30",
               "--lang", "en")  # (the ledger's language, not LUOSHI_LANG's, once it is read)
    assert (r.returncode, r.stdout) == (0, "")
    assert r.stderr == f"wrote {out} (ledger weinan-2021, as of 2021-06-30)\n[os._exit(0)]\n"
    r = luoshi("rollup", "--from-parquet", out, "-f", "json")
    assert r.returncode == 0 and r.stderr == "[os._exit(0)]\n"
    assert json.loads(r.stdout)["totals"]["tasks"] == 20  # stdout written out in full
    status = out / "task_status.parquet"
    t = pq.read_table(status)
    pq.write_table(t.set_column(t.schema.get_field_index("milestones_due"), "milestones_due",
                                pa.nulls(t.num_rows, pa.int32())), status)
    for args in (("rollup", "--from-parquet", out), ("--lang", "en", "rollup",
                                                     "--from-parquet", out, "-f", "csv")):
        r = luoshi(*args)
        assert (r.returncode, r.stdout) == (2, "")
        assert r.stderr == (f"luoshi: {out} is not a consistent luoshi export: task_status."
                            "parquet has empty values in column milestones_due (export it "
                            "again with luoshi export --format parquet)\n[os._exit(2)]\n")
    # any refusal once the engines are loaded (rollup checks the extra first)
    r = luoshi("rollup", "--from-parquet", tmp_path / "none")
    assert (r.returncode, r.stderr) == (2, f"luoshi: {tmp_path / 'none'} is not a directory\n"
                                           "[os._exit(2)]\n")


def test_every_table_of_an_export_has_one_row_per_key(cli: Cli, write: Callable[..., Path],
                                                      tmp_path: Path) -> None:
    """`KEYS` (documented in the README) name one row of each table in luoshi's own
    exports — what `rollup` requires of the tables it reads."""
    from luoshi_cli.analytics.tables import KEYS, TABLES

    assert set(KEYS) == set(TABLES)
    filled = set()
    for ledger, day in ((EXAMPLE, "2021-12-31"), (KAOHE, "2024-06-30"),
                        (write(EVERY_FIELD), "2024-06-30")):
        out = tmp_path / "out" / ledger.name
        r = cli("export", ledger, "-f", "parquet", "-o", out, "--as-of", day)
        assert r.exit_code == 0, r.stderr
        for table, key in KEYS.items():
            t = pq.read_table(out / f"{table}.parquet")
            if key and t.num_rows:
                filled.add(table)
                assert t.select(list(key)).group_by(list(key)).aggregate([]).num_rows == (
                    t.num_rows), table
    assert filled == {t for t, key in KEYS.items() if key}


@pytest.mark.parametrize(("output", "why"), [
    ("nonexist/..", "{o} ends in .., which names no directory of its own: give the export "
                    "directory's own name with -o"),
    ("..", "{o} ends in .., which names no directory of its own: give the export "
           "directory's own name with -o"),
    ("L/units.yaml/x", "cannot write {o}: L/units.yaml is not a directory"),
    ("L/units.yaml/x/y", "cannot write {o}: L/units.yaml is not a directory"),
    ("new/../x", "cannot write {o}: new does not exist, so the .. after it leads nowhere"),
    ("new/a/../../x", "cannot write {o}: new/a does not exist, so the .. after it leads "
                      "nowhere"),
])
def test_an_output_that_cannot_be_a_directory_is_one_line_creating_nothing(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str,
        why: str) -> None:
    """`-o nonexist/..` failed with "Device or resource busy" after creating
    `nonexist/`; `-o L/units.yaml/x` said "File exists"."""
    copy(EXAMPLE, tmp_path / "L")
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    r = cli("export", "L", "-f", "parquet", "-o", output, "--as-of", "2021-06-30",
            "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {why.format(o=output)}\n")
    assert sorted(tmp_path.rglob("*")) == before


def test_a_failed_export_removes_the_directories_it_created(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The directories above `-o` that the export created are gone again when writing
    fails (what was there before stays)."""
    import errno

    from luoshi_cli.analytics import tables

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tables.pq, "write_table", full)
    (tmp_path / "kept").mkdir()
    r = cli("export", EXAMPLE, "-f", "parquet", "-o", tmp_path / "kept" / "a" / "b" / "out",
            "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 2 and "No space left on device" in r.stderr
    assert list(tmp_path.rglob("*")) == [tmp_path / "kept"]
