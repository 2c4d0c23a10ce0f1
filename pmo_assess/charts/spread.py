"""Charts of how far respondents agree: the spread of answers per question, and the perception
gaps between roles (executives, PMO staff, project managers, ...)."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from pmo_assess.charts.parts import (
    Results,
    add_note,
    dimensions,
    fmt,
    n_text,
    right_label,
    role_name,
    row_figure,
    scale_of,
    short,
)
from pmo_assess.charts.style import (
    CATEGORY_COLOURS,
    CATEGORY_MARKERS,
    MUTED,
    NOTE_SIZE,
    PEER,
    PEER_LIGHT,
    current_style,
    styled,
)
from pmo_assess.model.questionnaire import Questionnaire

AGREEMENT_ROWS = 12
ROLE_ORDER = ("executive", "pmo", "project-manager", "finance", "team-member")
ACRONYMS = {"pm": "PM", "pmo": "PMO", "kpi": "KPI", "kpis": "KPIs", "raci": "RACI", "it": "IT"}


def agreement_rows(results: Results, limit: int = AGREEMENT_ROWS) -> list[dict[str, Any]]:
    """Questions flagged for disagreement, widest first, then the widest others, up to ``limit``."""
    answered = [q for q in results["assessment"]["questions"] if q["min"] is not None]

    def key(q: dict[str, Any]) -> tuple[float, float, str]:
        return (-(q["max"] - q["min"]), -(q["sd"] or 0.0), q["id"])

    flagged = sorted((q for q in answered if q["disagreement"]), key=key)
    others = sorted((q for q in answered if not q["disagreement"]), key=key)
    return [*flagged, *others][:limit]


def question_label(question_id: str, results: Results) -> str:
    """The question's own words first, then where it belongs.

    >>> question_label("governance.decision-rights", {"assessment": {"dimensions": [
    ...     {"id": "governance", "title": "Governance"}]}})
    'Decision rights (Governance)'
    """
    titles = _dimension_titles(results)
    dimension, _, slug = question_id.rpartition(".")
    name = titles.get(dimension, dimension.replace("-", " ").capitalize())
    words = [ACRONYMS.get(w, w) for w in slug.split("-")]
    text = " ".join(words)
    return f"{text[:1].upper()}{text[1:]} ({name})"


def _dimension_titles(results: Results) -> dict[str, str]:
    found, stack = {}, list(dimensions(results))
    while stack:
        node = stack.pop()
        found[node["id"]] = node["title"]
        stack.extend(node.get("children") or [])
    return found


@styled
def agreement_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure:
    """Lowest to highest answer (bar) and mean (dot) of the questions respondents disagree on."""
    scale, brand = scale_of(questionnaire), current_style().brand
    rows = agreement_rows(results)
    labels = [short(question_label(q["id"], results), 36) for q in rows]
    flagged = sum(1 for q in rows if q["disagreement"])
    split = 0 < flagged < len(rows)  # a header row then separates the flagged from the others
    if split:
        labels.insert(flagged, "Not flagged, widest spreads:")
    fig, ax = row_figure(labels, scale)
    for i, q in enumerate(rows):
        y = i + 1 if split and i >= flagged else i
        colour = brand if q["disagreement"] else PEER
        ax.plot([q["min"], q["max"]], [y, y], color=colour, alpha=0.3, lw=7,
                solid_capstyle="butt", zorder=2)  # fmt: skip
        ax.scatter(q["mean"], y, s=40, color=brand, zorder=4)
        ax.annotate(fmt(q["mean"]), (q["mean"], y), xytext=(0, 6), textcoords="offset points",
                    ha="center", va="bottom", fontsize=NOTE_SIZE)  # fmt: skip
        right_label(ax, y, f"sd {q['sd']:.1f}, n = {q['n']}")
    if split:
        ax.get_yticklabels()[flagged].set(style="italic", color=MUTED)
        ax.axhline(flagged - 0.5, color=MUTED, lw=0.6, ls=(0, (2, 2)))
    add_note(fig, _agreement_note(results, rows, questionnaire))
    return fig


def _agreement_note(
    results: Results, rows: list[dict[str, Any]], questionnaire: Questionnaire | None
) -> str:
    threshold = questionnaire.disagreement_threshold if questionnaire else None
    apart = "half the scale or more" if threshold is None else f"{threshold:g} points or more"
    total = sum(1 for q in results["assessment"]["questions"] if q["disagreement"])
    shown = sum(1 for q in rows if q["disagreement"])
    more = f" ({total - shown} more not shown)" if total > shown else ""
    return (
        f"Bar: lowest to highest answer; dot: mean. Flagged: the answers span {apart}; "
        f"{total} questions are flagged{more}. sd: standard deviation; n: respondents."
    )


def agreement_chart_alt(results: Results) -> str:
    """Alt text for :func:`agreement_chart`: the widest split and how many are flagged."""
    rows = agreement_rows(results)
    total = sum(1 for q in results["assessment"]["questions"] if q["disagreement"])
    if not rows:
        return "Range chart: no question has scored answers."
    top = rows[0]
    return (
        f"Range chart of {len(rows)} questions: answers to {question_label(top['id'], results)} "
        f"span {fmt(top['min'])} to {fmt(top['max'])} (mean {fmt(top['mean'])}, n = {top['n']}); "
        f"{total} questions are flagged for disagreement."
    )


def roles_in(results: Results) -> list[str]:
    """The roles that answered, executives, PMO and project managers first."""
    found = {r for row in results["roles"] for r in row["scores"]}
    rank = {r: i for i, r in enumerate(ROLE_ORDER)}
    return sorted(found, key=lambda r: (rank.get(r, len(rank)), r))


def role_rows(results: Results) -> list[dict[str, Any]]:
    """Overall first, then the dimensions, widest spread between roles first."""
    rows = list(results["roles"])
    overall = [r for r in rows if r["dimension"] == "overall"]
    rest = sorted((r for r in rows if r["dimension"] != "overall"),
                  key=lambda r: -(r["spread"] or 0.0))  # fmt: skip
    return [*overall, *rest]


@styled
def role_gap_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure:
    """Score by role per dimension: where executives, PMO staff and project managers differ."""
    import seaborn as sns  # imports pyplot: only when drawing (see charts.style)

    scale, rows, roles = scale_of(questionnaire), role_rows(results), roles_in(results)
    fig, ax = row_figure([short(r["title"], 30) for r in rows], scale, extra_height=1.4)
    for y, row in enumerate(rows):
        known = [s for s in row["scores"].values() if s is not None]
        if len(known) > 1:
            ax.plot([min(known), max(known)], [y, y], color=PEER_LIGHT, lw=4, zorder=1,
                    solid_capstyle="round")  # fmt: skip
        right_label(ax, y, "spread –" if row["spread"] is None else f"spread {row['spread']:.1f}")
    # One mark per role and row, in long form; seaborn maps role to colour and marker. Points are
    # drawn in role order, so a later role's mark lies over an earlier one's.
    names = [f"{role_name(role)} (n = {_role_n(results, role)})" for role in roles]
    marks = [
        (row["scores"][role], y, name)
        for role, name in zip(roles, names, strict=True)
        for y, row in enumerate(rows)
        if row["scores"].get(role) is not None
    ]
    if marks:
        xs, ys, hue = zip(*marks, strict=True)
        sns.scatterplot(x=xs, y=ys, hue=hue, style=hue, hue_order=names, style_order=names, ax=ax,
                        palette={n: CATEGORY_COLOURS[i % 5] for i, n in enumerate(names)},
                        markers={n: CATEGORY_MARKERS[i % 5] for i, n in enumerate(names)},
                        s=34, edgecolor="white", linewidth=0.5, zorder=3)  # fmt: skip
    ax.get_yticklabels()[0].set_fontweight("bold")
    columns = min(len(roles), 3)
    handles, labels = ax.get_legend_handles_labels()
    if (legend := ax.get_legend()) is not None:
        legend.remove()  # seaborn's; one legend above the figure instead, row by row
    across = sorted(range(len(handles)), key=lambda i: (i % columns, i // columns))  # row by row
    fig.legend([handles[i] for i in across], [labels[i] for i in across], ncol=columns,
               loc="outside upper center", handletextpad=0.2, columnspacing=1.2)  # fmt: skip
    add_note(fig, _role_note(results))
    return fig


def _role_note(results: Results) -> str:
    single = [role_name(r) for r in roles_in(results) if _role_n(results, r) == 1]
    lone = f" {', '.join(single)}: one respondent, one person's view." if single else ""
    return (
        "Each mark: the mean score of one role. Spread: highest minus lowest role. "
        f"Ordered by spread.{lone}"
    )


def _role_n(results: Results, role: str) -> int:
    return max((row["respondents"].get(role, 0) for row in results["roles"]), default=0)


def role_gap_chart_alt(results: Results) -> str:
    """Alt text for :func:`role_gap_chart`: the widest perception gap and the overall scores."""
    rows = [r for r in role_rows(results) if r["dimension"] != "overall" and r["spread"]]
    text = f"Dot plot of scores by role in {len(dimensions(results))} dimensions"
    if rows:
        widest = rows[0]
        known = {k: v for k, v in widest["scores"].items() if v is not None}
        high, low = max(known, key=known.__getitem__), min(known, key=known.__getitem__)
        text += (
            f": the widest perception gap is in {widest['title']}, where "
            f"{role_name(high, lower=True)} score {fmt(known[high])} and {role_name(low, lower=True)} "
            f"{fmt(known[low])} (spread {widest['spread']:.1f})"
        )
    overall = next((r for r in results["roles"] if r["dimension"] == "overall"), None)
    if overall:
        parts = ", ".join(
            f"{role_name(r, lower=True)} {fmt(overall['scores'].get(r))}" for r in roles_in(results)
        )
        text += f". Overall: {parts}"
    return text + f" ({n_text(_role_n(results, r) for r in roles_in(results))} per role)."
