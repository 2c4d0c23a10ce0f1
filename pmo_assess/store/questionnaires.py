"""The questionnaires a workspace keeps: one file per id and version, never overwritten.

A questionnaire is known by its id, version and digest (the sha256 of its content). An import
with ``--questionnaire FILE`` keeps a copy in ``<workspace>/questionnaires/<id>@<version>.yaml``,
with its ``.recommendations.yaml`` beside it; each engagement records the digest it was
assessed with, and later commands load exactly that file.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import inside
from pmo_assess.model.loading import (
    QuestionnaireFile,
    builtin_questionnaires,
    find_questionnaire,
    load_questionnaire,
    questionnaire_files,
)
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.store.records import Engagement

LIBRARY = ".recommendations.yaml"


def questionnaires_folder(workspace: Path) -> Path:
    """The folder of a workspace's own questionnaires."""
    return workspace / "questionnaires"


def engagement_questionnaire(workspace: Path, engagement: Engagement) -> Questionnaire:
    """The questionnaire an engagement was assessed with (by its digest, when recorded)."""
    return load_questionnaire(
        engagement.questionnaire_id,
        search=[questionnaires_folder(workspace)],
        digest=engagement.questionnaire_digest,
    )


def engagement_questionnaire_file(workspace: Path, engagement: Engagement) -> Path:
    """The file of the questionnaire an engagement was assessed with."""
    return find_questionnaire(
        engagement.questionnaire_id,
        search=[questionnaires_folder(workspace)],
        digest=engagement.questionnaire_digest,
    )


def check_keepable(workspace: Path, questionnaire: Questionnaire, given: Path) -> None:
    """Refuse a questionnaire file that would take the place of another: a built-in id with
    other content, or the id and version of a kept file whose content differs."""
    builtin = builtin_questionnaires().get(questionnaire.id)
    if builtin is not None:
        if load_questionnaire(builtin).digest != questionnaire.digest:
            raise PmoAssessError(
                f"{given}: the id '{questionnaire.id}' is a built-in questionnaire's ({builtin}) "
                "and cannot be replaced; give your questionnaire an id of its own (e.g. "
                f"'{questionnaire.id}-custom') in its 'id:' line and import again."
            )
        return
    clash = _same_version(workspace, questionnaire)
    if clash is not None and clash.digest != questionnaire.digest:
        raise PmoAssessError(
            f"{given}: questionnaire '{questionnaire.id}' version {questionnaire.version} differs "
            f"from the one this workspace keeps, {clash.path}, which clients were assessed with. "
            "Give the changed file a new 'version:' (or a new 'id:') and import again."
        )


def chosen_questionnaire(
    workspace: Path, engagement: Engagement | None, chosen: str | None, default: str
) -> Questionnaire:
    """The questionnaire an import uses: the file or id given (checked against the one the
    client's engagement was assessed with, and against the kept files), else the engagement's."""
    if not chosen:
        if engagement is not None:
            return engagement_questionnaire(workspace, engagement)
        return load_questionnaire(default, search=[questionnaires_folder(workspace)])
    if engagement is None or Path(chosen).is_file() or engagement.questionnaire_id != chosen:
        questionnaire = load_questionnaire(chosen, search=[questionnaires_folder(workspace)])
    else:
        questionnaire = engagement_questionnaire(workspace, engagement)
    if Path(chosen).is_file():
        check_keepable(workspace, questionnaire, Path(chosen))
    return questionnaire


def check_engagement(engagement: Engagement, questionnaire: Questionnaire) -> None:
    """Refuse answers to a questionnaire other than the one the engagement was assessed with
    (a built-in one may have been updated with the package: its id is enough)."""
    recorded = engagement.questionnaire_digest
    if recorded is None or recorded == questionnaire.digest:
        return
    if questionnaire.id in builtin_questionnaires():
        return
    raise PmoAssessError(
        f"Client '{engagement.client_slug}' was assessed with questionnaire "
        f"'{engagement.questionnaire_id}' version {engagement.questionnaire_version} "
        f"(digest {recorded[:12]}); {questionnaire.source or 'the file given'} is version "
        f"{questionnaire.version} (digest {questionnaire.digest[:12]}). Import with the "
        "questionnaire the client was assessed with, or give this one another id."
    )


def keep_questionnaire(workspace: Path, questionnaire: Questionnaire, given: Path) -> list[str]:
    """Copy a questionnaire file and its recommendations into the workspace (checked first
    with :func:`check_keepable`); the lines to show the consultant."""
    check_keepable(workspace, questionnaire, given)
    if questionnaire.id in builtin_questionnaires():
        return []
    kept = _same_version(workspace, questionnaire)
    target = kept.path if kept else _kept_name(workspace, questionnaire)
    if kept is None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(given, target)
    return _keep_library(given, target)


def _keep_library(given: Path, target: Path) -> list[str]:
    library = given.with_name(f"{given.stem}{LIBRARY}")
    beside = target.with_name(f"{target.stem}{LIBRARY}")
    if library.is_file():
        if not beside.is_file() or beside.read_bytes() != library.read_bytes():
            shutil.copyfile(library, beside)
        return []
    if beside.is_file():
        return []
    return [
        f"No recommendations library beside {given} (looked for {library.name}): the roadmap "
        f"of this questionnaire stays empty until one is put at {beside}."
    ]


def _same_version(workspace: Path, questionnaire: Questionnaire) -> QuestionnaireFile | None:
    files = questionnaire_files([questionnaires_folder(workspace)])
    same = [f for f in files if (f.id, f.version) == (questionnaire.id, questionnaire.version)]
    exact = [f for f in same if f.digest == questionnaire.digest]
    return next(iter(exact or same), None)


def _kept_name(workspace: Path, questionnaire: Questionnaire) -> Path:
    version = re.sub(r"[^A-Za-z0-9._-]", "-", questionnaire.version)
    return inside(workspace, "questionnaires", f"{questionnaire.id}@{version}.yaml")
