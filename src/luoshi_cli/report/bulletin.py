"""The bulletin (通报): a template context built from the ledger, then Jinja.

Why a context of plain, pre-formatted values: templates are edited by office
staff, not programmers.  Every figure arrives as the text that should be printed
(dates as 2024年5月31日, scores with exactly the scheme's decimals), so a template
only places values and cannot get a number format wrong.  The context is built
from the JSON document of `luoshi status` (SPEC §5), the period's `ScoreResult` (its
published figures as computed, never parsed back) and the ledger model (titles,
flags, deductions).

Pure: no printing, no "today"; the only I/O is reading template files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..core import labels
from ..core.errors import TemplateProblem as TemplateProblem
from ..core.model import FINISHED, STATUSES, Ledger, Scheme, Task
from ..core.numbers import publish  # the one half-up rounding (四舍五入) there is
from ..core.periods import bounds, month_end
from ..core.safetext import terminal
from .charts import ProgressBar, ScoreBar, progress_chart, ranking_chart

if TYPE_CHECKING:
    from ..ops.scoring import ScoreResult, UnitScore

FORMATS = ("md", "html")
EDITIONS = ("internal", "public")

# ---------------------------------------------------------------------------
# labels and number/date formats
# ---------------------------------------------------------------------------

STATUS_LABELS = {lang: labels.words(labels.STATUS, lang) for lang in ("zh", "en")}
LIGHT_LABELS: dict[str, dict[str | None, str]] = {
    lang: {k: labels.say(v, lang) for k, v in labels.LIGHT.items()} for lang in ("zh", "en")}
for _words in LIGHT_LABELS.values():
    _words[None] = labels.NONE
_CN_DIGITS = "零一二三四五六七八九"
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
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
    """A rate or percentage: at most `places` decimals, no trailing zeros (25, 71.43, 12.5)."""
    d = _dec(value)
    if d is None:
        return "—"
    text = f"{publish(d, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


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
    """2021年第二季度 / Q2 2021; 2024年5月 / May 2024."""
    year = int(period[:4])
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
        return f"Bulletin: {ledger_title}, {label}" if ledger_title else f"Bulletin, {label}"
    body = ledger_title.strip()
    for marker in (f"{year}年度", f"{year}年"):
        if marker in body:
            body = body.replace(marker, label, 1)
            break
    else:
        body = label + body
    body = re.sub(r"台账$", "", body)
    return f"关于{body}情况的通报"


# ---------------------------------------------------------------------------
# the context
# ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Request:
    """What to render: `kind` is "month" (period "2024-05") or "quarter" ("2021-Q2")."""

    kind: str
    period: str
    as_of: date
    lang: str = "zh"
    edition: str = "internal"

    def span(self) -> tuple[date, date]:
        if self.kind == "month":
            first = date(int(self.period[:4]), int(self.period[5:7]), 1)
            return first, month_end(self.period)
        return bounds(self.period)


def default_as_of(kind: str, period: str) -> date:
    """A monthly bulletin speaks of the month's end, a quarterly one of the quarter's."""
    return month_end(period) if kind == "month" else bounds(period)[1]


def _names(ids: Iterable[str], table: Mapping[str, Any]) -> list[str]:
    return [table[i].name if i in table else i for i in ids]


def _join(items: Sequence[str], lang: str) -> str:
    return (", " if lang == "en" else "、").join(items)


def build_context(ledger: Ledger, req: Request, status: Mapping[str, Any],
                  scores: ScoreResult | None = None) -> dict[str, Any]:
    """Everything a bulletin template may print, as plain values.

    `ledger` should already be `as_of_view(...)`; `status` is the `luoshi status`
    JSON document (SPEC §5) for `req.as_of`; `scores` the period's `ScoreResult`
    (its published figures, as computed: nothing is parsed back), or None when the
    ledger has no scheme or no record for it.  Keys are always present (None or empty when the ledger
    lacks the data), so templates test `{% if scores %}` rather than guess.
    """
    lang = req.lang
    cfg = ledger.config
    label = period_label(req.kind, req.period, lang)
    public = req.edition == "public"
    tasks_json = {str(t["id"]): t for t in status.get("tasks", [])}
    rows = _task_rows(ledger, tasks_json, req)
    categories = _categories(ledger, status, rows, lang)
    red, yellow = _lights(ledger, rows, req)
    ctx: dict[str, Any] = {
        "lang": lang,
        "edition": req.edition,
        "public": public,
        "kind": req.kind,
        "period": req.period,
        "period_label": label,
        "as_of": fmt_date(req.as_of, lang),
        "as_of_iso": req.as_of.isoformat(),
        "issuer": cfg.issuer,
        "doc_no": cfg.doc_no,
        "ledger_title": cfg.title,
        "title": bulletin_title(cfg.title, cfg.year, label, lang),
        "year": cfg.year,
        "overview": _overview(status, lang),
        "categories": categories,
        "red": red,
        "yellow": yellow,
        "stale": _stale(rows, req),
        "flags": _flags(ledger, rows, req),
        "scores": _scores(ledger, scores, req) if scores is not None else None,
        "deductions": _deductions(ledger, req),
    }
    ctx["charts"] = _charts(ctx, lang)
    return ctx


def _overview(status: Mapping[str, Any], lang: str) -> dict[str, Any]:
    totals = status.get("totals", {})
    by_status = totals.get("by_status", {})
    return {
        "tasks": int(totals.get("tasks", 0)),
        "by_status": [{"key": s, "label": STATUS_LABELS[lang][s],
                       "count": int(by_status.get(s, 0))} for s in STATUSES],
        "finished": sum(int(by_status.get(s, 0)) for s in FINISHED),
        "completion_rate": fmt_num(totals.get("completion_rate")),
        "on_time_rate": fmt_num(totals.get("on_time_rate")),
        "red": int(totals.get("red", 0)),
        "yellow": int(totals.get("yellow", 0)),
        "green": int(totals.get("green", 0)),
    }


def _task_rows(ledger: Ledger, tasks_json: Mapping[str, Mapping[str, Any]],
               req: Request) -> list[dict[str, Any]]:
    lang = req.lang
    month = f"{req.as_of.year:04d}-{req.as_of.month:02d}"
    out = []
    for t in ledger.tasks:
        j = tasks_json.get(t.id, {})
        light = j.get("light")
        status = str(j.get("status", t.status))
        notes = [u.note for u in t.updates if u.month <= month and u.note]
        out.append({
            "id": t.id,
            "title": t.title,
            "category": t.category,
            "lead": ledger.units[t.lead].name if t.lead in ledger.units else t.lead,
            "leaders": _join(_names(t.leaders, ledger.leaders), lang),
            "status": STATUS_LABELS[lang].get(status, status),
            "status_key": status,
            "progress": fmt_num(j.get("progress", t.progress)),
            "progress_value": _dec(j.get("progress", t.progress)),
            "expected": fmt_num(j.get("expected")),
            "expected_value": _dec(j.get("expected")),
            "light": light,
            "light_label": LIGHT_LABELS[lang].get(light, "—"),
            "note": notes[-1] if notes else "",
            "overdue": list(j.get("overdue", [])),
            "reasons": list(j.get("yellow_reasons", [])),
            "stale": j.get("stale"),
            "task": t,
        })
    return out


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _categories(ledger: Ledger, status: Mapping[str, Any], rows: list[dict[str, Any]],
                lang: str) -> list[dict[str, Any]]:
    rollup = {str(c.get("id")): c for c in status.get("by_category", [])}
    out = []
    for c in ledger.config.categories:
        mine = [r for r in rows if r["category"] == c.id]
        j = rollup.get(c.id, {})
        by_status = j.get("by_status", {})
        active = [r for r in mine if r["status_key"] != "suspended"]
        progress = _mean([r["progress_value"] for r in active if r["progress_value"] is not None])
        expected = _mean([r["expected_value"] for r in active if r["expected_value"] is not None])
        out.append({
            "id": c.id,
            "name": c.name,
            "group": c.group,
            "tasks": len(mine),
            "finished": (sum(int(by_status.get(s, 0)) for s in FINISHED) if by_status
                         else sum(1 for r in mine if r["status_key"] in FINISHED)),
            "completion_rate": fmt_num(j.get("completion_rate")),
            "on_time_rate": fmt_num(j.get("on_time_rate")),
            "red": sum(1 for r in mine if r["light"] == "red"),
            "yellow": sum(1 for r in mine if r["light"] == "yellow"),
            "green": sum(1 for r in mine if r["light"] == "green"),
            "mean_progress": fmt_num(progress, 1),
            "mean_progress_value": progress,
            "mean_expected_value": expected,
            "rows": [{k: v for k, v in r.items() if k != "task"} for r in mine],
        })
    return out


def _lights(ledger: Ledger, rows: list[dict[str, Any]],
            req: Request) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    lang = req.lang
    red: list[dict[str, Any]] = []
    yellow: list[dict[str, Any]] = []
    for r in rows:
        t: Task = r["task"]
        base = {k: r[k] for k in ("id", "title", "lead", "leaders", "progress", "expected")}
        if r["light"] == "red":
            by_due = {m.due.isoformat(): m for m in t.milestones}
            overdue: list[dict[str, Any]] = []
            for o in sorted(r["overdue"], key=lambda o: str(o.get("due"))):
                m = by_due.get(str(o.get("due")))
                overdue.append({"standard": m.standard if m else "",
                                "due": fmt_date(str(o.get("due")), lang),
                                "days": int(o.get("days", 0))})
            if not overdue:  # the status document gave no detail: derive it
                overdue = [{"standard": m.standard, "due": fmt_date(m.due, lang),
                            "days": (req.as_of - m.due).days}
                           for m in t.milestones if m.done is None and m.due < req.as_of]
            red.append({**base, "milestones": overdue,
                        "days": max((o["days"] for o in overdue), default=0)})
        elif r["light"] == "yellow":
            yellow.append({**base, "reason": _yellow_reason(ledger, t, r, req)})
    red.sort(key=lambda x: (-x["days"], x["id"]))
    yellow.sort(key=lambda x: x["id"])
    return red, yellow


def _yellow_reason(ledger: Ledger, t: Task, row: Mapping[str, Any], req: Request) -> str:
    """Why a task is yellow, in words (SPEC §5: a milestone due soon, or behind).

    The status document's `yellow_reasons` say which; without them (an older
    document) the reason is read from the task the same way.
    """
    lang = req.lang
    reasons = [dict(r) for r in row["reasons"]]
    if not reasons:
        warn = ledger.config.warn_days
        reasons = [{"kind": "due_soon", "due": m.due.isoformat(), "days": (m.due - req.as_of).days}
                   for m in t.milestones
                   if (m.done is None or m.done > req.as_of)
                   and 0 <= (m.due - req.as_of).days <= warn]
        if not reasons:
            reasons = [{"kind": "behind"}]
    by_due = {m.due.isoformat(): m.standard for m in t.milestones}
    out = []
    for r in reasons:
        if r.get("kind") == "due_soon":
            due = str(r.get("due"))
            days = int(r.get("days", 0))
            std = by_due.get(due, "")
            if lang == "en":
                when = "today" if days == 0 else f"in {days} days"
                out.append(f"milestone “{std}” due {fmt_date(due, lang)} ({when})")
            else:
                when = "今日" if days == 0 else f"剩余{days}天"
                out.append(f"序时节点“{std}”将于{fmt_date(due, lang)}到期（{when}）")
        elif lang == "en":
            out.append(f"progress {row['progress']}% is behind the expected {row['expected']}%")
        else:
            out.append(f"进度{row['progress']}%，落后于序时进度{row['expected']}%")
    return ("; " if lang == "en" else "；").join(out)


def _stale(rows: list[dict[str, Any]], req: Request) -> list[dict[str, Any]]:
    """Tasks whose monthly report (月报) was due by the as-of date and is missing."""
    month = f"{req.as_of.year:04d}-{req.as_of.month:02d}"
    out = []
    for r in rows:
        if r["stale"]:
            t: Task = r["task"]
            known = [u.month for u in t.updates if u.month <= month]
            out.append({k: r[k] for k in ("id", "title", "lead", "leaders")}
                       | {"expected_month": period_label("month", r["stale"], req.lang),
                          "last_month": period_label("month", known[-1], req.lang) if known
                          else "—"})
    return out


def _flags(ledger: Ledger, rows: list[dict[str, Any]],
           req: Request) -> dict[str, list[dict[str, Any]]]:
    """Honour flags (红旗) and warning cards (黄牌) awarded in the period.

    Undated flags are standing awards: they appear in every bulletin.
    """
    first, last = req.span()
    last = min(last, req.as_of)
    out: dict[str, list[dict[str, Any]]] = {"red_flag": [], "yellow_card": []}
    for r in rows:
        t: Task = r["task"]
        for f in t.flags:
            if f.kind not in out or (f.date is not None and not first <= f.date <= last):
                continue
            out[f.kind].append({"id": t.id, "title": t.title, "lead": r["lead"],
                                "leaders": r["leaders"], "date": fmt_date(f.date, req.lang),
                                "date_iso": f.date.isoformat() if f.date else "",
                                "by": f.by or "", "note": f.note or ""})
    for flags in out.values():
        flags.sort(key=lambda f: (f["id"], f["date_iso"]))
    return {"red": out["red_flag"], "yellow": out["yellow_card"]}


def _deductions(ledger: Ledger, req: Request) -> dict[str, Any] | None:
    """Negative-list deductions (负面清单扣分) dated in the period, up to the as-of date."""
    scheme = ledger.scheme
    if scheme is None:
        return None
    lang = req.lang
    first, last = req.span()
    last = min(last, req.as_of)
    cats = {c.id: c.name for c in scheme.deduction_categories}
    items: list[dict[str, Any]] = []
    for rec in ledger.records:
        for d in rec.deductions:
            if d.date is None:
                if rec.period != req.period:
                    continue
            elif not first <= d.date <= last:
                continue
            points = d.points * (scheme.media_multiplier if d.media else 1)
            how = (f"{fmt_num(d.points)}×{fmt_num(scheme.media_multiplier)}"
                   if d.media else "")
            items.append({
                "unit_id": d.unit,
                "unit": ledger.units[d.unit].name if d.unit in ledger.units else d.unit,
                "category": cats.get(d.category, d.category),
                "date": fmt_date(d.date, lang),
                "date_iso": d.date.isoformat() if d.date else "",
                "points": fmt_places(points, scheme.places),
                "points_value": points,
                "media": d.media,
                "media_note": how,
                "reason": d.reason or "",
            })
    items.sort(key=lambda x: (x["date_iso"], x["unit_id"]))
    by_cat: dict[str, int] = {}
    for it in items:
        by_cat[it["category"]] = by_cat.get(it["category"], 0) + 1
    summary = [{"category": c.name, "count": by_cat[c.name]}
               for c in scheme.deduction_categories if c.name in by_cat]
    total = sum((it["points_value"] for it in items), Decimal(0))
    public = req.edition == "public"
    return {
        "count": len(items),
        "total": fmt_places(total, scheme.places),
        "by_category": summary,
        "entries": None if public else [{k: v for k, v in it.items() if k != "points_value"}
                                      for it in items],
    }


def _score_columns(scheme: Scheme, units: Sequence[UnitScore]) -> list[dict[str, str]]:
    """The component columns of the ranking table: the first level of the assessed tree
    with more than one component (a Weinan quarter: 活动开展, 12345, 政务服务)."""
    assessed = {k for u in units for k in u.components}
    level = [c for c in scheme.components if c.id in assessed]
    while len(level) == 1 and level[0].children:
        level = [c for c in level[0].children if c.id in assessed]
    if not 1 < len(level) <= 4:
        return []
    return [{"id": c.id, "name": c.name} for c in level]


def _rule_notes(ledger: Ledger, scheme: Scheme, unit: str, rules: Sequence[str],
                incident_categories: Sequence[str], req: Request) -> list[str]:
    """The grade sanctions that applied, in words: cause and effect."""
    lang = req.lang
    cats = {c.id: c.name for c in scheme.deduction_categories}
    flags = [f for rec in ledger.records if rec.period == req.period
             for f in rec.flags if f.unit == unit]
    notes = []
    for rid in rules:
        rule = next((r for r in scheme.rules if r.id == rid), None)
        if rule is None:
            notes.append(rid)
            continue
        cause = ""
        if rule.flag:
            reasons = [f.reason for f in flags if f.kind == rule.flag and f.reason]
            name = ("一票否决" if lang == "zh" else "veto") if rule.flag == "veto" else rule.flag
            cause = name + (f"（{reasons[0]}）" if lang == "zh" and reasons
                            else f" ({reasons[0]})" if reasons else "")
        elif rule.deductions_in:
            hit = [c for c in rule.deductions_in if c in incident_categories]
            names = [cats.get(c, c) for c in (hit or rule.deductions_in)]
            cause = ("存在" + "、".join(f"“{n}”" for n in names) + "问题" if lang == "zh"
                     else "deductions for " + ", ".join(f"“{n}”" for n in names))
        if rule.max_grade:
            effect = (f"等次不高于{rule.max_grade}" if lang == "zh"
                      else f"grade at best {rule.max_grade}")
        else:
            effect = (f"降{cn_number(rule.downgrade)}档" if lang == "zh"
                      else f"{rule.downgrade} grade{'s' if rule.downgrade > 1 else ''} down")
        notes.append(f"{cause}，{effect}" if lang == "zh" else f"{cause}: {effect}")
    return notes


def _scores(ledger: Ledger, scores: ScoreResult, req: Request) -> dict[str, Any] | None:
    scheme = ledger.scheme
    if scheme is None:
        return None
    lang = req.lang
    places = scheme.places
    units = sorted(scores.units, key=lambda u: (u.rank or 10**9, u.unit))
    columns = _score_columns(scheme, units)
    comp_names = {c.id: c.name for c in scheme.all_components()}
    grade_names = [g.name for g in scheme.grades]
    ranking: list[dict[str, Any]] = []
    for u in units:
        uid = u.unit
        comps = u.components
        incidents = [i.category for i in u.incidents]
        notes = _rule_notes(ledger, scheme, uid, list(u.rules_applied), incidents, req)
        base = u.base_grade
        if base and base != u.grade:
            notes.append(f"等次由{base}调整为{u.grade}" if lang == "zh"
                         else f"grade {base} → {u.grade}")
        missing = [comp_names.get(m, m) for m in u.missing]
        if missing:
            notes.append(("缺少评分：" if lang == "zh" else "not scored: ") + _join(missing, lang))
        ranking.append({
            "rank": u.rank,
            "unit": uid,
            "name": u.name or (ledger.units[uid].name if uid in ledger.units else uid),
            "score": fmt_places(u.score, places),
            "score_value": u.score,
            "grade": u.grade,
            "components": [fmt_places(comps.get(c["id"]), places) for c in columns],
            "deductions": fmt_places(u.deductions, places),
            "interview": u.interview,
            "notes": notes,
        })
    public = req.edition == "public"
    # the public edition names the units of the best grade only (表扬), not the rest
    grades = [{"name": g, "count": sum(1 for r in ranking if r["grade"] == g),
               "units": [r["name"] for r in ranking if r["grade"] == g]
               if not public or i == 0 else []} for i, g in enumerate(grade_names)]
    interview = [r["name"] for r in ranking if r["interview"]]
    return {
        "scheme_title": scheme.title,
        "scheme_doc_no": scheme.doc_no,
        "places": places,
        "units_count": len(ranking),
        "columns": columns,
        "grades": grades,
        "top_grade": grades[0] if grades else None,
        "interview": interview,
        "interview_bottom": scheme.interview_bottom,
        "ranking": None if public else [{k: v for k, v in r.items() if k != "score_value"}
                                        for r in ranking],
        "_bars": [] if public else [
            ScoreBar(label=r["name"], score=r["score_value"], score_text=r["score"],
                     grade=r["grade"],
                     grade_index=grade_names.index(r["grade"]) if r["grade"] in grade_names
                     else len(grade_names), interview=r["interview"])
            for r in ranking],
    }


def _charts(ctx: dict[str, Any], lang: str) -> dict[str, Any]:
    zh = lang == "zh"
    cats = [c for c in ctx["categories"] if c["tasks"]]
    progress = progress_chart(
        [ProgressBar(label=c["name"], progress=c["mean_progress_value"],
                     expected=c["mean_expected_value"],
                     value_text=f"{c['mean_progress']}%") for c in cats],
        title="各类别平均进度与序时进度" if zh else "Mean progress and expected progress by category",
        legend_progress="平均进度" if zh else "mean progress",
        legend_expected="序时进度" if zh else "expected progress",
    ) if cats else None
    ranking = None
    scores = ctx["scores"]
    if scores is not None:
        bars = scores.pop("_bars")
        if bars:
            ranking = ranking_chart(
                bars, title="考核得分排名" if zh else "Scores by rank",
                grades=[g["name"] for g in scores["grades"]],
                interview_label="约谈" if zh else "interview")
    for c in ctx["categories"]:
        c.pop("mean_progress_value")
        c.pop("mean_expected_value")
    return {"progress": progress, "ranking": ranking}


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------

def builtin_templates() -> Path:
    """The default templates: inside the wheel, or in the source checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_data" / "templates"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "templates"


