"""Reading a ledger at a git revision (`--rev`): `gitsrc.GitSource` against real repositories."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, commit, git
from luoshi_cli.core.codes import L
from luoshi_cli.load import gitsrc
from luoshi_cli.load.assemble import DirSource, LedgerError, open_ledger
from luoshi_cli.ops.validate import validate


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the 渭南 example at ledgers/weinan (a subdirectory), one commit."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root / "ledgers" / "weinan")
    (root / "README.md").write_text("x\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    git(root, "tag", "v1")
    return root


def test_same_ledger_as_the_working_tree(repo: Path) -> None:
    led = repo / "ledgers" / "weinan"
    from_git = open_ledger(None, gitsrc.git_source(led, "v1"))
    from_dir = open_ledger(None, DirSource(led))
    assert from_git.ledger == from_dir.ledger
    assert from_git.findings == from_dir.findings == []
    assert sorted(from_git.sources) == sorted(from_dir.sources)
    assert all(from_git.text_of(rel) == from_dir.text_of(rel) for rel in from_dir.sources)


@pytest.mark.parametrize("pattern", [
    "tasks/*.yaml", "records/*.yaml", "**/*.yaml", "**/*.y*ml", "tasks/**/*.yaml",
    "*.yaml", "tasks/[cp]*.yaml", "tasks/?ity.yaml", "nothing/*.yaml", "records/2021-Q[!4].yaml",
])
def test_glob_agrees_with_the_working_tree(repo: Path, pattern: str) -> None:
    led = repo / "ledgers" / "weinan"
    (led / "tasks" / "sub").mkdir()
    (led / "tasks" / "sub" / "deep.yaml").write_text("[]\n", encoding="utf-8")
    (led / "tasks" / ".hidden.yaml").write_text("[]\n", encoding="utf-8")
    (led / "tasks" / "dir.yaml").mkdir()
    (led / "tasks" / "dir.yaml" / "x.txt").write_text("x\n", encoding="utf-8")
    commit(repo, "more files")
    assert gitsrc.git_source(led, "HEAD").glob(pattern) == DirSource(led).glob(pattern)


def test_one_cat_file_process_for_all_blobs(repo: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    calls: list[list[str]] = []
    real = gitsrc._git
    batches: list[object] = []
    real_batch = gitsrc._Batch

    class CountingBatch(real_batch):  # type: ignore[misc,valid-type]
        def __init__(self, top: Path) -> None:
            batches.append(top)
            super().__init__(top)

    monkeypatch.setattr(gitsrc, "_Batch", CountingBatch)

    def counting(args: list[str], cwd: Path, data: bytes | None = None
                 ) -> subprocess.CompletedProcess[bytes]:
        calls.append(list(args))
        return real(args, cwd, data)

    monkeypatch.setattr(gitsrc, "_git", counting)
    loaded = open_ledger(None, gitsrc.git_source(repo / "ledgers" / "weinan", "v1"))
    assert len(loaded.sources) == 11
    assert len(batches) == 1
    # rev-parse ×3 (the top, the ledger's place below it — asked apart, see
    # `_top_and_prefix` — and the commit) and ls-tree; the blobs come through one
    # `cat-file --batch` that stays open, never one process per file
    assert [c[0] for c in calls] == ["rev-parse", "rev-parse", "rev-parse", "ls-tree"]


def test_rev_reads_the_old_version(cli: Callable[..., object], repo: Path) -> None:
    led = repo / "ledgers" / "weinan"
    city = led / "tasks" / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("progress: 55", "progress: 65", 1),
                    encoding="utf-8")
    commit(repo, "v2")
    args = ("status", led, "--as-of", "2021-06-30", "--format", "json")
    new = json.loads(cli(*args).stdout)  # type: ignore[attr-defined]
    old = json.loads(cli(*args, "--rev", "v1").stdout)  # type: ignore[attr-defined]
    progress = {t["id"]: t["progress"] for t in new["tasks"]}
    assert progress["WN-009"] == 65
    assert {t["id"]: t["progress"] for t in old["tasks"]}["WN-009"] == 55
    # the working tree can differ from both: --rev never looks at it
    city.write_text("- [broken\n", encoding="utf-8")
    again = json.loads(cli(*args, "--rev", "HEAD~1").stdout)  # type: ignore[attr-defined]
    assert again == old


def test_validate_rev_reports_the_old_findings_with_lines(cli: Callable[..., object],
                                                          repo: Path) -> None:
    led = repo / "ledgers" / "weinan"
    city = led / "tasks" / "city.yaml"
    good = city.read_text(encoding="utf-8")
    city.write_text(good.replace("  status: in_progress\n  progress: 55",
                                 "  status: in_progress\n  progress: 155", 1), encoding="utf-8")
    commit(repo, "bad")
    city.write_text(good, encoding="utf-8")
    r = cli("validate", led, "--as-of", "2021-06-30", "--lang", "en", "--rev", "HEAD")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    assert r.stdout == ("tasks/city.yaml:16:13: error LS205 task WN-009: progress 155 is "  # type: ignore[attr-defined]
                        "outside 0–100: give a percentage\n")
    assert cli("validate", led, "--as-of", "2021-06-30").exit_code == 0  # type: ignore[attr-defined]
    assert cli("validate", led, "--as-of", "2021-06-30", "--rev", "v1").exit_code == 0  # type: ignore[attr-defined]


def test_root_found_from_the_current_directory(repo: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    monkeypatch.chdir(repo / "ledgers" / "weinan" / "tasks")
    src = gitsrc.open_git(None, "v1")
    assert (src.prefix, src.root) == ("ledgers/weinan", repo / "ledgers" / "weinan")
    monkeypatch.chdir(repo)
    with pytest.raises(LedgerError) as raised:
        gitsrc.open_git(None, "v1")
    assert raised.value.label.en == "at v1 there is no luoshi.yaml here or in any parent directory"


def test_ledger_deleted_from_the_working_tree_is_still_readable(repo: Path) -> None:
    led = repo / "ledgers" / "weinan"
    shutil.rmtree(led)
    loaded = open_ledger(None, gitsrc.git_source(led, "v1"))
    assert len(loaded.ledger.tasks) == 20


def test_file_problems_are_the_same_findings_as_on_disk(repo: Path) -> None:
    led = repo / "ledgers" / "weinan"
    (led / "tasks" / "gbk.yaml").write_bytes("- id: 任务\n".encode("gb18030"))
    (led / "tasks" / "syntax.yaml").write_text("- id: X\n  title: [a\n", encoding="utf-8")
    (led / "tasks" / "dup.yaml").write_text("id: A\nid: B\n", encoding="utf-8")
    (led / "tasks" / "bom.yaml").write_bytes(b"\xef\xbb\xbf[]\n")
    commit(repo, "bad files")
    on_disk = validate(led, _day()).findings
    in_git = validate(None, _day(), gitsrc.git_source(led, "HEAD")).findings
    assert [(f.code, f.file, f.line, f.col) for f in in_git] == \
        [(f.code, f.file, f.line, f.col) for f in on_disk]
    assert {f.code for f in in_git} >= {"LS004", "LS010", "LS011"}


def test_size_limit_and_symlinks(repo: Path) -> None:
    led = repo / "ledgers" / "weinan"
    cfg = led / "luoshi.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "max_file_mb: 0.01\n", encoding="utf-8")
    (led / "tasks" / "big.yaml").write_text("# " + "x" * 20_000 + "\n[]\n", encoding="utf-8")
    (led / "tasks" / "link.yaml").symlink_to("style.yaml")
    (led / "tasks" / "dangling.yaml").symlink_to("nowhere.yaml")
    commit(repo, "limits")
    found = open_ledger(None, gitsrc.git_source(led, "HEAD")).findings
    assert [(f.code, f.file) for f in found] == [
        ("LS003", "tasks/big.yaml"), ("LS006", "tasks/dangling.yaml")]
    assert dict(found[0].params)["limit"] == "0.01"
    assert dict(found[1].params)["reason"] == L("HEAD 中没有此文件", "no such file at HEAD")


def test_unknown_rev_and_no_repository(cli: Callable[..., object], repo: Path,
                                       tmp_path: Path) -> None:
    led = repo / "ledgers" / "weinan"
    r = cli("status", led, "--rev", "v9", "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 2  # type: ignore[attr-defined]
    # a full clone (no origin either): fetching would not help, it is a typo
    assert r.stderr == ("luoshi: unknown git revision v9: no such branch, tag or "  # type: ignore[attr-defined]
                        "commit here (a typo?)\n")
    r = cli("status", led, "--rev", "v9", "--as-of", "2021-06-30")  # Chinese by default
    assert r.stderr == ("luoshi: 找不到 git 版本 v9：这里没有这个分支、标签或提交（拼写有误？）\n")  # type: ignore[attr-defined]
    r = cli("validate", led, "--rev", "--bad")
    assert r.exit_code == 2  # type: ignore[attr-defined]
    plain = tmp_path / "plain"
    shutil.copytree(EXAMPLE, plain)
    r = cli("validate", plain, "--rev", "HEAD", "--lang", "en")
    assert r.exit_code == 2  # type: ignore[attr-defined]
    assert r.stderr.count("\n") == 1  # type: ignore[attr-defined]
    assert "is not inside a git repository" in r.stderr  # type: ignore[attr-defined]
    r = cli("validate", repo / "ledgers" / "none", "--rev", "v1", "--lang", "en")
    assert r.exit_code == 2  # type: ignore[attr-defined]
    assert r.stderr == ("luoshi: at v1 there is no ledger at ledgers/none "  # type: ignore[attr-defined]
                        "(no luoshi.yaml)\n")
    r = cli("validate", repo / "ledgers" / "none", "--rev", "v1")
    assert r.stderr == "luoshi: v1 版本中 ledgers/none 不是台账目录（没有 luoshi.yaml）\n"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("rev", "hint"), [
    ("origin/main", "git fetch --depth=1 origin main:refs/remotes/origin/main"),
    ("v1.0", "git fetch --depth=1 origin tag v1.0 (a tag) or git fetch --depth=1 origin "
             "v1.0:v1.0 (a branch)"),
    ("HEAD~3", "git fetch --deepen=50"),
    ("a" * 40, "git fetch --depth=1 origin " + "a" * 40),
    ("abc1234", "git fetch --deepen=50"),
    # audit: names are quoted, as the line is meant to be run in a shell
    ("origin/feat;touch${IFS}x", "git fetch --depth=1 origin "
                                 "'feat;touch${IFS}x:refs/remotes/origin/feat;touch${IFS}x'"),
    ("v1;id", "git fetch --depth=1 origin tag 'v1;id' (a tag) or git fetch --depth=1 origin "
              "'v1;id:v1;id' (a branch)"),
    ("refs/pr/$(id)", "git fetch --depth=1 origin 'refs/pr/$(id):refs/pr/$(id)'"),
])
def test_fetch_hint(rev: str, hint: str) -> None:
    assert gitsrc.fetch_hint(rev).en == hint


def _day() -> object:
    from datetime import date

    return date(2021, 6, 30)


def test_read_bytes_for_other_files(repo: Path) -> None:
    led = repo / "ledgers" / "weinan"
    (led / "templates").mkdir()
    (led / "templates" / "bulletin.md.j2").write_text("v1 {{ title }}\n", encoding="utf-8")
    commit(repo, "template")
    (led / "templates" / "bulletin.md.j2").write_text("v2\n", encoding="utf-8")
    src = gitsrc.open_git(led, "HEAD")
    assert src.read_bytes("templates/bulletin.md.j2") == b"v1 {{ title }}\n"
    assert src.read_bytes("templates/none.j2") is None
    assert src.exists("templates/bulletin.md.j2") and src.exists("templates")


def test_score_and_bulletin_at_a_tag(cli: Callable[..., object], repo: Path) -> None:
    """The quarter's published figures come back from the tag that closed it (封账)."""
    led = repo / "ledgers" / "weinan"
    rec = led / "records" / "2021-Q2.yaml"
    args = ("--as-of", "2021-06-30")
    q2_html = cli("bulletin", led, "--quarter", "Q2", "--format", "html", *args)
    assert q2_html.exit_code == 0  # type: ignore[attr-defined]
    rec.write_text(rec.read_text(encoding="utf-8").replace(
        "longbei:       {hotline: 79.5,", "longbei:       {hotline: 99.5,", 1), encoding="utf-8")
    commit(repo, "corrected after publication")

    def longbei(*extra: str) -> object:
        r = cli("score", led, "--quarter", "Q2", "--format", "json", *args, *extra)
        assert r.exit_code == 0, r.stderr  # type: ignore[attr-defined]
        doc = json.loads(r.stdout)  # type: ignore[attr-defined]
        return next(u["score"] for u in doc["units"] if u["unit"] == "longbei")

    assert (longbei(), longbei("--rev", "v1")) == (79.95, 76.95)
    again = cli("bulletin", led, "--quarter", "Q2", "--format", "html", *args, "--rev", "v1")
    assert again.stdout == q2_html.stdout  # type: ignore[attr-defined]


