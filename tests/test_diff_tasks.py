"""`luoshi diff` and change control on what a task holds besides its schedule: numeric
targets (SPEC §11), the closing record, flags, monthly updates, tags, owners, parent
and the `adjustments` record itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import commit, edit, git
from test_change_control import AS_OF, CONFIG, UNITS

TARGETS = """\
- id: T-001
  title: 重点项目开工
  category: c1
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 开工10个
  target: {value: 10, unit: 个}
  milestones:
    - {due: 2024-03-31, standard: 开工5个, done: 2024-03-30, target: 5}
    - {due: 2024-12-31, standard: 开工10个, target: 10}
  status: in_progress
  progress: 40
  locked: true
"""


@pytest.fixture
def targets(tmp_path: Path, write: Callable[..., Path]) -> Path:
    """A ledger (tag `base`) whose locked T-001 has a target of 10 个, its last
    milestone a target of 10."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": TARGETS},
                 tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    git(root, "tag", "base")
    edit(root / "tasks/a.yaml", "  target: {value: 10, unit: 个}", "  target: {value: 3, unit: 个}")
    edit(root / "tasks/a.yaml", "standard: 开工10个, target: 10}", "standard: 开工10个, target: 3}")
    return root


def _errors(cli: Callable[..., Any], root: Path) -> list[str]:
    r = cli("validate", root, "--base", "base", "--as-of", AS_OF, "--lang", "en")
    return [s for s in r.stdout.splitlines() if ": error " in s]


def test_a_lowered_target_of_a_locked_task_needs_approval(
        cli: Callable[..., Any], targets: Path) -> None:
    """The task's target 10 → 3 and its last milestone's 10 → 3, no adjustment: `diff`
    said "no changes" and `validate --base` found nothing.  Now each is LS501 (the
    task's `target` at its key, the milestone at its line) and `diff` shows both,
    before → after, NOT approved."""
    assert _errors(cli, targets) == [
        "tasks/a.yaml:8:3: error LS501 task T-001 is locked and its target changed since base "
        "without a new adjustments entry: add {date, field: target, approved_by, reason}",
        "tasks/a.yaml:11:7: error LS501 task T-001 is locked and its milestones changed since "
        "base without a new adjustments entry: add {date, field: milestones, approved_by, "
        "reason}"]
    r = cli("diff", "base", targets, "--as-of", AS_OF, "--lang", "en")
    assert r.stdout.splitlines() == [
        "Ledger changes base → working tree (as of 2024-05-31)",
        "Tasks: 0 added, 0 removed, 0 closed, 1 changed",
        "  ~ T-001 重点项目开工 (区发改委)",
        "      milestone “开工10个” target 10 → 3 (NOT approved)",
        "      changed: target",
        "      target “10 个” → “3 个”",
        "      ⚠ locked task: milestones, target changed without a new adjustments entry"]
    doc = json.loads(cli("diff", "base", targets, "--as-of", AS_OF, "-f", "json").stdout)
    (t,) = doc["tasks"]["changed"]
    assert t["milestones"] == [{"change": "retargeted", "standard": "开工10个",
                                "before": "2024-12-31", "after": "2024-12-31",
                                "approved": False, "target": {"before": 10, "after": 3},
                                "note": None}]
    assert (t["fields"], t["unapproved"]) == (["target"], ["milestones", "target"])
    assert t["values"] == {"target": {"before": "10 个", "after": "3 个"}}


def test_an_entry_naming_target_approves_both(cli: Callable[..., Any],
                                             targets: Path) -> None:
    """`field: target` (the schema refused it: LS105) approves the task's target and
    milestones whose targets alone changed; the diff marks it approved and names who
    approved.  A milestone moved as well still needs `field: milestones`."""
    edit(targets / "tasks/a.yaml", "  locked: true\n", "  locked: true\n  adjustments:\n"
         "    - {date: 2024-05-10, field: target, approved_by: wang, reason: 规划调整}\n")
    assert _errors(cli, targets) == []
    r = cli("diff", "base", targets, "--as-of", AS_OF, "--lang", "zh")
    assert r.stdout.splitlines()[2:] == [
        "  ~ T-001 重点项目开工（区发改委）",
        "      序时节点“开工10个”的目标值由 10 调整为 3（已审批）",
        "      修改了：目标值",
        "      目标值：“10 个” → “3 个”",
        "      新增调整审批记录：2024-05-10 目标值，审批人 wang，理由“规划调整”"]
    edit(targets / "tasks/a.yaml", "{due: 2024-12-31, standard: 开工10个", "{due: 2024-11-30, "
         "standard: 开工10个")
    assert _errors(cli, targets) == [
        "tasks/a.yaml:11:7: error LS501 task T-001 is locked and its milestones changed since "
        "base without a new adjustments entry: add {date, field: milestones, approved_by, "
        "reason}"]


