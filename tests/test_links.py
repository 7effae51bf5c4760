"""A ledger is other people's input (a unit's branch, a pull request in CI): no symbolic
link in it may make luoshi read a file outside the ledger root (LS008), nor walk out of
it or round in circles; links that stay inside keep working.  And a ledger whose task
pattern finds nothing is LS009, never a clean ledger of 0 tasks."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import Run
from luoshi_cli.fast.source import FastSource
from luoshi_cli.load.assemble import DirSource, FileSource
from luoshi_cli.ops.validate import validate

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links need POSIX")

DAY = date(2024, 5, 31)
SECRET = "- id: T-SECRET\n  title: 机密内容 secret-content\n"
CONFIG = "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n"
UNITS = "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: li, name: 李某某}\n"
TASK = """- id: T-{n:03d}
  title: 推进重点项目开工建设
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 全年开复工项目不少于350个
  milestones:
    - {{due: 2024-12-31, standard: 开复工350个}}
  status: in_progress
  progress: 45
  updates:
    - {{month: "2024-04", progress: 45}}
"""


@pytest.fixture
def ledger(write: Callable[..., Path], tmp_path: Path) -> Path:
    """A clean ledger of two tasks, and beside it (outside the root) a directory
    `outside/` of files that must never be read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(SECRET, encoding="utf-8")
    (outside / "units.yaml").write_text(UNITS.replace("区发改委", "外部单位"), encoding="utf-8")
    return write({"luoshi.yaml": CONFIG, "units.yaml": UNITS,
                  "tasks/a.yaml": TASK.format(n=1), "tasks/b.yaml": TASK.format(n=2)})


def sources(root: Path) -> list[FileSource]:
    """Every way a working tree is read: plainly, through the cache (empty, then full),
    and checked file by file."""
    cached = dict(cache=True, key=b"k" * 32, cache_min_bytes=0, jobs=1)
    return [DirSource(root), FastSource(root, cache=False),
            FastSource(root, **cached),  # type: ignore[arg-type]
            FastSource(root, **cached)]  # type: ignore[arg-type]


def found(root: Path) -> list[tuple[str, int, int, str, str, str]]:
    """The findings, the same from every source, whole ledger or file by file."""
    results = []
    for keep in (True, False):
        for src in sources(root):
            v = validate(root, DAY, src, keep_tasks=keep)
            results.append([(f.file, f.line, f.col, f.code, f.message("zh"), f.message("en"))
                            for f in v.findings])
    assert all(r == results[0] for r in results)
    return results[0]


def ls008(rel: str, link: str, target: str) -> tuple[str, int, int, str, str, str]:
    return (rel, 1, 1, "LS008",
            f"{link} 是指向台账目录之外（{target}）的符号链接：台账目录之外的文件一律不读取；"
            "请把链接换成台账目录内的真实文件",
            f"{link} is a symbolic link to {target}, outside the ledger root: luoshi reads "
            "nothing outside the ledger; replace the link with a real file inside the ledger")


@pytest.mark.parametrize("relative", [False, True])
def test_a_task_file_linked_outside_is_refused_never_read(ledger: Path, tmp_path: Path,
                                                          relative: bool) -> None:
    target = "../../outside/secret.yaml" if relative else str(tmp_path / "outside/secret.yaml")
    (ledger / "tasks/x.yaml").symlink_to(target)
    assert found(ledger) == [ls008("tasks/x.yaml", "tasks/x.yaml", target)]


def test_etc_passwd_as_a_task_file(ledger: Path, cli: Callable[..., Run]) -> None:
    if not Path("/etc/passwd").is_file():
        pytest.skip("no /etc/passwd")
    (ledger / "tasks/x.yaml").symlink_to("/etc/passwd")
    run = cli("validate", ledger, "--as-of", "2024-05-31", "--lang", "en")
    assert run.stdout == (
        "tasks/x.yaml:1:1: error LS008 tasks/x.yaml is a symbolic link to /etc/passwd, "
        "outside the ledger root: luoshi reads nothing outside the ledger; replace the link "
        "with a real file inside the ledger\n")
    assert run.exit_code == 1 and "root:x:" not in run.stdout + run.stderr


