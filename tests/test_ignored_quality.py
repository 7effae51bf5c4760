"""A score or task quality a record gives that scoring never reads is data the user
wrote, dropped: `validate` says so (LS419–LS422, LS417), at the value's
file:line:col — as it said already of a score for a component outside `applies_to`.

Which quality scoring reads is the engine's rule (`engine.tasks_leaf` and
`task_quality`): the last test holds the warnings to it by recording
what scoring reads, period by period."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import edit
from luoshi_cli.core.model import Ledger

REPO = Path(__file__).resolve().parent.parent
KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"
MONTHLY = Path(__file__).resolve().parent / "fixtures" / "scoring" / "qingxin-monthly"
CODES = ("LS417", "LS419", "LS420", "LS421", "LS422")


def _warnings(cli: Callable[..., Any], root: Path, as_of: str, *extra: str) -> list[str]:
    out = cli("validate", root, "--as-of", as_of, "--lang", "en", *extra).stdout
    return [line.split(str(root) + "/", 1)[-1] for line in out.splitlines()
            if any(f" {c} " in line for c in CODES)]


def _beilin(tmp_path: Path) -> Path:
    """The audit's case on the 碑林 example: a score for 区委督查室 (assessed: false);
    K-01's quality for 区教育局 and 张家村街道, which K-01 does not credit (credit:
    responsible: its lead fgw and its units nanyuanmen, baishulin); K-06's quality
    (led by 督查室 alone); and quality in Q2, when no task has a milestone due."""
    root = tmp_path / "bl"
    shutil.copytree(KAOHE, root)
    q1, q2 = root / "records" / "2024-Q1.yaml", root / "records" / "2024-Q2.yaml"
    edit(q1, "  zhangjiacun: {inspection: 78, service: 85}\n",
         "  zhangjiacun: {inspection: 78, service: 85}\n  duchashi:    {inspection: 99}\n")
    edit(q1, "K-01: {fgw: 90, nanyuanmen: 92, baishulin: 85}",
         "K-01: {fgw: 90, nanyuanmen: 92, baishulin: 85, jiaoyuju: 99, zhangjiacun: 99}")
    edit(q1, "  # K-06 由区委督查室牵头，督查室不参加考核（assessed: false）：不评质量\n", "  K-06: 90\n")
    edit(q2, "# 二季度没有到期的任务节点（重点任务的节点都在一季度）：不评定任务质量（quality）\n",
         "quality:\n  K-02: 82\n  K-01: {fgw: 88}\n")
    return root


BEILIN_EN = [
    "records/2024-Q1.yaml:12:29: warning LS419 period 2024-Q1: units.yaml marks 区委督查室 as "
    "not assessed (assessed: false), so this score is not counted: remove it, or remove the "
    "unit's assessed: false",
    "records/2024-Q1.yaml:14:60: warning LS420 period 2024-Q1: by credit: responsible of "
    "重点任务落实成效, task K-01 counts for 区发改委, 南院门街道, 柏树林街道 only, not for 区教育局 "
    "(jiaoyuju), so this quality score is not counted: remove it, or list it in the task's "
    "units (responsible units)",
    "records/2024-Q1.yaml:14:77: warning LS420 period 2024-Q1: by credit: responsible of "
    "重点任务落实成效, task K-01 counts for 区发改委, 南院门街道, 柏树林街道 only, not for 张家村街道 "
    "(zhangjiacun), so this quality score is not counted: remove it, or list it in the task's "
    "units (responsible units)",
    "records/2024-Q1.yaml:19:9: warning LS421 period 2024-Q1: task K-06 counts for units "
    "(区委督查室) none of which is scored on the component: not assessed (assessed: false), "
    "not assessed on it (applies_to) or written n/a for it in this record, so it is not "
    "scored in the period and this quality score is not counted: remove it",
    "records/2024-Q2.yaml:13:9: warning LS421 period 2024-Q2: task K-02 has no milestone due "
    "in the period (milestones' due), so it is not scored in the period and this quality "
    "score is not counted: remove it, or give it in the record of the period a milestone "
    "of it falls due in",
    "records/2024-Q2.yaml:14:9: warning LS421 period 2024-Q2: task K-01 has no milestone due "
    "in the period (milestones' due), so it is not scored in the period and this quality "
    "score is not counted: remove it, or give it in the record of the period a milestone "
    "of it falls due in",
]


def test_values_scoring_ignores_are_warned_of_where_they_are_written(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """The audit's repro gave no finding at all (and `score` was unchanged by it): each
    value scoring leaves out is now a warning at the value, saying why and what to do —
    on the plain path and again from the warm cache, identically."""
    root = _beilin(tmp_path)
    assert _warnings(cli, root, "2024-06-30", "--no-cache") == BEILIN_EN
    assert _warnings(cli, root, "2024-06-30") == BEILIN_EN  # fills the cache
    assert _warnings(cli, root, "2024-06-30") == BEILIN_EN  # served from it


def test_the_chinese_messages(cli: Callable[..., Any], tmp_path: Path) -> None:
    """The office reads Chinese: the same findings, each naming what is not counted."""
    out = cli("validate", _beilin(tmp_path), "--as-of", "2024-06-30", "--no-cache").stdout
    got = [line.split("records/", 1)[1] for line in out.splitlines()
           if any(f" {c} " in line for c in CODES)]
    assert got == [
        "2024-Q1.yaml:12:29: warning LS419 期间 2024-Q1：units.yaml 写明 区委督查室 不参加考核"
        "（assessed: false），这个得分不计入：请删去，或删去该单位的 assessed: false",
        "2024-Q1.yaml:14:60: warning LS420 期间 2024-Q1：按指标 重点任务落实成效 的 credit: "
        "responsible，任务 K-01 只计入 区发改委、南院门街道、柏树林街道，不计入 区教育局（jiaoyuju），"
        "这个质量评分不计入：请删去，或在任务的 units 中列出它（责任单位）",
        "2024-Q1.yaml:14:77: warning LS420 期间 2024-Q1：按指标 重点任务落实成效 的 credit: "
        "responsible，任务 K-01 只计入 区发改委、南院门街道、柏树林街道，不计入 张家村街道"
        "（zhangjiacun），这个质量评分不计入：请删去，或在任务的 units 中列出它（责任单位）",
        "2024-Q1.yaml:19:9: warning LS421 期间 2024-Q1：任务 K-06 计入的单位（区委督查室）都不按"
        "该指标计分：不参加考核（assessed: false）、不适用该指标（applies_to）或在本期记录中写为"
        "不适用（n/a），本期不按它计分，这个质量评分不计入：请删去",
        "2024-Q2.yaml:13:9: warning LS421 期间 2024-Q2：任务 K-02 没有在本期到期的节点"
        "（milestones 的 due），本期不按它计分，这个质量评分不计入：请删去，或写到它的节点到期"
        "那一期的记录中",
        "2024-Q2.yaml:14:9: warning LS421 期间 2024-Q2：任务 K-01 没有在本期到期的节点"
        "（milestones 的 due），本期不按它计分，这个质量评分不计入：请删去，或写到它的节点到期"
        "那一期的记录中",
    ]


def test_the_bundled_ledgers_give_no_value_scoring_ignores(cli: Callable[..., Any]) -> None:
    """碑林's Q1 graded K-06 (led by the 督查室, assessed: false) and its Q2 graded
    K-01…K-06 though none has a milestone due in Q2: values no score read, now taken
    out (every score unchanged)."""
    for root, as_of in ((KAOHE, "2024-06-30"), (REPO / "examples" / "weinan-2021", "2021-12-31")):
        assert _warnings(cli, root, as_of, "--no-cache") == []


def _monthly(tmp_path: Path) -> Path:
    """清新's monthly ranking with its tasks leaf assessed monthly too (credit: all):
    October grades QX-01 (due 10-31: read), QX-02 per unit (due 10-15), QX-03 (nothing
    due in October) and a suspended task; a 2022-Q4 record grades quality, which no
    leaf of the scheme reads (every leaf is monthly)."""
    root = tmp_path / "qx"
    shutil.copytree(MONTHLY, root)
    edit(root / "scheme.yaml", "    credit: all\n", "    credit: all\n    cadence: monthly\n")
    tasks = root / "tasks" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    start = text.index("- id: QX-03")
    qx03 = text[start:text.index("\n- id:", start)]
    assert "2022-10" not in qx03.split("milestones:")[1].split("status:")[0]
    qx99 = re.sub(r"status: \w+", "status: suspended", qx03.replace("QX-03", "QX-99"))
    tasks.write_text(text + "\n" + qx99.replace(
        "milestones:\n", "milestones:\n    - {due: 2022-10-20, standard: 节点0}\n", 1),
        encoding="utf-8")
    edit(root / "records" / "2022-10.yaml", "  cgj: {monthly: 70}\n",
         "  cgj: {monthly: 70}\nquality:\n  QX-01: 80\n  QX-02: {taiping: 90, heyun: 70}\n"
         "  QX-03: 75\n  QX-99: 60\n")
    (root / "records" / "2022-Q4.yaml").write_text(
        "period: 2022-Q4\nquality:\n  QX-01: 80\n", encoding="utf-8")
    return root


def test_monthly_periods_suspended_tasks_and_a_record_no_leaf_reads(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """A month scores the tasks due in it; a suspended task is scored in no period; a
    quarter's record is read by no `source: tasks` leaf when they are all monthly."""
    assert _warnings(cli, _monthly(tmp_path), "2022-12-31", "--no-cache") == [
        "records/2022-10.yaml:13:31: warning LS420 period 2022-10: by credit: all of 榜单任务进度, "
        "task QX-02 counts for 太平镇 only, not for 禾云镇 (heyun), so this quality score is "
        "not counted: remove it, or list it in the task's units (responsible units)",
        "records/2022-10.yaml:14:10: warning LS421 period 2022-10: task QX-03 has no milestone "
        "due in the period (milestones' due), so it is not scored in the period and this "
        "quality score is not counted: remove it, or give it in the record of the period a "
        "milestone of it falls due in",
        "records/2022-10.yaml:15:10: warning LS421 period 2022-10: task QX-99 is suspended "
        "(status: suspended), so it is not scored in the period and this quality score is "
        "not counted: remove it",
        "records/2022-Q4.yaml:2:1: warning LS422 period 2022-Q4: no component of the scheme "
        "assessed quarterly is scored from tasks (source: tasks), so no task quality under "
        "quality: is counted: remove them, or give them in the monthly records",
    ]


