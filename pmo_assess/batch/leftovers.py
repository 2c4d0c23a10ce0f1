"""What a killed batch leaves for good, and how the next batch removes it.

``kill -9`` runs no cleanup: the temporary files of atomic writes (``.report.pdf.pid123.x.tmp``),
the renderer's work folders (``.work-pid123-x``) in the report folders, and the batch's own
folder for kernel sockets (``pmo-b-pid123-x`` in the temporary folder) stay behind. A new batch
removes those older than itself whose writer (the process id in the name) is gone; names
without a process id, from older versions, go by age alone.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

#: The prefix of the batch's folder for kernel sockets, in the temporary folder.
KERNEL_FOLDER_PREFIX = "pmo-b-"
_OWNER = re.compile(r"(?:^|[.-])pid(\d+)[.-]")


def remove_leftovers(out_dir: Path, temp_dir: Path, started: float) -> list[Path]:
    """Remove the leftovers of killed batches older than ``started`` (a ``time.time()``);
    returns what was removed. Nothing a running process owns is touched."""
    candidates = [*_report_leftovers(out_dir), *temp_dir.glob(f"{KERNEL_FOLDER_PREFIX}*")]
    removed = [p for p in candidates if _abandoned(p, started)]
    for path in removed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return removed


def owner(path: Path) -> int | None:
    """The process id in a leftover's name, else None.

    >>> owner(Path(".report.pdf.pid4242.k3j_x.tmp")), owner(Path(".work-pid7-ab")), owner(Path("a"))
    (4242, 7, None)
    """
    found = _OWNER.search(path.name)
    return int(found.group(1)) if found else None


def _report_leftovers(out_dir: Path) -> Iterator[Path]:
    if not out_dir.is_dir():
        return
    # report folders are out/<client>/<wave>/; the index and manifests sit higher up
    for depth in ("", "*/", "*/*/"):
        yield from out_dir.glob(f"{depth}.work-*")
        yield from out_dir.glob(f"{depth}.*.tmp")


def _abandoned(path: Path, started: float) -> bool:
    try:
        if path.lstat().st_mtime >= started:
            return False
    except FileNotFoundError:
        return False
    pid = owner(path)
    return pid is None or not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True
