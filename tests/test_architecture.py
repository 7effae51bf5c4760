"""The package's shape, kept honest: data flows one way through the stages.

core ← fsio, load ← checks ← fast ← ops ← report ← excel/analytics ← api ← cli: a module may import
from its own stage and the stages below it, never above, and the import graph has no
cycle.  Imports inside functions and under TYPE_CHECKING count too: a lazy import
is still a dependency, it only hides it.  No private name (`_x`) is imported from
another stage.

Known violations are listed below, each with the reason it is still there; the test
fails when one is fixed and still listed, so the lists only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

import luoshi_cli

PKG = Path(luoshi_cli.__file__).resolve().parent
TOP = "luoshi_cli"

#: stage → rank; a module may import modules of its own rank or lower
RANKS = {
    "": 0,  # luoshi_cli/__init__.py: the version only
    "core": 0,
    # atomic writes: I/O, so not in core; below everything that writes a file
    "fsio": 1,
    "load": 1,
    "checks": 2,
    "fast": 3,
    "ops": 4,
    "report": 5,
    "excel": 6,
    "analytics": 6,  # Parquet tables and the DuckDB roll-up: an exchange format, like excel
    "api": 7,
    "cli": 8,
    "__main__": 9,
}

#: (importer, imported) edges that still go up the layers
KNOWN_UPWARD: set[tuple[str, str]] = set()

#: import cycles still present, as the set of their modules
KNOWN_CYCLES: set[frozenset[str]] = set()

#: (importer, imported module, name) private names still imported across stages
KNOWN_PRIVATE: set[tuple[str, str, str]] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        parts = list(path.relative_to(PKG).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([TOP, *parts])] = path
    return out


MODULES = _modules()


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(module: str, path: Path) -> list[tuple[str, str | None]]:
    """(imported module, name) for every import in the module, at any depth."""
    is_pkg = path.name == "__init__.py"
    package = module.split(".") if is_pkg else module.split(".")[:-1]
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, None) for a in node.names if a.name.split(".")[0] == TOP]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                full = ".".join(base + ([node.module] if node.module else []))
            else:
                full = node.module or ""
            if full.split(".")[0] != TOP:
                continue
            for a in node.names:
                sub = f"{full}.{a.name}"
                found.append((sub, None) if sub in MODULES else (full, a.name))
    return found


def graph() -> dict[str, set[str]]:
    return {m: {target for target, _ in _imports(m, p) if target in MODULES}
            for m, p in MODULES.items()}


def _cycles(edges: dict[str, set[str]]) -> set[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: set[frozenset[str]] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.add(frozenset(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_every_module_is_in_a_stage() -> None:
    assert {stage(m) for m in MODULES} - set(RANKS) == set()


def test_no_import_goes_up_the_layers() -> None:
    upward = {(m, t) for m, targets in graph().items() for t in targets
              if RANKS[stage(t)] > RANKS[stage(m)]}
    assert upward == KNOWN_UPWARD


def test_no_import_cycle() -> None:
    assert _cycles(graph()) == KNOWN_CYCLES


def test_no_private_name_crosses_a_stage() -> None:
    private = {(m, t, name) for m, p in MODULES.items() for t, name in _imports(m, p)
               if name and name.startswith("_") and not name.startswith("__")
               and stage(t) != stage(m)}
    assert private == KNOWN_PRIVATE


def test_the_graph_sees_imports_inside_functions() -> None:
    """The check itself: a lazy import is an edge (luoshi_cli.cli.app imports the
    commands inside a loop, __main__ imports the app inside main())."""
    assert "luoshi_cli.cli.app" in graph()["luoshi_cli.__main__"]


#: modules below cli/ that still read the clock, with the reason
KNOWN_CLOCKS: set[str] = set()


def test_only_the_cli_reads_the_clock() -> None:
    """The as-of date (and the gate's "today") is decided in cli/ and handed down: every
    result below is a function of its arguments, reproducible on any day."""
    readers = set()
    for m, path in MODULES.items():
        if stage(m) in ("cli", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in ("today", "now", "utcnow")
                    and isinstance(node.value, ast.Name)
                    and node.value.id in ("date", "datetime")):
                readers.add(m)
    assert readers == KNOWN_CLOCKS
