"""Scheme v2 in Excel (SPEC §10): `n/a` / 不适用 in a score sheet's cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_excel_import import score_sheet


def test_na_token_in_a_score_cell(cli: Any, example: Path, tmp_path: Path) -> None:
    (example / "records" / "2021-Q2.yaml").unlink()
    sheet = score_sheet(tmp_path / "s.xlsx", [
        ["崇业路街道", 87.5, "不适用"],
        ["longbei", "N/A", 86.5],
    ], ["单位", "hotline", "service"])
    r = cli("import", "scores", sheet, example, "--period", "2021-Q2")
    assert r.exit_code == 0, r.stderr
    out = example / "records" / "2021-Q2.yaml"
    assert out.read_text(encoding="utf-8") == (
        "# luoshi import scores s.xlsx (sheet 二季度得分)\n"
        "period: 2021-Q2\n"
        "scores:\n"
        "  chongyelu: {hotline: 87.5, service: n/a}\n"
        "  longbei: {hotline: n/a, service: 86.5}\n")
