"""What the bulletin says about units, rectifications and ledger text, in every format.

- 未参加排名: a unit the period assessed nothing of is named (as `score` names it),
  not dropped without a word — month, quarter; Markdown, HTML, Word; zh and en; and
  in its own notice (一单位一通报).
- 超期销号: a rectification closed after its due date says by how many days (the
  closing `rectifications_closed_late` counts), one closed on time does not.
- Quotes in quotes: ledger text the document puts in “” has its own “” turned to ‘’
  (GB/T 15834), in the bulletin, `diff` and the rule words.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run, commit, edit, git
from test_late_milestones import CONFIG, UNITS, _record
from test_rectifications_closed_late import SCHEME, SUPERVISION, TASKS

Writer = Callable[..., Path]
Cli = Callable[..., Run]

QINGXIN = REPO / "tests" / "fixtures" / "scoring" / "qingxin-monthly"


# ---- 未参加排名 -------------------------------------------------------------------

@pytest.fixture
def unranked(tmp_path: Path) -> Path:
    """清新's monthly ledger with 区审计局 (sjj) assessed but under no component: the
    month's component applies to the eight others, and sjj leads no task — nothing of
    it is scored in any month or quarter."""
    root = tmp_path / "qingxin"
    shutil.copytree(QINGXIN, root)
    edit(root / "units.yaml", "  - {id: cgj, name: 区城市管理综合执法局, kind: 部门}\n",
         "  - {id: cgj, name: 区城市管理综合执法局, kind: 部门}\n"
         "  - {id: sjj, name: 区审计局, kind: 部门, assessed: true}\n")
    edit(root / "scheme.yaml", "    weight: 40\n    cadence: monthly\n",
         "    weight: 40\n    cadence: monthly\n"
         "    applies_to: {units: [taihe, taiping, sankeng, heyun, gxj, jtj, wjj, cgj]}\n")
    return root


def _scored_none(cli: Cli, root: Path, *period: str) -> None:
    r = cli("score", root, *period)
    assert r.exit_code == 0, r.stderr
    assert "未参加排名（本期没有可计分的指标）：区审计局" in r.stdout


@pytest.mark.parametrize(("period", "label"), [
    (("--month", "2022-10"), "2022年10月"), (("--quarter", "Q4"), "2022年第四季度"),
    (("--annual", "--allow-missing"), "2022年度")])
def test_the_bulletin_names_the_units_not_ranked(cli: Cli, unranked: Path,
                                                  period: tuple[str, str], label: str) -> None:
    _scored_none(cli, unranked, *(p.replace("--allow-missing", "--partial") for p in period))
    r = cli("bulletin", unranked, *period)
    assert (r.exit_code, r.stderr) == (0, "")
    said = f"以下单位{label}没有可计分的考核指标，未参加排名：区审计局。"
    assert said in r.stdout
    # in the ranking section, after the sentence saying how many units were assessed
    part = r.stdout[r.stdout.index("考核排名情况"):]
    assert part.index("个单位") < part.index(said) < part.index("等次情况")
    html = cli("bulletin", unranked, *period, "--format", "html")
    assert f"<p>{said}</p>" in html.stdout
    en = cli("bulletin", unranked, *period, "--lang", "en")
    assert "Not ranked (nothing of theirs was assessed in " in en.stdout
    assert "): 区审计局." in en.stdout
    en_html = cli("bulletin", unranked, *period, "--lang", "en", "--format", "html")
    assert "): 区审计局.</p>" in en_html.stdout


def test_the_word_bulletin_names_them_too(cli: Cli, unranked: Path, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    out = tmp_path / "b.docx"
    r = cli("bulletin", unranked, "--month", "2022-10", "-o", out)
    assert r.exit_code == 0, r.stderr
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "以下单位2022年10月没有可计分的考核指标，未参加排名：区审计局。" in text


def test_a_units_notice_says_it_is_not_ranked(cli: Cli, unranked: Path) -> None:
    own = cli("bulletin", unranked, "--month", "2022-10", "--unit", "sjj")
    assert own.exit_code == 0, own.stderr
    assert "本单位2022年10月没有可计分的考核指标，未参加排名。" in own.stdout
    other = cli("bulletin", unranked, "--month", "2022-10", "--unit", "gxj")
    assert other.exit_code == 0, other.stderr
    assert "未参加排名" not in other.stdout and "区审计局" not in other.stdout


def test_no_sentence_when_every_unit_is_ranked(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "qingxin"
    shutil.copytree(QINGXIN, root)
    r = cli("bulletin", root, "--month", "2022-10")
    assert r.exit_code == 0, r.stderr
    assert "未参加排名" not in r.stdout


# ---- 超期销号 and quotes in quotes -------------------------------------------------

#: T-1's title and milestone hold quotes of their own; ZG-7 names T-1
QUOTED_TASKS = TASKS.replace("title: 任务T-1", "title: 精准扶贫“1+21”方案落实").replace(
    "{due: 2021-12-31, standard: 完成}", '{due: 2021-06-30, standard: 完成"两不愁"}')
QUOTED_SUPERVISION = SUPERVISION + (
    "  - {id: ZG-7, unit: a, tasks: [T-1], opened: 2021-04-01, due: 2021-06-01}\n")


def _supervised(write: Writer) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/t.yaml": QUOTED_TASKS,
                  "scheme.yaml": SCHEME, "supervision/2021.yaml": QUOTED_SUPERVISION,
                  **{f"records/2021-Q{q}.yaml": _record(f"2021-Q{q}") for q in range(1, 5)}})


def _states(md: str) -> dict[str, str]:
    """The supervision table: 整改期限 → 状态."""
    part = md[md.index("督办情况"):]
    return {cells[4]: cells[5] for line in part.splitlines() if line.startswith("| ")
            and len(cells := [c.strip() for c in line.strip("|").split("|")]) == 6}


def test_a_rectification_closed_late_says_how_late(cli: Cli, write: Writer,
                                                   tmp_path: Path) -> None:
    """Q2: ZG-1 due 05-15 closed 05-20 (5 days late), ZG-3 due 03-31 closed 04-05 (5),
    ZG-6 due 06-10 closed 06-11 (1); ZG-4 closed on its due day 05-31: on time."""
    root = _supervised(write)
    r = cli("bulletin", root, "--quarter", "Q2")
    assert r.exit_code == 0, r.stderr
    states = _states(r.stdout)
    assert states["2021年5月15日"] == "已于2021年5月20日销号（超期5天）"
    assert states["2021年3月31日"] == "已于2021年4月5日销号（超期5天）"
    assert states["2021年6月10日"] == "已于2021年6月11日销号（超期1天）"
    assert states["2021年5月31日"] == "已于2021年5月31日销号"
    en = _states(cli("bulletin", root, "--quarter", "Q2", "--lang", "en").stdout
                 .replace("Supervision", "督办情况"))
    assert en["15 May 2021"] == "closed 20 May 2021 (5 days late)"
    assert en["10 June 2021"] == "closed 11 June 2021 (1 day late)"
    assert en["31 May 2021"] == "closed 31 May 2021"
    docx = pytest.importorskip("docx")
    out = tmp_path / "q2.docx"
    assert cli("bulletin", root, "--quarter", "Q2", "-o", out).exit_code == 0
    cells = {c.text for t in docx.Document(str(out)).tables for row in t.rows
             for c in row.cells}
    assert "已于2021年5月20日销号（超期5天）" in cells and "已于2021年5月31日销号" in cells


def test_quotes_in_quotes_turn_over() -> None:
    from luoshi_cli.core.labels import quoted

    assert quoted("精准扶贫“1+21”方案落实") == "“精准扶贫‘1+21’方案落实”"
    assert quoted('推广"510"工作法') == "“推广‘510’工作法”"
    assert quoted("甲‘乙“丙”乙’甲") == "“甲“乙‘丙’乙”甲”"
    assert quoted("无引号") == "“无引号”"
    # diff keeps ASCII quotes as written: a change from "x" to “x” must show
    assert quoted('"x"', pair_ascii=False) != quoted("“x”", pair_ascii=False)


def test_the_bulletin_quotes_ledger_text_inside_its_quotes(cli: Cli, write: Writer) -> None:
    """ZG-7 (open, due 06-01) names T-1 “精准扶贫‘1+21’方案落实”; the unit's notice
    asks for T-1's late milestone 完成‘两不愁’; the yellow reason quotes it."""
    root = _supervised(write)
    r = cli("bulletin", root, "--quarter", "Q2")
    assert r.exit_code == 0, r.stderr
    assert "“精准扶贫‘1+21’方案落实”" in r.stdout
    assert "““" not in r.stdout and "””" not in r.stdout
    notice = cli("bulletin", root, "--quarter", "Q2", "--unit", "a", "--as-of", "2021-06-20")
    assert notice.exit_code == 0, notice.stderr
    assert "“精准扶贫‘1+21’方案落实”" in notice.stdout
    assert "“完成‘两不愁’”" in notice.stdout
    assert "“精准扶贫“" not in notice.stdout and "“完成“" not in notice.stdout


