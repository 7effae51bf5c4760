"""Generate a valid, realistic luoshi ledger of N tasks for the benchmark.

Realistic means what a city or province office would keep: Chinese titles,
standards and notes of natural length, 4 quarterly milestones and 3 monthly
updates per task, ~200 units (district offices and departments) and their
leaders, 14 categories with working groups, a small assessment scheme (with a
`source: tasks` leaf) and a 2024-Q1 record scoring every unit and giving every task
its quality score (but the suspended ones: scored in no period) — spread over a few
hundred task files.

The ledger is judged as of `AS_OF` (2024-04-10): Q1 is over, the March report is
in, some first milestones are overdue (red lights are not findings).  It must
validate with 0 errors and 0 warnings; `bench/run.py` checks that.

Output is deterministic for given (tasks, files, seed), so numbers are comparable
between runs and machines.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 3
AS_OF = "2024-04-10"
YEAR = 2024

CATEGORIES = [
    ("brk-1", "经济发展新突破", "第一专项推进组"),
    ("brk-2", "项目建设新突破", "第二专项推进组"),
    ("brk-3", "招商引资新突破", "第三专项推进组"),
    ("brk-4", "科技创新新突破", "第四专项推进组"),
    ("brk-5", "城市更新新突破", "第五专项推进组"),
    ("brk-6", "营商环境新突破", "第六专项推进组"),
    ("brk-7", "民生保障新突破", "第七专项推进组"),
    ("brk-8", "基层治理新突破", "第八专项推进组"),
    ("bl-1", "实力碑林", None),
    ("bl-2", "活力碑林", None),
    ("bl-3", "文化碑林", None),
    ("bl-4", "美丽碑林", None),
    ("bl-5", "幸福碑林", None),
    ("bl-6", "平安碑林", None),
]

DISTRICTS = [
    ("bl", "碑林区"), ("yt", "雁塔区"), ("xc", "新城区"), ("lh", "莲湖区"), ("wy", "未央区"),
    ("bq", "灞桥区"), ("ca", "长安区"), ("lt", "临潼区"), ("yl", "阎良区"), ("gl", "高陵区"),
    ("hy", "鄠邑区"), ("zz", "周至县"),
]
DEPARTMENTS = [
    ("fgw", "发展和改革委员会", "department"), ("czj", "财政局", "department"),
    ("zjj", "住房和城乡建设局", "department"), ("swj", "商务局", "department"),
    ("kjj", "科学技术局", "department"), ("jyj", "教育局", "department"),
    ("wjw", "卫生健康委员会", "department"), ("mzj", "民政局", "department"),
    ("rsj", "人力资源和社会保障局", "department"), ("sthj", "生态环境分局", "department"),
    ("scjg", "市场监督管理局", "department"), ("xzsp", "行政审批服务局", "department"),
    ("cgj", "城市管理和综合执法局", "department"), ("wlj", "文化和旅游体育局", "department"),
    ("jd1", "第一街道办事处", "subdistrict"), ("jd2", "第二街道办事处", "subdistrict"),
]
CITY_UNITS = [
    ("city-fgw", "市发展和改革委员会"), ("city-czj", "市财政局"), ("city-zjj", "市住房和城乡建设局"),
    ("city-zrzy", "市自然资源和规划局"), ("city-jtj", "市交通运输局"), ("city-swj", "市水务局"),
    ("city-tz", "市投资合作委员会"), ("city-gxj", "市工业和信息化局"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
TITLES = ["区长", "常务副区长", "副区长", "区委副书记", "区委常委", "区人大常委会副主任",
          "区政协副主席", "县长", "副县长"]

VERBS = ["推进", "加快", "完成", "实施", "抓好", "深化", "开展", "落实", "建设", "提升", "优化",
         "打造"]
OBJECTS = ["重点项目开工建设", "老旧小区改造提升", "城市更新片区建设", "营商环境评价整改",
           "招商引资项目落地", "科技企业孵化器建设", "背街小巷整治", "学校扩容提质",
           "社区养老服务站点建设", "雨污分流管网改造", "历史文化街区保护利用", "夜间经济示范街区建设",
           "政务服务一网通办", "重点企业包抓服务", "城中村改造安置房建设", "道路交通堵点治理",
           "垃圾分类示范小区创建", "医疗卫生服务能力提升", "就业创业扶持", "数字经济产业园建设",
           "楼宇经济提质增效", "消费场景打造", "基层网格化治理", "安全生产专项整治"]
MEASURES = ["全年完成投资不少于{n}亿元", "新开工项目不少于{n}个", "改造老旧小区{n}个",
            "新增市场主体{n}户", "建成投用站点{n}处", "整治背街小巷{n}条", "新增学位{n}个",
            "完成管网改造{n}公里", "引进亿元以上项目{n}个", "办件满意率达到{n}%以上"]
MS_STANDARDS = ["完成方案编制并报批", "完成前期手续办理", "完成招标并进场施工", "完成主体工程{n}%",
                "完成年度目标任务的{n}%", "组织阶段性验收", "全面完成建设任务", "形成长效机制",
                "完成问题清单梳理", "整改完成率达到{n}%"]
NOTES = ["已完成{n}%，按序时推进", "召开专题推进会{m}次，协调解决问题{m}个", "项目已进场施工，累计完成投资{n}%",
         "前期手续办理中，正在对接{unit}", "完成阶段任务，正在准备验收材料", "受天气影响略有滞后，已制定赶工计划",
         "已完成初步设计，概算评审中", "累计完成{n}%，超序时进度"]
REASONS = ["检查考核过多过滥", "工作推进不力被通报", "群众反映问题办理不及时", "会议文件精简不到位"]


def _units(more: int = 0) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The city's units and every district's departments; `more` adds that many
    communities (社区) spread over the districts (a province-sized unit list)."""
    units = [(cid, name, "city") for cid, name in CITY_UNITS]
    for dcode, dname in DISTRICTS:
        for code, name, kind in DEPARTMENTS:
            units.append((f"{dcode}-{code}", f"{dname}{name}", kind))
    for k in range(more):
        dcode, dname = DISTRICTS[k % len(DISTRICTS)]
        units.append((f"{dcode}-sq{k + 1:05d}", f"{dname}第{k + 1}社区", "community"))
    leaders = []
    for i in range(48):
        dcode, dname = DISTRICTS[i % len(DISTRICTS)]
        leaders.append((f"{dcode}-ld{i // len(DISTRICTS) + 1}", f"{SURNAMES[i % len(SURNAMES)]}某某",
                        f"{dname}{TITLES[i % len(TITLES)]}"))
    return units, leaders


