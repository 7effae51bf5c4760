"""The complete scheme.yaml of the reference (docs/readme/40-scoring.md, "A complete
scheme.yaml") is a scheme luoshi takes: a ledger built around that very text validates
without an error and scores, and the example uses every key the scheme's JSON schema
knows (so a key added to the schema is added to the docs too)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from conftest import REPO, Run

DOC = REPO / "docs" / "readme" / "40-scoring.md"
HEADING = "### A complete scheme.yaml"

LEDGER = {
    "luoshi.yaml": "title: 2024年某区重点工作台账\nyear: 2024\ncategories:\n"
                   "  - {id: econ, name: 经济发展}\n",
    "units.yaml": """units:
  - {id: taihe, name: 太和镇, kind: 镇}
  - {id: taiping, name: 太平镇, kind: 镇}
  - {id: zjj, name: 区住建局, kind: 部门}
  - {id: fgw, name: 区发改委, kind: 部门}
  - {id: kfq, name: 开发区管委会, kind: 园区}
  - {id: kaoban, name: 区考核办, kind: 部门, assessed: false}
leaders:
  - {id: li, name: 李某某}
""",
    "tasks/econ.yaml": """- id: T-1
  title: 重点项目开工
  category: econ
  lead: fgw
  units: [zjj]
  cooperating: [taihe]
  leaders: [li]
  start: 2024-01-01
  standard: 开工10个
  milestones:
    - {due: 2024-03-31, standard: 开工5个, done: 2024-04-03}
    - {due: 2024-12-31, standard: 开工10个}
  status: in_progress
  progress: 50
  updates:
    - {month: "2024-03", progress: 50}
""",
    **{f"records/2024-{m}.yaml": f'period: "2024-{m}"\nscores:\n'
       + "".join(f"  {u}: {{dispatch: {s}}}\n" for u, s in
                 (("taihe", 90), ("taiping", 85), ("zjj", 80), ("fgw", 88), ("kfq", 92)))
       for m in ("01", "02", "03")},
    "records/2024-Q1.yaml": """period: 2024-Q1
scores:
  taihe: {towns_work: 90}
  taiping: {towns_work: 80}
  zjj: {towns_work: 85}
items:
  taihe: {style: {study: 38, hotline: 28, visits: 27}}
  taiping: {style: {study: 35, hotline: 25, visits: 30}}
  zjj: {style: {study: 36, hotline: 26, visits: 26}}
  fgw: {style: {study: 39, hotline: 29, visits: 29}}
  kfq: {style: {study: 30, hotline: 20, visits: 20}}
quality:
  T-1: 85
deductions:
  - {unit: zjj, category: formalism, date: 2024-02-10, points: 2, media: true, reason: 文山会海}
bonuses:
  - {unit: taihe, category: praise, date: 2024-03-01, points: 2, reason: 获市级表扬}
""",
}


def example() -> str:
    """The first ```yaml block under the heading."""
    text = DOC.read_text(encoding="utf-8")
    part = text[text.index(HEADING):]
    m = re.search(r"```yaml\n(.*?)```", part, re.S)
    assert m is not None, f"no yaml block under {HEADING!r}"
    return m.group(1)


def test_the_documented_scheme_validates_and_scores(write: Callable[..., Path],
                                                    cli: Callable[..., Run]) -> None:
    root = write({**LEDGER, "scheme.yaml": example()})
    run = cli("validate", root, "--as-of", "2024-04-10", "--lang", "en")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.stdout == "", run.stdout  # not even a warning
    score = cli("score", root, "--quarter", "Q1", "--format", "json")
    assert score.exit_code == 0, score.stderr
    units = {u["unit"]: u for u in json.loads(score.stdout)["units"]}
    # credit: all credits T-1 to its lead fgw, its 责任单位 zjj and its 配合单位 taihe
    assert {"fgw", "zjj", "taihe"} <= set(units) and "kaoban" not in units
    # applies_to: 乡村振兴 is for the 镇 and zjj, not for fgw or kfq
    assert "towns_work" in units["fgw"]["not_applicable"]
    assert "towns_work" not in units["zjj"].get("not_applicable", [])


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield str(k)
            yield from _keys(v)
    elif isinstance(node, list):
        for v in node:
            yield from _keys(v)


def _schema_keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                yield from v
            yield from _schema_keys(v)
    elif isinstance(node, list):
        for v in node:
            yield from _schema_keys(v)


def test_the_documented_scheme_uses_every_key(cli: Callable[..., Run]) -> None:
    run = cli("schema", "--kind", "scheme", "--generic")
    assert run.exit_code == 0, run.stderr
    known = set(_schema_keys(json.loads(run.stdout)))
    used = set(_keys(yaml.safe_load(example())))
    assert known - used == set(), f"keys of the schema the example leaves out: {known - used}"
    assert used - known == set()
