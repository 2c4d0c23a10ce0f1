"""Notebook kernels for report runs: a fresh kernel per notebook, on IPC transport.

Parallel kernels on TCP sometimes collide on ports; Unix sockets never do, and they also silence
ipykernel's warning about unencrypted TCP. Socket paths are limited to about 107 bytes, so each
kernel gets a short folder of its own under the system's temporary folder.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager


class IPCKernelManager(KernelManager):
    """A kernel manager whose kernel listens on Unix sockets in a private, short folder."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._socket_dir = Path(tempfile.mkdtemp(prefix="pmo-k-", dir=_short_tmp()))
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(self._socket_dir / "k"))
        super().__init__(*args, **kwargs)

    def cleanup_resources(self, restart: bool = False) -> None:
        """Remove the kernel's sockets and folder with its other resources."""
        super().cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._socket_dir, ignore_errors=True)


def _short_tmp() -> str:
    base = tempfile.gettempdir()
    return base if len(base) < 40 else "/tmp"
