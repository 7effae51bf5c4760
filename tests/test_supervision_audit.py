"""The supervision loop (SPEC §12) on the 碑林 example (`luoshi init --example beilin`)
with a supervision file: what an audit of 督办闭环 found, one test each — a
rectification without `source:` dropped from the bulletin, 应督办 under `--unit`, a
supervision file with empty lists, LS702 for a rectification closed after the
as-of, a written report after the as-of shown in a past view, names written for ids,
the slips LS705–LS708 warn of, and the wording of empty and odd values."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, edit


@pytest.fixture
def beilin(cli: Callable[..., Run], tmp_path: Path) -> Callable[[str], Path]:
    """beilin("interviews: ...") -> the 碑林 example ledger with that supervision file.
    K-05 (jiaoyuju) is red from 2024-04-01; K-01 is led by fgw with nanyuanmen and
    baishulin as responsible units."""
    made = [0]

    def make(supervision: str) -> Path:
        made[0] += 1
        root = tmp_path / f"beilin{made[0]}"
        r = cli("init", root, "--example", "beilin")
        assert r.exit_code == 0, r.stderr
        (root / "supervision").mkdir()
        (root / "supervision" / "2024.yaml").write_text(supervision, encoding="utf-8")
        return root

    return make


NO_SOURCE = """interviews:
  - {unit: jiaoyuju, date: 2024-04-08, kind: 提醒谈话, by: 区委督查室, reason: 任务亮红灯, tasks: [K-05]}
rectifications:
  - id: ZG-01
    unit: jiaoyuju
    tasks: [K-05]
    opened: 2024-04-08
    due: 2024-04-30
"""


def test_bulletin_names_the_tasks_of_a_rectification_without_source(
        beilin: Callable[[str], Path], cli: Callable[..., Run], tmp_path: Path) -> None:
    """`source:` is optional: a rectification without it was listed as "—" and the
    unit's notice said "整改事项：…" without its task (`A or B if C else []` read as
    `(A or B) if C else []`).  Its task is named in Markdown, HTML, Word and the
    unit's notice."""
    root = beilin(NO_SOURCE)
    row = ("| 1 | 区教育局 | “课后服务全覆盖” | 2024年4月8日 | 2024年4月30日 | 已逾期31天 |\n")
    md = cli("bulletin", root, "--month", "2024-05")
    assert md.exit_code == 0, md.stderr
    assert "| 序号 | 单位 | 整改事项 | 下达日期 | 整改期限 | 状态 |\n|---:|---|---|---|---|---|\n" \
           + row in md.stdout
    unit = cli("bulletin", root, "--month", "2024-05", "--unit", "jiaoyuju")
    assert row in unit.stdout
    assert "\n2. 整改事项（“课后服务全覆盖”）：已逾期31天，须立即整改到位并书面报告。\n" in unit.stdout
    en = cli("bulletin", root, "--month", "2024-05", "--unit", "jiaoyuju", "--lang", "en")
    assert "\n2. Rectification (“课后服务全覆盖”): 31 days overdue; report in " \
           "writing.\n" in en.stdout
    html = cli("bulletin", root, "--month", "2024-05", "--format", "html")
    assert ('<tr><td class="c">1</td><td>区教育局</td><td>“课后服务全覆盖”</td>'
            "<td>2024年4月8日</td><td>2024年4月30日</td><td>已逾期31天</td></tr>") in html.stdout
    from docx import Document

    out = tmp_path / "b.docx"
    assert cli("bulletin", root, "--month", "2024-05", "-o", out).exit_code == 0
    rows = [[c.text for c in r.cells] for t in Document(str(out)).tables for r in t.rows]
    assert ["1", "区教育局", "“课后服务全覆盖”", "2024年4月8日", "2024年4月30日", "已逾期31天"] \
        in rows


