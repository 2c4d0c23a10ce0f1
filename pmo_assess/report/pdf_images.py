"""Chart pictures into the PDF as they are, not decoded and compressed a second time.

A PDF stores a PNG's pixels as a Flate stream with PNG predictors: exactly the bytes of the PNG's
``IDAT`` chunks. WeasyPrint (70) gets them by decoding every PNG and encoding it again with
Pillow, then keeping the new ``IDAT`` chunks. For the report's eight 200-dpi charts that is about
0.25 s of the PDF's 1.6 s per client (``bench/README.md``), spent to rebuild bytes the chart
already holds.

:func:`install` wraps WeasyPrint's ``RasterImage._get_png_data`` so that a PNG read straight from
its file, 8 bits per channel, RGB or grey, not interlaced, gives its own ``IDAT`` bytes. Anything
else (a palette, 16 bits, transparency, interlacing, a picture WeasyPrint had to convert) goes
through WeasyPrint's own code, unchanged. Without that private method (another WeasyPrint) the
PDF is written the usual way.
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG colour types whose IDAT bytes a PDF reads as they are: grey (0) and RGB (2).
_PLAIN_COLOUR_TYPES = {0: "L", 2: "RGB"}


def png_idat(data: bytes, mode: str) -> bytes | None:
    """The ``IDAT`` bytes of the PNG file ``data`` when a PDF can use them as they are for a
    picture of Pillow mode ``mode``; None when it cannot.

    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (2, 2), "white").save(buffer, format="png")
    >>> import zlib
    >>> len(zlib.decompress(png_idat(buffer.getvalue(), "RGB")))  # per row: a filter byte, 2 pixels
    14
    >>> png_idat(buffer.getvalue(), "RGBA") is None
    True
    """
    if not data.startswith(PNG_SIGNATURE) or len(data) < 33:
        return None
    length, kind = struct.unpack("!I4s", data[8:16])
    if kind != b"IHDR" or length != 13:
        return None
    depth, colour, _, _, interlace = data[24:29]
    if depth != 8 or interlace != 0 or _PLAIN_COLOUR_TYPES.get(colour) != mode:
        return None
    chunks, position = [], 8
    while position + 8 <= len(data):
        length, kind = struct.unpack("!I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IDAT":
            chunks.append(body)
        elif kind == b"tRNS":  # a transparent colour: WeasyPrint makes a mask of it
            return None
        elif kind == b"IEND":
            break
        position += 12 + length
    return b"".join(chunks) or None


def _original_bytes(pillow_image: Any) -> bytes | None:
    """The file a Pillow image was opened from, when it was opened from bytes in memory and not
    converted since (a converted image has no file, nor a format)."""
    source = getattr(pillow_image, "fp", None)
    if getattr(pillow_image, "format", None) != "PNG" or not isinstance(source, io.BytesIO):
        return None
    return source.getvalue()


def _passing_through(encode: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
    def png_data(pillow_image: Any) -> bytes:
        data = _original_bytes(pillow_image)
        idat = png_idat(data, pillow_image.mode) if data is not None else None
        return idat if idat is not None else encode(pillow_image)

    png_data.passes_through = True  # type: ignore[attr-defined]
    return png_data


def install() -> bool:
    """Make WeasyPrint keep the ``IDAT`` bytes of plain PNGs (once per process); False when
    this WeasyPrint has no such step to replace."""
    from weasyprint import images

    raster = getattr(images, "RasterImage", None)
    encode = getattr(raster, "_get_png_data", None)
    if raster is None or encode is None:
        logger.info("WeasyPrint has no RasterImage._get_png_data; PNGs are encoded again.")
        return False
    if not getattr(encode, "passes_through", False):
        raster._get_png_data = staticmethod(_passing_through(encode))
    return True
