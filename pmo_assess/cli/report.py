"""Command handlers for client reports: render from the store, or re-render an edited notebook."""

from __future__ import annotations

import argparse

from pmo_assess.batch.commentary import render_edited_notebook
from pmo_assess.batch.single import render_client_report
from pmo_assess.cli import batch as commands_batch
from pmo_assess.cli.options import open_store
from pmo_assess.report.office import templates_by_format
from pmo_assess.report.render import ALL_FORMATS, ReportOutputs, stale_note


def report(args: argparse.Namespace) -> int:
    """Render the reports of one client, several (comma-separated) or all of them.

    Several clients go through the parallel batch, rendering every one (``batch --force``)."""
    if args.client.strip() == "all" or "," in args.client:
        args.clients, args.force, args.workers, args.timeout = args.client, True, None, 600.0
        args.wave = args.wave or "latest"
        return commands_batch.batch(args)
    with open_store(args) as store:
        outputs = render_client_report(
            store,
            args.client.strip(),
            args.wave,
            args.out,
            args.format,
            args.branding,
            args.benchmark,
            templates=templates_by_format(args.template),
        )
    _print_outputs(outputs, args.format)
    return 0


def render(args: argparse.Namespace) -> int:
    """Save an edited report notebook's commentary to the store, then re-render it into HTML
    and PDF."""
    with open_store(args) as store:
        outputs = render_edited_notebook(
            store, args.notebook, args.format, templates_by_format(args.template)
        )
    _print_outputs(outputs, args.format)
    return 0


def _print_outputs(outputs: ReportOutputs, formats: tuple[str, ...]) -> None:
    """What was saved on the way, the files written, and any stale file removed."""
    for note in outputs.notes:
        print(note)
    for kind in ALL_FORMATS:
        if kind in outputs.files:
            print(f"Wrote {outputs.files[kind]}")
    for path in outputs.removed:
        print(stale_note(path, formats))
