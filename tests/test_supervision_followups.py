"""The talks held after a period that follow its ranking, in that period's bulletin.

An interview may name the ranking it follows (`period: 2024-Q4`, `"2024-12"`, `2024`,
a luoshi extension of SPEC §12): the fourth quarter's and the year's talks are held in
January–March of the next year and recorded in the year's ledger.  The 督办情况 part
counts the talks *dated* in the period, so those talks were in no bulletin of the
ledger at all.  The bulletin of a period that contains the period a talk names, made
with an as-of on or after the talk's date, now says so after the existing sentence
(针对本期考核排名，此后约谈N次…) — in Markdown, HTML and Word, zh and en.

The ledger: 碑林 2024 (`luoshi init --example beilin`) with these talks, in this order
in supervision/2024.yaml (units.yaml's order: 区发改委 fgw 2nd, 区商务局 shangwuju 4th,
区教育局 jiaoyuju 6th, 南院门街道 7th, 柏树林街道 8th, 长乐坊街道 9th):

  #1 区教育局   2024-11-20 约谈提醒 period 2024-Q3   (dated in the year and in Q4)
  #2 区商务局   2024-12-10 提醒谈话 (no period)
  #3 区教育局   2025-01-12 约谈提醒 period 2024-Q4
  #4 区发改委   2025-01-12 约谈提醒 period 2024-Q4   (same day as #3, written after it)
  #5 柏树林街道 2025-01-20 警示约谈 period 2024
  #6 南院门街道 2025-01-25 约谈提醒 period "2024-12"
  #7 长乐坊街道 2025-03-05 约谈提醒 period 2024      (after every as-of used here)

Kinds are listed in code-point order (提 U+63D0 < 约 U+7EA6 < 警 U+8B66), units by the
date of their first talk, units.yaml's order within a day (#4's 区发改委 before #3's
区教育局), as the existing sentence does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, edit

SUPERVISION = """\
interviews:
  - {unit: jiaoyuju, date: 2024-11-20, kind: 约谈提醒, reason: 三季度排名靠后, period: 2024-Q3}
  - {unit: shangwuju, date: 2024-12-10, kind: 提醒谈话, reason: 两项任务亮红灯}
  - {unit: jiaoyuju, date: 2025-01-12, kind: 约谈提醒, reason: 四季度排名靠后, period: 2024-Q4}
  - {unit: fgw, date: 2025-01-12, kind: 约谈提醒, reason: 四季度排名靠后, period: 2024-Q4}
  - {unit: baishulin, date: 2025-01-20, kind: 警示约谈, reason: 年度排名靠后, period: 2024}
  - {unit: nanyuanmen, date: 2025-01-25, kind: 约谈提醒, reason: 十二月排名靠后, period: "2024-12"}
  - {unit: changlefang, date: 2025-03-05, kind: 约谈提醒, reason: 年度排名靠后, period: 2024}
