"""Engagements of every shape for property-based tests: Hypothesis strategies and a builder.

:func:`cases` draws a questionnaire (a random one written as YAML, or the built-in
``pmo-maturity`` with its recommendations library and benchmark) and an engagement plan for it:
client, targets, waves, respondents with roles, and how they answer. :func:`build_engagement`
puts a case in a fresh workspace through the store's public methods, as the demo builder does.

Structure (scale, tree, waves, people, patterns) is drawn by Hypothesis, so it shrinks; the
individual answers of a wave come from a seeded generator, so a big wave costs one draw.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from hypothesis import strategies as st

from pmo_assess.core.paths import questionnaires_dir
from pmo_assess.model.answer_status import ANSWERED, DONT_KNOW, NOT_APPLICABLE
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import PMO_FUNCTIONS
from pmo_assess.store.records import NewRespondent
from pmo_assess.store.repository import Store

BUILTIN = "pmo-maturity"
ROLES = ("executive", "pmo", "project-manager", "team-member", "finance", "")  # "": no role
PATTERNS = ("mixed", "values", "sparse", "agree", "split", "dont-know-only")
WAVE_LABELS = ("Baseline", "2025-Q4", "2026-Q3", "Re-assessment", "Wave B", "Spring review")
# Pairs the built-in benchmark holds, a short band it matches by name, and ones it does not know.
PEER_GROUPS = (
    ("Retail", "Small (<500 staff)"),
    ("Financial services", "Medium (500-5,000)"),
    ("Telecoms", "Large"),
    ("logistics", "Small (<500 staff)"),
    ("Space mining", "Tiny"),
    (None, None),
    ("Healthcare", None),
)
CLIENTS = (
    "Acme Widgets",
    "Globex Services",
    "Quellbach Präzision (fictional)",
    "Zürich & Söhne <AG>",
)
NOTES = ('Board pack says "green" but <script>alert(1)</script> disagrees.', "Überprüfung – 进度")
# Padding for very long titles; the second one holds braces, as a client-written title may.
LONG_TAILS = (
    " – Präzision & Co. <b>managed</b> “end to end” across every portfolio, programme and team",
    " – Präzision & Co. <b>{client}</b> and %(name)s across every portfolio, programme and team",
)
WORDS = ("Governance", "Reporting", "Portfolio", "Resourcing", "Risk", "Benefits", "Lessons")
SUBJECTS = ("PMO", "software security programme", "delivery practice", "Präzision & Co. <b>")
BENEFITS = ("higher project success rates", "lower costs", "Faster decisions", "PMO visibility")


@dataclass(frozen=True)
class Scale:
    """An answer scale: its scored values and labels, the levels and targets that fit it, and
    whether leaves sum three answers (SAMM: answers 0 to 1, scores 0 to 3)."""

    name: str
    values: tuple[float, ...]
    labels: tuple[str, ...]
    levels: tuple[tuple[float, str], ...]
    targets: tuple[float, ...]
    summed: bool = False


SCALES = (
    Scale("unit", (0, 0.25, 0.5, 1), ("No", "Some teams", "Half the teams", "All teams"),
          ((0, "Absent"), (0.25, "Emerging"), (0.5, "Practised"), (0.75, "Embedded")),
          (0, 0.5, 0.75, 0.625, 1)),
    Scale("samm", (0, 0.25, 0.5, 1), ("No", "Yes, in some teams", "Yes, in half", "Yes, in all"),
          ((0, "None"), (1, "Level 1"), (2, "Level 2"), (3, "Level 3")),
          (0, 1, 1.5, 2, 2.25, 3), summed=True),
    Scale("zero-three", (0, 1, 2, 3), ("No", "Partly", "Largely", "Fully"),
          ((0, "Absent"), (1, "Basic"), (2, "Established"), (3, "Leading")),
          (0, 1.5, 2, 2.25, 3)),
    Scale("one-four", (1, 2, 3, 4), ("Ad hoc", "Defined", "Managed", "Optimised"),
          ((1, "Ad hoc"), (2, "Defined"), (3, "Managed"), (4, "Optimised")),
          (1, 2.5, 3, 3.25, 4)),
    Scale("one-five", (1, 2, 3, 4, 5), ("Initial", "Repeatable", "Defined", "Managed", "Optimizing"),
          ((1, "Initial"), (2, "Repeatable"), (3, "Defined"), (4, "Managed"), (5, "Optimizing")),
          (1, 2.5, 3, 3.25, 3.5, 4, 5)),
    Scale("hundred", (0, 25, 50, 75, 100), ("Absent", "Started", "Halfway", "Mostly", "Complete"),
          ((0, "Absent"), (20, "Initial"), (40, "Developing"), (60, "Established"), (80, "Leading")),
          (0, 50, 62.5, 75, 100)),
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    code: str
    role: str
    source: str


@dataclass(frozen=True)
class WavePlan:
    """One wave: who answers, how (a pattern of :data:`PATTERNS`), a top dimension everyone
    marks N/A (or None), and the seed of the individual answers."""

    label: str
    held_on: date | None
    people: tuple[Person, ...]
    pattern: str
    all_na: str | None
    seed: int


@dataclass(frozen=True)
class Plan:
    """The engagement: client, scope, engagement targets and importance, and the waves."""

    client: str
    industry: str | None
    size_band: str | None
    kind: str
    pmo_type: str | None
    functions: tuple[str, ...]
    objectives: tuple[str, ...]
    targets: dict[str, float | None]
    importance: dict[str, int]
    waves: tuple[WavePlan, ...]
    one_by_one: bool


@dataclass(frozen=True)
class Case:
    """A questionnaire (as its YAML data) and an engagement with it; ``repr`` is its shape."""

    questionnaire: dict[str, Any] = field(repr=False)
    plan: Plan = field(repr=False)
    scale: str = "builtin"

    def __repr__(self) -> str:
        q, p = self.questionnaire, self.plan
        tops = ", ".join(
            f"{d['id']}({_depth(d)}/{len(list(_questions(d)))}q)" for d in q["dimensions"]
        )
        sets = next(iter(q["answer_sets"].values()))
        specials = [k for k in ("not_applicable", "dont_know") if any(k in o for o in sets)]
        waves = "; ".join(
            f"{w.label}: {len(w.people)} people {[x.role or '-' for x in w.people]} "
            f"codes {[x.code for x in w.people]} {w.pattern}"
            + (f" all-N/A {w.all_na}" if w.all_na else "")
            + f" seed {w.seed}"
            for w in p.waves
        )
        return (
            f"Case(questionnaire {q['id']} scale {self.scale} [{tops}] specials {specials} "
            f"default_target {q.get('default_target')} subject {q.get('subject')!r} "
            f"precision {q.get('precision')} | client {p.client!r} {p.industry}/{p.size_band} "
            f"{p.kind} targets {p.targets} | {waves})"
        )


def _depth(node: dict[str, Any]) -> int:
    return 1 + max((_depth(c) for c in node.get("dimensions", [])), default=0)


def _questions(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from node.get("questions", [])
    for child in node.get("dimensions", []):
        yield from _questions(child)


def rarely(draw: st.DrawFn, one_in: int) -> bool:
    """True once in ``one_in`` draws; shrinks to False, so a minimal example is a plain one."""
    return bool(draw(st.integers(1, one_in)) == one_in)


@st.composite
def titles(draw: st.DrawFn, base: str) -> str:
    """A plain title, or sometimes a very long one (80 to 120 characters) with unicode and markup."""
    if not rarely(draw, 5):
        return base
    text = base + draw(st.sampled_from(LONG_TAILS)) * 2
    return text[: draw(st.integers(80, 120))].rstrip() + "."


@st.composite
def dimension_trees(
    draw: st.DrawFn, node_id: str, title: str, depth: int, scale: Scale, sets: list[str]
) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "title": draw(titles(title))}
    if rarely(draw, 4):
        node["weight"] = 2
    if depth > 1:
        count = draw(st.integers(1, 2))
        node["dimensions"] = [
            draw(
                dimension_trees(
                    f"{node_id}-{i}", f"{title} part {'ABC'[i - 1]}", depth - 1, scale, sets
                )
            )
            for i in range(1, count + 1)
        ]
        return node
    count = 3 if scale.summed else draw(st.integers(1, 4))
    if scale.summed:
        node["aggregation"] = "sum"
    node["questions"] = [
        {
            "id": f"{node_id}.q{i}",
            "text": f"How far does practice {node_id}.q{i} reach across the organisation?",
            "answer_set": draw(st.sampled_from(sets)),
        }
        | ({"weight": 2} if not scale.summed and rarely(draw, 5) else {})
        for i in range(1, count + 1)
    ]
    return node


@st.composite
def questionnaires(
    draw: st.DrawFn, scales: tuple[Scale, ...] = SCALES
) -> tuple[dict[str, Any], Scale]:
    """A valid questionnaire's YAML data and its scale (one of ``scales``): 1 to 5 top dimensions
    of depth 1 to 3, 1 to 4 questions per leaf (3 summed ones on SAMM's scale), optional N/A and
    Don't know, subject, benefits, default and per-dimension targets, precision, long titles."""
    scale = draw(st.sampled_from(scales))
    options: list[dict[str, Any]] = [
        {"value": v, "label": lb} for v, lb in zip(scale.values, scale.labels, strict=True)
    ]
    if draw(st.booleans()):
        options.append({"label": "Not applicable", "not_applicable": True})
    if draw(st.booleans()):
        options.append({"label": "Don't know", "dont_know": True})
    answer_sets = {"main": options}
    if draw(st.booleans()):  # a second set of the same values, as SAMM's reach and rhythm
        answer_sets["rhythm"] = [o | {"label": f"{o['label']}, regularly"} for o in options]
    levels = scale.levels[rarely(draw, 5) :]  # sometimes no level at the bottom
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": f"shape-{scale.name}",
        "version": "1.0",
        "title": draw(titles("Shape Check Questionnaire")),
        "answer_sets": answer_sets,
        "levels": [{"min": m, "name": n} for m, n in levels],
    }
    for key, strategy in (
        ("subject", st.sampled_from(SUBJECTS)),
        ("benefits", st.lists(st.sampled_from(BENEFITS), min_size=1, max_size=4, unique=True)),
        ("default_target", st.sampled_from(scale.targets)),
        ("precision", st.integers(0, 3)),
        ("disagreement_threshold", st.sampled_from([b - a for a, b in pairwise(scale.values)])),
    ):
        if rarely(draw, 2 if key in ("subject", "benefits", "default_target") else 4):
            data[key] = draw(strategy)
    words = draw(st.permutations(WORDS))
    tops = draw(st.integers(1, 5))
    data["dimensions"] = [
        draw(
            dimension_trees(
                f"d{i}", words[i - 1], draw(st.integers(1, 3)), scale, list(answer_sets)
            )
        )
        for i in range(1, tops + 1)
    ]
    for top in data["dimensions"]:
        if rarely(draw, 4):
            top["target"] = draw(st.sampled_from(scale.targets))
    return data, scale