def test_bulletin_at_a_tag_uses_the_templates_committed_there(
        cli: Callable[..., object], repo: Path) -> None:
    """--rev reproduces a bulletin exactly: with the ledger's own templates as they were
    at that revision, not as they are in the working tree today."""
    led = repo / "ledgers" / "weinan"
    (led / "templates").mkdir()
    (led / "templates" / "bulletin.md.j2").write_text(
        "{% include 'part/head.j2' %}第一版 {{ title }}\n", encoding="utf-8")
    (led / "templates" / "part").mkdir()
    (led / "templates" / "part" / "head.j2").write_text("【封账】", encoding="utf-8")
    commit(repo, "office template")
    git(repo, "tag", "q2-closed")
    (led / "templates" / "bulletin.md.j2").write_text("第二版 {{ title }}\n", encoding="utf-8")
    args = ("--quarter", "Q2", "--as-of", "2021-06-30", "--format", "md")
    now = cli("bulletin", led, *args)
    then = cli("bulletin", led, *args, "--rev", "q2-closed")
    assert now.stdout.startswith("第二版 ")  # type: ignore[attr-defined]
    assert then.stdout.startswith("【封账】第一版 ")  # type: ignore[attr-defined]
    # a template broken at the revision is named as committed there
    (led / "templates" / "bulletin.md.j2").write_text("{% if %}\n", encoding="utf-8")
    commit(repo, "broken template")
    broken = cli("bulletin", led, *args, "--rev", "HEAD")
    assert broken.exit_code == 2  # type: ignore[attr-defined]
    assert "templates/bulletin.md.j2@HEAD:1:" in broken.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(("link", "target", "rel"), [
    ("templates/bulletin.md.j2", "../../../outside.md.j2", "templates/bulletin.md.j2"),
    ("templates", "../..", "templates"),
])
def test_bulletin_at_a_tag_refuses_a_template_linked_out_as_the_working_tree_does(
        cli: Callable[..., object], repo: Path, link: str, target: str, rel: str) -> None:
    """Audit E item 7: a template (or templates/ itself) committed as a link out of the
    ledger is refused at --rev with the working tree's line, exit 2 — never passed over
    for the built-in template, which would publish a bulletin the tag does not name."""
    led = repo / "ledgers" / "weinan"
    (repo / "outside.md.j2").write_text("OUTSIDE {{ 7 * 7 }}\n", encoding="utf-8")
    (led / "templates").mkdir()
    if link == "templates":
        (led / "templates").rmdir()
    (led / link).symlink_to(target)
    commit(repo, "link")
    args = ("--quarter", "Q2", "--as-of", "2021-06-30", "--format", "md", "--lang", "en")
    line = (f"luoshi: {rel}: {rel} is a symbolic link to {target}, outside the ledger root: "
            "luoshi reads nothing outside the ledger; replace the link with a real file "
            "inside the ledger\n")
    now = cli("bulletin", led, *args)
    then = cli("bulletin", led, *args, "--rev", "HEAD")
    for run in (now, then):
        assert (run.exit_code, run.stdout, run.stderr) == (  # type: ignore[attr-defined]
            2, "", line)


