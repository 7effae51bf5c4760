"""Year-end audit (2024 cycle), four findings on the bulletin, on one hand-built
quarter whose bulletin is issued after the quarter's end (as of 2025-01-15):

1. bonuses (加分) are listed like the deductions (SPEC §10 "shown like deductions"):
   a section with each bonus's unit, category, date, points and reason — only when
   the period has bonuses (the goldens of bulletins without any are unchanged);
2. a tie at the bottom says so: "排名后1位（并列）的丙局、丁局" / "the bottom 1 (tied)";
3. the English HTML ranking table heads its column "Deductions", as the Markdown
   and the .docx do (it said "Points off");
4. a provisional deduction (预扣) given back after the quarter's end but by the
   bulletin's date is still counted in the quarter (SPEC §10) and says when it was
   given back, not a bare "（预扣）".

Exact text in Markdown, HTML and .docx, Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from test_bulletin_docx_contents import docx_blocks, md_blocks

LEDGER = {
    "luoshi.yaml": "title: 2024年度测试台账\nissuer: 测试区委督查室\nyear: 2024\nlanguage: zh\n",
    "units.yaml": """units:
  - {id: a, name: 甲局, kind: department}
  - {id: b, name: 乙局, kind: department}
  - {id: c, name: 丙局, kind: department}
  - {id: d, name: 丁局, kind: department}
""",
    "scheme.yaml": """id: t-2024
title: 测试考核办法
cadence: quarterly
rounding: {places: 2}
components:
  - {id: daily, name: 日常工作, weight: 100}
deductions:
  floor: 0
  categories:
    - {id: slack, name: 推进不力, min: 1, max: 3}
bonuses:
  cap: 3
  categories:
    - {id: praise, name: 获上级表扬, min: 1, max: 2}
grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 0}
interview_bottom: 1
""",
    # 丙局 83 − 3 and 丁局 79 + 1 tie at 80.00, the bottom place; 甲局's 4 bonus
    # points are capped at 3; 丙局's 预扣 is given back on 8 January 2025
    "records/2024-Q4.yaml": """period: 2024-Q4
scores:
  a: {daily: 90}
  b: {daily: 85}
  c: {daily: 83}
  d: {daily: 79}
deductions:
  - {unit: c, category: slack, date: 2024-12-20, points: 3, provisional: true,
     reason: 年底节点预扣, restored: {date: 2025-01-08, approved_by: 区考核办, reason: 已整改到位}}
bonuses:
  - {unit: a, category: praise, date: 2024-10-12, points: 2, reason: 获市级表扬}
  - {unit: a, category: praise, date: 2024-11-03, points: 2, reason: 经验被推广}
  - {unit: d, category: praise, date: 2024-12-01, points: 1, reason: 信息被采用}
""",
}
ARGS = ("--quarter", "Q4", "--year", "2024", "--as-of", "2025-01-15")

ZH_MD = """### （三）约谈单位

按照考核办法，对排名后1位（并列）的丙局、丁局进行约谈提醒，限期整改。

## 二、负面清单扣分情况

2024年第四季度共有负面清单扣分1起（推进不力1起），合计扣3.00分。

| 序号 | 单位 | 类别 | 日期 | 扣分 | 事由 |
|---:|---|---|---|---:|---|
| 1 | 丙局 | 推进不力 | 2024年12月20日 | 3.00 | 年底节点预扣（预扣，2025年1月8日已返还，晚于本期末，本期仍计分） |

## 三、加分情况

2024年第四季度共有加分3起（获上级表扬3起），合计加5.00分；甲局加分超过上限，按3.00分计入得分。

| 序号 | 单位 | 类别 | 日期 | 加分 | 事由 |
|---:|---|---|---|---:|---|
| 1 | 甲局 | 获上级表扬 | 2024年10月12日 | 2.00 | 获市级表扬 |
| 2 | 甲局 | 获上级表扬 | 2024年11月3日 | 2.00 | 经验被推广 |
| 3 | 丁局 | 获上级表扬 | 2024年12月1日 | 1.00 | 信息被采用 |

