"""Charts of how far respondents agree: the spread of answers per question, and the perception
gaps between roles (executives, PMO staff, project managers, ...)."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from pmo_assess.charts.parts import (
    Axis,
    Results,
    add_note,
    answer_axis,
    count,
    dimensions,
    n_text,
    right_label,
    role_name,
    row_figure,
    scale_of,
    score_axis,
    short,
    tick_text,
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
    """Questions flagged for disagreement, widest first, then the widest others, up to ``limit``;
    only questions whose answers differ (one respondent, or everyone agreeing, has no spread)."""
    answered = [
        q
        for q in results["assessment"]["questions"]
        if q["min"] is not None and q["max"] is not None and q["max"] > q["min"]
    ]

    def key(q: dict[str, Any]) -> tuple[float, float, str]:
        return (-(q["max"] - q["min"]), -(q["sd"] or 0.0), q["id"])

    flagged = sorted((q for q in answered if q["disagreement"]), key=key)
    others = sorted((q for q in answered if not q["disagreement"]), key=key)
    return [*flagged, *others][:limit]


def question_label(
    question_id: str, results: Results, questionnaire: Questionnaire | None = None
) -> str:
    """The question's own words first, then where it belongs: its readable slug when its id is
    ``dimension.slug``, else its text (from the questionnaire or the disagreements), else its id.

    >>> question_label("governance.decision-rights", {"assessment": {"dimensions": [
    ...     {"id": "governance", "title": "Governance"}]}})
    'Decision rights (Governance)'
    """
    titles = _dimension_titles(results)
    head, _, slug = question_id.rpartition(".")
    if head in titles:
        text = " ".join(ACRONYMS.get(w, w) for w in slug.split("-"))
    else:
        text = _question_text(question_id, results, questionnaire)
    found = [q for q in results["assessment"].get("questions", []) if q["id"] == question_id]
    dimension = head if head in titles else (found[0]["dimension"] if found else "")
    where = titles.get(dimension, dimension.replace("-", " ").capitalize())
    return f"{text[:1].upper()}{text[1:]}" + (f" ({where})" if where else "")


def _question_text(question_id: str, results: Results, questionnaire: Questionnaire | None) -> str:
    if questionnaire is not None and question_id in {q.id for q in questionnaire.questions()}:
        return questionnaire.question(question_id).text
    texts = {d["question_id"]: d["text"] for d in results.get("disagreements") or []}
    return texts.get(question_id, question_id)


def _dimension_titles(results: Results) -> dict[str, str]:
    found, stack = {}, list(dimensions(results))
    while stack:
        node = stack.pop()
        found[node["id"]] = node["title"]
        stack.extend(node.get("children") or [])
    return found


@styled
def agreement_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure | None:
    """Lowest to highest answer (bar) and mean (dot) of the questions respondents disagree on;
    None when no question's answers differ (one respondent, or full agreement)."""
    rows = agreement_rows(results)
    if not rows:
        return None
    axis, brand = answer_axis(scale_of(results)), current_style().brand
    labels = [short(question_label(q["id"], results, questionnaire), 36) for q in rows]
    flagged = sum(1 for q in rows if q["disagreement"])
    split = 0 < flagged < len(rows)  # a header row then separates the flagged from the others
    if split:
        labels.insert(flagged, "Not flagged, widest spreads:")
    fig, ax = row_figure(labels, axis)
    for i, q in enumerate(rows):
        y = i + 1 if split and i >= flagged else i
        colour = brand if q["disagreement"] else PEER
        ax.plot([q["min"], q["max"]], [y, y], color=colour, alpha=0.3, lw=7,
                solid_capstyle="butt", zorder=2)  # fmt: skip
        ax.scatter(q["mean"], y, s=40, color=brand, zorder=4)
        ax.annotate(axis.text(q["mean"]), (q["mean"], y), xytext=(0, 6), ha="center",
                    textcoords="offset points", va="bottom", fontsize=NOTE_SIZE)  # fmt: skip
        right_label(ax, y, f"sd {axis.text(q['sd'])}, n = {q['n']}")
    if split:
        ax.get_yticklabels()[flagged].set(style="italic", color=MUTED)
        ax.axhline(flagged - 0.5, color=MUTED, lw=0.6, ls=(0, (2, 2)))
    add_note(fig, _agreement_note(results, rows, questionnaire))
    return fig


def _agreement_note(
    results: Results, rows: list[dict[str, Any]], questionnaire: Questionnaire | None
) -> str:
    threshold = questionnaire.disagreement_threshold if questionnaire else None
    apart = (
        "half the scale or more" if threshold is None else f"{tick_text(threshold)} points or more"
    )
    total = sum(1 for q in results["assessment"]["questions"] if q["disagreement"])
    shown = sum(1 for q in rows if q["disagreement"])
    more = f" ({total - shown} more not shown)" if total > shown else ""
    return (
        f"Bar: lowest to highest answer; dot: mean. Flagged: the answers span {apart}; "
        f"{count(total, 'question is', 'questions are')} flagged{more}. sd: standard "
        "deviation; n: respondents."
    )


