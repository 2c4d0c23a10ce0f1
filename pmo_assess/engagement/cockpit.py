"""The cockpit: the step notebooks served by Voilà as pages with no code, to show a client.

This module knows where the notebooks are, which command line and environment start Voilà on
them, and how to start and stop that server so that neither it nor its kernels outlive it. The
store is opened by the caller (``pmo-assess cockpit``); the notebooks' kernels find the same
workspace and client through the environment (:mod:`pmo_assess.engagement.notebook`).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import psutil

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.notebook import CLIENT_VARIABLE, WORKSPACE_VARIABLE
from pmo_assess.engagement.selection import remembered
from pmo_assess.store.repository import Store

#: The step notebooks of a checkout: ``notebooks/`` beside the package.
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
#: Loopback only: the pages show a client's answers and scores.
LOCAL = "127.0.0.1"
#: How long Voilà may take to start listening, and to stop with its kernels.
START_SECONDS = 60.0
STOP_SECONDS = 10.0


@dataclass(frozen=True)
class Cockpit:
    """One Voilà server on one workspace's notebooks."""

    notebooks: Path
    workspace: Path
    port: int
    ip: str = LOCAL
    client: str = ""
    db: str = ""
    #: Asked of every visitor (in the URL once; a cookie afterwards).
    token: str = ""

    def command(self) -> list[str]:
        """Voilà's command line (the token goes by the environment, out of ``ps``)."""
        return [
            sys.executable,
            "-m",
            "voila",
            str(self.notebooks),
            "--no-browser",
            f"--port={self.port}",
            "--Voila.port_retries=0",  # the port printed is the port served, or Voilà stops
            f"--Voila.ip={self.ip}",
            "--Voila.auto_token=True",  # read from $JUPYTER_TOKEN
            "--Voila.log_level=WARN",  # its own "running at" line hides the token; ours shows it
        ]

    def environment(self, inherited: Mapping[str, str]) -> dict[str, str]:
        """The server's environment, which its kernels inherit: workspace, client, store, token."""
        env = {k: v for k, v in inherited.items() if k != CLIENT_VARIABLE}
        env[WORKSPACE_VARIABLE] = str(self.workspace.resolve())
        env["JUPYTER_TOKEN"] = self.token
        if self.client:
            env[CLIENT_VARIABLE] = self.client
        db = self.db or env.get("PMO_ASSESS_DB", "")
        if db:
            env["PMO_ASSESS_DB"] = absolute_sqlite(db)
        return env

    def url(self, page: str = "") -> str:
        """The address of the notebook list, or of one notebook's page, with the token.

        >>> Cockpit(Path("nb"), Path("ws"), 8866, token="abc").url("02_interview.ipynb")
        'http://127.0.0.1:8866/voila/render/02_interview.ipynb?token=abc'
        """
        host = socket.gethostname() if self.ip in ("", "0.0.0.0", "::") else self.ip
        host = f"[{host}]" if ":" in host else host
        path = f"voila/render/{page}" if page else ""
        return f"http://{host}:{self.port}/{path}?token={self.token}"


def whose_pages(store: Store, client: str = "") -> str:
    """Which client the pages will open, in words, as the notebooks will choose it."""
    if client:
        return f"client {client} (--client or ${CLIENT_VARIABLE})"
    chosen = remembered(store.workspace)
    if chosen is not None:
        return f"client {chosen.client} (chosen in 00_start_here or with `pmo-assess use`)"
    known = store.clients()
    if len(known) == 1:
        return f"client {known[0].slug} (the workspace's only client)"
    return (
        "no client chosen yet: the pages will ask for one (choose it in 00_start_here, with "
        "`pmo-assess use SLUG`, or start the cockpit with --client SLUG)"
    )


def absolute_sqlite(url: str) -> str:
    """The URL with a relative SQLite file made absolute, since the kernels run in the
    notebooks' folder; any other URL as it is.

    >>> absolute_sqlite("postgresql+psycopg://db.example/pmo")
    'postgresql+psycopg://db.example/pmo'
    >>> absolute_sqlite("sqlite:////srv/team.sqlite")
    'sqlite:////srv/team.sqlite'
    """
    scheme, sep, rest = url.partition(":///")
    path, query, options = rest.partition("?")
    if not scheme.startswith("sqlite") or not sep or path in ("", ":memory:") or path[0] == "/":
        return url
    return f"{scheme}:///{Path(path).resolve()}{query}{options}"


