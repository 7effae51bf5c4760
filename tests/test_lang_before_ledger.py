"""The language of what a command says before it reads its ledger — options checked
first, `-o` refused, Click's usage errors: `--lang`, else the ledger's `language:`
(its LEDGER, else the nearest luoshi.yaml upwards), else LUOSHI_LANG, else zh.  An
English ledger's `luoshi status --as-of 2026-13-01` was refused in Chinese while its
`--unit nobody` was refused in English."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


def _luoshi(cwd: Path, *args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("LUOSHI_LANG", "COLUMNS")}
    return subprocess.run([sys.executable, "-m", "luoshi_cli", *map(str, args)],
                          capture_output=True, text=True, env={**base, "COLUMNS": "80", **env},
                          cwd=cwd, timeout=60)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """luoshi's English starter ledger for 2026."""
    root = tmp_path_factory.mktemp("lang") / "en"
    run = _luoshi(root.parent, "init", root, "--year", "2026", "--lang", "en")
    assert run.returncode == 0, run.stderr
    (root / "tasks" / "sub").mkdir(exist_ok=True)
    return root


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lang") / "zh"
    run = _luoshi(root.parent, "init", root, "--year", "2026")
    assert run.returncode == 0, run.stderr
    return root


REFUSED = [
    (("status", "--as-of", "2026-13-01"),
     "luoshi: --as-of 2026-13-01 is not a real date: a month is 01–12\n"),
    (("score", "--quarter", "Q5"),
     "luoshi: --quarter Q5 is not a quarter: use Q1, Q2, Q3 or Q4\n"),
    (("bulletin", "--month", "2026-13"),
     "luoshi: --month 2026-13 is not valid: a month is 01–12\n"),
    (("score",), "luoshi: give one of --quarter Q1..Q4, --month YYYY-MM or --annual\n"),
    (("supervise",),
     "luoshi: name the unit the notice goes to with --unit (its id or its name)\n"),
    (("bulletin", "--quarter", "Q2", "-o", "/dev/null"),
     "luoshi: /dev/null is a character device, not a regular file: luoshi writes files "
     "atomically (a temporary file renamed over it), which would replace it; to send the "
     "output there, leave out -o and redirect stdout (> /dev/null)\n"),
]


