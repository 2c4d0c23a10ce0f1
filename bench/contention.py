"""Benchmark: a large survey import beside an interview that saves an answer every 0.2 s.

One process imports ``--rows`` answers (default 200,000: 60 questions for each of 3,334
respondents) into a fresh wave; a second process, the interview, records one answer every 0.2 s
through the store, and a third lists the clients every 0.2 s (what ``pmo-assess client list``
reads). Both start a second before the import and stop a second after it. Prints the import's
seconds, the saves and reads made, how many failed, and the longest wait of each.
Target: 0 failed saves, 0 failed reads, no wait over 5 s. Exit code 1 when a save or read failed.
Run: ``.venv/bin/python bench/contention.py [--rows 1000000]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from pmo_assess import load_questionnaire
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import Store

INTERVAL = 0.2  # seconds between two interview saves, as in the report of issue 17


def interview(workspace: Path, respondent_id: int, stop, results) -> None:
    """Save an answer every 0.2 s until told to stop; report (saves, failures, longest wait)."""
    with Store.open(workspace) as store:
        saves, failed, longest = 0, 0, 0.0
        while not stop.is_set():
            started = time.perf_counter()
            try:
                store.record_answer(
                    respondent_id, "strategy.objective-link", value=float(saves % 5 + 1)
                )
            except Exception as exc:
                failed += 1
                print(f"  save failed: {exc}", file=sys.stderr)
            saves += 1
            longest = max(longest, time.perf_counter() - started)
            time.sleep(INTERVAL)
        results.put(("interview saves", saves, failed, longest))


def reader(workspace: Path, stop, results) -> None:
    """List the clients every 0.2 s until told to stop; report (reads, failures, longest wait)."""
    with Store.open(workspace) as store:
        reads, failed, longest = 0, 0, 0.0
        while not stop.is_set():
            started = time.perf_counter()
            try:
                store.clients()
            except Exception as exc:
                failed += 1
                print(f"  read failed: {exc}", file=sys.stderr)
            reads += 1
            longest = max(longest, time.perf_counter() - started)
            time.sleep(INTERVAL)
        results.put(("client list reads", reads, failed, longest))


def survey(rows: int, question_ids: list[str]) -> tuple[list[NewRespondent], pd.DataFrame]:
    """``rows`` answers, 60 to a respondent, with every level used."""
    people = -(-rows // len(question_ids))
    codes = [f"S{i:07d}" for i in range(people)]
    answers = pd.DataFrame(
        {
            "respondent": [c for c in codes for _ in question_ids][:rows],
            "question_id": (question_ids * people)[:rows],
            "value": [float(i % 5 + 1) for i in range(rows)],
            "status": "answered",
        }
    )
    return [NewRespondent("team-member", c, source="survey") for c in codes], answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="answers to import")
    rows = parser.parse_args().rows
    questionnaire = load_questionnaire("pmo-maturity")
    people, answers = survey(rows, [q.id for q in questionnaire.questions()])
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        with Store.open(workspace) as store:
            store.add_client("Acme Rail (fictional)", slug="acme")
            engagement = store.start_engagement("acme", questionnaire)
            wave = store.ensure_wave(engagement.id, "2026-Q3")
            person = store.add_respondent(wave.id, "executive")
        spawn = multiprocessing.get_context("spawn")
        stop, results = spawn.Event(), spawn.Queue()
        workers = [
            spawn.Process(target=interview, args=(workspace, person.id, stop, results)),
            spawn.Process(target=reader, args=(workspace, stop, results)),
        ]
        for worker in workers:
            worker.start()
        time.sleep(3)  # both processes are up and saving (spawning imports the package)
        started = time.perf_counter()
        with Store.open(workspace) as store:
            imported = store.import_answers(engagement.id, "2026-Q3", people, answers)
        seconds = time.perf_counter() - started
        time.sleep(1)
        stop.set()
        figures = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join()
    print(f"import: {imported.answers_added:,} answers in {seconds:.1f} s")
    failures = 0
    for what, count, failed, longest in sorted(figures):
        print(f"{what}: {count}, failed {failed}, longest wait {longest:.2f} s")
        failures += failed
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
