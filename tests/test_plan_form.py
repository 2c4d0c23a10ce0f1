"""The decision form of 04: found by typing, saved with its button, refused beside the field, and
the action list it shows changed at once, all driven in Python as a consultant would click."""

from __future__ import annotations

import shutil
from datetime import date
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.plan import decide, decisions
from pmo_assess.insight.results import build_results
from pmo_assess.report.markup import esc
from pmo_assess.store import schema as t
from pmo_assess.store.repository import Store
from pmo_assess.widgets.plan import DecisionForm, action_label, matching

CLIENT = "quellbach-prazision"
START = date(2026, 9, 7)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plan-form") / "ws"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=2)
    return folder


@pytest.fixture
def store(built, tmp_path):
    shutil.copytree(built, tmp_path / "ws")
    with Store.open(tmp_path / "ws") as opened:
        yield opened


@pytest.fixture(scope="module")
def items(built) -> list[dict]:
    with Store.open(built) as opened:
        return list(build_results(opened, CLIENT).roadmap["items"])


def stored_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(t.roadmap_actions)).scalar_one()


def row_of(form: DecisionForm, action_id: str) -> str:
    return next(label for label, value in form.action.options if value == action_id)


def test_the_list_holds_every_action_in_roadmap_order_with_its_status(store, items):
    form = DecisionForm(store, CLIENT, start=START)
    assert [value for _, value in form.action.options] == [i["action_id"] for i in items]
    first = items[0]
    assert row_of(form, first["action_id"]) == (
        f"1. [proposed] {first['phase_name']} · {first['dimension_title']} · {first['title']}"
    )
    assert form.action.value == first["action_id"]  # one is chosen, so Save works at once
    assert form.found.value.startswith(f"{len(items)} actions")


def test_typing_filters_the_list_and_the_table(store, items):
    form = DecisionForm(store, CLIENT, start=START)
    wanted = [i for i in items if "risk" in i["dimension_title"].lower() and i["phase"] == "scale"]
    assert wanted, "the demo has scale-phase actions on a risk dimension"
    form.find.value = "SCALE  risk"  # any case, words in any order
    assert [v for _, v in form.action.options] == [i["action_id"] for i in wanted]
    assert (
        unescape(form.found.value) == f"{len(wanted)} of {len(items)} actions match 'SCALE  risk'."
    )
    shown = [label for label, _ in form.action.options]
    assert all("Scale" in label for label in shown)
    assert wanted[0]["title"] in form.table.value
    assert items[0]["title"] not in form.table.value or items[0] in wanted
    form.find.value = "nothing matches this"
    assert form.action.options == () and form.action.value is None and form.save.disabled
    form.find.value = ""
    assert len(form.action.options) == len(items) and not form.save.disabled


def test_saving_changes_the_status_shown_at_once(store, items):
    form = DecisionForm(store, CLIENT, start=START)
    chosen = items[2]
    form.find.value = chosen["title"].split()[1]
    form.action.value = chosen["action_id"]
    assert form.find.value.lower() in row_of(form, chosen["action_id"]).lower()
    form.status.value, form.owner.value = "accepted", "Head of PMO"
    form.due.value, form.note.value = date(2026, 12, 4), "<b>agreed</b> at the board"
    form.save.click()
    saved = decisions(store, CLIENT)[chosen["action_id"]]
    assert (saved.status, saved.owner, saved.due_date, saved.note) == (
        "accepted", "Head of PMO", date(2026, 12, 4), "<b>agreed</b> at the board",
    )  # fmt: skip
    # the list and the table show it now, without running any cell again
    assert row_of(form, chosen["action_id"]).startswith(f"{chosen['order']}. [accepted] ")
    assert "[proposed]" not in row_of(form, chosen["action_id"])
    table = form.shown.frame  # the words of form.table, cell by cell
    assert (
        f">{esc(chosen['title'])}</td>" in form.table.value and ">accepted</td>" in form.table.value
    )
    row = table[table["Action"] == chosen["title"]].iloc[0]
    assert (row["Status"], row["Owner"], row["Due date"]) == (
        "accepted",
        "Head of PMO",
        "4 Dec 2026",
    )
    assert form.action.value == chosen["action_id"]  # the choice and the filter stay
    assert "Saved: " in form.message.value and "4 Dec 2026" in form.message.value
    assert "<b>agreed</b>" not in form.table.value  # a note is text, never markup


def test_choosing_an_action_shows_what_was_decided(store, items):
    decide(store, CLIENT, items[1]["action_id"], status="dropped", owner="COO",
           due="2026-11-30", note="Done last year")  # fmt: skip
    form = DecisionForm(store, CLIENT, start=START)
    assert "[dropped]" in row_of(form, items[1]["action_id"])
    form.action.value = items[1]["action_id"]
    assert (form.status.value, form.owner.value, form.due.value, form.note.value) == (
        "dropped", "COO", date(2026, 11, 30), "Done last year",
    )  # fmt: skip
    assert items[1]["title"] in form.chosen.value and items[1]["action_id"] in form.chosen.value
    form.action.value = items[0]["action_id"]
    assert (form.status.value, form.owner.value, form.due.value, form.note.value) == (
        "proposed", "", None, "",
    )  # fmt: skip


def test_a_decision_made_in_code_shows_when_the_action_is_chosen_again(store, items):
    form = DecisionForm(store, CLIENT, start=START)
    decide(store, CLIENT, items[3]["action_id"], owner="CFO")
    form.action.value = items[3]["action_id"]
    assert form.owner.value == "CFO"


def test_invalid_input_is_refused_beside_its_field_and_nothing_is_saved(store):
    form = DecisionForm(store, CLIENT, start=START)
    form.owner.value = "x" * 201
    form.save.click()
    assert "at most 200 characters; got 201" in form.owner_problem.value
    assert form.due_problem.value.count("pmo-field-problem") == 1
    assert "must be" not in form.due_problem.value
    assert form.message.value.startswith("<b>Not saved.</b>")
    assert stored_rows(store) == 0
    form.owner.value = "Head of PMO"
    form.save.click()
    assert form.owner_problem.value == "" and stored_rows(store) == 1


def test_a_client_without_actions_gets_a_form_that_says_so(store):
    form = DecisionForm(store, "larkspur-mutual-assurance", start=START)
    assert form.action.options == () and form.save.disabled
    assert "no actions to decide on" in form.found.value
    form.save.click()
    assert form.message.value.startswith("Nothing to save")


@pytest.mark.parametrize(
    ("text", "orders"),
    [("", [1, 2, 3]), ("gates", [1]), ("GOVERNANCE proposed", [3]), ("coo", [1]),
     ("budget", [2]), ("reporting.template", [2]), ("quick scale", [])],
)  # fmt: skip
def test_matching_finds_every_word_in_the_row_owner_note_or_id(text, orders):
    frame = pd.DataFrame({
        "order": [1, 2, 3], "phase_name": ["Quick wins", "Scale", "Foundation"],
        "dimension_title": ["Governance", "Reporting", "Governance"],
        "title": ["Agree gates", "One template", "A board"],
        "status": ["accepted", "dropped", "proposed"], "owner": ["COO", None, None],
        "note": ["", "No budget", ""],
        "action_id": ["governance.gates", "reporting.template", "governance.board"],
    })  # fmt: skip
    assert list(matching(frame, text)["order"]) == orders
    labels = [action_label(r) for r in frame.itertuples()]
    assert labels[0] == "1. [accepted] Quick wins · Governance · Agree gates"
