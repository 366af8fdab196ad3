"""Update a forecaster's scenarios on an indicator: whose standing forecast, and how the
indicator is known (its resolution, or a source that reports it, happened or not). The update
is kept in the set's history; its posterior is logged from the scenario screen with one key."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Select, Static

from db.scenario_view import ScenarioView
from db.updates import UpdateRequest
from forecasts.errors import InvalidInput
from forecasts.models import ForecasterKind, ScenarioUpdate
from forecasts.text import one_line
from tui.dialogs.form import FormDialog
from tui.keys import keys


class UpdateScenariosDialog(FormDialog[ScenarioUpdate | None]):
    """Returns the update made, or None when cancelled."""

    PREFIX = "update"
    ERROR_LINES = ("forecaster", "source", "save")
    FIELDS: ClassVar[dict[str, str]] = {"not": "source", "indicator": "save"}
    BINDINGS = keys("update-form")

    class Sources(Message):
        def __init__(self, sources: list[tuple[str, int]]) -> None:
            super().__init__()
            self.sources = sources

    def __init__(self, view: ScenarioView, indicator: int) -> None:
        super().__init__()
        self.view = view
        self.indicator = indicator

    def compose(self) -> ComposeResult:
        post = next(p for p in self.view.signposts if p.question.id == self.indicator)
        status = f"resolved {post.outcome}" if post.outcome else "not resolved"
        names = [(one_line(who.name, 60), who.id) for who, _ in self.view.standing]
        users = [who.id for who, _ in self.view.standing if who.kind == ForecasterKind.USER]
        mine = users[0] if users else (names[0][1] if names else None)
        with VerticalScroll():
            yield Static(
                Text(
                    f"Update the scenarios of #{self.view.question.id} on indicator "
                    f"#{post.question.id} {one_line(post.question.title, 70)} ({status})",
                    style="bold",
                )
            )
            yield from self.field(
                "Whose standing forecast",
                Select[int](names, value=mine, allow_blank=False, id="update-forecaster")
                if names
                else Static(Text("No forecaster has a standing forecast yet.", style="dim")),
                error="forecaster",
            )
            yield from self.field(
                "Known from (empty: the indicator's resolution)",
                Select[int]([], prompt="Its resolution", id="update-source"),
                Checkbox("The source reports it did not happen", id="update-not"),
                error="source",
            )
            yield self.form_buttons("Update")
            yield Static(classes="error hidden", id="err-save")

    def on_mount(self) -> None:
        self._sources()

    @work(thread=True, exclusive=True, exit_on_error=False, group="update-sources")
    def _sources(self) -> None:
        sources = self.app.repository.list_sources()
        self.post_message(
            self.Sources([(one_line(f"{s.id}. {s.title}", 70), s.id) for s in sources])
        )

    @on(Sources)
    def _fill(self, message: Sources) -> None:
        self.query_one("#update-source", Select).set_options(message.sources)

    def action_save(self) -> None:
        self.submit(self._request, self.app.repository.update_scenarios)

    def _request(self) -> UpdateRequest:
        found = self.query("#update-forecaster")
        chosen = found.first(Select).value if found else None
        if not isinstance(chosen, int):
            raise InvalidInput("forecaster", None, "log a forecast on the set first")
        picked = self.query_one("#update-source", Select).value
        source = picked if isinstance(picked, int) else None
        did_not = self.query_one("#update-not", Checkbox).value
        if did_not and source is None:
            raise InvalidInput("not", True, "needs the source that reports it")
        return UpdateRequest(
            set_ref=self.view.question.id,  # type: ignore[arg-type]
            indicator_ref=self.indicator,
            forecaster=chosen,
            source=source,
            observed=not did_not,
        )
