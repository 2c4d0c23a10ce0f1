"""A fictional sample programme in the engagement store, for demos, notebooks and report tests.

Twelve clients by default and up to twenty, every name ending in "(fictional)", each with a
PMO-maturity engagement, one or two waves, three to eight respondents and their answers. Answers
are drawn from a per-client "true" maturity profile, shifted by the respondent's role (executives
rate higher, project managers lower) and by noise, with some N/A, some Don't know, a planted
disagreement and a few notes. Client ``i`` draws from its own generator seeded with ``[seed, i]``:
the same seed gives the same answers, and a programme of three clients is the first three of the
full one (the default twelve are the first twelve of the twenty).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import slugify
from pmo_assess.model.answer_status import ANSWERED, DONT_KNOW, NOT_APPLICABLE
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import PMO_FUNCTIONS, Questionnaire
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import Store

# name (" (fictional)" is appended) | industry | size | region | true level | PMO type | kind | wave 2
_CLIENT_TABLE = """
Quellbach Präzision        | Manufacturing        | medium | DACH          | 2.7 | controlling | optimize  | better
Larkspur Mutual Assurance  | Financial services   | large  | UK & Ireland  | 3.6 | directive   | optimize  | better
Hollowmere County Council  | Public sector        | medium | UK & Ireland  | 1.8 | supportive  | establish | better
Glimmerfen Grid Services   | Energy and utilities | large  | Nordics       | 2.9 | controlling | optimize  | slips
Kestrel Bay Logistics      | Logistics            | medium | North America | 2.5 | supportive  | optimize  | better
St Aldric Health Partners  | Healthcare           | medium | UK & Ireland  | 2.3 | supportive  | optimize  | -
Tessarine Telecom          | Telecoms             | large  | Benelux       | 3.1 | controlling | optimize  | -
Marrowfield Grocers        | Retail               | small  | UK & Ireland  | 2.0 | supportive  | establish | -
Zephyrine Pharma Labs      | Healthcare           | large  | DACH          | 3.3 | directive   | optimize  | -
Obsidian Ferry Lines       | Logistics            | small  | Nordics       | 2.2 | supportive  | optimize  | -
Thistledown Savings        | Financial services   | small  | UK & Ireland  | 2.6 | controlling | optimize  | -
Ravensgate Water Authority | Energy and utilities | medium | North America | 2.8 | controlling | optimize  | -
Brindlewick Textiles       | Manufacturing        | small  | Benelux       | 2.1 | supportive  | establish | -
Fernhallow Rail Freight    | Logistics            | large  | DACH          | 2.6 | controlling | optimize  | better
Auldmoor Provident Bank    | Financial services   | medium | Nordics       | 3.4 | directive   | optimize  | -
Wyrmcliff District Council | Public sector        | large  | UK & Ireland  | 2.1 | controlling | optimize  | -
Mirelight Family Clinics   | Healthcare           | small  | North America | 2.4 | supportive  | establish | -
Cobaltreach Mobile         | Telecoms             | medium | North America | 2.9 | controlling | optimize  | -
Pennyroyal Home Stores     | Retail               | large  | DACH          | 2.7 | controlling | optimize  | slips
Emberholm Wind Energy      | Energy and utilities | small  | Nordics       | 2.5 | supportive  | optimize  | -
"""
SIZE_BANDS = {
    "small": "Small (<500 staff)",
    "medium": "Medium (500-5,000)",
    "large": "Large (>5,000)",
}
BASELINE, CURRENT = ("2025-Q4", date(2025, 11, 3)), ("2026-Q3", date(2026, 8, 3))
# role: (how far above the client's true level it rates on average, share of extra respondents)
ROLES = {
    "executive": (0.5, 0.1),
    "pmo": (0.2, 0.1),
    "finance": (0.0, 0.15),
    "team-member": (-0.1, 0.25),
    "project-manager": (-0.3, 0.4),
}
OBJECTIVES = (
    "Cut late projects by half",
    "One view of the portfolio for the board",
    "Fund only projects tied to strategy",
    "Free up scarce engineers",
    "Track benefits after go-live",
    "Pass the regulator's delivery review",
    "Shorten approval from idea to start",
    "Stop repeating the same mistakes",
)
NOTES = (
    "Gate reviews happen, but decisions are not minuted.",
    "Templates exist on SharePoint; few people use them.",
    "Resource plans live in each manager's own spreadsheet.",
    "Risks are logged at kick-off and rarely revisited.",
    "The sponsor changed twice this year.",
    "The monthly dashboard is produced, not read.",
    "Lessons are captured, then filed and forgotten.",
    "Good training for new PMs, nothing after that.",
    "Benefits are tracked for the big programmes only.",
)
CONFIDENCE = {"interview": "interview", "survey": "self-reported"}  # by respondent source
DISAGREEING_NOTE = "Not what I see on my projects."
OUT_OF_SCOPE_NOTE = "Out of scope: no programme tier in this organisation."
# material for report tests: text that must be HTML-escaped, and non-Latin scripts
AWKWARD_NOTES = (
    'Board pack says "green" but <script>alert(1)</script> & the risk log disagree.',
    "Überprüfung – 进度 is reviewed with the Zürich office; 'on track' is a matter of opinion.",
)


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo_workspace` wrote: client slugs, their wave labels, and counts."""

    clients: tuple[str, ...]
    waves: dict[str, tuple[str, ...]]
    respondents: int
    answers: int


