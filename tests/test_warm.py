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

from conftest import BEILIN, EXAMPLE, REPO
from luoshi_cli import api
from luoshi_cli.fast.source import FastSource
from luoshi_cli.load.assemble import DirSource, FileSource
from luoshi_cli.ops.validate import validate
from luoshi_cli.report import scores as score_report
from luoshi_cli.report import status as status_report

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from gen import generate

KEY = b"w" * 32
QINGXIN = REPO / "tests" / "fixtures" / "scoring" / "qingxin-monthly"


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
    buf = io.StringIO()  # by group: with its row of the tasks in no group (渭南's five)
    status_report.render_csv(rep, buf, by="group")
    out["status csv by group"] = buf.getvalue()
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
    # a scheme with a monthly component: the monthly bulletin carries the month's ranking
    (QINGXIN, date(2022, 12, 31), "2022-Q4", "2022-11"),
]


def _generated(tmp: Path) -> Path:
    return generate(tmp / "gen", 240, files=6)


@pytest.mark.parametrize("which", ["weinan", "beilin", "qingxin", "generated"])
def test_warm_cache_prints_exactly_what_the_plain_path_prints(
        tmp_path: Path, which: str) -> None:
    if which == "generated":  # the benchmark's ledger: a source: tasks leaf, quality per task
        root, as_of, quarter, month = _generated(tmp_path), date(2024, 4, 10), "2024-Q1", "2024-03"
    else:
        src, as_of, quarter, month = CASES[["weinan", "beilin", "qingxin"].index(which)]
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
    """json.dumps(indent=2), with the characters a terminal acts on (C1, bidi) escaped
    as every JSON luoshi writes has them (`safetext.json_text`)."""
    from luoshi_cli.core.safetext import json_text

    buf = io.StringIO()
    status_report.write_indented_json(doc, buf)
    assert buf.getvalue() == json_text(json.dumps(doc, ensure_ascii=False, indent=2))


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


# ---- status --format json from status rows (`api.checked_status`) ----------------------

VALID_CASES = sorted((Path(__file__).parent / "cases" / "valid").iterdir())


def _case(case: Path) -> tuple[Path, date]:
    import yaml

    meta = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    day = meta["as_of"]
    return case / "ledger", day if isinstance(day, date) else date.fromisoformat(str(day))


def rows_json(root: Path, as_of: date, files: FileSource, **kw: object) -> str:
    """What `status --format json` prints by the rows path: the gate and a status row
    per task made file by file, rolled up without a task (`render_rows_json`)."""
    v, day = api.checked_status(root, as_of, today=as_of, files=files)
    assert v.loaded.ledger.tasks == () and len(v.loaded.rows) == len(v.loaded.keys or [])
    assert day == as_of
    buf = io.StringIO()
    by = kw.pop("by", None)
    summary = api.status_summary(v.loaded.ledger, day, v.loaded.rows, **kw)  # type: ignore[arg-type]
    status_report.render_rows_json(summary, buf, by=by)  # type: ignore[arg-type]
    return buf.getvalue()


def plain_json(root: Path, as_of: date, **kw: object) -> str:
    """`render_json` of the report made from every task (the plain path)."""
    led = validate(root, as_of, DirSource(root), by_file=False).loaded.ledger
    buf = io.StringIO()
    by = kw.pop("by", None)
    status_report.render_json(api.status(led, as_of, **kw), buf, by=by)  # type: ignore[arg-type]
    return buf.getvalue()


def _variants(root: Path, as_of: date) -> list[dict[str, object]]:
    led = validate(root, as_of, DirSource(root), by_file=False).loaded.ledger
    unit = sorted(t.lead for t in led.tasks)[:1]
    out: list[dict[str, object]] = [{}, {"light": "red"}, {"light": "green"}]
    out += [{"by": by} for by in ("category", "lead", "leader", "group", "unit", "tag")]
    out += [{"unit": u} for u in unit] + [{"unit": u, "light": "yellow"} for u in unit]
    return out


@pytest.mark.parametrize("which", ["weinan", "beilin", "generated",
                                   *(c.name for c in VALID_CASES)])