def _never_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The blob ids `cat-file --batch` is asked for, from now on."""
    asked: list[str] = []
    real = gitsrc._Batch.read

    def read(self: object, shas: list[str]) -> dict[str, bytes]:
        asked.extend(shas)
        return real(self, shas)  # type: ignore[arg-type]

    monkeypatch.setattr(gitsrc._Batch, "read", read)
    return asked


def test_a_link_longer_than_any_target_is_broken_never_read(
        cli: Callable[..., object], repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit: a committed link (mode 120000) whose blob is 600 MB of zeros (a few MB in
    .git) was read whole as its "target" — 25 s and 4 GB for `validate --rev`.  A blob
    longer than PATH_MAX is a broken link (LS006), at a revision and in the index,
    and is never read."""
    led = repo / "ledgers" / "weinan"
    sha = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo, input=b"\0" * 5000,
                         capture_output=True, check=True).stdout.decode().strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"120000,{sha},ledgers/weinan/tasks/zz.yaml")
    git(repo, "commit", "-q", "-m", "long link")
    asked = _never_read(monkeypatch)
    for source in (gitsrc.git_source(led, "HEAD"), gitsrc.open_index(led)):
        found = [f for f in open_ledger(None, source).findings if f.code == "LS006"]
        assert [(f.code, f.file) for f in found] == [("LS006", "tasks/zz.yaml")]
        assert dict(found[0].params)["reason"] == L(
            "失效的符号链接：目标路径长 5000 字节，超过上限 4096 字节",
            "a broken symbolic link: its target is 5000 bytes long (at most 4096)")
    for args in (("validate", led, "--rev", "HEAD"), ("validate", led, "--staged"),
                 ("diff", "v1", "HEAD", led)):
        r = cli(*args, "--lang", "en")
        assert r.exit_code == 1, r.stderr  # type: ignore[attr-defined]
    assert sha not in asked


