"""LS023: a YAML file in the task, record or supervision directory that no `files:`
pattern reads is named, never silently left out.

An audit renamed `supervision/2024.yaml` to `2024.yml`: every rectification, its
LS702 and the scheme rule it triggers vanished while `validate` and the commit hook
passed.  `tasks/sub/a.yaml` under the default `tasks/*.yaml` was dropped the same
way, with its errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import Run, commit, git
from luoshi_cli.fast.source import FastSource
from luoshi_cli.load.assemble import DirSource
from luoshi_cli.ops.validate import validate
from test_links import CONFIG, TASK, UNITS

DAY = date(2024, 5, 31)
BROKEN = "- id: T-999\n  lead: nosuch\n"  # would be errors if it were read
RECTIFICATION = ("rectifications:\n  - {id: ZG-01, unit: fgw, opened: 2024-04-01, "
                 "due: 2024-04-30}\n")


def ls023(rel: str, base: str, kind: str, pattern: str) -> tuple[str, int, int, str, str]:
    return (rel, 1, 1, "LS023",
            f"此文件在 {base}/ 下，但不符合 files.{kind} 的模式 {pattern}，luoshi 不读它，"
            "其中的内容不会被校验、统计或考核：如果它是台账文件，请改名或移动使其符合该模式"
            f"（例如扩展名改为 .yaml），或修改 luoshi.yaml 的 files.{kind}；如果不是，请移出 "
            f"{base}/")


@pytest.fixture
def ledger(write: Callable[..., Path]) -> Path:
    """Read: tasks/a.yaml.  Not read: a .yml task file, a task file one folder down,
    a .yml record and a .yml supervision file.  Not named: a hidden draft, a
    Markdown note and CI files at the root (no pattern's directory)."""
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": TASK.format(n=1),
                  "tasks/b.yml": BROKEN, "tasks/sub/c.yaml": BROKEN,
                  "tasks/.draft.yaml": BROKEN, "tasks/README.md": "说明\n",
                  "records/2024-Q1.yml": "period: 2024-Q1\n",
                  "supervision/2024.yml": RECTIFICATION,
                  ".gitlab-ci.yml": "x: 1\n", "ci.yml": "x: 1\n"})


EXPECTED = [
    ls023("records/2024-Q1.yml", "records", "records", "records/*.yaml"),
    ls023("supervision/2024.yml", "supervision", "supervision", "supervision/*.yaml"),
    ls023("tasks/b.yml", "tasks", "tasks", "tasks/*.yaml"),
    ls023("tasks/sub/c.yaml", "tasks", "tasks", "tasks/*.yaml"),
]


def _found(root: Path) -> list[tuple[str, int, int, str, str]]:
    """The findings, the same from the plain and the fast source, whole or by file."""
    results = []
    for keep in (True, False):
        for src in (DirSource(root), FastSource(root, cache=False)):
            v = validate(root, DAY, src, keep_tasks=keep)
            results.append([(f.file, f.line, f.col, f.code, f.message("zh"))
                            for f in v.findings])
    assert all(r == results[0] for r in results)
    return results[0]


def test_files_no_pattern_reads_are_named(ledger: Path) -> None:
    assert _found(ledger) == EXPECTED


def test_a_wider_pattern_reads_them_and_is_not_warned_about(ledger: Path) -> None:
    """`tasks/**/*.yaml` reads tasks/sub/c.yaml (its errors now show); the .yml
    beside it is still named."""
    (ledger / "luoshi.yaml").write_text(CONFIG + 'files:\n  tasks: "tasks/**/*.yaml"\n',
                                        encoding="utf-8")
    got = _found(ledger)
    assert ls023("tasks/b.yml", "tasks", "tasks", "tasks/**/*.yaml") in got
    assert [f for f in got if f[0] == "tasks/sub/c.yaml" and f[3] == "LS023"] == []
    assert any(f[0] == "tasks/sub/c.yaml" and f[3] == "LS110" for f in got)  # nosuch


