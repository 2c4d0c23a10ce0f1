"""``pmo-assess cockpit``: the Voilà command line and environment it builds, the checks it makes
before starting, and the real thing: started as a consultant would, the interview page opened in
Debian's headless Chromium, a level clicked, the answer found in the store, the server stopped
with Ctrl-C and no process of it left behind."""

from __future__ import annotations

import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import nbformat
import psutil
import pytest

from pmo_assess.cli import cockpit as cli_cockpit
from pmo_assess.cli.main import main
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.cockpit import (
    NOTEBOOKS,
    Cockpit,
    client_pages,
    listening_port,
    notebooks_folder,
    whose_pages,
)
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.notebook import choose
from pmo_assess.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it",
)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
T = TypeVar("T")
PMO_VARIABLES = ("PMO_ASSESS_WORKSPACE", "PMO_ASSESS_CLIENT", "PMO_ASSESS_DB")


# --- what it builds -----------------------------------------------------------------------------


def test_the_notebooks_served_by_default_are_the_checkouts_step_notebooks():
    assert notebooks_folder() == ROOT / "notebooks"
    assert notebooks_folder(str(ROOT / "notebooks")) == ROOT / "notebooks"


def test_the_pages_leave_out_the_consultants_instructions(tmp_path):
    pages = client_pages(NOTEBOOKS, tmp_path / "pages")
    assert sorted(p.name for p in pages.glob("*.ipynb")) == sorted(
        p.name for p in NOTEBOOKS.glob("*.ipynb")
    )
    for path in pages.glob("0*.ipynb"):
        served = nbformat.read(path, as_version=4)
        text = "".join(c.source for c in served.cells)
        assert "Run All Cells" not in text and "What to do" not in text, path.name
        assert "open_step(" in text, "only the instructions go; the code still runs"


def test_a_missing_or_empty_notebooks_folder_says_what_to_give(tmp_path):
    with pytest.raises(PmoAssessError, match=r"No notebooks folder at .*missing \(--notebooks"):
        notebooks_folder(tmp_path / "missing")
    with pytest.raises(
        PmoAssessError, match=r"holds no notebooks \(\*\.ipynb\)\. Give --notebooks"
    ):
        notebooks_folder(tmp_path)


def test_voila_listens_only_where_asked_on_the_port_printed_and_opens_no_browser(tmp_path):
    served = Cockpit(tmp_path, tmp_path / "ws", 8870, token="t0k3n")
    command = served.command()
    assert command[:4] == [sys.executable, "-m", "voila", str(tmp_path)]
    assert {"--no-browser", "--port=8870", "--Voila.port_retries=0", "--Voila.ip=127.0.0.1"} <= set(
        command
    )
    assert not any("t0k3n" in part for part in command)  # out of `ps`


