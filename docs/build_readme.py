"""Assemble README.md from docs/readme/*.md (in name order) and the generated code table.

    python docs/build_readme.py
"""

from __future__ import annotations

from pathlib import Path

from luoshi_cli.core.codes import markdown_table

HERE = Path(__file__).resolve().parent
parts = [p.read_text(encoding="utf-8").strip() for p in sorted((HERE / "readme").glob("*.md"))]
text = "\n\n".join(parts).replace("<!-- codes -->", markdown_table()) + "\n"
(HERE.parent / "README.md").write_text(text, encoding="utf-8")
print(f"README.md: {len(text.splitlines())} lines from {len(parts)} parts")
