"""The report's sections as commentary anchors: the id a piece of commentary is kept under, the
``ReportBook`` method whose cell in ``report.ipynb`` draws the section, and the title a
commentary file heads it with.

The ids are the section anchors the report's HTML already has (``#summary``, ``#scorecard``,
...), plus ``cover`` and ``contents`` for the front matter. A test keeps this table in step with
the template notebook's cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    """A report section a piece of commentary can follow."""

    id: str
    method: str
    title: str


#: Every section, in the order the report shows them. "The engagement's frame" stands for the
#: section headed "Establishing the PMO" or "Optimizing the PMO", whichever the client's is.
ANCHORS = (
    Anchor("cover", "cover", "Cover"),
    Anchor("contents", "contents", "Contents"),
    Anchor("summary", "executive_summary", "Executive summary"),
    Anchor("scorecard", "scorecard", "Scorecard"),
    Anchor("profile", "maturity_profile", "Maturity against target"),
    Anchor("questions", "question_detail", "Question by question"),
    Anchor("agreement", "agreement", "Where respondents disagree"),
    Anchor("peers", "peers", "Position against peers"),
    Anchor("trend", "trend", "Progress since the baseline"),
    Anchor("roadmap", "roadmap", "Improvement roadmap"),
    Anchor("frame", "engagement_frame", "The engagement's frame"),
    Anchor("method", "methodology", "Method and data quality"),
)
#: Cells with these tags never reach the report (the template's notes and parameters).
HIDDEN_TAGS = {"remove-from-report", "parameters", "injected-parameters"}
_BY_ID = {a.id: a for a in ANCHORS}
_BY_METHOD = {a.method: a for a in ANCHORS}
_SECTION_CALL = re.compile(r"\s*report\.(\w+)\(\)\s*")


def title_of(anchor_id: str) -> str:
    """The title of the section with this id (the id itself for one this version lacks)."""
    found = _BY_ID.get(anchor_id)
    return found.title if found else anchor_id


def order(anchor_id: str) -> int:
    """Where the section comes in the report (0 for the cover; unknown ids last)."""
    return list(_BY_ID).index(anchor_id) if anchor_id in _BY_ID else len(_BY_ID)


def section_of_cell(source: str) -> str | None:
    """The anchor a code cell of the template draws (``report.scorecard()`` -> ``scorecard``).

    >>> section_of_cell("report.executive_summary()"), section_of_cell("x = 1")
    ('summary', None)
    """
    call = _SECTION_CALL.fullmatch(source)
    found = _BY_METHOD.get(call.group(1)) if call else None
    return found.id if found else None


def by_title(text: str) -> Anchor | None:
    """The section a commentary file's heading names: its title or id, any case and spacing.

    >>> by_title("  executive   SUMMARY ").id, by_title("trend").id, by_title("Summary table")
    ('summary', 'trend', None)
    """
    wanted = " ".join(text.split()).casefold().replace("\u2019", "'")
    for candidate in ANCHORS:
        if wanted in (candidate.title.casefold(), candidate.id):
            return candidate
    return None
