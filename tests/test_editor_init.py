"""Issue 18, init and editor: `luoshi init --year/--blank/--lang en` write clean ledgers,
`luoshi schema` describes every key and lists the ledger's ids, `init` maps the schemas
in .vscode/settings.json, and files luoshi writes point at their schema."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import BEILIN, EXAMPLE, REPO
from luoshi_cli.cli.init_ledger import starter_files, task_start
from luoshi_cli.cli.schema_cmd import vscode_settings
from luoshi_cli.load.editor import KINDS, editor_schema, modeline
from luoshi_cli.load.read import load_file
from test_schema_cmd import schema_errors

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
THIS_YEAR = date.today().year


def properties(node: Any, where: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema in a JSON Schema document, with where it is."""
    if isinstance(node, dict):
        for key, prop in node.get("properties", {}).items():
            yield f"{where}.{key}", prop
        for key, value in node.items():
            yield from properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from properties(value, f"{where}[{i}]")


# ---- luoshi schema: descriptions ------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", [*KINDS, "supervision"])
def test_every_property_has_a_description(kind: str, lang: str) -> None:
    doc = editor_schema(kind, lang)
    found = list(properties(doc))
    assert len(found) >= 3
    for where, prop in found:
        text = prop.get("description")
        assert isinstance(text, str) and text.strip(), where
        if lang == "zh":
            assert CJK.search(text) or text == "id", (where, text)
    for name, definition in doc["definitions"].items():
        assert definition["description"], name


def test_descriptions_follow_the_language(cli: Callable[..., Any]) -> None:
    zh = json.loads(cli("schema", "--kind", "tasks").stdout)
    en = json.loads(cli("schema", "--kind", "tasks", "--lang", "en").stdout)
    assert zh["definitions"]["task"]["properties"]["lead"]["description"] == \
        "牵头单位：写 units.yaml 中单位的 id（不是名称）"
    assert en["definitions"]["task"]["properties"]["lead"]["description"] == \
        "lead unit: the id of a unit in units.yaml (not its name)"
    assert en["definitions"]["milestone"]["properties"]["due"]["description"] == \
        "due date YYYY-MM-DD"


# ---- luoshi schema: this ledger's ids ---------------------------------------------------

def _ids(path: Path, key: str) -> list[tuple[str, str]]:
    data = load_file(path, path.name).data
    return [(x["id"], x["name"]) for x in data[key]]


def test_schema_in_a_ledger_lists_its_ids(cli: Callable[..., Any],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE / "tasks")
    doc = json.loads(cli("schema", "--kind", "tasks").stdout)
    props = doc["definitions"]["task"]["properties"]
    units = _ids(EXAMPLE / "units.yaml", "units")
    leaders = _ids(EXAMPLE / "units.yaml", "leaders")
    categories = _ids(EXAMPLE / "luoshi.yaml", "categories")
    assert props["lead"]["enum"] == [i for i, _ in units]
    assert props["lead"]["enumDescriptions"] == [n for _, n in units]
    assert props["lead"]["enumDescriptions"][:2] == ["崇业路街道", "龙背街道"]
    assert props["lead"]["markdownEnumDescriptions"][0] == "**崇业路街道**"
    assert props["units"]["items"]["enum"] == [i for i, _ in units]
    assert props["cooperating"]["items"]["enum"] == [i for i, _ in units]
    assert props["leaders"]["items"]["enum"] == [i for i, _ in leaders]
    # a leader is shown with the post, so two 王某某 can be told apart
    assert props["leaders"]["items"]["enumDescriptions"][0] == "王某某（党工委书记）"
    assert props["category"]["enum"] == [i for i, _ in categories]
    assert "enum" not in props["tags"]["items"]  # the example declares no tags
    closed = doc["definitions"]["closed"]["properties"]["approved_by"]
    assert closed["enum"] == [i for i, _ in leaders]
    # descriptions stay beside the ids
    assert props["lead"]["description"].startswith("牵头单位")
    # --generic: the schema any ledger can use
    plain = json.loads(cli("schema", "--kind", "tasks", "--generic").stdout)
    assert plain == editor_schema("tasks")
    assert "enum" not in plain["definitions"]["task"]["properties"]["lead"]


