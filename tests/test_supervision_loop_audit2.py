"""The supervision loop (督查督办, SPEC §12) after a second audit: what the files write
reaches every output (a rectification's reason and note, an interview's note, the
written report's note, the file's note), a duplicate interview is a finding, an
interview-sourced rectification needs an interview, interviews name tasks of their
unit, wording of `--explain` and of the loader's messages, and the order of the 督办
table and of the bulletin's interview sentence.

The ledger: units fgw, zjj, nym, clf in that order in units.yaml (not id order);
T-001 led by fgw, T-002 by zjj, T-005 by nym."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, commit, edit, git

CONFIG = """title: 督办台账
year: 2024
categories:
  - {id: econ, name: 经济}
"""
UNITS = """units:
  - {id: fgw, name: 区发改委}
  - {id: zjj, name: 区住建局}
  - {id: nym, name: 南院门街道}
  - {id: clf, name: 长乐坊街道}
leaders:
  - {id: zhao, name: 赵某某}
"""


def task(tid: str, lead: str) -> str:
    return f"""- id: {tid}
  title: 任务{tid}
  category: econ
  lead: {lead}
  leaders: [zhao]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {{due: 2024-12-31, standard: 完成}}
  status: in_progress
  progress: 50
  updates:
    - {{month: "2024-06", progress: 50}}
"""


SUPERVISION = """note: 2024年督办台账（督查室维护）
interviews:
  - {unit: zjj, date: 2024-04-10, kind: 提醒谈话, by: 区委督查室, reason: 一季度排名后两位, tasks: [T-002], note: 已通报}
  - {unit: nym, date: 2024-04-12, kind: 警示约谈, by: 区政府, reason: 节点任务亮红灯, tasks: [T-005]}
rectifications:
  - id: ZG-03
    unit: nym
    tasks: [T-005]
    source: red_light
    opened: 2024-04-01
    due: 2024-04-30
  - id: ZG-07-R
    unit: zjj
    source: inspection
    reason: ZG-07 复查发现问题反弹，重新整改
    note: 区委督查室跟踪
    opened: 2024-06-15
    due: 2024-07-15
    report: {date: 2024-07-01, note: 报告不完整，需补充}
