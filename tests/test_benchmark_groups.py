"""Which peer group a client is compared with, why the closer ones were not used, and the words
that say so; a ``--benchmark`` path that does not exist is a user error before any work.

Group sizes are counted by hand from ``tests/data/benchmarks/peers.csv``: of questionnaire
``tiny``, 5 Retail ``Small (<500 staff)`` (PEER-SECRET-01 to 05), 2 Retail ``Large (>5,000)``
(06, 07) and 5 Healthcare ``Medium (500-5,000)`` (08 to 12): 7 Retail, 12 in all. The two
PEER-OTHER rows are of another questionnaire and never count.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pmo_assess import load_questionnaire
from pmo_assess.cli.main import main
from pmo_assess.insight.benchmark_data import benchmark_text, parse_benchmark
from pmo_assess.insight.benchmarks import Benchmark, compare, default_benchmark_path, load_benchmark
from pmo_assess.report.text.peers import (
    benchmark_note,
    no_peers_reason,
    peer_choice_text,
    peers_section_note,
)

DATA = Path(__file__).parent / "data" / "benchmarks"
TINY = load_questionnaire(Path(__file__).parent / "data" / "answers" / "tiny.yaml")
MATURITY = load_questionnaire("pmo-maturity")
SMALL, LARGE, MEDIUM = "Small (<500 staff)", "Large (>5,000)", "Medium (500-5,000)"
BANDS = f"({LARGE}; {MEDIUM}; and {SMALL})"


@pytest.fixture(scope="module")
def peers() -> Benchmark:
    return load_benchmark(DATA / "peers.csv", TINY)


def client(industry: Any = "Retail", size_band: Any = SMALL) -> dict[str, Any]:
    return {
        "industry": industry,
        "size_band": size_band,
        "scores": {"overall": 2.0, "governance": 3.0, "reporting": 2.0},
        "questionnaire_id": "tiny",
        "questionnaire_version": "0.1",
        "dimension_ids": ["governance", "reporting"],
    }


def results_of(benchmark: Benchmark, min_peers: int = 5, **given: Any) -> dict[str, Any]:
    """The results dict the report reads, as ``results.json`` holds it (JSON types only)."""
    compared = compare(benchmark, client(**given), min_peers=min_peers).to_dict()
    bm = compared | {"organisations": len(benchmark.rows)}
    return json.loads(json.dumps({"questionnaire": {"title": "Tiny Check"}, "benchmark": bm}))


def reasons(result: dict[str, Any]) -> list[str | None]:
    return [c["reason"] for c in result["benchmark"]["considered"]]


# --- matching the client's industry and size band ----------------------------------------------


@pytest.mark.parametrize(
    ("industry", "size_band"),
    [
        ("Retail", SMALL),
        ("retail", "small"),  # the short name, before " (", in any case
        ("  RETAIL ", " Small "),
        ("Retail", "small   (<500   STAFF)"),  # whitespace-normalised full name
        ("Retail", "Small (fewer than 500)"),  # the short name still matches
    ],
)
def test_tolerant_names_find_the_industry_and_size_group_under_its_proper_name(
    peers: Benchmark, industry: str, size_band: str
) -> None:
    result = compare(peers, client(industry, size_band))
    assert (result.group, result.label, result.n) == ("industry-and-size", f"Retail, {SMALL}", 5)
    assert [(c.group, c.label, c.n, c.used, c.reason) for c in result.considered] == [
        ("industry-and-size", f"Retail, {SMALL}", 5, True, None)
    ]


def test_a_large_client_finds_the_benchmarks_large_band_as_in_issue_15() -> None:
    shipped = load_benchmark(default_benchmark_path(MATURITY), MATURITY)
    profile = client("Energy and utilities", "Large") | {
        "questionnaire_id": "pmo-maturity",
        "questionnaire_version": MATURITY.version,
        "dimension_ids": list(shipped.dimension_ids),
    }
    result = compare(shipped, profile)
    # 13 rows of the shipped file read "Energy and utilities,Large (>5,000)"
    assert (result.group, result.label, result.n) == (
        "industry-and-size",
        "Energy and utilities, Large (>5,000)",
        13,
    )
    results = {"questionnaire": {"title": MATURITY.title}, "benchmark": result.to_dict()}
    note = benchmark_note(results)
    assert "the 13 organisations in Energy and utilities, Large (>5,000)" in note
    assert "closest group with at least" not in note


@pytest.mark.parametrize(
    ("industry", "size_band", "expected"),
    [
        ("Retail", SMALL, [None]),
        ("Retail", "Large", ["below_minimum", None]),  # 2 large Retail, then 7 Retail
        ("Healthcare", SMALL, ["below_minimum", None]),  # no small Healthcare, then 5
        ("Aerospace", SMALL, ["no_such_industry", "no_such_industry", None]),
        ("Retail", "Huge", ["no_such_size_band", None]),
        ("Aerospace", "Huge", ["no_such_size_band", "no_such_industry", None]),
        ("Retail", None, ["no_size_band_given", None]),
        ("Retail", "   ", ["no_size_band_given", None]),
        (None, SMALL, ["no_industry_given", "no_industry_given", None]),
        (math.nan, math.nan, ["no_size_band_given", "no_industry_given", None]),
    ],
)
def test_each_group_tried_records_why_it_was_not_used(
    peers: Benchmark, industry: Any, size_band: Any, expected: list[str | None]
) -> None:
    assert reasons(results_of(peers, industry=industry, size_band=size_band)) == expected


def test_the_comparison_dict_keeps_its_keys_and_records_the_groups(peers: Benchmark) -> None:
    bm = results_of(peers, size_band="Large")["benchmark"]
    assert {"available", "group", "label", "n", "min_peers", "overall", "dimensions"} <= set(bm)
    assert (bm["available"], bm["group"], bm["label"], bm["n"]) == (True, "industry", "Retail", 7)
    assert bm["considered"] == [
        {"group": "industry-and-size", "label": f"Retail, {LARGE}", "n": 2, "used": False,
         "reason": "below_minimum"},
        {"group": "industry", "label": "Retail", "n": 7, "used": True, "reason": None},
    ]  # fmt: skip
    assert bm["industries"] == ["Healthcare", "Retail"]
    assert bm["size_bands"] == [LARGE, MEDIUM, SMALL]
    assert (bm["client_industry"], bm["client_size_band"]) == ("Retail", "Large")


def test_spellings_of_one_name_pool_under_the_most_frequent(peers: Benchmark) -> None:
    rows = peers.rows.copy()
    rows.loc[rows["org_id"].isin(["PEER-SECRET-01", "PEER-SECRET-02"]), "industry"] = "retail "
    result = compare(Benchmark(peers.meta, rows), client("RETAIL"))
    assert (result.label, result.n) == (f"Retail, {SMALL}", 5)  # 3 "Retail" beat 2 "retail "
    assert result.industries == ("Healthcare", "Retail")


def test_a_full_band_name_wins_over_a_shared_short_name() -> None:
    frame = pd.DataFrame(
        {
            "org_id": [f"ORG-{i:04d}" for i in range(1, 11)],
            "industry": "Retail",
            "size_band": [LARGE] * 5 + ["Large (>50,000)"] * 5,
            "region": "",
            "year": 2025,
            "questionnaire_id": "tiny",
            "questionnaire_version": "0.1",
            "overall": 3.0,
            "governance": 3.0,
            "reporting": 3.0,
        }
    )
    benchmark = parse_benchmark(benchmark_text(frame, load_benchmark(DATA / "valid.csv").meta), "x")
    exact = compare(benchmark, client(size_band="large (>5,000)"))
    assert (exact.label, exact.n) == (f"Retail, {LARGE}", 5)
    both = compare(benchmark, client(size_band="Large"))  # both bands are large: pooled, named
    assert (both.label, both.n) == (f"Retail, {LARGE} or Large (>50,000)", 10)


# --- the words ----------------------------------------------------------------------------------


def test_a_group_below_the_minimum_is_named_with_its_size(peers: Benchmark) -> None:
    results = results_of(peers, size_band="Large")
    assert peer_choice_text(results) == (
        f"Retail, {LARGE} has 2 organisations, fewer than the minimum of 5; the peer group is "
        "the 7 organisations in Retail, the client's industry across all size bands."
    )
    assert peer_choice_text(results) in benchmark_note(results)
    assert peers_section_note(results) == ""


def test_the_closest_group_needs_no_excuse(peers: Benchmark) -> None:
    assert peer_choice_text(results_of(peers)) == (
        f"The peer group is the 5 organisations in Retail, {SMALL}, the client's own industry "
        "and size band."
    )


def test_an_unknown_industry_is_named_with_the_benchmarks_industries(peers: Benchmark) -> None:
    assert peer_choice_text(results_of(peers, industry="Aerospace")) == (
        "The client's industry, Aerospace, is not one of the benchmark's industries (Healthcare "
        "and Retail); the peer group is the 12 comparable organisations across all industries "
        "and sizes."
    )


def test_an_unknown_size_band_is_named_with_the_benchmarks_bands(peers: Benchmark) -> None:
    assert peer_choice_text(results_of(peers, size_band="Huge")) == (
        f"The client's size band, Huge, is not one of the benchmark's size bands {BANDS}; the "
        "peer group is the 7 organisations in Retail, the client's industry across all size bands."
    )


def test_a_client_without_industry_or_size_band_is_told_so(peers: Benchmark) -> None:
    assert peer_choice_text(results_of(peers, industry=None, size_band=None)) == (
        "The client's industry and size band are not recorded; the peer group is the 12 "
        "comparable organisations across all industries and sizes."
    )


def test_no_comparison_names_every_group_tried_and_its_size(peers: Benchmark) -> None:
    results = results_of(peers, min_peers=13)
    assert results["benchmark"]["available"] is False
    assert peer_choice_text(results) is None
    assert no_peers_reason(results) == (
        f"no peer group has the minimum of 13 organisations: Retail, {SMALL} has 5 "
        "organisations; Retail has 7 organisations; and the whole benchmark has 12 comparable "
        "organisations"
    )
    assert f"because {no_peers_reason(results)}." in benchmark_note(results)
    assert peers_section_note(results).endswith("so that no peer can be singled out.")


def test_no_comparison_with_an_unknown_industry_says_so(peers: Benchmark) -> None:
    reason = no_peers_reason(results_of(peers, min_peers=13, industry="Aerospace"))
    assert "the client's industry, Aerospace, is not one of the benchmark's industries" in reason
    assert reason.endswith("and the whole benchmark has 12 comparable organisations")


def test_without_a_benchmark_the_words_say_there_is_none() -> None:
    results = {"questionnaire": {"title": "PMO Readiness Check"}, "benchmark": None}
    assert no_peers_reason(results) == "there is no benchmark for the PMO Readiness Check"
    assert peer_choice_text(results) is None
    assert benchmark_note(results) == (
        "No peer comparison is made: there is no benchmark for the PMO Readiness Check."
    )
    assert "minimum" not in peers_section_note(results)


def test_asking_why_there_is_no_comparison_when_there_is_one_is_a_bug(peers: Benchmark) -> None:
    with pytest.raises(ValueError, match="needs results without a peer comparison"):
        no_peers_reason(results_of(peers))


def test_results_written_before_the_groups_were_recorded_still_read(peers: Benchmark) -> None:
    results = results_of(peers, size_band="Large")
    del results["benchmark"]["considered"]
    assert peer_choice_text(results) == "The peer group is the 7 organisations in Retail."
    small = results_of(peers, min_peers=13)
    del small["benchmark"]["considered"]
    assert no_peers_reason(small) == (
        "the whole benchmark has 12 comparable organisations, fewer than the minimum of 13"
    )


CASES = [
    {"industry": i, "size_band": b, "min_peers": m}
    for i in ("Retail", "Healthcare", "Aerospace", None, math.nan, "")
    for b in (SMALL, "Large", "Huge", None, math.nan)
    for m in (5, 6, 8, 13)
]


def test_no_sentence_shows_a_placeholder_or_names_a_peer(peers: Benchmark) -> None:
    for case in CASES:
        results = results_of(peers, **case)
        texts = [benchmark_note(results), peers_section_note(results)]
        texts.append(peer_choice_text(results) or no_peers_reason(results))
        for text in texts:
            for bad in ("None", "nan", "{", "}", "PEER", "ORG-", "  ", " ,", "..", " ."):
                assert bad not in text, (case, text)


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--client", "acme"],
        ["report", "--client", "acme,globex"],
        ["results", "--client", "acme"],
        ["batch"],
    ],
)
def test_a_missing_benchmark_is_a_one_line_error_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    workspace, missing = tmp_path / "workspace", tmp_path / "no" / "missing.csv"
    where = ["--workspace", str(workspace), "--benchmark", str(missing)]
    out = ["--out", str(tmp_path / "out")] if command[0] != "results" else []
    code = main([*command, *where, *out])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err == (
        f"error: --benchmark {missing}: does not exist (looked for {missing}); expected the "
        "path of an existing benchmark CSV file.\n"
    )
    assert not workspace.exists() and not (tmp_path / "out").exists()


def test_a_folder_given_as_the_benchmark_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["results", "--client", "acme", "--workspace", str(tmp_path / "w"),
                 "--benchmark", str(tmp_path)])  # fmt: skip
    assert code == 1
    assert f"--benchmark {tmp_path}: is a folder, not a file" in capsys.readouterr().err
