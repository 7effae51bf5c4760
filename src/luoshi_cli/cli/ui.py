"""Shared plumbing for commands: language, dates, exit codes, the gate that keeps
ledgers with errors from being published, and atomic file writes (`write_atomic`,
`check_target` and `UnsafeTarget` live in `luoshi_cli.fsio`, re-exported here for the
commands)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import NoReturn

from ..core.codes import L
from ..core.errors import EXIT_FINDINGS as EXIT_FINDINGS
from ..core.errors import EXIT_OK as EXIT_OK
from ..core.errors import EXIT_USAGE as EXIT_USAGE
from ..core.errors import CommandError as CommandError
from ..core.errors import UsageError
from ..core.labels import date_flaw
from ..core.labels import say as say
from ..fsio import SetNotWritten, os_reason, stdout_to_devnull
from ..fsio import UnsafeTarget as UnsafeTarget
from ..fsio import check_target as check_target
from ..fsio import write_atomic as write_atomic

LANGS = ("zh", "en")
_warned: set[str] = set()


def lang_value(text: str) -> str | None:
    """`zh` or `en`, in any case and with spaces around; anything else is None."""
    value = text.strip().lower()
    return value if value in LANGS else None


def bad_lang(text: str) -> str:
    """The one-line refusal of a --lang value (both languages: which one was meant
    is what is unknown)."""
    return (f"luoshi: --lang {text} 无效：请写 zh（中文）或 en（英文） / "
            f"--lang {text} is not valid: write zh (Chinese) or en (English)\n")


def env_lang(explicit: str | None = None) -> str:
    """--lang (checked by the option itself: `commands.common.lang_option`), then
    LUOSHI_LANG (Windows rarely sets LANG), then zh.

    LUOSHI_LANG is often copied from a locale (`en_US.UTF-8`): its language part
    counts.  Any other value is warned about once on stderr and Chinese is used: an
    environment variable set long ago should not stop every command."""
    if explicit:
        return lang_value(explicit) or "zh"
    env = os.environ.get("LUOSHI_LANG", "")
    if not env.strip():
        return "zh"
    value = lang_value(env.replace("-", "_").split("_")[0].split(".")[0])
    if value is not None:
        return value
    if env not in _warned:
        _warned.add(env)
        sys.stderr.write(f"luoshi: LUOSHI_LANG={env} 无效（应为 zh 或 en），按 zh 处理 / "
                         f"LUOSHI_LANG={env} is not zh or en; using zh\n")
    return "zh"


#: how much of a luoshi.yaml `ledger_language` reads: its `language:` is near the top
_HEAD = 256 * 1024
#: a top-level `language: en` line (quoted or not, a comment after it)
_LANGUAGE_LINE = re.compile(rb"^language[ \t]*:[ \t]*(['\"]?)(zh|en)\1[ \t]*(?:#[^\r\n]*)?\r?$",
                            re.M)


def ledger_language(ledger: Path | str | None) -> str | None:
    """The `language:` a ledger's luoshi.yaml declares, read cheaply before (or
    without) loading the ledger: `ledger` (a ledger root, or its luoshi.yaml), else
    the nearest directory upwards with a luoshi.yaml, as `find_root` finds it.

    Only a top-level `language: zh|en` line in the file's first 256 KiB counts; no
    YAML is parsed.  Anything else — no ledger, a luoshi.yaml that is not a regular
    file (a FIFO would block; a symbolic link may lead out of the ledger), unreadable,
    without that line or with two that
    disagree — is None: the caller falls back (`lang_of`), and the load says what is
    wrong with the file."""
    import stat

    try:
        if ledger is not None:
            start = Path(ledger)
            config = start if start.name == "luoshi.yaml" else start / "luoshi.yaml"
        else:
            here = Path.cwd()
            config = next((d / "luoshi.yaml" for d in (here, *here.parents)
                           if (d / "luoshi.yaml").is_file()), here / "luoshi.yaml")
        if not stat.S_ISREG(config.lstat().st_mode):  # a link: maybe out of the ledger
            return None
        with open(config, "rb") as fh:
            head = fh.read(_HEAD)
    except (OSError, ValueError):
        return None
    found = {m.group(2).decode() for m in _LANGUAGE_LINE.finditer(head.removeprefix(b"\xef\xbb\xbf"))}
    return found.pop() if len(found) == 1 else None


#: the running command's ledger, for `lang_of`: (LEDGER,) — None inside is the nearest
#: ledger upwards — while a command that reads one runs (`errors.mapped` sets it);
#: None for the others (init, hook, rollup: no one ledger)
COMMAND_LEDGER: ContextVar[tuple[Path | str | None] | None] = ContextVar(
    "luoshi_command_ledger", default=None)


def lang_of(explicit: str | None = None) -> str:
    """The language a command speaks before (or without) reading its ledger — options
    checked first, `-o` refused, usage errors: `--lang`, else the `language:` of the
    ledger the command reads (`COMMAND_LEDGER`, `ledger_language`), else LUOSHI_LANG,
    else zh (`env_lang`).  The same order as once the ledger is read (`--lang`, else
    `led.language`): an English ledger's `luoshi status --as-of 2026-13-01` is refused
    in English, as `--unit nobody` is; LUOSHI_LANG is for where there is no ledger."""
    if not explicit:
        hint = COMMAND_LEDGER.get()
        declared = ledger_language(hint[0]) if hint is not None else None
        if declared is not None:
            return declared
    return env_lang(explicit)


#: `--color` as given on the command line (`luoshi --color never status`); None is auto
COLOR_CHOICE: list[str] = []
#: `--lang` given before the command (`luoshi --lang en status`, `luoshi import --lang en
#: updates …`): what every command's own `--lang` is when it is not given itself
LANG_CHOICE: list[str] = []


def use_color(stream: object) -> bool:
    """Whether to write ANSI colours to `stream`.

    `--color always|never` decides; otherwise (auto) a non-empty NO_COLOR turns colour
    off (no-color.org: the user's standing wish wins over a tool's guess), a non-empty
    FORCE_COLOR other than `0`/`false` turns it on even into a pipe (CI logs render
    ANSI), and else a terminal that is not TERM=dumb gets colour."""
    choice = COLOR_CHOICE[-1] if COLOR_CHOICE else "auto"
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR", ""):
        return False
    force = os.environ.get("FORCE_COLOR", "")
    if force and force.strip().lower() not in ("0", "false"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False


def pipe_width(default: int) -> int:
    """The table width when stdout is not a terminal: COLUMNS when it is set to a
    sensible number (a CI log, `COLUMNS=80 luoshi status | less`), else `default`
    (a fixed width keeps piped output byte-stable)."""
    text = os.environ.get("COLUMNS", "").strip()
    if text.isdigit() and 20 <= int(text) <= 1000:
        return int(text)
    return default


def fail(message: L | str, lang: str, code: int = EXIT_USAGE) -> NoReturn:
    """Stop the command: `cli.errors` prints the message in `lang` and exits `code`."""
    raise UsageError(message, code, lang=lang)


def typed(text: str) -> str:
    """An option's date or month as typed on a Chinese input method: full-width digits
    and punctuation (`２０２４－０５－３１`, the IME's full-width mode) read as the
    ASCII ones (NFKC), and spaces around it (U+3000 too) dropped."""
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


#: a date option: YYYY-MM-DD in ASCII digits, nothing else that `date.fromisoformat`
#: also reads (`20240531`, the ISO week date `2021-W26-3`)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
#: a month option: YYYY-MM, the month in one digit too (2021-5 is 2021-05)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


def parse_date(text: str | None, what: str = "--as-of") -> date:
    """A date option (--as-of, --date, --start): YYYY-MM-DD, as the help says, full-width
    digits and punctuation read as ASCII (`typed`); anything else is `CommandError`.
    Every date option reads its value here."""
    if text is None:
        return date.today()
    m = _DATE.fullmatch(typed(text))
    if m is None:
        raise CommandError(L(f"{what} 的值 {text} 不是 YYYY-MM-DD 日期",
                             f"{what} {text} is not a YYYY-MM-DD date"))
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return date(year, month, day)
    except ValueError:  # the form, not a day: 06-31, 13-01
        why = date_flaw(year, month, day)
        raise CommandError(L(f"{what} 的值 {text} 不是真实存在的日期（{why.zh}）",
                             f"{what} {text} is not a real date: {why.en}")) from None


def parse_month(text: str, what: str = "--month") -> str:
    """A month option: YYYY-MM, normalised (2021-5 → 2021-05; full-width digits read as
    ASCII, `typed`), the year four digits (MIN_YEAR–MAX_YEAR); anything else is
    `CommandError`.  Every --month reads its value here: `export --per-unit` took
    2021-5 while `bulletin` and `score` refused it."""
    from ..core.periods import MAX_YEAR, MIN_YEAR

    m = _MONTH.fullmatch(typed(text))
    if m is not None and MIN_YEAR <= int(m.group(1)) <= MAX_YEAR and not 1 <= int(m.group(2)) <= 12:
        why = date_flaw(int(m.group(1)), int(m.group(2)), 1)  # 2024-13: the month, not the form
        raise CommandError(L(f"{what} {text} 无效：{why.zh}", f"{what} {text} is not valid: {why.en}"))
    if m is None or not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        raise CommandError(L(f"{what} {text} 无效：请写成 YYYY-MM，例如 2024-05",
                             f"{what} {text} is not valid: write YYYY-MM, e.g. 2024-05"))
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def year_agrees(year: int | None, month: str, typed_month: str | None, lang: str) -> None:
    """`--month 2021-05 --year 2020` is refused (exit 2), not read as one of them."""
    if year is not None and int(month[:4]) != year:
        fail(L(f"--year {year} 与 --month {typed_month or month} 的年份不一致",
               f"--year {year} does not match --month {typed_month or month}"), lang)


def in_ledger_year(period: str, year: int | None, lang: str) -> None:
    """A period outside the ledger's year is refused (exit 2), in `bulletin`'s words:
    `score -q Q1 --year 2023` on a 2024 ledger said to add a 2023-Q1 record (then
    LS411), `export --per-unit --month 2020-05` wrote workbooks no import takes.  A
    ledger is one year; its January business (the year-end talks, an as-of in the
    next January) is about dates, never about a period of another year."""
    if year and int(period[:4]) != year:
        fail(L(f"{period} 不在台账年度 {year} 内（台账只记一年）：请指定 {year} 年的期间",
               f"{period} is outside the ledger's year {year} (a ledger is one year): "
               f"give a period of {year}"), lang)


def month_or_fail(text: str | None, lang: str, what: str = "--month") -> str | None:
    """`parse_month`, or exit 2 with its message; None stays None."""
    if text is None:
        return None
    try:
        return parse_month(text, what)
    except CommandError as exc:
        fail(exc.label, lang)


def set_not_written(exc: SetNotWritten, nothing: L) -> L:
    """The one-line message for a set of files that could not be written
    (`fsio.write_atomic_set`): the file that failed, and either `nothing` (no file of
    the set was written) or the files already in place that could not be put back."""
    why = os_reason(exc)  # (as `cannot_write`)
    if exc.left:
        return L(f"无法写入 {exc.path}：{why.zh}；以下文件已写入且未能还原："
                 f"{'、'.join(map(str, exc.left))}",
                 f"cannot write {exc.path}: {why.en}; these files were written and could "
                 f"not be put back: {', '.join(map(str, exc.left))}")
    return L(f"无法写入 {exc.path}：{why.zh}；{nothing.zh}",
             f"cannot write {exc.path}: {why.en}; {nothing.en}")


def to_stdout(render: Callable[[], None]) -> None:
    """Run `render`, which writes the command's findings to stdout, and flush them.
    A reader that goes away (`luoshi validate | head -20`) ends the output, not the
    command: the exit code decided afterwards stands — a gate whose log is trimmed
    still fails on a ledger with errors (it was exit 0: click's broken-pipe exit was
    taken for a reader that had what it wanted)."""
    try:
        render()
        sys.stdout.flush()
    except BrokenPipeError:
        stdout_to_devnull()  # the rest goes nowhere


#: what -o's extension says a file holds: the formats luoshi writes documents in, and
#: others a clerk may type that a command cannot write (`supervise -o s.docx` was a
#: Markdown file named .docx)
BY_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
             ".docx": "docx", ".doc": "doc", ".wps": "wps", ".odt": "odt", ".rtf": "rtf",
             ".pdf": "pdf", ".xlsx": "xlsx", ".xls": "xls", ".et": "et", ".ods": "ods",
             ".csv": "csv", ".json": "json"}
#: formats that never go to stdout (`-o -`)
BINARY = frozenset({"docx", "pdf", "xlsx", "parquet"})


def output_suffix(output: Path) -> str:
    """The extension an output file's name says its format by: `x.docx` → `.docx`, and
    a name that is only an extension (`-o .docx`) the same — `Path(".docx").suffix` is
    "" (a hidden file's name), and `.docx` holding Markdown is what the user never
    meant."""
    name = output.name
    if not output.suffix and name.startswith(".") and name.count(".") == 1 and len(name) > 1:
        return name
    return output.suffix


def output_format(command: str, given: str | None, output: Path | None,
                  formats: tuple[str, ...], lang: str) -> str | None:
    """The format `command` writes: --format (`given`), else what -o's extension says
    (`BY_SUFFIX`: x.html is html), else None (the command's default).  An -o whose
    extension names another format than --format, or a format the command cannot
    write (`supervise -o s.docx`), is refused (exit 2): a file must hold what its
    name says."""
    by_name = (BY_SUFFIX.get(output_suffix(output).lower())
               if output is not None and not is_stdout(output) else None)
    if given is not None:
        if by_name is not None and by_name != given:
            fail(L(f"--format {given} 与输出文件 {output} 的扩展名（{by_name}）不一致",
                   f"--format {given} does not match the extension of {output} "
                   f"({by_name})"), lang)
        return given
    if by_name is not None and by_name not in formats:
        suffix = output_suffix(output) if output is not None else ""

        def either(items: list[str]) -> str:
            return ", ".join(items[:-1]) + f" or {items[-1]}" if len(items) > 1 else items[0]

        fail(L(f"{command} 不能生成 {suffix} 文件（{output}）：只能生成 {'、'.join(formats)}，"
               f"请以 {'、'.join(f'.{f}' for f in formats)} 作扩展名",
               f"{command} cannot write {suffix} files ({output}): it writes "
               f"{either(list(formats))}; name the file "
               f"{either([f'.{f}' for f in formats])}"), lang)
    return by_name


def is_stdout(output: Path | None) -> bool:
    """`-o -`: the standard output."""
    return output is not None and os.fspath(output) == "-"


def stdout_or_file(output: Path | None, fmt: str, lang: str) -> Path | None:
    """`-o -` is stdout (None) for a text format, and refused for a binary one (exit
    2): it was a file named `-`.  Anything else is `output` as it is."""
    if not is_stdout(output):
        return output
    if fmt in BINARY:
        fail(L(f"{fmt} 是二进制文件，不能输出到标准输出（-o -）：请用 -o 指定文件名",
               f"{fmt} is a binary file and cannot go to stdout (-o -): give -o FILE"), lang)
    return None


#: names of the standard streams and of open file descriptors (`-o /dev/stdout`):
#: a file written atomically (a temporary file renamed) cannot land there
_STREAM = re.compile(r"/dev/(?:stdout|stderr|stdin|fd/\d+)|/proc/(?:self|\d+)/fd/\d+")


def check_output(output: Path, ledger: Path | None, lang: str, fmt: str | None = None) -> None:
    """Refuse, before any work, an `-o FILE` that `write_atomic` would refuse or that
    lies on the ledger's own data (`fsio.not_ledger_data`); exit 2.  `-o /dev/stdout`
    (or another stream's name) is refused saying what to write instead: `-o -`, or
    no -o (`fmt`, a binary format: a file name)."""
    from ..core.errors import LedgerError
    from ..fsio import not_ledger_data
    from ..load.assemble import find_root

    if _STREAM.fullmatch(os.path.normpath(os.fspath(output))):
        if fmt in BINARY:
            fail(L(f"{output} 是标准输出或已打开的文件描述符：{fmt} 是二进制文件，请用 -o 指定文件名",
                   f"{output} is a standard stream or an open file descriptor: {fmt} is a "
                   "binary file, give -o FILE"), lang)
        fail(L(f"{output} 是标准输出或已打开的文件描述符，luoshi 不能以“临时文件 + 重命名”方式写入："
               "要输出到标准输出，请去掉 -o（或写 -o -），再按需重定向",
               f"{output} is a standard stream or an open file descriptor, which luoshi "
               "cannot write atomically (a temporary file renamed): to write to stdout, "
               "leave out -o (or write -o -) and redirect as needed"), lang)
    try:
        check_target(output, follow=True)
        try:
            root = find_root(ledger)
        except LedgerError:  # the command itself says so, in its own words
            return
        not_ledger_data(output, root)
    except UnsafeTarget as exc:
        fail(exc.label, lang)


def cannot_write(path: Path, exc: OSError) -> L:
    """The one-line message for a failed write: the reason in Chinese words for the
    common errors (`fsio.os_reason`), the system's own text in English."""
    if isinstance(exc, UnsafeTarget):
        return exc.label
    why = os_reason(exc)
    return L(f"无法写入 {path}：{why.zh}", f"cannot write {path}: {why.en}")
