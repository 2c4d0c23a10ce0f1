"""Report kernels through jupyter_client's public API: the report provisioner forks each kernel
from a batch worker's fork server (a fresh, ordinary kernel process), falls back to a normal start
and says so, and the clean-up nbclient runs leaves no process and no socket folder behind."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import papermill
import psutil
import pytest
from papermill.exceptions import PapermillExecutionError

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.report import kernel_fork, kernels
from pmo_assess.report.kernels import ReportKernelManager, ReportProvisioner, reap_kernels
from pmo_assess.report.render import KernelWatchdog
from pmo_assess.store.repository import Store

PROBE = """
import json, os, sys
import pmo_assess
from ipykernel.kernelapp import IPKernelApp
seen = getattr(pmo_assess, "_left_by_an_earlier_kernel", None)
pmo_assess._left_by_an_earlier_kernel = os.getpid()
app = IPKernelApp.instance()
print(json.dumps({
    "pid": os.getpid(), "ppid": os.getppid(), "sid": os.getsid(0), "cwd": os.getcwd(),
    "env": os.environ.get("PMO_FORK_TEST"), "seen": seen, "argv0": sys.argv[0],
    "report_modules": "pmo_assess.report.sections" in sys.modules,
    "transport": app.transport, "ip": app.ip,
}))
print("to the log", file=sys.__stderr__, flush=True)
"""
FORK_LOGGER = "pmo_assess.report.kernel_fork"


def probe_notebook(path: Path, source: str = PROBE) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(notebook, path)
    return path


def execute(notebook: Path, work: Path) -> Path:
    """Run ``notebook`` in ``work`` as a report run does, leaving all clean-up to nbclient."""
    work.mkdir()
    output = work / "out.ipynb"
    papermill.execute_notebook(
        str(notebook),
        str(output),
        cwd=str(work),
        kernel_name="python3",
        kernel_manager_class=ReportKernelManager,
        progress_bar=False,
        shutdown_kernel="immediate",
        execution_timeout=120,
    )
    return output


def run_probe(notebook: Path, work: Path) -> dict:
    try:
        output = execute(notebook, work)
    finally:
        reap_kernels()
    cell = nbformat.read(output, as_version=4).cells[0]
    text = "".join(o["text"] for o in cell.outputs if o.get("name") == "stdout")
    return json.loads(text)


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("PMO_FORK_TEST", "from the worker")
    started = kernel_fork.start_fork_server()
    assert started is not None
    yield started
    kernel_fork.stop_fork_server()


def test_report_kernels_get_the_report_provisioner_by_name():
    manager = ReportKernelManager(kernel_name="python3")
    try:
        provisioner = manager.kernel_spec.metadata["kernel_provisioner"]
        assert provisioner["provisioner_name"] == kernels.REPORT_PROVISIONER
        assert kernels.provisioner_registered(kernels.REPORT_PROVISIONER)
        assert kernels.provisioner_registered(kernels.IPC_PROVISIONER)
    finally:
        reap_kernels()


def test_each_kernel_is_a_fresh_fork_of_the_server_in_its_own_folder(server, tmp_path):
    notebook = probe_notebook(tmp_path / "probe.ipynb")
    first = run_probe(notebook, tmp_path / "first")
    second = run_probe(notebook, tmp_path / "second")

    for run, folder in ((first, "first"), (second, "second")):
        assert run["ppid"] == server.pid  # forked by the server, not started by us
        assert run["sid"] == run["pid"]  # a session of its own, as jupyter_client starts one
        assert run["cwd"] == str(tmp_path / folder)
        assert run["env"] == "from the worker"  # the environment jupyter_client gave it
        assert run["report_modules"]  # the imports it was forked to skip
        assert run["transport"] == "ipc"
        assert "to the log" in (tmp_path / folder / kernels.KERNEL_LOG).read_text()
    assert first["pid"] != second["pid"]
    # nothing one client's kernel did reaches the next: both found the module untouched
    assert first["seen"] is None and second["seen"] is None
    # shut down and collected by the server: no zombie left
    assert gone(first["pid"]) and gone(second["pid"])
    # the server forks from a single thread (OpenBLAS's pool held to one)
    assert len(os.listdir(f"/proc/{server.pid}/task")) == 1


@pytest.mark.parametrize("forked", [True, False], ids=["forked", "started"])
def test_the_clean_up_nbclient_runs_removes_the_kernel_and_its_socket_folder(
    forked, tmp_path, monkeypatch
):
    if forked:
        assert kernel_fork.start_fork_server() is not None
    else:
        monkeypatch.setattr(kernel_fork, "_SERVER", None)
    try:
        output = execute(probe_notebook(tmp_path / "probe.ipynb"), tmp_path / "work")  # no reap
        cell = nbformat.read(output, as_version=4).cells[0]
        run = json.loads("".join(o["text"] for o in cell.outputs if o.get("name") == "stdout"))
        assert (run["ppid"] != os.getpid()) is forked
        assert run["ip"].startswith(kernels.kernel_base_dir())
        assert not Path(run["ip"]).parent.exists(), "socket folder left behind"
        assert not list(kernels._LIVE), "a kernel manager not cleaned up"
        assert gone(run["pid"])
        assert "to the log" in (tmp_path / "work" / kernels.KERNEL_LOG).read_text()
    finally:
        reap_kernels()
        kernel_fork.stop_fork_server()


def test_without_a_working_server_the_kernel_starts_the_usual_way_and_says_so(
    server, tmp_path, caplog
):
    caplog.set_level(logging.WARNING, logger="pmo_assess")
    notebook = probe_notebook(tmp_path / "probe.ipynb")
    wait_ready(server)
    os.kill(server.pid, 9)
    dead = psutil.Process(server.pid)
    while dead.status() != psutil.STATUS_ZOMBIE:  # gone, and not reaped: that is for its worker
        time.sleep(0.05)
    run = run_probe(notebook, tmp_path / "work")
    assert run["ppid"] == os.getpid()
    assert run["report_modules"] is False
    assert "to the log" in (tmp_path / "work" / kernels.KERNEL_LOG).read_text()
    [record] = [r for r in caplog.records if r.name == FORK_LOGGER]
    assert record.levelno == logging.WARNING
    assert "started the usual way" in record.getMessage()
    assert "exited with code -9" in record.getMessage()
    assert "Ready in" in record.getMessage()  # the end of the server's own log
    assert not server.folder.exists()  # the server's folder went with it

    caplog.clear()
    run_probe(notebook, tmp_path / "again")
    [record] = [r for r in caplog.records if r.name == FORK_LOGGER]
    assert "stopped after an earlier failure" in record.getMessage()


def test_a_server_that_refuses_to_fork_is_logged_and_never_asked_again(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="pmo_assess")
    refusal = json.dumps({"error": "the fork server has 3 threads (python, python, python)"})
    fake = kernel_fork.KernelForkServer(
        [
            sys.executable,
            "-c",
            f"import sys; sys.stdin.readline(); print({refusal!r}, flush=True); sys.stdin.read()",
        ]
    )
    kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "x"]
    assert fake.spawn(kernel_cmd, str(tmp_path), {}, tmp_path / "log") is None
    assert "refused: the fork server has 3 threads" in caplog.text
    assert fake.pid is None  # stopped
    assert fake.spawn(kernel_cmd, str(tmp_path), {}, tmp_path / "log") is None
    assert "stopped after an earlier failure" in caplog.text


def test_no_fork_while_the_process_has_more_than_one_thread(monkeypatch, tmp_path):
    def no_fork() -> int:
        raise AssertionError("forked with threads running")

    monkeypatch.setattr(os, "fork", no_fork)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        # the real count, from /proc/self/task: any native thread counts, not only Python's
        assert kernel_fork.thread_count() == len(os.listdir("/proc/self/task")) > 1
        reply = kernel_fork.fork_kernel({"argv": [], "cwd": str(tmp_path), "env": {}}, 1)
    finally:
        stop.set()
        thread.join()
    assert set(reply) == {"error"} and "threads" in reply["error"]


# Started in every Python process of the batch below, before its main module: in the fork server
# only, a thread that never ends (as a library's thread pool would).
THREADED_SERVER = """
import sys, threading
if "pmo_assess.report.kernel_fork" in sys.orig_argv:
    threading.Thread(target=threading.Event().wait, name="pool", daemon=True).start()
