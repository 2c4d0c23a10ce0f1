"""A report made from an edited notebook or a stranger's branding file loads nothing, attaches
nothing and runs nothing: commentary is sanitised, the PDF's fetcher serves only embedded data
and the report's own folder, logos stay in the branding folder, and words that merely look like
script ("Head of onboarding = HR") are not refused. Addresses point at a local server that
counts its hits; nothing here uses the network. One real render, in a module fixture."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from nbconvert.filters.markdown import markdown2html
from pypdf import PdfReader

from pmo_assess.core.errors import ValidationError
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results, questionnaire_file
from pmo_assess.model.commentary import Commentary, CommentaryPiece
from pmo_assess.report.branding import load_branding
from pmo_assess.report.commentary import sanitize_commentary
from pmo_assess.report.guard import allowed_url, script_in, write_report_pdf
from pmo_assess.report.render import render_results
from pmo_assess.store.repository import Store

CLIENT = "quellbach-prazision"
ROLE = "Head of onboarding = HR"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def server():
    """A local web server that records every path asked of it."""
    hits: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()


# -- commentary --------------------------------------------------------------------------------

HOSTILE = [
    '<link rel="attachment" href="file:///work/pmo-assess.sqlite">',
    '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
    "![](http://127.0.0.1:9/x.png)",
    "<img src=http://127.0.0.1:9/y.png>",
    "<script>fetch('http://127.0.0.1:9/')</script>",
    "[notes](file:///etc/passwd)",
    '<a href="javascript:alert(1)">go</a>',
    '<svg><image href="http://127.0.0.1:9/z.png"/></svg>',
    '<p style="background: url(http://127.0.0.1:9/bg.png)">x</p>',
]


@pytest.mark.parametrize("markdown", HOSTILE)
def test_commentary_keeps_nothing_that_loads_or_runs(markdown):
    html = sanitize_commentary(markdown2html(markdown))
    for active in ("<link", "<iframe", "<img", "<script", "<svg", "<image", "style=", "file:"):
        assert active not in html
    # a script's words may stay, as text; no address or scheme is left in markup
    assert not re.search(r"(src|href)\s*=|javascript:", html)


def test_commentary_keeps_what_markdown_writes():
    markdown = (
        "## Our reading\n\nThe gates are *on paper* and **not used**.\n\n"
        "| Gate | Used |\n| --- | --- |\n| G1 | no |\n\n"
        "See [the standard](https://example.org/pmo) or [mail us](mailto:a@b.example)."
    )
    html = sanitize_commentary(markdown2html(markdown))
    assert '<h2 id="Our-reading">Our reading' in html
    assert "<em>on paper</em>" in html and "<strong>not used</strong>" in html
    assert "<th>Gate</th>" in html and "<td>G1</td>" in html
    assert '<a href="https://example.org/pmo">the standard</a>' in html
    assert 'href="mailto:a@b.example"' in html


# -- what the PDF may load ---------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "logo.png").write_bytes(PNG)
    (tmp_path / "secret.txt").write_text("the firm's store", encoding="utf-8")
    (tmp_path / "report" / "link.png").symlink_to(tmp_path / "secret.txt")
    return tmp_path / "report"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ("{folder}/logo.png", True),  # a regular file in the report's folder
        ("{folder}/../secret.txt", False),  # outside, by ..
        ("{folder}/link.png", False),  # inside, but a link to a file outside
        ("{folder}/missing.png", False),
        ("file:///etc/passwd", False),
        ("file://elsewhere.example/share/x.png", False),
        ("http://127.0.0.1:9/x.png", False),
        ("https://127.0.0.1:9/x.png", False),
        ("ftp://127.0.0.1:9/x.png", False),
    ],
)
def test_the_pdf_loads_only_embedded_data_and_files_in_its_folder(folder, url, allowed):
    url = url.replace("{folder}", folder.as_uri())
    assert allowed_url(url, folder) is allowed


def test_the_pdf_fetches_nothing_and_attaches_nothing(folder, server):
    base, hits = server
    before = len(hits)
    html = f"""<html><head>
    <link rel="attachment" href="file:///etc/passwd">
    <link rel="attachment" href="{folder.as_uri()}/logo.png">
    <link rel="attachment" href="data:text/plain,the%20store">
    <link rel="stylesheet" href="{base}/style.css">
    <style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png); }}</style>
    </head><body><p>Findings</p>
    <img src="{base}/img.png"><img src="{base.replace("http", "https")}/s.png">
    <a rel="attachment" href="data:text/plain,more">annex</a>
    <svg width="10" height="10"><image href="{base}/svg.png" width="10" height="10"/></svg>
    </body></html>"""
    write_report_pdf(html, folder / "report.pdf", folder)
    reader = PdfReader(folder / "report.pdf")
    assert reader.attachments == {}
    assert "Findings" in reader.pages[0].extract_text()
    assert hits[before:] == []


# -- script, found precisely -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "found"),
    [
        (f"<td>{ROLE}</td>", None),
        ("<p>We use onboarding =&gt; HR and javascript: as a topic.</p>", None),
        ('<p title="on=1">x</p>', None),
        ("<script>x()</script>", "<script>"),
        ('<img src=x onerror="y()">', 'onerror="y()" on <img>'),
        ('<a href=" java\tscript:y()">x</a>', 'href=" java\tscript:y()" on <a>'),
        ('<a href="&#106;avascript:y()">x</a>', 'href="javascript:y()" on <a>'),
        ('<iframe src="data:text/html;base64,AAAA"></iframe>', 'src="data:text/html;base64,AAAA"'),
        ('<svg><set attributeName="href" to="javascript:y()"/></svg>', 'to="javascript:y()"'),
    ],
)
def test_script_is_found_in_markup_not_in_words(html, found):
    result = script_in(html)
    assert result is None if found is None else found in (result or "")


# -- branding ----------------------------------------------------------------------------------


def branding_with(tmp_path: Path, logo: str) -> Path:
    path = tmp_path / "brand" / "branding.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f'firm_name: "Northlight"\nlogo: "{logo}"\n', encoding="utf-8")
    return path


def test_a_logo_inside_the_branding_folder_is_embedded(tmp_path):
    path = branding_with(tmp_path, "logo.svg")
    (path.parent / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<rect fill="url(#g)"/><image xlink:href="data:image/png;base64,iVBORw0KGgo="/></svg>',
        encoding="utf-8",
    )
    assert load_branding(path).logo_data_uri.startswith("data:image/svg+xml;base64,")


def test_a_logo_outside_the_branding_folder_is_refused(tmp_path):
    (tmp_path / "elsewhere.svg").write_text("<svg/>", encoding="utf-8")
    for logo in (str(tmp_path / "elsewhere.svg"), "../elsewhere.svg"):
        path = branding_with(tmp_path, logo)
        with pytest.raises(ValidationError, match=r"logo '.*elsewhere.svg' must be a file in"):
            load_branding(path)


def test_a_symlinked_logo_is_refused(tmp_path):
    path = branding_with(tmp_path, "logo.svg")
    (path.parent / "real.svg").write_text("<svg/>", encoding="utf-8")
    (path.parent / "logo.svg").symlink_to(path.parent / "real.svg")
    with pytest.raises(ValidationError, match=r"logo 'logo.svg' must be a file in .*not a link"):
        load_branding(path)


@pytest.mark.parametrize(
    "inside",
    [
        '<image href="http://127.0.0.1:9/x.png"/>',
        '<image xlink:href="file:///etc/passwd"/>',
        "<style>@import url(http://127.0.0.1:9/a.css);</style>",
        '<rect style="fill: url(http://127.0.0.1:9/p.svg#p)"/>',
        "<script>alert(1)</script>",
        '<rect onload="alert(1)"/>',
    ],
)
def test_an_svg_logo_that_loads_or_runs_anything_is_refused(tmp_path, inside):
    path = branding_with(tmp_path, "logo.svg")
    (path.parent / "logo.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg">{inside}</svg>', encoding="utf-8"
    )
    with pytest.raises(ValidationError, match=r"logo 'logo.svg' must not"):
        load_branding(path)


# -- one real render ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, server):
    """One client's report, a respondent role named like an assignment, and commentary that
    tries to attach a file, load an image from the local server, and frame a script."""
    base, hits = server
    root = tmp_path_factory.mktemp("hostile")
    with Store.open(root / "ws") as store:
        build_demo_workspace(store, clients=1)
        results = build_results(store, CLIENT)
        questionnaire = questionnaire_file(store, CLIENT)
    for name in results.respondents["role_names"].values():
        name.update(one=ROLE, many=ROLE, label=ROLE)
    markdown = (
        "### Board view\n\nMARKERHOSTILE agreed.\n\n"
        '<link rel="attachment" href="file:///etc/passwd">\n\n'
        f"![]({base}/commentary.png)\n\n<img src={base}/raw.png>\n\n"
        '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>\n'
    )
    commentary = Commentary(
        CLIENT, results.wave["label"], (CommentaryPiece("summary", markdown),), revision=1
    )
    before = len(hits)
    outputs = render_results(
        results, root / "out", questionnaire=questionnaire, commentary=commentary
    )
    return outputs, hits[before:]


def test_a_hostile_commentary_renders_without_attachments_or_fetches(rendered):
    outputs, hits = rendered
    reader = PdfReader(outputs.files["pdf"])
    assert reader.attachments == {}
    assert hits == []
    text = "".join(page.extract_text() for page in reader.pages)
    assert "MARKERHOSTILE" in text
    html = outputs.files["html"].read_text(encoding="utf-8")
    for active in ("<iframe", "<link", "127.0.0.1", "/etc/passwd"):
        assert active not in html


def test_a_role_that_reads_like_an_assignment_renders(rendered):
    outputs, _ = rendered
    assert ROLE in outputs.files["html"].read_text(encoding="utf-8")
