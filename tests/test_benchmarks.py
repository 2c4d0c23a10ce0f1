"""Benchmarks: the dataset format, the shipped synthetic dataset, the firm's own, and comparison.

Expected percentiles and quartiles are worked out by hand in the comments: percentile rank is
(peers below + half the peers equal) / peers * 100; quartiles interpolate linearly between the
sorted values at position (n - 1) * q, counting from 0.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pmo_assess import PmoAssessError, ValidationError, load_questionnaire, score_assessment
from pmo_assess.engagement.demo import SIZE_BANDS, build_demo_workspace
from pmo_assess.insight.anonymity import k_anonymise
from pmo_assess.insight.benchmark_data import benchmark_text, parse_benchmark, score_scale
from pmo_assess.insight.benchmark_synthetic import (
    INDUSTRY_EFFECTS,
    SIZE_EFFECTS,
    synthesize,
    write_synthetic_benchmark,
)
from pmo_assess.insight.benchmarks import (
    Benchmark,
    build_benchmark,
    client_profile,
    compare,
    default_benchmark_path,
    load_benchmark,
    write_benchmark,
    write_firm_benchmark,
)
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import Store

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "benchmarks"
TINY = load_questionnaire(Path(__file__).parent / "data" / "answers" / "tiny.yaml")
THREE_POINT = load_questionnaire(DATA / "scale_1_to_3.yaml")
MATURITY = load_questionnaire("pmo-maturity")
SHIPPED = ROOT / "questionnaires" / "pmo_maturity.benchmark.csv"
RETAIL_SMALL = "Small (<500 staff)"


def problems_of(path: Path, questionnaire: Any = None) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        load_benchmark(path, questionnaire)
    return [str(p) for p in caught.value.problems]


# --- the format ---------------------------------------------------------------------------------


def test_valid_file_loads_with_header_and_typed_rows() -> None:
    benchmark = load_benchmark(DATA / "valid.csv", TINY)
    assert benchmark.meta["version"] == "2026.1"
    assert benchmark.synthetic is True
    assert benchmark.sources == (
        "Made up for tests (four organisations; no survey)",
        "A second source",
    )
    assert benchmark.dimension_ids == ("governance", "reporting")
    rows = benchmark.rows
    assert list(rows["org_id"]) == ["ORG-0001", "ORG-0002", "ORG-0003", "ORG-0004"]
    assert rows["year"].tolist() == [2024, 2025, 2026, 2022]
    assert rows["region"].iloc[1] == ""
    assert np.isnan(rows["reporting"].iloc[1])  # blank: not assessed
    assert rows["overall"].tolist() == [2.5, 3.0, 1.25, 5.0]


@pytest.mark.parametrize("name", ["excel_saved.csv", "semicolon.csv"])
def test_spreadsheet_saved_variants_read_the_same(name: str) -> None:
    expected = load_benchmark(DATA / "valid.csv")
    found = load_benchmark(DATA / name)
    assert found.meta == expected.meta
    pd.testing.assert_frame_equal(found.rows, expected.rows)


@pytest.mark.parametrize(
    ("name", "match"),
    [
        (
            "missing_header_keys.csv",
            r"missing_header_keys.csv row 1: header lacks synthetic, sources",
        ),
        (
            "version_unquoted.csv",
            r"row 3: version must be text; YAML read '2026.1' as float: quote it",
        ),
        ("missing_columns.csv", r"row 8: missing column\(s\) year, overall"),
        (
            "score_not_number.csv",
            r"row 10: governance: 'high' is not a number; expected a score from 1 to 5",
        ),
        (
            "score_out_of_range.csv",
            r"row 10: reporting: 5.5 is outside the scale; expected a score from 1 to 5",
        ),
        ("score_out_of_range.csv", r"row 11: overall: 0 is outside the scale"),
        ("duplicate_org_id.csv", r"row 12: org_id: 'ORG-0002' is used twice \(first at row 10\)"),
        ("year_not_integer.csv", r"row 9: year: '2024.5' is not a whole number"),
        ("year_not_integer.csv", r"row 10: year: 'FY25' is not a whole number"),
        ("header_only.csv", r"header_only.csv: no table follows the header"),
    ],
)
def test_each_rule_names_file_row_and_field(name: str, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        load_benchmark(DATA / name)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            "# synthetic: true",
            "# synthetic true",
            r"x.csv row 5: a header line must read '# key: value'",
        ),
        ("# title: Small benchmark for tests", "# title:", r"x.csv row 4: title is blank"),
        (
            "# id: tiny-test",
            "# id: tiny-test\n# id: again",
            r"x.csv row 3: header key 'id' is given twice",
        ),
        (",governance,", ",governance,,", r"x.csv row 8: column 10 has no name"),
        (
            ",reporting\n",
            ",governance\n",
            r"x.csv row 8: column 'governance' appears more than once",
        ),
    ],
)
def test_header_and_column_rules(old: str, new: str, match: str) -> None:
    text = (DATA / "valid.csv").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ValidationError, match=match):
        parse_benchmark(text.replace(old, new, 1), "x.csv")


def test_every_problem_is_reported_in_one_pass() -> None:
    found = problems_of(DATA / "several_problems.csv")
    name = DATA / "several_problems.csv"
    assert found == [
        f"{name} row 1: schema_version must be 1; got '2'",
        f"{name} row 5: synthetic must be true or false; got 'maybe'",
        f"{name} row 9: year: blank; every organisation needs one",
        f"{name} row 9: overall: blank; every organisation needs one",
        f"{name} row 9: reporting: 7 is outside the scale; expected a score from 1 to 5, or blank for not assessed",
        f"{name} row 10: 11 cells; the header has 10",
        f"{name} row 10: org_id: 'ORG-0001' is used twice (first at row 9)",
        f"{name} row 10: governance: 'n/a' is not a number; expected a score from 1 to 5, or blank for not assessed",
    ]


def test_questionnaire_sets_the_dimension_columns() -> None:
    with pytest.raises(
        ValidationError,
        match=r"row 8: column 'risk' is not a dimension of questionnaire 'tiny'; its dimensions: governance, reporting",
    ):
        load_benchmark(DATA / "unknown_dimension.csv", TINY)
    assert load_benchmark(DATA / "unknown_dimension.csv").dimension_ids == (
        "governance",
        "reporting",
        "risk",
    )


def test_questionnaire_sets_the_scale() -> None:
    load_benchmark(DATA / "scale_1_to_3.csv")  # 1 to 5 without a questionnaire: 3.5 and 4 fit
    with pytest.raises(
        ValidationError,
        match=r"row 10: overall: 3.50 is outside the scale; expected a score from 1 to 3",
    ):
        load_benchmark(DATA / "scale_1_to_3.csv", THREE_POINT)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (DATA / "scale_1_to_3.yaml", (1.0, 3.0)),
        (DATA.parent / "answers" / "tiny.yaml", (1.0, 5.0)),
        # delivery sums two questions scored 1 to 3: one answered gives 1, both at 3 give 6
        (DATA.parent / "questionnaires" / "valid_minimal.yaml", (1.0, 6.0)),
        # each stream sums three answers of 0 to 1 (0 to 3); the practice is their mean
        (DATA.parent / "scoring_sum.yaml", (0.0, 3.0)),
    ],
)
def test_scale_comes_from_the_questionnaire(path: Path, expected: tuple[float, float]) -> None:
    assert score_scale(load_questionnaire(path)) == expected
    assert score_scale(None) == (1.0, 5.0)


def test_missing_file_is_a_user_error() -> None:
    with pytest.raises(PmoAssessError, match=r"File not found: .*nowhere.csv"):
        load_benchmark(DATA / "nowhere.csv")


def test_write_round_trips_byte_for_byte(tmp_path: Path) -> None:
    original = DATA / "valid.csv"
    benchmark = load_benchmark(original)
    written = write_benchmark(benchmark.rows, benchmark.meta, tmp_path / "copy.csv")
    assert written.read_text(encoding="utf-8") == original.read_text(encoding="utf-8")


def test_write_refuses_bad_rows_and_leaves_the_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("before", encoding="utf-8")
    benchmark = load_benchmark(DATA / "valid.csv")
    with_names = benchmark.rows.assign(client="Acme Rail (fictional)")
    with pytest.raises(ValidationError, match=r"client: 'Acme Rail \(fictional\)' is not a number"):
        write_benchmark(with_names, benchmark.meta, target)
    with pytest.raises(PmoAssessError, match="Benchmark header lacks sources"):
        write_benchmark(
            benchmark.rows, {k: v for k, v in benchmark.meta.items() if k != "sources"}, target
        )
    assert target.read_text(encoding="utf-8") == "before"
    assert list(tmp_path.iterdir()) == [target]


def test_header_values_yaml_could_misread_are_quoted() -> None:
    meta = load_benchmark(DATA / "valid.csv").meta | {"title": "Yes", "id": "a: b"}
    text = benchmark_text(load_benchmark(DATA / "valid.csv").rows, meta)
    assert '# title: "Yes"\n' in text and '# id: "a: b"\n' in text
    assert parse_benchmark(text, "x.csv").meta["title"] == "Yes"


# --- the shipped synthetic dataset ----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Benchmark:
    return load_benchmark(SHIPPED, MATURITY)


def test_synthetic_dataset_ships_and_says_so(shipped: Benchmark) -> None:
    assert default_benchmark_path(MATURITY).resolve() == SHIPPED.resolve()
    assert len(shipped.rows) >= 300
    assert shipped.rows["industry"].nunique() >= 6
    assert shipped.rows["size_band"].nunique() == 3
    assert shipped.rows["region"].nunique() >= 3
    assert set(shipped.rows["year"]) == {2022, 2023, 2024, 2025, 2026}
    assert shipped.rows["org_id"].iloc[0] == "ORG-0001"
    header = SHIPPED.read_text(encoding="utf-8").split("\norg_id,")[0]
    assert "# synthetic: true" in header
    assert shipped.synthetic is True
    pm_solutions, gartner = shipped.sources
    assert pm_solutions.startswith("PM Solutions, Project Management Maturity & Value Benchmark")
    assert gartner.startswith("Gartner Peer Community poll on PMO maturity (74 answers")


def test_synthetic_dataset_matches_the_published_figures(shipped: Benchmark) -> None:
    overall = np.sort(shipped.rows["overall"].to_numpy())
    # Gartner poll: not mature 4%, slightly 50%, moderately 28%, very 15%, fully 3%
    bands = np.searchsorted([1.6, 2.6, 3.4, 4.2], overall, side="right")
    shares = np.bincount(bands, minlength=5) / len(overall) * 100
    assert np.abs(shares - [4, 50, 28, 15, 3]).max() <= 5
    # PM Solutions: low performers 1.7, average 2.5, high performers 3.4
    third = len(overall) // 3
    means = [overall[:third].mean(), overall[third:-third].mean(), overall[-third:].mean()]
    assert np.abs(np.array(means) - [1.7, 2.5, 3.4]).max() <= 0.2


def test_synthetic_overall_is_the_mean_of_the_dimensions(shipped: Benchmark) -> None:
    dimensions = shipped.rows[list(shipped.dimension_ids)]
    assert (shipped.rows["overall"] - dimensions.mean(axis=1)).abs().max() <= 0.005 + 1e-9
    assert dimensions.isna().to_numpy().any()  # some dimensions not assessed
    assert dimensions.notna().any(axis=1).all()


def test_regenerating_with_the_documented_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    assert "--seed 20261128" in SHIPPED.read_text(encoding="utf-8").splitlines()[7]
    written = write_synthetic_benchmark(MATURITY, tmp_path / "again.csv", seed=20261128)
    assert written.read_bytes() == SHIPPED.read_bytes()


def test_the_script_writes_the_same_file(tmp_path: Path) -> None:
    out = tmp_path / "script.csv"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_synthetic_benchmark.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_synthesize_depends_on_the_seed_only() -> None:
    first, again = synthesize(MATURITY, n=50, seed=7), synthesize(MATURITY, n=50, seed=7)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(synthesize(MATURITY, n=50, seed=8))


def test_synthesize_refuses_other_scales_and_bad_sizes() -> None:
    with pytest.raises(
        PmoAssessError, match=r"needs a questionnaire scored 1 to 5.*'three-point' scores 1 to 3"
    ):
        synthesize(THREE_POINT)
    with pytest.raises(
        PmoAssessError, match=r"'n' parameter of synthesize must be an int of at least 1. Got 0"
    ):
        synthesize(MATURITY, n=0)


def test_demo_clients_find_peers_of_their_own_industry_and_size(
    shipped: Benchmark, tmp_path: Path
) -> None:
    assert set(SIZE_BANDS.values()) == set(SIZE_EFFECTS)
    with Store.open(workspace=tmp_path) as store:
        build_demo_workspace(store)
        clients = store.clients()
        answers = store.load_answers()
        for client in clients:
            assert client.industry in INDUSTRY_EFFECTS
            result = score_assessment(MATURITY, answers, client.slug, "2026-Q3")
            comparison = compare(shipped, client_profile(result, client))
            assert comparison.group == "industry-and-size", client.slug
            assert comparison.label == f"{client.industry}, {client.size_band}"


# --- comparison ---------------------------------------------------------------------------------


def tiny_client(**changes: Any) -> dict[str, Any]:
    client = {
        "industry": "Retail",
        "size_band": RETAIL_SMALL,
        "scores": {"overall": 2.0, "governance": 3.0, "reporting": 2.0},
        "questionnaire_id": "tiny",
        "questionnaire_version": "0.1",
        "dimension_ids": ["governance", "reporting"],
    }
    return client | changes


def one_dimension(values: list[float | None], versions: list[str] | None = None) -> Benchmark:
    """Peers of questionnaire tiny, all Retail and small, scoring these values in both dimensions
    and overall (3 overall where a value is blank)."""
    n = len(values)
    frame = pd.DataFrame(
        {
            "org_id": [f"ORG-{i:04d}" for i in range(1, n + 1)],
            "industry": "Retail",
            "size_band": RETAIL_SMALL,
            "region": "",
            "year": 2025,
            "questionnaire_id": "tiny",
            "questionnaire_version": versions or ["0.1"] * n,
            "overall": [3.0 if v is None else v for v in values],
            "governance": values,
            "reporting": values,
        }
    )
    meta = load_benchmark(DATA / "valid.csv").meta
    return parse_benchmark(benchmark_text(frame, meta), "peers")


@pytest.fixture(scope="module")
def peers() -> Benchmark:
    return load_benchmark(DATA / "peers.csv", TINY)


@pytest.mark.parametrize(
    ("values", "score", "expected"),
    [
        # sorted 1, 2, 2, 3, 4; 2.0: 1 below, 2 equal -> (1 + 1) / 5 = 40
        # q1 at position 1 -> 2; median at 2 -> 2; q3 at 3 -> 3
        ([4.0, 2.0, 1.0, 3.0, 2.0], 2.0, (40.0, 2.0, 2.0, 3.0)),
        # sorted 1.5, 2, 2.5, 3, 3.5, 4; 3.2: 4 below -> 4 / 6 = 66.67
        # q1 at 1.25 -> 2 + 0.25 * 0.5 = 2.125; median at 2.5 -> 2.75; q3 at 3.75 -> 3.375
        ([1.5, 2.0, 2.5, 3.0, 3.5, 4.0], 3.2, (400 / 6, 2.125, 2.75, 3.375)),
        # everyone equal: 0 below, 5 equal -> 2.5 / 5 = 50
        ([3.0] * 5, 3.0, (50.0, 3.0, 3.0, 3.0)),
        # below everyone -> 0; above everyone -> 100
        ([2.0, 2.5, 3.0, 3.5, 4.0], 1.0, (0.0, 2.5, 3.0, 3.5)),
        ([2.0, 2.5, 3.0, 3.5, 4.0], 4.5, (100.0, 2.5, 3.0, 3.5)),
        # blanks do not count: sorted 1, 2, 3, 4, 5; 4.0: 3 below, 1 equal -> 3.5 / 5 = 70
        ([1.0, None, 2.0, 3.0, None, 4.0, 5.0], 4.0, (70.0, 2.0, 3.0, 4.0)),
    ],
)
def test_percentile_rank_and_quartiles(
    values: list[float | None], score: float, expected: tuple[float, ...]
) -> None:
    scores = {"overall": score, "governance": score, "reporting": score}
    result = compare(one_dimension(values), tiny_client(scores=scores))
    found = result.dimensions["governance"]
    assert found is not None
    assert (found.percentile, found.q1, found.median, found.q3) == pytest.approx(expected)
    assert found.n == sum(v is not None for v in values)
    assert found.score == score
    assert result.dimensions["reporting"] == found
    if None not in values:
        assert result.overall == found


def test_same_industry_and_size_first(peers: Benchmark) -> None:
    result = compare(peers, tiny_client())
    assert (result.available, result.group, result.label, result.n) == (
        True,
        "industry-and-size",
        "Retail, Small (<500 staff)",
        5,  # the two rows of another questionnaire do not count
    )
    # overall 1.5, 2, 2, 3, 3.5; client 2.0: 1 below, 2 equal -> 40; quartiles 2, 2, 3
    assert result.overall is not None
    assert (
        result.overall.percentile,
        result.overall.q1,
        result.overall.median,
        result.overall.q3,
    ) == (40.0, 2.0, 2.0, 3.0)
    # governance 1, 2, 3, 4, 5; client 3.0: 2 below, 1 equal -> 50; quartiles 2, 3, 4
    governance = result.dimensions["governance"]
    assert governance is not None
    assert (
        governance.percentile,
        governance.q1,
        governance.median,
        governance.q3,
        governance.n,
    ) == (50.0, 2.0, 3.0, 4.0, 5)
    # reporting: only 4 of the 5 peers scored it, fewer than 5
    assert result.dimensions["reporting"] is None


def test_falls_back_to_the_industry(peers: Benchmark) -> None:
    result = compare(peers, tiny_client(), min_peers=6)
    assert (result.group, result.label, result.n) == ("industry", "Retail", 7)
    # overall 1.5, 2, 2, 3, 3.5, 4, 4.5; 2.0: 1 below, 2 equal -> 2 / 7
    # q1 at 1.5 -> 2; median at 3 -> 3; q3 at 4.5 -> 3.5 + 0.5 * 0.5 = 3.75
    assert result.overall is not None
    assert (
        result.overall.percentile,
        result.overall.q1,
        result.overall.median,
        result.overall.q3,
    ) == pytest.approx((200 / 7, 2.0, 3.0, 3.75))
    # reporting 2, 2, 2, 4, 4, 4 (6 peers): 2.0: 0 below, 3 equal -> 25; q1 at 1.25 -> 2,
    # median at 2.5 -> 3, q3 at 3.75 -> 4
    reporting = result.dimensions["reporting"]
    assert reporting is not None
    assert (reporting.percentile, reporting.q1, reporting.median, reporting.q3, reporting.n) == (
        25.0,
        2.0,
        3.0,
        4.0,
        6,
    )


def test_falls_back_to_everyone(peers: Benchmark) -> None:
    result = compare(peers, tiny_client(), min_peers=8)
    assert (result.group, result.label, result.n) == ("all", "All organisations", 12)
    # 1, 1.5, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4, 4, 4.5; 2.0: 3 below, 2 equal -> 4 / 12
    # q1 at 2.75 -> 1.5 + 0.75 * 0.5 = 1.875; median at 5.5 -> 2.75; q3 at 8.25 -> 3.625
    assert result.overall is not None
    assert (
        result.overall.percentile,
        result.overall.q1,
        result.overall.median,
        result.overall.q3,
    ) == pytest.approx((100 / 3, 1.875, 2.75, 3.625))


@pytest.mark.parametrize(
    ("industry", "size_band", "group", "label", "n"),
    [
        ("Healthcare", RETAIL_SMALL, "industry", "Healthcare", 5),  # no small healthcare peers
        ("Aerospace", RETAIL_SMALL, "all", "All organisations", 12),
        (None, None, "all", "All organisations", 12),
        ("Retail", None, "industry", "Retail", 7),
    ],
)
def test_peer_group_when_the_closer_ones_are_too_small(
    peers: Benchmark, industry: str | None, size_band: str | None, group: str, label: str, n: int
) -> None:
    result = compare(peers, tiny_client(industry=industry, size_band=size_band))
    assert (result.group, result.label, result.n) == (group, label, n)


def test_too_few_organisations_gives_no_comparison(peers: Benchmark) -> None:
    result = compare(peers, tiny_client(), min_peers=13)
    assert (result.available, result.group, result.label, result.n) == (False, None, None, 12)
    assert result.overall is None and result.dimensions == {}
    assert result.to_dict()["overall"] is None


@pytest.mark.parametrize("min_peers", [4, 0, -1, 2.5, True])
def test_min_peers_below_five_is_refused(peers: Benchmark, min_peers: Any) -> None:
    with pytest.raises(
        PmoAssessError,
        match=r"'min_peers' parameter of compare must be an int of at least 5, .* Got",
    ):
        compare(peers, tiny_client(), min_peers=min_peers)


def test_client_without_the_needed_keys_is_refused(peers: Benchmark) -> None:
    client = {k: v for k, v in tiny_client().items() if k not in ("scores", "dimension_ids")}
    with pytest.raises(PmoAssessError, match="lacks scores, dimension_ids; it needs industry"):
        compare(peers, client)


def test_client_without_a_score_still_sees_the_quartiles(peers: Benchmark) -> None:
    result = compare(peers, tiny_client(scores={"overall": None, "governance": float("nan")}))
    assert result.overall is not None and result.overall.percentile is None
    assert result.overall.median == 2.0
    assert result.dimensions["governance"] is not None
    assert result.dimensions["governance"].score is None


def test_other_versions_count_only_with_the_same_dimensions() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 2.5, 2.5]
    benchmark = one_dimension(values, ["0.1"] * 5 + ["0.0.9"] * 2)
    rows = benchmark.rows.copy()
    rows["risk"] = np.nan
    rows.loc[6, "reporting"] = np.nan  # version 0.0.9 without reporting: other dimensions
    both = Benchmark(benchmark.meta, rows)
    assert compare(both, tiny_client()).n == 6  # five of 0.1, one of 0.0.9 with both dimensions
    rows.loc[5, "risk"] = 3.0  # 0.0.9 with a dimension the client's version does not have
    assert compare(Benchmark(benchmark.meta, rows), tiny_client()).n == 5
    rows.loc[0, "risk"] = 3.0  # the client's own version may leave or add dimensions
    assert compare(Benchmark(benchmark.meta, rows), tiny_client()).n == 5


def test_excluded_organisations_are_left_out(peers: Benchmark) -> None:
    result = compare(peers, tiny_client(), exclude_org_ids=["PEER-SECRET-01"])
    assert (result.group, result.n) == ("industry", 6)


def test_no_peer_is_named_and_the_result_is_json(peers: Benchmark) -> None:
    for min_peers in (5, 6, 8, 13):
        text = json.dumps(compare(peers, tiny_client(), min_peers=min_peers).to_dict())
        assert "PEER" not in text and "org_id" not in text
    data = json.loads(json.dumps(compare(peers, tiny_client()).to_dict()))
    assert data["benchmark"] == {
        "id": "tiny-peers",
        "title": "Twelve peers for comparison tests",
        "version": "1",
        "synthetic": True,
        "sources": ["Made up for tests"],
    }
    assert data["dimensions"]["reporting"] is None
    assert data["overall"]["percentile"] == 40.0


# --- the firm's own benchmark -------------------------------------------------------------------

PLANTED = "Zanzibar Quietwater Holdings"


@pytest.fixture(scope="module")
def firm_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Six demo clients, a planted client with a telling name and wave label, and one with no answers."""
    with Store.open(workspace=tmp_path_factory.mktemp("firm")) as store:
        build_demo_workspace(store, clients=6)
        store.add_client(PLANTED, industry="Retail", size_band=RETAIL_SMALL, region="Nordics")
        engagement = store.start_engagement("zanzibar-quietwater-holdings", MATURITY)
        questions = [q.id for q in MATURITY.questions()]
        answers = pd.DataFrame(
            {
                "respondent": "R01",
                "question_id": questions,
                "value": 3.0,
                "status": "answered",
                "note": f"{PLANTED} runs gates",
            }
        )
        store.import_answers(engagement.id, "zanzibar-wave", [NewRespondent("pmo", "R01")], answers)
        store.add_client("Unassessed Upholstery Ltd", industry="Retail")
        yield store


