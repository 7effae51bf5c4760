"""The words and number formats every output uses, in one place.

A status, a light or a number is printed by `status`, `score`, `diff`, the bulletin
and the Excel export; when each kept its own table they drifted (`closing` was 销号中
in one and 待销号 in another).  Every renderer takes its words and its number text
from here.

Numbers come in three textual forms, each for a reason:
- `fixed(d, places)`: a published figure with exactly `places` decimals, half-up
  (95.20): what a ranking prints;
- `plain(d)`: the shortest text (35, 35.5): a figure in a sentence or a CSV cell;
- `as_written(d)`: an integer without decimals (35), any other number as the ledger
  holds it (28.50): a value of the user's echoed back in a finding's message.
"""

from __future__ import annotations

import calendar
import json
import os
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .codes import L
from .model import Scheme
from .numbers import publish, trimmed

# ---- words ------------------------------------------------------------------------

STATUS: dict[str, L] = {
    "planned": L("未启动", "planned"),
    "in_progress": L("推进中", "in progress"),
    "done": L("已完成", "done"),
    "closing": L("待销号", "closing"),
    "closed": L("已销号", "closed"),
    "suspended": L("暂缓", "suspended"),
}
#: the Chinese words offices write for a task's status, and the value each means
#: (`status: 进行中` gets "进行中 → in_progress" in its LS105 message)
STATUS_WORDS: dict[str, str] = {
    **{label.zh: value for value, label in STATUS.items()},
    "进行中": "in_progress", "正在推进": "in_progress", "推进": "in_progress",
    "未开始": "planned", "计划": "planned", "完成": "done", "已办结": "done",
    "销号中": "closing", "申请销号": "closing", "销号": "closed", "暂停": "suspended",
}
#: column heads of wide roll-up tables: short, so that 14 columns fit 120 characters
STATUS_HEAD: dict[str, L] = {
    "planned": L("未启动", "plan"),
    "in_progress": L("推进中", "prog"),
    "done": L("已完成", "done"),
    "closing": L("待销号", "clsg"),
    "closed": L("已销号", "clsd"),
    "suspended": L("暂缓", "susp"),
}
#: the kinds of a record's flags a rule may name (`when: {flag: …}`); another kind is
#: shown as the scheme writes it
FLAG_KIND: dict[str, L] = {
    "veto": L("一票否决", "veto"),
    "red_flag": L("红旗", "red flag"),
    "yellow_card": L("黄牌", "yellow card"),
}
#: the talk the scheme orders for the bottom-ranked (约谈单位): 约谈提醒, a reminder talk
#: (seed 000:117 及时约谈提醒排名靠后的单位) — not 警示约谈 or 告诫约谈, the warning
#: talks the seeds keep for red lights (001:113, 003:45); a ledger's own `kind:` of a
#: talk is printed as written
RANKING_TALK = L("约谈提醒", "reminder talk")
#: the 附注 of a document released to the public, printed under its date (GB/T 9704;
#: seed 001:19): the public edition of a bulletin carries it in every format
PUBLIC_NOTE = L("（此件公开发布）", "(Released to the public)")
#: SPEC §12 rectification sources (`source:`), in words: the bulletin's rectification
#: table and the export's 整改台账 (a value the schema refuses is shown as written)
RECTIFICATION_SOURCE: dict[str, L] = {
    "red_light": L("红灯任务", "red-light task"),
    "interview": L("约谈", "interview"),
    "inspection": L("督查检查", "inspection"),
    "ranking": L("考核排名", "ranking"),
    "other": L("其他", "other"),
}
#: not done by its due date (SPEC: *overdue*), a milestone or a rectification: 逾期 in
#: every output.  超期 is kept for the other thing, done after the due date (SPEC:
#: *late*; 超期完成, 超期销号, what `rectifications_closed_late` counts) — the bulletin
#: said 已超期 of an open rectification that the notice, `supervise` and `status` call
#: 逾期
OVERDUE = L("逾期", "overdue")
LATE = L("超期", "late")


