"""`quarter_records`: the one rule of which records a quarter's ranking reads (SPEC §10:
a monthly leaf's quarter is the mean of its months), asked by scoring, the bulletin,
应约谈 and the Excel and Parquet exports.  Each case is worked by hand from the scheme's
cadences and the periods with a record."""

from __future__ import annotations

import pytest

from luoshi_cli.core.periods import quarter_records

Q2 = "2024-Q2"
APR, MAY, JUN = "2024-04", "2024-05", "2024-06"


def test_quarterly_only_reads_the_quarters_own_record() -> None:
    """No monthly leaf: the ranking reads 2024-Q2 alone; months held are not read."""
    r = quarter_records({"quarterly", "annual"}, {APR, MAY, JUN}, Q2)
    assert (r.reads, r.present, r.missing) == ((Q2,), frozenset(), (Q2,))
    assert not r.rankable() and not r.rankable(partial=True)  # --partial brings no record
    r = quarter_records({"quarterly"}, {Q2, "2024-Q1"}, Q2)
    assert (r.reads, r.present, r.missing) == ((Q2,), frozenset({Q2}), ())
    assert r.rankable()


def test_monthly_only_reads_the_three_months() -> None:
    """Monthly leaves only: April–June are read, 2024-Q2's own record (if any) is not.
    None held: not rankable even with --partial (the mean of no month).  Some: with
    --partial only.  All: rankable."""
    none = quarter_records({"monthly"}, {Q2, "2024-03", "2024-07"}, Q2)
    assert (none.reads, none.present, none.missing) == ((APR, MAY, JUN), frozenset(),
                                                        (APR, MAY, JUN))
    assert not none.rankable() and not none.rankable(partial=True)
    some = quarter_records({"monthly", "annual"}, {APR, JUN}, Q2)
    assert (some.present, some.missing) == (frozenset({APR, JUN}), (MAY,))
    assert not some.rankable() and some.rankable(partial=True)
    full = quarter_records({"monthly"}, {APR, MAY, JUN}, Q2)
    assert (full.present, full.missing) == (frozenset({APR, MAY, JUN}), ())
    assert full.rankable() and full.rankable(partial=True)


def test_mixed_needs_the_quarters_record_and_its_months() -> None:
    """Quarterly and monthly leaves: 2024-Q2 first, then its months.  Without 2024-Q2
    nothing ranks it, --partial or not; with it, as monthly-only for the months."""
    mixed = {"quarterly", "monthly"}
    r = quarter_records(mixed, {APR, MAY, JUN}, Q2)
    assert (r.reads, r.missing) == ((Q2, APR, MAY, JUN), (Q2,))
    assert not r.rankable() and not r.rankable(partial=True)
    r = quarter_records(mixed, {Q2}, Q2)
    assert (r.present, r.missing) == (frozenset({Q2}), (APR, MAY, JUN))
    assert not r.rankable() and not r.rankable(partial=True)
    r = quarter_records(mixed, {Q2, MAY}, Q2)
    assert r.missing == (APR, JUN)
    assert not r.rankable() and r.rankable(partial=True)
    r = quarter_records(mixed, {Q2, APR, MAY, JUN}, Q2)
    assert (r.present, r.missing) == (frozenset({Q2, APR, MAY, JUN}), ())
    assert r.rankable()


def test_a_scheme_assessing_nothing_in_a_quarter_reads_nothing() -> None:
    """Annual leaves only: no record makes the quarter rankable, not even its own."""
    r = quarter_records({"annual"}, {Q2, APR, MAY, JUN}, Q2)
    assert (r.reads, r.present, r.missing) == ((), frozenset(), ())
    assert not r.rankable() and not r.rankable(partial=True)


@pytest.mark.parametrize("period", ["2024", "2024-05", "Q2", "2024-Q5"])
def test_only_a_quarter(period: str) -> None:
    """A year's ranking reads more (its quarters, its own record): not this rule's."""
    with pytest.raises(ValueError, match="not a quarter"):
        quarter_records({"monthly"}, set(), period)
