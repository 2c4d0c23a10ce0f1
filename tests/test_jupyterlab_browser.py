"""The interview in a real JupyterLab, in Debian's headless Chromium: run 02_interview.ipynb, answer
one question by clicking, and find the answer in the store. The server always stops."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab_server import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, interview_lab

from pmo_assess.store.repository import Store

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
CLIENT = "quellbach-prazision"


@pytest.fixture
def lab(tmp_path) -> Iterator[tuple[str, Path]]:
    """JupyterLab serving a folder with 02_interview.ipynb and a demo workspace beside it."""
    with interview_lab(tmp_path) as url:
        yield url, tmp_path


def _answers(workspace: Path) -> dict[str, int]:
    """Respondent code -> how many answers it has, in the client's latest wave."""
    with Store.open(workspace) as store:
        wave = store.waves(store.engagement(CLIENT).id)[-1]
        return {r.code: len(store.answers_of(r.id)) for r in store.respondents(wave.id)}


def test_an_answer_clicked_in_jupyterlab_reaches_the_store(lab):
    from playwright.sync_api import sync_playwright

    url, folder = lab
    before = _answers(folder / "workspace")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.wait_for_function(
                "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                " && window.jupyterapp.shell.currentWidget.sessionContext"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
                timeout=90_000,
            )
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            choice = page.locator(".pmo-choice").first
            choice.wait_for(state="visible", timeout=120_000)
            option = choice.locator("input[type=radio], button").nth(2)
            option.click()
            page.screenshot(path=str(folder / "interview.png"))
            deadline = time.monotonic() + 30
            after = _answers(folder / "workspace")
            while after == before and time.monotonic() < deadline:
                time.sleep(0.5)
                after = _answers(folder / "workspace")
        finally:
            browser.close()
    new = {code: n for code, n in after.items() if code not in before}
    assert list(new.values()) == [1], f"before {before}, after {after}"
