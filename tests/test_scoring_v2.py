"""Scheme v2 and the v1.1 settled readings (SPEC §4, §10), each by hand.

Every test writes a small ledger, scores it and compares with the computation in
its docstring.  The ledgers are tiny on purpose: one leaf or two, a handful of
units, so the arithmetic can be followed line by line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, edit
from luoshi_cli.core.model import Ledger
from luoshi_cli.ops.scoring import ScoreResult, UnitScore, score_period
from luoshi_cli.ops.validate import validate

D = Decimal
Writer = Callable[..., Path]

CONFIG = """title: 测试台账
year: 2021
categories:
  - {id: cat, name: 测试}
"""
GRADES = """grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 70}
  - {name: 较差, min: 0}
"""


def load(root: Path) -> Ledger:
    v = validate(root, date(2030, 1, 1))
    assert v.errors == 0, [f.message("en") for f in v.findings if f.severity == "error"]
    return v.loaded.ledger


def codes(root: Path) -> list[tuple[str, str, int]]:
    v = validate(root, date(2030, 1, 1))
    return [(f.code, f.file, f.line) for f in v.findings]


def unit(result: ScoreResult, uid: str) -> UnitScore:
    u = result.unit(uid)
    assert u is not None
    return u


def task(tid: str, lead: str, due: str, done: str | None = None, extra: str = "") -> str:
    done_s = f", done: {done}" if done else ""
    return (f"- id: {tid}\n  title: 任务{tid}\n  category: cat\n  lead: {lead}\n"
            f"  leaders: [wang]\n  start: 2021-01-01\n  standard: 完成\n"
            f"  milestones:\n    - {{due: {due}, standard: 完成{done_s}}}\n"
            f"  status: in_progress\n  progress: 50\n{extra}")


def units_yaml(ids: list[str], extra: dict[str, str] | None = None) -> str:
    extra = extra or {}
    return "units:\n" + "".join(
        f"  - {{id: {u}, name: 单位{u}{extra.get(u, '')}}}\n" for u in ids
    ) + "leaders:\n  - {id: wang, name: 王某}\n"


# ---- v1.1 settled readings ---------------------------------------------------------------


def tasks_only(write: Writer, quality: int = 70, record: str = "period: 2021-Q2\n") -> Path:
    """A 七里河-style scheme whose only leaf is `source: tasks`; the 督查室 `dcs` leads a
    task but is `assessed: false`."""
    scheme = ("id: t\ntitle: 测试考核\ncomponents:\n"
              f"  - {{id: delivery, name: 成效, weight: 100, source: tasks, "
              f"timeliness: {100 - quality}, quality: {quality}}}\n" + GRADES
              + "interview_bottom: 1\n")
    tasks = (task("T-1", "a", "2021-05-31", "2021-05-30") + task("T-2", "b", "2021-05-31")
             + task("T-3", "dcs", "2021-05-31", "2021-05-31"))
    return write({"luoshi.yaml": CONFIG,
                  "units.yaml": units_yaml(["a", "b", "dcs"], {"dcs": ", assessed: false"}),
                  "scheme.yaml": scheme, "tasks/t.yaml": tasks,
                  "records/2021-Q2.yaml": record})


def test_quality_for_a_task_left_incomplete_by_its_own_fault_is_no_unknown_task(
        write: Writer) -> None:
    """T-1's `leaders: 王某` (text, not a list) is LS103 at the task; the record's
    quality line for T-1 said LS116 "quality names the unknown task T-1" too — the task
    exists (one fault, one finding)."""
    root = tasks_only(write, record="period: 2021-Q2\nquality: {T-1: 80, T-2: 80}\n")
    f = root / "tasks" / "t.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("  leaders: [wang]\n",
                                                       "  leaders: 王某\n", 1),
                 encoding="utf-8")
    assert [c for c, _, _ in codes(root) if c.startswith("LS1")] == ["LS103"]


def test_assessed_false_in_an_all_tasks_scheme(write: Writer) -> None:
    """Every leaf is `source: tasks`, so the lead units are assessed — but `dcs`
    (`assessed: false`) is never scored, ranked or marked for interview.
    Timeliness 30 : quality 70 with quality 80 for both tasks:
    a: T-1 on time → (100×30 + 80×70)/100 = 86;  b: T-2 not done → (0 + 5600)/100 = 56.
    Ranks a 1, b 2; interview_bottom 1 marks b only."""
    root = tasks_only(write, record="period: 2021-Q2\nquality: {T-1: 80, T-2: 80, T-3: 80}\n")
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, str(u.score), u.rank, u.interview) for u in r.units] == [
        ("a", "86.00", 1, False), ("b", "56.00", 2, True)]
    assert r.unscored == ()


def test_no_ls412_for_lead_units_of_an_all_tasks_scheme(write: Writer) -> None:
    """LS412 says "scored in no record: left out of the ranking"; in an all-tasks
    scheme the lead units *are* ranked, so no LS412 for a and b (nor dcs: assessed:
    false)."""
    root = tasks_only(write, record="period: 2021-Q2\nquality: {T-1: 80, T-2: 80, T-3: 80}\n")
    assert [c for c in codes(root) if c[0] == "LS412"] == []


def test_no_ls409_when_the_quality_weight_is_0(write: Writer) -> None:
    """quality: 0 (all timeliness): a missing quality score changes nothing, so neither
    validate nor score warns (LS409).  a: 100 (on time), b: 0 (not done)."""
    root = tasks_only(write, quality=0)
    assert [c for c in codes(root) if c[0] == "LS409"] == []
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, str(u.score), u.missing) for u in r.units] == [
        ("a", "100.00", []), ("b", "0.00", [])]
    assert r.warnings == []


def test_media_multiplier_defaults_to_1(write: Writer) -> None:
    """No `media_multiplier` written: a media deduction counts once (SPEC §4 v1.1).
    90 − 3 × 1 = 87 → 良好."""
    scheme = ("id: t\ntitle: 测试考核\ncomponents:\n  - {id: work, name: 工作, weight: 100}\n"
              "deductions:\n  categories:\n    - {id: slack, name: 混日子, min: 2, max: 4}\n"
              + GRADES)
    root = write({"luoshi.yaml": CONFIG, "units.yaml": units_yaml(["a"]),
                  "scheme.yaml": scheme,
                  "records/2021-Q2.yaml": "period: 2021-Q2\nscores:\n  a: {work: 90}\n"
                  "deductions:\n  - {unit: a, category: slack, date: 2021-05-01, points: 3,"
                  " media: true}\n"})
    a = unit(score_period(load(root), "2021-Q2"), "a")
    assert (a.exact, a.grade, [i.multiplier for i in a.incidents]) == (D(87), "良好", [D(1)])


def test_numbers_read_as_written(write: Writer) -> None:
    """89.994999999999999 has more digits than a binary float keeps; read as written
    it stays below 89.995 and publishes 89.99 (良好), never 90.00 (优秀)."""
    scheme = ("id: t\ntitle: 测试考核\ncomponents:\n  - {id: work, name: 工作, weight: 100}\n"
              + GRADES)
    root = write({"luoshi.yaml": CONFIG, "units.yaml": units_yaml(["a"]),
                  "scheme.yaml": scheme,
                  "records/2021-Q2.yaml": "period: 2021-Q2\nscores:\n"
                  "  a: {work: 89.994999999999999}\n"})
    a = unit(score_period(load(root), "2021-Q2"), "a")
    assert (a.exact, str(a.score), a.grade) == (D("89.994999999999999"), "89.99", "良好")


def test_long_numbers_are_read_and_shown_as_written(write: Writer) -> None:
    """Numbers longer than Python's 28-digit default context: s1 = 89.99499…9 (33
    significant digits) and s2 (29) stay below 89.995 and publish 89.99 良好; their
    unrounded values print every digit (`plain`), never 89.995 beside a published
    89.99; d1's 35 digits print whole, not cut to 28."""
    from luoshi_cli.core.labels import plain

    scheme = ("id: t\ntitle: 测试考核\ncomponents:\n  - {id: work, name: 工作, weight: 100}\n"
              + GRADES)
    root = write({"luoshi.yaml": CONFIG, "units.yaml": units_yaml(["s1", "s2", "d1"]),
                  "scheme.yaml": scheme,
                  "records/2021-Q2.yaml": "period: 2021-Q2\nscores:\n"
                  "  s1: {work: 89.9949999999999999999999999999999}\n"
                  "  s2: {work: 89.994999999999999999999999999}\n"
                  "  d1: {work: 85.123456789012345678901234567890123}\n"})
    result = score_period(load(root), "2021-Q2")
    got = {u: (plain(unit(result, u).exact), str(unit(result, u).score), unit(result, u).grade)
           for u in ("s1", "s2", "d1")}
    assert got == {"s1": ("89.9949999999999999999999999999999", "89.99", "良好"),
                   "s2": ("89.994999999999999999999999999", "89.99", "良好"),
                   "d1": ("85.123456789012345678901234567890123", "85.12", "良好")}


# ---- credit, late_per_day, per-unit quality (SPEC §10) --------------------------------------


