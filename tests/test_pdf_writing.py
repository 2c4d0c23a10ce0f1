"""What the PDF writer skips without changing the PDF: it keeps a plain PNG's IDAT bytes instead of
re-encoding them (every picture still shows the pixels of its file, whatever the PNG's kind), and
it parses the report's stylesheet once per process (every page the same)."""

from __future__ import annotations

import base64
import io
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from pmo_assess.report import pdf_images
from pmo_assess.report.guard import write_report_pdf


def _png(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="png", **options)
    return buffer.getvalue()


def _pdf_picture(png: bytes, tmp_path) -> tuple[Image.Image, bytes]:
    """The one picture of a PDF page showing ``png``, and the raw bytes of its stream."""
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    html = f'<html><body><img src="{uri}" style="width: 4cm"></body></html>'
    target = tmp_path / "picture.pdf"
    write_report_pdf(html, target, tmp_path)
    page = PdfReader(target).pages[0]
    (picture,) = page.images
    stream = page["/Resources"]["/XObject"].get_object()
    (xobject,) = [v.get_object() for v in stream.values()]
    return picture.image, xobject._data


def test_a_plain_chart_png_goes_into_the_pdf_byte_for_byte(tmp_path):
    pixels = np.zeros((30, 40, 3), dtype=np.uint8)
    pixels[:, :20] = (31, 78, 121)  # the brand blue beside white, as a chart has it
    pixels[:, 20:] = 255
    png = _png(Image.fromarray(pixels), compress_level=3)
    shown, stream = _pdf_picture(png, tmp_path)
    assert stream == pdf_images.png_idat(png, "RGB"), "the chart's own IDAT, not a new encoding"
    assert (np.asarray(shown.convert("RGB")) == pixels).all()


@pytest.mark.parametrize(
    ("mode", "options"),
    [("RGBA", {}), ("P", {}), ("L", {}), ("RGB", {"transparency": (0, 0, 0)})],
)
def test_other_pngs_are_left_to_weasyprint_and_still_show_their_pixels(mode, options, tmp_path):
    rng = np.random.default_rng(7)
    base = Image.fromarray(rng.integers(0, 255, (12, 9, 3), dtype=np.uint8))
    png = _png(base.convert(mode), **options)
    shown, _ = _pdf_picture(png, tmp_path)
    expected = Image.open(io.BytesIO(png))
    compare = "L" if mode == "L" else "RGB"
    assert np.array_equal(np.asarray(shown.convert(compare)), np.asarray(expected.convert(compare)))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    width=st.integers(1, 40),
    height=st.integers(1, 40),
    grey=st.booleans(),
    level=st.integers(0, 9),
    seed=st.integers(0, 2**16),
)
def test_idat_bytes_are_the_pixels_with_png_row_filters(width, height, grey, level, seed):
    rng = np.random.default_rng(seed)
    shape = (height, width) if grey else (height, width, 3)
    pixels = rng.integers(0, 255, shape, dtype=np.uint8)
    png = _png(Image.fromarray(pixels), compress_level=level)
    idat = pdf_images.png_idat(png, "L" if grey else "RGB")
    assert idat is not None
    rows = zlib.decompress(idat)
    # one filter byte per row, then the row: what a PDF's PNG predictor expects
    assert len(rows) == height * (1 + width * (1 if grey else 3))
    assert pdf_images.png_idat(png, "RGB" if grey else "L") is None, "a mode it is not"


def test_sixteen_bits_and_interlacing_are_not_passed_through():
    grey = Image.new("L", (3, 2), 90)
    assert pdf_images.png_idat(_png(grey.convert("I;16")), "L") is None
    plain = _png(grey)
    # Pillow writes no interlaced PNG: mark the header as one (png_idat reads no pixels)
    interlaced = plain[:28] + b"\x01" + plain[29:]
    assert pdf_images.png_idat(interlaced, "L") is None
    assert pdf_images.png_idat(_png(grey), "L") is not None


def test_install_is_idempotent():
    from weasyprint import images

    assert pdf_images.install() and pdf_images.install()
    wrapped = images.RasterImage._get_png_data
    assert getattr(wrapped, "passes_through", False)
    assert pdf_images.install() and images.RasterImage._get_png_data is wrapped


def test_the_report_stylesheet_is_parsed_once_and_pages_look_the_same(tmp_path, monkeypatch):
    import weasyprint
    from pypdf import PdfReader

    from pmo_assess.report import guard
    from pmo_assess.report.branding import Branding
    from pmo_assess.report.render import stylesheet

    css = stylesheet(Branding(primary="#7A1F5C"))
    body = "".join(
        f"<h2>Section {n}</h2><table><tr><th>Dimension</th><td class='num'>3.{n}</td></tr></table>"
        for n in range(40)
    )
    html = f"<html><head><style>{css}</style></head><body>{body}</body></html>"
    plain, reused = tmp_path / "plain.pdf", tmp_path / "reused.pdf"
    guard.write_report_pdf(html, plain, tmp_path)
    parsed: list[str] = []
    real_css = weasyprint.CSS
    monkeypatch.setattr(weasyprint, "CSS", lambda **kw: parsed.append("css") or real_css(**kw))
    guard._parsed_stylesheet.cache_clear()
    for _ in range(2):
        guard.write_report_pdf(html, reused, tmp_path, css)
    assert parsed == ["css"], "parsed once for both PDFs"
    first, second = PdfReader(plain), PdfReader(reused)
    assert len(first.pages) == len(second.pages) > 1
    for a, b in zip(first.pages, second.pages, strict=True):
        assert a.extract_text() == b.extract_text()
    fonts = {str(f) for page in second.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts, "the embedded Lato fonts are used"
