"""Commentary is never lost: it lives in the store, every report, batch and render puts it back,
an edited notebook's commentary is saved before the notebook is replaced, and a partner can
edit it as Markdown. Rendering runs a kernel, so one module fixture renders twice and the tests
share it (a test that changes anything works on its own copy of the workspace and reports)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from pypdf import PdfReader

from pmo_assess.batch.commentary import (
    import_commentary_file,
    render_edited_notebook,
    save_notebook_commentary,
)
from pmo_assess.batch.inputs import client_digest, renderer_digest
from pmo_assess.batch.run import BatchOptions, plan_batch, write_manifest
from pmo_assess.batch.single import render_client_report
from pmo_assess.core.errors import PmoAssessError, ValidationError
from pmo_assess.core.paths import report_notebook
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.model.commentary import Commentary, CommentaryPiece
from pmo_assess.report.anchors import ANCHORS, section_of_cell
from pmo_assess.report.branding import Branding
from pmo_assess.report.commentary_cells import notebook_commentary, with_commentary
from pmo_assess.report.commentary_file import commentary_markdown, read_commentary_markdown
from pmo_assess.report.sections import ReportBook
from pmo_assess.store.commentary import commentary_history, read_commentary, save_commentary
from pmo_assess.store.repository import Store

CLIENT, WAVE, EARLIER_WAVE = "quellbach-prazision", "2026-Q3", "2025-Q4"
CLI = (sys.executable, "-m", "pmo_assess")
SCORECARD_NOTE = "### Our reading\n\nMARKERSCORECARD the gates exist on paper only."
HOSTILE_NOTE = (
    "### Board view\n\nMARKERHOSTILE agreed the plan.\n\n<script>alert(1)</script>\n"
    '<iframe src="https://example.com/x"></iframe>\n<img src=x onerror="alert(2)">'
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A one-client workspace: its report rendered; commentary added to the kept notebook and
    ``render`` run on it; then the report rendered again from the store (the notebook replaced)."""
    root = tmp_path_factory.mktemp("commentary")
    with Store.open(root / "ws") as store:
        build_demo_workspace(store, clients=1)
        first = render_client_report(store, CLIENT, out_dir=root / "reports")
        notebook = first.files["notebook"]
        add_cells(notebook, scorecard=SCORECARD_NOTE, summary=HOSTILE_NOTE)
        edited = render_edited_notebook(store, notebook)
        edited_html = edited.files["html"].read_text(encoding="utf-8")
        saved = read_commentary(store, CLIENT, WAVE)
        again = render_client_report(store, CLIENT, out_dir=root / "reports")
    return SimpleNamespace(
        root=root,
        folder=first.folder,
        edited=edited,
        edited_html=edited_html,
        saved=saved,
        again=again,
    )


@pytest.fixture
def copy(rendered, tmp_path):
    """The workspace and reports as the fixture left them, to change freely."""
    shutil.copytree(rendered.root / "ws", tmp_path / "ws")
    shutil.copytree(rendered.root / "reports", tmp_path / "reports")
    return SimpleNamespace(
        ws=tmp_path / "ws",
        out=tmp_path / "reports",
        folder=tmp_path / "reports" / CLIENT / WAVE,
        notebook=tmp_path / "reports" / CLIENT / WAVE / "report.ipynb",
    )


def add_cells(path: Path, **after: str) -> None:
    """Add a Markdown cell after the cell of each named section, as a consultant would."""
    notebook = nbformat.read(path, as_version=4)
    for anchor, text in after.items():
        index = next(i for i, c in enumerate(notebook.cells) if section_of_cell(c.source) == anchor)
        notebook.cells.insert(index + 1, nbformat.v4.new_markdown_cell(text))
    nbformat.write(notebook, path)


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *map(str, args)], capture_output=True, text=True, timeout=600, check=False
    )


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


# --- render saves, report puts back ----------------------------------------------------------


def test_render_saves_the_notebooks_commentary_to_the_store(rendered):
    assert rendered.saved.revision == 1
    assert rendered.saved.pieces == (
        CommentaryPiece("summary", HOSTILE_NOTE),  # report order, not the order they were added
        CommentaryPiece("scorecard", SCORECARD_NOTE),
    )
    assert rendered.saved.source.startswith("notebook ")
    assert rendered.edited.notes == (
        f"Saved the commentary of {rendered.folder / 'report.ipynb'} (2 pieces) as revision 1 "
        f"of client '{CLIENT}', wave '{WAVE}'.",
    )
    assert "MARKERSCORECARD" in rendered.edited_html