def credit_ledger(write: Writer, credit: str, late: str = "", quality: str = "") -> Path:
    """T-1 led by a, 责任单位 b, cooperating c; due 05-31, done 06-05 (5 days late).
    T-2 led by b, due 06-10, done 06-10 (on time)."""
    scheme = ("id: t\ntitle: 测试考核\ncomponents:\n"
              f"  - {{id: delivery, name: 成效, weight: 100, source: tasks, timeliness: 50, "
              f"quality: 50, credit: {credit}{late}}}\n" + GRADES)
    tasks = (task("T-1", "a", "2021-05-31", "2021-06-05",
                  "  units: [b]\n  cooperating: [c]\n")
             + task("T-2", "b", "2021-06-10", "2021-06-10"))
    return write({"luoshi.yaml": CONFIG, "units.yaml": units_yaml(["a", "b", "c"]),
                  "scheme.yaml": scheme, "tasks/t.yaml": tasks,
                  "records/2021-Q2.yaml": "period: 2021-Q2\nquality:\n"
                  + (quality or "  T-1: 80\n  T-2: 90\n")})


def test_credit_lead_is_v1(write: Writer) -> None:
    """credit: lead — a: T-1 late → timeliness 0; (0×50 + 80×50)/100 = 40.
    b: T-2 on time → (100×50 + 90×50)/100 = 95.  c leads nothing: not ranked."""
    r = score_period(load(credit_ledger(write, "lead")), "2021-Q2")
    assert [(u.unit, str(u.score)) for u in r.units] == [("b", "95.00"), ("a", "40.00")]


def test_credit_responsible_scores_the_zeren_danwei(write: Writer) -> None:
    """credit: responsible — b is credited with T-1 too (its 责任单位):
    b = mean(T-1 40, T-2 95) = 67.5;  a = 40;  c (cooperating only) not ranked."""
    r = score_period(load(credit_ledger(write, "responsible")), "2021-Q2")
    assert [(u.unit, str(u.score)) for u in r.units] == [("b", "67.50"), ("a", "40.00")]
    b = unit(r, "b")
    assert [(t.task, t.role) for t in b.parts[0].tasks] == [
        ("T-1", "responsible"), ("T-2", "lead")]


def test_credit_all_adds_cooperating_units(write: Writer) -> None:
    """credit: all — c gets T-1's score: 40."""
    r = score_period(load(credit_ledger(write, "all")), "2021-Q2")
    assert [(u.unit, str(u.score)) for u in r.units] == [
        ("b", "67.50"), ("a", "40.00"), ("c", "40.00")]


def test_late_per_day(write: Writer) -> None:
    """late_per_day: 2 — T-1 done 5 days late earns 100 − 2×5 = 90 % of its credit:
    timeliness 90; a = (90×50 + 80×50)/100 = 85."""
    r = score_period(load(credit_ledger(write, "lead", late=", late_per_day: 2")), "2021-Q2")
    a = unit(r, "a")
    assert a.exact == D(85)
    line = a.parts[0].tasks[0]
    assert (line.on_time, line.late, line.late_credit, line.timeliness) == (
        0, 1, D("0.9"), D(90))


def test_explain_says_a_milestone_done_late_is_late_not_overdue(
        write: Writer, cli: Callable[..., Run]) -> None:
    """`score --explain` said 逾期完成 of a milestone done after its due date — the word
    every other output keeps for one not done by then (逾期, SPEC *overdue*); done after
    it is 超期 (超期完成, 超期销号; SPEC *late*), as the English says "late"."""
    root = credit_ledger(write, "lead", late=", late_per_day: 2")
    r = cli("score", root, "-q", "2", "--explain", "a", "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    assert "到期节点 1 个，按时完成 0 个，超期完成 1 个折合 0.9 个 → 时效 90.00；质量 80" in r.stdout
    assert "逾期" not in r.stdout
    r = cli("score", root, "-q", "2", "--explain", "a", "--as-of", "2021-06-30", "--lang", "en")
    assert "0/1 milestones on time, 1 late earning 0.9 → timeliness 90.00; quality 80" in r.stdout


def test_late_per_day_never_below_zero(write: Writer) -> None:
    """late_per_day: 30 — 5 days late: max(0, 100 − 150) = 0; a = (0 + 4000)/100 = 40."""
    r = score_period(load(credit_ledger(write, "lead", late=", late_per_day: 30")), "2021-Q2")
    assert unit(r, "a").exact == D(40)


def test_late_per_day_gives_nothing_for_a_milestone_done_after_the_period(
        write: Writer, cli: Callable[..., Any]) -> None:
    """late_per_day: 2 — T-1 due 06-28, done 07-02: late, but after Q2 ended, so it
    earns no late credit in Q2 (SPEC §10 reading: the office scores the period as it
    closed): timeliness 0; a = (0×50 + 80×50)/100 = 40.  `--explain` says why the
    credit is missing instead of leaving the clerk to look for it."""
    root = credit_ledger(write, "lead", late=", late_per_day: 2")
    text = (root / "tasks/t.yaml").read_text(encoding="utf-8")
    (root / "tasks/t.yaml").write_text(text.replace("due: 2021-05-31", "due: 2021-06-28")
                                       .replace("done: 2021-06-05", "done: 2021-07-02"),
                                       encoding="utf-8")
    a = unit(score_period(load(root), "2021-Q2"), "a")
    line = a.parts[0].tasks[0]
    assert (a.exact, line.on_time, line.late, line.after_end, line.timeliness) == (
        D(40), 0, 0, 1, D(0))
    r = cli("score", root, "--quarter", "Q2", "--explain", "a", "--as-of", "2021-12-31")
    assert r.exit_code == 0, r.stderr
    assert "到期节点 1 个，按时完成 0 个，1 个在考核期结束后完成，不计 → 时效 0.00" in r.stdout
    r = cli("score", root, "--quarter", "Q2", "--explain", "a", "--as-of", "2021-12-31",
            "--lang", "en")
    assert "0/1 milestones on time, 1 done after the period ended: not counted" in r.stdout


def test_quality_per_unit(write: Writer) -> None:
    """T-1: {a: 60, b: 100} — each credited unit its own quality:
    a = (0 + 60×50)/100 = 30;  b = mean((0 + 100×50)/100 = 50, T-2 95) = 72.5."""
    root = credit_ledger(write, "responsible", quality="  T-1: {a: 60, b: 100}\n  T-2: 90\n")
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, str(u.score)) for u in r.units] == [("b", "72.50"), ("a", "30.00")]


@pytest.mark.parametrize("credit,quality,left_out", [
    # a leads T-1: credited under every `credit`
    ("lead", "  T-1: {b: 100}\n  T-2: 90\n", "a"),
    # b is T-1's 责任单位
    ("responsible", "  T-1: {a: 60}\n  T-2: 90\n", "b"),
    # c cooperates on T-1
    ("all", "  T-1: {a: 60, b: 100}\n  T-2: 90\n", "c"),
])
def test_a_per_unit_quality_map_leaving_out_a_credited_unit_warns(
        write: Writer, cli: Callable[..., Any], credit: str, quality: str,
        left_out: str) -> None:
    """SPEC §3: task quality "default 0 when missing, with a warning" — for a unit a
    per-unit map leaves out too, not only for a task left out entirely (audit B #1):
    LS409 names the task and the unit, on the task's line of the map; `score` gives
    the same warning and lists the gap; a unit the leaf does not credit (c under
    `responsible`) owes nothing."""
    root = credit_ledger(write, credit, quality=quality)
    name = f"单位{left_out}"
    zh = cli("validate", root, "--as-of", "2021-06-30")
    assert [x for x in zh.stdout.splitlines() if "LS409" in x] == [
        f"records/2021-Q2.yaml:3:3: warning LS409 期间 2021-Q2：任务 T-1 没有{name}（{left_out}）"
        "的质量评分（quality），按 0 分计算"]
    en = cli("validate", root, "--as-of", "2021-06-30", "--lang", "en")
    assert [x for x in en.stdout.splitlines() if "LS409" in x] == [
        f"records/2021-Q2.yaml:3:3: warning LS409 period 2021-Q2: task T-1 has no quality "
        f"score for {name} ({left_out}); it counts as 0"]
    r = score_period(load(root), "2021-Q2")
    assert [(w.code, w.path, w.message("en")) for w in r.warnings] == [
        ("LS409", ("quality", "T-1"), f"period 2021-Q2: task T-1 has no quality score for {name} "
                        f"({left_out}); it counts as 0")]
    assert [(u.unit, u.missing) for u in r.units if u.missing] == [(left_out, ["delivery/T-1"])]
    run = cli("score", root, "--quarter", "Q2", "--as-of", "2021-06-30")
    assert run.exit_code == 0
    assert [x for x in run.stderr.splitlines() if "LS409" in x] == [
        f"records/2021-Q2.yaml:3:3: warning LS409 期间 2021-Q2：任务 T-1 没有{name}（{left_out}）"
        "的质量评分（quality），按 0 分计算"]
    assert "1 个单位有缺失的得分，按 0 分计算（见“缺失得分”列和警告）。" in run.stdout


def test_a_per_unit_quality_map_naming_every_credited_unit_is_no_warning(
        write: Writer) -> None:
    """`credit: responsible` credits a and b with T-1, c (cooperating) not: a map of a
    and b is complete."""
    root = credit_ledger(write, "responsible", quality="  T-1: {a: 60, b: 100}\n  T-2: 90\n")
    assert [c for c in codes(root) if c[0] == "LS409"] == []
    assert score_period(load(root), "2021-Q2").warnings == []


