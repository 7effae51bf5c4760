"""The column headers offices use in a task sheet, and the ones luoshi writes.

One table serves both directions: the exporter writes the first name of each field
(Chinese or English), the importer recognises every alias.  Matching is on a
normalised form (full-width folded, spaces, asterisks and parenthesised remarks
such as "（%）" dropped), so "牵头单位（部门）" and "牵头 单位" are both the lead unit.
"""

from __future__ import annotations

import re
import unicodedata

from ..core import labels
from ..core.codes import L
from .memo import TextMemo

#: field -> (Chinese names, English names); the first of each is what export writes
#: (kept in `core.labels`, where the schema's unknown-key hint reads them too)
FIELDS = labels.SHEET_FIELDS

#: the sheet `export` writes next to 任务台账 with the rest of each task (zh, en): the
#: importers lay its columns after the task sheet's, row by row matched by 编号
DETAILS_SHEETS = ("任务明细", "Task details")

#: the counts sheet `export` writes after 任务明细 (zh, en); never a task sheet, though its
#: English "Tasks" column reads like a task title
SUMMARY_SHEETS = ("汇总", "Summary")

#: the supervision registers `export` writes after 汇总 when the ledger keeps the loop
#: (SPEC §12): one row per interview, one per rectification (zh, en); never task sheets
INTERVIEWS_SHEETS = ("约谈登记", "Interviews")
RECTIFICATIONS_SHEETS = ("整改台账", "Rectifications")

#: fields read by the importer but never converted (luoshi computes them)
IGNORED = frozenset({"expected", "light", "remark", "seq", "parent", "target_value", "actual",
                     "achieved"})

#: sub-headers under a merged 完成时限 / 序时节点 parent on a second header row
_NODE_PARENTS = frozenset({"序时节点", "时间节点", "阶段节点", "节点安排", "序时安排", "阶段目标",
                           "milestones"})
_DUE_PARENTS = frozenset({"完成时限", "时限", "完成时间", "完成期限", "时间节点", "deadline",
                          "due"})
_TIME_WORDS = frozenset({"时间", "时限", "日期", "完成时限", "节点时间", "完成时间", "date",
                         "due"})
_TEXT_WORDS = frozenset({"内容", "标准", "目标", "任务", "完成标准", "节点目标", "节点内容",
                         "standard", "target"})
_NODE_CHILD = frozenset({"序时节点", "阶段节点", "节点", "时间节点", "节点时间", "节点时限",
                         "阶段", "序时", "中间节点",
                         "milestones", "nodes"})
_FINAL_CHILD = frozenset({"最终时限", "最终节点", "最终完成时限", "完成时限", "截止时间", "最终",
                          "final", "finaldue"})

_OPEN = re.compile(r"[（(]")
_CLOSE = re.compile(r"[）)]")
_JUNK = re.compile(r"[\s*※:：★·_]+")
_MILESTONE = re.compile(
    r"(?:节点|序时节点|milestone|m)(\d{1,3})(时限|日期|时间|标准|完成|完成日期|备注|due|standard|done|note)\Z")
_MS_PART = {"时限": "due", "日期": "due", "时间": "due", "due": "due",
            "标准": "standard", "standard": "standard",
            "完成": "done", "完成日期": "done", "done": "done", "备注": "note", "note": "note"}


def strip_remarks(text: str) -> str:
    """`text` without its bracketed remarks: what `re.sub(r"[（(][^）)]*[）)]", "", text)`
    gives, each remark running from an opening bracket to the first closing one after
    it, in one left-to-right pass.  The regex restarted at every opening bracket
    with no closing one after it: a cell of 32,000 "(" kept `import tasks` busy
    for 52 s (audit); once no closing bracket follows an opening one, none follows
    any later opening one either, so the scan stops there."""
    out: list[str] = []
    pos = 0
    while (opening := _OPEN.search(text, pos)) is not None:
        closing = _CLOSE.search(text, opening.end())
        if closing is None:
            break
        out.append(text[pos:opening.start()])
        pos = closing.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def norm(text: object) -> str:
    """A header (or name) in the form used for matching.

    Kept per text (`memo.TextMemo`): asked of every cell while the header is found,
    totals are looked for and categories read, a shared string of 32,000 characters
    in 5,000 rows was normalised 5,000 times."""
    if not isinstance(text, str):
        return _norm(str(text))
    return _NORMS(text, text, lambda: _norm(text))


_NORMS: TextMemo[str] = TextMemo()


