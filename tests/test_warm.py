"""The warm path (issue 17): status, score, bulletin and export read the parsed model
back from the cache — tasks and their placed findings, one entry per task file
(`taskfiles.TaskFileModel`) — and must print exactly what the plain path prints:
every task parsed, every rule run over the whole ledger, no cache.  And a cache is
never believed for a file that changed, or for a file whose meaning changed with a
unit it names.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BEILIN, EXAMPLE
from luoshi_cli import api
from luoshi_cli.fast.source import FastSource
from luoshi_cli.load.assemble import DirSource, FileSource
from luoshi_cli.ops.validate import validate
from luoshi_cli.report import scores as score_report
from luoshi_cli.report import status as status_report

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from gen import generate

KEY = b"w" * 32


def cached(root: Path) -> FastSource:
    return FastSource(root, key=KEY, cache_min_bytes=0, jobs=1)


def outputs(root: Path, as_of: date, files: FileSource, quarter: str | None,
            month: str) -> dict[str, bytes | str]:
    """What the monthly commands print, from the ledger as `files` gives it (the plain
    way — every task parsed and checked in one pass — when `files` is a DirSource)."""
    v = validate(root, as_of, files, by_file=isinstance(files, FastSource))
    led = v.loaded.ledger
    out: dict[str, bytes | str] = {
        "findings": "\n".join(repr(f.as_dict("zh")) for f in v.findings)}
    rep = api.status(led, as_of)
    for name, render in (("json", status_report.render_json),
                         ("csv", status_report.render_csv)):
        buf = io.StringIO()
        render(rep, buf)
        out[f"status {name}"] = buf.getvalue()
    buf = io.StringIO()
    status_report.render_table(rep, buf, led.language, width=160)
    out["status table"] = buf.getvalue()
    if quarter is not None:
        result = api.score(led, quarter)
        buf = io.StringIO()
        score_report.render_json(result, buf)
        out["score json"] = buf.getvalue()
        out["bulletin quarter"] = api.bulletin(led, api.bulletin_request("quarter", quarter))
    out["bulletin month"] = api.bulletin(led, api.bulletin_request("month", month))
    out["export"] = api.export(led, as_of)[0]
    return out


CASES = [
    (EXAMPLE, date(2021, 6, 30), "2021-Q2", "2021-06"),
    (BEILIN, date(2024, 5, 31), None, "2024-05"),
]


def _generated(tmp: Path) -> Path:
    return generate(tmp / "gen", 240, files=6)


@pytest.mark.parametrize("which", ["weinan", "beilin", "generated"])
def test_warm_cache_prints_exactly_what_the_plain_path_prints(
        tmp_path: Path, which: str) -> None:
    if which == "generated":  # the benchmark's ledger: a source: tasks leaf, quality per task
        root, as_of, quarter, month = _generated(tmp_path), date(2024, 4, 10), "2024-Q1", "2024-03"
    else:
        src, as_of, quarter, month = CASES[["weinan", "beilin"].index(which)]
        root = tmp_path / which
        shutil.copytree(src, root)
    plain = outputs(root, as_of, DirSource(root), quarter, month)
    first = cached(root)
    assert outputs(root, as_of, first, quarter, month) == plain  # writes the entries
    assert first.stats["parsed"] > 0
    warm = cached(root)
    assert outputs(root, as_of, warm, quarter, month) == plain  # reads them back
    assert warm.stats["parsed"] == 0 and warm.stats["hits"] > 0


def _warm_then(root: Path, as_of: date, quarter: str | None, month: str,
               change: Callable[[], None]) -> tuple[dict[str, bytes | str], FastSource]:
    outputs(root, as_of, cached(root), quarter, month)  # the cache is warm
    change()
    src = cached(root)
    return outputs(root, as_of, src, quarter, month), src


def test_a_changed_task_file_is_never_served_from_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "w"
    shutil.copytree(EXAMPLE, root)
    path = next((root / "tasks").glob("*.yaml"))
    text = path.read_text(encoding="utf-8")

    def edit() -> None:  # the first task is done now: its light and the totals change
        path.write_text(text.replace("status: in_progress", "status: suspended", 1),
                        encoding="utf-8")

    assert "status: in_progress" in text
    before = outputs(root, date(2021, 6, 30), DirSource(root), "2021-Q2", "2021-06")
    after, src = _warm_then(root, date(2021, 6, 30), "2021-Q2", "2021-06", edit)
    assert after == outputs(root, date(2021, 6, 30), DirSource(root), "2021-Q2", "2021-06")
    assert after["status json"] != before["status json"]
    assert src.stats["parsed"] == 1  # that file alone


def test_a_renamed_or_removed_unit_is_never_served_from_the_cache(tmp_path: Path) -> None:
    """The task files did not change, but what they mean did: a unit they name was
    renamed (the status shows its name) and then removed (their tasks now name an
    unknown unit: a finding on their lines)."""
    root = tmp_path / "b"
    shutil.copytree(BEILIN, root)
    units = root / "units.yaml"
    text = units.read_text(encoding="utf-8")
    day, month = date(2024, 5, 31), "2024-05"
    warm = cached(root)
    plain = outputs(root, day, warm, None, month)
    lead = api.status(validate(root, day, DirSource(root), by_file=False).loaded.ledger,
                      day).tasks[0][0].lead
    line = next(ln for ln in text.splitlines() if f"id: {lead}," in ln or f"id: {lead}}}" in ln)

    def rename() -> None:
        units.write_text(text.replace(line, line.replace("name: ", "name: 改名后的", 1)),
                         encoding="utf-8")

    renamed, _ = _warm_then(root, day, None, month, rename)
    assert renamed == outputs(root, day, DirSource(root), None, month)
    assert renamed["status json"] != plain["status json"]
    assert "改名后的" in str(renamed["status json"])

    def remove() -> None:
        units.write_text(text.replace(line + "\n", ""), encoding="utf-8")

    remove()
    v = validate(root, day, cached(root))
    plain_v = validate(root, day, DirSource(root), by_file=False)
    assert [f.as_dict("en") for f in v.findings] == [f.as_dict("en") for f in plain_v.findings]
    assert any(f.severity == "error" and f.file.startswith("tasks/") for f in v.findings)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=True, allow_infinity=True) | st.decimals(allow_nan=False).map(float),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5) | st.integers() | st.booleans() | st.none(), inner,
                      max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(doc=_json_values)
def test_status_json_encoder_writes_exactly_what_json_dumps_writes(doc: object) -> None:
    buf = io.StringIO()
    status_report.write_indented_json(doc, buf)
    assert buf.getvalue() == json.dumps(doc, ensure_ascii=False, indent=2)


@pytest.mark.parametrize(("root", "as_of"), [(EXAMPLE, date(2021, 6, 30)),
                                             (BEILIN, date(2024, 5, 31))])
def test_status_json_is_what_it_was(root: Path, as_of: date) -> None:
    """`status --format json` prints what `json.dumps(indent=2)` printed, by every
    roll-up alone too."""
    rep = api.status(validate(root, as_of, DirSource(root), by_file=False).loaded.ledger, as_of)
    for by in (None, "category", "lead", "leader", "group", "unit"):
        buf = io.StringIO()
        status_report.render_json(rep, buf, by=by)
        expected = json.dumps(status_report.report_json(rep, by=by), ensure_ascii=False,
                              indent=2) + "\n"
        assert buf.getvalue() == expected