def test_a_whole_task_left_out_beside_a_per_unit_map_is_placed_on_the_map(
        write: Writer, cli: Callable[..., Any]) -> None:
    """T-2 has no quality at all, T-1 a per-unit map: LS409 for T-2 points at the
    `quality:` key it belongs under (line 2), not at `period:`."""
    root = credit_ledger(write, "responsible", quality="  T-1: {a: 60, b: 100}\n")
    run = cli("validate", root, "--as-of", "2021-06-30", "--lang", "en")
    assert [x for x in run.stdout.splitlines() if "LS409" in x] == [
        "records/2021-Q2.yaml:2:1: warning LS409 period 2021-Q2: task T-2 has no quality "
        "score; it counts as 0"]


def test_a_task_left_out_warns_for_its_credited_unit_when_its_lead_is_not_assessed(
        write: Writer, cli: Callable[..., Any]) -> None:
    """T-1's lead a is `assessed: false` (the 督查室 leading a task); under `credit:
    responsible` b is credited with it, so T-1 missing from the record costs b its
    quality — LS409, as for a task of an assessed lead."""
    root = credit_ledger(write, "responsible", quality="  T-2: 90\n")
    (root / "units.yaml").write_text(units_yaml(["a", "b", "c"], {"a": ", assessed: false"}),
                                     encoding="utf-8")
    run = cli("validate", root, "--as-of", "2021-06-30", "--lang", "en")
    assert [x for x in run.stdout.splitlines() if "LS409" in x] == [
        "records/2021-Q2.yaml:2:1: warning LS409 period 2021-Q2: task T-1 has no quality "
        "score; it counts as 0"]
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, u.missing) for u in r.units] == [("b", ["delivery/T-1"])]
    assert [w.code for w in r.warnings] == ["LS409"]


def test_ls412_follows_whom_a_tasks_leaf_credits(write: Writer) -> None:
    """An all-tasks scheme ranks every unit its leaf credits (audit B #4): under
    `credit: responsible` a (lead) and b (责任单位) are ranked and only c (cooperating)
    gets LS412; under `credit: all` c is ranked too, and nobody gets it."""
    for credit, ranked, warned in (("responsible", ["b", "a"], [("LS412", "units.yaml", 4)]),
                                   ("all", ["b", "a", "c"], [])):
        root = credit_ledger(write, credit)
        assert [u.unit for u in score_period(load(root), "2021-Q2").units] == ranked
        assert [c for c in codes(root) if c[0] == "LS412"] == warned


def _ls412(root: Path, lang: str) -> dict[str, str]:
    v = validate(root, date(2030, 1, 1))
    return {dict(f.params)["unit"]: f.message(lang) for f in v.findings if f.code == "LS412"}


def test_ls412_advice_follows_the_case_in_an_all_tasks_scheme(write: Writer) -> None:
    """Every leaf is `source: tasks`, so no record may score a unit (LS410): "score it
    in a record" is no advice.  Under `credit: lead`, with T-1 led by a, 责任单位 b and d,
    cooperating c, and e in no task: d (a 责任单位 only) is told credit: responsible, c (a
    配合单位 only) credit: all, e a task it leads — each or assessed: false.  (b leads T-2:
    ranked, no warning.)"""
    root = credit_ledger(write, "lead")
    edit(root / "tasks" / "t.yaml", "  units: [b]\n", "  units: [b, d]\n")
    (root / "units.yaml").write_text(units_yaml(["a", "b", "c", "d", "e"]), encoding="utf-8")
    en = _ls412(root, "en")
    assert sorted(en) == ["c", "d", "e"]
    assert en["d"] == (
        "unit d (单位d) is credited with no task (only a responsible unit of T-1; the "
        "scheme's leaves, all source: tasks, credit lead units only) and is left out of the "
        "ranking: to rank responsible units write credit: responsible on delivery (credit: "
        "all ranks cooperating units too), or mark it assessed: false in units.yaml")
    assert en["c"] == (
        "unit c (单位c) is credited with no task (only a cooperating unit of T-1; the "
        "scheme's leaves, all source: tasks, do not credit cooperating units) and is left "
        "out of the ranking: to rank cooperating units write credit: all on delivery, or "
        "mark it assessed: false in units.yaml")
    assert en["e"] == (
        "unit e (单位e) leads no task (every leaf of the scheme is scored from tasks: "
        "source: tasks) and is left out of the ranking: give it a task it leads (a task's "
        "lead): a record cannot score it, or mark it assessed: false in units.yaml")
    zh = _ls412(root, "zh")
    assert zh["d"] == (
        "单位 d（单位d）只是任务 T-1 的责任单位，而考核办法的指标都按任务计分（source: tasks）"
        "且只计牵头单位，不参加排名：要考核责任单位，请在指标 delivery 上写 credit: responsible"
        "（连配合单位也考核则写 credit: all），或在 units.yaml 中写明 assessed: false（不参加考核）")
    assert "请在记录中为它打分" not in "".join(zh.values())
    # under credit: responsible d is ranked; c still needs credit: all
    edit(root / "scheme.yaml", "credit: lead", "credit: responsible")
    assert sorted(_ls412(root, "en")) == ["c", "e"]
    assert "write credit: all on delivery" in _ls412(root, "en")["c"]


def test_ls412_keeps_score_it_where_a_record_scores(write: Writer) -> None:
    """A scheme with a leaf scored in records: "score it" is the advice, as before."""
    root = credit_ledger(write, "lead")
    edit(root / "scheme.yaml", "weight: 100, source: tasks", "weight: 50, source: tasks")
    edit(root / "scheme.yaml", GRADES, "  - {id: work, name: 日常, weight: 50}\n" + GRADES)
    (root / "records" / "2021-Q2.yaml").write_text(
        "period: 2021-Q2\nscores:\n  a: {work: 90}\n  b: {work: 90}\n"
        "quality: {T-1: 80, T-2: 90}\n", encoding="utf-8")
    assert _ls412(root, "en") == {"c": (
        "unit c (单位c) is scored in no record and is left out of the ranking: score it, "
        "or mark it assessed: false in units.yaml")}


# ---- applies_to and n/a ---------------------------------------------------------------------------

TWO_LEAVES = """id: t
title: 测试考核
components:
  - {id: work, name: 工作, weight: 80}
  - {id: service, name: 政务服务, weight: 20, applies_to: {kinds: [hall], units: [c]}}
""" + GRADES


def na_ledger(write: Writer, record: str, scheme: str = TWO_LEAVES) -> Path:
    return write({"luoshi.yaml": CONFIG,
                  "units.yaml": units_yaml(["a", "b", "c"], {"a": ", kind: hall"}),
                  "scheme.yaml": scheme, "records/2021-Q2.yaml": record})


def test_applies_to_renormalises(write: Writer) -> None:
    """渭南's 政务服务 only for units in the hall (kind hall, or unit c):
    a (hall): 80%×90 + 20%×95 = 72 + 19 = 91;  b (outside): work alone → 93 (not 74.4);
    c (listed): 80%×85 + 20%×60 = 68 + 12 = 80."""
    rec = ("period: 2021-Q2\nscores:\n  a: {work: 90, service: 95}\n  b: {work: 93}\n"
           "  c: {work: 85, service: 60}\n")
    root = na_ledger(write, rec)
    assert [c for c in codes(root) if c[0] == "LS407"] == []  # b owes no service score
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, str(u.score), u.not_applicable) for u in r.units] == [
        ("b", "93.00", ("service",)), ("a", "91.00", ()), ("c", "80.00", ())]
    b = unit(r, "b")
    assert [(p.id, p.share, p.not_applicable) for p in b.parts] == [
        ("work", D(100), False), ("service", D(0), True)]


def test_na_token_in_a_record(write: Writer) -> None:
    """a writes `n/a` for service, c writes 不适用: both renormalised to work alone;
    a = 90, c = 85; no LS407 for either; JSON lists not_applicable."""
    from luoshi_cli.ops.scoring import result_json
    rec = ("period: 2021-Q2\nscores:\n  a: {work: 90, service: n/a}\n  b: {work: 70}\n"
           "  c: {work: 85, service: 不适用}\n")
    root = na_ledger(write, rec)
    assert [c for c in codes(root) if c[0] == "LS407"] == []
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, str(u.score), u.not_applicable) for u in r.units] == [
        ("a", "90.00", ("service",)), ("c", "85.00", ("service",)),
        ("b", "70.00", ("service",))]
    doc = result_json(r)
    assert [u["not_applicable"] for u in doc["units"]] == [["service"]] * 3  # type: ignore[index]


def test_checklist_points_beside_an_na_token_are_not_counted_and_warned(
        write: Writer) -> None:
    """push is a checklist (p1 60 + p2 40).  a writes `push: n/a` under scores: and still
    gives push points under items: (50 + 30 = 80): n/a wins, push is left out and a is
    work alone = 90 (with the points it would be 50%×90 + 50%×80 = 85) — so validate
    says the points are dropped (LS418, a warning, at a's push under items:).
    b: 50%×70 + 50%×(40 + 20) = 35 + 30 = 65; n/a without points for c gives nothing."""
    scheme = ("id: t\ntitle: 测试考核\ncomponents:\n  - {id: work, name: 工作, weight: 50}\n"
              "  - id: push\n    name: 大推进\n    weight: 50\n    items:\n"
              "      - {id: p1, name: 一, points: 60}\n      - {id: p2, name: 二, points: 40}\n"
              + GRADES)
    rec = ("period: 2021-Q2\nscores:\n  a: {work: 90, push: n/a}\n  b: {work: 70}\n"
           "  c: {work: 80, push: 不适用}\n"
           "items:\n  a: {push: {p1: 50, p2: 30}}\n  b: {push: {p1: 40, p2: 20}}\n")
    root = na_ledger(write, rec, scheme)
    v = validate(root, date(2030, 1, 1))
    got = [(f.code, f.severity, f.line, f.message("en")) for f in v.findings
           if f.code.startswith("LS4")]
    assert got == [("LS418", "warning", 7, "period 2021-Q2: 大推进 is written n/a for "
                    "单位a under scores:, so these checklist points are not counted: remove "
                    "them, or remove the n/a to score the checklist")]
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, str(u.score), u.not_applicable) for u in r.units] == [
        ("a", "90.00", ("push",)), ("c", "80.00", ("push",)), ("b", "65.00", ())]


