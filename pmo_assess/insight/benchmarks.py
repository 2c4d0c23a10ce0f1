"""Compare one client with its peers in a benchmark, and build a benchmark from the firm's own work.

The peer group is the first of these with at least ``min_peers`` organisations (never fewer
than 5): the same industry and size band, else the same industry, else everyone; the result
records each group tried and why it was not used (:mod:`pmo_assess.insight.peer_groups`). Only
rows of the client's questionnaire count, and rows of another questionnaire version only when
they scored exactly the client's dimensions. The result names no peer. The file format is
described in :mod:`pmo_assess.insight.benchmark_data`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.paths import questionnaires_dir
from pmo_assess.insight.anonymity import k_anonymise
from pmo_assess.insight.benchmark_data import (
    BASE_COLUMNS,
    Benchmark,
    load_benchmark,
    write_benchmark,
)
from pmo_assess.insight.peer_groups import (
    ConsideredGroup,
    choose_peer_group,
    given_name,
    spellings,
)
from pmo_assess.model.answer_status import ANSWERED
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.scoring.assessment import AssessmentResult
from pmo_assess.scoring.engine import ROOT, score_assessments
from pmo_assess.store.records import Client, Engagement, Wave
from pmo_assess.store.repository import Store

__all__ = [
    "Benchmark",
    "Comparison",
    "ConsideredGroup",
    "PeerPosition",
    "build_benchmark",
    "client_profile",
    "compare",
    "default_benchmark_path",
    "firm_meta",
    "load_benchmark",
    "write_benchmark",
    "write_firm_benchmark",
]

MIN_PEERS = 5
CLIENT_KEYS = (
    "industry",
    "size_band",
    "scores",
    "questionnaire_id",
    "questionnaire_version",
    "dimension_ids",
)


@dataclass(frozen=True)
class PeerPosition:
    """Where the client stands among the peers that scored one dimension (or overall)."""

    score: float | None  # the client's; None when it did not score this dimension
    percentile: float | None  # 0..100, ties counted half: (below + equal / 2) / n * 100
    q1: float
    median: float
    q3: float
    n: int  # peers with a score here


@dataclass(frozen=True)
class Comparison:
    """The client against its peer group; ``available`` is False when the group is too small,
    and then nothing of it may be shown. ``considered`` holds the groups tried, closest first,
    the used one last; ``industries`` and ``size_bands`` are the benchmark's own names."""

    available: bool
    group: str | None  # "industry-and-size", "industry", "all", or None
    label: str | None  # "Financial services, Large (>5,000)", the benchmark's spelling
    n: int  # peers in the group; without one, all comparable organisations
    min_peers: int
    benchmark: dict[str, Any]  # id, title, version, synthetic, sources
    overall: PeerPosition | None = None
    dimensions: dict[str, PeerPosition | None] = field(default_factory=dict)
    considered: tuple[ConsideredGroup, ...] = ()
    industries: tuple[str, ...] = ()
    size_bands: tuple[str, ...] = ()
    client_industry: str | None = None  # as the client has it, whitespace-normalised
    client_size_band: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (lists, never tuples)."""
        data = asdict(self)
        data["benchmark"] = {**self.benchmark, "sources": list(self.benchmark["sources"])}
        for key in ("considered", "industries", "size_bands"):
            data[key] = list(data[key])
        return data


def default_benchmark_path(questionnaire: Questionnaire) -> Path | None:
    """The benchmark beside the questionnaire's file (``x.yaml`` has ``x.benchmark.csv``), else
    the built-in one of that id; None when there is neither.

    >>> from pmo_assess.model.loading import load_questionnaire
    >>> default_benchmark_path(load_questionnaire("pmo-maturity")).name
    'pmo_maturity.benchmark.csv'
    """
    name = f"{questionnaire.id.replace('-', '_')}.benchmark.csv"
    beside = (
        [Path(questionnaire.source).with_suffix(".benchmark.csv")] if questionnaire.source else []
    )
    return next((p for p in [*beside, questionnaires_dir() / name] if p.is_file()), None)


def compare(
    benchmark: Benchmark,
    client: Mapping[str, Any],
    *,
    min_peers: int = MIN_PEERS,
    exclude_org_ids: Collection[str] = (),
) -> Comparison:
    """Compare a client's scores with its peers in the benchmark.

    ``client`` holds ``industry``, ``size_band``, ``scores`` (dimension id or ``"overall"`` to
    score or None), ``questionnaire_id``, ``questionnaire_version`` and ``dimension_ids`` (see
    :func:`client_profile`). ``exclude_org_ids`` leaves out rows of the client's own organisation.

    The industry and size band match the benchmark's names ignoring case and extra spaces, and a
    size band also by its short name (``Large`` finds ``Large (>5,000)``). ``considered`` lists
    the groups tried, closest first, each with its label, size ``n``, whether it was ``used``
    and, when not, a ``reason``: ``below_minimum`` (fewer than ``min_peers`` organisations),
    ``no_industry_given`` or ``no_size_band_given`` (the client has none recorded),
    ``no_such_industry`` or ``no_such_size_band`` (the client's matches none of the benchmark's
    ``industries`` or ``size_bands``).

    >>> from pmo_assess.model.loading import load_questionnaire
    >>> benchmark = load_benchmark(default_benchmark_path(load_questionnaire("pmo-maturity")))
    >>> client = {"industry": "Retail", "size_band": "Small (<500 staff)",
    ...           "scores": {"overall": 2.5, "governance": 3.0},
    ...           "questionnaire_id": "pmo-maturity", "questionnaire_version": "1.0.0",
    ...           "dimension_ids": list(benchmark.dimension_ids)}
    >>> result = compare(benchmark, client)
    >>> result.group, result.available, 0 <= result.overall.percentile <= 100
    ('industry-and-size', True, True)
    >>> large = compare(benchmark, client | {"industry": "telecoms", "size_band": "Large"})
    >>> [(c.label, c.n, c.reason) for c in large.considered]
    [('Telecoms, Large (>5,000)', 8, None)]
    """
    if isinstance(min_peers, bool) or not isinstance(min_peers, int) or min_peers < MIN_PEERS:
        raise PmoAssessError(
            f"The 'min_peers' parameter of compare must be an int of at least {MIN_PEERS}, so "
            f"that no peer can be singled out. Got {min_peers!r} instead."
        )
    missing = [k for k in CLIENT_KEYS if k not in client]
    if missing:
        raise PmoAssessError(
            f"The client given to compare lacks {', '.join(missing)}; it needs "
            f"{', '.join(CLIENT_KEYS)} (client_profile builds them from a result)."
        )
    rows = _comparable(benchmark, client, exclude_org_ids)
    about = {
        "id": benchmark.meta["id"],
        "title": benchmark.meta["title"],
        "version": benchmark.meta["version"],
        "synthetic": benchmark.synthetic,
        "sources": benchmark.sources,
    }
    names = {c: spellings(benchmark.rows[c]) for c in ("industry", "size_band")}
    considered, peers = choose_peer_group(
        rows, names, client["industry"], client["size_band"], min_peers
    )
    unavailable = Comparison(
        False,
        None,
        None,
        len(rows),
        min_peers,
        about,
        considered=considered,
        industries=tuple(sorted(names["industry"].values())),
        size_bands=tuple(sorted(names["size_band"].values())),
        client_industry=given_name(client["industry"]),
        client_size_band=given_name(client["size_band"]),
    )
    if peers is None:
        return unavailable
    scores = client["scores"]
    positions = {
        d: _position(peers, d, scores.get(d), min_peers)
        for d in ("overall", *client["dimension_ids"])
    }
    overall = positions.pop("overall")
    used = considered[-1]
    return replace(
        unavailable,
        available=True,
        group=used.group,
        label=used.label,
        n=len(peers),
        overall=overall,
        dimensions=positions,
    )


def _comparable(
    benchmark: Benchmark, client: Mapping[str, Any], exclude: Collection[str]
) -> pd.DataFrame:
    """Rows of the client's questionnaire whose dimensions match the client's version."""
    rows = benchmark.rows
    columns = [c for c in rows.columns if c not in BASE_COLUMNS]
    wanted = set(client["dimension_ids"])
    same_dimensions = np.zeros(len(rows), dtype=bool)
    if wanted <= set(columns):
        pattern = np.array([c in wanted for c in columns])
        same_dimensions = (rows[columns].notna().to_numpy() == pattern).all(axis=1)
    same_version = (rows["questionnaire_version"] == client["questionnaire_version"]).to_numpy()
    keep = (
        (rows["questionnaire_id"] == client["questionnaire_id"]).to_numpy()
        & ~rows["org_id"].isin(list(exclude)).to_numpy()
        & (same_version | same_dimensions)
    )
    return rows[keep]


def _position(
    peers: pd.DataFrame, dimension: str, score: float | None, min_peers: int
) -> PeerPosition | None:
    if dimension not in peers.columns:
        return None
    values = peers[dimension].to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    if len(values) < min_peers:
        return None
    q1, median, q3 = (float(v) for v in np.percentile(values, [25, 50, 75]))
    if score is None or math.isnan(score):
        return PeerPosition(None, None, q1, median, q3, len(values))
    below = np.count_nonzero(values < score - 1e-9)
    equal = np.count_nonzero(np.abs(values - score) <= 1e-9)
    percentile = float((below + 0.5 * equal) / len(values) * 100)
    return PeerPosition(float(score), percentile, q1, median, q3, len(values))


def client_profile(result: AssessmentResult, client: Client) -> dict[str, Any]:
    """What :func:`compare` needs of a client, from its scored assessment and store record."""
    scores = {d.id: d.score for d in result.dimensions} | {ROOT: result.overall.score}
    return {
        "industry": client.industry,
        "size_band": client.size_band,
        "scores": scores,
        "questionnaire_id": result.questionnaire_id,
        "questionnaire_version": result.questionnaire_version,
        "dimension_ids": [d.id for d in result.dimensions],
    }


def build_benchmark(
    store: Store, questionnaire_id: str = "pmo-maturity", rng: np.random.Generator | None = None
) -> pd.DataFrame:
    """The firm's own benchmark: one row per client, scored from its latest assessed wave.

    Rows are numbered ``FIRM-001``, ... in a random order (``rng``, fresh entropy by default),
    never from a client's name or slug; no name, slug or wave label is in the result. The
    client's latest engagement with the questionnaire counts, and in it the latest wave (by
    date, then creation) holding answers; ``year`` is the wave's, else that of its last answer.
    """
    questionnaire = load_questionnaire(
        questionnaire_id, search=[store.workspace / "questionnaires"]
    )
    dimension_ids = [d.id for d in questionnaire.dimensions]
    answers = store.load_answers(questionnaire_id=questionnaire_id)
    picked = _latest_assessments(store, questionnaire_id, answers)
    keys = pd.DataFrame([(c.slug, w.label) for c, _, w in picked], columns=["client", "wave"])
    chosen = answers.merge(keys, on=["client", "wave"])
    if chosen.empty:
        return pd.DataFrame(columns=[*BASE_COLUMNS, *dimension_ids])
    scores = score_assessments(questionnaire, chosen).nodes.set_index(["client", "wave"])
    scores = scores.pivot(columns="dimension", values="score")
    last = pd.to_datetime(chosen["recorded_at"]).groupby([chosen["client"], chosen["wave"]]).max()
    frame = pd.DataFrame(
        {
            "industry": client.industry or "",
            "size_band": client.size_band or "",
            "region": client.region or "",
            "year": wave.held_on.year if wave.held_on else last[client.slug, wave.label].year,
            "questionnaire_id": questionnaire_id,
            "questionnaire_version": engagement.questionnaire_version,
            **scores.loc[(client.slug, wave.label), [ROOT, *dimension_ids]].to_dict(),
        }
        for client, engagement, wave in picked
    ).dropna(subset=[ROOT])
    frame = frame.sample(frac=1, random_state=rng or np.random.default_rng()).reset_index(drop=True)
    width = max(3, len(str(len(frame))))
    frame.insert(0, "org_id", [f"FIRM-{i:0{width}d}" for i in range(1, len(frame) + 1)])
    return frame[[*BASE_COLUMNS, *dimension_ids]]


def _latest_assessments(
    store: Store, questionnaire_id: str, answers: pd.DataFrame
) -> list[tuple[Client, Engagement, Wave]]:
    """Each client's latest engagement with the questionnaire, and its latest wave with answers."""
    answered = answers[answers["status"] == ANSWERED]
    assessed = set(zip(answered["client"], answered["wave"], strict=True))
    picked = []
    for client in store.clients():
        engagement = store.find_engagement(client.slug, questionnaire_id)
        waves = store.waves(engagement.id) if engagement else []
        with_answers = [w for w in waves if (client.slug, w.label) in assessed]
        if engagement and with_answers:
            picked.append((client, engagement, with_answers[-1]))
    return picked