def overdue_by(days: int, lang: str) -> str:
    """Overdue for `days` days, in a sentence or a cell: 已逾期15天 / 15 days overdue."""
    return f"已{OVERDUE.zh}{days}天" if lang == "zh" else f"{counted(days, 'day')} {OVERDUE.en}"


def late_by(days: int, lang: str) -> str:
    """Done `days` days after the due date (not `overdue_by`): 超期15天 / 15 days late."""
    return f"{LATE.zh}{days}天" if lang == "zh" else f"{counted(days, 'day')} {LATE.en}"


#: a rectification's state at a date (`ops.supervision.rectification_state`): open
#: (在办, the status report's 在办整改), open after its due date (逾期, what
#: `rectifications_overdue` counts), closed by the due date, closed after it (超期销号,
#: what `rectifications_closed_late` counts)
RECTIFICATION_STATE: dict[str, L] = {
    "open": L("在办", "open"),
    "overdue": OVERDUE,
    "closed": L("已销号", "closed"),
    "closed_late": L("超期销号", "closed late"),
}
#: the row of a CSV roll-up by group that counts the tasks in no group (their category
#: names no `group`): its id is empty, which no group's is (`group: ""` is no group),
#: so a group named like it is still told apart
NO_GROUP = L("（未指定专项推进组）", "(no group)")
#: a milestone or a rectification due on the as-of date itself.  A report is judged at
#: its as-of — given, or the year's end for a past year's ledger — which is not today,
#: so never 今天/today: the same words whatever day the report is made.  The first in a
#: line of its own (节点 2024-12-31 完工：截至当日到期), the second after the date
#: (于2024年12月31日到期（截至当日）)
DUE_ON_AS_OF = L("截至当日到期", "due on the as-of date")
AS_OF_DAY = L("截至当日", "the as-of date")
LIGHT: dict[str, L] = {
    "red": L("红灯", "red"),
    "yellow": L("黄灯", "yellow"),
    "green": L("绿灯", "green"),
}
LIGHT_HEAD: dict[str, L] = {
    "red": L("红灯", "red"),
    "yellow": L("黄灯", "yel"),
    "green": L("绿灯", "grn"),
}
#: a light in a spreadsheet cell, where the column head already says 灯
LIGHT_CELL: dict[str, L] = {
    "red": L("红", "red"),
    "yellow": L("黄", "yellow"),
    "green": L("绿", "green"),
}
#: a finding's severity in a table a person reads (the step summary); the
#: `file:line:col: error` lines keep the compilers' English word, which tools match
SEVERITY: dict[str, L] = {
    "error": L("错误", "error"),
    "warning": L("警告", "warning"),
}
#: how often a scheme component is assessed (`cadence:`), as a sentence says it
CADENCE: dict[str, L] = {
    "monthly": L("按月", "monthly"),
    "quarterly": L("按季度", "quarterly"),
    "annual": L("按年度", "annually"),
}
NONE = "—"
#: the Chinese words offices write for the values of the keys that take one of a few
#: values, by key, beside each value's label above: `source: 约谈` gets
#: "约谈 → interview" in its LS105 message as `status: 进行中` does (`load.schema`)
VALUE_WORDS: dict[str, dict[str, str]] = {
    "status": STATUS_WORDS,
    "source": {**{label.zh: value for value, label in RECTIFICATION_SOURCE.items()},
               "红灯": "red_light", "督查": "inspection", "检查": "inspection",
               "排名": "ranking", "考核": "ranking", "其它": "other"},
    "kind": {label.zh: value for value, label in FLAG_KIND.items()},
    "cadence": {**{label.zh: value for value, label in CADENCE.items()},
                "月度": "monthly", "每月": "monthly", "季度": "quarterly",
                "按季": "quarterly", "每季度": "quarterly", "年度": "annual",
                "每年": "annual"},
}

