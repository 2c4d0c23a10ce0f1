"""The firm's index (``reports/index.html``): every column means what its header and footnote
say, and shows its numbers as the client's report does."""

from __future__ import annotations

import copy
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from pmo_assess.batch.index import write_index
from pmo_assess.batch.run import Outcome
from pmo_assess.core.rounding import number_text, round_half_up
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results
from pmo_assess.report.text.phrases import percent
from pmo_assess.store.repository import Store

CLIENTS = ("quellbach-prazision", "larkspur-mutual-assurance", "hollowmere-county-council")
WAVE = "2026-Q3"


class IndexPage(HTMLParser):
    """The table's headers, each body row's cell texts, and the footer's text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.footer = ""
        self.html = html
        self._cell: list[str] | None = None
        self._in: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._in.add(tag)
        if tag == "tr" and "tbody" in self._in:
            self.rows.append([])
        if tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        self._in.discard(tag)
        if tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            (self.rows[-1] if tag == "td" else self.headers).append(text)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif "footer" in self._in:
            self.footer += data


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict[str, Any]]:
    """The results.json of the first three demo clients, by slug."""
    folder = tmp_path_factory.mktemp("index") / "ws"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=3)
        return {slug: build_results(store, slug).to_dict() for slug in CLIENTS}


def index_page(out: Path, results: dict[str, dict[str, Any]]) -> tuple[IndexPage, dict[str, Any]]:
    """Write each client's report folder and the index; the page and its rows by client name."""
    outcomes = []
    for slug, found in results.items():
        folder = out / slug / WAVE
        folder.mkdir(parents=True)
        (folder / "results.json").write_text(json.dumps(found), encoding="utf-8")
        (folder / "report.html").write_text("<html></html>", encoding="utf-8")
        name = found["client"]["name"]
        outcomes.append(
            Outcome(slug, name, WAVE, "rendered", 1.0, {"html": folder / "report.html"})
        )
    page = IndexPage(write_index(out, outcomes).read_text(encoding="utf-8"))
    rows = {row[0]: dict(zip(page.headers, row, strict=True)) for row in page.rows}
    by_slug = {
        slug: next(r for name, r in rows.items() if name.startswith(found["client"]["name"]))
        for slug, found in results.items()
    }
    return page, by_slug


def test_largest_gap_names_the_dimension_furthest_below_target(results, tmp_path):
    _, rows = index_page(tmp_path, results)
    # Hollowmere's highest-priority gap is Strategic Alignment (1.2, importance 3), but its
    # largest is Status and Risk Reporting: 3.5 - 1.7 = 1.8 (Governance next, 3.5 - 1.8 = 1.7)
    assert rows["hollowmere-county-council"]["Largest gap"] == (
        "Status and Risk Reporting (1.8 below target)"
    )
    for slug, found in results.items():
        below = [g for g in found["gaps"] if g["score"] is not None and (g["gap"] or 0) > 0]
        if below:
            largest = max(g["gap"] for g in below)
            title = min(g["title"] for g in below if g["gap"] == largest)
            assert rows[slug]["Largest gap"] == f"{title} ({number_text(largest)} below target)"
    # Larkspur meets every target: said in words, not a dash that reads as missing data
    assert rows["larkspur-mutual-assurance"]["Largest gap"] == "All targets met"


def test_ties_for_the_largest_gap_go_to_the_first_title(results, tmp_path):
    tied = copy.deepcopy(results["hollowmere-county-council"])
    for gap in tied["gaps"]:
        if gap["title"] == "Governance":
            gap["gap"] = 1.8  # now level with Status and Risk Reporting; G comes before S
    _, rows = index_page(tmp_path, {"hollowmere-county-council": tied})
    assert rows["hollowmere-county-council"]["Largest gap"] == "Governance (1.8 below target)"


def test_target_reached_is_the_share_the_footnote_defines(results, tmp_path):
    page, rows = index_page(tmp_path, results)
    assert "Target reached" in page.headers and "Of target" not in page.headers
    footnote = " ".join(page.footer.split())
    assert "“Target reached”: the share of the targets reached, counting each dimension only " in (
        footnote
    )
    assert "(the dimensions' scores, each capped at its target, summed, over the sum of the " in (
        footnote
    )
    for slug, found in results.items():
        # the footnote's definition, from the top-level dimensions with a score and a target,
        # each score as the report shows it (its gaps are between shown numbers)
        scored = [
            d
            for d in found["assessment"]["dimensions"]
            if d["score"] is not None and d["target"] is not None
        ]
        capped = sum(min(round_half_up(d["score"]), d["target"]) for d in scored)
        assert rows[slug]["Target reached"] == percent(capped / sum(d["target"] for d in scored))
    # Hollowmere by hand: targets 10 x 3.0 + 2 x 3.5 = 37; the gaps 1.2 + 1.7 + 1.3 + 1.5 + 1.2
    # + 0.4 + 0.3 + 1.8 + 0.8 + 0.7 + 1.3 + 0 = 12.2, so 37 - 12.2 = 24.8 reached: 67%
    assert rows["hollowmere-county-council"]["Target reached"] == "67%"
    # Larkspur is above every target: 100%, not the plain ratio of overall score to mean target
    assert rows["larkspur-mutual-assurance"]["Target reached"] == "100%"


def test_scores_are_shown_as_the_report_shows_them(results, tmp_path):
    page, rows = index_page(tmp_path, results)
    for slug, found in results.items():
        overall = found["assessment"]["overall"]["score"]
        assert rows[slug]["Overall"] == number_text(overall, 1)
    # the median of 2.894..., 3.948... and 2.056... is Quellbach's 2.894...
    median = number_text(results["quellbach-prazision"]["assessment"]["overall"]["score"], 1)
    assert f'<span class="value">{median}</span><span class="label">Median overall' in page.html
    # Larkspur's overall score is 3.9488...: one decimal, halves up, is 3.9 (never 3.95)
    assert rows["larkspur-mutual-assurance"]["Overall"] == "3.9"


def test_a_finer_scale_shows_more_decimals(results, tmp_path):
    finer = copy.deepcopy(results["larkspur-mutual-assurance"])
    finer["scale"] = {**finer.get("scale", {}), "precision": 2}
    coarse = copy.deepcopy(results["quellbach-prazision"])
    coarse.pop("scale", None)  # results written before the scale carried a precision: 1
    _, rows = index_page(tmp_path, {"larkspur-mutual-assurance": finer, "q": coarse})
    assert rows["larkspur-mutual-assurance"]["Overall"] == "3.95"
    assert rows["q"]["Overall"] == "2.9"
