"""The ledgers `luoshi init --year Y` and `--blank` write: a clean start for a year.

A clerk starting a new year wants a ledger that validates with no findings today and
stays quiet until something is really owed.  So the starter ledger has no `done`
dates (nothing is done yet: LS203), no updates and no records (nothing reported or
scored yet), every task `planned` at 0 %, and every date inside the year.  The
monthly-report rule (LS601) asks for a report once the first one falls due: a task
that starts on 1 January owes January's report by 5 February.  Initialised during
its own year, the tasks start on the first day of the current month instead (the
months before it are not the new ledger's to report), and only the milestones from
then on are kept; a past year is judged at its end (`validate`'s default as-of), so
its tasks start on 1 December, as if initialised in its last month (init says so on
stderr: back-filling a past year means real start dates and monthly updates) — so
`luoshi validate` (`--strict` too) right after `init` is clean on any day.

`--blank` is the smallest ledger that validates: luoshi.yaml with one category,
units.yaml with two units and a leader, and one sample task, every field explained
in a comment.  Both come in Chinese and (`--lang en`) in English, with `language:`
set to match, so that the commands answer in the ledger's language.
"""

from __future__ import annotations

from datetime import date

from ..core.labels import STATUS

#: quarter ends: the starter tasks' milestones are taken from these
_QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def task_start(year: int, today: date) -> date:
    """When the starter tasks start: 1 January, or — initialised during the year —
    the first day of the current month (never later than 1 December); for a year
    already over, 1 December (it is judged at its end: the months before would all
    owe a monthly report)."""
    if today.year < year:
        return date(year, 1, 1)
    if today.year > year:
        return date(year, 12, 1)
    return date(year, min(today.month, 12), 1)


def _dues(year: int, start: date, quarters: tuple[int, ...]) -> list[date]:
    """The chosen quarter ends on or after `start`; the year's end at least."""
    out = [date(year, *_QUARTER_ENDS[q - 1]) for q in quarters]
    kept = [d for d in out if d >= start]
    return kept or [date(year, 12, 31)]


def starter_files(year: int, lang: str, *, blank: bool, today: date) -> dict[str, str]:
    """The ledger's files: path from the ledger root → text (without the modeline)."""
    start = task_start(year, today)
    en = lang == "en"
    files = {"luoshi.yaml": (_config_en if en else _config_zh)(year, blank),
             "units.yaml": _UNITS_EN if en else _UNITS_ZH}
    if blank:
        files["tasks/sample.yaml"] = _sample(year, start, en)
        return files
    for name, tasks in (_TASKS_EN if en else _TASKS_ZH).items():
        files[f"tasks/{name}.yaml"] = _task_file(tasks, year, start, en)
    files["scheme.yaml"] = (_SCHEME_EN if en else _SCHEME_ZH).format(year=year)
    return files


# ---- luoshi.yaml ------------------------------------------------------------------------

def _config_zh(year: int, blank: bool) -> str:
    cats = ("  - {id: key, name: 重点任务}\n" if blank else
            "  - {id: econ, name: 经济发展, group: 第一专项推进组}\n"
            "  - {id: city, name: 城市建设, group: 第二专项推进组}\n"
            "  - {id: people, name: 民生保障, group: 第三专项推进组}\n")
    return (
        "# 台账配置：每个台账目录一个 luoshi.yaml\n"
        f"title: {year}年度重点任务抓落实台账  # 台账标题，也是通报的抬头\n"
        "issuer: 区委督查室                  # 发文单位\n"
        f"year: {year}                          # 台账年度：月度进展、考核记录都按这一年判断\n"
        "language: zh                        # 输出语言：zh（中文）或 en（英文）\n"
        "warn_days: 7                        # 节点到期前 7 天内亮黄灯\n"
        "progress_tolerance: 10              # 落后序时进度超过 10 个百分点亮黄灯\n"
        "reporting: {cadence: monthly, day: 5}  # 报送节奏：每月 5 日前报送上月进展\n"
        "categories:                         # 类别：任务的 category 写这里的 id\n"
        + cats)


def _config_en(year: int, blank: bool) -> str:
    cats = ("  - {id: key, name: Key tasks}\n" if blank else
            "  - {id: econ, name: Economic development, group: Working group 1}\n"
            "  - {id: city, name: Urban development, group: Working group 2}\n"
            "  - {id: people, name: Public services, group: Working group 3}\n")
    return (
        "# Ledger configuration: one luoshi.yaml per ledger folder\n"
        f"title: Key tasks ledger {year}   # the ledger's title, also the bulletin heading\n"
        "issuer: District Supervision Office  # who issues the bulletins\n"
        f"year: {year}                       # the ledger year: updates and records are judged "
        "against it\n"
        "language: en                     # output language: en (English) or zh (Chinese)\n"
        "warn_days: 7                     # a milestone due within 7 days is yellow\n"
        "progress_tolerance: 10           # more than 10 points behind expected progress is "
        "yellow\n"
        "reporting: {cadence: monthly, day: 5}  # progress of a month is reported by the 5th "
        "of the next\n"
        "categories:                      # categories: a task's category names one of these "
        "ids\n"
        + cats)


