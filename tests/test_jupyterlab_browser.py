"""The interview in a real JupyterLab, in Debian's headless Chromium: run 02_interview.ipynb, answer
one question by clicking, and find the answer in the store. The server always stops."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it",
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
CLIENT = "quellbach-prazision"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def lab(tmp_path) -> Iterator[tuple[str, Path]]:
    """JupyterLab serving a folder with 02_interview.ipynb and a demo workspace beside it."""
    with Store.open(tmp_path / "workspace") as store:
        build_demo_workspace(store, clients=1)
    shutil.copy(ROOT / "notebooks" / "02_interview.ipynb", tmp_path / "02_interview.ipynb")
    home = tmp_path / "home"
    home.mkdir()
    env = os.environ | {
        "PMO_ASSESS_WORKSPACE": str(tmp_path / "workspace"),
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",  # CI and this machine run as root
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={tmp_path}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "server.log", "wb"),  # noqa: SIM115 - closed with the process
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/api/status?token={token}", server, tmp_path / "server.log")
        yield f"{base}/lab/tree/02_interview.ipynb?token={token}", tmp_path
    finally:
        _stop(server)


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # localhost only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail("JupyterLab did not answer within 90 s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process it started (kernels run in sessions of their own)."""
    try:
        tree = psutil.Process(server.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        tree = []
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    for process in tree:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            continue


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
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
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
