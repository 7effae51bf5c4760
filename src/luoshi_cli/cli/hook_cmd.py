"""`luoshi hook [FILE]...`: the pre-commit gate for a repository of ledgers.

pre-commit passes the staged files that changed; a repository often keeps several
ledgers in subfolders (ledgers/beilin-2024, ledgers/beilin-2025).  Each file's ledger
is the nearest directory above it whose luoshi.yaml is in the git index (never above
the repository's top; an untracked luoshi.yaml, or one deleted only in the working
tree, changes nothing), and each such ledger is validated once — as staged, read from
the index, so an unstaged fix in the working tree cannot hide a bad staged change, nor
an unstaged mess fail a good one.

With no files (how the shipped pre-commit hook runs it: `always_run`, no file list),
git is asked which staged paths changed — deletions, symbolic links and submodules
too, which pre-commit's file list never carries — and each ledger they belong to is
checked.  With nothing staged at all (`pre-commit run --all-files` in CI), every
ledger under the current directory is checked.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from ..core.codes import L
from ..core.safetext import terminal
from ..fsio import path_is, walk
from .options import LangOpt
from .ui import EXIT_FINDINGS, EXIT_OK, fail, lang_of, say, to_stdout, use_color

if TYPE_CHECKING:
    from ..core.errors import NotInRepository
    from ..core.model import Config

#: directories never searched for ledgers (besides hidden ones)
SKIPPED = frozenset({"node_modules", "__pycache__"})
CONFIG = "luoshi.yaml"


def ledger_of(path: Path) -> Path | None:
    """The nearest directory from `path` upwards holding luoshi.yaml in the working
    tree, stopping at the repository's top (the first directory holding `.git`); None
    outside any ledger (a workflow file, the repository's own README).  Only for a file
    in no staged ledger (a ledger not staged yet is then skipped with a note) or outside
    git (said so in the hook's words): a file's ledger is found in the index
    (`gitsrc.staged_ledgers_of`).  A folder on the way without search permission is
    a one-line `LedgerError` naming the path tried (`fsio.path_is`): Python's own
    tests raised PermissionError there, an internal error."""
    p = Path(os.path.abspath(path))
    d = p if path_is(p, "dir") else p.parent
    for here in (d, *d.parents):
        if path_is(here / CONFIG, "file"):
            return here
        if path_is(here / ".git"):
            return None
    return None


def discover(start: Path) -> list[Path]:
    """Every ledger under `start` (a directory holding luoshi.yaml), sorted; hidden
    directories (.git, .luoshi-cache, …), node_modules and a ledger's own subfolders
    are not searched."""
    found: list[Path] = []
    for here, dirs, files in walk(start):  # no recursion, however deep
        if CONFIG in files:
            found.append(Path(here))
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED)
    return sorted(found)


def hook(
    files: Annotated[Optional[list[Path]], typer.Argument(  # noqa: UP045 - typer needs Optional
        help="Changed files: each file's ledger is checked once. None: each ledger the "
        "staged changes touch (deletions included); with nothing staged, every ledger "
        "under the current directory.",
        show_default=False, metavar="[FILE]...")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")
                      ] = False,
    base: Annotated[str | None, typer.Option(
        "--base", metavar="REV",
        help="Change control too: compare each staged ledger's locked tasks with this git "
        "revision (e.g. HEAD or origin/main), as validate --staged --base does.",
        show_default=False)] = None,
    lang: LangOpt = None,
) -> None:
    """Check the staged ledgers (the pre-commit hook): each ledger a changed file
    belongs to, as the git index holds it.

    Exit 0 when no staged ledger has errors, 1 when one has (or warnings with
    --strict), 2 when the check cannot run (not a git repository, bad arguments).
    Change control (locked tasks) only with --base: the shipped hook takes it as
    `args: [--base, HEAD]`.
    """
    from .. import api
    from ..core.errors import NoLedgerAtRev, NotInRepository
    from ..load.gitsrc import staged_ledgers, staged_ledgers_of
    from ..report.findings import RENDERERS
    from .options import from_cwd, prefixed
    from .validate_cmd import code_filter

    language = lang_of(lang)
    try:
        if files:  # by the index; a file in no staged ledger, or outside git: as on disk
            found = staged_ledgers_of(files)
            roots = list(dict.fromkeys(r for f in files if (r := found.get(f) or ledger_of(f))
                                       is not None))
        else:
            staged = staged_ledgers(Path.cwd())
            roots = discover(Path.cwd()) if staged is None else staged
    except NotInRepository as exc:
        _outside_git(exc, language)
    today = date.today()
    errors = warnings = checked = 0
    color = use_color(sys.stdout)

    def codes(config: Config) -> Callable[[str], bool]:
        """The ledger's `lint:`, applied before findings are placed on their lines."""
        return code_filter(None, None, lang or config.language, config)

    for root in roots:
        try:
            result = api.validate(root, None, today=today, staged=True, keep_tasks=False,
                                  codes=codes, base=base)
        except NotInRepository as exc:  # `luoshi hook ../other/x.yaml`: not in git
            _outside_git(exc, language)
        except NoLedgerAtRev:  # a ledger nobody has staged yet: nothing to commit
            # a folder's name is the repository's text: escaped, as every path shown
            where = terminal(str(root))
            sys.stderr.write(say(L(f"luoshi: 跳过 {where}：暂存区中没有它的 luoshi.yaml",
                                   f"luoshi: skipped {where}: its luoshi.yaml is not staged"),
                                 language) + "\n")
            continue
        shown = lang or result.language
        findings = prefixed(result.findings, from_cwd(root))
        to_stdout(partial(RENDERERS["text"], findings, sys.stdout, shown, color))
        e = sum(1 for f in findings if f.severity == "error")
        errors, warnings = errors + e, warnings + len(findings) - e
        checked += 1
        language = shown
    sys.stderr.write(say(_tally(checked, len(roots) - checked, errors, warnings),
                         language) + "\n")
    raise typer.Exit(EXIT_FINDINGS if errors or (strict and warnings) else EXIT_OK)


def _tally(checked: int, skipped: int, errors: int, warnings: int) -> L:
    """The hook's last line: the ledgers checked and their findings.  A skipped ledger
    (its luoshi.yaml not staged: a new one, or one `git rm`'d) was not checked and is
    not counted — it was, so a commit that checked nothing read as two clean ledgers —
    but said to be skipped; and no ledger checked is said in words."""
    from ..core.labels import counted

    if checked == 0:
        if skipped:
            return L(f"没有检查任何台账（跳过 {skipped} 本，见上）",
                     f"no ledger checked ({skipped} skipped, see above)")
        return L("暂存区中没有要检查的台账", "no staged ledger to check")
    more = L(f"（另跳过 {skipped} 本，见上）", f" ({skipped} more skipped, see above)") \
        if skipped else L("", "")
    return L(f"{checked} 本台账（暂存区）：{errors} 个错误，{warnings} 个警告{more.zh}",
             f"{counted(checked, 'ledger')} (staged): {counted(errors, 'error')}, "
             f"{counted(warnings, 'warning')}{more.en}")


def _outside_git(exc: NotInRepository, lang: str) -> NoReturn:
    """The hook's own words for a ledger outside any git repository (git's answer
    named `--staged`, an option of validate the hook user never typed): one line,
    exit 2, with the command that checks such a ledger — its root, found from the
    folder git was asked about as `validate` finds it (run from `w/tasks` it named
    `w/tasks`, which validate refuses as a ledger's subfolder); no command when that
    folder is in no ledger."""
    from ..core.safetext import printable, shell_path
    from ..load.assemble import ledger_above

    where = printable(str(exc.where))
    root = ledger_above(exc.where, itself=True)  # (`where` is absolute: so is `root`)
    head = L(f"{where} 不在 git 仓库中：luoshi hook 检查的是 git 暂存区中的台账（提交前钩子）",
             f"{where} is not inside a git repository: luoshi hook checks ledgers as staged "
             f"in git (the pre-commit hook)")
    if root is None:
        fail(L(f"{head.zh}；{where} 也不在任何台账中（其上没有 {CONFIG}）",
               f"{head.en}; nor is {where} inside a ledger (no {CONFIG} there or above)"),
             lang)
    fail(L(f"{head.zh}；不在 git 中的台账请用 luoshi validate {shell_path(root)} 检查",
           f"{head.en}; check a ledger outside git with luoshi validate "
           f"{shell_path(root)}"), lang)


def register(app: typer.Typer) -> None:
    app.command("hook")(hook)
