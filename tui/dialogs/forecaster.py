"""Rename a forecaster, or merge one into another (from the leaderboard). Both are kept in
the event log; a merge makes every forecast of the one count as the other's."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from forecasts.drafts import Merge, Rename
from forecasts.models import Forecaster
from forecasts.text import one_line
from tui.dialogs.form import FormDialog
from tui.keys import keys


class _ForecasterDialog(FormDialog[Forecaster | None]):
    """One name field and a reason, about the forecaster ``name``."""

    PREFIX = "forecaster"
    ERROR_LINES = ("name", "reason", "save")
    FIELDS = {"target": "name", "forecaster": "name"}
    BINDINGS = keys("forecaster-form")
    HEADING = ""
    LABEL = ""

    def __init__(self, name: str, names: list[str]) -> None:
        super().__init__()
        self.name_shown = name
        self.names = names

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(f"{self.HEADING} {one_line(self.name_shown, 60)}", style="bold"))
            yield from self.field(
                self.LABEL,
                Input(
                    id="forecaster-name",
                    suggester=SuggestFromList(self.names, case_sensitive=False),
                ),
                error="name",
            )
            yield from self.field(
                "Why (kept in the event log)", Input(id="forecaster-reason"), error="reason"
            )
            yield self.form_buttons()
            yield Static(classes="error hidden", id="err-save")

    def on_mount(self) -> None:
        self.query_one("#forecaster-name", Input).focus()

    def action_save(self) -> None:
        def parse() -> Rename | Merge:
            name = self.query_one("#forecaster-name", Input).value
            return self.draft(name, self.query_one("#forecaster-reason", Input).value.strip())

        self.submit(parse, self.write)

    def draft(self, name: str, reason: str) -> Rename | Merge:
        raise NotImplementedError

    def write(self, draft) -> Forecaster:
        raise NotImplementedError


class RenameDialog(_ForecasterDialog):
    """Returns the renamed forecaster, or None when cancelled."""

    HEADING = "Rename"
    LABEL = "New name"

    def draft(self, name: str, reason: str) -> Rename:
        return Rename(forecaster=self.name_shown, name=name, reason=reason)

    def write(self, draft: Rename) -> Forecaster:
        return self.app.repository.rename_forecaster(draft)


class MergeDialog(_ForecasterDialog):
    """Returns the forecaster merged into, or None when cancelled."""

    HEADING = "Merge"
    LABEL = "Into the forecaster (every forecast of this one will count as theirs)"

    def draft(self, name: str, reason: str) -> Merge:
        return Merge(source=self.name_shown, target=name.strip(), reason=reason)

    def write(self, draft: Merge) -> Forecaster:
        return self.app.repository.merge_forecasters(draft)
