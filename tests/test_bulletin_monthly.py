"""The monthly bulletin of a scheme that ranks months (SPEC §10 cadence: monthly; 清新
月通报, 碑林 每月…排名): its 考核排名情况 is the month's ranking exactly as `score --month`
computes it — scores, grades, groups ranked apart, the month's deductions, 约谈 — in
Markdown and Word alike; a missing score is refused as for a quarter; and a kept
bulletin is made again when a monthly record changes.  A ledger whose scheme has no
monthly component keeps the monthly bulletin it had (the goldens hold it)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, Run

QINGXIN = REPO / "tests" / "fixtures" / "scoring" / "qingxin-monthly"
ON = {"LUOSHI_CACHE": "1", "LUOSHI_NO_CACHE": ""}
OFF = {"LUOSHI_NO_CACHE": "1"}

Row = tuple[str, str, str, str, str, str, bool]  # group, rank, unit, deductions, score, grade, 约谈


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "qingxin"
    shutil.copytree(QINGXIN, root)
    return root


def _ungrouped(root: Path) -> None:
    """The same ledger ranked as one list (碑林's way): no ranking_groups."""
    path = root / "scheme.yaml"
    text = path.read_text(encoding="utf-8")
    i = text.index("ranking_groups:")
    j = text.index("interview_bottom:")
    path.write_text(text[:i] + text[j:], encoding="utf-8")


def _scored(cli: Callable[..., Run], root: Path, month: str) -> list[Row]:
    """`score --month` as the rows a ranking table prints."""
    r = cli("score", root, "--month", month, "--format", "json")
    assert r.exit_code == 0, r.stderr
    places = Decimal("0.01")
    return [(u.get("group_name") or "", str(u["rank"]), u["name"],
             str(Decimal(str(u["deductions"])).quantize(places)),
             str(Decimal(str(u["score"])).quantize(places)), u["grade"], u["interview"])
            for u in json.loads(r.stdout)["units"]]


def _ranked(md: str) -> list[Row]:
    """The rows of the bulletin's ranking tables (Markdown), with their group."""
    part = md[md.index("考核排名情况"):]
    part = part[:part.index("（二）等次情况")]
    group, out = "", []
    for line in part.splitlines():
        if line.startswith("#### "):
            group = line[5:]
        m = re.fullmatch(r"\| (\d+) \| (.+?) \| ([\d.]+) \| ([\d.]+) \| (.+?) \| (.*) \|", line)
        if m:
            rank, unit, ded, score, grade, notes = m.groups()
            out.append((group, rank, unit, ded, score, grade, notes.startswith("约谈")))
    return out


@pytest.mark.parametrize("grouped", [True, False])
@pytest.mark.parametrize("month", ["2022-10", "2022-11", "2022-12"])
def test_the_monthly_ranking_is_what_score_month_computes(
        cli: Callable[..., Run], ledger: Path, month: str, grouped: bool) -> None:
    if not grouped:
        _ungrouped(ledger)
    r = cli("bulletin", ledger, "--month", month)
    assert (r.exit_code, r.stderr) == (0, "")
    expected = _scored(cli, ledger, month)
    assert len(expected) == 8
    assert sorted(_ranked(r.stdout)) == sorted(expected)
    # the interview sentence names exactly the units `score --month` marks
    marked = [row[2] for row in expected if row[6]]
    sentence = next(ln for ln in r.stdout.splitlines() if ln.startswith("按照考核办法"))
    assert sorted(re.findall("|".join(row[2] for row in expected), sentence)) == sorted(marked)


def test_the_ungrouped_month_ranks_one_list_with_ties(cli: Callable[..., Run],
                                                      ledger: Path) -> None:
    _ungrouped(ledger)
    r = cli("bulletin", ledger, "--month", "2022-11")
    assert r.exit_code == 0, r.stderr
    assert [(row[1], row[2], row[6]) for row in _ranked(r.stdout)] == [
        ("1", "区城市管理综合执法局", False), ("1", "禾云镇", False),
        ("3", "三坑镇", False), ("4", "区工业和信息化局", False),
        ("5", "区卫生健康局", False),
        ("6", "区交通运输局", True), ("6", "太和镇", True), ("6", "太平镇", True)]
    # three units tied at the bottom place: the sentence says the tie
    assert ("按照考核办法，对排名后1位（并列）的区交通运输局、太和镇、太平镇进行约谈提醒，限期整改。"
            in r.stdout)


def test_the_word_bulletin_carries_the_same_ranking(cli: Callable[..., Run], ledger: Path,
                                                    tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    out = tmp_path / "2022-11.docx"
    r = cli("bulletin", ledger, "--month", "2022-11", "-o", out)
    assert r.exit_code == 0, r.stderr
    doc = docx.Document(str(out))
    text = [p.text for p in doc.paragraphs]
    assert "五、考核排名情况" in text
    assert "依据《清新区\"执行力建设年\"赛龙夺锦比拼办法》，对8个单位2022年11月工作进行了考核。" in text
    assert ("按照考核办法，对镇排名后1位（并列）的太和镇、太平镇，区直部门排名后1位的区交通运输局进行"
            "约谈提醒，限期整改。") in text
    # the ranking tables (one per group): their rows under the header 组内名次
    rows = [[c.text for c in row.cells] for t in doc.tables
            if t.rows[0].cells[0].text == "组内名次" for row in t.rows[1:]]
    md = cli("bulletin", ledger, "--month", "2022-11").stdout
    assert [(*cells[:5], cells[5].startswith("约谈")) for cells in rows] == \
        [row[1:] for row in _ranked(md)]
    assert len(rows) == 8


def test_a_missing_monthly_score_is_refused_unless_allowed(cli: Callable[..., Run],
                                                          ledger: Path) -> None:
    """As for a quarter: exit 1 naming the unit and the component, unless
    --allow-missing, and then the document says so above the ranking."""
    path = ledger / "records" / "2022-11.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  taihe: {monthly: 70}\n", ""),
                    encoding="utf-8")
    r = cli("bulletin", ledger, "--month", "2022-11")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == ("luoshi: 1 个单位缺少评分，排名不可靠：太和镇缺月通报综合评价指数。请补齐评分，"
                        "或加 --allow-missing（通报将注明）\n")
    en = cli("bulletin", ledger, "--month", "2022-11", "--lang", "en")
    assert (en.exit_code, en.stderr) == (1, (
        "luoshi: 1 unit has missing scores, so the ranking is not reliable: 太和镇 lacks "
        "月通报综合评价指数. Record the scores, or add --allow-missing (the bulletin says so)\n"))
    allowed = cli("bulletin", ledger, "--month", "2022-11", "--allow-missing")
    assert allowed.exit_code == 0, allowed.stderr
    assert ("**以下单位缺少评分（按0分计），排名据现有分数作出：太和镇（月通报综合评价指数）。**"
            in allowed.stdout)
    assert ("镇", "4", "太和镇", "0.00", "0.00", "黄牌", True) in _ranked(allowed.stdout)