def test_one_row_per_assessed_client_from_its_latest_wave(firm_store: Store) -> None:
    frame = build_benchmark(firm_store, rng=np.random.default_rng(3))
    assert list(frame["org_id"]) == [f"FIRM-{i:03d}" for i in range(1, 8)]
    answers = firm_store.load_answers()
    latest = {}
    for client in firm_store.clients():
        engagement = firm_store.find_engagement(client.slug)
        if engagement:
            wave = firm_store.waves(engagement.id)[-1].label
            latest[client.slug] = score_assessment(MATURITY, answers, client.slug, wave)
    assert len(latest) == 7
    assert sorted(frame["overall"]) == pytest.approx(
        sorted(r.overall.score for r in latest.values())
    )
    baseline = score_assessment(MATURITY, answers, "quellbach-prazision", "2025-Q4").overall.score
    assert baseline not in list(frame["overall"])
    governance = sorted(r.dimensions[1].score for r in latest.values())
    assert sorted(frame["governance"]) == pytest.approx(governance)
    # demo waves are held in 2026; the planted wave has no date: the year of its answers
    assert set(frame["year"]) == {2026, date.today().year}


def test_numbering_is_random_not_by_client(firm_store: Store) -> None:
    orders = {
        tuple(build_benchmark(firm_store, rng=np.random.default_rng(s))["industry"])
        for s in range(6)
    }
    assert len(orders) > 1


