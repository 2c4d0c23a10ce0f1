"""Client reports: run the report notebook for one client and wave, then turn it into a
self-contained HTML file and a print-quality PDF. With ``report_preprocessor``, the only module
that knows nbconvert.

Each run executes ``notebooks/report.ipynb`` with papermill in a fresh kernel (IPC transport), in
a private work folder holding ``results.json`` and ``branding.json``: the notebook gets data by
path, relative to itself, so the kept notebook carries no machine paths. A notebook whose
execution failed never becomes a client report. Every output is written atomically.

Commentary comes in as data (the caller reads it from the store): its Markdown cells are put
after the sections they follow in the executed notebook, so the kept ``report.ipynb``, the HTML
and the PDF all show it. A report written in some formats removes the file of any other format
left in its folder by an earlier render, so the files beside each other always agree.
"""

from __future__ import annotations

import base64
import functools
import json
import math
import os
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_assess.core.atomic import atomic_path, write_text_atomic
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.paths import PACKAGE_DIR, QUESTIONNAIRE_FILE, report_notebook
from pmo_assess.core.timing import CpuStages
from pmo_assess.core.workspace import check_slug, inside, wave_folder_name
from pmo_assess.insight.results import ClientResults
from pmo_assess.model.commentary import Commentary, CommentaryPiece
from pmo_assess.report.anchors import HIDDEN_TAGS
from pmo_assess.report.branding import Branding
from pmo_assess.report.commentary_cells import ORIGIN_KEY, notebook_commentary, with_commentary
from pmo_assess.report.guard import script_in, write_report_pdf
from pmo_assess.report.office import OFFICE_FORMATS, output_name
from pmo_assess.report.streams import drop_stderr

if TYPE_CHECKING:
    # nbformat and nbconvert are imported where used: the CLI's quick commands (a batch with
    # nothing to render, ``--help``) then start in a fraction of the time.
    import nbformat

ASSETS = PACKAGE_DIR / "report" / "assets"
#: The formats a report is written in unless told otherwise, and every format it can be.
FORMATS = ("html", "pdf")
ALL_FORMATS = ("html", "pdf", "pptx", "docx")
_FONTS = (
    ("Lato-Light.ttf", 300, "normal"),
    ("Lato-Regular.ttf", 400, "normal"),
    ("Lato-Italic.ttf", 400, "italic"),
    ("Lato-Bold.ttf", 700, "normal"),
    ("Lato-Black.ttf", 900, "normal"),
)


class ReportFailed(PmoAssessError):
    """The report notebook failed: which cell, and why. No client report was written.

    ``notebook`` is the failed run as papermill saved it (error banners included), for a log;
    it is never a client report.
    """

    def __init__(
        self,
        message: str,
        notebook: nbformat.NotebookNode | None = None,
        kernel_log: str = "",
    ) -> None:
        super().__init__(message)
        self.notebook = notebook
        self.kernel_log = kernel_log


class KernelFailed(ReportFailed):
    """The kernel would not start, or died: worth one more try with a fresh kernel."""


@dataclass(frozen=True)
class ReportOutputs:
    """The files of one rendered report; ``removed``: files of other formats an earlier render
    had left beside them (see :func:`stale_note`); ``notes``: what was saved on the way;
    ``cpu``: CPU seconds by stage (``kernel``, ``notebook``, ``html``, ``pdf``, ``pptx``,
    ``docx``), for the batch's manifest and ``bench/batch.py``."""

    folder: Path
    files: dict[str, Path]
    removed: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()
    cpu: dict[str, float] = field(default_factory=dict)


def report_folder(out_dir: Path, client_slug: str, wave_label: str) -> Path:
    """The folder of a client's wave, always inside ``out_dir`` whatever the names hold."""
    return inside(out_dir, check_slug(client_slug), wave_folder_name(wave_label))


