"""Notebook kernels for report runs: a fresh kernel per notebook, on IPC transport.

Parallel kernels on TCP sometimes collide on ports; Unix sockets never do, and they also silence
ipykernel's warning about unencrypted TCP. Socket paths are limited to about 107 bytes, so each
kernel gets a short folder of its own under the system's temporary folder, or under
``$PMO_ASSESS_KERNEL_DIR`` when a batch gives its workers one folder to clean up after them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import weakref
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

KERNEL_DIR_VARIABLE = "PMO_ASSESS_KERNEL_DIR"
KERNEL_LOG = "kernel.log"
_LIVE: weakref.WeakSet[IPCKernelManager] = weakref.WeakSet()


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel listens on Unix sockets in a private, short folder.

    Asynchronous, so that its client is too: a blocking client waits forever for output from a
    kernel that died (killed by the time limit, or out of memory), and the run would hang.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._socket_dir = Path(tempfile.mkdtemp(prefix="pmo-k-", dir=_short_tmp()))
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(self._socket_dir / "k"))
        super().__init__(*args, **kwargs)
        _LIVE.add(self)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        """Remove the kernel's sockets and folder with its other resources."""
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            _LIVE.discard(self)

    async def _async_interrupt_kernel(self) -> None:
        # jupyter_client interrupts a kernel before shutting it down; a report kernel has finished
        # by then, and the interrupt only makes it log a KeyboardInterrupt.
        if not self.shutting_down:
            await super()._async_interrupt_kernel()

    def kernel_pid(self) -> int | None:
        """The kernel's process id while it runs."""
        pid = getattr(self.provisioner, "pid", None)
        return pid if isinstance(pid, int) else None


class ReportKernelManager(IPCKernelManager):
    """The kernel of a report run, which papermill starts in the run's private work folder.

    Its own output (warnings, its log) goes to ``kernel.log`` there, not to the console of a batch
    that runs several at once; a failure report quotes it. In a batch worker with a fork server
    (:mod:`pmo_assess.report.kernel_fork`) the kernel is forked from it instead of started from scratch.
    """

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        # papermill changes into the work folder and starts the kernel there without ``cwd``.
        cwd = str(kw.get("cwd") or os.getcwd())
        if await self._launch_forked(kernel_cmd, cwd, kw.get("env") or {}):
            return
        if "stderr" not in kw:
            log = open(Path(cwd) / KERNEL_LOG, "ab")  # noqa: SIM115 - the kernel holds it open
            kw["stdout"] = kw["stderr"] = log
        await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _launch_forked(self, kernel_cmd: list[str], cwd: str, env: dict[str, str]) -> bool:
        """Fork the kernel from this process's fork server, if it has one (batch workers do);
        False when the kernel must be started the usual way."""
        from pmo_assess.report.kernel_fork import fork_server

        server = fork_server()
        provisioner = self.provisioner
        if server is None or not isinstance(provisioner, LocalProvisioner):
            return False
        process = server.spawn(kernel_cmd, cwd, env, Path(cwd) / KERNEL_LOG)
        if process is None:
            return False
        # What LocalProvisioner.launch_kernel records after starting a process itself (jupyter_client
        # 8, pinned in pyproject.toml for this); the forked kernel leads a session of its own, so
        # its group id is its pid.
        provisioner.process = process  # type: ignore[assignment]
        provisioner.pid = provisioner.pgid = process.pid
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
        return True


def kill_live_kernels() -> None:
    """SIGKILL every kernel this process started and has not shut down (a time limit ran out)."""
    for manager in list(_LIVE):
        pid = manager.kernel_pid()
        if pid is not None:
            # A kernel runs in a session of its own: kill its group, children included.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)


def reap_kernels() -> None:
    """After a run: kill any kernel of this process still alive and remove its socket folder.

    A kernel that died (time limit, out of memory) skips jupyter_client's clean-up; this makes
    sure it leaves neither a process nor a folder behind.
    """
    kill_live_kernels()
    for manager in list(_LIVE):
        shutil.rmtree(manager._socket_dir, ignore_errors=True)
        _LIVE.discard(manager)


def _short_tmp() -> str:
    chosen = os.environ.get(KERNEL_DIR_VARIABLE)
    if chosen and len(chosen) < 60 and os.path.isdir(chosen):
        return chosen
    base = tempfile.gettempdir()
    return base if len(base) < 40 else "/tmp"