def test_a_glob_never_walks_into_a_directory_linked_outside(
        write: Callable[..., Path], ledger: Path, tmp_path: Path) -> None:
    """`tasks/sub -> /usr` with `tasks/**/*.yaml`: the link is named, nothing under
    it is listed or read."""
    write({"luoshi.yaml": CONFIG + "files:\n  tasks: \"tasks/**/*.yaml\"\n"}, ledger)
    (ledger / "tasks/sub").symlink_to(tmp_path / "outside")
    (ledger / "tasks/real").mkdir()
    (ledger / "tasks/real/c.yaml").write_text(TASK.format(n=3), encoding="utf-8")
    assert DirSource(ledger).glob("tasks/**/*.yaml") == [
        "tasks/a.yaml", "tasks/b.yaml", "tasks/real/c.yaml", "tasks/sub"]
    assert found(ledger) == [ls008("tasks/sub", "tasks/sub", str(tmp_path / "outside"))]
    assert DirSource(ledger).glob("tasks/*.yaml") == ["tasks/a.yaml", "tasks/b.yaml"]


def test_a_link_out_that_the_pattern_never_reaches_is_left_alone(
        ledger: Path, tmp_path: Path) -> None:
    (ledger / "tasks/notes.txt").symlink_to(tmp_path / "outside/secret.yaml")
    (ledger / "elsewhere").symlink_to(tmp_path / "outside")
    assert found(ledger) == []


@pytest.mark.parametrize("rel", ["units.yaml", "scheme.yaml", "records/r.yaml",
                                 "luoshi.yaml"])
def test_the_other_files_linked_outside_are_refused(ledger: Path, tmp_path: Path,
                                                    rel: str) -> None:
    target = tmp_path / "outside" / ("units.yaml" if rel == "units.yaml" else "secret.yaml")
    path = ledger / rel
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    path.symlink_to(target)
    codes = [f[:4] for f in found(ledger)]
    assert (rel, 1, 1, "LS008") in codes
    assert ls008(rel, rel, str(target)) in found(ledger)


def test_a_directory_on_the_way_linked_outside_is_named(write: Callable[..., Path],
                                                        ledger: Path, tmp_path: Path) -> None:
    write({"luoshi.yaml": CONFIG + "files:\n  units: conf/units.yaml\n"}, ledger)
    (ledger / "conf").symlink_to(tmp_path / "outside")
    assert ls008("conf/units.yaml", "conf", str(tmp_path / "outside")) in found(ledger)


def test_a_directory_loop_is_walked_once(write: Callable[..., Path], ledger: Path) -> None:
    """`tasks/loop -> ..` (inside the root) under `**`: every file once, no fan-out."""
    write({"luoshi.yaml": CONFIG + "files:\n  tasks: \"tasks/**/*.yaml\"\n"}, ledger)
    (ledger / "tasks/loop").symlink_to("..")
    (ledger / "tasks/self").symlink_to(".")
    assert DirSource(ledger).glob("tasks/**/*.yaml") == ["tasks/a.yaml", "tasks/b.yaml"]
    assert found(ledger) == []


def test_links_inside_the_root_keep_working(write: Callable[..., Path], ledger: Path) -> None:
    write({"shared/c.yaml": TASK.format(n=3), "shared/more/d.yaml": TASK.format(n=4),
           "luoshi.yaml": CONFIG + "files:\n  tasks: \"tasks/**/*.yaml\"\n"}, ledger)
    (ledger / "tasks/c.yaml").symlink_to("../shared/c.yaml")
    (ledger / "tasks/more").symlink_to("../shared/more")
    assert found(ledger) == []
    v = validate(ledger, DAY, DirSource(ledger))
    assert [t.id for t in v.loaded.ledger.tasks] == ["T-001", "T-002", "T-003", "T-004"]


