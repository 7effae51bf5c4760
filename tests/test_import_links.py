"""A ledger is untrusted: `import scores` and `import tasks` write into it (records/,
tasks/), and a committed link must not carry that read or write out of the ledger.
Found by a hostile-ledger audit: the merge read a record linked out of the ledger
(`validate` never reads it: LS008) and copied it in; `records/` and `tasks/` linked
to a directory elsewhere had the import replace a file there."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from conftest import Run


def _scores_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "hotline", "service"])
    ws.append(["崇业路街道", 88, 77])
    wb.save(path)
    return path


def _tasks_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "任务名称", "牵头单位", "包抓领导", "完成时限", "完成标准"])
    ws.append([1, "测试任务", "崇业路街道", "王某某", "2021-12-31", "完成"])
    wb.save(path)
    return path


def test_a_record_linked_out_of_the_ledger_is_neither_read_nor_replaced(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "rec.yaml"
    secret.write_text((example / "records/2021-Q3.yaml").read_text(encoding="utf-8")
                      + "# OUTSIDE\n", encoding="utf-8")
    (example / "records/2021-Q3.yaml").unlink()
    (example / "records/2021-Q3.yaml").symlink_to(secret)
    book = _scores_book(tmp_path / "s.xlsx")
    before = secret.read_bytes()
    for extra in (["--dry-run"], [], ["--replace"]):
        r = cli("import", "scores", book, example, "--period", "2021-Q3", *extra)
        assert r.exit_code == 2, r.stderr
        assert r.stderr == (f"luoshi: {example}/records/2021-Q3.yaml 是指向台账之外的符号链接"
                            f"（{secret}）：luoshi 既不读取也不写入它\n")
        assert r.stdout == ""
    assert secret.read_bytes() == before
    assert (example / "records/2021-Q3.yaml").is_symlink()


def test_a_record_linked_into_git_is_neither_read_nor_replaced(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """`records/2021-Q3.yaml -> ../.git/config` stays inside the ledger, but `validate`
    refuses it (LS008: git's own files are no ledger data, and in CI .git/config holds
    the job's token): the import read it to merge.  Refused before reading, one line."""
    from conftest import git

    git(example, "init", "-q", "-b", "main")
    config = example / ".git" / "config"
    before = config.read_bytes()
    (example / "records/2021-Q3.yaml").unlink()
    (example / "records/2021-Q3.yaml").symlink_to("../.git/config")
    book = _scores_book(tmp_path / "s.xlsx")
    for extra in (["--dry-run"], [], ["--replace"]):
        r = cli("import", "scores", book, example, "--period", "2021-Q3", "--lang", "en",
                *extra)
        assert (r.exit_code, r.stdout) == (2, ""), r.stderr
        assert r.stderr == (f"luoshi: {example}/records/2021-Q3.yaml leads into the ledger's "
                            f".git through a symbolic link (to {config}): luoshi neither reads "
                            "nor writes it\n")
    assert config.read_bytes() == before
    assert (example / "records/2021-Q3.yaml").is_symlink()


def test_records_and_tasks_directories_linked_out_are_not_written(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "recs").mkdir(parents=True)
    (outside / "tk").mkdir()
    precious = outside / "recs" / "2021-Q4.yaml"
    precious.write_text("precious: data\n", encoding="utf-8")
    shutil.rmtree(example / "records")
    (example / "records").symlink_to(outside / "recs")
    r = cli("import", "scores", _scores_book(tmp_path / "s.xlsx"), example, "--period",
            "2021-Q4", "--replace", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == (f"luoshi: {example}/records/2021-Q4.yaml leads out of {example} "
                        f"through a symbolic link (to {precious}): luoshi does not write "
                        "there\n")
    assert precious.read_text(encoding="utf-8") == "precious: data\n"
    for f in (example / "tasks").iterdir():  # the tasks, now at the other end of a link
        (outside / "tk" / f.name).write_bytes(f.read_bytes())
    shutil.rmtree(example / "tasks")
    (example / "tasks").symlink_to(outside / "tk")
    r = cli("import", "tasks", _tasks_book(tmp_path / "t.xlsx"), example, "--category", "proj")
    assert r.exit_code == 2
    assert "经符号链接指向" in r.stderr and "luoshi 不会写入" in r.stderr
    assert r.stderr.count("\n") == 1
    assert not (outside / "tk" / "imported.yaml").exists()


def test_an_output_given_with_o_is_written_where_the_user_says(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """-o is the user's own choice of file: written there, the ledger's rules aside."""
    out = tmp_path / "elsewhere" / "q4.yaml"
    out.parent.mkdir()
    (example / "records/2021-Q4.yaml").unlink()
    r = cli("import", "scores", _scores_book(tmp_path / "s.xlsx"), example, "--period",
            "2021-Q4", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "hotline: 88" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("kind", "target"), [
    ("tasks", ".git/config"),
    ("tasks", ".git/hooks/pre-commit"),
    ("scores", ".git/hooks/post-commit"),
    ("tasks", ".luoshi-cache/entry.yaml"),
    ("tasks", "templates/bulletin.md.j2"),
    ("tasks", "tasks/via-link.yaml"),  # a link into .git/config
])
def test_an_output_is_never_written_into_git_or_the_cache(
        cli: Callable[..., Run], example: Path, tmp_path: Path, kind: str,
        target: str) -> None:
    """`import tasks -o L/.git/config --force` replaced git's configuration (in CI it
    holds the job's token); `-o L/.git/hooks/pre-commit --force` wrote a hook that kept
    its executable bit, run on the next commit; `import scores -o .git/hooks/post-commit`
    alike.  Refused before anything is read, as `export -o` is (exit 2, one line),
    directly or through a link; the file is left as it was."""
    for rel, text in ((".git/config", "[core]\n"), (".git/hooks/pre-commit", "#!/bin/sh\n"),
                      (".git/hooks/post-commit", "#!/bin/sh\n"),
                      (".luoshi-cache/entry.yaml", "x: 1\n"),
                      ("templates/bulletin.md.j2", "{{ title }}\n")):
        (example / rel).parent.mkdir(parents=True, exist_ok=True)
        (example / rel).write_text(text, encoding="utf-8")
    (example / ".git/hooks/pre-commit").chmod(0o755)
    (example / "tasks/via-link.yaml").symlink_to("../.git/config")
    real = (example / target).resolve()
    before = real.read_bytes()
    book = (_tasks_book(tmp_path / "t.xlsx") if kind == "tasks"
            else _scores_book(tmp_path / "s.xlsx"))
    extra = ("--category", "proj") if kind == "tasks" else ("--period", "2021-Q4")
    r = cli("import", kind, book, example, *extra, "-o", example / target, "--force",
            "--lang", "en")
    owned = target.split("/")[0] if target != "tasks/via-link.yaml" else ".git"
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {example / target} is in {owned} (at {real}): luoshi writes no output into "
        "git's .git, its own cache .luoshi-cache or the ledger's templates (a git hook runs "
        "on the next commit, .git/config may hold credentials); choose another name or "
        "directory\n"))
    assert real.read_bytes() == before


def test_a_file_luoshi_writes_never_keeps_an_executable_bit(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """A file replaced keeps its permissions, less any executable bit (0755 → 0644):
    luoshi writes data, never a program."""
    import stat

    out = tmp_path / "run.yaml"
    out.write_text("- old\n", encoding="utf-8")
    out.chmod(0o755)
    r = cli("import", "tasks", _tasks_book(tmp_path / "t.xlsx"), example, "--category", "proj",
            "-o", out, "--force")
    assert r.exit_code == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def _brk1_sheet(cli: Callable[..., Run], root: Path, tmp_path: Path) -> Path:
    """区发改委's June sheet of Beilin with BRK1-01's 本月进度 set to 45."""
    out = tmp_path / "out"
    r = cli("export", root, "--per-unit", "-o", out, "--as-of", "2024-06-30", "--month",
            "2024-06")
    assert r.exit_code == 0, r.stderr
    book = out / "区发改委.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["本月填报"]
    assert ws["D3"].value == "BRK1-01"
    ws["K3"].value = 45
    wb.save(book)
    return book


def test_import_updates_writes_through_a_task_file_linked_within_the_ledger(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """tasks/brk-1.yaml -> ../data/brk-1.yaml (inside the ledger: read as any task file)
    was replaced by a regular file on `import updates`, data/brk-1.yaml left stale,
    without a word.  The link's target is written, the link stays a link."""
    from conftest import BEILIN

    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    (root / "data").mkdir()
    (root / "tasks/brk-1.yaml").rename(root / "data/brk-1.yaml")
    (root / "tasks/brk-1.yaml").symlink_to("../data/brk-1.yaml")
    book = _brk1_sheet(cli, root, tmp_path)
    r = cli("import", "updates", book, "--ledger", root, "--as-of", "2024-06-30")
    assert r.exit_code == 0, r.stderr
    assert (root / "tasks/brk-1.yaml").is_symlink()
    assert '    - {month: "2024-06", progress: 45}\n' in (root / "data/brk-1.yaml").read_text(
        encoding="utf-8")


def test_import_updates_names_a_task_file_linked_out_of_the_ledger(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """A task file linked out of the ledger is not read (LS008): the returned row was
    refused as `台账中没有任务 BRK1-01`, as if the task had been deleted.  The problem
    names the link in LS008's words; nothing is written, the file out there untouched."""
    from conftest import BEILIN

    root = tmp_path / "ledger"
    shutil.copytree(BEILIN, root)
    book = _brk1_sheet(cli, root, tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "tasks/brk-1.yaml").rename(outside / "brk-1.yaml")
    (root / "tasks/brk-1.yaml").symlink_to(outside / "brk-1.yaml")
    before = (outside / "brk-1.yaml").read_bytes()
    r = cli("import", "updates", book, "--ledger", root, "--as-of", "2024-06-30")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        f"区发改委.xlsx 本月填报!3:3: 台账中没有任务 BRK1-01（未读取的任务文件：tasks/brk-1.yaml 是指向台账目录之外"
        f"（{outside / 'brk-1.yaml'}）的符号链接：台账目录之外的文件一律不读取；请把链接换成台账目录内的真实文件）")
    assert (outside / "brk-1.yaml").read_bytes() == before
