"""Re-assessment: waves compared, actions done against due, the updated roadmap, and notebook 06."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import nbformat
import papermill
import pytest

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.house_table import HouseTable
from pmo_assess.engagement.notebook import choose
from pmo_assess.engagement.reassessment import (
    Note,
    action_progress,
    comparison_chart,
    reassessment_overview,
    updated_roadmap,
    wave_comparison,
    wave_comparison_table,
)
from pmo_assess.insight.results import build_results
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.report.kernels import IPCKernelManager
from pmo_assess.store import schema as t
from pmo_assess.store.repository import Store

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "06_optimize_reassessment.ipynb"
TWO_WAVES, ONE_WAVE = "quellbach-prazision", "st-aldric-health-partners"
WAVE_DATE = date(2026, 8, 3)  # quellbach's second wave (the demo's first client)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store.open(tmp_path_factory.mktemp("reassess") / "ws") as opened:
        build_demo_workspace(opened, clients=6)  # the sixth client has a single wave
        yield opened


@pytest.fixture(scope="module")
def planted(store):
    """Seven decisions on quellbach's roadmap, one per case that counts differently."""
    items = build_results(store, TWO_WAVES).to_dict()["roadmap"]["items"]
    ids = [i["action_id"] for i in items[:6]] + ["governance.retired-action"]
    decided = {
        "A": (ids[0], "done", date(2026, 3, 1)),  # due by the wave, done
        "B": (ids[1], "accepted", date(2026, 2, 1)),  # due by the wave, not done: overdue
        "C": (ids[2], "in-progress", date(2027, 1, 1)),  # due after the wave
        "D": (ids[6], "done", date(2026, 12, 1)),  # done early; no longer on the roadmap
        "E": (ids[3], "accepted", None),  # accepted without a due date
        "F": (ids[4], "dropped", None),
        "G": (ids[5], "proposed", None),
    }
    engagement = store.engagement(TWO_WAVES)
    with store.transaction() as conn:
        for action_id, status, due in decided.values():
            conn.execute(
                t.roadmap_actions.insert().values(
                    engagement_id=engagement.id, action_id=action_id, status=status,
                    owner="PMO lead", due_date=due, note="", updated_at=datetime.now(UTC),
                )
            )  # fmt: skip
    return {key: action_id for key, (action_id, _, _) in decided.items()}


def test_wave_comparison_has_a_column_per_wave_and_the_change(store):
    table = wave_comparison(store, TWO_WAVES).set_index("dimension")
    trend = build_results(store, TWO_WAVES).to_dict()["trend"]
    assert list(table.columns) == ["title", "2025-Q4", "2026-Q3", "target", "change", "progress"]
    assert list(table.index) == ["overall", *trend[0]["dimensions"]]
    # overall 2.62 -> 2.89 is shown 2.6 -> 2.9 (one decimal, the questionnaire's precision),
    # and the change is taken between the shown scores: 0.3, not the raw 0.27 rounded
    assert (table.loc["overall", "2025-Q4"], table.loc["overall", "2026-Q3"]) == (2.6, 2.9)
    assert table.loc["overall", "change"] == pytest.approx(0.3)
    governance = table.loc["governance"]  # 2.52 -> 3.53 against a target of 3.5
    assert (governance["target"], governance["progress"]) == (3.5, "target met")
    assert governance["change"] == pytest.approx(1.0)  # 3.5 - 2.5
    assert table.loc["reporting", "progress"].endswith("of the gap closed")


def test_wave_comparison_table_reads_as_words_and_shown_numbers(store):
    shown = wave_comparison_table(store, TWO_WAVES)
    assert list(shown.frame.columns) == [
        "Dimension", "2025-Q4", "2026-Q3", "Target", "Change", "Progress to target",
    ]  # fmt: skip
    overall = shown.frame.iloc[0].tolist()
    assert overall == ["Overall", "2.6", "2.9", "3.1", "+0.3", "60% of the gap closed"]
    strategy = shown.frame.set_index("Dimension").loc[
        "Strategic Alignment and Benefits Realisation"
    ]
    assert (strategy["Change"], strategy["Progress to target"]) == ("-0.1", "fell back")
    assert_readable(shown)


def test_one_wave_table_shows_a_dash_and_says_why(store):
    shown = wave_comparison_table(store, ONE_WAVE)
    assert set(shown.frame["Change"]) == {"—"}
    assert any("only one wave so far" in note for note in shown.notes)
    assert_readable(shown)


