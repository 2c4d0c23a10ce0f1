"""The engagement store: what consultants rely on to never lose an answer."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from pmo_assess import load_questionnaire, score_assessment
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.store.engine import LATEST_REVISION
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import Store

DATA = Path(__file__).parent / "data" / "store"
MATURITY = load_questionnaire("pmo-maturity")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "ws") as opened:
        yield opened


def interview(store: Store, slug: str = "acme", wave: str = "2026-Q3"):
    """A client, an engagement, a wave and one respondent, ready for answers."""
    store.add_client(f"{slug.title()} (fictional)", slug=slug, industry="Energy")
    engagement = store.start_engagement(slug, MATURITY)
    wave_record = store.ensure_wave(engagement.id, wave)
    return engagement, wave_record, store.add_respondent(wave_record.id, "executive")


def test_a_new_workspace_gets_an_sqlite_store_at_the_latest_schema(tmp_path):
    with Store.open(tmp_path / "new") as store:
        assert store.schema_revision() == LATEST_REVISION
    assert (tmp_path / "new" / "pmo-assess.sqlite").is_file()


def test_workspace_and_database_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_ASSESS_WORKSPACE", str(tmp_path / "from-env"))
    with Store.open() as store:
        store.add_client("Env Client (fictional)")
    assert (tmp_path / "from-env" / "pmo-assess.sqlite").is_file()
    monkeypatch.setenv("PMO_ASSESS_DB", f"sqlite:///{tmp_path / 'other.sqlite'}")
    with Store.open(tmp_path / "ignored") as store:
        assert store.clients() == []
    assert (tmp_path / "other.sqlite").is_file()


def test_clients_are_added_listed_and_looked_up(store):
    store.add_client("Zeta Works (fictional)", industry="Retail", size_band="Small", region="DACH")
    store.add_client("Alpha Grid (fictional)", slug="alpha")
    assert [c.slug for c in store.clients()] == ["alpha", "zeta-works-fictional"]
    assert store.client("zeta-works-fictional").region == "DACH"
    with pytest.raises(
        PmoAssessError,
        match=r"Unknown client 'beta'\. Clients in this workspace: alpha, zeta-works-fictional\.",
    ):
        store.client("beta")
    with pytest.raises(PmoAssessError, match=r"slug 'alpha' already exists"):
        store.add_client("Another Alpha", slug="alpha")


@pytest.mark.parametrize("slug", ["../etc", "Acme", "a/b", "-acme", "a" * 65, ""])
def test_slugs_that_could_escape_the_workspace_are_refused(store, slug):
    with pytest.raises(PmoAssessError, match=r"Invalid slug|needs a name|Cannot make a slug"):
        store.add_client("Name", slug=slug or None) if slug else store.add_client("   ")


def test_respondents_get_anonymous_codes(store):
    _, wave, first = interview(store)
    second = store.add_respondent(wave.id, "pmo")
    assert (first.code, second.code) == ("R01", "R02")
    assert first.name is None and first.email is None


def test_an_answer_is_committed_at_once_and_readable_by_another_connection(store):
    _, _, respondent = interview(store)
    store.record_answer(respondent.id, "governance.stage-gates", value=3.0, option_label="Defined")
    raw = sqlite3.connect(store.workspace / "pmo-assess.sqlite")
    assert raw.execute("SELECT question_id, value FROM answers").fetchall() == [
        ("governance.stage-gates", 3.0)
    ]


def test_a_changed_answer_keeps_its_history(store):
    _, _, respondent = interview(store)
    assert store.record_answer(respondent.id, "governance.stage-gates", value=2.0, by="ana")
    assert not store.record_answer(respondent.id, "governance.stage-gates", value=2.0, by="ana")
    assert store.record_answer(
        respondent.id, "governance.stage-gates", value=4.0, note="saw the log", by="ben"
    )
    current = store.answers_of(respondent.id)["governance.stage-gates"]
    earlier = store.history(respondent.id, "governance.stage-gates")
    assert (current.value, current.recorded_by, current.note) == (4.0, "ben", "saw the log")
    assert [(h.value, h.recorded_by) for h in earlier] == [(2.0, "ana")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": None}, r"a value goes with status 'answered' only"),
        ({"value": 3.0, "status": "na"}, r"a value goes with status 'answered' only"),
        (
            {"value": 3.0, "status": "maybe"},
            r"status must be one of answered, na, dont_know; got 'maybe'",
        ),
        (
            {"value": 3.0, "confidence": "sure"},
            r"Confidence must be one of self-reported, interview, evidence-verified",
        ),
    ],
)
def test_bad_answers_are_refused(store, kwargs, message):
    _, _, respondent = interview(store)
    with pytest.raises(PmoAssessError, match=message):
        store.record_answer(respondent.id, "governance.stage-gates", **kwargs)


def test_loaded_answers_feed_the_scoring_engine(store):
    _, _, respondent = interview(store)
    store.record_answer(respondent.id, "governance.stage-gates", value=2.0)
    store.record_answer(respondent.id, "governance.escalation", value=4.0)
    store.record_answer(respondent.id, "governance.decision-rights", status="na")
    answers = store.load_answers("acme")
    assert list(answers[["client", "wave", "respondent", "role"]].iloc[0]) == [
        "acme",
        "2026-Q3",
        "R01",
        "executive",
    ]
    result = score_assessment(MATURITY, answers)
    governance = next(d for d in result.dimensions if d.id == "governance")
    # stage-gates has weight 2 in pmo_maturity.yaml: (2*2 + 4*1) / 3 = 2.667
    assert governance.score == pytest.approx(8 / 3)


def tidy(rows):
    columns = ["respondent", "question_id", "value", "status", "note"]
    return pd.DataFrame(rows, columns=columns)


def test_an_import_is_all_or_nothing(store):
    engagement, _, _ = interview(store)
    people = [
        NewRespondent("pmo", "S1", source="survey"),
        NewRespondent("pmo", "S2", source="survey"),
    ]
    good = tidy(
        [
            ("S1", "governance.stage-gates", 3.0, "answered", ""),
            ("S2", "governance.stage-gates", 2.0, "answered", ""),
        ]
    )
    bad = tidy(
        [
            ("S1", "governance.escalation", 3.0, "answered", ""),
            ("S2", "governance.escalation", 3.0, "sometimes", ""),
        ]
    )
    with pytest.raises(PmoAssessError, match="status must be one of"):
        store.import_answers(engagement.id, "2026-Q4", people, bad)
    assert [w.label for w in store.waves(engagement.id)] == ["2026-Q3"]  # no wave, no respondents
    done = store.import_answers(engagement.id, "2026-Q4", people, good)
    assert (done.respondents_added, done.answers_added) == (2, 2)
    again = store.import_answers(engagement.id, "2026-Q4", people, good)
    assert (again.respondents_added, again.answers_added, again.answers_unchanged) == (0, 0, 2)


WRITER = textwrap.dedent(
    """
    import sys
    from pmo_assess.store.repository import Store
    workspace, respondent_id, count, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with Store.open(workspace) as store:
        for i in range(count):
            store.record_answer(respondent_id, f"{tag}.q{i}", value=float(i % 5 + 1))
            print(i, flush=True)
    """
)


def test_two_processes_writing_at_once_lose_nothing(store):
    _, wave, first = interview(store)
    second = store.add_respondent(wave.id, "pmo")
    count = 150
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store.workspace), str(r.id), str(count), tag],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for r, tag in ((first, "a"), (second, "b"))
    ]
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    assert len(store.answers_of(first.id)) == count
    assert len(store.answers_of(second.id)) == count


def test_a_killed_process_keeps_every_answer_it_committed(store):
    _, _, respondent = interview(store)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store.workspace), str(respondent.id), "100000", "k"],
        stdout=subprocess.PIPE,
        text=True,
    )
    confirmed = -1
    assert writer.stdout is not None
    for line in writer.stdout:
        confirmed = int(line)
        if confirmed >= 40:
            break
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    saved = store.answers_of(respondent.id)
    assert all(f"k.q{i}" in saved for i in range(confirmed + 1))
    raw = sqlite3.connect(store.workspace / "pmo-assess.sqlite")
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_first_version_store_is_migrated_when_opened(tmp_path):
    workspace = tmp_path / "old"
    workspace.mkdir()
    shutil.copy(DATA / "store_v1.sqlite", workspace / "pmo-assess.sqlite")
    with Store.open(workspace) as store:
        assert store.schema_revision() == LATEST_REVISION
        answers = store.load_answers("old-client")
        assert list(answers["question_id"]) == ["governance.stage-gates", "reporting.cadence"]
        assert list(answers["status"]) == ["answered", "dont_know"]
        assert answers["note"].iloc[0] == "Gates exist on paper only."
        engagement = store.engagement("old-client")
        assert engagement.functions_in_scope == ("governance",)
        with store.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
    assert {"roadmap_actions", "project_records"} <= tables


def test_a_bad_database_url_is_a_clear_error(tmp_path):
    with pytest.raises(PmoAssessError, match=r"Not a database URL: 'nonsense'"):
        Store.open(tmp_path, url="nonsense")


@pytest.fixture
def postgres_url():
    admin_url = os.environ.get("PMO_ASSESS_TEST_PG")
    if not admin_url:
        pytest.skip("set PMO_ASSESS_TEST_PG to a PostgreSQL URL to run the shared-store test")
    name = f"pmo_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


def test_a_postgresql_store_works_like_sqlite(tmp_path, postgres_url):
    with Store.open(tmp_path, url=postgres_url) as store:
        assert store.schema_revision() == LATEST_REVISION
        _, wave, respondent = interview(store)
        store.record_answer(respondent.id, "governance.stage-gates", value=2.0)
        store.record_answer(respondent.id, "governance.stage-gates", value=3.0)
        assert [h.value for h in store.history(respondent.id, "governance.stage-gates")] == [2.0]
        second = store.add_respondent(wave.id, "pmo")
        writers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    WRITER.replace(
                        "Store.open(workspace)", f"Store.open(workspace, url={postgres_url!r})"
                    ),
                    str(tmp_path),
                    str(r.id),
                    "60",
                    tag,
                ]
            )
            for r, tag in ((respondent, "a"), (second, "b"))
        ]
        assert [w.wait(timeout=120) for w in writers] == [0, 0]
        assert len(store.answers_of(second.id)) == 60
        assert len(store.load_answers("acme")) == 121
    assert not (tmp_path / "pmo-assess.sqlite").exists()


def test_opening_the_same_new_store_from_two_processes_at_once(tmp_path):
    opener = (
        "import sys; from pmo_assess.store.repository import Store; Store.open(sys.argv[1]).close()"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", opener, str(tmp_path / "race")],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outcomes = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    with Store.open(tmp_path / "race") as store:
        assert store.schema_revision() == LATEST_REVISION


def test_an_import_naming_an_unlisted_respondent_is_refused_whole(store):
    engagement, _, _ = interview(store)
    people = [NewRespondent("pmo", "S1", source="survey")]
    answers = tidy(
        [
            ("S1", "governance.stage-gates", 3.0, "answered", float("nan")),
            ("S9", "governance.stage-gates", 2.0, "answered", ""),
        ]
    )
    with pytest.raises(
        PmoAssessError,
        match=r"respondent\(s\) S9 that the import does not list; respondents listed: S1",
    ):
        store.import_answers(engagement.id, "2026-Q4", people, answers)
    assert [w.label for w in store.waves(engagement.id)] == ["2026-Q3"]
    # a blank (NaN) note, as pandas leaves it, is stored as empty text
    store.import_answers(engagement.id, "2026-Q4", people, answers.iloc[:1])
    assert store.load_answers("acme", "2026-Q4")["note"].tolist() == [""]


def test_the_latest_revision_constant_matches_the_migrations():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from pmo_assess.store.engine import LATEST_REVISION

    config = Config()
    config.set_main_option("script_location", "pmo_assess.store:migrations")
    assert ScriptDirectory.from_config(config).get_current_head() == LATEST_REVISION
