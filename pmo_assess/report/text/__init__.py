"""The report's words: the executive summary, action titles, the engagement frame and the notes.

Each function takes the results dict of one client and wave (``ClientResults.to_dict()``) and
returns plain text (the renderer escapes it). This is the module the report reads its words
from; it re-exports them from the modules that write them, one floor down:
:mod:`pmo_assess.report.text.summary` (the executive summary), :mod:`pmo_assess.report.text.titles`
(action titles), :mod:`pmo_assess.report.text.sources` (exhibit source lines),
:mod:`pmo_assess.report.text.frame` (the engagement frame) and :mod:`pmo_assess.report.text.notes` (the
appendix notes), which share the facts of :mod:`pmo_assess.report.text.facts` and the phrasing of
:mod:`pmo_assess.report.text.phrases`.
"""

from __future__ import annotations

from pmo_assess.report.text.frame import FrameStep, engagement_frame, functions_in_scope_text
from pmo_assess.report.text.notes import methodology_notes
from pmo_assess.report.text.sources import exhibit_source
from pmo_assess.report.text.summary import Priority, Summary, executive_summary
from pmo_assess.report.text.titles import (
    ActionTitle,
    agreement_title,
    gap_title,
    heatmap_title,
    peer_title,
    radar_title,
    roadmap_title,
    role_gap_title,
    scorecard_title,
    trend_title,
)

__all__ = [
    "ActionTitle",
    "FrameStep",
    "Priority",
    "Summary",
    "agreement_title",
    "engagement_frame",
    "executive_summary",
    "exhibit_source",
    "functions_in_scope_text",
    "gap_title",
    "heatmap_title",
    "methodology_notes",
    "peer_title",
    "radar_title",
    "roadmap_title",
    "role_gap_title",
    "scorecard_title",
    "trend_title",
]
