"""`luoshi score` rendered: a rich table for people, JSON (SPEC §4) and CSV for Excel.

Renderers take a finished `ScoreResult` and write to an injected stream, so tests
compare exact output and the bulletin or an export can reuse the same result.
Nothing here computes a score: that is `scoring.py`'s job.  Every figure shown
is a published one, printed with exactly `places` decimals (95.20, not 95.2).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

from ..core.codes import L
from ..core.labels import (
    counted,
    exact_dumps,
    fixed,
    gap_text,
    period_text,
    plain,
    say,
    scheme_names,
)
from ..core.model import Scheme
from ..core.safetext import csv_text, json_text, terminal
from ..ops.scoring import QuotaNote, ScoreResult, UnitScore, result_json
from .plaintable import fit_layout, fold, pick, plain_table

#: what a user sees for each SPEC §4 key, in both languages
HEADS: dict[str, L] = {
    "rank": L("排名", "Rank"),
    "unit": L("单位", "Unit"),
    "id": L("编号", "ID"),
    "score": L("得分", "Score"),
    "grade": L("等次", "Grade"),
    "deductions": L("扣分", "Deductions"),
    "rules": L("适用规则", "Rules applied"),
    "interview": L("约谈", "Interview"),
    "missing": L("缺失得分", "Missing"),
    "group": L("分组", "Group"),
    "bonuses": L("加分", "Bonuses"),
    "na": L("不适用", "Not applicable"),
}


_t = say

NAME_MIN = 8
"""The narrowest the score table's unit names fold to on a narrow terminal: four
Chinese characters a line."""


def period_label(result: ScoreResult, lang: str) -> str:
    """2021-Q2 → "2021年第二季度" / "Q2 2021"; 2021 → "2021年度" / "2021 (annual)"."""
    return period_text(result.period, lang)


def grade_text(u: UnitScore, lang: str) -> str:
    """The grade, with the grade before the rules when a rule changed it."""
    if u.base_grade != u.grade:
        return f"{u.grade} ({u.base_grade}→{u.grade})" if lang == "en" else \
            f"{u.grade}（{u.base_grade}→{u.grade}）"
    return u.grade


def notes(result: ScoreResult, lang: str, names: Mapping[str, str] | None = None) -> list[str]:
    """What the reader must know about the whole result: gaps, partial years.  Units
    are named by `names` (id → units.yaml's name) where it knows them."""
    en = lang == "en"
    out = []
    if result.missing_quarters:
        out.append(missing_records_sentence(result, lang))
    if result.missing_annual_record:
        out.append(f"Partial year: no {result.period} record; the annual components are left "
                   f"out and the other weights renormalised." if en else
                   f"年度得分不完整：缺少 {result.period} 年度记录，年度指标未计入，其余权重按比例折算。")
    if result.unscored:
        ids = ("、" if not en and names else ", ").join(
            (names or {}).get(u) or u for u in result.unscored)
        out.append(f"Not ranked (nothing assessed in this period): {ids}" if en else
                   f"未参加排名（本期没有可计分的指标）：{ids}")
    for q in result.quotas:
        out.extend(quota_sentences(result, q, lang))
    gaps = [u for u in result.units if u.missing]
    if gaps:
        out.append(f"{counted(len(gaps), 'unit')} {'has' if len(gaps) == 1 else 'have'} "
                   "missing scores, counted as 0 (see the Missing column and the warnings)."
                   if en else
                   f"{len(gaps)} 个单位有缺失的得分，按 0 分计算（见“缺失得分”列和警告）。")
    return out


def missing_records_sentence(result: ScoreResult, lang: str) -> str:
    """The records a partial result (`--partial`) was scored without, and how: a
    year's missing quarters (or months), a quarter's missing months — "季度得分不完整：
    缺少 2024-06 的记录，月度指标按已有月份平均。" (a quarter is never a "partial year")."""
    from ..core.periods import is_month

    gone = result.missing_quarters
    months = any(is_month(p) for p in gone)
    quarters = any(not is_month(p) for p in gone)
    year = result.annual
    if lang == "en":
        how = [*(["quarterly components are the mean of the quarters present"]
                 if quarters else []),
               *(["monthly components are the mean of the months present"] if months else [])]
        return (f"Partial {'year' if year else 'quarter'}: no record for {', '.join(gone)}; "
                f"{'; '.join(how)}.")
    how = [*(["季度指标按已有季度平均"] if quarters else []),
           *(["月度指标按已有月份平均"] if months else [])]
    return (f"{'年度' if year else '季度'}得分不完整：缺少 {'、'.join(gone)} 的记录，"
            f"{'，'.join(how)}。")


def quota_sentences(result: ScoreResult, q: QuotaNote, lang: str) -> list[str]:
    """"优秀名额 3 个，第 4 名顺延为良好" — one line per quota that moved or was exceeded."""
    en = lang == "en"
    group = next((n for g, n, _ in result.groups if g == q.group), "")
    out = []
    if q.moved:
        ranks = sorted({r for _, r in q.moved})
        if en:
            out.append(f"{group + ': ' if group else ''}{q.grade}: "
                       f"{counted(q.allowed, 'place')}; "
                       f"rank{'' if len(ranks) == 1 else 's'} {', '.join(map(str, ranks))} "
                       f"move{'s' if len(ranks) == 1 else ''} to {q.next_grade}")
        else:
            out.append(f"{group + '：' if group else ''}{q.grade}名额 {q.allowed} 个，"
                       f"第 {'、'.join(map(str, ranks))} 名顺延为{q.next_grade}")
    if q.exceeded:
        out.append(f"{group + ': ' if group else ''}{q.grade}: "
                   f"{counted(q.allowed, 'place')}; "
                   f"{len(q.kept)} hold it through a tie at the boundary" if en else
                   f"{group + '：' if group else ''}{q.grade}名额 {q.allowed} 个，"
                   f"因并列共 {len(q.kept)} 个单位获得{q.grade}")
    return out


def component_names(u: UnitScore, ids: Iterable[str]) -> list[str]:
    """Components as the table shows them: by name (服务群众, not `service`), from the
    unit's own tree; the id only when the tree does not hold it."""
    names = {p.id: p.name for top in u.parts for p in top.walk() if p.name}
    return [names.get(i, i) for i in ids]


def missing_names(u: UnitScore, lang: str, scheme: Scheme | None = None) -> list[str]:
    """The unit's missing scores as users read them (`gap_text`): 节点任务完成（HLD-01），
    named from the unit's own tree (components and their checklist lines) and from
    `scheme` (the one scored): a year's tree holds no checklist lines (its quarterly
    leaves are means), so a line a quarter lacks is named from the scheme, as the
    bulletin names it — 大推进（2021-Q2，重点项目建设考核）, not its id c2."""
    if not u.missing:
        return []
    names: dict[str, str] = scheme_names(scheme) if scheme is not None else {}
    for top in u.parts:
        for p in top.walk():
            if p.name:
                names[p.id] = p.name
            stack = list(p.items)
            while stack:
                it = stack.pop()
                stack.extend(it.items)
                if not it.items and it.name:
                    names.setdefault(f"{p.id}/{it.id}", it.name)
    return [gap_text(m, names, lang) for m in u.missing]


def unscored_components(u: UnitScore) -> frozenset[str]:
    """The leaves the unit's record does not score at all (LS407: counted 0 in the
    total): for a year or a quarter made of shorter periods, a leaf that every period
    it was assessed in lacks.  The 得分 sheet leaves their cells empty — a 0 there read
    as a score of 0 — and names them, with every other gap, in its 缺项 column."""
    if not u.missing:
        return frozenset()
    gaps = set(u.missing)
    out: set[str] = set()
    for top in u.parts:
        for p in top.walk():
            if p.missing:
                out.add(p.id)
            elif p.basis == "mean":
                held = [q for q, score in p.quarters if score is not None]
                if held and all(f"{q}/{p.id}" in gaps for q in held):
                    out.add(p.id)
    return frozenset(out)


def rule_names(u: UnitScore) -> list[str]:
    """The rules applied as users read them: each rule's `note`, else its id."""
    notes = {s.rule: s.note for s in u.rule_steps if s.note}
    return [notes.get(r, r) for r in u.rules_applied]


# ---- JSON ---------------------------------------------------------------------------------


def render_json(result: ScoreResult, out: TextIO) -> None:
    # a figure as written that no float holds (a deduction of 0.12345678901234567891
    # points) is written with its digits (`labels.json_number`)
    out.write(json_text(exact_dumps(result_json(result))) + "\n")


# ---- CSV ----------------------------------------------------------------------------------

CSV_COLUMNS = ("rank", "unit", "name", "score", "grade", "base_grade", "deductions",
               "interview", "rules_applied", "missing", "exact")


def component_columns(result: ScoreResult) -> list[str]:
    """Every component scored for some unit, in the scheme's own walk (tree) order —
    not in the order the units in rank order first score them (the first-ranked unit
    scored on one component alone put that column first; one a parent's applies_to
    leaves out holds that parent without its children, which came after later
    siblings)."""
    scored = {p.id for u in result.units for top in u.parts for p in top.walk()
              if p.score is not None}
    return [c for c in result.components if c in scored]


def render_csv(result: ScoreResult, out: TextIO, *, bom: bool = True) -> None:
    """One row per unit in ranking order, then one column per component.

    Starts with a UTF-8 byte-order mark so that Excel opens the Chinese names
    correctly on double-click; figures carry exactly `places` decimals and are
    written as they are (a score of -2.00 stays a number), while ledger text — ids,
    names, grades, rule and component ids — goes through `csv_text`.
    """
    places = result.places
    comps = component_columns(result)
    # scheme v2 columns, only when the result has them (a v1 CSV stays as it was)
    extra: list[str] = []
    if result.groups:
        extra.append("group")
    if any(u.bonuses for u in result.units):
        extra.append("bonuses")
    if any(u.not_applicable for u in result.units):
        extra.append("not_applicable")
    if any(u.quota_from for u in result.units):
        extra.append("quota_from")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*CSV_COLUMNS, *extra, *(csv_text(c) for c in comps)])
    for u in result.units:
        more = {"group": csv_text(u.group), "bonuses": fixed(u.bonus_capped, places),
                "not_applicable": csv_text(";".join(u.not_applicable)),
                "quota_from": csv_text(u.quota_from)}
        w.writerow([u.rank, csv_text(u.unit), csv_text(u.name), fixed(u.score, places),
                    csv_text(u.grade), csv_text(u.base_grade), fixed(u.deductions, places),
                    "yes" if u.interview else "", csv_text(";".join(u.rules_applied)),
                    csv_text(";".join(u.missing)), _exact(u.exact),
                    *(more[k] for k in extra),
                    *(fixed(u.components[c], places) if c in u.components else ""
                      for c in comps)])
    out.write(("\ufeff" if bom else "") + buf.getvalue())


