"""Figures as written keep every digit in JSON, and a target or an actual with more
decimal places than the Parquet export keeps is refused (audit tasks v2, F7).

`json_number` went through a float: 123456789012.345678 and 123456789012.345677, both
valid targets (LS109: below 10^12), printed as 123456789012.34567 in the status JSON;
`actual: 0.0000001` validated and was exported to DECIMAL(18,6) as 0."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import Run, commit, edit, git
from luoshi_cli import api
from luoshi_cli.load.assemble import DirSource
from luoshi_cli.ops.validate import validate
from luoshi_cli.report import status as status_report

CONFIG = """title: 目标台账
year: 2024
categories:
  - {id: econ, name: 经济发展}
"""
UNITS = """units:
  - {id: fgw, name: 区发改委}
leaders:
  - {id: li, name: 李某某}
"""


def task(tid: str, target: str, actual: str, ms_target: str = "") -> str:
    return f"""- id: {tid}
  title: 任务{tid}
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 完成
  target: {{value: {target}, unit: 元}}
  milestones:
    - {{due: 2024-12-31, standard: 完成{ms_target}}}
  status: in_progress
  progress: 10
  updates:
    - {{month: "2024-05", progress: 10, actual: {actual}}}
"""


TASKS = (task("A", "123456789012.345678", "12345678901.234567")
         + task("B", "123456789012.345677", "12345678901.2345678")
         + task("C", "12.3", "1.23"))
AS_OF = date(2024, 5, 31)


def _figures(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()
            if line.strip().startswith(('"value"', '"actual"'))]


def test_status_json_keeps_every_digit_of_a_target_and_an_actual(
        write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": TASKS.replace("12345678901.2345678", "12345678901.234568")})
    run = cli("status", root, "--as-of", "2024-05-31", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert _figures(run.stdout) == [
        '"value": 123456789012.345678,', '"actual": 12345678901.234567,',
        '"value": 123456789012.345677,', '"actual": 12345678901.234568,',
        # a value a double holds exactly is written as before
        '"value": 12.3,', '"actual": 1.23,']
    doc = json.loads(run.stdout)
    assert [t["target"]["value"] for t in doc["tasks"]][:2] == [
        123456789012.345678, 123456789012.345677]
    # the report made from every task writes the very same text
    led = validate(root, AS_OF, DirSource(root), by_file=False).loaded.ledger
    buf = io.StringIO()
    status_report.render_json(api.status(led, AS_OF), buf)
    assert buf.getvalue() == run.stdout


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", [
        "tasks/a.yaml:28:48: error LS109 actual 的值 12345678901.2345678 有 7 位小数，超过 6 位："
        "请四舍五入到 6 位小数，或改用更小的单位书写（并相应修改任务 target 的 unit）；导出的表"
        "（Parquet DECIMAL(18,6)）只保留 6 位小数",
        "tasks/a.yaml:38:47: error LS109 target 的值 0.0000001 有 7 位小数，超过 6 位："
        "请四舍五入到 6 位小数，或改用更小的单位书写（并相应修改任务 target 的 unit）；导出的表"
        "（Parquet DECIMAL(18,6)）只保留 6 位小数"]),
    ("en", [
        "tasks/a.yaml:28:48: error LS109 actual: 12345678901.2345678 has 7 decimal places, "
        "more than 6: round it to 6 places, or write it in a smaller unit (changing the "
        "task's target unit to match): the exported tables (Parquet DECIMAL(18,6)) keep 6 "
        "places",
        "tasks/a.yaml:38:47: error LS109 target: 0.0000001 has 7 decimal places, more than 6: "
        "round it to 6 places, or write it in a smaller unit (changing the task's target "
        "unit to match): the exported tables (Parquet DECIMAL(18,6)) keep 6 places"]),
])
def test_a_figure_with_more_than_six_places_is_refused(
        write: Callable[..., Path], cli: Callable[..., Run], lang: str,
        expected: list[str]) -> None:
    tasks = (task("A", "123456789012.345678", "12345678901.234567")
             + task("B", "123456789012.345677", "12345678901.2345678")
             + task("C", "12.3000000", "1.23", ", target: 0.0000001"))
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": tasks})
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", lang)
    # C's milestone target and B's actual; C's target 12.3000000 (zeros) is fine
    assert [line for line in run.stdout.splitlines() if " LS109 " in line] == expected
    assert run.exit_code == 1


def test_the_range_of_ls109_reads_as_before(write: Callable[..., Path],
                                            cli: Callable[..., Run]) -> None:
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": task("A", "1000000000000", "1")})
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert run.stdout.splitlines()[0] == (
        "tasks/a.yaml:8:19: error LS109 value: 1000000000000 is outside "
        "0–999999999999.999999: write it in a larger unit (万元 or 亿元, changing the task's "
        "target unit to match): the exported tables (Parquet DECIMAL(18,6)) hold numbers "
        "below 10^12")


def test_diff_json_keeps_every_digit(tmp_path: Path, write: Callable[..., Path],
                                     cli: Callable[..., Run]) -> None:
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": task("A", "10", "1")},
                 tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    edit(root / "tasks/a.yaml", "actual: 1}", "actual: 12345678901.234567}")
    edit(root / "tasks/a.yaml", "value: 10,", "value: 123456789012.345678,")
    run = cli("diff", "HEAD", root, "--as-of", "2024-05-31", "-f", "json")
    assert run.exit_code == 0, run.stderr
    assert [line.strip() for line in run.stdout.splitlines() if "12345678901" in line] == [
        '"after": "123456789012.345678 元"', '"actual": 12345678901.234567,']


def test_score_json_keeps_every_digit_of_a_deduction(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    """A deduction's points as written (no bound on places): the score is rounded to the
    scheme's places, the incident keeps what was written."""
    root = tmp_path / "beilin"
    assert cli("init", root, "--example", "beilin").exit_code == 0
    edit(root / "records/2024-Q1.yaml", "date: 2024-02-20, points: 2,",
         "date: 2024-02-20, points: 1.12345678901234567891,")
    run = cli("score", root, "-q", "Q1", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert [line.strip() for line in run.stdout.splitlines() if "1.1234567" in line] == [
        '"points": 1.12345678901234567891,', '"deducted": 1.12345678901234567891,']
    assert json.loads(run.stdout)["units"][-1]["exact"] == "82.27654321098765432109"


def test_ledger_text_cannot_pass_for_an_exact_number(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    """Review of the change: the exact numbers were marked in the JSON text by
    `\\u0000number:`, which a ledger string can hold too (YAML's "\\0"): a deduction's
    reason `"\\0number:42"` came out as the number 42, and `"\\0number:1.2.3"` made the
    document unreadable.  The mark is a token of the process now: the reason stays
    text, and the exact figure beside it is still a number."""
    root = tmp_path / "beilin"
    assert cli("init", root, "--example", "beilin").exit_code == 0
    edit(root / "records/2024-Q1.yaml",
         "date: 2024-02-20, points: 2, reason: 台账更新不及时",
         'date: 2024-02-20, points: 1.12345678901234567891, reason: "\\0number:1.2.3"')
    run = cli("score", root, "-q", "Q1", "--format", "json")
    assert run.exit_code == 0, run.stderr
    doc = json.loads(run.stdout)
    [incident] = [i for u in doc["units"] for i in u.get("incidents", ())
                  if i.get("reason", "").endswith("number:1.2.3")]
    assert incident["reason"] == "\0number:1.2.3"
    assert '"points": 1.12345678901234567891,' in run.stdout
