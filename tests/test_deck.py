"""The PowerPoint deck, read back with python-pptx: its slides say what the report's content
says, its native charts hold the numbers of ``results.json``, every slide has notes, a source
line and a number, a firm's template is used as it is, and nothing overflows a slide.

One store is built once for the module: the demo programme's first two clients (each deck
must name its own client and not the other) and the engagements of ``report_shapes``. The firm template is
``tests/data/firm.pptx``, written by ``scripts/make_test_templates.py``.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Pt
from report_shapes import SHAPES, build_shape

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.paths import QUESTIONNAIRE_FILE
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results, questionnaire_file
from pmo_assess.model.commentary import CommentaryPiece
from pmo_assess.report.content import Table, report_content
from pmo_assess.report.deck import DEFAULT_LAYOUT_NAMES, write_deck
from pmo_assess.report.deck.fit import fit_table, text_height
from pmo_assess.report.deck.layouts import Rect
from pmo_assess.report.deck.pages import TITLE_SIZES, Canvas
from pmo_assess.report.sections import ReportBook
from pmo_assess.store.repository import Store

FIRM = Path(__file__).parent / "data" / "firm.pptx"
FIRM_LAYOUTS = {"Firm Cover", "Firm Text", "Firm Headline"}
DEMO = "quellbach-prazision"
CONTINUED = " (continued)"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """results.json (with its questionnaire beside it) of two demo clients and every shape."""
    root = tmp_path_factory.mktemp("deck")
    found: dict[str, Path] = {}
    with Store.open(workspace=root / "ws") as store:
        shapes = {shape: build_shape(store, shape) for shape in SHAPES}
        build_demo_workspace(store, clients=2)
        demo = {c.slug: c.slug for c in store.clients() if c.slug not in shapes.values()}
        slugs = {**demo, **shapes}
        for name, slug in slugs.items():
            folder = root / name
            folder.mkdir()
            (folder / "results.json").write_text(build_results(store, slug).to_json(), "utf-8")
            shutil.copyfile(questionnaire_file(store, slug), folder / QUESTIONNAIRE_FILE)
            found[name] = folder / "results.json"
    return found


class Decks:
    """Each client's deck in the built-in template (and the demo client's in the firm's, as
    ``firm``), written when first asked for, so that a test worker writes only those it reads."""

    def __init__(self, books: dict[str, Path], folder: Path) -> None:
        self.books, self.folder, self.written = books, folder, {}

    def __getitem__(self, name: str) -> Path:
        if name not in self.written:
            book = ReportBook.load(self.books[DEMO if name == "firm" else name])
            template = FIRM if name == "firm" else None
            self.written[name] = write_deck(book, self.folder / f"{name}.pptx", template=template)
        return self.written[name]

    def items(self) -> list[tuple[str, Path]]:
        return [(name, self[name]) for name in [*self.books, "firm"]]


@pytest.fixture(scope="module")
def decks(books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Decks:
    return Decks(books, tmp_path_factory.mktemp("decks"))


def titles(prs: Any) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in prs.slides]


def charts(prs: Any) -> list[Any]:
    return [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]


def expected_titles(results: dict[str, Any], questionnaire: Any) -> list[str]:
    """The deck's titles worked out from the report's content, one per slide before tables
    continue: title, summary, scorecard, radar, gaps, questions to discuss, roles, peers,
    trend, roadmap (Gantt and table), next steps, appendix."""
    sections = {s.key: s for s in report_content(results, questionnaire)}
    exhibits = {e.kind: e.title for s in sections.values() for e in s.exhibits}
    found = [
        results["questionnaire"]["title"],
        sections["summary"].title,
        sections["scorecard"].title,
    ]
    targets_missed = any(g["gap"] for g in results["gaps"] if g["target"] is not None)
    found += [exhibits["radar"]] if "radar" in exhibits else []
    found += [exhibits["gap"]] if targets_missed else []
    found += (
        [exhibits.get("agreement", sections["agreement"].title)] if results["disagreements"] else []
    )
    found += [exhibits["roles"]] if "roles" in exhibits else []
    found += [exhibits["peers"]] if "peers" in exhibits else []
    found += [exhibits["trend"]] if "trend" in exhibits else []
    found += [exhibits["roadmap"]] * 2 if "roadmap" in exhibits else []
    respondents = next(p for p in sections["method"].parts if p.heading == "Respondents")
    appendix = respondents.paragraphs[0].split(". ")[0].rstrip(".")
    return [*found, sections["frame"].title, appendix]


def without_continuations(found: list[str]) -> list[str]:
    return [t for t in found if not t.endswith(CONTINUED)]


@pytest.mark.parametrize("name", [DEMO, "larkspur-mutual-assurance", *SHAPES])
def test_slide_titles_are_the_contents_titles(books, decks, name):
    book = ReportBook.load(books[name])
    shown = titles(Presentation(str(decks[name])))
    assert without_continuations(shown) == expected_titles(book.results, book.questionnaire)
    for title in shown:  # a continued title continues the slide before it
        if title.endswith(CONTINUED):
            assert shown[shown.index(title) - 1].removesuffix(CONTINUED) == title.removesuffix(
                CONTINUED
            )


def test_charts_hold_the_numbers_of_the_results(books, decks):
    results = json.loads(books[DEMO].read_text("utf-8"))
    found = {chart.chart_type: chart for chart in charts(Presentation(str(decks[DEMO])))}
    dims = results["assessment"]["dimensions"]
    radar = found[XL_CHART_TYPE.RADAR_MARKERS].plots[0]
    assert list(radar.categories) == [d["title"] for d in dims]
    client, target, peers = radar.series
    assert list(client.values) == pytest.approx([d["score"] for d in dims], rel=1e-12)
    assert list(target.values) == [d["target"] for d in dims]
    medians = results["benchmark"]["dimensions"]
    assert list(peers.values) == pytest.approx([medians[d["id"]]["median"] for d in dims])
    trend = found[XL_CHART_TYPE.LINE_MARKERS].plots[0]
    assert list(trend.categories) == [t["wave"] for t in results["trend"]]
    overall = next(s for s in trend.series if s.name == "Overall")
    assert list(overall.values) == pytest.approx([t["overall"] for t in results["trend"]])


def test_gap_and_role_bars_hold_the_gaps_and_role_scores(books, decks):
    results = json.loads(books[DEMO].read_text("utf-8"))
    bars = [
        c
        for c in charts(Presentation(str(decks[DEMO])))
        if c.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    ]
    gap = next(c for c in bars if c.plots[0].series[0].name == "Gap to target").plots[0]
    gaps = [g for g in results["gaps"] if g["target"] is not None]  # in priority order
    assert list(gap.categories) == [g["title"] for g in gaps]
    assert list(gap.series[0].values) == [g["gap"] for g in gaps]
    roles = next(c for c in bars if c.plots[0].series[0].name == "Executives").plots[0]
    rows = {r["title"]: r["scores"] for r in results["roles"]}
    for series, role in zip(roles.series, ("executive", "pmo", "project-manager"), strict=True):
        expected = [rows[title].get(role) for title in roles.categories]
        assert list(series.values) == pytest.approx(expected)


def test_peer_and_gantt_bars_hold_the_benchmark_and_the_weeks(books, decks):
    results = json.loads(books[DEMO].read_text("utf-8"))
    found = charts(Presentation(str(decks[DEMO])))
    bars = [c for c in found if c.chart_type == XL_CHART_TYPE.BAR_CLUSTERED]
    peers = next(c for c in bars if c.plots[0].series[-1].name.startswith("Peer median")).plots[0]
    benchmark = results["benchmark"]
    positions = {"Overall": benchmark["overall"]} | {
        d["title"]: benchmark["dimensions"][d["id"]] for d in results["assessment"]["dimensions"]
    }
    client, median = peers.series
    assert list(client.values) == pytest.approx([positions[t]["score"] for t in peers.categories])
    assert list(median.values) == pytest.approx([positions[t]["median"] for t in peers.categories])
    gantt = next(c for c in found if c.chart_type == XL_CHART_TYPE.BAR_STACKED).plots[0]
    items = {f"{i['order']}. {i['title']}": i for i in results["roadmap"]["items"]}
    start, weeks = gantt.series
    assert list(start.values) == [items[c]["start_week"] for c in gantt.categories]
    assert list(weeks.values) == [
        items[c]["end_week"] - items[c]["start_week"] for c in gantt.categories
    ]


def test_every_slide_has_notes_a_source_line_and_its_number(decks):
    for name, path in decks.items():
        for number, slide in enumerate(Presentation(str(path)).slides, start=1):
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), (
                name,
                number,
            )
            if number == 1:
                continue  # the title slide
            sources = [s for s in slide.shapes if s.name == "Source"]
            assert sources and sources[0].text_frame.text.startswith("Source:"), (name, number)
            fields = slide.shapes._spTree.xpath(".//a:fld[@type='slidenum']/a:t/text()")
            assert fields == [str(number)], (name, number)


#: The order ``a:pPr``'s children must come in (ECMA-376), which PowerPoint checks on opening.
PARAGRAPH_PROPERTIES = [
    "lnSpc",
    "spcBef",
    "spcAft",
    "buClrTx",
    "buClr",
    "buSzTx",
    "buSzPct",
    "buSzPts",
    "buFontTx",
    "buFont",
    "buNone",
    "buAutoNum",
    "buChar",
    "buBlip",
    "tabLst",
    "defRPr",
    "extLst",
]


def test_paragraphs_keep_the_schemas_element_order(decks):
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for name in (DEMO, "firm"):
        for slide in Presentation(str(decks[name])).slides:
            for p_pr in slide.shapes._spTree.iter(f"{a}pPr"):
                tags = [child.tag.removeprefix(a) for child in p_pr]
                assert tags == sorted(tags, key=PARAGRAPH_PROPERTIES.index), tags
            for p in slide.shapes._spTree.iter(f"{a}p"):
                tags = [child.tag.removeprefix(a) for child in p]
                assert "pPr" not in tags[1:] and "endParaRPr" not in tags[:-1], tags


def test_a_firms_template_supplies_master_layouts_and_theme(decks):
    prs = Presentation(str(decks["firm"]))
    assert "Firm marker" in [shape.name for shape in prs.slide_masters[0].shapes]
    assert {slide.slide_layout.name for slide in prs.slides} == FIRM_LAYOUTS
    assert "Example slide of the firm's template, to be left out" not in titles(prs)
    assert prs.slide_width == Presentation(str(FIRM)).slide_width  # 4:3, as the template is
    theme = (
        prs.slide_masters[0]
        .part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
        )
        .blob
    )
    assert b'<a:latin typeface="Georgia"' in theme and b"7A1F5C" in theme


def test_no_font_or_colour_is_forced_on_a_firms_text(decks):
    """Only sizes (fitting) and bold (emphasis) are set on runs over a firm's template."""
    for part in zipfile.ZipFile(decks["firm"]).namelist():
        if part.startswith("ppt/slides/slide"):
            xml = zipfile.ZipFile(decks["firm"]).read(part).decode()
            assert "<a:latin" not in xml and "srgbClr" not in xml, part


