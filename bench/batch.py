"""Benchmark: render every demo client's report (HTML and PDF) with ``pmo-assess batch``.

Builds a fictional demo workspace of N clients (default 20) in a temporary folder, then times in
the same run:

(a) the naive loop a consultant would script: per client, one command after another,
    ``pmo-assess results``, the ``papermill`` CLI on ``notebooks/report.ipynb``, the
    ``jupyter nbconvert`` CLI with the project's ``pmo_report`` template, then the ``weasyprint``
    CLI; clients one after another;
(b) ``pmo-assess batch --workers 1 --force``;
(c) ``pmo-assess batch --force`` (default workers: one per core, at most 4);
(c') ``pmo-assess batch --workers N --force`` for every core count N between 1 and all cores
    that (b) and (c) leave out (none on a 2-core machine), for the scaling table;
(d) ``pmo-assess batch`` again into (c)'s folder: nothing changed, so every client is skipped;
(e) ``pmo-assess batch --force --format html,pdf,pptx,docx``: the deck and the Word report too.

For each it prints wall seconds, reports per minute (for (d), clients checked per minute), the
speed-up over (a), and the peak memory of the whole process tree: the sum of the resident set
sizes (RSS) of the started process and all its descendants, sampled every 0.1 s with psutil
(for (a), each command in turn). Summed RSS counts pages the processes share once per process,
so it overstates what the tree needs; it is the figure a memory limit (e.g. a container's) sees
first. Every step's files are checked (a non-empty ``report.html`` and a ``report.pdf`` starting
with ``%PDF`` for every client, and (d) leaves (c)'s reports untouched); a failed command or a
missing file stops the run with exit code 1 and the command's stderr tail.

It then prints each batch's CPU seconds per client by stage, from the manifests the batch writes
beside each report (``cpu_seconds``: building the results, the kernel running the notebook,
this worker's share of the notebook run, the HTML, the PDF, the deck, the Word report), and the
speed-up at each core count.

Targets: (c) at least 8x faster than (a); (e) at most 1.5 s of CPU more per client than (c), and
at most 1.5 s more wall time per client and worker; (d) under 3 s; (c)'s and (e)'s peak memory
under 2048 MB. Missed targets are printed, not failed. The speed-up depends on the core count,
printed with the versions of the rendering packages.

Run: ``.venv/bin/python bench/batch.py`` (or ``make bench``); ``--clients 3 --skip-naive`` for a
quick check, ``--keep DIR`` to keep the workspace and reports.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import psutil

from pmo_assess.batch.run import available_cores, default_workers
from pmo_assess.report.branding import Branding
from pmo_assess.report.render import report_folder
from pmo_assess.store.repository import Store

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "report.ipynb"
TEMPLATES = REPO / "pmo_assess" / "report" / "assets" / "nbconvert"
BIN = Path(sys.executable).parent
SAMPLE_S = 0.1
TARGET_SPEEDUP, TARGET_UNCHANGED_S, TARGET_PEAK_MB = 8.0, 3.0, 2048.0
TARGET_OFFICE_EXTRA_S = 1.5  # the deck and the Word report, per client, over HTML and PDF
MANIFEST = ".pmo-batch.json"
STDERR_TAIL = 40  # lines of a failed command's stderr to show
MB = 1024 * 1024


class BenchFailed(Exception):
    """A command failed or a step did not write the files it should have."""


@dataclass
class Measured:
    """One step: its wall time, the process tree's peak memory, and what it rendered."""

    label: str
    wall_s: float
    peak_mb: float
    clients: int
    stages: dict[str, float] = field(default_factory=dict)  # naive loop: seconds per command
    workers: int = 0  # a batch's workers
    cpu: dict[str, float] = field(default_factory=dict)  # a batch: CPU seconds per client, by stage


class TreeSampler:
    """Samples the summed RSS of a process and all its descendants until it exits."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(root))
            self._stop.wait(SAMPLE_S)


def tree_rss(root: psutil.Process) -> int:
    """Bytes resident in ``root`` and its descendants now (processes that just ended count 0)."""
    try:
        processes = [root, *root.children(recursive=True)]
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            total += process.memory_info().rss
    return total


def tool(name: str) -> str:
    """A console script of this venv (next to the running Python)."""
    path = BIN / name
    if not path.is_file():
        raise BenchFailed(f"{path} not found; install the project with `make install`")
    return str(path)


def run(command: Sequence[str], cwd: Path) -> tuple[float, int]:
    """Run one command to the end; returns its wall seconds and the tree's peak RSS in bytes."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("PMO_ASSESS_WORKSPACE", "PMO_ASSESS_DB")
    }
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    with TreeSampler(process.pid) as sampler:
        _, stderr = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        tail = "\n".join(stderr.splitlines()[-STDERR_TAIL:])
        raise BenchFailed(
            f"command failed with exit code {process.returncode}:\n  {' '.join(command)}\n"
            f"--- last lines of its stderr ---\n{tail}"
        )
    return wall, sampler.peak