rectifications: []
"""

AS_OF = "2025-02-28"

# the year 2024: held in it #1, #2 (2: 提醒谈话 #2, 约谈提醒 #1; 区教育局 11-20 before
# 区商务局 12-10); after it, up to 28 February 2025, naming 2024 or a part of it:
# #3, #4, #6 约谈提醒 (3) and #5 警示约谈 (1) = 4 — #1 is dated in the year and
# counted there only, #7 is after the as-of
YEAR_HELD_ZH = "2024年度共约谈2次（提醒谈话1次、约谈提醒1次），涉及区教育局、区商务局。"
YEAR_AFTER_ZH = "针对本期考核排名，此后约谈4次（约谈提醒3次、警示约谈1次），涉及区发改委、区教育局、柏树林街道、南院门街道。"
YEAR_HELD_EN = "2 interviews held in 2024 (提醒谈话: 1, 约谈提醒: 1): 区教育局, 区商务局."
YEAR_AFTER_EN = ("4 interviews held after 2024, following its rankings (约谈提醒: 3, 警示约谈: 1): "
                 "区发改委, 区教育局, 柏树林街道, 南院门街道.")


@pytest.fixture
def ledger(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    root = tmp_path / "beilin"
    run = cli("init", root, "--example", "beilin")
    assert run.exit_code == 0, run.stderr
    (root / "supervision").mkdir()
    (root / "supervision" / "2024.yaml").write_text(SUPERVISION, encoding="utf-8")
    return root


def _bulletin(cli: Callable[..., Run], root: Path, *args: str) -> str:
    run = cli("bulletin", root, *args)
    assert run.exit_code == 0, run.stderr
    return run.stdout


def test_ledger_is_clean(ledger: Path, cli: Callable[..., Run]) -> None:
    """The talks are what an office writes: the January–March talks naming a ranking
    of 2024 are not LS706, none is dated before its period ends (LS712).  One warning:
    #6 names December's ranking, and 碑林's scheme ranks quarters and the year only
    (LS713: 应约谈 counts that talk for no ranking; the bulletin still counts it as
    written)."""
    run = cli("validate", ledger, "--as-of", "2025-03-31", "--strict")
    assert (run.exit_code, run.stdout) == (1, (
        "supervision/2024.yaml:7:79: warning LS713 约谈（南院门街道）所依的 period 2024-12 "
        "是月度排名，但考核办法不作月度排名（只作季度、年度排名）：应约谈不会把这次约谈算作任何"
        "排名的约谈，请把 period 改为它所依的排名，如 2024-Q4 或 2024\n")), run.stderr


def test_year_bulletin_md(ledger: Path, cli: Callable[..., Run]) -> None:
    """Year 2024 at 28 February 2025: 2 talks held in the year, 4 after it (see
    YEAR_*): six talks, #1–#6, each counted once; #7 (5 March) is not yet held."""
    zh = _bulletin(cli, ledger, "--annual", "--as-of", AS_OF)
    assert f"## 四、督办情况\n\n{YEAR_HELD_ZH}{YEAR_AFTER_ZH}\n" in zh
    en = _bulletin(cli, ledger, "--annual", "--as-of", AS_OF, "--lang", "en")
    assert f"## 4. Supervision\n\n{YEAR_HELD_EN} {YEAR_AFTER_EN}\n" in en


def test_year_bulletin_before_the_talks(ledger: Path, cli: Callable[..., Run]) -> None:
    """At the year's end (the default as-of) no talk after it is held yet: the part
    says what it said before, with no follow-up sentence."""
    zh = _bulletin(cli, ledger, "--annual")
    assert f"## 四、督办情况\n\n{YEAR_HELD_ZH}\n" in zh
    assert "此后约谈" not in zh


def test_year_bulletin_html(ledger: Path, cli: Callable[..., Run]) -> None:
    zh = _bulletin(cli, ledger, "--annual", "--as-of", AS_OF, "--format", "html")
    assert f"<p>{YEAR_HELD_ZH}{YEAR_AFTER_ZH}</p>" in zh
    en = _bulletin(cli, ledger, "--annual", "--as-of", AS_OF, "--format", "html",
                   "--lang", "en")
    assert f"<p>{YEAR_HELD_EN} {YEAR_AFTER_EN}</p>" in en


@pytest.mark.parametrize(("lang", "text"), [("zh", YEAR_HELD_ZH + YEAR_AFTER_ZH),
                                            ("en", f"{YEAR_HELD_EN} {YEAR_AFTER_EN}")])
def test_year_bulletin_docx(ledger: Path, cli: Callable[..., Run], tmp_path: Path,
                            lang: str, text: str) -> None:
    """The Word bulletin has both sentences in one paragraph, as the templates do."""
    docx = pytest.importorskip("docx")
    out = tmp_path / f"b-{lang}.docx"
    _bulletin(cli, ledger, "--annual", "--as-of", AS_OF, "--lang", lang, "-o", str(out))
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert text in paragraphs


def test_quarter_bulletin(ledger: Path, cli: Callable[..., Run]) -> None:
    """Q4 2024 at 28 February 2025: held in Q4 #1 (11-20, naming Q3: counted by its
    date here) and #2 → 2; after Q4 naming Q4 or one of its months: #3, #4 (2024-Q4)
    and #6 (2024-12) → 3 约谈提醒; #5 names the year, which is not inside Q4.  Two
    rankings followed (Q4's and December's): "rankings"."""
    zh = _bulletin(cli, ledger, "--quarter", "Q4", "--year", "2024", "--as-of", AS_OF)
    assert ("2024年第四季度共约谈2次（提醒谈话1次、约谈提醒1次），涉及区教育局、区商务局。"
            "针对本期考核排名，此后约谈3次（约谈提醒3次），涉及区发改委、区教育局、南院门街道。\n") in zh
    en = _bulletin(cli, ledger, "--quarter", "Q4", "--year", "2024", "--as-of", AS_OF,
                   "--lang", "en")
    assert ("2 interviews held in Q4 2024 (提醒谈话: 1, 约谈提醒: 1): 区教育局, 区商务局. "
            "3 interviews held after Q4 2024, following its rankings (约谈提醒: 3): "
            "区发改委, 区教育局, 南院门街道.\n") in en


