"""`luoshi validate` says when the editor schemas (`.luoshi/schema`) are out of date.

The schemas `luoshi init` and `luoshi schema` write list the ledger's unit, leader,
category and tag ids for completion; a unit added to units.yaml afterwards is
underlined by the editor in every task naming it, while validate passes.  validate
then adds one line naming the files to write again (`editor.stale_schemas`)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

AS_OF = "2024-04-05"
ZH_NOTE = ("luoshi: .luoshi/schema 中的编辑器提示已过时（tasks.schema.json、scheme.schema.json、"
           "record.schema.json、supervision.schema.json）：请运行 luoshi schema 重新生成\n")
EN_NOTE = ("luoshi: the editor schemas in .luoshi/schema are out of date (tasks.schema.json, "
           "scheme.schema.json, record.schema.json, supervision.schema.json): run `luoshi "
           "schema` to write them again\n")
#: what the beilin example's units.yaml gains: a unit the schemas do not list yet
NEW_UNIT = "  - {id: wenlvju, name: 区文化和旅游局, kind: department, assessed: false}\n"


@pytest.fixture
def beilin(cli: Callable[..., Any], tmp_path: Path) -> Path:
    led = tmp_path / "bl"
    assert cli("init", led, "--example", "beilin").exit_code == 0
    return led


def _add_unit(led: Path) -> None:
    units = led / "units.yaml"
    text = units.read_text(encoding="utf-8")
    at = text.index("leaders:")
    units.write_text(text[:at] + NEW_UNIT + text[at:], encoding="utf-8")


def test_a_unit_added_after_the_schemas_is_named_once(cli: Callable[..., Any],
                                                      beilin: Path) -> None:
    """Clean after init; a unit added: the four schemas whose keys name units (tasks'
    lead/units/cooperating, the scheme's groups and rules, a record's deductions and
    bonuses, supervision's talks and rectifications) are named, config and units
    (which name no unit) are not; `luoshi schema` writes them again and the note is
    gone.  The findings and the exit code are those without the note."""
    assert cli("validate", beilin, "--as-of", AS_OF).stderr == "0 个错误，0 个警告\n"
    _add_unit(beilin)
    r = cli("validate", beilin, "--as-of", AS_OF)
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "0 个错误，0 个警告\n" + ZH_NOTE)
    en = cli("validate", beilin, "--as-of", AS_OF, "--lang", "en")
    assert en.stderr == "0 errors, 0 warnings\n" + EN_NOTE
    gh = cli("validate", beilin, "--as-of", AS_OF, "--format", "github")
    assert gh.stderr.endswith(ZH_NOTE)
    # machine formats keep stderr for errors: no note there
    assert cli("validate", beilin, "--as-of", AS_OF, "--format", "json").stderr == ""
    assert cli("schema", "--ledger", beilin).exit_code == 0
    assert cli("validate", beilin, "--as-of", AS_OF).stderr == "0 个错误，0 个警告\n"


def test_a_renamed_unit_and_schemas_written_in_english(cli: Callable[..., Any],
                                                       beilin: Path) -> None:
    """The names shown beside the ids count too (the completion list shows them), and
    schemas written in either language are judged as such."""
    assert cli("schema", "--ledger", beilin, "--lang", "en").exit_code == 0
    assert cli("validate", beilin, "--as-of", AS_OF).stderr == "0 个错误，0 个警告\n"
    units = beilin / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("区商务局", "区商务和投资局"),
                     encoding="utf-8")
    assert cli("validate", beilin, "--as-of", AS_OF).stderr.endswith(ZH_NOTE)


def test_generic_schemas_list_no_ids_and_stay_current(cli: Callable[..., Any],
                                                      beilin: Path) -> None:
    """`luoshi schema --generic` writes no ids: a unit added later changes nothing."""
    assert cli("schema", "--ledger", beilin, "--generic").exit_code == 0
    _add_unit(beilin)
    assert cli("validate", beilin, "--as-of", AS_OF).stderr == "0 个错误，0 个警告\n"


def test_a_schema_from_an_older_luoshi(cli: Callable[..., Any], beilin: Path) -> None:
    """A key this luoshi reads that the written schema lacks (an upgrade added it):
    the editor would underline it, so that schema is named — by its stamp (the format
    it was written for is part of it), and, from a luoshi that wrote no stamps, by
    comparing the schema itself."""
    stamps = beilin / ".luoshi" / "schema" / "stamps.json"
    written = json.loads(stamps.read_text(encoding="utf-8"))
    stamps.write_text(json.dumps({**written, "tasks": "0" * 64}), encoding="utf-8")
    assert cli("validate", beilin, "--as-of", AS_OF).stderr == (
        "0 个错误，0 个警告\nluoshi: .luoshi/schema 中的编辑器提示已过时"
        "（tasks.schema.json）：请运行 luoshi schema 重新生成\n")
    stamps.unlink()
    assert cli("validate", beilin, "--as-of", AS_OF).stderr == "0 个错误，0 个警告\n"
    path = beilin / ".luoshi" / "schema" / "tasks.schema.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    del doc["definitions"]["task"]["properties"]["tags"]
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    r = cli("validate", beilin, "--as-of", AS_OF)
    assert r.stderr == ("0 个错误，0 个警告\nluoshi: .luoshi/schema 中的编辑器提示已过时"
                        "（tasks.schema.json）：请运行 luoshi schema 重新生成\n")


def test_no_note_when_validate_fails(cli: Callable[..., Any], beilin: Path) -> None:
    """Errors first: a ledger with errors gets no editor hint (its ids may be what is
    broken)."""
    _add_unit(beilin)
    task = next((beilin / "tasks").glob("*.yaml"))
    text = task.read_text(encoding="utf-8")
    task.write_text(text.replace("lead: fgw", "lead: nosuchunit", 1), encoding="utf-8")
    r = cli("validate", beilin, "--as-of", AS_OF)
    assert r.exit_code == 1
    assert "编辑器提示" not in r.stderr


@pytest.mark.parametrize("trap", ["link-out", "fifo", "not-json", "deep-json", "huge-ints"])
def test_schema_files_are_untrusted(cli: Callable[..., Any], beilin: Path, tmp_path: Path,
                                    trap: str) -> None:
    """A committed `.luoshi` leading out of the ledger is not followed (the stale
    schemas out there are not read: no note), a FIFO is not waited on, and a file
    that is not JSON, or nests far deeper than any schema, is not judged — never a
    traceback or a hang, and the validation itself is unchanged."""
    schema_dir = beilin / ".luoshi" / "schema"
    tasks = schema_dir / "tasks.schema.json"
    if trap == "link-out":
        elsewhere = tmp_path / "elsewhere"
        shutil.copytree(schema_dir, elsewhere)
        shutil.rmtree(beilin / ".luoshi")
        (beilin / ".luoshi").mkdir()
        (beilin / ".luoshi" / "schema").symlink_to(elsewhere)
        _add_unit(beilin)  # the schemas out there are stale now: still no note
    elif trap == "fifo":
        tasks.unlink()
        os.mkfifo(tasks)
    elif trap == "not-json":
        tasks.write_bytes(b"\xff\xfe{not json")
    elif trap == "deep-json":
        tasks.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        tasks.write_text("9" * 100_000, encoding="utf-8")
    r = cli("validate", beilin, "--as-of", AS_OF)
    assert (r.exit_code, r.stderr) == (0, "0 个错误，0 个警告\n")
