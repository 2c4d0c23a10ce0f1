"""Notebook kernels for report runs: a fresh kernel per notebook, on IPC transport.

Parallel kernels on TCP sometimes collide on ports; Unix sockets never do, and they also silence
ipykernel's warning about unencrypted TCP. Socket paths are limited to about 107 bytes, so each
kernel gets a short folder of its own under the system's temporary folder, or under
``$PMO_ASSESS_KERNEL_DIR`` when a batch gives its workers one folder to clean up after them.

Everything here goes through jupyter_client's public extension points: the managers are
:class:`~jupyter_client.manager.AsyncKernelManager` subclasses that only choose their transport
and their *kernel provisioner*, named in the kernel spec they read (``kernel_provisioner`` in its
metadata, as a ``kernel.json`` would name it), and the provisioners, registered under the
``jupyter_client.kernel_provisioners`` entry point in ``pyproject.toml``, are
:class:`~jupyter_client.provisioning.LocalProvisioner` subclasses:

- :class:`IPCProvisioner` removes the kernel's socket folder when jupyter_client cleans up after
  the kernel (``cleanup``, which both ``shutdown_kernel`` and ``cleanup_resources`` reach), does
  not interrupt a kernel that is being shut down, and kills one that finished starting after its
  run's time limit ran out (:func:`kill_live_kernels`).
- :class:`ReportProvisioner` also sends the kernel's output to ``kernel.log`` in its working
  folder, and in a batch worker forks the kernel from the worker's fork server
  (:mod:`pmo_assess.report.kernel_fork`) instead of starting it from scratch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import tempfile
import threading
import weakref
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.client import KernelClient
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type, Unicode, default

from pmo_assess.report.kernel_fork import ForkedKernel, kernel_base_dir

logger = logging.getLogger(__name__)

KERNEL_LOG = "kernel.log"
PROVISIONERS = "jupyter_client.kernel_provisioners"  # the entry point group
IPC_PROVISIONER = "pmo-assess-ipc"
REPORT_PROVISIONER = "pmo-assess-report"
_LIVE: weakref.WeakSet[IPCKernelManager] = weakref.WeakSet()
_time_up = threading.Event()  # set by kill_live_kernels until reap_kernels


#: How many 5 ms steps a killed forked kernel is given to be gone (see ReportProvisioner.kill).
KILL_WAIT_STEPS = 40
#: How long a report client waits for IOPub while a kernel starts (jupyter_client: 0.2 s).
STARTUP_IOPUB_WAIT_S = 0.02


class ReportKernelClient(AsyncKernelClient):
    """The client of a report kernel: ready as soon as the kernel is.

    Once a kernel answers, jupyter_client reads IOPub until 0.2 s pass without a message, to
    drop what came before; a report run then waits about 0.2 s per client, more than its
    kernel spends starting. nbclient reads only the replies to its own requests, so a message
    left over is ignored anyway: these waits are capped at :data:`STARTUP_IOPUB_WAIT_S`. A
    kernel whose IOPub is not yet connected is asked again, as jupyter_client does.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait until the kernel replies, with short waits on IOPub."""
        channel = self.iopub_channel
        get_msg = channel.get_msg

        async def quick(timeout: float | None = None) -> dict[str, Any]:
            capped = STARTUP_IOPUB_WAIT_S if timeout is None else min(timeout, STARTUP_IOPUB_WAIT_S)
            return await get_msg(timeout=capped)

        channel.get_msg = quick
        try:
            await KernelClient._async_wait_for_ready(self, timeout)
        finally:
            del channel.get_msg  # the class's own again


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel listens on Unix sockets in a private, short folder.

    Asynchronous, so that its client is too: a blocking client waits forever for output from a
    kernel that died (killed by the time limit, or out of memory), and the run would hang.
    """

    #: The provisioner this manager's kernels get (see :class:`ProvisionedKernelSpecs`).
    provisioner_name = IPC_PROVISIONER
    client_class = DottedObjectName("pmo_assess.report.kernels.ReportKernelClient")
    client_factory = Type(klass="pmo_assess.report.kernels.ReportKernelClient")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.socket_dir = Path(tempfile.mkdtemp(prefix="pmo-k-", dir=kernel_base_dir()))
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(self.socket_dir / "k"))
        super().__init__(*args, **kwargs)
        _LIVE.add(self)

    @default("kernel_spec_manager")
    def _provisioned_kernel_specs(self) -> KernelSpecManager:
        return ProvisionedKernelSpecs(
            provisioner_name=self.provisioner_name, data_dir=self.data_dir
        )

    def kernel_pid(self) -> int | None:
        """The kernel's process id while it runs."""
        pid = getattr(self.provisioner, "pid", None)
        return pid if isinstance(pid, int) else None


