"""Validate a file *before* it is written: the ledger as it would be with it.

An import is all-or-nothing.  Converting cells catches what the sheet itself gets
wrong; this catches what only the whole ledger can tell (a milestone done after
the as-of date, a closed task without an approver, three leaders) by running the
real `luoshi validate` over the working tree with the new file laid on top — the
same checks CI will run on the commit, so an import never produces a ledger that
CI rejects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ..core.finding import Finding
from ..load.assemble import Accelerator, DirSource, Standby
from ..load.read import Source, parse

W = TypeVar("W")


class _Beneath:
    """The accelerator of an overlay (`load.assemble.Accelerator`): the files it does
    not replace come through the directory's own (its cache, both cores) — a score
    sheet laid over one record left 100,000 tasks parsed again on one core, 16 of
    `import scores`' 24 s — and the replaced ones are parsed from their new text."""

    def __init__(self, fast: Accelerator, root: Path,
                 replaced: Callable[[str], str | None]) -> None:
        self.fast, self.root, self.replaced = fast, root, replaced

    def load_worked(self, rels: Sequence[str], max_mb: float, work: Callable[[Source], W],
                    name: str, salt: bytes = b"",
                    meanwhile: Callable[[], None] | None = None,
                    standby: Standby | None = None) -> list[tuple[Source, W]]:
        own = [rel for rel in rels if self.replaced(rel) is None]
        done = dict(zip(own, self.fast.load_worked(own, max_mb, work, name, salt, meanwhile,
                                                   standby), strict=True)) if own else {}
        out = []
        for rel in rels:
            hit = done.get(rel)
            if hit is None:
                src = parse(Source(path=self.root / rel, rel=rel, text=self.replaced(rel)))
                hit = (src, work(src))
            out.append(hit)
        return out

    def position_memo(self, sources: Mapping[str, Source]) -> None:
        return None  # a replaced file's positions are not the bytes on disk's

    def spread(self, work: Callable[[int], W], sizes: Sequence[int]) -> Iterator[tuple[int, W]]:
        return self.fast.spread(work, sizes)


class Overlay:
    """A `FileSource`: the ledger directory, with `rel` replaced by `text`."""

    def __init__(self, base: DirSource, rel: str, text: str, pattern: str) -> None:
        # a byte-order mark is the file's form, not YAML (reading a file drops it)
        self.base, self.rel, self.text = base, rel, text.removeprefix("\ufeff")
        #: the glob that must list `rel` (files.tasks or files.records)
        self.pattern = pattern
        self.root: Path = base.root
        #: the directory's accelerator for the other files (the replaced one has no
        #: bytes on disk: it is parsed from its text)
        self.accelerator: Any = (None if base.accelerator is None
                                 else _Beneath(base.accelerator, base.root, self._replaced))

    def _replaced(self, rel: str) -> str | None:
        return self.text if rel == self.rel else None

    def glob(self, pattern: str) -> list[str]:
        hits = self.base.glob(pattern)
        if pattern == self.pattern and self.rel not in hits:
            hits = sorted([*hits, self.rel], key=lambda h: tuple(Path(h).parts))
        return hits

    def exists(self, rel: str) -> bool:
        return rel == self.rel or self.base.exists(rel)

    def load_many(self, rels: Sequence[str], max_mb: float) -> list[Source]:
        out = []
        for rel in rels:
            if rel == self.rel:
                out.append(parse(Source(path=self.root / rel, rel=rel, text=self.text)))
            else:
                out.extend(self.base.load_many([rel], max_mb))
        return out


def findings_for(root: Path, rel: str, text: str, pattern: str, as_of: date, *,
                 today: date | None = None) -> list[Finding]:
    """Every finding `luoshi validate` would make in `rel` once it holds `text`.

    Findings keep their key paths (task index, field) and are not placed on lines:
    the caller maps them back to sheet cells, and placing thousands of warnings
    would cost more than the whole import.
    """
    from ..checks import run_checks
    from ..fast.source import default_source
    from ..load.assemble import open_ledger

    overlay = Overlay(default_source(root), rel, text, pattern)
    loaded = open_ledger(None, overlay)
    found = [*loaded.findings, *run_checks(loaded.ledger, as_of, today=today)]
    return settled([f for f in found if f.file == rel], {rel: overlay.text})


def _plain(texts: dict[str, str]) -> dict[str, str]:
    """Texts without a byte-order mark: reading a file drops it (`load.read.decode`),
    and yaml-rs refuses it — a task file saved by Notepad could not be imported into."""
    return {rel: text.removeprefix("\ufeff") for rel, text in texts.items()}


class ManyOverlay(Overlay):
    """Several existing files of the ledger replaced at once (`import updates` edits
    every task file its units' rows live in)."""

    def __init__(self, base: DirSource, texts: dict[str, str], pattern: str) -> None:
        self.texts = _plain(texts)
        super().__init__(base, "", "", pattern)

    def _replaced(self, rel: str) -> str | None:
        return self.texts.get(rel)

    def glob(self, pattern: str) -> list[str]:
        return self.base.glob(pattern)

    def exists(self, rel: str) -> bool:
        return rel in self.texts or self.base.exists(rel)

    def load_many(self, rels: Sequence[str], max_mb: float) -> list[Source]:
        out = []
        for rel in rels:
            if rel in self.texts:
                out.append(parse(Source(path=self.root / rel, rel=rel, text=self.texts[rel])))
            else:
                out.extend(self.base.load_many([rel], max_mb))
        return out


def findings_for_many(root: Path, texts: dict[str, str], pattern: str, as_of: date, *,
                      today: date | None = None) -> list[Finding]:
    """Every finding `luoshi validate` would make in the files of `texts` once they hold
    those texts (`today`: when `as_of` is the default, see `checks.Context.today`)."""
    from ..checks import run_checks
    from ..fast.source import default_source
    from ..load.assemble import open_ledger

    overlay = ManyOverlay(default_source(root), texts, pattern)
    loaded = open_ledger(None, overlay)
    found = [*loaded.findings, *run_checks(loaded.ledger, as_of, today=today)]
    return settled([f for f in found if f.file in texts], overlay.texts)


def settled(found: list[Finding], texts: dict[str, str]) -> list[Finding]:
    """`found` with its YAML 1.1 trap candidates (LS016/LS017) settled as `validate`
    settles them when it places findings: only a plain scalar is a trap, and the
    written file quotes what YAML could misread (`'yes'`, `'2024-05-31'`).  Left
    unsettled, an import announced warnings that `validate` then never gave.
    Only the candidates are placed (on their lines); the rest keep their key paths."""
    from ..load.positions import TRAP_CODES, resolve

    traps = [f for f in found if f.code in TRAP_CODES]
    if not traps:
        return found
    kept = {(f.file, f.code, f.path) for f in resolve(traps, texts.get)}
    return [f for f in found if f.code not in TRAP_CODES or (f.file, f.code, f.path) in kept]
