"""Rebuilds the ledgers under tests/cases/{valid,invalid}/ (python tests/cases/make_cases.py).

The folders are committed; this script documents how each one differs from the base
ledger, and regenerates them if the base changes.  Expected outputs live beside each
ledger in expected.txt (LUOSHI_UPDATE_CASES=1 pytest tests/test_cases.py rewrites them).
"""
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CONFIG = """title: 测试台账
issuer: 测试区委办公室
year: 2024
categories:
  - {id: econ, name: 经济发展, group: 第一专项推进组}
  - {id: city, name: 城市建设}
"""
UNITS = """units:
  - {id: fgw, name: 区发改委, kind: department}
  - {id: zhangjiacun, name: 张家村街道, kind: subdistrict}
  - {id: jiaoyuju, name: 区教育局, kind: department}
leaders:
  - {id: li-fuqu, name: 李某某, title: 副区长}
  - {id: wang-fuqu, name: 王某某, title: 副区长}
"""
TASK = """- id: T-001
  title: 推进重点项目开工建设
  category: econ
  lead: fgw
  units: [zhangjiacun]
  leaders: [li-fuqu]
  start: 2024-01-01
  standard: 全年开复工项目不少于350个
  milestones:
    - {due: 2024-03-31, standard: 完成前期手续, done: 2024-03-28}
    - {due: 2024-06-30, standard: 开工200个}
    - {due: 2024-12-31, standard: 开复工350个}
  status: in_progress
  progress: 45
  updates:
    - {month: "2024-04", progress: 35, note: 已开工160个}
    - {month: "2024-05", progress: 45, note: 已开工190个}
"""
SCHEME = """id: test-scheme
title: 测试考核办法
cadence: quarterly
rounding: {places: 2}
components:
  - id: special
    name: 专项任务考核
    weight: 80
    children:
      - id: push
        name: 大推进
        weight: 60
        items:
          - id: party
            name: 党建工程
            points: 50
            items:
              - {id: p1, name: 办实事, points: 25}
              - {id: p2, name: 快速响应, points: 25}
          - {id: other, name: 其他, points: 50}
      - {id: hotline, name: 12345办理, weight: 40}
  - id: democratic
    name: 民主测评
    weight: 20
    cadence: annual
    children:
      - {id: leadership, name: 班子测评, weight: 100}
deductions:
  media_multiplier: 2
  floor: 0
  categories:
    - {id: values, name: 价值观偏差, min: 8, max: 10}
    - {id: slack, name: 混日子, min: 2, max: 4}
grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 70}
  - {name: 较差, min: 0}
rules:
  - {id: style-cap, when: {deductions_in: [values]}, max_grade: 一般}
interview_bottom: 1
"""
RECORD = """period: 2024-Q1
scores:
  fgw: {hotline: 90}
  zhangjiacun: {hotline: 85.5}
items:
  fgw: {push: {p1: 20, p2: 25, other: 40}}
  zhangjiacun: {push: {p1: 25, p2: 20, other: 45}}
deductions:
  - {unit: zhangjiacun, category: slack, date: 2024-02-10, points: 3, media: false, reason: 迟到早退}
"""

def case(kind, name, files, as_of="2024-05-31", lang="en", base=True):
    d = ROOT / kind / name
    if d.exists():
        shutil.rmtree(d)
    all_files = {"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/econ.yaml": TASK} if base else {}
    all_files.update(files)
    for rel, content in all_files.items():
        if content is None:
            continue
        p = d / "ledger" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    (d / "case.yaml").write_text(f"as_of: {as_of}\nlang: {lang}\n", encoding="utf-8")

# ---- valid -------------------------------------------------------------------------
case("valid", "task-ledger", {})
case("valid", "scheme-and-record", {"scheme.yaml": SCHEME, "records/2024-Q1.yaml": RECORD,
     "units.yaml": UNITS.replace("kind: department}\n  - {id: zhangjiacun", "kind: department}\n  - {id: zhangjiacun").replace(
         "{id: jiaoyuju, name: 区教育局, kind: department}", "{id: jiaoyuju, name: 区教育局, kind: department, assessed: false}")},
     lang="zh")
