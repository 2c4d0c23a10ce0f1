"""The deck's slides laid out before they are written: where a body goes on the template, the
size each text is set at, and how a long table or text continues on further slides.

Action titles are set at 28 pt, smaller for a long one, never below 18 pt. A table that does
not fit at 10 pt continues on the next slide, its title marked "(continued)" and its header
repeated. The summary's findings beyond the first three give way to the notes before its text
shrinks below 12 pt; the appendix's paragraphs continue like a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from pptx.slide import SlideLayout
from pptx.util import Inches

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.report.deck.fit import (
    EMU_PER_PT,
    TableFit,
    fit_table,
    fitting_size,
    paginate,
    text_height,
)
from pmo_assess.report.deck.layouts import Rect, body_rect, title_rect
from pmo_assess.report.deck.slides import SlidePlan

#: Sizes in points, largest first: action titles, the title slide's title and lines, the
#: summary's messages, and the appendix's paragraphs (read rather than presented).
TITLE_SIZES = (28, 18)
COVER_SIZES = (40, 24)
SUBTITLE_SIZES = (24, 12)
TEXT_SIZES = (18, 12)
PROSE_SIZES = (16, 10)
SOURCE_BAND = Inches(0.4)  # under the body: the source line
FIGURE_BAND = Inches(1.0)  # above the summary's findings: the headline figures
GAP = Inches(0.15)
INSET_X, INSET_Y = Inches(0.1), Inches(0.05)  # a text frame's default margins
BULLET_INDENT = Inches(0.4)
PARAGRAPH_GAP = 0.3  # space after a paragraph, as a share of its size
CONTINUED = " (continued)"
MIN_FINDINGS = 3  # the summary keeps at least this many findings on its slide


@dataclass(frozen=True)
class Canvas:
    """The template's layout for each role, and how much wider than DejaVu Sans its fonts are
    taken to be (:mod:`pmo_assess.report.deck.fit`)."""

    layouts: Mapping[str, SlideLayout]
    margin: float = 1.0

    def area(self, role: str) -> Rect:
        """Where a slide's body goes: the content layout's body, below this role's title, less
        the band for the source line."""
        body = body_rect(self.layouts["content"])
        title = title_rect(self.layouts[role])
        if body is None:  # choose_layouts insists on a content layout with a body
            raise PmoAssessError("The deck template's content layout has no body placeholder.")
        top = max(body.top, title.bottom + GAP) if title else body.top
        return Rect(body.left, top, body.width, body.bottom - top - SOURCE_BAND)

    def size(
        self, texts: list[str], box: Rect, sizes: tuple[int, int], gap: float = 0.0
    ) -> float | None:
        """The largest size from ``sizes`` at which ``texts`` fit in ``box`` (a text frame
        with its default margins); None when they do not fit at the smallest."""
        usable = (pt(box.width - 2 * INSET_X), pt(box.height - 2 * INSET_Y))
        return fitting_size(texts, *usable, sizes, gap=gap, margin=self.margin)

    def title_size(self, text: str, box: Rect, sizes: tuple[int, int] = TITLE_SIZES) -> float:
        """The size of a title in its box: the largest that fits, else the smallest allowed."""
        return self.size([text], box, sizes) or float(sizes[1])


@dataclass(frozen=True)
class Page:
    """One slide as written: its plan, its title (marked when it continues the one before),
    the part of a long table or text it shows, at the size fitted, and its notes."""

    plan: SlidePlan
    title: str
    rows: tuple[int, ...] = ()
    table_fit: TableFit | None = None
    texts: tuple[str, ...] = ()
    text_size: float = 0.0
    notes: tuple[str, ...] = ()


def pt(emu: int) -> float:
    """EMU in points."""
    return emu / EMU_PER_PT


def pages_of(plan: SlidePlan, canvas: Canvas) -> list[Page]:
    """A plan as one slide, or several when its table or text is too long for one."""
    area, notes = canvas.area(plan.role), tuple(n for n in plan.notes if n)
    if plan.table is not None:
        table = plan.table
        bold = [e > 0 for e in table.emphasis] if table.emphasis else ()
        fit = fit_table(
            table.headers,
            table.rows,
            pt(area.width),
            pt(area.height),
            bold=bold,
            margin=canvas.margin,
        )
        return [
            Page(plan, plan.title + (CONTINUED if i else ""), rows, fit, notes=notes)
            for i, rows in enumerate(fit.pages)
        ]
    texts = plan.bullets or plan.paragraphs
    if not texts:
        return [Page(plan, plan.title, notes=notes)]
    for candidate in _shorter(plan):
        size = _text_size(candidate, area, canvas)
        if size is not None:
            kept = candidate.bullets or candidate.paragraphs
            dropped = tuple(f"Also found: {t}" for t in texts[len(kept) :])
            return [Page(candidate, plan.title, texts=kept, text_size=size, notes=notes + dropped)]
    plan = replace(plan, figures=())
    small = float(_sizes(plan)[1])
    box = text_box(plan, area)
    width = pt(box.width - 2 * INSET_X - (BULLET_INDENT if plan.bullets else 0))
    heights = [
        text_height(t, small, width, margin=canvas.margin) * (1 + PARAGRAPH_GAP) for t in texts
    ]
    return [
        Page(
            replace(plan, side=plan.side if i == 0 else ()),
            plan.title + (CONTINUED if i else ""),
            texts=tuple(texts[j] for j in page),
            text_size=small,
            notes=notes,
        )
        for i, page in enumerate(paginate(heights, pt(box.height - 2 * INSET_Y)))
    ]


def _shorter(plan: SlidePlan) -> list[SlidePlan]:
    """A text slide, then the same with less on it: the summary's findings beyond the first
    :data:`MIN_FINDINGS` go to the notes first, then the headline figures (in the notes too)
    make room for all the findings again."""
    counts = range(len(plan.bullets), MIN_FINDINGS - 1, -1) if plan.bullets else (0,)
    shapes = [plan.figures, ()] if plan.figures else [()]
    return [replace(plan, figures=f, bullets=plan.bullets[:n]) for f in shapes for n in counts]


def _sizes(plan: SlidePlan) -> tuple[int, int]:
    return TEXT_SIZES if plan.bullets else PROSE_SIZES


def _text_size(plan: SlidePlan, area: Rect, canvas: Canvas) -> float | None:
    """The size at which a text slide's text, and the list beside it, fit; None if none does."""
    box = text_box(plan, area)
    indented = Rect(
        box.left, box.top, box.width - (BULLET_INDENT if plan.bullets else 0), box.height
    )
    size = canvas.size(list(plan.bullets or plan.paragraphs), indented, _sizes(plan), PARAGRAPH_GAP)
    if size is None or not plan.side:
        return size
    side = side_box(area, box)
    beside = canvas.size([plan.side_heading, *plan.side], side, TEXT_SIZES, PARAGRAPH_GAP)
    return None if beside is None else min(size, beside)


def text_box(plan: SlidePlan, area: Rect) -> Rect:
    """Where a text slide's main text goes: under the headline figures, beside the side list."""
    top = area.top + (FIGURE_BAND if plan.figures else 0)
    width = int(area.width * 0.62) if plan.side else area.width
    return Rect(area.left, top, width, area.bottom - top)


def side_box(area: Rect, text: Rect) -> Rect:
    """Where the list beside a text goes: the right third of the area, level with the text."""
    left = area.left + int(area.width * 0.65)
    return Rect(left, text.top, area.left + area.width - left, text.height)
