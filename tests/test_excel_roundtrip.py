"""Export a ledger, import its 任务台账 sheet back: the same tasks come out."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import BEILIN, EXAMPLE
from luoshi_cli.ledger import open_ledger

FIELDS = ("id", "title", "category", "lead", "units", "cooperating", "leaders", "start",
          "standard", "milestones", "status", "progress", "closed")


@pytest.mark.parametrize(("source", "as_of", "lang"), [
    (EXAMPLE, "2021-06-30", "zh"),
    (BEILIN, "2024-05-31", "zh"),
    (BEILIN, "2024-05-31", "en"),
])
def test_round_trip(cli: Any, tmp_path: Path, source: Path, as_of: str, lang: str) -> None:
    book = tmp_path / "ledger.xlsx"
    r = cli("export", source, "-o", book, "--as-of", as_of, "--lang", lang)
    assert r.exit_code == 0, r.stderr
    copy = tmp_path / "copy"
    shutil.copytree(source, copy)
    for f in (copy / "tasks").glob("*.yaml"):
        f.unlink()
    out = copy / "tasks" / "all.yaml"
    r = cli("import", "tasks", book, copy, "-o", out, "--as-of", as_of)
    assert r.exit_code == 0, r.stderr
    before = open_ledger(source).ledger.tasks
    after = open_ledger(copy).ledger.tasks
    assert [t.id for t in after] == [t.id for t in before]
    for a, b in zip(before, after, strict=True):
        for name in FIELDS:
            assert getattr(b, name) == getattr(a, name), (a.id, name)
        # the last monthly report comes back as that month's update
        if a.updates and a.updates[-1].note:
            assert b.updates[-1].month == a.updates[-1].month
            assert b.updates[-1].note == a.updates[-1].note
    v = cli("validate", copy, "--as-of", as_of)
    assert v.exit_code == 0, v.stdout
    assert v.stdout == ""
