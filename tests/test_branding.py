"""The firm's branding: read from a small YAML file, checked, and shown on the report."""

from __future__ import annotations

import pytest

from pmo_assess.core.errors import ValidationError
from pmo_assess.report.branding import Branding, load_branding
from pmo_assess.report.render import stylesheet
from pmo_assess.report.sections import ReportBook

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def test_branding_file_sets_name_logo_and_colours(tmp_path):
    (tmp_path / "logo.svg").write_text(LOGO, encoding="utf-8")
    path = tmp_path / "firm.yaml"
    path.write_text(
        'firm_name: "Northlight Advisory"\nlogo: "logo.svg"\nprimary: "#123456"\naccent: "#654321"\n'
    )
    branding = load_branding(path)
    assert (branding.firm_name, branding.primary, branding.accent) == (
        "Northlight Advisory",
        "#123456",
        "#654321",
    )
    assert branding.logo_data_uri.startswith("data:image/svg+xml;base64,")
    css = stylesheet(branding)
    assert "--brand: #123456" in css and "--accent: #654321" in css


def test_bad_branding_is_reported_with_lines(tmp_path):
    path = tmp_path / "firm.yaml"
    path.write_text('firm_name: "X"\nprimary: red\nlogo: "missing.png"\ncolour: "#000000"\n')
    with pytest.raises(ValidationError) as raised:
        load_branding(path)
    messages = [str(p) for p in raised.value.problems]
    assert any(":2: 'primary' must be a colour like" in m for m in messages)
    assert any(
        ":3: logo 'missing.png' must be an existing SVG, PNG or JPEG file" in m for m in messages
    )
    assert any(":4: unknown key 'colour'" in m for m in messages)


def results_stub() -> dict:
    return {
        "client": {"name": "Acme <Rail> (fictional)"},
        "engagement": {"kind": "optimize"},
        "wave": {"label": "2026-Q3", "held_on": "2026-08-03", "latest": True},
        "respondents": {"total": 4},
        "questionnaire": {
            "id": "pmo-maturity",
            "title": "PMO Maturity Assessment",
            "subject": "PMO",
            "benefits": [],
        },
    }


def test_the_cover_names_the_firm_only_when_branded():
    from pmo_assess import load_questionnaire

    questionnaire = load_questionnaire("pmo-maturity")
    plain = ReportBook(results_stub(), Branding(), questionnaire).cover().markup
    branded = (
        ReportBook(results_stub(), Branding(firm_name="Northlight Advisory"), questionnaire)
        .cover()
        .markup
    )
    assert "Prepared by" not in plain
    assert "<dt>Prepared by</dt><dd>Northlight Advisory</dd>" in branded
    assert "Acme &lt;Rail&gt; (fictional)" in branded and "<Rail>" not in branded
