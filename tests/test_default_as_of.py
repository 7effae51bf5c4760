"""Issue 16: the default as-of of every command is the earlier of today and the ledger
year's end.  A 2024 ledger run with no --as-of after 2024 is judged at 2024-12-31:
its monthly reports are due as they were then (LS601), not "outside the year, nothing
due", while a completion recorded in January 2025 is not "in the future" (LS203 is
judged against today when the as-of is the default)."""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import BEILIN, EXAMPLE, commit, edit, git

pytestmark = pytest.mark.skipif(date.today() <= date(2025, 1, 10),
                                reason="the clock must be after the 2024 ledger's year")

LS601 = ("tasks/brk-8.yaml:36:3: warning LS601 task BRK8-02: the latest monthly update is "
         "2024-05; by 2024-12-31 the 2024-11 report was due: remind 区民政局 to report")
ASOF_HELP = "(default: the earlier of today and the end of the ledger's year)"


@pytest.fixture
def beilin(tmp_path: Path) -> Path:
    dst = tmp_path / "beilin-2024"
    shutil.copytree(BEILIN, dst, ignore=shutil.ignore_patterns(".luoshi-cache"))
    return dst


def test_validate_judges_a_past_ledger_at_its_year_end(cli: Any, beilin: Path) -> None:
    default = cli("validate", beilin, "--lang", "en")
    year_end = cli("validate", beilin, "--lang", "en", "--as-of", "2024-12-31")
    assert LS601 in default.stdout.splitlines()
    assert default.stdout == year_end.stdout
    assert default.stderr == year_end.stderr == "0 errors, 35 warnings\n"
    # today's date judges nothing due outside the ledger's year
    assert cli("validate", beilin, "--lang", "en", "--as-of",
               date.today().isoformat()).stderr == "0 errors, 0 warnings\n"
    # a warm run (the cache never keys on the as-of) says the same
    assert cli("validate", beilin, "--lang", "en").stdout == default.stdout


def test_validate_default_does_not_call_a_late_completion_future(cli: Any,
                                                                 beilin: Path) -> None:
    """A task closed late, on 10 January 2025, is a fact by now: only an explicit
    --as-of 2024-12-31 puts it in the future."""
    edit(beilin / "tasks/brk-8.yaml", "{due: 2024-09-30, standard: 建成8个}",
         "{due: 2024-09-30, standard: 建成8个, done: 2025-01-10}")
    default = cli("validate", beilin, "--lang", "en", "--format", "json")
    assert default.exit_code == 0 and '"LS203"' not in default.stdout
    r = cli("validate", beilin, "--lang", "en", "--as-of", "2024-12-31")
    assert r.exit_code == 1
    assert ("tasks/brk-8.yaml:32:47: error LS203 task BRK8-02: done date 2025-01-10 is after "
            "the as-of date 2024-12-31: a completion cannot be in the future"
            ) in r.stdout.splitlines()


def test_validate_at_a_revision_takes_that_ledgers_year(cli: Any, tmp_path: Path) -> None:
    """--rev: the year of the ledger read at the revision decides, not the working tree's."""
    repo = tmp_path / "repo"
    shutil.copytree(BEILIN, repo, ignore=shutil.ignore_patterns(".luoshi-cache"))
    git(repo, "init", "-q")
    commit(repo, "2024")
    edit(repo / "luoshi.yaml", "year: 2024", "year: 2023")  # the working tree is broken
    r = cli("validate", repo, "--rev", "HEAD", "--lang", "en")
    assert LS601 in r.stdout.splitlines()


def test_diff_is_judged_at_the_later_sides_year_end(cli: Any, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(BEILIN, repo, ignore=shutil.ignore_patterns(".luoshi-cache"))
    git(repo, "init", "-q")
    commit(repo, "v1")
    git(repo, "tag", "v1")
    edit(repo / "tasks/brk-8.yaml", "progress: 35", "progress: 40")
    default = cli("diff", "v1", repo, "--lang", "en")
    assert default.exit_code == 0
    assert default.stdout.splitlines()[0] == (
        "Ledger changes v1 → working tree (as of 2024-12-31)")
    assert default.stdout == cli("diff", "v1", repo, "--lang", "en", "--as-of",
                                 "2024-12-31").stdout


def test_import_tasks_validates_the_new_file_at_the_ledgers_year_end(
        cli: Any, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_excel_import import CONFIG, UNITS, office_sheet

    note = ("note: luoshi validate will warn LS601 (monthly report overdue) after the "
            "import [任务表!B6, 任务表!B8, 任务表!B10, 任务表!B11]")
    sheet = office_sheet(tmp_path / "a.xlsx")
    seen = {}
    for label, extra in (("default", ()), ("year-end", ("--as-of", "2024-12-31")),
                         ("today", ("--as-of", date.today().isoformat()))):
        led = tmp_path / label
        led.mkdir()
        (led / "luoshi.yaml").write_text(CONFIG, encoding="utf-8")
        (led / "units.yaml").write_text(UNITS, encoding="utf-8")
        r = cli("import", "tasks", sheet, led, "--lang", "en", *extra)
        assert r.exit_code == 0, r.stderr
        seen[label] = note in r.stderr.splitlines()
    assert seen == {"default": True, "year-end": True, "today": False}


def test_rollup_judges_ledgers_at_their_year_end(cli: Any, tmp_path: Path) -> None:
    """Each ledger at its own default, as its `status`: ledgers of different years
    have different defaults, and need one --as-of (audit J item 4)."""
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    a, b = tmp_path / "beilin-2024", tmp_path / "weinan-2021"
    shutil.copytree(BEILIN, a, ignore=shutil.ignore_patterns(".luoshi-cache"))
    shutil.copytree(EXAMPLE, b, ignore=shutil.ignore_patterns(".luoshi-cache"))
    r = cli("rollup", a, b, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    one = cli("rollup", a, "--lang", "en")
    assert one.stdout.splitlines()[0] == "Roll-up of 1 ledger — as of 2024-12-31"
    one = cli("rollup", b, "--lang", "en")
    assert one.stdout.splitlines()[0] == "Roll-up of 1 ledger — as of 2021-12-31"


@pytest.mark.parametrize("command", [("validate",), ("score",), ("diff",), ("rollup",),
                                     ("import", "tasks"), ("import", "updates"),
                                     ("status",), ("export",), ("supervise",)])
def test_every_as_of_help_says_the_same_default(cli: Any, command: tuple[str, ...]) -> None:
    text = " ".join(cli(*command, "--help", "--lang", "en").stdout.split())
    assert ASOF_HELP in text


def test_per_unit_workbooks_default_to_the_ledger_years_last_month(cli: Any, beilin: Path,
                                                                   tmp_path: Path) -> None:
    """`export --per-unit` without --month or --as-of, after the ledger's year: the
    workbooks are for 2024-12 (the default as-of's month), not for this month of a
    year the ledger does not cover."""
    import openpyxl

    out = tmp_path / "units"
    r = cli("export", beilin, "--per-unit", "-o", out, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.endswith(f"for 2024-12 to {out}\n")
    book = sorted(out.glob("*.xlsx"))[0]
    assert openpyxl.load_workbook(book).worksheets[0]["A1"].value == "luoshi-month:2024-12"