def test_month_bulletin_takes_only_its_month(ledger: Path, cli: Callable[..., Run]) -> None:
    """December 2024 at 28 February 2025: held in it #2 → 1 提醒谈话; after it naming
    "2024-12": #6 alone → 1.  The quarter's talks (#3, #4: 2024-Q4) and the year's
    (#5) follow rankings of more than the month: not this bulletin's."""
    zh = _bulletin(cli, ledger, "--month", "2024-12", "--as-of", AS_OF)
    assert ("2024年12月共约谈1次（提醒谈话1次），涉及区商务局。"
            "针对本期考核排名，此后约谈1次（约谈提醒1次），涉及南院门街道。\n") in zh
    en = _bulletin(cli, ledger, "--month", "2024-12", "--as-of", AS_OF, "--lang", "en")
    assert ("1 interview held in December 2024 (提醒谈话: 1): 区商务局. "
            "1 interview held after December 2024, following its ranking (约谈提醒: 1): "
            "南院门街道.\n") in en


def test_period_without_talks_shows_its_followups(ledger: Path,
                                                 cli: Callable[..., Run]) -> None:
    """Q3 2024 at 28 February 2025: no talk dated in Q3 (0), and #1 — dated
    2024-11-20, after Q3, naming 2024-Q3 — follows its ranking → 1.  The part is
    shown, with both sentences.  (#1 is in the Q4 and year bulletins by its date.)"""
    zh = _bulletin(cli, ledger, "--quarter", "Q3", "--year", "2024", "--as-of", AS_OF)
    assert ("## 四、督办情况\n\n2024年第三季度共约谈0次。"
            "针对本期考核排名，此后约谈1次（约谈提醒1次），涉及区教育局。\n") in zh


def test_unit_notice_keeps_to_its_unit(ledger: Path, cli: Callable[..., Run]) -> None:
    """区教育局's notice for 2024 at 28 February 2025: its #1 held in the year (1), its
    #3 after it (1); the other units' talks are not in it."""
    zh = _bulletin(cli, ledger, "--annual", "--as-of", AS_OF, "--unit", "jiaoyuju")
    assert ("2024年度共约谈1次（约谈提醒1次），涉及区教育局。"
            "针对本期考核排名，此后约谈1次（约谈提醒1次），涉及区教育局。\n") in zh
    assert "区发改委" not in zh.split("督办情况")[1]


def test_followup_unit_names_are_escaped(ledger: Path, cli: Callable[..., Run]) -> None:
    """A unit's name is ledger text: escaped in the follow-up sentence as in the rest
    of the bulletin (md_escape: `\\<`, `\\*`; HTML: `&lt;`)."""
    edit(ledger / "units.yaml", "name: 南院门街道,", 'name: "南院门<b>*街道*",')
    md = _bulletin(cli, ledger, "--month", "2024-12", "--as-of", AS_OF)
    assert "此后约谈1次（约谈提醒1次），涉及南院门\\<b\\>\\*街道\\*。\n" in md
    html = _bulletin(cli, ledger, "--month", "2024-12", "--as-of", AS_OF, "--format", "html")
    assert "此后约谈1次（约谈提醒1次），涉及南院门&lt;b&gt;*街道*。</p>" in html
    assert "<b>" not in html


def test_a_talk_after_the_grace_months_is_not_counted(ledger: Path,
                                                      cli: Callable[..., Run]) -> None:
    """A talk of 6 April 2025 naming 2024 is LS706 (a slip: the year's rankings are
    followed up by 31 March); the year's bulletin made at 30 April counted it among
    the talks after the year (此后约谈6次), while validate called it a slip.  Now the
    bulletin asks LS706's question: #7 (5 March) counts, the April talk does not."""
    path = ledger / "supervision" / "2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "rectifications: []\n",
        "  - {unit: shangwuju, date: 2025-04-06, kind: 约谈提醒, reason: 年度排名靠后, "
        "period: 2024}\nrectifications: []\n"), encoding="utf-8")
    r = cli("validate", ledger, "--as-of", "2025-04-30")
    assert "2025-04-06 不在台账年度 2024 内" in r.stdout
    zh = _bulletin(cli, ledger, "--annual", "--as-of", "2025-04-30")
    assert ("针对本期考核排名，此后约谈5次（约谈提醒4次、警示约谈1次），涉及区发改委、区教育局、"
            "柏树林街道、南院门街道、长乐坊街道。") in zh
