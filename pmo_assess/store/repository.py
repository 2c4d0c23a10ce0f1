"""The engagement store: clients, engagements, waves, respondents and every answer, kept safely.

SQLite in the workspace by default (WAL journal, each write in its own ``BEGIN IMMEDIATE``
transaction, so several processes can write and none loses a write); any SQLAlchemy URL, such as
PostgreSQL for a team, with ``url=``. Opening a store brings its schema up to date with Alembic.
Every recorded answer is committed at once; a changed answer keeps its earlier value, with who
gave it and when, in ``answer_history``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import (
    DATABASE_FILE,
    check_slug,
    database_url,
    missing_store,
    slugify,
    workspace_dir,
)
from pmo_assess.model.answer_status import ANSWERED
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.model.terms import ENGAGEMENT_KINDS, RoleName
from pmo_assess.store import schema as t
from pmo_assess.store.engine import (
    current_revision,
    safe_url,
    sqlite_file,
    write_transaction,
)
from pmo_assess.store.import_write import prepare_import, staged_write, write_import
from pmo_assess.store.notes import load_notes, stored_role_names, write_notes, write_role_names
from pmo_assess.store.queries import finished_only, of_assessment, up_to_client
from pmo_assess.store.readonly import open_engine, refuse_write
from pmo_assess.store.records import (
    AnswerRecord,
    Client,
    Engagement,
    NewNote,
    NewRespondent,
    PlacedRespondent,
    Respondent,
    Wave,
    answer_record,
    respondent_record,
    wave_record,
)
from pmo_assess.store.respondents import (
    placed_respondent,
    set_in_progress,
    start_interview,
    wave_with_client,
)
from pmo_assess.store.writes import (
    ensure_respondent,
    ensure_wave,
    new_answer,
    now,
    upsert_answer,
)


def import_first(client_slug: str, wave: str | None = None) -> str:
    """What to run when a client has no answers to work with, for the end of an error message.

    >>> import_first("acme")
    'import answers first: pmo-assess import FILE --client acme --wave LABEL'
    """
    command = f"pmo-assess import FILE --client {client_slug} --wave {wave or 'LABEL'}"
    return f"import answers first: {command}"


def no_answers_message(client_slug: str, wave: str, respondents: list[Respondent]) -> str:
    """Why a wave has nothing to score, and what to do: interviews not marked complete, or no
    answers at all.

    >>> no_answers_message("acme", "w1", [])
    "Client 'acme' has no answers in wave 'w1'; import answers first: pmo-assess import FILE --client acme --wave w1."
    """
    unfinished = [r.code for r in respondents if r.in_progress]
    if unfinished:
        return (
            f"Client '{client_slug}' has no finished answers in wave '{wave}': its "
            f"{len(unfinished)} interview(s) ({', '.join(unfinished)}) are not marked complete, "
            "and an interview counts only once it is. Mark them complete in 02_interview (the "
            "button under the form)."
        )
    return f"Client '{client_slug}' has no answers in wave '{wave}'; {import_first(client_slug, wave)}."


def choose_wave(waves: list[Wave], wanted: str | None, client_slug: str) -> Wave:
    """The wave called ``wanted``, or the latest when None; a clear error when there is none."""
    if not waves:
        raise PmoAssessError(
            f"Client '{client_slug}' has no waves and no answers yet; {import_first(client_slug)}."
        )
    if wanted is None:
        return waves[-1]
    for candidate in waves:
        if candidate.label == wanted:
            return candidate
    raise PmoAssessError(
        f"Client '{client_slug}' has no wave '{wanted}'. Waves: {', '.join(w.label for w in waves)}."
    )


@dataclass(frozen=True)
class ImportedAnswers:
    """What :meth:`Store.import_answers` wrote."""

    respondents_added: int
    answers_added: int
    answers_changed: int
    answers_unchanged: int
    notes_stored: int = 0
    engagement_id: int | None = None  # the engagement it went into


@dataclass(frozen=True)
class NewEngagement:
    """An engagement to start: by :meth:`Store.start_engagement`, or inside an import's own
    transaction (:meth:`Store.import_answers`), so that a failed import leaves no engagement."""

    client_slug: str
    questionnaire: Questionnaire
    kind: str = "optimize"
    functions_in_scope: Sequence[str] = ()
    pmo_type: str | None = None
    objectives: Sequence[str] = ()


class Store:
    """A connection to one engagement store. Use :meth:`open`; close it, or use ``with``."""

    def __init__(self, engine: sa.Engine, workspace: Path, read_only: str | None = None) -> None:
        self.engine = engine
        self.workspace = workspace
        #: Why this store was opened read-only ("the workspace folder X is read-only"), or None.
        self.read_only = read_only

    @classmethod
    def open(
        cls, workspace: str | Path | None = None, url: str | None = None, *, create: bool = True
    ) -> Store:
        """Open (creating if needed) the store of a workspace, or the one at ``url``, migrated to the latest schema.

        With ``create=False`` a SQLite store that does not exist yet is an error instead
        (:class:`~pmo_assess.core.workspace.NoStore`, naming where it looked and how to make one):
        for commands that only make sense on a store someone has filled. Nothing is created.
        A SQLite store whose file or folder this user cannot write is opened read-only
        (:mod:`pmo_assess.store.readonly`): it can be read, and a write is a clear error.
        """
        folder = workspace_dir(workspace)
        chosen = database_url(folder, url)
        try:
            existing = sqlite_file(chosen)
            if not create and existing is not None and not existing.is_file():
                raise missing_store(folder, existing, workspace, url)
            if chosen.startswith("sqlite"):
                folder.mkdir(parents=True, exist_ok=True)
            engine, read_only = open_engine(chosen, existing)
        except sa.exc.OperationalError as exc:
            raise PmoAssessError(
                f"Cannot open the store at {safe_url(chosen)}: {exc.orig}"
            ) from None
        except sa.exc.DatabaseError as exc:  # "file is not a database", "disk image is malformed"
            raise PmoAssessError(
                f"{existing or safe_url(chosen)}: this store is damaged or is not a pmo-assess "
                f"store ({exc.orig}). Restore it from a backup, or move it aside and run the "
                "command again to start an empty store."
            ) from None
        except sa.exc.ArgumentError:
            raise PmoAssessError(
                f"Not a database URL: {safe_url(chosen)!r}; expected e.g. "
                "postgresql+psycopg://user@host/pmo or sqlite:///path/to/pmo-assess.sqlite."
            ) from None
        return cls(engine, folder, read_only)

    def location(self) -> str:
        """Where this store is, for messages: its workspace folder, and its URL when elsewhere."""
        folder = self.workspace.resolve()
        if sqlite_file(str(self.engine.url)) == folder / DATABASE_FILE:
            return f"workspace {folder}" + (" (read-only)" if self.read_only else "")
        return f"store {safe_url(str(self.engine.url))} (workspace folder {folder})"

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_revision(self) -> str | None:
        """The Alembic revision the store is at."""
        return current_revision(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        if self.read_only:
            raise refuse_write(self.read_only)
        with write_transaction(self.engine) as conn:  # a busy store is SaveFailed
            yield conn

    # --- clients ------------------------------------------------------------------------------

    def add_client(
        self,
        name: str,
        slug: str | None = None,
        industry: str | None = None,
        size_band: str | None = None,
        region: str | None = None,
    ) -> Client:
        """Add a client; the slug (made from the name when not given) must be new."""
        if not name.strip():
            raise PmoAssessError("A client needs a name.")
        slug = check_slug(slug) if slug else slugify(name)
        with self.transaction() as conn:
            if conn.execute(sa.select(t.clients.c.id).where(t.clients.c.slug == slug)).first():
                raise PmoAssessError(
                    f"A client with the slug '{slug}' already exists; choose another slug."
                )
            conn.execute(
                t.clients.insert().values(
                    slug=slug,
                    name=name.strip(),
                    industry=industry,
                    size_band=size_band,
                    region=region,
                    created_at=now(),
                )
            )
        return self.client(slug)

    def clients(self) -> list[Client]:
        """Every client, by slug."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.clients).order_by(t.clients.c.slug)).mappings()
            return [Client.from_row(r) for r in rows]

    def client(self, slug: str) -> Client:
        """The client with this slug; the error lists the clients there are."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(sa.select(t.clients).where(t.clients.c.slug == slug))
                .mappings()
                .first()
            )
        if row is None:
            known = ", ".join(c.slug for c in self.clients()) or "none yet"
            raise PmoAssessError(f"Unknown client '{slug}'. Clients in this workspace: {known}.")
        return Client.from_row(row)

    # --- engagements and waves ------------------------------------------------------------------

    def start_engagement(
        self,
        client_slug: str,
        questionnaire: Questionnaire,
        kind: str = "optimize",
        functions_in_scope: Sequence[str] = (),
        pmo_type: str | None = None,
        objectives: Sequence[str] = (),
    ) -> Engagement:
        """Start an engagement of a client with a questionnaire (``establish`` or ``optimize``)."""
        start = NewEngagement(
            client_slug, questionnaire, kind, functions_in_scope, pmo_type, objectives
        )
        values = self._engagement_values(start)
        with self.transaction() as conn:
            result = conn.execute(t.engagements.insert().values(**values))
            engagement_id: int = result.inserted_primary_key[0]  # type: ignore[index]
        return self.engagement_by_id(engagement_id)

    def _engagement_values(self, start: NewEngagement) -> dict[str, object]:
        if start.kind not in ENGAGEMENT_KINDS:
            raise PmoAssessError(
                f"Engagement kind must be one of {', '.join(ENGAGEMENT_KINDS)}; got {start.kind!r}."
            )
        return {
            "client_id": self.client(start.client_slug).id,
            "kind": start.kind,
            "questionnaire_id": start.questionnaire.id,
            "questionnaire_version": start.questionnaire.version,
            "questionnaire_digest": start.questionnaire.digest or None,
            "functions_in_scope": json.dumps(list(start.functions_in_scope)),
            "pmo_type": start.pmo_type,
            "objectives": json.dumps(list(start.objectives)),
            "created_at": now(),
        }

    def engagement(self, client_slug: str, questionnaire_id: str | None = None) -> Engagement:
        """The client's latest engagement (with that questionnaire, when given)."""
        found = self.find_engagement(client_slug, questionnaire_id)
        if found is None:
            which = f" with questionnaire '{questionnaire_id}'" if questionnaire_id else ""
            raise PmoAssessError(
                f"Client '{client_slug}' has no engagement{which} and no answers yet; "
                f"{import_first(client_slug)}."
            )
        return found

    def find_engagement(
        self, client_slug: str, questionnaire_id: str | None = None
    ) -> Engagement | None:
        """Like :meth:`engagement`, but None when there is none."""
        client = self.client(client_slug)
        query = sa.select(t.engagements.c.id).where(t.engagements.c.client_id == client.id)
        if questionnaire_id:
            query = query.where(t.engagements.c.questionnaire_id == questionnaire_id)
        with self.engine.connect() as conn:
            found = conn.execute(query.order_by(t.engagements.c.id.desc())).first()
        return self.engagement_by_id(found[0]) if found else None

    def engagements(self, client_slug: str) -> list[Engagement]:
        """Every engagement of the client, oldest first."""
        client = self.client(client_slug)
        query = sa.select(t.engagements.c.id).where(t.engagements.c.client_id == client.id)
        with self.engine.connect() as conn:
            ids = conn.execute(query.order_by(t.engagements.c.id)).scalars().all()
        return [self.engagement_by_id(i) for i in ids]

    def engagement_by_id(self, engagement_id: int) -> Engagement:
        """An engagement with its client's slug and its per-dimension settings."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    sa.select(t.engagements, t.clients.c.slug.label("client_slug"))
                    .join(t.clients, t.clients.c.id == t.engagements.c.client_id)
                    .where(t.engagements.c.id == engagement_id)
                )
                .mappings()
                .one()
            )
            settings = (
                conn.execute(
                    sa.select(t.engagement_dimensions).where(
                        t.engagement_dimensions.c.engagement_id == engagement_id
                    )
                )
                .mappings()
                .all()
            )
        return Engagement.from_row(row, settings)

    def set_dimension(
        self,
        engagement_id: int,
        dimension_id: str,
        target: float | None = None,
        importance: int | None = None,
    ) -> None:
        """Set a dimension's target and importance (1 to 3) for an engagement."""
        if importance is not None and importance not in (1, 2, 3):
            raise PmoAssessError(f"Importance must be 1, 2 or 3; got {importance!r}.")
        table = t.engagement_dimensions
        key = (table.c.engagement_id == engagement_id) & (table.c.dimension_id == dimension_id)
        with self.transaction() as conn:
            conn.execute(table.delete().where(key))
            conn.execute(
                table.insert().values(
                    engagement_id=engagement_id,
                    dimension_id=dimension_id,
                    target=target,
                    importance=importance,
                )
            )

    def ensure_wave(self, engagement_id: int, label: str, held_on: date | None = None) -> Wave:
        """The engagement's wave with this label, created when it does not exist yet."""
        with self.transaction() as conn:
            return ensure_wave(conn, engagement_id, label, held_on)

    def waves(self, engagement_id: int) -> list[Wave]:
        """The engagement's waves, oldest first (by date, then creation)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.waves)
                .where(t.waves.c.engagement_id == engagement_id)
                .order_by(t.waves.c.held_on, t.waves.c.id)
            ).mappings()
            return [wave_record(r) for r in rows]

    # --- respondents and answers ------------------------------------------------------------------

    def add_respondent(
        self,
        wave_id: int,
        role: str,
        code: str | None = None,
        name: str | None = None,
        email: str | None = None,
        source: str = "interview",
    ) -> Respondent:
        """Add a respondent to a wave: an anonymous code (``R01``, ``R02``, ...) unless one is given."""
        with self.transaction() as conn:
            return ensure_respondent(conn, wave_id, NewRespondent(role, code, name, email, source))

    def respondents(self, wave_id: int) -> list[Respondent]:
        """The wave's respondents, in the order they were added."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.respondents)
                .where(t.respondents.c.wave_id == wave_id)
                .order_by(t.respondents.c.id)
            ).mappings()
            return [respondent_record(r) for r in rows]

    def start_interview(self, wave_id: int, role: str, code: str | None = None) -> Respondent:
        """Add a respondent whose interview is in progress: its answers are left out of
        :meth:`load_answers` until :meth:`set_interview_complete`. No code: the next anonymous
        code nobody in the wave has; a code someone has is refused."""
        with self.transaction() as conn:
            return start_interview(conn, wave_id, role, code)

    def set_interview_complete(self, respondent_id: int, complete: bool = True) -> Respondent:
        """Mark a respondent's interview complete (its answers count from now on), or reopen it."""
        with self.transaction() as conn:
            return set_in_progress(conn, respondent_id, not complete)

    def placed_respondent(self, respondent_id: int) -> PlacedRespondent | None:
        """The respondent with its client's slug and its wave's label; None when there is none."""
        return placed_respondent(self.engine, respondent_id)

    def wave_with_client(self, wave_id: int) -> tuple[Wave, str]:
        """The wave with this id and its client's slug."""
        return wave_with_client(self.engine, wave_id)

    def record_answer(
        self,
        respondent_id: int,
        question_id: str,
        *,
        value: float | None = None,
        status: str = ANSWERED,
        option_label: str | None = None,
        note: str = "",
        evidence: Sequence[str] = (),
        confidence: str = "interview",
        by: str | None = None,
    ) -> bool:
        """Record one answer and commit it at once. Returns False when nothing changed.

        A changed answer keeps its earlier version, with who gave it and when, in the history.
        """
        record = new_answer(
            question_id, value, status, option_label, note, evidence, confidence, by
        )
        with self.transaction() as conn:
            return upsert_answer(conn, respondent_id, record) != "unchanged"

    def answers_of(self, respondent_id: int) -> dict[str, AnswerRecord]:
        """A respondent's current answers by question id."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.answers).where(t.answers.c.respondent_id == respondent_id)
            ).mappings()
            return {r["question_id"]: answer_record(r) for r in rows}

    def history(self, respondent_id: int, question_id: str) -> list[AnswerRecord]:
        """Earlier versions of an answer, oldest first (the current one is in :meth:`answers_of`)."""
        table = t.answer_history
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(table)
                .where(
                    (table.c.respondent_id == respondent_id) & (table.c.question_id == question_id)
                )
                .order_by(table.c.id)
            ).mappings()
            return [answer_record(r) for r in rows]

    def import_answers(
        self,
        engagement: int | NewEngagement,
        wave_label: str,
        respondents: Sequence[NewRespondent],
        answers: pd.DataFrame,
        by: str | None = None,
        held_on: date | None = None,
        notes: Sequence[NewNote] = (),
        role_names: Mapping[str, RoleName] | None = None,
    ) -> ImportedAnswers:
        """Write a whole import in one transaction: the wave, every respondent and answer, the
        notes on respondents and dimensions and the names of the roles it adds, or nothing.

        ``answers`` is a tidy table whose ``respondent`` column holds the respondents' codes, with
        optional ``option_label`` and ``confidence`` columns (default ``self-reported``). Answers
        already stored are updated (their earlier version kept), unchanged ones left alone; a
        respondent's notes replace its earlier notes on the same respondent or dimension
        (:mod:`pmo_assess.store.notes`). ``engagement`` is an engagement's id, or a
        :class:`NewEngagement` to start in the same transaction (a failed import leaves none).
        """
        prepared = prepare_import(respondents, answers, by)  # before the write lock: it is slow
        start = None if isinstance(engagement, int) else self._engagement_values(engagement)
        if self.read_only:
            raise refuse_write(self.read_only)
        with staged_write(self.engine, prepared) as conn:  # holds the write lock about a second
            engagement_id = engagement if isinstance(engagement, int) else 0
            if start is not None:
                inserted = conn.execute(t.engagements.insert().values(**start))
                engagement_id = inserted.inserted_primary_key[0]  # type: ignore[index]
            wave = ensure_wave(conn, engagement_id, wave_label, held_on)
            added, counts = write_import(conn, wave.id, prepared)
            stored = write_notes(conn, wave.id, notes, by)
            write_role_names(conn, engagement_id, role_names or {})
        return ImportedAnswers(
            added, counts["added"], counts["changed"], counts["unchanged"], stored, engagement_id
        )

    def load_notes(
        self,
        client_slug: str | None = None,
        wave: str | None = None,
        questionnaire_id: str | None = None,
    ) -> pd.DataFrame:
        """Notes on respondents (``dimension_id`` None) and on dimensions, as a table like
        :meth:`load_answers` (see :func:`pmo_assess.store.notes.load_notes`)."""
        return load_notes(self.engine, client_slug, wave, questionnaire_id)

    def role_names(self, engagement_id: int) -> dict[str, RoleName]:
        """The names of the roles the engagement's imports added to the vocabulary."""
        return stored_role_names(self.engine, engagement_id)

    def load_answers(
        self,
        client_slug: str | None = None,
        wave: str | None = None,
        questionnaire_id: str | None = None,
        *,
        include_unfinished: bool = False,
    ) -> pd.DataFrame:
        """Current answers as the tidy table the scoring engine takes (``client`` is the slug),
        plus ``questionnaire_id``, ``option_label``, ``evidence``, ``confidence``, ``recorded_at``
        and ``recorded_by``.

        Answers of interviews not yet marked complete are left out, so the analysis never rests
        on half an interview; ``include_unfinished=True`` keeps them."""
        a, r, w, e, c = t.answers, t.respondents, t.waves, t.engagements, t.clients
        query = sa.select(
            c.c.slug.label("client"),
            w.c.label.label("wave"),
            r.c.code.label("respondent"),
            r.c.role,
            a.c.question_id,
            a.c.value,
            a.c.status,
            a.c.note,
            e.c.questionnaire_id,
            a.c.option_label,
            a.c.evidence,
            a.c.confidence,
            a.c.recorded_at,
            a.c.recorded_by,
        )
        query = of_assessment(
            up_to_client(query, a.c.respondent_id).order_by(c.c.slug, w.c.id, r.c.id, a.c.id),
            client_slug,
            wave,
            questionnaire_id,
        )
        if not include_unfinished:
            query = finished_only(query)
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all())
        if frame.empty:
            return pd.DataFrame(columns=[c.name for c in query.selected_columns])
        frame["value"] = frame["value"].astype(float)
        frame["evidence"] = frame["evidence"].map(lambda text: tuple(json.loads(text)))
        return frame
