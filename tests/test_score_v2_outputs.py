"""`luoshi score` shows every scheme v2 element (SPEC §10): the group and in-group
rank, 不适用 components, bonuses and the cap, 预扣/已返还, the quota sentence and each
rule's note — in the table, the CSV, the JSON and `--explain`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Cli = Callable[..., Any]

CONFIG = "title: 测试台账\nyear: 2021\ncategories:\n  - {id: cat, name: 测试}\n"
UNITS = """units:
  - {id: d1, name: 发改局, kind: department}
  - {id: d2, name: 教育局, kind: department}
  - {id: d3, name: 民政局, kind: department}
  - {id: d4, name: 水务局, kind: department}
  - {id: s1, name: 东街道, kind: street}
  - {id: s2, name: 西街道, kind: street}
"""
SCHEME = """id: t
title: 测试考核
components:
  - {id: work, name: 工作, weight: 80}
  - {id: service, name: 政务服务, weight: 20, applies_to: {kinds: [department]}}
deductions:
  categories:
    - {id: slack, name: 混日子, min: 2, max: 4}
bonuses:
  cap: 3
  categories:
    - {id: award, name: 上级表彰, min: 1, max: 3}
grades:
  - {name: 优秀, min: 90, max_share: 50}
  - {name: 良好, min: 80}
  - {name: 一般, min: 0}
rules:
  - {id: frequent, when: {deductions_count: {min: 2}}, downgrade: 1, note: 同类问题频发降一档}
ranking_groups:
  - {id: city, name: 市直单位, kinds: [department]}
  - {id: streets, name: 街道, kinds: [street]}
interview_bottom: 1
"""
RECORD = """period: 2021-Q2
scores:
  d1: {work: 95, service: 95}
  d2: {work: 94, service: 94}
  d3: {work: 93, service: 93}
  d4: {work: 85, service: n/a}
  s1: {work: 90}
  s2: {work: 70}
deductions:
  - {unit: s2, category: slack, date: 2021-04-01, points: 2}
  - {unit: s2, category: slack, date: 2021-04-02, points: 2, provisional: true}
  - {unit: d4, category: slack, date: 2021-04-03, points: 3, provisional: true,
     restored: {date: 2021-06-01, approved_by: 考核办, reason: 已整改}}
bonuses:
  - {unit: s1, category: award, date: 2021-05-01, points: 3}
  - {unit: s1, category: award, date: 2021-05-02, points: 2}
"""


def ledger(write: Callable[..., Path]) -> Path:
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "scheme.yaml": SCHEME,
                  "records/2021-Q2.yaml": RECORD})


def test_table_shows_groups_bonuses_na_quota_and_notes(cli: Cli, write: Callable[..., Path]
                                                      ) -> None:
    """市直单位 (4 units): d1 95, d2 94, d3 93 优秀 by score; quota floor(4×50/100) = 2 →
    d3 (rank 3) moves to 良好; d4 85 (service n/a → work alone), its provisional 3 was
    restored on 06-01 → not deducted.
    街道 (2 units): s1 90 + bonuses 5 capped at 3 = 93 → 优秀 (quota floor(2×50/100) = 1,
    s1 keeps it); s2 70 − 2 − 2 (one provisional, not restored) = 66, two incidents →
    frequent → 一般 stays 一般 (the last band); interview_bottom 1 per group: d4, s2."""
    r = cli("score", ledger(write), "--quarter", "Q2", "--as-of", "2021-12-31")
    assert r.exit_code == 0, r.stderr
    lines = [x.split() for x in r.stdout.splitlines()]
    rows = [x for x in lines if x and x[0] in ("市直单位", "街道")]
    assert rows == [
        ["市直单位", "1", "发改局", "d1", "95.00", "优秀"],
        ["市直单位", "2", "教育局", "d2", "94.00", "优秀"],
        ["市直单位", "3", "民政局", "d3", "93.00", "良好（优秀→良好）"],
        ["市直单位", "4", "水务局", "d4", "85.00", "良好", "约谈", "政务服务"],
        ["街道", "1", "东街道", "s1", "93.00", "优秀", "3.00", "政务服务"],
        ["街道", "2", "西街道", "s2", "66.00", "一般", "4.00", "同类问题频发降一档", "约谈",
         "政务服务"],
    ]
    assert "市直单位：优秀名额 2 个，第 3 名顺延为良好" in r.stdout
    assert "frequent" not in r.stdout  # the note is printed, never the rule's id
    en = cli("score", ledger(write), "--quarter", "Q2", "--as-of", "2021-12-31",
             "--lang", "en")
    assert "市直单位: 优秀: 2 places; rank 3 moves to 良好" in en.stdout


def test_json_and_csv_carry_the_v2_keys(cli: Cli, write: Callable[..., Path]) -> None:
    root = ledger(write)
    r = cli("score", root, "--quarter", "Q2", "--format", "json", "--as-of", "2021-12-31")
    doc = json.loads(r.stdout)
    by = {u["unit"]: u for u in doc["units"]}
    assert (by["d3"]["group"], by["d3"]["rank"], by["d3"]["quota_from"]) == ("city", 3, "优秀")
    assert by["d4"]["not_applicable"] == ["service"]
    assert by["d4"]["restored"] == [{"category": "slack", "date": "2021-04-03", "points": 3,
                                     "restored": "2021-06-01", "reason": None}]
    assert (by["s1"]["bonuses"], by["s1"]["bonus_total"]) == (3, 5)
    assert by["s2"]["rule_notes"] == ["同类问题频发降一档"]
    assert [i.get("provisional", False) for i in by["s2"]["incidents"]] == [False, True]
    assert doc["quotas"][0] == {"group": "city", "grade": "优秀", "next_grade": "良好",
                                "max_share": 50, "units": 4, "allowed": 2,
                                "kept": ["d1", "d2"], "moved": ["d3"], "exceeded": False}
    r = cli("score", root, "--quarter", "Q2", "--format", "csv", "--as-of", "2021-12-31")
    head = r.stdout.lstrip("\ufeff").splitlines()[0].split(",")
    assert head[11:15] == ["group", "bonuses", "not_applicable", "quota_from"]


def test_explain_shows_each_element(cli: Cli, write: Callable[..., Path]) -> None:
    root = ledger(write)
    r = cli("score", root, "--quarter", "Q2", "--explain", "d4", "--as-of", "2021-12-31")
    assert r.exit_code == 0, r.stderr
    assert "市直单位组内第 4 名（共 4 个单位）" in r.stdout
    assert "不适用：不计入，其余权重按比例折算" in r.stdout
    assert "已返还 3（2021-04-03，混日子，2021-06-01 返还）：不计扣分" in r.stdout
    r = cli("score", root, "--quarter", "Q2", "--explain", "s1", "--as-of", "2021-12-31")
    assert "加分合计 5，超过上限，按上限 3 计" in r.stdout
    assert "90 − 0 + 3 = 93" in r.stdout
    r = cli("score", root, "--quarter", "Q2", "--explain", "s2", "--as-of", "2021-12-31")
    assert "预扣 2（2021-04-02，混日子）：尚未返还" in r.stdout
    assert "规则“同类问题频发降一档”（扣分2次）降档：一般（等次不变）" in r.stdout
    r = cli("score", root, "--quarter", "Q2", "--explain", "d3", "--as-of", "2021-12-31")
    assert "优秀名额已满（市直单位按比例），顺延为良好" in r.stdout