def test_bulletin_at_a_tag_refuses_a_template_over_the_size_limit_unread(
        cli: Callable[..., object], repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit: `bulletin --rev` read a template blob of any size whole (600 MB).  One over
    the ledger's max_file_mb at that revision is refused as LS003 says, exit 2, unread —
    never passed over for the built-in template."""
    led = repo / "ledgers" / "weinan"
    cfg = led / "luoshi.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "max_file_mb: 0.01\n", encoding="utf-8")
    (led / "templates").mkdir()
    (led / "templates" / "bulletin.md.j2").write_text("{# " + "x" * 20_000 + " #}\n",
                                                      encoding="utf-8")
    commit(repo, "big template")
    big = git(repo, "rev-parse", "HEAD:ledgers/weinan/templates/bulletin.md.j2").strip()
    asked = _never_read(monkeypatch)
    r = cli("bulletin", led, "--quarter", "Q2", "--as-of", "2021-06-30", "--format", "md",
            "--rev", "HEAD", "--lang", "en")
    assert (r.exit_code, r.stdout, r.stderr) == (  # type: ignore[attr-defined]
        2, "", "luoshi: templates/bulletin.md.j2@HEAD: the file is 0.0191 MB, over the 0.01 MB "
               "limit: split it into several files, or raise max_file_mb in luoshi.yaml\n")
    assert big not in asked
    assert gitsrc.open_git(led, "HEAD").read_bytes("templates/bulletin.md.j2",
                                                   max_mb=1) is not None


def test_programs_the_repository_config_names_never_run(
        cli: Callable[..., object], repo: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit: git ran `core.fsmonitor` from the repository's own config under
    `validate --staged`, `hook`, and the rename lookup of `--base`/`diff`; a partial
    clone over file:// ran `remote.origin.uploadpack` for each blob.  luoshi only
    reads: none of them starts."""
    marker = tmp_path / "ran.log"
    script = tmp_path / "prog.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> {marker}\nexit 1\n', encoding="utf-8")
    script.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(script))
    git(repo, "config", "core.hooksPath", str(tmp_path))
    led = repo / "ledgers" / "weinan"
    monkeypatch.chdir(repo)
    for args in (("validate", led, "--staged"), ("hook",), ("validate", led, "--base", "HEAD"),
                 ("diff", "HEAD", led), ("diff", "v1", "HEAD", led)):
        r = cli(*args)
        assert r.exit_code in (0, 1), (args, r.stderr)  # type: ignore[attr-defined]
        assert not marker.exists(), args
    git(repo, "mv", "ledgers/weinan", "ledgers/moved")  # the rename lookup runs
    marker.unlink(missing_ok=True)  # git mv itself runs the fsmonitor
    for args in (("validate", repo / "ledgers" / "moved", "--base", "v1"),
                 ("diff", "v1", repo / "ledgers" / "moved")):
        r = cli(*args)
        assert r.exit_code in (0, 1), (args, r.stderr)  # type: ignore[attr-defined]
        assert not marker.exists(), args
    # a partial clone over file://: the missing blobs are not fetched through the
    # repository's uploadpack (one line, exit 2, instead)
    git(repo, "config", "uploadpack.allowFilter", "true")
    part = tmp_path / "partial"
    git(tmp_path, "clone", "-q", "--filter=blob:none", "--no-checkout", f"file://{repo}",
        str(part))
    git(part, "config", "remote.origin.uploadpack", str(script))
    r = cli("validate", part / "ledgers" / "weinan", "--rev", "v1")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1  # type: ignore[attr-defined]
    assert not marker.exists()


