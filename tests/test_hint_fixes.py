"""The hints of validate, followed literally (audit): the id a "did you mean" offers,
the id of a name written where the id belongs, the value a date, month or period
finding tells to write — a clerk who writes what the finding says gets a clean line,
not a second error (t01 → t21, a duplicate key) or a wrong date (2024-05-31)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


@pytest.fixture
def weinan(tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Path:
    """`luoshi init --example weinan`, the current directory (paths print as records/…)."""
    root = tmp_path / "weinan"
    assert cli("init", root, "--example", "weinan").exit_code == 0
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def beilin(tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Path:
    """`luoshi init --example beilin`, the current directory."""
    root = tmp_path / "beilin"
    assert cli("init", root, "--example", "beilin").exit_code == 0
    monkeypatch.chdir(root)
    return root


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def _found(cli: Callable[..., Run], rel: str, lang: str = "zh", *codes: str) -> list[str]:
    """The errors (and findings of `codes`) about `rel`, `file:line:col: severity code message`."""
    run = cli("validate", ".", "--lang", lang)
    return [line for line in run.stdout.splitlines()
            if line.startswith(f"{rel}:") and (" error " in line or
                                               any(f" {c} " in line for c in codes))]


def _clean(cli: Callable[..., Run], rel: str) -> None:
    assert _found(cli, rel) == []


# ---- F4: "did you mean" among equals -----------------------------------------------------

def test_an_item_without_its_leading_zero_is_offered_the_item_it_means(
        cli: Callable[..., Run], weinan: Path) -> None:
    """`t1: 4.5` for `t01`: difflib rates t21 as close as t01 and offered t21 (the larger
    string), a key already written beside it (writing it: LS011, a duplicate key)."""
    rec = "records/2021-Q1.yaml"
    _edit(weinan, rec, "training: {t01: 4.5,", "training: {t1: 4.5,")
    assert _found(cli, rec, "zh", "LS408") == [
        "records/2021-Q1.yaml:25:5: warning LS408 期间 2021-Q1：崇业路街道 的指标 大培训 缺少细项 "
        "t01 的得分，按 0 分计算",
        "records/2021-Q1.yaml:25:16: error LS114 chongyelu 的 training 引用了指标 training 中"
        "不存在的评分细项 t1（是不是 t01？）：请对照 scheme.yaml 改正"]
    assert _found(cli, rec, "en") == [
        "records/2021-Q1.yaml:25:16: error LS114 chongyelu / training names unknown checklist "
        "item t1 of training (did you mean t01?): check it against scheme.yaml"]
    _edit(weinan, rec, "training: {t1: 4.5,", "training: {t01: 4.5,")
    _clean(cli, rec)


def test_a_key_already_written_beside_is_not_offered(
        cli: Callable[..., Run], weinan: Path) -> None:
    """`t2o` for `t20`: t20, t21 and t02 are equally close; t21 (the larger string) was
    offered, though it is written in the same mapping."""
    rec = "records/2021-Q1.yaml"
    _edit(weinan, rec, "t20: 4.5, t21: 3}", "t2o: 4.5, t21: 3}")
    assert _found(cli, rec) == [
        "records/2021-Q1.yaml:25:190: error LS114 chongyelu 的 training 引用了指标 training 中"
        "不存在的评分细项 t2o（是不是 t20？）：请对照 scheme.yaml 改正"]
    _edit(weinan, rec, "t2o: 4.5", "t20: 4.5")
    _clean(cli, rec)


def test_a_task_id_without_its_zeros_is_offered_the_task_it_means(
        cli: Callable[..., Run], weinan: Path) -> None:
    """`tasks: [WN-9]`: WN-019 was offered (as close as WN-009 to difflib, and larger)."""
    sup = "supervision/2021.yaml"
    (weinan / "supervision").mkdir()
    (weinan / sup).write_text(
        "rectifications:\n"
        "  - id: ZG-2021-01\n"
        "    unit: chongyelu\n"
        "    tasks: [WN-9]\n"
        "    source: red_light\n"
        "    opened: 2021-06-12\n"
        "    due: 2021-06-30\n"
        "    closed: {date: 2021-06-28, approved_by: wang-shuji, evidence: 整改报告}\n",
        encoding="utf-8")
    assert _found(cli, sup) == [
        "supervision/2021.yaml:4:13: error LS116 整改 ZG-2021-01 引用了不存在的任务 WN-9"
        "（是不是 WN-009？）：请改正任务编号"]
    _edit(weinan, sup, "[WN-9]", "[WN-009]")
    _clean(cli, sup)


def test_equal_but_for_zeros_is_found_among_many_ids() -> None:
    """Among 20,000 ids (the one-deletion index, not difflib over all) `T-9` is two
    deletions from `T-00009` and is still offered it."""
    from luoshi_cli.checks.registry import near

    ids = {f"T-{n:05d}" for n in range(20000)}
    assert near("T-9", ids).en == " (did you mean T-00009?)"
    assert near("T-00100", {"T-100", "T-1000", "T-10"}).en == " (did you mean T-100?)"
