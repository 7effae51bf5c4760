"""Words and number formats of a bulletin: dates, rates, scores, period labels, titles.

Why here, apart from the context: every format (Markdown, HTML, Word, PDF) prints
the same pre-formatted text, so a template or a writer only places values."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ...core import labels
from ...core.labels import cn_quotes
from ...core.numbers import publish  # the one half-up rounding (四舍五入) there is

FORMATS = ("md", "html", "docx", "pdf")
#: the formats rendered by a Jinja template (docx and pdf are built from them)
TEXT_FORMATS = ("md", "html")
EDITIONS = ("internal", "public")

STATUS_LABELS = {lang: labels.words(labels.STATUS, lang) for lang in ("zh", "en")}
LIGHT_LABELS: dict[str, dict[str | None, str]] = {
    lang: {k: labels.say(v, lang) for k, v in labels.LIGHT.items()} for lang in ("zh", "en")}
for _words in LIGHT_LABELS.values():
    _words[None] = labels.NONE
_CN_DIGITS = "零一二三四五六七八九"
_MONTHS_EN = labels.MONTHS_EN
_QUARTERS_ZH = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for section numbers)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (("" if tens == 1 else _CN_DIGITS[tens]) + "十"
                + (_CN_DIGITS[ones] if ones else ""))
    return str(n)


def fmt_date(d: date | str | None, lang: str) -> str:
    """2024年5月31日 / 31 May 2024."""
    if d is None:
        return "—"
    if isinstance(d, str):
        d = date.fromisoformat(d)
    if lang == "en":
        return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
    return f"{d.year}年{d.month}月{d.day}日"


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def fmt_num(value: Any, places: int = 2) -> str:
    """A computed rate or percentage: at most `places` decimals, half-up, no trailing
    zeros (25, 71.43, 12.5).  A value the ledger writes is `fmt_written`."""
    d = _dec(value)
    if d is None:
        return "—"
    text = f"{publish(d, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_written(value: Any) -> str:
    """A figure the ledger writes (a target, an actual, a reported progress) as `status`
    prints it: every digit kept, never rounded (0.0456, 31.365 — rounded, 0.0456亿元 read
    0.05 and 31.365% read exactly 10 points behind 41.37%); "—" for none."""
    d = _dec(value)
    return "—" if d is None else labels.plain(d)


def pct(text: str) -> str:
    """A formatted rate with its percent sign; an undefined rate ("—") gets none."""
    return text if text == "—" else f"{text}%"


def fmt_places(value: Any, places: int) -> str:
    """A published score: exactly `places` decimals, half-up (95.20, not 95.2)."""
    d = _dec(value)
    if d is None:
        return "—"
    return f"{publish(d, places):f}"


def period_label(kind: str, period: str, lang: str) -> str:
    """2021年第二季度 / Q2 2021; 2024年5月 / May 2024; 2024年上半年 / H1 2024; 2024年度."""
    year = int(period[:4])
    if kind == "half":
        first = period.endswith("H1")
        return (f"H{1 if first else 2} {year}" if lang == "en"
                else f"{year}年{'上' if first else '下'}半年")
    if kind == "year":
        return str(year) if lang == "en" else f"{year}年度"
    if kind == "quarter":
        q = int(period[-1])
        return f"Q{q} {year}" if lang == "en" else f"{year}年{_QUARTERS_ZH[q]}"
    m = int(period[5:7])
    return f"{_MONTHS_EN[m - 1]} {year}" if lang == "en" else f"{year}年{m}月"


def bulletin_title(ledger_title: str, year: int, label: str, lang: str) -> str:
    """关于渭南高新区2021年第二季度重点任务抓落实情况的通报.

    The ledger's title names the year ("…2021年度…台账"); the bulletin puts the
    period where the year was and speaks of the work ("情况"), not the ledger.
    """
    if lang == "en":
        if label == str(year) and str(year) in ledger_title:
            return f"Annual bulletin: {ledger_title}"  # not "…ledger 2024, 2024"
        # the period where the title's year was, as in Chinese: "Key tasks ledger Q2
        # 2024", not "Key tasks ledger 2024, Q2 2024"; a Chinese title's 2024年 stays
        found = re.search(rf"(?<!\d){year}(?![\d年])", ledger_title) if year else None
        if found is not None:
            return (f"Bulletin: {ledger_title[:found.start()]}{label}"
                    f"{ledger_title[found.end():]}")
        return f"Bulletin: {ledger_title}, {label}" if ledger_title else f"Bulletin, {label}"
    body = ledger_title.strip()
    for marker in (f"{year}年度", f"{year}年"):
        if marker in body:
            body = body.replace(marker, label, 1)
            break
    else:
        body = label + body
    body = re.sub(r"台账$", "", body)
    return f"关于{cn_quotes(body)}情况的通报"