def render_results(
    results: ClientResults,
    folder: Path,
    formats: tuple[str, ...] = FORMATS,
    branding: Branding | None = None,
    timeout: float = 600,
    questionnaire: Path | None = None,
    on_cell_executed: Callable[..., object] | None = None,
    commentary: Commentary | None = None,
    templates: Mapping[str, Path] | None = None,
) -> ReportOutputs:
    """Execute the report notebook on ``results`` and write every output into ``folder``.

    ``questionnaire`` is the file the results were scored with (see
    :func:`pmo_assess.insight.results.questionnaire_file`); without it the notebook looks the
    questionnaire up by id among the built-in ones. ``on_cell_executed`` is nbclient's hook,
    called in this process after each code cell has run (the batch's test hook uses it).
    ``commentary`` is the client's saved commentary for this wave; the kept notebook records its
    revision and an id of its own, so a later ``render`` of it knows what it was made from.
    ``templates`` are the firm's PowerPoint and Word templates by format (``pptx``, ``docx``).
    """
    check_formats(formats)
    branding = branding or Branding()
    folder.mkdir(parents=True, exist_ok=True)
    stages = CpuStages()
    # the process id in the name lets the next batch tell a killed render's folder from a live one
    with tempfile.TemporaryDirectory(prefix=f".work-pid{os.getpid()}-", dir=folder) as work_dir:
        work = Path(work_dir)
        (work / "results.json").write_text(results.to_json(), encoding="utf-8")
        (work / "branding.json").write_text(json.dumps(asdict(branding)), encoding="utf-8")
        if questionnaire is not None:
            shutil.copyfile(questionnaire, work / QUESTIONNAIRE_FILE)
        with stages.stage("notebook"):  # this process's share: papermill, nbformat
            notebook = execute_report_notebook(
                work,
                timeout,
                title=report_title(results),
                on_cell_executed=on_cell_executed,
                stages=stages,
            )
    commentary = commentary or Commentary(results.client["slug"], results.wave["label"])
    notebook = with_commentary(notebook, commentary.pieces)
    notebook.metadata["pmo_assess"][ORIGIN_KEY] = {
        "revision": commentary.revision,
        "notebook": uuid.uuid4().hex[:12],
    }
    files = {
        "results": folder / "results.json",
        "notebook": folder / "report.ipynb",
        "branding": folder / "branding.json",
    }
    write_text_atomic(files["results"], results.to_json())
    write_text_atomic(files["branding"], json.dumps(asdict(branding), indent=2) + "\n")
    import nbformat

    with stages.stage("notebook"):
        write_text_atomic(files["notebook"], nbformat.writes(notebook) + "\n")
    written = export_notebook(notebook, folder, formats, branding, stages)
    if set(formats) & set(OFFICE_FORMATS):
        from pmo_assess.insight.contract import read_results
        from pmo_assess.model.loading import load_questionnaire
        from pmo_assess.report.office import drawn_charts, export_office
        from pmo_assess.report.sections import ReportBook

        with stages.stage("office"):  # what the deck and the document share
            scored_with = load_questionnaire(questionnaire or results.questionnaire["id"])
            book = ReportBook(read_results(files["results"]), branding, scored_with)
            pictures = drawn_charts(html_outputs(notebook))
        written |= export_office(
            book, folder, formats, templates, commentary.pieces, pictures, stages
        )
    outputs = ReportOutputs(folder, files | written, cpu=stages.rounded())
    return _with_stale_removed(outputs, formats)


