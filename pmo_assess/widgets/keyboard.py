"""The interview form with the keyboard alone, in JupyterLab as anywhere else.

JupyterLab reads every key press first (its shortcuts listen in the capture phase), and in
command mode its notebook shortcuts match any focused element inside the notebook
(``.jp-Notebook.jp-mod-commandMode :focus``): on a form's dropdown or button, the arrow keys move
the cell selection instead of the choice, and ``A`` or ``D D`` would even add or delete a cell.
Lumino's shortcut matching gives up at an element carrying ``data-lm-suppress-shortcuts``, but it
tests the focused element itself before looking for that attribute, so marking the form's box is
not enough: the focused control must carry it. ipywidgets cannot set attributes, so
:class:`FormKeys`, a tiny widget with front-end code (anywidget), marks the form it sits in and
every control that takes the focus inside it, and adds the form's own shortcuts: Alt+A to the
answers, Alt+N to the note, Alt+D to the dimension list; in a row of buttons (the levels, the
confidence) the left and right arrows move between them without choosing.

While a control of the form has the focus, JupyterLab's shortcuts are left out (Shift+Enter and
Ctrl+S too); a click outside the form brings them back.
"""

from __future__ import annotations

from dataclasses import dataclass

import anywidget
import traitlets

from pmo_assess.report.markup import esc


@dataclass(frozen=True)
class Shortcut:
    """A key that moves the focus to a control of the form."""

    keys: str  # as written for people: "Alt+A"
    code: str  # the KeyboardEvent.code the browser reports: "KeyA"
    target: str  # what it reaches, in words
    selector: str  # the CSS class of the control it focuses


SHORTCUTS = (
    Shortcut("Alt+A", "KeyA", "answers", ".pmo-choice"),
    Shortcut("Alt+N", "KeyN", "note", ".pmo-note"),
    Shortcut("Alt+D", "KeyD", "dimension", ".pmo-jump"),
)

_ESM = """
const FOCUSABLE = "button, textarea, select, input";
const SUPPRESS = "data-lm-suppress-shortcuts";

function focusIn(form, selector) {
  const box = form.querySelector(selector);
  if (!box) return false;
  const chosen = box.querySelector("button.mod-active");
  const target = chosen || (box.matches(FOCUSABLE) ? box : box.querySelector(FOCUSABLE));
  if (!target) return false;
  target.focus();
  return true;
}

function moveAlong(event) {
  const button = event.target;
  if (!(button instanceof HTMLButtonElement) || !button.closest(".widget-toggle-buttons")) {
    return false;
  }
  const row = Array.from(button.parentElement.querySelectorAll(":scope > button"));
  const step = event.key === "ArrowRight" ? 1 : -1;
  const next = row[row.indexOf(button) + step];
  if (next) next.focus();
  return true;
}

function render({ model, el }) {
  el.style.display = "none";
  let form = null;
  const onKey = (event) => {
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const selector = model.get("shortcuts")[event.code];
      if (selector && focusIn(form, selector)) {
        event.preventDefault();
        event.stopPropagation();
      }
    } else if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && moveAlong(event)) {
      event.preventDefault();
    }
  };
  const onFocus = (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    // Lumino matches a shortcut on the focused element before it looks for the attribute.
    target.setAttribute(SUPPRESS, "true");
    // A row of buttons focused from outside hands the focus to its chosen (or first) button,
    // so one Tab, or the form moving to a new question, lands on a level.
    if (target.matches(".widget-toggle-buttons") && !target.contains(event.relatedTarget)) {
      const button = target.querySelector("button.mod-active") || target.querySelector("button");
      if (button) button.focus();
    }
  };
  const attach = () => {
    form = el.closest(model.get("form"));
    if (!form) return false;
    form.setAttribute(SUPPRESS, "true");
    form.addEventListener("focusin", onFocus);
    // Captured: the text boxes of ipywidgets stop their key presses from bubbling.
    form.addEventListener("keydown", onKey, true);
    return true;
  };
  // The form's children are put in place after they render: wait (briefly) for the form.
  let tries = 0;
  const timer = attach() ? null : setInterval(() => {
    if (attach() || ++tries > 200) clearInterval(timer);
  }, 50);
  return () => {
    if (timer) clearInterval(timer);
    if (form) {
      form.removeEventListener("focusin", onFocus);
      form.removeEventListener("keydown", onKey, true);
    }
  };
}

export default { render };
"""


class FormKeys(anywidget.AnyWidget):
    """Put inside a form (a child of its box): JupyterLab leaves the form's keys to it, and the
    :data:`SHORTCUTS` move the focus. It shows nothing itself."""

    _esm = _ESM
    #: The CSS selector of the form the widget marks (its nearest ancestor that matches).
    form = traitlets.Unicode(".pmo-interview").tag(sync=True)
    #: KeyboardEvent.code of a key pressed with Alt -> the selector of the control to focus.
    shortcuts = traitlets.Dict({s.code: s.selector for s in SHORTCUTS}).tag(sync=True)


def shortcuts_html() -> str:
    """The one line the form shows about its keys."""
    keys = " · ".join(f"<kbd>{esc(s.keys)}</kbd> {esc(s.target)}" for s in SHORTCUTS)
    return (
        f'<span style="color:#555;font-size:0.9em">Keys: {keys} · <kbd>Tab</kbd> next control · '
        "arrows move within the focused control</span>"
    )
