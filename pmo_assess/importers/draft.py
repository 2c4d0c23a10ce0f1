"""A draft mapping from a dry run: every entry of the mapping in use, then what the import could
not place, each left empty for the consultant to decide, with the closest match as a commented
suggestion. Passed back with ``--mapping``, an entry still empty is refused with its line.
"""

from __future__ import annotations

import textwrap

from pmo_assess.importers.base import column_letter, fold
from pmo_assess.importers.mapping import ImportMapping
from pmo_assess.importers.mapping_yaml import Entry, entries, render
from pmo_assess.importers.result import RoleHints, SurveyImport, UnknownAnswer, UnmatchedColumn
from pmo_assess.model.questionnaire import Questionnaire

_WIDTH = 96  # characters of a header comment line


def draft_mapping(
    survey: SurveyImport, mapping: ImportMapping | None, questionnaire: Questionnaire
) -> tuple[str, int]:
    """The draft's text and how many of its values are left to fill in."""
    mapping = mapping or ImportMapping()
    sections = entries(mapping)
    role_column = mapping.role_column or survey.roles.column or survey.roles.likely
    sections["columns"] += [
        _column(c) for c in survey.unmatched_columns if c.header != survey.roles.likely
    ]
    sections["options"] += [_option(a, questionnaire) for a in survey.unknown_answers]
    sections["roles"] += _roles(survey.roles, mapping)
    blanks = sum(e.value is None for section in sections.values() for e in section)
    header = _header(survey, questionnaire, mapping, blanks)
    return render(header, sections, role_column, _role_comment(survey.roles, mapping)), blanks


def _header(
    survey: SurveyImport, questionnaire: Questionnaire, mapping: ImportMapping, blanks: int
) -> list[str]:
    roles = ", ".join(mapping.vocabulary().names)
    paragraphs = [
        f"Draft mapping for {survey.source} ({survey.platform}), questionnaire "
        f"{questionnaire.id}, written by pmo-assess import --dry-run --write-mapping. "
        f"{blanks} value{'s' if blanks != 1 else ''} left empty: fill each in (a suggestion is "
        "the closest match), then import with --mapping FILE.",
        'A column maps to a question id, ignore, "note: respondent", "note: <dimension id>" '
        'or "note: <question id>". An answer maps to an option label or value.',
        f'Roles: {roles}; add others under role_names, e.g. risk-officer: "Risk officer".',
    ]
    wrapped = (textwrap.wrap(text, _WIDTH, break_on_hyphens=False) for text in paragraphs)
    return [line for lines in wrapped for line in lines]


def _column(column: UnmatchedColumn) -> Entry:
    where = f"column {column_letter(column.position)} matched no question"
    closest = [f"- {qid}: {text}" for qid, text in column.closest]
    suggestion = column.closest[0][0] if column.closest else None
    return Entry(column.header, None, (f"{where}; closest:", *closest), suggestion)


def _option(answer: UnknownAnswer, questionnaire: Questionnaire) -> Entry:
    question = questionnaire.question(answer.question_id)
    allowed = questionnaire.answer_sets[question.answer_set].describe()
    comment = f"answer to {answer.question_id} ({answer.where}); answers: {allowed}"
    return Entry(answer.text, None, (comment,), answer.suggestion)


def _roles(roles: RoleHints, mapping: ImportMapping) -> list[Entry]:
    ruled = {fold(text) for text in mapping.roles}
    found = [f for f in roles.found if fold(f.text) not in ruled]
    return [
        Entry(f.text, f.role)
        if f.role
        else Entry(
            f.text,
            None,
            (f"not a known role; closest: {', '.join(f.closest) or 'none'}",),
            f.closest[0] if f.closest else None,
        )
        for f in found
    ]


def _role_comment(roles: RoleHints, mapping: ImportMapping) -> str:
    if mapping.role_column or roles.column:
        return ""
    return (
        "looks like the respondents' roles; delete this line if it is not" if roles.likely else ""
    )
