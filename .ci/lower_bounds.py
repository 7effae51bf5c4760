"""Print `name==version` for the lowest version every dependency's pin allows.

`.ci/run` installs luoshi with these as constraints (`pip install -c FILE '.[test]'`)
and runs the tests again: a lower bound in pyproject.toml is a promise to users whose
machines hold older packages, and only a run against it keeps the promise honest.
Reads the runtime dependencies and the `test` extra (and the extras it names of luoshi
itself, such as `luoshi[rollup]`); every one must have a `>=` bound.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")


def lower_bounds(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    reqs = [*project["dependencies"], *extras["test"]]
    out = []
    while reqs:
        req = reqs.pop(0)
        m = _REQ.match(req.split(";")[0])
        if m is None:
            raise SystemExit(f"lower_bounds: cannot read requirement {req!r}")
        name, spec = m.groups()
        if name == project["name"]:  # `luoshi[rollup]` in the test extra: that extra's pins
            wanted = re.search(r"\[([^\]]*)\]", req)
            for extra in (wanted.group(1).split(",") if wanted else ()):
                reqs.extend(extras[extra.strip()])
            continue
        low = re.search(r">=\s*([^,\s]+)", spec)
        if low is None:
            raise SystemExit(f"lower_bounds: {name} has no '>=' bound: {req!r}")
        out.append(f"{name}=={low.group(1)}")
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    print("\n".join(lower_bounds(root / "pyproject.toml")))
