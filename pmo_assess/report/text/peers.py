"""The words about the peer comparison: which peer group was used, and why no closer one was.

Each function takes the results dict of one client and wave (``ClientResults.to_dict()``), whose
``benchmark`` is None when the questionnaire has no benchmark, else the comparison of
:func:`pmo_assess.insight.benchmarks.compare` with ``organisations`` added. Every reason given
is the one recorded in the comparison's ``considered`` groups; no peer organisation is named.
"""

from __future__ import annotations

from typing import Any

from pmo_assess.report.text.phrases import cap, join_list, plural

_NOT_RECORDED = {
    "no_industry_given": "the client's industry is not recorded",
    "no_size_band_given": "the client's size band is not recorded",
}
#: reason -> (the client's value in the comparison, the benchmark's list of names, noun)
_UNKNOWN = {
    "no_such_industry": ("client_industry", "industries", "industry"),
    "no_such_size_band": ("client_size_band", "size_bands", "size band"),
}


def no_peers_reason(results: dict[str, Any]) -> str:
    """Why no peer comparison is shown, as a clause to follow "because".

    >>> no_peers_reason({"benchmark": None, "questionnaire": {"title": "PMO Readiness Check"}})
    'there is no benchmark for the PMO Readiness Check'
    """
    bm = results["benchmark"]
    if bm is None:
        return f"there is no benchmark for the {results['questionnaire']['title']}"
    if bm["available"]:
        raise ValueError("no_peers_reason needs results without a peer comparison; this has one")
    considered = bm.get("considered") or []
    if not considered:  # results written before the groups were recorded
        return f"{_all_size(bm['n'])}, fewer than the minimum of {bm['min_peers']}"
    reasons = join_list(_reasons(bm, considered, with_minimum=False))
    return f"no peer group has the minimum of {plural(bm['min_peers'], 'organisation')}: {reasons}"


def peer_choice_text(results: dict[str, Any]) -> str | None:
    """Which peer group the client is compared with and why no closer group was used, as a
    sentence; None when no comparison is shown.

    >>> print(peer_choice_text({"benchmark": {"available": True, "min_peers": 5, "considered": [
    ...     {"group": "industry-and-size", "label": "Retail, Large (>5,000)", "n": 3,
    ...      "used": False, "reason": "below_minimum"},
    ...     {"group": "industry", "label": "Retail", "n": 23, "used": True, "reason": None},
    ... ]}}))  # doctest: +NORMALIZE_WHITESPACE
    Retail, Large (>5,000) has 3 organisations, fewer than the minimum of 5; the peer group is
    the 23 organisations in Retail, the client's industry across all size bands.
    """
    bm = results["benchmark"]
    if not bm or not bm["available"]:
        return None
    considered = bm.get("considered") or []
    used = next((c for c in considered if c["used"]), None)
    if used is None:  # results written before the groups were recorded
        return f"The peer group is the {plural(bm['n'], 'organisation')} in {bm['label']}."
    closer = _reasons(bm, [c for c in considered if not c["used"]], with_minimum=True)
    if not closer:
        return f"The peer group is {_group_text(used)}."
    return f"{cap('; '.join(closer))}; the peer group is {_group_text(used)}."


