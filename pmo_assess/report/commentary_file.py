"""The commentary file: a wave's commentary as Markdown a partner can edit outside Jupyter.

One ``## <Section title>`` heading per piece of commentary, in report order, its Markdown below
it; a second piece after the same section repeats the heading. Every section without commentary
gets an empty heading, so the file shows where commentary can go. Headings name a section by its
title or id, in any case (:data:`pmo_assess.report.anchors.ANCHORS`); commentary's own headings
are ``###`` or deeper, and ``##`` lines inside fenced code are text. An HTML comment may precede
the first heading. Empty sections add nothing.
"""

from __future__ import annotations

import difflib
import re

from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.model.commentary import Commentary, CommentaryPiece, commentary_piece
from pmo_assess.report.anchors import ANCHORS, by_title, order

_HEADING = re.compile(r" {0,3}##(?:[ \t]+(.*?))?[ \t]*#*[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EXPORTED_FOR = re.compile(r"<!-- Commentary on the report of client '(.*?)', wave '(.*?)'")


def commentary_markdown(commentary: Commentary) -> str:
    """The commentary file of ``commentary`` (see the module's notes for the format)."""
    lines = [
        f"<!-- Commentary on the report of client '{commentary.client}', wave "
        f"'{commentary.wave}' (revision {commentary.revision}). Write under the heading of the "
        "section it follows; use ### or deeper for headings of your own; repeat a heading for "
        "a second piece. -->",
        "",
    ]
    for section in ANCHORS:
        mine = [p.markdown for p in commentary.pieces if p.anchor == section.id]
        for markdown in mine or [""]:
            lines += [f"## {section.title}", "", *([markdown, ""] if markdown else [])]
    return "\n".join(lines)


def read_commentary_markdown(text: str, where: str) -> tuple[CommentaryPiece, ...]:
    """The pieces of a commentary file, in report order; every problem found is reported at
    once (``where:line``), and a file without a single section heading is refused."""
    problems: list[Problem] = []
    pieces: list[CommentaryPiece] = []
    preamble: list[str] = []
    body: list[str] | None = None  # None: before the first heading
    anchor: str | None = None  # None: under an unknown heading
    fence = ""
    for number, line in enumerate(text.splitlines(), start=1):
        fence = _next_fence(fence, line)
        heading = None if fence or _FENCE.match(line) else _HEADING.fullmatch(line)
        if heading is None:
            (preamble if body is None else body).append(line)
            continue
        if body is not None and anchor is not None:
            pieces.append(commentary_piece(anchor, "\n".join(body)))
        body, found = [], by_title(heading.group(1) or "")
        anchor = found.id if found else None
        if found is None:
            problems.append(Problem(f"{where}:{number}", _unknown(heading.group(1) or "")))
    if body is None:
        raise PmoAssessError(_no_headings(where))
    if anchor is not None:
        pieces.append(commentary_piece(anchor, "\n".join(body)))
    problems[:0] = _preamble_problems(preamble, where)
    if problems:
        raise CommentaryFileError(problems, what=where)
    kept = [p for p in pieces if p.markdown]
    return tuple(sorted(kept, key=lambda p: order(p.anchor)))  # stable: file order per section


class CommentaryFileError(ValidationError):
    """A commentary file with problems: every one, numbered, then the headings there are."""

    def report(self) -> str:
        """The problems, and the section headings a file may use."""
        titles = ", ".join(a.title for a in ANCHORS)
        return (
            f"{super().report()}\nSection headings: {titles}. Commentary's own headings start "
            "with ###. Nothing was imported."
        )


def exported_for(text: str) -> tuple[str, str] | None:
    """The client and wave an exported file's first line names, if it still does.

    >>> exported_for("<!-- Commentary on the report of client 'acme', wave '2026-Q3' (revision 2).")
    ('acme', '2026-Q3')
    """
    found = _EXPORTED_FOR.match(text.lstrip())
    return (found.group(1), found.group(2)) if found else None


def _next_fence(fence: str, line: str) -> str:
    """The code fence open after ``line`` ("" when none): Markdown's ``` and ~~~ blocks."""
    opened = _FENCE.match(line)
    if not fence:
        return opened.group(1) if opened else ""
    closes = opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence)
    return "" if closes and not line.strip().lstrip(fence[0]) else fence


def _preamble_problems(lines: list[str], where: str) -> list[Problem]:
    """Text above the first heading (other than HTML comments) belongs to no section."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), "\n".join(lines))
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            return [
                Problem(
                    f"{where}:{number}",
                    f"text before the first section heading ({line.strip()[:40]!r}); put it "
                    "under the heading of the section it follows.",
                )
            ]
    return []


def _unknown(title: str) -> str:
    titles = [a.title for a in ANCHORS]
    close = difflib.get_close_matches(title, titles, n=1, cutoff=0.6)
    hint = f"; did you mean '## {close[0]}'?" if close else "."
    return f"'## {title}' is not the heading of a report section{hint}"


def _no_headings(where: str) -> str:
    return (
        f"{where} has no section headings, so it holds no commentary. Expected '## <Section>' "
        "headings, as `pmo-assess commentary --export` writes them; to remove every piece of "
        "commentary, import a file with the headings and nothing under them."
    )
