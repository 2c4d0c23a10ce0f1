"""Argument types shared by several commands, checked as argparse parses them."""

from __future__ import annotations

import argparse

from pmo_assess.report.render import FORMATS


def formats(text: str) -> tuple[str, ...]:
    """``html,pdf`` as a tuple, each checked (an argparse type)."""
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(
            f"expected a comma-separated list of {', '.join(FORMATS)}; got {text!r}"
        )
    return chosen
