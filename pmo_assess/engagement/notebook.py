"""What every step notebook does first: find the workspace, the client and the engagement it works
on, say so in one line, and show the package's user errors as messages instead of tracebacks.

The workspace is the ``workspace`` parameter, else ``$PMO_ASSESS_WORKSPACE``; the client is the
``client`` parameter, else ``$PMO_ASSESS_CLIENT`` (the cockpit's ``--client``), else the one chosen
in ``00_start_here`` (or with ``pmo-assess use``), else the workspace's only client. Nothing is guessed beyond that and nothing is created: a notebook
that cannot tell what to open says what to set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from IPython import get_ipython
from IPython.display import HTML, FileLink, display

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import DATABASE_FILE
from pmo_assess.engagement.selection import Selection, remember, remembered
from pmo_assess.report.markup import esc
from pmo_assess.store.records import Client, Engagement, Wave
from pmo_assess.store.repository import Store

WORKSPACE_VARIABLE = "PMO_ASSESS_WORKSPACE"
#: Set by ``pmo-assess cockpit --client``: the client its pages open, without changing the choice
#: remembered in the workspace.
CLIENT_VARIABLE = "PMO_ASSESS_CLIENT"

_CHOOSE = "Choose one in 00_start_here or with `pmo-assess use CLIENT`"


@dataclass(frozen=True, repr=False)
class Step:
    """What a step notebook works on, and how it was chosen."""

    store: Store
    client: Client
    engagement: Engagement
    wave: Wave | None
    #: How the client was found, e.g. "the client parameter", said in the banner.
    chosen_by: str

    @property
    def slug(self) -> str:
        return self.client.slug

    @property
    def workspace(self) -> Path:
        return self.store.workspace

    def banner_text(self) -> str:
        """One line of plain text: client, engagement, wave, workspace."""
        wave = f"wave {self.wave.label}" if self.wave else "no wave yet"
        return (
            f"{self.client.name} ({self.slug}) · {self.engagement.kind} engagement, "
            f"{self.engagement.questionnaire_id} {self.engagement.questionnaire_version} · "
            f"{wave} · workspace {self.workspace.resolve()} · chosen by {self.chosen_by}"
        )

    def __repr__(self) -> str:
        return self.banner_text()

    def _repr_html_(self) -> str:
        wave = f"wave <b>{esc(self.wave.label)}</b>" if self.wave else "no wave yet"
        return (
            '<div class="pmo-step-banner" style="padding:6px 10px;border-left:4px solid #1f4e79;'
            'background:#f3f6fa;font-size:0.95em">'
            f"<b>{esc(self.client.name)}</b> ({esc(self.slug)}) · "
            f"{esc(self.engagement.kind)} engagement, {esc(self.engagement.questionnaire_id)} "
            f"{esc(self.engagement.questionnaire_version)} · {wave} · workspace "
            f"<code>{esc(str(self.workspace.resolve()))}</code>"
            f' <span style="color:#666">(chosen by {esc(self.chosen_by)})</span></div>'
        )


def notebook_workspace(workspace: str = "") -> Path:
    """The workspace folder a notebook opens: the parameter, else ``$PMO_ASSESS_WORKSPACE``.

    Unlike the command line there is no ``./workspace`` default: a notebook runs in the
    ``notebooks/`` folder, where a silent default would start a second, empty workspace.
    """
    chosen = workspace.strip() or os.environ.get(WORKSPACE_VARIABLE, "").strip()
    if not chosen:
        raise PmoAssessError(
            f"No workspace chosen. Set {WORKSPACE_VARIABLE} before starting JupyterLab "
            f"(e.g. `{WORKSPACE_VARIABLE}=~/clients/workspace jupyter lab`), or set the "
            "`workspace` parameter of this notebook to the workspace folder."
        )
    return Path(chosen).expanduser()


def open_workspace(workspace: str = "", *, create: bool = False) -> Store:
    """The workspace's store; refused, naming the folder, when it has none and ``create`` is False."""
    install_error_display()
    folder = notebook_workspace(workspace)
    if (
        not create
        and not os.environ.get("PMO_ASSESS_DB")
        and not (folder / DATABASE_FILE).is_file()
    ):
        raise PmoAssessError(
            f"No workspace in {folder.resolve()}: it holds no store ({DATABASE_FILE}). Check "
            f"the `workspace` parameter or {WORKSPACE_VARIABLE}; to start a new workspace there, "
            "run 00_start_here with `create_workspace = True`, or `pmo-assess init --workspace "
            f"{folder}`."
        )
    return Store.open(folder, create=create)


def open_step(workspace: str = "", client: str = "", *, wave: str = "") -> Step:
    """Open the engagement a step notebook works on; see the module's docstring for the order.

    ``wave`` names an existing wave; empty: the engagement's latest (None when it has none).
    """
    store = open_workspace(workspace)
    slug, chosen_by, selection = _pick_client(store, client.strip())
    engagement = _pick_engagement(store, slug, selection)
    return Step(
        store=store,
        client=store.client(slug),
        engagement=engagement,
        wave=_pick_wave(store, engagement, wave.strip()),
        chosen_by=chosen_by,
    )


def choose(store: Store, slug: str, engagement: Engagement | None = None) -> Path:
    """Remember this client (and engagement) for the notebooks that follow."""
    return remember(store.workspace, Selection(slug, engagement.id if engagement else None))