case("valid", "quoted-traps", {"units.yaml": UNITS.replace("- {id: jiaoyuju, name: 区教育局, kind: department}",
     "- {id: \"0571\", name: 区教育局, kind: \"no\"}"),
     "tasks/econ.yaml": TASK.replace("title: 推进重点项目开工建设", "title: \"12:30\"").replace("id: T-001", "id: \"2024.10\"")})
case("valid", "bom-crlf", {"tasks/econ.yaml": b"\xef\xbb\xbf" + TASK.replace("\n", "\r\n").encode()})
case("valid", "single-task-mapping", {"tasks/econ.yaml": TASK.replace("- id", "id").replace("\n  ", "\n")})

# ---- invalid: YAML level ------------------------------------------------------------
case("invalid", "duplicate-key", {"tasks/econ.yaml": TASK.replace("  status: in_progress\n", "  status: in_progress\n  lead: zhangjiacun\n")})
case("invalid", "tab-indent", {"tasks/econ.yaml": TASK.replace("  category: econ", "\tcategory: econ")})
case("invalid", "syntax-bracket", {"tasks/econ.yaml": TASK.replace("units: [zhangjiacun]", "units: [zhangjiacun")})
case("invalid", "fullwidth-colon", {"luoshi.yaml": CONFIG.replace("issuer: 测试区委办公室", "issuer：测试区委办公室")})
case("invalid", "not-a-real-date", {"tasks/econ.yaml": TASK.replace("due: 2024-06-30", "due: 2024-02-30")})
case("invalid", "yaml11-traps", {"units.yaml": UNITS.replace("id: jiaoyuju", "id: 0571").replace("kind: department}\n  - {id: zhangjiacun", "kind: no}\n  - {id: zhangjiacun"),
     "tasks/econ.yaml": TASK.replace("title: 推进重点项目开工建设", "title: 1:30").replace("id: T-001", "id: no")})
bomb = "lol0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
case("invalid", "alias-bomb", {"tasks/bomb.yaml": bomb})
case("invalid", "file-too-large", {"luoshi.yaml": CONFIG + "max_file_mb: 0.001\n", "tasks/big.yaml": TASK.replace("T-001", "T-002") + "# " + "x" * 2000 + "\n"})
case("invalid", "gbk-encoding", {"tasks/gbk.yaml": TASK.replace("T-001", "T-002").encode("gb18030")})
# what git stores for a file tracked with `filter=lfs` (and a checkout without git-lfs holds)
case("invalid", "lfs-pointer", {"tasks/lfs.yaml": "version https://git-lfs.github.com/spec/v1\n"
     "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 4321\n"})
case("invalid", "binary-garbage", {"tasks/garbage.yaml": bytes(range(256)) * 4})
case("invalid", "empty-files", {"units.yaml": "", "tasks/empty.yaml": ""})
case("invalid", "missing-units", {"units.yaml": None})
case("invalid", "no-task-files", {"luoshi.yaml": CONFIG + "files:\n  tasks: plans/*.yaml\n"})
case("invalid", "unknown-keys", {"tasks/econ.yaml": TASK.replace("  standard: 全年", "  standrad: 全年").replace("status: in_progress", "status: in_progress\n  leaderz: [li-fuqu]")})
case("invalid", "ideographic-space", {"tasks/econ.yaml": TASK.replace("  standard: 全年开复工项目不少于350个", "\u3000\u3000standard: 全年开复工项目不少于350个")})
case("invalid", "multi-document", {"tasks/econ.yaml": TASK + "---\n" + TASK.replace("T-001", "T-009")})
case("invalid", "wrong-types", {"tasks/econ.yaml": TASK.replace("progress: 45\n  updates", "progress: 四十五\n  updates").replace("units: [zhangjiacun]", "units: zhangjiacun").replace("  start: 2024-01-01", "  start: 2024/01/01").replace('month: "2024-05"', "month: 2024-5"), "luoshi.yaml": CONFIG.replace("year: 2024", "year: 2024\nlanguage: fr")})
# ---- invalid: references ------------------------------------------------------------
case("invalid", "unknown-references", {"tasks/econ.yaml": TASK.replace("lead: fgw", "lead: fgww").replace("leaders: [li-fuqu]", "leaders: [li-fuq]").replace("category: econ", "category: eco").replace("units: [zhangjiacun]", "units: [zhangjiacun, nobody]")})
case("invalid", "duplicate-task-ids", {"tasks/city.yaml": TASK.replace("category: econ", "category: city"),
                                       "units.yaml": UNITS + "  - {id: fgw, name: 重复, title: x}\n"})
