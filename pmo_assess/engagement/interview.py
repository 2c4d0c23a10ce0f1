"""One interview with one respondent: the questions in order, where the consultant is, and every
answer written to the store the moment it is given.

:class:`InterviewSession` keeps no answers itself; they live in the store, so after a kernel
restart the same respondent reopens at the first unanswered question with all earlier answers in
place. A new respondent (a :class:`Newcomer`) is added to the store with the first answer saved,
in progress until the consultant marks the interview complete: opening the form and leaving
writes nothing, and half an interview never feeds the analysis. The form in :mod:`pmo_assess.widgets.interview` only displays a session. Picking the
engagement, wave and respondent is in :mod:`pmo_assess.engagement.interview_setup`; bringing in a survey
export instead is in :mod:`pmo_assess.engagement.survey_preview`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from pmo_assess.core.errors import PmoAssessError, SaveFailed
from pmo_assess.model.answer_status import ANSWERED, CONFIDENCE_LEVELS, DONT_KNOW, NOT_APPLICABLE
from pmo_assess.model.questionnaire import Dimension, Question, Questionnaire, format_value
from pmo_assess.store.records import AnswerRecord, Respondent
from pmo_assess.store.repository import Store

#: What an interview answer is recorded with unless the consultant says otherwise.
DEFAULT_CONFIDENCE = "interview"
#: The longest role the store keeps.
ROLE_LENGTH = 80


@dataclass(frozen=True)
class Choice:
    """One answer a respondent can give: a level with what it looks like, N/A or Don't know."""

    key: str  # "3", "na" or "dont_know": what the form's buttons carry
    label: str  # "3 Defined"
    anchor: str  # the behaviour that marks this level; empty for N/A and Don't know
    value: float | None
    status: str
    option_label: str


@dataclass(frozen=True)
class Details:
    """What goes with an answer besides the choice."""

    note: str = ""
    evidence: tuple[str, ...] = ()
    confidence: str = DEFAULT_CONFIDENCE


@dataclass(frozen=True)
class Newcomer:
    """Someone to interview who is not in the store yet: added to the wave, in progress, when
    the first answer is saved."""

    wave_id: int
    role: str
    code: str = ""  # empty: the next anonymous code (R01, R02, ...) nobody in the wave has


@dataclass(frozen=True)
class UnansweredGroup:
    """The questions of one top-level dimension still without an answer, with their numbers."""

    dimension_id: str
    title: str
    questions: tuple[tuple[int, Question], ...]


def choices_for(questionnaire: Questionnaire, question: Question) -> tuple[Choice, ...]:
    """The question's answer set as choices, each scale level carrying its anchor.

    >>> from pmo_assess.model.loading import load_questionnaire
    >>> q = load_questionnaire("pmo-maturity")
    >>> [c.label for c in choices_for(q, q.question("governance.stage-gates"))][2::2]
    ['3 Defined', '5 Optimizing', "Don't know"]
    """
    found = []
    for option in questionnaire.answer_sets[question.answer_set].options:
        if option.value is not None:
            key = format_value(option.value)
            anchor = question.anchors.get(option.value, "")
            found.append(
                Choice(key, f"{key} {option.label}", anchor, option.value, ANSWERED, option.label)
            )
        elif option.not_applicable or option.dont_know:
            status = NOT_APPLICABLE if option.not_applicable else DONT_KNOW
            found.append(Choice(status, option.label, "", None, status, option.label))
    return tuple(found)