def use_client(store: Store, client: str = "", engagement_id: int | None = None) -> str:
    """``pmo-assess use``: remember a client (and engagement) for the notebooks; with no client,
    say what is chosen now. Returns the sentence to print."""
    if not client.strip():
        selection = remembered(store.workspace)
        if selection is None:
            return (
                f"No client is chosen in {store.workspace.resolve()}. {_CHOOSE}; clients: "
                f"{_listed(store.clients())}."
            )
        return f"Chosen: {_describe(store, selection)}."
    slug = store.client(client.strip()).slug
    engagements = store.engagements(slug)
    chosen: Engagement | None
    if engagement_id is not None:
        if engagement_id not in {e.id for e in engagements}:
            known = ", ".join(f"{e.id} ({e.kind}, {e.questionnaire_id})" for e in engagements)
            raise PmoAssessError(
                f"Client '{slug}' has no engagement {engagement_id}; its engagements: "
                f"{known or 'none yet'}."
            )
        chosen = next(e for e in engagements if e.id == engagement_id)
    else:
        chosen = engagements[-1] if engagements else None
    selection = Selection(slug, chosen.id if chosen else None)
    path = remember(store.workspace, selection)
    return f"Chosen for the notebooks: {_describe(store, selection)} (remembered in {path})."


def _describe(store: Store, selection: Selection) -> str:
    name = next((c.name for c in store.clients() if c.slug == selection.client), None)
    if name is None:
        return f"'{selection.client}', which is not in the store any more"
    engagement = next(
        (e for e in store.engagements(selection.client) if e.id == selection.engagement_id), None
    )
    what = (
        f"{engagement.kind} engagement {engagement.id} ({engagement.questionnaire_id})"
        if engagement
        else "its latest engagement"
    )
    return f"{name} ({selection.client}), {what}"


def _pick_client(store: Store, client: str) -> tuple[str, str, Selection | None]:
    selection = remembered(store.workspace)
    if client:
        return store.client(client).slug, "the client parameter", selection
    if os.environ.get(CLIENT_VARIABLE, "").strip():
        slug = store.client(os.environ[CLIENT_VARIABLE].strip()).slug
        return slug, f"${CLIENT_VARIABLE}", selection
    known = store.clients()
    if selection is not None:
        if selection.client not in {c.slug for c in known}:
            raise PmoAssessError(
                f"The client chosen for this workspace, '{selection.client}', is not in its "
                f"store any more. {_CHOOSE}; clients: {_listed(known)}."
            )
        return selection.client, "the choice made in 00_start_here", selection
    if len(known) == 1:
        return known[0].slug, "the workspace's only client", None
    if not known:
        raise PmoAssessError(
            "This workspace has no clients yet. Add one in 00_start_here (`new_client_name`) or "
            "with `pmo-assess client add NAME`."
        )
    raise PmoAssessError(
        f"This workspace has {len(known)} clients and none is chosen. {_CHOOSE}, or set the "
        f"`client` parameter; clients: {_listed(known)}."
    )


def _pick_engagement(store: Store, slug: str, selection: Selection | None) -> Engagement:
    if selection is not None and selection.client == slug and selection.engagement_id is not None:
        for engagement in store.engagements(slug):
            if engagement.id == selection.engagement_id:
                return engagement
    found = store.find_engagement(slug)
    if found is None:
        raise PmoAssessError(
            f"Client '{slug}' has no engagement yet. Start one in 00_start_here (run it with "
            f'client = "{slug}") or with `pmo-assess engagement set {slug} --type optimize`.'
        )
    return found


def _pick_wave(store: Store, engagement: Engagement, label: str) -> Wave | None:
    waves = store.waves(engagement.id)
    if not label:
        return waves[-1] if waves else None
    for found in waves:
        if found.label == label:
            return found
    known = ", ".join(w.label for w in waves) or "none yet"
    raise PmoAssessError(
        f"The engagement has no wave '{label}'; its waves: {known}. Leave `wave` empty for the "
        "latest."
    )


def _listed(clients: list[Client]) -> str:
    return ", ".join(c.slug for c in clients) or "none yet"


# --- links to written files -----------------------------------------------------------------------


def file_link(path: str | Path) -> FileLink:
    """A link that downloads a written file, for a notebook (:class:`IPython.display.FileLink`).

    The link is relative to the kernel's working directory, the notebook's folder, as JupyterLab
    resolves it. A file elsewhere than below that folder or its parent (the project folder,
    where JupyterLab is usually started) also shows where it is, as the link may not reach it.
    """
    target = Path(path).resolve()
    try:
        shown = os.path.relpath(target)
    except ValueError:  # on another drive: no relative path exists
        shown = str(target)
    far = Path(shown).is_absolute() or shown.startswith(os.path.join(os.pardir, os.pardir))
    return _Download(shown, "", "Open: ", esc(f" (in {target.parent})" if far else "") + "<br>")


class _Download(FileLink):
    # "download": JupyterLab fetches the file instead of opening an .xlsx as text
    html_link_str = "<a href='%s' download target='_blank'>%s</a>"


# --- errors as messages -------------------------------------------------------------------------


def error_html(error: BaseException) -> str:
    """A user error as a short boxed message (escaped), for a notebook or the cockpit."""
    return (
        '<div class="pmo-error" role="alert" style="padding:8px 12px;border-left:4px solid '
        '#b42318;background:#fef3f2;color:#3b0a0a">'
        f"<b>Cannot go on.</b> {esc(str(error))}</div>"
    )


def _show_user_error(
    shell: Any, kind: type[BaseException], error: BaseException, tb: Any, tb_offset: Any = None
) -> None:
    display(HTML(error_html(error)))


def install_error_display() -> None:
    """Show :class:`PmoAssessError` as a message, not a traceback, in the running IPython kernel.

    The cell still fails (Run All stops and papermill reports it); only the traceback with the
    package's paths is replaced by what the user can act on. Other exceptions are bugs and keep
    their traceback.
    """
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((PmoAssessError,), _show_user_error)
