"""The interview form: one question at a time, every change saved to the store as it is made.

A view over :class:`pmo_assess.engagement.interview.InterviewSession`, which holds the logic. Its
controls are attributes (``picker``, ``choice``, ``note``, ``evidence_boxes``, ``confidence``,
``previous_button``, ``next_button``, ``jump``, ``complete_button``, ``progress`` ...), each with
a ``pmo-...`` CSS class, so tests can set values and click buttons in Python and a browser test
can find them. The respondent picker on top switches the form to another respondent
(:meth:`InterviewForm.switch`); the button under it marks the interview complete or reopens it.

Levels are ToggleButtons rather than radio buttons: arrow keys in a radio group select every level
they pass, which would record (and keep in the history) answers nobody gave. The levels come first
in Tab order after the respondent picker; Enter or Space presses the focused button, and after
Previous, Next or First unanswered the focus returns to the levels of the new question.
:class:`~pmo_assess.widgets.keyboard.FormKeys` keeps JupyterLab's shortcuts off the form's keys
and adds Alt+A (answers), Alt+N (note) and Alt+D (dimension).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import ipywidgets as widgets

from pmo_assess.core.errors import PmoAssessError, SaveFailed
from pmo_assess.engagement.interview import InterviewSession
from pmo_assess.model.answer_status import CONFIDENCE_LEVELS
from pmo_assess.report.markup import esc
from pmo_assess.widgets.interview_parts import Scheduler, anchors_html, later, unanswered_html
from pmo_assess.widgets.keyboard import FormKeys, shortcuts_html
from pmo_assess.widgets.live import ShowsStoredValues
from pmo_assess.widgets.respondent_picker import RespondentPicker

#: Seconds before the first retry of a save the store refused, doubling up to the last.
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0)

CONFIDENCE_LABELS = {
    "self-reported": "Self-reported",
    "interview": "Interview",
    "evidence-verified": "Evidence verified",
}
CONFIDENCE_HELP = (
    "Self-reported: the respondent's word only",
    "Interview: discussed and probed in this interview",
    "Evidence verified: you saw documents that bear the answer out",
)


def _wide(**extra: str) -> widgets.Layout:
    return widgets.Layout(width="100%", **extra)


def _button(description: str, css: str, tooltip: str, icon: str = "") -> widgets.Button:
    button = widgets.Button(description=description, tooltip=tooltip, icon=icon)
    button.add_class(css)
    return button


class InterviewForm(ShowsStoredValues, widgets.VBox):
    """The form for one respondent; ``display(form)`` shows it in JupyterLab."""

    def __init__(self, session: InterviewSession, schedule: Scheduler | None = None) -> None:
        self.session = session
        self._schedule = schedule or later
        self._retries = 0  # failed tries since the last save that went through
        self._retry_waiting = False
        dimensions = [(d.title, d.id) for d in session.questionnaire.dimensions]
        self.heading = widgets.HTML()
        self.progress = widgets.IntProgress(
            min=0, max=len(session.questions), description="Answered"
        )
        self.progress_text = widgets.Label()
        self.where = widgets.HTML()
        self.question = widgets.HTML(layout=_wide())
        self.anchors = widgets.HTML(layout=_wide())
        self.choice = widgets.ToggleButtons(
            options=[], description="Answer", tabbable=True, style={"button_width": "auto"}
        )
        self.note = widgets.Textarea(
            description="Note",
            placeholder="What the respondent said; saved when you leave this box",
            continuous_update=False,  # sync (and save) once, on leaving the box
            layout=_wide(height="5em"),
        )
        self.save_note_button = _button("Save note", "pmo-save-note", "Save the note now")
        self.evidence_box = widgets.VBox(layout=_wide())
        self.evidence_boxes: list[widgets.Checkbox] = []
        self.confidence = widgets.ToggleButtons(
            options=[(CONFIDENCE_LABELS.get(c, c), c) for c in CONFIDENCE_LEVELS],
            tooltips=list(CONFIDENCE_HELP),
            description="Confidence",
            style={"button_width": "auto"},
        )
        self.previous_button = _button(
            "Previous", "pmo-previous", "Previous question", "arrow-left"
        )
        self.next_button = _button("Next", "pmo-next", "Next question", "arrow-right")
        self.jump = widgets.Dropdown(options=dimensions, description="Dimension")
        self.first_unanswered_button = _button(
            "First unanswered", "pmo-first-unanswered", "Go to the first question without answer"
        )
        self.complete_button = _button(
            "Mark interview complete",
            "pmo-complete",
            "Its answers count in the analysis once the interview is marked complete",
        )
        self.complete_button.layout.width = "auto"  # the whole label, never "Mark interview c..."
        self.completion = widgets.HTML()
        self.status = widgets.HTML()
        self.unanswered = widgets.HTML(layout=_wide())
        self.shortcut_keys = FormKeys()
        self.keys_help = widgets.HTML(shortcuts_html())
        self.picker = RespondentPicker(session, self.switch, self._show_heading)
        for control, css in (
            (self.choice, "pmo-choice"),
            (self.note, "pmo-note"),
            (self.evidence_box, "pmo-evidence"),
            (self.confidence, "pmo-confidence"),
            (self.jump, "pmo-jump"),
            (self.progress, "pmo-progress"),
            (self.status, "pmo-status"),
            (self.unanswered, "pmo-unanswered"),
            (self.question, "pmo-question"),
            (self.completion, "pmo-completion"),
        ):
            control.add_class(css)
        super().__init__(children=self._rows(), layout=_wide(max_width="60em"))
        self.add_class("pmo-interview")
        self._wire()
        self.show()

    def _rows(self) -> list[widgets.Widget]:
        """Controls in reading order, which is also the order Tab visits them."""
        return [
            self.shortcut_keys,
            self.heading,
            self.keys_help,
            self.picker,
            widgets.HBox([self.progress, self.progress_text]),
            self.where,
            self.question,
            self.anchors,
            self.choice,
            widgets.HBox([self.note, self.save_note_button], layout=_wide()),
            self.evidence_box,
            self.confidence,
            widgets.HBox(
                [self.previous_button, self.next_button, self.jump, self.first_unanswered_button]
            ),
            widgets.HBox([self.complete_button, self.completion]),
            self.status,
            self.unanswered,
        ]

    def _wire(self) -> None:
        self.choice.observe(self._on_choice, names="value")
        self.note.observe(self._on_detail, names="value")
        self.confidence.observe(self._on_detail, names="value")
        self.save_note_button.on_click(lambda _: self._record())
        self.previous_button.on_click(lambda _: self._move(self.session.previous))
        self.next_button.on_click(lambda _: self._move(self.session.next))
        self.first_unanswered_button.on_click(
            lambda _: self._move(lambda: self.session.go_to(self.session.resume_position()))
        )
        self.jump.observe(self._on_jump, names="value")
        self.complete_button.on_click(lambda _: self._toggle_complete())

    # --- showing the current question ------------------------------------------------------------

    def show(self) -> None:
        """Show the session's current question with whatever is stored (or kept) for it."""
        session, question = self.session, self.session.current
        session.reload()
        details, choices = session.details(), session.choices()
        self._show_heading()
        with self._showing():
            self.where.value = (
                f"<b>Question {session.position + 1} of {len(session.questions)}</b>"
                f" &middot; {esc(session.dimension.title)}"
            )
            self.question.value = f"<h3>{esc(question.text)}</h3>" + (
                f"<p>{esc(question.help)}</p>" if question.help else ""
            )
            self.choice.options = [(c.label, c.key) for c in choices]
            self.choice.tooltips = [c.anchor or c.label for c in choices]
            self.choice.value = session.chosen()
            self.anchors.value = anchors_html(choices, session.chosen())
            self.note.value = details.note
            self._show_evidence(question.evidence, details.evidence)
            self.confidence.value = details.confidence
            self.jump.value = session.dimension.id
            self.previous_button.disabled = session.position == 0
            self.next_button.disabled = session.position == len(session.questions) - 1
        self._show_progress()

    def _show_heading(self) -> None:
        session = self.session
        who = f"respondent {esc(session.code)} ({esc(session.role)})"
        if session.respondent is None:
            who = f"a new respondent ({esc(session.role)}), added to the wave with the first answer"
        self.heading.value = (
            f"<b>Interview</b>: {esc(session.client_slug)}, wave {esc(session.wave_label)}, {who}"
        )

    def _show_evidence(self, prompts: Sequence[str], seen: Sequence[str]) -> None:
        old = self.evidence_boxes
        self.evidence_boxes = []
        for prompt in prompts:
            box = widgets.Checkbox(
                value=prompt in seen,
                description=prompt,
                tooltip=prompt,
                indent=False,
                layout=_wide(),
            )
            box.observe(self._on_detail, names="value")
            self.evidence_boxes.append(box)
        title = "Evidence seen" if prompts else "Evidence seen: this question lists none"
        self.evidence_box.children = [widgets.HTML(f"<b>{title}</b>"), *self.evidence_boxes]
        for box in old:
            box.close()

    def _show_progress(self) -> None:
        answered, total = self.session.progress()
        self.progress.value = answered
        self.progress_text.value = f"{answered} of {total} answered"
        self.unanswered.value = unanswered_html(self.session.unanswered(), total - answered)
        self._show_completion(total - answered)

    def _show_completion(self, unanswered: int) -> None:
        session = self.session
        self.complete_button.disabled = session.respondent is None
        self.complete_button.description = (
            "Mark interview complete" if session.in_progress else "Reopen interview"
        )
        left = (
            f"{unanswered} question{'s' if unanswered != 1 else ''} unanswered"
            if unanswered
            else "every question answered"
        )
        if session.respondent is None:
            text = "Nothing saved yet: the respondent joins the wave with the first answer."
        elif session.in_progress:
            text = f"{left}. In progress: left out of the analysis until marked complete."
        else:
            text = f"Complete ({left}): its answers count in the analysis."
        self.completion.value = f'<span style="color:#555">{esc(text)}</span>'

    # --- saving ----------------------------------------------------------------------------------

    def _on_choice(self, change: dict[str, Any]) -> None:
        if not self._loading and change["new"] is not None:
            self._record(change["new"])

    def _on_detail(self, _change: dict[str, Any]) -> None:
        if not self._loading:
            self._record()

    def _record(self, choice: str | None = None) -> None:
        """Save what the form shows for the current question (a choice, when given, with it)."""
        ticked = [box.description for box in self.evidence_boxes if box.value]
        try:
            changed = self.session.answer(
                choice, note=self.note.value, evidence=ticked, confidence=self.confidence.value
            )
        except SaveFailed as exc:
            self._not_saved(exc)
            return
        except PmoAssessError as exc:
            self._say(str(exc), error=True)
            return
        if self.session.unsaved():
            self._say("Not saved — retrying… (earlier answers are still waiting)", error=True)
        elif self.session.saved() is None:
            self._say("Kept until you choose an answer; an answer is saved with its choice.")
        elif changed:
            label = next(c.label for c in self.session.choices() if c.key == self.session.chosen())
            self._say(f"Saved at {datetime.now():%H:%M:%S}: {label}.")
        self._saved(changed)

    def _not_saved(self, exc: SaveFailed) -> None:
        """Say the save failed, keep the answer on screen, and try again after a pause."""
        delay = RETRY_DELAYS[min(self._retries, len(RETRY_DELAYS) - 1)]
        self._retries += 1
        self._say(f"Not saved — retrying in {delay:g} s… {exc}", error=True)
        if not self._retry_waiting:
            self._retry_waiting = True
            self._schedule(delay, self._retry)

    def _retry(self) -> None:
        self._retry_waiting = False
        try:
            count = self.session.save_unsaved()
        except SaveFailed as exc:
            self._not_saved(exc)
            return
        except PmoAssessError as exc:
            self._say(str(exc), error=True)
            return
        self._retries = 0
        if count:
            noun = "answer" if count == 1 else "answers"
            self._say(f"Saved at {datetime.now():%H:%M:%S}: {count} {noun} kept while busy.")
        self._saved(count > 0)

    def _saved(self, changed: bool) -> None:
        """Show what a save changed: the chosen level, the progress, and the respondent's line
        in the picker (a new respondent joins the list with its first answer)."""
        with self._showing():
            self.anchors.value = anchors_html(self.session.choices(), self.session.chosen())
        self._show_progress()
        if changed:
            self._show_heading()
            self.picker.refresh(self.session)

    def _toggle_complete(self) -> None:
        completing = self.session.in_progress
        try:
            self.session.set_complete(completing)
        except PmoAssessError as exc:  # a busy store (SaveFailed) too: the click can be repeated
            self._say(str(exc), error=True)
            return
        self._say(
            "Interview marked complete: its answers count in the analysis."
            if completing
            else "Interview reopened: its answers are left out of the analysis until it is "
            "marked complete again."
        )
        self._show_progress()
        self.picker.refresh(self.session)

    # --- switching respondents -------------------------------------------------------------------

    def switch(self, session: InterviewSession) -> None:
        """Show another respondent's interview (the picker calls this)."""
        waiting = self.session.unsaved()
        if waiting and session is not self.session:
            raise PmoAssessError(
                f"{len(waiting)} answer(s) of {self.session.code} are not saved yet (the store "
                "is busy; retrying). Switch once the form says they are saved."
            )
        self.session = session
        self._retries = 0
        self.progress.max = len(session.questions)
        self.show()
        self.choice.focus()

    def _say(self, message: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b5e20"
        self.status.value = f'<span style="color:{colour}">{esc(message)}</span>'

    # --- moving ----------------------------------------------------------------------------------

    def _move(self, step: Callable[[], object], focus: bool = True) -> None:
        """Save a note not yet saved, move, and show the new question."""
        if self.note.value.strip() != self.session.details().note:
            self._record()
        try:
            step()
        except PmoAssessError as exc:
            self._say(str(exc), error=True)
        self.show()
        if focus:
            self.choice.focus()  # keyboard users land on the levels of the new question

    def _on_jump(self, change: dict[str, Any]) -> None:
        # No focus move: arrow keys on the dropdown jump at once and must stay on the dropdown.
        if not self._loading and change["new"]:
            self._move(lambda: self.session.jump(change["new"]), focus=False)