def test_a_new_report_replaces_the_notebook_and_keeps_the_commentary(rendered):
    notebook = nbformat.read(rendered.again.files["notebook"], as_version=4)
    assert notebook_commentary(notebook) == rendered.saved.pieces
    assert notebook.metadata["pmo_assess"]["commentary"]["revision"] == 1
    sources = [c.source for c in notebook.cells]
    assert sources[sources.index("report.scorecard()") + 1] == SCORECARD_NOTE
    html = rendered.again.files["html"].read_text(encoding="utf-8")
    # after the scorecard's section and before the next one, as in the notebook
    assert html.index('id="scorecard"') < html.index("MARKERSCORECARD") < html.index('id="profile"')
    text = pdf_text(rendered.again.files["pdf"])
    assert "MARKERSCORECARD" in text and "MARKERHOSTILE" in text


def test_hostile_commentary_from_the_store_is_still_sanitised(rendered):
    html = rendered.again.files["html"].read_text(encoding="utf-8")
    shown = re.search(r'<section class="commentary">(.*?)</section>', html, re.DOTALL)
    assert shown and "MARKERHOSTILE" in shown.group(1)
    assert re.search(r"<h3[^>]*>Board view", shown.group(1))
    for active in ("<script", "<iframe", "onerror", "example.com", "<img src=x"):
        assert active not in html.lower(), active


# --- the batch --------------------------------------------------------------------------------


def test_the_batch_digest_follows_the_waves_commentary_only(copy):
    with Store.open(copy.ws) as store:
        shared = renderer_digest(Branding(), None)
        before = client_digest(store, CLIENT, WAVE, shared)
        save_commentary(
            store, CLIENT, EARLIER_WAVE, [CommentaryPiece("summary", "Other wave.")], "t"
        )
        assert client_digest(store, CLIENT, WAVE, shared) == before  # another wave's
        changed = [CommentaryPiece("summary", "Changed words.")]
        save_commentary(store, CLIENT, WAVE, changed, "t")
        after = client_digest(store, CLIENT, WAVE, shared)
        assert after != before
        same, again = save_commentary(store, CLIENT, WAVE, changed, "t")
        assert same == again and again.revision == 2  # the same words add no revision
        assert client_digest(store, CLIENT, WAVE, shared) == after


def test_batch_planning_saves_commentary_edited_since_the_last_report(copy):
    options = BatchOptions(workspace=copy.ws, out_dir=copy.out)
    with Store.open(copy.ws) as store:
        fingerprint = client_digest(store, CLIENT, WAVE, renderer_digest(Branding(), None))
        write_manifest(copy.folder, fingerprint, ("html", "pdf"), 1.0)
        jobs, decided = plan_batch(store, [CLIENT], options, Branding())
        assert jobs == [] and decided[0].status == "skipped"  # unchanged: nothing read or saved
        add_cells(copy.notebook, roadmap="MARKERROADMAP first quarter.")
        later = copy.folder.joinpath(".pmo-batch.json").stat().st_mtime + 5
        os.utime(copy.notebook, (later, later))
        jobs, decided = plan_batch(store, [CLIENT], options, Branding())
        assert [j.slug for j in jobs] == [CLIENT] and decided == []
        assert "Saved the commentary found only in" in jobs[0].notes[0]
        saved = read_commentary(store, CLIENT, WAVE)
    assert saved.revision == 2
    assert saved.pieces[-1] == CommentaryPiece("roadmap", "MARKERROADMAP first quarter.")


# --- the commentary command ---------------------------------------------------------------------


def test_export_edit_import_round_trip(copy, tmp_path):
    exported = tmp_path / "commentary.md"
    done = cli("commentary", "--workspace", copy.ws, "--client", CLIENT, "--export", exported)
    assert done.returncode == 0, done.stderr
    text = exported.read_text(encoding="utf-8")
    assert f"## Scorecard\n\n{SCORECARD_NOTE}\n" in text and "## Improvement roadmap\n" in text
    edited = text.replace("the gates exist on paper only", "gates now meet monthly").replace(
        "## Improvement roadmap\n", "## Improvement roadmap\n\nMARKERPARTNER start with gates.\n"
    )
    exported.write_text(edited, encoding="utf-8")
    done = cli("commentary", "--workspace", copy.ws, "--client", CLIENT, "--import", exported)
    assert done.returncode == 0, done.stderr
    assert "revision 2 (3 pieces" in done.stdout and "Revision 1 is kept" in done.stdout
    listed = cli("commentary", "--workspace", copy.ws, "--client", CLIENT).stdout
    assert "3. after Improvement roadmap: MARKERPARTNER start with gates." in listed
    assert "Other revisions: 1 (see one with --revision N)." in listed
    with Store.open(copy.ws) as store:
        current = read_commentary(store, CLIENT, WAVE)
        first = read_commentary(store, CLIENT, WAVE, revision=1)
    assert [p.anchor for p in current.pieces] == ["summary", "scorecard", "roadmap"]
    assert "gates now meet monthly" in current.pieces[1].markdown
    assert current.source == "import commentary.md"
    assert first.pieces[1].markdown == SCORECARD_NOTE  # the revision it replaced is kept


