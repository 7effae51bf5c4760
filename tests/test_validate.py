"""`luoshi validate` as a user meets it: exit codes, output formats, the example
ledgers, and the finding codes not covered by the case folders."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BEILIN, EXAMPLE, Run
from luoshi_cli.core.codes import CODES, markdown_table

TASK = """- id: T-001
  title: 推进重点项目开工建设
  category: econ
  lead: fgw
  leaders: [li]
  start: 2024-01-01
  standard: 全年开复工项目不少于350个
  milestones:
    - {due: 2024-12-31, standard: 开复工350个}
  status: in_progress
  progress: 45
  updates:
    - {month: "2024-04", progress: 45}
"""
BASE = {
    "luoshi.yaml": "title: t\nyear: 2024\ncategories:\n  - {id: econ, name: 经济}\n",
    "units.yaml": "units:\n  - {id: fgw, name: 区发改委}\nleaders:\n  - {id: li, name: 李某某}\n",
    "tasks/a.yaml": TASK,
}


def test_example_ledgers_are_clean(cli: Callable[..., Run]) -> None:
    # the 渭南 example is the ledger as it stood at the end of Q2 (its records run
    # to the year's end); 碑林 is checked as of a day inside its year
    for root, as_of in ((EXAMPLE, "2021-06-30"), (BEILIN, "2024-06-03")):
        run = cli("validate", root, "--as-of", as_of)
        assert (run.exit_code, run.stdout) == (0, ""), run.stdout
        assert run.stderr == "0 个错误，0 个警告\n"


def test_missing_root_is_one_line_and_exit_2(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("validate", tmp_path / "nowhere")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("luoshi: ")
    run = cli("validate", tmp_path)  # exists, but has no luoshi.yaml
    assert run.exit_code == 2 and "luoshi init" in run.stderr


def test_bad_as_of_is_exit_2(cli: Callable[..., Run]) -> None:
    """A day the month does not have is said so: it is written as YYYY-MM-DD."""
    run = cli("validate", EXAMPLE, "--as-of", "2024-02-30")
    assert run.exit_code == 2
    assert run.stderr == "luoshi: --as-of 的值 2024-02-30 不是真实存在的日期（2024年2月只有29天）\n"
    run = cli("validate", EXAMPLE, "--as-of", "2024-2-3", "--lang", "en")
    assert run.exit_code == 2
    assert run.stderr == "luoshi: --as-of 2024-2-3 is not a YYYY-MM-DD date\n"


@pytest.mark.parametrize(("args", "zh", "en"), [
    (("status", "--as-of", "2024-13-01"),
     "--as-of 的值 2024-13-01 不是真实存在的日期（月份应为 01–12）",
     "--as-of 2024-13-01 is not a real date: a month is 01–12"),
    (("validate", "--as-of", "2024-00-10"),
     "--as-of 的值 2024-00-10 不是真实存在的日期（月份应为 01–12）",
     "--as-of 2024-00-10 is not a real date: a month is 01–12"),
    (("bulletin", "--month", "2021-05", "--date", "2021-06-31"),
     "--date 的值 2021-06-31 不是真实存在的日期（2021年6月只有30天）",
     "--date 2021-06-31 is not a real date: 2021-06 has 30 days"),
    (("status", "--as-of", "0000-01-01"),
     "--as-of 的值 0000-01-01 不是真实存在的日期（没有 0000 年）",
     "--as-of 0000-01-01 is not a real date: there is no year 0000"),
    (("bulletin", "--month", "2024-13"),
     "--month 2024-13 无效：月份应为 01–12", "--month 2024-13 is not valid: a month is 01–12"),
])
def test_a_date_option_says_what_is_wrong_with_it(cli: Callable[..., Run], args: tuple[str, ...],
                                                  zh: str, en: str) -> None:
    """Month 13 or 00 was told "the month has no such day" (该月没有这一天 / there is no
    such day): the month is what does not exist.  Each reason is the one that applies."""
    run = cli(args[0], EXAMPLE, *args[1:])
    assert (run.exit_code, run.stderr) == (2, f"luoshi: {zh}\n")
    run = cli(args[0], EXAMPLE, *args[1:], "--lang", "en")
    assert (run.exit_code, run.stderr) == (2, f"luoshi: {en}\n")


@pytest.mark.parametrize("day", ["2021-W26-3", "20240531", "2024-5-31", "2024/05/31",
                                 "٢٠٢٤-٠٥-٣١", "2024-05-31T00:00"])
def test_as_of_is_yyyy_mm_dd_and_nothing_else(cli: Callable[..., Run], day: str) -> None:
    """`date.fromisoformat` also read the ISO week date 2021-W26-3 and 20240531, which
    the help and the docs do not promise (YYYY-MM-DD)."""
    run = cli("validate", EXAMPLE, "--as-of", day, "--lang", "en")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"luoshi: --as-of {day} is not a YYYY-MM-DD date\n"


@pytest.mark.parametrize("day", ["２０２１－０６－３０", "２０２１-06-30", "　2021-06-30　"])
def test_full_width_digits_are_the_date(cli: Callable[..., Run], day: str) -> None:
    """A clerk typing on a Chinese input method in full-width mode writes
    ２０２１－０６－３０: that is the date (NFKC), not "there is no such day" (`\\d`
    matched the full-width digits, `fromisoformat` did not).  So for --date."""
    want = cli("status", EXAMPLE, "--as-of", "2021-06-30", "-f", "json")
    assert want.exit_code == 0
    run = cli("status", EXAMPLE, "--as-of", day, "-f", "json")
    assert (run.exit_code, run.stdout) == (0, want.stdout)
    run = cli("validate", EXAMPLE, "--as-of", "２０２１－０２－３０")
    assert (run.exit_code, run.stderr) == (
        2, "luoshi: --as-of 的值 ２０２１－０２－３０ 不是真实存在的日期（2021年2月只有28天）\n")
    run = cli("bulletin", EXAMPLE, "--month", "２０２１－０５", "--date", "２０２１－０６－０２")
    assert run.exit_code == 0, run.stderr
    assert "2021年6月2日" in run.stdout
    run = cli("bulletin", EXAMPLE, "--month", "2021-05", "--date", "2021-W22-3")
    assert (run.exit_code, run.stderr) == (2, "luoshi: --date 的值 2021-W22-3 不是 YYYY-MM-DD 日期\n")


def test_root_found_from_a_subdirectory(write: Callable[..., Path],
                                        monkeypatch: pytest.MonkeyPatch,
                                        cli: Callable[..., Run]) -> None:
    root = write(BASE)
    monkeypatch.chdir(root / "tasks")
    assert cli("validate", "--as-of", "2024-05-31").exit_code == 0


def test_json_format(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    root = write({**BASE, "tasks/a.yaml": TASK.replace("progress: 45", "progress: 145", 1)})
    run = cli("validate", root, "--format", "json", "--as-of", "2024-05-31", "--lang", "en")
    assert run.exit_code == 1
    assert json.loads(run.stdout) == [{
        "file": "tasks/a.yaml", "line": 11, "column": 13, "severity": "error", "code": "LS205",
        "message": "task T-001: progress 145 is outside 0–100: give a percentage"}]
    assert run.stderr == ""  # json output: stdout holds only the document


def test_json_format_empty_list(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    run = cli("validate", write(BASE), "--format", "json", "--as-of", "2024-05-31")
    assert (run.exit_code, json.loads(run.stdout)) == (0, [])


def test_github_format_escapes(write: Callable[..., Path], cli: Callable[..., Run],
                               tmp_path: Path) -> None:
    """GitHub's log shows a workflow command's message alone (not `file=`, `line=`,
    `title=`), and annotates only 10 errors and 10 warnings a step: the message starts
    with `path:line:col: CODE `, as ruff's github format — the path the `file=` one,
    unescaped but for `%` (`%25`: the message's own escaping), where `file=` also
    escapes `,` and `:`.  The count line goes to stderr, as `-f text` writes it."""
    root = write({**BASE, "tasks/a.yaml": TASK.replace("lead: fgw", "lead: fgw2")})
    summary = tmp_path / "summary.md"
    run = cli("validate", root, "--format", "github", "--as-of", "2024-05-31", "--lang", "en",
              env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert run.exit_code == 1
    assert run.stdout == (
        "::error file=tasks/a.yaml,line=4,col=9,title=LS110::tasks/a.yaml:4:9: LS110 task "
        "T-001 names unknown unit fgw2 (did you mean fgw?): add it to units.yaml or correct "
        "the spelling\n")
    assert run.stderr == "1 error, 0 warnings\n"
    odd = write({**{k: v for k, v in BASE.items() if k != "tasks/a.yaml"},
                 "tasks/a 1%,b:c.yaml": TASK.replace("lead: fgw", "lead: fgw2")},
                tmp_path / "odd")
    run = cli("validate", odd, "--format", "github", "--as-of", "2024-05-31")
    assert run.stdout == (
        "::error file=tasks/a 1%25%2Cb%3Ac.yaml,line=4,col=9,title=LS110::tasks/a 1%25,b:c.yaml"
        ":4:9: LS110 任务 T-001 引用了不存在的单位 fgw2（是不是 fgw？）：请在 units.yaml 中添加该单位，"
        "或改正拼写\n")
    assert run.stderr == "1 个错误，0 个警告\n"
    assert summary.read_text(encoding="utf-8").startswith(
        # not in git: the path from the current directory, here the ledger itself ("."):
        # named by its title alone (it read "Ledger check: . (t)")
        "\n### Ledger check: t\n\n"
        "| file | line | severity | code | message |\n|---|---|---|---|---|\n"
        "| tasks/a.yaml | 4 | error | LS110 |")


def test_strict_fails_on_warnings(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    root = write({**BASE, "tasks/a.yaml": TASK.replace("standard: 全年", "note: no\n  standard: 全年")})
    assert cli("validate", root, "--as-of", "2024-05-31").exit_code == 0
    run = cli("validate", root, "--as-of", "2024-05-31", "--strict")
    assert run.exit_code == 1
    assert "LS017" in run.stdout


def test_findings_sorted_by_file_then_line(write: Callable[..., Path],
                                           cli: Callable[..., Run]) -> None:
    bad = TASK.replace("lead: fgw", "lead: x1").replace("leaders: [li]", "leaders: [x2]")
    root = write({**BASE, "tasks/b.yaml": bad.replace("T-001", "T-002"),
                  "tasks/a.yaml": bad})
    run = cli("validate", root, "--as-of", "2024-05-31")
    locs = [line.split(": ")[0] for line in run.stdout.splitlines()]
    assert locs == ["tasks/a.yaml:4:9", "tasks/a.yaml:5:13", "tasks/b.yaml:4:9",
                    "tasks/b.yaml:5:13"]


def test_many_findings_all_reported(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    tasks = "".join(TASK.replace("T-001", f"T-{i:03d}").replace("lead: fgw", f"lead: u{i}")
                    for i in range(300))
    run = cli("validate", write({**BASE, "tasks/a.yaml": tasks}), "--as-of", "2024-05-31")
    assert run.stdout.count(" LS110 ") == 300


@pytest.mark.parametrize(("files", "code", "where"), [
    # a required key missing: reported at the task's first line
    ({"tasks/a.yaml": TASK.replace("  standard: 全年开复工项目不少于350个\n", "")},
     "LS102", "tasks/a.yaml:1:3"),
    # an id of the wrong form (units: lowercase)
    ({"units.yaml": BASE["units.yaml"].replace("id: fgw", "id: FGW").replace(
        "{id: li", "{id: li")}, "LS104", "units.yaml:2:10"),
    # a number out of range for its field
    ({"luoshi.yaml": BASE["luoshi.yaml"] + "warn_days: -3\n"}, "LS109", "luoshi.yaml:5:12"),
])
def test_schema_codes(write: Callable[..., Path], cli: Callable[..., Run],
                      files: dict[str, str], code: str, where: str) -> None:
    run = cli("validate", write({**BASE, **files}), "--as-of", "2024-05-31")
    assert f"{where}: error {code} " in run.stdout, run.stdout


SCHEME = """id: s
title: t
components:
  - id: a
    name: A
    weight: 100
    items:
      - {id: i1, name: x, points: 40}
      - {id: i2, name: y, points: 50}
  - id: d
    name: D
    weight: 0
    source: tasks
    timeliness: 30
    quality: 60
    items:
      - {id: j, name: z, points: 100}
grades:
  - {name: 好, min: 60}
  - {name: 差, min: 0}
"""


def test_scheme_codes(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    run = cli("validate", write({**BASE, "scheme.yaml": SCHEME}), "--as-of", "2024-05-31",
              "--lang", "en")
    assert run.stdout.splitlines() == [
        "scheme.yaml:7:5: error LS303 the checklist of a adds up to 90 points, not 100: "
        "check the points",
        "scheme.yaml:13:13: error LS308 component d: items and source: tasks exclude each "
        "other: keep one way of scoring",
        "scheme.yaml:14:17: error LS307 component d: timeliness 30 and quality 60 must sum "
        "to 100",
    ]


def test_readme_lists_every_code() -> None:
    """The code table lives in the English reference (docs/REFERENCE.md), not the short README."""
    reference = (Path(__file__).parent.parent / "docs" / "REFERENCE.md").read_text(
        encoding="utf-8")
    assert markdown_table() in reference, "regenerate with: python docs/build_readme.py"
    assert len(CODES) >= 60


def test_every_command_has_help(cli: Callable[..., Run]) -> None:
    from luoshi_cli.cli.app import app

    names = [c.name for c in app.registered_commands] + [
        g.name for g in app.registered_groups]
    assert {"validate", "init"} <= set(names)
    for name in names:
        run = cli(name, "--help")
        assert run.exit_code == 0 and "Usage:" in run.stdout, name
        assert len(run.stdout.splitlines()) > 3


def test_version_answers_without_importing_the_cli() -> None:
    """`luoshi --version` runs on every CI job: it must not pay for typer/rich/yaml."""
    code = ("import sys; sys.argv = ['luoshi', '--version']\n"
            "from luoshi_cli.__main__ import main; main()\n"
            "print(sorted(m for m in ('typer', 'rich', 'yaml', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    version_line, imported = out.stdout.splitlines()
    assert version_line.startswith("luoshi 0.")
    assert imported == "[]"


@pytest.mark.parametrize("argv", [["--lang", "en", "--version"], ["--color", "never", "-V"],
                                  ["--lang=zh", "--color=always", "--version"],
                                  ["--version", "--lang", "en"]])
def test_version_after_global_options_answers_without_the_cli(
        cli: Callable[..., Run], argv: list[str]) -> None:
    """`luoshi --lang en --version` (an alias with global options) took the long way:
    190 ms instead of 35.  It answers as the long way does (--version is eager: the
    options' values are never read), without importing typer."""
    code = (f"import sys; sys.argv = ['luoshi', *{argv!r}]\n"
            "from luoshi_cli.__main__ import main; main()\n"
            "print(sorted(m for m in ('typer', 'rich', 'yaml', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.splitlines() == [cli(*argv).stdout.strip(), "[]"]
    assert out.stdout.startswith("luoshi 0.")


def test_init_writes_the_example_and_refuses_non_empty(tmp_path: Path,
                                                       cli: Callable[..., Run]) -> None:
    target = tmp_path / "new"
    run = cli("init", target)
    assert run.exit_code == 0
    assert (target / "luoshi.yaml").is_file() and (target / "scheme.yaml").is_file()
    assert len(list((target / "records").glob("*.yaml"))) == 5
    assert cli("validate", target, "--as-of", "2021-12-31").exit_code == 0
    again = cli("init", target)
    assert again.exit_code == 2 and again.stderr.count("\n") == 1
    assert (target / "luoshi.yaml").read_bytes() == (EXAMPLE / "luoshi.yaml").read_bytes() or \
        (target / "luoshi.yaml").read_text(encoding="utf-8").endswith(
            (EXAMPLE / "luoshi.yaml").read_text(encoding="utf-8"))


def test_init_offers_the_scheme_v2_example(tmp_path: Path, cli: Callable[..., Run]) -> None:
    """`init --example beilin` writes the 碑林-style scheme v2 ledger (ranking groups,
    monthly components, bonuses, 不适用): it validates without errors and scores its groups; an
    unknown example is one line, exit 2."""
    target = tmp_path / "v2"
    run = cli("init", target, "--example", "beilin")
    assert run.exit_code == 0, run.stderr
    assert "ranking_groups:" in (target / "scheme.yaml").read_text(encoding="utf-8")
    v = cli("validate", target, "--as-of", "2024-04-05")  # the example's first quarter
    assert v.exit_code == 0 and " error " not in v.stdout, v.stdout
    s = cli("score", target, "--quarter", "Q1", "--format", "json")
    assert s.exit_code == 0, s.stderr
    groups = {u["group"] for u in json.loads(s.stdout)["units"]}
    assert len(groups) == 2
    bad = cli("init", tmp_path / "x", "--example", "nowhere", "--lang", "en")
    assert (bad.exit_code, bad.stderr) == (
        2, "luoshi: --example nowhere is not valid: write weinan or beilin\n")


def test_messages_in_both_languages_for_every_code() -> None:
    for code in CODES.values():
        assert code.zh and code.en and code.zh != code.en, code.code


def test_english_messages_of_codes_hold_no_chinese() -> None:
    """A finding's English message is English: LS713 said "应约谈 counts this talk for
    no ranking" where `status --lang en` names that list "To interview".  Chinese
    reaches an English message only through its fields (a ledger's names and values)."""
    import re

    han = re.compile(r"[\u3400-\u9fff]")
    assert [c.code for c in CODES.values() if han.search(c.en)] == []


def test_github_paths_are_relative_to_the_checkout(write: Callable[..., Path],
                                                   cli: Callable[..., Run], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """In CI the ledger sits in a subdirectory; annotations need the repo-relative path."""
    write({**BASE, "tasks/a.yaml": TASK.replace("lead: fgw", "lead: fgw2")})
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "ledger", "--format", "github", "--as-of", "2024-05-31")
    assert run.stdout.startswith("::error file=ledger/tasks/a.yaml,line=4,col=9,title=LS110::")
    text = cli("validate", "ledger", "--as-of", "2024-05-31")
    # text: relative to the current directory, so the path opens from where one stands
    assert text.stdout.startswith("ledger/tasks/a.yaml:4:9: error LS110 ")


def test_written_files_get_normal_permissions(tmp_path: Path) -> None:
    """Atomic writes go through mkstemp (0600); the result must obey the umask, and an
    existing file keeps its mode."""
    import os
    import stat

    from luoshi_cli.cli.ui import write_atomic

    old = os.umask(0o022)
    try:
        new = tmp_path / "new.html"
        write_atomic(new, "x")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "kept.yaml"
        kept.write_text("a", encoding="utf-8")
        kept.chmod(0o664)
        write_atomic(kept, "b")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o664
        assert kept.read_text(encoding="utf-8") == "b"
    finally:
        os.umask(old)


def test_unit_scored_in_no_record_is_named(example: Path, cli: Callable[..., Run]) -> None:
    """SPEC §3: a missing unit is a warning naming it.  A unit no record mentions is not
    ranked (it may be the office that does the scoring), so it must say so — unless
    units.yaml marks it `assessed: false`, as the example does for 考核办."""
    units = example / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace(", assessed: false}", "}"), encoding="utf-8")
    run = cli("validate", example, "--as-of", "2021-06-30", "--lang", "en")
    assert run.exit_code == 0
    assert run.stdout == ("units.yaml:18:10: warning LS412 unit kaoheban (目标任务考核领导小组办公室) "
                          "is scored in no record and is left out of the ranking: score it, "
                          "or mark it assessed: false in units.yaml\n")
    assert "kaoheban" not in cli("score", example, "-q", "Q2", "-f", "csv").stdout


def test_unit_marked_assessed_counts_missing_scores(example: Path,
                                                    cli: Callable[..., Run]) -> None:
    units = example / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace(", assessed: false}", ", assessed: true}"), encoding="utf-8")
    run = cli("score", example, "-q", "Q2", "-f", "json")
    doc = json.loads(run.stdout)
    row = next(u for u in doc["units"] if u["unit"] == "kaoheban")
    assert row["score"] == 0 and row["rank"] == 14 and row["interview"] is True
    assert "hotline" in row["missing"]


def test_broken_task_still_reports_its_other_problems(write: Callable[..., Path],
                                                      cli: Callable[..., Run]) -> None:
    """A bad date or a missing key must not hide the task's unknown references, its
    out-of-range progress, or that its id is already taken (all in one run)."""
    a = ("- {id: T-1, title: t, category: c9, lead: zz, leaders: [li], start: 2024-01-01,\n"
         "   standard: s, milestones: [{due: 2024-02-30, standard: m}], status: in_progress,\n"
         "   progress: 150}\n")
    b = ("- {id: T-1, title: t, category: econ, lead: fgw, leaders: [li], start: 2024-01-01,\n"
         "   standard: s, milestones: [{due: 2024-02-28, standard: m}], status: in_progress,\n"
         "   progres: 10}\n")
    root = write({**BASE, "tasks/a.yaml": a, "tasks/b.yaml": b})
    run = cli("validate", root, "--as-of", "2024-01-05", "--lang", "en")
    assert [line.split(" ")[0] + " " + line.split(" ")[2] for line in run.stdout.splitlines()] == [
        "tasks/a.yaml:1:33: LS112", "tasks/a.yaml:1:43: LS110", "tasks/a.yaml:2:36: LS204",
        "tasks/a.yaml:3:14: LS205", "tasks/b.yaml:1:3: LS102", "tasks/b.yaml:1:8: LS108",
        "tasks/b.yaml:3:4: LS101"]
    assert "first at tasks/a.yaml:1" in run.stdout


def test_merge_keys_are_applied(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    """`<<: *base` (YAML 1.1 merge keys) shares fields between tasks; own keys win."""
    tasks = TASK.replace("- id: T-001", "- &base\n  id: T-001") + (
        "- <<: *base\n  id: T-002\n  title: 第二个任务\n")
    root = write({**BASE, "tasks/a.yaml": tasks})
    assert cli("validate", root, "--as-of", "2024-05-31").exit_code == 0
    run = cli("status", root, "--as-of", "2024-05-31", "--format", "json")
    doc = json.loads(run.stdout)
    assert [(t["id"], t["title"]) for t in doc["tasks"]] == [
        ("T-001", "推进重点项目开工建设"), ("T-002", "第二个任务")]



@pytest.mark.parametrize("field", ["milestones", "updates", "leaders", "units", "flags",
                                   "adjustments", "closed"])
@pytest.mark.parametrize("value", ["1", "x", "2024-01-01"])
def test_a_structured_field_of_the_wrong_type_is_a_finding(write: Callable[..., Path],
                                                           cli: Callable[..., Run],
                                                           field: str, value: str) -> None:
    """`milestones: 1` once crashed the parser (found by hypothesis in CI): a scalar
    where a list or mapping belongs is LS103 at the value, and nothing escapes."""
    block = {"milestones": "    - {due", "updates": "    - {month"}.get(field, "\0")
    kept = [ln for ln in TASK.splitlines()
            if not ln.startswith((f"  {field}:", block))]
    root = write({**BASE, "tasks/a.yaml": "\n".join([*kept, f"  {field}: {value}", ""])})
    run = cli("validate", root, "--as-of", "2024-05-31", "--lang", "en", "--format", "json")
    assert run.exit_code == 1, run.stdout
    errors = [(f["code"], f["line"], f["column"]) for f in json.loads(run.stdout)
              if f["severity"] == "error"]
    assert errors == [("LS103", len(kept) + 1, len(field) + 5)]