def test_na_making_a_subtree_empty(write: Writer) -> None:
    """special (60) = {x 50, y 50}; routine (40).  a writes n/a for both x and y:
    special has no assessed leaf, is left out, routine renormalised to 100 → 77.
    b: 60%×(50%×80 + 50%×90) + 40%×70 = 51 + 28 = 79."""
    scheme = ("id: t\ntitle: 测试考核\ncomponents:\n  - id: special\n    name: 专项\n"
              "    weight: 60\n    children:\n      - {id: x, name: 甲, weight: 50}\n"
              "      - {id: y, name: 乙, weight: 50}\n"
              "  - {id: routine, name: 日常, weight: 40}\n" + GRADES)
    rec = ("period: 2021-Q2\nscores:\n  a: {x: n/a, y: N/A, routine: 77}\n"
           "  b: {x: 80, y: 90, routine: 70}\n  c: {x: 0, y: 0, routine: 0}\n")
    r = score_period(load(na_ledger(write, rec, scheme)), "2021-Q2")
    a = unit(r, "a")
    assert (a.exact, a.not_applicable) == (D(77), ("x", "y"))
    assert a.parts[0].score is None and a.parts[1].share == D(100)
    assert unit(r, "b").exact == D(79)


def test_na_in_some_quarters_takes_the_mean_of_the_others(write: Writer) -> None:
    """Annual: work scored 80 in Q1, n/a in Q2, 90 in Q3 and Q4 → mean(80, 90, 90)
    = 86.666…; one leaf → 86.67."""
    scheme = ("id: t\ntitle: 测试考核\ncomponents:\n  - {id: work, name: 工作, weight: 100}\n"
              + GRADES)
    files = {"luoshi.yaml": CONFIG, "units.yaml": units_yaml(["a"]), "scheme.yaml": scheme}
    for q, v in (("Q1", "80"), ("Q2", "n/a"), ("Q3", "90"), ("Q4", "90")):
        files[f"records/2021-{q}.yaml"] = f"period: 2021-{q}\nscores:\n  a: {{work: {v}}}\n"
    r = score_period(load(write(files)), "2021")
    a = unit(r, "a")
    assert (str(a.score), a.parts[0].quarters[1]) == ("86.67", ("2021-Q2", None))


def test_applies_to_checks(write: Writer) -> None:
    """applies_to naming an unknown unit → LS110 (error); a kind no unit has → LS309;
    credit on a leaf not scored from tasks → LS310."""
    scheme = TWO_LEAVES.replace("units: [c]", "units: [cc]").replace(
        "kinds: [hall]", "kinds: [hal]").replace("weight: 80}", "weight: 80, credit: all}")
    root = na_ledger(write, "period: 2021-Q2\n", scheme)
    v = validate(root, date(2030, 1, 1))
    got = [(f.code, f.line, f.col, f.message("en")) for f in v.findings
           if f.code in ("LS110", "LS309", "LS310")]
    assert got == [
        ("LS310", 4, 46, "component work sets credit but is not a source: tasks leaf, so it "
                         "has no effect: remove it or add source: tasks"),
        ("LS309", 5, 64, "component service's applies_to names kind hal, which no unit in "
                         "units.yaml has (did you mean hall?): correct the spelling or give "
                         "those units that kind"),
        ("LS110", 5, 78, "component service's applies_to names unknown unit cc (did you mean "
                         "c?): add it to units.yaml or correct the spelling")]


# ---- ranking groups, interview per group, quotas (SPEC §10) --------------------------------

GROUPED = """id: t
title: 测试考核
components:
  - {id: work, name: 工作, weight: 100}
grades:
  - {name: 优秀, min: 90, max_share: 40}
  - {name: 良好, min: 80, max_share: 50}
  - {name: 一般, min: 70}
  - {name: 较差, min: 0}
ranking_groups:
  - {id: city, name: 市直单位, kinds: [department]}
  - {id: county, name: 县区, kinds: [county], units: [x], interview_bottom: 2}
interview_bottom: 1
"""


def grouped(write: Writer, scores: dict[str, str], kinds: dict[str, str],
            scheme: str = GROUPED) -> Path:
    rec = "period: 2021-Q2\nscores:\n" + "".join(
        f"  {u}: {{work: {s}}}\n" for u, s in scores.items())
    return write({"luoshi.yaml": CONFIG,
                  "units.yaml": units_yaml(list(scores), {u: f", kind: {k}"
                                                          for u, k in kinds.items()}),
                  "scheme.yaml": scheme, "records/2021-Q2.yaml": rec})


def test_groups_rank_and_interview_apart(write: Writer) -> None:
    """市直单位 d1 95, d2 85, d3 75 (interview_bottom 1: d3);
    县区 c1 92, c2 60, x 60 (unit x listed by id; interview_bottom 2: the tie at rank 2
    ends at position 3 > 3 − 2 → c2 and x).  Each group ranks from 1."""
    root = grouped(write, {"d1": "95", "d2": "85", "d3": "75", "c1": "92", "c2": "60",
                           "x": "60"},
                   {"d1": "department", "d2": "department", "d3": "department",
                    "c1": "county", "c2": "county"})
    r = score_period(load(root), "2021-Q2")
    assert [(u.group, u.unit, u.rank, u.interview) for u in r.units] == [
        ("city", "d1", 1, False), ("city", "d2", 2, False), ("city", "d3", 3, True),
        ("county", "c1", 1, False), ("county", "c2", 2, True), ("county", "x", 2, True)]
    assert r.groups == (("city", "市直单位", 1), ("county", "县区", 2))


def test_quota_moves_the_unit_beyond_it(write: Writer) -> None:
    """Five units 96 95 94 85 72 in one group; 优秀 max_share 40 → floor(5×40/100) = 2:
    a, b keep 优秀; c (rank 3) moves to 良好.  良好 max_share 50 → floor(2.5) = 2: the
    良好 holders by rank are c (94), d (85) → both keep it.  e stays 一般."""
    scheme = GROUPED.replace("ranking_groups:\n  - {id: city, name: 市直单位, kinds: [department]}\n"
                             "  - {id: county, name: 县区, kinds: [county], units: [x], "
                             "interview_bottom: 2}\n", "")
    root = grouped(write, {"a": "96", "b": "95", "c": "94", "d": "85", "e": "72"}, {},
                   scheme)
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, u.grade, u.quota_from) for u in r.units] == [
        ("a", "优秀", ""), ("b", "优秀", ""), ("c", "良好", "优秀"), ("d", "良好", ""),
        ("e", "一般", "")]
    q = r.quotas[0]
    assert (q.grade, q.allowed, q.kept, q.moved, q.exceeded) == (
        "优秀", 2, ("a", "b"), (("c", 3),), False)


def test_quota_with_a_tie_across_it_and_the_cascade(write: Writer) -> None:
    """Five units 96, 95, 95, 91, 85; 优秀 quota floor(5×40/100) = 2.  b and c tie at
    rank 2 (positions 2–3): the block starts within the quota → both keep 优秀 (3 > 2,
    exceeded).  d (91) moves to 良好, where the quota is floor(5×50/100) = 2: 良好
    holders by rank d (91, rank 4), e (85, rank 5) → both within 2 → keep."""
    scheme = GROUPED.replace("ranking_groups:\n  - {id: city, name: 市直单位, kinds: [department]}\n"
                             "  - {id: county, name: 县区, kinds: [county], units: [x], "
                             "interview_bottom: 2}\n", "")
    root = grouped(write, {"a": "96", "b": "95", "c": "95", "d": "91", "e": "85"}, {},
                   scheme)
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, u.rank, u.grade) for u in r.units] == [
        ("a", 1, "优秀"), ("b", 2, "优秀"), ("c", 2, "优秀"), ("d", 4, "良好"), ("e", 5, "良好")]
    q = r.quotas[0]
    assert (q.allowed, q.kept, q.moved, q.exceeded) == (2, ("a", "b", "c"), (("d", 4),), True)


def test_quota_cascades_into_the_next_grade(write: Writer) -> None:
    """Four units 95 94 93 92, all 优秀 by score; 优秀 floor(4×40/100) = 1 → a keeps it,
    b c d move to 良好; 良好 floor(4×50/100) = 2 → b c keep 良好, d moves on to 一般."""
    scheme = GROUPED.replace("ranking_groups:\n  - {id: city, name: 市直单位, kinds: [department]}\n"
                             "  - {id: county, name: 县区, kinds: [county], units: [x], "
                             "interview_bottom: 2}\n", "")
    root = grouped(write, {"a": "95", "b": "94", "c": "93", "d": "92"}, {}, scheme)
    r = score_period(load(root), "2021-Q2")
    assert [(u.unit, u.grade) for u in r.units] == [
        ("a", "优秀"), ("b", "良好"), ("c", "良好"), ("d", "一般")]


