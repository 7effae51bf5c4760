"""The cheap searches that rule work out (issue 17) decide exactly as the full ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi_cli.load.written import LONG_NUMBER, has_long_number

# digits (ASCII, full-width, Arabic-Indic: `\d` is Unicode), runs of them, separators,
# signs, word characters (Chinese too: the look-behind refuses them) and spaces
_PIECES = ["7", "１", "٣", "12345", "1234567890", ".", "_", "-", "+", " ", "a", "题", ":", "\n"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_has_long_number_is_long_number_search(text: str) -> None:
    assert has_long_number(text) == (LONG_NUMBER.search(text) is not None)


def test_has_long_number_edges() -> None:
    assert has_long_number("score: 89.994999999999999\n")
    assert has_long_number("a: 1_2_3_4_5_6_7_8_9_0_1_2_3_4_5_6")
    assert has_long_number("a: １２３４５６７８９０１２３４５６")  # \d is Unicode
    assert not has_long_number("a: 1_2_3_4_5_6_7_8_9_0_1_2_3_4_5")  # 15 digits
    assert not has_long_number("题1234567890123456")  # after a word character
    assert not has_long_number("due: 2024-03-15\nscore: 89.5\n")
