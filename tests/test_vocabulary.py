"""The client vocabulary (issue 16 §3): the benchmark's industries and size bands, explicit
aliases and nothing guessed, and a data file that is checked line by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_assess.core.errors import ValidationError
from pmo_assess.core.paths import questionnaires_dir
from pmo_assess.insight.benchmark_data import load_benchmark
from pmo_assess.insight.peer_groups import choose_peer_group, spellings
from pmo_assess.model.vocabulary import VOCABULARY_PATH, load_vocabulary, vocabulary

BENCHMARK = load_benchmark(questionnaires_dir() / "pmo_maturity.benchmark.csv")


def test_the_names_are_the_shipped_benchmarks():
    rows = BENCHMARK.rows
    assert sorted(vocabulary().industry.names) == sorted(rows["industry"].unique())
    assert sorted(vocabulary().size_band.names) == sorted(rows["size_band"].unique())


@pytest.mark.parametrize(
    ("field", "given", "expected"),
    [
        ("industry", "Retail", "Retail"),  # a name as written
        ("industry", "  public   SECTOR ", "Public sector"),  # case and spaces ignored
        ("industry", "Telecommunications", "Telecoms"),  # a listed alias
        ("industry", "Rail", None),  # close to Retail, but not Retail
        ("industry", "Financial", None),  # a prefix is no alias
        ("size_band", "Large (>5,000)", "Large (>5,000)"),
        ("size_band", "large", "Large (>5,000)"),  # the alias, in any case
        ("size_band", "Larg", None),  # never guessed
        ("size_band", "Large (>5000)", None),  # a different spelling of the band is not listed
        ("size_band", "", None),
    ],
)
def test_resolve(field, given, expected):
    assert getattr(vocabulary(), field).resolve(given) == expected


def test_every_problem_is_named_with_the_closest_names():
    with pytest.raises(ValidationError) as refused:
        vocabulary().resolve_client(industry="Rail", size_band="Larg")
    first, second = (str(p) for p in refused.value.problems)
    assert first.startswith(
        "industry: 'Rail' is not one of the benchmark's industries; closest: Retail."
    )
    assert second.startswith(
        "size band: 'Larg' is not one of the benchmark's size bands; closest: Large (>5,000)."
    )
    assert first.endswith("Choose one of these, or leave the industry out.")


def test_an_aliased_band_forms_the_same_peer_group_as_the_name():
    # 'Large' is stored as 'Large (>5,000)': the closest group, industry and size, is used.
    band = vocabulary().resolve_client(size_band="Large")["size_band"]
    names = {c: spellings(BENCHMARK.rows[c]) for c in ("industry", "size_band")}
    considered, peers = choose_peer_group(BENCHMARK.rows, names, "Logistics", band, 5)
    assert considered[0].used and considered[0].label == "Logistics, Large (>5,000)"
    assert peers is not None and set(peers["size_band"]) == {"Large (>5,000)"}


HEADER = 'schema_version: 1\nid: v\nversion: "1"\ntitle: T\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (  # an alias must stand for a listed name
            'industries: {names: ["Retail"], aliases: {"Shops": "Retailers"}}\n'
            'size_bands: {names: ["Small"]}\n',
            r"vocabulary.yaml:5: alias 'Shops' stands for 'Retailers', not one of: Retail",
        ),
        (  # an alias that is also a name would stand for two names
            'industries: {names: ["Retail", "Shops"], aliases: {"shops": "Retail"}}\n'
            'size_bands: {names: ["Small"]}\n',
            r"vocabulary.yaml:5: 'shops' is listed twice",
        ),
        (  # YAML reads an unquoted yes as True
            "industries:\n  names:\n    - Retail\n    - yes\nsize_bands: {names: [Small]}\n",
            r"vocabulary.yaml:8: must be quoted text; got True",
        ),
        (
            'industries: {names: ["Retail"]}\n',
            r"vocabulary.yaml:1: 'size_bands' needs a list of 'names'",
        ),
    ],
)
def test_a_wrong_vocabulary_file_is_refused_with_its_line(tmp_path: Path, body, message):
    path = tmp_path / "vocabulary.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        load_vocabulary(path)


def test_a_missing_header_is_named(tmp_path: Path):
    path = tmp_path / "vocabulary.yaml"
    path.write_text(VOCABULARY_PATH.read_text().replace("title:", "name:"), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"vocabulary.yaml:\d+: missing 'title'"):
        load_vocabulary(path)