# ---- invalid: task rules ------------------------------------------------------------
rules = TASK.replace("due: 2024-06-30, standard: 开工200个", "due: 2024-03-01, standard: 开工200个") \
    .replace("done: 2024-03-28", "done: 2024-06-28").replace('month: "2024-05"', 'month: "2024-04"')
rules += """- id: T-002
  title: 义务教育学位建设
  category: city
  lead: jiaoyuju
  leaders: [li-fuqu, wang-fuqu, li-fuqu]
  start: 2024-02-01
  standard: 新增学位2000个
  milestones:
    - {due: 2024-01-15, standard: 立项}
  status: closed
  progress: 120
  updates:
    - {month: "2023-12", progress: 10}
- id: T-003
  title: 老旧小区改造
  category: city
  lead: zhangjiacun
  leaders: []
  start: 2024-01-01
  standard: 改造20个小区
  milestones:
    - {due: 2024-12-31, standard: 完成改造}
  status: in_progress
  progress: 100
  closed: {date: 2024-05-01, evidence: 验收报告}
- id: T-004
  title: 无节点的任务
  category: city
  lead: fgw
  leaders: [li-fuqu]
  start: 2024-01-01
  standard: 无
  milestones: []
  status: planned
  progress: 0
"""
case("invalid", "task-rules", {"tasks/econ.yaml": rules})
# ---- invalid: scheme ----------------------------------------------------------------
seed_push = SCHEME.replace("""        items:
          - id: party
            name: 党建工程
            points: 50
            items:
              - {id: p1, name: 办实事, points: 25}
              - {id: p2, name: 快速响应, points: 25}
          - {id: other, name: 其他, points: 50}""", """        items:
          # transcribed as the seed prints it: (一) lists 8+7+7+6 = 28 for 35,
          # (三) lists 4+4+4+4+3+4+3 = 26 for 30
          - id: party
            name: 大力推进党建"留心护根"工程
            points: 35
            items:
              - {id: p1, name: 我为群众办实事, points: 8}
              - {id: p2, name: 快速响应服务平台, points: 7}
              - {id: p3, name: 三深化三过硬, points: 7}
              - {id: p4, name: 漠视侵害群众利益问题专项治理, points: 6}
          - id: key
            name: 大力推进"十项重点工作"
            points: 35
            items:
              - {id: k1, name: 周小结月调度, points: 4}
              - {id: k2, name: 综合督查, points: 4}
              - {id: k3, name: 推进会, points: 4}
              - {id: k4, name: 满意度测评, points: 4}
              - {id: k5, name: 兑现奖金, points: 4}
              - {id: k6, name: 回头看, points: 3}
              - {id: k7, name: 简化审批, points: 3}
              - {id: k8, name: 集中开工, points: 3}
              - {id: k9, name: 包联重点项目, points: 3}
              - {id: k10, name: 加大激励, points: 3}
          - id: incentive
            name: 大力推进"激励干部担当作为"
            points: 30
            items:
              - {id: c1, name: 作风建设专项考核, points: 4}
              - {id: c2, name: 重点项目建设考核, points: 4}
              - {id: c3, name: 好干部好班子, points: 4}
              - {id: c4, name: 三项机制, points: 4}
              - {id: c5, name: 三个区分开来, points: 3}
              - {id: c6, name: 效能考核, points: 4}
              - {id: c7, name: 健康讲座, points: 3}""")
