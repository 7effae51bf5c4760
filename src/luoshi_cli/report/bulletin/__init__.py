"""The bulletin (通报): a template context built from the ledger, then Jinja.

Why a context of plain, pre-formatted values: templates are edited by office
staff, not programmers.  Every figure arrives as the text that should be printed
(dates as 2024年5月31日, scores with exactly the scheme's decimals), so a template
only places values and cannot get a number format wrong.  The context is built
from the JSON document of `luoshi status` (SPEC §5), the period's `ScoreResult` (its
published figures as computed, never parsed back) and the ledger model (titles,
flags, deductions).

Pure: no printing, no "today"; the only I/O is reading template files (and,
for pdf, running Chromium).

The package: `words` (labels, number and date formats), `context` (the template
context), `markdown` (escaping), `templates` (lookup, staging of a ledger's
templates, Jinja), `docx` and `pdf` (the office formats).  Every public name is
importable from `luoshi_cli.report.bulletin` as before the split.
"""

from __future__ import annotations

from ...core.errors import TemplateProblem as TemplateProblem
from .context import Request, build_context, default_as_of
from .markdown import md_escape
from .templates import builtin_templates, render, template_name
from .words import (
    EDITIONS,
    FORMATS,
    LIGHT_LABELS,
    STATUS_LABELS,
    TEXT_FORMATS,
    bulletin_title,
    cn_number,
    fmt_date,
    fmt_num,
    fmt_places,
    pct,
    period_label,
)

__all__ = [
    "EDITIONS", "FORMATS", "LIGHT_LABELS", "STATUS_LABELS", "TEXT_FORMATS", "Request",
    "TemplateProblem", "build_context", "builtin_templates", "bulletin_title", "cn_number",
    "default_as_of", "fmt_date", "fmt_num", "fmt_places", "md_escape", "pct", "period_label",
    "render", "template_name",
]
