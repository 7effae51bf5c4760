"""Scheme checks the audit "scheme2" found missing (its items 1, 2, 3, 8 and 10): a
scheme that scoring cannot read as written is refused by `validate` at its line,
in both languages, and `score` / `bulletin` refuse it instead of publishing a ranking
that is wrong.

The ledger (tests/fixtures/scheme-checks/ledger) is the audit's: 5 departments and 4
subdistricts, a `source: tasks` leaf crediting 责任单位 (`credit: responsible`), two
ranking groups (部门 by kind department, 街道 by kind subdistrict)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import REPO, Run

LEDGER = Path(__file__).parent / "fixtures" / "scheme-checks" / "ledger"
AS_OF = "2024-03-31"


def _ledger(tmp_path: Path, **edits: list[tuple[str, str]]) -> Path:
    """A copy of the ledger with `old → new` replacements in its files (a file named
    with `_` for `/` and `.` left out: scheme, units, records_2024-Q1, tasks_t)."""
    root = tmp_path / "ledger"
    shutil.copytree(LEDGER, root)
    for name, pairs in edits.items():
        path = root / (name.replace("_", "/") + ".yaml")
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert text.count(old) == 1, (name, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return root


def _findings(cli: Callable[..., Run], root: Path, lang: str) -> list[str]:
    run = cli("validate", root, "--as-of", AS_OF, "--lang", lang)
    return [line for line in run.stdout.splitlines() if ": error " in line
            or ": warning " in line]


def _refused(cli: Callable[..., Run], root: Path, finding: str, n: int = 1) -> None:
    """`score` and `bulletin` refuse the ledger (exit 1) with the finding, as for any
    other scheme error; no ranking is written."""
    for command in (("score", root, "-q", "Q1"), ("bulletin", root, "-q", "Q1")):
        run = cli(*command, "--as-of", AS_OF)
        assert run.exit_code == 1, command
        assert run.stdout == ""
        assert finding in run.stderr
        assert f"luoshi: 台账有 {n} 个错误，请先修正（luoshi validate " in run.stderr


def _said(cli: Callable[..., Run], root: Path, zh: str, en: str, *,
          refused: bool = True) -> None:
    """`validate` gives exactly the one finding, in either language; `score` and
    `bulletin` refuse the ledger with it when it is an error."""
    assert _findings(cli, root, "zh") == [zh]
    assert _findings(cli, root, "en") == [en]
    if refused:
        _refused(cli, root, zh)


def test_the_ledger_as_given_is_valid_and_ranks_each_unit_once(
        cli: Callable[..., Run]) -> None:
    assert _findings(cli, LEDGER, "zh") == []
    run = cli("score", LEDGER, "-q", "Q1", "--as-of", AS_OF, "-f", "json")
    units = [(u["unit"], u["group"]) for u in json.loads(run.stdout)["units"]]
    assert sorted(units) == [("a1", "dept"), ("a2", "dept"), ("a3", "dept"), ("a4", "dept"),
                             ("a5", "dept"), ("s1", "street"), ("s2", "street"),
                             ("s4", "street")]


# ---- 1. a ranking group id written twice ----------------------------------------------------

def test_a_ranking_group_id_written_twice_is_ls108_and_nothing_is_ranked(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """Scoring keys the groups by id: with two groups `dept` every unit was ranked in
    both (16 rows for 8 units), under either group's interview_bottom."""
    root = _ledger(tmp_path, scheme=[("  - {id: street, name: 街道",
                                      "  - {id: dept, name: 街道")])
    zh = ("scheme.yaml:36:10: error LS108 排名分组 dept 重复（第一次定义于 scheme.yaml:35）："
          "标识必须唯一，请改名或删除一个")
    _said(cli, root, zh,
          "scheme.yaml:36:10: error LS108 ranking group dept is defined twice (first at "
          "scheme.yaml:35): ids must be unique; rename or remove one")


# ---- 2. a unit scored only as 责任单位, in no group -------------------------------------------

