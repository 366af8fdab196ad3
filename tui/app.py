"""The Textual app: wiring, global bindings and the error handler. Screens live in
``tui/screens/``; the repository is handed in, so tests run the app on any database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from db.repository import Repository
from forecasts.parsing import utc_now
from tui.screens.questions import QuestionsScreen


class ForecastApp(App[None]):
    """forecasts in the terminal."""

    TITLE = "forecasts"
    SUB_TITLE = "questions, sourced judgments, scores"
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Leave forecasts", id="app.quit"),
        Binding("question_mark", "help_panel", "Keys", tooltip="Show every binding", id="app.keys"),
    ]

    def __init__(
        self,
        repository: Repository,
        *,
        clock: Callable[[], datetime] = utc_now,
        notice: str | None = None,
    ) -> None:
        super().__init__()
        self.repository = repository
        self.clock = clock
        self.notice = notice

    def on_mount(self) -> None:
        self.push_screen(QuestionsScreen())
        if self.notice:
            self.notify(self.notice, title="Welcome to forecasts", timeout=15, markup=False)

    def action_help_panel(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                str(error) or type(error).__name__, title="Error", severity="error", markup=False
            )


def run_app(repository: Repository, *, notice: str | None = None) -> None:
    """Run the app on ``repository`` until the user quits; ``notice`` greets the user."""
    ForecastApp(repository, notice=notice).run()
