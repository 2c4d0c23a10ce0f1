"""Bring a survey export or long answers file into the store: read, check, then write it whole.

Nothing is written when any column matched no question (unless ignored), any value or role is
rejected, or on a dry run, which fails whenever the import would. The mapping used is merged into
the one kept in the workspace and applied again to the next wave
(:mod:`pmo_assess.store.import_mapping`). Respondents get anonymous codes unless their identity is
kept; the platform's response ids stay in the import's own record
(:mod:`pmo_assess.store.import_record`). Notes on a respondent or a dimension and the names of
the roles the mapping adds are written with the answers (:mod:`pmo_assess.store.notes`).

The wave is dated the day the survey closed: the latest completion date of the imported
responses, or the date given with ``--date``, which wins. A second import into a dated wave keeps
the later date, except that a date given with ``--date`` stays until ``--date`` is given again;
the store has no column for where a date came from, so those dates are listed in the workspace
(``wave-dates/<client>/<questionnaire>.json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.errors import PmoAssessError, Problem, RoleNeeded, ValidationError
from pmo_assess.core.workspace import check_slug, inside
from pmo_assess.importers import SurveyImport, read_survey
from pmo_assess.importers.completion import CompletionTimes, written
from pmo_assess.importers.mapping import RESPONDENT
from pmo_assess.importers.refusal import ImportRefused, ignored_line, refusals, relabelling
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.store.import_mapping import (
    MappingFiles,
    check_draft_path,
    mapping_files,
    write_draft,
)
from pmo_assess.store.import_record import (
    import_record_file,
    read_import_record,
    respondent_codes,
)
from pmo_assess.store.questionnaires import (
    check_engagement,
    chosen_questionnaire,
    keep_questionnaire,
)
from pmo_assess.store.records import NewNote, NewRespondent
from pmo_assess.store.repository import NewEngagement, Store

DEFAULT_QUESTIONNAIRE = "pmo-maturity"


def import_survey_file(
    store: Store,
    path: Path,
    client_slug: str,
    wave: str,
    *,
    questionnaire: str | None = None,
    fmt: str = "auto",
    mapping_path: Path | None = None,
    role: str | None = None,
    include_unfinished: bool = False,
    keep_identity: bool = False,
    held_on: date | None = None,
    dry_run: bool = False,
    ignore_unmatched: bool = False,
    write_mapping: Path | None = None,
    relabel: bool = False,
) -> str:
    """Import one file for a client and wave; returns the report to show the consultant.

    ``held_on`` dates the wave, whatever the export's completion times say. A column that
    matched no question refuses the import unless a mapping places it or ``ignore_unmatched``.
    A dry run raises :class:`ImportRefused` when the import would be refused; with
    ``write_mapping`` it first writes a draft mapping there. A long answers file that names
    another client or wave is refused unless ``relabel``.
    """
    client = store.client(client_slug)
    chosen = chosen_questionnaire(
        store.workspace, store.find_engagement(client.slug), questionnaire, DEFAULT_QUESTIONNAIRE
    )
    files = mapping_files(store.workspace, client.slug, chosen, mapping_path)
    check_draft_path(write_mapping, files, dry_run)
    options = {"format": fmt, "default_role": role, "include_unfinished": include_unfinished}
    survey, drafted = _read(path, chosen, files, write_mapping, options)
    notes = [*files.lines(), *drafted, *ignored_line(survey, ignore_unmatched)]
    engagement = store.find_engagement(client.slug, chosen.id)
    if engagement is not None:
        check_engagement(engagement, chosen)
    given_file = wave_dates_file(store, client.slug, chosen.id)
    dating = _dating(
        store, engagement.id if engagement else None, wave, given_file, survey, held_on
    )
    record = read_import_record(import_record_file(store.workspace, client.slug, chosen.id))
    codes, line = respondent_codes(
        store, engagement.id if engagement else None, wave, survey, record, keep_identity
    )
    notes += line
    problems = refusals(survey, ignore_unmatched, held_on)
    elsewhere, relabelled = relabelling(survey, client.slug, client.name, wave, relabel)
    problems, notes = [*elsewhere, *problems], [*notes, *relabelled]
    if dry_run:
        message = f"If imported: {dating.message[:1].lower()}{dating.message[1:]}"
        report = "\n".join([survey.summary(), *notes, message])
        if survey.answers.empty:
            problems.append(Problem(survey.source, "no answers to import"))
        if problems:
            raise ImportRefused(report, problems, survey.source)
        return f"{report}\nDry run: nothing was written."
    if problems:
        raise ValidationError(problems, what=f"{path} (nothing was imported)")
    if survey.answers.empty:
        raise PmoAssessError(f"{path}: no answers to import.\n{survey.summary()}")
    kind = "establish" if chosen.id == "pmo-readiness" else "optimize"
    answers = survey.answers.assign(respondent=survey.answers["respondent"].map(codes))
    people = _people(survey, keep_identity, codes)
    done = store.import_answers(
        engagement.id if engagement else NewEngagement(client.slug, chosen, kind),
        wave,
        people,
        answers,
        held_on=dating.held_on,
        notes=_notes(survey, codes),
        role_names=files.mapping.role_names if files.mapping else None,
    )
    if survey.platform != "long":
        record.saved(wave, survey.platform, survey.respondents, codes)
    if held_on is not None:
        _remember_given(given_file, wave, held_on)
    if questionnaire and Path(questionnaire).is_file():
        notes += keep_questionnaire(store.workspace, chosen, Path(questionnaire))
    notes += files.keep()
    return "\n".join(
        [
            survey.summary(),
            *notes,
            f"Imported into {client.slug}, wave {wave}: {done.respondents_added} new respondents, "
            f"{done.answers_added} answers added, {done.answers_changed} changed (earlier values kept), "
            f"{done.answers_unchanged} unchanged.{_notes_line(done.notes_stored)}",
            dating.message,
        ]
    )


def _read(
    path: Path,
    questionnaire: Questionnaire,
    files: MappingFiles,
    draft: Path | None,
    options: dict[str, Any],
) -> tuple[SurveyImport, list[str]]:
    """The export read with the mapping in use, and the draft mapping written when asked."""
    try:
        survey = read_survey(path, questionnaire, mapping=files.mapping, **options)
    except RoleNeeded as exc:
        if draft is None:
            raise
        # A draft needs the columns, not the roles: read again with a placeholder role.
        options = {**options, "default_role": "unspecified"}
        unroled = read_survey(path, questionnaire, mapping=files.mapping, **options)
        raise RoleNeeded(f"{exc}\n{write_draft(draft, unroled, files, questionnaire)}") from None
    return survey, [write_draft(draft, survey, files, questionnaire)] if draft else []


@dataclass(frozen=True)
class WaveDate:
    """The date a wave gets from an import (None: none), and the sentence that says why."""

    held_on: date | None
    message: str


def wave_date(
    label: str,
    before: date | None,
    by_hand: bool,
    given: date | None,
    completion: CompletionTimes | None,
) -> WaveDate:
    """The wave's date after an import: ``given`` (``--date``) wins; else a date given by hand
    earlier stays; else the later of the wave's date ``before`` and the last completion date.

    >>> from datetime import datetime
    >>> times = CompletionTimes("column C 'Completion time'", ((2, datetime(2026, 3, 14, 10)),))
    >>> wave_date("2026-Q1", None, False, None, times).message
    'Wave 2026-Q1 dated 14 March 2026, the last completion date of 1 response.'
    >>> wave_date("2026-Q1", date(2026, 3, 2), False, None, times).message
    "Wave 2026-Q1's date changed from 2 March 2026 to 14 March 2026, the last completion date of 1 response."
    """
    last = completion.last_date if completion else None
    count = len(completion.times) if completion else 0
    of = f"the last completion date of {count} response{'s' if count != 1 else ''}"
    if given is not None:
        return _dated(label, before, given, "as given with --date")
    if completion and completion.problems:
        return WaveDate(
            before,
            f"Wave {label} cannot be dated from the completion times (see above): the import "
            "is refused unless the wave's date is given with --date YYYY-MM-DD.",
        )
    if before is not None and (by_hand or last is None or before > last):
        why = ", given with --date" if by_hand else ""
        newer = f"; {of} is {written(last)}" if last and last != before else ""
        hint = ", pass --date to change it" if by_hand and newer else ""
        return WaveDate(
            before, f"Wave {label} keeps its date, {written(before)}{why}{newer}{hint}."
        )
    if last is None:
        return WaveDate(
            None,
            f"Wave {label} has no date: this file holds no completion times; give the wave's "
            "date with --date YYYY-MM-DD.",
        )
    return _dated(label, before, last, of)


def _dated(label: str, before: date | None, new: date, why: str) -> WaveDate:
    if before is None or before == new:
        return WaveDate(new, f"Wave {label} dated {written(new)}, {why}.")
    return WaveDate(
        new, f"Wave {label}'s date changed from {written(before)} to {written(new)}, {why}."
    )


def _dating(
    store: Store,
    engagement_id: int | None,
    label: str,
    given_file: Path,
    survey: SurveyImport,
    given: date | None,
) -> WaveDate:
    waves = store.waves(engagement_id) if engagement_id is not None else []
    before = next((w.held_on for w in waves if w.label == label), None)
    by_hand = before is not None and _given_dates(given_file).get(label) == before.isoformat()
    return wave_date(label, before, by_hand, given, survey.completion)


def wave_dates_file(store: Store, client_slug: str, questionnaire_id: str) -> Path:
    """Where the wave dates given with ``--date`` for a client's questionnaire are listed."""
    return inside(
        store.workspace, "wave-dates", check_slug(client_slug), f"{questionnaire_id}.json"
    )


