"""`luoshi schema -o -` is stdout, as every other `-o -`: it made a folder named `-`.
Without --kind it would write several files, so `-o -` is refused there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


def test_one_kind_to_stdout(cli: Callable[..., Run], tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    printed = cli("schema", "--kind", "tasks")
    r = cli("schema", "--kind", "tasks", "-o", "-")
    assert (r.exit_code, r.stderr) == (0, "")
    assert r.stdout == printed.stdout and r.stdout.startswith("{\n  \"$schema\"")
    assert list(tmp_path.iterdir()) == []


def test_every_kind_to_stdout_is_refused(cli: Callable[..., Run], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = cli("schema", "-o", "-")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: -o - 只能与 --kind 一起使用：不带 --kind 时写入每种文件的 schema"
                        "（多个文件），请用 -o DIR 指定目录\n")
    assert list(tmp_path.iterdir()) == []
    r = cli("schema", "-o", "-", "--lang", "en")
    assert r.stderr == ("luoshi: -o - goes with --kind: without it a schema is written for "
                        "every file kind (several files); give -o DIR\n")
