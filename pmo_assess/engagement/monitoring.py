"""What notebook 07 shows: a client's project list imported (only a file the consultant named), a
snapshot deleted, or the shipped sample tried in memory, and then the figures, each table saying
whose figures they are.

Nothing here imports a file nobody named: with no file, the figures are those on record. The
sample is read into memory and labelled "sample data, not <client>'s", never stored. When an
import fails, a boxed banner says what failed and what to do, and every table below says it shows
the figures on record before that import, so old figures never pass for new ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pmo_assess.charts.performance import rag_trend_image
from pmo_assess.core.errors import PmoAssessError, Problem
from pmo_assess.core.rounding import number_text
from pmo_assess.engagement.house_table import (
    MISSING,
    HouseTable,
    cell_text,
    house_table,
    is_missing,
)
from pmo_assess.importers.projects import (
    SAMPLE_PROJECTS,
    CellProblem,
    problems_frame,
    read_projects,
    sample_snapshot_dates,
)
from pmo_assess.insight.performance import (
    PerformanceSummary,
    earned_value_table,
    performance_summary,
    project_measures,
    rag_trend,
    snapshot_overview,
)
from pmo_assess.insight.performance_reference import load_reference, reference_comparison
from pmo_assess.report.markup import esc
from pmo_assess.store.projects import (
    ProjectImport,
    delete_snapshots,
    project_records,
    try_import_projects,
)

if TYPE_CHECKING:
    from IPython.display import Image

    from pmo_assess.engagement.notebook import Step

#: Border and background of a banner, by tone.
_TONES = {
    "failed": ("#b42318", "#fef3f2"),
    "warning": ("#b54708", "#fffaeb"),
    "done": ("#067647", "#ecfdf3"),
    "note": ("#0072B2", "#F3F5F7"),
}
_SHOWN_PROBLEMS = 5  # in the banner; the table below lists them all


@dataclass(frozen=True)
class Banner:
    """A boxed message: what happened, and what to do. Shows as HTML in a notebook."""

    tone: str  # a key of _TONES
    title: str
    lines: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "\n".join([self.title, *self.lines])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        border, background = _TONES[self.tone]
        role = ' role="alert"' if self.tone == "failed" else ""
        items = "".join(f"<li>{esc(line)}</li>" for line in self.lines)
        return (
            f'<div class="pmo-banner pmo-banner-{self.tone}"{role} style="padding:8px 12px;'
            f'margin:0.4em 0;border-left:4px solid {border};background:{background}">'
            f"<b>{esc(self.title)}</b>"
            + (f'<ul style="margin:0.3em 0 0;padding-left:1.2em">{items}</ul>' if items else "")
            + "</div>"
        )


@dataclass(frozen=True)
class Monitoring:
    """The project figures notebook 07 shows, where they come from, and the banners above them."""

    client_name: str
    records: pd.DataFrame
    banners: tuple[Banner, ...]
    #: Whose figures these are, as every table's caption says it.
    whose: str
    sample: bool = False
    problems: tuple[Problem, ...] = ()
    #: The same, short enough for the chart's title.
    chart_note: str = ""

    def __repr__(self) -> str:
        return "\n\n".join(str(b) for b in self.banners)

    def _repr_html_(self) -> str:
        return "".join(b._repr_html_() for b in self.banners)

    @cached_property
    def summary(self) -> PerformanceSummary:
        """The summary of the latest snapshot shown."""
        return performance_summary(self.records)

    def problems_table(self) -> HouseTable | None:
        """Every problem of the import, cell by cell; None (nothing shown) when the banner above
        already lists them all, as it does for problems of the whole file."""
        cells = any(isinstance(p, CellProblem) for p in self.problems)
        if not cells and len(self.problems) <= _SHOWN_PROBLEMS:
            return None
        return house_table(
            problems_frame(self.problems),
            formats={"row": "integer", "value": _cell_value},
            labels={"expected": "What was expected"},
            missing_note="the problem concerns the whole file, not one cell.",
            notes=("Rows are numbered as the spreadsheet shows them: the header is row 1.",),
        )

    def snapshots_table(self) -> HouseTable | Banner:
        """The snapshots shown, one row per as-of date, to see what is there (and what to delete)."""
        if self.records.empty:
            return self._nothing()
        return house_table(
            snapshot_overview(
                self.records, () if self.sample else sample_snapshot_dates(self.records)
            ),
            formats={"as_of": "date", "imported": "date"},
            labels={"as_of": "As of", "sample": "The shipped sample"},
            missing_note="not stored: the sample is read into memory only.",
            caption=self.whose,
        )

    def summary_table(self) -> HouseTable | Banner:
        """The summary of the latest snapshot as measure and value."""
        if self.records.empty:
            return self._nothing()
        reasons = self.summary.missing_reasons()
        return house_table(
            self.summary.table(),
            missing_note="; ".join(reasons) + "." if reasons else "",
            caption=self.whose,
        )

    def reference_table(self) -> HouseTable | Banner:
        """The rates beside the published figures, with the caveat."""
        if self.records.empty:
            return self._nothing()
        return house_table(
            reference_comparison(self.summary),
            labels={
                "client_pct": "Sample" if self.sample else self.client_name,
                "reference": "Published figure",
                "reference_pct": "Published",
                "how_it_differs": "How the definitions differ",
            },
            formats={"client_pct": "percent", "reference_pct": "percent"},
            missing_note="no project of the latest snapshot has finished, so there is no rate.",
            caption=self.whose,
            notes=(load_reference().caveat,),
        )

    def measures_table(self) -> HouseTable | Banner:
        """Per project: days late, cost variance, SPI and CPI."""
        if self.records.empty:
            return self._nothing()
        return house_table(
            project_measures(self.records),
            labels={
                "schedule_variance_days": "Days late",
                "cost_variance_pct": "Cost variance, % of budget",
            },
            formats={
                "status": _word,
                "schedule_variance_days": "integer",
                "cost_variance": "money",
                "cost_variance_pct": "percent",
                "spi": _ratio,
                "cpi": _ratio,
            },
            missing_note="days late and cost variance: the project has not finished (or was "
            "cancelled); SPI and CPI: no earned value given.",
            caption=self.whose,
            notes=(
                "Days late are negative when a project finished early; cost variance is budget "
                "− actual cost, negative when over budget.",
            ),
        )

    def earned_value(self) -> HouseTable | Banner:
        """PV, EV, AC, SPI and CPI per project and for the portfolio."""
        if self.records.empty:
            return self._nothing()
        table = earned_value_table(self.records)
        if table.empty:
            return Banner(
                "note",
                "The project list gives no earned value, so there is no SPI or CPI to show.",
                ("Ask the PMO for planned value (PV) and earned value (EV) per project.",),
            )
        return house_table(
            table,
            labels={
                "planned_value": "Planned value (PV)",
                "earned_value": "Earned value (EV)",
                "actual_cost": "Actual cost (AC)",
            },
            formats={
                **dict.fromkeys(("planned_value", "earned_value", "actual_cost"), "money"),
                "spi": _ratio,
                "cpi": _ratio,
            },
            missing_note="no actual cost given, so no CPI.",
            caption=self.whose,
        )

    def trend_chart(self) -> Image | Banner:
        """The RAG trend as a PNG, its title saying whose figures it shows."""
        if self.records.empty:
            return self._nothing()
        return rag_trend_image(rag_trend(self.records), subtitle=self.chart_note or self.whose)

    def _nothing(self) -> Banner:
        return Banner("note", f"No figures: no project list on record for {self.client_name} yet.")


def monitor_projects(
    step: Step,
    projects_file: str = "",
    *,
    as_of: str = "",
    skip_bad: bool = False,
    day_first: bool = False,
    delete_snapshot: str = "",
    try_sample: bool = False,
) -> Monitoring:
    """Do what notebook 07's parameters ask, then gather the figures to show.

    ``delete_snapshot`` (as-of dates, ``YYYY-MM-DD``, separated by commas) is deleted first, then
    ``projects_file`` is imported; with neither, nothing is written. ``try_sample`` shows the
    shipped sample instead, read in memory and never stored.
    """
    name = step.client.name
    if try_sample:
        return _sample(step, projects_file, delete_snapshot)
    banners = []
    if delete_snapshot.strip():
        banners.append(_delete(step, delete_snapshot))
    imported = None
    if projects_file.strip():
        imported = try_import_projects(
            step.store,
            step.slug,
            projects_file.strip(),
            as_of=as_of.strip() or None,
            skip_bad=skip_bad,
            day_first=day_first,
            engagement=step.engagement,
        )
    records = project_records(step.store, step.slug, engagement=step.engagement)
    if imported is not None:
        banners.append(_import_banner(imported, name, records))
    else:
        banners.append(_on_record_banner(name, records))
    found = sample_snapshot_dates(records)
    if found:
        banners.append(_sample_warning(found, name))
    return Monitoring(
        name,
        records,
        tuple(banners),
        _whose(name, records, imported, found),
        problems=imported.problems if imported else (),
        chart_note=_chart_note(name, imported, found),
    )


def _on_record_banner(name: str, records: pd.DataFrame) -> Banner:
    """What a run that names no file says: which figures are shown, or that there are none."""
    if records.empty:
        return Banner(
            "note",
            f"No project list imported yet for {name}: set projects_file to the client's "
            "export (CSV or XLSX) and run the notebook again.",
            (
                "To see the measures first, set try_sample = True: the shipped sample is shown, "
                "never stored.",
            ),
        )
    return Banner(
        "note",
        f"No file named, nothing imported: the figures below are {name}'s on record "
        f"({records['as_of'].nunique()} snapshot(s), the latest as of "
        f"{cell_text(records['as_of'].max())}).",
        ("To add a snapshot, set projects_file to the client's export (CSV or XLSX).",),
    )


def _chart_note(name: str, imported: ProjectImport | None, sample: tuple[date, ...]) -> str:
    note = f"{name}'s projects on record"
    if imported is not None and imported.blocked:
        note = f"On record before the failed import of {Path(imported.source).name}"
    return note + (", with the shipped sample" if sample else "")


def _sample(step: Step, projects_file: str, delete_snapshot: str) -> Monitoring:
    name = step.client.name
    if projects_file.strip() or delete_snapshot.strip():
        records = project_records(step.store, step.slug, engagement=step.engagement)
        refused = Banner(
            "failed",
            "Nothing done: try_sample shows the shipped sample on its own.",
            (
                "Set try_sample = False to import projects_file or delete a snapshot; or "
                "empty projects_file and delete_snapshot to try the sample.",
                f"The figures below are {name}'s, as on record.",
            ),
        )
        return Monitoring(name, records, (refused,), _whose(name, records, None, ()))
    records, _ = read_projects(SAMPLE_PROJECTS)
    banner = Banner(
        "warning",
        f"Sample data, not {name}'s: the figures below come from the sample project list "
        "shipped with pmo-assess.",
        (
            f"Nothing was stored: {name}'s records are unchanged.",
            "Set try_sample = False and projects_file to the client's export for its figures.",
        ),
    )
    return Monitoring(name, records, (banner,), f"Sample data, not {name}'s", sample=True)


def _delete(step: Step, text: str) -> Banner:
    try:
        dates = snapshot_dates(text)
        removed = delete_snapshots(step.store, step.slug, dates, engagement=step.engagement)
    except PmoAssessError as exc:
        return Banner(
            "failed", "Nothing deleted.", (str(exc), "Correct delete_snapshot, or empty it.")
        )
    shown = ", ".join(cell_text(d) for d in dates)
    return Banner(
        "done",
        f"Deleted the project snapshot(s) as of {shown}: {removed} project row(s) of "
        f"{step.client.name}.",
        ("Empty delete_snapshot now, so the next run deletes nothing.",),
    )


def snapshot_dates(text: str) -> tuple[date, ...]:
    """The as-of dates of ``delete_snapshot``, written ``YYYY-MM-DD`` and separated by commas.

    >>> snapshot_dates("2025-06-30, 2025-09-30")
    (datetime.date(2025, 6, 30), datetime.date(2025, 9, 30))
    """
    dates = []
    for part in (p for p in re.split(r"[,;\s]+", text.strip()) if p):
        try:
            dates.append(date.fromisoformat(part))
        except ValueError:
            raise PmoAssessError(
                f"delete_snapshot takes as-of dates written YYYY-MM-DD, separated by commas "
                f"(e.g. '2025-06-30'); got '{part}'."
            ) from None
    return tuple(dates)


def _import_banner(imported: ProjectImport, name: str, records: pd.DataFrame) -> Banner:
    file = Path(imported.source).name
    if not imported.blocked:
        first, *rest = imported.describe().splitlines()
        return Banner("warning" if imported.problems else "done", first, tuple(rest))
    lines = [_problem_line(p) for p in imported.problems[:_SHOWN_PROBLEMS]]
    if len(imported.problems) > _SHOWN_PROBLEMS:
        lines.append(f"… and {len(imported.problems) - _SHOWN_PROBLEMS} more, listed below.")
    if all(isinstance(p, CellProblem) for p in imported.problems):
        lines.append(
            "What to do: correct these cells in the file and run the notebook again, or set "
            "skip_bad_rows = True to store the good rows and leave the bad ones out."
        )
    else:
        lines.append(
            "What to do: fix what the message above names (the file, or projects_file) and run "
            "the notebook again."
        )
    lines.append(
        f"The figures below are {name}'s figures on record before this import."
        if not records.empty
        else f"There are no figures on record for {name} yet."
    )
    return Banner("failed", f"The import of {file} failed: nothing was stored.", tuple(lines))


def _problem_line(problem: Problem) -> str:
    if isinstance(problem, CellProblem):
        shown = f"'{problem.value}'" if problem.value else "empty"
        return f"Row {problem.row}, column {problem.column}: {shown}; expected {problem.expected}."
    return problem.message


def _sample_warning(found: tuple[date, ...], name: str) -> Banner:
    iso = ", ".join(d.isoformat() for d in found)
    return Banner(
        "failed",
        f"The snapshot(s) as of {', '.join(cell_text(d) for d in found)} hold the sample "
        f"project list shipped with pmo-assess, not {name}'s projects.",
        (
            "An earlier version of this notebook imported the sample when no file was given.",
            f'Remove them: set delete_snapshot = "{iso}" and run the notebook again.',
        ),
    )


def _whose(
    name: str, records: pd.DataFrame, imported: ProjectImport | None, sample: tuple[date, ...]
) -> str:
    if records.empty:
        return f"No figures on record for {name}"
    latest = f"latest snapshot as of {cell_text(records['as_of'].max())}"
    text = f"{name}'s projects on record, {latest}"
    if imported is not None and imported.blocked:
        file = Path(imported.source).name
        text = f"Figures on record before the failed import of {file}: {name}'s projects, {latest}"
    if sample:
        text += " (includes the shipped sample: see the warning above)"
    return text


def _word(value: Any) -> str:
    return MISSING if is_missing(value) else str(value).replace("-", " ").capitalize()


def _ratio(value: Any) -> str:
    return MISSING if is_missing(value) else number_text(float(value), 2)


def _cell_value(value: Any) -> str:
    if is_missing(value):
        return MISSING
    return str(value) if str(value) else "(empty)"
