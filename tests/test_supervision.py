"""The supervision loop (SPEC §12) on a hand-built ledger: rectifications due today,
overdue by one day and closed late; 应督办; exact JSON and table text."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from conftest import Run
from luoshi_cli.api import open_ledger
from luoshi_cli.ops.supervision import rectifications_overdue

CONFIG = "title: 督办台账\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n"
UNITS = """units:
  - {id: zjj, name: 区住建局}
  - {id: fgw, name: 区发改委}
leaders:
  - {id: zhao, name: 赵某某}
"""


def task(tid: str, lead: str, due: str) -> str:
    return f"""- id: {tid}
  title: 任务{tid}
  category: econ
  lead: {lead}
  leaders: [zhao]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {{due: {due}, standard: 节点}}
    - {{due: 2024-12-31, standard: 完成}}
  status: in_progress
  progress: 30
  updates:
    - {{month: "2024-06", progress: 30}}
"""


SUPERVISION = """interviews:
  - {unit: zjj, date: 2024-06-12, kind: 提醒谈话, by: 区委督查室, reason: 两项任务亮红灯, tasks: [BL-007]}
rectifications:
  - id: ZG-01
    unit: zjj
    tasks: [BL-007]
    source: red_light
    opened: 2024-06-12
    due: 2024-06-30
    report: {date: 2024-06-28}
  - id: ZG-02
    unit: zjj
    source: interview
    opened: 2024-06-12
    due: 2024-06-29
  - id: ZG-03
    unit: fgw
    source: ranking
    opened: 2024-05-01
    due: 2024-05-31
    closed: {date: 2024-06-10, approved_by: zhao, evidence: 整改报告}
"""


def _ledger(write: Callable[..., Path]) -> Path:
    # BL-007 (zjj) is red and named by ZG-01; BL-008 (fgw) is red and nobody rectifies it
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("BL-007", "zjj", "2024-06-15") + task("BL-008", "fgw", "2024-06-20"),
                  "supervision/2024.yaml": SUPERVISION})


def test_due_today_overdue_by_one_day_closed_late(write: Callable[..., Path],
                                                  cli: Callable[..., Run]) -> None:
    root = _ledger(write)
    # 30 June: ZG-01 is due today (not overdue), ZG-02 is one day overdue; ZG-03 was
    # closed on 10 June, ten days late: closed is closed, no finding
    run = cli("validate", root, "--as-of", "2024-06-30", "--lang", "en")
    assert run.stdout == (
        "supervision/2024.yaml:15:10: warning LS702 rectification ZG-02 (区住建局): due 2024-06-29, "
        "still open 1 day later: follow it up and record closed, or extend the deadline "
        "with approval\n")
    assert run.exit_code == 0
    assert cli("validate", root, "--as-of", "2024-06-30", "--strict").exit_code == 1
    assert cli("validate", root, "--as-of", "2024-06-29").stdout == ""
    led = open_ledger(root).ledger
    assert [rectifications_overdue(led, u, date(2024, 6, 30)) for u in ("zjj", "fgw")] == [1, 0]
    assert [rectifications_overdue(led, u, date(2024, 7, 1)) for u in ("zjj", "fgw")] == [2, 0]
    # before ZG-03's late closing it was open and overdue
    assert rectifications_overdue(led, "fgw", date(2024, 6, 5)) == 1
    assert rectifications_overdue(led, "fgw", date(2024, 6, 10)) == 0


def test_status_json_supervision(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    run = cli("status", _ledger(write), "--as-of", "2024-06-30", "--format", "json")
    assert json.loads(run.stdout)["supervision"] == {
        "open": [
            {"id": "ZG-02", "unit": "zjj", "tasks": [], "source": "interview",
             "opened": "2024-06-12", "due": "2024-06-29", "report": None, "days_overdue": 1,
             "reason": None, "note": None},
            {"id": "ZG-01", "unit": "zjj", "tasks": ["BL-007"], "source": "red_light",
             "opened": "2024-06-12", "due": "2024-06-30", "report": "2024-06-28",
             "days_overdue": 0, "reason": None, "note": None}],
        "overdue": [
            {"id": "ZG-02", "unit": "zjj", "tasks": [], "source": "interview",
             "opened": "2024-06-12", "due": "2024-06-29", "report": None, "days_overdue": 1,
             "reason": None, "note": None}],
        "to_supervise": [{"task": "BL-008", "lead": "fgw",
                          "overdue": [{"due": "2024-06-20", "days": 10}]}],
    }


def test_status_table_supervision(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    out = cli("status", _ledger(write), "--as-of", "2024-06-30").stdout
    start = out.index("督办情况")
    assert out[start:out.index("未按月报送")] == (
        "督办情况（整改）\n"
        "单位       整改    任务     整改期限     逾期天数\n"
        "─────────────────────────────────────────────────\n"
        "区住建局   ZG-02            2024-06-29          1\n"
        "区住建局   ZG-01   BL-007   2024-06-30\n"
        "\n"
        "应督办（红灯任务，牵头单位无在办整改）\n"
        "任务                牵头单位   逾期节点\n"
        "────────────────────────────────────────────────────────────\n"
        "BL-008 任务BL-008   区发改委   2024-06-20 节点（逾期 10 天）\n"
        "\n")


def test_v1_ledger_has_no_supervision_key(write: Callable[..., Path],
                                          cli: Callable[..., Run]) -> None:
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("BL-007", "zjj", "2024-06-15")})
    doc = json.loads(cli("status", root, "--as-of", "2024-06-30", "--format", "json").stdout)
    assert "supervision" not in doc
    assert "督办情况" not in cli("status", root, "--as-of", "2024-06-30").stdout


NOTICE_EN = """# Supervision notice

