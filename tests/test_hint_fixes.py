"""The hints of validate, followed literally (audit): the id a "did you mean" offers,
the id of a name written where the id belongs, the value a date, month or period
finding tells to write — a clerk who writes what the finding says gets a clean line,
not a second error (t01 → t21, a duplicate key) or a wrong date (2024-05-31)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


@pytest.fixture
def weinan(tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Path:
    """`luoshi init --example weinan`, the current directory (paths print as records/…)."""
    root = tmp_path / "weinan"
    assert cli("init", root, "--example", "weinan").exit_code == 0
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def beilin(tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Path:
    """`luoshi init --example beilin`, the current directory."""
    root = tmp_path / "beilin"
    assert cli("init", root, "--example", "beilin").exit_code == 0
    monkeypatch.chdir(root)
    return root


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def _found(cli: Callable[..., Run], rel: str, lang: str = "zh", *codes: str) -> list[str]:
    """The errors (and findings of `codes`) about `rel`, `file:line:col: severity code message`."""
    run = cli("validate", ".", "--lang", lang)
    return [line for line in run.stdout.splitlines()
            if line.startswith(f"{rel}:") and (" error " in line or
                                               any(f" {c} " in line for c in codes))]


def _clean(cli: Callable[..., Run], rel: str) -> None:
    assert _found(cli, rel) == []


# ---- F4: "did you mean" among equals -----------------------------------------------------

def test_an_item_without_its_leading_zero_is_offered_the_item_it_means(
        cli: Callable[..., Run], weinan: Path) -> None:
    """`t1: 4.5` for `t01`: difflib rates t21 as close as t01 and offered t21 (the larger
    string), a key already written beside it (writing it: LS011, a duplicate key)."""
    rec = "records/2021-Q1.yaml"
    _edit(weinan, rec, "training: {t01: 4.5,", "training: {t1: 4.5,")
    assert _found(cli, rec, "zh", "LS408") == [
        "records/2021-Q1.yaml:25:5: warning LS408 期间 2021-Q1：崇业路街道 的指标 大培训 缺少细项 "
        "t01 的得分，按 0 分计算",
        "records/2021-Q1.yaml:25:16: error LS114 chongyelu 的 training 引用了指标 training 中"
        "不存在的评分细项 t1（是不是 t01？）：请对照 scheme.yaml 改正"]
    assert _found(cli, rec, "en") == [
        "records/2021-Q1.yaml:25:16: error LS114 chongyelu / training names unknown checklist "
        "item t1 of training (did you mean t01?): check it against scheme.yaml"]
    _edit(weinan, rec, "training: {t1: 4.5,", "training: {t01: 4.5,")
    _clean(cli, rec)


def test_a_key_already_written_beside_is_not_offered(
        cli: Callable[..., Run], weinan: Path) -> None:
    """`t2o` for `t20`: t20, t21 and t02 are equally close; t21 (the larger string) was
    offered, though it is written in the same mapping."""
    rec = "records/2021-Q1.yaml"
    _edit(weinan, rec, "t20: 4.5, t21: 3}", "t2o: 4.5, t21: 3}")
    assert _found(cli, rec) == [
        "records/2021-Q1.yaml:25:190: error LS114 chongyelu 的 training 引用了指标 training 中"
        "不存在的评分细项 t2o（是不是 t20？）：请对照 scheme.yaml 改正"]
    _edit(weinan, rec, "t2o: 4.5", "t20: 4.5")
    _clean(cli, rec)


def test_a_task_id_without_its_zeros_is_offered_the_task_it_means(
        cli: Callable[..., Run], weinan: Path) -> None:
    """`tasks: [WN-9]`: WN-019 was offered (as close as WN-009 to difflib, and larger)."""
    sup = "supervision/2021.yaml"
    (weinan / "supervision").mkdir()
    (weinan / sup).write_text(
        "rectifications:\n"
        "  - id: ZG-2021-01\n"
        "    unit: chongyelu\n"
        "    tasks: [WN-9]\n"
        "    source: red_light\n"
        "    opened: 2021-06-12\n"
        "    due: 2021-06-30\n"
        "    closed: {date: 2021-06-28, approved_by: wang-shuji, evidence: 整改报告}\n",
        encoding="utf-8")
    assert _found(cli, sup) == [
        "supervision/2021.yaml:4:13: error LS116 整改 ZG-2021-01 引用了不存在的任务 WN-9"
        "（是不是 WN-009？）：请改正任务编号"]
    _edit(weinan, sup, "[WN-9]", "[WN-009]")
    _clean(cli, sup)


def test_equal_but_for_zeros_is_found_among_many_ids() -> None:
    """Among 20,000 ids (the one-deletion index, not difflib over all) `T-9` is two
    deletions from `T-00009` and is still offered it."""
    from luoshi_cli.checks.registry import near

    ids = {f"T-{n:05d}" for n in range(20000)}
    assert near("T-9", ids).en == " (did you mean T-00009?)"
    assert near("T-00100", {"T-100", "T-1000", "T-10"}).en == " (did you mean T-100?)"
    # however far difflib rates it (0.57, under its cutoff of 0.6)
    assert near("t1", {"t0001", "t21"}).en == " (did you mean t0001?)"


# ---- F6: a tag written by its name ----------------------------------------------------------

def _tagged(root: Path, tag: str) -> None:
    with (root / "luoshi.yaml").open("a", encoding="utf-8") as f:
        f.write("tags:\n  - {id: board, name: 任务榜}\n")
    _edit(root, "tasks/key.yaml", "  category: key\n", f"  category: key\n  tags: [{tag}]\n")


@pytest.mark.parametrize(("tag", "lang", "expected"), [
    ("任务榜", "zh", "tasks/key.yaml:5:10: error LS118 任务 K-01 引用了未在 luoshi.yaml 的 tags 中"
     "声明的标签 任务榜（任务榜 是标签 board 的名称）：请写 board"),
    ("任务榜", "en", "tasks/key.yaml:5:10: error LS118 task K-01 names tag 任务榜, which "
     "luoshi.yaml does not declare under tags (任务榜 is the name of tag board): write board"),
    ("bord", "zh", "tasks/key.yaml:5:10: error LS118 任务 K-01 引用了未在 luoshi.yaml 的 tags 中"
     "声明的标签 bord（是不是 board？）：请先声明 {id, name} 或改正标签"),
])
def test_a_tag_written_by_its_name_is_given_its_id(
        cli: Callable[..., Run], beilin: Path, tag: str, lang: str, expected: str) -> None:
    """luoshi.yaml declares {id: board, name: 任务榜}; `tags: [任务榜]` was told to declare
    it (it is declared, by name) — as LS110–LS113 do, the id to write."""
    _tagged(beilin, tag)
    assert _found(cli, "tasks/key.yaml", lang) == [expected]
    _edit(beilin, "tasks/key.yaml", f"tags: [{tag}]", "tags: [board]")
    _clean(cli, "tasks/key.yaml")


# ---- F7: a name or a blank where a record's id belongs -------------------------------------

@pytest.mark.parametrize(("line", "ident", "written", "expected"), [
    ("category: slack, date: 2024-02-20", "slack", "推进不力、敷衍应付",
     "records/2024-Q1.yaml:21:35: error LS115 扣分记录引用了负面清单中不存在的类别 推进不力、敷衍应付"
     "（推进不力、敷衍应付 是扣分类别 slack 的名称）：请写 slack"),
    ("category: praise, date: 2024-03-18", "praise", "获上级表扬或推广经验",
     "records/2024-Q1.yaml:27:34: error LS416 加分记录引用了不存在的加分类别 获上级表扬或推广经验"
     "（获上级表扬或推广经验 是加分类别 praise 的名称）：请写 praise"),
    ("  K-02: 80\n", "K-02", "K-02\u3000",
     "records/2024-Q1.yaml:15:3: error LS116 2024-Q1 质量评分引用了不存在的任务 K-02\u3000："
     "请删去末尾的全角空格，写 K-02"),
], ids=["deduction", "bonus", "quality-blank"])
def test_a_record_s_name_or_blank_is_given_the_id_to_write(
        cli: Callable[..., Run], beilin: Path, line: str, ident: str, written: str,
        expected: str) -> None:
    """A category's name (scheme.yaml) written for its id got only "check it against
    scheme.yaml"; `K-02　` (U+3000) got "did you mean K-02?", which looks the same.
    Writing what the finding says makes the line clean."""
    rec = "records/2024-Q1.yaml"
    wrong = line.replace(ident, written, 1)
    _edit(beilin, rec, line, wrong)
    assert _found(cli, rec) == [expected]
    told = re.search(r"写 (\S+)$", expected)
    assert told is not None
    _edit(beilin, rec, wrong, wrong.replace(written, told.group(1), 1))
    _clean(cli, rec)


def test_a_category_name_in_english(cli: Callable[..., Run], beilin: Path) -> None:
    rec = "records/2024-Q1.yaml"
    _edit(beilin, rec, "category: praise, date: 2024-03-18",
          "category: 获上级表扬或推广经验, date: 2024-03-18")
    assert _found(cli, rec, "en") == [
        "records/2024-Q1.yaml:27:34: error LS416 a bonus names unknown bonus category "
        "获上级表扬或推广经验 (获上级表扬或推广经验 is the name of bonus category praise): write praise"]


# ---- F12: a date, month or period in another form: the value it is ------------------------

DUE = "    - {due: 2024-02-29, standard: 开工5个, done: 2024-02-28}\n"


@pytest.mark.parametrize("written", [
    "2024/02/29", "2024.2.29", "2024年2月29日", "2024-2-29", "２０２４－０２－２９"])
def test_a_date_in_another_form_is_told_that_date(
        cli: Callable[..., Run], beilin: Path, written: str) -> None:
    """The fixed example 请写成如 2024-05-31 was followed literally: validate passed with
    a wrong due date."""
    _edit(beilin, "tasks/key.yaml", DUE, DUE.replace("due: 2024-02-29", f"due: {written}"))
    assert _found(cli, "tasks/key.yaml") == [
        f"tasks/key.yaml:11:13: error LS106 任务 K-01：序时节点 due 的值 {written} 不是 "
        "YYYY-MM-DD 形式的日期：请写 2024-02-29"]
    assert _found(cli, "tasks/key.yaml", "en") == [
        f"tasks/key.yaml:11:13: error LS106 task K-01: milestone due: {written} is not a "
        "YYYY-MM-DD date: write 2024-02-29"]
    _edit(beilin, "tasks/key.yaml", f"due: {written}", "due: 2024-02-29")
    _clean(cli, "tasks/key.yaml")


@pytest.mark.parametrize(("written", "expected"), [
    ("2024/02/30", "tasks/key.yaml:11:13: error LS106 任务 K-01：序时节点 due 的值 2024/02/30 不是 "
     "YYYY-MM-DD 形式的日期：请写成如 2024-05-31"),
    ("2024-02-30", "tasks/key.yaml:11:13: error LS204 任务 K-01：序时节点 due 2024-02-30 不是真实"
     "存在的日期：请改正"),
])
def test_a_date_that_is_no_day_keeps_its_message(
        cli: Callable[..., Run], beilin: Path, written: str, expected: str) -> None:
    _edit(beilin, "tasks/key.yaml", DUE, DUE.replace("due: 2024-02-29", f"due: {written}"))
    assert _found(cli, "tasks/key.yaml") == [expected]


MONTH = '    - {month: "2024-03", progress: 50}\n'


@pytest.mark.parametrize(("written", "fix_zh", "fix_en"), [
    ("2024-3", '请写 "2024-03"', 'write "2024-03"'),
    ("2024年3月", '请写 "2024-03"', 'write "2024-03"'),
    ("“2024-03”", '请用半角引号，写 "2024-03"', 'use ASCII quotes: write "2024-03"'),
])
def test_a_month_in_another_form_is_told_that_month(
        cli: Callable[..., Run], beilin: Path, written: str, fix_zh: str, fix_en: str) -> None:
    _edit(beilin, "tasks/key.yaml", MONTH, MONTH.replace('"2024-03"', written))
    assert _found(cli, "tasks/key.yaml") == [
        f"tasks/key.yaml:16:15: error LS107 任务 K-01：月度进展 month 的值 {written} 不是 YYYY-MM "
        f"形式的月份：{fix_zh}"]
    assert _found(cli, "tasks/key.yaml", "en") == [
        f"tasks/key.yaml:16:15: error LS107 task K-01: update month: {written} is not a "
        f"YYYY-MM month: {fix_en}"]
    _edit(beilin, "tasks/key.yaml", f"month: {written}", 'month: "2024-03"')
    _clean(cli, "tasks/key.yaml")


@pytest.mark.parametrize("written", ["2024Q1", "2024-q1", "2024年一季度", "2024年第一季度"])
def test_a_period_in_another_form_is_told_that_period(
        cli: Callable[..., Run], beilin: Path, written: str) -> None:
    """The fixed example 2021-Q2 was no period of this ledger."""
    rec = "records/2024-Q1.yaml"
    _edit(beilin, rec, "period: 2024-Q1", f"period: {written}")
    assert _found(cli, rec) == [
        f"records/2024-Q1.yaml:2:9: error LS401 period 的值 {written} 无效：请写 2024-Q1"]
    assert _found(cli, rec, "en") == [
        f"records/2024-Q1.yaml:2:9: error LS401 period {written} is not valid: write 2024-Q1"]
    _edit(beilin, rec, f"period: {written}", "period: 2024-Q1")
    _clean(cli, rec)


def test_a_period_that_is_none_keeps_its_message(cli: Callable[..., Run], beilin: Path) -> None:
    rec = "records/2024-Q1.yaml"
    _edit(beilin, rec, "period: 2024-Q1", "period: 2024-Q5")
    assert _found(cli, rec) == [
        'records/2024-Q1.yaml:2:9: error LS401 period 的值 2024-Q5 无效：季度写成 2021-Q2，年度写成 '
        '2021，月份写成 "2024-05"']


# ---- F11: a number or yes/no with a word the clerk added ----------------------------------

@pytest.mark.parametrize(("rel", "line", "written", "expected"), [
    ("records/2024-Q1.yaml", "  K-02: 80\n", "  K-02: 80分\n",
     "records/2024-Q1.yaml:15:9: error LS103 K-02 应为数字，实际是文本“80分”：请去掉“分”，写 80"),
    ("records/2024-Q1.yaml", "  K-02: 80\n", "  K-02: 4.5分\n",
     "records/2024-Q1.yaml:15:9: error LS103 K-02 应为数字，实际是文本“4.5分”：请去掉“分”，写 4.5"),
    ("luoshi.yaml", "year: 2024\n", "year: 2024年\n",
     "luoshi.yaml:8:7: error LS103 year 应为整数，实际是文本“2024年”：请去掉“年”，写 2024"),
    ("records/2024-Q1.yaml", "provisional: true,", "provisional: 是,",
     "records/2024-Q1.yaml:23:81: error LS103 provisional 应为 true 或 false，实际是文本“是”："
     "请写 true"),
], ids=["80分", "4.5分", "2024年", "是"])
def test_a_value_with_a_word_added_is_told_the_value(
        cli: Callable[..., Run], beilin: Path, rel: str, line: str, written: str,
        expected: str) -> None:
    """`80分`, `year: 2024年`, `provisional: 是` got "请改正" alone."""
    _edit(beilin, rel, line, written)
    assert _found(cli, rel) == [expected]
    told = re.search(r"写 (\S+)$", expected)
    assert told is not None
    value = written.split(": ", 1)[1].rstrip("\n,")
    _edit(beilin, rel, written, written.replace(value, told.group(1), 1))
    _clean(cli, rel)


def test_a_number_with_a_guess_in_it_is_not_guessed(
        cli: Callable[..., Run], beilin: Path) -> None:
    rec = "records/2024-Q1.yaml"
    _edit(beilin, rec, "  K-02: 80\n", "  K-02: 约80\n")
    assert _found(cli, rec, "en") == [
        'records/2024-Q1.yaml:15:9: error LS103 K-02 should be a number, not the text "约80": '
        "correct it"]