class ReportKernelManager(IPCKernelManager):
    """The kernel of a report run, which papermill starts in the run's private work folder.

    Its own output (warnings, its log) goes to ``kernel.log`` there, not to the console of a batch
    that runs several at once; a failure report quotes it. In a batch worker with a fork server
    the kernel is forked from it instead of started from scratch (:class:`ReportProvisioner`).
    The CPU seconds the kernel used are noted as it is shut down (:func:`take_kernel_cpu`).
    """

    provisioner_name = REPORT_PROVISIONER

    # AsyncKernelManager makes shutdown_kernel a coroutine; its base class types it as plain.
    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
        """Note the kernel's CPU time, then shut it down."""
        global _last_kernel_cpu
        _last_kernel_cpu = process_cpu_seconds(self.kernel_pid())
        await super().shutdown_kernel(now=now, restart=restart)


_last_kernel_cpu: float | None = None


def process_cpu_seconds(pid: int | None) -> float | None:
    """The CPU seconds (user and system) process ``pid`` has used so far; None when it is gone."""
    import psutil

    if pid is None:
        return None
    try:
        times = psutil.Process(pid).cpu_times()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    return times.user + times.system


def take_kernel_cpu() -> float | None:
    """The CPU seconds of the last report kernel this process shut down, once; None when none
    was shut down since the last call (it died, or was killed)."""
    global _last_kernel_cpu
    taken, _last_kernel_cpu = _last_kernel_cpu, None
    return taken


class ProvisionedKernelSpecs(KernelSpecManager):
    """The installed kernel specs, each naming ``provisioner_name`` as its kernel provisioner.

    Without the entry point (a source tree that was not installed), a kernel spec is left as it
    is, and its kernels get jupyter_client's own provisioner: they work, on IPC, but without what
    this module's provisioners add. That is logged.
    """

    provisioner_name = Unicode(IPC_PROVISIONER)

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        """The kernel spec ``kernel_name``, with this provisioner."""
        spec = super().get_kernel_spec(kernel_name)
        if provisioner_registered(self.provisioner_name):
            provisioner = {"provisioner_name": self.provisioner_name, "config": {}}
            spec.metadata = {**spec.metadata, "kernel_provisioner": provisioner}
        else:
            logger.warning(
                "Kernel provisioner %r is not registered (reinstall pmo-assess: "
                "`pip install -e .`); kernel %r starts with jupyter_client's own, without "
                "kernel.log or forking.",
                self.provisioner_name,
                kernel_name,
            )
        return spec


@cache
def provisioner_registered(name: str) -> bool:
    """Whether the installed packages register the kernel provisioner ``name``."""
    return bool(entry_points(group=PROVISIONERS, name=name))


class IPCProvisioner(LocalProvisioner):
    """Starts a kernel as :class:`LocalProvisioner` does, and removes its socket folder with it."""

    async def send_signal(self, signum: int) -> None:
        """Signal the kernel, but no interrupt while it is shut down: jupyter_client interrupts a
        kernel before shutting it down, and a notebook kernel has finished by then; the interrupt
        would only make it log a KeyboardInterrupt."""
        if not self.unwanted(signum):
            await super().send_signal(signum)

    async def post_launch(self, **kwargs: Any) -> None:
        """Kill a kernel that started after its run's time limit ran out (it was still starting
        then, perhaps waiting for the fork server)."""
        await super().post_launch(**kwargs)
        if _time_up.is_set():
            await self.kill()

    def unwanted(self, signum: int) -> bool:
        """True for an interrupt while the kernel is being shut down."""
        return signum == signal.SIGINT and bool(getattr(self.parent, "shutting_down", False))

    async def cleanup(self, restart: bool = False) -> None:
        """Release the kernel's resources; its socket folder too, unless it restarts.

        A kernel still running after its clean-up (its shutdown failed) stays known to
        :func:`reap_kernels`, which kills it.
        """
        await super().cleanup(restart=restart)
        if not restart and isinstance(self.parent, IPCKernelManager):
            _release(self.parent, forget=await self.poll() is not None)


