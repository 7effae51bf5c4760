"""`luoshi score --explain UNIT`: how one unit's score was built.

A unit that disputes its rank asks four questions, answered here in order: what
did each component score and how much did it weigh (the tree, with renormalised
shares and contributions, down to checklist lines and tasks); what was deducted
and why (each incident with its reason and media multiplier); how the final score
and grade follow (floor, half-up rounding, grade band); and which rule changed the
grade.  Everything shown comes from the `UnitScore`: nothing is recomputed here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import TextIO

from ..core.labels import LATE, fixed, plain, quoted
from ..core.model import RecordFlag, Scheme
from ..core.numbers import trimmed
from ..core.periods import is_month
from ..core.safetext import terminal
from ..ops.scoring import ItemLine, Part, ScoreResult, TaskLine, UnitScore
from .plaintable import SQUEEZE_MIN, fit_layout, fold
from .rulewords import rule_causes
from .scores import missing_names, period_label

#: decimals of an exact value shown before it is cut with "…"
EXACT_PLACES = 6


def exact_text(d: Decimal) -> str:
    """An unrounded value as written (84.5125), or cut to 6 decimals with "…" — cut,
    never rounded: 89.99499999… shown as 89.995000… would contradict the published
    89.99 (half-up applies once, at publication, to the exact value)."""
    n = trimmed(d)
    exp = n.as_tuple().exponent
    if isinstance(exp, int) and -exp > EXACT_PLACES:
        return f"{d.quantize(Decimal(1).scaleb(-EXACT_PLACES), rounding=ROUND_DOWN):f}…"
    return format(n, "f") if n != n.to_integral_value() else str(int(n))


_num = plain  # a recorded number as the clerk wrote it: 7, 6.5


def render_explain(result: ScoreResult, unit: UnitScore, out: TextIO, lang: str, *,
                   color: bool = False, width: int | None = None,
                   scheme: Scheme | None = None, flags: Sequence[RecordFlag] = ()) -> None:
    """`scheme` (the one scored) words each rule's conditions as the bulletin does
    (`rulewords`), `flags` (the unit's flags of the period) give a veto's reason;
    without a scheme a rule's conditions are shown as the engine wrote them."""
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    sink = out if color else io.StringIO()
    console = Console(file=sink, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      markup=False, emoji=False, soft_wrap=False)
    en = lang == "en"
    p = result.places

    def shaped(heads: list[tuple[str, bool]], rows: list[tuple[list[str], str, int]], *,
               names: Sequence[int] = (), wrap: Sequence[int] = ()) -> None:
        """A table laid out by `fit_layout`: numbers (and dates) always whole on their
        line, the `wrap` and `names` columns folded by `fold`, never inside a figure;
        each row's first cell indented by its depth, its folded lines too (ten cells of
        text beside the deepest indentation).  Below the
        narrowest layout the table keeps its widths and runs past the edge."""
        cells = [["  " * depth + row[0], *row[1:]] for row, _, depth in rows]
        # an indented name keeps ten cells of text beside its indentation
        deepest = 2 * max((depth for _, _, depth in rows), default=0)
        _, widths = fit_layout(heads, cells, console.width, names=names, wrap=wrap,
                               floors={0: SQUEEZE_MIN + deepest})
        t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        for (head, numeric), w in zip(heads, widths, strict=True):
            t.add_column(Text(head), justify="right" if numeric else "left",
                         overflow="fold", no_wrap=numeric, width=w)
        for (row, style, depth), laid in zip(rows, cells, strict=True):
            out_row = []
            for i, (value, w) in enumerate(zip(laid, widths, strict=True)):
                if (i in names or i in wrap) and any(
                        cell_len(x) > w for x in value.split("\n")):
                    if i == 0 and depth:
                        pad = "  " * depth
                        value = "\n".join(pad + x for x in fold(
                            row[0], max(2, w - len(pad))).split("\n"))
                    else:
                        value = fold(value, w)
                out_row.append(Text(value, style=style))
            t.add_row(*out_row)
        needed = sum(widths) + 3 * (len(widths) - 1)
        wide = console if needed <= console.width else Console(
            file=sink, width=needed, force_terminal=color, no_color=not color,
            color_system="standard" if color else None, highlight=False, markup=False,
            emoji=False, soft_wrap=False)
        wide.print(t)

    # every line and cell passes terminal(): luoshi's own words are plain, and the
    # scheme's and ledger's names, reasons and ids cannot reach the screen raw
    def say(zh: str, english: str, style: str = "") -> None:
        console.print(Text(terminal(english if en else zh), style=style))

    say(f"{result.scheme_title} — {period_label(result, lang)} — {unit.name}（{unit.unit}）",
        f"{result.scheme_title} — {period_label(result, lang)} — {unit.name} ({unit.unit})",
        "bold")
    n = sum(1 for u in result.units if u.group == unit.group)
    group_zh = f"{unit.group_name}组内" if unit.group else ""
    group_en = f" in group {unit.group_name}" if unit.group else ""
    say(f"得分 {fixed(unit.score, p)}，等次 {unit.grade}，{group_zh}第 {unit.rank} 名"
        f"（共 {n} 个单位）" + ("，列入约谈" if unit.interview else ""),
        f"score {fixed(unit.score, p)}, grade {unit.grade}, rank {unit.rank} of {n}{group_en}"
        + (", marked for interview" if unit.interview else ""))
    console.print()

    # 1. the tree
    say("一、得分构成（贡献 = 折算权重 × 得分 / 100，即计入上级的分数）",
        "1. How the score is built (contribution = share × score / 100: "
        "the points added to the parent)", "bold")
    heads = [("Component" if en else "指标", False), ("Weight" if en else "权重", True),
             ("Share" if en else "折算权重", True), ("Score" if en else "得分", True),
             ("Contribution" if en else "贡献", True), ("Note" if en else "说明", False)]
    tree: list[tuple[list[str], str, int]] = []

    def row(depth: int, label: str, *cells: str, style: str = "") -> None:
        tree.append(([terminal(label), *(terminal(c) for c in cells)], style, depth))

    def items(lines: tuple[ItemLine, ...], depth: int) -> None:
        for it in lines:
            note = ("missing: counted 0" if en else "缺失，按 0 分") if it.missing else ""
            row(depth, it.name or it.id, f"/{_num(it.points)}", "", _num(it.earned), "",
                note, style="dim" if not it.missing else "yellow")
            items(it.items, depth + 1)

    def tasks(lines: tuple[TaskLine, ...], depth: int, weighed: bool) -> None:
        """`weighed`: the leaf weighs quality (`quality: 0` leaves it out of the line:
        it said 质量分缺失，按 0 分 of a quality nobody is asked for)."""
        for tl in lines:
            q = (("quality missing: 0" if en else "质量分缺失，按 0 分") if tl.quality_missing
                 else (f"quality {_num(tl.quality)}" if en else f"质量 {_num(tl.quality)}"))
            q_en, q_zh = (f"; {q}", f"；{q}") if weighed else ("", "")
            late_en = (f", {tl.late} late earning {exact_text(tl.late_credit)}"
                       if tl.late else "")
            late_zh = (f"，{LATE.zh}完成 {tl.late} 个折合 {exact_text(tl.late_credit)} 个"
                       if tl.late else "")
            if tl.after_end:
                late_en += f", {tl.after_end} done after the period ended: not counted"
                late_zh += f"，{tl.after_end} 个在考核期结束后完成，不计"
            role_zh = {"responsible": "（责任单位）", "cooperating": "（配合单位）"}.get(tl.role, "")
            role_en = {"responsible": " (responsible unit)",
                       "cooperating": " (cooperating unit)"}.get(tl.role, "")
            note = (f"{tl.on_time}/{tl.due} milestones on time{late_en} → timeliness "
                    f"{fixed(tl.timeliness, p)}{q_en}{role_en}" if en else
                    f"到期节点 {tl.due} 个，按时完成 {tl.on_time} 个{late_zh} → 时效 "
                    f"{fixed(tl.timeliness, p)}{q_zh}{role_zh}")
            row(depth, f"{tl.task} {tl.title}", "", "", fixed(tl.score, p), "", note,
                style="yellow" if tl.quality_missing else "dim")

    def node(part: Part, depth: int, under_na: bool = False) -> None:
        label = part.name or part.id  # the scheme's name: its id is YAML notation
        if under_na:  # a leaf of a subtree not applicable as a whole (SPEC §10)
            row(depth, label, _num(part.weight), "—", "—", "—",
                "not applicable" if en else "不适用", style="dim")
            for c in part.children:
                node(c, depth + 1, True)
            return
        if part.score is None:
            if _all_na(part):  # n/a itself, or leaf by leaf
                why = ("not applicable (n/a): left out, the other weights renormalised"
                       if en else "不适用：不计入，其余权重按比例折算")
                row(depth, label, _num(part.weight), "—", "—", "—", why, style="dim")
                for c in part.children:  # written n/a leaf by leaf: each is shown
                    node(c, depth + 1, True)
                return
            if part.basis == "tasks":  # a month's, or each month's (quarter's) read
                why = ("no task due in the period: left out, the other weights renormalised"
                       if en else "本期没有到期任务：不计入，其余权重按比例折算")
            elif part.cadence == "monthly" and not part.children and not result.monthly:
                why = ("no monthly record: left out (--partial)" if en
                       else "没有月度记录：不计入（--partial）")
            elif part.children or not result.annual:
                why = (f"not assessed in this period ({part.cadence})" if en
                       else f"本期不考核（{_cadence(part.cadence)}）")
            elif part.cadence == "annual":
                why = ("no annual record: left out (--partial)" if en
                       else "没有年度记录：不计入（--partial）")
            else:
                why = ("no score in any quarter: left out" if en
                       else "各季度均无得分：不计入")
            row(depth, label, _num(part.weight), "—", "—", "—", why, style="dim")
            return
        note = ""
        if part.missing:
            note = "no score recorded: counted 0" if en else "没有记录得分：按 0 分计算"
        elif part.basis == "items":
            note = "sum of checklist points" if en else "评分细项得分之和"
        elif part.basis == "tasks":
            t, q = (_num(x) if x is not None else "?" for x in (part.timeliness, part.quality))
            note = (f"mean of task scores; task = (timeliness × {t} + quality × {q}) / 100"
                    if en else f"各任务得分的平均；任务得分 =（时效 × {t} + 质量 × {q}）/ 100")
        elif part.basis == "mean":
            # a month or quarter without a score: n/a (不适用), or a tasks leaf with no
            # task due then -- two different things, said apart
            qs = " · ".join(f"{q[-2:] if '-Q' in q else q} " + (
                fixed(s, p) if s is not None else
                ("no task due" if en else "无到期任务") if q in part.untasked else
                ("n/a" if en else "不适用")) for q, s in part.quarters)
            months = any(is_month(q) for q, _ in part.quarters)
            note = ((f"mean of months: {qs}" if months else f"mean of quarters: {qs}") if en
                    else f"月度平均：{qs}" if months else f"季度平均：{qs}")
        row(depth, label, _num(part.weight), fixed(part.share, p), fixed(part.score, p),
            fixed(part.contribution, p), note,
            style="bold" if part.children else ("yellow" if part.missing else ""))
        for c in part.children:
            node(c, depth + 1)
        items(part.items, depth + 1)
        tasks(part.tasks, depth + 1, part.quality != 0)

    for top in unit.parts:
        node(top, 0)
    shaped(heads, tree, names=[0], wrap=[5])
    say(f"合计（扣分前）{exact_text(unit.raw)}", f"Total before deductions: {exact_text(unit.raw)}")
    console.print()

    # 2. deductions
    say("二、负面清单扣分", "2. Deductions (negative list)", "bold")
    if not unit.incidents:
        say("无", "none")
    else:
        d_heads = [("Date" if en else "日期", False), ("Category" if en else "类别", False),
                   ("Points" if en else "分值", True),
                   ("Media ×" if en else "媒体曝光倍数", True),
                   ("Deducted" if en else "扣分", True), ("Reason" if en else "原因", False)]
        lines: list[tuple[list[str], str, int]] = []
        for i in unit.incidents:
            mult = f"×{_num(i.multiplier)}" if i.media else "—"
            lines.append(([terminal(c) for c in (
                i.date.isoformat() if i.date else i.period, i.category_name or i.category,
                _num(i.points), mult, _num(i.multiplied), i.reason or "")], "", 0))
        shaped(d_heads, lines, names=[1], wrap=[5])
        say(f"扣分合计 {exact_text(unit.deductions_exact)}（多次或多种情形累计扣分）",
            f"Deductions in total: {exact_text(unit.deductions_exact)} (incidents add up)")
        for i in unit.incidents:
            if i.provisional:
                say(f"预扣 {_num(i.multiplied)}（{i.date or i.period}，{i.category_name}）：尚未返还",
                    f"provisional {_num(i.multiplied)} ({i.date or i.period}, "
                    f"{i.category_name}): not restored")
    for i in unit.restored:
        say(f"已返还 {_num(i.multiplied)}（{i.date or i.period}，{i.category_name}，"
            f"{i.restored} 返还）：不计扣分",
            f"restored {_num(i.multiplied)} ({i.date or i.period}, {i.category_name}, "
            f"given back on {i.restored}): not deducted")
    if unit.bonuses:
        console.print()
        say("加分", "Bonuses", "bold")
        for b in unit.bonuses:
            say(f"{b.date or b.period} {b.category_name} +{_num(b.points)}"
                + (f"（{b.reason}）" if b.reason else ""),
                f"{b.date or b.period} {b.category_name} +{_num(b.points)}"
                + (f" ({b.reason})" if b.reason else ""))
        if unit.bonus_capped != unit.bonus_total:
            say(f"加分合计 {exact_text(unit.bonus_total)}，超过上限，按上限 "
                f"{exact_text(unit.bonus_capped)} 计",
                f"Bonuses in total: {exact_text(unit.bonus_total)}, over the cap: "
                f"{exact_text(unit.bonus_capped)} counted")
        else:
            say(f"加分合计 {exact_text(unit.bonus_total)}",
                f"Bonuses in total: {exact_text(unit.bonus_total)}")
    console.print()

    # 3. the final figure
    say("三、最终得分与等次", "3. Final score and grade", "bold")
    line = f"{exact_text(unit.raw)} − {exact_text(unit.deductions_exact)}"
    if unit.bonuses:
        line += f" + {exact_text(unit.bonus_capped)}"
    if unit.ceiled:
        say(f"{line} 超过最高分，按 {exact_text(unit.exact)} 计",
            f"{line} is above the ceiling: {exact_text(unit.exact)}")
    elif unit.floored:
        say(f"{line} 低于保底分，按保底分 {exact_text(unit.exact)} 计",
            f"{line} is below the floor: {exact_text(unit.exact)}")
    else:
        say(f"{line} = {exact_text(unit.exact)}", f"{line} = {exact_text(unit.exact)}")
    say(f"四舍五入保留 {p} 位小数：{fixed(unit.score, p)}；按此确定等次：{unit.base_grade}",
        f"rounded half-up to {p} places: {fixed(unit.score, p)}; its grade band: "
        f"{unit.base_grade}")
    if not unit.rule_steps:
        say("没有适用的等次规则", "no grade rule applies")
    for s in unit.rule_steps:
        if s.action == "max_grade":
            what_zh, what_en = "等次封顶", "caps the grade"
        elif s.action == "downgrade":
            what_zh, what_en = "降档", "downgrades"
        elif s.action == "min_grade":
            what_zh, what_en = "等次保底", "sets a minimum grade"
        elif s.action == "upgrade":
            what_zh, what_en = "升档", "upgrades"
        elif s.action == "interview":
            what_zh, what_en = "列入约谈", "marks for interview"
        else:
            what_zh, what_en = "条件成立", "condition held"
        change_zh = f"{s.before} → {s.after}" if s.before != s.after else f"{s.after}（等次不变）"
        change_en = f"{s.before} → {s.after}" if s.before != s.after else \
            f"{s.after} (no change)"
        name = s.note or s.rule  # a rule's note is what users read, never its id
        rule = next((r for r in scheme.rules if r.id == s.rule), None) if scheme else None
        # a cap or a floor says its level, and whether it moved the grade: "等次封顶：一般
        # （等次不变）" read as if the cap were 一般
        level = (rule.max_grade if s.action == "max_grade" else rule.min_grade
                 if s.action == "min_grade" else None) if rule is not None else None
        if level:
            what_zh += f"（{level}）"
            what_en += f" at {level}" if s.action == "max_grade" else f" of {level}"
            if s.before == s.after:
                change_zh = (f"{s.after}，未超过封顶，等次不变" if s.action == "max_grade"
                             else f"{s.after}，不低于保底，等次不变")
                change_en = (f"{s.after} is within the cap (no change)"
                             if s.action == "max_grade"
                             else f"{s.after} is not below it (no change)")
        why = ("、" if not en else " and ").join(
            rule_causes(scheme, unit, rule, flags, lang, ids=True, inside=name)
        ) if scheme and rule else s.why
        why_zh, why_en = (f"（{why}）", f" ({why})") if why else ("", "")
        say(f"规则{quoted(name)}{why_zh}{what_zh}：{change_zh}" if s.note else
            f"规则 {name}{why_zh}{what_zh}：{change_zh}",
            f"rule {quoted(name)}{why_en} {what_en}: {change_en}" if s.note else
            f"rule {name}{why_en} {what_en}: {change_en}")
    if unit.quota_from:
        say(f"{unit.quota_from}名额已满（{unit.group_name or '全体'}按比例），顺延为{unit.grade}",
            f"the {unit.quota_from} quota is full: moves to {unit.grade}")
    say(f"最终等次：{unit.grade}", f"final grade: {unit.grade}")
    if unit.missing:
        console.print()
        say("缺失的得分（按 0 分计算）：" + "、".join(missing_names(unit, "zh", scheme)),
            "Missing scores (counted 0): " + ", ".join(missing_names(unit, "en", scheme)),
            "yellow")
    if isinstance(sink, io.StringIO):
        out.write("".join(x.rstrip() + "\n" for x in sink.getvalue().splitlines()))


def _cadence(c: str) -> str:
    return {"annual": "年度考核", "quarterly": "季度考核", "monthly": "月度考核"}.get(c, c)


def _all_na(part: Part) -> bool:
    """A subtree written `n/a` leaf by leaf for the unit (SPEC §10): no leaf scored and
    every one not applicable — shown as 不适用, not as another cadence's."""
    if part.not_applicable:
        return True
    return part.score is None and bool(part.children) and all(_all_na(c)
                                                              for c in part.children)
