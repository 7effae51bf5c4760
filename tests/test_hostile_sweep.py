"""Defects found by a sweep of every command over mutated ledgers (hostile input).

Each test is one defect the existing corpus (tests/hostile/, test_active_content.py,
test_excel_hostile.py) did not cover, pinned exactly: the exit code, the finding
(code, file, line, column) or the one-line error, and the text shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run, edit

AS_OF = ("--as-of", "2021-06-30")
#: an Azure Pipelines logging command: obeyed wherever it stands on a log line
VSO = "##vso[task.setvariable variable=X]1"


def test_a_finding_never_carries_a_workflow_command(cli: Callable[..., Run],
                                                    example: Path) -> None:
    """A ledger value quoted in a finding's message (here an unknown unit code, and
    the same code named in the report-overdue warning) is a CI log line: `##vso[`
    is escaped there as in every other output, not only control characters."""
    edit(example / "tasks/city.yaml", "lead: chongyelu",
         f'lead: "chongyelu{VSO}"')
    r = cli("validate", example, *AS_OF, "--select", "LS110")
    assert r.exit_code == 1
    assert r.stdout == (
        "tasks/city.yaml:5:9: error LS110 任务 WN-009 引用了不存在的单位 "
        "chongyelu\\x23#vso[task.setvariable variable=X]1：请在 units.yaml 中添加该单位，"
        "或改正拼写\n")
    r = cli("validate", example, *AS_OF, "--select", "LS110", "-f", "github", "--lang", "en")
    assert r.stdout == (
        "::error file=tasks/city.yaml,line=5,col=9,title=LS110::task WN-009 names unknown "
        "unit chongyelu\\x23#vso[task.setvariable variable=X]1: add it to units.yaml or "
        "correct the spelling\n")
