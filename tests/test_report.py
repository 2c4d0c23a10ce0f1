"""Client reports as a client receives them: HTML and PDF, safe, faithful to results.json, and
each client's own. Golden files: set PMO_ASSESS_UPDATE_GOLDEN=1 to rewrite them on purpose (the
run then fails, so review the diff and rerun without it)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from pmo_assess.batch.single import render_client_report
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results
from pmo_assess.report.markup import score
from pmo_assess.report.render import ReportFailed, render_results
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import Store

GOLDEN = Path(__file__).parent / "data" / "golden"
TRICKY_NAME = 'Zoë & "Partners" <script>alert(1)</script> 进度 (fictional)'
TRICKY_NOTE = 'Gate <b>reviews</b> & "sign-offs" – Überprüfung – 进度 <script>x()</script>'


def marker(slug: str) -> str:
    return f"MARKER-{slug.upper()}-7731"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Three demo clients plus one with a tricky name, each with a planted marker note on a
    question its respondents disagree on; every report rendered to HTML and PDF."""
    root = tmp_path_factory.mktemp("reports")
    with Store.open(root / "ws") as store:
        build_demo_workspace(store, clients=3)
        source = store.clients()[0].slug
        store.add_client(
            TRICKY_NAME, slug="tricky", industry="Retail", size_band="Small (<500 staff)"
        )
        engagement = store.start_engagement("tricky", _questionnaire())
        answers = store.load_answers(source, "2026-Q3")
        people = [
            NewRespondent(r.role, r.respondent)
            for r in answers.drop_duplicates("respondent").itertuples()
        ]
        store.import_answers(engagement.id, "2026-Q3", people, answers)
        for client in store.clients():
            _plant(store, client.slug, marker(client.slug))
        _plant(store, "tricky", TRICKY_NOTE, who=1)
        outputs = {
            c.slug: render_client_report(store, c.slug, out_dir=root / "reports")
            for c in store.clients()
        }
    return root, outputs


def _questionnaire():
    from pmo_assess import load_questionnaire

    return load_questionnaire("pmo-maturity")


def _plant(store: Store, slug: str, note: str, who: int = 0) -> None:
    """Put ``note`` on the first flagged question of the client's latest wave."""
    results = build_results(store, slug)
    question = results.disagreements[0]["question_id"]
    wave = store.waves(store.engagement(slug).id)[-1]
    respondent = store.respondents(wave.id)[who]
    current = store.answers_of(respondent.id)[question]
    store.record_answer(
        respondent.id,
        question,
        value=current.value,
        status=current.status,
        note=note,
        option_label=current.option_label,
        confidence=current.confidence,
    )


def html_of(outputs, slug) -> str:
    return outputs[slug].files["html"].read_text(encoding="utf-8")


def pdf_text(outputs, slug) -> tuple[int, str]:
    reader = PdfReader(outputs[slug].files["pdf"])
    # running headers come out of pypdf with NUL padding; the text itself is what matters
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages).replace(
        "\x00", ""
    )


def test_every_output_is_written(rendered):
    _, outputs = rendered
    for out in outputs.values():
        assert {"html", "pdf", "notebook", "results"} <= set(out.files)
        assert all(path.is_file() and path.stat().st_size > 0 for path in out.files.values())
        assert not list(out.folder.glob(".work-*")) and not list(out.folder.glob(".*.tmp"))


def test_html_is_self_contained_with_no_code(rendered):
    _, outputs = rendered
    html = html_of(outputs, "tricky")
    assert "<script" not in html.lower()
    for attribute in re.findall(r'(?:src|href)="([^"]*)"', html) + re.findall(
        r"url\(([^)]*)\)", html
    ):
        assert attribute.startswith(("#", "data:", '"data:')), attribute
    for code in (
        "ReportBook",
        "results_path",
        "branding_path",
        "import ",
        "In&nbsp;[",
        "jp-InputArea",
    ):
        assert code not in html
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    readable = re.sub(r"data:[^\"')\s]+", "data:", html)  # base64 payloads hold any letters
    assert not re.search(r"https?://|//cdn|require\.js|mathjax", readable, re.IGNORECASE)