"""


@pytest.fixture
def ledger(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("T-001", "fgw") + task("T-002", "zjj")
                  + task("T-005", "nym"),
                  "supervision/2024.yaml": SUPERVISION})


# ---- 1. reasons and notes reach the outputs -------------------------------------------


def test_the_model_holds_the_reasons_and_notes(ledger: Path) -> None:
    """parse_supervision read `reason:` and `note:` (schema-valid: `luoshi schema --kind
    supervision` lists them) and dropped them."""
    from luoshi_cli.api import open_ledger

    led = open_ledger(ledger).ledger
    zg = {r.id: r for r in led.rectifications}["ZG-07-R"]
    assert (zg.reason, zg.note, zg.report_note) == (
        "ZG-07 复查发现问题反弹，重新整改", "区委督查室跟踪", "报告不完整，需补充")
    assert [iv.note for iv in led.interviews] == ["已通报", None]
    assert [(f.src.file, f.note) for f in led.supervision_files] == [
        ("supervision/2024.yaml", "2024年督办台账（督查室维护）")]


def test_the_notice_says_why_a_unit_rectifies(ledger: Path, cli: Callable[..., Run]) -> None:
    """The 督办单 of zjj lists ZG-07-R with its reason and note (columns printed because
    a listed rectification writes them); nym's, whose ZG-03 writes neither, keeps the
    table it had.  ZG-07-R on 20 July: due 15 July, 5 days overdue; the report of 1 July
    had come in."""
    r = cli("supervise", ledger, "--unit", "zjj", "--as-of", "2024-07-20")
    assert r.exit_code == 0, r.stderr
    assert ("| 编号 | 涉及任务 | 整改原因 | 整改期限 | 书面报告 | 状态 | 备注 |\n"
            "|---|---|---|---|---|---|---|\n"
            "| ZG-07-R | 督查检查 | ZG-07 复查发现问题反弹，重新整改 | 2024年7月15日 | 2024年7月1日 | "
            "已逾期 5 天 | 区委督查室跟踪 |\n") in r.stdout
    en = cli("supervise", ledger, "--unit", "zjj", "--as-of", "2024-07-20", "--lang", "en")
    assert "| ID | Tasks | Reason | Deadline | Written report | State | Note |\n" in en.stdout
    html = cli("supervise", ledger, "--unit", "zjj", "--as-of", "2024-07-20", "-f", "html")
    assert ("<td>ZG-07-R</td><td>督查检查</td><td>ZG-07 复查发现问题反弹，重新整改</td>"
            "<td>2024年7月15日</td>") in html.stdout
    assert "<td>区委督查室跟踪</td></tr>" in html.stdout
    nym = cli("supervise", ledger, "--unit", "nym", "--as-of", "2024-07-20").stdout
    assert ("| 编号 | 涉及任务 | 整改期限 | 书面报告 | 状态 |\n|---|---|---|---|---|\n"
            "| ZG-03 | “任务T-005” | 2024年4月30日 | — | 已逾期 81 天 |\n") in nym


def test_status_json_carries_reason_and_note(ledger: Path, cli: Callable[..., Run]) -> None:
    doc = json.loads(cli("status", ledger, "--as-of", "2024-07-20", "-f", "json").stdout)
    got = {r["id"]: (r["reason"], r["note"]) for r in doc["supervision"]["open"]}
    assert got == {"ZG-03": (None, None),
                   "ZG-07-R": ("ZG-07 复查发现问题反弹，重新整改", "区委督查室跟踪")}


def test_diff_reports_a_changed_reason_and_note(ledger: Path, cli: Callable[..., Run]) -> None:
    """Reason, note and the report's note edited: three changes of ZG-07-R; an
    interview's note edited: the interview changed (paired by unit and date)."""
    git(ledger, "init", "-q", "-b", "main")
    commit(ledger, "v1")
    path = ledger / "supervision" / "2024.yaml"
    edit(path, "reason: ZG-07 复查发现问题反弹，重新整改", "reason: 复查发现问题反弹")
    edit(path, "note: 区委督查室跟踪", "note: 区政府督查室跟踪")
    edit(path, "note: 报告不完整，需补充}", "note: 已补充}")
    edit(path, "note: 已通报}", "note: 已通报并约谈}")
    r = cli("diff", "HEAD", ledger, "--as-of", "2024-07-20")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "台账变更 HEAD → 工作区（截至 2024-07-20）\n"
        "任务：新增 0 项，删除 0 项，销号 0 项，变化 0 项\n"
        "督办：约谈 新增 0 次，删除 0 次，变化 1 次；整改 新增 0 项，删除 0 项，变化 1 项\n"
        "  ~ 约谈 区住建局 2024-04-10 提醒谈话\n"
        "      备注：已通报 → 已通报并约谈\n"
        "  ~ 整改 ZG-07-R（区住建局，整改期限 2024-07-15）\n"
        "      整改原因：ZG-07 复查发现问题反弹，重新整改 → 复查发现问题反弹\n"
        "      备注：区委督查室跟踪 → 区政府督查室跟踪\n"
        "      书面报告备注：报告不完整，需补充 → 已补充\n")
    doc = json.loads(cli("diff", "HEAD", ledger, "--as-of", "2024-07-20", "-f", "json").stdout)
    [changed] = doc["supervision"]["rectifications"]["changed"]
    assert changed["fields"] == {
        "reason": {"before": "ZG-07 复查发现问题反弹，重新整改", "after": "复查发现问题反弹"},
        "note": {"before": "区委督查室跟踪", "after": "区政府督查室跟踪"},
        "report_note": {"before": "报告不完整，需补充", "after": "已补充"}}
    en = cli("diff", "HEAD", ledger, "--as-of", "2024-07-20", "--lang", "en").stdout
    assert "      reason ZG-07 复查发现问题反弹，重新整改 → 复查发现问题反弹\n" in en
    assert "      report note 报告不完整，需补充 → 已补充\n" in en