To: 区住建局

督办台账 — as of 30 June 2024

## Red-light tasks (milestones overdue)

| Task | Milestone | Due | Days overdue |
|---|---|---|---:|
| BL-007 任务BL-007 | 节点 | 15 June 2024 | 15 |

## Yellow-light tasks (at risk)

none

## Progress reports missing

none

## Open rectifications

| ID | Tasks | Deadline | Written report | State |
|---|---|---|---|---|
| ZG-02 | interview | 29 June 2024 | — | 1 day overdue |
| ZG-01 | “任务BL-007” | 30 June 2024 | 28 June 2024 | due on the as-of date |

## Due next

none

Please rectify promptly and report in writing by the deadlines.

30 June 2024
"""


def test_supervise_notice_md(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    run = cli("supervise", _ledger(write), "--unit", "zjj", "--as-of", "2024-06-30",
              "--lang", "en")
    assert (run.exit_code, run.stdout) == (0, NOTICE_EN)


def test_supervise_due_next_and_zh(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    # on 10 June BL-008's milestone of 20 June is 10 days ahead: due next, and yellow
    # (warn_days 7 does not reach it, so it is only due next)
    run = cli("supervise", _ledger(write), "--unit", "fgw", "--as-of", "2024-06-05")
    assert "## 近期到期节点\n\n| 到期日 | 任务 | 节点 |\n|---|---|---|\n" \
           "| 2024年6月20日 | BL-008 任务BL-008 | 节点 |\n" in run.stdout
    # ZG-03 (fgw) was still open on 5 June, five days after its deadline
    assert "| ZG-03 | 考核排名 | 2024年5月31日 | — | 已逾期 5 天 |\n" in run.stdout
    # ZG-01 is due on the notice's as-of date, which is not today: never 今天
    run = cli("supervise", _ledger(write), "--unit", "zjj", "--as-of", "2024-06-30")
    assert "| ZG-01 | “任务BL-007” | 2024年6月30日 | 2024年6月28日 | 截至当日到期 |\n" in run.stdout
    assert "今天" not in run.stdout


def test_supervise_html_escapes_and_writes(write: Callable[..., Path], cli: Callable[..., Run],
                                           tmp_path: Path) -> None:
    root = _ledger(write)
    t = root / "tasks" / "a.yaml"
    t.write_text(t.read_text(encoding="utf-8").replace("title: 任务BL-007",
                                                      "title: \"<script>x</script>\""),
                 encoding="utf-8")
    out = tmp_path / "notice.html"
    run = cli("supervise", root, "--unit", "zjj", "--as-of", "2024-06-30", "--format", "html",
              "-o", out)
    assert run.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html


def test_supervise_html_prints_a_titles_lines_as_lines(write: Callable[..., Path],
                                                        cli: Callable[..., Run]) -> None:
    """A title written over two lines printed `任务\\nBL-007` (the line break escaped
    visibly, as a terminal needs): a line break in the notice, and no tab as `\\t`."""
    root = _ledger(write)
    t = root / "tasks" / "a.yaml"
    t.write_text(t.read_text(encoding="utf-8").replace("title: 任务BL-007",
                                                      'title: "任务\\n第二行\\t完"'),
                 encoding="utf-8")
    run = cli("supervise", root, "--unit", "zjj", "--as-of", "2024-06-30", "--format", "html")
    assert run.exit_code == 0, run.stderr
    assert "任务<br>第二行 完" in run.stdout and "\\n" not in run.stdout


def test_supervise_html_title_is_one_line(write: Callable[..., Path],
                                          cli: Callable[..., Run]) -> None:
    """A unit's name over two lines reached the page's <title> as `<br>` (shown as text
    in a browser tab): there it is one space; the name stays escaped."""
    root = _ledger(write)
    u = root / "units.yaml"
    u.write_text(u.read_text(encoding="utf-8").replace("name: 区住建局",
                                                      'name: "区住建局\\n<i>二处"'),
                 encoding="utf-8")
    run = cli("supervise", root, "--unit", "zjj", "--as-of", "2024-06-30", "--format", "html")
    assert run.exit_code == 0, run.stderr
    assert "<title>督办单 — 区住建局 &lt;i&gt;二处</title>" in run.stdout


def test_supervise_without_unit_says_a_name_will_do(write: Callable[..., Path],
                                                     cli: Callable[..., Run]) -> None:
    """--unit takes an id or a name (`supervise --unit 区住建局`): the message for a
    missing --unit must not ask for the id alone."""
    run = cli("supervise", _ledger(write), "--as-of", "2024-06-30")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == "luoshi: 请用 --unit 指定督办单发给哪个单位（单位代码或名称均可）\n"
    run = cli("supervise", _ledger(write), "--as-of", "2024-06-30", "--lang", "en")
    assert run.stderr == ("luoshi: name the unit the notice goes to with --unit "
                          "(its id or its name)\n")


def test_supervise_unknown_unit(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    run = cli("supervise", _ledger(write), "--unit", "nobody", "--as-of", "2024-06-30",
              "--lang", "en")
    assert run.exit_code == 2
    assert run.stderr == ("luoshi: --unit nobody: no unit with this id or name in the ledger "
                          "(see units.yaml); known: zjj (区住建局), fgw (区发改委)\n")


def test_supervise_html_on_stdout_is_inert(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Autoescaping makes `<` text, not a control character or a workflow command:
    the HTML notice on stdout (a terminal, a CI log) carries them escaped visibly."""
    import shutil

    from conftest import EXAMPLE

    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    city = root / "tasks" / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace(
        "title: 背街小巷综合整治", 'title: "bad\\x1b[31m\\n::error::x <b>"', 1), encoding="utf-8")
    r = cli("supervise", root, "--unit", "chongyelu", "--as-of", "2021-11-30", "-f", "html")
    assert r.exit_code == 0, r.stderr
    assert "\x1b" not in r.stdout and "::error" not in r.stdout
    # the line break is a <br> on the same line of the page (a document shows lines)
    assert "<td>WN-009 bad\\x1b[31m<br>\\x3a:error\\x3a:x &lt;b&gt;</td>" in r.stdout