def test_headings_and_sections_are_present(rendered):
    _, outputs = rendered
    html = html_of(outputs, next(iter(outputs)))
    for heading in (
        "Executive summary",
        "Scorecard",
        "Maturity against target",
        "Improvement roadmap",
        "Method and data quality",
        "Position against peers",
        "Where respondents disagree",
    ):
        assert f">{heading}</h2>" in html
    contents = re.search(r'<nav[^>]*class="toc".*?</nav>', html, re.DOTALL).group(0)
    assert "Executive summary" in contents and "Scorecard" in contents
    assert "Exhibit 1." in html and "Source:" in html


def test_free_text_is_escaped_and_shown_correctly(rendered):
    _, outputs = rendered
    html = html_of(outputs, "tricky")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<b>reviews" not in html
    # quotes in text may stay literal or become &quot;: both are safe; the rest must be escaped
    assert re.search(r"Zoë &amp; (&quot;|\")Partners(&quot;|\")", html) and "进度" in html
    assert re.search(r"Gate &lt;b&gt;reviews&lt;/b&gt; &amp; (&quot;|\")sign-offs", html)
    _, text = pdf_text(outputs, "tricky")
    assert 'Zoë & "Partners"' in text


def test_a_report_holds_only_its_own_clients_data(rendered):
    _, outputs = rendered
    with Store.open(rendered[0] / "ws") as store:
        names = {c.slug: c.name for c in store.clients()}
    for slug, out in outputs.items():
        html = html_of(outputs, slug)
        _, text = pdf_text(outputs, slug)
        results = out.files["results"].read_text(encoding="utf-8")
        for other, name in names.items():
            if other == slug:
                continue
            for document in (html, text, results):
                assert marker(other) not in document, (slug, other)
                assert name not in document, (slug, other)
        assert marker(slug) in html


def test_numbers_shown_equal_results_json_and_the_engine(rendered):
    _, outputs = rendered
    slug = next(iter(outputs))
    results = json.loads(outputs[slug].files["results"].read_text(encoding="utf-8"))
    html = html_of(outputs, slug)
    scorecard = re.search(r'<table class="scorecard[^"]*">.*?</table>', html, re.DOTALL).group(0)
    for dimension in results["assessment"]["dimensions"]:
        row = re.search(
            rf"<tr[^>]*><td class=\"\">{re.escape(dimension['title'])}</td><td class=\"num\">([^<]*)</td>",
            scorecard.replace("&amp;", "&"),
        )
        assert row and row.group(1) == score(dimension["score"]), dimension["id"]
    overall = score(results["assessment"]["overall"]["score"])
    assert f"<strong>{overall}</strong>" in scorecard
    with Store.open(rendered[0] / "ws") as store:
        assert build_results(store, slug).to_dict() == results


def test_pdf_has_cover_contents_and_page_numbers(rendered):
    _, outputs = rendered
    pages, text = pdf_text(outputs, next(iter(outputs)))
    assert 8 <= pages <= 40
    reader = PdfReader(outputs[next(iter(outputs))].files["pdf"])
    cover = reader.pages[0].extract_text()
    assert (
        "PMO Maturity Assessment" in cover and "Confidential" in cover and "Page 1 of" not in cover
    )
    assert f"Page 2 of {pages}" in text and f"Page {pages} of {pages}" in text
    contents = reader.pages[1].extract_text()
    assert re.search(r"Executive summary\s*\.*\s*\d+", contents)
    assert "Confidential" in reader.pages[2].extract_text()


