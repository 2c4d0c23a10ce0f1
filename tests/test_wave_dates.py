"""A wave's date from an import (issue 15): the last completion date of the imported responses,
or the date given with ``--date``, kept across imports. Expected dates are read off the fixtures
in tests/data/surveys by hand (see the comments)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.importers.completion import read_times
from pmo_assess.importers.examples import example_path
from pmo_assess.store.intake import import_survey_file, wave_dates_file
from pmo_assess.store.repository import Store

DATA = Path(__file__).parent / "data" / "surveys"
SURVEY = str(DATA / "survey.yaml")
SUGGESTION = "give the wave's date with --date YYYY-MM-DD"


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "ws") as opened:
        opened.add_client("Survey Client (fictional)", slug="acme")
        yield opened


def run(store: Store, path: Path, wave: str = "w1", **options: object) -> str:
    options = {"questionnaire": SURVEY, "role": "pmo", **options}
    return import_survey_file(store, path, "acme", wave, **options)  # type: ignore[arg-type]


def held_on(store: Store, wave: str = "w1") -> dt.date | None:
    engagement = store.find_engagement("acme")
    waves = {w.label: w.held_on for w in store.waves(engagement.id)} if engagement else {}
    return waves.get(wave)


def ms_forms(folder: Path, name: str, *times: str) -> Path:
    """A Microsoft Forms export answering one question, one response per completion time."""
    lines = ["ID,Start time,Completion time,Email,Name,How do projects pass stage gates?"]
    lines += [f"{name}-{i},{t},{t},anonymous,,Defined" for i, t in enumerate(times, start=1)]
    path = folder / f"{name}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- reading one time ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "month_first", "day_first"),
    [
        ("2026-03-14 10:22:31", "2026-03-14 10:22:31", "2026-03-14 10:22:31"),  # ISO: one reading
        ("2026-03-14T10:22:31+01:00", "2026-03-14 10:22:31", "2026-03-14 10:22:31"),  # zone dropped
        ("2022/06/22 2:30:02 PM AST", "2022-06-22 14:30:02", "2022-06-22 14:30:02"),  # 2 PM = 14
        ("3/14/2026 10:22:31 AM", "2026-03-14 10:22:31", None),  # no month 14
        ("3/14/2026 12:05:00 AM", "2026-03-14 00:05:00", None),  # 12 AM is just after midnight
        ("14/03/2026 10:22:31", None, "2026-03-14 10:22:31"),
        ("3/5/24 9:09:45", "2024-03-05 09:09:45", "2024-05-03 09:09:45"),  # 24 is 2024
        ("5.3.2024 09:09", None, "2024-03-05 09:09:00"),  # dots: day first
        ("3/3/2024", "2024-03-03 00:00:00", "2024-03-03 00:00:00"),
        ("2/30/2026 10:00", None, None),  # no 30 February, no month 30
        ("3/14/2026 13:00 PM", None, None),
        ("3/14/2026 24:00", None, None),
        ("yesterday", None, None),
    ],
)
def test_read_times(text, month_first, day_first):
    expected = tuple(dt.datetime.fromisoformat(t) if t else None for t in (month_first, day_first))
    assert read_times(text) == expected


# --- each platform dates the wave ----------------------------------------------------------------


def test_google_sheet_is_dated_by_its_last_timestamp(store):
    # Timestamps 6/22/2022, 6/22/2022, 6/23/2022: "22" settles month first; the last is 23 June.
    report = run(store, DATA / "google_sheet.csv", mapping_path=DATA / "mapping.yaml", role=None)
    assert held_on(store) == dt.date(2022, 6, 23)
    assert report.splitlines()[-1] == (
        "Wave w1 dated 23 June 2022, the last completion date of 3 responses."
    )
    assert "Completion times: 3 in column A 'Timestamp', the last on 23 June 2022" in report


@pytest.mark.parametrize(
    ("path", "options", "expected"),
    [
        # 2022/06/22 11:07:29 AM AST and 2022/06/22 2:30:02 PM AST
        (DATA / "google_download.csv", {}, dt.date(2022, 6, 22)),
        # End Date 06/22/2022 10:09:13 AM and 06/22/2022 11:41:27 AM
        (
            DATA / "surveymonkey.csv",
            {"mapping_path": DATA / "mapping_surveymonkey.yaml"},
            dt.date(2022, 6, 22),
        ),
        # Completion time 2024-03-05 09:09:45 and 2024-03-05 11:04:59
        (DATA / "ms_forms_modified.csv", {}, dt.date(2024, 3, 5)),
        # EndDate of rows 6 and 8: 2024-05-02 and 2024-05-04 (rows 4, 5 are a preview and a test)
        (
            DATA / "qualtrics.csv",
            {"mapping_path": DATA / "mapping_qualtrics.yaml"},
            dt.date(2024, 5, 4),
        ),
        # with row 7, unfinished: its EndDate 2024-05-03 counts, not its RecordedDate 2024-05-10
        (
            DATA / "qualtrics_utf16.tsv",
            {"mapping_path": DATA / "mapping_qualtrics.yaml", "include_unfinished": True},
            dt.date(2024, 5, 4),
        ),
    ],
    ids=["google-download", "surveymonkey", "ms-forms", "qualtrics", "qualtrics-unfinished"],
)
def test_each_platform_dates_the_wave_by_its_last_completion(store, path, options, expected):
    run(store, path, **options)
    assert held_on(store) == expected


def test_the_example_export_shipped_with_the_package(store):
    # Timestamps 6/22/2022 11:07:29 and 6/22/2022 14:30:02, answering pmo-maturity.
    report = run(store, example_path("google_forms.csv"), questionnaire=None)
    assert held_on(store) == dt.date(2022, 6, 22)
    assert "Wave w1 dated 22 June 2022, the last completion date of 2 responses." in report


def test_ms_forms_workbook_dates(store, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Id", "Start time", "Completion time", "Email", "Name",
                            "How do projects pass stage gates?"])  # fmt: skip
    for code, day in (("1", 7), ("2", 5)):
        when = dt.datetime(2024, 3, day, 9, 30)
        workbook.active.append([code, when, when, "anonymous", None, "Defined"])
    workbook.save(tmp_path / "forms.xlsx")
    run(store, tmp_path / "forms.xlsx")
    assert held_on(store) == dt.date(2024, 3, 7)  # typed cells: 7 March is the later


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        (("3/9/2026 4:05:00 PM", "3/14/2026 10:22:31 AM"), dt.date(2026, 3, 14)),  # US
        (("02/03/2026 09:00:00", "14/03/2026 10:22:31"), dt.date(2026, 3, 14)),  # day first
        (
            ("02/03/2026 09:00:00", "01/04/2026 10:00:00", "14/03/2026 10:22:31"),
            dt.date(2026, 4, 1),
        ),
    ],
)
def test_one_value_settles_day_or_month_first_for_the_whole_column(
    store, tmp_path, times, expected
):
    run(store, ms_forms(tmp_path, "export", *times))
    assert held_on(store) == expected


def test_a_long_answers_file_leaves_the_wave_undated(store):
    report = run(store, DATA / "long.csv", wave="2026-Q1")
    assert held_on(store, "2026-Q1") is None
    assert report.splitlines()[-1] == (
        "Wave 2026-Q1 has no date: this file holds no completion times; give the wave's date "
        "with --date YYYY-MM-DD."
    )


# --- refusals ------------------------------------------------------------------------------------


def test_ambiguous_day_and_month_are_refused_and_nothing_is_written(store):
    # ms_forms.csv: 3/5/24 9:09:45 and 3/5/24 10:22:31, 5 March or 3 May; nothing settles it.
    with pytest.raises(PmoAssessError) as caught:
        run(store, DATA / "ms_forms.csv")
    assert str(caught.value) == (
        f"1 problem in {DATA / 'ms_forms.csv'} (nothing was imported):\n"
        f"  1. {DATA / 'ms_forms.csv'} column C 'Completion time': the completion dates can be "
        "read day first or month first ('3/5/24 9:09:45' at row 2 is 5 March 2024 or 3 May "
        f"2024) and no value settles it; {SUGGESTION}"
    )
    assert store.load_answers().empty and store.find_engagement("acme") is None


def test_a_column_mixing_day_and_month_first_is_refused(store, tmp_path):
    path = ms_forms(tmp_path, "mixed", "3/14/2026 10:00", "14/03/2026 11:00")
    with pytest.raises(
        PmoAssessError,
        match=r"column C 'Completion time': the completion dates mix month first \('3/14/2026 10:00' at row 2\) and day first \('14/03/2026 11:00' at row 3\)",
    ):
        run(store, path)


def test_an_unreadable_time_names_its_row_and_column(store, tmp_path):
    path = ms_forms(tmp_path, "bad", "2026-03-14 10:22:31", "yesterday", "2026-02-30 09:00")
    with pytest.raises(PmoAssessError) as caught:
        run(store, path)
    message = str(caught.value)
    assert message.startswith(f"2 problems in {path} (nothing was imported):")
    assert (
        f"  1. {path} row 3, column C 'Completion time': completion time 'yesterday' is not a "
        "date and time (e.g. 2026-03-14 10:22:31, 3/14/2026 10:22:31 AM or 14/03/2026 "
        f"10:22:31); correct the cell, or {SUGGESTION}"
    ) in message
    assert (
        f"  2. {path} row 4, column C 'Completion time': completion time '2026-02-30 09:00'"
        in message
    )
    assert store.load_answers().empty


def test_a_skipped_row_with_a_bad_time_does_not_stop_the_import(store, tmp_path):
    path = ms_forms(tmp_path, "skip", "2026-03-14 10:22:31", "soon")
    path.write_text(path.read_text().replace("soon,anonymous,,Defined", "soon,anonymous,,"))
    run(store, path)  # row 3 has no answer, so it is skipped, and its time does not matter
    assert held_on(store) == dt.date(2026, 3, 14)


# --- --date, and a second import -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["ms_forms.csv", "ms_forms_modified.csv"])
def test_a_given_date_wins_over_the_completion_times(store, name):
    report = run(store, DATA / name, held_on=dt.date(2024, 3, 31))
    assert held_on(store) == dt.date(2024, 3, 31)
    assert report.splitlines()[-1] == "Wave w1 dated 31 March 2024, as given with --date."


def test_a_given_date_also_excuses_unreadable_times(store, tmp_path):
    run(store, ms_forms(tmp_path, "bad", "yesterday"), held_on=dt.date(2026, 3, 20))
    assert held_on(store) == dt.date(2026, 3, 20)


def test_a_second_import_keeps_the_later_date_and_says_when_it_changes(store, tmp_path):
    run(store, ms_forms(tmp_path, "a", "2026-03-10 09:00", "2026-03-12 09:00"))
    assert held_on(store) == dt.date(2026, 3, 12)
    earlier = run(store, ms_forms(tmp_path, "b", "2026-03-11 17:00"))
    assert held_on(store) == dt.date(2026, 3, 12)
    assert earlier.splitlines()[-1] == (
        "Wave w1 keeps its date, 12 March 2026; the last completion date of 1 response is "
        "11 March 2026."
    )
    later = run(store, ms_forms(tmp_path, "c", "2026-03-13 08:00", "2026-03-16 18:30"))
    assert held_on(store) == dt.date(2026, 3, 16)
    assert later.splitlines()[-1] == (
        "Wave w1's date changed from 12 March 2026 to 16 March 2026, the last completion date "
        "of 2 responses."
    )
    assert len(store.respondents(store.waves(store.engagement("acme").id)[0].id)) == 5


def test_a_date_given_with_date_stays_until_date_is_given_again(store, tmp_path):
    run(store, ms_forms(tmp_path, "a", "2026-03-10 09:00"), held_on=dt.date(2026, 3, 1))
    assert json.loads(wave_dates_file(store, "acme", "survey-test").read_text()) == {
        "w1": "2026-03-01"
    }
    kept = run(store, ms_forms(tmp_path, "b", "2026-03-16 18:30"))
    assert held_on(store) == dt.date(2026, 3, 1)
    assert kept.splitlines()[-1] == (
        "Wave w1 keeps its date, 1 March 2026, given with --date; the last completion date of "
        "1 response is 16 March 2026, pass --date to change it."
    )
    moved = run(store, ms_forms(tmp_path, "c", "2026-03-02 08:00"), held_on=dt.date(2026, 3, 9))
    assert held_on(store) == dt.date(2026, 3, 9)
    assert moved.splitlines()[-1] == (
        "Wave w1's date changed from 1 March 2026 to 9 March 2026, as given with --date."
    )


def test_a_damaged_list_of_given_dates_says_how_to_recover(store, tmp_path):
    run(store, ms_forms(tmp_path, "a", "2026-03-10 09:00"), held_on=dt.date(2026, 3, 1))
    wave_dates_file(store, "acme", "survey-test").write_text("{not json", encoding="utf-8")
    with pytest.raises(PmoAssessError, match="is not the JSON list of wave dates this tool writes"):
        run(store, ms_forms(tmp_path, "b", "2026-03-11 09:00"))


def test_a_dry_run_shows_the_date_and_writes_nothing(store):
    report = run(store, DATA / "google_download.csv", dry_run=True)
    assert (
        "If imported: wave w1 dated 22 June 2022, the last completion date of 2 responses."
        in report
    )
    assert held_on(store) is None and not wave_dates_file(store, "acme", "survey-test").exists()
    with pytest.raises(PmoAssessError) as caught:  # a dry run fails when the import would
        run(store, DATA / "ms_forms.csv", dry_run=True)
    refused = str(caught.value)
    assert "Completion times: not read, 1 problem" in refused
    assert "If imported: wave w1 cannot be dated from the completion times" in refused


# --- the command line ----------------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pmo_assess", *args], capture_output=True, text=True, check=False
    )


def test_the_import_command_takes_and_checks_date(tmp_path):
    workspace = str(tmp_path)
    done = cli("client", "add", "Acme (fictional)", "--slug", "acme", "--workspace", workspace)
    assert done.returncode == 0, done.stderr
    base = ["import", str(DATA / "ms_forms.csv"), "--client", "acme", "--wave", "2024-Q1",
            "--questionnaire", SURVEY, "--role", "pmo", "--workspace", workspace]  # fmt: skip
    refused = cli(*base)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "column C 'Completion time'" in refused.stderr and "--date YYYY-MM-DD" in refused.stderr
    for bad in ("14/03/2024", "2024-02-30", "20240314"):
        usage = cli(*base, "--date", bad)
        assert usage.returncode == 2 and "Traceback" not in usage.stderr
        assert (
            f"argument --date: expected a real date written YYYY-MM-DD, e.g. 2026-03-14; got '{bad}'"
            in usage.stderr
        )
    done = cli(*base, "--date", "2024-03-05")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "Wave 2024-Q1 dated 5 March 2024, as given with --date."
    with Store.open(workspace) as store:
        assert store.waves(store.engagement("acme").id)[0].held_on == dt.date(2024, 3, 5)