def test_an_unknown_heading_is_refused_with_its_line_and_nothing_is_replaced(copy, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(
        "## Scorecard\n\nKept words.\n\n## Scorcard\n\n```\n## Inside code\n```\n", encoding="utf-8"
    )
    done = cli("commentary", "--workspace", copy.ws, "--client", CLIENT, "--import", bad)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{bad}:5: '## Scorcard' is not the heading of a report section; did you mean " in (
        done.stderr
    )
    assert "Section headings: Cover, Contents, Executive summary, Scorecard," in done.stderr
    assert "Nothing was imported." in done.stderr and "Inside code" not in done.stderr
    with Store.open(copy.ws) as store:
        assert read_commentary(store, CLIENT, WAVE) == read_commentary(store, CLIENT, WAVE, 1)


def test_a_file_exported_from_another_wave_is_refused(copy, tmp_path):
    with Store.open(copy.ws) as store:
        other = tmp_path / "other.md"
        other.write_text(commentary_markdown(Commentary(CLIENT, EARLIER_WAVE)), encoding="utf-8")
        with pytest.raises(
            PmoAssessError,
            match=r"was exported from client 'quellbach-prazision', wave '2025-Q4', not",
        ):
            import_commentary_file(store, CLIENT, WAVE, other)


# --- formats side by side, unsaved commentary, refusals ------------------------------------


def test_report_in_one_format_removes_the_other_and_keeps_unsaved_commentary(copy):
    add_cells(copy.notebook, frame="MARKERUNSAVED added in JupyterLab, never rendered.")
    done = cli(
        "report", "--workspace", copy.ws, "--client", CLIENT, "--out", copy.out, "--format", "html"
    )
    assert done.returncode == 0, done.stderr
    assert "Saved the commentary found only in" in done.stdout and "as revision 2" in done.stdout
    assert (
        "Removed report.pdf, older than the new report.html; run with --format html,pdf to make "
        "it again." in done.stdout
    )
    assert not (copy.folder / "report.pdf").exists()
    html = (copy.folder / "report.html").read_text(encoding="utf-8")
    assert "MARKERUNSAVED" in html and "MARKERSCORECARD" in html


def test_render_refuses_a_missing_store_and_writes_nothing(copy, tmp_path):
    html = copy.folder / "report.html"
    before = html.stat().st_mtime_ns
    done = cli("render", copy.notebook, "--workspace", tmp_path / "nowhere")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "No workspace in" in done.stderr
    assert html.stat().st_mtime_ns == before and not (tmp_path / "nowhere").exists()


def test_render_refuses_a_store_without_the_notebooks_client(copy, tmp_path):
    with Store.open(tmp_path / "other") as other:
        other.add_client("Someone Else (fictional)")
        with pytest.raises(
            PmoAssessError,
            match=r"is the report of client 'quellbach-prazision', wave '2026-Q3': Unknown client "
            r"'quellbach-prazision'\. .*Nothing was saved or rendered",
        ):
            render_edited_notebook(other, copy.notebook)


def test_render_says_when_it_replaces_a_revision_the_notebook_never_saw(copy, tmp_path):
    partner = tmp_path / "partner.md"
    with Store.open(copy.ws) as store:
        partner.write_text(
            commentary_markdown(read_commentary(store, CLIENT, WAVE)).replace(
                "## Contents\n", "## Contents\n\nMARKERPARTNER\n"
            ),
            encoding="utf-8",
        )
        import_commentary_file(store, CLIENT, WAVE, partner)  # revision 2
        add_cells(copy.notebook, method="MARKERMINE")
        saved, notes = save_notebook_commentary(store, copy.notebook)
        assert saved.revision == 3
        assert "It replaced revision 2 (saved by " in notes[1]
        assert "from import partner.md), which this notebook was not made from" in notes[1]
        add_cells(copy.notebook, method="MARKERMINE again")
        _, notes = save_notebook_commentary(store, copy.notebook)  # its own save: no warning
        assert len(notes) == 1
        history = commentary_history(store, CLIENT, WAVE)
    assert [c.revision for c in history] == [1, 2, 3, 4]
    assert history[1].pieces[0] == CommentaryPiece("contents", "MARKERPARTNER")


