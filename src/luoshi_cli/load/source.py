"""One ledger file as it goes through the loading steps: read (`read`), parsed
(`yaml_fast`, or `yaml_scan` when something is wrong with it).  Its own module so
that every step can fill it in without importing the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.codes import L
from ..core.finding import Finding, finding

#: findings kept per file: beyond it one LS019 says the rest were not listed, so that
#: a file repeating one mistake a million times cannot exhaust the memory
MAX_FINDINGS_PER_FILE = 200_000


@dataclass(slots=True)
class Source:
    """One ledger file: its text (once decoded) and its data (once parsed)."""

    path: Path
    rel: str
    text: str | None = None
    data: Any = None
    ok: bool = False
    findings: list[Finding] = field(default_factory=list)


#: why a file cannot be read (LS006), worded once for the directory and for git
IS_A_DIRECTORY = L("这是一个目录", "it is a directory")
LINK_LOOP = L("符号链接循环", "symbolic link loop")


def out_of_memory(rel: str, size: int) -> Finding:
    """A file within max_file_mb that this machine cannot hold while reading it."""
    mb = f"{size / 1048576:.3g}"
    return finding("LS006", rel, line=1, col=1,
                   reason=L(f"内存不足，无法读取这个 {mb} MB 的文件：请拆分文件，"
                            "或调低 max_file_mb",
                            f"not enough memory to read {mb} MB: lower max_file_mb and "
                            "split the file"))

