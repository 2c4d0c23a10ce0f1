"""The interview: every answer reaches the store as it is given, and a restart loses nothing.

The form is driven as a consultant would drive it, by setting its controls' values and clicking
its buttons in Python (no browser); the store is then read back directly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import nbformat
import papermill
import pytest

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.interview import InterviewSession, choices_for
from pmo_assess.engagement.interview_setup import (
    open_engagement,
    open_interview,
    pick_wave,
    respondents_progress,
)
from pmo_assess.engagement.survey_preview import SURVEY_HOW_TO, survey_import
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.report.kernels import IPCKernelManager
from pmo_assess.store.repository import Store
from pmo_assess.widgets.interview import InterviewForm

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_interview.ipynb"
SURVEYS = ROOT / "tests" / "data" / "surveys"
MATURITY = load_questionnaire("pmo-maturity")
FIRST = MATURITY.question("strategy.objective-link")  # question 1 of 60
SECOND = MATURITY.question("strategy.business-case")  # question 2


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "ws") as opened:
        opened.add_client("Acme Rail (fictional)", slug="acme")
        opened.start_engagement("acme", MATURITY)
        yield opened


@pytest.fixture
def wave(store):
    return pick_wave(store, store.engagement("acme"), "2026-Q3")


@pytest.fixture
def person(store, wave):
    return store.start_interview(wave.id, "executive")


@pytest.fixture
def form(store, person):
    return InterviewForm(InterviewSession(store, person.id, MATURITY))


def stored(store, person, question=FIRST):
    return store.answers_of(person.id).get(question.id)


def test_the_choices_are_the_levels_with_their_anchors_then_na_and_dont_know():
    choices = choices_for(MATURITY, FIRST)
    assert [c.key for c in choices] == ["1", "2", "3", "4", "5", "na", "dont_know"]
    assert choices[2].label == "3 Defined"
    assert choices[2].anchor == FIRST.anchors[3.0]
    assert (choices[5].status, choices[5].value) == ("na", None)


def test_choosing_a_level_saves_it_at_once(store, person, form):
    assert stored(store, person) is None
    form.choice.value = "3"
    answer = stored(store, person)
    assert (answer.value, answer.status, answer.option_label) == (3.0, "answered", "Defined")
    assert answer.confidence == "interview"
    assert "Saved" in form.status.value


@pytest.mark.parametrize(("key", "status"), [("na", "na"), ("dont_know", "dont_know")])
def test_not_applicable_and_dont_know_are_saved_without_a_value(store, person, form, key, status):
    form.choice.value = key
    answer = stored(store, person)
    assert (answer.value, answer.status) == (None, status)


def test_note_evidence_and_confidence_are_saved_as_they_change(store, person, form):
    form.choice.value = "2"
    form.note.value = "Only the big programmes map to objectives.  "
    assert stored(store, person).note == "Only the big programmes map to objectives."
    form.evidence_boxes[1].value = True
    form.evidence_boxes[0].value = True
    assert stored(store, person).evidence == FIRST.evidence[:2]  # in the question's order
    form.confidence.value = "evidence-verified"
    answer = stored(store, person)
    assert (answer.value, answer.confidence) == (2.0, "evidence-verified")
    assert [box.description for box in form.evidence_boxes] == list(FIRST.evidence)


def test_details_given_before_a_choice_wait_for_it_and_are_saved_with_it(store, person, form):
    form.note.value = "Strategy refresh due in spring."
    form.evidence_boxes[2].value = True
    assert stored(store, person) is None
    assert "choose an answer" in form.status.value
    form.next_button.click()
    form.previous_button.click()  # kept while the interview moves on, shown on return
    assert form.note.value == "Strategy refresh due in spring."
    assert [box.value for box in form.evidence_boxes] == [False, False, True]
    form.choice.value = "4"
    answer = stored(store, person)
    assert (answer.value, answer.note, answer.evidence) == (
        4.0,
        "Strategy refresh due in spring.",
        (FIRST.evidence[2],),
    )


def test_next_previous_and_jump_move_through_the_questionnaire(form):
    session = form.session
    assert session.position == 0 and form.previous_button.disabled
    form.next_button.click()
    assert session.current.id == SECOND.id
    assert "Question 2 of 60" in form.where.value
    assert [b.description for b in form.evidence_boxes] == list(SECOND.evidence)
    form.previous_button.click()
    assert session.current.id == FIRST.id
    form.jump.value = "governance"
    assert session.current.id == "governance.stage-gates"
    assert form.jump.value == "governance"
    session.go_to(59)
    form.show()
    assert form.next_button.disabled
    form.next_button.click()  # staying on the last question
    assert session.position == 59


def test_going_back_shows_what_was_saved_and_moving_writes_nothing(store, person, form):
    form.choice.value = "5"
    form.note.value = "Board reviews the map quarterly."
    form.evidence_boxes[0].value = True
    saved = stored(store, person)
    form.next_button.click()
    assert form.choice.value is None and form.note.value == ""
    assert not any(box.value for box in form.evidence_boxes)
    form.previous_button.click()
    assert form.choice.value == "5"
    assert form.note.value == "Board reviews the map quarterly."
    assert [box.value for box in form.evidence_boxes] == [True, False, False]
    assert "(chosen)" in form.anchors.value
    assert stored(store, person) == saved
    assert stored(store, person, SECOND) is None


def test_a_note_typed_before_moving_on_is_not_lost(store, person, form):
    form.choice.value = "3"
    with form._showing():  # the browser had not sent the note yet when Next was pressed
        form.note.value = "Typed, then Next."
    form.next_button.click()
    assert stored(store, person).note == "Typed, then Next."


def test_progress_and_unanswered_summary_follow_the_answers(form):
    form.choice.value = "3"
    form.next_button.click()
    form.choice.value = "na"
    assert form.session.progress() == (2, 60)
    assert (form.progress.value, form.progress.max) == (2, 60)
    assert form.progress_text.value == "2 of 60 answered"
    groups = form.session.unanswered()
    assert sum(len(g.questions) for g in groups) == 58
    assert groups[0].dimension_id == "strategy"
    assert [number for number, _ in groups[0].questions] == [3, 4, 5]
    assert "Unanswered: 58" in form.unanswered.value
    text = form.session.unanswered_text()
    assert text.splitlines()[0] == "Unanswered: 58 of 60 questions"
    assert "Q3 strategy.benefit-ownership" in text and "Q1 " not in text


def test_a_restart_resumes_at_the_first_unanswered_question_with_nothing_lost(tmp_path, person):
    with Store.open(tmp_path / "ws") as store:
        session = InterviewSession(store, person.id, MATURITY)
        for question_id, choice in (
            ("strategy.objective-link", 2),
            ("strategy.business-case", "dont_know"),
            ("strategy.benefits-tracking", 4),  # question 4: question 3 is skipped
        ):
            session.go_to(question_id)
            session.answer(choice, note=f"note on {question_id}")
    with Store.open(tmp_path / "ws") as store:  # a new kernel: only the store remembers
        form = InterviewForm(InterviewSession(store, person.id, MATURITY))
        assert form.session.current.id == "strategy.benefit-ownership"
        assert form.choice.value is None
        assert form.session.progress() == (3, 60)
        form.previous_button.click()
        assert (form.choice.value, form.note.value) == (
            "dont_know",
            "note on strategy.business-case",
        )
        answers = store.answers_of(person.id)
    assert {q: a.value for q, a in answers.items()} == {
        "strategy.objective-link": 2.0,
        "strategy.business-case": None,
        "strategy.benefits-tracking": 4.0,
    }


def test_a_form_shows_answers_another_form_gave_to_the_same_respondent(store, person, form):
    other = InterviewForm(InterviewSession(store, person.id, MATURITY))
    other.choice.value = "2"
    form.next_button.click()
    form.previous_button.click()
    assert form.choice.value == "2"
    assert form.session.progress() == (1, 60)


def test_a_respondent_with_every_answer_opens_at_the_first_question(store, person):
    session = InterviewSession(store, person.id, MATURITY)
    for index in range(len(session.questions)):
        session.go_to(index)
        session.answer(3)
    assert InterviewSession(store, person.id, MATURITY).position == 0
    assert session.unanswered() == []
    assert session.unanswered_text() == "All 60 questions are answered."


def test_a_changed_answer_keeps_its_earlier_version(store, person, form):
    form.choice.value = "2"
    form.choice.value = "4"
    assert stored(store, person).value == 4.0
    assert [h.value for h in form.session.history()] == [2.0]
    form.choice.value = "4"  # the same again changes nothing
    assert len(store.history(person.id, FIRST.id)) == 1


def test_evidence_is_stored_in_the_order_the_question_lists_it(store, person):
    session = InterviewSession(store, person.id, MATURITY)
    session.answer(3, evidence=[FIRST.evidence[2], FIRST.evidence[0]])
    assert stored(store, person).evidence == (FIRST.evidence[0], FIRST.evidence[2])
    assert not session.answer(3, evidence=[FIRST.evidence[0], FIRST.evidence[2]])  # no change


def test_a_wrong_value_is_refused_with_what_is_allowed(store, person):
    session = InterviewSession(store, person.id, MATURITY)
    with pytest.raises(
        PmoAssessError,
        match=r"'7' is not an answer to question 'strategy.objective-link'; choose one of: 1 Initial",
    ):
        session.answer(7)
    with pytest.raises(PmoAssessError, match=r"Evidence 'A slide' is not a prompt of question"):
        session.answer(3, evidence=["A slide"])
    with pytest.raises(PmoAssessError, match=r"Confidence must be one of self-reported"):
        session.answer(3, confidence="sure")
    with pytest.raises(
        PmoAssessError,
        match=r"No questions under dimension 'gates'. Dimensions: strategy, governance",
    ):
        session.jump("gates")
    assert stored(store, person) is None
    assert session.answer("defined") and stored(store, person).value == 3.0  # an option label


def test_a_user_error_in_the_form_is_shown_in_the_form_not_raised(store, person, form):
    form.choice.value = "3"
    form.evidence_boxes[0].description = "A slide nobody showed"  # not one of the prompts
    form.evidence_boxes[0].value = True
    assert "is not a prompt of question" in form.status.value
    assert "color:#b00020" in form.status.value
    assert stored(store, person).evidence == ()


def test_an_empty_wave_label_means_the_latest_wave_or_a_new_dated_one(store):
    engagement = store.engagement("acme")
    first = pick_wave(store, engagement, "", today=date(2026, 5, 4))
    assert (first.label, first.held_on) == ("interview-2026-05-04", date(2026, 5, 4))
    later = pick_wave(store, engagement, "2026-Q3", today=date(2026, 8, 1))
    assert pick_wave(store, engagement, "").id == later.id
    assert pick_wave(store, engagement, "interview-2026-05-04", today=date(2027, 1, 1)) == first


def test_respondents_are_new_and_anonymous_unless_a_code_is_given(store, wave, person):
    assert (person.code, person.role, person.source) == ("R01", "executive", "interview")
    person = store.set_interview_complete(person.id)  # else "" would resume R01
    second = open_interview(store, wave, MATURITY, "", "pmo")
    assert (second.code, second.respondent) == ("new respondent", None)
    second.answer(3)
    assert (second.respondent.code, second.respondent.role) == ("R02", "pmo")
    assert open_interview(store, wave, MATURITY, "R01", "pmo").respondent == person  # keeps role
    named = open_interview(store, wave, MATURITY, "CFO-1", "finance")
    named.answer("na")
    assert (named.respondent.code, named.respondent.role) == ("CFO-1", "finance")
    assert open_interview(store, wave, MATURITY, "r01").respondent == person  # typed in a hurry
    with pytest.raises(
        PmoAssessError,
        match=r"Wave '2026-Q3' has no respondent 'R4'; its respondents: R01, R02, CFO-1\. Leave",
    ):
        open_interview(store, wave, MATURITY, "R4", "pmo")
    with pytest.raises(PmoAssessError, match="A new respondent needs a role"):
        open_interview(store, wave, MATURITY, "CFO-2", " ")
    table = respondents_progress(store, wave, MATURITY)
    assert table[["respondent", "answered", "questions", "status"]].values.tolist() == [
        ["R01", 0, 60, "complete"],
        ["R02", 1, 60, "in progress"],
        ["CFO-1", 1, 60, "in progress"],
    ]


def test_a_client_without_engagement_gets_one_for_the_interview(store):
    store.add_client("Bare Co (fictional)", slug="bare")
    assert open_engagement(store, "bare").questionnaire_id == "pmo-maturity"


def test_a_survey_export_is_previewed_before_it_is_imported(store, wave):
    def run(**options):
        return survey_import(
            store,
            SURVEYS / "google_sheet.csv",
            "acme",
            wave.label,
            questionnaire=str(SURVEYS / "survey.yaml"),
            mapping=SURVEYS / "mapping.yaml",
            **options,
        )

    assert survey_import(store, "", "acme", wave.label) == SURVEY_HOW_TO
    preview = run()
    assert "Respondents: 3 (executive 1, project-manager 2)" in preview
    assert "Unmatched columns: none" in preview and preview.endswith("nothing was written.")
    assert run(dry_run=False, confirmed=False).startswith("Not imported yet")
    assert store.load_answers("acme").empty
    assert "11 answers added" in run(dry_run=False)
    assert len(store.load_answers("acme", questionnaire_id="survey-test")) == 11


def test_a_survey_export_that_cannot_be_read_says_why_without_a_traceback(store, wave):
    # an export without a role column ("What is your role?" would give the roles itself)
    report = survey_import(store, SURVEYS / "google_sheet_no_email.csv", "acme", wave.label)
    assert report.startswith("Nothing was imported.") and "set survey_role" in report
    missing = survey_import(store, SURVEYS / "nowhere.csv", "acme", wave.label)
    assert missing.startswith("Nothing was imported.")


def test_the_notebook_is_committed_without_outputs_and_documents_the_keyboard():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    parameters = code[0]
    assert parameters.metadata["tags"] == ["parameters"]
    for name in ("workspace", "client", "wave", "respondent", "role", "survey_file"):
        assert f"\n{name} = " in f"\n{parameters.source}"
    prose = " ".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "Keyboard only" in prose and "Shift+Tab" in prose


def test_the_notebook_interviews_and_imports_a_survey_headless(tmp_path):
    with Store.open(tmp_path / "ws") as store:
        store.add_client("Acme Rail (fictional)", slug="acme")
        store.start_engagement("acme", MATURITY)
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "out.ipynb"),
        parameters={
            "workspace": str(tmp_path / "ws"),
            "client": "",
            "survey_file": str(SURVEYS / "google_sheet.csv"),
            "survey_questionnaire": str(SURVEYS / "survey.yaml"),
            "survey_mapping": str(SURVEYS / "mapping.yaml"),
            "import_survey": True,
        },
        kernel_name="python3",
        kernel_manager_class=IPCKernelManager,
        cwd=str(tmp_path),
        progress_bar=False,
    )
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "Dry run: nothing was written." in text and "11 answers added" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ipynb", "ws"]
    today = f"interview-{date.today().isoformat()}"
    with Store.open(tmp_path / "ws") as store:
        waves = {w.label: w for w in store.waves(store.engagement("acme", "pmo-maturity").id)}
        assert store.respondents(waves[today].id) == []  # the form was opened, nobody answered
        imported = store.load_answers("acme", wave=today, questionnaire_id="survey-test")
    assert imported["respondent"].nunique() == 3
