"""The editable Word report (``report.docx``), read back with python-docx: the content's
sections under real headings, a table-of-contents field, native tables equal to the content's,
charts as pictures with alt text and numbered captions, the running header and page numbers,
the firm's template (styles, header, cover placeholders), hostile commentary written as text,
and no other client's name. Every report shape writes a document.

One store (the three report shapes and a demo client: four clients) and one document per case,
built once per module; a document is written only when a test asks for it, and the firm's
document is given the demo document's charts (``pictures``), as a run of several formats does.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import socket
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Inches
from PIL import Image
from report_shapes import SHAPES, build_shape

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results, questionnaire_file
from pmo_assess.model.commentary import CommentaryPiece
from pmo_assess.report.branding import Branding
from pmo_assess.report.content import Section, report_content
from pmo_assess.report.document import write_document
from pmo_assess.report.document.cover import built_in_cover, fill_placeholders
from pmo_assess.report.document.markdown import write_markdown
from pmo_assess.report.document.template import open_document, read_template
from pmo_assess.report.sections import ReportBook
from pmo_assess.store.repository import Store

FIRM_DOCX = Path(__file__).parent / "data" / "firm.docx"
DEMO = "quellbach-prazision"
CASES = (*SHAPES, "demo")
#: One commentary piece per kind of placement, each with a word to find it by.
COMMENTARY = (
    CommentaryPiece("cover", "COVER-NOTE after the cover."),
    CommentaryPiece("scorecard", "## Reading the scorecard\n\nSCORECARD-NOTE with **bold**."),
    CommentaryPiece(
        "trend", "TREND-NOTE, which a report of one wave puts after the section before."
    ),
    CommentaryPiece(
        "method",
        "HOSTILE-NOTE <script>alert(1)</script> [x](file:///etc/passwd) "
        "![img](http://x.test/a.png)\n\n1. first\n2. second",
    ),
)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ReportBook]:
    """Every case's report book, from one store holding all their clients."""
    root = tmp_path_factory.mktemp("document")
    slugs = {}
    with Store.open(workspace=root / "ws") as store:
        for shape in SHAPES:
            slugs[shape] = build_shape(store, shape)
        slugs["demo"] = build_demo_workspace(store, clients=1).clients[0]
        for case, slug in slugs.items():
            folder = root / case
            folder.mkdir()
            (folder / "results.json").write_text(
                build_results(store, slug).to_json(), encoding="utf-8"
            )
            shutil.copy(questionnaire_file(store, slug), folder / "questionnaire.yaml")
    return {case: ReportBook.load(root / case / "results.json") for case in slugs}


@pytest.fixture(scope="module")
def written(
    books: dict[str, ReportBook], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], WordDocument]:
    """The document of a case (``"firm"`` is the demo client in the firm's template), written
    the first time a test asks for it with the network closed, then read back."""
    folder = tmp_path_factory.mktemp("written")
    done: dict[str, WordDocument] = {}

    def document(case: str) -> WordDocument:
        if case not in done:
            book = books["demo" if case == "firm" else case]
            template = FIRM_DOCX if case == "firm" else None
            # the firm's document is given the demo document's charts, as a run that renders
            # several formats gives the charts it has drawn
            pictures = drawn_pictures(books["demo"], document("demo")) if case == "firm" else None
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(socket.socket, "connect", _no_network)
                if pictures:
                    patch.setattr("pmo_assess.report.document.body.chart_png", _not_drawn)
                path = write_document(
                    book,
                    folder / f"{case}.docx",
                    template=template,
                    commentary=COMMENTARY,
                    pictures=pictures,
                )
            done[case] = Document(str(path))
        return done[case]

    return document


@pytest.fixture(scope="module", params=CASES)
def case(request: pytest.FixtureRequest) -> str:
    """Each report shape and the demo client; module-scoped, so pytest runs one case's tests
    together and a worker writes only the documents of its cases."""
    return str(request.param)


@pytest.fixture(scope="module")
def document(case: str, written: Callable[[str], WordDocument]) -> WordDocument:
    return written(case)


def drawn_pictures(book: ReportBook, document: WordDocument) -> dict[str, bytes]:
    """The charts of a written document, by exhibit kind."""
    exhibits = [e for s in walk(content_of(book)) for e in s.exhibits]
    return {
        e.kind: _image(document, shape).getvalue()
        for e, shape in zip(exhibits, document.inline_shapes, strict=True)
    }


