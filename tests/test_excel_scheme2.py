"""Scheme v2 in Excel (SPEC §10): `n/a` / 不适用 in a score sheet's cell; the export's
得分 sheet shows the ranking group, the bonuses and 不适用."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_excel_import import score_sheet


def test_na_token_in_a_score_cell(cli: Any, example: Path, tmp_path: Path) -> None:
    (example / "records" / "2021-Q2.yaml").unlink()
    sheet = score_sheet(tmp_path / "s.xlsx", [
        ["崇业路街道", 87.5, "不适用"],
        ["longbei", "N/A", 86.5],
    ], ["单位", "hotline", "service"])
    r = cli("import", "scores", sheet, example, "--period", "2021-Q2")
    assert r.exit_code == 0, r.stderr
    out = example / "records" / "2021-Q2.yaml"
    assert out.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.luoshi/schema/record.schema.json\n"
        "# luoshi import scores s.xlsx (sheet 二季度得分)\n"
        "period: 2021-Q2\n"
        "scores:\n"
        "  chongyelu: {hotline: 87.5, service: n/a}\n"
        "  longbei: {hotline: n/a, service: 86.5}\n")


TASK = """- {id: T-1, title: 任务一, category: cat, lead: d1, leaders: [zhang], start: 2021-01-01,
   standard: 完成, milestones: [{due: 2021-12-31, standard: 完成}], status: planned,
   progress: 0}
"""


def test_export_scores_sheet_shows_group_bonuses_and_na(cli: Any, write: Any,
                                                        tmp_path: Path) -> None:
    import openpyxl

    from test_score_v2_outputs import CONFIG, RECORD, SCHEME, UNITS

    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS + "leaders:\n  - {id: zhang, name: 张某}\n",
                  "scheme.yaml": SCHEME,
                  "records/2021-Q2.yaml": RECORD, "tasks/t.yaml": TASK})
    out = tmp_path / "w.xlsx"
    r = cli("export", root, "-o", out, "--as-of", "2021-12-31")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(out)["得分 2021-Q2"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        # then each component's score as the record writes it (n/a, not applicable: blank)
        ["分组", "排名", "单位", "编号", "得分", "等次", "调整前等次", "扣分", "加分", "约谈", "适用规则",
         "不适用", "工作", "政务服务"],
        ["市直单位", 1, "发改局", "d1", 95, "优秀", None, 0, None, None, None, None, 95, 95],
        ["市直单位", 2, "教育局", "d2", 94, "优秀", None, 0, None, None, None, None, 94, 94],
        # moved by the 优秀 quota (`luoshi score`: 良好（优秀→良好）)
        ["市直单位", 3, "民政局", "d3", 93, "良好", "优秀", 0, None, None, None, None, 93, 93],
        ["市直单位", 4, "水务局", "d4", 85, "良好", None, 0, None, "是", None, "政务服务", 85, None],
        # 5 points of bonuses, capped at 3: 90 + 3
        ["街道", 1, "东街道", "s1", 93, "优秀", None, 0, 3, None, None, "政务服务", 90, None],
        ["街道", 2, "西街道", "s2", 66, "一般", None, 4, None, "是", "同类问题频发降一档", "政务服务",
         70, None],
    ]
    assert ws.freeze_panes == "D3" and ws.auto_filter.ref == "A2:N8"


def test_export_task_sheet_shows_targets_and_children(cli: Any, write: Any,
                                                      tmp_path: Path) -> None:
    """Tasks v2 (SPEC §11): 上级任务, 目标值, 实际完成值 and 目标完成率% columns; a child's
    title indented under its parent's; the sheet still imports (those columns are
    luoshi's, skipped)."""
    import openpyxl

    from test_tasks_v2 import CONFIG, KID_1, KID_2, OTHER, PARENT, UNITS

    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": PARENT + OTHER, "tasks/b.yaml": KID_1 + KID_2})
    out = tmp_path / "w.xlsx"
    r = cli("export", root, "-o", out, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(out)["任务明细"]  # luoshi's v2 columns are details
    heads = [c.value for c in ws[2]]
    assert heads[:4] == ["编号", "任务名称", "上级任务", "类别"]
    cols = {h: i for i, h in enumerate(heads)}
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [(r[0], r[2], r[cols["目标值"]], r[cols["实际完成值"]], r[cols["目标完成率%"]])
            for r in rows] == [
        ("P", None, "300 个", 190, 63.33), ("P.1", "P", "200 个", 120, 60),
        ("P.2", "P", "100 个", 70, 70), ("Q", None, "60 亿元", 30, 50)]
    assert [ws.cell(r, 2).alignment.indent for r in range(3, 7)] == [0, 2, 2, 0]
    tasks = openpyxl.load_workbook(out)["任务台账"]  # and on the printed sheet
    assert [tasks.cell(r, 2).alignment.indent for r in range(3, 7)] == [0, 2, 2, 0]
    # the exported sheet reads back: luoshi's columns are skipped
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("luoshi.yaml", "units.yaml"):
        (copy / name).write_bytes((root / name).read_bytes())
    r = cli("import", "tasks", out, copy, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr


def test_bonus_column_into_a_new_record(cli: Any, write: Any, tmp_path: Path) -> None:
    """A `加分:<category>` column (id or name of a scheme bonus category) becomes the
    record's bonuses, dated the period's last day; over an existing record it is refused
    (only --replace may), since merging would double or drop dated entries."""
    from test_score_v2_outputs import CONFIG, RECORD, SCHEME, UNITS

    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "scheme.yaml": SCHEME,
                  "records/2021-Q2.yaml": RECORD, "tasks/t.yaml": TASK})
    sheet = score_sheet(tmp_path / "s.xlsx", [
        ["发改局", 95, 90, None],
        ["东街道", 88, "不适用", 2],
    ], ["单位", "工作", "政务服务", "加分：上级表彰"], name="得分")
    r = cli("import", "scores", sheet, root, "--period", "2021-Q3", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert (root / "records" / "2021-Q3.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.luoshi/schema/record.schema.json\n"
        "# luoshi import scores s.xlsx (sheet 得分)\n"
        "period: 2021-Q3\n"
        "scores:\n"
        "  d1: {work: 95, service: 90}\n"
        "  s1: {work: 88, service: n/a}\n"
        "bonuses:\n"
        "- {unit: s1, category: award, date: 2021-09-30, points: 2}\n")
    r = cli("import", "scores", sheet, root, "--period", "2021-Q3", "--lang", "en")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "得分!D2: a bonus column goes into a new record only, or with --replace (the "
        "sheet replaces the record)")
    bad = score_sheet(tmp_path / "b.xlsx", [["东街道", 88, 1]], ["单位", "工作", "加分:奖励"],
                      name="得分")
    r = cli("import", "scores", bad, root, "--period", "2021-Q4", "--lang", "en")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "得分!C2: '加分:奖励': scheme.yaml has no bonus category '奖励' (known: award)")
