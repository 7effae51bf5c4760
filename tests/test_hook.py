"""Issue 18: the pre-commit hook handles ledgers in subfolders and checks what is
staged (`luoshi hook [FILE]...`, `luoshi validate --staged`), in a real git
repository holding two ledgers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import BEILIN, EXAMPLE, REPO, Run, commit, edit, git

BAD_LEAD = "lead: renshe\n"  # brk-8.yaml's first task
TYPO_LEAD = "lead: renshee\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ledgers/beilin-2024 and ledgers/weinan-2021 committed; the cwd is the top."""
    top = tmp_path / "repo"
    shutil.copytree(BEILIN, top / "ledgers/beilin-2024",
                    ignore=shutil.ignore_patterns(".luoshi-cache"))
    shutil.copytree(EXAMPLE, top / "ledgers/weinan-2021",
                    ignore=shutil.ignore_patterns(".luoshi-cache"))
    (top / "README.md").write_text("ledgers\n", encoding="utf-8")
    git(top, "init", "-q")
    commit(top, "two ledgers")
    monkeypatch.chdir(top)
    return top


def _bad_line(r: Run) -> list[str]:
    return [line for line in r.stdout.splitlines() if " error " in line]


def test_a_staged_bad_change_with_a_clean_working_tree_fails(cli: Callable[..., Run],
                                                            repo: Path) -> None:
    task = repo / "ledgers/beilin-2024/tasks/brk-8.yaml"
    edit(task, BAD_LEAD, TYPO_LEAD)
    git(repo, "add", str(task))
    edit(task, TYPO_LEAD, BAD_LEAD)  # the working tree is clean again, the index is not
    r = cli("hook", "ledgers/beilin-2024/tasks/brk-8.yaml", "--lang", "en")
    assert r.exit_code == 1
    [line] = _bad_line(r)
    assert line.startswith("ledgers/beilin-2024/tasks/brk-8.yaml:5:9: error LS110 ")
    assert "renshee" in line
    assert r.stderr == "1 ledger (staged): 1 error, 35 warnings\n"  # LS601 at 2024-12-31
    # the working tree alone is clean; validate --staged sees the index
    assert cli("validate", "ledgers/beilin-2024", "--as-of", "2024-06-30").exit_code == 0
    staged = cli("validate", "ledgers/beilin-2024", "--staged", "--lang", "en")
    assert staged.exit_code == 1 and _bad_line(staged) == [line]


def test_a_staged_good_change_with_a_dirty_bad_working_tree_passes(
        cli: Callable[..., Run], repo: Path) -> None:
    task = repo / "ledgers/weinan-2021/tasks/city.yaml"
    with task.open("a", encoding="utf-8") as fh:
        fh.write("\n# reviewed\n")
    git(repo, "add", str(task))
    with task.open("a", encoding="utf-8") as fh:
        fh.write("- id: [broken\n")  # not staged
    (repo / "ledgers/weinan-2021/tasks/untracked.yaml").write_text("- id: [x\n",
                                                                   encoding="utf-8")
    assert cli("validate", "ledgers/weinan-2021").exit_code == 1
    r = cli("hook", "ledgers/weinan-2021/tasks/city.yaml", "--lang", "en")
    assert r.exit_code == 0, r.stdout
    assert _bad_line(r) == []
    assert r.stderr == "1 ledger (staged): 0 errors, 17 warnings\n"


