"""The floor luoshi is measured against: read, decode and parse a ledger's YAML files,
nothing else, in one process.

    python bench/parse_only.py yaml_rs|pyyaml LEDGER_DIR

Prints one JSON line: parser, files, bytes, seconds (from the first read to the last
parsed file, interpreter start-up and imports excluded).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def ledger_files(root: Path) -> list[Path]:
    """The files luoshi reads in a generated ledger, in luoshi's order."""
    return [root / "luoshi.yaml", root / "units.yaml", *sorted((root / "tasks").glob("*.yaml")),
            root / "scheme.yaml", *sorted((root / "records").glob("*.yaml"))]


def main() -> None:
    parser, root = sys.argv[1], Path(sys.argv[2])
    if parser == "yaml_rs":
        import yaml_rs

        load = yaml_rs.loads
    elif parser == "pyyaml":
        import yaml

        def load(text: str) -> object:
            return yaml.load(text, Loader=yaml.CSafeLoader)
    else:
        raise SystemExit(f"unknown parser {parser}")
    files = [p for p in ledger_files(root) if p.is_file()]
    size = 0
    t0 = time.perf_counter()
    for path in files:
        raw = path.read_bytes()
        size += len(raw)
        load(raw.decode("utf-8"))
    seconds = time.perf_counter() - t0
    print(json.dumps({"parser": parser, "files": len(files), "bytes": size, "seconds": seconds}))


if __name__ == "__main__":
    main()
