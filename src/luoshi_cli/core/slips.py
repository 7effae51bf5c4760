"""Slips of a Chinese input method in values that must be numbers or ids, and what
to write instead: a full-width digit or letter (`５５`, `ＷＮ-００９`), a percent sign
(`55%`, `８０％`), a number in words (`百分之五十五`), a full stop or a comma for the
decimal point (`87。5`, `87,5`), quotes around a number (`"55"`), and a space that
draws nothing at the end (`55　`, U+3000; a no-break space from a web page).

Each function gives the advice of a finding (`L`), or None where the text is no
recognisable slip — the finding keeps its usual words then."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Container
from datetime import date

from .codes import L
from .numbers import ASCII_FORMS as _HALF  # full-width digits, letters, signs → ASCII

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?\Z", re.ASCII)
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}


def _spaces(text: str) -> tuple[str, L | None]:
    """`text` without the blanks around it, and what deletes them (删去末尾的全角空格)."""
    core = text.strip()
    if core == text:
        return text, None
    blanks = text[:len(text) - len(text.lstrip())] + text[len(text.rstrip()):]
    where = L("末尾", "trailing") if text.startswith(core) else (
        L("开头", "leading") if text.endswith(core) else L("前后", "surrounding"))
    if "\u3000" in blanks:
        kind = L("全角空格", "full-width space (U+3000)")
    elif "\u00a0" in blanks:
        kind = L("不间断空格", "no-break space (U+00A0)")
    else:
        kind = L("空格", "space")
    plural = "s" if len(blanks) > 1 else ""
    return core, L(f"删去{where.zh}的{kind.zh}", f"delete the {where.en} {kind.en}{plural}")


def _cn_number(text: str) -> int | None:
    """A whole number from 0 to 999 in Chinese words (五十五, 一百, 十二), or None."""
    if not text or any(c not in _CN_DIGIT and c not in "十百" for c in text):
        return None
    total, digit = 0, None
    for unit, size in (("百", 100), ("十", 10)):
        if unit in text:
            head, _, text = text.partition(unit)
            if len(head) > 1 or (head and head not in _CN_DIGIT):
                return None
            total += (_CN_DIGIT[head] if head else 1) * size
    if len(text) > 1 or "百" in text or "十" in text:
        return None
    digit = _CN_DIGIT.get(text, 0) if text else 0
    return total + digit


#: a word after a number that a clerk writes and YAML reads as text: 80分, 2024年
_SUFFIXES = {"分": "points", "年": "year"}
#: yes and no in Chinese where true or false belongs (`provisional: 是`)
_YES_NO = {"是": "true", "否": "false", "真": "true", "假": "false"}


def bool_fix(text: str) -> L | None:
    """What to write for yes or no in Chinese where true or false belongs: 是 → 请写
    true, 否 → 请写 false; None for any other text."""
    meant = _YES_NO.get(text.strip())
    if meant is None:
        return None
    return L(f"请写 {meant}", f"write {meant}")


def number_fix(text: str) -> L | None:
    """What to write for a number written as text (a YAML string where a number
    belongs), or None when the text is not a number slipped: `５５` → 请改用半角数字，
    写 55; `55%` → 请去掉百分号，写 55; `80分` → 请去掉“分”，写 80; `"55"` → 请去掉引号…，
    写 55; `55　` → 请删去末尾的全角空格，写 55.  `约80` is no slip: no number is guessed."""
    core, blank = _spaces(text)
    said = [blank] if blank is not None else []
    if core.startswith("百分之"):
        core = core[3:]
        said.append(L("去掉“百分之”", "drop 百分之 (per cent)"))
    elif core[-1:] in ("%", "％"):
        core = core[:-1].rstrip()
        said.append(L("去掉百分号", "drop the per cent sign"))
    elif core[-1:] in _SUFFIXES and len(core) > 1:  # `80分`, `year: 2024年`
        said.append(L(f"去掉“{core[-1]}”", f"drop {core[-1]} ({_SUFFIXES[core[-1]]})"))
        core = core[:-1].rstrip()
    words = _cn_number(core)
    if words is not None:
        core = str(words)
        said.append(L("改用阿拉伯数字", "digits, not words"))
    half = core.translate(_HALF)
    if half != core:
        said.append(L("改用半角数字", "use half-width (ASCII) digits"))
    if re.fullmatch(r"\d+。\d+", half, re.ASCII):
        half = half.replace("。", ".")
        said.append(L("把句号“。”改为小数点“.”", "write the decimal point as ., not 。"))
    elif re.fullmatch(r"\d+,\d{1,2}", half, re.ASCII):
        said.append(L(f"{half} 像是用逗号作小数点：请改用“.”",
                      f"{half} looks like a decimal comma: write the point as ."))
        half = half.replace(",", ".")
    if not _NUMBER.match(half):
        return None
    if not said:  # the digits alone, read as text: written in quotes
        said.append(L("去掉引号（加了引号就是文本）", "drop the quotes (quoted, it is text)"))
    zh = "，".join(x.zh for x in said)
    return L(zh + f"，写 {half}" if "：请" in zh else f"请{zh}，写 {half}",
             "; ".join(x.en for x in said) + f"; write {half}")


#: a figure with its unit glued on (`10个`, `１０个`, `2.5 万元`, `300 km`): the digits,
#: then a unit of letters (any script) that YAML reads back as plain text
_GLUED = re.compile(r"(\d+(?:\.\d+)?)[ \u3000]*([^\W\d_][^\W\d_/²³]*(?:/[^\W\d_]+)?[²³]?)\Z")


def _glued(text: str) -> tuple[str, str] | None:
    """The figure and the unit of text written as a figure with its unit glued on
    (`１０个` → 10, 个), full-width digits read as digits; None for anything else."""
    m = _GLUED.fullmatch(text.strip(" \u3000").translate(_HALF).replace("。", "."))
    return None if m is None else (m.group(1), m.group(2))


def target_fix(value: object) -> L | None:
    """What to write for a task's target written as a figure with its unit glued on
    (`target: 10个`, `target: {value: １０个}`): the v2 form (SPEC §11) `target: {value:
    10, unit: 个}`; a bare figure (`target: 10`) → `target: {value: 10}`.  None for
    anything else (no figure is guessed)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        shown = str(value) if isinstance(value, int) else (
            getattr(value, "text", None) or repr(value))  # as written (`WrittenFloat`)
        return L(f"请写成 target: {{value: {shown}}}（可加单位，如 unit: 个）",
                 f"write it as target: {{value: {shown}}} (a unit may follow, as unit: 个)")
    glued = _glued(value)
    if glued is None:
        return None
    number, unit = glued
    return L(f"请把数字和单位分开写：target: {{value: {number}, unit: {unit}}}",
             f"write the figure and its unit apart: target: {{value: {number}, unit: {unit}}}")