# --- templates ---------------------------------------------------------------------

def _bulletin(cli: Callable[..., Run], root: Path) -> Run:
    return cli("bulletin", root, "--month", "2024-05", "--as-of", "2024-05-31", "--lang", "en")


def test_a_template_linked_outside_is_never_rendered(ledger: Path, tmp_path: Path,
                                                     cli: Callable[..., Run]) -> None:
    (ledger / "templates").mkdir()
    (ledger / "templates/bulletin.en.md.j2").symlink_to(tmp_path / "outside/secret.yaml")
    run = _bulletin(cli, ledger)
    assert (run.exit_code, run.stdout) == (2, "")
    target = tmp_path / "outside/secret.yaml"
    assert run.stderr == (
        f"luoshi: templates/bulletin.en.md.j2: templates/bulletin.en.md.j2 is a symbolic link "
        f"to {target}, outside the ledger root: luoshi reads nothing outside the ledger; "
        "replace the link with a real file inside the ledger\n")


def test_an_included_template_linked_outside_is_never_rendered(
        ledger: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    (ledger / "templates").mkdir()
    (ledger / "templates/bulletin.en.md.j2").write_text('{% include "part.j2" %}\n',
                                                         encoding="utf-8")
    (ledger / "templates/part.j2").symlink_to(tmp_path / "outside/secret.yaml")
    run = _bulletin(cli, ledger)
    assert run.exit_code == 2 and "secret-content" not in run.stdout + run.stderr
    assert run.stderr.startswith("luoshi: templates/part.j2: templates/part.j2 is a symbolic ")


def test_a_templates_directory_linked_outside_is_refused(
        ledger: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    (tmp_path / "outside/bulletin.en.md.j2").write_text("{{ 1 }} secret-content\n",
                                                         encoding="utf-8")
    (ledger / "templates").symlink_to(tmp_path / "outside")
    run = _bulletin(cli, ledger)
    assert run.exit_code == 2 and "secret-content" not in run.stdout + run.stderr
    assert run.stderr.startswith("luoshi: templates: templates is a symbolic link to ")


def outside_templates(rel: str, target: str) -> str:
    return (f"luoshi: {rel}: {rel} is a symbolic link to {target}, outside templates/: a "
            "ledger's templates are read from templates/ only; replace the link with a real "
            "file or folder inside templates/\n")


def test_a_template_linked_elsewhere_in_the_ledger_is_refused(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """Audit: a link that stays inside the ledger root was used — `templates/cfg ->
    ../.git/config` printed the repository's configuration.  A template (or one it
    includes, or a folder of templates/) that leads out of templates/ is refused in
    one line, exit 2; templates/ itself must be a real folder; links within
    templates/ keep working."""
    (ledger / "mine").mkdir()
    (ledger / "mine/b.j2").write_text("own bulletin {{ 1 + 1 }}\n", encoding="utf-8")
    (ledger / "templates").mkdir()
    (ledger / "templates/bulletin.en.md.j2").symlink_to("../mine/b.j2")
    run = _bulletin(cli, ledger)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == outside_templates("templates/bulletin.en.md.j2", "../mine/b.j2")
    run = cli("bulletin", ledger, "--month", "2024-05", "--as-of", "2024-05-31")
    assert run.stderr == (
        "luoshi: templates/bulletin.en.md.j2: templates/bulletin.en.md.j2 是指向 templates/ "
        "之外（../mine/b.j2）的符号链接：台账的模板只从 templates/ 读取；请把链接换成 "
        "templates/ 内的真实文件或目录\n")
    (ledger / "templates/bulletin.en.md.j2").unlink()
    (ledger / "templates/parts").symlink_to("../mine")
    (ledger / "templates/bulletin.en.md.j2").write_text('{% include "parts/b.j2" %}',
                                                         encoding="utf-8")
    assert _bulletin(cli, ledger).stderr == outside_templates("templates/parts", "../mine")
    # within templates/: used
    (ledger / "templates/parts").unlink()
    (ledger / "templates/parts").mkdir()
    (ledger / "templates/parts/b.j2").write_text("own bulletin {{ 1 + 1 }}\n",
                                                 encoding="utf-8")
    (ledger / "templates/alias.j2").symlink_to("parts/b.j2")
    (ledger / "templates/bulletin.en.md.j2").write_text('{% include "alias.j2" %}',
                                                         encoding="utf-8")
    run = _bulletin(cli, ledger)
    assert (run.exit_code, run.stdout) == (0, "own bulletin 2\n"), run.stderr
    # templates/ a link to a folder of the ledger
    shutil.rmtree(ledger / "templates")
    (ledger / "templates").symlink_to("mine")
    run = _bulletin(cli, ledger)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "luoshi: templates: templates is a symbolic link (to mine): a ledger's templates/ "
        "must be a real folder, templates are read from nothing else; replace the link with "
        "a real folder\n")


def _checked_out(ledger: Path) -> None:
    """`ledger` a repository as actions/checkout leaves it: the job's token in
    .git/config."""
    from conftest import git

    git(ledger, "init", "-q", "-b", "main")
    git(ledger, "config", "http.https://github.com/.extraheader",
        "AUTHORIZATION: basic FAKE-CHECKOUT-TOKEN")


def ls008_git(rel: str, link: str, target: str) -> tuple[str, int, int, str, str, str]:
    """LS008 for a link into the ledger's .git (or .luoshi-cache, as `target` says)."""
    owned = ".luoshi-cache" if ".luoshi-cache" in target else ".git"
    return (rel, 1, 1, "LS008",
            f"{link} 是指向台账的 {owned} 目录之内（{target}）的符号链接：git 自己的文件（.git）"
            "和 luoshi 的缓存（.luoshi-cache）不是台账文件，一律不读取；请把链接换成台账目录内的"
            "真实文件",
            f"{link} is a symbolic link to {target}, inside the ledger's {owned}: git's own "
            "files (.git) and luoshi's cache (.luoshi-cache) are no ledger files and are never "
            "read; replace the link with a real file inside the ledger")


def test_a_template_linked_into_git_never_prints_its_config(
        ledger: Path, cli: Callable[..., Run]) -> None:
    """Audit (medium): `templates/cfg -> ../.git/config` stayed inside the ledger root,
    and `{% include "cfg" %}` printed the CI job's token into the bulletin, exit 0.
    Refused in LS008's words, in the working tree and at --rev."""
    from conftest import commit

    _checked_out(ledger)
    (ledger / "templates").mkdir()
    (ledger / "templates/cfg").symlink_to("../.git/config")
    (ledger / "templates/bulletin.en.md.j2").write_text('{% include "cfg" %}\n',
                                                         encoding="utf-8")
    commit(ledger, "template")
    line = "luoshi: templates/cfg: " + ls008_git("templates/cfg", "templates/cfg",
                                                 "../.git/config")[5] + "\n"
    for rev in ((), ("--rev", "HEAD")):
        run = _bulletin(cli, ledger) if not rev else cli(
            "bulletin", ledger, "--month", "2024-05", "--as-of", "2024-05-31", "--lang", "en",
            *rev)
        assert (run.exit_code, run.stdout, run.stderr) == (2, "", line), rev
    # the same at --rev for a link elsewhere in the ledger
    (ledger / "templates/cfg").unlink()
    (ledger / "templates/cfg").symlink_to("../tasks/a.yaml")
    commit(ledger, "template")
    for rev in ((), ("--rev", "HEAD")):
        run = cli("bulletin", ledger, "--month", "2024-05", "--as-of", "2024-05-31",
                  "--lang", "en", *rev)
        assert (run.exit_code, run.stdout) == (2, ""), rev
        assert run.stderr == outside_templates("templates/cfg", "../tasks/a.yaml"), rev


@pytest.mark.parametrize(("rel", "target"), [("tasks/x.yaml", "../.git/config"),
                                             ("units.yaml", ".git/config"),
                                             ("tasks/x.yaml", "../.luoshi-cache/k")])
def test_a_data_file_linked_into_git_or_the_cache_is_refused(
        ledger: Path, cli: Callable[..., Run], rel: str, target: str) -> None:
    """Audit: `units.yaml -> .git/config` was read (the link stays in the root), its
    lines quoted in findings; `tasks/x.yaml -> ../.git/config` passed unread and
    unnamed.  LS008 at the link, never read — on disk, staged and committed."""
    from conftest import commit

    _checked_out(ledger)
    (ledger / ".luoshi-cache").mkdir()
    (ledger / ".luoshi-cache/k").write_text("cached: x\n", encoding="utf-8")
    (ledger / rel).unlink(missing_ok=True)
    (ledger / rel).symlink_to(target)
    assert found(ledger) == [ls008_git(rel, rel, target)]
    commit(ledger, "link")
    expected = f"{rel}:1:1: error LS008 {ls008_git(rel, rel, target)[5]}\n"
    for how in ((), ("--staged",), ("--rev", "HEAD")):
        run = cli("validate", ledger, "--as-of", "2024-05-31", "--lang", "en", *how)
        assert (run.exit_code, run.stdout) == (1, expected), how
        assert "TOKEN" not in run.stdout + run.stderr


def test_a_folder_linked_into_git_on_the_way_to_a_data_file_is_named(
        write: Callable[..., Path], ledger: Path) -> None:
    write({"luoshi.yaml": CONFIG + "files:\n  units: conf/config\n"}, ledger)
    _checked_out(ledger)
    (ledger / "conf").symlink_to(".git")
    assert ls008_git("conf/config", "conf", ".git") in found(ledger)


def test_a_supervise_template_linked_outside_is_never_rendered(
        ledger: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    """Audit: `supervise` rendered templates/supervise.md.j2 -> /etc/… as the notice,
    exit 0: it never checked the ledger's templates/ for links, as `bulletin` does."""
    (ledger / "templates").mkdir()
    (ledger / "templates/supervise.md.j2").symlink_to(tmp_path / "outside/secret.yaml")
    run = cli("supervise", ledger, "--unit", "fgw", "--as-of", "2024-05-31", "--lang", "en")
    assert (run.exit_code, run.stdout) == (2, "")
    target = tmp_path / "outside/secret.yaml"
    assert run.stderr == (
        f"luoshi: templates/supervise.md.j2: templates/supervise.md.j2 is a symbolic link "
        f"to {target}, outside the ledger root: luoshi reads nothing outside the ledger; "
        "replace the link with a real file inside the ledger\n")


# --- LS009 -------------------------------------------------------------------------

LS009_EN = ("the files.tasks pattern {p} matches no file: the ledger would have no tasks at "
            "all; check that the task directory exists and is readable, or correct "
            "files.tasks in luoshi.yaml")
LS009_ZH = ("files.tasks 的模式 {p} 没有匹配任何文件：台账中没有任务，任务总数会是 0；"
            "请检查任务目录是否存在且可读，或改正 luoshi.yaml 中的 files.tasks")


@pytest.mark.parametrize("how", ["empty", "other-names"])
def test_no_task_file_is_ls009_at_the_top_of_luoshi_yaml(ledger: Path, how: str) -> None:
    """A task directory that holds no task file is never what was meant."""
    for p in (ledger / "tasks").iterdir():
        p.unlink()
    if how == "other-names":
        (ledger / "tasks/a.yml.bak").write_text(TASK.format(n=1), encoding="utf-8")
    p = "tasks/*.yaml"
    assert found(ledger) == [("luoshi.yaml", 1, 1, "LS009", LS009_ZH.format(p=p),
                              LS009_EN.format(p=p))]


def test_no_task_directory_is_a_valid_ledger_with_a_warning(ledger: Path,
                                                           cli: Callable[..., Run]) -> None:
    """SPEC §3: only luoshi.yaml and units.yaml are required.  A ledger of neither
    tasks/ nor a scheme validates (exit 0) with the warning LS020 at the top of
    luoshi.yaml — a branch that lost its tasks/ still shows it, and `--strict`
    fails it; status reports 0 tasks."""
    shutil.rmtree(ledger / "tasks")
    p = "tasks/*.yaml"
    assert found(ledger) == [(
        "luoshi.yaml", 1, 1, "LS020",
        f"台账没有任务目录（{p} 没有匹配任何文件）：这是一本没有任务的台账，任务总数为 0；"
        "如果任务文件丢失了，请恢复；添加任务请在 tasks/ 下新建 YAML 文件",
        f"the ledger has no task directory ({p} matches no file): it holds no tasks, and "
        "status counts 0; restore the task files if they were lost, or add YAML files "
        "under tasks/")]
    run = cli("validate", ledger, "--as-of", "2024-05-31")
    assert run.exit_code == 0 and "LS020" in run.stdout
    assert cli("validate", ledger, "--as-of", "2024-05-31", "--strict").exit_code == 1
    status = cli("status", ledger, "--as-of", "2024-05-31", "--format", "json")
    assert status.exit_code == 0 and json.loads(status.stdout)["totals"]["tasks"] == 0


def test_no_task_file_is_ls009_at_the_files_tasks_line(write: Callable[..., Path],
                                                       ledger: Path,
                                                       cli: Callable[..., Run]) -> None:
    write({"luoshi.yaml": CONFIG + "files:\n  units: units.yaml\n  tasks: plans/*.yaml\n"},
          ledger)
    p = "plans/*.yaml"
    assert found(ledger) == [("luoshi.yaml", 7, 10, "LS009", LS009_ZH.format(p=p),
                              LS009_EN.format(p=p))]
    run = cli("status", ledger, "--as-of", "2024-05-31")
    assert run.exit_code == 1 and "LS009" in run.stderr and run.stdout == ""


EMPTY_ZH = ("files.tasks 的模式 {p} 匹配的 {n} 个文件（{names}）中没有任何任务：台账中没有任务，"
            "任务总数会是 0；请在其中写入任务（每项以“- id:”开头）；只做考核计分的台账可删除任务目录")
EMPTY_EN = ("the files.tasks pattern {p} matches {n} ({names}) holding no task: the ledger "
            "would have no tasks at all; write the tasks into them (each starting '- id:'); "
            "a ledger kept only for scoring may remove the task directory")


def test_task_files_holding_no_task_are_ls009(ledger: Path, cli: Callable[..., Run],
                                              write: Callable[..., Path]) -> None:
    """Audit: `tasks/a.yaml` holding `[]` validated with 0 errors and 0 warnings, and
    its bulletin began at 一、考核排名情况 with no 总体情况 — the clean ledger of 0
    tasks LS009 exists to prevent (REFERENCE "Robustness").  Task files that all read
    and hold no task say so, where LS009 stands, from every source and file by file;
    the gate stops the bulletin (exit 1).  Four files: three are named, then "等"."""
    for name in ("a", "b"):
        (ledger / f"tasks/{name}.yaml").write_text("[]\n", encoding="utf-8")
    p = "tasks/*.yaml"
    assert found(ledger) == [("luoshi.yaml", 1, 1, "LS009", EMPTY_ZH.format(
        p=p, n=2, names="tasks/a.yaml、tasks/b.yaml"), EMPTY_EN.format(
        p=p, n="2 files", names="tasks/a.yaml, tasks/b.yaml"))]
    b = cli("bulletin", ledger, "--quarter", "Q2")
    assert (b.exit_code, b.stdout) == (1, "")
    for name in ("c", "d"):
        (ledger / f"tasks/{name}.yaml").write_text("[]\n", encoding="utf-8")
    assert [(f[4], f[5]) for f in found(ledger)] == [(EMPTY_ZH.format(
        p=p, n=4, names="tasks/a.yaml、tasks/b.yaml、tasks/c.yaml等"), EMPTY_EN.format(
        p=p, n="4 files", names="tasks/a.yaml, tasks/b.yaml, tasks/c.yaml, …"))]
    # at the files.tasks line when luoshi.yaml gives it; one file: "1 file"
    write({"luoshi.yaml": CONFIG + "files:\n  units: units.yaml\n  tasks: plans/*.yaml\n",
           "plans/x.yaml": "[]\n"}, ledger)
    assert found(ledger) == [("luoshi.yaml", 7, 10, "LS009", EMPTY_ZH.format(
        p="plans/*.yaml", n=1, names="plans/x.yaml"), EMPTY_EN.format(
        p="plans/*.yaml", n="1 file", names="plans/x.yaml"))]


def test_an_empty_task_file_beside_tasks_or_errors_is_no_ls009(ledger: Path) -> None:
    """One category's file emptied (`[]`) beside another with tasks is a ledger with
    tasks: nothing is said.  A task file with an error says that error alone (its
    tasks are not counted: the ledger is not known to be empty)."""
    (ledger / "tasks/a.yaml").write_text("[]\n", encoding="utf-8")
    assert found(ledger) == []
    (ledger / "tasks/b.yaml").write_text("", encoding="utf-8")
    assert [(f[0], f[3]) for f in found(ledger)] == [("tasks/b.yaml", "LS002")]


def test_an_unreadable_task_directory_is_ls009(ledger: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("/tasks"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    v = validate(ledger, DAY, DirSource(ledger))
    assert [(f.file, f.code) for f in v.findings] == [("luoshi.yaml", "LS009")]


def test_a_scoring_ledger_needs_no_task_directory(write: Callable[..., Path],
                                                  ledger: Path) -> None:
    """SPEC §3 requires only luoshi.yaml and units.yaml, and §7 leaves out the sections
    a ledger has no data for: a scheme without a tasks/ directory is a scoring ledger.
    An empty or explicitly configured task directory still says LS009."""
    write({"scheme.yaml": "id: s\ntitle: 考核\ncadence: quarterly\nrounding: {places: 2}\n"
                          "components:\n  - {id: m, name: 主要, weight: 100}\n"
                          "grades:\n  - {name: 优秀, min: 90}\n  - {name: 较差, min: 0}\n"},
          ledger)
    for p in (ledger / "tasks").iterdir():
        p.unlink()
    assert [f[3] for f in found(ledger)] == ["LS009"]
    (ledger / "tasks").rmdir()
    assert found(ledger) == []


def test_rev_refuses_a_link_out_as_the_working_tree_does(ledger: Path, tmp_path: Path,
                                                        cli: Callable[..., Run]) -> None:
    """`--rev` reads blobs, never the disk, but says the same: LS008 at the link."""
    from conftest import commit, git

    (ledger / "tasks/x.yaml").symlink_to("../../outside/secret.yaml")
    (ledger / "tasks/y.yaml").symlink_to(str(tmp_path / "outside/secret.yaml"))
    git(ledger, "init", "-q", "-b", "main")
    commit(ledger, "links")
    on_disk = cli("validate", ledger, "--as-of", "2024-05-31", "--lang", "en")
    at_rev = cli("validate", ledger, "--as-of", "2024-05-31", "--lang", "en", "--rev", "HEAD")
    assert at_rev.stdout == on_disk.stdout and at_rev.exit_code == on_disk.exit_code == 1
    assert [line.split(" ")[0:3] for line in at_rev.stdout.splitlines()] == [
        ["tasks/x.yaml:1:1:", "error", "LS008"], ["tasks/y.yaml:1:1:", "error", "LS008"]]
    assert "secret-content" not in at_rev.stdout


def test_a_committed_template_named_with_an_absolute_path_is_never_written(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    """A commit's templates/ tree holding a blob *named* `/…/ABS_WRITE` (written raw;
    git clones it unless fsck is on): `bulletin --rev` staged templates/ as `dest /
    name`, an absolute name replaced dest, and the blob was written there (audit,
    critical).  Refused in one line, exit 2, nothing written."""
    import shutil
    import subprocess

    from conftest import EXAMPLE, commit

    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".luoshi-cache"))
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    commit(root, "ledger")
    victim = tmp_path / "victim" / "ABS_WRITE"

    def git(*args: str, inp: bytes | None = None) -> bytes:
        return subprocess.run(["git", *args], cwd=root, input=inp, capture_output=True,
                              check=True).stdout.strip()

    def tree(entries: list[tuple[bytes, bytes, bytes]]) -> bytes:
        data = b"".join(m + b" " + n + b"\0" + bytes.fromhex(s.decode())
                        for m, n, s in sorted(entries, key=lambda e: e[1]))
        return git("hash-object", "-t", "tree", "--literally", "-w", "--stdin", inp=data)

    blob = git("hash-object", "-w", "--stdin", inp=b"written by a hostile commit\n")
    # beside the entry named with the absolute path, the same path as ordinary trees
    # (the listing's `templates//tmp/…` reads that blob)
    parts = str(victim).strip("/").split("/")
    nested = blob
    for k, name in enumerate(reversed(parts[1:])):
        nested = tree([(b"100644" if k == 0 else b"40000", name.encode(), nested)])
    templates = tree([(b"100644", str(victim).encode(), blob), (b"40000", parts[0].encode(), nested)])
    entries = []
    for line in git("ls-tree", "HEAD").split(b"\n"):
        meta, name = line.split(b"\t")
        mode, kind, sha = meta.split()
        entries.append((b"40000" if kind == b"tree" else mode, name, sha))
    top = tree([*entries, (b"40000", b"templates", templates)])
    git("tag", "evil", git("-c", "user.name=t", "-c", "user.email=t@t", "commit-tree",
                           top.decode(), "-p", "HEAD", "-m", "evil").decode())
    r = cli("bulletin", root, "--rev", "evil", "--quarter", "Q2", "-o", tmp_path / "b.md")
    assert r.exit_code == 2
    assert r.stderr.strip().endswith(
        f"templates/{victim}：提交中的这个模板文件名不是 templates/ 下的路径，拒绝使用"), r.stderr
    assert not victim.exists() and not (tmp_path / "b.md").exists()


def test_a_committed_template_name_both_a_file_and_a_folder_is_refused(
        tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit whose templates/ holds a blob `x` and a tree `x` (git mktree accepts
    it): `bulletin --rev` stopped on "internal error (FileExistsError …)".  One line,
    exit 2, and the temporary folder it staged templates/ in is removed."""
    import shutil
    import subprocess
    import tempfile

    from conftest import EXAMPLE, commit

    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".luoshi-cache"))
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    commit(root, "ledger")

    def git(*args: str, inp: str | None = None) -> str:
        return subprocess.run(["git", *args], cwd=root, input=inp, capture_output=True,
                              text=True, check=True).stdout.strip()

    blob = git("hash-object", "-w", "--stdin", inp="hello\n")
    sub = git("mktree", inp=f"100644 blob {blob}\ty.md.j2\n")
    templates = git("mktree", inp=f"100644 blob {blob}\tx\n040000 tree {sub}\tx\n")
    top = git("mktree", inp=git("ls-tree", "HEAD") + f"\n040000 tree {templates}\ttemplates\n")
    git("tag", "dup", git("-c", "user.name=t", "-c", "user.email=t@t", "commit-tree", top,
                          "-p", "HEAD", "-m", "dup"))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    r = cli("bulletin", root, "--rev", "dup", "--quarter", "Q2", "-o", tmp_path / "b.md",
            "--lang", "en")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: templates/x/y.md.j2: the committed templates/ holds one name "
                        "both as a file and as a folder (a tree git fsck rejects): refused\n")
    assert list(scratch.iterdir()) == [] and not (tmp_path / "b.md").exists()