测试区委督查室

2025年1月15日
"""

EN_MD = """### (3) Units called for interview

Under the scheme the bottom 1 (tied) are called for a reminder talk and must put things right within a set time: 丙局, 丁局.

## 2. Deductions (negative list)

Q4 2024: 1 deduction (推进不力: 1), 3.00 points in all.

| No. | Unit | Category | Date | Points | Reason |
|---:|---|---|---|---:|---|
| 1 | 丙局 | 推进不力 | 20 December 2024 | 3.00 | 年底节点预扣 (provisional; restored 8 January 2025, after the period's end: counted in it) |

## 3. Bonuses

Q4 2024: 3 bonuses (获上级表扬: 3), 5.00 points in all; capped at 3.00 points in the score: 甲局.

| No. | Unit | Category | Date | Points | Reason |
|---:|---|---|---|---:|---|
| 1 | 甲局 | 获上级表扬 | 12 October 2024 | 2.00 | 获市级表扬 |
| 2 | 甲局 | 获上级表扬 | 3 November 2024 | 2.00 | 经验被推广 |
| 3 | 丁局 | 获上级表扬 | 1 December 2024 | 1.00 | 信息被采用 |

测试区委督查室

15 January 2025
"""

ZH_HTML = """<h3>（三）约谈单位</h3>
<p>按照考核办法，对排名后1位（并列）的丙局、丁局进行约谈提醒，限期整改。</p>
</section>

<section>
<h2>二、负面清单扣分情况</h2>
<p>2024年第四季度共有负面清单扣分1起（推进不力1起），合计扣3.00分。</p>
<table class="deductions">
<colgroup><col style="width:7%"><col style="width:14%"><col style="width:18%"><col style="width:16%"><col style="width:12%"><col style="width:33%"></colgroup>
<thead><tr><th>序号</th><th>单位</th><th>类别</th><th>日期</th><th>扣分</th><th>事由</th></tr></thead>
<tbody>
<tr><td class="c">1</td><td>丙局</td><td>推进不力</td><td class="c">2024年12月20日</td><td class="num">3.00</td><td>年底节点预扣（预扣，2025年1月8日已返还，晚于本期末，本期仍计分）</td></tr>
</tbody>
</table>
</section>

<section>
<h2>三、加分情况</h2>
<p>2024年第四季度共有加分3起（获上级表扬3起），合计加5.00分；甲局加分超过上限，按3.00分计入得分。</p>
<table class="bonuses">
<colgroup><col style="width:7%"><col style="width:14%"><col style="width:18%"><col style="width:16%"><col style="width:12%"><col style="width:33%"></colgroup>
<thead><tr><th>序号</th><th>单位</th><th>类别</th><th>日期</th><th>加分</th><th>事由</th></tr></thead>
<tbody>
<tr><td class="c">1</td><td>甲局</td><td>获上级表扬</td><td class="c">2024年10月12日</td><td class="num">2.00</td><td>获市级表扬</td></tr>
<tr><td class="c">2</td><td>甲局</td><td>获上级表扬</td><td class="c">2024年11月3日</td><td class="num">2.00</td><td>经验被推广</td></tr>
<tr><td class="c">3</td><td>丁局</td><td>获上级表扬</td><td class="c">2024年12月1日</td><td class="num">1.00</td><td>信息被采用</td></tr>
</tbody>
</table>
</section>
"""

EN_HTML = """<h3>(3) Units called for interview</h3>
<p>Under the scheme the bottom 1 (tied) are called for a reminder talk and must put things right within a set time: 丙局, 丁局.</p>
</section>

<section>
<h2>2. Deductions (negative list)</h2>
<p>Q4 2024: 1 deduction (推进不力: 1), 3.00 points in all.</p>
<table class="deductions">
<colgroup><col style="width:6%"><col style="width:14%"><col style="width:18%"><col style="width:16%"><col style="width:12%"><col style="width:34%"></colgroup>
<thead><tr><th>No.</th><th>Unit</th><th>Category</th><th>Date</th><th>Points</th><th>Reason</th></tr></thead>
<tbody>
<tr><td class="c">1</td><td>丙局</td><td>推进不力</td><td class="c">20 December 2024</td><td class="num">3.00</td><td>年底节点预扣 (provisional; restored 8 January 2025, after the period&#39;s end: counted in it)</td></tr>
</tbody>
</table>
</section>

<section>
<h2>3. Bonuses</h2>
<p>Q4 2024: 3 bonuses (获上级表扬: 3), 5.00 points in all; capped at 3.00 points in the score: 甲局.</p>
<table class="bonuses">
<colgroup><col style="width:6%"><col style="width:14%"><col style="width:18%"><col style="width:16%"><col style="width:12%"><col style="width:34%"></colgroup>
<thead><tr><th>No.</th><th>Unit</th><th>Category</th><th>Date</th><th>Points</th><th>Reason</th></tr></thead>
<tbody>
<tr><td class="c">1</td><td>甲局</td><td>获上级表扬</td><td class="c">12 October 2024</td><td class="num">2.00</td><td>获市级表扬</td></tr>
<tr><td class="c">2</td><td>甲局</td><td>获上级表扬</td><td class="c">3 November 2024</td><td class="num">2.00</td><td>经验被推广</td></tr>
<tr><td class="c">3</td><td>丁局</td><td>获上级表扬</td><td class="c">1 December 2024</td><td class="num">1.00</td><td>信息被采用</td></tr>
</tbody>
</table>
</section>
"""


def _run(cli: Callable[..., Run], root: Path, *args: str) -> str:
    r = cli("bulletin", root, *ARGS, *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize(("lang", "expected"), [("zh", ZH_MD), ("en", EN_MD)])
def test_markdown(lang: str, expected: str, write: Callable[..., Path],
                  cli: Callable[..., Run]) -> None:
    out = _run(cli, write(LEDGER), "--lang", lang)
    assert out[out.index(expected.split("\n", 1)[0]):] == expected


@pytest.mark.parametrize(("lang", "expected"), [("zh", ZH_HTML), ("en", EN_HTML)])
def test_html(lang: str, expected: str, write: Callable[..., Path],
              cli: Callable[..., Run]) -> None:
    out = _run(cli, write(LEDGER), "--lang", lang, "--format", "html")
    assert expected in out
    # the ranking's column is "Deductions" in English HTML too, as in md and docx
    head = ("<th>扣分</th><th>得分</th><th>等次</th>" if lang == "zh"
            else "<th>Deductions</th><th>Score</th><th>Grade</th>")
    assert head in out and "Points off" not in out


@pytest.mark.parametrize(("lang", "expected"), [("zh", ZH_MD), ("en", EN_MD)])
def test_docx(lang: str, expected: str, write: Callable[..., Path],
              cli: Callable[..., Run], tmp_path: Path) -> None:
    root = write(LEDGER)
    out = tmp_path / "b.docx"
    _run(cli, root, "--lang", lang, "-o", str(out))
    word = docx_blocks(out)
    want = md_blocks(expected)
    start = word.index(want[0])
    assert word[start:] == want
    if lang == "en":  # the ranking table's header, as the English md and HTML
        ranking = next(rows for kind, rows in word if kind == "table" and rows[0][0] == "Rank")
        assert ranking[0] == ["Rank", "Unit", "Deductions", "Score", "Grade", "Remarks"]


def test_restoration_after_the_as_of_date_is_not_known_yet(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """As of 5 January 2025 the 预扣 of 20 December is not given back yet: a bare
    （预扣）, counted."""
    r = cli("bulletin", write(LEDGER), "--quarter", "Q4", "--year", "2024",
            "--as-of", "2025-01-05")
    assert r.exit_code == 0, r.stderr
    assert ("| 1 | 丙局 | 推进不力 | 2024年12月20日 | 3.00 | 年底节点预扣（预扣） |\n"
            in r.stdout)


def test_public_edition_counts_bonuses_without_entries(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """--edition public leaves out the entries and the total, as for the deductions (and
    ends with the public edition's 附注 （此件公开发布） under the date)."""
    out = _run(cli, write(LEDGER), "--edition", "public")
    section = out[out.index("## 三、加分情况"):]
    assert section == ("## 三、加分情况\n\n2024年第四季度共有加分3起（获上级表扬3起）。\n\n"
                       "测试区委督查室\n\n2025年1月15日\n\n（此件公开发布）\n")


def test_unit_notice_lists_its_own_bonuses(write: Callable[..., Path],
                                           cli: Callable[..., Run]) -> None:
    out = _run(cli, write(LEDGER), "--unit", "d")
    section = out[out.index("、加分情况"):]
    assert section.split("\n\n")[1:3] == [
        "2024年第四季度共有加分1起（获上级表扬1起），合计加1.00分。",
        "| 序号 | 单位 | 类别 | 日期 | 加分 | 事由 |\n|---:|---|---|---|---:|---|\n"
        "| 1 | 丁局 | 获上级表扬 | 2024年12月1日 | 1.00 | 信息被采用 |"]


def test_no_bonuses_no_section(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """A period without bonuses has no such section (and 丁局, 79.00, is alone at the bottom: no （并列）)."""
    files = dict(LEDGER)
    rec = files["records/2024-Q4.yaml"]
    files["records/2024-Q4.yaml"] = rec[:rec.index("bonuses:")]
    out = _run(cli, write(files))
    assert "加分" not in out
    assert "按照考核办法，对排名后1位的丁局进行约谈提醒，限期整改。" in out


def test_the_cap_is_named_only_where_a_score_took_it(tmp_path: Path,
                                                      cli: Callable[..., Run]) -> None:
    """The cap applies per scored period (SPEC §10): 南院门街道's 2 + 2 points of the
    碑林 ledger's Q1 are one quarter's 4, capped at 3 — said under 加分情况, as the
    ranking's remarks say it.  Moved apart (2 in Q1, 2 in Q2) neither quarter reaches
    the cap, and the half year's bulletin, which has no score of its own, must not
    claim "按3.00分计入得分" for the 4 it lists (it summed the half year itself)."""
    import shutil

    root = tmp_path / "bl"
    shutil.copytree(Path(__file__).parent.parent / "ledgers" / "beilin-2024-kaohe", root)
    q1 = cli("bulletin", root, "--quarter", "Q1").stdout
    assert "；南院门街道加分超过上限，按3.00分计入得分。" in q1
    moved = "  - {unit: nanyuanmen, category: praise, date: 2024-03-25, points: 2, reason: 获市级表扬}\n"
    rec1, rec2 = root / "records" / "2024-Q1.yaml", root / "records" / "2024-Q2.yaml"
    text = rec1.read_text(encoding="utf-8")
    assert moved in text
    rec1.write_text(text.replace(moved, ""), encoding="utf-8")
    rec2.write_text(rec2.read_text(encoding="utf-8").replace(
        "bonuses:\n", "bonuses:\n" + moved.replace("2024-03-25", "2024-05-10"), 1),
        encoding="utf-8")
    half = cli("bulletin", root, "--half", "H1")
    assert half.exit_code == 0, half.stderr
    line = next(x for x in half.stdout.splitlines() if x.startswith("2024年上半年共有加分"))
    assert line.endswith("合计加6.00分。") and "上限" not in line, line
    q1 = cli("bulletin", root, "--quarter", "Q1").stdout
    assert "上限" not in q1.split("加分情况")[1]
