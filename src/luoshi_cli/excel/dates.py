"""Dates as offices write them in a 台账 cell.

A deadline cell may be a real Excel date, ISO or slashed text, a Chinese date, or a
phrase that only makes sense with the ledger's year: 5月底 (end of May), 6月份 (the
month, so its last day), 年底 (31 December), 三季度末, 上半年.  An English date is
read in the forms luoshi's English outputs print and English offices type: 28 June
2024, 28 Jun 2024, June 28, 2024.  A phrase naming a
period means its *last* day, because a deadline written that way is met as long as
the work is done within the period.

One cell often holds several dated steps ("3月底前完成方案；6月底前开工"), so the
cell is split into segments and each gives a due date plus the text around it,
which becomes the milestone's standard.  Recurring deadlines (每月, 每季度) are
expanded once the task's start is known; open-ended ones (长期, 持续推进) mean the
end of the ledger year.  Everything else is an error the importer reports with the
cell reference — a guessed date in a supervision ledger is worse than a question.
"""

from __future__ import annotations

import bisect
import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..core.codes import L
from .memo import OBJECT_CHARS, TextMemo

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
#: Excel serial numbers of 2000-01-01 .. 2099-12-31 (a date typed into a General cell)
_SERIAL_LOW, _SERIAL_HIGH = 36526, 73050
_EXCEL_EPOCH = date(1899, 12, 30)


class DateProblem(ValueError):
    """The cell holds no date luoshi can read; the message says what was expected."""

    def __init__(self, label: L) -> None:
        super().__init__(label.en)
        self.label = label


@dataclass(frozen=True, slots=True)
class Every:
    """A recurring deadline: every `months` months, on `day` (None: the month's end)."""

    months: int
    day: int | None
    phrase: str

    def expand(self, start: date, year: int) -> list[date]:
        """Due dates from the start month to the end of the ledger year."""
        out: list[date] = []
        month = start.month if start.year == year else 1
        for m in range(1, 13):
            if m < month or m % self.months:
                continue
            last = calendar.monthrange(year, m)[1]
            d = date(year, m, min(self.day, last) if self.day else last)
            if d >= start:
                out.append(d)
        return out or [date(year, 12, 31)]