def _not_drawn(*args: object) -> None:
    raise AssertionError("a chart given in pictures must not be drawn again")


def _no_network(*args: object) -> None:
    raise AssertionError("the Word report must not open a connection")


def content_of(book: ReportBook) -> tuple[Section, ...]:
    return report_content(book.results, book.questionnaire)


def walk(sections: tuple[Section, ...]) -> Iterator[Section]:
    """Every section and sub-section, in document order."""
    for section in sections:
        yield section
        yield from walk(section.parts)


def headings(document: WordDocument, style: str = "Heading 1") -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def texts(document: WordDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


def all_text(document: WordDocument) -> str:
    """Every word of the file: body, tables, headers, footers and properties."""
    parts = [document.element.body, *(_stories(document))]
    words = ["".join(t.text or "" for t in part.iter(qn("w:t"))) for part in parts]
    properties = document.core_properties
    words += [properties.title, properties.subject, properties.author, properties.comments]
    return "\n".join(words)


def _stories(document: WordDocument) -> Iterator[Any]:
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            yield part._element


def instructions(element: Any) -> list[str]:
    return [(code.text or "").strip() for code in element.iter(qn("w:instrText"))]


# -- structure ---------------------------------------------------------------------------------


def test_headings_are_the_sections_in_order(books, case, document):
    assert headings(document) == [s.heading for s in content_of(books[case])]
    parts = [p.heading for s in content_of(books[case]) for p in s.parts]
    assert [h for h in headings(document, "Heading 2") if h != "Reading the scorecard"] == parts


def test_contents_is_a_table_of_contents_field(written):
    document = written("demo")
    contents = texts(document).index("Contents")
    assert document.paragraphs[contents].style.name == "TOC Heading"
    field = document.paragraphs[contents + 1]
    assert instructions(field._p) == ['TOC \\o "1-3" \\h \\z \\u']
    assert field.text == "Right-click and choose Update Field"


def test_tables_are_native_and_equal_the_content(books, case, document):
    expected = [t for s in walk(content_of(books[case])) for t in s.tables]
    tables = [t for t in document.tables if t.style is not None and t.style.name == "Report Table"]
    assert len(tables) == len(expected)
    for table, content in zip(tables, expected, strict=True):
        cells = [tuple(cell.text for cell in row.cells) for row in table.rows]
        assert cells == [content.headers, *content.rows]
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats
        for row in table.rows:
            for cell, numeric in zip(row.cells, content.numeric, strict=True):
                assert (cell.paragraphs[0].alignment == 2) is numeric  # right-aligned numbers


def test_every_exhibit_is_a_200_dpi_picture_with_alt_text_caption_and_source(books, written, case):
    document = written(case)
    exhibits = [e for s in walk(content_of(books[case])) for e in s.exhibits]
    assert len(document.inline_shapes) == len(exhibits) > 0
    for shape, exhibit in zip(document.inline_shapes, exhibits, strict=True):
        assert shape._inline.docPr.get("descr") == exhibit.alt != ""
        pixels = Image.open(_image(document, shape)).width
        assert pixels / (shape.width / Inches(1)) >= 199  # 200 dpi, or more when narrowed
    captions = [p.text for p in document.paragraphs if p.text.startswith("Exhibit ")]
    assert captions == [f"Exhibit {n}: {e.title}" for n, e in enumerate(exhibits, start=1)]
    lines = texts(document)
    for exhibit in exhibits:  # caption, picture, source
        at = lines.index(f"Exhibit {exhibits.index(exhibit) + 1}: {exhibit.title}")
        assert lines[at + 2] == exhibit.source


def _image(document: WordDocument, shape: Any) -> io.BytesIO:
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    return io.BytesIO(document.part.related_parts[blip.embed].blob)


def test_header_says_confidential_and_the_footer_numbers_pages(books, case, document):
    section = document.sections[-1]
    header = "".join(p.text for p in section.header.paragraphs)
    assert "Confidential" in header and books[case].results["client"]["name"] in header
    assert {"PAGE", "NUMPAGES"} <= set(instructions(section.footer._element))
    assert "Page 1 of 1" in section.footer.paragraphs[0].text  # until Word lays out the pages
    assert section.different_first_page_header_footer  # the cover has neither
    assert not "".join(p.text for p in section.first_page_header.paragraphs)


def test_cover_names_the_title_client_wave_and_date(books, written):
    lines = texts(written("demo"))
    cover = lines[: lines.index("Contents")]
    results = books["demo"].results
    assert results["questionnaire"]["title"] in cover
    assert results["client"]["name"] in cover
    assert any(results["wave"]["label"] in line for line in cover)
    assert any("Date of the data" in line for line in cover)


def test_every_shape_writes_a_document_with_no_placeholder(document):
    assert not re.search(r"\bnan\b|\{\{|\}\}|Traceback", all_text(document))


def test_the_written_file_is_a_whole_zip_and_replaces_an_old_one(books, tmp_path):
    target = tmp_path / "report.docx"
    target.write_text("an older report", encoding="utf-8")
    write_document(books["samm"], target)
    with zipfile.ZipFile(target) as package:
        assert package.testzip() is None
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]  # no temporary file left