def test_the_cli_and_the_commit_hook_say_it(ledger: Path, cli: Callable[..., Run],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """In the working tree, at a revision and staged: the hook no longer passes a
    renamed supervision file in silence (it warns; `--strict` fails)."""
    git(ledger, "init", "-q")
    commit(ledger, "ledger")
    lines = [f"{rel}:1:1: warning LS023 {msg}" for rel, _, _, _, msg in EXPECTED]
    r = cli("validate", ledger, "--as-of", "2024-05-31")
    assert (r.exit_code, r.stdout.splitlines()) == (0, lines)
    r = cli("validate", ledger, "--rev", "HEAD", "--as-of", "2024-05-31")
    assert (r.exit_code, r.stdout.splitlines()) == (0, lines)
    monkeypatch.chdir(ledger)
    r = cli("hook", "supervision/2024.yml", "--strict")
    assert r.exit_code == 1
    assert [x for x in r.stdout.splitlines() if "LS023" in x] == lines


def test_the_units_and_scheme_files_beside_the_tasks_are_read(write: Callable[..., Path]
                                                              ) -> None:
    """`files: {units: data/units.yaml, tasks: data/task-*.yaml}`: data/units.yaml is
    the ledger's units, not a stray file (it was LS023, and `--strict` failed)."""
    root = write({"luoshi.yaml": CONFIG + "files:\n  units: data/units.yaml\n"
                  "  tasks: data/task-*.yaml\n  scheme: data/scheme.yaml\n",
                  "data/units.yaml": UNITS, "data/task-a.yaml": TASK.format(n=1),
                  "data/stray.yaml": BROKEN})
    assert _found(root) == [
        ls023("data/stray.yaml", "data", "tasks", "data/task-*.yaml")]


def test_a_name_that_says_yaml_in_any_case_is_named(write: Callable[..., Path],
                                                   cli: Callable[..., Run]) -> None:
    """`econ.YML`, `upper.Yaml`, `econ.yaml.txt` (as Windows Notepad saves it) and
    the like were never looked at: the walk kept lower-case `.yaml`/`.yml` names
    only, and 18 tasks of the beilin example vanished from status and score while
    `validate` said nothing (audit).  Each is named now, under the directories the
    `files:` patterns give (here tasks in 任务/); a README and a spreadsheet beside
    them are not (notes live there on purpose), nor is a file no pattern's folder
    holds.  The same in the working tree and at a revision."""
    config = CONFIG + "files:\n  tasks: 任务/*.yaml\n"
    root = write({"luoshi.yaml": config, "units.yaml": UNITS,
                  "任务/a.yaml": TASK.format(n=1),
                  "任务/econ.YML": BROKEN, "任务/upper.Yaml": BROKEN,
                  "任务/econ.yaml.txt": BROKEN, "任务/sub/b.YML.TXT": BROKEN,
                  "任务/c.yml.txt": BROKEN, "任务/README.md": "说明\n",
                  "任务/台账.xlsx": "x", "任务/d.yaml.bak": BROKEN,
                  "records/2024-Q1.YAML": "period: 2024-Q1\n",
                  "supervision/2024.Yml": RECTIFICATION,
                  "tasks/old.yaml": BROKEN, "other/e.YAML": BROKEN})
    expected = [
        ls023("records/2024-Q1.YAML", "records", "records", "records/*.yaml"),
        ls023("supervision/2024.Yml", "supervision", "supervision", "supervision/*.yaml"),
        ls023("任务/c.yml.txt", "任务", "tasks", "任务/*.yaml"),
        ls023("任务/econ.YML", "任务", "tasks", "任务/*.yaml"),
        ls023("任务/econ.yaml.txt", "任务", "tasks", "任务/*.yaml"),
        ls023("任务/sub/b.YML.TXT", "任务", "tasks", "任务/*.yaml"),
        ls023("任务/upper.Yaml", "任务", "tasks", "任务/*.yaml"),
    ]
    assert _found(root) == expected
    git(root, "init", "-q")
    commit(root, "ledger")
    lines = [f"{rel}:1:1: warning LS023 {msg}" for rel, _, _, _, msg in expected]
    for rev in ((), ("--rev", "HEAD")):
        r = cli("validate", root, *rev, "--as-of", "2024-05-31")
        assert (r.exit_code, r.stdout.splitlines()) == (0, lines)
