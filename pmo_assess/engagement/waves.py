"""A wave's date and label set after the fact, with what else names the wave kept in step.

A date set here counts as given by hand, like ``import --date``: it is listed in the workspace's
``wave-dates/<client>/<questionnaire>.json`` (kept by :mod:`pmo_assess.store.intake`), so a later
import does not move it. A renamed wave takes its listed date along. Reports and briefings
already written for the old label are kept where they are, never moved (they show the old
label); the message says where they are and where the new label's will go.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeAlias

from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import inside
from pmo_assess.importers.completion import written
from pmo_assess.report.render import report_folder
from pmo_assess.store.edits import change_wave
from pmo_assess.store.intake import _given_dates, _remember_given, wave_dates_file
from pmo_assess.store.records import Wave
from pmo_assess.store.repository import Store

#: Where a client's wave has a folder below a base folder.
FolderOf: TypeAlias = Callable[[Path, str, str], Path]


def set_wave(
    store: Store,
    client_slug: str,
    label: str,
    *,
    held_on: date | None = None,
    new_label: str | None = None,
    reports: Path = Path("reports"),
) -> str:
    """Date and/or rename a wave of the client's latest engagement; returns what was done.

    ``reports`` is the folder reports are written to, searched for the old label's reports.
    """
    if held_on is None and new_label is None:
        raise PmoAssessError(
            f"Nothing to change for wave '{label}': give its date (--date YYYY-MM-DD), a new "
            "label (--rename NEW), or both."
        )
    engagement = store.engagement(client_slug)
    latest = _latest(store.waves(engagement.id))
    wave = change_wave(store, engagement.id, label, new_label=new_label, held_on=held_on)
    given = wave_dates_file(store, client_slug, engagement.questionnaire_id)
    notes = []
    if wave.label != label:
        _move_given_date(given, label, wave.label)
        notes.append(f"Wave '{label}' of {client_slug} is now called '{wave.label}'.")
        notes += _kept_folders(store, client_slug, label, wave.label, reports)
    if held_on is not None:
        _remember_given(given, wave.label, held_on)
        notes.append(
            f"Wave {wave.label} dated {written(held_on)}, as given; a later import keeps this "
            "date unless given another with --date."
        )
    waves = store.waves(engagement.id)
    notes.append(f"Waves, oldest first: {', '.join(_shown(w) for w in waves)}.")
    now = _latest(waves)
    if latest is not None and now is not None and latest.id != now.id:
        notes.append(
            f"The latest wave is now {now.label} (it was {_relabelled(latest, wave).label}): "
            "results and reports without a wave use it."
        )
    return "\n".join(notes)


def _move_given_date(path: Path, label: str, new_label: str) -> None:
    listed = _given_dates(path)
    if label not in listed:
        return
    listed[new_label] = listed.pop(label)
    # The same layout store.intake writes; it has no function that drops a label.
    write_text_atomic(path, json.dumps(listed, indent=2, sort_keys=True) + "\n")


def _kept_folders(
    store: Store, client_slug: str, label: str, new_label: str, reports: Path
) -> list[str]:
    places: dict[str, tuple[FolderOf, Path]] = {
        "reports": (report_folder, reports),
        "briefings": (_briefing_folder, store.workspace),
    }
    notes = []
    for what, (folder_of, base) in places.items():
        old = _folder(folder_of, base, client_slug, label)
        if old is not None and old.is_dir():
            new = _folder(folder_of, base, client_slug, new_label)
            notes.append(
                f"The {what} of wave '{label}' stay in {old} and show the old label; "
                f"new ones for '{new_label}' go to {new}."
            )
    return notes


def _briefing_folder(workspace: Path, client_slug: str, label: str) -> Path:
    return inside(workspace, "briefings", client_slug, label)  # as engagement.briefing files it


def _folder(folder_of: FolderOf, base: Path, client_slug: str, label: str) -> Path | None:
    # A label that cannot be a folder name has no folder; that is no reason to fail a rename.
    try:
        return folder_of(base, client_slug, label)
    except PmoAssessError:
        return None


def _latest(waves: list[Wave]) -> Wave | None:
    return waves[-1] if waves else None


def _relabelled(wave: Wave, changed: Wave) -> Wave:
    return changed if wave.id == changed.id else wave


def _shown(wave: Wave) -> str:
    return f"{wave.label} ({written(wave.held_on) if wave.held_on else 'no date'})"
