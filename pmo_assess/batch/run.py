"""Render the reports of many clients at once: in parallel, each in isolation, only when needed.

``run_batch`` plans in the calling process and renders in a pool of worker processes:

- **Plan.** For each client, pick the wave and compute the digest of its inputs
  (:mod:`pmo_assess.batch.inputs`). A client whose digest equals the one in the manifest beside its
  last report (``.pmo-batch.json``), with every requested file present, is skipped; ``force``
  renders it anyway. Commentary found only in a kept notebook edited since that report is saved
  to the store first (:mod:`pmo_assess.batch.commentary`), so it counts in the digest.
- **Render.** Each worker opens the store once and starts a fork server
  (:mod:`pmo_assess.report.kernel_fork`), then per client builds the results and runs the report
  notebook in a fresh kernel of its own, forked from that server (IPC transport, time limit, one
  retry when the kernel fails). Files are written atomically and the manifest last, so a report interrupted
  half-way is rendered again next time.
- **Failures** stay with their client: the outcome names the cell and the cause, a log (and the
  failed notebook, never a report) is kept under ``<out>/_logs/``, and the other clients go on. A
  worker process that dies is replaced and its clients retried once.
- **Stopping.** Ctrl-C or SIGTERM kills the workers and their kernels, removes the partial files
  of the clients in progress and raises :class:`BatchStopped`; finished reports stay.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_assess.batch.commentary import keep_unsaved_commentary
from pmo_assess.batch.inputs import client_digest, package_version, renderer_digest
from pmo_assess.batch.leftovers import KERNEL_FOLDER_PREFIX, remove_leftovers
from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.report.branding import Branding, load_branding
from pmo_assess.report.kernel_fork import KERNEL_DIR_VARIABLE, skip_iri_grammars, start_fork_server
from pmo_assess.report.office import output_name
from pmo_assess.report.render import (
    FORMATS,
    KernelFailed,
    ReportFailed,
    ReportOutputs,
    render_results,
    report_folder,
    stale_note,
)
from pmo_assess.store.commentary import read_commentary
from pmo_assess.store.repository import Store, choose_wave, no_answers_message

if TYPE_CHECKING:
    import nbformat

MANIFEST = ".pmo-batch.json"
LOGS = "_logs"  # client slugs never start with "_", so this folder never meets a client's
RENDERED, SKIPPED, FAILED = "rendered", "skipped", "failed"
FORK_VARIABLE = "PMO_ASSESS_FORK_KERNELS"  # "0": start every kernel from scratch
MAX_DEFAULT_WORKERS = 4  # measured: more than about 4 on 2 cores gains nothing


@dataclass(frozen=True)
class BatchOptions:
    """What to render, where, and how."""

    workspace: Path
    out_dir: Path
    db_url: str | None = None
    wave: str | None = None  # None: each client's latest wave
    formats: tuple[str, ...] = FORMATS
    branding_path: Path | None = None
    benchmark_path: Path | None = None
    workers: int | None = None  # None: chosen from the machine's cores
    timeout: float = 600.0  # seconds one client's notebook may run
    force: bool = False
    #: The firm's PowerPoint and Word templates by format (``--template``), over the branding's.
    templates: tuple[tuple[str, Path], ...] = ()


@dataclass(frozen=True)
class Job:
    """One client's report to render."""

    slug: str
    name: str
    wave: str
    folder: Path
    fingerprint: str
    notes: tuple[str, ...] = ()  # what planning did for it (commentary saved), for its outcome


@dataclass(frozen=True)
class Outcome:
    """What happened to one client: rendered, skipped (unchanged) or failed, and its files."""

    slug: str
    name: str
    wave: str | None
    status: str
    seconds: float = 0.0
    files: dict[str, Path] = field(default_factory=dict)
    cause: str = ""
    log: Path | None = None
    warnings: tuple[str, ...] = ()  # what the ``pmo_assess`` logger warned of meanwhile
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds by stage, when rendered