#: the columns of a task sheet: field -> (Chinese names, English names); the first of
#: each is what export writes, the importer recognises every one (`excel.columns`), and
#: a key written as one of the Chinese names gets the field's key in its LS101
#: (`load.schema`: `进度: 50` → 是不是 progress？)
SHEET_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "id": (("编号", "任务编号", "事项编号", "任务代码"), ("ID", "Task ID", "Task id")),
    #: export's hidden mark of each task's reports as the sheet showed them (任务明细's
    #: last column): `import updates` tells an old full sheet by it
    "sent": (("luoshi:sent",), ("luoshi:sent",)),
    "seq": (("序号", "序"), ("No.", "No", "#", "Seq")),
    "category": (("类别", "任务类别", "分类", "所属类别", "类型", "专项"), ("Category",)),
    "title": (("任务名称", "工作任务", "重点任务", "任务", "任务内容", "工作内容", "重点工作",
               "事项名称", "责任清单事项", "项目名称", "具体任务", "主要任务"),
              ("Title", "Task", "Task title")),
    "lead": (("牵头单位", "牵头部门", "主责单位", "牵头责任单位"), ("Lead unit", "Lead")),
    "units": (("责任单位", "责任部门", "实施单位", "具体责任单位"),
              ("Responsible units", "Units")),
    "cooperating": (("配合单位", "配合部门", "协同单位", "协办单位"),
                    ("Cooperating units", "Cooperating")),
    "leaders": (("包抓领导", "责任领导", "分管领导", "牵头领导", "包联领导", "项目长",
                 "区级领导", "县级领导", "领导"), ("Leaders", "Leader")),
    #: tasks v2 (SPEC §11): free-text names (责任人, 牵头单位的领导) and the lists a task is
    #: on (tags declared in luoshi.yaml).  分管领导 is the district leader in charge
    #: (`leaders`, above); the lead unit's own leaders are 单位领导
    "owners": (("责任人", "具体责任人", "任务责任人", "直接责任人"), ("Owners", "Owner")),
    "unit_leaders": (("单位领导", "牵头单位领导", "单位分管领导", "牵头单位分管领导",
                      "牵头单位负责人"), ("Unit leaders", "Lead unit leaders")),
    # (not 所属清单 or 榜单: office sheets use them for free text, 省级重点, and a tag
    # not declared is refused at its cell)
    "tags": (("标签", "任务标签", "清单标签"), ("Tags", "Tag")),
    "start": (("开始日期", "开始时间", "启动时间", "起始时间", "开工时间"), ("Start",)),
    "standard": (("完成标准", "目标任务", "工作目标", "具体目标", "年度目标", "完成目标",
                  "目标要求", "目标", "标准"), ("Standard", "Target")),
    "due": (("完成时限", "最终时限", "完成时间", "截止时间", "截止日期", "办结时限", "时限",
             "完成期限"), ("Due", "Deadline", "Final due")),
    "node": (("序时节点", "时间节点", "阶段节点", "节点安排", "节点", "序时安排"),
             ("Milestones", "Milestone dates")),
    "node_standard": (("节点标准", "节点目标", "阶段目标"), ("Milestone standards",)),
    "done": (("实际完成时间", "实际完成日期", "办结时间", "办结日期"), ("Done", "Done date")),
    "status": (("状态", "任务状态", "推进状态"), ("Status",)),
    "progress": (("进度", "完成进度", "进度%", "完成比例", "完成率", "进度百分比"),
                 ("Progress", "Progress %")),
    "note": (("最新进展", "进展情况", "推进情况", "工作进展", "进展", "完成情况", "工作推进情况"),
             ("Latest update", "Note", "Progress note")),
    #: the last monthly report's 存在问题 (its month is the one 最新进展 names, or --month):
    #: export writes it beside 最新进展 on 任务明细 so that `import tasks` reads it back
    "problems": (("存在问题", "存在的问题", "困难问题", "存在困难和问题"), ("Problems",)),
    #: the task's own `note` (a 进展情况 imported without a month): export writes it on
    #: 任务明细 so that import → export → import keeps it
    "task_note": (("情况说明", "任务说明"), ("Task note",)),
    "closed_date": (("销号日期", "销号时间"), ("Closed date", "Closed on")),
    "closed_by": (("销号批准", "销号审批", "批准销号"), ("Closed approved by", "Approved by")),
    "closed_evidence": (("销号依据", "销号材料"), ("Closing evidence", "Evidence")),
    # computed by luoshi: written by export, ignored by import
    "expected": (("序时进度", "应完成进度"), ("Expected progress", "Expected")),
    "light": (("亮灯", "灯号", "预警"), ("Light",)),
    "remark": (("备注", "说明"), ("Remark", "Remarks", "Comment")),
    # tasks v2 (SPEC §11), written by export when the ledger uses them; not imported
    "parent": (("上级任务",), ("Parent task",)),
    "target_value": (("目标值",), ("Target value",)),
    "actual": (("实际完成值",), ("Actual",)),
    "achieved": (("目标完成率%",), ("Achieved %",)),
}


