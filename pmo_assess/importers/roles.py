"""Respondent roles in a survey import: the column that holds them and how a cell's text becomes
a role of the vocabulary (:mod:`pmo_assess.importers.role_names`).

Without a mapping, a column is read as roles when its header names the respondent's role ("What
is your role?", "Role") and it matches no question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pmo_assess.core.errors import Problem, RoleNeeded, ValidationError
from pmo_assess.importers.base import Response, SurveyColumn, fold
from pmo_assess.importers.mapping import ImportMapping
from pmo_assess.importers.matching import QuestionIndex
from pmo_assess.importers.result import FoundRole
from pmo_assess.importers.role_names import Vocabulary

_LIKELY_WORDS = ("role", "position", "job title")  # a column a draft mapping suggests


@dataclass(frozen=True)
class Roles:
    """Each respondent's role: from the role column (through the mapping's ``roles``), else the
    default role."""

    column: SurveyColumn | None
    mapping: ImportMapping
    vocabulary: Vocabulary
    default: str | None

    def of(self, response: Response) -> tuple[str | None, str | None]:
        """The respondent's role, or None with why not (None too when blank without default)."""
        text = response.cell(self.column.position) if self.column else ""
        return self.of_text(text) if text else (self.default, None)

    def of_text(self, text: str) -> tuple[str | None, str | None]:
        """The role a role-column cell gives, or None with why it is refused."""
        rule = self.mapping.role_rule(text)
        role = self.vocabulary.role(rule if rule is not None else text)
        return (role, None) if role else (None, self.vocabulary.unknown(text))

    def missing(self) -> str:
        """Why a respondent without a role is left out."""
        where = self.column.describe() if self.column else "the role column"
        return (
            f"no role: {where} is blank; fill it in, or pass --role ROLE to give respondents "
            "without one that role"
        )

    def found(self, responses: Sequence[Response]) -> tuple[FoundRole, ...]:
        """Each distinct text of the role column, with the role it gives (None: unknown)."""
        if self.column is None:
            return ()
        texts = dict.fromkeys(r.cell(self.column.position) for r in responses)
        return tuple(_found(t, self) for t in texts if t)


def _found(text: str, roles: Roles) -> FoundRole:
    role, _ = roles.of_text(text)
    return FoundRole(text, role, () if role else tuple(roles.vocabulary.closest(text)))


def role_column(
    columns: Sequence[SurveyColumn],
    mapping: ImportMapping | None,
    index: QuestionIndex,
    name: str,
) -> tuple[SurveyColumn | None, str]:
    """The column holding the respondents' roles, and how it was found ("" when there is none):
    the mapping's ``role_column``, else the one column whose header names a role."""
    if mapping is not None and mapping.role_column is not None:
        return _mapped(columns, mapping, name), "role_column in the mapping"
    found = [c for c in columns if _names_a_role(c.header) and _free(c, mapping, index)]
    if len(found) > 1:
        listed = " and ".join(c.describe() for c in found)
        raise ValidationError(
            [
                Problem(
                    name,
                    f"{listed} could each hold the respondents' roles; name the one that does as "
                    "role_column in a mapping file, and map the other to a question or ignore",
                )
            ],
            what=name,
        )
    return (found[0], "its header names a role") if found else (None, "")


def likely_role_column(
    columns: Sequence[SurveyColumn], mapping: ImportMapping | None, index: QuestionIndex
) -> SurveyColumn | None:
    """A column that looks like it holds roles ("Position", "Job title"), for hints only."""
    words = [c for c in columns if any(w in fold(c.header) for w in _LIKELY_WORDS)]
    return next((c for c in words if _free(c, mapping, index)), None)


def no_role(name: str, likely: SurveyColumn | None) -> RoleNeeded:
    """The error for an export whose respondents have no role."""
    hint = f' (e.g. role_column: "{likely.header}")' if likely else ""
    return RoleNeeded(
        f"{name}: no role for the respondents. Pass --role ROLE to give them all one role, "
        f"or map the column that holds each respondent's role in a mapping file{hint}."
    )


def _names_a_role(header: str) -> bool:
    # "What is your role?" or "Role", but not a question about roles such as "What role do
    # certifications play here?"
    words = fold(header).split()
    return "role" in words and (len(words) <= 4 or "your role" in " ".join(words))


def _free(column: SurveyColumn, mapping: ImportMapping | None, index: QuestionIndex) -> bool:
    mapped = mapping.column_target(column.names) if mapping else None
    return not column.metadata and mapped is None and index.find(column) is None


def _mapped(columns: Sequence[SurveyColumn], mapping: ImportMapping, name: str) -> SurveyColumn:
    for column in columns:
        if mapping.is_role_column(column.names):
            return column
    wanted = mapping.role_column
    headers = ", ".join(f"'{' '.join(c.header.split())}'" for c in columns if not c.metadata)
    raise ValidationError(
        [
            Problem(
                mapping.locate("role_column", str(wanted)),
                f"role_column '{wanted}' is not a column of {name}; its columns: {headers}",
            )
        ],
        what=mapping.source or "the mapping",
    )