@pytest.mark.parametrize(("args", "stderr"), REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_an_english_ledger_refuses_options_in_english(
        cli: Callable[..., Run], english: Path, args: tuple[str, ...], stderr: str) -> None:
    """Given as LEDGER, and found upwards from a folder inside the ledger."""
    r = cli(*args, english, env={"LUOSHI_LANG": ""})
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", stderr)
    run = _luoshi(english / "tasks" / "sub", *args)
    assert (run.returncode, run.stdout, run.stderr) == (2, "", stderr)


def test_lang_and_the_ledger_come_before_luoshi_lang(
        cli: Callable[..., Run], english: Path, chinese: Path) -> None:
    r = cli("score", "--quarter", "Q5", english, "--lang", "zh")
    assert r.stderr == "luoshi: --quarter 的值 Q5 无效：应为 Q1、Q2、Q3 或 Q4\n"
    r = cli("score", "--quarter", "Q5", chinese, env={"LUOSHI_LANG": "en"})
    assert r.stderr == "luoshi: --quarter 的值 Q5 无效：应为 Q1、Q2、Q3 或 Q4\n"
    # no ledger: LUOSHI_LANG, as before
    r = cli("score", "--quarter", "Q5", chinese / "nowhere", env={"LUOSHI_LANG": "en"})
    assert r.stderr == "luoshi: --quarter Q5 is not a quarter: use Q1, Q2, Q3 or Q4\n"


def test_a_usage_error_is_in_the_ledgers_language(english: Path, chinese: Path) -> None:
    """Click's own refusals (a bad choice): the ledger found upwards, or LEDGER given
    before or after the faulty option."""
    english_error = ("Usage: luoshi status [OPTIONS] [LEDGER]\n"
                     "Try 'luoshi status -h' for help.\n\n"
                     "Error: Invalid value for '--format' / '-f': 'xml' is not one of "
                     "'table', 'json', 'csv'.\n")
    chinese_error = ("用法：luoshi status [OPTIONS] [LEDGER]\n"
                     "运行“luoshi status -h”查看帮助。\n\n"
                     "错误：--format / -f 的值 xml 无效，应为其中之一：table, json, csv。\n")
    for cwd, args in ((english, ("-f", "xml")), (english.parent, (english, "-f", "xml")),
                      (english.parent, ("-f", "xml", english))):
        run = _luoshi(cwd, "status", *args)
        assert (run.returncode, run.stdout, run.stderr) == (2, "", english_error), args
    run = _luoshi(english, "status", "-f", "xml", "--lang", "zh")
    assert (run.returncode, run.stderr) == (2, chinese_error)
    run = _luoshi(chinese, "status", "-f", "xml", LUOSHI_LANG="en")
    assert (run.returncode, run.stderr) == (2, chinese_error)
    run = _luoshi(english, "schema", "-k", "bogus")
    assert run.returncode == 2
    assert run.stderr.splitlines()[0] == "Usage: luoshi schema [OPTIONS]"
    # help reads no ledger: LUOSHI_LANG, else Chinese
    assert _luoshi(english, "status", "-h").stdout.startswith("用法：luoshi status")
    # a command that reads no ledger keeps the language of its help
    run = _luoshi(english, "init", "x", "--bogus")
    assert (run.returncode, run.stderr.splitlines()[-1]) == (2, "错误：没有这个选项：--bogus")


@pytest.mark.parametrize(("content", "language"), [
    (b"title: x\nlanguage: en\n", "en"),
    (b"\xef\xbb\xbftitle: x\r\nlanguage: 'en'   # English\r\n", "en"),
    (b"language: \"zh\"\n", "zh"),
    (b"title: x\n  language: en\n", None),          # not at the top level
    (b"language: fr\n", None),
    (b"language: en\nlanguage: zh\n", None),         # which one is meant is unknown
    (b"\xff\xfe" + "language: en\n".encode("utf-16-le"), None),
    (b"title: " + b"x" * (300 * 1024) + b"\nlanguage: en\n", None),  # past the head read
], ids=["plain", "bom-quoted-comment", "zh", "nested", "fr", "twice", "utf-16", "far"])
def test_the_declared_language_is_read_from_one_line(
        tmp_path: Path, content: bytes, language: str | None) -> None:
    from luoshi_cli.cli.ui import ledger_language

    (tmp_path / "luoshi.yaml").write_bytes(content)
    assert ledger_language(tmp_path) == language
    assert ledger_language(tmp_path / "luoshi.yaml") == language


def test_a_luoshi_yaml_that_is_no_file_is_no_language(tmp_path: Path) -> None:
    """A FIFO would block the read, a directory cannot be read: neither is a language,
    and the command falls back (and says, once it loads, what is wrong)."""
    from luoshi_cli.cli.ui import ledger_language

    os.mkfifo(tmp_path / "luoshi.yaml")
    assert ledger_language(tmp_path) is None
    run = _luoshi(tmp_path, "score", "--quarter", "Q5")
    assert (run.returncode, run.stderr) == (2, "luoshi: --quarter 的值 Q5 无效：应为 Q1、Q2、Q3 或 Q4\n")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "luoshi.yaml").mkdir()
    assert ledger_language(tmp_path / "d") is None
    assert ledger_language(tmp_path / "nowhere") is None
    # a luoshi.yaml that links out of the ledger is not read for its language
    (tmp_path / "outside.yaml").write_text("language: en\n", encoding="utf-8")
    (tmp_path / "l").mkdir()
    (tmp_path / "l" / "luoshi.yaml").symlink_to(tmp_path / "outside.yaml")
    assert ledger_language(tmp_path / "l") is None


def test_usage_errors_in_one_process_each_in_its_own_language(
        english: Path, chinese: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A library or a test builds several commands in one process: each usage error is
    in its own command's language (--lang given before the command too), not in the
    last one's."""
    from luoshi_cli.cli.app import main_command

    def last_line(*argv: str | Path) -> str:
        args = [str(a) for a in argv]
        with pytest.raises(SystemExit) as done:
            main_command(args).main(args, prog_name="luoshi")
        assert done.value.code == 2
        return capsys.readouterr().err.splitlines()[-1]

    english_error = ("Error: Invalid value for '--format' / '-f': 'xml' is not one of "
                     "'table', 'json', 'csv'.")
    chinese_error = "错误：--format / -f 的值 xml 无效，应为其中之一：table, json, csv。"
    assert last_line("status", english, "-f", "xml") == english_error
    assert last_line("status", chinese, "-f", "xml") == chinese_error
    assert last_line("status", english, "-f", "xml") == english_error
    assert last_line("--lang", "zh", "status", english, "-f", "xml") == chinese_error
    assert last_line("status", chinese, "-f", "xml", "--lang", "en") == english_error