class ReportProvisioner(IPCProvisioner):
    """A report kernel: forked from this process's fork server if it has one (batch workers do),
    else started as usual; its output goes to ``kernel.log`` in its working folder either way.

    A forked kernel is the server's child, not ours: it is watched through a pidfd
    (:class:`~pmo_assess.report.kernel_fork.ForkedKernel`) and signalled as a process group (it
    leads a session of its own, as a kernel jupyter_client starts does).
    """

    _forked: ForkedKernel | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork the kernel, or start it the usual way; its connection info either way."""
        # papermill changes into the work folder and starts the kernel there without ``cwd``.
        cwd = str(kwargs.get("cwd") or os.getcwd())
        log = Path(cwd) / KERNEL_LOG
        forked = _fork(cmd, cwd, kwargs.get("env") or {}, log)
        if forked is not None:
            self._forked = forked
            self.pid = self.pgid = forked.pid
            self.cwd = cwd
            return self.connection_info
        if "stdout" in kwargs or "stderr" in kwargs:
            return await super().launch_kernel(cmd, **kwargs)
        with open(log, "ab") as output:  # the kernel gets its own copy of the descriptor
            return await super().launch_kernel(cmd, **kwargs, stdout=output, stderr=output)

    @property
    def has_process(self) -> bool:
        return self._forked is not None or super().has_process

    async def poll(self) -> int | None:
        """None while the kernel runs."""
        if self._forked is None:
            return await super().poll()
        return self._forked.poll()

    async def wait(self) -> int | None:
        """Wait for the kernel to exit (callers give the time limit)."""
        if self._forked is None:
            return await super().wait()
        while (code := self._forked.wait(0)) is None:
            await asyncio.sleep(0.1)
        self._forked = None
        return code

    async def send_signal(self, signum: int) -> None:
        """Signal the kernel's process group while the kernel runs."""
        if self._forked is None:
            await super().send_signal(signum)
        elif not self.unwanted(signum) and self._forked.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._forked.pid, signum)  # it leads its process group

    async def kill(self, restart: bool = False) -> None:
        """SIGKILL the kernel, and give it a moment to be gone.

        jupyter_client then polls the kernel every 0.1 s until it has exited; a killed kernel
        is gone within milliseconds, so waiting here in short steps first saves most of the
        0.1 s its first poll would otherwise sleep, once per report.
        """
        if self._forked is None:
            await super().kill(restart=restart)
            return
        await self.send_signal(signal.SIGKILL)
        for _ in range(KILL_WAIT_STEPS):
            if self._forked is None or self._forked.poll() is not None:
                break
            await asyncio.sleep(0.005)

    async def terminate(self, restart: bool = False) -> None:
        """SIGTERM the kernel."""
        if self._forked is None:
            await super().terminate(restart=restart)
        else:
            await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        """Release the kernel's resources (and stop watching a forked kernel that is gone)."""
        if self._forked is not None and self._forked.poll() is not None:
            self._forked = None
        await super().cleanup(restart=restart)


def _fork(cmd: list[str], cwd: str, env: dict[str, str], log: Path) -> ForkedKernel | None:
    """A kernel forked from this process's fork server; None (logged by the server when it
    failed) when there is none, and the kernel starts the usual way."""
    from pmo_assess.report.kernel_fork import fork_server

    server = fork_server()
    return server.spawn(cmd, cwd, env, log) if server is not None else None


def _release(manager: IPCKernelManager, forget: bool = True) -> None:
    shutil.rmtree(manager.socket_dir, ignore_errors=True)
    if forget:
        _LIVE.discard(manager)


def kill_live_kernels() -> None:
    """SIGKILL every kernel this process started and has not shut down (a time limit ran out);
    one still starting is killed once started, until :func:`reap_kernels`."""
    _time_up.set()
    for manager in list(_LIVE):
        pid = manager.kernel_pid()
        if pid is not None:
            # A kernel runs in a session of its own: kill its group, children included.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)


def reap_kernels() -> None:
    """After a run: kill any kernel of this process still alive and remove its socket folder.

    jupyter_client's clean-up (:meth:`IPCProvisioner.cleanup`) normally does both; this makes
    sure that a run that broke off half-way leaves neither a process nor a folder behind.
    """
    kill_live_kernels()
    for manager in list(_LIVE):
        _release(manager)
    _time_up.clear()
