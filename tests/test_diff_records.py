"""`luoshi diff` reports every change of a record's deductions, bonuses and flags and of
a milestone's note — the audit found three edits in one commit (a milestone's note, a
deduction's reason, a flag no rule reads) that `diff` did not show at all: a record's
entries were named only when a score moved, and a milestone's note never.

On the 碑林 考核 ledger (`luoshi init --example beilin`), in a real git repository."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, commit, edit, git

KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The ledger with a note on K-01's first milestone, committed; then one commit
    rewording that note and a deduction's reason and adding a veto flag."""
    root = tmp_path / "k"
    shutil.copytree(KAOHE, root)
    tasks = root / "tasks/key.yaml"
    edit(tasks, "done: 2024-02-28}", "done: 2024-02-28, note: 原备注}")
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    edit(tasks, "note: 原备注}", "note: 新备注}")
    rec = root / "records/2024-Q2.yaml"
    edit(rec, "reason: 回迁安置节点推进迟缓}", "reason: 回迁安置节点推进迟缓（已约谈）}")
    with rec.open("a", encoding="utf-8") as fh:
        fh.write("flags:\n  - {unit: fgw, kind: veto, reason: 新增否决}\n")
    commit(root, "v2")
    return root


def test_record_entries_and_milestone_notes_text(cli: Callable[..., Any], repo: Path) -> None:
    """None of the three showed (the scores do not move: no rule reads veto, a reason
    is no points); each is now a line, as interviews' and rectifications' are."""
    r = cli("diff", "HEAD~1", "HEAD", repo)
    assert (r.exit_code, r.stdout) == (0, (
        "台账变更 HEAD~1 → HEAD（截至 2024-12-31）\n"
        "任务：新增 0 项，删除 0 项，销号 0 项，变化 1 项\n"
        "  ~ K-01 重点项目开复工（区发改委）\n"
        "      序时节点“开工5个”的备注由 “原备注” 改为 “新备注”\n"
        "考核记录：扣分 新增 0 条，删除 0 条，变化 1 条；加分 新增 0 条，删除 0 条，变化 0 条；"
        "标记 新增 1 条，删除 0 条，变化 0 条\n"
        "  + 2024-Q2 标记 区发改委（veto）\n"
        "      事由：新增否决\n"
        "  ~ 2024-Q2 扣分 区住房和城乡建设局（slack，2024-05-16）\n"
        "      事由：回迁安置节点推进迟缓 → 回迁安置节点推进迟缓（已约谈）\n"))
    r = cli("diff", "HEAD~1", "HEAD", repo, "--lang", "en")
    assert r.stdout.splitlines()[2:] == [
        "  ~ K-01 重点项目开复工 (区发改委)",
        "      milestone “开工5个” note “原备注” → “新备注”",
        "Records: deductions 0 added, 0 removed, 1 changed; bonuses 0 added, 0 removed, "
        "0 changed; flags 1 added, 0 removed, 0 changed",
        "  + 2024-Q2 flag 区发改委 (veto)",
        "      reason 新增否决",
        "  ~ 2024-Q2 deduction 区住房和城乡建设局 (slack, 2024-05-16)",
        "      reason 回迁安置节点推进迟缓 → 回迁安置节点推进迟缓（已约谈）"]


def test_record_entries_and_milestone_notes_md_and_json(cli: Callable[..., Any],
                                                        repo: Path) -> None:
    """The pull-request comment has a 考核记录变化 table; the JSON a `records` key (per
    kind: added, removed, changed) and each milestone change a `note` (before/after
    for "renoted", else null) — keys added, none changed."""
    md = cli("diff", "HEAD~1", "HEAD", repo, "-f", "md").stdout
    assert ("| K-01 | 重点项目开复工 | 序时节点“开工5个”的备注由 “原备注” 改为 “新备注” |\n"
            "\n#### 考核记录变化\n\n"
            "考核记录：扣分 新增 0 条，删除 0 条，变化 1 条；加分 新增 0 条，删除 0 条，变化 0 条；"
            "标记 新增 1 条，删除 0 条，变化 0 条\n\n"
            "| | 扣分、加分或标记 | 变化 |\n|---|---|---|\n"
            "| 新增 | 2024-Q2 标记 区发改委（veto） | 事由：新增否决 |\n"
            "| 变化 | 2024-Q2 扣分 区住房和城乡建设局（slack，2024-05-16） | "
            "事由：回迁安置节点推进迟缓 → 回迁安置节点推进迟缓（已约谈） |\n") in md
    doc = json.loads(cli("diff", "HEAD~1", "HEAD", repo, "-f", "json").stdout)
    assert doc["records"] == {
        "deductions": {"added": [], "removed": [], "changed": [
            {"period": "2024-Q2", "unit": "zhujianju", "category": "slack",
             "date": "2024-05-16", "fields": {"reason": {
                 "before": "回迁安置节点推进迟缓", "after": "回迁安置节点推进迟缓（已约谈）"}}}]},
        "bonuses": {"added": [], "removed": [], "changed": []},
        "flags": {"added": [{"period": "2024-Q2", "unit": "fgw", "kind": "veto", "date": None,
                             "reason": "新增否决"}], "removed": [], "changed": []},
        "notes": []}
    assert doc["tasks"]["changed"][0]["milestones"] == [
        {"change": "renoted", "standard": "开工5个", "before": "2024-02-29",
         "after": "2024-02-29", "approved": None, "target": None,
         "note": {"before": "原备注", "after": "新备注"}}]