def test_schema_lists_tags_and_record_references(cli: Callable[..., Any],
                                                 tmp_path: Path) -> None:
    led = tmp_path / "tagged"
    assert cli("init", led, "--blank", "--year", "2030").exit_code == 0
    with (led / "luoshi.yaml").open("a", encoding="utf-8") as fh:
        fh.write("tags:\n  - {id: ps, name: 任务榜}\n  - {id: hl, name: 亮点牌}\n")
    out = cli("schema", "--kind", "tasks", "--ledger", led)
    items = json.loads(out.stdout)["definitions"]["task"]["properties"]["tags"]["items"]
    assert items["enum"] == ["ps", "hl"]
    assert items["enumDescriptions"] == ["任务榜", "亮点牌"]
    rec = json.loads(cli("schema", "--kind", "record", "--ledger", EXAMPLE).stdout)
    deduction = rec["definitions"]["deduction"]["properties"]
    assert deduction["unit"]["enum"] == [i for i, _ in _ids(EXAMPLE / "units.yaml", "units")]
    assert deduction["category"]["enum"] == ["values", "formalism", "laxity", "apathy", "slack"]


def test_schema_outside_a_ledger_has_no_ids(cli: Callable[..., Any], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    doc = json.loads(cli("schema", "--kind", "tasks", "--lang", "en").stdout)
    assert doc == editor_schema("tasks", "en")
    assert "enum" not in doc["definitions"]["task"]["properties"]["lead"]


def test_schema_language_defaults_to_the_ledgers(cli: Callable[..., Any], tmp_path: Path) -> None:
    led = tmp_path / "en"
    assert cli("init", led, "--year", "2030", "--lang", "en").exit_code == 0
    doc = json.loads(cli("schema", "--kind", "units", "--ledger", led).stdout)
    assert doc["definitions"]["unit"]["properties"]["short"]["description"] == (
        "short name (shown in tables) (quote a number or true/false: validate warns otherwise, "
        "LS017)")
    doc = json.loads(cli("schema", "--kind", "units", "--ledger", led, "--lang", "zh").stdout)
    assert doc["definitions"]["unit"]["properties"]["short"]["description"] == \
        "简称（表格中显示）（数字、true/false 等请加引号，否则 validate 警告 LS017）"


LEDGERS = [EXAMPLE, BEILIN, REPO / "ledgers" / "beilin-2024-kaohe"]


def _kind_of(rel: str) -> str:
    return {"luoshi.yaml": "config", "units.yaml": "units", "scheme.yaml": "scheme"}.get(
        rel, "tasks" if rel.startswith("tasks/") else "record")


def _as_json(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _as_json(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_as_json(v) for v in x]
    if isinstance(x, date):
        return x.isoformat()
    return x


@pytest.mark.parametrize("root", LEDGERS, ids=lambda p: p.name)
def test_bundled_ledgers_pass_their_own_schemas(cli: Callable[..., Any], root: Path,
                                                tmp_path: Path) -> None:
    """The schemas with the ledger's ids accept the ledger itself: by the draft-07
    subset validator of test_schema_cmd, and by jsonschema where it is installed."""
    out = tmp_path / "schemas"
    assert cli("schema", "--ledger", root, "-o", out).exit_code == 0
    checked = 0
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("supervision/", "templates/")):
            continue
        schema = json.loads((out / f"{_kind_of(rel)}.schema.json").read_text(encoding="utf-8"))
        data = _as_json(load_file(path, rel).data)
        assert schema_errors(data, schema) == [], rel
        assert reference_errors(data, schema) in ([], None), rel
        checked += 1
    assert checked >= 5


def reference_errors(data: Any, schema: dict[str, Any]) -> list[str] | None:
    """jsonschema's errors, or None where it is not installed (no dependency added)."""
    try:
        import jsonschema
    except ImportError:
        return None
    return [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(data)]


def test_a_name_where_an_id_belongs_fails_the_schema(tmp_path: Path) -> None:
    from luoshi_cli import api
    from luoshi_cli.load.editor import refs_of

    schema = editor_schema("tasks", "zh", refs_of(api.open_ledger(EXAMPLE).ledger))
    task = _as_json(load_file(EXAMPLE / "tasks" / "city.yaml", "tasks/city.yaml").data)[0]
    assert schema_errors(task, schema) == []
    assert reference_errors(task, schema) in ([], None)
    task["lead"] = "崇业路街道"
    assert schema_errors(task, schema) == ["$: matches 0 of oneOf"]
    assert schema_errors(task, {"$ref": "#/definitions/task"}, schema) == \
        ["$.lead: '崇业路街道' not in enum"]
    assert reference_errors(task, schema) != []


# ---- luoshi init: the clean ledgers -------------------------------------------------------

COMBINATIONS = [
    ("--year", "2030"),
    ("--year", "2030", "--lang", "en"),
    ("--blank",),
    ("--blank", "--lang", "en"),
    ("--blank", "--year", "2030"),
    ("--blank", "--year", "2030", "--lang", "en"),
    ("--lang", "en"),
    ("--example", "weinan"),
    ("--example", "beilin"),
    (),
]


def _as_of(args: tuple[str, ...]) -> str:
    if "beilin" in args:
        return "2024-04-05"
    if args in (("--example", "weinan"), ()):
        return "2021-06-30"
    year = int(args[args.index("--year") + 1]) if "--year" in args else THIS_YEAR
    # inside the year, before the first monthly report falls due (5 February)
    return f"{year}-01-20" if year != THIS_YEAR else date.today().isoformat()


@pytest.mark.parametrize("args", COMBINATIONS, ids=lambda a: " ".join(a) or "default")
def test_every_init_validates_with_zero_findings(cli: Callable[..., Any], tmp_path: Path,
                                                 args: tuple[str, ...]) -> None:
    led = tmp_path / "new"
    r = cli("init", led, *args)
    assert r.exit_code == 0, r.stderr
    v = cli("validate", led, "--as-of", _as_of(args), "--format", "json")
    assert v.exit_code == 0, v.stdout
    assert json.loads(v.stdout) == []
    # and the editor schemas init wrote are the ones validate expects: no "out of
    # date" note (`editor.stale_schemas`), in the ledger's own language
    t = cli("validate", led, "--as-of", _as_of(args))
    assert t.stderr == ("0 errors, 0 warnings\n" if "en" in args else "0 个错误，0 个警告\n")
    # every YAML file points at a schema that exists, relative to itself
    for path in led.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        assert (path.parent / first.split("$schema=")[1]).is_file(), path
    assert json.loads((led / ".vscode" / "settings.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("blank", [False, True])
def test_the_english_ledger_is_english(cli: Callable[..., Any], tmp_path: Path,
                                       blank: bool) -> None:
    """`init en --lang en` wrote a Chinese ledger before issue 18."""
    led = tmp_path / "en"
    r = cli("init", led, "--lang", "en", *(["--blank"] if blank else []))
    assert r.exit_code == 0
    assert r.stdout.startswith(f"Created ledger {led} (")
    for path in led.rglob("*.yaml"):
        assert not CJK.search(path.read_text(encoding="utf-8")), path
    config = (led / "luoshi.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: en " in config
    assert f"\nyear: {THIS_YEAR} " in config
    s = cli("status", led)
    assert s.exit_code == 0 and s.stdout.startswith("Key tasks ledger")


def test_the_chinese_ledger_says_zh(tmp_path: Path, cli: Callable[..., Any]) -> None:
    led = tmp_path / "zh"
    assert cli("init", led, "--year", "2030").exit_code == 0
    config = (led / "luoshi.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: zh " in config and "title: 2030年度重点任务抓落实台账" in config
    assert sorted(p.relative_to(led).as_posix() for p in led.rglob("*") if p.is_file()) == [
        ".luoshi/schema/config.schema.json", ".luoshi/schema/record.schema.json",
        ".luoshi/schema/scheme.schema.json", ".luoshi/schema/stamps.json",
        ".luoshi/schema/supervision.schema.json", ".luoshi/schema/tasks.schema.json",
        ".luoshi/schema/units.schema.json", ".vscode/settings.json", "luoshi.yaml",
        "scheme.yaml", "tasks/city.yaml", "tasks/econ.yaml", "tasks/people.yaml",
        "units.yaml"]
    text = (led / "tasks" / "econ.yaml").read_text(encoding="utf-8")
    assert "updates" not in text and "done:" not in text  # nothing reported or done yet
    assert "    - {due: 2030-03-31, standard: 开工 5 个}\n" in text
    # the scheme is there, with no record yet
    assert not (led / "records").exists()


def test_blank_is_config_units_and_one_explained_task(cli: Callable[..., Any],
                                                       tmp_path: Path) -> None:
    led = tmp_path / "b"
    assert cli("init", led, "--blank", "--year", "2030").exit_code == 0
    yamls = sorted(p.relative_to(led).as_posix() for p in led.rglob("*.yaml"))
    assert yamls == ["luoshi.yaml", "tasks/sample.yaml", "units.yaml"]
    sample = (led / "tasks" / "sample.yaml").read_text(encoding="utf-8")
    data = load_file(led / "tasks" / "sample.yaml", "tasks/sample.yaml").data
    assert len(data) == 1
    # every field of the task has a Chinese comment on its line
    for key in data[0]:
        line = next(x for x in sample.splitlines() if x.lstrip(" -").startswith(f"{key}:"))
        assert "# " in line and CJK.search(line.split("# ", 1)[1]), line
    assert "  start: 2030-01-01          # 开始日期 YYYY-MM-DD\n" in sample


def test_a_year_begun_starts_this_month(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """Initialised during its own year, the tasks start on the first of the month and
    keep only the milestones from then on: validate on that day finds nothing (the
    monthly report of the months before is not owed), and a month later LS601 asks
    for the first report."""
    assert task_start(2031, date(2031, 8, 14)) == date(2031, 8, 1)
    assert task_start(2031, date(2030, 12, 20)) == date(2031, 1, 1)
    files = starter_files(2031, "zh", blank=False, today=date(2031, 8, 14))
    assert "    - {due: 2031-03-31" not in files["tasks/econ.yaml"]
    assert "  start: 2031-08-01\n  standard: 全年开复工重点项目不少于 30 个\n  milestones:\n" \
           "    - {due: 2031-09-30, standard: 开工 24 个}\n" \
           "    - {due: 2031-12-31, standard: 开复工 30 个}\n" in files["tasks/econ.yaml"]
    led = tmp_path / "mid"
    for rel, text in files.items():
        (led / rel).parent.mkdir(parents=True, exist_ok=True)
        (led / rel).write_text(text, encoding="utf-8")
    for day, codes in (("2031-08-14", []), ("2031-09-05", []), ("2031-09-06", ["LS601"] * 4)):
        v = cli("validate", led, "--as-of", day, "--format", "json")
        assert [f["code"] for f in json.loads(v.stdout)] == codes, day


@pytest.mark.parametrize("blank", [False, True])
def test_a_past_year_validates_clean_right_after_init(tmp_path: Path, cli: Callable[..., Any],
                                                     blank: bool) -> None:
    """A past year is judged at its end: its tasks starting on 1 January owed eleven
    monthly reports, and `validate --strict` failed right after `init --year 2025`
    (4 × LS601).  They start on 1 December, and init says why on stderr."""
    year = THIS_YEAR - 1
    assert task_start(year, date(THIS_YEAR, 3, 1)) == date(year, 12, 1)
    led = tmp_path / "past"
    r = cli("init", led, "--year", str(year), *(["--blank"] if blank else []))
    assert r.exit_code == 0, r.stderr
    assert r.stderr == (
        f"luoshi: 说明：{year} 年已过去，台账按年底判断：示例任务从 {year}-12-01 开始，之前各月不需要报送进展"
        "（validate 无警告）；补录往年台账时，请按实际填写开始日期并补写月度进展\n")
    v = cli("validate", led, "--strict", "--format", "json")
    assert (v.exit_code, json.loads(v.stdout)) == (0, [])


def test_init_writes_into_a_fresh_repository(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """`git init x && luoshi init x` (or a clone of a new repository with its README)
    was refused as "not empty"; anything else there still is."""
    import subprocess

    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "README.md").write_text("# 台账\n", encoding="utf-8")
    (repo / ".gitignore").write_text(".luoshi-cache/\n", encoding="utf-8")
    r = cli("init", repo, "--year", "2030")
    assert r.exit_code == 0, r.stderr
    assert (repo / "README.md").read_text(encoding="utf-8") == "# 台账\n"
    assert cli("validate", repo, "--as-of", "2030-01-20").exit_code == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / ".git").mkdir()
    (other / "notes.txt").write_text("x\n", encoding="utf-8")
    r = cli("init", other, "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: {other} is not empty: init never overwrites files; choose an empty "
        "directory (one holding only .git, .gitignore, .gitattributes, a README or a LICENSE "
        "will do)\n")
    assert sorted(p.name for p in other.iterdir()) == [".git", "notes.txt"]


def test_init_refuses_example_with_year_and_years_out_of_range(cli: Callable[..., Any],
                                                                tmp_path: Path) -> None:
    r = cli("init", tmp_path / "x", "--example", "beilin", "--year", "2030", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: --example cannot be combined with --year: an example is a finished ledger "
        "of its own year; for a new year use --year (or --blank) alone\n")
    r = cli("init", tmp_path / "x", "--blank", "--example", "weinan")
    assert r.exit_code == 2 and r.stderr.startswith("luoshi: --example 不能与 --blank 同时使用")
    r = cli("init", tmp_path / "x", "--year", "20300")
    assert (r.exit_code, r.stderr) == (2, "luoshi: --year 20300 无效：请写 1900–2200 之间的年份\n")
    assert not (tmp_path / "x").exists()



def test_init_on_a_file_says_it_is_a_file(cli: Callable[..., Any], tmp_path: Path) -> None:
    """A file is not "a directory that is not empty": say what it is, leave it alone."""
    f = tmp_path / "notes.txt"
    f.write_bytes(b"x\n")
    r = cli("init", f)
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: {f} 是一个文件，不是目录：init 不会覆盖已有文件，请换一个空目录\n")
    r = cli("init", f, "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: {f} is a file, not a directory: init never overwrites files; "
        "choose an empty directory\n")
    assert f.read_bytes() == b"x\n"


def test_init_with_an_empty_path(cli: Callable[..., Any], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`luoshi init ""` used to say ". 不是空目录" (Path("") is the current directory)."""
    monkeypatch.chdir(tmp_path)
    r = cli("init", "")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: 目录路径为空：请写要创建台账的目录，例如 luoshi init my-ledger\n")
    r = cli("init", "", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: the directory path is empty: name the directory to create, "
        "e.g. luoshi init my-ledger\n")
    assert list(tmp_path.iterdir()) == []

# ---- .vscode/settings.json --------------------------------------------------------------

#: the default `files:` (SPEC §3): what luoshi reads, no more (not tasks/sub/x.yml)
EXPECTED_SCHEMAS = {
    "./.luoshi/schema/config.schema.json": ["/luoshi.yaml"],
    "./.luoshi/schema/units.schema.json": ["/units.yaml"],
    "./.luoshi/schema/tasks.schema.json": ["/tasks/*.yaml"],
    "./.luoshi/schema/scheme.schema.json": ["/scheme.yaml"],
    "./.luoshi/schema/record.schema.json": ["/records/*.yaml"],
    "./.luoshi/schema/supervision.schema.json": ["/supervision/*.yaml"],
}


def test_init_maps_the_schemas_for_vscode(cli: Callable[..., Any], tmp_path: Path) -> None:
    led = tmp_path / "v"
    assert cli("init", led).exit_code == 0
    settings = json.loads((led / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"yaml.schemas": EXPECTED_SCHEMAS}
    for schema in EXPECTED_SCHEMAS:
        assert (led / schema).is_file()
    # the schemas init writes carry the new ledger's ids: lead: completes offline
    tasks = json.loads((led / ".luoshi/schema/tasks.schema.json").read_text(encoding="utf-8"))
    assert tasks["definitions"]["task"]["properties"]["lead"]["enum"][:2] == \
        ["chongyelu", "longbei"]


def test_existing_settings_are_merged_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / ".vscode" / "settings.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"editor.tabSize": 2, "yaml.schemas": {"x.json": "/x.yaml"}}),
                    encoding="utf-8")
    wrote, note = vscode_settings(tmp_path)
    assert wrote == 1 and note is not None
    assert note.en == f"merged yaml.schemas into {path} (its other settings are kept)"
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "editor.tabSize": 2, "yaml.schemas": {"x.json": "/x.yaml", **EXPECTED_SCHEMAS}}


def test_settings_with_comments_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / ".vscode" / "settings.json"
    path.parent.mkdir()
    text = '{\n  // my settings\n  "editor.tabSize": 2\n}\n'
    path.write_text(text, encoding="utf-8")
    wrote, note = vscode_settings(tmp_path)
    assert wrote == 0 and note is not None
    assert note.en.startswith(f"{path} is not plain JSON luoshi can merge into and was left "
                              "as it is: add {\"./.luoshi/schema/config.schema.json\"")
    assert path.read_text(encoding="utf-8") == text


# ---- modelines ----------------------------------------------------------------------------

def test_modeline_is_relative_to_the_file() -> None:
    assert modeline("tasks/a.yaml") == \
        "# yaml-language-server: $schema=../.luoshi/schema/tasks.schema.json\n"
    assert modeline("work/tasks/a.yaml", "tasks") == \
        "# yaml-language-server: $schema=../../.luoshi/schema/tasks.schema.json\n"
    assert modeline("luoshi.yaml") == \
        "# yaml-language-server: $schema=.luoshi/schema/config.schema.json\n"
    assert modeline("templates/x.md") is None


def test_an_example_asked_for_in_english_says_it_is_chinese(cli: Callable[..., Any],
                                                            tmp_path: Path) -> None:
    r = cli("init", tmp_path / "w", "--example", "weinan", "--lang", "en")
    assert r.exit_code == 0
    assert r.stderr == ("luoshi: note: the bundled examples are Chinese documents, so this "
                        "ledger is in Chinese; leave out --example for an English ledger\n")
    assert "language: en" not in (tmp_path / "w" / "luoshi.yaml").read_text(encoding="utf-8")


def test_enum_descriptions_show_names_as_written() -> None:
    from luoshi_cli.load.editor import Refs

    refs = Refs(units=(("a", "A*B_c [x]"),), leaders=(("li", "李某某"),),
                titles={"li": "副区长"})
    props = editor_schema("tasks", "en", refs)["definitions"]["task"]["properties"]
    assert props["lead"]["enumDescriptions"] == ["A*B_c [x]"]
    assert props["lead"]["markdownEnumDescriptions"] == ["**A\\*B\\_c \\[x\\]**"]
    # English descriptions bracket the title as English does; Chinese ones as Chinese
    assert props["leaders"]["items"]["enumDescriptions"] == ["李某某 (副区长)"]
    assert props["leaders"]["items"]["markdownEnumDescriptions"] == ["**李某某 \\(副区长\\)**"]
    zh = editor_schema("tasks", "zh", refs)["definitions"]["task"]["properties"]
    assert zh["leaders"]["items"]["markdownEnumDescriptions"] == ["**李某某（副区长）**"]
    # nothing declared: no enum (an empty one would reject every value)
    assert "enum" not in props["category"] and "enum" not in props["tags"]["items"]


def test_schema_vscode_maps_an_existing_ledger(cli: Callable[..., Any], example: Path,
                                               tmp_path: Path) -> None:
    """`luoshi schema --vscode` gives a ledger made before init wrote settings the same
    editor set-up; other settings are kept, and -o is refused (the paths are relative
    to the ledger root)."""
    settings = example / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text('{"files.eol": "\\n"}', encoding="utf-8")
    r = cli("schema", "--ledger", example, "--vscode", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-2:] == [
        str(settings), f"luoshi: merged yaml.schemas into {settings} (its other settings are kept)"]
    assert json.loads(settings.read_text(encoding="utf-8")) == {
        "files.eol": "\n", "yaml.schemas": EXPECTED_SCHEMAS}
    assert (example / ".luoshi" / "schema" / "units.schema.json").is_file()
    r = cli("schema", "--ledger", example, "--vscode", "-o", tmp_path / "s", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: --vscode goes with the ledger's own schema folder (.luoshi/schema), not -o: "
        "the paths in settings.json are relative to the ledger root\n")
    assert not (tmp_path / "s").exists()


# ---- links out of the ledger (SPEC §9: nothing a ledger names is read or written
# outside it) ------------------------------------------------------------------------------

def test_schema_vscode_never_reads_settings_through_a_link_out(
        cli: Callable[..., Any], example: Path, tmp_path: Path) -> None:
    """A ledger's `.vscode/settings.json` that links out (to someone's own VS Code
    settings, tokens and all) is not read and merged into the ledger's file: the
    command refuses, exit 2, and the file outside is untouched."""
    outside = tmp_path / "elsewhere" / "settings.json"
    outside.parent.mkdir()
    outside.write_text('{"secret.token": "hunter2"}', encoding="utf-8")
    settings = example / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.symlink_to(outside)
    r = cli("schema", "--ledger", example, "--vscode", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.splitlines()[-1] == (
        f"luoshi: {settings} leads out of {example} through a symbolic link (to {outside}): "
        "luoshi does not write there")
    assert settings.is_symlink()
    assert outside.read_text(encoding="utf-8") == '{"secret.token": "hunter2"}'


def test_schema_never_writes_through_a_link_out(cli: Callable[..., Any], example: Path,
                                                tmp_path: Path) -> None:
    """A ledger that commits `.luoshi` as a link to another directory does not have
    `luoshi schema` write its schemas there (exit 2, nothing written outside); an
    explicit -o is the user's own choice and is written."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (example / ".luoshi").symlink_to(elsewhere)
    r = cli("schema", "--ledger", example, "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: {example / '.luoshi/schema/config.schema.json'} leads out of {example} "
        f"through a symbolic link (to {elsewhere / 'schema/config.schema.json'}): luoshi "
        "does not write there\n")
    assert list(elsewhere.iterdir()) == []
    r = cli("schema", "--ledger", example, "-o", elsewhere / "mine", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert (elsewhere / "mine" / "tasks.schema.json").is_file()


@pytest.mark.parametrize(("name", "shown", "word"), [
    ("my ledger", "my ledger", "'my ledger'"),
    ("nl\nname", "nl\\nname", "$'nl\\nname'"),
    ("台账", "台账", "台账")])
def test_the_next_step_runs_as_pasted(cli: Callable[..., Any], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, name: str, shown: str,
                                      word: str) -> None:
    """`init "my ledger"` ended `下一步：luoshi validate my ledger` (two words to the
    shell), and a line break in the name was printed raw: the name is shown escaped
    as every other message shows it, the command names it as a shell word."""
    import subprocess

    monkeypatch.chdir(tmp_path)
    r = cli("init", name, "--blank", "--year", "2026")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == f"已创建台账 {shown}（11 个文件）。下一步：luoshi validate {word}\n"
    r = cli("init", "en ledger", "--blank", "--year", "2026", "--lang", "en")
    assert r.stdout == "Created ledger en ledger (11 files). Next: luoshi validate 'en ledger'\n"
    back = subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True,
                          check=True).stdout.decode()
    assert back == name and (tmp_path / back / "luoshi.yaml").is_file()


def test_a_rectifications_closed_speaks_of_rectifications(cli: Callable[..., Any]) -> None:
    """Hovering a rectification's `closed:` showed the task's words, "required for
    status closed" — a rectification has no status.  It has its own now; a task's
    `closed:` keeps its."""
    for lang, words in [
            ("zh", "销号记录：整改完成并经批准后填写 {date, approved_by, evidence}；"
                   "超过整改期限仍未销号为逾期，晚于期限销号计为超期完成"),
            ("en", "closing record, written once the rectification is done and approved: "
                   "{date, approved_by, evidence}; still open after its due date it is "
                   "overdue, closed after it, closed late")]:
        doc = json.loads(cli("schema", "-k", "supervision", "--lang", lang).stdout)
        closed = doc["definitions"]["rectification"]["properties"]["closed"]
        assert closed == {"$ref": "#/definitions/closed", "description": words}
    task = editor_schema("tasks", "en")["definitions"]["task"]["properties"]["closed"]
    assert task["description"] == ("closing record: required for status closed, with the "
                                   "approving leader")


def _schema_of(settings: dict[str, Any], rel: str) -> list[str]:
    """The schemas the settings' `yaml.schemas` map onto ledger file `rel`, read by
    luoshi's own glob (the patterns here are plain enough that every editor dialect
    reads them so too)."""
    from luoshi_cli.core.globs import covers

    return [schema for schema, globs in settings["yaml.schemas"].items()
            if any(covers(g.removeprefix("/"), rel) for g in globs)]


def test_schema_vscode_follows_the_ledgers_files(cli: Callable[..., Any], example: Path) -> None:
    """A ledger keeping its files elsewhere (`files: {units: org.yaml, tasks: 任务/*.yaml,
    records: 考核/**/*.yaml}`, SPEC §3) got settings mapping the fixed /units.yaml and
    /tasks/**/*.yaml: no file of it had a schema in VS Code, and nothing said so.  The
    mapping is now the ledger's patterns, and every file luoshi reads gets the schema
    of its kind — and passes it."""
    (example / "units.yaml").rename(example / "org.yaml")
    (example / "tasks").rename(example / "任务")
    (example / "考核" / "2021").mkdir(parents=True)
    for p in (example / "records").iterdir():
        p.rename(example / "考核" / "2021" / p.name)
    (example / "records").rmdir()
    with (example / "luoshi.yaml").open("a", encoding="utf-8") as fh:
        fh.write('files:\n  units: org.yaml\n  tasks: "任务/*.yaml"\n'
                 '  records: "考核/**/*.yaml"\n')
    assert cli("validate", example, "--as-of", "2021-12-31").exit_code == 0
    r = cli("schema", "--ledger", example, "--vscode", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    settings = json.loads((example / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"yaml.schemas": {
        "./.luoshi/schema/config.schema.json": ["/luoshi.yaml"],
        "./.luoshi/schema/units.schema.json": ["/org.yaml"],
        "./.luoshi/schema/tasks.schema.json": ["/任务/*.yaml"],
        "./.luoshi/schema/scheme.schema.json": ["/scheme.yaml"],
        "./.luoshi/schema/record.schema.json": ["/考核/**/*.yaml"],
        "./.luoshi/schema/supervision.schema.json": ["/supervision/*.yaml"]}}
    rels = sorted(p.relative_to(example).as_posix() for p in example.rglob("*.yaml"))
    assert rels == ["luoshi.yaml", "org.yaml", "scheme.yaml", "任务/city.yaml",
                    "任务/projects.yaml", "任务/style.yaml", "考核/2021/2021-Q1.yaml",
                    "考核/2021/2021-Q2.yaml", "考核/2021/2021-Q3.yaml", "考核/2021/2021-Q4.yaml",
                    "考核/2021/2021.yaml"]
    for rel in rels:
        (schema,) = _schema_of(settings, rel)
        doc = json.loads((example / schema).read_text(encoding="utf-8"))
        assert schema_errors(_as_json(load_file(example / rel, rel).data), doc) == [], rel


def test_hostile_files_patterns_stay_inert_in_the_settings(cli: Callable[..., Any],
                                                           example: Path) -> None:
    """A `files:` pattern is ledger text landing in an editor's settings, where another
    glob dialect reads it: brackets and characters that dialect treats as syntax
    (`{a,b}` braces, `(x|y)`, `!`, a backslash, a right-to-left override) become `?`,
    one character; a pattern LS007 refuses (absolute) is the default, as for every
    command; one that names nothing (`..` inside) maps no file; many stars lose their
    middle (`a*b*c*d` → `a*d`), as the editor's regex would backtrack on them."""
    with (example / "luoshi.yaml").open("a", encoding="utf-8") as fh:
        fh.write('files:\n  units: "/etc/passwd"\n'
                 '  tasks: "tasks/{a,b}/[!x](y|z)!\\\\\u202e*.yaml"\n'
                 '  scheme: "a/../scheme.yaml"\n'
                 '  records: "r/**/x/**/y/**/*a*b*c*.yaml"\n'
                 '  supervision: "s\\"/*.yaml"\n')
    r = cli("schema", "--ledger", example, "--vscode", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    text = (example / ".vscode" / "settings.json").read_text(encoding="utf-8")
    assert json.loads(text) == {"yaml.schemas": {
        "./.luoshi/schema/config.schema.json": ["/luoshi.yaml"],
        "./.luoshi/schema/units.schema.json": ["/units.yaml"],
        "./.luoshi/schema/tasks.schema.json": ["/tasks/?a?b?/??y?z????*.yaml"],
        "./.luoshi/schema/scheme.schema.json": [],
        "./.luoshi/schema/record.schema.json": ["/r/**/*.yaml"],
        "./.luoshi/schema/supervision.schema.json": ["/s?/*.yaml"]}}


def test_free_text_takes_a_number_as_validate_does(cli: Callable[..., Any],
                                                   example: Path) -> None:
    """`note: 2026` in a free-text field is a warning in luoshi (LS017), and was an
    error in the editor (`type: string`): the editor, with no warnings in JSON
    Schema, was stricter than validate.  Free text now takes a number or a boolean,
    and its description says to quote; an id or a reference stays text (LS016 is an
    error), and an empty free text (null) stays refused by both."""
    rel = "tasks/city.yaml"
    path = example / rel
    text = path.read_text(encoding="utf-8")
    old = "  standard: 全年完成背街"
    assert old in text
    path.write_text(text.replace(old, "  owners: [2026, true]\n  standard: 全年完成背街", 1),
                    encoding="utf-8")
    r = cli("validate", example, "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 0
    assert [line.split(" ", 3)[1:3] for line in r.stdout.splitlines()] == [
        ["warning", "LS017"], ["warning", "LS017"]]
    doc = json.loads(cli("schema", "-k", "tasks", "--lang", "en").stdout)
    data = _as_json(load_file(path, rel).data)
    assert schema_errors(data, doc) == []
    props = doc["definitions"]["task"]["properties"]
    assert props["owners"] == {
        "type": "array", "items": {"type": ["string", "number", "boolean"]},
        "description": "owners (free text) (quote a number or true/false: validate warns "
                       "otherwise, LS017)"}
    assert props["note"]["type"] == ["string", "number", "boolean"]
    assert props["lead"] == {"type": "string", "description": props["lead"]["description"]}
    assert doc["definitions"]["task"]["properties"]["id"]["type"] == "string"
    assert schema_errors({**data[0], "lead": 2026} if isinstance(data, list) else
                         {**data, "lead": 2026}, doc) != []
    zh = json.loads(cli("schema", "-k", "tasks").stdout)["definitions"]["task"]["properties"]
    assert zh["note"]["description"] == "备注（数字、true/false 等请加引号，否则 validate 警告 LS017）"
