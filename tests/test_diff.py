"""`luoshi diff` on a real two-commit history of the 渭南 example ledger."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE, commit, edit, git

AS_OF = ("--as-of", "2021-06-30")

NEW_TASK = """
- id: WN-021
  title: 机关作风暗访
  category: style
  lead: dangqunbu
  leaders: [zhang-fushuji]
  start: 2021-06-01
  standard: 全年暗访机关单位不少于20次
  milestones:
    - {due: 2021-12-31, standard: 暗访20次}
  status: in_progress
  progress: 10
  updates:
    - {month: "2021-06", progress: 10, note: 暗访2次}
"""


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """v1: the example (with WN-006 locked too); v2: a month of office work."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    edit(root / "tasks/projects.yaml", "  status: in_progress\n  progress: 45\n",
         "  status: in_progress\n  progress: 45\n  locked: true\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    git(root, "tag", "v1")

    tasks = root / "tasks"
    # a task closed (销号)
    edit(tasks / "style.yaml", "  status: done\n  progress: 100\n",
         "  status: closed\n  progress: 100\n"
         "  closed: {date: 2021-06-30, approved_by: zhang-fushuji, evidence: 到岗名单}\n")
    # progress reported, an unlocked task's milestone moved
    edit(tasks / "city.yaml", "  progress: 55\n", "  progress: 60\n")
    edit(tasks / "city.yaml", "{due: 2021-09-30, standard: 完成整治40条}",
         "{due: 2021-10-31, standard: 完成整治40条}")
    # a locked task's milestone moved with approval …
    edit(tasks / "projects.yaml", "{due: 2021-09-30, standard: 签约22个}",
         "{due: 2021-10-15, standard: 签约22个}")
    edit(tasks / "projects.yaml", "全年目标不变}\n",
         "全年目标不变}\n    - {date: 2021-06-20, field: milestones, approved_by: li-zhuren, "
         "reason: 签约活动延期}\n")
    # … and another's reworded without
    edit(tasks / "projects.yaml", "standard: 新增规上企业10家}", "standard: 新增规上企业12家}")
    # an overdue milestone done late: red → yellow
    edit(tasks / "projects.yaml", "{due: 2021-06-15, standard: 主管网铺设完成50%}",
         "{due: 2021-06-15, standard: 主管网铺设完成50%, done: 2021-06-28}")
    # a task removed, one added
    text = (tasks / "projects.yaml").read_text(encoding="utf-8")
    start, end = text.index("- id: WN-005"), text.index("- id: WN-006")
    (tasks / "projects.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    with (tasks / "style.yaml").open("a", encoding="utf-8") as fh:
        fh.write(NEW_TASK)
    # the quarter's record: one score corrected, one deduction added
    rec = root / "records/2021-Q2.yaml"
    edit(rec, "longbei:       {hotline: 79.5,", "longbei:       {hotline: 99.5,")
    edit(rec, "deductions:\n", "deductions:\n  - {unit: chongyelu, category: slack, "
         "date: 2021-06-10, points: 3, reason: 会议迟到}\n")
    commit(root, "v2")
    return root


EXPECTED_TEXT = """\
Ledger changes v1 → working tree (as of 2021-06-30)
Tasks: 1 added, 1 removed, 1 closed, 5 changed
  + WN-021 机关作风暗访 (党群工作部, in progress, green)
  - WN-005 赴福州、镇江开展产业对接招商 (招商服务局)
  ✓ WN-020 年轻干部双向交流挂职: closed 2021-06-30
  ~ WN-009 背街小巷综合整治 (崇业路街道)
      progress 55% → 60%
      milestone “完成整治40条” moved 2021-09-30 → 2021-10-31
  ~ WN-003 东区道路及管网配套工程 (东区管委会)
      light red → yellow
      milestone “主管网铺设完成50%” done 2021-06-28
  ~ WN-004 全年新签约招商引资项目30个 (招商服务局)
      milestone “签约22个” moved 2021-09-30 → 2021-10-15 (approved)
      adjustment added: 2021-06-20 milestones, approved by li-zhuren, reason “签约活动延期”
  ~ WN-006 工业倍增计划：新增规模以上工业企业10家 (经济发展局)
      milestone due 2021-12-31 now reads “新增规上企业12家” (NOT approved)
      ⚠ locked task: milestones changed without a new adjustments entry
  ~ WN-020 年轻干部双向交流挂职 (党群工作部)
      status done → closed
      light green → —
      closing — → 2021-06-30 (approved by zhang-fushuji; evidence “到岗名单”)
Records: deductions 1 added, 0 removed, 0 changed; bonuses 0 added, 0 removed, 0 changed; \
flags 0 added, 0 removed, 0 changed
  + 2021-Q2 deduction 崇业路街道 (slack, 2021-06-10)
      points 3
      reason 会议迟到
Scores 2021-Q2:
  jinchengshequ 金城社区: 84.51 一般 #6 → 84.51 一般 #5
      score unchanged; rank moved with other units' scores
  chongyelu 崇业路街道: 86.88 良好 #5 → 83.88 良好 #6
      2021-Q2 new deduction 缺乏责任心、混日子 3: 会议迟到
  longbei 龙背街道: 76.95 一般 #9 → 79.95 一般 #8
      2021-Q2 “12345”快速响应平台群众诉求办理情况 score 79.5 → 99.5
  shehuiju 社会事业局: 78.39 一般 #8 → 78.39 一般 #9
      score unchanged; rank moved with other units' scores
  (9 other units unchanged)
"""


def test_text(cli: Callable[..., Any], history: Path) -> None:
    r = cli("diff", "v1", history, *AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    head, _, annual = r.stdout.partition("Scores 2021:\n")
    assert head == EXPECTED_TEXT
    # the year: a quarterly leaf is the mean of four quarters (+20 / 4 × 12% = +0.60);
    # a deduction counts once, in full, in the year (SPEC §4)
    assert "  longbei 龙背街道: 76.51 较差 #9 → 77.11 较差 #8\n" \
           "      2021-Q2 “12345”快速响应平台群众诉求办理情况 score 79.5 → 99.5\n" in annual
    assert "  chongyelu 崇业路街道: 87.05 良好 #3 → 84.05 良好 #5\n" \
           "      2021-Q2 new deduction 缺乏责任心、混日子 3: 会议迟到\n" in annual
    assert annual.endswith("  (8 other units unchanged)\n")


def test_two_revisions_and_range_syntax(cli: Callable[..., Any], history: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # the working tree moves on; REV2 reads the commit, not the working tree
    edit(history / "tasks/city.yaml", "  progress: 60\n", "  progress: 70\n")
    a = cli("diff", "v1", "HEAD", history, *AS_OF, "--lang", "en").stdout
    assert a.startswith("Ledger changes v1 → HEAD (as of 2021-06-30)\n")
    assert "      progress 55% → 60%\n" in a
    worktree = cli("diff", "v1", history, *AS_OF, "--lang", "en").stdout
    assert "      progress 55% → 70%\n" in worktree
    monkeypatch.chdir(history / "records")  # the ledger root is found as git finds its repo
    assert cli("diff", "v1..HEAD", *AS_OF, "--lang", "en").stdout == a
    assert cli("diff", "v1", "HEAD", *AS_OF, "--lang", "en").stdout == a
    same = cli("diff", "HEAD", "HEAD", *AS_OF, "--lang", "en").stdout
    assert same == ("Ledger changes HEAD → HEAD (as of 2021-06-30)\n"
                    "No changes in tasks or scores.\n")


def test_triple_dot_compares_with_the_merge_base(cli: Callable[..., Any],
                                                 history: Path) -> None:
    """Audit E item 10: `v1...v2` (GitHub compare's form) is git's meaning — REV2 against
    where it forked from REV1 — not a garbled revision `.v2`."""
    git(history, "checkout", "-q", "-b", "other", "v1")
    edit(history / "tasks/city.yaml", "  progress: 55\n", "  progress: 99\n")
    commit(history, "elsewhere")
    git(history, "checkout", "-q", "main")
    base = git(history, "rev-parse", "v1").strip()[:12]
    plain = cli("diff", "v1", "main", history, *AS_OF, "--lang", "en")
    three = cli("diff", "other...main", history, *AS_OF, "--lang", "en")
    assert three.exit_code == 0, three.stderr
    assert three.stdout == plain.stdout.replace("Ledger changes v1 → main",
                                                f"Ledger changes {base} → main", 1)
    assert "progress 55% → 60%" in three.stdout and "99%" not in three.stdout
    assert cli("diff", "other..main", history, *AS_OF, "--lang", "en").stdout != three.stdout
    unknown = cli("diff", "nosuch...main", history, *AS_OF, "--lang", "en")
    assert (unknown.exit_code, unknown.stdout) == (2, "")
    # as --rev says it (it was git's "fatal: Not a valid object name nosuch" and a
    # suggested `luoshi diff nosuch main`, which fails the same way)
    assert unknown.stderr == ("luoshi: unknown git revision nosuch: no such branch, tag or "
                              "commit here (a typo?)\n")


def test_triple_dot_in_a_shallow_clone_says_how_to_fetch(cli: Callable[..., Any],
                                                         history: Path,
                                                         tmp_path: Path) -> None:
    """A depth-1 CI clone lacks HEAD~1: `diff HEAD~1...HEAD` printed git's raw "fatal:
    Not a valid object name HEAD~1" and suggested `luoshi diff HEAD~1 HEAD`, which fails
    the same way.  Now it gives the fetch command every other shallow-clone message
    gives, and doing what it says works."""
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history}", str(clone))
    r = cli("diff", "HEAD~1...HEAD", clone, *AS_OF, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: unknown git revision HEAD~1 (this is a shallow clone that "
                        "lacks it); fetch it: git fetch --deepen=50\n")
    zh = cli("diff", "HEAD~1...HEAD", clone, *AS_OF, "--lang", "zh")
    assert zh.stderr == ("luoshi: 找不到 git 版本 HEAD~1（这是缺少该版本的浅克隆），请先获取："
                         "git fetch --deepen=50\n")
    git(clone, "fetch", "-q", "--deepen=50")
    r = cli("diff", "HEAD~1...HEAD", clone, *AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("Ledger changes ")


def test_triple_dot_reads_the_merge_base_by_its_full_id(cli: Callable[..., Any],
                                                        history: Path) -> None:
    """`A...B` read the merge base by its 12-digit abbreviation: a tag named with
    those 12 digits (pointing elsewhere) was read instead.  It is read by its full id,
    and still shown by the 12 digits."""
    import json

    git(history, "checkout", "-q", "-b", "other", "v1")
    edit(history / "tasks/city.yaml", "  progress: 55\n", "  progress: 99\n")
    commit(history, "elsewhere")
    git(history, "checkout", "-q", "main")
    full = git(history, "rev-parse", "v1").strip()
    want = cli("diff", "other...main", history, *AS_OF, "-f", "json").stdout
    git(history, "tag", full[:12], "other")  # a tag named like the abbreviation
    r = cli("diff", "other...main", history, *AS_OF, "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == want
    assert json.loads(r.stdout)["from"] == {"rev": full[:12], "commit": full}


def test_markdown_comment(cli: Callable[..., Any], history: Path) -> None:
    r = cli("diff", "v1", history, *AS_OF, "--format", "md")
    assert r.exit_code == 0
    md = r.stdout
    assert md.startswith("### 台账变更 v1 → 工作区（截至 2021-06-30）\n\n"
                         "任务：新增 1 项，删除 1 项，销号 1 项，变化 5 项\n\n"
                         "**⚠ 已锁定任务未经审批被修改：WN-006**\n\n"
                         "| | 任务 | 名称 | 牵头单位 |\n|---|---|---|---|\n"
                         "| 新增 | WN-021 | 机关作风暗访 | 党群工作部 |\n"
                         "| 删除 | WN-005 | 赴福州、镇江开展产业对接招商 | 招商服务局 |\n"
                         "| 销号 | WN-020 | 年轻干部双向交流挂职 | 党群工作部 |\n")
    assert ("| WN-003 | 东区道路及管网配套工程 | 灯 红灯 → 黄灯<br>序时节点“主管网铺设完成50%”"
            "于 2021-06-28 完成 |\n") in md
    assert ("| WN-004 | 全年新签约招商引资项目30个 | 序时节点“签约22个”由 2021-09-30 调整为 "
            "2021-10-15（已审批）<br>新增调整审批记录：2021-06-20 序时节点，审批人 li-zhuren，"
            "理由“签约活动延期” |\n") in md
    assert "#### 得分 2021-Q2\n\n| 单位 | 变更前 | 变更后 | 原因 |\n|---|---|---|---|\n" in md
    assert ("| 龙背街道 | 76.95 一般 第9名 | 79.95 一般 第8名 | 2021-Q2 “12345”快速响应平台群众诉求办理情况 得分 79.5 → 99.5 |"
            "\n") in md
    assert ("| 崇业路街道 | 86.88 良好 第5名 | 83.88 良好 第6名 | 2021-Q2 新增扣分 缺乏责任心、混日子 3 分：会议迟到 |"
            "\n") in md
    assert "其余 9 个单位不变。" in md


def test_json(cli: Callable[..., Any], history: Path) -> None:
    r = cli("diff", "v1", "HEAD", history, *AS_OF, "--format", "json", "--lang", "en")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    head = git(history, "rev-parse", "HEAD").strip()
    v1 = git(history, "rev-parse", "v1").strip()
    assert doc["from"] == {"rev": "v1", "commit": v1}
    assert doc["to"] == {"rev": "HEAD", "commit": head}
    assert doc["as_of"] == "2021-06-30"
    t = doc["tasks"]
    assert t["added"] == [{"id": "WN-021", "title": "机关作风暗访", "lead": "dangqunbu",
                           "status": "in_progress", "light": "green"}]
    assert t["removed"] == [{"id": "WN-005", "title": "赴福州、镇江开展产业对接招商",
                             "lead": "zhaoshangju", "locked": False, "approved": None}]
    assert t["closed"] == [{"id": "WN-020", "title": "年轻干部双向交流挂职", "lead": "dangqunbu",
                            "date": "2021-06-30"}]
    changed = {c["id"]: c for c in t["changed"]}
    assert changed["WN-009"]["progress"] == {"before": 55, "after": 60}
    assert changed["WN-004"]["milestones"] == [
        {"change": "moved", "standard": "签约22个", "before": "2021-09-30",
         "after": "2021-10-15", "approved": True, "target": None,
         "note": None}]
    assert changed["WN-006"]["unapproved"] == ["milestones"]
    assert changed["WN-006"]["milestones"][0]["approved"] is False
    assert changed["WN-003"]["light"] == {"before": "red", "after": "yellow"}
    q2 = next(p for p in doc["scores"] if p["period"] == "2021-Q2")
    longbei = next(u for u in q2["units"] if u["unit"] == "longbei")
    assert longbei == {"unit": "longbei", "name": "龙背街道",
                       "before": {"score": 76.95, "grade": "一般", "rank": 9},
                       "after": {"score": 79.95, "grade": "一般", "rank": 8},
                       "changed": True, "reasons": ["2021-Q2 “12345”快速响应平台群众诉求办理情况 score 79.5 → 99.5"]}
    assert len(q2["units"]) == 13
    assert [p["period"] for p in doc["scores"]] == ["2021-Q1", "2021-Q2", "2021-Q3",
                                                    "2021-Q4", "2021"]
    q1 = doc["scores"][0]
    assert not any(u["changed"] for u in q1["units"])


def test_side_with_errors_is_not_scored(cli: Callable[..., Any], history: Path) -> None:
    edit(history / "records/2021-Q2.yaml", "{hotline: 99.5,", "{hotline: 199.5,")
    r = cli("diff", "v1", history, *AS_OF, "--lang", "en")
    assert r.exit_code == 0
    assert ("Scores 2021-Q2: not scored: that version of the ledger has 1 error "
            "(see luoshi validate)\n") in r.stdout
    assert "  + WN-021 机关作风暗访" in r.stdout  # tasks are still compared


def test_a_side_not_scored_is_said_when_nothing_else_changed(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """Both commits hold the same error and nothing else differs: "no changes" alone
    hid that the scores were never compared; the reason is printed before it."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    edit(root / "records/2021-Q2.yaml", "{hotline: 87.5,", "{hotline: 187.5,")
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    (root / "notes.txt").write_text("x\n", encoding="utf-8")
    commit(root, "v2")
    r = cli("diff", "HEAD~1", "HEAD", root, *AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1:] == [
        "Scores 2021-Q1, 2021-Q2, 2021-Q3, 2021-Q4, 2021: not scored: that version of the "
        "ledger has 1 error (see luoshi validate)",
        "No changes in tasks; the scores above could not be compared."]
    md = cli("diff", "HEAD~1", "HEAD", root, *AS_OF, "--format", "md")
    assert md.stdout.rstrip().endswith("任务没有变化；以上期间的得分未能比较。")
    assert "> 得分 2021-Q1、2021-Q2、2021-Q3、2021-Q4、2021：" in md.stdout


def test_ledger_added_after_rev1(cli: Callable[..., Any], history: Path) -> None:
    git(history, "checkout", "-q", "--orphan", "empty")
    git(history, "rm", "-rq", "--cached", ".")
    git(history, "commit", "-q", "--allow-empty", "-m", "nothing yet")
    git(history, "tag", "v0")
    git(history, "checkout", "-q", "-f", "main")
    r = cli("diff", "v0", history, *AS_OF, "--format", "json", "--lang", "en")
    doc = json.loads(r.stdout)
    assert doc["notes"] == ["the ledger did not exist at v0"]
    assert len(doc["tasks"]["added"]) == 20


def test_bad_arguments(cli: Callable[..., Any], history: Path, tmp_path: Path) -> None:
    r = cli("diff", "nope", history, "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.startswith("luoshi: unknown git revision nope")
    assert cli("diff", "nope", history).stderr.startswith("luoshi: 找不到 git 版本 nope：")
    assert cli("diff", "a", "b", "c", "d").exit_code == 2
    # a mistyped ledger path, taken as REV2: said to be no ledger directory, without the
    # advice to fetch it (this clone is not shallow)
    (history / "ledgers").mkdir()
    r = cli("diff", "v1", str(history / "ledgers/wnn"), "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {history}/ledgers/wnn: no such ledger "
                                          "directory (nor a git revision of that name)\n")
    plain = tmp_path / "plain"
    shutil.copytree(EXAMPLE, plain)
    r = cli("diff", "HEAD", plain, "--lang", "en")
    assert r.exit_code == 2 and "is not inside a git repository" in r.stderr


# ---- a side that does not load is never "nothing changed" or "all deleted" -------------


def test_broken_working_tree_is_refused(cli: Callable[..., Any], history: Path) -> None:
    """A syntax error in the working tree: exit 1 naming the side and the file, with
    the finding; no task of that file is reported as deleted."""
    edit(history / "tasks/city.yaml", "- id: WN-010\n", "- id: [WN-010\n")
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert r.exit_code == 1
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0] == "working tree:"
    assert lines[1] == ("tasks/city.yaml:23:7: error LS010 YAML syntax error: the bracket \"[\" "
                        "is never closed, or two items lack a comma between them: check the "
                        "brackets of this line")
    assert lines[-1] == ("luoshi: the ledger at working tree does not load (tasks/city.yaml): "
                         "fix that first, or its tasks would show as deleted")
    for fmt in ("md", "json"):
        r = cli("diff", "HEAD", history, *AS_OF, "--format", fmt)
        assert r.exit_code == 1 and r.stdout == ""
        assert r.stderr.endswith("luoshi: 工作区的台账无法完整读取（tasks/city.yaml）：请先修正，"
                                 "否则其中的任务会显示为被删除\n")


def test_broken_base_revision_is_refused(cli: Callable[..., Any], history: Path) -> None:
    """The same at the base revision: a file broken in the commit and fixed since is
    not "all its tasks added"."""
    good = (history / "tasks/city.yaml").read_text(encoding="utf-8")
    edit(history / "tasks/city.yaml", "- id: WN-010\n", "- id: [WN-010\n")
    commit(history, "broken")
    (history / "tasks/city.yaml").write_text(good, encoding="utf-8")
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.splitlines()[0] == "HEAD:"
    assert r.stderr.endswith("luoshi: the ledger at HEAD does not load (tasks/city.yaml): "
                             "fix that first, or its tasks would show as deleted\n")
    # both revisions named: the broken one is the second
    r = cli("diff", "HEAD~1", "HEAD", history, *AS_OF, "--lang", "en")
    assert r.exit_code == 1
    assert r.stderr.endswith("luoshi: the ledger at HEAD does not load (tasks/city.yaml): "
                             "fix that first, or its tasks would show as deleted\n")


def test_task_missing_required_key_is_not_deleted(cli: Callable[..., Any],
                                                  history: Path) -> None:
    edit(history / "tasks/city.yaml", "  title: 生活垃圾分类示范小区创建\n", "")
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert r.exit_code == 1 and r.stdout == ""
    assert "tasks/city.yaml:23:3: error LS102" in r.stderr
    assert "(tasks/city.yaml)" in r.stderr.splitlines()[-1]


@pytest.mark.parametrize("written", ["[WN-010]", "10", '"WN-010 "'])
def test_task_whose_id_does_not_read_is_not_deleted(cli: Callable[..., Any], history: Path,
                                                    written: str) -> None:
    """Audit: `id: WN-010` rewritten `id: [WN-010]` (or `10`, `"WN-010 "`) was dropped
    by the parser unrecorded, so the diff printed `- WN-010 …` deleted, exit 0.  That
    side does not load: exit 1 naming the side and the file — in the working tree and
    at a revision (where a diff showed the task as added)."""
    good = (history / "tasks/city.yaml").read_text(encoding="utf-8")
    edit(history / "tasks/city.yaml", "- id: WN-010\n", f"- id: {written}\n")
    line = ("luoshi: the ledger at {side} does not load (tasks/city.yaml): fix that first, "
            "or its tasks would show as deleted\n")
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr.startswith("working tree:\ntasks/city.yaml:23:7: error LS")
    assert r.stderr.endswith(line.format(side="working tree"))
    commit(history, "id unreadable")
    (history / "tasks/city.yaml").write_text(good, encoding="utf-8")
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr.endswith(line.format(side="HEAD"))


def test_a_task_id_written_twice_is_refused(cli: Callable[..., Any], history: Path) -> None:
    """Audit: a second copy of WN-010 with other values in another file (LS108) made
    the diff compare whichever copy sorts first — "nothing changed" — and never
    mention the other.  Which one is the task cannot be told: that side does not load,
    exit 1, with the LS108 naming the id and both places."""
    text = (history / "tasks/city.yaml").read_text(encoding="utf-8")
    start = text.index("- id: WN-010")
    end = text.index("\n- id: ", start + 1) + 1
    copy = text[start:end].replace("  progress: 42\n", "  progress: 99\n")
    with (history / "tasks/style.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + copy)
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert (r.exit_code, r.stdout) == (1, "")
    errors = [s for s in r.stderr.splitlines() if " error " in s]
    assert errors == ["tasks/style.yaml:115:7: error LS108 task WN-010 is defined twice "
                      "(first at tasks/city.yaml:23): ids must be unique; rename or remove one"]
    assert r.stderr.endswith("luoshi: the ledger at working tree does not load "
                             "(tasks/city.yaml, tasks/style.yaml): fix that first, or its "
                             "tasks would show as deleted\n")


@pytest.mark.parametrize(("name", "shown"), [
    ("city\x1b.yaml", "tasks/city\\x1b.yaml"),
    ("city\nx.yaml", "tasks/city\\nx.yaml"),
    (b"city\xff.yaml", "tasks/city\\xff.yaml"),
])
def test_task_file_renamed_to_a_refused_name_is_not_deleted(
        cli: Callable[..., Any], history: Path, name: str | bytes, shown: str) -> None:
    """Audit: a task file renamed to a name luoshi refuses (ESC, a line break, not
    UTF-8: LS006 before the file is read) was missing from what did not load, so
    `diff v1 HEAD` reported all its tasks removed, exit 0.  That side does not load:
    exit 1 naming the file, on either side and in the working tree."""
    import os

    old = history / "tasks" / "city.yaml"
    new = os.path.join(os.fsencode(history / "tasks"), os.fsencode(name) if isinstance(
        name, str) else name)
    os.rename(old, new)
    line = (f"luoshi: the ledger at {{side}} does not load ({shown}): fix that first, "
            "or its tasks would show as deleted\n")
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr.endswith(line.format(side="working tree"))
    commit(history, "renamed")
    for args in (("HEAD~1", "HEAD"), ("HEAD", "HEAD~1")):
        r = cli("diff", *args, history, *AS_OF, "--lang", "en")
        assert (r.exit_code, r.stdout) == (1, ""), r.stdout
        assert r.stderr.endswith(line.format(side="HEAD")), r.stderr


def test_task_file_replaced_by_a_submodule_is_not_deleted(cli: Callable[..., Any],
                                                          history: Path) -> None:
    """A task file replaced in the commit by a submodule (a gitlink) is LS006, a file
    that does not load: exit 1, never "all its tasks deleted"."""
    git(history, "rm", "-q", "--cached", "tasks/city.yaml")
    git(history, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},tasks/city.yaml")
    git(history, "commit", "-q", "-m", "submodule")
    r = cli("diff", "HEAD~1", "HEAD", history, *AS_OF, "--lang", "en")
    assert (r.exit_code, r.stdout) == (1, "")
    assert "tasks/city.yaml:1:1: error LS006 cannot read the file: a git submodule" in r.stderr
    assert r.stderr.endswith("luoshi: the ledger at HEAD does not load (tasks/city.yaml): "
                             "fix that first, or its tasks would show as deleted\n")


# ---- --format md is posted on a pull request: nothing in it may render -------------------

HOSTILE = ('<img src=x onerror=alert(1)> ![x](http://evil/x.png) @everyone '
           '[link](javascript:alert(1)) a|b')


def test_markdown_escapes_ledger_text(cli: Callable[..., Any], history: Path) -> None:
    with (history / "tasks/style.yaml").open("a", encoding="utf-8") as fh:
        fh.write(NEW_TASK.replace("WN-021", "WN-022").replace(
            "title: 机关作风暗访", f"title: {json.dumps(HOSTILE)}"))
    edit(history / "tasks/city.yaml", "standard: 完成整治40条}", "standard: \"@all <b>40</b>\"}")
    edit(history / "records/2021-Q2.yaml", "points: 3, reason: 会议迟到}",
         "points: 2, reason: \"<script>x</script> @org/team\"}")
    r = cli("diff", "HEAD", history, *AS_OF, "--format", "md")
    assert r.exit_code == 0, r.stderr
    md = r.stdout
    assert ("| 新增 | WN-022 | \\<img src=x onerror=alert(1)\\> !\\[x\\](http://evil/x.png) "
            "@\u200beveryone \\[link\\](javascript:alert(1)) a\\|b | 党群工作部 |\n") in md
    assert ("| WN-009 | 背街小巷综合整治 | 2021-10-31 的序时节点改为“@\u200ball \\<b\\>40\\</b\\>” |\n") in md
    assert ("| 2021-Q2 新增扣分 缺乏责任心、混日子 2 分：\\<script\\>x\\</script\\> @\u200borg/team<br>"
            "2021-Q2 撤销扣分 缺乏责任心、混日子 3 分：会议迟到 |\n") in md
    body = md.replace("<br>", "")  # the one tag luoshi writes itself
    assert not re.search(r"(?<!\\)[<>\[\]]", body)
    assert not re.search(r"(?<![A-Za-z0-9_])@[A-Za-z0-9]", body)


def test_a_moved_ledger_directory_is_followed(cli: Callable[..., Any], tmp_path: Path) -> None:
    """`git mv ledgers/wn ledgers/wn2` and one progress report: diff showed the whole
    ledger as added ("did not exist at A"); it follows the rename between the two
    sides, as `validate --base` does, whatever is checked out."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root / "ledgers/wn")
    git(root, "init", "-q", "-b", "main")
    commit(root, "A")
    git(root, "tag", "A")
    git(root, "mv", "ledgers/wn", "ledgers/wn2")
    edit(root / "ledgers/wn2/tasks/city.yaml", "  progress: 55\n", "  progress: 60\n")
    expected = ("Tasks: 0 added, 0 removed, 0 closed, 1 changed\n"
                "  ~ WN-009 背街小巷综合整治 (崇业路街道)\n"
                "      progress 55% → 60%\n")
    r = cli("diff", "A", root / "ledgers/wn2", *AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("Ledger changes A → working tree (as of 2021-06-30)\n" + expected)
    commit(root, "B")
    git(root, "tag", "B")
    git(root, "checkout", "-q", "A")
    r = cli("diff", "A", "B", root / "ledgers/wn2", *AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("Ledger changes A → B (as of 2021-06-30)\n" + expected)


def test_a_removed_locked_task_is_marked_not_approved(cli: Callable[..., Any],
                                                      history: Path) -> None:
    """A locked task deleted (LS502 under `validate --base`) was listed as a plain
    removal: now it says locked and NOT approved, in text, Markdown and JSON."""
    tasks = history / "tasks/projects.yaml"
    text = tasks.read_text(encoding="utf-8")
    start, end = text.index("- id: WN-006"), text.index("- id: WN-007")
    tasks.write_text(text[:start] + text[end:], encoding="utf-8")
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert ("  - WN-006 工业倍增计划：新增规模以上工业企业10家 (经济发展局)\n"
            "      ⚠ locked task deleted (NOT approved: a locked task cannot be deleted)\n"
            ) in r.stdout
    r = cli("diff", "HEAD", history, *AS_OF)
    assert "      ⚠ 已锁定的任务被删除（未经审批：锁定的任务不能删除）\n" in r.stdout
    md = cli("diff", "HEAD", history, *AS_OF, "--lang", "en", "-f", "md").stdout
    assert "**⚠ Locked tasks deleted (NOT approved): WN-006**\n" in md
    assert "| removed ⚠ locked, NOT approved | WN-006 | " in md
    doc = json.loads(cli("diff", "HEAD", history, *AS_OF, "-f", "json").stdout)
    assert doc["tasks"]["removed"] == [{"id": "WN-006", "title": "工业倍增计划：新增规模以上工业企业10家",
                                        "lead": "jingfaju", "locked": True, "approved": False}]


def test_a_changed_lead_and_title_show_before_and_after(cli: Callable[..., Any],
                                                        history: Path) -> None:
    """`changed: lead unit` alone did not say whom the task moved from or to: the
    one-value fields now show both sides (names in text and Markdown, ids in JSON)."""
    edit(history / "tasks/city.yaml", "  lead: chongyelu\n", "  lead: longbei\n")
    edit(history / "tasks/city.yaml", "title: 背街小巷综合整治", "title: 背街小巷整治提升")
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert ("  ~ WN-009 背街小巷整治提升 (龙背街道)\n"
            "      changed: title, lead unit\n"
            "      title “背街小巷综合整治” → “背街小巷整治提升”\n"
            "      lead unit “崇业路街道” → “龙背街道”\n") in r.stdout
    zh = cli("diff", "HEAD", history, *AS_OF).stdout
    assert "      牵头单位：“崇业路街道” → “龙背街道”\n" in zh
    md = cli("diff", "HEAD", history, *AS_OF, "--lang", "en", "-f", "md").stdout
    assert ("| WN-009 | 背街小巷整治提升 | changed: title, lead unit<br>title “背街小巷综合整治” "
            "→ “背街小巷整治提升”<br>lead unit “崇业路街道” → “龙背街道” |") in md
    doc = json.loads(cli("diff", "HEAD", history, *AS_OF, "-f", "json").stdout)
    [c] = doc["tasks"]["changed"]
    assert c["values"] == {"title": {"before": "背街小巷综合整治", "after": "背街小巷整治提升"},
                           "lead": {"before": "chongyelu", "after": "longbei"}}


def test_a_task_edited_only_in_its_note_is_a_change(cli: Callable[..., Any],
                                                    history: Path) -> None:
    """WN-010's `note:` written, then rewritten: `diff` said "no changes in tasks or
    scores" — the note was not among the fields compared.  Now it is one of them, shown before → after like the
    title (text, Markdown; JSON `fields` and `values`)."""
    path = history / "tasks/city.yaml"
    edit(path, "  standard: 建成垃圾分类示范小区12个，居民知晓率90%以上\n",
         "  standard: 建成垃圾分类示范小区12个，居民知晓率90%以上\n  note: 新写的任务备注\n")
    r = cli("diff", "HEAD", history, *AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert ("Tasks: 0 added, 0 removed, 0 closed, 1 changed\n"
            "  ~ WN-010 生活垃圾分类示范小区创建 (金城社区)\n"
            "      changed: note\n"
            "      note — → “新写的任务备注”\n") in r.stdout
    zh = cli("diff", "HEAD", history, *AS_OF).stdout
    assert "      修改了：备注\n      备注：— → “新写的任务备注”\n" in zh
    md = cli("diff", "HEAD", history, *AS_OF, "-f", "md").stdout
    assert "| WN-010 | 生活垃圾分类示范小区创建 | 修改了：备注<br>备注：— → “新写的任务备注” |\n" in md
    commit(history, "note")
    edit(path, "  note: 新写的任务备注\n", "  note: 备注|改过\n")
    doc = json.loads(cli("diff", "HEAD", history, *AS_OF, "-f", "json").stdout)
    [c] = doc["tasks"]["changed"]
    assert (c["id"], c["fields"], c["values"]) == (
        "WN-010", ["note"], {"note": {"before": "新写的任务备注", "after": "备注|改过"}})
    md = cli("diff", "HEAD", history, *AS_OF, "-f", "md").stdout
    assert "| WN-010 | 生活垃圾分类示范小区创建 | 修改了：备注<br>备注：“新写的任务备注” → “备注\\|改过” |\n" in md


def test_a_units_short_name_is_a_change(cli: Callable[..., Any], tmp_path: Path) -> None:
    """units.yaml's `short:` was read and dropped, so writing one changed nothing
    `diff` could see; it is a field of the unit now."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    edit(root / "units.yaml", "name: 经济发展局,", "name: 经济发展局, short: 经发局,")
    r = cli("diff", "HEAD", root, *AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[2:5] == [
        "Units: 0 added, 0 removed, 1 changed; leaders: 0 added, 0 removed, 0 changed",
        "  ~ jingfaju 经济发展局 (department)",
        "      short name none → 经发局"]
