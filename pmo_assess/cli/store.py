"""Command handlers that work on an engagement store: each opens the store, calls one library
function and prints what it returned. Argument parsing stays in :mod:`pmo_assess.cli.main`."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date

from pmo_assess.cli.options import open_store
from pmo_assess.core.errors import PmoAssessError, RoleNeeded
from pmo_assess.core.workspace import prepare_demo_workspace, workspace_dir
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.portfolio import format_portfolio, portfolio_scores
from pmo_assess.model.vocabulary import vocabulary
from pmo_assess.store.export import client_scores, export_text, write_export
from pmo_assess.store.intake import import_survey_file
from pmo_assess.store.questionnaires import engagement_questionnaire
from pmo_assess.store.repository import Store


def _open(args: argparse.Namespace, create: bool = False) -> Store:
    # Only the commands that write (client add, import) create a missing workspace.
    return open_store(args, create=create)


def client_add(args: argparse.Namespace) -> int:
    # Checked before the store opens, so a refused client leaves no new workspace behind.
    named = vocabulary().resolve_client(args.industry or None, args.size_band or None)
    with _open(args, create=True) as store:
        client = store.add_client(
            args.name, args.slug, named.get("industry"), named.get("size_band"), args.region
        )
    print(f"Added client '{client.name}' as {client.slug}")
    return 0


def client_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        clients = store.clients()
    if args.format == "json":
        print(
            json.dumps(
                [{k: v for k, v in vars(c).items() if k != "id"} for c in clients],
                indent=2,
                ensure_ascii=False,
            )
        )
    elif not clients:
        print("No clients yet. Add one with: pmo-assess client add NAME")
    else:
        for c in clients:
            print(f"{c.slug:<32} {c.name:<40} {c.industry or '-':<24} {c.size_band or '-'}")
    return 0


def import_file(args: argparse.Namespace) -> int:
    with _open(args, create=True) as store:

        def run(role: str | None) -> str:
            return import_survey_file(
                store,
                args.file,
                args.client,
                args.wave,
                questionnaire=args.questionnaire,
                fmt=args.format,
                mapping_path=args.mapping,
                role=role,
                include_unfinished=args.include_unfinished,
                keep_identity=args.keep_identity,
                held_on=args.date,
                dry_run=args.dry_run,
                ignore_unmatched=args.ignore_unmatched,
                write_mapping=args.write_mapping,
                relabel=args.relabel,
            )

        try:
            report = run(args.role)
        except RoleNeeded:
            if not sys.stdin.isatty():
                raise
            report = run(_ask_role())
    print(report)
    return 0


def iso_date(text: str) -> date:
    """A real calendar date written ``YYYY-MM-DD`` (an argparse type).

    >>> iso_date("2026-03-14")
    datetime.date(2026, 3, 14)
    """
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(
        f"expected a real date written YYYY-MM-DD, e.g. 2026-03-14; got {text!r}"
    )


def export(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and args.out is None:
        raise PmoAssessError("An xlsx export needs --out FILE.xlsx.")
    with _open(args) as store:
        engagement = store.engagement(args.client)
        answers = store.load_answers(args.client, args.wave, engagement.questionnaire_id)
        if answers.empty:
            raise PmoAssessError(
                f"Client '{args.client}' has no answers"
                + (f" in wave '{args.wave}'." if args.wave else " yet.")
            )
        questionnaire = engagement_questionnaire(store.workspace, engagement)
        scores = client_scores(questionnaire, answers, engagement.targets)
        name = store.client(args.client).name
        notes = store.load_notes(args.client, args.wave, engagement.questionnaire_id)
        added = store.role_names(engagement.id)
    if args.out is None:
        sys.stdout.write(export_text(answers, scores, args.format, notes))
    else:
        write_export(
            answers,
            scores,
            args.format,
            args.out,
            questionnaire,
            name,
            notes=notes,
            role_names=added,
        )
        print(f"Wrote {args.out}")
    return 0


def demo(args: argparse.Namespace) -> int:
    folder = workspace_dir(args.workspace)
    if not args.db:
        prepare_demo_workspace(folder)
    with open_store(args, create=True) as store:
        if store.clients():
            raise PmoAssessError(
                "This store already holds clients; build the demo into an empty workspace."
            )
        summary = build_demo_workspace(store, clients=args.clients, seed=args.seed)
        table = portfolio_scores(store)
    print(f"Built a demo workspace in {folder} with {len(summary.clients)} fictional clients.\n")
    print(format_portfolio(table))
    return 0


def _ask_role() -> str:
    """Ask the consultant at the terminal for the role of every respondent in the file."""
    while not (
        answer := input(
            "The export has no role column. Role of these respondents (e.g. project-manager): "
        ).strip()
    ):
        pass
    return answer