def test_one_word_for_overdue_in_every_output(beilin: Callable[[str], Path],
                                             cli: Callable[..., Run]) -> None:
    """One rectification open 31 days after its due date was 已逾期 in `supervise`,
    逾期天数 in `status` and 已超期 in the bulletin's table and the unit's notice
    (English: "days overdue" in the table, "days past its deadline" in the notice).
    Every output says 逾期 / overdue; 超期 is kept for one closed after its due date."""
    root = beilin(NO_SOURCE + """  - {id: ZG-02, unit: jiaoyuju, opened: 2024-04-08, due: 2024-04-30,
     closed: {date: 2024-05-10, approved_by: zhang-changwu}}
""")
    words = {}
    for lang in ("zh", "en"):
        notice = cli("bulletin", root, "--month", "2024-05", "--unit", "jiaoyuju",
                     "--as-of", "2024-05-31", "--lang", lang)
        sup = cli("supervise", root, "--unit", "jiaoyuju", "--as-of", "2024-05-31",
                  "--lang", lang)
        assert notice.exit_code == 0 and sup.exit_code == 0, (notice.stderr, sup.stderr)
        words[lang] = [x for x in notice.stdout.splitlines() + sup.stdout.splitlines()
                       if "ZG-01" in x or "“课后服务全覆盖”" in x or ("—" in x and "2024" in x)]
    zh = "\n".join(words["zh"])
    assert "超期" not in zh.replace("销号（超期10天）", "")
    assert "| 1 | 区教育局 | “课后服务全覆盖” | 2024年4月8日 | 2024年4月30日 | 已逾期31天 |" in zh
    assert "整改事项（“课后服务全覆盖”）：已逾期31天，须立即整改到位并书面报告。" in zh
    assert "| ZG-01 | “课后服务全覆盖” | 2024年4月30日 | — | 已逾期 31 天 |" in zh  # supervise
    assert "| 2 | 区教育局 | — | 2024年4月8日 | 2024年4月30日 | 已于2024年5月10日销号（超期10天） |" \
        in zh
    en = "\n".join(words["en"])
    assert "past its deadline" not in en
    assert "Rectification (“课后服务全覆盖”): 31 days overdue; report in writing." in en
    assert "| 8 April 2024 | 30 April 2024 | 31 days overdue |" in en
    assert "(10 days late)" in en
    assert "| ZG-01 | “课后服务全覆盖” | 30 April 2024 | — | 31 days overdue |" in en  # supervise


def test_bulletin_words_the_source_when_no_task_is_named(
        beilin: Callable[[str], Path], cli: Callable[..., Run]) -> None:
    """The other two branches: no task but a source gives the source's words; neither
    gives "—" (and the notice's sentence without brackets)."""
    root = beilin("""rectifications:
  - {id: ZG-01, unit: jiaoyuju, source: ranking, opened: 2024-04-08, due: 2024-04-30}
  - {id: ZG-02, unit: jiaoyuju, opened: 2024-04-08, due: 2024-06-30}
""")
    md = cli("bulletin", root, "--month", "2024-05", "--unit", "jiaoyuju").stdout
    assert "| 1 | 区教育局 | 考核排名 | 2024年4月8日 | 2024年4月30日 | 已逾期31天 |\n" \
           "| 2 | 区教育局 | — | 2024年4月8日 | 2024年6月30日 | 整改中 |\n" in md
    assert "整改事项（考核排名）：已逾期31天，须立即整改到位并书面报告。\n" in md
    assert "整改事项：须于2024年6月30日前整改到位并书面报告。\n" in md


UNIT_FILTER = """rectifications:
  - {id: ZG-02, unit: jiaoyuju, tasks: [K-05], source: red_light, opened: 2024-04-08, due: 2024-06-29}
  - {id: ZG-03, unit: fgw, tasks: [K-01], source: red_light, opened: 2024-04-18, due: 2024-05-18}
"""


