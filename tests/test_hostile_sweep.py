"""Defects found by a sweep of every command over mutated ledgers (hostile input).

Each test is one defect the existing corpus (tests/hostile/, test_active_content.py,
test_excel_hostile.py) did not cover, pinned exactly: the exit code, the finding
(code, file, line, column) or the one-line error, and the text shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run, edit

AS_OF = ("--as-of", "2021-06-30")
#: an Azure Pipelines logging command: obeyed wherever it stands on a log line
VSO = "##vso[task.setvariable variable=X]1"


def test_a_finding_never_carries_a_workflow_command(cli: Callable[..., Run],
                                                    example: Path) -> None:
    """A ledger value quoted in a finding's message (here an unknown unit code, and
    the same code named in the report-overdue warning) is a CI log line: `##vso[`
    is escaped there as in every other output, not only control characters."""
    edit(example / "tasks/city.yaml", "lead: chongyelu",
         f'lead: "chongyelu{VSO}"')
    r = cli("validate", example, *AS_OF, "--select", "LS110")
    assert r.exit_code == 1
    assert r.stdout == (
        "tasks/city.yaml:5:9: error LS110 任务 WN-009 引用了不存在的单位 "
        "chongyelu\\x23#vso[task.setvariable variable=X]1：请在 units.yaml 中添加该单位，"
        "或改正拼写\n")
    r = cli("validate", example, *AS_OF, "--select", "LS110", "-f", "github", "--lang", "en")
    assert r.stdout == (
        "::error file=tasks/city.yaml,line=5,col=9,title=LS110::task WN-009 names unknown "
        "unit chongyelu\\x23#vso[task.setvariable variable=X]1: add it to units.yaml or "
        "correct the spelling\n")


def _docx_text(path: Path, part: str = "word/document.xml") -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def test_docx_bulletin_with_control_characters_in_ledger_text(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """The Word bulletin writes ledger text through python-docx, not a template: an
    ESC or BEL in the issuer or a deduction reason crashed it ("internal error
    (ValueError: All strings must be XML compatible …)", exit 2), and a bidi
    override reached the document raw.  Both are escaped visibly, as in the
    Markdown and HTML bulletins; U+FFFF (no XML character either) too."""
    edit(example / "luoshi.yaml", "issuer: 渭南高新区目标任务考核领导小组办公室",
         'issuer: "渭南高新区\\e[31m考核办\\u202e\\a"')
    edit(example / "records/2021-Q2.yaml", "reason: 调研搞层层陪同、超人数陪同",
         'reason: "调研搞\\x07层层陪同\\uffff超人数陪同"')
    out = tmp_path / "b.docx"
    r = cli("bulletin", example, "-q", "Q2", "-f", "docx", "-o", out)
    assert (r.exit_code, r.stderr) == (0, f"已写入 {out}\n")
    body = _docx_text(out)
    assert ">渭南高新区\\x1b[31m考核办\\u202e\\x07</w:t>" in body
    assert ">调研搞\\x07层层陪同\\uffff超人数陪同</w:t>" in body
    assert "\u202e" not in body
    assert "<dc:creator>渭南高新区\\x1b[31m考核办\\u202e\\x07</dc:creator>" in _docx_text(
        out, "docProps/core.xml")


def test_html_bulletin_chart_labels_are_escaped(cli: Callable[..., Run],
                                                example: Path) -> None:
    """The charts are Markup built in report/charts.py, so the template's finalizer
    (which escapes every other ledger value) never saw their labels: a category or
    unit name with ESC, U+202E and a line break reached the HTML on stdout raw, and
    the text after the break began a line with `::error::x` — a workflow command in
    a CI log.  Labels are escaped as the rest of the page is."""
    edit(example / "luoshi.yaml", "name: 招商引资, ", 'name: "招商\\e[2J\\n::error::x", ')
    edit(example / "units.yaml", "name: 经济发展局, ", 'name: "经发\\u202e局\\n::warning::y", ')
    r = cli("bulletin", example, "-q", "Q2", "-f", "html")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert '<text x="172" y="68" text-anchor="end">招商\\x1b[2J\\n\\x3a:erro…</text>' in lines
    assert '<text x="172" y="116" text-anchor="end">经发\\u202e局\\n\\x3a:war…</text>' in lines
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    assert not [ln for ln in lines if ln.lstrip().startswith("::")]


def test_editor_schema_names_are_inert(cli: Callable[..., Run], example: Path) -> None:
    """`luoshi schema` lists the ledger's unit names as the enum descriptions VS Code
    shows when completing `lead:`: a U+202E there reversed the text in the
    completion list, and `schema -k tasks` printed it (and an ESC) raw to stdout."""
    import json

    edit(example / "units.yaml", "name: 经济发展局, ", 'name: "经发\\u202e局\\e[2J", ')
    r = cli("schema", "--ledger", example, "-k", "tasks")
    assert r.exit_code == 0, r.stderr
    assert "\u202e" not in r.stdout and "\x1b" not in r.stdout
    lead = json.loads(r.stdout)["definitions"]["task"]["properties"]["lead"]
    at = lead["enum"].index("jingfaju")
    assert lead["enumDescriptions"][at] == "经发\\u202e局\\x1b[2J"
    assert lead["markdownEnumDescriptions"][at] == "**经发\\\\u202e局\\\\x1b\\[2J**"