def test_a_closing_written_as_a_date_is_not_also_still_open(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """`closed: 2024-04-30` is a closing written in the wrong form: its LS103 says so.
    LS702 beside it ("still open … record closed") sent the clerk the wrong way.  A
    closed block without a date (`closed: {date: null}`) still gets LS702: it closes
    nothing (test_supervision_audit)."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("T-001", "fgw"),
                  "supervision/2024.yaml": """rectifications:
  - id: ZG-01
    unit: clf
    source: ranking
    opened: 2024-04-10
    due: 2024-04-30
    closed: 2024-04-30
"""})
    r = cli("validate", root, "--as-of", "2024-12-31")
    assert [line.split(" ")[:3] for line in r.stdout.splitlines()
            if line.startswith("supervision/")] == [
        ["supervision/2024.yaml:7:13:", "error", "LS103"]]


# ---- 2. and 3. duplicate interviews, interviews behind rectifications, LS707 ------------


def test_an_interview_written_twice_is_a_warning_naming_the_first(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """nym's 警示约谈 of 12 April pasted again into a second file: the bulletin counted
    3 talks where 2 happened and `validate --strict` passed.  LS709 at the repeat's
    date, naming the first (same unit, day and kind); a 提醒谈话 of nym the same day is
    another talk, not a repeat."""
    (ledger / "supervision" / "2024-q2.yaml").write_text(
        "interviews:\n"
        "  - {unit: nym, date: 2024-04-12, kind: 提醒谈话}\n"
        "  - {unit: nym, date: 2024-04-12, kind: 警示约谈, by: 区政府}\n", encoding="utf-8")
    r = cli("validate", ledger, "--as-of", "2024-06-30", "--strict")
    assert r.exit_code == 1
    assert r.stdout.splitlines()[0] == (
        "supervision/2024.yaml:4:23: warning LS709 约谈（南院门街道，2024-04-12，警示约谈）重复登记"
        "（第一次登记于 supervision/2024-q2.yaml:3）：同一单位同一天的同类约谈是一次约谈（约谈人、"
        "事由或任务不同的除外），重复的一条会在通报中多计一次，请删去")
    assert [line.split(" ")[2] for line in r.stdout.splitlines()] == [
        "LS709", "LS702", "LS704"]  # ZG-03 overdue; ZG-07-R's report of 1 July
    en = cli("validate", ledger, "--as-of", "2024-06-30", "--lang", "en").stdout
    assert en.splitlines()[0] == (
        "supervision/2024.yaml:4:23: warning LS709 interview (南院门街道, 2024-04-12, 警示约谈) "
        "is recorded twice (first at supervision/2024-q2.yaml:3): one talk with a unit on one "
        "day is one interview (unless another interviewer, matter or task is named), and the "
        "repeat counts again in the bulletin; remove it")
    # the same day and kind by another interviewer, or on another matter: another talk
    (ledger / "supervision" / "2024-q2.yaml").write_text(
        "interviews:\n"
        "  - {unit: nym, date: 2024-04-12, kind: 警示约谈, by: 区纪委, reason: 事项一}\n"
        "  - {unit: nym, date: 2024-04-12, kind: 警示约谈, by: 区纪委, reason: 另一事项}\n",
        encoding="utf-8")
    r = cli("validate", ledger, "--as-of", "2024-06-30")
    assert "LS709" not in r.stdout


def test_a_rectification_from_an_interview_needs_the_interview(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """`source: interview` with no interview of clf on or before the day it was opened
    (clf's interview of 12 April is after ZG-10's 10 April): LS710 at `source`.  ZG-11
    opened on the interview's day and zjj's ZG-12 (interviewed in March) are fine."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("T-001", "fgw"),
                  "supervision/2024.yaml": """interviews:
  - {unit: clf, date: 2024-04-12}
  - {unit: zjj, date: 2024-03-01}
rectifications:
  - {id: ZG-10, unit: clf, source: interview, opened: 2024-04-10, due: 2024-12-30}
  - {id: ZG-11, unit: clf, source: interview, opened: 2024-04-12, due: 2024-12-30}
  - {id: ZG-12, unit: zjj, source: interview, opened: 2024-04-12, due: 2024-12-30}
  - {id: ZG-13, unit: fgw, source: interview, opened: 2024-01-08, due: 2024-12-30}
"""})
    # ZG-13, opened in January, may follow a December talk: last year's ledger holds it
    # (written here it would be LS706), so it is no finding
    r = cli("validate", root, "--as-of", "2024-06-30", "--lang", "en")
    assert r.stdout == (
        "supervision/2024.yaml:5:36: warning LS710 rectification ZG-10: its source is an "
        "interview, but the ledger records no interview of 长乐坊街道 on or before 2024-04-10: "
        "record the interview under interviews, or correct source\n")


