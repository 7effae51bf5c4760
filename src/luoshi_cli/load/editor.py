"""What editors get from a ledger: the JSON Schemas with words and this ledger's ids.

`load.schema.json_schema` is the format as the validator reads it.  A clerk typing
in VS Code (the redhat YAML extension, yaml-language-server) needs more: a
description on every key (hovered or shown beside the completion, in the ledger's
language) and, for the keys that name a unit, leader, category or tag, the ids this
ledger declares with their names (`lead:` completes to `zjj` shown as 区住建局).

`editor_schema` adds both to `json_schema`, so the editor and `luoshi validate`
still agree on the shape.  The modeline helpers say where the schemas sit in a
ledger (`SCHEMA_DIR`) and write the `# yaml-language-server: $schema=…` line that
points a file at its schema — `luoshi init`, `luoshi schema` and `luoshi import`
share them, so every file luoshi writes points at the same place.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.codes import L
from ..core.labels import STATUS
from ..core.safetext import INVISIBLE, printable

if TYPE_CHECKING:
    from ..core.model import Files, Ledger

#: where `luoshi init` and `luoshi schema` put the schemas inside a ledger
SCHEMA_DIR = ".luoshi/schema"

#: ledger file kinds with a schema, in the order `luoshi schema` writes them
KINDS = ("config", "units", "tasks", "scheme", "record", "supervision")

#: the default layout: file (or folder/) → its kind
_KIND_OF = (("luoshi.yaml", "config"), ("units.yaml", "units"), ("scheme.yaml", "scheme"),
            ("tasks/", "tasks"), ("records/", "record"), ("supervision/", "supervision"))

#: the key of `files:` (luoshi.yaml) that places each kind; luoshi.yaml itself is fixed
_FILES_KEY = {"units": "units", "tasks": "tasks", "scheme": "scheme", "record": "records",
              "supervision": "supervision"}


def editor_globs(files: Files | None = None) -> dict[str, list[str]]:
    """The globs `.vscode/settings.json` maps to each schema: the ledger's own `files:`
    patterns (SPEC §3; the defaults when None), as editor globs relative to the
    workspace (`/tasks/*.yaml`).  A kind whose pattern names nothing (`a/../b/*.yaml`,
    which luoshi reads nothing by either) maps to no file.

    The same files as luoshi reads, not a fixed layout: `files: {units: org.yaml,
    tasks: 任务/*.yaml}` left every file of such a ledger without its schema.  And no
    more: the default `tasks/*.yaml` is not `tasks/**/*.yml`, which luoshi leaves
    unread (LS023), so the editor shows no task schema on a file validate skips."""
    from ..core.model import Files

    files = files or Files()
    out = {"config": ["/luoshi.yaml"]}
    for kind, key in _FILES_KEY.items():
        glob = _editor_glob(getattr(files, key))
        out[kind] = [glob] if glob is not None else []
    return {k: out[k] for k in KINDS}


#: the characters every glob dialect yaml-language-server has read `yaml.schemas` with
#: takes as themselves (picomatch with bash rules; before it, vscode-json-languageservice's
#: createRegex): ASCII letters and digits, `-`, `_`, `.` and the space; beyond ASCII,
#: letters, numbers, punctuation and symbols (`任务`, `（`)
_PLAIN = frozenset("-_. ")
#: at most this many `*` in a segment and `**` segments in a pattern (see `_editor_glob`)
_MOST_STARS = 2


def _editor_glob(pattern: str) -> str | None:
    """luoshi's glob (`core.globs`) as a workspace-relative editor glob, or None when it
    names nothing.  `*`, `**` and `?` mean in the editor what they mean to luoshi (`*`
    and `?` within one segment, neither matching a hidden name).  Everything else is
    ledger text going into an editor's settings, read by another glob dialect, so it
    is made inert there, only ever widening the match by a character: a bracket
    expression (`[0-9]`, `[!x]`, read differently by each dialect) and any character
    outside `_PLAIN` (`{a,b}`, `(x|y)`, `!`, `\\`, an invisible or control character)
    become `?`, one character.  Beyond two `*` in a segment or two `**` in the
    pattern, the middle is dropped (`a*b*c*d` → `a*d`, `x/**/y/**/z/**/t` → `x/**/t`):
    the editor's regex of a many-star glob backtracks, in time that grows with the
    power of the stars, on each file name it tries."""
    from ..core.globs import bracket_end, segments

    segs = segments(pattern)
    if segs is None:
        return None
    out: list[str] = []
    for seg in segs:
        if seg == "**":
            if not out or out[-1] != "**":
                out.append(seg)
            continue
        text = ""
        i = 0
        while i < len(seg):
            c = seg[i]
            if c == "[" and (j := bracket_end(seg, i)) != -1:
                text += "?"
                i = j
            elif c == "*":
                text += "" if text.endswith("*") else "*"
            else:
                text += c if c == "?" or _plain(c) else "?"
            i += 1
        if text.count("*") > _MOST_STARS:
            text = text[:text.index("*") + 1] + text[text.rindex("*") + 1:]
        out.append(text)
    if out.count("**") > _MOST_STARS:
        first = out.index("**")
        out = out[:first + 1] + ([] if out[-1] == "**" else [out[-1]])
    return "/" + "/".join(out)


def _plain(c: str) -> bool:
    if c.isascii():
        return c.isalnum() or c in _PLAIN
    # a Hangul filler is a letter (Lo), U+2800 a symbol: invisible all the same
    return unicodedata.category(c)[0] in "LNPS" and INVISIBLE.match(c) is None


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def kind_of_file(rel: str) -> str | None:
    """The schema kind of ledger file `rel` in the default layout, or None."""
    if not rel.endswith((".yaml", ".yml")):
        return None
    return next((k for prefix, k in _KIND_OF
                 if rel == prefix or (prefix.endswith("/") and rel.startswith(prefix))), None)


def modeline(rel: str, kind: str | None = None) -> str | None:
    """The first line that points ledger file `rel` (a path from the ledger root) at
    its schema, relative to the file; None for a file without a schema."""
    kind = kind or kind_of_file(rel)
    if kind is None:
        return None
    up = "../" * rel.count("/")
    return f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{schema_file(kind)}\n"


def with_modeline(rel: str, data: bytes, kind: str | None = None) -> bytes:
    """`data` of ledger file `rel` with the modeline as its first line (after a BOM);
    unchanged when it has one already or the file has no schema."""
    line = modeline(rel, kind)
    if line is None or b"yaml-language-server" in data:
        return data
    bom = b"\xef\xbb\xbf"
    if data.startswith(bom):
        return bom + line.encode() + data[len(bom):]
    return line.encode() + data


# ---- this ledger's ids -------------------------------------------------------------

@dataclass(frozen=True)
class Refs:
    """The ids a ledger declares, each with its name: what completes a reference."""

    units: tuple[tuple[str, str], ...] = ()
    leaders: tuple[tuple[str, str], ...] = ()
    categories: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    deduction_categories: tuple[tuple[str, str], ...] = ()
    bonus_categories: tuple[tuple[str, str], ...] = ()
    #: leader titles (副区长), shown beside their names
    titles: dict[str, str] = field(default_factory=dict)


def refs_of(ledger: Ledger) -> Refs:
    scheme = ledger.scheme
    return Refs(
        units=tuple((u.id, u.name) for u in ledger.units.values()),
        leaders=tuple((p.id, p.name) for p in ledger.leaders.values()),
        categories=tuple((c.id, c.name) for c in ledger.config.categories),
        tags=tuple((t.id, t.name) for t in ledger.config.tags),
        deduction_categories=tuple((c.id, c.name) for c in scheme.deduction_categories)
        if scheme is not None else (),
        bonus_categories=tuple((c.id, c.name) for c in scheme.bonus_categories)
        if scheme is not None else (),
        titles={p.id: p.title for p in ledger.leaders.values() if p.title},
    )


#: (definition, property) → which of `Refs` its value (or each list item) names
REFERENCES: dict[tuple[str, str], str] = {
    ("task", "lead"): "units",
    ("task", "units"): "units",
    ("task", "cooperating"): "units",
    ("task", "leaders"): "leaders",
    ("task", "category"): "categories",
    ("task", "tags"): "tags",
    ("closed", "approved_by"): "leaders",
    ("adjustment", "approved_by"): "leaders",
    ("ranking_group", "units"): "units",
    ("applies_to", "units"): "units",
    ("deduction", "unit"): "units",
    ("deduction", "category"): "deduction_categories",
    ("bonus", "unit"): "units",
    ("bonus", "category"): "bonus_categories",
    ("record_flag", "unit"): "units",
    ("interview", "unit"): "units",
    ("rectification", "unit"): "units",
    ("when", "deductions_in"): "deduction_categories",
    ("when", "bonuses_in"): "bonus_categories",
    ("deductions_count", "in"): "deduction_categories",
}


def editor_schema(kind: str, lang: str = "zh", refs: Refs | None = None) -> dict[str, Any]:
    """`json_schema(kind)` with a description on every property (in `lang`) and,
    given `refs`, enums of the ledger's ids (with their names as the enum
    descriptions VS Code shows) on the properties that reference them."""
    from .schema import SPECS, json_schema  # not at import: `luoshi --help` stays light

    doc = copy.deepcopy(json_schema(kind))
    for name, definition in doc["definitions"].items():
        spec = SPECS[name]
        definition["description"] = _say(spec.label, lang)
        for key, prop in definition["properties"].items():
            prop["description"] = _say(describe(name, key), lang)
            if _free_text(prop):
                prop["description"] += _say(QUOTE_HINT, lang)
            what = REFERENCES.get((name, key))
            if refs is not None and what is not None:
                _add_enum(prop, getattr(refs, what), refs.titles if what == "leaders" else {},
                          lang)
    return doc


#: the hint on a free-text key, which the schema lets take a number (validate warns,
#: LS017; JSON Schema has no warnings): the editor's hover says what validate will
QUOTE_HINT = L("（数字、true/false 等请加引号，否则 validate 警告 LS017）",
               " (quote a number or true/false: validate warns otherwise, LS017)")


def _free_text(prop: dict[str, Any]) -> bool:
    """The property is free text, or a list of it (`Text(strict=False)`)."""
    from .schema import FREE_TEXT_TYPES

    one = prop.get("items", prop) if prop.get("type") == "array" else prop
    return one.get("type") == list(FREE_TEXT_TYPES)


def _say(label: L, lang: str) -> str:
    return label.zh if lang == "zh" else label.en


def _add_enum(prop: dict[str, Any], ids: Iterable[tuple[str, str]],
              titles: dict[str, str], lang: str = "zh") -> None:
    pairs = list(ids)
    if not pairs:
        return  # nothing declared yet: an empty enum would reject every value
    target = prop["items"] if prop.get("type") == "array" else prop
    target["enum"] = [i for i, _ in pairs]
    # names are ledger text: VS Code shows them in the completion list, where a bidi
    # override would reverse what the user picks, and `schema -k` prints them to stdout
    paren = "{}（{}）" if lang == "zh" else "{} ({})"
    shown = [printable(paren.format(n, titles[i]) if i in titles else n) for i, n in pairs]
    target["enumDescriptions"] = shown
    target["markdownEnumDescriptions"] = [f"**{_md(s)}**" for s in shown]


def _md(text: str) -> str:
    """Ledger text as literal Markdown: a unit named `*A*_B` shows as written (the
    editor renders these as Markdown, and a name is not markup)."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in " ".join(text.split()))