def test_unit_in_no_group_and_in_two(write: Writer) -> None:
    """d9 has no kind a group takes → LS311 at its line in units.yaml; x is a county
    listed by id too — kind county and units [x] are the same group, fine; y is a
    department listed in county's units → LS312 at the second group."""
    scheme = GROUPED.replace("units: [x]", "units: [x, y]")
    root = grouped(write, {"d1": "95", "x": "80", "y": "70", "d9": "60"},
                   {"d1": "department", "x": "county", "y": "department"}, scheme)
    v = validate(root, date(2030, 1, 1))
    got = [(f.code, f.file, f.line, f.message("en")) for f in v.findings
           if f.code in ("LS311", "LS312")]
    assert got == [
        ("LS312", "scheme.yaml", 12, "unit 单位y is in ranking groups 市直单位 and 县区: a unit "
                                     "belongs to one group"),
        ("LS311", "units.yaml", 5, "unit d9 (单位d9) is assessed but in no ranking group "
                                   "(ranking_groups): add its kind or id to one group")]


# ---- bonuses (加分), provisional deductions (预扣分) -------------------------------------------

BONUS_SCHEME = """id: t
title: 测试考核
components:
  - {id: work, name: 工作, weight: 100}
deductions:
  categories:
    - {id: slack, name: 混日子, min: 2, max: 4}
bonuses:
  cap: 5
  ceiling: 100
  categories:
    - {id: award, name: 上级表彰, min: 1, max: 3}
    - {id: model, name: 经验推广, min: 2, max: 4}
""" + GRADES


def bonus_ledger(write: Writer, tail: str, scores: dict[str, str] | None = None,
                 files: dict[str, str] | None = None) -> Path:
    scores = scores or {"a": "88"}
    rec = "period: 2021-Q2\nscores:\n" + "".join(
        f"  {u}: {{work: {s}}}\n" for u, s in scores.items()) + tail
    return write({"luoshi.yaml": CONFIG, "units.yaml": units_yaml(list(scores)),
                  "scheme.yaml": BONUS_SCHEME, "records/2021-Q2.yaml": rec, **(files or {})})


def test_bonus_over_the_cap(write: Writer) -> None:
    """a: 88 + award 3 + model 4 = 7 → capped at 5 → 93 (优秀), 2 points lost to the cap.
    b: 99 + award 3 → 102 → ceiling 100."""
    tail = ("bonuses:\n  - {unit: a, category: award, date: 2021-04-02, points: 3}\n"
            "  - {unit: a, category: model, date: 2021-05-02, points: 4, reason: 经验推广}\n"
            "  - {unit: b, category: award, date: 2021-05-02, points: 3}\n")
    r = score_period(load(bonus_ledger(write, tail, {"a": "88", "b": "99"})), "2021-Q2")
    a, b = unit(r, "a"), unit(r, "b")
    assert (a.exact, a.grade, a.bonus_total, a.bonus_capped) == (D(93), "优秀", D(7), D(5))
    assert (b.exact, b.ceiled) == (D(100), True)


def test_bonus_after_deductions_before_the_floor(write: Writer) -> None:
    """88 − slack 4 + award 2 = 86 (良好)."""
    tail = ("deductions:\n  - {unit: a, category: slack, date: 2021-04-02, points: 4}\n"
            "bonuses:\n  - {unit: a, category: award, date: 2021-04-03, points: 2}\n")
    a = unit(score_period(load(bonus_ledger(write, tail)), "2021-Q2"), "a")
    assert (a.exact, a.grade) == (D(86), "良好")


def test_provisional_deduction_restored_in_and_after_the_quarter(write: Writer) -> None:
    """Two provisional slack deductions of 3 on a (88): one restored 2021-06-30 (the
    quarter's last day) → given back, ignored; one restored 2021-07-01 (the day after
    the quarter) → still counts in Q2: 88 − 3 = 85."""
    tail = ("deductions:\n"
            "  - {unit: a, category: slack, date: 2021-04-02, points: 3, provisional: true,\n"
            "     restored: {date: 2021-06-30, approved_by: 考核办, reason: 已整改}}\n"
            "  - {unit: a, category: slack, date: 2021-05-02, points: 3, provisional: true,\n"
            "     restored: {date: 2021-07-01, approved_by: 考核办}}\n")
    a = unit(score_period(load(bonus_ledger(write, tail)), "2021-Q2"), "a")
    assert a.exact == D(85)
    assert [(i.date, i.provisional, i.restored) for i in a.incidents] == [
        (date(2021, 5, 2), True, None)]
    assert [(i.date, i.restored) for i in a.restored] == [
        (date(2021, 4, 2), date(2021, 6, 30))]


def test_bonus_and_restored_checks(write: Writer) -> None:
    """award 5 is outside 1–3 (LS413); an unknown bonus category (LS416); a restored
    date before the deduction (LS414); restored without provisional (LS415)."""
    tail = ("deductions:\n"
            "  - {unit: a, category: slack, date: 2021-05-02, points: 3, provisional: true,\n"
            "     restored: {date: 2021-05-01}}\n"
            "  - {unit: a, category: slack, date: 2021-05-03, points: 3,\n"
            "     restored: {date: 2021-05-09}}\n"
            "bonuses:\n  - {unit: a, category: award, date: 2021-04-02, points: 5}\n"
            "  - {unit: a, category: awrd, date: 2021-04-02, points: 1}\n")
    v = validate(bonus_ledger(write, tail), date(2030, 1, 1))
    got = [(f.code, f.line, f.message("en")) for f in v.findings]
    assert got == [
        ("LS414", 6, "单位a: the provisional deduction of 2021-05-02 is restored on 2021-05-01, "
                     "not after it was made: check the dates"),
        ("LS415", 8, "单位a: the deduction of 2021-05-03 has restored but not provisional: true, "
                     "so it is not given back: add provisional: true to a provisional "
                     "deduction"),
        ("LS413", 10, "单位a: bonus 5 is outside the 上级表彰 range 1–3: use the points the "
                      "scheme allows"),
        ("LS416", 11, "a bonus names unknown bonus category awrd (did you mean award?): "
                      "check it against bonuses in scheme.yaml")]


def test_a_return_dated_after_the_as_of_date_is_reported(write: Writer) -> None:
    """A provisional deduction restored 2021-06-30, judged as of 2021-06-20: the return
    has not happened yet, and scoring Q2 would give the points back (restored on or
    before the quarter's end) — LS704 at the restored date; judged as of 2021-06-30,
    nothing."""
    tail = ("deductions:\n"
            "  - {unit: a, category: slack, date: 2021-04-02, points: 3, provisional: true,\n"
            "     restored: {date: 2021-06-30, approved_by: 考核办}}\n")
    root = bonus_ledger(write, tail)
    v = validate(root, date(2021, 6, 20))
    got = [(f.code, f.line, f.message("en")) for f in v.findings if f.code == "LS704"]
    assert got == [("LS704", 6, "the return of 单位a's provisional deduction 2021-06-30 is "
                                "after the as-of date 2021-06-20: nothing can be recorded "
                                "ahead of time; correct the date")]
    assert not [f for f in validate(root, date(2021, 6, 30)).findings if f.code == "LS704"]


def test_annual_bonuses_are_capped_once(write: Writer) -> None:
    """Year: Q1 award 3, Q2 award 3 → 6 over the year, capped once at 5.
    work 80 each quarter → 80 + 5 = 85."""
    files = {"luoshi.yaml": CONFIG, "units.yaml": units_yaml(["a"]),
             "scheme.yaml": BONUS_SCHEME}
    for q in (1, 2, 3, 4):
        files[f"records/2021-Q{q}.yaml"] = f"period: 2021-Q{q}\nscores:\n  a: {{work: 80}}\n"
    files["records/2021-Q1.yaml"] += (
        "bonuses:\n  - {unit: a, category: award, date: 2021-02-01, points: 3}\n")
    files["records/2021-Q2.yaml"] += (
        "bonuses:\n  - {unit: a, category: award, date: 2021-05-01, points: 3}\n")
    a = unit(score_period(load(write(files)), "2021"), "a")
    assert (a.bonus_total, a.bonus_capped, a.exact) == (D(6), D(5), D(85))


# ---- rules v2 -----------------------------------------------------------------------------------

RULES_SCHEME = """id: t
title: 测试考核
components:
  - {id: work, name: 工作, weight: 100}
deductions:
  categories:
    - {id: slack, name: 混日子, min: 2, max: 4}
    - {id: formalism, name: 形式主义, min: 6, max: 8}
bonuses:
  categories:
    - {id: award, name: 上级表彰, min: 1, max: 3}
""" + GRADES + """rules:
  - {id: frequent, when: {deductions_count: {min: 2, in: [slack]}}, downgrade: 1,
     note: 同类问题频发降一档}
  - {id: overdue, when: {overdue_tasks: {min: 1}}, max_grade: 良好, note: 有逾期任务不得评为优秀}
  - {id: praised, when: {bonuses_in: [award]}, min_grade: 良好, note: 受上级表彰至少良好}
  - {id: star, when: {bonuses_in: [award], flag: star}, upgrade: 1}
  - {id: talk, when: {flag: talk}, interview: true, note: 约谈}
"""