def template_name(fmt: str, lang: str) -> str:
    """bulletin.html.j2 (Chinese) or bulletin.en.html.j2 (English)."""
    return f"bulletin.{fmt}.j2" if lang == "zh" else f"bulletin.en.{fmt}.j2"


#: a markup character, or an @ that would mention someone (GitHub, GitLab: `@name`,
#: `@org/team`, GitLab's `@all`) — after start, space or punctuation, before a letter
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])|(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def md_escape(value: Any) -> str:
    """Text placed into Markdown: markup characters escaped, one line (table cells),
    and inert on a terminal or in a CI log (the bulletin may go to stdout): control
    characters, bidi overrides and workflow commands escaped by `terminal()`.

    Called for every value a bulletin prints (a million on a 100,000-task ledger):
    the common case — one line, no markup character — returns the text as it is."""
    text = "" if value is None else str(value)
    if "\n" in text or "\r" in text:
        text = _LINE_BREAKS.sub(" ", text)
    return _MD_SPECIAL.sub(_backslashed, terminal(text))


def _backslashed(m: re.Match[str]) -> str:
    # a function: a template string is parsed again per call.  A backslash does not
    # stop a mention (mentions are found in the rendered text, where `\@` is `@`
    # again): a zero-width space after the @ does, and prints as nothing
    char = m.group(1)
    return "@\u200b" if char is None else "\\" + char


def _md_finalize(value: Any) -> Any:
    if isinstance(value, _markup()):
        return str(value)
    return md_escape(value)


@functools.cache
def _markup() -> type:
    from markupsafe import Markup  # jinja2's dependency: imported only when rendering

    return Markup


def render(context: Mapping[str, Any], fmt: str, *, search: Sequence[Path],
           name: str, shown: Callable[[str], str] | None = None) -> str:
    """Render template `name`, found in the first of `search` that has it.

    HTML is autoescaped (a task titled <script> is text); Markdown output is
    escaped by `md_escape`.  Undefined names are errors (StrictUndefined): a typo in
    a template fails loudly instead of printing nothing.  Templates run sandboxed
    (no Python internals).  Every failure becomes a `TemplateProblem` naming the
    template file and line; `shown` turns a template's path into what the user
    should read.
    """
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    show = shown or (lambda p: p)
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(p)) for p in search])
    # sandboxed: a ledger's templates come from whoever can commit to the ledger, and
    # rendering one (say in CI) must not be a way to run code
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=fmt == "html",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_md_finalize if fmt == "md" else None,
    )
    env.filters["cn"] = cn_number
    env.filters["pct"] = pct
    env.filters["md"] = md_escape
    env.globals["cn"] = cn_number
    try:
        template = env.get_template(name)
        return template.render(dict(context))
    except jinja2.TemplateSyntaxError as exc:
        where = show(exc.filename or exc.name or name)
        raise TemplateProblem(f"{where}:{exc.lineno}: {_one_line(exc.message or str(exc))}"
                              ) from None
    except jinja2.TemplateNotFound as exc:
        loc = _template_frame(exc.__traceback__)
        where = f"{show(loc[0])}:{loc[1]}: " if loc else ""
        raise TemplateProblem(f"{where}template not found / 找不到模板：{exc.name}") from None
    except Exception as exc:
        loc = _template_frame(exc.__traceback__)
        where = f"{show(loc[0])}:{loc[1]}" if loc else show(name)
        raise TemplateProblem(f"{where}: {_one_line(str(exc)) or type(exc).__name__}"
                              ) from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _template_frame(tb: TracebackType | None) -> tuple[str, int] | None:
    """The innermost traceback frame that is template code (Jinja maps its lines)."""
    found = None
    while tb is not None:
        fn = tb.tb_frame.f_code.co_filename
        if "__jinja_exception__" in tb.tb_frame.f_globals or fn.endswith(".j2"):
            found = (fn, tb.tb_lineno)
        tb = tb.tb_next
    return found