_MD_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~")


# ---- the words -----------------------------------------------------------------------
# From SPEC §3 and §10–§12 (the glossary's terms) and the fixes in core/codes.py.

_KEYS: dict[str, L] = {
    "title": L("标题", "title"),
    "year": L("台账年度（如 2026）：月度进展、考核记录都按这一年判断",
              "the ledger year (e.g. 2026): updates and records are judged against it"),
    "issuer": L("发文单位（通报抬头）", "the issuing office (bulletin heading)"),
    "doc_no": L("文号，如 渭高考办发〔2021〕10号", "document number, e.g. 渭高考办发〔2021〕10号"),
    "language": L("台账语言：zh（默认）或 en，决定命令输出和通报的用语",
                  "ledger language: zh (default) or en, for CLI output and bulletins"),
    "warn_days": L("节点到期前多少天亮黄灯（默认 7）",
                   "a milestone due within this many days is yellow (default 7)"),
    "progress_tolerance": L("落后序时进度多少个百分点亮黄灯（默认 10）",
                            "points behind expected progress before yellow (default 10)"),
    "categories": L("类别列表", "the categories"),
    "files": L("各类文件的位置（glob，可省略，用默认值）",
               "where the files are (globs; optional, defaults shown in the spec)"),
    "max_file_mb": L("单个文件大小上限（MB，默认 64）", "largest file read, in MB (default 64)"),
    "description": L("说明", "description"),
    "cc": L("通报版记：抄送", "bulletin footer: copied to (抄送)"),
    "printed_by": L("通报版记：印发单位", "bulletin footer: printed by (印发)"),
    "tags": L("清单标签（任务榜、亮点牌等），写 luoshi.yaml 中 tags 的 id",
              "tags (lists such as 任务榜, 亮点牌): ids declared under tags in luoshi.yaml"),
    "reporting": L("报送节奏：cadence（monthly/dekad/weekly）和 day",
                   "the reporting rhythm: cadence (monthly/dekad/weekly) and day"),
    "lint": L("validate 报告哪些问题代码：select / ignore",
              "which finding codes validate reports: select / ignore"),
    "select": L("只报告这些问题代码（前缀，如 LS6）", "report only these codes (prefixes, e.g. LS6)"),
    "ignore": L("不报告这些问题代码（前缀）", "do not report these codes (prefixes)"),
    "group": L("专项推进组", "the working group (专项推进组) that owns it"),
    "planned": L("计划任务数：台账中的任务数不同时给出警告",
                 "planned number of tasks: a warning when the ledger holds another number"),
    "cadence": L("周期：quarterly（季度）、annual（年度）或 monthly（月度）",
                 "cadence: quarterly, annual or monthly"),
    "day": L("报送日：每月几号前（按月），或周几（按周，1=周一）",
             "due day: day of the month (monthly) or weekday (weekly, 1 = Monday)"),
    "units": L("单位", "units"),
    "tasks": L("任务 id 列表", "task ids"),
    "scheme": L("考核办法文件（默认 scheme.yaml）", "the scheme file (default scheme.yaml)"),
    "records": L("考核记录文件（默认 records/*.yaml）", "record files (default records/*.yaml)"),
    "supervision": L("督办文件（如 supervision/*.yaml）", "supervision files (e.g. supervision/*.yaml)"),
    "leaders": L("领导", "leaders"),
    "kind": L("类型", "kind"),
    "short": L("简称（表格中显示）", "short name (shown in tables)"),
    "assessed": L("是否参加考核：false 表示不参加（如负责打分的考核办）",
                  "assessed by the scheme? false for an office that only does the scoring"),
    "lead": L("牵头单位：写 units.yaml 中单位的 id（不是名称）",
              "lead unit: the id of a unit in units.yaml (not its name)"),
    "start": L("开始日期 YYYY-MM-DD", "start date YYYY-MM-DD"),
    "standard": L("完成标准", "completion standard (完成标准)"),
    "milestones": L("序时节点：至少一个，到期日严格递增",
                    "milestones (序时节点): at least one, due dates strictly increasing"),
    "status": L("状态：" + " | ".join(f"{v} {w.zh}" for v, w in STATUS.items()),
                "status: " + " | ".join(STATUS)),
    "progress": L("进度百分比 0–100（100 只用于 done、closing、closed）",
                  "progress in percent 0..100 (100 only when done, closing or closed)"),
    "cooperating": L("配合单位：单位 id 列表", "cooperating units: unit ids"),
    "updates": L("月度进展：month 严格递增，且在台账年度内",
                 "monthly updates: months strictly increasing, within the ledger year"),
    "closed": L("销号记录：状态为 closed 时必填，写明批准领导",
                "closing record: required for status closed, with the approving leader"),
    "flags": L("标记", "flags"),
    "locked": L("已锁定（当月清单已审定）：再修改节点、标准、单位、领导须写调整记录",
                "locked (the month's list is approved): changes need an adjustments entry"),
    "adjustments": L("调整记录：锁定任务的修改须经批准",
                     "adjustments: approved changes to a locked task"),
    "target": L("目标值", "target value"),
    "parent": L("上级任务 id（分解）", "parent task id (decomposition)"),
    "owners": L("责任人（自由文本）", "owners (free text)"),
    "unit_leaders": L("牵头单位领导（自由文本）", "the lead unit's leaders (free text)"),
    "value": L("目标数值", "target number"),
    "unit": L("单位", "unit"),
    "due": L("到期日 YYYY-MM-DD", "due date YYYY-MM-DD"),
    "done": L("完成日期 YYYY-MM-DD（不能晚于今天）", "date done YYYY-MM-DD (not in the future)"),
    "month": L("月份 YYYY-MM", "month YYYY-MM"),
    "problems": L("存在问题", "problems"),
    "actual": L("实际完成数（与 target 同单位）", "actual figure (same unit as the target)"),
    "evidence": L("销号依据（如验收报告）", "evidence (e.g. the acceptance report)"),
    "approved_by": L("批准领导：写 units.yaml 中领导的 id", "approving leader: a leader id"),
    "by": L("授予单位", "awarded by"),
    "field": L("调整的字段", "the field changed"),
    "reason": L("原因", "reason"),
    "components": L("考核指标树：同级权重之和为 100", "component tree: sibling weights sum to 100"),
    "rounding": L("取整：places 位小数，四舍五入", "rounding: places decimals, half up"),
    "deductions": L("负面清单（倒扣分）", "negative list (deductions)"),
    "grades": L("等次：从高到低，下限含本数，最后一档 min 为 0",
                "grades: best first, lower bound inclusive, last min 0"),
    "rules": L("等次规则（一票否决、降档等）", "grade rules (veto, downgrade, ...)"),
    "interview_bottom": L("排名最后几名列入约谈", "bottom N of the ranking are marked for interview"),
    "month_interview_bottom": L("月度排名最后几名列入约谈（默认同 interview_bottom；0：月度排名不约谈）",
                                "bottom N of a month's ranking marked for interview (default: "
                                "interview_bottom; 0: a month's ranking calls no one)"),
    "quarter_interview_bottom": L("季度排名最后几名列入约谈（默认同 interview_bottom；0：季度排名不约谈，"
                                  "只在年度排名约谈）",
                                  "bottom N of a quarter's ranking marked for interview (default: "
                                  "interview_bottom; 0: only the year's ranking calls units)"),
    "ranking_groups": L("排名分组（分类考核）", "ranking groups (分类考核)"),
    "bonuses": L("加分", "bonuses"),
    "cap": L("加分上限", "cap on bonuses in a period"),
    "ceiling": L("最终得分上限", "ceiling of the final score"),
    "min": L("下限", "minimum"),
    "max": L("上限", "maximum"),
    "kinds": L("单位类型（units.yaml 的 kind）", "unit kinds (kind in units.yaml)"),
    "places": L("小数位数", "decimal places"),
    "weight": L("权重（同级之和为 100）", "weight (siblings sum to 100)"),
    "scored_by": L("打分单位（自由文本）", "who scores it (free text)"),
    "children": L("下级指标", "child components"),
    "items": L("评分细项", "checklist items"),
    "source": L("来源：tasks 表示按台账任务计算（时效 + 质量）",
                "source: tasks computes it from the ledger's tasks (timeliness + quality)"),
    "timeliness": L("时效权重（与 quality 之和为 100）", "timeliness weight (sums to 100 with quality)"),
    "quality": L("质量权重（与 timeliness 之和为 100）", "quality weight (sums to 100 with timeliness)"),
    "credit": L("计分单位：lead 牵头 | responsible 含责任单位 | all 含配合单位",
                "credited units: lead | responsible | all"),
    "late_per_day": L("逾期每天扣减的时效百分比", "timeliness percent lost per day late"),
    "applies_to": L("适用范围（不适用的单位不考核此项）",
                    "applies to (other units are not assessed on it)"),
    "points": L("分值", "points"),
    "media_multiplier": L("媒体曝光时扣分倍数", "multiplier when exposed by the media"),
    "floor": L("最终得分下限", "floor of the final score"),
    "max_share": L("该等次最多占比（百分比）", "largest share of units with this grade (percent)"),
    "when": L("条件（全部满足时生效）", "conditions (all must hold)"),
    "max_grade": L("最高等次", "highest grade allowed"),
    "downgrade": L("降档数", "grades down"),
    "min_grade": L("最低等次", "lowest grade guaranteed"),
    "upgrade": L("升档数", "grades up"),
    "interview": L("列入约谈", "marked for interview"),
    "deductions_in": L("在这些负面清单类别中有扣分", "deductions in these categories"),
    "flag": L("标记类型（如 veto）", "flag kind (e.g. veto)"),
    "deductions_count": L("扣分次数条件（频发）", "number of deductions (incidents)"),
    "overdue_tasks": L("逾期任务数条件", "number of overdue tasks"),
    "bonuses_in": L("在这些加分类别中有加分", "bonuses in these categories"),
    "rectifications_overdue": L("逾期整改数条件", "number of overdue rectifications"),
    "rectifications_closed_late": L("本期超期完成（逾期后销号）的整改数条件",
                                    "number of rectifications closed after their deadline "
                                    "in the period"),
    "late_milestones": L("本期到期节点未按时完成数条件（含延期完成）",
                         "number of milestones due in the period and not done on time"),
    "in": L("负面清单类别 id", "deduction category ids"),
    "period": L("期间：YYYY-Qn（季度）、YYYY-MM（月度）或 YYYY（年度）",
                "period: YYYY-Qn (quarter), YYYY-MM (month) or YYYY (year)"),
    "scores": L("得分：单位 id → 指标 id → 0–100（或 n/a、不适用）",
                "scores: unit id → component id → 0..100 (or n/a)"),
    "date": L("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "media": L("被主流媒体曝光（扣分加倍）", "exposed by the media (points multiplied)"),
    "provisional": L("预扣分", "provisional deduction"),
    "restored": L("返还记录", "restored (the provisional points returned)"),
    "interviews": L("约谈", "interviews"),
    "rectifications": L("整改", "rectifications"),
    "opened": L("下发日期", "opened on"),
    "report": L("书面报告", "written report"),
    "note": L("备注", "note"),
    "id": L("id", "id"),
    "name": L("名称", "name"),
}

#: where a key means something else in one definition
_OVERRIDES: dict[tuple[str, str], L] = {
    ("config", "title"): L("台账标题（通报抬头）", "ledger title (bulletin heading)"),
    ("config", "tags"): L("清单标签：{id, name}，任务用 tags 引用",
                          "tags {id, name} that tasks name under tags"),
    ("config", "categories"): L("类别：{id, name, group}，任务用 category 引用",
                                "categories {id, name, group} that tasks name under category"),
    ("files", "units"): L("单位文件（默认 units.yaml）", "the units file (default units.yaml)"),
    ("files", "tasks"): L("任务文件（默认 tasks/*.yaml）", "task files (default tasks/*.yaml)"),
    ("units_file", "units"): L("单位：{id, name, kind}", "units {id, name, kind}"),
    ("units_file", "leaders"): L("领导：{id, name, title}", "leaders {id, name, title}"),
    ("unit", "kind"): L("单位类型（自由文本，如 department、subdistrict）",
                        "unit kind (free text, e.g. department, subdistrict)"),
    ("leader", "title"): L("职务（如 副区长）", "post (e.g. deputy district head)"),
    ("task", "title"): L("任务名称", "task title"),
    ("task", "category"): L("类别：写 luoshi.yaml 中类别的 id", "category: a category id from luoshi.yaml"),
    ("task", "units"): L("责任单位：单位 id 列表（可为空）", "responsible units: unit ids (may be empty)"),
    ("task", "leaders"): L("包抓领导：1–2 个领导 id", "leaders: 1 or 2 leader ids"),
    ("task", "flags"): L("红旗 / 黄牌", "red flags / yellow cards"),
    ("task", "target"): L("目标：{value, unit}", "target {value, unit}"),
    ("task", "id"): L("任务编号：台账内唯一", "task id, unique in the ledger"),
    ("task", "note"): L("备注", "note"),
    ("milestone", "standard"): L("节点完成标准", "what this milestone requires"),
    ("milestone", "target"): L("节点目标值（与任务 target 同单位）",
                               "milestone target (same unit as the task's)"),
    ("update", "progress"): L("当月报告的进度百分比", "progress reported that month (percent)"),
    ("update", "note"): L("当月进展情况", "what was done that month"),
    ("target", "unit"): L("计量单位（如 个、万元）", "unit of measure (e.g. 个, 万元)"),
    ("flag", "kind"): L("red_flag 红旗（表扬）或 yellow_card 黄牌（警示）",
                        "red_flag (praise) or yellow_card (warning)"),
    ("scheme", "id"): L("考核办法 id", "scheme id"),
    ("scheme", "title"): L("考核办法名称", "scheme title"),
    ("scheme", "cadence"): L("默认周期：quarterly | annual | monthly",
                             "default cadence: quarterly | annual | monthly"),
    ("bonuses", "categories"): L("加分类别：{id, name, min, max}", "bonus categories {id, name, min, max}"),
    ("deductions", "categories"): L("负面清单类别：{id, name, min, max}",
                                    "deduction categories {id, name, min, max}"),
    ("ranking_group", "units"): L("本组单位 id", "unit ids in this group"),
    ("applies_to", "units"): L("适用的单位 id", "unit ids it applies to"),
    ("component", "quality"): L("质量权重（与 timeliness 之和为 100）",
                                "quality weight (sums to 100 with timeliness)"),
    ("component", "cadence"): L("周期（下级继承）：quarterly | annual | monthly",
                                "cadence (inherited below): quarterly | annual | monthly"),
    ("item", "items"): L("下级细项（分值之和等于本项分值）",
                         "sub-items (their points sum to this item's)"),
    ("grade", "name"): L("等次名称（如 优秀）", "grade name (e.g. 优秀)"),
    ("grade", "min"): L("分数下限（含），最后一档为 0", "lowest score (inclusive); 0 for the last"),
    ("rule", "id"): L("规则 id（不显示给读者，通报显示 note）",
                      "rule id (never shown; bulletins print its note)"),
    ("rule", "note"): L("通报中显示的规则说明", "what bulletins print for the rule"),
    ("record", "items"): L("细项得分：单位 id → 指标 id → 细项 id → 分",
                           "checklist points: unit → component → item → points"),
    ("record", "quality"): L("任务质量分：任务 id → 0–100（或 单位 id → 分）",
                             "task quality: task id → 0..100 (or unit id → score)"),
    ("record", "flags"): L("标记（如 veto 一票否决）", "flags (e.g. veto)"),
    ("record", "deductions"): L("扣分记录", "deductions"),
    ("record", "bonuses"): L("加分记录", "bonuses"),
    ("deduction", "unit"): L("被扣分单位 id", "unit id"),
    ("deduction", "category"): L("负面清单类别 id", "deduction category id"),
    ("deduction", "points"): L("扣分（在类别的 min–max 之内）", "points (within the category's range)"),
    ("bonus", "unit"): L("加分单位 id", "unit id"),
    ("bonus", "category"): L("加分类别 id", "bonus category id"),
    ("bonus", "points"): L("加分（在类别的 min–max 之内）", "points (within the category's range)"),
    ("record_flag", "unit"): L("单位 id", "unit id"),
    ("record_flag", "kind"): L("标记类型（如 veto）", "flag kind (e.g. veto)"),
    ("restored", "approved_by"): L("批准人", "approved by"),
    ("interview", "unit"): L("被约谈单位 id", "unit id"),
    ("interview", "kind"): L("约谈类型（如 提醒谈话）", "kind of interview (e.g. 提醒谈话)"),
    ("interview", "by"): L("约谈单位", "by whom"),
    ("interview", "period"): L("所依排名的期间：YYYY-Qn（季度）、YYYY-MM（月度）或 YYYY（年度）",
                               "the ranking the talk follows: YYYY-Qn (quarter), YYYY-MM "
                               "(month) or YYYY (year)"),
    ("rectification", "unit"): L("整改单位 id", "unit id"),
    ("rectification", "source"): L("来源：red_light | interview | inspection | ranking | other",
                                   "source: red_light | interview | inspection | ranking | other"),
    ("rectification", "due"): L("整改期限", "due date"),
    ("rectification", "id"): L("整改编号", "rectification id"),
    # the task's `closed` speaks of its status, which a rectification has none of
    ("rectification", "closed"): L(
        "销号记录：整改完成并经批准后填写 {date, approved_by, evidence}；超过整改期限仍未销号为逾期，"
        "晚于期限销号计为超期完成",
        "closing record, written once the rectification is done and approved: {date, "
        "approved_by, evidence}; still open after its due date it is overdue, closed after "
        "it, closed late"),
}


@cache
def key_words(definition: str) -> dict[str, str]:
    """The Chinese words that name the keys of `definition` (a task's 任务名称 is its
    title, 牵头单位 its lead, a unit's 名称 its name): each key's description here, up
    to its first blank, bracket or colon (牵头单位：写 … → 牵头单位), when that is
    Chinese.  The schema offers the key for a key written so (`进度: 50`, LS101).
    Kept per definition: a ledger repeats its slip in every task."""
    out: dict[str, str] = {}
    for (where, key), label in _OVERRIDES.items():
        if where == definition:
            _word_of(label.zh, key, out)
    for key, label in _KEYS.items():
        _word_of(label.zh, key, out)
    return out


def _word_of(text: str, key: str, out: dict[str, str]) -> None:
    word = text
    for stop in (" ", "（", "(", "：", ":", "，", "、"):
        word = word.split(stop, 1)[0]
    if word and all("\u4e00" <= c <= "\u9fff" for c in word):
        out.setdefault(word, key)


def describe(definition: str, key: str) -> L:
    """The words for one property: an override for this definition, else the key's."""
    from .schema import SPECS

    found = _OVERRIDES.get((definition, key)) or _KEYS.get(key)
    if found is None:
        raise KeyError(f"no description for {definition}.{key}")  # a test keeps this complete
    if key in ("id", "name") and (definition, key) not in _OVERRIDES:
        label = SPECS[definition].label
        en = label.en.removeprefix("a ").removeprefix("an ").removeprefix("the ")
        return L(f"{label.zh}{'编号' if key == 'id' else '名称'}", f"{en} {key}")
    return found


#: what `luoshi schema` (and `init`) leaves beside the schemas: each kind's fingerprint
#: (`schema_stamps`), so that `stale_schemas` need not read them
STAMPS = "stamps.json"
#: schemas written without stamps (by a luoshi before them) are compared whole, up to
#: this many bytes each (a ledger of a few hundred units); larger ones are not judged
_LEGACY_READ_LIMIT = 1024 * 1024


def schema_stamps(refs: Refs | None, kinds: Iterable[str] = KINDS) -> dict[str, str]:
    """Each kind's fingerprint as `luoshi schema` writes it: the format it describes
    (`json_schema`) and, with `refs`, the ids, names and titles its keys list — what
    the editor checks by.  Not the language of the descriptions: schemas in either
    language are current.  Written with `refs` whose lists are empty it differs from
    `--generic` (None): the first unit added then makes it out of date."""
    import hashlib
    import json

    from .schema import json_schema

    digests: dict[str, bytes] = {}

    def listed(what: str) -> bytes:
        if what not in digests:
            assert refs is not None
            pairs = getattr(refs, what)
            titles = refs.titles if what == "leaders" else {}
            digests[what] = hashlib.sha256(json.dumps(
                [[i, n, titles.get(i)] for i, n in pairs], ensure_ascii=False).encode()
            ).digest()
        return digests[what]

    out = {}
    for kind in kinds:
        doc = json_schema(kind)
        h = hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode())
        if refs is None:
            h.update(b"generic")
        else:
            definitions = doc["definitions"]
            for (name, key), what in sorted(REFERENCES.items()):
                if key in definitions.get(name, {}).get("properties", {}):
                    h.update(f"{name}.{key}:".encode() + listed(what))
        out[kind] = h.hexdigest()
    return out


