"""Kept documents (`fast.results`, issue 17's warm `score`, `bulletin`, `status` and
`export`): a second
identical run prints exactly what the plain path prints — and a document is never
served once anything it was made from changed: a task file, a new or removed file,
a template, the request, or the files while it was being made."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, on_pty_bytes
from luoshi_cli.fast.results import ResultMemo, ledger_digest, result_memo

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from gen import generate

AS_OF = "2024-04-10"
#: the cache on, as on a desk (in CI it is off unless LUOSHI_CACHE=1)
ON = {"LUOSHI_CACHE": "1", "LUOSHI_NO_CACHE": ""}
OFF = {"LUOSHI_NO_CACHE": "1"}
KEY = b"k" * 32

COMMANDS: dict[str, tuple[str, ...]] = {
    "score json": ("score", "--quarter", "Q1", "--as-of", AS_OF, "--format", "json"),
    "score table": ("score", "--quarter", "Q1", "--as-of", AS_OF),
    "score csv en": ("score", "--quarter", "Q1", "--as-of", AS_OF, "--format", "csv",
                     "--lang", "en"),
    "bulletin month": ("bulletin", "--month", "2024-03"),
    "bulletin quarter html": ("bulletin", "--quarter", "Q1", "--format", "html"),
    "bulletin unit en": ("bulletin", "--quarter", "Q1", "--unit", "city-fgw", "--lang", "en"),
    "status json": ("status", "--as-of", AS_OF, "--format", "json"),
    "status table by lead en": ("status", "--as-of", AS_OF, "--by", "lead", "--lang", "en"),
}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated ledger over the cache's threshold (512 KB): a scheme with a
    `source: tasks` leaf and a quality score per task, as the benchmark's."""
    return generate(tmp_path_factory.mktemp("kept") / "gen", 700, files=6)