def test_no_merge_base_suggests_a_quoted_command(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "x;touch${IFS}y")
    commit(repo, "unrelated")
    with pytest.raises(LedgerError) as err:
        gitsrc.merge_base(repo, "main", "x;touch${IFS}y")
    assert str(err.value.label.en).endswith(
        "or compare the two revisions themselves: luoshi diff main 'x;touch${IFS}y'")


def test_a_repository_of_another_user_is_named_with_the_reason(
        cli: Callable[..., object], repo: Path, tmp_path: Path) -> None:
    """Audit: git's last line alone ("git config --global --add safe.directory …") was
    all luoshi said; the reason — the repository belongs to another user — is kept,
    with the command quoted."""
    import os

    if os.geteuid() != 0:
        pytest.skip("making a repository another user's needs root")
    top = tmp_path / "a b"
    repo.rename(top)
    subprocess.run(["chown", "-R", "65534", str(top)], check=True)
    r = cli("validate", top / "ledgers" / "weinan", "--rev", "HEAD", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, (  # type: ignore[attr-defined]
        f"luoshi: git refuses to read the repository {top}: it is owned by another user "
        f"(detected dubious ownership); if you trust it: git config --global --add "
        f"safe.directory '{top}'\n"))
    r = cli("validate", top / "ledgers" / "weinan", "--staged")
    assert r.stderr == (  # type: ignore[attr-defined]
        f"luoshi: git 拒绝读取仓库 {top}：它属于其他用户（detected dubious ownership）；"
        f"信任该仓库时请运行：git config --global --add safe.directory '{top}'\n")


