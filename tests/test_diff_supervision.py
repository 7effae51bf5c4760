"""`luoshi diff` and the supervision loop (SPEC §12): interviews and rectifications
added, removed and changed are listed as tasks are, and a grade moved at an unchanged
score says which rule moved it — it said "score unchanged; rank moved with other units'
scores" with the rank unchanged.  On the 碑林 example (`luoshi init --example beilin`)
with the rule 整改逾期未销号的降一档 and a supervision file, in a git repository."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import commit, edit, git

RULE = ("  - {id: fix-late, when: {rectifications_overdue: {min: 1}}, downgrade: 1, "
        "note: 整改逾期未销号的降一档}\n")
SUPERVISION = """interviews:
  - {unit: zhujianju, date: 2024-04-10, kind: 约谈提醒, by: 区考核办, reason: 一季度考核排名靠后}
  - {unit: jiaoyuju, date: 2024-04-08, kind: 警示约谈, by: 区委督查室, reason: 节点任务亮红灯, tasks: [K-05]}
rectifications:
  - {id: ZG-01, unit: zhujianju, source: ranking, opened: 2024-04-10, due: 2024-04-30, report: {date: 2024-04-29}, closed: {date: 2024-05-10, approved_by: zhang-changwu}}
  - {id: ZG-02, unit: jiaoyuju, tasks: [K-05], source: red_light, opened: 2024-04-08, due: 2024-06-29, report: {date: 2024-06-20}, closed: {date: 2024-07-02, approved_by: zhang-changwu}}
