"""The bulletin's words for the scheme's rules and interviews (SPEC §10, audit B #2,
#3, #5, #6), exact text in md and html, zh and en: a rule without a `note` is worded
from every condition and action it has; a unit a rule's `interview: true` marks is
never called one of the bottom N; a year's veto quotes its reason from whichever
record holds it; an annual bulletin of a partial year names the option it has."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run

Writer = Callable[..., Path]

CONFIG = """title: 测试台账
issuer: 测试办
year: 2024
categories:
  - {id: c1, name: 类一}
"""
UNITS = """units:
  - {id: ua, name: 甲单位}
  - {id: ub, name: 乙单位}
  - {id: uc, name: 丙单位}
  - {id: ud, name: 丁单位}
leaders:
  - {id: ld, name: 王某}
"""
# T-3 (丁单位): due 06-15, done 07-03 — overdue at Q2's end
TASKS = """- id: T-3
  title: 任务三
  category: c1
  lead: ud
  leaders: [ld]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {due: 2024-06-15, standard: m1, done: 2024-07-03}
    - {due: 2024-12-31, standard: m2}
  status: in_progress
  progress: 50
"""
GRADES = """grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 70}
  - {name: 较差, min: 0}
"""
SCHEME = """id: s1
title: 测试办法
components:
  - {id: a, name: 甲项, weight: 60}
  - {id: b, name: 乙项, weight: 40}
deductions:
  categories:
    - {id: slack, name: 混日子, min: 1, max: 5}
bonuses:
  cap: 3
  categories:
    - {id: award, name: 获奖, min: 1, max: 3}
""" + GRADES + """rules:
  - {id: r-up, when: {flag: up}, upgrade: 1}
  - {id: r-min, when: {flag: star}, min_grade: 良好}
  - {id: r-cap, when: {flag: cap}, max_grade: 良好}
  - {id: r-iv, when: {flag: talk}, interview: true}
  - {id: r-od, when: {overdue_tasks: {min: 1}}, downgrade: 1}
  - {id: r-cnt, when: {deductions_count: {min: 2, in: [slack]}}, downgrade: 1}
  - {id: r-bon, when: {bonuses_in: [award]}, min_grade: 优秀}
interview_bottom: 1
"""
Q2 = """period: 2024-Q2
scores:
  ua: {a: 75, b: 75}
  ub: {a: 95, b: 95}
  uc: {a: 85, b: 85}
  ud: {a: 88, b: 88}
deductions:
  - {unit: ub, category: slack, date: 2024-05-01, points: 1, reason: d1}
  - {unit: ub, category: slack, date: 2024-05-02, points: 1, reason: d2}
bonuses:
  - {unit: uc, category: award, date: 2024-06-02, points: 1, reason: b1}
flags:
  - {unit: ua, kind: star, reason: s1}
  - {unit: ua, kind: up, reason: s2}
  - {unit: ub, kind: cap, reason: s3}
  - {unit: uc, kind: talk, reason: s4}