@cache
def builtin_questionnaire() -> dict[str, Any]:
    """The built-in pmo-maturity questionnaire's YAML data (it has a library and a benchmark)."""
    text = (questionnaires_dir() / "pmo_maturity.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@st.composite
def people(draw: st.DrawFn, wave: int, before: tuple[Person, ...]) -> tuple[Person, ...]:
    """1 to 7 respondents; from the second wave on, the first of them sometimes keep the codes
    of the wave before (they answer again), the rest get new codes."""
    count = draw(st.integers(1, 7))
    kept = draw(st.integers(0, min(count, len(before)))) if before else 0
    codes = [p.code for p in before[:kept]] + [f"W{wave}R{i + 1:02d}" for i in range(kept, count)]
    if wave == 0:
        codes = [f"R{i:02d}" for i in range(1, count + 1)]
    return tuple(
        Person(
            code,
            draw(st.sampled_from(ROLES)),
            draw(st.sampled_from(("interview", "survey", "import"))),
        )
        for code in codes
    )


@st.composite
def plans(draw: st.DrawFn, questionnaire: dict[str, Any], targets_pool: tuple[float, ...]) -> Plan:
    """An engagement with the questionnaire: 1 to 4 waves of 1 to 7 respondents each, and
    sometimes targets (or a cleared target) and importance set for some top dimensions."""
    options = next(iter(questionnaire["answer_sets"].values()))
    has_na = any(o.get("not_applicable") for o in options)
    has_dk = any(o.get("dont_know") for o in options)
    tops = [d["id"] for d in questionnaire["dimensions"]]
    targets: dict[str, float | None] = {}
    importance: dict[str, int] = {}
    if draw(st.booleans()):  # mostly top dimensions; a nested one now and then
        ids = tops + [n["id"] for n in _nodes(questionnaire) if n["id"] not in tops]
        for node in draw(st.lists(st.sampled_from(ids[: len(tops) + 2]), unique=True)):
            targets[node] = draw(st.none() | st.sampled_from(targets_pool))
            importance[node] = draw(st.integers(1, 3))
    waves: list[WavePlan] = []
    labels = draw(st.lists(st.sampled_from(WAVE_LABELS), min_size=1, max_size=4, unique=True))
    held = not rarely(draw, 4)
    before: tuple[Person, ...] = ()
    for number, label in enumerate(labels):
        pattern = draw(st.sampled_from(PATTERNS))
        if pattern == "dont-know-only" and not has_dk:
            pattern = "mixed"
        all_na = draw(st.sampled_from(tops)) if has_na and rarely(draw, 4) else None
        before = draw(people(number, before))
        when = date(2025, 3, 1) + timedelta(days=120 * number)
        when = when if held and not rarely(draw, 6) else None  # no date: sorted first
        waves.append(WavePlan(label, when, before, pattern, all_na, draw(st.integers(0, 2**16))))
    industry, size_band = draw(st.sampled_from(PEER_GROUPS))
    return Plan(
        client=draw(st.sampled_from(CLIENTS)),
        industry=industry,
        size_band=size_band,
        kind=draw(st.sampled_from(("optimize", "establish"))),
        pmo_type=draw(st.none() | st.sampled_from(("supportive", "controlling", "directive"))),
        functions=tuple(draw(st.lists(st.sampled_from(list(PMO_FUNCTIONS)), unique=True))),
        objectives=tuple(
            draw(st.lists(st.sampled_from(("Cut late projects", "One view")), unique=True))
        ),
        targets=targets,
        importance=importance,
        waves=tuple(waves),
        one_by_one=draw(st.booleans()),
    )


def _nodes(questionnaire: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack = list(questionnaire["dimensions"])
    while stack:
        node = stack.pop()
        yield node
        stack += node.get("dimensions", [])


#: What :func:`cases` can be asked for: a random questionnaire on one of the scales, or the built-in.
KINDS = (*(s.name for s in SCALES), BUILTIN)


@st.composite
def cases(draw: st.DrawFn, kind: str | None = None) -> Case:
    """A questionnaire of ``kind`` (any: a random one three times in four, else the built-in
    one) and an engagement with it. Hypothesis draws scales unevenly in a short run, so a test
    that must see each kind asks for it."""
    if kind == BUILTIN or (kind is None and rarely(draw, 4)):
        questionnaire = builtin_questionnaire()
        return Case(questionnaire, draw(plans(questionnaire, SCALES[4].targets)))
    scales = tuple(s for s in SCALES if kind in (None, s.name))
    questionnaire, scale = draw(questionnaires(scales))
    return Case(questionnaire, draw(plans(questionnaire, scale.targets)), scale.name)


def wave_answers(questionnaire: dict[str, Any], wave: WavePlan) -> list[dict[str, Any]]:
    """The answers of a wave as rows (respondent, question_id, value, status, option_label,
    note, confidence), drawn from the wave's seed and pattern; never none at all."""
    rng = random.Random(wave.seed)
    sets = questionnaire["answer_sets"]
    rows = []
    for top in questionnaire["dimensions"]:
        for question in _questions(top):
            options = sets[question["answer_set"]]
            shared = rng.choice([o for o in options if "value" in o])
            for person in wave.people:
                choice = _choose(rng, wave.pattern, options, shared)
                if wave.all_na == top["id"]:
                    choice = next(o for o in options if o.get("not_applicable"))
                if choice is not None:
                    rows.append(_row(rng, person, question["id"], choice))
    if not rows:  # a wave with no answer at all is refused; answer one question
        question = next(_questions(questionnaire["dimensions"][0]))
        options = sets[question["answer_set"]]
        wanted = "dont_know" if wave.pattern == "dont-know-only" else "value"
        rows.append(
            _row(rng, wave.people[0], question["id"], next(o for o in options if wanted in o))
        )
    return rows


def _choose(
    rng: random.Random, pattern: str, options: list[dict[str, Any]], shared: dict[str, Any]
) -> dict[str, Any] | None:
    """One respondent's option for one question (None: skipped)."""
    valued = [o for o in options if "value" in o]
    special = {
        k: next((o for o in options if o.get(k)), None) for k in ("not_applicable", "dont_know")
    }
    if pattern == "dont-know-only":
        return special["dont_know"] if rng.random() < 0.9 else None
    if pattern == "agree":
        return shared
    if pattern == "split":
        return rng.choice([valued[0], valued[-1]])
    skip, na, dk = {"mixed": (0.1, 0.08, 0.08), "values": (0, 0, 0), "sparse": (0.6, 0.1, 0.1)}[
        pattern
    ]
    draw = rng.random()
    if draw < skip:
        return None
    if draw < skip + na and special["not_applicable"]:
        return special["not_applicable"]
    if draw < skip + na + dk and special["dont_know"]:
        return special["dont_know"]
    return rng.choice(valued)


def _row(
    rng: random.Random, person: Person, question_id: str, option: dict[str, Any]
) -> dict[str, Any]:
    status = (
        NOT_APPLICABLE
        if option.get("not_applicable")
        else DONT_KNOW
        if option.get("dont_know")
        else ANSWERED
    )
    return {
        "respondent": person.code,
        "question_id": question_id,
        "value": float(option["value"]) if status == ANSWERED else None,
        "status": status,
        "option_label": option["label"],
        "note": rng.choice(NOTES) if rng.random() < 0.05 else "",
        "confidence": {"survey": "self-reported", "import": "self-reported"}.get(
            person.source, rng.choice(("interview", "evidence-verified"))
        ),
    }


def build_engagement(
    tmp_path: Path, questionnaire: dict[str, Any], engagement: Plan
) -> tuple[Store, str]:
    """Write the questionnaire into a new workspace (unless it is the built-in one), open its
    store and record the client, the engagement, its targets, waves, respondents and answers.
    The caller closes the store."""
    workspace = Path(tmp_path) / "workspace"
    folder = workspace / "questionnaires"
    if questionnaire["id"] != BUILTIN:
        folder.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(questionnaire, allow_unicode=True, sort_keys=False)
        (folder / f"{questionnaire['id'].replace('-', '_')}.yaml").write_text(
            text, encoding="utf-8"
        )
    loaded = load_questionnaire(questionnaire["id"], search=[folder])
    store = Store.open(workspace=workspace)
    plan = engagement
    client = store.add_client(plan.client, "shape-client", plan.industry, plan.size_band)
    started = store.start_engagement(
        client.slug, loaded, plan.kind, plan.functions, plan.pmo_type, plan.objectives
    )
    for dimension_id, target in plan.targets.items():
        store.set_dimension(started.id, dimension_id, target, plan.importance.get(dimension_id))
    for wave in plan.waves:
        rows = wave_answers(questionnaire, wave)
        if plan.one_by_one and len(rows) <= 40:  # an interview's pace; a big wave is imported
            _record(store, started.id, wave, rows)
        else:
            respondents = [NewRespondent(p.role, p.code, source=p.source) for p in wave.people]
            frame = pd.DataFrame(rows)
            store.import_answers(started.id, wave.label, respondents, frame, held_on=wave.held_on)
    return store, client.slug


def _record(store: Store, engagement_id: int, wave: WavePlan, rows: list[dict[str, Any]]) -> None:
    """The wave answer by answer, as an interview records it."""
    made = store.ensure_wave(engagement_id, wave.label, wave.held_on)
    ids = {
        p.code: store.add_respondent(made.id, p.role, p.code, source=p.source).id
        for p in wave.people
    }
    for row in rows:
        store.record_answer(
            ids[row["respondent"]],
            row["question_id"],
            value=row["value"],
            status=row["status"],
            option_label=row["option_label"],
            note=row["note"],
            confidence=row["confidence"],
        )


def user_strings(case: Case) -> list[str]:
    """Every text the case's author wrote (titles, labels, level names, notes, the client's name),
    longest first: a report may quote them, braces and "None" included."""
    q = case.questionnaire
    found = {q["title"], case.plan.client, *NOTES, *q.get("benefits", []), q.get("subject") or ""}
    found |= {lv["name"] for lv in q["levels"]}
    found |= {o["label"] for s in q["answer_sets"].values() for o in s}
    for node in _nodes(q):
        found.add(node["title"])
        found |= {x["text"] for x in node.get("questions", [])}
    return sorted(found - {""}, key=len, reverse=True)
