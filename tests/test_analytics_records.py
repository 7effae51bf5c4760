"""The scoring records (records/*.yaml, SPEC §4 and §10) in `luoshi export --format
parquet`: what a record writes besides its leaf scores — deductions (provisional and
restored), bonuses, flags, task quality, checklist item points, `n/a` marks and the
record's note — one table per kind of entry, one row per entry.  Before, none of it
was exported (`unit_scores.deductions` is a total: a provisional deduction could not be
told from a final one).  Every value below is read off the example's YAML by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import yaml

from conftest import BEILIN, EXAMPLE, REPO, Run

Cli = Callable[..., Run]
KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"
#: the tables of the records' entries, in the order they are written
RECORD_TABLES = ("records", "deductions", "bonuses", "record_flags", "task_quality",
                 "item_points", "not_applicable")


def export(cli: Cli, ledger: Path, out: Path, as_of: str, *extra: str) -> Path:
    r = cli("export", ledger, "-f", "parquet", "-o", out, "--as-of", as_of, *extra)
    assert r.exit_code == 0, r.stderr
    return out


def rows(out: Path, table: str) -> list[dict[str, Any]]:
    """The table's rows without the `ledger` column (checked once, below)."""
    t = pq.read_table(out / f"{table}.parquet").to_pylist()
    return [{k: v for k, v in row.items() if k != "ledger"} for row in t]


def deduction(period: str, seq: int, unit: str, cat: str, name: str, day: date,
              points: int, media: bool, deducted: int, reason: str) -> dict[str, Any]:
    """A deduction's row, not provisional."""
    return {"period": period, "seq": seq, "unit_id": unit, "deduction_category_id": cat,
            "deduction_category_name": name, "deduction_date": day, "points": Decimal(points),
            "media": media, "deducted": Decimal(deducted), "reason": reason,
            "provisional": False, "restored_date": None, "restored_approved_by": None,
            "restored_reason": None}


SLACK, LAXITY, APATHY = "缺乏责任心、混日子", "不严不实", "服务群众态度恶劣、漠视群众利益"
FORMALISM, VALUES = "形式主义、官僚主义", "发展观、政绩观、价值观偏差"


def test_weinan_records_entry_by_entry(cli: Cli, tmp_path: Path) -> None:
    """The Weinan example (format v1): nine deductions in four quarters — two of them
    exposed by the media, deducting twice their points (`media_multiplier: 2`) — two
    vetoes, the checklist points of four leaves, no bonus, quality or `n/a`."""
    out = export(cli, EXAMPLE, tmp_path / "x", "2021-12-31")
    d = date
    assert rows(out, "records") == [
        {"period": p, "file": f"records/{p}.yaml", "note": None}
        for p in ("2021", "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4")]
    assert rows(out, "deductions") == [
        deduction("2021-Q1", 1, "chenggaiban", "slack", SLACK, d(2021, 3, 15), 3, False, 3,
                  "全区调度会期间多人迟到、玩手机"),
        deduction("2021-Q1", 2, "weinangs", "laxity", LAXITY, d(2021, 2, 24), 4, False, 4,
                  "瞒报孵化器项目前期工作进展"),
        deduction("2021-Q2", 1, "dongqu", "formalism", FORMALISM, d(2021, 5, 12), 7, True, 14,
                  "对辖区企业重复检查、表格材料过多，被市级主流媒体曝光"),
        deduction("2021-Q2", 2, "jinchengshequ", "formalism", FORMALISM, d(2021, 4, 20), 6,
                  False, 6, "调研搞层层陪同、超人数陪同"),
        deduction("2021-Q2", 3, "longbei", "apathy", APATHY, d(2021, 6, 8), 5, False, 5,
                  "群众来电反映的合理诉求未及时解决"),
        deduction("2021-Q3", 1, "shehuiju", "values", VALUES, d(2021, 8, 20), 8, False, 8,
                  "巡察反馈问题整改不到位、超期完成"),
        deduction("2021-Q3", 2, "chenggaiban", "laxity", LAXITY, d(2021, 9, 10), 5, False, 5,
                  "虚报城中村拆除工作进展"),
        deduction("2021-Q4", 1, "zhaoshangju", "slack", SLACK, d(2021, 11, 5), 2, False, 2,
                  "公文处理校对不细、内容不实"),
        deduction("2021-Q4", 2, "weinangs", "apathy", APATHY, d(2021, 12, 3), 4, True, 8,
                  "对入驻企业诉求推诿扯皮，被省级主流媒体曝光"),
    ]
    assert rows(out, "record_flags") == [
        {"period": "2021", "seq": 1, "unit_id": "longbei", "kind": "veto", "flag_date": None,
         "reason": "年度内发生干部严重违纪案件，作风建设专项考核一票否决"},
        {"period": "2021-Q2", "seq": 1, "unit_id": "guijianju", "kind": "veto",
         "flag_date": None, "reason": "监管的在建工地发生安全生产责任事故"}]
    for empty in ("bonuses", "task_quality", "not_applicable"):
        assert rows(out, empty) == [], empty
    items = rows(out, "item_points")
    # one row per item point the four records write: 13 units × 53 items (21 + 5 + 5 +
    # 22) a quarter
    written = [yaml.safe_load((EXAMPLE / "records" / f"2021-Q{q}.yaml").read_text("utf-8"))
               for q in (1, 2, 3, 4)]
    assert len(items) == sum(len(pts) for rec in written for leaves in rec["items"].values()
                             for pts in leaves.values()) == 4 * 13 * 53
    assert [r for r in items if (r["period"], r["unit_id"], r["component_id"]) == (
        "2021-Q2", "chongyelu", "exercise")] == [
        {"period": "2021-Q2", "unit_id": "chongyelu", "component_id": "exercise",
         "item_id": item, "item_name": name, "points": Decimal(points)}
        for item, name, points in (("e1", "重点工作一线锻炼", "18.5"),
                                   ("e2", "乡村振兴基层锻炼", "18.5"),
                                   ("e3", "工业倍增提升锻炼", "18"),
                                   ("e4", "发达地区挂职锻炼", "16.5"),
                                   ("e5", "上下交流多岗锻炼", "17"))]
    # (the first item of the first unit of the first quarter: the order as written)
    assert items[0] == {"period": "2021-Q1", "unit_id": "chongyelu", "component_id": "training",
                        "item_id": "t01", "item_name": "黄河流域生态保护和高质量发展专题培训班",
                        "points": Decimal("4.5")}
    for table in RECORD_TABLES:
        names = pq.read_table(out / f"{table}.parquet").column("ledger").unique().to_pylist()
        assert names in ([], ["weinan-2021"]), table


