"""Write the synthetic PMO maturity benchmark shipped as questionnaires/pmo_maturity.benchmark.csv.

The method is described in ``pmo_assess/insight/benchmark_synthetic.py``. The same seed and ``--n``
reproduce the file byte for byte:

    .venv/bin/python scripts/make_synthetic_benchmark.py --seed 20261128
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.insight.benchmark_synthetic import SEED, write_synthetic_benchmark
from pmo_assess.model.loading import load_questionnaire

DEFAULT_OUT = (
    Path(__file__).resolve().parent.parent / "questionnaires" / "pmo_maturity.benchmark.csv"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--n", type=int, default=360, help="organisations (default 360)")
    parser.add_argument("--questionnaire", default="pmo-maturity", metavar="ID_OR_PATH")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: %(default)s")
    args = parser.parse_args(argv)
    try:
        questionnaire = load_questionnaire(args.questionnaire)
        path = write_synthetic_benchmark(questionnaire, args.out, n=args.n, seed=args.seed)
    except PmoAssessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.n} synthetic organisations to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