def test_status_unit_sees_the_rectification_of_the_tasks_lead(
        beilin: Callable[[str], Path], cli: Callable[..., Run]) -> None:
    """`status --unit nanyuanmen` holds K-01, which nanyuanmen shares and fgw leads
    (red here: a milestone of 15 April not done): fgw's open ZG-03 names it, so it is
    not 应督办 — the filter picked the covering rectifications from nanyuanmen's own
    (none) and listed K-01."""
    root = beilin(UNIT_FILTER)
    edit(root / "tasks" / "key.yaml", "done: 2024-04-02}\n",
         "done: 2024-04-02}\n    - {due: 2024-04-15, standard: 开工15个}\n")
    red = cli("status", root, "--as-of", "2024-04-25", "-f", "json").stdout
    assert {t["id"]: t["light"] for t in json.loads(red)["tasks"]}["K-01"] == "red"
    args = ("status", root, "--as-of", "2024-04-25", "--unit", "nanyuanmen")
    out = cli(*args).stdout
    assert out[out.index("督办情况"):out.index("未按月报送")] == (
        "督办情况（整改）：无\n\n应督办（红灯任务，牵头单位无在办整改）：无\n\n"
        "应约谈（2024年第一季度排名）：无\n\n")
    assert json.loads(cli(*args, "-f", "json").stdout)["supervision"] == {
        "open": [], "overdue": [], "to_supervise": [],
        "to_interview": {"periods": ["2024-Q1"], "units": [], "unjudged": []}}
    # the unit's own rectifications are still the only ones listed
    fgw = json.loads(cli("status", root, "--as-of", "2024-04-25", "--unit", "fgw", "-f",
                         "json").stdout)["supervision"]
    assert [r["id"] for r in fgw["open"]] == ["ZG-03"] and fgw["to_supervise"] == []


def test_an_empty_supervision_file_keeps_the_loop(
        beilin: Callable[[str], Path], cli: Callable[..., Run]) -> None:
    """`interviews: []` and `rectifications: []`: the office keeps the loop with
    nothing in it yet.  status shows its 督办 section with red K-05 to supervise, JSON
    carries `supervision`, the bulletin its 督办情况 part."""
    root = beilin("interviews: []\nrectifications: []\n")
    out = cli("status", root, "--as-of", "2024-05-31").stdout
    assert out[out.index("督办情况"):out.index("未按月报送")] == (
        "督办情况（整改）：无\n"
        "\n"
        "应督办（红灯任务，牵头单位无在办整改）\n"
        "任务                  牵头单位   逾期节点\n"
        "────────────────────────────────────────────────────────────────────\n"
        "K-05 课后服务全覆盖   区教育局   2024-03-31 覆盖率100%（逾期 61 天）\n"
        "\n"
        # no interview is recorded: the bottom of each Q1 group is owed its 约谈
        "应约谈（2024年第一季度排名）\n"
        "单位         考核期           分组       排名   依据       期末后天数\n"
        "─────────────────────────────────────────────────────────────────────\n"
        "区教育局     2024年第一季度   区级部门      5   排名靠后           61\n"
        "张家村街道   2024年第一季度   街道          4   排名靠后           61\n"
        "\n")
    doc = json.loads(cli("status", root, "--as-of", "2024-05-31", "-f", "json").stdout)
    assert doc["supervision"] == {
        "open": [], "overdue": [],
        "to_supervise": [{"task": "K-05", "lead": "jiaoyuju",
                          "overdue": [{"due": "2024-03-31", "days": 61}]}],
        "to_interview": {"periods": ["2024-Q1"], "unjudged": [], "units": [
            {"unit": "jiaoyuju", "period": "2024-Q1", "rank": 5, "group": "区级部门",
             "by": ["rank"], "rules": [], "since": "2024-03-31", "days": 61},
            {"unit": "zhangjiacun", "period": "2024-Q1", "rank": 4, "group": "街道",
             "by": ["rank"], "rules": [], "since": "2024-03-31", "days": 61}]}}
    md = cli("bulletin", root, "--month", "2024-05").stdout
    assert "\n## 四、督办情况\n\n2024年5月共约谈0次。\n\n## 五、" in md
    assert cli("validate", root, "--as-of", "2024-05-31", "--strict").exit_code == 1  # LS601s
    assert "LS7" not in cli("validate", root, "--as-of", "2024-05-31").stdout