# -- commentary --------------------------------------------------------------------------------


def test_commentary_follows_its_section(written):
    lines = texts(written("demo"))
    assert lines.index("COVER-NOTE after the cover.") < lines.index("Contents")
    scorecard = lines.index("SCORECARD-NOTE with bold.")
    assert lines.index("Scorecard") < scorecard < lines.index("Maturity against target")
    assert lines.index("Progress since the baseline") < lines.index(
        "TREND-NOTE, which a report of one wave puts after the section before."
    )


def test_commentary_for_a_missing_section_follows_the_section_before_it(written):
    lines = texts(written("samm"))  # one wave: no trend section
    assert "Progress since the baseline" not in lines
    trend = lines.index("TREND-NOTE, which a report of one wave puts after the section before.")
    assert lines.index("Position against peers") < trend < lines.index("Improvement roadmap")


def test_hostile_commentary_is_text_and_nothing_is_fetched_or_embedded(books, written):
    document = written("demo")  # written with connections refused
    note = next(p for p in document.paragraphs if p.text.startswith("HOSTILE-NOTE"))
    assert note.text == (
        "HOSTILE-NOTE <script>alert(1)</script> x (file:///etc/passwd) "
        "[Image not included: img, http://x.test/a.png]"
    )
    exhibits = [e for s in walk(content_of(books["demo"])) for e in s.exhibits]
    assert len(document.part.package.image_parts) == len(exhibits)
    for part in document.part.package.iter_parts():
        assert not any(rel.is_external for rel in part.rels.values()), part.partname
    numbered = [p for p in document.paragraphs if p.text in ("first", "second")]
    assert [p.style.name for p in numbered] == ["List Number", "List Number"]


def test_no_other_clients_name_appears(books, case, document):
    names = [book.results["client"]["name"] for book in books.values()]
    own, text = books[case].results["client"]["name"], all_text(document)
    assert own in text
    assert [n for n in names if n != own and n in text] == []


def test_no_other_clients_name_appears_in_the_firm_template(books, written):
    names = [book.results["client"]["name"] for book in books.values()]
    own, text = books["demo"].results["client"]["name"], all_text(written("firm"))
    assert own in text
    assert [n for n in names if n != own and n in text] == []


# -- the firm's template -----------------------------------------------------------------------


def test_firm_template_supplies_styles_header_and_cover(books, written):
    document = written("firm")
    client = books["demo"].results["client"]["name"]
    heading = document.styles["Heading 1"]
    assert str(heading.font.color.rgb) == "7A1F5C" and heading.font.name == "Georgia"
    assert headings(document) == [s.heading for s in content_of(books["demo"])]
    header = "\n".join(p.text for p in document.sections[-1].header.paragraphs)
    assert f"FIRM-MARKER · report for {client}" in header and "Confidential" in header
    footer = document.sections[-1].footer
    assert "Northlight Advisory · firm template" in footer.paragraphs[0].text
    assert {"PAGE", "NUMPAGES"} <= set(instructions(footer._element))
    cover = texts(document)[: texts(document).index("Contents")]
    assert cover[:2] == [books["demo"].results["questionnaire"]["title"], f"Prepared for {client}"]
    assert document.tables[0].cell(0, 0).text == f"Client: {client}"
    assert len(document.inline_shapes) == len(written("demo").inline_shapes)  # given, not drawn
    fill = document.styles["Report Table"].element.find(f".//{qn('w:shd')}").get(qn("w:fill"))
    assert fill == "D98E04"  # the firm's own table style, not the house one


