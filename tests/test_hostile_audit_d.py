"""Defects of the hostile-ledger audit D (2026-12-08), each pinned on real files.

A ledger is other people's input: no file it names makes luoshi read outside the
ledger (nor in its `.git`), and bad input is a finding or a one-line error in the
clerk's language, never an internal error.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, commit, git
from test_hostile import GIB, assert_clean_exit, run_limited

Cli = Callable[..., Run]


# ---- D2: files: naming a path inside .git ------------------------------------------

@pytest.mark.parametrize("units,scheme", [
    (".git/config", "./.git/COMMIT_EDITMSG"),
    ("sub/../.git/config", ".luoshi-cache/x.yaml"),
    (".GIT/config", ".git./config"),
])
def test_files_inside_git_are_refused_unread(cli: Cli, example: Path, units: str,
                                             scheme: str) -> None:
    """`files: {units: .git/config}` (a plain path, no link) was opened and parsed: in CI
    .git/config holds the job's token.  Such a value is LS007 at the value (luoshi.yaml
    line:col), the default is read instead, and nothing under .git is opened (no finding
    names a file there).  `.GIT` and `.git.` are the same directory on Windows/macOS."""
    git(example, "init", "-q")
    commit(example, "v1")
    git(example, "config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic SECRET")
    cfg = example / "luoshi.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text + f"files:\n  units: {units}\n  scheme: {scheme}\n", encoding="utf-8")
    line = text.count("\n") + 2
    r = cli("validate", example, "--as-of", "2021-06-30")
    assert r.exit_code == 1
    owned_u = ".git" if ".git" in units.lower() else ".luoshi-cache"
    owned_s = ".git" if ".git" in scheme.lower() else ".luoshi-cache"
    assert (f"luoshi.yaml:{line}:10: error LS007 files.units 的值 {units} 位于台账的 {owned_u} "
            f"目录之内：git 自己的文件（.git）和 luoshi 的缓存（.luoshi-cache）不是台账文件，"
            f"一律不读取；已改用默认路径") in r.stdout
    assert f"luoshi.yaml:{line + 1}:11: error LS007 files.scheme 的值 {scheme} 位于台账的 " \
           f"{owned_s} 目录之内" in r.stdout
    assert ".git/config:" not in r.stdout and "COMMIT_EDITMSG:" not in r.stdout
    assert "LS013" not in r.stdout and "LS002" not in r.stdout
    en = cli("validate", example, "--as-of", "2021-06-30", "--lang", "en")
    assert (f"luoshi.yaml:{line}:10: error LS007 files.units: {units} is inside the "
            f"ledger's {owned_u}: git's own files (.git) and luoshi's cache (.luoshi-cache) "
            f"are no ledger files and are never read; the default is used") in en.stdout


def test_files_outside_root_keep_their_wording(cli: Cli, example: Path) -> None:
    cfg = example / "luoshi.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text + "files:\n  units: ../units.yaml\n", encoding="utf-8")
    r = cli("validate", example, "--as-of", "2021-06-30")
    assert ("error LS007 files.units 的值 ../units.yaml 不是台账目录内的文件路径：请写成相对路径"
            "（如 tasks/*.yaml），不要用“..”或绝对路径；已改用默认路径") in r.stdout


# ---- D6: the results cache's digest of templates/ ----------------------------------

@pytest.mark.skipif(sys.platform != "linux", reason="sparse file, ru_maxrss in KiB")
@pytest.mark.parametrize("padded", [False, True])
def test_bulletin_does_not_read_a_huge_file_under_templates(example: Path,
                                                            padded: bool) -> None:
    """A 2 GiB junk file under templates/ (no template, a few KB in git) was read whole
    into memory to key the results cache (2.1 GB RSS; `--rev` refuses it unread; with a
    2 GiB address space: "out of memory", exit 2).  The digest now reads in chunks, a
    file over max_file_mb (64 MB) keeps nothing (the bulletin is made fresh), and a
    ledger too small to keep results (< 512 KB; `padded`: a 600 KB comment makes it
    big enough) hashes no template: the bulletin runs in the memory it needs (< 250 MB
    above the floor: a forked child's peak counts the RSS of the test process it was
    forked from — 530 MB late in a full run — as test_alias_replay measures it)."""
    if padded:
        with open(example / "tasks/city.yaml", "a", encoding="utf-8") as fh:
            fh.write(("# " + "x" * 98 + "\n") * 6000)
    (example / "templates").mkdir()
    with open(example / "templates/junk.bin", "wb") as fh:
        fh.truncate(2 * GIB)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "LUOSHI_NO_CACHE")}
    r = run_limited(["bulletin", str(example), "--quarter", "Q2"], env=env, timeout=120)
    assert_clean_exit(r)
    assert r.code == 0, r.stderr
    assert "关于渭南高新区2021年第二季度重点任务抓落实情况的通报" in r.stdout
    floor = run_limited(["--version"]).max_rss_mb
    assert r.max_rss_mb < floor + 250, (r.max_rss_mb, floor)


def test_tree_digest_streams_and_stops_at_the_limit(tmp_path: Path) -> None:
    """The digest of templates/ is of paths and bytes; a file over the limit is no
    digest (None: nothing kept), a file at the limit is one."""
    from luoshi_cli.fast.results import tree_digest

    (tmp_path / "t").mkdir()
    (tmp_path / "t/a.j2").write_bytes(b"x" * 1000)
    one = tree_digest(tmp_path / "t", 1000)
    assert one is not None and one == tree_digest(tmp_path / "t", 1000)
    (tmp_path / "t/a.j2").write_bytes(b"x" * 999 + b"y")
    assert tree_digest(tmp_path / "t", 1000) not in (None, one)
    (tmp_path / "t/a.j2").write_bytes(b"x" * 1001)
    assert tree_digest(tmp_path / "t", 1000) is None


# ---- D1, D5, D3: schema --vscode and the files schema writes -----------------------

SCHEMA_FILES = ("config", "units", "tasks", "scheme", "record", "supervision")


@pytest.mark.parametrize("text,zh,en", [
    ("[" * 100000 + "]" * 100000 + "\n", "无法按 JSON 读取",
     "is not plain JSON luoshi can merge into and was left as it is"),
    ('{"x": "' + "a" * (2 << 20) + '"}\n', "大于 1 MB，luoshi 不读取",
     "is over 1 MB, which luoshi does not read, and was left as it is"),
], ids=["nested", "huge"])
def test_schema_vscode_leaves_settings_it_cannot_merge(cli: Cli, example: Path, text: str,
                                                      zh: str, en: str) -> None:
    """A `.vscode/settings.json` of 100,000 `[` then 100,000 `]` was an internal error
    (RecursionError) after the six schema files were written; one of any size was read
    whole (1 GiB: 2-3 GB of memory; 2 MB of valid JSON here was parsed and rewritten).
    Both get the note saying what to add (exit 0), over 1 MB unread, and are left as
    they were."""
    settings = example / ".vscode/settings.json"
    settings.parent.mkdir()
    settings.write_text(text, encoding="utf-8")
    r = cli("schema", "--ledger", example, "--vscode")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1].startswith(
        f"luoshi: {settings} {zh}，未修改：请在其中的 \"yaml.schemas\" 加上 "
        '{"./.luoshi/schema/config.schema.json"')
    assert settings.read_text(encoding="utf-8") == text
    r = cli("schema", "--ledger", example, "--vscode", "--lang", "en")
    assert r.stderr.splitlines()[-1].startswith(f"luoshi: {settings} {en}: add {{")
    assert settings.read_text(encoding="utf-8") == text


def test_schema_vscode_merges_settings_of_1_mb(cli: Cli, example: Path) -> None:
    settings = example / ".vscode/settings.json"
    settings.parent.mkdir()
    # one of 1 MB exactly is read and merged
    settings.write_text('{"x": "' + "a" * ((1 << 20) - 9) + '"}', encoding="utf-8")
    assert settings.stat().st_size == 1 << 20
    r = cli("schema", "--ledger", example, "--vscode")
    assert r.stderr.splitlines()[-1] == f"luoshi: 已在 {settings} 中合并 yaml.schemas（其余设置保留）"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs: POSIX")
def test_schema_fifo_in_its_own_files_place(cli: Cli, example: Path) -> None:
    """A FIFO committed where `schema` writes its own file was refused with advice to
    "leave out -o and redirect stdout", though no -o was given; with --vscode the six
    schema files were written before the refusal.  Now the advice fits a file luoshi
    names itself, and the set of schema files (and with --vscode settings.json) is
    refused before any is written (config and units were written before)."""
    fifo = example / ".luoshi/schema/tasks.schema.json"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    r = cli("schema", "--ledger", example)
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {fifo} 是命名管道（FIFO），不是普通文件：luoshi 要在这里写入它自己的文件"
        "（临时文件 + 重命名），会替换掉它；请删除它或改名后再运行\n"))
    en = cli("schema", "--ledger", example, "--lang", "en")
    assert en.stderr == (
        f"luoshi: {fifo} is a FIFO, not a regular file: luoshi writes a file of its own "
        "there (a temporary file renamed over it), which would replace it; remove or rename "
        "it, then run again\n")
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["tasks.schema.json"]
    fifo.unlink()
    settings = example / ".vscode/settings.json"
    settings.parent.mkdir()
    os.mkfifo(settings)
    r = cli("schema", "--ledger", example, "--vscode")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {settings} 是命名管道（FIFO），不是普通文件：luoshi 要在这里写入它自己的文件"
        "（临时文件 + 重命名），会替换掉它；请删除它或改名后再运行\n"))
    assert not any((example / ".luoshi/schema" / f"{k}.schema.json").exists()
                   for k in SCHEMA_FILES)


# ---- D7: import tasks --map FILE ----------------------------------------------------

@pytest.fixture
def workbook(cli: Cli, example: Path, tmp_path: Path) -> Path:
    book = tmp_path / "w.xlsx"
    assert cli("export", example, "-o", book, "--as-of", "2021-06-30").exit_code == 0
    return book


@pytest.mark.parametrize("name,text,zh,en", [
    ("deep.map.yaml", "title: " + "[" * 2000 + "]" * 2000 + "\n",
     "deep.map.yaml:1:207: 嵌套层数超过 200：台账不需要这么深的结构，请检查括号是否配对",
     "deep.map.yaml:1:207: nesting is deeper than 200 levels: ledgers never need that; "
     "check that brackets are balanced"),
    ("esc.map.yaml", "title: 任务名称\n\x1b\n",
     "esc.map.yaml:2:1: YAML 语法错误：此处有 YAML 不允许的字符 U+001B（ESC 控制符）：它看不见，"
     "请删除它（也可以删掉它前后的几个字再重新输入）",
     "esc.map.yaml:2:1: YAML syntax error: a character YAML does not allow here, U+001B "
     "(escape): it is invisible; delete it (or delete the words around it and type them "
     "again)"),
    ("bad.map.yaml", "title: [a\n",
     "bad.map.yaml:1:8: YAML 语法错误：方括号“[”没有配对的“]”，或者列表的两项之间缺少逗号：请检查这一行的方括号",
     "bad.map.yaml:1:8: YAML syntax error: the bracket \"[\" is never closed, or two items "
     "lack a comma between them: check the brackets of this line"),
])
def test_import_map_that_is_no_yaml_is_one_line(cli: Cli, example: Path, workbook: Path,
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                name: str, text: str, zh: str,
                                                en: str) -> None:
    """A --map nested 2,000 deep was an internal error (RecursionError); one with an
    ESC byte, or a bracket never closed, quoted PyYAML's English (`in "<unicode
    string>", position 12`) in the Chinese message.  The map is read as ledger files
    are: one line, file:line:col, the clerk's words in the clerk's language, exit 2."""
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(text, encoding="utf-8")
    r = cli("import", "tasks", workbook, example, "--map", name, "-o", "out.yaml")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {zh}\n")
    r = cli("import", "tasks", workbook, example, "--map", name, "-o", "out.yaml",
            "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, f"luoshi: {en}\n")
    assert not Path("out.yaml").exists()


# ---- D8: openpyxl's own warnings ------------------------------------------------------

_X14 = ('<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="0" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '</x14:dataValidations></ext></extLst>')


def _with_x14(src: Path, dst: Path) -> Path:
    """`src` with the x14 data-validation extension Excel writes for a list validation
    that refers to another sheet, in its first sheet."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", _X14.encode() + b"</worksheet>")
            zout.writestr(info, data)
    return dst