def html_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """The HTML outputs of an executed notebook's code cells, in order."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                found.append(html if isinstance(html, str) else "".join(html))
    return found


def check_formats(formats: Sequence[str]) -> None:
    """Refuse a format the report cannot be written in, naming those it can."""
    unknown = sorted(set(formats) - set(ALL_FORMATS))
    if unknown:
        raise PmoAssessError(
            f"Unsupported report format(s) {', '.join(unknown)}. Supported formats: "
            f"{', '.join(ALL_FORMATS)}."
        )


def execute_report_notebook(
    work: Path,
    timeout: float,
    title: str,
    on_cell_executed: Callable[..., object] | None = None,
    stages: CpuStages | None = None,
) -> nbformat.NotebookNode:
    """Run the template in ``work`` with a fresh kernel; raise :class:`ReportFailed` on any error.
    The kernel's own CPU seconds are counted in ``stages`` as ``kernel``."""
    import nbformat
    import papermill  # imported here: a heavy import only report runs need
    from papermill.exceptions import PapermillExecutionError

    from pmo_assess.report.kernels import ReportKernelManager, reap_kernels, take_kernel_cpu

    take_kernel_cpu()  # a kernel of an earlier run that failed is not this one

    output = work / "report.ipynb"
    watchdog = KernelWatchdog(timeout)
    try:
        with watchdog:
            papermill.execute_notebook(
                str(report_notebook()),
                str(output),
                cwd=str(work),
                kernel_name="python3",
                parameters={"results_path": "results.json", "branding_path": "branding.json"},
                kernel_manager_class=ReportKernelManager,
                execution_timeout=math.ceil(timeout),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                shutdown_kernel="immediate",  # nothing in a finished report kernel to save
                on_cell_executed=on_cell_executed,  # passed on to nbclient
            )
    except PapermillExecutionError as exc:
        if watchdog.fired:
            raise ReportFailed(
                timeout_message(timeout), _read_failed(output), _kernel_log(work)
            ) from None
        raise ReportFailed(
            failure_message(exc.cell_index, exc.source, exc.ename, exc.evalue),
            _read_failed(output),
            _kernel_log(work),
        ) from None
    except (RuntimeError, TimeoutError) as exc:  # the kernel would not start, or died
        if watchdog.fired:
            raise ReportFailed(
                timeout_message(timeout), _read_failed(output), _kernel_log(work)
            ) from None
        raise KernelFailed(
            f"The report notebook's kernel failed ({type(exc).__name__}: {exc}). "
            "No client report was written.",
            _read_failed(output),
            _kernel_log(work),
        ) from None
    finally:
        reap_kernels()
    if stages is not None:
        stages.add("kernel", take_kernel_cpu() or 0.0)
    notebook = nbformat.read(output, as_version=4)
    return clean_notebook(notebook, title)