def test_beilin_records_entry_by_entry(cli: Cli, tmp_path: Path) -> None:
    """The 碑林 scheme v2 ledger: a provisional deduction restored (已返还), bonuses,
    quality per task and per unit, a leaf written `n/a`."""
    out = export(cli, KAOHE, tmp_path / "x", "2024-06-30")
    d = date
    slack = "推进不力、敷衍应付"
    assert rows(out, "records") == [
        {"period": "2024-Q1", "file": "records/2024-Q1.yaml", "note": None},
        {"period": "2024-Q2", "file": "records/2024-Q2.yaml", "note": None}]
    assert rows(out, "deductions") == [
        deduction("2024-Q1", 1, "zhangjiacun", "slack", slack, d(2024, 2, 20), 2, False, 2,
                  "台账更新不及时"),
        deduction("2024-Q1", 2, "zhangjiacun", "slack", slack, d(2024, 3, 12), 1, False, 1,
                  "督办事项逾期反馈"),
        {**deduction("2024-Q1", 3, "jiaoyuju", "slack", slack, d(2024, 3, 5), 2, False, 2,
                     "课后服务覆盖不达序时"),
         "provisional": True, "restored_date": d(2024, 3, 28),
         "restored_approved_by": "区考核办", "restored_reason": "已整改到位"},
        deduction("2024-Q2", 1, "zhujianju", "slack", slack, d(2024, 5, 16), 2, False, 2,
                  "回迁安置节点推进迟缓"),
    ]
    praise = "获上级表扬或推广经验"
    assert rows(out, "bonuses") == [
        {"period": "2024-Q1", "seq": 1, "unit_id": "nanyuanmen", "bonus_category_id": "praise",
         "bonus_category_name": praise, "bonus_date": d(2024, 3, 18), "points": Decimal(2),
         "reason": "经验被市委督查室推广"},
        {"period": "2024-Q1", "seq": 2, "unit_id": "nanyuanmen", "bonus_category_id": "praise",
         "bonus_category_name": praise, "bonus_date": d(2024, 3, 25), "points": Decimal(2),
         "reason": "获市级表扬"},
        {"period": "2024-Q2", "seq": 1, "unit_id": "baishulin", "bonus_category_id": "praise",
         "bonus_category_name": praise, "bonus_date": d(2024, 6, 12), "points": Decimal(2),
         "reason": "老旧小区改造经验被市级推广"}]
    assert [(r["period"], r["task_id"], r["unit_id"], r["quality"])
            for r in rows(out, "task_quality")] == [
        ("2024-Q1", "K-01", "fgw", Decimal(90)), ("2024-Q1", "K-01", "nanyuanmen", Decimal(92)),
        ("2024-Q1", "K-01", "baishulin", Decimal(85)), ("2024-Q1", "K-02", None, Decimal(80)),
        ("2024-Q1", "K-03", None, Decimal(88)), ("2024-Q1", "K-04", None, Decimal(95)),
        ("2024-Q1", "K-05", None, Decimal(70))]
    assert rows(out, "not_applicable") == [
        {"period": "2024-Q1", "unit_id": "changlefang", "component_id": "service"}]
    for empty in ("record_flags", "item_points"):
        assert rows(out, empty) == [], empty


