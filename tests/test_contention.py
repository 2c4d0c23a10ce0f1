"""Two writers and readers on one SQLite store (issue 17): reads never wait for a writer, a write
that cannot get the lock fails as "the store is busy" instead of vanishing, the interview form
says so, keeps the answer and saves it on retry, and an import stays all or nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pytest

from pmo_assess.core.errors import SaveFailed
from pmo_assess.engagement.interview import InterviewSession
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.store.engine import make_engine
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import Store
from pmo_assess.widgets.interview import InterviewForm

MATURITY = load_questionnaire("pmo-maturity")
FIRST = "strategy.objective-link"


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "ws") as opened:
        opened.add_client("Acme Rail (fictional)", slug="acme")
        opened.start_engagement("acme", MATURITY)
        yield opened


@pytest.fixture
def other(store):
    """A second store on the same file, as another process would open it, that waits 0.3 s."""
    second = Store(make_engine(str(store.engine.url), busy_timeout=0.3), store.workspace)
    yield second
    second.close()


@pytest.fixture
def person(store):
    wave = store.ensure_wave(store.engagement("acme").id, "2026-Q3")
    return store.add_respondent(wave.id, "executive")


@contextmanager
def held_write(store: Store) -> Iterator[None]:
    """Another writer holds the store's write lock (an open write transaction) until the end."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.transaction():
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join()


def test_reads_do_not_wait_for_a_writer(store, other, person):
    store.record_answer(person.id, FIRST, value=3)
    with held_write(store):
        started = time.perf_counter()
        assert [c.slug for c in other.clients()] == ["acme"]
        assert list(other.load_answers("acme")["value"]) == [3.0]
        assert other.answers_of(person.id)[FIRST].value == 3.0
        assert time.perf_counter() - started < 0.3  # no busy wait at all


def test_a_write_that_cannot_get_the_lock_fails_as_busy(store, other, person):
    with held_write(store), pytest.raises(SaveFailed, match="the store is busy"):
        other.record_answer(person.id, FIRST, value=3)
    assert other.answers_of(person.id) == {}
    assert other.record_answer(person.id, FIRST, value=3)  # once the lock is free


def test_a_busy_store_keeps_the_interview_answer_unsaved_until_a_retry(store, other, person):
    session = InterviewSession(other, person.id, MATURITY)
    with held_write(store), pytest.raises(SaveFailed):
        session.answer(4, note="gates on big projects")
    assert session.unsaved() == [FIRST]
    assert (session.chosen(), session.details().note) == ("4", "gates on big projects")
    assert session.save_unsaved() == 1
    assert session.unsaved() == []
    assert store.answers_of(person.id)[FIRST].value == 4.0


def test_the_form_shows_a_failed_save_as_not_saved_and_retries(store, other, person):
    retries = []
    form = InterviewForm(
        InterviewSession(other, person.id, MATURITY),
        schedule=lambda seconds, again: retries.append((seconds, again)),
    )
    with held_write(store):
        form.choice.value = "3"
        assert "Not saved" in form.status.value and "Saved at" not in form.status.value
        assert "#b00020" in form.status.value  # red
        assert form.choice.value == "3"  # the answer stays on screen
        seconds, again = retries.pop()
        again()  # still locked: not saved, and another retry is scheduled, later
        assert "Not saved" in form.status.value
        assert retries[-1][0] > seconds
    assert store.answers_of(person.id) == {}
    retries.pop()[1]()
    assert "Saved at" in form.status.value
    assert store.answers_of(person.id)[FIRST].value == 3.0
    assert form.progress.value == 1


def test_an_import_that_cannot_get_the_lock_writes_nothing(store, other):
    engagement = store.engagement("acme")
    people = [NewRespondent("pmo", f"S{i}", source="survey") for i in range(3)]
    answers = pd.DataFrame(
        {
            "respondent": [p.code for p in people for _ in range(2)],
            "question_id": [FIRST, "strategy.business-case"] * 3,
            "value": [3.0, 4.0] * 3,
            "status": "answered",
        }
    )
    with held_write(store), pytest.raises(SaveFailed, match="the store is busy"):
        other.import_answers(engagement.id, "2026-Q3", people, answers)
    assert other.load_answers("acme").empty
    done = other.import_answers(engagement.id, "2026-Q3", people, answers)
    assert (done.respondents_added, done.answers_added) == (3, 6)
    again = other.import_answers(engagement.id, "2026-Q3", people, answers.assign(value=5.0))
    assert (again.answers_added, again.answers_changed, again.answers_unchanged) == (0, 6, 0)
    assert list(other.load_answers("acme")["value"]) == [5.0] * 6
