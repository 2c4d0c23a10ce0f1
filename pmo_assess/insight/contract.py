"""The results contract on disk: ``results.json`` checked against its JSON Schema when read.

:func:`pmo_assess.insight.results.build_results` writes the contract; the report reads only it.
A file from another version of pmo-assess, or one edited by hand into a shape the report cannot
read, is refused here with the field and what was expected, before any section is drawn. This
module imports neither pandas nor the store, so a report kernel loads it in milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.terms import ROLES, RoleName

#: The version of the contract this pmo-assess writes and reads.
RESULTS_SCHEMA_VERSION = 2
SCHEMA_FILE = Path(__file__).with_name("results.schema.json")


def read_results(path: str | Path) -> dict[str, Any]:
    """The results of ``path``, checked; a :class:`PmoAssessError` naming the file otherwise."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PmoAssessError(f"Results file not found: {path}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PmoAssessError(f"{path} is not a results file (not JSON: {exc}).") from None
    check_results(data, str(path))
    return data


def check_results(data: Any, where: str = "results") -> None:
    """Refuse results of another contract version or of a shape the report cannot read."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != RESULTS_SCHEMA_VERSION:
        raise PmoAssessError(
            f"{where} has results schema_version {version!r}, and this pmo-assess reads version "
            f"{RESULTS_SCHEMA_VERSION}. Build the results again with this version "
            "(pmo-assess report or batch), which writes a new results.json."
        )
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        field = "/".join(str(part) for part in first.absolute_path) or "(top level)"
        more = f" ({len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise PmoAssessError(
            f"{where} does not match the results contract at {field}: {first.message}{more}."
        )


def role_names(results: Mapping[str, Any]) -> dict[str, RoleName]:
    """How the report writes each role: the vocabulary's names, with the results' own over them
    (``respondents.role_names``, which hold the roles an import added with their names).

    >>> given = {"one": "risk officer", "many": "risk officers", "label": "Risk officers"}
    >>> names = role_names({"respondents": {"role_names": {"risk-officer": given}}})
    >>> names["risk-officer"].label, names["pmo"].label
    ('Risk officers', 'PMO staff')
    """
    given = results["respondents"].get("role_names") or {}
    added = {role: RoleName(n["one"], n["many"], n["label"]) for role, n in given.items()}
    return {**ROLES, **added}


@cache
def _validator() -> Any:
    import jsonschema  # imported here: slow to import, and only reading a file needs it

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)
