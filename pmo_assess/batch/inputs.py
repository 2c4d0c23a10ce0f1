"""What a client's report depends on, as one digest: the same digest means the same report.

A batch skips a client whose digest matches the one recorded beside its last report. The digest
covers the client's rows in the store (client, engagements and their settings, waves,
respondents, answers, roadmap decisions), the wave's commentary (its pieces, not who saved them
or when), the files the report reads (questionnaire,
recommendations library, benchmark, branding) and the renderer itself (package version and the
bytes of its code, report template, stylesheet and fonts), so an upgrade re-renders everything.
Reading these is far cheaper than building the results: checking twenty unchanged clients takes
a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from pmo_assess.core.paths import PACKAGE_DIR, questionnaires_dir, report_notebook
from pmo_assess.model.loading import find_questionnaire
from pmo_assess.report.branding import Branding
from pmo_assess.store.commentary import read_commentary
from pmo_assess.store.digest import client_rows as stored_rows
from pmo_assess.store.repository import Store

# The renderer's own files; caches and compiled files are not inputs.
_RENDERER_SUFFIXES = {".py", ".css", ".j2", ".json", ".ttf", ".yaml", ".csv", ".ipynb"}


def package_version() -> str:
    """The installed version of pmo-assess ("unknown" when run from a bare checkout)."""
    try:
        return metadata.version("pmo-assess")
    except metadata.PackageNotFoundError:
        return "unknown"


def renderer_digest(
    branding: Branding, benchmark_path: Path | None, templates: Mapping[str, Path] | None = None
) -> str:
    """The digest of everything shared by all clients of one batch (the branding as loaded, so
    a new logo file counts too, and the firm's templates, given or named by the branding)."""
    digest = hashlib.sha256(f"pmo-assess {package_version()}\n".encode())
    files = sorted(
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.suffix in _RENDERER_SUFFIXES and "__pycache__" not in p.parts and p.is_file()
    )
    _add_files(digest, [*files, report_notebook()], root=PACKAGE_DIR.parent)
    digest.update(f"\nbranding\n{json.dumps(asdict(branding), sort_keys=True)}".encode())
    _add_named(digest, "benchmark", benchmark_path)
    templates = templates or {}
    for format_name in ("pptx", "docx"):
        _add_named(
            digest,
            f"{format_name} template",
            templates.get(format_name) or branding.template_for(format_name),
        )
    return digest.hexdigest()


def client_digest(store: Store, client_slug: str, wave_label: str, shared: str) -> str:
    """The digest of one client's report inputs for ``wave_label``, on top of ``shared``."""
    digest = hashlib.sha256(f"{shared}\n{client_slug}\n{wave_label}\n".encode())
    rows = client_rows(store, client_slug)
    digest.update(json.dumps(rows, sort_keys=True, default=str).encode())
    pieces = read_commentary(store, client_slug, wave_label).pieces
    digest.update(f"\ncommentary\n{json.dumps([asdict(p) for p in pieces])}".encode())
    for questionnaire_id in sorted({e["questionnaire_id"] for e in rows["engagements"]}):
        _add_files(digest, questionnaire_files(store, questionnaire_id))
    return digest.hexdigest()


def client_rows(store: Store, client_slug: str) -> dict[str, list[dict[str, Any]]]:
    """Every stored row the client's reports can depend on, in a stable order."""
    return stored_rows(store, client_slug).as_dict()


def questionnaire_files(store: Store, questionnaire_id: str) -> list[Path]:
    """The questionnaire's file and the library and benchmarks that may be read beside it."""
    source = find_questionnaire(questionnaire_id, search=[store.workspace / "questionnaires"])
    builtin = questionnaires_dir() / f"{questionnaire_id.replace('-', '_')}.benchmark.csv"
    candidates = [
        source,
        source.with_name(f"{source.stem}.recommendations.yaml"),
        source.with_suffix(".benchmark.csv"),
        builtin,
    ]
    return [p for p in dict.fromkeys(candidates) if p.is_file()]


def _add_files(digest: Any, paths: Iterable[Path], root: Path | None = None) -> None:
    for path in paths:
        name = path.relative_to(root) if root and path.is_relative_to(root) else path.name
        digest.update(f"\n{name}\n".encode())
        digest.update(path.read_bytes())


def _add_named(digest: Any, what: str, path: Path | None) -> None:
    digest.update(f"\n{what}\n".encode())
    if path is not None:
        digest.update(Path(path).read_bytes())