def test_a_missing_template_is_refused_with_the_fix(books, tmp_path):
    book = ReportBook.load(books["samm"])
    with pytest.raises(PmoAssessError, match=r"Deck template not found or not a \.pptx file"):
        write_deck(book, tmp_path / "deck.pptx", template=tmp_path / "firm.potx")


def test_the_files_properties_name_the_client_not_the_template(decks):
    props = Presentation(str(decks["firm"])).core_properties
    assert props.title == "PMO Maturity Assessment: Quellbach Präzision (fictional)"
    assert props.author == "Maturity Assessment" and props.revision == 1


def test_layout_names_override_the_placeholder_search(books, tmp_path):
    book = ReportBook.load(books["samm"])
    deck = write_deck(
        book, tmp_path / "deck.pptx", template=FIRM, layout_names={"title_only": "Firm Text"}
    )
    used = {slide.slide_layout.name for slide in Presentation(str(deck)).slides}
    assert used == {"Firm Cover", "Firm Text"}
    with pytest.raises(
        PmoAssessError,
        match=re.escape("no layout named 'Title Slide'. Layouts in it: 'Firm Cover'"),
    ):
        write_deck(book, tmp_path / "deck.pptx", template=FIRM, layout_names=DEFAULT_LAYOUT_NAMES)


