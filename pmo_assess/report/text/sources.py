"""The source line under each exhibit of the report: questionnaire, respondents, wave, peers.

Takes the results dict of one client and wave (``ClientResults.to_dict()``) and returns plain
text; the executive summary and the action titles both print it.
"""

from __future__ import annotations

from typing import Any

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.report.text.facts import (
    benchmark_kind,
    peer_set_text,
    respondents_text,
)
from pmo_assess.report.text.peers import no_peers_reason
from pmo_assess.report.text.phrases import date_text, join_list, plural

#: Exhibit kinds with a source line; "gaps", "peers" and "roles" are the renderer's names.
EXHIBITS = "summary scorecard radar gap gaps heatmap agreement roles peer peers trend roadmap"


def exhibit_source(results: dict[str, Any], kind: str) -> str:
    """The source line of an exhibit of one of :data:`EXHIBITS`."""
    if kind not in EXHIBITS.split():
        raise PmoAssessError(
            f"Unknown exhibit kind '{kind}' for a source line. Kinds: {', '.join(EXHIBITS.split())}."
        )
    q, wave = results["questionnaire"], results["wave"]
    total = plural(results["respondents"]["total"], "respondent")
    roles = len(results["respondents"]["by_role"])
    people = total + (f" ({plural(roles, 'role')})" if roles > 1 else "")
    when = f"wave {wave['label']}" + (f" ({date_text(wave['held_on'])})" if wave["held_on"] else "")
    peers = peer_set_text(results)
    peer_part = f"peer set of {peers}, {benchmark_kind(results)}" if peers else None
    base = f"Source: {q['title']} {q['version']}; {people}, {when}"
    if kind in ("heatmap", "agreement", "roles"):
        return f"Source: {q['title']} {q['version']}; {respondents_text(results)}, {when}"
    if kind == "trend":
        labels = join_list([w["wave"] for w in results["trend"]])
        return f"Source: {q['title']} {q['version']}; waves {labels}; {total} in the latest wave"
    if kind == "roadmap":
        library = results["roadmap"]["library"]
        named = f"actions from library {library['id']} {library['version']}" if library else ""
        return f"Source: gaps to target in {when}, {total}" + (f"; {named}" if named else "")
    if kind in ("gap", "gaps", "scorecard"):
        return f"{base}; targets set for this engagement"
    if kind in ("peer", "peers"):
        return f"{base}; " + (peer_part or f"no peer comparison, as {no_peers_reason(results)}")
    return f"{base}; {peer_part}" if kind == "summary" and peer_part else base
