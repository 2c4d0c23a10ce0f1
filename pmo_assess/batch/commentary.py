"""Commentary between a kept report notebook and the store, so no commentary is ever lost.

- ``render`` (:func:`render_edited_notebook`) saves the commentary of an edited notebook to the
  store as the wave's current revision, then renders the notebook with it.
- ``report`` and ``batch`` (:func:`keep_unsaved_commentary`), before they overwrite a kept
  notebook, save any commentary found only there (added, changed or removed in JupyterLab and
  never rendered); they then render the store's commentary into the new notebook.
- ``commentary --import`` (:func:`import_commentary_file`) saves a commentary file
  (:mod:`pmo_assess.report.commentary_file`) as the current revision.

A kept notebook records the revision it was made with and an id of its own (its *origin*), so
a save that replaces a revision the notebook never saw (a partner's import, another consultant's
``render``) says so; that revision stays in the store's history either way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.insight.results import questionnaire_file
from pmo_assess.model.commentary import Commentary
from pmo_assess.report.commentary_cells import notebook_commentary, notebook_origin
from pmo_assess.report.commentary_file import exported_for, read_commentary_markdown
from pmo_assess.report.render import (
    FORMATS,
    ReportOutputs,
    read_kept_notebook,
    refuse_failed,
    rerender_notebook,
)
from pmo_assess.store.commentary import commentary_history, find_wave, save_commentary
from pmo_assess.store.repository import Store

NOTEBOOK = "report.ipynb"


def render_edited_notebook(
    store: Store,
    path: str | Path,
    formats: tuple[str, ...] = FORMATS,
    templates: Mapping[str, Path] | None = None,
) -> ReportOutputs:
    """Save an edited kept notebook's commentary to the store, then render it beside itself.

    The store must hold the notebook's client and wave (named by the ``results.json`` beside
    it); otherwise nothing is saved or rendered.
    """
    path = Path(path)
    saved, notes = save_notebook_commentary(store, path)
    questionnaire = questionnaire_file(store, saved.client)
    outputs = rerender_notebook(path, formats, saved.pieces, templates, questionnaire)
    return replace(outputs, notes=notes + outputs.notes)


def save_notebook_commentary(store: Store, path: Path) -> tuple[Commentary, tuple[str, ...]]:
    """Make the notebook's commentary the current one of its client and wave; returns what is
    saved now and what to tell the user."""
    notebook = read_kept_notebook(path)
    refuse_failed(notebook)
    client, wave = notebook_subject(path)
    base, notebook_id = notebook_origin(notebook)
    source = _source(notebook_id)
    try:
        find_wave(store, client, wave)
    except PmoAssessError as exc:
        raise PmoAssessError(
            f"{path} is the report of client '{client}', wave '{wave}': {exc} Nothing was saved "
            "or rendered; give the workspace that holds this client (--workspace DIR or --db URL)."
        ) from None
    before, after = save_commentary(store, client, wave, notebook_commentary(notebook), source)
    if before == after:
        said = f"is already saved ({_revision(after)})" if after.revision else "is empty"
        return after, (f"The commentary in {path} {said}.",)
    notes = [f"Saved the commentary of {path} ({_count(after)}) as {_revision(after)}."]
    if before.revision not in (0, base) and before.source != source:
        notes.append(_unseen(before))
    return after, tuple(notes)


def keep_unsaved_commentary(
    store: Store, client: str, wave: str, folder: Path, since: float | None = None
) -> str | None:
    """Before ``folder/report.ipynb`` is overwritten, save commentary found only in it; returns
    what to tell the user, or None when nothing needed saving.

    ``since``: a time (seconds since the epoch) the notebook was complete at; a notebook not
    modified after it is skipped unread (the batch passes its manifest's time).
    """
    path = folder / NOTEBOOK
    if not path.is_file() or (since is not None and path.stat().st_mtime <= since):
        return None
    notebook = read_kept_notebook(path)
    pieces = notebook_commentary(notebook)
    base, notebook_id = notebook_origin(notebook)
    history = commentary_history(store, client, wave)
    made_with = next((c.pieces for c in history if c.revision == base), ())
    if pieces == made_with or any(c.pieces == pieces for c in history):
        return None  # unchanged since it was made, or saved already
    before, after = save_commentary(store, client, wave, pieces, _source(notebook_id))
    note = (
        f"Saved the commentary found only in {path} ({_count(after)}) as {_revision(after)} "
        "before replacing the notebook."
    )
    if before.revision not in (0, base) and before.source != after.source:
        note += " " + _unseen(before)
    return note


def import_commentary_file(
    store: Store, client: str, wave: str | None, path: Path
) -> tuple[Commentary, Commentary]:
    """Make a commentary file's pieces the current commentary of the client's wave (the latest
    when None), checked whole first; returns (before, after) like ``save_commentary``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PmoAssessError(
            f"Cannot read {path} ({exc}); expected a UTF-8 Markdown file like "
            "`pmo-assess commentary --export` writes."
        ) from None
    pieces = read_commentary_markdown(text, str(path))
    target = find_wave(store, client, wave)
    named = exported_for(text)
    if named and named != (client, target.label):
        raise PmoAssessError(
            f"{path} was exported from client '{named[0]}', wave '{named[1]}', not client "
            f"'{client}', wave '{target.label}'; nothing was imported. Import it with --client "
            f"{named[0]} --wave {named[1]}, or delete its first line to import it here."
        )
    return save_commentary(store, client, target.label, pieces, f"import {path.name}")


def notebook_subject(path: Path) -> tuple[str, str]:
    """The client slug and wave label of a kept notebook, from the ``results.json`` beside it."""
    results = path.with_name("results.json")
    try:
        data = json.loads(results.read_text(encoding="utf-8"))
        return str(data["client"]["slug"]), str(data["wave"]["label"])
    except (OSError, ValueError, KeyError, TypeError):
        raise PmoAssessError(
            f"{results} is missing or unreadable, so the client and wave of {path} are unknown. "
            "Render a notebook in the report folder `pmo-assess report` wrote it to "
            "(reports/<client>/<wave>/), beside its results.json."
        ) from None


def _source(notebook_id: str) -> str:
    return f"notebook {notebook_id}" if notebook_id else "notebook made before commentary was kept"


def _count(commentary: Commentary) -> str:
    n = len(commentary.pieces)
    return f"{n} piece{'' if n == 1 else 's'}"


def _revision(commentary: Commentary) -> str:
    return (
        f"revision {commentary.revision} of client '{commentary.client}', wave '{commentary.wave}'"
    )


def _unseen(replaced: Commentary) -> str:
    """A save replaced a revision the notebook was not made from: say whose, and how to see it."""
    when = f"{replaced.saved_at:%Y-%m-%d %H:%M} UTC" if replaced.saved_at else "an unknown time"
    return (
        f"It replaced revision {replaced.revision} (saved by {replaced.saved_by} at {when} from "
        f"{replaced.source}), which this notebook was not made from; `pmo-assess commentary "
        f"--client {replaced.client} --wave {replaced.wave} --revision {replaced.revision}` "
        "shows it."
    )