def test_quality_for_a_unit_written_na_or_outside_applies_to(cli: Callable[..., Any], tmp_path: Path) -> None:
    """A per-unit quality for a unit the tasks leaf is written n/a for (LS420) or does
    not apply to (LS417, as for a score)."""
    root = _beilin(tmp_path)
    edit(root / "scheme.yaml", "    credit: responsible ",
         "    applies_to: {units: [fgw, nanyuanmen]}\n    credit: responsible ")
    q1 = root / "records" / "2024-Q1.yaml"
    edit(q1, "  nanyuanmen:  {inspection: 91, service: 93}",
         "  nanyuanmen:  {inspection: 91, service: 93, delivery: n/a}")
    got = _warnings(cli, root, "2024-06-30", "--no-cache")
    assert [g for g in got if g.startswith("records/2024-Q1.yaml:14:")][:2] == [
        "records/2024-Q1.yaml:14:31: warning LS420 period 2024-Q1: 重点任务落实成效 is written "
        "n/a for 南院门街道 (nanyuanmen) in this record, so this quality score is not counted: "
        "remove it, or remove the n/a",
        "records/2024-Q1.yaml:14:46: warning LS417 period 2024-Q1: by applies_to in scheme.yaml, "
        "component 重点任务落实成效 does not assess 柏树林街道, so this score is not counted: "
        "remove it, or add the unit (or its kind) to the applies_to of component "
        "重点任务落实成效 (scheme.yaml:10)",
    ]


