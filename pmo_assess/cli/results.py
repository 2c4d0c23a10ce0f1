"""Command handlers for what is computed from a client's answers: results, roadmap, benchmark."""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from pmo_assess.cli.options import open_store
from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.insight.benchmarks import write_firm_benchmark
from pmo_assess.insight.results import build_results
from pmo_assess.store.export import spreadsheet_safe
from pmo_assess.store.sheets import write_roadmap_xlsx

ROADMAP_COLUMNS = [
    "order",
    "phase_name",
    "title",
    "dimension_title",
    "step",
    "effort",
    "duration_weeks",
    "benefit",
    "priority",
    "start_week",
    "end_week",
    "depends_on",
    "action_id",
    "description",
]


def results(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        found = build_results(store, args.client, args.wave, benchmark_path=args.benchmark)
    if args.out is None:
        sys.stdout.write(found.to_json())
    else:
        write_text_atomic(args.out, found.to_json())
        print(f"Wrote {args.out}")
    return 0


def roadmap(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and args.out is None:
        raise PmoAssessError("An xlsx roadmap needs --out FILE.xlsx.")
    with open_store(args) as store:
        found = build_results(store, args.client, args.wave)
        if args.format == "xlsx":
            items, wave = found.roadmap["items"], found.wave["label"]
            write_roadmap_xlsx(store, args.client, items, wave, args.out)
            print(f"Wrote {args.out}")
            return 0
    items = pd.DataFrame(found.roadmap["items"], columns=[*ROADMAP_COLUMNS, "phase", "dimension"])
    items["depends_on"] = items["depends_on"].map(lambda needs: ", ".join(needs))
    table = items[ROADMAP_COLUMNS]
    if args.format == "json":
        text = json.dumps(found.roadmap, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        text = table.map(spreadsheet_safe).to_csv(index=False, lineterminator="\n")
    else:
        text = format_roadmap(table, found.client["name"], found.wave["label"]) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(args.out, text)
        print(f"Wrote {args.out}")
    return 0


def benchmark_build(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        frame = write_firm_benchmark(store, args.out, args.questionnaire)
    print(f"Wrote {args.out}: {len(frame)} organisations, numbered at random, no client names.")
    return 0


def format_roadmap(table: pd.DataFrame, client: str, wave: str) -> str:
    """The roadmap by phase, as plain text."""
    if table.empty:
        return (
            f"{client} · wave {wave}: no actions needed; every scored dimension meets its target."
        )
    lines = [f"{client} · wave {wave} · improvement roadmap"]
    for phase, group in table.groupby("phase_name", sort=False):
        lines += ["", f"{phase}"]
        lines += [
            f"  {r.order:>3}. {r.title} [{r.dimension_title}, {r.effort}, {r.duration_weeks} wk]"
            for r in group.itertuples()
        ]
    return "\n".join(lines)
