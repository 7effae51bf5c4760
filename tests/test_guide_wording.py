"""Message wordings the user guide's audit found clumsy: an id run into the Chinese
that follows it, a date said twice, ASCII punctuation in Chinese text, one
parenthesis per name, a refusal that left out a file it accepts, and the `--blank`
sample writing a month unquoted where the guide says to quote it.  Each test pins the
exact line a clerk reads."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import REPO, edit

KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"

SUPERVISION = """\
interviews:
  - {unit: fgw, date: 2024-04-12, kind: 提醒谈话, reason: 节点逾期, tasks: [K-01]}
  - {unit: jiaoyuju, date: 2025-01-20, kind: 约谈提醒, reason: 年度考核排名靠后, period: 2024}
rectifications:
  - id: ZG-2024-01
    unit: fgw
    tasks: [K-01, K-01, T-001]
    source: interview
    opened: 2024-04-12
    due: 2024-05-31
"""


def _kaohe(tmp_path: Path) -> Path:
    root = tmp_path / "kaohe"
    shutil.copytree(KAOHE, root)
    (root / "supervision").mkdir()
    (root / "supervision/2024.yaml").write_text(SUPERVISION, encoding="utf-8")
    return root


def _lines(text: str, code: str) -> list[str]:
    return [line for line in text.splitlines() if f" {code} " in line]


def test_a_rectification_id_is_not_run_into_the_chinese_after_it(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """LS116 and LS708 of a rectification read "整改 ZG-2024-01 引用了…", "整改 ZG-2024-01
    的 tasks 中…" — a space after the id, as "任务 K-01 引用了…" has (they read
    "ZG-2024-01引用了", "ZG-2024-01的 tasks"); an interview's closing parenthesis needs
    none."""
    root = _kaohe(tmp_path)
    r = cli("validate", root, "--as-of", "2024-06-30", "--select", "LS116,LS708")
    assert _lines(r.stdout, "LS708") == [
        "supervision/2024.yaml:7:19: warning LS708 整改 ZG-2024-01 的 tasks 中任务 K-01 "
        "重复列出：请删去重复的一项"]
    assert _lines(r.stdout, "LS116") == [
        "supervision/2024.yaml:7:25: error LS116 整改 ZG-2024-01 引用了不存在的任务 T-001"
        "（是不是 K-01？）：请改正任务编号"]
    en = cli("validate", root, "--as-of", "2024-06-30", "--select", "LS116", "--lang", "en")
    assert _lines(en.stdout, "LS116") == [
        "supervision/2024.yaml:7:25: error LS116 rectification ZG-2024-01 names unknown task "
        "T-001 (did you mean K-01?): correct the task id"]


def test_an_interview_after_the_as_of_says_its_date_once(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """LS704 of an interview named the date in its "约谈（区教育局，2025-01-20）" and
    again after it; now "约谈（区教育局）的日期 2025-01-20 晚于…", as LS706 words it."""
    root = _kaohe(tmp_path)
    r = cli("validate", root, "--as-of", "2024-12-31", "--select", "LS704")
    assert _lines(r.stdout, "LS704") == [
        "supervision/2024.yaml:3:28: error LS704 约谈（区教育局）的日期 2025-01-20 晚于检查日期 "
        "2024-12-31：不能登记未来的事项，请改正日期"]
    en = cli("validate", root, "--as-of", "2024-12-31", "--select", "LS704", "--lang", "en")
    assert _lines(en.stdout, "LS704") == [
        "supervision/2024.yaml:3:28: error LS704 interview (区教育局): the date 2025-01-20 is "
        "after the as-of date 2024-12-31: nothing can be recorded ahead of time; correct "
        "the date"]


def test_missing_scores_are_listed_with_the_enumeration_comma(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """Two missing scores: LS407 and the score table's 缺失得分 column list them as
    督导检查评议、政务服务评价 in Chinese (they read "督导检查评议, 政务服务评价"); English
    keeps ", "."""
    root = tmp_path / "kaohe"
    shutil.copytree(KAOHE, root)
    edit(root / "records/2024-Q1.yaml", "zhangjiacun: {inspection: 78, service: 85}",
         "zhangjiacun: {}")
    r = cli("score", root, "-q", "1")
    assert _lines(r.stderr, "LS407") == [
        "records/2024-Q1.yaml:11:3: warning LS407 期间 2024-Q1：张家村街道 缺少 督导检查评议、"
        "政务服务评价 的得分：计分时按 0 分计算并列为缺失，请补上"]
    (row,) = [line for line in r.stdout.splitlines() if " 张家村街道 " in line]
    assert row.rstrip().endswith("  督导检查评议、政务服务评价")
    en = cli("score", root, "-q", "1", "--lang", "en")
    assert _lines(en.stderr, "LS407") == [
        "records/2024-Q1.yaml:11:3: warning LS407 period 2024-Q1: 张家村街道 has no score for "
        "督导检查评议, 政务服务评价: scoring counts it as 0 and lists it as missing; add it"]


def test_a_list_written_as_names_is_explained_in_one_parenthesis(
        cli: Callable[..., Any], example: Path) -> None:
    """`units: 龙背街道、金城社区` (text, names): LS103 says which id each name is in one
    parenthesis, the kind once — it gave one parenthesis per name, side by side."""
    edit(example / "tasks/city.yaml", "units: [longbei, jinchengshequ]",
         "units: 龙背街道、金城社区")
    zh = cli("validate", example, "--as-of", "2021-06-30")
    assert _lines(zh.stdout, "LS103") == [
        "tasks/city.yaml:6:10: error LS103 units 应为列表（如 [a, b]），实际是文本（龙背街道 是单位 "
        "longbei 的名称，金城社区 是 jinchengshequ 的名称）：请写 [longbei, jinchengshequ]"]
    en = cli("--lang", "en", "validate", example, "--as-of", "2021-06-30")
    assert _lines(en.stdout, "LS103") == [
        "tasks/city.yaml:6:10: error LS103 units should be a list (like [a, b]), not text "
        "(龙背街道 is the name of unit longbei, 金城社区 of jinchengshequ): "
        "write [longbei, jinchengshequ]"]


def test_init_refusal_names_gitattributes_among_the_files_it_accepts(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """`init` accepts a directory holding .gitattributes (`_REPO_FILES`, README's list),
    so its refusal of another directory names it too."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("x\n", encoding="utf-8")
    r = cli("init", other)
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: {other} 不是空目录：init 不会覆盖已有文件，请换一个空目录"
        "（只有 .git、.gitignore、.gitattributes、README、LICENSE 的目录也可以）\n")
    ok = tmp_path / "repo"
    ok.mkdir()
    subprocess.run(["git", "init", "-q", str(ok)], check=True)
    (ok / ".gitattributes").write_text("*.yaml text eol=lf\n", encoding="utf-8")
    assert cli("init", ok).exit_code == 0


def test_blank_sample_quotes_the_month_as_the_guide_says(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """The guide says 月份要加引号; the `--blank` sample task's comment showed
    `{month: 2026-01, …}` unquoted.  It shows the month quoted, in both languages."""
    zh, en = tmp_path / "zh", tmp_path / "en"
    assert cli("init", zh, "--blank", "--year", "2026").exit_code == 0
    assert cli("init", en, "--blank", "--year", "2026", "--lang", "en").exit_code == 0
    assert ("  updates: []                 # 月度进展，每月一条，如 "
            '{month: "2026-01", progress: 10, note: 完成选址}'
            ) in (zh / "tasks/sample.yaml").read_text(encoding="utf-8").splitlines()
    assert ("  updates: []                 # monthly reports, e.g. "
            '{month: "2026-01", progress: 10, note: sites chosen}'
            ) in (en / "tasks/sample.yaml").read_text(encoding="utf-8").splitlines()
