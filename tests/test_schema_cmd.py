"""`luoshi schema` and the editor schemas: the JSON Schemas and the validator agree."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from luoshi_cli.load.editor import editor_schema
from luoshi_cli.load.read import load_file
from luoshi_cli.load.schema import json_schema

REPO = Path(__file__).resolve().parent.parent
LEDGERS = [REPO / "examples" / "weinan-2021", REPO / "ledgers" / "beilin-2024"]
KINDS = ["config", "units", "tasks", "scheme", "record", "supervision"]
#: a ledger that keeps the supervision loop (SPEC §12): its supervision/*.yaml
SUPERVISED = REPO / "tests" / "cases" / "valid" / "supervision" / "ledger"


# ---- a small draft-07 validator (the subset json_schema() uses) ------------------------

def schema_errors(instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None,
                  where: str = "$") -> list[str]:
    """Errors of `instance` against `schema`: type, properties, required,
    additionalProperties, items, enum, pattern, minimum, maximum, oneOf, anyOf, $ref."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/definitions/")
        return schema_errors(instance, root["definitions"][name], root, where)
    errors: list[str] = []
    if "oneOf" in schema:
        hits = sum(not schema_errors(instance, s, root, where) for s in schema["oneOf"])
        if hits != 1:
            errors.append(f"{where}: matches {hits} of oneOf")
    if "anyOf" in schema and all(schema_errors(instance, s, root, where)
                                 for s in schema["anyOf"]):
        errors.append(f"{where}: matches none of anyOf")
    kind = schema.get("type")
    if kind is not None and not _is_type(instance, kind):
        return [*errors, f"{where}: not {kind}"]
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{where}: {instance!r} not in enum")
    if isinstance(instance, str) and "pattern" in schema and \
            not re.search(schema["pattern"], instance):
        errors.append(f"{where}: {instance!r} does not match {schema['pattern']}")
    if _is_type(instance, "number"):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{where}: below minimum")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{where}: above maximum")
    if isinstance(instance, dict):
        props = schema.get("properties", {})
        errors += [f"{where}: {k} required" for k in schema.get("required", [])
                   if k not in instance]
        extra = schema.get("additionalProperties", True)
        for k, v in instance.items():
            if k in props:
                errors += schema_errors(v, props[k], root, f"{where}.{k}")
            elif extra is False:
                errors.append(f"{where}: unknown key {k}")
            elif isinstance(extra, dict):
                errors += schema_errors(v, extra, root, f"{where}.{k}")
    if isinstance(instance, list) and "items" in schema:
        for i, v in enumerate(instance):
            errors += schema_errors(v, schema["items"], root, f"{where}[{i}]")
    return errors


def _is_type(x: Any, kind: str | list[str]) -> bool:
    if isinstance(kind, list):
        return any(_is_type(x, k) for k in kind)
    if kind == "object":
        return isinstance(x, dict)
    if kind == "array":
        return isinstance(x, list)
    if kind == "string":
        return isinstance(x, str)
    if kind == "boolean":
        return isinstance(x, bool)
    if kind == "integer":
        return isinstance(x, int) and not isinstance(x, bool)
    if kind == "number":
        return isinstance(x, (int, float)) and not isinstance(x, bool)
    raise AssertionError(kind)


def as_json(x: Any) -> Any:
    """What an editor sees: the YAML reader's dates are ISO strings in JSON terms."""
    if isinstance(x, dict):
        return {k: as_json(v) for k, v in x.items()}
    if isinstance(x, list):
        return [as_json(v) for v in x]
    if isinstance(x, date):
        return x.isoformat()
    return x


def kind_of(rel: str) -> str:
    return {"luoshi.yaml": "config", "units.yaml": "units", "scheme.yaml": "scheme"}.get(
        rel, "tasks" if rel.startswith("tasks/") else
        "supervision" if rel.startswith("supervision/") else "record")


def all_files() -> list[tuple[Path, str]]:
    return [(root, p.relative_to(root).as_posix()) for root in [*LEDGERS, SUPERVISED]
            for p in sorted(root.rglob("*.yaml"))]


