"""luoshi's roll-up benchmark (SPEC §13): many ledgers, exported to Parquet, rolled up.

    python bench/rollup.py --ledgers 10 --tasks 100000

Generates `--ledgers` ledgers of `--tasks` tasks each with gen.py (a different seed
each, so the ledgers differ), then, each as a subprocess:

- `luoshi export --format parquet` of every ledger (warm parse cache, as an office
  exports its own ledger after `luoshi validate`): wall time and peak RSS per ledger;
- `luoshi rollup --from-parquet` over all the exports: JSON with the red list, and
  CSV by ledger (the figures only) — wall time and peak RSS.

The exports go to bench/out/rollup/; the table goes to stdout and with the raw numbers
to bench/out/rollup/results.{md,json}.  Needs `pip install -e '.[rollup]'`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen import AS_OF, generate  # noqa: E402
from run import OUT, Sample, luoshi, run  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ledgers", type=int, default=10)
    ap.add_argument("--tasks", type=int, default=100_000, help="tasks per ledger")
    ap.add_argument("--files", type=int, default=300, help="task files per ledger")
    args = ap.parse_args()
    base = OUT / "rollup"
    base.mkdir(parents=True, exist_ok=True)
    os.environ.pop("CI", None)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, luoshi: "
          f"{' '.join(luoshi())}", file=sys.stderr)
    lines = [f"## Roll-up: {args.ledgers} ledgers × {args.tasks:,} tasks (as of {AS_OF})", "",
             "| step | wall s | peak RSS MB (largest process / all) |", "|---|---:|---:|"]
    raw: list[dict[str, object]] = []

    def record(name: str, s: Sample) -> None:
        if s.rc != 0:
            raise SystemExit(f"{name}: exit {s.rc}: {s.stderr[-500:]}")
        print(f"  {name:<44} {s.wall:8.2f} s  {s.rss_max_mb:7.0f} MB / {s.rss_sum_mb:7.0f} MB",
              file=sys.stderr)
        lines.append(f"| {name} | {s.wall:.2f} | {s.rss_max_mb:.0f} / {s.rss_sum_mb:.0f} |")
        raw.append({"name": name, "wall_s": s.wall, "rss_max_mb": s.rss_max_mb,
                    "rss_all_mb": s.rss_sum_mb})

    exports = []
    for i in range(args.ledgers):
        root = generate(base / f"district-{i:02d}", args.tasks, args.files, seed=2024 + i)
        record(f"validate district-{i:02d} (fills the cache)",
               run([*luoshi(), "validate", str(root), "--as-of", AS_OF]))
        out = base / f"parquet-{i:02d}"
        record(f"export --format parquet district-{i:02d}",
               run([*luoshi(), "export", str(root), "--format", "parquet", "-o", str(out),
                    "--as-of", AS_OF]))
        exports.append(str(out))
    size = sum(p.stat().st_size for d in exports for p in Path(d).glob("*.parquet"))
    record("rollup --from-parquet -f json (with red list)",
           run([*luoshi(), "rollup", "--from-parquet", *exports, "-f", "json"],
               stdout=base / "rollup.json"))
    record("rollup --from-parquet -f csv (by ledger)",
           run([*luoshi(), "rollup", "--from-parquet", *exports, "-f", "csv"],
               stdout=base / "rollup.csv"))
    totals = json.loads((base / "rollup.json").read_text(encoding="utf-8"))["totals"]
    lines += ["", f"Parquet written: {size / 1e6:.1f} MB in all; roll-up totals: "
              f"{totals['tasks']:,} tasks, {totals['red']:,} red, {totals['yellow']:,} yellow."]
    table = "\n".join(lines) + "\n"
    print(table)
    (base / "results.md").write_text(table, encoding="utf-8")
    (base / "results.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