def rules_ledger(write: Writer, scores: dict[str, str], tail: str) -> Path:
    rec = "period: 2021-Q2\nscores:\n" + "".join(
        f"  {u}: {{work: {s}}}\n" for u, s in scores.items()) + tail
    tasks = task("T-1", "late", "2021-05-31") + task("T-2", "late", "2021-09-30")
    return write({"luoshi.yaml": CONFIG,
                  "units.yaml": units_yaml(list(dict.fromkeys([*scores, "late"]))),
                  "scheme.yaml": RULES_SCHEME, "tasks/t.yaml": tasks,
                  "records/2021-Q2.yaml": rec})


def test_rules_v2_by_hand(write: Writer) -> None:
    """freq:  95 − slack 2 − slack 2 = 91 → 优秀; two slack incidents → frequent →
           downgrade 1 → 良好 (频发 counts incidents, not points).
    once:  95 − slack 2 = 93 → 优秀; one incident: frequent does not hold.
    late:  95 → 优秀; T-1's milestone due 05-31 not done by 06-30 → overdue 1 → cap 良好.
           (T-2 due in Q3: not overdue.)
    prais: 75 + award 1 = 76 → 一般 → praised: min_grade 良好 → 良好.
    both:  75 + award 1 − slack 2 − slack 2 = 72 → 一般 → min 良好 (reward first) →
           frequent downgrade 1 → 一般: the sanction has the last word.
    starr: 85 + 1 = 86 → 良好; praised (良好, no change); star (award + flag) upgrade 1 → 优秀.
    talk:  99 → 优秀, rank 1, but flag talk → interview: true whatever its rank."""
    tail = """deductions:
  - {unit: freq, category: slack, date: 2021-04-01, points: 2}
  - {unit: freq, category: slack, date: 2021-05-01, points: 2}
  - {unit: once, category: slack, date: 2021-04-01, points: 2}
  - {unit: both, category: slack, date: 2021-04-01, points: 2}
  - {unit: both, category: slack, date: 2021-04-02, points: 2}
bonuses:
  - {unit: prais, category: award, date: 2021-04-01, points: 1}
  - {unit: both, category: award, date: 2021-04-01, points: 1}
  - {unit: starr, category: award, date: 2021-04-01, points: 1}
flags:
  - {unit: starr, kind: star}
  - {unit: talk, kind: talk}
"""
    r = score_period(load(rules_ledger(write, {
        "freq": "95", "once": "95", "late": "95", "prais": "75", "both": "75",
        "starr": "85", "talk": "99"}, tail)), "2021-Q2")
    got = {u.unit: (str(u.score), u.base_grade, u.grade, u.rules_applied, u.interview)
           for u in r.units}
    assert got == {
        "freq": ("91.00", "优秀", "良好", ["frequent"], False),
        "once": ("93.00", "优秀", "优秀", [], False),
        "late": ("95.00", "优秀", "良好", ["overdue"], False),
        "prais": ("76.00", "一般", "良好", ["praised"], False),
        "both": ("72.00", "一般", "一般", ["frequent", "praised"], False),
        "starr": ("86.00", "良好", "优秀", ["praised", "star"], False),
        "talk": ("99.00", "优秀", "优秀", ["talk"], True),
    }
    both = unit(r, "both")
    assert [(s.action, s.before, s.after, s.note) for s in both.rule_steps] == [
        ("min_grade", "一般", "良好", "受上级表彰至少良好"),
        ("downgrade", "良好", "一般", "同类问题频发降一档")]
    assert unit(r, "late").overdue == 1


def test_rules_on_overdue_rectifications(write: Writer) -> None:
    """The supervision loop feeds the rules (SPEC §10 conditions, §12 files): a rule
    `when: {rectifications_overdue: {min: 1}}` caps a unit whose 整改 is still open after
    its due date at the period's end (2021-06-30).
    fix:   95 → 优秀; ZG-1 opened 05-01, due 06-15, not closed → overdue → cap 良好.
    done:  95 → 优秀; ZG-2 due 06-15, closed 06-20 (late, but closed by 06-30) → 优秀.
    edge:  95 → 优秀; ZG-3 due 06-30, open: due on the period's last day is not overdue.
    later: 95 → 优秀; ZG-4 opened 07-01 (after the quarter), due 07-10 → not counted."""
    root = rules_ledger(write, {"fix": "95", "done": "95", "edge": "95", "later": "95"}, "")
    with (root / "scheme.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - {id: rectify, when: {rectifications_overdue: {min: 1}}, max_grade: 良好,\n"
                 "     note: 整改逾期不得评为优秀}\n")
    (root / "supervision").mkdir()
    (root / "supervision" / "2021.yaml").write_text(
        "rectifications:\n"
        "  - {id: ZG-1, unit: fix, opened: 2021-05-01, due: 2021-06-15}\n"
        "  - {id: ZG-2, unit: done, opened: 2021-05-01, due: 2021-06-15,\n"
        "     closed: {date: 2021-06-20, approved_by: wang}}\n"
        "  - {id: ZG-3, unit: edge, opened: 2021-05-01, due: 2021-06-30}\n"
        "  - {id: ZG-4, unit: later, opened: 2021-07-01, due: 2021-07-10}\n",
        encoding="utf-8")
    r = score_period(load(root), "2021-Q2")
    got = {u.unit: (u.base_grade, u.grade, u.rules_applied) for u in r.units
           if u.unit != "late"}
    assert got == {"fix": ("优秀", "良好", ["rectify"]), "done": ("优秀", "优秀", []),
                   "edge": ("优秀", "优秀", []), "later": ("优秀", "优秀", [])}
    assert [(s.action, s.note) for s in unit(r, "fix").rule_steps] == [
        ("max_grade", "整改逾期不得评为优秀")]


def test_rule_order_never_matters(write: Writer) -> None:
    """The same rules written in reverse order give the same grades."""
    tail = ("deductions:\n  - {unit: both, category: slack, date: 2021-04-01, points: 2}\n"
            "  - {unit: both, category: slack, date: 2021-04-02, points: 2}\n"
            "bonuses:\n  - {unit: both, category: award, date: 2021-04-01, points: 1}\n")
    root = rules_ledger(write, {"both": "75"}, tail)
    first = unit(score_period(load(root), "2021-Q2"), "both").grade
    text = (root / "scheme.yaml").read_text(encoding="utf-8")
    head, rules = text.split("rules:\n")
    items = ["  - " + x for x in rules.split("  - ")[1:]]
    (root / "scheme.yaml").write_text(head + "rules:\n" + "".join(reversed(items)),
                                      encoding="utf-8")
    assert unit(score_period(load(root), "2021-Q2"), "both").grade == first == "一般"


def test_rules_v2_references_are_checked(write: Writer) -> None:
    """min_grade naming no grade → LS117; deductions_count.in naming no deduction
    category → LS115; bonuses_in naming no bonus category → LS416."""
    root = rules_ledger(write, {"a": "90"}, "")
    text = (root / "scheme.yaml").read_text(encoding="utf-8")
    text = (text.replace("min_grade: 良好", "min_grade: 良")
            .replace("in: [slack]", "in: [slak]").replace("bonuses_in: [award], flag",
                                                           "bonuses_in: [awrd], flag"))
    (root / "scheme.yaml").write_text(text, encoding="utf-8")
    v = validate(root, date(2030, 1, 1))
    assert [(f.code, f.line) for f in v.findings if f.severity == "error"] == [
        ("LS115", 18), ("LS117", 21), ("LS416", 22)]


# ---- the 碑林-style example ledger ---------------------------------------------------------------

KAOHE = Path(__file__).resolve().parent.parent / "ledgers" / "beilin-2024-kaohe"


def test_beilin_kaohe_example_validates_clean_and_scores_by_hand() -> None:
    """ledgers/beilin-2024-kaohe (CI validates every ledger under ledgers/): no finding.
    fgw: K-01 due 02-29 on time, due 03-31 done 04-02 (after the quarter: not done) →
         timeliness 50; quality 90 → (50×40 + 90×60)/100 = 74; service not applicable →
         (74×60 + 92×30)/90 = 80.
    zhujianju: K-02 5 days late × 5 = 25 → 75 % → (75×40 + 80×60)/100 = 78 →
         (78×60 + 85×30)/90 = 80.333… → 80.33.
    shangwuju 91.87 → 优秀 by score, but 区级部门 has 5 units: floor(5×30/100) = 1 place,
         held by xzspj (94.10) → shangwuju 良好.
    nanyuanmen: bonuses 2 + 2 = 4, capped at 3.  duchashi (assessed: false) is nowhere."""
    v = validate(KAOHE, date(2024, 4, 10))
    assert v.findings == []
    r = score_period(v.loaded.ledger, "2024-Q1")
    got = [(u.group, u.unit, str(u.score), u.grade, u.rank, u.interview) for u in r.units]
    assert got == [
        ("city", "xzspj", "94.10", "优秀", 1, False),
        ("city", "shangwuju", "91.87", "良好", 2, False),
        ("city", "zhujianju", "80.33", "良好", 3, False),
        ("city", "fgw", "80.00", "良好", 4, False),
        ("city", "jiaoyuju", "54.67", "较差", 5, True),
        ("streets", "nanyuanmen", "90.00", "优秀", 1, False),
        ("streets", "baishulin", "85.20", "良好", 2, False),
        ("streets", "changlefang", "84.93", "良好", 3, False),
        ("streets", "zhangjiacun", "81.40", "一般", 4, True),
    ]
    assert unit(r, "nanyuanmen").bonus_capped == D(3)
    assert unit(r, "jiaoyuju").restored[0].restored == date(2024, 3, 28)


