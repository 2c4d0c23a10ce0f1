"""How a client's projects deliver, measured from their snapshots: the summary of the latest
one, schedule and cost variance per project, earned value, and the RAG counts over time.

Every function takes the records of :func:`pmo_assess.store.projects.project_records` or
:func:`pmo_assess.importers.projects.read_projects` and returns a DataFrame or a frozen
dataclass; nothing here reads files or the store.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import pandas as pd

from pmo_assess.core.rounding import number_text, percent_text, round_half_up
from pmo_assess.importers.project_fields import RAG


@dataclass(frozen=True)
class PerformanceSummary:
    """How the projects of one snapshot deliver.

    Finished projects are those with an actual end that were not cancelled; the on-time and
    on-budget rates, the median schedule variance and the cost variance count only them (a
    project in flight has not yet finished spending). Rates are shares from 0 to 1, None
    without finished projects; SPI and CPI are None without earned value.
    """

    as_of: date | None
    projects: int
    in_flight: int
    finished: int
    cancelled: int
    on_time: int
    on_budget: int
    costed: int  # finished projects with an actual cost
    on_time_rate: float | None
    on_budget_rate: float | None
    median_schedule_variance_days: float | None
    cost_variance: float | None
    cost_variance_pct: float | None
    spi: float | None
    cpi: float | None
    green: int
    amber: int
    red: int

    def table(self) -> pd.DataFrame:
        """The summary as rows of measure and value, in words and house-rounded numbers; "—"
        where there is nothing to measure (see :meth:`missing_reasons`)."""
        rows = [
            ("As of", _date(self.as_of) if self.as_of else "no snapshot yet"),
            (
                "Projects",
                f"{self.projects} ({self.in_flight} in flight, {self.finished} "
                f"finished, {self.cancelled} cancelled)",
            ),
            ("In flight: green / amber / red", f"{self.green} / {self.amber} / {self.red}"),
            ("Finished on time", _share(self.on_time, self.finished, self.on_time_rate)),
            ("Finished within budget", _share(self.on_budget, self.costed, self.on_budget_rate)),
            ("Median schedule variance (days late)", _shown(self.median_schedule_variance_days)),
            ("Cost variance, finished (budget − actual)", _money(self.cost_variance)),
            ("Cost variance, % of budget", _percent(self.cost_variance_pct)),
            ("SPI (EV / PV)", _shown(self.spi, 2)),
            ("CPI (EV / AC)", _shown(self.cpi, 2)),
        ]
        return pd.DataFrame(rows, columns=["measure", "value"])

    def missing_reasons(self) -> list[str]:
        """Why measures of :meth:`table` show "—", one clause each (empty when none does)."""
        reasons = []
        if not self.finished:
            reasons.append("no project of this snapshot has finished, so there is no rate yet")
        elif not self.costed:
            reasons.append("no finished project gives an actual cost")
        if self.spi is None or self.cpi is None:
            reasons.append("no earned value given (SPI and CPI need PV, EV and AC)")
        return reasons


_MISSING = "—"  # as every notebook table shows a missing value


def _share(count: int, total: int, rate: float | None) -> str:
    return _MISSING if rate is None else f"{count} of {total} ({percent_text(rate)})"


def _shown(value: float | None, precision: int = 0, suffix: str = "") -> str:
    return _MISSING if value is None else number_text(value, precision) + suffix


def _percent(value: float | None) -> str:
    """A percentage, whole unless that would show a small variance as none at all."""
    if value is None:
        return _MISSING
    whole = number_text(value, 0)
    return (number_text(value, 1) if whole in ("0", "-0") and value else whole) + "%"


def _money(value: float | None) -> str:
    return _MISSING if value is None else f"{round_half_up(value, 0):,.0f}"


def _date(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def latest_snapshot(records: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest as-of date."""
    if records.empty:
        return records
    return records[records["as_of"] == records["as_of"].max()]


def project_measures(records: pd.DataFrame) -> pd.DataFrame:
    """Per project of the latest snapshot: schedule variance in days (positive: late) and cost
    variance (budget − actual cost, and % of budget) once finished; SPI and CPI when earned
    value is given."""
    snap = latest_snapshot(records)
    finished = snap["actual_end"].notna() & (snap["state"] != "cancelled")
    costed = finished & snap["actual_cost"].notna()
    variance = (snap["budget"] - snap["actual_cost"]).where(costed)
    return pd.DataFrame(
        {
            "project": snap["project"],
            "status": snap["status"],
            "schedule_variance_days": (snap["actual_end"] - snap["planned_end"]).dt.days.where(
                finished
            ),
            "cost_variance": variance,
            "cost_variance_pct": variance / snap["budget"] * 100,
            "spi": _ratio(snap["earned_value"], snap["planned_value"]),
            "cpi": _ratio(snap["earned_value"], snap["actual_cost"]),
        }
    ).reset_index(drop=True)


def _ratio(top: pd.Series, bottom: pd.Series) -> pd.Series:
    return (top / bottom).where(top.notna() & (bottom > 0))


