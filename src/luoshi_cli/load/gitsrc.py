"""Reading a ledger as it was at a git revision (`--rev`, `--base`, `luoshi diff`).

A published bulletin must be reproducible later from the tag that closed the quarter
(封账), and change control compares a pull request with its base: both need the
ledger files of a commit, not of the working tree.  `GitSource` is a `FileSource`
over one commit: the file list comes from one `git ls-tree -r -l`, and every blob
through one `git cat-file --batch` process kept open for the source's life (not one
process per file, which would dominate a 20,000-task ledger).  Blobs are decoded and
parsed by the same `load.decode` and `load.parse` as working-tree files, so the
findings are identical.

The ledger root may be any directory inside the repository (a repository often keeps
several ledgers).  Everything that stops the command from running — no git, not a
repository, an unknown revision (a shallow CI clone that lacks the base commit), no
ledger at that revision — is a `LedgerError` with one clear line (exit 2).
"""

from __future__ import annotations

import contextlib
import functools
import os
import posixpath
import re
import shlex
import subprocess
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.codes import L
from ..core.errors import NoLedgerAtRev as NoLedgerAtRev
from ..core.errors import NotInRepository
from ..core.finding import Finding, finding
from ..core.globs import glob_matcher as glob_matcher
from ..core.globs import glob_prefix_matcher
from ..core.safetext import shell_word
from ..fsio import path_is
from .assemble import (
    CONFIG_NAME,
    FileSource,
    LedgerError,
    Loaded,
    link_out,
    link_refused,
    open_ledger,
)
from .parse import NOT_LEDGER, not_ledger_part, parse_config
from .read import DEFAULT_MAX_FILE_MB, decode, read_text
from .source import IS_A_DIRECTORY, LINK_LOOP, Source
from .yaml_fast import parse

_MB = 1024 * 1024
_SYMLINK_HOPS = 8
#: the longest link target read (PATH_MAX): no system makes a longer link, and a link
#: entry's blob is otherwise read whole — a "target" of 600 MB of zeros is only a few
#: MB in .git.  A longer one is a broken link (LS006), never read.
_LINK_MAX = 4096


@dataclass(frozen=True, slots=True)
class _Entry:
    mode: str
    kind: str  # blob | commit (a submodule) | conflict (unmerged in the index)
    sha: str
    size: int


#: Before every git command luoshi runs (`_git`, `_Batch`): luoshi only reads, so the
#: programs a repository's own config may name are not started — `core.fsmonitor` (run
#: by git to refresh the index: `--staged`, `hook`, the rename lookup), hooks, and a lazy
#: fetch in a partial clone over file:// (which runs `remote.<name>.uploadpack`, a
#: local program) or ext:: (any command); a lazy fetch over https, ssh or git:// runs no
#: program the repository names either (`_guard`).  A partial clone over https or ssh
#: still fetches a missing blob as git would; a clean/smudge filter still runs where git
#: hashes a working-tree file (`_moved_from`, against the working tree).  No automatic
#: gc/maintenance after such a fetch.  Keys an older git does not know are ignored by it.
_GIT = ("git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
        "-c", "protocol.file.allow=never", "-c", "protocol.ext.allow=never",
        "-c", "gc.auto=0", "-c", "maintenance.auto=false")

#: the keys of git's config naming a program that a fetch may start (a lazy fetch of a
#: missing blob in a partial clone): the ssh command, the git:// proxy, the program
#: asked for a password, the credential helpers (`credential.helper`,
#: `credential.<url>.helper`) — as git's extended regular expression, on its lower-case
#: names (a URL keeps its case)
_PROGRAM_KEYS = r"^(core\.(sshcommand|gitproxy|askpass)|credential\..*helper)$"
#: the scopes of the repository's own config (`.git/config`, `config.worktree`, and
#: what they include): the values to leave out; system, global and command (-c, the
#: user's GIT_CONFIG_PARAMETERS) are the user's and stay
_REPO_SCOPES = frozenset(("local", "worktree"))
#: a lazy fetch over http(s) from a server that accepts and never answers gives up
#: after this long below 1 byte a second (GIT_HTTP_LOW_SPEED_*; the user's own win)
_HTTP_STALL_SECONDS = 60


def _plain_env() -> dict[str, str]:
    """The environment of every git luoshi runs: C messages, no optional locks, no
    prompt for a password."""
    return {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}


def _env() -> dict[str, str]:
    env = _plain_env()
    if env.get("GIT_DIR") or env.get("GIT_WORK_TREE"):
        with contextlib.suppress(OSError):  # a deleted cwd: git will say so
            env.update(_where(os.getcwd(), env.get("GIT_DIR"), env.get("GIT_WORK_TREE")))
    return env


def _command(cwd: Path) -> tuple[list[str], dict[str, str]]:
    """The start of a git command run at `cwd` (`_GIT` and `_guard`'s options), and
    its environment."""
    env = _env()
    known = tuple(sorted((k, v) for k, v in env.items()
                         if k.startswith("GIT_") or k in ("HOME", "XDG_CONFIG_HOME")))
    args, no_proxy = _guard(os.path.abspath(cwd), known)
    if no_proxy and "GIT_PROXY_COMMAND" not in env:
        env["GIT_PROXY_COMMAND"] = ""  # set, though empty: git then reads no core.gitProxy
    env.setdefault("GIT_HTTP_LOW_SPEED_LIMIT", "1")
    env.setdefault("GIT_HTTP_LOW_SPEED_TIME", str(_HTTP_STALL_SECONDS))
    return [*_GIT, *args], env


@functools.lru_cache(maxsize=32)
def _guard(cwd: str, known: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], bool]:
    """The `-c` options that keep the programs the repository's own config names for a
    fetch (`_PROGRAM_KEYS`) from starting, and whether its `core.gitProxy` must be
    switched off (GIT_PROXY_COMMAND="": a `-c` cannot, as git takes the first match);
    `known` (git's environment) only keys the cache.

    A partial clone (`--filter=blob:none`) fetches a missing blob when luoshi reads it;
    git would then start `core.sshCommand` (an ssh remote), `core.gitProxy` (git://), or
    on a 401 the credential helpers and `core.askPass` (http) — programs of whoever
    wrote `.git/config`.  One `git config --show-scope` tells the repository's values
    from the user's: the user's are kept (a credential helper in ~/.gitconfig still
    answers), the repository's replaced — `core.sshCommand` by the user's, else by
    GIT_SSH or `ssh`; `core.askPass` by the user's, else none; the credential helpers'
    list reset (an empty value) and the user's own given again, in their order.  A git
    that cannot say the scope (before 2.26) gets all of them replaced."""
    env = _env()
    try:
        proc = subprocess.run([*_GIT, "config", "-z", "--show-scope", "--get-regexp",
                               _PROGRAM_KEYS], cwd=cwd, capture_output=True, env=env,
                              check=False)
    except OSError:
        return (), False
    entries: list[tuple[str, str, str | None]] = []  # scope, key, value
    if proc.returncode in (0, 1):  # 1: none of the keys is set
        fields = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
        for scope, item in zip(fields[::2], fields[1::2], strict=False):
            key, nl, value = item.partition("\n")
            entries.append((scope, key, value if nl else None))
        ours = [e for e in entries if e[0] in _REPO_SCOPES]
        users = [e for e in entries if e[0] not in _REPO_SCOPES]
    else:  # no scopes: every value may be the repository's
        ours = [("local", k, "") for k in ("core.sshcommand", "core.gitproxy",
                                           "core.askpass", "credential.helper")]
        users = []
    args: list[str] = []

    def user_value(key: str) -> str | None:
        return next((v for _, k, v in reversed(users) if k == key and v is not None), None)

    def kind(key: str) -> bool:
        return any(k == key for _, k, _ in ours)

    if kind("core.sshcommand") and "GIT_SSH_COMMAND" not in env:
        mine = user_value("core.sshcommand")
        if mine is None:
            mine = shlex.quote(env["GIT_SSH"]) if env.get("GIT_SSH") else "ssh"
        args += ["-c", f"core.sshCommand={mine}"]
    if kind("core.askpass"):
        args += ["-c", f"core.askPass={user_value('core.askpass') or ''}"]
    if any(k.startswith("credential.") for _, k, _ in ours):
        args += ["-c", "credential.helper="]  # an empty value empties the list
        args += [a for _, k, v in users if k.startswith("credential.") and v is not None
                 and "=" not in k for a in ("-c", f"{k}={v}")]
    return tuple(args), kind("core.gitproxy")


