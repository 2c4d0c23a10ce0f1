"""Fresh report kernels without the import bill: fork each one from a process that has already
imported what the report notebook needs.

A report kernel spends about two of its six seconds starting Python and importing ipykernel,
Matplotlib, pandas and this package. A batch worker starts one *fork server* (``python -m
pmo_assess.report.kernel_fork``), which imports all of that once, draws a throw-away chart to warm
Matplotlib's font caches, and then waits. For each client, the report kernel's provisioner
(:class:`pmo_assess.report.kernels.ReportProvisioner`) asks it for a kernel: the server forks, and
the child becomes an ordinary ipykernel process (its own session, working folder, environment and
log) serving the connection file jupyter_client wrote.

Each client still gets a kernel of its own that no other client's code ever ran in: the server
runs no notebook code and never sees client data, and a forked child is a new process that shares
nothing writable with its siblings. Only the module imports are inherited.

Forking is safe only in a process with a single thread, so:

- it happens on Linux only (a kernel the server forked is watched through ``os.pidfd_open``);
- the server runs numerical libraries' thread pools (OpenBLAS, OpenMP, MKL) on one thread, and
  counts its real threads in ``/proc/self/task`` before each fork, refusing when there is more
  than one.

Whenever the server is missing, refuses, is slow or gone, the kernel starts the usual way and the
reason is logged (``pmo_assess`` logger; a batch lists the warnings under its summary), so a
batch never depends on the server to finish. The server's own output goes to
``fork-server.log`` in a folder of its own under the kernels' folder. The server exits when its
worker closes the pipe, and a kernel exits when the server does (ipykernel watches its parent).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import IO, Any

logger = logging.getLogger(__name__)

#: How long a worker waits for the server to answer (it may still be importing).
SPAWN_TIMEOUT_S = 60.0
#: The command that runs a kernel, as jupyter_client builds it from the python3 kernelspec.
_LAUNCHER = ["-m", "ipykernel_launcher"]
#: Thread pools that numerical libraries start when imported (OpenBLAS with NumPy); on one thread,
#: the server stays a single-threaded process that can fork. The report's arrays are tiny, and a
#: batch already runs one worker per core.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
SERVER_LOG = "fork-server.log"

#: A folder a batch gives its workers for kernels' sockets, removed after them.
KERNEL_DIR_VARIABLE = "PMO_ASSESS_KERNEL_DIR"


def kernel_base_dir() -> str:
    """The folder for kernels' socket folders: short enough for a socket path."""
    chosen = os.environ.get(KERNEL_DIR_VARIABLE)
    if chosen and len(chosen) < 60 and os.path.isdir(chosen):
        return chosen
    base = tempfile.gettempdir()
    return base if len(base) < 40 else "/tmp"


def fork_unavailable() -> str | None:
    """Why kernels cannot be forked here, or None when they can (Linux with ``pidfd_open``)."""
    if not sys.platform.startswith("linux"):
        return f"kernels are forked on Linux only, and this is {sys.platform}"
    if not hasattr(os, "pidfd_open"):
        return "this Python has no os.pidfd_open (it needs Linux 5.3 or newer)"
    return None


def thread_count() -> int:
    """How many threads this process has: every native thread (OpenBLAS's too), not only
    Python's. Linux only."""
    return len(os.listdir("/proc/self/task"))


class ForkedKernel:
    """A kernel the fork server started, watched through a pidfd.

    The kernel is the server's child, not ours: its exit status is not ours to collect, and
    :meth:`poll` gives -1 once it has gone.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # gone already
            self._pidfd = None
            self.returncode = -1

    def poll(self) -> int | None:
        """None while the kernel runs, -1 once it has exited."""
        if self.returncode is None and self._exited(0):
            self.close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait up to ``timeout`` seconds (None: for ever) for the kernel to exit; as :meth:`poll`."""
        if self.returncode is None and self._exited(timeout):
            self.close()
        return self.returncode

    def close(self) -> None:
        """Stop watching: the kernel is taken as gone."""
        self.returncode = -1
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None

    def _exited(self, timeout: float | None) -> bool:
        if self._pidfd is None:
            return True
        ready, _, _ = select.select([self._pidfd], [], [], timeout)
        return bool(ready)