class BatchStopped(PmoAssessError):
    """The batch was stopped (Ctrl-C or SIGTERM); ``outcomes`` holds the clients that finished."""

    def __init__(self, outcomes: list[Outcome], pending: int) -> None:
        self.outcomes = outcomes
        super().__init__(
            f"Stopped: {len(outcomes)} client(s) finished, {pending} not rendered. Workers and "
            "kernels were stopped and no partial file was left; finished reports are kept."
        )


def available_cores() -> int:
    """The cores this process may run on."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores or 1


def default_workers(jobs: int) -> int:
    """One worker per core, at most :data:`MAX_DEFAULT_WORKERS`, never more than the jobs."""
    return max(1, min(available_cores(), MAX_DEFAULT_WORKERS, jobs))


def run_batch(
    options: BatchOptions,
    slugs: Sequence[str] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_plan: Callable[[int, int, int], None] | None = None,
) -> list[Outcome]:
    """Render the reports of ``slugs`` (every client when None); one outcome per client.

    ``on_plan(to_render, skipped, failed)`` is called once planning is done, and ``on_outcome``
    as each client finishes (first those that failed while planning, such as a client without
    answers, then the skipped ones). Raises :class:`BatchStopped` on Ctrl-C or SIGTERM.
    """
    branding = load_branding(options.branding_path)  # a bad file stops here, before any work
    remove_leftovers(options.out_dir, _temp_base(), time.time())  # of batches killed before
    with Store.open(options.workspace, options.db_url, create=False) as store:
        chosen = list(slugs) if slugs else [c.slug for c in store.clients()]
        jobs, decided = plan_batch(store, chosen, options, branding)
    decided.sort(key=lambda o: o.status != FAILED)
    if on_plan:
        failed = sum(1 for o in decided if o.status == FAILED)
        on_plan(len(jobs), len(decided) - failed, failed)
    for outcome in decided:
        if on_outcome:
            on_outcome(outcome)
    rendered = _render_all(jobs, options, on_outcome) if jobs else []
    by_slug = {o.slug: o for o in [*decided, *rendered]}
    return [by_slug[s] for s in chosen if s in by_slug]


def plan_batch(
    store: Store, slugs: Sequence[str], options: BatchOptions, branding: Branding
) -> tuple[list[Job], list[Outcome]]:
    """The clients to render, and the outcomes already known (skipped, or failed to plan)."""
    shared = renderer_digest(branding, options.benchmark_path, dict(options.templates))
    jobs, decided = [], []
    for slug in slugs:
        try:
            client = store.client(slug)
            engagement = store.engagement(slug)
            chosen = choose_wave(store.waves(engagement.id), options.wave, slug)
            wave = chosen.label
            people = store.respondents(chosen.id)
            if all(r.in_progress for r in people):  # else a worker would start, only to fail
                raise PmoAssessError(no_answers_message(slug, wave, people))
            folder = report_folder(options.out_dir, slug, wave)
            kept = keep_unsaved_commentary(store, slug, wave, folder, _manifest_time(folder))
            fingerprint = client_digest(store, slug, wave, shared)
        except PmoAssessError as exc:
            decided.append(Outcome(slug, slug, options.wave, FAILED, cause=str(exc)))
            continue
        if not options.force and is_current(folder, fingerprint, options.formats):
            files = {f: folder / output_name(f) for f in options.formats}
            decided.append(Outcome(slug, client.name, wave, SKIPPED, files=files))
        else:
            notes = (kept,) if kept else ()
            jobs.append(Job(slug, client.name, wave, folder, fingerprint, notes))
    return jobs, decided


def _manifest_time(folder: Path) -> float | None:
    """When the report in ``folder`` was completed (its manifest is written last), if it was."""
    try:
        return (folder / MANIFEST).stat().st_mtime
    except OSError:
        return None


def is_current(folder: Path, fingerprint: str, formats: Sequence[str]) -> bool:
    """True when ``folder`` holds a complete report of exactly these inputs in every format."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    needed = [folder / "results.json", *(folder / output_name(f) for f in formats)]
    return (
        manifest.get("fingerprint") == fingerprint
        and set(formats) <= set(manifest.get("formats", []))
        and all(p.is_file() and p.stat().st_size > 0 for p in needed)
    )


