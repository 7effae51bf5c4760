"""`luoshi init DIR`: write a ledger to start from — a bundled example, or a clean
ledger for a year (`--year`, `--blank`, see `init_ledger`) — with the editor schemas
and the VS Code settings that map them."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..core.codes import L
from ..fsio import path_is
from ..load import editor
from .options import lang_option
from .ui import cannot_write, env_lang, fail, write_atomic

#: the bundled examples: name → (folder in the wheel, folder in a source checkout)
EXAMPLES = {
    # 渭南 2021: format v1, quarterly scheme, checklists, deductions, vetoes
    "weinan": ("example", "examples/weinan-2021"),
    # 碑林 2024: scheme v2 — ranking groups (部门/街道), tasks credited to responsible
    # units, bonuses with a cap, provisional deductions, 不适用, quotas and rule notes
    # (quarterly: it has no monthly components)
    "beilin": ("example-beilin", "ledgers/beilin-2024-kaohe"),
}


#: what a directory may hold for `init` to write a ledger into it: a repository just
#: made (`git init`, or a clone of a new repository with its README and licence)
_REPO_FILES = frozenset({".git", ".gitignore", ".gitattributes", "README", "README.md",
                         "README.txt", "LICENSE", "LICENSE.md", "LICENSE.txt"})


def example_dir(name: str = "weinan") -> Path:
    """An example ledger: inside the wheel, or in the source checkout."""
    packaged, checkout = EXAMPLES[name]
    here = Path(__file__).resolve().parent.parent
    if (here / "_data" / packaged).is_dir():
        return here / "_data" / packaged
    return here.parent.parent / checkout


def init(
    path: Annotated[str, typer.Argument(
        help="Where to create the ledger (new, empty, or a fresh git repository).",
        metavar="DIR", show_default=False)],
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar="zh|en",
        help="zh or en: the language of the messages and of the new ledger "
        "(en writes an English starter ledger).", callback=lang_option)] = None,
    example: Annotated[str | None, typer.Option(
        "--example", metavar="NAME",
        help="weinan (default: the 渭南 2021 scheme, format v1) or beilin "
        "(a 碑林-style scheme v2: ranking groups, tasks credited to responsible units, "
        "bonuses, 不适用).",
        show_default=False)] = None,
    year: Annotated[int | None, typer.Option(
        "--year", metavar="YYYY",
        help="Write a clean ledger for this year instead of an example: units, "
        "categories, planned tasks with milestones in the year and a scheme; no updates "
        "or records yet.", show_default=False)] = None,
    blank: Annotated[bool, typer.Option(
        "--blank", help="Write only luoshi.yaml, units.yaml and one sample task, every "
        "field explained in a comment (the current year unless --year).")] = False,
) -> None:
    """Create a new ledger in DIR: an example (渭南 2021 by default), or a clean one for a
    year (--year, --blank).  It also writes the editor schemas (.luoshi/schema) and
    .vscode/settings.json, so that VS Code completes keys and ids."""
    from datetime import date

    language = env_lang(lang)
    if not path.strip():  # Path("") is ".": the current directory was never asked for
        fail(L("目录路径为空：请写要创建台账的目录，例如 luoshi init my-ledger",
               "the directory path is empty: name the directory to create, "
               "e.g. luoshi init my-ledger"), language)
    directory = Path(path)
    if path_is(directory, "any", writing=True) is False and directory.is_symlink():
        fail(L(f"{directory} 是失效的符号链接（指向 {os.readlink(directory)}）：请换一个目录",
               f"{directory} is a dangling symbolic link (to {os.readlink(directory)}): "
               "choose another directory"), language)
    try:
        # a fresh `git init` or clone (.git, .gitignore, a README, a licence) is empty
        # enough: init writes none of those names
        taken = directory.exists() and (not directory.is_dir() or any(
            entry.name not in _REPO_FILES for entry in directory.iterdir()))
    except OSError as exc:  # a directory that cannot be listed
        fail(cannot_write(directory, exc), language)
    if taken and not directory.is_dir():
        fail(L(f"{directory} 是一个文件，不是目录：init 不会覆盖已有文件，请换一个空目录",
               f"{directory} is a file, not a directory: init never overwrites files; "
               "choose an empty directory"), language)
    if taken:
        fail(L(f"{directory} 不是空目录：init 不会覆盖已有文件，请换一个空目录"
               "（只有 .git、.gitignore、.gitattributes、README、LICENSE 的目录也可以）",
               f"{directory} is not empty: init never overwrites files; choose an empty "
               "directory (one holding only .git, .gitignore, .gitattributes, a README or a "
               "LICENSE will do)"),
             language)
    if example is not None:  # in any case, as every choice of an option (BEILIN is beilin)
        example = example.strip().lower() if example.strip().lower() in EXAMPLES else example
    if example is not None and example not in EXAMPLES:
        fail(L(f"--example {example} 无效：请写 {' 或 '.join(EXAMPLES)}",
               f"--example {example} is not valid: write {' or '.join(EXAMPLES)}"), language)
    if example is not None and (year is not None or blank):
        fail(L(f"--example 不能与 {'--blank' if blank else '--year'} 同时使用：示例台账是固定年度的"
               "完整台账；新年度的台账请只用 --year（或 --blank）",
               f"--example cannot be combined with {'--blank' if blank else '--year'}: an "
               "example is a finished ledger of its own year; for a new year use --year "
               "(or --blank) alone"), language)
    if year is not None and not 1900 <= year <= 2200:
        fail(L(f"--year {year} 无效：请写 1900–2200 之间的年份",
               f"--year {year} is not valid: write a year between 1900 and 2200"), language)
    # the bundled examples are transcriptions of Chinese documents: an English ledger
    # is the starter one
    starter = year is not None or blank or (example is None and language == "en")
    files: dict[str, bytes] = {}
    past: L | None = None
    if starter:
        from .init_ledger import starter_files

        today = date.today()
        texts = starter_files(year or today.year, language, blank=blank, today=today)
        files = {rel: text.encode() for rel, text in texts.items()}
        if year is not None and year < today.year:
            from .init_ledger import task_start

            start = task_start(year, today)
            past = L(f"说明：{year} 年已过去，台账按年底判断：示例任务从 {start} 开始，之前各月不需要报送进展"
                     "（validate 无警告）；补录往年台账时，请按实际填写开始日期并补写月度进展",
                     f"note: {year} is over and its ledger is judged at the year's end: the "
                     f"sample tasks start on {start}, so no earlier month owes a report "
                     "(validate finds nothing); when back-filling a past year, give the real "
                     "start dates and add the monthly updates")
    else:
        src = example_dir(example or "weinan")
        if not src.is_dir():
            fail(L("找不到内置示例台账（安装不完整？）", "the bundled example ledger is missing "
                   "(incomplete installation?)"), language)
        files = {path.relative_to(src).as_posix(): path.read_bytes()
                 for path in sorted(src.rglob("*"))
                 if path.is_file() and "__pycache__" not in path.parts}
    # (a folder that can be listed but not opened, `chmod 600`: one line naming it)
    clash = sorted(rel for rel in files
                   if path_is(directory / rel, writing=True, named=directory))
    if clash:  # (a README of the repository where the example has one of its own)
        fail(L(f"{directory / clash[0]} 已存在：init 不会覆盖已有文件，请换一个空目录",
               f"{directory / clash[0]} exists: init never overwrites files; choose an empty "
               "directory"), language)
    count = 0
    note: L | None = None
    try:
        for rel, data in files.items():
            # files go inside the new ledger, never through a link out of it
            write_atomic(directory / rel, editor.with_modeline(rel, data), inside=directory)
            count += 1
        # editors complete keys and ids and flag typos from these (see the first line of
        # each file, and .vscode/settings.json)
        count += len(write_ledger_schemas(directory, language))
        from .schema_cmd import vscode_settings

        wrote, note = vscode_settings(directory)
        count += wrote
    except OSError as exc:  # /proc/x, a path under a file, a read-only file system
        fail(cannot_write(Path(exc.filename) if exc.filename else directory, exc), language)
    if not starter and language == "en":
        sys.stderr.write("luoshi: note: the bundled examples are Chinese documents, so this "
                         "ledger is in Chinese; leave out --example for an English ledger\n")
    for said in (past, note):
        if said is not None:
            sys.stderr.write(f"luoshi: {said.zh if language == 'zh' else said.en}\n")
    # the name as every message shows it (a line break escaped: `my\nledger`), and the
    # next command as a shell word, so that it runs as pasted (`luoshi validate 'my ledger'`)
    from ..core.safetext import printable, shell_path

    shown, word = printable(str(directory)), shell_path(directory)
    typer.echo(f"已创建台账 {shown}（{count} 个文件）。下一步：luoshi validate {word}"
               if language == "zh" else
               f"Created ledger {shown} ({count} files). Next: luoshi validate {word}")


def write_ledger_schemas(root: Path, language: str) -> list[Path]:
    """The schemas of the ledger at `root`, with its ids (what `luoshi schema` writes
    there): a ledger that does not load gets the plain ones."""
    from ..core.errors import LuoshiError
    from .schema_cmd import ledger_refs, write_schemas

    try:
        refs: editor.Refs | None = ledger_refs(root)[0]
    except LuoshiError:
        refs = None
    return write_schemas(root / editor.SCHEMA_DIR, None, language, refs, inside=root)
