"""Findings as text (`path:line:col: severity CODE message`), JSON, or GitHub
workflow commands.  Text is what editors and humans read; the others serve CI."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from typing import TextIO

from ..core.finding import Finding
from ..core.safetext import terminal


def render_text(findings: Sequence[Finding], out: TextIO, lang: str, color: bool) -> None:
    """`file:line:col: severity CODE message`, one line each.  The message's ledger
    values are escaped when the finding is made; the file name starts the line, so
    it is escaped here too (a `::error` there would be a CI workflow command)."""
    for f in findings:
        sev: str = f.severity
        file = terminal(f.file)
        if color:
            tint = "\x1b[31m" if sev == "error" else "\x1b[33m"
            sev = f"{tint}{sev}\x1b[0m"
            loc = f"\x1b[1m{file}:{f.line}:{f.col}\x1b[0m"
        else:
            loc = f"{file}:{f.line}:{f.col}"
        out.write(f"{loc}: {sev} {f.code} {f.message(lang)}\n")


def render_json(findings: Sequence[Finding], out: TextIO, lang: str, color: bool) -> None:
    out.write("[")
    for i, f in enumerate(findings):
        out.write(",\n " if i else "\n ")
        out.write(json.dumps(f.as_dict(lang), ensure_ascii=False))
    out.write("\n]\n" if findings else "]\n")


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], out: TextIO, lang: str, color: bool) -> None:
    """Workflow commands; GitHub annotates only the first few per step, so every
    finding is also a plain log line, and a summary table goes to $GITHUB_STEP_SUMMARY."""
    for f in findings:
        kind = "error" if f.severity == "error" else "warning"
        out.write(
            f"::{kind} file={_escape_prop(f.file)},line={f.line},col={f.col},"
            f"title={_escape_prop(f.code)}::{_escape_data(f.message(lang))}\n"
        )
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(markdown_table(findings, lang))
        except OSError:
            pass


def markdown_table(findings: Sequence[Finding], lang: str) -> str:
    lines = ["| file | line | severity | code | message |", "|---|---|---|---|---|"]
    for f in findings:
        msg = f.message(lang).replace("|", "\\|")
        lines.append(f"| {f.file} | {f.line} | {f.severity} | {f.code} | {msg} |")
    return "\n".join(lines) + "\n"


Renderer = Callable[[Sequence[Finding], TextIO, str, bool], None]
RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