case("invalid", "seed-checklist-slip", {"scheme.yaml": seed_push})
bad_scheme = SCHEME.replace("weight: 60", "weight: 65").replace(
    """grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 70}
  - {name: 较差, min: 0}""", """grades:                 # the seed's wording: 100-90 / 89-80 / 79-70 / 70分以下
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 70}
  - {name: 较差, min: 70}""").replace("{id: slack, name: 混日子, min: 2, max: 4}", "{id: slack, name: 混日子, min: 4, max: 2}") \
    .replace("max_grade: 一般}", "max_grade: 中等}\n  - {id: bad-cat, when: {deductions_in: [formalism]}, downgrade: 1}")
case("invalid", "scheme-rules", {"scheme.yaml": bad_scheme})
# scheme v2 keys (SPEC §10): applies_to with a misspelt kind and an unknown unit, and
# task-scoring keys (credit, late_per_day) on a leaf that is not source: tasks
case("invalid", "scheme-v2", {"scheme.yaml": SCHEME.replace(
    "      - {id: hotline, name: 12345办理, weight: 40}",
    "      - {id: hotline, name: 12345办理, weight: 40, credit: responsible, late_per_day: 2,\n"
    "         applies_to: {kinds: [subdistrct], units: [fgww]}}")})
# ranking groups (SPEC §10): fgw in two groups, a misspelt kind leaves zhangjiacun in none
case("invalid", "ranking-groups", {"scheme.yaml": SCHEME.replace(
    "interview_bottom: 1\n",
    "interview_bottom: 1\nranking_groups:\n  - {id: city, name: 市直单位, units: [fgw]}\n"
    "  - {id: streets, name: 街道, kinds: [subdistrct], units: [fgw]}\n"),
    "records/2024-Q1.yaml": RECORD})
# bonuses and provisional deductions (SPEC §10)
case("invalid", "bonuses", {"scheme.yaml": SCHEME.replace(
    "interview_bottom: 1\n",
    "interview_bottom: 1\nbonuses:\n  cap: 5\n  categories:\n"
    "    - {id: award, name: 上级表彰, min: 1, max: 3}\n"),
    "records/2024-Q1.yaml": RECORD.replace(
        "reason: 迟到早退}\n",
        "reason: 迟到早退, provisional: true,\n     restored: {date: 2024-02-01}}\n"
        "  - {unit: fgw, category: slack, date: 2024-02-11, points: 2, restored: {date: 2024-03-01}}\n"
        "bonuses:\n  - {unit: fgw, category: award, date: 2024-03-02, points: 4}\n"
        "  - {unit: fgw, category: awrd, date: 2024-03-03, points: 1}\n")})
# a score for a component applies_to does not assess the unit on (SPEC §10): it is left
# out of the score, so validate says so (LS417) -- a score and checklist points; a
# score out of range is the case's error, and no LS417 beside it (the unit is assessed);
# checklist points for a leaf the record writes n/a for the unit are dropped too (LS418)
case("invalid", "inapplicable-score", {"scheme.yaml": SCHEME.replace(
    "      - {id: hotline, name: 12345办理, weight: 40}",
    "      - {id: hotline, name: 12345办理, weight: 40, applies_to: {kinds: [department]}}")
    .replace("        name: 大推进\n", "        name: 大推进\n        applies_to: {units: [fgw]}\n"),
    "records/2024-Q1.yaml": RECORD.replace("fgw: {hotline: 90}", "fgw: {hotline: 105, push: n/a}")})
