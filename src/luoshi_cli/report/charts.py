"""Inline SVG charts for the HTML bulletin, written by hand.

Why hand-written: the bulletin must be one self-contained file that prints the
same way offline, and identical inputs must give byte-identical output.  A chart
library would pull scripts or fonts from the network, or format numbers in ways
we do not control.  Here every coordinate is a `Decimal` quantised to one place,
so the SVG text depends only on the numbers shown.

The charts scale with the page (`viewBox`, `width:100%`) and take their font from
the surrounding CSS, so CJK labels use the same font stack as the text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

from ..core.safetext import terminal

WIDTH = 680
LABEL_RIGHT = 172   # labels end here (text-anchor: end)
BAR_LEFT = 180
BAR_SPAN = 400      # 100 % of a bar
ROW = 24
BAR_H = 14
FONT = 12

PROGRESS_FILL = "#2f6fb3"
EXPECTED_STROKE = "#222222"
GRADE_FILLS = ("#2e7d32", "#2f6fb3", "#ef8f00", "#c62828", "#6d4c41", "#616161")
INTERVIEW_MARK = "#c62828"

_ONE = Decimal("0.1")
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class ProgressBar:
    """One category: mean reported progress against mean expected progress (序时进度)."""

    label: str
    progress: Decimal | None
    expected: Decimal | None
    value_text: str          # what is printed at the bar's end, e.g. "45.0%"


@dataclass(frozen=True, slots=True)
class ScoreBar:
    """One ranked unit."""

    label: str
    score: Decimal
    score_text: str          # with exactly the scheme's decimals, e.g. "95.20"
    grade: str
    grade_index: int         # 0 = best band; picks the colour
    interview: bool


def _n(x: Decimal | int) -> str:
    """A coordinate: one decimal place, half-up, no exponent; '-0.0' never appears."""
    q = Decimal(x).quantize(_ONE, rounding=ROUND_HALF_UP)
    if q == 0:
        q = Decimal("0.0")
    return f"{q:f}"


def _scale(value: Decimal | None) -> Decimal:
    if value is None:
        return Decimal(0)
    v = min(max(value, Decimal(0)), _HUNDRED)
    return v * BAR_SPAN / _HUNDRED


def _em(ch: str) -> Decimal:
    return Decimal(1) if unicodedata.east_asian_width(ch) in ("W", "F", "A") else Decimal("0.6")


def _text_width(text: str, size: int = FONT) -> Decimal:
    """Approximate rendered width: CJK, full-width and ambiguous-width glyphs (“”…, set
    full-width by CJK fonts) are one em, others ~0.6 em."""
    em = Decimal(0)
    for ch in text:
        em += _em(ch)
    return em * size


def fit(text: str, max_px: int, size: int = FONT) -> str:
    """Shorten a label with '…' so that it fits in `max_px`: the longest prefix that
    fits with the '…', found in one pass (a 40,000-character category name took
    minutes when the prefix was shortened and measured again one character at a
    time)."""
    if _text_width(text, size) <= max_px:
        return text
    dots = _em("…")
    em = Decimal(0)
    end = 0
    for ch in text:
        em += _em(ch)
        if (em + dots) * size > max_px:
            break
        end += 1
    return text[:end] + "…"


def _text(text: str) -> Markup:
    """Ledger text (a category or unit name, a grade) as SVG text: the chart is
    Markup, so the HTML template's finalizer never sees it — a control character,
    a bidi override or a line break followed by `::error` must be escaped visibly
    here, as `terminal()` does for the page's other text (the page may go to
    stdout, a CI log), and then for XML — an `=` as `&#61;`, as the HTML finalizer
    writes it, so that no name is taken for an attribute of the page
    (`templates._inert_attributes`)."""
    return _xml(terminal(text))


def _xml(text: str) -> Markup:
    """Text escaped for XML, `=` as `&#61;` (`_text`)."""
    out = escape(text)
    return Markup(str(out).replace("=", "&#61;")) if "=" in out else out


def _svg_open(height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-size="{FONT}">',
        f"<title>{_text(title)}</title>",
    ]


def _axis(top: int, bottom: int) -> list[str]:
    """Vertical grid lines at 0, 20, …, 100 with their labels under the plot."""
    out = []
    for tick in range(0, 101, 20):
        x = _n(BAR_LEFT + _scale(Decimal(tick)))
        out.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" '
                   f'stroke="#d0d0d0" stroke-width="1"/>')
        out.append(f'<text x="{x}" y="{bottom + 14}" text-anchor="middle" '
                   f'fill="#555555">{tick}</text>')
    return out


def progress_chart(bars: Sequence[ProgressBar], *, title: str, legend_progress: str,
                   legend_expected: str) -> Markup:
    """Horizontal bars of mean progress per category, a tick at mean expected progress."""
    top = 28
    height = top + ROW * len(bars) + 24
    out = _svg_open(height, title)
    lx = BAR_LEFT
    out.append(f'<rect x="{lx}" y="6" width="14" height="10" fill="{PROGRESS_FILL}"/>')
    out.append(f'<text x="{lx + 18}" y="15">{_text(legend_progress)}</text>')
    ex = lx + 30 + int(_text_width(legend_progress))
    out.append(f'<line x1="{ex + 4}" y1="4" x2="{ex + 4}" y2="18" '
               f'stroke="{EXPECTED_STROKE}" stroke-width="2"/>')
    out.append(f'<text x="{ex + 12}" y="15">{_text(legend_expected)}</text>')
    bottom = top + ROW * len(bars)
    out.extend(_axis(top, bottom))
    for i, bar in enumerate(bars):
        y = top + ROW * i
        mid = y + ROW // 2 + 4
        out.append(f'<text x="{LABEL_RIGHT}" y="{mid}" text-anchor="end">'
                   f"{_xml(fit(terminal(bar.label), LABEL_RIGHT - 4))}</text>")
        w = _scale(bar.progress)
        by = y + (ROW - BAR_H) // 2
        out.append(f'<rect x="{BAR_LEFT}" y="{by}" width="{_n(w)}" height="{BAR_H}" '
                   f'fill="{PROGRESS_FILL}"/>')
        if bar.expected is not None:
            ex_x = _n(BAR_LEFT + _scale(bar.expected))
            out.append(f'<line x1="{ex_x}" y1="{by - 3}" x2="{ex_x}" y2="{by + BAR_H + 3}" '
                       f'stroke="{EXPECTED_STROKE}" stroke-width="2"/>')
        out.append(f'<text x="{BAR_LEFT + BAR_SPAN + 8}" y="{mid}">'
                   f"{_text(bar.value_text)}</text>")
    out.append("</svg>")
    return Markup("\n".join(out))


def ranking_chart(bars: Sequence[ScoreBar], *, title: str, grades: Sequence[str],
                  interview_label: str) -> Markup:
    """Horizontal bars of published scores in rank order, coloured by grade (等次);
    units marked for interview (约谈) carry `interview_label` after their score."""
    top = 28
    height = top + ROW * len(bars) + 24
    out = _svg_open(height, title)
    x = BAR_LEFT
    for i, g in enumerate(grades):
        fill = GRADE_FILLS[min(i, len(GRADE_FILLS) - 1)]
        out.append(f'<rect x="{x}" y="6" width="14" height="10" fill="{fill}"/>')
        out.append(f'<text x="{x + 18}" y="15">{_text(g)}</text>')
        x += 30 + int(_text_width(g))
    bottom = top + ROW * len(bars)
    out.extend(_axis(top, bottom))
    for i, bar in enumerate(bars):
        y = top + ROW * i
        mid = y + ROW // 2 + 4
        by = y + (ROW - BAR_H) // 2
        fill = GRADE_FILLS[min(bar.grade_index, len(GRADE_FILLS) - 1)]
        out.append(f'<text x="{LABEL_RIGHT}" y="{mid}" text-anchor="end">'
                   f"{_xml(fit(terminal(bar.label), LABEL_RIGHT - 4))}</text>")
        out.append(f'<rect x="{BAR_LEFT}" y="{by}" width="{_n(_scale(bar.score))}" '
                   f'height="{BAR_H}" fill="{fill}"/>')
        mark = (f' <tspan fill="{INTERVIEW_MARK}" font-weight="bold">'
                f"{_text(interview_label)}</tspan>" if bar.interview else "")
        out.append(f'<text x="{BAR_LEFT + BAR_SPAN + 8}" y="{mid}">'
                   f"{_text(bar.score_text)} {_text(bar.grade)}{mark}</text>")
    out.append("</svg>")
    return Markup("\n".join(out))
