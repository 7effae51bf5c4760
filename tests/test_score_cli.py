"""`luoshi score` end to end: exit codes, the exact SPEC §4 JSON of a unit, the CSV for
Excel, the ranked table, and `--explain` with its contributions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import BEILIN, EXAMPLE

Cli = Callable[..., Any]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scoring"
ASOF = ("--as-of", "2021-12-31")


def tokens(text: str, first: str) -> list[str]:
    """The whitespace-separated cells of the first line whose first cell is `first`."""
    for line in text.splitlines():
        cells = line.split()
        if cells and cells[0] == first:
            return cells
    raise AssertionError(f"no line starting with {first!r} in:\n{text}")


def test_json_is_exactly_spec_for_a_unit(cli: Cli) -> None:
    r = cli("score", EXAMPLE, "--quarter", "Q2", "--format", "json", *ASOF)
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)  # stdout holds the document alone
    assert (doc["scheme"], doc["period"]) == ("weinan-zuofeng-2021", "2021-Q2")
    [u] = [x for x in doc["units"] if x["unit"] == "jinchengshequ"]
    assert u == {
        "unit": "jinchengshequ", "name": "金城社区", "score": 84.51, "grade": "一般",
        "rank": 6, "interview": False,
        "components": {"special": 90.51, "activities": 89.13, "training": 87.5,
                       "exercise": 90.5, "oversight": 89.5, "push": 89, "hotline": 94,
                       "service": 93.5},
        "deductions": 6, "rules_applied": ["style-cap"], "missing": [],
        "not_applicable": [],
        "exact": "84.5125", "base_grade": "良好",
        "incidents": [{"category": "formalism", "date": "2021-04-20", "points": 6,
                       "media": False, "multiplier": 1, "deducted": 6,
                       "reason": "调研搞层层陪同、超人数陪同", "period": "2021-Q2"}],
    }
    # numbers are JSON numbers as published: 87.5 not "87.50", 89 not 89.0
    assert '"training": 87.5,' in r.stdout and '"push": 89,' in r.stdout
    assert [x["unit"] for x in doc["units"] if x["interview"]] == [
        "weinangs", "chenggaiban", "dongqu"]


def test_csv_for_excel(cli: Cli) -> None:
    r = cli("score", EXAMPLE, "-q", "2", "--format", "csv", *ASOF)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == ("\ufeffrank,unit,name,score,grade,base_grade,deductions,interview,"
                        "rules_applied,missing,exact,special,activities,training,exercise,"
                        "oversight,push,hotline,service")
    assert lines[1] == ("1,dangqunbu,党群工作部,94.64,优秀,优秀,0.00,,,,94.6375,94.64,94.38,"
                        "93.50,95.00,96.00,93.00,98.00,92.50")
    assert "6,jinchengshequ,金城社区,84.51,一般,良好,6.00,,style-cap,,84.5125,90.51,89.13," \
           "87.50,90.50,89.50,89.00,94.00,93.50" in lines
    assert "13,dongqu,东区管委会,60.96,较差,较差,14.00,yes,style-cap,,60.9625,74.96,75.38," \
           "76.50,75.00,77.00,73.00,75.00,73.00" in lines
    assert len(lines) == 14


def test_table_ranked_with_places(cli: Cli) -> None:
    r = cli("score", EXAMPLE, "--quarter", "Q2", "--year", "2021", *ASOF)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "渭南高新区2021年度作风建设专项考核办法 — 2021年第二季度"
    assert tokens(r.stdout, "2") == ["2", "行政审批服务局", "xzspj", "93.30", "优秀"]
    assert tokens(r.stdout, "6") == ["6", "金城社区", "jinchengshequ", "84.51",
                                     "一般（良好→一般）", "6.00", "style-cap"]
    assert tokens(r.stdout, "13") == ["13", "东区管委会", "dongqu", "60.96", "较差", "14.00",
                                      "style-cap", "约谈"]
    ties = [line.split()[2] for line in r.stdout.splitlines() if line.split()[:1] == ["3"]]
    assert ties == ["guanweihui", "jingfaju"]
    en = cli("score", EXAMPLE, "--quarter", "Q2", "--lang", "en", *ASOF)
    assert en.stdout.splitlines()[0].endswith("— Q2 2021")
    assert tokens(en.stdout, "10") == ["10", "规划建设局", "guijianju", "76.55",
                                       "较差", "(一般→较差)", "veto"]


def test_explain_shows_contributions_deductions_and_rules(cli: Cli) -> None:
    r = cli("score", EXAMPLE, "--quarter", "Q2", "--explain", "jinchengshequ", *ASOF)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    # component, name, weight, share, score, contribution
    # components and checklist lines by name: their ids are the scheme's notation
    assert tokens(out, "专项任务考核")[1:] == ["80", "100.00", "90.51", "90.51"]
    assert tokens(out, "作风建设提升年活动开展情况")[1:] == ["70", "70.00", "89.13", "62.39"]
    assert tokens(out, "大培训")[1:5] == ["25", "25.00", "87.50", "21.88"]
    assert tokens(out, "大锻炼")[1:5] == ["25", "25.00", "90.50", "22.63"]
    assert tokens(out, "“12345”快速响应平台群众诉求办理情况")[1:] == [
        "15", "15.00", "94.00", "14.10"]
    # a checklist line: points, earned
    assert tokens(out, "深入推进“三深化三过硬”主题党建活动")[-2:] == ["/7", "6"]
    assert tokens(out, "民主测评")[1:] == ["20", "—", "—", "—", "本期不考核（年度考核）"]
    assert not {"special", "p3", "formalism"} & set(out.split())
    assert "合计（扣分前）90.5125" in out
    assert tokens(out, "2021-04-20") == ["2021-04-20", "形式主义、官僚主义", "6",
                                         "—", "6", "调研搞层层陪同、超人数陪同"]
    assert "90.5125 − 6 = 84.5125" in out
    assert "四舍五入保留 2 位小数：84.51；按此确定等次：良好" in out
    assert "规则 style-cap（存在“形式主义、官僚主义”问题）等次封顶（一般）：良好 → 一般" in out
    assert "最终等次：一般" in out


def test_explain_media_multiplier_and_annual_means_in_english(cli: Cli) -> None:
    r = cli("score", EXAMPLE, "--annual", "--explain", "weinangs", "--lang", "en", *ASOF)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert tokens(out, "“12345”快速响应平台群众诉求办理情况")[1:] == [
        "15", "15.00", "70.88", "10.63", "mean", "of", "quarters:", "Q1", "66.00", "·", "Q2",
        "67.50", "·", "Q3", "75.00", "·", "Q4", "75.00"]
    assert tokens(out, "2021-12-03") == ["2021-12-03", "服务群众态度恶劣、漠视群众利益",
                                         "4", "×2", "8", "对入驻企业诉求推诿扯皮，被省级主流媒体曝光"]
    assert "70.3225 − 12 = 58.3225" in out
    assert "final grade: 较差" in out


def test_explain_task_leaf(cli: Cli) -> None:
    r = cli("score", FIXTURES / "qilihe", "-q", "Q2", "--explain", "jianlan",
            "--as-of", "2023-06-30")
    assert r.exit_code == 0, r.stderr
    assert tokens(r.stdout, "重点任务落实成效")[1:5] == ["60", "60.00", "82.00", "49.20"]
    assert "到期节点 2 个，按时完成 1 个 → 时效 50.00；质量 80" in r.stdout
    assert tokens(r.stdout, "T-2")[2] == "93.00"


def test_warnings_go_to_stderr(cli: Cli) -> None:
    r = cli("score", FIXTURES / "qilihe", "-q", "Q2", "-f", "json", "--as-of", "2023-06-30")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["units"][2]["missing"] == ["delivery/T-4"]
    assert r.stderr == ("records/2023-Q2.yaml:6:1: warning LS409 期间 2023-Q2：任务 T-4 "
                        "没有质量评分（quality），按 0 分计算\n")


def test_annual_partial(cli: Cli, example: Path) -> None:
    (example / "records" / "2021-Q4.yaml").unlink()
    r = cli("score", example, "--annual", *ASOF)
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr == ("luoshi: 2021 年缺少 2021-Q4 的考核记录：补齐后再计算年度得分，"
                        "或加 --partial 按已有记录计算\n")
    r = cli("score", example, "--annual", "--partial", *ASOF)
    assert r.exit_code == 0, r.stderr
    assert "年度得分不完整：缺少 2021-Q4 的记录，季度指标按已有季度平均。" in r.stdout
    j = cli("score", example, "--annual", "--partial", "-f", "json", *ASOF)
    assert json.loads(j.stdout)["missing_quarters"] == ["2021-Q4"]


def test_no_scheme_is_one_plain_line(cli: Cli) -> None:
    r = cli("score", BEILIN, "-q", "Q2", "--as-of", "2024-05-31")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr == "luoshi: 台账没有考核办法（scheme.yaml），无法计分：score 只用于有考核办法的台账\n"


def test_refuses_a_ledger_with_errors(cli: Cli, example: Path) -> None:
    rec = example / "records" / "2021-Q2.yaml"
    text = rec.read_text(encoding="utf-8")
    rec.write_text(text.replace("jinchengshequ: {hotline: 94,", "jinchengshequ: {hotline: 194,"),
                   encoding="utf-8")
    r = cli("score", example, "-q", "Q2", "-f", "json", *ASOF)
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr == (
        "records/2021-Q2.yaml:10:28: error LS403 jinchengshequ 的 hotline 的得分 194 超出 0–100："
        f"请改正\nluoshi: 台账有 1 个错误，请先修正（luoshi validate {example} 查看全部）\n")


def test_bad_arguments_exit_2(cli: Cli) -> None:
    for args in (["--quarter", "Q5"], [], ["--quarter", "Q2", "--annual"],
                 ["--quarter", "Q2", "--partial"], ["-q", "Q2", "--explain", "nobody"],
                 ["-q", "Q2", "--explain", "kaoheban"], ["-q", "Q2", "--as-of", "2021-13-01"]):
        r = cli("score", EXAMPLE, *args)
        assert r.exit_code == 2, (args, r.stderr)
        assert r.stderr.startswith("luoshi: ") and r.stderr.count("\n") == 1, r.stderr
        assert "Traceback" not in r.stderr


def test_explain_refuses_a_format_for_tools(cli: Cli) -> None:
    """`--explain` is text for a reader: with `-f json` a script got that text, exit 0.
    Refused before the ledger is read; the JSON and CSV hold every unit's components."""
    for fmt in ("json", "CSV"):
        r = cli("score", EXAMPLE, "-q", "Q2", "--explain", "jinchengshequ", "-f", fmt, *ASOF)
        low = fmt.lower()
        assert (r.exit_code, r.stdout, r.stderr) == (2, "", (
            f"luoshi: --explain 输出供人阅读的文字说明，不能与 --format {low} 同用："
            f"--format {low} 已含每个单位各考核项的得分\n"))
    r = cli("score", EXAMPLE, "-q", "Q2", "--explain", "jinchengshequ", "-f", "json",
            "--lang", "en")
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", (
        "luoshi: --explain writes a text explanation for a reader and does not go with "
        "--format json: --format json already holds every unit's component scores\n"))
    r = cli("score", EXAMPLE, "-q", "Q2", "--explain", "jinchengshequ", "-f", "table", *ASOF)
    assert r.exit_code == 0 and "专项任务考核" in r.stdout


