"""A real JupyterLab for browser tests: started on a free local port with its own home folder, the
interview notebook and a demo workspace of one client beside it, always stopped with every
kernel it started."""

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
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
INTERVIEW = ROOT / "notebooks" / "02_interview.ipynb"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
NO_CHROMIUM = "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def interview_lab(folder: Path, seconds: float = 90) -> Iterator[str]:
    """JupyterLab serving ``folder`` with a copy of 02_interview.ipynb and ``folder/workspace``
    (a demo of one client) in ``PMO_ASSESS_WORKSPACE``; yields the notebook's URL."""
    with Store.open(folder / "workspace") as store:
        build_demo_workspace(store, clients=1)
    shutil.copy(INTERVIEW, folder / INTERVIEW.name)
    home = folder / "home"
    env = os.environ | {
        "PMO_ASSESS_WORKSPACE": str(folder / "workspace"),
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    env.pop("PMO_ASSESS_CLIENT", None)
    port, token = free_port(), secrets.token_hex(16)
    log = folder / "server.log"
    with log.open("wb") as sink:
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
                f"--ServerApp.root_dir={folder}",
                "--LabApp.expose_app_in_browser=True",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/api/status?token={token}", server, log, seconds)
        yield f"{base}/lab/tree/{INTERVIEW.name}?token={token}"
    finally:
        _stop(server)


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # localhost only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer within {seconds:.0f} s")


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
