"""Data-driven validation cases: every folder under tests/cases/{valid,invalid}/ holds a
ledger, a case.yaml (as_of, lang) and expected.txt — the exact text output of
`luoshi validate` followed by the exit code.  Regenerate with LUOSHI_UPDATE_CASES=1
(then read the diff: the expected files are the specification)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import Run

CASES = Path(__file__).parent / "cases"
ALL = sorted(p for p in CASES.glob("*/*") if (p / "case.yaml").is_file())


@pytest.mark.parametrize("case", ALL, ids=[f"{p.parent.name}/{p.name}" for p in ALL])
def test_case(case: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    meta = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(case / "ledger")  # text paths are relative to the current directory
    run = cli("validate", ".", "--as-of", str(meta["as_of"]),
              "--lang", meta["lang"])
    got = run.stdout + f"exit {run.exit_code}\n"
    expected_file = case / "expected.txt"
    if os.environ.get("LUOSHI_UPDATE_CASES"):
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")
    if case.parent.name == "valid":
        assert run.exit_code == 0 and run.stdout == ""
    else:
        assert run.exit_code == 1


def test_every_code_is_exercised_somewhere() -> None:
    """Each finding code the loader and checks can emit appears in some expected
    output here or is covered by a dedicated test (listed)."""
    from luoshi_cli.core.codes import CODES

    seen = {code for p in ALL for code in CODES
            if code in (p / "expected.txt").read_text(encoding="utf-8")}
    elsewhere = {
        "LS006", "LS007", "LS018", "LS019",  # test_hostile: unreadable files, escaping
        # paths, deep nesting, the per-file findings cap
        "LS008",  # test_links: links out of the root (a case folder cannot hold one)
        "LS020",  # test_links: a warning alone (valid cases print nothing)
        "LS023",  # test_unread_files: a warning alone, and at a revision and staged
        "LS119",  # test_names_cli: two units with one name, one with a zero-width space
        "LS102", "LS104", "LS109", "LS303", "LS307", "LS308", "LS409",  # test_validate
        "LS501", "LS502", "LS503", "LS505", "LS506", "LS507",  # test_change_control (git)
        "LS021",  # test_change_control: a warning beside the errors a lint cannot hide
        "LS024",  # test_conventions: a lint code matching nothing, at its line, escaped
        "LS221",  # test_monthly_cycle_audit: progress beside another latest update
        "LS223", "LS224",  # test_tasks_v2: a tag listed twice, an actual without a target
        "LS713",  # test_yearend_cycle: a talk over a ranking the scheme does not make
        "LS313", "LS314",  # test_scheme_checks_audit: ceiling below floor, last quota
        "LS120",  # test_hostile_audit_d: a slip in doc_no's placeholders
    }
    missing = sorted(set(CODES) - seen - elsewhere)
    assert missing == []


LEDGERS = [(p / "ledger", yaml.safe_load((p / "case.yaml").read_text(encoding="utf-8"))["as_of"])
           for p in ALL]


@pytest.mark.parametrize("root,as_of", [
    *LEDGERS,
    (Path(__file__).parent.parent / "examples" / "weinan-2021", "2021-12-31"),
    (Path(__file__).parent.parent / "ledgers" / "beilin-2024", "2024-06-03"),
    (Path(__file__).parent.parent / "ledgers" / "beilin-2024-kaohe", "2024-04-10"),
], ids=[*(f"{p.parent.parent.name}/{p.parent.name}" for p, _ in LEDGERS), "weinan", "beilin",
        "beilin-kaohe"])
def test_checking_file_by_file_finds_exactly_what_checking_the_whole_ledger_finds(
        root: Path, as_of: object) -> None:
    """`luoshi validate` checks task files one at a time (cached, in parallel) and keeps
    only task keys; status, score and diff validate with every task in memory.  Both
    must report the same findings, in the same order, with the same words."""
    from datetime import date

    from luoshi_cli.fast.source import FastSource
    from luoshi_cli.ops.validate import validate

    day = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
    whole = validate(root, day, FastSource(root, cache=False), by_file=False)
    by_file = validate(root, day, FastSource(root, cache=False), keep_tasks=False)
    assert by_file.loaded.ledger.tasks == () and by_file.loaded.keys is not None
    assert [(f.as_dict("en"), f.as_dict("zh")) for f in by_file.findings] == \
        [(f.as_dict("en"), f.as_dict("zh")) for f in whole.findings]
    assert len(by_file.loaded.keys) == len(whole.loaded.ledger.checkable_tasks())
    # status, score, bulletin: task files checked one at a time, their tasks kept —
    # the same findings and the very same ledger as the plain way
    model = validate(root, day, FastSource(root, cache=False), keep_tasks=True)
    assert [(f.as_dict("en"), f.as_dict("zh")) for f in model.findings] == \
        [(f.as_dict("en"), f.as_dict("zh")) for f in whole.findings]
    assert model.loaded.ledger == whole.loaded.ledger
    # score's record warnings take these keys for the tasks' own (`remember_keys`)
    assert [k for k in model.loaded.keys or () if k.complete] == \
        [t.key() for t in whole.loaded.ledger.tasks]