def test_written_file_names_no_client(firm_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "firm.csv"
    write_firm_benchmark(firm_store, out)
    text = out.read_text(encoding="utf-8")
    benchmark = load_benchmark(out, MATURITY)
    assert benchmark.synthetic is False and len(benchmark.rows) == 7
    for client in firm_store.clients():
        first_word = next(w for w in client.name.split() if len(w) > 3)  # "St Aldric": Aldric
        for telling in (client.name, client.slug, first_word):
            assert telling.lower() not in text.lower(), telling
    assert "zanzibar" not in text.lower() and "R01" not in text and "2025-Q4" not in text


def test_a_store_without_answers_has_no_benchmark(tmp_path: Path) -> None:
    with Store.open(workspace=tmp_path) as store:
        store.add_client("Empty Example (fictional)")
        assert build_benchmark(store).empty
        with pytest.raises(
            PmoAssessError, match=r"No client in the store .* has answers to 'pmo-maturity' yet"
        ):
            write_firm_benchmark(store, tmp_path / "firm.csv")
    assert not (tmp_path / "firm.csv").exists()


def test_firm_file_neutralises_formulas_and_shares_every_combination(tmp_path: Path) -> None:
    """Seven clients, each with its own industry, size band and region, one industry a formula:
    no combination is shared by 5, so region, then size band, then industry give way."""
    with Store.open(workspace=tmp_path) as store:
        build_demo_workspace(store, clients=6)
        store.add_client(PLANTED, industry="=cmd|' /C calc'!A0", size_band="Tiny", region="Mars")
        engagement = store.start_engagement("zanzibar-quietwater-holdings", MATURITY)
        answers = pd.DataFrame(
            {"respondent": "R01", "question_id": [q.id for q in MATURITY.questions()]}
        ).assign(value=3.0, status="answered")
        store.import_answers(engagement.id, "w1", [NewRespondent("pmo", "R01")], answers)
        out = tmp_path / "firm.csv"
        frame = write_firm_benchmark(store, out)
    text = out.read_text(encoding="utf-8")
    assert "=cmd" not in text.replace("'=cmd", "")
    assert "Mars" not in text and "Tiny" not in text
    groups = frame.groupby(["industry", "size_band", "region"], dropna=False).size()
    assert (groups >= 5).all()
    assert "# k_anonymity: 5" in text
    assert "# coarsened: region blanked in 7 of 7 rows; size band blanked in 7 of 7 rows" in text


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # five alike: nothing changes
        ([("Retail", "Small", "EU")] * 5, [("Retail", "Small", "EU")] * 5),
        # 5 EU + 3 Asia + 2 US: the five outside Europe lose their region, and then share one
        (
            [("Retail", "Small", "EU")] * 5
            + [("Retail", "Small", "Asia")] * 3
            + [("Retail", "Small", "US")] * 2,
            [("Retail", "Small", "EU")] * 5 + [("Retail", "Small", "")] * 5,
        ),
        # 5 small + 5 large (different regions) + 1 mining: only mining's group is too small,
        # and "Other" with one row is joined by the smallest group (the five large, here)
        (
            [("Retail", "Small", "EU")] * 5
            + [("Retail", "Large", r) for r in "ABCDE"]
            + [("Mining", "Small", "EU")],
            [("Retail", "Small", "EU")] * 5 + [("Other", "", "")] * 6,
        ),
    ],
)
def test_k_anonymise(
    rows: list[tuple[str, str, str]], expected: list[tuple[str, str, str]]
) -> None:
    frame = pd.DataFrame(rows, columns=["industry", "size_band", "region"])
    result = k_anonymise(frame).frame
    assert sorted(result.itertuples(index=False, name=None)) == sorted(expected)


def test_fewer_than_five_organisations_cannot_be_shared() -> None:
    frame = pd.DataFrame(
        [("Retail", "Small", "EU")] * 4, columns=["industry", "size_band", "region"]
    )
    with pytest.raises(PmoAssessError, match=r"needs at least 5 organisations.*this one has 4"):
        k_anonymise(frame)


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_a_benchmark_saved_with_other_line_endings_reads(tmp_path, ending):
    shipped = Path(__file__).resolve().parents[1] / "questionnaires" / "pmo_maturity.benchmark.csv"
    text = shipped.read_text(encoding="utf-8")
    path = tmp_path / "benchmark.csv"
    path.write_bytes(text.replace("\n", ending).encode("utf-8"))
    assert len(load_benchmark(path).rows) == len(load_benchmark(shipped).rows)
