"""`report.plaintable` writes exactly what rich writes, or declines.

The long task lists of `luoshi status` skip rich when nothing wraps (rich spends half
a millisecond per row); these tests draw tables of every shape and compare the two
layouts character for character."""

from __future__ import annotations

import io
from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from fuzzing import fuzz
from luoshi_cli.report.plaintable import plain_table


def rich_table(title: str, columns: Sequence[tuple[str, bool]], rows: Sequence[Sequence[str]],
               width: int) -> str:
    """The table as `report.status.render_table` has rich print it (no colour)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    sink = io.StringIO()
    console = Console(file=sink, width=width, force_terminal=False, no_color=True,
                      color_system=None, highlight=False, markup=False, emoji=False,
                      soft_wrap=False)
    t = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD,
              show_edge=False, pad_edge=False, header_style="bold")
    for head, numeric in columns:
        t.add_column(Text(head), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        t.add_row(*(Text(v, style="red") for v in row))
    console.print(t)
    return sink.getvalue()


def test_a_red_list_as_rich_prints_it() -> None:
    columns = [("任务", False), ("牵头单位", False), ("逾期天数", True)]
    rows = [["T-1 标题", "单位A", "3\n12"], ["T-22 长一点的标题", "B", "100"]]
    got = plain_table("红灯任务", columns, rows, 160)
    assert got == rich_table("红灯任务", columns, rows, 160)
    assert got is not None and got.splitlines()[3:] == [
        "T-1 标题            单位A             3",
        "                                     12",
        "T-22 长一点的标题   B               100"]


def test_declines_what_rich_must_wrap_or_clean_up() -> None:
    cols = [("a", False), ("b", True)]
    assert plain_table("t", cols, [["x" * 50, "1"]], 40) is None  # wider than the line
    assert plain_table("a title longer than the table", cols, [["x", "1"]], 160) is None
    for odd in ("a\tb", " lead", "trail ", "a\u200bb", "全角\u3000空格", "\x1b[31m", "a\rb"):
        assert plain_table("t", cols, [[odd, "1"]], 160) is None


ALPHABET = st.sampled_from([*"abcXYZ019-:.、，（）任务单位推进完成节点领导",
                            " ", "\n", "\t", "\u3000", "\u200b", "é", "\u0301", "😀", "\x1b"])
CELL = st.lists(ALPHABET, max_size=14).map("".join)


@fuzz(400)
@given(title=st.lists(ALPHABET, min_size=1, max_size=20).map("".join),
       columns=st.lists(st.tuples(CELL, st.booleans()), min_size=1, max_size=5),
       data=st.data(), width=st.integers(10, 160))
def test_same_characters_as_rich_whenever_it_does_not_decline(
        title: str, columns: list[tuple[str, bool]], data: st.DataObject, width: int) -> None:
    rows = data.draw(st.lists(st.lists(CELL, min_size=len(columns), max_size=len(columns)),
                              max_size=6))
    got = plain_table(title, columns, rows, width)
    if got is not None:
        assert got == rich_table(title, columns, rows, width)


CHARS = st.sampled_from(list("abcXYZ019-:.、，（）任务单位推进完成节点领导é😀"))
CLEAN = st.lists(CHARS, max_size=14).map("".join)
#: a header of at least two characters, built so rather than filtered: hypothesis 6.100
#: (the lower bound) rewrote `.filter(lambda h: len(h) >= 2)` onto the list before
#: `.map("".join)` and let an empty header through (the lower-bounds CI job found it)
HEAD = st.lists(CHARS, min_size=2, max_size=14).map("".join)


@fuzz(300)
@given(columns=st.lists(st.tuples(HEAD, st.booleans()),
                       min_size=1, max_size=5),
       data=st.data())
def test_ordinary_lists_are_laid_out_without_rich(columns: list[tuple[str, bool]],
                                                 data: st.DataObject) -> None:
    """Ledger text (Chinese, ids, dates, multi-line cells) on a 160-column pipe: never
    declined, and the same as rich."""
    rows = data.draw(st.lists(st.lists(
        st.lists(CLEAN, min_size=1, max_size=3).map("\n".join),
        min_size=len(columns), max_size=len(columns)), max_size=6))
    got = plain_table("红", columns, rows, 160)
    assert got is not None
    assert got == rich_table("红", columns, rows, 160)
