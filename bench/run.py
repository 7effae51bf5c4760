"""luoshi's speed benchmark (issue 7): generate ledgers, time the commands, compare with
parsing alone.

    python bench/run.py --tasks 10000 100000

For each size it generates a valid ledger into bench/out/ (see gen.py), then runs every
measurement as a subprocess, `--runs` times (default 3; the median is reported):

- parse-only: read + decode + parse the same files in one process with yaml_rs (the
  fastest YAML reader available to Python) and with PyYAML's CSafeLoader;
- `luoshi validate` without the cache (both cores, then one), with an empty cache (the
  run that writes it), with a warm cache, and after editing one task file;
- every command an office runs each month, without the cache (`LUOSHI_NO_CACHE=1`,
  "cold") and with a warm one (the files did not change since the last run):
  `status --format json`, the `status` table, `score --quarter`, `bulletin --month`,
  `bulletin --quarter`, `export` (.xlsx) — skipped when the command does not exist;
- on a second ledger with 10,000 units (`--units-ledger`, default 20,000 tasks):
  `export`, and the `status` table on a terminal (a pseudo-terminal, 160 columns:
  colour and rich's layout, as an office sees it) next to `status --format json`,
  and `score --quarter` on a terminal (every unit ranked in one table).

Wall time is measured around the subprocess; memory is the peak RSS of the largest
process (`wait4`) and of all processes together (parent + workers, sampled every
20 ms from /proc).  The table goes to stdout, and with the raw numbers to
bench/out/results.{md,json}.  The machine is noisy: compare medians, not single runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen import AS_OF, generate  # noqa: E402

OUT = HERE / "out"
PY = sys.executable
#: `--only`: measure only what these words name (the yaml_rs floor is always measured)
ONLY: list[str] = []


def wanted(name: str) -> bool:
    return not ONLY or _floor_name_str(name) or any(w in name for w in ONLY)


def _floor_name_str(name: str) -> bool:
    return name.startswith("parse only: yaml_rs.loads")


@dataclass
class Sample:
    wall: float
    rss_max_mb: float  # the largest single process
    rss_sum_mb: float  # all processes of the tree at once (sampled)
    rc: int
    stderr: str


@dataclass
class Row:
    ledger: int
    name: str
    samples: list[Sample] = field(default_factory=list)
    inner: list[float] = field(default_factory=list)  # parse-only: time without start-up
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples) if self.samples else float("nan")

    @property
    def rss(self) -> tuple[float, float]:
        if not self.samples:
            return float("nan"), float("nan")
        return max(s.rss_max_mb for s in self.samples), max(s.rss_sum_mb for s in self.samples)


def luoshi() -> list[str]:
    script = Path(PY).parent / "luoshi"
    return [str(script)] if script.is_file() else [PY, "-m", "luoshi_cli"]


def _tree_rss_kb(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def _pty(columns: int = 160, rows: int = 50) -> tuple[int, int, threading.Thread]:
    """A pseudo-terminal of `columns` for a child's stdout, drained by a thread."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 1 << 16):
                    break
            except OSError:  # EIO: the child closed its end
                break
        os.close(master)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    return master, slave, reader