def deck_text(path: Path) -> str:
    """Every XML part of a deck, the workbooks embedded in its charts included."""
    texts = []
    with zipfile.ZipFile(path) as deck:
        for name in deck.namelist():
            data = deck.read(name)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as book:
                    texts += [book.read(n).decode("utf-8", "replace") for n in book.namelist()]
            elif name.endswith((".xml", ".rels")):
                texts.append(data.decode("utf-8"))
    return "\n".join(texts)


def test_no_other_clients_name_appears_in_a_deck(books, decks):
    names = {n: json.loads(p.read_text("utf-8"))["client"]["name"] for n, p in books.items()}
    for name in ("quellbach-prazision", "larkspur-mutual-assurance"):
        text = deck_text(decks[name])
        assert names[name] in text
        others = [other for key, other in names.items() if key != name and other in text]
        assert others == [], name


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_writes_a_deck_with_what_it_has_to_say(books, decks, shape):
    prs = Presentation(str(decks[shape]))
    results = json.loads(books[shape].read_text("utf-8"))
    series = {s.name for chart in charts(prs) for s in chart.plots[0].series}
    kinds = {chart.chart_type for chart in charts(prs)}
    assert (XL_CHART_TYPE.LINE_MARKERS in kinds) == (len(results["trend"]) >= 2)
    assert any(name.startswith("Peer median") for name in series) == bool(
        (results["benchmark"] or {}).get("available")
    )
    assert (len(results["respondents"]["by_role"]) >= 2) == ("Executives" in series)
    text = deck_text(decks[shape])
    # SAMM's lowest level is called "None": its name in a cell or a list of levels is no slip
    text = re.sub(r">None<|\bNone(?= of| \(from| from)", "", text)
    assert not re.search(r"\bNone\b|\bnan\b|\bNaN\b|Traceback", text)


