"""What every notebook does first: one engagement chosen once (00 or `pmo-assess use`) and opened
by every notebook, nothing created or guessed silently, and tables a client can read."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_assess.cli.main import main
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.house_table import MISSING, house_table
from pmo_assess.engagement.notebook import choose, open_step, open_workspace, use_client
from pmo_assess.engagement.selection import selection_path
from pmo_assess.engagement.start import start_here
from pmo_assess.engagement.status import DONE, READY, engagement_status
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.store.repository import Store

FIRST, SECOND = "quellbach-prazision", "larkspur-mutual-assurance"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("setup") / "ws"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=3)
    return folder


@pytest.fixture
def workspace(demo, tmp_path, monkeypatch) -> Path:
    import shutil

    folder = tmp_path / "ws"
    shutil.copytree(demo, folder)
    monkeypatch.delenv("PMO_ASSESS_WORKSPACE", raising=False)
    monkeypatch.delenv("PMO_ASSESS_CLIENT", raising=False)
    monkeypatch.delenv("PMO_ASSESS_DB", raising=False)
    return folder


def slugs(folder: Path) -> list[str]:
    with Store.open(folder, create=False) as store:
        return [c.slug for c in store.clients()]


def test_the_workspace_comes_from_the_environment_when_the_parameter_is_empty(
    workspace, monkeypatch
):
    monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(workspace))
    step = open_step("", FIRST)
    assert step.workspace == workspace and step.slug == FIRST
    assert FIRST in step.banner_text() and str(workspace.resolve()) in step.banner_text()


def test_no_workspace_at_all_is_refused_and_nothing_is_created(tmp_path, monkeypatch):
    monkeypatch.delenv("PMO_ASSESS_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PmoAssessError, match="PMO_ASSESS_WORKSPACE"):
        open_step("", FIRST)
    with pytest.raises(PmoAssessError, match="No workspace in"):
        open_step(str(tmp_path / "typo"), FIRST)
    assert list(tmp_path.iterdir()) == []


def test_a_workspace_is_created_only_when_asked(tmp_path):
    with pytest.raises(PmoAssessError, match="create_workspace = True"):
        open_workspace(str(tmp_path / "new"))
    open_workspace(str(tmp_path / "new"), create=True).close()
    assert (tmp_path / "new" / "pmo-assess.sqlite").is_file()


def test_several_clients_and_none_chosen_is_refused_naming_them(workspace):
    with pytest.raises(PmoAssessError, match="none is chosen") as error:
        open_step(str(workspace))
    for slug in slugs(workspace):
        assert slug in str(error.value)


def test_the_choice_of_00_is_what_every_notebook_opens(workspace):
    with Store.open(workspace, create=False) as store:
        started = start_here(store, SECOND)
    assert started.slug == SECOND
    step = open_step(str(workspace))
    assert step.slug == SECOND and "00_start_here" in step.chosen_by
    # the parameter still overrides, as papermill runs need
    assert open_step(str(workspace), FIRST).slug == FIRST
    # and 00 run again with no client keeps the choice rather than picking the first client
    with Store.open(workspace, create=False) as store:
        assert start_here(store, "").slug == SECOND


def test_00_with_several_clients_and_none_chosen_picks_none(workspace):
    with Store.open(workspace, create=False) as store:
        started = start_here(store, "")
    assert started.slug is None and "none is chosen" in started.text()
    assert not selection_path(workspace).exists()


def test_the_cockpit_client_overrides_the_remembered_one_without_changing_it(
    workspace, monkeypatch
):
    with Store.open(workspace, create=False) as store:
        choose(store, FIRST)
    monkeypatch.setenv("PMO_ASSESS_CLIENT", SECOND)
    assert open_step(str(workspace)).slug == SECOND
    assert json.loads(selection_path(workspace).read_text())["client"] == FIRST


def test_a_remembered_older_engagement_is_kept(workspace):
    with Store.open(workspace, create=False) as store:
        older = store.find_engagement(FIRST)
        store.start_engagement(FIRST, load_questionnaire("pmo-readiness"), "establish")
        choose(store, FIRST, older)
    assert open_step(str(workspace)).engagement.id == older.id


def test_a_stale_or_damaged_choice_is_an_error_naming_what_to_do(workspace):
    selection_path(workspace).write_text('{"client": "gone-client"}')
    with pytest.raises(PmoAssessError, match="not in its store any more"):
        open_step(str(workspace))
    selection_path(workspace).write_text("{not json")
    with pytest.raises(PmoAssessError, match=r"selection\.json") as error:
        open_step(str(workspace))
    assert "pmo-assess use" in str(error.value)
    selection_path(workspace).write_text('{"client": "../../etc"}')
    with pytest.raises(PmoAssessError, match="cannot be read"):
        open_step(str(workspace))


def test_an_unknown_wave_lists_the_waves(workspace):
    with pytest.raises(PmoAssessError, match="its waves: 2025-Q4, 2026-Q3"):
        open_step(str(workspace), FIRST, wave="2027")
    assert open_step(str(workspace), FIRST, wave="2025-Q4").wave.label == "2025-Q4"


def test_pmo_assess_use_remembers_and_reports_the_choice(workspace, capsys):
    assert main(["use", "--workspace", str(workspace)]) == 0
    assert "No client is chosen" in capsys.readouterr().out
    assert main(["use", SECOND, "--workspace", str(workspace)]) == 0
    assert "Chosen for the notebooks" in capsys.readouterr().out
    assert open_step(str(workspace)).slug == SECOND
    assert main(["use", "--workspace", str(workspace)]) == 0
    assert SECOND in capsys.readouterr().out
    assert main(["use", SECOND, "--engagement", "99", "--workspace", str(workspace)]) == 1
    assert "has no engagement 99" in capsys.readouterr().err


def test_use_client_refuses_an_unknown_client(workspace):
    with (
        Store.open(workspace, create=False) as store,
        pytest.raises(PmoAssessError, match="Unknown client 'nope'"),
    ):
        use_client(store, "nope")


def test_analysis_is_done_once_decisions_follow_the_latest_answers(workspace):
    from pmo_assess.engagement.plan import decide, merged_plan

    with Store.open(workspace, create=False) as store:
        assert engagement_status(store, FIRST).step("analysis").state == READY
        first = merged_plan(store, FIRST)
        action = str(getattr(first, "data", first)["action_id"].iloc[0])
        decide(store, FIRST, action, status="accepted")
        assert engagement_status(store, FIRST).step("analysis").state == DONE


# --- tables a client can read -------------------------------------------------------------------

cells = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.text(max_size=60),
    st.dates(),
)


@given(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=0, max_size=12))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_table_renders_every_row_in_words_with_nothing_raw(rows):
    frame = pd.DataFrame(rows, columns=["action_id", "due_date", "owner_note"], dtype=object)
    table = house_table(frame)
    assert list(table.frame.columns) == ["Action ID", "Due date", "Owner note"]
    assert len(table.frame) == len(rows)
    shown = table.frame.to_numpy().ravel().tolist()
    assert not {"nan", "NaN", "None", "True", "False", "NaT"} & set(shown)
    missing = any(v is None or v != v for row in rows for v in row)
    assert (MISSING in shown) == missing == any(n.startswith(MISSING) for n in table.notes)
    html = table._repr_html_()
    for value in shown:
        if "<" in value:
            assert value not in html, "free text is escaped"
    assert "…" not in "".join(shown) or any("…" in str(v) for row in rows for v in row)


def test_a_wide_table_keeps_its_main_columns_and_the_rest_on_demand():
    frame = pd.DataFrame([{f"col_{i}": i * 1.25 for i in range(16)} for _ in range(62)])
    table = house_table(frame)
    assert len(table.frame.columns) == 8 and len(table.frame) == 62
    assert table.more is not None and table.more.columns[0] == "Col 0"
    assert "More columns" in table._repr_html_()
    chosen = house_table(frame, main=["col_3", "col_1"], key="col_3")
    assert list(chosen.frame.columns) == ["Col 3", "Col 1"]
    assert list(chosen.more.columns)[:2] == ["Col 3", "Col 0"]


def test_numbers_dates_and_flags_read_as_a_client_expects():
    frame = pd.DataFrame(
        {
            "score": [3.083333, 2.25],
            "budget": [420000.0, 1250.0],
            "cost_variance": [-5.952381, 0.0],
            "share": [0.912, 0.125],
            "done": [True, False],
            "due": [pd.Timestamp("2026-12-18"), pd.NaT],
        }
    )
    table = house_table(
        frame,
        formats={"cost_variance": "percent", "share": "share", "budget": "money"},
        missing_note="no due date agreed yet.",
    )
    assert table.frame.iloc[0].tolist() == ["3.1", "420,000", "-6%", "91%", "yes", "18 Dec 2026"]
    assert table.frame.iloc[1].tolist() == ["2.3", "1,250", "0%", "13%", "no", MISSING]
    assert table.notes == (f"{MISSING} no due date agreed yet.",)
    assert 'class="data row0 col0 pmo-num"' in table._repr_html_()
