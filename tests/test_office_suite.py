"""The deck and the Word report open in a real office suite: Debian's LibreOffice converts each to
PDF headless, in the built-in look and in a firm's templates, and the PDF has the pages expected
(one per slide; a document of several pages). Skipped, saying why, where LibreOffice is missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from pmo_assess.engagement.demo import build_demo_workspace
from pmo_assess.insight.results import build_results
from pmo_assess.report.office import export_office
from pmo_assess.report.sections import ReportBook
from pmo_assess.store.repository import Store

SOFFICE = shutil.which("soffice")
DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-impress "
    "libreoffice-writer); .ci/run installs it",
)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> ReportBook:
    folder = tmp_path_factory.mktemp("office")
    with Store.open(folder / "ws") as store:
        build_demo_workspace(store, clients=1)
        results = build_results(store, store.clients()[0].slug)
    (folder / "results.json").write_text(results.to_json(), encoding="utf-8")
    return ReportBook.load(folder / "results.json")


def to_pdf(document: Path, out: Path) -> Path:
    """LibreOffice's own conversion, with a profile of its own (parallel runs collide)."""
    profile = out / "profile"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = out / f"{document.stem}.pdf"
    assert converted.is_file(), f"LibreOffice wrote no PDF for {document.name}"
    return converted


@pytest.mark.parametrize("firm", [False, True], ids=["built-in", "firm-templates"])
def test_the_deck_and_the_document_open_in_libreoffice(book, tmp_path, firm):
    templates = {"pptx": DATA / "firm.pptx", "docx": DATA / "firm.docx"} if firm else {}
    written = export_office(book, tmp_path, ("pptx", "docx"), templates)
    deck_pdf = to_pdf(written["pptx"], tmp_path)
    slides = len(Presentation(str(written["pptx"])).slides)
    assert len(PdfReader(deck_pdf).pages) == slides >= 8
    document_pdf = to_pdf(written["docx"], tmp_path)
    pages = len(PdfReader(document_pdf).pages)
    assert pages >= 5, f"the Word report converted to {pages} page(s)"
    text = "".join(page.extract_text() for page in PdfReader(document_pdf).pages)
    assert book.results["client"]["name"] in text