# values scoring never reads (SPEC §10): a score for a unit `assessed: false` (LS419), a
# task's quality for a unit the leaf does not credit it to (credit: lead: a 责任单位 is
# not, LS420) or for that unit (LS419), and for a task with no milestone due in the
# quarter (LS421), and a deduction or a bonus for the unit not assessed (LS424) -- each
# warned of at the value; a score out of range is the case's error
case("invalid", "ignored-record-values", {"scheme.yaml": """id: test-scheme
title: 测试考核办法
cadence: quarterly
components:
  - {id: delivery, name: 重点任务, weight: 60, source: tasks, credit: lead, timeliness: 40, quality: 60}
  - {id: hotline, name: 12345办理, weight: 40}
deductions:
  categories:
    - {id: slack, name: 推进不力, min: 1, max: 3}
bonuses:
  categories:
    - {id: praise, name: 表扬, min: 1, max: 2}
grades:
  - {name: 合格, min: 0}
""", "units.yaml": UNITS.replace("{id: jiaoyuju, name: 区教育局, kind: department}",
                                 "{id: jiaoyuju, name: 区教育局, kind: department, assessed: false}"),
    "tasks/city.yaml": TASK.replace("T-001", "T-002").replace("lead: fgw", "lead: zhangjiacun").replace(
        "units: [zhangjiacun]", "units: []").replace(
        "    - {due: 2024-03-31, standard: 完成前期手续, done: 2024-03-28}\n", ""),
    "records/2024-Q1.yaml": """period: 2024-Q1
scores:
  fgw: {hotline: 90}
  zhangjiacun: {hotline: 105}
  jiaoyuju: {hotline: 80}
quality:
  T-001: {fgw: 90, zhangjiacun: 85, jiaoyuju: 70}
  T-002: 80
deductions:
  - {unit: jiaoyuju, category: slack, date: 2024-02-10, points: 2, reason: 课后服务推进不力}
bonuses:
  - {unit: jiaoyuju, category: praise, date: 2024-03-10, points: 1, reason: 获市级表扬}
"""})
case("invalid", "grade-gap", {"scheme.yaml": SCHEME.replace("  - {name: 较差, min: 0}\n", "")})
# ---- invalid: records ---------------------------------------------------------------
bad_record = """period: 2024-Q1
scores:
  fgw: {hotline: 105, leadership: 90}
  zhangjiacun: {hotlin: 85.5}
  nobody: {hotline: 80}
items:
  fgw: {push: {p1: 30, p2: 25, other: 40, p9: 1}}
  zhangjiacun: {push: {p1: 25, other: 45}, hotline: {x: 1}}
quality:
  T-999: 80
deductions:
  - {unit: zhangjiacun, category: slack, date: 2024-04-10, points: 5, media: true, reason: 迟到早退}
  - {unit: fgw, category: formalism, date: 2024-02-10, points: 7, reason: 文山会海}
flags:
  - {unit: fgw, kind: veto, reason: 年度工作排名靠后}
  - {unit: zhangjiacun, kind: vetoo, reason: 种类写错}
  - {unit: fgw, kind: red_flag, reason: 表扬}
"""
case("invalid", "record-rules", {"scheme.yaml": SCHEME.replace(
    "max_grade: 一般}\n", "max_grade: 一般}\n  - {id: veto, when: {flag: veto}, downgrade: 1}\n"),
                                  "records/2024-Q1.yaml": bad_record,
                                  "records/q1-again.yaml": "period: 2024-Q1\n",
                                  "records/bad-period.yaml": "period: 2024-Q5\n",
                                  "records/2023.yaml": "period: 2023\nscores:\n  fgw: {leadership: 90}\n  zhangjiacun: {leadership: 80}\n"})
case("invalid", "zh-messages", {"tasks/econ.yaml": TASK.replace("lead: fgw", "lead: fgww").replace("due: 2024-06-30", "due: 2024-02-30")}, lang="zh")
# ---- tasks v2 (SPEC §11): targets, decomposition, lists --------------------------------
V2_CONFIG = CONFIG.replace("group: 第一专项推进组}", "group: 第一专项推进组, planned: 9}") + """tags:
  - {id: board, name: 任务榜}
  - {id: highlight, name: 亮点牌}
reporting: {cadence: monthly, day: 10}
"""


