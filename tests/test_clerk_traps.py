"""Messages that pointed a clerk the wrong way, from an audit of Chinese-office traps
on the 渭南 2021 example: each finding names the real cause, with advice that does
not make things worse (a duplicate unit, a value left as it was)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    p.write_text(text.replace(old, new), encoding="utf-8")


def _findings(cli: Callable[..., Run], root: Path, lang: str = "zh",
              severity: str = "error") -> list[str]:
    """The findings of `severity` `luoshi validate` prints (the example's LS601
    warnings about monthly reports are left out)."""
    run = cli("validate", root, "--as-of", "2021-12-31", "--lang", lang)
    return [line.split(": ", 1)[0].removeprefix(f"{root}/") + ": " + line.split(": ", 1)[1]
            for line in run.stdout.splitlines() if f": {severity} LS" in line]


# ---- A. a broken units.yaml is the one finding, not 128 "unknown unit" ones ----------------

@pytest.mark.parametrize(("damage", "expected"), [
    (lambda t: t.replace("{id: weinangs, ", "{id: weinangs："),
     "units.yaml:16:18: error LS010 YAML 语法错误：两项之间用了“：”：花括号里的各项只能用半角逗号"
     "“,”隔开；请写成 - {id: weinangs, name: 威楠公司,             kind: enterprise}"),
    (None,
     "units.yaml:1:1: error LS004 文件不是 UTF-8 编码（看起来是 GB18030 (GBK)）：请转换为 UTF-8，"
     "例如 iconv -f GB18030 -t UTF-8 units.yaml -o units.yaml.utf8，打开 units.yaml.utf8 "
     "确认文字无误后再 mv units.yaml.utf8 units.yaml，或在编辑器中“另存为 UTF-8”"),
], ids=["syntax-error", "gbk"])
def test_a_broken_units_file_is_not_buried_under_unknown_units_in_records(
        cli: Callable[..., Run], example: Path,
        damage: Callable[[str], str] | None, expected: str) -> None:
    """units.yaml saved as GBK, or with a syntax error, could not be read: every unit a
    record scores was then reported "unknown" (LS110 … 请在 units.yaml 中添加该单位, 128
    lines before the one real finding) — advice to add units that are there.  Records
    now stay quiet about units as tasks do (checks/refs.py)."""
    p = example / "units.yaml"
    text = p.read_text(encoding="utf-8")
    if damage is None:
        p.write_bytes(text.encode("gbk"))
    else:
        p.write_text(damage(text), encoding="utf-8")
    assert _findings(cli, example) == [expected]


# ---- B. a record naming a unit or component by its name is told the id ------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", ["records/2021-Q2.yaml:8:3: error LS110 2021-Q2 得分引用了不存在的单位 崇业路街道"
            "（崇业路街道 是单位 chongyelu 的名称）：请写 chongyelu",
            "records/2021-Q2.yaml:8:11: error LS113 崇业路街道 的 “12345”快速响应平台群众诉求办理情况 "
            "引用了考核办法中不存在的指标 “12345”快速响应平台群众诉求办理情况（“12345”快速响应平台"
            "群众诉求办理情况 是指标 hotline 的名称）：请写 hotline"]),
    ("en", ["records/2021-Q2.yaml:8:3: error LS110 a 2021-Q2 score names unknown unit 崇业路街道 "
            "(崇业路街道 is the name of unit chongyelu): write chongyelu",
            "records/2021-Q2.yaml:8:11: error LS113 崇业路街道 / “12345”快速响应平台群众诉求办理情况 "
            "names unknown scheme component “12345”快速响应平台群众诉求办理情况 (“12345”快速响应平台"
            "群众诉求办理情况 is the name of component hotline): write hotline"]),
])
def test_a_record_naming_a_unit_or_component_by_name_is_told_its_id(
        cli: Callable[..., Run], example: Path, lang: str, expected: list[str]) -> None:
    """`崇业路街道: {…}` in a record said 请在 units.yaml 中添加该单位 — advice that makes a
    second unit of the same name; a component's name said only 请对照 scheme.yaml 改正.
    Both now give the id to write, as a task's `lead: 崇业路街道` does."""
    _edit(example, "records/2021-Q2.yaml", "chongyelu:     {hotline: 87.5",
          "崇业路街道: {“12345”快速响应平台群众诉求办理情况: 87.5")
    assert _findings(cli, example, lang) == expected


