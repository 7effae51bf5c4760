"""LS407–LS409 are computed once (`checks.records`): `luoshi score` warns of exactly
what `luoshi validate` reports for the records it reads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from luoshi_cli.ops.scoring import score_period
from luoshi_cli.ops.validate import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scoring"


def _key(f):  # type: ignore[no-untyped-def]
    return (f.code, f.file, f.path, f.params)


def test_score_warns_of_what_validate_reports(example: Path) -> None:
    rec = example / "records" / "2021-Q2.yaml"
    text = rec.read_text(encoding="utf-8")
    old = "push: {p1: 7, p2: 6, p3: 6, p4: 6.5, p5: 5.5"
    rec.write_text(text.replace(old, "push: {p1: 7, p2: 6, p4: 6.5, p5: 5.5"), encoding="utf-8")
    v = validate(example, date(2021, 6, 30))
    expected = sorted(_key(f) for f in v.findings if f.code in ("LS407", "LS408", "LS409"))
    assert expected  # the edit made one
    assert sorted(_key(f) for f in score_period(v.loaded.ledger, "2021-Q2").warnings) == expected


def test_task_quality_warning_is_the_same_in_both() -> None:
    v = validate(FIXTURES / "qilihe", date(2023, 6, 30))
    expected = sorted(_key(f) for f in v.findings if f.code == "LS409")
    assert sorted(_key(f) for f in score_period(v.loaded.ledger, "2023-Q2").warnings) == expected


def test_the_keys_of_the_check_serve_score_only_for_that_very_ledger() -> None:
    """`ops.validate` hands the task keys it made to `record_warnings` (issue 17: not
    made again per score) — for the ledger object it checked, and no other."""
    from dataclasses import replace

    from luoshi_cli.fast.source import FastSource
    from luoshi_cli.ops.scoring import remember_keys

    root, day = FIXTURES / "qilihe", date(2023, 6, 30)
    plain = validate(root, day, FastSource(root, cache=False), by_file=False)
    by_file = validate(root, day, FastSource(root, cache=False))  # remembers its keys
    assert by_file.loaded.ledger is not plain.loaded.ledger
    expected = [_key(f) for f in score_period(plain.loaded.ledger, "2023-Q2").warnings]
    assert any(k[0] == "LS409" for k in expected)
    assert [_key(f) for f in score_period(by_file.loaded.ledger, "2023-Q2").warnings] \
        == expected
    # the remembered keys are those of the ledger's tasks, in order
    assert [k for k in by_file.loaded.keys or () if k.complete] == \
        [t.key() for t in by_file.loaded.ledger.tasks]
    # taken by identity: wrong keys remembered for one object change only its warnings
    led = by_file.loaded.ledger
    remember_keys(led, [])
    assert not any(f.code == "LS409" for f in score_period(led, "2023-Q2").warnings)
    assert [_key(f) for f in score_period(replace(led), "2023-Q2").warnings] == expected
