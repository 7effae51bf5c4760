"""Change control (SPEC §6): `luoshi validate --base REV` against real git repositories."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import commit, edit, git
from luoshi_cli.load.assemble import open_ledger
from luoshi_cli.ops.changes import changed_fields, check_changes

CONFIG = """\
title: 测试台账
year: 2024
language: en
categories:
  - {id: c1, name: 类别一}
"""
UNITS = """\
units:
  - {id: fgw, name: 区发改委}
  - {id: jyj, name: 区教育局}
  - {id: zjj, name: 区住建局}
leaders:
  - {id: li, name: 李某某}
  - {id: wang, name: 王某某}
"""
TASKS_A = """\
- id: T-001
  title: 重点项目开工
  category: c1
  lead: fgw
  units: [jyj, zjj]
  leaders: [li]
  start: 2024-01-01
  standard: 开工10个
  milestones:
    - {due: 2024-03-31, standard: 开工3个, done: 2024-03-30}
    - {due: 2024-06-30, standard: 开工6个}
    - {due: 2024-12-31, standard: 开工10个}
  status: in_progress
  progress: 40
  locked: true

- id: T-002
  title: 学校建设
  category: c1
  lead: jyj
  leaders: [wang]
  start: 2024-01-01
  standard: 建成学校2所
  milestones:
    - {due: 2024-12-31, standard: 建成2所}
  status: in_progress
  progress: 20
  locked: true

- id: T-003
  title: 未锁定的任务
  category: c1
  lead: zjj
  leaders: [li]
  start: 2024-01-01
  standard: 完成改造
  milestones:
    - {due: 2024-09-30, standard: 完成改造}
  status: planned
  progress: 0
"""
TASKS_B = """\
id: T-010
title: 单独文件中的锁定任务
category: c1
lead: fgw
leaders: [li]
start: 2024-01-01
standard: 完成
milestones:
  - {due: 2024-12-31, standard: 完成}