def test_placeholders_split_across_runs_are_filled_keeping_formatting():
    document = Document()
    paragraph = document.add_paragraph("Dear {{cli")
    paragraph.add_run("ent}}, wave {{ wave }}").bold = True
    paragraph.add_run(" {{unknown}} {{firm}}")
    fill_placeholders(document, {"client": "Acme", "wave": "W2", "firm": "Northlight"})
    assert paragraph.text == "Dear Acme, wave W2 {{unknown}} Northlight"
    assert [r.text for r in paragraph.runs] == ["Dear Acme", ", wave W2", " {{unknown}} Northlight"]
    assert paragraph.runs[1].bold


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("firm.dotm", b"", r"ending in \.docx or \.dotx; got '\.dotm'"),
        ("firm.docx", None, r"does not exist"),
        ("firm.docx", b"not a zip", r"cannot be read as a Word document"),
    ],
)
def test_a_template_that_is_not_a_word_document_is_refused(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(PmoAssessError, match=message):
        read_template(path)


def test_a_template_without_the_reports_styles_gets_them(tmp_path):
    bare = Document()
    for name in ("Heading 2", "Heading 3", "Caption", "List Number", "List Bullet", "Quote"):
        style = bare.styles[name].element
        style.getparent().remove(style)
    bare.add_paragraph("Cover of {{client}}")
    bare.save(str(tmp_path / "bare.docx"))
    document = open_document(tmp_path / "bare.docx", "#0B3C5D")
    heading = document.styles["Heading 3"].element
    assert heading.find(f".//{qn('w:outlineLvl')}").get(qn("w:val")) == "2"  # in the contents
    assert {"Caption", "Kicker", "Action Title", "Report Table"} <= {
        s.name for s in document.styles
    }
    write_markdown(document, "1. one\n2. two\n\n- dot\n\n> quoted")
    assert texts(document)[-4:] == ["1.\tone", "2.\ttwo", "\u2022\tdot", "quoted"]


def test_a_word_template_dotx_is_read_as_the_document_it_makes(tmp_path):
    dotx = tmp_path / "firm.dotx"
    with zipfile.ZipFile(FIRM_DOCX) as source, zipfile.ZipFile(dotx, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            out.writestr(item, data)
    document = read_template(dotx)
    assert "FIRM-MARKER" in document.sections[0].header.paragraphs[0].text
    assert str(document.styles["Heading 1"].font.color.rgb) == "7A1F5C"


# -- parts -------------------------------------------------------------------------------------


def test_built_in_cover_shows_a_png_logo_with_alt_text_and_skips_an_svg(books):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#0B3C5D").save(buffer, format="PNG")
    png = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    for uri, pictures in ((png, 1), ("data:image/svg+xml;base64,PHN2Zy8+", 0)):
        document = open_document(None, "#0B3C5D")
        built_in_cover(document, books["demo"].results, Branding("Northlight", logo_data_uri=uri))
        assert len(document.inline_shapes) == pictures
        if pictures:
            assert document.inline_shapes[0]._inline.docPr.get("descr") == "Northlight logo"
        assert "Prepared by\tNorthlight" in texts(document)


def test_markdown_lists_number_from_their_own_start():
    document = Document()
    write_markdown(document, "1. one\n2. two\n\ntext\n\n3. three\n4. four\n\n- a\n  - b")
    numbers = [p._p.pPr.numPr for p in document.paragraphs if p.style.name == "List Number"]
    first, second = (n.numId.val for n in numbers[::2])
    assert first != second  # the second list starts again
    overrides = document.part.numbering_part.element.num_having_numId(second)
    assert overrides.find(f".//{qn('w:startOverride')}").get(qn("w:val")) == "3"
    styles = [p.style.name for p in document.paragraphs]
    assert styles[-2:] == ["List Bullet", "List Bullet 2"]


def test_markdown_headings_bold_italic_and_code_stay_text():
    document = Document()
    write_markdown(document, "# Big\n\nSome *it* and **bold**\n\n```\n<b>x</b>\n```")
    big, line, code = document.paragraphs
    assert big.style.name == "Heading 2"  # Heading 1 is kept for the report's sections
    assert [(r.text, r.bold, r.italic) for r in line.runs] == [
        ("Some ", None, None),
        ("it", None, True),
        (" and ", None, None),
        ("bold", True, None),
    ]
    assert code.text == "<b>x</b>"