def stale_schemas(root: Path, refs: Refs) -> tuple[str, ...]:
    """The kinds whose schema in `<root>/.luoshi/schema` is not what `luoshi schema`
    would write now: a unit, leader, category or tag added, renamed or removed since
    (the editor then underlines a valid new id), or a luoshi upgrade that changed the
    format.  Judged by the stamps written beside them (`schema_stamps`: a few
    milliseconds whatever the ledger's size — reading and comparing the schemas of
    10,000 units took 0.34 s); schemas written without stamps (an older luoshi) are
    compared whole while they are small.  Schemas written `--generic` list no ids and
    stay current.  Only regular files inside the ledger are read — a committed
    `.luoshi -> /elsewhere` is not followed — and a file that is missing, unreadable
    or not JSON is not judged: this is a hint, asked only of a ledger that validates.

    Why: the id lists are a snapshot of units.yaml and luoshi.yaml when the schemas
    were written; without this note, a clerk who adds a unit sees every task naming
    it underlined in red while `luoshi validate` says all is well."""
    import json

    directory = root / SCHEMA_DIR
    if not directory.is_dir():
        return ()
    stamps: Any = None
    raw = _read_inside(directory / STAMPS, root, 64 * 1024)
    if raw is not None:
        try:
            stamps = json.loads(raw)
        except (ValueError, RecursionError):
            stamps = None
    if not isinstance(stamps, dict):
        stamps = {}
    current = generic = None
    stale = []
    for kind in KINDS:
        stamp = stamps.get(kind)
        if isinstance(stamp, str):
            if not _regular_inside(directory / schema_file(kind), root):
                continue
            if current is None:
                current, generic = schema_stamps(refs), schema_stamps(None)
            assert generic is not None
            if stamp not in (current[kind], generic[kind]):
                stale.append(kind)
        elif _legacy_stale(directory / schema_file(kind), root, kind, refs):
            stale.append(kind)
    return tuple(stale)