# ---- units.yaml -------------------------------------------------------------------------

_UNITS_ZH = """\
# 单位和领导：任务、考核记录中写它们的 id（小写字母、数字、- 或 _），不写名称
units:
  # kind 是单位类型（自由文本），可按类型分组排名；assessed: false 表示不参加考核
  - {id: fgj, name: 区发展和改革局, kind: department}
  - {id: zjj, name: 区住房和城乡建设局, kind: department}
  - {id: mzj, name: 区民政局, kind: department}
  - {id: dongguan, name: 东关街道, kind: subdistrict}
  - {id: ducha, name: 区委督查室, kind: office, assessed: false}
leaders:
  # 包抓领导：title 是职务
  - {id: wang-fqz, name: 王某某, title: 副区长}
  - {id: li-fqz, name: 李某某, title: 副区长}
"""

_UNITS_EN = """\
# Units and leaders: tasks and records name them by id (lowercase letters, digits, - or _)
units:
  # kind is free text (units can be ranked by kind); assessed: false = not assessed
  - {id: drc, name: District Development and Reform Commission, kind: department}
  - {id: housing, name: District Housing and Construction Bureau, kind: department}
  - {id: civil, name: District Civil Affairs Bureau, kind: department}
  - {id: east-gate, name: East Gate Subdistrict, kind: subdistrict}
  - {id: office, name: District Supervision Office, kind: office, assessed: false}
leaders:
  # the leaders accountable for tasks; title is their post
  - {id: wang, name: Wang Ming, title: Deputy District Head}
  - {id: li, name: Li Hua, title: Deputy District Head}
"""


# ---- tasks ------------------------------------------------------------------------------

def _sample(year: int, start: date, en: bool) -> str:
    dues = _dues(year, start, (2, 4))
    if en:
        ms = "\n".join(f"    - {{due: {d}, standard: {s}}}" for d, s in zip(
            dues, ("10 projects started", "20 projects started")[-len(dues):], strict=True))
        return f"""\
# A task file holds one task, or a list of tasks (each starting with -)
- id: T-001                   # task id: unique in the ledger (letters, digits, . _ -)
  title: "Sample: start the year's key projects"  # the task's title
  category: key               # the id of a category in luoshi.yaml
  lead: drc                   # the lead unit: a unit id from units.yaml (not its name)
  units: [east-gate]          # responsible units: unit ids, may be empty []
  leaders: [wang]             # the accountable leaders: 1 or 2 leader ids
  start: {start}          # start date, YYYY-MM-DD
  standard: At least 20 projects started in the year  # what "done" means
  milestones:                 # at least one, due dates increasing; add done: DATE when met
{ms}
  status: planned             # planned | in_progress | done | closing | closed | suspended
  progress: 0                 # percent 0-100 (100 only when done, closing or closed)
  updates: []                 # monthly reports, e.g. {{month: "{year}-01", progress: 10, note: sites chosen}}
"""
    ms = "\n".join(f"    - {{due: {d}, standard: {s}}}" for d, s in zip(
        dues, ("开工 10 个", "开工 20 个")[-len(dues):], strict=True))
    # the status words are core.labels' (the ones status tables and bulletins print)
    statuses = " | ".join(f"{value} {word.zh}" for value, word in STATUS.items())
    return f"""\
# 任务文件：可以写一个任务，或一个任务列表（每项以 - 开头）
- id: T-001                   # 任务编号：台账内唯一（字母、数字、. _ -）
  title: 示例任务：推进重点项目开工建设  # 任务名称
  category: key               # 类别：luoshi.yaml 中类别的 id
  lead: fgj                   # 牵头单位：units.yaml 中单位的 id（不写名称）
  units: [dongguan]           # 责任单位：单位 id 列表，可为空 []
  leaders: [wang-fqz]         # 包抓领导：1–2 个领导 id
  start: {start}          # 开始日期 YYYY-MM-DD
  standard: 全年开工重点项目不少于 20 个  # 完成标准
  milestones:                 # 序时节点：至少一个，到期日递增；完成后加上 done: 完成日期
{ms}
  status: planned             # 状态：{statuses}
  progress: 0                 # 进度百分比 0–100（100 只用于 done、closing、closed）
  updates: []                 # 月度进展，每月一条，如 {{month: "{year}-01", progress: 10, note: 完成选址}}
"""


#: file → tasks: (id, title, category, lead, units, leaders, standard, quarters, standards)
_Task = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], str, tuple[int, ...],
              tuple[str, ...]]

_TASKS_ZH: dict[str, list[_Task]] = {
    "econ": [
        ("JJ-01", "推进重点项目开工建设", "econ", "fgj", ("dongguan",), ("wang-fqz",),
         "全年开复工重点项目不少于 30 个", (1, 2, 3, 4),
         ("开工 5 个", "开工 15 个", "开工 24 个", "开复工 30 个")),
        ("JJ-02", "优化营商环境", "econ", "fgj", (), ("wang-fqz",),
         "政务服务事项全部实现网上可办", (2, 4), ("完成事项梳理", "全部上线运行")),
    ],
    "city": [
        ("CS-01", "老旧小区改造", "city", "zjj", ("dongguan",), ("li-fqz",),
         "完成 12 个老旧小区改造", (2, 3, 4), ("完成设计招标", "开工 12 个", "完工验收 12 个")),
    ],
    "people": [
        ("MS-01", "社区养老服务中心建设", "people", "mzj", ("dongguan",), ("li-fqz",),
         "建成社区养老服务中心 3 个", (2, 4), ("完成选址", "建成投用 3 个")),
    ],
}