status: planned
progress: 0
locked: true
"""
AS_OF = "2024-05-31"


@pytest.fixture
def repo(tmp_path: Path, write: Callable[..., Path]) -> Path:
    """A repository whose first commit (tag `base`) holds the ledger at led/."""
    root = tmp_path / "repo"
    write({"led/luoshi.yaml": CONFIG, "led/units.yaml": UNITS, "led/tasks/a.yaml": TASKS_A,
           "led/tasks/b.yaml": TASKS_B, "README": "x\n"}, root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    git(root, "tag", "base")
    return root


def validate(cli: Callable[..., object], led: Path, *extra: str) -> tuple[int, list[str], str]:
    r = cli("validate", led, "--as-of", AS_OF, "--lang", "en", *extra)
    # errors only: these small tasks have no monthly updates (LS601 warnings)
    lines = [s for s in r.stdout.splitlines() if ": error " in s]  # type: ignore[attr-defined]
    return r.exit_code, lines, r.stderr  # type: ignore[attr-defined]


def test_unchanged_ledger_is_clean(cli: Callable[..., object], repo: Path) -> None:
    code, lines, summary = validate(cli, repo / "led", "--base", "base")
    assert (code, lines, summary) == (0, [], "0 errors, 4 warnings\n")


def test_moved_milestone_without_adjustment_is_ls501_at_that_milestone(
        cli: Callable[..., object], repo: Path) -> None:
    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    code, lines, _ = validate(cli, repo / "led", "--base", "base")
    assert code == 1
    assert lines == [
        "tasks/a.yaml:11:7: error LS501 task T-001 is locked and its milestones changed since "
        "base without a new adjustments entry: add {date, field: milestones, approved_by, "
        "reason}"]
    # committed or not makes no difference; --base accepts any revision spelling
    commit(repo, "move")
    code, lines2, _ = validate(cli, repo / "led", "--base", "HEAD~1")
    assert code == 1 and lines2 == [lines[0].replace("since base", "since HEAD~1")]


def test_codes_left_out_leave_out_change_control_too(
        cli: Callable[..., object], repo: Path) -> None:
    """`--ignore LS5` leaves the LS501 out; so does `api.validate(codes=…)`, the
    library's own filter (it applies to change control's findings as well)."""
    from datetime import date

    from luoshi_cli import api

    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    assert validate(cli, repo / "led", "--base", "base", "--ignore", "LS5")[:2] == (0, [])
    day = date.fromisoformat(AS_OF)
    found = api.validate(repo / "led", day, base="base", today=day)
    assert [f.code for f in found.findings if f.severity == "error"] == ["LS501"]
    quiet = api.validate(repo / "led", day, base="base", today=day,
                         codes=lambda _config: lambda code: not code.startswith("LS5"))
    assert [f.code for f in quiet.findings if f.severity == "error"] == []
    assert len(quiet.findings) == len(found.findings) - 1


def test_moved_milestone_with_new_adjustment_is_clean(cli: Callable[..., object],
                                                      repo: Path) -> None:
    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    edit(repo / "led/tasks/a.yaml", "  locked: true\n\n- id: T-002",
         "  locked: true\n  adjustments:\n"
         "    - {date: 2024-05-10, field: milestones, approved_by: li, reason: 规划调整}\n"
         "\n- id: T-002")
    assert validate(cli, repo / "led", "--base", "base")[:2] == (0, [])


def test_an_adjustment_already_there_at_base_does_not_cover_a_new_change(
        cli: Callable[..., object], repo: Path) -> None:
    edit(repo / "led/tasks/a.yaml", "  locked: true\n\n- id: T-002",
         "  locked: true\n  adjustments:\n"
         "    - {date: 2024-02-10, field: milestones, approved_by: li, reason: 旧的调整}\n"
         "\n- id: T-002")
    commit(repo, "first adjustment")
    edit(repo / "led/tasks/a.yaml", "{due: 2024-12-31, standard: 开工10个}",
         "{due: 2024-12-31, standard: 开工12个}")
    code, lines, _ = validate(cli, repo / "led", "--base", "HEAD")
    assert code == 1
    assert [s.split(": error ")[0] for s in lines] == ["tasks/a.yaml:12:7"]
    # an adjustment naming another field does not cover it either
    edit(repo / "led/tasks/a.yaml", "旧的调整}\n",
         "旧的调整}\n    - {date: 2024-05-10, field: standard, approved_by: li}\n")
    assert validate(cli, repo / "led", "--base", "HEAD")[0] == 1


@pytest.mark.parametrize(("old", "new", "where", "field"), [
    ("  standard: 开工10个", "  standard: 开工12个", "tasks/a.yaml:8:3", "standard"),
    ("  lead: fgw\n  units", "  lead: zjj\n  units", "tasks/a.yaml:4:3", "lead"),
    ("units: [jyj, zjj]", "units: [jyj]", "tasks/a.yaml:5:3", "units"),
    ("  leaders: [li]\n  start: 2024-01-01\n  standard: 开工",
     "  leaders: [wang]\n  start: 2024-01-01\n  standard: 开工", "tasks/a.yaml:6:3", "leaders"),
    ("    - {due: 2024-12-31, standard: 开工10个}\n",
     "    - {due: 2024-12-31, standard: 开工10个}\n    - {due: 2025-01-31, standard: 验收}\n",
     "tasks/a.yaml:13:7", "milestones"),
    ("    - {due: 2024-06-30, standard: 开工6个}\n", "", "tasks/a.yaml:11:7", "milestones"),
])
def test_each_controlled_field(cli: Callable[..., object], repo: Path, old: str, new: str,
                               where: str, field: str) -> None:
    edit(repo / "led/tasks/a.yaml", old, new)
    code, lines, _ = validate(cli, repo / "led", "--base", "base")
    assert code == 1
    assert [(s.split(": error ")[0], re.search(r"its (\w+) changed", s).group(1))  # type: ignore[union-attr]
            for s in lines] == [(where, field)]


@pytest.mark.parametrize(("old", "new"), [
    ("units: [jyj, zjj]", "units: [zjj, jyj]"),                       # order only
    ("{due: 2024-06-30, standard: 开工6个}",
     "{due: 2024-06-30, standard: 开工6个, done: 2024-05-30}"),       # the monthly report
    ("  progress: 40", "  progress: 45"),
    ("  title: 重点项目开工", "  title: 重点项目开工建设"),                # not controlled
    ("  title: 未锁定的任务\n  category: c1\n  lead: zjj", "  title: 未锁定的任务\n  category: c1\n  lead: fgw"),
])
def test_changes_that_need_no_approval(cli: Callable[..., object], repo: Path, old: str,
                                       new: str) -> None:
    edit(repo / "led/tasks/a.yaml", old, new)
    assert validate(cli, repo / "led", "--base", "base")[:2] == (0, [])


def test_deleted_locked_task_is_ls502(cli: Callable[..., object], repo: Path) -> None:
    text = (repo / "led/tasks/a.yaml").read_text(encoding="utf-8")
    start, end = text.index("- id: T-002"), text.index("- id: T-003")
    (repo / "led/tasks/a.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    (repo / "led/tasks/b.yaml").unlink()
    code, lines, _ = validate(cli, repo / "led", "--base", "base")
    assert code == 1
    assert lines == [
        "tasks/a.yaml:1:1: error LS502 locked task T-002 (学校建设) was deleted since base: "
        "restore it, or unlock it with approval first",
        "tasks/b.yaml:1:1: error LS502 locked task T-010 (单独文件中的锁定任务) was deleted since "
        "base: restore it, or unlock it with approval first"]


def test_unlocked_task_may_be_deleted(cli: Callable[..., object], repo: Path) -> None:
    text = (repo / "led/tasks/a.yaml").read_text(encoding="utf-8")
    (repo / "led/tasks/a.yaml").write_text(text[:text.index("- id: T-003")], encoding="utf-8")
    assert validate(cli, repo / "led", "--base", "base")[:2] == (0, [])


def test_a_broken_task_is_not_called_deleted(cli: Callable[..., object], repo: Path) -> None:
    edit(repo / "led/tasks/a.yaml", "  progress: 20\n", "  progress: lots\n")
    edit(repo / "led/tasks/b.yaml", "status: planned", "status: [planned")
    code, lines, _ = validate(cli, repo / "led", "--base", "base")
    assert code == 1
    assert [s.split(" ")[2] for s in lines] == ["LS103", "LS010"]


def test_ledger_that_did_not_exist_at_base(cli: Callable[..., object], repo: Path,
                                           write: Callable[..., Path]) -> None:
    write({"new/luoshi.yaml": CONFIG, "new/units.yaml": UNITS, "new/tasks/a.yaml": TASKS_A},
          repo)
    assert validate(cli, repo / "new", "--base", "base")[:2] == (0, [])


def test_base_combined_with_rev(cli: Callable[..., object], repo: Path) -> None:
    edit(repo / "led/tasks/a.yaml", "  standard: 开工10个", "  standard: 开工12个")
    commit(repo, "standard")
    edit(repo / "led/tasks/a.yaml", "  standard: 开工12个", "  standard: 开工10个")  # worktree
    assert validate(cli, repo / "led", "--base", "base")[:2] == (0, [])
    code, lines, _ = validate(cli, repo / "led", "--base", "base", "--rev", "HEAD")
    assert code == 1 and lines[0].startswith("tasks/a.yaml:8:3: error LS501 task T-001")


def test_unknown_base_is_exit_2_with_one_line(cli: Callable[..., object], repo: Path) -> None:
    r = cli("validate", repo / "led", "--base", "origin/nope", "--lang", "en")
    assert r.exit_code == 2  # type: ignore[attr-defined]
    assert r.stdout == ""  # type: ignore[attr-defined]
    assert r.stderr.count("\n") == 1  # type: ignore[attr-defined]
    assert r.stderr == ("luoshi: unknown git revision origin/nope: no such branch, "  # type: ignore[attr-defined]
                        "tag or commit here (a typo?)\n")


def test_not_a_git_repository_is_exit_2(cli: Callable[..., object], tmp_path: Path,
                                        write: Callable[..., Path]) -> None:
    led = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS, "tasks/a.yaml": TASKS_A},
                tmp_path / "plain")
    r = cli("validate", led, "--base", "main", "--lang", "zh")
    assert r.exit_code == 2  # type: ignore[attr-defined]
    assert r.stderr.count("\n") == 1  # type: ignore[attr-defined]
    # one language, the user's: --lang, else the ledger's (it says language: en), else
    # Chinese (it was English first, then Chinese whatever the ledger said)
    assert r.stderr == f"luoshi: --rev/--base main：{led.resolve()} 不在 git 仓库中\n"  # type: ignore[attr-defined]
    r = cli("validate", led, "--base", "main")
    assert r.stderr == (f"luoshi: --rev/--base main: {led.resolve()} is not inside a git "  # type: ignore[attr-defined]
                        "repository\n")


def test_shallow_clone_says_how_to_fetch_the_base_then_works(
        cli: Callable[..., object], repo: Path, tmp_path: Path) -> None:
    """A CI checkout of a pull request: depth 1, only the PR branch."""
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    commit(repo, "move a locked milestone")
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature",
         f"file://{repo}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"

    r = cli("validate", clone / "led", "--base", "origin/main", "--lang", "en")
    assert r.exit_code == 2  # type: ignore[attr-defined]
    msg = r.stderr  # type: ignore[attr-defined]
    assert "this is a shallow clone that lacks it" in msg
    hint = re.search(r"fetch it: (git fetch \S+ \S+ \S+)$", msg)
    assert hint is not None
    assert hint.group(1) == "git fetch --depth=1 origin main:refs/remotes/origin/main"
    git(clone, *hint.group(1).split()[1:])  # do what the message says

    code, lines, _ = validate(cli, clone / "led", "--base", "origin/main")
    assert code == 1
    assert [s.split(": error ")[0] for s in lines] == ["tasks/a.yaml:11:7"]
    assert "since origin/main" in lines[0]


def test_check_changes_is_pure(repo: Path) -> None:
    before = open_ledger(repo / "led").ledger
    edit(repo / "led/tasks/a.yaml", "  lead: fgw\n  units", "  lead: zjj\n  units")
    edit(repo / "led/tasks/a.yaml", "  standard: 开工10个", "  standard: 开工12个")
    after = open_ledger(repo / "led").ledger
    t_old = next(t for t in before.tasks if t.id == "T-001")
    t_new = next(t for t in after.tasks if t.id == "T-001")
    assert changed_fields(t_old, t_new) == ["standard", "lead"]
    found = check_changes(before, after, "v1")
    assert [(f.code, f.file, f.path, dict(f.params)["field"]) for f in found] == [
        ("LS501", "tasks/a.yaml", (0, "standard"), "standard"),
        ("LS501", "tasks/a.yaml", (0, "lead"), "lead")]


def test_the_ledgers_own_lint_cannot_switch_off_change_control_or_errors(
        cli: Callable[..., object], repo: Path) -> None:
    """A pull request carries its own luoshi.yaml: `lint: {ignore: [LS5]}` in it must not
    hide the LS501 of the locked milestone it moves, nor `ignore: [LS]` an unknown unit
    from the CI gate.  The lint leaves out warnings only; where it names errors, the
    warning LS021 says so (and the lint cannot hide that either).  The command line's
    `--ignore` (the CI maintainer's) still can."""
    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    edit(repo / "led/luoshi.yaml", "language: en\n", "language: en\nlint: {ignore: [LS5]}\n")
    r = cli("validate", repo / "led", "--base", "base", "--as-of", AS_OF, "--lang", "en")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    out = r.stdout.splitlines()  # type: ignore[attr-defined]
    assert out[0] == (
        "luoshi.yaml:4:17: warning LS021 lint's ignore would leave out the errors LS501, "
        "LS502, LS503, LS504, LS505 and 2 more: luoshi.yaml's lint leaves out warnings only, and errors are always "
        "reported (they decide the check, and luoshi.yaml is part of the change being "
        "checked); to leave out an error, pass --ignore on the command line")
    assert sorted(line.split(" ")[2] for line in out[1:]) == ["LS501", *["LS601"] * 4]
    # a lint naming warnings too drops those, and only those
    edit(repo / "led/luoshi.yaml", "lint: {ignore: [LS5]}", "lint: {ignore: [LS], select: [LS6]}")
    edit(repo / "led/tasks/a.yaml", "  lead: fgw\n  units", "  lead: nobody\n  units")
    r = cli("validate", repo / "led", "--as-of", AS_OF, "--lang", "en", "--format", "github")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    gate = r.stdout  # type: ignore[attr-defined]
    assert "title=LS110::" in gate and "title=LS021::" in gate and "LS601" not in gate
    # the command line decides for errors
    assert validate(cli, repo / "led", "--ignore", "LS1,LS021")[:2] == (0, [])


def test_an_approval_edited_in_place_is_ls503_and_approves_nothing(
        cli: Callable[..., object], repo: Path) -> None:
    """The adjustments record only grows: adding a full stop to the reason of an entry
    that was there at the base made it a 'new' approval of the milestone moved in the
    same change.  Now the edited entry is LS503 at its line, and the move stays LS501;
    `luoshi diff` shows the move unapproved."""
    edit(repo / "led/tasks/a.yaml", "  locked: true\n\n- id: T-002",
         "  locked: true\n  adjustments:\n"
         "    - {date: 2024-02-10, field: milestones, approved_by: li, reason: 旧的调整}\n"
         "\n- id: T-002")
    commit(repo, "first adjustment")
    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    edit(repo / "led/tasks/a.yaml", "旧的调整}", "旧的调整。}")
    code, lines, _ = validate(cli, repo / "led", "--base", "HEAD")
    assert code == 1
    assert lines == [
        "tasks/a.yaml:11:7: error LS501 task T-001 is locked and its milestones changed since "
        "HEAD without a new adjustments entry: add {date, field: milestones, approved_by, "
        "reason}",
        "tasks/a.yaml:17:7: error LS503 task T-001's approval record (adjustments entry 1, "
        "2024-02-10) was changed or removed since HEAD: the record only grows — an edited "
        "entry would count as a new approval; restore it, and add a new entry for a new "
        "change"]
    # removing it is the same; appending a new entry after the old one approves
    edit(repo / "led/tasks/a.yaml", "旧的调整。}", "旧的调整}\n"
         "    - {date: 2024-05-10, field: milestones, approved_by: li, reason: 新的调整}")
    assert validate(cli, repo / "led", "--base", "HEAD")[:2] == (0, [])


def test_a_ledger_moved_in_the_same_change_is_compared_where_it_was(
        cli: Callable[..., object], repo: Path) -> None:
    """`git mv led led2` with a locked milestone moved: git's rename detection finds
    the ledger's luoshi.yaml at its old place, and change control compares with it
    (it used to find no ledger at the base, and nothing locked)."""
    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    git(repo, "mv", "led", "led2")
    code, lines, _ = validate(cli, repo / "led2", "--base", "base")
    assert code == 1
    assert [s.split(": error ")[1][:5] for s in lines] == ["LS501"]
    commit(repo, "moved")
    assert validate(cli, repo / "led2", "--base", "base")[0] == 1


def test_a_copy_of_an_old_approval_approves_nothing(
        cli: Callable[..., object], repo: Path) -> None:
    """Copying an `adjustments` line that was there at the base used to count as a new
    approval (the entries were compared as a multiset): now a change needs an entry no
    entry at the base equals, in `validate --base` and in `luoshi diff` alike."""
    import json

    old = "    - {date: 2024-02-10, field: milestones, approved_by: li, reason: 旧的调整}\n"
    edit(repo / "led/tasks/a.yaml", "  locked: true\n\n- id: T-002",
         "  locked: true\n  adjustments:\n" + old + "\n- id: T-002")
    commit(repo, "first adjustment")
    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    edit(repo / "led/tasks/a.yaml", old, old + old)
    code, lines, _ = validate(cli, repo / "led", "--base", "HEAD")
    assert (code, [s.split(": error ")[0] + " " + s.split(" ")[2] for s in lines]) == (
        1, ["tasks/a.yaml:11:7 LS501"])
    r = cli("diff", "HEAD", repo / "led", "--as-of", AS_OF, "-f", "json")
    changed = json.loads(r.stdout)["tasks"]["changed"]  # type: ignore[attr-defined]
    assert [(c["id"], c["fields"], c["unapproved"]) for c in changed] == [
        ("T-001", [], ["milestones"])]
    # a new entry (another date) does approve
    edit(repo / "led/tasks/a.yaml", old + old, old + old.replace("2024-02-10", "2024-05-10"))
    assert validate(cli, repo / "led", "--base", "HEAD")[:2] == (0, [])


def test_a_move_between_base_and_rev_is_found_whatever_is_checked_out(
        cli: Callable[..., object], repo: Path) -> None:
    """`validate led2 --rev B --base A` looked for the rename between A and the working
    tree: with the base checked out (a CI job validating the head with --rev) it found
    no ledger at A, nothing locked, and passed an unapproved change."""
    git(repo, "mv", "led", "led2")
    edit(repo / "led2/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    commit(repo, "moved")
    git(repo, "tag", "B")
    git(repo, "checkout", "-q", "base")
    assert not (repo / "led2").exists()
    code, lines, _ = validate(cli, repo / "led2", "--rev", "B", "--base", "base")
    assert (code, [s.split(": error ")[0] + " " + s.split(" ")[2] for s in lines]) == (
        1, ["tasks/a.yaml:11:7 LS501"])


def test_a_move_staged_is_found_with_staged(cli: Callable[..., object], repo: Path) -> None:
    """`--staged`: the rename is looked for between the base and the index (the working
    tree has moved the directory once more, unstaged)."""
    git(repo, "mv", "led", "led2")
    edit(repo / "led2/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    git(repo, "add", "-A")
    (repo / "led2").rename(repo / "led3")
    code, lines, _ = validate(cli, repo / "led2", "--staged", "--base", "base")
    assert (code, [s.split(": error ")[0] + " " + s.split(" ")[2] for s in lines]) == (
        1, ["tasks/a.yaml:11:7 LS501"])


MOVE = ("{due: 2024-06-30, standard: 开工6个}", "{due: 2024-07-31, standard: 开工6个}")


def _errors(lines: list[str]) -> list[str]:
    return [s.split(": error ")[0] + " " + s.split(" ")[2] for s in lines]


def test_a_ledger_folder_named_with_a_colon_is_compared(
        cli: Callable[..., object], repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder named `:led`: `git ls-tree` took `:led` for pathspec magic (`led`), found
    no ledger at the base, and change control compared nothing (exit 0)."""
    git(repo, "mv", "led", ":led")
    commit(repo, "a colon")
    git(repo, "tag", "colon")
    edit(repo / ":led/tasks/a.yaml", *MOVE)
    monkeypatch.chdir(repo)
    code, lines, _ = validate(cli, Path("./:led"), "--base", "colon")
    assert (code, _errors(lines)) == (1, [":led/tasks/a.yaml:11:7 LS501"])
    assert validate(cli, Path(":led"), "--rev", "colon")[0] == 0
    git(repo, "add", "-A")
    r = cli("hook", "--base", "HEAD", "--lang", "en")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    assert ":led/tasks/a.yaml:11:7: error LS501" in r.stdout  # type: ignore[attr-defined]


def test_a_ledger_path_turned_into_a_link_is_compared_with_what_it_held(
        cli: Callable[..., object], repo: Path) -> None:
    """`led` (the path CI names) moved to `led2` with its luoshi.yaml reflowed beyond
    git's rename detection, and `led` made a link to it: the ledger "did not exist at
    the base", and a locked milestone moved unapproved (exit 0).  The path as named held
    a ledger at the base: that is the one compared, by `validate --base` and `diff`."""
    import json

    git(repo, "mv", "led", "led2")
    (repo / "led").symlink_to("led2")
    (repo / "led2/luoshi.yaml").write_text(
        "{title: 测试台账, year: 2024, language: en, categories: [{id: c1, name: 类别一}]}\n",
        encoding="utf-8")
    edit(repo / "led2/tasks/a.yaml", *MOVE)
    commit(repo, "moved and linked")
    for rev in (("--rev", "HEAD"), ()):
        code, lines, _ = validate(cli, repo / "led", *rev, "--base", "base")
        assert (code, _errors(lines)) == (1, ["tasks/a.yaml:11:7 LS501"]), rev
    r = cli("diff", "base", repo / "led", "--as-of", AS_OF, "-f", "json")
    doc = json.loads(r.stdout)  # type: ignore[attr-defined]
    assert [(c["id"], c["unapproved"]) for c in doc["tasks"]["changed"]] == [
        ("T-001", ["milestones"])]
    assert doc["tasks"]["added"] == [] and doc["notes"] == []


def test_shallow_clone_fetch_advice_for_a_tag_and_other_remotes(
        cli: Callable[..., object], repo: Path, tmp_path: Path) -> None:
    """A tag's advice fetches it as a tag (`origin base:base` made a branch named like
    the tag, and git then called `base` ambiguous); the remote is the clone's own; a
    shallow clone with no remote gets no command it cannot run."""
    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    commit(repo, "move a locked milestone")
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{repo}", str(clone))
    r = cli("validate", clone / "led", "--base", "base", "--lang", "en")
    assert r.exit_code == 2  # type: ignore[attr-defined]
    assert r.stderr == (  # type: ignore[attr-defined]
        "luoshi: unknown git revision base (this is a shallow clone that lacks it); fetch it: "
        "git fetch --depth=1 origin tag base (a tag) or git fetch --depth=1 origin base:base "
        "(a branch)\n")
    git(clone, "fetch", "-q", "--depth=1", "origin", "tag", "base")
    assert "refs/heads/base" not in git(clone, "show-ref")
    code, lines, _ = validate(cli, clone / "led", "--base", "base")
    assert (code, [s.split(": error ")[0] for s in lines]) == (1, ["tasks/a.yaml:11:7"])

    git(clone, "remote", "rename", "origin", "up")
    r = cli("validate", clone / "led", "--base", "up/nope", "--lang", "en")
    assert r.stderr.endswith(  # type: ignore[attr-defined]
        "fetch it: git fetch --depth=1 up nope:refs/remotes/up/nope\n")
    git(clone, "remote", "remove", "up")
    r = cli("validate", clone / "led", "--base", "nope", "--lang", "zh")
    assert r.stderr == ("luoshi: 找不到 git 版本 nope（这是缺少该版本的浅克隆，且没有可获取的远程仓库）\n")  # type: ignore[attr-defined]


def test_an_approval_dated_after_the_as_of_approves_nothing(
        cli: Callable[..., object], repo: Path) -> None:
    """An `adjustments` entry dated in the future approved a locked change with no
    finding: now it is LS504 at its date and approves nothing (LS501 stays), in
    `validate --base` and in `luoshi diff` alike; dated on the as-of it approves."""
    import json

    edit(repo / "led/tasks/a.yaml", "{due: 2024-06-30, standard: 开工6个}",
         "{due: 2024-07-31, standard: 开工6个}")
    entry = "    - {date: 2024-06-01, field: milestones, approved_by: li, reason: 预先登记}\n"
    edit(repo / "led/tasks/a.yaml", "  locked: true\n\n- id: T-002",
         "  locked: true\n  adjustments:\n" + entry + "\n- id: T-002")
    code, lines, _ = validate(cli, repo / "led", "--base", "base")
    assert code == 1
    assert lines == [
        "tasks/a.yaml:11:7: error LS501 task T-001 is locked and its milestones changed since "
        "base without a new adjustments entry: add {date, field: milestones, approved_by, "
        "reason}",
        "tasks/a.yaml:17:14: error LS504 task T-001: an adjustments entry is dated 2024-06-01, "
        "after the as-of date 2024-05-31: an approval cannot be recorded ahead of time, and "
        "this one approves nothing; correct the date"]
    r = cli("diff", "base", repo / "led", "--as-of", AS_OF, "-f", "json")
    changed = json.loads(r.stdout)["tasks"]["changed"]  # type: ignore[attr-defined]
    assert [(c["id"], c["unapproved"], [m["approved"] for m in c["milestones"]])
            for c in changed] == [("T-001", ["milestones"], [False])]
    edit(repo / "led/tasks/a.yaml", "2024-06-01", AS_OF)
    assert validate(cli, repo / "led", "--base", "base")[:2] == (0, [])


def test_a_lowered_max_file_mb_does_not_switch_off_change_control(
        cli: Callable[..., object], repo: Path) -> None:
    """A pull request lowering `max_file_mb` in its own luoshi.yaml below the size of a
    base task file made that file LS003 at the base (a revision is never read past the
    working tree's limit): never read, so its locked T-001 was compared with nothing
    and its unapproved change passed (0 errors).  Now that file is LS505: change
    control cannot compare it, and the LS003 inside says the limit is the working
    tree's.  tasks/a.yaml is 834 + 301 (a comment) = 1,135 bytes at the base =
    1135 / 1,048,576 MB = 0.00108 MB (3 significant digits), over 0.001 MB (1,048
    bytes, the least max_file_mb); the PR's own files are below it (the comment gone,
    T-002 and T-003 moved to tasks/c.yaml: a.yaml 371 bytes, c.yaml 463)."""
    text = (repo / "led/tasks/a.yaml").read_text(encoding="utf-8")
    (repo / "led/tasks/a.yaml").write_text(text + "# " + "x" * 298 + "\n", encoding="utf-8")
    commit(repo, "a comment")
    cut = text.index("- id: T-002")
    (repo / "led/tasks/a.yaml").write_text(text[:cut], encoding="utf-8")
    (repo / "led/tasks/c.yaml").write_text(text[cut:], encoding="utf-8")
    edit(repo / "led/tasks/a.yaml", "  standard: 开工10个", "  standard: 开工12个")
    edit(repo / "led/luoshi.yaml", "language: en\n", "language: en\nmax_file_mb: 0.001\n")
    code, lines, _ = validate(cli, repo / "led", "--base", "HEAD")
    assert code == 1
    assert lines == [
        "tasks/a.yaml:1:1: error LS505 this file as it was at HEAD could not be read, so "
        "change control cannot compare the locked tasks it may hold with their versions now "
        "(it is not taken as \"nothing was locked\"): LS003 the file is 0.00108 MB, over "
        "the 0.001 MB limit: the limit is max_file_mb in the working tree's luoshi.yaml "
        "(0.001 MB), below HEAD's own 64 MB: a git revision is never read past the working "
        "tree's limit, and the file is not at fault at HEAD; raise max_file_mb in the "
        "working tree's luoshi.yaml"]
    # the memory protection stays: the base's file is still not read past the limit,
    # and with the limit back the change is the LS501 it is
    edit(repo / "led/luoshi.yaml", "max_file_mb: 0.001\n", "")
    assert [s.split(": error ")[1][:5] for s in validate(cli, repo / "led", "--base",
                                                          "HEAD")[1]] == ["LS501"]


def test_diff_says_the_limit_is_the_working_trees(cli: Callable[..., object],
                                                 repo: Path) -> None:
    """`luoshi diff` blamed the base ("the ledger at HEAD does not load … over the
    0.001 MB limit: split it … or raise max_file_mb in luoshi.yaml") for a limit the
    working tree set: now both lines say where the limit comes from.  tasks/a.yaml at
    the base: 834 + 301 = 1,135 bytes = 0.00108 MB."""
    text = (repo / "led/tasks/a.yaml").read_text(encoding="utf-8")
    (repo / "led/tasks/a.yaml").write_text(text + "# " + "x" * 298 + "\n", encoding="utf-8")
    commit(repo, "a comment")
    edit(repo / "led/luoshi.yaml", "language: en\n", "language: en\nmax_file_mb: 0.001\n")
    (repo / "led/tasks/a.yaml").write_text(text[:text.index("- id: T-002")], encoding="utf-8")
    r = cli("diff", "HEAD", repo / "led", "--as-of", AS_OF, "--lang", "en")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    assert r.stderr.splitlines() == [  # type: ignore[attr-defined]
        "HEAD:",
        "tasks/a.yaml:1:1: error LS003 the file is 0.00108 MB, over the 0.001 MB limit: "
        "the limit is max_file_mb in the working tree's luoshi.yaml (0.001 MB), below "
        "HEAD's own 64 MB: a git revision is never read past the working tree's limit, and "
        "the file is not at fault at HEAD; raise max_file_mb in the working tree's "
        "luoshi.yaml",
        "luoshi: the ledger at HEAD has files over the working tree's max_file_mb, not read "
        "(tasks/a.yaml): fix that first, or its tasks would show as deleted"]


_LS505 = ("error LS505 this file as it was at HEAD could not be read, so change control "
          "cannot compare the locked tasks it may hold with their versions now (it is not "
          "taken as \"nothing was locked\"): ")


@pytest.mark.parametrize(("name", "content", "where", "why"), [
    (b"tasks/b.yaml", TASKS_B.encode("gbk"), "tasks/b.yaml",
     "LS004 the file is not UTF-8 (it looks like GB18030 (GBK)): convert it, "
     "e.g. iconv -f GB18030 -t UTF-8 tasks/b.yaml -o tasks/b.yaml.utf8, check that the text "
     "in tasks/b.yaml.utf8 reads right, then mv tasks/b.yaml.utf8 tasks/b.yaml, or 'Save as "
     "UTF-8' in your editor"),
    (b"tasks/b.yaml", b"\x00\x01" + TASKS_B.encode(), "tasks/b.yaml",
     "LS005 the file is not valid UTF-8 text (NUL byte at offset 0): ledger files must be "
     "UTF-8 YAML text; check that the right file is here"),
    (b"tasks/\xffb.yaml", TASKS_B.encode(), "tasks/\\xffb.yaml",
     "LS006 cannot read the file: the file name is not valid UTF-8 or holds control "
     "characters: rename it"),
])
def test_a_base_task_file_that_could_not_be_read_is_ls505(
        cli: Callable[..., object], repo: Path, name: bytes, content: bytes, where: str,
        why: str) -> None:
    """A task file at the base that is not UTF-8, binary, or named with bytes that are
    not UTF-8 was passed over: its locked T-010, changed since (repaired into
    tasks/b.yaml with its standard rewritten), had no finding.  Now it is LS505 naming
    the file and why it could not be read."""
    import os

    (repo / "led/tasks/b.yaml").unlink()
    with open(os.path.join(os.fsencode(repo / "led"), name), "wb") as fh:
        fh.write(content)
    commit(repo, "a broken task file")
    for p in (repo / "led/tasks").iterdir():
        if p.name not in ("a.yaml",):
            p.unlink()
    (repo / "led/tasks/b.yaml").write_text(TASKS_B.replace("standard: 完成", "standard: 一半"),
                                           encoding="utf-8")
    code, lines, _ = validate(cli, repo / "led", "--base", "HEAD")
    assert code == 1
    assert lines == [f"{where}:1:1: {_LS505}{why}"]


def test_a_base_task_file_that_is_a_directory_is_ls505(
        cli: Callable[..., object], repo: Path) -> None:
    """`tasks/d.yaml` a directory at the base: LS006 there, and LS505 under --base."""
    (repo / "led/tasks/d.yaml").mkdir()
    (repo / "led/tasks/d.yaml/x").write_text("x\n", encoding="utf-8")
    commit(repo, "a directory")
    (repo / "led/tasks/d.yaml/x").unlink()
    (repo / "led/tasks/d.yaml").rmdir()
    code, lines, _ = validate(cli, repo / "led", "--base", "HEAD")
    assert (code, lines) == (1, [
        f"tasks/d.yaml:1:1: {_LS505}LS006 cannot read the file: it is a directory"])


def test_a_task_file_renamed_to_an_unreadable_name_is_not_called_deleted(
        cli: Callable[..., object], repo: Path) -> None:
    """tasks/b.yaml renamed to a name that is not UTF-8 (LS006 now): its locked T-010
    was reported LS502 "was deleted", though a task of a file that could not be read is
    not deleted.  Now it is LS506 (still an error): not in any file that could be read,
    naming the file that could not."""
    import os

    os.rename(repo / "led/tasks/b.yaml", os.path.join(os.fsencode(repo / "led/tasks"),
                                                       b"\xffb.yaml"))
    code, lines, _ = validate(cli, repo / "led", "--base", "base")
    assert code == 1
    assert lines == [
        "tasks/\\xffb.yaml:1:1: error LS006 cannot read the file: the file name is not valid "
        "UTF-8 or holds control characters: rename it",
        "tasks/b.yaml:1:1: error LS506 task T-010 (单独文件中的锁定任务), locked at base, is in "
        "none of the task files that could be read now, and tasks/\\xffb.yaml could not be "
        "read: change control cannot compare it (it may be in there); fix that file first"]


def test_a_base_luoshi_yaml_that_could_not_be_read_is_ls505(
        cli: Callable[..., object], repo: Path) -> None:
    """The base's luoshi.yaml says where its task files are (`files.tasks`): when it
    could not be read, the task files change control reads there may be the wrong
    ones, so it is LS505 too, worded for what it names."""
    (repo / "led/luoshi.yaml").write_bytes(CONFIG.encode("gbk"))
    commit(repo, "luoshi.yaml in GBK")
    (repo / "led/luoshi.yaml").write_text(CONFIG, encoding="utf-8")
    code, lines, _ = validate(cli, repo / "led", "--base", "HEAD")
    assert (code, [s.split(" LS004 ")[0] for s in lines]) == (1, [
        "luoshi.yaml:1:1: error LS505 this file as it was at HEAD could not be read, so "
        "change control cannot compare the locked tasks of the task files it names with "
        "their versions now (it is not taken as \"nothing was locked\"):"])


def test_a_locked_task_that_did_not_read_whole_at_the_base_is_still_compared(
        cli: Callable[..., object], tmp_path: Path, write: Callable[..., Path]) -> None:
    """T-001 is locked at the base but its `progress: abc` does not read, so it was no
    complete task there and change control walked past it: the change that fixes the
    progress and, unapproved, cuts the last milestone and the standard passed with 0
    errors.  Its controlled fields that did read are compared (LS501); a controlled
    field — or `locked` itself — that did not read is LS507."""
    root = tmp_path / "r"
    broken = TASKS_A.replace("  progress: 40\n", "  progress: abc\n", 1)
    write({"led/luoshi.yaml": CONFIG, "led/units.yaml": UNITS, "led/tasks/a.yaml": broken,
           "led/tasks/b.yaml": TASKS_B}, root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    edit(root / "led/tasks/a.yaml", "  progress: abc\n", "  progress: 40\n")
    edit(root / "led/tasks/a.yaml", "{due: 2024-12-31, standard: 开工10个}",
         "{due: 2024-12-31, standard: 开工5个}")
    code, lines, _ = validate(cli, root / "led", "--base", "HEAD")
    assert code == 1
    assert lines == [
        "tasks/a.yaml:12:7: error LS501 task T-001 is locked and its milestones changed since "
        "HEAD without a new adjustments entry: add {date, field: milestones, approved_by, "
        "reason}"]
    # `locked` itself did not read at the base: it may have been locked
    root2 = tmp_path / "r2"
    write({"led/luoshi.yaml": CONFIG, "led/units.yaml": UNITS,
           "led/tasks/a.yaml": TASKS_A.replace("  locked: true\n", "  locked: maybe\n", 1),
           "led/tasks/b.yaml": TASKS_B}, root2)
    git(root2, "init", "-q", "-b", "main")
    commit(root2, "base")
    edit(root2 / "led/tasks/a.yaml", "  locked: maybe\n", "  locked: true\n")
    code, lines, _ = validate(cli, root2 / "led", "--base", "HEAD")
    assert code == 1
    assert lines == [
        "tasks/a.yaml:1:1: error LS507 task T-001 could not be read whole at HEAD (locked did "
        "not read): change control cannot tell whether it was locked or whether those fields "
        "changed (it is not taken as \"not locked\" or \"unchanged\"); fix how it is written "
        "at HEAD in a change of its own, or have a reviewer check it and run this once with "
        "--ignore LS507"]


@pytest.mark.parametrize(("written", "label"), [("41", "41"), ("[T-001]", '["T-001"]')])
def test_a_locked_task_whose_id_did_not_read_at_the_base_is_ls507(
        cli: Callable[..., object], tmp_path: Path, write: Callable[..., Path],
        written: str, label: str) -> None:
    """Audit: a locked task written `- id: 41` at the base (YAML reads a number, LS016,
    committed past the gate) was dropped by the parser unrecorded: the change quoting
    the id (`id: "41"`) and moving its milestone without approval passed, 0 errors,
    exit 0.  Whether it was changed cannot be told: LS507 at line 1 of its file, naming
    what was written.  An unlocked task whose id did not read stays quiet."""
    root = tmp_path / "r"
    base = (TASKS_A.replace("- id: T-001\n", f"- id: {written}\n", 1)
            .replace("- id: T-003\n", "- id: 43\n", 1))
    write({"led/luoshi.yaml": CONFIG, "led/units.yaml": UNITS, "led/tasks/a.yaml": base,
           "led/tasks/b.yaml": TASKS_B}, root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    edit(root / "led/tasks/a.yaml", f"- id: {written}\n", '- id: "41"\n')
    edit(root / "led/tasks/a.yaml", "- id: 43\n", '- id: "43"\n')
    edit(root / "led/tasks/a.yaml", "{due: 2024-12-31, standard: 开工10个}",
         "{due: 2025-03-31, standard: 开工10个}")
    code, lines, _ = validate(cli, root / "led", "--base", "HEAD")
    assert (code, lines) == (1, [
        f"tasks/a.yaml:1:1: error LS507 task {label} could not be read whole at HEAD (id did "
        "not read): change control cannot tell whether it was locked or whether those fields "
        "changed (it is not taken as \"not locked\" or \"unchanged\"); fix how it is written "
        "at HEAD in a change of its own, or have a reviewer check it and run this once with "
        "--ignore LS507"])
    assert validate(cli, root / "led", "--base", "HEAD", "--ignore", "LS507")[:2] == (0, [])


def test_a_locked_task_whose_id_no_longer_reads_is_not_deleted(
        cli: Callable[..., object], repo: Path) -> None:
    """Audit: `id: T-001` rewritten `id: [T-001]` was LS502 "deleted" beside the LS103
    that says what is wrong: a task written but failing to parse is not deleted.  In
    another file than the one that held it at the base, it may be that task: LS506."""
    edit(repo / "led/tasks/a.yaml", "- id: T-001\n", "- id: [T-001]\n")
    code, lines, _ = validate(cli, repo / "led", "--base", "base")
    assert (code, lines) == (1, [
        "tasks/a.yaml:1:7: error LS103 id should be text, not a list: correct it"])
    # T-010 moved from b.yaml into a.yaml with its id unreadable
    t010 = (repo / "led/tasks/b.yaml").read_text(encoding="utf-8")
    (repo / "led/tasks/b.yaml").unlink()
    edit(repo / "led/tasks/a.yaml", "- id: [T-001]\n", "- id: T-001\n")
    with (repo / "led/tasks/a.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n- " + t010.replace("id: T-010", "id: 10").replace("\n", "\n  ").rstrip()
                 + "\n")
    code, lines, _ = validate(cli, repo / "led", "--base", "base")
    assert code == 1
    assert [s.split(" error ")[1][:5] for s in lines] == ["LS016", "LS506"]
    assert lines[1].startswith("tasks/b.yaml:1:1: error LS506 task T-010 (单独文件中的锁定任务), "
                               "locked at base, is in none of the task files that could be "
                               "read now, and tasks/a.yaml could not be read")