def test_period_without_record_exits_1(cli: Cli) -> None:
    r = cli("score", FIXTURES / "half-up", "-q", "Q3", "--lang", "en", *ASOF)
    assert r.exit_code == 1
    assert r.stderr == ("luoshi: there is no record for 2021-Q3: add one with period: 2021-Q3 "
                        "under records/\n")


def test_a_period_outside_the_ledger_year_is_refused(cli: Cli, tmp_path: Path) -> None:
    """`score -q Q1 --year 2020` on the 2021 ledger said to add a 2020-Q1 record (exit
    1), and following it gave LS411 and LS406: refused as bulletin refuses it, exit 2,
    whatever the period; the ledger's own year still scores (a January as-of too)."""
    for args in (["-q", "Q1", "--year", "2020"], ["--annual", "--year", "2022"],
                 ["--month", "2022-01"]):
        r = cli("score", EXAMPLE, *args, *ASOF)
        period = {"-q": "2020-Q1", "--annual": "2022", "--month": "2022-01"}[args[0]]
        assert (r.exit_code, r.stdout) == (2, ""), args
        assert r.stderr == (f"luoshi: {period} 不在台账年度 2021 内（台账只记一年）："
                            "请指定 2021 年的期间\n")
    r = cli("score", EXAMPLE, "-q", "Q1", "--year", "2020", "--lang", "en", *ASOF)
    assert r.stderr == ("luoshi: 2020-Q1 is outside the ledger's year 2021 (a ledger is one "
                        "year): give a period of 2021\n")
    r = cli("score", EXAMPLE, "-q", "Q2", "--year", "2021", "--as-of", "2022-01-15")
    assert r.exit_code == 0, r.stderr


