"""The mapping a survey import uses: the one kept in the workspace for the client's questionnaire
(``mappings/<client>/<questionnaire>.yaml``) merged with the one given (``--mapping``); kept again
after a real import, never shrunk by a smaller file; and the draft a dry run writes
(``--write-mapping``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import check_slug, inside
from pmo_assess.importers import ImportMapping, SurveyImport, load_mapping
from pmo_assess.importers.draft import draft_mapping
from pmo_assess.importers.merge import MergedMapping, kept_text, merge_mappings, same_entries
from pmo_assess.model.questionnaire import Questionnaire


@dataclass(frozen=True)
class MappingFiles:
    """The kept and given mapping files of an import, and the mapping merged from them."""

    kept: Path
    given: Path | None
    given_mapping: ImportMapping | None
    merged: MergedMapping

    @property
    def mapping(self) -> ImportMapping | None:
        """The mapping the import reads the export with."""
        return self.merged.mapping

    def lines(self) -> list[str]:
        """What the report says about the mapping used."""
        if self.given is None:
            return (
                [f"Using the mapping kept from an earlier import: {self.kept}"]
                if (self.mapping)
                else []
            )
        if not self.kept.is_file():
            return []
        if not self.merged.grew:
            return [f"{self.given} adds nothing to the mapping kept in {self.kept}."]
        added, changed = len(self.merged.added), len(self.merged.changed)
        return [
            f"{self.given} merged into the mapping kept in {self.kept}: {added} "
            f"{'entry' if added == 1 else 'entries'} added, {changed} changed (the kept entries "
            "it does not name stay)",
            *(f"  changed: {c}" for c in self.merged.changed),
        ]

    def keep(self) -> list[str]:
        """Keep the mapping for the next wave, after a real import; the report's line."""
        if self.given is None or self.mapping is None:
            return []
        fresh = not self.kept.is_file()
        if fresh or (self.given_mapping and same_entries(self.mapping, self.given_mapping)):
            text = self.given.read_text(encoding="utf-8")  # as written, with its comments
        else:
            text = kept_text(self.mapping)
        write_text_atomic(self.kept, text)
        return [f"Mapping kept for the next wave: {self.kept}"]


def mapping_file(workspace: Path, client_slug: str, questionnaire_id: str) -> Path:
    """Where a client's mapping for a questionnaire is kept in the workspace."""
    return inside(workspace, "mappings", check_slug(client_slug), f"{questionnaire_id}.yaml")


def mapping_files(
    workspace: Path, client_slug: str, questionnaire: Questionnaire, given: Path | None
) -> MappingFiles:
    """Load the kept and the given mapping (each checked against the questionnaire) and merge."""
    kept = mapping_file(workspace, client_slug, questionnaire.id)
    old = load_mapping(kept, questionnaire) if kept.is_file() else None
    new = load_mapping(given, questionnaire) if given is not None else None
    return MappingFiles(kept, given, new, merge_mappings(old, new))


def check_draft_path(draft: Path | None, files: MappingFiles, dry_run: bool) -> None:
    """Refuse a draft path that would lose a file: a draft never overwrites a mapping it did not
    carry the entries of, nor the kept one."""
    if draft is None:
        return
    if not dry_run:
        raise PmoAssessError(
            "--write-mapping drafts a mapping during a dry run; add --dry-run (nothing is "
            "imported then), fill in the draft, and import with --mapping FILE."
        )
    if draft.resolve() == files.kept.resolve():
        raise PmoAssessError(
            f"{draft} is the mapping kept in the workspace; write the draft to another file."
        )
    given = files.given.resolve() if files.given else None
    if draft.exists() and draft.resolve() != given:
        raise PmoAssessError(
            f"{draft} already exists; --write-mapping does not overwrite a file unless it is the "
            "--mapping file too (its entries are carried into the draft). Give a new file name."
        )


def write_draft(
    draft: Path, survey: SurveyImport, files: MappingFiles, questionnaire: Questionnaire
) -> str:
    """Write the draft mapping of a dry run; the report's line."""
    text, blanks = draft_mapping(survey, files.mapping, questionnaire)
    write_text_atomic(draft, text)
    todo = f"{blanks} value{'s' if blanks != 1 else ''} to fill in"
    return f"Draft mapping written to {draft} ({todo}); import with --mapping {draft}."
