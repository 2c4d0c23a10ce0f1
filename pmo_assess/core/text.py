"""Decode text files as spreadsheets and survey tools write them: UTF-8 (with or without BOM),
UTF-16 (with BOM), or Windows-1252 as Excel saves "CSV" on Western-European Windows."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode bytes, returning ``(text, encoding)``; cp1252 is the last resort.

    >>> decode_text("Don’t know".encode("cp1252"))
    ('Don’t know', 'cp1252')
    >>> decode_text(codecs.BOM_UTF8 + b"a,b")
    ('a,b', 'utf-8-sig')
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    if raw.startswith(codecs.BOM_UTF8):
        return raw.decode("utf-8-sig"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def read_text(path: str | Path) -> str:
    """Read a text file whatever its encoding, with a clear error when it does not exist."""
    path = Path(path)
    if not path.is_file():
        raise PmoAssessError(f"File not found: {path}")
    try:
        return decode_text(path.read_bytes())[0]
    except OSError as exc:
        raise PmoAssessError(f"Cannot read {path}: {exc.strerror}") from None


def normalise_text(text: str) -> str:
    """Text folded for matching: case, spacing, curly quotes and trailing punctuation ignored.

    >>> normalise_text("  Don’t   KNOW. ")
    "don't know"
    """
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )
    return re.sub(r"\s+", " ", text).strip().rstrip(".?!:").strip().casefold()
