"""The deck and the Word report from the commands consultants run: `report --format pptx,docx`
with `--template` files or the branding file's templates, and `batch`, whose digest includes the
templates and whose index links the new files."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from docx import Document
from pptx import Presentation
from report_shapes import build_shape

from pmo_assess.cli.main import main
from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.report.office import drawn_charts
from pmo_assess.report.render import html_outputs
from pmo_assess.store.repository import Store

DATA = Path(__file__).parent / "data"
CLIENT = "quellbach-prazision"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("office-commands") / "ws"
    with Store.open(folder) as store:
        build_demo_workspace(store, clients=1)
    return folder


def test_report_writes_the_deck_and_document_in_the_firm_templates(demo, tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(
        [
            *("report", "--client", CLIENT, "--workspace", str(demo), "--out", str(out)),
            *("--format", "pptx,docx"),
            *("--template", str(DATA / "firm.pptx"), "--template", str(DATA / "firm.docx")),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    folder = next(out.glob(f"{CLIENT}/*"))
    assert (
        f"Wrote {folder / 'deck.pptx'}" in printed and f"Wrote {folder / 'report.docx'}" in printed
    )
    deck = Presentation(str(folder / "deck.pptx"))
    assert "Firm marker" in [shape.name for shape in deck.slide_masters[0].shapes]
    document = Document(str(folder / "report.docx"))
    header = " ".join(p.text for p in document.sections[-1].header.paragraphs)
    assert "FIRM-MARKER" in header or "FIRM-MARKER" in "".join(
        p.text for p in document.sections[0].header.paragraphs
    )
    assert not (folder / "report.html").exists(), "only the formats asked for"
    # the document reuses the charts the report notebook drew, byte for byte, not new drawings
    outputs = html_outputs(nbformat.read(folder / "report.ipynb", as_version=4))
    drawn = drawn_charts(outputs)
    pictures = {part.blob for part in document.part.package.parts if "image" in part.content_type}
    # every chart of the notebook carries its key: none is drawn a second time for Word
    assert len(drawn) == sum(html.count('<figure class="exhibit"') for html in outputs) >= 5
    assert set(drawn.values()) <= pictures


def test_two_templates_for_one_format_are_refused(demo, tmp_path, capsys):
    code = main(
        [
            *("report", "--client", CLIENT, "--workspace", str(demo), "--out", str(tmp_path)),
            *("--format", "pptx", "--template", str(DATA / "firm.pptx")),
            *("--template", str(DATA / "firm.pptx")),
        ]
    )
    assert code == 1
    assert "give one template per format" in capsys.readouterr().err


def test_the_batch_digest_includes_the_templates_and_the_index_links_the_files(
    demo, tmp_path, capsys
):
    out, template = tmp_path / "reports", tmp_path / "firm.pptx"
    shutil.copyfile(DATA / "firm.pptx", template)
    branding = tmp_path / "branding.yaml"
    branding.write_text('firm_name: "Northlight Advisory"\ndeck_template: "firm.pptx"\n')
    run = [
        *("batch", "--workspace", str(demo), "--out", str(out), "--workers", "1"),
        *("--format", "html,pptx", "--branding", str(branding)),
    ]
    assert main(run) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "deck.pptx" in index and ">Deck<" in index
    deck = next(out.glob(f"{CLIENT}/*/deck.pptx"))
    assert "Firm marker" in [s.name for s in Presentation(str(deck)).slide_masters[0].shapes]
    capsys.readouterr()
    assert main(run) == 0
    assert "skipped" in capsys.readouterr().out.lower(), "nothing changed: nothing rendered"
    with template.open("ab") as changed:  # a firm's new template version
        changed.write(b"\0")
    assert main(run) == 0
    assert "rendered" in capsys.readouterr().out.lower(), "a changed template renders again"


def test_the_branding_file_names_the_templates_and_the_deck_layouts(tmp_path):
    from pmo_assess.core.errors import ValidationError
    from pmo_assess.report.branding import load_branding

    shutil.copyfile(DATA / "firm.pptx", tmp_path / "firm.pptx")
    good = tmp_path / "branding.yaml"
    good.write_text('deck_template: "firm.pptx"\ndeck_layouts:\n  content: "Firm Text"\n')
    branding = load_branding(good)
    assert branding.template_for("pptx") == (tmp_path / "firm.pptx").resolve()
    assert branding.deck_layouts == {"content": "Firm Text"}
    bad = tmp_path / "bad.yaml"
    bad.write_text('deck_template: "../firm.docx"\ndeck_layouts:\n  chart: "X"\n')
    with pytest.raises(ValidationError) as error:
        load_branding(bad)
    message = str(error.value)
    assert "bad.yaml:1: deck_template" in message and ".pptx or .potx" in message
    assert "bad.yaml:2: deck_layouts maps a kind of slide" in message


def test_a_second_render_after_commentary_writes_word_in_a_firm_s_own_model(tmp_path, capsys):
    """A workspace questionnaire (four levels, its own words): `render --format docx` after an
    edit reads the engagement's from the store, the report folder keeping none."""
    workspace, out = tmp_path / "ws", tmp_path / "reports"
    with Store.open(workspace) as store:
        slug = build_shape(store, "four-level")
    common = ("--workspace", str(workspace))
    assert main(["report", "--client", slug, *common, "--out", str(out), "--format", "html"]) == 0
    folder = out / slug / "W2"
    notebook = nbformat.read(folder / "report.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("Steering group: **monthly** reviews."))
    nbformat.write(notebook, folder / "report.ipynb")
    capsys.readouterr()
    code = main(["render", str(folder / "report.ipynb"), *common, "--format", "html,docx"])
    assert code == 0, capsys.readouterr().err
    text = " ".join(p.text for p in Document(str(folder / "report.docx")).paragraphs)
    assert "Steering group: monthly reviews." in text
    assert "Planning and Estimation" in text and "delivery practice" in text