def test_status_json_from_rows_is_the_plain_report_byte_for_byte(
        tmp_path: Path, which: str) -> None:
    """Cold (rows made and cached), warm (rows read back), with every filter and
    roll-up: exactly what the plain report prints.  The case ledgers bring parents
    and children (tasks v2), targets, tags, BOMs and YAML 1.1 traps."""
    if which == "generated":
        root, as_of = _generated(tmp_path), date(2024, 4, 10)
    elif which in ("weinan", "beilin"):
        src, as_of = CASES[["weinan", "beilin"].index(which)][:2]
        root = tmp_path / which
        shutil.copytree(src, root)
    else:
        src, as_of = _case(Path(__file__).parent / "cases" / "valid" / which)
        root = tmp_path / which
        shutil.copytree(src, root)
    variants = _variants(root, as_of)
    if which == "supervision":  # the CLI prints it by the plain path (see status_cmd)
        variants = variants[:1]
    for kw in variants:
        expected = plain_json(root, as_of, **kw)
        if which == "supervision":
            assert '"supervision"' in expected
            continue
        first = cached(root)
        assert rows_json(root, as_of, first, **kw) == expected, kw
        warm = cached(root)
        assert rows_json(root, as_of, warm, **kw) == expected, kw
        assert warm.stats["parsed"] == 0 and warm.stats["hits"] > 0
    assert rows_json(root, as_of, DirSource(root)) == plain_json(root, as_of) or \
        which == "supervision"


def test_status_rows_are_never_served_for_another_as_of(tmp_path: Path) -> None:
    """A status row holds the task judged at one date: a warm cache at one as-of
    is a miss at another (the date is in the entry's name), and each date's output
    is the plain report's.  The rows of the other day are made again — from each
    file's parsed model, which the June run kept (no file is parsed again)."""
    root = tmp_path / "w"
    shutil.copytree(EXAMPLE, root)
    june, july = date(2021, 6, 30), date(2021, 7, 31)
    rows_json(root, june, cached(root))  # warm at June
    src = cached(root)
    assert rows_json(root, july, src) == plain_json(root, july)
    assert (src.stats["parsed"], src.stats["derived"]) == \
        (0, len(list((root / "tasks").glob("*.yaml"))))
    assert plain_json(root, july) != plain_json(root, june)
    again = cached(root)
    assert rows_json(root, july, again) == plain_json(root, july)
    assert again.stats["parsed"] == 0


