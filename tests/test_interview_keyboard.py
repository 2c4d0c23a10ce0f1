"""The interview form with the keyboard alone.

In Python: the form carries the widget that takes its keys back from JupyterLab, its shortcuts
reach controls the form has, and the form and the notebook document them. In a real JupyterLab
(Debian's headless Chromium, through Playwright): with the Dimension list focused, ArrowDown
changes the dimension and leaves the notebook's active cell where it was, and Alt+A, Alt+N and
Alt+D move the focus to the answers, the note and the dimension list. The server always stops.
"""

from __future__ import annotations

from collections.abc import Iterator

import nbformat
import pytest
from lab_server import CHROMIUM, CHROMIUM_ARGS, INTERVIEW, NO_CHROMIUM, interview_lab

from pmo_assess.engagement.interview import InterviewSession, Newcomer
from pmo_assess.engagement.interview_setup import pick_wave
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.store.repository import Store
from pmo_assess.widgets.interview import InterviewForm
from pmo_assess.widgets.keyboard import SHORTCUTS, FormKeys, shortcuts_html

NOTEBOOK = INTERVIEW
MATURITY = load_questionnaire("pmo-maturity")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)


@pytest.fixture
def form(tmp_path):
    with Store.open(tmp_path / "ws") as store:
        store.add_client("Acme Rail (fictional)", slug="acme")
        wave = pick_wave(store, store.start_engagement("acme", MATURITY), "2026-Q3")
        yield InterviewForm(InterviewSession(store, Newcomer(wave.id, "pmo"), MATURITY))


def classes(widget) -> set[str]:
    """Every CSS class on the widget and the widgets inside it."""
    found = set(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        found |= classes(child)
    return found


def test_the_form_takes_its_keys_back_from_jupyterlab(form):
    keys = [c for c in form.children if isinstance(c, FormKeys)]
    assert len(keys) == 1 and keys[0].form == ".pmo-interview"
    assert "pmo-interview" in form._dom_classes
    assert keys[0].shortcuts == {"KeyA": ".pmo-choice", "KeyN": ".pmo-note", "KeyD": ".pmo-jump"}
    assert {s.selector.lstrip(".") for s in SHORTCUTS} <= classes(form)


def test_the_levels_come_first_after_the_respondent_picker(form):
    focusable = [
        c
        for c in form.children
        if c in (form.picker, form.choice, form.note, form.jump) or c is form.evidence_box
    ]
    assert focusable[:2] == [form.picker, form.choice]


def test_the_shortcuts_are_documented_in_the_form_and_the_notebook(form):
    line = shortcuts_html()
    assert form.keys_help.value == line
    for shortcut in SHORTCUTS:
        assert f"<kbd>{shortcut.keys}</kbd> {shortcut.target}" in line
    prose = " ".join(
        c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "markdown"
    )
    assert all(f"`{s.keys}`" in prose for s in SHORTCUTS)


# --- in a real JupyterLab -------------------------------------------------------------------------


@pytest.fixture
def lab(tmp_path) -> Iterator[str]:
    """JupyterLab serving a copy of 02_interview.ipynb beside a demo workspace; its URL."""
    with interview_lab(tmp_path, seconds=60) as url:
        yield url


ACTIVE_CELL = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
CELLS = "() => window.jupyterapp.shell.currentWidget.content.widgets.length"
FOCUSED_IN = "(css) => !!document.activeElement && !!document.activeElement.closest(css)"


@needs_chromium
def test_arrow_keys_and_shortcuts_act_on_the_form_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(lab)
            page.wait_for_function(
                "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                " && window.jupyterapp.shell.currentWidget.sessionContext"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
                timeout=60_000,
            )
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            form = page.locator(".pmo-interview")
            form.wait_for(state="visible", timeout=60_000)
            page.wait_for_function(
                "() => document.querySelector('.pmo-interview')"
                ".hasAttribute('data-lm-suppress-shortcuts')",
                timeout=20_000,
            )
            dimension = form.locator(".pmo-jump select")
            first = dimension.input_value()
            question = form.locator(".pmo-question").inner_text()
            dimension.focus()
            cell = page.evaluate(ACTIVE_CELL)
            page.keyboard.press("ArrowDown")
            page.wait_for_function(
                "(before) => document.querySelector('.pmo-question').innerText !== before",
                arg=question,
                timeout=20_000,
            )
            assert dimension.input_value() != first, "ArrowDown chose the next dimension"
            assert page.evaluate(ACTIVE_CELL) == cell, "the notebook's active cell stayed put"
            assert page.evaluate(FOCUSED_IN, ".pmo-jump"), "the focus stayed on the list"
            for shortcut in SHORTCUTS:
                page.keyboard.press(shortcut.keys)
                assert page.evaluate(FOCUSED_IN, shortcut.selector), shortcut.keys
            page.keyboard.press("Alt+A")
            level = page.evaluate("() => document.activeElement.innerText")
            page.keyboard.press("ArrowRight")
            assert page.evaluate("() => document.activeElement.innerText") != level
            assert page.evaluate(FOCUSED_IN, ".pmo-choice"), "arrows move along the levels"
            cells = page.evaluate(CELLS)
            page.keyboard.press("a")  # in command mode: a new cell above
            page.keyboard.press("d")
            page.keyboard.press("d")  # in command mode: delete the cell, and the form with it
            assert (page.evaluate(CELLS), page.evaluate(ACTIVE_CELL)) == (cells, cell)
            form.locator(".pmo-respondent select").focus()
            for _ in range(2):  # the respondent, then (for a new one) its role
                page.keyboard.press("Tab")
                if page.evaluate(FOCUSED_IN, ".pmo-choice"):
                    break
            assert page.evaluate(FOCUSED_IN, ".pmo-choice"), "the levels come next in Tab order"
        finally:
            browser.close()