# ---- monthly cadence -----------------------------------------------------------------------------

MONTHLY = """id: t
title: 测试考核
components:
  - {id: work, name: 月度工作, weight: 60, cadence: monthly}
  - {id: survey, name: 季度测评, weight: 40}
""" + GRADES + "interview_bottom: 1\n"


def monthly_ledger(write: Writer, months: dict[str, tuple[str, str]]) -> Path:
    files = {"luoshi.yaml": CONFIG.replace("2021", "2024"), "units.yaml": units_yaml(["a", "b"]),
             "scheme.yaml": MONTHLY,
             "records/2024-Q2.yaml": "period: 2024-Q2\nscores:\n  a: {survey: 90}\n"
                                     "  b: {survey: 70}\n"}
    for m, (a, b) in months.items():
        files[f"records/{m}.yaml"] = (f"period: \"{m}\"\nscores:\n  a: {{work: {a}}}\n"
                                      f"  b: {{work: {b}}}\n")
    return write(files)


def test_month_quarter_and_the_monthly_mean(write: Writer) -> None:
    """Month 2024-05: work alone (survey is quarterly) → a 80, b 95; b ranks first.
    Quarter 2024-Q2: work = mean(70, 80, n/a) = 75 for a (n/a in June left out);
    b mean(90, 95, 100) = 95.  a = 60%×75 + 40%×90 = 45 + 36 = 81;
    b = 60%×95 + 40%×70 = 57 + 28 = 85."""
    root = monthly_ledger(write, {"2024-04": ("70", "90"), "2024-05": ("80", "95"),
                                  "2024-06": ("n/a", "100")})
    led = load(root)
    m = score_period(led, "2024-05")
    assert (m.period, [(u.unit, str(u.score), u.rank) for u in m.units]) == (
        "2024-05", [("b", "95.00", 1), ("a", "80.00", 2)])
    q = score_period(led, "2024-Q2")
    assert [(u.unit, str(u.score)) for u in q.units] == [("b", "85.00"), ("a", "81.00")]
    assert unit(q, "a").parts[0].quarters == (
        ("2024-04", D(70)), ("2024-05", D(80)), ("2024-06", None))


def test_a_component_the_period_does_not_assess_is_not_listed_as_not_applicable(
        write: Writer) -> None:
    """An annual component with `applies_to` naming units a, not b: in May and in Q2 it
    is not assessed at all (its cadence), so b's 不适用 list is empty there — it said
    ["year"] — and its part reads 本期不考核, not 不适用; in the year it is b's 不适用.
    Weights work 50, survey 40, year 10.  May: b 95 (work alone).  Q2: the year left
    out, b = (50×95 + 40×70) / 90 = 7550 / 90 = 83.888… → 83.89."""
    root = monthly_ledger(write, {"2024-04": ("70", "90"), "2024-05": ("80", "95"),
                                  "2024-06": ("n/a", "100")})
    (root / "scheme.yaml").write_text(MONTHLY.replace(
        "  - {id: survey, name: 季度测评, weight: 40}\n",
        "  - {id: survey, name: 季度测评, weight: 40}\n"
        "  - {id: year, name: 年度测评, weight: 10, cadence: annual, applies_to: {units: [a]}}\n"
    ).replace("weight: 60", "weight: 50"), encoding="utf-8")
    (root / "records" / "2024.yaml").write_text(
        "period: \"2024\"\nscores:\n  a: {year: 80}\n", encoding="utf-8")
    led = load(root)
    may, q2 = score_period(led, "2024-05"), score_period(led, "2024-Q2")
    assert [(str(unit(r, "b").score), unit(r, "b").not_applicable) for r in (may, q2)] == [
        ("95.00", ()), ("83.89", ())]
    assert [(p.id, p.not_applicable) for p in unit(q2, "b").parts] == [
        ("work", False), ("survey", False), ("year", False)]
    assert unit(score_period(led, "2024", partial=True), "b").not_applicable == ("year",)


def test_a_month_of_task_leaves_ranks_before_the_first_quarter_record(write: Writer) -> None:
    """碑林 (seed 000): a monthly `source: tasks` leaf (timeliness 100) beside a quarterly
    leaf scored in records.  In May, before any quarter's record names a unit, the month
    ranks the units its tasks credit: a (T-1 due 05-31, done 05-30: 100) first, b (T-2
    not done: 0) second; `dcs` (assessed: false) never.  It ranked nobody."""
    scheme = ("id: t\ntitle: 测试考核\ncomponents:\n"
              "  - {id: monthly, name: 月度任务, weight: 60, cadence: monthly, source: tasks,"
              " timeliness: 100, quality: 0}\n"
              "  - {id: survey, name: 季度测评, weight: 40}\n" + GRADES)
    tasks = (task("T-1", "a", "2021-05-31", "2021-05-30") + task("T-2", "b", "2021-05-31")
             + task("T-3", "dcs", "2021-05-31", "2021-05-31"))
    root = write({"luoshi.yaml": CONFIG, "units.yaml": units_yaml(
                      ["a", "b", "dcs"], {"dcs": ", assessed: false"}),
                  "scheme.yaml": scheme, "tasks/t.yaml": tasks,
                  "records/2021-05.yaml": "period: \"2021-05\"\n"})
    may = score_period(load(root), "2021-05")
    assert [(u.unit, str(u.score), u.rank) for u in may.units] == [
        ("a", "100.00", 1), ("b", "0.00", 2)]


def test_an_undated_flag_in_a_month_counts_in_its_quarter_and_year(write: Writer) -> None:
    """An undated veto in the 2024-05 record (rule: downgrade 1) counts in May, in Q2 (May
    lies inside it, as the year takes every record of the year) and in 2024; not in April.
    April: b 90 → 优秀, no rule.  May: b 95 → 优秀 → veto → 良好.
    Q2: b = 60%×mean(90, 95, 100) + 40%×70 = 57 + 28 = 85 → 良好 → veto → 一般
    (it was ignored: 85 良好).  a (no flag): 60%×75 + 40%×90 = 81 → 良好 in Q2.
    The same veto written in the 2024-Q2 record too: two flags the user wrote, each read
    once in Q2 (['veto', 'veto'], as the year reads them) — one downgrade still (a rule
    holds or not), so b stays 一般, not 较差."""
    root = monthly_ledger(write, {"2024-04": ("70", "90"), "2024-05": ("80", "95"),
                                  "2024-06": ("n/a", "100")})
    (root / "scheme.yaml").write_text(
        MONTHLY + "rules:\n  - {id: veto, when: {flag: veto}, downgrade: 1}\n",
        encoding="utf-8")
    may = root / "records" / "2024-05.yaml"
    may.write_text(may.read_text(encoding="utf-8")
                   + "flags:\n  - {unit: b, kind: veto, reason: 5月一票否决}\n",
                   encoding="utf-8")
    led = load(root)
    april, m, q = (score_period(led, p) for p in ("2024-04", "2024-05", "2024-Q2"))
    assert (unit(april, "b").grade, unit(april, "b").rules_applied) == ("优秀", [])
    assert (unit(m, "b").grade, unit(m, "b").rules_applied) == ("良好", ["veto"])
    b = unit(q, "b")
    assert (str(b.score), b.base_grade, b.grade, b.rules_applied) == (
        "85.00", "良好", "一般", ["veto"])
    assert (unit(q, "a").grade, unit(q, "a").rules_applied) == ("良好", [])
    from luoshi_cli.ops.scoring import period_flags
    assert [f.reason for f in period_flags(led, "2024-Q2")["b"]] == ["5月一票否决"]
    quarter = root / "records" / "2024-Q2.yaml"
    quarter.write_text(quarter.read_text(encoding="utf-8")
                       + "flags:\n  - {unit: b, kind: veto, reason: 季度一票否决}\n",
                       encoding="utf-8")
    led = load(root)
    both = ["5月一票否决", "季度一票否决"]  # read in the records' order
    assert [f.reason for f in period_flags(led, "2024-Q2")["b"]] == both
    assert [f.reason for f in period_flags(led, "2024")["b"]] == both
    b = unit(score_period(led, "2024-Q2"), "b")
    assert (b.grade, b.rules_applied) == ("一般", ["veto"])


def test_a_missing_month_needs_partial(write: Writer) -> None:
    """June missing: the quarter is refused, naming it; --partial takes the mean of April
    and May: a = 60%×75 + 36 = 81."""
    import pytest

    from luoshi_cli.ops.scoring import ScoringError
    led = load(monthly_ledger(write, {"2024-04": ("70", "90"), "2024-05": ("80", "95")}))
    with pytest.raises(ScoringError, match="2024-06"):
        score_period(led, "2024-Q2")
    r = score_period(led, "2024-Q2", partial=True)
    assert (str(unit(r, "a").score), r.missing_quarters) == ("81.00", ("2024-06",))
    # the note speaks of the quarter and its months, not of a "partial year"
    from luoshi_cli.report.scores import notes
    assert notes(r, "zh")[0] == "季度得分不完整：缺少 2024-06 的记录，月度指标按已有月份平均。"
    assert notes(r, "en")[0] == ("Partial quarter: no record for 2024-06; monthly components "
                                 "are the mean of the months present.")


