"""A hostile ledger's text stays inert on a terminal, in a CI log and in a spreadsheet.

The ledger below puts, in a unit name, a leader name, a task title, a milestone, a
note, a component name and a deduction reason: an ESC colour sequence, a bidi
override (U+202E), a line break followed by a GitHub workflow command, and rich
markup; and formula-like text (=HYPERLINK, @SUM, -1+2) in other places.  Every
output is compared exactly: what the reader sees is the escaped text.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import EXAMPLE, commit, edit, git
from luoshi_cli.core.safetext import (
    csv_text,
    formula_guard,
    printable,
    shell_path,
    shell_word,
    terminal,
    unquote,
    xlsx_text,
)

AS_OF = ("--as-of", "2024-05-31")
#: in YAML double quotes: ESC [31m, RIGHT-TO-LEFT OVERRIDE, a line break, a workflow
#: command, rich markup
H = r"\e[31m\u202e\n::error file=x::forged [bold red]x[/]"
#: what every output shows for it
SHOWN = r"\x1b[31m\u202e\n\x3a:error file=x\x3a:forged [bold red]x[/]"

FILES = {
    "luoshi.yaml": """title: 测试台账
year: 2024
language: zh
categories:
  - {id: cat, name: 类别}
""",
    "units.yaml": f"""units:
  - {{id: u-a, name: "甲局{H}"}}
  - {{id: u-b, name: "@SUM(1)"}}
leaders:
  - {{id: l-a, name: "张三{H}"}}
""",
    "tasks/a.yaml": f"""- id: T-1
  title: "修路{H}"
  category: cat
  lead: u-a
  leaders: [l-a]
  start: 2024-01-01
  standard: 全年完成
  milestones:
    - {{due: 2024-03-31, standard: "节点{H}"}}
    - {{due: 2024-12-31, standard: 全年节点}}
  status: in_progress
  progress: 45
  updates:
    - {{month: "2024-05", progress: 45, note: "进展{H}"}}
- id: T-2
  title: '=HYPERLINK("http://x","点我")'
  category: cat
  lead: u-b
  leaders: [l-a]
  start: 2024-01-01
  standard: "-1+2"
  milestones:
    - {{due: 2024-12-31, standard: "+全年"}}
  status: in_progress
  progress: 45
  updates:
    - {{month: "2024-05", progress: 45, note: "@SUM(1)\\a\\e[0m"}}
""",
    "scheme.yaml": f"""id: s
title: 考核办法
cadence: quarterly
rounding: {{places: 2}}
components:
  - {{id: main, name: "主要工作{H}", weight: 100}}
deductions:
  media_multiplier: 2
  floor: -10
  categories:
    - {{id: slack, name: "混日子\\u202e", min: 1, max: 4}}
grades:
  - {{name: 优秀, min: 90}}
  - {{name: "-较差", min: 0}}
""",
    "records/2024-Q1.yaml": f"""period: 2024-Q1
scores:
  u-a: {{main: 95}}
  u-b: {{main: 1}}
deductions:
  - {{unit: u-b, category: slack, date: 2024-02-20, points: 3, media: false,
     reason: "缺席{H}"}}
""",
}

BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(write: Callable[..., Path]) -> Path:
    return write(FILES)


def assert_inert(text: str) -> None:
    """Nothing a terminal or a CI runner would act on."""
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]", text), text
    assert not BIDI.search(text), text
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line and "##vso[" not in line, line


# ---- the helpers -----------------------------------------------------------------------


def test_terminal_escapes_controls_bidi_and_workflow_commands() -> None:
    assert terminal("甲\x1b[31m\u202e\n::error file=x::y") == \
        r"甲\x1b[31m\u202e\n\x3a:error file=x\x3a:y"
    assert terminal("\x07\x85\u2028\u2066\u2069\u200e\u200f\u061c") == \
        r"\x07\x85\u2028\u2066\u2069\u200e\u200f\u061c"
    assert terminal("##[error]x ##vso[task.setvariable]y ##VSO[z] #[ok] # ok") == \
        r"\x23#[error]x \x23#vso[task.setvariable]y \x23#VSO[z] #[ok] # ok"
    assert terminal(":::add-mask:::") == r"\x3a\x3a:add-mask\x3a\x3a:"
    assert terminal("[bold red]x[/] 12:30 http://x 普通文本") == \
        "[bold red]x[/] 12:30 http://x 普通文本"
    # findings keep `::` (their text never starts a line) but lose controls and bidi
    assert printable("a::b\u202e\n") == r"a::b\u202e\n"


@given(st.text(alphabet=st.sampled_from(
    ":#[vsoVSO\n\r\x1b\x85\u2028\u202e\u2066\u200e\u061c\u3000 a甲"), max_size=12))
def test_terminal_output_is_always_inert(text: str) -> None:
    shown = terminal(text)
    assert_inert(shown)
    assert "::" not in shown
    # U+3000 (ideographic space) is the one character here Python calls unprintable
    assert printable(text).replace("\u3000", "").isprintable()


@pytest.mark.parametrize(("text", "word"), [
    ("台账", "台账"), ("ledgers/beilin-2024", "ledgers/beilin-2024"), ("my ledger", "'my ledger'"),
    ("it's", "'it'\"'\"'s'"), ("", "''"), ("a\nb", "$'a\\nb'"), ("a::b", "$'a\\x3a:b'"),
    ("x\u202ey", "$'x\\u202ey'"), ("a\x85", "$'a\\u0085'"), ("a\\b\x1b", "$'a\\\\b\\x1b'"),
    ("t/\udcff.yaml", "$'t/\\xff.yaml'")])
def test_shell_word(text: str, word: str) -> None:
    """A path in a suggested command as one shell word: as it is, in single quotes, or
    — a line break, a bidi override, a workflow command in it — in ANSI-C quotes that
    are inert on a terminal."""
    assert shell_word(text) == word
    assert_inert(word)


@given(st.text(alphabet=st.sampled_from(
    ":#[vso\n\r\x1b\x85\u2028\u202e\u3000 a甲'\\$\"*-~"), max_size=10))
def test_shell_word_runs_as_the_text_and_is_inert(text: str) -> None:
    import subprocess

    word = shell_path(text)
    assert_inert(word)
    assert "::" not in word and "\n" not in word
    if shutil.which("bash"):
        back = subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True,
                              check=True).stdout.decode()
        assert back == (f"./{text}" if text.startswith("-") else text)


@pytest.mark.parametrize(("text", "guarded"), [
    ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
    ("@SUM(1)", "'@SUM(1)"), ("+1", "'+1"), ("-1+2", "'-1+2"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("'=x", "''=x"), ("''", "'''"), ("'abc", "'abc"), ("'", "'"),
    ("abc=1", "abc=1"), ("", ""),
])
def test_formula_guard(text: str, guarded: str) -> None:
    assert formula_guard(text) == guarded
    assert unquote(guarded) == text


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab"), max_size=6))
def test_unquote_inverts_formula_guard(text: str) -> None:
    assert unquote(formula_guard(text)) == text
    assert formula_guard(text)[:1] not in set("=+-@\t\r")


def test_csv_and_xlsx_text() -> None:
    assert csv_text("=1+1\n::error::x") == r"'=1+1\n\x3a:error\x3a:x"
    assert csv_text("\tx") == r"\tx"  # escaped first: no longer a formula
    # openpyxl refuses these: escaped; line breaks and tabs are kept
    assert xlsx_text("a\x07b\x1b[0m\nc\td") == "a\\x07b\\x1b[0m\nc\td"
    assert xlsx_text("-x\u202e") == "'-x\u202e"


# ---- status ------------------------------------------------------------------------------


STATUS_TABLE = r"""测试台账 — 截至 2024-05-31

