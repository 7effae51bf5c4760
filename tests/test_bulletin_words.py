"""What the bulletin says about units, rectifications and ledger text, in every format.

- 未参加排名: a unit the period assessed nothing of is named (as `score` names it),
  not dropped without a word — month, quarter; Markdown, HTML, Word; zh and en; and
  in its own notice (一单位一通报).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run, edit

Writer = Callable[..., Path]
Cli = Callable[..., Run]

QINGXIN = REPO / "tests" / "fixtures" / "scoring" / "qingxin-monthly"


# ---- 未参加排名 -------------------------------------------------------------------

@pytest.fixture
def unranked(tmp_path: Path) -> Path:
    """清新's monthly ledger with 区审计局 (sjj) assessed but under no component: the
    month's component applies to the eight others, and sjj leads no task — nothing of
    it is scored in any month or quarter."""
    root = tmp_path / "qingxin"
    shutil.copytree(QINGXIN, root)
    edit(root / "units.yaml", "  - {id: cgj, name: 区城市管理综合执法局, kind: 部门}\n",
         "  - {id: cgj, name: 区城市管理综合执法局, kind: 部门}\n"
         "  - {id: sjj, name: 区审计局, kind: 部门, assessed: true}\n")
    edit(root / "scheme.yaml", "    weight: 40\n    cadence: monthly\n",
         "    weight: 40\n    cadence: monthly\n"
         "    applies_to: {units: [taihe, taiping, sankeng, heyun, gxj, jtj, wjj, cgj]}\n")
    return root


def _scored_none(cli: Cli, root: Path, *period: str) -> None:
    r = cli("score", root, *period)
    assert r.exit_code == 0, r.stderr
    assert "未参加排名（本期没有可计分的指标）：区审计局" in r.stdout


@pytest.mark.parametrize(("period", "label"), [
    (("--month", "2022-10"), "2022年10月"), (("--quarter", "Q4"), "2022年第四季度"),
    (("--annual", "--allow-missing"), "2022年度")])
def test_the_bulletin_names_the_units_not_ranked(cli: Cli, unranked: Path,
                                                  period: tuple[str, str], label: str) -> None:
    _scored_none(cli, unranked, *(p.replace("--allow-missing", "--partial") for p in period))
    r = cli("bulletin", unranked, *period)
    assert (r.exit_code, r.stderr) == (0, "")
    said = f"以下单位{label}没有可计分的考核指标，未参加排名：区审计局。"
    assert said in r.stdout
    # in the ranking section, after the sentence saying how many units were assessed
    part = r.stdout[r.stdout.index("考核排名情况"):]
    assert part.index("个单位") < part.index(said) < part.index("等次情况")
    html = cli("bulletin", unranked, *period, "--format", "html")
    assert f"<p>{said}</p>" in html.stdout
    en = cli("bulletin", unranked, *period, "--lang", "en")
    assert "Not ranked (nothing of theirs was assessed in " in en.stdout
    assert "): 区审计局." in en.stdout
    en_html = cli("bulletin", unranked, *period, "--lang", "en", "--format", "html")
    assert "): 区审计局.</p>" in en_html.stdout


def test_the_word_bulletin_names_them_too(cli: Cli, unranked: Path, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    out = tmp_path / "b.docx"
    r = cli("bulletin", unranked, "--month", "2022-10", "-o", out)
    assert r.exit_code == 0, r.stderr
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "以下单位2022年10月没有可计分的考核指标，未参加排名：区审计局。" in text


def test_a_units_notice_says_it_is_not_ranked(cli: Cli, unranked: Path) -> None:
    own = cli("bulletin", unranked, "--month", "2022-10", "--unit", "sjj")
    assert own.exit_code == 0, own.stderr
    assert "本单位2022年10月没有可计分的考核指标，未参加排名。" in own.stdout
    other = cli("bulletin", unranked, "--month", "2022-10", "--unit", "gxj")
    assert other.exit_code == 0, other.stderr
    assert "未参加排名" not in other.stdout and "区审计局" not in other.stdout


def test_no_sentence_when_every_unit_is_ranked(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "qingxin"
    shutil.copytree(QINGXIN, root)
    r = cli("bulletin", root, "--month", "2022-10")
    assert r.exit_code == 0, r.stderr
    assert "未参加排名" not in r.stdout
