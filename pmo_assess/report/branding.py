"""The consulting firm's branding for reports: name, logo and colours, from a small YAML file.

```yaml
firm_name: "Northlight Advisory"
logo: "northlight.svg"      # SVG, PNG or JPEG, relative to this file
primary: "#0B3C5D"          # headings, the client's marks in charts
accent: "#0072B2"           # links, commentary rules
deck_template: "firm.pptx"  # the firm's PowerPoint template for decks (report --format pptx)
deck_layouts:               # the template's layout for a kind of slide, when its names differ
  content: "Firm Text"      # (title, content, title_only; default: found by placeholder types)
document_template: "firm.docx"  # the firm's Word template for the editable report (docx)
```
Every key is optional; the defaults look finished without a file.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from pmo_assess.core.errors import Problem, ValidationError
from pmo_assess.core.yamlsource import load_yaml

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_LOGO_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
_KEYS = (
    "firm_name",
    "logo",
    "primary",
    "accent",
    "deck_template",
    "deck_layouts",
    "document_template",
)
#: The kinds of slide a deck template's layouts can be named for (``deck_layouts``).
LAYOUT_ROLES = ("title", "content", "title_only")
#: The template keys, the format each serves and the file types each takes.
TEMPLATE_KEYS = {
    "deck_template": ("pptx", (".pptx", ".potx")),
    "document_template": ("docx", (".docx", ".dotx")),
}


@dataclass(frozen=True)
class Branding:
    """What the report shows of the firm; ``logo_data_uri`` is embedded, never linked."""

    # a product label for an unbranded report, true of any questionnaire (not "PMO ...")
    firm_name: str = "Maturity Assessment"
    primary: str = "#0B3C5D"
    accent: str = "#0072B2"
    logo_data_uri: str | None = None
    #: The firm's templates (absolute paths, checked when the branding file was read).
    deck_template: str | None = None
    document_template: str | None = None
    #: The deck template's layout names by kind of slide, where they differ from Office's own.
    deck_layouts: dict[str, str] | None = None

    def template_for(self, format_name: str) -> Path | None:
        """The branding file's template for ``pptx`` or ``docx``, if it names one."""
        chosen = {"pptx": self.deck_template, "docx": self.document_template}.get(format_name)
        return Path(chosen) if chosen else None


def load_branding(path: str | Path | None) -> Branding:
    """The branding in ``path``, or the defaults when there is no file.

    >>> load_branding(None).primary
    '#0B3C5D'
    """
    if path is None:
        return Branding()
    source = load_yaml(path)
    data = source.data or {}
    problems = list(source.problems)
    if not isinstance(data, dict):
        raise ValidationError(
            [Problem(source.where(()), "expected keys: " + ", ".join(_KEYS))], what=str(path)
        )
    for key in data:
        if key not in _KEYS:
            problems.append(
                Problem(
                    source.where((key,)), f"unknown key '{key}'; allowed keys: {', '.join(_KEYS)}"
                )
            )
    for key in ("primary", "accent"):
        if key in data and not (isinstance(data[key], str) and _COLOUR.match(data[key])):
            problems.append(
                Problem(
                    source.where((key,)),
                    f"'{key}' must be a colour like \"#0B3C5D\" (in quotes); got {data[key]!r}",
                )
            )
    logo = None
    if data.get("logo"):
        logo_path = Path(path).parent / str(data["logo"])
        kind = _LOGO_TYPES.get(logo_path.suffix.lower())
        problem = _logo_problem(logo_path, Path(path).parent, kind)
        if problem:
            problems.append(
                Problem(source.where(("logo",)), f"logo {str(data['logo'])!r} {problem}")
            )
        else:
            logo = f"data:{kind};base64,{base64.b64encode(logo_path.read_bytes()).decode()}"
    templates: dict[str, str] = {}
    for key, (_, suffixes) in TEMPLATE_KEYS.items():
        if data.get(key):
            template = Path(path).parent / str(data[key])
            problem = _template_problem(template, Path(path).parent, suffixes)
            if problem:
                problems.append(
                    Problem(source.where((key,)), f"{key} {str(data[key])!r} {problem}")
                )
            else:
                templates[key] = str(template.resolve())
    layouts = data.get("deck_layouts")
    if layouts is not None and not (
        isinstance(layouts, dict)
        and set(layouts) <= set(LAYOUT_ROLES)
        and all(isinstance(v, str) and v.strip() for v in layouts.values())
    ):
        problems.append(
            Problem(
                source.where(("deck_layouts",)),
                "deck_layouts maps a kind of slide (" + ", ".join(LAYOUT_ROLES) + ") to the "
                f'name of a layout in the deck template, e.g. content: "Firm Text"; got {layouts!r}',
            )
        )
    if problems:
        raise ValidationError(problems, what=str(path))
    defaults = Branding()
    return Branding(
        firm_name=str(data.get("firm_name") or defaults.firm_name),
        primary=data.get("primary", defaults.primary),
        accent=data.get("accent", defaults.accent),
        logo_data_uri=logo,
        deck_layouts={str(k): str(v) for k, v in layouts.items()} if layouts else None,
        **templates,
    )


def _template_problem(template: Path, folder: Path, suffixes: tuple[str, ...]) -> str | None:
    """Why ``template`` cannot be used: a regular file of the right type in the branding folder."""
    if template.suffix.lower() not in suffixes or not template.is_file():
        return f"must be an existing {' or '.join(suffixes)} file next to the branding file"
    if template.is_symlink() or not template.resolve().is_relative_to(folder.resolve()):
        return f"must be a file in {folder}, not a link or a path outside it; got {template}"
    return None


def _logo_problem(logo: Path, folder: Path, kind: str | None) -> str | None:
    """Why ``logo`` cannot be the firm's logo: a logo is a regular SVG, PNG or JPEG file inside
    the branding file's folder (not a link, not elsewhere), and an SVG loads nothing else."""
    if kind is None or not logo.is_file():
        return "must be an existing SVG, PNG or JPEG file next to the branding file"
    if logo.is_symlink() or not logo.resolve().is_relative_to(folder.resolve()):
        return f"must be a file in {folder}, not a link or a path outside it; got {logo}"
    if kind == "image/svg+xml":
        return svg_problem(logo.read_bytes().decode("utf-8", errors="replace"))
    return None


def svg_problem(svg: str) -> str | None:
    """What in an SVG logo would run or load something, or ``None`` when it is self-contained:
    script, event handlers, entities, links and ``url(...)`` to anything but itself or
    embedded ``data:image/`` pictures.

    >>> svg_problem('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(#g)"/></svg>')
    >>> svg_problem('<svg><image href="http://x.test/a.png"/></svg>')
    "must not load 'http://x.test/a.png' (an SVG logo may embed data:image/ pictures only)"
    """
    if re.search(r"<!ENTITY|<script|<foreignObject|\son\w+\s*=", svg, re.IGNORECASE):
        return "must not hold script, event handlers, foreignObject or entities"
    for found in re.finditer(r"""(?:href\s*=\s*["']|url\(\s*["']?|@import\s*["'])([^"')]*)""", svg):
        target = found.group(1).strip()
        if not target.startswith(("#", "data:image/")) or target.startswith("data:image/svg"):
            return f"must not load {target!r} (an SVG logo may embed data:image/ pictures only)"
    return None
