"""Issue 18: names accepted wherever ids are on the command line (one resolver,
`cli.options.resolve_id`), with "did you mean" for names and ids; names, not ids, in
human-facing text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run

WEINAN = REPO / "examples" / "weinan-2021"
AS_OF = ("--as-of", "2021-06-30")


@pytest.mark.parametrize("command", [
    ("supervise",),
    ("bulletin", "--quarter", "Q2"),
], ids=["supervise", "bulletin"])
def test_unit_by_name_is_the_unit_by_id(cli: Callable[..., Run],
                                        command: tuple[str, ...]) -> None:
    by_name = cli(*command, WEINAN, "--unit", "经济发展局", *AS_OF)
    by_id = cli(*command, WEINAN, "--unit", "jingfaju", *AS_OF)
    assert by_name.exit_code == 0, by_name.stderr
    assert by_name.stdout == by_id.stdout and "经济发展局" in by_id.stdout


@pytest.mark.parametrize("command", [
    ("supervise",),
    ("bulletin", "--quarter", "Q2"),
], ids=["supervise", "bulletin"])
def test_unit_typo_gets_did_you_mean(cli: Callable[..., Run], command: tuple[str, ...]) -> None:
    name = cli(*command, WEINAN, "--unit", "经济发展", *AS_OF)
    assert name.exit_code == 2 and name.stdout == ""
    assert name.stderr == ("luoshi: --unit 经济发展：台账中没有这个单位（代码或名称，见 units.yaml）"
                           "；是否想写 jingfaju（经济发展局）？\n")
    ident = cli(*command, WEINAN, "--unit", "jingfajv", "--lang", "en", *AS_OF)
    assert ident.exit_code == 2
    assert ident.stderr == ("luoshi: --unit jingfajv: no unit with this id or name in the "
                            "ledger (see units.yaml); did you mean jingfaju (经济发展局)?\n")


CONFIG = """\
year: 2024
categories:
  - {id: econ, name: 经济发展}
  - {id: city, name: 城市更新}
"""
UNITS = """\
units:
  - {id: fgw, name: 区发改委}
leaders:
  - {id: zhang, name: 张某某}