def _d(x: date) -> str:
    return x.isoformat()


def _task(i: int, rnd: random.Random, cat: str, units: list[tuple[str, str, str]],
          leaders: list[tuple[str, str, str]]) -> str:
    as_of = date.fromisoformat(AS_OF)
    unit_ids = [u[0] for u in units]
    lead = rnd.choice(unit_ids)
    helpers = rnd.sample(unit_ids, rnd.randint(0, 3))
    coop = rnd.sample(unit_ids, rnd.randint(1, 2)) if rnd.random() < 0.3 else []
    who = rnd.sample([x[0] for x in leaders], 2 if rnd.random() < 0.3 else 1)
    start = date(YEAR, 1, 1) + timedelta(days=rnd.randint(0, 20))
    dues = [date(YEAR, 3, rnd.randint(20, 31)), date(YEAR, 6, rnd.randint(20, 30)),
            date(YEAR, 9, rnd.randint(20, 30)), date(YEAR, 12, rnd.randint(20, 31))]
    roll = rnd.random()
    status = ("in_progress" if roll < 0.80 else "planned" if roll < 0.85 else
              "done" if roll < 0.92 else "closing" if roll < 0.95 else
              "closed" if roll < 0.98 else "suspended")
    finished = status in ("done", "closing", "closed")
    n = rnd.randint(3, 120)
    title = f"{rnd.choice(VERBS)}{rnd.choice(OBJECTS)}"
    standard = rnd.choice(MEASURES).format(n=n)
    ms = []
    for k, due in enumerate(dues):
        std = rnd.choice(MS_STANDARDS).format(n=25 * (k + 1))
        done = None
        if finished:
            done = date(YEAR, 1, 20) + timedelta(days=10 * k + rnd.randint(0, 9))
        elif k == 0 and status != "planned" and rnd.random() < 0.85:
            done = min(due + timedelta(days=rnd.randint(-12, 6)), as_of)
        ms.append(f"    - {{due: {_d(due)}, standard: {std}"
                  + (f", done: {_d(done)}" if done else "") + "}")
    if finished:
        progress = 100
        steps = [rnd.randint(30, 60), rnd.randint(61, 95), 100]
    elif status == "planned":
        progress = 0
        steps = [0, 0, 0]
    else:
        progress = rnd.randint(12, 60)
        a = rnd.randint(1, max(1, progress // 3))
        b = rnd.randint(a, max(a, progress - 1))
        steps = [a, b, progress]
    lines = [
        f"- id: T{i:06d}",
        f"  title: {title}",
        f"  category: {cat}",
        f"  lead: {lead}",
        f"  units: [{', '.join(helpers)}]",
    ]
    if coop:
        lines.append(f"  cooperating: [{', '.join(coop)}]")
    lines += [
        f"  leaders: [{', '.join(who)}]",
        f"  start: {_d(start)}",
        f"  standard: {standard}",
        "  milestones:",
        *ms,
        f"  status: {status}",
        f"  progress: {progress}",
        "  updates:",
    ]
    for m, p in zip((1, 2, 3), steps, strict=True):
        note = rnd.choice(NOTES).format(n=p, m=rnd.randint(1, 6), unit=rnd.choice(units)[1])
        lines.append(f'    - {{month: "{YEAR}-{m:02d}", progress: {p}, note: {note}}}')
    if status == "closed":
        lines.append(f"  closed: {{date: {YEAR}-04-0{rnd.randint(1, 9)}, approved_by: {who[0]}, "
                     f"evidence: 验收报告及佐证材料}}")
    if rnd.random() < 0.02:
        kind = rnd.choice(["red_flag", "yellow_card"])
        lines += ["  flags:", f"    - {{kind: {kind}, date: {YEAR}-03-31, by: 领导小组办公室, "
                  f"note: {'一季度红旗任务' if kind == 'red_flag' else '推进滞后'}}}"]
    if rnd.random() < 0.5:
        lines.append("  locked: true")
        if rnd.random() < 0.1:
            lines += ["  adjustments:", f"    - {{date: {YEAR}-02-{rnd.randint(10, 28)}, "
                      f"field: milestones, approved_by: {who[0]}, reason: 规划调整，节点顺延}}"]
    return "\n".join(lines) + "\n"


def _config() -> str:
    cats = "\n".join(
        f"  - {{id: {cid}, name: {name}" + (f", group: {group}}}" if group else "}")
        for cid, name, group in CATEGORIES)
    return (f"# luoshi benchmark ledger (generated by bench/gen.py)\n"
            f"title: {YEAR}年全市重点任务抓落实台账（基准测试）\n"
            f"issuer: 市委督查室\nyear: {YEAR}\nlanguage: zh\nwarn_days: 7\n"
            f"progress_tolerance: 10\ncategories:\n{cats}\n")


def _units_yaml(units: list[tuple[str, str, str]], leaders: list[tuple[str, str, str]]) -> str:
    out = ["units:"]
    out += [f"  - {{id: {u}, name: {n}, kind: {k}}}" for u, n, k in units]
    out.append("leaders:")
    out += [f"  - {{id: {u}, name: {n}, title: {t}}}" for u, n, t in leaders]
    return "\n".join(out) + "\n"


SCHEME = f"""id: bench-{YEAR}
title: {YEAR}年度重点任务抓落实考核办法（基准测试）
cadence: quarterly
rounding: {{places: 2}}
components:
  - id: work
    name: 重点任务推进
    weight: 60
    children:
      - {{id: speed, name: 推进时效, weight: 30}}
      - {{id: quality, name: 推进质量, weight: 30}}
      - {{id: delivery, name: 重点任务落实成效, weight: 40, source: tasks, timeliness: 30, quality: 70}}
  - id: service
    name: 服务保障
    weight: 25
    items:
      - {{id: s1, name: 按时报送月度进展, points: 30}}
      - {{id: s2, name: 问题协调解决, points: 30}}
      - {{id: s3, name: 台账资料规范, points: 20}}
      - {{id: s4, name: 督查反馈整改, points: 20}}
  - id: democratic
    name: 民主测评
    weight: 15
    cadence: annual
    children:
      - {{id: satisfaction, name: 群众满意度测评, weight: 100}}
deductions:
  media_multiplier: 2
  floor: 0
  categories:
    - {{id: formalism, name: 形式主义、官僚主义, min: 6, max: 8}}
    - {{id: laxity, name: 不严不实, min: 4, max: 6}}
    - {{id: slack, name: 缺乏责任心、混日子, min: 2, max: 4}}
grades:
  - {{name: 优秀, min: 90}}
  - {{name: 良好, min: 80}}
  - {{name: 一般, min: 70}}
  - {{name: 较差, min: 0}}
rules:
  - {{id: style-cap, when: {{deductions_in: [formalism]}}, max_grade: 一般}}
  - {{id: veto, when: {{flag: veto}}, downgrade: 1}}
interview_bottom: 5
"""


def _record(units: list[tuple[str, str, str]], tasks: int, rnd: random.Random) -> str:
    out = [f"period: {YEAR}-Q1", "scores:"]
    for u, _, _ in units:
        out.append(f"  {u}: {{speed: {rnd.randint(120, 200) / 2}, "
                   f"quality: {rnd.randint(120, 200) / 2}}}")
    out.append("items:")
    for u, _, _ in units:
        out.append(f"  {u}: {{service: {{s1: {rnd.randint(40, 60) / 2}, s2: {rnd.randint(30, 60) / 2}, "
                   f"s3: {rnd.randint(20, 40) / 2}, s4: {rnd.randint(20, 40) / 2}}}}}")
    out.append("deductions:")
    for k in range(6):
        cat, lo, hi = [("formalism", 6, 8), ("laxity", 4, 6), ("slack", 2, 4)][k % 3]
        out.append(f"  - {{unit: {units[k * 17][0]}, category: {cat}, date: {YEAR}-0{k % 3 + 1}-15, "
                   f"points: {rnd.randint(lo, hi)}, media: {'true' if k == 0 else 'false'}, "
                   f"reason: {rnd.choice(REASONS)}}}")
    out += ["flags:", f"  - {{unit: {units[5][0]}, kind: veto, reason: 发生重大安全生产责任事故}}"]
    # the `delivery` leaf (source: tasks) takes each task's quality from the record:
    # one score per task, as an office that grades every task each quarter keeps it
    out.append("quality:")
    out += [f"  T{i:06d}: {rnd.randint(120, 200) / 2}" for i in range(1, tasks + 1)]
    return "\n".join(out) + "\n"


def generate(root: Path, tasks: int, files: int = 300, seed: int = 2024,
             units_total: int = 0) -> Path:
    """Write the ledger under `root` (replacing it) unless an identical one is there.
    `units_total`: at least this many units (communities are added), else ~200."""
    stamp = {"generator": GENERATOR_VERSION, "tasks": tasks, "files": files, "seed": seed,
             "units": units_total}
    stamp_file = root / ".bench-stamp.json"
    if stamp_file.is_file() and json.loads(stamp_file.read_text()) == stamp:
        return root
    if root.exists():
        shutil.rmtree(root)
    (root / "tasks").mkdir(parents=True)
    (root / "records").mkdir()
    rnd = random.Random(seed)
    base = len(_units()[0])
    units, leaders = _units(max(0, units_total - base))
    (root / "luoshi.yaml").write_text(_config(), encoding="utf-8")
    (root / "units.yaml").write_text(_units_yaml(units, leaders), encoding="utf-8")
    (root / "scheme.yaml").write_text(SCHEME, encoding="utf-8")
    record = _record(units, tasks, rnd)
    files = max(1, min(files, tasks))
    per, extra = divmod(tasks, files)
    next_id = 1
    suspended: set[str] = set()
    for f in range(files):
        cat = CATEGORIES[f % len(CATEGORIES)][0]
        count = per + (1 if f < extra else 0)
        body = [f"# {CATEGORIES[f % len(CATEGORIES)][1]} 任务台账（第 {f + 1} 册）\n"]
        for _ in range(count):
            text = _task(next_id, rnd, cat, units, leaders)
            if "\n  status: suspended\n" in text:
                suspended.add(f"T{next_id:06d}")
            body.append(text)
            next_id += 1
        (root / "tasks" / f"{cat}-{f:03d}.yaml").write_text("\n".join(body), encoding="utf-8")
    # a suspended task is scored in no period (暂缓: LS421 if the record grades it): the
    # office grades the others; the random draws stay as they were for every other value
    (root / "records" / f"{YEAR}-Q1.yaml").write_text("".join(
        line for line in record.splitlines(keepends=True)
        if line[2:9] not in suspended), encoding="utf-8")
    stamp_file.write_text(json.dumps(stamp))
    return root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--units", type=int, default=0, help="at least this many units")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = ap.parse_args()
    name = f"ledger-{args.tasks}" + (f"-u{args.units}" if args.units else "")
    root = generate(args.out / name, args.tasks, args.files, args.seed, args.units)
    print(root)


if __name__ == "__main__":
    main()
