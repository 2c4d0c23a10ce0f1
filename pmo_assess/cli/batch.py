"""``pmo-assess batch``: render many clients' reports in parallel, with a progress bar, a summary
table and the firm's ``index.html``. Exits 1 when any client failed, 130 when stopped."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from tqdm import tqdm

from pmo_assess.batch.index import write_index
from pmo_assess.batch.run import (
    FAILED,
    RENDERED,
    SKIPPED,
    BatchOptions,
    BatchStopped,
    Outcome,
    default_workers,
    run_batch,
)
from pmo_assess.cli.options import (
    BENCHMARK_FILE,
    BRANDING_FILE,
    add_template_option,
    formats,
    open_store,
    out_folder,
)
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import workspace_dir
from pmo_assess.report.office import templates_by_format

STOPPED_EXIT = 130  # the shell's code for "stopped by a signal", as after Ctrl-C


def positive_int(text: str) -> int:
    """A whole number from 1 to 64 (an argparse type for ``--workers``)."""
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 64; got {text!r}")
    return int(text)


def seconds(text: str) -> float:
    """A positive number of seconds (an argparse type for ``--timeout``)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(f"expected seconds between 0 and 86400; got {text!r}")
    return value


def batch(args: argparse.Namespace) -> int:
    """Run the batch and report on it."""
    slugs = chosen_clients(args)
    options = BatchOptions(
        workspace=workspace_dir(args.workspace),
        out_dir=args.out,
        db_url=args.db,
        wave=None if args.wave == "latest" else args.wave,
        formats=args.format,
        branding_path=args.branding,
        benchmark_path=args.benchmark,
        workers=args.workers,
        timeout=args.timeout,
        force=args.force,
        templates=tuple(templates_by_format(args.template).items()),
    )
    progress = Progress()
    started = time.perf_counter()
    try:
        outcomes = run_batch(options, slugs, progress.outcome, progress.plan)
    except BatchStopped as stopped:
        progress.close()
        print(summary_table(stopped.outcomes))
        print_warnings(stopped.outcomes)
        print(f"error: {stopped}", file=sys.stderr)
        return STOPPED_EXIT
    except KeyboardInterrupt:  # while planning: nothing was written yet
        progress.close()
        print("error: Stopped before any report was rendered.", file=sys.stderr)
        return STOPPED_EXIT
    progress.close()
    index = write_index(args.out, outcomes)
    print(summary_table(outcomes))
    print_warnings(outcomes)
    print(totals(outcomes, time.perf_counter() - started, progress.workers(options)))
    print(f"Overview for the firm (names every client): {index}")
    failed = [o for o in outcomes if o.status == FAILED]
    for outcome in failed:
        where = f" Log: {outcome.log}" if outcome.log else ""
        print(f"error: {outcome.slug}: {outcome.cause.split(chr(10))[0]}{where}", file=sys.stderr)
    return 1 if failed else 0


def chosen_clients(args: argparse.Namespace) -> list[str]:
    """``all`` or a comma-separated list of slugs (``--clients``), each one known to the store."""
    clients = args.clients
    with open_store(args) as store:
        known = [c.slug for c in store.clients()]
    if not known:
        raise PmoAssessError("This store has no clients yet; add one, or run `pmo-assess demo`.")
    if clients.strip() == "all":
        return known
    wanted = list(dict.fromkeys(s.strip() for s in clients.split(",") if s.strip()))
    unknown = [s for s in wanted if s not in known]
    if unknown or not wanted:
        named = ", ".join(unknown) or repr(clients)
        raise PmoAssessError(
            f"Unknown client(s) in --clients: {named}. "
            f"Known clients: {', '.join(known)}; or give `all`."
        )
    return wanted