def notebooks_folder(given: str | Path | None = None) -> Path:
    """The folder of notebooks to serve: ``given``, else the checkout's ``notebooks/``."""
    folder = Path(given).expanduser() if given else NOTEBOOKS
    how = f"--notebooks {given}" if given else "the notebooks/ folder beside the package"
    if not folder.is_dir():
        raise PmoAssessError(
            f"No notebooks folder at {folder.resolve()} ({how}). Give --notebooks DIR, the "
            "notebooks/ folder of a pmo-assess checkout (installed from a wheel, the package "
            "carries no step notebooks)."
        )
    if not any(folder.glob("*.ipynb")):
        raise PmoAssessError(
            f"{folder.resolve()} ({how}) holds no notebooks (*.ipynb). Give --notebooks DIR, the "
            "notebooks/ folder of a pmo-assess checkout."
        )
    return folder.resolve()


def listening_port(ip: str, port: int = 0) -> int:
    """``port`` when it is free on ``ip`` (0: a free one the system picks); else a user error."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(ip, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.bind(address)
            return int(probe.getsockname()[1])
    except OSError as exc:
        where = f"port {port} on {ip}" if port else f"address {ip}"
        raise PmoAssessError(
            f"Cannot listen on {where}: {exc.strerror or exc}. Choose another --port (leave it "
            "out for a free one), or an --ip address of this machine (default 127.0.0.1)."
        ) from None


def new_token() -> str:
    """A random token nobody can guess, short enough to read out."""
    return secrets.token_urlsafe(18)


def is_loopback(ip: str) -> bool:
    """True for an address only this machine can reach.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    return ip == "localhost" or ip == "::1" or ip.startswith("127.")


#: Cells the consultant reads in JupyterLab ("Run All Cells", "set `client`") and a client in
#: the cockpit should not: their markdown is left out of the pages served.
CONSULTANT_ONLY = "consultant-only"


def client_pages(source: Path, target: Path) -> Path:
    """Copies of the notebooks in ``source``, without their cells tagged ``consultant-only``,
    written to ``target`` (the folder Voilà serves); returns ``target``."""
    import nbformat  # here: every CLI command imports this module, and nbformat costs ~1 s

    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = [
            c for c in notebook.cells if CONSULTANT_ONLY not in c.metadata.get("tags", [])
        ]
        nbformat.write(notebook, target / path.name)
    return target


def start(cockpit: Cockpit) -> subprocess.Popen[bytes]:
    """Start Voilà in a session of its own, so that Ctrl-C reaches only the caller, which stops
    the server itself (and the server its kernels); returns once it listens."""
    process = subprocess.Popen(
        cockpit.command(),
        env=cockpit.environment(os.environ),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_until_listening(process, cockpit)
    except BaseException:
        stop(process)
        raise
    return process


def _wait_until_listening(process: subprocess.Popen[bytes], cockpit: Cockpit) -> None:
    host = LOCAL if cockpit.ip in ("", "0.0.0.0") else "::1" if cockpit.ip == "::" else cockpit.ip
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PmoAssessError(
                f"Voilà stopped before it served the notebooks (exit code {process.returncode}); "
                "its messages are above."
            )
        try:
            socket.create_connection((host, cockpit.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise PmoAssessError(
        f"Voilà did not start listening on port {cockpit.port} within {START_SECONDS:.0f} s; "
        "its messages are above."
    )


def stop(process: subprocess.Popen[bytes], seconds: float = STOP_SECONDS) -> None:
    """Stop Voilà and every kernel it started: ask (SIGTERM), then force what is left.

    Voilà shuts its kernels down when asked; the kernels run in sessions of their own, so those
    that outlive a forced stop are found as the server's descendants, listed before it stops.
    """
    try:
        family = psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        family = []
    _signal_group(process.pid, signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()
    _, alive = psutil.wait_procs(family, timeout=seconds)
    for leftover in alive:
        with suppress(psutil.Error):
            leftover.kill()


def _signal_group(pid: int, signum: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(pid, signum)  # the session's group: Voilà and anything it did not detach