def amount_fix(value: str, task_unit: str | None) -> L | None:
    """What to write for a milestone's `target` or an update's `actual` written as a
    figure with its unit glued on (`target: 120个`, `actual: １９０个`): the figure alone
    where it is in the unit of the task's target (`task_unit`; the figures are in
    it) — else no figure: `1.2亿元` under a target in 万元 is 12000, and a target
    with no unit says nothing of what 1.2 would mean; where the task has no target
    (`task_unit` None), the figure and the unit for the task's target.  None for
    anything else."""
    glued = _glued(value)
    if glued is None:
        return None
    number, unit = glued
    if task_unit is None:
        return L(f"请只写数字 {number}，单位写在任务的 target 中（target: {{value: …, unit: {unit}}}）",
                 f"write the figure alone, {number}, and the unit in the task's target "
                 f"(target: {{value: …, unit: {unit}}})")
    if task_unit.strip() == unit:
        return L(f"请只写数字 {number}（单位 {unit} 见任务的 target）",
                 f"write the figure alone, {number} (the unit, {unit}, is the task's target's)")
    if task_unit.strip():
        return L(f"请只写数字，以任务 target 的单位 {task_unit.strip()} 计（这里写的是 {unit}）",
                 f"write the figure alone, in the unit of the task's target, "
                 f"{task_unit.strip()} (this is in {unit})")
    return L(f"请只写数字，与任务 target 的值同一单位（这里写的是 {unit}）",
             f"write the figure alone, in the unit of the task's target value (this is in "
             f"{unit})")


#: the rule of an id, in words (LS104): a clerk does not read a regular expression
TASK_ID_RULE = L("只能用半角字母、数字和 _ . -，以字母或数字开头",
                 "use only ASCII letters, digits and _ . -, starting with a letter or digit")
UNIT_ID_RULE = L("只能用半角小写字母、数字和 _ -，以字母或数字开头",
                 "use only lowercase ASCII letters, digits and _ -, starting with a letter or "
                 "digit")


def meant_id(text: str) -> str | None:
    """The id `text` stands for when blanks around it or full-width letters and digits
    are all that set it apart (`K-01　`, `ＷＮ-００９`: what `id_fix` and
    `reference_slip` tell to write), or None when it is no such slip."""
    core = text.strip()
    half = core.translate(_HALF)
    return half if half != text else None


def id_fix(text: str, valid: Callable[[str], object]) -> L:
    """The advice after an invalid id's rule (LS104): what to delete or change, and the
    id to write, when blanks around it (`WN-009　`) or full-width letters and digits
    (`ＷＮ-００９`) are what made it invalid; empty otherwise."""
    core, blank = _spaces(text)
    said = [blank] if blank is not None else []
    half = core.translate(_HALF)
    if half != core:
        said.append(L("改用半角字母和数字", "use half-width (ASCII) letters and digits"))
    if not said or not valid(half):
        return L("", "")
    return L("；请" + "，".join(x.zh for x in said) + f"，写 {half}",
             "; " + "; ".join(x.en for x in said) + f"; write {half}")


