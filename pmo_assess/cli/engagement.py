"""The commands that set up an engagement without a notebook: ``client edit``, ``engagement set``
and ``engagement show``, and ``wave set``. Each parses its options and makes one library call;
industries and size bands are checked against the vocabulary here, at the edge.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pmo_assess.cli.options import open_store
from pmo_assess.cli.store import iso_date
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.notebook import use_client
from pmo_assess.engagement.scope import PMO_TYPES
from pmo_assess.engagement.setup import (
    DEFAULT,
    FUNCTION_PRIORITIES,
    NONE,
    ScopeChanges,
    engagement_overview,
    set_engagement,
)
from pmo_assess.engagement.waves import set_wave
from pmo_assess.model.questionnaire import PMO_FUNCTIONS
from pmo_assess.model.terms import ENGAGEMENT_KINDS
from pmo_assess.model.vocabulary import vocabulary
from pmo_assess.store.edits import update_client


def add_parsers(commands: Any, client: Any, store: argparse.ArgumentParser) -> None:
    """Add ``client edit`` to the ``client`` group, and the ``engagement`` and ``wave`` groups."""
    edit = client.add_parser("edit", parents=[store], help="change a client's description")
    edit.add_argument("slug", metavar="SLUG")
    edit.add_argument("--name", help="the client's new name (the slug stays)")
    add_description_options(edit, clearing=True)
    edit.set_defaults(run=client_edit)
    engagement = commands.add_parser(
        "engagement", help="set up a client's engagement: kind, scope, targets"
    ).add_subparsers(dest="engagement_command", required=True, metavar="ACTION")
    _add_engagement_set(engagement.add_parser("set", parents=[store], help=SET_HELP))
    show = engagement.add_parser("show", parents=[store], help="show a client's engagement")
    show.add_argument("--client", required=True, metavar="SLUG")
    show.add_argument("--format", choices=("table", "json"), default="table")
    show.set_defaults(run=engagement_show)
    wave = commands.add_parser("wave", help="date or rename a wave").add_subparsers(
        dest="wave_command", required=True, metavar="ACTION"
    )
    _add_wave_set(wave.add_parser("set", parents=[store], help="date or rename a wave"))
    use = commands.add_parser(
        "use",
        parents=[store],
        help="choose the client (and engagement) the notebooks open; no client: show the choice",
    )
    use.add_argument("client", nargs="?", default="", metavar="SLUG")
    use.add_argument(
        "--engagement", type=int, metavar="ID", help="an engagement id; default: the latest"
    )
    use.set_defaults(run=use_command)


def add_description_options(parser: argparse.ArgumentParser, *, clearing: bool = False) -> None:
    """``--industry``, ``--size-band`` and ``--region``, their help listing the vocabulary."""
    words = vocabulary()
    clear = "; an empty value clears it" if clearing else ""
    parser.add_argument("--industry", help=_escaped(f"one of {words.industry.listing()}{clear}"))
    parser.add_argument("--size-band", help=_escaped(f"one of {words.size_band.listing()}{clear}"))
    parser.add_argument("--region", help=f"free text, e.g. DACH or Nordics{clear}")


def described(industry: str | None, size_band: str | None) -> dict[str, str | None]:
    """Industry and size band as the vocabulary names them; only those given, empty as None."""
    names: dict[str, str | None] = {
        key: None for key, text in (("industry", industry), ("size_band", size_band)) if text == ""
    }
    return names | vocabulary().resolve_client(industry or None, size_band or None)


def client_edit(args: argparse.Namespace) -> int:
    changes = described(args.industry, args.size_band)
    changes |= {k: v for k, v in (("name", args.name), ("region", args.region)) if v is not None}
    if not changes:
        raise PmoAssessError(
            "Nothing to change: give --name, --industry, --size-band or --region "
            "(see pmo-assess client edit --help)."
        )
    with open_store(args) as store:
        before = store.client(args.slug)
        after = update_client(store, args.slug, changes)
    print(f"Updated client {after.slug}:")
    for key in changes:
        print(
            f"  {key.replace('_', ' ')}: {getattr(before, key) or '-'} -> {getattr(after, key) or '-'}"
        )
    return 0


def engagement_set(args: argparse.Namespace) -> int:
    changes = ScopeChanges(
        kind=args.type,
        pmo_type=args.pmo_type,
        objectives=tuple(args.objective) if args.objective else None,
        functions=dict(args.function),
        targets=dict(args.target),
        importance=dict(args.importance),
    )
    with open_store(args) as store:
        print(set_engagement(store, args.client, changes, args.questionnaire))
    return 0


def engagement_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        overview = engagement_overview(store, args.client)
    if args.format == "json":
        print(json.dumps(overview, indent=2, ensure_ascii=False))
    else:
        print(overview_text(overview))
    return 0


def use_command(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        print(use_client(store, args.client, args.engagement))
    return 0


def wave_set(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        print(
            set_wave(
                store,
                args.client,
                args.wave,
                held_on=args.date,
                new_label=args.rename,
                reports=args.reports,
            )
        )
    return 0


def overview_text(overview: dict[str, Any]) -> str:
    """An engagement overview (:func:`engagement_overview`) as lines for a terminal."""
    q = overview["questionnaire"]
    objectives = [f"  {i}. {o}" for i, o in enumerate(overview["objectives"], start=1)]
    functions = [f"  {f:<28} {p or 'unranked'}" for f, p in overview["functions"].items()]
    waves = ", ".join(f"{w['label']} ({w['held_on'] or 'no date'})" for w in overview["waves"])
    lines = [
        f"{overview['client']}: {overview['kind']} engagement, questionnaire {q['id']} {q['version']}",
        f"PMO type: {overview['pmo_type'] or 'not chosen'}",
        "Objectives:" + ("" if objectives else " none"),
        *objectives,
        "Functions in scope:" + ("" if functions else " none"),
        *functions,
        f"Waves: {waves or 'none yet'}",
        "",
        f"  {'dimension':<14} {'target':>6}  {'set by':<14} {'importance':>10}  set by",
    ]
    lines += [
        f"  {d['id']:<14} {_number(d['target']):>6}  {d['target_set_by']:<14} "
        f"{d['importance']:>10}  {d['importance_set_by']}"
        for d in overview["dimensions"]
    ]
    return "\n".join(lines)


SET_HELP = "set a client's engagement: kind, PMO type, objectives, functions, targets, importance"


def _add_engagement_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, metavar="SLUG")
    parser.add_argument(
        "--questionnaire",
        metavar="ID",
        help="only when the client has no engagement yet (default pmo-maturity)",
    )
    parser.add_argument("--type", choices=ENGAGEMENT_KINDS, help="the engagement's kind")
    parser.add_argument(
        "--pmo-type", choices=(*PMO_TYPES, NONE), help="how much authority the PMO holds"
    )
    parser.add_argument(
        "--objective",
        action="append",
        default=[],
        metavar="TEXT",
        help="a strategic objective (repeatable); those given replace the saved ones",
    )
    parser.add_argument(
        "--function",
        action="append",
        default=[],
        type=_pair("FUNCTION=PRIORITY, e.g. governance=high"),
        metavar="FUNCTION=PRIORITY",
        help=f"a PMO function's priority: {', '.join(FUNCTION_PRIORITIES)} (repeatable); "
        f"functions: {', '.join(PMO_FUNCTIONS)}",
    )
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        type=_pair("DIM=VALUE, e.g. governance=3.5"),
        metavar="DIM=VALUE",
        help=f"a top-level dimension's target, or {DEFAULT} for the questionnaire's (repeatable)",
    )
    parser.add_argument(
        "--importance",
        action="append",
        default=[],
        type=_pair("DIM=1..3, e.g. governance=3"),
        metavar="DIM=1..3",
        help=f"1 low, 2 normal, 3 high, or {DEFAULT} (repeatable)",
    )
    parser.set_defaults(run=engagement_set)


def _add_wave_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", required=True, metavar="SLUG")
    parser.add_argument("--wave", required=True, metavar="LABEL")
    parser.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the wave's date; kept by later imports, as with import --date",
    )
    parser.add_argument("--rename", metavar="NEW", help="the wave's new label")
    parser.add_argument(
        "--reports",
        type=Path,
        default=Path("reports"),
        metavar="DIR",
        help="where reports are written (default reports), to point to the old label's",
    )
    parser.set_defaults(run=wave_set)


def _pair(expected: str) -> Any:
    def pair(text: str) -> tuple[str, str]:
        name, sep, value = text.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise argparse.ArgumentTypeError(f"expected {expected}; got {text!r}")
        return name.strip(), value.strip()

    return pair


def _escaped(text: str) -> str:
    return text.replace("%", "%%")  # argparse formats help with %


def _number(value: Any) -> str:
    return "-" if value is None else f"{value:g}"
