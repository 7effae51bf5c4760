"""`luoshi_cli.api`, the library face: what the commands print is what a Python
caller gets, with typed results and exceptions from the one tree."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run
from luoshi_cli import api
from luoshi_cli.core.errors import LedgerRejected, ScoringError, UsageError
from luoshi_cli.ops.scoring import result_json

GOLDEN = Path(__file__).resolve().parent / "golden" / "bulletin"
TODAY = date(2026, 1, 1)


def test_the_quarterly_bulletin_from_python_is_the_golden_one() -> None:
    v = api.checked(EXAMPLE, date(2021, 6, 30), today=TODAY)
    req = api.bulletin_request("quarter", "2021-Q2")
    text = api.bulletin(v.loaded.ledger, req, "md", own=EXAMPLE / "templates")
    assert text == (GOLDEN / "weinan-2021-Q2.md").read_bytes().decode("utf-8")


def test_scores_from_python_are_the_json_of_luoshi_score(cli: Callable[..., Run]) -> None:
    led = api.checked(EXAMPLE, date(2021, 6, 30), today=TODAY).loaded.ledger
    result = api.score(led, "2021-Q2")
    r = cli("score", EXAMPLE, "--quarter", "Q2", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(json.dumps(result_json(result))) == json.loads(r.stdout)


def test_status_of_one_unit_and_a_unit_that_is_not_there() -> None:
    led = api.validate(EXAMPLE, date(2021, 6, 30)).loaded.ledger
    unit = sorted(led.units)[0]
    report = api.status(led, date(2021, 6, 30), unit=unit)
    assert report.as_of == date(2021, 6, 30)
    with pytest.raises(UsageError) as err:
        api.status(led, date(2021, 6, 30), unit="no-such-unit")
    assert err.value.label.en == "--unit no-such-unit: no such unit in the ledger (see units.yaml)"
    assert err.value.code == 2


def test_the_gate_refuses_a_ledger_with_errors(write: Callable[..., Path]) -> None:
    root = write({"luoshi.yaml": "title: t\nyear: 2024\n", "units.yaml": "units: nope\n"})
    with pytest.raises(LedgerRejected) as err:
        api.checked(root, date(2024, 5, 31), today=TODAY)
    assert err.value.code == 1
    assert err.value.errors and all(f.severity == "error" for f in err.value.errors)
    assert len(err.value.errors) == 1
    assert err.value.label.en == "the ledger has 1 error; fix it first (see luoshi validate)"


def test_score_without_a_scheme_is_a_scoring_error(write: Callable[..., Path]) -> None:
    led = api.validate(Path(__file__).parent.parent / "ledgers" / "beilin-2024",
                       date(2024, 6, 3)).loaded.ledger
    with pytest.raises(ScoringError) as err:
        api.score(led, "2024-Q2")
    assert err.value.code == 1


def test_diff_from_python(tmp_path: Path) -> None:
    """Two commits of the example: one task closed, compared as `luoshi diff v1 v2`."""
    import shutil

    from conftest import commit, edit, git

    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    edit(root / "tasks/style.yaml", "  status: done\n  progress: 100\n",
         "  status: closed\n  progress: 100\n"
         "  closed: {date: 2021-06-30, approved_by: zhang-fushuji, evidence: 到岗名单}\n")
    commit(root, "v2")
    d = api.diff(root, "HEAD~1", "HEAD", as_of=date(2021, 6, 30), today=TODAY)
    assert [t.id for t in d.diff.closed] == ["WN-020"]
    assert d.before_commit is not None and d.after_commit is not None
    assert d.before_commit != d.after_commit
    assert d.language == "zh"
    worktree = api.diff(root, "HEAD", as_of=date(2021, 6, 30), today=TODAY, lang="en")
    assert worktree.after_commit is None and worktree.diff.empty


def test_export_from_python_is_the_file_luoshi_export_writes(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "ledger.xlsx"
    r = cli("export", EXAMPLE, "-o", out, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    led = api.checked(EXAMPLE, date(2021, 6, 30), today=TODAY).loaded.ledger
    data, result = api.export(led, date(2021, 6, 30), "zh")
    assert data == out.read_bytes()
    assert result.sheets[:3] == ["任务台账", "任务明细", "汇总"]


def test_validate_without_the_cache_finds_the_same(example: Path) -> None:
    (example / "tasks" / "style.yaml").write_text(
        (example / "tasks" / "style.yaml").read_text(encoding="utf-8")
        .replace("  progress: 100\n", "  progress: 120\n", 1), encoding="utf-8")
    cached = api.validate(example, date(2021, 6, 30), keep_tasks=False)
    fresh = api.validate(example, date(2021, 6, 30), cache=False, keep_tasks=False)
    assert cached.errors == fresh.errors == 1
    assert cached.findings == fresh.findings
    assert [f.code for f in fresh.findings if f.severity == "error"] == ["LS205"]
