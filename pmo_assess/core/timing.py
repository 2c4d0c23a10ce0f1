"""CPU seconds per stage of a piece of work, for the batch's manifest and ``bench/``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class CpuStages:
    """Adds up the CPU seconds this process spends in named stages (other processes, such as a
    notebook's kernel, are added with :meth:`add`).

    >>> stages = CpuStages()
    >>> with stages.stage("html"):
    ...     _ = sum(range(1000))
    >>> stages.add("kernel", 0.25)
    >>> sorted(stages.seconds), stages.seconds["kernel"]
    (['html', 'kernel'], 0.25)
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Count the CPU time of the ``with`` block towards ``name``."""
        started = time.process_time()
        try:
            yield
        finally:
            self.add(name, time.process_time() - started)

    def add(self, name: str, seconds: float) -> None:
        """Count ``seconds`` towards ``name``."""
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def rounded(self, digits: int = 3) -> dict[str, float]:
        """The stages' seconds, rounded for a manifest."""
        return {name: round(value, digits) for name, value in self.seconds.items()}