class KernelWatchdog:
    """Kills the kernels this process started if one notebook runs longer than ``seconds``.

    papermill's ``execution_timeout`` limits each cell; this limits the notebook as a whole.
    The run then fails as a dead kernel, reported as a timeout.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._timer: threading.Timer | None = None

    def __enter__(self) -> KernelWatchdog:
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def _fire(self) -> None:
        from pmo_assess.report.kernels import kill_live_kernels

        self.fired = True
        kill_live_kernels()


def timeout_message(seconds: float) -> str:
    """The failure of a notebook stopped by its time limit."""
    return (
        f"The report notebook ran longer than its time limit of {seconds:g} s and was stopped. "
        "No client report was written."
    )


def _kernel_log(work: Path, limit: int = 20_000) -> str:
    """The end of what the kernel printed while running the notebook."""
    from pmo_assess.report.kernels import KERNEL_LOG

    try:
        text = (work / KERNEL_LOG).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-limit:]


def _read_failed(path: Path) -> nbformat.NotebookNode | None:
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError, nbformat.ValidationError):
        return None


def failure_message(cell_index: int, source: str, ename: str, evalue: str) -> str:
    """Say which cell failed and why, in one line a consultant can act on."""
    first_line = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return (
        f"The report notebook failed in cell {cell_index + 1} (`{first_line[:80]}`): {ename}: {evalue.rstrip().rstrip('.')}. "
        "No client report was written."
    )


def clean_notebook(notebook: nbformat.NotebookNode, title: str) -> nbformat.NotebookNode:
    """Drop run metadata that names machine paths or times, and what the kernel wrote to stderr
    (logged instead: a warning names a file on this machine); keep what re-rendering needs."""
    drop_stderr(notebook)
    notebook.metadata.pop("papermill", None)
    notebook.metadata["pmo_assess"] = {"title": title, "lang": "en"}
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return notebook


def export_notebook(
    notebook: nbformat.NotebookNode,
    folder: Path,
    formats: tuple[str, ...],
    branding: Branding | None = None,
    stages: CpuStages | None = None,
) -> dict[str, Path]:
    """Turn an executed report notebook into ``report.html`` and/or ``report.pdf`` in ``folder``
    (CPU time counted in ``stages``, by format)."""
    refuse_failed(notebook)
    if not set(formats) & {"html", "pdf"}:
        return {}
    stages = stages or CpuStages()
    with stages.stage("html"):
        html = notebook_html(notebook, branding or Branding())
    written = {}
    if "html" in formats:
        written["html"] = folder / "report.html"
        with stages.stage("html"):
            write_text_atomic(written["html"], html)
    if "pdf" in formats:
        written["pdf"] = folder / "report.pdf"
        with stages.stage("pdf"), atomic_path(written["pdf"]) as temporary:
            write_report_pdf(html, temporary, folder, stylesheet(branding or Branding()))
    return written


def render_notebook(path: str | Path, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Re-render an executed (and perhaps annotated) report notebook beside itself."""
    return rerender_notebook(path, formats).files


def rerender_notebook(
    path: str | Path,
    formats: tuple[str, ...] = FORMATS,
    commentary: Sequence[CommentaryPiece] | None = None,
    templates: Mapping[str, Path] | None = None,
    questionnaire: Path | None = None,
) -> ReportOutputs:
    """Re-render a kept report notebook beside itself, without running it again; with
    ``commentary``, that replaces the notebook's own (placed after the sections it follows).
    The notebook file itself is left as it is. The deck and the document read ``questionnaire``
    (the engagement's, from the store), else the built-in one of the results' id."""
    path = Path(path)
    notebook = read_kept_notebook(path)
    if commentary is not None:
        notebook = with_commentary(notebook, commentary)
    branding_file = path.with_name("branding.json")
    branding = (
        Branding(**json.loads(branding_file.read_text(encoding="utf-8")))
        if branding_file.is_file()
        else None
    )
    check_formats(formats)
    written = export_notebook(notebook, path.parent, formats, branding)
    if set(formats) & set(OFFICE_FORMATS):
        from pmo_assess.report.office import drawn_charts, export_office
        from pmo_assess.report.sections import ReportBook

        book = ReportBook.load(path.with_name("results.json"), branding_file, questionnaire)
        pieces = commentary if commentary is not None else notebook_commentary(notebook)
        pictures = drawn_charts(html_outputs(notebook))
        written |= export_office(book, path.parent, formats, templates, pieces, pictures)
    return _with_stale_removed(ReportOutputs(path.parent, written), formats)


def read_kept_notebook(path: Path) -> nbformat.NotebookNode:
    """A report notebook `pmo-assess report` wrote; a clear error for anything else."""
    import nbformat

    if not path.is_file():
        raise PmoAssessError(f"Notebook not found: {path}")
    try:
        notebook = nbformat.read(path, as_version=4)
    except (ValueError, nbformat.reader.NotJSONError) as exc:
        raise PmoAssessError(
            f"{path} cannot be read as a notebook ({type(exc).__name__}: {exc}). Open it in "
            "JupyterLab to repair it, or move it away and run `pmo-assess report` again."
        ) from None
    if "pmo_assess" not in notebook.metadata:
        raise PmoAssessError(
            f"{path} is not an executed pmo-assess report notebook; run `pmo-assess report` first."
        )
    return notebook