class Progress:
    """A progress bar with ETA on a terminal; one line per finished client otherwise."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None
        self.total = 0
        self.to_render = 0
        self.done = 0
        self.unplanned = 0  # clients that failed while planning: listed once, with the others

    def plan(self, to_render: int, skipped: int, failed: int) -> None:
        """Planning is done: ``to_render`` clients need rendering, ``skipped`` are unchanged and
        ``failed`` cannot be rendered (their reasons come under the summary table)."""
        self.total, self.to_render, self.unplanned = to_render + skipped + failed, to_render, failed
        cannot = f", {failed} cannot be rendered (reasons below)" if failed else ""
        print(
            f"{self.total} client(s): {to_render} to render, {skipped} unchanged (skipped)"
            f"{cannot}.",
            file=sys.stderr,
        )
        self.bar = tqdm(
            total=to_render,
            unit="client",
            desc="Rendering",
            file=sys.stderr,
            disable=None,  # no bar when stderr is not a terminal (logs, CI)
            dynamic_ncols=True,
        )

    def outcome(self, outcome: Outcome) -> None:
        """One client finished."""
        if outcome.status == SKIPPED or self.bar is None:
            return
        if outcome.status == FAILED and self.unplanned:  # planning failures come first
            self.unplanned -= 1
            return
        self.done += 1
        self.bar.update(1)
        self.bar.set_postfix_str(f"{outcome.slug}: {outcome.status}")
        if self.bar.disable:
            print(
                f"[{self.done}/{self.to_render}] {outcome.slug}: {outcome.status} "
                f"in {outcome.seconds:.1f} s",
                file=sys.stderr,
            )

    def close(self) -> None:
        """Remove the bar before the summary."""
        if self.bar is not None:
            self.bar.close()

    def workers(self, options: BatchOptions) -> int:
        """How many workers the batch used."""
        return options.workers or default_workers(max(self.to_render, 1))


def summary_table(outcomes: list[Outcome]) -> str:
    """Client, wave, status, seconds and outputs, one row per client."""
    header = ("Client", "Wave", "Status", "Seconds", "Outputs")
    rows = [
        (
            o.slug,
            o.wave or "-",
            o.status,
            f"{o.seconds:.1f}" if o.status == RENDERED or o.seconds else "-",
            _outputs(o),
        )
        for o in outcomes
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    return "\n".join(lines)


def print_warnings(outcomes: list[Outcome]) -> None:
    """Under the summary table: what the workers warned of (a kernel that could not be forked,
    and why), each warning once with the clients it concerned."""
    text = warnings_text(outcomes)
    if text:
        print(text)


def warnings_text(outcomes: list[Outcome]) -> str:
    """One block per distinct warning, naming its clients; empty without warnings."""
    clients: dict[str, list[str]] = {}
    for outcome in outcomes:
        for message in dict.fromkeys(outcome.warnings):
            clients.setdefault(message, []).append(outcome.slug)
    return "\n".join(
        f"warning ({', '.join(slugs)}): {message}" for message, slugs in clients.items()
    )


def totals(outcomes: list[Outcome], wall: float, workers: int) -> str:
    """One line: how many of each status, wall time, reports per minute."""
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in (RENDERED, SKIPPED, FAILED)}
    speed = (
        f" ({counts[RENDERED] / wall * 60:.1f} reports/min, {workers} worker(s))"
        if counts[RENDERED] and wall > 0
        else ""
    )
    return (
        f"{len(outcomes)} client(s): {counts[RENDERED]} rendered, {counts[SKIPPED]} unchanged, "
        f"{counts[FAILED]} failed in {wall:.1f} s{speed}."
    )


def _outputs(outcome: Outcome) -> str:
    if outcome.status == FAILED:
        return outcome.cause.split("\n")[0]
    if not outcome.files:
        return "-"
    folder = next(iter(outcome.files.values())).parent
    relative = os.path.relpath(folder)
    shown = folder if relative.startswith("..") else relative
    return f"{shown}/ ({', '.join(sorted(outcome.files))})"


def add_parser(commands: argparse._SubParsersAction, store: argparse.ArgumentParser) -> None:
    """``pmo-assess batch``."""
    parser = commands.add_parser(
        "batch",
        parents=[store],
        help="render many clients' reports in parallel; skips unchanged clients",
        description="Render the reports of many clients in parallel, each in a fresh kernel. "
        "Clients whose answers, settings, questionnaire, benchmark, branding and report "
        "template are unchanged since their last report are skipped (use --force to render "
        "them anyway). Writes <out>/<client>/<wave>/report.html and .pdf, and <out>/index.html, "
        "an overview for the firm's own use. Exits 1 if any client failed.",
    )
    parser.add_argument(
        "--clients", default="all", metavar="all|SLUG,...", help="default: every client"
    )
    parser.add_argument(
        "--wave", default="latest", metavar="latest|LABEL", help="default: each client's latest"
    )
    parser.add_argument(
        "--format", type=formats, default=("html", "pdf"), metavar="html,pdf[,pptx,docx]"
    )
    add_template_option(parser)
    parser.add_argument(
        "--workers", type=positive_int, metavar="N", help="default: one per core, at most 4"
    )
    parser.add_argument("--out", type=out_folder, default=Path("reports"), metavar="DIR")
    parser.add_argument("--force", action="store_true", help="render every client, changed or not")
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=600.0,
        metavar="S",
        help="time limit for one client's notebook, in seconds (default 600)",
    )
    parser.add_argument(
        "--branding",
        type=BRANDING_FILE,
        metavar="FILE",
        help="YAML with firm_name, logo, primary, accent",
    )
    parser.add_argument(
        "--benchmark",
        type=BENCHMARK_FILE,
        metavar="FILE",
        help="benchmark CSV (default: the synthetic one)",
    )
    parser.set_defaults(run=batch)
