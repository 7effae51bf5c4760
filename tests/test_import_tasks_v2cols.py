"""`luoshi import tasks` of a sheet's 责任人, 单位领导 and 标签 columns (tasks v2, SPEC §11:
`owners`, `unit_leaders`, `tags`).  They were named as columns luoshi has no field for,
with the advice to name one with --map, and --map refused the field names (unknown
field owners): an office's owners and tags could not be imported at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from test_excel_import import CONFIG, UNITS

TAGS = "tags:\n  - {id: board, name: 任务榜}\n  - {id: bright, name: 亮点牌}\n"
HEAD = ["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "完成标准"]


@pytest.fixture
def ledger(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG + TAGS, "units.yaml": UNITS})


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _import(cli: Any, sheet: Path, ledger: Path, *more: Any) -> Any:
    return cli("import", "tasks", sheet, ledger, "--category", "econ", "--as-of", "2024-05-31",
               *more)


def test_owners_unit_leaders_and_tags_columns_are_imported(cli: Any, ledger: Path,
                                                           tmp_path: Path) -> None:
    """Names split at 、 and line breaks (a remark in brackets stays with its name);
    a tag by its name or its id."""
    sheet = _sheet(tmp_path / "a.xlsx", [
        [*HEAD, "具体责任人", "单位领导", "标签"],
        [1, "任务甲", "区发改委", "张某某", "2024-06-30", "完成甲", "张三、李四\n张三",
         "王五（主任）、赵六", "任务榜、BRIGHT"],
        [2, "任务乙", "区财政局", "李某某", "2024-06-30", "完成乙", None, None, None]])
    r = _import(cli, sheet, ledger)
    assert r.exit_code == 0, r.stderr
    assert "未导入" not in r.stderr
    assert (ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8") == WRITTEN


def test_a_space_is_part_of_a_name(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """王　五 (a two-character name padded with a full-width space), Li Si and 陈 处长
    are one name each: with no list of people to tell names apart, a space is kept as
    written (it split 王　五 into 王 and 五, and export → import did so to the ledger's
    own names)."""
    sheet = _sheet(tmp_path / "a.xlsx", [
        [*HEAD, "责任人", "单位领导"],
        [1, "任务甲", "区发改委", "张某某", "2024-06-30", "完成甲", "王　五、Li Si", "陈 处长"]])
    r = _import(cli, sheet, ledger)
    assert r.exit_code == 0, r.stderr
    text = (ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8")
    assert "  owners: [王　五, Li Si]\n  unit_leaders: [陈 处长]\n" in text


WRITTEN = """\
# yaml-language-server: $schema=../.luoshi/schema/tasks.schema.json
# luoshi import tasks a.xlsx (sheet 台账)
# 台账: 2 tasks
- id: IMP-001
  title: 任务甲
  category: econ
  lead: fgw
  units: []
  leaders: [zhang]
  start: 2024-01-01
  standard: 完成甲
  milestones:
    - {due: 2024-06-30, standard: 完成甲}
  status: planned
  progress: 0
  owners: [张三, 李四]
  unit_leaders: [王五（主任）, 赵六]
  tags: [board, bright]

- id: IMP-002
  title: 任务乙
  category: econ
  lead: czj
  units: []
  leaders: [li]
  start: 2024-01-01
  standard: 完成乙
  milestones:
    - {due: 2024-06-30, standard: 完成乙}
  status: planned
  progress: 0
