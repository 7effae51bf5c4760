"""`--edition public`: what the docs say the public edition leaves out is not in the
template context at all, so no template — a ledger's own or `--template FILE` — can
print it (REFERENCE "Public edition")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE, REPO, Run

KAOHE = REPO / "ledgers" / "beilin-2024-kaohe"

Cli = Callable[..., Run]


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every value a template can reach, with the path it reaches it by."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{path}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, value


def _context(root: Path, period: str, edition: str, unit: str | None) -> dict[str, Any]:
    from luoshi_cli import api

    kind = "quarter" if "-Q" in period else "year"
    end = date(int(period[:4]), 6, 30) if kind == "quarter" else date(int(period[:4]), 12, 31)
    led = api.checked(root, end, today=end).loaded.ledger
    return api.bulletin_context(led, api.bulletin_request(kind, period, edition=edition,
                                                          unit=unit))


CASES = [(EXAMPLE, "2021-Q2", None), (EXAMPLE, "2021-Q2", "dongqu"),
         (KAOHE, "2024-Q2", None), (KAOHE, "2024-Q2", "zhujianju"),
         (KAOHE, "2024-Q2", "baishulin"), (KAOHE, "2024", None)]


@pytest.mark.parametrize(("root", "period", "unit"), CASES,
                         ids=[f"{r.name}-{p}-{u or 'all'}" for r, p, u in CASES])
def test_public_context_holds_no_points_reasons_or_quota(root: Path, period: str,
                                                         unit: str | None) -> None:
    internal = _context(root, period, "internal", unit)
    public = _context(root, period, "public", unit)
    # what the internal edition prints of deductions and bonuses: their points, their
    # totals, their reasons; the ranking's scores and the quota sentences (ranks)
    secret: set[str] = set()
    for part in ("deductions", "bonuses"):
        sec = internal[part]
        if sec is None:
            continue
        secret.add(sec["total"])
        for e in sec["entries"]:
            secret.add(e["points"])
            if e["reason"]:
                secret.add(e["reason"])
    scores = internal["scores"]
    if scores is not None:
        secret.update(q for g in scores["groups"] for q in g["quota"])
        for r in scores["ranking"]:
            secret.update({r["score"], r["deductions"], *r["components"], *r["notes"]})
    secret.discard("—")
    assert secret  # the ledgers have something to hide
    leaked = [(p, v) for p, v in _leaves(public)
              if isinstance(v, str) and v and (v in secret or "顺延" in v
                                               or any(s in v for s in secret if len(s) > 5))]
    assert leaked == []
    for part in ("deductions", "bonuses"):
        if public[part] is not None:
            assert public[part]["total"] is None
            assert public[part]["entries"] is None
    if public["scores"] is not None:
        assert all(g["quota"] == [] for g in public["scores"]["groups"])
        assert all(b["quota"] == [] for b in public["scores"]["blocks"])


def test_kaohe_fixture_has_quota_deductions_and_bonuses() -> None:
    # the test above hides something real: the quota sentence, a deduction, a bonus
    internal = _context(KAOHE, "2024-Q2", "internal", None)
    assert internal["scores"]["groups"][0]["quota"] == ["优秀名额1个，第2名、第3名顺延为良好。"]
    assert internal["deductions"]["total"] == "2.00"
    assert internal["bonuses"]["total"] == "2.00"


def test_custom_template_cannot_print_public_points(cli: Cli, tmp_path: Path) -> None:
    tpl = tmp_path / "leak.md.j2"
    tpl.write_text("d={{ deductions.total }} b={{ bonuses.total if bonuses else '' }}\n"
                   "{% for g in scores.groups %}q={{ g.quota | length }}\n{% endfor %}",
                   encoding="utf-8")
    r = cli("bulletin", EXAMPLE, "--quarter", "Q2", "--edition", "public", "--unit",
            "dongqu", "--template", tpl)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "d= b=\n"
    r = cli("bulletin", KAOHE, "--quarter", "Q2", "--edition", "public", "--template", tpl)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "d= b=\nq=0\nq=0\n"
