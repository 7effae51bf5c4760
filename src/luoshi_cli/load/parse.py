"""Raw YAML data → model records, one file kind per function.

Each function runs the schema reader (which reports unknown keys, types, id forms)
and builds records from what converted cleanly.  A record whose required parts
did not convert is left out: its findings already say why, and a half-built task
must never reach scoring.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from ..core.codes import L
from ..core.finding import Finding, KeyPath, finding
from ..core.model import (
    Adjustment,
    Bonus,
    Category,
    Closed,
    Component,
    Config,
    Deduction,
    DeductionCategory,
    Files,
    Flag,
    Grade,
    Interview,
    Item,
    Leader,
    Milestone,
    RankingGroup,
    Record,
    RecordFlag,
    Rectification,
    Reporting,
    Restored,
    Rule,
    Scheme,
    Src,
    SupervisionFile,
    Tag,
    Target,
    Task,
    Unit,
    Update,
)
from ..core.safetext import INVISIBLE
from ..core.slips import meant_id
from . import schema
from .schema import NA, SPECS, Reader


def _has(d: dict[str, Any], *keys: str) -> bool:
    for k in keys:  # noqa: SIM110 - all() over a generator costs twice as much, per record
        if k not in d:
            return False
    return True


def parse_config(rel: str, data: Any) -> tuple[Config | None, list[Finding]]:
    r = Reader(rel)
    if not isinstance(data, dict) or not data:
        return None, [_no_top(rel, "title")]
    d = r.read("config", data) or {}
    cats: list[Category] = []
    seen: dict[str, int] = {}
    origin = _Origin(data.get("categories"), _by_id)
    for i, c in enumerate(d.get("categories", [])):
        idx = origin.index(c, i)
        if not _has(c, "id", "name"):
            continue
        path: KeyPath = ("categories", idx)
        if c["id"] in seen:
            r.keep(finding("LS108", rel, path=(*path, "id"), kind=L("类别", "category"),
                           id=c["id"], first="", related=(rel, ("categories", seen[c["id"]]))))
            continue
        seen[c["id"]] = idx
        cats.append(Category(c["id"], c["name"], c.get("group"), Src(rel, path),
                             c.get("planned"), c.get("description")))
    tags: list[Tag] = []
    seen = {}
    origin = _Origin(data.get("tags"), _by_id)
    for i, g in enumerate(d.get("tags", [])):
        idx = origin.index(g, i)
        if not _has(g, "id", "name"):
            continue
        path = ("tags", idx)
        if g["id"] in seen:
            r.keep(finding("LS108", rel, path=(*path, "id"), kind=L("标签", "tag"),
                           id=g["id"], first="", related=(rel, ("tags", seen[g["id"]]))))
            continue
        seen[g["id"]] = idx
        tags.append(Tag(g["id"], g["name"], Src(rel, path), g.get("description")))
    rep = d.get("reporting", {})
    files = dict(d.get("files", {}))
    for k, v in list(files.items()):
        owned = None if _unusable_path(v) else not_ledger_part(v.replace("\\", "/").split("/"))
        if owned is not None:  # `units: .git/config`: never opened (as a link there, LS008)
            r.add("LS007", ("files", k), key=k, value=v,
                  why=L(f"位于台账的 {owned} 目录之内：{NOT_LEDGER_RULE.zh}",
                        f"is inside the ledger's {owned}: {NOT_LEDGER_RULE.en}"))
            del files[k]
        elif _unusable_path(v):  # refused, the default is read instead (and LS007 says so)
            r.add("LS007", ("files", k), key=k, value=v)
            del files[k]
    cfg = Config(
        title=d.get("title", ""),
        year=d.get("year", 0),
        issuer=d.get("issuer"),
        doc_no=d.get("doc_no"),
        language=d.get("language", "zh"),
        warn_days=d.get("warn_days", 7),
        progress_tolerance=d.get("progress_tolerance", Decimal(10)),
        categories=tuple(cats),
        files=Files(**{k: v for k, v in files.items()}),
        max_file_mb=float(d.get("max_file_mb", 64)),
        cc=d.get("cc"),
        printed_by=d.get("printed_by"),
        description=d.get("description"),
        tags=tuple(tags),
        reporting=Reporting(rep.get("cadence", "monthly"), rep.get("day")),
        lint_select=tuple(str(x) for x in d.get("lint", {}).get("select", ())),
        lint_ignore=tuple(str(x) for x in d.get("lint", {}).get("ignore", ())),
    )
    _lint_errors(r, cfg)
    if isinstance(cfg.doc_no, str):
        slip = doc_no_slip(cfg.doc_no)
        if slip is not None:
            r.add("LS120", ("doc_no",), value=cfg.doc_no, placeholder=slip)
    return cfg, r.findings


#: what `doc_no` may hold besides text: the year of issue and the issue number, filled
#: in by the bulletin (`report.bulletin.context`)
DOC_NO_PLACEHOLDERS = ("{year}", "{n}")
_BRACED = re.compile(r"[{｛][^{}｛｝]*[}｝]|[{}｛｝]")


def doc_no_slip(doc_no: str) -> str | None:
    """The first brace in `doc_no` that is no placeholder the bulletin fills in
    (`{yaer}`, `{N}`, full-width `｛year｝` as a Chinese IME types it, a lone `{`),
    or None: such a 文号 would be printed as written on the bulletin."""
    return next((m.group() for m in _BRACED.finditer(doc_no)
                 if m.group() not in DOC_NO_PLACEHOLDERS), None)


def _lint_errors(r: Reader, cfg: Config) -> None:
    """LS021 where luoshi.yaml's `lint` would leave out errors: it cannot (the
    command line's --ignore can).  A pull request carries its own luoshi.yaml, so a
    `lint: {ignore: [LS5]}` in it would switch off the very check that judges it —
    change control (LS501) or a unit that does not exist (LS110).

    LS024 where an entry names no code (`LS6O1`): a mistake in the ledger, found at its
    line with the ledger's other findings, and the entry has no effect
    (`cli.validate_cmd.code_filter` passes it over).  It was the command line's exit 2,
    which named no file or line, and echoed the entry into a CI log as written.
    An entry may hold several codes, comma-separated, as --ignore takes them."""
    from ..core.codes import CODES

    errors = [c for c, code in CODES.items() if code.severity == "error"]

    def named(prefixes: Iterable[str]) -> list[str]:
        return [c for c in errors if any(p == "ALL" or c.startswith(p) for p in prefixes)]

    for key, entries in (("select", cfg.lint_select), ("ignore", cfg.lint_ignore)):
        for i, entry in enumerate(entries):
            for typed in (p.strip() for p in entry.split(",") if p.strip()):
                if lint_known(typed.upper()):
                    continue
                near = lint_near(typed.upper())
                hint = L(f"（是否想写 {near}？）", f" (did you mean {near}?)") if near \
                    else L("", "")
                r.add("LS024", ("lint", key, i), key=key, value=typed, hint=hint)
    for i, entry in enumerate(cfg.lint_ignore):
        hit = named(lint_parts([entry]))
        if hit:
            r.add("LS021", ("lint", "ignore", i), key="ignore", codes=_few(hit))
    # an entry that names no code is passed over: it leaves no error out
    chosen = [p for p in lint_parts(cfg.lint_select) if lint_known(p)]
    if chosen and "ALL" not in chosen:
        left = [c for c in errors if c not in named(chosen)]
        if left:
            r.add("LS021", ("lint", "select"), on_key=True, key="select", codes=_few(left))


def lint_known(prefix: str) -> bool:
    """Whether a code or prefix (upper case) names at least one finding code."""
    from ..core.codes import CODES

    return prefix == "ALL" or any(code.startswith(prefix) for code in CODES)


def lint_near(prefix: str) -> str | None:
    """The finding code a mistyped code or prefix (upper case) most likely meant
    (`LS6O1` → LS601), for the "did you mean" of LS024 and of --select/--ignore."""
    import difflib

    from ..core.codes import CODES

    near = difflib.get_close_matches(prefix, list(CODES), n=1)
    return near[0] if near else None


def lint_parts(values: Iterable[str] | None) -> list[str]:
    """Codes and prefixes as `lint:` and --select/--ignore take them: comma-separated
    or one an entry, spaces around them and case not counting (`ls6, LS105`)."""
    return [p.strip().upper() for v in values or () for p in v.split(",") if p.strip()]


def _few(codes: list[str]) -> L:
    """Codes for a message: the first five and how many more."""
    more = len(codes) - 5
    return L("、".join(codes[:5]) + (f" 等 {len(codes)} 个" if more > 0 else ""),
             ", ".join(codes[:5]) + (f" and {more} more" if more > 0 else ""))


#: directories that are never ledger files, whatever a `files:` pattern says: git's own
#: and luoshi's cache (a pattern like `.*/*` matched `.luoshi-cache/CACHEDIR.TAG` once
#: the cache existed: the second run read it as a task file and refused the ledger)
NOT_LEDGER = frozenset({".git", ".luoshi-cache"})
NOT_LEDGER_RULE = L("git 自己的文件（.git）和 luoshi 的缓存（.luoshi-cache）不是台账文件，一律不读取",
                    "git's own files (.git) and luoshi's cache (.luoshi-cache) are no "
                    "ledger files and are never read")


def not_ledger_part(parts: Iterable[str]) -> str | None:
    """The first of `parts` (a path inside the ledger, split) that is git's or the
    cache's (`NOT_LEDGER`), or None.  Compared as a case-insensitive file system
    (Windows, macOS) and Windows's trailing dots and blanks would open it: `.GIT`
    and `.git.` are `.git` there."""
    for p in parts:
        name = p.rstrip(". ").lower()
        if name and name in NOT_LEDGER:
            return name
    return None


def _unusable_path(pattern: str) -> bool:
    """An absolute path, one whose '..' climbs above the ledger root, or no file path
    at all (empty, the root itself, control characters).

    A ledger is checked in CI on every pull request: a luoshi.yaml must not make it
    read `/etc/*` or `../../secrets.yaml`.  Symbolic links inside the root are still
    followed, as git and editors do.
    """
    p = pattern.replace("\\", "/")
    if p.startswith("/") or re.match(r"[A-Za-z]:", p) or re.search(r"[\x00-\x1f\x7f]", p):
        return True
    if p.strip("./") == "":
        return True
    depth = 0
    for part in p.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


class _Origin:
    """The raw index of each converted list entry, for positions.

    Converted lists drop entries that did not convert, so the i-th converted entry
    may come from a later raw one.  Entries are matched by `key` in order, so the
    second `fgw` converted is the second `fgw` written (a duplicate is reported where
    it is, not at the first), and in one pass: searching the raw list for every entry
    made a 30,000-unit file take 30 s.  Call `index` for every converted entry, in order.
    """

    def __init__(self, raw: Any, key: Callable[[Any], Hashable | None]) -> None:
        self.key = key
        self.queues: dict[Hashable, deque[int]] = {}
        if isinstance(raw, list):
            for i, v in enumerate(raw):
                k = key(v)
                if k is not None:
                    self.queues.setdefault(k, deque()).append(i)

    def index(self, converted: Any, fallback: int) -> int:
        k = self.key(converted)
        queue = self.queues.get(k) if k is not None else None
        return queue.popleft() if queue else fallback


def _by_id(v: Any) -> Hashable | None:
    ident = v.get("id") if isinstance(v, dict) else None
    return ident if isinstance(ident, str) else None


def _by_unit_and_kind(v: Any) -> Hashable | None:
    """Deductions and record flags: (unit, category or kind)."""
    if not isinstance(v, dict):
        return None
    unit, kind = v.get("unit"), v.get("category", v.get("kind"))
    return (unit, kind) if isinstance(unit, str) and isinstance(kind, str) else None


def parse_units(rel: str, data: Any) -> tuple[dict[str, Unit], dict[str, Leader], list[Finding]]:
    r = Reader(rel)
    if not isinstance(data, dict) or "units" not in data:
        return {}, {}, [_no_top(rel, "units")]
    d = r.read("units_file", data) or {}
    units: dict[str, Unit] = {}
    leaders: dict[str, Leader] = {}
    first: dict[str, KeyPath] = {}
    named: dict[str, str] = {}  # a unit's name as read (`_name_key`) -> its id
    for section in ("units", "leaders"):
        origin = _Origin(data.get(section), _by_id)
        for i, u in enumerate(d.get(section, [])):
            idx = origin.index(u, i)
            if not _has(u, "id", "name"):
                continue
            path: KeyPath = (section, idx)
            if u["id"] in first:
                r.keep(finding("LS108", rel, path=(*path, "id"),
                               kind=L("单位/领导", "unit/leader"), id=u["id"],
                               first="", related=(rel, first[u["id"]])))
                continue
            first[u["id"]] = path
            if section == "units":
                units[u["id"]] = Unit(u["id"], u["name"], u.get("kind"), Src(rel, path),
                                      u.get("assessed"), u.get("short"))
                key = _name_key(u["name"])
                other = named.get(key)
                if other is None:
                    named[key] = u["id"]
                else:
                    plain = units[other].name == u["name"]
                    r.keep(finding(
                        "LS119", rel, path=(*path, "name"), id=u["id"],
                        name=_shown_name(u["name"]),
                        other=other, first="", related=(rel, (*first[other], "name")),
                        how="" if plain else "去掉不可见字符、统一全角半角后",
                        how_en="" if plain else "once invisible characters and full/half "
                        "width are set aside, "))
            else:
                leaders[u["id"]] = Leader(u["id"], u["name"], u.get("title"), Src(rel, path))
    return units, leaders, r.findings


def _name_key(name: str) -> str:
    """A unit's name as a reader sees it: NFKC (full-width ＡＢＣ and half-width ABC
    alike), format characters (zero-width space U+200B, joiners, U+FEFF, bidi marks, a
    soft hyphen), the other characters that draw nothing (`safetext.INVISIBLE`: a
    Hangul filler U+3164, U+2800, a variation selector) and spaces left out —
    `区发改委` and `区发\u200b改委` print the same (audit: the bulletin ranked two rows
    of 区发改委, and `--unit` found one of them)."""
    import unicodedata

    norm = INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return "".join(c for c in norm if not c.isspace() and unicodedata.category(c) != "Cf")


def _shown_name(name: str) -> str:
    """`name` with its format and other invisible characters written out
    (`区发<U+200B>改委`, `区发改委<U+3164>`): the difference LS119 is about, visible."""
    import unicodedata

    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) == "Cf"
                   or INVISIBLE.match(c) else c for c in name)


def unread_ids(data: Any, section: str, known: Iterable[str]) -> set[str]:
    """The ids written on entries of `data[section]` that were left out (a missing
    name, an id that breaks the pattern): a reference to one of them is not to an
    unknown entry, and should not be reported as one.  An id in capitals (`FGW`)
    also stands for its lower-case form, the one a reference is written in."""
    raw = data.get(section) if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return set()
    have = set(known)
    out: set[str] = set()
    for entry in raw:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(ident, int) and not isinstance(ident, bool) and ident.bit_length() < 64:
            ident = str(ident)
        if isinstance(ident, str) and ident not in have and len(ident) < 200:
            out.update((ident, ident.strip().lower()))
    return out


#: what LS103 calls a task file's top level: the mark of the finding that says the
#: whole file was read as no task (`holds_no_tasks`)
_TOP = "tasks"
_TOP_EXPECTED = L("任务映射或任务列表", "a task mapping or a list of tasks")


def _wrapped(r: Reader, data: dict[Any, Any]) -> bool:
    """LS103 for tasks wrapped in a key of their own (`tasks:` or `任务:` above the
    list, as other YAML files are written) — a mapping of no task key holding a list
    of mappings with an `id` — and True: one finding for the file, at the wrapper's
    line, saying to take the wrapper away, instead of an "unknown key" and ten
    "missing key"s of a task that is not there, and an "unknown task" for every id
    the list holds.  Another mapping of no task key is read as one task as before
    (`编号: K-01` then gets "是不是 id？")."""
    if any(isinstance(k, str) and k in _TASK_KEYS for k in data):
        return False
    wrappers = [k for k, v in data.items()
                if isinstance(v, list) and any(isinstance(x, dict) and "id" in x for x in v)]
    if not wrappers:
        return False
    # every key of the mapping goes: two wrappers (重点:, 民生:) or a key beside one
    # (version: 2) left in place would break the list the fix asks for
    keys = [_clip_key(k) for k in data]
    lines = "、".join(f"“{k}:”" for k in keys)
    lines_en = ", ".join(f"'{k}:'" for k in keys)
    first = wrappers[0]
    # a key that is no text (`1:`) is not followed in a path: the file's top
    r.add("LS103", (first,) if isinstance(first, str) else (), on_key=True, key=_TOP,
          expected=_TOP_EXPECTED,
          actual=L(f"映射（任务列表写在键 {_clip_key(first)} 之下）",
                   f"a mapping (the list of tasks is under the key {_clip_key(first)})"),
          fix=L(f"请删去{lines}{'这一行' if len(keys) == 1 else '这几行'}，并把下面各行一起左移，"
                "使每个任务的“- id:”顶格（任务文件本身就是任务列表）",
                f"delete the line{'s' if len(keys) > 1 else ''} {lines_en} and shift the lines "
                "under it left together, so that each task's '- id:' starts its line (a task "
                "file is itself the list of tasks)"))
    return True


def _clip_key(k: Any) -> str:
    return str(k) if len(str(k)) <= 40 else str(k)[:40] + "…"


def holds_no_tasks(f: Finding) -> bool:
    """Whether `f` says a task file as a whole was read as no task (its top level is
    text or a number, or the tasks are wrapped in a key: `_wrapped`): LS103 on the
    file itself, not on one of its entries.  The tasks it was meant to hold are unknown, so no reference
    to them is called unknown (`load.assemble._unread_tasks`)."""
    return (f.code == "LS103" and f.path is not None and len(f.path) <= 1
            and not (f.path and isinstance(f.path[0], int))
            and dict(f.params).get("key") == _TOP)


#: an id written in a task file's text, as a task entry or a flow mapping writes it
#: (`- id: K-01`, `{id: "K-01", …}`), or under the Chinese keys a clerk writes for it
_WRITTEN_ID = re.compile(
    r"""(?:^|[\s{,])["']?(?:id|编号|任务编号)["']?[ \t]*[:：][ \t]*"""
    r"""(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s#,{}\[\]"']+))""", re.MULTILINE)


def written_task_ids(text: str) -> set[str]:
    """Every task id a task file's text seems to write, read from the text alone —
    for a file that could not be parsed (a YAML syntax error) or was read as no task
    (`holds_no_tasks`): a record or an interview naming one of these is not told its
    task is unknown (LS116), as the task may well be in that file once it reads;
    one naming any other id is (`load.assemble._unread_tasks`).  Generous on
    purpose: an id too many only keeps back a finding that the file's own fix would
    bring back; with the slips LS104 undoes (`K-01　`) read as the id they mean."""
    out: set[str] = set()
    for m in _WRITTEN_ID.finditer(text):
        ident = (m.group(1) if m.group(1) is not None
                 else m.group(2) if m.group(2) is not None else m.group(3)).strip()
        if ident:
            out.add(ident)
            meant = meant_id(ident)
            if meant is not None:
                out.add(meant)
    return out


def unread_task_ids(data: Any) -> set[str]:
    """The ids meant by task entries of a task file (`data`, its list) whose written
    id broke the pattern only by a slip LS104's fix undoes (`K-01　`, `Ｋ-01`): the
    entry is left out (`Ledger.unnamed`), yet a record or an interview naming K-01
    names that task, not an unknown one — the id's own finding is the one to fix."""
    if not isinstance(data, list):
        return set()
    out: set[str] = set()
    for entry in data:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(ident, str) and len(ident) < 200 and not schema.valid_task_id(ident):
            meant = meant_id(ident)
            if meant is not None and schema.valid_task_id(meant):
                out.add(meant)
    return out


TASK_REQUIRED = ("id", "title", "category", "lead", "leaders", "start", "standard",
                 "milestones", "status", "progress")
_TASK_REQUIRED = set(TASK_REQUIRED)
_TASK_KEYS = frozenset(SPECS["task"].keys)


def parse_tasks(rel: str, data: Any) -> tuple[list[Task], list[Finding]]:
    """A task file holds one task mapping or a list of them."""
    r = Reader(rel)
    if data is None:
        return [], [_no_top(rel, "- id")]
    if isinstance(data, dict) and _wrapped(r, data):
        return [], r.findings
    if isinstance(data, dict):
        entries: Iterable[tuple[KeyPath, Any]] = [((), data)]
    elif isinstance(data, list):
        entries = (((i,), t) for i, t in enumerate(data))
    else:
        r.wrong_type((), _TOP, data, _TOP_EXPECTED)
        return [], r.findings
    tasks: list[Task] = []
    build = _task_builder() if schema.FAST else None
    for path, raw in entries:
        if r.full:
            break  # LS019 says the rest of this file was not checked
        if build is not None:
            task = build(raw, Src(rel, path))
            if task is not None:
                tasks.append(task)
                continue
        ident = raw.get("id") if isinstance(raw, dict) else None
        r.task = ident if isinstance(ident, str) else None
        r.task_target = _target_unit(raw)
        d = r.read("task", raw, path, "task")
        if d is None or "id" not in d:
            # written, but its id did not read (`id: 41`, `id: [L-001]`): no task to
            # check or compare, yet no "nothing here" either — kept as `Ledger.unnamed`,
            # so a diff refuses the side and change control cannot take a locked task
            # for deleted, or a base task for not locked (`ops.changes`)
            tasks.append(_unnamed(raw, d, Src(rel, path)))
            continue
        missing = _TASK_REQUIRED.difference(d)
        if "locked" in raw and "locked" not in d:
            missing.add("locked")  # `locked: maybe`: never taken for "not locked"
        raw_ms = raw.get("milestones")
        if not isinstance(raw_ms, list):
            raw_ms = []  # a wrong type was reported by the reader and left out of `d`
        elif not raw_ms:
            r.add("LS201", (*path, "milestones"), task=d["id"])
            missing.add("milestones")
        milestones = [Milestone(m["due"], m["standard"], m.get("done"), m.get("target"),
                                m.get("note"))
                      for m in d.get("milestones", ()) if "due" in m and "standard" in m]
        if len(milestones) != len(raw_ms):
            missing.add("milestones")  # a broken milestone is reported; no shifted list
        if missing:
            # a field written that did not read is missing too (`locked: maybe`, a
            # `units` of the wrong kind): change control must not take its default
            # (not locked, no units) for what was written
            missing.update(k for k in raw if isinstance(k, str) and k in _TASK_KEYS
                           and k not in d)
            tasks.append(_incomplete(d, Src(rel, path), frozenset(missing), milestones,
                                     _kept(r, path, raw, d)))
            continue
        updates = tuple([Update(u["month"], u.get("progress"), u.get("note"), u.get("problems"),
                                u.get("actual"))
                         for u in d.get("updates", ()) if "month" in u])
        closed = d.get("closed")
        tasks.append(Task(
            id=d["id"], title=d["title"], category=d["category"], lead=d["lead"],
            leaders=tuple(d["leaders"]), start=d["start"], standard=d["standard"],
            milestones=tuple(milestones), status=d["status"], progress=d["progress"],
            src=Src(rel, path),
            units=tuple(d.get("units", ())), cooperating=tuple(d.get("cooperating", ())),
            updates=updates,
            closed=Closed(closed.get("date"), closed.get("approved_by"), closed.get("evidence"))
            if closed is not None else None,
            flags=tuple(Flag(f["kind"], f.get("date"), f.get("by"), f.get("note"))
                        for f in d.get("flags", []) if "kind" in f),
            locked=d.get("locked", False),
            adjustments=tuple(Adjustment(a.get("date"), a["field"], a.get("approved_by"),
                                         a.get("reason"))
                              for a in d.get("adjustments", []) if "field" in a),
            note=d.get("note"),
            kept=_kept(r, path, raw, d),
            **_v2(d),
        ))
    return tasks, r.findings


#: a task's lists of ids whose entries findings point at one by one (LS110, LS111,
#: LS118, LS223)
_ID_LISTS = ("leaders", "units", "cooperating", "tags")


def _kept(r: Reader, path: KeyPath, raw: Any, d: dict[str, Any]
          ) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """`Task.kept`: the written index of each entry kept, for the task's lists that
    dropped entries — the id lists, and the updates (an update whose month did not
    read is left out too: LS224 points at an `actual` by it); and `("target", ())`
    when a target was written that did not read (its own finding says why: LS224 must
    not say the task has none)."""
    out = [(k, r.kept[(*path, k)]) for k in _ID_LISTS if (*path, k) in r.kept] \
        if r.kept else []
    read = d.get("updates", ())
    listed = r.kept.get((*path, "updates")) or range(len(read))
    written = tuple([listed[j] for j, u in enumerate(read) if "month" in u])
    if written != tuple(range(len(written))):
        out.append(("updates", written))
    target = d.get("target")
    if isinstance(raw, dict) and raw.get("target") is not None and (
            not isinstance(target, dict) or "value" not in target):
        out.append(("target", ()))
    return tuple(out)


def _target_unit(raw: Any) -> str | None:
    """The unit of a raw task's target as written ("" for a target without one, or
    one not text), None when it has no target: what a milestone's figure written
    with a unit is compared with (`Reader.task_target`)."""
    target = raw.get("target") if isinstance(raw, dict) else None
    if target is None:
        return None
    unit = target.get("unit") if isinstance(target, dict) else None
    return unit if isinstance(unit, str) else ""


@cache
def _task_builder() -> Callable[[Any, Src], Task | None]:
    """The generated builder of a clean task (`schema.record_builder`), made once."""
    return schema.record_builder("task", {
        "task": Task, "milestone": Milestone, "update": Update, "closed": Closed,
        "flag": Flag, "adjustment": Adjustment, "target": Target})


def _v2(d: dict[str, Any]) -> dict[str, Any]:
    """The optional keys of tasks v2 (SPEC §11) that were written: absent keys keep the
    model's defaults, so a v1 task is the very same record."""
    out: dict[str, Any] = {}
    tg = d.get("target")
    if tg is not None and "value" in tg:
        out["target"] = Target(tg["value"], tg.get("unit"))
    if "parent" in d:
        out["parent"] = d["parent"]
    for k in ("owners", "unit_leaders", "tags"):
        if k in d:
            out[k] = tuple(d[k])
    return out


def _incomplete(d: dict[str, Any], src: Src, missing: frozenset[str],
                milestones: list[Milestone],
                kept: tuple[tuple[str, tuple[int, ...]], ...] = ()) -> Task:
    """A task whose required fields did not all convert, with neutral placeholders;
    checks skip whatever is in `missing`.  What did read is kept — `locked`, the
    milestones when every one read, the adjustments: change control compares a
    locked task that did not read whole at the base on those (`ops.changes`)."""
    closed = d.get("closed")
    return Task(
        id=d["id"], title=d.get("title", ""), category=d.get("category", ""),
        lead=d.get("lead", ""), leaders=tuple(d.get("leaders", ())),
        start=d.get("start", date.min), standard=d.get("standard", ""),
        milestones=() if "milestones" in missing else tuple(milestones),
        status=d.get("status", "planned"), progress=d.get("progress", Decimal(0)), src=src,
        units=tuple(d.get("units", ())), cooperating=tuple(d.get("cooperating", ())),
        updates=tuple(Update(u["month"], u.get("progress"), u.get("note"), u.get("problems"),
                             u.get("actual"))
                      for u in d.get("updates", []) if "month" in u),
        closed=Closed(closed.get("date"), closed.get("approved_by"), closed.get("evidence"))
        if closed is not None else None,
        adjustments=tuple(Adjustment(a.get("date"), a["field"], a.get("approved_by"),
                                     a.get("reason"))
                          for a in d.get("adjustments", []) if "field" in a),
        locked=d.get("locked", False), note=d.get("note"), missing=missing, kept=kept,
        **_v2(d))


def _unnamed(raw: Any, d: dict[str, Any] | None, src: Src) -> Task:
    """A task entry whose id did not read, as an incomplete task whose `missing` holds
    "id": what else read is kept (`locked`, above all).  Its `id` is only a label for
    messages — the written value, ASCII-escaped and cut short — never an id to pair by."""
    d = dict(d or {})
    written = raw.get("id") if isinstance(raw, dict) else None
    try:
        label = "—" if written is None else json.dumps(written, default=str)
    except (TypeError, ValueError, RecursionError):
        label = "?"
    d["id"] = label if len(label) <= 40 else label[:39] + "…"
    missing = set(TASK_REQUIRED).union(k for k in (raw if isinstance(raw, dict) else ())
                                       if isinstance(k, str) and k in _TASK_KEYS)
    missing.difference_update(k for k in d if k != "id")
    missing.add("id")
    if not isinstance(raw, dict) or ("locked" in raw and "locked" not in d):
        missing.add("locked")  # not a mapping, or `locked: maybe`: never "not locked"
    ms = d.get("milestones", ())
    milestones = [Milestone(m["due"], m["standard"], m.get("done"), m.get("target"),
                            m.get("note")) for m in ms if "due" in m and "standard" in m]
    raw_ms = raw.get("milestones") if isinstance(raw, dict) else None
    if not isinstance(raw_ms, list) or not raw_ms or len(milestones) != len(raw_ms):
        missing.add("milestones")
    return _incomplete(d, src, frozenset(missing), milestones)


def parse_scheme(rel: str, data: Any) -> tuple[Scheme | None, list[Finding]]:
    r = Reader(rel)
    if not isinstance(data, dict) or "components" not in data:
        return None, [_no_top(rel, "components")]
    d = r.read("scheme", data)
    if d is None or not _has(d, "id", "title", "components"):
        return None, r.findings
    cadence = d.get("cadence", "quarterly")
    comps = _components(d["components"], data.get("components"), cadence, ("components",), rel)
    if comps is None:
        return None, r.findings
    _empty_checklists(r, data.get("components"), ("components",))
    ded = d.get("deductions", {})
    scheme = Scheme(
        id=d["id"], title=d["title"], components=comps, src=Src(rel, ()),
        doc_no=d.get("doc_no"), cadence=cadence,
        places=d.get("rounding", {}).get("places", 2),
        media_multiplier=ded.get("media_multiplier", Decimal(1)),
        floor=ded.get("floor", Decimal(0)),
        deduction_categories=tuple(
            DeductionCategory(c["id"], c["name"], c["min"], c["max"])
            for c in ded.get("categories", []) if _has(c, "id", "name", "min", "max")),
        grades=tuple(Grade(g["name"], g["min"], g.get("max_share")) for g in d.get("grades", [])
                     if _has(g, "name", "min")),
        ranking_groups=tuple(
            RankingGroup(g["id"], g["name"], tuple(g.get("kinds", ())), tuple(g.get("units", ())),
                         g.get("interview_bottom"), i)
            for i, g in enumerate(d.get("ranking_groups", [])) if _has(g, "id", "name")),
        rules=tuple(_rule(x) for x in d.get("rules", []) if _has(x, "id", "when")),
        interview_bottom=d.get("interview_bottom", 0),
        month_interview_bottom=d.get("month_interview_bottom"),
        quarter_interview_bottom=d.get("quarter_interview_bottom"),
        bonus_categories=tuple(
            DeductionCategory(c["id"], c["name"], c["min"], c["max"])
            for c in d.get("bonuses", {}).get("categories", [])
            if _has(c, "id", "name", "min", "max")),
        bonus_cap=d.get("bonuses", {}).get("cap"),
        ceiling=d.get("bonuses", {}).get("ceiling"),
    )
    return scheme, r.findings


def _empty_checklists(r: Reader, raw: Any, path: KeyPath) -> None:
    """LS303 for a leaf written with `items: []`: its checklist sums to 0, not 100
    (the model cannot tell it from a leaf without a checklist, which is allowed)."""
    if not isinstance(raw, list):
        return
    for i, c in enumerate(raw):
        if not isinstance(c, dict):
            continue
        if c.get("children"):
            _empty_checklists(r, c["children"], (*path, i, "children"))
        elif c.get("items") == [] and isinstance(c.get("id"), str):
            r.add("LS303", (*path, i, "items"), on_key=True, leaf=c["id"], total="0")


def _rule(x: dict[str, Any]) -> Rule:
    when = x["when"]
    count = when.get("deductions_count") or {}
    overdue = when.get("overdue_tasks") or {}
    late = when.get("late_milestones") or {}
    rectify = when.get("rectifications_overdue") or {}
    closed_late = when.get("rectifications_closed_late") or {}
    return Rule(id=x["id"], deductions_in=tuple(when.get("deductions_in", ())),
                flag=when.get("flag"), max_grade=x.get("max_grade"),
                downgrade=x.get("downgrade", 0),
                deductions_count_min=count.get("min") if "deductions_count" in when else None,
                deductions_count_in=tuple(count.get("in", ())),
                overdue_tasks_min=overdue.get("min", 1) if "overdue_tasks" in when else None,
                late_milestones_min=late.get("min", 1) if "late_milestones" in when else None,
                rectifications_overdue_min=(rectify.get("min", 1)
                                            if "rectifications_overdue" in when else None),
                rectifications_closed_late_min=(
                    closed_late.get("min", 1) if "rectifications_closed_late" in when else None),
                bonuses_in=tuple(when.get("bonuses_in", ())),
                min_grade=x.get("min_grade"), upgrade=x.get("upgrade", 0),
                interview=x.get("interview", False), note=x.get("note"))


def _components(conv: list[dict[str, Any]], raw: Any, cadence: str, path: KeyPath,
                rel: str) -> tuple[Component, ...] | None:
    out: list[Component] = []
    raw_list = raw if isinstance(raw, list) else []
    origin = _Origin(raw_list, _by_id)
    for i, c in enumerate(conv):
        if not _has(c, "id", "name", "weight"):
            return None
        idx = origin.index(c, i)
        here: KeyPath = (*path, idx)
        raw_c = raw_list[idx] if idx < len(raw_list) else {}
        cad = c.get("cadence", cadence)
        children: tuple[Component, ...] = ()
        if c.get("children"):
            sub = _components(c["children"], raw_c.get("children"), cad, (*here, "children"), rel)
            if sub is None:
                return None
            children = sub
        items = _items(c.get("items", []))
        if items is None:
            return None
        out.append(Component(
            id=c["id"], name=c["name"], weight=c["weight"], cadence=cad, src=Src(rel, here),
            children=children, items=items, source=c.get("source"),
            timeliness=c.get("timeliness"), quality=c.get("quality"),
            scored_by=c.get("scored_by"), credit=c.get("credit", "lead"),
            late_per_day=c.get("late_per_day"),
            applies_kinds=_applies(c, "kinds"), applies_units=_applies(c, "units"),
        ))
    return tuple(out)


def _applies(c: dict[str, Any], key: str) -> tuple[str, ...] | None:
    """`applies_to`'s kinds or units; None when `applies_to` is absent (every unit).
    With `applies_to` written, an absent list is empty (the union of both lists)."""
    if "applies_to" not in c:
        return None
    return tuple(c["applies_to"].get(key, ()))


def _items(conv: list[dict[str, Any]]) -> tuple[Item, ...] | None:
    out: list[Item] = []
    for it in conv:
        if not _has(it, "id", "name", "points"):
            return None
        sub = _items(it.get("items", []))
        if sub is None:
            return None
        out.append(Item(it["id"], it["name"], it["points"], sub))
    return tuple(out)


def parse_record(rel: str, data: Any) -> tuple[Record | None, list[Finding]]:
    r = Reader(rel)
    if not isinstance(data, dict) or "period" not in data:
        return None, [_no_top(rel, "period")]
    d = r.read("record", data)
    if d is None or "period" not in d:
        return None, r.findings
    raw_deductions = data.get("deductions")
    origin = _Origin(raw_deductions, _by_unit_and_kind)
    deductions = []
    for i, x in enumerate(d.get("deductions", [])):
        idx = origin.index(x, i)
        if not _has(x, "unit", "category", "date", "points"):
            continue
        restored = x.get("restored")
        written = (raw_deductions[idx] if isinstance(raw_deductions, list)
                   and idx < len(raw_deductions) else None)
        deductions.append(Deduction(
            x["unit"], x["category"], x["date"], x["points"], x.get("media", False),
            x.get("reason"), Src(rel, ("deductions", idx)), x.get("provisional", False),
            Restored(restored["date"], restored.get("approved_by"), restored.get("reason"))
            if restored and "date" in restored else None,
            # `provisional: 是`: written, not read (LS103 says so)
            frozenset({"provisional"}) if isinstance(written, dict)
            and "provisional" in written and "provisional" not in x else frozenset()))
    origin = _Origin(data.get("bonuses"), _by_unit_and_kind)
    bonuses = []
    for i, x in enumerate(d.get("bonuses", [])):
        idx = origin.index(x, i)
        if not _has(x, "unit", "category", "date", "points"):
            continue
        bonuses.append(Bonus(x["unit"], x["category"], x["date"], x["points"], x.get("reason"),
                             Src(rel, ("bonuses", idx))))
    origin = _Origin(data.get("flags"), _by_unit_and_kind)
    flags = []
    for i, x in enumerate(d.get("flags", [])):
        idx = origin.index(x, i)
        if not _has(x, "unit", "kind"):
            continue
        flags.append(RecordFlag(x["unit"], x["kind"], x.get("reason"), x.get("date"),
                                Src(rel, ("flags", idx))))
    scores: dict[str, dict[str, Decimal]] = {}
    not_applicable: dict[str, tuple[str, ...]] = {}
    for unit, leaves in d.get("scores", {}).items():
        # NA is the reader's own object: `is`, not `==` (a Decimal compared with a
        # str takes Python's slowest path; 10,000 units score 20,000 leaves)
        na = tuple([k for k, v in leaves.items() if v is NA])
        if na:
            not_applicable[unit] = na
            scores[unit] = {k: v for k, v in leaves.items() if v is not NA}
        else:
            scores[unit] = leaves  # the reader's fresh dict, kept
    quality = {t: q for t, q in d.get("quality", {}).items() if not isinstance(q, dict)}
    per_unit = {t: q for t, q in d.get("quality", {}).items() if isinstance(q, dict)}
    rec = Record(period=d["period"], src=Src(rel, ()), scores=scores,
                 items=d.get("items", {}), quality=quality,
                 deductions=tuple(deductions), flags=tuple(flags),
                 quality_by_unit=per_unit, not_applicable=not_applicable,
                 bonuses=tuple(bonuses), note=d.get("note"))
    return rec, r.findings


#: one supervision file: its interviews, its rectifications, and the file itself (its
#: file-level `note:`)
Supervision = tuple[tuple[Interview, ...], tuple[Rectification, ...], SupervisionFile]


def _no_top(rel: str, key: str | L, start: L | None = None) -> Finding:
    """LS002: the file is empty or lacks its top-level key; `start`: what to begin it
    with (default: `key:`)."""
    if start is None:
        start = L(f"“{key}:”", f"'{key}:'")
    return finding("LS002", rel, line=1, col=1, key=key, start=start)


def parse_supervision(rel: str, data: Any) -> tuple[Supervision | None, list[Finding]]:
    """A `supervision/*.yaml` file (SPEC §12): interviews and rectifications."""
    r = Reader(rel)
    if not isinstance(data, dict) or not (set(SPECS["supervision"].one_of) & set(data)):
        return None, [_no_top(
            rel, L("interviews 或 rectifications", "interviews or rectifications"),
            L("“interviews:”（约谈）或“rectifications:”（整改）",
              "'interviews:' or 'rectifications:'"))]
    d = r.read("supervision", data) or {}
    interviews = []
    origin = _Origin(data.get("interviews"), _by_unit_and_kind)
    for i, x in enumerate(d.get("interviews", [])):
        idx = origin.index(x, i)
        if not _has(x, "unit", "date"):
            continue
        interviews.append(Interview(x["unit"], x["date"], Src(rel, ("interviews", idx)),
                                    x.get("kind"), x.get("by"), x.get("reason"),
                                    tuple(x.get("tasks", ())), x.get("note"),
                                    x.get("period")))
    rects = []
    raw = data.get("rectifications")
    origin = _Origin(raw, _by_id)
    for i, x in enumerate(d.get("rectifications", [])):
        idx = origin.index(x, i)
        if not _has(x, "id", "unit", "opened", "due"):
            continue
        closed = x.get("closed")
        # `closed: 2024-04-30` (LS103 says how to write it): a closing was written, so
        # the checks do not add "still open, record closed" (LS702) beside it
        missing = (frozenset(("closed",)) if closed is None and _not_a_mapping(raw, idx, "closed")
                   else frozenset())
        report = x.get("report", {})
        rects.append(Rectification(
            x["id"], x["unit"], x["opened"], x["due"], Src(rel, ("rectifications", idx)),
            tuple(x.get("tasks", ())), x.get("source"), report.get("date"),
            Closed(closed.get("date"), closed.get("approved_by"), closed.get("evidence"))
            if closed is not None else None,
            x.get("reason"), x.get("note"), report.get("note"), missing))
    return ((tuple(interviews), tuple(rects), SupervisionFile(Src(rel, ()), d.get("note"))),
            r.findings)


def _not_a_mapping(raw: Any, idx: int, key: str) -> bool:
    """Whether entry `idx` of the raw list `raw` writes `key` as something else than a
    mapping (`closed: 2024-04-30`).  A mapping that did not read (`closed: {date:
    null}`) is a closing without a date: it closes nothing."""
    return (isinstance(raw, list) and 0 <= idx < len(raw) and isinstance(raw[idx], dict)
            and key in raw[idx] and not isinstance(raw[idx][key], dict))


def as_decimal(value: Any) -> Decimal:
    """For callers holding raw numbers: never `Decimal(float)`, always via `str`."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))