def build_workspace(workspace: Path, clients: int, work: Path) -> dict[str, str]:
    """The demo workspace; returns each client's latest wave label, by client slug."""
    wall, _ = run(
        [tool("pmo-assess"), "demo", "--workspace", str(workspace), "--clients", str(clients)],
        work,
    )
    with Store.open(workspace=workspace) as store:
        latest = {
            c.slug: store.waves(store.engagement(c.slug).id)[-1].label for c in store.clients()
        }
    if len(latest) != clients:
        raise BenchFailed(f"the demo built {len(latest)} clients, not {clients}")
    print(f"demo workspace built in {wall:.1f} s ({clients} fictional clients)")
    return dict(sorted(latest.items()))


def naive_loop(workspace: Path, slugs: Sequence[str], out: Path, work: Path) -> Measured:
    """(a) Per client, in turn: results JSON, papermill, nbconvert, weasyprint (four commands)."""
    branding = json.dumps(dataclasses.asdict(Branding()))
    stages = dict.fromkeys(("results", "papermill", "nbconvert", "weasyprint"), 0.0)
    peak = 0
    start = time.perf_counter()
    for slug in slugs:
        folder = out / slug
        folder.mkdir(parents=True)
        (folder / "branding.json").write_text(branding, encoding="utf-8")
        commands = {
            "results": [
                tool("pmo-assess"), "results", "--workspace", str(workspace),
                "--client", slug, "--out", str(folder / "results.json"),
            ],
            "papermill": [
                tool("papermill"), str(NOTEBOOK), str(folder / "report.ipynb"),
                "--cwd", str(folder), "-p", "results_path", "results.json",
                "-p", "branding_path", "branding.json", "-k", "python3", "--no-progress-bar",
            ],
            "nbconvert": [
                tool("jupyter"), "nbconvert", str(folder / "report.ipynb"), "--to", "html",
                "--output", "report", "--output-dir", str(folder), "--template", "pmo_report",
                f"--TemplateExporter.extra_template_basedirs={TEMPLATES}", "--no-input",
                '--HTMLExporter.preprocessors=["pmo_assess.report.preprocessor.ReportPreprocessor"]',
                "--TagRemovePreprocessor.enabled=True",
                "--TagRemovePreprocessor.remove_cell_tags="
                '["remove-from-report","parameters","injected-parameters"]',
            ],
            "weasyprint": [
                tool("weasyprint"), str(folder / "report.html"), str(folder / "report.pdf"),
            ],
        }  # fmt: skip
        for stage, command in commands.items():
            wall, stage_peak = run(command, work)
            stages[stage] += wall
            peak = max(peak, stage_peak)
    wall = time.perf_counter() - start
    check_reports({slug: out / slug for slug in slugs})
    return Measured("(a) naive loop, 4 commands per client", wall, peak / MB, len(slugs), stages)


def batch(
    label: str,
    workspace: Path,
    out: Path,
    waves: dict[str, str],
    work: Path,
    workers: int,
    *extra: str,
    formats: str = "html,pdf",
) -> Measured:
    """One ``pmo-assess batch`` run writing ``formats`` into ``out`` with ``workers`` workers;
    with the CPU seconds per client by stage its manifests record."""
    command = [
        tool("pmo-assess"), "batch", "--workspace", str(workspace), "--out", str(out),
        "--format", formats, "--workers", str(workers), *extra,
    ]  # fmt: skip
    wall, peak = run(command, work)
    return Measured(label, wall, peak / MB, len(waves), workers=workers, cpu=stage_cpu(out, waves))


def stage_cpu(out: Path, waves: dict[str, str]) -> dict[str, float]:
    """Mean CPU seconds per client by stage, from the manifests beside the reports in ``out``."""
    totals: dict[str, float] = {}
    for folder in batch_folders(out, waves).values():
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        for stage, seconds in manifest.get("cpu_seconds", {}).items():
            totals[stage] = totals.get(stage, 0.0) + seconds
    return {stage: seconds / len(waves) for stage, seconds in totals.items()}


def check_reports(folders: dict[str, Path]) -> None:
    """Every folder holds a non-empty report.html and a report.pdf that is a PDF."""
    problems = []
    for slug, folder in folders.items():
        html, pdf = folder / "report.html", folder / "report.pdf"
        if not html.is_file() or html.stat().st_size == 0:
            problems.append(f"{slug}: no report.html (or it is empty) in {folder}")
        if not pdf.is_file():
            problems.append(f"{slug}: no report.pdf in {folder}")
        else:
            with pdf.open("rb") as file:
                if file.read(4) != b"%PDF":
                    problems.append(f"{slug}: {pdf} does not start with %PDF")
    if problems:
        raise BenchFailed("missing or broken reports:\n  " + "\n  ".join(problems))


