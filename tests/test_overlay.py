"""`excel.overlay`: an import validates the ledger as it would be with the new file.
The files it does not replace come through the directory's accelerator (cache, both
cores); the findings are exactly those of the plain directory."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from luoshi_cli.checks import run_checks
from luoshi_cli.excel.overlay import ManyOverlay, Overlay
from luoshi_cli.fast.source import FastSource
from luoshi_cli.load.assemble import DirSource, open_ledger

CASES = Path(__file__).parent / "cases" / "valid"
DAY = date(2024, 6, 30)


def _found(source: object) -> list[tuple[object, ...]]:
    loaded = open_ledger(None, source)  # type: ignore[arg-type]
    found = [*loaded.findings, *run_checks(loaded.ledger, DAY, today=DAY)]
    return sorted((f.file, f.code, f.path, f.message("en")) for f in found)


def _fast(root: Path) -> FastSource:
    return FastSource(root, cache=True, key=b"k" * 32, jobs=2, cache_min_bytes=0,
                      parallel_min_bytes=0)


def test_a_record_laid_over_the_ledger(tmp_path: Path) -> None:
    """A record naming an unknown unit and an unknown task: the same findings through
    the plain directory and through the accelerated one (cold, then warm)."""
    root = tmp_path / "l"
    shutil.copytree(CASES / "scheme-and-record" / "ledger", root)
    rel = "records/2024-Q1.yaml"
    text = (root / rel).read_text(encoding="utf-8").replace(
        "scores:\n", "scores:\n  nobody: {hotline: 1}\n", 1) + "quality: {NOPE-1: 80}\n"
    plain = _found(Overlay(DirSource(root), rel, text, "records/*.yaml"))
    assert {f[0] for f in plain} == {rel} and len(plain) >= 2, plain
    fast = _fast(root)
    assert _found(Overlay(fast, rel, text, "records/*.yaml")) == plain
    assert fast.stats["parsed"] > 0 and fast.stats["hits"] == 0
    warm = _fast(root)
    assert _found(Overlay(warm, rel, text, "records/*.yaml")) == plain
    assert warm.stats["hits"] > 0 and warm.stats["parsed"] == 0  # from the cache
    assert (root / rel).read_text(encoding="utf-8") != text  # nothing written


def test_task_files_replaced(tmp_path: Path) -> None:
    """Two task files replaced (one with a milestone done after the as-of date): the
    same findings, and only the replaced files' texts are read from memory."""
    root = tmp_path / "l"
    shutil.copytree(CASES / "tasks-v2" / "ledger", root)
    rels = sorted(str(p.relative_to(root)) for p in (root / "tasks").glob("*.yaml"))[:2]
    texts = {rel: (root / rel).read_text(encoding="utf-8") for rel in rels}
    texts[rels[0]] = texts[rels[0]].replace("progress:", "progress: 101 #", 1)
    plain = _found(ManyOverlay(DirSource(root), texts, "tasks/*.yaml"))
    assert plain != _found(DirSource(root))  # the replaced text made a difference
    assert _found(ManyOverlay(_fast(root), texts, "tasks/*.yaml")) == plain
