"""The 督办单 (`luoshi supervise --unit ID`, SPEC §12): the notice the office sends one
unit — its red and yellow tasks, its stale reports, its open rectifications with their
deadlines, what falls due next — rendered with Jinja templates the way bulletins are
(`templates/supervise.{md,html}.j2`; a ledger's `templates/` overrides them by name).

The notice goes to the unit that answers for the tasks: the tasks it *leads*.  It is
read by the unit, as a bulletin's unit notice is: the unit and its rectifications are
named in words as the bulletin names them (`rectified_what`), the title's quotes are
the bulletin's (`cn_quotes`), it orders 整改 and a 书面报告 only when something went
wrong, and it ends with the 落款 — the issuing office and the date — as the seeds'
documents and the bulletin do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..core.codes import L
from ..core.labels import DUE_ON_AS_OF, cn_quotes, period_text
from ..core.model import Ledger
from ..core.rhythm import last_update_month
from ..ops.progress import StatusReport, done_by, status_report
from ..ops.supervision import open_rectifications
from .bulletin import builtin_templates, fmt_date, render
from .bulletin.context import rectified_what
from .status import reason_text

#: how far ahead "due next" looks, in days
AHEAD_DAYS = 30

_WORDS = {
    "title": L("督办单", "Supervision notice"),
    "to": L("致", "To"),
    "as_of": L("截至", "as of"),  # after a dash, as status says it: "… — as of 30 June"
    "red": L("红灯任务（序时节点逾期未完成）", "Red-light tasks (milestones overdue)"),
    "yellow": L("黄灯任务（预警）", "Yellow-light tasks (at risk)"),
    "stale": L("未按时报送进展", "Progress reports missing"),
    "rect": L("在办整改事项", "Open rectifications"),
    "next": L("近期到期节点", "Due next"),
    "task": L("任务", "Task"),
    "milestone": L("节点", "Milestone"),
    "due": L("到期日", "Due"),
    "days": L("逾期天数", "Days overdue"),
    "reason": L("原因", "Reason"),
    "last": L("最近报送", "Latest report"),
    "expected": L("应报月份", "Report due for"),
    "id": L("编号", "ID"),
    "tasks": L("涉及任务", "Tasks"),
    "deadline": L("整改期限", "Deadline"),
    "report": L("书面报告", "Written report"),
    "state": L("状态", "State"),
    "rect_reason": L("整改原因", "Reason"),
    "note": L("备注", "Note"),
    "overdue_by": L("已逾期 {n} 天", "{n} days overdue"),
    "left": L("剩余 {n} 天", "{n} days left"),
    "today": DUE_ON_AS_OF,  # the notice's as-of date, not necessarily today
    "none": L("无", "none"),
    #: between two reasons of a yellow light
    "sep": L("；", "; "),
    #: the closing sentence (`closing`): 整改 and a 书面报告 are ordered only where
    #: something went wrong — a red light, a missing report, an open rectification
    #: (seed 001:113 …亮红灯的……作出书面报告并限期整改); a yellow light alone is a
    #: warning, and a unit with nothing wrong is asked to keep on
    "ask": L("请于收到本督办单后抓紧整改，并按期书面报告整改情况。",
             "Please rectify promptly and report in writing by the deadlines."),
    "hurry": L("请加快推进黄灯预警任务，确保按期完成。",
               "Please speed up the yellow-light tasks to finish them on time."),
    "keep_on": L("请继续按期推进、按时报送进展。",
                 "Please keep to the milestones and report progress on time."),
}


def _count(word: str, n: int, lang: str) -> str:
    """"{n} days overdue" with `n` filled in: "1 day overdue" in English."""
    text = word.format(n=n)
    return text.replace(" days", " day", 1) if lang == "en" and n == 1 else text


def _w(lang: str) -> dict[str, str]:
    return {k: (v.en if lang == "en" else v.zh) for k, v in _WORDS.items()}


def build_context(ledger: Ledger, unit: str, as_of: date, lang: str) -> dict[str, Any]:
    """Everything the 督办单 template prints, as ready-made text and numbers."""
    report: StatusReport = status_report(ledger, as_of, unit=unit)
    rows = [(t, st) for t, st in report.tasks if t.lead == unit]
    words = _w(lang)

    def name(t: Any) -> str:
        return f"{t.id} {t.title}"

    red = [{"task": name(t), "overdue": [
        {"due": fmt_date(o.due, lang), "standard": _standard(t, o.due), "days": o.days}
        for o in st.overdue]} for t, st in rows if st.light == "red"]
    def day(d: date) -> str:
        return fmt_date(d, lang)

    def month(m: str | None) -> str:
        # months as its dates: "2021年11月" beside "2021年9月30日", "November 2021"
        # beside "30 June 2026" (the Chinese notice wrote 2021-11)
        return "—" if m is None else period_text(m, lang)

    yellow = [{"task": name(t), "reasons": [reason_text(t, st, r, lang, day)
                                            for r in st.yellow_reasons]}
              for t, st in rows if st.light == "yellow"]
    stale = [{"task": name(t), "last": month(last_update_month(t, as_of)),
              "expected": month(st.stale)} for t, st in rows if st.stale is not None]
    rects = []
    titles = {t.id: t.title for t in ledger.tasks}
    for r in open_rectifications(ledger, as_of, unit):
        days = (as_of - r.due).days
        state = (_count(words["overdue_by"], days, lang) if days > 0 else words["today"]
                 if days == 0 else _count(words["left"], -days, lang))
        came = r.report_at(as_of)  # a report dated after the as-of had not come in
        # what it is about as the bulletin says it: the tasks' titles, else its source
        rects.append({"id": r.id, "tasks": rectified_what(r, titles, lang) or "—",
                      "opened": fmt_date(r.opened, lang), "due": fmt_date(r.due, lang),
                      "report": fmt_date(came, lang) if came else "—",
                      "state": state, "overdue": days > 0,
                      "reason": r.reason or "—", "note": r.note or "—"})
    upcoming = sorted(
        ((m.due, t.id, name(t), m.standard) for t, st in rows if st.light is not None
         for m in t.milestones
         if not done_by(m, as_of) and 0 <= (m.due - as_of).days <= AHEAD_DAYS),
        key=lambda x: (x[0], x[1]))
    u = ledger.units.get(unit)
    uname = u.name if u else unit
    # the unit by its name; its id too only where another unit shares the name
    shared = sum(1 for v in ledger.units.values() if v.name == uname) > 1
    addressed = (f"{uname} ({unit})" if lang == "en" else f"{uname}（{unit}）") if shared \
        else uname
    closing = ("ask" if red or stale or rects else "hurry" if yellow else "keep_on")
    return {
        "w": words, "lang": lang, "issuer": ledger.config.issuer or "",
        # the title's "…" as the bulletin prints it (“…”, GB/T 9704)
        "ledger_title": (ledger.config.title if lang == "en"
                         else cn_quotes(ledger.config.title)),
        "unit": {"id": unit, "name": uname},
        "to_line": f"To: {addressed}" if lang == "en" else f"致：{addressed}",
        "closing": words[closing],
        # the 落款's date (成文日期): the notice's as-of date, as the bulletin's `signed`
        "signed": fmt_date(as_of, lang),
        "as_of": fmt_date(as_of, lang),
        "red": red, "yellow": yellow, "stale": stale, "rectifications": rects,
        # the reason (整改原因) and note columns, printed when a rectification listed
        # writes one: the unit reads why it is rectifying (a notice without them is
        # what it was before they were read)
        "rect_reason": any(r["reason"] != "—" for r in rects),
        "rect_note": any(r["note"] != "—" for r in rects),
        "next": [{"due": fmt_date(d, lang), "task": n, "standard": s, "days": (d - as_of).days}
                 for d, _, n, s in upcoming],
        "ahead_days": AHEAD_DAYS,
    }


def _standard(task: Any, due: date) -> str:
    for m in task.milestones:
        if m.due == due:
            return str(m.standard)
    return ""


def render_notice(ledger: Ledger, unit: str, as_of: date, lang: str, fmt: str,
                  search: Sequence[Path] = ()) -> str:
    """The 督办单 text: `supervise.md.j2` or `supervise.html.j2`, first from `search`
    (a ledger's templates/), else the built-in ones.  A template's error names it as
    a bulletin's does: relative to the ledger root (`template_shower`)."""
    from .bulletin.templates import template_shower

    ctx = build_context(ledger, unit, as_of, lang)
    return render(ctx, fmt, search=[*search, builtin_templates()], name=f"supervise.{fmt}.j2",
                  shown=template_shower(ledger.root), tasks=len(ledger.tasks))
