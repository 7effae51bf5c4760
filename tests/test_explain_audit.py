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
