"""`luoshi diff`: every score that moves says why, for the inputs of scheme v2 too (SPEC
§10) — bonuses, provisional deductions restored, per-unit task quality, 不适用, tasks
credited to 责任单位, monthly records behind a quarter — and for units.yaml (a unit's
kind, its ranking group, `assessed`), with the ranking group beside each rank.  The
audit found each of these moving a score with an empty "why".

On the 碑林 考核 ledger (ledgers/beilin-2024-kaohe: departments and 街道 ranked apart,
`credit: responsible`, 政务服务评价 only for 街道 and xzspj, bonuses capped at 3), in a
git repository; the working tree against HEAD, as of 2024-06-30."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, commit, edit, git

KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"
AS_OF = ("--as-of", "2024-06-30")


@pytest.fixture
def repo(kaohe_repo: Path) -> Path:
    return kaohe_repo


def _moved(cli: Callable[..., Any], repo: Path, *args: str) -> str:
    """The score part of the text report (from the first "Scores" line)."""
    r = cli("diff", "HEAD", repo, *AS_OF, *args)
    assert r.exit_code == 0, r.stderr
    head = "Scores " if "en" in args else "得分 "
    return r.stdout[r.stdout.index("\n" + head) + 1:]


def _reasons(cli: Callable[..., Any], repo: Path, period: str, lang: str = "zh"
             ) -> dict[str, list[str]]:
    doc = json.loads(cli("diff", "HEAD", repo, *AS_OF, "-f", "json", "--lang", lang).stdout)
    p = next(p for p in doc["scores"] if p["period"] == period)
    return {u["unit"]: u["reasons"] for u in p["units"] if u["changed"]}


def test_a_bonus_added(cli: Callable[..., Any], repo: Path) -> None:
    """A 2-point praise bonus for fgw in Q2: 90 + 2 = 92.00 (cap 3), 优秀 — the one
    优秀 place of 5 departments (max_share 30: floor(1.5) = 1), taken from shangwuju
    (91.00, now 良好 #2 by the quota).  fgw's move said nothing."""
    with (repo / "records/2024-Q2.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - {unit: fgw, category: praise, date: 2024-06-20, points: 2, "
                 "reason: 经验被推广}\n")
    assert _moved(cli, repo, "--lang", "en").startswith(
        "Scores 2024-Q2:\n"
        "  fgw 区发改委: 90.00 良好 #3 in 区级部门 → 92.00 优秀 #1 in 区级部门\n"
        "      2024-Q2 new bonus 获上级表扬或推广经验 2: 经验被推广\n")
    assert _reasons(cli, repo, "2024-Q2")["fgw"] == ["2024-Q2 新增加分 获上级表扬或推广经验 2 分：经验被推广"]
    md = cli("diff", "HEAD", repo, *AS_OF, "-f", "md").stdout
    assert ("| 区发改委 | 90.00 良好 区级部门第3名 | 92.00 优秀 区级部门第1名 | "
            "2024-Q2 新增加分 获上级表扬或推广经验 2 分：经验被推广 |\n") in md


def test_a_provisional_deduction_restored_and_taken_back(cli: Callable[..., Any],
                                                         repo: Path) -> None:
    """zhujianju's Q2 deduction (2 points): marked provisional, no score moves (the
    record's change is listed, as every change of a deduction is); restored
    on 20 June (on or before the quarter's end), it counts nothing: 81.00 → 83.00;
    the restoration dated 20 July instead, after the quarter, it counts again."""
    rec = repo / "records/2024-Q2.yaml"
    edit(rec, "reason: 回迁安置节点推进迟缓}", "reason: 回迁安置节点推进迟缓, provisional: true}")
    r = cli("diff", "HEAD", repo, *AS_OF, "--lang", "en")
    assert r.stdout == (
        "Ledger changes HEAD → working tree (as of 2024-06-30)\n"
        "Tasks: 0 added, 0 removed, 0 closed, 0 changed\n"
        "Records: deductions 0 added, 0 removed, 1 changed; bonuses 0 added, 0 removed, "
        "0 changed; flags 0 added, 0 removed, 0 changed\n"
        "  ~ 2024-Q2 deduction 区住房和城乡建设局 (slack, 2024-05-16)\n"
        "      provisional false → true\n"), r.stdout
    commit(repo, "provisional")
    edit(rec, "provisional: true}", "provisional: true, restored: {date: 2024-06-20, "
         "approved_by: 区考核办, reason: 已整改}}")
    assert _moved(cli, repo, "--lang", "en") == (
        "Scores 2024-Q2:\n"
        "  zhujianju 区住房和城乡建设局: 81.00 良好 #5 in 区级部门 → 83.00 良好 #5 in 区级部门\n"
        "      2024-Q2 deduction 推进不力、敷衍应付 2 restored (2024-06-20): 回迁安置节点推进迟缓\n"
        "  (8 other units unchanged)\n")
    assert _reasons(cli, repo, "2024-Q2")["zhujianju"] == [
        "2024-Q2 扣分 推进不力、敷衍应付 2 分已返还（2024-06-20）：回迁安置节点推进迟缓"]
    commit(repo, "restored")
    edit(rec, "restored: {date: 2024-06-20", "restored: {date: 2024-07-20")
    assert _reasons(cli, repo, "2024-Q2", "en") == {"zhujianju": [
        "2024-Q2 deduction 推进不力、敷衍应付 2 no longer restored: counts: 回迁安置节点推进迟缓"]}
    assert _reasons(cli, repo, "2024-Q2")["zhujianju"] == [
        "2024-Q2 扣分 推进不力、敷衍应付 2 分不再返还，照扣：回迁安置节点推进迟缓"]


def test_per_unit_task_quality(cli: Callable[..., Any], repo: Path) -> None:
    """K-01's Q1 quality given per unit: fgw 90 → 60, nanyuanmen 92 → 50 (baishulin 85
    kept).  K-01 is fgw's (lead) and nanyuanmen's (责任单位, credit: responsible); the
    reason read only `quality:`'s single numbers, and only of tasks a unit leads."""
    edit(repo / "records/2024-Q1.yaml", "K-01: {fgw: 90, nanyuanmen: 92, baishulin: 85}",
         "K-01: {fgw: 60, nanyuanmen: 50, baishulin: 85}")
    assert _reasons(cli, repo, "2024-Q1", "en") == {
        "nanyuanmen": ["2024-Q1 task K-01 quality 92 → 50"],
        "fgw": ["2024-Q1 task K-01 quality 90 → 60"],
        "baishulin": ["score unchanged; rank moved with other units' scores"],
        "changlefang": ["score unchanged; rank moved with other units' scores"]}
    assert _reasons(cli, repo, "2024-Q1")["fgw"] == ["2024-Q1 任务 K-01 质量评分 90 → 60"]


def test_not_applicable_is_said_so(cli: Callable[..., Any], repo: Path) -> None:
    """changlefang's 政务服务评价: `n/a` in Q1 removed — not written, it counts 0 (LS407);
    88 → 不适用 in Q2 — its weight goes to its siblings.  The first said nothing; the
    second read "88 → 无", missing, the opposite of 不适用.

    Q1: 重点任务 (60) D, 督导检查 (30) 84, service n/a: (60 D + 30 × 84) / 90 = 84.93;
    service 0: (60 D + 30 × 84 + 10 × 0) / 100 = 84.93 × 0.9 = 76.44.  Q2 (no task
    due): (30 × 86 + 10 × 88) / 40 = 86.50 → 86 alone = 86.00."""
    edit(repo / "records/2024-Q1.yaml", "changlefang: {inspection: 84, service: n/a}",
         "changlefang: {inspection: 84}")
    edit(repo / "records/2024-Q2.yaml", "changlefang: {inspection: 86, service: 88}",
         "changlefang: {inspection: 86, service: 不适用}")
    en = _moved(cli, repo, "--lang", "en")
    assert ("  changlefang 长乐坊街道: 84.93 良好 #3 in 街道 → 76.44 一般 #4 in 街道\n"
            "      2024-Q1 政务服务评价 score not applicable → none (not written: counts 0)\n"
            ) in en
    assert ("  changlefang 长乐坊街道: 86.50 良好 #3 in 街道 → 86.00 良好 #3 in 街道\n"
            "      2024-Q2 政务服务评价 score 88 → not applicable\n") in en
    zh = _moved(cli, repo)
    assert "      2024-Q1 政务服务评价 得分 不适用 → 无（未填写，按 0 分计）\n" in zh
    assert "      2024-Q2 政务服务评价 得分 88 → 不适用\n" in zh


def test_tasks_credited_to_responsible_units(cli: Callable[..., Any], repo: Path) -> None:
    """K-02 (责任单位 changlefang, zhangjiacun) moves from zhujianju to shangwuju and its
    Q1 milestone from 03-15 to 03-25 (done 03-20: now on time).  zhujianju loses the
    task, shangwuju gains it, the 街道 get the timeliness: each says so — the 街道 and
    zhujianju said nothing, since only the tasks a unit leads after were read."""
    tasks = repo / "tasks/key.yaml"
    edit(tasks, "  lead: zhujianju\n", "  lead: shangwuju\n")
    edit(tasks, "{due: 2024-03-15, standard: 完成设计", "{due: 2024-03-25, standard: 完成设计")
    assert _reasons(cli, repo, "2024-Q1", "en") == {
        "changlefang": ["task K-02: milestones due in 2024-Q1 changed"],
        "shangwuju": ["task K-02 now credited to the unit (now its lead unit)"],
        "baishulin": ["score unchanged; rank moved with other units' scores"],
        "zhujianju": ["task K-02 no longer credited to the unit (it was its lead unit)"],
        "zhangjiacun": ["task K-02: milestones due in 2024-Q1 changed"]}
    zh = _reasons(cli, repo, "2024-Q1")
    assert zh["zhujianju"] == ["任务 K-02 不再计入该单位（原为牵头单位）"]
    assert zh["shangwuju"] == ["任务 K-02 现计入该单位（现为牵头单位）"]


def test_a_task_removed_or_suspended_is_no_longer_scored(cli: Callable[..., Any],
                                                         repo: Path) -> None:
    """K-05 (jiaoyuju's only task, its Q1 milestone not done: timeliness 0) suspended:
    left out of the leaf, jiaoyuju's Q1 score rises; resumed, it counts again; removed
    (with its quality), it is left out again."""
    tasks = repo / "tasks/key.yaml"
    text = tasks.read_text(encoding="utf-8")
    k05 = text[text.index("- id: K-05"):text.index("- id: K-06")]
    tasks.write_text(text.replace(k05, k05.replace("status: in_progress", "status: suspended")),
                     encoding="utf-8")
    assert _reasons(cli, repo, "2024-Q1", "en")["jiaoyuju"] == [
        "task K-05 suspended: no longer scored"]
    commit(repo, "suspended")
    tasks.write_text(text, encoding="utf-8")
    assert _reasons(cli, repo, "2024-Q1")["jiaoyuju"] == ["任务 K-05 不再暂缓，计入该单位（牵头单位）"]
    commit(repo, "resumed")
    tasks.write_text(text.replace(k05, ""), encoding="utf-8")
    edit(repo / "records" / "2024-Q1.yaml", "  K-05: 70\n", "")
    assert _reasons(cli, repo, "2024-Q1")["jiaoyuju"] == ["2024-Q1 任务 K-05 质量评分 70 → 无",
                                                          "任务 K-05 已删除，不再计分"]


def _monthly(root: Path) -> None:
    """督导检查评议 assessed monthly: the quarter's score is the mean of its months'
    (SPEC §10); each month's record gives the quarter record's inspection scores."""
    edit(root / "scheme.yaml", "    name: 督导检查评议\n    weight: 30\n",
         "    name: 督导检查评议\n    weight: 30\n    cadence: monthly\n")
    for q, months in (("2024-Q1", ("01", "02", "03")), ("2024-Q2", ("04", "05", "06"))):
        path = root / "records" / f"{q}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        scores = {}
        kept = []
        for line in lines:
            if line.startswith("  ") and "{inspection: " in line and ":" in line.split("{")[0]:
                unit = line.split(":")[0].strip()
                value = line.split("{inspection: ")[1].split(",")[0].split("}")[0]
                scores[unit] = value
                rest = line.split("{inspection: " + value)[1].lstrip(", ")
                if rest.startswith("}"):
                    continue
                kept.append(f"  {unit}: {{{rest}")
            else:
                kept.append(line)
        path.write_text("".join(kept), encoding="utf-8")
        for m in months:
            body = "".join(f"  {u}: {{inspection: {v}}}\n" for u, v in scores.items())
            (root / "records" / f"2024-{m}.yaml").write_text(
                f'period: "2024-{m}"\nscores:\n{body}', encoding="utf-8")


def test_a_quarter_names_the_month_that_moved_it(cli: Callable[..., Any],
                                                 tmp_path: Path) -> None:
    """fgw's May inspection 90 → 60: its Q2 score is the mean of April, May and June
    (90, 60, 90 → 80; no task due in Q2, 政务服务评价 not for departments), 90.00 →
    80.00.  The month's row said why; the quarter's row said nothing."""
    root = tmp_path / "m"
    shutil.copytree(KAOHE, root)
    _monthly(root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    assert cli("validate", root, *AS_OF).exit_code == 0
    edit(root / "records/2024-05.yaml", "  fgw: {inspection: 90}", "  fgw: {inspection: 60}")
    md = cli("diff", "HEAD", root, *AS_OF, "-f", "md").stdout
    q2 = md[md.index("#### 得分 2024-Q2"):]
    assert ("| 区发改委 | 90.00 良好 区级部门第3名 | 80.00 良好 区级部门第5名 | "
            "2024-05 督导检查评议 得分 90 → 60 |\n") in q2
    assert _reasons(cli, root, "2024-Q2", "en")["fgw"] == [
        "2024-05 督导检查评议 score 90 → 60"]


UNITS_EN = """\
Units: 0 added, 0 removed, 3 changed; leaders: 1 added, 0 removed, 0 changed
  + leader wang 王某某 (副区长)
  ~ fgw 区发改委 (department)
      assessed not written → false (not assessed)
  ~ zhujianju 区住建局 (department)
      name 区住房和城乡建设局 → 区住建局
  ~ jiaoyuju 区教育局 (subdistrict)
      kind department → subdistrict
      ranking group 区级部门 → 街道
"""


def test_units_yaml_changes_and_the_scores_they_move(cli: Callable[..., Any],
                                                     repo: Path) -> None:
    """units.yaml: zhujianju renamed, fgw `assessed: false`, jiaoyuju made a 街道 (its
    group becomes 街道, and 政务服务评价 — not written for it — applies, counting 0),
    a leader added.  A units section lists them; fgw's and jiaoyuju's scores say why,
    each rank names its group (#5 → #5 was across two groups), and zhujianju's rank
    moved as fgw and jiaoyuju left 区级部门 (5 units → 3; 91, 89/90.25, 81).  Before, the
    rename alone read "No changes in tasks or scores" and the moves had no reason.

    jiaoyuju Q2: inspection 84 (weight 30) and service 0 (weight 10), no task due in
    Q2: (30 × 84 + 10 × 0) / 40 = 63.00 — it was 84.00 on inspection alone."""
    units = repo / "units.yaml"
    edit(units, "name: 区住房和城乡建设局,", "name: 区住建局,")
    r = cli("diff", "HEAD", repo, *AS_OF, "--lang", "en")
    assert r.stdout == (
        "Ledger changes HEAD → working tree (as of 2024-06-30)\n"
        "Tasks: 0 added, 0 removed, 0 closed, 0 changed\n"
        "Units: 0 added, 0 removed, 1 changed; leaders: 0 added, 0 removed, 0 changed\n"
        "  ~ zhujianju 区住建局 (department)\n"
        "      name 区住房和城乡建设局 → 区住建局\n")
    edit(units, "name: 区发改委,         kind: department}",
         "name: 区发改委,         kind: department, assessed: false}")
    edit(units, "name: 区教育局,         kind: department}", "name: 区教育局,         kind: subdistrict}")
    edit(units, "leaders:\n", "leaders:\n  - {id: wang, name: 王某某, title: 副区长}\n")
    r = cli("diff", "HEAD", repo, *AS_OF, "--lang", "en")
    assert UNITS_EN in r.stdout
    assert r.stdout.endswith(
        "Scores 2024-Q2:\n"
        "  shangwuju 区商务局: 91.00 优秀 #1 in 区级部门 → 91.00 良好 #1 in 区级部门\n"
        "      score unchanged; the grade moved with the grade quota (max_share) and other "
        "units' scores\n"
        "  fgw 区发改委: 90.00 良好 #3 in 区级部门 → —\n"
        "      no longer assessed (assessed: false in units.yaml)\n"
        "  zhujianju 区住建局: 81.00 良好 #5 in 区级部门 → 81.00 良好 #3 in 区级部门\n"
        "      score unchanged; rank moved as units joined or left its ranking group\n"
        "  jiaoyuju 区教育局: 84.00 良好 #4 in 区级部门 → 63.00 较差 #5 in 街道\n"
        "      kind department → subdistrict in units.yaml\n"
        "      ranking group 区级部门 → 街道\n"
        "      政务服务评价 now applies to the unit (applies_to)\n"
        "  (5 other units unchanged)\n")
    zh = cli("diff", "HEAD", repo, *AS_OF).stdout
    assert ("单位：新增 0 个，删除 0 个，变化 3 个；领导：新增 1 人，删除 0 人，变化 0 人\n"
            "  + 领导 wang 王某某（副区长）\n"
            "  ~ fgw 区发改委（department）\n"
            "      参加考核（assessed）：未写 → 否（false，不参加考核）\n") in zh
    assert ("  jiaoyuju 区教育局：84.00 良好 区级部门第4名 → 63.00 较差 街道第5名\n"
            "      units.yaml 中单位类型 department → subdistrict\n"
            "      排名分组 区级部门 → 街道\n"
            "      政务服务评价 现适用于该单位（applies_to）\n") in zh
    doc = json.loads(cli("diff", "HEAD", repo, *AS_OF, "-f", "json").stdout)
    assert doc["units"] == {"added": [], "removed": [], "changed": [
        {"id": "fgw", "name": "区发改委", "fields": {"assessed": {"before": None, "after": False}}},
        {"id": "zhujianju", "name": "区住建局",
         "fields": {"name": {"before": "区住房和城乡建设局", "after": "区住建局"}}},
        {"id": "jiaoyuju", "name": "区教育局",
         "fields": {"kind": {"before": "department", "after": "subdistrict"},
                    "group": {"before": "city", "after": "streets"}}}]}
    assert doc["leaders"] == {"added": [{"id": "wang", "name": "王某某", "title": "副区长"}],
                              "removed": [], "changed": []}
    q2 = next(p for p in doc["scores"] if p["period"] == "2024-Q2")
    jyj = next(u for u in q2["units"] if u["unit"] == "jiaoyuju")
    assert (jyj["before"], jyj["after"]) == (
        {"score": 84, "grade": "良好", "rank": 4, "group": "city", "group_name": "区级部门"},
        {"score": 63, "grade": "较差", "rank": 5, "group": "streets", "group_name": "街道"})
    md = cli("diff", "HEAD", repo, *AS_OF, "-f", "md").stdout
    assert ("#### 单位变化\n\n单位：新增 0 个，删除 0 个，变化 3 个；领导：新增 1 人，删除 0 人，变化 0 人\n\n"
            "| | 单位或领导 | 变化 |\n|---|---|---|\n"
            "| 新增 | 领导 wang 王某某（副区长） |  |\n"
            "| 变化 | fgw 区发改委（department） | 参加考核（assessed）：未写 → 否（false，不参加考核） |\n"
            ) in md


def _four_quarters(root: Path) -> None:
    """Q3 and Q4 records, copies of Q2's: a year that `score --annual` can score."""
    q2 = (root / "records/2024-Q2.yaml").read_text(encoding="utf-8")
    for q, day in (("Q3", "2024-08"), ("Q4", "2024-11")):
        text = q2.replace("period: 2024-Q2", f"period: 2024-{q}")
        text = text.replace("2024-05-16", f"{day}-16").replace("2024-06-12", f"{day}-12")
        (root / "records" / f"2024-{q}.yaml").write_text(text, encoding="utf-8")


def test_the_year_is_compared_without_a_yyyy_record(cli: Callable[..., Any],
                                                    tmp_path: Path) -> None:
    """With four quarters and rules, the year is compared too, though no `2024` record
    exists (diff took its periods from the record files only).  A second 2-point
    deduction for xzspj in Q4 (the first, in Q3): its Q4 score drops 2, and in the year
    it was deducted twice — rule `frequent` (2 deductions: one grade down) now holds
    over the year, as `score --annual` says.  The year: 92.25 − 2 = 90.25, 优秀 by the
    score, one grade down by `frequent` (良好); the one 优秀 place of 区级部门 goes to
    shangwuju (92.12).  In Q4 alone: 90.25 − 2 = 88.25, one deduction."""
    root = tmp_path / "y"
    shutil.copytree(KAOHE, root)
    _four_quarters(root)
    edit(root / "records/2024-Q3.yaml", "deductions:\n",
         "deductions:\n  - {unit: xzspj, category: slack, date: 2024-08-20, points: 2, "
         "reason: 材料报送迟缓}\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    edit(root / "records/2024-Q4.yaml", "deductions:\n",
         "deductions:\n  - {unit: xzspj, category: slack, date: 2024-11-20, points: 2, "
         "reason: 窗口投诉}\n")
    r = cli("diff", "HEAD", root, "--as-of", "2024-12-31", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.endswith(
        "Scores 2024:\n"
        "  shangwuju 区商务局: 92.12 良好 #2 in 区级部门 → 92.12 优秀 #1 in 区级部门\n"
        "      score unchanged; the grade moved with the grade quota (max_share) and other "
        "units' scores\n"
        "      score unchanged; rank moved with other units' scores\n"
        "  xzspj 区行政审批服务局: 92.25 优秀 #1 in 区级部门 → 90.25 良好 #2 in 区级部门\n"
        "      2024-Q4 new deduction 推进不力、敷衍应付 2: 窗口投诉\n"
        "  (7 other units unchanged)\n")
    assert "Scores 2024-Q4:\n" in r.stdout
    annual = cli("score", root, "--annual", "--as-of", "2024-12-31", "-f", "json")
    xzspj = next(u for u in json.loads(annual.stdout)["units"] if u["unit"] == "xzspj")
    assert (xzspj["score"], xzspj["grade"], xzspj["rules_applied"]) == (90.25, "良好",
                                                                         ["frequent"])
    # a year still missing quarters is left out, as `score --annual` refuses it
    r = cli("diff", "HEAD", repo_without_q4(root), "--as-of", "2024-12-31", "--lang", "en")
    assert "Scores 2024:" not in r.stdout and "cannot score" not in r.stdout


def repo_without_q4(root: Path) -> Path:
    """The same repository with the Q4 record removed from the working tree."""
    (root / "records/2024-Q4.yaml").unlink()
    return root


def test_a_cell_of_many_long_reasons_keeps_the_rows_after_it(cli: Callable[..., Any],
                                                             repo: Path) -> None:
    """300 one-point deductions for fgw in Q2, 299 with a reason of 203 characters (40
    of them `|`, 240 escaped): fgw's "why" cell was every reason joined (~93,000
    characters), and the comment, cut at the last line break before 60,000, lost fgw's
    row and the line after it.  Now the cell shows 30 reasons, then "270 more" — and
    its lines are capped as escaped: the first reason is 990 `|`, its line 27 + 990 =
    1,017 characters, which was clipped to 1,000 (27 + 471 `|`, " … ", 498 `|`) and
    then escaped to 27 + 969 · 2 + 3 = 1,968.  Now it is clipped shorter in proportion:
    1000 · 1000 // 1968 = 508 → half (508 − 3) // 2 = 252: 27 + 225 `|`, " … ", 252
    `|`, escaped 27 + 477 · 2 + 3 = 984."""
    long = "台账不规范|" * 40  # 200 characters
    rows = ["  - {unit: fgw, category: slack, date: 2024-05-01, points: 1, reason: "
            f"'{'|' * 990}'}}\n"]
    rows += [f"  - {{unit: fgw, category: slack, date: 2024-05-{1 + i % 28:02d}, points: 1, "
             f"reason: '{i:03d}{long}'}}\n" for i in range(299)]
    edit(repo / "records/2024-Q2.yaml", "deductions:\n", "deductions:\n" + "".join(rows))
    md = cli("diff", "HEAD", repo, *AS_OF, "-f", "md").stdout
    head = "2024-Q2 新增扣分 推进不力、敷衍应付 1 分："
    why = [head + "\\|" * 225 + " … " + "\\|" * 252,
           *(f"{head}{i:03d}" + "台账不规范\\|" * 40 for i in range(29)),
           "……（另有 270 项：请在本地运行 luoshi diff 查看）"]
    # the 300 deductions are listed again after the scores (考核记录变化, every change of a
    # record); that table is what the comment's limit cuts, not the scores before it
    assert ("| 区发改委 | 90.00 良好 区级部门第3名 | 0.00 较差 区级部门第5名 | "
            + "<br>".join(why) + " |\n\n其余 6 个单位不变。\n\n#### 考核记录变化\n") in md
    assert "内容过长" not in md[:md.index("#### 考核记录变化")] and len(why[0]) == 984
    assert md.endswith("\n……（内容过长已截断：请在本地运行 luoshi diff 查看全部）\n")


def test_a_reworded_entry_is_no_reason_a_rank_moved(cli: Callable[..., Any],
                                                      repo: Path) -> None:
    """Q2: fgw's 督导检查评议 90 → 70 (departments: fgw 90 → 70 drops from #3 to #5, so
    jiaoyuju 84.00 #4 → #3 and zhujianju 81.00 #5 → #4) and zhangjiacun's 80/86 →
    100/100 (streets: 81.50 #4 → 100.00 #1, so baishulin 88.50 #2 → #3).  In the same
    change only the wording of zhujianju's deduction (2 points), baishulin's bonus
    (2 points) and jiaoyuju's veto flag (which no rule reads) is edited: none of their
    scores moves, each moved in rank because other units' scores did.  Each row said
    "new deduction … 2 / deduction removed … 2" (a rewording keyed as a removal plus an
    addition) and dropped the real reason; the rewording is listed under 考核记录."""
    rec = repo / "records/2024-Q2.yaml"
    with rec.open("a", encoding="utf-8") as fh:
        fh.write("flags:\n  - {unit: jiaoyuju, kind: veto, reason: 原否决}\n")
    commit(repo, "a flag")
    edit(rec, "reason: 回迁安置节点推进迟缓}", "reason: 回迁安置节点推进迟缓（补充）}")
    edit(rec, "reason: 老旧小区改造经验被市级推广}", "reason: 老旧小区改造经验被市级推广（补充）}")
    edit(rec, "reason: 原否决}", "reason: 原否决（补充）}")
    edit(rec, "fgw:         {inspection: 90}", "fgw:         {inspection: 70}")
    edit(rec, "zhangjiacun: {inspection: 80, service: 86}",
         "zhangjiacun: {inspection: 100, service: 100}")
    moved = "得分未变，名次因其他单位得分变化而变化"
    assert _moved(cli, repo) == (
        "得分 2024-Q2：\n"
        "  zhangjiacun 张家村街道：81.50 良好 街道第4名 → 100.00 优秀 街道第1名\n"
        "      2024-Q2 督导检查评议 得分 80 → 100\n"
        "      2024-Q2 政务服务评价 得分 86 → 100\n"
        "  nanyuanmen 南院门街道：92.00 优秀 街道第1名 → 92.00 良好 街道第2名\n"
        "      得分未变，等次因等次名额（max_share）随其他单位得分变化而变化\n"
        f"      {moved}\n"
        "  baishulin 柏树林街道：88.50 良好 街道第2名 → 88.50 良好 街道第3名\n"
        f"      {moved}\n"
        "  jiaoyuju 区教育局：84.00 良好 区级部门第4名 → 84.00 良好 区级部门第3名\n"
        f"      {moved}\n"
        "  changlefang 长乐坊街道：86.50 良好 街道第3名 → 86.50 良好 街道第4名\n"
        f"      {moved}\n"
        "  zhujianju 区住房和城乡建设局：81.00 良好 区级部门第5名 → 81.00 良好 区级部门第4名\n"
        f"      {moved}\n"
        "  fgw 区发改委：90.00 良好 区级部门第3名 → 70.00 一般 区级部门第5名\n"
        "      2024-Q2 督导检查评议 得分 90 → 70\n"
        "  （其余 2 个单位不变）\n")
    en = "score unchanged; rank moved with other units' scores"
    got = _reasons(cli, repo, "2024-Q2", "en")
    assert {u: got[u] for u in ("baishulin", "jiaoyuju", "zhujianju")} == {
        "baishulin": [en], "jiaoyuju": [en], "zhujianju": [en]}
    assert _reasons(cli, repo, "2024-Q2")["zhujianju"] == [moved]
    md = cli("diff", "HEAD", repo, *AS_OF, "-f", "md").stdout
    assert (f"| 区住房和城乡建设局 | 81.00 良好 区级部门第5名 | 81.00 良好 区级部门第4名 | {moved} |\n"
            ) in md
    assert ("| 变化 | 2024-Q2 扣分 区住房和城乡建设局（slack，2024-05-16） | "
            "事由：回迁安置节点推进迟缓 → 回迁安置节点推进迟缓（补充） |\n") in md


def test_of_two_like_deductions_the_one_removed_is_named(cli: Callable[..., Any],
                                                         repo: Path) -> None:
    """zhujianju holds two 2-point slack deductions of 16 May (81.00 - 2 = 79.00 with
    both) that differ only in their reason; the first one is removed: 79.00 → 81.00.
    The reason names the removed one by its own words, not its twin's."""
    rec = repo / "records/2024-Q2.yaml"
    edit(rec, "reason: 回迁安置节点推进迟缓}\n",
         "reason: 回迁安置节点推进迟缓}\n  - {unit: zhujianju, category: slack, "
         "date: 2024-05-16, points: 2, reason: 第二条}\n")
    commit(repo, "two")
    edit(rec, "  - {unit: zhujianju, category: slack, date: 2024-05-16, points: 2, "
         "reason: 回迁安置节点推进迟缓}\n", "")
    assert _reasons(cli, repo, "2024-Q2")["zhujianju"] == [
        "2024-Q2 撤销扣分 推进不力、敷衍应付 2 分：回迁安置节点推进迟缓"]