# ---- C. a number written as text is shown, with the number it means ----------------------

@pytest.mark.parametrize(("written", "zh"), [
    ("５５", "文本“５５”：请改用半角数字，写 55"),
    ("55%", "文本“55%”：请去掉百分号，写 55"),
    ("８０％", "文本“８０％”：请去掉百分号，改用半角数字，写 80"),
    ("百分之五十五", "文本“百分之五十五”：请去掉“百分之”，改用阿拉伯数字，写 55"),
    ('"55"', "文本“55”：请去掉引号（加了引号就是文本），写 55"),
    ("55\u3000", "文本“55\u3000”：请删去末尾的全角空格，写 55"),
    ("55\u00a0", "文本“55\u00a0”：请删去末尾的不间断空格，写 55"),
    ("大约一半", "文本“大约一半”：请改正"),
])
def test_progress_written_as_text_is_shown_with_the_number_it_means(
        cli: Callable[..., Run], example: Path, written: str, zh: str) -> None:
    """`progress: ５５` (and 55%, 百分之五十五, "55", a trailing U+3000 from an input
    method) all said `progress 应为数字，实际是文本：请改正` — the clerk saw 55 on the line
    and nothing wrong.  The finding now quotes what was written (the quotes show a
    trailing blank) and, where the slip is recognisable, the number to write."""
    _edit(example, "tasks/city.yaml", "  progress: 55\n", f"  progress: {written}\n")
    assert _findings(cli, example) == [
        f"tasks/city.yaml:16:13: error LS103 progress 应为数字，实际是{zh}"]


@pytest.mark.parametrize(("written", "lang", "expected"), [
    ("８７.５", "zh", "hotline 应为数字，实际是文本“８７.５”：请改用半角数字，写 87.5"),
    ("87。5", "zh", "hotline 应为数字，实际是文本“87。5”：请把句号“。”改为小数点“.”，写 87.5"),
    ("８７.５", "en", 'hotline should be a number, not the text "８７.５": use half-width '
                     "(ASCII) digits; write 87.5"),
    ("87。5", "en", 'hotline should be a number, not the text "87。5": write the decimal '
                   "point as ., not 。; write 87.5"),
])
def test_a_score_written_as_text_is_shown_with_the_number_it_means(
        cli: Callable[..., Run], example: Path, written: str, lang: str, expected: str) -> None:
    """The same for a record's scores (`hotline: ８７.５`, a full stop for the point):
    they said `hotline 应为数字，实际是文本：请改正`."""
    _edit(example, "records/2021-Q2.yaml", "chongyelu:     {hotline: 87.5",
          f"chongyelu:     {{hotline: {written}")
    assert _findings(cli, example, lang) == [
        f"records/2021-Q2.yaml:8:28: error LS103 {expected}"]