"""


def _sheet(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["任务名称", "牵头单位", "包抓领导", "完成时限"])
    ws.append(["推进A", "区发改委", "张某某", "年底"])
    wb.save(path)
    return path


def test_import_category_by_name_and_typo(write: Callable[..., Path], cli: Callable[..., Run],
                                          tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "a.xlsx")
    out = {}
    for value in ("城市更新", "city"):
        root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS}, tmp_path / value)
        r = cli("import", "tasks", sheet, root, "--category", value, "--as-of", "2024-05-31")
        assert r.exit_code == 0, r.stderr
        out[value] = (root / "tasks/imported.yaml").read_text(encoding="utf-8")
    assert out["城市更新"] == out["city"] and "category: city" in out["city"]
    root = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS}, tmp_path / "typo")
    r = cli("import", "tasks", sheet, root, "--category", "citty", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == ("luoshi: --category citty: no category with this id or name in the "
                        "ledger (see luoshi.yaml); did you mean city (城市更新)?\n")


def _ledger() -> object:
    from luoshi_cli.api import open_ledger

    return open_ledger(WEINAN).ledger


@pytest.mark.parametrize(("kind", "text", "expected"), [
    ("unit", "经济发展局", "jingfaju"),
    ("leader", "李某某", "li-zhuren"),
    ("category", "招商引资", "invest"),
    ("category", "invest", "invest"),
])
def test_resolve_id_takes_ids_and_names(kind: str, text: str, expected: str) -> None:
    from luoshi_cli.cli.options import resolve_id

    assert resolve_id(_ledger(), kind, text, "--x", "en") == expected  # type: ignore[arg-type]


def test_resolve_id_leader_typo() -> None:
    from luoshi_cli.cli.options import resolve_id
    from luoshi_cli.core.errors import UsageError

    with pytest.raises(UsageError) as exc:
        resolve_id(_ledger(), "leader", "li-zhuran", "--leader", "zh")  # type: ignore[arg-type]
    assert exc.value.code == 2
    assert exc.value.label.en == ("--leader li-zhuran: no leader with this id or name in the "
                                  "ledger (see units.yaml); did you mean li-zhuren (李某某), "
                                  "liu-fuzhuren (刘某某)?")


def test_resolve_id_refuses_a_name_two_units_share(write: Callable[..., Path]) -> None:
    from luoshi_cli.api import open_ledger
    from luoshi_cli.cli.options import resolve_id
    from luoshi_cli.core.errors import UsageError

    units = "units:\n  - {id: a1, name: 同名局}\n  - {id: a2, name: 同名局}\n"
    root = write({"luoshi.yaml": "year: 2024\n", "units.yaml": units})
    with pytest.raises(UsageError) as exc:
        resolve_id(open_ledger(root).ledger, "unit", "同名局", "--unit", "zh")
    assert exc.value.label.zh == "--unit 同名局：有 2 个单位叫这个名称（a1、a2）：请写代码"


def test_score_table_names_inapplicable_and_missing_components(cli: Callable[..., Run],
                                                               tmp_path: Path) -> None:
    """The 不适用 and 缺失得分 columns name components (政务服务评价), not ids (service)."""
    import shutil

    kaohe = tmp_path / "kaohe"
    shutil.copytree(REPO / "ledgers" / "beilin-2024-kaohe", kaohe)
    r = cli("score", kaohe, "-q", "1", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    row = next(line for line in r.stdout.splitlines() if " shangwuju " in line)
    assert row.split() == ["区级部门", "2", "区商务局", "shangwuju", "91.87", "良好", "(优秀→良好)",
                           "政务服务评价"]
    assert "service" not in r.stdout
    rec = kaohe / "records/2024-Q1.yaml"
    rec.write_text(rec.read_text(encoding="utf-8").replace(
        "zhangjiacun: {inspection: 78, service: 85}", "zhangjiacun: {inspection: 78}"),
        encoding="utf-8")
    r = cli("score", kaohe, "-q", "1", "--lang", "en")
    row = next(line for line in r.stdout.splitlines() if " 张家村街道 " in line)
    assert row.rstrip().endswith("   政务服务评价")  # the Missing column
    assert "service" not in r.stdout
    assert ("records/2024-Q1.yaml:11:3: warning LS407 period 2024-Q1: 张家村街道 has no score "
            "for 政务服务评价: scoring counts it as 0 and lists it as missing; add it"
            ) in r.stderr.splitlines()


def test_diff_names_the_lead_unit(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`luoshi diff` lists added/removed/closed tasks with the lead unit's name (text and
    the pull-request comment), not `dangqunbu`; JSON keeps the id for machines."""
    import shutil

    from conftest import commit, git

    repo = tmp_path / "w"
    shutil.copytree(WEINAN, repo)
    git(repo, "init", "-q")
    commit(repo, "v1")
    git(repo, "tag", "v1")
    git(repo, "rm", "-q", "tasks/style.yaml")
    r = cli("diff", "v1", repo, *AS_OF, "--lang", "en")
    assert r.stdout.splitlines()[2] == "  - WN-016 “我为群众办实事”实践活动 (党群工作部)"
    md = cli("diff", "v1", repo, *AS_OF, "--format", "md")
    assert "| 删除 | WN-016 | “我为群众办实事”实践活动 | 党群工作部 |" in md.stdout.splitlines()
    assert '"lead": "dangqunbu"' in cli("diff", "v1", repo, *AS_OF, "--format", "json").stdout


