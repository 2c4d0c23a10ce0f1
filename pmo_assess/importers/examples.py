"""Small survey exports shipped with the package, for docs, demos and doctests."""

from __future__ import annotations

from pathlib import Path

_FOLDER = Path(__file__).resolve().parent / "example_data"


def example_path(name: str) -> Path:
    """The path of a shipped example export, e.g. ``google_forms.csv`` (answers to the built-in
    ``pmo-maturity`` questionnaire).

    >>> example_path("google_forms.csv").is_file()
    True
    """
    path = _FOLDER / name
    if not path.is_file():
        known = ", ".join(sorted(p.name for p in _FOLDER.iterdir()))
        raise FileNotFoundError(f"No example export '{name}'. Examples: {known}.")
    return path