def test_one_wave_gives_a_message_not_an_error(store):
    table = wave_comparison(store, ONE_WAVE)
    assert list(table.columns) == ["dimension", "title", "2026-Q3", "target", "change", "progress"]
    assert table["change"].isna().all()
    for note in (reassessment_overview(store, ONE_WAVE), comparison_chart(store, ONE_WAVE)):
        assert isinstance(note, Note)
        text = str(note)
        assert "one assessed wave so far (2026-Q3)" in text
        assert "02_interview.ipynb" in text
        assert f"pmo-assess import FILE --client {ONE_WAVE} --wave" in text


def test_two_waves_are_summarised_and_drawn(store):
    text = str(reassessment_overview(store, TWO_WAVES))
    # shown at the questionnaire's precision (one decimal), halves up: 2.62 -> 2.6, 2.89 -> 2.9
    assert text.startswith("Comparing 2 waves, 2025-Q4 to 2026-Q3: overall score 2.6 → 2.9")
    assert "mean target of 3.1" in text  # 3.125
    assert "4 of 12 dimensions are at or above target" in text
    assert comparison_chart(store, TWO_WAVES)._repr_png_().startswith(b"\x89PNG")


def test_a_new_wave_without_answers_yet_is_left_out(store):
    engagement = store.engagement("kestrel-bay-logistics")
    store.ensure_wave(engagement.id, "2027-Q1", date(2027, 2, 1))
    assert "2027-Q1" not in wave_comparison(store, "kestrel-bay-logistics").columns
    assert "2025-Q4 to 2026-Q3" in str(reassessment_overview(store, "kestrel-bay-logistics"))


def test_a_client_without_answers_is_told_what_to_do(store):
    store.add_client("Nothing Yet (fictional)", "nothing-yet")
    store.start_engagement(
        "nothing-yet", load_questionnaire("pmo-maturity"), "establish", [], None, []
    )
    assert "has no answers yet" in str(reassessment_overview(store, "nothing-yet"))


def test_actions_done_against_due_by_the_wave_date(store, planted):
    progress = action_progress(store, TWO_WAVES)
    assert progress.as_of == WAVE_DATE
    # planned: A B C D (dated, committed); due: A B; done: A D
    assert progress.counts == {
        "planned": 4, "due": 2, "done": 2, "done of due": 1, "overdue": 1,
        "not yet due": 1, "no due date": 1, "dropped": 1, "proposed": 1,
    }  # fmt: skip
    states = dict(zip(progress.frame["action_id"], progress.frame["state"], strict=True))
    assert [states[planted[k]] for k in "ABCDEFG"] == [
        "done", "overdue", "not yet due", "done", "no due date", "dropped", "not decided",
    ]  # fmt: skip
    assert list(progress.frame["action_id"][:4]) == [planted[k] for k in "BADC"]  # soonest first
    assert str(progress.summary).startswith(
        "By 3 August 2026, 1 of 2 actions due were done (50%); 1 overdue."
    )


def test_action_progress_table_is_in_words(store, planted):
    shown = action_progress(store, TWO_WAVES).table
    assert list(shown.frame.columns) == [
        "Action", "Where it stands", "Decision", "Owner", "Due", "Due by 3 Aug 2026",
    ]  # fmt: skip
    assert list(shown.more.columns) == ["Action", "Action ID", "Note"]
    rows = shown.frame.set_index("Action")
    retired = "governance.retired-action (no longer in the recommendations library)"
    assert rows.loc[retired].tolist() == ["Done", "Done", "PMO lead", "1 Dec 2026", "no"]
    c = rows.loc[shown.data.set_index("action_id").loc[planted["C"], "title"]]
    assert (c["Decision"], c["Where it stands"], c["Due"]) == (
        "In progress",
        "Not yet due",
        "1 Jan 2027",
    )
    e = rows.loc[shown.data.set_index("action_id").loc[planted["E"], "title"]]
    assert e["Due"] == "—"
    assert any("no owner or due date recorded" in note for note in shown.notes)
    assert_readable(shown)


def test_a_later_date_makes_more_actions_due(store, planted):
    counts = action_progress(store, TWO_WAVES, as_of=date(2027, 6, 1)).counts
    assert (counts["due"], counts["done of due"], counts["overdue"]) == (4, 2, 2)


def test_no_decisions_yet_points_to_the_plan_notebook(store):
    progress = action_progress(store, ONE_WAVE)
    assert progress.frame.empty and not any(progress.counts.values())
    assert "04_implementation_plan.ipynb" in str(progress.summary)


