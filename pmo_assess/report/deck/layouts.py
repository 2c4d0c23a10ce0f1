"""Which of a template's slide layouts each kind of slide uses, found by its placeholders.

A deck needs three layouts, by role:

========== ================================================ =========================
role       what it holds                                    found as the first layout
========== ================================================ =========================
title      the title slide: client, assessment, wave         with a centred title and
                                                             a subtitle
content    a title and a text body (summary, next steps)     with a title and one body
                                                             or content placeholder
title_only a title over a chart or table drawn as shapes     with a title and no body
========== ================================================ =========================

A firm whose template has several layouts of one kind names the one to use, by the layout's
name as PowerPoint shows it (:data:`DEFAULT_LAYOUT_NAMES` are python-pptx's and Office's own
names)::

    write_deck(book, "deck.pptx", template=Path("firm.pptx"),
               layout_names={"content": "Firm Text", "title_only": "Firm Headline"})

A role the template has no layout for falls back to ``content`` (its body left out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation
from pptx.slide import SlideLayout
from pptx.util import Emu

from pmo_assess.core.errors import PmoAssessError

ROLES = ("title", "content", "title_only")
#: The layout names of Office's and python-pptx's default template, one per role.
DEFAULT_LAYOUT_NAMES = {
    "title": "Title Slide",
    "content": "Title and Content",
    "title_only": "Title Only",
}
_TITLES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
_BODIES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
#: Placeholders every layout may have that do not make it another kind.
_FURNITURE = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}


@dataclass(frozen=True)
class Rect:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def box(self) -> tuple[Emu, Emu, Emu, Emu]:
        """Left, top, width and height as python-pptx takes them."""
        return Emu(self.left), Emu(self.top), Emu(self.width), Emu(self.height)


def placeholders(owner: Any) -> list[Any]:
    """The placeholders of a master, layout or slide (python-pptx's own typing of its
    ``placeholders`` does not iterate under mypy)."""
    return list(owner.placeholders)


def placeholder_types(layout: SlideLayout) -> list[PP_PLACEHOLDER]:
    """The types of a layout's placeholders, the date, footer and slide number left out."""
    found = [ph.placeholder_format.type for ph in placeholders(layout)]
    return [t for t in found if t not in _FURNITURE]


def _is_title(layout: SlideLayout) -> bool:
    types = placeholder_types(layout)
    return PP_PLACEHOLDER.CENTER_TITLE in types and PP_PLACEHOLDER.SUBTITLE in types


def _is_content(layout: SlideLayout) -> bool:
    types = placeholder_types(layout)
    bodies = [t for t in types if t in _BODIES]
    return PP_PLACEHOLDER.TITLE in types and len(bodies) == 1 and len(types) == 2


def _is_title_only(layout: SlideLayout) -> bool:
    return placeholder_types(layout) == [PP_PLACEHOLDER.TITLE]


_TESTS = {"title": _is_title, "content": _is_content, "title_only": _is_title_only}


def choose_layouts(
    prs: Presentation, names: Mapping[str, str] | None = None
) -> dict[str, SlideLayout]:
    """The layout of each role: the one ``names`` gives, else the first whose placeholders fit.

    Raises :class:`PmoAssessError` for a role or a name the template does not have.

    >>> from pptx import Presentation
    >>> {role: layout.name for role, layout in choose_layouts(Presentation()).items()}
    {'title': 'Title Slide', 'content': 'Title and Content', 'title_only': 'Title Only'}
    """
    names = dict(names or {})
    unknown = sorted(set(names) - set(ROLES))
    if unknown:
        raise PmoAssessError(
            f"Unknown layout role {', '.join(map(repr, unknown))} in the layout names. "
            f"Roles: {', '.join(ROLES)}."
        )
    layouts = list(prs.slide_layouts)
    chosen: dict[str, SlideLayout] = {}
    for role in ROLES:
        if role in names:
            chosen[role] = _named(layouts, names[role])
            continue
        found = next((layout for layout in layouts if _TESTS[role](layout)), None)
        if found is not None:
            chosen[role] = found
    if "content" not in chosen:
        raise PmoAssessError(
            "The deck template has no layout with a title and one text placeholder, which the "
            "deck's text slides need. Layouts in it: "
            f"{', '.join(repr(layout.name) for layout in layouts)}; add one, or name it with "
            "layout_names={'content': '...'}."
        )
    for role in ROLES:
        chosen.setdefault(role, chosen["content"])
    return chosen


def _named(layouts: list[SlideLayout], name: str) -> SlideLayout:
    for layout in layouts:
        if layout.name == name:
            return layout
    raise PmoAssessError(
        f"The deck template has no layout named {name!r}. Layouts in it: "
        f"{', '.join(repr(layout.name) for layout in layouts)}."
    )


def placeholder_rect(layout: SlideLayout, kinds: set[PP_PLACEHOLDER]) -> Rect | None:
    """Where the layout's first placeholder of one of ``kinds`` sits (inherited from the master
    when the layout does not move it)."""
    for ph in placeholders(layout):
        if ph.placeholder_format.type in kinds:
            return Rect(int(ph.left), int(ph.top), int(ph.width), int(ph.height))
    return None


def title_rect(layout: SlideLayout) -> Rect | None:
    """Where the layout's title sits."""
    return placeholder_rect(layout, _TITLES)


def body_rect(layout: SlideLayout) -> Rect | None:
    """Where the layout's text body sits."""
    return placeholder_rect(layout, _BODIES)
