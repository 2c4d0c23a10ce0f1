"""Scope and objectives (01) and the start-here status (00): what is saved is what is loaded and
what the report uses, wrong input is refused whole with every field named, the status follows
the engagement's progress, and an older store gains the new column without losing a row."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import nbformat
import papermill
import pytest
import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError, ValidationError
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.engagement.scope import Scope, load_scope, save_scope, scope_problems, target_scale
from pmo_assess.engagement.start import clients_table, start_here
from pmo_assess.engagement.status import DONE, LATER, OPEN, PARTIAL, READY, engagement_status
from pmo_assess.insight.results import build_results
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.report.kernels import IPCKernelManager
from pmo_assess.store import schema as t
from pmo_assess.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
OLD_STORE = ROOT / "tests" / "data" / "store" / "store_v1.sqlite"
MATURITY = load_questionnaire("pmo-maturity")
DEMO = "quellbach-prazision"
NOW = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scope") / "demo"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=1)
    return folder


@pytest.fixture
def demo(demo_folder, tmp_path):
    """A private copy of a one-client demo workspace (quellbach-prazision, two waves)."""
    shutil.copytree(demo_folder, tmp_path / "ws")
    with Store.open(tmp_path / "ws") as store:
        yield store


@pytest.fixture
def fresh(tmp_path):
    """A workspace with one new client and its engagement, nothing else."""
    with Store.open(tmp_path / "fresh") as store:
        start_here(store, new_client_name="Acme Rail (fictional)")
        yield store


FULL = Scope(
    functions={"lessons-learned": "low", "governance": "high", "standard-processes": None},
    pmo_type="controlling",
    objectives=["  Cut late projects by half ", "One view of the portfolio for the board"],
    targets={"governance": 4.5, "risk": 3.0},
    importance={"governance": 3, "tools": 1},
)


def test_a_saved_scope_loads_back_as_saved(fresh):
    saved = save_scope(fresh, "acme-rail-fictional", FULL)
    assert saved == load_scope(fresh, "acme-rail-fictional")
    assert saved.functions == {
        "lessons-learned": "low",
        "governance": "high",
        "standard-processes": None,
    }
    assert saved.objectives == (
        "Cut late projects by half",
        "One view of the portfolio for the board",
    )
    assert (saved.pmo_type, saved.targets, saved.importance) == (
        "controlling",
        {"governance": 4.5, "risk": 3.0},
        {"governance": 3, "tools": 1},
    )
    engagement = fresh.engagement("acme-rail-fictional")
    # stored in the method's order of functions, whatever order they were given in
    assert engagement.functions_in_scope == ("standard-processes", "governance", "lessons-learned")
    assert engagement.function_priorities == {"governance": "high", "lessons-learned": "low"}


def test_saving_replaces_the_targets_and_importance_as_a_whole(fresh):
    save_scope(fresh, "acme-rail-fictional", FULL)
    save_scope(fresh, "acme-rail-fictional", Scope(targets={"tools": 2.5}))
    engagement = fresh.engagement("acme-rail-fictional")
    assert (engagement.targets, engagement.importance) == ({"tools": 2.5}, {})
    assert (engagement.functions_in_scope, engagement.pmo_type, engagement.objectives) == (
        (),
        None,
        (),
    )


def test_saved_targets_and_importance_reach_the_report(demo):
    save_scope(demo, DEMO, Scope(targets={"governance": 5.0}, importance={"governance": 1}))
    gaps = {g.dimension: g for g in build_results(demo, DEMO).gaps}
    assert (gaps["governance"].target, gaps["governance"].importance) == (5.0, 1)
    assert gaps["risk"].target == 3.0  # no own target any more: the questionnaire's default


def test_a_scope_may_be_written_loosely():
    loose = Scope(functions=["governance", "lessons-learned"], objectives="Cut late projects")
    assert loose.functions == {"governance": None, "lessons-learned": None}
    assert loose.objectives == ("Cut late projects",)


def test_targets_follow_the_questionnaire_scale_in_half_steps():
    # pmo-maturity scores 1 to 5 in whole steps, so targets go 1, 1.5, ..., 5
    assert target_scale(MATURITY) == (1.0, 5.0, 0.5)


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        (
            Scope(functions={"governanse": "high"}),
            r"functions: unknown PMO function 'governanse' \(did you mean 'governance'\?\)\. "
            r"PMO functions: standard-processes, templates-and-tools, governance, ",
        ),
        (
            Scope(functions={"governance": "urgent"}),
            r"functions\['governance'\]: priority must be one of high, medium, low \(or None "
            r"while not ranked\); got 'urgent'\.",
        ),
        (
            Scope(pmo_type="strategic"),
            r"pmo_type: must be one of supportive, controlling, directive \(or None while not "
            r"chosen\); got 'strategic'\.",
        ),
        (
            Scope(objectives=["Cut late projects", "  "]),
            r"objectives item 2: an objective must be non-empty text; got '  '\.",
        ),
        (
            Scope(targets={"governance": 3.3}),
            r"targets\['governance'\]: the target must be a number from 1 to 5 in steps of "
            r"0\.5; got 3\.3\.",
        ),
        (
            Scope(targets={"governance": 5.5}),
            r"targets\['governance'\]: .* from 1 to 5 in steps of 0\.5; got 5\.5\.",
        ),
        (
            Scope(targets={"governance": "4"}),
            r"targets\['governance'\]: .* from 1 to 5 in steps of 0\.5; got '4'\.",
        ),
        (
            Scope(targets={"governance.stage-gates": 3.0}),
            r"targets: 'governance\.stage-gates' is not a top-level dimension of questionnaire "
            r"'pmo-maturity'\. Top-level dimensions: strategy, governance, processes, ",
        ),
        (
            Scope(importance={"risk": 4}),
            r"importance\['risk'\]: must be 1, 2 or 3 \(1 low, 2 normal, 3 high\); got 4\.",
        ),
        (
            Scope(importance={"risk": 2.5}),
            r"importance\['risk'\]: must be 1, 2 or 3 .*; got 2\.5\.",
        ),
        (
            Scope(targets=3.5),
            r"targets: must be a dict of top-level dimension id to target, e\.g\. "
            r'\{"governance": 3\.5\}; got 3\.5\.',
        ),
    ],
)
def test_a_wrong_field_is_named_and_nothing_is_saved(demo, scope, message):
    before = load_scope(demo, DEMO)
    with pytest.raises(
        ValidationError, match=r"1 problem in the scope of client 'quellbach-prazision':\n  1\. "
    ) as raised:
        save_scope(demo, DEMO, scope)
    assert raised.match(message)
    assert load_scope(demo, DEMO) == before


def test_every_problem_is_reported_at_once():
    wrong = Scope(
        functions={"governance": "top"},
        pmo_type="x",
        targets={"risk": 0.5},
        importance={"risk": 0},
    )
    fields = [p.location for p in scope_problems(wrong, MATURITY)]
    assert fields == [
        "functions['governance']",
        "pmo_type",
        "targets['risk']",
        "importance['risk']",
    ]


def test_a_fresh_client_has_every_step_ahead(fresh):
    status = engagement_status(fresh, "acme-rail-fictional")
    states = {s.key: s.state for s in status.steps}
    assert states == {
        "engagement": DONE,
        "scope": OPEN,
        "targets": OPEN,
        "assessment": OPEN,
        "analysis": LATER,
        "plan": OPEN,
        "briefing": OPEN,
        "monitoring": OPEN,
        "reassessment": LATER,
    }
    assert status.next_notebook == "01_scope_and_objectives.ipynb"
    save_scope(fresh, "acme-rail-fictional", FULL)
    after = engagement_status(fresh, "acme-rail-fictional")
    assert (after.step("scope").state, after.step("targets").state) == (DONE, DONE)
    assert "1 without a priority" in after.step("scope").detail  # standard-processes
    assert after.next_notebook == "02_interview.ipynb"


def test_a_demo_client_with_answers_is_sent_to_the_analysis(demo):
    status = engagement_status(demo, DEMO)
    assert [(s.key, s.state) for s in status.steps][2:6] == [
        ("targets", DONE),
        ("assessment", DONE),
        ("analysis", READY),
        ("plan", OPEN),
    ]
    assert status.step("assessment").detail.startswith("2 wave(s), latest 2026-Q3: ")
    assert status.step("reassessment").detail == "2 waves: 2025-Q4, 2026-Q3."
    assert status.next_notebook == "03_analysis.ipynb"
    assert "| Analysis | ready |" in status.markdown()


def test_decisions_briefing_and_project_records_move_the_status_on(demo):
    engagement = demo.engagement(DEMO)
    with demo.transaction() as conn:
        conn.execute(
            t.roadmap_actions.insert(),
            [
                {"engagement_id": engagement.id, "action_id": a, "status": s, "updated_at": NOW}
                for a, s in (("a1", "accepted"), ("a2", "dropped"))
            ],
        )
    status = engagement_status(demo, DEMO)
    assert status.step("plan").state == DONE
    assert status.step("plan").detail == "2 roadmap action(s): 1 accepted, 1 dropped."
    assert status.next_notebook == "05_executive_briefing.ipynb"
    briefing = demo.workspace / "briefings" / DEMO / "2026-Q3" / "briefing.html"
    briefing.parent.mkdir(parents=True)
    briefing.write_text("<html></html>")
    with demo.transaction() as conn:
        conn.execute(
            t.project_records.insert().values(
                engagement_id=engagement.id,
                project="Depot move",
                as_of=date(2026, 6, 30),
                imported_at=NOW,
            )
        )
    status = engagement_status(demo, DEMO)
    assert (status.step("briefing").state, status.step("monitoring").state) == (DONE, DONE)
    assert (
        status.step("monitoring").detail
        == "1 project record(s) in 1 snapshot(s), latest as of 2026-06-30."
    )
    assert status.next_notebook == "06_optimize_reassessment.ipynb"  # two waves: compare them


def test_thin_answers_keep_the_assessment_open(fresh):
    save_scope(fresh, "acme-rail-fictional", FULL)
    engagement = fresh.engagement("acme-rail-fictional")
    wave = fresh.ensure_wave(engagement.id, "2026-Q4")
    person = fresh.add_respondent(wave.id, "pmo")
    # all 5 strategy questions and governance.stage-gates (weight 2 of governance's 6): coverage
    # is the mean over the 12 equally weighted dimensions, (1 + 2/6) / 12 = 11%
    for question in list(MATURITY.questions())[:6]:
        fresh.record_answer(person.id, question.id, value=2.0)
    status = engagement_status(fresh, "acme-rail-fictional")
    assert status.step("assessment").state == PARTIAL
    assert status.step("assessment").detail.endswith("6 answers, 11% of the questions covered.")
    assert "on thin evidence." in status.step("analysis").detail
    assert status.next_notebook == "02_interview.ipynb"


def test_start_here_adds_a_client_once_and_starts_its_engagement(tmp_path):
    with Store.open(tmp_path / "ws") as store:
        empty = start_here(store)
        assert empty.slug is None and "no clients yet" in empty.text()
        assert engagement_status(store, None).next_notebook == "00_start_here.ipynb"
        first = start_here(
            store, new_client_name="Acme Rail (fictional)", industry="Rail", kind="establish"
        )
        again = start_here(store, new_client_name="Acme Rail (fictional)")
        assert first.slug == again.slug == "acme-rail-fictional"
        assert first.engagement == again.engagement and first.engagement.kind == "establish"
        assert "applies to a new engagement only" in again.text()  # kind="optimize" by default
        assert list(clients_table(store).data["client"]) == ["acme-rail-fictional"]
        assert store.client("acme-rail-fictional").industry == "Rail"
        with pytest.raises(
            PmoAssessError,
            match=r"Unknown client 'acme'\. Clients in this workspace: acme-rail-fictional\.",
        ):
            start_here(store, "acme")
        with pytest.raises(
            PmoAssessError,
            match=r"The 'kind' parameter must be one of establish, optimize\. Got 'fix'\.",
        ):
            start_here(store, kind="fix")


def test_a_store_at_revision_0002_gains_priorities_and_keeps_its_rows(tmp_path):
    from alembic import command
    from alembic.config import Config

    from pmo_assess.store.engine import LATEST_REVISION

    database = tmp_path / "old" / "pmo-assess.sqlite"
    database.parent.mkdir()
    shutil.copy(OLD_STORE, database)
    engine = sa.create_engine(f"sqlite:///{database}")
    config = Config()
    config.set_main_option("script_location", "pmo_assess.store:migrations")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
    engine.dispose()
    with Store.open(database.parent) as store:
        assert store.schema_revision() == LATEST_REVISION
        assert load_scope(store, "old-client") == Scope(
            functions={"governance": None}, pmo_type="controlling"
        )
        assert len(store.load_answers("old-client")) == 2
        save_scope(
            store, "old-client", Scope(functions={"governance": "high"}, pmo_type="controlling")
        )
        assert store.engagement("old-client").function_priorities == {"governance": "high"}


def test_the_scope_form_saves_what_is_chosen(demo):
    from pmo_assess.widgets.scope import ScopeForm

    form = ScopeForm(demo, DEMO, MATURITY)
    assert form.functions["governance"].value == "unranked"  # in the demo's scope, unranked
    form.functions["governance"].value = "high"
    form.functions["templates-and-tools"].value = "low"
    form.functions["lessons-learned"].value = "out"
    form.pmo_type.value = "directive"
    form.objectives.value = "Cut late projects by half\n\n  Fund only strategic projects "
    form.targets["risk"].value = "4.5"
    form.importance["risk"].value = 1
    form.save.click()
    assert form.message.value.startswith("Saved: ")
    saved = load_scope(demo, DEMO)
    assert saved.functions["governance"] == "high" and "lessons-learned" not in saved.functions
    assert saved.functions["templates-and-tools"] == "low"
    assert saved.objectives == ("Cut late projects by half", "Fund only strategic projects")
    assert (saved.pmo_type, saved.targets["risk"], saved.importance["risk"]) == (
        "directive",
        4.5,
        1,
    )


def test_the_form_refuses_an_off_scale_target_from_elsewhere_and_says_why(demo):
    from pmo_assess.widgets.scope import ScopeForm

    demo.set_dimension(demo.engagement(DEMO).id, "risk", 3.3, 2)  # not on the half steps
    form = ScopeForm(demo, DEMO, MATURITY)
    assert form.targets["risk"].value == "3.3"
    form.save.click()
    assert form.message.value.startswith("<b>Not saved.</b>")
    assert (
        "targets[&#x27;risk&#x27;]: the target must be a number from 1 to 5" in form.message.value
    )


@pytest.mark.parametrize("name", ["00_start_here", "01_scope_and_objectives"])
def test_the_notebooks_are_committed_without_outputs(name):
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert code[0].metadata["tags"] == ["parameters"]


def test_start_here_adds_a_new_client_in_an_empty_workspace(tmp_path):
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "00_start_here.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={
            "workspace": str(tmp_path / "ws"),
            "create_workspace": True,
            "new_client_name": "Acme Rail (fictional)",
        },
        kernel_name="python3",
        kernel_manager_class=IPCKernelManager,
        cwd=str(tmp_path),
        progress_bar=False,
    )
    with Store.open(tmp_path / "ws") as store:
        assert store.engagement("acme-rail-fictional").kind == "optimize"
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    shown = "".join(
        str(o.get("data", {}).get("text/markdown", ""))
        for c in executed.cells
        for o in c.get("outputs", [])
    )
    assert "**Next:** open `01_scope_and_objectives.ipynb`." in shown