def _with_stale_removed(outputs: ReportOutputs, formats: tuple[str, ...]) -> ReportOutputs:
    """Remove the report files of other formats an earlier render left beside the new ones: a
    PDF and an HTML file side by side must say the same."""
    removed = []
    for other in ALL_FORMATS:
        stale = outputs.folder / output_name(other)
        if other not in formats and stale.is_file():
            stale.unlink()
            removed.append(stale)
    return replace(outputs, removed=tuple(removed))


def stale_note(removed: Path, formats: tuple[str, ...]) -> str:
    """What to tell the user of a report file :class:`ReportOutputs` lists as ``removed``."""
    new = " and ".join(output_name(f) for f in formats)
    return (
        f"Removed {removed.name}, older than the new {new}; run with --format "
        f"{','.join([*formats, removed.suffix[1:]])} to make it again."
    )


def refuse_failed(notebook: nbformat.NotebookNode) -> None:
    """A notebook with an error output, or papermill's error banner, is never a client report."""
    for index, cell in enumerate(notebook.cells, start=1):
        if "papermill-error-cell-tag" in cell.metadata.get("tags", []):
            raise ReportFailed(
                "The notebook holds papermill's error banner: its run failed. No client report was written."
            )
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise ReportFailed(
                    f"Cell {index} of the notebook holds an error ({output.get('ename')}: "
                    f"{output.get('evalue')}). No client report was written."
                )


def notebook_html(notebook: nbformat.NotebookNode, branding: Branding) -> str:
    """The self-contained report page: outputs only, stylesheet and fonts inlined."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from pmo_assess.report.commentary import sanitize_commentary

    exporter = HTMLExporter(
        template_name="pmo_report",
        extra_template_basedirs=[str(ASSETS / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS, enabled=True), enabled=True
    )
    # commentary cells: their Markdown, once HTML, goes through nbconvert's sanitiser
    exporter.register_filter("sanitize_commentary", sanitize_commentary)
    meta = notebook.metadata.get("pmo_assess", {})
    resources: dict[str, Any] = {
        "report": {
            "lang": meta.get("lang", "en"),
            "title": meta.get("title", "Report"),
            "css": stylesheet(branding),
        }
    }
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    html = with_contents(body)
    # the last guard: whatever reached the page, a report never carries script
    if found := script_in(html):
        raise ReportFailed(
            f"The rendered report would carry script ({found}); refusing to write it. "
            "Check commentary cells and outputs for raw HTML."
        )
    return html


def with_contents(html: str) -> str:
    """Fill the contents placeholder with every section heading, linked (page numbers in print)."""
    headings = re.findall(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', html, re.DOTALL)
    items = "".join(
        f'<li><span class="num">{n}</span><a href="#{anchor}">{text}</a></li>'
        for n, (anchor, text) in enumerate(headings, start=1)
    )
    return html.replace("<!-- contents -->", f"<ol>{items}</ol>", 1)


def stylesheet(branding: Branding) -> str:
    """The report's CSS with the font embedded and the brand's colours."""
    faces = "\n".join(
        f'@font-face {{ font-family: "Lato"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{_font_uri(name)}") format("truetype"); }}'
        for name, weight, style in _FONTS
    )
    colours = f":root {{ --brand: {branding.primary}; --accent: {branding.accent}; }}"
    css = (ASSETS / "report.css").read_text(encoding="utf-8")
    return f"{faces}\n{css}\n{colours}\n.anchor-link {{ display: none; }}\n"


def report_title(results: ClientResults) -> str:
    """The page title: client, questionnaire and wave."""
    return f"{results.client['name']} · {results.questionnaire['title']} · {results.wave['label']}"


@functools.cache  # the package's own font files; every report embeds the same five
def _font_uri(name: str) -> str:
    data = (ASSETS / "fonts" / name).read_bytes()
    return "data:font/ttf;base64," + base64.b64encode(data).decode()
