"""`luoshi init DIR`: write the complete example ledger to start from."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..core.codes import L
from .options import lang_option
from .ui import cannot_write, env_lang, fail

#: the bundled examples: name → (folder in the wheel, folder in a source checkout)
EXAMPLES = {
    # 渭南 2021: format v1, quarterly scheme, checklists, deductions, vetoes
    "weinan": ("example", "examples/weinan-2021"),
    # 碑林 2024: scheme v2 — ranking groups (部门/街道), monthly components, bonuses with
    # a cap, provisional deductions, 不适用, quotas and rule notes
    "beilin": ("example-beilin", "ledgers/beilin-2024-kaohe"),
}


def example_dir(name: str = "weinan") -> Path:
    """An example ledger: inside the wheel, or in the source checkout."""
    packaged, checkout = EXAMPLES[name]
    here = Path(__file__).resolve().parent.parent
    if (here / "_data" / packaged).is_dir():
        return here / "_data" / packaged
    return here.parent.parent / checkout


def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the ledger (must be empty).")],
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en.",
                                             callback=lang_option)] = None,
    example: Annotated[str, typer.Option(
        "--example", help="weinan (default: the 渭南 2021 scheme, format v1) or beilin "
        "(a 碑林-style scheme v2: ranking groups, monthly components, bonuses, 不适用).")
    ] = "weinan",
) -> None:
    """Create a new ledger in DIR from a bundled example (渭南 2021 scheme by default)."""
    from .schema_cmd import SCHEMA_DIR, with_modeline, write_schemas
    from .ui import write_atomic

    language = env_lang(lang)
    if directory.is_symlink() and not directory.exists():
        fail(L(f"{directory} 是失效的符号链接（指向 {os.readlink(directory)}）：请换一个目录",
               f"{directory} is a dangling symbolic link (to {os.readlink(directory)}): "
               "choose another directory"), language)
    try:
        taken = directory.exists() and (not directory.is_dir() or any(directory.iterdir()))
    except OSError as exc:  # a directory that cannot be listed
        fail(cannot_write(directory, exc), language)
    if taken:
        fail(L(f"{directory} 不是空目录：init 不会覆盖已有文件，请换一个空目录",
               f"{directory} is not empty: init never overwrites files; choose an empty directory"),
             language)
    if example not in EXAMPLES:
        fail(L(f"--example {example} 无效：请写 {' 或 '.join(EXAMPLES)}",
               f"--example {example} is not valid: write {' or '.join(EXAMPLES)}"), language)
    src = example_dir(example)
    if not src.is_dir():
        fail(L("找不到内置示例台账（安装不完整？）", "the bundled example ledger is missing "
               "(incomplete installation?)"), language)
    count = 0
    try:
        for path in sorted(src.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(src).as_posix()
                # files go inside the new ledger, never through a link out of it
                write_atomic(directory / rel, with_modeline(rel, path.read_bytes()),
                             inside=directory)
                count += 1
        # editors complete keys and flag typos from these (see the first line of each file)
        count += len(write_schemas(directory / SCHEMA_DIR))
    except OSError as exc:  # /proc/x, a path under a file, a read-only file system
        fail(cannot_write(Path(exc.filename) if exc.filename else directory, exc), language)
    typer.echo(f"已创建台账 {directory}（{count} 个文件）。下一步：luoshi validate {directory}"
               if language == "zh" else
               f"created ledger {directory} ({count} files). Next: luoshi validate {directory}")