def test_a_month_without_its_record_has_no_ranking(cli: Callable[..., Run],
                                                   ledger: Path) -> None:
    """As a quarter without its record: no ranking section and nothing said."""
    (ledger / "records" / "2022-11.yaml").unlink()
    r = cli("bulletin", ledger, "--month", "2022-11")
    assert (r.exit_code, r.stderr) == (0, "")
    assert "考核排名情况" not in r.stdout
    assert "## 六、负面清单扣分情况" in r.stdout  # the month's deductions stay


def test_rank_changes_since_last_month(cli: Callable[..., Run], ledger: Path) -> None:
    r = cli("bulletin", ledger, "--month", "2022-11")
    assert ("名次变化：区城市管理综合执法局由第4名升至第1名、区工业和信息化局由第1名降至第2名、"
            "三坑镇由第4名升至第2名、太平镇由第2名降至第3名、区交通运输局由第1名降至第4名。"
            in r.stdout)


def test_a_kept_monthly_bulletin_is_made_again_when_a_monthly_record_changes(
        cli: Callable[..., Run], ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Warm equals cold, and the month's record is one of the kept document's inputs:
    a score changed there is never served from the cache."""
    monkeypatch.setattr("luoshi_cli.fast.source.CACHE_MIN_BYTES", 0)
    args = ("bulletin", ledger, "--month", "2022-11", "--format", "html")
    plain = cli(*args, env=OFF)
    assert not (ledger / ".luoshi-cache").exists()
    cold = cli(*args, env=ON)
    assert any((ledger / ".luoshi-cache").glob("v*/*.pickle"))
    warm = cli(*args, env=ON)
    assert plain.exit_code == 0, plain.stderr
    for run in (cold, warm):
        assert (run.exit_code, run.stdout, run.stderr) == (0, plain.stdout, plain.stderr)
    path = ledger / "records" / "2022-11.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "taihe: {monthly: 70}", "taihe: {monthly: 95}"), encoding="utf-8")
    changed = cli(*args, env=ON)
    fresh = cli(*args, env=OFF)
    assert (changed.exit_code, changed.stdout, changed.stderr) == \
        (0, fresh.stdout, fresh.stderr)
    assert changed.stdout != plain.stdout
    assert '<td class="c">1</td><td>太和镇</td>' in changed.stdout


def test_a_scheme_can_call_no_one_to_interview_from_a_months_ranking(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """碑林 ranks every month to 核查、总结 but calls units to 约谈 after the quarter
    (seed 000, items 12 and 26): `month_interview_bottom: 0`.  The month still ranks and
    grades; no unit is marked by its rank in it (太和镇, 太平镇 and 区交通运输局 were, the
    bottom 1 of their groups with ties), and the monthly bulletin names no one; the
    quarter keeps `interview_bottom: 1`.  `month_interview_bottom: 2` marks the bottom
    two of every group in a month instead (镇: 太和镇 and 太平镇 tied 3rd; 区直部门: 区卫生
    健康局 3rd and 区交通运输局 4th)."""
    scheme = ledger / "scheme.yaml"
    text = scheme.read_text(encoding="utf-8")
    scheme.write_text(text + "month_interview_bottom: 0\n", encoding="utf-8")

    def marked(*period: str) -> list[str]:
        r = cli("score", ledger, *period, "--as-of", "2022-12-31", "-f", "json")
        assert r.exit_code == 0, r.stderr
        return sorted(u["unit"] for u in json.loads(r.stdout)["units"] if u["interview"])

    assert marked("--month", "2022-11") == []
    assert marked("--quarter", "Q4") != []
    b = cli("bulletin", ledger, "--month", "2022-11")
    assert b.exit_code == 0, b.stderr
    assert "考核排名情况" in b.stdout and "约谈" not in b.stdout
    scheme.write_text(text + "month_interview_bottom: 2\n", encoding="utf-8")
    assert marked("--month", "2022-11") == ["jtj", "taihe", "taiping", "wjj"]
    scheme.write_text(text + "month_interview_bottom: -1\n", encoding="utf-8")
    v = cli("validate", ledger, "--as-of", "2022-12-31", "--lang", "en")
    assert v.exit_code == 1
    assert v.stdout == ("scheme.yaml:30:25: error LS109 month_interview_bottom: -1 is outside "
                        "0–10000: correct it\n")


def test_a_scheme_can_call_units_to_interview_from_the_years_ranking_only(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """葫芦岛 (seed 001) ranks every quarter but calls the bottom units to 诫勉谈话 after
    the year's ranking: `quarter_interview_bottom: 0` marks no one by rank in Q4 (its
    `interview_bottom: 1` marked 太和镇 and 区交通运输局, the bottom of their groups), and
    the months keep theirs (the year takes `interview_bottom`, as before)."""
    scheme = ledger / "scheme.yaml"
    text = scheme.read_text(encoding="utf-8")

    def marked(*period: str) -> list[str]:
        r = cli("score", ledger, *period, "--as-of", "2022-12-31", "-f", "json")
        assert r.exit_code == 0, r.stderr
        return sorted(u["unit"] for u in json.loads(r.stdout)["units"] if u["interview"])

    before = [marked("--quarter", "Q4"), marked("--month", "2022-11")]
    assert before[0] == ["jtj", "taihe"]  # no interview rule: marked by rank alone
    scheme.write_text(text + "quarter_interview_bottom: 0\n", encoding="utf-8")
    assert marked("--quarter", "Q4") == []
    assert marked("--month", "2022-11") == before[1]
    b = cli("bulletin", ledger, "--quarter", "Q4")
    assert b.exit_code == 0, b.stderr
    assert "考核排名情况" in b.stdout


def test_a_quarterly_bulletin_ranks_from_the_months_present_with_allow_missing(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """December's record missing: the Q4 bulletin prints no ranking and names
    `--allow-missing`; with it the quarter is ranked from October and November, as
    `score --quarter Q4 --partial`, and the document says which month is missing (it
    said "补齐后再计分" and offered no way to rank)."""
    (ledger / "records" / "2022-12.yaml").unlink()
    plain = cli("bulletin", ledger, "--quarter", "Q4")
    assert plain.exit_code == 0
    assert "考核排名情况" not in plain.stdout
    assert plain.stderr == ("luoshi: 2022-Q4 缺少 2022-12 的月度考核记录：补齐后再计分，或加 "
                            "--allow-missing 按已有月份计算——通报不含考核排名部分\n")
    ok = cli("bulletin", ledger, "--quarter", "Q4", "--allow-missing")
    assert ok.exit_code == 0, ok.stderr
    assert "**缺少2022年12月的考核记录，2022年第四季度得分按已有记录计算。**" in ok.stdout
    score = cli("score", ledger, "--quarter", "Q4", "--partial", "-f", "json")
    top = json.loads(score.stdout)["units"][0]
    assert (top["name"], top["score"]) == ("禾云镇", 92.68)
    assert "| 1 | 禾云镇 | 92.80 | 92.50 | 0.00 | 92.68 | 红旗 |  |" in ok.stdout


def test_a_units_own_flags_are_listed_beside_the_tasks(ledger: Path,
                                                        cli: Callable[..., Run]) -> None:
    """清新 亮黄牌 to lagging 镇 and 部门: a record flag `{unit, kind: yellow_card}` drove a
    rule but appeared nowhere in the bulletin's 红旗与黄牌 (only tasks' flags did).  Now
    the section lists the units' own red flags and yellow cards, dated in the period (not
    after the as-of) or undated in a record inside it; a veto is no card; a unit's notice
    lists its own."""
    rec = ledger / "records" / "2022-Q4.yaml"
    rec.write_text(rec.read_text(encoding="utf-8") + (
        "flags:\n"
        "  - {unit: taiping, kind: yellow_card, date: 2022-12-20, reason: 太平新城建设进度滞后}\n"
        "  - {unit: heyun, kind: red_flag, reason: 农业品牌创建成效突出}\n"
        "  - {unit: gxj, kind: veto, reason: 不计入红旗黄牌}\n"), encoding="utf-8")
    r = cli("bulletin", ledger, "--quarter", "Q4", "--as-of", "2022-12-31")
    assert r.exit_code == 0, r.stderr
    assert ("### （三）红旗单位\n\n1. 禾云镇：农业品牌创建成效突出。\n\n"
            "### （四）黄牌单位\n\n1. 太平镇：太平新城建设进度滞后。（2022年12月20日）\n") in r.stdout
    assert "不计入红旗黄牌" not in r.stdout.split("红旗与黄牌")[1].split("## ")[0]
    en = cli("bulletin", ledger, "--quarter", "Q4", "--as-of", "2022-12-31", "--lang", "en")
    assert "### (4) Warning cards (units)\n\n1. 太平镇: 太平新城建设进度滞后 (20 December 2022)\n" \
        in en.stdout
    html = cli("bulletin", ledger, "--quarter", "Q4", "--as-of", "2022-12-31", "-f", "html")
    assert "<li>太平镇：太平新城建设进度滞后。（2022年12月20日）</li>" in html.stdout
    early = cli("bulletin", ledger, "--quarter", "Q4", "--as-of", "2022-12-10")
    assert "禾云镇：农业品牌创建成效突出。" in early.stdout and "黄牌单位" not in early.stdout
    mine = cli("bulletin", ledger, "--quarter", "Q4", "--as-of", "2022-12-31", "--unit", "heyun")
    assert "红旗单位" in mine.stdout and "黄牌单位" not in mine.stdout
    november = cli("bulletin", ledger, "--month", "2022-11")
    assert "黄牌单位" not in november.stdout and "红旗单位" not in november.stdout
    import docx

    out = ledger.parent / "q4.docx"
    w = cli("bulletin", ledger, "--quarter", "Q4", "--as-of", "2022-12-31", "-o", out)
    assert w.exit_code == 0, w.stderr
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    i = texts.index("（四）黄牌单位")
    assert texts[i + 1].endswith("太平镇：太平新城建设进度滞后。（2022年12月20日）")


def test_an_undated_flag_of_a_month_is_listed_in_its_quarter(ledger: Path,
                                                              cli: Callable[..., Run]) -> None:
    """An undated red flag in the 2022-11 record belongs to November and to the periods
    holding it — Q4, H2 and the year — as scoring counts it (SPEC §10); the quarter's
    bulletin left it out (it took a month's record for no quarter's); Q3 and a
    month other than November never list it."""
    rec = ledger / "records" / "2022-11.yaml"
    rec.write_text(rec.read_text(encoding="utf-8") + (
        "flags:\n  - {unit: heyun, kind: red_flag, reason: 11月表现突出}\n"),
        encoding="utf-8")
    for args in (["--quarter", "Q4"], ["--half", "H2"], ["--annual"], ["--month", "2022-11"]):
        r = cli("bulletin", ledger, *args, "--as-of", "2022-12-31")
        assert r.exit_code == 0, r.stderr
        assert "红旗单位\n\n1. 禾云镇：11月表现突出。\n" in r.stdout, args
    for args in (["--quarter", "Q3"], ["--month", "2022-12"]):
        r = cli("bulletin", ledger, *args, "--as-of", "2022-12-31")
        assert "11月表现突出" not in r.stdout, args


# ---- a scheme scored only monthly: its quarter and year are means of months ---------------

#: month → unit → (甲项, 乙项).  Q1: 甲局 95, 乙局 90, 丙局 85, 丁局 80 every month.
_MONTHS = {
    **{f"2024-0{m}": {"u1": (95, 95), "u2": (90, 90), "u3": (85, 85), "u4": (80, 80)}
       for m in (1, 2, 3)},
    "2024-04": {"u1": (80, 80), "u2": (90, 92), "u3": (95, 95), "u4": (70, 72)},
    "2024-05": {"u1": (82, 84), "u2": (91, 91), "u3": (93, 97), "u4": (75, 73)},
    "2024-06": {"u1": (87, 86), "u2": (89, 90), "u3": (94, 92), "u4": (77, 77)},
}


def _monthly_only(write: Callable[..., Path]) -> Path:
    """A scheme with `cadence: monthly` and no quarterly component: it never has a
    2024-Q2 record (audit: the quarterly bulletin dropped the ranking silently)."""
    files = {
        "luoshi.yaml": "title: 测试区2024年重点任务台账\nissuer: 测试区督查室\nyear: 2024\n"
                       "categories:\n  - {id: c1, name: 类别一}\n",
        "units.yaml": "leaders:\n  - {id: ld, name: 领导甲}\nunits:\n"
                      + "".join(f"  - {{id: u{i}, kind: department, name: {n}局}}\n"
                                for i, n in enumerate("甲乙丙丁", 1)),
        "scheme.yaml": "id: s\ntitle: 测试考核办法\ncadence: monthly\nrounding: {places: 2}\n"
                       "components:\n  - {id: a, name: 甲项, weight: 50}\n"
                       "  - {id: b, name: 乙项, weight: 50}\n"
                       "grades:\n  - {name: 优秀, min: 90}\n  - {name: 良好, min: 80}\n"
                       "  - {name: 一般, min: 0}\ninterview_bottom: 1\n",
        "tasks/a.yaml": "- id: T-1\n  title: 任务一\n  category: c1\n  lead: u1\n"
                        "  leaders: [ld]\n  start: 2024-01-01\n  standard: 完成\n"
                        "  milestones:\n    - {due: 2024-12-31, standard: 完成}\n"
                        "  status: in_progress\n  progress: 60\n",
    }
    for month, scores in _MONTHS.items():
        files[f"records/{month}.yaml"] = f'period: "{month}"\nscores:\n' + "".join(
            f"  {u}: {{a: {a}, b: {b}}}\n" for u, (a, b) in scores.items())
    return write(files)


#: the Q2 ranking of `_monthly_only` (worked out by hand in the test below)
_Q2_ROWS = [
    "| 1 | 丙局 | 94.00 | 94.67 | 0.00 | 94.33 | 优秀 |  |",
    "| 2 | 乙局 | 90.00 | 91.00 | 0.00 | 90.50 | 优秀 |  |",
    "| 3 | 甲局 | 83.00 | 83.33 | 0.00 | 83.17 | 良好 |  |",
    "| 4 | 丁局 | 74.00 | 74.00 | 0.00 | 74.00 | 一般 | 约谈 |",
]


def test_a_monthly_schemes_quarterly_bulletin_ranks_the_quarter(
        cli: Callable[..., Run], write: Callable[..., Path]) -> None:
    """`bulletin --quarter Q2` prints the ranking `score --quarter Q2` gives (SPEC §10
    Monthly periods: a monthly leaf's quarter score is the mean of its months; §7: the
    quarterly bulletin ranks the quarter) — it printed no 考核排名情况 at all, said
    nothing and exited 0, because no record has `period: 2024-Q2`.  Scores by hand:
    丙局 甲项 (95+93+94)/3 = 94.00, 乙项 (95+97+92)/3 = 94.67, score their mean 94.33;
    乙局 (90+91+89)/3 = 90.00, (92+91+90)/3 = 91.00 → 90.50; 甲局 (80+82+87)/3 = 83.00,
    (80+84+86)/3 = 83.33 → 83.17; 丁局 74.00 and 74.00 → 74.00, the bottom one: 约谈.
    较上季度 compares with Q1 scored the same way (95, 90, 85, 80: 甲乙丙丁 1–4):
    丙局 3rd → 1st, 甲局 1st → 3rd, 乙局 and 丁局 unchanged."""
    root = _monthly_only(write)
    score = cli("score", root, "--quarter", "Q2", "-f", "json")
    assert score.exit_code == 0, score.stderr
    assert [(u["name"], u["rank"], u["score"]) for u in json.loads(score.stdout)["units"]] == \
        [("丙局", 1, 94.33), ("乙局", 2, 90.5), ("甲局", 3, 83.17), ("丁局", 4, 74.0)]
    r = cli("bulletin", root, "--quarter", "Q2")
    assert (r.exit_code, r.stderr) == (0, "")
    assert "## 四、考核排名情况" in r.stdout
    assert "依据《测试考核办法》，对4个单位2024年第二季度工作进行了考核。" in r.stdout
    assert [line for line in r.stdout.splitlines() if re.match(r"\| \d \| ", line)
            and "局" in line and "0.00" in line] == _Q2_ROWS
    assert ("较上季度，任务完成率持平，红灯数量持平。名次变化：丙局由第3名升至第1名、"
            "甲局由第1名降至第3名。") in r.stdout
    assert "按照考核办法，对排名后1位的丁局进行约谈提醒，限期整改。" in r.stdout


def test_a_monthly_schemes_word_bulletin_ranks_the_quarter(
        cli: Callable[..., Run], write: Callable[..., Path], tmp_path: Path) -> None:
    """The Word bulletin of the same quarter carries the same ranking table (it had
    none, as the Markdown)."""
    docx = pytest.importorskip("docx")
    root = _monthly_only(write)
    out = tmp_path / "q2.docx"
    r = cli("bulletin", root, "--quarter", "Q2", "-o", out)
    assert r.exit_code == 0, r.stderr
    doc = docx.Document(str(out))
    assert "四、考核排名情况" in [p.text for p in doc.paragraphs]
    rows = [[c.text for c in row.cells] for t in doc.tables
            if t.rows[0].cells[0].text == "名次" for row in t.rows[1:]]
    assert rows == [line[2:-2].split(" | ") for line in _Q2_ROWS]


def test_a_monthly_schemes_quarter_with_a_missing_month(
        cli: Callable[..., Run], write: Callable[..., Path]) -> None:
    """June's record missing: the bulletin says why it has no ranking and names
    `--allow-missing` (what `score --quarter Q2` refuses with); with it the quarter is
    the mean of April and May, as `score --quarter Q2 --partial`, and the document
    names the missing month (REFERENCE "Bulletins").  丙局 甲项 (95+93)/2 = 94.00,
    乙项 (95+97)/2 = 96.00 → 95.00."""
    root = _monthly_only(write)
    (root / "records" / "2024-06.yaml").unlink()
    plain = cli("bulletin", root, "--quarter", "Q2")
    assert plain.exit_code == 0
    assert "考核排名情况" not in plain.stdout
    assert plain.stderr == ("luoshi: 2024-Q2 缺少 2024-06 的月度考核记录：补齐后再计分，或加 "
                            "--allow-missing 按已有月份计算——通报不含考核排名部分\n")
    ok = cli("bulletin", root, "--quarter", "Q2", "--allow-missing")
    assert (ok.exit_code, ok.stderr) == (0, "")
    assert "**缺少2024年6月的考核记录，2024年第二季度得分按已有记录计算。**" in ok.stdout
    assert "| 1 | 丙局 | 94.00 | 96.00 | 0.00 | 95.00 | 优秀 |  |" in ok.stdout
    partial = cli("score", root, "--quarter", "Q2", "--partial", "-f", "json")
    assert json.loads(partial.stdout)["units"][0]["score"] == 95.0


def test_a_monthly_schemes_quarter_without_any_month_has_no_ranking(
        cli: Callable[..., Run], write: Callable[..., Path]) -> None:
    """Q3, none of whose months has a record yet: no ranking and nothing said, as a
    quarterly scheme's quarter without its record (SPEC §7: the data is not there)."""
    root = _monthly_only(write)
    r = cli("bulletin", root, "--quarter", "Q3")
    assert (r.exit_code, r.stderr) == (0, "")
    assert "考核排名情况" not in r.stdout


def test_a_monthly_schemes_annual_bulletin_ranks_the_months_present(
        cli: Callable[..., Run], write: Callable[..., Path]) -> None:
    """The annual bulletin of the same scheme: refused without `--allow-missing` (July
    to December are missing), ranked from January–June with it, each leaf the mean
    of the six months: 乙局 甲项 (90×3+90+91+89)/6 = 90.00, 乙项 (90×3+92+91+90)/6 =
    90.50 → 90.25, first; 甲局 (95×3+80+82+87)/6 = 89.00, (95×3+80+84+86)/6 = 89.17 →
    89.08, third (丙局 89.67 second)."""
    root = _monthly_only(write)
    plain = cli("bulletin", root, "--annual")
    assert "考核排名情况" not in plain.stdout
    assert "--allow-missing" in plain.stderr
    ok = cli("bulletin", root, "--annual", "--allow-missing")
    assert (ok.exit_code, ok.stderr) == (0, "")
    assert "| 1 | 乙局 | 90.00 | 90.50 | 0.00 | 90.25 | 优秀 |  |" in ok.stdout
    assert "| 3 | 甲局 | 89.00 | 89.17 | 0.00 | 89.08 | 良好 |  |" in ok.stdout