def reference_slip(value: str, known: Container[str]) -> L | None:
    """What made a reference unknown when it is a known id but for blanks around it
    (`lead: chongyelu　`, an input method's full-width space) or full-width letters
    (`ｃｈｏｎｇｙｅｌｕ`): the fix to write, or None."""
    core, blank = _spaces(value)
    said = [blank] if blank is not None else []
    half = core.translate(_HALF)
    if half != core:
        said.append(L("改用半角字母和数字", "use half-width (ASCII) letters and digits"))
    if not said or half not in known:
        return None
    return L("请" + "，".join(x.zh for x in said) + f"，写 {half}",
             "; ".join(x.en for x in said) + f"; write {half}")


#: a date written in another common form: 2024/02/29, 2024.2.29, 2024年2月29日, 2024-2-29
_LOOSE_DATE = re.compile(r"(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2|年\s*(\d{1,2})\s*月)"
                         r"\s*(\d{1,2})\s*日?\Z", re.ASCII)
#: a month so: 2024-3, 2024/3, 2024年3月
_LOOSE_MONTH = re.compile(r"(\d{4})\s*(?:[-/]\s*(\d{1,2})|年\s*(\d{1,2})\s*月(?:份)?)\Z",
                          re.ASCII)
#: a quarter so: 2024Q1, 2024-q1, 2024 Q1, 2024年一季度, 2024年第1季度
_LOOSE_QUARTER = re.compile(r"(\d{4})\s*(?:[-_/]?\s*[Qq]\s*0?([1-4])|年?\s*第?\s*([1-4一二三四])"
                            r"\s*季度?)\Z", re.ASCII)
_LOOSE_YEAR = re.compile(r"(\d{4})\s*年度?\Z", re.ASCII)
_QUARTER_WORD = {"一": 1, "二": 2, "三": 3, "四": 4}
#: quotes of a Chinese input method around a value: “2024-03”, ‘2024-03’, 「2024-03」
_CURLY = ("“”", "‘’", "「」", "『』", "＂＂")


def _loose(text: str) -> tuple[str, L | None]:
    """`text` with full-width digits and signs made ASCII and the blanks around it
    dropped, and whether curly quotes were taken off (what to say about them)."""
    core = text.strip().translate(_HALF)
    for pair in _CURLY:
        if len(core) > 2 and core[0] == pair[0] and core[-1] == pair[1]:
            return core[1:-1].strip(), L("请用半角引号", "use ASCII quotes")
    return core, None


def _told(written: str, said: L | None) -> L:
    if said is None:
        return L(f"请写 {written}", f"write {written}")
    return L(f"{said.zh}，写 {written}", f"{said.en}: write {written}")


def date_fix(text: str) -> L | None:
    """What to write for a date in another form that is recognisably one day
    (`2024/02/29`, `2024.2.29`, `2024年2月29日`, `2024-2-29`, `２０２４－０２－２９`):
    请写 2024-02-29; None where it is not a real date (2024-02-30 keeps its message)."""
    core, said = _loose(text)
    m = _LOOSE_DATE.match(core)
    if m is None:
        return None
    year, month, day = int(m.group(1)), int(m.group(3) or m.group(4)), int(m.group(5))
    try:
        return _told(date(year, month, day).isoformat(), said)
    except ValueError:
        return None


def month_fix(text: str) -> L | None:
    """What to write for a month in another form (`2024-3`, `2024年3月`, `“2024-03”`,
    full-width digits): 请写 "2024-03" (quoted, as a month is written); None otherwise."""
    core, said = _loose(text)
    m = _LOOSE_MONTH.match(core)
    if m is None:
        m2 = re.fullmatch(r"(\d{4})-(\d{2})", core, re.ASCII)
        if m2 is None or (said is None and core == text):
            return None
        year, month = int(m2.group(1)), int(m2.group(2))
    else:
        year, month = int(m.group(1)), int(m.group(2) or m.group(3))
    if not 1 <= month <= 12:
        return None
    return _told(f'"{year:04d}-{month:02d}"', said)


def period_fix(text: str) -> L | None:
    """What to write for a period in another form: a quarter `2024Q1`, `2024-q1`,
    `2024年一季度` → 2024-Q1; a month `2024-3`, `2024年3月` → "2024-03"; a year
    `2024年` → 2024.  None where the text is none of these."""
    core, said = _loose(text)
    if core[:1] == "0":  # year 0000: no year to write (a period's year is 1000–9999)
        return None
    m = _LOOSE_QUARTER.match(core)
    if m is not None:
        q = m.group(2) or m.group(3)
        quarter = _QUARTER_WORD.get(q) or int(q)
        return _told(f"{m.group(1)}-Q{quarter}", said)
    m = _LOOSE_YEAR.match(core)
    if m is not None:
        return _told(m.group(1), said)
    return month_fix(text)
