"""Command handlers for client reports: render from the store, or re-render an edited notebook."""

from __future__ import annotations

import argparse

from pmo_assess.batch.single import render_client_report
from pmo_assess.cli import batch as commands_batch
from pmo_assess.report.render import render_notebook
from pmo_assess.store.repository import Store


def report(args: argparse.Namespace) -> int:
    """Render the reports of one client, several (comma-separated) or all of them.

    Several clients go through the parallel batch, rendering every one (``batch --force``)."""
    if args.client.strip() == "all" or "," in args.client:
        args.clients, args.force, args.workers, args.timeout = args.client, True, None, 600.0
        args.wave = args.wave or "latest"
        return commands_batch.batch(args)
    with Store.open(args.workspace, args.db) as store:
        outputs = render_client_report(
            store,
            args.client.strip(),
            args.wave,
            args.out,
            args.format,
            args.branding,
            args.benchmark,
        )
    for kind in ("html", "pdf"):
        if kind in outputs.files:
            print(f"Wrote {outputs.files[kind]}")
    return 0


def render(args: argparse.Namespace) -> int:
    """Re-render an executed report notebook (after adding commentary) into HTML and PDF."""
    written = render_notebook(args.notebook, args.format)
    for path in written.values():
        print(f"Wrote {path}")
    return 0