"""


@pytest.fixture
def repo(cli: Callable[..., Any], tmp_path: Path) -> Path:
    """v1 committed: ZG-02 due 29 June, closed 2 July — open and overdue at Q2's end,
    so jiaoyuju (84.00, 良好 by its score) is moved down to 一般 by fix-late."""
    root = tmp_path / "repo"
    assert cli("init", root, "--example", "beilin").exit_code == 0
    text = (root / "scheme.yaml").read_text(encoding="utf-8")
    rules_end = text.index("ranking_groups:")
    (root / "scheme.yaml").write_text(text[:rules_end] + RULE + text[rules_end:],
                                      encoding="utf-8")
    assert "fix-late" in (root / "scheme.yaml").read_text(encoding="utf-8").split(
        "rules:")[1].split("ranking_groups:")[0]
    (root / "supervision").mkdir()
    (root / "supervision" / "2024.yaml").write_text(SUPERVISION, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    return root


def test_a_moved_deadline_and_the_rule_it_stops(cli: Callable[..., Any], repo: Path) -> None:
    """The working tree moves ZG-02's deadline to 5 July: no longer overdue on 30 June,
    fix-late no longer holds, jiaoyuju is 良好 again at the same score and rank."""
    edit(repo / "supervision" / "2024.yaml", "due: 2024-06-29", "due: 2024-07-05")
    r = cli("diff", "HEAD", repo)
    assert (r.exit_code, r.stdout) == (0, (
        "台账变更 HEAD → 工作区（截至 2024-12-31）\n"
        "任务：新增 0 项，删除 0 项，销号 0 项，变化 0 项\n"
        "督办：约谈 新增 0 次，删除 0 次，变化 0 次；整改 新增 0 项，删除 0 项，变化 1 项\n"
        "  ~ 整改 ZG-02（区教育局，整改期限 2024-07-05）\n"
        "      整改期限：2024-06-29 → 2024-07-05\n"
        "得分 2024-Q2：\n"
        "  jiaoyuju 区教育局：84.00 一般 区级部门第4名 → 84.00 良好 区级部门第4名\n"
        "      整改 ZG-02 整改期限 2024-06-29 → 2024-07-05\n"
        "      得分未变，等次因考核规则变化而变化\n"
        "      考核规则 fix-late（整改逾期未销号的降一档）不再适用\n"
        "  （其余 8 个单位不变）\n"))
    en = cli("diff", "HEAD", repo, "--lang", "en").stdout
    assert en == (
        "Ledger changes HEAD → working tree (as of 2024-12-31)\n"
        "Tasks: 0 added, 0 removed, 0 closed, 0 changed\n"
        "Supervision: interviews 0 added, 0 removed, 0 changed; rectifications 0 added, "
        "0 removed, 1 changed\n"
        "  ~ rectification ZG-02 (区教育局, due 2024-07-05)\n"
        "      due 2024-06-29 → 2024-07-05\n"
        "Scores 2024-Q2:\n"
        "  jiaoyuju 区教育局: 84.00 一般 #4 in 区级部门 → 84.00 良好 #4 in 区级部门\n"
        "      rectification ZG-02 due 2024-06-29 → 2024-07-05\n"
        "      score unchanged; the grade moved with the scheme's rules\n"
        "      rule fix-late (整改逾期未销号的降一档) no longer applies\n"
        "  (8 other units unchanged)\n")
    doc = json.loads(cli("diff", "HEAD", repo, "-f", "json").stdout)
    assert doc["supervision"] == {
        "interviews": {"added": [], "removed": [], "changed": []},
        "rectifications": {"added": [], "removed": [], "changed": [
            {"id": "ZG-02", "unit": "jiaoyuju", "opened": "2024-04-08", "due": "2024-07-05",
             "fields": {"due": {"before": "2024-06-29", "after": "2024-07-05"}}}]}}
    q2 = next(p for p in doc["scores"] if p["period"] == "2024-Q2")
    moved = [u for u in q2["units"] if u["changed"]]
    assert [(u["unit"], u["reasons"]) for u in moved] == [(
        "jiaoyuju", ["整改 ZG-02 整改期限 2024-06-29 → 2024-07-05",
                     "得分未变，等次因考核规则变化而变化",
                     "考核规则 fix-late（整改逾期未销号的降一档）不再适用"])]
    md = cli("diff", "HEAD", repo, "-f", "md").stdout
    assert ("#### 督办变化\n\n督办：约谈 新增 0 次，删除 0 次，变化 0 次；整改 新增 0 项，删除 0 项，"
            "变化 1 项\n\n| | 约谈或整改 | 变化 |\n|---|---|---|\n"
            "| 变化 | 整改 ZG-02（区教育局，整改期限 2024-07-05） | 整改期限：2024-06-29 → 2024-07-05 |\n"
            ) in md


def test_entries_added_removed_and_changed(cli: Callable[..., Any], repo: Path) -> None:
    """An interview's reason reworded (paired by unit and date), one removed and one
    added; a rectification closed and approved otherwise, one removed, one added.  The
    scores do not move: nothing the rules read changed for anyone's grade."""
    path = repo / "supervision" / "2024.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("reason: 节点任务亮红灯", "reason: 课后服务节点逾期")
    text = text.replace(
        "  - {unit: zhujianju, date: 2024-04-10, kind: 约谈提醒, by: 区考核办, reason: 一季度考核排名靠后}\n",
        "  - {unit: fgw, date: 2024-05-06, kind: 提醒谈话}\n")
    text = text.replace("closed: {date: 2024-05-10, approved_by: zhang-changwu}",
                        "closed: {date: 2024-05-08, approved_by: zhang-changwu, evidence: 整改报告}")
    text = text.replace("  - {id: ZG-02,", "  - {id: ZG-03, unit: xzspj, opened: 2024-05-06, "
                        "due: 2024-05-31}\n  - {id: ZG-02,")
    path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "v2")
    # and ZG-01 removed in the working tree
    edit(path, "  - {id: ZG-01,", "  - {id: ZG-01-gone,")
    r = cli("diff", "HEAD~1", "HEAD", repo, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "Ledger changes HEAD~1 → HEAD (as of 2024-12-31)\n"
        "Tasks: 0 added, 0 removed, 0 closed, 0 changed\n"
        "Supervision: interviews 1 added, 1 removed, 1 changed; rectifications 1 added, "
        "0 removed, 1 changed\n"
        "  + interview 区发改委 2024-05-06 提醒谈话\n"
        "  + rectification ZG-03 (区行政审批服务局, due 2024-05-31)\n"
        "  - interview 区住房和城乡建设局 2024-04-10 约谈提醒\n"
        "  ~ interview 区教育局 2024-04-08 警示约谈\n"
        "      reason 节点任务亮红灯 → 课后服务节点逾期\n"
        "  ~ rectification ZG-01 (区住房和城乡建设局, due 2024-04-30)\n"
        "      closed 2024-05-10 → 2024-05-08\n"
        "      evidence — → 整改报告\n")
    doc = json.loads(cli("diff", "HEAD~1", "HEAD", repo, "-f", "json").stdout)
    assert doc["supervision"]["interviews"] == {
        "added": [{"unit": "fgw", "date": "2024-05-06", "kind": "提醒谈话"}],
        "removed": [{"unit": "zhujianju", "date": "2024-04-10", "kind": "约谈提醒"}],
        "changed": [{"unit": "jiaoyuju", "date": "2024-04-08", "kind": "警示约谈",
                     "fields": {"reason": {"before": "节点任务亮红灯", "after": "课后服务节点逾期"}}}]}
    assert doc["supervision"]["rectifications"]["added"] == [
        {"id": "ZG-03", "unit": "xzspj", "opened": "2024-05-06", "due": "2024-05-31"}]
    assert doc["supervision"]["rectifications"]["changed"][0]["fields"] == {
        "closed": {"before": "2024-05-10", "after": "2024-05-08"},
        "evidence": {"before": None, "after": "整改报告"}}
    # the working tree: ZG-01 gone, ZG-01-gone new
    r = cli("diff", "HEAD", repo, "--lang", "en")
    assert ("Supervision: interviews 0 added, 0 removed, 0 changed; rectifications 1 added, "
            "1 removed, 0 changed\n"
            "  + rectification ZG-01-gone (区住房和城乡建设局, due 2024-04-30)\n"
            "  - rectification ZG-01 (区住房和城乡建设局, due 2024-04-30)\n") in r.stdout