"""


def rules_ledger(write: Writer) -> Path:
    """By hand (60 : 40, so each unit's score is its one number):
    乙单位 95 − 2 = 93 优秀 → r-cap 良好 → r-cnt (混日子 twice) 一般; rank 1.
    丁单位 88 良好 → r-od (T-3 overdue) 一般; rank 2.
    丙单位 85 + 1 = 86 良好 → r-bon (获奖) 优秀; r-iv marks it; rank 3.
    甲单位 75 一般 → r-min 良好 → r-up 优秀; rank 4: the bottom 1."""
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/t.yaml": TASKS,
                  "scheme.yaml": SCHEME, "records/2024-Q2.yaml": Q2})


def test_rules_without_a_note_are_worded_from_their_conditions_and_actions(
        write: Writer, cli: Callable[..., Run]) -> None:
    """`upgrade` is 升一档 (not 降0档), `interview: true` is 予以约谈 (not 降0档),
    `overdue_tasks`, `deductions_count` and `bonuses_in` are named (not an empty cause
    and a leading "，")."""
    root = rules_ledger(write)
    zh = cli("bulletin", root, "--quarter", "Q2")
    assert zh.exit_code == 0, zh.stderr
    assert """| 1 | 乙单位 | 95.00 | 95.00 | 2.00 | 93.00 | 一般 | cap（s3），等次不高于良好；“混日子”问题扣分2次，降一档；等次由优秀调整为一般 |
| 2 | 丁单位 | 88.00 | 88.00 | 0.00 | 88.00 | 一般 | 牵头任务逾期节点1个，降一档；等次由良好调整为一般 |
| 3 | 丙单位 | 85.00 | 85.00 | 0.00 | 86.00 | 优秀 | 约谈；获得“获奖”加分，等次不低于优秀；talk（s4），予以约谈；加分1.00分；等次由良好调整为优秀 |
| 4 | 甲单位 | 75.00 | 75.00 | 0.00 | 75.00 | 优秀 | 约谈；star（s1），等次不低于良好；up（s2），升一档；等次由一般调整为优秀 |
""" in zh.stdout
    en = cli("bulletin", root, "--quarter", "Q2", "--lang", "en")
    assert en.exit_code == 0, en.stderr
    assert """| 1 | 乙单位 | 95.00 | 95.00 | 2.00 | 93.00 | 一般 | cap (s3): grade at best 良好; 2 deductions for “混日子”: 1 grade down; grade 优秀 → 一般 |
| 2 | 丁单位 | 88.00 | 88.00 | 0.00 | 88.00 | 一般 | 1 overdue milestone on tasks it leads: 1 grade down; grade 良好 → 一般 |
| 3 | 丙单位 | 85.00 | 85.00 | 0.00 | 86.00 | 优秀 | interview; a bonus for “获奖”: grade at least 优秀; talk (s4): called for interview; bonus 1.00; grade 良好 → 优秀 |
| 4 | 甲单位 | 75.00 | 75.00 | 0.00 | 75.00 | 优秀 | interview; star (s1): grade at least 良好; up (s2): 1 grade up; grade 一般 → 优秀 |
""" in en.stdout


def test_a_unit_a_rule_marks_for_interview_is_not_called_one_of_the_bottom_n(
        write: Writer, cli: Callable[..., Run]) -> None:
    """SPEC §10: `interview: true` marks a unit whatever its rank.  丙单位 is 3rd of 4
    with interview_bottom 1: only 甲单位 is the bottom 1; 丙单位 has a clause of its
    own — in md and html, zh and en."""
    root = rules_ledger(write)
    zh = cli("bulletin", root, "--quarter", "Q2")
    sentence = ("按照考核办法，对排名后1位的甲单位进行约谈提醒；另依据考核办法有关规定，"
                "对丙单位进行约谈提醒；以上单位限期整改。")
    assert f"### （三）约谈单位\n\n{sentence}\n" in zh.stdout
    html = cli("bulletin", root, "--quarter", "Q2", "--format", "html")
    assert f"<h3>（三）约谈单位</h3>\n<p>{sentence}</p>" in html.stdout
    en_sentence = ("Under the scheme the bottom 1 are called for a reminder talk: 甲单位; "
                   "and under the rules of the scheme: 丙单位. All must put things right within "
                   "a set time.")
    en = cli("bulletin", root, "--quarter", "Q2", "--lang", "en")
    assert f"### (3) Units called for interview\n\n{en_sentence}\n" in en.stdout
    enh = cli("bulletin", root, "--quarter", "Q2", "--lang", "en", "--format", "html")
    assert f"<h3>(3) Units called for interview</h3>\n<p>{en_sentence}</p>" in enh.stdout


def test_only_rule_marks_are_worded_without_a_rank(write: Writer,
                                                    cli: Callable[..., Run]) -> None:
    """interview_bottom 0: nobody is marked by rank; 丙单位 is marked by its rule."""
    root = rules_ledger(write)
    scheme = root / "scheme.yaml"
    scheme.write_text(SCHEME.replace("interview_bottom: 1", "interview_bottom: 0"),
                      encoding="utf-8")
    zh = cli("bulletin", root, "--quarter", "Q2")
    assert "\n依据考核办法有关规定，对丙单位进行约谈提醒，限期整改。\n" in zh.stdout
    en = cli("bulletin", root, "--quarter", "Q2", "--lang", "en")
    assert ("\nUnder the rules of the scheme these units are called for a reminder talk and "
            "must put things right within a set time: 丙单位.\n") in en.stdout


def test_the_bottom_n_named_is_never_more_than_the_units_ranked(
        write: Writer, cli: Callable[..., Run]) -> None:
    """interview_bottom 9 over 4 units marks all 4 (rank + ties − 1 > 4 − 9 for every
    one); the sentence said 排名后9位的 four units — now 后4位.  By groups (一组: 乙 93,
    甲 75, interview_bottom 9; 二组: 丁 88, 丙 86, interview_bottom 1): 一组排名后2位的
    乙单位、甲单位 (not 后9位), 二组排名后1位的丙单位 (as written)."""
    root = rules_ledger(write)
    scheme = root / "scheme.yaml"
    scheme.write_text(SCHEME.replace("interview_bottom: 1", "interview_bottom: 9"),
                      encoding="utf-8")
    zh = cli("bulletin", root, "--quarter", "Q2")
    assert zh.exit_code == 0, zh.stderr
    assert ("\n按照考核办法，对排名后4位的乙单位、丁单位、丙单位、甲单位进行约谈提醒，限期整改。\n"
            in zh.stdout)
    en = cli("bulletin", root, "--quarter", "Q2", "--lang", "en")
    assert ("\nUnder the scheme the bottom 4 are called for a reminder talk and must put "
            "things right within a set time: 乙单位, 丁单位, 丙单位, 甲单位.\n") in en.stdout
    scheme.write_text(SCHEME + """ranking_groups:
  - {id: g1, name: 一组, units: [ua, ub], interview_bottom: 9}
  - {id: g2, name: 二组, units: [uc, ud]}
""", encoding="utf-8")
    zh = cli("bulletin", root, "--quarter", "Q2")
    assert zh.exit_code == 0, zh.stderr
    assert ("\n按照考核办法，对一组排名后2位的乙单位、甲单位，二组排名后1位的丙单位进行约谈提醒，"
            "限期整改。\n") in zh.stdout


# ---- the year ----------------------------------------------------------------------------

YEAR_SCHEME = """id: s1
title: 测试办法
components:
  - {id: a, name: 甲项, weight: 60}
  - {id: b, name: 乙项, weight: 40}
""" + GRADES + """rules:
  - {id: veto, when: {flag: veto}, downgrade: 1}
interview_bottom: 1
"""


def year_ledger(write: Writer, quarters: tuple[int, ...] = (1, 2, 3, 4)) -> Path:
    """Every quarter the same scores: 乙单位 95, 丙单位 85, 甲单位 75.  The Q2 record
    vetoes 丙单位 (reason v), the 2024 record 乙单位 (reason v2)."""
    files = {"luoshi.yaml": CONFIG, "units.yaml": UNITS.replace(
        "  - {id: ud, name: 丁单位}\n", ""), "scheme.yaml": YEAR_SCHEME,
        "records/2024.yaml": "period: 2024\nflags:\n  - {unit: ub, kind: veto, reason: v2}\n"}
    for q in quarters:
        files[f"records/2024-Q{q}.yaml"] = (
            f"period: 2024-Q{q}\nscores:\n  ua: {{a: 75, b: 75}}\n  ub: {{a: 95, b: 95}}\n"
            "  uc: {a: 85, b: 85}\n"
            + ("flags:\n  - {unit: uc, kind: veto, reason: v}\n" if q == 2 else ""))
    return write(files)


def test_the_annual_bulletin_quotes_a_quarterly_vetos_reason(
        write: Writer, cli: Callable[..., Run]) -> None:
    """丙单位's veto is in the Q2 record and counts in the year: its reason is quoted
    like 乙单位's from the 2024 record."""
    root = year_ledger(write)
    zh = cli("bulletin", root, "--annual")
    assert zh.exit_code == 0, zh.stderr
    assert """| 1 | 乙单位 | 95.00 | 95.00 | 0.00 | 95.00 | 良好 | 一票否决（v2），降一档；等次由优秀调整为良好 |
| 2 | 丙单位 | 85.00 | 85.00 | 0.00 | 85.00 | 一般 | 一票否决（v），降一档；等次由良好调整为一般 |
""" in zh.stdout
    en = cli("bulletin", root, "--annual", "--lang", "en")
    assert ("| 2 | 丙单位 | 85.00 | 85.00 | 0.00 | 85.00 | 一般 | veto (v): 1 grade down; "
            "grade 良好 → 一般 |\n") in en.stdout


def test_an_annual_bulletin_of_a_partial_year_names_the_option_it_has(
        write: Writer, cli: Callable[..., Run]) -> None:
    """Q3's record missing: the advice names `--allow-missing` (bulletin has no
    `--partial`), and with it the year is ranked from the records present and the
    document says which record is missing."""
    root = year_ledger(write, quarters=(1, 2, 4))
    zh = cli("bulletin", root, "--annual")
    assert zh.exit_code == 0
    assert "## 四、考核排名情况" not in zh.stdout
    assert zh.stderr == ("luoshi: 2024 年缺少 2024-Q3 的考核记录：补齐后再计算年度得分，"
                         "或加 --allow-missing 按已有记录计算——通报不含考核排名部分\n")
    en = cli("bulletin", root, "--annual", "--lang", "en")
    assert en.stderr == ("luoshi: the records of 2024-Q3 are missing for 2024: add them, or "
                         "pass --allow-missing to score the year from the records present — "
                         "no ranking section\n")
    ok = cli("bulletin", root, "--annual", "--allow-missing")
    assert ok.exit_code == 0, ok.stderr
    assert ("依据《测试办法》，对3个单位2024年度工作进行了考核。\n\n"
            "**缺少2024年第三季度的考核记录，2024年度得分按已有记录计算。**\n") in ok.stdout
    assert "| 1 | 乙单位 | 95.00 | 95.00 | 0.00 | 95.00 | 良好 |" in ok.stdout
    html = cli("bulletin", root, "--annual", "--allow-missing", "--format", "html")
    assert ('<p class="missing"><strong>缺少2024年第三季度的考核记录，2024年度得分按已有记录'
            '计算。</strong></p>') in html.stdout
    en_ok = cli("bulletin", root, "--annual", "--allow-missing", "--lang", "en")
    assert ("**The records of Q3 2024 are missing: the 2024 scores are computed from the "
            "records present.**\n") in en_ok.stdout
    enh = cli("bulletin", root, "--annual", "--allow-missing", "--lang", "en",
              "--format", "html")
    assert ('<p class="missing"><strong>The records of Q3 2024 are missing: the 2024 scores '
            'are computed from the records present.</strong></p>') in enh.stdout


def test_the_word_edition_says_the_same_interview_sentence(
        write: Writer, cli: Callable[..., Run], tmp_path: Path) -> None:
    """The .docx is built from the same context, not from a template: its blocks equal
    the Markdown's (tests/test_bulletin_docx_contents.py), the rule-marked interview
    clause included (the Word edition worded its own "排名后N位的…" sentence)."""
    from test_bulletin_docx_contents import both

    rules = rules_ledger(write)
    for args in (("--quarter", "Q2"), ("--quarter", "Q2", "--lang", "en")):
        md, word = both(cli, rules, tmp_path, *args)
        assert word == md
        assert any("丙单位" in str(text) and ("另依据" in str(text) or "rules of" in str(text))
                   for _, text in word)


def test_the_word_edition_says_the_partial_years_note(
        write: Writer, cli: Callable[..., Run], tmp_path: Path) -> None:
    """…and the note of a year ranked without its Q3 record."""
    from test_bulletin_docx_contents import both

    year = year_ledger(write, quarters=(1, 2, 4))
    for args in (("--annual", "--allow-missing"),
                 ("--annual", "--allow-missing", "--lang", "en")):
        md, word = both(cli, year, tmp_path, *args)
        assert word == md
        assert any("第三季度" in str(text) or "Q3 2024" in str(text) for _, text in word)


def _five_components(root: Path) -> None:
    """beilin-2024-kaohe with two more leaves (安全生产, 信访稳定): five components."""
    import re

    scheme = root / "scheme.yaml"
    text = scheme.read_text(encoding="utf-8")
    text = text.replace("    weight: 30\n", "    weight: 20\n", 1)
    text = re.sub(r"(  - id: service\n(?:    .*\n)+)",
                  r"\1  - id: safety\n    name: 安全生产\n    weight: 5\n"
                  r"  - id: petition\n    name: 信访稳定\n    weight: 5\n", text, count=1)
    scheme.write_text(text, encoding="utf-8")
    record = root / "records" / "2024-Q1.yaml"
    record.write_text(re.sub(r"\{inspection: (\d+)", r"{inspection: \1, safety: 90, petition: 88",
                             record.read_text(encoding="utf-8")), encoding="utf-8")


def test_a_ranking_of_five_components_shows_every_component(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """The ranking showed component scores only for two to four components: five made
    the columns vanish from every edition without a word (audit G #2).  Now Markdown
    and Word have every component column; HTML/PDF, where five do not fit the page,
    print the ranking without them and a table of the units' component scores under
    it (five components a table)."""
    import shutil

    from conftest import REPO

    root = tmp_path / "five"
    shutil.copytree(REPO / "ledgers" / "beilin-2024-kaohe", root)
    _five_components(root)
    md = cli("bulletin", root, "--quarter", "Q1")
    assert md.exit_code == 0, md.stderr
    head = next(line for line in md.stdout.splitlines() if line.startswith("| 组内名次 |"))
    assert head == ("| 组内名次 | 单位 | 重点任务落实成效 | 督导检查评议 | 政务服务评价 | 安全生产 | "
                    "信访稳定 | 扣分 | 得分 | 等次 | 备注 |")
    html = cli("bulletin", root, "--quarter", "Q1", "--format", "html")
    assert html.exit_code == 0, html.stderr
    assert '<table class="components">' in html.stdout
    assert ("<thead><tr><th>单位</th><th>重点任务落实成效</th><th>督导检查评议</th>"
            "<th>政务服务评价</th><th>安全生产</th><th>信访稳定</th></tr></thead>") in html.stdout
    assert "<th>组内名次</th><th>单位</th><th>扣分</th>" in html.stdout