def test_the_kept_notebook_has_no_machine_paths_and_no_code_for_the_client(rendered):
    root, outputs = rendered
    notebook = outputs[next(iter(outputs))].files["notebook"].read_text(encoding="utf-8")
    assert str(root) not in notebook and "/tmp" not in notebook and "/work" not in notebook
    assert "papermill" not in json.loads(notebook)["metadata"]


def test_commentary_added_to_the_notebook_reaches_html_and_pdf(rendered, tmp_path):
    root, outputs = rendered
    source = outputs[next(iter(outputs))]
    folder = tmp_path / "edited"
    shutil.copytree(source.folder, folder)
    path = folder / "report.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(
        6,
        nbformat.v4.new_markdown_cell(
            "**Consultant's view.** The board asked for quarterly reviews."
        ),
    )
    nbformat.write(notebook, path)
    done = subprocess.run(
        # render saves the commentary to the client's workspace, so it must find that workspace
        [sys.executable, "-m", "pmo_assess", "render", str(path), "--workspace", str(root / "ws")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "The board asked for quarterly reviews." in (folder / "report.html").read_text(
        encoding="utf-8"
    )
    assert "quarterly reviews" in "".join(
        p.extract_text() for p in PdfReader(folder / "report.pdf").pages
    )


HOSTILE_COMMENTARY = """### Board view

**Sponsor agreed** the plan; *two* open points:

- quarterly gate reviews
- a named PMO lead

| Point | Owner |
|:------|------:|
| Gates | CFO |

<script>alert("commentary")</script>
<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>
<img src=x onerror="alert('img')">
<link rel="attachment" href="file:///etc/passwd">
<a href="javascript:alert(2)" onclick="alert(3)">click</a>
"""


def test_commentary_is_sanitised_and_keeps_its_markdown(rendered, tmp_path):
    """Raw HTML in a consultant's Markdown cell goes through nbconvert's sanitiser: nothing
    active reaches the HTML or the PDF, and the Markdown itself still reads as Markdown."""
    from pmo_assess.report.render import render_notebook

    _, outputs = rendered
    folder = tmp_path / "hostile"
    shutil.copytree(outputs[next(iter(outputs))].folder, folder)
    path = folder / "report.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(6, nbformat.v4.new_markdown_cell(HOSTILE_COMMENTARY))
    nbformat.write(notebook, path)
    files = render_notebook(path)
    html = files["html"].read_text(encoding="utf-8")
    commentary = re.search(r'<section class="commentary">(.*?)</section>', html, re.DOTALL)
    assert commentary, "the commentary is missing from the report"
    shown = commentary.group(1)
    for active in ("<script", "<iframe", "<link", "onerror", "onclick", "javascript:"):
        assert active not in html.lower(), active
    assert "<img" not in shown and "click" in shown  # the link's text stays, not its address
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', shown))
    assert "file:///etc/passwd" not in html and "data:text/html" not in html
    assert re.search(r"<h3[^>]*>Board view", shown)
    assert "<strong>Sponsor agreed</strong>" in shown and "<em>two</em>" in shown
    assert "<li>quarterly gate reviews</li>" in shown and "<li>a named PMO lead</li>" in shown
    assert re.search(
        r"<table>.*<th[^>]*>Point</th>.*<td[^>]*>Gates</td>.*</table>", shown, re.DOTALL
    )
    assert "&lt;script" not in shown and "&lt;iframe" not in shown  # removed, not shown as text
    reader = PdfReader(files["pdf"])
    assert not reader.attachments
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Board view" in text and "quarterly gate reviews" in text and "root:" not in text


def test_a_failed_notebook_never_becomes_a_report(rendered, tmp_path):
    root, _ = rendered
    with Store.open(root / "ws") as store:
        results = build_results(store, "tricky")
    broken = type(results)(
        **{
            **results.__dict__,
            "questionnaire": {
                "id": "no-such-questionnaire",
                "version": "1",
                "title": "x",
                "subject": None,
                "benefits": [],
            },
        }
    )
    folder = tmp_path / "out"
    with pytest.raises(
        ReportFailed,
        match=r"failed in cell 4 \(`from pmo_assess.report.sections import ReportBook`\): PmoAssessError: Unknown questionnaire 'no-such-questionnaire'",
    ):
        render_results(broken, folder)
    assert not (folder / "report.html").exists() and not (folder / "report.pdf").exists()


def test_report_command_exits_1_naming_an_unknown_client(rendered):
    root, _ = rendered
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pmo_assess",
            "report",
            "--client",
            "ghost",
            "--workspace",
            str(root / "ws"),
            "--out",
            str(root / "cli"),
        ],
        capture_output=True,
        text=True,
    )
    assert (
        done.returncode == 1
        and "Unknown client 'ghost'" in done.stderr
        and "Traceback" not in done.stderr
    )


