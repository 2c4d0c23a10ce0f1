"""What the report kernel wrote to stderr: logged for whoever runs the report, never kept.

A library warning (Matplotlib's font cache, a pandas deprecation) names the file that raised it,
a path on this machine; kept in ``report.ipynb`` it would travel to the client with the report.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

logger = logging.getLogger(__name__)


def drop_stderr(notebook: nbformat.NotebookNode) -> int:
    """Remove every ``stderr`` stream output from the notebook's cells, logging each as a warning;
    return how many there were.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell(outputs=[
    ...     nbformat.v4.new_output("stream", name="stderr", text="/home/me/x.py:1: UserWarning"),
    ...     nbformat.v4.new_output("stream", name="stdout", text="shown"),
    ... ])
    >>> notebook = nbformat.v4.new_notebook(cells=[cell])
    >>> drop_stderr(notebook), [o["name"] for o in notebook.cells[0].outputs]
    (1, ['stdout'])
    """
    dropped = 0
    for index, cell in enumerate(notebook.cells, start=1):
        written = [o for o in cell.get("outputs", []) if _is_stderr(o)]
        for output in written:
            text = str(output.get("text", "")).strip()
            logger.warning("The report kernel wrote to stderr in cell %d: %s", index, text)
        if written:
            cell["outputs"] = [o for o in cell["outputs"] if not _is_stderr(o)]
            dropped += len(written)
    return dropped


def _is_stderr(output: nbformat.NotebookNode) -> bool:
    return output.get("output_type") == "stream" and output.get("name") == "stderr"
