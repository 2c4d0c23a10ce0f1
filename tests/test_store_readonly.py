"""A workspace this user may read but not write: it opens read-only, reads like any other, and
refuses a write with a sentence that says why."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pmo_assess.cli.main import main
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.store import readonly
from pmo_assess.store.repository import Store

STORE_V1 = Path(__file__).parent / "data" / "store" / "store_v1.sqlite"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace with one client, its store closed (so no -wal file is left beside it)."""
    folder = tmp_path / "ws"
    with Store.open(folder) as store:
        store.add_client("Acme (fictional)", slug="acme")
    return folder


@pytest.fixture
def unwritable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is writable: what a read-only folder looks like, even to root (who ignores modes)."""
    monkeypatch.setattr(readonly, "writable", lambda path: False)


def test_a_read_only_workspace_is_read_and_left_as_it_was(workspace, unwritable):
    before = sorted(p.name for p in workspace.iterdir())
    with Store.open(workspace, create=False) as store:
        assert [c.slug for c in store.clients()] == ["acme"]
        assert store.read_only == f"the workspace folder {workspace.resolve()} is read-only"
        assert "immutable=1" in str(store.engine.url)  # no -wal file: the file is the database
        assert store.location() == f"workspace {workspace.resolve()} (read-only)"
    assert sorted(p.name for p in workspace.iterdir()) == before  # no -shm, no -wal left


def test_a_write_into_a_read_only_workspace_says_the_folder_is_read_only(workspace, unwritable):
    with Store.open(workspace, create=False) as store:
        with pytest.raises(PmoAssessError, match=r"the workspace folder .*/ws is read-only"):
            store.add_client("Globex (fictional)", slug="globex")
        assert [c.slug for c in store.clients()] == ["acme"]


def test_the_cli_reads_a_read_only_workspace_and_refuses_to_write_it(workspace, unwritable, capsys):
    assert main(["client", "list", "--workspace", str(workspace)]) == 0
    assert "acme" in capsys.readouterr().out
    assert main(["client", "add", "Globex", "--workspace", str(workspace)]) == 1
    assert "is read-only" in capsys.readouterr().err


def test_a_store_with_a_wal_file_is_read_through_it(workspace, monkeypatch):
    # A writer still holds the store open: its latest client is in the -wal file only, which
    # an immutable open would ignore (showing an older store).
    with Store.open(workspace) as writer:
        writer.add_client("Globex (fictional)", slug="globex")
        assert (workspace / "pmo-assess.sqlite-wal").is_file()
        monkeypatch.setattr(readonly, "writable", lambda path: False)
        with Store.open(workspace, create=False) as reader:
            assert "immutable" not in str(reader.engine.url)
            assert [c.slug for c in reader.clients()] == ["acme", "globex"]


def test_a_read_only_store_that_needs_upgrading_says_so(tmp_path, unwritable):
    shutil.copy(STORE_V1, tmp_path / "pmo-assess.sqlite")
    with pytest.raises(
        PmoAssessError, match=r"this store needs upgrading .*, which needs write access, but the"
    ):
        Store.open(tmp_path, create=False)


def test_no_store_is_created_in_a_read_only_folder(tmp_path, unwritable):
    with pytest.raises(PmoAssessError, match=r"Cannot create a store at .*: the workspace folder"):
        Store.open(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits; forced above")
def test_a_folder_without_write_permission_is_opened_read_only(workspace):
    store_file = workspace / "pmo-assess.sqlite"
    store_file.chmod(0o444)
    workspace.chmod(0o555)
    try:
        with Store.open(workspace, create=False) as store:
            assert [c.slug for c in store.clients()] == ["acme"]
            with pytest.raises(PmoAssessError, match=r"the workspace folder .* is read-only"):
                store.add_client("Globex (fictional)", slug="globex")
    finally:
        workspace.chmod(0o755)
        store_file.chmod(0o644)