def test_a_quarter_bulletin_missing_a_month_advises_its_own_option(
        cli: Any, write: Writer) -> None:
    """`bulletin --quarter` with June's record missing: the advice names the bulletin's
    own `--allow-missing`, which ranks the quarter from the months present, as `score
    --partial` (it named no option: the bulletin could not rank a partial quarter);
    `score` still names its own `--partial`."""
    root = monthly_ledger(write, {"2024-04": ("70", "90"), "2024-05": ("80", "95")})
    b = cli("bulletin", root, "--quarter", "Q2", "--year", "2024")
    assert b.exit_code == 0
    assert b.stderr == ("luoshi: 2024-Q2 缺少 2024-06 的月度考核记录：补齐后再计分，或加 "
                        "--allow-missing 按已有月份计算——通报不含考核排名部分\n")
    en = cli("bulletin", root, "--quarter", "Q2", "--year", "2024", "--lang", "en")
    assert en.stderr == ("luoshi: the monthly records of 2024-06 are missing for 2024-Q2: "
                         "add them, or pass --allow-missing to score from the months present "
                         "— no ranking section\n")
    s = cli("score", root, "--quarter", "Q2", "--year", "2024", "--lang", "en",
            "--as-of", "2024-07-01")
    assert s.exit_code == 1
    assert "add them, or pass --partial to score from the months present" in s.stderr


def test_score_month_on_the_command_line(cli: Any, write: Writer) -> None:
    root = monthly_ledger(write, {"2024-04": ("70", "90"), "2024-05": ("80", "95"),
                                  "2024-06": ("n/a", "100")})
    r = cli("score", root, "--month", "2024-05", "--format", "json", "--as-of", "2024-07-01")
    assert r.exit_code == 0, r.stderr
    import json
    doc = json.loads(r.stdout)
    assert (doc["period"], [u["score"] for u in doc["units"]]) == ("2024-05", [95, 80])
    bad = cli("score", root, "--month", "2024-13", "--as-of", "2024-07-01")
    assert bad.exit_code == 2


def test_score_refuses_a_unit_in_no_group(write: Writer) -> None:
    """Scoring a ledger whose unit d9 is in no ranking group names it (validate gives
    LS311 first, so the CLI never gets here; the API says why)."""
    import pytest

    from luoshi_cli.ops.scoring import ScoringError
    root = grouped(write, {"d1": "95", "d9": "60"}, {"d1": "department"})
    led = validate(root, date(2030, 1, 1)).loaded.ledger
    with pytest.raises(ScoringError) as err:
        score_period(led, "2021-Q2")
    assert err.value.label.en == ("unit d9 is in no ranking group (ranking_groups): "
                                  "add it to one")


def test_a_record_period_inside_a_span() -> None:
    """`core.periods.inside`: the one answer scoring (an undated flag) and the bulletin
    (the records it lists) give to "does this record belong to that period"."""
    from datetime import date

    from luoshi_cli.core.periods import bounds, inside

    q2, h1, year = bounds("2024-Q2"), (date(2024, 1, 1), date(2024, 6, 30)), bounds("2024")
    assert [p for p in ("2024-04", "2024-06", "2024-07", "2024-Q2", "2024-Q1", "2024")
            if inside(p, *q2)] == ["2024-04", "2024-06", "2024-Q2"]
    assert [p for p in ("2024-Q1", "2024-Q2", "2024-Q3", "2024-03", "2024")
            if inside(p, *h1)] == ["2024-Q1", "2024-Q2", "2024-03"]
    assert all(inside(p, *year) for p in ("2024-01", "2024-Q4", "2024"))
    assert not inside("2023-12", *year) and not inside("not a period", *year)


def test_an_unreadable_provisional_is_its_own_finding_only(write: Writer) -> None:
    """`provisional: 是` is LS103; it was also LS415 "add provisional: true", and adding
    it gave LS011 (provisional twice).  The key is written: its own finding suffices."""
    tail = ("deductions:\n"
            "  - {unit: a, category: slack, date: 2021-05-03, points: 3, provisional: 是,\n"
            "     restored: {date: 2021-05-09}}\n")
    v = validate(bonus_ledger(write, tail), date(2030, 1, 1))
    assert [(f.code, f.line, f.col, f.message("zh")) for f in v.findings] == [
        ("LS103", 5, 74, "provisional 应为 true 或 false，实际是文本“是”：请写 true")]


# ---- one fault, one finding: a task that is written but was not read ------------------------

def _beilin_findings(cli: Callable[..., Any], root: Path) -> list[str]:
    """`validate`'s findings on a copy of 碑林 at 2024-04-30 (clean then), from a fresh
    parse and again from the warm cache: the two must agree."""
    outs = []
    for cache in (["--no-cache"], [], []):
        out = cli("validate", root, "--as-of", "2024-04-30", *cache).stdout
        outs.append([line for line in out.splitlines() if " LS" in line])
    assert outs[0] == outs[1] == outs[2]
    return outs[0]


def test_an_id_with_a_slip_is_no_unknown_task_in_the_records(cli: Callable[..., Any],
                                                              tmp_path: Path) -> None:
    """`id: K-01　` (a trailing U+3000): LS104 says to write K-01.  The record's
    `K-01:` was also LS116 "unknown task K-01 (did you mean K-06?)": following both
    moved K-01's quality scores to K-06.  K-01 is written; its id's finding is the one."""
    import shutil

    root = tmp_path / "bl"
    shutil.copytree(KAOHE, root)
    edit(root / "tasks" / "key.yaml", "- id: K-01\n", "- id: K-01\u3000\n")
    assert _beilin_findings(cli, root) == [
        "tasks/key.yaml:1:7: error LS104 id 的值 K-01\u3000 不是合法的标识：只能用半角字母、数字和 "
        "_ . -，以字母或数字开头；请删去末尾的全角空格，写 K-01"]


def test_a_task_file_that_does_not_read_makes_no_unknown_tasks(cli: Callable[..., Any],
                                                               tmp_path: Path) -> None:
    """A syntax error in tasks/key.yaml (LS010) also gave 5 × LS116 "unknown task
    K-0x: correct the id" for the records naming its tasks — ids that are right.
    While a task file does not read, no reference to a task is called unknown (the
    task may be in that file); once it reads, a wrong id is reported again."""
    import shutil

    root = tmp_path / "bl"
    shutil.copytree(KAOHE, root)
    edit(root / "tasks" / "key.yaml", "  title: 重点项目开复工\n", "  title: [重点项目开复工\n")
    assert _beilin_findings(cli, root) == [
        "tasks/key.yaml:2:10: error LS010 YAML 语法错误：方括号“[”没有配对的“]”，或者列表的两项之间"
        "缺少逗号：请检查这一行的方括号"]
    edit(root / "tasks" / "key.yaml", "  title: [重点项目开复工\n", "  title: 重点项目开复工\n")
    edit(root / "records" / "2024-Q1.yaml", "  K-05: 70\n", "  K-07: 70\n")
    assert _beilin_findings(cli, root) == [
        "records/2024-Q1.yaml:12:1: warning LS409 期间 2024-Q1：任务 K-05 没有质量评分"
        "（quality），按 0 分计算",
        "records/2024-Q1.yaml:17:3: error LS116 2024-Q1 质量评分引用了不存在的任务 K-07"
        "（是不是 K-06？）：请改正任务编号"]


def test_a_broken_task_file_hides_only_the_ids_its_text_writes(cli: Callable[..., Any],
                                                               tmp_path: Path) -> None:
    """A syntax error in a second task file (tasks/extra.yaml, writing K-50) hid every
    LS116 of the ledger: a record's quality score for K-99 — an id no file writes — was
    not reported until that file was mended.  Now only the ids the broken file's text
    writes are not called unknown: K-50 may be in it, K-99 is in no file."""
    import shutil

    root = tmp_path / "bl"
    shutil.copytree(KAOHE, root)
    (root / "tasks" / "extra.yaml").write_text(
        '- id: K-50\n  title: "道路改造\n  lead: fgw\n', encoding="utf-8")
    edit(root / "records" / "2024-Q1.yaml", "  K-05: 70\n", "  K-05: 70\n  K-50: 60\n  K-99: 70\n")
    assert _beilin_findings(cli, root) == [
        "records/2024-Q1.yaml:19:3: error LS116 2024-Q1 质量评分引用了不存在的任务 K-99"
        "：请改正任务编号",
        "tasks/extra.yaml:2:10: error LS010 YAML 语法错误：引号没有闭合：这一行的值以引号开头，"
        "却没有在行内结束；请补上结尾的引号，或者去掉开头的引号"]


def test_the_ids_a_broken_task_files_text_writes() -> None:
    """Read from the text alone, generously: block and flow entries, quoted ids,
    the Chinese keys a clerk writes for id, and the id an LS104 slip means."""
    from luoshi_cli.load.parse import written_task_ids

    text = ('- id: K-01\n  title: "x\n-   id:  "K-02"  # 注释\n- {id: K-03, title: y}\n'
            "- 编号: K-04\n- id: 'K-05'\n- id: Ｋ-０6\u3000\nvalid: K-07\n  width: 3\n")
    assert written_task_ids(text) == {"K-01", "K-02", "K-03", "K-04", "K-05", "Ｋ-０6",
                                      "K-06"}
    assert written_task_ids("推进重点项目开工建设\n") == set()
