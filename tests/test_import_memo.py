"""An import costs its distinct cell texts, not cells × length (DoS audit).

A workbook of a few kilobytes may point thousands of cells at one shared string of
32,000 characters.  Every per-text step (normalising, splitting into unit names,
looking for due dates, the reader's checks) ran again for each cell: 100 rows took
40 s, 5,000 rows minutes.  The answers are now kept per text (`excel.memo`), and the
same answers come out as before; the listing of such an import's problems is capped
at `report.MAX_PROBLEMS_LISTED`, the rest counted, the exit code unchanged."""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest

from luoshi_cli.core.codes import L
from luoshi_cli.excel import columns, dates, report
from luoshi_cli.excel.dates import DateProblem
from luoshi_cli.excel.match import Matcher
from test_excel_import import ledger  # noqa: F401  (fixture)

PLACEHOLDER = "@@SHARED@@"


def shared_book(path: Path, rows: list[list[Any]], shared: str) -> Path:
    """A 任务表 whose cells holding `PLACEHOLDER` all point at one shared string
    `shared` (openpyxl writes inline strings: the cells are rewritten to a real
    sharedStrings part, as Excel saves a workbook)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务表"
    ws.append(["序号", "任务名称", "牵头单位", "包抓领导", "完成时限"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet, count = re.subn(rf't="inlineStr"><is><t>{PLACEHOLDER}</t></is>', 't="s"><v>0</v>',
                           parts["xl/worksheets/sheet1.xml"].decode())
    assert count
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{count}" uniqueCount="1"><si><t>{escape(shared)}'
        "</t></si></sst>").encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.'
        b'org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


#: the audit's mixed text: CJK, brackets either way, dates, separators, a unit, a leader
PIECES = ["重点项目", "（", "）", "1月2日", "、", "区发改委", "(", ")", "；", "年底", " ", "张某某"]


def mixed(chars: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(PIECES) for _ in range(chars))[:chars]


def test_one_long_shared_text_in_thousands_of_rows(cli: Callable[..., Any],
                                                   ledger: Path,  # noqa: F811
                                                   tmp_path: Path) -> None:
    """2,000 rows whose title, lead, leaders and due cells all hold one shared text of
    32,000 characters: the starting code spent ~0.1 s of CPU a row on them (minutes
    for the file); now the text is read once, and of its 46,000 problems 1,000 are listed."""
    book = shared_book(tmp_path / "big.xlsx",
                       [[i, PLACEHOLDER, PLACEHOLDER, PLACEHOLDER, PLACEHOLDER]
                        for i in range(1, 2001)], mixed(32_000))
    t0 = time.process_time()
    r = cli("import", "tasks", book, ledger, "-o", tmp_path / "out.yaml")
    cpu = time.process_time() - t0
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert len([x for x in lines if x.startswith("任务表!")]) == 1_000
    assert "……还有 45,000 个问题未列出（共 46,000 个，只列出前 1,000 个）：往往是同一个错误重复出现，" \
           "请先改正列出的问题，再重新导入" in lines
    assert lines[-1] == "luoshi: 46000 个问题，未写入任何文件"
    assert not (tmp_path / "out.yaml").exists()
    assert cpu < 30, f"{cpu:.1f} CPU-s for one text in 2,000 rows"


def test_a_shared_text_gives_the_same_problems_in_every_row(cli: Callable[..., Any],
                                                             ledger: Path,  # noqa: F811
                                                             tmp_path: Path) -> None:
    """The answers kept for the first cell are the ones each later cell gets."""
    book = shared_book(tmp_path / "small.xlsx",
                       [[i, f"任务{i}", PLACEHOLDER, "张某某", PLACEHOLDER] for i in (1, 2)],
                       "区发改委、某某局；5月底")
    r = cli("import", "tasks", book, ledger, "-o", tmp_path / "out.yaml", "--category", "econ")
    assert r.exit_code == 1
    assert r.stderr == """\
