"""Add a source: a saved web page or a text file, dropped into the terminal or typed as a
path, with what the page does not say (or says wrongly) filled in beside it."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Static

from db.sources import dropped_path, source_from_file
from forecasts.models import Source
from tui.dialogs.form import FormDialog
from tui.keys import keys

ASK = {"title": "a title", "published": "the date it was published (YYYY-MM-DD)"}
"""How the form asks for a title or date the file does not give."""


class AddSourceDialog(FormDialog[Source | None]):
    """Returns the stored source, or None when cancelled."""

    PREFIX = "source"
    ERROR_LINES = ("FILE", "title", "published", "outlet", "author", "url", "save")
    FIELDS = {"published_on": "published", "text": "FILE"}
    WHOLE_AFTER_SAVE = False
    BINDINGS = keys("source-form")

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Add a source", style="bold"))
            yield Static(
                Text(
                    "Drop a saved web page (.html) or a UTF-8 text file here, or type its "
                    "path. From a page, the article's text, title, outlet, author, date and "
                    "address are read; a field filled in below wins over the page."
                ),
                classes="hint",
            )
            yield from self.field(
                "File",
                Input(id="source-file", placeholder="~/Downloads/article.html"),
                error="FILE",
            )
            yield from self.field(
                "Title (the page's own if left empty)",
                Input(id="source-title"),
                error="title",
            )
            yield from self.field(
                "Published (the page's own if left empty)",
                Input(id="source-published", placeholder="YYYY-MM-DD"),
                Checkbox("The date is an estimate", id="source-approximate"),
                error="published",
            )
            yield from self.field("Outlet", Input(id="source-outlet"), error="outlet")
            yield from self.field("Author", Input(id="source-author"), error="author")
            yield from self.field("Address (URL)", Input(id="source-url"), error="url")
            yield self.form_buttons("Add")
            yield Static(classes="error hidden", id="err-save")

    def on_mount(self) -> None:
        self.query_one("#source-file", Input).focus()

    def _value(self, name: str) -> str | None:
        """What a field holds; None when empty, so the file's own is taken."""
        return self.query_one(f"#source-{name}", Input).value.strip() or None

    def _path(self) -> Path:
        return dropped_path(self.query_one("#source-file", Input).value)

    def action_save(self) -> None:
        given = {name: self._value(name) for name in ("title", "outlet", "author", "url")}
        given["published"] = self._value("published")
        approximate = self.query_one("#source-approximate", Checkbox).value
        if not self.query_one("#source-file", Input).value.strip():
            self.show_errors({"FILE": "is needed: drop a saved page or text file here"})
            return
        path = self._path()
        repository = self.app.repository
        self.show_errors({})
        self.save_in_background(
            lambda: repository.add_source(
                source_from_file(path, given, approximate=approximate, ask=ASK)
            )
        )
