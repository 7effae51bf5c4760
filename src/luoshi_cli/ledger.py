"""Find a ledger root, read every file it names, and assemble a `Ledger`.

`open_ledger()` never raises for bad content: it returns the ledger it could build
together with every finding made on the way.  Only a missing root (nothing to
check at all) is an exception, `LedgerError`, which the CLI turns into exit 2.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .finding import Finding, finding
from .load import Source, load_file, rel_path
from .model import Config, Leader, Ledger, Record, Scheme, Task, Unit
from .parse import parse_config, parse_record, parse_scheme, parse_tasks, parse_units

CONFIG_NAME = "luoshi.yaml"


class LedgerError(Exception):
    """The command cannot run at all (exit 2): no ledger root, unreadable config."""


def find_root(start: Path | None) -> Path:
    """The given directory, or the nearest parent holding luoshi.yaml (like git)."""
    if start is not None:
        start = Path(start)
        if start.is_file() and start.name == CONFIG_NAME:
            return start.parent
        if not start.exists():
            raise LedgerError(f"no such directory: {start} / 目录不存在：{start}")
        if not (start / CONFIG_NAME).is_file():
            raise LedgerError(
                f"{start} is not a ledger root: it has no {CONFIG_NAME} "
                f"(run 'luoshi init {start}' to start one) / {start} 不是台账目录：缺少 {CONFIG_NAME}"
            )
        return start
    here = Path.cwd()
    for d in (here, *here.parents):
        if (d / CONFIG_NAME).is_file():
            return d
    raise LedgerError(
        f"no {CONFIG_NAME} here or in any parent directory: pass the ledger directory, "
        f"or run 'luoshi init DIR' / 当前目录及上级目录中都没有 {CONFIG_NAME}"
    )


@dataclass
class Loaded:
    """A ledger and what was found while reading it."""

    ledger: Ledger
    findings: list[Finding]
    sources: dict[str, Source] = field(default_factory=dict)

    def text_of(self, rel: str) -> str | None:
        src = self.sources.get(rel)
        return src.text if src else None


Reader = Callable[[Path, str, float], Source]


def open_ledger(start: Path | None, read: Reader = load_file) -> Loaded:
    root = find_root(start)
    findings: list[Finding] = []
    sources: dict[str, Source] = {}

    def load(path: Path, max_mb: float) -> Source:
        rel = rel_path(path, root)
        src = read(path, rel, max_mb)
        sources[rel] = src
        findings.extend(src.findings)
        return src

    cfg_src = load(root / CONFIG_NAME, 64)
    config: Config | None = None
    if cfg_src.ok:
        config, fs = parse_config(CONFIG_NAME, cfg_src.data)
        findings.extend(fs)
    if config is None:
        config = Config(title="", year=0)
    max_mb = config.max_file_mb

    units: dict[str, Unit] = {}
    leaders: dict[str, Leader] = {}
    units_path = root / config.files.units
    if not units_path.exists() and not units_path.is_symlink():
        findings.append(finding("LS001", config.files.units, line=1, col=1,
                                name=config.files.units))
    else:
        src = load(units_path, max_mb)
        if src.ok:
            units, leaders, fs = parse_units(src.rel, src.data)
            findings.extend(fs)

    tasks: list[Task] = []
    for path in _glob(root, config.files.tasks):
        src = load(path, max_mb)
        if src.ok:
            ts, fs = parse_tasks(src.rel, src.data)
            tasks.extend(ts)
            findings.extend(fs)

    scheme: Scheme | None = None
    scheme_path = root / config.files.scheme
    if scheme_path.exists() or scheme_path.is_symlink():
        src = load(scheme_path, max_mb)
        if src.ok:
            scheme, fs = parse_scheme(src.rel, src.data)
            findings.extend(fs)

    records: list[Record] = []
    for path in _glob(root, config.files.records):
        src = load(path, max_mb)
        if src.ok:
            rec, fs = parse_record(src.rel, src.data)
            findings.extend(fs)
            if rec is not None:
                records.append(rec)

    ledger = Ledger(root=root, config=config, units=units, leaders=leaders,
                    tasks=tuple(tasks), scheme=scheme, records=tuple(records))
    return Loaded(ledger=ledger, findings=findings, sources=sources)


def _glob(root: Path, pattern: str) -> list[Path]:
    """Files matching a glob under root, in path order (duplicates: later file loses)."""
    hits = glob.glob(pattern, root_dir=root, recursive=True)
    return [root / h for h in sorted(hits, key=_path_order)
            if not (root / h).is_dir() or (root / h).suffix in (".yaml", ".yml")]


def _path_order(p: str) -> tuple[str, ...]:
    return tuple(Path(p).parts)


def all_findings(*groups: Iterable[Finding]) -> list[Finding]:
    return [f for g in groups for f in g]