def test_each_ledger_is_checked_once_and_other_files_are_ignored(
        cli: Callable[..., Run], repo: Path) -> None:
    edit(repo / "ledgers/beilin-2024/tasks/brk-8.yaml", BAD_LEAD, TYPO_LEAD)
    edit(repo / "ledgers/weinan-2021/tasks/city.yaml", "lead: ", "lead: nobody-")
    git(repo, "add", "-A")
    r = cli("hook", "ledgers/beilin-2024/tasks/brk-8.yaml", "ledgers/beilin-2024/luoshi.yaml",
            "ledgers/weinan-2021/tasks/city.yaml", "README.md", "--lang", "en")
    assert r.exit_code == 1
    bad = _bad_line(r)
    assert [b.split(":")[0] for b in bad] == ["ledgers/beilin-2024/tasks/brk-8.yaml",
                                             "ledgers/weinan-2021/tasks/city.yaml"]
    assert r.stderr.startswith("2 ledgers (staged): 2 errors, ")
    only_readme = cli("hook", "README.md", "--lang", "en")
    assert only_readme.exit_code == 0
    assert only_readme.stderr == "no staged ledger to check\n"  # was "0 ledgers (staged): …"


def test_no_files_checks_the_ledgers_the_staged_changes_touch(cli: Callable[..., Run],
                                                              repo: Path) -> None:
    """Audit E item 3: with no file list (how the shipped hook runs), git names the
    staged paths; an untouched ledger is not checked, nor one in a hidden directory or
    node_modules."""
    hidden = repo / ".hidden/x"
    shutil.copytree(EXAMPLE, hidden)  # never checked (nor is node_modules)
    (hidden / "luoshi.yaml").write_text("year: [\n", encoding="utf-8")
    shutil.copytree(hidden, repo / "node_modules/x")
    edit(repo / "ledgers/beilin-2024/tasks/brk-8.yaml", BAD_LEAD, TYPO_LEAD)
    git(repo, "add", "-A")
    r = cli("hook", "--lang", "en")
    assert r.exit_code == 1
    assert [b.split(":")[0] for b in _bad_line(r)] == ["ledgers/beilin-2024/tasks/brk-8.yaml"]
    assert r.stderr == "1 ledger (staged): 1 error, 35 warnings\n"


def test_no_files_and_nothing_staged_checks_every_ledger_below_the_cwd(
        cli: Callable[..., Run], repo: Path) -> None:
    """`pre-commit run --all-files` on a clean index: every ledger is checked."""
    hidden = repo / ".hidden/x"
    shutil.copytree(EXAMPLE, hidden)
    (hidden / "luoshi.yaml").write_text("year: [\n", encoding="utf-8")
    shutil.copytree(hidden, repo / "node_modules/x")
    commit(repo, "hidden")
    r = cli("hook", "--lang", "en")
    assert r.exit_code == 0
    assert r.stderr == "2 ledgers (staged): 0 errors, 52 warnings\n"


@pytest.fixture
def kaohe(repo: Path) -> Path:
    """beilin-2024-kaohe committed too: its record scores the tasks of tasks/key.yaml."""
    shutil.copytree(REPO / "ledgers/beilin-2024-kaohe", repo / "ledgers/beilin-2024-kaohe",
                    ignore=shutil.ignore_patterns(".luoshi-cache"))
    commit(repo, "kaohe")
    return repo / "ledgers/beilin-2024-kaohe"


def test_no_files_checks_a_staged_deletion(cli: Callable[..., Run], kaohe: Path,
                                           repo: Path) -> None:
    """Audit E item 3: a commit that only deletes a task file still names unknown tasks
    in the record (pre-commit passes no deleted path)."""
    git(repo, "rm", "-q", "ledgers/beilin-2024-kaohe/tasks/key.yaml")
    r = cli("hook", "--lang", "en")
    assert r.exit_code == 1
    assert _bad_line(r) == [
        f"ledgers/beilin-2024-kaohe/records/2024-Q1.yaml:{13 + i}:3: error LS116 a 2024-Q1 "
        f"quality score names unknown task K-0{i + 1}: correct the task id" for i in range(5)]
    assert r.stderr == "1 ledger (staged): 5 errors, 0 warnings\n"