def _read_values(led: Ledger, periods: list[str], monkeypatch: pytest.MonkeyPatch
                 ) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """(every quality value a record gives, those scoring reads) as (period, task) for
    a task's one number and (period, task, unit) for a per-unit entry: scoring each of
    `periods` with `engine.task_quality` watched."""
    from luoshi_cli.ops.scoring import engine

    given: set[tuple[str, ...]] = set()
    for r in led.records:
        given |= {(r.period, t) for t in r.quality}
        given |= {(r.period, t, u) for t, m in r.quality_by_unit.items() for u in m}
    read: set[tuple[str, ...]] = set()
    real = engine.task_quality

    def watched(rec: Any, task: str, unit: str) -> Decimal | None:
        q = real(rec, task, unit)
        if q is not None:
            read.add((rec.period, task, unit) if task in rec.quality_by_unit
                     else (rec.period, task))
        return q

    monkeypatch.setattr(engine, "task_quality", watched)
    for p in periods:
        engine.score_period(led, p, partial=True)
    return given, read


@pytest.mark.parametrize("which", ["beilin", "monthly"])
def test_the_warnings_name_exactly_the_values_scoring_does_not_read(
        which: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule is the engine's: a value is warned of if and only if no scoring of a
    period that reads its record reads it (months, quarters, the year)."""
    from luoshi_cli.ops.validate import validate

    if which == "beilin":
        root, as_of, periods = _beilin(tmp_path), date(2024, 6, 30), ["2024-Q1", "2024-Q2",
                                                                        "2024"]
    else:
        root, as_of = _monthly(tmp_path), date(2022, 12, 31)
        periods = ["2022-10", "2022-11", "2022-Q4", "2022"]
    v = validate(root, as_of)
    given, read = _read_values(v.loaded.ledger, periods, monkeypatch)
    warned: set[tuple[str, ...]] = set()
    for f in v.findings:
        if f.code in CODES and f.path and f.path[0] == "quality":
            period = str(dict(f.params)["period"])
            if len(f.path) == 1:  # LS422: the whole record
                warned |= {g for g in given if g[0] == period}
            elif len(f.path) == 2:  # the task: its one number, or every entry of its map
                warned |= {g for g in given if g[:2] == (period, f.path[1])}
            else:
                warned.add((period, f.path[1], f.path[2]))
    assert warned and read
    assert warned == given - read


def test_scores_and_checklist_points_for_a_unit_not_assessed(
        cli: Callable[..., Any], example: Path) -> None:
    """渭南's 党群工作部 marked `assessed: false` while the Q1 record still scores it:
    its scores (line 10) and checklist points (its four leaves, lines 39–42) are left
    out of every ranking — each a warning at the value."""
    edit(example / "units.yaml", "kind: department}", "kind: department, assessed: false}")
    got = [g for g in _warnings(cli, example, "2021-03-31", "--no-cache")
           if g.startswith("records/2021-Q1.yaml")]
    lead = ("warning LS419 period 2021-Q1: units.yaml marks 党工委管委会办公室 as not assessed "
            "(assessed: false), so this score is not counted: remove it, or remove the "
            "unit's assessed: false")
    assert got == [f"records/2021-Q1.yaml:{at}: {lead}"
                   for at in ("10:28", "10:41", "39:15", "40:15", "41:16", "42:11")]


# ---- score and bulletin say them too ---------------------------------------------------

#: BEILIN_EN's Chinese lines, as `score` prints them (Chinese by default)
BEILIN_Q1_ZH = [
    "records/2024-Q1.yaml:12:29: warning LS419 期间 2024-Q1：units.yaml 写明 区委督查室 不参加考核"
    "（assessed: false），这个得分不计入：请删去，或删去该单位的 assessed: false",
    "records/2024-Q1.yaml:14:60: warning LS420 期间 2024-Q1：按指标 重点任务落实成效 的 credit: "
    "responsible，任务 K-01 只计入 区发改委、南院门街道、柏树林街道，不计入 区教育局（jiaoyuju），"
    "这个质量评分不计入：请删去，或在任务的 units 中列出它（责任单位）",
    "records/2024-Q1.yaml:14:77: warning LS420 期间 2024-Q1：按指标 重点任务落实成效 的 credit: "
    "responsible，任务 K-01 只计入 区发改委、南院门街道、柏树林街道，不计入 张家村街道"
    "（zhangjiacun），这个质量评分不计入：请删去，或在任务的 units 中列出它（责任单位）",
    "records/2024-Q1.yaml:19:9: warning LS421 期间 2024-Q1：任务 K-06 计入的单位（区委督查室）都不按"
    "该指标计分：不参加考核（assessed: false）、不适用该指标（applies_to）或在本期记录中写为"
    "不适用（n/a），本期不按它计分，这个质量评分不计入：请删去",
]


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_score_says_the_values_it_does_not_count(cli: Callable[..., Any],
                                                 tmp_path: Path) -> None:
    """`score --quarter Q1` printed nothing of the values its records give that no
    score reads (only `validate` did): the clerk believed every figure typed counted.
    It now says so on stderr — a line naming how many and their codes, then each as
    `validate` prints it — for the records the period reads alone (Q1's, not Q2's);
    stdout is the document it was, byte for byte (the same as the ledger without
    those values), in every format, cold and from the kept document."""
    root = _beilin(tmp_path)
    plain = tmp_path / "plain"
    shutil.copytree(KAOHE, plain)
    for fmt in ("table", "json", "csv"):
        args = ("--quarter", "Q1", "--as-of", "2024-06-30", "-f", fmt)
        want = cli("score", plain, *args)
        assert want.stderr == ""
        for _ in range(2):  # made, then kept
            r = cli("score", root, *args)
            assert (r.exit_code, r.stdout) == (0, want.stdout)
            assert _lines(r.stderr) == [
                "luoshi: 注意：考核记录中有 4 个数值不计入得分（LS419、LS420、LS421）：",
                *BEILIN_Q1_ZH]
    r = cli("score", root, "--quarter", "Q2", "--as-of", "2024-06-30", "--lang", "en")
    assert _lines(r.stderr) == [
        "luoshi: note: 2 values in the records are not counted in the scores (LS421):",
        *BEILIN_EN[4:]]


def test_score_leaves_out_what_the_ledgers_lint_ignores(cli: Callable[..., Any],
                                                       tmp_path: Path) -> None:
    """A ledger whose luoshi.yaml ignores LS419 (`lint: {ignore: [LS419]}`): `validate`
    does not report it, and `score` and `bulletin` said it all the same (review) —
    under a last line claiming `luoshi validate` lists them.  They say what `validate`
    reports: Q1's LS420 and LS421 (3 of the 4)."""
    root = _beilin(tmp_path)
    with (root / "luoshi.yaml").open("a", encoding="utf-8") as fh:
        fh.write("lint: {ignore: [LS419]}\n")
    assert "LS419" not in cli("validate", root, "--as-of", "2024-06-30").stdout
    for cmd in (("score", root, "--quarter", "Q1"), ("bulletin", root, "--quarter", "Q1")):
        r = cli(*cmd, "--as-of", "2024-06-30")
        assert r.exit_code == 0, r.stderr
        assert _lines(r.stderr) == [
            "luoshi: 注意：考核记录中有 3 个数值不计入得分（LS420、LS421）：",
            *BEILIN_Q1_ZH[1:]], cmd


def test_score_lists_ten_and_counts_the_rest(cli: Callable[..., Any], tmp_path: Path) -> None:
    """A ledger with thousands of such values would flood the terminal: the first ten
    are listed, then how many more `luoshi validate` lists.  The year reads every
    record of it: Q1's four and Q2's eight."""
    root = _beilin(tmp_path)
    q2 = root / "records" / "2024-Q2.yaml"
    edit(q2, "  zhangjiacun: {inspection: 80, service: 86}\n",
         "  zhangjiacun: {inspection: 80, service: 86}\n  duchashi: {inspection: 1, service: 2}\n")
    edit(q2, "  K-01: {fgw: 88}\n", "  K-01: {fgw: 88}\n  K-03: 1\n  K-04: 1\n  K-05: 1\n"
         "  K-06: 1\n")
    r = cli("score", root, "--annual", "--partial", "--as-of", "2024-06-30", "--lang", "en",
            "-f", "json")
    assert r.exit_code == 0
    lines = _lines(r.stderr)
    at = lines.index("luoshi: note: 12 values in the records are not counted in the scores "
                     "(LS419, LS420, LS421):")
    assert [x.split(": warning ")[0] for x in lines[at + 1:]] == [
        "records/2024-Q1.yaml:12:29", "records/2024-Q1.yaml:14:60", "records/2024-Q1.yaml:14:77",
        "records/2024-Q1.yaml:19:9", "records/2024-Q2.yaml:12:26", "records/2024-Q2.yaml:12:38",
        "records/2024-Q2.yaml:14:9", "records/2024-Q2.yaml:15:9", "records/2024-Q2.yaml:16:9",
        "records/2024-Q2.yaml:17:9",
        "luoshi: 2 more not listed here: luoshi validate lists them all"]
    r = cli("score", root, "--annual", "--partial", "--as-of", "2024-06-30")
    assert _lines(r.stderr)[-1] == "luoshi: 另有 2 个未列出：luoshi validate 会全部列出"


def test_the_bulletin_says_them_when_it_ranks(cli: Callable[..., Any], tmp_path: Path) -> None:
    """The bulletin publishes the quarter's ranking: the same note on stderr, the
    bulletin itself unchanged; a bulletin without a ranking (a month this scheme does
    not rank) says nothing of them."""
    root = _beilin(tmp_path)
    plain = tmp_path / "plain"
    shutil.copytree(KAOHE, plain)
    want = cli("bulletin", plain, "--quarter", "Q1")
    assert want.stderr == ""
    for _ in range(2):  # made, then kept
        r = cli("bulletin", root, "--quarter", "Q1")
        assert (r.exit_code, r.stdout) == (0, want.stdout)
        assert _lines(r.stderr) == [
            "luoshi: 注意：考核记录中有 4 个数值不计入得分（LS419、LS420、LS421）：", *BEILIN_Q1_ZH]
    r = cli("bulletin", root, "--month", "2024-02")
    assert (r.exit_code, r.stderr) == (0, "")


def test_a_flag_no_rule_reads_is_said_and_counts_for_nothing(cli: Callable[..., Any],
                                                             tmp_path: Path) -> None:
    """渭南's Q2 record gives 规划建设局 a `veto` flag; the scheme's rule `veto`
    (`when: {flag: veto}`, downgrade 1) moves it 一般 → 较差.  Misspelt `vetoo`, the
    flag reached no score, bulletin or export and `validate --strict` passed: the
    sanction was gone without a word.  Now LS423 names it at its kind, with the kinds
    the rules read and the nearest one; `score` says it on stderr, and ranks as it
    does without the flag (一般)."""
    from conftest import EXAMPLE

    root = tmp_path / "wn"
    shutil.copytree(EXAMPLE, root)
    rec = root / "records" / "2021-Q2.yaml"
    edit(rec, "kind: veto, reason: 监管", "kind: vetoo, reason: 监管")
    line = next(n for n, text in enumerate(rec.read_text(encoding="utf-8").splitlines(), 1)
                if "vetoo" in text)
    r = cli("validate", root, "--as-of", "2021-06-30", "--strict")
    assert r.exit_code == 1
    found = [x for x in r.stdout.splitlines() if "LS423" in x]
    assert found == [
        f"records/2021-Q2.yaml:{line}:29: warning LS423 期间 2021-Q2：规划建设局 的标记种类 vetoo "
        "不是 red_flag（红旗）或 yellow_card（黄牌），考核办法也没有规则读它（规则读的种类：veto），"
        "这个标记不起作用（是不是 veto？）：请改正种类，或在 scheme.yaml 的 rules 中用 "
        "when: {flag: vetoo} 写明它的作用"]
    s = cli("score", root, "--quarter", "Q2", "--as-of", "2021-06-30")
    assert s.exit_code == 0, s.stderr
    assert s.stderr.splitlines()[0] == "luoshi: 注意：考核记录中有 1 个标记不计入得分（LS423）："
    en = cli("score", root, "--quarter", "Q2", "--as-of", "2021-06-30", "--lang", "en")
    assert en.stderr.splitlines()[0] == (
        "luoshi: note: 1 flag in the records is not counted in the scores (LS423):")
    row = next(x for x in s.stdout.splitlines() if "规划建设局" in x)
    assert "一般" in row and "veto" not in row and "较差" not in row


# ---- one fault, one finding: no advice that follows from a broken reference ------------------

def _findings(cli: Callable[..., Any], root: Path, *extra: str) -> list[str]:
    """Every finding `validate` prints at 2024-04-30 (碑林 is clean then), from a fresh
    parse and again from the warm cache: the two must agree."""
    outs = []
    for cache in ("--no-cache", None, None):
        args = ["validate", root, "--as-of", "2024-04-30", *extra]
        out = cli(*args, *([cache] if cache else [])).stdout
        outs.append([line for line in out.splitlines() if ": " in line and " LS" in line])
    assert outs[0] == outs[1] == outs[2]
    return outs[0]


def test_a_name_for_the_lead_is_one_finding_not_a_quality_score_to_delete(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """`lead: 区发改委` (the unit's name where its id fgw belongs): LS110 says to write
    fgw.  The per-unit quality `K-01: {fgw: 90, …}` was also LS420 "K-01 counts for
    区发改委…, not for 区发改委 (fgw): delete it" — following both lost fgw's real
    score.  The record is judged as if the LS110 fix were made: no LS420."""
    root = tmp_path / "bl"
    shutil.copytree(KAOHE, root)
    edit(root / "tasks" / "key.yaml", "  lead: fgw\n", "  lead: 区发改委\n")
    assert _findings(cli, root) == [
        "tasks/key.yaml:4:9: error LS110 任务 K-01 引用了不存在的单位 区发改委（区发改委 是单位 "
        "fgw 的名称）：请写 fgw"]


def test_a_lead_naming_no_unit_leaves_its_quality_scores_unjudged(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """A lead that names no unit (`fgw1`: LS110 can only guess): whom the task counts
    for is unknown until it is fixed, so neither LS420 (fgw's score) nor LS421 (the
    task's number, K-02) is said of it."""
    root = tmp_path / "bl"
    shutil.copytree(KAOHE, root)
    edit(root / "tasks" / "key.yaml", "  lead: fgw\n", "  lead: fgw1\n")
    edit(root / "tasks" / "key.yaml", "  lead: zhujianju\n", "  lead: zhujian\n")
    assert _findings(cli, root, "--lang", "en") == [
        "tasks/key.yaml:4:9: error LS110 task K-01 names unknown unit fgw1 (did you mean "
        "fgw?): add it to units.yaml or correct the spelling",
        "tasks/key.yaml:19:9: error LS110 task K-02 names unknown unit zhujian (did you mean "
        "zhujianju?): add it to units.yaml or correct the spelling"]


@pytest.mark.parametrize("units", [None, "GBK"])
def test_an_unreadable_units_file_is_the_one_finding(cli: Callable[..., Any], tmp_path: Path,
                                                      units: str | None) -> None:
    """units.yaml deleted, or saved as GBK: its own LS001/LS004 is the root cause.  Every
    task then looked credited to no scored unit: 4 × LS421 "delete this quality score"."""
    root = tmp_path / "bl"
    shutil.copytree(KAOHE, root)
    path = root / "units.yaml"
    if units is None:
        path.unlink()
        want = ["units.yaml:1:1: error LS001 缺少必需文件 units.yaml：请创建它（luoshi init "
                "可生成一个完整示例）"]
    else:
        path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
        want = ["units.yaml:1:1: error LS004 文件不是 UTF-8 编码（看起来是 GB18030 (GBK)，也可能是 "
                "Big5）：请转换为 UTF-8，例如 iconv -f GB18030 -t UTF-8 units.yaml -o "
                "units.yaml.utf8，打开 units.yaml.utf8 确认文字无误后再 mv units.yaml.utf8 "
                "units.yaml（若转换后是乱码，请改用 -f BIG5），或在编辑器中“另存为 UTF-8”"]
    assert _findings(cli, root) == want


def test_a_broken_unit_reference_leaves_what_does_not_depend_on_it_judged(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    """A unit reference naming no unit (`zhangjiacunX`) leaves unjudged only whom the
    task counts for, and only through the role it is in (the review of "one fault, one
    finding": any such reference silenced every check of the task's quality).

    - 2024-Q2: K-02 and K-03 have no milestone due in Q2 — that does not depend on
      their 责任单位, so both LS421 stay beside the two LS110;
    - 2024-Q1, `credit: responsible`: a misspelt *cooperating* unit (not credited
      under `responsible`) does not hide that zhangjiacun has no part in K-03 (LS420)."""
    root = tmp_path / "bl"
    shutil.copytree(KAOHE, root)
    edit(root / "records" / "2024-Q2.yaml",
         "# 二季度没有到期的任务节点（重点任务的节点都在一季度）：不评定任务质量（quality）\n",
         "quality:\n  K-02: 80\n  K-03: {changlefang: 70, fgw: 60}\n")
    edit(root / "tasks" / "key.yaml", "  units: [changlefang, zhangjiacun]\n",
         "  units: [changlefang, zhangjiacunX]\n")
    edit(root / "tasks" / "key.yaml", "  units: [nanyuanmen, changlefang]\n",
         "  units: [nanyuanmen, changlefangX]\n")
    no_due = ("没有在本期到期的节点（milestones 的 due），本期不按它计分，这个质量评分不计入：请删去，"
              "或写到它的节点到期那一期的记录中")
    assert _findings(cli, root) == [
        f"records/2024-Q2.yaml:13:9: warning LS421 期间 2024-Q2：任务 K-02 {no_due}",
        f"records/2024-Q2.yaml:14:9: warning LS421 期间 2024-Q2：任务 K-03 {no_due}",
        "tasks/key.yaml:20:24: error LS110 任务 K-02 引用了不存在的单位 zhangjiacunX（是不是 "
        "zhangjiacun？）：请在 units.yaml 中添加该单位，或改正拼写",
        "tasks/key.yaml:34:23: error LS110 任务 K-03 引用了不存在的单位 changlefangX（是不是 "
        "changlefang？）：请在 units.yaml 中添加该单位，或改正拼写"]

    root = tmp_path / "bl2"
    shutil.copytree(KAOHE, root)
    edit(root / "records" / "2024-Q1.yaml", "  K-03: 88\n",
         "  K-03: {shangwuju: 88, nanyuanmen: 80, changlefang: 80, zhangjiacun: 50}\n")
    edit(root / "tasks" / "key.yaml", "  units: [nanyuanmen, changlefang]\n",
         "  units: [nanyuanmen, changlefang]\n  cooperating: [weijianjuX]\n")
    assert _findings(cli, root) == [
        "records/2024-Q1.yaml:15:71: warning LS420 期间 2024-Q1：按指标 重点任务落实成效 的 "
        "credit: responsible，任务 K-03 只计入 区商务局、南院门街道、长乐坊街道，不计入 张家村街道"
        "（zhangjiacun），这个质量评分不计入：请删去，或在任务的 units 中列出它（责任单位）",
        "tasks/key.yaml:35:17: error LS110 任务 K-03 引用了不存在的单位 weijianjuX（是不是 "
        "zhujianju？）：请在 units.yaml 中添加该单位，或改正拼写"]
