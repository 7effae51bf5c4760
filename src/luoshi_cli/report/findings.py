"""Findings as text (`path:line:col: severity CODE message`), JSON, or GitHub
workflow commands.  Text is what editors and humans read; the others serve CI."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from typing import TextIO

from ..core.codes import L
from ..core.finding import Finding
from ..core.labels import SEVERITY, counted, say
from ..core.safetext import json_text, printable, terminal


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


#: how many of the values a score does not count `score` and `bulletin` list on
#: stderr (`render_unread`): a ledger with 10,000 of them gets ten and a count
UNREAD_SHOWN = 10


def render_unread(findings: Sequence[Finding], out: TextIO, lang: str, color: bool,
                  shown: int = UNREAD_SHOWN) -> None:
    """What `score` and `bulletin` say of the values in the records they read that no
    score counts (`api.unread_values`, LS417–LS424): a line naming how many and their
    codes, the first `shown` findings as `validate` prints them, and how many more
    `luoshi validate` lists.  Nothing when there are none."""
    if not findings:
        return
    n = len(findings)
    codes = sorted({f.code for f in findings})
    flags = sum(1 for f in findings if f.code == "LS423")  # a flag is no figure
    if not flags:
        zh, en = "个数值", counted(n, "value")
    elif flags == n:
        zh, en = "个标记", counted(n, "flag")
    else:
        zh, en = "个数值或标记", f"{n} values or flags"
    head = L(f"注意：考核记录中有 {n} {zh}不计入得分（{'、'.join(codes)}）：",
             f"note: {en} in the records {'is' if n == 1 else 'are'} not counted in the "
             f"scores ({', '.join(codes)}):")
    out.write(f"luoshi: {say(head, lang)}\n")
    render_text(findings[:shown], out, lang, color)
    if n > shown:
        more = L(f"另有 {n - shown} 个未列出：luoshi validate 会全部列出",
                 f"{n - shown} more not listed here: luoshi validate lists them all")
        out.write(f"luoshi: {say(more, lang)}\n")


def render_json(findings: Sequence[Finding], out: TextIO, lang: str, color: bool) -> None:
    out.write("[")
    for i, f in enumerate(findings):
        out.write(",\n " if i else "\n ")
        out.write(json_text(json.dumps(f.as_dict(lang), ensure_ascii=False)))
    out.write("\n]\n" if findings else "]\n")


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    """A property value (a file name): percent-escaped as GitHub reads it, and every
    other control, line separator and bidi override escaped visibly as the text
    format does (`\\u202e`), so the rest of the log line reads as written."""
    return printable(_escape_data(s)).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], out: TextIO, lang: str, color: bool) -> None:
    """Workflow commands, one line each.  GitHub annotates only the first 10 errors and
    10 warnings of a step, and its log shows a command's message alone — not its
    `file=`, `line=` or `title=` — so the message starts with what the text format's
    line starts with, `path:line:col: CODE ` (as ruff's github format does): every
    finding in the log says where it is (and `step_summary` writes a summary table).
    The path there is the `file=` one, escaped as the text format escapes it."""
    for f in findings:
        kind = "error" if f.severity == "error" else "warning"
        where = f"{terminal(f.file)}:{f.line}:{f.col}: {f.code} "
        out.write(
            f"::{kind} file={_escape_prop(f.file)},line={f.line},col={f.col},"
            f"title={_escape_prop(f.code)}::{_escape_data(where + f.message(lang))}\n"
        )


def step_summary(findings: Sequence[Finding], lang: str, ledger: str = "",
                 title: str = "") -> L | None:
    """Append the findings as a table to $GITHUB_STEP_SUMMARY, when it is set (the
    `--format github` output's companion), under a heading naming the ledger — its
    path (`ledger`, from the checkout, as `file=`; the title alone names a ledger that
    is the checkout) and `title` — after a blank line: a
    step that validates two ledgers appends two summaries to one file, which ran into
    one table.  The table stops where the file would pass `SUMMARY_LIMIT`, counting
    what the step wrote before.  A summary that cannot be written does not fail the
    check — the log has every finding — but is not passed over in silence either: the
    one-line note returned says so (None: written, or not set)."""
    from .bulletin.markdown import md_escape

    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary:
        return None
    # a ledger at the top of the checkout (or of the current directory) is "." there:
    # its title alone names it
    where = "" if ledger in ("", ".") else md_escape(ledger)
    name = (md_escape(title) if not where else
            where + (f"（{md_escape(title)}）" if lang != "en" else f" ({md_escape(title)})"))
    name = name if title or where else "."
    head = f"\n### 台账检查：{name}\n\n" if lang != "en" else f"\n### Ledger check: {name}\n\n"
    try:
        with open(summary, "a", encoding="utf-8") as fh:
            room = SUMMARY_LIMIT - fh.tell() - len(head.encode())
            # a table of headers only reads as a rendering failure: one line instead
            fh.write(head + (markdown_table(findings, lang, limit=room) if findings
                             else "luoshi: no findings\n" if lang == "en"
                             else "luoshi：没有发现问题\n"))
    except OSError as exc:
        why = printable(exc.strerror or str(exc))
        where = printable(summary)
        return L(f"注意：无法写入步骤摘要 GITHUB_STEP_SUMMARY（{where}）：{why}；各项问题见日志",
                 f"note: cannot write the step summary GITHUB_STEP_SUMMARY ({where}): {why}; "
                 "the findings are in the log")
    return None


#: GitHub drops a step summary over 1 MiB whole; stay well below it
SUMMARY_LIMIT = 1000 * 1000


def markdown_table(findings: Sequence[Finding], lang: str, limit: int | None = None) -> str:
    """The findings as a Markdown table; with `limit` (bytes of UTF-8), the rows that
    fit and a last line "… and N more" (the log has them all)."""
    # ledger text (file names, ids in messages) is untrusted: a step summary is rendered
    # Markdown, where it must not become an image, a link, a mention or more columns
    from .bulletin.markdown import md_escape

    head = ("| file | line | severity | code | message |" if lang == "en"
            else "| 文件 | 行 | 级别 | 代码 | 说明 |")
    lines = [head, "|---|---|---|---|---|"]
    size = sum(len(x.encode()) + 1 for x in lines)
    for i, f in enumerate(findings):
        word = SEVERITY.get(f.severity)
        row = (f"| {md_escape(f.file)} | {f.line} | {say(word, lang) if word else f.severity} "
               f"| {f.code} | {md_escape(f.message(lang))} |")
        size += len(row.encode()) + 1
        if limit is not None and size > limit - 200:
            rest = len(findings) - i
            lines.append("")
            lines.append(f"… and {rest} more (see the log)" if lang == "en"
                         else f"… 另有 {rest} 条（见日志）")
            break
        lines.append(row)
    return "\n".join(lines) + "\n"


def _uri(path: str) -> str:
    """A file name as SARIF's `uri` (§3.10: a URI reference): percent-encoded, "/" kept,
    so `a#1.yaml`, `q?x=1.yaml`, `100%.yaml` and `经济 发展.yaml` name themselves rather
    than a fragment, a query or another file.  Code scanning decodes it again.  A name
    git or the file system gave as undecodable bytes is encoded as those bytes."""
    from urllib.parse import quote

    return quote(path, safe="/", errors="surrogateescape")


def render_sarif(findings: Sequence[Finding], out: TextIO, lang: str, color: bool) -> None:
    """SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`):
    one rule per code used (its id, its title as `shortDescription` and its default
    level: each result's message says what is wrong and how to fix it, as every
    message of `core.codes` does), one result per finding, the file relative to the
    repository root (`%SRCROOT%`).  A finding's column counts code points from 1 (the
    YAML readers' marks, as the text format prints it): the run says so in
    `columnKind` — SARIF's default, UTF-16 code units, is one more for each
    character past U+FFFF before it on the line (an emoji in a title)."""
    from .. import __version__
    from ..core.codes import CODES

    used = sorted({f.code for f in findings})
    index = {code: i for i, code in enumerate(used)}
    rules = []
    for code in used:
        known = CODES.get(code)
        rule: dict[str, object] = {"id": code}
        if known is not None:
            rule["shortDescription"] = {"text": known.title}
            rule["defaultConfiguration"] = {"level": _level(known.severity)}
        rules.append(rule)
    results = []
    for f in findings:
        region: dict[str, int] = {"startLine": max(f.line, 1)}
        if f.col > 0:
            region["startColumn"] = f.col
        results.append({
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _level(f.severity),
            "message": {"text": f.message(lang)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.file), "uriBaseId": "%SRCROOT%"},
                "region": region}}],
        })
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "luoshi", "version": __version__,
                                "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    out.write(json_text(json.dumps(doc, ensure_ascii=False, indent=1)) + "\n")


def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


Renderer = Callable[[Sequence[Finding], TextIO, str, bool], None]
RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}