CLOSED_NEXT_YEAR = """rectifications:
  - id: ZG-12
    unit: jiaoyuju
    tasks: [K-05]
    source: red_light
    opened: 2024-12-10
    due: 2024-12-25
    report: {date: 2025-01-05}
    closed: {date: 2025-01-15, approved_by: zhang-changwu, evidence: 整改报告}
"""


def test_ls702_is_not_for_a_rectification_with_its_closing_recorded(
        beilin: Callable[[str], Path], cli: Callable[..., Run]) -> None:
    """Closed on 15 January 2025, the 2024 ledger judged at its default as-of (31
    December 2024): LS702 said "still not closed: record closed" — recorded already —
    and `validate --strict` failed the closed year forever.  The past view of status
    still shows it open and 6 days overdue on 31 December: that is true."""
    root = beilin(CLOSED_NEXT_YEAR)
    r = cli("validate", root, "--as-of", "2024-12-31")
    assert "LS702" not in r.stdout
    out = cli("status", root, "--as-of", "2024-12-31").stdout
    assert out[out.index("督办情况"):out.index("应督办")] == (
        "督办情况（整改）\n"
        "单位       整改    任务   整改期限     逾期天数\n"
        "───────────────────────────────────────────────\n"
        "区教育局   ZG-12   K-05   2024-12-25          6\n"
        "\n")
    # not closed: the to-do stands, in the singular in English
    open_one = CLOSED_NEXT_YEAR.replace(
        "    report: {date: 2025-01-05}\n    closed: {date: 2025-01-15, approved_by: "
        "zhang-changwu, evidence: 整改报告}\n", "")
    r = cli("validate", beilin(open_one), "--as-of", "2024-12-26", "--lang", "en")
    assert ("supervision/2024.yaml:7:10: warning LS702 rectification ZG-12 (区教育局): due "
            "2024-12-25, still open 1 day later: follow it up and record closed, or extend "
            "the deadline with approval\n") in r.stdout


REPORT_LATER = """rectifications:
  - {id: ZG-01, unit: zhujianju, source: ranking, opened: 2024-04-10, due: 2024-04-30, report: {date: 2024-04-29}, closed: {date: 2024-05-10, approved_by: zhang-changwu}}
"""


def test_a_past_view_hides_a_report_written_after_it(
        beilin: Callable[[str], Path], cli: Callable[..., Run]) -> None:
    """As of 20 April the report of 29 April had not come in (as a closing after the
    as-of had not happened): status JSON and the 督办单 leave it out."""
    root = beilin(REPORT_LATER)

    def report(day: str) -> object:
        doc = json.loads(cli("status", root, "--as-of", day, "-f", "json").stdout)
        return doc["supervision"]["open"][0]["report"]

    assert (report("2024-04-20"), report("2024-04-28"), report("2024-04-29")) == (
        None, None, "2024-04-29")
    notice = cli("supervise", root, "--unit", "zhujianju", "--as-of", "2024-04-20",
                 "--lang", "en").stdout
    assert "| ZG-01 | ranking | 30 April 2024 | — | 10 days left |\n" in notice
    notice = cli("supervise", root, "--unit", "zhujianju", "--as-of", "2024-04-29",
                 "--lang", "en").stdout
    assert "| ZG-01 | ranking | 30 April 2024 | 29 April 2024 | 1 day left |\n" in notice
    notice = cli("supervise", root, "--unit", "zhujianju", "--as-of", "2024-05-01",
                 "--lang", "en").stdout
    assert "| ZG-01 | ranking | 30 April 2024 | 29 April 2024 | 1 day overdue |\n" in notice