def agreement_chart_alt(results: Results) -> str:
    """Alt text for :func:`agreement_chart`: the widest split and how many are flagged; empty
    when there is no chart."""
    rows = agreement_rows(results)
    if not rows:
        return ""
    scale = scale_of(results)
    total = sum(1 for q in results["assessment"]["questions"] if q["disagreement"])
    top = rows[0]
    return (
        f"Range chart of {count(len(rows), 'question')}: answers to {question_label(top['id'], results)} "
        f"span {scale.answer_text(top['min'])} to {scale.answer_text(top['max'])} (mean "
        f"{scale.answer_text(top['mean'])}, n = {top['n']}); "
        f"{count(total, 'question is', 'questions are')} flagged for disagreement."
    )


def roles_in(results: Results) -> list[str]:
    """The roles that answered, executives, PMO and project managers first."""
    found = {r for row in results["roles"] for r in row["scores"]}
    rank = {r: i for i, r in enumerate(ROLE_ORDER)}
    return sorted(found, key=lambda r: (rank.get(r, len(rank)), r))


def role_rows(results: Results) -> list[dict[str, Any]]:
    """Overall first, then the dimensions, widest spread between roles first; no overall row
    for a single dimension, whose scores it repeats."""
    rows = list(results["roles"])
    overall = [r for r in rows if r["dimension"] == "overall" and len(rows) > 2]
    rest = sorted((r for r in rows if r["dimension"] != "overall"),
                  key=lambda r: -(r["spread"] or 0.0))  # fmt: skip
    return [*overall, *rest]


def scored_roles(results: Results) -> list[str]:
    """The roles with a score somewhere, in :func:`roles_in` order."""
    scored = {r for row in results["roles"] for r, s in row["scores"].items() if s is not None}
    return [r for r in roles_in(results) if r in scored]


@styled
def role_gap_chart(results: Results, questionnaire: Questionnaire | None = None) -> Figure | None:
    """Score by role per dimension: where executives, PMO staff and project managers differ;
    None with fewer than two roles scored (no roles recorded, or one role only)."""
    import seaborn as sns  # imports pyplot: only when drawing (see charts.style)

    if len(scored_roles(results)) < 2:
        return None
    axis, rows, roles = score_axis(scale_of(results)), role_rows(results), scored_roles(results)
    fig, ax = row_figure([short(r["title"], 30) for r in rows], axis, extra_height=1.4)
    for y, row in enumerate(rows):
        known = [s for s in row["scores"].values() if s is not None]
        if len(known) > 1:
            ax.plot([min(known), max(known)], [y, y], color=PEER_LIGHT, lw=4, zorder=1,
                    solid_capstyle="round")  # fmt: skip
        right_label(ax, y, _spread_text(row, axis))
    # One mark per role and row, in long form; seaborn maps role to colour and marker. Points are
    # drawn in role order, so a later role's mark lies over an earlier one's.
    names = [f"{role_name(results, role)} (n = {_role_n(results, role)})" for role in roles]
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
    if rows[0]["dimension"] == "overall":
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


def _spread_text(row: dict[str, Any], axis: Axis) -> str:
    known = [v for v in row["scores"].values() if v is not None]
    if row["spread"] is not None:
        return f"spread {axis.text(row['spread'])}"
    return "one role" if known else "no score"


def _role_note(results: Results) -> str:
    single = [role_name(results, r) for r in scored_roles(results) if _role_n(results, r) == 1]
    lone = f" {', '.join(single)}: one respondent, one person's view." if single else ""
    return (
        "Each mark: the mean score of one role. Spread: highest minus lowest role. "
        f"Ordered by spread.{lone}"
    )


def _role_n(results: Results, role: str) -> int:
    return max((row["respondents"].get(role, 0) for row in results["roles"]), default=0)


def role_gap_chart_alt(results: Results) -> str:
    """Alt text for :func:`role_gap_chart`: the widest perception gap and the overall scores;
    empty when there is no chart."""
    roles = scored_roles(results)
    if len(roles) < 2:
        return ""
    scale = scale_of(results)
    rows = [r for r in role_rows(results) if r["dimension"] != "overall" and r["spread"]]
    text = f"Dot plot of scores by role in {count(len(dimensions(results)), 'dimension')}"
    if rows:
        widest = rows[0]
        known = {k: v for k, v in widest["scores"].items() if v is not None}
        high, low = max(known, key=known.__getitem__), min(known, key=known.__getitem__)
        text += (
            f": the widest perception gap is in {widest['title']}, where "
            f"{role_name(results, high, lower=True)} score {scale.text(known[high])} and "
            f"{role_name(results, low, lower=True)} {scale.text(known[low])} "
            f"(spread {scale.text(widest['spread'])})"
        )
    overall = next((r for r in results["roles"] if r["dimension"] == "overall"), None)
    if overall:
        parts = ", ".join(
            f"{role_name(results, r, lower=True)} {scale.text(overall['scores'].get(r))}"
            for r in roles
        )
        text += f". Overall: {parts}"
    return text + f" ({n_text(_role_n(results, r) for r in roles)} per role)."
