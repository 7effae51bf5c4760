"""A unit written by its short name (`short:` in units.yaml, 发改委 for 区发改委), and a
talk that names its unit by name, in the checks (found by a fix-helper's audit).

The ledger: tests/cases/valid/supervision with `short: 发改委` for fgw."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import Run, edit

CASE = Path(__file__).parent / "cases" / "valid" / "supervision" / "ledger"


def _ledger(tmp_path: Path) -> Path:
    root = tmp_path / "sv"
    shutil.copytree(CASE, root)
    edit(root / "units.yaml", "{id: fgw, name: 区发改委, kind: department}",
         "{id: fgw, name: 区发改委, short: 发改委, kind: department}")
    return root


def _lines(cli: Callable[..., Run], root: Path, *args: str) -> list[str]:
    run = cli("validate", root, *args)
    return [x for x in run.stdout.splitlines() if " LS" in x and "LS601" not in x]


def test_a_unit_written_by_its_short_name_is_told_the_id(cli: Callable[..., Run],
                                                         tmp_path: Path) -> None:
    """`unit: 发改委` (fgw's short name) said "did you mean fgw (区发改委)? add the unit
    to units.yaml, or correct the spelling" — following the first half makes a second
    区发改委.  Now it says whose short name it is and the id to write, as a full name
    (区发改委) always did; in a task's lead too."""
    root = _ledger(tmp_path)
    edit(root / "supervision" / "2024.yaml", "  - {unit: fgw, date: 2024-04-12",
         "  - {unit: 发改委, date: 2024-04-12")
    edit(root / "tasks" / "econ.yaml", "lead: fgw", "lead: 发改委")
    lines = _lines(cli, root, "--as-of", "2024-06-30")
    assert [x for x in lines if "LS110" in x] == [
        "supervision/2024.yaml:2:12: error LS110 约谈（发改委，2024-04-12）引用了不存在的单位 "
        "发改委（发改委 是单位 fgw 的简称）：请写 fgw",
        "tasks/econ.yaml:4:9: error LS110 任务 T-001 引用了不存在的单位 发改委（发改委 是单位 "
        "fgw 的简称）：请写 fgw"]
    en = _lines(cli, root, "--as-of", "2024-06-30", "--lang", "en")
    assert en[0].endswith("(发改委 is the short name of unit fgw): write fgw"), en[0]


def test_a_short_name_two_units_share_names_neither(cli: Callable[..., Run],
                                                    tmp_path: Path) -> None:
    """Guard: a short name two units give is no one unit's: the usual hint."""
    root = _ledger(tmp_path)
    edit(root / "units.yaml", "{id: jiaoyuju, name: 区教育局, kind: department}",
         "{id: jiaoyuju, name: 区教育局, short: 发改委, kind: department}")
    edit(root / "supervision" / "2024.yaml", "  - {unit: fgw, date: 2024-04-12",
         "  - {unit: 发改委, date: 2024-04-12")
    lines = _lines(cli, root, "--as-of", "2024-06-30")
    assert "的简称" not in " ".join(lines) and "请写 fgw" not in " ".join(lines)


def test_a_talk_naming_its_unit_by_name_does_not_move_the_next_rectification(
        cli: Callable[..., Run], tmp_path: Path) -> None:
    """A January talk over the year's ranking, its unit written 区发改委 (LS110: 请写
    fgw), and the rectification it opened on 2025-01-15 (`source: interview`): the
    rectification also got LS706 "opened outside the ledger's year 2024: correct the
    date", because the talk was looked up under 区发改委.  The talk counts for the
    unit LS110's fix names, as the rest of the supervision checks count it: one
    fault, one finding."""
    root = _ledger(tmp_path)
    sup = root / "supervision" / "2024.yaml"
    edit(sup, "interviews:\n", "interviews:\n  - {unit: 区发改委, date: 2025-01-10, kind: 约谈, "
         'by: 区委督查室, reason: 年度排名末位, period: "2024"}\n')
    sup.write_text(sup.read_text(encoding="utf-8") + (
        "  - id: ZG-2024-03\n    unit: fgw\n    source: interview\n"
        "    opened: 2025-01-15\n    due: 2025-02-28\n"), encoding="utf-8")
    assert _lines(cli, root, "--as-of", "2025-01-20") == [
        "supervision/2024.yaml:2:12: error LS110 约谈（区发改委，2025-01-10）引用了不存在的单位 "
        "区发改委（区发改委 是单位 fgw 的名称）：请写 fgw",
        "supervision/2024.yaml:10:10: warning LS702 整改 ZG-2024-01（区发改委）：整改期限 "
        "2024-05-31 已过 234 天仍未销号：请督促整改并登记 closed，或经批准延期"]
    # the fix followed: the same, without the LS110
    edit(sup, "{unit: 区发改委, date: 2025-01-10", "{unit: fgw, date: 2025-01-10")
    assert [x for x in _lines(cli, root, "--as-of", "2025-01-20") if "LS7" in x
            and "LS702" not in x] == []


def test_a_list_written_as_text_names_a_short_name_as_one(cli: Callable[..., Run],
                                                          tmp_path: Path) -> None:
    """`units: 发改委、张家村街道` (the list written as text): the hint called 发改委 the
    name of fgw, while LS110 on the same value calls it the short name (review)."""
    root = _ledger(tmp_path)
    edit(root / "tasks" / "econ.yaml", "  units: [zhangjiacun]", "  units: 发改委、张家村街道")
    assert [x for x in _lines(cli, root, "--as-of", "2024-06-30") if "LS103" in x] == [
        "tasks/econ.yaml:5:10: error LS103 units 应为列表（如 [a, b]），实际是文本（发改委 是单位 "
        "fgw 的简称，张家村街道 是 zhangjiacun 的名称）：请写 [fgw, zhangjiacun]"]
    assert next(x for x in _lines(cli, root, "--as-of", "2024-06-30", "--lang", "en")
                if "LS103" in x).endswith(
        "(发改委 is the short name of unit fgw, 张家村街道 of zhangjiacun): "
        "write [fgw, zhangjiacun]")