def test_a_name_written_for_an_id_gets_the_id_to_write(
        beilin: Callable[[str], Path], cli: Callable[..., Run]) -> None:
    """As in task files: "区教育局 is the name of unit jiaoyuju: write jiaoyuju", not
    "add the unit to units.yaml" (a second unit of the same name)."""
    root = beilin("""interviews:
  - {unit: 区教育局, date: 2024-04-08, tasks: [K-05]}
rectifications:
  - {id: ZG-1, unit: 区教育局, tasks: [K-05], opened: 2024-04-08, due: 2024-04-20, closed: {date: 2024-04-20, approved_by: 张某某}}
""")
    r = cli("validate", root, "--as-of", "2024-05-01")
    assert r.stdout == (
        "supervision/2024.yaml:2:12: error LS110 约谈（区教育局，2024-04-08）引用了不存在的单位 "
        "区教育局（区教育局 是单位 jiaoyuju 的名称）：请写 jiaoyuju\n"
        "supervision/2024.yaml:4:22: error LS110 整改 ZG-1 引用了不存在的单位 "
        "区教育局（区教育局 是单位 jiaoyuju 的名称）：请写 jiaoyuju\n"
        "supervision/2024.yaml:4:120: error LS111 整改 ZG-1 引用了不存在的领导 "
        "张某某（张某某 是领导 zhang-changwu 的名称）：请写 zhang-changwu\n")


SLIPS = """rectifications:
  - {id: ZG-1, unit: jiaoyuju, tasks: [K-05], source: red_light, opened: 2024-04-08, due: 2024-04-30, report: {date: 2024-04-28}, closed: {date: 2024-04-10, approved_by: zhang-changwu}}
  - {id: ZG-2, unit: jiaoyuju, tasks: [K-01], source: red_light, opened: 2024-04-08, due: 2024-05-30}
  - {id: ZG-3, unit: nanyuanmen, tasks: [K-01], opened: 2023-12-20, due: 2024-05-30, closed: {date: 2024-05-10, approved_by: zhang-changwu}}
interviews:
  - {unit: jiaoyuju, date: 2023-04-08}
  - {unit: jiaoyuju, date: 2024-04-08, tasks: [K-05, K-05]}
"""


def test_supervision_slips_are_warned_of(beilin: Callable[[str], Path],
                                         cli: Callable[..., Run]) -> None:
    """LS705 closed (10 April) before its written report (28 April); LS706 an
    interview and a rectification opened outside 2024 (a closing or a report in the
    next year is by design: F2 above); LS707 jiaoyuju ordered to rectify K-01, which
    fgw leads with nanyuanmen and baishulin (nanyuanmen's ZG-3 is fine); LS708 K-05
    listed twice."""
    root = beilin(SLIPS)
    r = cli("validate", root, "--as-of", "2024-05-20")
    assert r.exit_code == 0
    assert "".join(line for line in r.stdout.splitlines(keepends=True)
                   if line.startswith("supervision/")) == (
        "supervision/2024.yaml:2:146: warning LS705 整改 ZG-1：销号日期 2024-04-10 早于书面报告日期 "
        "2024-04-28：应先收到书面报告再审批销号，请核对两个日期\n"
        "supervision/2024.yaml:3:40: warning LS707 整改 ZG-2：整改单位 区教育局 不是任务 K-01 的"
        "牵头、责任或配合单位（牵头单位：区发改委）：请核对整改单位和任务编号\n"
        "supervision/2024.yaml:4:57: warning LS706 整改 ZG-3 的立项日期 2023-12-20 不在台账年度 2024 "
        "内：请改正日期，或登记到对应年度的台账\n"
        "supervision/2024.yaml:6:28: warning LS706 约谈（区教育局）的日期 2023-04-08 不在台账年度 "
        "2024 内：请改正日期，或登记到对应年度的台账\n"
        "supervision/2024.yaml:7:54: warning LS708 约谈（区教育局，2024-04-08）的 tasks 中任务 K-05 "
        "重复列出：请删去重复的一项\n")
    en = cli("validate", root, "--as-of", "2024-05-20", "--lang", "en").stdout.splitlines()
    assert [line.split(" ", 1)[1] for line in en if line.startswith("supervision/")] == [
        "warning LS705 rectification ZG-1: closed on 2024-04-10, before its written report of "
        "2024-04-28: a rectification is closed after its report comes in; check both dates",
        "warning LS707 rectification ZG-2: 区教育局 neither leads, shares nor cooperates on "
        "task K-01 (lead: 区发改委): check the unit and the task id",
        "warning LS706 rectification ZG-3: opened 2023-12-20 is outside the ledger year 2024: "
        "correct the date, or record it in that year's ledger",
        "warning LS706 interview (区教育局): the date 2023-04-08 is outside the ledger year "
        "2024: correct the date, or record it in that year's ledger",
        "warning LS708 interview (区教育局, 2024-04-08) lists task K-05 twice under tasks: "
        "remove the repeat"]
    assert cli("validate", root, "--as-of", "2024-05-20", "--strict").exit_code == 1


