"""Command handlers for client reports: render from the store, or re-render an edited notebook."""

from __future__ import annotations

import argparse
import sys

from pmo_assess.errors import PmoAssessError
from pmo_assess.report import FORMATS, render_client_report, render_notebook
from pmo_assess.store import Store


def formats(text: str) -> tuple[str, ...]:
    """``html,pdf`` as a tuple, each checked (an argparse type)."""
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(
            f"expected a comma-separated list of {', '.join(FORMATS)}; got {text!r}"
        )
    return chosen


def report(args: argparse.Namespace) -> int:
    """Render the reports of one client, several (comma-separated) or all of them."""
    failed = 0
    with Store.open(args.workspace, args.db) as store:
        slugs = (
            [c.slug for c in store.clients()] if args.client == "all" else args.client.split(",")
        )
        for slug in slugs:
            try:
                outputs = render_client_report(
                    store,
                    slug.strip(),
                    args.wave,
                    args.out,
                    args.format,
                    args.branding,
                    args.benchmark,
                )
            except PmoAssessError as exc:
                if len(slugs) == 1:
                    raise
                failed += 1
                print(f"error: {slug}: {exc}", file=sys.stderr)
                continue
            print(
                f"{slug}: {', '.join(str(p) for k, p in outputs.files.items() if k in ('html', 'pdf'))}"
            )
    if len(slugs) > 1:
        print(f"Open the reports in {args.out}/<client>/<wave>/report.html or report.pdf")
    return 1 if failed else 0


def render(args: argparse.Namespace) -> int:
    """Re-render an executed report notebook (after adding commentary) into HTML and PDF."""
    written = render_notebook(args.notebook, args.format)
    for path in written.values():
        print(f"Wrote {path}")
    return 0
