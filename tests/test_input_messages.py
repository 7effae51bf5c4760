"""What `luoshi validate` tells a clerk about damaged input: each finding names the
real cause at its own place, with advice that does not make things worse (audit A).

The ledgers are the case folders under tests/cases/invalid/ (their expected.txt holds
one language); here the other language, and variants a case folder cannot hold."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

CASES = Path(__file__).parent / "cases" / "invalid"


def _lines(cli: Callable[..., Run], root: Path, lang: str, as_of: str = "2024-05-31",
           monkeypatch: pytest.MonkeyPatch | None = None) -> list[str]:
    if monkeypatch is not None:
        monkeypatch.chdir(root)
        root = Path(".")
    run = cli("validate", root, "--as-of", as_of, "--lang", lang)
    assert run.exit_code == 1
    return run.stdout.splitlines()


def _copy(case: str, tmp_path: Path) -> Path:
    dst = tmp_path / case
    shutil.copytree(CASES / case / "ledger", dst)
    return dst


# ---- 1. encodings ------------------------------------------------------------------------

def test_a_gbk_phrase_in_a_utf8_file_is_named_where_it_is_never_convert_the_file(
        cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    """`iconv -f GB18030` on a UTF-8 file with one pasted GBK phrase "succeeds" and
    turns every correct character into mojibake: the advice is to retype the phrase."""
    lines = _lines(cli, CASES / "gbk-pasted-phrase" / "ledger", "en", monkeypatch=monkeypatch)
    assert lines == [
        "tasks/econ.yaml:2:16: error LS005 the file is not valid UTF-8 text (the 8 bytes from "
        "line 2, column 16 are not valid UTF-8; they look like text pasted in the GBK "
        "encoding: \"开工建设\"): the rest of the file is correct UTF-8, so do not convert the "
        "whole file: delete the garbled characters there in your editor, type the text "
        "again and save as UTF-8"]


def test_a_few_gbk_bytes_in_a_short_file_are_not_a_gbk_file(
        cli: Callable[..., Run], write: Callable[..., Path]) -> None:
    """The audit's file: 405 bytes, 14 good Chinese characters, "中文" pasted as GBK
    (the 20:1 rule called it a GB18030 file)."""
    good = (CASES.parent / "valid" / "task-ledger" / "ledger")
    files: dict[str, str | bytes] = {
        rel: (good / rel).read_text(encoding="utf-8") for rel in ("luoshi.yaml", "units.yaml")}
    task = (good / "tasks" / "econ.yaml").read_text(encoding="utf-8")
    files["tasks/econ.yaml"] = task.encode().replace(
        "推进重点项目开工建设".encode(), "推进".encode() + "中文".encode("gbk"))
    root = write(files)
    assert _lines(cli, root, "zh") == [
        "tasks/econ.yaml:2:12: error LS005 文件不是有效的 UTF-8 文本（第 2 行第 12 列起的 4 个"
        "字节不是有效的 UTF-8，看起来是以 GBK 编码粘贴进来的文字“中文”）：文件其余部分是正确的 "
        "UTF-8，请不要转换整个文件；请在编辑器中删除该处的乱码字符，重新输入这段文字，再以 UTF-8 保存"]


def test_a_whole_gbk_file_is_still_one_to_convert(cli: Callable[..., Run],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(cli, CASES / "gbk-encoding" / "ledger", "zh", monkeypatch=monkeypatch)
    assert lines == [
        "tasks/gbk.yaml:1:1: error LS004 文件不是 UTF-8 编码（看起来是 GB18030 (GBK)）：请转换为 "
        "UTF-8，例如 iconv -f GB18030 -t UTF-8 tasks/gbk.yaml -o tasks/gbk.yaml.utf8，打开 "
        "tasks/gbk.yaml.utf8 确认文字无误后再 mv tasks/gbk.yaml.utf8 tasks/gbk.yaml，或在编辑器中"
        "“另存为 UTF-8”"]


@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "hb/tasks/gbk.yaml:1:1: error LS004 文件不是 UTF-8 编码（看起来是 GB18030 (GBK)）："
           "请转换为 UTF-8，例如 iconv -f GB18030 -t UTF-8 hb/tasks/gbk.yaml -o "
           "hb/tasks/gbk.yaml.utf8，打开 hb/tasks/gbk.yaml.utf8 确认文字无误后再 mv "
           "hb/tasks/gbk.yaml.utf8 hb/tasks/gbk.yaml，或在编辑器中“另存为 UTF-8”"),
    ("en", "hb/tasks/gbk.yaml:1:1: error LS004 the file is not UTF-8 (it looks like GB18030 "
           "(GBK)): convert it, e.g. iconv -f GB18030 -t UTF-8 hb/tasks/gbk.yaml -o "
           "hb/tasks/gbk.yaml.utf8, check that the text in hb/tasks/gbk.yaml.utf8 reads "
           "right, then mv hb/tasks/gbk.yaml.utf8 hb/tasks/gbk.yaml, or 'Save as UTF-8' in "
           "your editor"),
])
def test_the_convert_command_names_the_file_as_the_finding_does(
        cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        lang: str, text: str) -> None:
    """Run from the ledger's parent, the finding is `hb/tasks/gbk.yaml`: the iconv and mv
    it gives must name that path too, or the pasted command finds no file.  JSON keeps
    ledger-relative paths, in the file field and in the command alike."""
    import json

    shutil.copytree(CASES / "gbk-encoding" / "ledger", tmp_path / "hb")
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "hb", "--as-of", "2024-05-31", "--lang", lang)
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [text]
    run = cli("validate", "hb", "--as-of", "2024-05-31", "--lang", lang, "--format", "json")
    [item] = json.loads(run.stdout)
    assert item["file"] == "tasks/gbk.yaml"
    assert item["message"] == text.split(" LS004 ", 1)[1].replace("hb/tasks/", "tasks/")


@pytest.mark.parametrize(("name", "shell"), [
    ("有 空格.yaml", "'tasks/有 空格.yaml'"), ("it's.yaml", "'tasks/it'\"'\"'s.yaml'"),
    ("a$b.yaml", "'tasks/a$b.yaml'"), ("经济.yaml", "tasks/经济.yaml")])
def test_the_convert_command_quotes_the_file_name(
        cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        name: str, shell: str) -> None:
    """The iconv and mv commands name the file as a shell word: `iconv … tasks/有 空格.yaml
    -o tasks/有 空格.yaml.utf8` was five words to the shell.  The command, pasted, converts
    the file."""
    import subprocess

    shutil.copytree(CASES / "gbk-encoding" / "ledger", tmp_path / "hb")
    (tmp_path / "hb" / "tasks" / "gbk.yaml").rename(tmp_path / "hb" / "tasks" / name)
    monkeypatch.chdir(tmp_path / "hb")
    run = cli("validate", "--as-of", "2024-05-31")
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [
        f"tasks/{name}:1:1: error LS004 文件不是 UTF-8 编码（看起来是 GB18030 (GBK)）：请转换为 "
        f"UTF-8，例如 iconv -f GB18030 -t UTF-8 {shell} -o {shell}.utf8，打开 "
        f"tasks/{name}.utf8 确认文字无误后再 mv {shell}.utf8 {shell}，或在编辑器中“另存为 UTF-8”"]
    command = run.stdout.split("例如 ", 1)[1].split("，打开", 1)[0]
    if shutil.which("iconv"):
        subprocess.run(["sh", "-c", command], check=True)
        assert "推进重点项目开工建设" in (tmp_path / "hb" / "tasks" / f"{name}.utf8").read_text(
            encoding="utf-8")


def test_the_not_a_ledger_advice_quotes_the_path(cli: Callable[..., Run], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """`luoshi validate "有 空格 台账/tasks/city.yaml"` advised `luoshi validate 有 空格 台账`
    and `luoshi validate "empty dir"` `luoshi init empty dir`: two or three words to the
    shell.  The path in the command is a shell word; the path the message shows is as
    typed."""
    shutil.copytree(CASES.parent / "valid" / "task-ledger" / "ledger", tmp_path / "有 空格 台账")
    (tmp_path / "empty dir").mkdir()
    monkeypatch.chdir(tmp_path)
    r = cli("validate", "有 空格 台账/tasks/econ.yaml")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: 有 空格 台账/tasks/econ.yaml 是一个文件，不是台账目录；它所在的台账是 有 空格 台账："
           "请改为指定台账目录 有 空格 台账（例如 luoshi validate '有 空格 台账'）\n")
    r = cli("validate", "有 空格 台账/tasks", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: 有 空格 台账/tasks is not a ledger root but a folder inside the ledger at "
           "有 空格 台账: pass the ledger directory instead (e.g. luoshi validate '有 空格 台账')\n")
    r = cli("validate", "empty dir")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: empty dir 不是台账目录：缺少 luoshi.yaml（新建台账请运行 luoshi init 'empty dir'）\n")
    r = cli("status", "empty dir", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: empty dir is not a ledger root: it has no luoshi.yaml (to start one, run: "
           "luoshi init 'empty dir')\n")


def test_a_big5_file_is_not_called_gbk(cli: Callable[..., Run],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(cli, CASES / "big5-encoding" / "ledger", "zh", monkeypatch=monkeypatch)
    assert lines == [
        "luoshi.yaml:1:1: error LS004 文件不是 UTF-8 编码（看起来是 Big5（繁体），也可能是 GB18030 "
        "(GBK)）：请转换为 UTF-8，例如 iconv -f BIG5 -t UTF-8 luoshi.yaml -o luoshi.yaml.utf8，"
        "打开 luoshi.yaml.utf8 确认文字无误后再 mv luoshi.yaml.utf8 luoshi.yaml（若转换后是乱码，"
        "请改用 -f GB18030），或在编辑器中“另存为 UTF-8”"]


def test_gbk_that_could_be_big5_says_so(write: Callable[..., Path]) -> None:
    """Short simplified text whose bytes Big5 also decodes: GB18030 first, Big5 named."""
    from luoshi_cli.load.read import decode

    raw = "title: 测试\n".encode("gbk")
    raw.decode("big5")  # the premise: both decode
    text, problem = decode(raw, "luoshi.yaml")
    assert text is None and problem is not None
    assert problem.message("en") == (
        "the file is not UTF-8 (it looks like GB18030 (GBK), or possibly Big5): convert it, "
        "e.g. iconv -f GB18030 -t UTF-8 luoshi.yaml -o luoshi.yaml.utf8, check that the text "
        "in luoshi.yaml.utf8 reads right, then mv luoshi.yaml.utf8 luoshi.yaml (if the result "
        "reads as gibberish, use -f BIG5 instead), or 'Save as UTF-8' in your editor")


# ---- 2. YAML 1.1 traps in mapping keys ---------------------------------------------------

def test_key_traps_quote_what_was_written_at_the_key(cli: Callable[..., Run],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(cli, CASES / "yaml11-key-traps" / "ledger", "zh", monkeypatch=monkeypatch)
    assert [ln for ln in lines if "LS016" in ln] == [
        "records/2024-Q1.yaml:5:3: error LS016 scores 中的键 0571 会被 YAML 读成八进制数字 377，"
        "这里需要文本：请加引号写成 \"0571\"",
        "records/2024-Q1.yaml:6:3: error LS016 scores 中的键 no 会被 YAML 读成布尔值 false，"
        "这里需要文本：请加引号写成 \"no\"",
        "records/2024-Q1.yaml:13:3: error LS016 quality 中的键 1.10 会被 YAML 读成数字 1.1，"
        "这里需要文本：请加引号写成 \"1.10\""]


def test_quoted_key_traps_are_text(cli: Callable[..., Run], tmp_path: Path) -> None:
    root = _copy("yaml11-key-traps", tmp_path)
    rec = root / "records" / "2024-Q1.yaml"
    rec.write_text(rec.read_text(encoding="utf-8").replace("  0571:", '  "0571":').replace(
        "  no:", "  'no':").replace("  1.10:", '  "1.10":'), encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert "LS016" not in run.stdout


def test_other_plain_keys_are_placed_on_the_key(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Hexadecimal, boolean and null keys are found by the value YAML 1.2 gives them."""
    root = _copy("yaml11-key-traps", tmp_path)
    rec = root / "records" / "2024-Q1.yaml"
    rec.write_text(rec.read_text(encoding="utf-8") + "  0x1F: 70\n  true: 60\n  ~: 50\n",
                   encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert [ln for ln in run.stdout.splitlines() if "LS016" in ln][2:] == [
        "records/2024-Q1.yaml:13:3: error LS016 a key under quality: 1.10 is read by YAML as "
        "the number 1.1, but text is expected here: quote it as \"1.10\"",
        "records/2024-Q1.yaml:14:3: error LS016 a key under quality: 0x1F is read by YAML as "
        "the number 31, but text is expected here: quote it as \"0x1F\"",
        "records/2024-Q1.yaml:15:3: error LS016 a key under quality: true is read by YAML as "
        "the boolean true, but text is expected here: quote it as \"true\"",
        "records/2024-Q1.yaml:16:3: error LS016 a key under quality: ~ is read by YAML as "
        "an empty value, but text is expected here: quote it as \"~\""]


# ---- 3. one broken entry is one finding, not one per reference ---------------------------

def test_references_to_an_unread_entry_are_not_unknown(cli: Callable[..., Run],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit without a name, a unit id in capitals, a leader and a category without
    a name: each is reported at the entry; the task naming them gets no LS110/LS111/
    LS112 "add it to units.yaml" for what is there."""
    lines = _lines(cli, CASES / "unread-entries" / "ledger", "zh", monkeypatch=monkeypatch)
    assert lines == [
        "luoshi.yaml:5:5: error LS102 类别 econ 缺少必需的键 name：请补上",
        "units.yaml:2:5: error LS102 单位 fgw 缺少必需的键 name：请补上",
        "units.yaml:2:15: error LS101 单位 fgw 中有未知的键 nmae（是不是 name？）：请检查拼写，或删除它",
        "units.yaml:3:10: error LS104 id 的值 ZhangJiaCun 不是合法的标识：只能用半角小写字母、数字和 _ -，以字母或数字开头",
        "units.yaml:6:5: error LS102 领导 li-fuqu 缺少必需的键 name：请补上"]


def test_a_reference_to_a_truly_unknown_unit_is_still_reported(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    root = _copy("unread-entries", tmp_path)
    task = root / "tasks" / "econ.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("lead: fgw", "lead: fgww"),
                    encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert [ln for ln in run.stdout.splitlines() if "LS110" in ln] == [
        "tasks/econ.yaml:4:9: error LS110 task T-001 names unknown unit fgww: add it to "
        "units.yaml or correct the spelling"]


def test_a_rule_naming_a_grade_when_there_are_none(cli: Callable[..., Run],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(cli, CASES / "no-grades" / "ledger", "en", monkeypatch=monkeypatch)
    assert lines[1] == (
        "scheme.yaml:36:65: error LS117 rule style-cap names unknown grade 一般: the grades "
        "are none: scheme.yaml defines no grades yet; define them under grades first")


def test_tasks_wrapped_in_a_key_are_one_finding_at_the_wrapper(
        cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    """`tasks:` above the list: before, `LS101 任务中有未知的键 tasks（是不是 tags？）`,
    ten `LS102 任务缺少必需的键 …` and an `LS116` for the record's quality score of
    T-001, which is in the list.  Now the one finding, at the wrapper's line, with the
    fix; the record's reference is not called unknown (the file is unread)."""
    lines = _lines(cli, CASES / "tasks-wrapped-in-a-key" / "ledger", "en",
                   monkeypatch=monkeypatch)
    assert [ln for ln in lines if "error" in ln] == [
        "tasks/econ.yaml:1:1: error LS103 tasks should be a task mapping or a list of tasks, "
        "not a mapping (the list of tasks is under the key tasks): delete the line 'tasks:' "
        "and shift the lines under it left together, so that each task's '- id:' starts its "
        "line (a task file is itself the list of tasks)"]


def test_the_wrappers_fix_followed_literally_validates(cli: Callable[..., Run],
                                                       tmp_path: Path) -> None:
    root = _copy("tasks-wrapped-in-a-key", tmp_path)
    task = root / "tasks" / "econ.yaml"
    text = task.read_text(encoding="utf-8").replace("任务:", "tasks:")
    task.write_text("".join(ln[2:] + "\n" for ln in text.splitlines()[1:]), encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert "error" not in run.stdout, run.stdout


def test_a_wrapper_of_any_name_is_named_as_written(cli: Callable[..., Run],
                                                   tmp_path: Path) -> None:
    root = _copy("tasks-wrapped-in-a-key", tmp_path)
    task = root / "tasks" / "econ.yaml"
    task.write_text("# 重点任务\n" + task.read_text(encoding="utf-8").replace("tasks:", "任务清单:"),
                    encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31")
    assert [ln for ln in run.stdout.splitlines() if "LS1" in ln] == [
        "tasks/econ.yaml:2:1: error LS103 tasks 应为任务映射或任务列表，实际是映射（任务列表写在键 "
        "任务清单 之下）：请删去“任务清单:”这一行，并把下面各行一起左移，使每个任务的“- id:”顶格"
        "（任务文件本身就是任务列表）"]


def test_every_key_around_the_wrapped_tasks_is_named(cli: Callable[..., Run],
                                                     tmp_path: Path) -> None:
    """Two wrappers (重点:, 民生:) or a key beside one (version: 2): naming the first
    wrapper alone left the others in the list the fix asked for (LS010 or a YAML
    error when followed).  Every key of the mapping is named."""
    root = _copy("tasks-wrapped-in-a-key", tmp_path)
    task = root / "tasks" / "econ.yaml"
    task.write_text("version: 2\n" + task.read_text(encoding="utf-8").replace("tasks:", "重点:"),
                    encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31")
    assert [ln for ln in run.stdout.splitlines() if "LS1" in ln] == [
        "tasks/econ.yaml:2:1: error LS103 tasks 应为任务映射或任务列表，实际是映射（任务列表写在键 "
        "重点 之下）：请删去“version:”、“重点:”这几行，并把下面各行一起左移，使每个任务的“- id:”顶格"
        "（任务文件本身就是任务列表）"]


def test_a_task_written_with_chinese_keys_still_gets_each_keys_name(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """Guard: a mapping of no task key that holds no list of tasks is read as one
    task, as before, so `编号` still gets "是不是 id？"."""
    root = _copy("tasks-wrapped-in-a-key", tmp_path)
    (root / "tasks" / "econ.yaml").write_text("编号: T-001\n标题: 推进重点项目开工建设\n",
                                              encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31")
    assert [ln for ln in run.stdout.splitlines() if ln.startswith("tasks/")][:2] == [
        "tasks/econ.yaml:1:1: error LS101 任务中有未知的键 编号（是不是 id？键名要用英文写）：请检查拼写，或删除它",
        "tasks/econ.yaml:1:1: error LS102 任务缺少必需的键 id：请补上"]


def test_a_task_file_of_plain_text_leaves_task_references_unjudged(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """A task file whose whole content is one text (a damaged or overwritten file)
    is read as no task: its LS103 is the finding, and the record's quality score of
    T-001 — which that file may have held — is not called unknown (as for a file
    that cannot be read at all)."""
    root = _copy("tasks-wrapped-in-a-key", tmp_path)
    (root / "tasks" / "econ.yaml").write_text("推进重点项目开工建设\n", encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert [ln for ln in run.stdout.splitlines() if "error" in ln] == [
        "tasks/econ.yaml:1:1: error LS103 tasks should be a task mapping or a list of tasks, "
        "not text: correct it"]


# ---- 4. "did you mean": the fewest edits, a transposition counting as one ----------------

def test_a_transposed_key_is_suggested_by_its_transposition(
        cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(cli, CASES / "transposed-key" / "ledger", "zh", monkeypatch=monkeypatch)
    assert lines[0] == (
        "tasks/econ.yaml:10:43: error LS101 序时节点中有未知的键 dnoe（是不是 done？）：请检查拼写，或删除它")


@pytest.mark.parametrize("written,allowed,meant", [
    ("dnoe", ["due", "standard", "done", "note", "target"], "done"),
    ("nodt", ["due", "standard", "done", "note", "target"], "note"),
    ("standrad", ["due", "standard", "done", "note", "target"], "standard"),
    ("stauts", ["status", "start", "standard"], "status"),
    ("xyz", ["due", "standard", "done", "note", "target"], None),
    ("milestone", ["milestones", "lead"], "milestones"),
])
def test_closest_key(written: str, allowed: list[str], meant: str | None) -> None:
    from luoshi_cli.load.schema import closest_key

    assert closest_key(written, allowed) == meant


# ---- 5. a file or folder given where the ledger root belongs -----------------------------

def test_a_file_inside_a_ledger_names_the_ledger(cli: Callable[..., Run], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`luoshi validate base/tasks/econ.yaml` advised `luoshi init base/tasks/econ.yaml`."""
    shutil.copytree(CASES.parent / "valid" / "task-ledger" / "ledger", tmp_path / "base")
    monkeypatch.chdir(tmp_path)
    r = cli("validate", "base/tasks/econ.yaml")
    assert (r.exit_code, r.stdout, r.stderr) == (
        2, "", "luoshi: base/tasks/econ.yaml 是一个文件，不是台账目录；它所在的台账是 base："
               "请改为指定台账目录 base（例如 luoshi validate base）\n")
    r = cli("status", "base/tasks/econ.yaml", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: base/tasks/econ.yaml is a file, not a ledger root; it is in the ledger "
           "at base: pass the ledger directory instead (e.g. luoshi validate base)\n")
    r = cli("validate", "base/tasks", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: base/tasks is not a ledger root but a folder inside the ledger at base: "
           "pass the ledger directory instead (e.g. luoshi validate base)\n")
    (tmp_path / "loose.yaml").write_text("x: 1\n", encoding="utf-8")
    r = cli("validate", "loose.yaml")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: loose.yaml 是一个文件，不是台账目录，它的上级目录中也没有 luoshi.yaml："
           "请指定台账目录（含有 luoshi.yaml 的目录）\n")


def test_a_directory_called_luoshi_yaml_is_named(cli: Callable[..., Run], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "led" / "luoshi.yaml").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    expected = ("luoshi: led/luoshi.yaml 是一个目录，不是文件：台账的 luoshi.yaml 必须是文件；"
                "请把这个目录改名或移走，再写入 luoshi.yaml（luoshi init 可生成示例）\n")
    assert cli("validate", "led").stderr == expected
    assert cli("validate", "led/luoshi.yaml").stderr == expected
    monkeypatch.chdir(tmp_path / "led")
    r = cli("validate", "--lang", "en")
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: luoshi.yaml is a directory, not a file: a ledger's luoshi.yaml must be a "
           "file; rename or move the directory, then write luoshi.yaml (luoshi init writes an "
           "example)\n")


# ---- 6. written twice, or written empty --------------------------------------------------

def test_duplicate_grades_leaders_and_an_empty_checklist(
        cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(cli, CASES / "duplicates-and-empty-lists" / "ledger", "zh",
                   monkeypatch=monkeypatch)
    assert lines == [
        "scheme.yaml:21:50: error LS303 指标 hotline 的评分细项合计为 0 分，应为 100 分：请核对分值",
        "scheme.yaml:37:12: error LS108 等次 良好 重复（第一次定义于 scheme.yaml:36）：标识必须唯一，"
        "请改名或删除一个",
        "tasks/econ.yaml:6:22: error LS108 任务 T-001 的分管领导 li-fuqu 重复（第一次定义于 "
        "tasks/econ.yaml:6）：标识必须唯一，请改名或删除一个"]


def test_a_rule_lists_each_grade_once(cli: Callable[..., Run], tmp_path: Path) -> None:
    root = _copy("duplicates-and-empty-lists", tmp_path)
    scheme = root / "scheme.yaml"
    scheme.write_text(scheme.read_text(encoding="utf-8").replace("max_grade: 良好",
                                                                 "max_grade: 一般"),
                      encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert [ln for ln in run.stdout.splitlines() if "LS117" in ln] == [
        "scheme.yaml:40:65: error LS117 rule style-cap names unknown grade 一般: the grades "
        "are 优秀 | 良好 | 较差"]


def test_a_plain_no_key_alone_is_a_trap(cli: Callable[..., Run], tmp_path: Path) -> None:
    """With nothing else in the file to report, the fast reader's mapping must not
    take `no:` for an ordinary key."""
    root = _copy("yaml11-key-traps", tmp_path)
    rec = root / "records" / "2024-Q1.yaml"
    rec.write_text(rec.read_text(encoding="utf-8").replace("  0571:", '  "0571":').replace(
        "  1.10:", '  "1.10":'), encoding="utf-8")
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en")
    assert [ln for ln in run.stdout.splitlines() if "LS016" in ln] == [
        "records/2024-Q1.yaml:6:3: error LS016 a key under scores: no is read by YAML as the "
        "boolean false, but text is expected here: quote it as \"no\""]


@pytest.mark.parametrize("pasted,col,size,phrase", [
    ("中文".encode("gbk") + "项目".encode(), 6, 4, "中文"),  # correct UTF-8 typed right after
    ("项目".encode() + "中文".encode("gbk"), 8, 4, "中文"),
    ("（补充说明）".encode("gbk") + "。".encode(), 6, 12, "（补充说明）"),
])
def test_the_pasted_phrase_is_quoted_alone(pasted: bytes, col: int, size: int,
                                           phrase: str) -> None:
    from luoshi_cli.load.read import decode

    raw = "- id: T\n  title: 推进重点项目开工建设\n  note: 已完成\n".encode() + b"  x: " + pasted + b"\n"
    text, problem = decode(raw, "t.yaml")
    assert text is None and problem is not None
    assert (problem.code, problem.line, problem.col) == ("LS005", 4, col)
    assert problem.message("en").startswith(
        f"the file is not valid UTF-8 text (the {size} bytes from line 4, column {col} are not "
        f"valid UTF-8; they look like text pasted in the GBK encoding: \"{phrase}\")")
