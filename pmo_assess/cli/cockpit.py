"""``pmo-assess cockpit``: the step notebooks as pages with no code, served on this machine by
Voilà until Ctrl-C, for a consultant to show a client the interview, the what-if and the plan."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from pmo_assess.cli.options import open_store
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.cockpit import (
    LOCAL,
    Cockpit,
    client_pages,
    is_loopback,
    listening_port,
    new_token,
    notebooks_folder,
    start,
    stop,
    whose_pages,
)
from pmo_assess.engagement.notebook import CLIENT_VARIABLE

Handler = Callable[[int, FrameType | None], Any] | int | None
_STOP_SIGNALS = [
    signal.SIGINT,
    signal.SIGTERM,
    *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []),
]

#: The pages shown to a client most (the interview, the what-if, the plan), printed under the
#: address of the list.
PAGES = ("02_interview.ipynb", "03_analysis.ipynb", "04_implementation_plan.ipynb")


def add_parser(commands: argparse._SubParsersAction, store: argparse.ArgumentParser) -> None:
    """``pmo-assess cockpit``."""
    parser = commands.add_parser(
        "cockpit",
        parents=[store],
        help="show the notebooks as pages with no code (Voilà), on this machine until Ctrl-C",
        description="Serve the step notebooks with Voilà: each page runs its notebook on the "
        "workspace's chosen client (pmo-assess use) and shows the forms, tables and charts "
        "without code. Listens on 127.0.0.1 unless --ip says otherwise, behind a random "
        "token; Ctrl-C stops it and its kernels. See docs/cockpit.md.",
    )
    parser.add_argument(
        "--client",
        metavar="SLUG",
        help=f"the client the pages open (default ${CLIENT_VARIABLE}, else the workspace's "
        "chosen client)",
    )
    parser.add_argument("--port", type=port_number, metavar="N", help="default: a free port")
    parser.add_argument(
        "--ip",
        default=LOCAL,
        metavar="ADDR",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument(
        "--notebooks",
        metavar="DIR",
        help="the notebooks to serve (default: the notebooks/ folder of this checkout)",
    )
    parser.set_defaults(run=cockpit)


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 1 to 65535."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(
            f"invalid port: expected a whole number from 1 to 65535; got {text!r}"
        )
    return int(text)


def cockpit(args: argparse.Namespace) -> int:
    client = args.client or os.environ.get(CLIENT_VARIABLE, "").strip()
    with open_store(args) as store:  # refuses a missing workspace, creates nothing
        slug = store.client(client).slug if client else ""
        workspace, whose = store.workspace, whose_pages(store, slug)
    notebooks = notebooks_folder(args.notebooks)
    with tempfile.TemporaryDirectory(prefix="pmo-cockpit-") as pages:
        return _serve(args, notebooks, client_pages(notebooks, Path(pages)), slug, workspace, whose)


def _serve(
    args: argparse.Namespace, notebooks: Path, pages: Path, slug: str, workspace: Path, whose: str
) -> int:
    served = Cockpit(
        notebooks=pages,
        workspace=workspace,
        port=listening_port(args.ip, args.port or 0),
        ip=args.ip,
        client=slug,
        db=args.db or "",
        token=new_token(),
    )
    asked_to_stop = False
    with _signals(_interrupt):
        process = start(served)
        try:
            _announce(served, whose, notebooks)
            process.wait()
        except KeyboardInterrupt:
            asked_to_stop = True
            print("Stopping the cockpit and its notebooks' kernels ...", flush=True)
        finally:
            with _signals(signal.SIG_IGN):  # a second Ctrl-C must not leave kernels behind
                stop(process)
    if not asked_to_stop:
        raise PmoAssessError(
            f"Voilà stopped by itself (exit code {process.returncode}); its messages are above."
        )
    print("Stopped.", flush=True)
    return 0


def _announce(served: Cockpit, whose: str, notebooks: Path) -> None:
    print(f"Cockpit on {served.workspace.resolve()}, {whose}")
    print(f"Notebooks: {notebooks} (served without their consultant-only cells)")
    print(f"Open: {served.url()}")
    for page in PAGES:
        if (served.notebooks / page).is_file():
            print(f"  {page}: {served.url(page)}")
    print(f"Token (if a page asks for it): {served.token}")
    if not is_loopback(served.ip):
        print(
            f"warning: listening on {served.ip}: anyone who can reach this machine and has the "
            "token can see the client's data.",
            file=sys.stderr,
        )
    print("Press Ctrl-C to stop it.", flush=True)


@contextmanager
def _signals(handler: Handler) -> Iterator[None]:
    """Handle Ctrl-C, SIGTERM and SIGHUP (a closed terminal) alike while the block runs, so the
    server and its kernels never outlive this command however it is stopped."""
    before = {s: signal.signal(s, handler) for s in _STOP_SIGNALS}
    try:
        yield
    finally:
        for s, previous in before.items():
            signal.signal(s, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