# --- the parts, without a kernel -----------------------------------------------------------------


def test_the_anchors_are_the_template_notebooks_sections_in_order():
    template = nbformat.read(report_notebook(), as_version=4)
    calls = [section_of_cell(c.source) for c in template.cells if c.cell_type == "code"]
    assert [a for a in calls if a] == [a.id for a in ANCHORS]
    assert all(callable(getattr(ReportBook, a.method, None)) for a in ANCHORS)


def test_commentary_goes_after_its_section_cell_and_reads_back_the_same():
    template = nbformat.read(report_notebook(), as_version=4)
    pieces = (
        CommentaryPiece("cover", "Front."),
        CommentaryPiece("trend", "One."),
        CommentaryPiece("trend", "Two."),
    )
    notebook = with_commentary(template, pieces)
    sources = [c.source for c in notebook.cells]
    at = sources.index("report.trend()")
    assert sources[at + 1 : at + 3] == ["One.", "Two."]
    assert notebook_commentary(notebook) == pieces
    assert notebook_commentary(with_commentary(notebook, ())) == ()  # replaced, not added to
    assert notebook_commentary(template) == ()  # the template's own note is hidden, not commentary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a second piece after a section repeats its heading; empty sections add nothing
        (
            "<!-- note -->\n## Scorecard\n\nA.\n\n## Scorecard\nB.\n## Trend\n\n",
            [("scorecard", "A."), ("scorecard", "B.")],
        ),
        # any case and spacing, or the id; sorted into report order, file order kept within
        (
            "## improvement   ROADMAP\nR.\n##  summary ##\nS.\n",
            [("summary", "S."), ("roadmap", "R.")],
        ),
        # ## inside fenced code is text; ### is the commentary's own heading
        (
            "## Cover\n~~~\n## not a heading\n~~~\n### Mine\n",
            [("cover", "~~~\n## not a heading\n~~~\n### Mine")],
        ),
        # headings and nothing under them: no commentary at all
        ("## Cover\n\n## Contents\n", []),
    ],
)
def test_reading_a_commentary_file(text, expected):
    assert read_commentary_markdown(text, "c.md") == tuple(CommentaryPiece(*e) for e in expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Loose words.\n## Cover\nA.\n", r"c\.md:1: text before the first section heading"),
        (
            "## Cover\nA.\n## Overview\nB.\n",
            r"c\.md:3: '## Overview' is not the heading of a report section\.",
        ),
        ("Just text, no headings.\n", r"c\.md has no section headings, so it holds no commentary"),
    ],
)
def test_a_bad_commentary_file_is_refused(text, message):
    with pytest.raises(PmoAssessError, match=message):
        read_commentary_markdown(text, "c.md")


def test_an_exported_file_reads_back_as_the_same_pieces():
    commentary = Commentary(
        CLIENT,
        WAVE,
        (
            CommentaryPiece("summary", "### Heading\n\n```\n## code\n```"),
            CommentaryPiece("summary", "Second."),
            CommentaryPiece("method", "| a | b |\n|---|---|\n| 1 | 2 |"),
        ),
        revision=3,
    )
    assert read_commentary_markdown(commentary_markdown(commentary), "x.md") == commentary.pieces


def test_every_problem_in_a_file_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        read_commentary_markdown("Loose.\n## Nope\n## Cover\n## Nada\n", "c.md")
    assert [p.location for p in caught.value.problems] == ["c.md:1", "c.md:2", "c.md:4"]


def test_an_unknown_revision_or_wave_names_what_there_is(copy):
    with Store.open(copy.ws) as store:
        with pytest.raises(PmoAssessError, match=r"has no revision 9; it has revisions 1 to 1\."):
            read_commentary(store, CLIENT, WAVE, revision=9)
        with pytest.raises(PmoAssessError, match=r"has no wave '2030'\. Waves: 2025-Q4, 2026-Q3\."):
            read_commentary(store, CLIENT, "2030")
        assert read_commentary(store, CLIENT, EARLIER_WAVE) == Commentary(CLIENT, EARLIER_WAVE)