def batch_folders(out: Path, waves: dict[str, str]) -> dict[str, Path]:
    """Where ``pmo-assess batch`` writes each client's latest report: ``<out>/<client>/<wave>``."""
    return {slug: report_folder(out, slug, wave) for slug, wave in waves.items()}


def check_batch(out: Path, waves: dict[str, str]) -> None:
    """The batch wrote every client's reports and the firm's index.html."""
    check_reports(batch_folders(out, waves))
    if not (out / "index.html").is_file():
        raise BenchFailed(f"no index.html in {out}")


def fingerprints(out: Path, waves: dict[str, str]) -> dict[Path, tuple[int, int]]:
    """(modification time, size) of every report file, to show a run left them alone."""
    folders = batch_folders(out, waves).values()
    files = [folder / name for folder in folders for name in ("report.html", "report.pdf")]
    return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in files}


def print_table(steps: list[Measured], naive: Measured | None) -> None:
    header = f"{'step':48} {'wall s':>8} {'reports/min':>12} {'speed-up':>9} {'peak MB':>8}"
    print(header)
    print("-" * len(header))
    for step in steps:
        per_minute = step.clients / step.wall_s * 60
        speedup = f"{naive.wall_s / step.wall_s:8.1f}x" if naive else f"{'-':>9}"
        print(
            f"{step.label:48} {step.wall_s:8.1f} {per_minute:12.1f} {speedup} {step.peak_mb:8.0f}"
        )
    print("reports/min: clients rendered per minute; for (d), clients checked per minute")
    if naive:
        per_client = ", ".join(f"{k} {v / naive.clients:.1f} s" for k, v in naive.stages.items())
        print(f"naive loop per client: {naive.wall_s / naive.clients:.1f} s ({per_client})")


STAGES = ("results", "kernel", "notebook", "html", "pdf", "office", "pptx", "docx")


def print_stages(steps: list[Measured]) -> None:
    """CPU seconds per client by stage, for every batch that rendered."""
    rendered = [s for s in steps if s.cpu]
    stages = [k for k in STAGES if any(k in s.cpu for s in rendered)]
    stages += sorted({k for s in rendered for k in s.cpu} - set(stages))
    print("\nCPU seconds per client, by stage (from the batch's manifests):")
    header = f"{'step':48} " + " ".join(f"{k:>8}" for k in stages) + f" {'total':>8}"
    print(header)
    print("-" * len(header))
    for step in rendered:
        cells = " ".join(f"{step.cpu.get(k, 0.0):8.2f}" for k in stages)
        print(f"{step.label:48} {cells} {sum(step.cpu.values()):8.2f}")
    print(
        "results: building the results in the worker; kernel: the report kernel's own CPU "
        "(forked, running the notebook: sections and charts); notebook: the worker's share of "
        "the run (papermill, nbformat); html, pdf, pptx, docx: writing each file; office: "
        "what the deck and the Word report share"
    )


def print_scaling(batches: list[Measured], naive: Measured | None) -> None:
    """Speed-up at each worker count, against one worker and against the naive loop."""
    single = next(b for b in batches if b.workers == 1)
    print("\nscaling (HTML and PDF, --force):")
    for step in sorted(batches, key=lambda b: b.workers):
        against = f", {naive.wall_s / step.wall_s:.1f}x the naive loop" if naive else ""
        print(
            f"  {step.workers} worker(s): {step.wall_s:6.1f} s, "
            f"{single.wall_s / step.wall_s:.2f}x one worker{against}"
        )


def print_targets(
    naive: Measured | None, full: Measured, unchanged: Measured, office: Measured
) -> None:
    def line(target: str, figure: str, met: bool | None) -> None:
        verdict = {True: "met", False: "MISSED", None: "not measured (--skip-naive)"}[met]
        print(f"  {target:58} {figure:>9}  {verdict}")

    print("\ntargets:")
    speedup = naive.wall_s / full.wall_s if naive else None
    line(
        f"(c) at least {TARGET_SPEEDUP:.0f}x faster than (a)",
        f"{speedup:.1f}x" if speedup else "-",
        speedup >= TARGET_SPEEDUP if speedup else None,
    )
    extra_cpu = sum(office.cpu.values()) - sum(full.cpu.values())
    line(
        f"(e) at most {TARGET_OFFICE_EXTRA_S:g} s more CPU per client than (c)",
        f"{extra_cpu:.2f} s",
        extra_cpu <= TARGET_OFFICE_EXTRA_S,
    )
    # wall time a worker spends on a client: the batch's wall time shared among its workers
    extra_wall = (office.wall_s - full.wall_s) * full.workers / full.clients
    line(
        f"(e) at most {TARGET_OFFICE_EXTRA_S:g} s more wall per client and worker",
        f"{extra_wall:.2f} s",
        extra_wall <= TARGET_OFFICE_EXTRA_S,
    )
    line(
        f"(d) under {TARGET_UNCHANGED_S:.0f} s",
        f"{unchanged.wall_s:.1f} s",
        unchanged.wall_s < TARGET_UNCHANGED_S,
    )
    for step in (full, office):
        line(
            f"{step.label[:3]} peak memory under {TARGET_PEAK_MB:.0f} MB",
            f"{step.peak_mb:.0f} MB",
            step.peak_mb < TARGET_PEAK_MB,
        )


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def print_machine() -> None:
    cores = available_cores()
    memory = psutil.virtual_memory().total / 1024**3
    packages = ", ".join(
        f"{name} {package_version(name)}"
        for name in ("pmo-assess", "papermill", "nbconvert", "weasyprint")
    )
    print(
        f"{cores} cores available, {memory:.0f} GB memory, {platform.system()}; "
        f"Python {platform.python_version()}; {packages}"
    )


