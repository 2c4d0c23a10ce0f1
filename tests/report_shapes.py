"""Engagements shaped unlike the demo, built the same way every run, for the report's tests.

- ``one-respondent``: the PMO Maturity Assessment answered by one PMO lead in one interview,
  with a Not applicable and a Don't know among the answers.
- ``samm``: the SAMM-shaped model of ``tests/data/samm`` (answers 0 to 1, streams summed, scores
  0 to 3, levels "None" to "Level 3"), answered by one assessor; no library, no benchmark.
- ``four-level``: the firm's own Delivery Practice Check of ``tests/data/shapes`` (1 to 4, four
  levels, a sub-divided dimension), two waves with a respondent who left after the first.

Answers come from a fixed formula, not a random generator, so golden files stay put.
"""

from __future__ import annotations

import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import Store

DATA = Path(__file__).parent / "data"
SHAPES = ("one-respondent", "samm", "four-level")


def build_shape(store: Store, shape: str) -> str:
    """Add the client of one shape to the store; returns its slug."""
    builders = {"one-respondent": _one_respondent, "samm": _samm, "four-level": _four_level}
    return builders[shape](store)


def _answers(rows: list[tuple[str, str, str, float | None, str]]) -> pd.DataFrame:
    """A tidy answers table from (respondent, role, question, value, status) rows."""
    frame = pd.DataFrame(rows, columns=["respondent", "role", "question_id", "value", "status"])
    frame["note"] = ""
    frame["confidence"] = "interview"
    return frame


def _one_respondent(store: Store) -> str:
    questionnaire = load_questionnaire("pmo-maturity")
    client = store.add_client(
        "Brightwater Logistics (fictional)", industry="Manufacturing", size_band="Large"
    )
    engagement = store.start_engagement(client.slug, questionnaire)
    rows = []
    for i, question in enumerate(questionnaire.questions()):
        value, status = float(1 + (i * 7) % 5), "answered"
        if i == 3:
            value, status = None, "na"
        elif i == 11:
            value, status = None, "dont_know"
        rows.append(("R01", "pmo", question.id, value, status))
    store.import_answers(
        engagement.id,
        "2026-Q4",
        [NewRespondent("pmo", "R01")],
        _answers(rows),
        held_on=date(2026, 11, 20),
    )
    return client.slug


def _workspace_questionnaire(store: Store, source: Path) -> Questionnaire:
    """A test questionnaire copied into the workspace, as a consultant's own one would be."""
    folder = store.workspace / "questionnaires"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / source.name)
    return load_questionnaire(folder / source.name, search=[folder])


def _samm(store: Store) -> str:
    questionnaire = _workspace_questionnaire(store, DATA / "samm" / "samm_shaped.yaml")
    client = store.add_client("Kestrel Software GmbH (fictional)", industry="Technology")
    engagement = store.start_engagement(client.slug, questionnaire)
    values = (1.0, 0.5, 0.25, 0.0, 0.5, 1.0, 0.25)
    rows = [
        ("A1", "security-lead", q.id, values[i % len(values)], "answered")
        for i, q in enumerate(questionnaire.questions())
    ]
    store.import_answers(
        engagement.id,
        "2026-H2",
        [NewRespondent("security-lead", "A1")],
        _answers(rows),
        held_on=date(2026, 10, 2),
    )
    return client.slug


def _four_level(store: Store) -> str:
    questionnaire = _workspace_questionnaire(store, DATA / "shapes" / "delivery_check.yaml")
    client = store.add_client("Oakridge Partners (fictional)", industry="Professional services")
    engagement = store.start_engagement(client.slug, questionnaire)
    people = {"E1": "executive", "P1": "project-manager", "P2": "project-manager"}
    for wave, held_on, lift, who in (
        ("W1", date(2026, 3, 10), 0, ("E1", "P1", "P2")),
        ("W2", date(2026, 9, 15), 1, ("E1", "P1")),  # P2, the lowest scorer, left
    ):
        rows = []
        for i, question in enumerate(questionnaire.questions()):
            for code in who:
                base = {"E1": 3, "P1": 2, "P2": 1}[code]
                value = float(min(4, base + lift * (i % 2) + (i % 3 == 0)))
                rows.append((code, people[code], question.id, value, "answered"))
        store.import_answers(
            engagement.id,
            wave,
            [NewRespondent(people[code], code) for code in who],
            _answers(rows),
            held_on=held_on,
        )
    return client.slug


class _VisibleText(HTMLParser):
    """The text a reader sees: data outside <style>, <script> and <head>, one chunk per run."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script", "head")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script", "head")

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_chunks(markup: str) -> list[str]:
    """The visible text of HTML, whitespace collapsed, one item per text run."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return parser.chunks