def v2_task(tid, extra="", status="in_progress", progress=45, due="2024-12-31", lead="fgw", done=""):
    return f"""- id: {tid}
  title: 分解任务 {tid}
  category: econ
  lead: {lead}
  leaders: [li-fuqu]
  start: 2024-01-01
  standard: 完成分解目标
  milestones:
    - {{due: {due}, standard: 完成{done}}}
  status: {status}
  progress: {progress}
  updates:
    - {{month: "2024-05", progress: {progress}}}
{extra}"""


V2_PARENT = TASK.replace("  progress: 45\n", "  progress: 45\n  target: {value: 350, unit: 个}\n"
                         "  owners: [张三]\n  unit_leaders: [李四]\n  tags: [board, highlight]\n")
V2_VALID_KIDS = (v2_task("T-001.1", "  parent: T-001\n  target: {value: 250, unit: 个}\n  tags: [board]\n")
                 + v2_task("T-001.2", "  parent: T-001\n  target: {value: 100, unit: 个}\n", lead="zhangjiacun"))
case("valid", "tasks-v2", {"luoshi.yaml": V2_CONFIG.replace("planned: 9", "planned: 3"),
                           "tasks/econ.yaml": V2_PARENT, "tasks/kids.yaml": V2_VALID_KIDS})
V2_BAD_PARENT = V2_PARENT.replace(
    '    - {month: "2024-05", progress: 45, note: 已开工190个}',
    '    - {month: "2024-05", progress: 45, note: 已开工250个, actual: 250}').replace(
    "tags: [board, highlight]", "tags: [board, hilight]")
V2_BAD_KIDS = (
    v2_task("T-001.1", "  parent: T-001\n  target: {value: 200, unit: 个}\n")
    + v2_task("T-001.2", "  parent: T-001\n  target: {value: 100, unit: 个}\n", lead="zhangjiacun",
              due="2025-01-31")
    + v2_task("T-010", "  target: {value: 60, unit: 亿元}\n  closed: {date: 2024-05-20, approved_by: li-fuqu}\n",
              status="closed", progress=100, done=", done: 2024-05-20")
    + v2_task("T-010.1", "  parent: T-010\n  target: {value: 6000000, unit: 元}\n")
    + v2_task("T-020", "  parent: T-021\n") + v2_task("T-021", "  parent: T-020\n")
    + v2_task("T-030", "  parent: T-999\n"))
case("invalid", "tasks-v2", {"luoshi.yaml": V2_CONFIG, "tasks/econ.yaml": V2_BAD_PARENT,
                             "tasks/kids.yaml": V2_BAD_KIDS})
# ---- the supervision loop (SPEC §12) ---------------------------------------------------
SUPERVISION = """interviews:
  - {unit: fgw, date: 2024-04-12, kind: 提醒谈话, by: 区委督查室, reason: 节点逾期, tasks: [T-001]}
rectifications:
  - id: ZG-2024-01
    unit: fgw
    tasks: [T-001]
    source: interview
    opened: 2024-04-12
    due: 2024-05-31
    report: {date: 2024-05-20}
  - id: ZG-2024-02
    unit: zhangjiacun
    source: red_light
    opened: 2024-03-01
    due: 2024-03-31
    closed: {date: 2024-04-05, approved_by: li-fuqu, evidence: 整改报告}
"""
case("valid", "supervision", {"supervision/2024.yaml": SUPERVISION})
BAD_SUPERVISION = SUPERVISION.replace("due: 2024-05-31", "due: 2024-05-30").replace(
    "tasks: [T-001]}", "tasks: [T-01]}").replace("unit: zhangjiacun", "unit: zhangjiacum").replace(
    "approved_by: li-fuqu, ", "").replace("report: {date: 2024-05-20}", "report: {date: 2024-04-01}") + """  - id: ZG-2024-01
    unit: fgw
    opened: 2024-06-01
    due: 2024-06-30
    closed: {date: 2024-06-20, approved_by: nobody}
"""
case("invalid", "supervision", {"supervision/2024.yaml": BAD_SUPERVISION,
                                "supervision/empty.yaml": "note: 空\n"})
