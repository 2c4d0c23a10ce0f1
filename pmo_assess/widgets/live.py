"""Showing a form so that a saved notebook, reopened before it runs, explains itself.

JupyterLab saves a form cell's output but not the form's live state; reopened, the output reads
"Error displaying widget: model not found". :func:`show_form` shows a banner ("run the notebook
to start the form") as an ordinary output before the form, and the form itself carries a style
that hides that banner while it is live. Reopened without a kernel, the style is gone with the
form and the banner is what the consultant reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import ipywidgets as widgets
from IPython.display import HTML, display

BANNER_TEXT = (
    "This form is not running. Run the notebook (Run → Run All Cells) to start it; "
    "everything saved earlier is still in the store."
)


def banner_html(key: str) -> str:
    """The banner shown before a form, found by ``key`` to hide it while the form is live."""
    return (
        f'<div class="pmo-form-banner pmo-form-banner-{key}" style="padding:6px 10px;'
        'border-left:4px solid #b54708;background:#fffaeb">'
        f"<b>Form not started.</b> {BANNER_TEXT}</div>"
    )


def live_form(form: widgets.Widget, key: str) -> widgets.VBox:
    """The form, wrapped with the style that hides its banner while it is shown live."""
    hide = widgets.HTML(f"<style>.pmo-form-banner-{key} {{ display: none; }}</style>")
    wrapper = widgets.VBox([hide, form])
    wrapper.add_class("pmo-live-form")
    return wrapper


def show_form(form: widgets.Widget) -> None:
    """Display the banner, then the form.

    Returns nothing, so a cell ending in ``show_form(...)`` shows the form once; keep the form
    in a variable first when later cells need it (``form = InterviewForm(...)``, then
    ``show_form(form)``).
    """
    key = uuid.uuid4().hex[:12]
    display(HTML(banner_html(key)))
    display(live_form(form, key))


class ShowsStoredValues:
    """For a form that fills its controls with saved values: inside ``with self._showing():``,
    ``self._loading`` is True, and its observers take no change for the user's input."""

    _loading = False

    @contextmanager
    def _showing(self) -> Iterator[None]:
        self._loading = True
        try:
            yield
        finally:
            self._loading = False