def test_unit_notice_says_what_the_unit_must_do(write: Callable[..., Path],
                                                cli: Callable[..., Run]) -> None:
    """一单位一通报 (issue 16): the greeting names the unit, and a section lists its
    red task with the next milestone, its open rectifications with their deadlines
    (one a day overdue: "已逾期1天，须立即整改到位", not the deadline's words after the
    overdue state), never ids; a closed rectification of another unit is absent."""
    root = _ledger(write)
    r = cli("bulletin", root, "--month", "2024-06", "--unit", "zjj")
    assert r.exit_code == 0, r.stderr
    assert "\n区住建局：\n" in r.stdout and "各有关单位" not in r.stdout
    section = r.stdout[r.stdout.index("、需落实事项"):].split("\n\n")[1]
    assert section == (
        "1. “任务BL-007”（红灯）：节点“节点”已逾期15天，须立即完成。\n"
        "2. 整改事项（约谈）：已逾期1天，须立即整改到位并书面报告。\n"
        "3. 整改事项（“任务BL-007”）：须于2024年6月30日前整改到位并书面报告。")
    en = cli("bulletin", root, "--month", "2024-06", "--unit", "zjj", "--lang", "en")
    assert en.exit_code == 0, en.stderr
    assert "\nTo 区住建局:\n" in en.stdout
    assert "2. Rectification (interview): 1 day overdue; report in writing." \
        in en.stdout
    assert "ZG-0" not in r.stdout + en.stdout


