"""A `LedgerDiff` rendered (`luoshi diff`): text for a terminal, Markdown ready to post
on a pull request (at most `MD_LIMIT` characters), and JSON for tools."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.codes import L
from ..core.labels import as_written, json_number, light_label, quoted, say, status_label

if TYPE_CHECKING:
    from ..core.model import Adjustment, Closed, Flag, Update
    from ..ops.history import (
        FieldChange,
        LedgerDiff,
        MilestoneChange,
        PeriodMove,
        RecordEntry,
        RecordNote,
        RecordsDiff,
        SchemeKind,
        Shown,
        Standing,
        SupervisionDiff,
        SupervisionEntry,
        TaskChange,
        UnitEntry,
        UnitMove,
        UnitsDiff,
        UpdateChange,
    )

#: GitHub refuses comments over 65,536 characters
MD_LIMIT = 60_000
#: the most characters of ledger text one Markdown cell (or one line of a cell) shows:
#: a table row is one line, and the comment is cut at a line break before `MD_LIMIT` —
#: one 62,000-character title left only the heading
CELL_LIMIT = 1_000
#: the most lines one cell of "what changed" shows (the rest are counted)
CELL_LINES = 30

FIELD_LABELS: dict[str, L] = {
    "milestones": L("序时节点", "milestones"), "standard": L("完成标准", "standard"),
    "lead": L("牵头单位", "lead unit"), "units": L("责任单位", "units"),
    "leaders": L("包抓领导", "leaders"), "cooperating": L("配合单位", "cooperating units"),
    "title": L("任务名称", "title"), "category": L("类别", "category"),
    "start": L("开始日期", "start"), "locked": L("锁定", "locked"),
    "target": L("目标值", "target"), "parent": L("上级任务", "parent task"),
    "tags": L("标签", "tags"), "owners": L("责任人", "owners"),
    "unit_leaders": L("牵头单位领导", "unit leaders"), "note": L("备注", "note"),
}

_FLAG_WORDS: dict[str, L] = {"red_flag": L("红旗", "red flag"),
                             "yellow_card": L("黄牌", "yellow card")}


#: the fields of interviews and rectifications (supervision/*.yaml, SPEC §12)
SUPERVISION_LABELS: dict[str, L] = {
    "kind": L("约谈类型", "kind"), "by": L("约谈人", "by"), "reason": L("约谈事由", "reason"),
    "tasks": L("涉及任务", "tasks"), "unit": L("整改单位", "unit"), "source": L("来源", "source"),
    "opened": L("下达日期", "opened"), "due": L("整改期限", "due"),
    "report": L("书面报告日期", "written report"), "closed": L("销号日期", "closed"),
    "approved_by": L("销号审批人", "approved by"), "evidence": L("销号依据", "evidence"),
    "note": L("备注", "note"), "report_note": L("书面报告备注", "report note"),
    "period": L("所依排名", "ranking"),
}
#: where a rectification's field reads otherwise than an interview's
RECTIFICATION_LABELS: dict[str, L] = {"reason": L("整改原因", "reason")}

#: the fields of a record's deductions, bonuses and flags (records/*.yaml)
RECORD_LABELS: dict[str, L] = {
    "date": L("日期", "date"), "points": L("分值", "points"), "media": L("媒体曝光", "media"),
    "provisional": L("预扣分", "provisional"), "restored": L("返还", "restored"),
    "reason": L("事由", "reason"),
}
_RECORD_KINDS: dict[str, L] = {"deduction": L("扣分", "deduction"),
                               "bonus": L("加分", "bonus"), "flag": L("标记", "flag")}

#: the fields of units and leaders (units.yaml)
UNIT_LABELS: dict[str, L] = {
    "name": L("名称", "name"), "kind": L("单位类型", "kind"),
    "assessed": L("参加考核（assessed）", "assessed"), "group": L("排名分组", "ranking group"),
    "title": L("职务", "title"), "short": L("简称", "short name"),
}

#: the fields of luoshi.yaml's categories and tags
CONFIG_LABELS: dict[str, L] = {
    "name": L("名称", "name"), "group": L("专项推进组", "group"),
    "description": L("说明", "description"), "planned": L("计划任务数", "planned tasks"),
}
#: the fields of scheme.yaml's entries (components, grades, ranking groups, deduction
#: and bonus categories, rules, the scheme's settings), by their keys in scheme.yaml
SCHEME_LABELS: dict[str, L] = {
    "name": L("名称", "name"), "parent": L("上级项目", "parent"), "weight": L("权重", "weight"),
    "cadence": L("考核周期（cadence）", "cadence"), "source": L("来源（source）", "source"),
    "credit": L("计分单位（credit）", "credit"), "timeliness": L("时效分（timeliness）", "timeliness"),
    "quality": L("质量分（quality）", "quality"),
    "late_per_day": L("逾期每日扣减（late_per_day）", "late_per_day"),
    "scored_by": L("评分单位（scored_by）", "scored_by"),
    "applies_to": L("适用范围（applies_to）", "applies_to"), "items": L("细项", "items"),
    "min": L("下限（min）", "min"), "max": L("上限（max）", "max"),
    "max_share": L("比例上限（max_share）", "max_share"), "kinds": L("单位类型", "kinds"),
    "units": L("单位", "units"), "interview_bottom": L("末位约谈（interview_bottom）",
                                                       "interview_bottom"),
    "doc_no": L("文号", "document number"), "places": L("保留小数位数", "decimal places"),
    "media_multiplier": L("媒体曝光倍数（media_multiplier）", "media_multiplier"),
    "floor": L("最低得分（floor）", "floor"), "bonus_cap": L("加分上限（cap）", "bonus cap"),
    "ceiling": L("得分上限（ceiling）", "ceiling"),
    "month_interview_bottom": L("月度末位约谈（month_interview_bottom）",
                                "month_interview_bottom"),
    "quarter_interview_bottom": L("季度末位约谈（quarter_interview_bottom）",
                                  "quarter_interview_bottom"),
    "max_grade": L("最高等次（max_grade）", "max_grade"),
    "min_grade": L("最低等次（min_grade）", "min_grade"),
    "downgrade": L("降档（downgrade）", "downgrade"), "upgrade": L("升档（upgrade）", "upgrade"),
    "interview": L("约谈（interview）", "interview"), "note": L("说明", "note"),
}
#: the kinds of scheme.yaml's entries, in the order of the line of counts
_SCHEME_KINDS: dict[SchemeKind, L] = {
    "component": L("考核项目", "component"), "grade": L("等次", "grade"),
    "group": L("排名分组", "ranking group"), "deduction": L("扣分类别", "deduction category"),
    "bonus": L("加分类别", "bonus category"), "rule": L("考核规则", "rule"),
    "settings": L("考核办法", "scheme")}
#: how an entry of units.yaml, luoshi.yaml or scheme.yaml is named before its id (a
#: unit: none)
_ENTRY_KINDS: dict[str, L] = {"leader": L("领导", "leader"), "category": L("类别", "category"),
                              "tag": L("标签", "tag"),
                              **{str(k): v for k, v in _SCHEME_KINDS.items()}}

_t = say


_status = status_label
_light = light_label
_num = as_written


def _q(text: str) -> str:
    """Ledger text in quotes, its own quotes turned over; ASCII ones as written (a
    change from "x" to “x” must show)."""
    return quoted(text, pair_ascii=False)


def _milestone(m: MilestoneChange, lang: str) -> str:
    en = lang == "en"
    tag = ""
    if m.approved is True:
        tag = " (approved)" if en else "（已审批）"
    elif m.approved is False:
        tag = " (NOT approved)" if en else "（未经审批）"
    if m.kind == "moved":
        s = (f"milestone {_q(m.standard)} moved {m.before} → {m.after}" if en
             else f"序时节点{_q(m.standard)}由 {m.before} 调整为 {m.after}")
    elif m.kind == "reworded":
        s = (f"milestone due {m.after} now reads {_q(m.standard)}" if en
             else f"{m.after} 的序时节点改为{_q(m.standard)}")
    elif m.kind == "added":
        s = (f"milestone added: {m.after} {_q(m.standard)}" if en
             else f"新增序时节点：{m.after}{_q(m.standard)}")
    elif m.kind == "removed":
        s = (f"milestone removed: {m.before} {_q(m.standard)}" if en
             else f"删除序时节点：{m.before}{_q(m.standard)}")
    elif m.kind == "retargeted":
        tb, ta = _opt_num(m.target_before), _opt_num(m.target_after)
        s = (f"milestone {_q(m.standard)} target {tb} → {ta}" if en
             else f"序时节点{_q(m.standard)}的目标值由 {tb} 调整为 {ta}")
    elif m.kind == "done":
        s = (f"milestone {_q(m.standard)} done {m.after}" if en
             else f"序时节点{_q(m.standard)}于 {m.after} 完成")
    elif m.kind == "renoted":
        nb, na = _opt_q(m.note_before), _opt_q(m.note_after)
        s = (f"milestone {_q(m.standard)} note {nb} → {na}" if en
             else f"序时节点{_q(m.standard)}的备注由 {nb} 改为 {na}")
    else:
        s = (f"milestone {_q(m.standard)} no longer done" if en
             else f"序时节点{_q(m.standard)}的完成日期被撤销")
    return s + tag


def _opt_q(x: str | None) -> str:
    return "—" if x is None else _q(x)


def _opt_num(x: Decimal | None) -> str:
    return "—" if x is None else _num(x)


def _list(items: tuple[str, ...] | list[str], lang: str) -> str:
    """Items of a list in a line: 区发改委、区教育局 (Chinese takes the 顿号),
    fgw, jyj in English."""
    return (", " if lang == "en" else "、").join(items)


def _yes_no(x: bool, lang: str) -> str:
    """A yes/no field (`locked`, a deduction's `provisional`): 是/否 in Chinese; in
    English true/false, as units' `assessed` and the YAML read."""
    return ("true" if x else "false") if lang == "en" else ("是" if x else "否")


def _shown(x: Shown, lang: str, quote: bool = False) -> str:
    """A value as people read it (`ops.history.Shown`) in `lang`: a yes/no in words,
    a list joined (`_list`; "—" for none), luoshi's words in the language; ledger text
    quoted when `quote` (a yes/no is luoshi's word: never quoted)."""
    if isinstance(x, bool):
        return _yes_no(x, lang)
    if isinstance(x, L):
        text = _t(x, lang)
    elif isinstance(x, tuple):
        if not x:
            return "—"
        text = _list([i if isinstance(i, str) else _t(i, lang) for i in x], lang)
    else:
        text = x
    return _q(text) if quote else text


def _value(v: FieldChange, after: bool, lang: str) -> str:
    """A field's value for a line: quoted (a yes/no as 是/否), or "—" when not written."""
    written, shown = (v.after, v.after_shown) if after else (v.before, v.before_shown)
    return "—" if written is None else _shown(shown, lang, quote=True)


def _closing(c: Closed | None, lang: str) -> str:
    """A closing record (销号) in one phrase: its date, approver and evidence."""
    if c is None:
        return "—"
    day = c.date.isoformat() if c.date else "—"
    by = c.approved_by or "—"
    evidence = _q(c.evidence) if c.evidence else "—"
    return (f"{day} (approved by {by}; evidence {evidence})" if lang == "en"
            else f"{day}（审批：{by}；依据：{evidence}）")


def _flag(kind: str, f: Flag, lang: str) -> str:
    """A red flag or yellow card given (added) or taken back (removed)."""
    what = _t(_FLAG_WORDS.get(f.kind, L(f.kind, f.kind)), lang)
    detail = " ".join(x for x in (f.date.isoformat() if f.date else "", f.by or "",
                                  _q(f.note) if f.note else "") if x)
    if lang == "en":
        head = f"{what} {'given' if kind == 'added' else 'taken back'}"
        return f"{head}: {detail}" if detail else head
    head = f"{'新增' if kind == 'added' else '撤销'}{what}"
    return f"{head}：{detail}" if detail else head


#: the parts of a monthly update, in the order shown
_UPDATE_PARTS = (("progress", L("进度", "progress")), ("actual", L("实际完成", "actual")),
                 ("note", L("备注", "note")), ("problems", L("存在问题", "problems")))


def _update_value(u: Update | None, name: str) -> str:
    x = getattr(u, name) if u is not None else None
    if x is None:
        return "—"
    if name == "progress":
        return f"{_num(x)}%"
    return _num(x) if isinstance(x, Decimal) else _q(x)


def _update(c: UpdateChange, lang: str) -> str:
    """A monthly update added (with what it says), removed, or rewritten (what moved)."""
    en = lang == "en"
    sep = ", " if en else "，"
    if c.before is None or c.after is None:
        u = c.after or c.before
        parts = sep.join(f"{_t(label, lang)} {_update_value(u, name)}"
                         for name, label in _UPDATE_PARTS
                         if getattr(u, name, None) is not None)
        if c.after is None:
            return f"update {c.month} removed" if en else f"删除 {c.month} 月度进展"
        head = f"update {c.month} added" if en else f"新增 {c.month} 月度进展"
        return (f"{head}: {parts}" if en else f"{head}：{parts}") if parts else head
    moved = sep.join(f"{_t(label, lang)} {_update_value(c.before, name)} → "
                     f"{_update_value(c.after, name)}" for name, label in _UPDATE_PARTS
                     if getattr(c.before, name) != getattr(c.after, name))
    return f"update {c.month}: {moved}" if en else f"{c.month} 月度进展：{moved}"


def _adjustment(kind: str, a: Adjustment, lang: str) -> str:
    """An `adjustments` entry added, or removed (or edited: LS503): who approved what."""
    day = a.date.isoformat() if a.date else "—"
    field = _t(FIELD_LABELS.get(a.field, L(a.field, a.field)), lang)
    by = a.approved_by or "—"
    if lang == "en":
        head = "adjustment added" if kind == "added" else "adjustment removed or edited"
        why = f", reason {_q(a.reason)}" if a.reason else ""
        return f"{head}: {day} {field}, approved by {by}{why}"
    head = "新增调整审批记录" if kind == "added" else "调整审批记录被删除或改动"
    why = f"，理由{_q(a.reason)}" if a.reason else ""
    return f"{head}：{day} {field}，审批人 {by}{why}"


def _task_lines(c: TaskChange, lang: str) -> list[str]:
    en = lang == "en"
    out = []
    if c.status:
        out.append(f"{'status' if en else '状态'} {_status(c.status[0], lang)} → "
                   f"{_status(c.status[1], lang)}")
    if c.light:
        out.append(f"{'light' if en else '灯'} {_light(c.light[0], lang)} → "
                   f"{_light(c.light[1], lang)}")
    if c.progress:
        out.append(f"{'progress' if en else '进度'} {_num(c.progress[0])}% → "
                   f"{_num(c.progress[1])}%")
    out.extend(_milestone(m, lang) for m in c.milestones)
    other = [f for f in c.fields]
    if other:
        names = _list([_t(FIELD_LABELS.get(f, L(f, f)), lang) for f in other], lang)
        out.append(f"changed: {names}" if en else f"修改了：{names}")
    for v in c.values:
        label = _t(FIELD_LABELS.get(v.field, L(v.field, v.field)), lang)
        was, now = _value(v, False, lang), _value(v, True, lang)
        out.append(f"{label} {was} → {now}" if en else f"{label}：{was} → {now}")
    if c.closing is not None:
        a, b = c.closing
        out.append(f"closing {_closing(a, lang)} → {_closing(b, lang)}" if en
                   else f"销号记录：{_closing(a, lang)} → {_closing(b, lang)}")
    out.extend(_flag(kind, f, lang) for kind, f in c.flags)
    out.extend(_update(u, lang) for u in c.updates)
    out.extend(_adjustment(kind, a, lang) for kind, a in c.adjustments)
    if c.unapproved:
        names = _list([_t(FIELD_LABELS.get(f, L(f, f)), lang) for f in c.unapproved], lang)
        out.append(f"⚠ locked task: {names} changed without a new adjustments entry" if en
                   else f"⚠ 已锁定任务的{names}被修改，但没有新的 adjustments 审批记录")
    return out


def _standing(s: Standing | None, places: int, lang: str) -> str:
    """Score, grade and rank; the rank in its ranking group (SPEC §10) where the
    scheme ranks in groups: 84.00 良好 区级部门第4名, 84.00 良好 #4 in 区级部门."""
    if s is None:
        return "—"
    group = s.group_name or s.group
    if lang == "en":
        rank = f"#{s.rank} in {group}" if group else f"#{s.rank}"
    else:
        rank = f"{group}第{s.rank}名"
    return f"{s.score:.{places}f} {s.grade} {rank}"


def _heading(d: LedgerDiff, lang: str) -> str:
    if lang == "en":
        return f"Ledger changes {d.before_label} → {d.after_label} (as of {d.as_of})"
    return f"台账变更 {d.before_label} → {d.after_label}（截至 {d.as_of}）"


def _counts(d: LedgerDiff, lang: str) -> str:
    if lang == "en":
        return (f"Tasks: {len(d.added)} added, {len(d.removed)} removed, "
                f"{len(d.closed)} closed, {len(d.changed)} changed")
    return (f"任务：新增 {len(d.added)} 项，删除 {len(d.removed)} 项，销号 {len(d.closed)} 项，"
            f"变化 {len(d.changed)} 项")


def _supervision_counts(sd: SupervisionDiff, lang: str) -> str:
    ia, ir, ic = sd.count("interview")
    ra, rr, rc = sd.count("rectification")
    if lang == "en":
        return (f"Supervision: interviews {ia} added, {ir} removed, {ic} changed; "
                f"rectifications {ra} added, {rr} removed, {rc} changed")
    return (f"督办：约谈 新增 {ia} 次，删除 {ir} 次，变化 {ic} 次；"
            f"整改 新增 {ra} 项，删除 {rr} 项，变化 {rc} 项")


def _entry(e: SupervisionEntry, lang: str) -> str:
    """An interview or a rectification, one line: 约谈 区教育局 2024-04-08 警示约谈;
    整改 ZG-02（区教育局，整改期限 2024-06-29）."""
    en = lang == "en"
    if e.kind == "interview":
        head = f"{'interview' if en else '约谈'} {e.unit_name} {e.date}"
        return f"{head} {e.detail}" if e.detail else head
    return (f"rectification {e.id} ({e.unit_name}, due {e.detail})" if en
            else f"整改 {e.id}（{e.unit_name}，整改期限 {e.detail}）")


def _entry_lines(e: SupervisionEntry, lang: str) -> list[str]:
    out = []
    for v in e.values:
        words = RECTIFICATION_LABELS.get(v.field) if e.kind == "rectification" else None
        label = _t(words or SUPERVISION_LABELS.get(v.field, L(v.field, v.field)), lang)
        was, now = _shown(v.before_shown, lang), _shown(v.after_shown, lang)
        out.append(f"{label} {was} → {now}" if lang == "en" else f"{label}：{was} → {now}")
    return out


def _records_counts(rd: RecordsDiff, lang: str) -> str:
    da, dr, dc = rd.count("deduction")
    ba, br, bc = rd.count("bonus")
    fa, fr, fc = rd.count("flag")
    n = len(rd.notes)
    if lang == "en":
        return (f"Records: deductions {da} added, {dr} removed, {dc} changed; "
                f"bonuses {ba} added, {br} removed, {bc} changed; "
                f"flags {fa} added, {fr} removed, {fc} changed"
                + (f"; notes {n} changed" if n else ""))
    return (f"考核记录：扣分 新增 {da} 条，删除 {dr} 条，变化 {dc} 条；"
            f"加分 新增 {ba} 条，删除 {br} 条，变化 {bc} 条；"
            f"标记 新增 {fa} 条，删除 {fr} 条，变化 {fc} 条"
            + (f"；备注 变化 {n} 条" if n else ""))


def _note_line(n: RecordNote, lang: str) -> str:
    """A record's note before → after: 2024-Q2 记录备注：“…” → “…”."""
    was, now = _opt_q(n.before), _opt_q(n.after)
    return (f"{n.period} record note {was} → {now}" if lang == "en"
            else f"{n.period} 记录备注：{was} → {now}")


def _record_entry(e: RecordEntry, lang: str) -> str:
    """A deduction, bonus or flag, one line: 2024-Q2 扣分 区发改委（dudao，2024-05-10）;
    2024-Q2 标记 区发改委（veto）."""
    kind = _t(_RECORD_KINDS[e.kind], lang)
    what = [e.category, *([str(e.date)] if e.date is not None else [])]
    if lang == "en":
        return f"{e.period} {kind} {e.unit_name} ({', '.join(what)})"
    return f"{e.period} {kind} {e.unit_name}（{'，'.join(what)}）"


def _record_lines(e: RecordEntry, lang: str, side: str = "") -> list[str]:
    """A changed entry's fields before → after; an added (`side` "after") or removed
    ("before") one's as written: what the office wrote shows either way."""
    out = []
    for v in e.values:
        label = _t(RECORD_LABELS.get(v.field, L(v.field, v.field)), lang)
        was, now = _shown(v.before_shown, lang), _shown(v.after_shown, lang)
        shown = f"{was} → {now}" if not side else now if side == "after" else was
        out.append(f"{label} {shown}" if lang == "en" else f"{label}：{shown}")
    return out


def _units_counts(ud: UnitsDiff, lang: str) -> str:
    ua, ur, uc = ud.count("unit")
    la, lr, lc = ud.count("leader")
    if lang == "en":
        return (f"Units: {ua} added, {ur} removed, {uc} changed; "
                f"leaders: {la} added, {lr} removed, {lc} changed")
    return (f"单位：新增 {ua} 个，删除 {ur} 个，变化 {uc} 个；"
            f"领导：新增 {la} 人，删除 {lr} 人，变化 {lc} 人")


def _unit_entry(e: UnitEntry, lang: str) -> str:
    """A unit or a leader, one line: fgw 区发改委 (department); 领导 li 李某某（副区长）."""
    en = lang == "en"
    head = e.id if e.name in ("", e.id) else f"{e.id} {e.name}"  # a grade: by its name
    if e.kind in _ENTRY_KINDS:
        head = f"{_t(_ENTRY_KINDS[e.kind], lang)} {head}"
    if not e.detail:
        return head
    return f"{head} ({e.detail})" if en else f"{head}（{e.detail}）"


def _unit_lines(e: UnitEntry, lang: str) -> list[str]:
    out = []
    labels = (CONFIG_LABELS if e.kind in ("category", "tag") else
              SCHEME_LABELS if e.kind in _SCHEME_KINDS else UNIT_LABELS)
    for v in e.values:
        label = _t(labels.get(v.field, L(v.field, v.field)), lang)
        before, after = _t(v.before_shown, lang), _t(v.after_shown, lang)
        out.append(f"{label} {before} → {after}" if lang == "en"
                   else f"{label}：{before} → {after}")
    return out


def _config_counts(cd: UnitsDiff, lang: str) -> str:
    ca, cr, cc = cd.count("category")
    ta, tr, tc = cd.count("tag")
    if lang == "en":
        return (f"luoshi.yaml: categories {ca} added, {cr} removed, {cc} changed; "
                f"tags {ta} added, {tr} removed, {tc} changed")
    return (f"台账配置（luoshi.yaml）：类别 新增 {ca} 个，删除 {cr} 个，变化 {cc} 个；"
            f"标签 新增 {ta} 个，删除 {tr} 个，变化 {tc} 个")


def _scheme_counts(sd: UnitsDiff, lang: str) -> str:
    """考核办法（scheme.yaml）：考核项目 新增 0 个，删除 0 个，变化 1 个；… — the scheme's
    settings named only when they changed."""
    en = lang == "en"
    plural = {"component": "components", "grade": "grades", "group": "ranking groups",
              "deduction": "deduction categories", "bonus": "bonus categories",
              "rule": "rules"}
    parts = []
    for kind, word in _SCHEME_KINDS.items():
        if kind == "settings":
            continue
        a, r, c = sd.count(kind)
        unit = "条" if kind == "rule" else "个"
        parts.append(f"{plural[kind]} {a} added, {r} removed, {c} changed" if en
                     else f"{word.zh} 新增 {a} {unit}，删除 {r} {unit}，变化 {c} {unit}")
    if any(sd.count("settings")):
        parts.append("settings changed" if en else "办法设置 有修改")
    return ("scheme.yaml: " if en else "考核办法（scheme.yaml）：") + ("; " if en else "；").join(
        parts)


def _unscored(d: LedgerDiff, lang: str) -> list[str]:
    """The periods that could not be scored on a side, and why: said even when nothing
    else changed — "no changes" alone hid that the scores were never compared."""
    en = lang == "en"
    by_note: dict[str, list[str]] = {}  # one line per reason: 2021-Q1, 2021-Q2 …
    for p in d.periods:
        if p.note is not None:
            by_note.setdefault(_t(p.note, lang), []).append(p.period)
    return [f"{'Scores' if en else '得分'} {(', ' if en else '、').join(periods)}"
            f"{': ' if en else '：'}{note}" for note, periods in by_note.items()]


def _no_change(d: LedgerDiff, lang: str) -> str:
    if any(p.note is not None for p in d.periods):
        return ("No changes in tasks; the scores above could not be compared."
                if lang == "en" else "任务没有变化；以上期间的得分未能比较。")
    return "No changes in tasks or scores." if lang == "en" else "任务和得分都没有变化。"


def render_text(d: LedgerDiff, lang: str) -> str:
    en = lang == "en"
    lines = [_heading(d, lang)]
    lines += [_t(n, lang) for n in d.notes]
    if d.empty:
        lines += _unscored(d, lang)
        lines.append(_no_change(d, lang))
        return "\n".join(lines) + "\n"
    lines.append(_counts(d, lang))
    # Chinese text takes full-width brackets and punctuation: （区发改委，推进中，绿灯）
    opened, comma, closed, colon = (" (", ", ", ")", ": ") if en else ("（", "，", "）", "：")
    for t in d.added:
        lines.append(f"  + {t.id} {t.title}{opened}{t.lead_name or t.lead}{comma}"
                     f"{_status(t.status, lang)}{comma}{_light(t.light, lang)}{closed}")
    for t in d.removed:
        lines.append(f"  - {t.id} {t.title}{opened}{t.lead_name or t.lead}{closed}")
        if t.locked:
            lines.append("      ⚠ locked task deleted (NOT approved: a locked task cannot be "
                         "deleted)" if en else "      ⚠ 已锁定的任务被删除（未经审批：锁定的任务不能删除）")
    for t in d.closed:
        lines.append(f"  ✓ {t.id} {t.title}{colon}{_status('closed', lang)} {t.date}")
    for c in d.changed:
        lines.append(f"  ~ {c.id} {c.title}{opened}{c.lead_name or c.lead}{closed}")
        lines += [f"      {s}" for s in _task_lines(c, lang)]
    for ud, counts in ((d.units, _units_counts), (d.config, _config_counts),
                       (d.scheme, _scheme_counts)):
        if not ud.empty:
            lines.append(counts(ud, lang))
            lines += [f"  + {_unit_entry(ue, lang)}" for ue in ud.added]
            lines += [f"  - {_unit_entry(ue, lang)}" for ue in ud.removed]
            for ue in ud.changed:
                lines.append(f"  ~ {_unit_entry(ue, lang)}")
                lines += [f"      {s}" for s in _unit_lines(ue, lang)]
    sd = d.supervision
    if sd is not None and not sd.empty:
        lines.append(_supervision_counts(sd, lang))
        lines += [f"  + {_entry(e, lang)}" for e in sd.added]
        lines += [f"  - {_entry(e, lang)}" for e in sd.removed]
        for e in sd.changed:
            lines.append(f"  ~ {_entry(e, lang)}")
            lines += [f"      {s}" for s in _entry_lines(e, lang)]
    rd = d.records
    if not rd.empty:
        lines.append(_records_counts(rd, lang))
        for mark, entries, side in (("+", rd.added, "after"), ("-", rd.removed, "before"),
                                    ("~", rd.changed, "")):
            for r in entries:
                lines.append(f"  {mark} {_record_entry(r, lang)}")
                lines += [f"      {s}" for s in _record_lines(r, lang, side)]
        lines += [f"  ~ {_note_line(n, lang)}" for n in rd.notes]
    for p in d.periods:
        moved = [u for u in p.units if u.changed]
        if p.note is not None:
            lines.append(f"{'Scores' if en else '得分'} {p.period}{': ' if en else '：'}"
                         f"{_t(p.note, lang)}")
            continue
        if not moved:
            continue
        lines.append(f"{'Scores' if en else '得分'} {p.period}{':' if en else '：'}")
        for u in moved:
            lines.append(f"  {u.unit} {u.name}{colon}{_standing(u.before, p.places, lang)} → "
                         f"{_standing(u.after, p.places, lang)}")
            lines += [f"      {_t(r, lang)}" for r in u.reasons]
        rest = len(p.units) - len(moved)
        if rest:
            lines.append(f"  ({rest} other units unchanged)" if en
                         else f"  （其余 {rest} 个单位不变）")
    return "\n".join(lines) + "\n"


def _clip(text: str, limit: int = CELL_LIMIT) -> str:
    """`text` at most `limit` characters: its start and its end, with a visible " … "
    between — the end of "title “…” → “…”" is the value it now has."""
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return f"{text[:half]} … {text[len(text) - half:]}"


def _md_lines(lines: list[str], lang: str) -> str:
    """Lines of one cell, each `_md`, joined by <br>: at most `CELL_LINES`, then how many
    more there are — and a warning (⚠ a locked task changed without approval) however
    far down it is."""
    shown = [_md(x) for x in lines[:CELL_LINES]]
    rest = lines[CELL_LINES:]
    if rest:
        warnings = [x for x in rest if x.startswith("⚠")]
        more = len(rest) - len(warnings)
        if more:
            shown.append(f"… ({more} more: run `luoshi diff` locally)" if lang == "en"
                         else f"……（另有 {more} 项：请在本地运行 luoshi diff 查看）")
        shown += [_md(x) for x in warnings]
    return "<br>".join(shown)


def _md(text: str) -> str:
    """Ledger text for the comment, escaped and at most `CELL_LIMIT` characters as
    escaped: escaping can multiply a text's length (`|` is `\\|`, a control character
    `\\\\x1b`), so 1,000 characters of `|` clipped first were 2,000 in the comment.
    A text still too long escaped is clipped shorter until it fits — never the escaped
    text itself, whose cut could split an escape (`\\` before " … " escapes the space)."""
    from .bulletin import md_escape  # the bulletin's own escaping: one set of rules

    limit = CELL_LIMIT
    out = md_escape(_clip(text, limit))
    while len(out) > CELL_LIMIT:
        # shorter in proportion (an escape is at most 5 characters for 1: this ends
        # well above the few characters `_clip` needs)
        limit = limit * CELL_LIMIT // len(out)
        out = md_escape(_clip(text, limit))
    return out


def _md_standing(s: Standing | None, places: int, lang: str) -> str:
    from dataclasses import replace

    return _standing(replace(s, grade=_md(s.grade), group=_md(s.group),
                             group_name=_md(s.group_name)) if s else None, places, lang)


def render_md(d: LedgerDiff, lang: str) -> str:
    """A pull-request comment.  Everything that comes from the ledger or the command
    line (titles, units, milestones, reasons, revision names) goes through the
    bulletin's `md_escape`: a title `<img onerror=…>`, `![x](http://…)` or `@team`
    is shown as text, never rendered, fetched or notified."""
    en = lang == "en"
    out = [f"### {_md(_heading(d, lang))}", ""]
    for n in d.notes:
        out += [f"> {_md(_t(n, lang))}", ""]
    if d.empty:
        out += [f"> {_md(line)}" for line in _unscored(d, lang)]
        out.append(_no_change(d, lang))
        return "\n".join(out) + "\n"
    out += [_counts(d, lang), ""]
    unapproved = [c for c in d.changed if c.unapproved]
    if unapproved:
        out.append("**⚠ " + ("Locked tasks changed without approval: " if en
                             else "已锁定任务未经审批被修改：")
                   + _list([_md(c.id) for c in unapproved], lang) + "**")
        out.append("")
    deleted = [t for t in d.removed if t.locked]
    if deleted:
        out.append("**⚠ " + ("Locked tasks deleted (NOT approved): " if en
                             else "已锁定的任务被删除（未经审批）：")
                   + _list([_md(t.id) for t in deleted], lang) + "**")
        out.append("")
    if d.added or d.removed or d.closed:
        head = ("| | task | title | lead unit |" if en else "| | 任务 | 名称 | 牵头单位 |")
        out += [head, "|---|---|---|---|"]
        for t in d.added:
            out.append(f"| {'added' if en else '新增'} | {_md(t.id)} | {_md(t.title)} | "
                       f"{_md(t.lead_name or t.lead)} |")
        for t in d.removed:
            what = ("removed" if en else "删除") + (
                (" ⚠ locked, NOT approved" if en else " ⚠ 已锁定，未经审批") if t.locked else "")
            out.append(f"| {what} | {_md(t.id)} | {_md(t.title)} | "
                       f"{_md(t.lead_name or t.lead)} |")
        for t in d.closed:
            out.append(f"| {'closed' if en else '销号'} | {_md(t.id)} | {_md(t.title)} | "
                       f"{_md(t.lead_name or t.lead)} |")
        out.append("")
    if d.changed:
        out.append("#### " + ("Changed tasks" if en else "任务变化"))
        out.append("")
        head = ("| task | title | what changed |" if en else "| 任务 | 名称 | 变化 |")
        out += [head, "|---|---|---|"]
        for c in d.changed:
            what = _md_lines(_task_lines(c, lang), lang)
            out.append(f"| {_md(c.id)} | {_md(c.title)} | {what} |")
        out.append("")
    for ud, counts, title, columns in (
            (d.units, _units_counts, L("单位变化", "Units"),
             L("| | 单位或领导 | 变化 |", "| | unit or leader | what changed |")),
            (d.config, _config_counts, L("台账配置变化", "luoshi.yaml"),
             L("| | 类别或标签 | 变化 |", "| | category or tag | what changed |")),
            (d.scheme, _scheme_counts, L("考核办法变化", "scheme.yaml"),
             L("| | 条目 | 变化 |", "| | entry | what changed |"))):
        if ud.empty:
            continue
        out += [f"#### {_t(title, lang)}", "", _md(counts(ud, lang)), "",
                _t(columns, lang), "|---|---|---|"]
        for word, ues in ((("added", "新增"), ud.added), (("removed", "删除"), ud.removed),
                          (("changed", "变化"), ud.changed)):
            for ue in ues:
                what = _md_lines(_unit_lines(ue, lang), lang) if word[0] == "changed" else ""
                out.append(f"| {word[0] if en else word[1]} | {_md(_unit_entry(ue, lang))} | "
                           f"{what} |")
        out.append("")
    sd = d.supervision
    if sd is not None and not sd.empty:
        out += ["#### " + ("Supervision" if en else "督办变化"), "", _supervision_counts(sd, lang),
                ""]
        head = ("| | interview or rectification | what changed |" if en
                else "| | 约谈或整改 | 变化 |")
        out += [head, "|---|---|---|"]
        for word, entries in ((("added", "新增"), sd.added), (("removed", "删除"), sd.removed),
                              (("changed", "变化"), sd.changed)):
            for e in entries:
                what = _md_lines(_entry_lines(e, lang), lang)
                out.append(f"| {word[0] if en else word[1]} | {_md(_entry(e, lang))} | {what} |")
        out.append("")
    for p in d.periods:
        moved = [u for u in p.units if u.changed]
        if p.note is not None:
            out += [f"#### {'Scores' if en else '得分'} {p.period}", "", _md(_t(p.note, lang)),
                    ""]
            continue
        if not moved:
            continue
        out += [f"#### {'Scores' if en else '得分'} {p.period}", ""]
        head = ("| unit | before | after | why |" if en else "| 单位 | 变更前 | 变更后 | 原因 |")
        out += [head, "|---|---|---|---|"]
        for u in moved:
            why = _md_lines([_t(r, lang) for r in u.reasons], lang)
            out.append(f"| {_md(u.name)} | {_md_standing(u.before, p.places, lang)} | "
                       f"{_md_standing(u.after, p.places, lang)} | {why} |")
        rest = len(p.units) - len(moved)
        if rest:
            out.append("")
            out.append(f"{rest} other units unchanged." if en else f"其余 {rest} 个单位不变。")
        out.append("")
    # the records after the scores (the text puts them before): a comment is cut at
    # `MD_LIMIT`, and a long list of entries must not push the scores out of it
    rd = d.records
    if not rd.empty:
        out += ["#### " + ("Records" if en else "考核记录变化"), "", _records_counts(rd, lang), ""]
        head = ("| | deduction, bonus or flag | what changed |" if en
                else "| | 扣分、加分或标记 | 变化 |")
        out += [head, "|---|---|---|"]
        for word, rentries, side in ((("added", "新增"), rd.added, "after"),
                                     (("removed", "删除"), rd.removed, "before"),
                                     (("changed", "变化"), rd.changed, "")):
            for re_ in rentries:
                what = _md_lines(_record_lines(re_, lang, side), lang)
                out.append(f"| {word[0] if en else word[1]} | {_md(_record_entry(re_, lang))} "
                           f"| {what} |")
        for rn in rd.notes:
            out.append(f"| {'changed' if en else '变化'} | {_md(_note_line(rn, lang))} | |")
        out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    if len(text) > MD_LIMIT:
        cut = text.rfind("\n", 0, MD_LIMIT)
        text = text[:cut + 1] + ("\n… (truncated: run `luoshi diff` locally for the rest)\n"
                                 if en else "\n……（内容过长已截断：请在本地运行 luoshi diff 查看全部）\n")
    return text


def _json_num(x: Decimal | None) -> int | float | Decimal | None:
    return None if x is None else json_number(x)


def _json_standing(s: Standing | None) -> dict[str, Any] | None:
    """As `score --format json` gives a unit: `group` and `group_name` where the scheme
    ranks in groups (`rank` is then the rank in the group)."""
    if s is None:
        return None
    return {"score": _json_num(s.score), "grade": s.grade, "rank": s.rank,
            **({"group": s.group, "group_name": s.group_name} if s.group else {})}


def _iso(x: date | None) -> str | None:
    return x.isoformat() if x is not None else None


def _json_closed(c: Closed | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"date": _iso(c.date), "approved_by": c.approved_by, "evidence": c.evidence}


def _json_update(u: Update | None) -> dict[str, Any] | None:
    if u is None:
        return None
    return {"progress": _json_num(u.progress), "actual": _json_num(u.actual),
            "note": u.note, "problems": u.problems}


def diff_json(d: LedgerDiff, lang: str, before_commit: str | None,
              after_commit: str | None) -> dict[str, Any]:
    def ref(t: Any) -> dict[str, Any]:
        return {"id": t.id, "title": t.title, "lead": t.lead}

    def unit(u: UnitMove) -> dict[str, Any]:
        return {"unit": u.unit, "name": u.name, "before": _json_standing(u.before),
                "after": _json_standing(u.after), "changed": u.changed,
                "reasons": [_t(r, lang) for r in u.reasons]}

    def period(p: PeriodMove) -> dict[str, Any]:
        return {"period": p.period, "note": _t(p.note, lang) if p.note else None,
                "units": [unit(u) for u in p.units]}

    def pair(x: Any, conv: Any = lambda v: v) -> dict[str, Any] | None:
        return None if x is None else {"before": conv(x[0]), "after": conv(x[1])}

    doc = {
        "from": {"rev": d.before_label, "commit": before_commit},
        "to": {"rev": None if after_commit is None else d.after_label, "commit": after_commit},
        "as_of": d.as_of.isoformat(),
        "notes": [_t(n, lang) for n in d.notes],
        "tasks": {
            "added": [{**ref(t), "status": t.status, "light": t.light} for t in d.added],
            "removed": [{**ref(t), "locked": t.locked, "approved": False if t.locked else None}
                        for t in d.removed],
            "closed": [{**ref(t), "date": _iso(t.date)} for t in d.closed],
            "changed": [{
                "id": c.id, "title": c.title, "lead": c.lead,
                "status": pair(c.status), "light": pair(c.light),
                "progress": pair(c.progress, _json_num),
                "milestones": [{"change": m.kind, "standard": m.standard,
                                "before": _iso(m.before), "after": _iso(m.after),
                                "approved": m.approved,
                                "target": ({"before": _json_num(m.target_before),
                                            "after": _json_num(m.target_after)}
                                           if m.kind == "retargeted" else None),
                                "note": ({"before": m.note_before, "after": m.note_after}
                                         if m.kind == "renoted" else None)}
                               for m in c.milestones],
                "fields": list(c.fields), "unapproved": list(c.unapproved),
                "values": {v.field: {"before": v.before, "after": v.after} for v in c.values},
                "closed": (None if c.closing is None else
                           {"before": _json_closed(c.closing[0]),
                            "after": _json_closed(c.closing[1])}),
                "flags": [{"change": kind, "kind": f.kind, "date": _iso(f.date), "by": f.by,
                           "note": f.note} for kind, f in c.flags],
                "updates": [{"month": u.month, "before": _json_update(u.before),
                             "after": _json_update(u.after)} for u in c.updates],
                "adjustments": [{"change": kind, "date": _iso(a.date), "field": a.field,
                                 "approved_by": a.approved_by, "reason": a.reason}
                                for kind, a in c.adjustments],
            } for c in d.changed],
        },
        "scores": [period(p) for p in d.periods],
    }
    doc.update(_units_json(d.units))
    doc.update(_units_json(d.config, (("categories", "category"), ("tags", "tag"))))
    doc["scheme"] = _units_json(d.scheme, (
        ("settings", "settings"), ("components", "component"), ("grades", "grade"),
        ("ranking_groups", "group"), ("deduction_categories", "deduction"),
        ("bonus_categories", "bonus"), ("rules", "rule")))
    doc["records"] = _records_json(d.records)
    if d.supervision is not None:  # a ledger keeping supervision files, on either side
        doc["supervision"] = _supervision_json(d.supervision)
    return doc


def _units_json(ud: UnitsDiff, keys: tuple[tuple[str, str], ...] = (
        ("units", "unit"), ("leaders", "leader"))) -> dict[str, Any]:
    """`units` and `leaders` (or luoshi.yaml's `categories` and `tags`: `keys`), each
    added, removed and changed: ids and fields as written (`assessed` true/false/null;
    `group` the ranking group's id, a category's group its name); a changed one with
    its fields before and after."""
    def entry(e: UnitEntry, side: str) -> dict[str, Any]:
        return {"id": e.id, **{v.field: getattr(v, side) for v in e.values}}

    def changed(e: UnitEntry) -> dict[str, Any]:
        return {"id": e.id, "name": e.name,
                "fields": {v.field: {"before": v.before, "after": v.after} for v in e.values}}

    return {key: {"added": [entry(e, "after") for e in ud.added if e.kind == k],
                  "removed": [entry(e, "before") for e in ud.removed if e.kind == k],
                  "changed": [changed(e) for e in ud.changed if e.kind == k]}
            for key, k in keys}


def _supervision_json(sd: SupervisionDiff) -> dict[str, Any]:
    """Per kind, the entries added, removed and changed: ids, units and dates as
    written; a changed one with its fields before and after (null: not written)."""
    def entry(e: SupervisionEntry) -> dict[str, Any]:
        if e.kind == "interview":
            return {"unit": e.unit, "date": e.date.isoformat(), "kind": e.detail or None}
        return {"id": e.id, "unit": e.unit, "opened": e.date.isoformat(), "due": e.detail}

    def changed(e: SupervisionEntry) -> dict[str, Any]:
        return {**entry(e), "fields": {v.field: {"before": v.before, "after": v.after}
                                       for v in e.values}}

    return {kind: {"added": [entry(e) for e in sd.added if e.kind == k],
                   "removed": [entry(e) for e in sd.removed if e.kind == k],
                   "changed": [changed(e) for e in sd.changed if e.kind == k]}
            for kind, k in (("interviews", "interview"), ("rectifications", "rectification"))}


def _records_json(rd: RecordsDiff) -> dict[str, Any]:
    """Per kind (deductions, bonuses, flags), the entries added, removed and changed:
    period, unit, category (a flag's kind) and date as written; an added (removed) one
    with its fields as written, a changed one with its fields before and after (null:
    not written)."""
    def head(e: RecordEntry) -> dict[str, Any]:
        return {"period": e.period, "unit": e.unit,
                ("kind" if e.kind == "flag" else "category"): e.category,
                "date": _iso(e.date)}

    def entry(e: RecordEntry, side: str) -> dict[str, Any]:
        return {**head(e), **{v.field: getattr(v, side) for v in e.values}}

    def changed(e: RecordEntry) -> dict[str, Any]:
        return {**head(e), "fields": {v.field: {"before": v.before, "after": v.after}
                                      for v in e.values}}

    out: dict[str, Any] = {
        key: {"added": [entry(e, "after") for e in rd.added if e.kind == k],
              "removed": [entry(e, "before") for e in rd.removed if e.kind == k],
              "changed": [changed(e) for e in rd.changed if e.kind == k]}
        for key, k in (("deductions", "deduction"), ("bonuses", "bonus"), ("flags", "flag"))}
    out["notes"] = [{"period": n.period, "before": n.before, "after": n.after}
                    for n in rd.notes]
    return out