@functools.lru_cache(maxsize=8)
def _where(cwd: str, git_dir: str | None, work_tree: str | None) -> dict[str, str]:
    """GIT_DIR and GIT_WORK_TREE as absolute paths, as git sees them from luoshi's own
    working directory `cwd` (the arguments only key the cache).

    Git exports GIT_DIR to a hook in a linked worktree (`.git/worktrees/<name>`), and
    GIT_WORK_TREE=. to one run by `git --git-dir=… --work-tree=… commit`; with GIT_DIR
    set and no work tree named, git takes the current directory as the work tree's top.
    A hook runs at that top, but luoshi runs its git commands from the ledger's folder:
    there git would take the folder for the top — the prefix "" and no luoshi.yaml
    staged, so the hook skipped the ledger and passed a broken commit.  Asked once from
    where luoshi was started, the answers hold from any folder.  GIT_INDEX_FILE (`git
    commit PATH` hands the hook a temporary index) is kept: git reads a relative one
    from the work tree's top, which these answers do not move."""
    out: dict[str, str] = {}
    env = _plain_env()  # the hook's GIT_DIR/GIT_WORK_TREE as given: what is asked
    for ask, key in (("--absolute-git-dir", "GIT_DIR"), ("--show-toplevel", "GIT_WORK_TREE")):
        try:
            proc = subprocess.run([*_GIT, "rev-parse", ask], cwd=cwd, capture_output=True,
                                  env=env, check=False)
        except OSError:
            return {}
        text = proc.stdout.decode("utf-8", "surrogateescape")
        text = text[:-1] if text.endswith("\n") else text
        if proc.returncode == 0 and text:
            out[key] = text
    return out


