"""Hypothesis settings shared by the property and fuzz tests.

CI runs them derandomized: the same examples on every run, so a red build always means
a change broke something, never that a new random draw got lucky.  Exploration is a
separate, deliberate act: `LUOSHI_FUZZ=deep python -m pytest tests/test_fuzz.py
tests/test_fast_schema.py tests/test_scoring_props.py` draws fresh random examples, 25
times as many, and prints a reproduction blob for whatever it finds (the crash it found
last time is now a plain test in test_validate.py).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

DEEP = os.environ.get("LUOSHI_FUZZ") == "deep"


def fuzz(max_examples: int) -> settings:
    return settings(deadline=None, derandomize=not DEEP, database=None, print_blob=DEEP,
                    max_examples=max_examples * (25 if DEEP else 1),
                    suppress_health_check=list(HealthCheck))
