"""Batch rendering as a consultant relies on it: one broken client never stops the others, unchanged
clients are skipped, a stopped batch leaves no partial file and no kernel, kernels talk over IPC."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from pmo_assess.batch import run as batch
from pmo_assess.batch.index import write_index
from pmo_assess.batch.inputs import client_digest, renderer_digest
from pmo_assess.batch.run import MANIFEST, BatchOptions, Job, Outcome, is_current, plan_batch
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results
from pmo_assess.report.branding import Branding
from pmo_assess.report.render import KernelFailed, ReportFailed, ReportOutputs, render_results
from pmo_assess.store import schema as store_schema
from pmo_assess.store.repository import Store

BATCH = (sys.executable, "-m", "pmo_assess", "batch")
FIRST, SECOND, THIRD = (
    "quellbach-prazision",
    "larkspur-mutual-assurance",
    "hollowmere-county-council",
)


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory) -> Path:
    """Three demo clients; tests copy it before changing anything."""
    folder = tmp_path_factory.mktemp("batch") / "ws"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=3)
    return folder


@pytest.fixture
def workspace(demo_workspace, tmp_path) -> Path:
    copy = tmp_path / "ws"
    shutil.copytree(demo_workspace, copy)
    return copy


def run_batch_cli(workspace: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BATCH, "--workspace", str(workspace), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=600,
    )


def statuses(stdout: str) -> dict[str, str]:
    """Client -> status from the summary table."""
    found = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in (FIRST, SECOND, THIRD):
            found[parts[0]] = parts[2]
    return found


def break_client(workspace: Path, slug: str) -> None:
    """Make one stored answer name a question the questionnaire no longer has."""
    with Store.open(workspace) as store:
        wave = store.waves(store.engagement(slug).id)[-1]
        respondent = store.respondents(wave.id)[0]
        answers = store_schema.answers
        with store.transaction() as conn:
            first = conn.execute(
                sa.select(answers.c.id).where(answers.c.respondent_id == respondent.id).limit(1)
            ).scalar_one()
            conn.execute(
                sa.update(answers).where(answers.c.id == first).values(question_id="GONE-1")
            )


def change_one_answer(workspace: Path, slug: str) -> None:
    with Store.open(workspace) as store:
        wave = store.waves(store.engagement(slug).id)[-1]
        respondent = store.respondents(wave.id)[0]
        question, current = next(
            (q, a) for q, a in store.answers_of(respondent.id).items() if a.value is not None
        )
        store.record_answer(
            respondent.id, question, value=5 if current.value != 5 else 1, status="answered"
        )


def test_a_broken_client_fails_alone_then_unchanged_clients_are_skipped(workspace, tmp_path):
    out = tmp_path / "reports"
    break_client(workspace, THIRD)

    first = run_batch_cli(workspace, out, "--format", "html", "--workers", "2")

    assert first.returncode == 1, first.stderr
    assert statuses(first.stdout) == {FIRST: "rendered", SECOND: "rendered", THIRD: "failed"}
    assert "GONE-1" in first.stdout and f"error: {THIRD}:" in first.stderr
    assert "GONE-1" in first.stderr and "Traceback" not in first.stderr
    for slug in (FIRST, SECOND):
        assert (out / slug / "2026-Q3" / "report.html").read_text().rstrip().endswith("</html>")
        # what bench/batch.py reads: the CPU of each stage, the forked kernel's own included
        cpu = json.loads((out / slug / "2026-Q3" / MANIFEST).read_text())["cpu_seconds"]
        assert set(cpu) == {"results", "notebook", "kernel", "html"}, cpu
        assert cpu["kernel"] > cpu["html"] > 0 and cpu["results"] > 0
    assert not (out / THIRD).joinpath("2026-Q3", "report.html").exists()
    log = out / "_logs" / f"{THIRD}.log"
    assert "GONE-1" in log.read_text()
    index = (out / "index.html").read_text()
    assert index.count("<tr class=") == 3 and "Failed" in index and "GONE-1" in index
    assert f'href="{FIRST}/2026-Q3/report.html"' in index and "<script" not in index

    second = run_batch_cli(workspace, out, "--format", "html")
    assert statuses(second.stdout) == {FIRST: "skipped", SECOND: "skipped", THIRD: "failed"}
    assert second.returncode == 1

    kept = (out / SECOND / "2026-Q3" / MANIFEST).read_text()
    change_one_answer(workspace, FIRST)
    third = run_batch_cli(workspace, out, "--format", "html", "--clients", f"{FIRST},{SECOND}")
    assert third.returncode == 0, third.stderr
    assert statuses(third.stdout) == {FIRST: "rendered", SECOND: "skipped"}
    assert (out / SECOND / "2026-Q3" / MANIFEST).read_text() == kept
    # the third client has never had a report, so a run without it lists the other two
    assert (out / "index.html").read_text().count("<tr class=") == 2


def test_asking_for_pdf_renders_a_client_whose_last_run_made_html_only(workspace, tmp_path):
    out = tmp_path / "reports"
    assert run_batch_cli(workspace, out, "--format", "html", "--clients", FIRST).returncode == 0
    again = run_batch_cli(workspace, out, "--format", "html,pdf", "--clients", FIRST)
    assert again.returncode == 0 and statuses(again.stdout) == {FIRST: "rendered"}
    assert (out / FIRST / "2026-Q3" / "report.pdf").read_bytes().startswith(b"%PDF")


def test_sigterm_leaves_no_partial_file_and_no_kernel_and_kernels_use_ipc(workspace, tmp_path):
    out = tmp_path / "reports"
    with running_batch(workspace, out) as (process, seen, sockets):
        # The known point: the third client's notebook is under way (its work folder holds
        # partial files), and a client finished before it could start.
        finished = [m.parent for m in out.rglob(MANIFEST)]
        in_progress = list(out.rglob(".work-*"))
        assert finished and in_progress, sorted(str(p.relative_to(out)) for p in out.rglob("*"))
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    assert "Stopped" in stderr and "Traceback" not in stderr
    assert not still_running(seen), "processes left running"
    assert not any(Path(path).parent.exists() for path in sockets), "socket folder left behind"
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".work-") or p.suffix == ".tmp"]
    assert not leftovers
    for folder in finished:  # finished reports are kept whole
        assert (folder / MANIFEST).is_file()
        assert (folder / "report.html").read_text().rstrip().endswith("</html>")
        assert len(PdfReader(folder / "report.pdf").pages) > 3
    for html in out.rglob("report.html"):
        assert html.read_text().rstrip().endswith("</html>")
    for pdf in out.rglob("report.pdf"):
        assert len(PdfReader(pdf).pages) > 3


def test_a_batch_killed_outright_leaves_no_worker_or_kernel_behind(workspace, tmp_path):
    # SIGKILL cannot be handled: the workers notice their parent has gone and end, their fork
    # servers see the pipe close, and the kernels watch their parents.
    with running_batch(workspace, tmp_path / "reports") as (process, seen, _):
        process.kill()
        process.communicate(timeout=60)
    survivors = still_running(seen, seconds=20)
    assert not survivors, f"left running: {[p.pid for p in survivors]}"


@contextmanager
def running_batch(
    workspace: Path, out: Path
) -> Iterator[tuple[subprocess.Popen[str], dict[int, psutil.Process], list[str]]]:
    """A two-worker batch of the three clients, stopped at a known point: the third client's
    notebook has run its first cell (so one of the first two has finished) and its worker holds
    still there (the batch's test hook). Yields the process, every descendant seen, and the
    kernels' socket paths. Kills the whole tree if the test fails."""
    started = out.parent / "started.txt"
    hook = {batch.STARTED_FILE_VARIABLE: str(started), batch.HOLD_FROM_VARIABLE: "3"}
    process = subprocess.Popen(
        [*BATCH, "--workspace", str(workspace), "--out", str(out), "--workers", "2", "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | hook,
    )
    seen: dict[int, psutil.Process] = {}
    sockets: list[str] = []
    deadline = time.monotonic() + 300
    try:
        # A kernel is a process of the batch listening on sockets (started from scratch, or
        # forked from a worker's fork server, whose command line it keeps).
        while time.monotonic() < deadline and process.poll() is None:
            for child in psutil.Process(process.pid).children(recursive=True):
                seen[child.pid] = child
                sockets += _kernel_sockets(child)
            if len(started_clients(started)) >= 3:
                break
            time.sleep(0.1)
        assert process.poll() is None, (
            f"the batch ended before the third client started: {process.communicate()}"
        )
        assert len(started_clients(started)) >= 3, (
            f"the third client's notebook did not start within 5 minutes: {started_clients(started)}"
        )
        for child in psutil.Process(process.pid).children(recursive=True):
            seen[child.pid] = child
            sockets += _kernel_sockets(child)
        assert sockets, "no kernel seen"
        yield process, seen, sockets
    finally:
        if process.poll() is None:
            for child in [*seen.values(), psutil.Process(process.pid)]:
                with suppress(psutil.Error):
                    child.kill()
            process.wait()


def started_clients(marker: Path) -> set[str]:
    """The clients whose notebook has run its first cell, as the batch's test hook wrote them."""
    return set(marker.read_text().split()) if marker.is_file() else set()


def still_running(seen: dict[int, psutil.Process], seconds: float = 10) -> list[psutil.Process]:
    _, survivors = psutil.wait_procs(list(seen.values()), timeout=seconds)
    return [p for p in survivors if _running(p)]  # a zombie awaiting its reaper is dead


def _kernel_sockets(process: psutil.Process) -> list[str]:
    """The Unix socket paths of a kernel's channels (IPC transport: a TCP kernel has none)."""
    try:
        if not any("kernel" in part for part in process.cmdline()):
            return []
        unix = [c.laddr for c in process.net_connections(kind="unix") if c.laddr]
    except psutil.Error:  # exited (or a zombie) since it was listed
        return []
    return [str(path) for path in unix if "/pmo-k-" in str(path)]


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_kernel_that_fails_to_start_gets_one_retry(workspace, tmp_path, monkeypatch):
    calls = []

    def flaky(
        results,
        folder,
        formats,
        branding,
        timeout,
        questionnaire,
        on_cell_executed,
        commentary,
        templates,
    ):
        calls.append(folder)
        if len(calls) == 1:
            raise KernelFailed("The report notebook's kernel failed (RuntimeError: died).")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "report.html").write_text("<html></html>")
        (folder / "results.json").write_text("{}")
        return ReportOutputs(folder, {"html": folder / "report.html"})

    outcome = _render_in_process(workspace, tmp_path, monkeypatch, flaky)
    assert outcome.status == "rendered" and len(calls) == 2
    assert json.loads((outcome.files["html"].parent / MANIFEST).read_text())["fingerprint"] == "f"


def test_a_kernel_failing_twice_fails_the_client_with_a_log(workspace, tmp_path, monkeypatch):
    def dead(*args, **kwargs):
        raise KernelFailed("The report notebook's kernel failed (RuntimeError: died).")

    outcome = _render_in_process(workspace, tmp_path, monkeypatch, dead)
    assert outcome.status == "failed" and "kernel failed" in outcome.cause
    assert outcome.log is not None and "kernel failed" in outcome.log.read_text()


def _render_in_process(workspace, tmp_path, monkeypatch, fake) -> Outcome:
    monkeypatch.setattr(batch, "render_results", fake)
    out = tmp_path / "out"
    settings = batch._Settings(out, ("html",), None, None, 60.0)
    with Store.open(workspace) as store:
        monkeypatch.setattr(batch, "_STORE", store)
        job = Job(FIRST, FIRST, "2026-Q3", out / FIRST / "2026-Q3", "f")
        return batch.render_job(job, settings)


def test_a_notebook_over_its_time_limit_is_stopped_with_its_kernel(workspace, tmp_path):
    with Store.open(workspace) as store:
        results = build_results(store, FIRST)
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(ReportFailed, match=r"time limit of 1\.5 s"):
        render_results(results, tmp_path / "out", ("html",), Branding(), timeout=1.5)
    assert not (tmp_path / "out" / "report.html").exists()
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    assert not [p for p in left if _running(p)]


def test_the_digest_follows_the_client_own_inputs_only(workspace):
    shared = renderer_digest(Branding(), None)
    with Store.open(workspace) as store:
        before = client_digest(store, FIRST, "2026-Q3", shared)
        assert client_digest(store, FIRST, "2026-Q3", shared) == before
        change_one_answer(workspace, SECOND)
        assert client_digest(store, FIRST, "2026-Q3", shared) == before
        engagement = store.engagement(FIRST)
        store.set_dimension(engagement.id, "governance", 4.5, 3)
        assert client_digest(store, FIRST, "2026-Q3", shared) != before
    assert renderer_digest(Branding(primary="#123456"), None) != shared


def test_a_report_counts_as_current_only_with_its_manifest_and_every_file(tmp_path):
    folder = tmp_path / "acme" / "w1"
    folder.mkdir(parents=True)
    for name in ("results.json", "report.html"):
        (folder / name).write_text("x")
    assert not is_current(folder, "abc", ["html"])  # no manifest yet
    batch.write_manifest(folder, "abc", ["html"], 1.0)
    assert is_current(folder, "abc", ["html"])
    assert not is_current(folder, "other", ["html"])
    assert not is_current(folder, "abc", ["html", "pdf"])


def test_plan_fails_a_client_without_waves_and_keeps_going(workspace, tmp_path):
    with Store.open(workspace) as store:
        store.add_client("Empty Co (fictional)", slug="empty-co")
        options = BatchOptions(workspace=workspace, out_dir=tmp_path)
        jobs, decided = plan_batch(store, [FIRST, "empty-co"], options, Branding())
    assert [j.slug for j in jobs] == [FIRST]
    assert decided[0].status == "failed" and "empty-co" in decided[0].cause


def test_the_index_escapes_names_and_links_inside_the_folder(tmp_path):
    folder = tmp_path / "zoe" / "w1"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<html></html>")
    results = {
        "client": {"name": 'Zoë & "Partners" <script>x()</script>', "industry": "Retail"},
        "assessment": {"overall": {"score": 2.5, "level": "Defined"}},
        "respondents": {"total": 4},
    }
    (folder / "results.json").write_text(json.dumps(results))
    outcome = Outcome(
        "zoe", results["client"]["name"], "w1", "rendered", 3.0, {"html": folder / "report.html"}
    )
    failed = Outcome("bad", "Bad <b>Co</b>", "w1", "failed", cause="Cell 4 failed: <oops>")
    html = write_index(tmp_path, [outcome, failed]).read_text()
    assert "<script" not in html and "&lt;script&gt;" in html and "&lt;oops&gt;" in html
    assert 'href="zoe/w1/report.html"' in html and '<td class="num">2.5</td>' in html
    assert "Failed" in html


def test_cli_refuses_unknown_clients_and_bad_worker_counts(workspace, tmp_path):
    unknown = run_batch_cli(workspace, tmp_path, "--clients", "ghost")
    assert unknown.returncode == 1 and "Unknown client(s) in --clients: ghost" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    zero = run_batch_cli(workspace, tmp_path, "--workers", "0")
    assert zero.returncode == 2 and "whole number from 1 to 64" in zero.stderr
