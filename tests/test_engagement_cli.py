"""Setting up an engagement without a notebook (issue 16 §3): ``client edit`` against the
benchmark's vocabulary, ``engagement set`` and ``show`` writing what notebook 01 writes, and
``wave set`` dating and renaming a wave. Run in-process through ``main``."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from pmo_assess.cli.main import main
from pmo_assess.core.paths import SAMPLE_DIR
from pmo_assess.engagement.scope import Scope, load_scope
from pmo_assess.insight.results import build_results
from pmo_assess.store.intake import import_survey_file, wave_dates_file
from pmo_assess.store.repository import Store

ANSWERS = str(SAMPLE_DIR / "answers_demo.csv")  # one client, wave 2026-Q3, 3 respondents
TOPS = "strategy, governance, processes, tools, portfolio, resources, performance, reporting"


def exit_code(argv: list[str]) -> int:
    """``main``'s exit code, whether argparse's exit (help, usage) is returned or raised."""
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2


class Cli:
    """``pmo-assess ... --workspace WS`` in this process: (exit code, stdout, stderr)."""

    def __init__(self, workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.workspace, self.capsys = workspace, capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main([*args, "--workspace", str(self.workspace)])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out

    def refused(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 1 and not out and "Traceback" not in err, (code, out, err)
        return " ".join(err.split())  # one line, whatever the wrapping


def imported(workspace: Path, wave: str, held_on: date | None = None) -> str:
    """The sample answers imported as ``wave`` (through the library: the import command is
    another issue's, and this file tests only what follows an import)."""
    with Store.open(workspace) as store:
        return import_survey_file(
            store, Path(ANSWERS), "acme", wave, held_on=held_on, relabel=True
        )  # the sample names Fabrikam Freight, wave 2026-Q3


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A workspace with client acme and the sample answers as wave 2026-Q3, dated by hand."""
    folder = tmp_path_factory.mktemp("engagement") / "ws"
    assert main(["client", "add", "Acme Rail (fictional)", "--slug", "acme",
                 "--industry", "Logistics", "--region", "DACH", "--workspace", str(folder)]) == 0  # fmt: skip
    imported(folder, "2026-Q3", date(2026, 8, 3))
    return folder


@pytest.fixture
def cli(template, tmp_path, capsys) -> Cli:
    shutil.copytree(template, tmp_path / "ws")
    capsys.readouterr()
    return Cli(tmp_path / "ws", capsys)


def stored(cli: Cli) -> Store:
    return Store.open(cli.workspace)


# --- clients and the vocabulary ------------------------------------------------------------------


def test_client_add_help_lists_the_vocabulary(capsys):
    assert exit_code(["client", "add", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    for name in ("Energy and utilities", "Financial services", "Public sector", "Telecoms"):
        assert name in shown
    assert "Small (<500 staff), Medium (500-5,000), Large (>5,000)" in shown
    assert "Large for Large (>5,000)" in shown


def test_an_industry_not_in_the_vocabulary_is_refused_with_the_closest(tmp_path, capsys):
    cli = Cli(tmp_path / "new", capsys)
    error = cli.refused("client", "add", "Acme Rail (fictional)", "--industry", "Rail")
    assert "industry: 'Rail' is not one of the benchmark's industries; closest: Retail." in error
    assert "Industries: Energy and utilities, Financial services, Healthcare, Logistics," in error
    assert not (tmp_path / "new").exists()  # refused before any store was made


def test_an_alias_is_stored_as_the_name_it_stands_for(tmp_path, capsys):
    cli = Cli(tmp_path / "new", capsys)
    cli.ok("client", "add", "Big Co (fictional)", "--slug", "big", "--size-band", "Large",
           "--industry", "telecommunications")  # fmt: skip
    with stored(cli) as store:
        client = store.client("big")
    assert (client.size_band, client.industry) == ("Large (>5,000)", "Telecoms")


def test_a_misspelt_band_is_refused_never_guessed(cli):
    error = cli.refused("client", "edit", "acme", "--size-band", "Larg", "--region", "Nordics")
    assert (
        "size band: 'Larg' is not one of the benchmark's size bands; closest: Large (>5,000)."
        in error
    )
    with stored(cli) as store:
        client = store.client("acme")
    assert (client.size_band, client.region) == (None, "DACH")  # nothing of the edit was saved


def test_client_edit_changes_only_what_is_given(cli):
    out = cli.ok("client", "edit", "acme", "--name", "Acme Freight (fictional)",
                 "--size-band", "medium", "--region", "")  # fmt: skip
    assert "size band: - -> Medium (500-5,000)" in out and "region: DACH -> -" in out
    with stored(cli) as store:
        client = store.client("acme")
        results = build_results(store, "acme")
    assert (client.slug, client.name, client.industry, client.size_band, client.region) == (
        "acme", "Acme Freight (fictional)", "Logistics", "Medium (500-5,000)", None
    )  # fmt: skip
    assert results.client["size_band"] == "Medium (500-5,000)"
    assert "Nothing to change: give --name" in cli.refused("client", "edit", "acme")
    assert "Unknown client 'acne'. Clients in this workspace: acme." in cli.refused(
        "client", "edit", "acne", "--region", "DACH"
    )


# --- the engagement --------------------------------------------------------------------------


def test_engagement_set_writes_what_notebook_01_saves(cli):
    out = cli.ok("engagement", "set", "--client", "acme", "--target", "governance=4",
                 "--target", "risk=3.5", "--importance", "governance=3",
                 "--function", "governance=high", "--function", "lessons-learned=unranked",
                 "--pmo-type", "controlling", "--objective", "One view of the portfolio")  # fmt: skip
    assert "Target governance: default -> 4" in out and "Function governance: out -> high" in out
    with stored(cli) as store:
        scope = load_scope(store, "acme")
        results = build_results(store, "acme")
    assert scope == Scope(
        functions={"governance": "high", "lessons-learned": None},
        pmo_type="controlling",
        objectives=("One view of the portfolio",),
        targets={"governance": 4.0, "risk": 3.5},
        importance={"governance": 3},
    )
    gaps = {g["dimension"]: g for g in results.to_dict()["gaps"]}
    assert (gaps["governance"]["target"], gaps["governance"]["importance"]) == (4.0, 3)
    # risk's own target replaces the questionnaire's 3; strategy keeps the questionnaire's
    assert (gaps["risk"]["target"], gaps["strategy"]["target"]) == (3.5, 3.0)
    shown = json.loads(cli.ok("engagement", "show", "--client", "acme", "--format", "json"))
    governance = next(d for d in shown["dimensions"] if d["id"] == "governance")
    assert governance == {"id": "governance", "title": governance["title"], "target": 4.0,
                          "target_set_by": "engagement", "importance": 3,
                          "importance_set_by": "engagement"}  # fmt: skip
    assert shown["functions"] == {"governance": "high", "lessons-learned": None}
    table = cli.ok("engagement", "show", "--client", "acme")
    assert "acme: optimize engagement, questionnaire pmo-maturity" in table
    assert "governance                   high" in table


def test_default_takes_a_setting_back_and_out_takes_a_function_out(cli):
    cli.ok("engagement", "set", "--client", "acme", "--target", "governance=4",
           "--importance", "governance=3", "--function", "governance=high")  # fmt: skip
    out = cli.ok("engagement", "set", "--client", "acme", "--target", "governance=default",
                 "--function", "governance=out")  # fmt: skip
    assert "Target governance: 4 -> default" in out
    with stored(cli) as store:
        scope = load_scope(store, "acme")
    assert (scope.targets, scope.importance, scope.functions) == ({}, {"governance": 3}, {})


def test_unknown_dimension_and_bad_values_are_refused_together_with_nothing_saved(cli):
    error = cli.refused("engagement", "set", "--client", "acme", "--target", "govern=4",
                        "--target", "risk=high", "--function", "governance=urgent",
                        "--pmo-type", "directive")  # fmt: skip
    assert "3 problems in the changes to client 'acme'" in error
    assert (
        f"'govern' is not a top-level dimension of questionnaire 'pmo-maturity'. Top-level dimensions: {TOPS}"
        in error
    )
    assert (
        "targets['risk']: the target must be a number from 1 to 5 in steps of 0.5; got 'high'."
        in error
    )
    assert "priority must be one of high, medium, low, unranked, out; got 'urgent'." in error
    with stored(cli) as store:
        assert load_scope(store, "acme") == Scope()  # not even the valid PMO type


@pytest.mark.parametrize("given", ["0", "4", "2.5", "high"])
def test_importance_outside_1_to_3_is_refused(cli, given):
    error = cli.refused(
        "engagement", "set", "--client", "acme", "--importance", f"governance={given}"
    )
    assert "importance['governance']: must be 1, 2 or 3 (1 low, 2 normal, 3 high)" in error


def test_an_assignment_without_a_value_is_a_usage_error(cli):
    args = ["engagement", "set", "--client", "acme", "--target", "governance"]
    assert exit_code([*args, "--workspace", str(cli.workspace)]) == 2
    assert (
        "expected DIM=VALUE, e.g. governance=3.5; got 'governance'" in cli.capsys.readouterr().err
    )


def test_changing_the_kind_keeps_the_waves_and_changes_the_frame(cli):
    out = cli.ok("engagement", "set", "--client", "acme", "--type", "establish")
    assert (
        "Engagement kind: optimize -> establish; its waves (2026-Q3) and their answers stay" in out
    )
    with stored(cli) as store:
        results = build_results(store, "acme")
    assert results.engagement["kind"] == "establish"
    assert results.wave["label"] == "2026-Q3" and results.respondents["total"] == 3


def test_engagement_set_starts_an_engagement_for_a_new_client(tmp_path, capsys):
    cli = Cli(tmp_path / "new", capsys)
    cli.ok("client", "add", "New Co (fictional)", "--slug", "new")
    assert "has no engagement yet; start one with: pmo-assess engagement set --client new" in (
        cli.refused("engagement", "show", "--client", "new")
    )
    out = cli.ok("engagement", "set", "--client", "new", "--type", "establish",
                 "--target", "governance=2.5")  # fmt: skip
    assert out.startswith("Started an establish engagement of new with questionnaire pmo-maturity")
    with stored(cli) as store:
        engagement = store.engagement("new")
    assert (engagement.kind, engagement.targets) == ("establish", {"governance": 2.5})


# --- waves -------------------------------------------------------------------------------------


def test_a_date_set_on_a_wave_is_kept_by_a_later_import(cli):
    out = cli.ok("wave", "set", "--client", "acme", "--wave", "2026-Q3", "--date", "2026-09-14")
    assert "Wave 2026-Q3 dated 14 September 2026, as given" in out
    again = imported(cli.workspace, "2026-Q3")
    assert "Wave 2026-Q3 keeps its date, 14 September 2026, given with --date" in again
    with stored(cli) as store:
        assert build_results(store, "acme").wave["held_on"] == "2026-09-14"


def test_a_rename_moves_the_label_its_date_and_points_to_the_old_reports(cli, tmp_path):
    old_reports = tmp_path / "reports" / "acme" / "2026-Q3"
    old_reports.mkdir(parents=True)
    out = cli.ok("wave", "set", "--client", "acme", "--wave", "2026-Q3", "--rename", "Baseline",
                 "--reports", str(tmp_path / "reports"))  # fmt: skip
    assert f"The reports of wave '2026-Q3' stay in {old_reports} and show the old label" in out
    assert f"go to {tmp_path / 'reports' / 'acme' / 'Baseline'}" in out
    with stored(cli) as store:
        results = build_results(store, "acme")
        dates = json.loads(wave_dates_file(store, "acme", "pmo-maturity").read_text())
    assert (results.wave["label"], results.wave["held_on"]) == ("Baseline", "2026-08-03")
    assert dates == {"Baseline": "2026-08-03"}  # the old label's entry went with it


def test_wave_set_refusals_name_what_exists(cli):
    assert "No wave '2026-Q2' (did you mean '2026-Q3'?). Waves of this engagement: 2026-Q3." in (
        cli.refused("wave", "set", "--client", "acme", "--wave", "2026-Q2", "--date", "2026-05-01")
    )
    assert "Nothing to change for wave '2026-Q3'" in cli.refused(
        "wave", "set", "--client", "acme", "--wave", "2026-Q3"
    )
    imported(cli.workspace, "2026-Q1", date(2026, 2, 1))
    assert "has a wave '2026-Q1' already; choose another label" in cli.refused(
        "wave", "set", "--client", "acme", "--wave", "2026-Q3", "--rename", "2026-Q1"
    )


def test_a_new_date_that_reorders_the_waves_says_which_is_latest(cli):
    imported(cli.workspace, "2026-Q1", date(2026, 2, 1))
    out = cli.ok("wave", "set", "--client", "acme", "--wave", "2026-Q1", "--date", "2026-12-01")
    assert "Waves, oldest first: 2026-Q3 (3 August 2026), 2026-Q1 (1 December 2026)." in out
    assert "The latest wave is now 2026-Q1 (it was 2026-Q3)" in out
    with stored(cli) as store:
        assert build_results(store, "acme").wave["label"] == "2026-Q1"
        held = {w.label: w.held_on for w in store.waves(store.engagement("acme").id)}
    assert held == {"2026-Q3": date(2026, 8, 3), "2026-Q1": date(2026, 12, 1)}
