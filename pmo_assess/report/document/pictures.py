"""The report's charts as pictures in Word: each drawn by its function in
:data:`pmo_assess.charts.exhibits.CHARTS`, in the client's brand colour, as a PNG at 200 dpi
(the HTML report's resolution), set at its drawn width or the text column's, whichever is
narrower, with its alt text.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from typing import Any

from docx.document import Document
from docx.shared import Emu, Inches, Length
from docx.text.paragraph import Paragraph
from PIL import Image

from pmo_assess.charts.exhibits import CHARTS
from pmo_assess.charts.style import figure_png_data_uri, report_style
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.report.document.fields import set_alt_text
from pmo_assess.report.sections import CHART_DPI


def chart_png(
    kind: str, results: Mapping[str, Any], questionnaire: Questionnaire, brand: str
) -> bytes | None:
    """The chart ``kind`` (a key of ``CHARTS``) as PNG bytes, or ``None`` when it has nothing
    to show for these results."""
    draw = CHARTS[kind][0]
    with report_style(brand=brand):
        figure = draw(dict(results), questionnaire)
        if figure is None:
            return None
        uri = figure_png_data_uri(figure, dpi=CHART_DPI)
    return base64.b64decode(uri.split(",", 1)[1])


def add_picture(document: Document, png: bytes, alt: str, column: Length) -> Paragraph:
    """A paragraph holding the picture ``png``, no wider than ``column``, with ``alt`` as its
    alt text; it stays on the page of what follows (the source line)."""
    with Image.open(io.BytesIO(png)) as image:
        drawn = Inches(image.width / CHART_DPI)
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    picture = paragraph.add_run().add_picture(io.BytesIO(png), width=Emu(min(drawn, column)))
    set_alt_text(picture, alt)
    return paragraph
