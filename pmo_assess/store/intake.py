"""Bring a survey export or long answers file into the store: read, check, then write it whole.

Nothing is written when any value is rejected or on a dry run. The mapping file used is kept in
the workspace (``mappings/<client>/<questionnaire>.yaml``) and applied again to the next wave.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.errors import PmoAssessError, ValidationError
from pmo_assess.core.workspace import check_slug, inside
from pmo_assess.importers import ImportMapping, SurveyImport, load_mapping, read_survey
from pmo_assess.model.loading import builtin_questionnaires, load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import Store

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
    dry_run: bool = False,
) -> str:
    """Import one file for a client and wave; returns the report to show the consultant."""
    client = store.client(client_slug)
    chosen = _questionnaire(store, client.slug, questionnaire)
    kept = mapping_file(store, client.slug, chosen.id)
    mapping = _mapping(mapping_path, kept, chosen)
    survey = read_survey(
        path,
        chosen,
        format=fmt,
        mapping=mapping,
        default_role=role,
        include_unfinished=include_unfinished,
    )
    notes = (
        [f"Using the mapping kept from an earlier import: {kept}"]
        if mapping and not mapping_path
        else []
    )
    if dry_run:
        return "\n".join([survey.summary(), *notes, "Dry run: nothing was written."])
    if survey.rejected:
        raise ValidationError(survey.rejected, what=f"{path} (nothing was imported)")
    if survey.answers.empty:
        raise PmoAssessError(f"{path}: no answers to import.\n{survey.summary()}")
    engagement = store.find_engagement(client.slug, chosen.id) or store.start_engagement(
        client.slug, chosen, kind="establish" if chosen.id == "pmo-readiness" else "optimize"
    )
    done = store.import_answers(engagement.id, wave, _people(survey, keep_identity), survey.answers)
    _keep_questionnaire(store, chosen, questionnaire)
    if mapping_path is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(kept, mapping_path.read_text(encoding="utf-8"))
        notes.append(f"Mapping kept for the next wave: {kept}")
    return "\n".join(
        [
            survey.summary(),
            *notes,
            f"Imported into {client.slug}, wave {wave}: {done.respondents_added} new respondents, "
            f"{done.answers_added} answers added, {done.answers_changed} changed (earlier values kept), "
            f"{done.answers_unchanged} unchanged.",
        ]
    )


def mapping_file(store: Store, client_slug: str, questionnaire_id: str) -> Path:
    """Where a client's mapping for a questionnaire is kept in the workspace."""
    return inside(store.workspace, "mappings", check_slug(client_slug), f"{questionnaire_id}.yaml")


def _questionnaire(store: Store, client_slug: str, chosen: str | None) -> Questionnaire:
    search = [store.workspace / "questionnaires"]
    if chosen:
        return load_questionnaire(chosen, search=search)
    engagement = store.find_engagement(client_slug)
    return load_questionnaire(
        engagement.questionnaire_id if engagement else DEFAULT_QUESTIONNAIRE, search=search
    )


def _mapping(given: Path | None, kept: Path, questionnaire: Questionnaire) -> ImportMapping | None:
    if given is not None:
        return load_mapping(given, questionnaire)
    return load_mapping(kept, questionnaire) if kept.is_file() else None


def _people(survey: SurveyImport, keep_identity: bool) -> list[NewRespondent]:
    source = "import" if survey.platform == "long" else "survey"
    return [
        NewRespondent(
            role=r.role,
            code=r.code,
            name=r.name if keep_identity else None,
            email=r.email if keep_identity else None,
            source=source,
        )
        for r in survey.respondents
    ]


def _keep_questionnaire(store: Store, questionnaire: Questionnaire, given: str | None) -> None:
    """Copy a questionnaire given as a file into the workspace, so later commands find it by id."""
    if not given or not Path(given).is_file() or questionnaire.id in builtin_questionnaires():
        return
    target = inside(store.workspace, "questionnaires", f"{questionnaire.id.replace('-', '_')}.yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(given, target)