def test_diff_quotes_a_milestone_inside_its_quotes(cli: Cli, write: Writer) -> None:
    root = _supervised(write)
    git(root, "init", "-q")
    commit(root, "v1")
    edit(root / "tasks" / "t.yaml", '{due: 2021-06-30, standard: 完成"两不愁"}',
         "{due: 2021-06-30, standard: 完成“两不愁”}")
    commit(root, "v2")
    r = cli("diff", "HEAD~1", "HEAD", root)
    assert r.exit_code == 0, r.stderr
    assert "“完成‘两不愁’”" in r.stdout, r.stdout


def test_the_rule_words_quote_a_category_inside_their_quotes(cli: Cli, write: Writer) -> None:
    """A rule without a note is worded from its condition: 存在“…”问题 — a category
    named 违反“八项规定”精神 reads 存在“违反‘八项规定’精神”问题."""
    scheme = SCHEME.split("rules:")[0] + (
        "deductions:\n  categories:\n"
        "    - {id: eight, name: 违反“八项规定”精神, min: 1, max: 5}\n"
        "rules:\n  - {id: cap, when: {deductions_in: [eight]}, max_grade: 一般}\n")
    record = _record("2021-Q2") + (
        "deductions:\n  - {unit: a, category: eight, date: 2021-05-01, points: 2, reason: 违规}\n")
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/t.yaml": TASKS,
                  "scheme.yaml": scheme, "records/2021-Q2.yaml": record})
    r = cli("bulletin", root, "--quarter", "Q2")
    assert r.exit_code == 0, r.stderr
    assert "存在“违反‘八项规定’精神”问题" in r.stdout