def check_both(root: Path, rel: str) -> list[str]:
    src = load_file(root / rel, rel)
    assert src.ok, src.findings
    data = as_json(src.data)
    schema = json_schema(kind_of(rel))
    errors = schema_errors(data, schema)
    try:  # the reference implementation too, where it is installed
        import jsonschema
    except ImportError:  # pragma: no cover - depends on the environment
        return errors
    ref = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(data)]
    assert bool(ref) == bool(errors), (ref, errors)
    return errors


# ---- the tests ---------------------------------------------------------------------------

@pytest.mark.parametrize("ledger", LEDGERS, ids=lambda p: p.name)
def test_example_ledgers_pass_the_validator(cli: Callable[..., Any], ledger: Path) -> None:
    r = cli("validate", ledger, "--as-of", "2024-12-31")
    assert r.exit_code == 0, r.stdout


@pytest.mark.parametrize(("root", "rel"), all_files(), ids=lambda x: getattr(x, "name", x))
def test_example_files_pass_the_json_schemas(root: Path, rel: str) -> None:
    assert check_both(root, rel) == []


def test_the_example_ledgers_cover_every_kind() -> None:
    assert {kind_of(rel) for _, rel in all_files()} == set(KINDS)


@pytest.mark.parametrize(("rel", "old", "new", "code"), [
    ("tasks/city.yaml", "  standard: 全年完成背街", "  standrad: 全年完成背街", "LS101"),
    ("tasks/city.yaml", "{due: 2021-04-30, standard: 完成摸底排查并建立台账, done:",
     "{due: 2021-04-30, standard: 完成摸底排查并建立台账, dne:", "LS101"),
    ("luoshi.yaml", "warn_days: 7", "warn_day: 7", "LS101"),
    ("records/2021-Q2.yaml", "\ndeductions:\n", "\ndeduction:\n", "LS101"),
    ("tasks/city.yaml", "  status: in_progress\n", "  status: ongoing\n", "LS105"),
    ("tasks/city.yaml", "  progress: 55\n", "  progress: lots\n", "LS103"),
    ("tasks/city.yaml", "  lead: chongyelu\n", "", "LS102"),
    # required by a check, not by the reader: the editor's schema requires it too
    ("scheme.yaml", "grades:\n  - {name: 优秀, min: 90}\n  - {name: 良好, min: 80}\n"
     "  - {name: 一般, min: 70}\n  - {name: 较差, min: 0}\n", "", "LS102"),
])
def test_a_typo_fails_both(cli: Callable[..., Any], example: Path, rel: str, old: str,
                           new: str, code: str) -> None:
    path = example / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    r = cli("validate", example, "--as-of", "2021-06-30")
    assert r.exit_code == 1
    assert f" error {code} " in r.stdout
    assert check_both(example, rel) != []


def test_schema_prints_one_kind(cli: Callable[..., Any]) -> None:
    r = cli("schema", "--kind", "tasks")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc == editor_schema("tasks")
    assert doc["$schema"] == "http://json-schema.org/draft-07/schema#"
    task = doc["definitions"]["task"]
    assert task["additionalProperties"] is False
    assert task["required"] == ["id", "title", "category", "lead", "leaders", "start",
                                "standard", "milestones", "status", "progress"]