class KernelForkServer:
    """The worker's end of a fork server: start it, ask it for kernels, stop it.

    ``argv`` runs the server (default: this module, by this interpreter); it is started in the
    same environment as this process, so its kernels match the ones jupyter_client would start,
    but with :data:`ONE_THREAD`. Raises ``OSError`` when it cannot be started.
    """

    def __init__(self, argv: list[str] | None = None) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pmo-f-", dir=kernel_base_dir()))
        self.log = self.folder / SERVER_LOG
        try:
            with open(self.log, "ab") as log:
                self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                    argv or [sys.executable, "-m", "pmo_assess.report.kernel_fork"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env={**os.environ, **ONE_THREAD},
                )
        except OSError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._process.pid if self._process is not None else None

    def spawn(
        self, kernel_cmd: list[str], cwd: str, env: dict[str, str], log: Path
    ) -> ForkedKernel | None:
        """A new kernel for ``kernel_cmd``, or None when this server cannot make one (the caller
        then starts the kernel the usual way); every None is logged with its reason."""
        process = self._process
        if process is None:
            logger.warning(
                "Report kernel started the usual way (slower): this worker's fork server "
                "stopped after an earlier failure."
            )
            return None
        if not _is_ours(kernel_cmd):
            logger.warning(
                "Report kernel started the usual way (slower): the fork server forks only "
                "`%s -m ipykernel_launcher`, and this kernel runs `%s`.",
                sys.executable,
                shlex.join(kernel_cmd[:3]),
            )
            return None
        code = process.poll()
        if code is not None:
            self._give_up(f"exited with code {code}")
            return None
        request = {"argv": kernel_cmd[3:], "cwd": cwd, "env": env, "log": str(log)}
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps(request).encode() + b"\n")
            process.stdin.flush()
            reply = _read_line(process.stdout, SPAWN_TIMEOUT_S)
        except (OSError, ValueError) as exc:
            self._give_up(f"could not be asked ({type(exc).__name__}: {exc})")
            return None
        if reply is None:
            code = process.poll()
            self._give_up(
                f"exited with code {code}"
                if code is not None
                else f"did not answer within {SPAWN_TIMEOUT_S:g} s"
            )
            return None
        if not isinstance(reply.get("pid"), int):
            self._give_up(f"refused: {reply.get('error') or reply}")
            return None
        return ForkedKernel(reply["pid"])

    def close(self) -> None:
        """Stop the server (kernels it forked notice and exit) and remove its folder."""
        process, self._process = self._process, None
        if process is not None:
            if process.stdin:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout:
                process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self, lines: int = 6, limit: int = 1500) -> str:
        """The end of the server's log."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.rstrip().splitlines()[-lines:])[-limit:]

    def _give_up(self, reason: str) -> None:
        """Log why, and never ask this server again: every later kernel starts the usual way."""
        tail = self.log_tail()
        logger.warning(
            "Report kernel started the usual way (slower), and so will this worker's next ones: "
            "the fork server %s.%s",
            reason,
            f" Its log ends:\n{tail}" if tail else "",
        )
        self.close()


_SERVER: KernelForkServer | None = None


def start_fork_server() -> KernelForkServer | None:
    """Start this process's fork server (a batch worker calls this once); None, logged, where
    kernels cannot be forked."""
    global _SERVER
    if _SERVER is None:
        reason = fork_unavailable()
        if reason is not None:
            logger.info("Report kernels start the usual way: %s.", reason)
            return None
        try:
            _SERVER = KernelForkServer()
        except OSError as exc:
            logger.warning(
                "Report kernels start the usual way (slower): the fork server did not start "
                "(%s: %s).",
                type(exc).__name__,
                exc,
            )
            return None
    return _SERVER


def fork_server() -> KernelForkServer | None:
    """This process's fork server, if it started one."""
    return _SERVER


def stop_fork_server() -> None:
    """Stop this process's fork server, if any."""
    global _SERVER
    server, _SERVER = _SERVER, None
    if server is not None:
        server.close()


def _is_ours(kernel_cmd: list[str]) -> bool:
    # Only the stock python3 kernel, run by this interpreter, can be forked from this one.
    return (
        len(kernel_cmd) >= 3
        and kernel_cmd[1:3] == _LAUNCHER
        and os.path.realpath(kernel_cmd[0]) == os.path.realpath(sys.executable)
    )


def _read_line(stream: IO[bytes], timeout: float) -> dict[str, Any] | None:
    ready, _, _ = select.select([stream], [], [], timeout)
    if not ready:
        return None
    line = stream.readline()
    return json.loads(line) if line else None


