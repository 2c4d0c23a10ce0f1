"""A questionnaire is its id, version and content (issue 17): one client's import never changes
the questionnaire another client was assessed with, built-in ids cannot be taken, ids are read
from inside the file, and a questionnaire's recommendations travel with it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pmo_assess.core.errors import PmoAssessError, ValidationError
from pmo_assess.insight.results import build_results
from pmo_assess.store.intake import import_survey_file
from pmo_assess.store.repository import Store

TINY = Path(__file__).parent / "data" / "answers" / "tiny.yaml"
QUESTIONS = ("governance.stage-gates", "governance.escalation", "reporting.cadence")

HEADER = """schema_version: 1
id: "{id}-recommendations"
version: "1.0"
title: "Actions"
questionnaire: "{id}"
benefits:
  cost: "Lower project costs"
actions:
"""


def library(qid: str) -> str:
    """A valid library for tiny.yaml: two actions per dimension and level step."""
    actions = [
        f'  - {{id: "{d}.{s}.a{n}", dimension: "{d}", step: "{s}", title: "Act {n}", '
        f'description: "Do it.", effort: "S", duration_weeks: 2, benefit: "cost"}}'
        for d in ("governance", "reporting")
        for s in ("1-2", "2-3", "3-4", "4-5")
        for n in (1, 2)
    ]
    return HEADER.format(id=qid) + "\n".join(actions) + "\n"


def questionnaire(folder: Path, qid: str, version: str, target: float, name: str = "") -> Path:
    """tiny.yaml under another id, version and default target, in a folder of its own."""
    text = TINY.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: .*$", f'id: "{qid}"', text, count=1)
    text = re.sub(r"(?m)^version: .*$", f'version: "{version}"', text, count=1)
    text = re.sub(r"(?m)^default_target: .*$", f"default_target: {target}", text, count=1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{qid.replace('-', '_')}.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def answers(folder: Path, client: str, wave: str = "w1", value: int = 3) -> Path:
    rows = [f"{client},{wave},R1,pmo,{q},{value}," for q in QUESTIONS]
    path = folder / f"{client}-{wave}.csv"
    path.write_text(
        "client,wave,respondent,role,question_id,answer,note\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "ws") as opened:
        for slug in ("alpha", "beta"):
            opened.add_client(f"{slug.title()} Ltd (fictional)", slug=slug)
        yield opened


def run(store: Store, tmp_path: Path, client: str, given: Path | None, wave: str = "w1") -> str:
    options = {"questionnaire": str(given)} if given else {}
    path = answers(tmp_path, client, wave)
    return import_survey_file(store, path, client, wave, fmt="long", **options)  # type: ignore[arg-type]


def test_each_client_keeps_its_own_version_of_a_shared_id(store, tmp_path):
    # alpha: quick-check 1.0.0 with target 3.0; beta: quick-check 2.0.0 with target 5.0
    run(store, tmp_path, "alpha", questionnaire(tmp_path / "a", "quick-check", "1.0.0", 3.0))
    run(store, tmp_path, "beta", questionnaire(tmp_path / "b", "quick-check", "2.0.0", 5.0))
    alpha, beta = build_results(store, "alpha"), build_results(store, "beta")
    assert alpha.questionnaire["version"] == "1.0.0"
    assert {g.target for g in alpha.gaps} == {3.0}
    assert beta.questionnaire["version"] == "2.0.0"
    assert {g.target for g in beta.gaps} == {5.0}
    # a later wave without --questionnaire stays on each client's own version
    run(store, tmp_path, "alpha", None, wave="w2")
    assert build_results(store, "alpha", "w2").questionnaire["version"] == "1.0.0"


def test_the_same_id_and_version_with_other_content_is_refused(store, tmp_path):
    first = questionnaire(tmp_path / "a", "quick-check", "1.0.0", 3.0)
    run(store, tmp_path, "alpha", first)
    second = questionnaire(tmp_path / "b", "quick-check", "1.0.0", 5.0)
    kept = store.workspace / "questionnaires" / "quick-check@1.0.0.yaml"
    with pytest.raises(PmoAssessError, match=rf"{re.escape(str(second))}.*{re.escape(kept.name)}"):
        run(store, tmp_path, "beta", second)
    assert store.find_engagement("beta") is None
    assert {g.target for g in build_results(store, "alpha").gaps} == {3.0}


def test_a_built_in_id_cannot_be_taken(store, tmp_path):
    impostor = questionnaire(tmp_path / "a", "pmo-maturity", "9.9", 3.0)
    with pytest.raises(PmoAssessError, match="'pmo-maturity' is a built-in questionnaire's"):
        run(store, tmp_path, "alpha", impostor)
    assert store.find_engagement("alpha") is None
    assert not list((store.workspace / "questionnaires").glob("*.yaml"))


def test_an_id_with_underscore_and_dot_round_trips(store, tmp_path):
    given = questionnaire(tmp_path / "a", "tiny_v2.x", "1.0", 3.0, name="anything.yaml")
    run(store, tmp_path, "alpha", given)
    assert build_results(store, "alpha").questionnaire["id"] == "tiny_v2.x"
    ws = str(store.workspace)
    done = subprocess.run(
        [sys.executable, "-m", "pmo_assess", "export", "--client", "alpha", "--workspace", ws],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "alpha,w1,R1,pmo,governance.stage-gates,3" in done.stdout
    run(store, tmp_path, "alpha", None, wave="w2")
    assert [w.label for w in store.waves(store.engagement("alpha").id)] == ["w1", "w2"]


def test_a_custom_recommendations_library_travels_with_its_questionnaire(store, tmp_path):
    given = questionnaire(tmp_path / "a", "quick-check", "1.0.0", 5.0)
    given.with_name("quick_check.recommendations.yaml").write_text(
        library("quick-check"), encoding="utf-8"
    )
    run(store, tmp_path, "alpha", given)
    for path in tmp_path.joinpath("a").iterdir():
        path.unlink()  # the consultant's own copy is gone; the workspace's is used
    roadmap = build_results(store, "alpha").roadmap
    assert roadmap["library"]["id"] == "quick-check-recommendations"
    assert roadmap["items"]  # every answer is 3 against a target of 5


def test_a_missing_recommendations_library_is_said(store, tmp_path):
    given = questionnaire(tmp_path / "a", "quick-check", "1.0.0", 5.0)
    report = run(store, tmp_path, "alpha", given)
    assert "No recommendations library beside" in report
    assert "quick_check.recommendations.yaml" in report


def test_results_refuse_when_the_assessed_questionnaire_is_gone(store, tmp_path):
    run(store, tmp_path, "alpha", questionnaire(tmp_path / "a", "quick-check", "1.0.0", 3.0))
    (store.workspace / "questionnaires" / "quick-check@1.0.0.yaml").unlink()
    with pytest.raises(
        PmoAssessError, match=r"Questionnaire 'quick-check' with digest \w+ is gone"
    ):
        build_results(store, "alpha")


def test_a_client_stays_with_the_questionnaire_it_was_assessed_with(store, tmp_path):
    run(store, tmp_path, "alpha", questionnaire(tmp_path / "a", "quick-check", "1.0.0", 3.0))
    newer = questionnaire(tmp_path / "b", "quick-check", "2.0.0", 5.0)
    with pytest.raises(PmoAssessError, match="was assessed with questionnaire 'quick-check'"):
        run(store, tmp_path, "alpha", newer, wave="w2")


def test_a_copy_of_a_loaded_questionnaire_is_not_parsed_again(tmp_path, monkeypatch):
    """A report kernel loads the copy beside its results; parsing it again cost ~0.3 s."""
    from pmo_assess.model import loading

    original = loading.find_questionnaire("pmo-maturity")
    loading.load_questionnaire(original)
    copy = tmp_path / "questionnaire.yaml"
    copy.write_bytes(original.read_bytes())
    parsed: list[Path] = []
    real_load_yaml = loading.load_yaml
    monkeypatch.setattr(loading, "load_yaml", lambda p: parsed.append(p) or real_load_yaml(p))
    again = loading.load_questionnaire(copy)
    assert parsed == [] and again.source == str(copy.resolve())
    assert again.dimensions == loading.load_questionnaire(original).dimensions
    # another content is parsed and checked, and its problems name the copy
    copy.write_text(original.read_text(encoding="utf-8").replace("dimensions:", "dimensionz:", 1))
    with pytest.raises(ValidationError) as raised:
        loading.load_questionnaire(copy)
    assert parsed == [copy.resolve()] and str(copy) in str(raised.value)
