"""Adding a source in the app: a saved page dropped into the terminal is read like the
command line reads it, the reader opens on it, and every refusal shows beside its field."""

from __future__ import annotations

import hashlib
from pathlib import Path

from textual.widgets import Input, Static

from db.repository import Repository
from tests.saved_pages import saved_page
from tests.tui.conftest import TODAY
from tests.tui.test_flows import press, running, settle
from tui.dialogs.add_source import AddSourceDialog
from tui.screens.sources import SourcesScreen

HERALD = "001_58a7cbc6ed29d5f2.txt"


def error(dialog, line: str) -> str:
    shown = dialog.query_one(f"#err-{line}", Static)
    return "" if "hidden" in shown.classes else str(shown.render())


async def paste(app, pilot, selector: str, text: str) -> None:
    """What a terminal sends when a file is dropped on it: the path, pasted."""
    app.screen.query_one(selector, Input).focus()
    await pilot.pause(0.05)
    app.screen.query_one(selector, Input).insert_text_at_cursor(text)
    await pilot.pause(0.05)


async def test_a_dropped_page_is_added_and_read(tmp_path: Path) -> None:
    folder = tmp_path / "Saved pages"
    folder.mkdir()
    page = folder / "herald article.html"
    page.write_bytes(saved_page(HERALD).encode("utf-8"))
    repository = Repository.open("sqlite://", clock=lambda: TODAY)
    async with running(repository) as (app, pilot):
        await press(app, pilot, "s")
        assert isinstance(app.screen, SourcesScreen)
        await press(app, pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, AddSourceDialog)
        await paste(app, pilot, "#source-file", f"'{page}' ")  # quoted, as terminals drop it
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, SourcesScreen)
        screen = app.screen
        assert screen.source is not None and screen.source.author == "Son Ji-hyoung"
        assert any(d.phrase.endswith("remain slim") for d in screen.detections)
    (stored,) = repository.list_sources()
    assert stored.title.startswith("North Korea formalises troop deployment")
    assert stored.original_sha256 == hashlib.sha256(page.read_bytes()).hexdigest()


async def test_refusals_show_beside_their_fields(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Experts agree that the chances of a summit remain slim.\n")
    repository = Repository.open("sqlite://", clock=lambda: TODAY)
    async with running(repository) as (app, pilot):
        await press(app, pilot, "s", "a")
        dialog = app.screen
        await press(app, pilot, "ctrl+s")
        assert error(dialog, "FILE").startswith("is needed")
        await paste(app, pilot, "#source-file", str(tmp_path / "missing.html"))
        await press(app, pilot, "ctrl+s")
        assert "cannot be read" in error(dialog, "FILE")
        dialog.query_one("#source-file", Input).value = str(notes)
        await press(app, pilot, "ctrl+s")
        assert error(dialog, "title") == "is not in the file; give a title"
        assert error(dialog, "FILE") == ""
        dialog.query_one("#source-title", Input).value = "Notes"
        dialog.query_one("#source-published", Input).value = "28 April"
        await press(app, pilot, "ctrl+s")
        assert error(dialog, "published").startswith("is not a date")
        assert error(dialog, "title") == ""
        dialog.query_one("#source-published", Input).value = "2099-04-28"
        await press(app, pilot, "ctrl+s")
        assert error(dialog, "published").startswith("is in the future")
        dialog.query_one("#source-published", Input).value = "2025-04-28"
        dialog.query_one("#source-url", Input).value = "not a url"
        await press(app, pilot, "ctrl+s")
        assert error(dialog, "url") == "is not a URL"
        dialog.query_one("#source-url", Input).value = ""
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, SourcesScreen)
    (stored,) = repository.list_sources()
    assert (stored.title, stored.published_on.isoformat(), stored.original_sha256) == (
        "Notes",
        "2025-04-28",
        None,
    )
