"""Decode text files as spreadsheets and survey tools write them: UTF-8 (with or without BOM),
UTF-16 (with BOM), or Windows-1252 as Excel saves "CSV" on Western-European Windows."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError

#: C0 control characters other than tab, line feed and carriage return, and DEL: nothing a
#: person types, and XML (so XLSX) cannot hold most of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Three or more non-ASCII characters in a row: what CJK text read as Windows-1252 looks like
#: ("ƒeƒXƒg"); Western-European words have at most two ("Größe").
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_GARBLED = re.compile(r"[^\x00-\x7f]{3,}")


def decode_text(raw: bytes, name: str = "the file") -> tuple[str, str]:
    """Decode bytes, returning ``(text, encoding)``; cp1252 is the last resort, refused when the
    text it gives looks garbled (a Shift-JIS, GB18030 or EUC-KR file read as cp1252).

    >>> decode_text("Don’t know".encode("cp1252"))
    ('Don’t know', 'cp1252')
    >>> decode_text(codecs.BOM_UTF8 + b"a,b")
    ('a,b', 'utf-8-sig')
    """
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16"), "utf-16"
        if raw.startswith(codecs.BOM_UTF8):
            return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:  # a byte-order mark, then bytes that do not follow it
        raise PmoAssessError(
            f"{name} starts with a {exc.encoding.upper()} byte-order mark but is not "
            f"{exc.encoding.upper()} text; save it again as UTF-8 and use that."
        ) from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    garbled = _GARBLED.findall(text)
    if "\ufffd" in text or sum(map(len, garbled)) * 2 > len(_NON_ASCII.findall(text)):
        shown = (garbled or ["\ufffd"])[0][:12]
        raise PmoAssessError(
            f"{name} is not UTF-8, UTF-16 or Windows-1252 (read as Windows-1252 it is garbled, "
            f"e.g. '{shown}'); save it as UTF-8 (Excel: CSV UTF-8) and use that."
        )
    return text, "cp1252"


def read_text(path: str | Path) -> str:
    """Read a text file whatever its encoding, with a clear error when it does not exist."""
    path = Path(path)
    if not path.is_file():
        raise PmoAssessError(f"File not found: {path}")
    try:
        return decode_text(path.read_bytes(), str(path))[0]
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


def without_control(text: str) -> tuple[str, int]:
    """Text without control characters (tab and line breaks kept), and how many were removed.

    >>> without_control("late\\x00 but\\x0b done\\tok\\n")
    ('late but done\\tok\\n', 2)
    """
    return _CONTROL.subn("", text)