class InterviewSession:
    """Walks one respondent through a questionnaire; every answer is committed at once."""

    def __init__(
        self,
        store: Store,
        respondent: int | Newcomer,
        questionnaire: Questionnaire,
        by: str | None = None,
    ) -> None:
        self.store = store
        self.questionnaire = questionnaire
        self.by = by
        #: The respondent as stored; None for a newcomer until its first answer is saved.
        self.respondent: Respondent | None = None
        self.newcomer: Newcomer | None = None
        if isinstance(respondent, Newcomer):
            self.newcomer, wave_id = respondent, respondent.wave_id
        else:
            self.respondent = _stored_respondent(store, respondent)
            wave_id = self.respondent.wave_id
        self.wave, self.client_slug = store.wave_with_client(wave_id)
        self.wave_label = self.wave.label
        self.questions: tuple[Question, ...] = tuple(questionnaire.questions())
        if not self.questions:
            raise PmoAssessError(f"Questionnaire '{questionnaire.id}' has no questions to ask.")
        self._top = {q.id: top for top in questionnaire.dimensions for q in top.all_questions()}
        self._answers: dict[str, AnswerRecord] = {}
        self.reload()
        self._drafts: dict[str, Details] = {}  # details given before any choice, kept till one
        self._unsaved: dict[str, tuple[Choice, Details]] = {}  # answers the store refused (busy)
        self.position = self.resume_position()

    # --- where the interview is -----------------------------------------------------------------

    @property
    def current(self) -> Question:
        """The question on screen."""
        return self.questions[self.position]

    @property
    def dimension(self) -> Dimension:
        """The top-level dimension of the current question."""
        return self._top[self.current.id]

    @property
    def code(self) -> str:
        """The respondent's code; a newcomer without one of its own: ``new respondent``."""
        if self.respondent is not None:
            return self.respondent.code
        return self.newcomer.code if self.newcomer and self.newcomer.code else "new respondent"

    @property
    def role(self) -> str:
        """The respondent's role."""
        if self.respondent is not None:
            return self.respondent.role
        assert self.newcomer is not None  # one of the two is always set
        return self.newcomer.role

    @property
    def in_progress(self) -> bool:
        """True until the interview is marked complete (a newcomer's always is)."""
        return self.respondent is None or self.respondent.in_progress

    def describe(self) -> str:
        """Who and how far along: ``acme, wave 2026-Q3, R04 (pmo): 3 of 60 answered``."""
        answered, total = self.progress()
        who = f"{self.code} ({self.role})"
        text = f"{self.client_slug}, wave {self.wave_label}, {who}: {answered} of {total} answered"
        if self.respondent is None:
            return f"{text}; added to the wave with the first answer."
        return text + ("" if self.in_progress else "; interview complete.")

    def set_role(self, role: str) -> None:
        """Change a newcomer's role (a stored respondent keeps the role it was added with)."""
        if self.newcomer is None:
            raise PmoAssessError(
                f"Respondent {self.code} is stored with role '{self.role}'; a role is chosen "
                "only for a new respondent."
            )
        self.newcomer = replace(self.newcomer, role=checked_role(role))

    def set_complete(self, complete: bool = True) -> None:
        """Mark the interview complete (its answers count in the analysis), or reopen it."""
        if self.respondent is None:
            raise PmoAssessError(
                "Nothing to mark complete yet: this respondent is added to the wave with the "
                "first answer."
            )
        self.respondent = self.store.set_interview_complete(self.respondent.id, complete)

    def next(self) -> Question:
        """Move to the next question (staying on the last one)."""
        self.position = min(self.position + 1, len(self.questions) - 1)
        return self.current

    def previous(self) -> Question:
        """Move to the previous question (staying on the first one)."""
        self.position = max(self.position - 1, 0)
        return self.current

    def go_to(self, target: int | str) -> Question:
        """Move to a question by its index (0 is the first) or its id."""
        ids = [q.id for q in self.questions]
        if isinstance(target, str):
            if target not in ids:
                raise PmoAssessError(f"Unknown question '{target}' in '{self.questionnaire.id}'.")
            target = ids.index(target)
        if not 0 <= target < len(ids):
            raise PmoAssessError(f"Question index must be 0 to {len(ids) - 1}; got {target}.")
        self.position = target
        return self.current

    def jump(self, dimension_id: str) -> Question:
        """Move to the first question of a dimension."""
        try:
            first = next(self.questionnaire.dimension(dimension_id).all_questions())
        except (KeyError, StopIteration):
            known = ", ".join(d.id for d in self.questionnaire.dimensions)
            raise PmoAssessError(
                f"No questions under dimension '{dimension_id}'. Dimensions: {known}."
            ) from None
        return self.go_to(first.id)

    def resume_position(self) -> int:
        """The index of the first question without an answer; 0 when all are answered."""
        return next((i for i, q in enumerate(self.questions) if q.id not in self._answers), 0)

    def progress(self) -> tuple[int, int]:
        """(questions answered, questions in all); N/A and Don't know count as answered."""
        return sum(q.id in self._answers for q in self.questions), len(self.questions)

    def unanswered(self) -> list[UnansweredGroup]:
        """The open questions by top-level dimension, each with its number (1 is the first)."""
        groups = []
        for top in self.questionnaire.dimensions:
            open_ = tuple(
                (i + 1, q)
                for i, q in enumerate(self.questions)
                if self._top[q.id] is top and q.id not in self._answers
            )
            if open_:
                groups.append(UnansweredGroup(top.id, top.title, open_))
        return groups

    def unanswered_text(self) -> str:
        """The unanswered questions as lines of text, for the notebook."""
        answered, total = self.progress()
        if answered == total:
            return f"All {total} questions are answered."
        if answered == 0:
            return f"No answer yet: all {total} questions are open."
        lines = [f"Unanswered: {total - answered} of {total} questions"]
        for group in self.unanswered():
            numbers = ", ".join(f"Q{number} {q.id}" for number, q in group.questions)
            lines.append(f"- {group.title} ({len(group.questions)}): {numbers}")
        return "\n".join(lines)

    def reload(self) -> None:
        """Read the respondent's answers again (another form or process may have written some)."""
        self._answers = self.store.answers_of(self.respondent.id) if self.respondent else {}

    # --- answers ----------------------------------------------------------------------------------

    def choices(self, question: Question | None = None) -> tuple[Choice, ...]:
        """The answers the question (the current one by default) can take."""
        return choices_for(self.questionnaire, question or self.current)

    def saved(self, question_id: str | None = None) -> AnswerRecord | None:
        """The stored answer to a question (the current one by default), or None."""
        return self._answers.get(question_id or self.current.id)

    def chosen(self, question_id: str | None = None) -> str | None:
        """The key of the choice (``"3"``, ``"na"``, ``"dont_know"``): not yet saved, else stored;
        None when there is neither."""
        unsaved = self._unsaved.get(question_id or self.current.id)
        if unsaved is not None:
            return unsaved[0].key
        record = self.saved(question_id)
        if record is None:
            return None
        return format_value(record.value) if record.value is not None else record.status

    def details(self, question_id: str | None = None) -> Details:
        """Note, evidence and confidence: as stored, else as given before a choice, else empty."""
        qid = question_id or self.current.id
        if qid in self._unsaved:
            return self._unsaved[qid][1]
        record = self._answers.get(qid)
        if record is None:
            return self._drafts.get(qid, Details())
        return Details(record.note, record.evidence, record.confidence)

    def answer(
        self,
        choice: str | float | Choice | None = None,
        *,
        note: str | None = None,
        evidence: Sequence[str] | None = None,
        confidence: str | None = None,
    ) -> bool:
        """Record the current question's answer at once; what is not given keeps its value.

        ``choice`` is a scale value (``3``), an option label (``"Defined"``), ``"na"`` or
        ``"dont_know"``; None keeps the stored choice. Details given before any choice wait for
        one (the store holds no answer without a choice). Returns True when the store changed;
        a changed answer keeps its earlier version in the store's history. When the store is busy
        this raises :class:`~pmo_assess.core.errors.SaveFailed` and keeps the answer, unsaved
        (:meth:`unsaved`), for :meth:`save_unsaved` to try again.
        """
        question = self.current
        given = self._merge(question, note, evidence, confidence)
        key = self.chosen() if choice is None else choice
        if key is None:
            self._drafts[question.id] = given
            return False
        self._unsaved[question.id] = (self._choice(question, key), given)
        self._drafts.pop(question.id, None)
        return self._save(question.id)

    def unsaved(self) -> list[str]:
        """The ids of questions whose answer the store has not taken yet (it was busy)."""
        return list(self._unsaved)

    def save_unsaved(self) -> int:
        """Try again to save the answers the store refused; returns how many were saved.

        Raises :class:`~pmo_assess.core.errors.SaveFailed` while the store is still busy; what
        was not saved stays for the next try.
        """
        waiting = list(self._unsaved)
        for question_id in waiting:
            self._save(question_id)
        return len(waiting)

    def _save(self, question_id: str) -> bool:
        picked, given = self._unsaved[question_id]
        try:
            changed = self.store.record_answer(
                self._stored_id(),
                question_id,
                value=picked.value,
                status=picked.status,
                option_label=picked.option_label,
                note=given.note,
                evidence=given.evidence,
                confidence=given.confidence,
                by=self.by,
            )
        except SaveFailed:
            raise
        except Exception:
            del self._unsaved[question_id]  # a refusal that trying again will not cure
            raise
        del self._unsaved[question_id]
        self.reload()
        return changed

    def _stored_id(self) -> int:
        """The respondent's id, adding a newcomer to the store first (in progress)."""
        if self.respondent is None:
            assert self.newcomer is not None  # one of the two is always set
            new = self.newcomer
            self.respondent = self.store.start_interview(new.wave_id, new.role, new.code or None)
            self.newcomer = None
        return self.respondent.id

    def history(self, question_id: str | None = None) -> list[AnswerRecord]:
        """Earlier versions of an answer, oldest first."""
        if self.respondent is None:
            return []
        return self.store.history(self.respondent.id, question_id or self.current.id)

    def _choice(self, question: Question, choice: str | float | Choice) -> Choice:
        if isinstance(choice, Choice):
            choice = choice.key
        wanted = format_value(float(choice)) if isinstance(choice, int | float) else choice
        text = " ".join(str(wanted).split()).casefold()
        for option in self.choices(question):
            if text in (option.key, option.option_label.casefold(), option.label.casefold()):
                return option
        allowed = self.questionnaire.answer_sets[question.answer_set].describe()
        raise PmoAssessError(
            f"'{choice}' is not an answer to question '{question.id}'; choose one of: {allowed} "
            f"(or '{NOT_APPLICABLE}', '{DONT_KNOW}')."
        )

    def _merge(
        self,
        question: Question,
        note: str | None,
        evidence: Sequence[str] | None,
        confidence: str | None,
    ) -> Details:
        """The question's details with the given ones put in, checked."""
        details = self.details(question.id)
        if note is not None:
            details = replace(details, note=note.strip())
        if evidence is not None:
            details = replace(details, evidence=_checked_evidence(question, evidence))
        if confidence is not None:
            if confidence not in CONFIDENCE_LEVELS:
                allowed = ", ".join(CONFIDENCE_LEVELS)
                raise PmoAssessError(f"Confidence must be one of {allowed}; got {confidence!r}.")
            details = replace(details, confidence=confidence)
        return details