def test_imports_print_no_python_warning(cli: Cli, example: Path, tmp_path: Path) -> None:
    """A returned sheet with Excel's x14 data-validation extension made `import
    updates` and `import scores` print openpyxl's raw warning ("…/site-packages/
    openpyxl/worksheet/_reader.py:329: UserWarning: Data Validation extension is not
    supported and will be removed", then "  warn(msg)"): luoshi only reads values,
    so nothing of it reaches the clerk.  (A real process: pytest records warnings.)"""
    import openpyxl

    assert cli("export", example, "--per-unit", "-o", tmp_path / "pu",
               "--as-of", "2021-06-30").exit_code == 0
    book = _with_x14(tmp_path / "pu/东区管委会.xlsx", tmp_path / "updates.xlsx")
    r = run_limited(["import", "updates", str(book), "--ledger", str(example), "--dry-run"])
    assert_clean_exit(r)
    assert "Warning" not in r.stderr and "warn(" not in r.stderr, r.stderr
    assert r.code == 0, r.stderr
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "service"])
    ws.append(["龙背街道", 88])
    wb.save(tmp_path / "s.xlsx")
    book = _with_x14(tmp_path / "s.xlsx", tmp_path / "scores.xlsx")
    r = run_limited(["import", "scores", str(book), str(example), "--period", "2021-Q2",
                     "--dry-run"])
    assert_clean_exit(r)
    assert "Warning" not in r.stderr and "warn(" not in r.stderr, r.stderr
    assert r.code == 0, r.stderr