def run(cmd: list[str], env: dict[str, str] | None = None, stdout: Path | None = None,
        tty: bool = False) -> Sample:
    """One subprocess: wall time, peak RSS of the largest process and of the whole tree.
    `tty`: stdout is a terminal (a pseudo-terminal drained here)."""
    out: Any = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    reader = None
    if tty:
        _, out, reader = _pty()
    err_path = OUT / ".stderr"
    with open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        if tty:
            os.close(out)  # the child holds it: the drain ends when the child does
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                done.wait(0.02)

        watcher = threading.Thread(target=sample, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if reader is not None:
        reader.join(5)
    if stdout:
        out.close()
    return Sample(wall, usage.ru_maxrss / 1024, max(peak[0], usage.ru_maxrss) / 1024,
                  proc.returncode, err_path.read_text(errors="replace"))


def has_command(name: str) -> bool:
    return subprocess.run([*luoshi(), name, "--help"], capture_output=True).returncode == 0


def edit_one_file(path: Path, k: int) -> None:
    """A real edit: the first monthly note in the file changes (each run differently)."""
    text = path.read_text(encoding="utf-8")
    marker = "note: "
    i = text.index(marker) + len(marker)
    path.write_text(text[:i] + f"（第{k}次修订）" + text[i:], encoding="utf-8")


def bench(n: int, runs: int, pyyaml_runs: int, files: int) -> list[Row]:
    root = generate(OUT / f"ledger-{n}", n, files)
    size = sum(p.stat().st_size for p in root.rglob("*.yaml"))
    print(f"\n== {n:,} tasks, {len(list((root / 'tasks').glob('*.yaml')))} task files, "
          f"{size / 1e6:.1f} MB  ({root})", file=sys.stderr)
    rows: list[Row] = []
    cache = root / ".luoshi-cache"
    val = [*luoshi(), "validate", str(root), "--as-of", AS_OF]

    def measure(name: str, cmd: list[str], times: int = runs, env: dict[str, str] | None = None,
                before: object = None, check: bool = True) -> Row:
        row = Row(n, name)
        if not wanted(name):
            return row
        for k in range(times):
            if callable(before):
                before(k)
            s = run(cmd, env)
            row.samples.append(s)
            if check and s.rc != 0:
                row.note = f"exit {s.rc}: {s.stderr.strip().splitlines()[-1] if s.stderr else ''}"
                break
        print(f"  {name:<44} {row.median:8.2f} s  {row.rss[0]:7.0f} MB / {row.rss[1]:7.0f} MB"
              + (f"  ({row.note})" if row.note else ""), file=sys.stderr)
        rows.append(row)
        return row

    for parser, label, times in (("yaml_rs", "parse only: yaml_rs.loads", runs),
                                 ("pyyaml", "parse only: PyYAML CSafeLoader", pyyaml_runs)):
        if not wanted(label):
            continue
        row = Row(n, label)
        for _ in range(times):
            s = run([PY, str(HERE / "parse_only.py"), parser, str(root)], stdout=OUT / ".parse.json")
            row.samples.append(s)
            row.inner.append(json.loads((OUT / ".parse.json").read_text())["seconds"])
        print(f"  {label:<44} {row.median:8.2f} s  (parsing alone "
              f"{statistics.median(row.inner):.2f} s)", file=sys.stderr)
        rows.append(row)

    first = run([*val, "--no-cache"])
    if first.rc != 0 or "0 个错误，0 个警告" not in first.stderr:
        raise SystemExit(f"the generated ledger does not validate cleanly: {first.stderr[-500:]}")
    measure("validate --no-cache (2 cores)", [*val, "--no-cache"])
    measure("validate --no-cache, 1 core (LUOSHI_JOBS=1)", [*val, "--no-cache"],
            env={"LUOSHI_JOBS": "1"})
    # the same files judged at other dates: findings to place on their lines in
    # every task file (the CI gate keeps no cache, so each run places them again)
    measure(f"validate --no-cache, as of {EARLY}: LS203 in 7% of tasks",
            [*val[:-1], EARLY, "--no-cache"], check=False)
    measure(f"validate --no-cache, as of {LATE}: LS601 in 85% of tasks",
            [*val[:-1], LATE, "--no-cache"], check=False)
    measure("validate, empty cache (writes it)", val,
            before=lambda k: shutil.rmtree(cache, ignore_errors=True))
    measure("validate, warm cache", val)
    task_files = sorted((root / "tasks").glob("*.yaml"))
    edited = task_files[len(task_files) // 2]
    original = edited.read_bytes()
    try:
        measure("validate, one task file edited", val, before=lambda k: edit_one_file(edited, k))
    finally:
        edited.write_bytes(original)
    run(val)  # the cache again matches the files
    commands(n, root, measure, rows, val)
    return rows


COLD = {"LUOSHI_NO_CACHE": "1"}
#: as-of dates that give the generated ledger dated findings: completions after the
#: date (LS203, an error in about 7% of tasks), and the monthly report missing (LS601,
#: a warning for every task still running)
EARLY, LATE = "2024-04-01", "2024-12-31"


#: measured once more right after `validate` filled an empty cache: what the office's
#: second command of the month costs (its answers made from the parsed model kept)
AFTER_VALIDATE = ("status --format json", "score --quarter Q1", "bulletin --month 2024-03")


def commands(n: int, root: Path, measure: Any, rows: list[Row],
             val: list[str] | None = None) -> None:
    """Every monthly command, without the cache ("cold") and with a warm one; some
    also right after `validate` (`AFTER_VALIDATE`)."""
    for name, args in (
        ("status --format json", ["status", str(root), "--as-of", AS_OF, "--format", "json"]),
        ("status (table, piped)", ["status", str(root), "--as-of", AS_OF]),
        ("score --quarter Q1", ["score", str(root), "--quarter", "Q1", "--as-of", AS_OF,
                                "--format", "json"]),
        ("bulletin --month 2024-03", ["bulletin", str(root), "--month", "2024-03"]),
        ("bulletin --quarter Q1", ["bulletin", str(root), "--quarter", "Q1"]),
        ("bulletin --month 2024-03 (Word)", ["bulletin", str(root), "--month", "2024-03",
                                             "-o", str(OUT / f".bulletin-{n}.docx")]),
        ("export (.xlsx)", ["export", str(root), "--as-of", AS_OF, "-o",
                            str(OUT / f".export-{n}.xlsx")]),
    ):
        command = name.split()[0]
        if not any(wanted(f"{name}, {kind}") for kind in
                   ("cold (no cache)", "warm cache", "after validate (model kept)")):
            continue
        if not has_command(command):
            rows.append(Row(n, name, note="command not available yet: skipped"))
            print(f"  {name:<44} skipped: no such command yet", file=sys.stderr)
            continue
        measure(f"{name}, cold (no cache)", [*luoshi(), *args], env=COLD)
        if wanted(f"{name}, warm cache"):
            run([*luoshi(), *args])  # fills the cache for this command
        measure(f"{name}, warm cache", [*luoshi(), *args])
        if val is not None and name in AFTER_VALIDATE:
            def validated(_k: int) -> None:
                shutil.rmtree(root / ".luoshi-cache", ignore_errors=True)
                run(val)  # not timed: fills the cache as `luoshi validate` does

            measure(f"{name}, after validate (model kept)", [*luoshi(), *args],
                    before=validated)


def bench_units(tasks: int, units: int, runs: int, files: int) -> list[Row]:
    """A ledger with `units` units: export, and the status and score tables on a
    terminal."""
    n = tasks
    root = generate(OUT / f"ledger-{tasks}-u{units}", tasks, files, units_total=units)
    size = sum(p.stat().st_size for p in root.rglob("*.yaml"))
    label = f"{tasks:,} tasks × {units:,} units"
    print(f"\n== {label}, {size / 1e6:.1f} MB  ({root})", file=sys.stderr)
    rows: list[Row] = []
    key = -tasks  # told apart from the plain ledger of the same size in the table

    def measure(name: str, cmd: list[str], env: dict[str, str] | None = None,
                tty: bool = False) -> Row:
        row = Row(key, f"{name} [{units:,} units]")
        if not wanted(row.name):
            return row
        for _ in range(runs):
            s = run(cmd, env, tty=tty)
            row.samples.append(s)
            if s.rc != 0:
                row.note = f"exit {s.rc}: {s.stderr.strip().splitlines()[-1] if s.stderr else ''}"
                break
        print(f"  {row.name:<60} {row.median:8.2f} s  {row.rss[0]:7.0f} MB"
              + (f"  ({row.note})" if row.note else ""), file=sys.stderr)
        rows.append(row)
        return row

    measure("parse only: yaml_rs.loads", [PY, str(HERE / "parse_only.py"), "yaml_rs", str(root)])
    val = [*luoshi(), "validate", str(root), "--as-of", AS_OF]
    first = run(val)
    if first.rc != 0:
        raise SystemExit(f"the {label} ledger does not validate: {first.stderr[-500:]}")
    status = [*luoshi(), "status", str(root), "--as-of", AS_OF]
    run([*status, "--format", "json"])
    run(status)  # the table's cache too
    measure("status --format json, warm cache", [*status, "--format", "json"])
    measure("status (table, on a terminal), warm cache", status, tty=True)
    # the ranking of every unit on a terminal: rich's layout was most of it (8 s)
    score = [*luoshi(), "score", str(root), "--quarter", "Q1", "--as-of", AS_OF]
    measure("score --quarter Q1 (table, on a terminal), cold (no cache)", score, env=COLD,
            tty=True)
    export = [*luoshi(), "export", str(root), "--as-of", AS_OF, "-o", str(OUT / ".export-u.xlsx")]
    measure("export (.xlsx), cold (no cache)", export, env=COLD)
    measure("export (.xlsx), warm cache", export)
    del n
    return rows


def startup(runs: int) -> list[Row]:
    rows = []
    example = HERE.parent / "examples" / "weinan-2021"
    for name, cmd in (("luoshi --version", [*luoshi(), "--version"]),
                      ("luoshi --help", [*luoshi(), "--help"]),
                      ("luoshi validate examples/weinan-2021 (20 tasks)",
                       [*luoshi(), "validate", str(example), "--as-of", "2021-06-30"])):
        row = Row(0, name, [run(cmd) for _ in range(max(runs, 5))])
        print(f"  {name:<44} {row.median * 1000:8.0f} ms", file=sys.stderr)
        rows.append(row)
    return rows


def _floor_name(r: Row) -> bool:
    return r.name.startswith("parse only: yaml_rs.loads")


def report(rows: list[Row], sizes: list[int]) -> str:
    lines = ["| tasks | measurement | median (s) | × yaml_rs parse-only | peak RSS, largest "
             "process / all (MB) |", "|---:|---|---:|---:|---:|"]
    floor = {r.ledger: r.median for r in rows if _floor_name(r)}
    for r in rows:
        if r.ledger == 0:
            continue
        tasks = f"{abs(r.ledger):,}"
        if not r.samples:
            lines.append(f"| {tasks} | {r.name} | — | — | {r.note} |")
            continue
        ratio = r.median / floor[r.ledger] if r.ledger in floor else float("nan")
        rss = r.rss
        extra = f" ({r.note})" if r.note else ""
        lines.append(f"| {tasks} | {r.name}{extra} | {r.median:.2f} | {ratio:.2f} | "
                     f"{rss[0]:.0f} / {rss[1]:.0f} |")
    lines += ["", "| start-up | median (ms) |", "|---|---:|"]
    lines += [f"| `{r.name}` | {r.median * 1000:.0f} |" for r in rows if r.ledger == 0]

    def med(n: int, name: str) -> float:
        return next((r.median for r in rows if r.ledger == n and r.name.startswith(name)),
                    float("nan"))

    def rss(n: int, name: str) -> float:
        return next((r.rss[1] for r in rows if r.ledger == n and r.name.startswith(name)
                     and r.samples), float("nan"))

    big, small = max(sizes), min(sizes)
    cold = "validate --no-cache (2 cores)"
    floor_big = med(big, "parse only: yaml_rs.loads")
    peak = max((r.rss[1] for r in rows if r.samples and r.ledger), default=float("nan"))
    targets = [
        (f"validate on {big:,} tasks (no cache) within 1.3× of yaml_rs parse-only",
         med(big, cold) / floor_big, 1.3, "×"),
        (f"validate on {big:,} tasks, warm cache, vs yaml_rs parse-only",
         med(big, "validate, warm cache") / floor_big, 1.5, "×"),
        ("peak memory (all processes) under 2 GB", peak / 1024, 2.0, "GB"),
        (f"re-validate {big:,} tasks after editing one file under 1 s",
         med(big, "validate, one task file edited"), 1.0, "s"),
        ("`luoshi --version` under 150 ms",
         next((r.median for r in rows if r.name == "luoshi --version"), float("nan")) * 1000,
         150, "ms"),
        # issue 17
        ("status --format json, cold, within 1.5× of parse-only",
         med(big, "status --format json, cold") / floor_big, 1.5, "×"),
        ("status --format json, warm, under 1 s",
         med(big, "status --format json, warm"), 1.0, "s"),
        ("status --format json, peak memory under 500 MB",
         max(rss(big, "status --format json, cold"), rss(big, "status --format json, warm")),
         500, "MB"),
        ("bulletin --month, cold, within 1.5× of parse-only",
         med(big, "bulletin --month 2024-03, cold") / floor_big, 1.5, "×"),
        ("bulletin --month, warm, under 1.5 s",
         med(big, "bulletin --month 2024-03, warm"), 1.5, "s"),
        ("score --quarter, cold, within 1.3× of parse-only",
         med(big, "score --quarter Q1, cold") / floor_big, 1.3, "×"),
        ("score --quarter, warm, under 1 s", med(big, "score --quarter Q1, warm"), 1.0, "s"),
    ]
    units = [r.ledger for r in rows if r.ledger < 0]
    if units:
        u = units[0]
        targets += [
            ("export (units ledger), cold, within 2× of its parse-only",
             med(u, "export (.xlsx), cold") / med(u, "parse only: yaml_rs.loads"), 2.0, "×"),
            ("export (units ledger), warm, within 2× of its parse-only",
             med(u, "export (.xlsx), warm") / med(u, "parse only: yaml_rs.loads"), 2.0, "×"),
            ("status table on a terminal (units ledger) within 1.5× of JSON",
             med(u, "status (table, on a terminal)") / med(u, "status --format json"),
             1.5, "×"),
        ]
    if big != small:
        f = big / small
        targets.insert(2, (f"{f:.0f}× the tasks costs at most {1.1 * f:.0f}× the time "
                           f"(validate, no cache)", med(big, cold) / med(small, cold), 1.1 * f, "×"))
        targets.insert(3, (f"{f:.0f}× the tasks, warm cache", med(big, "validate, warm cache")
                           / med(small, "validate, warm cache"), 1.1 * f, "×"))
    lines += ["", "| target | measured | limit | met |", "|---|---:|---:|:-:|"]
    for name, value, limit, unit in targets:
        ok = "yes" if value <= limit else "**no**" if value == value else "—"
        lines.append(f"| {name} | {value:.2f} {unit} | {limit:g} {unit} | {ok} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description="luoshi speed benchmark (issue 7)")
    ap.add_argument("--tasks", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--pyyaml-runs", type=int, default=1,
                    help="runs of the PyYAML parse-only baseline (slow: ~1 min per 100k tasks)")
    ap.add_argument("--files", type=int, default=300, help="task files per ledger")
    ap.add_argument("--units-ledger", type=int, nargs=2, default=[20_000, 10_000],
                    metavar=("TASKS", "UNITS"),
                    help="the ledger for export and the terminal table (0 0: none)")
    ap.add_argument("--only", nargs="+", default=[], metavar="WORDS",
                    help="measure only the rows whose name contains one of these (e.g. "
                         "'status --format json' 'terminal'); the parse-only floor always")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up timings")
    args = ap.parse_args()
    ONLY[:] = args.only
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.pop("CI", None)  # measure luoshi as on a desk: in CI the cache is off
    # as installed: pip compiles luoshi's bytecode; a shell with PYTHONDONTWRITEBYTECODE
    # would have every run compile 150 modules again (0.15 s that no user pays)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, luoshi: "
          f"{' '.join(luoshi())}", file=sys.stderr)
    load_start = os.getloadavg()
    rows: list[Row] = []
    for n in args.tasks:
        rows += bench(n, args.runs, args.pyyaml_runs, args.files)
    if args.units_ledger[0] > 0:
        rows += bench_units(*args.units_ledger, args.runs, args.files)
    if not args.no_startup and wanted("luoshi --version"):
        print("\n== start-up", file=sys.stderr)
        rows += startup(args.runs)
    table = report(rows, args.tasks)
    # a shared machine shows in the numbers: say how busy it was
    load_end = os.getloadavg()
    table += (f"\nLoad average (1, 5, 15 min) at the start: "
              f"{' '.join(f'{x:.2f}' for x in load_start)}; at the end: "
              f"{' '.join(f'{x:.2f}' for x in load_end)}.\n")
    print(table)
    (OUT / "results.md").write_text(table, encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps(
        [{"tasks": r.ledger, "name": r.name, "median_s": r.median, "note": r.note,
          "runs": [s.wall for s in r.samples], "parse_s": r.inner,
          "rss_max_mb": r.rss[0], "rss_all_mb": r.rss[1]} for r in rows], indent=1),
        encoding="utf-8")


if __name__ == "__main__":
    main()
