"""The executive briefing: its data file, its words, the one-page HTML and PDF, and notebook 05."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from pmo_assess.core.errors import ValidationError
from pmo_assess.core.rounding import number_text
from pmo_assess.engagement.briefing import (
    benefit_meaning,
    benefit_table,
    benefit_view,
    briefing_results,
    build_briefing,
    first_phase_ask,
    position,
    with_decisions,
    write_briefing,
)
from pmo_assess.engagement.briefing_data import (
    DATA_PATH,
    Benefit,
    ReferenceFigure,
    load_briefing_data,
    reference_table,
    reference_view,
)
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.notebook import choose
from pmo_assess.engagement.plan import decide
from pmo_assess.insight.recommendations import library_path, load_recommendations
from pmo_assess.insight.results import build_results
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import PMO_FUNCTIONS
from pmo_assess.report.kernels import IPCKernelManager
from pmo_assess.report.markup import esc
from pmo_assess.store import schema as t
from pmo_assess.store.repository import Store

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "05_executive_briefing.ipynb"
# markup, quotes, an ampersand and a long tail: escaped on the page, and still one page
AWKWARD = 'Quellbach <script>alert("x")</script> & Söhne Präzisionswerke Holding ' + " ".join(
    ["Europa"] * 12
)
OTHERS = ("Larkspur", "larkspur-mutual-assurance", "Hollowmere", "hollowmere-county-council")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("briefing") / "ws"
    with Store.open(folder) as opened:
        build_demo_workspace(opened, clients=3)
        with opened.transaction() as conn:
            conn.execute(
                sa.update(t.clients)
                .where(t.clients.c.slug == "quellbach-prazision")
                .values(name=AWKWARD)
            )
        yield opened


@pytest.fixture(scope="module")
def written(store):
    return {slug: write_briefing(store, slug) for slug in ("quellbach-prazision", "larkspur-mutual-assurance", "hollowmere-county-council")}  # fmt: skip


def test_data_holds_five_benefits_tied_to_the_questionnaire_and_the_library():
    questionnaire = load_questionnaire("pmo-maturity")
    data = load_briefing_data(questionnaire=questionnaire)
    library = load_recommendations(library_path(questionnaire), questionnaire)
    # ids match the library's, so roadmap actions can be counted per benefit
    assert [b.id for b in data.benefits] == list(library.benefits)
    covered = {d for b in data.benefits for d in b.dimensions}
    assert covered == {d.id for d in questionnaire.dimensions}  # every dimension serves a benefit
    assert {f for b in data.benefits for f in b.pmo_functions} <= set(PMO_FUNCTIONS)
    assert 2 <= sum(r.briefing for r in data.references) <= 4


def test_reference_figures_are_the_published_ones_with_source_and_year():
    figures = {r.id: r for r in load_briefing_data().references}
    maturity = figures["pms-2014-maturity"]
    assert (maturity.source, maturity.year) == (
        "PM Solutions, Project Management Maturity & Value Benchmark",
        2014,
    )
    assert dict(maturity.bands) == {
        "low performers": 1.7,
        "average performers": 2.5,
        "high performers": 3.4,
    }
    assert "293 organisations" in maturity.statement
    assert all(n in figures["pms-2014-savings"].statement for n in ("26%", "16%", "6%"))
    assert figures["pmi-2020-waste"].source == "PMI, Pulse of the Profession"
    assert "11.4%" in figures["pmi-2020-waste"].statement
    assert tuple(re.findall(r"\d+%", figures["pmi-2017-goals"].statement)) == ("69%", "57%")
    assert {r.year for r in figures.values()} == {2014, 2016, 2017, 2018, 2020}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('["governance", "performance", "risk", "competence"]', '["governance", "speed"]',
         r":14: 'benefits\.0\.dimensions' must list dimension ids of the questionnaire: competence"),
        ('["portfolio-and-resources", "governance"]', '["coffee"]',
         r":35: 'benefits\.4\.pmo_functions' must list PMO functions: standard-processes"),
        ("    year: 2020\n", '    year: "2020"\n',
         r":58: 'references\.2\.year' must be the year of publication"),
        ('source: "PMI, Pulse of the Profession"\n    year: 2017', 'source: ""\n    year: 2017',
         r":62: 'references\.3\.source' must be non-empty text"),
        ("briefing: false", "briefing: true",
         r":40: 'references' must mark 2 to 4 figures 'briefing: true'; 7 are"),
        ('    directive: "Give', '    dictatorial: "Give',
         r":86: 'asks\.decision_rights' must give text for each of: supportive, controlling, directive"),
    ],
)  # fmt: skip
def test_a_broken_data_file_names_file_line_and_field(tmp_path, old, new, message):
    text = DATA_PATH.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "briefing_benefits.yaml"
    broken.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ValidationError, match=re.escape(str(broken)) + message):
        load_briefing_data(broken, load_questionnaire("pmo-maturity"))


@pytest.mark.parametrize(
    ("overall", "expected"),
    [
        (1.2, "At 1.2 overall, X is below the low performers (1.7) in S (2014)."),
        (1.7, "At 1.7 overall, X sits between the low performers (1.7) and the average performers (2.5) in S (2014)."),
        (2.9, "At 2.9 overall, X sits between the average performers (2.5) and the high performers (3.4) in S (2014)."),
        (3.4, "At 3.4 overall, X is above the high performers (3.4) in S (2014)."),
        (None, ""),
    ],
)  # fmt: skip
def test_position_among_the_study_groups(overall, expected):
    bands = (("high performers", 3.4), ("low performers", 1.7), ("average performers", 2.5))
    assert position(overall, ReferenceFigure("f", "", "S", 2014, True, bands), "X") == expected


def _results(gaps, items=(), in_scope=("governance",)):
    return {
        "gaps": [
            {
                "dimension": d,
                "title": d.title(),
                "score": s,
                "target": 3.0,
                "gap": max(0.0, 3.0 - s),
            }
            for d, s in gaps
        ],
        "roadmap": {"items": [{"benefit": b} for b in items]},
        "engagement": {"functions_in_scope": [{"id": f} for f in in_scope]},
    }


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        # largest gap first, at most two named, actions serving this benefit counted
        (_results([("risk", 2.5), ("governance", 1.8), ("performance", 2.2)], ["speed", "speed", "cost"]),
         "Held back by Governance (1.8 vs 3.0) and Performance (2.2 vs 3.0); 2 roadmap actions address it."),
        (_results([("governance", 3.2), ("risk", 3.0)]),
         "Its foundations (Governance and Risk) meet their targets: keep them there."),
        (_results([("tools", 1.0)]), "Not measured yet: none of the dimensions it rests on has a score."),
        (_results([("risk", 2.0)], in_scope=("templates-and-tools",)),
         "Held back by Risk (2.0 vs 3.0). No PMO function that delivers it is in scope yet."),
    ],
)  # fmt: skip
def test_what_a_benefit_means_for_the_client(results, expected):
    benefit = Benefit("speed", "Faster", "", ("governance", "risk", "performance"), ("governance",))
    assert benefit_meaning(benefit, results) == expected


def test_briefing_files_land_in_the_workspace_per_client_and_wave(store, written):
    root = store.workspace.resolve() / "briefings"
    for slug, files in written.items():
        assert files.html == root / slug / "2026-Q3" / "briefing.html"
        assert files.pdf == root / slug / "2026-Q3" / "briefing.pdf"
    assert not list(root.rglob("*.tmp"))


@pytest.mark.parametrize("slug", ["quellbach-prazision", "larkspur-mutual-assurance", "hollowmere-county-council"])  # fmt: skip
def test_the_pdf_is_exactly_one_a4_page(written, slug):
    pages = PdfReader(written[slug].pdf).pages
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_the_html_is_self_contained_and_escapes_the_client_name(written):
    html = written["quellbach-prazision"].html.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert re.findall(r"url\(\"?([a-z]+):", html) == ["data", "data"]  # the two embedded fonts
    outside_fonts = re.sub(r"data:font/ttf;base64,[A-Za-z0-9+/=]+", "", html)
    assert not re.search(r"://|\b(src|href)=|@import", outside_fonts)
    assert esc(AWKWARD) in html
    assert "@page { size: A4" in html


def test_figures_carry_their_source_on_the_page(store, written):
    html = written["hollowmere-county-council"].html.read_text(encoding="utf-8")
    text = PdfReader(written["hollowmere-county-council"].pdf).pages[0].extract_text()
    figures = build_briefing(store, "hollowmere-county-council").figures
    assert 2 <= len(figures) <= 4
    for figure in figures:
        assert (
            f"{esc(figure.statement)}<span class='source'>Source: {esc(figure.cited)}</span>"
            in html
        )
        assert f"Source: {figure.source} ({figure.year})" in " ".join(text.split())


def test_only_this_clients_data_is_on_the_page(store, written):
    html = written["quellbach-prazision"].html.read_text(encoding="utf-8")
    results = build_results(store, "quellbach-prazision").to_dict()
    assert not [other for other in OTHERS if other in html]
    assert f"{number_text(results['assessment']['overall']['score'])} (Repeatable)" in html
    gaps = sorted((g for g in results["gaps"] if g["gap"] > 0), key=lambda g: -g["gap"])[:3]
    for gap in gaps:
        shown = number_text(gap["score"])  # the product's one rule: one decimal, halves up
        assert f"<td>{esc(gap['title'])}</td><td class='num'>{shown}</td>" in html
    assert html.count("<td class='num'>") == 3 * len(gaps) == 9


def test_the_ask_follows_the_roadmap_and_the_pmo_type(store):
    results = build_results(store, "hollowmere-county-council").to_dict()
    first = [i for i in results["roadmap"]["items"] if i["phase"] == "quick-wins"]
    briefing = build_briefing(store, "hollowmere-county-council")
    asks = dict(briefing.asks)
    assert asks["Decision rights"] == load_briefing_data().decision_rights["supportive"]
    assert f"first phase, Quick wins: {len(first)} proposed actions" in asks["Time and budget"]
    assert asks["Time and budget"].endswith(
        "No action is agreed with the PMO lead yet: we confirm each before work starts."
    )
    assert first[0]["title"] in asks["Time and budget"]
    assert briefing.title == "The case for establishing a PMO at Hollowmere County Council"


def test_a_client_meeting_every_target_is_told_so(store):
    briefing = build_briefing(store, "larkspur-mutual-assurance")
    assert briefing.gaps == ()
    assert dict(briefing.asks)["Time and budget"].startswith("No new actions are needed")
    assert "is above the high performers (3.4)" in briefing.position


def test_tables_for_the_notebook(store):
    results = build_results(store, "hollowmere-county-council").to_dict()
    benefits = benefit_table(results)
    assert len(benefits) == 5
    assert "Governance (in scope)" in benefits.loc[0, "PMO functions"]
    figures = reference_table()
    assert figures["source"].str.len().min() > 0 and figures["year"].between(2000, 2030).all()


def test_the_notebook_tables_read_as_words(store):
    benefits = benefit_view(store, "hollowmere-county-council")
    assert list(benefits.frame.columns) == [
        "Benefit", "Depends on (dimensions)", "PMO functions", "What it means here",
    ]  # fmt: skip
    assert "✓" not in benefits._repr_html_()
    figures = reference_view()
    assert list(figures.frame.columns) == ["Figure", "Source", "Year", "On the briefing"]
    assert set(figures.frame["On the briefing"]) == {"yes", "no"}
    assert "2014" in set(figures.frame["Year"])  # a year, not "2,014"
    html = figures._repr_html_()
    assert "True" not in html and "False" not in html


@pytest.fixture(scope="module")
def decided_built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("briefing-decided") / "ws"
    with Store.open(folder) as opened:
        build_demo_workspace(opened, clients=3)
    return folder


@pytest.fixture
def decided(decided_built, tmp_path):
    shutil.copytree(decided_built, tmp_path / "ws")
    with Store.open(tmp_path / "ws") as opened:
        yield opened


def quick_wins(store: Store, slug: str = "hollowmere-county-council") -> list[dict]:
    items = build_results(store, slug).roadmap["items"]
    return [i for i in items if i["phase"] == "quick-wins"]


def test_an_action_dropped_in_04_is_gone_from_the_briefing(decided):
    slug = "hollowmere-county-council"
    first = quick_wins(decided)
    named = first[0]["title"]
    assert named in dict(build_briefing(decided, slug).asks)["Time and budget"]
    decide(decided, slug, first[0]["action_id"], status="dropped", note="The board said no")
    briefing = build_briefing(decided, slug)
    ask = dict(briefing.asks)["Time and budget"]
    assert named not in ask and f"{len(first) - 1} proposed actions" in ask
    assert first[3]["title"] in ask  # the next one moves up
    files = write_briefing(decided, slug)
    pdf = " ".join(PdfReader(files.pdf).pages[0].extract_text().split())
    for text in (briefing._repr_html_(), files.html.read_text(encoding="utf-8"), pdf):
        assert esc(named) not in text and named not in text
    assert len(PdfReader(files.pdf).pages) == 1


def test_once_actions_are_agreed_only_those_are_asked_for(decided):
    slug = "hollowmere-county-council"
    first = quick_wins(decided)
    decide(decided, slug, first[0]["action_id"], status="dropped")
    decide(decided, slug, first[2]["action_id"], status="accepted")
    decide(decided, slug, first[4]["action_id"], status="in-progress")
    ask = dict(build_briefing(decided, slug).asks)["Time and budget"]
    assert f"starting with: {first[2]['title']}; {first[4]['title']}." in ask
    assert "first phase, Quick wins: 2 agreed actions" in ask
    assert first[1]["title"] not in ask and first[0]["title"] not in ask
    assert ask.endswith(f"{len(first) - 3} more actions of this phase await a decision.")


def test_a_benefit_counts_only_the_actions_not_dropped(decided):
    slug = "hollowmere-county-council"
    action = quick_wins(decided)[0]
    benefit = next(b for b in load_briefing_data().benefits if b.id == action["benefit"])
    before = briefing_results(decided, slug)
    serving = sum(i["benefit"] == benefit.id for i in before["roadmap"]["items"])
    decide(decided, slug, action["action_id"], status="dropped")
    after = briefing_results(decided, slug)
    assert after["roadmap"]["dropped"] == 1
    assert f"{serving - 1} roadmap actions address it" in benefit_meaning(benefit, after)


def _item(action_id, phase, start, end, effort):
    name = {"quick-wins": "Quick wins", "foundation": "Foundation"}[phase]
    return {"action_id": action_id, "title": action_id.title(), "phase": phase,
            "phase_name": name, "start_week": start, "end_week": end, "effort": effort}  # fmt: skip


ITEMS = [_item("alpha", "quick-wins", 0, 4, "S"), _item("bravo", "quick-wins", 0, 6, "S"),
         _item("charlie", "quick-wins", 2, 5, "M"), _item("delta", "foundation", 13, 20, "L")]  # fmt: skip
NONE_AGREED = " No action is agreed with the PMO lead yet: we confirm each before work starts."


# Hand-worked: a phase's weeks run from its earliest start to its latest end (quick wins: 0 to 6)
@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({}, "the first phase, Quick wins: 3 proposed actions over about 6 weeks (effort: 2 small, 1 medium), starting with: Alpha; Bravo; Charlie." + NONE_AGREED),
        ({"alpha": "dropped"}, "the first phase, Quick wins: 2 proposed actions over about 6 weeks (effort: 1 small, 1 medium), starting with: Bravo; Charlie." + NONE_AGREED),
        ({"alpha": "dropped", "charlie": "accepted"}, "the first phase, Quick wins: 1 agreed action over about 3 weeks (effort: 1 medium), starting with: Charlie. 1 more action of this phase awaits a decision."),
        ({"alpha": "in-progress"}, "the first phase, Quick wins: 1 agreed action over about 4 weeks (effort: 1 small), starting with: Alpha. 2 more actions of this phase await a decision."),
        ({"alpha": "dropped", "bravo": "dropped", "charlie": "dropped", "delta": "accepted"}, "the first phase, Foundation: 1 agreed action over about 7 weeks (effort: 1 large), starting with: Delta."),
        ({"alpha": "done", "bravo": "done", "charlie": "done"}, "the next phase, Foundation: 1 proposed action over about 7 weeks (effort: 1 large), starting with: Delta." + NONE_AGREED),
    ],
)  # fmt: skip
def test_the_ask_names_the_first_phase_of_what_is_left(statuses, expected):
    results = with_decisions({"roadmap": {"library": "lib", "items": ITEMS}}, statuses)
    assert first_phase_ask(results) == "Approve the people and budget for " + expected


def test_when_every_action_is_done_or_dropped_the_ask_says_so():
    statuses = {"alpha": "dropped", "bravo": "done", "charlie": "dropped", "delta": "done"}
    results = with_decisions({"roadmap": {"library": "lib", "items": ITEMS}}, statuses)
    assert first_phase_ask(results).startswith("Every roadmap action is done or dropped")


@pytest.fixture(scope="module")
def spec_workspace(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nb05")
    with Store.open(tmp / "ws") as opened:
        build_demo_workspace(opened, clients=3)
        choose(opened, "hollowmere-county-council")  # as 00_start_here would
    return tmp


# tests/test_notebooks.py runs it for the client chosen in 00; this adds a named wave and
# an action dropped in 04
def test_notebook_runs_headless_and_writes_only_in_the_workspace(spec_workspace, tmp_path):
    slug = "hollowmere-county-council"
    with Store.open(spec_workspace / "ws") as opened:
        dropped = quick_wins(opened, slug)[0]
        decide(opened, slug, dropped["action_id"], status="dropped")
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters={"workspace": str(spec_workspace / "ws"), "wave": "2026-Q3"},
        kernel_name="python3", kernel_manager_class=IPCKernelManager, cwd=str(spec_workspace),
        progress_bar=False, execution_timeout=300,
    )  # fmt: skip
    cells = nbformat.read(out, as_version=4).cells
    outputs = [o for c in cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "wave <b>2026-Q3</b>" in html and "Hollowmere" in html  # the banner
    assert esc(dropped["title"]) not in html
    assert "<a href='ws/briefings/hollowmere-county-council/2026-Q3/briefing.pdf' download" in html
    assert (spec_workspace / "ws" / "briefings" / slug / "2026-Q3" / "briefing.pdf").is_file()
    assert {p.name for p in spec_workspace.iterdir()} == {"ws"}


def test_notebook_is_committed_clean():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert notebook.cells[0].cell_type == "markdown"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert 'workspace = ""' in code[0].source and 'wave = ""' in code[0].source
    assert "open_step(workspace, client, wave=wave)" in code[1].source
    assert all(c.outputs == [] and c.execution_count is None for c in code)