def test_a_month_of_a_scheme_without_monthly_components(cli: Cli, example: Path) -> None:
    """渭南's scheme has no monthly component: `--month 2021-05` said "no record for
    2021-05", and once a record was added, that the scheme scores no month.  What the
    scheme cannot do is said first; exit 1 as for a quarter without a record (the
    ledger cannot answer a well-formed request)."""
    zh = "luoshi: 考核办法中没有按月考核的指标（cadence: monthly）：请按季度或年度计分\n"
    r = cli("score", example, "--month", "2021-05", *ASOF)
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", zh)
    (example / "records" / "2021-05.yaml").write_text(
        'period: "2021-05"\nscores: {}\n', encoding="utf-8")
    r = cli("score", example, "--month", "2021-05", *ASOF)
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", zh)
    r = cli("score", example, "--month", "2021-05", "--lang", "en", *ASOF)
    assert r.stderr == ("luoshi: no component of the scheme is assessed monthly (cadence: "
                        "monthly): score a quarter or the year\n")


def test_a_month_and_another_year_are_refused(cli: Cli) -> None:
    """`--month 2021-05 --year 2020` ignored --year; bulletin refuses it, so does score."""
    r = cli("score", EXAMPLE, "--month", "2021-05", "--year", "2020", *ASOF)
    assert (r.exit_code, r.stdout, r.stderr) == (
        2, "", "luoshi: --year 2020 与 --month 2021-05 的年份不一致\n")
    r = cli("score", EXAMPLE, "--month", "2021-5", "--year", "2020", "--lang", "en", *ASOF)
    assert (r.exit_code, r.stderr) == (2, "luoshi: --year 2020 does not match --month 2021-5\n")


