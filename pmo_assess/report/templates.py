"""The package's HTML templates: one Jinja2 environment for the report's sections, the firm's
index page and the executive briefing.

The markup lives in templates (``report/assets/templates``, and ``engagement/briefing_assets``
for the briefing); the words and numbers are worked out in Python and passed in as plain values
(strings, numbers, lists, dicts). Autoescape is on and an undefined name is an error. Every
``{{ value }}`` is escaped as :func:`pmo_assess.report.markup.esc` always escaped it
(``html.escape`` with quotes, ``None`` as nothing), so the pages are byte for byte what the
f-strings that built them before made; only markup the package built itself (``Markup``, such as
a section rendered by another template) passes unchanged.

A template whose first line starts ``{#- compact`` is laid out for reading only: each line break
in its text, and the indentation after it, is left out of the output, so a report section is one
line of HTML as before. Text that needs a space stays on one line.

The environment and the compiled templates are made once per process and kept.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2
from jinja2.ext import Extension
from markupsafe import Markup

from pmo_assess.core.paths import PACKAGE_DIR
from pmo_assess.report.markup import esc

TEMPLATE_DIRS = (
    PACKAGE_DIR / "report" / "assets" / "templates",
    PACKAGE_DIR / "engagement" / "briefing_assets",
)
COMPACT = "{#- compact"
_JINJA_TAGS = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
_LINE_BREAK = re.compile(r"\n[ \t]*")


class CompactLayout(Extension):
    """Drops the line breaks (and the indentation after them) from the text of a template that
    starts with ``{#- compact``; the Jinja tags themselves are left as they are."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if not source.startswith(COMPACT):
            return source
        parts = _JINJA_TAGS.split(source)
        return "".join(part if i % 2 else _LINE_BREAK.sub("", part) for i, part in enumerate(parts))


def _escaped(value: Any) -> Any:
    """What ``{{ value }}`` prints: markup the package built as it is, anything else escaped."""
    return value if hasattr(value, "__html__") else Markup(esc(value))


@cache
def environment() -> jinja2.Environment:
    """The shared environment: autoescape on, strict about undefined names, no reloading."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(path) for path in TEMPLATE_DIRS], encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_escaped,
        extensions=[CompactLayout],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


@cache
def template(name: str) -> jinja2.Template:
    """A compiled template, by file name."""
    return environment().get_template(name)


def render(name: str, /, **data: Any) -> str:
    """The template ``name`` filled with ``data``: HTML as a plain string (wrap it in ``Markup``
    to pass it into another template unescaped)."""
    return template(name).render(**data)
