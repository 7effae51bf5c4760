"""A ledger that says `language: en` is answered in English by every command — its
errors too, when they come after the ledger is read and do not know their own
language (they were told in LUOSHI_LANG's, by default Chinese)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

RECORD = """period: 2024-Q1
scores:
  drc: {daily: 90}
  housing: {}
  civil: {daily: 80}
  east-gate: {daily: 85}
"""


@pytest.fixture
def english(cli: Callable[..., Run], tmp_path: Path) -> Path:
    """luoshi's own English starter, with a Q1 record that leaves one score out."""
    root = tmp_path / "enq"
    r = cli("init", root, "--year", "2024", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    (root / "records").mkdir(exist_ok=True)
    (root / "records" / "2024-Q1.yaml").write_text(RECORD, encoding="utf-8")
    return root


def test_a_bulletin_refused_on_an_english_ledger_says_why_in_english(
        cli: Callable[..., Run], english: Path) -> None:
    r = cli("bulletin", english, "-q", "Q1", env={"LUOSHI_LANG": ""})
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == (
        "luoshi: 1 unit has missing scores, so the ranking is not reliable: District "
        "Housing and Construction Bureau lacks Day-to-day work. Record the scores, or add "
        "--allow-missing (the bulletin says so)\n")
    r = cli("bulletin", english, "-q", "Q1", "--year", "2023", env={"LUOSHI_LANG": ""})
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.startswith("luoshi: 2023-Q1 is outside the ledger's year 2024")
    # --lang still decides over the ledger
    r = cli("bulletin", english, "-q", "Q1", "--lang", "zh")
    assert r.stderr.startswith("luoshi: 1 个单位缺少评分，排名不可靠")


def test_a_template_error_on_an_english_ledger_is_in_english(
        cli: Callable[..., Run], english: Path) -> None:
    own = english / "templates"
    own.mkdir()
    (own / "bulletin.en.md.j2").write_text("{{ nosuch.thing }}\n", encoding="utf-8")
    (own / "supervise.md.j2").write_text("{% for %}\n", encoding="utf-8")
    r = cli("bulletin", english, "-q", "Q1", "--allow-missing", env={"LUOSHI_LANG": ""})
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.startswith("luoshi: template error: templates/bulletin.en.md.j2:1: "), \
        r.stderr
    r = cli("supervise", english, "--unit", "drc", env={"LUOSHI_LANG": ""})
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.startswith("luoshi: template error: templates/supervise.md.j2:1: "), \
        r.stderr