def test_titles_are_fitted_within_the_limits(decks):
    for _, path in decks.items():
        for slide in list(Presentation(str(path)).slides)[1:]:
            run = slide.shapes.title.text_frame.paragraphs[0].runs[0]
            assert Pt(TITLE_SIZES[1]) <= run.font.size <= Pt(TITLE_SIZES[0])


def test_a_long_title_is_set_smaller_and_still_fits():
    box = Rect(0, 0, 12 * 914400, int(1.15 * 914400))  # the built-in title box, in EMU
    short, long = (
        "Governance is lowest at 2.1",
        "Status and Risk Reporting has the largest gap " * 4,
    )
    canvas = Canvas(layouts={})
    assert canvas.title_size(short, box) == TITLE_SIZES[0]
    size = canvas.title_size(long, box)
    assert TITLE_SIZES[1] <= size < TITLE_SIZES[0]
    # 12 in less the 0.2 in margins is 849.6 points wide, 1.05 in high is 75.6 points
    assert text_height(long, size, 849.6) <= 75.6


def test_a_table_of_40_rows_continues_with_its_header(tmp_path):
    rows = tuple(
        (f"Action {i} with a title long enough to wrap once or twice", "S", f"{i} wk")
        for i in range(40)
    )
    fit = fit_table(("Action", "Effort", "Duration"), rows, 600, 300)
    assert len(fit.pages) > 1 and [i for page in fit.pages for i in page] == list(range(40))
    for page in fit.pages:
        assert fit.header_height + sum(fit.row_heights[i] for i in page) <= 300
    assert Table(("a",), (), (False,)).caption == ""


def test_no_table_runs_off_its_slide(decks):
    for name, path in decks.items():
        prs = Presentation(str(path))
        for number, slide in enumerate(prs.slides, start=1):
            source = next((s for s in slide.shapes if s.name == "Source"), None)
            for shape in slide.shapes:
                if shape.has_table:
                    bottom = shape.top + sum(row.height for row in shape.table.rows)
                    assert bottom <= (source.top if source else prs.slide_height), (name, number)
                    if number > 1 and titles(prs)[number - 1].endswith(CONTINUED):
                        header = [c.text for c in shape.table.rows[0].cells]
                        first = next(s for s in prev_tables(prs, number)).table.rows[0].cells
                        assert header == [c.text for c in first]


def prev_tables(prs: Any, number: int) -> Any:
    return (s for s in list(prs.slides)[number - 2].shapes if s.has_table)


def test_commentary_goes_to_the_notes_of_its_sections_slide(books, tmp_path):
    book = ReportBook.load(books[DEMO])
    pieces = [
        CommentaryPiece("peers", "Peers **matter** here."),
        CommentaryPiece("questions", "Ask the PMO."),
    ]
    prs = Presentation(str(write_deck(book, tmp_path / "deck.pptx", commentary=pieces)))
    notes = {
        s.shapes.title.text_frame.text: s.notes_slide.notes_text_frame.text for s in prs.slides
    }
    exhibits = {
        e.kind: e.title
        for s in report_content(book.results, book.questionnaire)
        for e in s.exhibits
    }
    assert "Peers **matter** here." in notes[exhibits["peers"]]
    # the question detail has no slide: its commentary joins the slide before it (the gaps)
    assert "Ask the PMO." in notes[exhibits["gap"]]
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]  # written in one rename