# --- the pool ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    """What every worker needs, sent once per job (small and picklable)."""

    out_dir: Path
    formats: tuple[str, ...]
    branding_path: Path | None
    benchmark_path: Path | None
    timeout: float
    templates: tuple[tuple[str, Path], ...] = ()


def _render_all(
    jobs: list[Job], options: BatchOptions, on_outcome: Callable[[Outcome], None] | None
) -> list[Outcome]:
    settings = _Settings(
        options.out_dir,
        options.formats,
        options.branding_path,
        options.benchmark_path,
        options.timeout,
        options.templates,
    )
    workers = options.workers or default_workers(len(jobs))
    outcomes: list[Outcome] = []
    broken: dict[str, int] = {}  # slug -> how many times its worker died under it
    queue = list(jobs)
    with _kernel_folder() as kernel_dir, _stop_on_sigterm():
        while queue:
            pool = _new_pool(min(workers, len(queue)), options, kernel_dir)
            running: dict[Future[Outcome], Job] = {}
            try:
                running = {pool.submit(render_job, job, settings): job for job in queue}
                queue = []
                while running:
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        job = running.pop(future)
                        outcome = _collect(future, job, broken, queue)
                        if outcome is not None:
                            outcomes.append(outcome)
                            if on_outcome:
                                on_outcome(outcome)
            except KeyboardInterrupt:
                _kill_pool(pool)
                for job in running.values():
                    remove_partial_files(job.folder)
                raise BatchStopped(outcomes, len(running) + len(queue)) from None
            pool.shutdown(wait=True)
    return outcomes


def _collect(
    future: Future[Outcome], job: Job, broken: dict[str, int], queue: list[Job]
) -> Outcome | None:
    """The outcome of a finished future; a job whose worker died goes back on the queue once."""
    try:
        return future.result()
    except BrokenProcessPool:
        remove_partial_files(job.folder)
        broken[job.slug] = broken.get(job.slug, 0) + 1
        if broken[job.slug] < 2:
            queue.append(job)
            return None
        return Outcome(
            job.slug,
            job.name,
            job.wave,
            FAILED,
            cause="The worker process rendering this client died twice (out of memory, or a "
            "crash in a library). No client report was written.",
        )


def _new_pool(workers: int, options: BatchOptions, kernel_dir: Path) -> ProcessPoolExecutor:
    # "spawn": workers start clean, sharing no store connections or threads with this process.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(str(options.workspace), options.db_url, str(kernel_dir)),
    )


