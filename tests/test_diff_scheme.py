"""`luoshi diff` lists what changed in scheme.yaml — components, grades, ranking groups,
deduction and bonus categories, rules and the scheme's settings — as it lists luoshi.yaml's
categories: a change that moves no score (a component renamed, a grade line nobody is
near, a category's bound, a group's interview_bottom, a rule's note) left the diff saying
"任务和得分都没有变化", and one that did move a score said only "考核办法（scheme.yaml）有修改".

On the 碑林 考核 ledger (ledgers/beilin-2024-kaohe), in a git repository; the working
tree against HEAD, as of 2024-06-30."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import edit

AS_OF = ("--as-of", "2024-06-30")


@pytest.fixture
def repo(kaohe_repo: Path) -> Path:
    return kaohe_repo


def _quiet_edits(scheme: Path) -> None:
    """Edits that move no score, grade or rank: 督导检查评议 renamed; 一般's line 70 → 65
    (the lowest score in 2024-Q1/Q2 above 65 and below 70: none); 弄虚作假's bound 10 →
    12 (no fake deduction); a bonus category award added (none given); the rule
    frequent's note reworded; streets' interview_bottom 1 → 2 (marks 约谈, no score)."""
    edit(scheme, "    name: 督导检查评议\n", "    name: 督导检查评议（季度）\n")
    edit(scheme, "{name: 一般, min: 70}", "{name: 一般, min: 65}")
    edit(scheme, "name: 弄虚作假,           min: 5, max: 10}", "name: 弄虚作假,           min: 5, max: 12}")
    edit(scheme, "    - {id: praise, name: 获上级表扬或推广经验, min: 1, max: 2}\n",
         "    - {id: praise, name: 获上级表扬或推广经验, min: 1, max: 2}\n"
         "    - {id: award, name: 获评先进集体, min: 1, max: 3}\n")
    edit(scheme, "note: 同一季度被扣分2次以上的降一档}", "note: 同一季度被扣分两次以上的降一档}")
    edit(scheme, "kinds: [subdistrict], interview_bottom: 1}",
         "kinds: [subdistrict], interview_bottom: 2}")


def test_a_scheme_change_that_moves_no_score_is_listed(cli: Callable[..., Any],
                                                        repo: Path) -> None:
    _quiet_edits(repo / "scheme.yaml")
    r = cli("diff", "HEAD", repo, *AS_OF)
    assert (r.exit_code, r.stdout) == (0, (
        "台账变更 HEAD → 工作区（截至 2024-06-30）\n"
        "任务：新增 0 项，删除 0 项，销号 0 项，变化 0 项\n"
        "考核办法（scheme.yaml）：考核项目 新增 0 个，删除 0 个，变化 1 个；"
        "等次 新增 0 个，删除 0 个，变化 1 个；排名分组 新增 0 个，删除 0 个，变化 1 个；"
        "扣分类别 新增 0 个，删除 0 个，变化 1 个；加分类别 新增 1 个，删除 0 个，变化 0 个；"
        "考核规则 新增 0 条，删除 0 条，变化 1 条\n"
        "  + 加分类别 award 获评先进集体\n"
        "  ~ 考核项目 inspection 督导检查评议（季度）\n"
        "      名称：督导检查评议 → 督导检查评议（季度）\n"
        "  ~ 等次 一般\n"
        "      下限（min）：70 → 65\n"
        "  ~ 排名分组 streets 街道\n"
        "      末位约谈（interview_bottom）：1 → 2\n"
        "  ~ 扣分类别 fake 弄虚作假\n"
        "      上限（max）：10 → 12\n"
        "  ~ 考核规则 frequent\n"
        "      说明：同一季度被扣分2次以上的降一档 → 同一季度被扣分两次以上的降一档\n")), r.stdout
    en = cli("diff", "HEAD", repo, *AS_OF, "--lang", "en").stdout
    assert en.splitlines()[2:] == [
        "scheme.yaml: components 0 added, 0 removed, 1 changed; grades 0 added, 0 removed, "
        "1 changed; ranking groups 0 added, 0 removed, 1 changed; deduction categories 0 "
        "added, 0 removed, 1 changed; bonus categories 1 added, 0 removed, 0 changed; "
        "rules 0 added, 0 removed, 1 changed",
        "  + bonus category award 获评先进集体",
        "  ~ component inspection 督导检查评议（季度）",
        "      name 督导检查评议 → 督导检查评议（季度）",
        "  ~ grade 一般",
        "      min 70 → 65",
        "  ~ ranking group streets 街道",
        "      interview_bottom 1 → 2",
        "  ~ deduction category fake 弄虚作假",
        "      max 10 → 12",
        "  ~ rule frequent",
        "      note 同一季度被扣分2次以上的降一档 → 同一季度被扣分两次以上的降一档"]
    md = cli("diff", "HEAD", repo, *AS_OF, "-f", "md").stdout
    assert md.split("#### 考核办法变化\n\n")[1] == (
        "考核办法（scheme.yaml）：考核项目 新增 0 个，删除 0 个，变化 1 个；"
        "等次 新增 0 个，删除 0 个，变化 1 个；排名分组 新增 0 个，删除 0 个，变化 1 个；"
        "扣分类别 新增 0 个，删除 0 个，变化 1 个；加分类别 新增 1 个，删除 0 个，变化 0 个；"
        "考核规则 新增 0 条，删除 0 条，变化 1 条\n\n"
        "| | 条目 | 变化 |\n"
        "|---|---|---|\n"
        "| 新增 | 加分类别 award 获评先进集体 |  |\n"
        "| 变化 | 考核项目 inspection 督导检查评议（季度） | 名称：督导检查评议 → 督导检查评议（季度） |\n"
        "| 变化 | 等次 一般 | 下限（min）：70 → 65 |\n"
        "| 变化 | 排名分组 streets 街道 | 末位约谈（interview\\_bottom）：1 → 2 |\n"
        "| 变化 | 扣分类别 fake 弄虚作假 | 上限（max）：10 → 12 |\n"
        "| 变化 | 考核规则 frequent | 说明：同一季度被扣分2次以上的降一档 → 同一季度被扣分两次以上的降一档 |\n")
    doc = json.loads(cli("diff", "HEAD", repo, *AS_OF, "-f", "json").stdout)
    none: dict[str, list[Any]] = {"added": [], "removed": [], "changed": []}
    assert doc["scores"] == [{"period": "2024-Q1", "note": None, "units": doc["scores"][0]["units"]},
                             {"period": "2024-Q2", "note": None, "units": doc["scores"][1]["units"]}]
    assert not any(u["changed"] for p in doc["scores"] for u in p["units"])
    assert doc["scheme"] == {
        "settings": none,
        "components": {**none, "changed": [{"id": "inspection", "name": "督导检查评议（季度）",
                                            "fields": {"name": {"before": "督导检查评议",
                                                                "after": "督导检查评议（季度）"}}}]},
        "grades": {**none, "changed": [{"id": "一般", "name": "一般",
                                        "fields": {"min": {"before": "70", "after": "65"}}}]},
        "ranking_groups": {**none, "changed": [
            {"id": "streets", "name": "街道",
             "fields": {"interview_bottom": {"before": "1", "after": "2"}}}]},
        "deduction_categories": {**none, "changed": [
            {"id": "fake", "name": "弄虚作假", "fields": {"max": {"before": "10", "after": "12"}}}]},
        "bonus_categories": {**none, "added": [{"id": "award", "name": "获评先进集体",
                                                "min": "1", "max": "3"}]},
        "rules": {**none, "changed": [
            {"id": "frequent", "name": "frequent",
             "fields": {"note": {"before": "同一季度被扣分2次以上的降一档",
                                 "after": "同一季度被扣分两次以上的降一档"}}}]}}


def test_a_scheme_change_that_moves_scores_is_listed_with_them(cli: Callable[..., Any],
                                                                repo: Path) -> None:
    """The bonus cap 3 → 4 and a weight moved (督导检查评议 30 → 25, 政务服务评价 10 →
    15): the settings and the components are listed before the scores they move, whose
    reason stays "the scheme changed"."""
    scheme = repo / "scheme.yaml"
    edit(scheme, "  cap: 3\n", "  cap: 4\n")
    edit(scheme, "    name: 督导检查评议\n    weight: 30\n", "    name: 督导检查评议\n    weight: 25\n")
    edit(scheme, "    name: 政务服务评价\n    weight: 10\n", "    name: 政务服务评价\n    weight: 15\n")
    r = cli("diff", "HEAD", repo, *AS_OF, "--lang", "en")
    lines = r.stdout.splitlines()
    assert lines[2:10] == [
        "scheme.yaml: components 0 added, 0 removed, 2 changed; grades 0 added, 0 removed, "
        "0 changed; ranking groups 0 added, 0 removed, 0 changed; deduction categories 0 "
        "added, 0 removed, 0 changed; bonus categories 0 added, 0 removed, 0 changed; "
        "rules 0 added, 0 removed, 0 changed; settings changed",
        "  ~ scheme beilin-kaohe-2024 2024年碑林区抓落实工作考核办法（示例）",
        "      bonus cap 3 → 4",
        "  ~ component inspection 督导检查评议",
        "      weight 30 → 25",
        "  ~ component service 政务服务评价",
        "      weight 10 → 15",
        "Scores 2024-Q1:"]
    assert "      the scheme (scheme.yaml) changed" in lines
    doc = json.loads(cli("diff", "HEAD", repo, *AS_OF, "-f", "json").stdout)
    assert doc["scheme"]["settings"]["changed"] == [
        {"id": "beilin-kaohe-2024", "name": "2024年碑林区抓落实工作考核办法（示例）",
         "fields": {"bonus_cap": {"before": "3", "after": "4"}}}]


def test_an_unchanged_scheme_adds_nothing(cli: Callable[..., Any], repo: Path) -> None:
    """The scheme reformatted (a comment added): nothing is said."""
    with (repo / "scheme.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# 备注\n")
    r = cli("diff", "HEAD", repo, *AS_OF)
    assert r.stdout.splitlines()[1:] == ["任务和得分都没有变化。"]
    doc = json.loads(cli("diff", "HEAD", repo, *AS_OF, "-f", "json").stdout)
    assert all(v == {"added": [], "removed": [], "changed": []} for v in doc["scheme"].values())