#: each unit's deductions in a period that `unit_scores.deductions` does not hold: the
#: `deducted` of its deductions dated in the period, the provisional ones restored by the
#: period's end left out (the README's rule)
UNCOUNTED = """
WITH u AS (
  SELECT *,
    CASE WHEN period LIKE '%-Q%'
         THEN make_date(CAST(period[1:4] AS INT), 3 * CAST(period[7:7] AS INT) - 2, 1)
         WHEN length(period) = 4 THEN make_date(CAST(period AS INT), 1, 1)
         ELSE CAST(period || '-01' AS DATE) END AS first_day,
    CASE WHEN period LIKE '%-Q%'
         THEN last_day(make_date(CAST(period[1:4] AS INT), 3 * CAST(period[7:7] AS INT), 1))
         WHEN length(period) = 4 THEN make_date(CAST(period AS INT), 12, 31)
         ELSE last_day(CAST(period || '-01' AS DATE)) END AS last_day
  FROM '@unit_scores.parquet')
SELECT u.period, u.unit_id, u.deductions,
  COALESCE(SUM(d.deducted) FILTER (WHERE NOT d.provisional OR d.restored_date IS NULL
                                     OR d.restored_date > u.last_day), 0) AS counted,
  COALESCE(SUM(d.deducted) FILTER (WHERE d.provisional AND d.restored_date <= u.last_day),
           0) AS restored
FROM u LEFT JOIN '@deductions.parquet' d
  ON d.unit_id = u.unit_id AND d.deduction_date BETWEEN u.first_day AND u.last_day
GROUP BY ALL
HAVING u.deductions > 0 OR counted > 0 OR restored > 0
ORDER BY ALL"""


def test_a_provisional_deduction_is_told_from_a_final_one_in_sql(cli: Cli,
                                                                 tmp_path: Path) -> None:
    """What the audit asked for: the deductions a score subtracts are the rows of
    `deductions` dated in its period, less the provisional ones restored by the
    period's end — summed, each unit's `unit_scores.deductions`; jiaoyuju's 2 points,
    restored on 2024-03-28, count nowhere (its Q1 and its year deduct 0)."""
    kaohe = export(cli, KAOHE, tmp_path / "k", "2024-12-31", "--partial")
    weinan = export(cli, EXAMPLE, tmp_path / "w", "2021-12-31")
    con = duckdb.connect()

    def q(out: Path) -> list[tuple[Any, ...]]:
        return con.execute(UNCOUNTED.replace("@", f"{out}/")).fetchall()

    n = Decimal
    assert q(kaohe) == [
        ("2024", "jiaoyuju", n(0), n(0), n(2)), ("2024", "zhangjiacun", n(3), n(3), n(0)),
        ("2024", "zhujianju", n(2), n(2), n(0)), ("2024-Q1", "jiaoyuju", n(0), n(0), n(2)),
        ("2024-Q1", "zhangjiacun", n(3), n(3), n(0)),
        ("2024-Q2", "zhujianju", n(2), n(2), n(0))]
    # Weinan: a media exposure deducts twice its points in the quarter and in the year
    rows_w = q(weinan)
    assert [r for r in rows_w if r[2] != r[3] or r[4]] == []
    assert [r[:3] for r in rows_w if r[1] in ("dongqu", "weinangs")] == [
        ("2021", "dongqu", n(14)), ("2021", "weinangs", n(12)),
        ("2021-Q1", "weinangs", n(4)), ("2021-Q2", "dongqu", n(14)),
        ("2021-Q4", "weinangs", n(8))]


def test_a_ledger_without_records_has_the_tables_empty(cli: Cli, tmp_path: Path) -> None:
    """碑林 without a scheme: each table is there, with its columns and no row."""
    from luoshi_cli.analytics.tables import SCHEMAS

    out = export(cli, BEILIN, tmp_path / "x", "2024-06-30")
    for table in RECORD_TABLES:
        t = pq.read_table(out / f"{table}.parquet")
        assert (t.num_rows, t.schema.remove_metadata()) == (0, SCHEMAS[table]), table


def test_the_record_tables_are_new_files_of_schema_7(cli: Cli, tmp_path: Path) -> None:
    """New tables, not new columns: the version stays 7, and `rollup` reads an export
    with them as one without."""
    out = export(cli, KAOHE, tmp_path / "x", "2024-06-30")
    assert pq.read_table(out / "ledger.parquet").column("schema_version").to_pylist() == [7]
    before = cli("rollup", "--from-parquet", out, "-f", "json")
    assert before.exit_code == 0, before.stderr
    for table in RECORD_TABLES:
        (out / f"{table}.parquet").unlink()
    after = cli("rollup", "--from-parquet", out, "-f", "json")
    assert (after.exit_code, after.stdout) == (0, before.stdout)
    # and the export's directory is still recognisably an export: replaced in place
    again = export(cli, KAOHE, out, "2024-06-30")
    assert set(RECORD_TABLES) <= {p.stem for p in again.iterdir()}
