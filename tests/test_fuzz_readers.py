"""Fuzz the readers of user files: whatever bytes a file holds, a reader returns a result or
raises :class:`PmoAssessError` (a problem the user can fix), never another exception, and it
does so within a time and memory budget.

Inputs are random bytes and near-valid files: the fixtures in ``tests/data/`` with bytes
inserted, deleted or replaced, line endings changed, lines repeated, and tokens that have
broken readers before (CR-only line ends, NUL, YAML aliases, quotes, byte-order marks).
"""

from __future__ import annotations

import io
import itertools
import os
import resource
import signal
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.importers import load_mapping, read_survey
from pmo_assess.model.loading import load_questionnaire, validate_questionnaire_file
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.scoring.answers import read_answers_file

DATA = Path(__file__).parent / "data"
SECONDS = 2.0  # of CPU per read (not wall time: the test may share a busy machine); a real
# file of this size reads in milliseconds
MEGABYTES = 200  # growth of the process's peak memory during one read
FUZZ = settings(
    max_examples=int(os.environ.get("PMO_FUZZ_EXAMPLES", 40)),  # more for a longer hunt
    derandomize=True,
    deadline=None,  # the budget below is enforced by a timer, which also stops a runaway read
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

TOKENS = [
    *(b"\r", b"\n", b"\r\n", b"\n\r", b'"', b"'", b",", b";", b"\t", b" ", b"#", b"=", b"\x00"),
    *(b"\x1b", b"\xff", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"\xd0\xcf\x11"),
    *(b"&a ", b"*a", b"[", b"]", b"{", b"}", b": ", b"- ", b"? ", b"!!int ", b"!foo ", b"<<: "),
    *(b"2025-13-45", b"1e999", b"-0", b"N/A", b"Don't know", b"answer", b"role", b"client"),
]
_counter = itertools.count()


def fixture_bytes(*names: str) -> list[bytes]:
    return [(DATA / name).read_bytes() for name in names]


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    """One fixture with a few small edits."""
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        end = draw(st.integers(at, min(len(data), at + 40)))
        edit = draw(st.sampled_from(["insert", "delete", "replace", "endings", "repeat"]))
        if edit == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=8))
        elif edit == "delete":
            del data[at:end]
        elif edit == "replace":
            data[at:end] = draw(st.binary(max_size=end - at + 2))
        elif edit == "endings":
            ending = draw(st.sampled_from([b"\r", b"\r\n", b"\n\r", b"\n\n"]))
            data[at:end] = data[at:end].replace(b"\n", ending)
        else:
            data[at:at] = data[at:end] * draw(st.integers(1, 50))
    return bytes(data)


