"""Atomic file writes: a reader sees the previous complete file or the new complete file, never half."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one rename.

    On an exception the temporary file is removed and ``target`` is left as it was; a full disk
    is a :class:`PmoAssessError` naming ``target``. The temporary file's name holds this
    process's id, so a later run can remove what a killed one left
    (:mod:`pmo_assess.batch.leftovers`).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "out.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (folder / "out.txt").read_text()
    'done'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = _disk_checked(target, lambda: _temporary_beside(target))
    try:
        yield temporary
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise _disk_full(target) from exc
        raise
    finally:
        temporary.unlink(missing_ok=True)


def _temporary_beside(target: Path) -> Path:
    # the writer's process id in the name lets a later run tell a dead writer's leftover from
    # a live one's file
    prefix = f".{target.name}.pid{os.getpid()}."
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    os.close(handle)
    os.chmod(name, 0o666 & ~_umask())  # mkstemp makes 0600; the file should read like any other
    return Path(name)


def _disk_checked(target: Path, make: Callable[[], Path]) -> Path:
    try:
        return make()
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise _disk_full(target) from exc
        raise


def _disk_full(target: Path) -> PmoAssessError:
    return PmoAssessError(
        f"Disk full writing {target}; nothing was replaced (any earlier file there is as it "
        "was). Free some space and run the command again."
    )


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(target: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write text to ``target`` atomically."""
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding=encoding, newline="")