def test_empty_and_odd_values_are_said_as_written(beilin: Callable[[str], Path],
                                                  cli: Callable[..., Run]) -> None:
    """`unit: ""` named "unknown unit " with nothing after it (and "约谈（，2024-04-08）");
    `due: 1e400` was "值 inf", `closed: {date: null}` "值 None" (a closing without a
    date closes nothing: LS702 stands)."""
    root = beilin("""interviews:
  - {unit: "", date: 2024-04-08}
rectifications:
  - {id: ZG-1, unit: jiaoyuju, opened: 2024-04-08, due: 1e400}
  - {id: ZG-2, unit: jiaoyuju, opened: 2024-04-08, due: 2024-04-30, closed: {date: null}}
""")
    r = cli("validate", root, "--as-of", "2024-05-01")
    assert r.stdout == (
        "supervision/2024.yaml:2:12: error LS110 约谈（2024-04-08）引用了不存在的单位 "
        "（单位代码为空）：请填写单位代码（units.yaml 中的 id）\n"
        "supervision/2024.yaml:4:57: error LS106 due 的值 （超出范围的数，读作无穷大） "
        "不是 YYYY-MM-DD 形式的日期：请写成如 2024-05-31\n"
        "supervision/2024.yaml:5:57: warning LS702 整改 ZG-2（区教育局）：整改期限 2024-04-30 "
        "已过 1 天仍未销号：请督促整改并登记 closed，或经批准延期\n"
        "supervision/2024.yaml:5:84: error LS106 销号记录 date 的值 （空，未填写） "
        "不是 YYYY-MM-DD 形式的日期：请写成如 2024-05-31\n")
    en = cli("validate", root, "--as-of", "2024-05-01", "--lang", "en").stdout.splitlines()
    assert [line.split(" ", 1)[1] for line in en] == [
        "error LS110 interview (2024-04-08) names unknown unit (the unit is empty): write "
        "the unit's id (from units.yaml)",
        "error LS106 due: (a number too large, read as infinity) is not a YYYY-MM-DD date: "
        "write it like 2024-05-31",
        "warning LS702 rectification ZG-2 (区教育局): due 2024-04-30, still open 1 day later: "
        "follow it up and record closed, or extend the deadline with approval",
        "error LS106 closed date: (empty: nothing written) is not a YYYY-MM-DD date: write it "
        "like 2024-05-31"]


def test_one_day_is_singular_in_english(beilin: Callable[[str], Path],
                                        cli: Callable[..., Run]) -> None:
    """"1 days overdue", "due in 1 days": the status lists and the bulletin's yellow
    reasons say one day (the supervision words are tested above)."""
    root = beilin("rectifications: []\n")
    out = cli("status", root, "--as-of", "2024-04-01", "--lang", "en").stdout
    assert "K-05 课后服务全覆盖   区教育局    2024-03-31 覆盖率100% (1 day overdue)\n" in out
    out = cli("status", root, "--as-of", "2024-03-30", "--lang", "en").stdout
    assert "milestone 2024-03-31 覆盖率100%: due in 1 day\n" in out
    md = cli("bulletin", root, "--month", "2024-03", "--as-of", "2024-03-30", "--lang",
             "en").stdout
    assert "milestone “覆盖率100%” due 31 March 2024 (in 1 day); progress 80% is behind" in md
    assert " 1 days" not in out + md