# ---- D. blanks and full-width letters in ids and references --------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", ["tasks/city.yaml:4:13: error LS112 任务 WN-009 引用了不存在的类别 city\u3000："
            "请删去末尾的全角空格，写 city",
            "tasks/city.yaml:5:9: error LS110 任务 WN-009 引用了不存在的单位 chongyelu\u3000："
            "请删去末尾的全角空格，写 chongyelu",
            "tasks/city.yaml:6:20: error LS110 任务 WN-009 引用了不存在的单位 ｊｉｎｃｈｅｎｇｓｈｅｑｕ："
            "请改用半角字母和数字，写 jinchengshequ",
            "tasks/city.yaml:15:11: error LS105 status 的值 in_progress\u00a0 无效：可选值为 planned | "
            "in_progress | done | closing | closed | suspended（请删去末尾的不间断空格，写 "
            "in_progress）"]),
    ("en", ["tasks/city.yaml:4:13: error LS112 task WN-009 names unknown category city\u3000: "
            "delete the trailing full-width space (U+3000); write city",
            "tasks/city.yaml:5:9: error LS110 task WN-009 names unknown unit chongyelu\u3000: "
            "delete the trailing full-width space (U+3000); write chongyelu",
            "tasks/city.yaml:6:20: error LS110 task WN-009 names unknown unit ｊｉｎｃｈｅｎｇｓｈｅｑｕ: "
            "use half-width (ASCII) letters and digits; write jinchengshequ",
            "tasks/city.yaml:15:11: error LS105 status: in_progress\u00a0 is not allowed; use one of "
            "planned | in_progress | done | closing | closed | suspended (delete the trailing "
            "no-break space (U+00A0); write in_progress)"]),
])
def test_a_reference_with_a_blank_or_full_width_letters_is_told_what_to_delete(
        cli: Callable[..., Run], example: Path, lang: str, expected: list[str]) -> None:
    """`lead: chongyelu　` (an input method's full-width space) said 不存在的单位
    chongyelu　（是不是 chongyelu？）— the clerk sees the same word twice and nothing to
    change.  A known id but for blanks or full-width letters now says what to delete."""
    city = "tasks/city.yaml"
    _edit(example, city, "  category: city\n  lead: chongyelu\n",
          "  category: city\u3000\n  lead: chongyelu\u3000\n")
    _edit(example, city, "units: [longbei, jinchengshequ]\n  cooperating: [guijianju]",
          "units: [longbei, ｊｉｎｃｈｅｎｇｓｈｅｑｕ]\n  cooperating: [guijianju]")
    _edit(example, city, "  status: in_progress\n  progress: 55\n",
          "  status: in_progress\u00a0\n  progress: 55\n")
    assert _findings(cli, example, lang) == expected


@pytest.mark.parametrize(("written", "zh"), [
    ("ＷＮ-００９", "id 的值 ＷＮ-００９ 不是合法的标识：只能用半角字母、数字和 _ . -，以字母或数字开头；"
                  "请改用半角字母和数字，写 WN-009"),
    ('"WN-009\u3000"', "id 的值 WN-009\u3000 不是合法的标识：只能用半角字母、数字和 _ . -，以字母或数字"
                       "开头；请删去末尾的全角空格，写 WN-009"),
    ("WN/009", "id 的值 WN/009 不是合法的标识：只能用半角字母、数字和 _ . -，以字母或数字开头"),
])
def test_an_invalid_task_id_gives_its_rule_in_words(
        cli: Callable[..., Run], example: Path, written: str, zh: str) -> None:
    """LS104 said `应匹配 [A-Za-z0-9][A-Za-z0-9_.-]*` — a regular expression a clerk does
    not read — and nothing of the full-width letters or the blank that made the id
    invalid.  It now gives the rule in words, and the id to write where it can."""
    _edit(example, "tasks/city.yaml", "- id: WN-009\n", f"- id: {written}\n")
    assert _findings(cli, example) == [f"tasks/city.yaml:2:7: error LS104 {zh}"]


# ---- E. a full-width comma in a list of units ---------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "tasks/city.yaml:6:11: error LS110 任务 WN-009 引用了不存在的单位 longbei，jinchengshequ"
           "（这是用全角逗号或顿号连在一起的 2 项）：列表中请用半角逗号分隔，写 longbei, jinchengshequ"),
    ("en", "tasks/city.yaml:6:11: error LS110 task WN-009 names unknown unit "
           "longbei，jinchengshequ (2 ids joined by a full-width comma or 、): separate list "
           "items by an ASCII comma: write longbei, jinchengshequ"),
])
def test_ids_joined_by_a_full_width_comma_are_told_apart(
        cli: Callable[..., Run], example: Path, lang: str, expected: str) -> None:
    """`units: [longbei，jinchengshequ]` is one item to YAML (it splits at `,` only):
    it said 不存在的单位 longbei，jinchengshequ（是不是 jinchengshequ？）— advice that drops
    longbei.  Now it names the two ids and the separator to use."""
    _edit(example, "tasks/city.yaml", "units: [longbei, jinchengshequ]",
          "units: [longbei，jinchengshequ]")
    assert _findings(cli, example, lang) == [expected]