def benchmark_note(results: dict[str, Any]) -> str:
    """The appendix paragraph on the benchmark: what it is, where its figures come from, which
    peer group was used and why, and what a percentile means.

    >>> benchmark_note({"benchmark": None, "questionnaire": {"title": "PMO Readiness Check"}})
    'No peer comparison is made: there is no benchmark for the PMO Readiness Check.'
    """
    bm = results["benchmark"]
    if bm is None:
        return f"No peer comparison is made: {no_peers_reason(results)}."
    about = bm["benchmark"]
    nature = (
        "a synthetic data set: its organisations are made up, not real, and their scores are "
        "shaped to follow the published figures it cites"
        if about["synthetic"]
        else "built from the firm's own assessments"
    )
    held = f" of {plural(bm['organisations'], 'organisation')}" if "organisations" in bm else ""
    text = (
        f"Peer comparisons use the {about['title']} (version {about['version']}){held}, {nature}."
    )
    if about["sources"]:
        text += f" Sources: {'; '.join(about['sources'])}."
    text += (
        " Only organisations assessed with the same questionnaire and dimensions are comparable. "
        f"The peer group is the closest with at least {bm['min_peers']} of them: the client's "
        "industry and size band, else its industry, else the whole benchmark; no peer is named."
    )
    if not bm["available"]:
        return text + f" No peer comparison is shown, because {no_peers_reason(results)}."
    return (
        f"{text} {peer_choice_text(results)} A percentile is the share of peers scoring below the "
        "client, with ties counted as half."
    )


def peers_section_note(results: dict[str, Any]) -> str:
    """The note the "Position against peers" section shows instead of a comparison; empty when
    a comparison is shown.

    >>> peers_section_note({"benchmark": None, "questionnaire": {"title": "PMO Readiness Check"}})
    'No peer comparison is shown, because there is no benchmark for the PMO Readiness Check.'
    """
    bm = results["benchmark"]
    if bm is not None and bm["available"]:
        return ""
    note = f"No peer comparison is shown, because {no_peers_reason(results)}."
    if bm is not None and _too_small(bm):
        note += " A smaller group is never shown, so that no peer can be singled out."
    return note


def _too_small(bm: dict[str, Any]) -> bool:
    """Whether some group was left out for its size (always so in results without the groups)."""
    considered = bm.get("considered") or []
    return not considered or any(c["reason"] == "below_minimum" for c in considered)


def _reasons(bm: dict[str, Any], groups: list[dict[str, Any]], *, with_minimum: bool) -> list[str]:
    """Why each of these groups was not used, in order, each reason once."""
    found: dict[str, None] = {}
    if {g["reason"] for g in groups} >= set(_NOT_RECORDED):
        found["the client's industry and size band are not recorded"] = None
        groups = [g for g in groups if g["reason"] not in _NOT_RECORDED]
    for group in groups:
        reason = group["reason"]
        if reason in _NOT_RECORDED:
            found[_NOT_RECORDED[reason]] = None
        elif reason in _UNKNOWN:
            found[_unknown_name(bm, reason)] = None
        else:
            size = _all_size(group["n"]) if group["group"] == "all" else _size(group)
            minimum = f", fewer than the minimum of {bm['min_peers']}" if with_minimum else ""
            found[size + minimum] = None
    return list(found)


def _unknown_name(bm: dict[str, Any], reason: str) -> str:
    """'the client's industry, Aerospace, is not one of the benchmark's industries (...)'."""
    given, listed, noun = _UNKNOWN[reason]
    names = bm.get(listed) or []
    known = f"one of the benchmark's {listed.replace('_', ' ')} ({join_list(names)})"
    where = known if names else f"in the benchmark, which records no {noun}"
    return f"the client's {noun}, {bm.get(given)}, is not {where}"


def _size(group: dict[str, Any]) -> str:
    count = plural(group["n"], "organisation") if group["n"] else "no organisations"
    return f"{group['label']} has {count}"


def _all_size(n: int) -> str:
    count = plural(n, "comparable organisation") if n else "no comparable organisations"
    return f"the whole benchmark has {count}"


def _group_text(group: dict[str, Any]) -> str:
    """'the 23 organisations in Retail, the client's industry across all size bands'."""
    peers = plural(group["n"], "organisation")
    if group["group"] == "industry-and-size":
        return f"the {peers} in {group['label']}, the client's own industry and size band"
    if group["group"] == "industry":
        return f"the {peers} in {group['label']}, the client's industry across all size bands"
    return f"the {plural(group['n'], 'comparable organisation')} across all industries and sizes"
