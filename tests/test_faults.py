"""Faults a user meets as a message, not a traceback: damaged or newer stores, a full disk, a file
where a folder belongs, leftovers of a killed batch, half-done imports and clashing wave labels."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from pmo_assess import PmoAssessError, ValidationError, load_questionnaire
from pmo_assess.batch.leftovers import remove_leftovers
from pmo_assess.cli.main import main
from pmo_assess.core import atomic
from pmo_assess.core.atomic import atomic_path, write_text_atomic
from pmo_assess.core.workspace import DATABASE_FILE
from pmo_assess.report.branding import load_branding
from pmo_assess.report.render import report_folder
from pmo_assess.store import repository
from pmo_assess.store.intake import import_survey_file
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import NewEngagement, Store

SURVEYS = Path(__file__).parent / "data" / "surveys"
SURVEY = load_questionnaire(SURVEYS / "survey.yaml")
MATURITY = load_questionnaire("pmo-maturity")


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "ws") as opened:
        opened.add_client("Base Co (fictional)", slug="base-co")
        yield opened


def one_answer() -> pd.DataFrame:
    question = next(iter(MATURITY.questions())).id
    return pd.DataFrame(
        {"respondent": ["R01"], "question_id": [question], "value": [3.0], "status": ["answered"]}
    )


# --- 2. a damaged store, a newer store, a full disk, --out, branding ------------------------------


def test_a_damaged_store_is_named_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / DATABASE_FILE).write_bytes(b"this is no database" * 300)
    with pytest.raises(PmoAssessError, match=r"pmo-assess\.sqlite: this store is damaged"):
        Store.open(tmp_path)


def test_a_store_of_a_newer_version_asks_for_an_upgrade(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    with sqlite3.connect(tmp_path / DATABASE_FILE) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(
        PmoAssessError, match=r"made by a newer pmo-assess \(revision 0099.*upgrade pmo-assess"
    ):
        Store.open(tmp_path)


def test_a_full_disk_replaces_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_text("the earlier report", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full)
    with pytest.raises(PmoAssessError, match=r"Disk full writing .*report\.html; nothing was"):
        write_text_atomic(target, "the new report")
    assert target.read_text(encoding="utf-8") == "the earlier report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_full_disk_during_an_import_writes_nothing(store: Store) -> None:
    engagement = store.start_engagement("base-co", MATURITY)
    store.engine.dispose()

    @sa.event.listens_for(store.engine, "connect")
    def _tiny(dbapi_connection: object, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

    many = one_answer().assign(note="x" * 200_000)
    with pytest.raises(PmoAssessError, match="full"):
        store.import_answers(engagement.id, "W1", [NewRespondent("pmo", "R01")], many)
    assert store.waves(engagement.id) == []


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["report", "--client", "base-co", "--out", "{file}"], "is a file, but reports go into"),
        (["batch", "--out", "{file}"], "is a file, but reports go into"),
        (["results", "--client", "base-co", "--out", "{folder}"], "is a folder, but this command"),
        (["benchmark", "build", "--out", "{folder}"], "is a folder, but this command"),
    ],
)
def test_out_of_the_wrong_kind_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], expected: str
) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    paths = {"file": str(tmp_path / "a-file"), "folder": str(tmp_path)}
    argv = [part.format(**paths) for part in command]
    assert main([*argv, "--workspace", str(tmp_path / "ws")]) == 1
    error = capsys.readouterr().err
    assert expected in error and "Traceback" not in error


def test_an_unknown_branding_key_is_named(tmp_path: Path) -> None:
    path = tmp_path / "branding.json"
    path.write_text('{"firm_name": "Northlight", "colour": "#112233"}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"unknown key 'colour'; allowed keys: firm_name"):
        load_branding(path)


# --- 3. leftovers of a killed batch ---------------------------------------------------------------


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_temporary_files_carry_the_writers_process_id(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "report.pdf") as temporary:
        assert temporary.name.startswith(f".report.pdf.pid{os.getpid()}.")
        temporary.write_text("pdf", encoding="utf-8")


def test_the_next_batch_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    out, temp = tmp_path / "reports", tmp_path / "tmp"
    folder = out / "base-co" / "W1"
    folder.mkdir(parents=True)
    temp.mkdir()
    dead, live = dead_pid(), os.getpid()
    left = [
        folder / f".report.pdf.pid{dead}.abc.tmp",
        folder / f".work-pid{dead}-abc",
        folder / ".report.html.old_name.tmp",  # from a version without process ids
        temp / f"pmo-b-pid{dead}-abc",
    ]
    kept = [folder / f".report.pdf.pid{live}.def.tmp", folder / "report.pdf"]
    for path in [*left, *kept]:
        path.mkdir() if "work" in path.name or "pmo-b" in path.name else path.touch()
        os.utime(path, (time.time() - 60, time.time() - 60))
    newer = folder / f".report.html.pid{dead}.new.tmp"  # written after the new batch started
    started = time.time() - 30
    newer.touch()
    removed = remove_leftovers(out, temp, started)
    assert sorted(removed) == sorted(left)
    assert not any(p.exists() for p in left)
    assert all(p.exists() for p in [*kept, newer])


# --- 4. an import's engagement is written in the import's transaction -----------------------------


def test_a_failed_import_leaves_no_engagement(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(*_: object) -> None:
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(repository, "write_import", killed)
    with pytest.raises(RuntimeError, match="killed half-way"):
        import_survey_file(
            store,
            SURVEYS / "long.csv",
            "base-co",
            "W1",
            questionnaire=str(SURVEYS / "survey.yaml"),
            relabel=True,
        )
    assert store.find_engagement("base-co") is None


def test_an_import_can_start_its_engagement(store: Store) -> None:
    done = store.import_answers(
        NewEngagement("base-co", MATURITY), "W1", [NewRespondent("pmo", "R01")], one_answer()
    )
    engagement = store.engagement("base-co")
    assert done.engagement_id == engagement.id and engagement.questionnaire_id == "pmo-maturity"
    assert [w.label for w in store.waves(engagement.id)] == ["W1"]


# --- 5. wave labels that share a report folder ----------------------------------------------------


def test_waves_sharing_a_report_folder_are_refused_naming_both(store: Store) -> None:
    engagement = store.start_engagement("base-co", MATURITY)
    store.ensure_wave(engagement.id, "2026/Q3")
    with pytest.raises(PmoAssessError, match=r"Wave '2026-q3' would share .* wave '2026/Q3'"):
        store.ensure_wave(engagement.id, "2026-q3")
    with pytest.raises(PmoAssessError, match=r"Wave '2026-Q3' would share"):
        store.ensure_wave(engagement.id, "2026-Q3")  # some disks ignore case
    store.ensure_wave(engagement.id, "2026/Q3")  # the same wave again is fine
    assert [w.label for w in store.waves(engagement.id)] == ["2026/Q3"]


@pytest.mark.parametrize("label", ["..", "/", "   "])
def test_a_wave_that_cannot_name_a_folder_is_refused(store: Store, label: str) -> None:
    engagement = store.start_engagement("base-co", MATURITY)
    with pytest.raises(PmoAssessError, match=r"cannot name a report folder|needs a label"):
        store.ensure_wave(engagement.id, label)
    assert store.waves(engagement.id) == []


def test_report_folder_and_wave_check_agree(tmp_path: Path) -> None:
    assert report_folder(tmp_path, "base-co", "2026/Q3") == (tmp_path / "base-co" / "2026-q3")
