"""Aliases are bounded by the characters they replay, not only by their nodes (LS012).

The resource audit's shape: one anchored title of 200,000 characters aliased by 4,000
tasks is a 963 KB file; LS012 counted 4,000 nodes and let it through, and yaml_rs made a
str per alias — `status --format json` wrote 800 MB with 3.2 GB of memory, the status
table was killed past 5.5 GB.  Now a file that uses aliases is measured on PyYAML's
events before yaml_rs reads it: at most `replay_limit` characters (16,000,000 for any
file under 1.6 MB) may be replayed, an alias inside an anchored node counting its
anchor's characters.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from hostile.corpus import AS_OF, BASE
from luoshi_cli.load.source import Source
from luoshi_cli.load.yaml_fast import _parse_slow, parse
from test_hostile import POSIX, assert_clean_exit, run_limited

TASK = ("- {{id: X-{i}, title: {title}, category: econ, lead: fgw, leaders: [li-fuqu], "
        "start: 2024-01-01, standard: s, status: in_progress, progress: 10, "
        "milestones: [{{due: 2024-12-31, standard: s}}]}}\n")


def titles(length: int, aliases: int) -> str:
    """The audit's shape: task X-0's title anchored, `aliases` tasks aliasing it."""
    first = TASK.format(i=0, title='&t "' + "a" * length + '"')
    return first + "".join(TASK.format(i=i, title="*t") for i in range(1, aliases + 1))


#: where the first `*t` stands: line 2, after "- {id: X-1, title: "
FIRST = "tasks/x.yaml:2:20: error LS012 "


def ledger(root: Path, text: str) -> Path:
    for rel, content in {**BASE, "tasks/x.yaml": text}.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(str(content), encoding="utf-8")
    return root


def ls012(run: Run) -> list[str]:
    return [line for line in run.stdout.splitlines() if " LS012 " in line]


def message(limit: int, chars: int) -> str:
    return (f"aliases (*alias) would expand to more than {limit:,} characters, repeating at "
            f"least {chars:,} (an 'alias bomb'): do not multiply content with anchors")


def test_the_limit_is_sixteen_million_or_ten_times_the_file() -> None:
    from luoshi_cli.load.yaml_scan import REPLAY_CHARS, replay_limit

    assert replay_limit(0) == REPLAY_CHARS == 16_000_000
    assert replay_limit(1_600_000) == 16_000_000
    assert replay_limit(2_000_000) == 20_000_000


def test_a_long_title_aliased_many_times(cli: Callable[..., Run], tmp_path: Path) -> None:
    """200,000 characters × 200 aliases (a 230 KB file, limit 16,000,000): the 81st
    alias passes the limit, 81 × 200,000 = 16,200,000.  It was accepted: 200 nodes."""
    root = ledger(tmp_path / "l", titles(200_000, 200))
    run = cli("validate", root, "--as-of", AS_OF, "--lang", "en")
    assert run.exit_code == 1
    assert ls012(run) == [FIRST + message(16_000_000, 16_200_000)]


def test_just_under_the_limit_passes(cli: Callable[..., Run], tmp_path: Path) -> None:
    """100,000 × 160 = 16,000,000 replayed: at the limit, read; one alias more is
    16,100,000, refused."""
    run = cli("validate", ledger(tmp_path / "a", titles(100_000, 160)), "--as-of", AS_OF,
              "--lang", "en")
    assert ls012(run) == [] and "LS010" not in run.stdout
    run = cli("validate", ledger(tmp_path / "b", titles(100_000, 161)), "--as-of", AS_OF,
              "--lang", "en")
    assert ls012(run) == [FIRST + message(16_000_000, 16_100_000)]


NESTED_HEAD = "a: &s " + "x" * 100_000 + "\nb: &m {k1: *s, k2: *s}\nc: ["


def nested(aliases: int) -> str:
    return NESTED_HEAD + ", ".join(["*m"] * aliases) + "]\n"


def test_a_nested_anchor_counts_multiplied(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`m` holds two aliases of a 100,000-character `s`: it replays 200,000 itself, and
    each `*m` repeats k1 + s + k2 + s = 2 + 100,000 + 2 + 100,000 = 200,004 characters.
    After 79 of them: 200,000 + 79 × 200,004 = 16,000,316 > 16,000,000 (78: 15,800,312,
    read), at the first alias, `*s` in line 2 column 12.  Counted by nodes, 79 aliases
    of a 5-node mapping were nothing."""
    run = cli("validate", ledger(tmp_path / "a", nested(79)), "--lang", "en")
    assert ls012(run) == ["tasks/x.yaml:2:12: error LS012 " + message(16_000_000, 16_000_316)]
    run = cli("validate", ledger(tmp_path / "b", nested(78)), "--lang", "en")
    assert ls012(run) == []


