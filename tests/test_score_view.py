"""`score` scores the tasks as its parse worker saw them (`ops.scoring.view`): each
task's id, title, lead, units, status and milestone dates, made per task file and
cached with it, instead of the whole `Task`.  Whatever the scheme (credit modes,
late credit, the overdue rule, per-unit quality) and whether the rows were made in
this run or read back from the cache, the result is the plain path's: every task
parsed and every rule run over the whole ledger.
"""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given

from conftest import EXAMPLE, Run
from luoshi_cli import api
from luoshi_cli.core.model import Ledger
from luoshi_cli.fast.source import FastSource
from luoshi_cli.load.assemble import DirSource
from luoshi_cli.ops.scoring import ScoreResult, remember_keys, result_json, score_period
from luoshi_cli.ops.scoring.view import score_tasks, score_view
from luoshi_cli.ops.validate import validate
from luoshi_cli.report import scores as score_report
from test_scoring_props import PROPS, ledgers
from test_scoring_v2 import credit_ledger
from test_scoring_v2_props import v2_ledgers

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from gen import generate

KEY = b"v" * 32
TODAY = date(2026, 12, 5)


def shown(result: ScoreResult) -> tuple[str, str, str, str, list[str]]:
    """Everything `luoshi score` prints of a result: json, csv, the table in both
    languages, and the warnings."""
    texts = []
    for render in (score_report.render_json, score_report.render_csv):
        buf = io.StringIO()
        render(result, buf)
        texts.append(buf.getvalue())
    for lang in ("zh", "en"):
        buf = io.StringIO()
        score_report.render_table(result, buf, lang, color=False, width=160)
        texts.append(buf.getvalue())
    return (texts[0], texts[1], texts[2], texts[3],
            [repr(f.as_dict("en")) for f in result.warnings])


def through_view(led: Ledger, period: str, *, partial: bool = False) -> ScoreResult:
    """`period` scored from the views of `led`'s tasks, on the ledger without them."""
    bare = replace(led, tasks=())
    remember_keys(bare, [t.key() for t in led.tasks])
    return score_period(bare, period, partial=partial,
                        tasks=score_tasks(score_view(led, led.tasks)))


@PROPS
@given(ledgers())
def test_views_score_exactly_as_tasks(led: Ledger) -> None:
    for period, partial in (("2021-Q2", False), ("2021", True)):
        plain = score_period(led, period, partial=partial)
        assert result_json(through_view(led, period, partial=partial)) == result_json(plain)


@PROPS
@given(v2_ledgers())
def test_views_score_exactly_as_tasks_under_scheme_v2(led: Ledger) -> None:
    """v2: ranking groups, quotas, bonuses and the overdue-milestones rule."""
    plain = score_period(led, "2021-Q2")
    assert result_json(through_view(led, "2021-Q2")) == result_json(plain)


def plain_and_view(root: Path, as_of: date, period: str) -> tuple[object, list[object]]:
    """What the plain path prints, and what the view path prints cold then warm."""
    led = validate(root, as_of, DirSource(root), by_file=False).loaded.ledger
    plain = shown(api.score(led, period))
    got = []
    for _ in range(2):
        src = FastSource(root, key=KEY, cache_min_bytes=0, jobs=1)
        v = api.checked_for_scoring(root, as_of, today=TODAY, files=src)
        assert not v.loaded.ledger.tasks  # the ledger holds no task: the views stand in
        got.append(shown(api.score(v.loaded.ledger, period, tasks=v.loaded.rows)))
        got.append(src.stats["parsed"])
    return plain, got


@pytest.mark.parametrize("credit,late,quality", [
    ("lead", "", ""),
    ("responsible", "", ""),
    ("all", ", late_per_day: 2", ""),
    ("all", ", late_per_day: 30", "  T-1: {a: 70, b: 60}\n  T-2: 90\n"),
])
def test_credit_modes_cold_and_warm(write: Callable[..., Path], credit: str, late: str,
                                    quality: str) -> None:
    root = credit_ledger(write, credit, late, quality)
    plain, (cold, parsed, warm, parsed_again) = plain_and_view(root, date(2021, 6, 30),
                                                               "2021-Q2")
    assert cold == plain and warm == plain
    assert parsed > 0 and parsed_again == 0  # the second run read the rows back


def test_the_example_and_the_benchmark_ledger(tmp_path: Path) -> None:
    root = tmp_path / "weinan"
    shutil.copytree(EXAMPLE, root)
    plain, got = plain_and_view(root, date(2021, 6, 30), "2021-Q2")
    assert got[0] == plain and got[2] == plain
    gen = generate(tmp_path / "gen", 240, files=6)  # a source: tasks leaf, quality per task
    record = gen / "records" / "2024-Q1.yaml"
    text = record.read_text(encoding="utf-8")  # two tasks' quality missing: LS409 each
    record.write_text(text.replace("  T000002: 76.5\n", "").replace("  T000239: 95.5\n", ""),
                      encoding="utf-8")
    plain, got = plain_and_view(gen, date(2024, 4, 10), "2024-Q1")
    assert got[0] == plain and got[2] == plain and got[3] == 0
    assert len(plain[4]) == 2 and "LS409" in plain[4][0]  # the warnings, equal too


def test_a_files_rows_share_one_date_object_per_day(tmp_path: Path) -> None:
    """Pickle writes an object once per file and refers to it after that, so the rows of
    a file hold one `date` per day: 240 generated tasks × 4 milestones fall on far
    fewer days, and the rows read back from the cache equal the plain ones (above)."""
    gen = generate(tmp_path / "gen", 240, files=1)
    led = validate(gen, date(2024, 4, 10), DirSource(gen), by_file=False).loaded.ledger
    rows = score_view(led, led.tasks)
    days = [d for r in rows for pair in r[6] for d in pair if d is not None]
    assert len(days) > 960  # every due date, and the done dates
    assert len({id(d) for d in days}) == len(set(days)) < 400


def test_the_command_prints_the_plain_result(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`luoshi score` (cold, no cache) prints what the plain path's result renders to."""
    gen = generate(tmp_path / "gen", 240, files=6)
    led = validate(gen, date(2024, 4, 10), DirSource(gen), by_file=False).loaded.ledger
    json_text, csv_text, table, _, _ = shown(api.score(led, "2024-Q1"))
    env = {"LUOSHI_NO_CACHE": "1", "COLUMNS": "160"}
    args = ("score", "--quarter", "Q1", "--as-of", "2024-04-10", str(gen))
    assert cli(*args, "-f", "json", env=env).stdout == json_text
    assert cli(*args, "-f", "csv", env=env).stdout == csv_text
    assert cli(*args, env=env).stdout == table