@dataclass(frozen=True)
class _Client:
    name: str
    industry: str
    size_band: str
    region: str
    level: float
    pmo_type: str
    kind: str
    second_wave: str  # "-" (one wave only), "better", or "slips" (one dimension gets worse)

    @property
    def slug(self) -> str:
        return slugify(self.name.removesuffix(" (fictional)"))


def _demo_clients() -> list[_Client]:
    rows = [[c.strip() for c in line.split("|")] for line in _CLIENT_TABLE.strip().splitlines()]
    return [
        _Client(f"{name} (fictional)", industry, SIZE_BANDS[size], region, float(level), *rest)
        for name, industry, size, region, level, *rest in rows
    ]


def build_demo_workspace(store: Store, clients: int = 12, seed: int = 2026) -> DemoSummary:
    """Fill an empty store with a fictional programme of clients, engagements, waves and answers.

    Parameters
    ----------
    store
        The store to fill; it must not hold any of the demo clients yet.
    clients
        How many of the twenty fictional clients to build (1 to 20); the default twelve
        are the first twelve, so a smaller or larger programme keeps their answers.
    seed
        Seeds the random answers: the same seed gives the same answers.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp, Store.open(workspace=tmp) as store:
    ...     summary = build_demo_workspace(store, clients=2)
    >>> summary.clients
    ('quellbach-prazision', 'larkspur-mutual-assurance')
    >>> summary.waves["larkspur-mutual-assurance"]
    ('2025-Q4', '2026-Q3')
    """
    table = _demo_clients()
    if not isinstance(clients, int) or not 1 <= clients <= len(table):
        raise PmoAssessError(
            f"The 'clients' parameter of build_demo_workspace must be an int in the range "
            f"[1, {len(table)}]. Got {clients!r} instead."
        )
    chosen = table[:clients]
    _check_new(store, chosen)
    questionnaire = load_questionnaire("pmo-maturity")
    waves, respondents, answers = {}, 0, 0
    for index, client in enumerate(chosen):
        rng = np.random.default_rng([seed, index])
        labels, added = _build_client(store, questionnaire, client, index, rng)
        waves[client.slug] = labels
        respondents += added[0]
        answers += added[1]
    return DemoSummary(tuple(c.slug for c in chosen), waves, respondents, answers)


def _check_new(store: Store, chosen: list[_Client]) -> None:
    present = sorted({c.slug for c in chosen} & {c.slug for c in store.clients()})
    if present:
        raise PmoAssessError(
            f"The store at {store.workspace} already holds demo clients ({', '.join(present)}); "
            "build the demo into an empty workspace, e.g. Store.open(workspace='demo')."
        )


def _build_client(
    store: Store,
    questionnaire: Questionnaire,
    client: _Client,
    index: int,
    rng: np.random.Generator,
) -> tuple[tuple[str, ...], tuple[int, int]]:
    """One client with its engagement and waves; returns wave labels and (respondents, answers)."""
    store.add_client(client.name, client.slug, client.industry, client.size_band, client.region)
    picked = rng.choice(list(PMO_FUNCTIONS), int(rng.integers(3, 6)), replace=False)
    functions = [f for f in PMO_FUNCTIONS if f in picked]
    objectives = [str(o) for o in rng.choice(OBJECTIVES, int(rng.integers(2, 4)), replace=False)]
    engagement = store.start_engagement(
        client.slug, questionnaire, client.kind, functions, client.pmo_type, objectives
    )
    n_dims = len(questionnaire.dimensions)
    levels = np.clip(client.level + rng.normal(0, 0.45, n_dims), 1.5, 4.0)
    targeted = rng.choice(n_dims, 3, replace=False)
    for i, dimension in enumerate(questionnaire.dimensions):
        target = min(4.0, max(3.0, round(2 * (levels[i] + 0.7)) / 2)) if i in targeted else None
        importance = 3 if i in targeted else int(rng.integers(1, 3))
        store.set_dimension(engagement.id, dimension.id, target, importance)
    holder = [i for i, d in enumerate(questionnaire.dimensions) for _ in d.all_questions()]
    true = levels[holder] + rng.normal(0, 0.25, len(holder))
    out_of_scope = int(rng.integers(len(holder)))
    waves = [CURRENT] if client.second_wave == "-" else [BASELINE, CURRENT]
    counts = np.zeros(2, dtype=int)
    for number, (label, held_on) in enumerate(waves):
        if number:
            true = true + _change(client, levels, targeted, rng)[holder]
        people, frame = _wave_answers(questionnaire, true, out_of_scope, index == 0, rng)
        done = store.import_answers(
            engagement.id,
            label,
            people,
            frame,
            by="pmo-assess demo",
            held_on=held_on + timedelta(days=2 * index),
        )
        counts += (done.respondents_added, done.answers_added)
    return tuple(label for label, _ in waves), (int(counts[0]), int(counts[1]))


