"""``pmo-assess commentary``: list a wave's report commentary, or export and import it as
Markdown so a partner can edit it outside Jupyter."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pmo_assess.batch.commentary import import_commentary_file
from pmo_assess.cli.options import existing_file, open_store
from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.commentary import Commentary
from pmo_assess.report.anchors import title_of
from pmo_assess.report.commentary_file import commentary_markdown
from pmo_assess.store.commentary import commentary_history, read_commentary


def add_parser(commands: argparse._SubParsersAction, store: argparse.ArgumentParser) -> None:
    """``pmo-assess commentary``."""
    parser = commands.add_parser(
        "commentary",
        parents=[store],
        help="list, export or import the commentary of a client's report",
        description="The consultants' commentary on a client's report for one wave, kept in "
        "the store: every report, batch and render puts it back after the sections it follows. "
        "Without --export or --import, list it.",
    )
    parser.add_argument("--client", required=True, metavar="SLUG")
    parser.add_argument("--wave", metavar="LABEL", help="default: the client's latest wave")
    parser.add_argument(
        "--revision",
        type=_revision,
        metavar="N",
        help="an earlier revision, to list or export (every save keeps the one before)",
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--export",
        metavar="FILE",
        help="write it as Markdown, one '## <Section>' heading per piece ('-': standard output)",
    )
    action.add_argument(
        "--import",
        dest="import_file",
        type=existing_file("--import", "commentary file (Markdown, as --export writes it)"),
        metavar="FILE",
        help="replace it with the commentary in a Markdown file written like --export's",
    )
    parser.set_defaults(run=commentary)


def commentary(args: argparse.Namespace) -> int:
    """List, export or import one wave's commentary."""
    if args.import_file is not None and args.revision is not None:
        raise PmoAssessError(
            "--revision chooses what to list or export; --import always saves a new revision."
        )
    with open_store(args) as store:
        if args.import_file is not None:
            before, after = import_commentary_file(store, args.client, args.wave, args.import_file)
            print(_imported(args.import_file, before, after))
            return 0
        found = read_commentary(store, args.client, args.wave, args.revision)
        history = commentary_history(store, args.client, found.wave)
    if args.export is not None:
        _export(found, args.export)
    else:
        print(_listing(found, [c.revision for c in history]))
    return 0


def _export(found: Commentary, target: str) -> None:
    text = commentary_markdown(found)
    if target == "-":
        sys.stdout.write(text)
        return
    path = Path(target)
    if path.exists():
        raise PmoAssessError(
            f"--export {target}: the file exists and may hold edits not imported yet; give a "
            "new file name, or remove it first."
        )
    write_text_atomic(path, text)
    print(f"Wrote {path}: the commentary of {_summary(found)}.")


def _listing(found: Commentary, revisions: list[int]) -> str:
    """The revision's pieces, each with its section and first line, and the revisions kept."""
    if not found.revision:
        return (
            f"No commentary saved for client '{found.client}', wave '{found.wave}'. Add Markdown "
            "cells to the kept report.ipynb and run `pmo-assess render` on it, or write a file "
            "and use --import FILE (--export FILE gives one with every section's heading)."
        )
    lines = [f"Commentary of {_summary(found)}:"]
    for n, piece in enumerate(found.pieces, start=1):
        first = next((line.strip() for line in piece.markdown.splitlines() if line.strip()), "")
        lines.append(f"  {n}. after {title_of(piece.anchor)}: {first[:70]}")
    earlier = [str(r) for r in revisions if r != found.revision]
    if earlier:
        lines.append(f"Other revisions: {', '.join(earlier)} (see one with --revision N).")
    return "\n".join(lines)


def _summary(found: Commentary) -> str:
    when = f"{found.saved_at:%Y-%m-%d %H:%M} UTC" if found.saved_at else "never"
    n = len(found.pieces)
    return (
        f"client '{found.client}', wave '{found.wave}', revision {found.revision} "
        f"({n} piece{'' if n == 1 else 's'}, saved by {found.saved_by or 'nobody'} at {when} "
        f"from {found.source or 'nowhere'})"
    )


def _imported(path: Path, before: Commentary, after: Commentary) -> str:
    if before == after:
        return f"{path} holds the current commentary of {_summary(after)}; nothing changed."
    kept = (
        f" Revision {before.revision} is kept: --revision {before.revision} shows it."
        if before.revision
        else ""
    )
    return (
        f"Imported {path} as the commentary of {_summary(after)}.{kept} Run `pmo-assess report --client "
        f"{after.client} --wave {after.wave}` to put it in the report."
    )


def _revision(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a revision number, 1 or more; got {text!r}")
    return int(text)