# ---- D9: doc_no's placeholders ----------------------------------------------------------

@pytest.mark.parametrize("doc_no,bad", [
    ("渭高考办通〔{yaer}〕{n}号", "{yaer}"),
    ("渭高考办通〔{year}〕{N}号", "{N}"),
    ("渭高考办通〔｛year｝〕{n}号", "｛year｝"),
    ("渭高考办通〔{year〕{n}号", "{"),
])
def test_doc_no_with_an_unknown_placeholder_is_a_finding(cli: Cli, example: Path, doc_no: str,
                                                         bad: str) -> None:
    """A slip in doc_no's placeholders passed validate and was printed as the 文号
    (`渭高考办通〔{yaer}〕2号`): LS120 at doc_no (luoshi.yaml line 16, col 9), naming the
    slip and the two placeholders luoshi fills in.  A warning (review 28 defect 4: as an
    error it refused status and score, which print no 文号), so validate --strict fails
    CI; the bulletin that would print it is refused in one line, exit 2."""
    cfg = example / "luoshi.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("doc_no: 渭高考办通〔{year}〕{n}号", f"doc_no: {doc_no}", 1),
                   encoding="utf-8")
    r = cli("validate", example, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stdout
    assert (f"luoshi.yaml:16:9: warning LS120 doc_no 的值 {doc_no} 中的 {bad} 不是 luoshi 认识的"
            "占位符：只有 {year}（成文年份）和 {n}（期号，--issue）会被替换，须用半角花括号、小写；"
            "其他写法会原样印在通报的文号中") in r.stdout
    assert cli("validate", example, "--as-of", "2021-06-30", "--strict").exit_code == 1
    en = cli("validate", example, "--as-of", "2021-06-30", "--lang", "en")
    assert (f"luoshi.yaml:16:9: warning LS120 doc_no: {bad} in {doc_no} is no placeholder "
            "luoshi knows: only {year} (the year of issue) and {n} (the issue number, "
            "--issue) are filled in, with ASCII braces, in lower case; anything else is "
            "printed as written in the bulletin's document number") in en.stdout
    b = cli("bulletin", example, "--quarter", "Q2", "--issue", "2")
    assert (b.exit_code, b.stdout) == (2, "")
    assert b.stderr.splitlines()[-1] == (
        f"luoshi: 文号 {doc_no} 中的 {bad} 不是 luoshi 认识的占位符，会原样印在通报上：请改正 "
        "luoshi.yaml 的 doc_no（只有 {year} 和 {n} 会被替换，须用半角花括号、小写）")
    b = cli("bulletin", example, "--quarter", "Q2", "--issue", "2", "--lang", "en")
    assert (b.exit_code, b.stdout) == (2, "")
    assert b.stderr.splitlines()[-1] == (
        f"luoshi: {bad} in the document number {doc_no} is no placeholder luoshi knows and "
        "would be printed as written: correct luoshi.yaml's doc_no (only {year} and {n} "
        "are filled in, with ASCII braces, in lower case)")


def test_a_doc_no_slip_stops_only_the_bulletin_that_prints_it(cli: Cli, example: Path) -> None:
    """Review 28 defect 4: with `doc_no: 渭高考办通〔{year}〕{N}号` (LS120), status and
    score (no 文号 printed) refused the ledger, exit 1, and so did a bulletin whose
    --doc-no replaces doc_no; the same slip typed as --doc-no on a clean ledger was
    printed as written, exit 0.  Now status, score and the overriding bulletin run,
    and a slip in --doc-no is refused as one in doc_no."""
    clean = cli("bulletin", example, "-q", "Q2", "--issue", "2",
                "--doc-no", "渭高考办通〔{year}〕{N}号")
    assert (clean.exit_code, clean.stdout) == (2, ""), clean.stdout
    assert clean.stderr.splitlines()[-1] == (
        "luoshi: 文号 渭高考办通〔{year}〕{N}号 中的 {N} 不是 luoshi 认识的占位符，会原样印在"
        "通报上：请改正 --doc-no（只有 {year} 和 {n} 会被替换，须用半角花括号、小写）")
    cfg = example / "luoshi.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("{n}号", "{N}号", 1), encoding="utf-8")
    r = cli("status", example, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    r = cli("score", example, "-q", "Q2")
    assert r.exit_code == 0, r.stderr
    r = cli("bulletin", example, "-q", "Q2", "--doc-no", "渭高考办通〔2021〕2号")
    assert r.exit_code == 0, r.stderr
    assert "渭高考办通〔2021〕2号" in r.stdout


def test_doc_no_placeholders_as_documented_pass(cli: Cli, example: Path) -> None:
    r = cli("validate", example, "--as-of", "2021-06-30")
    assert "LS120" not in r.stdout
    b = cli("bulletin", example, "--quarter", "Q2", "--issue", "2")
    assert "渭高考办通〔2021〕2号" in b.stdout


# ---- D4: a luoshi.yaml that is no file ---------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs: POSIX")
@pytest.mark.parametrize("kind", ["fifo", "dangling", "device"])
def test_config_that_is_no_file_says_what_it_is(cli: Cli, example: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                kind: str) -> None:
    """A luoshi.yaml that is a FIFO, a device or a dangling link got "has no
    luoshi.yaml (to start one, run: luoshi init work)", and that init then failed (the
    directory is not empty).  It says what the luoshi.yaml is, as for a directory,
    whether the ledger is named or found from the current directory; a FIFO is never
    opened (no hang)."""
    cfg = example / "luoshi.yaml"
    cfg.unlink()
    if kind == "fifo":
        os.mkfifo(cfg)
        zh, en = "命名管道（FIFO）", "a FIFO"
    elif kind == "dangling":
        cfg.symlink_to("nowhere.yaml")
        zh, en = "指向不存在的文件（nowhere.yaml）的符号链接", "a symbolic link to a missing file (nowhere.yaml)"
    else:
        try:
            os.mknod(cfg, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("mknod needs root")
        zh, en = "字符设备", "a character device"
    r = cli("validate", example)
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {cfg} 是{zh}，不是普通文件：台账的 luoshi.yaml 必须是普通文件；请把它删除或改名，"
        "再写入 luoshi.yaml（luoshi init 可生成示例）\n"))
    r = cli("status", example, "--lang", "en")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: {cfg} is {en}, not a regular file: a ledger's luoshi.yaml must be a "
        "regular file; remove or rename it, then write luoshi.yaml (luoshi init writes "
        "an example)\n"))
    monkeypatch.chdir(example)
    r = cli("validate")
    assert (r.exit_code, r.stderr) == (2, (
        f"luoshi: luoshi.yaml 是{zh}，不是普通文件：台账的 luoshi.yaml 必须是普通文件；请把它删除或改名，"
        "再写入 luoshi.yaml（luoshi init 可生成示例）\n"))