OTHER = """\
- id: T-001
  title: 重点项目开工
  category: c1
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 开工10个
  milestones:
    - {due: 2024-03-31, standard: 开工10个, done: 2024-03-30}
  status: closed
  progress: 100
  closed: {date: 2024-04-10, approved_by: li, evidence: 验收报告}
  tags: [board]
  owners: [张三]
  updates:
    - {month: "2024-03", progress: 100, actual: 10}
- id: T-002
  title: 学校建设
  category: c1
  lead: jyj
  leaders: [wang]
  start: 2024-01-01
  standard: 建成学校2所
  milestones:
    - {due: 2024-12-31, standard: 建成2所}
  status: in_progress
  progress: 20
  updates:
    - {month: "2024-04", progress: 20, note: 完成设计}
- id: T-003
  title: 教育提升
  category: c1
  lead: jyj
  leaders: [wang]
  start: 2024-01-01
  standard: 全面提升
  milestones:
    - {due: 2024-12-31, standard: 完成}
  status: in_progress
  progress: 20
  updates:
    - {month: "2024-04", progress: 20}
"""


def test_edits_diff_did_not_show(cli: Callable[..., Any], tmp_path: Path,
                                 write: Callable[..., Path]) -> None:
    """A closing record rewritten (date and evidence), a yellow card given, an update's
    `actual` and `note` changed, tags, owners and parent changed, an `adjustments` entry
    added: `diff` said "no changes in tasks or scores".  Each is now a line of the
    task's section (text, Markdown, JSON), its values before → after."""
    root = write({"luoshi.yaml": CONFIG + "tags:\n  - {id: board, name: 任务榜}\n"
                  "  - {id: hl, name: 亮点牌}\n", "units.yaml": UNITS, "tasks/a.yaml": OTHER},
                 tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    a = root / "tasks/a.yaml"
    edit(a, "closed: {date: 2024-04-10, approved_by: li, evidence: 验收报告}",
         "closed: {date: 2024-03-31, approved_by: li, evidence: 无}")
    edit(a, "tags: [board]\n  owners: [张三]", "tags: [board, hl]\n  owners: [李四]")
    edit(a, "progress: 100, actual: 10}", "progress: 100, actual: 12}")
    edit(a, "  progress: 20\n  updates:\n    - {month: \"2024-04\", progress: 20, note: 完成设计}",
         "  progress: 20\n  parent: T-003\n  flags:\n"
         "    - {kind: yellow_card, date: 2024-05-20, by: 督查室, note: 进度滞后}\n"
         "  adjustments:\n    - {date: 2024-05-10, field: start, approved_by: wang}\n"
         "  updates:\n    - {month: \"2024-04\", progress: 20, note: 设计已批复}\n"
         "    - {month: \"2024-05\", progress: 20, problems: 资金未到位}")
    r = cli("diff", "HEAD", root, "--as-of", AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "Ledger changes HEAD → working tree (as of 2024-05-31)\n"
        "Tasks: 0 added, 0 removed, 0 closed, 2 changed\n"
        "  ~ T-001 重点项目开工 (区发改委)\n"
        "      changed: tags, owners\n"
        "      tags “board” → “board, hl”\n"
        "      owners “张三” → “李四”\n"
        "      closing 2024-04-10 (approved by li; evidence “验收报告”) → 2024-03-31 "
        "(approved by li; evidence “无”)\n"
        "      update 2024-03: actual 10 → 12\n"
        "  ~ T-002 学校建设 (区教育局)\n"
        "      changed: parent task\n"
        "      parent task — → “T-003”\n"
        "      yellow card given: 2024-05-20 督查室 “进度滞后”\n"
        "      update 2024-04: note “完成设计” → “设计已批复”\n"
        "      update 2024-05 added: progress 20%, problems “资金未到位”\n"
        "      adjustment added: 2024-05-10 start, approved by wang\n")
    md = cli("diff", "HEAD", root, "--as-of", AS_OF, "-f", "md", "--lang", "zh").stdout
    assert ("| T-002 | 学校建设 | 修改了：上级任务<br>上级任务：— → “T-003”<br>新增黄牌：2024-05-20 "
            "督查室 “进度滞后”<br>2024-04 月度进展：备注 “完成设计” → “设计已批复”<br>新增 2024-05 "
            "月度进展：进度 20%，存在问题 “资金未到位”<br>新增调整审批记录：2024-05-10 开始日期，"
            "审批人 wang |\n") in md
    doc = json.loads(cli("diff", "HEAD", root, "--as-of", AS_OF, "-f", "json").stdout)
    one, two = doc["tasks"]["changed"]
    assert one["closed"] == {
        "before": {"date": "2024-04-10", "approved_by": "li", "evidence": "验收报告"},
        "after": {"date": "2024-03-31", "approved_by": "li", "evidence": "无"}}
    assert one["values"] == {"tags": {"before": "board", "after": "board, hl"},
                             "owners": {"before": "张三", "after": "李四"}}
    assert one["updates"] == [{"month": "2024-03",
                               "before": {"progress": 100, "actual": 10, "note": None,
                                          "problems": None},
                               "after": {"progress": 100, "actual": 12, "note": None,
                                         "problems": None}}]
    assert two["values"] == {"parent": {"before": None, "after": "T-003"}}
    assert two["flags"] == [{"change": "added", "kind": "yellow_card", "date": "2024-05-20",
                             "by": "督查室", "note": "进度滞后"}]
    assert two["adjustments"] == [{"change": "added", "date": "2024-05-10", "field": "start",
                                   "approved_by": "wang", "reason": None}]
    assert [u["month"] for u in two["updates"]] == ["2024-04", "2024-05"]


def test_who_shares_a_task_and_its_lock_are_shown_before_and_after(
        cli: Callable[..., Any], tmp_path: Path, write: Callable[..., Path]) -> None:
    """Units, cooperating units, leaders and `locked` changed: `diff` said only
    "changed: units, cooperating units, leaders, locked" — whom the task
    moved from and to went unsaid (JSON's `values` had no entry).  Now each is a line
    before → after, units and leaders by name, as the lead is."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": OTHER},
                 tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    a = root / "tasks/a.yaml"
    edit(a, "  lead: jyj\n  leaders: [wang]",
         "  lead: jyj\n  units: [zjj]\n  cooperating: [fgw, zjj]\n  leaders: [li, wang]\n"
         "  locked: true")
    r = cli("diff", "HEAD", root, "--as-of", AS_OF, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[2:8] == [
        "  ~ T-002 学校建设 (区教育局)",
        "      changed: units, cooperating units, leaders, locked",
        "      units — → “区住建局”",
        "      cooperating units — → “区发改委, 区住建局”",
        "      leaders “王某某” → “李某某, 王某某”",
        "      locked false → true"]
    doc = json.loads(cli("diff", "HEAD", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert doc["tasks"]["changed"][0]["values"] == {
        "units": {"before": None, "after": "zjj"},
        "cooperating": {"before": None, "after": "fgw, zjj"},
        "leaders": {"before": "wang", "after": "li, wang"},
        "locked": {"before": "false", "after": "true"}}


def test_chinese_diff_says_yes_no_and_joins_lists_with_the_dunhao(
        cli: Callable[..., Any], tmp_path: Path, write: Callable[..., Path]) -> None:
    """In Chinese a changed `locked` read `锁定：“false” → “true”` and every list (units,
    leaders, cooperating units by name; tags; owners; the fields changed) was joined by
    ", ".  Now `locked` is 否 → 是 (not quoted: luoshi's word, not the ledger's) and
    lists take 、; English keeps ", " and says false → true.  JSON keeps its data as
    written."""
    root = write({"luoshi.yaml": CONFIG.replace("language: en\n", "")
                  + "tags:\n  - {id: board, name: 任务榜}\n  - {id: hl, name: 亮点}\n",
                  "units.yaml": UNITS, "tasks/a.yaml": OTHER}, tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    a = root / "tasks/a.yaml"
    edit(a, "  lead: jyj\n  leaders: [wang]",
         "  lead: jyj\n  units: [zjj]\n  cooperating: [fgw, zjj]\n  leaders: [li, wang]\n"
         "  locked: true")
    edit(a, "tags: [board]\n  owners: [张三]", "tags: [board, hl]\n  owners: [张三, 李四]")
    r = cli("diff", "HEAD", root, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[2:] == [
        "  ~ T-001 重点项目开工（区发改委）",
        "      修改了：标签、责任人",
        "      标签：“board” → “board、hl”",
        "      责任人：“张三” → “张三、李四”",
        "  ~ T-002 学校建设（区教育局）",
        "      修改了：责任单位、配合单位、包抓领导、锁定",
        "      责任单位：— → “区住建局”",
        "      配合单位：— → “区发改委、区住建局”",
        "      包抓领导：“王某某” → “李某某、王某某”",
        "      锁定：否 → 是"]
    en = cli("diff", "HEAD", root, "--as-of", AS_OF, "--lang", "en").stdout.splitlines()
    assert en[3:5] == ["      changed: tags, owners", "      tags “board” → “board, hl”"]
    assert en[-1] == "      locked false → true"
    md = cli("diff", "HEAD", root, "--as-of", AS_OF, "-f", "md").stdout
    assert "修改了：责任单位、配合单位、包抓领导、锁定<br>" in md
    assert "<br>锁定：否 → 是 |" in md
    doc = json.loads(cli("diff", "HEAD", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert doc["tasks"]["changed"][1]["values"]["locked"] == {"before": "false",
                                                              "after": "true"}
    assert doc["tasks"]["changed"][0]["values"]["tags"] == {"before": "board",
                                                            "after": "board, hl"}


def test_categories_and_tags_of_luoshi_yaml_are_compared(
        cli: Callable[..., Any], tmp_path: Path, write: Callable[..., Path]) -> None:
    """A category renamed, given a description and moved to another group, a tag
    renamed, one added and one removed in luoshi.yaml: `diff` said "任务和得分都没有变化"
    — the names every bulletin prints changed unsaid.  Now they are a section of their
    own, as units.yaml's are, in the text, the comment and the JSON."""
    cfg = (CONFIG.replace("language: en\n", "")
           + "tags:\n  - {id: board, name: 任务榜}\n  - {id: old, name: 旧榜}\n")
    root = write({"luoshi.yaml": cfg, "units.yaml": UNITS, "tasks/a.yaml": OTHER},
                 tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    c = root / "luoshi.yaml"
    edit(c, "  - {id: c1, name: 类别一}",
         "  - {id: c1, name: 类别一（调整）, group: 第二推进组, description: 含跨年项目, "
         "planned: 6}\n"
         "  - {id: c2, name: 类别二}")
    edit(c, "  - {id: board, name: 任务榜}\n  - {id: old, name: 旧榜}\n",
         "  - {id: board, name: 重点任务榜, description: 每月通报}\n")
    r = cli("diff", "HEAD", root, "--as-of", AS_OF)
    assert (r.exit_code, r.stdout.splitlines()[1:]) == (0, [
        "任务：新增 0 项，删除 0 项，销号 0 项，变化 0 项",
        "台账配置（luoshi.yaml）：类别 新增 1 个，删除 0 个，变化 1 个；标签 新增 0 个，删除 1 个，变化 1 个",
        "  + 类别 c2 类别二",
        "  - 标签 old 旧榜",
        "  ~ 类别 c1 类别一（调整）（第二推进组）",
        "      名称：类别一 → 类别一（调整）",
        "      专项推进组：未写 → 第二推进组",
        "      说明：未写 → 含跨年项目",
        "      计划任务数：未写 → 6",
        "  ~ 标签 board 重点任务榜",
        "      名称：任务榜 → 重点任务榜",
        "      说明：未写 → 每月通报"]), r.stdout
    en = cli("diff", "HEAD", root, "--as-of", AS_OF, "--lang", "en").stdout.splitlines()
    assert en[2:5] == [
        "luoshi.yaml: categories 1 added, 0 removed, 1 changed; tags 0 added, 1 removed, "
        "1 changed", "  + category c2 类别二", "  - tag old 旧榜"]
    assert "      group not written → 第二推进组" in en
    md = cli("diff", "HEAD", root, "--as-of", AS_OF, "-f", "md").stdout
    assert ("| 变化 | 类别 c1 类别一（调整）（第二推进组） | 名称：类别一 → 类别一（调整）<br>"
            "专项推进组：未写 → 第二推进组<br>说明：未写 → 含跨年项目<br>计划任务数：未写 → 6 |") in md
    doc = json.loads(cli("diff", "HEAD", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert doc["categories"] == {
        "added": [{"id": "c2", "name": "类别二", "group": None, "description": None,
                   "planned": None}], "removed": [],
        "changed": [{"id": "c1", "name": "类别一（调整）", "fields": {
            "name": {"before": "类别一", "after": "类别一（调整）"},
            "group": {"before": None, "after": "第二推进组"},
            "description": {"before": None, "after": "含跨年项目"},
            "planned": {"before": None, "after": 6}}}]}
    assert doc["tags"] == {
        "added": [], "removed": [{"id": "old", "name": "旧榜", "description": None}],
        "changed": [{"id": "board", "name": "重点任务榜", "fields": {
            "name": {"before": "任务榜", "after": "重点任务榜"},
            "description": {"before": None, "after": "每月通报"}}}]}


def test_one_long_value_does_not_empty_the_comment(cli: Callable[..., Any],
                                                   targets: Path) -> None:
    """A task added with a 62,000-character title: the Markdown comment is cut at the
    last line break before 60,000 characters, and a table row is one line — only the
    heading and "……内容过长已截断" were left, the unapproved change to T-001 gone.  Now a
    cell shows at most 1,000 characters of ledger text: its first 498 and last 498
    ((1000 - 3) // 2) around " … "; a cell shows at most 30 lines, then how many more,
    then the warning of an unapproved change however far down: T-001's 39 lines (the
    milestone, "changed", the target, 35 yellow cards, the warning) are 30, "8 more"
    and the warning."""
    title = "说明" * 31_000
    flags = "".join(f"    - {{kind: yellow_card, date: 2024-05-{d:02d}}}\n" for d in range(1, 36))
    with (targets / "tasks/a.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f"  flags:\n{flags}- id: A-00\n  title: \"{title}\"\n  category: c1\n"
                 "  lead: fgw\n  leaders: [li]\n  start: 2024-01-01\n  standard: x\n"
                 "  milestones:\n    - {due: 2024-12-31, standard: y}\n"
                 "  status: in_progress\n  progress: 10\n")
    md = cli("diff", "base", targets, "--as-of", AS_OF, "-f", "md").stdout
    assert "内容过长" not in md and "truncated" not in md
    assert "**⚠ Locked tasks changed without approval: T-001**\n" in md
    assert f"| added | A-00 | {'说明' * 249} … {'说明' * 249} | 区发改委 |\n" in md
    row = next(s for s in md.splitlines() if s.startswith("| T-001 |"))
    cell = row.split(" | ")[2].split("<br>")
    assert len(cell) == 32
    assert cell[3:5] == ["yellow card given: 2024-05-01", "yellow card given: 2024-05-02"]
    assert cell[29:] == ["yellow card given: 2024-05-27", "… (8 more: run `luoshi diff` locally)",
                         "⚠ locked task: milestones, target changed without a new adjustments "
                         "entry |"]


def test_an_id_renamed_under_the_same_name_shows_the_ids(
        cli: Callable[..., Any], tmp_path: Path, write: Callable[..., Path]) -> None:
    """Unit ids jyj → jyj-2 and fgw → fgw-2 and leader id wang → wang-2 renamed
    everywhere, their names kept: T-002's lead, cooperating units and leaders read
    `牵头单位：“区教育局” → “区教育局”` — a change that says none.  When the names shown
    are the same, the ids that changed are shown beside them (区住建局 and 李某某,
    kept, stay bare); JSON's `values` held the ids already."""
    other = OTHER.replace("  lead: jyj\n  leaders: [wang]",
                          "  lead: jyj\n  cooperating: [fgw, zjj]\n  leaders: [li, wang]")
    root = write({"luoshi.yaml": CONFIG.replace("language: en\n", ""), "units.yaml": UNITS,
                  "tasks/a.yaml": other}, tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    for name in ("units.yaml", "tasks/a.yaml"):
        path = root / name
        text = path.read_text(encoding="utf-8")
        for old, new in (("jyj", "jyj-2"), ("fgw", "fgw-2"), ("wang", "wang-2")):
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    r = cli("diff", "HEAD", root, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    t2 = ["      修改了：牵头单位、配合单位、包抓领导",
          "      牵头单位：“区教育局（jyj）” → “区教育局（jyj-2）”",
          "      配合单位：“区发改委（fgw）、区住建局” → “区发改委（fgw-2）、区住建局”",
          "      包抓领导：“李某某、王某某（wang）” → “李某某、王某某（wang-2）”"]
    assert r.stdout.splitlines()[1:] == [
        "任务：新增 0 项，删除 0 项，销号 0 项，变化 3 项",
        "  ~ T-001 重点项目开工（区发改委）",
        "      修改了：牵头单位",
        "      牵头单位：“区发改委（fgw）” → “区发改委（fgw-2）”",
        "  ~ T-002 学校建设（区教育局）", *t2,
        "  ~ T-003 教育提升（区教育局）", *t2,
        "单位：新增 2 个，删除 2 个，变化 0 个；领导：新增 1 人，删除 1 人，变化 0 人",
        "  + fgw-2 区发改委", "  + jyj-2 区教育局", "  + 领导 wang-2 王某某",
        "  - fgw 区发改委", "  - jyj 区教育局", "  - 领导 wang 王某某"]
    en = cli("diff", "HEAD", root, "--as-of", AS_OF, "--lang", "en").stdout.splitlines()
    assert en[7:10] == [
        "      lead unit “区教育局 (jyj)” → “区教育局 (jyj-2)”",
        "      cooperating units “区发改委 (fgw), 区住建局” → “区发改委 (fgw-2), 区住建局”",
        "      leaders “李某某, 王某某 (wang)” → “李某某, 王某某 (wang-2)”"]
    md = cli("diff", "HEAD", root, "--as-of", AS_OF, "-f", "md").stdout
    assert ("| T-002 | 学校建设 | 修改了：牵头单位、配合单位、包抓领导<br>"
            "牵头单位：“区教育局（jyj）” → “区教育局（jyj-2）”<br>"
            "配合单位：“区发改委（fgw）、区住建局” → “区发改委（fgw-2）、区住建局”<br>"
            "包抓领导：“李某某、王某某（wang）” → “李某某、王某某（wang-2）” |\n") in md
    doc = json.loads(cli("diff", "HEAD", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert doc["tasks"]["changed"][1]["values"] == {
        "lead": {"before": "jyj", "after": "jyj-2"},
        "cooperating": {"before": "fgw, zjj", "after": "fgw-2, zjj"},
        "leaders": {"before": "li, wang", "after": "li, wang-2"}}


def test_a_name_changed_with_its_id_shows_no_ids(
        cli: Callable[..., Any], tmp_path: Path, write: Callable[..., Path]) -> None:
    """The lead moved from 区教育局 (jyj) to 区住建局 (zjj): the names differ, so they
    alone are shown, as before."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": OTHER},
                 tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    edit(root / "tasks/a.yaml", "  lead: jyj\n", "  lead: zjj\n")
    r = cli("diff", "HEAD", root, "--as-of", AS_OF)
    assert "      lead unit “区教育局” → “区住建局”\n" in r.stdout