def skip_iri_grammars() -> None:
    """Keep jsonschema, when this process imports it, from building the IRI grammars of the
    optional ``rfc3987-syntax`` package (JupyterLab's jupyter-events installs it).

    jsonschema imports that package on its own import to check the ``iri`` formats, and building
    its grammars costs about 0.85 s of CPU in every process. Neither the questionnaire schema nor
    the notebook format uses those formats, so a batch's workers and fork servers, which validate
    with jsonschema, import it without them.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None blocks an import


# --- the server process ------------------------------------------------------------------------


def _prepare() -> None:
    """Import what a report kernel needs, and warm Matplotlib's font caches."""
    # What ipykernel sets before a kernel imports Matplotlib; Matplotlib reads it on import.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    skip_iri_grammars()
    import ipykernel.ipkernel
    import ipykernel.kernelapp
    import ipykernel.zmqshell  # noqa: F401
    import jsonschema  # noqa: F401 - the report validates its questionnaire when it loads it
    import matplotlib_inline.backend_inline  # noqa: F401

    import pmo_assess.report.sections  # noqa: F401
    from pmo_assess.charts.style import figure_png_data_uri, new_figure, report_style

    with report_style():
        figure = new_figure(1.0)
        axes = figure.add_subplot()
        axes.set_title("Warm-up")
        for weight in ("light", "normal", "bold", "black"):
            axes.text(0.5, 0.5, "Aa 0.9", fontweight=weight, fontstyle="italic")
            axes.text(0.5, 0.5, "Aa 0.9", fontweight=weight)
        figure_png_data_uri(figure, dpi=20)


def fork_kernel(request: dict[str, Any], reply_fd: int) -> dict[str, Any]:
    """In the server: fork a kernel for ``request``; the reply to send (``pid`` or ``error``).

    Refuses, without forking, when this process has more than one thread: a thread holding a
    lock at the fork would leave the child waiting for it for ever.
    """
    threads = thread_count()
    if threads > 1:
        names = ", ".join(sorted(_thread_names()))
        logger.warning(
            "Refused to fork a kernel: this process has %d threads (%s).", threads, names
        )
        return {"error": f"the fork server has {threads} threads ({names}); forking it is unsafe"}
    learn_questionnaire(Path(request["cwd"]))
    sys.stdout.flush()
    sys.stderr.flush()
    server_pid = os.getpid()
    # The reply waits until the child leads a session of its own, as a kernel jupyter_client
    # starts does from the first moment: its process group is then there to signal.
    session_r, session_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(session_r)
            _run_kernel(request, server_pid, reply_fd, session_w)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()  # into the kernel's log
            code = 1
        finally:
            # What a normal interpreter exit does, then leave without returning to the loop.
            atexit._run_exitfuncs()
            os._exit(code)
    os.close(session_w)
    os.read(session_r, 1)  # end of file: the child closed its end (or died)
    os.close(session_r)
    logger.info("Forked kernel %d in %s.", pid, request.get("cwd"))
    return {"pid": pid}


def learn_questionnaire(folder: Path) -> None:
    """Load the questionnaire a report run copied into ``folder``, here in the server, before
    forking its kernel: the kernel and every later one given a copy of the same file find it
    loaded (by content, :func:`pmo_assess.model.loading.load_questionnaire`) instead of parsing
    it again, about 0.3 s each. A file that does not load is left to the kernel to report."""
    from pmo_assess.core.paths import QUESTIONNAIRE_FILE
    from pmo_assess.model.loading import load_questionnaire

    path = folder / QUESTIONNAIRE_FILE
    if path.is_file():
        with contextlib.suppress(Exception):  # the kernel reports it, in its own words
            load_questionnaire(path)


def _thread_names() -> list[str]:
    names = []
    for task in os.listdir("/proc/self/task"):
        try:
            names.append(Path(f"/proc/self/task/{task}/comm").read_text().strip())
        except OSError:
            continue
    return names


def _run_kernel(request: dict[str, Any], server_pid: int, reply_fd: int, session_w: int) -> None:
    """In the forked child: become the kernel process that ``ipykernel_launcher`` would start."""
    os.setsid()
    os.close(session_w)
    for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_DFL)
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, reply_fd)  # the server's replies are not the kernel's to write
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(null)
    os.close(log)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # ipykernel exits when its parent does; the parent here is the server. Its default for the
    # parent was read from the environment when the server imported it, so it is given here.
    os.environ["JPY_PARENT_PID"] = str(server_pid)
    argv = [*request["argv"], f"--IPKernelApp.parent_handle={server_pid}"]
    sys.argv = ["ipykernel_launcher", *argv]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=argv)


def _serve() -> int:
    """Answer one request per line on stdin with ``{"pid": N}`` (or an error) on stdout."""
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(process)d %(levelname)s %(message)s",
    )
    started = time.perf_counter()
    # The server starts in its worker's folder; a kernel's path gets its own folder instead.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel's exit needs no collecting here
    # Replies get a descriptor of their own, and standard output goes to the log: nothing a
    # library prints can garble them.
    reply_fd = os.dup(1)
    os.dup2(2, 1)
    replies = os.fdopen(reply_fd, "wb")
    _prepare()
    logger.info("Ready in %.1f s with %d thread(s).", time.perf_counter() - started, thread_count())
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
        except ValueError:
            reply: dict[str, Any] = {"error": "the request was not JSON"}
        else:
            reply = fork_kernel(request, reply_fd)
        replies.write(json.dumps(reply).encode() + b"\n")
        replies.flush()
    logger.info("The worker closed the pipe; exiting.")
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
