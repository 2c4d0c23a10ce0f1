"""Pieces of the interview form that need no form: running a retry later, and the HTML of the
levels' descriptions and of the unanswered questions."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence

from pmo_assess.engagement.interview import Choice, UnansweredGroup
from pmo_assess.report.markup import esc

#: How the form runs a retry later: ``schedule(seconds, callback)``.
Scheduler = Callable[[float, Callable[[], None]], object]


def later(seconds: float, callback: Callable[[], None]) -> object:
    """Run ``callback`` after ``seconds``: on the kernel's event loop in Jupyter (the thread the
    form's other callbacks run on), else on a timer thread."""
    try:
        return asyncio.get_running_loop().call_later(seconds, callback)
    except RuntimeError:
        timer = threading.Timer(seconds, callback)
        timer.daemon = True
        timer.start()
        return timer


def anchors_html(choices: Sequence[Choice], chosen: str | None) -> str:
    """What each level looks like, as a list with the chosen level marked."""
    items = []
    for choice in choices:
        if not choice.anchor:
            continue
        mark = choice.key == chosen
        style = (
            "background:#e8f0fe;border-left:4px solid #0b3c5d;"
            if mark
            else "border-left:4px solid transparent;"
        )
        items.append(
            f'<li style="{style}padding:2px 6px;margin:2px 0">'
            f"<b>{esc(choice.label)}</b>{' (chosen)' if mark else ''}: {esc(choice.anchor)}</li>"
        )
    return f'<ul style="list-style:none;padding-left:0;margin:0">{"".join(items)}</ul>'


def unanswered_html(groups: Sequence[UnansweredGroup], count: int) -> str:
    """The unanswered questions by dimension, folded under one line that gives their number."""
    if count == 0:
        return "<b>Every question has an answer.</b>"
    body = "".join(
        f"<p><b>{esc(g.title)}</b> ({len(g.questions)})<br>"
        + "<br>".join(f"Q{n} {esc(q.text)}" for n, q in g.questions)
        + "</p>"
        for g in groups
    )
    return f"<details><summary>Unanswered: {count}</summary>{body}</details>"