def _kill_pool(pool: ProcessPoolExecutor) -> None:
    """SIGKILL the pool's workers and everything they started (kernels run in sessions of their
    own, so a signal to our process group never reaches them)."""
    import psutil

    # ProcessPoolExecutor has no public way to reach its workers before Python 3.14.
    workers = [psutil.Process(pid) for pid in list(getattr(pool, "_processes", {}) or {})]
    tree = []
    for worker in workers:
        try:
            tree += [worker, *worker.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
    for process in tree:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(tree, timeout=10)
    pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def _kernel_folder() -> Iterator[Path]:
    """One short folder for every kernel's sockets in this batch, removed whatever happens (and
    by the next batch when this one is killed: :mod:`pmo_assess.batch.leftovers`)."""
    prefix = f"{KERNEL_FOLDER_PREFIX}pid{os.getpid()}-"
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=_temp_base()))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _temp_base() -> Path:
    return Path(tempfile.gettempdir() if len(tempfile.gettempdir()) < 40 else "/tmp")


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while the batch runs (only the main thread may set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def remove_partial_files(folder: Path) -> None:
    """Remove what an interrupted render leaves in a report folder: its private work folder and
    the temporary files of atomic writes. Complete files are never touched."""
    if not folder.is_dir():
        return
    for path in folder.glob(".work-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in folder.glob(".*.tmp"):
        path.unlink(missing_ok=True)


# --- in a worker -------------------------------------------------------------------------------

_STORE: Store | None = None


class _Warnings(logging.Handler):
    """Keeps the warnings logged in a worker until its next outcome takes them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def take(self) -> tuple[str, ...]:
        """The warnings since the last call (in a worker's first outcome, its start's too)."""
        taken, self.messages = tuple(self.messages), []
        return taken


_WARNINGS = _Warnings()


def _init_worker(workspace: str, db_url: str | None, kernel_dir: str) -> None:
    """Open the store once per worker; the main process alone decides when to stop."""
    global _STORE
    # The package's warnings go to the client's outcome (the batch lists them), not to stderr.
    logging.getLogger("pmo_assess").addHandler(_WARNINGS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    os.environ[KERNEL_DIR_VARIABLE] = kernel_dir
    skip_iri_grammars()  # before nbformat's validation imports jsonschema
    if os.environ.get(FORK_VARIABLE, "1") != "0":
        start_fork_server()  # imports while the first client's results are built
    _STORE = Store.open(workspace, db_url)


def _exit_with_parent(parent: int, every_s: float = 1.0) -> None:
    """End this worker when the batch process is gone (killed with SIGKILL, which it cannot
    handle): a pool worker would otherwise wait for work for ever. Its fork server sees the pipe
    close and exits, and the kernels watch their parents too."""
    while os.getppid() == parent:
        time.sleep(every_s)
    os._exit(1)


def render_job(job: Job, settings: _Settings) -> Outcome:
    """Render one client's report in this worker; every failure becomes a failed outcome, and
    what the package warned of meanwhile (a kernel that could not be forked) goes with it."""
    outcome = _render_job(job, settings)
    return replace(outcome, warnings=(*job.notes, *outcome.warnings, *_WARNINGS.take()))


def _render_job(job: Job, settings: _Settings) -> Outcome:
    started = time.perf_counter()
    try:
        outputs = _render_with_retry(job, settings)
    except ReportFailed as exc:
        kernel = f"\n\n--- what the kernel printed ---\n{exc.kernel_log}" if exc.kernel_log else ""
        return _failed(job, settings, started, f"{exc}{kernel}", exc.notebook, summary=str(exc))
    except PmoAssessError as exc:
        return _failed(job, settings, started, str(exc))
    except Exception as exc:  # a bug; other clients must not pay for it, and the log keeps it
        detail = "".join(traceback.format_exception(exc))
        cause = f"Unexpected error ({type(exc).__name__}: {exc}); the log has the traceback."
        return _failed(job, settings, started, f"{cause}\n\n{detail}", summary=cause)
    finally:
        # papermill's event loop leaves SIGINT handled again; the main process decides.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    seconds = time.perf_counter() - started
    write_manifest(job.folder, job.fingerprint, settings.formats, seconds, outputs.cpu)
    for stale in (f"{job.slug}.log", f"{job.slug}.failed.ipynb"):  # an earlier failure's
        (settings.out_dir / LOGS / stale).unlink(missing_ok=True)
    files = {k: v for k, v in outputs.files.items() if k in settings.formats}
    removed = tuple(stale_note(path, settings.formats) for path in outputs.removed)
    return Outcome(
        job.slug, job.name, job.wave, RENDERED, seconds, files, warnings=removed, cpu=outputs.cpu
    )


def _render_with_retry(job: Job, settings: _Settings) -> ReportOutputs:
    from pmo_assess.insight.results import build_results, questionnaire_file

    if _STORE is None:  # pragma: no cover - the pool's initializer always opens it
        raise RuntimeError("render_job runs in a batch worker, after _init_worker")
    started = time.process_time()
    results = build_results(_STORE, job.slug, job.wave, benchmark_path=settings.benchmark_path)
    results_cpu = {"results": round(time.process_time() - started, 3)}
    branding = load_branding(settings.branding_path)
    run = (job.folder, settings.formats, branding, settings.timeout)
    questionnaire = questionnaire_file(_STORE, job.slug)
    hook = _test_hook(job.slug)  # None unless a test asks for it
    commentary = read_commentary(_STORE, job.slug, job.wave)
    templates = dict(settings.templates)
    try:
        outputs = render_results(
            results,
            *run,
            questionnaire,
            on_cell_executed=hook,
            commentary=commentary,
            templates=templates,
        )
    except KernelFailed:  # a kernel that would not start: one more try with a fresh one
        outputs = render_results(
            results,
            *run,
            questionnaire,
            on_cell_executed=hook,
            commentary=commentary,
            templates=templates,
        )
    return replace(outputs, cpu=results_cpu | outputs.cpu)


def write_manifest(
    folder: Path,
    fingerprint: str,
    formats: Sequence[str],
    seconds: float,
    cpu: dict[str, float] | None = None,
) -> None:
    """Record what the report in ``folder`` was made from, and what it cost (``cpu``: CPU
    seconds by stage, which ``bench/batch.py`` reads); written last, after every file."""
    manifest = {
        "fingerprint": fingerprint,
        "formats": sorted(formats),
        "rendered_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 2),
        "cpu_seconds": cpu or {},
        "pmo_assess": package_version(),
    }
    write_text_atomic(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")


def _failed(
    job: Job,
    settings: _Settings,
    started: float,
    detail: str,
    notebook: nbformat.NotebookNode | None = None,
    summary: str | None = None,
) -> Outcome:
    """A failed outcome with its log (and the failed notebook) kept under ``_logs``."""
    logs = settings.out_dir / LOGS
    log = logs / f"{job.slug}.log"
    text = (
        f"client: {job.slug}\nwave: {job.wave}\n"
        f"when: {datetime.now(UTC).isoformat(timespec='seconds')}\n\n{detail}\n"
    )
    write_text_atomic(log, text)
    if notebook is not None:
        import nbformat

        write_text_atomic(logs / f"{job.slug}.failed.ipynb", nbformat.writes(notebook) + "\n")
    remove_partial_files(job.folder)
    seconds = time.perf_counter() - started
    return Outcome(job.slug, job.name, job.wave, FAILED, seconds, cause=summary or detail, log=log)


# --- for tests only ----------------------------------------------------------------------------

#: A file to which a worker appends a client's slug once that client's report notebook has run
#: its first cell: its kernel has started and its work folder holds partial files.
STARTED_FILE_VARIABLE = "PMO_ASSESS_TEST_STARTED_FILE"
#: A worker that finds N or more clients named there (a retried client counts once) then holds
#: still for :data:`HOLD_SECONDS`, so a test stops the batch at a known point (with 2 workers and
#: N=3, a worker had finished one of the first two clients before the third started).
HOLD_FROM_VARIABLE = "PMO_ASSESS_TEST_HOLD_FROM"
HOLD_SECONDS = 120.0


def _test_hook(slug: str) -> Callable[..., None] | None:
    """The render hook :data:`STARTED_FILE_VARIABLE` asks for; None when it is unset."""
    marker = os.environ.get(STARTED_FILE_VARIABLE)
    if not marker:
        return None
    hold_from = int(os.environ.get(HOLD_FROM_VARIABLE) or 0)
    pending = [True]  # the first executed cell only

    def on_cell_executed(**_: Any) -> None:
        if not pending:
            return
        pending.clear()
        with open(marker, "a", encoding="utf-8") as file:
            file.write(f"{slug}\n")
        started = set(Path(marker).read_text(encoding="utf-8").split())
        if hold_from and len(started) >= hold_from:
            time.sleep(HOLD_SECONDS)

    return on_cell_executed
