"""Writing the deck: the slides of :mod:`pmo_assess.report.deck.slides`, laid out by
:mod:`pmo_assess.report.deck.pages`, into the firm's template or the built-in one, each with
its title, body, source line, slide number and speaker notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from pptx import Presentation as open_presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Inches, Pt

from pmo_assess.charts.style import MUTED
from pmo_assess.core.atomic import atomic_path
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.commentary import CommentaryPiece
from pmo_assess.report.content import report_content
from pmo_assess.report.deck import bodies
from pmo_assess.report.deck.fit import EMU_PER_PT, TEMPLATE_MARGIN, text_height
from pmo_assess.report.deck.house import house_presentation
from pmo_assess.report.deck.layouts import Rect, choose_layouts, placeholders
from pmo_assess.report.deck.pages import (
    COVER_SIZES,
    FIGURE_BAND,
    GAP,
    INSET_X,
    INSET_Y,
    SOURCE_BAND,
    SUBTITLE_SIZES,
    TITLE_SIZES,
    Canvas,
    Page,
    pages_of,
    pt,
    side_box,
    text_box,
)
from pmo_assess.report.deck.slides import commentary_slide, plan_deck
from pmo_assess.report.sections import ReportBook

SOURCE_SIZE = 9
CAPTION_SIZE = 12


def write_deck(
    book: ReportBook,
    target: str | Path,
    *,
    template: Path | None = None,
    layout_names: Mapping[str, str] | None = None,
    commentary: Sequence[CommentaryPiece] = (),
) -> Path:
    """Write the client's deck to ``target`` (atomically) and return its path.

    ``template`` is the firm's ``.pptx``: its master, layouts (found by their placeholders,
    or named in ``layout_names``, see :mod:`pmo_assess.report.deck.layouts`), theme colours and
    fonts are used and its own slides left out; without one, the built-in house template.
    ``commentary`` pieces go into the speaker notes of their section's first slide.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from pptx import Presentation
    >>> from pmo_assess.engagement.demo import build_demo_workspace
    >>> from pmo_assess.insight.results import build_results
    >>> from pmo_assess.store.repository import Store
    >>> with tempfile.TemporaryDirectory() as tmp, Store.open(workspace=tmp) as store:
    ...     _ = build_demo_workspace(store, clients=1)
    ...     results = Path(tmp) / "results.json"
    ...     _ = results.write_text(build_results(store, "quellbach-prazision").to_json())
    ...     deck = write_deck(ReportBook.load(results), Path(tmp) / "deck.pptx")
    ...     first = Presentation(str(deck)).slides[1].shapes.title.text_frame.text
    >>> first  # doctest: +NORMALIZE_WHITESPACE
    "Quellbach Präzision's PMO is at level 2 (Repeatable, 2.9 of 5), 0.2 below its average
    target of 3.1, and ahead of 65% of synthetic peers"
    """
    prs = _open(template, book)
    canvas = Canvas(choose_layouts(prs, layout_names), 1.0 if template is None else TEMPLATE_MARGIN)
    plans = plan_deck(book.results, report_content(book.results, book.questionnaire), book.branding)
    pages = [page for plan in plans for page in pages_of(plan, canvas)]
    pages = _with_commentary(pages, commentary)
    for number, page in enumerate(pages, start=1):
        _write(prs, canvas, page, number, book.branding.primary, styled=template is None)
    _properties(prs, book)
    with atomic_path(target) as temporary:
        prs.save(str(temporary))
    return Path(target)


def _open(template: Path | None, book: ReportBook) -> Presentation:
    if template is None:
        return house_presentation(book.branding)
    if Path(template).suffix.lower() != ".pptx" or not Path(template).is_file():
        raise PmoAssessError(
            f"Deck template not found or not a .pptx file: {template}. Give a PowerPoint "
            "file (.pptx), or no template for the built-in one."
        )
    prs = open_presentation(str(template))
    _drop_slides(prs)
    return prs


def _drop_slides(prs: Presentation) -> None:
    """Leave out the template's own example slides, and every mention of them (PowerPoint's
    sections and custom shows list slides by id, and would point at nothing)."""
    listed = prs.slides._sldIdLst
    gone = {str(slide.id) for slide in listed}
    for slide in list(listed):
        prs.part.drop_rel(slide.rId)
        listed.remove(slide)
    for element in list(prs.part._element.iter()):
        if str(element.tag).endswith("}sldId") and element.get("id") in gone:
            element.getparent().remove(element)


def _properties(prs: Presentation, book: ReportBook) -> None:
    """The file's properties say what the deck is; nothing of the template's own (its author,
    its title, perhaps another client's name) is kept."""
    props, results = prs.core_properties, book.results
    props.title = f"{results['questionnaire']['title']}: {results['client']['name']}"
    props.subject = f"Wave {results['wave']['label']}"
    props.author = props.last_modified_by = book.branding.firm_name
    props.keywords = props.comments = props.category = props.content_status = ""
    props.revision = 1


def _with_commentary(pages: list[Page], pieces: Sequence[CommentaryPiece]) -> list[Page]:
    for piece in pieces:
        index = commentary_slide([p.plan for p in pages], piece.anchor)
        added = (*pages[index].notes, f"Consultant's commentary: {piece.markdown.strip()}")
        pages[index] = replace(pages[index], notes=added)
    return pages


# --- writing ------------------------------------------------------------------------------


def _write(
    prs: Presentation, canvas: Canvas, page: Page, number: int, brand: str, *, styled: bool
) -> None:
    plan = page.plan
    layouts = canvas.layouts
    slide = prs.slides.add_slide(layouts[plan.role])
    _title(slide, page.title, canvas, COVER_SIZES if plan.role == "title" else TITLE_SIZES)
    area = canvas.area(plan.role)
    if plan.role == "title":
        _subtitle(slide, plan.subtitle, canvas)
    else:
        _body(slide, page, area, brand, styled, canvas)
        _source(slide, plan.source, area, styled)
        _number(
            slide,
            layouts[plan.role],
            number,
            (int(prs.slide_width or 0), int(prs.slide_height or 0)),
        )
    _drop_empty_placeholders(slide)
    slide.notes_slide.notes_text_frame.text = "\n\n".join((page.title, *page.notes))


def _box(shape: object) -> Rect:
    return Rect(int(shape.left), int(shape.top), int(shape.width), int(shape.height))  # type: ignore[attr-defined]


def _title(slide: Slide, text: str, canvas: Canvas, sizes: tuple[int, int]) -> None:
    shape = slide.shapes.title
    if shape is None:
        return
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE  # fitted here; the template's shrinking would add to it
    frame.text = text
    frame.paragraphs[0].runs[0].font.size = Pt(canvas.title_size(text, _box(shape), sizes))


def _subtitle(slide: Slide, text: str, canvas: Canvas) -> None:
    """The title slide's lines under the title, fitted to their placeholder."""
    for shape in placeholders(slide):
        if shape.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE:
            lines = text.split("\n")
            size = canvas.size(lines, _box(shape), SUBTITLE_SIZES) or SUBTITLE_SIZES[1]
            shape.text_frame.word_wrap = True
            shape.text_frame.auto_size = MSO_AUTO_SIZE.NONE
            shape.text_frame.text = text
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)