def test_schema_writes_every_kind(cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    r = cli("schema", "-o", out)
    assert r.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(f"{k}.schema.json" for k in KINDS), "stamps.json"])
    for kind in KINDS:
        text = (out / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert json.loads(text) == editor_schema(kind)
    first = (out / "tasks.schema.json").read_bytes()
    cli("schema", "-o", out)
    assert (out / "tasks.schema.json").read_bytes() == first  # byte-stable


def test_schema_defaults_to_the_ledger(cli: Callable[..., Any], example: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    monkeypatch.chdir(example / "tasks")
    assert cli("schema").exit_code == 0
    assert (example / ".luoshi/schema/record.schema.json").is_file()
    monkeypatch.chdir(tmp_path)
    r = cli("schema", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == ("luoshi: not inside a ledger: give -o DIR to write the schemas, "
                        "or --kind KIND to print one\n")


@pytest.mark.parametrize("more", [("--kind", "tasks"), ("-o", "out"), ()])
def test_an_explicit_ledger_that_is_not_one_is_refused(
        cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        more: tuple[str, ...]) -> None:
    """`schema --ledger nosuch --kind tasks` printed the generic schema, exit 0, and
    `--ledger nosuch` alone said "not inside a ledger": a --ledger given is meant."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain").mkdir()
    r = cli("schema", "--ledger", "nosuch", *more)
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", "luoshi: 目录不存在：nosuch\n")
    r = cli("schema", "--ledger", "nosuch", *more, "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, "luoshi: no such directory: nosuch\n")
    r = cli("schema", "--ledger", "plain", *more, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: plain is not a ledger root: it has no luoshi.yaml (to start "
                        "one, run: luoshi init plain)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain"]


def test_init_writes_schemas_and_modelines(cli: Callable[..., Any], tmp_path: Path) -> None:
    led = tmp_path / "new"
    assert cli("init", led).exit_code == 0
    firsts = {p.relative_to(led).as_posix(): p.read_text(encoding="utf-8").splitlines()[0]
              for p in led.rglob("*.yaml")}
    assert firsts["luoshi.yaml"] == \
        "# yaml-language-server: $schema=.luoshi/schema/config.schema.json"
    assert firsts["units.yaml"] == \
        "# yaml-language-server: $schema=.luoshi/schema/units.schema.json"
    assert firsts["scheme.yaml"] == \
        "# yaml-language-server: $schema=.luoshi/schema/scheme.schema.json"
    assert firsts["tasks/city.yaml"] == \
        "# yaml-language-server: $schema=../.luoshi/schema/tasks.schema.json"
    assert firsts["records/2021-Q2.yaml"] == \
        "# yaml-language-server: $schema=../.luoshi/schema/record.schema.json"
    # every line points at a file that exists, relative to the YAML file
    for rel, line in firsts.items():
        target = (led / rel).parent / line.split("$schema=")[1]
        assert target.is_file(), rel
        assert json.loads(target.read_text(encoding="utf-8"))["$schema"].startswith(
            "http://json-schema.org/draft-07")
    # the repository's examples stay as they are
    assert "yaml-language-server" not in (REPO / "examples/weinan-2021/luoshi.yaml").read_text(
        encoding="utf-8")
    assert cli("validate", led, "--as-of", "2021-06-30").exit_code == 0


def test_schema_for_supervision_files(cli: Callable[..., Any], tmp_path: Path) -> None:
    """`luoshi schema -k supervision` used to be refused, so supervision/*.yaml had no
    completion or typo underlining; the per-ledger schema lists the ledger's unit ids."""
    import shutil

    r = cli("schema", "-k", "supervision")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc == editor_schema("supervision")
    assert doc["$ref"] == "#/definitions/supervision"
    assert doc["definitions"]["rectification"]["required"] == ["id", "unit", "opened", "due"]
    led = tmp_path / "sup"
    shutil.copytree(SUPERVISED, led)
    r = cli("schema", "--ledger", led, "-k", "supervision")
    assert r.exit_code == 0
    mine = json.loads(r.stdout)
    data = as_json(load_file(led / "supervision" / "2024.yaml", "supervision/2024.yaml").data)
    assert schema_errors(data, mine) == []
    data["rectifications"][0]["unti"] = data["rectifications"][0].pop("unit")
    assert schema_errors(data, mine) == [
        "$.rectifications[0]: unit required", "$.rectifications[0]: unknown key unti"]
    data["rectifications"][0]["unit"] = "nobody"
    del data["rectifications"][0]["unti"]
    assert schema_errors(data, mine) != []  # not a unit of this ledger


def test_supervision_schema_wants_what_validate_wants(cli: Callable[..., Any],
                                                     write: Callable[..., Path]) -> None:
    """A supervision file holding only `note: x` (or a typo `interveiws:`) passed the
    schema while validate said LS002: the schema now asks for interviews or
    rectifications as the loader does, and LS002 names both keys (it said to start
    the file with `rectifications:` whatever the file was about)."""
    doc = json.loads(cli("schema", "-k", "supervision").stdout)
    assert doc["definitions"]["supervision"]["anyOf"] == [
        {"required": ["interviews"]}, {"required": ["rectifications"]}]
    for data, errors in [({"note": "x"}, ["$: matches none of anyOf"]),
                         ({"interveiws": []}, ["$: matches none of anyOf",
                                               "$: unknown key interveiws"]),
                         ({"interviews": []}, []), ({"rectifications": [], "note": "x"}, [])]:
        assert schema_errors(data, doc) == errors, data
        try:
            import jsonschema
        except ImportError:  # pragma: no cover - depends on the environment
            continue
        assert bool(list(jsonschema.Draft7Validator(doc).iter_errors(data))) == bool(errors)
    base = {"luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: c, name: 类}\n",
            "units.yaml": "units:\n  - {id: u, name: 单位}\n",
            "tasks/a.yaml": "[]\n"}
    root = write({**base, "supervision/a.yaml": "interveiws:\n  - {unit: u, date: 2024-01-02}\n"})
    r = cli("validate", root, "--as-of", "2024-06-30")
    assert (  # after luoshi.yaml's LS009: tasks/a.yaml holds no task
        "supervision/a.yaml:1:1: error LS002 文件为空或缺少顶层键 interviews 或 rectifications："
        "请以“interviews:”（约谈）或“rectifications:”（整改）开头写入内容\n") in r.stdout
    r = cli("validate", root, "--as-of", "2024-06-30", "--lang", "en")
    assert ("supervision/a.yaml:1:1: error LS002 the file is empty or lacks its top-level key "
            "interviews or rectifications: start it with 'interviews:' or 'rectifications:'\n"
            ) in r.stdout
    r = cli("validate", write({**base, "supervision/a.yaml": "interviews: []\n"}),
            "--as-of", "2024-06-30")
    assert "LS002" not in r.stdout


def test_not_applicable_in_any_case_passes_the_record_schema(cli: Callable[..., Any],
                                                             example: Path) -> None:
    """A record may write not-applicable as `N/A`, `n/A` or ` 不适用　` (SPEC §10: any case;
    `is_na` strips what `str.strip()` strips and lowercases): validate reads each as
    n/a, and the editor's schema allowed only the exact lowercase `n/a` and `不适用`,
    so `{hotline: N/A}` passed validate with no finding and was red in the editor.
    The pattern is `is_na`'s rule: the spaces are exactly `str.isspace()`'s."""
    rel = "records/2021-Q2.yaml"
    path = example / rel
    text = path.read_text(encoding="utf-8")
    for old, new in [("chongyelu:     {hotline: 87.5,", "chongyelu:     {hotline: N/A,"),
                     ("longbei:       {hotline: 79.5, service: 86.5}",
                      'longbei:       {hotline: 79.5, service: "\\u3000不适用 "}'),
                     ("dangqunbu:     {hotline: 98,", "dangqunbu:     {hotline: n/A,")]:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    r = cli("validate", example, "--as-of", "2021-06-30")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "0 个错误，0 个警告\n")
    scores = load_file(path, rel).data["scores"]
    assert [scores["chongyelu"]["hotline"], scores["longbei"]["service"],
            scores["dangqunbu"]["hotline"]] == ["N/A", "\u3000不适用 ", "n/A"]
    assert check_both(example, rel) == []
    from luoshi_cli.load.schema import NA_PATTERN, is_na

    doc = json.loads(cli("schema", "-k", "record").stdout)
    leaf = doc["definitions"]["record"]["properties"]["scores"]["additionalProperties"][
        "additionalProperties"]
    assert leaf["oneOf"][1] == {"type": "string", "pattern": NA_PATTERN,
                                "examples": ["n/a", "不适用"]}
    # the pattern accepts what is_na accepts, character for character around the token
    import sys

    rx = re.compile(NA_PATTERN)
    for code in range(sys.maxunicode + 1):
        for s in (chr(code) + "n/a", "N/A" + chr(code), chr(code) + "不适用"):
            assert bool(rx.search(s)) == is_na(s), hex(code)
    for s in ["na", "n / a", "N/A.", "不 适用", "", " ", "n/a n/a"]:
        assert not rx.search(s) and not is_na(s), s
