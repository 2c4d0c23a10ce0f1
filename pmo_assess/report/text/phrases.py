"""Phrasing shared by the report's words: scores, shares, counts, ordinals, lists and names.

Small pure functions from numbers and names to plain text (the renderer escapes it): shares as
whole percentages that never round a part up to all or down to nothing, counts in words where a
sentence begins, roles by the names the results give them. Scores are not here: how a score is
shown depends on the client's scale, so :mod:`pmo_assess.report.text.facts` formats them
(``shown``, ``of_top``, ``change_text``) by the one rounding rule of
:mod:`pmo_assess.core.rounding`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pmo_assess.core.rounding import percent_text, round_half_up
from pmo_assess.model.terms import RoleName, named_role

_SMALL = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def percent(share: float) -> str:
    """A share as a whole percentage (see :func:`pmo_assess.core.rounding.percent_text`).

    >>> percent(0.912), percent(0.998), percent(0.002), percent(1.0), percent(0.0)
    ('91%', '99%', '1%', '100%', '0%')
    """
    return percent_text(share)


def ordinal(n: int) -> str:
    """An ordinal number in digits.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 63, 101, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '63rd', '101st', '111th']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percentile_text(percentile: float) -> str:
    """A percentile rank in words; 0 and 100 as the ends of the group.

    >>> percentile_text(65.2), percentile_text(0.0), percentile_text(100.0)
    ('65th percentile', 'bottom of the group', 'top of the group')
    """
    value = int(round_half_up(percentile, 0))
    if value <= 0 or value >= 100:
        return "bottom of the group" if value <= 0 else "top of the group"
    return f"{ordinal(value)} percentile"


def ahead_of_text(percentile: float, peers: str = "peers") -> str:
    """The share of peers scoring below the client, as a phrase.

    >>> ahead_of_text(65.2), ahead_of_text(100, "synthetic peers"), ahead_of_text(0)
    ('ahead of 65% of peers', 'ahead of every one of its synthetic peers', 'behind all of its peers')
    """
    value = int(round_half_up(percentile, 0))
    if value >= 100:
        return f"ahead of every one of its {peers}"
    return f"behind all of its {peers}" if value <= 0 else f"ahead of {value}% of {peers}"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """A count with its noun, singular for one.

    >>> plural(1, "respondent"), plural(7, "respondent"), plural(2, "PMO member", "PMO members")
    ('1 respondent', '7 respondents', '2 PMO members')
    """
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


def counted(n: int, noun: str, nouns: str | None = None) -> str:
    """A count to begin a sentence with.

    >>> counted(1, "question"), counted(12, "dimension")
    ('One question', 'Twelve dimensions')
    """
    return f"{number_word(n, capital=True)} {noun if n == 1 else nouns or noun + 's'}"


def number_word(n: int, capital: bool = False) -> str:
    """A count in words, as a sentence must begin (digits from 100 on).

    >>> number_word(4), number_word(12, capital=True), number_word(30), number_word(62), number_word(120)
    ('four', 'Twelve', 'thirty', 'sixty-two', '120')
    """
    if n < 20:
        word = _SMALL[n]
    elif n < 100:
        word = _TENS[n // 10 - 2] + (f"-{_SMALL[n % 10]}" if n % 10 else "")
    else:
        word = str(n)
    return word[:1].upper() + word[1:] if capital else word


def join_list(items: list[str], plain: bool = False) -> str:
    """Items as prose: semicolons when an item has its own comma, a serial comma when an item
    has its own "and"; ``plain`` joins with commas whatever the items hold (quoted texts).

    >>> join_list(["A"]), join_list(["A", "B"]), join_list(["A", "B", "C"])
    ('A', 'A and B', 'A, B and C')
    >>> join_list(["Lessons, Knowledge", "Risk"]), join_list(["Tools and Templates", "Risk"])
    ('Lessons, Knowledge; and Risk', 'Tools and Templates, and Risk')
    """
    if len(items) < 2:
        return "".join(items)
    if not plain and any("," in item for item in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    serial = "," if not plain and any(" and " in item for item in items) else ""
    return ", ".join(items[:-1]) + f"{serial} and " + items[-1]


def date_text(iso: str | None) -> str | None:
    """An ISO date as people write it.

    >>> date_text("2026-08-03")
    '3 August 2026'
    """
    return None if iso is None else f"{date.fromisoformat(iso).day} {date.fromisoformat(iso):%B %Y}"


def cap(text: str) -> str:
    """The text with its first letter capitalised, the rest untouched.

    >>> cap("the PMO member")
    'The PMO member'
    """
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """The text with its first letter in lower case, unless it opens with an acronym.

    >>> lower_first("Higher project success rates"), lower_first("PMO reviews")
    ('higher project success rates', 'PMO reviews')
    """
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def role_group(role: str, n: int, names: Mapping[str, RoleName]) -> str:
    """A role's respondents as a group that names its size; ``names`` are the results' role
    names (:func:`pmo_assess.insight.contract.role_names`).

    >>> from pmo_assess.model.terms import ROLES
    >>> role_group("executive", 1, ROLES), role_group("project-manager", 2, ROLES)
    ('the executive', 'the 2 project managers')
    """
    name = named_role(role, names)
    return f"the {name.one}" if n == 1 else f"the {n} {name.many}"


def roles_breakdown(by_role: dict[str, int], names: Mapping[str, RoleName]) -> str:
    """Respondents counted by role, as prose.

    >>> from pmo_assess.model.terms import ROLES, RoleName
    >>> roles_breakdown({"executive": 1, "project-manager": 2}, ROLES)
    '1 executive and 2 project managers'
    >>> rep = RoleName("staff representative", "staff representatives", "Staff reps")
    >>> roles_breakdown({"staff-rep": 2}, {"staff-rep": rep})
    '2 staff representatives'
    """
    found = {role: named_role(role, names) for role in by_role}
    return join_list([plural(n, found[r].one, found[r].many) for r, n in by_role.items()])


def role_display(role: str, names: Mapping[str, RoleName]) -> str:
    """A role as a table labels its respondents.

    >>> from pmo_assess.model.terms import ROLES
    >>> role_display("pmo", ROLES), role_display("project-manager", ROLES)
    ('PMO staff', 'Project managers')
    >>> role_display("risk-officer", ROLES)  # a role without names: named from its slug
    'Risk officers'
    """
    return named_role(role, names).label


def all_of(n: int, capital: bool = False) -> str:
    """'both' for two, 'all 12' for more, as in "both dimensions", "all 12 dimensions".

    >>> all_of(2), all_of(12, capital=True)
    ('both', 'All 12')
    """
    word = "both" if n == 2 else f"all {n}"
    return cap(word) if capital else word


def none_of(n: int) -> str:
    """'Neither' for two, 'None of the 12' for more.

    >>> none_of(2), none_of(5)
    ('Neither of the 2', 'None of the 5')
    """
    return f"Neither of the {n}" if n == 2 else f"None of the {n}"