def test_no_change_and_no_supervision(cli: Callable[..., Any], repo: Path,
                                      tmp_path: Path) -> None:
    """Nothing changed: the one line it always was.  A ledger without supervision
    files: no `supervision` key in JSON (its output is what it was)."""
    assert cli("diff", "HEAD", repo).stdout == (
        "台账变更 HEAD → 工作区（截至 2024-12-31）\n任务和得分都没有变化。\n")
    doc = json.loads(cli("diff", "HEAD", repo, "-f", "json").stdout)
    assert doc["supervision"] == {k: {"added": [], "removed": [], "changed": []}
                                  for k in ("interviews", "rectifications")}
    plain = tmp_path / "plain"
    assert cli("init", plain, "--example", "beilin").exit_code == 0
    git(plain, "init", "-q", "-b", "main")
    commit(plain, "v1")
    assert "supervision" not in json.loads(cli("diff", "HEAD", plain, "-f", "json").stdout)


def test_a_grade_moved_by_the_quota_says_so(cli: Callable[..., Any], repo: Path) -> None:
    """区商务局 drops out of 优秀; 区行政审批服务局, 90.25 both times, takes the one 优秀 place
    of its group (max_share 30): the grade moved with the quota, the rank with the
    other's score — before, only "rank moved" was said of it."""
    edit(repo / "records" / "2024-Q2.yaml", "shangwuju:   {inspection: 91}",
         "shangwuju:   {inspection: 85}")
    r = cli("diff", "HEAD", repo, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert ("  xzspj 区行政审批服务局: 90.25 良好 #2 in 区级部门 → 90.25 优秀 #1 in 区级部门\n"
            "      score unchanged; the grade moved with the grade quota (max_share) and "
            "other units' scores\n"
            "      score unchanged; rank moved with other units' scores\n") in r.stdout
    zh = cli("diff", "HEAD", repo).stdout
    assert ("  xzspj 区行政审批服务局：90.25 良好 区级部门第2名 → 90.25 优秀 区级部门第1名\n"
            "      得分未变，等次因等次名额（max_share）随其他单位得分变化而变化\n"
            "      得分未变，名次因其他单位得分变化而变化\n") in zh


def _pairing_as_it_was(before: list[Any], after: list[Any]) -> tuple[list[Any], ...]:
    """The pairing of interviews before the index (a scan of the list per interview):
    the reference `supervision_changes` must agree with."""
    def same(iv: Any) -> tuple[object, ...]:
        return (iv.unit, iv.date, iv.kind, iv.by, iv.reason, iv.tasks)
    left, right, added, changed = list(before), [], [], []
    for iv in after:
        match = next((i for i, x in enumerate(left) if same(x) == same(iv)), None)
        if match is None:
            right.append(iv)
        else:
            del left[match]
    for iv in right:
        match = next((i for i, x in enumerate(left)
                      if (x.unit, x.date) == (iv.unit, iv.date)), None)
        if match is None:
            added.append(iv)
        else:
            changed.append((left.pop(match), iv))
    return added, left, changed


def test_interviews_pair_as_they_did_without_the_quadratic_scan() -> None:
    """Random interview lists (few units, dates and reasons, so that they collide):
    added, removed and changed are the entries the list scan gave, in its order."""
    from datetime import date

    from hypothesis import given
    from hypothesis import strategies as st

    from luoshi_cli.core.model import Config, Interview, Ledger, Src
    from luoshi_cli.ops.history import supervision_changes

    one = st.builds(lambda u, d, r: Interview(u, date(2024, 4, d), Src("s.yaml", ()),
                                              reason=r),
                    st.sampled_from(["a", "b"]), st.integers(1, 3),
                    st.sampled_from([None, "x", "y"]))

    def ledger(ivs: list[Interview]) -> Ledger:
        return Ledger(root=Path("."), config=Config(title="t", year=2024), units={},
                      leaders={}, tasks=(), interviews=tuple(ivs), supervised=True)

    @given(st.lists(one, max_size=8), st.lists(one, max_size=8))
    def check(before: list[Interview], after: list[Interview]) -> None:
        got = supervision_changes(ledger(before), ledger(after))
        assert got is not None
        added, removed, changed = _pairing_as_it_was(before, after)
        key = [(e.unit, e.date) for e in got.added]
        assert key == [(iv.unit, iv.date) for iv in added]
        assert [(e.unit, e.date) for e in got.removed] == [(iv.unit, iv.date) for iv in removed]
        assert [(e.unit, e.date, len(e.values) > 0) for e in got.changed] == [
            (new.unit, new.date, old.reason != new.reason) for old, new in changed]

    check()



def test_rectification_reasons_of_every_unit(cli: Callable[..., Any], repo: Path) -> None:
    """The rectifications a rule reads, named in the reasons of each unit they concern,
    exact lines as before they were worked out once per diff (they were scanned again
    for every unit that moved): ZG-01 moved from zhujianju to shangwuju and reopened
    (open after 30 April at Q2's end: fix-late, 91.00 优秀 → 良好); ZG-02's deadline
    moved past Q2 (jiaoyuju 一般 → 良好); ZG-03 added for nanyuanmen, open after 31 May
    (92.00 优秀 → 良好).  xzspj takes the 优秀 place shangwuju leaves (quota)."""
    path = repo / "supervision" / "2024.yaml"
    edit(path, "  - {id: ZG-01, unit: zhujianju,", "  - {id: ZG-01, unit: shangwuju,")
    edit(path, ", closed: {date: 2024-05-10, approved_by: zhang-changwu}}", "}")
    edit(path, "due: 2024-06-29", "due: 2024-07-05")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("  - {id: ZG-03, unit: nanyuanmen, opened: 2024-05-06, due: 2024-05-31}\n")
    r = cli("diff", "HEAD", repo)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.endswith(
        "得分 2024-Q2：\n"
        "  nanyuanmen 南院门街道：92.00 优秀 街道第1名 → 92.00 良好 街道第1名\n"
        "      整改 ZG-03 新增\n"
        "      得分未变，等次因考核规则变化而变化\n"
        "      考核规则 fix-late（整改逾期未销号的降一档）现适用\n"
        "  shangwuju 区商务局：91.00 优秀 区级部门第1名 → 91.00 良好 区级部门第1名\n"
        "      整改 ZG-01 整改单位 zhujianju → shangwuju\n"
        "      整改 ZG-01 销号日期 2024-05-10 → 无\n"
        "      得分未变，等次因考核规则变化而变化\n"
        "      考核规则 fix-late（整改逾期未销号的降一档）现适用\n"
        "  xzspj 区行政审批服务局：90.25 良好 区级部门第2名 → 90.25 优秀 区级部门第2名\n"
        "      得分未变，等次因等次名额（max_share）随其他单位得分变化而变化\n"
        "  jiaoyuju 区教育局：84.00 一般 区级部门第4名 → 84.00 良好 区级部门第4名\n"
        "      整改 ZG-02 整改期限 2024-06-29 → 2024-07-05\n"
        "      得分未变，等次因考核规则变化而变化\n"
        "      考核规则 fix-late（整改逾期未销号的降一档）不再适用\n"
        "  （其余 5 个单位不变）\n"), r.stdout
    # the unit ZG-01 left (its standing did not move, so the report does not show it)
    # has the same lines: a rectification moved is named for both units
    from dataclasses import replace

    from luoshi_cli.api import open_ledger
    from luoshi_cli.ops.history import supervision_reasons

    after = open_ledger(repo, cache=False).ledger
    git(repo, "checkout", "-q", "--", ".")
    before = open_ledger(repo, cache=False).ledger
    got = {u: [x.en for x in lines]
           for u, lines in supervision_reasons(before, after).items()}
    assert got == {
        "zhujianju": ["rectification ZG-01 unit zhujianju → shangwuju",
                      "rectification ZG-01 closed 2024-05-10 → none"],
        "shangwuju": ["rectification ZG-01 unit zhujianju → shangwuju",
                      "rectification ZG-01 closed 2024-05-10 → none"],
        "jiaoyuju": ["rectification ZG-02 due 2024-06-29 → 2024-07-05"],
        "nanyuanmen": ["rectification ZG-03 added"]}
    # without a rule reading rectifications: none
    assert supervision_reasons(replace(before, scheme=None), replace(after, scheme=None)) == {}


def _reasons_as_they_were(before: Any, after: Any, unit: str) -> list[str]:
    """The reasons of one unit as the scan per unit gave them (before the index): the
    reference `supervision_reasons` must agree with, unit by unit."""
    from luoshi_cli.ops.history import _rectification_value

    old = {r.id: r for r in reversed(before.rectifications)}
    new = {r.id: r for r in reversed(after.rectifications)}
    out = []
    for rid in sorted(set(old) | set(new)):
        a, b = old.get(rid), new.get(rid)
        if unit not in {r.unit for r in (a, b) if r is not None}:
            continue
        if a is None or b is None:
            out.append(f"rectification {rid} {'added' if a is None else 'removed'}")
            continue
        for name in ("unit", "opened", "due", "closed"):
            x, y = _rectification_value(a, name), _rectification_value(b, name)
            if x != y:
                out.append(f"rectification {rid} {name} {x or 'none'} → {y or 'none'}")
    return out


def test_rectification_reasons_are_the_scan_per_unit(repo: Path) -> None:
    """Random rectification lists (few ids, units and dates, so that they collide; an
    id written twice, the first counts): every unit's reasons are the lines, in the
    order, that scanning all rectifications for that unit gave."""
    from dataclasses import replace
    from datetime import date

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from luoshi_cli.api import open_ledger
    from luoshi_cli.core.model import Closed, Rectification, Src
    from luoshi_cli.ops.history import supervision_reasons

    ledger = open_ledger(repo, cache=False).ledger  # its scheme has fix-late
    day = st.integers(1, 3).map(lambda d: date(2024, 5, d))
    one = st.builds(lambda i, u, o, d, c: Rectification(
        i, u, o, d, Src("s.yaml", ()), closed=None if c is None else Closed(c, "x", None)),
        st.sampled_from(["Z1", "Z2", "Z3"]), st.sampled_from(["a", "b", "c"]), day, day,
        st.none() | day)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(one, max_size=6), st.lists(one, max_size=6))
    def check(a: list[Rectification], b: list[Rectification]) -> None:
        before = replace(ledger, rectifications=tuple(a))
        after = replace(ledger, rectifications=tuple(b))
        got = supervision_reasons(before, after)
        for unit in ("a", "b", "c"):
            assert [x.en for x in got.get(unit, [])] == _reasons_as_they_were(
                before, after, unit)

    check()


