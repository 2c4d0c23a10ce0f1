"""The fixed words of an engagement: its kinds, where a respondent's answers came from, the states
of a decision on a roadmap action, and the respondent roles with their display names. The store
keeps them; the engagement steps check them; the report and charts write the roles' names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: What an engagement does: establish a PMO, or optimize one that exists.
ENGAGEMENT_KINDS = ("establish", "optimize")
#: How a respondent's answers reached the store.
RESPONDENT_SOURCES = ("interview", "survey", "import")
#: The states of a roadmap action, the first (nobody has decided yet) for a new one.
ACTION_STATUSES = ("proposed", "accepted", "in-progress", "done", "dropped")


@dataclass(frozen=True)
class RoleName:
    """How a role is written: one respondent and several in a sentence, and a group's label.

    The label is not always the plural capitalised: several PMO members are "PMO staff".
    """

    one: str  # "the PMO member"
    many: str  # "2 PMO members"
    label: str  # a table row or chart legend: "PMO staff"


#: The respondent roles an import accepts, by slug (the README lists them). A survey's role
#: values match a slug or any of its names, ignoring case; a mapping file may add roles with
#: their names (``role_names``). ``unspecified`` is a respondent whose role was not recorded.
ROLES: dict[str, RoleName] = {
    "executive": RoleName("executive", "executives", "Executives"),
    "sponsor": RoleName("sponsor", "sponsors", "Sponsors"),
    "pmo": RoleName("PMO member", "PMO members", "PMO staff"),
    "portfolio-manager": RoleName("portfolio manager", "portfolio managers", "Portfolio managers"),
    "programme-manager": RoleName("programme manager", "programme managers", "Programme managers"),
    "project-manager": RoleName("project manager", "project managers", "Project managers"),
    "team-member": RoleName("team member", "team members", "Team members"),
    "line-manager": RoleName("line manager", "line managers", "Line managers"),
    "finance": RoleName("finance respondent", "finance respondents", "Finance"),
    "unspecified": RoleName(
        "respondent with no stated role", "respondents with no stated role", "No role recorded"
    ),
}

#: How a role is labelled in tables and charts (a group of its respondents); a role not listed is
#: shown as written, with dashes as spaces.
ROLE_LABELS = {slug: name.label for slug, name in ROLES.items()}


def named_role(role: str, names: Mapping[str, RoleName] = ROLES) -> RoleName:
    """A role's names: those ``names`` give it (the vocabulary's by default), else names made
    from its slug the way a mapping's ``role_names`` makes them from one display name.

    >>> named_role("pmo").label, named_role("risk-officer")
    ('PMO staff', RoleName(one='risk officer', many='risk officers', label='Risk officers'))
    """
    if role in names:
        return names[role]
    one = role.replace("-", " ")
    return RoleName(one, f"{one}s", f"{one[:1].upper()}{one[1:]}s")
