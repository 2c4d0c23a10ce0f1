"""A synthetic benchmark: made-up organisations whose scores follow two published surveys.

No real organisation is in it; every file it writes says ``synthetic: true`` and names its
sources, and every report that uses it says "synthetic". The method, step by step:

1. **Overall maturity from the Gartner poll's five bands.** The Gartner Peer Community poll on
   PMO maturity (74 answers) found not mature 4%, slightly 50%, moderately 28%, very 15% and
   fully 3%. The bands are placed on the 1-to-5 scale as not mature [1.0, 1.6), slightly
   [1.6, 2.6), moderately [2.6, 3.4), very [3.4, 4.2) and fully [4.2, 5.0]. Organisation ``i``
   of ``n`` (in the order of a latent score, step 2) gets the overall score ``Q((i + 0.5) / n)``
   of a piecewise-linear quantile function through these knots (share of organisations below,
   score):

   ====== ==== ==== ==== ==== ==== ==== ==== ==== ====
   share  0    0.04 0.25 0.54 0.68 0.82 0.94 0.97 1
   score  1.00 1.60 1.85 2.60 2.85 3.40 3.55 4.20 5.00
   ====== ==== ==== ==== ==== ==== ==== ==== ==== ====

   The knots at 0.04, 0.54, 0.82 and 0.97 are the poll's cumulative shares at the band edges,
   so the band shares are the poll's. The knots inside the bands (organisations cluster in the
   lower part of their band) are chosen so that the bottom, middle and top thirds by overall
   score average 1.73, 2.48 and 3.44, close to PM Solutions' Project Management Maturity & Value
   Benchmark 2014 (293 organisations: low performers 1.7, average 2.5, high performers 3.4).
   Exactly 1.7 and 3.4 cannot both be met with the poll's shares without piling organisations
   onto the band edges.
2. **Industry and size effects.** Each organisation draws an industry, a size band, a region
   and a year (2022 to 2026). Its latent score is an industry effect plus a size effect (each
   within ±0.2, :data:`INDUSTRY_EFFECTS` and :data:`SIZE_EFFECTS`) plus normal noise (sd 0.7);
   organisations are ranked by it before step 1, so larger and financial-services organisations
   tend to be more mature while the band shares stay exactly the poll's.
3. **Dimensions.** Each top-level dimension scores overall + a typical offset
   (:data:`DIMENSION_OFFSETS`: benefits (strategy), lessons learned and resources lower,
   governance and reporting higher) + normal noise (sd 0.35), shifted so that the dimensions
   average the overall score, then clipped to 1..5 (shift and clip repeated until they agree).
   About 2% of dimension cells are left blank (not assessed).
4. Scores are rounded to two decimals; overall is the mean of the rounded dimensions.

Every draw comes from one ``numpy.random.default_rng(seed)`` in a fixed order, so the same seed
and ``n`` reproduce the same file byte for byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.insight.benchmark_data import score_scale, write_benchmark
from pmo_assess.model.questionnaire import Questionnaire

SEED = 20261128
SOURCES = (
    "PM Solutions, Project Management Maturity & Value Benchmark 2014 (293 organisations; "
    "average maturity 1.7 low, 2.5 average, 3.4 high performers)",
    "Gartner Peer Community poll on PMO maturity (74 answers; not 4%, slightly 50%, "
    "moderately 28%, very 15%, fully 3% mature)",
)
QUANTILE_KNOTS = (  # (share of organisations below, overall score)
    (0.00, 1.00),
    (0.04, 1.60),
    (0.25, 1.85),
    (0.54, 2.60),
    (0.68, 2.85),
    (0.82, 3.40),
    (0.94, 3.55),
    (0.97, 4.20),
    (1.00, 5.00),
)
# the demo's vocabulary, so demo clients find peers (a test keeps the two in step)
INDUSTRY_EFFECTS = {  # industry: (effect on the latent score, share of organisations)
    "Financial services": (0.2, 0.16),
    "Telecoms": (0.1, 0.10),
    "Energy and utilities": (0.1, 0.12),
    "Healthcare": (0.0, 0.12),
    "Manufacturing": (0.0, 0.14),
    "Logistics": (-0.1, 0.10),
    "Retail": (-0.1, 0.12),
    "Public sector": (-0.2, 0.14),
}
SIZE_EFFECTS = {
    "Small (<500 staff)": (-0.2, 0.3),
    "Medium (500-5,000)": (0.0, 0.4),
    "Large (>5,000)": (0.2, 0.3),
}
REGIONS = ("DACH", "UK & Ireland", "Nordics", "North America", "Benelux")
YEARS = {2022: 0.12, 2023: 0.16, 2024: 0.20, 2025: 0.24, 2026: 0.28}
DIMENSION_OFFSETS = {
    "strategy": -0.20,  # strategic alignment and benefits realisation
    "governance": 0.30,
    "processes": 0.15,
    "tools": 0.10,
    "portfolio": -0.10,
    "resources": -0.30,
    "performance": -0.05,
    "reporting": 0.30,
    "risk": 0.05,
    "competence": 0.00,
    "lessons": -0.35,
    "sponsorship": 0.10,
}
LATENT_SD, DIMENSION_SD, BLANK_SHARE = 0.7, 0.35, 0.02


def synthesize(questionnaire: Questionnaire, n: int = 360, seed: int = SEED) -> pd.DataFrame:
    """Made-up benchmark rows for a questionnaire scored 1 to 5, by the method described above.

    >>> from pmo_assess.model.loading import load_questionnaire
    >>> rows = synthesize(load_questionnaire("pmo-maturity"), n=40, seed=1)
    >>> len(rows), rows["org_id"].iloc[0], bool(rows["overall"].between(1, 5).all())
    (40, 'ORG-0001', True)
    """
    if not isinstance(n, int) or n < 1:
        raise PmoAssessError(
            f"The 'n' parameter of synthesize must be an int of at least 1. Got {n!r} instead."
        )
    if score_scale(questionnaire) != (1.0, 5.0):
        low, high = score_scale(questionnaire)
        raise PmoAssessError(
            f"synthesize needs a questionnaire scored 1 to 5, the scale of the published figures; "
            f"'{questionnaire.id}' scores {low:g} to {high:g}."
        )
    rng = np.random.default_rng(seed)
    industry = _draw(rng, INDUSTRY_EFFECTS, n)
    size = _draw(rng, SIZE_EFFECTS, n)
    region = rng.choice(REGIONS, n)
    year = rng.choice(list(YEARS), n, p=list(YEARS.values()))
    latent = _effects(industry, INDUSTRY_EFFECTS) + _effects(size, SIZE_EFFECTS)
    latent += rng.normal(0, LATENT_SD, n)
    rank = np.argsort(np.argsort(latent, kind="stable"), kind="stable")
    knots = np.array(QUANTILE_KNOTS)
    overall = np.interp((rank + 0.5) / n, knots[:, 0], knots[:, 1])
    dimension_ids = [d.id for d in questionnaire.dimensions]
    dimensions = _dimensions(overall, dimension_ids, rng)
    frame = pd.DataFrame(
        {
            "org_id": [f"ORG-{i:0{max(4, len(str(n)))}d}" for i in range(1, n + 1)],
            "industry": industry,
            "size_band": size,
            "region": region,
            "year": year,
            "questionnaire_id": questionnaire.id,
            "questionnaire_version": questionnaire.version,
            "overall": np.round(np.nanmean(dimensions, axis=1), 2),
        }
    )
    return pd.concat([frame, pd.DataFrame(dimensions, columns=dimension_ids)], axis=1)


def _draw(rng: np.random.Generator, table: dict[str, tuple[float, float]], n: int) -> np.ndarray:
    shares = np.array([share for _, share in table.values()])
    return rng.choice(list(table), n, p=shares / shares.sum())


def _effects(values: np.ndarray, table: dict[str, tuple[float, float]]) -> np.ndarray:
    return pd.Series(values).map({k: effect for k, (effect, _) in table.items()}).to_numpy(float)


def _dimensions(
    overall: np.ndarray, dimension_ids: list[str], rng: np.random.Generator
) -> np.ndarray:
    """Per-dimension scores averaging ``overall`` (before rounding), on 1..5, some blank."""
    offsets = np.array([DIMENSION_OFFSETS.get(d, 0.0) for d in dimension_ids])
    scores = (
        overall[:, None]
        + (offsets - offsets.mean())
        + rng.normal(0, DIMENSION_SD, (len(overall), len(offsets)))
    )
    blank = rng.random(scores.shape) < BLANK_SHARE
    blank[blank.all(axis=1), 0] = False  # every organisation keeps at least one dimension
    scores[blank] = np.nan
    for _ in range(20):  # shifting can push scores past 1 or 5; clip and shift again
        scores = np.clip(scores + (overall - np.nanmean(scores, axis=1))[:, None], 1.0, 5.0)
    return np.round(scores, 2)


def synthetic_meta(questionnaire: Questionnaire, n: int = 360, seed: int = SEED) -> dict[str, Any]:
    """The header of a synthetic benchmark file, naming both sources and how to regenerate it."""
    generator = f"scripts/make_synthetic_benchmark.py --seed {seed}"
    return {
        "schema_version": 1,
        "id": f"{questionnaire.id}-synthetic",
        "version": "2026.1",
        "title": "Synthetic PMO maturity benchmark",
        "synthetic": True,
        "questionnaire": questionnaire.id,
        "sources": SOURCES,
        "generator": generator if n == 360 else f"{generator} --n {n}",
    }


def write_synthetic_benchmark(
    questionnaire: Questionnaire, path: str | Path, n: int = 360, seed: int = SEED
) -> Path:
    """Synthesize ``n`` organisations and write them, with their header, to ``path``."""
    return write_benchmark(
        synthesize(questionnaire, n, seed), synthetic_meta(questionnaire, n, seed), path
    )