# slips the loop warns of (LS705–LS710): closed before its written report came in, an
# interview of another year, a rectification ordered to (and an interview held with) a
# unit with no part in its task (zhangjiacun, a responsible unit of T-001, has one), a
# task listed twice, one interview written twice, a rectification from an interview
# the ledger does not record (ZG-5: jiaoyuju's interview is after it was opened); and
# the name written for the id gets the id to write, as in task files
case("invalid", "supervision-slips", {"supervision/2024.yaml": """interviews:
  - {unit: fgw, date: 2023-12-28, kind: 提醒谈话, tasks: [T-001, T-001]}
  - {unit: jiaoyuju, date: 2024-04-15, kind: 提醒谈话, tasks: [T-001]}
  - {unit: zhangjiacun, date: 2024-04-15, tasks: [T-001]}
  - {unit: jiaoyuju, date: 2024-04-15, kind: 提醒谈话, reason: 抄重了}
rectifications:
  - id: ZG-1
    unit: fgw
    tasks: [T-001]
    opened: 2024-04-12
    due: 2024-04-30
    report: {date: 2024-04-28}
    closed: {date: 2024-04-20, approved_by: li-fuqu}
  - {id: ZG-2, unit: jiaoyuju, tasks: [T-001], opened: 2024-04-12, due: 2024-06-30}
  - {id: ZG-3, unit: zhangjiacun, tasks: [T-001], opened: 2024-04-12, due: 2024-06-30}
  - {id: ZG-4, unit: 区发改委, opened: 2024-04-12, due: 2024-06-30,
     closed: {date: 2024-05-20, approved_by: 李某某}}
  - {id: ZG-5, unit: jiaoyuju, source: interview, opened: 2024-04-12, due: 2024-06-30}
  - {id: ZG-6, unit: jiaoyuju, source: interview, opened: 2024-04-15, due: 2024-06-30}
"""}, lang="zh")
# ---- input messages (audit A) ---------------------------------------------------------
# a phrase pasted from a GBK document into a UTF-8 file: LS005 at the phrase, never
# "convert the whole file" (that turns every correct character into mojibake)
case("invalid", "gbk-pasted-phrase", {"tasks/econ.yaml": TASK.encode().replace(
    "开工建设".encode(), "开工建设".encode("gbk"))}, lang="zh")
case("invalid", "big5-encoding", {"luoshi.yaml": CONFIG.replace("测试台账", "測試臺賬").replace(
    "测试区委办公室", "測試區委辦公室").replace("经济发展", "經濟發展").replace(
    "城市建设", "城市建設").replace("第一专项推进组", "第一專項推進組").encode("big5")})
# ids as mapping keys are traps as much as ids as values
case("invalid", "yaml11-key-traps", {
    "units.yaml": UNITS.replace("kind: department}\n  - {id: zhangjiacun",
                                "kind: department}\n  - {id: \"0571\", name: 区统计局, kind: department}\n"
                                "  - {id: \"no\", name: 区农业局, kind: department}\n  - {id: zhangjiacun"),
    "tasks/econ.yaml": TASK.replace("id: T-001", "id: \"1.10\""),
    "scheme.yaml": SCHEME,
    "records/2024-Q1.yaml": RECORD.replace("  zhangjiacun: {hotline: 85.5}\n",
                                           "  zhangjiacun: {hotline: 85.5}\n  0571: {hotline: 80}\n"
                                           "  no: {hotline: 70}\n") + "quality:\n  1.10: 80\n"})
# an entry left out for its own fault (no name, an id in capitals) is reported once,
# at the entry: tasks naming it do not get "unknown unit/category: add it"
case("invalid", "unread-entries", {
    "units.yaml": UNITS.replace("{id: fgw, name: 区发改委", "{id: fgw, nmae: 区发改委").replace(
        "id: zhangjiacun", "id: ZhangJiaCun").replace("{id: li-fuqu, name: 李某某, title: 副区长}",
                                                      "{id: li-fuqu, title: 副区长}"),
    "luoshi.yaml": CONFIG.replace("{id: econ, name: 经济发展, group: 第一专项推进组}",
                                  "{id: econ, group: 第一专项推进组}")})
