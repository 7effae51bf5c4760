"""The documentation set: a short README with the two set-up commands `.ci/run` relies on,
the English reference generated from docs/readme/*.md, and the Chinese user guide."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_is_short() -> None:
    """The front page: what luoshi is, the two set-up commands, the commands, today's
    speed and the links; everything else is in docs/REFERENCE.md."""
    assert len(README.splitlines()) <= 95


def test_readme_has_the_two_setup_commands_exactly() -> None:
    """`.ci/run` runs the second one verbatim; users paste the first."""
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert blocks[:2] == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && "
        "luoshi validate examples/weinan-2021 && luoshi score examples/weinan-2021 --quarter Q2",
        "pip install '.[test]' && python -m pytest",
    ]
    assert "pip install '.[test]' && python -m pytest || exit 1" in (
        ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_lists_the_main_commands() -> None:
    for name in ("validate", "status", "score", "bulletin", "supervise", "diff", "export",
                 "import", "rollup", "schema", "init"):
        assert f"`luoshi {name} " in README or f"`luoshi import {name}" in README, name


def test_readme_links_resolve() -> None:
    links = re.findall(r"\]\(([^)#:]+)\)", README)
    assert "docs/使用手册.md" in links and "docs/REFERENCE.md" in links
    for link in links:
        assert (ROOT / link).exists(), link


def test_reference_is_up_to_date_with_its_parts() -> None:
    """docs/REFERENCE.md is exactly what `python docs/build_readme.py` writes."""
    build = runpy.run_path(str(ROOT / "docs" / "build_readme.py"))
    assert (ROOT / "docs" / "REFERENCE.md").read_text(encoding="utf-8") == build["reference"](), \
        "regenerate with: python docs/build_readme.py"


def test_guide_is_chinese_and_covers_the_cycle() -> None:
    guide = (ROOT / "docs" / "使用手册.md").read_text(encoding="utf-8")
    for word in ("序时节点", "牵头单位", "责任单位", "包抓领导", "红灯", "黄灯", "销号",
                 "负面清单", "一票否决", "约谈", "整改", "加分", "不适用", "分类考核",
                 "export", "--per-unit", "import updates", "supervise", "pre-commit",
                 "docs/REFERENCE.md"):
        assert word in guide, word


def test_unknown_code_prefix_points_at_the_reference() -> None:
    """The code table moved from README.md to docs/REFERENCE.md: the hint must follow it."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "luoshi_cli", "validate",
                          str(ROOT / "examples" / "weinan-2021"), "--select", "QQ",
                          "--lang", "en"], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr == ("luoshi: --select QQ: no finding code "
                          "starts with it (codes look like LS105: see the table in "
                          "docs/REFERENCE.md)\n")
    assert (ROOT / "docs" / "REFERENCE.md").exists()