def firm_meta(questionnaire_id: str, built_on: date | None = None) -> dict[str, Any]:
    """The header of a benchmark built from the firm's own assessments (not synthetic)."""
    built_on = built_on or date.today()
    return {
        "schema_version": 1,
        "id": f"{questionnaire_id}-firm",
        "version": built_on.isoformat(),
        "title": "Benchmark from the firm's own assessments",
        "synthetic": False,
        "questionnaire": questionnaire_id,
        "sources": f"The firm's own assessments, latest wave of each client, built {built_on.isoformat()}",
    }


def write_firm_benchmark(
    store: Store, path: str | Path, questionnaire_id: str = "pmo-maturity"
) -> pd.DataFrame:
    """Build the firm's benchmark and write it to ``path`` (what ``benchmark build`` runs).

    Industry, size band and region are coarsened until every combination of them is shared by
    at least five organisations (:mod:`pmo_assess.insight.anonymity`); the header's
    ``coarsened`` line says what was changed.
    """
    frame = build_benchmark(store, questionnaire_id)
    if frame.empty:
        raise PmoAssessError(
            f"No client in the store at {store.workspace} has answers to '{questionnaire_id}' "
            "yet; import some answers first (pmo-assess import ...)."
        )
    coarsened = k_anonymise(frame, MIN_PEERS)
    meta = firm_meta(questionnaire_id) | {
        "k_anonymity": MIN_PEERS,
        "coarsened": coarsened.describe(MIN_PEERS),
    }
    write_benchmark(coarsened.frame, meta, path)
    return coarsened.frame