"""


def test_a_batch_lists_under_its_summary_why_kernels_were_not_forked(tmp_path):
    with Store.open(tmp_path / "ws") as store:
        build_demo_workspace(store, clients=2)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(THREADED_SERVER)
    paths = [str(tmp_path / "site"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = os.environ | {"PYTHONPATH": os.pathsep.join(paths)}
    env.pop("PMO_ASSESS_FORK_KERNELS", None)
    command = [sys.executable, "-m", "pmo_assess", "batch", "--workspace", str(tmp_path / "ws")]
    done = subprocess.run(
        [*command, "--out", str(tmp_path / "out"), "--workers", "1", "--format", "html"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    table, _, after = done.stdout.partition("warning (")
    assert table.count(" rendered ") == 2  # both reports, from kernels started the usual way
    warning = "warning (" + after
    assert "fork server refused: the fork server has 2 threads" in warning
    assert "Refused to fork a kernel: this process has 2 threads" in warning  # the server's log
    assert "stopped after an earlier failure" in warning  # the second client's
    assert warning.index("warning (") < warning.index("client(s): 2 rendered")


def test_the_server_forks_only_the_stock_python_kernel(server, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="pmo_assess")
    for kernel_cmd in (
        ["/usr/bin/other-python", "-m", "ipykernel_launcher", "-f", "x"],
        [sys.executable, "-m", "some_other_kernel", "-f", "x"],
    ):
        assert server.spawn(kernel_cmd, str(tmp_path), {}, tmp_path / "log") is None
    assert caplog.text.count("forks only") == 2
    assert server.pid is not None  # still there for the stock kernel


@pytest.mark.parametrize(
    "platform, pidfd", [("darwin", True), ("linux", False)], ids=["macos", "no-pidfd"]
)
def test_no_fork_server_where_kernels_cannot_be_forked(platform, pidfd, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="pmo_assess")
    monkeypatch.setattr(sys, "platform", platform)
    if not pidfd:
        monkeypatch.delattr(os, "pidfd_open")
    assert kernel_fork.start_fork_server() is None
    assert kernel_fork.fork_server() is None
    assert "start the usual way" in caplog.text


def test_an_unregistered_provisioner_is_logged_and_the_kernel_starts_as_usual(monkeypatch, caplog):
    monkeypatch.setattr(kernels, "provisioner_registered", lambda name: False)
    manager = ReportKernelManager(kernel_name="python3")
    try:
        assert "kernel_provisioner" not in manager.kernel_spec.metadata
        assert "not registered" in caplog.text
    finally:
        reap_kernels()


@pytest.mark.parametrize("while_", ["running", "starting"])
def test_the_time_limit_kills_a_forked_kernel_and_leaves_nothing(while_, server, tmp_path):
    notebook = probe_notebook(
        tmp_path / "slow.ipynb",
        "import os\nprint(os.getpid(), flush=True)\nimport time\ntime.sleep(120)",
    )
    if while_ == "running":
        wait_ready(server)
    # starting: the limit runs out while the kernel waits for the server to be ready
    watchdog = KernelWatchdog(4 if while_ == "running" else 0.5)
    with watchdog, pytest.raises((PapermillExecutionError, RuntimeError)):
        try:
            execute(notebook, tmp_path / "work")
        finally:
            reap_kernels()
    assert watchdog.fired
    assert "Forked kernel" in server.log_tail()
    assert not [p for p in psutil.Process(server.pid).children() if not gone(p.pid)]
    assert not list(kernels._LIVE)


def test_the_report_provisioner_is_a_public_local_provisioner():
    from jupyter_client.provisioning import LocalProvisioner

    assert issubclass(ReportProvisioner, LocalProvisioner)


def test_stopping_the_server_leaves_no_process(tmp_path):
    server = kernel_fork.start_fork_server()
    assert server is not None and server.pid is not None
    server_process = psutil.Process(server.pid)
    notebook = probe_notebook(tmp_path / "probe.ipynb")
    run = run_probe(notebook, tmp_path / "work")
    assert run["ppid"] == server.pid
    kernel_fork.stop_fork_server()
    assert gone(server_process.pid) and gone(run["pid"])
    assert not server.folder.exists()


def wait_ready(server: kernel_fork.KernelForkServer, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while "Ready in" not in server.log_tail(lines=50) and time.monotonic() < deadline:
        time.sleep(0.2)


def gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not psutil.pid_exists(pid)


def test_workers_validate_questionnaires_and_notebooks_without_the_iri_grammars():
    """A batch process that skips ``rfc3987-syntax`` still validates what the report validates."""
    code = (
        "import sys\n"
        "from pmo_assess.report.kernel_fork import skip_iri_grammars\n"
        "skip_iri_grammars()\n"
        "import jsonschema, nbformat\n"
        "from pmo_assess import load_questionnaire\n"
        "q = load_questionnaire('pmo-maturity')\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"
        "print(q.id, sys.modules.get('rfc3987_syntax'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["pmo-maturity", "None"]


def test_the_server_learns_a_run_s_questionnaire_before_forking(tmp_path, monkeypatch):
    """A kernel forked after it, and every later one given a copy, finds it loaded."""
    from pmo_assess.core.paths import QUESTIONNAIRE_FILE
    from pmo_assess.model import loading
    from pmo_assess.report.kernel_fork import learn_questionnaire

    original = loading.find_questionnaire("pmo-readiness").read_text(encoding="utf-8")
    # content no other test loads: the server must parse it, once
    content = original.replace("\ntitle:", "\n# learnt by the fork server\ntitle:", 1)
    first, second, broken = (tmp_path / name for name in ("first", "second", "broken"))
    for folder in (first, second, broken):
        folder.mkdir()
    (first / QUESTIONNAIRE_FILE).write_text(content, encoding="utf-8")
    (second / QUESTIONNAIRE_FILE).write_text(content, encoding="utf-8")
    (broken / QUESTIONNAIRE_FILE).write_text("dimensions: [", encoding="utf-8")
    parsed: list[Path] = []
    real_load_yaml = loading.load_yaml
    monkeypatch.setattr(loading, "load_yaml", lambda p: parsed.append(p) or real_load_yaml(p))
    learn_questionnaire(first)
    learn_questionnaire(broken)  # left to the kernel to report: no error here
    learn_questionnaire(tmp_path)  # no questionnaire in the folder: nothing to learn
    assert parsed == [
        (first / QUESTIONNAIRE_FILE).resolve(),
        (broken / QUESTIONNAIRE_FILE).resolve(),
    ]
    kernel_sees = loading.load_questionnaire(second / QUESTIONNAIRE_FILE)
    assert len(parsed) == 2 and kernel_sees.id == "pmo-readiness"


@pytest.mark.parametrize("forked", [True, False], ids=["forked", "started"])
def test_a_kernel_s_first_output_and_its_cpu_are_kept(forked, tmp_path, monkeypatch):
    """The short IOPub waits at start lose nothing the first cell prints, the client's channel
    is left as jupyter_client made it, and the kernel's CPU is noted once, as it stops."""
    if forked:
        assert kernel_fork.start_fork_server() is not None
    else:
        monkeypatch.setattr(kernels, "_fork", lambda *a: None)
    waited: list[object] = []
    real_wait = kernels.ReportKernelClient.wait_for_ready

    async def watched(self, timeout=None):
        await real_wait(self, timeout)
        waited.append(self.iopub_channel.__dict__.get("get_msg"))  # no override left behind

    monkeypatch.setattr(kernels.ReportKernelClient, "wait_for_ready", watched)
    notebook = probe_notebook(tmp_path / "burst.ipynb", "for n in range(200):\n    print(n)")
    try:
        kernels.take_kernel_cpu()
        output = execute(notebook, tmp_path / "run")
    finally:
        reap_kernels()
        kernel_fork.stop_fork_server()
    cell = nbformat.read(output, as_version=4).cells[0]
    text = "".join(o["text"] for o in cell.outputs if o.get("name") == "stdout")
    assert text.split() == [str(n) for n in range(200)]
    assert waited == [None]
    cpu = kernels.take_kernel_cpu()
    assert cpu is not None and cpu > 0
    assert kernels.take_kernel_cpu() is None, "taken once"