任务表!C2: 单位“某某局”不在 units.yaml 中：请检查名称，或在 units.yaml 中添加
任务表!C2: 单位“5月底”不在 units.yaml 中：请检查名称，或在 units.yaml 中添加
任务表!E2: 读不出日期：“区发改委、某某局”（可写 2024-05-31、2024/5/31、2024年5月31日、5月31日、5月底、6月份、年底）
任务表!C3: 单位“某某局”不在 units.yaml 中：请检查名称，或在 units.yaml 中添加
任务表!C3: 单位“5月底”不在 units.yaml 中：请检查名称，或在 units.yaml 中添加
任务表!E3: 读不出日期：“区发改委、某某局”（可写 2024-05-31、2024/5/31、2024年5月31日、5月31日、5月底、6月份、年底）
说明：开始日期取默认值 2024-01-01（台账年度的 1 月 1 日；可用 --start 指定）
说明：完成标准为空：用任务名称代替 [任务表!B2, 任务表!B3]
说明：状态按进度推定：0 为未启动（planned），100 为已完成（done），其余为推进中（in_progress）
说明：表中没有进度列：已完成的任务记 100，其余记 0
luoshi: 6 个问题，未写入任何文件
"""


def test_the_listing_of_problems_is_capped_with_a_count_of_the_rest() -> None:
    problems = [(f"任务表!C{r}", L("甲", "a")) for r in range(1, 1_004)]
    out = io.StringIO()
    report.print_problems(problems, out, "en")
    lines = out.getvalue().splitlines()
    assert len(lines) == 1_001
    assert lines[999] == "任务表!C1000: a"
    assert lines[-1] == ("… and 3 more problems not listed (1,003 in all, the first 1,000 "
                         "listed): usually one mistake repeated; fix those listed and import "
                         "again")
    out = io.StringIO()
    report.print_problems(problems[:1_000], out, "zh")
    assert out.getvalue().splitlines()[-1] == "任务表!C1000: 甲"


def test_a_long_problem_keeps_its_ends_and_says_what_was_left_out() -> None:
    """A problem quotes the part of a cell it is about: 3,000 rows sharing one text of
    32,000 characters printed 96 MB.  A problem over 2,000 characters keeps its first
    1,500 and last 500 and says how many were left out; a shorter one is whole."""
    long = "头" + "中" * 9_998 + "尾"
    problems = [("任务表!C2", L(f"“{long}”不是单位", f"'{long}' is no unit")),
                ("任务表!C3", L("短", "short"))]
    out = io.StringIO()
    report.print_problems(problems, out, "zh")
    first, second = out.getvalue().splitlines()
    assert first == ("任务表!C2: “头" + "中" * 1_498 + "……（此处略去 8,006 字）……"
                     + "中" * 494 + "尾”不是单位")
    assert second == "任务表!C3: 短"
    out = io.StringIO()
    report.print_problems(problems[:1], out, "en")
    assert " … [8,013 characters left out] … " in out.getvalue()


#: characters the per-text functions treat specially
ALPHABET = [*"重点项目区发改委财政局张某某李（）()【】[]、，,;；/\n\r| \u3000*※:：1234567890月日年底号",
            *"上中下旬季度每半前内-.①②", "1月2日", "2024-05-31", "年底", "Q3", "各街道", "#N/A",
            "合计", "Office of Housing"]


def _texts(n: int) -> list[str]:
    rnd = random.Random(7)
    return [("".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 40)))) for _ in range(n)]


def _dues_or_label(text: str, year: int) -> Any:
    try:
        return dates.cell_dues(text, year)
    except DateProblem as exc:
        return exc.label


def test_kept_answers_equal_the_computed_ones() -> None:
    """On random texts (each asked twice, the second answer from the memo): `norm`,
    `segments`, `cell_dues` and `Matcher.many` answer as the functions they keep do,
    and a caller changing a list it was given changes no later answer."""
    units = Matcher({"fgw": ("区发改委", "发改委"), "czj": ("区财政局",),
                     "jd1": ("张家村街道",), "jd2": ("柏树林街道",),
                     "house": ("Office of Housing", "Housing")}, L("单位", "unit"))
    for text in _texts(600):
        for _ in range(2):
            assert columns.norm(text) == columns._norm(text)
            assert dates.segments(text) == dates._segments(text)
            got = dates._text_dues(text, 2024) if text.strip() else ()
            assert _dues_or_label(text, 2024) == (got if isinstance(got, L) else list(got))
            assert units.many(text) == units._many_of(text)
        units.many(text)[0].append("x")
        dates.segments(text).append("x")
        assert units.many(text) == units._many_of(text)
        assert dates.segments(text) == dates._segments(text)
    # the ledger year is part of the key: 5月底 is another day in another year
    assert dates.cell_dues("5月底", 2024)[0].when != dates.cell_dues("5月底", 2025)[0].when


def test_a_memo_holds_at_most_its_characters() -> None:
    from luoshi_cli.excel.memo import TextMemo

    calls: list[str] = []

    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    memo: TextMemo[str] = TextMemo(limit=12, shortest=0)
    for text in ("abc", "abc", "defg", "abc"):
        assert memo(text, text, partial(upper, text)) == text.upper()
    assert calls == ["abc", "defg"]
    assert memo("x" * 20, "x" * 20, lambda: upper("x" * 20)) == "X" * 20
    assert len(memo) == 2  # (a text longer than the memo holds is never kept)
    memo("hijkl", "hijkl", lambda: upper("hijkl"))  # 4 + 5 + 6 > 12: emptied first
    assert len(memo) == 1
    memo("abc", "abc", lambda: upper("abc"))
    assert calls == ["abc", "defg", "x" * 20, "hijkl", "abc"]
    # a memo given `weigh` counts its answers too: a short text's heavy answer is not kept
    heavy: TextMemo[str] = TextMemo(limit=12, weigh=len, shortest=0)
    heavy("ab", "ab", lambda: "A" * 20)
    assert len(heavy) == 0
    heavy("ab", "ab", lambda: "AB")
    assert len(heavy) == 1
    # by default a short text is computed every time and never kept (a cell's name or
    # figure: the look-up would cost what computing it does)
    plain: TextMemo[str] = TextMemo()
    calls.clear()
    for text in ("abc", "abc", "y" * 64, "y" * 64):
        plain(text, text, partial(upper, text))
    assert (calls, len(plain)) == (["abc", "abc", "y" * 64], 1)


@pytest.mark.parametrize("text", ["#N/A", "  #ref!  ", "正常文字"])
def test_excel_error_values_are_still_named(text: str) -> None:
    from luoshi_cli.excel.import_tasks import _not_text

    for _ in range(2):
        assert (_not_text(text) is None) == (text == "正常文字")