def test_a_unit_credited_only_as_a_responsible_unit_needs_a_group(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """Every leaf `source: tasks`, `credit: responsible`; the groups hold only kind
    department.  s1 and s2 lead no task but are 责任单位 of T-01 (s1) and T-02 (s1,
    s2): scoring ranks them, so each is LS311 at its line of units.yaml — `validate`
    said nothing, `score` refused with an id and no place, and the bulletin left out
    its ranking and exited 0."""
    scheme = (LEDGER / "scheme.yaml").read_text(encoding="utf-8")
    head, _, _ = scheme.partition("components:")
    root = _ledger(tmp_path)
    (root / "scheme.yaml").write_text(
        head + "components:\n"
        "  - {id: delivery, name: 任务落实, weight: 100, source: tasks, credit: responsible,\n"
        "     timeliness: 30, quality: 70}\n"
        "grades:\n  - {name: 优秀, min: 90}\n  - {name: 较差, min: 0}\n"
        "ranking_groups:\n  - {id: dept, name: 部门, kinds: [department]}\n"
        "interview_bottom: 1\n", encoding="utf-8")
    (root / "records" / "2024-Q1.yaml").write_text(
        "period: 2024-Q1\nquality:\n  T-01: 80\n  T-02: 90\n", encoding="utf-8")
    errors = [line for line in _findings(cli, root, "zh") if "LS311" in line]
    assert errors == [
        "units.yaml:7:10: error LS311 单位 s1（一街道）参加考核，但不属于任何排名分组"
        "（ranking_groups）：请把它的 kind 或 id 加入一个分组",
        "units.yaml:8:10: error LS311 单位 s2（二街道）参加考核，但不属于任何排名分组"
        "（ranking_groups）：请把它的 kind 或 id 加入一个分组"]
    assert [line for line in _findings(cli, root, "en") if "LS311" in line] == [
        "units.yaml:7:10: error LS311 unit s1 (一街道) is assessed but in no ranking group "
        "(ranking_groups): add its kind or id to one group",
        "units.yaml:8:10: error LS311 unit s2 (二街道) is assessed but in no ranking group "
        "(ranking_groups): add its kind or id to one group"]
    _refused(cli, root, errors[0], n=2)


# ---- 3. bonus categories and rules: the checks deduction categories have -------------------

def test_a_bonus_category_id_written_twice_is_ls108_at_the_second(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """The second definition silently replaced the first: every recorded bonus (4, 4
    and 3 points of 表扬, 1–4) was judged against 推广经验's 5–5 and called out of
    range at the record.  Now the scheme line says it, and no record is judged by a
    range that is not known."""
    root = _ledger(tmp_path, scheme=[(
        "    - {id: praise, name: 表扬, min: 1, max: 4}\n",
        "    - {id: praise, name: 表扬, min: 1, max: 4}\n"
        "    - {id: praise, name: 推广经验, min: 5, max: 5}\n")])
    zh = ("scheme.yaml:29:12: error LS108 加分类别 praise 重复（第一次定义于 scheme.yaml:28）："
          "标识必须唯一，请改名或删除一个")
    _said(cli, root, zh,
          "scheme.yaml:29:12: error LS108 bonus category praise is defined twice (first at "
          "scheme.yaml:28): ids must be unique; rename or remove one")


def test_a_bonus_range_with_min_above_max_is_ls306_at_the_scheme_not_ls413_per_bonus(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    root = _ledger(tmp_path, scheme=[("{id: praise, name: 表扬, min: 1, max: 4}",
                                      "{id: praise, name: 表扬, min: 4, max: 1}")])
    _said(cli, root,
          "scheme.yaml:28:35: error LS306 加分类别 praise 的加分范围 4–1 下限大于上限：请改正",
          "scheme.yaml:28:35: error LS306 bonus category praise has min 4 above max 1: "
          "correct the range")


def test_a_deduction_range_with_min_above_max_is_said_once_at_the_scheme(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """As for bonuses: the two deductions of 推进不力 (10 and 9.997) are not each
    called outside a 10–1 range no points can fall in."""
    root = _ledger(tmp_path, scheme=[("{id: slack, name: 推进不力, min: 1, max: 10}",
                                      "{id: slack, name: 推进不力, min: 10, max: 1}")])
    _said(cli, root,
          "scheme.yaml:23:36: error LS306 负面清单类别 slack 的扣分范围 10–1 下限大于上限：请改正",
          "scheme.yaml:23:36: error LS306 deduction category slack has min 10 above max 1: "
          "correct the range")


def test_a_rule_id_written_twice_is_ls108(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`rules_applied` names a rule by its id: two rules `frequent` were told apart by
    nothing in the JSON and Parquet outputs."""
    root = _ledger(tmp_path, scheme=[("interview_bottom: 1\n", (
        "interview_bottom: 1\n"
        "rules:\n"
        "  - {id: frequent, when: {deductions_count: {min: 2}}, downgrade: 1}\n"
        "  - {id: frequent, when: {bonuses_in: [praise]}, min_grade: 良好}\n"))])
    zh = ("scheme.yaml:40:10: error LS108 规则 frequent 重复（第一次定义于 scheme.yaml:39）："
          "标识必须唯一，请改名或删除一个")
    _said(cli, root, zh,
          "scheme.yaml:40:10: error LS108 rule frequent is defined twice (first at "
          "scheme.yaml:39): ids must be unique; rename or remove one")


# ---- 8. ceiling below floor; a quota on the last grade ---------------------------------------

def test_a_ceiling_below_the_floor_is_an_error_at_the_ceiling(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """score = min(max(raw − deductions + bonuses, floor), ceiling) (SPEC §10): with
    floor 50 and ceiling 40 every unit scores min(max(x, 50), 40) = 40 whatever x is
    (甲局 79.94, 丙局 96.00 and 四街道 −19.40 all published 40.00)."""
    root = _ledger(tmp_path, scheme=[("  floor: -20", "  floor: 50"),
                                     ("  ceiling: 100", "  ceiling: 40")])
    zh = ("scheme.yaml:26:12: error LS313 bonuses.ceiling 40 低于 deductions.floor 50："
          "得分先按下限保底、再按上限封顶，每个单位都只能得 40 分：请把 ceiling 调到不低于 50，"
          "或调低 floor")
    _said(cli, root, zh,
          "scheme.yaml:26:12: error LS313 bonuses.ceiling 40 is below deductions.floor 50: "
          "a score is raised to the floor and then capped at the ceiling, so every unit would "
          "score 40: raise the ceiling to at least 50 or lower the floor")


def test_a_ceiling_equal_to_the_floor_or_above_it_is_accepted(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    root = _ledger(tmp_path, scheme=[("  floor: -20", "  floor: 50"),
                                     ("  ceiling: 100", "  ceiling: 50")])
    assert _findings(cli, root, "zh") == []


def test_max_share_on_the_last_grade_is_a_warning_at_the_key(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """A unit over a grade's quota moves to the next grade (`apply_quotas`); below the
    last there is none, so `max_share: 10` on 较差 was silently never read."""
    root = _ledger(tmp_path, scheme=[("  - {name: 较差, min: 0}",
                                      "  - {name: 较差, min: 0, max_share: 10}")])
    _said(cli, root,
          "scheme.yaml:33:24: warning LS314 最后一个等次 较差 写了 max_share，但超出名额的单位"
          "要顺延到下一等次，最后一个等次之下没有等次，这个名额不起作用：请删去它，或写在上面的等次",
          "scheme.yaml:33:24: warning LS314 the last grade 较差 has max_share, but a unit over "
          "a quota moves to the next grade and there is none below the last, so the setting "
          "has no effect: remove it, or put the quota on a grade above",
          refused=False)


# ---- 10. LS417 names the component that carries the applies_to -------------------------------

def test_ls417_names_the_parent_that_holds_the_applies_to_and_its_line(
        cli: Callable[..., Run], example: Path) -> None:
    """渭南: applies_to written on 作风建设提升年活动开展情况 (activities, line 21)
    leaves 城改办 (kind office) out of its leaves; the records score 城改办's 大培训 and
    大锻炼.  The warning named the leaf and said to edit "the component's applies_to",
    which 大培训 does not have."""
    scheme = example / "scheme.yaml"
    text = scheme.read_text(encoding="utf-8")
    marker = "        scored_by: 党群工作部\n        children:\n          # 附件2"
    assert text.count(marker) == 1
    scheme.write_text(text.replace(marker, marker.replace(
        "党群工作部\n", "党群工作部\n        applies_to: {kinds: [subdistrict, community, "
        "department], units: [dongqu]}\n")), encoding="utf-8")

    def ls417(lang: str) -> list[str]:
        run = cli("validate", example, "--lang", lang)
        return [line for line in run.stdout.splitlines()
                if "LS417" in line and line.startswith(("records/2021-Q1.yaml:74:",
                                                         "records/2021-Q1.yaml:75:"))]

    assert ls417("zh") == [
        "records/2021-Q1.yaml:74:5: warning LS417 期间 2021-Q1：按 scheme.yaml 的 applies_to，"
        "指标 大培训 不考核 城改办，这个得分不计入：请删去，或把该单位（或其类别）加入上级指标 "
        "作风建设提升年活动开展情况 的 applies_to（scheme.yaml:21）",
        "records/2021-Q1.yaml:75:5: warning LS417 期间 2021-Q1：按 scheme.yaml 的 applies_to，"
        "指标 大锻炼 不考核 城改办，这个得分不计入：请删去，或把该单位（或其类别）加入上级指标 "
        "作风建设提升年活动开展情况 的 applies_to（scheme.yaml:21）"]
    assert ls417("en") == [
        "records/2021-Q1.yaml:74:5: warning LS417 period 2021-Q1: by applies_to in "
        "scheme.yaml, component 大培训 does not assess 城改办, so this score is not counted: "
        "remove it, or add the unit (or its kind) to the applies_to of the parent component "
        "作风建设提升年活动开展情况 (scheme.yaml:21)",
        "records/2021-Q1.yaml:75:5: warning LS417 period 2021-Q1: by applies_to in "
        "scheme.yaml, component 大锻炼 does not assess 城改办, so this score is not counted: "
        "remove it, or add the unit (or its kind) to the applies_to of the parent component "
        "作风建设提升年活动开展情况 (scheme.yaml:21)"]


def test_ls417_words_each_holder_of_the_applies_to(cli: Callable[..., Run]) -> None:
    """Review 28 defect 3: two `source: tasks` leaves, 任务甲 (d1) with its own
    applies_to, 任务乙 (d2) under 上级乙 (pp) which holds it; 甲局's quality for T-01 is
    left out of both.  LS417 called both holders 上级指标 / "the parent component",
    though 任务甲 is no parent: each is now worded as what it is."""
    root = REPO / "tests" / "fixtures" / "scheme2b" / "ls417-holders"
    zh = cli("validate", root).stdout
    assert ("records/2024-Q1.yaml:6:14: warning LS417 期间 2024-Q1：按 scheme.yaml 的 applies_to，"
            "指标 任务甲、任务乙 不考核 甲局，这个得分不计入：请删去，或把该单位（或其类别）加入指标 "
            "任务甲、上级指标 上级乙 的 applies_to（scheme.yaml）") in zh, zh
    en = cli("validate", root, "--lang", "en").stdout
    assert ("records/2024-Q1.yaml:6:14: warning LS417 period 2024-Q1: by applies_to in "
            "scheme.yaml, component 任务甲, 任务乙 does not assess 甲局, so this score is not "
            "counted: remove it, or add the unit (or its kind) to the applies_to of component "
            "任务甲 and the parent component 上级乙 (scheme.yaml)") in en, en