@pytest.fixture
def ledger(big: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(big, root, ignore=shutil.ignore_patterns(".luoshi-cache"))
    return root


def kept_entries(root: Path) -> list[Path]:
    """The entries of kept documents (results.* work) in the cache: named by the
    hash of their work and request, so found by reading their request back."""
    return sorted(p for p in (root / ".luoshi-cache").glob("v*/*.pickle")
                  if b"option " in p.read_bytes()[:4096])


def both(cli: Callable[..., Run], root: Path, args: tuple[str, ...]) -> tuple[Run, Run]:
    return cli(args[0], root, *args[1:], env=ON), cli(args[0], root, *args[1:], env=OFF)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_kept_document_is_what_the_plain_path_prints(
        cli: Callable[..., Run], ledger: Path, name: str) -> None:
    args = COMMANDS[name]
    plain = cli(args[0], ledger, *args[1:], env=OFF)
    assert plain.exit_code == 0, plain.stderr
    assert not kept_entries(ledger)  # the cache off: nothing kept
    first = cli(args[0], ledger, *args[1:], env=ON)
    assert len(kept_entries(ledger)) == 1
    second = cli(args[0], ledger, *args[1:], env=ON)
    for run in (first, second):
        assert (run.exit_code, run.stdout, run.stderr) == (0, plain.stdout, plain.stderr)


def test_the_second_run_is_served_without_loading(
        cli: Callable[..., Run], ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = COMMANDS["bulletin month"]
    first = cli(args[0], ledger, *args[1:], env=ON)
    from luoshi_cli import api

    def no(*_: object, **__: object) -> None:
        raise AssertionError("the ledger was loaded")

    monkeypatch.setattr(api, "checked", no)
    again = cli(args[0], ledger, *args[1:], env=ON)
    assert (again.exit_code, again.stdout) == (0, first.stdout)


def _changed_task(root: Path) -> None:
    """The first task is suspended now: its light, the totals and its score change."""
    path = sorted((root / "tasks").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    assert "status: in_progress" in text
    path.write_text(text.replace("status: in_progress", "status: suspended", 1),
                    encoding="utf-8")


def _new_task_file(root: Path) -> None:
    src = sorted((root / "tasks").glob("*.yaml"))[0]
    text = src.read_text(encoding="utf-8")
    # the same tasks under new ids, in a new file: more tasks everywhere
    (root / "tasks" / "zz-new.yaml").write_text(text.replace("id: T", "id: N"),
                                                encoding="utf-8")


def _quality_changed(root: Path) -> None:
    path = root / "records" / "2024-Q1.yaml"
    text = path.read_text(encoding="utf-8")
    i = text.index("quality:")
    path.write_text(text[:i] + text[i:].replace("quality: ", "quality: 1", 1),
                    encoding="utf-8")


@pytest.mark.parametrize("change", [_changed_task, _new_task_file, _quality_changed])
@pytest.mark.parametrize("name", ["score json", "bulletin quarter html", "status json"])
def test_a_changed_input_is_never_served(cli: Callable[..., Run], ledger: Path, name: str,
                                         change: Callable[[Path], None]) -> None:
    args = COMMANDS[name]
    before, _ = both(cli, ledger, args)  # kept
    change(ledger)
    after, plain = both(cli, ledger, args)
    assert after.exit_code == plain.exit_code
    assert (after.stdout, after.stderr) == (plain.stdout, plain.stderr)
    if plain.exit_code == 0:
        assert after.stdout != before.stdout


def test_a_changed_template_is_never_served(cli: Callable[..., Run], ledger: Path) -> None:
    args = COMMANDS["bulletin month"]
    first = cli(args[0], ledger, *args[1:], env=ON)
    own = ledger / "templates"
    own.mkdir()
    from luoshi_cli.report.bulletin import builtin_templates

    text = (builtin_templates() / "bulletin.md.j2").read_text(encoding="utf-8")
    (own / "bulletin.md.j2").write_text(text.replace("各有关单位：", "各单位："),
                                        encoding="utf-8")
    after = cli(args[0], ledger, *args[1:], env=ON)
    assert after.exit_code == 0
    assert after.stdout == first.stdout.replace("各有关单位：", "各单位：") != first.stdout


def test_another_request_is_another_document(cli: Callable[..., Run], ledger: Path) -> None:
    month = cli("bulletin", ledger, "--month", "2024-03", env=ON)
    feb = cli("bulletin", ledger, "--month", "2024-02", env=ON)
    public = cli("bulletin", ledger, "--month", "2024-03", "--edition", "public", env=ON)
    plain = cli("bulletin", ledger, "--month", "2024-02", env=OFF)
    assert feb.stdout == plain.stdout != month.stdout
    assert public.stdout == cli("bulletin", ledger, "--month", "2024-03", "--edition",
                                "public", env=OFF).stdout != month.stdout
    assert len(kept_entries(ledger)) == 3
    again = cli("bulletin", ledger, "--month", "2024-03", env=ON)
    assert again.stdout == month.stdout


def test_a_rejected_ledger_keeps_nothing(cli: Callable[..., Run], ledger: Path) -> None:
    path = sorted((ledger / "tasks").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("lead: ", "lead: no-such-unit-", 1), encoding="utf-8")
    r = cli("score", ledger, "--quarter", "Q1", "--as-of", AS_OF, env=ON)
    assert r.exit_code == 1
    assert not kept_entries(ledger)


def _memo(root: Path, request: dict[str, object] | None = None) -> ResultMemo:
    memo = result_memo(root, "test", request or {"a": 1}, key=KEY)
    assert memo is not None
    return memo


def test_a_file_edited_while_the_document_was_made_keeps_nothing(
        ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in ON.items():
        monkeypatch.setenv(k, v)
    memo = _memo(ledger)
    _changed_task(ledger)  # after the inputs were hashed, before the result is kept
    assert memo.put(b"made from the old file", "") is False
    assert _memo(ledger).get() is None
    fresh = _memo(ledger)
    assert fresh.put(b"doc", "err", "zh") is True
    assert _memo(ledger).get() == (b"doc", "err", "zh")
    assert _memo(ledger, {"a": 2}).get() is None  # another request


def test_a_foreign_or_moved_entry_is_never_believed(
        ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in ON.items():
        monkeypatch.setenv(k, v)
    assert _memo(ledger).put(b"doc", "", "zh")
    (entry,) = (ledger / ".luoshi-cache").glob("v*/*.pickle")  # nothing else is cached here
    # a signed entry copied onto the name another request's entry would have
    second = _memo(ledger, {"a": 2})
    shutil.copy(entry, second.store.job(second.request, second.material))
    assert second.get() is None
    other = result_memo(ledger, "test", {"a": 1}, key=b"x" * 32)  # another machine's key
    assert other is not None and other.get() is None


def test_links_and_odd_files_are_never_keyed(ledger: Path, tmp_path: Path) -> None:
    assert ledger_digest(ledger) is not None
    path = sorted((ledger / "tasks").glob("*.yaml"))[0]
    outside = tmp_path / "outside.yaml"
    shutil.move(path, outside)
    path.symlink_to(outside)  # same bytes, but a link out of the ledger (LS008)
    assert ledger_digest(ledger) is None
    path.unlink()
    path.mkdir()  # a directory named like a task file (LS006)
    assert ledger_digest(ledger) is None


def test_small_ledgers_and_the_cache_off_keep_nothing(
        ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import EXAMPLE

    monkeypatch.setenv("LUOSHI_NO_CACHE", "1")
    assert result_memo(ledger, "test", {}, key=KEY) is None
    monkeypatch.setenv("LUOSHI_NO_CACHE", "")
    monkeypatch.setenv("CI", "1")
    monkeypatch.delenv("LUOSHI_CACHE", raising=False)
    assert result_memo(ledger, "test", {}, key=KEY) is None
    monkeypatch.setenv("LUOSHI_CACHE", "1")
    assert result_memo(ledger, "test", {}, key=KEY) is not None
    assert result_memo(EXAMPLE, "test", {}, key=KEY) is None  # 20 tasks: made each time


def test_a_kept_bulletin_is_written_to_a_file_as_a_fresh_one(
        cli: Callable[..., Run], ledger: Path, tmp_path: Path) -> None:
    plain_file, kept_file = tmp_path / "plain.html", tmp_path / "kept.html"
    plain = cli("bulletin", ledger, "--quarter", "Q1", "-o", plain_file, env=OFF)
    cli("bulletin", ledger, "--quarter", "Q1", "-o", kept_file, env=ON)  # keeps it
    kept_file.unlink()
    again = cli("bulletin", ledger, "--quarter", "Q1", "-o", kept_file, env=ON)
    assert (again.exit_code, again.stdout) == (0, "")
    assert again.stderr == plain.stderr.replace(str(plain_file), str(kept_file))
    assert kept_file.read_bytes() == plain_file.read_bytes()
    assert kept_entries(ledger)


def test_a_kept_word_bulletin_is_the_fresh_one(cli: Callable[..., Run], ledger: Path,
                                               tmp_path: Path) -> None:
    """The Word edition warm: 8 s at 100,000 tasks made again each time; kept, the
    second run writes the very bytes the plain path writes — and a changed task file
    is never served."""
    pytest.importorskip("docx")
    plain_file, kept_file = tmp_path / "plain.docx", tmp_path / "kept.docx"
    plain = cli("bulletin", ledger, "--month", "2024-03", "-o", plain_file, env=OFF)
    assert plain.exit_code == 0, plain.stderr
    cli("bulletin", ledger, "--month", "2024-03", "-o", kept_file, env=ON)
    assert len(kept_entries(ledger)) == 1
    kept_file.unlink()
    again = cli("bulletin", ledger, "--month", "2024-03", "-o", kept_file, env=ON)
    assert (again.exit_code, again.stdout) == (0, "")
    assert again.stderr == plain.stderr.replace(str(plain_file), str(kept_file))
    assert kept_file.read_bytes() == plain_file.read_bytes()
    _changed_task(ledger)
    changed = cli("bulletin", ledger, "--month", "2024-03", "-o", kept_file, env=ON)
    fresh = cli("bulletin", ledger, "--month", "2024-03", "-o", plain_file, env=OFF)
    assert changed.exit_code == fresh.exit_code == 0
    assert kept_file.read_bytes() == plain_file.read_bytes()
    assert len(kept_entries(ledger)) == 1  # the older entry replaced


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_kept_workbook_is_the_fresh_one(cli: Callable[..., Run], ledger: Path,
                                          tmp_path: Path, lang: str) -> None:
    """`export -o` warm: the second run writes the kept bytes — the very workbook the
    plain path writes, with the same message (naming the new -o) — and a changed task
    file is never served: the workbook is made again."""
    plain_file, kept_file = tmp_path / "plain.xlsx", tmp_path / "kept.xlsx"
    args = ("--as-of", AS_OF, "--lang", lang)
    plain = cli("export", ledger, "-o", plain_file, *args, env=OFF)
    assert plain.exit_code == 0, plain.stderr
    assert not kept_entries(ledger)
    first = cli("export", ledger, "-o", kept_file, *args, env=ON)
    assert len(kept_entries(ledger)) == 1
    assert kept_file.read_bytes() == plain_file.read_bytes()
    kept_file.unlink()
    again = cli("export", ledger, "-o", kept_file, *args, env=ON)
    for run in (first, again):
        assert (run.exit_code, run.stdout) == (0, "")
        assert run.stderr == plain.stderr.replace(str(plain_file), str(kept_file))
    assert kept_file.read_bytes() == plain_file.read_bytes()
    before = plain_file.read_bytes()
    _changed_task(ledger)
    changed = cli("export", ledger, "-o", kept_file, *args, env=ON)
    fresh = cli("export", ledger, "-o", plain_file, *args, env=OFF)
    assert changed.exit_code == fresh.exit_code == 0
    assert kept_file.read_bytes() == plain_file.read_bytes() != before
    another_day = cli("export", ledger, "-o", kept_file, "--as-of", "2024-04-11",
                      "--lang", lang, env=ON)
    assert another_day.exit_code == 0
    assert kept_file.read_bytes() != plain_file.read_bytes()


def test_the_status_table_on_a_terminal_is_kept_per_size(ledger: Path) -> None:
    """On a terminal the table is laid out to its width (and coloured): a kept table is
    served only to a terminal of the same size — what the plain path prints there."""
    args = ["status", str(ledger), "--as-of", AS_OF]
    plain = {c: on_pty_bytes(args, c, OFF) for c in (100, 160)}
    assert plain[100] != plain[160] and b"\x1b[" in plain[100]
    for columns in (100, 160, 100):
        assert on_pty_bytes(args, columns, ON) == plain[columns]
    assert len(kept_entries(ledger)) == 2