def test_an_interview_naming_its_unit_by_name_is_recorded(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """`unit: 长乐坊街道` (the unit's name, LS110: write clf) on the interview of 10 April:
    ZG-10 (source: interview, opened the 12th) was also LS710 "record the interview
    under interviews" — registering it again would write the talk twice.  The talk
    counts for the unit LS110's fix names.  One naming no unit (`zzz`, no fix to name
    one) counts for none: it stood for every unit's talk, and zjj's rectification of
    12 May lost its LS710 although zjj was never interviewed (the review of this
    change).  A rectification opened before either talk still is LS710."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("T-001", "fgw"),
                  "supervision/2024.yaml": """interviews:
  - {unit: 长乐坊街道, date: 2024-04-10}
  - {unit: zzz, date: 2024-05-10}
rectifications:
  - {id: ZG-10, unit: clf, source: interview, opened: 2024-04-12, due: 2024-12-30}
  - {id: ZG-11, unit: clf, source: interview, opened: 2024-04-08, due: 2024-12-30}
  - {id: ZG-12, unit: zjj, source: interview, opened: 2024-04-12, due: 2024-12-30}
  - {id: ZG-13, unit: zjj, source: interview, opened: 2024-05-12, due: 2024-12-30}
"""})
    r = cli("validate", root, "--as-of", "2024-06-30")
    assert r.stdout.splitlines() == [
        "supervision/2024.yaml:2:12: error LS110 约谈（长乐坊街道，2024-04-10）引用了不存在的单位 "
        "长乐坊街道（长乐坊街道 是单位 clf 的名称）：请写 clf",
        "supervision/2024.yaml:3:12: error LS110 约谈（zzz，2024-05-10）引用了不存在的单位 zzz："
        "请在 units.yaml 中添加该单位，或改正拼写",
        "supervision/2024.yaml:6:36: warning LS710 整改 ZG-11：来源为约谈（source: interview），"
        "但台账中没有 长乐坊街道 在 2024-04-08 或之前的约谈：请在 interviews 中登记该次约谈，"
        "或改正 source",
        "supervision/2024.yaml:7:36: warning LS710 整改 ZG-12：来源为约谈（source: interview），"
        "但台账中没有 区住建局 在 2024-04-12 或之前的约谈：请在 interviews 中登记该次约谈，"
        "或改正 source",
        "supervision/2024.yaml:8:36: warning LS710 整改 ZG-13：来源为约谈（source: interview），"
        "但台账中没有 区住建局 在 2024-05-12 或之前的约谈：请在 interviews 中登记该次约谈，"
        "或改正 source"]


def test_an_interview_about_another_units_task(write: Callable[..., Path],
                                               cli: Callable[..., Run]) -> None:
    """LS707 (a rectification naming a task its unit has no part in) now applies to
    interviews: clf was interviewed about T-001, led by fgw, in which clf has no part."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("T-001", "fgw"),
                  "supervision/2024.yaml": """interviews:
  - {unit: clf, date: 2024-04-10, kind: 提醒谈话, tasks: [T-001]}
  - {unit: fgw, date: 2024-04-10, kind: 提醒谈话, tasks: [T-001]}
"""})
    r = cli("validate", root, "--as-of", "2024-06-30")
    assert r.stdout == (
        "supervision/2024.yaml:2:55: warning LS707 约谈（2024-04-10，提醒谈话）：约谈单位 长乐坊街道 "
        "不是任务 T-001 的牵头、责任或配合单位（牵头单位：区发改委）：请核对约谈单位和任务编号\n")
    en = cli("validate", root, "--as-of", "2024-06-30", "--lang", "en").stdout
    assert en == (
        "supervision/2024.yaml:2:55: warning LS707 interview (2024-04-10, 提醒谈话): 长乐坊街道 "
        "neither leads, shares nor cooperates on task T-001 (lead: 区发改委): check the unit "
        "and the task id\n")