case("invalid", "no-grades", {"scheme.yaml": SCHEME.replace("""grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 一般, min: 70}
  - {name: 较差, min: 0}
""", "grades: []\n")}, lang="zh")
# the tasks wrapped in a key of their own (`tasks:` above the list, as other YAML files
# are written): one finding at the wrapper, not "unknown key tasks" and ten "missing
# key"s of a task that is not there, and no "unknown task" for the ids the list holds
case("invalid", "tasks-wrapped-in-a-key", {
    "tasks/econ.yaml": "tasks:\n" + "".join(f"  {ln}\n" for ln in TASK.splitlines()),
    "scheme.yaml": SCHEME, "records/2024-Q1.yaml": RECORD + "quality:\n  T-001: 80\n"},
    lang="zh")
# a transposition is one slip: `dnoe` is `done` (difflib said `note`, and following
# that hint kept the completion date as free text)
case("invalid", "transposed-key", {"tasks/econ.yaml": TASK.replace("done: 2024-03-28", "dnoe: 2024-03-28")})
# written twice or written empty: a grade name (which band does max_grade mean?), a
# leader ([li, li] is one leader), a leaf's checklist (items: [] sums to 0, not 100)
case("invalid", "duplicates-and-empty-lists", {
    "scheme.yaml": SCHEME.replace("{name: 一般, min: 70}", "{name: 良好, min: 70}").replace(
        "max_grade: 一般", "max_grade: 良好").replace(
        "{id: hotline, name: 12345办理, weight: 40}", "{id: hotline, name: 12345办理, weight: 40, items: []}"),
    "tasks/econ.yaml": TASK.replace("leaders: [li-fuqu]", "leaders: [li-fuqu, li-fuqu]")})
# an approval dated after the as-of date (LS504, read as LS203 reads a completion):
# it approves nothing under change control; the one dated before it is fine
case("invalid", "approval-in-future", {"tasks/econ.yaml": TASK.replace(
    "  progress: 45\n",
    "  progress: 45\n  locked: true\n  adjustments:\n"
    "    - {date: 2024-04-01, field: milestones, approved_by: li-fuqu, reason: 规划调整}\n"
    "    - {date: 2024-07-01, field: standard, approved_by: li-fuqu, reason: 预先登记}\n")},
     lang="zh")
# text YAML reads without a word though it is not what the clerk wrote or sees (LS025:
# a zero-width space, a stray BOM, Word's manual line break; LS026: `见文件 #3号` reads
# 见文件 — but `已完成  # 待核实` is a comment meant; LS027: `&重点` is an anchor, and
# `&背街小巷` leaves the title empty, LS103 at its line; LS222: progress 0.5 is 0.5%)
HIDDEN = TASK.replace("title: 推进重点项目开工建设", "title: 推进重点\u200b项目开工建设").replace(
    "standard: 全年开复工项目不少于350个", "standard: 见文件 #3号").replace(
    "standard: 开工200个", "standard: 开工\x0b200个").replace(
    "note: 已开工160个}", "note: 已开工\ufeff160个}").replace(
    '{month: "2024-05", progress: 45, note: 已开工190个}',
    'month: "2024-05"\n      progress: 0.5\n      note: 已完成  # 待核实').replace(
    "  progress: 45\n", "  progress: 0.5\n") + """- id: T-002
  title: &重点 背街小巷综合整治
  category: city
  lead: fgw
  leaders: [li-fuqu]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {due: 2024-12-31, standard: 完成}
  status: in_progress
  progress: 30
- id: T-003
  title: &背街小巷
  category: city
  lead: fgw
  leaders: [li-fuqu]
  start: 2024-01-01
  standard: 完成
  milestones:
    - {due: 2024-12-31, standard: 完成}
  status: in_progress
  progress: 30
"""
case("invalid", "hidden-text", {"tasks/econ.yaml": HIDDEN})
case("invalid", "hidden-text-zh", {"tasks/econ.yaml": HIDDEN}, lang="zh")
print("ok")