def _body(slide: Slide, page: Page, area: Rect, brand: str, styled: bool, canvas: Canvas) -> None:
    plan = page.plan
    if plan.table is not None and page.table_fit is not None:
        bodies.draw_table(slide, plan.table, page.rows, page.table_fit, area, styled)
    elif plan.chart is not None:
        chart_area = area
        if plan.caption:
            chart_area = _caption(slide, plan.caption, area, canvas)
        bodies.draw_chart(slide, plan.chart, chart_area, brand, styled)
    elif page.texts:
        _text(slide, page, area, brand, styled)


def _caption(slide: Slide, caption: str, area: Rect, canvas: Canvas) -> Rect:
    """A short text above a chart; returns the room left for the chart."""
    size = CAPTION_SIZE
    lines = text_height(caption, size, pt(area.width - 2 * INSET_X), margin=canvas.margin)
    height = Emu(int((lines + 0.5 * size) * EMU_PER_PT) + 2 * INSET_Y)
    box = slide.shapes.add_textbox(Emu(area.left), Emu(area.top), Emu(area.width), height)
    bodies.write_text(box.text_frame, [caption], size, bullets=False)
    return Rect(area.left, area.top + height, area.width, area.height - height)


def _text(slide: Slide, page: Page, area: Rect, brand: str, styled: bool) -> None:
    """The summary's figures, findings and priorities, or the appendix's paragraphs; the
    text goes into the layout's body placeholder, so it takes the template's text style."""
    plan = page.plan
    if plan.figures:
        band = Rect(area.left, area.top, area.width, FIGURE_BAND - GAP)
        bodies.draw_figures(slide, plan.figures, band, brand, styled)
    box = text_box(plan, area)
    body = next(
        (
            s
            for s in placeholders(slide)
            if s.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
        ),
        None,
    )
    if body is None:  # a content layout whose body is not a text placeholder
        body = slide.shapes.add_textbox(*box.box())
    body.left, body.top, body.width, body.height = box.box()
    bodies.write_text(body.text_frame, page.texts, page.text_size, bullets=bool(plan.bullets))
    if plan.side:
        beside = slide.shapes.add_textbox(*side_box(area, box).box())
        bodies.write_text(
            beside.text_frame,
            plan.side,
            page.text_size,
            bullets=False,
            numbered=True,
            heading=plan.side_heading,
        )