def _change(
    client: _Client, levels: np.ndarray, targeted: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Per-dimension change from the baseline: the targeted dimensions improve, the rest drift."""
    shift = rng.normal(0.05, 0.1, len(levels))
    shift[targeted] = rng.uniform(0.5, 0.9, len(targeted))
    if client.second_wave == "slips":
        shift[rng.choice(np.setdiff1d(np.arange(len(levels)), targeted))] = -0.8
    return shift


def _wave_answers(
    questionnaire: Questionnaire,
    true: np.ndarray,
    out_of_scope: int,
    awkward: bool,
    rng: np.random.Generator,
) -> tuple[list[NewRespondent], pd.DataFrame]:
    """The respondents of one wave and their answers as the table ``Store.import_answers`` takes."""
    roles = _roles(rng)
    n_r, n_q = len(roles), len(true)
    bias = np.array([ROLES[r][0] for r in roles]) + rng.normal(0, 0.15, n_r)
    values = np.clip(np.rint(true + bias[:, None] + rng.normal(0, 0.35, (n_r, n_q))), 1, 5)
    draw = rng.random((n_r, n_q))
    status = np.where(draw < 0.05, DONT_KNOW, np.where(draw > 0.985, NOT_APPLICABLE, ANSWERED))
    status[:, out_of_scope] = NOT_APPLICABLE
    notes = np.full((n_r, n_q), "", dtype=object)
    notes[0, out_of_scope] = OUT_OF_SCOPE_NOTE
    _plant_disagreement(roles, true, values, status, notes, out_of_scope, rng)
    answered = np.argwhere((status == ANSWERED) & (notes == ""))
    extra = [str(n) for n in rng.choice(NOTES, int(rng.integers(2, 5)), replace=False)]
    extra += list(AWKWARD_NOTES) if awkward else []
    for (r, q), note in zip(rng.permutation(answered)[: len(extra)], extra, strict=True):
        notes[r, q] = note
    sources = [
        "interview" if role in ("executive", "pmo") or rng.random() < 0.3 else "survey"
        for role in roles
    ]
    codes = [f"R{i:02d}" for i in range(1, n_r + 1)]
    people = [NewRespondent(r, c, source=s) for c, r, s in zip(codes, roles, sources, strict=True)]
    frame = pd.DataFrame(
        {
            "respondent": np.repeat(codes, n_q),
            "question_id": np.tile([q.id for q in questionnaire.questions()], n_r),
            "value": np.where(status == ANSWERED, values, np.nan).ravel(),
            "status": status.ravel(),
            "note": notes.ravel(),
            "confidence": np.repeat([CONFIDENCE[s] for s in sources], n_q),
        }
    )
    frame["option_label"] = _option_labels(questionnaire, frame)
    return people, frame


def _roles(rng: np.random.Generator) -> list[str]:
    """Three to eight roles, always an executive, a PMO lead and a project manager, shuffled."""
    shares = [share for _, share in ROLES.values()]
    extra = rng.choice(list(ROLES), int(rng.integers(0, 6)), p=shares)
    return [str(r) for r in rng.permutation(["executive", "pmo", "project-manager", *extra])]


def _plant_disagreement(
    roles: list[str],
    true: np.ndarray,
    values: np.ndarray,
    status: np.ndarray,
    notes: np.ndarray,
    out_of_scope: int,
    rng: np.random.Generator,
) -> None:
    """An executive and a project manager two or more points apart on one question."""
    q = int(rng.choice([i for i in range(len(true)) if i != out_of_scope]))
    high = min(5, max(3, round(true[q]) + 1))
    executive, manager = roles.index("executive"), roles.index("project-manager")
    values[executive, q], values[manager, q] = high, high - 2
    status[[executive, manager], q] = ANSWERED
    notes[manager, q] = DISAGREEING_NOTE


def _option_labels(questionnaire: Questionnaire, frame: pd.DataFrame) -> list[str]:
    """The chosen option's label (all questions of the demo share one scale)."""
    first = next(questionnaire.questions())
    options = questionnaire.answer_sets[first.answer_set].options
    by_value = {o.value: o.label for o in options if o.value is not None}
    na = next(o.label for o in options if o.not_applicable)
    dont_know = next(o.label for o in options if o.dont_know)
    other = {NOT_APPLICABLE: na, DONT_KNOW: dont_know}
    return [
        by_value[v] if s == ANSWERED else other[s]
        for v, s in zip(frame["value"], frame["status"], strict=True)
    ]


# How many fictional clients the demo can build (the CLI offers 1 to this many).
DEMO_CLIENTS = len(_CLIENT_TABLE.strip().splitlines())
