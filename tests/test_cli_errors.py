"""Absurd option values and hostile environments: a one-line error and exit 2, never
"internal error" or a traceback (SPEC §9)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE, Run

#: in one language, the ledger's (Chinese), as a usage error: never both languages
YEAR = "错误：--year 的值 {0} 无效：请写四位数年份（1000–9999）。"


def luoshi(*args: Any, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed entry point in a real process (stdout encoding and all)."""
    return subprocess.run([sys.executable, "-m", "luoshi_cli", *map(str, args)],
                          capture_output=True, env={**os.environ, **(env or {})}, check=False)


# ---- dates and periods ---------------------------------------------------------------


@pytest.mark.parametrize("day", ["1979-12-31", "1900-01-01", "0001-01-01", "2108-01-01",
                                 "9999-12-31"])
def test_export_as_of_outside_what_xlsx_records(cli: Callable[..., Any], tmp_path: Path,
                                                day: str) -> None:
    r = cli("export", EXAMPLE, "-o", tmp_path / "x.xlsx", "--as-of", day, "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == (f"luoshi: --as-of {day} is out of range for export: an .xlsx file "
                        "records dates from 1980-01-01 to 2107-12-31\n")
    assert not (tmp_path / "x.xlsx").exists()


def test_export_as_of_at_the_edges(cli: Callable[..., Any], tmp_path: Path) -> None:
    for day in ("1980-01-01", "2107-12-31"):
        r = cli("export", EXAMPLE, "-o", tmp_path / f"{day}.xlsx", "--as-of", day)
        assert r.exit_code == 0, r.stderr
        assert (tmp_path / f"{day}.xlsx").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("year", ["10000", "-5", "0", "999"])
@pytest.mark.parametrize("command", [("bulletin", "--quarter", "Q1"), ("score", "--quarter", "Q1"),
                                     ("score", "--annual")])
def test_year_out_of_range(command: tuple[str, ...], year: str) -> None:
    r = luoshi(*command, EXAMPLE, "--year", year, env={"LUOSHI_LANG": ""})
    assert r.returncode == 2
    err = r.stderr.decode()
    assert err.splitlines()[-1] == YEAR.format(year)
    assert "four-digit" not in err
    assert r.stdout == b""


@pytest.mark.parametrize(("month", "why"), [
    ("0000-01", "write YYYY-MM, e.g. 2024-05"), ("0999-12", "write YYYY-MM, e.g. 2024-05"),
    ("2024-13", "a month is 01–12"), ("2024-00", "a month is 01–12")])
