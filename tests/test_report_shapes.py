"""Reports of engagements shaped unlike the demo, rendered through the real pipeline (papermill,
nbconvert, WeasyPrint): one interviewee, a SAMM-shaped model scored 0 to 3 by one assessor, and a
firm's own four-level model with two waves whose respondents differ.

The words of the SAMM and four-level reports are kept as golden files
(``tests/data/golden/report_samm.txt``, ``report_four_level.txt``); rewrite them on purpose with
``PMO_ASSESS_UPDATE_GOLDEN=1`` (the run then fails: review the diff, rerun without it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_shapes import SHAPES, build_shape, visible_chunks

from pmo_assess.batch.single import render_client_report
from pmo_assess.store.repository import Store

GOLDEN = Path(__file__).parent / "data" / "golden"


def visible_text(html: str) -> str:
    return "\n".join(visible_chunks(html))


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Every shape rendered to HTML, PDF and the kept notebook; the four-level client's first
    wave rendered too (an earlier wave's report, with a later one on record)."""
    root = tmp_path_factory.mktemp("shapes")
    rendered: dict[str, dict[str, Path]] = {}
    with Store.open(workspace=root / "ws") as store:
        for shape in SHAPES:
            slug = build_shape(store, shape)
            rendered[shape] = render_client_report(store, slug, out_dir=root / "reports").files
            if shape == "four-level":
                earlier = render_client_report(
                    store, slug, wave="W1", out_dir=root / "reports", formats=("html",)
                )
                rendered["four-level-W1"] = earlier.files
    return rendered


def text_of(shapes: dict[str, dict[str, Path]], shape: str) -> str:
    return visible_text(shapes[shape]["html"].read_text(encoding="utf-8"))


def borrowed_words(text: str) -> list[str]:
    """Words of the PMO Maturity Assessment (its level names, its subject) found in a report of
    another questionnaire; "Optimizing the ..." is the engagement's kind, not the level."""
    text = text.replace("Optimizing the", "")
    words = ("Initial", "Repeatable", "Optimizing", "PMO", "project success")
    return [w for w in words if re.search(rf"\b{w}\b", text)]


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_renders_every_format_with_no_placeholder(shapes, shape):
    files = shapes[shape]
    assert {"html", "pdf", "notebook"} <= set(files)
    assert len(PdfReader(files["pdf"]).pages) >= 5
    text = text_of(shapes, shape)
    if shape == "samm":  # SAMM's lowest level is called "None": take the level's name out first
        text = re.sub(r"(?m)^None$|\bNone(?= \(from| from)", "", text)
    assert not re.search(r"\bNone\b(?! of)|\bnan\b|\bNaN\b|[{}]", text), shape
    assert "Traceback" not in text and "Error" not in text


def test_samm_report_speaks_of_its_own_scale_levels_and_subject(shapes):
    text = text_of(shapes, "samm")
    assert "1.5 of 3" in text and "of 5" not in text
    assert "Level 1" in text
    assert borrowed_words(text) == []
    assert "Scores run from 0.0 to 3.0" in text


def test_four_level_report_uses_the_firms_levels_and_subject(shapes):
    text = text_of(shapes, "four-level")
    assert "of 4" in text and "of 5" not in text
    assert "Oakridge Partners' delivery practice is at level 3 (Established" in text
    assert borrowed_words(text) == []


def test_changed_respondents_are_named_with_a_like_for_like_figure(shapes):
    text = text_of(shapes, "four-level")
    # W2 lost P2, the lowest scorer: the headline rise is 2.4 -> 3.3, like for like 2.9 -> 3.3
    assert "risen from 2.4 to 3.3" in text
    assert "1 project manager from the baseline did not answer again" in text
    assert "Among the 2 respondents who answered both waves, the overall score has risen " in text


def test_an_earlier_waves_report_points_to_the_latest(shapes):
    text = text_of(shapes, "four-level-W1")
    assert "W1 (an earlier wave)" in text
    assert "the latest, wave W2 (15 September 2026), has its own report" in text
    assert "Progress shows from the next wave" not in text and "Two waves" not in text


def test_one_interviewee_reads_in_the_singular_without_an_empty_exhibit(shapes):
    text = text_of(shapes, "one-respondent")
    assert (
        "Agreement cannot be measured: no question has answers from more than one respondent"
        in (text)
    )
    assert "1 respondent (the PMO member)" in text
    assert "between them" not in text
    assert "20 November 2026" in text  # the wave's date on the cover


@pytest.mark.parametrize(
    "shape, name", [("samm", "report_samm.txt"), ("four-level", "report_four_level.txt")]
)
def test_golden_words(shapes, shape, name):
    text = text_of(shapes, shape) + "\n"
    path = GOLDEN / name
    if os.environ.get("PMO_ASSESS_UPDATE_GOLDEN") == "1":  # rewrite, but never pass by it
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"{name}: golden file rewritten; review the diff and rerun without it")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} changed; rerun with PMO_ASSESS_UPDATE_GOLDEN=1 if on purpose"
    )
