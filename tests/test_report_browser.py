"""The HTML report in a real browser: Debian's headless Chromium, JavaScript disabled, no network."""

from __future__ import annotations

import pytest
from lab_server import CHROMIUM
from lab_server import CHROMIUM_ARGS as ARGS

from pmo_assess.batch.single import render_client_report
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.store.repository import Store

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it",
)


def test_the_report_opens_in_chromium_without_javascript(tmp_path):
    from playwright.sync_api import sync_playwright

    with Store.open(tmp_path / "ws") as store:
        build_demo_workspace(store, clients=1)
        slug = store.clients()[0].slug
        outputs = render_client_report(store, slug, out_dir=tmp_path / "reports", formats=("html",))
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(
                java_script_enabled=False, viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(outputs.files["html"].as_uri())
            headings = page.locator("h2").all_inner_texts()
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=False)
            images = page.locator("figure.exhibit img").evaluate_all(
                "els => els.map(e => [e.naturalWidth, e.alt])"
            )
        finally:
            browser.close()
    assert headings[:3] == ["Executive summary", "Scorecard", "Maturity against target"]
    assert len(images) >= 5 and all(
        width >= 1200 and alt for width, alt in images
    )  # 200 dpi, alt text
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