def bench(root: Path, clients: int, skip_naive: bool) -> None:
    workspace, work = root / "workspace", root
    waves = build_workspace(workspace, clients, work)
    slugs = list(waves)
    steps: list[Measured] = []
    naive = None
    if not skip_naive:
        naive = naive_loop(workspace, slugs, root / "naive", work)
        steps.append(naive)
    cores = available_cores()
    default = default_workers(clients)  # what `pmo-assess batch` picks
    serial = batch(
        "(b) batch --workers 1 --force", workspace, root / "batch-1", waves, work, 1, "--force"
    )
    check_batch(root / "batch-1", waves)
    full = batch(
        f"(c) batch --force (default workers: {default})",
        workspace, root / "batch", waves, work, default, "--force",
    )  # fmt: skip
    check_batch(root / "batch", waves)
    scaling = [serial, full]
    for workers in sorted({cores} - {1, default}):  # all cores, when the default leaves some out
        extra = batch(
            f"(c') batch --workers {workers} --force",
            workspace, root / f"batch-{workers}", waves, work, workers, "--force",
        )  # fmt: skip
        check_batch(root / f"batch-{workers}", waves)
        scaling.append(extra)
    before = fingerprints(root / "batch", waves)
    unchanged = batch(
        "(d) batch again, nothing changed", workspace, root / "batch", waves, work, default
    )
    unchanged.cpu = {}  # its manifests are (c)'s: it rendered nothing
    check_batch(root / "batch", waves)
    after = fingerprints(root / "batch", waves)
    touched = [str(path) for path, mark in after.items() if before[path] != mark]
    if touched:
        raise BenchFailed(
            "(d) rewrote reports although nothing changed:\n  " + "\n  ".join(touched)
        )
    office = batch(
        "(e) batch --force, with the deck and Word report",
        workspace, root / "batch-office", waves, work, default, "--force",
        formats="html,pdf,pptx,docx",
    )  # fmt: skip
    check_batch(root / "batch-office", waves)
    check_office(batch_folders(root / "batch-office", waves))
    steps += [*scaling, unchanged, office]
    print()
    print_table(steps, naive)
    print_stages(steps)
    print_scaling(scaling, naive)
    if cores <= 2:
        print(f"  (this machine has {cores} cores: 'all cores' is the default above)")
    print_targets(naive, full, unchanged, office)


def check_office(folders: dict[str, Path]) -> None:
    """Every folder holds a deck and a Word report (both are ZIP files)."""
    problems = [
        f"{slug}: no {name} (or not a ZIP file) in {folder}"
        for slug, folder in folders.items()
        for name in ("deck.pptx", "report.docx")
        if not (folder / name).is_file() or (folder / name).read_bytes()[:2] != b"PK"
    ]
    if problems:
        raise BenchFailed("missing deck or Word report:\n  " + "\n  ".join(problems))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clients", type=int, default=20, metavar="N", help="demo clients, 1 to 20 (default 20)"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep the workspace and reports in DIR (new or empty)",
    )
    parser.add_argument(
        "--skip-naive",
        action="store_true",
        help="leave out the naive loop (a): quicker, no speed-ups",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 20:
        parser.error(f"--clients must be from 1 to 20; got {args.clients}")
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep} is not empty; give a new or empty folder")
    print_machine()
    try:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            bench(args.keep.resolve(), args.clients, args.skip_naive)
            print(f"\nworkspace and reports kept in {args.keep}")
        else:
            root = Path(tempfile.mkdtemp(prefix="pmo-bench-batch-"))
            try:
                bench(root, args.clients, args.skip_naive)
            finally:
                shutil.rmtree(root, ignore_errors=True)
    except BenchFailed as failed:
        print(f"\nbench/batch.py FAILED: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