def test_status_rows_of_a_changed_file_or_a_renamed_unit_are_made_again(
        tmp_path: Path) -> None:
    root = tmp_path / "b"
    shutil.copytree(BEILIN, root)
    day = date(2024, 5, 31)
    rows_json(root, day, cached(root))  # warm
    path = sorted((root / "tasks").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    assert "status: in_progress" in text
    path.write_text(text.replace("status: in_progress", "status: suspended", 1),
                    encoding="utf-8")
    src = cached(root)
    assert rows_json(root, day, src) == plain_json(root, day)
    assert src.stats["parsed"] == 1  # that file alone
    units = root / "units.yaml"
    utext = units.read_text(encoding="utf-8")
    lead = api.status(validate(root, day, DirSource(root), by_file=False).loaded.ledger,
                      day).tasks[0][0].lead
    line = next(ln for ln in utext.splitlines() if f"id: {lead}," in ln or f"id: {lead}}}" in ln)
    units.write_text(utext.replace(line, line.replace("name: ", "name: 改名后的", 1)),
                     encoding="utf-8")
    renamed = rows_json(root, day, cached(root))
    assert renamed == plain_json(root, day) and "改名后的" in renamed


def test_status_json_on_the_command_line_takes_the_rows_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`luoshi status --format json` prints the plain report's text, cold and warm,
    and by the rows path (the ledger it built holds no task)."""
    from typer.testing import CliRunner

    from luoshi_cli.cli.app import app
    from luoshi_cli.fast import taskfiles

    root = _generated(tmp_path)
    day = date(2024, 4, 10)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("LUOSHI_NO_CACHE", raising=False)
    made: list[int] = []
    real = taskfiles.TaskFileRows.__call__

    def counting(self: taskfiles.TaskFileRows, src: object) -> object:
        made.append(1)
        return real(self, src)  # type: ignore[arg-type]

    monkeypatch.setattr(taskfiles.TaskFileRows, "__call__", counting)
    monkeypatch.setattr("luoshi_cli.fast.source.CACHE_MIN_BYTES", 0)
    expected = plain_json(root, day)
    for by in (None, "unit"):
        args = ["status", str(root), "--as-of", "2024-04-10", "--format", "json"]
        args += ["--by", by] if by else []
        for _ in range(2):  # cold, then warm
            made.clear()
            run = CliRunner().invoke(app, args)
            assert run.exit_code == 0, run.output
            assert run.stdout == (expected if by is None else plain_json(root, day, by=by))
        assert made == []  # the second run read every row back


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_status_rows_json_to_a_byte_stream_is_the_plain_text_encoded(
        tmp_path: Path, encoding: str) -> None:
    """To stdout (a UTF-8 stream with a byte buffer) the rows' UTF-8 text is written
    as it is; to any other stream it is text again: the same bytes either way."""
    root = tmp_path / "b"
    shutil.copytree(BEILIN, root)
    day = date(2024, 5, 31)
    v, _ = api.checked_status(root, day, today=day, files=cached(root))
    summary = api.status_summary(v.loaded.ledger, day, v.loaded.rows)
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, newline="\n")
    stream.write("前言\n")  # text written before the rows must stay before them
    status_report.render_rows_json(summary, stream)
    stream.flush()
    assert raw.getvalue() == ("前言\n" + plain_json(root, day)).encode(encoding)


def test_a_records_scores_are_read_back_equal_and_shared(tmp_path: Path) -> None:
    """The cache writes a record's 100,000 quality scores with each distinct number
    once (a few hundred objects, not 100,000 Decimals to rebuild): read back, the
    record is equal, and equal scores are one object."""
    from decimal import Decimal

    from luoshi_cli.core.model import Record, Src
    from luoshi_cli.fast.cache import _Unpickler, dumps

    quality = {f"T{i:06d}": Decimal(f"{80 + i % 7}.5") for i in range(1000)}
    quality["T999999"] = Decimal("81.50")  # another text: stays apart
    rec = Record(period="2024-Q1", src=Src("records/q1.yaml", ()), quality=quality,
                 items={"u": {"a": Decimal("1.0"), "b": Decimal("1.0")}})
    back = _Unpickler(io.BytesIO(dumps(("r", [], True, True, rec)))).load()[4]
    assert back == rec
    assert str(back.quality["T999999"]) == "81.50"
    assert len({id(v) for v in back.quality.values()}) == 8
    assert back.items["u"]["a"] is back.items["u"]["b"]


def test_the_json_writer_leaves_nothing_behind_with_the_collector_off() -> None:
    """The parse worker makes 100,000 tasks' text with the garbage collector off: a
    walker that kept itself (and every piece it wrote) alive through its closure cost
    450 MB at 100,000 tasks.  Nothing may outlive a call."""
    import gc
    import tracemalloc

    doc = {"id": "T1", "overdue": [{"due": "2024-01-01", "days": 3}], "x": [1.5, None]}
    was = gc.isenabled()
    gc.disable()
    tracemalloc.start()
    try:
        for _ in range(2000):
            status_report.indented_json(doc, "\n    ")
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        if was:
            gc.enable()
    assert current < 20_000


# ---- the status table from status rows ---------------------------------------------------

def rows_table(root: Path, as_of: date, files: FileSource, lang: str, *, color: bool,
               width: int, **kw: object) -> str:
    v, day = api.checked_status(root, as_of, today=as_of, files=files, table=lambda _: lang)
    assert v.loaded.ledger.tasks == ()
    by = kw.pop("by", None)
    summary = api.status_summary(v.loaded.ledger, day, v.loaded.rows, **kw)  # type: ignore[arg-type]
    buf = io.StringIO()
    status_report.render_table(summary, buf, lang, by=by, color=color, width=width)  # type: ignore[arg-type]
    return buf.getvalue()


def plain_table(root: Path, as_of: date, lang: str, *, color: bool, width: int,
                **kw: object) -> str:
    led = validate(root, as_of, DirSource(root), by_file=False).loaded.ledger
    by = kw.pop("by", None)
    buf = io.StringIO()
    status_report.render_table(api.status(led, as_of, **kw), buf, lang, by=by,  # type: ignore[arg-type]
                               color=color, width=width)
    return buf.getvalue()


@pytest.mark.parametrize("which", ["weinan", "beilin", "generated",
                                   *(c.name for c in VALID_CASES if c.name != "supervision")])
def test_status_table_from_rows_is_the_plain_table_byte_for_byte(
        tmp_path: Path, which: str) -> None:
    """Cold and warm, zh and en, piped and on a terminal, wide and narrow, with every
    filter and roll-up: the table from status rows is the plain report's table."""
    if which == "generated":
        root, as_of = _generated(tmp_path), date(2024, 4, 10)
    elif which in ("weinan", "beilin"):
        src, as_of = CASES[["weinan", "beilin"].index(which)][:2]
        root = tmp_path / which
        shutil.copytree(src, root)
    else:
        src, as_of = _case(Path(__file__).parent / "cases" / "valid" / which)
        root = tmp_path / which
        shutil.copytree(src, root)
    variants = _variants(root, as_of)
    variants.insert(1, {"light": "yellow"})
    for lang, color, width in (("zh", False, 160), ("en", True, 160), ("zh", True, 70)):
        for kw in variants if (lang, width) == ("zh", 160) else variants[:3]:
            expected = plain_table(root, as_of, lang, color=color, width=width, **kw)
            first = cached(root)
            assert rows_table(root, as_of, first, lang, color=color, width=width,
                              **kw) == expected, (lang, color, width, kw)
            warm = cached(root)
            assert rows_table(root, as_of, warm, lang, color=color, width=width,
                              **kw) == expected, (lang, color, width, kw)
            assert warm.stats["parsed"] == 0


def test_status_table_rows_are_made_again_for_another_language_or_date(
        tmp_path: Path) -> None:
    root = tmp_path / "w"
    shutil.copytree(EXAMPLE, root)
    june, july = date(2021, 6, 30), date(2021, 7, 31)
    rows_table(root, june, cached(root), "zh", color=False, width=160)  # warm: zh, June
    n = len(list((root / "tasks").glob("*.yaml")))
    for lang, day in (("en", june), ("zh", july)):
        src = cached(root)
        assert rows_table(root, day, src, lang, color=False, width=160) == plain_table(
            root, day, lang, color=False, width=160)
        assert (src.stats["parsed"], src.stats["derived"]) == (0, n)  # from the model
    json_side = cached(root)  # the JSON rows of July: their own entries
    rows_json(root, july, json_side)
    again = cached(root)  # and the table's of July were not replaced by them
    rows_table(root, july, again, "zh", color=False, width=160)
    assert (again.stats["parsed"], again.stats["derived"]) == (0, 0)


# --- one parsed model behind every command (`load.assemble.Standby`) ---------------


def _score_text(root: Path, as_of: date, quarter: str, files: FileSource) -> str:
    v = api.checked_for_scoring(root, as_of, today=as_of, files=files)
    buf = io.StringIO()
    score_report.render_json(api.score(v.loaded.ledger, quarter, tasks=v.loaded.rows), buf)
    return buf.getvalue()


def _plain_score_text(root: Path, as_of: date, quarter: str) -> str:
    led = validate(root, as_of, DirSource(root), by_file=False).loaded.ledger
    buf = io.StringIO()
    score_report.render_json(api.score(led, quarter), buf)
    return buf.getvalue()


@pytest.mark.parametrize("which", ["weinan", "generated"])
def test_after_validate_every_command_reads_the_kept_model(tmp_path: Path,
                                                          which: str) -> None:
    """The office's month: `validate`, then `status`, `score`, `bulletin`.  Only
    `validate` parses the task files; it keeps each file's parsed model beside its
    findings and keys, and each later command makes its own answer from the model
    (`derived`) — printing exactly what the plain path prints — or, for the
    commands that keep the model itself (bulletin, export), reads it (`hits`)."""
    if which == "generated":
        root, as_of, quarter = _generated(tmp_path), date(2024, 4, 10), "2024-Q1"
    else:
        root, (_, as_of, quarter, _) = tmp_path / which, CASES[0]
        shutil.copytree(EXAMPLE, root)
    assert quarter is not None
    files = len(list((root / "tasks").glob("*.yaml")))
    first = cached(root)
    validate(root, as_of, first, keep_tasks=False)  # `luoshi validate`
    others = first.stats["parsed"] - files  # the scheme and records: kept as before
    assert files > 0 and others >= 0

    status = cached(root)
    assert rows_json(root, as_of, status) == plain_json(root, as_of)
    scoring = cached(root)
    assert _score_text(root, as_of, quarter, scoring) == _plain_score_text(root, as_of, quarter)
    for src in (status, scoring):
        assert (src.stats["parsed"], src.stats["hits"], src.stats["derived"]) == \
            (0, others, files)

    model = cached(root)  # bulletin and export: the model is their own entry
    assert validate(root, as_of, model).loaded.ledger.tasks == \
        validate(root, as_of, DirSource(root), by_file=False).loaded.ledger.tasks
    assert (model.stats["parsed"], model.stats["hits"]) == (0, files + others)
    again = cached(root)  # and each command's own entries are there now
    assert rows_json(root, as_of, again) == plain_json(root, as_of)
    assert (again.stats["parsed"], again.stats["hits"], again.stats["derived"]) == \
        (0, files + others, 0)


def test_a_changed_file_or_a_forged_model_is_parsed_not_derived(tmp_path: Path) -> None:
    """The model is trusted exactly as far as any entry: a file changed since it was
    kept is parsed (and only that file); a model entry that does not check out (here:
    signed with another key, as one committed to the repository would be) is a miss
    and the file is parsed."""
    root = tmp_path / "b"
    shutil.copytree(BEILIN, root)
    day = date(2024, 5, 31)
    files = sorted((root / "tasks").glob("*.yaml"))
    validate(root, day, cached(root), keep_tasks=False)
    text = files[0].read_text(encoding="utf-8")
    assert "status: in_progress" in text
    files[0].write_text(text.replace("status: in_progress", "status: suspended", 1),
                        encoding="utf-8")
    src = cached(root)
    assert rows_json(root, day, src) == plain_json(root, day)
    assert (src.stats["parsed"], src.stats["derived"]) == (1, len(files) - 1)

    other = tmp_path / "other"
    shutil.copytree(BEILIN, other)
    validate(other, day, FastSource(other, key=b"x" * 32, cache_min_bytes=0, jobs=1),
             keep_tasks=False)  # entries under another machine's key
    src = cached(other)
    assert rows_json(other, day, src) == plain_json(other, day)
    assert (src.stats["derived"], src.stats["hits"]) == (0, 0)
    assert src.stats["parsed"] >= len(files)


def test_the_tasks_in_no_group_are_said_alike_cold_and_warm(tmp_path: Path) -> None:
    """渭南 has 5 tasks whose category names no group: the table from status rows says
    so under the groups as the plain report does, cold and warm, and the JSON's new
    `ungrouped` key agrees (the by_group array is unchanged)."""
    root = tmp_path / "w"
    shutil.copytree(EXAMPLE, root)
    day = date(2021, 6, 30)
    expected = plain_table(root, day, "zh", color=False, width=160)
    assert "\n另有 5 项任务的类别未指定专项推进组（group）\n" in expected
    for _ in range(2):
        assert rows_table(root, day, cached(root), "zh", color=False, width=160) == expected
        assert '\n  "ungrouped": 5,\n' in rows_json(root, day, cached(root))