总体情况
任务总数     2
按状态       未启动 0，推进中 2，已完成 0，待销号 0，已销号 0，暂缓 0
亮灯         红灯 1，黄灯 0，绿灯 1
完成率       0.00% (0/2)
按时完成率   0.00% (0/1 个节点)

按牵头单位
名称                                                              任务   未启动   推进中   已完成   已销号   暂缓   红灯   黄灯   绿灯   完成率%   按时率%
──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
甲局\x1b[31m\u202e\n\x3a:error file=x\x3a:forged [bold red]x[/]      1        0        1        0        0      0      1      0      0      0.00      0.00
@SUM(1)                                                              1        0        1        0        0      0      0      0      1      0.00         —

红灯任务（序时节点逾期未完成）
任务                                 牵头单位                                                          逾期节点                           逾期天数
──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
T-1 修路\x1b[31m\u202e\n\x3a:error   甲局\x1b[31m\u202e\n\x3a:error file=x\x3a:forged [bold red]x[/]   2024-03-31                               61
file=x\x3a:forged [bold red]x[/]                                                                       节点\x1b[31m\u202e\n\x3a:error
                                                                                                       file=x\x3a:forged [bold red]x[/]

黄灯任务（预警）：无

未按月报送进展（每月5日前报上月）：无
"""


def test_status_table(cli: Any, hostile: Path) -> None:
    r = cli("status", hostile, *AS_OF, "--by", "lead")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == STATUS_TABLE
    assert_inert(r.stdout)


def test_status_table_green_and_leader_lists(cli: Any, hostile: Path) -> None:
    """The plain layout (no rich) gets escaped cells too."""
    r = cli("status", hostile, *AS_OF, "--by", "leader", "--light", "green")
    assert r.exit_code == 0, r.stderr
    assert_inert(r.stdout)
    assert r.stdout.endswith(r"""
绿灯任务
任务                                牵头单位   包抓领导                                                          序时进度%   实际进度%
──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
T-2 =HYPERLINK("http://x","点我")   @SUM(1)    张三\x1b[31m\u202e\n\x3a:error file=x\x3a:forged [bold red]x[/]       41.37          45

未按月报送进展（每月5日前报上月）：无
""")


def test_status_csv(cli: Any, hostile: Path) -> None:
    r = cli("status", hostile, *AS_OF, "--format", "csv")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "\ufeffid,title,category,lead,lead_name,leaders,leader_names,status,light,expected,"
        "progress,overdue,yellow_reasons,stale\n"
        f"T-1,修路{SHOWN},cat,u-a,甲局{SHOWN},l-a,张三{SHOWN},in_progress,red,41.37,45,"
        "2024-03-31:61,,\n"
        'T-2,"\'=HYPERLINK(""http://x"",""点我"")",cat,u-b,\'@SUM(1),l-a,'
        f"张三{SHOWN},in_progress,green,41.37,45,,,\n")
    assert_inert(r.stdout)


def test_status_csv_by_unit(cli: Any, hostile: Path) -> None:
    r = cli("status", hostile, *AS_OF, "--format", "csv", "--by", "lead")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].startswith(f"u-a,甲局{SHOWN},1,")
    assert lines[2].startswith("u-b,'@SUM(1),1,")


# ---- score -------------------------------------------------------------------------------

SCORE_TABLE = r"""考核办法 — 2024年第一季度

排名   单位                                                              编号    得分   等次    扣分   适用规则   约谈
──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
   1   甲局\x1b[31m\u202e\n\x3a:error file=x\x3a:forged [bold red]x[/]   u-a    95.00   优秀
   2   @SUM(1)                                                           u-b    -2.00   -较差   3.00
"""


def test_score_table(cli: Any, hostile: Path) -> None:
    r = cli("score", hostile, "-q", "1", *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == SCORE_TABLE


def test_score_csv_keeps_numbers(cli: Any, hostile: Path) -> None:
    """Ledger text is guarded; a score of -2.00 luoshi computed stays a number."""
    r = cli("score", hostile, "-q", "1", "--format", "csv", *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "\ufeffrank,unit,name,score,grade,base_grade,deductions,interview,rules_applied,"
        "missing,exact,main\n"
        f"1,u-a,甲局{SHOWN},95.00,优秀,优秀,0.00,,,,95,95.00\n"
        "2,u-b,'@SUM(1),-2.00,'-较差,'-较差,3.00,,,,-2,1.00\n")


EXPLAIN = r"""考核办法 — 2024年第一季度 — @SUM(1)（u-b）
得分 -2.00，等次 -较差，第 2 名（共 2 个单位）

一、得分构成（贡献 = 折算权重 × 得分 / 100，即计入上级的分数）
指标                                                                  权重   折算权重   得分   贡献   说明
──────────────────────────────────────────────────────────────────────────────────────────────────────────
主要工作\x1b[31m\u202e\n\x3a:error file=x\x3a:forged [bold red]x[/]    100     100.00   1.00   1.00
合计（扣分前）1

二、负面清单扣分
日期         类别           分值   媒体曝光倍数   扣分   原因
────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
2024-02-20   混日子\u202e      3              —      3   缺席\x1b[31m\u202e\n\x3a:error file=x\x3a:forged [bold red]x[/]
扣分合计 3（多次或多种情形累计扣分）

三、最终得分与等次
1 − 3 = -2
四舍五入保留 2 位小数：-2.00；按此确定等次：-较差
没有适用的等次规则
最终等次：-较差
"""


def test_score_explain(cli: Any, hostile: Path) -> None:
    r = cli("score", hostile, "-q", "1", "--explain", "u-b", *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == EXPLAIN
    r = cli("score", hostile, "-q", "1", "--explain", "u-a", *AS_OF)
    assert r.stdout.splitlines()[0] == f"考核办法 — 2024年第一季度 — 甲局{SHOWN}（u-a）"
    assert_inert(r.stdout)


# ---- diff --------------------------------------------------------------------------------

NEW_TASK = f"""- id: T-3
  title: "新任务{H}"
  category: cat
  lead: u-a
  leaders: [l-a]
  start: 2024-01-01
  standard: 全年完成
  milestones:
    - {{due: 2024-12-31, standard: 全年节点}}
  status: in_progress
  progress: 10
  updates:
    - {{month: "2024-05", progress: 10}}
"""


def test_diff_text(cli: Any, hostile: Path) -> None:
    git(hostile, "init", "-q", "-b", "main")
    commit(hostile, "v1")
    (hostile / "tasks/b.yaml").write_text(NEW_TASK, encoding="utf-8")
    edit(hostile / "tasks/a.yaml", "  progress: 45\n  updates:\n    - {month: \"2024-05\", "
         "progress: 45, note: \"进展", "  progress: 50\n  updates:\n    - {month: \"2024-05\", "
         "progress: 50, note: \"进展")
    edit(hostile / "records/2024-Q1.yaml", "u-a: {main: 95}", "u-a: {main: 85}")
    r = cli("diff", "HEAD", hostile, *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "台账变更 HEAD → 工作区（截至 2024-05-31）\n"
        "任务：新增 1 项，删除 0 项，销号 0 项，变化 1 项\n"
        f"  + T-3 新任务{SHOWN}（甲局{SHOWN}，推进中，黄灯）\n"
        f"  ~ T-1 修路{SHOWN}（甲局{SHOWN}）\n"
        "      进度 45% → 50%\n"
        "      2024-05 月度进展：进度 45% → 50%\n"
        "得分 2024-Q1：\n"
        f"  u-a 甲局{SHOWN}：95.00 优秀 第1名 → 85.00 -较差 第1名\n"
        f"      2024-Q1 主要工作{SHOWN} 得分 95 → 85\n"
        "  （其余 1 个单位不变）\n")
    assert_inert(r.stdout)


# ---- spreadsheets ------------------------------------------------------------------------


def test_export_xlsx(cli: Any, hostile: Path, tmp_path: Path) -> None:
    """Formula-like text is quoted and typed as a string, control characters openpyxl
    refuses are escaped (no IllegalCharacterError), numbers stay numbers."""
    import openpyxl

    book = tmp_path / "out.xlsx"
    r = cli("export", hostile, "-o", book, *AS_OF)
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    tasks, details = wb["任务台账"], wb["任务明细"]
    heads = [c.value for c in tasks[2]]
    # the printed sheet and the details sheet, one dict per task row
    t1, t2 = ({h: c.value for ws in (details, tasks) for h, c in
               zip([c.value for c in ws[2]], ws[r], strict=True)} for r in (3, 4))
    assert t2["任务名称"] == '\'=HYPERLINK("http://x","点我")'
    assert tasks.cell(4, heads.index("任务名称") + 1).data_type == "s"
    assert t2["完成标准"] == "'-1+2"
    assert t2["节点1标准"] == "'+全年"
    assert t2["牵头单位"] == "'@SUM(1)"
    assert t2["最新进展"] == "2024-05：@SUM(1)\\x07\\x1b[0m"
    assert t1["任务名称"] == "修路\\x1b[31m\u202e\n::error file=x::forged [bold red]x[/]"
    assert t1["最新进展"] == "2024-05：进展\\x1b[31m\u202e\n::error file=x::forged [bold red]x[/]"
    scores = wb["得分 2024-Q1"]
    assert [c.value for c in scores[4]][:6] == [2, "'@SUM(1)", "u-b", -2, "'-较差", 3]
    assert scores.cell(4, 4).data_type == "n"


def test_export_note_with_control_characters(cli: Any, tmp_path: Path) -> None:
    """A BEL or ESC in a note used to crash `luoshi export` with IllegalCharacterError."""
    import openpyxl

    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    edit(root / "tasks/city.yaml", "note: 完成整治21条}", 'note: "完成整治\\a21条\\e[0m"}')
    book = tmp_path / "out.xlsx"
    r = cli("export", root, "-o", book, "--as-of", "2021-06-30")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(book)["任务明细"]  # 最新进展 is a detail
    notes = [c.value for row in ws.iter_rows(min_row=3) for c in row
             if isinstance(c.value, str) and "\\x07" in c.value]
    assert notes == ["2021-06：完成整治\\x0721条\\x1b[0m"]


def test_bulletin_md_on_stdout(cli: Any, hostile: Path) -> None:
    """A value the template puts at the start of a line (the issuer) cannot be a
    workflow command; controls and bidi overrides are escaped, then Markdown."""
    with (hostile / "luoshi.yaml").open("a", encoding="utf-8") as fh:
        fh.write('issuer: "::error file=x::forged\\e[31m"\n')
    r = cli("bulletin", hostile, "--month", "2024-05", *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert_inert(r.stdout)
    lines = r.stdout.splitlines()
    assert r"\\x3a:error file=x\\x3a:forged\\x1b\[31m" in lines
    # an @ that GitHub would read as a mention gets a zero-width space after it
    assert ("| 2 | T-2 =HYPERLINK(\"http://x\",\"点我\") | @\u200bSUM(1) | "
            "张三\\\\x1b\\[31m\\\\u202e "
            "\\\\x3a:error file=x\\\\x3a:forged \\[bold red\\]x\\[/\\] | 45%/41.37% | 推进中 | "
            "绿灯 | @\u200bSUM(1)\\\\x07\\\\x1b\\[0m |") in lines


def test_bulletin_html_breaks_lines_and_stays_inert(cli: Any, hostile: Path) -> None:
    """A printed document shows a value's line break as one (`<br>`), not as the
    `\\n` a terminal needs; what follows the break is still no workflow command
    (it is on the same line of the page, and its `::` is escaped), the ESC and the
    bidi override are still escaped, the `=` is `&#61;`."""
    r = cli("bulletin", hostile, "--month", "2024-05", "-f", "html", *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert_inert(r.stdout)
    assert ("修路\\x1b[31m\\u202e<br>\\x3a:error file&#61;x\\x3a:forged [bold red]x[/]</td>"
            in r.stdout)
    assert "\\n\\x3a" not in r.stdout


def test_word_bulletin_breaks_lines(cli: Any, hostile: Path, tmp_path: Path) -> None:
    """In Word a line break of a title is a line break (python-docx reads it back as
    "\\n"), in a table's cell too, not the two characters `\\n`; the controls around
    it stay escaped."""
    import docx

    out = tmp_path / "b.docx"
    r = cli("bulletin", hostile, "--month", "2024-05", "-o", out, *AS_OF)
    assert r.exit_code == 0, r.stderr
    cells = [c.text for t in docx.Document(str(out)).tables for row in t.rows
             for c in row.cells]
    # (a document is no terminal: Word's text keeps the `::`, as it did)
    title = "T-1 修路\\x1b[31m\\u202e\n::error file=x::forged [bold red]x[/]"
    assert title in cells
    assert not any("\\n" in c for c in cells)


def test_bulletin_md_prints_a_tab_as_a_space(cli: Any, hostile: Path) -> None:
    """A tab in a title printed `\\t` in Markdown, HTML and Word; a space now."""
    path = hostile / "tasks" / "a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('title: "修路', 'title: "修\\t路'),
                    encoding="utf-8")
    r = cli("bulletin", hostile, "--month", "2024-05", *AS_OF)
    assert r.exit_code == 0, r.stderr
    assert "修 路" in r.stdout and "\\t" not in r.stdout
    html = cli("bulletin", hostile, "--month", "2024-05", "-f", "html", *AS_OF).stdout
    assert "修 路" in html and "\\t" not in html


def test_validate_text_escapes_bidi(cli: Any, hostile: Path) -> None:
    edit(hostile / "tasks/a.yaml", "  lead: u-b\n", '  lead: "u-b\\u202e\\u2066"\n')
    r = cli("validate", hostile, *AS_OF)
    assert r.exit_code == 1
    assert r.stdout == (
        "tasks/a.yaml:18:9: error LS110 任务 T-2 引用了不存在的单位 u-b\\u202e\\u2066"
        "（是不是 u-b？）：请在 units.yaml 中添加该单位，或改正拼写\n")


def test_error_message_escapes_controls(cli: Any, hostile: Path) -> None:
    r = cli("status", hostile, *AS_OF, "--unit", "u-x\x1b[2J\u202e\n::error::x")
    assert r.exit_code == 2
    # the one line starts "luoshi: ": the option's `::` starts no line and is left
    # as typed; its line break and controls are escaped (`printable()`)
    assert r.stderr == ("luoshi: --unit u-x\\x1b[2J\\u202e\\n::error::x："
                        "台账中没有这个单位（代码或名称，见 units.yaml）；有：u-a（甲局\\x1b[31m\\u202e"
                        "\\n\\x3a:error file=x\\x3a:forged [bold red]x[/]）、u-b（@SUM(1)）\n")


def test_import_summary(cli: Any, hostile: Path, tmp_path: Path) -> None:
    """The import's notes quote the workbook's sheet name and the ledger's names: a
    line break, bidi override or workflow command in them stays escaped on stderr."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务\u202e\n##vso"
    ws.append(["任务名称", "牵头单位", "包抓领导", "完成时限", "进度"])
    ws.append(["修路", "@SUM(1)", "张三", "2024-12-31", 10])
    book = tmp_path / "in.xlsx"
    wb.save(book)
    r = cli("import", "tasks", book, hostile, "-o", hostile / "tasks/new.yaml", *AS_OF,
            "--category", "cat")
    assert r.exit_code == 0, r.stderr
    assert_inert(r.stderr)
    lines = r.stderr.splitlines()
    assert lines[0] == (f"说明：“张三”→ 张三{SHOWN}（l-a） "
                        "['任务\\u202e\\n##vso'!C2]")
    assert lines[-1] == "已从工作表 任务\\u202e\\n##vso 导入 1 个任务到 " \
        f"{hostile / 'tasks/new.yaml'}"


C1_OR_BIDI = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("args", [
    ("status", "--format", "json"),
    ("status", "--format", "json", "--by", "unit"),
    ("score", "--quarter", "Q1", "--format", "json"),
    ("validate", "--format", "json"),
])
def test_json_never_carries_a_raw_bidi_or_c1_character(cli: Any, hostile: Path,
                                                       args: tuple[str, ...]) -> None:
    """JSON on a terminal or in a CI log: json leaves U+202E (and C1 controls such as
    U+009B, a CSI on some terminals) raw with ensure_ascii=False; luoshi writes them
    as \\uXXXX escapes — the same data for a parser, inert on a screen."""
    import json

    r = cli(args[0], hostile, *args[1:], *AS_OF)
    assert r.exit_code in (0, 1), r.stderr
    assert C1_OR_BIDI.search(r.stdout) is None
    if args[0] == "status" and len(args) == 3:
        assert "\\u202e" in r.stdout
        doc = json.loads(r.stdout)
        assert doc["tasks"][0]["title"] == "修路\x1b[31m\u202e\n::error file=x::forged [bold red]x[/]"
    if args[0] == "score":
        assert "\\u202e" in r.stdout
        json.loads(r.stdout)


@given(st.text())
def test_json_text_is_the_same_data(text: str) -> None:
    """Escaping the active characters of JSON text changes no parsed value, leaves
    none of them raw, and the bytes version agrees with the text version."""
    import json

    from luoshi_cli.core.safetext import json_bytes, json_text

    doc = json.dumps({"k": text, text: [text]}, ensure_ascii=False)
    safe = json_text(doc)
    assert json.loads(safe) == json.loads(doc)
    assert C1_OR_BIDI.search(safe) is None
    assert json_bytes(doc.encode()) == safe.encode()


@given(st.text(alphabet="#[]vsoVSO\\\"x \n\u202e"))
@example("修路 ##[error]boom")
@example("x ##VSO[task.setvariable variable=a]1")
@example("\\##[x")
def test_json_text_holds_no_workflow_command(text: str) -> None:
    """`##[error]` or `##vso[…]` in a value (a task title, an adjustment's reason) is a
    command to an Azure Pipelines log wherever it stands on a line: in `diff -f json`,
    `status -f json` printed in CI, its first `#` is written \\u0023 — the same data."""
    import json

    from luoshi_cli.core.safetext import json_bytes, json_text

    doc = json.dumps({"k": text, text: [text]}, ensure_ascii=False)
    safe = json_text(doc)
    assert json.loads(safe) == json.loads(doc)
    assert re.search(r"##(?:\[|vso\[)", safe, re.IGNORECASE) is None
    assert json_bytes(doc.encode()) == safe.encode()


# ---- invisible characters: zero-width and tag characters ------------------------------

#: "ignore previous" in tag characters (U+E0000 + ASCII): drawn as nothing anywhere
SMUGGLED = "".join(chr(0xE0000 + ord(c)) for c in "ignore previous")
SMUGGLED_SHOWN = "".join(f"\\U{0xE0000 + ord(c):08x}" for c in "ignore previous")
FAMILY = "👨\u200d👩\u200d👧"  # one picture: the joiners are what is seen
ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # 🏴 gbeng CANCEL
#: the invisible characters (bidi marks aside)
INVISIBLE = re.compile("[\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff\U000e0000-\U000e007f]")


@pytest.mark.parametrize(("text", "shown"), [
    # hidden text: every tag character written out
    (f"背街小巷综合整治{SMUGGLED}", f"背街小巷综合整治{SMUGGLED_SHOWN}"),
    # zero-width space, word joiner, invisible times, U+FEFF (a stray BOM too)
    ("经济\u200b发展局\u2060\u2062", r"经济\u200b发展局\u2060\u2062"),
    ("\ufeff任务", r"\ufeff任务"),
    # joiners where they join nothing: in Chinese, at the ends, beside each other
    ("区\u200d发改委\u200c", r"区\u200d发改委\u200c"),
    ("\u200d👩", r"\u200d👩"),
    ("a\u200d\u200db", r"a\u200d\u200db"),
    ("👨\u200d\u200d👩", r"👨\u200d\u200d👩"),
    # pictures and spelling: kept as they are
    (f"{FAMILY} 🏳️\u200d🌈 ❤️\u200d🔥", f"{FAMILY} 🏳️\u200d🌈 ❤️\u200d🔥"),
    (f"英格兰{ENGLAND}队", f"英格兰{ENGLAND}队"),
    ("می\u200cخواهم", "می\u200cخواهم"),  # Persian: the non-joiner is spelling
    # tags that are no subdivision flag — after another character, too long, no
    # CANCEL TAG — are hidden text
    ("🏳\U000e0067\U000e0062\U000e007f", r"🏳\U000e0067\U000e0062\U000e007f"),
    (f"🏴{SMUGGLED}\U000e007f", f"🏴{SMUGGLED_SHOWN}\\U000e007f"),
    ("🏴\U000e0067\U000e0062\U000e0065", r"🏴\U000e0067\U000e0062\U000e0065"),
    (f"{ENGLAND}\U000e0041", f"{ENGLAND}\\U000e0041"),
])
def test_invisible_characters_are_shown_unless_they_are_seen(text: str, shown: str) -> None:
    """Zero-width characters and tag characters ("ASCII smuggling": a tag spells an
    ASCII character no one sees — 28 of them reached `status` and the Markdown
    bulletin raw) are escaped like the bidi controls, except where they are part
    of what the reader sees: a joiner between two emoji, a joiner or non-joiner
    between two letters of a script shaped by them, the tags of a subdivision flag."""
    assert terminal(text) == shown
    assert printable(text) == shown
    assert terminal(shown) == shown  # idempotent


def _tags(text: str) -> str:
    return "".join(chr(0xE0000 + ord(c)) for c in text)


def _shown(text: str) -> str:
    return "".join(f"\\U{ord(c):08x}" for c in text)


#: 32 variation selectors: a byte each, drawn as nothing ("emoji smuggling")
SELECTORS = "".join(chr(0xE0100 + i) for i in range(32))


@pytest.mark.parametrize(("text", "shown"), [
    # a flag-shaped run of tag letters after 🏴 that is no recommended flag draws the
    # black flag and hides the letters: five such flags carried 26 hidden letters
    (f"🏴{_tags('ignor')}\U000e007f🏴{_tags('eall')}\U000e007f",
     f"🏴{_shown(_tags('ignor'))}\\U000e007f🏴{_shown(_tags('eall'))}\\U000e007f"),
    (f"🏴{_tags('usca')}\U000e007f", f"🏴{_shown(_tags('usca'))}\\U000e007f"),
    # England, Scotland, Wales: the flags Unicode recommends, kept
    (f"🏴{_tags('gbsct')}\U000e007f 🏴{_tags('gbwls')}\U000e007f",
     f"🏴{_tags('gbsct')}\U000e007f 🏴{_tags('gbwls')}\U000e007f"),
    # one selector right after what it selects is how it is drawn: kept
    ("❤️ 葛\U000e0100 1️⃣", "❤️ 葛\U000e0100 1️⃣"),
    # a run of them: the first selects, the rest are hidden bytes, shown
    (f"重点项目{SELECTORS}", f"重点项目{SELECTORS[0]}{_shown(SELECTORS[1:])}"),
    ("\ufe0f\ufe0f甲", r"\ufe0f\ufe0f甲"),  # at the start: selects nothing
    ("甲 \ufe01", r"甲 \ufe01"),  # after a blank
    ("甲\u200b\ufe01", r"甲\u200b\ufe01"),  # after another invisible character
])
def test_no_hidden_bytes_in_flags_or_selectors(text: str, shown: str) -> None:
    """The review of the invisible-character escape: any id-shaped run of tag letters
    after 🏴 was kept as a "subdivision flag", and variation selectors were in no
    escape class at all (printable to `str.isprintable()`, so every fast path passed
    them): both carried hidden text through `status`, CSV and the bulletin."""
    assert terminal(text) == shown
    assert printable(text) == shown
    assert csv_text(text) == shown
    assert terminal(shown) == shown


def test_json_escapes_variation_selectors() -> None:
    import json

    from luoshi_cli.core.safetext import json_bytes, json_text

    doc = json.dumps({"t": f"❤️项目{SELECTORS[:2]}，"}, ensure_ascii=False)
    safe = json_text(doc)
    assert safe == '{"t": "❤\\ufe0f项目\\udb40\\udd00\\udb40\\udd01，"}'
    assert json_bytes(doc.encode()) == safe.encode()
    assert json.loads(safe) == json.loads(doc)


def test_invisible_characters_in_shell_words_and_documents() -> None:
    from luoshi_cli.core.safetext import document_text

    assert shell_word("经济\u200b发展局") == "$'经济\\u200b发展局'"
    assert shell_word(f"x{SMUGGLED[:2]}") == "$'x\\U000e0069\\U000e0067'"
    assert shell_word(f"{FAMILY}.yaml") == f"$'{FAMILY}.yaml'"
    # a whole document: Markdown's own mention stopper (`@` + U+200B, which
    # md_escape puts there after escaping the value) is kept, every other one shown
    assert document_text(f"@\u200beveryone a\u200bb\n{SMUGGLED}\t{FAMILY}\n") == \
        f"@\u200beveryone a\\u200bb\n{SMUGGLED_SHOWN}\t{FAMILY}\n"


def test_a_workbook_keeps_invisible_characters_as_data() -> None:
    """An .xlsx cell keeps them as written, as it keeps bidi marks: the cell is data,
    never run, and export → import gives the text back; a CSV (read on terminals and
    in CI logs) escapes them as a terminal does."""
    assert xlsx_text(f"甲{SMUGGLED}\u200b") == f"甲{SMUGGLED}\u200b"
    assert csv_text(f"甲{SMUGGLED}\u200b") == f"甲{SMUGGLED_SHOWN}\\u200b"


@given(st.text(alphabet=st.sampled_from(
    "a甲 \n:#\u200b\u200c\u200d\u2060\u2063\ufeff\U000e0000\U000e0041\U000e0067\U000e007f"),
    max_size=16))
def test_invisible_characters_never_survive_outside_pictures_and_scripts(text: str) -> None:
    """Text with no emoji, no flag and no letter of a joining script keeps no
    invisible character: each one is written out."""
    assert INVISIBLE.search(terminal(text)) is None
    assert INVISIBLE.search(printable(text)) is None


def test_json_escapes_every_invisible_character() -> None:
    """JSON escapes them all — the same data for a parser, so none needs keeping —
    a tag character as its surrogate pair (`\\udb40\\udc69`, as json writes it)."""
    import json

    from luoshi_cli.core.safetext import json_bytes, json_text

    doc = json.dumps({"t": f"甲{SMUGGLED[:1]}\u200b\ufeff{FAMILY}，"}, ensure_ascii=False)
    safe = json_text(doc)
    assert safe == '{"t": "甲\\udb40\\udc69\\u200b\\ufeff👨\\u200d👩\\u200d👧，"}'
    assert json_bytes(doc.encode()) == safe.encode()
    assert json.loads(safe) == json.loads(doc)


@given(st.text(alphabet=st.sampled_from(
    "a甲，\"\\\u200b\u200d\u2060\u206f\ufeff\U000e0000\U000e0069\U000e007f👨\x85\u202e"),
    max_size=16))
def test_json_never_carries_a_raw_invisible_character(text: str) -> None:
    import json

    from luoshi_cli.core.safetext import json_bytes, json_text

    doc = json.dumps({"k": text, text: [text]}, ensure_ascii=False)
    safe = json_text(doc)
    assert json.loads(safe) == json.loads(doc)
    assert INVISIBLE.search(safe) is None
    assert json_bytes(doc.encode()) == safe.encode()


@pytest.fixture
def smuggling(example: Path) -> Path:
    """The 渭南 example with hidden text in a task's title and a zero-width space in
    a unit's name (the audit's ledger)."""
    edit(example / "tasks" / "city.yaml", "  title: 城中村改造入户签约\n",
         f'  title: "城中村改造入户签约{SMUGGLED}"\n')
    edit(example / "units.yaml", "name: 崇业路街道", 'name: "崇业路\\u200b街道"')
    return example


def test_status_shows_hidden_text(cli: Any, smuggling: Path) -> None:
    """The audit: `luoshi status` printed the 15 tag characters (and the zero-width
    space) raw — the red task's title read 城中村改造入户签约 on the screen.  (The
    table wraps the long cell: compared without blanks.)"""
    r = cli("status", smuggling, "--as-of", "2021-06-30", "--by", "lead")
    assert r.exit_code == 0, r.stderr
    assert INVISIBLE.search(r.stdout) is None
    assert f"城中村改造入户签约{SMUGGLED_SHOWN}" in "".join(r.stdout.split())
    assert "崇业路\\u200b街道" in r.stdout
    r = cli("status", smuggling, "--as-of", "2021-06-30", "--format", "csv")
    assert INVISIBLE.search(r.stdout.removeprefix("\ufeff")) is None
    assert f",城中村改造入户签约{SMUGGLED_SHOWN}," in r.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_bulletin_shows_hidden_text(cli: Any, smuggling: Path, fmt: str) -> None:
    """The Markdown bulletin carried the tags raw (and the HTML one): written out
    (in Markdown with its backslashes escaped, `\\\\U000e0069`, as `\\\\u202e` is)."""
    r = cli("bulletin", smuggling, "--quarter", "Q2", "-f", fmt)
    assert r.exit_code == 0, r.stderr
    assert INVISIBLE.search(r.stdout) is None
    slash = "\\\\" if fmt == "md" else "\\"
    assert f"WN-011 城中村改造入户签约{SMUGGLED_SHOWN.replace(chr(92), slash)}" in r.stdout
    assert f"崇业路{slash}u200b街道" in r.stdout


def test_word_bulletin_shows_hidden_text(cli: Any, smuggling: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "b.docx"
    r = cli("bulletin", smuggling, "--quarter", "Q2", "-o", out)
    assert r.exit_code == 0, r.stderr
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells)
    assert INVISIBLE.search(text) is None
    assert "崇业路\\u200b街道" in text


def test_a_ledger_folders_name_is_no_workflow_command_on_stderr(
        cli: Any, tmp_path: Path) -> None:
    """A folder's name is the repository's text: `export --format parquet` names the
    ledger by it on stderr, where `##[stop-commands]…` anywhere on a line would stop a
    GitHub runner reading the job's commands.  Written with its first `#` escaped
    (`terminal()`), as every ledger value; it was printed as the folder is named."""
    pytest.importorskip("pyarrow")
    root = tmp_path / "##[stop-commands]x"
    shutil.copytree(EXAMPLE, root)
    out = tmp_path / "out"
    r = cli("export", root, "--format", "parquet", "-o", out)
    assert r.exit_code == 0
    assert r.stderr == f"已写入 {out}（台账 \\x23#[stop-commands]x，截至 2021-12-31）\n"


def test_an_options_workflow_command_is_escaped_anywhere_on_the_line(cli: Any,
                                                                     hostile: Path) -> None:
    """`##[stop-commands]` is obeyed anywhere on a line of a CI log, stderr too: an
    option's value quoted in a one-line refusal has its first `#` escaped."""
    r = cli("status", hostile, *AS_OF, "--unit", "##[stop-commands]tok")
    assert r.exit_code == 2
    assert r.stderr.startswith("luoshi: --unit \\x23#[stop-commands]tok：台账中没有这个单位")


# ---- the rest of Unicode's default-ignorable code points ------------------------------

#: DerivedCoreProperties.txt of Unicode 14.0 (Python 3.11's `unicodedata`), every
#: `; Default_Ignorable_Code_Point` line: what a renderer without support draws as nothing
DEFAULT_IGNORABLE = """
00AD          # Cf       SOFT HYPHEN
034F          # Mn       COMBINING GRAPHEME JOINER
061C          # Cf       ARABIC LETTER MARK
115F..1160    # Lo   [2] HANGUL CHOSEONG FILLER..HANGUL JUNGSEONG FILLER
17B4..17B5    # Mn   [2] KHMER VOWEL INHERENT AQ..KHMER VOWEL INHERENT AA
180B..180D    # Mn   [3] MONGOLIAN FREE VARIATION SELECTOR ONE..THREE
180E          # Cf       MONGOLIAN VOWEL SEPARATOR
180F          # Mn       MONGOLIAN FREE VARIATION SELECTOR FOUR
200B..200F    # Cf   [5] ZERO WIDTH SPACE..RIGHT-TO-LEFT MARK
202A..202E    # Cf   [5] LEFT-TO-RIGHT EMBEDDING..RIGHT-TO-LEFT OVERRIDE
2060..2064    # Cf   [5] WORD JOINER..INVISIBLE PLUS
2065          # Cn       <reserved-2065>
2066..206F    # Cf  [10] LEFT-TO-RIGHT ISOLATE..NOMINAL DIGIT SHAPES
3164          # Lo       HANGUL FILLER
FE00..FE0F    # Mn  [16] VARIATION SELECTOR-1..VARIATION SELECTOR-16
FEFF          # Cf       ZERO WIDTH NO-BREAK SPACE
FFA0          # Lo       HALFWIDTH HANGUL FILLER
FFF0..FFF8    # Cn   [9] <reserved-FFF0>..<reserved-FFF8>
1BCA0..1BCA3  # Cf   [4] SHORTHAND FORMAT LETTER OVERLAP..SHORTHAND FORMAT UP STEP
1D173..1D17A  # Cf   [8] MUSICAL SYMBOL BEGIN BEAM..MUSICAL SYMBOL END PHRASE
E0000         # Cn       <reserved-E0000>
E0001         # Cf       LANGUAGE TAG
E0002..E001F  # Cn  [30] <reserved-E0002>..<reserved-E001F>
E0020..E007F  # Cf  [96] TAG SPACE..CANCEL TAG
E0080..E00FF  # Cn [128] <reserved-E0080>..<reserved-E00FF>
E0100..E01EF  # Mn [240] VARIATION SELECTOR-17..VARIATION SELECTOR-256
E01F0..E0FFF  # Cn [3600] <reserved-E01F0>..<reserved-E0FFF>
"""


def _code_points(table: str) -> set[str]:
    out: set[str] = set()
    for line in table.strip().splitlines():
        first, _, last = line.split("#")[0].strip().partition("..")
        out.update(chr(o) for o in range(int(first, 16), int(last or first, 16) + 1))
    return out


#: drawn as nothing too, though not default-ignorable: the Braille pattern blank and
#: the interlinear annotation characters
BLANK = {"\u2800", "\ufff9", "\ufffa", "\ufffb"}
HIDDEN = _code_points(DEFAULT_IGNORABLE) | BLANK
#: everything `terminal()` escapes but the workflow commands: the controls, the line
#: separators, the bidi controls and the characters that draw nothing
#: (the bidi controls are default-ignorable too)
ESCAPED = HIDDEN | {chr(o) for o in [*range(0x20), *range(0x7F, 0xA0)]} | {"\u2028", "\u2029"}
#: every code point but the surrogates, in order
EVERY = [chr(o) for o in range(0x110000) if not 0xD800 <= o <= 0xDFFF]


def _u(c: str) -> str:
    """`c` written as the text outputs write it (a soft hyphen `\\u00ad`, not `\\xad`)."""
    o = ord(c)
    return f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}"


def test_the_invisible_characters_are_unicodes_default_ignorable_ones() -> None:
    """`safetext.INVISIBLE`, the one list every escape reads, holds every
    default-ignorable code point (DerivedCoreProperties.txt, above) and U+2800,
    U+FFF9–U+FFFB — and nothing else: each of the 1,112,064 code points asked."""
    from luoshi_cli.core.safetext import INVISIBLE

    assert set(INVISIBLE.findall("".join(EVERY))) == HIDDEN
    assert len(HIDDEN) == 4174 + 4  # 4,174 default-ignorable code points, 4 blanks


#: the ones the review found unescaped, and the rest of the list: a soft hyphen (text
#: pasted from Word), the Hangul fillers, the Braille blank, the interlinear annotation
#: characters, the grapheme joiner, the Mongolian selectors and separator, the Khmer
#: inherent vowels, the shorthand and musical format controls, reserved ones
NEWLY_ESCAPED = ["\u00ad", "\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b",
                 "\u180e", "\u180f", "\u2065", "\u2800", "\u3164", "\uffa0", "\ufff0",
                 "\ufff8", "\ufff9", "\ufffa", "\ufffb", "\U0001bca0", "\U0001bca3",
                 "\U0001d173", "\U0001d17a", "\U000e0080", "\U000e01f0", "\U000e0fff"]


@pytest.mark.parametrize("c", NEWLY_ESCAPED, ids=[f"U+{ord(c):04X}" for c in NEWLY_ESCAPED])
def test_every_output_shows_a_character_that_draws_nothing(c: str) -> None:
    """`经济发展局` and `经济{c}发展局` read the same on a screen: every output a
    terminal, a CI log or a reader sees writes the character out — `\\u00ad`,
    `\\u3164`, `\\U0001d173` (JSON: its \\uXXXX escape or surrogate pair, the same data)
    — and a workbook keeps it as written, as it keeps U+200B: the cell is data."""
    import json

    from luoshi_cli.core.safetext import document_text, json_bytes, json_text

    text, shown = f"经济{c}发展局", f"经济{_u(c)}发展局"
    for escape in (printable, terminal, csv_text, document_text):
        assert escape(text) == shown, escape
        assert escape(f"{c}a") == f"{_u(c)}a", escape  # an ASCII fast path too
    assert shell_word(text) == f"$'{shown}'"
    assert xlsx_text(text) == text
    doc = json.dumps({"t": text}, ensure_ascii=False)
    o = ord(c) - 0x10000
    pair = _u(c) if o < 0 else f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}"
    assert json_text(doc) == '{"t": "经济' + pair + '发展局"}'
    assert json_bytes(doc.encode()) == json_text(doc).encode()
    assert json.loads(json_text(doc)) == {"t": text}


def test_no_other_character_is_escaped() -> None:
    """Every code point outside `ESCAPED` — all of Chinese text, CJK U+4E00–U+9FFF,
    the full-width punctuation of U+3000–U+303F and U+FF00–U+FFEF (but the two Hangul
    fillers U+3164 and U+FFA0 among them), emoji — passes every output as it is,
    fast path or not: the code points in runs of 64, which hold no `::` or `##`."""
    import json

    from luoshi_cli.core.safetext import document_text, json_bytes, json_text

    rest = [c for c in EVERY if c not in ESCAPED]
    assert "\u3000" in rest and "，" in rest and "\u3164" not in rest and "\uffa0" not in rest
    for i in range(0, len(rest), 64):
        text = "".join(rest[i:i + 64])
        assert printable(text) == text
        assert terminal(text) == text
        assert document_text(text) == text
        doc = json.dumps(text, ensure_ascii=False)
        assert json_text(doc) == doc
        assert json_bytes(doc.encode()) == doc.encode()


def test_every_fast_path_agrees_with_its_regex_on_every_escaped_character() -> None:
    """Each escaped character alone in plain text — after a space, before 甲 — is
    escaped by each output: no fast path (`isprintable`, `isascii`, `_HIDDEN`, the
    `\\w` of a plain shell word, the JSON byte patterns and the quick searches that
    decide whether the rarer ones run) lets one through.  (Before the fix the Hangul
    fillers, U+2800, U+034F and the Mongolian and Khmer marks — printable to
    `str.isprintable()` — passed `printable()` and `terminal()` raw without reaching
    a regex, and a Hangul filler passed `shell_word` as a word character.)"""
    import json

    from luoshi_cli.core.safetext import (
        _CONTROL,
        _TERMINAL,
        _escape,
        document_text,
        json_bytes,
        json_text,
    )

    for c in sorted(ESCAPED):
        for text in (f" {c}", f"{c}甲"):
            assert printable(text) == _CONTROL.sub(_escape, text) != text, repr(text)
            assert terminal(text) == _TERMINAL.sub(_escape, text) != text, repr(text)
            assert c not in shell_word(text), repr(text)
            if c not in "\t\n":
                assert c not in document_text(text), repr(text)
            doc = json.dumps(text, ensure_ascii=False)
            safe = json_text(doc)
            assert json_bytes(doc.encode()) == safe.encode(), repr(text)
            assert c not in safe and json.loads(safe) == text, repr(text)


@given(st.text(alphabet=st.sampled_from(
    [*NEWLY_ESCAPED, "甲", "，", "。", "\u3000", "ㄱ", "ﾡ", "ᠠ", "ᠨ", "\u200d", "\ufe0f", "👨",
     "a", " ", ":", "\n"]), max_size=12))
def test_fast_paths_agree_with_their_regex(text: str) -> None:
    """Any mix of them with Chinese, full-width punctuation, a Hangul letter beside a
    filler (ㄱ U+3131, ﾡ U+FFA1), Mongolian letters and emoji: each output is what its
    regex alone gives, and JSON the same data in text and in bytes."""
    import json

    from luoshi_cli.core.safetext import _CONTROL, _TERMINAL, _escape, json_bytes, json_text

    assert printable(text) == _CONTROL.sub(_escape, text)
    assert terminal(text) == _TERMINAL.sub(_escape, text)
    doc = json.dumps({"k": text}, ensure_ascii=False)
    safe = json_text(doc)
    assert json.loads(safe) == {"k": text}
    assert HIDDEN.isdisjoint(safe)
    assert json_bytes(doc.encode()) == safe.encode()


@given(st.text(alphabet=st.sampled_from(
    [*NEWLY_ESCAPED, "甲", "\u3000", "\u200b", "\ufe0f", "👨", "a", " ", "\t", ":", "#", "[",
     "v", "s", "o", "\n", "\r", "\x1b", "\x85", "\u202e", "\u2028", "\ud800", "“"]),
    max_size=16))
def test_a_documents_quick_check_agrees_with_its_regex(text: str) -> None:
    """`document_text` skips its regex where the UTF-8 bytes show nothing it could
    find (`_document_clean`): any mix of what it escapes — controls, tab and line
    feed kept, `::` after blanks at a line start, `##[`/`##vso[`, a lone
    surrogate — gives exactly what the regex alone gives."""
    from luoshi_cli.core.safetext import _DOCUMENT, _escape_document, document_text

    assert document_text(text) == _DOCUMENT.sub(_escape_document, text)
    assert document_text(f"甲\n{text}\n乙") == _DOCUMENT.sub(_escape_document, f"甲\n{text}\n乙")


@pytest.mark.parametrize(("text", "shown"), [
    # a Mongolian free variation selector right after the letter whose form it picks,
    # the vowel separator between two letters (ᠨᠣᠮ᠎ᠠ): spelling, kept
    ("ᠠ\u180b ᠡ\u180f", "ᠠ\u180b ᠡ\u180f"),
    ("ᠨᠣᠮ\u180eᠠ", "ᠨᠣᠮ\u180eᠠ"),
    # anywhere else: after a Chinese character, after another one (the first selects,
    # as in a run of variation selectors), a separator at the end, at the start
    ("甲\u180b", r"甲\u180b"),
    ("ᠠ\u180b\u180c", "ᠠ\u180b" + r"\u180c"),
    ("ᠨᠣᠮ\u180e", r"ᠨᠣᠮ\u180e"),
    ("\u180eᠠ", r"\u180eᠠ"),
    # the Khmer inherent vowels and the grapheme joiner draw nothing anywhere
    ("ក\u17b4ខ", r"ក\u17b4ខ"),
    ("e\u034f\u0301", r"e\u034f" + "\u0301"),
])
def test_mongolian_selectors_are_kept_where_they_spell(text: str, shown: str) -> None:
    assert terminal(text) == shown
    assert printable(text) == shown


def test_an_editor_glob_has_no_hangul_filler() -> None:
    """A `files:` pattern lands in an editor's settings: a Hangul filler is a letter
    to Unicode (Lo) but draws nothing, and becomes `?` like the other invisible
    characters."""
    from luoshi_cli.load.editor import _editor_glob

    assert _editor_glob("任务\u3164/*.yaml") == "/任务?/*.yaml"
    assert _editor_glob("任务/*.yaml") == "/任务/*.yaml"


@pytest.fixture
def pasted(example: Path) -> Path:
    """The 渭南 example with a soft hyphen (text pasted from Word) in a unit's name, and
    a Hangul filler and a Braille blank in a task's title."""
    edit(example / "units.yaml", "name: 崇业路街道", 'name: "崇业路\\u00ad街道"')
    edit(example / "tasks" / "city.yaml", "  title: 城中村改造入户签约\n",
         '  title: "城中村改造\\u3164入户签约\\u2800"\n')
    return example


def test_validate_shows_a_soft_hyphen(cli: Any, pasted: Path) -> None:
    """The finding names the unit as the ledger spells it, the soft hyphen written
    out (it printed raw: 崇业路街道 on the screen, another name in the ledger)."""
    r = cli("validate", pasted)
    assert r.exit_code == 0, r.stderr
    assert ("tasks/city.yaml:17:3: warning LS601 任务 WN-009：最近一次月度进展是 2021-06，"
            "2021-12-31 时应已报送 2021-11 的进展：请督促 崇业路\\u00ad街道 报送") \
        in r.stdout.splitlines()
    assert HIDDEN.isdisjoint(r.stdout)


def test_status_shows_a_soft_hyphen_and_a_hangul_filler(cli: Any, pasted: Path) -> None:
    import json

    r = cli("status", pasted, "--as-of", "2021-06-30", "--by", "lead")
    assert r.exit_code == 0, r.stderr
    assert HIDDEN.isdisjoint(r.stdout)
    lines = r.stdout.splitlines()
    assert [x.split()[:2] for x in lines if x.startswith("chongyelu ")] == [
        ["chongyelu", "崇业路\\u00ad街道"]]
    assert [x.split()[:2] for x in lines if x.startswith("WN-011 ")] == [
        ["WN-011", "城中村改造\\u3164入户签约\\u2800"]]
    r = cli("status", pasted, "--as-of", "2021-06-30", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert HIDDEN.isdisjoint(r.stdout)
    assert '"title": "城中村改造\\u3164入户签约\\u2800",' in r.stdout
    assert '"name": "崇业路\\u00ad街道",' in r.stdout
    doc = json.loads(r.stdout)
    assert [t["title"] for t in doc["tasks"] if t["id"] == "WN-011"] == [
        "城中村改造\u3164入户签约\u2800"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_bulletin_shows_a_soft_hyphen(cli: Any, pasted: Path, fmt: str) -> None:
    """A bulletin shows them as it shows U+200B: written out (in Markdown with its
    backslash escaped)."""
    r = cli("bulletin", pasted, "--quarter", "Q2", "-f", fmt)
    assert r.exit_code == 0, r.stderr
    assert HIDDEN.isdisjoint(r.stdout)
    slash = "\\\\" if fmt == "md" else "\\"
    assert f"崇业路{slash}u00ad街道" in r.stdout
    assert f"城中村改造{slash}u3164入户签约{slash}u2800" in r.stdout


def test_word_bulletin_shows_a_soft_hyphen(cli: Any, pasted: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "b.docx"
    r = cli("bulletin", pasted, "--quarter", "Q2", "-o", out)
    assert r.exit_code == 0, r.stderr
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells)
    assert HIDDEN.isdisjoint(text)
    assert "崇业路\\u00ad街道" in text
    assert "城中村改造\\u3164入户签约\\u2800" in text