@dataclass(frozen=True, slots=True)
class Due:
    """One deadline found in a cell: a date or a recurrence, and the words around it."""

    when: date | Every
    text: str
    phrase: str
    #: how the date was arrived at when it is not written out (for the report)
    rule: L | None = None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _real(y: int, m: int, d: int, phrase: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise DateProblem(L(f"“{phrase}”不是真实的日期", f"'{phrase}' is not a real date")) from None


def _q(s: str) -> int:
    return _CN_NUM[s]


# (pattern, builder(match, year) -> (date | Every, rule)), tried in order; an earlier
# pattern's match hides later ones over the same characters
_Builder = Callable[[re.Match[str], int], tuple[date | Every, L | None]]
_PATTERNS: list[tuple[re.Pattern[str], _Builder]] = []


def _pat(rx: str) -> Callable[[_Builder], _Builder]:
    def deco(fn: _Builder) -> _Builder:
        _PATTERNS.append((re.compile(rx), fn))
        return fn
    return deco


@_pat(r"每(?:个)?月(?:的)?(?:(\d{1,2})(?:日|号)|(底|末))?")
def _every_month(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    day = int(m.group(1)) if m.group(1) else None
    return Every(1, day, m.group(0)), L("每月重复：从开始月份到年底，每月一个节点",
                                       "monthly: one milestone per month from the start month "
                                       "to the end of the year")


@_pat(r"每(?:个)?季度(?:末|底)?")
def _every_quarter(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return Every(3, None, m.group(0)), L("每季度重复：每季度末一个节点",
                                        "quarterly: one milestone at each quarter's end")


@_pat(r"每半年")
def _every_half(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return Every(6, None, m.group(0)), L("每半年重复：6月30日和12月31日",
                                        "half-yearly: 30 June and 31 December")


@_pat(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
def _ymd(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return _real(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0)), None


@_pat(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?")
def _cn_ymd(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return _real(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0)), None


#: an English month name, full or cut to three letters (Sept too), an optional dot
_MONTH_NAME = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
               r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_MONTH_NUMBER = {name[:3]: n for n, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ORDINAL = r"(?:st|nd|rd|th)?"


@_pat(rf"(?i)(?<![\w.])(\d{{1,2}}){_ORDINAL}\s+{_MONTH_NAME}\s*,?\s*(\d{{4}})(?!\d)")
def _en_dmy(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    """28 June 2024, 28 Jun 2024 (luoshi's English bulletin prints the first)."""
    return _real(int(m.group(3)), _MONTH_NUMBER[m.group(2).lower()[:3]], int(m.group(1)),
                 m.group(0)), None


@_pat(rf"(?i)(?<![a-z]){_MONTH_NAME}\s+(\d{{1,2}}){_ORDINAL}\s*,?\s*(\d{{4}})(?!\d)")
def _en_mdy(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    """June 28, 2024 and Jun 28 2024."""
    return _real(int(m.group(3)), _MONTH_NUMBER[m.group(1).lower()[:3]], int(m.group(2)),
                 m.group(0)), None


@_pat(r"(\d{4})年(\d{1,2})月(上旬|中旬|下旬|中)")
def _cn_ym_part(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return _part(int(m.group(1)), int(m.group(2)), m.group(3), m.group(0)), _part_rule(m.group(3))


@_pat(r"(\d{4})年(\d{1,2})月(?:底|末|份)?")
def _cn_ym(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return _month(int(m.group(1)), int(m.group(2)), m.group(0)), _END_OF_MONTH


@_pat(r"(\d{4})\s*[-/]\s*(\d{1,2})(?![\d/-])")
def _ym(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return _month(int(m.group(1)), int(m.group(2)), m.group(0)), _END_OF_MONTH


@_pat(r"(\d{4})年(?:底|末|内|度)?")
def _cn_y(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return date(int(m.group(1)), 12, 31), _END_OF_YEAR


@_pat(r"(?<!\d)(\d{1,2})月(\d{1,2})(?:[日号]|(?![\d个项家条所座处万亿千百%]))")
def _md(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return _real(year, int(m.group(1)), int(m.group(2)), m.group(0)), _LEDGER_YEAR


@_pat(r"(?<!\d)(\d{1,2})月(上旬|中旬|下旬|中)")
def _m_part(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return _part(year, int(m.group(1)), m.group(2), m.group(0)), _part_rule(m.group(2))


@_pat(r"(?<!\d)(\d{1,2})月(?:份)?(?:底|末)?")
def _m(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return _month(year, int(m.group(1)), m.group(0)), _END_OF_MONTH


@_pat(r"(?:第)?([一二三四1-4])季度(?:末|底)|^(?:第)?([一二三四1-4])季度(?=(?:前|内)?$)"
      r"|(?<![A-Za-z])[Qq]([1-4])(?![A-Za-z\d])")
def _quarter(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    q = _q(m.group(1) or m.group(2) or m.group(3))
    return _month_end(year, 3 * q), L("季度：取季度最后一天", "a quarter: its last day")


@_pat(r"上半年")
def _h1(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return date(year, 6, 30), L("上半年：6月30日", "first half: 30 June")


@_pat(r"下半年|年底|年末|^(?:年内|全年|本年度)|^年度(?=(?:前|内|完成)?$)")
def _year_end(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return date(year, 12, 31), _END_OF_YEAR


@_pat(r"^(?:长期(?:坚持)?|持续(?:推进|开展)?|常态化(?:推进|开展)?|每周|每日|每天|随时)$")
def _ongoing(m: re.Match[str], year: int) -> tuple[date | Every, L | None]:
    return date(year, 12, 31), L("长期/持续性任务：按年底（12月31日）计", "ongoing: due at the "
                                 "end of the ledger year (31 December)")


_END_OF_MONTH = L("只写到月份：取该月最后一天", "a month: its last day")
_END_OF_YEAR = L("年底：12月31日", "end of year: 31 December")
_LEDGER_YEAR = L("未写年份：取台账年份", "no year written: the ledger's year")


def _part_rule(part: str) -> L:
    return L(f"{part}：上旬10日、中旬20日、下旬月末", "上旬/中旬/下旬 (early/mid/late month): "
             "the 10th, the 20th, the month's end")


def _month(y: int, m: int, phrase: str) -> date:
    if not 1 <= m <= 12:
        raise DateProblem(L(f"“{phrase}”不是真实的月份", f"'{phrase}' is not a real month"))
    return _month_end(y, m)


def _part(y: int, m: int, part: str, phrase: str) -> date:
    end = _month(y, m, phrase)
    if part == "上旬":
        return end.replace(day=10)
    if part in ("中旬",):
        return end.replace(day=20)
    if part == "中":
        return end.replace(day=15)
    return end


_SPLIT = re.compile(r"[\n；;。]+|(?=[①②③④⑤⑥⑦⑧⑨⑩])|(?<=\S)\s{2,}")
_ENUM = re.compile(r"^\s*(?:\d{1,2}[、.)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、|"
                   r"[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_CONNECT = re.compile(r"^(?:前|之前|以前|前后|左右|内|止|为止|截止|完成前)?[，,：:、\s]*")
_LEAD_IN = re.compile(r"(?:于|在|到|至|截至|截止到?|力争|确保)$")
_TRIM = " \t，,：:、。.；;-—"


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ").strip()


def segments(text: str) -> list[str]:
    """A cell split into its steps (lines, ；, ①②…), enumeration marks removed (kept
    per text, `memo.TextMemo`)."""
    return list(_SEGMENTS(text, text, lambda: tuple(_segments(text))))


def _segments(text: str) -> list[str]:
    """`segments` computed."""
    out = []
    for part in _SPLIT.split(_clean(text)):
        part = _ENUM.sub("", part).strip(_TRIM)
        if part:
            out.append(part)
    return out


def find_dues(text: str, year: int) -> list[Due]:
    """Every deadline in one text segment, with the segment's remaining words.

    Raises `DateProblem` when the segment names no date luoshi understands.
    """
    found: list[tuple[int, int, date | Every, L | None]] = []
    # the spans taken so far, disjoint and sorted (starts and ends alike): a match
    # overlaps one iff the last span starting before the match ends ends after the
    # match starts.  Checking every span was quadratic: 8,000 "1月1日" in one cell
    # took 98 s to import on 20 rows (audit)
    starts: list[int] = []
    ends: list[int] = []
    for rx, build in _PATTERNS:
        for m in rx.finditer(text):
            at = bisect.bisect_left(starts, m.end())
            if at and ends[at - 1] > m.start():
                continue
            when, rule = build(m, year)
            found.append((m.start(), m.end(), when, rule))
            starts.insert(at, m.start())
            ends.insert(at, m.end())
    if not found:
        raise DateProblem(L(f"读不出日期：“{text}”（可写 2024-05-31、2024/5/31、2024年5月31日、"
                            "5月31日、5月底、6月份、年底）",
                            f"no date found in '{text}' (write e.g. 2024-05-31, 2024/5/31, "
                            "31 May 2024, May 31, 2024)"))
    found.sort(key=lambda f: f[0])
    rest = ""
    if len(found) == 1:
        s, e, _, _ = found[0]
        before = _LEAD_IN.sub("", text[:s].strip(_TRIM)).strip(_TRIM)
        after = _CONNECT.sub("", text[e:]).strip(_TRIM)
        rest = "，".join(p for p in (before, after) if p)
    return [Due(when, rest, text[s:e], rule) for s, e, when, rule in found]


def cell_dues(value: Any, year: int, number_format: str = "General") -> list[Due]:
    """All deadlines in a 完成时限 / 序时节点 cell (empty cell: none)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    single = _as_date(value, number_format)
    if single is not None:
        return [Due(single, "", single.isoformat())]
    if not isinstance(value, str):
        raise DateProblem(L(f"“{value}”不是日期", f"'{value}' is not a date"))
    got = _DUES(value, (value, year), lambda: _text_dues(value, year))
    if isinstance(got, L):
        raise DateProblem(got)
    return list(got)


#: the deadlines of each text read (per text and year), or the problem it raised: the
#: same long text in thousands of cells was split and searched for dates in each, 25 ms
#: a cell for 32,000 characters (audit)
_DUES: TextMemo[tuple[Due, ...] | L] = TextMemo(weigh=lambda got: (
    len(got.zh) + len(got.en) if isinstance(got, L)
    else sum(OBJECT_CHARS + len(d.text) + len(d.phrase) for d in got)))
_SEGMENTS: TextMemo[tuple[str, ...]] = TextMemo(
    weigh=lambda got: sum(OBJECT_CHARS + len(s) for s in got))


def _text_dues(text: str, year: int) -> tuple[Due, ...] | L:
    """The deadlines of a text cell (`cell_dues`), or the label of its `DateProblem`."""
    out: list[Due] = []
    try:
        for seg in _segments(text):
            out.extend(_step_dues(seg, year))
    except DateProblem as exc:
        return exc.label
    return tuple(out)


#: a comma between steps (“3月底前完成方案，6月底前开工”); not one in 1,000, nor the
#: one before the year of an English date (June 30, 2024)
_COMMA = re.compile(r"，|,(?!\d{3}(?!\d))(?!\s*\d{4}(?!\d))")


def _dated(text: str) -> bool:
    """Whether a piece of a step names a date (or a recurrence) luoshi reads."""
    return any(rx.search(text) for rx, _ in _PATTERNS)


def _step_dues(seg: str, year: int) -> list[Due]:
    """The deadlines of one segment.  A segment naming several dates, separated by
    commas (“3月底前完成方案，6月底前开工，12月底前竣工”), is several steps as if written
    with ；: each piece with a date keeps its words as its standard, and a piece
    without one belongs to the step before it (or, before the first date, after it)."""
    dues = find_dues(seg, year)
    if len(dues) < 2:
        return dues
    groups: list[str] = []
    pending = ""
    for piece in _COMMA.split(seg):
        if not piece.strip(_TRIM):
            continue
        if _dated(piece):
            groups.append(f"{pending}，{piece}" if pending else piece)
            pending = ""
        elif groups:
            groups[-1] = f"{groups[-1]}，{piece}"
        else:
            pending = f"{pending}，{piece}" if pending else piece
    if len(groups) < 2:
        return dues
    return [d for group in groups for d in find_dues(group, year)]


def cell_date(value: Any, year: int, number_format: str = "General") -> date | None:
    """Exactly one date (start, done, closed): None for an empty cell."""
    due = cell_due(value, year, number_format)
    if due is None:
        return None
    assert isinstance(due.when, date)  # (cell_due refuses a recurrence)
    return due.when


def names_period(value: Any, year: int) -> bool:
    """Whether a text cell names a period, not a day — 2024年7月, 2024-07, 7月底, 7月上旬,
    年底, 三季度: read as a deadline it is the period's last day (or the 10th, the 20th),
    which a date something was done on must not be made up of.  6月28日 (no year) is a
    day; text that is no date at all is not a period either (the caller says so)."""
    if not isinstance(value, str):
        return False
    try:
        due = cell_due(value, year)
    except DateProblem:
        return False
    return due is not None and due.rule is not None and due.rule != _LEDGER_YEAR


def cell_due(value: Any, year: int, number_format: str = "General") -> Due | None:
    """`cell_date` with the phrase and the rule that made it a date (年底 → 31 December),
    for the report: None for an empty cell; its `when` is a date."""
    dues = cell_dues(value, year, number_format)
    if not dues:
        return None
    if len(dues) > 1 or isinstance(dues[0].when, Every) or dues[0].text:
        raise DateProblem(L(f"这里只能写一个日期：“{value}”",
                            f"exactly one date is expected here, not '{value}'"))
    return dues[0]


def _as_date(value: Any, number_format: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if float(value).is_integer() and _SERIAL_LOW <= value <= _SERIAL_HIGH:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise DateProblem(L(f"数字 {value} 不是日期（请把单元格设为日期格式）",
                            f"the number {value} is not a date (format the cell as a date)"))
    return None
