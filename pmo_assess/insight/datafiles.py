"""Validate any of the project's data files, whatever its kind: questionnaire, recommendations
library or benchmark dataset. ``pmo-assess validate`` calls this."""

from __future__ import annotations

from pathlib import Path

from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.core.yamlsource import load_yaml
from pmo_assess.insight.benchmark_data import load_benchmark
from pmo_assess.insight.recommendations import check_recommendations
from pmo_assess.model.loading import load_questionnaire, validate_questionnaire_file


def validate_data_file(path: str | Path) -> list[Problem]:
    """Every problem in a data file; an empty list when it is valid.

    A ``.csv`` file is a benchmark dataset; a YAML file with ``actions`` is a recommendations
    library; any other YAML file is a questionnaire.
    """
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            return _benchmark_problems(path)
        source = load_yaml(path)
    except ValidationError as exc:
        return list(exc.problems)
    if isinstance(source.data, dict) and "actions" in source.data:
        return check_recommendations(source)
    return validate_questionnaire_file(path)


def _benchmark_problems(path: Path) -> list[Problem]:
    """Check a benchmark file, against the questionnaire its header names when that can be found."""
    benchmark = load_benchmark(path)
    try:
        questionnaire = load_questionnaire(
            str(benchmark.meta.get("questionnaire")), search=[path.parent]
        )
    except PmoAssessError:
        return []  # a benchmark of a questionnaire not at hand: its own shape was checked
    load_benchmark(path, questionnaire)
    return []