ZH_SECTION = """## 四、督办情况

2024年6月共约谈1次（提醒谈话1次），涉及区住建局。

| 序号 | 单位 | 整改事项 | 下达日期 | 整改期限 | 状态 |
|---:|---|---|---|---|---|
| 1 | 区发改委 | 考核排名 | 2024年5月1日 | 2024年5月31日 | 已于2024年6月10日销号（超期10天） |
| 2 | 区住建局 | 约谈 | 2024年6月12日 | 2024年6月29日 | 已逾期1天 |
| 3 | 区住建局 | “任务BL-007” | 2024年6月12日 | 2024年6月30日 | 整改中 |

"""

EN_SECTION = """## 4. Supervision

1 interview held in June 2024 (提醒谈话: 1): 区住建局.

| No. | Unit | Rectification | Opened | Due | State |
|---:|---|---|---|---|---|
| 1 | 区发改委 | ranking | 1 May 2024 | 31 May 2024 | closed 10 June 2024 (10 days late) |
| 2 | 区住建局 | interview | 12 June 2024 | 29 June 2024 | 1 day overdue |
| 3 | 区住建局 | “任务BL-007” | 12 June 2024 | 30 June 2024 | open |

"""

HTML_ROWS = (
    '<tr><td class="c">1</td><td>区发改委</td><td>考核排名</td><td>2024年5月1日</td>'
    "<td>2024年5月31日</td><td>已于2024年6月10日销号（超期10天）</td></tr>\n"
    '<tr><td class="c">2</td><td>区住建局</td><td>约谈</td><td>2024年6月12日</td>'
    "<td>2024年6月29日</td><td>已逾期1天</td></tr>\n"
    '<tr><td class="c">3</td><td>区住建局</td><td>“任务BL-007”</td><td>2024年6月12日</td>'
    "<td>2024年6月30日</td><td>整改中</td></tr>\n")


def test_bulletin_supervision_section(write: Callable[..., Path],
                                      cli: Callable[..., Run]) -> None:
    """督办情况 (issue 15): the period's interviews counted by kind, and every
    rectification open at the period's end or closed in it — closed (ZG-03, closed
    late but in June), a day overdue (ZG-02), due on the last day (ZG-01, open)."""
    root = _ledger(write)
    zh = cli("bulletin", root, "--month", "2024-06")
    assert zh.exit_code == 0, zh.stderr
    assert ZH_SECTION in zh.stdout
    en = cli("bulletin", root, "--month", "2024-06", "--lang", "en")
    assert en.exit_code == 0, en.stderr
    assert EN_SECTION in en.stdout
    html = cli("bulletin", root, "--month", "2024-06", "--format", "html")
    assert html.exit_code == 0, html.stderr
    assert "<h2>四、督办情况</h2>\n<p>2024年6月共约谈1次（提醒谈话1次），涉及区住建局。</p>" \
        in html.stdout
    assert HTML_ROWS in html.stdout
    enh = cli("bulletin", root, "--month", "2024-06", "--lang", "en", "--format", "html")
    assert enh.exit_code == 0, enh.stderr
    assert "<h2>4. Supervision</h2>" in enh.stdout and "<td>1 day overdue</td>" in enh.stdout
    # July: ZG-03 was closed in June, so it is gone; ZG-02 still open, 32 days late
    july = cli("bulletin", root, "--month", "2024-07")
    assert "考核排名" not in july.stdout and "| 已逾期32天 |" in july.stdout
    assert "2024年7月共约谈0次。" in july.stdout