def test_the_safe_directory_command_names_the_directory_itself() -> None:
    """The directory is shown escaped (`a\\nb`), and the command names it as a shell word
    that is the directory again (`$'…'`): quoting the escaped text named `a\\\\nb`."""
    raw = (b"fatal: detected dubious ownership in repository at '/srv/a\nb'\n"
           b"To add an exception for this directory, call:\n")
    label = gitsrc._dubious(raw)
    assert label.en == ("git refuses to read the repository /srv/a\\nb: it is owned by another "
                        "user (detected dubious ownership); if you trust it: git config "
                        "--global --add safe.directory $'/srv/a\\nb'")


@pytest.mark.parametrize(("rev", "kind"), [
    ("treetag", "a tree"), ("blobtag", "a blob"), ("HEAD^{tree}", "a tree"),
    ("HEAD:ledgers", "a tree"), ("BLOB", "a blob")])
def test_a_revision_naming_a_tree_or_a_blob_says_so(cli: Callable[..., object], repo: Path,
                                                    rev: str, kind: str) -> None:
    """A tag of a tree or a blob, `HEAD^{tree}`, `HEAD:dir`, a blob's id: reported as
    "no such branch, tag or commit here (a typo?)" — it names an object, not a commit."""
    blob = git(repo, "rev-parse", "HEAD:README.md").strip()
    git(repo, "tag", "treetag", "HEAD^{tree}")
    git(repo, "tag", "blobtag", blob)
    rev = blob if rev == "BLOB" else rev
    r = cli("validate", repo / "ledgers" / "weinan", "--rev", rev, "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")  # type: ignore[attr-defined]
    assert r.stderr == (  # type: ignore[attr-defined]
        f"luoshi: git revision {rev} names {kind}, not a commit: give a branch, tag or "
        "commit\n")


@pytest.mark.parametrize("rev", ["^HEAD", "^v1"])
def test_a_negated_revision_is_no_commit(cli: Callable[..., object], repo: Path,
                                         rev: str) -> None:
    """Audit: `git rev-parse --verify '^HEAD^{commit}'` succeeds and prints `^<id>`,
    which was taken for the commit: git's own errors followed ("Not a valid object
    name ^…", or no luoshi.yaml found).  It is no revision to read: the one line."""
    led = repo / "ledgers" / "weinan"
    said = f"luoshi: unknown git revision {rev}: no such branch, tag or commit here (a typo?)\n"
    for args in (("validate", led, "--rev", rev), ("validate", led, "--base", rev),
                 ("diff", rev, led), ("diff", f"{rev}...HEAD", led)):
        r = cli(*args, "--as-of", "2021-06-30", "--lang", "en")
        assert (r.exit_code, r.stdout, r.stderr) == (2, "", said), args  # type: ignore[attr-defined]