def _source(slide: Slide, text: str, area: Rect, styled: bool) -> None:
    if not text:
        return
    band = Rect(area.left, area.bottom + Inches(0.05), area.width, SOURCE_BAND - Inches(0.05))
    box = slide.shapes.add_textbox(*band.box())
    box.name = "Source"
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(SOURCE_SIZE)
    if styled:
        run.font.color.rgb = bodies.rgb(MUTED)


def _number(slide: Slide, layout: SlideLayout, number: int, size: tuple[int, int]) -> None:
    """The slide number, in the layout's slide-number placeholder where it has one."""
    placeholder = next(
        (
            ph
            for ph in placeholders(layout)
            if ph.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER
        ),
        None,
    )
    if placeholder is not None:
        slide.shapes.clone_placeholder(placeholder)
        frame = slide.shapes[-1].text_frame  # type: ignore[attr-defined]
    else:  # a template without one: bottom right
        width = Inches(1.0)
        box = Rect(size[0] - width - Inches(0.4), size[1] - Inches(0.5), width, Inches(0.35))
        frame = slide.shapes.add_textbox(*box.box()).text_frame
    paragraph = frame.paragraphs[0]
    field_ = paragraph._p.makeelement(
        qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", "type": "slidenum"}
    )
    text = field_.makeelement(qn("a:t"), {})
    text.text = str(number)
    field_.append(text)
    end = paragraph._p.find(qn("a:endParaRPr"))  # the paragraph's runs come before its end
    if end is None:
        paragraph._p.append(field_)
    else:
        end.addprevious(field_)


def _drop_empty_placeholders(slide: Slide) -> None:
    """Placeholders left empty (a body on a chart slide) would show "Click to add text"."""
    for shape in placeholders(slide):
        kind = shape.placeholder_format.type
        if (
            kind != PP_PLACEHOLDER.SLIDE_NUMBER
            and shape.has_text_frame
            and not shape.text_frame.text
        ):
            shape._element.getparent().remove(shape._element)