def performance_summary(records: pd.DataFrame) -> PerformanceSummary:
    """The summary of the latest snapshot in ``records`` (from
    :func:`~pmo_assess.store.projects.project_records` or
    :func:`~pmo_assess.importers.projects.read_projects`).

    >>> from pmo_assess.importers.projects import SAMPLE_PROJECTS, read_projects
    >>> frame, _ = read_projects(SAMPLE_PROJECTS)
    >>> summary = performance_summary(frame)
    >>> summary.as_of, summary.finished, summary.on_time, round(summary.spi, 3)
    (datetime.date(2025, 9, 30), 5, 2, 0.937)
    """
    snap = latest_snapshot(records)
    measures = project_measures(records)
    finished = measures["schedule_variance_days"].dropna()
    costed = snap[measures["cost_variance"].notna().to_numpy()]
    on_budget = int((measures["cost_variance"] >= 0).sum())
    counts = snap["rag"].value_counts()
    cost_variance = float(measures["cost_variance"].sum()) if len(costed) else None
    return PerformanceSummary(
        as_of=snap["as_of"].max().date() if len(snap) else None,
        projects=len(snap),
        in_flight=int((snap["state"] == "active").sum()),
        finished=len(finished),
        cancelled=int((snap["state"] == "cancelled").sum()),
        on_time=int((finished <= 0).sum()),
        on_budget=on_budget,
        costed=len(costed),
        on_time_rate=float((finished <= 0).mean()) if len(finished) else None,
        on_budget_rate=on_budget / len(costed) if len(costed) else None,
        median_schedule_variance_days=float(finished.median()) if len(finished) else None,
        cost_variance=cost_variance,
        cost_variance_pct=(
            cost_variance / float(costed["budget"].sum()) * 100
            if cost_variance is not None
            else None
        ),
        spi=_portfolio_ratio(snap, "planned_value"),
        cpi=_portfolio_ratio(snap, "actual_cost"),
        **{colour: int(counts.get(colour, 0)) for colour in RAG},
    )


def _portfolio_ratio(snap: pd.DataFrame, base: str) -> float | None:
    """Σ EV / Σ base over the projects that give both (base above 0)."""
    both = snap[snap["earned_value"].notna() & (snap[base] > 0)]
    return float(both["earned_value"].sum() / both[base].sum()) if len(both) else None


def earned_value_table(records: pd.DataFrame) -> pd.DataFrame:
    """PV, EV, AC, SPI and CPI per project of the latest snapshot that gives earned value, and a
    last row for the portfolio (ratios of the sums); empty without earned value."""
    snap = latest_snapshot(records)
    with_ev = snap[snap["earned_value"].notna()]
    table = pd.DataFrame(
        {
            "project": with_ev["project"],
            "planned_value": with_ev["planned_value"],
            "earned_value": with_ev["earned_value"],
            "actual_cost": with_ev["actual_cost"],
            "spi": _ratio(with_ev["earned_value"], with_ev["planned_value"]),
            "cpi": _ratio(with_ev["earned_value"], with_ev["actual_cost"]),
        }
    ).reset_index(drop=True)
    if table.empty:
        return table
    total = {
        "project": "Portfolio (sums)",
        **{c: with_ev[c].sum() for c in ("planned_value", "earned_value", "actual_cost")},
        "spi": _portfolio_ratio(with_ev, "planned_value"),
        "cpi": _portfolio_ratio(with_ev, "actual_cost"),
    }
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def rag_trend(records: pd.DataFrame) -> pd.DataFrame:
    """How many projects in flight were green, amber and red at each as-of date (index).

    >>> from pmo_assess.importers.projects import SAMPLE_PROJECTS, read_projects
    >>> frame, _ = read_projects(SAMPLE_PROJECTS)
    >>> rag_trend(frame).loc[date(2025, 9, 30)].to_dict()
    {'green': 0, 'amber': 1, 'red': 1}
    """
    if records.empty:
        return pd.DataFrame(columns=list(RAG), index=pd.Index([], name="as_of"), dtype=int)
    as_of = records["as_of"].dt.date.rename("as_of")
    counts = pd.crosstab(as_of, records["rag"]).reindex(
        index=sorted(set(as_of)), columns=list(RAG), fill_value=0
    )
    counts.columns.name = None
    return counts.rename_axis("as_of").astype(int)


def snapshot_overview(records: pd.DataFrame, sample: Collection[date] = ()) -> pd.DataFrame:
    """One row per as-of date: how many projects and how many in flight, when imported (None
    for records never stored), and whether it is one of the ``sample`` dates.

    >>> from pmo_assess.importers.projects import SAMPLE_PROJECTS, read_projects
    >>> frame, _ = read_projects(SAMPLE_PROJECTS)
    >>> snapshot_overview(frame)[["projects", "in_flight"]].values.tolist()
    [[8, 7], [8, 4], [8, 2]]
    """
    days = records["as_of"].dt.date.rename("as_of")
    stored = "imported_at" in records
    frame = pd.DataFrame(
        {
            "projects": records.groupby(days).size(),
            "in_flight": (records["state"] == "active").groupby(days).sum().astype(int),
            "imported": records["imported_at"].groupby(days).max() if stored else None,
        }
    ).reset_index()
    if sample:
        frame["sample"] = frame["as_of"].isin(set(sample))
    return frame