def test_merge_keys_count_the_same(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`<<: *b` replays b = {title: 100,000 characters}: 5 + 100,000 = 100,005 each;
    160 of them are 16,000,800 > 16,000,000.  The first alias, `*b`, is on line 2, column 8."""
    text = ("- &b {title: " + "t" * 100_000 + "}\n"
            + "".join(f"- {{<<: *b, id: X-{i}}}\n" for i in range(160)))
    run = cli("validate", ledger(tmp_path / "a", text), "--lang", "en")
    assert ls012(run) == ["tasks/x.yaml:2:8: error LS012 " + message(16_000_000, 16_000_800)]


@pytest.mark.parametrize("text", [titles(200_000, 200), nested(79)])
def test_fast_and_slow_paths_give_the_same_finding(text: str) -> None:
    fast = parse(Source(Path("tasks/x.yaml"), "tasks/x.yaml", text))
    slow = _parse_slow(Source(Path("tasks/x.yaml"), "tasks/x.yaml", text))
    assert fast.data is None and not fast.ok
    assert fast.findings == slow.findings and len(fast.findings) == 1
    assert fast.findings[0].code == "LS012"


def test_the_languages_say_characters(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("validate", ledger(tmp_path / "a", titles(200_000, 200)), "--lang", "zh")
    assert ls012(run) == [FIRST + "别名（*alias）展开超过 16,000,000 个字符，至少重复 16,200,000 个"
                          "（“别名炸弹”）：请不要用锚点成倍复制内容"]


@pytest.mark.skipif(not POSIX, reason="resource limits and wait4 need a POSIX system")
@pytest.mark.parametrize("args", [["status", "--format", "json"], ["status"], ["validate"],
                                  ["export", "-o", "OUT"]])
def test_commands_stop_at_the_finding_in_bounded_memory(args: list[str],
                                                        tmp_path: Path) -> None:
    """The audit's own file, 200,000 characters × 4,000 aliases (963 KB): 3.2 GB and
    800 MB of JSON before; now the one finding, in a 2 GiB address space."""
    root = ledger(tmp_path / "l", titles(200_000, 3999))
    args = [str(tmp_path / "out.xlsx") if a == "OUT" else a for a in args]
    r = run_limited([args[0], str(root), *args[1:], "--as-of", AS_OF, "--lang", "en"],
                    timeout=60)
    assert_clean_exit(r)
    assert r.code == 1, (r.code, r.stderr[-300:])
    if args[0] == "validate":
        assert [x for x in r.stdout.splitlines() if " LS012 " in x] == [
            FIRST + message(16_000_000, 16_000_000 + 200_000)]
    else:
        assert r.stdout == "" and r.stderr.strip().splitlines()[-1].startswith("luoshi: ")
    # wait4's peak of a child forked from this test process starts at this process's
    # own size when it forked (Linux keeps the high-water mark across exec): the
    # floor is what `luoshi --version` reports, forked the same way.  The 2 GiB
    # address-space limit is the hard bound (the old code ran out of it: exit 2)
    floor = run_limited(["--version"]).max_rss_mb
    assert r.max_rss_mb < floor + 250, (r.max_rss_mb, floor)  # MB; 3.2 GB before
    assert not (tmp_path / "out.xlsx").exists()


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def test_an_old_revision_goes_through_the_same_guard(cli: Callable[..., Run],
                                                     tmp_path: Path) -> None:
    """`validate --base` and `diff` read the base revision with the same `parse`: the
    bomb committed there is refused as on disk."""
    root = ledger(tmp_path / "l", titles(200_000, 200))
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "bomb")
    (root / "tasks" / "x.yaml").write_text(titles(20, 3), encoding="utf-8")
    run = cli("validate", root, "--rev", "HEAD", "--as-of", AS_OF, "--lang", "en")
    assert ls012(run) == [FIRST + message(16_000_000, 16_200_000)]
    run = cli("validate", root, "--base", "HEAD", "--as-of", AS_OF, "--lang", "en")
    assert run.exit_code in (1, 2) and "LS012" in run.stdout + run.stderr, run
    run = cli("diff", "HEAD", root, "--lang", "en")
    assert run.exit_code in (1, 2) and "LS012" in run.stdout + run.stderr, run
