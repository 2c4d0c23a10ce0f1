"""Phrasing shared by the report's words: scores, shares, counts, ordinals, lists and names.

Small pure functions from numbers and names to plain text (the renderer escapes it): scores with
one decimal, shares as whole percentages that never round a part up to all or down to nothing,
counts in words where a sentence begins. They know nothing of the results dict; the facts read
from it live in :mod:`pmo_assess.report.text.facts`.
"""

from __future__ import annotations

from datetime import date

#: (singular, plural) nouns of the respondent roles; other roles are written as given.
ROLE_NOUNS = {
    "executive": ("executive", "executives"),
    "pmo": ("PMO member", "PMO members"),
    "project-manager": ("project manager", "project managers"),
    "team-member": ("team member", "team members"),
    "finance": ("finance respondent", "finance respondents"),
    "unspecified": ("respondent with no stated role", "respondents with no stated role"),
}
_SMALL = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def score_text(value: float | None) -> str:
    """A maturity score with one decimal.

    >>> score_text(2.4499), score_text(3), score_text(None)
    ('2.4', '3.0', 'no score')
    """
    return "no score" if value is None else f"{value:.1f}"


def percent(share: float) -> str:
    """A share as a whole percentage that never rounds a part up to all or down to nothing.

    >>> percent(0.912), percent(0.998), percent(0.002), percent(1.0), percent(0.0)
    ('91%', '99%', '1%', '100%', '0%')
    """
    value = round(share * 100)
    if 0 < share < 1:
        value = min(max(value, 1), 99)
    return f"{value}%"


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
    value = round(percentile)
    if value <= 0 or value >= 100:
        return "bottom of the group" if value <= 0 else "top of the group"
    return f"{ordinal(value)} percentile"


def ahead_of_text(percentile: float, peers: str = "peers") -> str:
    """The share of peers scoring below the client, as a phrase.

    >>> ahead_of_text(65.2), ahead_of_text(100, "synthetic peers"), ahead_of_text(0)
    ('ahead of 65% of peers', 'ahead of every one of its synthetic peers', 'behind all of its peers')
    """
    value = round(percentile)
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


def difference(high: float, low: float) -> str:
    """The difference of two scores as printed, so that the words add up.

    >>> difference(3.125, 2.894), difference(3.46, 2.04)  # 3.1 - 2.9, 3.5 - 2.0
    ('0.2', '1.5')
    """
    return score_text(round(high, 1) - round(low, 1))


def points(value: float) -> str:
    """A number of scale points, without a needless decimal.

    >>> points(2.0), points(1.5)
    ('2', '1.5')
    """
    return f"{value:g}" if value == int(value) else score_text(value)


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


def role_group(role: str, n: int) -> str:
    """A role's respondents as a group that names its size.

    >>> role_group("executive", 1), role_group("project-manager", 2)
    ('the executive', 'the 2 project managers')
    """
    one, many = ROLE_NOUNS.get(role, (role.replace("-", " "), role.replace("-", " ") + "s"))
    return f"the {one}" if n == 1 else f"the {n} {many}"


def roles_breakdown(by_role: dict[str, int]) -> str:
    """Respondents counted by role, as prose.

    >>> roles_breakdown({"executive": 1, "project-manager": 2})
    '1 executive and 2 project managers'
    """
    names = {
        r: ROLE_NOUNS.get(r, (r.replace("-", " "), r.replace("-", " ") + "s")) for r in by_role
    }
    return join_list([plural(n, *names[r]) for r, n in by_role.items()])


def change_text(before: float, after: float) -> str:
    """A score's change between two waves, as a phrase.

    >>> change_text(2.62, 2.89), change_text(3.1, 2.9), change_text(2.0, 2.02)
    ('risen from 2.6 to 2.9', 'fallen from 3.1 to 2.9', 'held steady at 2.0')
    """
    if abs(after - before) < 0.05:
        return f"held steady at {score_text(after)}"
    verb = "risen" if after > before else "fallen"
    return f"{verb} from {score_text(before)} to {score_text(after)}"


def signed(value: float) -> str:
    """A change in score with its sign.

    >>> signed(1.01), signed(-0.84)
    ('+1.0', '-0.8')
    """
    return f"{value:+.1f}"