_exact = plain


# ---- table --------------------------------------------------------------------------------


def render_table(result: ScoreResult, out: TextIO, lang: str, *, title: str | None = None,
                 color: bool = False, width: int | None = None,
                 names: Mapping[str, str] | None = None,
                 scheme: Scheme | None = None) -> None:
    """The ranking as the office reads it: rank, unit, score, grade, deductions, rules.

    Without colour (not a terminal) and with a fixed width the output is byte-stable.
    Every line and cell passes `terminal()`: luoshi's own words are plain, and a
    ledger's names, grades and rule ids cannot put control characters, a line break
    or a workflow command on the screen or in a CI log.
    """
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
    sep = ", " if en else "、"  # the lists in a cell: 督导检查评议、政务服务评价
    places = result.places
    heading = f"{title or result.scheme_title} — {period_label(result, lang)}"
    console.print(Text(terminal(heading), style="bold"))
    console.print()
    show_missing = any(u.missing for u in result.units)
    show_group = bool(result.groups)
    show_bonus = any(u.bonuses for u in result.units)
    show_na = any(u.not_applicable for u in result.units)
    cols: Sequence[tuple[str, bool]] = [
        (_t(HEADS["rank"], lang), True), (_t(HEADS["unit"], lang), False),
        (_t(HEADS["id"], lang), False), (_t(HEADS["score"], lang), True),
        (_t(HEADS["grade"], lang), False), (_t(HEADS["deductions"], lang), True),
        (_t(HEADS["rules"], lang), False), (_t(HEADS["interview"], lang), False),
    ]
    if show_group:
        cols = [(_t(HEADS["group"], lang), False), *cols]
    if show_bonus:
        cols = [*cols[:-2], (_t(HEADS["bonuses"], lang), True), *cols[-2:]]
    if show_na:
        cols = [*cols, (_t(HEADS["na"], lang), False)]
    if show_missing:
        cols = [*cols, (_t(HEADS["missing"], lang), False)]
    body: list[list[str]] = []
    styles: list[str] = []
    for u in result.units:
        styles.append("red" if u.interview else ("yellow" if u.grade != u.base_grade else ""))
        cells = [str(u.rank), u.name, u.unit, fixed(u.score, places), grade_text(u, lang),
                 fixed(u.deductions, places) if u.deductions else "",
                 sep.join(rule_names(u)),
                 ("yes" if en else "约谈") if u.interview else ""]
        if show_group:
            cells = [u.group_name, *cells]
        if show_bonus:
            cells = [*cells[:-2], fixed(u.bonus_capped, places) if u.bonuses else "",
                     *cells[-2:]]
        if show_na:
            cells.append(sep.join(component_names(u, u.not_applicable)))
        if show_missing:
            cells.append(sep.join(missing_names(u, lang, scheme)))
        body.append([terminal(c) for c in cells])
    # too narrow (`fit_layout`): the lists of rules, not-applicable and missing items
    # fold, the id goes (the name is shown), then the group and those lists; then the
    # unit's name and the grade fold, down to four Chinese characters and the longest
    # grade word.  Rank, name, score, grade, the deduction and bonus figures and the
    # interview mark always stay, and a figure is never split or cut: below the
    # narrowest layout the lines run past the edge.
    heads = [head for head, _ in cols]
    at = {h: i for i, h in enumerate(heads)}

    def where(*keys: str) -> list[int]:
        return [at[_t(HEADS[k], lang)] for k in keys if _t(HEADS[k], lang) in at]

    drop = where("id", "group", "missing", "na", "rules")
    wrap = where("rules", "na", "missing")
    names_at = where("unit", "group", "grade")
    grade_at = at[_t(HEADS["grade"], lang)]
    floors = {at[_t(HEADS["unit"], lang)]: NAME_MIN,
              grade_at: max([cell_len(_t(HEADS["grade"], lang))]
                            + [cell_len(terminal(u.grade)) for u in result.units])}
    kept, widths = fit_layout(cols, body, console.width, drop=drop, wrap=wrap,
                              names=names_at, floors=floors)
    cols, body = pick(cols, body, kept)
    if result.units:
        for i, w in enumerate(widths):
            folded: dict[str, str] = {}
            for row in body:
                value = row[i]
                if value not in folded:
                    folded[value] = (fold(value, w) if any(
                        cell_len(x) > w for x in value.split("\n")) else value)
                row[i] = folded[value]
        # a province's 10,000 units: rich lays out half a millisecond per row; when
        # nothing wraps `plain_table` writes the very characters (and colours) it would
        text = plain_table(None, cols, body, console.width, color=color, styles=styles)
        if text is not None:
            sink.write(text)
        else:
            natural = [max([cell_len(head)] + [cell_len(x) for r in body
                                               for x in r[i].split("\n")])
                       for i, (head, _) in enumerate(cols)]
            needed = sum(natural) + 3 * (len(natural) - 1)
            if needed > console.width:
                needed = sum(widths) + 3 * (len(widths) - 1)
            else:
                widths = natural
            t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                      header_style="bold")
            for (head, numeric), w in zip(cols, widths, strict=True):
                folds = cell_len(head) > w or any(
                    cell_len(x) > w for r in body for x in r[len(t.columns)].split("\n"))
                t.add_column(Text(head), justify="right" if numeric else "left",
                             overflow="fold" if folds else "ellipsis", no_wrap=not folds,
                             width=w)
            for row, style in zip(body, styles, strict=True):
                t.add_row(*(Text(c, style=style) for c in row))
            # below the narrowest layout the table keeps its widths and runs past
            # the edge rather than lose a figure
            wide = console if needed <= console.width else Console(
                file=sink, width=needed, force_terminal=color, no_color=not color,
                color_system="standard" if color else None, highlight=False,
                markup=False, emoji=False, soft_wrap=False)
            wide.print(t)
    else:
        console.print(Text("No unit to rank." if en else "没有可排名的单位。"))
    for line in notes(result, lang, names):
        console.print(Text(terminal(line)))
    if isinstance(sink, io.StringIO):
        out.write(_stripped(sink.getvalue()))


def _stripped(text: str) -> str:
    """Plain output without the padding rich leaves at line ends (stable diffs)."""
    return "".join(line.rstrip() + "\n" for line in text.splitlines())