def _git(args: Sequence[str], cwd: Path, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        start, env = _command(cwd)
        proc = subprocess.run([*start, *args], cwd=cwd, input=data, capture_output=True,
                              env=env, check=False)
    except FileNotFoundError:
        raise LedgerError(L("未安装 git（--rev、--base 和 diff 需要 git）",
                            "git is not installed (needed for --rev/--base/diff)")) from None
    except OSError as exc:
        raise LedgerError(L(f"无法运行 git：{exc}", f"cannot run git: {exc}")) from None
    if proc.returncode != 0 and b"detected dubious ownership" in proc.stderr:
        raise LedgerError(_dubious(proc.stderr))
    return proc


def _dubious(raw: bytes) -> L:
    """Why git reads nothing in a repository owned by another user, and the command
    that makes it trust the repository: git's own last line is only that command."""
    text = raw.decode("utf-8", "replace")
    # the path as git wrote it, a line break in it too (up to the quote that ends a line)
    at = re.search(r"detected dubious ownership in repository at '(.*?)'$", text,
                   re.DOTALL | re.MULTILINE)
    if at is None:
        where, cmd = "", _last_line(raw)
    else:  # one line, whatever the directory is called
        where = "".join(c if c >= " " and c != "\x7f" else c.encode("unicode_escape").decode()
                        for c in at.group(1))
        # the command names the directory itself, as a shell word ($'…' for a line
        # break: quoting the escaped text named another directory)
        cmd = f"git config --global --add safe.directory {shell_word(at.group(1))}"
    return L(f"git 拒绝读取仓库 {where}：它属于其他用户（detected dubious ownership）；"
             f"信任该仓库时请运行：{cmd}",
             f"git refuses to read the repository {where}: it is owned by another user "
             f"(detected dubious ownership); if you trust it: {cmd}")


def _last_line(raw: bytes) -> str:
    lines = [s.strip() for s in raw.decode("utf-8", "replace").splitlines() if s.strip()]
    return lines[-1] if lines else ""


def fetch_hint(rev: str, remote: str = "origin") -> L:
    """The command that makes `rev` available in a shallow CI clone.  Only the tree
    of `rev` is read (no merge base is needed), so depth 1 is enough; the refspec is
    explicit because a single-branch clone would not create `origin/X` otherwise.  A
    plain name may be a tag or a branch, which a shallow clone cannot tell: both
    commands are given, the tag's as `tag NAME` (`NAME:NAME` would create a branch
    named like the tag, and git would then call the name ambiguous)."""
    q, r = shlex.quote, shlex.quote(remote)  # names are quoted: the line is run as it is
    if re.fullmatch(r"[0-9a-f]{40}", rev):
        return L(f"git fetch --depth=1 {r} {rev}", f"git fetch --depth=1 {r} {rev}")
    if re.search(r"[~^@:]|^[0-9a-f]{4,39}$", rev):  # relative or abbreviated: deepen
        return L("git fetch --deepen=50", "git fetch --deepen=50")
    if rev.startswith(f"{remote}/"):
        name = rev.removeprefix(f"{remote}/")
        cmd = f"git fetch --depth=1 {r} {q(f'{name}:refs/remotes/{remote}/{name}')}"
        return L(cmd, cmd)
    if rev.startswith("refs/"):
        cmd = f"git fetch --depth=1 {r} {q(f'{rev}:{rev}')}"
        return L(cmd, cmd)
    tag = f"git fetch --depth=1 {r} tag {q(rev)}"
    branch = f"git fetch --depth=1 {r} {q(f'{rev}:{rev}')}"
    return L(f"{tag}（标签）或 {branch}（分支）", f"{tag} (a tag) or {branch} (a branch)")


def _remote(top: Path) -> str | None:
    """The remote to fetch from: `origin`, else the only remote there is; None when
    there is none (or several, none called origin)."""
    names = _git(["remote"], top).stdout.decode("utf-8", "replace").split()
    if "origin" in names:
        return "origin"
    return names[0] if len(names) == 1 else None


def _looks_like_path(rev: str) -> bool:
    """A name that is rather a mistyped path than a revision: it ends in `/`, or holds
    a `/` and a leading part of it is an existing directory (`ledgers/wnn`)."""
    if rev.endswith(("/", os.sep)):
        return True
    parts = rev.split("/")
    return len(parts) > 1 and any(Path(*parts[:i]).is_dir() for i in range(1, len(parts)))


def _unknown_rev(top: Path, rev: str) -> LedgerError:
    """The one line for a revision git does not know: a mistyped ledger path, a
    shallow clone that lacks it (with the command that fetches it), or a name that is
    not there at all (a typo: fetching would not help a full clone)."""
    if _looks_like_path(rev):
        return LedgerError(L(f"找不到 {rev}：没有这个台账目录，也没有这个名字的 git 版本",
                             f"{rev}: no such ledger directory (nor a git revision of that "
                             f"name)"))
    shallow = _git(["rev-parse", "--is-shallow-repository"], top).stdout.strip() == b"true"
    remote = _remote(top) if shallow else None
    if remote is not None:
        hint = fetch_hint(rev, remote)
        return LedgerError(L(f"找不到 git 版本 {rev}（这是缺少该版本的浅克隆），请先获取：{hint.zh}",
                             f"unknown git revision {rev} (this is a shallow clone that lacks "
                             f"it); fetch it: {hint.en}"))
    if shallow:
        return LedgerError(L(f"找不到 git 版本 {rev}（这是缺少该版本的浅克隆，且没有可获取的远程仓库）",
                             f"unknown git revision {rev} (this is a shallow clone that lacks "
                             f"it, with no remote to fetch it from)"))
    return LedgerError(L(f"找不到 git 版本 {rev}：这里没有这个分支、标签或提交（拼写有误？）",
                         f"unknown git revision {rev}: no such branch, tag or commit here "
                         f"(a typo?)"))


def _start_dir(root: Path | None) -> tuple[Path, str]:
    """An existing directory to ask git from, and the path below it still to add
    (a ledger deleted from the working tree can still be read at an older rev)."""
    if root is None:
        return Path.cwd(), ""
    p = Path(root)
    if p.name == CONFIG_NAME and not path_is(p, "dir"):
        p = p.parent
    missing: list[str] = []
    while not path_is(p, "dir"):
        if path_is(p):  # a file that is not luoshi.yaml
            raise LedgerError(L(f"{root} 不是目录", f"{root} is not a directory"))
        missing.append(p.name)
        parent = p.parent
        if parent == p:
            break
        p = parent
    return (p if str(p) else Path(".")), "/".join(reversed(missing))


class GitSource:
    """The ledger files of one commit, read through `git` (see the module docstring)."""

    #: no cache, no workers: a revision is read once, file by file
    accelerator: None = None

    def __init__(self, root: Path, top: Path, prefix: str, rev: str, commit: str,
                 entries: dict[str, _Entry]) -> None:
        #: where the ledger lives in the working tree (also the ledger's `root`)
        self.root = root
        self.top = top
        self.prefix = prefix
        self.rev = rev
        self.commit = commit
        self._entries = entries
        dirs: set[str] = set()
        for rel in entries:
            d = rel.rpartition("/")[0]
            while d and d not in dirs:  # each directory once, however deep
                dirs.add(d)
                d = d.rpartition("/")[0]
        self._dirs = dirs
        self._batch: _Batch | None = None
        self._max_mb: float | None = None  # `max_file_mb`, once read
        self._cap_mb: float | None = None  # the working tree's `max_file_mb`, once read
        self._cap_written = False  # whether its luoshi.yaml set it

    # ---- FileSource ------------------------------------------------------------------
    def glob(self, pattern: str) -> list[str]:
        """Like `glob.glob(pattern, root_dir=root, recursive=True)` on the commit's tree:
        `*` stays within a directory and skips hidden names, `**` spans directories.
        A directory named like a YAML file is kept so that reading it reports LS006."""
        match = glob_matcher(pattern)
        hits = [rel for rel in self._entries if match(rel)]
        # a submodule (a gitlink) the pattern would walk into: its files are another
        # repository's, never read at a revision or from the index — listed, so that
        # reading it says so (LS006), rather than no file matching (LS009)
        enter = glob_prefix_matcher(pattern)
        hits += [rel for rel, e in self._entries.items()
                 if e.kind == "commit" and not match(rel) and enter(rel)]
        hits += [d for d in self._dirs if d.endswith((".yaml", ".yml")) and match(d)]
        hits += self._through_links(match, enter)
        # never ledger files, as in the working tree (`assemble.NOT_LEDGER`): by name,
        # or behind a link to a directory of theirs (`tasks/c -> ../.luoshi-cache`); a
        # link to a file of theirs (`tasks/x.yaml -> ../.git/config`) is listed, and
        # reading it refused (LS008)
        hits = [h for h in hits if NOT_LEDGER.isdisjoint(h.split("/"))
                and not self._into_not_ledger_dir(h)]
        return sorted(set(hits), key=lambda h: tuple(h.split("/")))

    def _through_links(self, match: Callable[[str], bool],
                       enter: Callable[[str], bool]) -> list[str]:
        """What `glob` finds behind links to directories, as the working tree's walk
        (`assemble.walk`) does: a link to a directory inside the ledger is walked
        through (`tasks/sub -> ../store` lists `tasks/sub/a.yaml`, read from
        `store/a.yaml` by `_blob_for`), each real directory once, in the same order;
        a link the pattern would walk into that leaves the ledger is listed itself
        (reading it is refused, LS008).  Without this, a staged or committed task
        behind such a link would go unchecked (`luoshi hook`) while the working tree
        checks it."""
        links = {rel: e for rel, e in self._entries.items()
                 if e.mode == "120000" and e.kind == "blob"}
        if not links:
            return []
        children: dict[str, set[str]] = {}
        for rel in (*self._entries, *self._dirs):
            head, _, name = rel.rpartition("/")
            children.setdefault(head, set()).add(name)
        found: list[str] = []
        seen = {""}
        # depth first, in name order, by hand (as `assemble.walk`): a commit may nest
        # directories thousands deep, deeper than Python recurses
        stack = [("", "", iter(sorted(children.get("", ()))))]
        while stack:
            shown, real, names = stack[-1]
            child = next(names, None)
            if child is None:
                stack.pop()
                continue
            r = f"{shown}/{child}" if shown else child
            at = f"{real}/{child}" if real else child
            into = None
            if at in links:
                to = self._link_target(at)
                if to is None:  # out of the ledger: refused when read
                    if match(r) or enter(r):
                        found.append(r)
                    continue
                if to in links:
                    continue  # a loop: as in the working tree
                if not NOT_LEDGER.isdisjoint(to.split("/")):
                    # git's or the cache's: never walked into; a file listed, refused
                    # when read (as in the working tree)
                    if to not in self._dirs and r != at and match(r):
                        found.append(r)
                    continue
                if to in self._dirs:
                    into = to
                elif r != at and match(r):
                    found.append(r)
            elif at in self._dirs:
                into = at
            elif r != at and match(r):
                found.append(r)
            if into is not None and enter(r) and into not in seen:
                seen.add(into)
                stack.append((r, into, iter(sorted(children.get(into, ())))))
        return found

    def real_path(self, rel: str) -> str | None:
        """Where `rel` really is in the ledger at this revision: each link on its way
        (a directory, or `rel` itself) replaced by where it leads; None when one
        leads out of the ledger.  A broken link or a loop is left as it stands
        (reading it says so)."""
        parts = posixpath.normpath(rel).split("/")
        i = 1
        for _ in range(_SYMLINK_HOPS * (len(parts) + 1)):
            if i > len(parts):
                break
            head = "/".join(parts[:i])
            entry = self._entries.get(head)
            if entry is None or entry.mode != "120000" or entry.kind != "blob":
                i += 1
                continue
            to = self._link_target(head)
            if to is None:
                return None
            if to == head or (to in self._entries and self._entries[to].mode == "120000"):
                break  # broken, or a loop
            # from the start again: `to` may pass through a link to a directory
            parts = [p for p in to.split("/") if p] + parts[i:]
            i = 1
        return "/".join(parts)

    def link_text(self, rel: str) -> str | None:
        """The target `rel` holds when it is a link at this revision, else None."""
        entry = self._entries.get(posixpath.normpath(rel))
        if entry is None or entry.mode != "120000" or entry.kind != "blob":
            return None
        return self._link_text(entry)

    def _into_not_ledger_dir(self, rel: str) -> bool:
        """Whether `rel` is a link to a directory of git's or the cache's."""
        to = self._link_target(rel) or ""
        return not NOT_LEDGER.isdisjoint(to.split("/")) and to in self._dirs

    def _link_target(self, rel: str) -> str | None:
        """Where the link `rel` finally leads, relative to the ledger root (links to
        links followed; a loop: a link still); None when it leaves the ledger."""
        for _ in range(_SYMLINK_HOPS):
            entry = self._entries.get(rel)
            if entry is None or entry.mode != "120000" or entry.kind != "blob":
                return rel
            target = self._link_text(entry)
            if target is None:  # broken: it leads nowhere, a link still (reading says so)
                return rel
            to = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
            if posixpath.isabs(to) or to == ".." or to.startswith("../"):
                return None
            rel = "" if to == "." else to
        return rel

    def _link_text(self, entry: _Entry) -> str | None:
        """The target a link entry holds, or None when its blob is longer than any
        link can be (`_LINK_MAX`): that blob is never read."""
        if entry.size > _LINK_MAX:
            return None
        return self._cat([entry.sha])[entry.sha].decode("utf-8", "replace")

    def exists(self, rel: str) -> bool:
        rel = posixpath.normpath(rel)
        return rel in self._entries or rel in self._dirs

    def load_many(self, rels: Sequence[str], max_mb: float) -> list[Source]:
        """`FileSource.load_many`; `max_mb` (the revision's own `max_file_mb`) is capped
        by the working tree's (`worktree_max_mb`)."""
        own, max_mb = max_mb, min(max_mb, self.worktree_max_mb())
        sources = [Source(path=self.root / rel, rel=rel) for rel in rels]
        wanted: dict[int, str] = {}  # index in `sources` -> blob sha
        for i, src in enumerate(sources):
            sha = self._blob_for(src, max_mb, own)
            if sha is not None:
                wanted[i] = sha
        blobs = self._cat(list(dict.fromkeys(wanted.values())))
        for i, sha in wanted.items():
            src = sources[i]
            text, problem = decode(blobs[sha], src.rel)
            if problem is not None:
                src.findings.append(problem)
            else:
                src.text = text
                parse(src)
        return sources

    def read_bytes(self, rel: str, why: list[Finding] | None = None,
                   max_mb: float | None = None) -> bytes | None:
        """Raw bytes of any file of the ledger at this revision (e.g. a bulletin template
        under templates/, so that `--rev` reproduces a bulletin exactly), or None — with
        the finding that says why added to `why` when given (a link leading out of the
        ledger is LS008, which a caller may have to refuse rather than pass over).

        A file over `max_mb` (default: the ledger's own `max_file_mb` at this revision)
        is never read: a one-line `LedgerError` (exit 2) in LS003's words, as the caller
        needs the file whole — a template passed over would publish a bulletin the
        revision does not name."""
        src = Source(path=self.root / rel, rel=rel)
        sha = self._blob_for(src, self.max_file_mb() if max_mb is None else max_mb)
        if why is not None:
            why.extend(src.findings)
        big = next((f for f in src.findings if f.code == "LS003"), None)
        if big is not None:
            raise LedgerError(L(f"{rel}@{self.rev}: {big.message('zh')}",
                                f"{rel}@{self.rev}: {big.message('en')}"))
        return None if sha is None else self._cat([sha])[sha]

    def max_file_mb(self) -> float:
        """The ledger's size limit at this revision (`max_file_mb` in its luoshi.yaml;
        the default when that does not load; never above the working tree's), read
        once: `read_bytes` asks for it for every template it reads."""
        if self._max_mb is None:
            (src,) = self.load_many([CONFIG_NAME], DEFAULT_MAX_FILE_MB)
            config = parse_config(CONFIG_NAME, src.data)[0] if src.ok else None
            own = config.max_file_mb if config is not None else DEFAULT_MAX_FILE_MB
            self._max_mb = min(own, self.worktree_max_mb())
        return self._max_mb

    def worktree_max_mb(self) -> float:
        """The size limit the working tree's luoshi.yaml sets for this ledger (the
        default when there is none, or it does not load), read once: a revision's own
        `max_file_mb` never raises it (`_blob_for`) — a commit raising it to 4096 and
        holding a blob of zeros git stores in a few KB would otherwise be read whole."""
        if self._cap_mb is None:
            cap = float(DEFAULT_MAX_FILE_MB)
            path = self._worktree_config()
            if path is not None:
                src = read_text(path, CONFIG_NAME)
                if src.text is not None:
                    parse(src)
                    config = parse_config(CONFIG_NAME, src.data)[0] if src.ok else None
                    if config is not None:
                        cap = config.max_file_mb
                        self._cap_written = "max_file_mb" in src.data
            self._cap_mb = cap
        return self._cap_mb

    def _worktree_config(self) -> Path | None:
        """The working tree's luoshi.yaml of this ledger, when there is one to read as
        the working-tree loader reads it: a regular file reached through no link
        leading out of the ledger (or into its .git), which that loader refuses
        (LS008) — never a limit read from a file outside the ledger."""
        path = self.root / CONFIG_NAME
        if not path.is_file() or link_out(self.root, CONFIG_NAME) is not None:
            return None
        return path

    def _capped(self, own: float) -> L:
        """LS003's fix for a file within the revision's own limit (`own`) but over the
        working tree's: the limit comes from the working tree, not from the revision —
        `luoshi diff` used to blame the revision ("the ledger at HEAD does not load")
        for a limit a pull request had lowered in its own luoshi.yaml."""
        cap = _mb(self.worktree_max_mb())
        if self._cap_written:
            where = L(f"工作区 luoshi.yaml 中的 max_file_mb（{cap} MB）",
                      f"max_file_mb in the working tree's luoshi.yaml ({cap} MB)")
        elif self._worktree_config() is not None:
            where = L(f"默认上限 {cap} MB（工作区的 luoshi.yaml 没有设定 max_file_mb）",
                      f"the default {cap} MB (the working tree's luoshi.yaml sets no "
                      "max_file_mb)")
        else:
            where = L(f"默认上限 {cap} MB（工作区中没有这个台账的 luoshi.yaml）",
                      f"the default {cap} MB (the working tree holds no luoshi.yaml for "
                      "this ledger)")
        side = L("暂存区", "the index") if self.rev == STAGED else L(self.rev, self.rev)
        at = L("暂存区中", "in the index") if self.rev == STAGED else L(f"在 {self.rev} 中",
                                                                          f"at {self.rev}")
        return L(f"这个上限是{where.zh}，低于 {side.zh} 自己设定的 {_mb(own)} MB：读取 git 版本时"
                 f"从不超过工作区的上限，这个文件{at.zh}并无问题；请调大工作区 luoshi.yaml "
                 "中的 max_file_mb",
                 f"the limit is {where.en}, below {side.en}'s own {_mb(own)} MB: a git "
                 f"revision is never read past the working tree's limit, and the file is "
                 f"not at fault {at.en}; raise max_file_mb in the working tree's "
                 "luoshi.yaml")

    # ---- helpers ---------------------------------------------------------------------
    def _blob_for(self, src: Source, max_mb: float, own: float | None = None) -> str | None:
        """The blob to read for `src`, or None with a finding saying why not.  `own`:
        the revision's own limit, when `max_mb` is that capped by the working tree's."""
        rel = posixpath.normpath(src.rel)
        for _ in range(_SYMLINK_HOPS):
            entry = self._entries.get(rel)
            if entry is None and rel not in self._dirs:
                rel, entry = self._below_link(rel, src)
                if rel == "":
                    return None
            if entry is None:
                reason = (IS_A_DIRECTORY if rel in self._dirs
                          else L(f"{self.rev} 中没有此文件", f"no such file at {self.rev}"))
                src.findings.append(finding("LS006", src.rel, line=1, col=1, reason=reason))
                return None
            if entry.kind == "conflict":
                src.findings.append(finding(
                    "LS006", src.rel, line=1, col=1,
                    reason=L("暂存区中有未解决的合并冲突",
                             "an unresolved merge conflict in the index")))
                return None
            if entry.kind != "blob":
                src.findings.append(finding("LS006", src.rel, line=1, col=1,
                                            reason=SUBMODULE))
                return None
            if entry.mode == "120000":  # a symbolic link: its blob is the target path
                target = self._link_text(entry)
                if target is None:
                    src.findings.append(finding("LS006", src.rel, line=1, col=1,
                                                reason=_long_link(entry.size)))
                    return None
                to = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
                if posixpath.isabs(to) or to == ".." or to.startswith("../"):
                    # out of the ledger root: refused as in the working tree (`link_out`)
                    src.findings.append(link_refused(src.rel, rel, target))
                    return None
                owned = not_ledger_part(to.split("/"))
                if owned is not None:  # into .git or the cache: refused as well
                    src.findings.append(link_refused(src.rel, rel, target, owned))
                    return None
                rel = to
                continue
            if entry.size > max_mb * _MB:
                size, limit = f"{entry.size / _MB:.3g}", _mb(max_mb)
                if own is not None and max_mb < own and entry.size <= own * _MB:
                    src.findings.append(finding("LS003", src.rel, line=1, col=1, size=size,
                                                limit=limit, fix=self._capped(own)))
                else:
                    src.findings.append(finding("LS003", src.rel, line=1, col=1, size=size,
                                                limit=limit))
                return None
            return entry.sha
        src.findings.append(finding("LS006", src.rel, line=1, col=1,
                                    reason=LINK_LOOP))
        return None

    def _below_link(self, rel: str, src: Source) -> tuple[str, _Entry | None]:
        """`rel` with a directory on its way that is a link inside the ledger replaced
        by where it leads (`_through_links` lists such paths), and its entry; ("", None)
        with LS008 when that link leaves the ledger."""
        parts = rel.split("/")
        for i in range(len(parts) - 1, 0, -1):
            link = "/".join(parts[:i])
            entry = self._entries.get(link)
            if entry is not None and entry.mode == "120000" and entry.kind == "blob":
                to = self._link_target(link)
                owned = None if to is None else not_ledger_part(to.split("/"))
                if to is None or owned is not None:  # out, or into .git or the cache
                    target = self._link_text(entry) or ""
                    src.findings.append(link_refused(src.rel, link, target, owned))
                    return "", None
                rel = posixpath.normpath(posixpath.join(to, *parts[i:]))
                return rel, self._entries.get(rel)
        return rel, None

    def _cat(self, shas: list[str]) -> dict[str, bytes]:
        """Blobs by id, all through this source's one `git cat-file --batch` process."""
        if not shas:
            return {}
        if self._batch is None:
            self._batch = _Batch(self.top)
        return self._batch.read(shas)

    def close(self) -> None:
        if self._batch is not None:
            self._batch.close()
            self._batch = None


#: why a submodule (a gitlink) is not read: its files are another repository's
SUBMODULE = L("这是 git 子模块：其中的文件属于另一个仓库，在 git 版本或暂存区中不读取",
              "a git submodule: its files are another repository's, not read at a revision "
              "or from the index")


def capped(f: Finding) -> bool:
    """Whether `f` is an LS003 of a revision's file refused only by the working tree's
    limit (`GitSource._capped` gave it its own fix)."""
    return f.code == "LS003" and any(k == "fix" for k, _ in f.params)


def _mb(limit: float) -> str:
    """A size limit as written: 64, 0.002."""
    return str(int(limit)) if float(limit).is_integer() else str(limit)


def _long_link(size: int) -> L:
    """Why a link whose blob is longer than any link target cannot be followed."""
    return L(f"失效的符号链接：目标路径长 {size} 字节，超过上限 {_LINK_MAX} 字节",
             f"a broken symbolic link: its target is {size} bytes long (at most "
             f"{_LINK_MAX})")


class _Batch:
    """One long-lived `git cat-file --batch`: requests go in chunks small enough for
    the pipe buffer, so neither side can block the other."""

    CHUNK = 256  # 256 × 41 bytes of requests stay well inside a 64 KB pipe

    def __init__(self, top: Path) -> None:
        try:
            start, env = _command(top)
            self.proc: subprocess.Popen[bytes] = subprocess.Popen(
                [*start, "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        except OSError as exc:
            raise LedgerError(L(f"无法运行 git：{exc}", f"cannot run git: {exc}")) from None
        # the process ends with the source, not with the interpreter
        self._finalizer = weakref.finalize(self, _end, self.proc)

    def read(self, shas: list[str]) -> dict[str, bytes]:
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        blobs: dict[str, bytes] = {}
        try:
            for i in range(0, len(shas), self.CHUNK):
                chunk = shas[i:i + self.CHUNK]
                stdin.write(("\n".join(chunk) + "\n").encode())
                stdin.flush()
                for sha in chunk:
                    header = stdout.readline().split()
                    if len(header) < 3:  # "<sha> missing", or git died
                        raise LedgerError(L(f"缺少 git 对象 {sha}（是部分克隆吗？）",
                                            f"git object {sha} is missing (a partial clone?)"))
                    size = int(header[2])
                    blobs[sha] = stdout.read(size)
                    stdout.read(1)  # the newline after each object
        except (BrokenPipeError, ValueError) as exc:
            raise LedgerError(L(f"读取 git 对象失败：{exc}", f"git cat-file failed: {exc}")) from None
        return blobs

    def close(self) -> None:
        self._finalizer()


def _end(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):
        if proc.stdin is not None:
            proc.stdin.close()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def _top_and_prefix(root: Path | None, option: str) -> tuple[Path, str]:
    """The repository's top directory, and the ledger directory's path below it
    (posix, "" at the top), for a ledger at `root` (default: the current directory);
    `option` names what asked, in the one-line error outside a repository."""
    start, below = _start_dir(root)
    answers = []
    # asked one at a time, and only git's own line end taken off: a folder named with
    # a line break, U+2028 or \x1c (which `splitlines` also splits at) cut the ledger's
    # path short, and `luoshi hook` skipped it — its errors passed the gate
    for ask in ("--show-toplevel", "--show-prefix"):
        proc = _git(["rev-parse", ask], start)
        if proc.returncode != 0:
            msg = _last_line(proc.stderr)
            if "not a git repository" in msg:
                raise NotInRepository(L(f"{option}：{start.resolve()} 不在 git 仓库中",
                                        f"{option}: {start.resolve()} is not inside a git "
                                        "repository"), start.resolve())
            raise LedgerError(L(f"git 出错：{msg}", f"git: {msg}"))
        out = proc.stdout.decode("utf-8", "surrogateescape")
        answers.append(out[:-1] if out.endswith("\n") else out)
    top = Path(answers[0])
    here = answers[1].strip("/")
    if not here and not start.resolve().is_relative_to(top.resolve()):
        # GIT_DIR/GIT_WORK_TREE name a repository whose work tree `start` is not in:
        # git answers its top and the prefix "", which would read another ledger
        raise NotInRepository(L(f"{option}：{start.resolve()} 不在 GIT_DIR/GIT_WORK_TREE 所指"
                                f"仓库的工作区 {top} 中",
                                f"{option}: {start.resolve()} is not inside the work tree "
                                f"{top} of the repository GIT_DIR/GIT_WORK_TREE name"),
                              start.resolve())
    if below:
        here = f"{here}/{below}".strip("/")
    return top, here


def git_source(root: Path | None, rev: str) -> FileSource:
    """The ledger at `root` (default: found from the current directory, as git and
    `find_root` do) as it was at revision `rev`."""
    return open_git(root, rev)


def merge_base(root: Path | None, a: str, b: str) -> str:
    """The commit `A...B` compares B with (`git diff A...B`, a GitHub compare): where B
    forked from A, its full id (shown by its first 12 hex digits, but read by the
    whole: a tag named like the abbreviation would be read instead).  One-line
    `LedgerError` (exit 2) when git has no such revision (said as `--rev` says it: in a
    shallow clone with the command that fetches it — git's own "Not a valid object
    name" and a suggested `luoshi diff A B` that fails the same way helped nobody) or
    no common ancestor (a shallow CI clone lacks the history)."""
    for rev in (a, b):
        if not rev or rev.startswith("-"):
            raise LedgerError(L(f"不是有效的 git 版本：{rev!r}", f"not a git revision: {rev!r}"))
    top, _ = _top_and_prefix(root, f"{a}...{b}")
    commits = []
    for rev in (a, b):
        commit = _commit(top, rev)
        if commit is None:
            raise _not_a_commit(top, rev) or _unknown_rev(top, rev)
        commits.append(commit)
    proc = _git(["merge-base", *commits], top)
    base = proc.stdout.decode().strip()
    if proc.returncode == 0 and base:
        return base
    said = _last_line(proc.stderr)
    why = (L(said, said) if said
           else L("没有共同祖先（浅克隆缺少历史：git fetch --unshallow）",
                  "no common ancestor (a shallow clone lacks the history: git fetch "
                  "--unshallow)"))
    cmd = f"luoshi diff {shlex.quote(a)} {shlex.quote(b)}"
    raise LedgerError(L(f"找不到 {a} 与 {b} 的共同祖先（{a}...{b}）：{why.zh}；或直接比较两个版本："
                        f"{cmd}",
                        f"cannot find the merge base of {a} and {b} ({a}...{b}): {why.en}; "
                        f"or compare the two revisions themselves: {cmd}"))


def _commit(top: Path, rev: str) -> str | None:
    """The commit `rev` names in the repository at `top`, or None when it names none."""
    proc = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                top)
    if proc.returncode == 0:
        return _oid(proc.stdout)
    # `:/message` takes all that follows for the message (`^{commit}` too): the
    # object first, then its commit
    oid = _object(top, rev)
    if oid is None:
        return None
    proc = _git(["rev-parse", "--verify", "--quiet", f"{oid}^{{commit}}"], top)
    return _oid(proc.stdout) if proc.returncode == 0 else None


#: a full object id, SHA-1 or SHA-256
_HEX_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def _oid(out: bytes) -> str | None:
    """The object id git printed, or None when it printed something else: `^HEAD`
    (a negated revision, a range's excluded end) verifies as `^<id>` — no commit to
    read, and git's own errors would follow."""
    text = out.decode(errors="replace").strip()
    return text if _HEX_ID.fullmatch(text) else None


def _object(top: Path, rev: str) -> str | None:
    """The object `rev` names (any kind), or None."""
    proc = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", rev], top)
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def _not_a_commit(top: Path, rev: str) -> LedgerError | None:
    """The one line for a revision naming a tree or a blob (a tag of one, `HEAD^{tree}`,
    `HEAD:dir`, a blob's id) — not "no such revision" — or None when it names nothing."""
    oid = _object(top, rev)
    if oid is None:
        return None
    kind = _git(["cat-file", "-t", f"{oid}^{{}}"], top).stdout.decode().strip()
    if kind not in ("tree", "blob"):
        return None
    what = L("目录树（tree）", "a tree") if kind == "tree" else L("文件（blob）", "a blob")
    return LedgerError(L(f"git 版本 {rev} 指向的是{what.zh}，不是提交：请给出分支、标签或提交",
                         f"git revision {rev} names {what.en}, not a commit: give a branch, "
                         f"tag or commit"))


def _index_read(proc: subprocess.CompletedProcess[bytes], what: str) -> bytes:
    """The output of a git command reading the index, or the one-line `LedgerError`
    saying it failed (`what`: the command, in the English message)."""
    if proc.returncode != 0:
        raise LedgerError(L(f"读取暂存区失败：{_last_line(proc.stderr)}",
                            f"{what} failed: {_last_line(proc.stderr)}"))
    return proc.stdout


def open_git(root: Path | None, rev: str) -> GitSource:
    if not rev or rev.startswith("-"):
        raise LedgerError(L(f"不是有效的 git 版本：{rev!r}", f"not a git revision: {rev!r}"))
    top, here = _top_and_prefix(root, f"--rev/--base {rev}")

    commit = _commit(top, rev)
    if commit is None:
        raise _not_a_commit(top, rev) or _unknown_rev(top, rev)

    prefix = _find_prefix(top, commit, here, rev) if root is None else here
    named = None if root is None else _named_prefix(root, top)
    entries: dict[str, _Entry] | None = None
    if named is not None and named != prefix:
        # the path as named held the ledger at REV: that is the ledger read (and
        # compared, `--base`), not the folder a link put there since leads to
        # (`ledgers/b -> b2`: b2 did not exist at REV, or was another ledger)
        at_named = _list_tree(top, commit, named)
        if CONFIG_NAME in at_named:
            prefix, entries = named, at_named
    if entries is None:
        entries = _list_tree(top, commit, prefix)
    if CONFIG_NAME not in entries:
        where = prefix or "."
        raise NoLedgerAtRev(L(f"{rev} 版本中 {where} 不是台账目录（没有 {CONFIG_NAME}）",
                              f"at {rev} there is no ledger at {where} (no {CONFIG_NAME})"))
    ledger_root = top / prefix if prefix else top
    if root is not None:
        ledger_root = Path(root)
        if ledger_root.name == CONFIG_NAME and not ledger_root.is_dir():
            ledger_root = ledger_root.parent
    return GitSource(ledger_root, top, prefix, rev, commit, entries)


def _named_prefix(root: Path, top: Path) -> str | None:
    """The ledger's directory below `top` as `root` names it, before the links on its
    way are resolved (git's prefix is the resolved one): `ledgers/b` for a `ledgers/b`
    that is now a link to `b2`.  None when that path is not below `top`."""
    p = Path(os.path.abspath(root))
    if p.name == CONFIG_NAME and not p.is_dir():
        p = p.parent
    parts = p.parts
    real_top = os.path.realpath(top)
    for i in range(len(parts), 0, -1):
        at = Path(*parts[:i])
        if os.path.realpath(at) == str(at):  # no link on the way to `at`
            rel = os.path.relpath(at, real_top)
            if rel == ".." or rel.startswith(("../", f"..{os.sep}")) or os.path.isabs(rel):
                return None
            named = "/".join([*(Path(rel).parts if rel != "." else ()), *parts[i:]])
            return named
    return None


def _find_prefix(top: Path, commit: str, here: str, rev: str) -> str:
    """The nearest directory from `here` upwards holding luoshi.yaml at `commit`."""
    parts = here.split("/") if here else []
    candidates = ["/".join(parts[:i]) for i in range(len(parts), -1, -1)]
    paths = [f"{c}/{CONFIG_NAME}" if c else CONFIG_NAME for c in candidates]
    proc = _git(["ls-tree", "-r", "-z", "--name-only", commit, "--",
                 *(f":(literal){p}" for p in paths)], top)
    found = set(proc.stdout.decode("utf-8", "surrogateescape").split("\0"))
    for c, p in zip(candidates, paths, strict=True):
        if p in found:
            return c
    raise NoLedgerAtRev(L(f"{rev} 版本中当前目录及上级目录都没有 {CONFIG_NAME}",
                          f"at {rev} there is no {CONFIG_NAME} here or in any parent "
                          f"directory"))


def _list_tree(top: Path, commit: str, prefix: str) -> dict[str, _Entry]:
    args = ["ls-tree", "-r", "-z", "-l", commit]
    if prefix:  # a literal path, never a pattern (a folder named `:b` is not `b`)
        args += ["--", f":(literal){prefix}"]
    proc = _git(args, top)
    if proc.returncode != 0:
        raise LedgerError(L(f"读取 git 目录失败：{_last_line(proc.stderr)}",
                            f"git ls-tree failed: {_last_line(proc.stderr)}"))
    cut = len(prefix) + 1 if prefix else 0
    entries: dict[str, _Entry] = {}
    for rec in proc.stdout.split(b"\0"):
        if not rec:
            continue
        meta, _, name = rec.partition(b"\t")
        path = name.decode("utf-8", "surrogateescape")
        if prefix and not path.startswith(prefix + "/"):
            continue
        mode, kind, sha, size = meta.decode().split()
        entries[path[cut:]] = _Entry(mode, kind, sha, int(size) if size.isdigit() else 0)
    return entries


#: what a source read from the index is called in messages ("no such file at …")
STAGED = "the index (staged)"


def open_index(root: Path | None) -> GitSource:
    """The ledger at `root` (default: the nearest directory from the current one
    holding luoshi.yaml in the index) as it is staged: what `git commit` would record,
    whatever the working tree holds (`validate --staged`, `luoshi hook`).

    The file list is one `git ls-files -s` of the ledger's directory (a path with an
    unresolved merge conflict is listed without a blob, and reading it says so); sizes come
    from one `git cat-file --batch-check`, blobs from the same `--batch` process as a
    revision's.  Paths are those git recorded, below the ledger's directory; a
    symbolic link is followed only inside it (`GitSource._blob_for`)."""
    top, here = _top_and_prefix(root, "--staged")
    if root is None:
        parts = here.split("/") if here else []
        candidates = ["/".join(parts[:i]) for i in range(len(parts), -1, -1)]
        paths = [f"{c}/{CONFIG_NAME}" if c else CONFIG_NAME for c in candidates]
        listed = _git(["ls-files", "-z", "--", *(f":(literal){q}" for q in paths)], top)
        staged = set(listed.stdout.decode("utf-8", "surrogateescape").split("\0"))
        found = [c for c, q in zip(candidates, paths, strict=True) if q in staged]
        if not found:
            raise NoLedgerAtRev(L(f"暂存区中当前目录及上级目录都没有 {CONFIG_NAME}",
                                  f"no {CONFIG_NAME} is staged here or in any parent "
                                  f"directory"))
        here = found[0]
    index = _ls_index(top, here)
    for rel in _intent_to_add(top, here, index):
        del index[rel]
    if CONFIG_NAME not in index:
        where = here or "."
        raise NoLedgerAtRev(L(f"暂存区中 {where} 不是台账目录（没有暂存的 {CONFIG_NAME}）",
                              f"the index holds no ledger at {where} (no {CONFIG_NAME} staged)"))
    sizes = _sizes(top, sorted({sha for _, sha in index.values() if sha}))
    entries = {rel: _Entry(mode, "commit" if mode == "160000" else
                           "conflict" if not sha else "blob", sha,
                           sizes.get(sha, 0)) for rel, (mode, sha) in index.items()}
    ledger_root = top / here if here else top
    if root is not None:
        ledger_root = Path(root)
        if ledger_root.name == CONFIG_NAME and not ledger_root.is_dir():
            ledger_root = ledger_root.parent
    return GitSource(ledger_root, top, here, STAGED, "", entries)


def staged_ledgers(start: Path) -> list[Path] | None:
    """The ledgers a commit made now would change (`luoshi hook` with no files, as the
    pre-commit hook runs it): for every path `git diff --cached` names — deletions,
    symbolic links and submodules included, which pre-commit's own file list leaves
    out — the nearest directory above it holding luoshi.yaml in the index (or whose
    luoshi.yaml the commit deletes, so that a removed ledger is reported as skipped).
    Ledgers in hidden directories or node_modules are left out, as `discover` leaves
    them.  None when nothing is staged at all (`pre-commit run --all-files` on a clean
    index): the caller then checks every ledger."""
    top, _ = _top_and_prefix(start, "hook")
    paths, dirs = _staged_paths_and_ledgers(top)
    if not paths:
        return None
    found: dict[str, None] = {}
    for path in paths:
        d = _nearest(posixpath.dirname(path), dirs)
        if d is not None:
            found[d] = None
    return sorted(top / d if d else top for d in found
                  if not any(part.startswith(".") or part in ("node_modules", "__pycache__")
                             for part in d.split("/") if part))


def staged_ledgers_of(files: Sequence[Path]) -> dict[Path, Path | None]:
    """Each file's ledger as the index holds it (`luoshi hook FILE…`): the nearest
    directory from the file upwards whose luoshi.yaml is staged (or whose luoshi.yaml
    the commit deletes), as `staged_ledgers` finds it — never a luoshi.yaml only in the
    working tree (an untracked one in a subfolder, or the ledger's own deleted there but
    not in the index).  A directory names the ledger it is in.  None for a file in no
    staged ledger; a file outside any repository is left out (its caller finds its
    ledger in the working tree, where checking it as staged says it is not in git)."""
    tops: dict[Path, set[str]] = {}
    asked: dict[Path, tuple[Path, str] | None] = {}  # git asked once per directory
    out: dict[Path, Path | None] = {}
    for f in files:
        is_dir = path_is(Path(f), "dir")
        folder = Path(f) if is_dir else Path(f).parent
        if folder not in asked:
            try:
                asked[folder] = _top_and_prefix(folder, "hook")
            except NotInRepository:
                asked[folder] = None
        where = asked[folder]
        if where is None:
            continue
        top, here = where
        if top not in tops:
            tops[top] = _staged_paths_and_ledgers(top)[1]
        rel = here if is_dir else f"{here}/{Path(f).name}".lstrip("/")
        d = _nearest(rel if is_dir else posixpath.dirname(rel), tops[top])
        out[f] = None if d is None else (top / d if d else top)
    return out


def _nearest(here: str, dirs: set[str]) -> str | None:
    """The nearest of `dirs` from the directory `here` upwards (`""`: the top)."""
    while True:
        if here in dirs:
            return here
        if not here:
            return None
        here = posixpath.dirname(here)


def _staged_paths_and_ledgers(top: Path) -> tuple[list[str], set[str]]:
    """The paths the staged changes touch (`git diff --cached`), and the directories
    holding luoshi.yaml in the index or whose luoshi.yaml the commit deletes."""
    changed = _git(["diff", "--cached", "--name-only", "-z", "--no-renames", "--no-relative",
                    "--no-ext-diff"], top)
    configs = _git(["ls-files", "-z", "--", f":(glob)**/{CONFIG_NAME}"], top)
    what = "git listing the staged changes"
    staged, listed = _index_read(changed, what), _index_read(configs, what)
    paths = [p for p in staged.decode("utf-8", "surrogateescape").split("\0") if p]
    dirs = {posixpath.dirname(p)
            for p in listed.decode("utf-8", "surrogateescape").split("\0")
            if p and posixpath.basename(p) == CONFIG_NAME}
    dirs |= {posixpath.dirname(p) for p in paths if posixpath.basename(p) == CONFIG_NAME}
    return paths, dirs


def _ls_index(top: Path, prefix: str) -> dict[str, tuple[str, str]]:
    """Stage-0 index entries below `prefix` (a literal path, never a pattern), by path
    relative to it: (mode, blob id)."""
    args = ["ls-files", "-s", "-z"]
    if prefix:
        args += ["--", f":(literal){prefix}"]
    listing = _index_read(_git(args, top), "git ls-files")
    cut = len(prefix) + 1 if prefix else 0
    out: dict[str, tuple[str, str]] = {}
    for rec in listing.split(b"\0"):
        if not rec:
            continue
        meta, _, name = rec.partition(b"\t")
        mode, sha, stage = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        if prefix and not path.startswith(prefix + "/"):
            continue
        if stage == "0":
            out[path[cut:]] = (mode, sha)
        else:  # unmerged: listed (no blob), so that reading it says so — never skipped
            out.setdefault(path[cut:], (mode, ""))
    return out


#: the empty blob (SHA-1 and SHA-256 repositories): what an intent-to-add entry holds
_EMPTY_BLOBS = frozenset(("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
                          "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813"))


def _intent_to_add(top: Path, prefix: str, index: dict[str, tuple[str, str]]) -> list[str]:
    """The entries below `prefix` that are only intended to be added (`git add -N`):
    the index lists them with the empty blob, but a commit leaves them out (as
    `git write-tree` does) — read as staged, each would be an empty task file (LS002).

    `git ls-files` does not tell them apart from a staged empty file; `git diff --cached`
    does: it shows an intent-to-add entry one way with `--ita-visible-in-index` and
    another with `--ita-invisible-in-index` (new: "A" against nothing; over a committed
    file: nothing against "D"), and every other entry the same way in both.  Two
    index-against-HEAD diffs of the ledger's directory, run only when an entry holds the
    empty blob."""
    empty = {rel for rel, (_, sha) in index.items() if sha in _EMPTY_BLOBS}
    if not empty:
        return []
    cut = len(prefix) + 1 if prefix else 0
    seen: list[dict[str, str]] = []
    for how in ("--ita-visible-in-index", "--ita-invisible-in-index"):
        args = ["diff", "--cached", "--name-status", "-z", "--no-renames", "--no-relative",
                "--no-ext-diff", how]
        if prefix:
            args += ["--", f":(literal){prefix}"]
        fields = _index_read(_git(args, top), "git diff --cached").decode(
            "utf-8", "surrogateescape").split("\0")
        seen.append({path[cut:]: status for status, path in zip(fields[::2], fields[1::2],
                                                                 strict=False)})
    visible, invisible = seen
    return sorted(rel for rel in empty if visible.get(rel) != invisible.get(rel))


def _sizes(top: Path, shas: list[str]) -> dict[str, int]:
    """Object sizes by id, from one `git cat-file --batch-check`: the size limit is
    applied before a blob is read, as for a revision."""
    if not shas:
        return {}
    proc = _git(["cat-file", "--batch-check"], top, ("\n".join(shas) + "\n").encode())
    sizes: dict[str, int] = {}
    for line in proc.stdout.decode().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


def load_at(root: Path, rev: str, against: str | None = None) -> Loaded | None:
    """The ledger at `root` as it was at `rev`, or None when it did not exist yet.

    A ledger directory moved since `rev` (`git mv L L2`) is the ledger it was: git's
    rename detection of its luoshi.yaml finds where it lay then, and change control
    compares with that — else moving the directory in the same change as a locked
    task would leave nothing locked to compare.  `against`: the side `root` was read
    from (see `open_followed`)."""
    src = open_followed(root, rev, against)
    return None if src is None else open_ledger(None, src)


def open_followed(root: Path, rev: str, against: str | None = None) -> GitSource | None:
    """The ledger at `root` as it was at `rev`, found where it lay then when its
    directory was moved since; None when it did not exist at `rev`.

    `against` names the side the ledger at `root` was read from, which the rename is
    looked for against: None for the working tree, `STAGED` for the index, else a
    revision (`validate --rev B --base A`, `luoshi diff A B`): what moved between A
    and B, whatever is checked out."""
    try:
        return open_git(root, rev)
    except NoLedgerAtRev:
        return _moved_from(root, rev, against)
    except LedgerError:
        if rev == "HEAD" and _no_commit_yet(root):  # the first commit: nothing was locked
            return None
        raise


def _no_commit_yet(root: Path) -> bool:
    """Whether the repository holding `root` has no commit at all (an unborn HEAD)."""
    top, _ = _top_and_prefix(root, "HEAD")
    proc = _git(["rev-list", "-n", "1", "--all"], top)
    return proc.returncode == 0 and not proc.stdout.strip()


def _moved_from(root: Path, rev: str, against: str | None = None) -> GitSource | None:
    """The ledger at `root` as it was at `rev` under the name it had then, when git
    sees its luoshi.yaml renamed between `rev` and `against` (see `open_followed`);
    else None.

    Against the working tree (`against` None) git compares the commit with the working
    tree's files, as the ledger was read from them: the index or HEAD would be other
    content (an unstaged edit), so a rename could be seen or missed differently.  Git
    then hashes working-tree files whose stat data changed, through any clean filter
    `.gitattributes` names — the one program of the repository's that a luoshi
    command may still run (`_GIT` keeps the others from starting)."""
    top, here = _top_and_prefix(root, f"--base {rev}")
    commit = _commit(top, rev)
    if commit is None:
        return None
    now = f"{here}/{CONFIG_NAME}" if here else CONFIG_NAME
    args = ["diff", "-M", "--name-status", "-z", "--diff-filter=R", "--no-relative",
            "--no-ext-diff"]
    if against == STAGED:
        args += ["--cached", commit]
    elif against is not None:
        then = _commit(top, against)
        if then is None:
            return None
        args += [commit, then]
    else:
        args += [commit]
    diff = _git(args, top)
    if diff.returncode != 0:
        return None
    fields = diff.stdout.decode("utf-8", "surrogateescape").split("\0")
    for i in range(0, len(fields) - 2, 3):  # R<score>, old path, new path
        if fields[i].startswith("R") and fields[i + 2] == now:
            old = fields[i + 1]
            prefix = old.rsplit("/", 1)[0] if "/" in old else ""
            entries = _list_tree(top, commit, prefix)
            if CONFIG_NAME in entries:
                return GitSource(Path(root), top, prefix, rev, commit, entries)
    return None