# ---- 4. wording ------------------------------------------------------------------------

SCHEME = """id: sup-2024
title: 考核办法
cadence: quarterly
components:
  - {id: inspection, name: 督导检查评议, weight: 100}
grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 70}
  - {name: 较差, min: 0}
rules:
  - {id: fix-overdue, when: {rectifications_overdue: {min: 1}}, downgrade: 1, note: 整改逾期未销号的降一档}
  - {id: fix-late, when: {rectifications_closed_late: {min: 1}}, max_grade: 良好, note: 整改超期完成的不评优秀}
"""


def test_explain_words_what_the_unit_had_and_what_the_cap_is(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """`rectifications_overdue` was worded with the rule's threshold (逾期未完成整改1项及以上)
    where every other condition gives the unit's count: nym had 1 overdue at Q2's end,
    ZG-03 (due 30 April, never closed).  A cap that did not move the grade said
    "等次封顶：一般（等次不变）", as if the cap were 一般: fgw's ZG-05 was closed on 5 July,
    after its 30 June deadline (整改超期完成1项 in Q3), and its 75.00 is 一般, below the cap
    良好."""
    (ledger / "scheme.yaml").write_text(SCHEME, encoding="utf-8")
    (ledger / "records").mkdir()
    for q in ("Q2", "Q3"):
        (ledger / "records" / f"2024-{q}.yaml").write_text(
            f"period: 2024-{q}\nscores:\n  fgw: {{inspection: 75}}\n  zjj: {{inspection: 95}}\n"
            "  nym: {inspection: 77.4}\n  clf: {inspection: 85}\n", encoding="utf-8")
    with (ledger / "supervision" / "2024.yaml").open("a", encoding="utf-8") as f:
        f.write("  - {id: ZG-05, unit: fgw, opened: 2024-06-01, due: 2024-06-30,\n"
                "     closed: {date: 2024-07-05, approved_by: zhao}}\n")
    r = cli("score", ledger, "--quarter", "Q2", "--explain", "nym")
    assert r.exit_code == 0, r.stderr
    assert ("规则“整改逾期未销号的降一档”（逾期未完成整改1项：ZG-03）降档：一般 → 较差\n"
            "最终等次：较差\n") in r.stdout
    en = cli("score", ledger, "--quarter", "Q2", "--explain", "nym", "--lang", "en").stdout
    assert ("rule “整改逾期未销号的降一档” (1 rectification overdue: ZG-03) downgrades: "
            "一般 → 较差\n") in en
    r = cli("score", ledger, "--quarter", "Q3", "--explain", "fgw")
    assert ("规则“整改超期完成的不评优秀”（整改超期完成1项）等次封顶（良好）：一般，未超过封顶，等次不变\n"
            "最终等次：一般\n") in r.stdout
    en = cli("score", ledger, "--quarter", "Q3", "--explain", "fgw", "--lang", "en").stdout
    assert ("rule “整改超期完成的不评优秀” (1 rectification closed after the deadline) caps "
            "the grade at 良好: 一般 is within the cap (no change)\n") in en
    # a bulletin words a rule without a note by its conditions: the count too (the ids
    # are for the office's --explain, never in what the units read)
    edit(ledger / "scheme.yaml", ", note: 整改逾期未销号的降一档", "")
    b = cli("bulletin", ledger, "--quarter", "Q2", "--as-of", "2024-07-20")
    assert b.exit_code == 0, b.stderr
    assert ("| 3 | 南院门街道 | 0.00 | 77.40 | 较差 | 逾期未完成整改1项，降一档；等次由一般调整为较差 |\n"
            ) in b.stdout


def test_a_dated_block_written_as_its_date_says_the_form_to_write(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """`closed: 2024-04-30`, `report: 2024-04-28` and an empty `interviews:` said only
    "请改正": the message now shows the form, with the date written; and no "still
    open, record closed" (LS702) beside the closing's."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("T-001", "fgw"),
                  "supervision/2024.yaml": """interviews:
rectifications:
  - id: ZG-01
    unit: clf
    source: ranking
    opened: 2024-04-10
    due: 2024-04-30
    report: 2024-04-28
    closed: 2024-04-30
"""})
    r = cli("validate", root, "--as-of", "2024-06-30")
    assert r.stdout == (
        "supervision/2024.yaml:1:12: error LS103 interviews 应为列表（如 [a, b]），实际是空值："
        "请在其下逐项写出（每项以“- ”开头）；暂无内容时写 interviews: []\n"
        "supervision/2024.yaml:8:13: error LS103 report 应为映射（键: 值），实际是日期 2024-04-28："
        "请写成 report: {date: 2024-04-28}\n"
        "supervision/2024.yaml:9:13: error LS103 closed 应为映射（键: 值），实际是日期 2024-04-30："
        "请写成 closed: {date: 2024-04-30, approved_by: 审批领导的标识}\n")
    en = cli("validate", root, "--as-of", "2024-06-30", "--lang", "en").stdout
    assert en.splitlines()[2] == (
        "supervision/2024.yaml:9:13: error LS103 closed should be a mapping (key: value), not "
        "the date 2024-04-30: write it as closed: {date: 2024-04-30, approved_by: LEADER-ID}")


def test_an_unknown_unit_of_an_interview_reads_without_a_stray_space(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """"约谈（nosuch，2024-04-10） 引用了…": the space belongs after a rectification's id
    (整改 ZG-4 引用了…), not after a closing bracket."""
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("T-001", "fgw"),
                  "supervision/2024.yaml": """interviews:
  - {unit: nosuch, date: 2024-04-10, kind: 提醒谈话}
rectifications:
  - {id: ZG-4, unit: nosuch, opened: 2024-04-10, due: 2024-12-30}
"""})
    r = cli("validate", root, "--as-of", "2024-06-30")
    assert [line.split(" error LS110 ")[1].split("：")[0] for line in r.stdout.splitlines()
            if " LS110 " in line] == [
        "约谈（nosuch，2024-04-10）引用了不存在的单位 nosuch",
        "整改 ZG-4 引用了不存在的单位 nosuch"]


# ---- 5. order --------------------------------------------------------------------------


def test_the_supervision_table_follows_units_yaml(ledger: Path, cli: Callable[..., Run]) -> None:
    """The 督办 table of `status` was sorted by unit id (nym before zjj) where every
    other table follows units.yaml (fgw, zjj, nym, clf): zjj's ZG-07-R comes first."""
    r = cli("status", ledger, "--as-of", "2024-07-20")
    section = r.stdout.split("督办情况（整改）\n")[1].split("\n\n")[0]
    assert [line.split()[:2] for line in section.splitlines()[2:]] == [
        ["区住建局", "ZG-07-R"], ["南院门街道", "ZG-03"]]


def test_the_bulletin_names_the_units_talked_to_by_date(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """"涉及…" followed the lines of the file: clf's talk of 1 April, written last, was
    named last.  By the date of each unit's first talk in the period, units.yaml's order
    within a day (fgw before nym on 12 April)."""
    edit(ledger / "supervision" / "2024.yaml", "rectifications:\n",
         "  - {unit: clf, date: 2024-04-01, kind: 提醒谈话}\n"
         "  - {unit: fgw, date: 2024-04-12, kind: 提醒谈话}\n"
         "  - {unit: zjj, date: 2024-05-10, kind: 提醒谈话}\n"
         "rectifications:\n")
    r = cli("bulletin", ledger, "--quarter", "Q2", "--as-of", "2024-07-20")
    assert r.exit_code == 0, r.stderr
    assert ("2024年第二季度共约谈5次（提醒谈话4次、警示约谈1次），"
            "涉及长乐坊街道、区住建局、区发改委、南院门街道。\n") in r.stdout