def test_diff_reasons_name_components_items_and_categories(cli: Callable[..., Run],
                                                           tmp_path: Path) -> None:
    """A score's reasons in `diff` read 大锻炼/重点工作一线锻炼, not exercise/e1."""
    import shutil

    from conftest import commit, edit, git

    repo = tmp_path / "w"
    shutil.copytree(WEINAN, repo)
    git(repo, "init", "-q")
    commit(repo, "v1")
    edit(repo / "records/2021-Q2.yaml", "exercise: {e1: 18.5, e2: 18.5, e3: 18,",
         "exercise: {e1: 10.5, e2: 18.5, e3: 18,")
    r = cli("diff", "HEAD", repo, *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert "      2021-Q2 大锻炼/重点工作一线锻炼 细项得分 18.5 → 10.5" in r.stdout.splitlines()


def test_score_notes_name_unranked_units() -> None:
    """"Not ranked" lists units by name when the table knows them."""
    from dataclasses import replace

    from luoshi_cli.api import open_ledger, score
    from luoshi_cli.report.scores import notes

    led = open_ledger(WEINAN).ledger
    result = replace(score(led, "2021-Q2"), unscored=("jingfaju", "gone"))
    names = {uid: u.name for uid, u in led.units.items()}
    assert notes(result, "zh", names)[-1] == "未参加排名（本期没有可计分的指标）：经济发展局、gone"
    assert notes(result, "en", names)[-1] == ("Not ranked (nothing assessed in this period): "
                                              "经济发展局, gone")


def test_two_units_with_one_name_are_warned_about(cli: Callable[..., Run],
                                                  tmp_path: Path) -> None:
    """LS119 (audit): two units both named 区发改委 — exactly, or one with a zero-width
    space inside — ranked as two indistinguishable rows in the bulletin, and `--unit`
    by name found one of them.  The warning names both units, shows the invisible
    character, and points at the first one's line (units.yaml:10, jingfaju)."""
    import shutil

    root = tmp_path / "wn"
    shutil.copytree(WEINAN, root)
    units = root / "units.yaml"
    text = units.read_text(encoding="utf-8")
    for old in ("{id: guijianju,     name: 规划建设局,  ", "{id: shehuiju,      name: 社会事业局,  "):
        assert old in text
    text = text.replace("{id: guijianju,     name: 规划建设局,  ",
                        "{id: guijianju,     name: 经济发展局,  ").replace(
        "{id: shehuiju,      name: 社会事业局,  ", "{id: shehuiju,      name: 经济\u200b发展局,")
    units.write_text(text, encoding="utf-8")
    r = cli("validate", root, *AS_OF)
    tail = ("：通报、排名和督办单中无法区分这两个单位，--unit 按名称也只能找到其中一个；"
            "请改用不同的名称（例如加上所属的镇街或上级单位）")
    assert [x for x in r.stdout.splitlines() if "LS119" in x] == [
        "units.yaml:11:31: warning LS119 单位 guijianju 的名称 经济发展局 与单位 jingfaju 的名称"
        "相同（见 units.yaml:10）" + tail,
        "units.yaml:12:31: warning LS119 单位 shehuiju 的名称 经济<U+200B>发展局 与单位 jingfaju "
        "的名称去掉不可见字符、统一全角半角后相同（见 units.yaml:10）" + tail]


def test_two_units_whose_names_differ_by_a_blank_drawn_character(cli: Callable[..., Run],
                                                                tmp_path: Path) -> None:
    """LS119 set aside only format characters (category Cf): a Hangul filler (U+3164,
    a letter to Unicode) or a Braille blank (U+2800, a symbol) after 经济发展局 drew
    nothing, and the three units printed alike with no warning.  They are set aside
    as every character `safetext` escapes as invisible is, and written out."""
    import shutil

    root = tmp_path / "wn"
    shutil.copytree(WEINAN, root)
    units = root / "units.yaml"
    text = units.read_text(encoding="utf-8")
    text = text.replace("{id: guijianju,     name: 规划建设局,  ",
                        "{id: guijianju,     name: 经济发展局\u3164, ").replace(
        "{id: shehuiju,      name: 社会事业局,  ", "{id: shehuiju,      name: 经济发展局\u2800, ")
    units.write_text(text, encoding="utf-8")
    r = cli("validate", root, *AS_OF)
    tail = ("的名称去掉不可见字符、统一全角半角后相同（见 units.yaml:10）：通报、排名和督办单中无法区分"
            "这两个单位，--unit 按名称也只能找到其中一个；请改用不同的名称（例如加上所属的镇街或上级单位）")
    assert [x for x in r.stdout.splitlines() if "LS119" in x] == [
        "units.yaml:11:31: warning LS119 单位 guijianju 的名称 经济发展局<U+3164> 与单位 jingfaju "
        + tail,
        "units.yaml:12:31: warning LS119 单位 shehuiju 的名称 经济发展局<U+2800> 与单位 jingfaju "
        + tail]


@pytest.mark.parametrize("command", [
    ("supervise",), ("bulletin", "--quarter", "Q2"), ("status",),
], ids=["supervise", "bulletin", "status"])
def test_unit_id_in_capitals_is_the_unit(cli: Callable[..., Run],
                                         command: tuple[str, ...]) -> None:
    """`--unit JINGFAJU` got no "did you mean" (ids are lowercase by spec): an id or a
    name is matched in any case once the exact spelling is not found."""
    upper = cli(*command, WEINAN, "--unit", "JINGFAJU", *AS_OF)
    exact = cli(*command, WEINAN, "--unit", "jingfaju", *AS_OF)
    assert upper.exit_code == 0, upper.stderr
    assert upper.stdout == exact.stdout
    r = cli("score", WEINAN, "-q", "Q2", "--explain", "JinChengSheQu", *AS_OF)
    assert r.exit_code == 0 and "金城社区" in r.stdout


@pytest.mark.parametrize(("command", "upper", "lower"), [
    (("validate", WEINAN, *AS_OF), ("--format", "JSON"), ("--format", "json")),
    (("status", WEINAN, *AS_OF), ("-f", "CSV", "--light", "RED", "--by", "Lead"),
     ("-f", "csv", "--light", "red", "--by", "lead")),
    (("score", WEINAN, "-q", "Q2", *AS_OF), ("-f", "Json"), ("-f", "json")),
    (("bulletin", WEINAN, "--month", "2021-05"), ("--edition", "PUBLIC", "-f", "HTML"),
     ("--edition", "public", "-f", "html")),
    (("bulletin", WEINAN, "--month", "2021-5"), (), ()),
    (("supervise", WEINAN, "--unit", "jingfaju", *AS_OF), ("-f", "HTML"), ("-f", "html")),
    (("schema",), ("--kind", "TASKS", "--generic"), ("--kind", "tasks", "--generic")),
], ids=["validate", "status", "score", "bulletin", "bulletin-month", "supervise", "schema"])
def test_choices_in_any_case(cli: Callable[..., Run], command: tuple[str, ...],
                             upper: tuple[str, ...], lower: tuple[str, ...]) -> None:
    """`--format JSON`, `--edition PUBLIC`, `--light RED`, `--kind TASKS` were refused
    while `--lang EN`, `--color ALWAYS`, `-q q2` and `--half h1` were taken: every
    choice is read in any case.  (`--month 2021-5` is 2021-05 for bulletin too.)"""
    got = cli(*command, *upper)
    assert got.exit_code in (0, 1), got.stderr
    if command[:3] == ("bulletin", WEINAN, "--month") and not upper:
        want = cli("bulletin", WEINAN, "--month", "2021-05")
    else:
        want = cli(*command, *lower)
    assert (got.exit_code, got.stdout, got.stderr) == (want.exit_code, want.stdout, want.stderr)


def test_init_example_in_any_case(cli: Callable[..., Run], tmp_path: Path) -> None:
    r = cli("init", tmp_path / "b", "--example", "BEILIN")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "b" / "luoshi.yaml").read_text(encoding="utf-8").endswith(
        (REPO / "ledgers" / "beilin-2024-kaohe" / "luoshi.yaml").read_text(encoding="utf-8"))
