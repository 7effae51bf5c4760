"""The assessment scheme applied to a period (SPEC §4, §10): scores, grades, ranks.

A package since scheme v2: `engine` (the tree, leaves, events, the period),
`grades` (ranking, interview marks, ranking groups, grade quotas), `rules` (the
conditions registry and the order of actions), `bonuses` (加分, cap, ceiling).  Every public
name stays importable from `luoshi_cli.ops.scoring`.
"""

from __future__ import annotations

from ...core.numbers import publish
from .bonuses import BonusLine, capped, final_score
from .engine import (
    CREDITS,
    Events,
    Incident,
    ItemLine,
    Leaf,
    LeafFn,
    Part,
    ScoreResult,
    ScoringError,
    TaskIndex,
    TaskIndexes,
    TaskLine,
    UnitScore,
    build_tree,
    counts_in,
    grade_of,
    parse_period,
    period_events,
    period_flags,
    record_leaf,
    record_warnings,
    remember_keys,
    result_json,
    role_of,
    score_period,
    task_quality,
    tasks_by_credit,
    tasks_leaf,
    tree_score,
    weighted,
    why_unranked,
)
from .grades import QuotaNote, apply_quotas, group_of, rank
from .rules import CONDITIONS, Facts, RuleStep, apply_rules, held

__all__ = [
    "CONDITIONS",
    "CREDITS",
    "BonusLine",
    "Events",
    "Facts",
    "Incident",
    "ItemLine",
    "Leaf",
    "LeafFn",
    "Part",
    "QuotaNote",
    "RuleStep",
    "ScoreResult",
    "ScoringError",
    "TaskIndex",
    "TaskIndexes",
    "TaskLine",
    "UnitScore",
    "apply_quotas",
    "apply_rules",
    "build_tree",
    "capped",
    "counts_in",
    "final_score",
    "grade_of",
    "group_of",
    "held",
    "parse_period",
    "period_events",
    "period_flags",
    "publish",
    "rank",
    "record_leaf",
    "record_warnings",
    "remember_keys",
    "result_json",
    "role_of",
    "score_period",
    "task_quality",
    "tasks_by_credit",
    "tasks_leaf",
    "tree_score",
    "weighted",
    "why_unranked",
]
