"""One vocabulary: a status, a light or a number reads the same in every output.

`closing` used to be 销号中 in `luoshi status` and 待销号 in the bulletin and the Excel
export; every renderer now takes its words from `core.labels`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import luoshi_cli
from conftest import Run
from luoshi_cli.core import labels

LIGHTS = Path(__file__).resolve().parent / "fixtures" / "status" / "lights"


def test_status_table_says_closing_as_the_bulletin_does(cli: Callable[..., Run]) -> None:
    r = cli("status", LIGHTS, "--as-of", "2024-05-31")
    assert r.exit_code == 0, r.stderr
    assert "按状态       未启动 1，推进中 12，已完成 0，待销号 1，已销号 1，暂缓 1\n" in r.stdout
    assert "销号中" not in r.stdout


def test_every_renderer_uses_the_same_words() -> None:
    from luoshi_cli.excel import columns
    from luoshi_cli.report import bulletin, status

    for lang in ("zh", "en"):
        words = labels.words(labels.STATUS, lang)
        assert bulletin.STATUS_LABELS[lang] == words
        assert {k: labels.say(v, lang) for k, v in status.STATUS_LABELS.items()} == words
        assert {k: labels.say(v, lang) for k, v in columns.STATUS_LABELS.items()} == words
        assert {k: labels.say(v, lang) for k, v in status.LIGHT_LABELS.items()} == \
            {k: v for k, v in bulletin.LIGHT_LABELS[lang].items() if k is not None}
    assert labels.say(labels.STATUS["closing"], "zh") == "待销号"
    assert labels.status_label("closing", "zh") == "待销号"
    assert labels.status_label(None, "en") == "—"
    assert labels.light_label("yellow", "en") == "yellow"


#: where a status word may still be written: the labels, the finding messages (whole
#: sentences), and the importer's list of words it recognises in an office's sheet
#: (synonyms, and its error message)
WORD_HOMES = {"core/labels.py", "core/codes.py", "excel/columns.py", "excel/import_tasks.py"}


def test_no_other_module_spells_a_status() -> None:
    pkg = Path(luoshi_cli.__file__).parent
    words = {v.zh for v in labels.STATUS.values()} | {"销号中"}
    found = set()
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg).as_posix()
        if rel in WORD_HOMES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
                and n.body and isinstance(n.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docs):
                found |= {(rel, w) for w in words if w in node.value}
    assert found == set()


def test_number_texts() -> None:
    assert labels.fixed(Decimal("95.2"), 2) == "95.20"
    assert labels.fixed(Decimal("22.625"), 2) == "22.63"  # half-up, not half-even
    assert labels.plain(Decimal("35.00")) == "35"
    assert labels.plain(Decimal("28.50")) == "28.5"
    assert labels.as_written(Decimal("35.00")) == "35"
    assert labels.as_written(Decimal("28.50")) == "28.50"
    assert labels.json_number(Decimal("95.20")) == 95.2
    assert isinstance(labels.json_number(Decimal("95.00")), int)


def test_as_written_keeps_every_digit_of_a_whole_number() -> None:
    """A message quotes a number as the office wrote it: 35.00 → 35, 3.5E+1 → 35,
    and a 5,000-digit 999…9 stays 999…9 (Decimal.normalize rounds it to the
    context's 28 digits, 1000…0 with 5,001 digits: what LS403 used to quote)."""
    from decimal import Decimal

    from luoshi_cli.core.labels import as_written

    assert as_written(Decimal("35.00")) == "35"
    assert as_written(Decimal("3.5E+1")) == "35"
    assert as_written(Decimal("28.50")) == "28.50"
    assert as_written(Decimal("9" * 5000)) == "9" * 5000


def test_int_text_past_pythons_limit() -> None:
    """`int_text`: exact up to about 200,000 digits (str() refuses past 4,300), then
    the leading digits and the power of ten."""
    from luoshi_cli.core.numbers import int_text

    assert int_text(-12) == "-12"
    assert int_text(10**5000 - 1) == "9" * 5000
    assert int_text(-(10**5000 - 1) // 9) == "-" + "1" * 5000
    assert int_text(3 * 10**300_000) == "3.00000e+300000"
