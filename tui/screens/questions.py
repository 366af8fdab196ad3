"""The questions screen (home): every question with its status, close date and forecasts."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from forecasts.models import QuestionStatus, QuestionSummary
from tui.render import NO_QUESTIONS
from tui.safe import one_line

STATUS_LABELS = {
    QuestionStatus.OPEN: ("open", "green"),
    QuestionStatus.CLOSED: ("awaiting resolution", "bold yellow"),
    QuestionStatus.RESOLVED: ("resolved", "cyan"),
    QuestionStatus.ANNULLED: ("annulled", "dim"),
}


class QuestionsScreen(Screen[None]):
    """Home: the table of questions, loaded from the database in a thread worker."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding(
            "ctrl+r", "reload", "Reload", tooltip="Read the questions again", id="questions.reload"
        ),
    ]

    class Loaded(Message):
        """The worker read the questions."""

        def __init__(self, summaries: list[QuestionSummary]) -> None:
            super().__init__()
            self.summaries = summaries

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading questions…", id="questions-status")
        yield DataTable(id="questions-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="questions")
    def load(self) -> None:
        summaries = self.app.repository.list_questions()
        self.post_message(self.Loaded(summaries))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        now = self.app.clock()
        table = self.query_one(DataTable)
        table.clear(columns=True)
        rows = message.summaries
        id_width = max([2, *(len(str(s.question.id)) for s in rows)])
        fixed = {"id": id_width, "status": 19, "closes": 10, "forecasts": 9}
        # Widths are set, not measured: measuring after the rows arrive leaves a stale paint.
        title_width = max(20, table.size.width - sum(fixed.values()) - 2 * (len(fixed) + 1) - 2)
        table.add_column("ID", key="id", width=fixed["id"])
        table.add_column("Status", key="status", width=fixed["status"])
        table.add_column("Closes", key="closes", width=fixed["closes"])
        table.add_column("Forecasts", key="forecasts", width=fixed["forecasts"])
        table.add_column("Title", key="title", width=title_width)
        for summary in rows:
            question = summary.question
            label, style = STATUS_LABELS[question.status(now)]
            table.add_row(
                Text(str(question.id), justify="right"),
                Text(label, style=style),
                Text(f"{question.close_at:%Y-%m-%d}"),
                Text(str(summary.forecasts), justify="right"),
                Text(one_line(question.title)),
                key=str(question.id),
            )
        count = len(message.summaries)
        due = sum(1 for s in message.summaries if s.question.status(now) is QuestionStatus.CLOSED)
        status = self.query_one("#questions-status", Static)
        if count == 0:
            status.update(Text(NO_QUESTIONS))
        else:
            status.update(Text(f"{count} questions · {due} awaiting resolution"))