def _norm(text: str) -> str:
    """`norm` computed."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = strip_remarks(s) or s
    s = _JUNK.sub("", s)
    return s.lower()


_ALIASES: dict[str, str] = {}
for _field, (_zh, _en) in FIELDS.items():
    for _name in (*_zh, *_en):
        _ALIASES.setdefault(norm(_name), _field)


#: the longest cell read as a header (characters): the longest header an office writes,
#: remark in brackets and all, is a few dozen.  A longer cell is a task's text, never
#: a header: the aliases were looked for in each of them, and 600 cells of 32,767
#: characters took 17 s to find no header (audit)
HEADER_MAX = 200


def field_of(text: object) -> str | None:
    """The field a single header names: an exact alias, an export milestone
    column (节点2时限 → ms2_due), or the longest alias the header contains; None for
    a cell longer than any header (`HEADER_MAX`)."""
    if text is None or (isinstance(text, str) and len(text) > HEADER_MAX):
        return None
    key = norm(text)
    if not key:
        return None
    hit = _ALIASES.get(key)
    if hit:
        return hit
    m = _MILESTONE.match(key)
    if m:
        return f"ms{int(m.group(1))}_{_MS_PART[m.group(2)]}"
    # "2024年工作目标" or "牵头单位及责任人": the longest known name inside it
    best: tuple[int, str] | None = None
    for alias, fld in _ALIASES.items():
        if len(alias) >= 3 and alias in key and (best is None or len(alias) > best[0]):
            best = (len(alias), fld)
    return best[1] if best else None


def sub_field(parent: object, child: object) -> str | None:
    """The field of a column under a two-row header (parent over child)."""
    p, c = norm(parent) if parent is not None else "", norm(child) if child is not None else ""
    if p in _NODE_PARENTS:
        if c in _TIME_WORDS:
            return "node"
        if c in _TEXT_WORDS:
            return "node_standard"
    if p in _DUE_PARENTS or p in _NODE_PARENTS:
        if c in _NODE_CHILD:
            return "node"
        if c in _FINAL_CHILD:
            return "due"
    return field_of(child) or field_of(parent)


def is_header_word(text: object) -> bool:
    """Could this cell be part of a header row (used to spot a second header row)?"""
    if text is None or not isinstance(text, str) or len(text) > HEADER_MAX:
        return False
    k = norm(text)
    return bool(k) and (field_of(text) is not None or k in _TIME_WORDS or k in _TEXT_WORDS
                        or k in _NODE_CHILD or k in _FINAL_CHILD)


def header(fld: str, lang: str) -> str:
    """The header export writes for a field."""
    if fld.startswith("ms"):
        n, part = fld[2:].split("_")
        zh = {"due": "时限", "standard": "标准", "done": "完成", "note": "备注"}[part]
        en = {"due": "due", "standard": "standard", "done": "done", "note": "note"}[part]
        return f"节点{n}{zh}" if lang == "zh" else f"Milestone {n} {en}"
    zh_names, en_names = FIELDS[fld]
    return zh_names[0] if lang == "zh" else en_names[0]


def describe(fld: str) -> L:
    """A field named for a message: "牵头单位 / lead unit"."""
    if fld.startswith("ms"):
        return L(header(fld, "zh"), header(fld, "en"))
    return L(FIELDS[fld][0][0], FIELDS[fld][1][0])


STATUS_LABELS = labels.STATUS

_STATUS_WORDS: dict[str, str] = {
    **{norm(v.zh): k for k, v in STATUS_LABELS.items()},
    **{norm(v.en): k for k, v in STATUS_LABELS.items()},
    **{norm(k): k for k in STATUS_LABELS},
    **{norm(w): "planned" for w in ("未开始", "计划", "未开工", "待启动", "尚未启动", "not started")},
    **{norm(w): "in_progress" for w in ("进行中", "正在推进", "推进", "实施中", "在建", "序时推进",
                                       "正常推进", "滞后", "进度滞后", "逾期", "按序时推进",
                                       "in-progress", "ongoing")},
    **{norm(w): "done" for w in ("完成", "已办结", "办结", "已完成任务", "complete", "completed",
                                "finished")},
    **{norm(w): "closing" for w in ("申请销号", "销号中", "拟销号")},
    **{norm(w): "closed" for w in ("销号", "已销账")},
    **{norm(w): "suspended" for w in ("暂停", "中止", "暂缓实施", "挂起", "on hold")},
}


def status_of(text: object) -> str | None:
    return _STATUS_WORDS.get(norm(text))


LIGHT_LABELS = labels.LIGHT_CELL