def test_a_month_in_one_digit_or_full_width_is_the_month(cli: Cli) -> None:
    """`--month 2022-11` is what `2022-11`, `2022-11 ` and the full-width `２０２２－１１` (a
    Chinese input method's full-width mode) mean; `export --per-unit` took 2021-5
    while score refused it."""
    ledger = FIXTURES / "qingxin-monthly"
    asof = ("--as-of", "2022-12-31", "-f", "json")
    want = cli("score", ledger, "--month", "2022-11", *asof)
    assert want.exit_code == 0, want.stderr
    for typed in ("2022-11 ", "２０２２－１１", "２０２２-11"):
        r = cli("score", ledger, "--month", typed, *asof)
        assert (r.exit_code, r.stdout) == (0, want.stdout), typed
    r = cli("score", ledger, "--month", "2022-10", *asof)
    assert json.loads(r.stdout)["period"] == "2022-10"
    r = cli("score", ledger, "--month", "2022-9", "--lang", "en", *asof)  # read as 2022-09
    assert (r.exit_code, r.stderr) == (1, "luoshi: there is no record for 2022-09: add one "
                                          "with period: 2022-09 under records/\n")
    r = cli("score", ledger, "--month", "2022-13", "--lang", "en", *asof)
    assert (r.exit_code, r.stderr) == (
        2, "luoshi: --month 2022-13 is not valid: a month is 01–12\n")