def _given_dates(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PmoAssessError(
            f"{path} is not the JSON list of wave dates this tool writes ({exc}); delete it "
            "and give the dates again with --date."
        ) from None
    return {str(k): str(v) for k, v in listed.items()} if isinstance(listed, dict) else {}


def _remember_given(path: Path, label: str, held_on: date) -> None:
    listed = {**_given_dates(path), label: held_on.isoformat()}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(listed, indent=2, sort_keys=True) + "\n")


def _people(
    survey: SurveyImport, keep_identity: bool, codes: dict[str, str]
) -> list[NewRespondent]:
    source = "import" if survey.platform == "long" else "survey"
    return [
        NewRespondent(
            role=r.role,
            code=codes[r.code],
            name=r.name if keep_identity else None,
            email=r.email if keep_identity else None,
            source=source,
        )
        for r in survey.respondents
    ]


def _notes(survey: SurveyImport, codes: dict[str, str]) -> list[NewNote]:
    """The import's notes on respondents and dimensions, under the respondents' store codes."""
    file = Path(survey.source).name
    return [
        NewNote(
            codes[n.respondent],
            n.text,
            None if n.about == RESPONDENT else n.about,
            f"{file}, column '{n.column}'",
        )
        for n in survey.notes
    ]


def _notes_line(stored: int) -> str:
    if not stored:
        return ""
    return f" {stored} note{'s' if stored != 1 else ''} on respondents or dimensions stored."
