"""luoshi (落实): government task ledgers (台账) kept as YAML in git.

The package is split into stages, and data flows one way through them:
`load` (files → model) → `checks` → `ops` (progress, scoring, history) → `report`.
`core` holds the vocabulary every stage shares, `fast` the accelerators, `api` the
library face, and `cli` the thin typer layer over it (README "Architecture";
tests/test_architecture.py keeps the layers honest).
"""

__version__ = "0.1.0"