def test_the_working_trees_limit_is_not_read_through_a_link_out(
        cli: Callable[..., object], repo: Path, tmp_path: Path) -> None:
    """Audit: `--rev` and `diff` took the working tree's `max_file_mb` from its
    luoshi.yaml even where that is a link leading out of the ledger, which the
    working-tree loader refuses (LS008): a file outside set the limit (0.001 MB: every
    file of HEAD LS003).  Read as that loader reads it: no link out, the default limit;
    a link inside the ledger is followed, as there."""
    led = repo / "ledgers" / "weinan"
    config = (led / "luoshi.yaml").read_text(encoding="utf-8") + "max_file_mb: 0.001\n"
    outside = tmp_path / "outside.yaml"
    outside.write_text(config, encoding="utf-8")
    (led / "luoshi.yaml").unlink()
    (led / "luoshi.yaml").symlink_to(outside)
    r = cli("validate", led, "--rev", "HEAD", "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 0, r.stdout  # type: ignore[attr-defined]
    assert " LS003 " not in r.stdout  # type: ignore[attr-defined]
    r = cli("diff", "HEAD", "HEAD", led, "--as-of", "2021-06-30", "--lang", "en")
    assert (r.exit_code, r.stdout) == (0, "Ledger changes HEAD → HEAD (as of 2021-06-30)\n"  # type: ignore[attr-defined]
                                          "No changes in tasks or scores.\n")
    (led / "luoshi.yaml").unlink()
    (led / "conf.yaml").write_text(config, encoding="utf-8")
    (led / "luoshi.yaml").symlink_to("conf.yaml")
    r = cli("validate", led, "--rev", "HEAD", "--as-of", "2021-06-30", "--lang", "en")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    assert "luoshi.yaml:1:1: error LS003 " in r.stdout  # type: ignore[attr-defined]


def test_a_commit_named_by_its_message_is_read(cli: Callable[..., object], repo: Path) -> None:
    """`:/v1` (the newest commit whose message matches) was peeled as `:/v1^{commit}`,
    a search for that text: "no such branch, tag or commit"."""
    commit(repo, "later")
    r = cli("validate", repo / "ledgers" / "weinan", "--rev", ":/v1", "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr  # type: ignore[attr-defined]


def test_a_tasks_folder_committed_as_a_submodule_says_so(cli: Callable[..., object],
                                                         repo: Path) -> None:
    """tasks/ committed as a submodule (a gitlink): at a revision it read as no task
    file at all (LS009); it is named, a submodule, not read (LS006)."""
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "rm", "-rq", "--cached", "ledgers/weinan/tasks")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},ledgers/weinan/tasks")
    git(repo, "commit", "-q", "-m", "tasks as a submodule")
    r = cli("validate", repo / "ledgers" / "weinan", "--rev", "HEAD", "--lang", "en")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    errors = [s for s in r.stdout.splitlines() if " LS00" in s]  # type: ignore[attr-defined]
    assert errors == ["tasks:1:1: error LS006 cannot read the file: a git submodule: its files "
                      "are another repository's, not read at a revision or from the index"]


def test_a_revision_cannot_raise_the_working_trees_size_limit(cli: Callable[..., object],
                                                              repo: Path) -> None:
    """A commit raising its own `max_file_mb` (up to 4096) with a blob of one repeated
    letter (a few KB in .git) was read whole by `--rev`: the limit is the smaller of
    the revision's and the working tree's."""
    led = repo / "ledgers" / "weinan"
    config = (led / "luoshi.yaml").read_text(encoding="utf-8")
    (led / "luoshi.yaml").write_text(config + "max_file_mb: 4096\n", encoding="utf-8")
    (led / "tasks" / "pad.yaml").write_text("# " + "a" * 2_000_000 + "\n[]\n", encoding="utf-8")
    commit(repo, "raised")
    (led / "luoshi.yaml").write_text(config + "max_file_mb: 1\n", encoding="utf-8")
    (led / "tasks" / "pad.yaml").unlink()
    r = cli("validate", led, "--rev", "HEAD", "--lang", "en")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    assert ("tasks/pad.yaml:1:1: error LS003 the file is 1.91 MB, over the 1 MB limit"
            in r.stdout)  # type: ignore[attr-defined]