def _legacy_stale(path: Path, root: Path, kind: str, refs: Refs) -> bool:
    """A schema written without a stamp, compared whole with what `luoshi schema` would
    write now in either language, without the descriptions (`_without_words`)."""
    import json

    text = _read_inside(path, root, _LEGACY_READ_LIMIT)
    if text is None:
        return False
    try:
        written = json.loads(text)
        if not isinstance(written, dict):
            return False
        ids = refs if _has_ids(written) else None
        written = _without_words(written)
    except (ValueError, RecursionError):  # not JSON, or nested past any schema
        return False
    return all(written != _without_words(editor_schema(kind, lang, ids))
               for lang in ("zh", "en"))


def _regular_inside(path: Path, root: Path) -> bool:
    import os
    import stat

    try:
        return (Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
                and stat.S_ISREG(os.lstat(path).st_mode))
    except (OSError, ValueError):
        return False


def _read_inside(path: Path, root: Path, limit: int) -> bytes | None:
    """`path`'s bytes when it is a regular file inside `root` reached through no
    link (checked on the open file), at most `limit` bytes; else None."""
    import os
    import stat

    try:
        if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
            return None
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        try:
            data = f.read(limit + 1)
        except OSError:
            return None
    return data if len(data) <= limit else None


def _has_ids(written: dict[str, Any]) -> bool:
    """Whether a written schema lists the ledger's ids anywhere (else it was written
    `--generic`): an `enum` on a property that names a unit, leader, category or tag
    (`REFERENCES`; a status's enum is the format's, not the ledger's)."""
    definitions = written.get("definitions")
    if not isinstance(definitions, dict):
        return False
    for (name, key) in REFERENCES:
        definition = definitions.get(name)
        props = definition.get("properties") if isinstance(definition, dict) else None
        prop = props.get(key) if isinstance(props, dict) else None
        if isinstance(prop, dict):
            items = prop.get("items")
            if "enum" in prop or (isinstance(items, dict) and "enum" in items):
                return True
    return False


#: what the whole comparison of `_legacy_stale` leaves out: the words, which depend on
#: the language the schemas were written in
_WORDS = frozenset({"description"})


def _without_words(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_words(v) for k, v in node.items() if k not in _WORDS}
    if isinstance(node, list):
        return [_without_words(v) for v in node]
    return node