def _checked_evidence(question: Question, evidence: Sequence[str]) -> tuple[str, ...]:
    """The evidence seen, in the order the question lists its prompts (so ticking is order-free)."""
    unknown = [e for e in evidence if e not in question.evidence]
    if unknown:
        prompts = "; ".join(question.evidence) or "none"
        raise PmoAssessError(
            f"Evidence '{unknown[0]}' is not a prompt of question '{question.id}'. Its prompts: "
            f"{prompts}."
        )
    return tuple(p for p in question.evidence if p in evidence)


def checked_role(role: str) -> str:
    """A new respondent's role, stripped; refused when empty or longer than the store keeps.

    >>> checked_role(" pmo ")
    'pmo'
    """
    role = role.strip()
    if not role:
        raise PmoAssessError('A new respondent needs a role, e.g. "pmo" or "executive".')
    if len(role) > ROLE_LENGTH:
        raise PmoAssessError(
            f"A role is at most {ROLE_LENGTH} characters; this one has {len(role)}. Use a short "
            'role such as "pmo" or "project-manager".'
        )
    return role


def _stored_respondent(store: Store, respondent_id: int) -> Respondent:
    placed = store.placed_respondent(respondent_id)
    if placed is None:
        raise PmoAssessError(f"No respondent with id {respondent_id} in this store.")
    return placed.respondent