_TASKS_EN: dict[str, list[_Task]] = {
    "econ": [
        ("EC-01", "Start construction of key projects", "econ", "drc", ("east-gate",),
         ("wang",), "At least 30 key projects under construction in the year", (1, 2, 3, 4),
         ("5 started", "15 started", "24 started", "30 under construction")),
        ("EC-02", "Improve the business environment", "econ", "drc", (), ("wang",),
         "Every government service available online", (2, 4),
         ("Services listed", "All services online")),
    ],
    "city": [
        ("CT-01", "Renovate old residential compounds", "city", "housing", ("east-gate",),
         ("li",), "12 old compounds renovated", (2, 3, 4),
         ("Design tendered", "12 started", "12 completed and accepted")),
    ],
    "people": [
        ("PS-01", "Build community elderly-care centres", "people", "civil", ("east-gate",),
         ("li",), "3 community elderly-care centres open", (2, 4),
         ("Sites chosen", "3 centres open")),
    ],
}


def _task_file(tasks: list[_Task], year: int, start: date, en: bool) -> str:
    head = ("# Tasks of this category; the comments in luoshi.yaml and the schema explain "
            "each field\n" if en else
            "# 本类别的任务；各字段的含义见编辑器提示（luoshi schema）\n")
    parts = []
    for tid, title, cat, lead, units, leaders, standard, quarters, stds in tasks:
        dues = _dues(year, start, quarters)
        by_due = dict(zip((date(year, *_QUARTER_ENDS[q - 1]) for q in quarters), stds,
                          strict=True))
        ms = "".join(f"    - {{due: {d}, standard: {by_due.get(d, stds[-1])}}}\n"
                     for d in dues)
        parts.append(
            f"- id: {tid}\n"
            f"  title: {title}\n"
            f"  category: {cat}\n"
            f"  lead: {lead}\n"
            f"  units: [{', '.join(units)}]\n"
            f"  leaders: [{', '.join(leaders)}]\n"
            f"  start: {start}\n"
            f"  standard: {standard}\n"
            f"  milestones:\n{ms}"
            "  status: planned\n"
            "  progress: 0\n")
    return head + "\n".join(parts)


# ---- scheme.yaml ------------------------------------------------------------------------

_SCHEME_ZH = """\
# 考核办法：同级权重之和为 100；每季度在 records/ 下写一个考核记录（如 records/{year}-Q1.yaml）
id: kaohe-{year}
title: {year}年度重点任务落实情况考核办法
cadence: quarterly              # 按季度考核
rounding: {{places: 2}}           # 保留两位小数，四舍五入
components:
  - id: delivery
    name: 重点任务落实成效       # 按台账任务计算：时效 30% + 质量 70%
    weight: 60
    source: tasks
    timeliness: 30
    quality: 70
  - id: daily
    name: 日常工作               # 在考核记录的 scores 中打分（0–100）
    weight: 40
deductions:                     # 负面清单（倒扣分）
  floor: 0
  categories:
    - {{id: late-report, name: 未按时报送进展, min: 1, max: 2}}
    - {{id: formalism, name: 形式主义、官僚主义, min: 3, max: 5}}
grades:                         # 等次：从高到低，最后一档 min 为 0
  - {{name: 优秀, min: 90}}
  - {{name: 良好, min: 80}}
  - {{name: 一般, min: 70}}
  - {{name: 较差, min: 0}}
interview_bottom: 1             # 排名最后 1 名列入约谈
"""

_SCHEME_EN = """\
# The assessment scheme: sibling weights sum to 100; each quarter, write a record
# under records/ (e.g. records/{year}-Q1.yaml)
id: assessment-{year}
title: Assessment of key tasks {year}
cadence: quarterly              # assessed every quarter
rounding: {{places: 2}}           # two decimals, rounded half up
components:
  - id: delivery
    name: Delivery of key tasks   # computed from the tasks: timeliness 30% + quality 70%
    weight: 60
    source: tasks
    timeliness: 30
    quality: 70
  - id: daily
    name: Day-to-day work         # scored 0-100 under scores in each record
    weight: 40
deductions:                     # the negative list
  floor: 0
  categories:
    - {{id: late-report, name: Progress reported late, min: 1, max: 2}}
    - {{id: formalism, name: Formalism and red tape, min: 3, max: 5}}
grades:                         # best first; the last min is 0
  - {{name: Excellent, min: 90}}
  - {{name: Good, min: 80}}
  - {{name: Fair, min: 70}}
  - {{name: Poor, min: 0}}
interview_bottom: 1             # the bottom unit is marked for interview
"""