def test_bulletin_month_out_of_range(cli: Callable[..., Any], month: str, why: str) -> None:
    r = cli("bulletin", EXAMPLE, "--month", month, "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == f"luoshi: --month {month} is not valid: {why}\n"


def test_four_digit_years_at_the_edges_work(cli: Callable[..., Any]) -> None:
    # outside the ledger's year a bulletin needs --allow-other-year (the guard's test is
    # test_bulletin_office.py); here the point is that the years parse
    assert cli("bulletin", EXAMPLE, "--quarter", "q4", "--year", "9999",
               "--allow-other-year").exit_code == 0
    assert cli("bulletin", EXAMPLE, "--month", "1000-01", "--allow-other-year").exit_code == 0


# ---- init targets -----------------------------------------------------------------------


def test_init_into_a_dangling_symlink(cli: Callable[..., Any], tmp_path: Path) -> None:
    link = tmp_path / "ledger"
    link.symlink_to(tmp_path / "gone" / "x")
    r = cli("init", link, "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == (f"luoshi: {link} is a dangling symbolic link (to {tmp_path}/gone/x): "
                        "choose another directory\n")
    assert not (tmp_path / "gone").exists()


def test_init_where_nothing_can_be_written(cli: Callable[..., Any], tmp_path: Path) -> None:
    """Tests run as root, so permissions stop nothing: /proc and a path under a file
    are real OSErrors."""
    r = cli("init", "/proc/luoshi-test", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == "luoshi: cannot write /proc/luoshi-test: No such file or directory\n"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = cli("init", tmp_path / "file" / "ledger", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr == f"luoshi: cannot write {tmp_path}/file/ledger: Not a directory\n"


# ---- --lang and LUOSHI_LANG ---------------------------------------------------------------

BAD_LANG = ("luoshi: --lang {0} 无效：请写 zh（中文）或 en（英文） / --lang {0} is not valid: "
            "write zh (Chinese) or en (English)\n")


@pytest.mark.parametrize("args", [("status", EXAMPLE), ("validate", EXAMPLE), ("init", "x"),
                                  ("schema", "--kind", "tasks"), ("diff", "HEAD"),
                                  ("bulletin", EXAMPLE, "--quarter", "Q2")])
@pytest.mark.parametrize("value", ["fr", "english", "zh-CN"])
def test_lang_other_than_zh_or_en_is_refused(cli: Callable[..., Any], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             args: tuple[Any, ...], value: str) -> None:
    monkeypatch.chdir(tmp_path)
    r = cli(*args, "--lang", value)
    assert r.exit_code == 2
    assert r.stderr == BAD_LANG.format(value)
    assert r.stdout == ""
    assert not (tmp_path / "x").exists()


def test_lang_is_case_insensitive(cli: Callable[..., Any]) -> None:
    en = cli("status", EXAMPLE, "--as-of", "2021-06-30", "--lang", "en")
    assert en.stdout.startswith("渭南高新区2021年度重点任务抓落实台账 — as of 2021-06-30\n")
    assert cli("status", EXAMPLE, "--as-of", "2021-06-30", "--lang", "EN").stdout == en.stdout
    zh = cli("status", EXAMPLE, "--as-of", "2021-06-30", "--lang", "Zh")
    assert zh.exit_code == 0
    assert zh.stdout.startswith("渭南高新区2021年度重点任务抓落实台账 — 截至 2021-06-30\n")


def test_bad_luoshi_lang_warns_once_and_uses_zh(tmp_path: Path) -> None:
    r = luoshi("bulletin", tmp_path, env={"LUOSHI_LANG": "fr"})
    assert r.returncode == 2
    assert r.stderr.decode() == (
        "luoshi: LUOSHI_LANG=fr 无效（应为 zh 或 en），按 zh 处理 / LUOSHI_LANG=fr is not zh or "
        "en; using zh\n"
        "luoshi: 请指定 --month YYYY-MM、--quarter Qn、--half H1|H2 或 --annual 之一\n")
    r = luoshi("bulletin", tmp_path, env={"LUOSHI_LANG": "en_US.UTF-8"})
    assert r.stderr.decode() == ("luoshi: give exactly one of --month YYYY-MM, --quarter Qn, "
                                 "--half H1|H2 or --annual\n")


# ---- stdout that cannot write Chinese ---------------------------------------------------

NOTE = ("luoshi: note: stdout's encoding cannot write Chinese; writing UTF-8 (set "
        "PYTHONIOENCODING=utf-8 to choose it yourself) / 标准输出的编码无法写中文，已改用 UTF-8\n")


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("args, code", [
    (("status", EXAMPLE, "--as-of", "2021-06-30"), 0),
    (("score", EXAMPLE, "--quarter", "Q2"), 0),
    (("validate", EXAMPLE / "tasks"), 2),
])
def test_stdout_that_cannot_write_chinese(args: tuple[Any, ...], code: int,
                                          encoding: str) -> None:
    """A Windows console redirected under a Western code page, or
    PYTHONIOENCODING=ascii: the output is what a UTF-8 run writes, with a note."""
    plain = luoshi(*args, env={"PYTHONIOENCODING": "utf-8"})
    r = luoshi(*args, env={"PYTHONIOENCODING": encoding})
    assert r.returncode == code == plain.returncode
    assert r.stdout == plain.stdout
    assert r.stderr.decode("utf-8") == NOTE + plain.stderr.decode("utf-8")
    assert "internal error" not in r.stderr.decode("utf-8")


def test_validate_findings_in_chinese_on_an_ascii_stdout(tmp_path: Path) -> None:
    bad = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, bad)
    with (bad / "tasks/city.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- id: [broken\n")
    r = luoshi("validate", bad, env={"PYTHONIOENCODING": "ascii"})
    assert r.returncode == 1
    out = r.stdout.decode("utf-8")
    assert "tasks/city.yaml:137:7: error LS010 YAML 语法错误：方括号“[”没有配对的“]”" in out
    assert r.stderr.decode("utf-8") == NOTE + "1 个错误，11 个警告\n"  # judged at 2021-12-31: LS601


def test_a_gbk_stdout_is_left_alone() -> None:
    """Chinese Windows (cp936): the code page writes Chinese and is what the user's
    tools read — no switch, no note."""
    r = luoshi("status", EXAMPLE, "--as-of", "2021-06-30", env={"PYTHONIOENCODING": "gbk"})
    assert r.returncode == 0
    assert r.stderr == b""
    assert r.stdout.decode("gbk").startswith("渭南高新区2021年度重点任务抓落实台账 — 截至 2021-06-30\n")


def test_lang_before_the_command(cli: Callable[..., Run]) -> None:
    """`luoshi --lang en CMD` and `luoshi import --lang en …` (the README's `--lang en`
    typed before the command) speak English; the command's own --lang wins; a run
    without it is back to the ledger's language (nothing kept between runs)."""
    args = ("validate", EXAMPLE, "--as-of", "2021-12-31")
    assert cli("--lang", "en", *args).stderr.endswith("0 errors, 17 warnings\n")
    assert cli("--lang", "en", *args, "--lang", "zh").stderr.endswith("0 个错误，17 个警告\n")
    assert cli(*args).stderr.endswith("0 个错误，17 个警告\n")
    assert cli("--lang", "EN", *args).stderr.endswith("0 errors, 17 warnings\n")
    bad = cli("--lang", "fr", *args)
    assert bad.exit_code == 2 and "--lang fr is not valid" in bad.stderr
    r = cli("import", "--lang", "en", "updates", EXAMPLE, "/nonexistent/x.xlsx")
    assert r.exit_code == 2 and r.stderr.isascii(), r.stderr


def test_lang_before_the_command_in_help() -> None:
    """Help in English for `luoshi --lang en --help` and `luoshi import --lang en
    --help` (they failed with 'No such option: --lang')."""
    for argv in (["--lang", "en", "--help"], ["import", "--lang", "en", "--help"]):
        r = luoshi(*argv)
        out = r.stdout.decode("utf-8")
        assert r.returncode == 0, r.stderr
        assert out.startswith("Usage: luoshi") and "用法" not in out
    out = luoshi("import", "--lang", "en", "--help").stdout.decode("utf-8")
    assert "updates  Take the units' monthly sheets back" in out