def cadence_words(cadence: str) -> L:
    """How often a component is assessed, in words (按季度 / quarterly)."""
    return CADENCE.get(cadence, L(cadence, cadence))


def install_hint(extra: str, packages: str) -> L:
    """How to install an optional extra.  Not `pip install 'luoshi[docx]'`: luoshi is
    installed from its source directory, and that line would fetch whatever a package
    index holds under the name luoshi -- someone else's code."""
    return L(f"在 luoshi 的源码目录中运行 pip install '.[{extra}]'（或直接 pip install {packages}）",
             f"run pip install '.[{extra}]' in luoshi's source directory (or pip install "
             f"{packages})")


def unit_suffix(unit: str | None) -> str:
    """A target's unit as it follows a number: glued where Chinese glues it (80家,
    3.5亿元, 95%), after a space where a word follows a number (6 stalls, 12 km) —
    "6stalls of 9stalls" read as one word."""
    if not unit:
        return ""
    return f" {unit}" if unit[0].isascii() and unit[0].isalpha() else unit


def counted(n: int, noun: str) -> str:
    """An English count: "1 error", "2 errors", "0 warnings" (Chinese counts need no
    plural: 1 个错误)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


#: how many names a message lists before it counts the rest (a city's 100 districts)
FEW = 5
#: the levels of a `parent:` chain a document draws — the bulletin's └ mark, the
#: export's title indent (two characters a level: Excel indents a cell at most 15) —
#: a task deeper still is drawn as one this many levels down (a chain of 10,000 valid
#: tasks made a bulletin of 153 MB)
LEVELS_SHOWN = 7


def few_named(names: Sequence[str], noun: str, names_en: Sequence[str] | None = None) -> L:
    """Up to `FEW` names, then the count: `a、b、c、d、e 等 12 个台账` / `a, b, c, d, e and
    7 more` (`noun`: the Chinese measure word and noun, 个台账; `names_en`: the names as
    English words them, when they differ)."""
    n = len(names)
    en = names if names_en is None else names_en
    return L("、".join(names[:FEW]) + (f" 等 {n} {noun}" if n > FEW else ""),
             ", ".join(en[:FEW]) + (f" and {n - FEW} more" if n > FEW else ""))


def date_flaw(year: int, month: int, day: int) -> L:
    """Why a date written in the right form (YYYY-MM-DD, YYYY-MM) names no day: the
    month is not 01-12 (2024-13-01 was told "the month has no such day"), the month
    has fewer days (2024-02-30), or the year is 0000.  The reason a refused date or
    month option gives after "is not a real date", the ledger's word (LS204)."""
    if not 1 <= month <= 12:
        return L("月份应为 01–12", "a month is 01–12")
    if year < 1:
        return L("没有 0000 年", "there is no year 0000")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return L(f"{year}年{month}月只有{last}天", f"{year}-{month:02d} has {last} days")
    raise ValueError(f"{year:04d}-{month:02d}-{day:02d} is a date")


