"""The respondent picker at the top of the interview form: the wave's respondents with how far
each has got (``R03 · pmo · 12 of 40 answered · in progress``) and "New respondent…" with a
role, so resuming or starting an interview needs no code edited. Choosing one switches the form.

A role that cannot be used is refused next to its box; the new respondent keeps its last good one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.interview import InterviewSession, Newcomer, checked_role
from pmo_assess.engagement.interview_setup import open_interview, wave_progress
from pmo_assess.model.terms import ROLES
from pmo_assess.report.markup import esc
from pmo_assess.widgets.live import ShowsStoredValues

#: The dropdown's value for "New respondent…" (no stored respondent has an empty code).
NEW = ""
NEW_LABEL = "New respondent…"


class RespondentPicker(ShowsStoredValues, widgets.VBox):
    """Who is being interviewed; ``switch`` takes the chosen respondent's session, ``changed``
    is called when the new respondent's role changes."""

    def __init__(
        self,
        session: InterviewSession,
        switch: Callable[[InterviewSession], None],
        changed: Callable[[], None],
    ) -> None:
        self.session = session
        self._switch = switch
        self._changed = changed
        self.respondent = widgets.Dropdown(
            description="Respondent", layout=widgets.Layout(width="34em")
        )
        self.message = widgets.HTML()
        self.role = widgets.Combobox(
            description="Role",
            placeholder='e.g. "pmo" or "executive"',
            options=tuple(ROLES),
            ensure_option=False,
            continuous_update=False,  # checked once, on leaving the box or pressing Enter
        )
        self.role_message = widgets.HTML()
        self.new_row = widgets.HBox([self.role, self.role_message])
        for control, css in (
            (self.respondent, "pmo-respondent"),
            (self.message, "pmo-picker-message"),
            (self.role, "pmo-new-role"),
            (self.role_message, "pmo-role-message"),
        ):
            control.add_class(css)
        super().__init__([widgets.HBox([self.respondent, self.message]), self.new_row])
        self.respondent.observe(self._on_respondent, names="value")
        self.role.observe(self._on_role, names="value")
        self.refresh(session)

    def refresh(self, session: InterviewSession) -> None:
        """Show the wave's respondents as they are now, with ``session``'s one chosen."""
        self.session = session
        entries = wave_progress(session.store, session.wave, session.questionnaire)
        stored = session.respondent
        with self._showing():
            self.respondent.options = [(e.label(), e.respondent.code) for e in entries] + [
                (NEW_LABEL, NEW)
            ]
            self.respondent.value = stored.code if stored else NEW
            self.role.value = session.role
        self.role_message.value = ""
        self.new_row.layout.display = "none" if stored else ""

    def _on_respondent(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        current = self.session
        try:
            if change["new"] == NEW:
                role = checked_role(self.role.value or current.role)
                chosen = InterviewSession(
                    current.store,
                    Newcomer(current.wave.id, role),
                    current.questionnaire,
                    current.by,
                )
            else:
                chosen = open_interview(
                    current.store, current.wave, current.questionnaire, change["new"], by=current.by
                )
            self._switch(chosen)
        except PmoAssessError as exc:
            self.refresh(current)  # back to the respondent the form still shows
            self.message.value = _error(str(exc))
            return
        self.message.value = ""
        self.refresh(chosen)

    def _on_role(self, change: dict[str, Any]) -> None:
        if self._loading or self.session.respondent is not None:
            return
        try:
            self.session.set_role(change["new"])
        except PmoAssessError as exc:
            self.role_message.value = _error(str(exc))
            return
        self.role_message.value = ""
        self._changed()


def _error(message: str) -> str:
    return f'<span style="color:#b00020">{esc(message)}</span>'