def test_updated_roadmap_leaves_out_done_actions_and_shows_decisions(store, planted):
    items = build_results(store, TWO_WAVES).to_dict()["roadmap"]["items"]
    roadmap = updated_roadmap(store, TWO_WAVES)
    assert roadmap.done_removed == (planted["A"],)  # D is done but not on this roadmap
    assert len(roadmap.frame) == len(items) - 1
    assert planted["A"] not in set(roadmap.frame["action_id"])
    status = dict(zip(roadmap.frame["action_id"], roadmap.frame["status"], strict=True))
    assert [status[planted[k]] for k in "BCEFG"] == [
        "accepted", "in-progress", "accepted", "dropped", "proposed",
    ]  # fmt: skip
    assert set(status.values()) - {"accepted", "in-progress", "dropped", "proposed"} == {
        "not decided"
    }
    assert f"holds {len(items)} actions; 1 already done is left out" in str(roadmap.summary)


def test_updated_roadmap_table_keeps_the_key_columns_in_view(store, planted):
    shown = updated_roadmap(store, TWO_WAVES).table
    assert list(shown.frame.columns) == [
        "#", "Action", "Dimension", "Phase", "Decision", "Owner", "Due",
    ]  # fmt: skip
    assert list(shown.more.columns) == [
        "Action", "Effort", "Weeks", "Starts in week", "Ends in week", "Benefit", "Action ID",
    ]  # fmt: skip
    assert len(shown) == len(updated_roadmap(store, TWO_WAVES).frame)  # every row shown
    assert {"Accepted", "In progress", "Dropped", "Proposed", "Not decided"} <= set(
        shown.frame["Decision"]
    )
    assert "—" in set(shown.frame["Owner"]) and "PMO lead" in set(shown.frame["Owner"])
    assert_readable(shown)


def test_updated_roadmap_when_every_target_is_met(store):
    roadmap = updated_roadmap(store, "larkspur-mutual-assurance")
    assert roadmap.frame.empty and roadmap.done_removed == ()
    assert "meets every target" in str(roadmap.summary)


def _run(workspace: str, cwd: Path, out: Path, client: str) -> list[dict]:
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters={"workspace": str(workspace), "client": client},
        kernel_name="python3", kernel_manager_class=IPCKernelManager, cwd=str(cwd),
        progress_bar=False, execution_timeout=300,
    )  # fmt: skip
    return [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])]


def test_notebook_runs_for_the_client_chosen_in_00(tmp_path_factory, tmp_path, monkeypatch):
    tmp = tmp_path_factory.mktemp("nb06")
    with Store.open(tmp / "ws") as opened:
        build_demo_workspace(opened, clients=3)
        choose(opened, TWO_WAVES)  # what 00_start_here or `pmo-assess use` remembers
    monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(tmp / "ws"))
    monkeypatch.delenv("PMO_ASSESS_CLIENT", raising=False)
    outputs = _run("", tmp, tmp_path / "out.ipynb", "")  # as shipped
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the comparison chart
    shown = " ".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "pmo-step-banner" in shown and "Quellbach" in shown
    assert shown.count('class="pmo-table"') == 3  # scores, actions, roadmap: all house tables
    assert not RAW_CELL.findall(shown) and 'class="dataframe"' not in shown
    assert {p.name for p in tmp.iterdir()} == {"ws"}


def test_notebook_runs_for_a_client_with_one_wave(store, tmp_path):
    outputs = _run(str(store.workspace), tmp_path, tmp_path / "out.ipynb", ONE_WAVE)
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = " ".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "re-assessment compares two waves" in shown


def test_notebook_is_committed_clean():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert 'client = ""' in code[0].source
    assert 'workspace = ""' in code[0].source  # no silent ./workspace
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert "open_step(workspace, client)" in code[1].source
    assert "Store.open" not in "".join(c.source for c in code)
    last = notebook.cells[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## Next")
    for step in ("04_implementation_plan", "05_executive_briefing", "07_performance_monitoring"):
        assert step in last.source


RAW_CELL = re.compile(r"<td[^>]*>\s*(nan|NaN|None|True|False|NaT|<NA>|-?\d+\.\d{3,})\s*</td>")


def assert_readable(table: HouseTable) -> None:
    """No raw Python or pandas value, nor a long float, in anything a client reads."""
    html = table._repr_html_()
    assert not RAW_CELL.findall(html), RAW_CELL.findall(html)
    assert "dtype:" not in html
