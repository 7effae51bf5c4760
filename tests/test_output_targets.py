"""`-o` onto what is not a plain file: a FIFO, a device, a socket, a directory, a
symbolic link.  Every command writes through `ui.write_atomic` (temp file + rename):
the rename must never replace a special node with a regular file, a link given on
the command line is written through, and files luoshi places in a ledger on its own
never follow a link out of it.

The device is a node made here with /dev/null's numbers, not /dev/null itself: on the
starting code, a test writing `-o /dev/null` as root would replace the machine's
/dev/null with a regular file."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from test_excel_import import CONFIG, UNITS, office_sheet

BULLETIN = ("bulletin", "--month", "2021-05")
AS_OF = ("--as-of", "2021-06-30")


def special(tmp_path: Path, kind: str) -> Iterator[Path]:
    path = tmp_path / f"out-{kind}.md"
    if kind == "fifo":
        os.mkfifo(path)
        yield path
    elif kind == "device":
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # as /dev/null
        yield path
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(str(path))
            yield path
    else:
        path.mkdir()
        yield path


KINDS = {"fifo": ("a FIFO", stat.S_ISFIFO), "device": ("a character device", stat.S_ISCHR),
         "socket": ("a socket", stat.S_ISSOCK)}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_bulletin_refuses_special_files(cli: Callable[..., Any], example: Path,
                                        tmp_path: Path, kind: str) -> None:
    for path in special(tmp_path, kind):
        r = cli(*BULLETIN, example, "-o", path, "--lang", "en")
        assert r.exit_code == 2
        assert r.stdout == ""
        assert r.stderr == (
            f"luoshi: {path} is {KINDS[kind][0]}, not a regular file: luoshi writes files "
            "atomically (a temporary file renamed over it), which would replace it; to send "
            f"the output there, leave out -o and redirect stdout (> {path})\n")
        assert KINDS[kind][1](os.lstat(path).st_mode)  # still what it was
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out-" + kind + ".md",
                                                              "weinan-2021"]


def test_chinese_message_for_a_fifo(cli: Callable[..., Any], example: Path,
                                    tmp_path: Path) -> None:
    for path in special(tmp_path, "fifo"):
        r = cli(*BULLETIN, example, "-o", path)
        assert r.exit_code == 2
        assert r.stderr == (f"luoshi: {path} 是命名管道（FIFO），不是普通文件：luoshi 以“临时文件 + "
                            f"重命名”方式写文件，会替换掉它；要写到那里，请去掉 -o 并重定向标准输出"
                            f"（> {path}）\n")
        assert stat.S_ISFIFO(os.lstat(path).st_mode)


def test_export_schema_and_import_refuse_a_fifo(cli: Callable[..., Any], example: Path,
                                                tmp_path: Path, write: Callable[..., Path]
                                                ) -> None:
    xlsx = tmp_path / "out.xlsx"
    os.mkfifo(xlsx)
    r = cli("export", example, "-o", xlsx, *AS_OF, "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"luoshi: {xlsx} is a FIFO, not a regular file: ")
    assert stat.S_ISFIFO(os.lstat(xlsx).st_mode)

    schemas = tmp_path / "schemas"
    schemas.mkdir()
    os.mkfifo(schemas / "tasks.schema.json")
    r = cli("schema", "-o", schemas, "--kind", "tasks", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"luoshi: {schemas / 'tasks.schema.json'} is a FIFO, ")
    assert stat.S_ISFIFO(os.lstat(schemas / "tasks.schema.json").st_mode)

    ledger = write({"luoshi.yaml": CONFIG, "units.yaml": UNITS})
    sheet = office_sheet(tmp_path / "台账.xlsx")
    target = ledger / "tasks" / "in.yaml"
    target.parent.mkdir()
    os.mkfifo(target)
    r = cli("import", "tasks", sheet, ledger, "-o", target, "--force", "--as-of", "2024-05-31",
            "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.splitlines()[-1].startswith(f"luoshi: {target} is a FIFO, not a regular ")
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


def test_a_directory_is_refused(cli: Callable[..., Any], example: Path, tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    r = cli(*BULLETIN, example, "-o", tmp_path / "dir", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == f"luoshi: {tmp_path / 'dir'} is a directory: give a file name\n"


def test_a_symlink_given_with_o_is_written_through(cli: Callable[..., Any], example: Path,
                                                   tmp_path: Path) -> None:
    """The link's target is replaced (atomically, keeping its permissions); the link
    stays a link."""
    real = tmp_path / "shared" / "bulletin.md"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    r = cli(*BULLETIN, example, "-o", link, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    text = real.read_text(encoding="utf-8")
    assert text == cli(*BULLETIN, example, "--lang", "en").stdout
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["bulletin.md"]  # no temp left


def test_a_dangling_symlink_given_with_o_creates_its_target(cli: Callable[..., Any],
                                                            example: Path,
                                                            tmp_path: Path) -> None:
    link = tmp_path / "latest.md"
    link.symlink_to(tmp_path / "new.md")
    r = cli(*BULLETIN, example, "-o", link, "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink()
    assert (tmp_path / "new.md").read_text(encoding="utf-8") == cli(*BULLETIN, example, "--lang",
                                                                   "en").stdout


def test_a_symlink_onto_a_fifo_is_refused(cli: Callable[..., Any], example: Path,
                                          tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link.md").symlink_to(tmp_path / "fifo")
    r = cli(*BULLETIN, example, "-o", tmp_path / "link.md", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"luoshi: {tmp_path / 'link.md'} is a FIFO, not a regular file")
    assert (tmp_path / "link.md").is_symlink()
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)


def test_files_luoshi_names_never_follow_a_link_out(tmp_path: Path) -> None:
    """Without `follow` (every write but `-o FILE`), a link in the last place is
    replaced, never written through; `inside`: a directory above the name that leads
    out of that root is refused.  Nothing is written at the other end."""
    from luoshi_cli.cli.ui import UnsafeTarget, write_atomic

    root, outside = tmp_path / "ledger", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    (outside / "victim.yaml").write_text("keep\n", encoding="utf-8")
    (root / "a.yaml").symlink_to(outside / "victim.yaml")
    (root / "records").symlink_to(outside)
    write_atomic(root / "a.yaml", "mine\n", inside=root)
    assert not (root / "a.yaml").is_symlink()
    assert (root / "a.yaml").read_text(encoding="utf-8") == "mine\n"
    (root / "b.yaml").symlink_to(outside / "victim.yaml")
    write_atomic(root / "b.yaml", "mine\n")  # the cache's way: no root, still no write-through
    assert not (root / "b.yaml").is_symlink()
    for rel in ("records/2021-Q2.yaml", "records/new/x.yaml"):
        with pytest.raises(UnsafeTarget) as exc:
            write_atomic(root / rel, "x", inside=root)
        assert exc.value.label.en == (f"{root / rel} leads out of {root} through a symbolic "
                                      f"link (to {outside / rel.split('/', 1)[1]}): luoshi "
                                      "does not write there")
    (root / "c.yaml").symlink_to(outside / "victim.yaml")
    with pytest.raises(UnsafeTarget):
        write_atomic(root / "c.yaml", "x", inside=root, follow=True)
    assert sorted(p.name for p in outside.iterdir()) == ["victim.yaml"]
    assert (outside / "victim.yaml").read_text(encoding="utf-8") == "keep\n"
    # followed, a link that stays inside is written through
    (root / "real.yaml").write_text("old\n", encoding="utf-8")
    (root / "d.yaml").symlink_to(root / "real.yaml")
    write_atomic(root / "d.yaml", "new\n", inside=root, follow=True)
    assert (root / "real.yaml").read_text(encoding="utf-8") == "new\n"
    assert (root / "d.yaml").is_symlink()


def test_dump_template_never_writes_through_a_link(cli: Callable[..., Any],
                                                   tmp_path: Path) -> None:
    """A dangling link in DIR named like a template is an existing file: refused
    before anything is written, and the link's target is not created."""
    out = tmp_path / "tpl"
    out.mkdir()
    (out / "bulletin.md.j2").symlink_to(tmp_path / "outside.j2")
    r = cli("bulletin", "--dump-template", out, "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == (f"luoshi: {out / 'bulletin.md.j2'} exists: --dump-template never "
                        "overwrites files; choose another directory\n")
    assert sorted(p.name for p in out.iterdir()) == ["bulletin.md.j2"]
    assert not (tmp_path / "outside.j2").exists()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = cli("bulletin", "--dump-template", tmp_path / "file", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == (f"luoshi: {tmp_path / 'file'} exists and is not a directory: "
                        "--dump-template writes into a directory and never overwrites files\n")


@pytest.mark.parametrize("command,rel", [
    (("supervise", "--unit", "zjj", *AS_OF), "units.yaml"),
    (("supervise", "--unit", "zjj", *AS_OF), "supervision/notice.yaml"),
    ((*BULLETIN, *AS_OF), "tasks/econ.yml"),
    ((*BULLETIN, *AS_OF), "templates/bulletin.md"),
    ((*BULLETIN, *AS_OF), ".luoshi-cache/x.md"),
    (("export", *AS_OF), "templates/x.xlsx"),
])
def test_output_never_replaces_or_adds_ledger_data(cli: Callable[..., Any], example: Path,
                                                  command: tuple[str, ...], rel: str) -> None:
    """`supervise -o supervision/2024.yaml` replaced the supervision file with the
    Markdown notice, exit 0 (audit): an `-o` onto the ledger's YAML (or a new YAML
    name the next run would read), templates/ or the cache is refused before any
    work, exit 2, and nothing there changes."""
    target = example / rel
    before = target.read_bytes() if target.exists() else None
    r = cli(command[0], example, *command[1:], "-o", target, "--lang", "en")
    assert r.exit_code == 2, r.stderr
    assert r.stderr == (
        f"luoshi: {target} is a data file of the ledger {example}, or a place the ledger "
        "uses: luoshi does not write output there, which would replace ledger data; "
        "choose another name or directory\n")
    assert (target.read_bytes() if target.exists() else None) == before


def test_output_through_a_link_onto_ledger_data_is_refused(cli: Callable[..., Any],
                                                          example: Path) -> None:
    """`-o report.md` where report.md links to units.yaml: written through, the link
    would have replaced units.yaml."""
    link = example / "report.md"
    link.symlink_to("units.yaml")
    before = (example / "units.yaml").read_bytes()
    r = cli(*BULLETIN, example, *AS_OF, "-o", link)
    assert r.exit_code == 2 and "是台账" in r.stderr
    assert (example / "units.yaml").read_bytes() == before


def test_output_beside_the_ledger_files_is_written(cli: Callable[..., Any],
                                                   example: Path) -> None:
    """A bulletin kept with the ledger (bulletins/2021-05.md) is what offices do."""
    r = cli(*BULLETIN, example, *AS_OF, "-o", example / "bulletins/2021-05.md")
    assert r.exit_code == 0, r.stderr
    assert "# 关于渭南高新区2021年5月重点任务抓落实情况的通报\n" in (
        example / "bulletins/2021-05.md").read_text(encoding="utf-8")


SUPERVISE = ("supervise", "--unit", "chongyelu", "--as-of", "2021-11-30")


@pytest.mark.parametrize(("name", "head"), [("s.html", "<!DOCTYPE html>\n"),
                                            ("s.HTM", "<!DOCTYPE html>\n"),
                                            ("s.md", "**"), ("s.txt", "**")])
def test_supervise_writes_the_format_its_file_name_says(
        cli: Callable[..., Any], example: Path, tmp_path: Path, name: str, head: str) -> None:
    """`supervise -o s.html` was Markdown named .html: the format comes from -o's
    extension, as for bulletin (a name that says nothing — .txt — is Markdown)."""
    r = cli(*SUPERVISE, example, "-o", tmp_path / name)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(head)


@pytest.mark.parametrize("name", ["s.docx", "s.pdf", "s.xlsx"])
def test_supervise_refuses_a_file_name_it_cannot_write(cli: Callable[..., Any], example: Path,
                                                       tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    r = cli(*SUPERVISE, example, "-o", out)
    assert (r.exit_code, r.stdout) == (2, "")
    suffix = out.suffix
    assert r.stderr == (f"luoshi: supervise 不能生成 {suffix} 文件（{out}）：只能生成 md、html，"
                        "请以 .md、.html 作扩展名\n")
    r = cli(*SUPERVISE, example, "-o", out, "--lang", "en")
    assert r.stderr == (f"luoshi: supervise cannot write {suffix} files ({out}): it writes "
                        "md or html; name the file .md or .html\n")
    assert not out.exists()


def test_supervise_format_and_file_name_must_agree(cli: Callable[..., Any], example: Path,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    r = cli(*SUPERVISE, example, "--format", "md", "-o", out)
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: --format md 与输出文件 {out} 的扩展名（html）不一致\n")
    assert not out.exists()


def test_bulletin_refuses_a_file_name_it_cannot_write(cli: Callable[..., Any], example: Path,
                                                      tmp_path: Path) -> None:
    """`bulletin -o x.xlsx` was Markdown in a file Excel cannot open."""
    out = tmp_path / "x.xlsx"
    r = cli(*BULLETIN, example, "-o", out, "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: bulletin cannot write .xlsx files ({out}): it writes md, html, docx or "
        "pdf; name the file .md, .html, .docx or .pdf\n")
    assert not out.exists()


@pytest.mark.parametrize(("command", "head"), [
    ((*BULLETIN, *AS_OF), "> 内部资料"), ((*BULLETIN, *AS_OF, "-f", "html"), "<!DOCTYPE html>"),
    (SUPERVISE, "**"), ((*SUPERVISE, "-f", "html"), "<!DOCTYPE html>")])
def test_dash_is_stdout_for_text(cli: Callable[..., Any], example: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...],
                                 head: str) -> None:
    """`-o -` wrote a file named `-`: it is stdout, for the text formats."""
    monkeypatch.chdir(tmp_path)
    r = cli(command[0], example, *command[1:], "-o", "-")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith(head) and r.stderr == ""
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(("command", "zh", "en"), [
    ((*BULLETIN, "-f", "docx"), "docx 是二进制文件，不能输出到标准输出（-o -）：请用 -o 指定文件名",
     "docx is a binary file and cannot go to stdout (-o -): give -o FILE"),
    ((*BULLETIN, "-f", "pdf"), "pdf 是二进制文件，不能输出到标准输出（-o -）：请用 -o 指定文件名",
     "pdf is a binary file and cannot go to stdout (-o -): give -o FILE"),
    (("export",), "xlsx 是二进制文件，不能输出到标准输出（-o -）：请用 -o 指定文件名",
     "xlsx is a binary file and cannot go to stdout (-o -): give -o FILE"),
    (("export", "--per-unit"), "export 写入的是目录（--per-unit 的工作簿、parquet 的表），"
     "不能输出到标准输出（-o -）：请用 -o 指定目录", "export writes a directory (--per-unit's "
     "workbooks, parquet's tables), which cannot go to stdout (-o -): give -o DIR")])
def test_dash_is_refused_for_binary(cli: Callable[..., Any], example: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...],
                                    zh: str, en: str) -> None:
    monkeypatch.chdir(tmp_path)
    r = cli(command[0], example, *command[1:], "-o", "-")
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", f"luoshi: {zh}\n")
    r = cli(command[0], example, *command[1:], "-o", "-", "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {en}\n")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("stream", ["/dev/stdout", "/dev/stderr", "/dev/fd/1",
                                    "/proc/self/fd/1"])
def test_a_standard_stream_as_o_says_to_leave_out_o(cli: Callable[..., Any], example: Path,
                                                    stream: str) -> None:
    """`-o /dev/stdout` failed "No such file or directory" (stdout a pipe: the rename
    cannot land there) or "is a character device" (a terminal)."""
    for command in (BULLETIN, SUPERVISE):
        r = cli(command[0], example, *command[1:], "-o", stream, "--lang", "en")
        assert (r.exit_code, r.stdout) == (2, "")
        assert r.stderr == (
            f"luoshi: {stream} is a standard stream or an open file descriptor, which luoshi "
            "cannot write atomically (a temporary file renamed): to write to stdout, leave "
            "out -o (or write -o -) and redirect as needed\n")
    r = cli(*BULLETIN, example, "-o", "/dev/stdout")
    assert r.stderr == ("luoshi: /dev/stdout 是标准输出或已打开的文件描述符，luoshi 不能以“临时文件 + "
                        "重命名”方式写入：要输出到标准输出，请去掉 -o（或写 -o -），再按需重定向\n")
    r = cli(*BULLETIN, example, "-f", "docx", "-o", "/dev/stdout")
    assert r.stderr == ("luoshi: /dev/stdout 是标准输出或已打开的文件描述符：docx 是二进制文件，"
                        "请用 -o 指定文件名\n")


@pytest.mark.parametrize(("command", "name", "head"), [
    ((*BULLETIN, *AS_OF), ".docx", b"PK\x03\x04"),
    ((*BULLETIN, *AS_OF), ".html", b"<!DOCTYPE html>"),
    ((*BULLETIN, *AS_OF), ".md", "> 内部资料".encode()),
    (SUPERVISE, ".html", b"<!DOCTYPE html>"),
    (("export", *AS_OF), ".xlsx", b"PK\x03\x04")])
def test_a_name_that_is_only_an_extension_is_that_format(
        cli: Callable[..., Any], example: Path, tmp_path: Path, command: tuple[str, ...],
        name: str, head: bytes) -> None:
    """Audit: `-o .docx` held Markdown — `Path(".docx").suffix` is "" — and `export -o
    .xlsx` was refused as "does not end in .xlsx"."""
    out = tmp_path / name
    r = cli(command[0], example, *command[1:], "-o", out)
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    assert out.read_bytes().startswith(head)


@pytest.mark.parametrize("name", [".docx", ".pdf"])
def test_supervise_refuses_a_name_that_is_only_an_extension_it_cannot_write(
        cli: Callable[..., Any], example: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    r = cli(*SUPERVISE, example, "-o", out, "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: supervise cannot write {name} files ({out}): it writes md or html; "
        "name the file .md or .html\n")
    assert not out.exists()


def test_bulletin_format_and_a_bare_extension_must_agree(cli: Callable[..., Any],
                                                         example: Path, tmp_path: Path) -> None:
    out = tmp_path / ".pdf"
    r = cli(*BULLETIN, example, "--format", "md", "-o", out)
    assert (r.exit_code, r.stderr) == (
        2, f"luoshi: --format md 与输出文件 {out} 的扩展名（pdf）不一致\n")
    assert not out.exists()