def test_no_files_checks_a_staged_link_and_a_gitlink(cli: Callable[..., Run],
                                                     repo: Path) -> None:
    (repo / "ledgers/weinan-2021/tasks/x.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo",
        f"160000,{head},ledgers/weinan-2021/tasks/sub.yaml")
    r = cli("hook", "--lang", "en")
    assert r.exit_code == 1
    assert _bad_line(r) == [
        "ledgers/weinan-2021/tasks/sub.yaml:1:1: error LS006 cannot read the file: a git "
        "submodule: its files are another repository's, not read at a revision or from the "
        "index",
        "ledgers/weinan-2021/tasks/x.yaml:1:1: error LS008 tasks/x.yaml is a symbolic link "
        "to /etc/passwd, outside the ledger root: luoshi reads nothing outside the ledger; "
        "replace the link with a real file inside the ledger"]
    assert r.stderr == "1 ledger (staged): 2 errors, 17 warnings\n"


def test_no_files_skips_a_deleted_ledger_with_a_note(cli: Callable[..., Run],
                                                     repo: Path) -> None:
    """A skipped ledger is not counted as checked: after `git rm` of both ledgers the
    hook printed two notes and then "2 本台账（暂存区）：0 个错误，0 个警告", as if two
    ledgers had been checked and found clean.  One deleted, the other changed (a typo
    in brk-8.yaml: its LS110 and beilin's 35 LS601 at 2024-12-31): one checked, one
    more skipped."""
    git(repo, "rm", "-q", "-r", "ledgers/weinan-2021")
    r = cli("hook", "--lang", "en")
    assert r.exit_code == 0
    assert r.stderr == (f"luoshi: skipped {repo}/ledgers/weinan-2021: its luoshi.yaml is not "
                        "staged\nno ledger checked (1 skipped, see above)\n")
    task = repo / "ledgers/beilin-2024/tasks/brk-8.yaml"
    edit(task, BAD_LEAD, TYPO_LEAD)
    git(repo, "add", str(task))
    r = cli("hook", "--lang", "en")
    assert r.exit_code == 1
    assert r.stderr == (f"luoshi: skipped {repo}/ledgers/weinan-2021: its luoshi.yaml is not "
                        "staged\n1 ledger (staged): 1 error, 35 warnings (1 more skipped, see "
                        "above)\n")
    git(repo, "rm", "-q", "-r", "-f", "ledgers/beilin-2024")
    r = cli("hook")
    assert r.exit_code == 0
    assert r.stderr == (f"luoshi: 跳过 {repo}/ledgers/beilin-2024：暂存区中没有它的 luoshi.yaml\n"
                        f"luoshi: 跳过 {repo}/ledgers/weinan-2021：暂存区中没有它的 luoshi.yaml\n"
                        "没有检查任何台账（跳过 2 本，见上）\n")


def test_an_unstaged_new_ledger_is_skipped(cli: Callable[..., Run], repo: Path) -> None:
    shutil.copytree(EXAMPLE, repo / "ledgers/new")
    r = cli("hook", "ledgers/new/luoshi.yaml", "--lang", "en")
    assert r.exit_code == 0
    assert r.stderr.splitlines()[0].startswith("luoshi: skipped ")
    assert r.stderr.splitlines()[0].endswith("ledgers/new: its luoshi.yaml is not staged")