def say(label: L, lang: str) -> str:
    return label.en if lang == "en" else label.zh


def status_label(status: str | None, lang: str) -> str:
    """A status in words; an unknown one as it is, none as "—"."""
    if status in STATUS:
        return say(STATUS[status], lang)
    return status or NONE


def light_label(light: str | None, lang: str) -> str:
    """A light in words; none (a finished task) as "—"."""
    if light in LIGHT:
        return say(LIGHT[light], lang)
    return light or NONE


def words(table: dict[str, L], lang: str) -> dict[str, str]:
    """A table of labels in one language (for templates, which index by key)."""
    return {k: say(v, lang) for k, v in table.items()}


#: quotes inside quotes take the other kind (GB/T 15834: 双引号里面还要用引号时，
#: 外面一层用双引号，里面一层用单引号 — and back again one level further in)
_NESTED_QUOTES = str.maketrans({"“": "‘", "”": "’", "‘": "“", "’": "”"})


def cn_quotes(text: str) -> str:
    """ASCII double quotes in a Chinese title become “ ” in pairs (GB/T 9704 titles
    use Chinese punctuation); an unpaired last one opens."""
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def quoted(text: str, pair_ascii: bool = True) -> str:
    """Ledger text in a document's own quotes: “精准扶贫‘1+21’方案落实”, never
    “精准扶贫“1+21”方案落实”.  The quotes the text holds turn over (“” ↔ ‘’), its
    ASCII double quotes first paired into “” (`cn_quotes`) — unless `pair_ascii` is
    false: `diff` shows a change from "x" to “x” as one."""
    return "“" + (cn_quotes(text) if pair_ascii else text).translate(_NESTED_QUOTES) + "”"


#: month names, for English dates and periods ("31 May 2024", "May 2024")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def period_text(period: str, lang: str) -> str:
    """A scored period as the score table heads it: 2021-Q2 → "2021年第二季度" /
    "Q2 2021"; 2024-05 → "2024年5月" / "May 2024"; 2021 → "2021年度" / "2021 (annual)".
    English says a period as the bulletins do (Q2 2021, not 2021 Q2); the id (2021-Q2)
    stays where it is an id: record files, sheet names, JSON."""
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        if not 1 <= int(period[5:]) <= 12:
            return period  # no such month: said as written, never another month
        if lang == "en":
            return f"{MONTHS_EN[int(period[5:7]) - 1]} {period[:4]}"
        return f"{period[:4]}年{int(period[5:7])}月"
    if "-Q" in period:
        year, q = period.split("-Q")
        if lang == "en":
            return f"Q{q} {year}"
        return f"{year}年第{'一二三四'[int(q) - 1]}季度"
    return f"{period} (annual)" if lang == "en" else f"{period}年度"


def gap_text(gap: str, names: Mapping[str, str], lang: str) -> str:
    """A missing score as users read it: 节点任务完成（HLD-01）, not `delivery/HLD-01`.

    A gap (`UnitScore.missing`) is a path: an optional period (2021-Q1, 2024-05, when a
    quarter or month of a longer period lacks it), the component id, and the task or
    checklist item that lacks a score.  The component is named (`names`: component
    id → name, and "component/item" → the item's name); the period and the task id stay,
    in brackets, because two gaps of one component differ only by them.  An id with
    no name is shown as it is."""
    parts = gap.split("/")
    when = parts.pop(0) if len(parts) > 1 and _PERIOD_PART.fullmatch(parts[0]) else ""
    comp, rest = parts[0], "/".join(parts[1:])
    extra = [x for x in (when, names.get(f"{comp}/{rest}", rest) if rest else "") if x]
    name = names.get(comp) or comp
    if not extra:
        return name
    return f"{name}（{'，'.join(extra)}）" if lang == "zh" else f"{name} ({', '.join(extra)})"


