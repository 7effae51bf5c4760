"""Checks over an assembled ledger: two registries of small functions (`registry`)
and one module of rules per area.  Importing the package registers every rule, in
the order below; the rule modules import the registry, never this package, so no
module imports its own importer.
"""

from __future__ import annotations

# importing the modules registers their checks, in this order
from . import decompose, records, refs, rhythm, scheme, supervision, tasks  # noqa: F401
from .registry import (
    CHECKS,
    TASK_CHECKS,
    Check,
    Context,
    TaskCheck,
    TaskContext,
    check,
    check_tasks,
    near,
    run_checks,
    task_check,
)

__all__ = ["CHECKS", "TASK_CHECKS", "Check", "Context", "TaskCheck", "TaskContext", "check",
           "check_tasks", "near", "run_checks", "task_check"]