def test_the_ranking_an_interview_follows(cli: Callable[..., Any], repo: Path) -> None:
    """住建局's talk of 10 April (一季度考核排名靠后) given `period: 2024-Q1` in the working
    tree: the same interview (paired by unit and date), its ranking changed — `所依排名：
    — → 2024-Q1`, in text and JSON.  Every field an interview writes is compared: an
    edited ranking is a change the office reviews like any other."""
    edit(repo / "supervision" / "2024.yaml", "reason: 一季度考核排名靠后}",
         "reason: 一季度考核排名靠后, period: 2024-Q1}")
    r = cli("diff", "HEAD", repo)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[2:5] == [
        "督办：约谈 新增 0 次，删除 0 次，变化 1 次；整改 新增 0 项，删除 0 项，变化 0 项",
        "  ~ 约谈 区住房和城乡建设局 2024-04-10 约谈提醒",
        "      所依排名：— → 2024-Q1"]
    doc = json.loads(cli("diff", "HEAD", repo, "-f", "json").stdout)
    assert doc["supervision"]["interviews"]["changed"] == [
        {"unit": "zhujianju", "date": "2024-04-10", "kind": "约谈提醒",
         "fields": {"period": {"before": None, "after": "2024-Q1"}}}]


def test_an_interviews_tasks_are_joined_with_the_dunhao(cli: Callable[..., Any],
                                                         repo: Path) -> None:
    """An interview's and a rectification's `tasks` changed: Chinese joined them with
    ", " (`涉及任务：K-05 → K-05, K-01`); now 、, and ", " in English.  JSON keeps
    what is written."""
    sup = repo / "supervision" / "2024.yaml"
    edit(sup, "reason: 节点任务亮红灯, tasks: [K-05]}", "reason: 节点任务亮红灯, tasks: [K-05, K-01]}")
    edit(sup, "unit: jiaoyuju, tasks: [K-05]", "unit: jiaoyuju, tasks: [K-05, K-01]")
    lines = cli("diff", "HEAD", repo, "--as-of", "2024-06-30").stdout.splitlines()
    assert "      涉及任务：K-05 → K-05、K-01" in lines
    assert lines.count("      涉及任务：K-05 → K-05、K-01") == 2
    en = cli("diff", "HEAD", repo, "--as-of", "2024-06-30", "--lang", "en").stdout
    assert en.count("      tasks K-05 → K-05, K-01\n") == 2
    doc = json.loads(cli("diff", "HEAD", repo, "--as-of", "2024-06-30", "-f", "json").stdout)
    assert doc["supervision"]["interviews"]["changed"][0]["fields"] == {
        "tasks": {"before": "K-05", "after": "K-05, K-01"}}


def test_a_rectifications_unit_renamed_by_id_shows_the_ids(cli: Callable[..., Any],
                                                           repo: Path) -> None:
    """jiaoyuju renamed jiaoyuju-2 in every file, its name 区教育局 kept: ZG-02's unit
    read `单位：区教育局 → 区教育局`.  The same names are told apart by their ids."""
    for path in repo.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "jiaoyuju" in text:
            path.write_text(text.replace("jiaoyuju", "jiaoyuju-2"), encoding="utf-8")
    assert cli("validate", repo).exit_code == 0
    r = cli("diff", "HEAD", repo)
    assert ("  ~ 整改 ZG-02（区教育局，整改期限 2024-06-29）\n"
            "      整改单位：区教育局（jiaoyuju） → 区教育局（jiaoyuju-2）\n") in r.stdout, r.stdout
    en = cli("diff", "HEAD", repo, "--lang", "en").stdout
    assert "      unit 区教育局 (jiaoyuju) → 区教育局 (jiaoyuju-2)\n" in en, en
    md = cli("diff", "HEAD", repo, "-f", "md").stdout
    assert "整改单位：区教育局（jiaoyuju） → 区教育局（jiaoyuju-2）" in md, md
