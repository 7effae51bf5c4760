"""The export's 得分 sheets say what `luoshi score` says (SPEC §10): a rule applied is
shown by its `note`, never its id (`report.scores.rule_names`), and a grade a rule or
the grade quota moved shows the grade before it — `score`'s 良好（优秀→良好）, in a
调整前等次 column of its own, so that 等次 holds only the scheme's grades (an office
filters and pivots on it) — in Chinese and in English.  A note is ledger text: it reaches the cell
as text, never as a formula."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

CONFIG = """title: 测试台账
issuer: 督查室
year: 2024
language: zh
categories:
  - {id: key, name: 重点任务}
"""

UNITS = """units:
  - {id: a, name: 甲局, kind: department}
  - {id: b, name: 乙局, kind: department}
  - {id: c, name: 丙局, kind: department}
  - {id: d, name: 丁局, kind: department}
"""

SCHEME = """id: t-2024
title: 测试考核办法
cadence: quarterly
rounding: {places: 2}
components:
  - {id: work, name: 工作落实, weight: 100}
deductions:
  categories:
    - {id: fake, name: 弄虚作假, min: 5, max: 10}
    - {id: odd, name: 其他, min: 1, max: 5}
bonuses:
  cap: 3
  ceiling: 100
  categories:
    - {id: praise, name: 获上级表扬, min: 1, max: 2}
grades:
  - {name: 优秀, min: 90, max_share: 25}
  - {name: 良好, min: 80}
  - {name: 一般, min: 0}
rules:
  - {id: fake-cap, when: {deductions_in: [fake]}, max_grade: 一般, note: 有弄虚作假情形的不得评为良好以上}
  - {id: praised, when: {bonuses_in: [praise]}, min_grade: 良好, note: 获上级表扬的不低于良好}
  - {id: odd-cap, when: {deductions_in: [odd]}, max_grade: 良好, note: "=1+1 其他问题"}
"""

RECORD = """period: 2024-Q4
scores:
  a: {work: 96}
  b: {work: 94}
  c: {work: 78}
  d: {work: 97}
deductions:
  - {unit: d, category: fake, date: 2024-11-05, points: 5, reason: 虚报进度}
  - {unit: b, category: odd, date: 2024-11-06, points: 1, reason: 其他}
bonuses:
  - {unit: c, category: praise, date: 2024-12-12, points: 2, reason: 获市级表扬}
"""


def _ledger(write: Any) -> Path:
    root: Path = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "scheme.yaml": SCHEME,
                        "records/2024-Q4.yaml": RECORD})
    return root


def _rows(cli: Any, root: Path, out: Path, sheet: str, *lang: str) -> list[list[Any]]:
    r = cli("export", root, "-o", out, "--as-of", "2024-12-31", *lang)
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(out)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def test_scores_sheet_words_rules_and_grades_as_score_does(cli: Any, write: Any,
                                                           tmp_path: Path) -> None:
    root = _ledger(write)
    rows = _rows(cli, root, tmp_path / "w.xlsx", "得分 2024-Q4")
    assert rows == [
        # 工作落实: the component's score as the record writes it, before deductions
        # and bonuses (b 94 − 1 = 93, d 97 − 5 = 92, c 78 + 2 = 80)
        ["排名", "单位", "编号", "得分", "等次", "调整前等次", "扣分", "加分", "约谈", "适用规则", "工作落实"],
        [1, "甲局", "a", 96, "优秀", None, 0, None, None, None, 96],
        # 优秀 for one unit in four (max_share 25): the second is moved by the quota
        [2, "乙局", "b", 93, "良好", "优秀", 1, None, None, "'=1+1 其他问题", 94],
        [3, "丁局", "d", 92, "一般", "优秀", 5, None, None, "有弄虚作假情形的不得评为良好以上", 97],
        [4, "丙局", "c", 80, "良好", None, 0, 2, None, "获上级表扬的不低于良好", 78],
    ]
    # the same words as `luoshi score`
    r = cli("score", root, "-q", "Q4", "--as-of", "2024-12-31")
    assert r.exit_code == 0, r.stderr
    for words in ("良好（优秀→良好）", "一般（优秀→一般）", "=1+1 其他问题",
                  "有弄虚作假情形的不得评为良好以上", "获上级表扬的不低于良好"):
        assert words in r.stdout
    for rule_id in ("fake-cap", "praised", "odd-cap"):
        assert rule_id not in r.stdout


def test_scores_sheet_in_english(cli: Any, write: Any, tmp_path: Path) -> None:
    root = _ledger(write)
    rows = _rows(cli, root, tmp_path / "en.xlsx", "Scores 2024-Q4", "--lang", "en")
    assert [row[4:6] for row in rows] == [["Grade", "Grade before rules"], ["优秀", None],
                                          ["良好", "优秀"], ["一般", "优秀"], ["良好", None]]
    assert [row[9] for row in rows] == ["Rules applied", None, "'=1+1 其他问题",
                                        "有弄虚作假情形的不得评为良好以上", "获上级表扬的不低于良好"]


def test_a_formula_like_note_is_a_text_cell(cli: Any, write: Any, tmp_path: Path) -> None:
    root = _ledger(write)
    out = tmp_path / "w.xlsx"
    assert cli("export", root, "-o", out, "--as-of", "2024-12-31").exit_code == 0
    cell = openpyxl.load_workbook(out)["得分 2024-Q4"]["J4"]
    assert (cell.value, cell.data_type) == ("'=1+1 其他问题", "s")