def test_wave_labels_never_escape_the_reports_folder(tmp_path):
    from pmo_assess.report.render import report_folder

    assert report_folder(tmp_path, "acme", "../../etc").is_relative_to(tmp_path)
    with pytest.raises(PmoAssessError):
        report_folder(tmp_path, "../acme", "w1")


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PMO_ASSESS_UPDATE_GOLDEN") == "1":  # rewrite, but never pass by it
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pytest.fail(
            f"{name}: golden file rewritten; review the diff and rerun without "
            "PMO_ASSESS_UPDATE_GOLDEN"
        )
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} changed; rerun with PMO_ASSESS_UPDATE_GOLDEN=1 if on purpose"
    )


def test_golden_scorecard(rendered):
    _, outputs = rendered
    html = html_of(outputs, next(iter(outputs)))
    scorecard = re.search(
        r'<section class="report-section" id="section-scorecard">.*?</section>', html, re.DOTALL
    ).group(0)
    _golden(
        "scorecard.html", re.sub(r"(?<=>)\s+|\s+(?=<)", "", scorecard).replace("><", ">\n<") + "\n"
    )


def test_sections_carry_action_titles_not_objects(rendered):
    _, outputs = rendered
    html = html_of(outputs, next(iter(outputs)))
    titles = re.findall(r'<p class="action-title">(.*?)</p>', html)
    assert len(titles) >= 2
    assert "ActionTitle(" not in html and "Priority(" not in html


def test_a_workspace_questionnaire_reaches_its_report(tmp_path):
    """A questionnaire of the workspace's own (not built in) is the one the report notebook uses."""
    workspace = tmp_path / "ws"
    own = workspace / "questionnaires" / "acme_maturity.yaml"
    own.parent.mkdir(parents=True)
    text = (Path(__file__).parents[1] / "questionnaires" / "pmo_maturity.yaml").read_text()
    text = re.sub(r"(?m)^id: .*$", "id: acme-maturity", text, count=1)
    text = re.sub(r"(?m)^title: .*$", "title: Acme Delivery Office Review", text, count=1)
    own.write_text(text)
    with Store.open(workspace) as store:
        build_demo_workspace(store, clients=1)
        source = store.clients()[0].slug
        store.add_client("Acme Tools (fictional)", slug="acme", industry="Retail")
        from pmo_assess import load_questionnaire

        engagement = store.start_engagement("acme", load_questionnaire(own))
        answers = store.load_answers(source, "2026-Q3")
        people = [
            NewRespondent(r.role, r.respondent)
            for r in answers.drop_duplicates("respondent").itertuples()
        ]
        store.import_answers(engagement.id, "2026-Q3", people, answers)
        outputs = render_client_report(
            store, "acme", out_dir=tmp_path / "reports", formats=("html",)
        )
    html = outputs.files["html"].read_text(encoding="utf-8")
    assert "Acme Delivery Office Review" in html and "Acme Tools" in html
    assert not (outputs.folder / "questionnaire.yaml").exists()  # a run's input, not an output
