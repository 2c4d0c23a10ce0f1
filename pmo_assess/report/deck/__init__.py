"""The steering-committee deck: native, editable PowerPoint slides from the results contract,
in the firm's own template or the built-in one (:func:`write_deck`)."""

from __future__ import annotations

from pmo_assess.report.deck.layouts import DEFAULT_LAYOUT_NAMES, choose_layouts
from pmo_assess.report.deck.write import write_deck

__all__ = ["DEFAULT_LAYOUT_NAMES", "choose_layouts", "write_deck"]