def test_a_records_note_edited_alone_is_a_change(cli: Callable[..., Any], repo: Path) -> None:
    """A record's `note:` (备注) written or reworded, nothing else: `diff` said "任务和得分都
    没有变化" (the note was not even read into the model).  It is a line of the records
    part now, before → after, in text, Markdown and JSON."""
    rec = repo / "records/2024-Q1.yaml"
    with rec.open("a", encoding="utf-8") as fh:
        fh.write("note: 一季度由督查室初评\n")
    commit(repo, "v3")
    edit(rec, "note: 一季度由督查室初评", "note: 一季度由督查室初评，考核办复核")
    r = cli("diff", "HEAD~1", "HEAD", repo, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[-2:] == [
        "Records: deductions 0 added, 0 removed, 0 changed; bonuses 0 added, 0 removed, "
        "0 changed; flags 0 added, 0 removed, 0 changed; notes 1 changed",
        "  ~ 2024-Q1 record note — → “一季度由督查室初评”"]
    r = cli("diff", "HEAD", repo)
    assert r.stdout.splitlines()[-1] == "  ~ 2024-Q1 记录备注：“一季度由督查室初评” → “一季度由督查室初评，考核办复核”"
    md = cli("diff", "HEAD", repo, "-f", "md").stdout
    assert "| 变化 | 2024-Q1 记录备注：“一季度由督查室初评” → “一季度由督查室初评，考核办复核” | |\n" in md
    doc = json.loads(cli("diff", "HEAD", repo, "-f", "json").stdout)
    assert doc["records"]["notes"] == [{"period": "2024-Q1", "before": "一季度由督查室初评",
                                        "after": "一季度由督查室初评，考核办复核"}]


def test_a_deduction_removed_and_a_bonus_repointed(cli: Callable[..., Any], repo: Path) -> None:
    """A deduction removed and a bonus's points changed (these move scores: the score
    part still says why) are listed in the records part too, with what was written."""
    rec = repo / "records/2024-Q2.yaml"
    edit(rec, "  - {unit: zhujianju, category: slack, date: 2024-05-16, points: 2, "
         "reason: 回迁安置节点推进迟缓（已约谈）}\n", "  []\n")
    edit(rec, "date: 2024-06-12, points: 2,", "date: 2024-06-12, points: 1.5,")
    r = cli("diff", "HEAD", repo, "--lang", "en")
    lines = r.stdout.splitlines()
    start = lines.index("Records: deductions 0 added, 1 removed, 0 changed; bonuses 0 added, "
                        "0 removed, 1 changed; flags 0 added, 0 removed, 0 changed")
    assert lines[start + 1:start + 7] == [
        "  - 2024-Q2 deduction 区住房和城乡建设局 (slack, 2024-05-16)",
        "      points 2",
        "      reason 回迁安置节点推进迟缓（已约谈）",
        "  ~ 2024-Q2 bonus 柏树林街道 (praise, 2024-06-12)",
        "      points 2 → 1.5",
        "Scores 2024-Q2:"]
    # the pull-request comment has them after the scores: a long list of entries does
    # not push the scores out of a comment cut at its limit
    md = cli("diff", "HEAD", repo, "-f", "md").stdout
    assert md.index("#### 得分 2024-Q2") < md.index("#### 考核记录变化")


def test_yes_no_and_a_restoration_read_as_chinese(cli: Callable[..., Any], repo: Path) -> None:
    """A deduction made provisional, exposed by the media and restored: Chinese read
    `预扣分：— → true` (a flag not written was "—", one written the YAML's `true`) and
    the restoration `2024-06-20, zhang-changwu, 已整改`.  Now yes/no reads 否 → 是 (in
    English false → true) and a restoration's parts take Chinese commas; JSON keeps
    what is written."""
    rec = repo / "records/2024-Q2.yaml"
    edit(rec, "reason: 回迁安置节点推进迟缓（已约谈）}",
         "reason: 回迁安置节点推进迟缓（已约谈）, media: true, provisional: true, "
         "restored: {date: 2024-06-20, approved_by: zhang-changwu, reason: 已整改}}")
    r = cli("diff", "HEAD", repo)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    at = lines.index("  ~ 2024-Q2 扣分 区住房和城乡建设局（slack，2024-05-16）")
    assert lines[at:at + 4] == [
        "  ~ 2024-Q2 扣分 区住房和城乡建设局（slack，2024-05-16）",
        "      媒体曝光：否 → 是",
        "      预扣分：否 → 是",
        "      返还：— → 2024-06-20，zhang-changwu，已整改"]
    en = cli("diff", "HEAD", repo, "--lang", "en").stdout.splitlines()
    at = en.index("  ~ 2024-Q2 deduction 区住房和城乡建设局 (slack, 2024-05-16)")
    assert en[at + 1:at + 4] == ["      media false → true", "      provisional false → true",
                       "      restored — → 2024-06-20, zhang-changwu, 已整改"]
    doc = json.loads(cli("diff", "HEAD", repo, "-f", "json").stdout)
    (d,) = doc["records"]["deductions"]["changed"]
    assert d["fields"] == {
        "media": {"before": None, "after": "true"},
        "provisional": {"before": None, "after": "true"},
        "restored": {"before": None, "after": "2024-06-20, zhang-changwu, 已整改"}}