# ---- F. English-only text in Chinese mode --------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "tasks/city.yaml:5:9: error LS010 YAML 语法错误：*fgw 引用了未定义的锚点 &fgw"
           "（值开头的 * 表示引用锚点；* 是文字的一部分时，请给整个值加引号，如 \"*fgw\"）"),
    ("en", "tasks/city.yaml:5:9: error LS010 YAML syntax error: found undefined alias *fgw "
           "(a * at the start of a value refers to an anchor; if the * is part of the text, "
           "quote the whole value: \"*fgw\")"),
])
def test_an_undefined_alias_is_explained_with_the_quote_to_add(
        cli: Callable[..., Run], example: Path, lang: str, expected: str) -> None:
    """`lead: *fgw` said `YAML 语法错误：found undefined alias *fgw` — English in a
    Chinese message, and no advice: a * at the start of a value is YAML's alias."""
    _edit(example, "tasks/city.yaml", "  lead: chongyelu\n", "  lead: *fgw\n")
    assert _findings(cli, example, lang) == [expected]


@pytest.mark.parametrize(("name", "data"), [
    ("oa.xls", b"\xef\xbb\xbf \r\n<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>"),
    ("oa.xls", "<html><table></table></html>".encode("utf-16")),
    ("oa.xlsx", b"  <html><table></table></html>"),
])
def test_a_web_page_saved_as_a_workbook_is_named(
        cli: Callable[..., Run], example: Path, tmp_path: Path, name: str, data: bytes) -> None:
    """OA systems export their tables as a web page named .xls, which Excel opens: it
    said 不是有效的 .xls 文件（CalamineError）(as .xlsx: 不是 zip 压缩包) — no way forward.
    Now it says what the file is and how to make a workbook of it."""
    book = tmp_path / name
    book.write_bytes(data)
    ext = book.suffix
    run = cli("import", "tasks", book, example, "--lang", "zh")
    assert (run.exit_code, run.stderr) == (2, (
        f"luoshi: 无法读取 {book}：这是保存成 {ext} 的网页（HTML）或 XML 文本，不是 Excel 工作簿"
        "（OA 系统导出的表格常是这样）：请用 Excel/WPS 打开它，再“另存为” .xlsx 后导入\n"))


def test_a_damaged_xlsx_is_explained_in_chinese(
        cli: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """A workbook cut short (a download interrupted) said 不是有效的 .xlsx 文件（BadZipFile:
    File is not a zip file）— Python's English in a Chinese message."""
    book = tmp_path / "cut.xlsx"
    book.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    run = cli("import", "tasks", book, example, "--lang", "zh")
    assert (run.exit_code, run.stderr) == (2, (
        f"luoshi: 无法读取 {book}：不是有效的 .xlsx 文件（压缩包已损坏或不完整，可能在下载或复制时"
        "被截断）：请重新下载或导出该文件，或在 Excel/WPS 中打开后“另存为” .xlsx\n"))


# ---- G. small wording ------------------------------------------------------------------

def test_a_yes_no_written_in_chinese_is_told_true_or_false_with_a_space(
        cli: Callable[..., Run], example: Path) -> None:
    """`assessed: 否` read "assessed 应为true 或 false" — the ASCII word run into the
    Chinese before it; now "应为 true 或 false", as every ASCII word in a Chinese message
    is set off by spaces; and it says which word to write (否 → false)."""
    _edit(example, "units.yaml", "{id: weinangs, ", "{id: weinangs, assessed: 否, ")
    assert [line for line in _findings(cli, example) if "LS103" in line] == [
        "units.yaml:16:30: error LS103 assessed 应为 true 或 false，实际是文本“否”：请写 false"]
