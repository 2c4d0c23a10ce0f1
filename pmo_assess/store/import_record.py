"""What a survey import keeps beside the store, in ``imports/<client>/<questionnaire>.json``:
its own reference from each response to the respondent code it was given, by wave.

Respondents are stored under anonymous codes (``R01``, ``R02``, ... within a wave) unless the
consultant keeps their identity; the platform's response id (or, without one, its completion
time) stays in this reference only, so that a later export of the same survey adds to the same
respondents instead of adding them again. Notes on respondents and dimensions are in the store
(:mod:`pmo_assess.store.notes`).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import check_slug, inside
from pmo_assess.importers import ImportedRespondent, SurveyImport
from pmo_assess.store.repository import Store


@dataclass(frozen=True)
class ImportRecord:
    """The references of one client's questionnaire, read from the workspace."""

    path: Path
    references: dict[str, dict[str, str]] = field(default_factory=dict)  # wave: {ref: code}

    def codes(
        self,
        wave: str,
        platform: str,
        respondents: Sequence[ImportedRespondent],
        taken: Collection[str],
        keep_identity: bool,
    ) -> dict[str, str]:
        """Each respondent's code in the store, by its code in the import: the code it was given
        before, else its own (``keep_identity``) when free, else the first free ``Rnn``.

        >>> record = ImportRecord(Path("x.json"), {"w1": {"ms-forms id 7": "R01"}})
        >>> people = [ImportedRespondent("7", "pmo", reference="id 7"),
        ...           ImportedRespondent("8", "pmo", reference="id 8")]
        >>> record.codes("w1", "ms-forms", people, {"R01", "R02"}, keep_identity=False)
        {'7': 'R01', '8': 'R03'}
        """
        known = self.references.get(wave, {})
        used = {*taken, *known.values()}
        fresh = (f"R{n:02d}" for n in count(1) if f"R{n:02d}" not in used)
        codes = {}
        for person in respondents:
            code = known.get(_key(platform, person))
            if code is None:
                own = keep_identity and person.code not in used
                code = person.code if own else next(fresh)
                used.add(code)
            codes[person.code] = code
        return codes

    def saved(
        self,
        wave: str,
        platform: str,
        respondents: Iterable[ImportedRespondent],
        codes: Mapping[str, str],
    ) -> None:
        """Write the record with this import's references added."""
        known = {**self.references.get(wave, {})}
        known.update({_key(platform, p): codes[p.code] for p in respondents})
        data = {"references": {**self.references, wave: known}}
        write_text_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def import_record_file(workspace: Path, client_slug: str, questionnaire_id: str) -> Path:
    """Where a client's import record for a questionnaire is kept in the workspace."""
    return inside(workspace, "imports", check_slug(client_slug), f"{questionnaire_id}.json")


def read_import_record(path: Path) -> ImportRecord:
    """The import record at ``path`` (empty when there is none yet)."""
    if not path.is_file():
        return ImportRecord(path)
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        references = dict(data["references"])
    except (ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise PmoAssessError(
            f"{path} is not the import record this tool writes ({exc!r}); restore it from a "
            "backup, or move it away to start a new one (re-imported responses then get new "
            "respondent codes)."
        ) from None
    return ImportRecord(path, references)


def respondent_codes(
    store: Store,
    engagement_id: int | None,
    wave: str,
    survey: SurveyImport,
    record: ImportRecord,
    keep_identity: bool,
) -> tuple[dict[str, str], list[str]]:
    """Store codes by import code (the long answers file keeps its own), and the report's line."""
    if survey.platform == "long":
        return {r.code: r.code for r in survey.respondents}, []
    waves = store.waves(engagement_id) if engagement_id is not None else []
    found = next((w for w in waves if w.label == wave), None)
    taken = {r.code for r in store.respondents(found.id)} if found else set()
    codes = record.codes(wave, survey.platform, survey.respondents, taken, keep_identity)
    return codes, _codes_line(list(codes.values()), taken, keep_identity)


def _codes_line(codes: list[str], taken: set[str], keep_identity: bool) -> list[str]:
    if not codes:
        return []
    listed = ", ".join(codes if len(codes) <= 6 else [*codes[:3], "...", *codes[-2:]])
    again = sum(code in taken for code in codes)
    known = f"; {again} already in the wave" if again else ""
    kind = "their response ids, --keep-identity" if keep_identity else "anonymous"
    return [f"Respondent codes: {listed} ({kind}{known})"]


def _key(platform: str, person: ImportedRespondent) -> str:
    return f"{platform} {person.reference or person.code}"
