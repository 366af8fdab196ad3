"""Retract a forecast: it stays in the record, struck through with the reason given here,
and leaves scores and the consensus; the forecaster's previous forecast stands again."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from forecasts.drafts import Retract
from forecasts.errors import InvalidInput
from forecasts.models import Forecast, Question
from forecasts.text import forecast_value, one_line
from tui.dialogs.form import FormDialog
from tui.keys import keys


class RetractDialog(FormDialog[Forecast | None]):
    """Returns the retracted forecast, or None when cancelled."""

    PREFIX = "retract"
    ERROR_LINES = ("reason", "save")
    FIELDS = {"forecast": "save"}
    BINDINGS = keys("retract")

    def __init__(self, forecast: Forecast, question: Question) -> None:
        super().__init__()
        self.forecast = forecast
        self.question = question

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                Text(
                    f"Retract forecast {self.forecast.id}: "
                    f"{forecast_value(self.forecast, self.question)} made "
                    f"{self.forecast.made_at:%Y-%m-%d} on #{self.question.id} "
                    f"{one_line(self.question.title, 60)}",
                    style="bold",
                )
            )
            yield from self.field(
                "Why (shown beside it, kept in the history)",
                Input(id="retract-reason", placeholder="e.g. logged on the wrong question"),
                error="reason",
            )
            yield self.form_buttons("Retract")
            yield Static(classes="error hidden", id="err-save")

    def on_mount(self) -> None:
        self.query_one("#retract-reason", Input).focus()

    def action_save(self) -> None:
        self.submit(self._retract, self.app.repository.retract)

    def _retract(self) -> Retract:
        reason = self.query_one("#retract-reason", Input).value
        if not reason.strip():
            raise InvalidInput("reason", reason, "must say why; it is kept in the history")
        return Retract(forecast_id=self.forecast.id or 0, reason=reason)
