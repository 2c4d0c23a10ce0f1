"""Where the package finds its own data files, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the pmo_assess package, not core/
SAMPLE_DIR = PACKAGE_DIR / "sample_data"
#: The questionnaire a report run was scored with, copied beside its ``results.json``.
QUESTIONNAIRE_FILE = "questionnaire.yaml"


def questionnaires_dir() -> Path:
    """The folder of built-in questionnaires and ``schema.json``.

    A wheel carries it inside the package (``_questionnaires``); a source checkout, editable
    installs included, keeps it at the top of the repository.
    """
    bundled = PACKAGE_DIR / "_questionnaires"
    return bundled if bundled.is_dir() else PACKAGE_DIR.parent / "questionnaires"


def report_notebook() -> Path:
    """The report notebook template (``notebooks/report.ipynb``; bundled in a wheel)."""
    bundled = PACKAGE_DIR / "_notebooks" / "report.ipynb"
    return bundled if bundled.is_file() else PACKAGE_DIR.parent / "notebooks" / "report.ipynb"