def scheme_names(scheme: Scheme) -> dict[str, str]:
    """`gap_text`'s names from a scheme: every component, and every checklist item
    under its component ("component/item")."""
    out = {c.id: c.name for c in scheme.all_components()}
    for c in scheme.all_components():
        for it in (x for top in c.items for x in top.leaves()):
            out.setdefault(f"{c.id}/{it.id}", it.name)
    return out


_PERIOD_PART = re.compile(r"[1-9]\d{3}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?")


# ---- numbers ----------------------------------------------------------------------


def fixed(d: Decimal, places: int) -> str:
    """A figure with exactly `places` decimals, rounded half-up: 95.2 → "95.20".

    (Python's own format rounds half-even: 22.625 would print as 22.62.)"""
    return f"{publish(d, places):.{places}f}"


def plain(d: Decimal) -> str:
    """The shortest text: 35 → "35", 35.50 → "35.5"."""
    if d == d.to_integral_value():
        # past 4300 digits int → str raises (CPython's limit); a 10,000-digit progress
        # is a finding, and its row is still drawn
        return str(int(d)) if d.adjusted() < 4000 else format(d.to_integral_value(), "f")
    return format(trimmed(d), "f")


def as_written(d: Decimal) -> str:
    """A number as an office wrote it, for a message: 35, 28.5 (no 35.00, no 3.5E+1).
    Every digit of a whole number is kept (`normalize` would round a 5,000-digit
    999…9 to the context's 28 digits: 1000…0)."""
    if d == d.to_integral_value():
        text = format(d, "f")
        return text.partition(".")[0]
    return str(d)


def json_number(d: Decimal) -> int | float | Decimal:
    """A figure as a JSON number: 95 → 95, 95.20 → 95.2, 87.45 → 87.45.

    A score is already rounded to a handful of places, so the float's shortest repr
    is exactly those digits; no arithmetic is ever done on the float.  A figure as
    written whose digits no float holds — a target of 123456789012.345678 (18 digits,
    within LS109's range) — is returned as its trimmed `Decimal`: the JSON writers
    write its digits as a number literal (`json_decimal`), where the float printed
    123456789012.34567 for two different targets.
    """
    if d == d.to_integral_value():
        # json cannot write an int past 4300 digits (CPython's limit): such a value is
        # always a finding (a progress of 10**5000), and the document is not published
        return int(d) if d.adjusted() < 4000 else float(d)
    t = trimmed(d)  # not the caller's decimal context (`trimmed`)
    f = float(t)
    return t if Decimal(float.__repr__(f)) != t else f


def json_decimal(d: Decimal) -> str:
    """The JSON number literal of a `json_number` that stayed a `Decimal`: its digits,
    never an exponent (123456789012.345678, 0.0000001234567891234567)."""
    return format(d, "f")


#: the mark of a number in `exact_dumps`' strings: a NUL and a token drawn once per
#: process — a ledger string can hold a NUL (YAML's "\0") and any text after it, but
#: not a token it never saw (`"\0number:42"` in a deduction's reason became 42)
_TOKEN = os.urandom(16).hex()
_NUMBER_MARK = "\0" + _TOKEN + ":"
#: the mark as `json.dumps` writes it (the NUL escaped, the hex token as it is)
_MARKED = re.compile(r'"\\u0000' + _TOKEN + r':(-?[0-9.]+)"')


def exact_dumps(doc: Any) -> str:
    """`json.dumps(doc, ensure_ascii=False, indent=2)` of a document whose figures
    may be `Decimal`s (a `json_number` no float holds), each written as its number
    literal (`json_decimal`): `json` cannot write one, so each goes in as a marked
    string (`_NUMBER_MARK`) and the marks are turned into the numbers after."""
    return _MARKED.sub(r"\1", json.dumps(_marked(doc), ensure_ascii=False, indent=2))


def _marked(doc: Any) -> Any:
    t = type(doc)
    if t is dict:
        return {k: _marked(v) for k, v in doc.items()}
    if t is list or t is tuple:
        return [_marked(v) for v in doc]
    if t is Decimal:
        return _NUMBER_MARK + json_decimal(doc)
    return doc
