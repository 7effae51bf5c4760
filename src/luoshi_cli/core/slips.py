"""Slips of a Chinese input method in values that must be numbers or ids, and what
to write instead: a full-width digit or letter (`５５`, `ＷＮ-００９`), a percent sign
(`55%`, `８０％`), a number in words (`百分之五十五`), a full stop or a comma for the
decimal point (`87。5`, `87,5`), quotes around a number (`"55"`), and a space that
draws nothing at the end (`55　`, U+3000; a no-break space from a web page).

Each function gives the advice of a finding (`L`), or None where the text is no
recognisable slip — the finding keeps its usual words then."""

from __future__ import annotations

import re
from collections.abc import Callable, Container

from .codes import L

#: full-width digits, letters, full stop and signs → their ASCII forms (U+FF01–U+FF5E
#: are ASCII U+0021–U+007E shifted by 0xFEE0)
_HALF = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
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


def number_fix(text: str) -> L | None:
    """What to write for a number written as text (a YAML string where a number
    belongs), or None when the text is not a number slipped: `５５` → 请改用半角数字，
    写 55; `55%` → 请去掉百分号，写 55; `"55"` → 请去掉引号…，写 55; `55　` → 请删去末尾的
    全角空格，写 55."""
    core, blank = _spaces(text)
    said = [blank] if blank is not None else []
    if core.startswith("百分之"):
        core = core[3:]
        said.append(L("去掉“百分之”", "drop 百分之 (per cent)"))
    elif core[-1:] in ("%", "％"):
        core = core[:-1].rstrip()
        said.append(L("去掉百分号", "drop the per cent sign"))
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
