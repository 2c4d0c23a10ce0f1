"""Fresh report kernels without the import bill: fork each one from a process that has already
imported what the report notebook needs.

A report kernel spends about two of its six seconds starting Python and importing ipykernel,
Matplotlib, pandas and this package. A batch worker starts one *fork server* (``python -m
pmo_assess.report.kernel_fork``), which imports all of that once, draws a throw-away chart to warm
Matplotlib's font caches, and then waits. For each client, the worker asks it for a kernel: the
server forks, and the child becomes an ordinary ipykernel process (its own session, working
folder, environment and log) serving the connection file jupyter_client wrote.

Each client still gets a kernel of its own that no other client's code ever ran in: the server
runs no notebook code and never sees client data, and a forked child is a new process that shares
nothing writable with its siblings. Only the module imports are inherited.

The server refuses to fork if it has more than one thread (forking a threaded process is unsafe),
and the worker falls back to a normal kernel start whenever the server is missing, slow or gone,
so a batch never depends on it to finish. The server exits when its worker closes the pipe, and a
kernel exits when the server does (ipykernel watches its parent).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Any

#: How long a worker waits for the server to answer (it may still be importing).
SPAWN_TIMEOUT_S = 60.0
#: The command that runs a kernel, as jupyter_client builds it from the python3 kernelspec.
_LAUNCHER = ["-m", "ipykernel_launcher"]


class ForkedKernel:
    """A kernel the fork server started, with the part of :class:`subprocess.Popen` that
    jupyter_client uses (``pid``, ``poll``, ``wait``, ``send_signal``, ``terminate``, ``kill``).

    The kernel is the server's child, not ours, so its exit is watched through a pidfd; its exit
    status is not ours to collect, and ``returncode`` is -1 once it has gone.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # gone already
            self._pidfd = None
            self.returncode = -1

    def poll(self) -> int | None:
        """None while the kernel runs."""
        if self.returncode is None and self._exited(0):
            self._gone()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to exit; ``subprocess.TimeoutExpired`` after ``timeout`` s."""
        if self.returncode is None:
            if not self._exited(timeout):
                raise subprocess.TimeoutExpired(["kernel", str(self.pid)], timeout or 0)
            self._gone()
        return -1 if self.returncode is None else self.returncode

    def send_signal(self, signum: int) -> None:
        """Signal the kernel unless it has exited."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        """SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL."""
        self.send_signal(signal.SIGKILL)

    def _exited(self, timeout: float | None) -> bool:
        if self._pidfd is None:
            return True
        ready, _, _ = select.select([self._pidfd], [], [], timeout)
        return bool(ready)

    def _gone(self) -> None:
        self.returncode = -1
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None


class KernelForkServer:
    """The worker's end of a fork server: start it, ask it for kernels, stop it."""

    def __init__(self) -> None:
        # The same interpreter and environment as this worker, so its kernels match the ones
        # jupyter_client would start; its own output is not needed (a kernel logs to its folder).
        self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-m", "pmo_assess.report.kernel_fork"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._process.pid if self._process is not None else None

    def spawn(
        self, kernel_cmd: list[str], cwd: str, env: dict[str, str], log: Path
    ) -> ForkedKernel | None:
        """A new kernel for ``kernel_cmd``, or None when this server cannot make one (the caller
        then starts the kernel the usual way)."""
        process = self._process
        if process is None or process.poll() is not None or not _is_ours(kernel_cmd):
            return None
        request = {"argv": kernel_cmd[3:], "cwd": cwd, "env": env, "log": str(log)}
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps(request).encode() + b"\n")
            process.stdin.flush()
            reply = _read_line(process.stdout, SPAWN_TIMEOUT_S)
        except (OSError, ValueError):
            reply = None
        if not reply or not isinstance(reply.get("pid"), int):
            self.close()  # slow, broken or refusing: never ask it again
            return None
        return ForkedKernel(reply["pid"])

    def close(self) -> None:
        """Stop the server (kernels it forked notice and exit)."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin:
                process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_SERVER: KernelForkServer | None = None


def start_fork_server() -> KernelForkServer:
    """Start this process's fork server (a batch worker calls this once)."""
    global _SERVER
    if _SERVER is None:
        _SERVER = KernelForkServer()
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


# --- the server process ------------------------------------------------------------------------


def _prepare() -> None:
    """Import what a report kernel needs, and warm Matplotlib's font caches."""
    # What ipykernel sets before a kernel imports Matplotlib; Matplotlib reads it on import.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
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


def _run_kernel(request: dict[str, Any], server_pid: int) -> None:
    """In the forked child: become the kernel process that ``ipykernel_launcher`` would start."""
    os.setsid()
    for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_DFL)
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
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
    # The server starts in its worker's folder; a kernel's path gets its own folder instead.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel's exit needs no collecting here
    _prepare()
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    for line in requests:
        if threading.active_count() > 1:
            replies.write(b'{"error": "the fork server has threads; it cannot fork safely"}\n')
            replies.flush()
            continue
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _run_kernel(request, os.getppid())
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                traceback.print_exc()  # into the kernel's log
                code = 1
            finally:
                # What a normal interpreter exit does, then leave without returning to the loop.
                atexit._run_exitfuncs()
                os._exit(code)
        replies.write(json.dumps({"pid": pid}).encode() + b"\n")
        replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
