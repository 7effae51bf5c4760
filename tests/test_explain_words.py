"""`score --explain` in the words a unit reads (newcomer audit on ledgers shaped like
the seeds): a flag rule names the flag (黄牌, not `yellow_card`), a monthly leaf's
quarter is a mean of *months*, a month with no task due is not 不适用, a leaf that
does not weigh quality says nothing of a missing quality, and a unit that is not
ranked is told why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from test_scoring_v2 import CONFIG, GRADES, task, units_yaml

SCHEME = ("id: t\ntitle: 测试考核\ncomponents:\n"
          "  - {id: monthly, name: 月度任务, weight: 60, cadence: monthly, source: tasks,"
          " timeliness: 100, quality: 0}\n"
          "  - {id: survey, name: 季度测评, weight: 40}\n" + GRADES
          + "rules:\n  - {id: yc, when: {flag: yellow_card}, interview: true, note: 黄牌约谈}\n")


@pytest.fixture
def ledger(write: Callable[..., Path]) -> Path:
    """a leads T-1 (due 05-31, done 05-30); no task is due in April or June.  The Q2
    record scores a and b and gives a a 黄牌 (进度滞后); c is in units.yaml only."""
    return write({
        "luoshi.yaml": CONFIG, "units.yaml": units_yaml(["a", "b", "c"]),
        "scheme.yaml": SCHEME, "tasks/t.yaml": task("T-1", "a", "2021-05-31", "2021-05-30"),
        **{f"records/2021-0{m}.yaml": f"period: \"2021-0{m}\"\n" for m in (4, 5, 6)},
        "records/2021-Q2.yaml": "period: 2021-Q2\nscores:\n  a: {survey: 80}\n"
                                "  b: {survey: 90}\n"
                                "flags:\n  - {unit: a, kind: yellow_card, reason: 进度滞后}\n"})


def explain(cli: Any, ledger: Path, unit: str, *lang: str) -> Any:
    return cli("score", ledger, "--quarter", "Q2", "--as-of", "2021-07-31",
               "--explain", unit, *lang)


def test_the_explanation_speaks_of_months_flags_and_no_missing_quality(
        cli: Any, ledger: Path) -> None:
    """a: monthly = mean of May's 100 alone (April and June had no task due) → 60%;
    survey 80 → 40% × 80 = 32; 60 + 32 = 92."""
    zh = explain(cli, ledger, "a")
    assert zh.exit_code == 0, zh.stderr
    lines = zh.stdout.splitlines()
    assert [x.split(None, 1)[1] for x in lines if x.startswith("月度任务")] == [
        "60      60.00   100.00   60.00   月度平均：2021-04 无到期任务 · 2021-05 100.00 · "
        "2021-06 无到期任务"]
    assert "规则“黄牌约谈”（黄牌：进度滞后）列入约谈：优秀（等次不变）" in lines
    en = explain(cli, ledger, "a", "--lang", "en").stdout
    assert ("mean of months: 2021-04 no task due · 2021-05 100.00 · 2021-06 no task due"
            in en)
    assert "(yellow card: 进度滞后)" in en
    # May: the task's line, without a word of the quality the leaf does not weigh
    for lang, words in (("zh", "到期节点 1 个，按时完成 1 个 → 时效 100.00"),
                        ("en", "1/1 milestones on time → timeliness 100.00")):
        may = cli("score", ledger, "--month", "2021-05", "--as-of", "2021-07-31",
                  "--explain", "a", "--lang", lang)
        (line,) = [x for x in may.stdout.splitlines() if "T-1" in x]
        assert line.rstrip().endswith(words), line


def test_a_unit_not_ranked_is_told_why(cli: Any, ledger: Path) -> None:
    r = explain(cli, ledger, "c")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("luoshi: --explain c：单位c（c）在 2021-Q2 没有参加考核排名：它不是考核对象："
                        "没有任何考核记录为它打分，也没有任务计入它名下\n")


def test_a_rule_note_holding_quotes_is_quoted_as_chinese_typesetting_wants(
        cli: Any, ledger: Path) -> None:
    """A note “…” inside the explanation's own “…”: the inner pair turns to ‘…’ (it
    printed 规则“黄牌“约谈””)."""
    scheme = ledger / "scheme.yaml"
    scheme.write_text(scheme.read_text(encoding="utf-8").replace(
        "note: 黄牌约谈", "note: 黄牌“约谈”"), encoding="utf-8")
    lines = explain(cli, ledger, "a").stdout.splitlines()
    assert "规则“黄牌‘约谈’”（黄牌：进度滞后）列入约谈：优秀（等次不变）" in lines


def test_a_units_notice_asks_whether_it_is_ranked_by_id_not_by_name(
        cli: Any, ledger: Path) -> None:
    """May ranks the units its tasks credit: a (T-1) and b (T-2); c is `assessed: true`
    with no task, so not ranked in May — and has b's name (a slip LS119 warns of).  b's
    notice said 本单位…未参加排名, matching c by name (review)."""
    units = ledger / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace(
        "{id: c, name: 单位c}", "{id: c, name: 单位b, assessed: true}"), encoding="utf-8")
    tasks = ledger / "tasks" / "t.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8") + task("T-2", "b", "2021-05-31"),
                     encoding="utf-8")

    def notice(unit: str) -> str:
        r = cli("bulletin", ledger, "--month", "2021-05", "--unit", unit,
                "--as-of", "2021-07-31")
        assert r.exit_code == 0, r.stderr
        return str(r.stdout)

    assert "未参加排名" not in notice("b")
    assert "未参加排名" in notice("c")
