"""The consultant's commentary (Markdown) as Word paragraphs.

Commentary is untrusted text: it is parsed, never run, and nothing in it is fetched or read.
Headings, paragraphs, bold, italic, bulleted and numbered lists become their Word equivalents;
a link becomes its text with its address in brackets after it (an address that is also the
link's text is written once); an image becomes a note naming its description and address,
never a picture; HTML, code and anything else is written as the plain text it is.

The parser is mistune's, the one nbconvert uses for the same commentary in the HTML report, so
both read a piece alike.

>>> from docx import Document
>>> document = Document()
>>> write_markdown(document, "Read **this** [guide](https://example.org) <b>now</b>")
>>> document.paragraphs[-1].text
'Read this guide (https://example.org) <b>now</b>'
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, cast

import mistune
from docx.document import Document
from docx.text.paragraph import Paragraph

from pmo_assess.report.document.fields import xml_safe
from pmo_assess.report.document.numbering import WordList, add_item, new_list

Token = dict[str, Any]


def write_markdown(document: Document, markdown: str) -> None:
    """Append the Markdown ``markdown`` to ``document`` as paragraphs."""
    for token in _parse(markdown):
        _block(document, token)


@cache
def _parser() -> mistune.Markdown:
    # no plugins: tables, footnotes and the like stay the plain text they were typed as
    return mistune.create_markdown(renderer=None)


def _parse(markdown: str) -> list[Token]:
    return cast(list[Token], _parser()(markdown))


def _block(document: Document, token: Token, style: str | None = None) -> None:
    kind = token["type"]
    if kind == "heading":
        level = token.get("attrs", {}).get("level", 1)
        _inline(document.add_paragraph(style="Heading 2" if level <= 2 else "Heading 3"), token)
    elif kind in ("paragraph", "block_text"):
        _inline(document.add_paragraph(style=style), token)
    elif kind == "list":
        _list(document, token, depth=0)
    elif kind == "block_quote":
        for child in token.get("children", ()):
            _block(document, child, style="Quote")
    elif kind in ("block_code", "block_html"):
        _lines(document.add_paragraph(style=style), token.get("raw", ""))
    elif kind not in ("blank_line", "thematic_break"):
        _lines(document.add_paragraph(style=style), _plain(token))


def _list(document: Document, token: Token, depth: int) -> None:
    attrs = token.get("attrs", {})
    ordered = bool(attrs.get("ordered"))
    word_list = new_list(document, ordered, depth, start=int(attrs.get("start", 1)))
    for index, item in enumerate(token.get("children", ())):
        _item(document, item, word_list, index, depth)


def _item(document: Document, item: Token, word_list: WordList, index: int, depth: int) -> None:
    """One list item: its first text on the numbered line, nested lists one level in, anything
    else as paragraphs of their own."""
    paragraph = add_item(document, word_list, index)
    children = list(item.get("children", ()))
    if children and children[0]["type"] in ("block_text", "paragraph"):
        _inline(paragraph, children.pop(0))
    for child in children:
        if child["type"] == "list":
            _list(document, child, depth + 1)
        else:
            _block(document, child)


def _inline(paragraph: Paragraph, parent: Token, bold: bool = False, italic: bool = False) -> None:
    """The inline content of ``parent`` as runs of ``paragraph``."""
    for token in parent.get("children", ()):
        kind = token["type"]
        if kind in ("strong", "emphasis"):
            _inline(paragraph, token, bold or kind == "strong", italic or kind == "emphasis")
        elif kind == "link":
            _inline(paragraph, token, bold, italic)
            url = token.get("attrs", {}).get("url", "")
            if url and url != _plain(token):
                _run(paragraph, f" ({url})", bold, italic)
        elif kind == "image":
            url = token.get("attrs", {}).get("url", "")
            _run(paragraph, f"[Image not included: {_plain(token) or 'no description'}, {url}]")
        elif kind == "linebreak":
            paragraph.add_run().add_break()
        elif kind == "softbreak":
            _run(paragraph, " ", bold, italic)
        else:  # text, code, inline HTML and anything new: the characters as typed
            _run(paragraph, _plain(token), bold, italic)


def _run(paragraph: Paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    run = paragraph.add_run(xml_safe(text))
    run.bold = bold or None
    run.italic = italic or None


def _lines(paragraph: Paragraph, text: str) -> None:
    """``text`` with its line breaks kept (code, HTML), without the trailing newline."""
    for number, line in enumerate(text.rstrip("\n").split("\n")):
        run = paragraph.add_run()
        if number:
            run.add_break()
        run.add_text(xml_safe(line))


def _plain(token: Token) -> str:
    """The text of a token and everything in it, without formatting."""
    if "raw" in token:
        return str(token["raw"])
    children: Iterable[Token] = token.get("children", ())
    return "".join(_plain(child) for child in children)