"""


def test_an_unknown_tag_is_refused_at_its_cell_naming_the_declared_ones(
        cli: Any, ledger: Path, write: Callable[..., Path], tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "b.xlsx", [
        [*HEAD, "标签"],
        [1, "任务甲", "区发改委", "张某某", "2024-06-30", "完成甲", "任务榜、红榜"]])
    r = _import(cli, sheet, ledger)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "台账!G2: 标签“红榜”未在 luoshi.yaml 的 tags 中声明（已声明：任务榜（board）、亮点牌（bright））："
        "请写其中的名称或编号，或先在 luoshi.yaml 中声明")
    r = _import(cli, sheet, ledger, "--lang", "en")
    assert r.stderr.splitlines()[0] == (
        "台账!G2: tag '红榜' is not declared under tags in luoshi.yaml (declared: 任务榜 (board), "
        "亮点牌 (bright)): write one of their names or ids, or declare it first")
    assert not (ledger / "tasks").exists()
    # a ledger that declares no lists: the column is named and imports nothing, the
    # tasks import (a 标签 column was so before tags were read; refusing the whole
    # sheet for it was a regression the review found)
    bare = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS}, tmp_path / "bare")
    r = _import(cli, sheet, bare)
    assert r.exit_code == 0, r.stderr
    assert ("说明：标签列未导入：luoshi.yaml 没有声明任何标签（tags）；需要时先在 luoshi.yaml 的 tags 中"
            "声明 {id, name}，再导入 [台账!G2 任务榜、红榜]") in r.stderr.splitlines()
    assert "tags:" not in (bare / "tasks" / "imported.yaml").read_text(encoding="utf-8")


def test_map_names_owners_unit_leaders_and_tags(cli: Any, ledger: Path, tmp_path: Path) -> None:
    """The fields --map takes include owners, unit_leaders and tags (it refused them)."""
    sheet = _sheet(tmp_path / "c.xlsx", [
        [*HEAD, "经办人", "单位联系领导", "所在榜"],
        [1, "任务甲", "区发改委", "张某某", "2024-06-30", "完成甲", "张三", "王五", "亮点牌"]])
    mapping = tmp_path / "m.yaml"
    mapping.write_text("owners: 经办人\nunit_leaders: 单位联系领导\ntags: 所在榜\n", encoding="utf-8")
    r = _import(cli, sheet, ledger, "--map", mapping)
    assert r.exit_code == 0, r.stderr
    text = (ledger / "tasks" / "imported.yaml").read_text(encoding="utf-8")
    assert text.endswith("  progress: 0\n  owners: [张三]\n  unit_leaders: [王五]\n  tags: [bright]\n")


def test_force_takes_the_rows_names_and_keeps_the_files_where_the_row_has_none(
        cli: Any, ledger: Path, tmp_path: Path) -> None:
    out = ledger / "tasks" / "mine.yaml"
    out.parent.mkdir()
    out.write_text(MINE, encoding="utf-8")
    sheet = _sheet(tmp_path / "d.xlsx", [
        ["编号", *HEAD[1:], "责任人", "标签"],
        ["M-1", "任务甲", "区发改委", "张某某", "2024-06-30", "完成甲", "李四", None],
        ["M-2", "任务乙", "区财政局", "李某某", "2024-06-30", "完成乙", None, "亮点牌"]])
    r = _import(cli, sheet, ledger, "-o", out, "--force")
    assert r.exit_code == 0, r.stderr
    assert out.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.luoshi/schema/tasks.schema.json\n"
        "# luoshi import tasks d.xlsx (sheet 台账)\n# 台账: 2 tasks\n"
        + MINE.replace("  owners: [张三]\n", "  owners: [李四]\n")
        .replace("  owners: [王五]\n  unit_leaders: [赵六]\n  tags: [board]\n",
                 "  owners: [王五]\n  unit_leaders: [赵六]\n  tags: [bright]\n")
        .replace("  leaders: [", "  units: []\n  leaders: [").replace("\n- id: M-2", "\n\n- id: M-2"))
    assert [line for line in r.stderr.splitlines() if "--force" in line] == [
        "说明：--force 覆盖导入：保留了文件中的标签（表中没有） [台账!H2 M-1]",
        "说明：--force 覆盖导入：保留了文件中的责任人（表中没有） [台账!G3 M-2]",
        "说明：--force 覆盖导入：保留了文件中的单位领导（表中没有） [台账!B3 M-2]"]


MINE = """\
- id: M-1
  title: 任务甲
  category: econ
  lead: fgw
  leaders: [zhang]
  start: 2024-01-01
  standard: 完成甲
  milestones:
    - {due: 2024-06-30, standard: 完成甲}
  status: planned
  progress: 0
  owners: [张三]
  tags: [board]
- id: M-2
  title: 任务乙
  category: econ
  lead: czj
  leaders: [li]
  start: 2024-01-01
  standard: 完成乙
  milestones:
    - {due: 2024-06-30, standard: 完成乙}
  status: planned
  progress: 0
  owners: [王五]
  unit_leaders: [赵六]
  tags: [board]
"""
