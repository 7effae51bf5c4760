"""The one error record of luoshi, and the order findings are reported in.

A finding is data, never an exception: every stage returns findings and the CLI
prints them.  A finding is created where the problem is noticed, often before its
line is known: then it carries the key path inside its file (`path`) and
`positions.resolve()` fills in line and column from a re-parse of just that
file, so the fast path never pays for positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from .codes import CODES, SHELL_FILE, L, render
from .safetext import shell_path, terminal

Severity = Literal["error", "warning"]
PathKey = str | int
KeyPath = tuple[PathKey, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a ledger: where (file:line:col), how bad, what, how to fix."""

    code: str
    file: str
    line: int = 0
    col: int = 0
    params: tuple[tuple[str, str | L], ...] = ()
    severity: Severity = "error"
    #: key path inside the file's document, used to find line/col lazily
    path: KeyPath | None = None
    #: point at the key itself rather than its value (unknown keys, duplicates)
    on_key: bool = False
    #: another place this finding names (the first of two duplicates): resolved
    #: into the `first` parameter as "file:line"
    related: tuple[str, KeyPath] | None = None

    def message(self, lang: str = "zh") -> str:
        """The message; `{file}` in a template is the finding's own file as it is
        printed, and `{shfile}` the same as a shell word, quoted where the name needs
        it (a fix command that names the file then runs from where the finding's
        path does: `prefixed` makes text output's paths relative to the current
        directory, JSON keeps them ledger-relative)."""
        params: dict[str, str | L] = dict(self.params)
        params.setdefault("file", terminal(self.file))
        if self.code in SHELL_FILE:  # a command in the message: the file as a shell word
            params.setdefault("shfile", shell_path(self.file))
        return render(self.code, params, lang)

    def with_position(self, line: int, col: int) -> Finding:
        # the constructor, not `dataclasses.replace` (five times slower): a ledger late
        # with its monthly reports places one LS601 per task
        return Finding(self.code, self.file, line, col, self.params, self.severity,
                       self.path, self.on_key, self.related)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.code)

    def as_dict(self, lang: str = "zh") -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message(lang),
        }


def finding(
    code: str,
    file: str,
    *,
    path: KeyPath | None = None,
    line: int = 0,
    col: int = 0,
    on_key: bool = False,
    severity: Severity | None = None,
    related: tuple[str, KeyPath] | None = None,
    **params: object,
) -> Finding:
    """Build a finding; the severity defaults to the code's catalogued one."""
    sev: Severity = severity or CODES[code].severity
    return Finding(
        code=code,
        file=file,
        line=line,
        col=col,
        params=tuple((k, _text(v)) for k, v in params.items()),
        severity=sev,
        path=path,
        on_key=on_key,
        related=related,
    )


def _text(value: object) -> str | L:
    """A parameter as message text.  Line breaks, terminal escapes and bidi overrides
    from a ledger's values ("id: \"T\\nfake.yaml:9:9: error ...\"") would forge lines
    of `file:line:col` output, recolour a terminal or reverse what a reader sees:
    they are escaped visibly.  So is a workflow command: `##vso[…]` and `##[…]` are
    obeyed anywhere on a line by Azure Pipelines, and a finding's message is a CI
    log line (`terminal()`, as for every other output of ledger text)."""
    if isinstance(value, L):
        return L(terminal(value.zh), terminal(value.en))
    if isinstance(value, (list, tuple, set, frozenset)):
        # a list in Chinese text is joined by the enumeration comma: 督导检查评议、政务服务评价
        parts = [str(v) for v in value]
        return L(terminal("、".join(parts)), terminal(", ".join(parts)))
    return terminal(str(value))


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by file then line, as SPEC §6 asks; stable for equal positions."""
    return sorted(findings, key=Finding.sort_key)


def count(findings: Iterable[Finding]) -> Mapping[str, int]:
    errors = warnings = 0
    for f in findings:
        if f.severity == "error":
            errors += 1
        else:
            warnings += 1
    return {"errors": errors, "warnings": warnings}
