"""The fixed words of an engagement: its kinds, where a respondent's answers came from, and the
states of a decision on a roadmap action. The store keeps them; the engagement steps check them.
"""

from __future__ import annotations

#: What an engagement does: establish a PMO, or optimize one that exists.
ENGAGEMENT_KINDS = ("establish", "optimize")
#: How a respondent's answers reached the store.
RESPONDENT_SOURCES = ("interview", "survey", "import")
#: The states of a roadmap action, the first (nobody has decided yet) for a new one.
ACTION_STATUSES = ("proposed", "accepted", "in-progress", "done", "dropped")

#: How a respondent role is labelled in tables and charts (a group of its respondents); a role not
#: listed is shown as written, with dashes as spaces.
ROLE_LABELS = {
    "executive": "Executives",
    "pmo": "PMO staff",
    "project-manager": "Project managers",
    "team-member": "Team members",
    "finance": "Finance",
    "unspecified": "No role recorded",
}