def test_the_kernels_learn_the_workspace_client_store_and_token_from_the_environment(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    inherited = {"PATH": "/bin", "PMO_ASSESS_CLIENT": "left-in-the-shell"}
    served = Cockpit(Path("nb"), Path("ws"), 8870, client="acme", db="sqlite:////x", token="t")
    env = served.environment(inherited)
    assert env == {
        "PATH": "/bin",
        "PMO_ASSESS_WORKSPACE": str(tmp_path / "ws"),  # absolute: kernels run in the notebooks'
        "PMO_ASSESS_CLIENT": "acme",
        "PMO_ASSESS_DB": "sqlite:////x",
        "JUPYTER_TOKEN": "t",
    }
    no_client = Cockpit(Path("nb"), Path("ws"), 8870, token="t").environment(inherited)
    assert "PMO_ASSESS_CLIENT" not in no_client and "PMO_ASSESS_DB" not in no_client
    # a relative SQLite file is where the command runs, not where the kernels run
    from_shell = {"PMO_ASSESS_DB": "sqlite:///team.sqlite?mode=ro"}
    relative = Cockpit(Path("nb"), Path("ws"), 8870, token="t").environment(from_shell)
    assert relative["PMO_ASSESS_DB"] == f"sqlite:///{tmp_path / 'team.sqlite'}?mode=ro"


@pytest.mark.parametrize(
    ("ip", "page", "expected"),
    [
        ("127.0.0.1", "", "http://127.0.0.1:8870/?token=t"),
        ("::1", "03_analysis.ipynb", "http://[::1]:8870/voila/render/03_analysis.ipynb?token=t"),
    ],
)
def test_the_address_printed_carries_the_token(ip, page, expected):
    assert Cockpit(Path("nb"), Path("ws"), 8870, ip=ip, token="t").url(page) == expected


def test_a_busy_port_is_refused_with_what_to_do():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(PmoAssessError, match=rf"Cannot listen on port {port} on 127\.0\.0\.1"):
            listening_port("127.0.0.1", port)
    assert 0 < listening_port("127.0.0.1") < 65536


def test_the_command_says_which_client_the_pages_will_open(tmp_path):
    with Store.open(tmp_path) as store:
        store.add_client("Acme (fictional)", "acme")
        assert whose_pages(store) == "client acme (the workspace's only client)"
        store.add_client("Globex (fictional)", "globex")
        assert whose_pages(store).startswith("no client chosen yet: the pages will ask for one")
        choose(store, "globex")
        assert whose_pages(store) == (
            "client globex (chosen in 00_start_here or with `pmo-assess use`)"
        )
        assert whose_pages(store, "acme") == "client acme (--client or $PMO_ASSESS_CLIENT)"


# --- what it checks before starting -------------------------------------------------------------


@pytest.fixture
def demo_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A one-client demo workspace, its client chosen for the notebooks."""
    for name in PMO_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "workspace"
    with Store.open(folder) as store:
        slug = build_demo_workspace(store, clients=1).clients[0]
        choose(store, slug)
    return folder, slug


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--client", "ghost"], "error: Unknown client 'ghost'. Clients in this workspace: "),
        (["--notebooks", "missing"], "error: No notebooks folder at "),
    ],
)
def test_a_wrong_client_or_folder_is_refused_before_voila_starts(
    extra, message, demo_workspace, monkeypatch, capsys
):
    monkeypatch.setattr(cli_cockpit, "start", _must_not_start)
    assert main(["cockpit", "--workspace", str(demo_workspace[0]), *extra]) == 1
    assert capsys.readouterr().err.startswith(message)


def _must_not_start(*args: object, **kwargs: object) -> None:
    raise AssertionError("Voilà was started although the command should have refused")


# --- the real thing -----------------------------------------------------------------------------


@dataclass
class Running:
    """A ``pmo-assess cockpit`` started in a session of its own, and what it printed."""

    process: subprocess.Popen[str]
    printed: queue.Queue[str]
    lines: list[str]
    #: The processes it started (Voilà, then a kernel per page), seen last before it stopped.
    family: list[psutil.Process]

    def address(self, label: str) -> str:
        return next(line.split(": ", 1)[1] for line in self.lines if label in line)

    def stop_with(self, signum: signal.Signals) -> tuple[int, list[str]]:
        """Send the signal to its group, as a terminal does; its exit code and its last lines."""
        self.family = psutil.Process(self.process.pid).children(recursive=True)
        os.killpg(self.process.pid, signum)
        code = self.process.wait(30)
        time.sleep(0.2)  # the reader thread takes the last lines
        return code, [self.printed.get().strip() for _ in range(self.printed.qsize())]


@pytest.fixture
def cockpit(demo_workspace, tmp_path) -> Iterator[Running]:
    """The cockpit on the demo workspace, stopped and checked for leftovers whatever happens."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in PMO_VARIABLES} | {
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    command = [str(Path(sys.executable).with_name("pmo-assess")), "cockpit"]
    port = listening_port("127.0.0.1")
    log = tmp_path / "cockpit.log"
    process = subprocess.Popen(
        [*command, "--workspace", str(demo_workspace[0]), "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(log, "w"),  # noqa: SIM115 - closed with the process
        text=True,
        start_new_session=True,  # as in a terminal: Ctrl-C reaches this group only
    )
    running = Running(process, _reader(process), [], [])
    try:
        _read_until(running, "Press Ctrl-C to stop it.", seconds=60, log=log)
        running.family = psutil.Process(process.pid).children(recursive=True)
        yield running
    finally:
        _stop(running)
    _, alive = psutil.wait_procs(running.family, timeout=15)
    assert not alive, f"left behind: {[p.pid for p in alive]}\n{log.read_text()}"


def _reader(process: subprocess.Popen[str]) -> queue.Queue[str]:
    printed: queue.Queue[str] = queue.Queue()
    stream = process.stdout
    assert stream is not None

    def read() -> None:
        for line in stream:
            printed.put(line)

    threading.Thread(target=read, daemon=True).start()
    return printed


def _read_until(running: Running, last: str, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not running.lines or running.lines[-1] != last:
        try:
            line = running.printed.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            pytest.fail(f"no '{last}' within {seconds:.0f} s: {running.lines}\n{log.read_text()}")
        running.lines.append(line.strip())


def _stop(running: Running) -> None:
    if running.process.poll() is None:
        running.family = psutil.Process(running.process.pid).children(recursive=True)
        os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait(10)
    for leftover in running.family:
        try:
            leftover.kill()
        except psutil.NoSuchProcess:
            continue


def _answers(workspace: Path) -> dict[tuple[int, str], float | None]:
    """Every answer of the client, finished interviews or not: (respondent id, question) -> value."""
    with Store.open(workspace, create=False) as store:
        engagement = store.find_engagement(store.clients()[0].slug)
        assert engagement is not None
        return {
            (person.id, question): answer.value
            for wave in store.waves(engagement.id)
            for person in store.respondents(wave.id)
            for question, answer in store.answers_of(person.id).items()
        }


def _status_without_token(url: str) -> tuple[int, str]:
    """The status and redirect target of a page asked for with no token (redirects not followed)."""
    host, _, rest = url.removeprefix("http://").partition("/")
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.request("GET", "/" + rest.split("?")[0])
        response = connection.getresponse()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


@needs_chromium
def test_a_level_clicked_in_the_cockpit_reaches_the_store_with_no_code_shown(
    cockpit, demo_workspace, tmp_path
):
    from playwright.sync_api import sync_playwright

    assert cockpit.lines[0].endswith(
        f"client {demo_workspace[1]} (chosen in 00_start_here or with `pmo-assess use`)"
    )
    url = cockpit.address("02_interview.ipynb")
    assert url.startswith("http://127.0.0.1:") and "/voila/render/02_interview.ipynb?token=" in url
    status, location = _status_without_token(url)
    assert status in (401, 403) or (status == 302 and "/login" in location), (status, location)

    before = _answers(demo_workspace[0])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(url)
            page.locator(".pmo-interview").first.wait_for(state="visible", timeout=60_000)
            page.locator(".pmo-choice button").nth(2).click()  # the third level: 3
            after = _poll(lambda: _answers(demo_workspace[0]), until=lambda a: a != before)
            page.screenshot(path=str(tmp_path / "cockpit-interview.png"))
            html = page.content()
            visible = page.locator("body").inner_text()
        finally:
            browser.close()
    assert "open_step(" not in html and "from pmo_assess" not in html
    assert "Run All Cells" not in visible, "the consultant's instructions stay in JupyterLab"
    assert "Form not started" not in visible, "the banner hides once the form is live"
    added = {key: value for key, value in after.items() if key not in before}
    assert list(added.values()) == [3.0], f"answers added: {added}"

    code, last = cockpit.stop_with(signal.SIGINT)  # Ctrl-C in the consultant's terminal
    assert (code, last[-1]) == (0, "Stopped."), last
    assert len(cockpit.family) >= 2, "Voilà and the page's kernel ran (the fixture sees them end)"


def _poll(read: Callable[[], T], until: Callable[[T], bool], seconds: float = 30) -> T:
    deadline = time.monotonic() + seconds
    found = read()
    while not until(found) and time.monotonic() < deadline:
        time.sleep(0.5)
        found = read()
    return found


def test_sigterm_stops_the_cockpit_and_leaves_nothing_running(cockpit):
    code, last = cockpit.stop_with(signal.SIGTERM)
    assert cockpit.family, "Voilà was running"
    assert (code, last[-1]) == (0, "Stopped."), last
