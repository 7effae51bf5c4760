"""Audit F: `score --explain` shows exact values cut (never rounded) and an n/a quarter
of the annual mean as 不适用, as the quarterly explanation does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from luoshi_cli.report.explain import exact_text


def test_exact_values_are_cut_not_rounded() -> None:
    # rounded to 6 places this would read 89.995000…, which half-up publishes as 90.00
    assert exact_text(Decimal("89.9949999999999999")) == "89.994999…"
    assert exact_text(Decimal("-0.0000009")) == "-0.000000…"
    assert exact_text(Decimal("84.5125")) == "84.5125"
    # 29 digits: `normalize()` under the default 28-digit context made this 89.995
    assert exact_text(Decimal("89.994999999999999999999999999")) == "89.994999…"
    assert exact_text(Decimal("85.1234560000000000000000000000000")) == "85.123456"


def test_annual_explain_says_not_applicable_for_an_na_quarter(cli: Any, example: Path) -> None:
    q3 = example / "records" / "2021-Q3.yaml"
    text = q3.read_text(encoding="utf-8")
    old = "  longbei:       {hotline: 81, service: 86}\n"
    assert old in text
    q3.write_text(text.replace(old, "  longbei:       {hotline: n/a, service: 86}\n"),
                  encoding="utf-8")
    r = cli("score", example, "--annual", "--as-of", "2021-12-31", "--explain", "longbei")
    assert r.exit_code == 0, r.stderr
    (line,) = [x for x in r.stdout.splitlines() if "“12345”快速响应平台群众诉求办理情况" in x]
    assert "季度平均：Q1 80.50 · Q2 79.50 · Q3 不适用 · Q4 86.50" in line
    r = cli("score", example, "--annual", "--as-of", "2021-12-31", "--explain", "longbei",
            "--lang", "en")
    (line,) = [x for x in r.stdout.splitlines() if "“12345”快速响应平台群众诉求办理情况" in x]
    assert "mean of quarters: Q1 80.50 · Q2 79.50 · Q3 n/a · Q4 86.50" in line


NA_SUBTREE = {
    "luoshi.yaml": "title: 测试台账\nyear: 2021\ncategories:\n  - {id: cat, name: 测试}\n",
    "units.yaml": "units:\n  - {id: u, name: 金城社区}\n  - {id: v, name: 龙背街道}\n",
    "scheme.yaml": """id: t
title: 测试考核
components:
  - id: special
    name: 专项任务
    weight: 80
    children:
      - id: activities
        name: 活动开展
        weight: 70
        children:
          - {id: a1, name: 大培训, weight: 50}
          - {id: a2, name: 大督导, weight: 50}
      - {id: hotline, name: 群众诉求办理, weight: 30}
  - {id: survey, name: 民主测评, weight: 20, cadence: annual}
grades:
  - {name: 优秀, min: 90}
  - {name: 较差, min: 0}
""",
    "records/2021-Q2.yaml": """period: 2021-Q2
scores:
  u: {a1: n/a, a2: 不适用, hotline: 90}
  v: {a1: 80, a2: 不适用, hotline: 90}
""",
}


def test_a_subtree_whose_every_leaf_is_na_says_not_applicable(cli: Any, write: Any) -> None:
    """u writes n/a for both leaves of 活动开展: the subtree is not applicable to u in Q2,
    not "not assessed in this period (quarterly)" — it is quarterly, and assessed for v.
    Its leaves are shown, each 不适用.  u = 群众诉求办理 alone (活动开展 and the annual
    民主测评 left out, weights renormalised) = 90.  v: 活动开展 = 大培训 alone = 80, so
    专项任务 = (70 × 80 + 30 × 90) / 100 = 83 — no 不适用 line but 大督导's."""
    root = write(NA_SUBTREE)
    r = cli("score", root, "--quarter", "Q2", "--explain", "u", "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    lines = {x.split()[0]: x for x in r.stdout.splitlines() if x.startswith("  ")}
    assert "不适用：不计入，其余权重按比例折算" in lines["活动开展"]
    assert lines["大培训"].rstrip().endswith("不适用")
    assert lines["大督导"].rstrip().endswith("不适用")
    assert "本期不考核" not in r.stdout.split("民主测评")[0]
    assert "本期不考核（年度考核）" in r.stdout.split("民主测评")[1].splitlines()[0]
    assert "得分 90.00" in r.stdout
    en = cli("score", root, "--quarter", "Q2", "--explain", "u", "--as-of", "2021-06-30",
             "--lang", "en")
    lines = {x.split()[0]: x for x in en.stdout.splitlines() if x.startswith("  ")}
    assert "not applicable (n/a): left out" in lines["活动开展"]
    assert lines["大督导"].rstrip().endswith("not applicable")
    v = cli("score", root, "--quarter", "Q2", "--explain", "v", "--as-of", "2021-06-30")
    assert "得分 83.00" in v.stdout
    assert [x.split()[0] for x in v.stdout.splitlines() if "不适用" in x] == ["大督导"]


def test_the_years_missing_checklist_line_is_named(cli: Any, example: Path) -> None:
    """chongyelu's Q2 push points leave out c2 (开展2021年度重点项目建设考核, counted 0).
    The quarter's explanation named it; the year's said 大推进（2021-Q2，c2）: its tree
    holds the quarterly leaf as a mean of quarters, with no checklist lines to name it
    from.  It is named from the scheme now, as the bulletin names it — in the
    explanation and in the annual table's 缺失得分 column.  The year: 87.05 less
    3.5 × 25% (大推进 in 活动开展) × 70% × 80% / 4 quarters = 0.1225 → 86.9275 → 86.93."""
    q2 = example / "records" / "2021-Q2.yaml"
    lines = q2.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("  chongyelu:\n") + 4  # training, exercise, oversight, push
    assert lines[at].startswith("    push: {") and lines[at].count(" c2: 3.5,") == 1
    lines[at] = lines[at].replace(" c2: 3.5,", "")
    q2.write_text("".join(lines), encoding="utf-8")
    args = ("score", example, "--annual", "--as-of", "2021-12-31")
    r = cli(*args, "--explain", "chongyelu")
    assert r.exit_code == 0, r.stderr
    assert "得分 86.93，" in r.stdout and "86.9275 − 0 = 86.9275" in r.stdout
    assert "缺失的得分（按 0 分计算）：大推进（2021-Q2，开展2021年度重点项目建设考核）\n" in r.stdout
    en = cli(*args, "--explain", "chongyelu", "--lang", "en")
    assert "Missing scores (counted 0): 大推进 (2021-Q2, 开展2021年度重点项目建设考核)\n" in en.stdout
    table = cli(*args)
    assert "c2" not in table.stdout and "开展2021年度重点项目建设考核" in "".join(
        x.strip() for x in table.stdout.splitlines())
