"""Choosing whom to interview, resuming after a restart, and marking an interview complete.

A restart resumes the wave's latest unfinished interview and never adds an empty respondent; a
new respondent reaches the store with its first answer; interviews not marked complete stay out
of the answers the analysis is built from. The form is driven in Python, as in test_interview.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import nbformat
import papermill
import pytest

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.interview import InterviewSession, Newcomer
from pmo_assess.engagement.interview_setup import (
    open_interview,
    pick_wave,
    respondents_table,
    unfinished_interviews,
    unfinished_text,
)
from pmo_assess.engagement.survey_preview import survey_import
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.report.kernels import IPCKernelManager
from pmo_assess.store.repository import Store
from pmo_assess.widgets.interview import InterviewForm
from pmo_assess.widgets.respondent_picker import NEW, NEW_LABEL

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_interview.ipynb"
SURVEYS = ROOT / "tests" / "data" / "surveys"
OLD_STORE = ROOT / "tests" / "data" / "store" / "store_v1.sqlite"
MATURITY = load_questionnaire("pmo-maturity")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "ws") as opened:
        opened.add_client("Acme Rail (fictional)", slug="acme")
        opened.start_engagement("acme", MATURITY)
        yield opened


@pytest.fixture
def wave(store):
    return pick_wave(store, store.engagement("acme"), "2026-Q3", today=date(2026, 9, 1))


def interviewed(store, wave, role, answers):
    """A respondent interviewed in the notebook: added with its first answer, in progress."""
    session = InterviewSession(store, Newcomer(wave.id, role), MATURITY)
    for question, choice in answers:
        session.go_to(question)
        session.answer(choice)
    return session


def codes(store, wave):
    return [r.code for r in store.respondents(wave.id)]


# --- resuming, never an empty respondent ---------------------------------------------------------


def test_opening_the_form_and_leaving_adds_nobody(store, wave):
    for _ in range(2):  # two runs of the notebook, two kernel restarts
        form = InterviewForm(open_interview(store, wave, MATURITY, "", "pmo"))
        form.next_button.click()
        form.note.value = "A note before any answer waits for one."
        assert form.session.respondent is None
    assert form.session.unanswered_text() == "No answer yet: all 60 questions are open."
    assert codes(store, wave) == []


def test_the_first_answer_adds_the_respondent_in_progress(store, wave):
    form = InterviewForm(open_interview(store, wave, MATURITY, "", "pmo"))
    assert "a new respondent (pmo)" in form.heading.value
    form.choice.value = "3"
    [person] = store.respondents(wave.id)
    assert (person.code, person.role, person.source, person.in_progress) == (
        "R01",
        "pmo",
        "interview",
        True,
    )
    assert form.session.respondent == person
    assert "respondent R01 (pmo)" in form.heading.value


def test_a_restart_resumes_the_latest_unfinished_interview(store, wave):
    interviewed(store, wave, "executive", [("strategy.objective-link", 2)])
    later = interviewed(store, wave, "pmo", [("strategy.objective-link", 4)])
    later.answer(3, note="came back to it")  # R02 was worked on last
    resumed = open_interview(store, wave, MATURITY, "", "finance")  # the role is for new ones
    assert (resumed.code, resumed.role) == ("R02", "pmo")
    assert resumed.current.id == "strategy.business-case"  # its first unanswered question
    store.set_interview_complete(resumed.respondent.id)
    assert open_interview(store, wave, MATURITY).code == "R01"
    store.set_interview_complete(store.respondents(wave.id)[0].id)
    fresh = open_interview(store, wave, MATURITY, "", "finance")
    assert (fresh.respondent, fresh.role) == (None, "finance")
    fresh.answer("dont_know")
    assert codes(store, wave) == ["R01", "R02", "R03"]


def test_a_new_anonymous_code_skips_codes_typed_by_hand(store, wave):
    named = open_interview(store, wave, MATURITY, "R02-board", "executive")
    named.answer(3)
    typed = InterviewSession(store, Newcomer(wave.id, "pmo", "R02"), MATURITY)
    typed.answer(3)
    store.set_interview_complete(typed.respondent.id)
    store.set_interview_complete(named.respondent.id)
    anonymous = open_interview(store, wave, MATURITY, "", "pmo")
    anonymous.answer(3)
    assert codes(store, wave) == ["R02-board", "R02", "R03"]


def test_a_code_someone_took_meanwhile_is_refused_not_merged(store, wave):
    first = open_interview(store, wave, MATURITY, "CFO-1", "finance")
    second = open_interview(store, wave, MATURITY, "CFO-1", "finance")
    first.answer(3)
    with pytest.raises(
        PmoAssessError, match=r"Respondent 'CFO-1' was added to this wave meanwhile"
    ):
        second.answer(2)
    assert len(store.answers_of(first.respondent.id)) == 1


# --- the picker -----------------------------------------------------------------------------------


def test_the_picker_lists_the_wave_with_progress_and_a_new_respondent(store, wave):
    interviewed(store, wave, "pmo", [("strategy.objective-link", 2), ("strategy.business-case", 3)])
    store.set_interview_complete(store.respondents(wave.id)[0].id)
    interviewed(store, wave, "executive", [("strategy.objective-link", 4)])
    form = InterviewForm(open_interview(store, wave, MATURITY))
    assert form.picker.respondent.options == (
        ("R01 · pmo · 2 of 60 answered · complete", "R01"),
        ("R02 · executive · 1 of 60 answered · in progress", "R02"),
        (NEW_LABEL, NEW),
    )
    assert form.picker.respondent.value == "R02"
    assert form.picker.new_row.layout.display == "none"  # a role is asked for new ones only


def test_choosing_a_respondent_switches_the_form_to_it(store, wave):
    interviewed(store, wave, "pmo", [("strategy.objective-link", 2)])
    store.set_interview_complete(store.respondents(wave.id)[0].id)
    form = InterviewForm(open_interview(store, wave, MATURITY, "", "executive"))
    assert form.session.respondent is None
    form.picker.respondent.value = "R01"
    assert form.session.code == "R01"
    assert form.session.current.id == "strategy.business-case"
    form.previous_button.click()
    assert form.choice.value == "2"
    form.picker.respondent.value = NEW
    assert (form.session.respondent, form.session.role) == (None, "pmo")  # the role last seen
    assert form.picker.new_row.layout.display == ""
    assert codes(store, wave) == ["R01"]


def test_a_new_respondent_from_the_picker_joins_the_list_with_its_first_answer(store, wave):
    form = InterviewForm(open_interview(store, wave, MATURITY, "", "pmo"))
    form.picker.role.value = "executive"
    assert "a new respondent (executive)" in form.heading.value
    form.choice.value = "4"
    assert form.picker.respondent.value == "R01"
    assert form.picker.respondent.options[0] == (
        "R01 · executive · 1 of 60 answered · in progress",
        "R01",
    )
    assert form.picker.new_row.layout.display == "none"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("  ", "A new respondent needs a role"),
        ("x" * 81, "A role is at most 80 characters; this one has 81"),
    ],
)
def test_an_unusable_role_is_refused_next_to_its_box(store, wave, typed, message):
    form = InterviewForm(open_interview(store, wave, MATURITY, "", "pmo"))
    form.picker.role.value = typed
    assert message in form.picker.role_message.value
    assert "color:#b00020" in form.picker.role_message.value
    assert form.session.role == "pmo"  # the last good role stays
    form.picker.role.value = "finance"
    assert form.picker.role_message.value == "" and form.session.role == "finance"


def test_the_form_does_not_switch_while_answers_wait_for_a_busy_store(store, wave):
    interviewed(store, wave, "pmo", [("strategy.objective-link", 2)])
    store.set_interview_complete(store.respondents(wave.id)[0].id)
    form = InterviewForm(
        open_interview(store, wave, MATURITY, "", "executive"), schedule=lambda *_: None
    )
    form.session._unsaved["strategy.objective-link"] = (
        form.session.choices()[2],
        form.session.details(),
    )
    form.picker.respondent.value = "R01"
    assert "are not saved yet" in form.picker.message.value
    assert form.session.respondent is None and form.picker.respondent.value == NEW


# --- completion -----------------------------------------------------------------------------------


def test_an_interview_is_marked_complete_and_can_be_reopened(store, wave):
    form = InterviewForm(open_interview(store, wave, MATURITY, "", "pmo"))
    assert form.complete_button.disabled  # nothing to mark before the first answer
    assert "joins the wave with the first answer" in form.completion.value
    form.choice.value = "3"
    assert not form.complete_button.disabled
    assert "59 questions unanswered" in form.completion.value
    assert store.load_answers("acme").empty  # in progress: not in the analysis
    form.complete_button.click()
    assert "marked complete" in form.status.value
    assert form.complete_button.description == "Reopen interview"
    assert form.picker.respondent.options[0][0].endswith("· complete")
    assert len(store.load_answers("acme")) == 1
    form.complete_button.click()
    assert form.complete_button.description == "Mark interview complete"
    assert store.load_answers("acme").empty
    assert len(store.load_answers("acme", include_unfinished=True)) == 1


def test_survey_and_scripted_respondents_count_as_complete(store, wave):
    added = store.add_respondent(wave.id, "pmo")  # as scripts and the demo add them
    store.record_answer(added.id, "strategy.objective-link", value=3.0)
    assert not added.in_progress and len(store.load_answers("acme")) == 1
    report = survey_import(
        store,
        SURVEYS / "google_sheet.csv",
        "acme",
        wave.label,
        questionnaire=str(SURVEYS / "survey.yaml"),
        mapping=SURVEYS / "mapping.yaml",
        dry_run=False,
    )
    assert "11 answers added" in report
    imported = store.waves(store.engagement("acme", "survey-test").id)[-1]
    assert [r.in_progress for r in store.respondents(imported.id)] == [False] * 3
    assert len(store.load_answers("acme", questionnaire_id="survey-test")) == 11


def test_a_store_from_before_completion_reads_as_it_did(tmp_path):
    workspace = tmp_path / "old"
    workspace.mkdir()
    shutil.copy(OLD_STORE, workspace / "pmo-assess.sqlite")  # made by the first version
    with Store.open(workspace) as store:  # migrated on opening
        engagement = store.engagement("old-client")
        people = [r for w in store.waves(engagement.id) for r in store.respondents(w.id)]
        assert people and not any(r.in_progress for r in people)
        everything = store.load_answers("old-client", include_unfinished=True)
        assert len(store.load_answers("old-client")) == len(everything) == 2


def test_unfinished_interviews_are_listed_for_the_analysis(store, wave):
    assert unfinished_text(store, None, MATURITY) == "No wave yet, so no interviews."
    assert unfinished_text(store, wave, MATURITY) == (
        "Every interview in wave 2026-Q3 is marked complete."
    )
    interviewed(store, wave, "pmo", [("strategy.objective-link", 2), ("strategy.business-case", 3)])
    assert unfinished_text(store, wave, MATURITY).startswith(
        "1 interview is not marked complete (R01): its answers are left out of the analysis "
        "until it is."
    )
    store.set_interview_complete(store.respondents(wave.id)[0].id)
    interviewed(store, wave, "executive", [("strategy.objective-link", 4)])
    InterviewSession(store, Newcomer(wave.id, "finance", "CFO"), MATURITY).answer("na")
    assert unfinished_text(store, wave, MATURITY).startswith(
        "2 interviews are not marked complete (R02, CFO): their answers are left out of the "
        "analysis until they are."
    )
    table = unfinished_interviews(store, wave, MATURITY)
    shown = table.frame
    assert list(shown.columns) == ["Respondent", "Role", "Answered", "Last answer"]
    assert shown[["Respondent", "Role", "Answered"]].values.tolist() == [
        ["R02", "executive", "1 of 60"],
        ["CFO", "finance", "1 of 60"],
    ]
    assert shown["Last answer"].str.match(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d$").all()


def test_the_respondents_table_reads_in_words(store, wave):
    interviewed(store, wave, "pmo", [("strategy.objective-link", 2)])
    store.add_respondent(wave.id, "executive", source="survey")
    table = respondents_table(store, wave, MATURITY)
    assert list(table.frame.columns) == [
        "Respondent",
        "Role",
        "Source",
        "Answered",
        "Interview",
        "Last answer",
    ]
    assert table.frame.iloc[:, :5].values.tolist() == [
        ["R01", "pmo", "interview", "1 of 60", "in progress"],
        ["R02", "executive", "survey", "0 of 60", "complete"],
    ]
    assert table.frame.iloc[1, 5] == "—" and table.notes == ("— no answer yet.",)
    assert table.caption == "Respondents in wave 2026-Q3: 2"


# --- the notebook ---------------------------------------------------------------------------------


def run_notebook(folder: Path, name: str, **parameters: object) -> nbformat.NotebookNode:
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(folder / name),
        parameters={"workspace": str(folder / "ws"), "client": "", **parameters},
        kernel_name="python3",
        kernel_manager_class=IPCKernelManager,
        cwd=str(folder),
        progress_bar=False,
    )
    return nbformat.read(folder / name, as_version=4)


def printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []))


def test_the_notebook_run_twice_adds_nobody_then_resumes_the_unfinished_interview(tmp_path):
    with Store.open(tmp_path / "ws") as store:
        store.add_client("Acme Rail (fictional)", slug="acme")
        engagement = store.start_engagement("acme", MATURITY)
        wave = store.ensure_wave(engagement.id, "2026-Q3")
    for run in ("first.ipynb", "second.ipynb"):
        text = printed(run_notebook(tmp_path, run))
        assert "new respondent (pmo): 0 of 60 answered; added to the wave with the first" in text
    with Store.open(tmp_path / "ws") as store:
        assert codes(store, wave) == []
        interviewed(store, wave, "executive", [("strategy.objective-link", 2)])
    text = printed(run_notebook(tmp_path, "third.ipynb"))
    assert "acme, wave 2026-Q3, R01 (executive): 1 of 60 answered" in text
    with Store.open(tmp_path / "ws") as store:
        assert codes(store, wave) == ["R01"]