def test_staged_outside_git_is_a_one_line_error(cli: Callable[..., Run], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    led = tmp_path / "plain"
    shutil.copytree(EXAMPLE, led)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    r = cli("validate", led, "--staged", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.startswith("luoshi: --staged: ") and r.stderr.count("\n") == 1


def test_hook_on_a_ledger_outside_git_speaks_of_itself(cli: Callable[..., Run],
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`luoshi hook ../other/file` said "--staged: … is not inside a git repository" —
    an option of validate the hook's user never typed.  The hook says it in its own
    terms, with the command that checks a ledger outside git."""
    led = tmp_path / "other ledger"
    shutil.copytree(EXAMPLE, led)
    (tmp_path / "repo").mkdir()
    git(tmp_path / "repo", "init", "-q")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path / "repo")
    r = cli("hook", "../other ledger/tasks/city.yaml")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        f"luoshi: {led} 不在 git 仓库中：luoshi hook 检查的是 git 暂存区中的台账（提交前钩子）；"
        f"不在 git 中的台账请用 luoshi validate '{led}' 检查\n")
    monkeypatch.chdir(led)  # no files: the ledgers below the current directory
    r = cli("hook", "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        f"luoshi: {led} is not inside a git repository: luoshi hook checks ledgers as "
        f"staged in git (the pre-commit hook); check a ledger outside git with luoshi "
        f"validate '{led}'\n")


def test_hook_outside_git_names_the_ledger_root(cli: Callable[..., Run], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a ledger's subfolder outside git, the hook suggested `luoshi validate
    …/w/tasks`, which validate refuses as a subfolder; from a folder in no ledger it
    suggested validating that folder.  It names the ledger's root, or no command."""
    led = tmp_path / "w"
    shutil.copytree(EXAMPLE, led)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(led / "tasks")
    r = cli("hook")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        f"luoshi: {led / 'tasks'} 不在 git 仓库中：luoshi hook 检查的是 git 暂存区中的台账"
        f"（提交前钩子）；不在 git 中的台账请用 luoshi validate {led} 检查\n")
    assert cli("validate", led).exit_code in (0, 1)  # the command given runs
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    r = cli("hook")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        f"luoshi: {plain} 不在 git 仓库中：luoshi hook 检查的是 git 暂存区中的台账（提交前钩子）；"
        f"{plain} 也不在任何台账中（其上没有 luoshi.yaml）\n")
    r = cli("hook", "--lang", "en")
    assert r.stderr == (
        f"luoshi: {plain} is not inside a git repository: luoshi hook checks ledgers as "
        f"staged in git (the pre-commit hook); nor is {plain} inside a ledger (no "
        f"luoshi.yaml there or above)\n")


def test_hook_outside_git_from_deep_in_a_ledger_names_its_root(
        cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The root is found as `validate` finds it (`load.assemble.ledger_above`, one walk
    for both): from two folders down, past a folder of the same name as a ledger's
    part, and as an absolute path whatever the file was called on the command line."""
    led = tmp_path / "w"
    shutil.copytree(EXAMPLE, led)
    (led / "tasks" / "old" / "records").mkdir(parents=True)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(led / "tasks" / "old" / "records")
    r = cli("hook", "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        f"luoshi: {led / 'tasks/old/records'} is not inside a git repository: luoshi hook "
        f"checks ledgers as staged in git (the pre-commit hook); check a ledger outside "
        f"git with luoshi validate {led}\n")
    r = cli("hook", "../../city.yaml", "--lang", "en")  # the file's ledger, named absolute
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        f"luoshi: {led} is not inside a git repository: luoshi hook checks ledgers as "
        f"staged in git (the pre-commit hook); check a ledger outside git with luoshi "
        f"validate {led}\n")


def test_pre_commit_hook_definition_runs_the_hook_command() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "luoshi hook"
    # no file list: pre-commit's never holds a deletion, a link or a submodule
    assert hook["always_run"] is True and hook["pass_filenames"] is False
    assert hook["require_serial"] is True


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_a_real_git_commit_runs_the_hook(repo: Path) -> None:
    """A plain git pre-commit hook running `luoshi hook` (what pre-commit does, without
    pre-commit installed): the bad staged change stops the commit."""
    luoshi = Path(sys.executable).parent / "luoshi"
    hook = repo / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\nexec \"$LUOSHI\" hook --lang en "
                    "$(git diff --cached --name-only --diff-filter=ACMR)\n", encoding="utf-8")
    hook.chmod(0o755)
    edit(repo / "ledgers/beilin-2024/tasks/brk-8.yaml", BAD_LEAD, TYPO_LEAD)
    git(repo, "add", "-A")
    env = {**os.environ, "LUOSHI": str(luoshi)}
    run = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q",
                          "-m", "typo"], cwd=repo, env=env, capture_output=True, text=True)
    assert run.returncode == 1
    # git shows a hook's output on its stderr
    assert "ledgers/beilin-2024/tasks/brk-8.yaml:5:9: error LS110" in run.stderr


def test_a_staged_link_out_of_the_ledger_is_refused(cli: Callable[..., Run], repo: Path) -> None:
    """SPEC §9: the index is read like a commit — a staged symbolic link leading out of
    the ledger is not followed (LS008), whatever it points at."""
    (repo / "secret.yaml").write_text("- id: SECRET\n", encoding="utf-8")
    link = repo / "ledgers/beilin-2024/tasks/evil.yaml"
    link.symlink_to("../../../secret.yaml")
    git(repo, "add", "-A")
    r = cli("hook", "ledgers/beilin-2024/tasks/evil.yaml", "--lang", "en")
    assert r.exit_code == 1
    [line] = _bad_line(r)
    assert line.startswith("ledgers/beilin-2024/tasks/evil.yaml:1:1: error LS008 ")
    assert "SECRET" not in r.stdout


def test_a_staged_task_behind_a_link_inside_the_ledger_is_checked(
        cli: Callable[..., Run], repo: Path) -> None:
    """The working tree's glob walks through a link to a directory inside the ledger
    (`tasks/more -> ../more`), so the index must too: a bad task staged there is an
    error for the hook, not a file it never reads (the working tree's validate says
    the same, at the same place)."""
    led = repo / "ledgers/beilin-2024"
    with (led / "luoshi.yaml").open("a", encoding="utf-8") as fh:
        fh.write('files:\n  tasks: "tasks/**/*.yaml"\n')
    (led / "more").mkdir()
    task = led / "tasks/brk-8.yaml"
    (led / "more/extra.yaml").write_text(
        task.read_text(encoding="utf-8").replace(BAD_LEAD, TYPO_LEAD, 1), encoding="utf-8")
    task.unlink()
    (led / "tasks/more").symlink_to("../more")
    git(repo, "add", "-A")
    r = cli("hook", "ledgers/beilin-2024/more/extra.yaml", "--lang", "en")
    assert r.exit_code == 1
    [line] = _bad_line(r)
    assert line.startswith("ledgers/beilin-2024/tasks/more/extra.yaml:5:9: error LS110 ")
    tree = cli("validate", "ledgers/beilin-2024", "--lang", "en")
    assert _bad_line(tree) == [line]
    # a link out of the ledger the glob would walk into is refused, as in the tree
    (led / "tasks/out").symlink_to("../../weinan-2021/tasks")
    git(repo, "add", "-A")
    r = cli("hook", "ledgers/beilin-2024/luoshi.yaml", "--lang", "en")
    tree = cli("validate", "ledgers/beilin-2024", "--lang", "en")
    assert _bad_line(r) == _bad_line(tree) == [
        line, "ledgers/beilin-2024/tasks/out:1:1: error LS008 tasks/out is a symbolic link "
        "to ../../weinan-2021/tasks, outside the ledger root: luoshi reads nothing outside "
        "the ledger; replace the link with a real file inside the ledger"]


def test_a_task_file_with_an_unresolved_conflict_is_not_skipped(
        cli: Callable[..., Run], repo: Path) -> None:
    """Mid-merge, a conflicted task file has no stage-0 entry in the index: read as
    staged it must say so (LS006), not vanish with its tasks while the rest passes."""
    task = repo / "ledgers/beilin-2024/tasks/brk-8.yaml"
    git(repo, "checkout", "-q", "-b", "other")
    edit(task, BAD_LEAD, "lead: renshe  # theirs\n")
    commit(repo, "theirs")
    git(repo, "checkout", "-q", "-")
    edit(task, BAD_LEAD, "lead: renshe  # ours\n")
    commit(repo, "ours")
    merge = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "merge", "-q",
                            "other"], cwd=repo, capture_output=True, text=True)
    assert "CONFLICT (content): Merge conflict in ledgers/beilin-2024/tasks/brk-8.yaml" \
        in merge.stdout
    r = cli("validate", "ledgers/beilin-2024", "--staged", "--lang", "en")
    assert r.exit_code == 1
    assert _bad_line(r) == [
        "ledgers/beilin-2024/tasks/brk-8.yaml:1:1: error LS006 cannot read the file: an "
        "unresolved merge conflict in the index"]


def test_the_ledgers_lint_holds_and_what_it_leaves_out_is_never_placed(
        cli: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """luoshi.yaml's `lint: {ignore: [LS601]}` leaves the 35 late-report warnings of
    the staged 碑林 ledger out of the hook's report, and they are dropped before
    their lines are looked for: no file is read for positions."""
    from luoshi_cli.load import positions

    config = repo / "ledgers/beilin-2024/luoshi.yaml"
    with config.open("a", encoding="utf-8") as fh:
        fh.write("lint: {ignore: [LS601]}\n")
    git(repo, "add", str(config))
    read: list[object] = []
    real = positions._locate

    def locate(text: str | None, paths: object, count: int | None = None) -> object:
        read.append(paths)
        return real(text, paths, count)  # type: ignore[arg-type]

    monkeypatch.setattr(positions, "_locate", locate)
    r = cli("hook", "ledgers/beilin-2024/luoshi.yaml", "--lang", "en")
    assert r.exit_code == 0, r.stdout
    assert r.stdout == "" and r.stderr == "1 ledger (staged): 0 errors, 0 warnings\n"
    assert read == []


@pytest.mark.skipif(shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None,
                    reason="the pre-commit framework is not installed in this venv")
@pytest.mark.parametrize("change", ["delete", "link", "gitlink"])
def test_the_shipped_hook_stops_a_commit_pre_commit_passes_no_file_for(
        repo: Path, kaohe: Path, change: str) -> None:
    """Audit E item 3, through the real pre-commit framework: the shipped hook's
    settings (as a `repo: local` hook running this venv's luoshi) stop a commit that only
    deletes a task file, adds a link out of the ledger, or adds a submodule."""
    bindir = Path(sys.executable).parent
    [shipped] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = {**shipped, "language": "system", "entry": f"{bindir / 'luoshi'} hook --lang en"}
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}), encoding="utf-8")
    commit(repo, "pre-commit config")
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pc-home")}
    subprocess.run([str(bindir / "pre-commit"), "install"], cwd=repo, env=env, check=True,
                   capture_output=True)
    if change == "delete":
        git(repo, "rm", "-q", "ledgers/beilin-2024-kaohe/tasks/key.yaml")
        expected = "ledgers/beilin-2024-kaohe/records/2024-Q1.yaml:13:3: error LS116"
    elif change == "link":
        (repo / "ledgers/weinan-2021/tasks/x.yaml").symlink_to("/etc/passwd")
        git(repo, "add", "-A")
        expected = "ledgers/weinan-2021/tasks/x.yaml:1:1: error LS008"
    else:
        head = git(repo, "rev-parse", "HEAD").strip()
        git(repo, "update-index", "--add", "--cacheinfo",
            f"160000,{head},ledgers/weinan-2021/tasks/sub.yaml")
        expected = "ledgers/weinan-2021/tasks/sub.yaml:1:1: error LS006"
    before = git(repo, "rev-parse", "HEAD")
    run = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q",
                          "-m", change], cwd=repo, env=env, capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert expected in run.stdout + run.stderr
    assert git(repo, "rev-parse", "HEAD") == before


def test_an_intent_to_add_file_is_not_staged(cli: Callable[..., Run], repo: Path) -> None:
    """Audit E item 8: `git add -N` lists a file in the index with the empty blob, but a
    commit leaves it out (`git write-tree`); read as staged it was an empty task file
    (LS002, exit 1).  A file really staged empty still is one."""
    led = repo / "ledgers/weinan-2021"
    args = ("validate", "ledgers/weinan-2021", "--staged", "--as-of", "2021-06-30",
            "--lang", "en")
    clean = cli(*args)
    assert clean.exit_code == 0
    (led / "tasks/new.yaml").write_text(
        (led / "tasks/style.yaml").read_text(encoding="utf-8").replace("- id: WN-0",
                                                                       "- id: WN-N"),
        encoding="utf-8")
    git(repo, "add", "-N", "ledgers/weinan-2021/tasks/new.yaml")
    # over a committed file too: the commit would delete it
    git(repo, "rm", "-q", "--cached", "ledgers/weinan-2021/tasks/style.yaml")
    git(repo, "add", "-N", "ledgers/weinan-2021/tasks/style.yaml")
    assert "style.yaml" not in git(repo, "ls-tree", "-r", "--name-only",
                                   git(repo, "write-tree").strip())
    ita = cli(*args)
    assert "LS002" not in ita.stdout
    assert ita.stdout.count(" error ") == 0, ita.stdout
    assert cli("hook", "--lang", "en").exit_code == 0
    git(repo, "add", "ledgers/weinan-2021/tasks/style.yaml")
    assert cli(*args).stdout == clean.stdout
    (led / "tasks/empty.yaml").write_text("", encoding="utf-8")
    git(repo, "add", "ledgers/weinan-2021/tasks/empty.yaml")
    staged_empty = cli(*args)
    assert staged_empty.exit_code == 1
    assert [line.split(" ")[:3] for line in _bad_line(staged_empty)] == [
        ["ledgers/weinan-2021/tasks/empty.yaml:1:1:", "error", "LS002"]]


def test_base_adds_change_control_to_each_staged_ledger(cli: Callable[..., Run],
                                                        repo: Path) -> None:
    """`luoshi hook` alone does not check change control (a staged, unapproved move of
    a locked milestone passes); `--base HEAD` compares each staged ledger with HEAD, as
    `validate --staged --base HEAD` does, and works from the shipped hook's `args:`."""
    task = repo / "ledgers/beilin-2024/tasks/brk-5.yaml"
    edit(task, "{due: 2024-09-30, standard: 完成投资75%}", "{due: 2024-10-31, standard: 完成投资75%}")
    git(repo, "add", str(task))
    assert _bad_line(cli("hook", "--lang", "en")) == []
    r = cli("hook", "--base", "HEAD", "--lang", "en")
    assert r.exit_code == 1
    assert _bad_line(r) == [
        "ledgers/beilin-2024/tasks/brk-5.yaml:13:7: error LS501 task BRK5-01 is locked and "
        "its milestones changed since HEAD without a new adjustments entry: add {date, field: "
        "milestones, approved_by, reason}"]
    staged = cli("validate", "ledgers/beilin-2024", "--staged", "--base", "HEAD", "--lang", "en")
    assert _bad_line(staged) == _bad_line(r)
    # an unknown base stops the hook with one line (exit 2), as validate does
    r = cli("hook", "--base", "nope", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, "luoshi: unknown git revision nope: no such branch, "
                                          "tag or commit here (a typo?)\n")


def test_base_head_before_the_first_commit_checks_without_change_control(
        cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`args: [--base, HEAD]` must not block a repository's first commit: there is no
    HEAD yet, and nothing was locked."""
    top = tmp_path / "fresh"
    shutil.copytree(EXAMPLE, top / "led", ignore=shutil.ignore_patterns(".luoshi-cache"))
    git(top, "init", "-q")
    git(top, "add", "-A")
    monkeypatch.chdir(top)
    r = cli("hook", "--base", "HEAD", "--lang", "en")
    assert (r.exit_code, _bad_line(r)) == (0, [])
    assert r.stderr.startswith("1 ledger (staged): 0 errors, ")


@pytest.mark.parametrize("odd", ["\u2028", "\n", "\r", "\x1c", "\x85"])
def test_a_ledger_folder_named_with_a_line_break_is_checked(
        cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        odd: str) -> None:
    """`git rev-parse --show-toplevel --show-prefix` was split with `splitlines`, which
    also splits at \\r, \\x1c, NEL and U+2028: a ledger in `ledgers/beilin<U+2028>2024`
    was cut short and skipped ("its luoshi.yaml is not staged"), so a staged syntax
    error passed the hook, exit 0 (audit).  It is checked, and a skipped folder's name
    is printed escaped."""
    top = tmp_path / "repo"
    folder = top / f"ledgers/beilin{odd}2024"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".luoshi-cache"))
    git(top, "init", "-q")
    commit(top, "a ledger")
    monkeypatch.chdir(top)
    (folder / "tasks/bad.yaml").write_text("- id: [\n", encoding="utf-8")
    git(top, "add", "-A")
    r = cli("hook", "--lang", "en")
    assert r.exit_code == 1, r.stderr
    assert any(" error LS010 " in line for line in r.stdout.splitlines()), r.stdout
    assert "skipped" not in r.stderr
    assert r.stderr.endswith("1 ledger (staged): 1 error, 17 warnings\n"), r.stderr


def test_a_skipped_ledgers_name_is_printed_escaped(cli: Callable[..., Run], repo: Path) -> None:
    """A ledger whose luoshi.yaml is not staged is skipped with its folder's name,
    which the repository chose: printed raw, a name holding ESC or a line starting
    `::error` reached the CI log as a colour change and a workflow command (audit)."""
    folder = repo / "ledgers/x\x1b[31m\n::error file=README.md::forged"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".luoshi-cache"))
    git(repo, "add", str(folder / "tasks"))
    r = cli("hook", str((folder / "tasks/style.yaml").relative_to(repo)), "--lang", "en")
    skipped = [line for line in r.stderr.splitlines() if line.startswith("luoshi: skipped")]
    assert skipped == [f"luoshi: skipped {repo}/ledgers/x\\x1b[31m\\n\\x3a:error file=README.md"
                       "\\x3a:forged: its luoshi.yaml is not staged"], r.stderr
    assert "\x1b" not in r.stderr and not any(line.startswith("::")
                                              for line in r.stderr.splitlines())


def test_a_files_ledger_is_found_in_the_index_not_the_working_tree(
        cli: Callable[..., Run], repo: Path) -> None:
    """`luoshi hook FILE` looked for the file's ledger in the working tree: with the
    ledger's luoshi.yaml deleted there only (still staged) the file was in no ledger,
    "0 ledgers", and with an untracked luoshi.yaml in tasks/ the ledger checked was
    tasks/ (skipped: not staged) — either way the staged error passed, exit 0.  The
    ledger is found in the index, as the no-files form finds it."""
    task = repo / "ledgers/beilin-2024/tasks/brk-8.yaml"
    edit(task, BAD_LEAD, TYPO_LEAD)
    git(repo, "add", str(task))
    rel = "ledgers/beilin-2024/tasks/brk-8.yaml"
    config = repo / "ledgers/beilin-2024/luoshi.yaml"
    kept = config.read_bytes()
    config.unlink()  # not staged: the commit keeps it
    r = cli("hook", rel, "--lang", "en")
    assert (r.exit_code, len(_bad_line(r))) == (1, 1), r.stderr
    assert r.stderr.startswith("1 ledger (staged): 1 error")
    config.write_bytes(kept)
    (repo / "ledgers/beilin-2024/tasks/luoshi.yaml").write_bytes(kept)  # untracked
    r = cli("hook", rel, "--lang", "en")
    assert (r.exit_code, len(_bad_line(r))) == (1, 1), r.stderr
    assert "skipped" not in r.stderr
    # a directory names the ledger it is in, as staged
    r = cli("hook", "ledgers/beilin-2024/tasks", "--lang", "en")
    assert (r.exit_code, len(_bad_line(r))) == (1, 1), r.stderr