def any_bytes(originals: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.binary(max_size=3000) | mutated(originals)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def survey() -> Questionnaire:
    return load_questionnaire(DATA / "surveys" / "survey.yaml")


@pytest.fixture(scope="module")
def tiny() -> Questionnaire:
    return load_questionnaire(DATA / "answers" / "tiny.yaml")


@pytest.fixture(scope="module", autouse=True)
def warm(survey: Questionnaire) -> None:
    """Read a valid file of each kind once, untimed: the first read imports and compiles what
    every later one reuses (openpyxl, the questionnaire schema and its format checkers)."""
    validate_questionnaire_file(DATA / "questionnaires" / "valid_minimal.yaml")
    read_survey(DATA / "surveys" / "google_sheet.csv", survey, default_role="pmo")
    load_mapping(DATA / "surveys" / "mapping.yaml", survey)


class Overtime(Exception):
    """A read took longer than the budget (not a PmoAssessError, so the example fails)."""


def _overtime(signum: int, frame: Any) -> None:
    raise Overtime(f"a read used more than {SECONDS} s of CPU")


def read_within_budget(
    read: Callable[[Path], object], folder: Path, raw: bytes, suffix: str
) -> None:
    """Write ``raw`` to a new file, read it, and let nothing but PmoAssessError out."""
    path = folder / f"input{next(_counter)}{suffix}"
    path.write_bytes(raw)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    previous = signal.signal(signal.SIGPROF, _overtime)
    signal.setitimer(signal.ITIMER_PROF, SECONDS)
    started = time.process_time()
    try:
        read(path)
    except PmoAssessError:
        pass
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        path.unlink()
    assert time.process_time() - started < SECONDS
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024
    assert grown < MEGABYTES, f"a read grew peak memory by {grown:.0f} MB"


QUESTIONNAIRES = fixture_bytes(
    "questionnaires/valid_minimal.yaml", "surveys/survey.yaml", "answers/tiny.yaml"
)
ANSWERS = fixture_bytes("answers/valid.csv", "surveys/long.csv", "answers/semicolon_cp1252.csv")
SURVEYS = fixture_bytes(
    *(f"surveys/{name}.csv" for name in ("google_sheet", "ms_forms", "surveymonkey", "long")),
    "surveys/qualtrics.csv",
    "surveys/qualtrics_utf16.tsv",
)
MAPPINGS = fixture_bytes("surveys/mapping.yaml", "surveys/mapping_qualtrics.yaml")


@FUZZ
@given(raw=any_bytes(QUESTIONNAIRES))
def test_questionnaire_reader(folder: Path, raw: bytes) -> None:
    read_within_budget(validate_questionnaire_file, folder, raw, ".yaml")
    read_within_budget(load_questionnaire, folder, raw, ".yaml")


@FUZZ
@given(raw=any_bytes(ANSWERS))
def test_long_answers_reader(folder: Path, tiny: Questionnaire, raw: bytes) -> None:
    read_within_budget(lambda path: read_answers_file(path, tiny), folder, raw, ".csv")


@FUZZ
@given(raw=any_bytes(SURVEYS))
def test_survey_reader_on_csv(folder: Path, survey: Questionnaire, raw: bytes) -> None:
    read = lambda path: read_survey(path, survey, default_role="pmo")  # noqa: E731
    read_within_budget(read, folder, raw, ".csv")


cells = (
    st.none()
    | st.integers()
    | st.floats()
    | st.datetimes()
    | st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
)


def workbook_bytes(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# built once: openpyxl stamps the time into a workbook, and Hypothesis needs the same bytes
# each time it replays an example
WORKBOOK = workbook_bytes(
    [
        ["Timestamp", "Email Address", "What is your role?", "How are issues escalated?"],
        ["2022-06-22 11:07:29", "ana@client.example", "Project Manager", "3 - Defined"],
    ]
)


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """A real workbook of odd cells (its bytes are not drawn from, so may differ per replay)."""
    header = draw(st.sampled_from([["Timestamp", "Email Address", "What is your role?"], []]))
    return workbook_bytes([header, *draw(st.lists(st.lists(cells, max_size=6), max_size=6))])


@FUZZ
@given(
    raw=workbooks() | mutated([WORKBOOK]) | st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b)
)
def test_survey_reader_on_xlsx(folder: Path, survey: Questionnaire, raw: bytes) -> None:
    read = lambda path: read_survey(path, survey, default_role="pmo")  # noqa: E731
    read_within_budget(read, folder, raw, ".xlsx")


@FUZZ
@given(raw=any_bytes(MAPPINGS))
def test_mapping_reader(folder: Path, survey: Questionnaire, raw: bytes) -> None:
    read_within_budget(load_mapping, folder, raw, ".yaml")
    read_within_budget(lambda path: load_mapping(path, survey), folder, raw, ".yaml")


@pytest.mark.parametrize("ending", ["\r", "\r\n", "mixed"])
def test_csv_line_endings_all_read(folder: Path, tiny: Questionnaire, ending: str) -> None:
    text = (DATA / "answers" / "valid.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    if ending == "mixed":
        joined = "".join(line + ("\n", "\r\n", "\r")[i % 3] for i, line in enumerate(lines))
    else:
        joined = ending.join(lines) + ending
    path = folder / "endings.csv"
    path.write_bytes(joined.encode("utf-8"))
    expected = read_answers_file(DATA / "answers" / "valid.csv", tiny)
    assert read_answers_file(path, tiny).equals(expected)
    assert len(read_survey(path, tiny, default_role="pmo").answers) == len(expected)


def damaged_theme() -> bytes:
    """The workbook with its theme's deflate stream overwritten: zlib, not zipfile, complains."""
    entry = zipfile.ZipFile(io.BytesIO(WORKBOOK)).getinfo("xl/theme/theme1.xml")
    start = entry.header_offset + 30 + len(entry.filename)  # past the local file header
    return WORKBOOK[:start] + b"\xff" * 10 + WORKBOOK[start + 10 :]


# the crashes the fuzzing found, kept as plain examples
FOUND = {
    "UTF-16 mark, odd bytes": (b"\xff\xfea,b\n1", ".csv", "UTF-16-LE byte-order mark"),
    "UTF-8 mark, then not UTF-8": (b"\xef\xbb\xbfa,b\n\xff\xfe\xfd", ".csv", "UTF-8 byte-order"),
    "damaged XLSX part": (damaged_theme(), ".xlsx", "Cannot read .* as an XLSX workbook"),
}


@pytest.mark.parametrize("case", FOUND)
def test_what_fuzzing_found_is_a_user_error(folder: Path, survey: Questionnaire, case: str) -> None:
    raw, suffix, message = FOUND[case]
    path = folder / f"found{suffix}"
    path.write_bytes(raw)
    with pytest.raises(PmoAssessError, match=message):
        read_survey(path, survey, default_role="pmo")
