"""What a rendered report may carry and what its PDF may load.

A kept ``report.ipynb`` can be edited by anyone who has the folder, so the page made from it is
untrusted: :func:`script_in` finds real script in it (a ``script`` element, an event-handler
attribute, a ``javascript:`` address, an HTML document in a ``data:`` address), never words
that merely look like it. WeasyPrint fetches every address a page names and turns
``<link rel="attachment">`` into a file inside the PDF; :func:`write_report_pdf` lets it load
only ``data:`` addresses and regular files inside the report's own folder, and attaches nothing.
"""

from __future__ import annotations

import atexit
import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

# the characters browsers ignore inside a scheme ("java\tscript:", " javascript:")
_IGNORED = re.compile(r"[\x00-\x20]+")
_ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application/xhtml")


def script_in(html: str) -> str | None:
    """The first piece of script in ``html``, as found (``None`` when there is none).

    >>> script_in('<p title="x">Head of onboarding = HR</p>') is None
    True
    >>> script_in('<img src=x onerror="alert(1)">')
    'onerror="alert(1)" on <img>'
    """
    finder = _ScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.found


class _ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is None:
            self.found = _script_of(tag, attrs)


def _script_of(tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
    if tag == "script":
        return "<script>"
    for name, value in attrs:
        plain = _IGNORED.sub("", value or "").lower()
        if name.startswith("on") or plain.startswith(_ACTIVE_SCHEMES) or name == "srcdoc":
            return f'{name}="{(value or "")[:60]}" on <{tag}>'
    return None


def allowed_url(url: str, folder: Path) -> bool:
    """True for what a report's PDF may load: a ``data:`` address, or a regular file inside
    ``folder`` (after links are followed); never the network.

    >>> allowed_url("data:image/png;base64,AAAA", Path("."))
    True
    >>> allowed_url("http://127.0.0.1/x.png", Path("."))
    False
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(parts.path)).resolve()
    return path.is_relative_to(folder.resolve()) and path.is_file()


def report_url_fetcher(folder: Path) -> URLFetcher:
    """WeasyPrint's fetcher for a report in ``folder``: what :func:`allowed_url` refuses fails
    to load (WeasyPrint logs it and leaves the image or stylesheet out)."""
    from weasyprint.urls import URLFetcher

    class ReportFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not allowed_url(url, folder):
                raise ValueError(
                    f"refused to load {url[:80]!r}: a report's PDF loads only its own "
                    f"embedded data and files in {folder}"
                )
            return super().fetch(url, headers)

    return ReportFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def render_safely(html: str, folder: Path, stylesheet: str | None = None) -> Any:
    """The laid-out WeasyPrint document of ``html``, having loaded only what
    :func:`allowed_url` allows, with every attachment (``<link rel="attachment">``,
    ``<a rel="attachment">``) taken out; write it with ``write_pdf(target, attachments=[])``.

    ``stylesheet`` is our own CSS that ``html`` carries inline (the report's, with its fonts):
    it is then parsed, and its fonts loaded, once per process and stylesheet rather than once
    per page (about 0.12 s of a report's 1.4 s, the same pixels on every page).
    """
    from weasyprint import HTML

    from pmo_assess.report.pdf_images import install

    install()  # the charts' PNGs go into the PDF as they are
    options: dict[str, Any] = {}
    if stylesheet and stylesheet in html:
        parsed, fonts = _parsed_stylesheet(stylesheet)
        html = html.replace(stylesheet, "", 1)
        options = {"stylesheets": [parsed], "font_config": fonts}
    document = HTML(string=html, url_fetcher=report_url_fetcher(folder)).render(**options)
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return document


@functools.lru_cache(maxsize=2)
def _parsed_stylesheet(stylesheet: str) -> tuple[Any, Any]:
    """``stylesheet`` parsed by WeasyPrint, with the font configuration holding its fonts; it
    may load ``data:`` addresses only (its embedded fonts)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    class DataOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                raise ValueError(f"refused to load {url[:80]!r}: the report's CSS embeds its files")
            return super().fetch(url, headers)

    fonts = FontConfiguration()
    fetcher = DataOnly(allowed_protocols=("data",), allow_redirects=False)
    return CSS(string=stylesheet, font_config=fonts, url_fetcher=fetcher), fonts


# A font configuration removes its temporary font files when deleted, which at interpreter
# shutdown, with the modules it needs gone, fails and leaves them: let go of it before.
atexit.register(_parsed_stylesheet.cache_clear)


def write_report_pdf(html: str, target: Path, folder: Path, stylesheet: str | None = None) -> None:
    """Write ``html`` as a PDF to ``target`` through :func:`render_safely`."""
    render_safely(html, folder, stylesheet).write_pdf(target, attachments=[])
