"""Settling on the client and engagement ``00_start_here`` works on: an existing client or a
new one, its latest engagement or a fresh one, and the workspace's clients to choose from."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import slugify
from pmo_assess.engagement.house_table import HouseTable, house_table
from pmo_assess.engagement.selection import Selection, remember, remembered
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.terms import ENGAGEMENT_KINDS
from pmo_assess.store.records import Engagement
from pmo_assess.store.repository import Store


@dataclass(frozen=True)
class Start:
    """What :func:`start_here` settled on: the client (None in an empty workspace), its
    engagement, and what it did, in sentences."""

    slug: str | None
    engagement: Engagement | None
    notes: tuple[str, ...]

    def text(self) -> str:
        """The notes as Markdown, one paragraph each."""
        return "\n\n".join(self.notes)


def start_here(
    store: Store,
    client: str = "",
    *,
    new_client_name: str = "",
    industry: str | None = None,
    size_band: str | None = None,
    region: str | None = None,
    kind: str = "optimize",
    questionnaire: str = "pmo-maturity",
    new_engagement: bool = False,
) -> Start:
    """Pick the client (``new_client_name`` first, added when missing; else ``client``; else the
    one chosen before in this workspace; else its only client) and its latest engagement,
    starting one when it has none or when ``new_engagement`` is True. The choice is remembered
    in the workspace, so the other notebooks open the same engagement."""
    if kind not in ENGAGEMENT_KINDS:
        raise PmoAssessError(
            f"The 'kind' parameter must be one of {', '.join(ENGAGEMENT_KINDS)}. Got {kind!r}."
        )
    slug, notes = _pick_client(store, client, new_client_name, industry, size_band, region)
    if slug is None:
        return Start(None, None, notes)
    engagement = store.find_engagement(slug)
    if engagement is None or new_engagement:
        chosen = load_questionnaire(questionnaire, search=[store.workspace / "questionnaires"])
        engagement = store.start_engagement(slug, chosen, kind)
        notes += (
            f"Started an **{kind}** engagement with questionnaire `{chosen.id}` {chosen.version}.",
        )
    else:
        notes += (
            f"Working on the latest engagement: **{engagement.kind}**, questionnaire "
            f"`{engagement.questionnaire_id}` {engagement.questionnaire_version}.",
        )
        if kind != engagement.kind:
            notes += (
                f"(`kind = {kind!r}` applies to a new engagement only: set "
                "`new_engagement = True` to start one, then back to False.)",
            )
    remember(store.workspace, Selection(slug, engagement.id))
    notes += ("Every notebook now opens this engagement unless its `client` parameter is set.",)
    return Start(slug, engagement, notes)


def clients_table(store: Store) -> HouseTable:
    """Every client of the workspace with its latest engagement and waves, to choose from."""
    return house_table(
        clients_frame(store),
        labels={"client": "Slug (for the client parameter)"},
        missing_note="not recorded.",
    )


def clients_frame(store: Store) -> pd.DataFrame:
    """The workspace's clients as data: slug, name, industry, latest engagement, waves."""
    rows = []
    for client in store.clients():
        engagement = store.find_engagement(client.slug)
        waves = store.waves(engagement.id) if engagement else []
        rows.append(
            {
                "client": client.slug,
                "name": client.name,
                "industry": client.industry,
                "engagement": engagement.kind if engagement else "none yet",
                "waves": ", ".join(w.label for w in waves),
            }
        )
    return pd.DataFrame(rows, columns=["client", "name", "industry", "engagement", "waves"])


def _pick_client(
    store: Store,
    client: str,
    new_name: str,
    industry: str | None,
    size_band: str | None,
    region: str | None,
) -> tuple[str | None, tuple[str, ...]]:
    if new_name.strip():
        slug = slugify(new_name)
        if slug in {c.slug for c in store.clients()}:
            return slug, (f"Client `{slug}` exists already; working on it.",)
        store.add_client(
            new_name, industry=industry or None, size_band=size_band or None, region=region or None
        )
        return slug, (f"Added client **{new_name.strip()}** as `{slug}`.",)
    if client:
        return store.client(client).slug, ()
    known = store.clients()
    if not known:
        return None, (
            "This workspace has no clients yet. Set `new_client_name` in the parameters cell "
            '(for example `new_client_name = "Acme Rail"`) and run the notebook again.',
        )
    chosen = remembered(store.workspace)
    if chosen is not None and chosen.client in {c.slug for c in known}:
        return chosen.client, (f"Working on `{chosen.client}`, the client chosen before.",)
    if len(known) == 1:
        return known[0].slug, (f"Working on `{known[0].slug}`, the workspace's only client.",)
    return None, (
        f"This workspace has {len(known)} clients and none is chosen yet. Set `client` in the "
        "parameters cell to one of the slugs in the table below (or `new_client_name` to add "
        "one) and run the notebook again.",
    )
